//! `keytrail scan` end to end: findings, formats, exit codes, configs, baselines, skips.

mod common;

use std::path::Path;

use common::{findings, fixtures, keytrail, python_stdlib, triples};
use predicates::prelude::*;
use serde_json::Value;

const CUSTOM_RULES: &str = common::ACME_RULES;

const TOKEN_A: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";
const TOKEN_B: &str = "acme_Z3rT8wQe1YuI6oPa4SdF9gHj2KlX7cVb";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn custom_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keytrail.toml", CUSTOM_RULES);
    write(dir.path(), "deploy/.env", &format!("REGION=eu\nACME_TOKEN={TOKEN_A}\n"));
    dir
}

fn scan_json(dir: &Path, extra: &[&str]) -> (Vec<Value>, i32) {
    let out = keytrail().arg("scan").arg(dir).args(["--format", "json", "-q"]).args(extra).output().unwrap();
    (findings(&out.stdout), out.status.code().unwrap())
}

#[test]
fn planted_fixture_findings_match_expected() {
    let out = keytrail().arg("scan").arg(fixtures().join("planted")).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1; stderr: {}", String::from_utf8_lossy(&out.stderr));
    let got = triples(&findings(&out.stdout));
    let expected_text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/planted.tsv"))
            .expect("tests/expected/planted.tsv");
    let mut expected: Vec<(String, u64, String)> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[1].parse().unwrap(), cols[2].to_string())
        })
        .collect();
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn clean_python_stdlib_reports_nothing() {
    let lib = python_stdlib();
    let mut cmd = keytrail();
    cmd.arg("scan").args(["--format", "json"]);
    for pkg in ["json", "email", "http", "asyncio"] {
        assert!(lib.join(pkg).is_dir(), "{} missing", lib.join(pkg).display());
        cmd.arg(lib.join(pkg));
    }
    let out = cmd.output().unwrap();
    let f = findings(&out.stdout);
    assert!(f.is_empty(), "false positives on clean code: {:#?}", f);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn custom_rule_finds_with_position_and_contract_fields() {
    let dir = custom_tree();
    let (f, code) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(f["rule"], "acme-token");
    assert_eq!(f["name"], "ACME deploy token");
    assert_eq!(f["severity"], "medium");
    assert_eq!(f["secret"], "acme…fGa1");
    assert_eq!(f["digest"].as_str().unwrap().len(), 64);
    let loc = &f["location"];
    assert_eq!(loc["source"], "file");
    assert_eq!(loc["path"], "deploy/.env");
    assert_eq!((loc["line"].as_u64(), loc["column"].as_u64()), (Some(2), Some(12)));
    assert_eq!((loc["end_line"].as_u64(), loc["end_column"].as_u64()), (Some(2), Some(49)));
}

#[test]
fn exit_codes() {
    let dir = custom_tree();
    keytrail().arg("scan").arg(dir.path()).arg("-q").assert().code(1);
    keytrail().arg("scan").arg(dir.path()).args(["-q", "--exit-code", "7"]).assert().code(7);
    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "a.txt", "nothing here\n");
    keytrail().arg("scan").arg(clean.path()).arg("-q").assert().code(0);
    keytrail().args(["scan", "--format", "xml"]).assert().code(2);
    keytrail()
        .arg("scan")
        .arg(clean.path().join("missing"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing"));
}

#[test]
fn bad_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keytrail.toml", "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\nkeywords=[\"x\"]\n");
    keytrail()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".keytrail.toml").and(predicate::str::contains("rule \"x\"")));
    write(dir.path(), ".keytrail.toml", "[[rules]\n");
    keytrail().arg("scan").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("invalid TOML"));
}

#[test]
fn every_format_hides_the_secret_unless_reveal() {
    let dir = custom_tree();
    for format in ["human", "json", "jsonl", "sarif"] {
        let out_file = dir.path().join(format!("../report-{format}.out"));
        let out = keytrail().arg("scan").arg(dir.path()).args(["--format", format]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert!(!text.contains(TOKEN_A), "{format} leaked the secret");
        assert!(text.contains("acme…"), "{format} shows the redacted form");
        keytrail().arg("scan").arg(dir.path()).args(["--format", format, "-o"]).arg(&out_file).assert().code(1);
        let written = std::fs::read_to_string(&out_file).unwrap();
        std::fs::remove_file(&out_file).unwrap();
        assert!(!written.contains(TOKEN_A), "{format} output file leaked the secret");
        let revealed = keytrail().arg("scan").arg(dir.path()).args(["--format", format, "--reveal"]).output().unwrap();
        assert!(String::from_utf8_lossy(&revealed.stdout).contains(TOKEN_A), "{format} --reveal shows it");
    }
}

#[test]
fn sarif_is_valid_and_fingerprinted_by_content() {
    let dir = custom_tree();
    let out = keytrail().arg("scan").arg(dir.path()).args(["--format", "sarif"]).output().unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    common::assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "acme-token");
    assert!(rule["help"]["markdown"].as_str().unwrap().contains("Revoke"));
    assert!(rule["properties"]["security-severity"].is_string());
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "acme-token");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "deploy/.env");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 12);
    let fp = result["partialFingerprints"]["secretDigest/v1"].as_str().unwrap().to_string();
    assert!(!result["message"]["text"].as_str().unwrap().contains(TOKEN_A));
    // The fingerprint follows the secret, not the line.
    write(dir.path(), "deploy/.env", &format!("# moved\n\n\nACME_TOKEN={TOKEN_A}\n"));
    let out = keytrail().arg("scan").arg(dir.path()).args(["--format", "sarif"]).output().unwrap();
    let moved: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(moved["runs"][0]["results"][0]["partialFingerprints"]["secretDigest/v1"], fp.as_str());
}

