//! The keywords of the block rules (PEM, PGP, PuTTY), found in any letter case at SIMD speed.
//!
//! A history scan asks of every changed blob whether a block rule's keyword lies in the
//! changed part or up to 64 KiB before it, so this search runs over more bytes than any
//! other. A case-insensitive automaton over a few keywords has no fast prefilter and reads
//! each byte. Instead, four bytes of each keyword are looked for in each of their letter
//! cases (at most 16 exact patterns a keyword, a vectorised search); where one is found,
//! the automaton looks for the keywords around it. Both answer alike: every occurrence of a
//! keyword, in any case, holds its four bytes in one of their cases.

use aho_corasick::packed::{self, Searcher};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Span};

use super::literals::Keywords;
use super::prefilter::automaton;

/// How many bytes of each keyword are searched for.
const PIECE: usize = 4;
/// The most patterns the vectorised search takes.
const MAX_PATTERNS: usize = 128;
/// Bytes of source code and prose, most frequent first: a keyword's piece is the four bytes
/// whose sum of ranks here is highest (bytes not listed rank above all).
const COMMON: &[u8] = b" e\ntarionslcdu_mph.fg()=,-b;y/\"':v*k0w1x2{}>[]<#\tq$j3z";

/// The keywords of the block rules, and the search that finds them.
#[derive(Debug)]
pub struct BlockKeywords {
    /// Every keyword, in any case.
    any_case: AhoCorasick,
    /// A piece of each keyword in each of its cases; None when a keyword is shorter than a
    /// piece or there would be too many patterns (the automaton then searches alone).
    pieces: Option<Searcher>,
    /// The longest keyword: how far around a piece the automaton looks.
    longest: usize,
}

impl BlockKeywords {
    /// None when there are no keywords or they make no automaton.
    pub fn new(keywords: &Keywords) -> Option<BlockKeywords> {
        if keywords.is_empty() {
            return None;
        }
        // A DFA: it is small for these few keywords.
        let any_case = automaton(keywords, AhoCorasickKind::DFA)
            .or_else(|_| automaton(keywords, AhoCorasickKind::ContiguousNFA))
            .ok()?;
        let longest = keywords.iter().map(<[u8]>::len).max().unwrap_or(0);
        Some(BlockKeywords { any_case, pieces: pieces(keywords), longest })
    }

    /// True when `hay` holds one of the keywords, in any letter case.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        let Some(pieces) = &self.pieces else { return self.any_case.is_match(hay) };
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = pieces.find_in(hay, Span::from(at..hay.len())) else { return false };
            let around = m.start().saturating_sub(self.longest)..hay.len().min(m.end() + self.longest);
            if self.any_case.is_match(&hay[around]) {
                return true;
            }
            at = m.start() + 1;
        }
        false
    }
}

/// The exact-case search for a piece of each keyword, in each of its letter cases.
fn pieces(keywords: &Keywords) -> Option<Searcher> {
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    for kw in keywords.iter() {
        let piece = rarest_piece(kw)?;
        patterns.extend(letter_cases(piece));
        if patterns.len() > MAX_PATTERNS {
            return None;
        }
    }
    patterns.sort();
    patterns.dedup();
    let mut builder = packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder();
    builder.extend(&patterns);
    builder.build()
}

/// The `PIECE` bytes of `kw` least common in text; None when `kw` is shorter.
fn rarest_piece(kw: &[u8]) -> Option<&[u8]> {
    let rank = |b: &u8| COMMON.iter().position(|c| c == &b.to_ascii_lowercase()).unwrap_or(COMMON.len());
    kw.windows(PIECE).max_by_key(|w| w.iter().map(rank).sum::<usize>())
}

/// `piece` in every combination of upper and lower case of its letters.
fn letter_cases(piece: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![piece.to_ascii_lowercase()];
    for (i, b) in piece.iter().enumerate().filter(|(_, b)| b.is_ascii_alphabetic()) {
        let upper: Vec<Vec<u8>> = out
            .iter()
            .map(|p| {
                let mut q = p.clone();
                q[i] = b.to_ascii_uppercase();
                q
            })
            .collect();
        out.extend(upper);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(list: &[&str]) -> Keywords {
        let mut k = Keywords::default();
        list.iter().for_each(|w| k.push(&w.to_ascii_lowercase()));
        k
    }

    #[test]
    fn a_piece_comes_in_every_letter_case() {
        let mut cases = letter_cases(b"e-Kv");
        cases.sort();
        assert_eq!(cases, [b"E-KV", b"E-Kv", b"E-kV", b"E-kv", b"e-KV", b"e-Kv", b"e-kV", b"e-kv"]);
        // Letters rare in text before common ones and spaces.
        assert_eq!(rarest_piece(b"begin openvpn static key"), Some(&b"nvpn"[..]));
        assert_eq!(rarest_piece(b"abc"), None);
    }

    /// The fast search says what the automaton alone says, on keywords in any case, cut at
    /// either end of the text, and on text full of their pieces.
    #[test]
    fn finds_what_the_automaton_finds() {
        let kws = keywords(&[
            "PRIVATE KEY-----",
            "BEGIN OPENSSH PRIVATE KEY",
            "BEGIN PGP PRIVATE KEY BLOCK",
            "PuTTY-User-Key-File-",
            "BEGIN OpenVPN Static key",
        ]);
        let fast = BlockKeywords::new(&kws).expect("builds");
        assert!(fast.pieces.is_some(), "the pieces make a vectorised search");
        let alone = &fast.any_case;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let words: Vec<&[u8]> = kws.iter().collect();
        let mut agreed = [0usize; 2];
        for _ in 0..3000 {
            let mut text: Vec<u8> = Vec::new();
            for _ in 0..next(40) {
                match next(5) {
                    0 => {
                        // A keyword, or most of one, in random letter case.
                        let w = words[next(words.len())];
                        let cut = if next(3) == 0 { next(w.len()) } else { w.len() };
                        text.extend(w[..cut].iter().map(|b| if next(2) == 0 { b.to_ascii_uppercase() } else { *b }));
                    }
                    1 => text.extend_from_slice(b"private void x(); // key ---- priv PuTTY vate"),
                    _ => text.extend_from_slice(b" some code = value;\n"),
                }
            }
            let from = next(text.len() + 1);
            let to = from + next(text.len() - from + 1);
            let hay = &text[from..to];
            let want = alone.is_match(hay);
            assert_eq!(fast.is_match(hay), want, "{:?}", String::from_utf8_lossy(hay));
            agreed[want as usize] += 1;
        }
        assert!(agreed[0] > 300 && agreed[1] > 300, "{agreed:?}");
    }

    #[test]
    fn short_keywords_leave_the_automaton_alone() {
        let fast = BlockKeywords::new(&keywords(&["PRIVATE KEY-----", "pgp"])).expect("builds");
        assert!(fast.pieces.is_none());
        assert!(fast.is_match(b"xx PGP xx") && !fast.is_match(b"xx pg p"));
    }
}
