//! Running a scan: sources → engine → collected, baseline-filtered findings.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::engine::Engine;
use crate::finding::Finding;
use crate::fingerprint::FingerprintMatcher;
use crate::origin::Blob;
use crate::origin::Origin;
use crate::sink::{Detector, Observer, Sink, Stats, StatsSnapshot, Warning};
use crate::source::chat::ChatFormat;
use crate::source::dispatch;
use crate::source::fs::{WalkOptions, walk};
use crate::source::git::{self, GitMode};

/// Rules and fingerprints in one pass (`scan --fingerprints`).
pub struct Combined<'a> {
    pub engine: &'a Engine,
    pub prints: &'a FingerprintMatcher,
}

impl Detector for Combined<'_> {
    fn detect(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let mut found = self.engine.scan(blob);
        found.extend(self.prints.detect(blob));
        found
    }

    fn detect_binary(&self, blob: &Blob<'_>) -> Vec<Finding> {
        self.engine.scan_path_only(blob)
    }

    fn allows_commit(&self, rule_id: &str, commit: &str) -> bool {
        self.engine.allows_commit(rule_id, commit)
    }
}

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Files and directories; `-` is standard input. With `git`, paths inside a repository
    /// are scanned as that repository's history.
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
    /// Scan git history (`--git`, `--all-objects`, `--range`).
    pub git: Option<GitMode>,
    /// Scan the staged changes of the repository at the first path (`--staged`).
    pub staged: bool,
    /// Read every text input as this chat/mail format (`--chat`).
    pub chat: Option<ChatFormat>,
    /// Skip the decoders (`--no-decode`).
    pub no_decode: bool,
}

/// The result of a scan.
#[derive(Debug)]
pub struct ScanOutcome {
    /// Sorted by path, position, rule.
    pub findings: Vec<Finding>,
    pub stats: StatsSnapshot,
    /// Inputs given by the user that could not be scanned at all (missing paths...).
    pub failed_inputs: Vec<Warning>,
    pub elapsed: Duration,
    /// Repositories scanned in git or staged mode.
    pub vcs: Vec<git::VcsInfo>,
    /// The file and directory roots walked (as given; not the repositories of a git scan).
    pub walk_roots: Vec<PathBuf>,
}

/// Scans every input with `detector`. Unreadable files are reported to `obs` and counted;
/// inputs that do not exist are returned in `failed_inputs`.
pub fn scan(detector: &dyn Detector, opts: &ScanOptions, obs: &dyn Observer) -> ScanOutcome {
    let start = Instant::now();
    let sink = Sink::new(detector, obs).with_chat_format(opts.chat).with_decoders(!opts.no_decode);
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = opts.paths.iter().partition(|p| p.as_os_str() == "-");
    let mut failed = Vec::new();
    if !stdin.is_empty() {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => {
                Stats::add(&sink.stats.files, 1);
                Stats::add(&sink.stats.bytes, bytes.len() as u64);
                dispatch(&sink, Arc::new(Origin::Stdin), &bytes, None);
            }
            Err(e) => failed.push(Warning { input: "-".into(), message: e.to_string() }),
        }
    }
    let mut roots: Vec<PathBuf> = paths.into_iter().cloned().collect();
    let mut vcs = Vec::new();
    if opts.staged {
        vcs.extend(git::vcs_info(roots.first().map_or(Path::new("."), |p| p.as_path())));
        let repo = roots.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        if let Err(e) = git::staged::scan(&sink, &repo) {
            failed.push(Warning { input: repo.display().to_string(), message: e.to_string() });
        }
        roots.clear();
    } else if let Some(mode) = &opts.git {
        let (repos, plain): (Vec<PathBuf>, Vec<PathBuf>) = roots.into_iter().partition(|p| git::is_repository(p));
        if repos.is_empty() {
            for p in &plain {
                failed.push(Warning { input: p.display().to_string(), message: "not a git repository".into() });
            }
            roots = Vec::new();
        } else {
            for repo in &repos {
                vcs.extend(git::vcs_info(repo));
                if let Err(e) = git::scan(&sink, repo, mode, opts.walk.threads) {
                    failed.push(Warning { input: repo.display().to_string(), message: e.to_string() });
                }
            }
            roots = plain;
        }
    }
    if !roots.is_empty() {
        failed
            .extend(walk(&roots, &opts.walk, &sink, |origin, path, bytes| dispatch(&sink, origin, bytes, Some(path))));
    }
    let (findings, stats) = sink.into_findings();
    ScanOutcome { findings, stats, failed_inputs: failed, elapsed: start.elapsed(), vcs, walk_roots: roots }
}

/// Findings accepted by an earlier report: (rule id, secret digest) pairs.
#[derive(Debug, Default)]
pub struct Baseline {
    known: HashSet<(String, String)>,
}

/// Errors reading a baseline report.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a keytrail JSON or JSONL report: {message}")]
    Format { path: String, message: String },
}

impl Baseline {
    /// Reads a `--format json` (array) or `--format jsonl` report.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io { path: shown.clone(), source })?;
        let bad = |message: String| BaselineError::Format { path: shown.clone(), message };
        let values: Vec<serde_json::Value> = if text.trim_start().starts_with('[') {
            serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?
        } else {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(serde_json::from_str)
                .collect::<Result<_, _>>()
                .map_err(|e| bad(e.to_string()))?
        };
        let mut known = HashSet::new();
        for (i, v) in values.iter().enumerate() {
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            match (field("rule"), field("digest")) {
                (Some(r), Some(d)) => known.insert((r, d)),
                _ => return Err(bad(format!("finding {} lacks \"rule\" or \"digest\"", i + 1))),
            };
        }
        Ok(Baseline { known })
    }

    /// True when the finding was in the baseline (same rule and same secret, wherever it is).
    pub fn contains(&self, f: &Finding) -> bool {
        self.known.contains(&(f.rule.id.clone(), f.digest.to_hex()))
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}
