//! The keytrail command line: parses arguments, calls the library, prints, maps exit codes.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use keytrail::report::{self, Format, ReportContext};
use keytrail::rules::{self, RuleOptions, check};
use keytrail::source::fs::WalkOptions;
use keytrail::source::{Observer, Warning};
use keytrail::{Baseline, Engine, ScanOptions};

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
    /// List or check detection rules.
    #[command(subcommand)]
    Rules(RulesCommand),
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
}

#[derive(Args)]
struct ScanArgs {
    /// Files and directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit code when secrets are found.
    #[arg(long, value_name = "N", default_value_t = 1)]
    exit_code: u8,
    /// Don't honour .gitignore, .ignore and .git/info/exclude.
    #[arg(long)]
    no_ignore: bool,
    /// Skip files larger than this many bytes (default: no limit; large files are mmapped).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Worker threads (default: number of cores).
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
    #[command(flatten)]
    rules: RuleArgs,
    /// Suppress findings recorded in an earlier JSON/JSONL report (same rule and secret).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Print secrets in full (local use only; never in CI logs).
    #[arg(long)]
    reveal: bool,
    /// No summary line.
    #[arg(short, long)]
    quiet: bool,
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

/// Prints warnings on stderr as they happen.
struct StderrObserver;

impl Observer for StderrObserver {
    fn warning(&self, w: &Warning) {
        eprintln!("keytrail: warning: {}: {}", w.input, w.message);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Rules(RulesCommand::List { format, rules }) => run_list(format, rules),
        Command::Rules(RulesCommand::Check { files }) => run_check(files),
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
    RuleOptions { config: args.config, root, extra: args.rules, enable: args.enable, disable: args.disable }
}

fn run_scan(args: ScanArgs) -> Result<u8> {
    let root = args.paths.iter().find(|p| p.is_dir()).cloned();
    let ruleset = rules::load_rules(&rule_options(args.rules, root))?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let engine = Engine::new(ruleset);
    let opts = ScanOptions {
        paths: args.paths,
        walk: WalkOptions { no_ignore: args.no_ignore, max_file_size: args.max_file_size, threads: args.threads },
    };
    let mut outcome = keytrail::scan(&engine, &opts, &StderrObserver);
    if let Some(b) = &baseline {
        outcome.findings.retain(|f| !b.contains(f));
    }
    for w in &outcome.failed_inputs {
        eprintln!("keytrail: error: {}: {}", w.input, w.message);
    }
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let ctx = ReportContext {
        reveal: args.reveal,
        color: to_terminal && args.format == Format::Human && std::env::var_os("NO_COLOR").is_none(),
        stats: outcome.stats,
        elapsed: outcome.elapsed,
    };
    write_output(args.output.as_ref(), |out| report::write(args.format, &outcome.findings, &ctx, out))?;
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

fn write_output(path: Option<&PathBuf>, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
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

fn run_list(format: ListFormat, args: RuleArgs) -> Result<u8> {
    let set = rules::load_rules(&rule_options(args, None))?;
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
