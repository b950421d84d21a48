//! A detected secret: which rule, which secret (redacted by default), and where.

use std::ops::Range;
use std::sync::Arc;

use crate::engine::resolve;
use crate::origin::{Blob, Origin};
use crate::rules::{Confidence, RuleInfo};
use crate::secret::{Digest, Secret};

/// A 1-based line/column range plus the byte range in the blob. Columns count Unicode
/// scalar values from the start of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// One occurrence of a secret.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: Arc<RuleInfo>,
    pub secret: Secret,
    pub digest: Digest,
    pub origin: Arc<Origin>,
    /// Span of the secret itself (for decoded secrets: of the encoded text in the blob).
    pub span: Span,
    /// Decoders the secret was found through, outermost first (`["base64"]`); empty when
    /// it was found as-is.
    pub encoding: Vec<&'static str>,
    /// How sure this finding is (the rule's confidence, or less when a value gate judged it).
    pub confidence: Confidence,
    /// For a finding in a chat message: the line of the export file the secret sits on
    /// (`span` counts within the message). None elsewhere, or when it cannot be found.
    pub export_line: Option<u32>,
    /// The other parts of the same credential found near it (an AWS key id for its secret),
    /// nearest first; see [`crate::engine::Pairs`].
    pub related: Vec<Related>,
    /// The secret was found split (by whitespace, line breaks, quote markers or invisible
    /// characters); `span` covers the whole broken copy, `secret` is the key without them.
    pub broken: bool,
}

/// A part of a credential found beside a finding, in the same blob.
#[derive(Clone, Debug)]
pub struct Related {
    pub rule: Arc<RuleInfo>,
    pub secret: Secret,
    pub digest: Digest,
    pub span: Span,
}

impl Finding {
    /// One finding per (rule, byte range, confidence) hit in `blob`, positions resolved in one pass.
    pub fn locate_all(blob: &Blob<'_>, hits: Vec<(Arc<RuleInfo>, Range<usize>, Confidence)>) -> Vec<Finding> {
        if hits.is_empty() {
            return Vec::new();
        }
        let pos = resolve(blob.bytes, hits.iter().flat_map(|(_, r, _)| [r.start, r.end]));
        hits.into_iter()
            .map(|(rule, r, confidence)| {
                let (s, e) = (pos[&r.start], pos[&r.end]);
                let secret = Secret::new(&blob.bytes[r.clone()]);
                Finding {
                    rule,
                    digest: secret.digest(),
                    secret,
                    origin: Arc::clone(&blob.origin),
                    span: Span {
                        line: s.line,
                        column: s.column,
                        end_line: e.line,
                        end_column: e.column,
                        byte_start: r.start,
                        byte_end: r.end,
                    },
                    encoding: Vec::new(),
                    confidence,
                    export_line: None,
                    related: Vec::new(),
                    broken: false,
                }
            })
            .collect()
    }

    /// Sort key giving stable output: path, then position, then rule id.
    pub fn sort_key(&self) -> (String, usize, String) {
        (self.origin.display_path(), self.span.byte_start, self.rule.id.clone())
    }
}