#[test]
fn baseline_suppresses_known_secrets_even_when_moved() {
    let dir = custom_tree();
    let base = tempfile::NamedTempFile::new().unwrap();
    keytrail().arg("scan").arg(dir.path()).args(["--format", "json", "-q", "-o"]).arg(base.path()).assert().code(1);
    keytrail().arg("scan").arg(dir.path()).arg("--baseline").arg(base.path()).arg("-q").assert().code(0);
    // Moved to another file: still suppressed.
    std::fs::remove_file(dir.path().join("deploy/.env")).unwrap();
    write(dir.path(), "ops/moved.yaml", &format!("token: {TOKEN_A}\n"));
    let (f, code) = scan_json(dir.path(), &["--baseline", base.path().to_str().unwrap()]);
    assert_eq!((f.len(), code), (0, 0));
    // A different secret at the original line: reported.
    write(dir.path(), "deploy/.env", &format!("REGION=eu\nACME_TOKEN={TOKEN_B}\n"));
    let (f, code) = scan_json(dir.path(), &["--baseline", base.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(triples(&f), vec![("deploy/.env".to_string(), 2, "acme-token".to_string())]);
}

#[test]
fn bad_baseline_is_a_clear_error() {
    let dir = custom_tree();
    let base = dir.path().join("../not-a-report.json");
    std::fs::write(&base, "{\"hello\": 1}").unwrap();
    keytrail()
        .arg("scan")
        .arg(dir.path())
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not-a-report.json"));
}

#[test]
fn gitleaks_config_with_extend_rules_and_allowlists_works() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".gitleaks.toml",
        r#"
title = "team config"

[extend]
useDefault = true

[[rules]]
id = "acme-token"
description = "ACME deploy token"
regex = '''\b(acme_[A-Za-z0-9]{32})\b'''
secretGroup = 1
keywords = ["acme_"]
tags = ["internal"]

[[rules.allowlists]]
description = "the sandbox token"
regexTarget = "line"
regexes = ['''SANDBOX''']

[allowlist]
description = "vendored code"
paths = ['''(^|/)vendor/''']

[[allowlists]]
targetRules = ["acme-token"]
stopwords = ["z3rt8"]
"#,
    );
    write(dir.path(), "app.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    write(dir.path(), "sandbox.env", &format!("ACME_SANDBOX_TOKEN={TOKEN_A}\n"));
    write(dir.path(), "vendor/lib/conf.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    write(dir.path(), "stop.env", &format!("ACME_TOKEN={TOKEN_B}\n"));
    // the generic rule would report the allowlisted acme tokens too (it is not targeted by these allowlists)
    let (f, code) = scan_json(dir.path(), &["--disable-rule", "generic-secret-assignment"]);
    assert_eq!(code, 1);
    assert_eq!(triples(&f), vec![("app.env".to_string(), 1, "acme-token".to_string())]);
    // useDefault = true keeps the built-in rules.
    let list = keytrail()
        .args(["rules", "list", "--format", "json", "--config"])
        .arg(dir.path().join(".gitleaks.toml"))
        .output()
        .unwrap();
    let rules: Vec<Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert!(rules.len() > 100, "built-in rules kept: {}", rules.len());
    assert!(rules.iter().any(|r| r["id"] == "acme-token"));
}

#[test]
fn gitleaks_config_without_extend_uses_only_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitleaks.toml", &CUSTOM_RULES.replace("[extend]\nuseDefault = false\n", ""));
    let list = keytrail()
        .args(["rules", "list", "--format", "json", "--config"])
        .arg(dir.path().join(".gitleaks.toml"))
        .output()
        .unwrap();
    let rules: Vec<Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rules.len(), 1);
}

