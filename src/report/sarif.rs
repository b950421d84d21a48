//! SARIF 2.1.0 output as GitHub code scanning accepts it (serde-sarif).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif,
    Tool, ToolComponent, VersionControlDetails,
};

use super::ReportContext;
use crate::finding::Finding;
use crate::origin::Origin;
use crate::rules::{RuleInfo, Severity};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The `partialFingerprints` key holding the content-based secret digest.
pub const FINGERPRINT_KEY: &str = "secretDigest/v1";
/// The `partialFingerprints` key GitHub matches alerts by: rule, secret and file.
pub const LOCATION_FINGERPRINT_KEY: &str = "primaryLocationLineHash";
/// GitHub code scanning rejects a run with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// The rule of the one summary result standing for findings beyond [`MAX_RESULTS`].
const TRUNCATED_RULE: &str = "keytrail-results-truncated";

pub(crate) fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Critical => 3,
        Severity::High => 2,
        Severity::Medium => 1,
        Severity::Low => 0,
    }
}

fn text(t: String) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(t).build()
}

pub(crate) fn revoke_line(r: &RuleInfo) -> String {
    match &r.revoke {
        Some(x) => format!("Revoke or rotate it: {x}"),
        None => "Revoke or rotate it with its issuer.".to_string(),
    }
}

/// The rule of the summary result that stands for the findings beyond [`MAX_RESULTS`].
fn truncated_descriptor() -> ReportingDescriptor {
    let about = "More findings than one SARIF run for GitHub code scanning holds; the rest are in the JSON report.";
    ReportingDescriptor::builder()
        .id(TRUNCATED_RULE)
        .name("ResultsTruncated")
        .short_description(text("Findings not listed".to_string()))
        .full_description(text(about.to_string()))
        .help(MultiformatMessageString::builder().text(about).markdown(about).build())
        .default_configuration(ReportingConfiguration::builder().level(serde_json::json!("warning")).build())
        .build()
}

pub(crate) fn descriptor(r: &RuleInfo) -> ReportingDescriptor {
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
    let help_uri = r.revoke.as_deref().and_then(help_uri);
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

/// The web page of a `revoke` text (`https://x/y (Roll key)` → `https://x/y`), when it
/// starts with one; the prose stays in the help text.
fn help_uri(revoke: &str) -> Option<String> {
    let first = revoke.split_whitespace().next()?;
    let first = first.trim_end_matches([',', '.', ';', ')']);
    let rest = first.strip_prefix("https://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b)) {
        return None;
    }
    let mut out = String::from("https://");
    out.push_str(host);
    encode_into(&rest[host_end..], b"/?#@!$&'()*+,;=:~-._", &mut out);
    Some(out)
}

/// Appends `text` percent-encoded: ASCII letters, digits and `keep` stay, every other byte
/// (UTF-8 of non-ASCII characters included) becomes `%XX`.
fn encode_into(text: &str, keep: &[u8], out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A relative path as a URI reference: segments percent-encoded (RFC 3986), `/` between.
pub(crate) fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split(['/', '\\']).enumerate() {
        if i > 0 {
            out.push('/');
        }
        // `:` is encoded too: in a first segment it would read as a URI scheme.
        encode_into(seg, b"-._~!$&'()*+,;=@", &mut out);
    }
    out
}

/// Where SARIF paths are relative to (`%SRCROOT%`): `explicit` (`--sarif-root`), else the
/// work tree of the git repository holding the first scanned path, else that path when it
/// is a directory, else the current directory. Absolute and symlink-free.
pub fn sarif_root(paths: &[PathBuf], explicit: Option<&Path>) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let canonical = |p: &Path| {
        let abs = if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) };
        abs.canonicalize().unwrap_or(abs)
    };
    if let Some(dir) = explicit {
        return canonical(dir);
    }
    let first = paths.iter().find(|p| p.as_os_str() != "-");
    if let Some(p) = first {
        let start = if p.is_dir() { p.clone() } else { p.parent().map(Path::to_path_buf).unwrap_or_default() };
        let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
        if let Some(top) = git2::Repository::discover(&start).ok().and_then(|r| r.workdir().map(Path::to_path_buf)) {
            return canonical(&top);
        }
        if p.is_dir() {
            return canonical(p);
        }
    }
    canonical(&cwd)
}

