//! The keytrail command line: parses arguments, calls the library, prints, maps exit codes.

mod cli;

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use keytrail::fingerprint::{AddOptions, FingerprintFile, FingerprintMatcher};
use keytrail::gitleaksignore::GitleaksIgnore;
use keytrail::hook::{HookKind, HookScan};
use keytrail::report::{self, Format, ReportContext};
use keytrail::rules::{self, RuleOptions, check};
use keytrail::scan::Combined;
use keytrail::sink::Detector;
use keytrail::source::chat::ChatFormat;
use keytrail::source::fs::WalkOptions;
use keytrail::source::git::GitMode;
use keytrail::{Baseline, Engine, ScanOptions, ScanOutcome};

use cli::keys::read_keys;
use cli::merge::MergeFormat;
use cli::progress::Progress;
use cli::repos::RepoRun;
use cli::validate::ValidateArgs;
use keytrail::validate::{ContextDetector, Validations};

#[derive(Parser)]
#[command(
    name = "keytrail",
    version,
    about = "Find leaked secrets, and trace where a known key went",
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (`-` for stdin) for secrets.
    Scan(ScanArgs),
    /// Fingerprint leaked keys read from stdin (never from arguments) into a shareable file.
    Fingerprint(FingerprintArgs),
    /// Find every copy of fingerprinted keys: who put them where, and when.
    Trace(TraceArgs),
    /// List or check detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Install keytrail as a git pre-commit hook.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Is each key live? Keys from stdin or a hidden prompt (never arguments); one request each.
    Verify(cli::verify::VerifyArgs),
    /// Why does a key get 401? Stray characters, prefixes, look-alikes, format; with
    /// --base-url, what the server's answer means. Never prints the key.
    Doctor(cli::doctor::DoctorArgs),
    /// Work with reports of earlier runs.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Merge JSON, JSONL and SARIF reports (e.g. one per repository) into one: one SARIF run
    /// per repository, duplicates (same rule, secret and location) dropped; prints a summary
    /// per repository on stderr. Exit code 0: no findings, 1: findings, 2: an unreadable input.
    Merge {
        /// Reports to merge.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = MergeFormat::Sarif)]
        format: MergeFormat,
        /// Write the merged report to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// No summary.
        #[arg(short, long)]
        quiet: bool,
    },
}

