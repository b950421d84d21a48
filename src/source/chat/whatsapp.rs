//! WhatsApp text exports: iOS `[d/m/yy, hh:mm:ss] Name: text` and Android
//! `d/m/yy, hh:mm - Name: text`, multi-line messages, invisible direction marks.

use std::sync::OnceLock;

use regex::Regex;

use super::Message;

fn line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\[?(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s?([AaPp])\.?\s?[Mm]\.?)?\]?\s*(?:-\s*)?([^:]{1,80}?):\s(.*)$",
        )
        .expect("static regex")
    })
}

fn strip_marks(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{feff}')).collect()
}

/// True when the first lines look like a WhatsApp export.
pub fn looks_like(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.lines().take(5).filter(|l| line_re().is_match(&strip_marks(l))).count() >= 1
}

/// Day/month order is ambiguous: a field over 12 decides; otherwise day first (most locales).
fn timestamp(c: &regex::Captures<'_>) -> Option<String> {
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (a, b, y) = (n(1)?, n(2)?, n(3)?);
    let (year, month, day) = if a > 31 {
        (a, b, y)
    } else if b > 12 {
        (if y < 100 { 2000 + y } else { y }, a, b)
    } else {
        (if y < 100 { 2000 + y } else { y }, b, a)
    };
    let mut hour = n(4)?;
    match c.get(7).map(|m| m.as_str().to_ascii_lowercase()) {
        Some(p) if p == "p" && hour < 12 => hour += 12,
        Some(p) if p == "a" && hour == 12 => hour = 0,
        _ => {}
    }
    // The export has no time zone: RFC 3339's "-00:00" says the offset is unknown.
    Some(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{:02}:{:02}-00:00", n(5)?, n(6).unwrap_or(0)))
}

pub fn parse(path: &str, bytes: &[u8]) -> Vec<Message> {
    let text = String::from_utf8_lossy(bytes);
    let file = path.rsplit(['/', '!']).next().unwrap_or(path);
    let channel = file
        .strip_prefix("WhatsApp Chat with ")
        .or_else(|| file.strip_prefix("WhatsApp Chat - "))
        .map(|s| s.trim_end_matches(".txt").to_string())
        .or_else(|| Some(file.trim_end_matches(".txt").to_string()));
    let mut out: Vec<Message> = Vec::new();
    for raw in text.lines() {
        let line = strip_marks(raw);
        match line_re().captures(&line) {
            Some(c) => out.push(Message {
                text: c.get(9).map_or("", |m| m.as_str()).to_string(),
                channel: channel.clone(),
                sender: c.get(8).map(|m| m.as_str().trim().to_string()),
                timestamp: timestamp(&c),
                message_id: None,
            }),
            None => match out.last_mut() {
                Some(m) => {
                    m.text.push('\n');
                    m.text.push_str(&line);
                }
                None => out.push(Message { text: line, channel: channel.clone(), ..Default::default() }),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ios_and_android_lines_and_continuations() {
        let text = "\u{200e}[05/06/2024, 09:15:40] Eve: first\nsecond line\n3/14/24, 7:05 PM - Dana Lee: hi\n";
        let m = parse("WhatsApp Chat with Dana.txt", text.as_bytes());
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].sender.as_deref(), m[0].text.as_str()), (Some("Eve"), "first\nsecond line"));
        assert_eq!(m[0].timestamp.as_deref(), Some("2024-06-05T09:15:40-00:00"));
        assert_eq!(m[1].sender.as_deref(), Some("Dana Lee"));
        assert_eq!(m[1].timestamp.as_deref(), Some("2024-03-14T19:05:00-00:00"));
        assert_eq!(m[1].channel.as_deref(), Some("Dana"));
    }
}
