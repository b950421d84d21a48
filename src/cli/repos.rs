//! `--repos FILE`: prints each repository's findings as soon as it is scanned (JSONL, human,
//! or a JSON array / SARIF log written one repository at a time), a line per repository on
//! stderr, and the exit code of the whole list.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};

use keytrail::Finding;
use keytrail::remote::CloneOptions;
use keytrail::report::{self, Format, JsonFinding, ReportContext};
use keytrail::repos::{self, Entry, RepoOutcome, Target};
use keytrail::sink::Detector;
use keytrail::source::{Observer, Warning};
use keytrail::{ScanOptions, ScanOutcome};

/// Exit code when at least one repository of the list could not be scanned.
pub const EXIT_REPO_FAILED: u8 = 3;

/// Writes a report of `findings` in a format (human and JSONL reports per repository).
pub type WriteFn<'a> = dyn Fn(Format, &[Finding], &ReportContext, &mut dyn Write) -> io::Result<()> + Sync + 'a;

/// What `--repos` was asked to do.
pub struct RepoRun<'a> {
    pub list: PathBuf,
    pub index: Option<usize>,
    pub parallel: usize,
    pub keep_clone: Option<PathBuf>,
    pub base: ScanOptions,
    pub detector: &'a dyn Detector,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub reveal: bool,
    pub quiet: bool,
    pub exit_code: u8,
    /// Drops findings of one repository the user has accepted (baseline).
    pub filter: &'a (dyn Fn(&mut Vec<Finding>) + Sync),
    pub write: &'a WriteFn<'a>,
}

/// Prints a scan's warnings naming the repository they belong to.
struct Named<'a>(&'a str);

impl Observer for Named<'_> {
    fn warning(&self, w: &Warning) {
        eprintln!("keytrail: warning: {}: {}: {}", self.0, w.input, w.message);
    }
}

/// The report being written, one repository at a time.
struct Out {
    w: Box<dyn Write + Send>,
    /// Something (a finding, a run) was already written inside the JSON array or SARIF runs.
    started: bool,
}

pub fn run(r: RepoRun<'_>) -> Result<u8> {
    let entries = repos::list::load(&r.list, r.index)?;
    repos::check_clones_outside(&entries, r.keep_clone.as_deref())?;
    let parallel = r.parallel.max(1);
    let mut base = r.base.clone();
    if base.walk.threads == 0 && parallel > 1 {
        // N repositories at a time share the cores.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        base.walk.threads = (cores / parallel).max(1);
    }
    let prompt = false;
    let w: Box<dyn Write + Send> = match &r.output {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("{}: cannot create output file", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout())),
    };
    let out = Mutex::new(Out { w, started: false });
    let shown_output = r.output.as_ref().map_or("standard output".to_string(), |p| p.display().to_string());
    write_raw(&out, &shown_output, opening(r.format))?;
    let (failed, found) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let write_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let start = Instant::now();
    let total = entries.len();
    repos::for_each(&entries, parallel, |i, entry| {
        let name = entry.name();
        let clone = CloneOptions {
            keep: r.keep_clone.as_ref().map(|k| match &entry.target {
                Target::Remote(url) => repos::kept_clone_dir(k, url),
                Target::Path(_) => k.clone(),
            }),
            prompt,
        };
        match repos::scan_one(entry, &base, r.detector, &clone, &Named(&name)) {
            Ok(mut done) => {
                (r.filter)(&mut done.outcome.findings);
                found.fetch_add(done.outcome.findings.len(), Ordering::Relaxed);
                if !r.quiet {
                    let ctx = context(&done, r.reveal);
                    let line = report::summary(done.outcome.findings.len(), &ctx);
                    let line = line.strip_prefix("keytrail: ").unwrap_or(&line);
                    eprintln!("keytrail: [{}/{total}] {name}: {line}", i + 1);
                }
                if let Err(e) = emit(&out, &r, entry, done) {
                    write_error.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                }
            }
            Err(e) => {
                failed.fetch_add(1, Ordering::Relaxed);
                eprintln!("keytrail: warning: [{}/{total}] {e}", i + 1);
            }
        }
    });
    if let Some(e) = write_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        // A reader that stopped reading (`| head`) is not an error, as for a single scan.
        let closed = e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe);
        if !closed {
            return Err(e.context(format!("writing the report to {shown_output}")));
        }
    }
    write_raw(&out, &shown_output, closing(r.format))?;
    let (failed, found) = (failed.into_inner(), found.into_inner());
    if !r.quiet {
        eprintln!(
            "keytrail: {total} repositor{}: {} scanned, {failed} failed; {found} finding{} in {:.2}s",
            if total == 1 { "y" } else { "ies" },
            total - failed,
            if found == 1 { "" } else { "s" },
            start.elapsed().as_secs_f64()
        );
    }
    Ok(if failed > 0 {
        EXIT_REPO_FAILED
    } else if found > 0 {
        r.exit_code
    } else {
        0
    })
}

