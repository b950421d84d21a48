//! Lark / Feishu messages: the open API's message objects (`data.items`, `body.content` a
//! JSON string) and the official CLI's JSON (`data.messages`, `content` on the message).

use serde_json::Value;

use super::{Message, Parts, first_str, json_str, parse_json, unix_to_rfc3339};

/// Message fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] = &[
    "message_id",
    "msg_type",
    "create_time",
    "update_time",
    "chat_id",
    "chat_name",
    "sender",
    "sender_name",
    "body",
    "content",
    "text",
    "root_id",
    "parent_id",
    "thread_id",
    "deleted",
    "updated",
    "upper_message_id",
    "mentions",
];

/// `content` is a JSON string (`{"text": ...}`, a post's paragraphs, a card), a parsed
/// object, or plain text; every string in it is text.
fn content_parts(v: &Value, parts: &mut Parts) {
    match v {
        Value::String(raw) => match serde_json::from_str::<Value>(raw) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => collect(&inner, parts),
            _ => parts.push(raw),
        },
        other => collect(other, parts),
    }
}

fn collect(v: &Value, parts: &mut Parts) {
    match v {
        Value::String(s) => parts.push(s),
        Value::Array(a) => a.iter().for_each(|x| collect(x, parts)),
        Value::Object(o) => o.values().for_each(|x| collect(x, parts)),
        _ => {}
    }
}

/// Milliseconds (the API), seconds, or a `2024-06-07 16:00:00` local time (the CLI).
fn time(v: &Value) -> Option<String> {
    let t = json_str(v)?;
    let t = t.trim();
    if let Ok(n) = t.parse::<f64>() {
        return unix_to_rfc3339(if n > 1e11 { n / 1000.0 } else { n });
    }
    if t.len() == 19 && t.as_bytes().get(10) == Some(&b' ') {
        return Some(format!("{}T{}-00:00", &t[..10], &t[11..]));
    }
    Some(crate::rfc3339::normalize(t))
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let items = [&v["data"]["items"], &v["data"]["messages"], &v["items"], &v["messages"], &v]
        .into_iter()
        .find_map(Value::as_array)
        .ok_or("no message items (data.items or data.messages)")?;
    Ok(items
        .iter()
        .map(|m| {
            let mut parts = Parts::default();
            content_parts(&m["body"]["content"], &mut parts);
            content_parts(&m["content"], &mut parts);
            if let Some(t) = m["text"].as_str() {
                parts.push(t);
            }
            parts.leftovers(m, MAPPED);
            let s = &m["sender"];
            Message {
                text: parts.text(),
                channel: first_str(&[&m["chat_name"], &m["chat_id"]]).map(str::to_string),
                sender: first_str(&[&s["name"], &m["sender_name"], &s["id"], s]).map(str::to_string),
                timestamp: time(&m["create_time"]),
                message_id: first_str(&[&m["message_id"]]).map(str::to_string),
            }
        })
        .collect())
}
