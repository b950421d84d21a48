//! `keytrail verify`: is each key given on stdin (or at the hidden prompt) live? The check after
//! a rotation that the old key is dead and the new one works.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;

use keytrail::fingerprint::{FingerprintFile, clean_key};
use keytrail::rules::{self, RuleOptions};
use keytrail::secret::redact;
use keytrail::validate::{self, Validation};

#[derive(Args)]
pub struct VerifyArgs {
    /// Label keys by this fingerprint file (keys are still read from stdin, never from it).
    #[arg(long = "fingerprints", short = 'f', value_name = "FILE")]
    pub fingerprints: Option<PathBuf>,
    /// OpenAI-compatible gateway base URL to try every key against (repeatable).
    #[arg(long = "base-url", value_name = "URL")]
    pub base_urls: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub format: VerifyFormat,
    /// Keys are never taken from arguments (shell history keeps them); caught to say so.
    #[arg(hide = true, value_name = "KEY")]
    pub refused: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Human,
    Json,
}

#[derive(Serialize)]
struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    secret: String,
    digest: String,
    rules: Vec<String>,
    validation: Validation,
}

/// Refuses keys given as arguments without echoing them.
pub fn refuse_arguments(given: &[String]) -> Result<()> {
    if !given.is_empty() {
        bail!(
            "keys are read from standard input or the hidden prompt, never from arguments (shell history keeps them); {} argument{} ignored",
            given.len(),
            if given.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

pub fn run(args: VerifyArgs, keys: Vec<String>) -> Result<u8> {
    let cleaned: Vec<String> = keys.iter().map(|k| clean_key(k).to_string()).filter(|k| !k.is_empty()).collect();
    drop(keys);
    if cleaned.is_empty() {
        bail!("no keys given (paste them at the prompt, or one per line on standard input)");
    }
    let file = args.fingerprints.as_deref().map(FingerprintFile::load).transpose()?;
    let engine = keytrail::Engine::new(rules::load_rules(&RuleOptions::default())?);
    let mut opts = super::validate::options(&args.base_urls, None, None)?;
    opts.every_key_to_gateways = true;
    let mut targets = Vec::new();
    for k in &cleaned {
        let t = validate::target_for_key(k, &engine);
        if !targets.iter().any(|x: &validate::Target| x.digest == t.digest) {
            targets.push(t);
        }
    }
    let results = validate::validate(&targets, &opts, Some(&engine));
    let salt = file.as_ref().and_then(|f| f.salt_bytes());
    let mut rows = Vec::new();
    let mut labels_seen = Vec::new();
    for k in &cleaned {
        let t = validate::target_for_key(k, &engine);
        let label = match (&file, salt) {
            (Some(f), Some(s)) => {
                let d = blake3::keyed_hash(&s, k.as_bytes()).to_hex().to_string();
                f.keys.iter().find(|p| p.digest == d).map(|p| p.label.clone())
            }
            _ => None,
        };
        if let Some(l) = &label {
            labels_seen.push(l.clone());
        }
        let validation = results
            .get(&t.digest)
            .cloned()
            .unwrap_or_else(|| Validation::new(validate::Status::Unknown, "not checked"));
        if rows.iter().any(|r: &Row| r.digest == t.digest.to_hex()) {
            continue;
        }
        rows.push(Row { label, secret: redact(k), digest: t.digest.to_hex(), rules: t.rules, validation });
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        VerifyFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        VerifyFormat::Human => {
            for r in &rows {
                let label = r.label.as_deref().map(|l| format!("{l}  ")).unwrap_or_default();
                let rule = r.rules.first().map(String::as_str).unwrap_or("(no rule recognises it)");
                writeln!(out, "{label}{}  {rule}  {}", r.secret, r.validation.line())?;
            }
        }
    }
    if let (Some(f), Some(path)) = (&file, &args.fingerprints) {
        for r in rows.iter().filter(|r| r.label.is_none()) {
            eprintln!("keytrail: note: {} is not in {}", r.secret, path.display());
        }
        let missing: Vec<&str> =
            f.keys.iter().map(|k| k.label.as_str()).filter(|l| !labels_seen.iter().any(|s| s == l)).collect();
        if !missing.is_empty() {
            eprintln!("keytrail: note: keys of {} not given: {}", path.display(), missing.join(", "));
        }
    }
    Ok(0)
}
