//! The git source: every blob in a repository's history (all refs, reflogs, stashes, and
//! optionally unreachable objects), or a commit range, each distinct blob scanned once.

mod delta;
mod fifo;
mod graph;
mod oid_hash;
mod pack;
mod revwalk;
pub mod staged;
mod stories;
mod trees;
mod walk;

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;

use crate::engine::MULTILINE_REACH;
use crate::finding::Finding;
use crate::origin::{Blob, Origin};
use crate::sink::Sink;
use crate::source::{Stats, looks_binary};

use graph::Graph;
use oid_hash::{OidMap, OidSet};
use walk::Walked;

/// Ref tips considered when saying which refs reach a commit (a repository with more refs
/// than this gets a warning and only the first ones are named).
const MAX_REF_TIPS: usize = 10_000;

/// Pack file windows: their size, and how much of all packs may be mapped at once.
const PACK_WINDOW_BYTES: usize = 32 << 20;
const PACK_MAPPED_BYTES: usize = 256 << 20;

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
    /// Every blob reachable from refs, HEAD, reflogs and stashes, and (unless
    /// `reachable_only`) every other blob in packs and loose storage (flagged unreachable).
    History { reachable_only: bool },
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

/// Scans a repository's blobs into `sink`: one walk of every commit's tree against its
/// parents' (the blobs to scan and every change of a path), the blobs in parallel, then one
/// story per (secret, path) for blobs with findings. Unreadable objects are warnings naming
/// the object id.
pub fn scan(sink: &Sink<'_>, path: &Path, mode: &GitMode, threads: usize) -> Result<(), GitError> {
    // 0: one thread per core.
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    // libgit2 re-hashes every object it reads (collision-detecting SHA-1): a fifth of a
    // history scan. keytrail only reads objects, so it skips that check, as git itself does.
    git2::opts::strict_hash_verification(false);
    // libgit2's object cache degrades once full (see `trees`): the walk keeps its own cache
    // of raw trees, and blobs are read once each. Pack windows mapped at once are bounded so
    // memory does not grow with the pack.
    git2::opts::enable_caching(false);
    // SAFETY: these set process-wide libgit2 options; keytrail sets them before any of its
    // repositories is read, to the same values every time.
    unsafe {
        let _ = git2::opts::set_mwindow_size(PACK_WINDOW_BYTES);
        let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_BYTES);
    }
    let repo = open(path)?;
    if repo.is_shallow() {
        sink.warn(
            repo.path().display().to_string(),
            "shallow clone: commits before the shallow boundary are not in this repository and were not scanned",
        );
    }
    let obs = sink.observer();
    let packs = Arc::new(pack::Packs::open(&repo.commondir().join("objects")));
    let warn = |oid: Oid, msg: String| sink.warn(oid.to_string(), msg);
    let graph = match mode {
        GitMode::History { .. } => history_graph(&repo, &packs, sink, threads, warn)?,
        GitMode::Range(range) => Graph::load(&repo, &packs, &range_commits(&repo, range)?, threads, warn),
    };
    // Root trees are deltas of one another: read them in pack order.
    let mut walk_order: Vec<u32> = (0..graph.len() as u32).collect();
    on_threads(threads, || packs.sort_by(&mut walk_order, |&c| graph.trees[c as usize]));
    let total = walk_order.len() as u64;
    let (walked, warnings) = Walked::walk(repo.path(), &packs, &graph, &walk_order, threads, |done| {
        obs.stage("walking commits", done as u64, total)
    });
    for (oid, msg) in warnings {
        sink.warn(oid.to_string(), msg);
    }
    let mut blobs = walked.blobs.clone();
    if let GitMode::History { reachable_only: false } = mode {
        add_unreachable_blobs(&repo, &packs, &graph, &walked, &mut blobs, sink);
    }
    on_threads(threads, || packs.sort_by_chain(&mut blobs, |&o| o));
    obs.stage("distinct blobs to scan", blobs.len() as u64, blobs.len() as u64);
    let repo_path = repo.path().to_path_buf();
    // While scanning, a blob's path is the one the walk first saw it at (rule `path`
    // filters and path allowlists need one); provenance then names every path. The blob it
    // replaced there, if it was scanned at the same path, lets it be scanned as a change.
    let mut first: OidMap<(u32, u32)> = OidMap::default();
    for e in &walked.events {
        if e.introduced {
            first.entry(walked.blobs[e.blob as usize]).or_insert((e.path, e.base));
        }
    }
    let whole = std::env::var_os(WHOLE_BLOBS_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    let path_of = |oid: &Oid| first.get(oid).map(|&(path, _)| path);
    // A blob's findings are those of the blob it replaced where they share lines, if the
    // same bytes give the same findings at both blobs' paths (no path: unreachable).
    let same = |a: Option<u32>, b: Option<u32>| {
        a == b
            || sink
                .same_findings_at(a.map(|p| walked.paths.get(p)).as_deref(), b.map(|p| walked.paths.get(p)).as_deref())
    };
    let walk_base = |oid: &Oid| {
        let &(path, base) = first.get(oid)?;
        let base = (base != walk::NO_BASE).then(|| walked.bases[base as usize])?;
        first.get(&base).is_some_and(|&(p, _)| same(Some(p), Some(path))).then_some(base)
    };
    // Blobs the walk saw replace none (unreachable ones, files added, copied or renamed):
    // the blob their pack entry is a delta of, a version of the same file as a rule.
    let pack_bases: OidMap<Oid> = if whole {
        OidMap::default()
    } else {
        on_threads(threads, || {
            pack_bases(&packs, &blobs, |o| walk_base(o).is_none(), |o, b| same(path_of(o), path_of(b)))
        })
    };
    let plan = |oid: Oid| {
        let base = if whole { None } else { walk_base(&oid).or_else(|| pack_bases.get(&oid).copied()) };
        Plan { path: path_of(&oid).map(|p| walked.paths.get(p)), base }
    };
    let hits = scan_blobs(sink, &repo_path, &packs, &blobs, &plan, threads);
    if hits.is_empty() {
        return Ok(());
    }
    let tips = ref_tips(&repo, sink, |t| graph.index_of(t).is_some());
    let names: Vec<String> = tips.iter().map(|(n, _)| n.clone()).collect();
    let tip_oids: Vec<Oid> = tips.iter().map(|(_, o)| *o).collect();
    let reach = |wanted: &[Oid]| match mode {
        GitMode::History { .. } => graph.containment(&tip_oids, wanted),
        // A range's commits are reached from refs outside it: walk the whole history.
        GitMode::Range(_) => match history_graph(&repo, &packs, sink, threads, |_, _| {}) {
            Ok(all) => all.containment(&tip_oids, wanted),
            Err(_) => OidMap::default(),
        },
    };
    let allows = |rule: &str, commit: Oid| sink.allows_commit(rule, &commit.to_string());
    let found = stories::resolve(
        stories::History { repo: &repo, graph: &graph, walked: &walked },
        &hits,
        &names,
        allows,
        reach,
        |done, total| obs.stage("resolving provenance", done, total),
    );
    sink.push(found);
    Ok(())
}

