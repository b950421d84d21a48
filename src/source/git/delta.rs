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

/// Shared runs looked for in one blob's changed bytes, at most.
const MAX_RUNS: usize = 32;
/// How deep the search for shared runs splits the changed bytes.
const MAX_DEPTH: u32 = 8;
/// Changed bytes shorter than this are not searched for shared runs.
const MIN_REGION: usize = 2048;
/// The lines looked for in the old blob are at least this long (with their line breaks),
/// so that they are not a brace or a blank line found anywhere.
const MIN_ANCHOR: usize = 24;

/// How a new blob differs from the old one it replaced: the runs of lines they share, in
/// order, and the pieces of the new blob to scan between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Whole lines of the new blob: each stretch of changed lines with `2 × reach + 1`
    /// lines on each side, in order, apart from each other.
    pieces: Vec<Piece>,
    /// The shared runs, in order in both blobs; the first starts each blob and the last
    /// ends it (either may be empty).
    runs: Vec<Run>,
    reach: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    bytes: Range<usize>,
    /// Lines of the new blob before the piece.
    lines_before: u32,
}

/// Whole lines both blobs hold, byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// First byte in the new blob and in the old one.
    byte: (usize, usize),
    len: usize,
    /// First line (1-based) in the new blob and in the old one.
    line: (u32, u32),
    lines: u32,
}

impl Run {
    /// Whether a finding on lines `first..=last` of one blob lies in the run with `reach`
    /// lines on each side: it is then decided by shared lines alone. A run that starts or
    /// ends the blobs has the same start or end of the blob as its edge.
    fn holds(&self, first: u32, last: u32, old: bool, reach: u32, at_end: bool) -> bool {
        let start = if old { self.line.1 } else { self.line.0 };
        let at_start = self.byte == (0, 0);
        self.len > 0
            && first >= start
            && (at_start || first >= start + reach)
            && (at_end || last + reach < start + self.lines)
    }
}

/// Where `new` differs from `old`; None when the pieces to scan would be most of `new`.
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
    let around = 2 * reach as usize + 1;
    // (start in new, start in old, length) of each shared run.
    let mut spans = vec![(0, 0, head)];
    find_runs(old, new, head..tail_old, head..tail_new, 2 * around, &mut spans, MAX_DEPTH);
    spans.push((tail_new, tail_old, new.len() - tail_new));
    spans.sort_unstable();
    let mut runs: Vec<Run> = Vec::with_capacity(spans.len());
    let (mut at_new, mut lines_new, mut at_old, mut lines_old) = (0, 0, 0, 0);
    for (n, o, len) in spans {
        if let Some(last) = runs.last_mut()
            && last.byte.0 + last.len == n
            && last.byte.1 + last.len == o
        {
            last.len += len;
            last.lines += count_lines(&new[n..n + len]);
            continue;
        }
        lines_new += count_lines(&new[at_new..n]);
        lines_old += count_lines(&old[at_old..o]);
        (at_new, at_old) = (n, o);
        runs.push(Run {
            byte: (n, o),
            len,
            line: (lines_new + 1, lines_old + 1),
            lines: count_lines(&new[n..n + len]),
        });
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let (mut at, mut lines) = (0, 0);
    for pair in runs.windows(2) {
        let bytes = back_lines(new, pair[0].byte.0 + pair[0].len, around)..forward_lines(new, pair[1].byte.0, around);
        match pieces.last_mut() {
            Some(last) if bytes.start <= last.bytes.end => last.bytes.end = last.bytes.end.max(bytes.end),
            _ => {
                lines += count_lines(&new[at..bytes.start]);
                at = bytes.start;
                pieces.push(Piece { bytes, lines_before: lines });
            }
        }
    }
    let scanned: usize = pieces.iter().map(|p| p.bytes.len()).sum();
    if scanned * 4 > new.len() * 3 {
        return None;
    }
    Some(Split { pieces, runs, reach })
}

