//! The trace report: per fingerprinted key, a timeline of every place it was found.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::fingerprint::FingerprintMatcher;
use crate::origin::Origin;

/// One line of a key's timeline.
struct Event {
    /// RFC 3339 when known (file modification time, commit author date, message time).
    when: Option<String>,
    line: String,
}

/// The modification time of a reported file path, looked up under the scan roots.
fn file_mtime(roots: &[PathBuf], shown: &str) -> Option<String> {
    let candidates = roots.iter().map(|r| if r.is_dir() { r.join(shown) } else { r.clone() });
    candidates
        .chain(std::iter::once(Path::new(shown).to_path_buf()))
        .find_map(|p| std::fs::metadata(p).ok()?.modified().ok())
        .and_then(crate::rfc3339::from_system)
}

fn event(f: &Finding, roots: &[PathBuf]) -> Event {
    let path = f.origin.display_path();
    let at = format!("{path}:{}:{}", f.span.line, f.span.column);
    let enc = if f.encoding.is_empty() { String::new() } else { format!(" (encoded: {})", f.encoding.join(" > ")) };
    match f.origin.root() {
        Origin::Git { oid, occurrence: Some(o), .. } => Event {
            when: Some(o.date.clone()),
            line: format!(
                "git     commit {} by {} <{}> \"{}\" at {at} [{}; {}] blob {}{enc}",
                &o.commit[..o.commit.len().min(12)],
                o.author,
                o.email,
                o.summary,
                o.refs_line(5),
                o.story_line(),
                &oid[..oid.len().min(12)]
            ),
        },
        Origin::Git { oid, occurrence: None, .. } => {
            Event { when: None, line: format!("git     unreachable blob {oid} (no commit reaches it){enc}") }
        }
        Origin::Chat(m) => Event {
            when: m.timestamp.clone(),
            line: format!(
                "chat    {} {} — {} ({at}{}){enc}",
                m.platform.as_str(),
                m.channel.as_deref().map(|c| format!("#{c}")).unwrap_or_default(),
                m.sender.as_deref().unwrap_or("unknown sender"),
                m.message_id.as_deref().map(|i| format!(", message {i}")).unwrap_or_default()
            ),
        },
        Origin::Staged { .. } => Event { when: None, line: format!("staged  {at}{enc}") },
        Origin::Stdin => Event { when: None, line: format!("stdin   {at}{enc}") },
        Origin::File { .. } | Origin::ArchiveMember { .. } => {
            let when = matches!(&*f.origin, Origin::File { .. }).then(|| file_mtime(roots, &path)).flatten();
            let modified = when.as_deref().map(|w| format!(" (modified {w})")).unwrap_or_default();
            Event { when, line: format!("file    {at}{modified}{enc}") }
        }
    }
}

/// "found in 3 files, 5 commits on 2 branches, 2 chat messages".
fn summary(found: &[&Finding]) -> String {
    let (mut files, mut commits, mut refs, mut chats, mut other) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), 0usize, 0usize);
    for f in found {
        match f.origin.root() {
            Origin::Git { oid, occurrence, .. } => match occurrence {
                Some(o) => {
                    commits.insert(o.commit.clone());
                    commits.extend(o.introductions.iter().map(|i| i.commit.clone()));
                    refs.extend(o.refs.iter().cloned());
                }
                None => {
                    commits.insert(format!("unreachable {oid}"));
                }
            },
            Origin::Chat(_) => chats += 1,
            Origin::Stdin => other += 1,
            _ => {
                files.insert(f.origin.display_path());
            }
        }
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = Vec::new();
    if !files.is_empty() {
        parts.push(plural(files.len(), "file", "files"));
    }
    if !commits.is_empty() {
        parts.push(format!("{} on {}", plural(commits.len(), "commit", "commits"), plural(refs.len(), "ref", "refs")));
    }
    if chats > 0 {
        parts.push(plural(chats, "chat message", "chat messages"));
    }
    if other > 0 {
        parts.push(plural(other, "stdin occurrence", "stdin occurrences"));
    }
    format!("found in {}", parts.join(", "))
}

/// Writes the human trace report: every key, found or not, with its timeline.
pub fn write(
    findings: &[Finding],
    keys: &FingerprintMatcher,
    roots: &[PathBuf],
    validations: &crate::validate::Validations,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (print, info) in keys.keys() {
        let found: Vec<&Finding> = findings.iter().filter(|f| f.rule.id == info.id).collect();
        let title = format!("{} ({}, {} chars)", print.label, print.shown(), print.len);
        if found.is_empty() {
            writeln!(out, "{title}: not found")?;
            continue;
        }
        writeln!(out, "{title}: {}", summary(&found))?;
        if let Some(v) = validations.get(found[0]) {
            writeln!(out, "  live: {}", v.line())?;
        }
        let mut events: Vec<Event> = found.iter().map(|f| event(f, roots)).collect();
        // Oldest first where a time is known; the rest after, in path order.
        events.sort_by(|a, b| match (&a.when, &b.when) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        for e in events {
            let when = e.when.as_deref().unwrap_or("(time unknown)      ");
            writeln!(out, "  {when:<25} {}", e.line)?;
        }
        writeln!(out)?;
    }
    Ok(())
}
