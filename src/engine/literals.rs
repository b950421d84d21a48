//! A keyword searcher that costs next to nothing to build, for scans too small to repay an automaton.
//!
//! Building the Aho-Corasick automaton over two thousand keywords takes several
//! milliseconds, most of the start-up of a scan of one file or of a commit's staged changes.
//! This searcher is built in a fraction of that: keywords are bucketed by a hash of their
//! first three bytes (lower-cased), and each position of the haystack looks up its bucket.
//! It is several times slower per byte than the automaton, so the prefilter switches to the
//! automaton once a scan has searched enough bytes to pay for building it. Both report the
//! same hits in the same order (see [`Literals::find_overlapping`]).

use std::sync::Arc;

/// Hash buckets of the three-byte heads (a power of two).
const BUCKETS: usize = 4096;

/// Distinct keywords, lower-cased, in one buffer: keyword (automaton pattern) `i` is `get(i)`.
#[derive(Debug, Default)]
pub struct Keywords {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Keywords {
    pub fn push(&mut self, keyword: &str) {
        self.bytes.extend_from_slice(keyword.as_bytes());
        self.ends.push(self.bytes.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Keywords (lower-cased ASCII, compared ASCII case-insensitively) bucketed by their heads.
#[derive(Debug)]
pub struct Literals {
    keywords: Arc<Keywords>,
    /// Bit `b0 << 8 | b1` is set when some keyword of three bytes or more starts with those
    /// two (lower-cased) bytes: a quick rejection before the bucket is read.
    pairs: Box<[u64; 1024]>,
    /// `ids[starts[h]..starts[h + 1]]` are the keywords whose head hashes to `h`.
    starts: Vec<u32>,
    ids: Vec<u32>,
    /// Keywords shorter than three bytes, checked at every position.
    short: Vec<u32>,
}

fn head(b0: u8, b1: u8, b2: u8) -> usize {
    let h = (u32::from(b0) << 16 | u32::from(b1) << 8 | u32::from(b2)).wrapping_mul(0x9E37_79B1);
    (h >> 20) as usize & (BUCKETS - 1)
}

impl Literals {
    /// `keywords` are lower-cased (ASCII), as the automaton's patterns are.
    pub fn new(keywords: Arc<Keywords>) -> Literals {
        let mut pairs = Box::new([0u64; 1024]);
        let mut counts = vec![0u32; BUCKETS + 1];
        let mut short = Vec::new();
        let mut heads = Vec::with_capacity(keywords.len());
        for (i, k) in keywords.iter().enumerate() {
            if k.len() < 3 {
                short.push(i as u32);
                heads.push(None);
                continue;
            }
            let (b0, b1, b2) = (k[0].to_ascii_lowercase(), k[1].to_ascii_lowercase(), k[2].to_ascii_lowercase());
            let pair = usize::from(b0) << 8 | usize::from(b1);
            pairs[pair >> 6] |= 1 << (pair & 63);
            let h = head(b0, b1, b2);
            counts[h + 1] += 1;
            heads.push(Some(h));
        }
        for h in 0..BUCKETS {
            counts[h + 1] += counts[h];
        }
        let mut next = counts.clone();
        let mut ids = vec![0u32; counts[BUCKETS] as usize];
        for (i, h) in heads.iter().enumerate() {
            if let Some(h) = *h {
                ids[next[h] as usize] = i as u32;
                next[h] += 1;
            }
        }
        Literals { keywords, pairs, starts: counts, ids, short }
    }

    /// Every occurrence of every keyword in `hay` as (start, end, pattern), overlapping ones
    /// included, in the order the automaton's overlapping search reports them: by end, and
    /// at the same end the longer keyword first.
    pub fn find_overlapping(&self, hay: &[u8], out: &mut Vec<(usize, usize, u32)>) {
        out.clear();
        let n = hay.len();
        for i in 0..n {
            for &id in &self.short {
                self.check(hay, i, id, out);
            }
            if i + 3 > n {
                continue;
            }
            let (b0, b1) = (hay[i].to_ascii_lowercase(), hay[i + 1].to_ascii_lowercase());
            let pair = usize::from(b0) << 8 | usize::from(b1);
            if self.pairs[pair >> 6] & (1 << (pair & 63)) == 0 {
                continue;
            }
            let h = head(b0, b1, hay[i + 2].to_ascii_lowercase());
            for &id in &self.ids[self.starts[h] as usize..self.starts[h + 1] as usize] {
                self.check(hay, i, id, out);
            }
        }
        out.sort_unstable_by_key(|&(start, end, _)| (end, start));
    }

    fn check(&self, hay: &[u8], at: usize, id: u32, out: &mut Vec<(usize, usize, u32)>) {
        let k = self.keywords.get(id as usize);
        if let Some(text) = hay.get(at..at + k.len())
            && text.eq_ignore_ascii_case(k)
        {
            out.push((at, at + k.len(), id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

    fn list(keywords: &[String]) -> Keywords {
        let mut list = Keywords::default();
        for k in keywords {
            list.push(k);
        }
        list
    }

    fn by_automaton(keywords: &[String], hay: &[u8]) -> Vec<(usize, usize, u32)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(keywords)
            .unwrap();
        ac.find_overlapping_iter(hay).map(|m| (m.start(), m.end(), m.pattern().as_u32())).collect()
    }

    #[test]
    fn finds_what_the_automaton_finds_in_its_order() {
        let keywords: Vec<String> =
            ["a", "ab", "abc", "bc", "abcd", "cd", "key", "api_key", "apikey", "é=", "aaa", "token", "sk-", "k"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let hays: [&[u8]; 5] = [
            b"",
            b"ABCD abcd aBcD aaaaa API_KEY=xyz apikey Token sk-proj",
            b"\xc3\xa9=\xc3\xa9= \xc3\x89= \xe9= key",
            b"ab",
            b"k",
        ];
        let lits = Literals::new(Arc::new(list(&keywords)));
        let mut out = Vec::new();
        for hay in hays {
            lits.find_overlapping(hay, &mut out);
            assert_eq!(out, by_automaton(&keywords, hay), "{:?}", String::from_utf8_lossy(hay));
        }
    }

    #[test]
    fn finds_what_the_automaton_finds_with_the_built_in_keywords() {
        let rules = crate::rules::load_rules(&crate::rules::RuleOptions { lean: true, ..Default::default() })
            .expect("built-in rules load");
        let mut keywords: Vec<String> =
            rules.rules.iter().flat_map(|r| r.info.keywords.iter().map(|k| k.to_ascii_lowercase())).collect();
        keywords.sort();
        keywords.dedup();
        // Every keyword, in three letter cases, run together and apart, plus some ordinary text.
        let mut hay = Vec::new();
        for (i, k) in keywords.iter().enumerate() {
            let text = match i % 3 {
                0 => k.clone(),
                1 => k.to_ascii_uppercase(),
                _ => k.chars().enumerate().map(|(j, c)| if j % 2 == 0 { c.to_ascii_uppercase() } else { c }).collect(),
            };
            hay.extend_from_slice(text.as_bytes());
            hay.extend_from_slice(if i % 5 == 0 {
                b"\n"
            } else if i % 2 == 0 {
                b"="
            } else {
                b""
            });
        }
        hay.extend_from_slice(include_bytes!("mod.rs"));
        let lits = Literals::new(Arc::new(list(&keywords)));
        let mut out = Vec::new();
        lits.find_overlapping(&hay, &mut out);
        let want = by_automaton(&keywords, &hay);
        assert!(want.len() > keywords.len(), "{}", want.len());
        assert_eq!(out, want);
    }
}
