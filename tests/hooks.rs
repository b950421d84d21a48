//! Git hooks as users run them: `hook install` where git looks (core.hooksPath, linked
//! worktrees, pre-push), and `hook run` under the pre-commit framework's modes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::keytrail;

const TOKEN_A: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";
const TOKEN_B: &str = "acme_Z3rT8wQe1YuI6oPa4SdF9gHj2KlX7cVb";

/// PATH with the built keytrail first (hooks call `keytrail`).
fn path_env() -> String {
    let bin = assert_cmd::cargo::cargo_bin("keytrail");
    format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default())
}

/// Runs git in `dir` as a user would (hooks on), with a fixed identity and no user config.
fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("PATH", path_env())
        .env("HOME", dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_DIR")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with the ACME rule config committed and `.env` holding TOKEN_A committed.
fn repo_with_committed_key() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "-q", "-b", "main"]);
    write(d, ".keytrail.toml", common::ACME_RULES);
    write(d, "README.md", "hello\n");
    ok(d, &["add", "-A"]);
    ok(d, &["commit", "-q", "--no-verify", "-m", "clean"]);
    let clean = ok(d, &["rev-parse", "HEAD"]);
    write(d, "app/.env", &format!("ACME_TOKEN={TOKEN_A}\n"));
    ok(d, &["add", "-A"]);
    ok(d, &["commit", "-q", "--no-verify", "-m", "add env"]);
    let with_key = ok(d, &["rev-parse", "HEAD"]);
    (dir, clean, with_key)
}

