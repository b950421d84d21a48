//! A changed blob scanned as its change: the lines it does not share with the blob it
//! replaced at the same path, and the lines around them, are scanned; the findings in the
//! shared lines are the earlier blob's, moved to where those lines now are.
//!
//! This is exact when each finding is decided by its own lines and `reach` lines around
//! them (the engine says so: no composite rules, no rule without keywords, and no keyword
//! of a block rule near the change). A finding is then either near the changed lines,
//! and found by the scan of the piece, which holds every line it depends on; or its lines
//! and the lines around them are all shared, and it is one of the earlier blob's findings.

use std::ops::Range;
use std::sync::Arc;

use super::trees::{common_prefix, common_suffix};
use crate::finding::{Finding, Span};
use crate::origin::Origin;

/// How a new blob differs from the old one it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The bytes of the new blob to scan: whole lines, the changed ones and `2 × reach`
    /// lines on each side.
    pub piece: Range<usize>,
    /// Lines of the new blob before the piece.
    piece_lines: u32,
    /// First changed line (1-based), the same in both blobs.
    first_changed: u32,
    /// First line of the shared tail (1-based) in the new blob and in the old one, and its
    /// first byte in each.
    tail_line: (u32, u32),
    tail_byte: (usize, usize),
    reach: u32,
}

/// Where `new` differs from `old`; None when the piece to scan would be most of `new`.
pub fn split(old: &[u8], new: &[u8], reach: u32) -> Option<Split> {
    let shared = common_prefix(old, new);
    // Whole lines only: the head ends after a line break both blobs have.
    let head = memchr::memrchr(b'\n', &new[..shared]).map_or(0, |i| i + 1);
    let room = old.len().min(new.len()) - head;
    let tail = common_suffix(old, new).min(room);
    // The tail starts after a line break inside the shared bytes (so both blobs have it).
    let tail_new = match memchr::memchr(b'\n', &new[new.len() - tail..]) {
        Some(i) => new.len() - tail + i + 1,
        None => new.len(),
    };
    let tail_old = old.len() - (new.len() - tail_new);
    let head_lines = count_lines(&new[..head]);
    let first_changed = head_lines + 1;
    let tail_line =
        (first_changed + count_lines(&new[head..tail_new]), first_changed + count_lines(&old[head..tail_old]));
    let around = 2 * reach as usize + 1;
    let start = back_lines(new, head, around);
    let end = forward_lines(new, tail_new, around);
    if (end - start) * 4 > new.len() * 3 {
        return None;
    }
    Some(Split {
        piece: start..end,
        piece_lines: head_lines - count_lines(&new[start..head]),
        first_changed,
        tail_line,
        tail_byte: (tail_new, tail_old),
        reach,
    })
}

impl Split {
    /// The findings of the piece that the change decides, positioned in the new blob; None
    /// when one spans lines (the blob must then be scanned whole).
    pub fn near_change(&self, found: Vec<Finding>) -> Option<Vec<Finding>> {
        let mut out = Vec::new();
        for mut f in found {
            if f.span.line != f.span.end_line {
                return None;
            }
            move_by(&mut f, i64::from(self.piece_lines), self.piece.start as i64);
            let in_head = f.span.end_line + self.reach < self.first_changed;
            let in_tail = f.span.line >= self.tail_line.0 + self.reach;
            if !in_head && !in_tail {
                out.push(f);
            }
        }
        Some(out)
    }

    /// The old blob's findings that lie, with the lines around them, in the shared head or
    /// tail, moved to the new blob (`origin`).
    pub fn carried(&self, old: &[Finding], origin: &Arc<Origin>) -> Vec<Finding> {
        let (lines, bytes) = (
            i64::from(self.tail_line.0) - i64::from(self.tail_line.1),
            self.tail_byte.0 as i64 - self.tail_byte.1 as i64,
        );
        let mut out = Vec::new();
        for g in old {
            let in_head = g.span.end_line + self.reach < self.first_changed;
            let in_tail = g.span.line >= self.tail_line.1 + self.reach;
            if !in_head && !in_tail {
                continue;
            }
            let mut f = g.clone();
            f.origin = Arc::clone(origin);
            if in_tail {
                move_by(&mut f, lines, bytes);
            }
            out.push(f);
        }
        out
    }
}