/// Every commit the history mode starts from: ref tips, HEAD, every reflog entry (deleted
/// branches, amends, rebases) and every stash entry; then all their ancestors, as a graph.
fn history_graph(
    repo: &Repository,
    packs: &Arc<pack::Packs>,
    sink: &Sink<'_>,
    threads: usize,
    warn: impl FnMut(Oid, String),
) -> Result<Graph, GitError> {
    let mut starts = OidSet::default();
    let mut pushed = Vec::new();
    let mut reader = pack::Reader::new(Arc::clone(packs), 1 << 20);
    let is_commit = |oid: Oid, reader: &mut pack::Reader| match reader.read(&oid) {
        Some(Ok(obj)) => obj.kind == ObjectType::Commit,
        _ => repo.find_commit(oid).is_ok(),
    };
    let mut push = |oid: Oid, known: bool, reader: &mut pack::Reader| {
        if !starts.contains(&oid) && (known || is_commit(oid, reader)) {
            starts.insert(oid);
            pushed.push(oid);
        }
    };
    if let Ok(head) = repo.head()
        && let Some(oid) = head.target()
    {
        push(oid, false, &mut reader);
    }
    match repo.references() {
        Ok(refs) => {
            for r in refs.flatten() {
                if let Some(c) = peel_to_commit(&r, |t| is_commit(t, &mut reader)) {
                    push(c, true, &mut reader);
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
                push(entry.id_new(), false, &mut reader);
                push(entry.id_old(), false, &mut reader);
            }
        }
    }
    // Grafts (and a shallow clone's boundary) change parents: libgit2 applies them.
    let grafted = repo.is_shallow() || [repo.path(), repo.commondir()].iter().any(|d| d.join("info/grafts").exists());
    let read = |oid: Oid| {
        graph::packed_commit(&mut reader, &oid).or_else(|| repo.find_commit(oid).ok().map(|c| graph::Commit::of(&c)))
    };
    if !grafted && let Some(walk) = revwalk::unsorted(&pushed, read) {
        return Ok(Graph::build(repo, &walk.order, walk.commits.into_iter().map(Some).collect(), warn));
    }
    let mut walk = repo.revwalk().map_err(|e| git_err(repo, e))?;
    for oid in &pushed {
        let _ = walk.push(*oid);
    }
    let mut commits = Vec::new();
    for oid in walk {
        match oid {
            Ok(oid) => commits.push(oid),
            Err(e) => sink.warn(repo.path().display().to_string(), format!("history walk: {}", e.message())),
        }
    }
    Ok(Graph::load(repo, packs, &commits, threads, warn))
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

/// Adds every blob in the object database (packs and loose) that the walk did not reach:
/// objects left behind by rebases, resets and deleted branches without reflogs. Objects the
/// walk knows (commits, trees, blobs) are skipped without being read.
fn add_unreachable_blobs(
    repo: &Repository,
    packs: &pack::Packs,
    graph: &Graph,
    walked: &Walked,
    blobs: &mut Vec<Oid>,
    sink: &Sink<'_>,
) {
    let Ok(odb) = repo.odb() else {
        sink.warn(repo.path().display().to_string(), "cannot open the object database");
        return;
    };
    let known =
        |oid: &Oid| walked.blob_index.contains_key(oid) || walked.trees.contains(oid) || graph.index_of(*oid).is_some();
    let mut unknown = Vec::new();
    // The pack indexes list packed objects without libgit2; loose objects are listed from
    // their directories. Alternate object stores, a pack index or a loose directory that
    // cannot be read leave the listing to libgit2.
    let objects = repo.commondir().join("objects");
    match packs.oids().zip(loose_objects(&objects)) {
        Some((packed, loose)) => unknown.extend(packed.chain(loose).filter(|o| !known(o))),
        None => {
            let res = odb.foreach(|oid| {
                if !known(oid) {
                    unknown.push(*oid);
                }
                true
            });
            if let Err(e) = res {
                sink.warn(repo.path().display().to_string(), format!("listing objects: {}", e.message()));
            }
        }
    }
    unknown.sort();
    unknown.dedup();
    for oid in unknown {
        let kind = match packs.kind(&oid) {
            Some(kind) => Ok(kind),
            None => odb.read_header(oid).map(|(_, kind)| kind),
        };
        match kind {
            Ok(ObjectType::Blob) => blobs.push(oid),
            Ok(_) => {}
            Err(e) => sink.warn(oid.to_string(), format!("unreadable object: {}", e.message())),
        }
    }
}

/// The loose objects under `objects` (`xx/yyyy…` files); `None` when the store has alternates
/// or a directory cannot be read.
fn loose_objects(objects: &Path) -> Option<Vec<Oid>> {
    if objects.join("info/alternates").exists() {
        return None;
    }
    let mut out = Vec::new();
    for dir in std::fs::read_dir(objects).ok()? {
        let dir = dir.ok()?;
        let name = dir.file_name();
        let Some(prefix) = name.to_str().filter(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_hexdigit())) else {
            continue;
        };
        for file in std::fs::read_dir(dir.path()).ok()? {
            let file = file.ok()?;
            let rest = file.file_name();
            if let Some(rest) = rest.to_str().filter(|r| r.len() == 38)
                && let Ok(oid) = Oid::from_str(&format!("{prefix}{rest}"))
            {
                out.push(oid);
            }
        }
    }
    Some(out)
}

/// Branches, tags, remotes, notes, the stash and every stash entry, peeled to commits; HEAD's
/// branch first, then branches, tags, remotes and other refs (`refs/pull/*`...), so reports
/// that name a few refs name the telling ones, and a cap keeps those.
fn ref_tips(repo: &Repository, sink: &Sink<'_>, is_commit: impl Fn(Oid) -> bool) -> Vec<(String, Oid)> {
    let head = repo.find_reference("HEAD").ok().and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string));
    let rank = |name: &str| {
        if Some(name) == head.as_deref() {
            0
        } else if name.starts_with("refs/heads/") {
            1
        } else if name.starts_with("refs/tags/") {
            2
        } else if name.starts_with("refs/remotes/") {
            3
        } else {
            4
        }
    };
    let mut named = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if let Some(c) = peel_to_commit(&r, &is_commit) {
                named.push((String::from_utf8_lossy(r.name_bytes()).into_owned(), c));
            }
        }
    }
    named.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    if named.len() > MAX_REF_TIPS {
        sink.warn(
            repo.path().display().to_string(),
            format!(
                "{} refs: only the first {MAX_REF_TIPS} (branches and tags first) are named in provenance",
                named.len()
            ),
        );
        named.truncate(MAX_REF_TIPS);
    }
    let mut tips = named;
    // libgit2 creates a missing reflog file when asked to read it: only read one that exists.
    let has_stash_log = repo.commondir().join("logs/refs/stash").is_file();
    if let Some(log) = has_stash_log.then(|| repo.reflog("refs/stash").ok()).flatten() {
        for (i, e) in log.iter().enumerate().skip(1) {
            tips.push((format!("stash@{{{i}}}"), e.id_new()));
        }
    }
    tips
}

