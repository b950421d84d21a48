//! The seam between pipeline stages: the `Detector` a blob goes through, the `Sink` every
//! source delivers blobs to, and the counters, warnings and progress they report.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::broken;
use crate::decode;
use crate::engine::Engine;
use crate::finding::Finding;
use crate::origin::{Blob, Platform as ChatFormat};
use crate::transcode;

/// A problem with one input that does not stop the scan.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The input it concerns (a path, `-`, an object id...).
    pub input: String,
    pub message: String,
}

/// Receives warnings and progress as the scan runs (the CLI prints them).
pub trait Observer: Sync {
    fn warning(&self, w: &Warning);
    /// Called after each blob is scanned.
    fn progress(&self, _bytes: u64, _findings: usize) {}
    /// A long step before or after scanning (walking a history, resolving provenance):
    /// `done` of `total` units.
    fn stage(&self, _label: &'static str, _done: u64, _total: u64) {}
}

/// An observer that drops everything (library use and tests).
pub struct Silent;

impl Observer for Silent {
    fn warning(&self, _: &Warning) {}
}

/// Counters a scan keeps; every skipped input is counted under one reason.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files (and stdin) read, binary ones included.
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub skipped_binary: AtomicU64,
    pub skipped_too_large: AtomicU64,
    pub skipped_special: AtomicU64,
    pub skipped_symlink: AtomicU64,
    /// Inputs the user may not read (`--host`: other users' processes and files).
    pub skipped_unreadable: AtomicU64,
    pub warnings: AtomicU64,
    /// History blobs scanned around their changed lines only, as a change of the blob they
    /// replaced (their other findings are that blob's).
    pub changed: AtomicU64,
}

/// A plain copy of [`Stats`] after the scan.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct StatsSnapshot {
    pub files: u64,
    pub bytes: u64,
    pub skipped_binary: u64,
    pub skipped_too_large: u64,
    pub skipped_special: u64,
    pub skipped_symlink: u64,
    pub skipped_unreadable: u64,
    pub warnings: u64,
    pub changed: u64,
}

impl StatsSnapshot {
    pub fn skipped(&self) -> u64 {
        self.skipped_binary
            + self.skipped_too_large
            + self.skipped_special
            + self.skipped_symlink
            + self.skipped_unreadable
    }
}

impl Stats {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            files: g(&self.files),
            bytes: g(&self.bytes),
            skipped_binary: g(&self.skipped_binary),
            skipped_too_large: g(&self.skipped_too_large),
            skipped_special: g(&self.skipped_special),
            skipped_symlink: g(&self.skipped_symlink),
            skipped_unreadable: g(&self.skipped_unreadable),
            warnings: g(&self.warnings),
            changed: g(&self.changed),
        }
    }
}

/// Turns a blob into findings: the rule engine, fingerprint matching, or both.
pub trait Detector: Sync {
    fn detect(&self, blob: &Blob<'_>) -> Vec<Finding>;

    /// Findings a binary blob has without its content being read: gitleaks path-only rules
    /// (a `.p12` file is the finding). None by default.
    fn detect_binary(&self, _blob: &Blob<'_>) -> Vec<Finding> {
        Vec::new()
    }

    /// True when findings of `rule_id` in git commit `commit` are allowlisted. None by default.
    fn allows_commit(&self, _rule_id: &str, _commit: &str) -> bool {
        false
    }

    /// Some(n) when each finding depends only on its own lines and `n` lines around them,
    /// in text at `path` where [`Detector::may_span_lines`] is false: a changed blob may then be
    /// scanned around its changed lines only. None (the default): findings may depend on
    /// the whole blob.
    fn line_reach(&self, _path: Option<&str>) -> Option<u32> {
        None
    }

    /// True when a finding in `hay` may span many lines (a block rule's keyword is in it).
    fn may_span_lines(&self, _hay: &[u8]) -> bool {
        true
    }

    /// True when the same bytes give the same findings at path `a` as at path `b` (a blob
    /// scanned at one may then be scanned as a change of a blob scanned at the other). By
    /// default only when the paths are equal.
    fn same_findings_at(&self, a: Option<&str>, b: Option<&str>) -> bool {
        a == b
    }
}

impl Detector for Engine {
    fn detect(&self, blob: &Blob<'_>) -> Vec<Finding> {
        self.scan(blob)
    }

