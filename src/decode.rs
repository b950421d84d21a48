//! Decoders: secrets hidden in base64, percent-encoding, JSON/unicode escapes, HTML entities
//! and quoted-printable are decoded and scanned again (depth-limited); findings point at the
//! encoded run in the original bytes and record the decoding chain.

use std::ops::Range;
use std::sync::Arc;

use base64::Engine as _;

use crate::engine::{LINE_REACH, resolve};
use crate::finding::{Finding, Span};
use crate::origin::Blob;
use crate::sink::Detector;

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
///
/// One pass classifies every byte (base64 alphabet, escape introducers); base64 runs are
/// decoded during it, and the tokens around the escape introducers after it.
pub fn runs(hay: &[u8]) -> Vec<Run> {
    let mut out = Vec::new();
    let escapes = base64_runs(hay, &mut out);
    token_runs(hay, &escapes, &mut out);
    quoted_printable_runs(hay, &escapes, &mut out);
    out
}

/// Decodes the base64 runs of `hay` into `out`; returns the offsets of the escape
/// introducers (`%`, `\`, `&`, `=`) in order.
fn base64_runs(hay: &[u8], out: &mut Vec<Run>) -> Vec<usize> {
    let n = hay.len();
    for_each_alphabet_run(hay, |start| {
        let (end, classes) = run_extent(hay, start);
        let body = &hay[start..end];
        // Base64 of text mixes upper, lower and digits; identifiers rarely do all three.
        if classes & 7 != 7 || classes & 24 == 24 {
            return end;
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
            return end;
        }
        if let Ok(decoded) = engine.decode(body)
            && mostly_printable(&decoded)
        {
            out.push(Run { range: start..padded, encoding: "base64", decoded });
        }
        end
    })
}

/// Bytes classified per step of the run finder (a bitmap of 256 words, 2 KiB on the stack).
const SEGMENT: usize = 16 * 1024;

/// Calls `visit` with the start of each run of at least [`MIN_BASE64`] base64-alphabet
/// bytes; `visit` returns where the run ends, and the search goes on from there. Returns
/// the offsets of the escape introducers outside those runs.
///
/// Each segment of `hay` is first classified into two bitmaps (bit k = byte k is in the
/// alphabet / is an escape introducer); runs are found with shifts and ANDs on the 64-bit
/// words, and a run that reaches the top of a word is carried into the next.
fn for_each_alphabet_run(hay: &[u8], mut visit: impl FnMut(usize) -> usize) -> Vec<usize> {
    const _: () = assert!(MIN_BASE64 == 20, "runs_of_20 is written for MIN_BASE64 = 20");
    let mut bits = [[0u64; 2]; SEGMENT / 64];
    let mut escapes = Vec::new();
    // No run starts before `resume` (the end of the last visited run).
    let mut resume = 0;
    let mut carry: Option<usize> = None;
    for (seg_index, seg) in hay.chunks(SEGMENT).enumerate() {
        let seg_start = seg_index * SEGMENT;
        if seg_start + seg.len() <= resume {
            continue;
        }
        let words = classify(seg, &mut bits);
        for (w, &[word, mut marks]) in bits[..words].iter().enumerate() {
            let b = seg_start + 64 * w;
            while marks != 0 {
                escapes.push(b + marks.trailing_zeros() as usize);
                marks &= marks - 1;
            }
            if resume >= b + 64 {
                continue;
            }
            loop {
                let good = if resume > b { word & (u64::MAX << (resume - b)) } else { word };
                let head = good.trailing_ones() as usize;
                let start = match carry.take() {
                    Some(s) if b + head - s >= MIN_BASE64 => Some(s),
                    _ => match runs_of_20(good) {
                        0 => None,
                        r => Some(b + r.trailing_zeros() as usize),
                    },
                };
                match start {
                    Some(s) => {
                        resume = visit(s).max(s + 1);
                        if resume >= b + 64 {
                            break;
                        }
                    }
                    None => {
                        let top = good.leading_ones() as usize;
                        if top > 0 {
                            carry = Some(b + 64 - top);
                        }
                        break;
                    }
                }
            }
        }
    }
    escapes
}

/// Per 64-byte block of `seg` (at most [`SEGMENT`] bytes; the last block is padded with
/// zeros), the alphabet and escape-introducer bitmasks; returns the number of blocks.
fn classify(seg: &[u8], bits: &mut [[u64; 2]; SEGMENT / 64]) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        return unsafe { classify_avx2(seg, bits) };
    }
    fill_bits(seg, bits, block_masks)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn classify_avx2(seg: &[u8], bits: &mut [[u64; 2]; SEGMENT / 64]) -> usize {
    fill_bits(seg, bits, |block| block_masks_avx2(block))
}

