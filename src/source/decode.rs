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
/// The reference the SIMD classifiers are tested against, and the portable fallback.
#[cfg(any(test, not(target_arch = "x86_64")))]
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
    let n = hay.len();
    let mut from = 0;
    while let Some(start) = next_alphabet_run(hay, from) {
        let (end, classes) = run_extent(hay, start);
        from = end;
        let body = &hay[start..end];
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
        let mut buf = [0u8; 24];
        if !engine.decode_slice(probe, &mut buf).is_ok_and(|len| mostly_printable(&buf[..len])) {
            continue;
        }
        if let Ok(decoded) = engine.decode(body)
            && mostly_printable(&decoded)
        {
            out.push(Run { range: start..padded, encoding: "base64", decoded });
        }
    }
}

/// Start of the first run of at least [`MIN_BASE64`] base64-alphabet bytes at or after `from`.
///
/// Reads 64 bytes at a time as a bitmask (bit k = byte k is in the alphabet); a run that
/// reaches the end of a block is carried into the next one.
fn next_alphabet_run(hay: &[u8], from: usize) -> Option<usize> {
    const _: () = assert!(MIN_BASE64 == 20, "runs_of_20 is written for MIN_BASE64 = 20");
    let n = hay.len();
    let mut carry: Option<usize> = None;
    let mut b = from;
    while b < n {
        let len = (n - b).min(64);
        let good = if len == 64 {
            alphabet_mask(hay[b..b + 64].try_into().ok()?)
        } else {
            let mut tail = [0u8; 64];
            tail[..len].copy_from_slice(&hay[b..]);
            alphabet_mask(&tail)
        };
        if let Some(s) = carry.take() {
            let head = good.trailing_ones() as usize;
            if b + head - s >= MIN_BASE64 {
                return Some(s);
            }
        }
        let starts = runs_of_20(good);
        if starts != 0 {
            return Some(b + starts.trailing_zeros() as usize);
        }
        let top = good.leading_ones() as usize;
        if top > 0 {
            carry = Some(b + 64 - top);
        }
        b += len;
    }
    None
}

/// End of the base64-alphabet run starting at `start`, and the union of its [`B64`] classes.
fn run_extent(hay: &[u8], start: usize) -> (usize, u8) {
    let mut end = start;
    let mut classes = 0u8;
    loop {
        let rest = &hay[end..];
        let chunk: [u8; 16] = match rest.first_chunk::<16>() {
            Some(c) => *c,
            None => {
                let mut tail = [0u8; 16];
                tail[..rest.len()].copy_from_slice(rest);
                tail
            }
        };
        let masks = class_masks(&chunk);
        let good = masks.iter().fold(0u16, |g, &m| g | m);
        let len = good.trailing_ones();
        let keep = if len == 16 { u16::MAX } else { (1u16 << len) - 1 };
        for (k, &m) in masks.iter().enumerate() {
            if m & keep != 0 {
                classes |= 1 << k;
            }
        }
        end += len as usize;
        if len < 16 {
            return (end, classes);
        }
    }
}

