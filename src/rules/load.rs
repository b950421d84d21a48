//! Loading rule sets: built-in rule files, `--rules` files, and `.keytrail.toml`/`.gitleaks.toml`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::builtin::BuiltinDef;
use super::fields::RuleFields;
use super::schema::{FileDef, RuleDef};
use super::{Allowlist, Confidence, LazyRegex, Rule, RuleError, RuleInfo, RuleSet, Severity};

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
    /// Load the built-in rules without their examples (a scan never runs them; `rules check`
    /// and the tests do).
    pub lean: bool,
}

/// Parses one rule/config file's text; its `services` entries are expanded into rules. A
/// `.tsv` file is a table of services, one a line (see [`super::services`]).
pub fn parse_rule_text(text: &str, path: &str) -> Result<FileDef, RuleError> {
    parse_text(text, path, true)
}

/// [`parse_rule_text`], generating the examples of service entries only when asked.
fn parse_text(text: &str, path: &str, examples: bool) -> Result<FileDef, RuleError> {
    if path.ends_with(".tsv") {
        let rules = super::services::parse_table(text, path)?
            .iter()
            .map(|s| super::services::expand_with(s, path, examples))
            .collect::<Result<_, _>>()?;
        return Ok(FileDef { rules, ..FileDef::default() });
    }
    let mut file: FileDef = toml::from_str(text).map_err(|e| RuleError::Toml {
        path: path.to_string(),
        message: e.message().to_string() + &line_hint(text, e.span()),
    })?;
    for s in std::mem::take(&mut file.services) {
        file.rules.push(super::services::expand_with(&s, path, examples)?);
    }
    Ok(file)
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

/// Builds a rule from its definition (parsed, or built in). User rules (`eager`) have their
/// regex syntax checked now so that errors show at start-up; every rule compiles lazily on
/// first use.
///
/// `shared` holds the allowlists built so far that rules share (the built-in context rules
/// all carry the same one: built once, its regex is also compiled once).
fn build_rule<D: RuleFields>(
    def: &D,
    file: &str,
    eager: bool,
    shared: &mut HashMap<usize, Arc<[Allowlist]>>,
) -> Result<Rule, RuleError> {
    let ctx = Context(file, def.id());
    if def.id().is_empty() {
        return Err(RuleError::Invalid(format!("{file}: a rule has no id")));
    }
    if def.regex().is_none() && def.path().is_none() {
        return Err(RuleError::Invalid(format!("{ctx}: needs a regex or a path")));
    }
    let severity = match def.severity() {
        None => Severity::Medium,
        Some(s) => Severity::parse(s)
            .ok_or_else(|| RuleError::Invalid(format!("{ctx}: severity {s:?} is not low, medium, high or critical")))?,
    };
    let confidence = match def.confidence() {
        None if def.generic() => Confidence::Low,
        None => Confidence::High,
        Some(s) => Confidence::parse(s)
            .ok_or_else(|| RuleError::Invalid(format!("{ctx}: confidence {s:?} is not high, medium or low")))?,
    };
    let gate = def
        .gate()
        .map(|g| {
            crate::engine::Gate::parse(g).ok_or_else(|| {
                RuleError::Invalid(format!("{ctx}: gate {g:?} is not {}", crate::engine::Gate::NAMES.join(", ")))
            })
        })
        .transpose()?;
    let path = def
        .path()
        .map(|p| LazyRegex::new(p, eager).map_err(|e| RuleError::Invalid(format!("{ctx}: path regex: {e}"))))
        .transpose()?;
    let allowlists = match def.shared_allowlists().and_then(|k| shared.get(&k)) {
        Some(lists) => Arc::clone(lists),
        None => {
            let ctx = ctx.to_string();
            let lists: Arc<[Allowlist]> =
                def.allowlists().map(|a| Allowlist::from_fields(a, &ctx, eager)).collect::<Result<_, _>>()?;
            if let Some(k) = def.shared_allowlists() {
                shared.insert(k, Arc::clone(&lists));
            }
            lists
        }
    };
    if let Some(e) = def.entropy()
        && !(0.0..=8.0).contains(&e)
    {
        return Err(RuleError::Invalid(format!("{ctx}: entropy {e} is outside 0..8 bits/char")));
    }
    let name = def.name().or(def.description()).unwrap_or(def.id()).to_string();
    let strings = |it: &mut dyn Iterator<Item = &str>| it.map(str::to_string).collect::<Vec<_>>();
    let info = RuleInfo {
        id: def.id().to_string(),
        name,
        provider: def.provider().unwrap_or_default().to_string(),
        severity,
        confidence,
        revoke: def.revoke().map(str::to_string),
        keywords: strings(&mut def.keywords().filter(|k| !k.is_empty())),
        tags: strings(&mut def.tags()),
    };
    let regex_src = def.regex_src();
    let regex_spans_lines = regex_src.as_deref().is_some_and(spans_lines);
    let rule = Rule {
        info: Arc::new(info),
        multiline: def.multiline() || regex_spans_lines,
        regex_src,
        secret_group: def.secret_group(),
        matcher: OnceLock::new(),
        entropy: def.entropy(),
        path,
        allowlists,
        examples: strings(&mut def.examples()),
        negative_examples: strings(&mut def.negative_examples()),
        // Built-in rules say so; a user's regex that can cross lines may match a block.
        block: def.multiline() || (eager && regex_spans_lines),
        generic: def.generic(),
        gate,
        example_path: def.example_path().map(str::to_string),
        required: def
            .required()
            .map(|(id, within_lines, within_columns)| super::Required {
                id: id.to_string(),
                within_lines,
                within_columns,
            })
            .collect(),
        skip_report: def.skip_report().unwrap_or(false),
        partners: strings(&mut def.partners()),
        partner_lines: def.partner_lines().unwrap_or(DEFAULT_PARTNER_LINES),
        file: file.to_string(),
    };
    if eager && let Some(src) = &rule.regex_src {
        let groups = super::check_syntax(src).map_err(|e| RuleError::Invalid(format!("{ctx}: regex: {e}")))?;
        if let Some(g) = def.secret_group()
            && g > groups.count
            && !groups.named_secret
        {
            return Err(RuleError::Invalid(format!(
                "{ctx}: secretGroup {g} but the regex has {} capture group{}",
                groups.count,
                if groups.count == 1 { "" } else { "s" }
            )));
        }
    }
    Ok(rule)
}

/// `file: rule "id"`, the start of a rule's error messages (written only for an error).
struct Context<'a>(&'a str, &'a str);

impl std::fmt::Display for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: rule {:?}", self.0, self.1)
    }
}

