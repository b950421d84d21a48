//! Loading rule sets: built-in rule files, `--rules` files, and `.keytrail.toml`/`.gitleaks.toml`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::schema::{FileDef, RuleDef};
use super::{Allowlist, Confidence, Rule, RuleError, RuleInfo, RuleSet, Severity};

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// The built-in rule files: (file name, TOML text).
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    EMBEDDED_RULES
}

/// What to load: config file, extra rule files and rule selection.
#[derive(Debug, Default, Clone)]
pub struct RuleOptions {
    /// An explicit config file (`--config`).
    pub config: Option<PathBuf>,
    /// The scan root where `.keytrail.toml` (else `.gitleaks.toml`) is looked for.
    pub root: Option<PathBuf>,
    /// Extra rule files or directories of `*.toml` (`--rules`).
    pub extra: Vec<PathBuf>,
    /// When non-empty, only these rule ids run (`--enable-rule`).
    pub enable: Vec<String>,
    /// These rule ids never run (`--disable-rule`).
    pub disable: Vec<String>,
}

/// Parses one rule/config file's text.
pub fn parse_rule_text(text: &str, path: &str) -> Result<FileDef, RuleError> {
    toml::from_str(text).map_err(|e| RuleError::Toml {
        path: path.to_string(),
        message: e.message().to_string() + &line_hint(text, e.span()),
    })
}

fn line_hint(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(s) => format!(" (line {})", text[..s.start.min(text.len())].matches('\n').count() + 1),
        None => String::new(),
    }
}

fn read_file(path: &Path) -> Result<FileDef, RuleError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| RuleError::Io { path: path.display().to_string(), source })?;
    parse_rule_text(&text, &path.display().to_string())
}

/// Builds a rule from its definition. User rules (`eager`) have their regex syntax checked
/// now so that errors show at start-up; every rule compiles lazily on first use.
pub(super) fn build_rule(def: &RuleDef, file: &str, eager: bool) -> Result<Rule, RuleError> {
    let ctx = format!("{file}: rule {:?}", def.id);
    if def.id.is_empty() {
        return Err(RuleError::Invalid(format!("{file}: a rule has no id")));
    }
    if def.regex.is_none() && def.path.is_none() {
        return Err(RuleError::Invalid(format!("{ctx}: needs a regex or a path")));
    }
    let severity = match &def.severity {
        None => Severity::Medium,
        Some(s) => Severity::parse(s)
            .ok_or_else(|| RuleError::Invalid(format!("{ctx}: severity {s:?} is not low, medium, high or critical")))?,
    };
    let confidence = match &def.confidence {
        None if def.generic => Confidence::Low,
        None => Confidence::High,
        Some(s) => Confidence::parse(s)
            .ok_or_else(|| RuleError::Invalid(format!("{ctx}: confidence {s:?} is not high, medium or low")))?,
    };
    let gate = def
        .gate
        .as_deref()
        .map(|g| {
            crate::engine::Gate::parse(g).ok_or_else(|| {
                RuleError::Invalid(format!("{ctx}: gate {g:?} is not {}", crate::engine::Gate::NAMES.join(", ")))
            })
        })
        .transpose()?;
    let path = def
        .path
        .as_deref()
        .map(|p| super::compile_small(p).map_err(|e| RuleError::Invalid(format!("{ctx}: path regex: {e}"))))
        .transpose()?;
    let mut allowlists = Vec::new();
    for a in def.allowlist.iter().chain(&def.allowlists) {
        allowlists.push(Allowlist::from_def(a, &ctx, eager)?);
    }
    if let Some(e) = def.entropy
        && !(0.0..=8.0).contains(&e)
    {
        return Err(RuleError::Invalid(format!("{ctx}: entropy {e} is outside 0..8 bits/char")));
    }
    let name = def.name.clone().or_else(|| def.description.clone()).unwrap_or_else(|| def.id.clone());
    let info = RuleInfo {
        id: def.id.clone(),
        name,
        provider: def.provider.clone().unwrap_or_default(),
        severity,
        confidence,
        revoke: def.revoke.clone(),
        keywords: def.keywords.iter().filter(|k| !k.is_empty()).cloned().collect(),
        tags: def.tags.clone(),
    };
    let rule = Rule {
        info: Arc::new(info),
        regex_src: def.regex.clone(),
        secret_group: def.secret_group,
        matcher: OnceLock::new(),
        entropy: def.entropy,
        path,
        allowlists,
        examples: def.examples.clone(),
        negative_examples: def.negative_examples.clone(),
        multiline: def.multiline || def.regex.as_deref().is_some_and(spans_lines),
        generic: def.generic,
        gate,
        example_path: def.example_path.clone(),
        file: file.to_string(),
    };
    if eager && let Some(src) = &rule.regex_src {
        super::check_syntax(src).map_err(|e| RuleError::Invalid(format!("{ctx}: regex: {e}")))?;
    }
    Ok(rule)
}

/// True for regexes written to match across lines (`[\s\S]`, `(?s)`, `\n`): gitleaks rules
/// have no `multiline` flag, so their PEM-style rules are recognised by shape.
fn spans_lines(src: &str) -> bool {
    [r"\s\S", r"\S\s", "(?s", r"\n", r"\r"].iter().any(|p| src.contains(p))
}

