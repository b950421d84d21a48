//! Slack workspace exports: `users.json` for names, `<channel>/<YYYY-MM-DD>.json` per day.

use std::collections::HashMap;

use serde_json::Value;

use super::{Message, Parts, Users, first_str, json_str, parse_json, unix_to_rfc3339};
use crate::decode::html_unescape;

/// user id → the name people know (display name, else real name, else login).
pub fn parse_users(bytes: &[u8]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(Value::Array(users)) = serde_json::from_slice::<Value>(bytes) else { return out };
    for u in users {
        let Some(id) = u["id"].as_str() else { continue };
        let p = &u["profile"];
        let name = [p["display_name"].as_str(), p["real_name"].as_str(), u["real_name"].as_str(), u["name"].as_str()]
            .into_iter()
            .flatten()
            .find(|s| !s.is_empty());
        if let Some(n) = name {
            out.insert(id.to_string(), n.to_string());
        }
    }
    out
}

/// `<https://x|label>` → `https://x label`, `<@U123>` kept; entities unescaped.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => {
                let inner = &rest[open + 1..open + close];
                out.push_str(&inner.replacen('|', " ", 1));
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    String::from_utf8_lossy(&html_unescape(out.as_bytes())).into_owned()
}

/// Message fields read into the attribution or the text (or only metadata); every other
/// string of a message is scanned as it is.
const MAPPED: &[&str] = &[
    "type",
    "subtype",
    "user",
    "bot_id",
    "username",
    "bot_profile",
    "user_profile",
    "text",
    "ts",
    "thread_ts",
    "client_msg_id",
    "team",
    "user_team",
    "source_team",
    "files",
    "file",
    "attachments",
    "blocks",
    "reactions",
    "replies",
    "reply_users",
    "parent_user_id",
    "edited",
    "last_read",
    "latest_reply",
    "root",
];

/// File fields that only repeat the text (rendered HTML) or are metadata.
const FILE_SKIP: &[&str] = &["preview_highlight", "id", "created", "timestamp", "mimetype", "filetype", "user", "mode"];

/// The sender: a user's name from `users.json` or the message's own `user_profile`, a bot's
/// `username` override or `bot_profile.name`, else the raw user or bot id.
fn sender(m: &Value, users: Option<&Users>) -> Option<String> {
    let uid = m["user"].as_str().unwrap_or("");
    users
        .and_then(|u| u.get(uid).cloned())
        .or_else(|| {
            let p = &m["user_profile"];
            first_str(&[&p["display_name"], &p["real_name"], &p["name"]]).map(str::to_string)
        })
        .or_else(|| first_str(&[&m["username"], &m["bot_profile"]["name"]]).map(str::to_string))
        .or_else(|| first_str(&[&m["user"], &m["bot_id"]]).map(str::to_string))
}

/// A shared file (the `files` array, or the singular `file` of older exports): its names,
/// snippet preview and text.
fn file_parts(f: &Value, parts: &mut Parts) {
    for k in ["title", "name", "preview", "plain_text"] {
        if let Some(s) = f[k].as_str() {
            parts.push(clean(s));
        }
    }
    if let Some(c) = f["initial_comment"]["comment"].as_str() {
        parts.push(clean(c));
    }
    parts.leftovers(f, FILE_SKIP);
}

/// Every `text` of a Block Kit tree (rich text, sections, fields, context), and link URLs.
fn block_text(v: &Value, parts: &mut Parts) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("text" | "url", Value::String(s)) => parts.push(clean(s)),
                    (_, x) => block_text(x, parts),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| block_text(x, parts)),
        _ => {}
    }
}

pub fn parse(path: &str, bytes: &[u8], users: Option<&Users>) -> Result<Vec<Message>, String> {
    let Value::Array(items) = parse_json(bytes)? else { return Err("a Slack day file is a JSON array".into()) };
    // `.../<channel>/<day>.json`
    let channel = path.rsplit(['/', '!']).nth(1).map(str::to_string);
    let mut out = Vec::new();
    for m in items {
        let mut parts = Parts::default();
        parts.push(clean(m["text"].as_str().unwrap_or("")));
        for f in m["files"].as_array().into_iter().flatten().chain(m.get("file")) {
            file_parts(f, &mut parts);
        }
        for a in m["attachments"].as_array().into_iter().flatten() {
            for k in ["pretext", "title", "text", "fallback", "footer", "author_name", "title_link"] {
                if let Some(s) = a[k].as_str() {
                    parts.push(clean(s));
                }
            }
            for f in a["fields"].as_array().into_iter().flatten() {
                for k in ["title", "value"] {
                    if let Some(s) = f[k].as_str() {
                        parts.push(clean(s));
                    }
                }
            }
            block_text(&a["blocks"], &mut parts);
            parts.leftovers(a, &["id", "color", "ts", "blocks", "fields", "service_icon", "author_icon"]);
        }
        block_text(&m["blocks"], &mut parts);
        parts.leftovers(&m, MAPPED);
        let ts = json_str(&m["ts"]);
        out.push(Message {
            text: parts.text(),
            channel: channel.clone(),
            sender: sender(&m, users),
            timestamp: ts.as_deref().and_then(|t| t.parse::<f64>().ok()).and_then(unix_to_rfc3339),
            message_id: m["client_msg_id"].as_str().map(str::to_string).or(ts),
        });
    }
    Ok(out)
}

/// The users of the Slack export a day file on disk belongs to (`<root>/users.json`, two
/// levels up), read once per export.
pub fn users_near(day_file: &std::path::Path) -> Option<Users> {
    use std::sync::{Arc, Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<std::path::PathBuf, Users>>> = OnceLock::new();
    let file = day_file.parent()?.parent()?.join("users.json");
    let cache = CACHE.get_or_init(Default::default);
    if let Some(u) = cache.lock().ok()?.get(&file) {
        return Some(Arc::clone(u));
    }
    let users: Users = Arc::new(parse_users(&std::fs::read(&file).ok()?));
    cache.lock().ok()?.insert(file, Arc::clone(&users));
    Some(users)
}
