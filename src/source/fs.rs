//! The filesystem source: a parallel, ignore-aware directory walk that reads each file once.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::{WalkBuilder, WalkState};

use super::{Stats, Warning};
use crate::origin::Origin;
use crate::sink::Sink;

/// Files at least this large are memory-mapped; smaller ones are read into a reused buffer.
pub const MMAP_THRESHOLD: u64 = 16 << 20;

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Don't honour .gitignore/.ignore/.git/info/exclude.
    pub no_ignore: bool,
    /// Skip files larger than this (counted).
    pub max_file_size: Option<u64>,
    /// Worker threads (0 = available cores).
    pub threads: usize,
}

/// The bytes of one file: a read buffer or a memory map.
pub enum Contents<'a> {
    Read(&'a [u8]),
    Mapped(memmap2::Mmap),
}

impl Contents<'_> {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Contents::Read(b) => b,
            Contents::Mapped(m) => m,
        }
    }
}

/// How a root's file paths are shown: relative to the root directory, or as given.
fn display_path(root: &Path, root_is_dir: bool, multi: bool, path: &Path) -> String {
    if !root_is_dir {
        return path.display().to_string();
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    if !multi {
        return rel.display().to_string();
    }
    let joined = root.join(rel).display().to_string();
    joined.strip_prefix("./").map(str::to_string).unwrap_or(joined)
}

/// Walks `roots` in parallel and calls `visit(origin, bytes)` for every regular file.
/// Skips (binary, too large, special files, symlinks) and warnings are counted in `stats`.
/// Returns the roots that do not exist or cannot be read at all.
pub fn walk<F>(roots: &[PathBuf], opts: &WalkOptions, sink: &Sink<'_>, visit: F) -> Vec<Warning>
where
    F: Fn(Arc<Origin>, &Path, &[u8]) + Sync,
{
    let mut bad_roots = Vec::new();
    let multi = roots.len() > 1;
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                bad_roots.push(Warning { input: root.display().to_string(), message: e.to_string() });
                continue;
            }
        };
        let root_is_dir = meta.is_dir();
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false)
            .follow_links(false)
            .require_git(false)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .threads(opts.threads)
            .filter_entry(|e| !(e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir())));
        let stats = &sink.stats;
        builder.build_parallel().run(|| {
            let visit = &visit;
            let mut buf = Vec::new();
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        sink.warn(walk_error_input(&err, root), err.to_string());
                        return WalkState::Continue;
                    }
                };
                let Some(ft) = entry.file_type() else { return WalkState::Continue };
                if ft.is_dir() {
                    return WalkState::Continue;
                }
                if ft.is_symlink() {
                    Stats::add(&stats.skipped_symlink, 1);
                    return WalkState::Continue;
                }
                if ft.is_fifo() || ft.is_socket() || ft.is_block_device() || ft.is_char_device() || !ft.is_file() {
                    Stats::add(&stats.skipped_special, 1);
                    return WalkState::Continue;
                }
                let path = entry.path();
                let shown = display_path(root, root_is_dir, multi, path);
                match read_file(path, opts.max_file_size, &mut buf) {
                    Ok(FileRead::Contents(c)) => {
                        let bytes = c.bytes();
                        Stats::add(&stats.files, 1);
                        Stats::add(&stats.bytes, bytes.len() as u64);
                        visit(Arc::new(Origin::File { path: shown }), path, bytes);
                    }
                    Ok(FileRead::TooLarge) => Stats::add(&stats.skipped_too_large, 1),
                    Ok(FileRead::Special) => Stats::add(&stats.skipped_special, 1),
                    Err(e) => sink.warn(shown, e.to_string()),
                }
                WalkState::Continue
            })
        });
    }
    bad_roots
}

fn walk_error_input(err: &ignore::Error, root: &Path) -> String {
    fn find(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => find(err),
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    find(err).unwrap_or(root).display().to_string()
}

/// The outcome of reading one file.
pub enum FileRead<'a> {
    Contents(Contents<'a>),
    TooLarge,
    /// Not a regular file once opened (raced with a rename to a FIFO, say).
    Special,
}

/// Reads a regular file without ever blocking on a FIFO (O_NONBLOCK, then fstat).
pub fn read_file<'a>(path: &Path, max: Option<u64>, buf: &'a mut Vec<u8>) -> std::io::Result<FileRead<'a>> {
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(FileRead::Special);
    }
    let len = meta.len();
    if max.is_some_and(|m| len > m) {
        return Ok(FileRead::TooLarge);
    }
    if len >= MMAP_THRESHOLD {
        // SAFETY: the map is read-only and private to this scan; a concurrent truncation
        // by another process is the accepted risk every mmap-based scanner takes.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        return Ok(FileRead::Contents(Contents::Mapped(map)));
    }
    buf.clear();
    read_to_end(file, buf, len)?;
    Ok(FileRead::Contents(Contents::Read(buf)))
}

fn read_to_end(mut file: File, buf: &mut Vec<u8>, hint: u64) -> std::io::Result<()> {
    buf.reserve(hint as usize + 1);
    file.read_to_end(buf)?;
    Ok(())
}