/// Adds to `out` the runs of at least `min_lines` whole lines that `old[o]` and `new[n]`
/// share, found around a few lines of `new[n]` looked up in `old[o]`; `o` and `n` start on a
/// line in their blob. Each run found splits the search into the bytes before it and the
/// bytes after it, so the runs are in the same order in both blobs.
fn find_runs(
    old: &[u8],
    new: &[u8],
    o: Range<usize>,
    n: Range<usize>,
    min_lines: usize,
    out: &mut Vec<(usize, usize, usize)>,
    depth: u32,
) {
    if depth == 0 || out.len() >= MAX_RUNS || n.len() < MIN_REGION || o.len() < MIN_REGION {
        return;
    }
    let line_start = |b: &[u8], at: usize| at == 0 || b[at - 1] == b'\n';
    for quarter in [2, 1, 3] {
        // The first whole line from a quarter of the way into `new[n]`.
        let at = n.start + n.len() * quarter / 4;
        let Some(ls) = memchr::memchr(b'\n', &new[at - 1..n.end]).map(|i| at + i) else { continue };
        // Whole lines, as few as make `MIN_ANCHOR` bytes.
        let mut le = ls;
        while le - ls < MIN_ANCHOR {
            match memchr::memchr(b'\n', &new[le..n.end]) {
                Some(i) => le += i + 1,
                None => break,
            }
        }
        if le - ls < MIN_ANCHOR {
            continue;
        }
        let line = &new[ls..le];
        let finder = memchr::memmem::Finder::new(line);
        let mut from = o.start;
        let p = loop {
            match finder.find(&old[from..o.end]) {
                Some(i) if line_start(old, from + i) => break Some(from + i),
                Some(i) => from += i + 1,
                None => break None,
            }
        };
        let Some(p) = p else { continue };
        // The shared bytes around the line, cut to whole lines of both blobs.
        let back = common_suffix(&old[o.start..p], &new[n.start..ls]);
        let fwd = common_prefix(&old[p..o.end], &new[ls..n.end]);
        let mut start = ls - back;
        if !(line_start(new, start) && line_start(old, p - back)) {
            start = memchr::memchr(b'\n', &new[start..ls]).map_or(ls, |i| start + i + 1);
        }
        let end = memchr::memrchr(b'\n', &new[ls..ls + fwd]).map_or(le, |i| ls + i + 1);
        let (start_old, end_old) = (p - (ls - start), p + (end - ls));
        if (count_lines(&new[start..end]) as usize) < min_lines {
            continue;
        }
        out.push((start, start_old, end - start));
        find_runs(old, new, o.start..start_old, n.start..start, min_lines, out, depth - 1);
        find_runs(old, new, end_old..o.end, end..n.end, min_lines, out, depth - 1);
        return;
    }
}

impl Split {
    /// The bytes of the new blob to scan, each as a piece of its own.
    pub fn pieces(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.pieces.iter().map(|p| p.bytes.clone())
    }

    /// The findings of the pieces (in the order of [`Split::pieces`]) that the change
    /// decides, positioned in the new blob; None when one spans lines (the blob must then
    /// be scanned whole).
    pub fn near_change(&self, found: impl IntoIterator<Item = Vec<Finding>>) -> Option<Vec<Finding>> {
        let mut out = Vec::new();
        for (piece, found) in self.pieces.iter().zip(found) {
            for mut f in found {
                if f.span.line != f.span.end_line {
                    return None;
                }
                move_by(&mut f, i64::from(piece.lines_before), piece.bytes.start as i64);
                if self.run_holding(f.span.line, f.span.end_line, false).is_none() {
                    out.push(f);
                }
            }
        }
        Some(out)
    }

    /// The run that holds a finding on lines `first..=last` of the old blob or the new one.
    fn run_holding(&self, first: u32, last: u32, old: bool) -> Option<&Run> {
        let line = |r: &Run| if old { r.line.1 } else { r.line.0 };
        let i = self.runs.partition_point(|r| line(r) <= first).checked_sub(1)?;
        let run = &self.runs[i];
        run.holds(first, last, old, self.reach, i + 1 == self.runs.len()).then_some(run)
    }

    /// The old blob's findings that lie, with the lines around them, in a shared run,
    /// moved to the new blob (`origin`).
    pub fn carried(&self, old: &[Finding], origin: &Arc<Origin>) -> Vec<Finding> {
        let mut out = Vec::new();
        for g in old {
            let Some(run) = self.run_holding(g.span.line, g.span.end_line, true) else { continue };
            let mut f = g.clone();
            f.origin = Arc::clone(origin);
            move_by(&mut f, i64::from(run.line.0) - i64::from(run.line.1), run.byte.0 as i64 - run.byte.1 as i64);
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

    fn pieces<'a>(s: &Split, new: &'a str) -> Vec<&'a str> {
        s.pieces().map(|p| &new[p]).collect()
    }

