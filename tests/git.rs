//! `scan --git`, `--all-objects`, `--range`, `--staged` and `hook install` on repositories
//! built at test time by fixtures/git/make-git-fixtures.sh.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{fixtures, git, keytrail};
use predicates::prelude::*;
use serde_json::Value;

/// Fake GitHub-classic-shaped tokens, one per scenario (random, never real).
const TOKENS: [(&str, &str); 9] = [
    ("T_DELETED", "ghp_GouSHrcvm2i4JSyw8zIDmjEU6QtBalmMRbCJ"),
    ("T_BRANCH", "ghp_IAgQ99BKjYykHF850CpyQUaHV4nZSORi6KM8"),
    ("T_STASH", "ghp_oCxfcxHeOWqZvh7AoG1ZFgibwWby7Pq5nhbS"),
    ("T_UNTRACKED", "ghp_e5vXKlkVtwkYUWDZTjbohh0uTs9cGFw7bE4q"),
    ("T_AMEND", "ghp_w0wjme4FbrRQ8BAaHMGNRv2mGGHF1ZNFMltK"),
    ("T_DANGLING", "ghp_IpOoeMdeR97uQB0i3iTYdEaVlbvcSLfJrGEx"),
    ("T_MERGE", "ghp_bFJcNitTucoCBFVyvuxYpcxv3QRkkyiWQX1L"),
    ("T_MOVED", "ghp_dATnsqRPS5tCTsWVfrY0DNAYMSxwud0nZPRC"),
    ("T_BINARY", "ghp_HUqNKxD4pnLPqGsgHFJLxdqVTSIY3yqEIV2S"),
];

fn token(name: &str) -> &'static str {
    TOKENS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap()
}

/// Builds the fixture repositories once per test binary.
fn fixture() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let mut cmd = Command::new("bash");
        cmd.arg(fixtures().join("git/make-git-fixtures.sh")).arg(&dir);
        for (k, v) in TOKENS {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "fixture script failed: {}", String::from_utf8_lossy(&out.stderr));
        dir
    })
}

fn repo() -> PathBuf {
    fixture().join("repo")
}

fn scan_json(args: &[&str], repo: &Path) -> (Vec<Value>, String, i32) {
    let out = keytrail().arg("scan").args(args).arg(repo).args(["--format", "json"]).output().unwrap();
    let f: Vec<Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (f, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap())
}