#[derive(Subcommand)]
enum HookCommand {
    /// Write a pre-commit hook running `keytrail scan --staged` (or a pre-push hook) where git
    /// runs hooks (core.hooksPath, the main repository's hooks for a linked worktree).
    Install {
        /// Repository (default: the one containing the current directory).
        #[arg(value_name = "REPO", default_value = ".")]
        repo: PathBuf,
        /// Write a pre-push hook: scan the commits being pushed.
        #[arg(long)]
        pre_push: bool,
        /// Replace an existing hook that keytrail did not write.
        #[arg(long)]
        force: bool,
    },
    /// The pre-commit framework's entry: scans the range in PRE_COMMIT_FROM_REF and
    /// PRE_COMMIT_TO_REF, else the staged changes while git commits, else the FILEs.
    Run {
        /// Files passed by the framework (`--all-files`, `--files`).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Config file (default: .keytrail.toml, else .gitleaks.toml, in the current directory,
        /// read as a scan of `.` reads it).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Args)]
struct RuleArgs {
    /// Config file (default: .keytrail.toml, else .gitleaks.toml, at the first scanned directory).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Extra rule file or directory of *.toml rule files (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Run only these rules (repeatable).
    #[arg(long = "enable-rule", value_name = "ID")]
    enable: Vec<String>,
    /// Never run these rules (repeatable).
    #[arg(long = "disable-rule", value_name = "ID")]
    disable: Vec<String>,
    /// Where .keytrail.toml/.gitleaks.toml are looked for (default: the first scanned directory).
    #[arg(long, value_name = "DIR", hide = true)]
    config_root: Option<PathBuf>,
}

/// What to read.
#[derive(Args)]
struct InputArgs {
    /// Files and directories to scan; `-` reads standard input (default: `.`, none with --host).
    /// A remote URL (https, ssh, git://, file://) as the only PATH scans its history through a
    /// temporary mirror clone.
    #[arg(value_name = "PATH", conflicts_with = "repos")]
    paths: Vec<PathBuf>,
    /// Also read where running software keeps keys on this machine: process environments and
    /// command lines, crontabs, systemd units and their EnvironmentFiles, /etc/environment,
    /// shell histories, credential files in each home, Docker/Podman container configs.
    #[arg(long)]
    host: bool,
    /// With --host: the directory the host's `/` is at (a mounted image; default `/`).
    #[arg(long, value_name = "DIR")]
    host_root: Option<PathBuf>,
    /// Skip files larger than this many bytes (default: no limit; large files are mmapped).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Worker threads (default: number of cores).
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Scan git history: every blob reachable from any ref, HEAD, reflogs (deleted branches,
    /// amended commits) and stashes, and every unreachable blob in the object database
    /// (flagged `unreachable`). PATHs inside a repository are read as that repository.
    #[arg(long)]
    git: bool,
    /// With --git: leave out unreachable objects (only what refs, reflogs and stashes reach).
    #[arg(long, conflicts_with = "all_objects")]
    reachable_only: bool,
    /// Implies --git; unreachable objects are scanned by default now (kept for old scripts).
    #[arg(long, hide = true)]
    all_objects: bool,
    /// Only blobs introduced by the commits of A..B (e.g. origin/main..HEAD); implies --git.
    #[arg(long, value_name = "A..B", conflicts_with_all = ["all_objects", "reachable_only"])]
    range: Option<String>,
    /// Read text inputs as this chat/mail export format (default: recognised by structure).
    #[arg(long, value_enum, value_name = "FORMAT")]
    chat: Option<ChatFormat>,
    /// Don't decode base64, percent-encoding, escapes and HTML entities.
    #[arg(long)]
    no_decode: bool,
    /// Only whole copies: don't join secrets split by line breaks, quote markers, invisible
    /// characters (and, for trace, spaces).
    #[arg(long)]
    no_broken: bool,
    /// Scan what `git commit` would record (index vs HEAD), added lines only.
    #[arg(long, conflicts_with_all = ["git", "all_objects", "reachable_only", "range"])]
    staged: bool,
    /// Scan every repository listed in FILE (paths and URLs, one a line, `#` comments), each
    /// on its own, its findings written as soon as it is done. A URL's history is scanned
    /// through a temporary mirror clone; a path as the other options say. Exit code 3 when a
    /// repository could not be scanned (the others still are).
    #[arg(long, value_name = "FILE", conflicts_with = "staged")]
    repos: Option<PathBuf>,
    /// With --repos: scan N repositories at a time (the cores are shared among them).
    #[arg(long, value_name = "N", default_value_t = 1, requires = "repos")]
    parallel_repos: usize,
    /// With --repos: scan only the repository at index N of the list (0-based, comments and
    /// blank lines not counted), e.g. a Kubernetes Indexed Job's $JOB_COMPLETION_INDEX.
    #[arg(long, value_name = "N", requires = "repos")]
    repos_index: Option<usize>,
    /// Keep the mirror clone of a remote URL in DIR and fetch into it on the next run instead
    /// of cloning again (with --repos, one directory per remote inside DIR).
    #[arg(long, value_name = "DIR")]
    keep_clone: Option<PathBuf>,
}

/// How to report.
#[derive(Args)]
struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit code when secrets are found.
    #[arg(long, value_name = "N", default_value_t = 1)]
    exit_code: u8,
    /// Print secrets in full (local use only; never in CI logs).
    #[arg(long)]
    reveal: bool,
    /// No summary line.
    #[arg(short, long)]
    quiet: bool,
    /// SARIF paths are relative to DIR (default: the git work tree holding the first PATH,
    /// else that directory). Use the checkout directory GitHub code scanning sees.
    #[arg(long, value_name = "DIR")]
    sarif_root: Option<PathBuf>,
}

#[derive(Args)]
struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Don't honour .gitignore, .ignore and .git/info/exclude.
    #[arg(long)]
    no_ignore: bool,
    #[command(flatten)]
    rules: RuleArgs,
    /// Also report copies of the keys in this fingerprint file (repeatable).
    #[arg(long = "fingerprints", value_name = "FILE")]
    fingerprints: Vec<PathBuf>,
    /// Suppress findings recorded in an earlier JSON/JSONL report (same rule and secret).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Report only findings at least this sure: high, medium or low (see README, "Confidence").
    #[arg(long, value_name = "LEVEL", default_value = "medium", value_parser = parse_confidence)]
    confidence: rules::Confidence,
    #[command(flatten)]
    validate: ValidateArgs,
    #[command(flatten)]
    output: OutputArgs,
}

fn parse_confidence(s: &str) -> Result<rules::Confidence, String> {
    rules::Confidence::parse(s).ok_or_else(|| format!("{s:?} is not high, medium or low"))
}

#[derive(Args)]
struct FingerprintArgs {
    /// Label of the key (several keys: LABEL-1, LABEL-2, ...).
    #[arg(long, default_value = "key")]
    label: String,
    /// Write the fingerprint file here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Add to the existing file given with -o, keeping its salt.
    #[arg(long, requires = "output")]
    append: bool,
    /// Don't record the key's last 4 characters.
    #[arg(long)]
    no_hint: bool,
    /// Accept keys under 16 characters (their digests could be brute-forced).
    #[arg(long)]
    allow_short: bool,
}

#[derive(Args)]
struct TraceArgs {
    /// Fingerprint file(s) made by `keytrail fingerprint` (repeatable).
    #[arg(long = "fingerprints", short = 'f', value_name = "FILE", required = true)]
    fingerprints: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Honour .gitignore/.ignore (by default trace looks everywhere: an ignored .env is
    /// exactly where a key hides).
    #[arg(long)]
    respect_ignore: bool,
    #[command(flatten)]
    validate: ValidateArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// List the rules that would run.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Validate rule files and run their examples (no FILE: the built-in rules).
    Check {
        /// Rule files or directories.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Fingerprint(args) => run_fingerprint(args),
        Command::Trace(args) => run_trace(args),
        Command::Rules(RulesCommand::List { format, rules }) => run_list(format, rules),
        Command::Rules(RulesCommand::Check { files }) => run_check(files),
        Command::Hook(HookCommand::Install { repo, pre_push, force }) => {
            let kind = if pre_push { HookKind::PrePush } else { HookKind::PreCommit };
            keytrail::hook::install(&repo, kind, force)
                .map(|path| {
                    eprintln!("keytrail: installed {}", path.display());
                    0
                })
                .map_err(Into::into)
        }
        Command::Hook(HookCommand::Run { files, config }) => run_hook(files, config),
        Command::Verify(args) => cli::verify::refuse_arguments(&args.refused)
            .and_then(|_| read_keys())
            .and_then(|keys| cli::verify::run(args, keys)),
        Command::Doctor(args) => cli::verify::refuse_arguments(&args.refused)
            .and_then(|_| cli::keys::read_raw_key())
            .and_then(|raw| cli::doctor::run(args, raw)),
        Command::Report(ReportCommand::Merge { files, format, output, quiet }) => {
            cli::merge::run(&files, format, output.as_deref(), quiet, |path, f| write_output(path, f))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("keytrail: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn rule_options(args: RuleArgs, root: Option<PathBuf>) -> RuleOptions {
    RuleOptions {
        config: args.config,
        root,
        extra: args.rules,
        enable: args.enable,
        disable: args.disable,
        lean: false,
    }
}

fn scan_options(input: &InputArgs, no_ignore: bool) -> ScanOptions {
    let git = match (&input.range, input.git || input.all_objects || input.reachable_only) {
        (Some(r), _) => Some(GitMode::Range(r.clone())),
        (None, true) => Some(GitMode::History { reachable_only: input.reachable_only }),
        (None, false) => None,
    };
    ScanOptions {
        paths: input.paths.clone(),
        walk: WalkOptions { no_ignore, max_file_size: input.max_file_size, threads: input.threads },
        git,
        staged: input.staged,
        chat: input.chat,
        no_decode: input.no_decode,
        no_broken: input.no_broken,
        host: (input.host || input.host_root.is_some())
            .then(|| input.host_root.clone().unwrap_or_else(|| PathBuf::from("/"))),
    }
}

fn load_prints(files: &[PathBuf]) -> Result<Vec<FingerprintFile>> {
    Ok(files.iter().map(|p| FingerprintFile::load(p)).collect::<Result<Vec<_>, _>>()?)
}

/// No PATH means `.`, unless --host is given (then only the host is read).
fn default_paths(input: &mut InputArgs) {
    if input.paths.is_empty() && !input.host && input.host_root.is_none() && input.repos.is_none() {
        input.paths.push(PathBuf::from("."));
    }
}

fn run_scan(mut args: ScanArgs) -> Result<u8> {
    default_paths(&mut args.input);
    let root = args.rules.config_root.clone().or_else(|| args.input.paths.iter().find(|p| p.is_dir()).cloned());
    let config = args.rules.config.clone();
    let vopts = args
        .validate
        .enabled()
        .then(|| cli::validate::options(&args.validate.base_urls, config.as_deref(), root.as_deref()))
        .transpose()?;
    let ruleset = rules::load_rules(&RuleOptions { lean: true, ..rule_options(args.rules, root) })?;
    for w in &ruleset.warnings {
        eprintln!("keytrail: warning: {w}");
    }
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let prints = FingerprintMatcher::new(&load_prints(&args.fingerprints)?);
    // Never freed: the process ends after the scan, and dropping a thousand rules and their
    // automaton one by one only costs exit time.
    let engine: &'static Engine = Box::leak(Box::new(Engine::new(ruleset).with_min_confidence(args.confidence)));
    let combined = Combined { engine, prints: &prints };
    let detector: &dyn Detector = if prints.is_empty() { engine } else { &combined };
    let context = ContextDetector::new(detector);
    let detector: &dyn Detector = if vopts.is_some() { &context } else { detector };
    let filter = |found: &mut Vec<keytrail::Finding>| {
        if let Some(b) = &baseline {
            found.retain(|f| !b.contains(f));
        }
    };
    let opts = scan_options(&args.input, args.no_ignore);
    if let Some(list) = &args.input.repos {
        if vopts.is_some() {
            bail!(
                "--validate does not run with --repos: scan the list, then validate the findings of one repository at a time"
            );
        }
        let write = |format, found: &[keytrail::Finding], ctx: &ReportContext, out: &mut dyn Write| {
            report::write(format, found, ctx, out)
        };
        return cli::repos::run(repo_run(list, &args.input, &args.output, opts, detector, &filter, &write));
    }
    let progress = Progress::new(show_progress(&args.output));
    let (mut outcome, remote) =
        cli::repos::scan_or_clone(detector, &opts, &args.input.paths, args.input.keep_clone.as_deref(), &progress)?;
    progress.finish();
    let hints = context.into_hints();
    filter(&mut outcome.findings);
    if let Some(path) = GitleaksIgnore::locate(&args.input.paths) {
        let ignore = GitleaksIgnore::load(&path)?;
        for line in &ignore.bad_lines {
            eprintln!(
                "keytrail: warning: {}:{line}: not a gitleaks fingerprint (commit:file:rule:line or file:rule:line)",
                path.display()
            );
        }
        outcome.findings.retain(|f| !ignore.ignores(f));
    }
    let validations = match &vopts {
        Some(o) => cli::validate::check_findings(&outcome.findings, &hints, o, Some(engine), args.output.quiet),
        None => Validations::default(),
    };
    if args.validate.only_active {
        cli::validate::keep_active(&mut outcome.findings, &validations);
    }
    finish(outcome, &args.input.paths, &args.output, validations, remote, |format, findings, ctx, out| {
        report::write(format, findings, ctx, out)
    })
}

fn repo_run<'a>(
    list: &Path,
    input: &InputArgs,
    output: &OutputArgs,
    base: ScanOptions,
    detector: &'a dyn Detector,
    filter: &'a (dyn Fn(&mut Vec<keytrail::Finding>) + Sync),
    write: &'a cli::repos::WriteFn<'a>,
) -> RepoRun<'a> {
    RepoRun {
        list: list.to_path_buf(),
        index: input.repos_index,
        parallel: input.parallel_repos,
        keep_clone: input.keep_clone.clone(),
        base,
        detector,
        format: output.format,
        output: output.output.clone(),
        reveal: output.reveal,
        quiet: output.quiet,
        exit_code: output.exit_code,
        filter,
        write,
    }
}

/// `keytrail hook run`: a scan chosen by the pre-commit framework's mode (see `hook::plan`).
fn run_hook(files: Vec<PathBuf>, config: Option<PathBuf>) -> Result<u8> {
    let mut argv: Vec<std::ffi::OsString> = ["keytrail", "scan", "-q"].map(Into::into).to_vec();
    // Without --config, the repository's own config, found as a scan of `.` finds it.
    match config {
        Some(c) => argv.extend(["--config".into(), c.into_os_string()]),
        None => argv.extend(["--config-root".into(), ".".into()]),
    }
    match keytrail::hook::plan(|k| std::env::var(k).ok(), files) {
        HookScan::Range(r) => argv.extend(["--range".into(), r.into(), ".".into()]),
        HookScan::History => argv.extend(["--git".into(), ".".into()]),
        HookScan::Staged => argv.extend(["--staged".into(), ".".into()]),
        HookScan::Files(files) => {
            argv.push("--".into());
            argv.extend(files.into_iter().map(PathBuf::into_os_string));
        }
    }
    match Cli::parse_from(argv).command {
        Command::Scan(args) => run_scan(args),
        _ => bail!("internal: the hook's scan arguments did not parse as a scan"),
    }
}

fn run_trace(mut args: TraceArgs) -> Result<u8> {
    default_paths(&mut args.input);
    let prints = FingerprintMatcher::new(&load_prints(&args.fingerprints)?).with_broken(!args.input.no_broken);
    if prints.is_empty() {
        bail!("the fingerprint files hold no keys");
    }
    let vopts = args
        .validate
        .enabled()
        .then(|| {
            cli::validate::options(
                &args.validate.base_urls,
                None,
                args.input.paths.iter().find(|p| p.is_dir()).map(PathBuf::as_path),
            )
        })
        .transpose()?;
    let context = ContextDetector::new(&prints);
    let detector: &dyn Detector = if vopts.is_some() { &context } else { &prints };
    let opts = scan_options(&args.input, !args.respect_ignore);
    if let Some(list) = &args.input.repos {
        if vopts.is_some() {
            bail!(
                "--validate does not run with --repos: trace the list, then validate the matches of one repository at a time"
            );
        }
        let none = Validations::default();
        let write = |format, found: &[keytrail::Finding], ctx: &ReportContext, out: &mut dyn Write| match format {
            Format::Human => report::trace::write(found, &prints, &[], &none, out),
            other => report::write(other, found, ctx, out),
        };
        return cli::repos::run(repo_run(list, &args.input, &args.output, opts, &prints, &|_| {}, &write));
    }
    let progress = Progress::new(show_progress(&args.output));
    let (mut outcome, remote) =
        cli::repos::scan_or_clone(detector, &opts, &args.input.paths, args.input.keep_clone.as_deref(), &progress)?;
    progress.finish();
    let hints = context.into_hints();
    let validations = match &vopts {
        Some(o) => {
            // Fingerprint matches carry no rule: the built-in rules tell which provider a key is for.
            let engine = Engine::new(rules::load_rules(&RuleOptions::default())?);
            cli::validate::check_findings(&outcome.findings, &hints, o, Some(&engine), args.output.quiet)
        }
        None => Validations::default(),
    };
    if args.validate.only_active {
        cli::validate::keep_active(&mut outcome.findings, &validations);
    }
    let roots = args.input.paths.clone();
    let shown = validations.clone();
    finish(outcome, &args.input.paths, &args.output, validations, remote, |format, findings, ctx, out| match format {
        Format::Human => report::trace::write(findings, &prints, &roots, &shown, out),
        other => report::write(other, findings, ctx, out),
    })
}

/// A progress line only for a person watching: stderr is a terminal and not `--quiet`.
fn show_progress(args: &OutputArgs) -> bool {
    !args.quiet && io::stderr().is_terminal()
}

/// Prints failed inputs, the report and the summary; returns the exit code.
fn finish(
    outcome: ScanOutcome,
    paths: &[PathBuf],
    args: &OutputArgs,
    validations: Validations,
    remote: Option<cli::repos::RemoteName>,
    write: impl Fn(Format, &[keytrail::Finding], &ReportContext, &mut dyn Write) -> io::Result<()>,
) -> Result<u8> {
    for w in &outcome.failed_inputs {
        eprintln!("keytrail: error: {}: {}", w.input, w.message);
    }
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let ctx = ReportContext {
        reveal: args.reveal,
        color: to_terminal && args.format == Format::Human && std::env::var_os("NO_COLOR").is_none(),
        stats: outcome.stats,
        elapsed: outcome.elapsed,
        vcs: outcome.vcs.clone(),
        sarif_root: (args.format == Format::Sarif).then(|| report::sarif_root(paths, args.sarif_root.as_deref())),
        walk_roots: outcome.walk_roots.clone(),
        validations,
        repository: remote.as_ref().map(|(name, _)| name.clone()),
        links: remote.and_then(|(_, links)| links),
    };
    if args.format == Format::Sarif
        && let Some(w) = report::sarif_truncation_warning(outcome.findings.len())
    {
        eprintln!("keytrail: warning: {w}");
    }
    write_output(args.output.as_deref(), |out| write(args.format, &outcome.findings, &ctx, out))?;
    if !args.quiet {
        eprintln!("{}", report::summary(outcome.findings.len(), &ctx));
    }
    Ok(if !outcome.failed_inputs.is_empty() {
        2
    } else if outcome.findings.is_empty() {
        0
    } else {
        args.exit_code
    })
}

fn write_output(path: Option<&Path>, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match path {
        Some(p) => {
            let file = File::create(p).with_context(|| format!("{}: cannot create output file", p.display()))?;
            let mut w = BufWriter::new(file);
            f(&mut w).and_then(|_| w.flush()).with_context(|| format!("{}: write failed", p.display()))
        }
        None => {
            let mut w = BufWriter::new(io::stdout().lock());
            match f(&mut w).and_then(|_| w.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("writing to standard output"),
            }
        }
    }
}

fn run_fingerprint(args: FingerprintArgs) -> Result<u8> {
    let mut file = match (&args.output, args.append) {
        (Some(p), true) => FingerprintFile::load(p)?,
        (Some(p), false) if p.exists() => {
            bail!("{}: already exists (use --append to add keys to it, keeping its salt)", p.display())
        }
        _ => FingerprintFile::new()?,
    };
    let keys = read_keys()?;
    let engine = Engine::new(rules::load_rules(&RuleOptions::default())?);
    let opts = AddOptions { label: args.label, no_hint: args.no_hint, allow_short: args.allow_short };
    let notes = file.add_keys(&keys, &opts, &engine)?;
    drop(keys);
    write_output(args.output.as_deref(), |out| out.write_all(file.to_toml().as_bytes()))?;
    for n in notes {
        eprintln!("keytrail: fingerprinted {n}");
    }
    Ok(0)
}

fn run_list(format: ListFormat, args: RuleArgs) -> Result<u8> {
    let set = rules::load_rules(&rule_options(args, None))?;
    for w in &set.warnings {
        eprintln!("keytrail: warning: {w}");
    }
    write_output(None, |out| match format {
        ListFormat::Json => {
            let all: Vec<_> = set.rules.iter().map(|r| &*r.info).collect();
            serde_json::to_writer_pretty(&mut *out, &all)?;
            writeln!(out)
        }
        ListFormat::Human => {
            for r in &set.rules {
                writeln!(
                    out,
                    "{:<40} {:<8} {:<16} {}",
                    r.id(),
                    r.info.severity.as_str(),
                    r.info.provider,
                    r.info.name
                )?;
            }
            writeln!(out, "{} rules", set.rules.len())
        }
    })?;
    Ok(0)
}

fn run_check(files: Vec<PathBuf>) -> Result<u8> {
    let mut ids = Vec::new();
    for f in &files {
        for path in rules::load::rule_files(f)? {
            let text = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?;
            let def = rules::parse_rule_text(&text, &path.display().to_string())?;
            ids.extend(def.rules.into_iter().map(|r| r.id));
        }
    }
    let set = rules::load_rules(&RuleOptions { extra: files.clone(), ..Default::default() })?;
    let engine = Engine::new(set);
    let checked = if files.is_empty() { engine.rules().rules.len() } else { ids.len() };
    let failures = check::check(&engine, |id| files.is_empty() || ids.iter().any(|x| x == id));
    for f in &failures {
        println!("{}: {}: {}", f.file, f.rule, f.message);
    }
    println!("{checked} rules checked, {} failure{}", failures.len(), if failures.len() == 1 { "" } else { "s" });
    Ok(if failures.is_empty() { 0 } else { 1 })
}