/// The commit `r` leads to: its target when `is_commit` knows it for a commit (without
/// reading it), else what libgit2 peels it to (a tag's commit).
fn peel_to_commit(r: &git2::Reference<'_>, mut is_commit: impl FnMut(Oid) -> bool) -> Option<Oid> {
    match r.target() {
        Some(t) if is_commit(t) => Some(t),
        _ => r.peel(ObjectType::Commit).ok().map(|c| c.id()),
    }
}

/// Set (to anything but `0`), every blob of a history is scanned whole, none as the
/// change it makes (to compare the two; both give the same findings).
pub const WHOLE_BLOBS_VAR: &str = "KEYTRAIL_WHOLE_BLOBS";

/// How to scan one blob: at which path, and as a change of which blob, if any.
struct Plan {
    path: Option<String>,
    base: Option<Oid>,
}

/// A blob's findings as its worker left them.
enum Scanned {
    Whole(Vec<Finding>),
    /// Scanned as a change of `base`: the findings near the change; the rest are `base`'s.
    Change {
        base: Oid,
        split: delta::Split,
        near: Vec<Finding>,
        origin: Arc<Origin>,
    },
}

/// Resolved objects each blob reader keeps: the bases of the deltas that follow in pack
/// order. Larger caches hardly read faster on large histories, and cost memory.
const BLOB_CACHE_BYTES: usize = 16 << 20;