/// Findings of one token: (path, author, summary, refs, at_head), sorted.
fn of(found: &[Value], name: &str) -> Vec<(String, String, String, Vec<String>, bool)> {
    let digest = |t: &str| {
        let key = blake3::derive_key("keytrail 2026-11 secret digest v1", b"");
        blake3::keyed_hash(&key, t.as_bytes()).to_hex().to_string()
    };
    let d = digest(token(name));
    let mut v: Vec<_> = found
        .iter()
        .filter(|f| f["digest"] == d.as_str())
        .map(|f| {
            let l = &f["location"];
            let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
            let refs = l["refs"]
                .as_array()
                .map(|a| a.iter().map(|r| r.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (s("path"), s("author"), s("summary"), refs, l["at_head"].as_bool().unwrap_or(false))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn history_finds_every_scenario_with_provenance() {
    let (found, stderr, code) = scan_json(&["--git", "--reachable-only"], &repo());
    assert_eq!(code, 1, "{stderr}");
    assert!(found.iter().all(|f| f["rule"] == "github-pat-classic" && f["location"]["source"] == "git"));
    assert!(found.iter().all(|f| f["location"]["commit"].as_str().is_some_and(|c| c.len() == 40)));

    let deleted = of(&found, "T_DELETED");
    assert_eq!(deleted.len(), 1);
    assert_eq!(
        (deleted[0].0.as_str(), deleted[0].1.as_str(), deleted[0].2.as_str()),
        ("config/.env", "Alice Admin", "add env")
    );
    assert!(deleted[0].3.contains(&"refs/heads/main".to_string()));
    assert!(!deleted[0].4, "deleted from HEAD");

    // Deleted branch and amended commit: reachable from the reflog only.
    let branch = of(&found, "T_BRANCH");
    assert_eq!(branch, vec![("ci.yml".into(), "Bob Builder".into(), "ci token".into(), vec![], false)]);
    let amend = of(&found, "T_AMEND");
    assert_eq!(amend, vec![("deploy.sh".into(), "Carol Coder".into(), "deploy script".into(), vec![], false)]);

    // Same blob on two branches: one story at its path with two introducing commits (the
    // merge introduces nothing); the first is the one reported.
    let merge = of(&found, "T_MERGE");
    assert_eq!(merge.len(), 1, "{merge:?}");
    assert_eq!(merge[0].1, "Dan Dev");
    assert!(merge[0].3.contains(&"refs/heads/dev".to_string()) && merge[0].3.contains(&"refs/heads/main".to_string()));
    assert!(merge[0].0 == "shared.cfg" && merge[0].4);
    let story = found.iter().find(|f| f["location"]["path"] == "shared.cfg").unwrap();
    let authors: Vec<&str> =
        story["location"]["introductions"].as_array().unwrap().iter().map(|i| i["author"].as_str().unwrap()).collect();
    assert_eq!(authors, ["Dan Dev", "Erin Ops"]);

    // Moved: introduced at both paths.
    let moved = of(&found, "T_MOVED");
    let paths: Vec<&str> = moved.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(paths, vec!["new.txt", "old.txt"]);
    assert!(moved.iter().find(|m| m.0 == "new.txt").unwrap().4, "new.txt is at HEAD");

    // Stashes: the tracked change and the untracked-files parent.
    let stash = of(&found, "T_STASH");
    assert_eq!(stash.len(), 1);
    assert_eq!((stash[0].0.as_str(), stash[0].1.as_str()), ("README.md", "Gina Stash"));
    assert!(stash[0].3.iter().any(|r| r.starts_with("stash")), "{stash:?}");
    let untracked = of(&found, "T_UNTRACKED");
    assert_eq!(untracked.len(), 1);
    assert_eq!(untracked[0].0, "untracked.env");
    assert!(untracked[0].3.contains(&"refs/stash".to_string()));

    // Not with --reachable-only: the dangling blob; never: the binary blob.
    assert!(of(&found, "T_DANGLING").is_empty());
    assert!(of(&found, "T_BINARY").is_empty());
    assert!(stderr.contains("1 binary"), "{stderr}");
    assert_eq!(found.len(), 1 + 1 + 1 + 1 + 2 + 1 + 1);
}

#[test]
fn history_includes_the_dangling_blob_by_default() {
    let (found, _, code) = scan_json(&["--git"], &repo());
    assert_eq!(code, 1);
    let (old, _, _) = scan_json(&["--git", "--all-objects"], &repo());
    assert_eq!(old.len(), found.len(), "--all-objects is the default now");
    assert_eq!(code, 1);
    let d = of(&found, "T_DANGLING");
    assert_eq!(d.len(), 1);
    let oid = std::fs::read_to_string(fixture().join("dangling.oid")).unwrap();
    let f = found.iter().find(|f| f["location"]["unreachable"] == true).unwrap();
    assert_eq!(f["location"]["blob"], oid.trim());
    assert!(f["location"]["commit"].is_null());
}

#[test]
fn range_sees_only_blobs_introduced_by_its_commits() {
    let (found, stderr, code) = scan_json(&["--range", "main~3..main"], &repo());
    assert_eq!(code, 1, "{stderr}");
    let mut digests: Vec<&str> = found.iter().map(|f| f["digest"].as_str().unwrap()).collect();
    digests.dedup();
    assert_eq!(of(&found, "T_MOVED").len(), 2);
    assert_eq!(found.len(), 2, "only the moved secret: {found:#?}");
    keytrail()
        .args(["scan", "--range", "nope..main"])
        .arg(repo())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
}

#[test]
fn sarif_for_git_has_commit_and_version_control_provenance() {
    let out = keytrail().args(["scan", "--git", "--format", "sarif"]).arg(repo()).output().unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    common::assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    assert!(run["versionControlProvenance"][0]["repositoryUri"].as_str().is_some());
    assert_eq!(run["versionControlProvenance"][0]["revisionId"].as_str().map(str::len), Some(40));
    let r = run["results"].as_array().unwrap().iter().find(|r| r["properties"]["author"] == "Alice Admin").unwrap();
    assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "config/.env");
    assert_eq!(r["properties"]["commit"].as_str().map(str::len), Some(40));
}

#[test]
fn human_report_groups_occurrences_under_each_secret() {
    let out = keytrail().args(["scan", "--git"]).arg(repo()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(token("T_MERGE")));
    let dan = text.find("Dan Dev").unwrap();
    let erin = text.find("Erin Ops").unwrap();
    assert!(dan < erin, "oldest first");
    assert!(text.contains("reflog only"));
}

#[test]
fn shallow_clone_is_scanned_and_said_to_be_shallow() {
    let (found, stderr, _) = scan_json(&["--git"], &fixture().join("shallow"));
    assert!(stderr.contains("shallow"), "{stderr}");
    // HEAD of the clone still has the moved and merged secrets.
    assert!(!of(&found, "T_MOVED").is_empty());
    assert!(!of(&found, "T_MERGE").is_empty());
}

#[test]
fn not_a_repository_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    keytrail()
        .args(["scan", "--git"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a git repository"));
    keytrail()
        .args(["scan", "--staged"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a git repository"));
}

#[test]
fn staged_reports_only_added_lines_at_working_paths() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    // Before the first commit: everything staged is new.
    std::fs::write(d.join("app.env"), format!("A={}\n", token("T_DELETED"))).unwrap();
    git(d, &["add", "app.env"]);
    let (found, _, code) = scan_json(&["--staged"], d);
    assert_eq!(code, 1);
    assert_eq!(found[0]["location"]["source"], "staged");
    assert_eq!(found[0]["location"]["path"], "app.env");
    git(d, &["commit", "-q", "-m", "one"]);
    // Existing secret untouched, one added line with a new secret, one unstaged change.
    std::fs::write(d.join("app.env"), format!("A={}\nX=1\nB={}\n", token("T_DELETED"), token("T_BRANCH"))).unwrap();
    git(d, &["add", "app.env"]);
    std::fs::write(
        d.join("app.env"),
        format!("A={}\nX=1\nB={}\nC={}\n", token("T_DELETED"), token("T_BRANCH"), token("T_AMEND")),
    )
    .unwrap();
    let (found, _, code) = scan_json(&["--staged"], d);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["location"]["line"], 3);
    assert_eq!(of(&found, "T_BRANCH").len(), 1);
    // A deletion only: nothing added, nothing reported.
    git(d, &["checkout", "--", "app.env"]);
    git(d, &["commit", "-q", "-m", "two"]);
    std::fs::write(d.join("app.env"), "X=1\n").unwrap();
    git(d, &["add", "app.env"]);
    let (found, _, code) = scan_json(&["--staged"], d);
    assert_eq!((found.len(), code), (0, 0));
}

/// Every file under `dir` with its bytes (and mtime), for read-only checks.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let m = e.metadata().ok().and_then(|m| m.modified().ok());
                out.insert(path.clone(), (std::fs::read(&path).unwrap_or_default(), m));
            }
        }
    }
    out
}

#[test]
fn git_directory_is_byte_identical_after_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&repo(), dir.path());
    std::fs::write(dir.path().join("staged.env"), format!("S={}\n", token("T_MOVED"))).unwrap();
    git(dir.path(), &["add", "staged.env"]);
    let before = snapshot(&dir.path().join(".git"));
    for args in [&["--git"][..], &["--git", "--all-objects"], &["--range", "main~2..main"], &["--staged"]] {
        keytrail().arg("scan").args(args).arg(dir.path()).arg("-q").assert().code(1);
    }
    assert!(before == snapshot(&dir.path().join(".git")), ".git changed during a scan");
    // A repository without a stash, reflogs or tags' logs: nothing may be created either.
    let bare = tempfile::tempdir().unwrap();
    git(bare.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(bare.path().join("a.env"), format!("A={}\n", token("T_MOVED"))).unwrap();
    git(bare.path(), &["add", "a.env"]);
    git(bare.path(), &["commit", "-q", "-m", "one"]);
    git(bare.path(), &["tag", "v1"]);
    let before = snapshot(&bare.path().join(".git"));
    for (args, code) in [(&["--git"][..], 1), (&["--git", "--all-objects"], 1), (&["--staged"], 0)] {
        keytrail().arg("scan").args(args).arg(bare.path()).arg("-q").assert().code(code);
    }
    let after = snapshot(&bare.path().join(".git"));
    let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert!(added.is_empty(), "files created inside .git: {added:?}");
    assert!(before == after, ".git changed during a scan");
}

