//! `--host`: where running software keeps keys on a machine (or a mounted image) — process
//! environments and command lines, crontabs, systemd units, environment files, shell
//! histories, credential files in each home, container configs — as blobs for the pipeline.

mod containers;
mod cron;
mod env_files;
mod histories;
mod home;
mod processes;
mod root;
mod systemd;
mod users;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::origin::{ContainerInfo, Origin};
use crate::sink::{Sink, Stats};
use crate::source::dispatch;

pub use root::{HostReadError, HostRoot};
pub use users::Users;

/// Bytes read from one host file at most, unless `--max-file-size` says otherwise.
pub const MAX_FILE: u64 = 16 << 20;

/// A host file to read, and the container whose configuration it is.
#[derive(Debug, Clone)]
pub struct Item {
    pub path: String,
    pub container: Option<ContainerInfo>,
    /// Its path on this machine, when a walk already resolved it.
    pub real: Option<PathBuf>,
}

impl Item {
    pub fn file(path: impl Into<String>) -> Item {
        Item { path: path.into(), container: None, real: None }
    }

    /// A file a walk found: (host path, path on this machine).
    pub fn found((path, real): (String, PathBuf)) -> Item {
        Item { path, container: None, real: Some(real) }
    }
}

/// Adds the files of `files` (paths relative to `home`) whose first component the home holds:
/// one directory listing per home instead of a lookup per file.
pub fn in_home(home: &users::Home, files: &[&str], out: &mut Vec<Item>) {
    for f in files {
        if home.names.contains(f.split('/').next().unwrap_or(f)) {
            out.push(Item::file(format!("{}/{f}", home.path)));
        }
    }
}

/// The host root given could not be used.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the host root: {0}")]
pub struct HostError(#[from] std::io::Error);

/// Scans the host at `root`: every process, then every host file the kinds list.
pub fn scan(sink: &Sink<'_>, root: &Path, max_file_size: Option<u64>) -> Result<(), HostError> {
    let host = HostRoot::new(root)?;
    let users = users::read(&host);
    processes::scan(&host, &users, sink);
    let mut items = Vec::new();
    cron::collect(&host, &mut items);
    systemd::collect(&host, &users, sink, &mut items);
    env_files::collect(&host, &mut items);
    histories::collect(&host, &users, &mut items);
    home::collect(&users, &mut items);
    containers::collect(&host, &users, sink, &mut items);
    read_items(&host, items, max_file_size.unwrap_or(MAX_FILE), sink);
    Ok(())
}

/// Reads each item once (a file reached by two paths, as systemd's `.wants` links, is read
/// at the first), detects, and summarises what could not be read.
fn read_items(host: &HostRoot, items: Vec<Item>, max: u64, sink: &Sink<'_>) {
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let resolved: Vec<(Item, Option<PathBuf>)> = items
        .into_par_iter()
        .map(|mut i| {
            let real = i.real.take().or_else(|| host.resolve(&i.path).ok());
            (i, real)
        })
        .collect();
    let items: Vec<(Item, PathBuf)> = resolved
        .into_iter()
        .filter_map(|(i, real)| {
            let real = real?;
            seen.insert(real.clone()).then_some((i, real))
        })
        .collect();
    let denied = Mutex::new(Vec::new());
    items.par_iter().for_each(|(item, real)| match root::read_file(real, max) {
        Ok(bytes) => {
            Stats::add(&sink.stats.files, 1);
            Stats::add(&sink.stats.bytes, bytes.len() as u64);
            let origin =
                Arc::new(Origin::HostFile { path: item.path.clone(), container: item.container.clone().map(Box::new) });
            dispatch(sink, origin, &bytes, Some(real));
        }
        Err(HostReadError::Missing) => {}
        Err(HostReadError::Denied) => denied.lock().unwrap_or_else(|p| p.into_inner()).push(item.path.clone()),
        Err(e @ HostReadError::TooLarge(_)) => {
            Stats::add(&sink.stats.skipped_too_large, 1);
            sink.warn(item.path.clone(), e.to_string());
        }
        Err(HostReadError::Special) => Stats::add(&sink.stats.skipped_special, 1),
        Err(e) => sink.warn(item.path.clone(), e.to_string()),
    });
    let mut denied = denied.into_inner().unwrap_or_else(|p| p.into_inner());
    if !denied.is_empty() {
        denied.sort();
        Stats::add(&sink.stats.skipped_unreadable, denied.len() as u64);
        sink.warn("host", unreadable_line(denied.len(), "file", &denied));
    }
}

/// `3 files could not be read (permission denied; root can read them): /a, /b, /c`.
pub fn unreadable_line(n: usize, what: &str, examples: &[String]) -> String {
    let shown: Vec<&str> = examples.iter().take(5).map(String::as_str).collect();
    let more = if n > shown.len() { format!(" and {} more", n - shown.len()) } else { String::new() };
    format!(
        "{n} {what}{} could not be read (permission denied; root can read them): {}{more}",
        if n == 1 { "" } else { "s" },
        shown.join(", ")
    )
}
