//! Running the checks: which check each secret gets, a capped pool of workers, a per-provider
//! pace with 429 back-off, and reading the answers into [`Validation`]s.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::context::Hints;
use super::http::{self, Client, NetError, Request, Response};
use super::providers::{self, Answers, Auth, Field, Live, Provider};
use super::{Status, Validation, aws, gateway, gcp, recognise};
use crate::engine::Engine;
use crate::secret::{Digest, Secret, redact};

/// How to validate.
#[derive(Debug, Clone)]
pub struct Options {
    /// OpenAI-compatible gateway base URLs the user named (`--base-url`, `[validate] base_urls`).
    pub base_urls: Vec<String>,
    /// Hosts whose URLs found beside a key may be used as base URLs (the base URLs' hosts and
    /// `[validate] allow_hosts`).
    pub allow_hosts: Vec<String>,
    /// Try every key against the base URLs, not only gateway-shaped ones (`verify`, `doctor`).
    pub every_key_to_gateways: bool,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Least time between two requests to one provider.
    pub interval: Duration,
    /// Retries after a 429 answer.
    pub retries: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            base_urls: Vec::new(),
            allow_hosts: Vec::new(),
            every_key_to_gateways: false,
            concurrency: 8,
            interval: Duration::from_millis(200),
            retries: 2,
        }
    }
}

/// Longest wait after a 429 (a longer `Retry-After` is cut to this).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Rules whose keys an OpenAI-compatible gateway issues or accepts.
pub const GATEWAY_RULES: &[&str] =
    &["oneapi-gateway-key", "openai-unscoped-key", "openai-api-key", "openai-project-key", "litellm-master-key"];

/// One distinct secret to check.
#[derive(Debug, Clone)]
pub struct Target {
    pub secret: Secret,
    pub digest: Digest,
    /// Rules that reported it.
    pub rules: Vec<String>,
    pub hints: Hints,
}

#[derive(Debug, Clone)]
enum Check {
    Provider(&'static Provider),
    Gateway(String),
}

/// Paces requests per provider: at most one per `interval`, later after a 429.
struct Pace {
    interval: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl Pace {
    fn wait(&self, key: &str) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let at = next.get(key).copied().filter(|t| *t > now).unwrap_or(now);
            next.insert(key.to_string(), at + self.interval);
            at
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }

    fn back_off(&self, key: &str, by: Duration) {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let until = Instant::now() + by;
        let e = next.entry(key.to_string()).or_insert(until);
        if *e < until {
            *e = until;
        }
    }
}

/// What the checks share: the client, the pace, the options.
pub(super) struct Runner<'a> {
    client: Client,
    pace: Pace,
    pub(super) over: Option<String>,
    pub(super) opts: &'a Options,
}

impl Runner<'_> {
    /// Sends with the provider's pace, retrying after 429 as `Retry-After` (or a doubling
    /// wait) says.
    pub(super) fn send(&self, pace_key: &str, req: &Request, secret: &[u8]) -> Result<Response, NetError> {
        let mut attempt = 0;
        loop {
            self.pace.wait(pace_key);
            let r = self.client.send(req, secret)?;
            if r.status == 429 && attempt < self.opts.retries {
                let wait = r
                    .header("retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs)
                    .unwrap_or(Duration::from_secs(1 << attempt))
                    .min(MAX_BACKOFF);
                self.pace.back_off(pace_key, wait);
                attempt += 1;
                continue;
            }
            return Ok(r);
        }
    }

    /// A provider URL as sent (under the test override when set).
    pub(super) fn url(&self, url: &str) -> String {
        http::provider_url(url, self.over.as_deref())
    }
}