#[test]
fn hook_install_refuses_foreign_hooks_without_force() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    keytrail().args(["hook", "install"]).arg(dir.path()).assert().success();
    let hook = dir.path().join(".git/hooks/pre-commit");
    let text = std::fs::read_to_string(&hook).unwrap();
    assert!(text.contains("keytrail scan --staged"));
    use std::os::unix::fs::PermissionsExt;
    assert!(std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111 != 0);
    // Reinstalling over our own hook is fine; a foreign hook needs --force.
    keytrail().args(["hook", "install"]).arg(dir.path()).assert().success();
    std::fs::write(&hook, "#!/bin/sh\nmake lint\n").unwrap();
    keytrail().args(["hook", "install"]).arg(dir.path()).assert().code(2).stderr(predicate::str::contains("--force"));
    assert!(std::fs::read_to_string(&hook).unwrap().contains("make lint"));
    keytrail().args(["hook", "install", "--force"]).arg(dir.path()).assert().success();
    assert!(std::fs::read_to_string(&hook).unwrap().contains("keytrail"));
}

#[test]
fn trace_follows_fingerprinted_keys_through_history() {
    let home = tempfile::tempdir().unwrap();
    let fp = home.path().join("fp.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "leaked", "-o"])
        .arg(&fp)
        .write_stdin(format!("{}\n{}\n", token("T_BRANCH"), token("T_UNTRACKED")))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = keytrail().args(["trace", "--git", "--format", "json", "-f"]).arg(&fp).arg(repo()).output().unwrap();
    let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String, String)> = found
        .iter()
        .map(|f| {
            let l = &f["location"];
            (
                f["rule"].as_str().unwrap().into(),
                l["path"].as_str().unwrap().into(),
                l["author"].as_str().unwrap().into(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("fingerprint:leaked-1".into(), "ci.yml".into(), "Bob Builder".into()),
            ("fingerprint:leaked-2".into(), "untracked.env".into(), "Gina Stash".into()),
        ]
    );
    let human = keytrail().args(["trace", "--git", "-f"]).arg(&fp).arg(repo()).output().unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("leaked-1") && text.contains("reflog only") && text.contains("found in 1 commit"), "{text}");
    assert!(!text.contains(token("T_BRANCH")));
}
