//! One walk of every commit's tree against its parents' trees, by object id: the blobs to
//! scan, and every change of a path's content (what provenance is built from), without
//! reading any tree twice for it.
//!
//! A subtree whose id equals the first parent's at the same path holds nothing new and is
//! not read. Every blob a commit reaches is *introduced* by some commit (the first one, in
//! topological order, holding it at that path: its parents do not), so the introduced blobs
//! are exactly the reachable blobs — or, for a commit range, the blobs its commits added.

use std::collections::HashMap;

use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use git2::{Oid, Repository};

use super::graph::Graph;
use super::oid_hash::{OidMap, OidSet};
use super::pack::{Packs, Reader};
use super::trees::{self, Entry, Kind, TreeCache};

/// Raw trees kept for re-reading: a commit's tree is read again as its children's parent.
const TREE_CACHE_BYTES: usize = 64 << 20;
/// Resolved objects each walker's pack reader keeps: the bases of the tree deltas that follow.
const TREE_BASES_BYTES: usize = 16 << 20;

/// A path's content changed in a commit, relative to its first parent (or to nothing for
/// a root commit).
#[derive(Clone, Copy, Debug)]
pub struct Event {
    pub commit: u32,
    pub path: u32,
    /// The blob now at the path, [`DELETED`] when the path is gone.
    pub blob: u32,
    /// The blob differs from what every parent has at this path: this commit introduced it.
    pub introduced: bool,
    /// For an introduced blob that replaced a blob at the same path in the first parent:
    /// that blob, as an index into [`Walked::bases`]; [`NO_BASE`] else.
    pub base: u32,
}

/// [`Event::base`] of a blob that replaced no blob.
pub const NO_BASE: u32 = u32::MAX;

/// [`Event::blob`] of a path that was removed.
pub const DELETED: u32 = u32::MAX;

/// What the walk found.
#[derive(Default)]
pub struct Walked {
    /// Every introduced blob, by index (first seen first).
    pub blobs: Vec<Oid>,
    pub blob_index: OidMap<u32>,
    pub paths: Paths,
    pub events: Vec<Event>,
    /// Every tree read (to tell reachable objects from unreachable ones).
    pub trees: OidSet,
    /// The blobs introduced blobs replaced (see [`Event::base`]).
    pub bases: Vec<Oid>,
}

/// Paths interned as dense indices.
#[derive(Default)]
pub struct Paths {
    index: HashMap<Box<[u8]>, u32>,
    names: Vec<Box<[u8]>>,
}

impl Paths {
    fn intern(&mut self, path: &[u8]) -> u32 {
        if let Some(&i) = self.index.get(path) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(path.into());
        self.index.insert(path.into(), i);
        i
    }

    pub fn get(&self, i: u32) -> String {
        String::from_utf8_lossy(&self.names[i as usize]).into_owned()
    }
}

/// What one run of commits gave: its walk, and its warnings.
type RunResult = (Walked, Vec<(Oid, String)>);

struct Walker<'r> {
    cache: TreeCache<'r>,
    out: Walked,
    path: Vec<u8>,
    commit: u32,
    warnings: Vec<(Oid, String)>,
}

impl Walked {
    /// Walks `order` (commit indices of `graph`; the result does not depend on the order,
    /// pack order keeps reads local) on `threads` threads, each with its own handle on the
    /// repository at `repo_path` and its own tree cache, over consecutive runs of `order`;
    /// the runs' results are joined in order, so they are the same on any number of
    /// threads. Unreadable trees are returned as warnings.
    pub fn walk(
        repo_path: &Path,
        packs: &Arc<Packs>,
        graph: &Graph,
        order: &[u32],
        threads: usize,
        progress: impl Fn(usize) + Sync,
    ) -> (Walked, Vec<(Oid, String)>) {
        // Runs of a thousand commits or more: long enough to keep each cache warm, many
        // enough to balance threads whose runs are cheap (early history) against dear ones.
        let run = order.len().div_ceil(threads.max(1) * 8).max(1024);
        Walked::walk_runs(repo_path, packs, graph, order, threads, run, progress)
    }

