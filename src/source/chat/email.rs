//! Email: `.eml` files and mbox mailboxes. MIME multipart, base64 and quoted-printable
//! bodies and encoded headers (in any charset mail-parser's full encoding support knows:
//! GB2312, GBK, Big5, Shift_JIS, ISO-2022-JP, KOI8-R, ...) are decoded by mail-parser.

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

/// Headers that hold routing, ids and signatures, never a message's text.
const SKIP_HEADERS: &[&str] = &[
    "received",
    "dkim-signature",
    "domainkey-signature",
    "authentication-results",
    "received-spf",
    "message-id",
    "date",
    "mime-version",
    "return-path",
    "references",
    "in-reply-to",
    "x-received",
    "x-google-smtp-source",
];

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
    // The subject and any other text header (an `X-Api-Key:`, say) are scanned too.
    for h in msg.headers() {
        let name = h.name.as_str();
        let lower = name.to_ascii_lowercase();
        if SKIP_HEADERS.contains(&lower.as_str()) || lower.starts_with("arc-") || lower.starts_with("content-") {
            continue;
        }
        match &h.value {
            HeaderValue::Text(t) => parts.push(format!("{name}: {t}")),
            HeaderValue::TextList(l) => parts.push(format!("{name}: {}", l.join(", "))),
            _ => {}
        }
    }
    Some(Message {
        text: parts.join("\n"),
        channel: msg.subject().map(str::to_string),
        sender: from,
        timestamp: msg.date().map(|d| d.to_rfc3339()),
        message_id: msg.message_id().map(str::to_string),
    })
}

/// A message mail-parser cannot read is kept as its raw text, never dropped.
fn one_or_raw(raw: &[u8]) -> Message {
    one(raw).unwrap_or_else(|| Message { text: String::from_utf8_lossy(raw).into_owned(), ..Default::default() })
}

/// Splits an mbox on `From ` separator lines; a single message otherwise.
pub fn parse(bytes: &[u8]) -> Vec<Message> {
    if !bytes.starts_with(b"From ") {
        return vec![one_or_raw(bytes)];
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
        .map(|w| {
            let chunk = &bytes[w[0]..w[1]];
            // drop the `From ` envelope line
            let body = memchr::memchr(b'\n', chunk).map_or(chunk, |n| &chunk[n + 1..]);
            one_or_raw(body)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn subject_and_custom_headers_are_text_routing_headers_are_not() {
        let raw = "Received: from a.example by b.example; Tue, 9 Jul 2024 12:00:01 +0200\r\n\
                   From: Ops <ops@example.com>\r\nSubject: rotate now\r\nX-Deploy-Token: tok-in-a-header\r\n\r\nbody\r\n";
        let m = super::parse(raw.as_bytes());
        assert_eq!(m.len(), 1);
        assert!(m[0].text.contains("Subject: rotate now"), "{:?}", m[0].text);
        assert!(m[0].text.contains("X-Deploy-Token: tok-in-a-header"), "{:?}", m[0].text);
        assert!(!m[0].text.contains("b.example"), "{:?}", m[0].text);
    }

    #[test]
    fn a_message_without_headers_keeps_its_text() {
        let m = super::parse(
            b"From a@example.com Tue Jul  9 09:00:00 2024\n\nFrom b Tue Jul  9 09:00:00 2024\nno headers\n",
        );
        assert!(m.iter().any(|m| m.text.contains("no headers")), "{m:?}");
    }
}
