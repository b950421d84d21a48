//! The only network client of keytrail: HTTPS to documented hosts (or a loopback URL the user
//! names), timeouts, no redirects, `HTTPS_PROXY` honoured, errors that never hold the key.

use std::net::IpAddr;
use std::time::Duration;

use crate::secret::redact;

/// Hidden: sends every provider request to this loopback base instead (`https://HOST/PATH`
/// becomes `BASE/HOST/PATH`). For tests; never a user flag, and only a loopback URL is taken.
pub const ENDPOINT_OVERRIDE_ENV: &str = "KEYTRAIL_VALIDATE_ENDPOINT_OVERRIDE";

/// Largest answer body read (identity fields sit at the top of small JSON answers).
const MAX_BODY: u64 = 1 << 20;

/// One request: method, absolute URL, headers, optional body.
#[derive(Clone)]
pub struct Request {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// Names the method and host only: the URL, headers and body may hold the key.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Request({} {})", self.method, host_of(&self.url))
    }
}

/// The parts of an answer validation reads.
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub status: u16,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Why a request got no answer. The messages name the host, never the URL (a Telegram token
/// sits in its path) or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    #[error("{0}: refused: only https:// URLs (or http:// to a loopback address) are contacted")]
    NotHttps(String),
    #[error("{0}: not a valid URL")]
    BadUrl(String),
    #[error("{0}: timed out")]
    Timeout(String),
    #[error("{0}: host not found (DNS)")]
    HostNotFound(String),
    #[error("{0}: connection failed (refused or unreachable)")]
    Connection(String),
    #[error("{0}: TLS failed ({1})")]
    Tls(String, String),
    #[error("{0}: proxy failed")]
    Proxy(String),
    #[error("{0}: request failed ({1})")]
    Other(String, String),
}

impl NetError {
    /// A short code for reports (`timeout`, `tls`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            NetError::NotHttps(_) => "not-https",
            NetError::BadUrl(_) => "bad-url",
            NetError::Timeout(_) => "timeout",
            NetError::HostNotFound(_) => "dns",
            NetError::Connection(_) => "connection",
            NetError::Tls(..) => "tls",
            NetError::Proxy(_) => "proxy",
            NetError::Other(..) => "network",
        }
    }
}

/// Scheme, host and port of a URL, when it is http(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    pub https: bool,
    pub host: String,
    pub port: Option<u16>,
    /// Everything after the authority (`/v1/models?x=1`), possibly empty.
    pub rest: String,
}

/// Splits an http(s) URL into its parts (no user info accepted).
pub fn parse_url(url: &str) -> Option<UrlParts> {
    let (https, after) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return None;
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let close = v6.find(']')?;
        let port = v6[close + 1..].strip_prefix(':').map(str::parse::<u16>).transpose().ok()?;
        (v6[..close].to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.parse::<u16>().ok()?)),
            None => (authority.to_string(), None),
        }
    };
    if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:_".contains(&b)) {
        return None;
    }
    Some(UrlParts { https, host: host.to_ascii_lowercase(), port, rest: rest.to_string() })
}

/// True for `localhost` and loopback addresses.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The host (and port) of a URL for messages, or `the URL` when it does not parse.
pub fn host_of(url: &str) -> String {
    match parse_url(url) {
        Some(p) => match p.port {
            Some(port) => format!("{}:{port}", p.host),
            None => p.host,
        },
        None => "the URL".to_string(),
    }
}

/// Checks that `url` may be contacted: https, or http to a loopback host.
pub fn check_url(url: &str) -> Result<UrlParts, NetError> {
    let parts = parse_url(url).ok_or_else(|| NetError::BadUrl(host_of(url)))?;
    if !parts.https && !is_loopback(&parts.host) {
        return Err(NetError::NotHttps(host_of(url)));
    }
    Ok(parts)
}

/// The test endpoint override, when set to a loopback http(s) URL.
pub fn endpoint_override() -> Option<String> {
    let base = std::env::var(ENDPOINT_OVERRIDE_ENV).ok()?;
    let parts = parse_url(&base)?;
    is_loopback(&parts.host).then(|| base.trim_end_matches('/').to_string())
}

/// A provider URL as sent: itself, or under the test override (`BASE/HOST/PATH`).
pub fn provider_url(url: &str, over: Option<&str>) -> String {
    match (over, url.strip_prefix("https://")) {
        (Some(base), Some(rest)) => format!("{base}/{rest}"),
        _ => url.to_string(),
    }
}

/// The HTTP client: one agent through the environment's proxy, one direct for loopback.
pub struct Client {
    proxied: ureq::Agent,
    direct: ureq::Agent,
}