/// How many lines apart the parts of a credential may be, unless a rule says.
const DEFAULT_PARTNER_LINES: u32 = 10;

/// True for regexes written to match across lines (`[\s\S]`, `(?s)`, `\n`): gitleaks rules
/// have no `multiline` flag, so their PEM-style rules are recognised by shape.
fn spans_lines(src: &str) -> bool {
    // Each marker starts with a backslash or `(`: look only there (one pass per regex).
    let b = src.as_bytes();
    memchr::memchr2_iter(b'\\', b'(', b)
        .any(|i| [&br"\s\S"[..], br"\S\s", b"(?s", br"\n", br"\r"].iter().any(|m| b[i..].starts_with(m)))
}

/// A rule definition on its way into the set: the file it came from, and whether it is a
/// user's (its regex is checked at load).
struct Pending {
    def: Def,
    file: String,
    eager: bool,
    /// A built-in rule (gitleaks ids are aliases of these only).
    builtin: bool,
}

/// A pending rule's definition: a built-in one as it is, until a config extends it.
enum Def {
    Builtin(&'static BuiltinDef),
    Owned(Box<RuleDef>),
}

impl Def {
    fn id(&self) -> &str {
        match self {
            Def::Builtin(b) => b.id.get(),
            Def::Owned(d) => &d.id,
        }
    }

