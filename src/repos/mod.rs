//! Many repositories: each path or URL of a list scanned on its own (a remote through a
//! temporary mirror clone), in turn or several at a time, its findings handed on as soon as
//! it is done so memory holds one repository per worker.

pub mod list;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::remote::{CloneError, CloneOptions, MirrorClone, WebLinks};
use crate::scan::{ScanOptions, ScanOutcome, scan};
use crate::sink::{Detector, Observer};
use crate::source::git::GitMode;

pub use list::{Entry, ListError, Target};

/// One repository scanned.
#[derive(Debug)]
pub struct RepoOutcome {
    /// The name findings carry (`location.repository`).
    pub name: String,
    /// The host's web pages, for a remote on a known host.
    pub links: Option<WebLinks>,
    pub outcome: ScanOutcome,
}

/// Why one repository could not be scanned (the others go on).
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error(transparent)]
    Clone(#[from] CloneError),
    #[error("{name}: {message}")]
    Scan { name: String, message: String },
}

/// Scans one repository with `base`'s options: a remote is mirrored (every advertised ref)
/// and its whole history scanned (`--range` or `--reachable-only` when given), the clone
/// removed before this returns; a path is scanned as `base` says (`--git` for its history).
pub fn scan_one(
    entry: &Entry,
    base: &ScanOptions,
    detector: &dyn Detector,
    clone: &CloneOptions,
    obs: &dyn Observer,
) -> Result<RepoOutcome, RepoError> {
    let name = entry.name();
    let mut opts = base.clone();
    opts.staged = false;
    let (outcome, links) = match &entry.target {
        Target::Remote(url) => {
            let mirror = MirrorClone::fetch(url, clone)?;
            opts.paths = vec![mirror.path().to_path_buf()];
            opts.git = Some(base.git.clone().unwrap_or(GitMode::History { reachable_only: false }));
            let mut outcome = scan(detector, &opts, obs);
            // The remote as the user named it (libgit2 would report it with `insteadOf` applied).
            for v in &mut outcome.vcs {
                v.repository_uri = mirror.url.clone();
            }
            (outcome, WebLinks::for_remote(&mirror.url))
        }
        Target::Path(p) => {
            if !p.exists() {
                return Err(RepoError::Scan { name, message: "no such file or directory".into() });
            }
            opts.paths = vec![p.clone()];
            (scan(detector, &opts, obs), None)
        }
    };
    if !outcome.failed_inputs.is_empty() {
        let message = outcome.failed_inputs.iter().map(|w| w.message.as_str()).collect::<Vec<_>>().join("; ");
        return Err(RepoError::Scan { name, message });
    }
    Ok(RepoOutcome { name, links, outcome })
}

/// Where the clone of `url` is kept under `--keep-clone DIR` when a list is scanned: one
/// directory per remote, named after its host and path.
pub fn kept_clone_dir(root: &Path, url: &str) -> PathBuf {
    let shown = crate::remote::without_credentials(url);
    let rest = shown.split_once("://").map_or(shown.as_str(), |(_, r)| r);
    let mut slug: String =
        rest.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    slug = slug.trim_matches(['_', '.']).to_string();
    let slug = slug.strip_suffix(".git").unwrap_or(&slug).to_string();
    // Two URLs that read alike once sanitised still get their own directory.
    let tag = blake3::hash(shown.as_bytes()).to_hex();
    root.join(format!("{slug}-{}.git", &tag[..8]))
}

/// The clones must live outside every path the list scans, or a scan of that path would
/// read another repository's clone: an error naming both when the temporary directory (or
/// the kept-clone directory) lies inside a listed path.
pub fn check_clones_outside(entries: &[Entry], keep: Option<&Path>) -> Result<(), RepoError> {
    if !entries.iter().any(|e| matches!(e.target, Target::Remote(_))) {
        return Ok(());
    }
    let canon = |p: &Path| std::path::absolute(p).ok().map(|a| a.canonicalize().unwrap_or(a));
    let clones = match keep {
        Some(k) => k.to_path_buf(),
        None => std::env::temp_dir(),
    };
    let Some(clones_at) = canon(&clones) else { return Ok(()) };
    for e in entries {
        if let Target::Path(p) = &e.target
            && let Some(listed) = canon(p)
            && clones_at.starts_with(&listed)
        {
            return Err(RepoError::Scan {
                name: e.name(),
                message: format!(
                    "clones would be made in {}, inside this listed path; set TMPDIR (or --keep-clone) elsewhere",
                    clones.display()
                ),
            });
        }
    }
    Ok(())
}

/// Calls `f` on every item, `parallel` at a time (at least one), in list order as workers
/// free up.
pub fn for_each<T: Sync>(items: &[T], parallel: usize, f: impl Fn(usize, &T) + Sync) {
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            f(i, item);
        }
    };
    let workers = parallel.clamp(1, items.len().max(1));
    if workers == 1 {
        work();
        return;
    }
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(work);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn kept_clones_get_one_directory_per_remote() {
        let a = kept_clone_dir(Path::new("/k"), "https://tok@github.com/o/app.git");
        let b = kept_clone_dir(Path::new("/k"), "https://github.com/o/app.git");
        let c = kept_clone_dir(Path::new("/k"), "https://github.com/o/app2.git");
        assert_eq!(a, b, "credentials do not change the directory");
        assert_ne!(a, c);
        let name = a.file_name().unwrap().to_string_lossy().to_string();
        assert!(name.starts_with("github.com_o_app-") && name.ends_with(".git"), "{name}");
    }

    #[test]
    fn for_each_visits_every_item_once_with_any_parallelism() {
        for n in [0, 1, 3, 10] {
            let seen = Mutex::new(Vec::new());
            for_each(&[10, 11, 12, 13, 14], n, |i, x| seen.lock().unwrap().push((i, *x)));
            let mut got = seen.into_inner().unwrap();
            got.sort();
            assert_eq!(got, vec![(0, 10), (1, 11), (2, 12), (3, 13), (4, 14)]);
        }
    }
}
