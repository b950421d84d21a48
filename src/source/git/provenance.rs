//! Provenance of git blobs that have findings: which (commit, path) introduced each blob,
//! who and when, which refs reach that commit, and whether the blob is still at HEAD.

use std::path::Path;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository, Time, Tree};

use super::oid_hash::{OidMap, OidSet};
use super::pack_order::PackOrder;
use crate::origin::GitOccurrence;
use crate::sink::Sink;

/// Ref tips considered when saying which refs contain a commit (a repository with more refs
/// than this gets a warning and only the first ones are checked).
const MAX_REF_TIPS: usize = 10_000;

/// (path, blob) pairs under a tree that are among the targets.
type Matches = Rc<Vec<(String, Oid)>>;

/// Resolves occurrences for a set of blobs over a set of commits.
pub struct Provenance {
    occurrences: OidMap<Vec<GitOccurrence>>,
}

impl Provenance {
    /// Finds, for every blob in `targets`, each commit of `commits` that introduced it at a
    /// path (its tree has the blob there and no parent's tree does).
    pub fn resolve(
        repo: &Repository,
        commits: &[Oid],
        targets: &OidSet,
        pack: &PackOrder,
        sink: &Sink<'_>,
    ) -> Provenance {
        let mut memo: OidMap<Matches> = OidMap::default();
        let tips = ref_tips(repo, sink);
        let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
        let mut reach_memo: OidMap<Vec<String>> = OidMap::default();
        let mut occurrences: OidMap<Vec<GitOccurrence>> = OidMap::default();
        // Commits in the pack order of their root trees (see pack_order); the result does not
        // depend on the order.
        let mut by_tree: Vec<(Oid, git2::Commit<'_>)> =
            commits.iter().filter_map(|&c| repo.find_commit(c).ok()).map(|c| (c.tree_id(), c)).collect();
        pack.sort_by(&mut by_tree, |(t, _)| *t);
        for (tree, commit) in by_tree {
            let c = commit.id();
            let found = find_in_tree(repo, tree, targets, &mut memo);
            if found.is_empty() {
                continue;
            }
            let parent_trees: Vec<Tree<'_>> = commit.parents().filter_map(|p| p.tree().ok()).collect();
            for (path, blob) in found.iter() {
                let in_parent =
                    parent_trees.iter().any(|t| t.get_path(Path::new(path)).ok().is_some_and(|e| e.id() == *blob));
                if in_parent {
                    continue;
                }
                let refs = reach_memo
                    .entry(c)
                    .or_insert_with(|| {
                        tips.iter()
                            .filter(|(_, tip)| *tip == c || repo.graph_descendant_of(*tip, c).unwrap_or(false))
                            .map(|(name, _)| name.clone())
                            .collect()
                    })
                    .clone();
                let author = commit.author();
                let at_head =
                    head_tree.as_ref().and_then(|t| t.get_path(Path::new(path)).ok()).is_some_and(|e| e.id() == *blob);
                occurrences.entry(*blob).or_default().push(GitOccurrence {
                    commit: c.to_string(),
                    path: path.clone(),
                    author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
                    email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
                    date: rfc3339(author.when()),
                    summary: commit
                        .summary_bytes()
                        .map(|b| String::from_utf8_lossy(b).into_owned())
                        .unwrap_or_default(),
                    refs,
                    at_head,
                });
            }
        }
        for list in occurrences.values_mut() {
            list.sort_by(|a, b| (&a.date, &a.commit, &a.path).cmp(&(&b.date, &b.commit, &b.path)));
        }
        Provenance { occurrences }
    }

    /// Occurrences of `blob`, oldest first (empty: no commit reaches it).
    pub fn occurrences(&self, blob: Oid) -> Vec<GitOccurrence> {
        self.occurrences.get(&blob).cloned().unwrap_or_default()
    }
}

/// Target blobs under the tree `id`, memoised per tree object so a subtree shared by many
/// commits is read once (an unreadable tree has none).
fn find_in_tree(repo: &Repository, id: Oid, targets: &OidSet, memo: &mut OidMap<Matches>) -> Matches {
    if let Some(m) = memo.get(&id) {
        return Rc::clone(m);
    }
    let Ok(tree) = repo.find_tree(id) else { return Rc::new(Vec::new()) };
    let mut out = Vec::new();
    // Names are built only for entries on a path to a target (most entries are not).
    let name = |e: &git2::TreeEntry<'_>| String::from_utf8_lossy(e.name_bytes()).into_owned();
    for entry in tree.iter() {
        match entry.kind() {
            Some(ObjectType::Blob) if targets.contains(&entry.id()) => out.push((name(&entry), entry.id())),
            Some(ObjectType::Tree) => {
                let found = find_in_tree(repo, entry.id(), targets, memo);
                if !found.is_empty() {
                    let dir = name(&entry);
                    out.extend(found.iter().map(|(p, b)| (format!("{dir}/{p}"), *b)));
                }
            }
            _ => {}
        }
    }
    let m = Rc::new(out);
    memo.insert(id, Rc::clone(&m));
    m
}

/// Branches, tags, remotes, notes, the stash and every stash entry, peeled to commits.
fn ref_tips(repo: &Repository, sink: &Sink<'_>) -> Vec<(String, Oid)> {
    let mut tips = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if tips.len() >= MAX_REF_TIPS {
                sink.warn(
                    repo.path().display().to_string(),
                    format!("more than {MAX_REF_TIPS} refs: only the first {MAX_REF_TIPS} are named in provenance"),
                );
                break;
            }
            if let Ok(c) = r.peel(ObjectType::Commit) {
                tips.push((String::from_utf8_lossy(r.name_bytes()).into_owned(), c.id()));
            }
        }
    }
    // libgit2 creates a missing reflog file when asked to read it: only read one that exists.
    let has_stash_log = repo.commondir().join("logs/refs/stash").is_file();
    if let Some(log) = has_stash_log.then(|| repo.reflog("refs/stash").ok()).flatten() {
        for (i, e) in log.iter().enumerate().skip(1) {
            tips.push((format!("stash@{{{i}}}"), e.id_new()));
        }
    }
    tips
}

fn rfc3339(t: Time) -> String {
    crate::rfc3339::from_unix_at(t.seconds(), t.offset_minutes()).unwrap_or_default()
}
