//! Remote repositories and repository lists, served by `git daemon` on 127.0.0.1 from the
//! test itself: every advertised ref (refs/pull/*) is scanned, the temporary clone is gone
//! afterwards (after a failure and an interrupt too), nothing is written in HOME or the
//! current directory, and `report merge` joins per-repository reports.

mod common;

use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{ACME_RULES, assert_valid_sarif, findings, git, keytrail};
use serde_json::Value;

/// A fake ACME token (the test config's rule), different for every seed.
fn token(seed: u64) -> String {
    let alphabet = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let body: String = (0..32)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            alphabet[(x >> 33) as usize % alphabet.len()] as char
        })
        .collect();
    format!("acme_{body}")
}

/// A scratch area: served repositories, and the HOME, TMPDIR and working directory the
/// scanner runs with (all checked to stay empty or unchanged).
struct Area {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Area {
    fn new() -> Area {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for d in ["srv", "work", "home", "tmp", "cwd"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("acme.toml"), ACME_RULES).unwrap();
        Area { _dir: dir, root }
    }

    fn p(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A repository with `main_token` on main and, when given, `pr_token` only on a pull
    /// request head (`refs/pull/1/head` and `refs/merge-requests/1/head`, as GitHub and
    /// GitLab keep a force-pushed PR), served as srv/NAME.git.
    fn repo(&self, name: &str, main_token: &str, pr_token: Option<&str>) -> PathBuf {
        let work = self.p("work").join(name);
        std::fs::create_dir_all(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        std::fs::write(work.join("app.env"), format!("APP={name}\nACME_TOKEN={main_token}\n")).unwrap();
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "config"]);
        if let Some(pr) = pr_token {
            git(&work, &["checkout", "-q", "-b", "pr"]);
            std::fs::write(work.join("deploy.sh"), format!("export ACME={pr}\n")).unwrap();
            git(&work, &["add", "-A"]);
            git(&work, &["commit", "-q", "-m", "deploy script"]);
            git(&work, &["update-ref", "refs/pull/1/head", "HEAD"]);
            git(&work, &["update-ref", "refs/merge-requests/1/head", "HEAD"]);
            git(&work, &["checkout", "-q", "main"]);
            git(&work, &["branch", "-q", "-D", "pr"]);
        }
        let served = self.p("srv").join(format!("{name}.git"));
        std::fs::create_dir_all(served.parent().unwrap()).unwrap();
        git(&self.root, &["clone", "-q", "--mirror", work.to_str().unwrap(), served.to_str().unwrap()]);
        served
    }

    /// keytrail with HOME, TMPDIR and the working directory in the area, no system git config.
    fn keytrail(&self) -> assert_cmd::Command {
        let mut cmd = keytrail();
        cmd.current_dir(self.p("cwd"))
            .env("HOME", self.p("home"))
            .env("TMPDIR", self.p("tmp"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("GIT_CONFIG_GLOBAL");
        cmd
    }

    fn config(&self) -> String {
        self.p("acme.toml").display().to_string()
    }

    /// Paths of everything under `rel`.
    fn listing(&self, rel: &str) -> BTreeSet<String> {
        fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                out.insert(e.path().strip_prefix(base).unwrap().display().to_string());
                if e.file_type().unwrap().is_dir() {
                    walk(&e.path(), base, out);
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(&self.p(rel), &self.p(rel), &mut out);
        out
    }

    fn assert_clean(&self) {
        assert!(self.listing("tmp").is_empty(), "temporary clone left behind: {:?}", self.listing("tmp"));
        assert!(self.listing("cwd").is_empty(), "written in the working directory: {:?}", self.listing("cwd"));
    }
}

/// `git daemon` serving a directory on 127.0.0.1, stopped when dropped.
struct Daemon {
    child: Child,
    port: u16,
}

impl Daemon {
    fn serve(base: &Path) -> Daemon {
        // git daemon cannot take port 0: take a free port from the system and release it.
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // git-daemon itself, not `git daemon`: the git wrapper would leave it running when killed.
        let exec_path = Command::new("git").arg("--exec-path").output().expect("git runs").stdout;
        let daemon = PathBuf::from(String::from_utf8_lossy(&exec_path).trim()).join("git-daemon");
        let child = Command::new(daemon)
            .args(["--reuseaddr", "--export-all", "--informative-errors", "--listen=127.0.0.1"])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git daemon starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "git daemon did not listen on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Daemon { child, port }
    }

    fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}.git", self.port)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn jsonl(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSONL ({e}): {l}")))
        .collect()
}

