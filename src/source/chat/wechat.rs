//! WeChat CSV exports as common export tools write them (content, time, nickname, sender
//! columns, in English or Chinese headers).

use super::Message;

const CONTENT: &[&str] = &["strcontent", "content", "消息内容", "内容"];
const TIME: &[&str] = &["strtime", "time", "createtime", "时间", "发送时间"];
const CHAT: &[&str] = &["nickname", "remark", "talker", "昵称", "备注", "聊天对象"];
const SENDER: &[&str] = &["sender", "发送人", "发送者"];

fn col(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.iter().any(|n| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(n)))
}

pub fn looks_like(head: &[u8]) -> bool {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(b"");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(first);
    match r.records().next() {
        Some(Ok(h)) => col(&h, CONTENT).is_some() && col(&h, TIME).is_some(),
        _ => false,
    }
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Message>, String> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = r.headers().map_err(|e| format!("CSV header: {e}"))?.clone();
    let content = col(&headers, CONTENT).ok_or("no content column")?;
    let (time, chat, sender) = (col(&headers, TIME), col(&headers, CHAT), col(&headers, SENDER));
    let is_sender = headers.iter().position(|h| h.eq_ignore_ascii_case("issender"));
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV row {}: {e}", i + 2))?;
        let get =
            |c: Option<usize>| c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let who = get(sender).or_else(|| match get(is_sender).as_deref() {
            Some("1") => Some("me".to_string()),
            _ => get(chat),
        });
        out.push(Message {
            text: rec.get(content).unwrap_or("").to_string(),
            channel: get(chat),
            sender: who,
            timestamp: get(time).map(|t| to_rfc3339(&t)),
            message_id: Some((i + 1).to_string()),
        });
    }
    Ok(out)
}

/// `2024-03-01 10:22:33` (local time of the exporting phone) → RFC 3339 with unknown offset.
fn to_rfc3339(t: &str) -> String {
    let t = t.trim();
    if let Ok(secs) = t.parse::<f64>() {
        return super::unix_to_rfc3339(secs).unwrap_or_else(|| t.to_string());
    }
    if t.len() == 19 && t.as_bytes().get(10) == Some(&b' ') {
        return format!("{}T{}-00:00", &t[..10], &t[11..]);
    }
    t.to_string()
}
