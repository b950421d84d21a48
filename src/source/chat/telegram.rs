//! Telegram Desktop exports (`result.json`): one chat or all chats; `text` is a string or
//! an array of entity pieces, concatenated before matching.

use serde_json::Value;

use super::{Message, Parts, json_str, parse_json, unix_to_rfc3339};

/// Message fields read into the attribution (or only metadata).
const MAPPED: &[&str] = &[
    "id",
    "type",
    "date",
    "date_unixtime",
    "edited",
    "edited_unixtime",
    "from",
    "from_id",
    "actor",
    "actor_id",
    "text",
    "text_entities",
    "media_type",
    "mime_type",
    "reply_to_message_id",
];

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other["text"].as_str().unwrap_or("").to_string(),
            })
            .collect(),
        _ => String::new(),
    }
}

fn chat(c: &Value, out: &mut Vec<Message>) {
    let name = c["name"].as_str().map(str::to_string);
    for m in c["messages"].as_array().into_iter().flatten() {
        let ts = m["date_unixtime"]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(unix_to_rfc3339)
            // Telegram writes `date` in the exporting machine's local time, zone unsaid.
            .or_else(|| m["date"].as_str().map(|d| format!("{d}-00:00")));
        let mut parts = Parts::default();
        parts.push(text_of(&m["text"]));
        parts.leftovers(m, MAPPED);
        out.push(Message {
            text: parts.text(),
            channel: name.clone(),
            sender: m["from"].as_str().or(m["actor"].as_str()).map(str::to_string),
            timestamp: ts,
            message_id: json_str(&m["id"]),
        });
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let mut out = Vec::new();
    if let Some(list) = v["chats"]["list"].as_array() {
        for c in list {
            chat(c, &mut out);
        }
    } else if v["messages"].is_array() {
        chat(&v, &mut out);
    } else {
        return Err("neither \"chats\" nor \"messages\"".into());
    }
    Ok(out)
}
