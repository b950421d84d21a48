//! Keyed BLAKE3 fingerprints of known keys: the shareable file format and how to create it.

mod matcher;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Engine;

pub use matcher::FingerprintMatcher;

/// Keys shorter than this are refused unless explicitly allowed: their digest could be
/// brute-forced from the file.
pub const MIN_KEY_LEN: usize = 16;
/// Keys longer than this are refused (nothing real is this long; it would be a paste error).
pub const MAX_KEY_LEN: usize = 4096;
const FORMAT_VERSION: u32 = 1;

/// Errors creating, reading or using fingerprint files.
#[derive(Debug, thiserror::Error)]
pub enum FingerprintError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a keytrail fingerprint file: {message}")]
    Format { path: String, message: String },
    #[error(
        "key {index} is {len} characters long; keys under {MIN_KEY_LEN} characters could be recovered from their digest by brute force (use --allow-short to accept that risk)"
    )]
    TooShort { index: usize, len: usize },
    #[error("key {index} is {len} characters long (over {MAX_KEY_LEN}): is it really one key?")]
    TooLong { index: usize, len: usize },
    #[error("key {index} contains whitespace: give one key per line")]
    Whitespace { index: usize },
    #[error("no key given on standard input")]
    NoKeys,
    #[error("label {0:?} is already in the file")]
    DuplicateLabel(String),
    #[error("could not get random bytes for the salt: {0}")]
    Random(String),
}

/// A fingerprint file: one salt, many keys. Safe to share: it holds no key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FingerprintFile {
    pub version: u32,
    /// 32 random bytes, hex.
    pub salt: String,
    #[serde(default)]
    pub keys: Vec<KeyPrint>,
}

/// One fingerprinted key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KeyPrint {
    pub label: String,
    /// RFC 3339.
    pub created: String,
    /// Length of the key in bytes.
    pub len: usize,
    /// A public provider prefix (`sk-proj-`), never more.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prefix: Option<String>,
    /// The last 4 characters, as provider consoles show them.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    /// `blake3::keyed_hash(salt, key)`, hex.
    pub digest: String,
}

impl KeyPrint {
    /// `sk-proj-…AbCd`, `…AbCd`, or `(164 chars)` — how reports name the key.
    pub fn shown(&self) -> String {
        match (&self.prefix, &self.hint) {
            (Some(p), Some(h)) => format!("{p}…{h}"),
            (None, Some(h)) => format!("…{h}"),
            (Some(p), None) => format!("{p}…"),
            (None, None) => format!("({} chars)", self.len),
        }
    }
}

/// Removes what surrounds a pasted key: whitespace, quotes, a leading `Bearer `.
pub fn clean_key(raw: &str) -> &str {
    let mut k = raw.trim();
    loop {
        let before = k;
        for q in ['"', '\'', '`'] {
            if k.len() >= 2 && k.starts_with(q) && k.ends_with(q) {
                k = k[1..k.len() - 1].trim();
            }
        }
        if k.len() > 7 && k[..7].eq_ignore_ascii_case("bearer ") {
            k = k[7..].trim();
        }
        if k == before {
            return k;
        }
    }
}

fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let h = blake3::Hash::from_hex(s).ok()?;
    Some(*h.as_bytes())
}

/// Options for adding keys to a file.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub label: String,
    pub no_hint: bool,
    pub allow_short: bool,
}

impl FingerprintFile {
    /// A new, empty file with a fresh random salt.
    pub fn new() -> Result<FingerprintFile, FingerprintError> {
        let mut salt = [0u8; 32];
        getrandom::fill(&mut salt).map_err(|e| FingerprintError::Random(e.to_string()))?;
        Ok(FingerprintFile {
            version: FORMAT_VERSION,
            salt: blake3::Hash::from_bytes(salt).to_hex().to_string(),
            keys: Vec::new(),
        })
    }

    pub fn salt_bytes(&self) -> Option<[u8; 32]> {
        parse_hex32(&self.salt)
    }

    /// Reads and validates a fingerprint file.
    pub fn load(path: &Path) -> Result<FingerprintFile, FingerprintError> {
        let shown = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|source| FingerprintError::Io { path: shown.clone(), source })?;
        FingerprintFile::parse(&text, &shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<FingerprintFile, FingerprintError> {
        let bad = |message: String| FingerprintError::Format { path: shown.to_string(), message };
        let file: FingerprintFile = toml::from_str(text).map_err(|e| bad(e.message().to_string()))?;
        if file.version != FORMAT_VERSION {
            return Err(bad(format!("version {} (this keytrail reads version {FORMAT_VERSION})", file.version)));
        }
        if file.salt_bytes().is_none() {
            return Err(bad("salt is not 64 hex digits".into()));
        }
        for k in &file.keys {
            if parse_hex32(&k.digest).is_none() {
                return Err(bad(format!("key {:?}: digest is not 64 hex digits", k.label)));
            }
            if k.len == 0 || k.len > MAX_KEY_LEN {
                return Err(bad(format!("key {:?}: len {} is out of range", k.label, k.len)));
            }
            if k.prefix.as_ref().is_some_and(|p| p.len() >= k.len) || k.hint.as_ref().is_some_and(|h| h.len() >= k.len)
            {
                return Err(bad(format!("key {:?}: prefix/hint as long as the key", k.label)));
            }
        }
        Ok(file)
    }

    /// The file as TOML, with a header comment saying what it is.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string_pretty(self).unwrap_or_default();
        format!(
            "# keytrail fingerprint file: keyed BLAKE3 digests of leaked keys. It holds no key and is\n# safe to share. Use: keytrail trace --fingerprints THIS_FILE [PATH...] [--git]\n{body}"
        )
    }