fn context(done: &RepoOutcome, reveal: bool) -> ReportContext {
    let o: &ScanOutcome = &done.outcome;
    ReportContext {
        reveal,
        color: false,
        stats: o.stats,
        elapsed: o.elapsed,
        vcs: o.vcs.clone(),
        sarif_root: None,
        walk_roots: o.walk_roots.clone(),
        validations: Default::default(),
        repository: Some(done.name.clone()),
        links: done.links.clone(),
    }
}

/// Writes one repository's findings and flushes, so they are out as soon as it is done.
fn emit(out: &Mutex<Out>, r: &RepoRun<'_>, entry: &Entry, done: RepoOutcome) -> Result<()> {
    let mut ctx = context(&done, r.reveal);
    if r.format == Format::Sarif {
        // Paths of a working-tree scan are relative to the listed directory.
        if let Target::Path(p) = &entry.target {
            ctx.sarif_root = Some(report::sarif_root(std::slice::from_ref(p), None));
        }
    }
    let findings = &done.outcome.findings;
    let mut buf: Vec<u8> = Vec::new();
    let mut o = out.lock().unwrap_or_else(|p| p.into_inner());
    match r.format {
        Format::Json => {
            for f in findings {
                buf.extend_from_slice(if o.started { b",\n" } else { b"\n" });
                serde_json::to_writer_pretty(&mut buf, &JsonFinding::new(f, &ctx))?;
                o.started = true;
            }
        }
        Format::Sarif => {
            if let Some(w) = report::sarif_truncation_warning(findings.len()) {
                eprintln!("keytrail: warning: {}: {w}", done.name);
            }
            buf.extend_from_slice(if o.started { b",\n" } else { b"\n" });
            serde_json::to_writer_pretty(&mut buf, &report::sarif_run(findings, &ctx))?;
            o.started = true;
        }
        Format::Human => {
            if !findings.is_empty() {
                writeln!(buf, "{}== {} ==", if o.started { "\n" } else { "" }, done.name)?;
                (r.write)(Format::Human, findings, &ctx, &mut buf)?;
                o.started = true;
            }
        }
        Format::Jsonl => (r.write)(Format::Jsonl, findings, &ctx, &mut buf)?,
    }
    o.w.write_all(&buf)?;
    o.w.flush()?;
    Ok(())
}

fn opening(format: Format) -> &'static str {
    match format {
        Format::Json => "[",
        Format::Sarif => {
            "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": ["
        }
        _ => "",
    }
}

fn closing(format: Format) -> &'static str {
    match format {
        Format::Json => "\n]\n",
        Format::Sarif => "\n  ]\n}\n",
        _ => "",
    }
}

fn write_raw(out: &Mutex<Out>, shown: &str, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let mut o = out.lock().unwrap_or_else(|p| p.into_inner());
    let res = o.w.write_all(text.as_bytes()).and_then(|_| o.w.flush());
    match res {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| format!("writing the report to {shown}")),
    }
}

/// A PATH given on the command line that is a remote URL: the only PATH, scanned through a
/// temporary mirror clone (`--git` implied).
pub fn single_remote(paths: &[PathBuf]) -> Result<Option<Entry>> {
    let remotes: Vec<&PathBuf> = paths.iter().filter(|p| p.to_str().is_some_and(keytrail::remote::is_remote)).collect();
    match (remotes.as_slice(), paths.len()) {
        ([], _) => Ok(None),
        ([one], 1) => Ok(Some(Entry { line: 0, target: Target::parse(&one.to_string_lossy()) })),
        _ => anyhow::bail!("a remote URL must be the only PATH; list several repositories in a file for --repos FILE"),
    }
}

/// A scanned remote's name (URL without credentials) and web links.
pub type RemoteName = (String, Option<keytrail::remote::WebLinks>);

/// A scan of the PATHs, or of the remote URL given as the only PATH through a temporary
/// mirror clone (its name and web links returned for the report).
pub fn scan_or_clone(
    detector: &dyn Detector,
    opts: &ScanOptions,
    paths: &[PathBuf],
    keep_clone: Option<&Path>,
    obs: &dyn Observer,
) -> Result<(ScanOutcome, Option<RemoteName>)> {
    let Some(entry) = single_remote(paths)? else {
        return Ok((keytrail::scan(detector, opts, obs), None));
    };
    let clone = CloneOptions { keep: keep_clone.map(Path::to_path_buf), prompt: io::stdin().is_terminal() };
    let done = repos::scan_one(&entry, opts, detector, &clone, obs)?;
    Ok((done.outcome, Some((done.name, done.links))))
}
