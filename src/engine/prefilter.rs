//! The keyword prefilter: one Aho-Corasick automaton over every rule's keywords (or, for small
//! scans, bucketed keyword lists), turning keyword hits into per-rule windows where the rule's
//! regex must run.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::blocks::BlockKeywords;
use super::literals::{Keywords, Literals};
use crate::rules::RuleSet;

/// How far around a keyword hit a single-line rule's regex looks on a very long line.
pub const LINE_REACH: usize = 4096;
/// Above this many keywords the prefilter is a contiguous NFA rather than a DFA.
const DFA_MAX_KEYWORDS: usize = 1000;
/// Past this many bytes searched with the contiguous NFA, a DFA of the same keywords is built
/// on another thread and takes over once it is ready.
const DFA_AFTER_BYTES: u64 = 32 << 20;
/// With more than DFA_MAX_KEYWORDS keywords, the first this many bytes of a scan are searched
/// without an automaton (see [`Literals`]); the automaton is built when a scan goes past.
const LITERALS_MAX_BYTES: u64 = 1 << 20;
/// How far after a keyword hit a multi-line rule's regex looks.
pub const MULTILINE_REACH: usize = 64 * 1024;

#[derive(Debug)]
pub struct Prefilter {
    /// The keyword automaton, built on first use (see `searcher`).
    ac: OnceLock<AhoCorasick>,
    kind: AhoCorasickKind,
    /// The distinct keywords, lower-cased; pattern `i` is `keywords.get(i)`.
    keywords: Arc<Keywords>,
    /// For many keywords: the searcher of small scans, and the bytes it has searched.
    literals: Option<(Literals, AtomicU64)>,
    /// The DFA that replaces a contiguous-NFA `ac` on large inputs.
    upgrade: Option<Arc<Upgrade>>,
    /// The indices of the rules that own pattern `p`: `owners[owner_starts[p]..owner_starts[p + 1]]`.
    owners: Vec<u32>,
    owner_starts: Vec<u32>,
    /// Rules with a regex and no keywords: they run over the whole blob.
    always: Vec<u32>,
    multiline: Vec<bool>,
    /// The keywords of the block rules alone (their matches may span any number of lines).
    multiline_keywords: Option<BlockKeywords>,
}

/// A DFA built in the background once a scan proves large: it searches about twice as fast
/// as the contiguous NFA but takes tens of milliseconds to build, too much for the start-up
/// of a small scan. Both find the same keyword hits.
#[derive(Debug)]
struct Upgrade {
    keywords: Arc<Keywords>,
    scanned: AtomicU64,
    started: AtomicBool,
    dfa: OnceLock<AhoCorasick>,
}

impl Upgrade {
    /// Counts `n` more bytes searched; starts the build when the total passes the mark.
    fn note(self: &Arc<Self>, n: usize) {
        let before = self.scanned.fetch_add(n as u64, Ordering::Relaxed);
        if before + n as u64 > DFA_AFTER_BYTES && !self.started.swap(true, Ordering::Relaxed) {
            let up = Arc::clone(self);
            // A failed spawn leaves the NFA in charge.
            let _ = std::thread::Builder::new().name("keyword-dfa".into()).spawn(move || {
                if let Ok(dfa) = automaton(&up.keywords, AhoCorasickKind::DFA) {
                    let _ = up.dfa.set(dfa);
                }
            });
        }
    }
}

pub(super) fn automaton(keywords: &Keywords, kind: AhoCorasickKind) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords.iter())
}

/// FNV-1a, for the keyword index (short keys from the rules, not from input).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What finds keyword hits: the keyword lists or an automaton; both find the same hits.
enum Searcher<'a> {
    Literals(&'a Literals),
    Automaton(&'a AhoCorasick),
}

/// A region of a blob where one rule's regex must run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub rule: u32,
    pub range: Range<usize>,
}

