//! Live checks (`--validate`, `verify`, `doctor`): one minimal read-only request per distinct
//! secret to its provider (or to an allow-listed OpenAI-compatible gateway); the answer joins
//! the finding as a [`Validation`]. The only part of keytrail that uses the network.

mod aws;
pub mod config;
pub mod context;
pub mod gateway;
mod gcp;
pub mod http;
pub mod providers;
mod run;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::finding::Finding;
use crate::secret::{Digest, Secret};

pub use context::{ContextDetector, Hints};
pub use providers::{PROVIDERS, Provider};
pub use run::{Options, Target, validate};

/// Is the key live?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The provider accepted it.
    Active,
    /// Refused in a way that means revoked, disabled or invalid (401, most 403s).
    Inactive,
    /// No answer that tells (network error, rate limit, 5xx, or no check for this kind).
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Unknown => "unknown",
        }
    }
}

/// The result of checking one secret. Never holds the key.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub status: Status,
    /// The provider entry that checked it (`openai`, `github`, `gateway`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Where the request went: a host, or the gateway base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The HTTP status of the deciding answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// What the API says about the key's owner: account, login, org, key name, scopes, expiry.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub identity: BTreeMap<String, serde_json::Value>,
    /// Why this status, in words.
    pub reason: String,
    /// When it was checked (RFC 3339); `checked_at` is the same.
    pub checked: String,
    pub checked_at: String,
}

impl Validation {
    pub fn new(status: Status, reason: impl Into<String>) -> Validation {
        let now = crate::rfc3339::now();
        Validation {
            status,
            provider: None,
            endpoint: None,
            http_status: None,
            identity: BTreeMap::new(),
            reason: reason.into(),
            checked: now.clone(),
            checked_at: now,
        }
    }

    /// One line for people: `active (login octocat, scopes repo) via api.github.com`.
    pub fn line(&self) -> String {
        let mut s = self.status.as_str().to_string();
        if !self.identity.is_empty() {
            let parts: Vec<String> = self
                .identity
                .iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(t) => format!("{k} {t}"),
                    other => format!("{k} {other}"),
                })
                .collect();
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
        match (&self.endpoint, self.http_status) {
            (Some(e), Some(code)) => s.push_str(&format!(" — {e} answered {code}: {}", self.reason)),
            (Some(e), None) => s.push_str(&format!(" — {e}: {}", self.reason)),
            _ => s.push_str(&format!(" — {}", self.reason)),
        }
        s
    }
}

/// Validations by secret digest: what reports look findings up in.
#[derive(Debug, Clone, Default)]
pub struct Validations(Arc<HashMap<Digest, Validation>>);

impl Validations {
    pub fn new(map: HashMap<Digest, Validation>) -> Validations {
        Validations(Arc::new(map))
    }

    pub fn get(&self, f: &Finding) -> Option<&Validation> {
        self.0.get(&f.digest)
    }

    pub fn by_digest(&self, d: &Digest) -> Option<&Validation> {
        self.0.get(d)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// How many are active, inactive and unknown.
    pub fn counts(&self) -> (usize, usize, usize) {
        let c = |s: Status| self.0.values().filter(|v| v.status == s).count();
        (c(Status::Active), c(Status::Inactive), c(Status::Unknown))
    }
}

/// The distinct secrets of `findings` as validation targets: each secret once, with every
/// rule that reported it and the hints its files gave.
pub fn targets(findings: &[Finding], hints: &HashMap<Digest, Hints>) -> Vec<Target> {
    let mut by: BTreeMap<String, Target> = BTreeMap::new();
    for f in findings {
        if f.secret.is_empty() {
            continue;
        }
        let t = by.entry(f.digest.to_hex()).or_insert_with(|| Target {
            secret: f.secret.clone(),
            digest: f.digest,
            rules: Vec::new(),
            hints: hints.get(&f.digest).cloned().unwrap_or_default(),
        });
        let id = f.rule.id.clone();
        if !t.rules.contains(&id) {
            t.rules.push(id);
        }
    }
    by.into_values().collect()
}

/// A secret given by hand (`verify`, `doctor`) as a target, with the rules that recognise
/// the whole of it.
pub fn target_for_key(key: &str, engine: &crate::Engine) -> Target {
    let secret = Secret::new(key.as_bytes());
    Target { digest: secret.digest(), rules: recognise(key.as_bytes(), engine), secret, hints: Hints::default() }
}

/// Built-in rules matching all of `key` (specific rules first).
pub fn recognise(key: &[u8], engine: &crate::Engine) -> Vec<String> {
    let rules = &engine.rules().rules;
    let mut out: Vec<(bool, String)> = Vec::new();
    for m in engine.scan_raw(key, None) {
        if m.secret == (0..key.len()) {
            let r = &rules[m.rule as usize];
            if !out.iter().any(|(_, id)| id == r.id()) {
                out.push((r.generic, r.id().to_string()));
            }
        }
    }
    out.sort_by_key(|(generic, _)| *generic);
    out.into_iter().map(|(_, id)| id).collect()
}

/// Errors of the validation stage that stop it (bad options, bad config).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid [validate] table: {message}")]
    Config { path: String, message: String },
    #[error("--base-url {0}: {1}")]
    BaseUrl(String, String),
}