#[inline(always)]
fn fill_bits(seg: &[u8], bits: &mut [[u64; 2]; SEGMENT / 64], mask: impl Fn(&[u8; 64]) -> [u64; 2]) -> usize {
    let mut blocks = seg.chunks_exact(64);
    let mut words = 0;
    for (slot, block) in bits.iter_mut().zip(&mut blocks) {
        if let Some(block) = block.first_chunk::<64>() {
            *slot = mask(block);
            words += 1;
        }
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut tail = [0u8; 64];
        tail[..rest.len()].copy_from_slice(rest);
        bits[words] = mask(&tail);
        words += 1;
    }
    words
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

/// Bit k of the first mask set when `block[k]` is in the base64 alphabet (standard or
/// URL-safe), of the second when it is an escape introducer (`%`, `\`, `&`, `=`).
#[cfg(target_arch = "x86_64")]
fn block_masks(block: &[u8; 64]) -> [u64; 2] {
    // SAFETY: SSE2 is part of the x86_64 baseline; every x86_64 CPU has it.
    unsafe { block_masks_sse2(block) }
}

/// The escape introducers the token decoders start from.
const ESCAPES: [u8; 4] = [b'%', b'\\', b'&', b'='];

/// [`block_masks`]; the alphabet by nibble lookup: a byte is in the alphabet when the classes
/// its low nibble allows meet the class of its high nibble (`2x`: `+-/`, `3x`: digits, `4x`/`6x`:
/// letters from 1, `5x`/`7x`: letters up to A, `5F`: `_`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn block_masks_avx2(block: &[u8; 64]) -> [u64; 2] {
    use std::arch::x86_64::*;
    #[rustfmt::skip]
    const LO: [i8; 16] = [10, 14, 14, 14, 14, 14, 14, 14, 14, 14, 12, 5, 4, 5, 4, 21];
    #[rustfmt::skip]
    const HI: [i8; 16] = [0, 0, 1, 2, 4, 24, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0];
    let table = |t: [i8; 16]| {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = t;
        _mm256_setr_epi8(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)
    };
    let (lo_table, hi_table, nibble) = (table(LO), table(HI), _mm256_set1_epi8(0x0f));
    let [e0, e1, e2, e3] = ESCAPES.map(|c| _mm256_set1_epi8(c as i8));
    let mut masks = [0u64; 2];
    for (k, chunk) in block.chunks_exact(32).enumerate() {
        // SAFETY: `chunk` is 32 readable bytes; the load has no alignment requirement.
        let x = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let lo = _mm256_shuffle_epi8(lo_table, _mm256_and_si256(x, nibble));
        let hi = _mm256_shuffle_epi8(hi_table, _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble));
        let bad = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());
        masks[0] |= u64::from(!(_mm256_movemask_epi8(bad) as u32)) << (32 * k);
        let esc = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(x, e0), _mm256_cmpeq_epi8(x, e1)),
            _mm256_or_si256(_mm256_cmpeq_epi8(x, e2), _mm256_cmpeq_epi8(x, e3)),
        );
        masks[1] |= u64::from(_mm256_movemask_epi8(esc) as u32) << (32 * k);
    }
    masks
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn block_masks_sse2(block: &[u8; 64]) -> [u64; 2] {
    use std::arch::x86_64::*;
    let mut masks = [0u64; 2];
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        // SAFETY: `chunk` is 16 readable bytes; the load has no alignment requirement.
        let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
        let letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 26);
        let digit = in_range(x, b'0', 10);
        let sym = |c: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(c as i8));
        let symbols = _mm_or_si128(_mm_or_si128(sym(b'+'), sym(b'/')), _mm_or_si128(sym(b'-'), sym(b'_')));
        let good = _mm_or_si128(_mm_or_si128(letter, digit), symbols);
        masks[0] |= u64::from(_mm_movemask_epi8(good) as u16) << (16 * k);
        let [e0, e1, e2, e3] = ESCAPES.map(sym);
        let esc = _mm_or_si128(_mm_or_si128(e0, e1), _mm_or_si128(e2, e3));
        masks[1] |= u64::from(_mm_movemask_epi8(esc) as u16) << (16 * k);
    }
    masks
}

