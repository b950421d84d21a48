//! Rules: the compiled rule set, its metadata, and loading from built-in and user files.

mod aliases;
mod allow;
mod builtin;
pub mod check;
mod fields;
mod gocompat;
pub mod load;
pub mod schema;
pub mod services;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use regex::bytes::{Regex, RegexBuilder};
use serde::Serialize;

pub use aliases::{gitleaks_ids, keytrail_ids};
pub use allow::{Allowlist, Candidate, Condition, LazyRegex, RegexTarget};
pub use load::{RuleOptions, builtin_files, load_rules, parse_rule_text, ruleset_from_text};

/// Errors loading or validating rules and configs.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid TOML: {message}")]
    Toml { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// How bad a leak of this kind of secret is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The numeric score GitHub code scanning reads from `security-severity`.
    pub fn score(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }
}

/// How sure a finding is to be a live secret rather than a look-alike.
///
/// `high`: a precise provider format (fixed prefix, length, checksum) or a structure that
/// only a credential has (a private key block, a password hash). `medium`: a credential-shaped
/// value in a credential role (a literal assigned to `password`, a random-looking value
/// assigned to `api_key`, a password in a URL). `low`: weak evidence (a bare `key`, a
/// dictionary word as a password); shown only with `--confidence low`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    #[default]
    Medium,
    High,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// One level less sure (low stays low).
    pub fn lower(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }

    /// SARIF `precision` (GitHub code scanning reads very-high, high, medium, low).
    pub fn sarif_precision(self) -> &'static str {
        self.as_str()
    }

    /// SARIF result `rank` (0-100, higher is more relevant).
    pub fn sarif_rank(self) -> f64 {
        match self {
            Confidence::High => 90.0,
            Confidence::Medium => 60.0,
            Confidence::Low => 30.0,
        }
    }
}

/// The public description of a rule, shared by all of its findings.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub severity: Severity,
    /// The confidence of this rule's findings (a gated rule's findings may be less sure).
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoke: Option<String>,
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Which capture group holds the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretGroup {
    Index(usize),
    Named,
}

/// A compiled regex and where its secret sits.
#[derive(Debug)]
pub struct Matcher {
    pub regex: Regex,
    pub group: SecretGroup,
}

/// A detection rule. Its regex is compiled on first use.
#[derive(Debug)]
pub struct Rule {
    pub info: Arc<RuleInfo>,
    /// The regex as written (a built-in rule's is the program's own text).
    pub regex_src: Option<Cow<'static, str>>,
    secret_group: Option<usize>,
    matcher: OnceLock<Result<Matcher, String>>,
    pub entropy: Option<f64>,
    /// The paths the rule applies to (compiled on first use).
    pub path: Option<LazyRegex>,
    /// Shared with other rules that have the same ones (the built-in context rules).
    pub allowlists: Arc<[Allowlist]>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub multiline: bool,
    /// A match may span any number of lines (a PEM block), not only the few lines a
    /// `KEY:\n  value` assignment spans (see [`crate::engine::Engine::line_reach`]).
    pub block: bool,
    pub generic: bool,
    /// The value gate that judges this rule's candidates (generic rules), if any.
    pub gate: Option<crate::engine::Gate>,
    /// The path the examples are checked as (default `example.txt`).
    pub example_path: Option<String>,
    /// Composite rule: a finding counts only when each of these rules matches near it.
    pub required: Vec<Required>,
    /// Matches serve other rules' `required` or `partners` only; they are never reported.
    pub skip_report: bool,
    /// Rules for the other parts of the same credential (see [`crate::engine::Pairs`]).
    pub partners: Vec<String>,
    /// How many lines apart partners may be.
    pub partner_lines: u32,
    /// The file the rule came from (for messages).
    pub file: String,
}

/// A rule a composite rule needs near its match: within this many lines and columns (either
/// unset: anywhere in the same blob).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub id: String,
    pub within_lines: Option<u32>,
    pub within_columns: Option<u32>,
}