#[test]
fn enable_and_disable_rules() {
    let dir = custom_tree();
    let (f, _) = scan_json(dir.path(), &["--disable-rule", "acme-token"]);
    assert!(f.is_empty());
    let (f, _) = scan_json(dir.path(), &["--enable-rule", "acme-token"]);
    assert_eq!(f.len(), 1);
    keytrail()
        .arg("scan")
        .arg(dir.path())
        .args(["--enable-rule", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-rule"));
}

#[test]
fn inline_ignores_suppress_their_line_only() {
    let dir = custom_tree();
    write(
        dir.path(),
        "more.py",
        &format!(
            "a = \"{TOKEN_A}\"  # keytrail:allow\nb = \"{TOKEN_A}\"  # gitleaks:allow\nc = \"{TOKEN_A}\"  # pragma: allowlist secret\nd = \"{TOKEN_B}\"\n"
        ),
    );
    let (f, _) = scan_json(dir.path(), &[]);
    assert_eq!(
        triples(&f),
        vec![("deploy/.env".into(), 2, "acme-token".into()), ("more.py".into(), 4, "acme-token".into())]
    );
}

#[test]
fn identical_findings_are_reported_once_and_repeats_each_time() {
    let dir = custom_tree();
    write(dir.path(), "twice.txt", &format!("{TOKEN_A} {TOKEN_A}\n"));
    let (f, _) = scan_json(dir.path(), &[]);
    let twice: Vec<_> = f.iter().filter(|x| x["location"]["path"] == "twice.txt").collect();
    assert_eq!(twice.len(), 2, "two occurrences on one line are two findings");
    assert_ne!(twice[0]["location"]["column"], twice[1]["location"]["column"]);
}

#[test]
fn gitignore_is_honoured_unless_no_ignore() {
    let dir = custom_tree();
    write(dir.path(), ".gitignore", "secret.env\n");
    write(dir.path(), "secret.env", &format!("T={TOKEN_B}\n"));
    let (f, _) = scan_json(dir.path(), &[]);
    assert_eq!(f.len(), 1);
    let (f, _) = scan_json(dir.path(), &["--no-ignore"]);
    assert_eq!(f.len(), 2);
}

#[test]
fn stdin_is_scanned() {
    let dir = custom_tree();
    let out = keytrail()
        .args(["scan", "-", "--format", "jsonl", "--config"])
        .arg(dir.path().join(".keytrail.toml"))
        .write_stdin(format!("line one\ntoken {TOKEN_A}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(v["location"]["source"], "stdin");
    assert_eq!(v["location"]["path"], "-");
    assert_eq!(v["location"]["line"], 2);
}

#[test]
fn binaries_fifos_large_files_and_dot_git_are_skipped_and_counted() {
    let dir = custom_tree();
    let mut bin = vec![0u8; 64];
    bin.extend_from_slice(TOKEN_B.as_bytes());
    std::fs::write(dir.path().join("blob.bin"), bin).unwrap();
    write(dir.path(), ".git/config", &format!("token = {TOKEN_B}\n"));
    write(dir.path(), "big.txt", &format!("{}\n{TOKEN_B}\n", "x".repeat(5000)));
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out =
        keytrail().arg("scan").arg(dir.path()).args(["--format", "json", "--max-file-size", "4096"]).output().unwrap();
    let f = findings(&out.stdout);
    assert_eq!(triples(&f), vec![("deploy/.env".to_string(), 2, "acme-token".to_string())]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 binary"), "{stderr}");
    assert!(stderr.contains("1 too large"), "{stderr}");
    assert!(stderr.contains("1 special"), "{stderr}");
}

#[test]
fn symlinks_are_not_followed() {
    let dir = custom_tree();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "x.env", &format!("T={TOKEN_B}\n"));
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let (f, code) = scan_json(dir.path(), &[]);
    assert_eq!((f.len(), code), (1, 1));
}

#[test]
fn read_only_scan_leaves_tree_untouched() {
    let dir = custom_tree();
    let before = tree_listing(dir.path());
    keytrail().arg("scan").arg(dir.path()).args(["--format", "sarif"]).assert().code(1);
    assert_eq!(before, tree_listing(dir.path()));
}

fn tree_listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.push((e.display().to_string(), std::fs::read(&e).unwrap_or_default()));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn gitleaks_default_config_loads_and_detects() {
    let config = fixtures().join("gitleaks/gitleaks-default.toml");
    let list = keytrail().args(["rules", "list", "--format", "json", "--config"]).arg(&config).output().unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let rules: Vec<Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rules.len(), 222);
    let out = keytrail()
        .arg("scan")
        .arg(fixtures().join("planted"))
        .args(["--format", "json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let found = triples(&findings(&out.stdout));
    for (path, rule) in [
        ("config/settings.yaml", "github-pat"),
        ("deploy/.npmrc", "npm-access-token"),
        ("web/src/config.js", "slack-bot-token"),
        ("scripts/deploy.sh", "gitlab-pat"),
        ("deploy/keys/id_ed25519", "private-key"),
    ] {
        assert!(found.iter().any(|(p, _, r)| p == path && r == rule), "{rule} in {path}: {found:#?}");
    }
}