    fn detect_binary(&self, blob: &Blob<'_>) -> Vec<Finding> {
        self.scan_path_only(blob)
    }

    fn allows_commit(&self, rule_id: &str, commit: &str) -> bool {
        Engine::allows_commit(self, rule_id, commit)
    }

    fn line_reach(&self, path: Option<&str>) -> Option<u32> {
        Engine::line_reach(self, path)
    }

    fn may_span_lines(&self, hay: &[u8]) -> bool {
        Engine::may_span_lines(self, hay)
    }

    fn same_findings_at(&self, a: Option<&str>, b: Option<&str>) -> bool {
        Engine::same_findings_at(self, a, b)
    }
}

/// Chat messages and emails: secrets split by a wrapped line (quoted or not) or invisible
/// characters, found in the message with those gaps joined. A split secret replaces the
/// pieces of it the same rule found.
fn broken_in_message(sink: &Sink<'_>, blob: &Blob<'_>, found: &mut Vec<Finding>) {
    let Some(joined) = broken::join_for_rules(blob.bytes) else { return };
    let inner = Blob { bytes: &joined.bytes, origin: Arc::clone(&blob.origin) };
    for f in sink.detect_plain(&inner) {
        let at = f.span.byte_start..f.span.byte_end;
        if !joined.crosses_gap(&at) {
            continue;
        }
        let range = joined.original(at);
        if found.iter().any(|g| g.rule.id == f.rule.id && g.digest == f.digest) {
            continue;
        }
        // Something found as-is here wins, unless it is this rule's match of the first piece,
        // or less sure than the joined secret and only a piece of it or inside it (a generic
        // rule's match of the same text, invisible characters and all).
        let overlaps = |g: &Finding| g.span.byte_start < range.end && range.start < g.span.byte_end;
        let first_piece = |g: &Finding| broken::gap_after(blob.bytes, g.span.byte_end).is_some_and(|n| n > 0);
        let inside = |g: &Finding| range.start <= g.span.byte_start && g.span.byte_end <= range.end;
        let piece = |g: &Finding| {
            (g.rule.id == f.rule.id && first_piece(g)) || (g.confidence < f.confidence && (first_piece(g) || inside(g)))
        };
        if found.iter().any(|g| overlaps(g) && !piece(g)) {
            continue;
        }
        found.retain(|g| !overlaps(g));
        let Some(mut located) = Finding::locate_all(blob, vec![(Arc::clone(&f.rule), range, f.confidence)]).pop()
        else {
            continue;
        };
        located.secret = f.secret;
        located.digest = f.digest;
        located.encoding = f.encoding;
        located.broken = true;
        found.push(located);
    }
}

/// Where sources deliver blobs: runs the detector, collects findings, counts and warns.
pub struct Sink<'a> {
    detector: &'a dyn Detector,
    obs: &'a dyn Observer,
    chat: Option<ChatFormat>,
    decode: bool,
    broken: bool,
    pub stats: Stats,
    found: Mutex<Vec<Finding>>,
}

