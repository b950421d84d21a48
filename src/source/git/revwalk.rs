//! A history's commits in the order of libgit2's revision walk without sorting, each read
//! once: libgit2 reads every commit again through its object database, on one thread, a
//! tenth of a large history scan. Stories break ties by this order, so it is the same.
//!
//! The order: the start commits, last pushed first, then again and again the first commit
//! of that list, each of its parents not yet listed inserted before the first listed commit
//! older than the parent.

use git2::Oid;

use super::graph::Commit;
use super::oid_hash::OidMap;

/// The walk's commits in order, each with what the graph keeps of it.
pub struct Walk {
    pub order: Vec<Oid>,
    pub commits: Vec<Commit>,
}

/// Walks from `pushed` (in the order they were pushed), reading each commit with `read`;
/// `None` when one cannot be read (libgit2 then walks, and says why).
pub fn unsorted(pushed: &[Oid], read: impl FnMut(Oid) -> Option<Commit>) -> Option<Walk> {
    let mut nodes = Nodes { nodes: Vec::new(), index: OidMap::default(), read };
    let mut starts = Vec::new();
    for &oid in pushed.iter().rev() {
        let n = nodes.lookup(oid);
        nodes.parse(n)?;
        if !std::mem::replace(&mut nodes.nodes[n as usize].seen, true) {
            starts.push(n);
        }
    }
    let mut list = List::of(starts);
    let mut walk = Walk { order: Vec::new(), commits: Vec::new() };
    while let Some(n) = list.pop_front() {
        let parents = std::mem::take(&mut nodes.nodes[n as usize].parents);
        for p in parents {
            nodes.parse(p)?;
            let node = &mut nodes.nodes[p as usize];
            if !std::mem::replace(&mut node.seen, true) {
                let time = node.time;
                list.insert_by_date(p, time, |m| nodes.nodes[m as usize].time);
            }
        }
        let node = &mut nodes.nodes[n as usize];
        walk.order.push(node.oid);
        walk.commits.push(node.commit.take()?);
    }
    Some(walk)
}

/// One commit of the walk; `commit` is set once it is read, and taken when it is walked.
struct Node {
    oid: Oid,
    parsed: bool,
    seen: bool,
    time: i64,
    parents: Vec<u32>,
    commit: Option<Commit>,
}

struct Nodes<F> {
    nodes: Vec<Node>,
    index: OidMap<u32>,
    read: F,
}

impl<F: FnMut(Oid) -> Option<Commit>> Nodes<F> {
    fn lookup(&mut self, oid: Oid) -> u32 {
        let next = self.nodes.len() as u32;
        let n = *self.index.entry(oid).or_insert(next);
        if n == next {
            self.nodes.push(Node { oid, parsed: false, seen: false, time: 0, parents: Vec::new(), commit: None });
        }
        n
    }

    fn parse(&mut self, n: u32) -> Option<()> {
        if self.nodes[n as usize].parsed {
            return Some(());
        }
        let commit = (self.read)(self.nodes[n as usize].oid)?;
        let parents = commit.parents.iter().map(|&p| self.lookup(p)).collect();
        let node = &mut self.nodes[n as usize];
        (node.parsed, node.time, node.parents) = (true, commit.time, parents);
        node.commit = Some(commit);
        Some(())
    }
}

const NIL: u32 = u32::MAX;

/// A singly linked list of nodes (a cell is never reused: there is one per listed commit).
struct List {
    cells: Vec<(u32, u32)>,
    head: u32,
}

impl List {
    /// The list of `nodes`, in their order.
    fn of(nodes: Vec<u32>) -> List {
        let n = nodes.len() as u32;
        let cells = nodes.into_iter().zip(1..).map(|(node, next)| (node, if next == n { NIL } else { next })).collect();
        List { cells, head: if n == 0 { NIL } else { 0 } }
    }

