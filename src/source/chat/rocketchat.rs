//! Rocket.Chat messages: the REST API's history (`{"messages": [...]}` with `_id`, `rid`,
//! `msg`, `u`, `ts`) and the room export to file (`msg`, `username`, `ts` per message, an
//! array or one JSON object a line).

use serde_json::Value;

use super::{Message, Parts, file_name, first_str, json_str, millis_to_rfc3339, parse_json};

/// Message fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] = &[
    "_id",
    "rid",
    "msg",
    "ts",
    "u",
    "username",
    "_updatedAt",
    "editedAt",
    "editedBy",
    "mentions",
    "channels",
    "md",
    "t",
    "type",
    "groupable",
    "unread",
    "tmid",
    "tcount",
    "tlm",
    "replies",
    "reactions",
    "urls",
];

/// `"2024-03-01T10:22:00.000Z"`, a MongoDB `{"$date": ...}`, or milliseconds.
fn time(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(crate::rfc3339::normalize(s)),
        Value::Number(_) => millis_to_rfc3339(v),
        Value::Object(o) => o.get("$date").and_then(time),
        _ => None,
    }
}

fn messages(bytes: &[u8]) -> Result<Vec<Value>, String> {
    match parse_json(bytes) {
        Ok(Value::Array(a)) => Ok(a),
        Ok(Value::Object(mut o)) => match o.remove("messages") {
            Some(Value::Array(a)) => Ok(a),
            _ if o.contains_key("msg") => Ok(vec![Value::Object(o)]),
            _ => Err("no \"messages\" array".into()),
        },
        Ok(_) => Err("not a message list".into()),
        // one message a line
        Err(whole) => String::from_utf8_lossy(bytes)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l.trim().trim_end_matches(',')).map_err(|_| whole.clone()))
            .collect(),
    }
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Message>, String> {
    let items = messages(bytes)?;
    // The export names its file after the room; API dumps carry the room id.
    let stem = file_name(path).trim_end_matches(".json").trim_end_matches(".jsonl");
    let generic = ["messages", "history", "export", "data", "result"].contains(&stem.to_ascii_lowercase().as_str());
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut parts = Parts::default();
            parts.push(m["msg"].as_str().unwrap_or(""));
            parts.leftovers(m, MAPPED);
            let u = &m["u"];
            Message {
                text: parts.text(),
                channel: (!generic && !stem.is_empty())
                    .then(|| stem.to_string())
                    .or_else(|| first_str(&[&m["rid"]]).map(str::to_string)),
                sender: first_str(&[&u["name"], &u["username"], &m["username"], u]).map(str::to_string),
                timestamp: time(&m["ts"]),
                message_id: json_str(&m["_id"]).or_else(|| Some(format!("#{}", i + 1))),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn room_export_lines_with_mongo_dates() {
        let text = "{\"msg\":\"hi there, all good\",\"username\":\"ines\",\"ts\":{\"$date\":1710932400000}}\n\
                    {\"msg\":\"second\",\"username\":\"tariq\",\"ts\":\"2024-03-20T11:05:00.000Z\"}\n";
        let m = super::parse("export/ops-room.json", text.as_bytes()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].sender.as_deref(), Some("ines"));
        assert_eq!(m[0].timestamp.as_deref(), Some("2024-03-20T11:00:00Z"));
        assert_eq!(m[0].channel.as_deref(), Some("ops-room"));
        assert_eq!(m[1].message_id.as_deref(), Some("#2"));
    }
}
