//! AWS keys: STS GetCallerIdentity (needs no permission), signed with SigV4 by the AWS
//! signing crate, with the secret access key found in the same file as the key id.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;

use super::http::{self, Request};
use super::providers::Provider;
use super::run::{Runner, not_checked};
use super::{Status, Target, Validation};

/// The SigV4 headers for a request (`authorization`, `x-amz-date`).
fn signed_headers(url: &str, body: &[u8], key_id: &str, secret: &str) -> Option<Vec<(String, String)>> {
    let identity = Credentials::new(key_id, secret, None, None, "keytrail").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sts")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .ok()?
        .into();
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    let req = SignableRequest::new("POST", url, headers.into_iter(), SignableBody::Bytes(body)).ok()?;
    let (instructions, _) = sign(req, &params).ok()?.into_parts();
    Some(instructions.headers().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

/// The text of `<tag>…</tag>` in an XML answer.
fn xml(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].trim().to_string())
}

pub(super) fn check(r: &Runner, p: &Provider, t: &Target) -> Validation {
    let key_id = String::from_utf8_lossy(t.secret.expose()).into_owned();
    if key_id.starts_with("ASIA") {
        return not_checked(p, "not checked: a temporary key (ASIA…) needs its session token".into());
    }
    if t.hints.aws_secrets.is_empty() {
        return not_checked(p, "not checked: needs the secret access key found in the same file".into());
    }
    let url = r.url(p.url);
    let body = p.body.unwrap_or_default().as_bytes();
    let mut last = not_checked(p, "not checked".into());
    for secret in &t.hints.aws_secrets {
        let secret_text = String::from_utf8_lossy(secret.expose()).into_owned();
        let Some(signed) = signed_headers(&url, body, &key_id, &secret_text) else {
            return not_checked(p, "not checked: the request could not be signed".into());
        };
        let mut headers: Vec<(String, String)> =
            p.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        headers.extend(signed);
        let req = Request { method: "POST", url: url.clone(), headers, body: Some(body.to_vec()) };
        let mut v = match r.send(p.id, &req, secret.expose()) {
            Ok(resp) => {
                let code = xml(&resp.body, "Code");
                let (status, why) = match (resp.status, code.as_deref()) {
                    (200, _) => (Status::Active, "key accepted (GetCallerIdentity)"),
                    (403, Some("SignatureDoesNotMatch")) => {
                        (Status::Inactive, "the secret access key does not match this key id")
                    }
                    (403, Some("InvalidClientTokenId")) | (401, _) => {
                        (Status::Inactive, "key id unknown or deactivated")
                    }
                    (403, Some("ExpiredToken")) => (Status::Inactive, "expired"),
                    (403, _) => (Status::Inactive, "refused"),
                    (429, _) => (Status::Unknown, "rate limited (429) after retries"),
                    _ => (Status::Unknown, "unexpected answer"),
                };
                let mut v = Validation::new(status, why);
                v.http_status = Some(resp.status);
                if status == Status::Active {
                    for (name, tag) in [("arn", "Arn"), ("account", "Account"), ("user_id", "UserId")] {
                        if let Some(x) = xml(&resp.body, tag) {
                            v.identity
                                .insert(name.into(), super::run::withhold_key(serde_json::json!(x), secret.expose()));
                        }
                    }
                }
                v
            }
            Err(e) => Validation::new(Status::Unknown, http::scrub(&e.to_string(), secret.expose())),
        };
        v.provider = Some(p.id.to_string());
        v.endpoint = Some(http::host_of(p.url));
        let mismatch = v.reason.starts_with("the secret access key does not match");
        last = v;
        if !mismatch {
            break;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_with_sigv4() {
        let h = signed_headers(
            "https://sts.amazonaws.com/",
            b"Action=GetCallerIdentity&Version=2011-06-15",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap();
        let auth = h.iter().find(|(k, _)| k == "authorization").map(|(_, v)| v.as_str()).unwrap();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"), "{auth}");
        assert!(auth.contains("/us-east-1/sts/aws4_request"));
        assert!(!auth.contains("wJalrXUtnFEMI"));
        assert!(h.iter().any(|(k, _)| k == "x-amz-date"));
    }

    #[test]
    fn reads_xml() {
        assert_eq!(xml("<a><Arn>arn:aws:iam::1:user/x</Arn></a>", "Arn").as_deref(), Some("arn:aws:iam::1:user/x"));
    }
}