impl<'a> Sink<'a> {
    pub fn new(detector: &'a dyn Detector, obs: &'a dyn Observer) -> Sink<'a> {
        Sink {
            detector,
            obs,
            chat: None,
            decode: true,
            broken: true,
            stats: Stats::default(),
            found: Mutex::new(Vec::new()),
        }
    }

    /// Reads every text input as this chat format (`--chat`).
    pub fn with_chat_format(mut self, format: Option<ChatFormat>) -> Self {
        self.chat = format;
        self
    }

    /// Turns the decoders (base64, percent, escapes, entities, quoted-printable) on or off.
    pub fn with_decoders(mut self, on: bool) -> Self {
        self.decode = on;
        self
    }

    /// Joins secrets split in chat messages and mail (line breaks, quote markers, invisible
    /// characters) before detection too; on by default.
    pub fn with_broken(mut self, on: bool) -> Self {
        self.broken = on;
        self
    }

    pub fn chat_format(&self) -> Option<ChatFormat> {
        self.chat
    }

    /// Findings in `blob`, not yet collected (sources that add provenance use this). UTF-16
    /// and UTF-32 text is scanned as the UTF-8 text it holds; positions count its characters.
    pub fn detect(&self, blob: &Blob<'_>) -> Vec<Finding> {
        self.obs.progress(blob.bytes.len() as u64, 0);
        let Some((wide, bom)) = transcode::detect(blob.bytes) else { return self.detect_text(blob) };
        let text = transcode::to_utf8(blob.bytes, wide, bom);
        let mut found = self.detect_text(&Blob { bytes: text.as_bytes(), origin: Arc::clone(&blob.origin) });
        for f in &mut found {
            f.encoding.insert(0, wide.as_str());
        }
        found
    }

    fn detect_text(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let mut found = self.detect_plain(blob);
        if self.broken && matches!(&*blob.origin, crate::origin::Origin::Chat(_)) {
            broken_in_message(self, blob, &mut found);
        }
        found
    }

    fn detect_plain(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let mut found = self.detector.detect(blob);
        if self.decode {
            let decoded = decode::detect_decoded(self.detector, blob, 0);
            // A secret already found as-is at the same place is not reported again.
            for f in decoded {
                let dup = found.iter().any(|g| {
                    g.rule.id == f.rule.id
                        && g.digest == f.digest
                        && g.span.byte_start < f.span.byte_end
                        && f.span.byte_start < g.span.byte_end
                });
                if !dup {
                    // A less sure finding of the encoded text itself (a generic `KEY: <base64>`)
                    // gives way to what its decoding showed.
                    found.retain(|g| {
                        g.encoding.len() >= f.encoding.len()
                            || g.confidence >= f.confidence
                            || g.span.byte_end <= f.span.byte_start
                            || f.span.byte_end <= g.span.byte_start
                    });
                    found.push(f);
                }
            }
        }
        found
    }

    /// [`Detector::line_reach`] of this sink's detector for a blob at `path`, read as plain
    /// text (not as a chat export, whose messages are decided as a whole).
    pub fn line_reach(&self, path: Option<&str>) -> Option<u32> {
        if self.chat.is_some() { None } else { self.detector.line_reach(path) }
    }

    /// True when text is UTF-16/32 (decoded as a whole before it is scanned).
    pub fn is_wide(&self, bytes: &[u8]) -> bool {
        transcode::detect(bytes).is_some()
    }

    /// [`Detector::same_findings_at`] of this sink's detector.
    pub fn same_findings_at(&self, a: Option<&str>, b: Option<&str>) -> bool {
        self.detector.same_findings_at(a, b)
    }

    /// [`Detector::may_span_lines`] of this sink's detector.
    pub fn may_span_lines(&self, bytes: &[u8]) -> bool {
        self.detector.may_span_lines(bytes)
    }

    /// Collects findings.
    pub fn push(&self, mut findings: Vec<Finding>) {
        if !findings.is_empty() {
            self.obs.progress(0, findings.len());
            self.found.lock().unwrap_or_else(|p| p.into_inner()).append(&mut findings);
        }
    }

    /// Detects and collects.
    pub fn blob(&self, blob: &Blob<'_>) {
        self.push(self.detect(blob));
    }

    /// A binary blob: its content is skipped (and counted), path-only rules still apply.
    pub fn binary(&self, blob: &Blob<'_>) {
        self.push(self.detect_binary(blob));
    }

    /// Findings of a binary blob (path-only rules), not yet collected; the blob is counted
    /// as skipped.
    pub fn detect_binary(&self, blob: &Blob<'_>) -> Vec<Finding> {
        Stats::add(&self.stats.skipped_binary, 1);
        self.detector.detect_binary(blob)
    }

    /// Reports a problem with one input and counts it; the scan goes on.
    pub fn warn(&self, input: impl Into<String>, message: impl Into<String>) {
        Stats::add(&self.stats.warnings, 1);
        self.obs.warning(&Warning { input: input.into(), message: message.into() });
    }

    /// True when findings of `rule_id` in git commit `commit` are allowlisted.
    pub fn allows_commit(&self, rule_id: &str, commit: &str) -> bool {
        self.detector.allows_commit(rule_id, commit)
    }

    pub fn observer(&self) -> &dyn Observer {
        self.obs
    }

    /// The collected findings, sorted by path, position and rule.
    pub fn into_findings(self) -> (Vec<Finding>, StatsSnapshot) {
        let mut findings = self.found.into_inner().unwrap_or_else(|p| p.into_inner());
        findings.sort_by_cached_key(Finding::sort_key);
        (findings, self.stats.snapshot())
    }
}