    /// The definition to change, a built-in one copied out first.
    fn to_mut(&mut self) -> &mut RuleDef {
        if let Def::Builtin(b) = *self {
            *self = Def::Owned(Box::new(b.to_def()));
        }
        match self {
            Def::Owned(d) => d,
            Def::Builtin(_) => unreachable!("a built-in definition was just copied out"),
        }
    }
}

/// How a file's rules meet rules already loaded with the same id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// `--rules` files: the new rule replaces the old one.
    Replace,
    /// Configs over their base (the defaults, `[extend] path`): the new rule extends the old
    /// one, as gitleaks does (fields it sets override, allowlists are added).
    Extend,
}

/// How deep `[extend] path` chains may go.
const MAX_EXTEND_DEPTH: u32 = 4;

/// The rules of `defs`, a repeated id keeping only its last definition (as gitleaks does).
fn last_wins(defs: &[RuleDef]) -> Vec<RuleDef> {
    let mut out: Vec<RuleDef> = Vec::with_capacity(defs.len());
    for def in defs {
        out.retain(|d| d.id != def.id);
        out.push(def.clone());
    }
    out
}

/// `over`'s fields that are set override `base`'s; allowlists, tags, examples and required
/// rules are added.
fn extend_def(base: &mut RuleDef, over: RuleDef) {
    fn set<T>(slot: &mut Option<T>, v: Option<T>) {
        if v.is_some() {
            *slot = v;
        }
    }
    set(&mut base.name, over.name);
    set(&mut base.description, over.description);
    set(&mut base.provider, over.provider);
    set(&mut base.severity, over.severity);
    set(&mut base.revoke, over.revoke);
    if over.regex.is_some() {
        base.regex = over.regex;
        base.secret_group = over.secret_group;
        base.multiline = over.multiline;
    } else {
        set(&mut base.secret_group, over.secret_group);
    }
    set(&mut base.entropy, over.entropy);
    set(&mut base.path, over.path);
    set(&mut base.skip_report, over.skip_report);
    set(&mut base.confidence, over.confidence);
    set(&mut base.gate, over.gate);
    set(&mut base.example_path, over.example_path);
    if !over.keywords.is_empty() {
        base.keywords = over.keywords;
    }
    for t in over.tags {
        if !base.tags.contains(&t) {
            base.tags.push(t);
        }
    }
    base.allowlists.extend(over.allowlist.into_iter().chain(over.allowlists));
    base.examples.extend(over.examples);
    base.negative_examples.extend(over.negative_examples);
    base.required.extend(over.required);
    for p in over.partners {
        if !base.partners.contains(&p) {
            base.partners.push(p);
        }
    }
    set(&mut base.partner_lines, over.partner_lines);
}

/// Collects rule definitions from the defaults, configs and rule files, then builds them.
#[derive(Default)]
struct Loader {
    rules: Vec<Pending>,
    globals: Vec<(super::schema::AllowDef, String)>,
    defaults: bool,
    /// Built-in rules without their examples.
    lean: bool,
    disabled: Vec<String>,
    warnings: Vec<String>,
    chain: Vec<PathBuf>,
}

impl Loader {
    fn add_defaults(&mut self) -> Result<(), RuleError> {
        if self.defaults {
            return Ok(());
        }
        self.defaults = true;
        // Into an empty set, rules with distinct ids need no merging (a thousand `add`s would
        // each look through every rule loaded before).
        let fresh = self.rules.is_empty();
        if self.lean {
            // Parsed, expanded and checked for repeated ids at build time.
            let defs = super::builtin::builtin_defs();
            self.rules.reserve(defs.len());
            for b in defs {
                if fresh {
                    self.rules.push(Pending {
                        def: Def::Builtin(b),
                        file: b.file.get().to_string(),
                        eager: false,
                        builtin: true,
                    });
                } else {
                    self.add(b.to_def(), b.file.get(), Merge::Replace, false);
                }
            }
            return Ok(());
        }
        let mut ids = HashSet::new();
        for (name, text) in builtin_files() {
            let file = parse_text(text, name, true)?;
            for def in file.rules {
                if !ids.insert(def.id.clone()) {
                    return Err(RuleError::Invalid(format!("built-in rule id {:?} is defined twice ({name})", def.id)));
                }
                if fresh {
                    self.rules.push(Pending {
                        def: Def::Owned(Box::new(def)),
                        file: name.to_string(),
                        eager: false,
                        builtin: true,
                    });
                } else {
                    self.add(def, name, Merge::Replace, false);
                }
            }
        }
        Ok(())
    }

