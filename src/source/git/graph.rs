//! The commit graph of a scan: commits as dense indices with their trees, parents and times,
//! and which refs reach each commit, computed for every commit in one pass.

use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;

use super::oid_hash::OidMap;
use super::pack::{Packs, Reader};

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
    /// Reads `commits` (unreadable ones are reported to `warn` and left out), from the packs
    /// on `threads` threads where it can, else through libgit2.
    pub fn load(
        repo: &Repository,
        packs: &Arc<Packs>,
        commits: &[Oid],
        threads: usize,
        warn: impl FnMut(Oid, String),
    ) -> Graph {
        Graph::build(repo, commits, read_packed(packs, commits, threads), warn)
    }

    /// The graph of `commits`, those of them in `parsed` (the same length) already read;
    /// libgit2 reads the others.
    pub fn build(
        repo: &Repository,
        commits: &[Oid],
        parsed: Vec<Option<Commit>>,
        mut warn: impl FnMut(Oid, String),
    ) -> Graph {
        let mut g = Graph {
            oids: Vec::with_capacity(commits.len()),
            trees: Vec::with_capacity(commits.len()),
            times: Vec::with_capacity(commits.len()),
            parents: Vec::with_capacity(commits.len() + commits.len() / 8),
            starts: vec![0],
            index: OidMap::default(),
        };
        let mut parent_ids = Vec::with_capacity(commits.len());
        for (&oid, packed) in commits.iter().zip(parsed) {
            if g.index.contains_key(&oid) {
                continue;
            }
            let commit = packed.map(Ok).unwrap_or_else(|| repo.find_commit(oid).map(|c| Commit::of(&c)));
            match commit {
                Ok(c) => {
                    g.index.insert(oid, g.oids.len() as u32);
                    g.oids.push(oid);
                    g.trees.push(c.tree);
                    g.times.push(c.time);
                    parent_ids.push(c.parents);
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

/// What the graph keeps of a commit.
#[derive(Debug, PartialEq, Eq)]
pub struct Commit {
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub time: i64,
}

impl Commit {
    /// What the graph keeps of a commit libgit2 read.
    pub fn of(c: &git2::Commit<'_>) -> Commit {
        Commit { tree: c.tree_id(), parents: c.parent_ids().collect(), time: c.committer().when().seconds() }
    }
}

/// Each of `commits` read from the packs and parsed, in parallel; `None` where it is not
/// packed or not in the usual form (libgit2 then reads it).
fn read_packed(packs: &Arc<Packs>, commits: &[Oid], threads: usize) -> Vec<Option<Commit>> {
    let work = || {
        commits
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                let mut reader = Reader::new(Arc::clone(packs), 1 << 20);
                chunk.iter().map(|oid| packed_commit(&mut reader, oid)).collect::<Vec<_>>()
            })
            .collect()
    };
    super::on_threads(threads, work)
}

/// Commit `oid` read from the packs and parsed; `None` where it is not packed or not in the
/// usual form (libgit2 then reads it).
pub fn packed_commit(reader: &mut Reader, oid: &Oid) -> Option<Commit> {
    match reader.read(oid) {
        Some(Ok(obj)) if obj.kind == ObjectType::Commit => parse_commit(&obj.data),
        _ => None,
    }
}

/// A raw commit's tree, parents and committer time, when its headers come in the order git
/// writes them (`tree`, `parent`s, `author`, `committer`) and its committer line ends in
/// `> <seconds> <zone>`.
fn parse_commit(raw: &[u8]) -> Option<Commit> {
    let mut lines = raw.split(|&b| b == b'\n');
    let tree = hex_oid(lines.next()?.strip_prefix(b"tree ")?)?;
    let mut parents = Vec::new();
    let mut line = lines.next()?;
    while let Some(p) = line.strip_prefix(b"parent ") {
        parents.push(hex_oid(p)?);
        line = lines.next()?;
    }
    line.strip_prefix(b"author ")?;
    let committer = lines.next()?.strip_prefix(b"committer ")?;
    let after_email = &committer[memchr::memrchr(b'>', committer)? + 1..];
    let mut fields = after_email.split(|&b| b == b' ').filter(|f| !f.is_empty());
    let seconds = fields.next()?;
    let zone = fields.next()?;
    let valid_zone = zone.len() == 5 && matches!(zone[0], b'+' | b'-') && zone[1..].iter().all(u8::is_ascii_digit);
    if !valid_zone || fields.next().is_some() || seconds.len() > 18 || !seconds.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let time = std::str::from_utf8(seconds).ok()?.parse().ok()?;
    Some(Commit { tree, parents, time })
}

/// A 40-digit lower-case hex object id.
fn hex_oid(hex: &[u8]) -> Option<Oid> {
    if hex.len() != 40 || !hex.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_commits_parse_as_libgit2_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let args = [&["-c", "user.name=T Q", "-c", "user.email=t@e"], args].concat();
            crate::source::git::git_in(dir.path(), &args, &[("GIT_COMMITTER_DATE", "1700000000 -0130")]);
        };
        git(&["init", "-q", "-b", "main"]);
        for i in 0..12 {
            if i % 4 == 2 {
                git(&["checkout", "-q", "-b", &format!("side{i}")]);
            }
            std::fs::write(dir.path().join(format!("f{i}.txt")), format!("{i}\n")).unwrap();
            git(&["add", "-A"]);
            git(&["commit", "-q", "-m", &format!("c{i}\n\nbody")]);
            if i % 4 == 3 {
                git(&["checkout", "-q", "main"]);
                git(&["merge", "-q", "--no-ff", "-m", "merge", &format!("side{}", i - 1)]);
            }
        }
        git(&["gc", "-q"]);
        let repo = Repository::open(dir.path()).unwrap();
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        let commits: Vec<Oid> = walk.map(Result::unwrap).collect();
        let packs = Arc::new(Packs::open(&dir.path().join(".git/objects")));
        let packed = read_packed(&packs, &commits, 2);
        assert!(commits.len() > 12);
        for (oid, got) in commits.iter().zip(packed) {
            let c = repo.find_commit(*oid).unwrap();
            let want =
                Commit { tree: c.tree_id(), parents: c.parent_ids().collect(), time: c.committer().when().seconds() };
            assert_eq!(got, Some(want), "{oid}");
        }
        assert!(Graph::load(&repo, &packs, &commits, 2, |o, m| panic!("{o}: {m}")).len() == commits.len());
    }

    #[test]
    fn unusual_commits_are_left_to_libgit2() {
        let tree = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";
        let ok = format!("{tree}author A <a@e> 1 +0000\ncommitter C <c@e> 1700000000 +0100\n\nmsg");
        assert_eq!(parse_commit(ok.as_bytes()).map(|c| c.time), Some(1_700_000_000));
        for bad in [
            format!("{tree}committer C <c@e> 1 +0000\n\n"),
            format!("{tree}author A <a@e> 1 +0000\ncommitter C <c@e> soon +0000\n\n"),
            format!("{tree}author A <a@e> 1 +0000\ncommitter C <c@e> 1\n\n"),
            format!(
                "{tree}author A <a@e> 1 +0000\nparent 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter C <c@e> 1 +0000\n"
            ),
            "tree 4B825DC642CB6EB9A060E54BF8D69288FBEE4904\nauthor A <a@e> 1 +0000\ncommitter C <c@e> 1 +0000\n".into(),
        ] {
            assert_eq!(parse_commit(bad.as_bytes()), None, "{bad:?}");
        }
    }
}
