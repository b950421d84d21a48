//! Report formats: human, JSON, JSONL and SARIF. Sinks only format findings.

mod human;
mod json;
pub mod merge;
mod sarif;
pub mod trace;

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::finding::Finding;
use crate::secret::Secret;
use crate::source::StatsSnapshot;
use crate::source::git::VcsInfo;

pub use json::{JsonFinding, JsonLocation};
pub use sarif::{run as sarif_run, sarif_root, truncation_warning as sarif_truncation_warning};

/// Output formats of `scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
}

/// What a sink needs besides the findings.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    /// Print full secrets (`--reveal`). Off by default.
    pub reveal: bool,
    /// ANSI colour (human format only).
    pub color: bool,
    pub stats: StatsSnapshot,
    pub elapsed: Duration,
    /// The scanned repositories (git scans), for SARIF `versionControlProvenance`.
    pub vcs: Vec<VcsInfo>,
    /// SARIF: the directory paths are made relative to (`%SRCROOT%`); see [`sarif_root`].
    pub sarif_root: Option<PathBuf>,
    /// The file and directory roots the scan walked, as given (to find reported files).
    pub walk_roots: Vec<PathBuf>,
    /// Live-check results by secret (`--validate`); empty otherwise.
    pub validations: crate::validate::Validations,
    /// The repository findings came from (`location.repository`): the remote URL without
    /// credentials, or the path, when a remote or a list of repositories is scanned.
    pub repository: Option<String>,
    /// The host's web pages of that repository, to link findings to their commit and file.
    pub links: Option<crate::remote::WebLinks>,
}

impl ReportContext {
    /// The secret as printed: redacted unless `--reveal`.
    pub fn shown_secret(&self, f: &Finding) -> String {
        self.shown(&f.secret)
    }

    /// Any secret as printed: redacted unless `--reveal`.
    pub fn shown(&self, s: &Secret) -> String {
        if self.reveal { s.reveal_lossy() } else { s.redacted() }
    }
}

/// Writes `findings` in `format` to `out`.
pub fn write(format: Format, findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::write(findings, ctx, out),
        Format::Json => json::write_array(findings, ctx, out),
        Format::Jsonl => json::write_lines(findings, ctx, out),
        Format::Sarif => sarif::write(findings, ctx, out),
    }
}

/// The one-line summary printed on stderr after a scan.
pub fn summary(findings: usize, ctx: &ReportContext) -> String {
    let s = &ctx.stats;
    let secs = ctx.elapsed.as_secs_f64();
    let mb = s.bytes as f64 / 1e6;
    let mut skipped = Vec::new();
    for (n, what) in [
        (s.skipped_binary, "binary"),
        (s.skipped_too_large, "too large"),
        (s.skipped_special, "special"),
        (s.skipped_symlink, "symlink"),
        (s.skipped_unreadable, "unreadable"),
    ] {
        if n > 0 {
            skipped.push(format!("{n} {what}"));
        }
    }
    let skipped = if skipped.is_empty() { String::new() } else { format!(" ({})", skipped.join(", ")) };
    let changed = if s.changed > 0 { format!(" ({} scanned as changes)", s.changed) } else { String::new() };
    format!(
        "keytrail: {} files{changed}, {:.1} MB in {:.2}s ({:.0} MB/s); {} finding{}; {} skipped{}; {} warning{}",
        s.files,
        mb,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 },
        findings,
        if findings == 1 { "" } else { "s" },
        s.skipped(),
        skipped,
        s.warnings,
        if s.warnings == 1 { "" } else { "s" },
    )
}
