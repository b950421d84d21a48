//! Broken copies of a key: the whitespace, line breaks, quote markers and invisible characters
//! that split a pasted key, recognised as gaps, and text with such gaps joined for rule matching.

use std::ops::Range;

/// The longest gap between two pieces of a broken copy (a line break with a deep quote marker
/// and indentation fits; a paragraph of blank lines does not).
pub const MAX_GAP: usize = 32;

/// Length of the invisible character (zero-width space, joiners, word joiner, BOM, soft hyphen,
/// NBSP) starting at `hay[i]`, if any.
fn invisible_at(hay: &[u8], i: usize) -> usize {
    match hay.get(i..i + 2) {
        Some([0xC2, 0xA0 | 0xAD]) => 2,
        Some([0xE2, 0x80]) if matches!(hay.get(i + 2), Some(0x8B..=0x8D)) => 3,
        Some([0xE2, 0x81]) if hay.get(i + 2) == Some(&0xA0) => 3,
        Some([0xEF, 0xBB]) if hay.get(i + 2) == Some(&0xBF) => 3,
        _ => 0,
    }
}

/// Length of the invisible character ending just before `end`, if any.
fn invisible_before(hay: &[u8], end: usize) -> usize {
    for n in [2, 3] {
        if end >= n && invisible_at(hay, end - n) == n {
            return n;
        }
    }
    0
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_quote_mark(b: u8) -> bool {
    matches!(b, b'>' | b'|' | b' ' | b'\t')
}

/// Bytes of the gap starting at `start`: whitespace and invisible characters, and after a line
/// break a quote marker (`> `, `> > `, `| `). 0 when `hay[start]` is not a gap; `None` when the
/// gap is longer than [`MAX_GAP`].
pub fn gap_after(hay: &[u8], start: usize) -> Option<usize> {
    let mut p = start;
    while p < hay.len() && p - start <= MAX_GAP {
        let b = hay[p];
        if b == b'\n' {
            p += 1;
            while p < hay.len() && is_quote_mark(hay[p]) {
                p += 1;
            }
        } else if is_space(b) {
            p += 1;
        } else {
            match invisible_at(hay, p) {
                0 => break,
                n => p += n,
            }
        }
    }
    (p - start <= MAX_GAP).then_some(p - start)
}

/// Bytes of the gap ending just before `end` (as [`gap_after`], walking backwards). A `>` or
/// `|` is part of it only as a quote marker: between a line break and the end.
pub fn gap_before(hay: &[u8], end: usize) -> Option<usize> {
    let mut p = end;
    while p > 0 && end - p <= MAX_GAP {
        let b = hay[p - 1];
        if is_space(b) {
            p -= 1;
        } else if b == b'>' || b == b'|' {
            let mut q = p - 1;
            while q > 0 && is_quote_mark(hay[q - 1]) {
                q -= 1;
            }
            if q > 0 && hay[q - 1] == b'\n' {
                p = q;
            } else {
                break;
            }
        } else {
            match invisible_before(hay, p) {
                0 => break,
                n => p -= n,
            }
        }
    }
    (end - p <= MAX_GAP).then_some(end - p)
}

/// A byte that can be part of a gap (a cheap test before walking one).
pub fn may_gap(b: u8) -> bool {
    is_space(b) || b == b'>' || b == b'|' || b >= 0xC2
}

/// A key collected by walking over gaps: its bytes without the gaps, the span of the whole
/// broken copy, and whether any gap was crossed.
pub struct Collected {
    pub span: Range<usize>,
    pub broken: bool,
}

/// Collects `len` key bytes into `buf` that end at `end`, walking backwards over gaps.
/// `None` when the bytes run out or a gap is too long.
pub fn collect_back(hay: &[u8], end: usize, len: usize, buf: &mut Vec<u8>) -> Option<Collected> {
    buf.clear();
    let mut p = end;
    let mut broken = false;
    while buf.len() < len {
        let g = gap_before(hay, p)?;
        if g > 0 {
            if buf.is_empty() {
                return None;
            }
            broken = true;
            p -= g;
        }
        if p == 0 {
            return None;
        }
        buf.push(hay[p - 1]);
        p -= 1;
    }
    buf.reverse();
    Some(Collected { span: p..end, broken })
}

/// Collects `len` key bytes into `buf` that start at `start`, walking forwards over gaps.
pub fn collect_forward(hay: &[u8], start: usize, len: usize, buf: &mut Vec<u8>) -> Option<Collected> {
    buf.clear();
    let mut p = start;
    let mut broken = false;
    while buf.len() < len {
        let g = gap_after(hay, p)?;
        if g > 0 {
            if buf.is_empty() {
                return None;
            }
            broken = true;
            p += g;
        }
        let &b = hay.get(p)?;
        buf.push(b);
        p += 1;
    }
    Some(Collected { span: start..p, broken })
}

/// Text with gaps joined, and where each removed gap was.
pub struct Joined {
    pub bytes: Vec<u8>,
    /// (offset in `bytes` where a gap was removed, original bytes removed there), in order.
    removed: Vec<(usize, usize)>,
}

impl Joined {
    /// The original byte range of `joined` (a range of `self.bytes`).
    pub fn original(&self, joined: Range<usize>) -> Range<usize> {
        let shift = |at: usize| self.removed.iter().take_while(|(j, _)| *j <= at).map(|(_, n)| n).sum::<usize>();
        let start = joined.start + shift(joined.start);
        let end = if joined.end > joined.start { joined.end - 1 + shift(joined.end - 1) + 1 } else { start };
        start..end
    }

    /// True when a gap was removed strictly inside `joined`.
    pub fn crosses_gap(&self, joined: &Range<usize>) -> bool {
        self.removed.iter().any(|(j, _)| joined.start < *j && *j < joined.end)
    }
}

/// Characters a key is made of, for deciding whether a line break splits one.
fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'/' | b'=')
}

