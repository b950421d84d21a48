//! `keytrail hook install`: a git pre-commit hook that runs `keytrail scan --staged`.

use std::path::{Path, PathBuf};

/// The line that marks a hook as keytrail's own (so reinstalling may replace it).
pub const MARKER: &str = "# keytrail pre-commit hook";

const HOOK: &str = "#!/bin/sh
# keytrail pre-commit hook (written by `keytrail hook install`; remove this file to uninstall)
# Refuses the commit when the staged changes add a secret. Bypass once: git commit --no-verify
exec keytrail scan --staged -q
";

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("{0}")]
    Repo(#[from] crate::source::git::GitError),
    #[error("{path}: a pre-commit hook keytrail did not write is already there (use --force to replace it)")]
    Foreign { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Writes the hook into the repository's hooks directory; returns its path.
pub fn install(repo: &Path, force: bool) -> Result<PathBuf, HookError> {
    let repo = crate::source::git::open(repo)?;
    let hooks = repo.path().join("hooks");
    let path = hooks.join("pre-commit");
    let io = |source| HookError::Io { path: path.display().to_string(), source };
    if let Ok(existing) = std::fs::read_to_string(&path)
        && !existing.contains(MARKER)
        && !force
    {
        return Err(HookError::Foreign { path: path.display().to_string() });
    }
    std::fs::create_dir_all(&hooks).map_err(io)?;
    std::fs::write(&path, HOOK).map_err(io)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(io)?;
    Ok(path)
}
