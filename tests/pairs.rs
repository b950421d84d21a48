//! Credentials in parts: findings carry their partners nearby (`related` in JSON, SARIF
//! `relatedLocations`), each part is still found alone, identifiers are never reported alone.

mod common;

use common::{findings, fixtures, keytrail};
use serde_json::Value;

fn scan_json(args: &[&str]) -> Vec<Value> {
    let out =
        keytrail().arg("scan").arg(fixtures().join("pairs")).args(args).args(["--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    findings(&out.stdout)
}

fn at<'a>(all: &'a [Value], path: &str, line: u64) -> &'a Value {
    all.iter()
        .find(|f| f["location"]["path"] == path && f["location"]["line"] == line)
        .unwrap_or_else(|| panic!("no finding at {path}:{line} in {all:#?}"))
}

/// (rule, line) of each related part of a finding, in the order reported.
fn related(f: &Value) -> Vec<(String, u64)> {
    f["related"]
        .as_array()
        .map(|a| a.iter().map(|r| (r["rule"].as_str().unwrap().to_string(), r["line"].as_u64().unwrap())).collect())
        .unwrap_or_default()
}

#[test]
fn each_aws_key_id_is_paired_with_the_nearest_secret_both_ways() {
    let all = scan_json(&[]);
    assert_eq!(related(at(&all, "credentials", 2)), [("aws-secret-access-key".to_string(), 3)]);
    assert_eq!(related(at(&all, "credentials", 3)), [("aws-access-key-id".to_string(), 2)]);
    assert_eq!(related(at(&all, "credentials", 7)), [("aws-secret-access-key".to_string(), 8)]);
    assert_eq!(related(at(&all, "credentials", 8)), [("aws-access-key-id".to_string(), 7)]);
    let part = &at(&all, "credentials", 2)["related"][0];
    assert_eq!(part["column"], 25);
    assert_eq!(part["digest"], at(&all, "credentials", 3)["digest"], "the part's digest is the secret finding's");
    let shown = part["secret"].as_str().unwrap();
    assert!(shown.contains('…') && shown.len() < 20, "related parts are redacted: {shown}");
}

#[test]
fn identifiers_are_related_parts_but_never_findings() {
    let all = scan_json(&[]);
    let rules: Vec<&str> = all.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for id in ["azure-tenant-id", "azure-client-id", "plaid-client-id", "twilio-account-sid", "algolia-app-id"] {
        assert!(!rules.contains(&id), "{id} is reported on its own: {rules:?}");
    }
    let azure = at(&all, "config/azure-sp.json", 4);
    assert_eq!(azure["rule"], "azure-ad-client-secret");
    assert_eq!(related(azure), [("azure-tenant-id".to_string(), 5), ("azure-client-id".to_string(), 2)]);
    let plaid = at(&all, "config/app.env", 3);
    assert_eq!(plaid["rule"], "plaid-secret-key");
    assert_eq!(related(plaid), [("plaid-client-id".to_string(), 2)]);
}

#[test]
fn parts_too_far_apart_are_not_related_and_still_found() {
    let all = scan_json(&[]);
    // The auth token is 15 lines from the account SID (the reach is 10).
    let twilio = at(&all, "config/app.env", 5);
    assert_eq!(twilio["rule"], "twilio-auth-token");
    assert!(twilio.get("related").is_none(), "{twilio:#}");
    assert_eq!(all.len(), 7, "{all:#?}");
}

#[test]
fn a_part_alone_is_found_without_its_partner() {
    let out = keytrail()
        .args(["scan", "-", "--format", "json"])
        .write_stdin("AWS_SECRET_ACCESS_KEY=x3nDJcrqmaaFpt8pJ82qpEmqCDOmTPAHUySAOMQ0\n")
        .output()
        .unwrap();
    let all = findings(&out.stdout);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["rule"], "aws-secret-access-key");
    assert!(all[0].get("related").is_none());
}

#[test]
fn disabling_a_partner_drops_the_link_not_the_finding() {
    let all = scan_json(&["--disable-rule", "aws-secret-access-key"]);
    let id = at(&all, "credentials", 2);
    assert_eq!(id["rule"], "aws-access-key-id");
    assert!(id.get("related").is_none());
}

#[test]
fn sarif_results_carry_related_locations() {
    let out = keytrail().arg("scan").arg(fixtures().join("pairs")).args(["--format", "sarif"]).output().unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let azure = results.iter().find(|r| r["ruleId"] == "azure-ad-client-secret").unwrap();
    let rel = azure["relatedLocations"].as_array().unwrap();
    assert_eq!(rel.len(), 2);
    assert_eq!(rel[0]["id"], 1);
    assert_eq!(rel[0]["physicalLocation"]["region"]["startLine"], 5);
    assert_eq!(
        rel[0]["physicalLocation"]["artifactLocation"]["uri"],
        azure["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    );
    assert!(rel[0]["message"]["text"].as_str().unwrap().contains("[azure-tenant-id]"));
    let twilio = results.iter().find(|r| r["ruleId"] == "twilio-auth-token").unwrap();
    assert!(twilio.get("relatedLocations").is_none());
}

#[test]
fn human_report_names_the_parts() {
    let out = keytrail().arg("scan").arg(fixtures().join("pairs")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("with   plaid-client-id 5cd3…6e6d at 2:17"), "{text}");
}

#[test]
fn a_partner_that_does_not_exist_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        r#"[[rules]]
id = "acme-key"
keywords = ["acme"]
regex = '''acme_key=(?P<secret>[a-z0-9]{20})'''
partners = ["acme-nope"]
"#,
    )
    .unwrap();
    let out = keytrail().args(["scan", "-", "--rules"]).arg(&rules).write_stdin("x").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("names partner \"acme-nope\", which is not defined"), "{err}");
}
