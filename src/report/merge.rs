//! `keytrail report merge`: JSON, JSONL and SARIF reports of many runs (one per repository)
//! merged into one, one SARIF run per repository, duplicates (same rule, secret digest and
//! location) dropped, with a summary per repository.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::sarif::{self, FINGERPRINT_KEY, LOCATION_FINGERPRINT_KEY, SCHEMA_URI};
use crate::rules::{Confidence, RuleInfo, Severity};

/// Errors reading a report to merge.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a keytrail JSON, JSONL or SARIF report: {message}")]
    Format { path: String, message: String },
    #[error(
        "{path}: is SARIF, and SARIF results cannot be turned back into keytrail findings: merge into --format sarif"
    )]
    SarifToFindings { path: String },
}

/// The findings of one repository, gathered from every report.
#[derive(Debug, Default)]
struct Bucket {
    /// keytrail findings (from JSON and JSONL reports).
    findings: Vec<Value>,
    /// SARIF results (from SARIF reports), with the rules they refer to.
    results: Vec<Value>,
    rules: BTreeMap<String, Value>,
    /// `versionControlProvenance` entries, distinct.
    vcs: Vec<Value>,
    seen: HashSet<String>,
    duplicates: usize,
    reports: BTreeSet<String>,
}

/// One repository's line of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoSummary {
    pub repository: String,
    /// Distinct findings after deduplication.
    pub findings: usize,
    /// Distinct secrets (digests).
    pub secrets: usize,
    /// Findings by severity: critical, high, medium, low.
    pub by_severity: [usize; 4],
    pub duplicates: usize,
    /// Reports that held findings of this repository.
    pub reports: usize,
}

/// Reports being merged.
#[derive(Debug, Default)]
pub struct Merge {
    repos: BTreeMap<String, Bucket>,
    /// The first SARIF report read (findings cannot be made of SARIF results).
    sarif_input: Option<String>,
}

impl Merge {
    pub fn new() -> Merge {
        Merge::default()
    }

