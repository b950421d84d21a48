//! Discord exports in DiscordChatExporter's JSON format.

use super::{Message, parse_json};

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let guild = v["guild"]["name"].as_str().unwrap_or("");
    let chan = v["channel"]["name"].as_str().unwrap_or("");
    let channel = Some(if guild.is_empty() { chan.to_string() } else { format!("{guild} / {chan}") });
    let Some(msgs) = v["messages"].as_array() else { return Err("no \"messages\" array".into()) };
    Ok(msgs
        .iter()
        .map(|m| {
            let mut parts = vec![m["content"].as_str().unwrap_or("").to_string()];
            for e in m["embeds"].as_array().into_iter().flatten() {
                for k in ["title", "description", "url"] {
                    parts.extend(e[k].as_str().map(str::to_string));
                }
                for f in e["fields"].as_array().into_iter().flatten() {
                    parts.extend(f["name"].as_str().map(str::to_string));
                    parts.extend(f["value"].as_str().map(str::to_string));
                }
            }
            for a in m["attachments"].as_array().into_iter().flatten() {
                parts.extend(a["fileName"].as_str().map(str::to_string));
                parts.extend(a["url"].as_str().map(str::to_string));
            }
            let author = &m["author"];
            Message {
                text: parts.join("\n"),
                channel: channel.clone(),
                sender: author["nickname"].as_str().or(author["name"].as_str()).map(str::to_string),
                timestamp: m["timestamp"].as_str().map(crate::rfc3339::normalize),
                message_id: m["id"].as_str().map(str::to_string),
            }
        })
        .collect())
}
