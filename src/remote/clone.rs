//! A bare mirror clone of a remote (every ref it advertises, `refs/pull/*` and
//! `refs/merge-requests/*` included) made by the `git` command, so the user's credential
//! helpers, SSH agent and `url.*.insteadOf` apply; in a private temporary directory removed
//! when dropped, or in a kept directory reused by the next run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cleanup;
use super::url::{redact_urls, without_credentials};

/// Why a remote could not be cloned.
#[derive(Debug, thiserror::Error)]
pub enum CloneError {
    #[error("{url}: cannot run git ({message})")]
    NoGit { url: String, message: String },
    #[error("{url}: clone failed: {message}")]
    Failed { url: String, message: String },
    #[error("{dir}: {message}")]
    Dir { dir: String, message: String },
}

/// How to clone.
#[derive(Debug, Clone, Default)]
pub struct CloneOptions {
    /// Keep the clone here (`--keep-clone DIR`), fetching into it when it already holds one.
    pub keep: Option<PathBuf>,
    /// Let git ask for a user name and password on the terminal (otherwise only credential
    /// helpers and keys are used, and a repository needing more fails at once).
    pub prompt: bool,
}

/// A bare mirror of a remote on disk. A temporary one is removed on drop (and on Ctrl-C).
#[derive(Debug)]
pub struct MirrorClone {
    path: PathBuf,
    /// The private temporary directory holding `path`, removed on drop; None when kept.
    temp: Option<PathBuf>,
    /// The URL without credentials.
    pub url: String,
}

impl MirrorClone {
    /// Clones `url` with every advertised ref: into a fresh private directory under the
    /// system temporary directory (`TMPDIR`), or into `opts.keep` (fetching, pruning, when it
    /// already holds a mirror of the same URL).
    pub fn fetch(url: &str, opts: &CloneOptions) -> Result<MirrorClone, CloneError> {
        cleanup::install_handler();
        let shown = without_credentials(url);
        let Some(keep) = &opts.keep else {
            let temp = tempfile::Builder::new()
                .prefix("keytrail-clone-")
                .tempdir()
                .map_err(|e| CloneError::Dir {
                    dir: std::env::temp_dir().display().to_string(),
                    message: e.to_string(),
                })?
                .keep();
            cleanup::track_dir(&temp);
            // From here on, `Drop` removes the directory whatever happens.
            let clone = MirrorClone { path: temp.join("mirror.git"), temp: Some(temp), url: shown };
            clone.clone_into(url, opts.prompt)?;
            return Ok(clone);
        };
        let clone = MirrorClone { path: keep.clone(), temp: None, url: shown.clone() };
        let dir = keep.display().to_string();
        let reuse = keep.exists()
            && std::fs::read_dir(keep)
                .map_err(|e| CloneError::Dir { dir: dir.clone(), message: e.to_string() })?
                .next()
                .is_some();
        if !reuse {
            clone.clone_into(url, opts.prompt)?;
            return Ok(clone);
        }
        let repo = git2::Repository::open_bare(keep).map_err(|e| CloneError::Dir {
            dir: dir.clone(),
            message: format!("not empty and not a kept clone ({})", e.message()),
        })?;
        // As written in its config (a remote's URL as libgit2 gives it has `insteadOf` applied).
        let origin = repo.config().ok().and_then(|c| c.get_string("remote.origin.url").ok());
        if origin.as_deref() != Some(shown.as_str()) {
            return Err(CloneError::Dir {
                dir,
                message: format!(
                    "holds a clone of {}, not of {shown}",
                    origin.as_deref().unwrap_or("an unknown remote")
                ),
            });
        }
        let mut fetch = git(opts.prompt);
        fetch.arg("-C").arg(keep).args([
            "fetch",
            "--quiet",
            "--prune",
            "--update-head-ok",
            "--",
            url,
            "+refs/*:refs/*",
        ]);
        run(fetch, &shown)?;
        Ok(clone)
    }

    /// The bare repository.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn clone_into(&self, url: &str, prompt: bool) -> Result<(), CloneError> {
        let mut cmd = git(prompt);
        cmd.args(["clone", "--mirror", "--quiet", "--", url]).arg(&self.path);
        run(cmd, &self.url)?;
        if self.url != url {
            // The clone must not keep the credentials of the URL in its config.
            let mut set = git(false);
            set.arg("-C").arg(&self.path).args(["remote", "set-url", "origin", &self.url]);
            run(set, &self.url)?;
        }
        Ok(())
    }
}

impl Drop for MirrorClone {
    fn drop(&mut self) {
        if let Some(temp) = &self.temp {
            cleanup::remove(temp);
            cleanup::untrack_dir(temp);
        }
    }
}

/// A git command: no terminal prompt unless `prompt`, no pager, messages in English so
/// warnings read alike everywhere.
fn git(prompt: bool) -> Command {
    let mut cmd = Command::new("git");
    cmd.stdin(if prompt { Stdio::inherit() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .env("LC_ALL", "C")
        .env("GIT_PAGER", "cat");
    if !prompt {
        cmd.env("GIT_TERMINAL_PROMPT", "0");
    }
    cmd
}

/// Runs `cmd`, tracked so an interrupt stops it; its error is git's last lines, without
/// credentials.
fn run(mut cmd: Command, url: &str) -> Result<(), CloneError> {
    let mut child = cmd.spawn().map_err(|e| CloneError::NoGit { url: url.to_string(), message: e.to_string() })?;
    cleanup::track_child(child.id());
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        stderr = String::from_utf8_lossy(&bytes).into_owned();
    }
    let status = child.wait();
    cleanup::untrack_child(child.id());
    cleanup::wait_if_interrupted();
    let status = status.map_err(|e| CloneError::NoGit { url: url.to_string(), message: e.to_string() })?;
    if status.success() {
        return Ok(());
    }
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let message = match lines.len() {
        0 => format!("git exited with {status}"),
        n => lines[n.saturating_sub(2)..].join("; "),
    };
    Err(CloneError::Failed { url: url.to_string(), message: redact_urls(&message) })
}
