//! Git hooks: `keytrail hook install` (pre-commit and pre-push hooks where git runs them) and
//! `keytrail hook run` (what to scan under the pre-commit framework's modes).

use std::path::{Path, PathBuf};

/// The line that marks a hook as keytrail's own (so reinstalling may replace it).
pub const MARKER: &str = "# keytrail ";

const PRE_COMMIT: &str = "#!/bin/sh
# keytrail pre-commit hook (written by `keytrail hook install`; remove this file to uninstall)
# Refuses the commit when the staged changes add a secret. Bypass once: git commit --no-verify
exec keytrail scan --staged -q
";

/// Git feeds a pre-push hook `<local ref> <local oid> <remote ref> <remote oid>` lines.
const PRE_PUSH: &str = "#!/bin/sh
# keytrail pre-push hook (written by `keytrail hook install --pre-push`; remove this file to uninstall)
# Refuses the push when the pushed commits add a secret. Bypass once: git push --no-verify
z=0000000000000000000000000000000000000000
status=0
while read -r local_ref local_oid remote_ref remote_oid; do
    case \"$local_oid\" in *[!0]*) ;; *) continue ;; esac    # a deleted ref pushes nothing
    case \"$remote_oid\" in
        *[!0]*) range=\"$remote_oid..$local_oid\" ;;
        *) # a new branch: the commits no remote-tracking branch holds
           base=$(git rev-list --topo-order --reverse \"$local_oid\" --not --remotes | head -n 1)
           [ -n \"$base\" ] || continue
           if git rev-parse -q --verify \"$base^\" >/dev/null; then range=\"$base^..$local_oid\"; else range=\"\"; fi ;;
    esac
    if [ -n \"$range\" ]; then
        keytrail scan -q --range \"$range\" . || status=$?
    else
        keytrail scan -q --git . || status=$?
    fi
done
exit $status
";

/// Which hook `keytrail hook install` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    PreCommit,
    PrePush,
}

impl HookKind {
    fn file_name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
        }
    }

    fn script(self) -> &'static str {
        match self {
            HookKind::PreCommit => PRE_COMMIT,
            HookKind::PrePush => PRE_PUSH,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("{0}")]
    Repo(#[from] crate::source::git::GitError),
    #[error("{path}: a {kind} hook keytrail did not write is already there (use --force to replace it)")]
    Foreign { path: String, kind: &'static str },
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The directory git runs hooks from, as `git rev-parse --git-path hooks` gives it:
/// `core.hooksPath` when set (`~/` expanded; relative to the top of the work tree, or to
/// the repository in a bare one), else the `hooks` directory of the common git directory
/// (linked worktrees share the main repository's hooks).
pub fn hooks_dir(repo: &git2::Repository) -> Result<PathBuf, HookError> {
    let bad =
        |e: git2::Error| HookError::Config { path: repo.path().display().to_string(), message: e.message().into() };
    let config = repo.config().map_err(bad)?;
    match config.get_string("core.hooksPath") {
        Ok(p) if !p.is_empty() => {
            let p = match p.strip_prefix("~/") {
                Some(rest) => std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default().join(rest),
                None => PathBuf::from(p),
            };
            let base = repo.workdir().unwrap_or_else(|| repo.path());
            Ok(if p.is_absolute() { p } else { base.join(p) })
        }
        Ok(_) => Ok(repo.commondir().join("hooks")),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(repo.commondir().join("hooks")),
        Err(e) => Err(bad(e)),
    }
}

/// Writes the hook where git runs hooks for the repository at `repo`; returns its path.
pub fn install(repo: &Path, kind: HookKind, force: bool) -> Result<PathBuf, HookError> {
    let repo = crate::source::git::open(repo)?;
    let hooks = hooks_dir(&repo)?;
    let path = hooks.join(kind.file_name());
    let io = |source| HookError::Io { path: path.display().to_string(), source };
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.lines().nth(1).is_some_and(|l| l.starts_with(MARKER))
        && !force
    {
        return Err(HookError::Foreign { path: path.display().to_string(), kind: kind.file_name() });
    }
    std::fs::create_dir_all(&hooks).map_err(io)?;
    std::fs::write(&path, kind.script()).map_err(io)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    Ok(path)
}

/// What `keytrail hook run` scans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookScan {
    /// The commits of a range (`--from-ref/--to-ref`, a pre-push).
    Range(String),
    /// All of the history (a pre-push of a branch with its root commit).
    History,
    /// What the commit records (git is running the pre-commit hook).
    Staged,
    /// These files as they are on disk (`--all-files`, `--files`, a manual run).
    Files(Vec<PathBuf>),
}

/// Decides what to scan from the pre-commit framework's conventions: `PRE_COMMIT_FROM_REF`
/// and `PRE_COMMIT_TO_REF` name a range (`run --from-ref/--to-ref`, pre-push); a pre-push
/// without them pushes the whole history; git sets `GIT_INDEX_FILE` while committing (then
/// the index is what matters); otherwise the files passed are scanned; no files, the index.
pub fn plan(env: impl Fn(&str) -> Option<String>, files: Vec<PathBuf>) -> HookScan {
    let set = |k: &str| env(k).filter(|v| !v.is_empty());
    if let (Some(from), Some(to)) = (set("PRE_COMMIT_FROM_REF"), set("PRE_COMMIT_TO_REF")) {
        return HookScan::Range(format!("{from}..{to}"));
    }
    if set("PRE_COMMIT_REMOTE_NAME").is_some() {
        return HookScan::History;
    }
    if set("GIT_INDEX_FILE").is_some() || files.is_empty() {
        return HookScan::Staged;
    }
    HookScan::Files(files)
}

#[cfg(test)]
mod tests {
    use super::{HookScan, plan};
    use std::path::PathBuf;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn modes() {
        let files = vec![PathBuf::from("a.env")];
        assert_eq!(
            plan(env(&[("PRE_COMMIT_FROM_REF", "abc"), ("PRE_COMMIT_TO_REF", "def")]), files.clone()),
            HookScan::Range("abc..def".into())
        );
        assert_eq!(plan(env(&[("PRE_COMMIT_REMOTE_NAME", "origin")]), files.clone()), HookScan::History);
        assert_eq!(plan(env(&[("GIT_INDEX_FILE", ".git/index")]), files.clone()), HookScan::Staged);
        assert_eq!(plan(env(&[("PRE_COMMIT", "1")]), files.clone()), HookScan::Files(files));
        assert_eq!(plan(env(&[]), vec![]), HookScan::Staged);
    }
}