/// `text` with the gaps that split a token removed, for rule matching: invisible characters
/// anywhere between key characters, and line breaks (with the quote marker that continues
/// the line) between two key characters. Spaces within a line are kept: they end words in
/// prose. `None` when nothing was removed.
pub fn join_for_rules(text: &[u8]) -> Option<Joined> {
    if !text.iter().any(|&b| b == b'\n' || b >= 0xC2) {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        let prev_key = bytes.last().is_some_and(|&p| is_key_char(p));
        if prev_key && (b == b'\n' || b == b'\r' || invisible_at(text, i) > 0) {
            let g = gap_after(text, i).unwrap_or(0);
            let gap = &text[i..i + g];
            let next_key = text.get(i + g).is_some_and(|&c| is_key_char(c));
            // A line break between two parts of a token, or invisible characters alone.
            let joins = if gap.contains(&b'\n') { wrapped_line(text, i) } else { gap.iter().all(|&c| c >= 0x80) };
            if g > 0 && next_key && joins {
                removed.push((bytes.len(), g));
                i += g;
                continue;
            }
        }
        bytes.push(b);
        i += 1;
    }
    (!removed.is_empty()).then_some(Joined { bytes, removed })
}

/// True when the line ending at `at` (a line break) looks hard-wrapped inside a token: it is
/// as long as wrapped lines are (40 to 120 bytes, quote marker excluded) and its last word
/// has at least 8 characters. Short prose lines and long unwrapped lines are left alone.
fn wrapped_line(text: &[u8], at: usize) -> bool {
    let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
    let line = &text[start..at];
    let marker = line.iter().take_while(|&&c| is_quote_mark(c)).count();
    let word = line.iter().rev().take_while(|&&c| is_key_char(c)).count();
    (40..=120).contains(&(line.len() - marker)) && word >= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_forward_and_backward() {
        let t = "abc\n> > def\u{200B}ghi jkl>m".as_bytes();
        assert_eq!(gap_after(t, 3), Some(5));
        assert_eq!(gap_before(t, 8), Some(5));
        assert_eq!(gap_after(t, 11), Some(3));
        assert_eq!(gap_before(t, 14), Some(3));
        assert_eq!(gap_before(t, 18), Some(1));
        // `>` inside a line is no quote marker.
        assert_eq!(gap_before(t, 22), Some(0));
        assert_eq!(gap_after(&[b' '; 40], 0), None);
    }

    #[test]
    fn collects_a_key_across_gaps() {
        let t = "key: abcd\n> efgh\u{00AD}ij done".as_bytes();
        let mut buf = Vec::new();
        let end = t.len() - 5;
        let c = collect_back(t, end, 10, &mut buf).unwrap();
        assert_eq!(buf, b"abcdefghij");
        assert!(c.broken);
        assert_eq!(&t[c.span.clone()], "abcd\n> efgh\u{00AD}ij".as_bytes());
        let f = collect_forward(t, 5, 10, &mut buf).unwrap();
        assert_eq!(buf, b"abcdefghij");
        assert_eq!(f.span, c.span);
        let whole = collect_back(t, 9, 4, &mut buf).unwrap();
        assert!(!whole.broken);
    }

    #[test]
    fn joins_wrapped_tokens_but_not_prose() {
        let t = "the token we use for all deploys is ghp_abcdefghij\n> klmnop and\nthen more\u{200B}x".as_bytes();
        let j = join_for_rules(t).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&j.bytes),
            "the token we use for all deploys is ghp_abcdefghijklmnop and\nthen morex"
        );
        let at = 36..56;
        assert_eq!(&t[j.original(at.clone())], "ghp_abcdefghij\n> klmnop".as_bytes());
        assert!(j.crosses_gap(&at));
        assert!(!j.crosses_gap(&(0..5)));
        assert!(join_for_rules(b"plain line\nanother").is_none());
        // A long unwrapped line (a pasted env file) is not joined to the next.
        let env = format!("OPENAI_API_KEY=sk-{}\nGITHUB_TOKEN=x", "a".repeat(150));
        assert!(join_for_rules(env.as_bytes()).is_none());
    }
}
