//! One walk of every commit's tree against its parents' trees, by object id: the blobs to
//! scan, and every change of a path's content (what provenance is built from), without
//! reading any tree twice for it.
//!
//! A subtree whose id equals the first parent's at the same path holds nothing new and is
//! not read. Every blob a commit reaches is *introduced* by some commit (the first one, in
//! topological order, holding it at that path: its parents do not), so the introduced blobs
//! are exactly the reachable blobs — or, for a commit range, the blobs its commits added.

use std::collections::HashMap;

use git2::{ObjectType, Oid, Repository, Tree};

use super::graph::Graph;
use super::oid_hash::{OidMap, OidSet};

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
}

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

/// One entry of a tree, as the walk needs it.
#[derive(Clone, Copy)]
enum Kind {
    Blob,
    Tree,
    Other,
}

fn kind(e: &git2::TreeEntry<'_>) -> Kind {
    match e.kind() {
        Some(ObjectType::Blob) => Kind::Blob,
        Some(ObjectType::Tree) => Kind::Tree,
        _ => Kind::Other,
    }
}

/// git's tree order: names compare bytewise, a tree's name as if it ended in `/`.
fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {
            let end = |s: &[u8], t: bool| s.get(n).copied().unwrap_or(if t { b'/' } else { 0 });
            end(a, a_tree).cmp(&end(b, b_tree))
        }
        o => o,
    }
}

struct Walker<'r> {
    repo: &'r Repository,
    out: Walked,
    path: Vec<u8>,
    commit: u32,
    warnings: Vec<(Oid, String)>,
}

impl Walked {
    /// Walks `order` (commit indices of `graph`; the result does not depend on the order,
    /// pack order keeps reads local). Unreadable trees are returned as warnings.
    pub fn walk(
        repo: &Repository,
        graph: &Graph,
        order: &[u32],
        mut progress: impl FnMut(usize),
    ) -> (Walked, Vec<(Oid, String)>) {
        let mut w = Walker { repo, out: Walked::default(), path: Vec::new(), commit: 0, warnings: Vec::new() };
        for (done, &c) in order.iter().enumerate() {
            w.commit = c;
            let parents: Vec<Option<Oid>> = graph.parents(c).iter().map(|p| Some(p.tree)).collect();
            w.path.clear();
            w.dir(graph.trees[c as usize], &parents);
            progress(done + 1);
        }
        (w.out, w.warnings)
    }
}

impl<'r> Walker<'r> {
    fn tree(&mut self, id: Oid) -> Option<Tree<'r>> {
        match self.repo.find_tree(id) {
            Ok(t) => Some(t),
            Err(e) => {
                self.warnings.push((id, format!("unreadable tree: {}", e.message())));
                None
            }
        }
    }

    fn blob_index(&mut self, id: Oid) -> u32 {
        let next = self.out.blobs.len() as u32;
        *self.out.blob_index.entry(id).or_insert_with(|| {
            self.out.blobs.push(id);
            next
        })
    }

    fn event(&mut self, blob: Option<Oid>, introduced: bool) {
        let path = self.out.paths.intern(&self.path);
        let blob = match blob {
            Some(b) => self.blob_index(b),
            None => DELETED,
        };
        self.out.events.push(Event { commit: self.commit, path, blob, introduced });
    }

    /// Diffs the tree `new` (at the current path) against the parents' trees at the same
    /// path (`None`: no such tree in that parent).
    fn dir(&mut self, new: Oid, parents: &[Option<Oid>]) {
        self.out.trees.insert(new);
        let repo = self.repo;
        let Some(tree) = self.tree(new) else { return };
        let first = parents.first().copied().flatten().and_then(|id| self.tree(id));
        // Merges: the other parents' trees at this path, looked up by name per entry.
        let others: Vec<Option<Tree<'_>>> =
            parents.iter().skip(1).map(|p| p.and_then(|id| repo.find_tree(id).ok())).collect();
        let base = self.path.len();
        let old: Vec<git2::TreeEntry<'_>> = first.as_ref().map(|t| t.iter().collect()).unwrap_or_default();
        let mut oi = 0;
        for e in tree.iter() {
            let (name, ek) = (e.name_bytes(), kind(&e));
            let is_tree = matches!(ek, Kind::Tree);
            // Entries only the first parent has, before this one: deleted.
            let mut matched = None;
            while let Some(o) = old.get(oi) {
                let ok = kind(o);
                match tree_order(o.name_bytes(), matches!(ok, Kind::Tree), name, is_tree) {
                    std::cmp::Ordering::Less => {
                        self.deleted(o, ok, base);
                        oi += 1;
                    }
                    std::cmp::Ordering::Equal => {
                        matched = Some(o.id());
                        oi += 1;
                        break;
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if matched == Some(e.id()) {
                continue; // unchanged relative to the first parent: nothing new below
            }
            self.push_name(base, name);
            let in_other = |want: Oid| {
                others.iter().any(|t| {
                    t.as_ref()
                        .and_then(|t| t.get_name_bytes(name))
                        .is_some_and(|o| o.id() == want && o.kind() == e.kind())
                })
            };
            match ek {
                Kind::Blob => {
                    let introduced = !in_other(e.id());
                    self.event(Some(e.id()), introduced);
                }
                Kind::Tree => {
                    let mut sub = Vec::with_capacity(parents.len());
                    sub.push(matched);
                    for t in &others {
                        sub.push(
                            t.as_ref()
                                .and_then(|t| t.get_name_bytes(name))
                                .filter(|o| o.kind() == Some(ObjectType::Tree))
                                .map(|o| o.id()),
                        );
                    }
                    self.dir(e.id(), &sub);
                }
                Kind::Other => {}
            }
            self.path.truncate(base);
        }
        while let Some(o) = old.get(oi) {
            self.deleted(o, kind(o), base);
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
    fn deleted(&mut self, o: &git2::TreeEntry<'_>, k: Kind, base: usize) {
        self.push_name(base, o.name_bytes());
        match k {
            Kind::Blob => self.event(None, false),
            Kind::Tree => self.deleted_tree(o.id()),
            Kind::Other => {}
        }
        self.path.truncate(base);
    }

    fn deleted_tree(&mut self, id: Oid) {
        let repo = self.repo;
        let Ok(tree) = repo.find_tree(id) else { return };
        let base = self.path.len();
        for e in tree.iter() {
            let k = kind(&e);
            self.push_name(base, e.name_bytes());
            match k {
                Kind::Blob => self.event(None, false),
                Kind::Tree => self.deleted_tree(e.id()),
                Kind::Other => {}
            }
            self.path.truncate(base);
        }
    }
}
