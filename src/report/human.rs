//! The human report: findings grouped by file, redacted, with where to revoke each key.

use std::io::{self, Write};

use super::ReportContext;
use std::collections::BTreeMap;

use crate::finding::Finding;
use crate::origin::{GitOccurrence, Origin};
use crate::rules::Severity;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

pub fn write(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let (git, other): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| matches!(&*f.origin, Origin::Git { .. }));
    write_by_file(&other, ctx, out)?;
    if !git.is_empty() {
        if !other.is_empty() {
            writeln!(out)?;
        }
        write_git(&git, ctx, out)?;
    }
    Ok(())
}

/// Paths listed under one secret in the human report (JSON lists them all).
const MAX_PATHS_SHOWN: usize = 10;
/// Refs named per path in the human report.
const MAX_REFS_SHOWN: usize = 5;
/// Introducing commits named per path in the human report.
const MAX_INTRODUCTIONS_SHOWN: usize = 3;

/// Git findings: one entry per secret, the paths it was put at under it, oldest first: who
/// first put it there, whether it is still at HEAD or the last commit that held it, how
/// many commits carried it, and the refs that reach it.
fn write_git(findings: &[&Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(ctx.color);
    let mut groups: BTreeMap<(String, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry((f.rule.id.clone(), f.digest.to_hex())).or_default().push(f);
    }
    let mut groups: Vec<_> = groups.into_values().collect();
    let first_date = |g: &Vec<&Finding>| g.iter().filter_map(|f| occurrence(f).map(|o| o.date.clone())).min();
    groups.sort_by_key(first_date);
    for (i, group) in groups.iter_mut().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        group.sort_by_key(|f| occurrence(f).map(|o| o.date.clone()));
        let f = group[0];
        writeln!(
            out,
            "{}  {}  {} [{}]",
            paint.wrap("1", &ctx.shown_secret(f)),
            paint.wrap(severity_code(f.rule.severity), f.rule.severity.as_str()),
            f.rule.name,
            f.rule.id
        )?;
        if let Some(v) = ctx.validations.get(f) {
            writeln!(out, "  live: {}", paint.wrap(status_code(v.status), &v.line()))?;
        }
        for (n, f) in group.iter().enumerate() {
            if n == MAX_PATHS_SHOWN {
                writeln!(out, "  … and {} more paths (the JSON report lists every one)", group.len() - n)?;
                break;
            }
            match &*f.origin {
                Origin::Git { occurrence: Some(o), .. } => {
                    writeln!(
                        out,
                        "  {}  {}  {} <{}>  {}:{}:{}  \"{}\"",
                        o.date,
                        &o.commit[..o.commit.len().min(10)],
                        o.author,
                        o.email,
                        o.path,
                        f.span.line,
                        f.span.column,
                        o.summary
                    )?;
                    writeln!(out, "      {}; refs: {}", o.story_line(), o.refs_line(MAX_REFS_SHOWN))?;
                    if o.introductions.len() > 1 {
                        let shown: Vec<String> = o
                            .introductions
                            .iter()
                            .take(MAX_INTRODUCTIONS_SHOWN)
                            .map(|i| format!("{} {} {}", i.date, &i.commit[..i.commit.len().min(10)], i.author))
                            .collect();
                        let more = o.introductions.len() - shown.len();
                        let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
                        writeln!(out, "      introduced by {}{more}", shown.join("; "))?;
                    }
                }
                Origin::Git { oid, occurrence: None, .. } => {
                    writeln!(
                        out,
                        "  unreachable blob {oid} (no commit reaches it) line {}:{}",
                        f.span.line, f.span.column
                    )?;
                }
                _ => {}
            }
        }
        if let Some(r) = &f.rule.revoke {
            writeln!(out, "  revoke {r}")?;
        }
    }
    Ok(())
}

fn occurrence(f: &Finding) -> Option<&GitOccurrence> {
    match &*f.origin {
        Origin::Git { occurrence: Some(o), .. } => Some(o),
        _ => None,
    }
}

fn severity_code(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "1;31",
        Severity::Medium => "33",
        Severity::Low => "36",
    }
}

fn status_code(s: crate::validate::Status) -> &'static str {
    match s {
        crate::validate::Status::Active => "1;31",
        crate::validate::Status::Inactive => "32",
        crate::validate::Status::Unknown => "33",
    }
}

/// Other findings: grouped by file.
fn write_by_file(findings: &[&Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(ctx.color);
    let mut current: Option<String> = None;
    for &f in findings {
        let path = f.origin.display_path();
        if current.as_deref() != Some(path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", paint.wrap("1;35", &path))?;
            current = Some(path.clone());
        }
        let sev = f.rule.severity;
        let sev_code = severity_code(sev);
        writeln!(
            out,
            "  {}:{}:{}  {}  {} [{}]",
            path,
            f.span.line,
            f.span.column,
            paint.wrap(sev_code, sev.as_str()),
            f.rule.name,
            f.rule.id
        )?;
        if f.secret.is_empty() {
            // A path-only rule: the file itself is the finding.
            writeln!(out, "      the file itself (matched by its path)")?;
        } else {
            writeln!(
                out,
                "      secret {}  digest {}  confidence {}",
                paint.wrap("1", &ctx.shown_secret(f)),
                &f.digest.to_hex()[..16],
                f.confidence.as_str()
            )?;
            if let Some(v) = ctx.validations.get(f) {
                writeln!(out, "      live: {}", paint.wrap(status_code(v.status), &v.line()))?;
            }
        }
        for r in &f.related {
            writeln!(out, "      with   {} {} at {}:{}", r.rule.id, ctx.shown(&r.secret), r.span.line, r.span.column)?;
        }
        if let Some(r) = &f.rule.revoke {
            writeln!(out, "      revoke {r}")?;
        }
    }
    Ok(())
}
