//! The `--validate` options of `scan` and `trace`, and turning them into checks.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use clap::Args;

use keytrail::Finding;
use keytrail::secret::Digest;
use keytrail::validate::{self, Hints, Options, Validations, gateway};

/// Live checks (off by default: keytrail sends nothing over the network unless asked).
#[derive(Args, Clone, Debug, Default)]
pub struct ValidateArgs {
    /// Check each distinct secret found with one read-only request to its provider's
    /// documented API: active, inactive (revoked/disabled) or unknown, with the identity the
    /// API returns. Sends the key to that provider only.
    #[arg(long)]
    pub validate: bool,
    /// OpenAI-compatible gateway base URL (`https://gw.example.com/v1`, or http:// to a
    /// loopback address) to check gateway-shaped keys against (repeatable; implies --validate).
    /// Also `[validate] base_urls` in .keytrail.toml.
    #[arg(long = "base-url", value_name = "URL")]
    pub base_urls: Vec<String>,
    /// Report only keys the provider said are live (implies --validate).
    #[arg(long)]
    pub only_active: bool,
}

impl ValidateArgs {
    pub fn enabled(&self) -> bool {
        self.validate || self.only_active || !self.base_urls.is_empty()
    }
}

/// The options: base URLs from the flags and the config, normalized; their hosts allowed.
pub fn options(base_urls: &[String], config: Option<&Path>, root: Option<&Path>) -> Result<Options> {
    let cfg = validate::config::load(config, root)?;
    let mut opts = Options::default();
    for raw in base_urls.iter().chain(cfg.base_urls.iter()) {
        let base = gateway::normalize(raw).map_err(|why| validate::ValidateError::BaseUrl(raw.clone(), why))?;
        if let Some(h) = gateway::host(&base)
            && !opts.allow_hosts.contains(&h)
        {
            opts.allow_hosts.push(h);
        }
        if !opts.base_urls.contains(&base) {
            opts.base_urls.push(base);
        }
    }
    opts.allow_hosts.extend(cfg.allow_hosts.iter().map(|h| h.to_ascii_lowercase()));
    if let Some(n) = cfg.concurrency {
        opts.concurrency = n.clamp(1, 64);
    }
    Ok(opts)
}

/// Checks the distinct secrets of `findings`; prints a one-line tally unless `quiet`.
pub fn check_findings(
    findings: &[Finding],
    hints: &HashMap<Digest, Hints>,
    opts: &Options,
    engine: Option<&keytrail::Engine>,
    quiet: bool,
) -> Validations {
    let targets = validate::targets(findings, hints);
    let v = Validations::new(validate::validate(&targets, opts, engine));
    if !quiet {
        let (a, i, u) = v.counts();
        eprintln!("keytrail: checked {} distinct secrets: {a} active, {i} inactive, {u} unknown", v.len());
    }
    v
}

/// `--only-active`: drops findings whose key was not found live.
pub fn keep_active(findings: &mut Vec<Finding>, v: &Validations) {
    findings.retain(|f| v.get(f).is_some_and(|x| x.status == validate::Status::Active));
}
