//! Running a scan: sources → engine → collected, baseline-filtered findings.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::engine::Engine;
use crate::finding::Finding;
use crate::origin::{Blob, Origin};
use crate::source::fs::{WalkOptions, walk};
use crate::source::{Observer, Stats, StatsSnapshot, Warning};

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Files and directories; `-` is standard input.
    pub paths: Vec<PathBuf>,
    pub walk: WalkOptions,
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
}

/// Scans every input with `engine`. Unreadable files are reported to `obs` and counted;
/// inputs that do not exist are returned in `failed_inputs`.
pub fn scan(engine: &Engine, opts: &ScanOptions, obs: &dyn Observer) -> ScanOutcome {
    let start = Instant::now();
    let stats = Stats::default();
    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let push = |mut f: Vec<Finding>| {
        if !f.is_empty() {
            obs.progress(0, f.len());
            found.lock().unwrap_or_else(|p| p.into_inner()).append(&mut f);
        }
    };
    let (stdin, paths): (Vec<&PathBuf>, Vec<&PathBuf>) = opts.paths.iter().partition(|p| p.as_os_str() == "-");
    let mut failed = Vec::new();
    if !stdin.is_empty() {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => {
                Stats::add(&stats.files, 1);
                Stats::add(&stats.bytes, bytes.len() as u64);
                push(engine.scan(&Blob { bytes: &bytes, origin: Arc::new(Origin::Stdin) }));
            }
            Err(e) => failed.push(Warning { input: "-".into(), message: e.to_string() }),
        }
    }
    let roots: Vec<PathBuf> = paths.into_iter().cloned().collect();
    if !roots.is_empty() {
        failed.extend(walk(&roots, &opts.walk, &stats, obs, |origin, bytes| {
            obs.progress(bytes.len() as u64, 0);
            push(engine.scan(&Blob { bytes, origin }));
        }));
    }
    let mut findings = found.into_inner().unwrap_or_else(|p| p.into_inner());
    findings.sort_by_cached_key(Finding::sort_key);
    ScanOutcome { findings, stats: stats.snapshot(), failed_inputs: failed, elapsed: start.elapsed() }
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
