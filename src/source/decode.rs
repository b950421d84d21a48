//! Decoders: secrets hidden in base64, percent-encoding, JSON/unicode escapes and HTML
//! entities are decoded and scanned again (depth-limited); findings point at the encoded
//! run in the original bytes and record the decoding chain.

use std::ops::Range;
use std::sync::Arc;

use base64::Engine as _;

use crate::engine::{LINE_REACH, resolve};
use crate::finding::{Finding, Span};
use crate::origin::Blob;
use crate::scan::Detector;

/// How many decoding layers deep keytrail looks.
pub const MAX_DEPTH: u32 = 2;
/// Shortest base64 run worth decoding.
pub const MIN_BASE64: usize = 20;

/// An encoded run: where it is and what it decodes to.
pub struct Run {
    pub range: Range<usize>,
    pub encoding: &'static str,
    pub decoded: Vec<u8>,
}

/// Base64 alphabet classes: 1 upper, 2 lower, 4 digit, 8 `+/`, 16 `-_`; 0 = not base64.
const B64: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_lowercase() {
            2
        } else if c.is_ascii_digit() {
            4
        } else if c == b'+' || c == b'/' {
            8
        } else if c == b'-' || c == b'_' {
            16
        } else {
            0
        };
        i += 1;
    }
    t
};

fn mostly_printable(b: &[u8]) -> bool {
    if b.is_empty() {
        return false;
    }
    let ok = b.iter().filter(|&&c| (0x20..0x7f).contains(&c) || matches!(c, b'\n' | b'\r' | b'\t')).count();
    ok * 100 >= b.len() * 95
}

/// Finds the encoded runs of `hay` that decode to mostly printable text.
pub fn runs(hay: &[u8]) -> Vec<Run> {
    let mut out = Vec::new();
    base64_runs(hay, &mut out);
    token_runs(hay, &mut out);
    out
}

fn base64_runs(hay: &[u8], out: &mut Vec<Run>) {
    // Runs shorter than MIN_BASE64 are skipped without reading every byte: look at the last
    // byte of the window first and jump past any byte that breaks it.
    let n = hay.len();
    let mut i = 0;
    while i + MIN_BASE64 <= n {
        // Probe every 4th byte of the window first (most windows fail there), then the rest.
        let window = &hay[i..i + MIN_BASE64];
        if let Some(bad) = [19usize, 15, 11, 7, 3].into_iter().find(|&k| B64[window[k] as usize] == 0) {
            i += bad + 1;
            continue;
        }
        if let Some(bad) = (0..MIN_BASE64).rev().find(|&k| B64[window[k] as usize] == 0) {
            i += bad + 1;
            continue;
        }
        let start = i;
        let mut end = i + MIN_BASE64;
        while end < n && B64[hay[end] as usize] != 0 {
            end += 1;
        }
        i = end + 1;
        let body = &hay[start..end];
        let classes = body.iter().fold(0u8, |acc, &c| acc | B64[c as usize]);
        // Base64 of text mixes upper, lower and digits; identifiers rarely do all three.
        if classes & 7 != 7 || classes & 24 == 24 {
            continue;
        }
        let mut padded = end;
        while padded < n && hay[padded] == b'=' && padded - end < 2 {
            padded += 1;
        }
        let engine = if classes & 16 != 0 {
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
        } else {
            &base64::engine::general_purpose::STANDARD_NO_PAD
        };
        // Decode a 32-character prefix first: binary payloads are rejected without decoding
        // them whole.
        let probe = &body[..body.len().min(32) & !3];
        if !engine.decode(probe).is_ok_and(|p| mostly_printable(&p)) {
            continue;
        }
        if let Ok(decoded) = engine.decode(body)
            && mostly_printable(&decoded)
        {
            out.push(Run { range: start..padded, encoding: "base64", decoded });
        }
    }
}

/// Percent-encoding, JSON/unicode escapes and HTML entities inside whitespace-free tokens.
fn token_runs(hay: &[u8], out: &mut Vec<Run>) {
    // Needle-driven: only tokens holding an escape are looked at.
    // One SIMD pass for the three escape introducers.
    let mut starts: Vec<usize> = Vec::new();
    for p in memchr::memchr3_iter(b'%', b'\\', b'&', hay) {
        let next = |k: usize| hay.get(p + k).copied().unwrap_or(0);
        let hit = match hay[p] {
            b'%' => next(1).is_ascii_hexdigit() && next(2).is_ascii_hexdigit(),
            b'\\' => matches!(next(1), b'u' | b'x') && next(2).is_ascii_hexdigit(),
            _ => next(1) == b'#' || hay[p..].starts_with(b"&amp;"),
        };
        if hit {
            starts.push(p);
        }
    }
    if starts.is_empty() {
        return;
    }
    let is_sep = |b: u8| b.is_ascii_whitespace() || b == b'"' || b == b'\'' || b == b'<' || b == b'>';
    let mut last_end = 0;
    for p in starts {
        if p < last_end {
            continue;
        }
        let lo = p.saturating_sub(LINE_REACH);
        let start = hay[lo..p].iter().rposition(|&b| is_sep(b)).map_or(lo, |q| lo + q + 1);
        let hi = hay.len().min(p + LINE_REACH);
        let end = hay[p..hi].iter().position(|&b| is_sep(b)).map_or(hi, |q| p + q);
        last_end = end;
        let tok = &hay[start..end];
        if tok.len() < 8 {
            continue;
        }
        if count_pct(tok) >= 1 {
            let decoded: Vec<u8> = percent_encoding::percent_decode(tok).collect();
            if decoded != tok && mostly_printable(&decoded) {
                out.push(Run { range: start..end, encoding: "percent", decoded });
            }
        }
        if memchr::memmem::find(tok, b"\\u").is_some() || memchr::memmem::find(tok, b"\\x").is_some() {
            let decoded = unescape(tok);
            if decoded != tok && mostly_printable(&decoded) {
                out.push(Run { range: start..end, encoding: "unicode-escape", decoded });
            }
        }
        if memchr::memchr(b'&', tok).is_some() {
            let decoded = html_unescape(tok);
            if decoded != tok {
                out.push(Run { range: start..end, encoding: "html", decoded });
            }
        }
    }
}