    fn pop_front(&mut self) -> Option<u32> {
        let (node, next) = *self.cells.get(self.head as usize)?;
        self.head = next;
        Some(node)
    }

    /// Inserts `node` before the first listed node older than `time`.
    fn insert_by_date(&mut self, node: u32, time: i64, time_of: impl Fn(u32) -> i64) {
        let (mut prev, mut at) = (NIL, self.head);
        while at != NIL && time_of(self.cells[at as usize].0) >= time {
            (prev, at) = (at, self.cells[at as usize].1);
        }
        let cell = self.cells.len() as u32;
        self.cells.push((node, at));
        match prev {
            NIL => self.head = cell,
            p => self.cells[p as usize].1 = cell,
        }
    }
}

#[cfg(test)]
mod tests {
    use git2::Repository;

    use super::*;

    /// A history with merges, many branches and tags, and committer dates that tie and
    /// go back in time (clock skew): what the order depends on.
    fn history() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str], date: u64| {
            let args = [&["-c", "user.name=T Q", "-c", "user.email=t@e"], args].concat();
            let date = format!("{} +0000", 1_700_000_000 + date);
            crate::source::git::git_in(dir.path(), &args, &[("GIT_COMMITTER_DATE", &date)]);
        };
        git(&["init", "-q", "-b", "main"], 0);
        for i in 0..48u64 {
            let date = (i * 7 % 13) * 100;
            if i % 5 == 1 {
                git(&["checkout", "-q", "-b", &format!("b{i}")], date);
            }
            std::fs::write(dir.path().join(format!("f{}.txt", i % 9)), format!("{i}\n")).unwrap();
            git(&["add", "-A"], date);
            git(&["commit", "-q", "-m", &format!("c{i}")], date);
            if i % 3 == 0 {
                git(&["tag", &format!("t{i}")], date);
            }
            if i % 5 == 3 {
                git(&["checkout", "-q", "main"], date);
                git(&["merge", "-q", "--no-ff", "-m", "merge", &format!("b{}", i - 2)], date);
            }
        }
        let repo = Repository::open(dir.path()).unwrap();
        (dir, repo)
    }

    fn libgit2_order(repo: &Repository, pushed: &[Oid]) -> Vec<Oid> {
        let mut walk = repo.revwalk().unwrap();
        for &oid in pushed {
            walk.push(oid).unwrap();
        }
        walk.map(Result::unwrap).collect()
    }

    #[test]
    fn the_order_is_libgit2s() {
        let (_dir, repo) = history();
        let read = |oid: Oid| repo.find_commit(oid).ok().map(|c| Commit::of(&c));
        let mut tips: Vec<Oid> =
            repo.references().unwrap().map(|r| r.unwrap().peel_to_commit().unwrap().id()).collect();
        tips.sort();
        tips.dedup();
        assert!(tips.len() > 20, "{}", tips.len());
        // In several push orders, each with one commit pushed twice.
        for turn in 0..4 {
            let mut pushed = tips.clone();
            pushed.rotate_left(turn * 5);
            if turn % 2 == 1 {
                pushed.reverse();
            }
            pushed.push(pushed[3]);
            let walk = unsorted(&pushed, read).unwrap();
            let want = libgit2_order(&repo, &pushed);
            assert!(want.len() > 48);
            assert_eq!(walk.order, want, "push order {turn}");
            for (oid, c) in walk.order.iter().zip(&walk.commits) {
                assert_eq!(*c, read(*oid).unwrap());
            }
        }
    }

    #[test]
    fn a_commit_that_cannot_be_read_gives_no_order() {
        let (_dir, repo) = history();
        let head = repo.head().unwrap().target().unwrap();
        let root = libgit2_order(&repo, &[head]).pop().unwrap();
        let read = |oid: Oid| (oid != root).then(|| repo.find_commit(oid).ok().map(|c| Commit::of(&c))).flatten();
        assert!(unsorted(&[head], read).is_none());
    }
}
