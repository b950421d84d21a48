//! Email: `.eml` files and mbox mailboxes. MIME multipart, base64 and quoted-printable
//! bodies and encoded headers are decoded by mail-parser.

use mail_parser::{MessageParser, MimeHeaders};

use super::Message;

fn one(raw: &[u8]) -> Option<Message> {
    let msg = MessageParser::default().parse(raw)?;
    let mut parts = Vec::new();
    for i in 0.. {
        match msg.body_text(i) {
            Some(t) => parts.push(t.into_owned()),
            None => break,
        }
    }
    // mail-parser renders a text part as HTML when there is no HTML part: read HTML only
    // when the message has no text part, so nothing is scanned twice.
    if parts.is_empty() {
        for i in 0.. {
            match msg.body_html(i) {
                Some(t) => parts.push(t.into_owned()),
                None => break,
            }
        }
    }
    for a in msg.attachments() {
        if a.is_text() || a.content_type().is_some_and(|c| c.ctype() == "text") {
            parts.push(String::from_utf8_lossy(a.contents()).into_owned());
        }
    }
    let from = msg.from().and_then(|a| a.first()).map(|a| match (a.name(), a.address()) {
        (Some(n), Some(addr)) => format!("{n} <{addr}>"),
        (Some(n), None) => n.to_string(),
        (None, Some(addr)) => addr.to_string(),
        (None, None) => String::new(),
    });
    let to: Vec<String> =
        msg.to().map(|l| l.iter().filter_map(|a| a.address().map(str::to_string)).collect()).unwrap_or_default();
    if !to.is_empty() {
        parts.push(format!("To: {}", to.join(", ")));
    }
    Some(Message {
        text: parts.join("\n"),
        channel: msg.subject().map(str::to_string),
        sender: from,
        timestamp: msg.date().map(|d| d.to_rfc3339()),
        message_id: msg.message_id().map(str::to_string),
    })
}

/// Splits an mbox on `From ` separator lines; a single message otherwise.
pub fn parse(bytes: &[u8]) -> Vec<Message> {
    if !bytes.starts_with(b"From ") {
        return one(bytes).into_iter().collect();
    }
    let mut starts = vec![0];
    let mut i = 0;
    while let Some(p) = memchr::memmem::find(&bytes[i..], b"\nFrom ") {
        starts.push(i + p + 1);
        i += p + 1;
    }
    starts.push(bytes.len());
    starts
        .windows(2)
        .filter_map(|w| {
            let chunk = &bytes[w[0]..w[1]];
            // drop the `From ` envelope line
            let body = memchr::memchr(b'\n', chunk).map_or(chunk, |n| &chunk[n + 1..]);
            one(body)
        })
        .collect()
}