    /// Fingerprints `keys` (already read from stdin or a prompt) into this file.
    /// `engine` recognises public provider prefixes. Returns a line per key for the user.
    pub fn add_keys(
        &mut self,
        keys: &[String],
        opts: &AddOptions,
        engine: &Engine,
    ) -> Result<Vec<String>, FingerprintError> {
        let cleaned: Vec<&str> = keys.iter().map(|k| clean_key(k)).filter(|k| !k.is_empty()).collect();
        if cleaned.is_empty() {
            return Err(FingerprintError::NoKeys);
        }
        for (i, k) in cleaned.iter().enumerate() {
            if k.len() < MIN_KEY_LEN && !opts.allow_short {
                return Err(FingerprintError::TooShort { index: i + 1, len: k.len() });
            }
            if k.bytes().any(|b| b.is_ascii_whitespace()) {
                return Err(FingerprintError::Whitespace { index: i + 1 });
            }
            if k.len() > MAX_KEY_LEN {
                return Err(FingerprintError::TooLong { index: i + 1, len: k.len() });
            }
        }
        let salt = self.salt_bytes().ok_or_else(|| FingerprintError::Format {
            path: "fingerprint file".into(),
            message: "salt is not 64 hex digits".into(),
        })?;
        let mut notes = Vec::new();
        for (i, key) in cleaned.iter().enumerate() {
            let label = if cleaned.len() == 1 { opts.label.clone() } else { format!("{}-{}", opts.label, i + 1) };
            if self.keys.iter().any(|k| k.label == label) {
                return Err(FingerprintError::DuplicateLabel(label));
            }
            let prefix = known_prefix(key, engine);
            let hint = (!opts.no_hint).then(|| {
                let chars: Vec<char> = key.chars().collect();
                chars[chars.len().saturating_sub(4)..].iter().collect::<String>()
            });
            let print = KeyPrint {
                label: label.clone(),
                created: crate::rfc3339::now(),
                len: key.len(),
                prefix,
                hint,
                digest: blake3::keyed_hash(&salt, key.as_bytes()).to_hex().to_string(),
            };
            notes.push(format!("{label}: {} ({} chars)", print.shown(), key.len()));
            self.keys.push(print);
        }
        if opts.allow_short && cleaned.iter().any(|k| k.len() < MIN_KEY_LEN) {
            notes.push(format!(
                "warning: keys under {MIN_KEY_LEN} characters were accepted; their digests could be brute-forced from this file"
            ));
        }
        Ok(notes)
    }
}

/// The fixed public prefix of `key` when a built-in rule recognises the whole key and one of
/// that rule's keywords is a prefix of it (e.g. `sk-proj-`). Never more than the keyword.
pub fn known_prefix(key: &str, engine: &Engine) -> Option<String> {
    let rules = &engine.rules().rules;
    let mut best: Option<&str> = None;
    for m in engine.scan_raw(key.as_bytes(), None) {
        if m.secret != (0..key.len()) {
            continue;
        }
        for kw in &rules[m.rule as usize].info.keywords {
            let n = kw.len();
            if n >= 3
                && n <= key.len() / 2
                && key.is_char_boundary(n)
                && key[..n].eq_ignore_ascii_case(kw)
                && best.is_none_or(|b| b.len() < n)
            {
                best = Some(&key[..n]);
            }
        }
    }
    best.map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_pasted_keys() {
        assert_eq!(clean_key("  \"sk-abc\"\n"), "sk-abc");
        assert_eq!(clean_key("Bearer sk-abc"), "sk-abc");
        assert_eq!(clean_key("'Bearer  `sk-abc`'"), "sk-abc");
        assert_eq!(clean_key("bearer"), "bearer");
    }

    #[test]
    fn file_round_trips_and_rejects_garbage() {
        let f = FingerprintFile::new().unwrap();
        let back = FingerprintFile::parse(&f.to_toml(), "x").unwrap();
        assert_eq!(f, back);
        assert!(FingerprintFile::parse("version = 1\nsalt = \"zz\"\n", "x").is_err());
        assert!(FingerprintFile::parse("nonsense", "x").is_err());
        assert_ne!(FingerprintFile::new().unwrap().salt, f.salt);
    }
}
