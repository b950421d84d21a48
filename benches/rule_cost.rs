//! Cost per rule: scans the corpus with each rule alone and prints the slowest rules, so
//! regressions in one rule's regex or keywords show up by name.

#[path = "common/corpus.rs"]
mod corpus;

use std::time::Instant;

use keytrail::Engine;
use keytrail::rules::{RuleOptions, load_rules};

fn main() {
    let budget: usize = std::env::var("RULE_COST_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(32) << 20;
    let files = corpus::load(budget);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let ids: Vec<String> = load_rules(&RuleOptions { lean: true, ..Default::default() })
        .expect("built-in rules load")
        .rules
        .iter()
        .map(|r| r.id().to_string())
        .collect();
    let mut costs = Vec::new();
    for id in &ids {
        let opts = RuleOptions { enable: vec![id.clone()], lean: true, ..Default::default() };
        let engine = Engine::new(load_rules(&opts).expect("rule loads"));
        let start = Instant::now();
        let mut hits = 0;
        for (_, hay) in &files {
            hits += engine.scan_raw(hay, None).len();
        }
        costs.push((start.elapsed().as_secs_f64(), id.clone(), hits));
    }
    costs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let median = costs.get(costs.len() / 2).map_or(0.0, |c| c.0);
    let slow = costs.iter().filter(|c| c.0 > 3.0 * median).count();
    println!("corpus: {} files, {:.1} MB; {} rules", files.len(), bytes as f64 / 1e6, ids.len());
    println!("median {:.1} ms per rule; {slow} rules slower than 3x the median", median * 1e3);
    println!("{:<45} {:>9} {:>10} {:>6}", "rule", "ms", "MB/s", "hits");
    for (secs, id, hits) in costs.iter().take(20) {
        println!("{id:<45} {:>9.1} {:>10.0} {hits:>6}", secs * 1e3, bytes as f64 / 1e6 / secs);
    }
}
