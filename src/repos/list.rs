//! The repository list of `--repos FILE`: paths and URLs, one a line, `#` comments.

use std::path::{Path, PathBuf};

use crate::remote::{is_remote, without_credentials};

/// One repository to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A directory or repository on this machine.
    Path(PathBuf),
    /// A URL `git clone` takes (https, ssh, scp-like, git://, file://).
    Remote(String),
}

/// A line of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line in the list file.
    pub line: usize,
    pub target: Target,
}

impl Entry {
    /// How the repository is named in findings (`location.repository`) and messages: the
    /// URL without credentials, or the path as written.
    pub fn name(&self) -> String {
        match &self.target {
            Target::Path(p) => p.display().to_string(),
            Target::Remote(u) => without_credentials(u),
        }
    }
}

impl Target {
    /// A command-line argument or list line read as a repository.
    pub fn parse(text: &str) -> Target {
        if is_remote(text) { Target::Remote(text.to_string()) } else { Target::Path(PathBuf::from(text)) }
    }
}

/// Errors reading a list.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("{path}: cannot read the repository list: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the repository list names no repository (one path or URL a line, # for comments)")]
    Empty { path: String },
    #[error("{path}: --repos-index {index} is past the last of its {count} repositories (the index counts from 0)")]
    Index { path: String, index: usize, count: usize },
}

/// The entries of a list's text: blank lines and `#` comments (a line starting with `#`,
/// or ` #` after an entry) are skipped, surrounding whitespace trimmed.
pub fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            let raw = raw.trim_start_matches('\u{feff}');
            let cut = raw.as_bytes().windows(2).position(|w| (w[0] == b' ' || w[0] == b'\t') && w[1] == b'#');
            let body = cut.map_or(raw, |at| &raw[..at]);
            let body = body.trim();
            (!body.is_empty() && !body.starts_with('#')).then(|| Entry { line: i + 1, target: Target::parse(body) })
        })
        .collect()
}

/// Reads the list at `path`; `index` keeps only that entry (0-based, counting entries, not
/// lines: a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`).
pub fn load(path: &Path, index: Option<usize>) -> Result<Vec<Entry>, ListError> {
    let shown = path.display().to_string();
    let text = std::fs::read(path).map_err(|source| ListError::Io { path: shown.clone(), source })?;
    let mut entries = parse(&String::from_utf8_lossy(&text));
    if entries.is_empty() {
        return Err(ListError::Empty { path: shown });
    }
    if let Some(i) = index {
        let count = entries.len();
        if i >= count {
            return Err(ListError::Index { path: shown, index: i, count });
        }
        entries = vec![entries.swap_remove(i)];
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_kinds() {
        let text = "# org repos\n\nhttps://github.com/o/a.git  # main app\n  ./local/repo\n#off: git@x.io:o/b\ngit@github.com:o/c.git\n";
        let got = parse(text);
        assert_eq!(
            got,
            vec![
                Entry { line: 3, target: Target::Remote("https://github.com/o/a.git".into()) },
                Entry { line: 4, target: Target::Path("./local/repo".into()) },
                Entry { line: 6, target: Target::Remote("git@github.com:o/c.git".into()) },
            ]
        );
        assert_eq!(Entry { line: 1, target: Target::Remote("https://u:t0k3n@h.io/r".into()) }.name(), "https://h.io/r");
    }
}
