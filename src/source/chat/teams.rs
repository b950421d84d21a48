//! Microsoft Teams messages as Microsoft Graph returns them (`chatMessage` objects, alone, in
//! an array or in a `{"value": [...]}` page), with HTML bodies.

use serde_json::Value;

use super::{Message, Parts, file_name, first_str, html_to_text, parse_json};

/// Message fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] = &[
    "@odata.type",
    "@odata.context",
    "id",
    "replyToId",
    "etag",
    "messageType",
    "createdDateTime",
    "lastModifiedDateTime",
    "lastEditedDateTime",
    "deletedDateTime",
    "chatId",
    "importance",
    "locale",
    "webUrl",
    "channelIdentity",
    "from",
    "body",
    "mentions",
    "reactions",
    "replies",
    "replies@odata.context",
    "messageHistory",
    "onBehalfOf",
    "eventDetail",
];

/// A Graph identity set: the user, application or device that sent it.
fn identity(from: &Value) -> Option<String> {
    let kinds = ["user", "application", "device"];
    kinds.iter().find_map(|k| first_str(&[&from[k]["displayName"], &from[k]["id"]])).map(str::to_string)
}

fn message(m: &Value, fallback_channel: Option<&str>, out: &mut Vec<Message>) {
    let mut parts = Parts::default();
    if let Some(s) = m["subject"].as_str() {
        parts.push(s);
    }
    let body = m["body"]["content"].as_str().unwrap_or("");
    match m["body"]["contentType"].as_str() {
        Some(t) if t.eq_ignore_ascii_case("html") => parts.push(html_to_text(body)),
        _ => parts.push(body),
    }
    for a in m["attachments"].as_array().into_iter().flatten() {
        // A card's `content` is a JSON string; a file is a name and a URL.
        for k in ["name", "contentUrl", "content"] {
            if let Some(s) = a[k].as_str() {
                parts.push(s);
            }
        }
    }
    parts.leftovers(m, MAPPED);
    let ci = &m["channelIdentity"];
    let channel = first_str(&[&m["chatId"], &ci["channelId"]]).or(fallback_channel);
    out.push(Message {
        text: parts.text(),
        channel: channel.map(str::to_string),
        sender: identity(&m["from"]),
        timestamp: m["createdDateTime"].as_str().map(crate::rfc3339::normalize),
        message_id: first_str(&[&m["id"]]).map(str::to_string),
    });
    // Channel messages fetched with `$expand=replies` carry their replies inline.
    for r in m["replies"].as_array().into_iter().flatten() {
        message(r, channel, out);
    }
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let stem = file_name(path).trim_end_matches(".json");
    let items: Vec<&Value> = match &v {
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if o.contains_key("value") => {
            v["value"].as_array().ok_or("\"value\" is not an array of chatMessage")?.iter().collect()
        }
        Value::Object(_) => vec![&v],
        _ => return Err("not a chatMessage object or list".into()),
    };
    let mut out = Vec::new();
    for m in items {
        message(m, Some(stem), &mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_channel_message_with_its_replies() {
        let v = serde_json::json!({
            "id": "1", "createdDateTime": "2024-03-01T10:00:00Z",
            "channelIdentity": {"teamId": "t", "channelId": "19:ops@thread.tacv2"},
            "from": {"user": {"displayName": "Ann"}},
            "body": {"contentType": "html", "content": "<div>deploy&nbsp;done</div>"},
            "replies": [{"id": "2", "createdDateTime": "2024-03-01T10:01:00Z",
                         "from": {"application": {"displayName": "Bot"}},
                         "body": {"contentType": "text", "content": "ack"}}]
        });
        let m = super::parse("x.json", v.to_string().as_bytes()).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].text.as_str(), m[0].channel.as_deref()), ("deploy done", Some("19:ops@thread.tacv2")));
        assert_eq!((m[1].sender.as_deref(), m[1].channel.as_deref()), (Some("Bot"), Some("19:ops@thread.tacv2")));
    }
}