/// Adds `defs` to `rules`; a rule whose id already exists replaces the earlier one.
fn merge(rules: &mut Vec<Rule>, defs: &[RuleDef], file: &str, eager: bool) -> Result<(), RuleError> {
    let mut seen = HashSet::new();
    for def in defs {
        if !seen.insert(def.id.as_str()) {
            return Err(RuleError::Invalid(format!("{file}: rule id {:?} appears twice", def.id)));
        }
        let rule = build_rule(def, file, eager)?;
        match rules.iter_mut().find(|r| r.id() == rule.id()) {
            Some(slot) => *slot = rule,
            None => rules.push(rule),
        }
    }
    Ok(())
}

fn builtin_rules() -> Result<Vec<Rule>, RuleError> {
    let mut rules = Vec::new();
    let mut ids = HashSet::new();
    for (name, text) in builtin_files() {
        let file = parse_rule_text(text, name)?;
        for def in &file.rules {
            if !ids.insert(def.id.clone()) {
                return Err(RuleError::Invalid(format!("built-in rule id {:?} is defined twice ({name})", def.id)));
            }
        }
        merge(&mut rules, &file.rules, name, false)?;
    }
    Ok(rules)
}

/// Which kind of config file was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConfigKind {
    Keytrail,
    Gitleaks,
}

fn find_config(opts: &RuleOptions) -> Option<(PathBuf, ConfigKind)> {
    if let Some(c) = &opts.config {
        let kind = if c.file_name().is_some_and(|n| n.to_string_lossy().contains("gitleaks")) {
            ConfigKind::Gitleaks
        } else {
            ConfigKind::Keytrail
        };
        return Some((c.clone(), kind));
    }
    let root = opts.root.as_ref()?;
    [(".keytrail.toml", ConfigKind::Keytrail), (".gitleaks.toml", ConfigKind::Gitleaks)]
        .into_iter()
        .map(|(n, k)| (root.join(n), k))
        .find(|(p, _)| p.is_file())
}

/// Loads the rule set for a scan: built-in rules (unless a config says otherwise), the
/// config's rules and allowlists, `--rules` files, then `--enable-rule`/`--disable-rule`.
pub fn load_rules(opts: &RuleOptions) -> Result<RuleSet, RuleError> {
    let mut set = RuleSet::default();
    let mut disabled: Vec<String> = opts.disable.clone();
    match find_config(opts) {
        None => set.rules = builtin_rules()?,
        Some((path, kind)) => {
            let file = read_file(&path)?;
            let shown = path.display().to_string();
            let extend = file.extend.as_ref();
            // gitleaks uses only the config's rules unless `[extend] useDefault = true`;
            // keytrail configs extend the defaults unless `useDefault = false`.
            let use_default = match (kind, extend.and_then(|e| e.use_default)) {
                (_, Some(b)) => b,
                (ConfigKind::Keytrail, None) => true,
                (ConfigKind::Gitleaks, None) => file.rules.is_empty() && extend.and_then(|e| e.path.as_ref()).is_none(),
            };
            if use_default {
                set.rules = builtin_rules()?;
            }
            if let Some(base) = extend.and_then(|e| e.path.as_ref()) {
                let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
                let base_file = read_file(&base_path)?;
                let base_shown = base_path.display().to_string();
                merge(&mut set.rules, &base_file.rules, &base_shown, true)?;
                add_global(&mut set, &base_file, &base_shown)?;
            }
            if let Some(e) = extend {
                disabled.extend(e.disabled_rules.iter().cloned());
            }
            merge(&mut set.rules, &file.rules, &shown, true)?;
            add_global(&mut set, &file, &shown)?;
        }
    }
    for extra in &opts.extra {
        for path in rule_files(extra)? {
            let file = read_file(&path)?;
            let shown = path.display().to_string();
            merge(&mut set.rules, &file.rules, &shown, true)?;
            add_global(&mut set, &file, &shown)?;
        }
    }
    for id in opts.enable.iter().chain(&disabled) {
        if set.get(id).is_none() {
            return Err(RuleError::Invalid(format!("unknown rule id {id:?} (see `keytrail rules list`)")));
        }
    }
    if !opts.enable.is_empty() {
        set.rules.retain(|r| opts.enable.iter().any(|id| id == r.id()));
    }
    set.rules.retain(|r| !disabled.iter().any(|id| id == r.id()));
    Ok(set)
}

fn add_global(set: &mut RuleSet, file: &FileDef, shown: &str) -> Result<(), RuleError> {
    let ctx = format!("{shown}: global allowlist");
    for a in file.allowlist.iter().chain(&file.allowlists) {
        set.global_allowlists.push(Allowlist::from_def(a, &ctx, true)?);
    }
    Ok(())
}

/// Parses and builds the rules and allowlists of one file's text, compiling every regex
/// (what `--rules FILE` does, without the built-in rules). Used by fuzzing and tools.
pub fn ruleset_from_text(text: &str, name: &str) -> Result<RuleSet, RuleError> {
    let file = parse_rule_text(text, name)?;
    let mut set = RuleSet::default();
    merge(&mut set.rules, &file.rules, name, true)?;
    add_global(&mut set, &file, name)?;
    Ok(set)
}

/// A rule path is a file, or a directory whose `*.toml` files are read in name order.
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, RuleError> {
    let io = |source| RuleError::Io { path: path.display().to_string(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}
