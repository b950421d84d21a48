//! Sources turn inputs (directories, files, stdin) into blobs for the engine.

pub mod archive;
pub mod chat;
pub mod fs;
pub mod git;

use std::sync::Arc;

use std::path::Path;

use crate::origin::{Blob, ChatMessage, Origin};
use crate::sink::Sink;
pub use crate::sink::{Observer, Silent, Stats, StatsSnapshot, Warning};

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

/// True when the first 8 KiB hold a NUL byte (how git and ripgrep spot binaries), unless the
/// bytes are UTF-16 or UTF-32 text (a BOM, or NULs in the pattern of wide ASCII-heavy text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() && crate::transcode::detect(bytes).is_none()
}