    /// The loaded rules `id` names: itself, else the built-in rules a gitleaks id stands for.
    fn targets(&self, id: &str) -> Vec<usize> {
        let find = |id: &str| self.rules.iter().position(|p| p.def.id() == id);
        if let Some(i) = find(id) {
            return vec![i];
        }
        let builtin = |k: &str| self.rules.iter().position(|p| p.builtin && p.def.id() == k);
        super::aliases::keytrail_ids(id).into_iter().flatten().filter_map(|k| builtin(k)).collect()
    }

    fn add(&mut self, def: RuleDef, file: &str, merge: Merge, eager: bool) {
        let targets = self.targets(&def.id);
        if merge == Merge::Extend && !targets.is_empty() {
            for &i in &targets {
                let p = &mut self.rules[i];
                p.eager |= def.regex.is_some();
                extend_def(p.def.to_mut(), def.clone());
            }
            return;
        }
        if merge == Merge::Extend && def.regex.is_none() && def.path.is_none() {
            // Only allowlists and such, for a gitleaks default rule keytrail has no counterpart of.
            self.warnings.push(format!("{file}: rule {:?} extends no rule keytrail has: ignored", def.id));
            return;
        }
        self.rules.retain(|p| p.def.id() != def.id);
        let builtin = !eager;
        self.rules.push(Pending { def: Def::Owned(Box::new(def)), file: file.to_string(), eager, builtin });
    }

    /// Loads a config and, first, what it extends. `use_default` is what an absent
    /// `[extend] useDefault` means for this file.
    fn config(&mut self, path: &Path, use_default: bool, depth: u32) -> Result<(), RuleError> {
        let shown = path.display().to_string();
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if self.chain.contains(&canonical) {
            return Err(RuleError::Invalid(format!("{shown}: [extend] path leads back to itself")));
        }
        if depth > MAX_EXTEND_DEPTH {
            return Err(RuleError::Invalid(format!("{shown}: [extend] chain deeper than {MAX_EXTEND_DEPTH} configs")));
        }
        let file = read_file(path)?;
        let extend = file.extend.clone().unwrap_or_default();
        if extend.use_default.unwrap_or(use_default) {
            self.add_defaults()?;
        }
        if let Some(base) = &extend.path {
            let base_path = extend_path(path, base);
            self.chain.push(canonical);
            self.config(&base_path, false, depth + 1)?;
            self.chain.pop();
        }
        self.disabled.extend(extend.disabled_rules.iter().cloned());
        for def in last_wins(&file.rules) {
            self.add(def, &shown, Merge::Extend, true);
        }
        self.add_globals(&file, &shown);
        if depth == 0 && self.rules.is_empty() {
            self.warnings.push(format!(
                "{shown}: defines no rules and does not extend the defaults ([extend] useDefault = true): nothing can be found"
            ));
        }
        Ok(())
    }

    fn add_globals(&mut self, file: &FileDef, shown: &str) {
        for a in file.allowlist.iter().chain(&file.allowlists) {
            self.globals.push((a.clone(), shown.to_string()));
        }
    }

