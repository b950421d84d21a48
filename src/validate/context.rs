//! What a key's file says besides the key: base URLs, the AWS secret beside a key id, a
//! Twilio account SID, a shop or site domain. Gathered during the scan by a detector wrapper,
//! only when `--validate` asks, and only for blobs that have findings.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use regex::bytes::Regex;

use crate::finding::Finding;
use crate::origin::Blob;
use crate::secret::{Digest, Secret};
use crate::sink::Detector;

/// Values found in the files holding one secret.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Named values (`twilio_sid`, `shopify_shop`, `atlassian_site`, `email`, `gcp_client_email`).
    pub values: BTreeMap<&'static str, Vec<String>>,
    /// http(s) URLs in the file (candidate gateway base URLs, used only when allow-listed).
    pub urls: Vec<String>,
    /// For an AWS key id: the secret access keys found beside it.
    pub aws_secrets: Vec<Secret>,
}

/// At most this many values of one kind are kept per secret.
const MAX_VALUES: usize = 8;

impl Hints {
    pub fn first(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.first()).map(String::as_str)
    }

    fn merge(&mut self, other: &Hints) {
        for (k, vs) in &other.values {
            let mine = self.values.entry(k).or_default();
            for v in vs {
                if mine.len() < MAX_VALUES && !mine.contains(v) {
                    mine.push(v.clone());
                }
            }
        }
        for u in &other.urls {
            if self.urls.len() < 4 * MAX_VALUES && !self.urls.contains(u) {
                self.urls.push(u.clone());
            }
        }
        for s in &other.aws_secrets {
            if self.aws_secrets.len() < 3 && !self.aws_secrets.contains(s) {
                self.aws_secrets.push(s.clone());
            }
        }
    }
}

fn patterns() -> &'static [(&'static str, Regex)] {
    static P: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    P.get_or_init(|| {
        [
            ("twilio_sid", r"\b(AC[a-f0-9]{32})\b"),
            ("shopify_shop", r"\b([a-z0-9][a-z0-9-]{0,60}\.myshopify\.com)\b"),
            ("atlassian_site", r"\b([a-z0-9][a-z0-9-]{0,60}\.atlassian\.net)\b"),
            ("email", r"\b([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})\b"),
            ("gcp_client_email", r#""client_email"\s*:\s*"([^"\s]{3,200})""#),
        ]
        .into_iter()
        .filter_map(|(n, p)| Regex::new(p).ok().map(|r| (n, r)))
        .collect()
    })
}

fn url_pattern() -> Option<&'static Regex> {
    static P: OnceLock<Option<Regex>> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/-]*)?").ok()).as_ref()
}

/// The hints of one blob (the secrets found in it excluded).
pub fn blob_hints(bytes: &[u8], found: &[Finding]) -> Hints {
    let mut h = Hints::default();
    for (name, re) in patterns() {
        for c in re.captures_iter(bytes).take(MAX_VALUES) {
            if let Some(m) = c.get(1) {
                let v = String::from_utf8_lossy(m.as_bytes()).into_owned();
                let entry = h.values.entry(name).or_default();
                if !entry.contains(&v) {
                    entry.push(v);
                }
            }
        }
    }
    if let Some(re) = url_pattern() {
        for m in re.find_iter(bytes).take(4 * MAX_VALUES) {
            let u = String::from_utf8_lossy(m.as_bytes()).into_owned();
            // A URL that holds a found secret (a webhook) is no base URL.
            if found
                .iter()
                .any(|f| !f.secret.is_empty() && u.as_bytes().windows(f.secret.len()).any(|w| w == f.secret.expose()))
            {
                continue;
            }
            if !h.urls.contains(&u) {
                h.urls.push(u);
            }
        }
    }
    h
}

/// Wraps a detector and records, for every secret it finds, the hints of the blob it sits in.
pub struct ContextDetector<'a> {
    inner: &'a dyn Detector,
    hints: Mutex<HashMap<Digest, Hints>>,
}

impl<'a> ContextDetector<'a> {
    pub fn new(inner: &'a dyn Detector) -> ContextDetector<'a> {
        ContextDetector { inner, hints: Mutex::new(HashMap::new()) }
    }

    /// The hints gathered, by secret digest.
    pub fn into_hints(self) -> HashMap<Digest, Hints> {
        self.hints.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    fn record(&self, bytes: &[u8], found: &[Finding]) {
        if found.iter().all(|f| f.secret.is_empty()) {
            return;
        }
        let blob = blob_hints(bytes, found);
        let aws: Vec<Secret> =
            found.iter().filter(|f| f.rule.id == "aws-secret-access-key").map(|f| f.secret.clone()).collect();
        let mut map = self.hints.lock().unwrap_or_else(|p| p.into_inner());
        for f in found.iter().filter(|f| !f.secret.is_empty()) {
            let entry = map.entry(f.digest).or_default();
            entry.merge(&blob);
            if f.rule.id == "aws-access-key-id" {
                entry.merge(&Hints { aws_secrets: aws.clone(), ..Hints::default() });
            }
        }
    }
}

impl Detector for ContextDetector<'_> {
    fn detect(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let found = self.inner.detect(blob);
        if !found.is_empty() {
            self.record(blob.bytes, &found);
        }
        found
    }

    fn detect_binary(&self, blob: &Blob<'_>) -> Vec<Finding> {
        self.inner.detect_binary(blob)
    }

    fn allows_commit(&self, rule_id: &str, commit: &str) -> bool {
        self.inner.allows_commit(rule_id, commit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_from_a_file() {
        let text = b"TWILIO_SID=AC0123456789abcdef0123456789abcdef\nSHOP=acme-store.myshopify.com\nOPENAI_BASE_URL=https://gw.example.com/v1\nJIRA=https://acme.atlassian.net by ops@acme.example\n";
        let h = blob_hints(text, &[]);
        assert_eq!(h.first("twilio_sid"), Some("AC0123456789abcdef0123456789abcdef"));
        assert_eq!(h.first("shopify_shop"), Some("acme-store.myshopify.com"));
        assert_eq!(h.first("atlassian_site"), Some("acme.atlassian.net"));
        assert_eq!(h.first("email"), Some("ops@acme.example"));
        assert!(h.urls.contains(&"https://gw.example.com/v1".to_string()));
    }
}
