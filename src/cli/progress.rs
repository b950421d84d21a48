//! Warnings on stderr, and a live progress line (files, bytes, MB/s, findings) when stderr
//! is a terminal.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use keytrail::source::{Observer, Warning};

#[derive(Default)]
struct Counters {
    /// The current long step (walking a history, resolving provenance) and its counts.
    stage: std::sync::Mutex<Option<(&'static str, u64, u64)>>,
    blobs: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
    done: AtomicBool,
}

/// Prints warnings; with `show` also draws a progress line until dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
    counters: Arc<Counters>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn new(show: bool) -> Progress {
        let counters = Arc::new(Counters::default());
        if !show {
            return Progress { bar: None, counters, ticker: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        let (b, c) = (bar.clone(), Arc::clone(&counters));
        let start = Instant::now();
        let ticker = std::thread::spawn(move || {
            while !c.done.load(Ordering::Relaxed) {
                let bytes = c.bytes.load(Ordering::Relaxed) as f64 / 1e6;
                let secs = start.elapsed().as_secs_f64().max(1e-3);
                let stage = *c.stage.lock().unwrap_or_else(|p| p.into_inner());
                let prefix = match stage {
                    Some((label, done, total)) => format!("{label} {done}/{total} · "),
                    None => String::new(),
                };
                b.set_message(format!(
                    "{prefix}{} blobs scanned · {:.1} MB · {:.0} MB/s · {} findings",
                    c.blobs.load(Ordering::Relaxed),
                    bytes,
                    bytes / secs,
                    c.findings.load(Ordering::Relaxed)
                ));
                b.tick();
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        Progress { bar: Some(bar), counters, ticker: Some(ticker) }
    }

    /// Stops and erases the progress line.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.counters.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Observer for Progress {
    fn warning(&self, w: &Warning) {
        let line = format!("keytrail: warning: {}: {}", w.input, w.message);
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn stage(&self, label: &'static str, done: u64, total: u64) {
        *self.counters.stage.lock().unwrap_or_else(|p| p.into_inner()) = Some((label, done, total));
    }

    fn progress(&self, bytes: u64, findings: usize) {
        if bytes > 0 {
            self.counters.blobs.fetch_add(1, Ordering::Relaxed);
            self.counters.bytes.fetch_add(bytes, Ordering::Relaxed);
        }
        self.counters.findings.fetch_add(findings as u64, Ordering::Relaxed);
    }
}