/// A worker's handles on one repository: libgit2's, and a reader of its packs.
struct Worker {
    path: PathBuf,
    repo: Repository,
    reader: pack::Reader,
}

impl Worker {
    /// The content of blob `oid`, from the packs, or else as libgit2 reads it (or says why not).
    fn blob(&mut self, oid: Oid) -> Result<Rc<Vec<u8>>, git2::Error> {
        if let Some(Ok(obj)) = self.reader.read(&oid)
            && obj.kind == ObjectType::Blob
        {
            return Ok(obj.data);
        }
        self.repo.find_blob(oid).map(|b| Rc::new(b.content().to_vec()))
    }
}

thread_local! {
    static WORKER: std::cell::RefCell<Option<Worker>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's handles on the repository at `repo_path`.
fn with_repo<T>(
    sink: &Sink<'_>,
    repo_path: &Path,
    packs: &Arc<pack::Packs>,
    f: impl FnOnce(&mut Worker) -> Option<T>,
) -> Option<T> {
    WORKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|w| w.path != repo_path || !Arc::ptr_eq(w.reader.packs(), packs)) {
            *slot = Repository::open(repo_path).ok().map(|repo| Worker {
                path: repo_path.to_path_buf(),
                repo,
                reader: pack::Reader::new(Arc::clone(packs), BLOB_CACHE_BYTES),
            });
        }
        let Some(worker) = slot.as_mut() else {
            sink.warn(repo_path.display().to_string(), "cannot open repository in a worker");
            return None;
        };
        f(worker)
    })
}

