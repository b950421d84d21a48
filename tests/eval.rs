//! The labelled evaluation sets in `tests/eval/<set>/`: recall and false-positive rate per
//! set and per kind, with a floor per set (`cargo test --test eval -- --nocapture` prints the table).
//!
//! Each set holds realistic files and a `labels.toml`: `[[positive]]` lines (some finding
//! must be on them), `[[negative]]` lines (no finding may be on them), and a `[floor]`
//! (`recall`, the least share of positives found; `fp_rate`, the greatest share of negatives
//! hit; `unlabelled`, the most findings allowed on lines that carry no label).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{findings, keytrail};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    #[serde(default)]
    positive: Vec<Label>,
    #[serde(default)]
    negative: Vec<Label>,
    floor: Floor,
}

#[derive(Deserialize)]
struct Label {
    file: String,
    line: u64,
    kind: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Floor {
    recall: f64,
    fp_rate: f64,
    unlabelled: usize,
}

/// Counts for one set or one kind.
#[derive(Default)]
struct Tally {
    positives: usize,
    found: usize,
    negatives: usize,
    hit: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        if self.positives == 0 { 1.0 } else { self.found as f64 / self.positives as f64 }
    }
    fn fp_rate(&self) -> f64 {
        if self.negatives == 0 { 0.0 } else { self.hit as f64 / self.negatives as f64 }
    }
    fn row(&self, name: &str) -> String {
        let recall = if self.positives == 0 { "-".to_string() } else { format!("{:.1} %", 100.0 * self.recall()) };
        let fp = if self.negatives == 0 { "-".to_string() } else { format!("{:.1} %", 100.0 * self.fp_rate()) };
        format!(
            "  {name:<34} {:>4}/{:<4} {recall:>8}   {:>4}/{:<4} {fp:>8}",
            self.found, self.positives, self.hit, self.negatives
        )
    }
}

/// What one set scored.
struct Outcome {
    total: Tally,
    kinds: BTreeMap<String, Tally>,
    /// (file, line, rule) of findings on unlabelled lines.
    unlabelled: Vec<(String, u64, String)>,
    /// Positives missed and negatives hit, for the report.
    misses: Vec<String>,
}

fn sets() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("eval");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("labels.toml").is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Checks that every label names an existing file and a line inside it.
fn check_labels(dir: &Path, labels: &Labels) {
    let mut seen = BTreeSet::new();
    for (what, l) in
        labels.positive.iter().map(|l| ("positive", l)).chain(labels.negative.iter().map(|l| ("negative", l)))
    {
        let path = dir.join(&l.file);
        let text =
            std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {what} label names {}: {e}", dir.display(), l.file));
        let lines = text.split(|&b| b == b'\n').count() as u64;
        assert!(
            l.line >= 1 && l.line <= lines,
            "{}: {what} label {}:{} is past the file's end",
            dir.display(),
            l.file,
            l.line
        );
        assert!(seen.insert((l.file.clone(), l.line)), "{}: {}:{} is labelled twice", dir.display(), l.file, l.line);
        assert!(!l.kind.is_empty(), "{}: {}:{} has an empty kind", dir.display(), l.file, l.line);
    }
}

fn evaluate(dir: &Path, labels: &Labels) -> Outcome {
    let out = keytrail().arg("scan").arg(dir).args(["--format", "json"]).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: scan failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // (file, line) -> rules of the findings whose span covers that line.
    let mut hits: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for f in findings(&out.stdout) {
        let loc = &f["location"];
        let (Some(path), Some(line)) = (loc["path"].as_str(), loc["line"].as_u64()) else { continue };
        let end = loc["end_line"].as_u64().unwrap_or(line).max(line);
        let rule = f["rule"].as_str().unwrap_or("?").to_string();
        for l in line..=end {
            hits.entry((path.to_string(), l)).or_default().push(rule.clone());
        }
    }
    let mut o = Outcome { total: Tally::default(), kinds: BTreeMap::new(), unlabelled: Vec::new(), misses: Vec::new() };
    let mut labelled = BTreeSet::new();
    for l in &labels.positive {
        labelled.insert((l.file.clone(), l.line));
        let found = hits.contains_key(&(l.file.clone(), l.line));
        let kind = o.kinds.entry(l.kind.clone()).or_default();
        kind.positives += 1;
        o.total.positives += 1;
        if found {
            kind.found += 1;
            o.total.found += 1;
        } else {
            o.misses.push(format!("missed    {}:{} ({})", l.file, l.line, l.kind));
        }
    }
    for l in &labels.negative {
        labelled.insert((l.file.clone(), l.line));
        let kind = o.kinds.entry(l.kind.clone()).or_default();
        kind.negatives += 1;
        o.total.negatives += 1;
        if let Some(rules) = hits.get(&(l.file.clone(), l.line)) {
            kind.hit += 1;
            o.total.hit += 1;
            o.misses.push(format!("false pos {}:{} ({}) by {}", l.file, l.line, l.kind, rules.join(", ")));
        }
    }
    for ((file, line), rules) in &hits {
        if !labelled.contains(&(file.clone(), *line)) {
            for r in rules {
                o.unlabelled.push((file.clone(), *line, r.clone()));
            }
        }
    }
    o
}

#[test]
fn eval_sets_meet_their_floors() {
    let sets = sets();
    assert!(!sets.is_empty(), "no tests/eval/*/labels.toml");
    let mut failures = Vec::new();
    let mut report = String::from("\nset / kind                          found/pos   recall    hit/neg  FP rate\n");
    for dir in &sets {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(dir.join("labels.toml")).unwrap();
        let labels: Labels = toml::from_str(&text).unwrap_or_else(|e| panic!("{}/labels.toml: {e}", dir.display()));
        check_labels(dir, &labels);
        let o = evaluate(dir, &labels);
        report.push_str(&o.total.row(&format!("{name} (all)")));
        report.push_str(&format!("   unlabelled findings: {}\n", o.unlabelled.len()));
        for (kind, t) in &o.kinds {
            report.push_str(&t.row(&format!("  {kind}")));
            report.push('\n');
        }
        for m in &o.misses {
            report.push_str(&format!("    {m}\n"));
        }
        for (file, line, rule) in &o.unlabelled {
            report.push_str(&format!("    unlabelled {file}:{line} by {rule}\n"));
        }
        let f = &labels.floor;
        if o.total.recall() < f.recall {
            failures.push(format!("{name}: recall {:.3} is below its floor {}", o.total.recall(), f.recall));
        }
        if o.total.fp_rate() > f.fp_rate {
            failures.push(format!(
                "{name}: false-positive rate {:.3} is above its ceiling {}",
                o.total.fp_rate(),
                f.fp_rate
            ));
        }
        if o.unlabelled.len() > f.unlabelled {
            failures.push(format!(
                "{name}: {} findings on unlabelled lines (at most {})",
                o.unlabelled.len(),
                f.unlabelled
            ));
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "{}\n{report}", failures.join("\n"));
}
