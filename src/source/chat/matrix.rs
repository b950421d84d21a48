//! Matrix rooms as Element's "Export chat" writes them in JSON: `room_name` and the room's
//! events in `messages`; display names from the room's `m.room.member` events.

use std::collections::HashMap;

use super::{Message, Parts, first_str, millis_to_rfc3339, parse_json};

/// Event fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] =
    &["type", "room_id", "sender", "user_id", "origin_server_ts", "event_id", "unsigned", "age", "state_key"];

/// Content fields that only repeat `body` (HTML rendering) or are metadata.
const CONTENT_SKIP: &[&str] = &["formatted_body", "format", "msgtype", "m.relates_to", "membership", "info"];

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let events = v["messages"].as_array().ok_or("no \"messages\" array")?;
    let room = first_str(&[&v["room_name"], &v["room_id"]]).map(str::to_string);
    let names: HashMap<&str, &str> = events
        .iter()
        .filter(|e| e["type"] == "m.room.member")
        .filter_map(|e| Some((e["state_key"].as_str()?, e["content"]["displayname"].as_str()?)))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    Ok(events
        .iter()
        .map(|e| {
            let c = &e["content"];
            let mut parts = Parts::default();
            parts.push(c["body"].as_str().unwrap_or(""));
            // an edit's new text
            parts.push(c["m.new_content"]["body"].as_str().unwrap_or(""));
            parts.leftovers(c, CONTENT_SKIP);
            parts.leftovers(e, &[MAPPED, &["content"]].concat());
            let sender = first_str(&[&e["sender"], &e["user_id"]]);
            Message {
                text: parts.text(),
                channel: room.clone(),
                sender: sender.map(|s| names.get(s).copied().unwrap_or(s).to_string()),
                timestamp: millis_to_rfc3339(&e["origin_server_ts"]),
                message_id: first_str(&[&e["event_id"]]).map(str::to_string),
            }
        })
        .collect())
}