/// For each of `blobs` that is `wanted`, the one of `blobs` its pack entry is a delta of,
/// where `usable(blob, base)`. Runs on the current thread pool.
fn pack_bases(
    packs: &pack::Packs,
    blobs: &[Oid],
    wanted: impl Fn(&Oid) -> bool + Sync,
    usable: impl Fn(&Oid, &Oid) -> bool + Sync,
) -> OidMap<Oid> {
    let wanted: Vec<Oid> = blobs.par_iter().filter(|o| wanted(o)).copied().collect();
    if wanted.is_empty() {
        return OidMap::default();
    }
    let at: std::collections::HashMap<(usize, u64), Oid> =
        blobs.par_iter().filter_map(|o| packs.locate(o).map(|p| (p, *o))).collect();
    wanted
        .par_iter()
        .filter_map(|o| {
            let base = *at.get(&packs.delta_base(o)?)?;
            (base != *o && usable(o, &base)).then_some((*o, base))
        })
        .collect()
}

/// Runs `work` on a pool of `threads` threads (on the caller's, if none can be started).
fn on_threads<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Scans blobs in parallel (each worker with its own repository handle); returns the blobs
/// that have findings, with findings positioned in the blob. A blob that replaced another
/// at the same path is scanned around its changed lines only when the detector allows it
/// (see [`delta`]); its findings elsewhere are then the other blob's, moved.
fn scan_blobs(
    sink: &Sink<'_>,
    repo_path: &Path,
    packs: &Arc<pack::Packs>,
    blobs: &[Oid],
    plan: &(dyn Fn(Oid) -> Plan + Sync),
    threads: usize,
) -> Vec<(Oid, Vec<Finding>)> {
    let work = || {
        // Small pieces of work: a thread that finishes early takes over the rest of another's
        // instead of waiting for it to scan a long run alone.
        blobs
            .par_iter()
            .with_max_len(64)
            .filter_map(|&oid| {
                with_repo(sink, repo_path, packs, |worker| {
                    let blob = match worker.blob(oid) {
                        Ok(b) => b,
                        Err(e) => {
                            sink.warn(oid.to_string(), format!("unreadable blob: {}", e.message()));
                            return None;
                        }
                    };
                    let bytes = blob.as_slice();
                    Stats::add(&sink.stats.files, 1);
                    Stats::add(&sink.stats.bytes, bytes.len() as u64);
                    let Plan { path, base } = plan(oid);
                    // The path rules see is the blob's path (`Origin::allowlist_path`).
                    let reach = base.and_then(|_| sink.line_reach(path.as_deref()));
                    let origin = Arc::new(Origin::Git { oid: oid.to_string(), occurrence: None, path });
                    let whole = Blob { bytes, origin: Arc::clone(&origin) };
                    // Binary blobs: skipped and counted; gitleaks path-only rules still apply.
                    if looks_binary(bytes) {
                        let found = sink.detect_binary(&whole);
                        return (!found.is_empty()).then_some((oid, Scanned::Whole(found)));
                    }
                    if let (Some(reach), Some(base)) = (reach, base)
                        && !sink.is_wide(bytes)
                        && let Ok(old) = worker.blob(base)
                        && !looks_binary(&old)
                        && !sink.is_wide(&old)
                        && let Some(split) = delta::split(&old, bytes, reach)
                        // A block (PEM) that starts before a piece, or in it, may end
                        // beyond it: scanned whole.
                        && !split.pieces().any(|p| sink.may_span_lines(&bytes[p.start.saturating_sub(MULTILINE_REACH)..p.end]))
                    {
                        // Pieces are scanned as they are asked for: none after one that
                        // makes the blob be scanned whole.
                        let found = split.pieces().map(|p| sink.detect(&Blob { bytes: &bytes[p], origin: Arc::clone(&origin) }));
                        if let Some(near) = split.near_change(found) {
                            Stats::add(&sink.stats.changed, 1);
                            return Some((oid, Scanned::Change { base, split, near, origin }));
                        }
                    }
                    let found = sink.detect(&whole);
                    (!found.is_empty()).then_some((oid, Scanned::Whole(found)))
                })
            })
            .collect::<Vec<_>>()
    };
    // The blobs `settle` scans again (one per loop of changes) are scanned in parallel too,
    // on the same threads, whose repository handles are still open.
    let rescan = |oid: Oid| {
        let found = with_repo(sink, repo_path, packs, |worker| {
            let blob = worker.blob(oid).ok()?;
            let origin = Arc::new(Origin::Git { oid: oid.to_string(), occurrence: None, path: plan(oid).path });
            Some(sink.detect(&Blob { bytes: &blob, origin }))
        });
        (oid, found.unwrap_or_default())
    };
    let (scanned, chains, rescanned) = on_threads(threads, || {
        let scanned: OidMap<Scanned> = work().into_iter().collect();
        let chains = Chains::of(&scanned);
        let rescanned: OidMap<Vec<Finding>> = chains.loops.par_iter().map(|&oid| rescan(oid)).collect();
        (scanned, chains, rescanned)
    });
    let mut hits = settle(scanned, &chains, rescanned);
    hits.sort_by_key(|(oid, _)| *oid);
    hits
}

