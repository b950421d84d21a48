//! Finding fingerprinted keys in bytes: candidate windows at token boundaries, keyed-hashed
//! and looked up. Hints and prefixes anchor candidates through Aho-Corasick, so the cost
//! grows with the bytes scanned, not with the number of fingerprints.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::{FingerprintFile, KeyPrint};
use crate::broken;
use crate::finding::Finding;
use crate::origin::Blob;
use crate::rules::{Confidence, RuleInfo, Severity};
use crate::secret::Secret;
use crate::sink::Detector;

/// One fingerprinted key ready for matching.
#[derive(Debug)]
struct Entry {
    salt: u32,
    len: usize,
    /// The hint as 4 ASCII bytes, when it is one (split-hint anchors need it).
    hint: Option<[u8; 4]>,
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
    /// The hint anchors used when broken copies are looked for: keys with a prefix (their
    /// broken copies are walked from the prefix too) or a hint that is not 4 ASCII bytes.
    broken_hints: Option<Anchors>,
    /// Keys without a hint but with a prefix: anchored at their first characters.
    prefixes: Option<Anchors>,
    /// Keys with neither: every token-bounded window of their length, per (salt, len).
    blind: Vec<(u32, usize)>,
    /// Broken copies of keys with an ASCII hint and no prefix: the hint's first and last 3
    /// bytes (entry index << 1, low bit set for the last 3), which find intact hints too and
    /// hints split after their first or third character.
    fragments: Option<Anchors>,
    /// Prefixes of hinted keys, for walking broken copies forwards.
    hinted_prefixes: Option<Anchors>,
    broken: bool,
}

/// A broken copy: entry, span of the whole copy in the blob, the key bytes without gaps.
pub type BrokenHit = (u32, Range<usize>, Vec<u8>);

