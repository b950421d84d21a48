//! `scan --git` provenance checked against the git CLI on a generated history shaped like a
//! real project with many test secrets (fixtures/make-secret-history.sh: fixture files of
//! fake keys edited across hundreds of commits, feature branches merged back, tags, deleted
//! branches): which refs reach each story (`git for-each-ref --contains`), how many commits
//! carry each secret at its path, the last one that did, and that each story is told once.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{fixtures, keytrail};
use serde_json::Value;

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git").arg("-C").arg(repo).args(args).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A 160-commit history with 6 fixture files (about 60 secrets), built once.
fn repo() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().join("repo");
        let out = Command::new("bash")
            .arg(fixtures().join("make-secret-history.sh"))
            .arg(&dir)
            .args(["160", "6"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // A secret removed from one fixture file: its story ends before HEAD.
        let f = dir.join("tests/fixtures/creds_000.py");
        let text = std::fs::read_to_string(&f).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("GITHUB_TOKEN")).collect();
        std::fs::write(&f, kept.join("\n") + "\n").unwrap();
        git(&dir, &["-c", "user.name=Rem Over", "-c", "user.email=rem@example.com", "commit", "-qam", "drop token"]);
        dir
    })
}

fn scan(repo: &Path, extra: &[&str]) -> Vec<Value> {
    let out = keytrail().args(["scan", "--git", "--format", "json"]).args(extra).arg(repo).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    common::findings(&out.stdout)
}

#[test]
fn refs_are_those_git_says_contain_the_introducing_commits() {
    let repo = repo();
    let found = scan(repo, &[]);
    assert!(found.len() >= 50, "{} findings", found.len());
    let mut contains: HashMap<String, BTreeSet<String>> = HashMap::new();
    for f in &found {
        let l = &f["location"];
        let intros = l["introductions"].as_array().unwrap();
        assert!(!intros.is_empty());
        assert_eq!(intros[0]["commit"], l["commit"], "the first introduction is the reported commit");
        let mut want = BTreeSet::new();
        for i in intros {
            let c = i["commit"].as_str().unwrap().to_string();
            let refs = contains.entry(c.clone()).or_insert_with(|| {
                git(repo, &["for-each-ref", "--contains", &c, "--format=%(refname)"])
                    .lines()
                    .map(String::from)
                    .collect()
            });
            want.extend(refs.iter().cloned());
        }
        let got: BTreeSet<String> = l["refs"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().into()).collect();
        assert_eq!(l["refs_total"].as_u64(), Some(want.len() as u64));
        assert_eq!(got.len(), want.len().min(100));
        assert!(got.is_subset(&want), "refs of {}", l["path"]);
    }
}