/// How [`settle`] goes down the chains of changes: the blobs it scans whole (the first blob
/// met twice on one chain: a file changed back and forth, walked out of order), and the
/// changed blobs in an order that puts each after its base.
struct Chains {
    loops: Vec<Oid>,
    order: Vec<Oid>,
}

impl Chains {
    fn of(scanned: &OidMap<Scanned>) -> Chains {
        let mut done = OidSet::default();
        let (mut loops, mut order) = (Vec::new(), Vec::new());
        for &oid in scanned.keys() {
            let mut chain = Vec::new();
            let mut on_chain = OidSet::default();
            let mut at = oid;
            while !done.contains(&at) {
                match scanned.get(&at) {
                    Some(Scanned::Change { base, .. }) if on_chain.insert(at) => {
                        chain.push(at);
                        at = *base;
                    }
                    Some(Scanned::Change { .. }) => {
                        loops.push(at);
                        done.insert(at);
                    }
                    None | Some(Scanned::Whole(_)) => {
                        done.insert(at);
                    }
                }
            }
            while let Some(c) = chain.pop() {
                if done.insert(c) {
                    order.push(c);
                }
            }
        }
        Chains { loops, order }
    }
}

/// Every blob's own findings: a changed blob's, near its change, joined by those its base
/// had in the lines they share (bases first, in `chains.order`); a blob of `chains.loops`,
/// its findings in `rescanned`.
fn settle(
    mut scanned: OidMap<Scanned>,
    chains: &Chains,
    mut rescanned: OidMap<Vec<Finding>>,
) -> Vec<(Oid, Vec<Finding>)> {
    let mut done: OidMap<Vec<Finding>> = OidMap::default();
    for &oid in &chains.loops {
        scanned.remove(&oid);
        done.insert(oid, rescanned.remove(&oid).unwrap_or_default());
    }
    let mut changed = Vec::new();
    for (oid, s) in scanned {
        match s {
            Scanned::Whole(found) => {
                done.insert(oid, found);
            }
            Scanned::Change { base, split, near, origin } => changed.push((oid, (base, split, near, origin))),
        }
    }
    let mut changed: OidMap<_> = changed.into_iter().collect();
    for c in &chains.order {
        if let Some((base, split, mut near, origin)) = changed.remove(c) {
            // A base without findings was not kept by its worker.
            near.extend(split.carried(done.get(&base).map_or(&[][..], Vec::as_slice), &origin));
            done.insert(*c, near);
        }
    }
    done.into_iter().filter(|(_, found)| !found.is_empty()).collect()
}

