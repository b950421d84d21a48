//! WhatsApp text exports: iOS `[d/m/yy, hh:mm:ss] Name: text`, Android `d/m/yy, hh:mm - Name:
//! text` and their locale variants; the day/month order is decided once per file.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use super::{Export, Message};

/// The start of a message: date, time, then `] ` (iOS) or ` - ` (Android).
fn head_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)^\[?\s*
            (?P<a>\d{1,4})\s?(?P<sep>[./\-])\s?(?P<b>\d{1,2})\s?[./\-]\s?(?P<c>\d{2,4})\.?
            ,?\s*(?:(?:klo|kl\.|um|u|à|às|alle|a\ las|at|o)\s+)?
            (?P<pre>上午|下午|午前|午後|오전|오후)?\s*
            (?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?
            (?:\s*(?P<ap>[AaPp])\.?\s?[Mm]\.?)?
            \s*(?:\]\s*|[-–]\s+|:\s+)
            (?P<rest>.*)$",
        )
        .expect("static regex")
    })
}

/// `Name: text` after the time → (name, text); system lines (Android) have no sender.
fn split_sender(rest: &str) -> Option<(&str, &str)> {
    let colon = rest.find(':')?;
    let (name, after) = (&rest[..colon], &rest[colon + 1..]);
    let n = name.chars().count();
    if n == 0 || n > 80 || name.contains(['"', '“', '”', '„', '«', '»']) {
        return None;
    }
    match after.chars().next() {
        None => Some((name, "")),
        Some(c) if c.is_whitespace() => Some((name, &after[c.len_utf8()..])),
        Some(_) => None,
    }
}

/// `Alice created group "Ops"` in the languages WhatsApp writes it.
fn group_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)(?:created group|created the group|hat die Gruppe|creó el grupo|criou o grupo|a créé le groupe|ha creato il gruppo|heeft groep|loi ryhmän|utworzył\(a\) grupę|создал\(-а\) группу|skapade gruppen|oprettede gruppen)\s*["“„«‘]\s*([^"“”„«»’]+?)\s*["”“»’]"#,
        )
        .expect("static regex")
    })
}

/// Localised export names: `WhatsApp Chat with NAME.txt` (Android), `WhatsApp Chat - NAME.zip`
/// (iOS, holding `_chat.txt`).
const NAME_PREFIXES: &[&str] = &[
    "WhatsApp Chat with ",
    "WhatsApp Chat - ",
    "WhatsApp Chat mit ",
    "WhatsApp-Chat mit ",
    "Chat de WhatsApp con ",
    "Chat WhatsApp con ",
    "Chat WhatsApp - ",
    "Discussion WhatsApp avec ",
    "Conversa do WhatsApp com ",
    "WhatsApp-chat met ",
    "WhatsApp-keskustelu: ",
];

/// Invisible marks WhatsApp writes (direction marks, isolates, a BOM).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// A line without its invisible marks; narrow and no-break spaces become plain spaces.
fn clean(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    s.chars()
        .filter(|&c| !is_mark(c))
        .map(|c| if matches!(c, '\u{202f}' | '\u{a0}' | '\u{2009}') { ' ' } else { c })
        .collect::<String>()
        .into()
}

/// True when the first lines look like a WhatsApp export.
pub fn looks_like(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.lines().take(20).any(|l| head_re().is_match(&clean(l)))
}

