//! Discord exports in DiscordChatExporter's JSON format.

use super::{Message, Parts, parse_json};

/// Message fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] = &[
    "id",
    "type",
    "timestamp",
    "timestampEdited",
    "callEndedTimestamp",
    "isPinned",
    "content",
    "author",
    "reactions",
    "mentions",
    "reference",
    "inlineEmojis",
    "stickers",
];

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let guild = v["guild"]["name"].as_str().unwrap_or("");
    let chan = v["channel"]["name"].as_str().unwrap_or("");
    let channel = Some(if guild.is_empty() { chan.to_string() } else { format!("{guild} / {chan}") });
    let Some(msgs) = v["messages"].as_array() else { return Err("no \"messages\" array".into()) };
    Ok(msgs
        .iter()
        .map(|m| {
            let mut parts = Parts::default();
            parts.push(m["content"].as_str().unwrap_or(""));
            for e in m["embeds"].as_array().into_iter().flatten() {
                for k in ["title", "description", "url"] {
                    parts.push(e[k].as_str().unwrap_or(""));
                }
                for f in e["fields"].as_array().into_iter().flatten() {
                    parts.push(f["name"].as_str().unwrap_or(""));
                    parts.push(f["value"].as_str().unwrap_or(""));
                }
            }
            for a in m["attachments"].as_array().into_iter().flatten() {
                parts.push(a["fileName"].as_str().unwrap_or(""));
                parts.push(a["url"].as_str().unwrap_or(""));
            }
            parts.leftovers(m, MAPPED);
            let author = &m["author"];
            Message {
                text: parts.text(),
                channel: channel.clone(),
                sender: author["nickname"].as_str().or(author["name"].as_str()).map(str::to_string),
                timestamp: m["timestamp"].as_str().map(crate::rfc3339::normalize),
                message_id: m["id"].as_str().map(str::to_string),
            }
        })
        .collect())
}
