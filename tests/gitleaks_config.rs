//! gitleaks configs as gitleaks documents them: `[extend]` (useDefault, path, nested,
//! disabledRules with gitleaks ids), extending a default rule, repeated ids, secretGroup,
//! composite rules (`[[rules.required]]`, `skipReport`) and `.gitleaksignore`.

mod common;

use std::path::Path;

use common::{findings, keytrail, triples};
use serde_json::Value;

const GHP: &str = "ghp_GouSHrcvm2i4JSyw8zIDmjEU6QtBalmMRbCJ";
const TOKEN_A: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scan(dir: &Path, extra: &[&str]) -> (Vec<(String, u64, String)>, String, i32) {
    let out = keytrail().current_dir(dir).args(["scan", ".", "--format", "json"]).args(extra).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap();
    if code == 2 {
        return (Vec::new(), stderr, code);
    }
    (triples(&findings(&out.stdout)), stderr, code)
}

fn rule_ids(config: &Path) -> (Vec<String>, String) {
    let out = keytrail().args(["rules", "list", "--format", "json", "--config"]).arg(config).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    (v.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect(), stderr)
}

const ACME: &str = r#"
[[rules]]
id = "acme-token"
description = "ACME deploy token"
regex = '''\b(acme_[A-Za-z0-9]{32})\b'''
keywords = ["acme_"]
"#;

#[test]
fn a_rule_with_a_default_rules_id_extends_it() {
    // gitleaks' documented way to add an allowlist to a default rule.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".gitleaks.toml",
        r#"
[extend]
useDefault = true

[[rules]]
id = "github-pat"
[[rules.allowlists]]
description = "test fixtures"
paths = ['''(^|/)testdata/''']
"#,
    );
    write(d, "app/ci.env", &format!("GH_TOKEN={GHP}\n"));
    write(d, "testdata/ci.env", &format!("GH_TOKEN={GHP}\n"));
    let (got, stderr, code) = scan(d, &[]);
    assert_eq!(code, 1, "{stderr}");
    // Still the built-in rule, with its regex; the fixture copy is allowlisted.
    assert_eq!(got, [("app/ci.env".to_string(), 1, "github-pat-classic".to_string())], "{stderr}");
    let (ids, _) = rule_ids(&d.join(".gitleaks.toml"));
    assert!(ids.len() > 100 && ids.iter().filter(|i| *i == "github-pat-classic").count() == 1);
    assert!(!ids.iter().any(|i| i == "github-pat"), "no new rule named after the gitleaks id");
}

#[test]
fn extend_path_is_relative_to_the_config_and_nests() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // top -> configs/base.toml -> configs/shared/acme.toml (each relative to its own file).
    write(
        d,
        "repo/.gitleaks.toml",
        "[extend]\npath = \"../configs/base.toml\"\n\n[[rules]]\nid = \"acme-token\"\n[[rules.allowlists]]\nstopwords = [\"q8vn3\"]\n",
    );
    write(d, "configs/base.toml", "title = \"base\"\n[extend]\npath = \"shared/acme.toml\"\n");
    write(d, "configs/shared/acme.toml", &format!("[extend]\nuseDefault = true\n{ACME}"));
    let (ids, stderr) = rule_ids(&d.join("repo/.gitleaks.toml"));
    assert!(ids.contains(&"acme-token".to_string()) && ids.len() > 100, "{stderr}");
    // The top config's allowlist extends the base's rule: its token is dropped.
    write(d, "repo/app.env", &format!("ACME={TOKEN_A}\nOTHER=acme_Z3rT8wQe1YuI6oPa4SdF9gHj2KlX7cVb\n"));
    let (got, stderr, _) = scan(&d.join("repo"), &["--disable-rule", "generic-secret-assignment"]);
    assert_eq!(got, [("app.env".to_string(), 2, "acme-token".to_string())], "{stderr}");
    // Run from elsewhere: the same (paths follow the config file, not the current directory).
    let out = keytrail().current_dir(d).args(["rules", "list", "--config", "repo/.gitleaks.toml"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A cycle is an error, not a hang.
    write(d, "loop/a.toml", "[extend]\npath = \"b.toml\"\n");
    write(d, "loop/b.toml", "[extend]\npath = \"a.toml\"\n");
    let out = keytrail().args(["rules", "list", "--config"]).arg(d.join("loop/a.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("leads back to itself"));
}

#[test]
fn a_repeated_rule_id_keeps_the_last_definition() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = format!(
        "{ACME}\n[[rules]]\nid = \"acme-token\"\ndescription = \"second\"\nregex = '''\\bacme_only_this_[0-9]{{4}}\\b'''\nkeywords = [\"acme_only\"]\n"
    );
    write(d, "x.toml", &config);
    write(d, "app.env", &format!("A={TOKEN_A}\nB=acme_only_this_1234\n"));
    let (got, stderr, _) = scan(d, &["--config", "x.toml"]);
    assert_eq!(got, [("app.env".to_string(), 2, "acme-token".to_string())], "{stderr}");
}

#[test]
fn disabled_rules_take_gitleaks_ids_and_unknown_ones_warn() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "g.toml",
        "[extend]\nuseDefault = true\ndisabledRules = [\"generic-api-key\", \"github-pat\", \"some-rule-we-lack\"]\n",
    );
    let (ids, stderr) = rule_ids(&d.join("g.toml"));
    assert!(!ids.contains(&"generic-secret-assignment".to_string()));
    assert!(!ids.contains(&"github-pat-classic".to_string()));
    assert!(ids.contains(&"github-pat-fine-grained".to_string()));
    assert!(stderr.contains("warning") && stderr.contains("some-rule-we-lack"), "{stderr}");
}

