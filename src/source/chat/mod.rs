//! Chat exports and mailboxes: each format turns an export file into messages with who,
//! where and when; each message is then scanned as its own blob.

pub mod discord;
pub mod email;
pub mod google_chat;
pub mod lark;
pub mod matrix;
pub mod mattermost;
pub mod rocketchat;
pub mod slack;
pub mod teams;
pub mod telegram;
pub mod wechat;
pub mod whatsapp;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

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

/// A parsed export: its messages, and what the reader could not be sure of (an ambiguous
/// date order, say), to be said as warnings naming the file.
#[derive(Debug, Default)]
pub struct Export {
    pub messages: Vec<Message>,
    pub warnings: Vec<String>,
}

impl From<Vec<Message>> for Export {
    fn from(messages: Vec<Message>) -> Self {
        Export { messages, warnings: Vec::new() }
    }
}

/// Slack user id → display name.
pub type Users = Arc<HashMap<String, String>>;

/// Recognises an export by its structure (and, for text formats, its name).
pub fn detect(path: &str, bytes: &[u8]) -> Option<ChatFormat> {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let has = |n: &str| memchr::memmem::find(head, n.as_bytes()).is_some();
    // `"key":` with or without a space after the colon
    let key = |k: &str| has(&format!("\"{k}\":")) || has(&format!("\"{k}\" :"));
    let lower = path.to_ascii_lowercase();
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'[') | Some(b'{')) {
        if key("guild") && key("messages") && key("author") {
            return Some(ChatFormat::Discord);
        } else if key("messages") && (key("date_unixtime") || key("from_id")) {
            return Some(ChatFormat::Telegram);
        } else if key("room_name") && key("messages") && key("origin_server_ts") {
            return Some(ChatFormat::Matrix);
        } else if key("createdDateTime") && key("body") && key("contentType") {
            return Some(ChatFormat::Teams);
        } else if key("messages") && key("creator") && key("created_date") {
            return Some(ChatFormat::GoogleChat);
        } else if mattermost::looks_like(head) {
            return Some(ChatFormat::Mattermost);
        } else if key("message_id") && key("msg_type") && (key("body") || key("content")) {
            return Some(ChatFormat::Lark);
        } else if key("msg") && key("ts") && (key("rid") || key("u") || key("username")) {
            return Some(ChatFormat::Rocketchat);
        } else if first == Some(b'[') && key("ts") && (has("\"type\": \"message\"") || has("\"type\":\"message\"")) {
            return Some(ChatFormat::Slack);
        }
    }
    if lower.ends_with(".eml")
        || lower.ends_with(".mbox")
        || (head.starts_with(b"From ") && (has("\nSubject:") || has("\nFrom:")))
    {
        Some(ChatFormat::Email)
    } else if lower.ends_with(".txt") && (whatsapp::looks_like(head) || whatsapp::channel_from_path(path).is_some()) {
        Some(ChatFormat::Whatsapp)
    } else if lower.ends_with(".csv") && wechat::looks_like(head) {
        Some(ChatFormat::Wechat)
    } else {
        None
    }
}

/// Parses an export into messages. `path` is the file as shown (a Slack channel directory
/// or a WhatsApp archive name in it says where the messages were written).
pub fn parse(format: ChatFormat, path: &str, bytes: &[u8], users: Option<&Users>) -> Result<Export, String> {
    let messages = match format {
        ChatFormat::Slack => slack::parse(path, bytes, users)?,
        ChatFormat::Discord => discord::parse(bytes)?,
        ChatFormat::Telegram => telegram::parse(bytes)?,
        ChatFormat::Whatsapp => return whatsapp::parse(path, bytes),
        ChatFormat::Wechat => wechat::parse(path, bytes)?,
        ChatFormat::Lark => lark::parse(bytes)?,
        ChatFormat::Email => email::parse(bytes),
        ChatFormat::Teams => teams::parse(path, bytes)?,
        ChatFormat::GoogleChat => google_chat::parse(path, bytes)?,
        ChatFormat::Mattermost => mattermost::parse(bytes)?,
        ChatFormat::Matrix => matrix::parse(bytes)?,
        ChatFormat::Rocketchat => rocketchat::parse(path, bytes)?,
    };
    Ok(messages.into())
}

/// A key in a chat's name, a sender, an email subject or a message id must not be printed
/// where a finding says where it was: `secrets_in` gives the byte ranges of the secrets in a
/// text (the scanner's own detection), and each is replaced there by its redaction. Channels
/// and senders repeat across an export's messages, so each is checked once.
pub struct AttributionRedactor<F> {
    secrets_in: F,
    seen: HashMap<String, String>,
}

/// Checked channel and sender names remembered per export, at most.
const REMEMBERED_NAMES: usize = 4096;

impl<F: Fn(&[u8]) -> Vec<Range<usize>>> AttributionRedactor<F> {
    pub fn new(secrets_in: F) -> Self {
        AttributionRedactor { secrets_in, seen: HashMap::new() }
    }

