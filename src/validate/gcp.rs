//! Google Cloud service-account keys: a JWT signed with the key (RS256) exchanged at the token
//! endpoint. The token it returns is dropped unread; only "did the exchange work" is kept.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use super::http::{self, Request};
use super::providers::Provider;
use super::run::{Runner, not_checked};
use super::{Status, Target, Validation};

/// The token endpoint the JWT is addressed to (its `aud`).
const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

/// The DER of a PEM private key as a JSON key file holds it (`\n` escaped or not).
fn der(pem: &str) -> Option<Vec<u8>> {
    let text = pem.replace("\\n", "\n");
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect();
    STANDARD.decode(b64).ok()
}

/// A signed JWT asking for a read-only token for `client_email`.
fn jwt(pem: &str, client_email: &str, now: u64) -> Option<String> {
    let der = der(pem)?;
    let key =
        ring::signature::RsaKeyPair::from_pkcs8(&der).or_else(|_| ring::signature::RsaKeyPair::from_der(&der)).ok()?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({
        "iss": client_email,
        "scope": "https://www.googleapis.com/auth/cloud-platform.read-only",
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 300,
    });
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{body}");
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(&ring::signature::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), input.as_bytes(), &mut sig).ok()?;
    Some(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

pub(super) fn check(r: &Runner, p: &Provider, t: &Target) -> Validation {
    let Some(email) = t.hints.first("gcp_client_email") else {
        return not_checked(p, "not checked: needs the client_email found in the same file".into());
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let pem = String::from_utf8_lossy(t.secret.expose()).into_owned();
    let Some(assertion) = jwt(&pem, email, now) else {
        return not_checked(p, "not checked: the private key does not parse as an RSA key".into());
    };
    let body = p.body.unwrap_or_default().replace("{jwt}", &assertion).into_bytes();
    let headers = p.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let req = Request { method: "POST", url: r.url(p.url), headers, body: Some(body) };
    let mut v = match r.send(p.id, &req, t.secret.expose()) {
        Ok(resp) => {
            let error = resp.json().get("error").and_then(|e| e.as_str()).map(str::to_string);
            let (status, why) = match (resp.status, error.as_deref()) {
                (200, _) => (Status::Active, "token exchange accepted the key".to_string()),
                (400 | 401, Some(e)) => (
                    Status::Inactive,
                    format!("token exchange refused: {e} (key deleted or disabled, or account gone)"),
                ),
                (400 | 401, None) => (Status::Inactive, "token exchange refused".to_string()),
                (429, _) => (Status::Unknown, "rate limited (429) after retries".to_string()),
                _ => (Status::Unknown, "unexpected answer".to_string()),
            };
            let mut v = Validation::new(status, why);
            v.http_status = Some(resp.status);
            v
        }
        Err(e) => Validation::new(Status::Unknown, http::scrub(&e.to_string(), t.secret.expose())),
    };
    v.identity.insert("client_email".into(), serde_json::json!(email));
    v.provider = Some(p.id.to_string());
    v.endpoint = Some(http::host_of(p.url));
    v
}
