//! Remote repository URLs: telling one from a path, showing it without credentials, and
//! linking a finding to its commit and file on the hosts whose web URLs are known.

use std::path::Path;

use crate::finding::Finding;
use crate::origin::Origin;

/// URL schemes `git clone` takes that keytrail accepts as a remote repository.
const SCHEMES: &[&str] = &["https", "http", "ssh", "git", "file", "git+ssh", "ssh+git"];

/// True when `arg` names a remote repository rather than a local path: a URL with a git
/// transport scheme, or the scp-like `user@host:path` form (only when no such path exists).
pub fn is_remote(arg: &str) -> bool {
    if let Some((scheme, rest)) = arg.split_once("://") {
        return SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) && !rest.is_empty();
    }
    if Path::new(arg).exists() {
        return false;
    }
    scp_like(arg).is_some()
}

/// `user@host:path` → (host, path); git reads an argument as this when a colon comes before
/// any slash.
fn scp_like(arg: &str) -> Option<(&str, &str)> {
    let colon = arg.find(':')?;
    if arg[..colon].contains('/') || colon + 1 >= arg.len() {
        return None;
    }
    let login = &arg[..colon];
    let host = login.rsplit_once('@').map_or(login, |(_, h)| h);
    let dotted_or_user = login.contains('@') || host.contains('.');
    (dotted_or_user && !host.is_empty()).then(|| (host, &arg[colon + 1..]))
}

/// The URL as it may be shown and stored: `https://user:token@host/x` → `https://host/x`.
pub fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find('/').unwrap_or(rest.len());
            match rest[..end].rfind('@') {
                Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    }
}

/// Removes `user:password@` from every URL inside `text` (git's error messages can repeat
/// the URL they were given).
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let end = rest.find(|c: char| c == '/' || c.is_whitespace() || c == '\'' || c == '"').unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// The web front ends keytrail can link into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    GitHub,
    GitLab,
    /// Gitea and Forgejo (Codeberg) share one URL scheme.
    Gitea,
    Bitbucket,
}

/// Where a repository is browsed on the web, and how its commits and files are linked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebLinks {
    pub host: Host,
    /// `https://github.com/owner/repo` (no `.git`, no trailing slash).
    pub base: String,
}

impl WebLinks {
    /// The web links of a remote URL, when its host is one keytrail knows by name:
    /// github.com, gitlab.com, bitbucket.org, codeberg.org, gitea.com, and self-hosted
    /// instances whose host name says which (`gitlab.example.com`, `gitea.corp`,
    /// `forgejo.org`, `github.example.com`).
    pub fn for_remote(url: &str) -> Option<WebLinks> {
        let (web_scheme, host, path) = match url.split_once("://") {
            Some((scheme, rest)) => {
                let scheme = scheme.to_ascii_lowercase();
                if scheme == "file" {
                    return None;
                }
                let rest = &rest[rest[..rest.find('/').unwrap_or(rest.len())].rfind('@').map_or(0, |a| a + 1)..];
                let (authority, path) = rest.split_once('/')?;
                let host = if scheme.starts_with("http") {
                    authority
                } else {
                    // An ssh or git port is not the web server's.
                    authority.split(':').next().unwrap_or(authority)
                };
                (if scheme == "http" { "http" } else { "https" }, host.to_string(), path.to_string())
            }
            None => {
                let (host, path) = scp_like(url)?;
                ("https", host.to_string(), path.to_string())
            }
        };
        let name = host.split(':').next().unwrap_or(&host).to_ascii_lowercase();
        let kind = match name.as_str() {
            "github.com" => Host::GitHub,
            "gitlab.com" => Host::GitLab,
            "bitbucket.org" => Host::Bitbucket,
            "codeberg.org" | "gitea.com" => Host::Gitea,
            n if n.split(['.', '-']).any(|p| p == "gitlab") => Host::GitLab,
            n if n.split(['.', '-']).any(|p| p == "gitea" || p == "forgejo") => Host::Gitea,
            n if n.split(['.', '-']).any(|p| p == "github") => Host::GitHub,
            _ => return None,
        };
        let path = path.trim_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        // GitHub and Bitbucket serve ssh paths with a leading `~user`-free owner/repo only.
        if path.is_empty() || path.split('/').count() < 2 {
            return None;
        }
        Some(WebLinks { host: kind, base: format!("{web_scheme}://{host}/{path}") })
    }

