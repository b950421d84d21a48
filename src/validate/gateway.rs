//! OpenAI-compatible gateways (the one-api/new-api family): the key alone does not say where it
//! works, so it is tried against the base URLs the user names (and allow-listed ones found beside
//! it): `GET {base}/models` decides; the usual billing endpoints give the remaining quota.

use super::http::{self, Request, Response};
use super::run::Runner;
use super::{Status, Validation};

/// Endpoint suffixes people paste with a base URL; they are cut off.
const SUFFIXES: &[&str] = &["/chat/completions", "/completions", "/models", "/embeddings", "/responses"];

/// A base URL as used: https (or http to loopback), no query, no trailing `/` or endpoint.
pub fn normalize(base: &str) -> Result<String, String> {
    let parts = http::check_url(base.trim()).map_err(|e| e.to_string())?;
    let mut rest = parts.rest.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/').to_string();
    for s in SUFFIXES {
        if let Some(cut) = rest.strip_suffix(s) {
            rest = cut.trim_end_matches('/').to_string();
        }
    }
    let scheme = if parts.https { "https" } else { "http" };
    let host = if parts.host.contains(':') { format!("[{}]", parts.host) } else { parts.host.clone() };
    let port = parts.port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{host}{port}{rest}"))
}

/// The URLs found beside a key that may be used: those whose host is allow-listed.
pub fn allowed_found_urls(found: &[String], allow_hosts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for u in found {
        let Some(p) = http::parse_url(u) else { continue };
        if !allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(&p.host)) {
            continue;
        }
        if let Ok(n) = normalize(u)
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// The host of a base URL, for the allowlist.
pub fn host(base: &str) -> Option<String> {
    http::parse_url(base).map(|p| p.host)
}

fn get(url: String, key: &str) -> Request {
    Request { method: "GET", url, headers: vec![("authorization".into(), format!("Bearer {key}"))], body: None }
}

/// What a gateway's answer to `GET {base}/models` means.
pub fn explain(code: u16) -> (Status, &'static str) {
    match code {
        200..=299 => (Status::Active, "key accepted"),
        401 => (Status::Inactive, "key invalid, disabled or expired"),
        403 => (Status::Inactive, "key refused: disabled, out of quota, or not allowed for its group or model"),
        404 => (Status::Unknown, "no /models here: wrong base URL, or a missing /v1"),
        429 => (Status::Unknown, "rate limited (429) after retries"),
        500..=599 => (Status::Unknown, "gateway error"),
        _ => (Status::Unknown, "unexpected answer"),
    }
}

pub(super) fn check(r: &Runner, base: &str, t: &super::Target) -> Validation {
    let key = String::from_utf8_lossy(t.secret.expose()).into_owned();
    let secret = t.secret.expose();
    let pace = format!("gateway {}", host(base).unwrap_or_default());
    let mut v = match r.send(&pace, &get(format!("{base}/models"), &key), secret) {
        Ok(resp) => {
            let (status, why) = explain(resp.status);
            let mut v = Validation::new(status, why);
            v.http_status = Some(resp.status);
            if status == Status::Active {
                if let Some(n) = resp.json().pointer("/data").and_then(|d| d.as_array()).map(Vec::len) {
                    v.identity.insert("models".into(), serde_json::json!(n));
                }
                quota(r, &pace, base, &key, secret, &mut v);
            }
            v
        }
        Err(e) => Validation::new(Status::Unknown, http::scrub(&e.to_string(), secret)),
    };
    v.provider = Some("gateway".into());
    v.endpoint = Some(base.to_string());
    v
}

/// Remaining quota from the billing endpoints one-api and new-api keep from OpenAI's old API:
/// `dashboard/billing/subscription` (`hard_limit_usd`) and `dashboard/billing/usage`
/// (`total_usage`, in cents). Left out when either does not answer.
fn quota(r: &Runner, pace: &str, base: &str, key: &str, secret: &[u8], v: &mut Validation) {
    let ok = |resp: Result<Response, http::NetError>| resp.ok().filter(|x| x.status == 200).map(|x| x.json());
    let Some(sub) = ok(r.send(pace, &get(format!("{base}/dashboard/billing/subscription"), key), secret)) else {
        return;
    };
    let Some(limit) = sub.get("hard_limit_usd").and_then(|x| x.as_f64()) else { return };
    v.identity.insert("quota_usd".into(), serde_json::json!(limit));
    let today = time::OffsetDateTime::now_utc().date();
    let from = today - time::Duration::days(99);
    let to = today + time::Duration::days(1);
    let url = format!("{base}/dashboard/billing/usage?start_date={from}&end_date={to}");
    if let Some(usage) = ok(r.send(pace, &get(url, key), secret))
        && let Some(cents) = usage.get("total_usage").and_then(|x| x.as_f64())
    {
        let used = cents / 100.0;
        v.identity.insert("used_usd".into(), serde_json::json!((used * 100.0).round() / 100.0));
        v.identity.insert("remaining_usd".into(), serde_json::json!(((limit - used) * 100.0).round() / 100.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalize() {
        assert_eq!(normalize("https://gw.example.com/v1/").unwrap(), "https://gw.example.com/v1");
        assert_eq!(normalize("https://gw.example.com/v1/chat/completions").unwrap(), "https://gw.example.com/v1");
        assert_eq!(normalize("http://localhost:3000/v1/models?x=1").unwrap(), "http://localhost:3000/v1");
        assert!(normalize("http://gw.example.com/v1").is_err());
        assert!(normalize("gw.example.com").is_err());
    }

    #[test]
    fn found_urls_need_an_allowed_host() {
        let found =
            vec!["https://gw.example.com/v1/chat/completions".to_string(), "https://evil.example.net/v1".to_string()];
        assert_eq!(allowed_found_urls(&found, &["gw.example.com".into()]), vec!["https://gw.example.com/v1"]);
    }
}
