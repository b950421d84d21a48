//! `keytrail doctor`: prints what is wrong with a pasted key (never the key), and with
//! `--base-url` what the gateway's answer means.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use keytrail::doctor::{self, Diagnosis};
use keytrail::rules::{self, RuleOptions};
use keytrail::validate::{self, Status};

#[derive(Args)]
pub struct DoctorArgs {
    /// Make the minimal request to this OpenAI-compatible base URL (`GET {URL}/models`) and
    /// explain the answer (repeatable).
    #[arg(long = "base-url", value_name = "URL")]
    pub base_urls: Vec<String>,
    /// Also check the key with the provider its format belongs to (one read-only request).
    #[arg(long)]
    pub validate: bool,
    /// Keys are never taken from arguments (shell history keeps them); caught to say so.
    #[arg(hide = true, value_name = "KEY")]
    pub refused: Vec<String>,
}

pub fn run(args: DoctorArgs, raw: String) -> Result<u8> {
    let engine = keytrail::Engine::new(rules::load_rules(&RuleOptions::default())?);
    let d: Diagnosis = doctor::examine(&raw, &engine);
    drop(raw);
    let mut out = std::io::stdout().lock();
    let mut bad = !d.problems.is_empty();
    if d.cleaned.is_empty() {
        writeln!(out, "no key given (paste it at the prompt, or pipe it in)")?;
        return Ok(2);
    }
    if d.problems.is_empty() {
        writeln!(out, "no stray characters, prefixes or quotes")?;
    }
    for p in &d.problems {
        writeln!(out, "problem: {}\n    fix: {}", p.what, p.fix)?;
    }
    for n in &d.notes {
        writeln!(out, "format: {n}")?;
    }
    for base in &args.base_urls {
        let probe = doctor::probe(base, &d.cleaned);
        writeln!(out, "base URL: {}", probe.explanation)?;
        for h in &probe.hints {
            writeln!(out, "    {h}")?;
        }
        bad |= probe.status_meaning != Status::Active;
    }
    if args.validate {
        let t = validate::target_for_key(&d.cleaned, &engine);
        let v = validate::validate(std::slice::from_ref(&t), &validate::Options::default(), Some(&engine));
        match v.get(&t.digest) {
            Some(v) => {
                writeln!(out, "provider: {}", v.line())?;
                bad |= v.status != Status::Active;
            }
            None => writeln!(out, "provider: not checked")?,
        }
    }
    writeln!(out, "give support: {}  digest {}", d.redacted(), d.digest().to_hex())?;
    Ok(if bad { 1 } else { 0 })
}