impl Prefilter {
    pub fn new(rules: &RuleSet) -> Prefilter {
        let mut keywords = Keywords::default();
        // (pattern, rule) for every keyword of every rule.
        let mut owners: Vec<(u32, u32)> = Vec::new();
        let mut index: HashMap<Cow<'_, str>, u32, BuildHasherDefault<Fnv>> =
            HashMap::with_capacity_and_hasher(2 * rules.rules.len(), Default::default());
        let mut always = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            if rule.regex_src.is_none() {
                continue;
            }
            if rule.info.keywords.is_empty() {
                always.push(i as u32);
                continue;
            }
            for kw in &rule.info.keywords {
                let kw = match kw.bytes().any(|b| b.is_ascii_uppercase()) {
                    true => Cow::Owned(kw.to_ascii_lowercase()),
                    false => Cow::Borrowed(kw.as_str()),
                };
                let next = keywords.len() as u32;
                let p = *index.entry(kw).or_insert_with_key(|k| {
                    keywords.push(k);
                    next
                });
                owners.push((p, i as u32));
            }
        }
        drop(index);
        owners.sort_unstable();
        owners.dedup();
        let mut owner_starts = vec![0u32; keywords.len() + 1];
        for &(p, _) in &owners {
            owner_starts[p as usize + 1] += 1;
        }
        for p in 0..keywords.len() {
            owner_starts[p + 1] += owner_starts[p];
        }
        let owners = owners.into_iter().map(|(_, r)| r).collect();
        // A DFA searches fastest but its build time and size grow with the keyword count
        // (about 5 MB and most of start-up at 1,700 keywords); past DFA_MAX_KEYWORDS the
        // contiguous NFA, five times quicker to build, is used, and only once a scan is
        // large enough to repay its build (a few milliseconds).
        let many = keywords.len() > DFA_MAX_KEYWORDS;
        let kind = if many { AhoCorasickKind::ContiguousNFA } else { AhoCorasickKind::DFA };
        let keywords = Arc::new(keywords);
        let literals = many.then(|| (Literals::new(Arc::clone(&keywords)), AtomicU64::new(0)));
        let upgrade = many.then(|| {
            Arc::new(Upgrade {
                keywords: Arc::clone(&keywords),
                scanned: AtomicU64::new(0),
                started: AtomicBool::new(false),
                dfa: OnceLock::new(),
            })
        });
        let multiline: Vec<bool> = rules.rules.iter().map(|r| r.multiline).collect();
        let mut spanning = Keywords::default();
        for r in rules.rules.iter().filter(|r| r.block && r.regex_src.is_some()) {
            for k in &r.info.keywords {
                spanning.push(&k.to_ascii_lowercase());
            }
        }
        let multiline_keywords = BlockKeywords::new(&spanning);
        Prefilter {
            ac: OnceLock::new(),
            kind,
            keywords,
            literals,
            upgrade,
            owners,
            owner_starts,
            always,
            multiline,
            multiline_keywords,
        }
    }

    /// The searcher for `len` more bytes: while a scan is small, the keyword lists; then the
    /// automaton (built by the first search that needs it; others wait for it); then the
    /// background DFA once it is built.
    fn searcher(&self, len: usize) -> Option<Searcher<'_>> {
        if self.keywords.is_empty() {
            return None;
        }
        if let Some((literals, searched)) = &self.literals
            && self.ac.get().is_none()
            && searched.fetch_add(len as u64, Ordering::Relaxed) + len as u64 <= LITERALS_MAX_BYTES
        {
            return Some(Searcher::Literals(literals));
        }
        let nfa = self.ac.get_or_init(|| {
            automaton(&self.keywords, self.kind)
                .or_else(|_| AhoCorasick::builder().ascii_case_insensitive(true).build(self.keywords.iter()))
                .expect("keyword automaton builds from plain literals")
        });
        let Some(up) = &self.upgrade else { return Some(Searcher::Automaton(nfa)) };
        if let Some(dfa) = up.dfa.get() {
            return Some(Searcher::Automaton(dfa));
        }
        up.note(len);
        Some(Searcher::Automaton(nfa))
    }

    /// True when every applicable rule's regex runs only on the lines around its keyword
    /// hits (no rule without keywords, which runs over the whole blob, applies).
    pub fn line_local(&self, applies: impl Fn(u32) -> bool) -> bool {
        !self.always.iter().any(|&r| applies(r))
    }

    /// True when `hay` holds a keyword of a block rule (a match may span many lines there).
    pub fn may_span_lines(&self, hay: &[u8]) -> bool {
        self.multiline_keywords.as_ref().is_some_and(|b| b.is_match(hay))
    }

    /// The number of distinct keywords in the automaton.
    pub fn keyword_count(&self) -> usize {
        self.keywords.len()
    }

    /// Appends to `out` the merged windows, sorted by rule then position, where each
    /// applicable rule's regex must run on `hay`. `applies(rule)` filters rules (e.g. by path).
    pub fn windows(&self, hay: &[u8], applies: impl Fn(u32) -> bool, out: &mut Vec<Window>) {
        out.clear();
        for &r in &self.always {
            if applies(r) {
                out.push(Window { rule: r, range: 0..hay.len() });
            }
        }
        let mut line: Range<usize> = 0..0;
        // The last window pushed for each rule: hits arrive in order, so a hit inside or
        // next to it extends it instead of adding a window (a megabyte of `aaaa` hitting a
        // keyword at every byte stays one window, not millions).
        let mut last: Vec<Option<usize>> = vec![None; self.multiline.len()];
        let mut hit = |start: usize, end: usize, pattern: usize| {
            if start < line.start || end > line.end || line.is_empty() {
                line = line_around(hay, start, end);
            }
            let owners = &self.owners[self.owner_starts[pattern] as usize..self.owner_starts[pattern + 1] as usize];
            for &r in owners {
                if !applies(r) {
                    continue;
                }
                let from = line.start.max(start.saturating_sub(LINE_REACH));
                let to = if self.multiline[r as usize] {
                    hay.len().min(end + MULTILINE_REACH)
                } else {
                    line.end.min(end + LINE_REACH)
                };
                match last[r as usize] {
                    Some(i) if out[i].range.start <= from && from <= out[i].range.end => {
                        out[i].range.end = out[i].range.end.max(to);
                    }
                    _ => {
                        last[r as usize] = Some(out.len());
                        out.push(Window { rule: r, range: from..to });
                    }
                }
            }
        };
        match self.searcher(hay.len()) {
            None => {}
            Some(Searcher::Automaton(ac)) => {
                for m in ac.find_overlapping_iter(hay) {
                    hit(m.start(), m.end(), m.pattern().as_usize());
                }
            }
            Some(Searcher::Literals(literals)) => {
                let mut hits = Vec::new();
                literals.find_overlapping(hay, &mut hits);
                for (start, end, pattern) in hits {
                    hit(start, end, pattern as usize);
                }
            }
        }
        merge(out);
    }
}

