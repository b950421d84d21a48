//! The host root (`/`, or `--host-root DIR`): host paths resolved inside it as the host would
//! resolve them (absolute symlink targets and `..` never leave it), bounded reads, listings.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Symlinks followed while resolving one path (as Linux's limit).
const MAX_LINKS: usize = 40;

/// Why a host path could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HostReadError {
    #[error("not found")]
    Missing,
    #[error("permission denied")]
    Denied,
    #[error("larger than {0} bytes; skipped")]
    TooLarge(u64),
    #[error("not a regular file")]
    Special,
    #[error("too many levels of symbolic links")]
    Loop,
    #[error("not an absolute path")]
    Relative,
    #[error("{0}")]
    Io(std::io::Error),
}

impl From<std::io::Error> for HostReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => HostReadError::Missing,
            std::io::ErrorKind::PermissionDenied => HostReadError::Denied,
            _ => HostReadError::Io(e),
        }
    }
}

/// The directory the host's `/` is at.
#[derive(Debug, Clone)]
pub struct HostRoot {
    root: PathBuf,
}

impl HostRoot {
    pub fn new(root: &Path) -> std::io::Result<HostRoot> {
        let root = root.canonicalize()?;
        if !root.is_dir() {
            return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"));
        }
        Ok(HostRoot { root })
    }

    /// True when this is the running machine's own `/`.
    pub fn is_live(&self) -> bool {
        self.root == Path::new("/")
    }

    /// The path on this machine of `host_path`, every symlink resolved inside the root.
    pub fn resolve(&self, host_path: &str) -> Result<PathBuf, HostReadError> {
        if !host_path.starts_with('/') {
            return Err(HostReadError::Relative);
        }
        let mut pending: VecDeque<OsString> = components(Path::new(host_path)).into();
        let mut done: Vec<OsString> = Vec::new();
        let mut links = 0;
        while let Some(c) = pending.pop_front() {
            if c == ".." {
                done.pop();
                continue;
            }
            let mut candidate = self.root.clone();
            candidate.extend(&done);
            candidate.push(&c);
            let meta = std::fs::symlink_metadata(&candidate)?;
            if meta.file_type().is_symlink() {
                links += 1;
                if links > MAX_LINKS {
                    return Err(HostReadError::Loop);
                }
                let target = std::fs::read_link(&candidate)?;
                if target.is_absolute() {
                    done.clear();
                }
                for t in components(&target).into_iter().rev() {
                    pending.push_front(t);
                }
            } else {
                done.push(c);
            }
        }
        let mut out = self.root.clone();
        out.extend(&done);
        Ok(out)
    }

    /// The bytes of the regular file at `host_path`, at most `max` of them.
    pub fn read(&self, host_path: &str, max: u64) -> Result<(PathBuf, Vec<u8>), HostReadError> {
        let real = self.resolve(host_path)?;
        let bytes = read_file(&real, max)?;
        Ok((real, bytes))
    }

    /// Reads a kernel file (`/proc/...`, whose size the kernel does not report), bounded.
    pub fn read_proc(&self, host_path: &str, max: u64) -> Result<Vec<u8>, HostReadError> {
        read_bounded(&self.resolve(host_path)?, max)
    }

    /// The target text of the symlink at `host_path` (never followed).
    pub fn link_text(&self, host_path: &str) -> Option<String> {
        let (dir, name) = host_path.rsplit_once('/')?;
        let dir = self.resolve(if dir.is_empty() { "/" } else { dir }).ok()?;
        Some(std::fs::read_link(dir.join(name)).ok()?.to_string_lossy().into_owned())
    }

    /// The entries of the directory `host_dir`, as host paths, sorted; none when unreadable.
    pub fn list(&self, host_dir: &str) -> Vec<String> {
        let Ok(real) = self.resolve(host_dir) else { return Vec::new() };
        let Ok(entries) = std::fs::read_dir(real) else { return Vec::new() };
        let base = host_dir.trim_end_matches('/');
        let mut out: Vec<String> =
            entries.flatten().map(|e| format!("{base}/{}", e.file_name().to_string_lossy())).collect();
        out.sort();
        out
    }

