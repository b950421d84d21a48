//! Provenance of the secrets found in git blobs, one story per (secret, path): the commit that
//! first put the secret at that path, every commit that introduced a blob holding it there,
//! how many commits carried it, the last one that still did (or "still at HEAD"), and every
//! ref that reaches it. Built from the walk's change events and the commit graph; cost grows
//! with the history, not with findings × refs.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use git2::{Oid, Repository};

use super::graph::{Graph, RefSet};
use super::oid_hash::OidMap;
use super::walk::{DELETED, Event, Walked};
use crate::finding::Finding;
use crate::origin::{GitIntroduction, GitOccurrence, Origin};

/// Who made a commit, and when.
struct CommitInfo {
    author: String,
    email: String,
    /// Author time, seconds, and RFC 3339.
    time: i64,
    date: String,
    summary: String,
}

/// The first-parent forest of the graph in DFS order: commit c's first-parent descendants
/// are the positions `tin[c] .. tin[c] + size[c]`.
struct Forest {
    tin: Vec<u32>,
    size: Vec<u32>,
    /// Commit at each position.
    at: Vec<u32>,
}

impl Forest {
    fn new(g: &Graph) -> Forest {
        let n = g.len();
        let mut first_child = vec![u32::MAX; n];
        let mut next_sibling = vec![u32::MAX; n];
        let mut roots = Vec::new();
        for c in (0..n as u32).rev() {
            match g.first_parent(c) {
                Some(p) => {
                    next_sibling[c as usize] = first_child[p as usize];
                    first_child[p as usize] = c;
                }
                None => roots.push(c),
            }
        }
        let (mut tin, mut size, mut at) = (vec![0u32; n], vec![1u32; n], Vec::with_capacity(n));
        let mut stack: Vec<(u32, bool)> = roots.into_iter().rev().map(|r| (r, false)).collect();
        while let Some((c, closing)) = stack.pop() {
            if closing {
                size[c as usize] = at.len() as u32 - tin[c as usize];
                continue;
            }
            tin[c as usize] = at.len() as u32;
            at.push(c);
            stack.push((c, true));
            let mut child = first_child[c as usize];
            while child != u32::MAX {
                stack.push((child, false));
                child = next_sibling[child as usize];
            }
        }
        Forest { tin, size, at }
    }

    fn contains(&self, outer: u32, inner: u32) -> bool {
        let (o, i) = (self.tin[outer as usize], self.tin[inner as usize]);
        o <= i && i < o + self.size[outer as usize]
    }
}

/// Range maximum of commit time over forest positions (an iterative segment tree).
struct Latest<'g> {
    n: usize,
    tree: Vec<u32>,
    times: &'g [i64],
}

impl<'g> Latest<'g> {
    fn new(forest: &Forest, times: &'g [i64]) -> Latest<'g> {
        let n = forest.at.len();
        let mut tree = vec![u32::MAX; 2 * n];
        tree[n..].copy_from_slice(&forest.at);
        let mut l = Latest { n, tree, times };
        for i in (1..n).rev() {
            l.tree[i] = l.later(l.tree[2 * i], l.tree[2 * i + 1]);
        }
        l
    }

    fn later(&self, a: u32, b: u32) -> u32 {
        match (a, b) {
            (u32::MAX, x) | (x, u32::MAX) => x,
            _ if (self.times[b as usize], b) > (self.times[a as usize], a) => b,
            _ => a,
        }
    }

    /// The latest commit at positions `lo..hi` (u32::MAX when empty).
    fn query(&self, lo: u32, hi: u32) -> u32 {
        let (mut l, mut r, mut best) = (lo as usize + self.n, hi as usize + self.n, u32::MAX);
        while l < r {
            if l & 1 == 1 {
                best = self.later(best, self.tree[l]);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                best = self.later(best, self.tree[r]);
            }
            l /= 2;
            r /= 2;
        }
        best
    }
}

/// What the commits after an event hold at its path: how many commits carry the event's
/// blob there, and the latest of them.
#[derive(Clone, Copy)]
struct Reach {
    carried: u32,
    last: u32,
}

/// For each event at one path (sorted by forest position), the commits that still hold its
/// blob: its first-parent descendants minus those below a later change of the same path.
fn reach_of(events: &[Event], forest: &Forest, latest: &Latest<'_>) -> Vec<Reach> {
    let mut out = vec![Reach { carried: 0, last: u32::MAX }; events.len()];
    // Nested events form a tree (subtrees of a forest nest); children per event.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if forest.contains(events[top].commit, e.commit) {
                break;
            }
            stack.pop();
        }
        if let Some(&top) = stack.last() {
            children[top].push(i);
        }
        stack.push(i);
    }
    for (i, e) in events.iter().enumerate() {
        let (start, size) = (forest.tin[e.commit as usize], forest.size[e.commit as usize]);
        let mut carried = size;
        let mut last = u32::MAX;
        let mut lo = start;
        for &ch in &children[i] {
            let c = events[ch].commit as usize;
            carried -= forest.size[c];
            last = latest.later(last, latest.query(lo, forest.tin[c]));
            lo = forest.tin[c] + forest.size[c];
        }
        last = latest.later(last, latest.query(lo, start + size));
        out[i] = Reach { carried, last };
    }
    out
}