impl FingerprintMatcher {
    pub fn new(files: &[FingerprintFile]) -> FingerprintMatcher {
        let mut m = FingerprintMatcher {
            salts: Vec::new(),
            lookup: Vec::new(),
            entries: Vec::new(),
            hints: None,
            broken_hints: None,
            prefixes: None,
            blind: Vec::new(),
            fragments: None,
            hinted_prefixes: None,
            broken: true,
        };
        let (mut hints, mut prefixes) = (Vec::new(), Vec::new());
        let (mut fragments, mut hinted_prefixes, mut broken_hints) = (Vec::new(), Vec::new(), Vec::new());
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
                let hint: Option<[u8; 4]> =
                    k.hint.as_ref().and_then(|h| h.as_bytes().try_into().ok()).filter(|h: &[u8; 4]| h.is_ascii());
                let prefix = k.prefix.as_ref().filter(|p| !p.is_empty());
                match (hint, prefix) {
                    (Some(h), None) => {
                        fragments.push((String::from_utf8_lossy(&h[..3]).into_owned(), idx << 1));
                        fragments.push((String::from_utf8_lossy(&h[1..]).into_owned(), idx << 1 | 1));
                    }
                    (_, Some(p)) if k.hint.as_ref().is_some_and(|h| !h.is_empty()) => {
                        hinted_prefixes.push((p.clone(), idx))
                    }
                    _ => {}
                }
                match (&k.hint, &k.prefix) {
                    (Some(h), _) if !h.is_empty() => {
                        if hint.is_none() || prefix.is_some() {
                            broken_hints.push((h.clone(), idx));
                        }
                        hints.push((h.clone(), idx))
                    }
                    (_, Some(p)) if !p.is_empty() => prefixes.push((p.clone(), idx)),
                    _ => {
                        if !m.blind.contains(&(s as u32, k.len)) {
                            m.blind.push((s as u32, k.len));
                        }
                    }
                }
                m.entries.push(Entry { salt: s as u32, len: k.len, hint, info: Arc::new(info), print: k.clone() });
            }
        }
        m.hints = Anchors::build(hints);
        m.broken_hints = Anchors::build(broken_hints);
        m.prefixes = Anchors::build(prefixes);
        m.fragments = Anchors::build(fragments);
        m.hinted_prefixes = Anchors::build(hinted_prefixes);
        m
    }

    /// Looks for broken copies too (the default), or only for exact ones.
    pub fn with_broken(mut self, on: bool) -> Self {
        self.broken = on;
        self
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

    /// Byte ranges of fingerprinted keys in `hay`, with the entry each one matched (exact
    /// copies only; [`FingerprintMatcher::find_all`] adds broken ones).
    pub fn find(&self, hay: &[u8]) -> Vec<(u32, Range<usize>)> {
        self.find_all(hay).0
    }

    /// Exact copies as in [`FingerprintMatcher::find`], and broken copies: the key split by
    /// whitespace, line breaks with or without a quote marker, or invisible characters.
    pub fn find_all(&self, hay: &[u8]) -> (Vec<(u32, Range<usize>)>, Vec<BrokenHit>) {
        let mut out = Vec::new();
        let mut broken = Vec::new();
        let mut buf = Vec::new();
        let try_window = |e: &Entry, range: Range<usize>, out: &mut Vec<(u32, Range<usize>)>| {
            if range.end <= hay.len()
                && bounded(hay, &range)
                && let Some(found) = self.lookup(e.salt, hay, range.clone())
            {
                out.push((found, range));
                return true;
            }
            false
        };
        // A broken copy of `len` bytes under `salt` ending at `at` (walked backwards) or
        // starting there (forwards); `hint` filters before hashing.
        let mut try_broken =
            |salt: u32, len: usize, hint: Option<[u8; 4]>, at: usize, forwards: bool, broken: &mut Vec<BrokenHit>| {
                let got = if forwards {
                    broken::collect_forward(hay, at, len, &mut buf)
                } else {
                    broken::collect_back(hay, at, len, &mut buf)
                };
                if let Some(c) = got
                    && c.broken
                    && edges_bounded(hay, &c.span)
                    && hint.is_none_or(|h| buf.ends_with(&h))
                {
                    let d = blake3::keyed_hash(&self.salts[salt as usize], &buf);
                    if let Some(&found) = self.lookup[salt as usize].get(d.as_bytes()) {
                        broken.push((found, c.span, buf.clone()));
                    }
                }
            };
        let fragments = self.fragments.as_ref().filter(|_| self.broken);
        let hints = if self.broken { &self.broken_hints } else { &self.hints };
        if let Some(a) = hints {
            for m in a.ac.find_overlapping_iter(hay) {
                for &i in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[i as usize];
                    let exact = m.end().checked_sub(e.len).is_some_and(|st| try_window(e, st..m.end(), &mut out));
                    if !exact && self.broken {
                        try_broken(e.salt, e.len, e.hint, m.end(), false, &mut broken);
                    }
                }
            }
        }
        if let Some(a) = fragments {
            for m in a.ac.find_overlapping_iter(hay) {
                for &code in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[(code >> 1) as usize];
                    let Some(h) = e.hint else { continue };
                    let (s, end) = (m.start(), m.end());
                    if code & 1 == 1 {
                        // The hint's last 3 bytes: the whole hint, or its first byte before a gap.
                        if s >= 1 && hay[s - 1] == h[0] {
                            let exact = end.checked_sub(e.len).is_some_and(|st| try_window(e, st..end, &mut out));
                            if !exact {
                                try_broken(e.salt, e.len, e.hint, end, false, &mut broken);
                            }
                        } else if let Some(g) = broken::gap_before(hay, s)
                            && g > 0
                            && s > g
                            && hay[s - g - 1] == h[0]
                        {
                            try_broken(e.salt, e.len, e.hint, end, false, &mut broken);
                        }
                    } else if hay.get(end) != Some(&h[3])
                        && let Some(g) = broken::gap_after(hay, end)
                        && g > 0
                        && hay.get(end + g) == Some(&h[3])
                    {
                        // The hint's first 3 bytes, a gap, its last byte.
                        try_broken(e.salt, e.len, e.hint, end + g + 1, false, &mut broken);
                    }
                }
            }
        }
        if let Some(a) = &self.prefixes {
            for m in a.ac.find_overlapping_iter(hay) {
                for &i in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[i as usize];
                    if !try_window(e, m.start()..m.start() + e.len, &mut out) && self.broken {
                        try_broken(e.salt, e.len, e.hint, m.start(), true, &mut broken);
                    }
                }
            }
        }
        if let Some(a) = self.hinted_prefixes.as_ref().filter(|_| self.broken) {
            // Many keys share a prefix: one walk and one hash per (salt, length) at a hit.
            let mut done: Vec<(u32, usize)> = Vec::new();
            for m in a.ac.find_overlapping_iter(hay) {
                let s = m.start();
                if s > 0 && is_word(hay[s - 1]) && is_word(hay[s]) {
                    continue;
                }
                done.clear();
                for &i in &a.entries[m.pattern().as_usize()] {
                    let e = &self.entries[i as usize];
                    if !done.contains(&(e.salt, e.len)) {
                        done.push((e.salt, e.len));
                        try_broken(e.salt, e.len, None, s, true, &mut broken);
                    }
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
        broken.sort_by_key(|(e, r, _)| (r.start, r.end, *e));
        broken.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        (out, broken)
    }
}

/// Neither edge of `r` cuts through a run of letters and digits.
fn edges_bounded(hay: &[u8], r: &Range<usize>) -> bool {
    let start_ok = r.start == 0 || !is_word(hay[r.start - 1]) || !is_word(hay[r.start]);
    let end_ok = r.end == hay.len() || !is_word(hay[r.end]) || !is_word(hay[r.end - 1]);
    start_ok && end_ok
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// A window is a candidate when neither edge cuts through a run of letters and digits.
fn bounded(hay: &[u8], r: &Range<usize>) -> bool {
    edges_bounded(hay, r) && !hay[r.clone()].iter().any(|b| b.is_ascii_whitespace())
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
        let (exact, broken) = self.find_all(blob.bytes);
        let info = |e: u32| Arc::clone(&self.entries[e as usize].info);
        // A broken copy overlapping an exact one of the same key is the exact one's context.
        let broken: Vec<BrokenHit> = broken
            .into_iter()
            .filter(|(e, r, _)| !exact.iter().any(|(x, xr)| x == e && xr.start < r.end && r.start < xr.end))
            .collect();
        let mut found =
            Finding::locate_all(blob, exact.into_iter().map(|(e, r)| (info(e), r, Confidence::High)).collect());
        let (hits, keys): (Vec<_>, Vec<Vec<u8>>) =
            broken.into_iter().map(|(e, r, k)| ((info(e), r, Confidence::High), k)).unzip();
        let mut whole = Finding::locate_all(blob, hits);
        for (f, key) in whole.iter_mut().zip(keys) {
            f.secret = Secret::new(&key);
            f.digest = f.secret.digest();
            f.broken = true;
        }
        found.append(&mut whole);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{AddOptions, FingerprintFile};
    use crate::rules::RuleSet;

    const KEY: &str = "tok_9fQ2xLm7VbN3kR8sTz4WcY6hJ1pD";

    fn matcher(no_hint: bool) -> FingerprintMatcher {
        matcher_with(no_hint, None)
    }

    fn matcher_with(no_hint: bool, prefix: Option<&str>) -> FingerprintMatcher {
        let engine = crate::Engine::new(RuleSet::default());
        let mut f = FingerprintFile::new().unwrap();
        let opts = AddOptions { label: "k".into(), no_hint, allow_short: false };
        f.add_keys(&[KEY.to_string()], &opts, &engine).unwrap();
        f.keys[0].prefix = prefix.map(str::to_string);
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

    #[test]
    fn finds_broken_copies_and_says_so() {
        let m = matcher(false);
        let plain = m.detect(&blob(&format!("k={KEY}\n")));
        // Splits anywhere but between the hint's 2nd and 3rd characters (28..32 is the hint;
        // a key with a recorded prefix is found then too, walking forwards from it).
        for split in [4usize, 10, 27, 28, 29, 31] {
            for gap in
                ["\n", "\r\n> ", "\n> > ", "\n| ", " ", "\u{200B}", "\u{FEFF}", "\u{00AD}", "\u{00A0}", "\u{2060}"]
            {
                let text = format!("key: {}{gap}{} thanks", &KEY[..split], &KEY[split..]);
                let found = m.detect(&blob(&text));
                assert_eq!(found.len(), 1, "split at {split} by {gap:?}");
                let f = &found[0];
                assert!(f.broken);
                assert_eq!(f.digest, plain[0].digest, "the key's own digest");
                assert_eq!(
                    &text[f.span.byte_start..f.span.byte_end],
                    format!("{}{gap}{}", &KEY[..split], &KEY[split..])
                );
            }
        }
        // Twice wrapped, quoted.
        let text = format!("> {}\n> {}\n> {}\n", &KEY[..10], &KEY[10..20], &KEY[20..]);
        assert!(m.detect(&blob(&text)).iter().any(|f| f.broken));
        // Without a hint and a prefix, broken copies are not looked for.
        let m = matcher(true);
        assert!(m.detect(&blob(&format!("{}\n> {}", &KEY[..12], &KEY[12..]))).is_empty(), "no prefix recorded");
        // With a prefix, split anywhere (the hint too): walked from the prefix.
        for (hint, prefix) in [(true, "tok_"), (false, "tok_")] {
            let m = matcher_with(!hint, Some(prefix));
            for split in [2usize, 10, 29, 30, 31] {
                let text = format!("x {}\n> {} y", &KEY[..split], &KEY[split..]);
                let found = m.detect(&blob(&text));
                assert_eq!(found.len(), usize::from(split >= 4 || hint), "split at {split}, hint {hint}");
            }
        }
    }

    #[test]
    fn broken_near_misses_are_not_matches() {
        let m = matcher(false);
        let other = KEY.replace('9', "8");
        for text in [
            format!("{}\n{}", &other[..10], &other[10..]),
            format!("A{}\n{}", &KEY[..10], &KEY[10..]),
            format!("{}\n{}9", &KEY[..10], &KEY[10..]),
            format!("{}\n\n\n{}{}", &KEY[..10], " ".repeat(40), &KEY[10..]),
            format!("{}x {}", &KEY[..10], &KEY[10..]),
        ] {
            assert!(m.detect(&blob(&text)).is_empty(), "{text:?}");
        }
        let exact = FingerprintMatcher::new(&[]).with_broken(false);
        assert!(exact.is_empty());
        let m = matcher(false).with_broken(false);
        assert!(m.detect(&blob(&format!("{}\n{}", &KEY[..10], &KEY[10..]))).is_empty());
        assert_eq!(m.detect(&blob(KEY)).len(), 1);
    }

    fn blob(text: &str) -> Blob<'_> {
        Blob { bytes: text.as_bytes(), origin: Arc::new(crate::origin::Origin::Stdin) }
    }
}