    pub fn apply(&mut self, m: &mut Message) {
        for field in [&mut m.channel, &mut m.sender].into_iter().flatten() {
            match self.seen.get(field.as_str()) {
                Some(shown) => field.clone_from(shown),
                None => {
                    let shown = redact_ranges(field, (self.secrets_in)(field.as_bytes()));
                    if self.seen.len() < REMEMBERED_NAMES {
                        self.seen.insert(std::mem::take(field), shown.clone());
                    }
                    *field = shown;
                }
            }
        }
        // A position keytrail made up (`line 12`, `row 3`, `#4`) holds no secret.
        if let Some(id) = m.message_id.as_mut().filter(|id| !id.contains(' ') && !id.starts_with('#')) {
            *id = redact_ranges(id, (self.secrets_in)(id.as_bytes()));
        }
    }
}

/// `text` with each of `ranges` (secrets) replaced by its redaction.
fn redact_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in ranges {
        if r.start < pos || r.end > text.len() || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&text[pos..r.start]);
        out.push_str(&crate::secret::redact(&text[r.clone()]));
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Seconds since the epoch → RFC 3339 (UTC).
pub fn unix_to_rfc3339(secs: f64) -> Option<String> {
    crate::rfc3339::from_unix(secs.trunc() as i64)
}

/// Milliseconds since the epoch (a number or a string of digits) → RFC 3339 (UTC).
pub fn millis_to_rfc3339(v: &Value) -> Option<String> {
    json_str(v).and_then(|t| t.trim().parse::<f64>().ok()).and_then(|ms| unix_to_rfc3339(ms / 1000.0))
}

/// A JSON value as text, for fields that may be strings or numbers.
pub fn json_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `vs` that is a non-empty string.
pub fn first_str<'a>(vs: &[&'a Value]) -> Option<&'a str> {
    vs.iter().filter_map(|v| v.as_str()).map(str::trim).find(|s| !s.is_empty())
}

pub fn parse_json(bytes: &[u8]) -> Result<Value, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))
}

/// The last path component of a shown path (`a.zip!dir/f.json` → `f.json`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '!', '\\']).next().unwrap_or(path)
}

/// The text of one message, built from pieces; a piece already held (the plain-text copy
/// of a block, an attachment's fallback) is kept once, so a key is reported once.
#[derive(Debug, Default)]
pub struct Parts(Vec<String>);

/// Strings shorter than this are never secrets worth a piece of their own (ids, flags).
const MIN_LEFTOVER: usize = 8;

impl Parts {
    pub fn push(&mut self, s: impl AsRef<str>) {
        let s = s.as_ref().trim();
        if s.is_empty() || self.0.iter().any(|p| p.contains(s)) {
            return;
        }
        self.0.push(s.to_string());
    }

    /// Every string in `v` (a message object) at any depth, except under its own keys listed
    /// in `skip`: the fields a reader does not map are scanned too, so no text is lost.
    pub fn leftovers(&mut self, v: &Value, skip: &[&str]) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    if !skip.contains(&k.as_str()) {
                        self.leftovers(x, &[]);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.leftovers(x, &[])),
            Value::String(s) if s.trim().len() >= MIN_LEFTOVER => self.push(s),
            _ => {}
        }
    }

    pub fn text(self) -> String {
        self.0.join("\n")
    }
}

/// HTML (Teams bodies, Matrix formatted bodies) → text: tags dropped (block tags become line
/// breaks), entities unescaped.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if matches!(name.as_str(), "p" | "div" | "br" | "li" | "pre" | "tr" | "blockquote" | "h1" | "h2" | "h3" | "hr")
        {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let unescaped = crate::decode::html_unescape(out.as_bytes());
    String::from_utf8_lossy(&unescaped).replace("&nbsp;", " ").replace('\u{a0}', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_each_piece_once_and_leftovers_skip_mapped_keys() {
        let mut p = Parts::default();
        p.push("key: abc123456789");
        p.push("abc123456789");
        let v = serde_json::json!({"text": "mapped-text-here", "extra": {"text": "unmapped string"}, "id": "x"});
        p.leftovers(&v, &["text"]);
        assert_eq!(p.text(), "key: abc123456789\nunmapped string");
    }

    #[test]
    fn a_secret_in_the_attribution_is_redacted_there() {
        let calls = std::cell::Cell::new(0);
        let mut r = AttributionRedactor::new(|t: &[u8]| {
            calls.set(calls.get() + 1);
            let s = String::from_utf8_lossy(t);
            s.find("glpat-").map(|i| i..i + 26).into_iter().collect()
        });
        for _ in 0..2 {
            let mut m = Message {
                channel: Some("Zugang: glpat-Hq4Wz8Lx2Nv6Tb0Kc3Yr".into()),
                sender: Some("Ann".into()),
                message_id: Some("line 3".into()),
                ..Default::default()
            };
            r.apply(&mut m);
            assert_eq!(m.channel.as_deref(), Some("Zugang: glpa…c3Yr"));
            assert_eq!(m.sender.as_deref(), Some("Ann"));
        }
        assert_eq!(calls.get(), 2, "each name checked once, made-up positions never");
    }

    #[test]
    fn html_to_text_drops_tags() {
        assert_eq!(html_to_text("<p>a &amp; <b>b</b></p><div>c</div>"), "\na & b\n\nc\n");
    }
}
