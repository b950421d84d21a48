//! The git source: every blob in a repository's history (all refs, reflogs, stashes, and
//! optionally unreachable objects), or a commit range, each distinct blob scanned once.

mod oid_hash;
mod pack_order;
mod provenance;
pub mod staged;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;

use crate::finding::Finding;
use crate::origin::{Blob, Origin};
use crate::sink::Sink;
use crate::source::{Stats, looks_binary};

use oid_hash::OidSet;
use provenance::Provenance;

/// Errors that stop a git scan (the repository cannot be used at all).
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path}: not a git repository ({message})")]
    NotARepository { path: String, message: String },
    #[error("{path}: {message}")]
    Git { path: String, message: String },
}

/// Which part of a repository to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitMode {
    /// Every blob reachable from refs, HEAD, reflogs and stashes; with `all_objects`, also
    /// unreachable objects in packs and loose storage.
    History { all_objects: bool },
    /// Blobs introduced by the commits of `A..B`.
    Range(String),
}

/// Opens the repository at or above `path` without touching it.
pub fn open(path: &Path) -> Result<Repository, GitError> {
    Repository::discover(path)
        .map_err(|e| GitError::NotARepository { path: path.display().to_string(), message: e.message().to_string() })
}

/// What SARIF's `versionControlProvenance` says about a scanned repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VcsInfo {
    /// The `origin` remote's URL (credentials stripped), else the repository path.
    pub repository_uri: String,
    pub revision: Option<String>,
    pub branch: Option<String>,
}

/// Describes the repository at or above `path`, if any.
pub fn vcs_info(path: &Path) -> Option<VcsInfo> {
    let repo = Repository::discover(path).ok()?;
    let remote = repo.find_remote("origin").ok().and_then(|r| r.url().ok().map(strip_credentials));
    let uri = remote.unwrap_or_else(|| {
        let p = repo.workdir().unwrap_or(repo.path());
        format!("file://{}", p.canonicalize().unwrap_or(p.to_path_buf()).display())
    });
    let head = repo.head().ok();
    Some(VcsInfo {
        repository_uri: uri,
        revision: head.as_ref().and_then(|h| h.target()).map(|o| o.to_string()),
        branch: head.as_ref().and_then(|h| h.shorthand().ok().map(str::to_string)),
    })
}