/// Moves a finding, and the partners found with it, by `lines` lines and `bytes` bytes.
fn move_by(f: &mut Finding, lines: i64, bytes: i64) {
    shift(&mut f.span, lines, bytes);
    for r in &mut f.related {
        shift(&mut r.span, lines, bytes);
    }
}

fn shift(s: &mut Span, lines: i64, bytes: i64) {
    let by = |v: u32| (i64::from(v) + lines) as u32;
    let at = |v: usize| (v as i64 + bytes) as usize;
    s.line = by(s.line);
    s.end_line = by(s.end_line);
    s.byte_start = at(s.byte_start);
    s.byte_end = at(s.byte_end);
}

fn count_lines(b: &[u8]) -> u32 {
    memchr::memchr_iter(b'\n', b).count() as u32
}

/// The start of the line `n` lines before the one starting at `at`.
fn back_lines(b: &[u8], at: usize, n: usize) -> usize {
    let mut pos = at;
    for _ in 0..n {
        if pos == 0 {
            return 0;
        }
        pos = memchr::memrchr(b'\n', &b[..pos - 1]).map_or(0, |i| i + 1);
    }
    pos
}

/// The end (after its line break) of the `n`-th line from `at`.
fn forward_lines(b: &[u8], at: usize, n: usize) -> usize {
    let mut pos = at;
    for _ in 0..n {
        match memchr::memchr(b'\n', &b[pos..]) {
            Some(i) => pos += i + 1,
            None => return b.len(),
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, tag: &str) -> String {
        (0..n).map(|i| format!("{tag} line {i}\n")).collect()
    }

    #[test]
    fn the_piece_is_the_changed_lines_and_their_neighbours() {
        let old = format!("{}changed old\n{}", lines(100, "a"), lines(100, "z"));
        let new = format!("{}changed new\nand one more\n{}", lines(100, "a"), lines(100, "z"));
        let s = split(old.as_bytes(), new.as_bytes(), 2).unwrap();
        let piece = &new[s.piece.clone()];
        // 5 lines before (2 × 2 + 1), the 2 changed ones, 5 after.
        assert_eq!(piece.lines().count(), 12, "{piece}");
        assert!(piece.starts_with("a line 95\n") && piece.ends_with("z line 4\n"), "{piece}");
        assert_eq!(s.first_changed, 101);
        assert_eq!(s.tail_line, (103, 102));
        assert_eq!(s.tail_byte.0 - s.tail_byte.1, "and one more\n".len());
        assert_eq!(s.piece_lines, 95);
    }

    #[test]
    fn edits_at_either_end_and_whole_rewrites() {
        let body = lines(50, "b");
        let s = split(format!("x\n{body}").as_bytes(), format!("y\n{body}").as_bytes(), 1).unwrap();
        assert_eq!(s.piece.start, 0);
        assert_eq!(s.first_changed, 1);
        let s = split(format!("{body}x").as_bytes(), format!("{body}y\n").as_bytes(), 1).unwrap();
        assert_eq!(s.piece.end, body.len() + 2);
        assert_eq!(split(lines(50, "p").as_bytes(), lines(50, "q").as_bytes(), 1), None);
        // A line that only grew: the shared bytes inside it are not a shared line.
        let s =
            split(format!("{body}key = abc\n{body}").as_bytes(), format!("{body}key = abcdef\n{body}").as_bytes(), 0)
                .unwrap();
        assert_eq!(s.first_changed, 51);
        assert_eq!(s.tail_line, (52, 52));
    }
}