/// (repository, path, first commit's refs) of each finding, sorted.
fn places(found: &[Value]) -> Vec<(String, String, Vec<String>)> {
    let mut out: Vec<_> = found
        .iter()
        .map(|f| {
            let loc = &f["location"];
            let refs = loc["refs"].as_array().map(|r| {
                let mut refs: Vec<String> = r.iter().map(|x| x.as_str().unwrap().to_string()).collect();
                refs.sort();
                refs
            });
            (
                loc["repository"].as_str().unwrap_or("").to_string(),
                loc["path"].as_str().unwrap().to_string(),
                refs.unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn scan_git_url_reads_every_advertised_ref_and_removes_its_clone() {
    let area = Area::new();
    let (main_token, pr_token) = (token(1), token(2));
    area.repo("app", &main_token, Some(&pr_token));
    let daemon = Daemon::serve(&area.p("srv"));
    let url = daemon.url("app");
    let out =
        area.keytrail().args(["scan", "--git", &url, "--config", &area.config(), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let found = findings(&out.stdout);
    assert_eq!(
        places(&found),
        vec![
            (
                url.clone(),
                "app.env".into(),
                vec!["refs/heads/main".into(), "refs/merge-requests/1/head".into(), "refs/pull/1/head".into()]
            ),
            (url.clone(), "deploy.sh".into(), vec!["refs/merge-requests/1/head".into(), "refs/pull/1/head".into()]),
        ],
        "the pull and merge request heads are cloned and scanned"
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains(&main_token) && !text.contains(&pr_token), "secrets stay redacted");
    area.assert_clean();
    assert!(area.listing("home").is_empty(), "nothing written in HOME: {:?}", area.listing("home"));

    // A URL without --git implies it (a mirror has no working tree); trace reads it too.
    let prints = area.p("leaked.keytrail.toml");
    keytrail()
        .args(["fingerprint", "--label", "pr", "-o", prints.to_str().unwrap()])
        .write_stdin(format!("{pr_token}\n"))
        .assert()
        .success();
    let out =
        area.keytrail().args(["trace", "-f", prints.to_str().unwrap(), &url, "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let found = findings(&out.stdout);
    assert_eq!(
        places(&found),
        vec![(url.clone(), "deploy.sh".into(), vec!["refs/merge-requests/1/head".into(), "refs/pull/1/head".into()])]
    );
    assert_eq!(found[0]["rule"], "fingerprint:pr");
    area.assert_clean();
}

#[test]
fn a_failed_clone_is_one_error_naming_the_remote_and_leaves_nothing() {
    let area = Area::new();
    area.repo("app", &token(3), None);
    let daemon = Daemon::serve(&area.p("srv"));
    let url = daemon.url("missing");
    let out = area.keytrail().args(["scan", "--git", &url, "--config", &area.config()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{url}: clone failed")), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    area.assert_clean();

    let out = area.keytrail().args(["scan", &url, "./other", "--config", &area.config()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--repos FILE"));
}

#[test]
fn a_known_host_gets_links_and_the_users_git_config_applies() {
    let area = Area::new();
    let t = token(4);
    area.repo("octo/app", &t, None);
    let daemon = Daemon::serve(&area.p("srv"));
    // The user's own git config sends github.com to the local server: keytrail clones with
    // the git command, so it honours it, as it honours credential helpers and SSH keys.
    let gitconfig = format!("[url \"git://127.0.0.1:{}/\"]\n\tinsteadOf = https://github.com/\n", daemon.port);
    std::fs::write(area.p("home/.gitconfig"), &gitconfig).unwrap();
    let url = "https://github.com/octo/app.git";
    let out = area.keytrail().args(["scan", url, "--config", &area.config(), "--format", "jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let found = jsonl(&out.stdout);
    assert_eq!(found.len(), 1);
    let loc = &found[0]["location"];
    let commit = loc["commit"].as_str().unwrap();
    assert_eq!(loc["repository"], url);
    assert_eq!(loc["url"], format!("https://github.com/octo/app/blob/{commit}/app.env#L2"));
    assert_eq!(loc["commit_url"], format!("https://github.com/octo/app/commit/{commit}"));
    let sarif = area.keytrail().args(["scan", url, "--config", &area.config(), "--format", "sarif"]).output().unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["versionControlProvenance"][0]["repositoryUri"], url);
    assert_eq!(run["results"][0]["properties"]["url"], loc["url"]);
    assert_eq!(area.listing("home"), BTreeSet::from([".gitconfig".to_string()]));
    assert_eq!(std::fs::read_to_string(area.p("home/.gitconfig")).unwrap(), gitconfig, "HOME untouched");
    area.assert_clean();
}

#[test]
fn keep_clone_reuses_the_mirror_and_fetches_new_commits() {
    let area = Area::new();
    let served = area.repo("app", &token(5), None);
    let daemon = Daemon::serve(&area.p("srv"));
    let url = daemon.url("app");
    let keep = area.p("kept");
    let run = || {
        let out = area
            .keytrail()
            .args([
                "scan",
                &url,
                "--keep-clone",
                keep.to_str().unwrap(),
                "--config",
                &area.config(),
                "--format",
                "jsonl",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
        jsonl(&out.stdout).len()
    };
    assert_eq!(run(), 1);
    assert!(keep.join("HEAD").is_file(), "the mirror is kept");
    // A new commit on the server is fetched into the kept mirror on the next run.
    let work = area.p("work/app");
    std::fs::write(work.join("more.env"), format!("ACME_TOKEN={}\n", token(6))).unwrap();
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "more"]);
    git(&work, &["push", "-q", served.to_str().unwrap(), "main"]);
    assert_eq!(run(), 2);
    area.assert_clean();
    // A kept directory holding something else is refused, not overwritten.
    let out = area
        .keytrail()
        .args(["scan", &daemon.url("other"), "--keep-clone", keep.to_str().unwrap(), "--config", &area.config()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds a clone of"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn repos_list_scans_each_repository_and_names_the_ones_that_fail() {
    let area = Area::new();
    let tokens: Vec<String> = (10..13).map(token).collect();
    area.repo("a", &tokens[0], None);
    area.repo("b", &tokens[1], Some(&tokens[2]));
    let local = area.p("work/a");
    let daemon = Daemon::serve(&area.p("srv"));
    let list = area.p("repos.txt");
    let (a, b, missing) = (daemon.url("a"), daemon.url("b"), daemon.url("missing"));
    std::fs::write(
        &list,
        format!("# the organisation's repositories\n{a}\n\n{missing}   # deleted upstream\n{b}\n{}\n", local.display()),
    )
    .unwrap();
    let mut seen = Vec::new();
    for parallel in ["1", "3"] {
        let out = area
            .keytrail()
            .args(["scan", "--git", "--repos", list.to_str().unwrap(), "--parallel-repos", parallel])
            .args(["--config", &area.config(), "--format", "jsonl"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(3), "a failed repository is exit code 3: {stderr}");
        assert!(stderr.contains(&format!("warning: [2/4] {missing}: clone failed")), "{stderr}");
        assert!(stderr.contains("4 repositories: 3 scanned, 1 failed; 4 findings"), "{stderr}");
        let mut got = places(&jsonl(&out.stdout));
        for p in &mut got {
            p.2.clear();
        }
        seen.push(got);
    }
    let local_name = local.display().to_string();
    assert_eq!(
        seen[0],
        vec![
            (local_name.clone(), "app.env".into(), vec![]),
            (a.clone(), "app.env".into(), vec![]),
            (b.clone(), "app.env".into(), vec![]),
            (b.clone(), "deploy.sh".into(), vec![]),
        ]
    );
    assert_eq!(seen[0], seen[1], "in parallel, the same findings");

    // --repos-index picks one entry (comments and blank lines not counted).
    let out = area
        .keytrail()
        .args(["scan", "--repos", list.to_str().unwrap(), "--repos-index", "2", "--config", &area.config()])
        .args(["--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(jsonl(&out.stdout).iter().all(|f| f["location"]["repository"] == b.as_str()));
    let out = area.keytrail().args(["scan", "--repos", list.to_str().unwrap(), "--repos-index", "4"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("past the last of its 4 repositories"));

    // SARIF: one run per repository, written as each is done.
    let out = area
        .keytrail()
        .args(["scan", "--git", "--repos", list.to_str().unwrap(), "--config", &area.config(), "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    let ids: Vec<&str> =
        sarif["runs"].as_array().unwrap().iter().map(|r| r["automationDetails"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![format!("keytrail/{a}/"), format!("keytrail/{b}/"), format!("keytrail/{local_name}/")]);
    area.assert_clean();
}

#[test]
fn report_merge_joins_per_repository_reports_without_duplicates() {
    let area = Area::new();
    area.repo("a", &token(20), None);
    area.repo("b", &token(21), Some(&token(22)));
    let daemon = Daemon::serve(&area.p("srv"));
    let list = area.p("repos.txt");
    std::fs::write(&list, format!("{}\n{}\n", daemon.url("a"), daemon.url("b"))).unwrap();
    // One report per repository, as a fan-out writes them; b twice (a retried job), once as SARIF.
    let mut reports = Vec::new();
    for (i, format, name) in
        [(0, "jsonl", "0.jsonl"), (1, "jsonl", "1.jsonl"), (1, "sarif", "1.sarif"), (1, "json", "1.json")]
    {
        let path = area.p(name);
        area.keytrail()
            .args(["scan", "--repos", list.to_str().unwrap(), "--repos-index", &i.to_string()])
            .args(["--config", &area.config(), "--format", format, "-q", "-o", path.to_str().unwrap()])
            .assert()
            .code(1);
        reports.push(path.display().to_string());
    }
    let merged = area.p("merged.sarif");
    let out = keytrail().args(["report", "merge", "-o", merged.to_str().unwrap()]).args(&reports).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    assert_valid_sarif(&sarif);
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "one run per repository");
    let counts: Vec<usize> = runs.iter().map(|r| r["results"].as_array().unwrap().len()).collect();
    assert_eq!(counts, vec![1, 2], "b's three reports hold the same two findings");
    for run in runs {
        for r in run["results"].as_array().unwrap() {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][i]["id"], r["ruleId"]);
        }
    }
    assert!(stderr.contains(&daemon.url("b")) && stderr.contains("4 duplicates dropped"), "{stderr}");
    let b_line = stderr.lines().find(|l| l.starts_with(&daemon.url("b"))).unwrap();
    assert_eq!(b_line.split_whitespace().skip(1).collect::<Vec<_>>(), ["2", "2", "0", "0", "2", "0", "4"]);

    // JSONL out of JSON and JSONL reports; a SARIF input cannot become findings.
    let out = keytrail()
        .args(["report", "merge", "--format", "jsonl", "-q"])
        .args([&reports[0], &reports[1], &reports[3]])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(jsonl(&out.stdout).len(), 3);
    let out = keytrail().args(["report", "merge", "--format", "jsonl"]).args(&reports).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A broken report is an error naming it; the others are still merged.
    let broken = area.p("broken.jsonl");
    std::fs::write(&broken, "{\"rule\": \"x\"\n").unwrap();
    let out = keytrail()
        .args(["report", "merge", "--format", "jsonl", &reports[0], broken.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{}: not a keytrail", broken.display())));
    assert_eq!(jsonl(&out.stdout).len(), 1);
}

#[test]
fn an_interrupted_clone_is_removed() {
    let area = Area::new();
    // A server that accepts and never answers: the clone waits until interrupted.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _server = std::thread::spawn(move || {
        let held: Vec<TcpStream> = listener.incoming().flatten().collect();
        drop(held);
    });
    let bin = assert_cmd::cargo::cargo_bin("keytrail");
    let mut child = Command::new(bin)
        .args(["scan", &format!("git://127.0.0.1:{port}/stuck.git"), "--config", &area.config()])
        .current_dir(area.p("cwd"))
        .env("HOME", area.p("home"))
        .env("TMPDIR", area.p("tmp"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    // Once git has made its directory inside it, the clone is known to the interrupt handler.
    while !area.listing("tmp").iter().any(|p| p.ends_with("mirror.git")) {
        assert!(Instant::now() < deadline, "no temporary clone appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: signalling the child this test spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("removed 1 temporary clone"), "{stderr}");
    area.assert_clean();
}

#[test]
fn credentials_in_a_listed_url_are_never_printed() {
    let area = Area::new();
    // Nothing listens on this port: the clone fails, and git's message repeats the URL.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let secret = "ghp_Q4rT7yU1iO3pA6sD9fG2hJ5kL8zX0cV3bN6m";
    let url = format!("http://x-access-token:{secret}@127.0.0.1:{port}/org/app.git");
    let list = area.p("repos.txt");
    std::fs::write(&list, format!("{url}\n")).unwrap();
    let out = area.keytrail().args(["scan", "--repos", list.to_str().unwrap(), "--format", "jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("http://127.0.0.1:{port}/org/app.git: clone failed")), "{stderr}");
    assert!(!stderr.contains(secret) && !String::from_utf8_lossy(&out.stdout).contains(secret), "{stderr}");
    area.assert_clean();
}
