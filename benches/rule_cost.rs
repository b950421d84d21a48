//! Cost per rule: scans the corpus with each rule alone and prints the costliest rules, so
//! regressions in one rule's regex or keywords show up by name. `RULE_COST_RULES=id,id` times
//! only those rules (e.g. to profile one).

#[path = "common/corpus.rs"]
mod corpus;

use std::time::Instant;

use keytrail::Engine;
use keytrail::rules::{RuleOptions, load_rules};

fn main() {
    let budget: usize = std::env::var("RULE_COST_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(32) << 20;
    let files = corpus::load(budget);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let only: Option<Vec<String>> =
        std::env::var("RULE_COST_RULES").ok().map(|v| v.split(',').map(str::to_string).collect());
    let ids: Vec<String> = load_rules(&RuleOptions { lean: true, ..Default::default() })
        .expect("built-in rules load")
        .rules
        .iter()
        .map(|r| r.id().to_string())
        .filter(|id| only.as_ref().is_none_or(|o| o.iter().any(|w| w == id)))
        .collect();
    // One rule alone over the corpus: (seconds, hits, seconds of keyword search alone). The
    // first scan compiles its regex.
    let cost = |id: &String| {
        let opts = RuleOptions { enable: vec![id.clone()], lean: true, ..Default::default() };
        let engine = Engine::new(load_rules(&opts).expect("rule loads"));
        let start = Instant::now();
        let mut hits = 0;
        for (_, hay) in &files {
            hits += engine.scan_raw(hay, None).len();
        }
        let secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let mut windows = Vec::new();
        for (_, hay) in &files {
            engine.prefilter().windows(hay, |_| true, &mut windows);
        }
        (secs, hits, start.elapsed().as_secs_f64())
    };
    // (total, id, hits, keyword search alone)
    let mut runs: Vec<(f64, String, usize, f64)> = ids
        .iter()
        .map(|id| {
            let (secs, hits, kw) = cost(id);
            (secs, id.clone(), hits, kw)
        })
        .collect();
    // A rule alone gets an automaton of its own keywords, and how fast that one searches
    // depends on whether aho-corasick's skip-ahead prefilter applies to them (rare bytes
    // or few first bytes): from 1.3 GB/s down to 0.3 GB/s for keywords of common letters,
    // whatever the rule. A real scan searches once with every keyword (no skip-ahead at
    // 2,000 keywords), so a rule's cost is its own work (regex, gate, entropy, allowlists)
    // on top of one typical keyword search: total - its keyword search + the median one.
    let median_of = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let kw_median = median_of(runs.iter().map(|r| r.3).collect());
    let rule_cost = |r: &(f64, String, usize, f64)| (r.0 - r.3).max(0.0) + kw_median;
    let median = median_of(runs.iter().map(rule_cost).collect());
    // On a busy machine one run can be slowed by others: a rule over 3x the median is timed
    // twice more and keeps its best times.
    for r in runs.iter_mut().filter(|r| rule_cost(r) > 3.0 * median) {
        for _ in 0..2 {
            let (secs, _, kw) = cost(&r.1);
            if secs - kw < r.0 - r.3 {
                (r.0, r.3) = (secs, kw);
            }
        }
    }
    runs.sort_by(|a, b| rule_cost(b).total_cmp(&rule_cost(a)));
    let slow = runs.iter().filter(|r| rule_cost(r) > 3.0 * median).count();
    let median_total = median_of(runs.iter().map(|r| r.0).collect());
    let slow_total = runs.iter().filter(|r| r.0 > 3.0 * median_total).count();
    println!("corpus: {} files, {:.1} MB; {} rules", files.len(), bytes as f64 / 1e6, ids.len());
    println!(
        "median cost {:.1} ms per rule (keyword search {:.1} ms); {slow} rules cost more than 3x the median",
        median * 1e3,
        kw_median * 1e3
    );
    println!(
        "(alone, with their own keyword automaton: median {:.1} ms, {slow_total} rules over 3x)",
        median_total * 1e3
    );
    println!("{:<45} {:>9} {:>9} {:>11} {:>6}", "rule", "cost ms", "alone ms", "keywords ms", "hits");
    // The costliest 20, and every rule over 3x the median.
    for r in runs.iter().take(20.max(slow)) {
        println!("{:<45} {:>9.1} {:>9.1} {:>11.1} {:>6}", r.1, rule_cost(r) * 1e3, r.0 * 1e3, r.3 * 1e3, r.2);
    }
}
