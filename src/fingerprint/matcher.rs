//! Finding fingerprinted keys in bytes: candidate windows at token boundaries, keyed-hashed
//! and looked up. Hints and prefixes anchor candidates through Aho-Corasick, so the cost
//! grows with the bytes scanned, not with the number of fingerprints.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{FingerprintFile, KeyPrint};
use crate::finding::Finding;
use crate::origin::Blob;
use crate::rules::{Confidence, RuleInfo, Severity};
use crate::sink::Detector;

/// One fingerprinted key ready for matching.
#[derive(Debug)]
struct Entry {
    salt: u32,
    len: usize,
    info: Arc<RuleInfo>,
    print: KeyPrint,
}

/// An automaton over anchors (hints or prefixes) and, per anchor, the entries using it.
#[derive(Debug)]
struct Anchors {
    ac: AhoCorasick,
    entries: Vec<Vec<u32>>,
}

impl Anchors {
    fn build(pairs: Vec<(String, u32)>) -> Option<Anchors> {
        let mut pats: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<u32>> = Vec::new();
        for (p, e) in pairs {
            match pats.iter().position(|x| *x == p) {
                Some(i) => entries[i].push(e),
                None => {
                    pats.push(p);
                    entries.push(vec![e]);
                }
            }
        }
        if pats.is_empty() {
            return None;
        }
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&pats).ok()?;
        Some(Anchors { ac, entries })
    }
}

/// Matches bytes against the keys of one or more fingerprint files.
#[derive(Debug)]
pub struct FingerprintMatcher {
    salts: Vec<[u8; 32]>,
    /// Per salt: digest → entry.
    lookup: Vec<HashMap<[u8; 32], u32>>,
    entries: Vec<Entry>,
    /// Keys with a hint: anchored at their last 4 characters.
    hints: Option<Anchors>,
    /// Keys without a hint but with a prefix: anchored at their first characters.
    prefixes: Option<Anchors>,
    /// Keys with neither: every token-bounded window of their length, per (salt, len).
    blind: Vec<(u32, usize)>,
}

impl FingerprintMatcher {
    pub fn new(files: &[FingerprintFile]) -> FingerprintMatcher {
        let mut m = FingerprintMatcher {
            salts: Vec::new(),
            lookup: Vec::new(),
            entries: Vec::new(),
            hints: None,
            prefixes: None,
            blind: Vec::new(),
        };
        let (mut hints, mut prefixes) = (Vec::new(), Vec::new());
        for file in files {
            let Some(salt) = file.salt_bytes() else { continue };
            let s = match m.salts.iter().position(|x| *x == salt) {
                Some(i) => i,
                None => {
                    m.salts.push(salt);
                    m.lookup.push(HashMap::new());
                    m.salts.len() - 1
                }
            };
            for k in &file.keys {
                let Ok(digest) = blake3::Hash::from_hex(&k.digest) else { continue };
                let idx = m.entries.len() as u32;
                m.lookup[s].insert(*digest.as_bytes(), idx);
                let info = RuleInfo {
                    id: format!("fingerprint:{}", k.label),
                    name: format!("Fingerprinted key {} ({})", k.label, k.shown()),
                    provider: String::new(),
                    severity: Severity::Critical,
                    confidence: Confidence::High,
                    revoke: None,
                    keywords: Vec::new(),
                    tags: vec!["fingerprint".into()],
                };
                match (&k.hint, &k.prefix) {
                    (Some(h), _) if !h.is_empty() => hints.push((h.clone(), idx)),
                    (_, Some(p)) if !p.is_empty() => prefixes.push((p.clone(), idx)),
                    _ => {
                        if !m.blind.contains(&(s as u32, k.len)) {
                            m.blind.push((s as u32, k.len));
                        }
                    }
                }
                m.entries.push(Entry { salt: s as u32, len: k.len, info: Arc::new(info), print: k.clone() });
            }
        }
        m.hints = Anchors::build(hints);
        m.prefixes = Anchors::build(prefixes);
        m
    }

    /// Every fingerprinted key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = (&KeyPrint, &Arc<RuleInfo>)> {
        self.entries.iter().map(|e| (&e.print, &e.info))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hashes `hay[range]` under `salt` and returns the matching entry, if any.
    fn lookup(&self, salt: u32, hay: &[u8], range: Range<usize>) -> Option<u32> {
        let d = blake3::keyed_hash(&self.salts[salt as usize], &hay[range]);
        self.lookup[salt as usize].get(d.as_bytes()).copied()
    }

