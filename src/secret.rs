//! Secret values: redaction, content digests and Shannon entropy.

use std::fmt;

/// Domain-separation context of the secret digest. The digest of a secret is
/// `blake3::keyed_hash(blake3::derive_key(DIGEST_CONTEXT, b""), secret)`, hex-encoded.
pub const DIGEST_CONTEXT: &str = "keytrail 2026-11 secret digest v1";

/// The bytes of a detected secret. `Debug` and `Display` never show them: the only ways to
/// get at the plaintext are [`Secret::expose`] and [`Secret::reveal_lossy`], which callers use
/// for matching and for the explicit `--reveal` flag.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Box<[u8]>);

impl Secret {
    pub fn new(bytes: &[u8]) -> Secret {
        Secret(bytes.into())
    }

    /// The plaintext bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The plaintext as text, for `--reveal` only.
    pub fn reveal_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `sk-p…AbCd`: at most 4 leading and 4 trailing characters, fewer for short secrets.
    pub fn redacted(&self) -> String {
        redact(&String::from_utf8_lossy(&self.0))
    }

    /// The stable content digest used for dedup, baselines and SARIF fingerprints.
    pub fn digest(&self) -> Digest {
        Digest::of(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

/// Redacts `text` to `head…tail`, showing `min(4, chars/6)` characters on each side.
pub fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = (chars.len() / 6).min(4);
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{head}…{tail}")
}

/// A keyed BLAKE3 digest of a secret under [`DIGEST_CONTEXT`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 32]);

impl Digest {
    pub fn of(bytes: &[u8]) -> Digest {
        static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
        let key = KEY.get_or_init(|| blake3::derive_key(DIGEST_CONTEXT, b""));
        Digest(*blake3::keyed_hash(key, bytes).as_bytes())
    }

    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

/// Shannon entropy of `bytes` in bits per byte (0 for empty input).
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_at_most_four_each_side() {
        assert_eq!(redact("sk-proj-abcdefghijklmnopqrstuvwxyzAbCd"), "sk-p…AbCd");
        assert_eq!(redact("abcdefghijkl"), "ab…kl");
        assert_eq!(redact("short"), "…");
        assert_eq!(redact(""), "…");
    }

    #[test]
    fn debug_never_shows_plaintext() {
        let s = Secret::new(b"sk-proj-abcdefghijklmnopqrstuvwxyz0123");
        assert!(!format!("{s:?}").contains("ghijklmnop"));
    }

    #[test]
    fn digest_is_stable_and_distinct() {
        assert_eq!(Digest::of(b"a"), Digest::of(b"a"));
        assert_ne!(Digest::of(b"a"), Digest::of(b"b"));
        assert_eq!(Digest::of(b"a").to_hex().len(), 64);
    }

    #[test]
    fn entropy_bounds() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
