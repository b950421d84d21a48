//! Shared helpers for the integration tests: run the real binary, read its JSON.
#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub fn keytrail() -> Command {
    let mut cmd = Command::cargo_bin("keytrail").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Recursively copies `from` into `to` (test trees are small text files).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Parses a `--format json` report.
pub fn findings(stdout: &[u8]) -> Vec<Value> {
    let v: Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(stdout)));
    v.as_array().expect("a JSON array").clone()
}

/// (path, line, rule) of each finding, sorted.
pub fn triples(findings: &[Value]) -> Vec<(String, u64, String)> {
    let mut out: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The Python standard library directory of the machine's python3.
pub fn python_stdlib() -> PathBuf {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .expect("python3 is on every machine of this project's kind");
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Validates a SARIF document against the official 2.1.0 schema carried in fixtures/.
pub fn assert_valid_sarif(sarif: &Value) {
    // The published schema's `language` pattern has a stray `]` that strict regex engines
    // reject when the schema itself is checked; it only constrains `run.language`, which we
    // don't emit, so that one pattern is relaxed in memory. Everything else is verbatim.
    let text = std::fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json"))
        .unwrap()
        .replace(r#"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#, r#"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$"#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let mut broken = sarif.clone();
    broken["version"] = Value::from("1.0");
    assert!(!validator.is_valid(&broken), "the validator rejects a wrong version");
}

/// Runs git in `dir` with a fixed identity and no user/system config.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A config with one custom rule, so tests need not depend on built-in rule ids.
pub const ACME_RULES: &str = r#"
[extend]
useDefault = false

[[rules]]
id = "acme-token"
description = "ACME deploy token"
regex = '''\b(?P<secret>acme_[A-Za-z0-9]{32})\b'''
keywords = ["acme_"]
entropy = 3.0
"#;
