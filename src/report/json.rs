//! JSON and JSONL reports: one object per finding, field names per the public contract.

use std::io::{self, Write};

use serde::Serialize;

use super::ReportContext;
use crate::finding::Finding;
use crate::rules::Severity;

/// One finding as JSON. Field names are a public contract: add, never rename.
#[derive(Debug, Serialize)]
pub struct JsonFinding {
    pub rule: String,
    pub name: String,
    pub severity: Severity,
    pub secret: String,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
    pub location: JsonLocation,
}

/// Where a finding is. Source-specific fields are omitted when they don't apply.
#[derive(Debug, Serialize)]
pub struct JsonLocation {
    pub source: &'static str,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl JsonFinding {
    pub fn new(f: &Finding, ctx: &ReportContext) -> JsonFinding {
        JsonFinding {
            rule: f.rule.id.clone(),
            name: f.rule.name.clone(),
            severity: f.rule.severity,
            secret: ctx.shown_secret(f),
            digest: f.digest.to_hex(),
            revoke: f.rule.revoke.clone(),
            location: JsonLocation {
                source: f.origin.source_kind(),
                path: f.origin.display_path(),
                line: f.span.line,
                column: f.span.column,
                end_line: f.span.end_line,
                end_column: f.span.end_column,
            },
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