/// Bit k of the first mask set when `block[k]` is in the base64 alphabet (standard or
/// URL-safe), of the second when it is an escape introducer (`%`, `\`, `&`, `=`).
#[cfg(not(target_arch = "x86_64"))]
fn block_masks(block: &[u8; 64]) -> [u64; 2] {
    block.iter().enumerate().fold([0, 0], |[a, e], (k, &c)| {
        [a | (u64::from(B64[c as usize] != 0) << k), e | (u64::from(ESCAPES.contains(&c)) << k)]
    })
}

/// Bytes that end a token the escape decoders look at: whitespace, quotes, angle brackets.
fn is_sep(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'"' || b == b'\'' || b == b'<' || b == b'>'
}

/// Start of the token holding `hay[p]`: just after the last separator before it, at most
/// [`LINE_REACH`] back.
fn token_start(hay: &[u8], p: usize) -> usize {
    let lo = p.saturating_sub(LINE_REACH);
    hay[lo..p].iter().rposition(|&b| is_sep(b)).map_or(lo, |q| lo + q + 1)
}

/// The hex digits quoted-printable escapes use (RFC 2045: upper case only).
fn is_upper_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
}

/// Percent-encoding, JSON/unicode escapes and HTML entities inside whitespace-free tokens.
fn token_runs(hay: &[u8], escapes: &[usize], out: &mut Vec<Run>) {
    // Needle-driven: only tokens holding an escape are looked at.
    let mut starts: Vec<usize> = Vec::new();
    for &p in escapes {
        let next = |k: usize| hay.get(p + k).copied().unwrap_or(0);
        let hit = match hay[p] {
            b'%' => next(1).is_ascii_hexdigit() && next(2).is_ascii_hexdigit(),
            b'\\' => matches!(next(1), b'u' | b'x') && next(2).is_ascii_hexdigit(),
            b'&' => next(1) == b'#' || hay[p..].starts_with(b"&amp;"),
            _ => false,
        };
        if hit {
            starts.push(p);
        }
    }
    if starts.is_empty() {
        return;
    }
    let mut last_end = 0;
    for p in starts {
        if p < last_end {
            continue;
        }
        let start = token_start(hay, p);
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

/// Quoted-printable text outside a parsed email: a key pasted from a raw message, split by a
/// soft line break (`=` at the end of a line) or with `=3D` for `=`.
///
/// A token counts as quoted-printable only when every `=` in it is a soft break or an escape
/// of a byte an encoder would escape (never a letter or digit), so `key=value` and
/// `TOKEN=ABCDEF` are left alone.
fn quoted_printable_runs(hay: &[u8], escapes: &[usize], out: &mut Vec<Run>) {
    let mut last_end = 0;
    for &p in escapes {
        if p < last_end || hay[p] != b'=' {
            continue;
        }
        let at = |k: usize| hay.get(p + k).copied().unwrap_or(0);
        let soft_break = p > 0 && !is_sep(hay[p - 1]) && (at(1) == b'\n' || (at(1) == b'\r' && at(2) == b'\n'));
        let escape = is_upper_hex(at(1)) && is_upper_hex(at(2));
        if !(soft_break || escape) {
            continue;
        }
        let start = token_start(hay, p);
        let hi = hay.len().min(p + LINE_REACH);
        // The token runs to the next separator, across soft line breaks.
        let mut end = p;
        while end < hi {
            match hay[end] {
                b'=' if hay.get(end + 1) == Some(&b'\n') => end += 2,
                b'=' if hay[end + 1..].starts_with(b"\r\n") => end += 3,
                b if is_sep(b) => break,
                _ => end += 1,
            }
        }
        let end = end.min(hi);
        last_end = end;
        if end - start >= 8
            && let Some(decoded) = qp_decode(&hay[start..end])
        {
            out.push(Run { range: start..end, encoding: "quoted-printable", decoded });
        }
    }
}

/// Decodes a quoted-printable token; `None` when an `=` in it is not quoted-printable.
fn qp_decode(tok: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(tok.len());
    let mut i = 0;
    while i < tok.len() {
        if tok[i] != b'=' {
            out.push(tok[i]);
            i += 1;
            continue;
        }
        let rest = &tok[i + 1..];
        if rest.is_empty() || rest.starts_with(b"\n") || rest.starts_with(b"\r\n") {
            i += 1 + rest.iter().take(2).position(|&b| b == b'\n').map_or(0, |q| q + 1);
            continue;
        }
        let byte = rest.get(..2).filter(|h| h.iter().all(|&b| is_upper_hex(b))).and_then(hexval)? as u8;
        if byte.is_ascii_alphanumeric() {
            return None;
        }
        out.push(byte);
        i += 3;
    }
    // Encoders escape each byte of a multi-byte character, so the text decodes to UTF-8;
    // `TOKEN=ABCDEF` would leave a lone 0xAB byte.
    (out.len() < tok.len() && std::str::from_utf8(&out).is_ok()).then_some(out)
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
    fn block_masks_match_the_table() {
        for first in (0..256).step_by(64) {
            let block: [u8; 64] = std::array::from_fn(|k| (first + k) as u8);
            let want = (0..64).fold([0u64; 2], |[a, e], k| {
                let c = block[k];
                [a | (u64::from(B64[c as usize] != 0) << k), e | (u64::from(b"%\\&=".contains(&c)) << k)]
            });
            assert_eq!(block_masks(&block), want, "bytes {first}..{}", first + 64);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2 (checked just above).
                assert_eq!(unsafe { block_masks_avx2(&block) }, want, "AVX2, bytes {first}..");
            }
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
        let naive = |hay: &[u8]| {
            let mut starts = Vec::new();
            let mut len = 0;
            for (i, &c) in hay.iter().enumerate() {
                len = if B64[c as usize] != 0 { len + 1 } else { 0 };
                if len == MIN_BASE64 {
                    starts.push(i + 1 - MIN_BASE64);
                }
            }
            let escapes: Vec<usize> = (0..hay.len()).filter(|&i| ESCAPES.contains(&hay[i])).collect();
            (starts, escapes)
        };
        let found = |hay: &[u8]| {
            let mut starts = Vec::new();
            let escapes = for_each_alphabet_run(hay, |s| {
                starts.push(s);
                run_extent(hay, s).0
            });
            (starts, escapes)
        };
        // Mostly-alphabet bytes with breaks at pseudo-random places, so runs start, end and
        // straddle 64-byte words (and, in the long cases, segments) at every offset.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for case in 0..2000u64 {
            let len = if case % 100 == 0 { 2 * SEGMENT + 300 } else { (case % 300) as usize };
            let hay: Vec<u8> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let straddle =
                        (SEGMENT - 30..SEGMENT + 30).contains(&(i % SEGMENT + SEGMENT / 2 * (case as usize % 2)));
                    if !straddle && seed.is_multiple_of(2 + case % 40) {
                        b" %=&\\"[(seed >> 32) as usize % 5]
                    } else {
                        b'A' + (seed % 26) as u8
                    }
                })
                .collect();
            assert_eq!(found(&hay), naive(&hay), "case {case}");
        }
        // One run placed across a word or segment boundary at every offset.
        for boundary in [64, SEGMENT] {
            for before in 1..30 {
                for len in [19, 20, 21, 45, 200] {
                    let mut hay = vec![b' '; 2 * SEGMENT];
                    hay[boundary - before..boundary - before + len].fill(b'Q');
                    assert_eq!(found(&hay), naive(&hay), "boundary {boundary}, {before} before, length {len}");
                }
            }
        }
    }

    #[test]
    fn quoted_printable_soft_breaks_and_escapes() {
        let text = b"key: ghp_xWKkuACEm0FjwJ1vJm=\r\n1YiUQsSOolat3cVFkJ ok\nurl=3Dhttps://x?a=3Db more\n";
        let found = runs(text);
        let qp: Vec<&[u8]> =
            found.iter().filter(|r| r.encoding == "quoted-printable").map(|r| r.decoded.as_slice()).collect();
        assert_eq!(qp, [&b"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"[..], b"url=https://x?a=b"]); // keytrail:allow (fake, from the rule examples)
        assert_eq!(qp_decode(b"caf=C3=A9=\n"), Some("café".as_bytes().to_vec()));
        // Ordinary code: bare `=`, escapes of letters or digits, `=` before a space.
        for code in ["key=value", "TOKEN=ABCDEF0123", "id=4A6F", "let x =\n  y", "a=b=\nc"] {
            assert!(
                runs(code.as_bytes()).iter().all(|r| r.encoding != "quoted-printable"),
                "{code} decoded as quoted-printable"
            );
        }
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(br"sk\u002dabc\/x"), b"sk-abc/x");
        assert_eq!(html_unescape(b"a&amp;b&#x41;&#66;&bogus;"), b"a&bAB&bogus;");
    }
}
