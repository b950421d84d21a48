//! Embeds every `rules/*.toml` and `rules/*.tsv` file into the binary (sorted, so builds are
//! reproducible), and writes the built-in rules, parsed and expanded but without their
//! examples, as static definitions (`src/rules/builtin.rs`): what a scan loads, with no TOML
//! to parse and no services table to expand at start-up.
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::{env, fs, path::PathBuf};

/// The rule schema and the services expansion, shared with the library.
#[allow(dead_code)]
mod rules {
    #[path = "../src/rules/schema.rs"]
    pub mod schema;
    #[path = "../src/rules/services.rs"]
    pub mod services;

    /// The error type `services.rs` reports with.
    #[derive(Debug)]
    pub enum RuleError {
        Invalid(String),
    }

    impl std::fmt::Display for RuleError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let RuleError::Invalid(m) = self;
            f.write_str(m)
        }
    }
}

use rules::schema::{AllowDef, FileDef, RuleDef};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=src/rules/schema.rs");
    println!("cargo:rerun-if-changed=src/rules/services.rs");
    let mut files: Vec<PathBuf> =
        fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml" || e == "tsv"));
    files.sort();
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut out = String::from(
        "/// Built-in rule files: (file name, TOML text).\npub static EMBEDDED_RULES: &[(&str, &str)] = &[\n",
    );
    let mut generated = Generated::default();
    let mut ids = HashSet::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).expect("rule file names are UTF-8");
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", f.display().to_string()));
        let text = fs::read_to_string(f).expect("rule files are UTF-8 text");
        let defs = parse(&text, name).unwrap_or_else(|e| panic!("{e}"));
        for def in &defs {
            assert!(ids.insert(def.id.clone()), "built-in rule id {:?} is defined twice ({name})", def.id);
            generated.rule(name, def);
        }
    }
    out.push_str("];\n");
    fs::write(out_dir.join("embedded_rules.rs"), out).expect("write embedded_rules.rs");
    fs::write(out_dir.join("builtin_rules.rs"), generated.finish()).expect("write builtin_rules.rs");
}

/// A rule file's rules without their examples, as the library's loader reads them.
fn parse(text: &str, name: &str) -> Result<Vec<RuleDef>, String> {
    let services = if name.ends_with(".tsv") {
        rules::services::parse_table(text, name).map_err(|e| e.to_string())?
    } else {
        let mut file: FileDef = toml::from_str(text).map_err(|e| format!("{name}: invalid TOML: {e}"))?;
        let mut defs = std::mem::take(&mut file.rules);
        for s in &file.services {
            defs.push(rules::services::expand_with(s, name, false).map_err(|e| e.to_string())?);
        }
        return Ok(defs);
    };
    services.iter().map(|s| rules::services::expand_with(s, name, false).map_err(|e| e.to_string())).collect()
}

/// The generated Rust: one `BuiltinDef` per rule. Strings are offsets into one text and lists
/// are ranges of tables, so the statics hold no pointers: they need no relocation when the
/// program loads, and only the pages a scan reads are ever touched.
#[derive(Default)]
struct Generated {
    text: String,
    at: HashMap<String, (u32, u32)>,
    strs: Vec<(u32, u32)>,
    allows: Vec<String>,
    allow_at: HashMap<String, (u32, u32)>,
    required: Vec<String>,
    rules: String,
}

impl Generated {
    /// A string of the text (each distinct string is stored once).
    fn s(&mut self, s: &str) -> String {
        let (off, len) = self.span(s);
        format!("Str({off}, {len})")
    }

    fn span(&mut self, s: &str) -> (u32, u32) {
        if let Some(&at) = self.at.get(s) {
            return at;
        }
        let at = (self.text.len() as u32, s.len() as u32);
        self.text.push_str(s);
        self.at.insert(s.to_string(), at);
        at
    }

    fn opt(&mut self, s: &Option<String>) -> String {
        match s {
            Some(s) => format!("Some({})", self.s(s)),
            None => "None".into(),
        }
    }

    fn list(&mut self, l: &[String]) -> String {
        let start = self.strs.len();
        for s in l {
            let at = self.span(s);
            self.strs.push(at);
        }
        format!("Strs({start}, {})", l.len())
    }