fn count_pct(tok: &[u8]) -> usize {
    tok.windows(3).filter(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit()).count()
}

fn hexval(b: &[u8]) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(b).ok()?, 16).ok()
}

/// `\uXXXX`, `\xXX` and `\/` escapes (JSON, JavaScript, Python).
fn unescape(tok: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tok.len());
    let mut i = 0;
    while i < tok.len() {
        let rest = &tok[i..];
        let (ch, used) = match rest {
            [b'\\', b'u', ..] if rest.len() >= 6 => (hexval(&rest[2..6]).and_then(char::from_u32), 6),
            [b'\\', b'x', ..] if rest.len() >= 4 => (hexval(&rest[2..4]).and_then(char::from_u32), 4),
            [b'\\', b'/', ..] => (Some('/'), 2),
            _ => (None, 0),
        };
        match ch {
            Some(c) => {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                i += used;
            }
            None => {
                out.push(tok[i]);
                i += 1;
            }
        }
    }
    out
}

/// Numeric entities and the five XML named ones.
pub fn html_unescape(tok: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tok.len());
    let mut i = 0;
    while i < tok.len() {
        if tok[i] == b'&'
            && let Some(semi) = tok[i..].iter().take(12).position(|&b| b == b';')
        {
            let name = &tok[i + 1..i + semi];
            let ch = match name {
                b"amp" => Some('&'),
                b"lt" => Some('<'),
                b"gt" => Some('>'),
                b"quot" => Some('"'),
                b"apos" => Some('\''),
                [b'#', b'x' | b'X', hex @ ..] => hexval(hex).and_then(char::from_u32),
                [b'#', dec @ ..] => std::str::from_utf8(dec).ok().and_then(|d| d.parse().ok()).and_then(char::from_u32),
                _ => None,
            };
            if let Some(c) = ch {
                let mut b = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                i += semi + 1;
                continue;
            }
        }
        out.push(tok[i]);
        i += 1;
    }
    out
}

/// Findings inside encoded runs of `blob` (and runs inside those, up to [`MAX_DEPTH`]),
/// positioned at the encoded run in `blob` and tagged with the decoding chain.
pub fn detect_decoded(detector: &dyn Detector, blob: &Blob<'_>, depth: u32) -> Vec<Finding> {
    if depth >= MAX_DEPTH {
        return Vec::new();
    }
    // Detect first; line/column positions are resolved only for runs that hold a finding
    // (resolving walks the blob, and most blobs with encoded runs hold none).
    let mut hits = Vec::new();
    for run in runs(blob.bytes) {
        let inner = Blob { bytes: &run.decoded, origin: Arc::clone(&blob.origin) };
        let mut found = detector.detect(&inner);
        found.extend(detect_decoded(detector, &inner, depth + 1));
        if !found.is_empty() {
            hits.push((run.range, run.encoding, found));
        }
    }
    if hits.is_empty() {
        return Vec::new();
    }
    let pos = resolve(blob.bytes, hits.iter().flat_map(|(r, _, _)| [r.start, r.end]));
    let mut out = Vec::new();
    for (range, encoding, found) in hits {
        let (s, e) = (pos[&range.start], pos[&range.end]);
        for mut f in found {
            f.span = Span {
                line: s.line,
                column: s.column,
                end_line: e.line,
                end_column: e.column,
                byte_start: range.start,
                byte_end: range.end,
            };
            f.encoding.insert(0, encoding);
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_base64_and_percent_and_entities() {
        let b64 = base64::engine::general_purpose::STANDARD.encode("user:ghp_Xy7Qw2Lm9Rt4Vb8Nc3Kd6Hf1Js5Pa0Ze2Ug7"); // keytrail:allow (fake)
        let text = format!("auth: {b64}\nurl=a%3Db%26key%3Dsk-abc&x=1\nv=&#115;&#107;-abc\n");
        let found = runs(text.as_bytes());
        let kinds: Vec<&str> = found.iter().map(|r| r.encoding).collect();
        assert!(kinds.contains(&"base64") && kinds.contains(&"percent") && kinds.contains(&"html"), "{kinds:?}");
        let r = found.iter().find(|r| r.encoding == "base64").unwrap();
        assert_eq!(&text.as_bytes()[r.range.clone()], b64.as_bytes());
    }

    #[test]
    fn identifiers_and_random_bytes_are_not_decoded() {
        assert!(runs(b"some_really_long_identifier_name_here").is_empty());
        let random = base64::engine::general_purpose::STANDARD
            .encode([0u8, 159, 3, 250, 17, 99, 1, 2, 200, 201, 7, 8, 9, 10, 11, 12, 13, 14]);
        assert!(runs(random.as_bytes()).is_empty());
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(br"sk\u002dabc\/x"), b"sk-abc/x");
        assert_eq!(html_unescape(b"a&amp;b&#x41;&#66;&bogus;"), b"a&bAB&bogus;");
    }
}