/// Checks every target; returns a validation per secret digest.
pub fn validate(targets: &[Target], opts: &Options, engine: Option<&Engine>) -> HashMap<Digest, Validation> {
    let runner = Runner {
        client: Client::new(),
        pace: Pace { interval: opts.interval, next: Mutex::new(HashMap::new()) },
        over: http::endpoint_override(),
        opts,
    };
    let mut out = HashMap::new();
    let mut jobs: Vec<(usize, Check)> = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let checks = plan(t, opts, engine);
        if checks.is_empty() {
            let what = t.rules.first().map(String::as_str).unwrap_or("this kind of key");
            out.insert(t.digest, Validation::new(Status::Unknown, format!("not checked: no live check for {what}")));
        }
        jobs.extend(checks.into_iter().map(|c| (i, c)));
    }
    let results: Mutex<Vec<(usize, Validation)>> = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = opts.concurrency.max(1).min(jobs.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some((i, check)) = jobs.get(n) else { break };
                    let t = &targets[*i];
                    let v = match check {
                        Check::Provider(p) => provider_check(&runner, p, t),
                        Check::Gateway(base) => gateway::check(&runner, base, t),
                    };
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((*i, v));
                }
            });
        }
    });
    let mut per: HashMap<usize, Vec<Validation>> = HashMap::new();
    for (i, v) in results.into_inner().unwrap_or_else(|p| p.into_inner()) {
        per.entry(i).or_default().push(v);
    }
    for (i, vs) in per {
        out.insert(targets[i].digest, combine(vs));
    }
    out
}

/// The checks a target gets: its provider's, and the gateways' for gateway-shaped keys.
fn plan(t: &Target, opts: &Options, engine: Option<&Engine>) -> Vec<Check> {
    let mut rules = t.rules.clone();
    let mut provider = rules.iter().find_map(|r| providers::for_rule(r));
    if provider.is_none()
        && let Some(e) = engine
    {
        // A fingerprint match, or a key a generic rule reported: which rule knows its shape?
        let known = recognise(t.secret.expose(), e);
        provider = known.iter().find_map(|r| providers::for_rule(r));
        rules.extend(known);
    }
    let mut checks: Vec<Check> = provider.into_iter().map(Check::Provider).collect();
    let gateway_shaped = opts.every_key_to_gateways || rules.iter().any(|r| GATEWAY_RULES.contains(&r.as_str()));
    if gateway_shaped {
        let mut bases = opts.base_urls.clone();
        for u in gateway::allowed_found_urls(&t.hints.urls, &opts.allow_hosts) {
            if !bases.contains(&u) {
                bases.push(u);
            }
        }
        checks.extend(bases.into_iter().map(Check::Gateway));
    }
    checks
}

/// One verdict from several checks: active if any says so, else inactive if any, else unknown.
fn combine(mut vs: Vec<Validation>) -> Validation {
    let rank = |s: Status| match s {
        Status::Active => 0,
        Status::Inactive => 1,
        Status::Unknown => 2,
    };
    vs.sort_by_key(|v| rank(v.status));
    let others: Vec<String> =
        vs.iter().skip(1).filter_map(|v| v.endpoint.clone().map(|e| format!("{e}: {}", v.status.as_str()))).collect();
    let mut best = vs.swap_remove(0);
    if !others.is_empty() {
        best.identity.insert("also_checked".into(), serde_json::json!(others));
    }
    best
}

/// `key` for a URL path: characters outside the unreserved set percent-encoded.
fn url_safe(key: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b':');
    percent_encoding::utf8_percent_encode(key, KEEP).to_string()
}

/// Names of the context values, for messages.
fn describe(need: &str) -> &'static str {
    match need {
        "twilio_sid" => "Twilio account SID (AC…)",
        "shopify_shop" => "shop domain (*.myshopify.com)",
        "atlassian_site" => "site (*.atlassian.net)",
        "email" => "account email",
        "gcp_client_email" => "client_email",
        "aws_secret" => "secret access key",
        _ => "value",
    }
}

/// The headers carrying the key for `auth`.
fn auth_headers(auth: Auth, key: &str, hints: &Hints) -> Vec<(String, String)> {
    use base64::Engine as _;
    let basic = |user: &str| {
        let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{key}"));
        vec![("authorization".to_string(), format!("Basic {b}"))]
    };
    match auth {
        Auth::Bearer => vec![("authorization".into(), format!("Bearer {key}"))],
        Auth::Header(name, prefix) => vec![(name.into(), format!("{prefix}{key}"))],
        Auth::BasicUser(user) => basic(user),
        Auth::BasicContext(need) => basic(hints.first(need).unwrap_or_default()),
        Auth::InUrl | Auth::AwsSigV4 | Auth::GcpJwt => Vec::new(),
    }
}

/// A validation from a check that could not be made.
pub(super) fn not_checked(p: &Provider, reason: String) -> Validation {
    let mut v = Validation::new(Status::Unknown, reason);
    v.provider = Some(p.id.to_string());
    v
}

