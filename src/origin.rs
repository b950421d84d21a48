//! Where scanned bytes came from: the `Origin` every Blob and Finding carries.

use std::sync::Arc;

/// The provenance of a blob of bytes. A finding's location is its Origin plus a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk; `path` is relative to the scan root (as displayed to the user).
    File { path: String },
    /// Standard input.
    Stdin,
    /// A member of an archive; `path` is the archive's display path.
    ArchiveMember { archive: Arc<Origin>, member: String },
}

impl Origin {
    /// The `source` field of the JSON contract.
    pub fn source_kind(&self) -> &'static str {
        match self {
            Origin::File { .. } => "file",
            Origin::Stdin => "stdin",
            Origin::ArchiveMember { archive, .. } => archive.source_kind(),
        }
    }

    /// The path allowlists and rule `path` filters see (none for stdin).
    pub fn allowlist_path(&self) -> Option<String> {
        match self {
            Origin::Stdin => None,
            other => Some(other.display_path()),
        }
    }

    /// The display path: `config/.env`, `a.zip!dir/f.json`, `-` for stdin.
    pub fn display_path(&self) -> String {
        match self {
            Origin::File { path } => path.clone(),
            Origin::Stdin => "-".to_string(),
            Origin::ArchiveMember { archive, member } => format!("{}!{member}", archive.display_path()),
        }
    }
}

/// Bytes to scan plus where they came from.
pub struct Blob<'a> {
    pub bytes: &'a [u8],
    pub origin: Arc<Origin>,
}