fn hook_run(dir: &Path, files: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = keytrail();
    cmd.current_dir(dir).args(["hook", "run"]).args(files);
    for k in ["PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "PRE_COMMIT_REMOTE_NAME", "GIT_INDEX_FILE"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn hook_run_follows_the_pre_commit_framework_modes() {
    let (dir, clean, with_key) = repo_with_committed_key();
    let d = dir.path();
    // `run --all-files` / `--files`: the files passed, as they are on disk.
    let out = hook_run(d, &[".keytrail.toml", "README.md", "app/.env"], &[("PRE_COMMIT", "1")]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("app/.env"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(TOKEN_A), "the secret is redacted");
    assert_eq!(hook_run(d, &["README.md"], &[("PRE_COMMIT", "1")]).status.code(), Some(0));
    // `run --from-ref/--to-ref` and pre-push: the commits of the range.
    let range =
        [("PRE_COMMIT", "1"), ("PRE_COMMIT_FROM_REF", clean.as_str()), ("PRE_COMMIT_TO_REF", with_key.as_str())];
    assert_eq!(hook_run(d, &["app/.env"], &range).status.code(), Some(1));
    let none =
        [("PRE_COMMIT", "1"), ("PRE_COMMIT_FROM_REF", with_key.as_str()), ("PRE_COMMIT_TO_REF", with_key.as_str())];
    assert_eq!(hook_run(d, &[], &none).status.code(), Some(0));
    // While git commits: the staged changes only (the committed key is not this commit's).
    let committing = [("PRE_COMMIT", "1"), ("GIT_INDEX_FILE", ".git/index")];
    assert_eq!(hook_run(d, &["app/.env"], &committing).status.code(), Some(0));
    write(d, "app/new.env", &format!("ACME_TOKEN={TOKEN_B}\n"));
    ok(d, &["add", "app/new.env"]);
    assert_eq!(hook_run(d, &["app/new.env"], &committing).status.code(), Some(1));
}

#[test]
fn hook_run_reads_the_repository_config_as_a_scan_of_the_directory_does() {
    // A .keytrail.toml with only an allowlist extends the built-in rules.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["init", "-q", "-b", "main"]);
    write(d, ".keytrail.toml", "[[allowlists]]\npaths = ['''^vendor/''']\n");
    write(d, "ci.env", "GH_TOKEN=ghp_GouSHrcvm2i4JSyw8zIDmjEU6QtBalmMRbCJ\n");
    write(d, "vendor/ci.env", "GH_TOKEN=ghp_GouSHrcvm2i4JSyw8zIDmjEU6QtBalmMRbCJ\n");
    let out = hook_run(d, &["ci.env", "vendor/ci.env"], &[("PRE_COMMIT", "1")]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("github-pat-classic") && !shown.contains("vendor/"), "{shown}");
}

/// Installs the hook, then commits a key through git: the commit must be refused.
fn assert_commit_refused(worktree: &Path, rel: &str) {
    write(worktree, rel, &format!("ACME_TOKEN={TOKEN_B}\n"));
    ok(worktree, &["add", rel]);
    let out = git(worktree, &["commit", "-q", "-m", "leak"]);
    assert!(!out.status.success(), "the commit went through: {}", String::from_utf8_lossy(&out.stderr));
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(shown.contains("acme-token") && !shown.contains(TOKEN_B), "{shown}");
}

#[test]
fn commit_all_and_commit_path_are_refused_too() {
    // `git commit -a` / `git commit PATH` record a temporary index (GIT_INDEX_FILE), not .git/index.
    let (dir, _, _) = repo_with_committed_key();
    let d = dir.path();
    keytrail().args(["hook", "install"]).arg(d).assert().success();
    write(d, "README.md", &format!("hello\nACME_TOKEN={TOKEN_B}\n"));
    for args in [&["commit", "-q", "-a", "-m", "leak"][..], &["commit", "-q", "-m", "leak", "README.md"]] {
        let out = git(d, args);
        assert!(!out.status.success(), "{args:?} went through");
        // git shows a hook's standard output on its standard error.
        assert!(String::from_utf8_lossy(&out.stderr).contains("README.md"), "{args:?}");
    }
    write(d, "README.md", "hello, clean\n");
    ok(d, &["commit", "-q", "-a", "-m", "clean"]);
}

#[test]
fn hook_install_honours_core_hooks_path() {
    let (dir, _, _) = repo_with_committed_key();
    let d = dir.path();
    ok(d, &["config", "core.hooksPath", ".githooks"]);
    keytrail().args(["hook", "install"]).arg(d).assert().success();
    assert!(d.join(".githooks/pre-commit").is_file());
    assert!(!d.join(".git/hooks/pre-commit").exists());
    assert_eq!(ok(d, &["rev-parse", "--git-path", "hooks"]), ".githooks");
    assert_commit_refused(d, "b.env");
}

#[test]
fn hook_install_in_a_linked_worktree_writes_where_git_runs_hooks() {
    let (dir, _, _) = repo_with_committed_key();
    let d = dir.path();
    let wt = d.join("wt");
    ok(d, &["worktree", "add", "-q", wt.to_str().unwrap(), "-b", "side"]);
    keytrail().args(["hook", "install"]).arg(&wt).assert().success();
    let expected = PathBuf::from(ok(&wt, &["rev-parse", "--path-format=absolute", "--git-path", "hooks"]));
    assert!(expected.join("pre-commit").is_file(), "not in {}", expected.display());
    assert!(!d.join(".git/worktrees/wt/hooks").exists());
    assert_commit_refused(&wt, "c.env");
}

#[test]
fn pre_push_hook_refuses_pushing_a_key() {
    let (dir, _, _) = repo_with_committed_key();
    let d = dir.path();
    let remote = tempfile::tempdir().unwrap();
    ok(remote.path(), &["init", "-q", "--bare"]);
    ok(d, &["remote", "add", "origin", remote.path().to_str().unwrap()]);
    keytrail().args(["hook", "install", "--pre-push"]).arg(d).assert().success();
    // A new branch holding the committed key: refused.
    let out = git(d, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "pushed: {}", String::from_utf8_lossy(&out.stderr));
    // Pushed without the hook, then a clean commit on top: allowed; a key on top: refused.
    ok(d, &["push", "-q", "--no-verify", "origin", "main"]);
    write(d, "README.md", "hello again\n");
    ok(d, &["commit", "-q", "--no-verify", "-am", "docs"]);
    ok(d, &["push", "-q", "origin", "main"]);
    write(d, "d.env", &format!("ACME_TOKEN={TOKEN_B}\n"));
    ok(d, &["add", "d.env"]);
    ok(d, &["commit", "-q", "--no-verify", "-m", "leak"]);
    let out = git(d, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "pushed a key");
}

/// The pre-commit framework itself, with the `keytrail-system` hook of this repository's
/// `.pre-commit-hooks.yaml`. Runs when `pre-commit` is installed; `.ci/run` installs it and
/// sets KEYTRAIL_REQUIRE_PRE_COMMIT so that it cannot be skipped there.
#[test]
fn pre_commit_framework_blocks_committed_and_staged_keys() {
    let have = Command::new("pre-commit").arg("--version").output().is_ok_and(|o| o.status.success());
    if !have {
        assert!(std::env::var_os("KEYTRAIL_REQUIRE_PRE_COMMIT").is_none(), "pre-commit is not installed");
        eprintln!("pre-commit is not installed: skipped");
        return;
    }
    // The hook repository: this crate's .pre-commit-hooks.yaml, committed.
    let hooks_repo = tempfile::tempdir().unwrap();
    let hr = hooks_repo.path();
    ok(hr, &["init", "-q", "-b", "main"]);
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
        hr.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    ok(hr, &["add", "-A"]);
    ok(hr, &["commit", "-q", "-m", "hooks"]);
    let rev = ok(hr, &["rev-parse", "HEAD"]);
    let (dir, clean, with_key) = repo_with_committed_key();
    let d = dir.path();
    let config = format!(
        "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: keytrail-system\n  - id: keytrail-pre-push\n    language: system\n",
        hr.display()
    );
    write(d, ".pre-commit-config.yaml", &config);
    ok(d, &["add", ".pre-commit-config.yaml"]);
    ok(d, &["commit", "-q", "--no-verify", "-m", "pre-commit config"]);
    let cache = tempfile::tempdir().unwrap();
    let pc = |args: &[&str]| {
        Command::new("pre-commit")
            .current_dir(d)
            .args(args)
            .env("PATH", path_env())
            .env("PRE_COMMIT_HOME", cache.path())
            .env("HOME", d)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let show = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let out = pc(&["run", "--all-files"]);
    assert!(!out.status.success() && show(&out).contains("Failed"), "--all-files: {}", show(&out));
    assert!(!show(&out).contains(TOKEN_A));
    let out = pc(&["run", "--from-ref", &clean, "--to-ref", &with_key]);
    assert!(!out.status.success(), "--from-ref/--to-ref: {}", show(&out));
    let out = pc(&["run", "--from-ref", &with_key, "--to-ref", "HEAD"]);
    assert!(out.status.success(), "a clean range passes: {}", show(&out));
    // Installed as git's hook: a staged key is refused at commit time, a clean commit passes.
    let out = pc(&["install", "--hook-type", "pre-commit", "--hook-type", "pre-push"]);
    assert!(out.status.success(), "{}", show(&out));
    write(d, "README.md", "clean change\n");
    ok(d, &["commit", "-q", "-am", "clean"]);
    assert_commit_refused(d, "e.env");
    ok(d, &["reset", "-q", "HEAD", "e.env"]);
    std::fs::remove_file(d.join("e.env")).unwrap();
    // pre-push: pushing the history that holds the key is refused.
    let remote = tempfile::tempdir().unwrap();
    ok(remote.path(), &["init", "-q", "--bare"]);
    ok(d, &["remote", "add", "origin", remote.path().to_str().unwrap()]);
    let out = git(d, &["push", "-q", "origin", "main"]);
    assert!(!out.status.success(), "pushed: {}", show(&out));
}