    fn allow(&mut self, a: &AllowDef) -> String {
        format!(
            "BuiltinAllow {{ description: {}, condition: {}, regex_target: {}, regexes: {}, stopwords: {}, paths: {}, commits: {}, target_rules: {} }}",
            self.opt(&a.description),
            self.opt(&a.condition),
            self.opt(&a.regex_target),
            self.list(&a.regexes),
            self.list(&a.stopwords),
            self.list(&a.paths),
            self.list(&a.commits),
            self.list(&a.target_rules)
        )
    }

    /// A rule's allowlists as a range of the allowlist table; identical lists are stored once
    /// (the built-in rules share them, and so do their compiled forms).
    fn allows(&mut self, d: &RuleDef) -> (u32, u32) {
        let all: Vec<&AllowDef> = d.allowlist.iter().chain(&d.allowlists).collect();
        if all.is_empty() {
            return (0, 0);
        }
        let key = format!("{all:?}");
        if let Some(&at) = self.allow_at.get(&key) {
            return at;
        }
        let at = (self.allows.len() as u32, all.len() as u32);
        for a in all {
            let a = self.allow(a);
            self.allows.push(a);
        }
        self.allow_at.insert(key, at);
        at
    }

    fn rule(&mut self, file: &str, d: &RuleDef) {
        let (a0, an) = self.allows(d);
        let r0 = self.required.len();
        for r in &d.required {
            let id = self.s(&r.id);
            self.required.push(format!(
                "BuiltinRequired {{ id: {id}, within_lines: {}, within_columns: {} }}",
                opt_num(&r.within_lines),
                opt_num(&r.within_columns)
            ));
        }
        let fields = [
            format!("file: {}", self.s(file)),
            format!("id: {}", self.s(&d.id)),
            format!("name: {}", self.opt(&d.name)),
            format!("description: {}", self.opt(&d.description)),
            format!("provider: {}", self.opt(&d.provider)),
            format!("severity: {}", self.opt(&d.severity)),
            format!("revoke: {}", self.opt(&d.revoke)),
            format!("regex: {}", self.opt(&d.regex)),
            format!("secret_group: {}", opt_num(&d.secret_group)),
            format!("entropy: {}", opt_num(&d.entropy)),
            format!("keywords: {}", self.list(&d.keywords)),
            format!("path: {}", self.opt(&d.path)),
            format!("tags: {}", self.list(&d.tags)),
            format!("allowlists: ({a0}, {an})"),
            format!("multiline: {}", d.multiline),
            format!("generic: {}", d.generic),
            format!("confidence: {}", self.opt(&d.confidence)),
            format!("gate: {}", self.opt(&d.gate)),
            format!("example_path: {}", self.opt(&d.example_path)),
            format!("required: ({r0}, {})", d.required.len()),
            format!("skip_report: {}", opt_num(&d.skip_report)),
            format!("partners: {}", self.list(&d.partners)),
            format!("partner_lines: {}", opt_num(&d.partner_lines)),
        ];
        let _ = writeln!(self.rules, "    BuiltinDef {{ {} }},", fields.join(", "));
    }

    fn finish(self) -> String {
        let mut out = format!(
            "static TEXT: &str = {:?};
",
            self.text
        );
        let strs: Vec<String> = self.strs.iter().map(|(o, l)| format!("Str({o}, {l})")).collect();
        let _ = writeln!(out, "static STRS: [Str; {}] = [{}];", strs.len(), strs.join(", "));
        let _ =
            writeln!(out, "static ALLOWS: [BuiltinAllow; {}] = [\n{}];", self.allows.len(), self.allows.join(",\n"));
        let _ = writeln!(
            out,
            "static REQUIRED: [BuiltinRequired; {}] = [{}];",
            self.required.len(),
            self.required.join(", ")
        );
        let _ = write!(
            out,
            "/// The built-in rules, in file order.\nstatic BUILTIN_DEFS: &[BuiltinDef] = &[\n{}];\n",
            self.rules
        );
        out
    }
}

fn opt_num<T: std::fmt::Debug>(n: &Option<T>) -> String {
    match n {
        Some(n) => format!("Some({n:?})"),
        None => "None".into(),
    }
}
