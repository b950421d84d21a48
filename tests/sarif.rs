//! SARIF as GitHub code scanning reads it: URIs, paths relative to the repository root,
//! chat regions in the export file, alert fingerprints, the results cap.

mod common;

use std::path::Path;

use common::{fixtures, git, keytrail};
use serde_json::Value;

const TOKEN_A: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn sarif(cwd: &Path, args: &[&str]) -> (Value, String) {
    let out = keytrail().current_dir(cwd).arg("scan").args(args).args(["--format", "sarif"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    common::assert_valid_sarif(&v);
    (v, stderr)
}

fn uris(s: &Value) -> Vec<String> {
    let mut out: Vec<String> = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

/// A repository holding `src/deploy/.env` with the ACME token (and the ACME rule config).
fn repo_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), ".keytrail.toml", common::ACME_RULES);
    write(dir.path(), "src/.keytrail.toml", common::ACME_RULES);
    write(dir.path(), "src/deploy/.env", &format!("REGION=eu\nACME_TOKEN={TOKEN_A}\n"));
    dir
}

#[test]
fn paths_are_relative_to_the_repository_root() {
    let dir = repo_tree();
    let root = dir.path();
    // A subdirectory, a single file, from inside and outside: always `src/deploy/.env`.
    let (s, _) = sarif(root, &["src"]);
    assert_eq!(uris(&s), ["src/deploy/.env"]);
    let (s, _) = sarif(&root.join("src"), &["."]);
    assert_eq!(uris(&s), ["src/deploy/.env"]);
    let (s, _) = sarif(Path::new("/"), &[root.join("src").to_str().unwrap()]);
    assert_eq!(uris(&s), ["src/deploy/.env"]);
    let cfg = root.join(".keytrail.toml");
    let (s, _) = sarif(&root.join("src/deploy"), &["--config", cfg.to_str().unwrap(), ".env"]);
    assert_eq!(uris(&s), ["src/deploy/.env"]);
    let loc = &s["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 2);
    // An explicit root.
    let (s, _) = sarif(root, &["--sarif-root", "src", "src"]);
    assert_eq!(uris(&s), ["deploy/.env"]);
    // A file outside the root: an absolute file URI, never beside %SRCROOT%.
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "x.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    let (s, _) =
        sarif(root, &["--config", cfg.to_str().unwrap(), "src", elsewhere.path().join("x.env").to_str().unwrap()]);
    let results = s["runs"][0]["results"].as_array().unwrap();
    let outside: Vec<&Value> = results
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .filter(|a| a["uri"].as_str().unwrap().ends_with("x.env"))
        .collect();
    assert_eq!(outside.len(), 1);
    assert!(outside[0]["uri"].as_str().unwrap().starts_with("file:///"), "{}", outside[0]);
    assert!(outside[0].get("uriBaseId").is_none());
}

#[test]
fn uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keytrail.toml", common::ACME_RULES);
    write(dir.path(), "ünïcode/çonfig 1.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    let (s, _) = sarif(dir.path(), &["."]);
    assert_eq!(uris(&s), ["%C3%BCn%C3%AFcode/%C3%A7onfig%201.env"]);
}

#[test]
fn help_uris_are_uris_and_the_prose_is_in_the_help_text() {
    let (s, _) = sarif(Path::new("."), &[fixtures().join("planted").to_str().unwrap()]);
    let rules = s["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let aws = rules.iter().find(|r| r["id"] == "aws-access-key-id").expect("the AWS rule fires on planted");
    assert_eq!(aws["helpUri"], "https://console.aws.amazon.com/iam/home#/security_credentials");
    assert!(aws["help"]["text"].as_str().unwrap().contains("(deactivate, then delete the key)"));
    for r in rules {
        if let Some(u) = r["helpUri"].as_str() {
            assert!(u.starts_with("https://") && !u.contains([' ', '(', '\u{2192}']), "{u}");
            assert!(u.is_ascii(), "{u}");
        }
    }
}

#[test]
fn chat_regions_are_lines_of_the_export_file() {
    let (s, _) = sarif(Path::new("."), &["--reveal", fixtures().join("chat/slack").to_str().unwrap()]);
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        let line = loc["region"]["startLine"].as_u64().expect("a line in the export") as usize;
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(uri)).unwrap();
        let at = text.lines().nth(line - 1).unwrap();
        // The line holds the secret (in the message text or an attached file's preview).
        let secret = r["properties"]["secret"].as_str().unwrap();
        assert!(at.contains(secret), "{uri}:{line} does not hold the secret");
        assert!(line > 1);
    }
}

#[test]
fn one_key_in_two_files_is_two_alerts_with_one_digest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keytrail.toml", common::ACME_RULES);
    write(dir.path(), "a/.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    write(dir.path(), "b/.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    let (s, _) = sarif(dir.path(), &["."]);
    let fps: Vec<&Value> =
        s["runs"][0]["results"].as_array().unwrap().iter().map(|r| &r["partialFingerprints"]).collect();
    assert_eq!(fps.len(), 2);
    assert_eq!(fps[0]["secretDigest/v1"], fps[1]["secretDigest/v1"]);
    assert_ne!(fps[0]["primaryLocationLineHash"], fps[1]["primaryLocationLineHash"]);
    // Moving the key within its file keeps the alert.
    let before = fps[0]["primaryLocationLineHash"].clone();
    write(dir.path(), "a/.env", &format!("# moved\n\nACME_TOKEN={TOKEN_A}\n"));
    let (s, _) = sarif(dir.path(), &["."]);
    assert_eq!(s["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"], before);
}

#[test]
fn results_are_capped_at_what_github_accepts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keytrail.toml", common::ACME_RULES);
    // 25,003 distinct tokens: lowercase hex digits of the line number spread into the token.
    let mut text = String::new();
    for i in 0..25_003u32 {
        let h = blake3::hash(&i.to_le_bytes()).to_hex();
        text.push_str(&format!("ACME_TOKEN=acme_{}Q{}\n", &h[..15], &h[16..32]));
    }
    write(dir.path(), "many.env", &text);
    let out = keytrail().current_dir(dir.path()).args(["scan", ".", "--format", "sarif"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: 25003 findings exceed the 25000 results"), "{stderr}");
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    let last = &results[24_999];
    assert_eq!(last["ruleId"], "keytrail-results-truncated");
    assert!(last["message"]["text"].as_str().unwrap().starts_with("4 more findings are not listed"));
    let rules = s["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[last["ruleIndex"].as_u64().unwrap() as usize]["id"], "keytrail-results-truncated");
}