/// The line containing `start..end`, looking at most `LINE_REACH` bytes beyond it.
pub fn line_around(hay: &[u8], start: usize, end: usize) -> Range<usize> {
    let lo = start.saturating_sub(LINE_REACH);
    let ls = memchr::memrchr(b'\n', &hay[lo..start]).map_or(lo, |p| lo + p + 1);
    let hi = hay.len().min(end + LINE_REACH);
    let le = memchr::memchr(b'\n', &hay[end..hi]).map_or(hi, |p| end + p);
    ls..le
}

/// Sorts windows and merges overlapping or touching ones of the same rule.
fn merge(ws: &mut Vec<Window>) {
    ws.sort_unstable_by_key(|w| (w.rule, w.range.start));
    let mut w = 0;
    for i in 0..ws.len() {
        if w > 0 && ws[w - 1].rule == ws[i].rule && ws[i].range.start <= ws[w - 1].range.end {
            ws[w - 1].range.end = ws[w - 1].range.end.max(ws[i].range.end);
        } else {
            ws.swap(w, i);
            w += 1;
        }
    }
    ws.truncate(w);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_around_finds_line_bounds() {
        let hay = b"one\ntwo key three\nfour";
        assert_eq!(&hay[line_around(hay, 8, 11)], b"two key three");
        assert_eq!(&hay[line_around(hay, 0, 1)], b"one");
        assert_eq!(&hay[line_around(hay, 19, 20)], b"four");
    }

    #[test]
    fn the_keyword_lists_the_nfa_and_the_background_dfa_find_the_same_windows() {
        let rules = crate::rules::load_rules(&crate::rules::RuleOptions::default()).expect("built-in rules load");
        let pf = Prefilter::new(&rules);
        let up = pf.upgrade.as_ref().expect("the built-in keywords are past the DFA limit");
        let hay = b"export OPENAI_API_KEY=sk-proj-abc\npassword: hunter2\nAKIAIOSFODNN7EXAMPLE aws_secret\n\
            https://user:pw@db.internal/x ghp_ token = 'xoxb-1-2' contentful sendgrid SG.x.y";
        let mut by_lists = Vec::new();
        pf.windows(hay, |_| true, &mut by_lists);
        assert!(by_lists.len() > 5, "{by_lists:?}");
        assert!(pf.ac.get().is_none(), "a small scan builds no automaton");
        pf.ac.set(automaton(&pf.keywords, pf.kind).expect("NFA builds")).expect("not built yet");
        let mut by_nfa = Vec::new();
        pf.windows(hay, |_| true, &mut by_nfa);
        assert_eq!(by_lists, by_nfa);
        up.dfa.set(automaton(&up.keywords, AhoCorasickKind::DFA).expect("DFA builds")).expect("not built yet");
        let mut by_dfa = Vec::new();
        pf.windows(hay, |_| true, &mut by_dfa);
        assert_eq!(by_nfa, by_dfa);
    }

    #[test]
    fn a_large_scan_builds_the_automaton() {
        let rules = crate::rules::load_rules(&crate::rules::RuleOptions::default()).expect("built-in rules load");
        let pf = Prefilter::new(&rules);
        let mut hay = b"token = 'xoxb-1-2' sendgrid\n".repeat(1000);
        let mut small = Vec::new();
        pf.windows(&hay, |_| true, &mut small);
        assert!(pf.ac.get().is_none());
        hay.resize(LITERALS_MAX_BYTES as usize + 1, b' ');
        let mut large = Vec::new();
        pf.windows(&hay, |_| true, &mut large);
        assert!(pf.ac.get().is_some(), "past the limit the automaton takes over");
        // The same hits (multi-line rules' windows reach further into the longer text).
        let rules_of = |ws: &[Window]| ws.iter().map(|w| (w.rule, w.range.start)).collect::<Vec<_>>();
        assert_eq!(rules_of(&small), rules_of(&large));
    }

    #[test]
    fn merge_joins_overlapping_windows_per_rule() {
        let mut ws = vec![
            Window { rule: 1, range: 5..10 },
            Window { rule: 0, range: 0..4 },
            Window { rule: 1, range: 0..6 },
            Window { rule: 1, range: 20..30 },
        ];
        merge(&mut ws);
        assert_eq!(
            ws,
            vec![Window { rule: 0, range: 0..4 }, Window { rule: 1, range: 0..10 }, Window { rule: 1, range: 20..30 }]
        );
    }
}
