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
            Ok(export) => {
                for w in export.warnings {
                    sink.warn(shown.clone(), w);
                }
                let mut redactor = chat::AttributionRedactor::new(|text: &[u8]| {
                    let blob = Blob { bytes: text, origin: Arc::clone(&origin) };
                    sink.detect(&blob).into_iter().map(|f| f.span.byte_start..f.span.byte_end).collect()
                });
                let mut cursor = 0;
                for mut m in export.messages {
                    redactor.apply(&mut m);
                    let id = m.message_id.clone().unwrap_or_default();
                    let origin = Arc::new(Origin::Chat(Box::new(ChatMessage {
                        export: Arc::clone(&origin),
                        platform: format,
                        channel: m.channel,
                        sender: m.sender,
                        timestamp: m.timestamp,
                        message_id: m.message_id,
                    })));
                    let mut found = sink.detect(&Blob { bytes: m.text.as_bytes(), origin });
                    for f in &mut found {
                        let text = m.text.as_bytes().get(f.span.byte_start..f.span.byte_end).unwrap_or_default();
                        // Where the secret is, else its start (split by markup), else the message.
                        f.export_line = export_line(bytes, text, &mut cursor)
                            .or_else(|| export_line(bytes, text.get(..12).unwrap_or_default(), &mut cursor))
                            .or_else(|| export_line(bytes, id.as_bytes(), &mut cursor));
                    }
                    sink.push(found);
                }
                return;
            }
            Err(e) => sink.warn(shown, format!("not a readable {format:?} export ({e}); scanned as plain text")),
        }
    }
    sink.blob(&Blob { bytes, origin });
}

/// The line of `export` holding `text` (a secret as a message shows it), searched from
/// `cursor` onwards first (messages come in file order), as-is or JSON-escaped (`\/`).
fn export_line(export: &[u8], text: &[u8], cursor: &mut usize) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let escaped: Vec<u8> = text.iter().flat_map(|&b| if b == b'/' { vec![b'\\', b'/'] } else { vec![b] }).collect();
    let start = (*cursor).min(export.len());
    let find = |from: usize, needle: &[u8]| memchr::memmem::find(&export[from..], needle).map(|i| i + from);
    let at =
        find(start, text).or_else(|| find(start, &escaped)).or_else(|| find(0, text)).or_else(|| find(0, &escaped))?;
    *cursor = at;
    Some(memchr::memchr_iter(b'\n', &export[..at]).count() as u32 + 1)
}

/// True when the first 8 KiB hold a NUL byte (how git and ripgrep spot binaries), unless the
/// bytes are UTF-16 or UTF-32 text (a BOM, or NULs in the pattern of wide ASCII-heavy text).
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() && crate::transcode::detect(bytes).is_none()
}
