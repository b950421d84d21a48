//! `keytrail fingerprint` and `keytrail trace`: every copy found, nothing else, no plaintext.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::keytrail;
use predicates::prelude::*;
use serde_json::Value;

/// A fake OpenAI-style project key (random; never a real credential).
const KEY: &str = "sk-proj-Qm7vX2kPz9LrT4wBn8YcJ5hF1dGs6aEu3iOy0tRqWpLx9KzV2mN7bC4jH8gF5dS1aT3BlbkFJr6Yw2Ht9Lk4Pz8Nx1Cv5Bm7Qa3Sd0Fg6Jh2Kl9Zx4Mn8Pq1Rt5Vw7Yb3Ce6Gi0";

fn fingerprint(dir: &Path, name: &str, stdin: &str, extra: &[&str]) -> std::process::Output {
    keytrail()
        .args(["fingerprint", "--label", "prod-openai", "-o"])
        .arg(dir.join(name))
        .args(extra)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The key planted in every context trace must see through, plus near misses.
fn planted_tree(dir: &Path) -> Vec<(&'static str, u64)> {
    let k = KEY;
    let minified = format!("{}var c={{apiKey:\"{k}\"}};{}", "a=1;".repeat(5000), "b=2;".repeat(5000));
    let files: Vec<(&str, String, u64)> = vec![
        ("quoted.txt", format!("the key is '{k}' ok\n"), 1),
        ("config.json", format!("{{\n  \"openai\": {{\"api_key\": \"{k}\"}}\n}}\n"), 2),
        ("values.yaml", format!("llm:\n  key: {k}\n"), 2),
        ("settings.toml", format!("[llm]\nkey = \"{k}\"\n"), 2),
        (".env", format!("OPENAI_API_KEY={k}\n"), 1),
        ("deploy.sh", format!("#!/bin/sh\nexport OPENAI_API_KEY={k}\n"), 2),
        ("urls.txt", format!("https://gw.example.com/v1/chat?api_key={k}&model=gpt\n"), 1),
        ("req.http", format!("POST /v1/chat HTTP/1.1\nAuthorization: Bearer {k}\n"), 2),
        ("client.py", format!("client = OpenAI(api_key=\"{k}\")\n"), 1),
        ("bundle.min.js", minified, 1),
        ("windows.ini", format!("[llm]\r\nkey={k}\r\n"), 2),
        // gitignored, still traced by default
        ("secret/.env.local", format!("KEY={k}\n"), 1),
        // through the decoders: base64, percent-encoding, a quoted-printable soft line break
        ("k8s.yaml", format!("data:\n  OPENAI: {}\n", base64::engine::general_purpose::STANDARD.encode(k)), 2),
        (
            "redirect.log",
            format!("GET /cb?token={} 302\n", k.bytes().map(|b| format!("%{b:02X}")).collect::<String>()),
            1,
        ),
        (
            "raw-message.txt",
            format!("Content-Transfer-Encoding: quoted-printable\n\nkey: {}=\n{}\n", &k[..40], &k[40..]),
            3,
        ),
    ];
    write(dir, ".gitignore", "secret/\n");
    // Near misses: a longer token containing the key, the key with one char changed,
    // a same-length same-hint token, the key cut short.
    let changed = k.replacen('Q', "R", 1);
    let same_hint = format!("sk-proj-{}{}", "x".repeat(k.len() - 12), &k[k.len() - 4..]);
    write(dir, "decoys.txt", &format!("A{k}\n{k}9\n{changed}\n{same_hint}\n{}\n", &k[..k.len() - 1]));
    for (p, text, _) in &files {
        write(dir, p, text);
    }
    files.into_iter().map(|(p, _, l)| (p, l)).collect()
}

#[test]
fn trace_finds_every_planted_copy_and_nothing_else() {
    let home = tempfile::tempdir().unwrap();
    let out = fingerprint(home.path(), "leaked.keytrail.toml", &format!("  \"{KEY}\"\n"), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = tempfile::tempdir().unwrap();
    let mut expected = planted_tree(tree.path());
    let out = keytrail()
        .args(["trace", "--format", "json", "-f"])
        .arg(home.path().join("leaked.keytrail.toml"))
        .arg(tree.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, u64)> = found
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], "fingerprint:prod-openai");
            (f["location"]["path"].as_str().unwrap().to_string(), f["location"]["line"].as_u64().unwrap())
        })
        .collect();
    got.sort();
    expected.sort();
    let expected: Vec<(String, u64)> = expected.into_iter().map(|(p, l)| (p.to_string(), l)).collect();
    assert_eq!(got, expected);
    // The same digest as a rule finding would carry: the contract's secret digest.
    assert!(found.iter().all(|f| f["digest"] == found[0]["digest"]));
}

#[test]
fn respect_ignore_skips_gitignored_files() {
    let home = tempfile::tempdir().unwrap();
    fingerprint(home.path(), "fp.toml", KEY, &[]);
    let tree = tempfile::tempdir().unwrap();
    let planted = planted_tree(tree.path());
    let out = keytrail()
        .args(["trace", "--respect-ignore", "--format", "json", "-f"])
        .arg(home.path().join("fp.toml"))
        .arg(tree.path())
        .output()
        .unwrap();
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found.iter().all(|f| !f["location"]["path"].as_str().unwrap().starts_with("secret/")));
    assert_eq!(found.len(), planted.len() - 1, "every planted copy but the gitignored one");
}