/// The artifact location of a file shown as `shown`: relative to the SARIF root, or an
/// absolute `file://` URI (without a base) when the file lies outside it.
fn file_location(shown: &str, ctx: &ReportContext) -> ArtifactLocation {
    let Some(root) = &ctx.sarif_root else {
        return ArtifactLocation::builder().uri(uri(shown)).uri_base_id("%SRCROOT%").build();
    };
    let on_disk = match ctx.walk_roots.as_slice() {
        [single] if single.is_dir() => single.join(shown),
        _ => PathBuf::from(shown),
    };
    let abs = std::path::absolute(&on_disk).unwrap_or(on_disk);
    let abs = abs.canonicalize().unwrap_or(abs);
    match abs.strip_prefix(root) {
        Ok(rel) => ArtifactLocation::builder().uri(uri(&rel.to_string_lossy())).uri_base_id("%SRCROOT%").build(),
        Err(_) => {
            let mut u = String::from("file://");
            let text = abs.to_string_lossy();
            for seg in text.split('/').skip(1) {
                u.push('/');
                encode_into(seg, b"-._~!$&'()*+,;=@:", &mut u);
            }
            ArtifactLocation::builder().uri(u).build()
        }
    }
}

/// The location GitHub annotates: the file in the repository (an archive itself for its
/// members, with no region), the export file's line for a chat message.
fn location(f: &Finding, ctx: &ReportContext) -> Option<Location> {
    let (artifact, region) = match &*f.origin {
        // GitHub needs a location on every result: `-` stands for standard input, the object's
        // path in the repository for a blob no commit reaches.
        Origin::Stdin => (ArtifactLocation::builder().uri("-").build(), Some(span_region(f))),
        Origin::Git { oid, occurrence: None, .. } => (object_location(oid), Some(span_region(f))),
        Origin::Git { occurrence: Some(o), .. } => {
            (ArtifactLocation::builder().uri(uri(&o.path)).uri_base_id("%SRCROOT%").build(), Some(span_region(f)))
        }
        Origin::Staged { path } => {
            (ArtifactLocation::builder().uri(uri(path)).uri_base_id("%SRCROOT%").build(), Some(span_region(f)))
        }
        Origin::File { path } => (file_location(path, ctx), Some(span_region(f))),
        Origin::ArchiveMember { .. } => (outer_location(f.origin.root(), ctx)?, None),
        Origin::Process(_) => (host_location(&f.origin.display_path()), Some(span_region(f))),
        Origin::HostFile { path, .. } => (host_location(path), Some(span_region(f))),
        Origin::Chat(m) => match &*m.export {
            Origin::File { path } => {
                (file_location(path, ctx), f.export_line.map(|l| Region::builder().start_line(l as i64).build()))
            }
            other => (outer_location(other.root(), ctx)?, None),
        },
    };
    let physical = PhysicalLocation::builder().artifact_location(artifact);
    let physical = match region {
        Some(r) => physical.region(r).build(),
        None => physical.build(),
    };
    Some(Location::builder().physical_location(physical).build())
}

/// The location of the file holding an archive (or a git blob's path).
fn outer_location(root: &Origin, ctx: &ReportContext) -> Option<ArtifactLocation> {
    match root {
        Origin::File { path } => Some(file_location(path, ctx)),
        Origin::Staged { path } => Some(ArtifactLocation::builder().uri(uri(path)).uri_base_id("%SRCROOT%").build()),
        Origin::Git { occurrence: Some(o), .. } => {
            Some(ArtifactLocation::builder().uri(uri(&o.path)).uri_base_id("%SRCROOT%").build())
        }
        Origin::Git { oid, occurrence: None, .. } => Some(object_location(oid)),
        _ => None,
    }
}

/// A host path (`--host`) as an absolute `file://` URI.
fn host_location(path: &str) -> ArtifactLocation {
    ArtifactLocation::builder().uri(format!("file://{}", uri(path))).build()
}

