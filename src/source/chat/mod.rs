//! Chat exports and mailboxes: each format turns an export file into messages with who,
//! where and when; each message is then scanned as its own blob.

pub mod discord;
pub mod email;
pub mod lark;
pub mod slack;
pub mod telegram;
pub mod wechat;
pub mod whatsapp;

use std::collections::HashMap;
use std::sync::Arc;

/// The export formats keytrail reads (`--chat FORMAT` forces one): one per platform.
pub use crate::origin::Platform as ChatFormat;

/// One message (or email) of an export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub channel: Option<String>,
    pub sender: Option<String>,
    /// RFC 3339.
    pub timestamp: Option<String>,
    pub message_id: Option<String>,
}

/// Slack user id → display name.
pub type Users = Arc<HashMap<String, String>>;

/// Recognises an export by its structure (and, for text formats, its name).
pub fn detect(path: &str, bytes: &[u8]) -> Option<ChatFormat> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let has = |n: &str| memchr::memmem::find(head, n.as_bytes()).is_some();
    let lower = path.to_ascii_lowercase();
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'[') | Some(b'{')) {
        if has("\"guild\"") && has("\"messages\"") && has("\"author\"") {
            return Some(ChatFormat::Discord);
        } else if has("\"messages\"") && (has("\"date_unixtime\"") || has("\"from_id\"")) {
            return Some(ChatFormat::Telegram);
        } else if has("\"message_id\"") && has("\"msg_type\"") && has("\"body\"") {
            return Some(ChatFormat::Lark);
        } else if first == Some(b'[') && has("\"ts\"") && (has("\"type\": \"message\"") || has("\"type\":\"message\""))
        {
            return Some(ChatFormat::Slack);
        }
    }
    if lower.ends_with(".eml")
        || lower.ends_with(".mbox")
        || (head.starts_with(b"From ") && (has("\nSubject:") || has("\nFrom:")))
    {
        Some(ChatFormat::Email)
    } else if lower.ends_with(".txt") && whatsapp::looks_like(head) {
        Some(ChatFormat::Whatsapp)
    } else if lower.ends_with(".csv") && wechat::looks_like(head) {
        Some(ChatFormat::Wechat)
    } else {
        None
    }
}

/// Parses an export into messages. `channel_hint` is the channel a file path implies
/// (a Slack channel directory, say).
pub fn parse(format: ChatFormat, path: &str, bytes: &[u8], users: Option<&Users>) -> Result<Vec<Message>, String> {
    match format {
        ChatFormat::Slack => slack::parse(path, bytes, users),
        ChatFormat::Discord => discord::parse(bytes),
        ChatFormat::Telegram => telegram::parse(bytes),
        ChatFormat::Whatsapp => Ok(whatsapp::parse(path, bytes)),
        ChatFormat::Wechat => wechat::parse(bytes),
        ChatFormat::Lark => lark::parse(bytes),
        ChatFormat::Email => Ok(email::parse(bytes)),
    }
}

/// Seconds since the epoch → RFC 3339 (UTC).
pub fn unix_to_rfc3339(secs: f64) -> Option<String> {
    crate::rfc3339::from_unix(secs.trunc() as i64)
}

/// A JSON value as text, for fields that may be strings or numbers.
pub fn json_str(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn parse_json(bytes: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))
}
