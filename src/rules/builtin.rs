//! The built-in rules as static definitions, parsed and expanded from `rules/` at build time.
//!
//! A scan never reads rule examples, so what it loads by default needs no TOML parsing and no
//! expansion of `rules/services.tsv` at start-up: build.rs does both (with the same code,
//! `schema.rs` and `services.rs`) and writes the definitions as the statics below. `rules
//! check`, the tests and everything that needs the examples still parse the embedded files.

use super::schema::{AllowDef, RequiredDef, RuleDef};

/// A string of the built-in rules' text: (offset, length). The statics hold offsets, not
/// pointers, so that loading the program relocates none of them.
#[derive(Clone, Copy, Debug)]
pub(super) struct Str(u32, u32);

/// A list of strings: (first, count) in the string table.
#[derive(Clone, Copy, Debug)]
pub(super) struct Strs(u32, u32);

impl Str {
    pub fn get(self) -> &'static str {
        &TEXT[self.0 as usize..(self.0 + self.1) as usize]
    }
}

impl Strs {
    /// The strings (of any shorter lifetime the caller needs).
    pub fn iter<'a>(self) -> impl Iterator<Item = &'a str> {
        STRS[self.0 as usize..(self.0 + self.1) as usize].iter().map(|s| -> &'a str { s.get() })
    }
}

/// A built-in rule's definition: the fields of a [`RuleDef`] without its examples.
#[derive(Debug)]
pub(super) struct BuiltinDef {
    /// The rule file it comes from.
    pub file: Str,
    pub id: Str,
    pub name: Option<Str>,
    pub description: Option<Str>,
    pub provider: Option<Str>,
    pub severity: Option<Str>,
    pub revoke: Option<Str>,
    pub regex: Option<Str>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    pub keywords: Strs,
    pub path: Option<Str>,
    pub tags: Strs,
    /// `allowlist` then `allowlists`: (first, count) in the allowlist table. Rules with the
    /// same allowlists share one range.
    pub allowlists: (u32, u32),
    pub multiline: bool,
    pub generic: bool,
    pub confidence: Option<Str>,
    pub gate: Option<Str>,
    pub example_path: Option<Str>,
    /// (first, count) in the table of `required` entries.
    pub required: (u32, u32),
    pub skip_report: Option<bool>,
    pub partners: Strs,
    pub partner_lines: Option<u32>,
}

/// A built-in rule's allowlist (an [`AllowDef`]).
#[derive(Debug)]
pub(super) struct BuiltinAllow {
    pub description: Option<Str>,
    pub condition: Option<Str>,
    pub regex_target: Option<Str>,
    pub regexes: Strs,
    pub stopwords: Strs,
    pub paths: Strs,
    pub commits: Strs,
    pub target_rules: Strs,
}

/// A built-in composite rule's `required` entry (a [`RequiredDef`]).
#[derive(Debug)]
pub(super) struct BuiltinRequired {
    pub id: Str,
    pub within_lines: Option<u32>,
    pub within_columns: Option<u32>,
}

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Every built-in rule, in the order of the rule files (file name order) and of the rules in
/// each (a file's `services` after its `rules`).
pub(super) fn builtin_defs() -> &'static [BuiltinDef] {
    BUILTIN_DEFS
}

fn owned(s: Option<Str>) -> Option<String> {
    s.map(|s| s.get().to_string())
}

fn list(l: Strs) -> Vec<String> {
    l.iter().map(str::to_string).collect()
}

impl BuiltinDef {
    /// The rule's allowlists.
    pub fn allowlists(&self) -> &'static [BuiltinAllow] {
        let (first, n) = self.allowlists;
        &ALLOWS[first as usize..(first + n) as usize]
    }

    /// The rule's `required` entries.
    pub fn required(&self) -> &'static [BuiltinRequired] {
        let (first, n) = self.required;
        &REQUIRED[first as usize..(first + n) as usize]
    }

    /// The definition as parsed from its file (without examples), for configs that extend it.
    pub fn to_def(&self) -> RuleDef {
        RuleDef {
            id: self.id.get().to_string(),
            name: owned(self.name),
            description: owned(self.description),
            provider: owned(self.provider),
            severity: owned(self.severity),
            revoke: owned(self.revoke),
            regex: owned(self.regex),
            secret_group: self.secret_group,
            entropy: self.entropy,
            keywords: list(self.keywords),
            path: owned(self.path),
            tags: list(self.tags),
            allowlist: None,
            allowlists: self.allowlists().iter().map(BuiltinAllow::to_def).collect(),
            examples: Vec::new(),
            negative_examples: Vec::new(),
            multiline: self.multiline,
            generic: self.generic,
            confidence: owned(self.confidence),
            gate: owned(self.gate),
            example_path: owned(self.example_path),
            required: self
                .required()
                .iter()
                .map(|r| RequiredDef {
                    id: r.id.get().to_string(),
                    within_lines: r.within_lines,
                    within_columns: r.within_columns,
                })
                .collect(),
            skip_report: self.skip_report,
            partners: list(self.partners),
            partner_lines: self.partner_lines,
        }
    }
}

impl BuiltinAllow {
    pub fn to_def(&self) -> AllowDef {
        AllowDef {
            description: owned(self.description),
            condition: owned(self.condition),
            regex_target: owned(self.regex_target),
            regexes: list(self.regexes),
            stopwords: list(self.stopwords),
            paths: list(self.paths),
            commits: list(self.commits),
            target_rules: list(self.target_rules),
        }
    }
}