/// `https://user:pass@host/x` → `https://host/x` (a URL in a report must not carry a secret).
fn strip_credentials(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

/// True when `path` is inside a git repository.
pub fn is_repository(path: &Path) -> bool {
    Repository::discover(path).is_ok()
}

fn git_err(repo: &Repository, e: git2::Error) -> GitError {
    GitError::Git { path: repo.path().display().to_string(), message: e.message().to_string() }
}

/// Scans a repository's blobs into `sink`. Findings are expanded into one per (commit, path)
/// occurrence; unreadable objects are warnings naming the object id.
pub fn scan(sink: &Sink<'_>, path: &Path, mode: &GitMode, threads: usize) -> Result<(), GitError> {
    // libgit2 re-hashes every object it reads (collision-detecting SHA-1): a fifth of a
    // history scan. keytrail only reads objects, so it skips that check, as git itself does.
    git2::opts::strict_hash_verification(false);
    let repo = open(path)?;
    if repo.is_shallow() {
        sink.warn(
            repo.path().display().to_string(),
            "shallow clone: commits before the shallow boundary are not in this repository and were not scanned",
        );
    }
    let order = pack_order::PackOrder::open(&repo.commondir().join("objects"));
    let (commits, mut blobs) = match mode {
        GitMode::History { all_objects } => {
            let commits = history_commits(&repo, sink)?;
            let mut blobs = reachable_blobs(&repo, &commits, &order, sink);
            if *all_objects {
                add_all_blobs(&repo, &mut blobs, sink);
            }
            (commits, blobs)
        }
        GitMode::Range(range) => {
            let commits = range_commits(&repo, range)?;
            let blobs = introduced_blobs(&repo, &commits, sink);
            (commits, blobs)
        }
    };
    order.sort_by(&mut blobs, |&o| o);
    let repo_path = repo.path().to_path_buf();
    let hits = scan_blobs(sink, &repo_path, &blobs, threads);
    if hits.is_empty() {
        return Ok(());
    }
    let targets: OidSet = hits.iter().map(|(oid, _)| *oid).collect();
    let prov = Provenance::resolve(&repo, &commits, &targets, &order, sink);
    for (oid, findings) in hits {
        let occurrences = prov.occurrences(oid);
        let mut out = Vec::new();
        if occurrences.is_empty() {
            out.extend(findings);
        } else {
            for occ in occurrences {
                let origin = Arc::new(Origin::Git { oid: oid.to_string(), occurrence: Some(Box::new(occ)) });
                out.extend(findings.iter().cloned().map(|mut f| {
                    f.origin = Arc::clone(&origin);
                    f
                }));
            }
        }
        sink.push(out);
    }
    Ok(())
}

/// Every commit the history mode starts from: ref tips, HEAD, every reflog entry (deleted
/// branches, amends, rebases) and every stash entry; then all their ancestors.
fn history_commits(repo: &Repository, sink: &Sink<'_>) -> Result<Vec<Oid>, GitError> {
    let mut walk = repo.revwalk().map_err(|e| git_err(repo, e))?;
    let mut starts = OidSet::default();
    let mut push = |oid: Oid| {
        if repo.find_commit(oid).is_ok() && starts.insert(oid) {
            let _ = walk.push(oid);
        }
    };
    if let Ok(head) = repo.head()
        && let Some(oid) = head.target()
    {
        push(oid);
    }
    match repo.references() {
        Ok(refs) => {
            for r in refs.flatten() {
                if let Ok(peeled) = r.peel(ObjectType::Commit) {
                    push(peeled.id());
                }
            }
        }
        Err(e) => sink.warn(repo.path().display().to_string(), format!("cannot list refs: {}", e.message())),
    }
    // Only refs that have a reflog file are asked for one: libgit2 *creates* a missing reflog
    // file when reading it (a write inside the repository), and a repository may have a
    // million refs and a handful of reflogs. Deleted branches live on in HEAD's reflog.
    for name in reflog_names(repo) {
        if let Ok(log) = repo.reflog(&name) {
            for entry in log.iter() {
                push(entry.id_new());
                push(entry.id_old());
            }
        }
    }
    let mut commits = Vec::new();
    for oid in walk {
        match oid {
            Ok(oid) => commits.push(oid),
            Err(e) => sink.warn(repo.path().display().to_string(), format!("history walk: {}", e.message())),
        }
    }
    Ok(commits)
}

/// `HEAD` plus every ref with a reflog under `logs/` (of the repository and its common dir).
fn reflog_names(repo: &Repository) -> Vec<String> {
    let mut names = vec!["HEAD".to_string()];
    let mut dirs = vec![repo.path().join("logs"), repo.commondir().join("logs")];
    dirs.dedup();
    for logs in dirs {
        let mut stack = vec![logs.join("refs")];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else { continue };
            for e in rd.flatten() {
                let p = e.path();
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(p);
                } else if let Ok(rel) = p.strip_prefix(&logs) {
                    names.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn range_commits(repo: &Repository, range: &str) -> Result<Vec<Oid>, GitError> {
    let mut walk = repo.revwalk().map_err(|e| git_err(repo, e))?;
    walk.push_range(range).map_err(|e| GitError::Git {
        path: repo.path().display().to_string(),
        message: format!("invalid range {range:?}: {}", e.message()),
    })?;
    walk.collect::<Result<Vec<_>, _>>().map_err(|e| git_err(repo, e))
}

/// Distinct blobs of the trees of `commits` (each tree visited once).
fn reachable_blobs(repo: &Repository, commits: &[Oid], pack: &pack_order::PackOrder, sink: &Sink<'_>) -> Vec<Oid> {
    let mut seen_trees = OidSet::default();
    let mut blobs = OidSet::default();
    let mut order = Vec::new();
    let mut roots = Vec::with_capacity(commits.len());
    for &c in commits {
        match repo.find_commit(c) {
            Ok(commit) => roots.push(commit.tree_id()),
            Err(e) => sink.warn(c.to_string(), format!("unreadable commit: {}", e.message())),
        }
    }
    // Root trees are deltas of one another too: read them in pack order.
    pack.sort_by(&mut roots, |&t| t);
    for root in roots {
        let mut stack = vec![root];
        while let Some(t) = stack.pop() {
            if !seen_trees.insert(t) {
                continue;
            }
            let tree = match repo.find_tree(t) {
                Ok(tree) => tree,
                Err(e) => {
                    sink.warn(t.to_string(), format!("unreadable tree: {}", e.message()));
                    continue;
                }
            };
            for entry in tree.iter() {
                match entry.kind() {
                    Some(ObjectType::Tree) => stack.push(entry.id()),
                    Some(ObjectType::Blob) if blobs.insert(entry.id()) => order.push(entry.id()),
                    _ => {}
                }
            }
        }
    }
    order
}

/// Blobs a commit added or changed relative to its parents (or all of it for a root commit).
fn introduced_blobs(repo: &Repository, commits: &[Oid], sink: &Sink<'_>) -> Vec<Oid> {
    let mut blobs = OidSet::default();
    let mut order = Vec::new();
    for &c in commits {
        let Ok(commit) = repo.find_commit(c) else {
            sink.warn(c.to_string(), "unreadable commit");
            continue;
        };
        let Ok(tree) = commit.tree() else { continue };
        let parents: Vec<_> = commit.parents().filter_map(|p| p.tree().ok()).collect();
        let bases: Vec<Option<&git2::Tree>> =
            if parents.is_empty() { vec![None] } else { parents.iter().map(Some).collect() };
        for base in bases {
            match repo.diff_tree_to_tree(base, Some(&tree), None) {
                Ok(diff) => {
                    for d in diff.deltas() {
                        let id = d.new_file().id();
                        if !id.is_zero() && d.new_file().mode() != git2::FileMode::Commit && blobs.insert(id) {
                            order.push(id);
                        }
                    }
                }
                Err(e) => sink.warn(c.to_string(), format!("diff failed: {}", e.message())),
            }
        }
    }
    order
}

/// Adds every blob in the object database (packs and loose), reachable or not.
fn add_all_blobs(repo: &Repository, blobs: &mut Vec<Oid>, sink: &Sink<'_>) {
    let Ok(odb) = repo.odb() else {
        sink.warn(repo.path().display().to_string(), "cannot open the object database");
        return;
    };
    let mut known: OidSet = blobs.iter().copied().collect();
    let mut all = Vec::new();
    let res = odb.foreach(|oid| {
        all.push(*oid);
        true
    });
    if let Err(e) = res {
        sink.warn(repo.path().display().to_string(), format!("listing objects: {}", e.message()));
    }
    for oid in all {
        if known.contains(&oid) {
            continue;
        }
        match odb.read_header(oid) {
            Ok((_, ObjectType::Blob)) => {
                known.insert(oid);
                blobs.push(oid);
            }
            Ok(_) => {}
            Err(e) => sink.warn(oid.to_string(), format!("unreadable object: {}", e.message())),
        }
    }
}

thread_local! {
    static REPO: std::cell::RefCell<Option<(PathBuf, Repository)>> = const { std::cell::RefCell::new(None) };
}

/// Scans blobs in parallel (each worker with its own repository handle); returns the blobs
/// that have findings, with findings positioned in the blob.
fn scan_blobs(sink: &Sink<'_>, repo_path: &Path, blobs: &[Oid], threads: usize) -> Vec<(Oid, Vec<Finding>)> {
    let work = || {
        blobs
            .par_iter()
            .filter_map(|&oid| {
                REPO.with(|cell| {
                    let mut slot = cell.borrow_mut();
                    if slot.as_ref().is_none_or(|(p, _)| p != repo_path) {
                        *slot = Repository::open(repo_path).ok().map(|r| (repo_path.to_path_buf(), r));
                    }
                    let Some((_, repo)) = slot.as_ref() else {
                        sink.warn(repo_path.display().to_string(), "cannot open repository in a worker");
                        return None;
                    };
                    let blob = match repo.find_blob(oid) {
                        Ok(b) => b,
                        Err(e) => {
                            sink.warn(oid.to_string(), format!("unreadable blob: {}", e.message()));
                            return None;
                        }
                    };
                    let bytes = blob.content();
                    Stats::add(&sink.stats.files, 1);
                    Stats::add(&sink.stats.bytes, bytes.len() as u64);
                    if looks_binary(bytes) {
                        Stats::add(&sink.stats.skipped_binary, 1);
                        return None;
                    }
                    let origin = Arc::new(Origin::Git { oid: oid.to_string(), occurrence: None });
                    let found = sink.detect(&Blob { bytes, origin });
                    (!found.is_empty()).then_some((oid, found))
                })
            })
            .collect::<Vec<_>>()
    };
    let mut hits = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    hits.sort_by_key(|(oid, _)| *oid);
    hits
}
