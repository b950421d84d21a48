//! Generic secrets and confidence: the `--confidence` floor, and the confidence in JSON and
//! SARIF (the labelled set in tests/eval/generic is scored by tests/eval.rs).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_valid_sarif, findings, keytrail};
use serde_json::Value;

fn scan_json(dir: &Path, extra: &[&str]) -> Vec<Value> {
    let out = keytrail().arg("scan").arg(dir).args(["--format", "json"]).args(extra).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    findings(&out.stdout)
}

#[test]
fn every_finding_has_a_confidence_and_the_floor_filters() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("settings.env"),
        "DB_PASSWORD=Harbor#4130x\nADMIN_PASSWORD=sunshine\nGITHUB_TOKEN=ghp_4Fq9ZbT2xLmN8pR3vW6yK1cH5jD0sA7eU2iO\n",
    )
    .unwrap();
    let by_line = |fs: &[Value]| -> BTreeMap<u64, String> {
        fs.iter()
            .map(|f| (f["location"]["line"].as_u64().unwrap(), f["confidence"].as_str().unwrap().to_string()))
            .collect()
    };
    let default = by_line(&scan_json(dir.path(), &[]));
    assert_eq!(default.get(&1).map(String::as_str), Some("medium"), "{default:?}");
    assert!(!default.contains_key(&2), "a dictionary word is low confidence: hidden by default");
    let low = by_line(&scan_json(dir.path(), &["--confidence", "low"]));
    assert_eq!(low.get(&2).map(String::as_str), Some("low"), "{low:?}");
    let high = by_line(&scan_json(dir.path(), &["--confidence", "high"]));
    assert!(!high.contains_key(&1), "{high:?}");
    assert!(high.values().all(|c| c == "high"), "{high:?}");
}

#[test]
fn a_bad_confidence_level_is_a_usage_error() {
    let out = keytrail().args(["scan", ".", "--confidence", "certain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("certain"));
}

#[test]
fn sarif_carries_precision_and_rank() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yaml"), "smtp_password: 'Tq4#vLm8Zx2k'\n").unwrap();
    let out = keytrail().arg("scan").arg(dir.path()).args(["--format", "sarif"]).output().unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "generic-secret-assignment");
    assert_eq!(result["rank"], 60.0);
    assert_eq!(result["properties"]["confidence"], "medium");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["id"] == "generic-secret-assignment").unwrap();
    assert_eq!(rule["properties"]["precision"], "low", "generic rules default to low");
}

#[test]
fn rule_files_take_a_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let rules_dir = tempfile::tempdir().unwrap();
    let rules = rules_dir.path().join("context.toml");
    std::fs::write(
        &rules,
        r#"
[[rules]]
id = "acme-context-key"
name = "ACME key near its name"
keywords = ["acme_key"]
regex = '''acme_key\s*=\s*"(?P<secret>[a-z0-9]{24})"'''
confidence = "medium"
examples = ['acme_key = "q8vn3lxt0pr7ske2wby5mzc9"']
negative_examples = ['acme_key = "short"']
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("a.cfg"), "acme_key = \"q8vn3lxt0pr7ske2wby5mzc9\"\n").unwrap();
    let found = scan_json(dir.path(), &["--rules", rules.to_str().unwrap(), "--enable-rule", "acme-context-key"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["confidence"], "medium");

    std::fs::write(&rules, "[[rules]]\nid = \"x\"\nregex = 'x'\nkeywords = [\"x\"]\nconfidence = \"sure\"\n").unwrap();
    let out = keytrail().arg("scan").arg(dir.path()).args(["--rules", rules.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("confidence \"sure\" is not high, medium or low"));
}