/// Where a git object no commit reaches lives: its loose-object path in the repository.
fn object_location(oid: &str) -> ArtifactLocation {
    let uri = format!(".git/objects/{}/{}", oid.get(..2).unwrap_or(""), oid.get(2..).unwrap_or(""));
    ArtifactLocation::builder().uri(uri).uri_base_id("%SRCROOT%").build()
}

/// SARIF `relatedLocations`: the other parts of the credential, in the same file as the
/// result (ids 1, 2...), each with a message naming its rule.
fn related_locations(f: &Finding, ctx: &ReportContext) -> Vec<Location> {
    // Archive members and chat messages have no region in the file that holds them.
    if f.related.is_empty() || matches!(&*f.origin, Origin::ArchiveMember { .. } | Origin::Chat(_)) {
        return Vec::new();
    }
    let Some(artifact) = location(f, ctx).and_then(|l| l.physical_location).and_then(|p| p.artifact_location) else {
        return Vec::new();
    };
    f.related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let region = Region::builder()
                .start_line(r.span.line as i64)
                .start_column(r.span.column as i64)
                .end_line(r.span.end_line as i64)
                .end_column(r.span.end_column as i64)
                .build();
            let physical = PhysicalLocation::builder().artifact_location(artifact.clone()).region(region).build();
            let text = format!("{} ({}) [{}]", r.rule.name, ctx.shown(&r.secret), r.rule.id);
            Location::builder()
                .id(i as i64 + 1)
                .physical_location(physical)
                .message(Message::builder().text(text).build())
                .build()
        })
        .collect()
}

fn span_region(f: &Finding) -> Region {
    Region::builder()
        .start_line(f.span.line as i64)
        .start_column(f.span.column as i64)
        .end_line(f.span.end_line as i64)
        .end_column(f.span.end_column as i64)
        .build()
}

/// Where a finding is, in words, for the result message (archive member, chat message).
fn where_text(f: &Finding) -> String {
    match &*f.origin {
        Origin::ArchiveMember { .. } => {
            format!(" In archive member {} at line {}.", f.origin.display_path(), f.span.line)
        }
        Origin::Chat(m) => {
            let what = if m.platform == crate::origin::Platform::Email { "an email" } else { "a chat message" };
            let mut t = format!(" In {what} ({})", m.platform.as_str());
            if let Some(c) = &m.channel {
                t.push_str(&format!(" in {c}"));
            }
            if let Some(s) = &m.sender {
                t.push_str(&format!(" from {s}"));
            }
            if let Some(ts) = &m.timestamp {
                t.push_str(&format!(" at {ts}"));
            }
            t.push_str(&format!(" (line {} of the message).", f.span.line));
            t
        }
        Origin::Stdin => format!(" On standard input, line {}.", f.span.line),
        Origin::Process(p) => {
            let var = p.variable.as_deref().map(|v| format!("environment variable {v}")).unwrap_or(p.part.into());
            format!(
                " In the {var} of running process {} ({}).",
                p.pid,
                p.exe.as_deref().unwrap_or("unknown executable")
            )
        }
        Origin::HostFile { container: Some(c), .. } => {
            format!(" In the config of {} container {} ({}).", c.runtime, c.name.as_deref().unwrap_or("unnamed"), c.id)
        }
        Origin::Git { oid, occurrence: None, .. } => format!(" In unreachable blob {oid}, line {}.", f.span.line),
        _ => String::new(),
    }
}

/// GitHub's alert identity: rule, secret and file, plus the occurrence number within the
/// file (so the same key in two files is two alerts, and moving it within a file is not
/// a new one).
fn location_hash(f: &Finding, seen: &mut BTreeMap<String, u32>) -> String {
    let mut h = blake3::Hasher::new();
    for part in [f.rule.id.as_str(), "\0", &f.origin.display_path(), "\0", &f.digest.to_hex()] {
        h.update(part.as_bytes());
    }
    let hex = h.finalize().to_hex();
    let key = hex[..32].to_string();
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    format!("{key}:{n}")
}

/// A warning for the user when `count` findings exceed what one SARIF run for GitHub holds.
pub fn truncation_warning(count: usize) -> Option<String> {
    (count > MAX_RESULTS).then(|| {
        format!(
            "{count} findings exceed the {MAX_RESULTS} results GitHub accepts in one SARIF run: the SARIF holds the {} most severe and one summary result for the other {}; use --format json for all of them",
            MAX_RESULTS - 1,
            count - (MAX_RESULTS - 1)
        )
    })
}

