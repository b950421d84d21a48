//! `keytrail report merge`: reads the reports, writes the merged one, prints a summary line
//! per repository on stderr.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use keytrail::report::merge::{Merge, MergeWriteError, RepoSummary};

/// Output formats of `report merge`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// One run per repository.
    Sarif,
    Jsonl,
    Json,
}

/// Merges `files`; exit code 0 when the merged report holds no finding, 1 when it holds
/// some, 2 when an input could not be read (the others are merged all the same).
pub fn run(
    files: &[PathBuf],
    format: MergeFormat,
    output: Option<&Path>,
    quiet: bool,
    write_output: impl FnOnce(Option<&Path>, &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>) -> Result<()>,
) -> Result<u8> {
    let mut merge = Merge::new();
    let mut bad = 0;
    for f in files {
        if let Err(e) = merge.add_file(f) {
            eprintln!("keytrail: error: {e}");
            bad += 1;
        }
    }
    let mut input_error = None;
    write_output(output, &mut |out| match format {
        MergeFormat::Sarif => merge.write_sarif(out),
        MergeFormat::Jsonl | MergeFormat::Json => match merge.write_findings(format == MergeFormat::Jsonl, out) {
            Ok(()) => Ok(()),
            Err(MergeWriteError::Io(e)) => Err(e),
            Err(MergeWriteError::Input(e)) => {
                input_error = Some(e);
                Ok(())
            }
        },
    })?;
    if let Some(e) = input_error {
        anyhow::bail!(e);
    }
    let summaries = merge.summaries();
    if !quiet {
        let mut err = std::io::stderr().lock();
        for line in table(&summaries, files.len() - bad) {
            let _ = writeln!(err, "{line}");
        }
    }
    let found: usize = summaries.iter().map(|s| s.findings).sum();
    Ok(if bad > 0 {
        2
    } else if found > 0 {
        1
    } else {
        0
    })
}

/// The summary: a header, a line per repository, a total.
fn table(rows: &[RepoSummary], reports: usize) -> Vec<String> {
    let width = rows.iter().map(|r| r.repository.chars().count()).max().unwrap_or(10).clamp(10, 72);
    let mut lines = vec![format!(
        "{:<width$}  {:>8}  {:>7}  {:>8}  {:>5}  {:>6}  {:>4}  {:>10}",
        "repository", "findings", "secrets", "critical", "high", "medium", "low", "duplicates"
    )];
    for r in rows {
        let [c, h, m, l] = r.by_severity;
        lines.push(format!(
            "{:<width$}  {:>8}  {:>7}  {c:>8}  {h:>5}  {m:>6}  {l:>4}  {:>10}",
            r.repository, r.findings, r.secrets, r.duplicates
        ));
    }
    let (findings, dups): (usize, usize) = rows.iter().fold((0, 0), |(f, d), r| (f + r.findings, d + r.duplicates));
    lines.push(format!(
        "keytrail: merged {reports} report{} of {} repositor{}: {findings} finding{}, {dups} duplicate{} dropped",
        if reports == 1 { "" } else { "s" },
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" },
        if findings == 1 { "" } else { "s" },
        if dups == 1 { "" } else { "s" },
    ));
    lines
}
