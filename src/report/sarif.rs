//! SARIF 2.1.0 output as GitHub code scanning accepts it (serde-sarif).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
    VersionControlDetails,
};

use super::ReportContext;
use crate::finding::Finding;
use crate::origin::Origin;
use crate::rules::{RuleInfo, Severity};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The `partialFingerprints` key holding the content-based secret digest.
pub const FINGERPRINT_KEY: &str = "secretDigest/v1";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

fn text(t: String) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(t).build()
}

fn revoke_line(r: &RuleInfo) -> String {
    match &r.revoke {
        Some(x) => format!("Revoke or rotate it: {x}"),
        None => "Revoke or rotate it with its issuer.".to_string(),
    }
}

fn descriptor(r: &RuleInfo) -> ReportingDescriptor {
    let provider = if r.provider.is_empty() { "its issuer" } else { r.provider.as_str() };
    let full = format!("Detects a {} ({}).", r.name, provider);
    let help_text = format!(
        "A {} was committed or shared. Treat it as leaked: {} Then remove it from the code and history, and load it from a secret manager or environment variable instead.",
        r.name,
        revoke_line(r)
    );
    let help_md = format!(
        "**{}** detected.\n\n1. Treat the key as leaked. {}\n2. Remove it from the file and the history.\n3. Load it from a secret manager or an environment variable.",
        r.name,
        revoke_line(r)
    );
    let mut tags = vec![serde_json::json!("security"), serde_json::json!("secret")];
    tags.extend(r.tags.iter().map(|t| serde_json::json!(t)));
    let mut props = BTreeMap::new();
    props.insert("security-severity".to_string(), serde_json::json!(r.severity.score()));
    props.insert("precision".to_string(), serde_json::json!(r.confidence.sarif_precision()));
    props.insert("tags".to_string(), serde_json::Value::Array(tags));
    let help_uri = r.revoke.clone().filter(|x| x.starts_with("https://"));
    let base = ReportingDescriptor::builder()
        .id(r.id.clone())
        .name(r.name.clone())
        .short_description(text(r.name.clone()))
        .full_description(text(full))
        .help(MultiformatMessageString::builder().text(help_text).markdown(help_md).build())
        .default_configuration(
            ReportingConfiguration::builder().level(serde_json::json!(level(r.severity).to_string())).build(),
        )
        .properties(PropertyBag::builder().additional_properties(props).build());
    match help_uri {
        Some(u) => base.help_uri(u).build(),
        None => base.build(),
    }
}

/// Percent-encodes the characters that would make a path an invalid URI reference.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for ch in path.chars() {
        match ch {
            '\\' => out.push('/'),
            ' ' | '%' | '#' | '?' | '[' | ']' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '^' => {
                let mut b = [0u8; 4];
                for byte in ch.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c if c.is_control() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

pub fn write(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: Vec<Arc<RuleInfo>> = Vec::new();
    for f in findings {
        if !rules.iter().any(|r| r.id == f.rule.id) {
            rules.push(Arc::clone(&f.rule));
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let results: Vec<SarifResult> = findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule.id).unwrap_or(0) as i64;
            let region = Region::builder()
                .start_line(f.span.line as i64)
                .start_column(f.span.column as i64)
                .end_line(f.span.end_line as i64)
                .end_column(f.span.end_column as i64)
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(
                            ArtifactLocation::builder()
                                .uri(uri(&f.origin.display_path()))
                                .uri_base_id("%SRCROOT%")
                                .build(),
                        )
                        .region(region)
                        .build(),
                )
                .build();
            let mut fp = BTreeMap::new();
            fp.insert(FINGERPRINT_KEY.to_string(), f.digest.to_hex());
            let mut props = BTreeMap::new();
            props.insert("secret".to_string(), serde_json::json!(ctx.shown_secret(f)));
            props.insert("severity".to_string(), serde_json::json!(f.rule.severity.as_str()));
            props.insert("confidence".to_string(), serde_json::json!(f.confidence.as_str()));
            if let Origin::Git { oid, occurrence } = &*f.origin {
                props.insert("blob".to_string(), serde_json::json!(oid));
                match occurrence {
                    Some(o) => {
                        props.insert("commit".to_string(), serde_json::json!(o.commit));
                        props.insert("author".to_string(), serde_json::json!(o.author));
                        props.insert("date".to_string(), serde_json::json!(o.date));
                        props.insert("refs".to_string(), serde_json::json!(o.refs));
                    }
                    None => {
                        props.insert("unreachable".to_string(), serde_json::json!(true));
                    }
                }
            }
            let message = format!("{} detected. {}", f.rule.name, revoke_line(&f.rule));
            SarifResult::builder()
                .rule_id(f.rule.id.clone())
                .rule_index(index)
                .level(level(f.rule.severity))
                .rank(f.confidence.sarif_rank())
                .message(Message::builder().text(message).build())
                .locations(vec![location])
                .partial_fingerprints(fp)
                .properties(PropertyBag::builder().additional_properties(props).build())
                .build()
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("keytrail")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/keytrail/keytrail")
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let base = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"));
    let run = if ctx.vcs.is_empty() {
        base.build()
    } else {
        let vcp: Vec<VersionControlDetails> = ctx
            .vcs
            .iter()
            .map(|v| {
                let d = VersionControlDetails::builder().repository_uri(v.repository_uri.clone());
                match (&v.revision, &v.branch) {
                    (Some(r), Some(b)) => d.revision_id(r.clone()).branch(b.clone()).build(),
                    (Some(r), None) => d.revision_id(r.clone()).build(),
                    _ => d.build(),
                }
            })
            .collect();
        base.version_control_provenance(vcp).build()
    };
    let sarif = Sarif::builder().schema(SCHEMA_URI).version(serde_json::json!("2.1.0")).runs(vec![run]).build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("a b/c#d.txt"), "a%20b/c%23d.txt");
        assert_eq!(uri("x.zip!m/f.json"), "x.zip!m/f.json");
    }
}
