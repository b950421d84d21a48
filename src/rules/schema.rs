//! The TOML shape of rule and config files (gitleaks-compatible plus keytrail's fields).

use serde::Deserialize;

/// A rule file or a config file (`.keytrail.toml`, `.gitleaks.toml`, `rules/*.toml`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct FileDef {
    pub title: Option<String>,
    pub extend: Option<ExtendDef>,
    pub rules: Vec<RuleDef>,
    /// gitleaks' older single global allowlist.
    pub allowlist: Option<AllowDef>,
    /// gitleaks' v8.25+ list of global allowlists.
    pub allowlists: Vec<AllowDef>,
    /// One-line context rules (see [`super::services`]), expanded into `rules` on load.
    pub services: Vec<super::services::ServiceDef>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExtendDef {
    pub use_default: Option<bool>,
    pub path: Option<String>,
    pub disabled_rules: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RuleDef {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub provider: Option<String>,
    pub severity: Option<String>,
    pub revoke: Option<String>,
    pub regex: Option<String>,
    #[serde(rename = "secretGroup")]
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    pub keywords: Vec<String>,
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub allowlist: Option<AllowDef>,
    pub allowlists: Vec<AllowDef>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub multiline: bool,
    pub generic: bool,
    /// "high" | "medium" | "low"; default: high for specific rules, low for generic ones.
    pub confidence: Option<String>,
    /// A value gate from `engine::gate` that reads and judges the value after the match
    /// (`assignment`, `password`, `cli`, `url`); see `src/engine/gate.rs`.
    pub gate: Option<String>,
    /// The path `rules check` scans the examples as (for rules limited by `path`).
    pub example_path: Option<String>,
    /// gitleaks composite rules: other rules that must match near this one.
    pub required: Vec<RequiredDef>,
    /// gitleaks: the rule's findings are not reported (it serves as a `required` part).
    #[serde(rename = "skipReport")]
    pub skip_report: Option<bool>,
    /// Rules for the other parts of the same credential (an access key id and its secret):
    /// their findings near this rule's are reported as its `related` parts (both ways).
    pub partners: Vec<String>,
    /// How many lines apart partners may be (10 unless given).
    pub partner_lines: Option<u32>,
}

/// One `[[rules.required]]` entry: a rule id and how near its match must be.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RequiredDef {
    pub id: String,
    pub within_lines: Option<u32>,
    pub within_columns: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AllowDef {
    pub description: Option<String>,
    pub condition: Option<String>,
    pub regex_target: Option<String>,
    pub regexes: Vec<String>,
    pub stopwords: Vec<String>,
    pub paths: Vec<String>,
    pub commits: Vec<String>,
    pub target_rules: Vec<String>,
}