/// The chat's name from the export's file or archive name, when it carries one.
pub fn channel_from_path(path: &str) -> Option<String> {
    path.rsplit(['/', '!', '\\']).find_map(|part| {
        let stem = part.strip_suffix(".txt").or_else(|| part.strip_suffix(".zip")).unwrap_or(part);
        let name = NAME_PREFIXES.iter().find_map(|p| stem.strip_prefix(p))?;
        // a second download of the same export: `NAME (1)`
        let name = match name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
            Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => name,
        };
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// One message start, with the date as written (order not yet known).
struct Head {
    line: usize,
    date: [u32; 3],
    year_first: bool,
    hour: u32,
    minute: u32,
    second: u32,
    sender: Option<String>,
    text: String,
    /// iOS writes system notices as `Chat name: \u{200e}notice`.
    system: bool,
    /// Only US-style `m/d/y` dates use `/` with a 12-hour clock; dotted and dashed dates and
    /// 24-hour slashed dates are day first.
    day_first_style: bool,
}

fn head(raw: &str, line: usize) -> Option<Head> {
    // every message line starts with a digit or `[` (after invisible marks)
    let first = raw.trim_start_matches(|c: char| c.is_whitespace() || is_mark(c));
    if !first.starts_with(|c: char| c.is_ascii_digit() || c == '[') {
        return None;
    }
    let text = clean(raw);
    let c = head_re().captures(&text)?;
    let n = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let a = c.name("a")?.as_str();
    let year_first = a.len() == 4 || n("a")? > 31;
    let mut hour = n("h")?;
    let pm = match (c.name("ap").map(|m| m.as_str().to_ascii_lowercase()), c.name("pre").map(|m| m.as_str())) {
        (Some(p), _) => Some(p == "p"),
        (None, Some(p)) => Some(matches!(p, "下午" | "午後" | "오후")),
        (None, None) => None,
    };
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let (minute, second) = (n("m")?, n("s").unwrap_or(0));
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let rest = c.name("rest").map_or("", |m| m.as_str());
    let (sender, body) = match split_sender(rest) {
        Some((name, body)) => (Some(name.trim().to_string()), body.to_string()),
        None => (None, rest.to_string()),
    };
    Some(Head {
        line,
        date: [n("a")?, n("b")?, n("c")?],
        year_first,
        hour,
        minute,
        second,
        sender,
        text: body,
        system: raw.contains(":\u{20}\u{200e}") || raw.contains(":\u{a0}\u{200e}"),
        day_first_style: c.name("sep").map(|m| m.as_str()) != Some("/") || pm.is_none(),
    })
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Order {
    DayFirst,
    MonthFirst,
}

/// (year, month, day) of a date as written, read in `order`.
fn ymd(h: &Head, order: Order) -> (u32, u32, u32) {
    let [a, b, c] = h.date;
    if h.year_first {
        return (a, b, c);
    }
    let year = if c < 100 { 2000 + c } else { c };
    match order {
        Order::DayFirst => (year, b, a),
        Order::MonthFirst => (year, a, b),
    }
}

/// The order the whole file allows: a first field over 12 means day first, a second one
/// means month first; when no field tells, the order that keeps the messages in time order
/// wins. A warning says when even that cannot tell (or when the file holds both orders).
fn decide(heads: &[Head]) -> (Order, Option<String>) {
    let ambiguous: Vec<&Head> = heads.iter().filter(|h| !h.year_first).collect();
    let day_first = ambiguous.iter().filter(|h| h.date[0] > 12).count();
    let month_first = ambiguous.iter().filter(|h| h.date[1] > 12).count();
    match (day_first, month_first) {
        (d, 0) if d > 0 => return (Order::DayFirst, None),
        (0, m) if m > 0 => return (Order::MonthFirst, None),
        (d, m) if d > 0 && m > 0 => {
            let order = if m > d { Order::MonthFirst } else { Order::DayFirst };
            return (
                order,
                Some(format!(
                    "WhatsApp dates in both day/month orders ({d} day-first, {m} month-first); read as {order:?}"
                )),
            );
        }
        _ => {}
    }
    if ambiguous.iter().all(|h| h.date[0] == h.date[1]) {
        return (Order::DayFirst, None);
    }
    let backwards = |order: Order| {
        let days: Vec<(u32, u32, u32)> = ambiguous.iter().map(|h| ymd(h, order)).collect();
        days.windows(2).filter(|w| w[1] < w[0]).count()
    };
    let (d, m) = (backwards(Order::DayFirst), backwards(Order::MonthFirst));
    if d < m {
        (Order::DayFirst, None)
    } else if m < d {
        (Order::MonthFirst, None)
    } else if ambiguous.iter().all(|h| h.day_first_style) {
        (Order::DayFirst, None)
    } else {
        (Order::DayFirst, Some("WhatsApp date order is ambiguous (no day above 12); read as day/month".to_string()))
    }
}

fn timestamp(h: &Head, order: Order) -> Option<String> {
    let (year, month, day) = ymd(h, order);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // The export has no time zone: RFC 3339's "-00:00" says the offset is unknown.
    Some(format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}-00:00", h.hour, h.minute, h.second))
}

/// The chat's name: the file or archive name, else the group-creation line, else the name
/// iOS puts on the encryption notice, else the file's own name.
fn channel(path: &str, heads: &[Head]) -> Option<String> {
    if let Some(c) = channel_from_path(path) {
        return Some(c);
    }
    if let Some(g) = heads.iter().find_map(|h| group_re().captures(&h.text).and_then(|c| c.get(1))) {
        return Some(g.as_str().to_string());
    }
    if let Some(name) = heads.iter().take(3).find(|h| h.system).and_then(|h| h.sender.clone()) {
        return Some(name);
    }
    // a renamed export: its own name (iOS's bare `_chat.txt` says nothing)
    let stem = super::file_name(path).trim_end_matches(".txt");
    (!stem.is_empty() && stem != "_chat").then(|| stem.to_string())
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Export, String> {
    let text = String::from_utf8_lossy(bytes);
    let mut heads: Vec<Head> = Vec::new();
    let mut preamble: Vec<String> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        match head(raw, i + 1) {
            Some(h) => heads.push(h),
            None => match heads.last_mut() {
                Some(h) => {
                    h.text.push('\n');
                    h.text.push_str(&clean(raw));
                }
                None => preamble.push(clean(raw).into_owned()),
            },
        }
    }
    if heads.is_empty() {
        return Err("no line starts with a WhatsApp date and time".into());
    }
    let (order, warning) = decide(&heads);
    let channel = channel(path, &heads);
    let mut messages = Vec::with_capacity(heads.len() + 1);
    if preamble.iter().any(|l| !l.trim().is_empty()) {
        messages.push(Message { text: preamble.join("\n"), channel: channel.clone(), ..Default::default() });
    }
    for h in heads {
        messages.push(Message {
            timestamp: timestamp(&h, order),
            text: h.text,
            channel: channel.clone(),
            sender: h.sender,
            // The export has no ids: the line the message starts on finds it again.
            message_id: Some(format!("line {}", h.line)),
        });
    }
    Ok(Export { messages, warnings: warning.into_iter().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(path: &str, text: &str) -> Export {
        parse(path, text.as_bytes()).unwrap()
    }

    #[test]
    fn ios_and_android_lines_and_continuations() {
        let text = "\u{200e}[05/06/2024, 09:15:40] Eve: first\nsecond line\n[14/06/2024, 7:05:00 PM] Dana Lee: hi\n";
        let e = parse_str("WhatsApp Chat with Dana.txt", text);
        let m = &e.messages;
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].sender.as_deref(), m[0].text.as_str()), (Some("Eve"), "first\nsecond line"));
        assert_eq!(m[0].timestamp.as_deref(), Some("2024-06-05T09:15:40-00:00"));
        assert_eq!(m[1].timestamp.as_deref(), Some("2024-06-14T19:05:00-00:00"));
        assert_eq!(m[1].channel.as_deref(), Some("Dana"));
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn the_whole_file_decides_the_day_month_order() {
        let text = "3/10/25, 9:00\u{202f}AM - Ann: a\n3/18/25, 9:00\u{202f}AM - Ann: b\n";
        let e = parse_str("x.txt", text);
        assert_eq!(e.messages[0].timestamp.as_deref(), Some("2025-03-10T09:00:00-00:00"));
        // no field over 12: time order decides (month first keeps these in order)
        let e = parse_str("x.txt", "3/10/25, 9:00 AM - A: a\n3/11/25, 9:00 AM - A: b\n4/1/25, 9:00 AM - A: c\n");
        assert_eq!(e.messages[2].timestamp.as_deref(), Some("2025-04-01T09:00:00-00:00"));
        assert!(e.warnings.is_empty());
        let e = parse_str("x.txt", "3/10/25, 9:00 AM - A: a\n");
        assert_eq!(e.warnings.len(), 1, "one US-style date cannot tell");
        // dotted dates, and slashed ones with a 24-hour clock, are day first
        let e = parse_str("x.txt", "[03.10.25, 09:00:00] A: a\n[3/10/25, 21:00:00] A: b\n");
        assert_eq!(e.messages[1].timestamp.as_deref(), Some("2025-10-03T21:00:00-00:00"));
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn locale_line_formats() {
        let cases = [
            ("18.3.2025 klo 21.25 - Aino: moi", "2025-03-18T21:25:00-00:00", "Aino"),
            ("[18.3.2025 klo 21.25.15] Aino: moi", "2025-03-18T21:25:15-00:00", "Aino"),
            ("13. 6. 2018. 21:25 - Ivan: bok", "2018-06-13T21:25:00-00:00", "Ivan"),
            ("2018. 06. 13. 21:25 - Ivan: bok", "2018-06-13T21:25:00-00:00", "Ivan"),
            ("[2025/03/18 21:25:15] 太郎: はい", "2025-03-18T21:25:15-00:00", "太郎"),
            ("18/03/2025, 9:25 p. m. - Ana: hola", "2025-03-18T21:25:00-00:00", "Ana"),
            ("[18/03/25 01.55.12 PM] Budi: halo", "2025-03-18T13:55:12-00:00", "Budi"),
            ("18-03-2025 21:25 - Sanne: hoi", "2025-03-18T21:25:00-00:00", "Sanne"),
            ("2025/3/18 下午9:25 - 小明: 好", "2025-03-18T21:25:00-00:00", "小明"),
        ];
        for (line, ts, who) in cases {
            let e = parse_str("x.txt", line);
            assert_eq!(e.messages.len(), 1, "{line}");
            assert_eq!(e.messages[0].timestamp.as_deref(), Some(ts), "{line}");
            assert_eq!(e.messages[0].sender.as_deref(), Some(who), "{line}");
        }
    }

    #[test]
    fn channel_from_archive_file_or_group_line() {
        assert_eq!(channel_from_path("in/WhatsApp Chat - Ops Team.zip!_chat.txt").as_deref(), Some("Ops Team"));
        assert_eq!(channel_from_path("WhatsApp Chat with Dana (1).txt").as_deref(), Some("Dana"));
        assert_eq!(channel_from_path("_chat.txt"), None);
        let e = parse_str("_chat.txt", "18/03/2025, 10:00 - Ann created group \"Infra\"\n18/03/2025, 10:01 - Ann: x\n");
        assert_eq!(e.messages[1].channel.as_deref(), Some("Infra"));
        assert_eq!(e.messages[0].sender, None);
    }
}