#[test]
fn each_secret_at_each_path_is_one_story_with_counts_from_git() {
    let repo = repo();
    let found = scan(repo, &[]);
    // One story per (rule, secret, path).
    let keys: BTreeSet<(String, String, String)> = found
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["digest"].as_str().unwrap().into(),
                f["location"]["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(keys.len(), found.len());

    // What every commit holds at every path, from git itself.
    let commits: Vec<String> = git(repo, &["rev-list", "--all"]).lines().map(String::from).collect();
    let mut held: BTreeMap<(String, String), Vec<String>> = BTreeMap::new(); // (path, blob) -> commits
    for c in &commits {
        for line in git(repo, &["ls-tree", "-r", c]).lines() {
            let (meta, path) = line.split_once('\t').unwrap();
            let blob = meta.split_whitespace().nth(2).unwrap();
            held.entry((path.to_string(), blob.to_string())).or_default().push(c.clone());
        }
    }
    let time: HashMap<String, i64> = git(repo, &["log", "--all", "--format=%H %ct"])
        .lines()
        .map(|l| {
            let (c, t) = l.split_once(' ').unwrap();
            (c.to_string(), t.parse().unwrap())
        })
        .collect();
    let head = git(repo, &["rev-parse", "HEAD"]).trim().to_string();
    let mut ended = 0;
    for f in &found {
        let l = &f["location"];
        let path = l["path"].as_str().unwrap();
        // Every blob holding this secret at this path was introduced there by some commit
        // (merges only carry them), so the introductions name them all.
        let blobs: BTreeSet<&str> =
            l["introductions"].as_array().unwrap().iter().map(|i| i["blob"].as_str().unwrap()).collect();
        let carrying: BTreeSet<&String> =
            blobs.iter().flat_map(|b| held.get(&(path.to_string(), b.to_string())).into_iter().flatten()).collect();
        assert_eq!(l["commits_total"].as_u64(), Some(carrying.len() as u64), "commits carrying {path}");
        let at_head = carrying.contains(&head);
        assert_eq!(l["at_head"].as_bool(), Some(at_head));
        if !at_head {
            ended += 1;
            let last = l["last_commit"].as_str().unwrap();
            let latest = carrying.iter().map(|c| time[*c]).max().unwrap();
            assert_eq!(time[last], latest, "last commit holding {path}");
            assert!(carrying.contains(&last.to_string()));
        } else {
            assert!(l["last_commit"].is_null());
        }
    }
    assert!(ended >= 1, "the dropped token's story ends before HEAD");
}

#[test]
fn human_report_stays_readable_when_a_secret_is_everywhere() {
    let out = keytrail().args(["scan", "--git"]).arg(repo()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Refs are cut to a few per path, with the count of the rest.
    assert!(text.contains("more refs)"), "{}", &text[..text.len().min(2000)]);
    assert!(text.contains("still at HEAD") && text.contains("last held by"));
    for line in text.lines() {
        assert!(line.len() < 400, "long line: {line}");
    }
}

#[test]
fn reachable_only_leaves_out_unreachable_blobs_that_git_scans_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("r");
    common::copy_dir(self::repo(), &repo);
    // A blob no commit reaches (as `git add` then `git reset` leaves one).
    let secret = "ghp_Qm4TzX9vB2nK7cR1wY5sL8dF3hJ6gA0pE2uI";
    let blob = {
        let mut c = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["hash-object", "-w", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        c.stdin.take().unwrap().write_all(format!("TOKEN={secret}\n").as_bytes()).unwrap();
        String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap().trim().to_string()
    };
    let all = scan(&repo, &[]);
    let loose: Vec<&Value> = all.iter().filter(|f| f["location"]["unreachable"] == true).collect();
    assert_eq!(loose.len(), 1);
    assert_eq!(loose[0]["location"]["blob"], blob.as_str());
    let reachable = scan(&repo, &["--reachable-only"]);
    assert!(reachable.iter().all(|f| f["location"]["unreachable"].is_null()));
    assert_eq!(reachable.len() + 1, all.len());
    // Packed with everything else (the pack indexes list it, not the loose directories).
    let st = Command::new("git").arg("-C").arg(&repo).args(["repack", "-adkq"]).status().unwrap();
    assert!(st.success());
    let packed = scan(&repo, &[]);
    let unreachable: Vec<&Value> = packed.iter().filter(|f| f["location"]["unreachable"] == true).collect();
    assert_eq!(unreachable.len(), 1);
    assert_eq!(unreachable[0]["location"]["blob"], blob.as_str());
    assert_eq!(packed.len(), all.len());
}

#[test]
fn path_and_commit_allowlists_and_path_only_rules_apply_to_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("r");
    common::copy_dir(self::repo(), &repo);
    let root = git(&repo, &["rev-list", "--max-parents=0", "HEAD"]).trim().to_string();
    std::fs::write(repo.join("client.p12"), [0u8, 1, 2, 0, 0x30, 0x82, 0, 0]).unwrap();
    git(&repo, &["add", "client.p12"]);
    git(&repo, &["-c", "user.name=Pk Cs", "-c", "user.email=pk@example.com", "commit", "-qm", "add cert"]);
    let config = dir.path().join("keytrail.toml");
    std::fs::write(
        &config,
        format!(
            "[extend]\nuseDefault = true\n\n[[rules]]\nid = \"pkcs12-file\"\ndescription = \"PKCS#12 file\"\npath = '''\\.p12$'''\n\n[[allowlists]]\npaths = ['''creds_001\\.py$''']\n\n[[allowlists]]\ncommits = [\"{root}\"]\n"
        ),
    )
    .unwrap();
    let plain = scan(&repo, &[]);
    let found = scan(&repo, &["--config", config.to_str().unwrap()]);
    let at = |fs: &[Value], p: &str| fs.iter().filter(|f| f["location"]["path"] == p).count();
    assert!(at(&plain, "tests/fixtures/creds_001.py") > 0);
    assert_eq!(at(&found, "tests/fixtures/creds_001.py"), 0, "path allowlist");
    let cert: Vec<&Value> = found.iter().filter(|f| f["rule"] == "pkcs12-file").collect();
    assert_eq!(cert.len(), 1, "path-only rule on a binary blob in history");
    assert_eq!(cert[0]["location"]["path"], "client.p12");
    assert_eq!(cert[0]["location"]["author"], "Pk Cs");
    // The allowlisted root commit introduces nothing; later edits still tell the story.
    assert!(plain.iter().any(|f| f["location"]["commit"] == root.as_str()));
    for f in &found {
        let intros = f["location"]["introductions"].as_array().unwrap();
        assert!(intros.iter().all(|i| i["commit"] != root.as_str()), "{f:#}");
    }
    assert!(found.len() > 10);
}

/// Long files edited a few lines at a time (fixtures/make-edited-history.sh): each changed
/// blob is scanned around its change, and the report is the one scanning every blob whole
/// gives, byte for byte.
#[test]
fn blobs_scanned_as_changes_report_what_whole_blobs_report() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let out = Command::new("bash").arg(fixtures().join("make-edited-history.sh")).arg(&repo).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = |whole: bool| {
        let mut cmd = keytrail();
        cmd.args(["scan", "--git", "--format", "json"]).arg(&repo);
        if whole {
            cmd.env("KEYTRAIL_WHOLE_BLOBS", "1");
        } else {
            cmd.env_remove("KEYTRAIL_WHOLE_BLOBS");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        (out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (changes, said) = run(false);
    let (whole, said_whole) = run(true);
    let changed: u32 = said
        .split(" scanned as changes")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    // 45 blobs: all but the first version of each file, here and on the deleted branch
    // (whose blobs are deltas of one another in the pack).
    assert!(changed >= 40, "{said}");
    assert!(!said_whole.contains("scanned as changes"), "{said_whole}");
    let found = common::findings(&changes);
    // GitHub (deleted later), AWS secret (rotated: two), Stripe (rotated: two), GitLab,
    // Sendbird (two), Slack, npm (from the branch), OpenAI and Heroku in the notes; the
    // deploy token in each of the 8 unreachable versions of the scratch file.
    assert_eq!(found.len(), 20, "{found:#?}");
    let unreachable = found.iter().filter(|f| f["location"]["unreachable"] == true).count();
    assert_eq!(unreachable, 8, "{found:#?}");
    assert_eq!(String::from_utf8_lossy(&changes), String::from_utf8_lossy(&whole));
}
