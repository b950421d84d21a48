//! Sources turn inputs (directories, files, stdin) into blobs for the engine.

pub mod archive;
pub mod chat;
pub mod decode;
pub mod fs;
pub mod git;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use std::path::Path;

use crate::origin::{Blob, ChatMessage, Origin};
use crate::scan::Sink;

/// A problem with one input that does not stop the scan.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The input it concerns (a path, `-`, an object id...).
    pub input: String,
    pub message: String,
}

/// Receives warnings and progress as the scan runs (the CLI prints them).
pub trait Observer: Sync {
    fn warning(&self, w: &Warning);
    /// Called after each blob is scanned.
    fn progress(&self, _bytes: u64, _findings: usize) {}
}

/// An observer that drops everything (library use and tests).
pub struct Silent;

impl Observer for Silent {
    fn warning(&self, _: &Warning) {}
}

/// Counters a scan keeps; every skipped input is counted under one reason.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files (and stdin) read, binary ones included.
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub skipped_binary: AtomicU64,
    pub skipped_too_large: AtomicU64,
    pub skipped_special: AtomicU64,
    pub skipped_symlink: AtomicU64,
    pub warnings: AtomicU64,
}

/// A plain copy of [`Stats`] after the scan.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StatsSnapshot {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_too_large: u64,
    pub skipped_special: u64,
    pub skipped_symlink: u64,
    pub warnings: u64,
}

impl StatsSnapshot {
    pub fn skipped(&self) -> u64 {
        self.skipped_binary + self.skipped_too_large + self.skipped_special + self.skipped_symlink
    }
}

impl Stats {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            files: g(&self.files),
            bytes: g(&self.bytes),
            skipped_binary: g(&self.skipped_binary),
            skipped_too_large: g(&self.skipped_too_large),
            skipped_special: g(&self.skipped_special),
            skipped_symlink: g(&self.skipped_symlink),
            warnings: g(&self.warnings),
        }
    }
}

/// Where an input sits when it is routed: nesting depth, the archive budget it draws on,
/// and what its export needs (Slack names, the real path on disk).
#[derive(Clone, Default)]
pub struct Context<'a> {
    pub depth: u32,
    pub budget: Option<&'a archive::Budget>,
    pub slack_users: Option<chat::Users>,
    pub real_path: Option<&'a Path>,
}

/// Routes one input's bytes to the reader that understands them (archives, chat exports,
/// mailboxes; plain text otherwise) and on to the sink.
pub fn dispatch(sink: &Sink<'_>, origin: Arc<Origin>, bytes: &[u8], real_path: Option<&Path>) {
    route(sink, origin, bytes, &Context { real_path, ..Default::default() });
}

pub(crate) fn route(sink: &Sink<'_>, origin: Arc<Origin>, bytes: &[u8], ctx: &Context<'_>) {
    if let Some(kind) = archive::detect(bytes) {
        archive::read(sink, &origin, bytes, kind, ctx);
        return;
    }
    if looks_binary(bytes) {
        sink.binary(&Blob { bytes, origin });
        return;
    }
    let shown = origin.display_path();
    if let Some(format) = sink.chat_format().or_else(|| chat::detect(&shown, bytes)) {
        let users = ctx.slack_users.clone().or_else(|| {
            (format == chat::ChatFormat::Slack).then(|| ctx.real_path.and_then(chat::slack::users_near)).flatten()
        });
        match chat::parse(format, &shown, bytes, users.as_ref()) {
            Ok(messages) => {
                for m in messages {
                    let origin = Arc::new(Origin::Chat(Box::new(ChatMessage {
                        export: Arc::clone(&origin),
                        platform: format,
                        channel: m.channel,
                        sender: m.sender,
                        timestamp: m.timestamp,
                        message_id: m.message_id,
                    })));
                    sink.blob(&Blob { bytes: m.text.as_bytes(), origin });
                }
                return;
            }
            Err(e) => sink.warn(shown, format!("not a readable {format:?} export ({e}); scanned as plain text")),
        }
    }
    sink.blob(&Blob { bytes, origin });
}

/// True when the first 8 KiB hold a NUL byte (how git and ripgrep spot binaries).
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}
