//! The human report: findings grouped by file, redacted, with where to revoke each key.

use std::io::{self, Write};

use super::ReportContext;
use crate::finding::Finding;
use crate::rules::Severity;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
}

pub fn write(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint(ctx.color);
    let mut current: Option<String> = None;
    for f in findings {
        let path = f.origin.display_path();
        if current.as_deref() != Some(path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", paint.wrap("1;35", &path))?;
            current = Some(path.clone());
        }
        let sev = f.rule.severity;
        let sev_code = match sev {
            Severity::Critical | Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
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
        writeln!(out, "      secret {}  digest {}", paint.wrap("1", &ctx.shown_secret(f)), &f.digest.to_hex()[..16])?;
        if let Some(r) = &f.rule.revoke {
            writeln!(out, "      revoke {r}")?;
        }
    }
    Ok(())
}
