//! The commit graph of a scan: commits as dense indices with their trees, parents and times,
//! and which refs reach each commit, computed for every commit in one pass.

use git2::{Oid, Repository};

use super::oid_hash::OidMap;

/// No index: a parent outside the scanned commits (a range's base, a shallow boundary).
pub const OUTSIDE: u32 = u32::MAX;

/// A parent of a commit: its index when it is one of the graph's commits, and its tree.
#[derive(Clone, Copy, Debug)]
pub struct Parent {
    pub index: u32,
    pub tree: Oid,
}

/// The commits of a scan. Index order is the order commits were given in.
pub struct Graph {
    pub oids: Vec<Oid>,
    pub trees: Vec<Oid>,
    /// Committer time (seconds): what "the last commit that still held it" is ordered by.
    pub times: Vec<i64>,
    parents: Vec<Parent>,
    /// `parents[starts[i]..starts[i + 1]]` are commit i's parents, first parent first.
    starts: Vec<u32>,
    index: OidMap<u32>,
}

impl Graph {
    /// Reads `commits` (unreadable ones are reported to `warn` and left out).
    pub fn load(repo: &Repository, commits: &[Oid], mut warn: impl FnMut(Oid, String)) -> Graph {
        let mut g = Graph {
            oids: Vec::with_capacity(commits.len()),
            trees: Vec::with_capacity(commits.len()),
            times: Vec::with_capacity(commits.len()),
            parents: Vec::with_capacity(commits.len() + commits.len() / 8),
            starts: vec![0],
            index: OidMap::default(),
        };
        let mut parent_ids = Vec::with_capacity(commits.len());
        for &oid in commits {
            if g.index.contains_key(&oid) {
                continue;
            }
            match repo.find_commit(oid) {
                Ok(c) => {
                    g.index.insert(oid, g.oids.len() as u32);
                    g.oids.push(oid);
                    g.trees.push(c.tree_id());
                    g.times.push(c.committer().when().seconds());
                    parent_ids.push(c.parent_ids().collect::<Vec<_>>());
                }
                Err(e) => warn(oid, format!("unreadable commit: {}", e.message())),
            }
        }
        for ids in parent_ids {
            for p in ids {
                let parent = match g.index.get(&p) {
                    Some(&i) => Some(Parent { index: i, tree: g.trees[i as usize] }),
                    // Outside the graph: still diffed against, so its tree is needed.
                    None => repo.find_commit(p).ok().map(|c| Parent { index: OUTSIDE, tree: c.tree_id() }),
                };
                // A parent that cannot be read (shallow boundary) counts as no parent.
                if let Some(parent) = parent {
                    g.parents.push(parent);
                }
            }
            g.starts.push(g.parents.len() as u32);
        }
        g
    }

    pub fn len(&self) -> usize {
        self.oids.len()
    }

    pub fn index_of(&self, oid: Oid) -> Option<u32> {
        self.index.get(&oid).copied()
    }

    pub fn parents(&self, c: u32) -> &[Parent] {
        let c = c as usize;
        &self.parents[self.starts[c] as usize..self.starts[c + 1] as usize]
    }

    /// The first parent's index, when it is in the graph.
    pub fn first_parent(&self, c: u32) -> Option<u32> {
        self.parents(c).first().map(|p| p.index).filter(|&i| i != OUTSIDE)
    }

    /// For every commit in `wanted`, the set of `tips` (as indices into `tips`) from which it
    /// is reachable: one walk of the whole graph, children before parents, each commit's set
    /// passed down to its parents and dropped once they have it. Cost: commits × tips / 64
    /// word operations; memory: the sets of the walk's frontier.
    pub fn containment(&self, tips: &[Oid], wanted: &[Oid]) -> OidMap<RefSet> {
        let n = self.len();
        let tips: Vec<u32> = tips.iter().map(|t| self.index_of(*t).unwrap_or(OUTSIDE)).collect();
        let mut want = vec![false; n];
        for w in wanted {
            if let Some(i) = self.index_of(*w) {
                want[i as usize] = true;
            }
        }
        let words = tips.len().div_ceil(64).max(1);
        let mut children = vec![0u32; n];
        for c in 0..n as u32 {
            for p in self.parents(c) {
                if p.index != OUTSIDE {
                    children[p.index as usize] += 1;
                }
            }
        }
        let mut acc: Vec<Option<Box<[u64]>>> = vec![None; n];
        for (bit, &t) in tips.iter().enumerate() {
            if (t as usize) < n {
                acc[t as usize].get_or_insert_with(|| vec![0; words].into_boxed_slice())[bit / 64] |= 1 << (bit % 64);
            }
        }
        let mut out = OidMap::default();
        let mut ready: Vec<u32> = (0..n as u32).filter(|&c| children[c as usize] == 0).collect();
        while let Some(c) = ready.pop() {
            let bits = acc[c as usize].take();
            for p in self.parents(c) {
                if p.index == OUTSIDE {
                    continue;
                }
                let pi = p.index as usize;
                if let Some(bits) = &bits {
                    let slot = acc[pi].get_or_insert_with(|| vec![0; words].into_boxed_slice());
                    for (a, b) in slot.iter_mut().zip(bits.iter()) {
                        *a |= *b;
                    }
                }
                children[pi] -= 1;
                if children[pi] == 0 {
                    ready.push(p.index);
                }
            }
            if want[c as usize] {
                out.insert(self.oids[c as usize], RefSet(bits.unwrap_or_default()));
            }
        }
        out
    }
}

/// A set of ref indices (bit i = the i-th tip given to [`Graph::containment`]).
#[derive(Clone, Debug, Default)]
pub struct RefSet(Box<[u64]>);

impl RefSet {
    pub fn union_with(&mut self, other: &RefSet) {
        if self.0.len() < other.0.len() {
            let mut v = self.0.to_vec();
            v.resize(other.0.len(), 0);
            self.0 = v.into_boxed_slice();
        }
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
    }

    /// The indices in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .flat_map(|(w, &bits)| (0..64).filter(move |b| bits & (1 << b) != 0).map(move |b| w * 64 + b))
    }
}
