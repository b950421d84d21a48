//! The built-in rule set: enough rules, complete metadata, and every example checked.

mod common;

use common::keytrail;
use keytrail::Engine;
use keytrail::rules::{self, RuleOptions, check};

#[test]
fn builtin_rules_have_complete_metadata() {
    let mut count = 0;
    for (file, text) in rules::builtin_files() {
        let def = rules::parse_rule_text(text, file).unwrap();
        for r in &def.rules {
            count += 1;
            let missing: Vec<&str> = [
                ("name", r.name.is_some()),
                ("provider", r.provider.as_deref().is_some_and(|p| !p.is_empty())),
                ("severity", r.severity.is_some()),
                ("revoke", r.revoke.as_deref().is_some_and(|p| !p.is_empty())),
                ("regex", r.regex.is_some()),
                ("examples", !r.examples.is_empty()),
                ("negative_examples", !r.negative_examples.is_empty()),
            ]
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(n, _)| n)
            .collect();
            assert!(missing.is_empty(), "{file}: rule {} lacks {missing:?}", r.id);
        }
    }
    assert!(count >= 120, "only {count} built-in rules");
}

#[test]
fn every_builtin_example_and_negative_example_holds() {
    let engine = Engine::new(rules::load_rules(&RuleOptions::default()).unwrap());
    let failures = check::check(&engine, |_| true);
    let text: Vec<String> = failures.iter().map(|f| format!("{}: {}: {}", f.file, f.rule, f.message)).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), text.join("\n"));
}

#[test]
fn rules_check_cli_reports_failures() {
    keytrail().args(["rules", "check"]).assert().code(0);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        r#"
[[rules]]
id = "demo-token"
name = "Demo"
keywords = ["demo_"]
regex = '''(?P<secret>demo_[a-z]{8})'''
examples = ["demo_ABCDEFGH"]
negative_examples = ["demo_abcdefgh"]
"#,
    )
    .unwrap();
    let out = keytrail().args(["rules", "check"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("demo-token: example 1 does not match"), "{text}");
    assert!(text.contains("demo-token: negative example 1 matches"), "{text}");
}

#[test]
fn rules_list_json_has_the_public_fields() {
    let out = keytrail().args(["rules", "list", "--format", "json"]).output().unwrap();
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.len() >= 120);
    for r in &v {
        for k in ["id", "name", "provider", "severity", "keywords"] {
            assert!(r.get(k).is_some(), "rule {} lacks {k}", r["id"]);
        }
    }
}

#[test]
fn path_only_rules_see_binary_files_in_dirs_and_staged_changes() {
    // gitleaks' own pkcs12-file rule: a PKCS #12 bundle is binary, and the file is the finding.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join(".gitleaks.toml"),
        "[[rules]]\nid = \"pkcs12-file\"\ndescription = \"PKCS #12 file\"\npath = '''(?i)(?:^|\\/)[^\\/]+\\.p(?:12|fx)$'''\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("certs")).unwrap();
    let p12 = [&[0x30u8, 0x82, 0x0a, 0x3d, 0x02, 0x01, 0x03, 0x00][..], &[0xa5; 64]].concat();
    std::fs::write(d.join("certs/client.p12"), &p12).unwrap();
    std::fs::write(d.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0, 0, 0]).unwrap();
    let out = keytrail().args(["scan", "--format", "json"]).arg(d).output().unwrap();
    let found = common::findings(&out.stdout);
    let hits: Vec<(&str, &str)> =
        found.iter().map(|f| (f["rule"].as_str().unwrap(), f["location"]["path"].as_str().unwrap())).collect();
    assert_eq!(hits, [("pkcs12-file", "certs/client.p12")], "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 skipped"), "both binaries are still counted as skipped");
    assert_eq!(out.status.code(), Some(1));
    let human = keytrail().arg("scan").arg(d).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("the file itself (matched by its path)"));

    common::git(d, &["init", "-q", "-b", "main"]);
    common::git(d, &["add", "certs/client.p12"]);
    let out = keytrail().args(["scan", "--staged", "--format", "json"]).current_dir(d).output().unwrap();
    let found = common::findings(&out.stdout);
    assert_eq!(found.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!((&found[0]["rule"], &found[0]["location"]["source"]), (&"pkcs12-file".into(), &"staged".into()));
}