    /// Reads one report (its kind told by its content).
    pub fn add_file(&mut self, path: &Path) -> Result<(), MergeError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| MergeError::Io { path: shown.clone(), source })?;
        self.add_text(&shown, &text)
    }

    /// Adds a report's text; `shown` names it in errors, and names the repository of
    /// findings that do not carry `location.repository`.
    pub fn add_text(&mut self, shown: &str, text: &str) -> Result<(), MergeError> {
        let bad = |message: String| MergeError::Format { path: shown.to_string(), message };
        let trimmed = text.trim_start_matches('\u{feff}').trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        let whole: Option<Value> = serde_json::from_str(trimmed).ok();
        let findings: Vec<Value> = match whole {
            Some(v) if v.get("runs").is_some() => return self.add_sarif(shown, &v).map_err(bad),
            Some(Value::Array(items)) => items,
            Some(v @ Value::Object(_)) => vec![v],
            Some(_) => return Err(bad("neither an array of findings nor a SARIF log".into())),
            None => trimmed
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| serde_json::from_str(l).map_err(|e| bad(format!("line {}: {e}", i + 1))))
                .collect::<Result<_, _>>()?,
        };
        // Check them all before taking any: a bad report adds nothing.
        for (i, f) in findings.iter().enumerate() {
            if f["rule"].as_str().is_none() || f["digest"].as_str().is_none() || !f["location"].is_object() {
                return Err(bad(format!("finding {} lacks \"rule\", \"digest\" or \"location\"", i + 1)));
            }
        }
        for mut f in findings {
            let repo = f["location"]["repository"].as_str().unwrap_or(shown).to_string();
            f["location"]["repository"] = json!(repo);
            let key = finding_key(&f);
            let bucket = self.repos.entry(repo).or_default();
            bucket.reports.insert(shown.to_string());
            if bucket.seen.insert(key) {
                bucket.findings.push(f);
            } else {
                bucket.duplicates += 1;
            }
        }
        Ok(())
    }

    fn add_sarif(&mut self, shown: &str, log: &Value) -> Result<(), String> {
        let runs = log["runs"].as_array().ok_or("\"runs\" is not an array")?;
        self.sarif_input.get_or_insert_with(|| shown.to_string());
        for (n, run) in runs.iter().enumerate() {
            let rules = run["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
            let run_repo = run["automationDetails"]["id"]
                .as_str()
                .and_then(|id| id.strip_prefix("keytrail/"))
                .map(|r| r.trim_end_matches('/').to_string())
                .or_else(|| run["versionControlProvenance"][0]["repositoryUri"].as_str().map(str::to_string))
                .unwrap_or_else(|| shown.to_string());
            let results = match &run["results"] {
                Value::Array(r) => r.as_slice(),
                Value::Null => &[],
                _ => return Err(format!("run {}: \"results\" is not an array", n + 1)),
            };
            for r in results {
                let mut r = r.clone();
                let repo = r["properties"]["repository"].as_str().map_or(run_repo.clone(), str::to_string);
                let rule_id = r["ruleId"].as_str().unwrap_or_default().to_string();
                let key = result_key(&r);
                let bucket = self.repos.entry(repo).or_default();
                bucket.reports.insert(shown.to_string());
                if let Some(vcs) = run["versionControlProvenance"].as_array() {
                    for v in vcs {
                        if !bucket.vcs.contains(v) {
                            bucket.vcs.push(v.clone());
                        }
                    }
                }
                if !bucket.seen.insert(key) {
                    bucket.duplicates += 1;
                    continue;
                }
                let descriptor = r["ruleIndex"]
                    .as_u64()
                    .and_then(|i| rules.get(i as usize))
                    .filter(|d| d["id"].as_str() == Some(rule_id.as_str()))
                    .or_else(|| rules.iter().find(|d| d["id"].as_str() == Some(rule_id.as_str())));
                if let Some(d) = descriptor {
                    bucket.rules.entry(rule_id).or_insert_with(|| d.clone());
                }
                if let Some(obj) = r.as_object_mut() {
                    obj.remove("ruleIndex");
                }
                bucket.results.push(r);
            }
        }
        Ok(())
    }

    /// One line per repository, by name.
    pub fn summaries(&self) -> Vec<RepoSummary> {
        self.repos
            .iter()
            .map(|(name, b)| {
                let mut by_severity = [0; 4];
                let mut secrets = BTreeSet::new();
                let severities = b.findings.iter().map(|f| (f["severity"].as_str(), f["digest"].as_str())).chain(
                    b.results.iter().map(|r| {
                        (
                            r["properties"]["severity"].as_str().or_else(|| level_severity(r["level"].as_str())),
                            r["partialFingerprints"][FINGERPRINT_KEY].as_str(),
                        )
                    }),
                );
                for (sev, digest) in severities {
                    let slot = match sev.and_then(Severity::parse) {
                        Some(Severity::Critical) => 0,
                        Some(Severity::High) => 1,
                        Some(Severity::Medium) => 2,
                        _ => 3,
                    };
                    by_severity[slot] += 1;
                    if let Some(d) = digest {
                        secrets.insert(d);
                    }
                }
                RepoSummary {
                    repository: name.clone(),
                    findings: b.findings.len() + b.results.len(),
                    secrets: secrets.len(),
                    by_severity,
                    duplicates: b.duplicates,
                    reports: b.reports.len(),
                }
            })
            .collect()
    }

    /// The merged findings as JSONL or a JSON array (JSON and JSONL inputs only).
    pub fn write_findings(&self, lines: bool, out: &mut dyn Write) -> Result<(), MergeWriteError> {
        if let Some(path) = &self.sarif_input {
            return Err(MergeError::SarifToFindings { path: path.clone() }.into());
        }
        let all = self.repos.values().flat_map(|b| b.findings.iter());
        if lines {
            for f in all {
                serde_json::to_writer(&mut *out, f).map_err(io::Error::from)?;
                writeln!(out)?;
            }
        } else {
            let all: Vec<&Value> = all.collect();
            serde_json::to_writer_pretty(&mut *out, &all).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Ok(())
    }

    /// The merged SARIF log: one run per repository, its category (`automationDetails.id`)
    /// naming the repository.
    pub fn write_sarif(&self, out: &mut dyn Write) -> io::Result<()> {
        let runs: Vec<Value> = self.repos.iter().map(|(name, b)| sarif_run(name, b)).collect();
        let log = json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// Errors writing a merged report.
#[derive(Debug, thiserror::Error)]
pub enum MergeWriteError {
    #[error(transparent)]
    Input(#[from] MergeError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn level_severity(level: Option<&str>) -> Option<&'static str> {
    match level? {
        "error" => Some("high"),
        "warning" => Some("medium"),
        _ => Some("low"),
    }
}

/// What makes two findings the same: rule, secret, and where (path, position, and the
/// commit or blob for git).
fn finding_key(f: &Value) -> String {
    let loc = &f["location"];
    let at = loc["commit"].as_str().or(loc["blob"].as_str()).or(loc["message_id"].as_str()).unwrap_or("");
    let path = loc["path"].as_str().unwrap_or("");
    let uri = if path == "-" { path.to_string() } else { sarif::uri(path) };
    key(f["rule"].as_str(), f["digest"].as_str(), &uri, loc["line"].as_u64(), loc["column"].as_u64(), at)
}

fn result_key(r: &Value) -> String {
    let Some(digest) = r["partialFingerprints"][FINGERPRINT_KEY].as_str() else {
        // Not a finding (the summary of a truncated run): the same only when identical.
        return r.to_string();
    };
    let phys = &r["locations"][0]["physicalLocation"];
    let p = &r["properties"];
    let at = p["commit"].as_str().or(p["blob"].as_str()).or(p["messageId"].as_str()).unwrap_or("");
    key(
        r["ruleId"].as_str(),
        Some(digest),
        phys["artifactLocation"]["uri"].as_str().unwrap_or(""),
        phys["region"]["startLine"].as_u64(),
        phys["region"]["startColumn"].as_u64(),
        at,
    )
}

fn key(rule: Option<&str>, digest: Option<&str>, uri: &str, line: Option<u64>, col: Option<u64>, at: &str) -> String {
    format!(
        "{}\0{}\0{uri}\0{}\0{}\0{at}",
        rule.unwrap_or(""),
        digest.unwrap_or(""),
        line.unwrap_or(0),
        col.unwrap_or(0)
    )
}

/// A keytrail finding as a SARIF result (rule index set by the caller).
fn finding_result(f: &Value, seen: &mut BTreeMap<String, u32>) -> Value {
    let loc = &f["location"];
    let rule = f["rule"].as_str().unwrap_or_default();
    let path = loc["path"].as_str().unwrap_or_default();
    let info = rule_info(f);
    let mut h = blake3::Hasher::new();
    for part in [rule, "\0", path, "\0", f["digest"].as_str().unwrap_or_default()] {
        h.update(part.as_bytes());
    }
    let hash = h.finalize().to_hex()[..32].to_string();
    let n = seen.entry(hash.clone()).or_insert(0);
    *n += 1;
    let artifact =
        if path == "-" { json!({ "uri": "-" }) } else { json!({ "uri": sarif::uri(path), "uriBaseId": "%SRCROOT%" }) };
    let mut region = Map::new();
    for (from, to) in
        [("line", "startLine"), ("column", "startColumn"), ("end_line", "endLine"), ("end_column", "endColumn")]
    {
        if let Some(v) = loc[from].as_u64().filter(|&v| v > 0) {
            region.insert(to.to_string(), json!(v));
        }
    }
    let mut props = Map::new();
    props.insert("secret".into(), f["secret"].clone());
    props.insert("severity".into(), json!(info.severity.as_str()));
    for (from, to) in [
        ("repository", "repository"),
        ("blob", "blob"),
        ("commit", "commit"),
        ("author", "author"),
        ("date", "date"),
        ("refs", "refs"),
        ("refs_total", "refs_total"),
        ("commits_total", "commits_total"),
        ("at_head", "at_head"),
        ("last_commit", "last_commit"),
        ("unreachable", "unreachable"),
        ("encoding", "encoding"),
        ("url", "url"),
        ("commit_url", "commitUrl"),
        ("platform", "platform"),
        ("message_id", "messageId"),
    ] {
        if !loc[from].is_null() {
            props.insert(to.into(), loc[from].clone());
        }
    }
    json!({
        "ruleId": rule,
        "level": sarif::level(info.severity).to_string(),
        "message": { "text": format!("{} detected. {}", info.name, sarif::revoke_line(&info)) },
        "locations": [{ "physicalLocation": { "artifactLocation": artifact, "region": region } }],
        "partialFingerprints": { FINGERPRINT_KEY: f["digest"], LOCATION_FINGERPRINT_KEY: format!("{hash}:{n}") },
        "properties": props,
    })
}

/// The rule of a finding, as far as the finding tells it.
fn rule_info(f: &Value) -> RuleInfo {
    let id = f["rule"].as_str().unwrap_or_default().to_string();
    RuleInfo {
        name: f["name"].as_str().map_or_else(|| id.clone(), str::to_string),
        id,
        provider: String::new(),
        severity: f["severity"].as_str().and_then(Severity::parse).unwrap_or(Severity::Medium),
        revoke: f["revoke"].as_str().map(str::to_string),
        keywords: Vec::new(),
        tags: Vec::new(),
        confidence: f["confidence"].as_str().and_then(Confidence::parse).unwrap_or(Confidence::Medium),
    }
}

/// A repository's name as a SARIF `repositoryUri`: URLs as they are, `user@host:path` as
/// `ssh://`; None for a local path (its absolute place is not known here).
fn repository_uri(name: &str) -> Option<String> {
    if name.contains("://") {
        return Some(name.to_string());
    }
    let (login, path) = name.split_once(':')?;
    (login.contains('@') && !login.contains('/')).then(|| format!("ssh://{login}/{}", path.trim_start_matches('/')))
}

fn sarif_run(name: &str, b: &Bucket) -> Value {
    let mut rules = b.rules.clone();
    for f in &b.findings {
        let info = rule_info(f);
        rules
            .entry(info.id.clone())
            .or_insert_with(|| serde_json::to_value(sarif::descriptor(&info)).unwrap_or(Value::Null));
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut seen = BTreeMap::new();
    let mut results: Vec<Value> = b.results.clone();
    results.extend(b.findings.iter().map(|f| finding_result(f, &mut seen)));
    for r in &mut results {
        if let Some(&i) = r["ruleId"].as_str().and_then(|id| index.get(id))
            && let Some(obj) = r.as_object_mut()
        {
            obj.insert("ruleIndex".into(), json!(i));
        }
    }
    let mut vcs = b.vcs.clone();
    if vcs.is_empty()
        && let Some(uri) = repository_uri(name)
    {
        vcs.push(json!({ "repositoryUri": uri, "mappedTo": { "uriBaseId": "%SRCROOT%" } }));
    }
    let mut run = json!({
        "tool": { "driver": {
            "name": "keytrail",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/keytrail/keytrail",
            "rules": rules.into_values().collect::<Vec<_>>(),
        } },
        "automationDetails": { "id": format!("keytrail/{name}/") },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if !vcs.is_empty() {
        run["versionControlProvenance"] = Value::Array(vcs);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(repo: Option<&str>, digest: &str, line: u64) -> Value {
        let mut f = json!({
            "rule": "acme-token", "name": "ACME token", "severity": "high", "secret": "acme…abcd",
            "digest": digest,
            "location": { "source": "git", "path": "a/b.env", "line": line, "column": 5, "end_line": line,
                          "end_column": 41, "commit": "c0ffee", "blob": "b10b" }
        });
        if let Some(r) = repo {
            f["location"]["repository"] = json!(r);
        }
        f
    }

    #[test]
    fn duplicates_across_reports_are_dropped_per_repository() {
        let mut m = Merge::new();
        let a = [finding(Some("https://h.io/o/a"), "d1", 3), finding(Some("https://h.io/o/a"), "d2", 4)];
        let text_a: String = a.iter().map(|f| format!("{f}\n")).collect();
        m.add_text("a.jsonl", &text_a).unwrap();
        // A retried job wrote the same findings again, plus one in another place.
        let b = json!([finding(Some("https://h.io/o/a"), "d1", 3), finding(Some("https://h.io/o/a"), "d1", 9)]);
        m.add_text("b.json", &b.to_string()).unwrap();
        m.add_text("c.jsonl", &format!("{}\n", finding(None, "d1", 3))).unwrap();
        let s = m.summaries();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].repository, "c.jsonl", "a report without location.repository names its repository");
        assert_eq!((s[1].findings, s[1].secrets, s[1].duplicates, s[1].reports), (3, 2, 1, 2));
        assert_eq!(s[1].by_severity, [0, 3, 0, 0]);
    }

    #[test]
    fn bad_reports_add_nothing_and_name_themselves() {
        let mut m = Merge::new();
        let e = m.add_text("x.jsonl", "{\"rule\":\"r\"}\nnot json\n").unwrap_err();
        assert!(e.to_string().starts_with("x.jsonl: not a keytrail"), "{e}");
        let e = m.add_text("y.json", "[{\"rule\":\"r\"}]").unwrap_err();
        assert!(e.to_string().contains("finding 1 lacks"), "{e}");
        assert!(m.summaries().is_empty());
    }

    #[test]
    fn sarif_input_cannot_become_findings() {
        let mut m = Merge::new();
        m.add_text("r.sarif", r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"keytrail"}},"results":[]}]}"#)
            .unwrap();
        let e = m.write_findings(true, &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("r.sarif: is SARIF"), "{e}");
    }

    #[test]
    fn scp_like_names_become_ssh_uris() {
        assert_eq!(repository_uri("git@github.com:o/r.git").as_deref(), Some("ssh://git@github.com/o/r.git"));
        assert_eq!(repository_uri("https://h.io/r").as_deref(), Some("https://h.io/r"));
        assert_eq!(repository_uri("./repos/a"), None);
    }
}
