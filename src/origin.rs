//! Where scanned bytes came from: the `Origin` every Blob and Finding carries.

use std::sync::Arc;

/// The provenance of a blob of bytes. A finding's location is its Origin plus a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk; `path` is relative to the scan root (as displayed to the user).
    File { path: String },
    /// Standard input.
    Stdin,
    /// A member of an archive; `archive` is where the archive itself came from.
    ArchiveMember { archive: Arc<Origin>, member: String },
    /// A git blob. `occurrence` is None until provenance is resolved, and stays None for a
    /// blob that no commit reaches (an unreachable object). Before provenance, `path` is the
    /// path the history walk first saw the blob at (what rule `path` filters and path
    /// allowlists see while it is scanned); None for unreachable blobs.
    Git { oid: String, occurrence: Option<Box<GitOccurrence>>, path: Option<String> },
    /// A file staged in the index (`--staged`), at its working-tree path.
    Staged { path: String },
    /// One chat message or email, found inside an export file.
    Chat(Box<ChatMessage>),
}

/// One secret at one path of a git history: the commit that first put it there (who,
/// when), every commit that introduced a blob holding it there, how many commits carried
/// it, the last one that did, and the refs that reach it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GitOccurrence {
    /// The first commit that put the secret at this path.
    pub commit: String,
    pub path: String,
    pub author: String,
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
    pub summary: String,
    /// Refs from which a commit holding it is reachable (`refs/heads/main`, `stash@{1}`...),
    /// at most [`GitOccurrence::MAX_REFS`]; empty when only a reflog reaches it.
    pub refs: Vec<String>,
    /// How many refs reach it (`refs` may be cut short).
    pub refs_total: usize,
    /// The secret is still at this path in HEAD.
    pub at_head: bool,
    /// The latest commit (by committer date) that still held it here; None when at HEAD.
    pub last_commit: Option<String>,
    /// How many commits hold the secret at this path.
    pub commits_total: u64,
    /// Every commit that introduced a blob holding the secret at this path, oldest first.
    pub introductions: Vec<GitIntroduction>,
}

impl GitOccurrence {
    /// Refs named per occurrence in reports; `refs_total` counts them all.
    pub const MAX_REFS: usize = 100;

    /// `refs/heads/main, refs/tags/v1 (+203 more refs)`, at most `max` named; `reflog only`
    /// when no ref reaches it.
    pub fn refs_line(&self, max: usize) -> String {
        if self.refs_total == 0 {
            return "reflog only".to_string();
        }
        let shown: Vec<&str> = self.refs.iter().take(max).map(String::as_str).collect();
        let more = self.refs_total - shown.len();
        let mut line = shown.join(", ");
        if more > 0 {
            line.push_str(&format!(" (+{more} more ref{})", if more == 1 { "" } else { "s" }));
        }
        line
    }

    /// `still at HEAD` or `last held by 1a2b3c4d5e`, then how many commits carried it and
    /// introduced it: `still at HEAD; in 312 commits, introduced by 5`.
    pub fn story_line(&self) -> String {
        let end = match &self.last_commit {
            _ if self.at_head => "still at HEAD".to_string(),
            Some(c) => format!("last held by {}", &c[..c.len().min(10)]),
            None => "gone".to_string(),
        };
        let n = self.commits_total;
        format!(
            "{end}; in {n} commit{}, introduced by {}",
            if n == 1 { "" } else { "s" },
            self.introductions.len().max(1)
        )
    }
}

/// A commit that put a (new) blob holding the secret at the occurrence's path. Serialized
/// as-is in JSON reports (`location.introductions[]`): field names are a public contract.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub struct GitIntroduction {
    pub commit: String,
    pub author: String,
    pub email: String,
    pub date: String,
    pub blob: String,
    /// The secret's line in that blob.
    pub line: u32,
}

/// The chat platforms keytrail reads (also the `--chat FORMAT` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Platform {
    Slack,
    Discord,
    Telegram,
    Whatsapp,
    Wechat,
    Lark,
    Email,
    Teams,
    GoogleChat,
    Mattermost,
    Matrix,
    Rocketchat,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Slack => "slack",
            Platform::Discord => "discord",
            Platform::Telegram => "telegram",
            Platform::Whatsapp => "whatsapp",
            Platform::Wechat => "wechat",
            Platform::Lark => "lark",
            Platform::Email => "email",
            Platform::Teams => "teams",
            Platform::GoogleChat => "google-chat",
            Platform::Mattermost => "mattermost",
            Platform::Matrix => "matrix",
            Platform::Rocketchat => "rocketchat",
        }
    }
}

/// A chat message (or email) and the export file it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatMessage {
    /// The export file (or archive member) holding the message.
    pub export: Arc<Origin>,
    pub platform: Platform,
    /// Channel, chat or group name; for email, the subject.
    pub channel: Option<String>,
    /// Display name as people know it.
    pub sender: Option<String>,
    /// RFC 3339.
    pub timestamp: Option<String>,
    pub message_id: Option<String>,
}

impl Origin {
    /// The origin of the outermost archive holding this one (itself when not in an archive).
    pub fn root(&self) -> &Origin {
        match self {
            Origin::ArchiveMember { archive, .. } => archive.root(),
            other => other,
        }
    }

    /// The `source` field of the JSON contract.
    pub fn source_kind(&self) -> &'static str {
        match self {
            Origin::File { .. } => "file",
            Origin::Stdin => "stdin",
            Origin::ArchiveMember { archive, .. } => archive.source_kind(),
            Origin::Git { .. } => "git",
            Origin::Staged { .. } => "staged",
            Origin::Chat(_) => "chat",
        }
    }

    /// The path allowlists and rule `path` filters see (none for stdin).
    pub fn allowlist_path(&self) -> Option<String> {
        match self {
            Origin::Stdin => None,
            Origin::Git { occurrence: None, path, .. } => path.clone(),
            other => Some(other.display_path()),
        }
    }

    /// The display path: `config/.env`, `a.zip!dir/f.json`, `-` for stdin.
    pub fn display_path(&self) -> String {
        match self {
            Origin::File { path } | Origin::Staged { path } => path.clone(),
            Origin::Stdin => "-".to_string(),
            Origin::ArchiveMember { archive, member } => format!("{}!{member}", archive.display_path()),
            Origin::Git { occurrence: Some(o), .. } => o.path.clone(),
            Origin::Git { oid, occurrence: None, .. } => format!("(unreachable blob {oid})"),
            Origin::Chat(m) => m.export.display_path(),
        }
    }
}

/// Bytes to scan plus where they came from.
pub struct Blob<'a> {
    pub bytes: &'a [u8],
    pub origin: Arc<Origin>,
}