#[test]
fn no_plaintext_anywhere_and_fingerprint_file_holds_no_key_substring() {
    let home = tempfile::tempdir().unwrap();
    let fp = fingerprint(home.path(), "fp.toml", &format!("Bearer {KEY}\n"), &[]);
    let file = std::fs::read_to_string(home.path().join("fp.toml")).unwrap();
    let parsed: toml::Value = toml::from_str(&file).unwrap();
    let entry = &parsed["keys"][0];
    let public = entry.get("prefix").and_then(|p| p.as_str()).map_or(0, str::len).max(4);
    let chars: Vec<char> = KEY.chars().collect();
    for w in chars.windows(public + 1) {
        let sub: String = w.iter().collect();
        assert!(!file.contains(&sub), "fingerprint file holds key substring {sub:?}");
    }
    assert_eq!(entry["len"].as_integer(), Some(KEY.len() as i64));
    assert_eq!(entry["hint"].as_str(), Some(&KEY[KEY.len() - 4..]));
    let mut printed = String::from_utf8_lossy(&fp.stdout).to_string() + &String::from_utf8_lossy(&fp.stderr);
    let tree = tempfile::tempdir().unwrap();
    planted_tree(tree.path());
    for format in ["human", "json", "jsonl", "sarif"] {
        let report = home.path().join(format!("report.{format}"));
        let out = keytrail()
            .args(["trace", "--format", format, "-f"])
            .arg(home.path().join("fp.toml"))
            .arg(tree.path())
            .arg("-o")
            .arg(&report)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        printed += &String::from_utf8_lossy(&out.stdout);
        printed += &String::from_utf8_lossy(&out.stderr);
        printed += &std::fs::read_to_string(&report).unwrap();
        let out = keytrail()
            .args(["scan", "--format", format, "--fingerprints"])
            .arg(home.path().join("fp.toml"))
            .arg(tree.path())
            .output()
            .unwrap();
        printed += &String::from_utf8_lossy(&out.stdout);
        printed += &String::from_utf8_lossy(&out.stderr);
    }
    assert!(printed.contains("prod-openai"));
    assert!(!printed.contains(KEY), "the key leaked into keytrail's output");
    assert!(!printed.contains(&KEY[8..40]), "a long part of the key leaked into keytrail's output");
}

#[test]
fn salted_digests_differ_and_files_travel() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    fingerprint(a.path(), "fp.toml", KEY, &[]);
    fingerprint(b.path(), "fp.toml", KEY, &[]);
    let fa: toml::Value = toml::from_str(&std::fs::read_to_string(a.path().join("fp.toml")).unwrap()).unwrap();
    let fb: toml::Value = toml::from_str(&std::fs::read_to_string(b.path().join("fp.toml")).unwrap()).unwrap();
    assert_ne!(fa["salt"], fb["salt"]);
    assert_ne!(fa["keys"][0]["digest"], fb["keys"][0]["digest"]);
    // "Another machine": only the file is carried over.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(a.path().join("fp.toml"), elsewhere.path().join("carried.toml")).unwrap();
    write(elsewhere.path(), "tree/app.env", &format!("KEY={KEY}\n"));
    keytrail()
        .args(["trace", "-q", "-f"])
        .arg(elsewhere.path().join("carried.toml"))
        .arg(elsewhere.path().join("tree"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("found in 1 file"));
}

#[test]
fn append_keeps_the_salt_and_short_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fingerprint(dir.path(), "fp.toml", KEY, &[]);
    let before: toml::Value = toml::from_str(&std::fs::read_to_string(dir.path().join("fp.toml")).unwrap()).unwrap();
    let out = keytrail()
        .args(["fingerprint", "--label", "second", "--append", "-o"])
        .arg(dir.path().join("fp.toml"))
        .write_stdin("ghp_Xy7Qw2Lm9Rt4Vb8Nc3Kd6Hf1Js5Pa0Ze2Ug7\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after: toml::Value = toml::from_str(&std::fs::read_to_string(dir.path().join("fp.toml")).unwrap()).unwrap();
    assert_eq!(before["salt"], after["salt"]);
    assert_eq!(after["keys"].as_array().unwrap().len(), 2);
    // Without --append an existing file is not overwritten.
    assert_eq!(fingerprint(dir.path(), "fp.toml", KEY, &[]).status.code(), Some(2));
    // Short keys: refused with the reason, accepted with --allow-short.
    let out = fingerprint(dir.path(), "short.toml", "hunter2hunter\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("brute force"));
    assert!(!dir.path().join("short.toml").exists());
    let out = fingerprint(dir.path(), "short.toml", "hunter2hunter\n", &["--allow-short", "--no-hint"]);
    assert!(out.status.success());
    assert!(!std::fs::read_to_string(dir.path().join("short.toml")).unwrap().contains("hint"));
}

#[test]
fn keys_are_never_taken_from_arguments() {
    keytrail().args(["fingerprint", KEY]).assert().code(2);
}

#[test]
fn keys_not_found_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    fingerprint(dir.path(), "fp.toml", KEY, &[]);
    write(dir.path(), "tree/a.txt", "nothing\n");
    keytrail()
        .args(["trace", "-f"])
        .arg(dir.path().join("fp.toml"))
        .arg(dir.path().join("tree"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("prod-openai").and(predicate::str::contains("not found")));
}

#[test]
fn corrupt_fingerprint_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", "version = 1\nsalt = \"nothex\"\n");
    keytrail()
        .args(["trace", "-f"])
        .arg(dir.path().join("bad.toml"))
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml"));
}
