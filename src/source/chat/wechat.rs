//! WeChat CSV exports as MemoTrace/WeChatMsg write them (`localId, TalkerId, Type, SubType,
//! IsSender, CreateTime, Status, StrContent, StrTime, Remark, NickName, Sender`), and
//! simpler content/time/sender tables with English or Chinese headers.

use super::{Message, Parts, file_name};

const CONTENT: &[&str] = &["strcontent", "content", "消息内容", "内容"];
const TIME: &[&str] = &["strtime", "time", "时间", "发送时间"];
const UNIX_TIME: &[&str] = &["createtime"];
const REMARK: &[&str] = &["remark", "备注"];
const NICKNAME: &[&str] = &["nickname", "昵称"];
/// MemoTrace's `Sender` is the sender's wxid; other tools write a name there.
const SENDER: &[&str] = &["sender", "发送人", "发送者"];
const IS_SENDER: &[&str] = &["issender"];
const TALKER: &[&str] = &["talkerid", "talker", "strtalker", "聊天对象"];
const ID: &[&str] = &["msgsvrid", "localid", "id", "消息id"];

fn col(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    // MemoTrace writes UTF-8 with a BOM.
    let norm = |h: &str| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
    names.iter().find_map(|n| headers.iter().position(|h| norm(h) == *n))
}

pub fn looks_like(head: &[u8]) -> bool {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(b"");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(first);
    match r.records().next() {
        Some(Ok(h)) => col(&h, CONTENT).is_some() && (col(&h, TIME).is_some() || col(&h, UNIX_TIME).is_some()),
        _ => false,
    }
}

/// A wxid is an account id, not a name people know.
fn is_wxid(s: &str) -> bool {
    s.starts_with("wxid_") || s.ends_with("@chatroom") || s.starts_with("gh_")
}

/// The chat's name from MemoTrace's path, `聊天记录/<name>/<name>_utf8.csv`.
fn channel_from_path(path: &str) -> Option<String> {
    let stem = file_name(path).strip_suffix(".csv")?;
    let name = stem.strip_suffix("_utf8").unwrap_or(stem);
    let parent = path.rsplit(['/', '!', '\\']).nth(1);
    (stem.ends_with("_utf8") || parent == Some(name)).then(|| name.to_string())
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Vec<Message>, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = r.headers().map_err(|e| format!("CSV header: {e}"))?.clone();
    let content = col(&headers, CONTENT).ok_or("no content column")?;
    let (time, unix) = (col(&headers, TIME), col(&headers, UNIX_TIME));
    let (remark, nickname, sender) = (col(&headers, REMARK), col(&headers, NICKNAME), col(&headers, SENDER));
    let (is_sender, talker, id) = (col(&headers, IS_SENDER), col(&headers, TALKER), col(&headers, ID));
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        rows.push(rec.map_err(|e| format!("CSV row {}: {e}", i + 2))?);
    }
    let get = |rec: &csv::StringRecord, c: Option<usize>| {
        c.and_then(|c| rec.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    };
    // The name of whoever wrote a row: its remark, else nickname, else the sender column.
    let name = |rec: &csv::StringRecord| get(rec, remark).or_else(|| get(rec, nickname)).or_else(|| get(rec, sender));
    let mine = |rec: &csv::StringRecord| get(rec, is_sender).as_deref() == Some("1");
    // The chat: the export's name; else, in a one-to-one chat, the other party (the name
    // on rows the owner did not send); else the talker id.
    let group = rows.iter().any(|r| get(r, talker).is_some_and(|t| t.ends_with("@chatroom")));
    let channel = channel_from_path(path)
        .or_else(|| (!group).then(|| rows.iter().find(|r| !mine(r)).and_then(name)).flatten())
        .or_else(|| rows.iter().find_map(|r| get(r, talker)));
    let mut out = Vec::with_capacity(rows.len());
    for (i, rec) in rows.iter().enumerate() {
        let who =
            name(rec).filter(|n| !is_wxid(n)).or_else(|| mine(rec).then(|| "me".to_string())).or_else(|| name(rec));
        let ts = get(rec, unix)
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|t| *t > 0.0)
            .and_then(super::unix_to_rfc3339)
            .or_else(|| get(rec, time).map(|t| to_rfc3339(&t)));
        // any column the reader does not map is scanned too
        let mapped = [Some(content), time, unix, remark, nickname, sender, is_sender, talker, id];
        let mut parts = Parts::default();
        parts.push(rec.get(content).unwrap_or(""));
        for (c, field) in rec.iter().enumerate() {
            if !mapped.contains(&Some(c)) && field.trim().len() >= 8 {
                parts.push(field);
            }
        }
        out.push(Message {
            text: parts.text(),
            channel: channel.clone(),
            sender: who,
            timestamp: ts,
            // The tool's message id; the data row number when the export has none.
            message_id: get(rec, id).or_else(|| Some(format!("row {}", i + 1))),
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
