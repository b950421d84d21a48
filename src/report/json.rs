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
            _ => {}
        }
        loc
    }
}

impl JsonFinding {
    pub fn new(f: &Finding, ctx: &ReportContext) -> JsonFinding {
        JsonFinding {
            rule: f.rule.id.clone(),
            name: f.rule.name.clone(),
            severity: f.rule.severity,
            confidence: f.confidence,
            secret: ctx.shown_secret(f),
            digest: f.digest.to_hex(),
            revoke: f.rule.revoke.clone(),
            location: JsonLocation::new(f),
            validation: ctx.validations.get(f).cloned(),
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
