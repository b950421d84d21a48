//! `.gitleaksignore`: findings to leave out, named by the fingerprints gitleaks writes
//! (`commit:file:rule:line` for history, `file:rule:line` for files).

use std::path::{Path, PathBuf};

use crate::finding::Finding;
use crate::origin::Origin;

/// One fingerprint line.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    commit: Option<String>,
    path: String,
    rule: String,
    line: u32,
}

/// The entries of a `.gitleaksignore` file.
#[derive(Debug, Default)]
pub struct GitleaksIgnore {
    entries: Vec<Entry>,
    /// Lines that are not fingerprints (reported once, then skipped).
    pub bad_lines: Vec<usize>,
}

/// Errors reading the file.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct IgnoreError {
    path: String,
    #[source]
    source: std::io::Error,
}

fn normal(p: &str) -> &str {
    p.strip_prefix("./").unwrap_or(p)
}

/// Same file, allowing for the two being shown from different roots (`src/a.env`, `a.env`).
fn same_path(a: &str, b: &str) -> bool {
    let (a, b) = (normal(a), normal(b));
    a == b || a.ends_with(&format!("/{b}")) || b.ends_with(&format!("/{a}"))
}

impl GitleaksIgnore {
    /// The file gitleaks would read for a scan of `paths`: `.gitleaksignore` in the first
    /// scanned directory, else at the top of the git work tree holding it.
    pub fn locate(paths: &[PathBuf]) -> Option<PathBuf> {
        let dir = paths.iter().find(|p| p.is_dir())?;
        let here = dir.join(".gitleaksignore");
        if here.is_file() {
            return Some(here);
        }
        let top = git2::Repository::discover(dir).ok()?.workdir()?.join(".gitleaksignore");
        top.is_file().then_some(top)
    }

    pub fn load(path: &Path) -> Result<GitleaksIgnore, IgnoreError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| IgnoreError { path: path.display().to_string(), source })?;
        Ok(GitleaksIgnore::parse(&text))
    }

    pub fn parse(text: &str) -> GitleaksIgnore {
        let mut out = GitleaksIgnore::default();
        for (i, raw) in text.lines().enumerate() {
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let mut parts = l.rsplitn(3, ':');
            let (Some(line), Some(rule), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
                out.bad_lines.push(i + 1);
                continue;
            };
            let Ok(line) = line.parse::<u32>() else {
                out.bad_lines.push(i + 1);
                continue;
            };
            let (commit, path) = match rest.split_once(':') {
                Some((c, p)) if c.len() >= 7 && c.bytes().all(|b| b.is_ascii_hexdigit()) => (Some(c.to_string()), p),
                _ => (None, rest),
            };
            out.entries.push(Entry { commit, path: path.to_string(), rule: rule.to_string(), line });
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when a line of the file names this finding.
    pub fn ignores(&self, f: &Finding) -> bool {
        let rule_is = |r: &str| r == f.rule.id || crate::rules::gitleaks_ids(&f.rule.id).any(|g| g == r);
        let commit = match f.origin.root() {
            Origin::Git { occurrence: Some(o), .. } => Some(o.commit.as_str()),
            _ => None,
        };
        let path = f.origin.display_path();
        self.entries.iter().any(|e| {
            e.line == f.span.line
                && rule_is(&e.rule)
                && same_path(&e.path, &path)
                && match (&e.commit, commit) {
                    (Some(want), Some(have)) => have.starts_with(want.as_str()),
                    (None, None) => true,
                    _ => false,
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::GitleaksIgnore;

    #[test]
    fn parses_the_lines_gitleaks_writes() {
        let g = GitleaksIgnore::parse(
            "# reviewed\n\n0123456789abcdef0123456789abcdef01234567:config/app.env:generic-api-key:12\nsrc/a.env:github-pat:3\nnot a fingerprint\nx:y:z\n",
        );
        assert_eq!(g.len(), 2);
        assert_eq!(g.bad_lines, [5, 6]);
        assert_eq!(g.entries[0].commit.as_deref(), Some("0123456789abcdef0123456789abcdef01234567"));
        assert_eq!(
            (g.entries[0].path.as_str(), g.entries[0].rule.as_str(), g.entries[0].line),
            ("config/app.env", "generic-api-key", 12)
        );
        assert_eq!((g.entries[1].commit.as_deref(), g.entries[1].path.as_str()), (None, "src/a.env"));
    }
}