    fn build(self, opts: &RuleOptions) -> Result<RuleSet, RuleError> {
        let mut set =
            RuleSet { warnings: self.warnings, rules: Vec::with_capacity(self.rules.len()), ..Default::default() };
        let mut shared = HashMap::new();
        for p in &self.rules {
            set.rules.push(match &p.def {
                Def::Builtin(b) => build_rule(*b, &p.file, p.eager, &mut shared)?,
                Def::Owned(d) => build_rule(d.as_ref(), &p.file, p.eager, &mut shared)?,
            });
        }
        for (a, shown) in &self.globals {
            set.global_allowlists.push(Allowlist::from_def(a, &format!("{shown}: global allowlist"), true)?);
        }
        let resolve = |set: &RuleSet, id: &str| -> Vec<String> {
            if set.get(id).is_some() {
                return vec![id.to_string()];
            }
            let ours = super::aliases::keytrail_ids(id).into_iter().flatten();
            ours.filter(|k| set.get(k).is_some()).map(|k| k.to_string()).collect()
        };
        let mut disabled: Vec<String> = Vec::new();
        for id in &self.disabled {
            match resolve(&set, id).as_slice() {
                [] => set.warnings.push(format!(
                    "disabledRules: no rule {id:?} to disable (not a keytrail or known gitleaks rule id)"
                )),
                ids => disabled.extend(ids.iter().cloned()),
            }
        }
        let cli = |ids: &[String], out: &mut Vec<String>| -> Result<(), RuleError> {
            for id in ids {
                match resolve(&set, id).as_slice() {
                    [] => {
                        return Err(RuleError::Invalid(format!("unknown rule id {id:?} (see `keytrail rules list`)")));
                    }
                    found => out.extend(found.iter().cloned()),
                }
            }
            Ok(())
        };
        let mut enabled: Vec<String> = Vec::new();
        cli(&opts.enable, &mut enabled)?;
        cli(&opts.disable, &mut disabled)?;
        for r in &mut set.rules {
            for req in &mut r.required {
                let Some(target) = resolve_one(&self.rules, &req.id) else {
                    return Err(RuleError::Invalid(format!(
                        "{}: rule {:?} requires rule {:?}, which is not defined",
                        r.file, r.info.id, req.id
                    )));
                };
                req.id = target;
            }
            for p in &r.partners {
                if !self.rules.iter().any(|d| d.def.id() == p) {
                    return Err(RuleError::Invalid(format!(
                        "{}: rule {:?} names partner {p:?}, which is not defined",
                        r.file, r.info.id
                    )));
                }
            }
        }
        if !opts.enable.is_empty() {
            set.rules.retain(|r| enabled.iter().any(|id| id == r.id()));
        }
        set.rules.retain(|r| !disabled.iter().any(|id| id == r.id()));
        for r in &set.rules {
            for req in &r.required {
                if set.get(&req.id).is_none() {
                    set.warnings.push(format!(
                        "rule {:?} requires rule {:?}, which is disabled: it cannot fire",
                        r.id(),
                        req.id
                    ));
                }
            }
        }
        Ok(set)
    }
}

/// The id a `[[rules.required]]` entry names among the loaded rules (gitleaks ids mapped).
fn resolve_one(rules: &[Pending], id: &str) -> Option<String> {
    if rules.iter().any(|p| p.def.id() == id) {
        return Some(id.to_string());
    }
    super::aliases::keytrail_ids(id)?.iter().find(|k| rules.iter().any(|p| p.def.id() == **k)).map(|k| k.to_string())
}

/// Where `[extend] path` points: relative to the config file that names it (else, as
/// gitleaks also accepts, relative to the current directory).
fn extend_path(config: &Path, base: &str) -> PathBuf {
    let base = Path::new(base);
    let beside = config.parent().unwrap_or(Path::new(".")).join(base);
    if beside.is_file() || !base.is_file() { beside } else { base.to_path_buf() }
}

/// Which kind of config file was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ConfigKind {
    Keytrail,
    Gitleaks,
}