/// Timeouts of one request.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

fn agent(proxy: Option<ureq::Proxy>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(proxy)
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(REQUEST_TIMEOUT))
        .user_agent(concat!("keytrail/", env!("CARGO_PKG_VERSION"), " (key validation)"))
        .build()
        .new_agent()
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        Client { proxied: agent(ureq::Proxy::try_from_env()), direct: agent(None) }
    }

    /// Sends `req`; `secret` is scrubbed from any error text as a last guard.
    pub fn send(&self, req: &Request, secret: &[u8]) -> Result<Response, NetError> {
        let parts = check_url(&req.url)?;
        let host = host_of(&req.url);
        let agent = if is_loopback(&parts.host) { &self.direct } else { &self.proxied };
        let mut builder = ureq::http::Request::builder().method(req.method).uri(&req.url);
        for (k, v) in &req.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let result = match &req.body {
            Some(body) => builder.body(body.clone()).map(|r| agent.run(r)),
            None => builder.body(()).map(|r| agent.run(r)),
        };
        let answer = match result {
            Ok(a) => a,
            Err(_) => return Err(NetError::BadUrl(host)),
        };
        let mut answer = answer.map_err(|e| classify(e, &host, secret))?;
        let status = answer.status().as_u16();
        let headers = answer
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = answer.body_mut().with_config().limit(MAX_BODY).read_to_string().unwrap_or_default();
        Ok(Response { status, headers, body })
    }
}

/// Our own words for a client error: ureq's messages may hold the URL.
fn classify(e: ureq::Error, host: &str, secret: &[u8]) -> NetError {
    let h = host.to_string();
    match e {
        ureq::Error::Timeout(_) => NetError::Timeout(h),
        ureq::Error::HostNotFound => NetError::HostNotFound(h),
        ureq::Error::ConnectionFailed => NetError::Connection(h),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => NetError::Timeout(h),
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::NotConnected
            | std::io::ErrorKind::UnexpectedEof => NetError::Connection(h),
            _ => NetError::Other(h, scrub(&io.kind().to_string(), secret)),
        },
        ureq::Error::Tls(m) => NetError::Tls(h, scrub(m, secret)),
        ureq::Error::Rustls(r) => NetError::Tls(h, scrub(&r.to_string(), secret)),
        ureq::Error::InvalidProxyUrl | ureq::Error::ConnectProxyFailed(_) => NetError::Proxy(h),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => NetError::BadUrl(h),
        ureq::Error::RequireHttpsOnly(_) => NetError::NotHttps(h),
        other => {
            // Only the variant's name: its text may echo the URL.
            let name = format!("{other:?}");
            let name = name.split(['(', ' ', '{']).next().unwrap_or("error").to_string();
            NetError::Other(h, name)
        }
    }
}

/// `text` with every occurrence of `secret` (and of its URL-encoded form) redacted.
pub fn scrub(text: &str, secret: &[u8]) -> String {
    let s = String::from_utf8_lossy(secret);
    if s.len() < 4 {
        return text.to_string();
    }
    let encoded: String = percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string();
    text.replace(s.as_ref(), &redact(&s)).replace(&encoded, &redact(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_only_https_or_loopback_pass() {
        let p = parse_url("https://API.example.com:8443/v1?x").unwrap();
        assert_eq!((p.host.as_str(), p.port, p.rest.as_str()), ("api.example.com", Some(8443), "/v1?x"));
        assert!(parse_url("ftp://x").is_none());
        assert!(parse_url("https://user:pw@x.com/").is_none());
        assert!(check_url("http://example.com/v1").is_err());
        assert!(check_url("http://localhost:3000/v1").is_ok());
        assert!(check_url("http://127.0.0.1:3000").is_ok());
        assert!(check_url("http://[::1]:3000/v1").is_ok());
        assert!(check_url("https://gw.example.com/v1").is_ok());
    }

    #[test]
    fn override_maps_host_into_path() {
        assert_eq!(
            provider_url("https://api.openai.com/v1/models", Some("http://127.0.0.1:9")),
            "http://127.0.0.1:9/api.openai.com/v1/models"
        );
        assert_eq!(provider_url("https://api.openai.com/v1/models", None), "https://api.openai.com/v1/models");
    }

    #[test]
    fn scrub_removes_the_secret() {
        let out = scrub("bad https://api.telegram.org/bot123456:ABCDEFGHIJKL/getMe", b"123456:ABCDEFGHIJKL");
        assert!(!out.contains("ABCDEFGHIJKL"));
    }
}