    /// The commit's page.
    pub fn commit(&self, sha: &str) -> String {
        match self.host {
            Host::GitHub | Host::Gitea => format!("{}/commit/{sha}", self.base),
            Host::GitLab => format!("{}/-/commit/{sha}", self.base),
            Host::Bitbucket => format!("{}/commits/{sha}", self.base),
        }
    }

    /// The file as of `commit`, at `line`.
    pub fn file(&self, commit: &str, path: &str, line: u32) -> String {
        let path = encode_path(path);
        match self.host {
            Host::GitHub => format!("{}/blob/{commit}/{path}#L{line}", self.base),
            Host::GitLab => format!("{}/-/blob/{commit}/{path}#L{line}", self.base),
            Host::Gitea => format!("{}/src/commit/{commit}/{path}#L{line}", self.base),
            Host::Bitbucket => format!("{}/src/{commit}/{path}#lines-{line}", self.base),
        }
    }

    /// Links of a git finding with provenance: the file at the commit that first put the
    /// secret at its path (at the secret's line in that commit's blob), and that commit.
    /// None for other findings and for blobs no commit reaches.
    pub fn of_finding(&self, f: &Finding) -> Option<(String, String)> {
        let Origin::Git { occurrence: Some(o), .. } = f.origin.root() else {
            return None;
        };
        let line = o.introductions.iter().find(|i| i.commit == o.commit).map_or(f.span.line, |i| i.line);
        Some((self.file(&o.commit, &o.path, line), self.commit(&o.commit)))
    }
}

/// Percent-encodes each segment of a repository path (RFC 3986 unreserved and sub-delims stay).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_are_told_from_paths() {
        for url in [
            "https://github.com/o/r.git",
            "ssh://git@gitlab.com/g/r.git",
            "git://127.0.0.1:9418/r.git",
            "file:///srv/git/r.git",
            "git@github.com:o/r.git",
            "git.example.com:team/r.git",
        ] {
            assert!(is_remote(url), "{url}");
        }
        for path in ["src", "./a:b", "/tmp", "relative/dir:x", "C", "ftp://x/y", "nocolon"] {
            assert!(!is_remote(path), "{path}");
        }
    }

    #[test]
    fn credentials_never_shown() {
        assert_eq!(without_credentials("https://x-access-token:ghs_abc@github.com/o/r"), "https://github.com/o/r");
        assert_eq!(without_credentials("https://github.com/o/r@v1"), "https://github.com/o/r@v1");
        assert_eq!(without_credentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(
            redact_urls("fatal: unable to access 'https://u:p4ss@h.io/r.git/': 403"),
            "fatal: unable to access 'https://h.io/r.git/': 403"
        );
        assert_eq!(redact_urls("no url here"), "no url here");
    }

    #[test]
    fn links_follow_each_host() {
        let gh = WebLinks::for_remote("git@github.com:octo/app.git").unwrap();
        assert_eq!(gh.base, "https://github.com/octo/app");
        assert_eq!(gh.file("abc", "config/a b.env", 3), "https://github.com/octo/app/blob/abc/config/a%20b.env#L3");
        assert_eq!(gh.commit("abc"), "https://github.com/octo/app/commit/abc");
        let gl = WebLinks::for_remote("https://token@gitlab.example.com/grp/sub/app.git").unwrap();
        assert_eq!(gl.file("abc", "x.py", 9), "https://gitlab.example.com/grp/sub/app/-/blob/abc/x.py#L9");
        assert_eq!(gl.commit("abc"), "https://gitlab.example.com/grp/sub/app/-/commit/abc");
        let cb = WebLinks::for_remote("ssh://git@codeberg.org:2222/me/app").unwrap();
        assert_eq!(cb.file("abc", "x", 1), "https://codeberg.org/me/app/src/commit/abc/x#L1");
        let bb = WebLinks::for_remote("https://bitbucket.org/ws/app.git").unwrap();
        assert_eq!(bb.file("abc", "x", 2), "https://bitbucket.org/ws/app/src/abc/x#lines-2");
        assert_eq!(bb.commit("abc"), "https://bitbucket.org/ws/app/commits/abc");
        let local = WebLinks::for_remote("http://gitea.local:3000/me/app.git").unwrap();
        assert_eq!(local.base, "http://gitea.local:3000/me/app");
        assert_eq!(WebLinks::for_remote("git://127.0.0.1:9418/app.git"), None);
        assert_eq!(WebLinks::for_remote("file:///srv/github/app.git"), None);
        assert_eq!(WebLinks::for_remote("https://github.com/"), None);
    }
}