    #[test]
    fn the_piece_is_the_changed_lines_and_their_neighbours() {
        let old = format!("{}changed old\n{}", lines(100, "a"), lines(100, "z"));
        let new = format!("{}changed new\nand one more\n{}", lines(100, "a"), lines(100, "z"));
        let s = split(old.as_bytes(), new.as_bytes(), 2).unwrap();
        let [piece] = pieces(&s, &new)[..] else { panic!("{s:?}") };
        // 5 lines before (2 × 2 + 1), the 2 changed ones, 5 after.
        assert_eq!(piece.lines().count(), 12, "{piece}");
        assert!(piece.starts_with("a line 95\n") && piece.ends_with("z line 4\n"), "{piece}");
        assert_eq!(s.pieces[0].lines_before, 95);
        let [head, tail] = s.runs[..] else { panic!("{s:?}") };
        assert_eq!((head.line, head.lines), ((1, 1), 100));
        assert_eq!((tail.line, tail.lines), ((103, 102), 100));
        assert_eq!(tail.byte.0 - tail.byte.1, "and one more\n".len());
    }

    #[test]
    fn edits_at_either_end_and_whole_rewrites() {
        let body = lines(50, "b");
        let s = split(format!("x\n{body}").as_bytes(), format!("y\n{body}").as_bytes(), 1).unwrap();
        assert_eq!(s.pieces().next().unwrap().start, 0);
        assert_eq!(s.runs[0].lines, 0);
        let s = split(format!("{body}x").as_bytes(), format!("{body}y\n").as_bytes(), 1).unwrap();
        assert_eq!(s.pieces().last().unwrap().end, body.len() + 2);
        assert_eq!(split(lines(50, "p").as_bytes(), lines(50, "q").as_bytes(), 1), None);
        // A line that only grew: the shared bytes inside it are not a shared line.
        let s =
            split(format!("{body}key = abc\n{body}").as_bytes(), format!("{body}key = abcdef\n{body}").as_bytes(), 0)
                .unwrap();
        assert_eq!(s.runs[0].lines, 50);
        assert_eq!(s.runs[1].line, (52, 52));
    }

    #[test]
    fn edits_far_apart_are_pieces_of_their_own() {
        let (a, m, z) = (lines(100, "a"), lines(300, "m"), lines(100, "z"));
        let old = format!("{a}first old\n{m}second old\n{z}");
        // Two lines out at the first edit, one in at the second.
        let new = format!("{a}first new\n{}second new\nadded\n{z}", &m[m.find("m line 2\n").unwrap()..]);
        let s = split(old.as_bytes(), new.as_bytes(), 2).unwrap();
        let got = pieces(&s, &new);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0].starts_with("a line 95\n") && got[0].ends_with("m line 6\n"), "{}", got[0]);
        assert!(got[1].starts_with("m line 295\n") && got[1].ends_with("z line 4\n"), "{}", got[1]);
        let mid = s.runs[1];
        assert_eq!(&new[mid.byte.0..mid.byte.0 + mid.len], &m[m.find("m line 2\n").unwrap()..]);
        assert_eq!(&old[mid.byte.1..mid.byte.1 + mid.len], &new[mid.byte.0..mid.byte.0 + mid.len]);
        assert_eq!((mid.line, mid.lines), ((102, 104), 298));
        let tail = s.runs[2];
        assert_eq!(tail.line, (402, 403));
        // The runs hold what they share and no line near a change.
        assert!(s.run_holding(150, 150, false).is_some_and(|r| r.line == mid.line));
        assert!(s.run_holding(150, 150, true).is_some_and(|r| r.line == mid.line));
        assert!(s.run_holding(103, 103, false).is_none());
        assert!(s.run_holding(397, 397, false).is_some());
        assert!(s.run_holding(398, 398, false).is_none());
        assert!(s.run_holding(404, 404, false).is_some_and(|r| r.line == tail.line));
        assert!(s.run_holding(403, 403, false).is_none());
    }

    #[test]
    fn lines_found_at_another_place_still_give_shared_runs() {
        // The same line everywhere: whichever copy is found, a run is bytes both blobs hold.
        let same = "the same line, again and again\n".repeat(400);
        let old = format!("{same}x\n{same}");
        let new = format!("{same}y\n{same}z\n");
        let s = split(old.as_bytes(), new.as_bytes(), 1).unwrap();
        for r in &s.runs {
            assert_eq!(&old.as_bytes()[r.byte.1..r.byte.1 + r.len], &new.as_bytes()[r.byte.0..r.byte.0 + r.len]);
        }
        assert!(
            s.runs.windows(2).all(|w| w[0].byte.0 + w[0].len <= w[1].byte.0 && w[0].byte.1 + w[0].len <= w[1].byte.1)
        );
    }
}