impl Rule {
    /// The compiled matcher, compiling it on first use (thread-safe).
    pub fn matcher(&self) -> Result<Option<&Matcher>, &str> {
        let Some(src) = &self.regex_src else { return Ok(None) };
        self.matcher.get_or_init(|| compile_matcher(src, self.secret_group)).as_ref().map(Some).map_err(String::as_str)
    }

    pub fn id(&self) -> &str {
        &self.info.id
    }
}

/// The capture groups of a rule regex: how many, and whether one is named `secret`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Groups {
    pub count: usize,
    pub named_secret: bool,
}

/// Checks a rule regex's syntax without compiling it (cheap; used at load time so that a bad
/// user rule is reported at start-up while compilation stays lazy). Returns its groups.
pub fn check_syntax(src: &str) -> Result<Groups, String> {
    let translated = gocompat::translate(src);
    let ascii = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(&translated);
    let parsed = match ascii {
        Ok(h) => h,
        Err(_) => {
            regex_syntax::ParserBuilder::new().utf8(false).build().parse(&translated).map_err(|e| e.to_string())?
        }
    };
    let count = parsed.properties().explicit_captures_len();
    let named_secret = regex_syntax::ast::parse::Parser::new()
        .parse(&translated)
        .map(|ast| ast_has_group(&ast, "secret"))
        .unwrap_or(false);
    Ok(Groups { count, named_secret })
}

/// True when the regex has a capture group with this name.
fn ast_has_group(ast: &regex_syntax::ast::Ast, name: &str) -> bool {
    use regex_syntax::ast::{Ast, GroupKind};
    match ast {
        Ast::Group(g) => {
            matches!(&g.kind, GroupKind::CaptureName { name: n, .. } if n.name == name) || ast_has_group(&g.ast, name)
        }
        Ast::Repetition(r) => ast_has_group(&r.ast, name),
        Ast::Concat(c) => c.asts.iter().any(|a| ast_has_group(a, name)),
        Ast::Alternation(a) => a.asts.iter().any(|a| ast_has_group(a, name)),
        _ => false,
    }
}

/// Compiles an allowlist or path regex now (they are small), in ASCII mode when the pattern
/// allows it, as rule regexes are (see [`compile_matcher`]): Unicode classes cost start-up
/// time and Go's `\w`, `\d`, `\s` are ASCII anyway.
pub(crate) fn compile_small(src: &str) -> Result<Regex, regex::Error> {
    let translated = gocompat::translate(src);
    RegexBuilder::new(&translated).unicode(false).build().or_else(|_| Regex::new(&translated))
}

/// Compiles a rule regex. Like gitleaks' RE2, `\w`, `\d`, `\s` and `\b` are ASCII: rules run
/// in ASCII mode (smaller, faster automata), falling back to Unicode mode only for patterns
/// that need it (`\p{L}`...).
fn compile_matcher(src: &str, secret_group: Option<usize>) -> Result<Matcher, String> {
    let translated = gocompat::translate(src);
    let build = |unicode: bool| {
        RegexBuilder::new(&translated).unicode(unicode).size_limit(64 << 20).dfa_size_limit(16 << 20).build()
    };
    let regex = build(false).or_else(|_| build(true)).map_err(|e| e.to_string())?;
    let group = if regex.capture_names().any(|n| n == Some("secret")) {
        SecretGroup::Named
    } else if let Some(g) = secret_group {
        if g >= regex.captures_len() {
            return Err(format!("secretGroup {g} but the regex has {} groups", regex.captures_len() - 1));
        }
        SecretGroup::Index(g)
    } else if regex.captures_len() > 1 {
        SecretGroup::Index(1)
    } else {
        SecretGroup::Index(0)
    };
    Ok(Matcher { regex, group })
}

/// A loaded rule set plus the global allowlists.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub global_allowlists: Vec<Allowlist>,
    /// Problems with the config that do not stop loading (unknown gitleaks rule ids...).
    pub warnings: Vec<String>,
}

impl RuleSet {
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id() == id)
    }
}