/// The request of a provider entry for `key`, or why it cannot be made.
pub fn request(p: &Provider, key: &str, hints: &Hints, over: Option<&str>) -> Result<Request, String> {
    for n in p.needs {
        if *n != "aws_secret" && hints.first(n).is_none() {
            return Err(format!("not checked: needs the {} found in the same file", describe(n)));
        }
    }
    let mut url = if p.url == "{secret}" {
        let parts = http::parse_url(key).filter(|u| u.https).ok_or("not checked: the secret is not an https URL")?;
        format!("https://{}{}", parts.host, parts.rest)
    } else {
        p.url.replace("{key}", &url_safe(key))
    };
    for n in p.needs {
        if let Some(v) = hints.first(n) {
            url = url.replace(&format!("{{ctx:{n}}}"), &url_safe(v));
        }
    }
    let mut headers: Vec<(String, String)> = p.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    headers.extend(auth_headers(p.auth, key, hints));
    let body = p.body.map(|b| {
        let escaped = serde_json::to_string(key).unwrap_or_default();
        b.replace("{key}", escaped.trim_matches('"')).into_bytes()
    });
    Ok(Request { method: p.method, url: http::provider_url(&url, over), headers, body })
}

fn provider_check(r: &Runner, p: &'static Provider, t: &Target) -> Validation {
    let key = String::from_utf8_lossy(t.secret.expose()).into_owned();
    match p.auth {
        Auth::AwsSigV4 => return aws::check(r, p, t),
        Auth::GcpJwt => return gcp::check(r, p, t),
        _ => {}
    }
    let req = match request(p, &key, &t.hints, r.over.as_deref()) {
        Ok(req) => req,
        Err(why) => return not_checked(p, why),
    };
    let endpoint = endpoint_of(p, &key, &t.hints);
    let mut v = match r.send(p.id, &req, t.secret.expose()) {
        Ok(resp) => judge(&p.answers, p.identity, &resp, t.secret.expose()),
        Err(e) => Validation::new(Status::Unknown, http::scrub(&e.to_string(), t.secret.expose())),
    };
    v.provider = Some(p.id.to_string());
    v.endpoint = Some(endpoint);
    v
}

/// The host a provider's request goes to (never the URL: it may hold the key).
fn endpoint_of(p: &Provider, key: &str, hints: &Hints) -> String {
    let url = if p.url == "{secret}" { key.to_string() } else { p.url.to_string() };
    let mut host = http::host_of(&url);
    for n in p.needs {
        if let Some(v) = hints.first(n) {
            host = host.replace(&format!("{{ctx:{n}}}"), v);
        }
    }
    if host == "the URL" && p.url.contains("{ctx:") {
        host = p.url.trim_start_matches("https://").split('/').next().unwrap_or_default().to_string();
        for n in p.needs {
            if let Some(v) = hints.first(n) {
                host = host.replace(&format!("{{ctx:{n}}}"), v);
            }
        }
    }
    host
}

/// Reads an answer: status by the provider's meanings, identity from 2xx answers.
pub fn judge(a: &Answers, identity: &[(&str, Field)], resp: &Response, secret: &[u8]) -> Validation {
    let (status, reason) = meaning(a, resp);
    let mut v = Validation::new(status, reason);
    v.http_status = Some(resp.status);
    if (200..300).contains(&resp.status) {
        v.identity = read_identity(identity, resp, secret);
    }
    v
}

fn meaning(a: &Answers, resp: &Response) -> (Status, String) {
    let code = resp.status;
    match code {
        200..=299 => match a.live {
            Some(live) if !is_live(live, &resp.json()) => {
                (Status::Inactive, "accepted the request but reports the key invalid, disabled or revoked".into())
            }
            _ => (Status::Active, "key accepted".into()),
        },
        400 => (
            a.bad_request,
            match a.bad_request {
                Status::Active => "request refused after the key was accepted (nothing was run)".into(),
                Status::Inactive => "key refused as invalid".into(),
                Status::Unknown => "bad request".into(),
            },
        ),
        401 => (a.unauthorized, "key invalid, revoked or disabled".into()),
        403 => (a.forbidden, a.forbidden_means.to_string()),
        404 => (
            a.not_found,
            match a.not_found {
                Status::Inactive => "not found: deleted or revoked".into(),
                _ => "endpoint not found".into(),
            },
        ),
        410 => (Status::Inactive, "gone: deleted".into()),
        429 => (Status::Unknown, "rate limited (429) after retries".into()),
        500..=599 => (Status::Unknown, "provider error".into()),
        _ => (Status::Unknown, "unexpected answer".into()),
    }
}