#[test]
fn a_config_without_use_default_has_its_rules_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Named like a keytrail config, given with --config: gitleaks' meaning.
    write(d, "team.keytrail.toml", ACME);
    let (ids, _) = rule_ids(&d.join("team.keytrail.toml"));
    assert_eq!(ids, ["acme-token"]);
    write(d, "allow-only.toml", "[[allowlists]]\npaths = ['''vendor/''']\n");
    let (ids, stderr) = rule_ids(&d.join("allow-only.toml"));
    assert!(ids.is_empty());
    assert!(stderr.contains("defines no rules"), "{stderr}");
}

#[test]
fn out_of_range_secret_group_is_an_error_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "bad.toml", "[[rules]]\nid = \"two-groups\"\nregex = '''(key)=([a-z]{8})'''\nsecretGroup = 3\n");
    let out = keytrail().args(["rules", "list", "--config"]).arg(d.join("bad.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("two-groups") && stderr.contains("secretGroup 3") && stderr.contains("2 capture groups"),
        "{stderr}"
    );
    write(d, "ok.toml", "[[rules]]\nid = \"two-groups\"\nregex = '''(key)=([a-z]{8})'''\nsecretGroup = 2\n");
    keytrail().args(["rules", "list", "--config"]).arg(d.join("ok.toml")).assert().success();
}

#[test]
fn composite_rules_need_their_parts_nearby_and_skip_report_hides_parts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "c.toml",
        r#"
[[rules]]
id = "acme-client-id"
description = "ACME client id (only reported with its secret)"
regex = '''\b(acmeid_[a-z0-9]{12})\b'''
keywords = ["acmeid_"]
skipReport = true

[[rules]]
id = "acme-client-secret"
description = "ACME client secret"
regex = '''\bacmesecret_([A-Za-z0-9]{24})\b'''
keywords = ["acmesecret_"]
[[rules.required]]
id = "acme-client-id"
withinLines = 2
"#,
    );
    let secret = "acmesecret_Q8vN3LxT0pR7sKe2WbY5mZc9";
    write(d, "pair.env", &format!("ID=acmeid_abc123def456\nSECRET={secret}\n"));
    write(d, "alone.env", &format!("SECRET={secret}\n"));
    write(d, "far.env", &format!("ID=acmeid_abc123def456\n{}SECRET={secret}\n", "\n".repeat(5)));
    write(d, "id-only.env", "ID=acmeid_abc123def456\n");
    let (got, stderr, code) = scan(d, &["--config", "c.toml"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(got, [("pair.env".to_string(), 2, "acme-client-secret".to_string())], "{stderr}");
    // A required rule that does not exist is an error.
    write(d, "broken.toml", "[[rules]]\nid = \"x\"\nregex = '''x_[0-9]{8}'''\n[[rules.required]]\nid = \"nope\"\n");
    let out = keytrail().args(["rules", "list", "--config"]).arg(d.join("broken.toml")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("requires rule \"nope\""));
}

#[test]
fn gitleaksignore_fingerprints_drop_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    common::git(d, &["init", "-q", "-b", "main"]);
    write(d, ".gitleaks.toml", &format!("[extend]\nuseDefault = true\n{ACME}"));
    write(d, "app/one.env", &format!("X=1\nACME={TOKEN_A}\n"));
    write(d, "app/two.env", &format!("ACME={TOKEN_A}\n"));
    write(d, "ci.env", &format!("GH_TOKEN={GHP}\n"));
    common::git(d, &["add", "-A"]);
    common::git(d, &["commit", "-q", "-m", "keys"]);
    let head = String::from_utf8(
        std::process::Command::new("git").arg("-C").arg(d).args(["rev-parse", "HEAD"]).output().unwrap().stdout,
    )
    .unwrap();
    let head = head.trim();
    // Files: `file:rule:line`, with gitleaks' rule id for a built-in rule.
    write(d, ".gitleaksignore", "# reviewed: test keys\napp/one.env:acme-token:2\nci.env:github-pat:1\n");
    let (got, stderr, _) = scan(d, &["--disable-rule", "generic-secret-assignment"]);
    assert_eq!(got, [("app/two.env".to_string(), 1, "acme-token".to_string())], "{stderr}");
    // History: `commit:file:rule:line`.
    write(d, ".gitleaksignore", &format!("{head}:app/two.env:acme-token:1\n"));
    let out = keytrail()
        .current_dir(d)
        .args(["scan", "--git", ".", "--format", "json", "--disable-rule", "generic-secret-assignment"])
        .output()
        .unwrap();
    let got = triples(&findings(&out.stdout));
    assert_eq!(
        got,
        [
            ("app/one.env".to_string(), 2, "acme-token".to_string()),
            ("ci.env".to_string(), 1, "github-pat-classic".to_string())
        ],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