    fn walk_runs(
        repo_path: &Path,
        packs: &Arc<Packs>,
        graph: &Graph,
        order: &[u32],
        threads: usize,
        run: usize,
        progress: impl Fn(usize) + Sync,
    ) -> (Walked, Vec<(Oid, String)>) {
        let threads = threads.max(1);
        let runs: Vec<&[u32]> = order.chunks(run).collect();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let results: Vec<Mutex<Option<RunResult>>> = runs.iter().map(|_| Mutex::new(None)).collect();
        let work = || {
            let repo = match Repository::open(repo_path) {
                Ok(r) => r,
                Err(e) => return Err(format!("cannot open the repository: {}", e.message())),
            };
            let odb = repo.odb().map_err(|e| format!("cannot open the object database: {}", e.message()))?;
            let mut w = Walker {
                cache: TreeCache::new(
                    odb,
                    Reader::new(Arc::clone(packs), TREE_BASES_BYTES),
                    TREE_CACHE_BYTES / threads,
                ),
                out: Walked::default(),
                path: Vec::new(),
                commit: 0,
                warnings: Vec::new(),
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(commits) = runs.get(i) else { return Ok(()) };
                for &c in commits.iter() {
                    w.commit = c;
                    let parents: Vec<Option<Oid>> = graph.parents(c).iter().map(|p| Some(p.tree)).collect();
                    w.path.clear();
                    w.dir(graph.trees[c as usize], &parents);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
                let out = (std::mem::take(&mut w.out), std::mem::take(&mut w.warnings));
                if let Ok(mut slot) = results[i].lock() {
                    *slot = Some(out);
                }
            }
        };
        let failures: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(runs.len())).map(|_| s.spawn(work)).collect();
            handles.into_iter().filter_map(|h| h.join().ok().and_then(Result::err)).collect()
        });
        let mut all = Walked::default();
        let mut warnings = Vec::new();
        for msg in failures {
            warnings.push((graph.oids.first().copied().unwrap_or(Oid::ZERO_SHA1), msg));
        }
        for slot in results {
            // None: no thread could open the repository (said in the warnings above).
            if let Some((part, warned)) = slot.into_inner().ok().flatten() {
                all.join(part);
                warnings.extend(warned);
            }
        }
        (all, warnings)
    }

    /// The index of blob `id`, a new one when it is first seen.
    fn index_blob(&mut self, id: Oid) -> u32 {
        let next = self.blobs.len() as u32;
        *self.blob_index.entry(id).or_insert_with(|| {
            self.blobs.push(id);
            next
        })
    }

    /// Appends a later run's result: its paths and blobs renumbered into this one's.
    fn join(&mut self, part: Walked) {
        let paths: Vec<u32> = part.paths.names.iter().map(|n| self.paths.intern(n)).collect();
        let blobs: Vec<u32> = part.blobs.iter().map(|&id| self.index_blob(id)).collect();
        let offset = self.bases.len() as u32;
        self.events.extend(part.events.into_iter().map(|e| Event {
            path: paths[e.path as usize],
            blob: if e.blob == DELETED { DELETED } else { blobs[e.blob as usize] },
            base: if e.base == NO_BASE { NO_BASE } else { e.base + offset },
            ..e
        }));
        self.bases.extend(part.bases);
        self.trees.extend(part.trees);
    }
}