    /// Regular files under `host_dir` (symlinks to files included, directories reached
    /// through symlinks not), at most `depth` levels down: (host path, path on this machine).
    pub fn walk(&self, host_dir: &str, depth: usize, out: &mut Vec<(String, PathBuf)>) {
        if let Ok(real) = self.resolve(host_dir) {
            self.walk_real(host_dir.trim_end_matches('/'), &real, depth, out);
        }
    }

    fn walk_real(&self, host_dir: &str, real: &Path, depth: usize, out: &mut Vec<(String, PathBuf)>) {
        let Ok(entries) = std::fs::read_dir(real) else { return };
        let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let host = format!("{host_dir}/{}", e.file_name().to_string_lossy());
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_symlink() {
                if let Ok(r) = self.resolve(&host)
                    && std::fs::metadata(&r).is_ok_and(|m| m.is_file())
                {
                    out.push((host, r));
                }
            } else if ft.is_file() {
                out.push((host, e.path()));
            } else if ft.is_dir() && depth > 1 {
                self.walk_real(&host, &e.path(), depth - 1, out);
            }
        }
    }

    /// True when `host_path` is a regular file (after resolving links inside the root).
    pub fn is_file(&self, host_path: &str) -> bool {
        self.resolve(host_path).ok().and_then(|p| std::fs::metadata(p).ok()).is_some_and(|m| m.is_file())
    }
}

/// The bytes of the regular file at `real` (a path on this machine), at most `max`.
pub fn read_file(real: &Path, max: u64) -> Result<Vec<u8>, HostReadError> {
    let meta = std::fs::metadata(real)?;
    if !meta.is_file() {
        return Err(HostReadError::Special);
    }
    if meta.len() > max {
        return Err(HostReadError::TooLarge(max));
    }
    read_bounded(real, max)
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, HostReadError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(HostReadError::TooLarge(max));
    }
    Ok(bytes)
}

/// The normal and `..` components of `p` (root and `.` dropped).
fn components(p: &Path) -> Vec<OsString> {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_os_string()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_dotdot_stay_inside_the_root() {
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("outside.env"), "X=1").unwrap();
        let root = outer.path().join("root");
        std::fs::create_dir_all(root.join("etc/app")).unwrap();
        std::fs::write(root.join("etc/app/env"), "A=1").unwrap();
        let link = |target: &str, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
        link("/etc/app/env", "etc/abs");
        link("app/env", "etc/rel");
        link("../../../outside.env", "etc/escape");
        link(outer.path().join("outside.env").to_str().unwrap(), "etc/escape-abs");
        link("/etc/loop", "etc/loop");
        let host = HostRoot::new(&root).unwrap();
        assert_eq!(host.read("/etc/abs", 100).unwrap().1, b"A=1");
        assert_eq!(host.read("/etc/rel", 100).unwrap().1, b"A=1");
        assert_eq!(host.read("/../../etc/app/env", 100).unwrap().1, b"A=1");
        assert!(matches!(host.read("/etc/escape", 100), Err(HostReadError::Missing)));
        assert!(matches!(host.read("/etc/escape-abs", 100), Err(HostReadError::Missing)));
        assert!(matches!(host.read("/etc/loop", 100), Err(HostReadError::Loop)));
        assert!(matches!(host.read("/etc/app/env", 2), Err(HostReadError::TooLarge(2))));
        assert!(matches!(host.read("/etc/app", 100), Err(HostReadError::Special)));
        assert!(matches!(host.read("etc/app/env", 100), Err(HostReadError::Relative)));
        assert_eq!(host.link_text("/etc/abs").as_deref(), Some("/etc/app/env"));
        let mut files = Vec::new();
        host.walk("/etc", 3, &mut files);
        let shown: Vec<&str> = files.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(shown, ["/etc/abs", "/etc/app/env", "/etc/rel"]);
        assert!(files.iter().all(|(_, real)| real.starts_with(host.resolve("/").unwrap())));
    }
}