pub fn write(findings: &[Finding], ctx: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
    let sarif =
        Sarif::builder().schema(SCHEMA_URI).version(serde_json::json!("2.1.0")).runs(vec![run(findings, ctx)]).build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

/// One SARIF run of `findings`; a run of one repository of several (`ctx.repository`)
/// carries its own `automationDetails.id`, which GitHub reads as the run's category.
pub fn run(findings: &[Finding], ctx: &ReportContext) -> Run {
    // GitHub keeps at most MAX_RESULTS per run: the most severe first, one summary for the rest.
    let mut shown: Vec<&Finding> = findings.iter().collect();
    let mut omitted: Vec<&Finding> = Vec::new();
    if shown.len() > MAX_RESULTS {
        shown.sort_by_key(|f| std::cmp::Reverse(rank(f.rule.severity)));
        omitted = shown.split_off(MAX_RESULTS - 1);
    }
    let mut rules: Vec<Arc<RuleInfo>> = Vec::new();
    for f in &shown {
        if !rules.iter().any(|r| r.id == f.rule.id) {
            rules.push(Arc::clone(&f.rule));
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut seen = BTreeMap::new();
    let mut results: Vec<SarifResult> = shown
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule.id).unwrap_or(0) as i64;
            let mut fp = BTreeMap::new();
            fp.insert(FINGERPRINT_KEY.to_string(), f.digest.to_hex());
            fp.insert(LOCATION_FINGERPRINT_KEY.to_string(), location_hash(f, &mut seen));
            let mut props = BTreeMap::new();
            props.insert("secret".to_string(), serde_json::json!(ctx.shown_secret(f)));
            props.insert("severity".to_string(), serde_json::json!(f.rule.severity.as_str()));
            props.insert("confidence".to_string(), serde_json::json!(f.confidence.as_str()));
            if !f.encoding.is_empty() {
                props.insert("encoding".to_string(), serde_json::json!(f.encoding));
            }
            if let Origin::Git { oid, occurrence, .. } = f.origin.root() {
                props.insert("blob".to_string(), serde_json::json!(oid));
                match occurrence {
                    Some(o) => {
                        props.insert("commit".to_string(), serde_json::json!(o.commit));
                        props.insert("author".to_string(), serde_json::json!(o.author));
                        props.insert("date".to_string(), serde_json::json!(o.date));
                        props.insert("refs".to_string(), serde_json::json!(o.refs));
                        props.insert("refs_total".to_string(), serde_json::json!(o.refs_total));
                        props.insert("commits_total".to_string(), serde_json::json!(o.commits_total));
                        props.insert("at_head".to_string(), serde_json::json!(o.at_head));
                        if let Some(last) = &o.last_commit {
                            props.insert("last_commit".to_string(), serde_json::json!(last));
                        }
                    }
                    None => {
                        props.insert("unreachable".to_string(), serde_json::json!(true));
                    }
                }
            }
            if let Some(r) = &ctx.repository {
                props.insert("repository".to_string(), serde_json::json!(r));
            }
            if let Some((url, commit_url)) = ctx.links.as_ref().and_then(|l| l.of_finding(f)) {
                props.insert("url".to_string(), serde_json::json!(url));
                props.insert("commitUrl".to_string(), serde_json::json!(commit_url));
            }
            if let Origin::Chat(m) = &*f.origin {
                props.insert("platform".to_string(), serde_json::json!(m.platform.as_str()));
                props.insert("messageLine".to_string(), serde_json::json!(f.span.line));
                if let Some(id) = &m.message_id {
                    props.insert("messageId".to_string(), serde_json::json!(id));
                }
            }
            let validation = ctx.validations.get(f);
            if let Some(v) = validation {
                props.insert("validation".to_string(), serde_json::json!(v));
            }
            // A key the provider says is live is an error whatever the rule's severity.
            let active = validation.is_some_and(|v| v.status == crate::validate::Status::Active);
            let live = if active { " The key is live (the provider accepted it): revoke it first." } else { "" };
            let message = format!("{} detected.{}{live} {}", f.rule.name, where_text(f), revoke_line(&f.rule));
            let base = SarifResult::builder()
                .rule_id(f.rule.id.clone())
                .rule_index(index)
                .level(if active { ResultLevel::Error } else { level(f.rule.severity) })
                .rank(f.confidence.sarif_rank())
                .message(Message::builder().text(message).build())
                .partial_fingerprints(fp)
                .properties(PropertyBag::builder().additional_properties(props).build());
            let related = related_locations(f, ctx);
            match (location(f, ctx), related.is_empty()) {
                (Some(l), true) => base.locations(vec![l]).build(),
                (Some(l), false) => base.locations(vec![l]).related_locations(related).build(),
                (None, _) => base.build(),
            }
        })
        .collect();
    let mut descriptors: Vec<ReportingDescriptor> = rules.iter().map(|r| descriptor(r)).collect();
    if let Some(first) = omitted.first() {
        descriptors.push(truncated_descriptor());
        let mut fp = BTreeMap::new();
        fp.insert(LOCATION_FINGERPRINT_KEY.to_string(), format!("{TRUNCATED_RULE}:1"));
        let text = format!(
            "{} more findings are not listed: GitHub accepts at most {MAX_RESULTS} results in one SARIF run. Run keytrail with --format json to see all {}.",
            omitted.len(),
            findings.len()
        );
        let base = SarifResult::builder()
            .rule_id(TRUNCATED_RULE)
            .rule_index((descriptors.len() - 1) as i64)
            .level(ResultLevel::Warning)
            .message(Message::builder().text(text).build())
            .partial_fingerprints(fp);
        results.push(match location(first, ctx) {
            Some(l) => base.locations(vec![l]).build(),
            None => base.build(),
        });
    }
    let driver = ToolComponent::builder()
        .name("keytrail")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/keytrail/keytrail")
        .rules(descriptors)
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
                let root = ArtifactLocation::builder().uri_base_id("%SRCROOT%").build();
                let d = VersionControlDetails::builder().repository_uri(v.repository_uri.clone()).mapped_to(root);
                match (&v.revision, &v.branch) {
                    (Some(r), Some(b)) => d.revision_id(r.clone()).branch(b.clone()).build(),
                    (Some(r), None) => d.revision_id(r.clone()).build(),
                    _ => d.build(),
                }
            })
            .collect();
        base.version_control_provenance(vcp).build()
    };
    let mut run = run;
    if let Some(r) = &ctx.repository {
        run.automation_details = Some(RunAutomationDetails::builder().id(format!("keytrail/{r}/")).build());
    }
    run
}