/// Runs git in `dir` with `env` set, for the tests of this module and its parts; its output.
#[cfg(test)]
fn git_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out =
        std::process::Command::new("git").arg("-C").arg(dir).args(args).envs(env.iter().copied()).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_scan_one_blob_per_loop_and_settle_bases_first() {
        let oid = |n: u8| Oid::from_bytes(&[n; 20]).unwrap();
        let old = b"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\ns\nt\nu\nv\nw\nx\ny\nz\n".repeat(20);
        let mut new = old.clone();
        new[0] = b'A';
        let origin = Arc::new(Origin::Git { oid: String::new(), occurrence: None, path: None });
        let change = |base: u8| Scanned::Change {
            base: oid(base),
            split: delta::split(&old, &new, 1).expect("a small change"),
            near: Vec::new(),
            origin: Arc::clone(&origin),
        };
        // 1 and 2 are changes of each other (a file changed back and forth); 3 is a change of
        // 2, 4 of a blob without findings, 5 was scanned whole; 6, 7, 8 loop.
        let mut scanned = OidMap::default();
        for (n, s) in [(1, change(2)), (2, change(1)), (3, change(2)), (4, change(9)), (6, change(7)), (7, change(8))] {
            scanned.insert(oid(n), s);
        }
        scanned.insert(oid(8), change(6));
        scanned.insert(oid(5), Scanned::Whole(Vec::new()));
        let chains = Chains::of(&scanned);
        let mut loops = chains.loops.clone();
        loops.sort();
        assert_eq!(loops.len(), 2, "one blob of each loop: {loops:?}");
        assert!(loops.contains(&oid(1)) || loops.contains(&oid(2)), "{loops:?}");
        assert!([6, 7, 8].iter().any(|&n| loops.contains(&oid(n))), "{loops:?}");
        // Every other changed blob is settled once, after its base when that is a changed
        // blob too (a loop's blob is scanned whole, so it comes first).
        let mut order = chains.order.clone();
        order.sort();
        let mut want: Vec<Oid> = [1, 2, 3, 4, 6, 7, 8].iter().map(|&n| oid(n)).filter(|o| !loops.contains(o)).collect();
        want.sort();
        assert_eq!(order, want);
        let at = |o: Oid| chains.order.iter().position(|&x| x == o);
        for (n, base) in [(1, 2), (2, 1), (3, 2), (6, 7), (7, 8), (8, 6)] {
            if let (Some(i), Some(b)) = (at(oid(n)), at(oid(base))) {
                assert!(b < i, "{n} settled before its base {base}");
            }
        }
        // Each blob of a loop gets the findings of its rescan; the others get theirs too.
        let rescanned: OidMap<Vec<Finding>> = loops.iter().map(|&o| (o, Vec::new())).collect();
        assert!(settle(scanned, &chains, rescanned).is_empty());
    }
}
