//! Mattermost bulk exports (`mmctl export create`): JSON lines of `version`, `team`,
//! `channel`, `user`, `post` (with `replies`), `direct_channel` and `direct_post` objects.

use std::collections::HashMap;

use serde_json::Value;

use super::{Message, Parts, first_str, millis_to_rfc3339};

/// Post fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] =
    &["team", "channel", "channel_members", "user", "message", "create_at", "edit_at", "replies", "reactions", "type"];

/// The first non-empty line of a bulk export is its version line.
pub fn looks_like(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or("").replace(' ', "");
    first.starts_with("{\"type\":\"version\"") && text.contains("\"version\"")
}

fn post(p: &Value, channel: Option<String>, line: usize, reply: Option<usize>, out: &mut Vec<Message>) {
    let mut parts = Parts::default();
    parts.push(p["message"].as_str().unwrap_or(""));
    parts.leftovers(p, MAPPED);
    out.push(Message {
        text: parts.text(),
        channel: channel.clone(),
        sender: first_str(&[&p["user"]]).map(str::to_string),
        timestamp: millis_to_rfc3339(&p["create_at"]),
        // The bulk format carries no post ids: where the post is in the export finds it.
        message_id: Some(match reply {
            Some(r) => format!("line {line} reply {r}"),
            None => format!("line {line}"),
        }),
    });
    for (i, r) in p["replies"].as_array().into_iter().flatten().enumerate() {
        if reply.is_none() {
            post(r, channel.clone(), line, Some(i + 1), out);
        }
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let text = String::from_utf8_lossy(bytes);
    // team/channel name → display name, from the `channel` lines that precede the posts
    let mut names: HashMap<(String, String), String> = HashMap::new();
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                // kept as text, never dropped
                bad.push(format!("line {}: {e}", i + 1));
                out.push(Message {
                    text: line.to_string(),
                    message_id: Some(format!("line {}", i + 1)),
                    ..Default::default()
                });
                continue;
            }
        };
        match v["type"].as_str() {
            Some("channel") => {
                let c = &v["channel"];
                if let (Some(t), Some(n)) = (c["team"].as_str(), c["name"].as_str()) {
                    let shown = first_str(&[&c["display_name"], &c["name"]]).unwrap_or(n);
                    names.insert((t.to_string(), n.to_string()), shown.to_string());
                }
            }
            Some("post") => {
                let p = &v["post"];
                let (team, chan) = (p["team"].as_str().unwrap_or(""), p["channel"].as_str().unwrap_or(""));
                let shown = names.get(&(team.to_string(), chan.to_string())).map_or(chan, String::as_str);
                let channel = if team.is_empty() { shown.to_string() } else { format!("{team} / {shown}") };
                post(p, Some(channel), i + 1, None, &mut out);
            }
            Some("direct_post") => {
                let p = &v["direct_post"];
                let members: Vec<&str> =
                    p["channel_members"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                post(p, Some(members.join(", ")), i + 1, None, &mut out);
            }
            _ => {
                // users, teams, channels: their strings are scanned too
                let mut parts = Parts::default();
                parts.leftovers(&v, &["type"]);
                let text = parts.text();
                if !text.is_empty() {
                    out.push(Message { text, message_id: Some(format!("line {}", i + 1)), ..Default::default() });
                }
            }
        }
    }
    if !bad.is_empty() && bad.len() == out.len() {
        return Err(format!("no readable line ({})", bad.join("; ")));
    }
    Ok(out)
}