fn is_live(live: Live, json: &serde_json::Value) -> bool {
    match live {
        Live::True(ptr) => json.pointer(ptr).and_then(|v| v.as_bool()) == Some(true),
        Live::Equals(ptr, want) => json.pointer(ptr).and_then(|v| v.as_str()) == Some(want),
        Live::NoneTrue(ptrs) => !ptrs.iter().any(|p| json.pointer(p).and_then(|v| v.as_bool()) == Some(true)),
    }
}

/// Identity fields of an answer; any value holding a piece of the key is withheld.
fn read_identity(
    fields: &[(&str, Field)],
    resp: &Response,
    secret: &[u8],
) -> std::collections::BTreeMap<String, serde_json::Value> {
    use serde_json::Value;
    let json = resp.json();
    let mut out = std::collections::BTreeMap::new();
    for (name, field) in fields {
        let value = match field {
            Field::Json(ptr) => match json.pointer(ptr) {
                None | Some(Value::Null) | Some(Value::Object(_)) => None,
                Some(Value::Array(items)) => {
                    let texts: Vec<String> = items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
                    (!texts.is_empty()).then(|| Value::String(texts.join(", ")))
                }
                Some(Value::String(s)) if s.is_empty() => None,
                Some(v) => Some(v.clone()),
            },
            Field::Header(h) => {
                resp.header(h).filter(|v| !v.trim().is_empty()).map(|v| Value::String(v.trim().to_string()))
            }
            Field::Count(ptr) => json.pointer(ptr).and_then(|v| v.as_array()).map(|a| Value::from(a.len())),
        };
        if let Some(v) = value {
            out.insert(name.to_string(), withhold_key(v, secret));
        }
    }
    out
}

/// A value with any 12-character piece of the key in it is replaced by the key's redaction.
pub(super) fn withhold_key(v: serde_json::Value, secret: &[u8]) -> serde_json::Value {
    let text = match &v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let holds = secret.len() >= 12 && secret.windows(12).any(|w| text.as_bytes().windows(12).any(|x| x == w));
    if holds { serde_json::Value::String(redact(&String::from_utf8_lossy(secret))) } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response { status, headers: vec![("x-oauth-scopes".into(), "repo, gist".into())], body: body.into() }
    }

    #[test]
    fn answers_read_by_the_entry() {
        let gh = providers::for_rule("github-pat-classic").unwrap();
        let v = judge(&gh.answers, gh.identity, &resp(200, r#"{"login":"octo"}"#), b"ghp_x");
        assert_eq!(v.status, Status::Active);
        assert_eq!(v.identity["login"], "octo");
        assert_eq!(v.identity["scopes"], "repo, gist");
        assert_eq!(judge(&gh.answers, gh.identity, &resp(401, ""), b"k").status, Status::Inactive);
        assert_eq!(judge(&gh.answers, gh.identity, &resp(500, ""), b"k").status, Status::Unknown);
        let slack = providers::for_rule("slack-bot-token").unwrap();
        let v = judge(&slack.answers, slack.identity, &resp(200, r#"{"ok":false,"error":"token_revoked"}"#), b"k");
        assert_eq!(v.status, Status::Inactive);
    }

    #[test]
    fn identity_never_holds_the_key() {
        let key = b"sk-or-v1-0123456789abcdef0123456789abcdef";
        let v = withhold_key(serde_json::json!("label sk-or-v1-0123456789abcdef"), key);
        assert_eq!(v, serde_json::json!(redact(&String::from_utf8_lossy(key))));
    }

    #[test]
    fn requests_fill_the_template() {
        let tg = providers::for_rule("telegram-bot-token").unwrap();
        let r = request(tg, "123456789:AAFakeFakeFake", &Hints::default(), Some("http://127.0.0.1:1")).unwrap();
        assert_eq!(r.url, "http://127.0.0.1:1/api.telegram.org/bot123456789:AAFakeFakeFake/getMe");
        let tw = providers::for_rule("twilio-auth-token").unwrap();
        assert!(request(tw, "0123", &Hints::default(), None).unwrap_err().contains("Twilio account SID"));
    }
}
