//! Google Chat from Google Takeout: `Google Chat/Groups/<space or DM>/messages.json`, dates
//! written in words (`Monday, March 18, 2024 at 1:55:12 PM UTC`).

use super::{Message, Parts, first_str, parse_json};

/// Message fields read into the attribution or the text (or only metadata).
const MAPPED: &[&str] = &["creator", "created_date", "updated_date", "text", "topic_id", "message_id", "message_state"];

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Takeout's worded date → RFC 3339 (`-00:00` when no zone is written).
pub fn takeout_date(s: &str) -> Option<String> {
    let s = s.replace(['\u{202f}', '\u{a0}'], " ");
    let (mut year, mut month, mut day, mut time, mut pm, mut zone) = (None, None, None, None, None, None);
    for tok in s.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()) {
        let lower = tok.to_ascii_lowercase();
        if tok.contains(':') && time.is_none() && tok.as_bytes()[0].is_ascii_digit() {
            let n: Vec<u32> = tok.split(':').filter_map(|p| p.parse().ok()).collect();
            time = Some((*n.first()?, *n.get(1)?, n.get(2).copied().unwrap_or(0)));
        } else if let Ok(n) = tok.parse::<u32>() {
            if tok.len() == 4 {
                year = Some(n);
            } else {
                day = Some(n);
            }
        } else if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
        } else if lower == "utc" || lower == "gmt" {
            zone = Some("Z");
        } else if lower.len() >= 3 && month.is_none() {
            month = MONTHS.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1);
        }
    }
    let (h, m, sec) = time?;
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    let (y, mo, d) = (year?, month?, day?);
    if mo > 12 || d > 31 || h > 23 || m > 59 {
        return None;
    }
    Some(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{sec:02}{}", zone.unwrap_or("-00:00")))
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Message>, String> {
    let v = parse_json(bytes)?;
    let msgs = v["messages"].as_array().ok_or("no \"messages\" array")?;
    // `.../Groups/<Space name or DM id>/messages.json`
    let channel = path.rsplit(['/', '!', '\\']).nth(1).map(str::to_string);
    Ok(msgs
        .iter()
        .map(|m| {
            let mut parts = Parts::default();
            parts.push(m["text"].as_str().unwrap_or(""));
            parts.leftovers(m, MAPPED);
            let c = &m["creator"];
            Message {
                text: parts.text(),
                channel: channel.clone(),
                sender: first_str(&[&c["name"], &c["email"]]).map(str::to_string),
                timestamp: m["created_date"].as_str().and_then(takeout_date),
                message_id: first_str(&[&m["message_id"]]).map(str::to_string),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn worded_dates() {
        let d = super::takeout_date;
        assert_eq!(d("Monday, March 18, 2024 at 1:55:12\u{202f}PM UTC").as_deref(), Some("2024-03-18T13:55:12Z"));
        assert_eq!(d("Monday, 18 March 2024 at 13:55:12 UTC").as_deref(), Some("2024-03-18T13:55:12Z"));
        assert_eq!(d("someday"), None);
    }
}
