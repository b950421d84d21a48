//! Embeds every `rules/*.toml` and `rules/*.tsv` file into the binary (sorted, so builds are reproducible),
//! plus a lean copy of each TOML file without its `examples` / `negative_examples` (scans never
//! read those, and they are almost half of the text to parse at start-up).
use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> =
        fs::read_dir(&dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml" || e == "tsv"));
    files.sort();
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let lean_dir = out_dir.join("lean-rules");
    fs::create_dir_all(&lean_dir).expect("create lean-rules");
    let mut out = String::from(
        "/// Built-in rule files: (file name, TOML text).\npub static EMBEDDED_RULES: &[(&str, &str)] = &[\n",
    );
    let mut lean = String::from(
        "/// Built-in rule files without their examples: (file name, TOML text).\npub static EMBEDDED_RULES_LEAN: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().and_then(|n| n.to_str()).expect("rule file names are UTF-8");
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", f.display().to_string()));
        let text = fs::read_to_string(f).expect("rule files are UTF-8 text");
        let lean_text = if name.ends_with(".toml") { without_examples(&text) } else { None };
        let dest = lean_dir.join(name);
        fs::write(&dest, lean_text.unwrap_or(text)).expect("write a lean rule file");
        lean.push_str(&format!("    ({name:?}, include_str!({:?})),\n", dest.display().to_string()));
    }
    out.push_str("];\n");
    lean.push_str("];\n");
    fs::write(out_dir.join("embedded_rules.rs"), out + &lean).expect("write embedded_rules.rs");
}

/// The file re-serialised without rule examples; None when it does not parse (it is then
/// embedded as it is, and loading reports the error with its line).
fn without_examples(text: &str) -> Option<String> {
    let mut doc: toml::Table = toml::from_str(text).ok()?;
    if let Some(toml::Value::Array(rules)) = doc.get_mut("rules") {
        for rule in rules.iter_mut().filter_map(toml::Value::as_table_mut) {
            rule.remove("examples");
            rule.remove("negative_examples");
        }
    }
    if let Some(toml::Value::Array(services)) = doc.get_mut("services") {
        for s in services.iter_mut().filter_map(toml::Value::as_table_mut) {
            s.remove("examples");
            s.remove("negative_examples");
        }
    }
    toml::to_string(&doc).ok()
}