    /// Byte ranges of fingerprinted keys in `hay`, with the entry each one matched.
    pub fn find(&self, hay: &[u8]) -> Vec<(u32, Range<usize>)> {
        let mut out = Vec::new();
        let try_window = |e: &Entry, range: Range<usize>, out: &mut Vec<(u32, Range<usize>)>| {
            if range.end <= hay.len()
                && bounded(hay, &range)
                && let Some(found) = self.lookup(e.salt, hay, range.clone())
            {
                out.push((found, range));
            }
        };
        if let Some(a) = &self.hints {
            for m in a.ac.find_overlapping_iter(hay) {
                for &i in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[i as usize];
                    if let Some(start) = m.end().checked_sub(e.len) {
                        try_window(e, start..m.end(), &mut out);
                    }
                }
            }
        }
        if let Some(a) = &self.prefixes {
            for m in a.ac.find_overlapping_iter(hay) {
                for &i in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[i as usize];
                    try_window(e, m.start()..m.start() + e.len, &mut out);
                }
            }
        }
        for &(salt, len) in &self.blind {
            blind_windows(hay, len, |range| {
                if let Some(found) = self.lookup(salt, hay, range.clone()) {
                    out.push((found, range));
                }
            });
        }
        out.sort_by_key(|(e, r)| (r.start, r.end, *e));
        out.dedup();
        out
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// A window is a candidate when neither edge cuts through a run of letters and digits.
fn bounded(hay: &[u8], r: &Range<usize>) -> bool {
    let start_ok = r.start == 0 || !is_word(hay[r.start - 1]) || !is_word(hay[r.start]);
    let end_ok = r.end == hay.len() || !is_word(hay[r.end]) || !is_word(hay[r.end - 1]);
    start_ok && end_ok && !hay[r.clone()].iter().any(|b| b.is_ascii_whitespace())
}

/// Calls `f` for every bounded window of `len` bytes inside a whitespace-free run.
fn blind_windows(hay: &[u8], len: usize, mut f: impl FnMut(Range<usize>)) {
    let mut i = 0;
    while i < hay.len() {
        if hay[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let run_end = hay[i..].iter().position(|b| b.is_ascii_whitespace()).map_or(hay.len(), |p| i + p);
        let mut s = i;
        while s + len <= run_end {
            let r = s..s + len;
            if bounded(hay, &r) {
                f(r);
            }
            s += 1;
        }
        i = run_end;
    }
}

impl Detector for FingerprintMatcher {
    fn detect(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let hits = self
            .find(blob.bytes)
            .into_iter()
            .map(|(e, r)| (Arc::clone(&self.entries[e as usize].info), r, Confidence::High))
            .collect();
        Finding::locate_all(blob, hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{AddOptions, FingerprintFile};
    use crate::rules::RuleSet;

    const KEY: &str = "tok_9fQ2xLm7VbN3kR8sTz4WcY6hJ1pD";

    fn matcher(no_hint: bool) -> FingerprintMatcher {
        let engine = crate::Engine::new(RuleSet::default());
        let mut f = FingerprintFile::new().unwrap();
        let opts = AddOptions { label: "k".into(), no_hint, allow_short: false };
        f.add_keys(&[KEY.to_string()], &opts, &engine).unwrap();
        FingerprintMatcher::new(&[f])
    }

    #[test]
    fn finds_key_in_contexts_with_and_without_hint() {
        for no_hint in [false, true] {
            let m = matcher(no_hint);
            for ctx in ["{k}", "x=\"{k}\"", "url?api_key={k}&a=1", "Bearer {k}\r\n", "a:{k},b"] {
                let text = ctx.replace("{k}", KEY);
                let found = m.find(text.as_bytes());
                assert_eq!(found.len(), 1, "{ctx} no_hint={no_hint}");
                assert_eq!(&text[found[0].1.clone()], KEY);
            }
        }
    }

    #[test]
    fn does_not_match_inside_longer_tokens_or_other_keys() {
        let m = matcher(false);
        assert!(m.find(format!("A{KEY}").as_bytes()).is_empty());
        assert!(m.find(format!("{KEY}9").as_bytes()).is_empty());
        let other = KEY.replace('9', "8");
        assert!(m.find(other.as_bytes()).is_empty());
    }
}
