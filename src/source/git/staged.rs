//! `--staged`: what `git commit` would record (index vs HEAD), findings on added lines only,
//! reported at the working path. Reads the index and objects; never the working tree.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use git2::{Delta, DiffOptions, Patch};

use super::{GitError, open};
use crate::origin::{Blob, Origin};
use crate::sink::Sink;
use crate::source::{Stats, looks_binary};

/// Scans the staged changes of the repository at or above `path`.
pub fn scan(sink: &Sink<'_>, path: &Path) -> Result<(), GitError> {
    let repo = open(path)?;
    let err =
        |e: git2::Error| GitError::Git { path: repo.path().display().to_string(), message: e.message().to_string() };
    // While git runs a commit hook it names the index the commit will record in
    // GIT_INDEX_FILE: a temporary one for `git commit -a` and `git commit PATH`.
    let index = match std::env::var_os("GIT_INDEX_FILE").filter(|p| !p.is_empty()) {
        Some(p) => git2::Index::open(Path::new(&p)).map_err(err)?,
        None => repo.index().map_err(err)?,
    };
    // Before the first commit HEAD is unborn: compare with the empty tree.
    let head_tree = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().map_err(err)?),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch || e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => return Err(err(e)),
    };
    let mut opts = DiffOptions::new();
    opts.context_lines(0).include_typechange(true);
    let diff = repo.diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut opts)).map_err(err)?;
    for (i, delta) in diff.deltas().enumerate() {
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let new = delta.new_file();
        let shown = new.path().map(|p| p.display().to_string()).unwrap_or_default();
        let blob = match repo.find_blob(new.id()) {
            Ok(b) => b,
            Err(e) => {
                sink.warn(format!("{shown} ({})", new.id()), format!("unreadable staged blob: {}", e.message()));
                continue;
            }
        };
        let bytes = blob.content();
        Stats::add(&sink.stats.files, 1);
        Stats::add(&sink.stats.bytes, bytes.len() as u64);
        if looks_binary(bytes) {
            // A staged `.p12` is exactly what a path-only rule is for.
            sink.binary(&Blob { bytes, origin: Arc::new(Origin::Staged { path: shown }) });
            continue;
        }
        let added = match Patch::from_diff(&diff, i) {
            Ok(Some(patch)) => added_lines(&patch),
            _ => continue,
        };
        if added.is_empty() {
            continue;
        }
        let origin = Arc::new(Origin::Staged { path: shown });
        let mut found = sink.detect(&Blob { bytes, origin });
        // A finding counts when any line it spans was added.
        found.retain(|f| (f.span.line..=f.span.end_line).any(|l| added.contains(&l)));
        sink.push(found);
    }
    Ok(())
}

/// New-side line numbers of the lines a patch adds.
fn added_lines(patch: &Patch<'_>) -> HashSet<u32> {
    let mut out = HashSet::new();
    for h in 0..patch.num_hunks() {
        let Ok(n) = patch.num_lines_in_hunk(h) else { continue };
        for l in 0..n {
            if let Ok(line) = patch.line_in_hunk(h, l)
                && line.origin() == '+'
                && let Some(no) = line.new_lineno()
            {
                out.insert(no);
            }
        }
    }
    out
}