fn find_config(opts: &RuleOptions) -> Option<(PathBuf, ConfigKind, bool)> {
    if let Some(c) = &opts.config {
        return Some((c.clone(), ConfigKind::Gitleaks, true));
    }
    let root = opts.root.as_ref()?;
    [(".keytrail.toml", ConfigKind::Keytrail), (".gitleaks.toml", ConfigKind::Gitleaks)]
        .into_iter()
        .map(|(n, k)| (root.join(n), k, false))
        .find(|(p, _, _)| p.is_file())
}

/// Loads the rule set for a scan: the built-in rules (unless a config says otherwise), the
/// config's rules and allowlists (and what it extends), `--rules` files, then
/// `--enable-rule`/`--disable-rule`. An explicit `--config` or a `.gitleaks.toml` means its
/// own rules only unless `[extend] useDefault = true`, as in gitleaks; a `.keytrail.toml`
/// found at the scan root extends the built-in rules unless `useDefault = false`.
pub fn load_rules(opts: &RuleOptions) -> Result<RuleSet, RuleError> {
    let mut loader = Loader { lean: opts.lean, ..Loader::default() };
    match find_config(opts) {
        None => loader.add_defaults()?,
        Some((path, kind, _explicit)) => loader.config(&path, kind == ConfigKind::Keytrail, 0)?,
    }
    for extra in &opts.extra {
        for path in rule_files(extra)? {
            let file = read_file(&path)?;
            let shown = path.display().to_string();
            let mut seen = HashSet::new();
            for def in &file.rules {
                if !seen.insert(def.id.as_str()) {
                    return Err(RuleError::Invalid(format!("{shown}: rule id {:?} appears twice", def.id)));
                }
            }
            for def in file.rules.iter().cloned() {
                loader.add(def, &shown, Merge::Replace, true);
            }
            loader.add_globals(&file, &shown);
        }
    }
    loader.build(opts)
}

/// Parses and builds the rules and allowlists of one file's text, compiling every regex
/// (what `--rules FILE` does, without the built-in rules). Used by fuzzing and tools.
pub fn ruleset_from_text(text: &str, name: &str) -> Result<RuleSet, RuleError> {
    let file = parse_rule_text(text, name)?;
    let mut loader = Loader::default();
    for def in file.rules.iter().cloned() {
        loader.add(def, name, Merge::Replace, true);
    }
    loader.add_globals(&file, name);
    loader.build(&RuleOptions::default())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lean_rules_are_the_rules_without_examples() {
        // The lean set is built from the definitions build.rs generated; the full one from
        // the rule files parsed now. They must differ in nothing but the examples.
        let full = load_rules(&RuleOptions::default()).unwrap();
        let lean = load_rules(&RuleOptions { lean: true, ..Default::default() }).unwrap();
        assert_eq!(full.rules.len(), lean.rules.len());
        assert_eq!(full.rules.len(), super::super::builtin::builtin_defs().len());
        for (mut a, b) in full.rules.into_iter().zip(&lean.rules) {
            assert!(!a.examples.is_empty() && b.examples.is_empty() && b.negative_examples.is_empty(), "{}", a.id());
            a.examples.clear();
            a.negative_examples.clear();
            assert_eq!(format!("{a:?}"), format!("{b:?}"));
        }
    }

    #[test]
    fn a_config_extends_a_built_in_rule() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.toml");
        std::fs::write(
            &config,
            "[extend]\nuseDefault = true\n[[rules]]\nid = \"github-pat-classic\"\n[rules.allowlist]\nstopwords = [\"zzzz\"]\n",
        )
        .unwrap();
        for lean in [false, true] {
            let set = load_rules(&RuleOptions { config: Some(config.clone()), lean, ..Default::default() }).unwrap();
            let rule = set.get("github-pat-classic").unwrap();
            let plain = load_rules(&RuleOptions { lean, ..Default::default() }).unwrap();
            let before = plain.get("github-pat-classic").unwrap();
            assert_eq!(rule.allowlists.len(), before.allowlists.len() + 1, "lean {lean}");
            assert_eq!(rule.regex_src, before.regex_src);
            assert_eq!(set.rules.len(), plain.rules.len());
        }
    }
}
