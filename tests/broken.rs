//! Broken copies: keys wrapped at 76 columns, quoted with `> `, split by a zero-width space —
//! found by `trace` (the digest decides) and by `scan` in chat and mail, never in plaintext.

mod common;

use std::path::Path;

use common::{findings, fixtures, keytrail};
use keytrail::secret::Digest;
use serde_json::Value;

/// The fake OpenAI-style key of fixtures/broken (random; never a real credential).
const KEY: &str = "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";
/// The fake GitHub tokens of fixtures/broken: wrapped mail, quoted reply, Slack with U+200B.
const WRAPPED: &str = "ghp_EOPIWldukWweFfWKP2P0VcDgaL3wETrxUUB2";
const QUOTED: &str = "ghp_M4ia5Kb3BM9g92JMNkzwgjylQc8bGtfhwBVX";
const ZERO_WIDTH: &str = "ghp_MXgugZVmprPgeT3JBq1J6gshYP5M6dgvmUUc";

fn fingerprint(dir: &Path, key: &str) -> std::path::PathBuf {
    let path = dir.join("fp.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "staging-openai", "-o"])
        .arg(&path)
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

fn trace(fp: &Path, path: &Path, extra: &[&str]) -> (Vec<Value>, String) {
    let out = keytrail().args(["trace", "--format", "json", "-f"]).arg(fp).arg(path).args(extra).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (findings(&out.stdout), text)
}

/// No 12-character piece of any planted key appears in `text`.
fn assert_no_plaintext(text: &str) {
    for key in [KEY, WRAPPED, QUOTED, ZERO_WIDTH] {
        for start in (4..key.len() - 12).step_by(4) {
            assert!(!text.contains(&key[start..start + 12]), "output holds a piece of a key: {text}");
        }
    }
}

#[test]
fn trace_finds_wrapped_quoted_and_zero_width_copies() {
    let home = tempfile::tempdir().unwrap();
    let fp = fingerprint(home.path(), KEY);
    let (found, text) = trace(&fp, &fixtures().join("broken"), &[]);
    let mut got: Vec<(String, u64, u64, String)> = found
        .iter()
        .map(|f| {
            let l = &f["location"];
            assert_eq!(l["broken"], true, "{f}");
            assert_eq!(f["digest"].as_str(), Some(Digest::of(KEY.as_bytes()).to_hex().as_str()));
            let path = l["path"].as_str().unwrap().to_string();
            (path, l["line"].as_u64().unwrap(), l["end_line"].as_u64().unwrap(), l["source"].as_str().unwrap().into())
        })
        .collect();
    got.sort();
    // Each copy spans every line it was broken over.
    assert_eq!(
        got,
        vec![
            ("mail/reply.eml".to_string(), 4, 7, "chat".to_string()),
            ("mail/wrapped.eml".to_string(), 1, 3, "chat".to_string()),
            ("slack/incidents/2026-11-10.json".to_string(), 1, 1, "chat".to_string()),
            ("ticket-5120.txt".to_string(), 5, 7, "file".to_string()),
        ]
    );
    assert_no_plaintext(&text);
    let human = keytrail().args(["trace", "-f"]).arg(&fp).arg(fixtures().join("broken")).output().unwrap();
    let human = String::from_utf8_lossy(&human.stdout).into_owned();
    assert!(human.contains("broken copy"), "{human}");
    assert_no_plaintext(&human);
    // Exact copies only: none of these is one.
    let (found, _) = trace(&fp, &fixtures().join("broken"), &["--no-broken"]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_broken_copy_one_character_off_is_no_match() {
    let home = tempfile::tempdir().unwrap();
    let fp = fingerprint(home.path(), KEY);
    let tree = tempfile::tempdir().unwrap();
    let off = KEY.replacen('W', "V", 1);
    let texts = [
        format!("key:\n{}\n{}\n", &off[..76], &off[76..]),
        format!("> {}\n> {}\n", &KEY[..70], &KEY[71..]),
        format!("{}\u{200B}x{}\n", &KEY[..50], &KEY[50..]),
        format!("A{}\n{}\n", &KEY[..76], &KEY[76..]),
    ];
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(tree.path().join(format!("near-{i}.txt")), t).unwrap();
    }
    // The real broken copy next to them is found.
    std::fs::write(tree.path().join("real.txt"), format!("{}\r\n> {}\n", &KEY[..76], &KEY[76..])).unwrap();
    let (found, text) = trace(&fp, tree.path(), &[]);
    let paths: Vec<&str> = found.iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["real.txt"]);
    assert_no_plaintext(&text);
}

#[test]
fn scan_joins_split_tokens_in_chat_and_mail() {
    let out = keytrail().arg("scan").arg(fixtures().join("broken")).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let found = findings(&out.stdout);
    let mut gh: Vec<(String, String, bool)> = found
        .iter()
        .filter(|f| f["rule"] == "github-pat-classic")
        .map(|f| {
            let l = &f["location"];
            (l["path"].as_str().unwrap().to_string(), f["digest"].as_str().unwrap().to_string(), l["broken"] == true)
        })
        .collect();
    gh.sort();
    let digest = |k: &str| Digest::of(k.as_bytes()).to_hex();
    assert_eq!(
        gh,
        vec![
            ("mail/reply.eml".to_string(), digest(QUOTED), true),
            ("mail/wrapped.eml".to_string(), digest(WRAPPED), true),
            ("slack/incidents/2026-11-10.json".to_string(), digest(ZERO_WIDTH), true),
        ]
    );
    // The OpenAI key in each message is found whole (not its first line), and no line of the
    // Slack message is joined to the next.
    let openai: Vec<&Value> = found.iter().filter(|f| f["location"]["source"] == "chat").collect();
    for f in openai.iter().filter(|f| f["rule"] == "openai-project-key") {
        assert_eq!(f["digest"].as_str(), Some(digest(KEY).as_str()), "{f}");
    }
    assert_eq!(openai.len(), 6, "{openai:?}");
    assert_no_plaintext(&text);
}