#[cfg(test)]
mod tests {
    use super::{help_uri, uri};

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("a b/c#d.txt"), "a%20b/c%23d.txt");
        assert_eq!(uri("x.zip!m/f.json"), "x.zip!m/f.json");
        assert_eq!(uri("\u{fc}n\u{ef}code/\u{e7}onfig.env"), "%C3%BCn%C3%AFcode/%C3%A7onfig.env");
        assert_eq!(uri("c:d/[x]%.txt"), "c%3Ad/%5Bx%5D%25.txt");
    }

    #[test]
    fn help_uri_is_the_leading_url_only() {
        assert_eq!(
            help_uri("https://console.aws.amazon.com/iam/home#/security_credentials (deactivate, then delete the key)")
                .as_deref(),
            Some("https://console.aws.amazon.com/iam/home#/security_credentials")
        );
        assert_eq!(
            help_uri("https://fly.io/user/personal_access_tokens or `fly tokens revoke`").as_deref(),
            Some("https://fly.io/user/personal_access_tokens")
        );
        assert_eq!(help_uri("https://portal.azure.com (Storage account)").as_deref(), Some("https://portal.azure.com"));
        assert_eq!(help_uri("Teams channel \u{2192} Connectors"), None);
        assert_eq!(help_uri("https://exa mple"), Some("https://exa".to_string()));
        assert_eq!(help_uri("https://x.io/caf\u{e9}").as_deref(), Some("https://x.io/caf%C3%A9"));
    }
}