/// One secret at one path, while it is being put together.
struct Story<'f> {
    finding: &'f Finding,
    blob: Oid,
    events: Vec<(Event, Reach)>,
    /// Each blob holding the secret at this path, with the secret's line in it.
    blobs: OidMap<u32>,
}

/// A repository's history as the walk saw it.
pub struct History<'a> {
    pub repo: &'a Repository,
    pub graph: &'a Graph,
    pub walked: &'a Walked,
}

/// Turns the findings of scanned blobs into findings with provenance: one per (rule,
/// secret, path) for blobs that commits reach, the blob's own findings (unreachable) else.
pub fn resolve(
    History { repo, graph, walked }: History<'_>,
    hits: &[(Oid, Vec<Finding>)],
    tips: &[String],
    allows_commit: impl Fn(&str, Oid) -> bool,
    reach: impl FnOnce(&[Oid]) -> OidMap<RefSet>,
    mut progress: impl FnMut(u64, u64),
) -> Vec<Finding> {
    let mut hit_of: HashMap<u32, usize> = HashMap::new();
    let mut hit_by_oid: OidMap<usize> = OidMap::default();
    for (i, (oid, _)) in hits.iter().enumerate() {
        hit_by_oid.insert(*oid, i);
        if let Some(&b) = walked.blob_index.get(oid) {
            hit_of.insert(b, i);
        }
    }
    // Every change of a path that ever held a blob with findings.
    let mut target_paths: HashMap<u32, Vec<Event>> = HashMap::new();
    let mut in_story = vec![false; hits.len()];
    for e in &walked.events {
        if let Some(&h) = (e.blob != DELETED).then(|| hit_of.get(&e.blob)).flatten() {
            in_story[h] = true;
            target_paths.entry(e.path).or_default();
        }
    }
    for e in &walked.events {
        if let Some(list) = target_paths.get_mut(&e.path) {
            list.push(*e);
        }
    }
    let forest = Forest::new(graph);
    let latest = Latest::new(&forest, &graph.times);
    // Per hit blob, its findings with one (the first) per (rule, secret).
    let keyed: Vec<Vec<&Finding>> = hits
        .iter()
        .map(|(_, fs)| {
            let mut seen = std::collections::HashSet::new();
            let mut v: Vec<&Finding> = fs.iter().collect();
            v.sort_by_key(|f| f.span.byte_start);
            v.retain(|f| seen.insert((f.rule.id.as_str(), f.digest)));
            v
        })
        .collect();
    let mut stories: HashMap<(&str, crate::secret::Digest, u32), Story<'_>> = HashMap::new();
    let total = target_paths.len() as u64;
    let mut paths: Vec<(u32, Vec<Event>)> = target_paths.into_iter().collect();
    paths.sort_by_key(|(p, _)| *p);
    for (done, (path, mut events)) in paths.into_iter().enumerate() {
        events.sort_by_key(|e| forest.tin[e.commit as usize]);
        let reach = reach_of(&events, &forest, &latest);
        for (e, r) in events.iter().zip(reach) {
            let Some(&h) = (e.blob != DELETED).then(|| hit_of.get(&e.blob)).flatten() else { continue };
            let blob = hits[h].0;
            for f in &keyed[h] {
                // An allowlisted commit (gitleaks' allowlist `commits`) neither introduces
                // nor carries the secret for this rule.
                if allows_commit(&f.rule.id, graph.oids[e.commit as usize]) {
                    continue;
                }
                let s = stories.entry((f.rule.id.as_str(), f.digest, path)).or_insert_with(|| Story {
                    finding: f,
                    blob,
                    events: Vec::new(),
                    blobs: OidMap::default(),
                });
                s.events.push((*e, r));
                s.blobs.entry(blob).or_insert(f.span.line);
            }
        }
        progress(done as u64 + 1, total);
    }
    // Who made every introducing commit, and the refs that reach each (one graph walk).
    let mut info: HashMap<u32, CommitInfo> = HashMap::new();
    for s in stories.values() {
        for (e, _) in &s.events {
            if e.introduced {
                info.entry(e.commit).or_insert_with(|| read_info(repo, graph.oids[e.commit as usize]));
            }
        }
    }
    let commit_info = |c: u32| info.get(&c);
    let wanted: Vec<Oid> = info.keys().map(|&c| graph.oids[c as usize]).collect();
    let reached = reach(&wanted);
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut out = Vec::with_capacity(stories.len());
    let mut keys: Vec<_> = stories.keys().copied().collect();
    keys.sort();
    for key in keys {
        let Some(s) = stories.remove(&key) else { continue };
        let path = walked.paths.get(key.2);
        let mut intros: Vec<(i64, Oid, u32, Oid)> = Vec::new();
        let mut refs = RefSet::default();
        let (mut carried, mut last) = (0u64, u32::MAX);
        for (e, r) in &s.events {
            carried += u64::from(r.carried);
            last = latest.later(last, r.last);
            if e.introduced {
                let blob = walked.blobs[e.blob as usize];
                let time = commit_info(e.commit).map_or(0, |i| i.time);
                intros.push((time, graph.oids[e.commit as usize], e.commit, blob));
                if let Some(set) = reached.get(&graph.oids[e.commit as usize]) {
                    refs.union_with(set);
                }
            }
        }
        intros.sort();
        intros.dedup_by_key(|i| i.2);
        let at_head = head
            .as_ref()
            .and_then(|t| t.get_path(Path::new(&path)).ok())
            .is_some_and(|entry| s.blobs.contains_key(&entry.id()));
        let ref_names: Vec<&String> = refs.iter().filter_map(|i| tips.get(i)).collect();
        let refs_total = ref_names.len();
        let introductions: Vec<GitIntroduction> = intros
            .iter()
            .map(|&(_, oid, c, blob)| {
                let i = commit_info(c);
                GitIntroduction {
                    commit: oid.to_string(),
                    author: i.map(|i| i.author.clone()).unwrap_or_default(),
                    email: i.map(|i| i.email.clone()).unwrap_or_default(),
                    date: i.map(|i| i.date.clone()).unwrap_or_default(),
                    blob: blob.to_string(),
                    line: s.blobs.get(&blob).copied().unwrap_or(0),
                }
            })
            .collect();
        // The first introduction decides the reported commit, blob and position.
        let (first_commit, first_blob) = intros.first().map(|i| (i.2, i.3)).unwrap_or((u32::MAX, s.blob));
        let first = (first_commit != u32::MAX).then(|| commit_info(first_commit)).flatten();
        let occurrence = GitOccurrence {
            commit: first.map(|_| graph.oids[first_commit as usize].to_string()).unwrap_or_default(),
            path,
            author: first.map(|i| i.author.clone()).unwrap_or_default(),
            email: first.map(|i| i.email.clone()).unwrap_or_default(),
            date: first.map(|i| i.date.clone()).unwrap_or_default(),
            summary: first.map(|i| i.summary.clone()).unwrap_or_default(),
            refs: ref_names.into_iter().take(GitOccurrence::MAX_REFS).cloned().collect(),
            refs_total,
            at_head,
            last_commit: (!at_head && last != u32::MAX).then(|| graph.oids[last as usize].to_string()),
            commits_total: carried,
            introductions,
        };
        let finding = hit_by_oid
            .get(&first_blob)
            .and_then(|&h| {
                hits[h]
                    .1
                    .iter()
                    .filter(|f| f.rule.id == s.finding.rule.id && f.digest == s.finding.digest)
                    .min_by_key(|f| f.span.byte_start)
            })
            .unwrap_or(s.finding);
        let mut f = finding.clone();
        f.origin =
            Arc::new(Origin::Git { oid: first_blob.to_string(), occurrence: Some(Box::new(occurrence)), path: None });
        out.push(f);
    }
    // Blobs no commit reaches keep their own findings (reported as unreachable).
    for (i, (_, fs)) in hits.iter().enumerate() {
        if !in_story[i] {
            out.extend(fs.iter().cloned());
        }
    }
    out
}

fn read_info(repo: &Repository, oid: Oid) -> CommitInfo {
    match repo.find_commit(oid) {
        Ok(c) => {
            let a = c.author();
            CommitInfo {
                author: String::from_utf8_lossy(a.name_bytes()).into_owned(),
                email: String::from_utf8_lossy(a.email_bytes()).into_owned(),
                time: a.when().seconds(),
                date: crate::rfc3339::from_unix_at(a.when().seconds(), a.when().offset_minutes()).unwrap_or_default(),
                summary: c.summary_bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default(),
            }
        }
        Err(_) => CommitInfo {
            author: String::new(),
            email: String::new(),
            time: 0,
            date: String::new(),
            summary: String::new(),
        },
    }
}
