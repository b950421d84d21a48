//! Lark / Feishu message JSON (the open API's message objects), where `body.content` is
//! itself a JSON string.

use serde_json::Value;

use super::{Message, json_str, parse_json, unix_to_rfc3339};

fn content_text(raw: &str) -> String {
    match serde_json::from_str::<Value>(raw) {
        Ok(v) => {
            let mut parts = Vec::new();
            collect(&v, &mut parts);
            parts.join(" ")
        }
        Err(_) => raw.to_string(),
    }
}

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect(x, out)),
        _ => {}
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let items = v["data"]["items"].as_array().or(v["items"].as_array()).or(v.as_array()).ok_or("no message items")?;
    Ok(items
        .iter()
        .map(|m| Message {
            text: content_text(m["body"]["content"].as_str().unwrap_or("")),
            channel: m["chat_name"].as_str().or(m["chat_id"].as_str()).map(str::to_string),
            sender: m["sender"]["name"].as_str().or(m["sender"]["id"].as_str()).map(str::to_string),
            timestamp: json_str(&m["create_time"])
                .and_then(|t| t.parse::<f64>().ok())
                .and_then(|ms| unix_to_rfc3339(ms / 1000.0)),
            message_id: m["message_id"].as_str().map(str::to_string),
        })
        .collect())
}