/// Per [`B64`] class (upper, lower, digit, `+/`, `-_`), bit k set when `chunk[k]` is in it.
#[cfg(target_arch = "x86_64")]
fn class_masks(chunk: &[u8; 16]) -> [u16; 5] {
    // SAFETY: SSE2 is part of the x86_64 baseline; every x86_64 CPU has it.
    unsafe { class_masks_sse2(chunk) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn class_masks_sse2(chunk: &[u8; 16]) -> [u16; 5] {
    use std::arch::x86_64::*;
    // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
    let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
    let bits = |v: __m128i| _mm_movemask_epi8(v) as u16;
    let sym = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
    [
        bits(in_range(x, b'A', 26)),
        bits(in_range(x, b'a', 26)),
        bits(in_range(x, b'0', 10)),
        bits(_mm_or_si128(sym(b'+'), sym(b'/'))),
        bits(_mm_or_si128(sym(b'-'), sym(b'_'))),
    ]
}

#[cfg(not(target_arch = "x86_64"))]
fn class_masks(chunk: &[u8; 16]) -> [u16; 5] {
    let mut masks = [0u16; 5];
    for (k, &c) in chunk.iter().enumerate() {
        let class = B64[c as usize];
        if class != 0 {
            masks[class.trailing_zeros() as usize] |= 1 << k;
        }
    }
    masks
}

/// Bytes of `x` in `[lo, lo + n)`, as 0xff lanes: x + (0x80 - lo) < -128 + n as signed bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn in_range(x: std::arch::x86_64::__m128i, lo: u8, n: u8) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::*;
    let shifted = _mm_add_epi8(x, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
    _mm_cmplt_epi8(shifted, _mm_set1_epi8(0x80u8.wrapping_add(n) as i8))
}

/// Bit k set when bits k..k+20 of `m` are all set.
fn runs_of_20(m: u64) -> u64 {
    let m2 = m & (m >> 1);
    let m4 = m2 & (m2 >> 2);
    let m8 = m4 & (m4 >> 4);
    let m16 = m8 & (m8 >> 8);
    m16 & (m16 >> 4)
}

/// Bit k set when `block[k]` is in the base64 alphabet (standard or URL-safe).
#[cfg(target_arch = "x86_64")]
fn alphabet_mask(block: &[u8; 64]) -> u64 {
    // SAFETY: SSE2 is part of the x86_64 baseline; every x86_64 CPU has it.
    unsafe { alphabet_mask_sse2(block) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn alphabet_mask_sse2(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    let mut mask = 0u64;
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
        let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
        let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 26);
        let digit = in_range(x, b'0', 10);
        let sym = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
        let symbols = _mm_or_si128(_mm_or_si128(sym(b'+'), sym(b'/')), _mm_or_si128(sym(b'-'), sym(b'_')));
        let good = _mm_or_si128(_mm_or_si128(letter, digit), symbols);
        mask |= u64::from(_mm_movemask_epi8(good) as u16) << (16 * k);
    }
    mask
}

/// Bit k set when `block[k]` is in the base64 alphabet (standard or URL-safe).
#[cfg(not(target_arch = "x86_64"))]
fn alphabet_mask(block: &[u8; 64]) -> u64 {
    block.iter().enumerate().fold(0, |m, (k, &c)| m | (u64::from(B64[c as usize] != 0) << k))
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
    fn alphabet_mask_matches_the_table() {
        for first in (0..256).step_by(64) {
            let block: [u8; 64] = std::array::from_fn(|k| (first + k) as u8);
            let want = (0..64).fold(0u64, |m, k| m | (u64::from(B64[block[k] as usize] != 0) << k));
            assert_eq!(alphabet_mask(&block), want, "bytes {first}..{}", first + 64);
        }
    }

    #[test]
    fn class_masks_match_the_table() {
        for first in (0..256).step_by(16) {
            let chunk: [u8; 16] = std::array::from_fn(|k| (first + k) as u8);
            let mut want = [0u16; 5];
            for (k, &c) in chunk.iter().enumerate() {
                for (class, m) in want.iter_mut().enumerate() {
                    if B64[c as usize] == 1 << class {
                        *m |= 1 << k;
                    }
                }
            }
            assert_eq!(class_masks(&chunk), want, "bytes {first}..{}", first + 16);
        }
        let hay = b"xx abcDEF0123+/-_abcdefghijklmnopqrstuvwxyz!";
        assert_eq!(run_extent(hay, 3), (hay.len() - 1, 31));
        assert_eq!(run_extent(&hay[..20], 3), (20, 31));
    }

    #[test]
    fn run_finder_matches_a_naive_scan() {
        let naive = |hay: &[u8], from: usize| {
            let mut len = 0;
            for (i, &c) in hay.iter().enumerate().skip(from) {
                len = if B64[c as usize] != 0 { len + 1 } else { 0 };
                if len == MIN_BASE64 {
                    return Some(i + 1 - MIN_BASE64);
                }
            }
            None
        };
        // Inputs of mostly-alphabet bytes with breaks at pseudo-random places, so runs start,
        // end and straddle 64-byte blocks at every offset.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for case in 0..2000 {
            let len = case % 300;
            let hay: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if seed % (2 + (case as u64 % 40)) == 0 { b' ' } else { b'A' + (seed % 26) as u8 }
                })
                .collect();
            for from in [0, 1, 7, 63, 64, 65].into_iter().filter(|&f| f <= len) {
                assert_eq!(next_alphabet_run(&hay, from), naive(&hay, from), "case {case} from {from}");
            }
        }
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(br"sk\u002dabc\/x"), b"sk-abc/x");
        assert_eq!(html_unescape(b"a&amp;b&#x41;&#66;&bogus;"), b"a&bAB&bogus;");
    }
}
