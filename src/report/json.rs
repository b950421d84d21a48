//! JSON and JSONL reports: one object per finding, field names per the public contract.

use std::io::{self, Write};

use serde::Serialize;

use super::ReportContext;
use crate::finding::Finding;
use crate::origin::{GitIntroduction, Origin};
use crate::rules::{Confidence, Severity};

/// One finding as JSON. Field names are a public contract: add, never rename.
#[derive(Debug, Serialize)]
pub struct JsonFinding {
    pub rule: String,
    pub name: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub secret: String,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
    pub location: JsonLocation,
    /// The live check (`--validate`): status, identity, HTTP status, when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<crate::validate::Validation>,
    /// The other parts of the same credential found near it (same file), nearest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated>,
}

/// A part of the same credential beside a finding: its rule, value (redacted unless
/// `--reveal`), digest and position in the same file.
#[derive(Debug, Serialize)]
pub struct JsonRelated {
    pub rule: String,
    pub name: String,
    pub secret: String,
    pub digest: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Where a finding is. Source-specific fields are omitted when they don't apply.
#[derive(Debug, Default, Serialize)]
pub struct JsonLocation {
    pub source: &'static str,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub encoding: Vec<&'static str>,
    /// The key was found split by whitespace, line breaks, quote markers or invisible
    /// characters; the span covers the whole broken copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<bool>,
    /// The remote URL or repository path, when a remote or a list of repositories is scanned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The file at the commit that put the secret there, on the host's web pages (GitHub,
    /// GitLab, Gitea/Forgejo, Bitbucket remotes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// That commit's web page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit_url: Option<String>,
    // git
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refs: Option<Vec<String>>,
    /// How many refs reach it; `refs` names at most 100 of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refs_total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_head: Option<bool>,
    /// The latest commit that still held the secret at this path (absent when at HEAD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_commit: Option<String>,
    /// How many commits held the secret at this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits_total: Option<u64>,
    /// Every commit that put a blob holding the secret at this path, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introductions: Option<Vec<GitIntroduction>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<bool>,
    // chat
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    // host: processes
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// When the process started, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// The environment variable holding the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    // host: containers
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
}

impl JsonLocation {
    /// The location of `f`: its span plus the source-specific fields of its origin.
    pub fn new(f: &Finding) -> JsonLocation {
        let mut loc = JsonLocation {
            source: f.origin.source_kind(),
            path: f.origin.display_path(),
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
            encoding: f.encoding.clone(),
            broken: f.broken.then_some(true),
            ..Default::default()
        };
        match f.origin.root() {
            Origin::Git { oid, occurrence, .. } => {
                loc.blob = Some(oid.clone());
                match occurrence {
                    Some(o) => {
                        loc.commit = Some(o.commit.clone());
                        loc.author = Some(o.author.clone());
                        loc.email = Some(o.email.clone());
                        loc.date = Some(o.date.clone());
                        loc.summary = Some(o.summary.clone());
                        loc.refs = Some(o.refs.clone());
                        loc.refs_total = Some(o.refs_total);
                        loc.at_head = Some(o.at_head);
                        loc.last_commit = o.last_commit.clone();
                        loc.commits_total = Some(o.commits_total);
                        loc.introductions = Some(o.introductions.clone());
                    }
                    None => loc.unreachable = Some(true),
                }
            }
            Origin::Chat(m) => {
                loc.platform = Some(m.platform.as_str());
                loc.channel = m.channel.clone();
                loc.sender = m.sender.clone();
                loc.timestamp = m.timestamp.clone();
                loc.message_id = m.message_id.clone();
            }
            Origin::Process(p) => {
                loc.pid = Some(p.pid);
                loc.exe = p.exe.clone();
                loc.user = p.user.clone();
                loc.started = p.started.clone();
                loc.variable = p.variable.clone();
            }
            Origin::HostFile { container: Some(c), .. } => {
                loc.runtime = Some(c.runtime);
                loc.container_id = Some(c.id.clone());
                loc.container_name = c.name.clone();
            }
            _ => {}
        }
        loc
    }
}

impl JsonFinding {
    pub fn new(f: &Finding, ctx: &ReportContext) -> JsonFinding {
        let mut location = JsonLocation::new(f);
        location.repository = ctx.repository.clone();
        if let Some((url, commit_url)) = ctx.links.as_ref().and_then(|l| l.of_finding(f)) {
            location.url = Some(url);
            location.commit_url = Some(commit_url);
        }
        JsonFinding {
            rule: f.rule.id.clone(),
            name: f.rule.name.clone(),
            severity: f.rule.severity,
            confidence: f.confidence,
            secret: ctx.shown_secret(f),
            digest: f.digest.to_hex(),
            revoke: f.rule.revoke.clone(),
            location,
            validation: ctx.validations.get(f).cloned(),
            related: f
                .related
                .iter()
                .map(|r| JsonRelated {
                    rule: r.rule.id.clone(),
                    name: r.rule.name.clone(),
                    secret: ctx.shown(&r.secret),
                    digest: r.digest.to_hex(),
                    line: r.span.line,
                    column: r.span.column,
                    end_line: r.span.end_line,
                    end_column: r.span.end_column,
                })
                .collect(),
        }
    }
}

pub fn write_array(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<JsonFinding> = findings.iter().map(|f| JsonFinding::new(f, ctx)).collect();
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}

pub fn write_lines(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, &JsonFinding::new(f, ctx))?;
        writeln!(out)?;
    }
    Ok(())
}