impl Walker<'_> {
    fn tree(&mut self, id: Oid) -> Option<Rc<Vec<u8>>> {
        match self.cache.get(id) {
            Ok(t) => Some(t),
            Err(e) => {
                self.warnings.push((id, format!("unreadable tree: {e}")));
                None
            }
        }
    }

    /// The entries of the raw tree `data` (`id`): a malformed one is a warning, and the
    /// entries before the fault are kept.
    fn entries<'a>(&mut self, id: Oid, data: &'a [u8]) -> Vec<Entry<'a>> {
        let mut out = Vec::new();
        if let Err(e) = trees::parse(data, &mut out) {
            self.warnings.push((id, format!("malformed tree: {e}")));
        }
        out
    }

    fn event(&mut self, blob: Option<Oid>, introduced: bool, replaced: Option<Oid>) {
        let path = self.out.paths.intern(&self.path);
        let blob = match blob {
            Some(b) => self.out.index_blob(b),
            None => DELETED,
        };
        let base = match replaced {
            Some(id) if introduced => {
                self.out.bases.push(id);
                self.out.bases.len() as u32 - 1
            }
            _ => NO_BASE,
        };
        self.out.events.push(Event { commit: self.commit, path, blob, introduced, base });
    }

    /// Diffs the tree `new` (at the current path) against the parents' trees at the same
    /// path (`None`: no such tree in that parent).
    fn dir(&mut self, new: Oid, parents: &[Option<Oid>]) {
        self.out.trees.insert(new);
        let Some(tree) = self.tree(new) else { return };
        let first = parents.first().copied().flatten().and_then(|id| self.tree(id).map(|t| (id, t)));
        // Entries both trees share at their start and end are unchanged: only the ones in
        // between are parsed and diffed.
        let (entries, old) = match &first {
            Some((id, t)) => {
                let (mid_new, mid_old) = trees::middle(&tree, t);
                (self.entries(new, &tree[mid_new]), self.entries(*id, &t[mid_old]))
            }
            None => (self.entries(new, &tree), Vec::new()),
        };
        // Merges: the other parents' trees at this path, looked up by name per entry.
        let other_data: Vec<(Oid, Rc<Vec<u8>>)> =
            parents.iter().skip(1).filter_map(|p| p.and_then(|id| self.tree(id).map(|t| (id, t)))).collect();
        let others: Vec<Vec<Entry<'_>>> = other_data.iter().map(|(id, t)| self.entries(*id, t)).collect();
        let base = self.path.len();
        let mut oi = 0;
        for e in &entries {
            let (name, is_tree) = (e.name, e.is_tree());
            // Entries only the first parent has, before this one: deleted.
            let mut matched: Option<Entry<'_>> = None;
            while let Some(o) = old.get(oi) {
                match trees::tree_order(o.name, o.is_tree(), name, is_tree) {
                    std::cmp::Ordering::Less => {
                        self.deleted(o, base);
                        oi += 1;
                    }
                    std::cmp::Ordering::Equal => {
                        matched = Some(*o);
                        oi += 1;
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if matched.is_some_and(|o| o.id == e.id) {
                continue; // unchanged relative to the first parent: nothing new below
            }
            self.push_name(base, name);
            let in_other = |t: &[Entry<'_>]| trees::find(t, name, is_tree).filter(|o| o.kind == e.kind).map(|o| o.id);
            match e.kind {
                Kind::Blob => {
                    let introduced = !others.iter().any(|t| in_other(t) == Some(e.id));
                    let replaced = matched.filter(|o| o.kind == Kind::Blob).map(|o| o.id);
                    self.event(Some(e.id), introduced, replaced);
                }
                Kind::Tree => {
                    let mut sub = Vec::with_capacity(parents.len());
                    sub.push(matched.map(|o| o.id));
                    for t in &others {
                        sub.push(in_other(t));
                    }
                    self.dir(e.id, &sub);
                }
                Kind::Commit => {}
            }
            self.path.truncate(base);
        }
        while let Some(o) = old.get(oi) {
            self.deleted(o, base);
            oi += 1;
        }
    }

    fn push_name(&mut self, base: usize, name: &[u8]) {
        self.path.truncate(base);
        if base > 0 {
            self.path.push(b'/');
        }
        self.path.extend_from_slice(name);
    }

    /// The first parent's entry `o` is gone: a deletion event for it, or for every blob
    /// under it when it is a tree.
    fn deleted(&mut self, o: &Entry<'_>, base: usize) {
        self.push_name(base, o.name);
        match o.kind {
            Kind::Blob => self.event(None, false, None),
            Kind::Tree => self.deleted_tree(o.id),
            Kind::Commit => {}
        }
        self.path.truncate(base);
    }

    fn deleted_tree(&mut self, id: Oid) {
        let Some(tree) = self.tree(id) else { return };
        let entries = self.entries(id, &tree);
        let base = self.path.len();
        for e in &entries {
            self.deleted(e, base);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_many_threads_give_what_one_walk_gives() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            crate::source::git::git_in(
                dir.path(),
                &[&["-c", "user.name=t", "-c", "user.email=t@e"], args].concat(),
                &[],
            );
        };
        git(&["init", "-q", "-b", "main"]);
        let write = |p: &str, text: String| {
            let p = dir.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        for i in 0..40 {
            write(&format!("d{}/f{}.txt", i % 3, i % 7), format!("v{i}\n"));
            if i % 11 == 5 {
                let _ = std::fs::remove_dir_all(dir.path().join("d1"));
            }
            git(&["add", "-A"]);
            git(&["commit", "-qm", &format!("c{i}")]);
            if i == 20 {
                git(&["checkout", "-qb", "side", "HEAD~3"]);
            }
            if i == 30 {
                git(&["checkout", "-q", "main"]);
                git(&["merge", "-q", "--no-edit", "-X", "theirs", "side"]);
            }
        }
        let repo = Repository::open(dir.path()).unwrap();
        let mut rw = repo.revwalk().unwrap();
        rw.push_glob("refs/*").unwrap();
        let commits: Vec<Oid> = rw.map(Result::unwrap).collect();
        let packs = Arc::new(Packs::open(&repo.path().join("objects")));
        let graph = Graph::load(&repo, &packs, &commits, 2, |o, m| panic!("{o}: {m}"));
        let order: Vec<u32> = (0..graph.len() as u32).rev().collect();
        let flat = |w: &Walked| -> Vec<(u32, String, Option<Oid>, bool)> {
            w.events
                .iter()
                .map(|e| {
                    (e.commit, w.paths.get(e.path), (e.blob != DELETED).then(|| w.blobs[e.blob as usize]), e.introduced)
                })
                .collect()
        };
        let (one, warned) = Walked::walk_runs(repo.path(), &packs, &graph, &order, 1, usize::MAX, |_| {});
        assert!(warned.is_empty());
        assert!(one.events.iter().any(|e| e.blob == DELETED));
        assert!(one.events.iter().any(|e| e.base != NO_BASE));
        let (many, warned) = Walked::walk_runs(repo.path(), &packs, &graph, &order, 3, 4, |_| {});
        assert!(warned.is_empty());
        assert_eq!(flat(&one), flat(&many));
        assert_eq!(one.blobs, many.blobs);
        assert_eq!(one.trees.len(), many.trees.len());
    }
}
