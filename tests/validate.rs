//! Live checks against a local server: every provider entry's method, path and auth header,
//! what 200/401/403/404/429/500 mean, gateways, `verify`, `doctor`, `--only-active`, JSON and
//! SARIF fields. Nothing here reaches the internet: the hidden endpoint override sends every
//! provider request to 127.0.0.1.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use common::server::{Reply, Seen, Server};
use common::{findings, keytrail};
use serde_json::Value;

const OVERRIDE: &str = "KEYTRAIL_VALIDATE_ENDPOINT_OVERRIDE";

/// How an entry presents the key.
#[derive(Clone, Copy, Debug)]
enum A {
    Bearer,
    Hdr(&'static str, &'static str),
    Basic(&'static str),
    /// Basic with a value found beside the key as the user.
    BasicCtx(&'static str),
    /// In the path.
    Path,
    /// In the JSON body.
    Body,
    /// The secret is the URL.
    Webhook,
    Sigv4,
    Jwt,
}

/// (entry id, a rule it checks, method, path prefix at the override, auth, status on 403, on 404)
type Row = (&'static str, &'static str, &'static str, &'static str, A, &'static str, &'static str);

const U: &str = "unknown";
const I: &str = "inactive";
const ACT: &str = "active";

const EXPECTED: &[Row] = &[
    ("openai", "openai-project-key", "GET", "/api.openai.com/v1/models", A::Bearer, I, U),
    ("openai-admin", "openai-admin-key", "GET", "/api.openai.com/v1/organization/projects", A::Bearer, ACT, U),
    ("anthropic", "anthropic-api-key", "GET", "/api.anthropic.com/v1/models", A::Hdr("x-api-key", ""), I, U),
    (
        "anthropic-admin",
        "anthropic-admin-key",
        "GET",
        "/api.anthropic.com/v1/organizations/me",
        A::Hdr("x-api-key", ""),
        I,
        U,
    ),
    (
        "gemini",
        "google-api-key",
        "GET",
        "/generativelanguage.googleapis.com/v1beta/models",
        A::Hdr("x-goog-api-key", ""),
        U,
        U,
    ),
    ("openrouter", "openrouter-api-key", "GET", "/openrouter.ai/api/v1/key", A::Bearer, I, U),
    ("groq", "groq-api-key", "GET", "/api.groq.com/openai/v1/models", A::Bearer, I, U),
    ("mistral", "mistral-api-key", "GET", "/api.mistral.ai/v1/models", A::Bearer, I, U),
    ("deepseek", "deepseek-api-key", "GET", "/api.deepseek.com/user/balance", A::Bearer, I, U),
    ("xai", "xai-api-key", "GET", "/api.x.ai/v1/api-key", A::Bearer, I, U),
    ("together", "together-api-key", "GET", "/api.together.xyz/v1/models", A::Bearer, I, U),
    ("fireworks", "fireworks-api-key", "GET", "/api.fireworks.ai/inference/v1/models", A::Bearer, I, U),
    ("cohere", "cohere-api-key", "POST", "/api.cohere.com/v1/check-api-key", A::Bearer, I, U),
    ("perplexity", "perplexity-api-key", "POST", "/api.perplexity.ai/chat/completions", A::Bearer, I, U),
    ("huggingface", "huggingface-token", "GET", "/huggingface.co/api/whoami-v2", A::Bearer, I, U),
    ("replicate", "replicate-api-token", "GET", "/api.replicate.com/v1/account", A::Bearer, I, U),
    ("cerebras", "cerebras-api-key", "GET", "/api.cerebras.ai/v1/models", A::Bearer, I, U),
    ("moonshot", "moonshot-api-key", "GET", "/api.moonshot.cn/v1/users/me/balance", A::Bearer, I, U),
    ("siliconflow", "siliconflow-api-key", "GET", "/api.siliconflow.cn/v1/user/info", A::Bearer, I, U),
    (
        "dashscope",
        "alibaba-dashscope-api-key",
        "GET",
        "/dashscope.aliyuncs.com/compatible-mode/v1/models",
        A::Bearer,
        I,
        U,
    ),
    ("elevenlabs", "elevenlabs-api-key", "GET", "/api.elevenlabs.io/v1/user", A::Hdr("xi-api-key", ""), I, U),
    ("deepgram", "deepgram-api-key", "GET", "/api.deepgram.com/v1/projects", A::Hdr("authorization", "Token "), I, U),
    ("stability", "stability-api-key", "GET", "/api.stability.ai/v1/user/account", A::Bearer, I, U),
    ("pinecone", "pinecone-api-key", "GET", "/api.pinecone.io/indexes", A::Hdr("api-key", ""), I, U),
    ("github", "github-pat-classic", "GET", "/api.github.com/user", A::Bearer, ACT, U),
    (
        "github-app",
        "github-app-installation-token",
        "GET",
        "/api.github.com/installation/repositories",
        A::Bearer,
        I,
        U,
    ),
    (
        "gitlab",
        "gitlab-pat",
        "GET",
        "/gitlab.com/api/v4/personal_access_tokens/self",
        A::Hdr("private-token", ""),
        I,
        U,
    ),
    ("gitlab-runner", "gitlab-runner-token", "POST", "/gitlab.com/api/v4/runners/verify", A::Body, I, U),
    ("slack", "slack-bot-token", "POST", "/slack.com/api/auth.test", A::Bearer, I, U),
    ("slack-webhook", "slack-webhook-url", "POST", "/hooks.slack.com/", A::Webhook, I, I),
    ("discord", "discord-bot-token", "GET", "/discord.com/api/v10/users/@me", A::Hdr("authorization", "Bot "), I, U),
    ("discord-webhook", "discord-webhook-url", "GET", "/discord", A::Webhook, I, I),
    ("telegram", "telegram-bot-token", "GET", "/api.telegram.org/bot", A::Path, I, I),
    ("stripe", "stripe-secret-key", "GET", "/api.stripe.com/v1/account", A::Bearer, ACT, U),
    ("sendgrid", "sendgrid-api-key", "GET", "/api.sendgrid.com/v3/scopes", A::Bearer, I, U),
    (
        "twilio",
        "twilio-auth-token",
        "GET",
        "/api.twilio.com/2010-04-01/Accounts/AC5e1f0c2d9b8a7f6e5d4c3b2a1f0e9d8c.json",
        A::BasicCtx("AC5e1f0c2d9b8a7f6e5d4c3b2a1f0e9d8c"),
        I,
        U,
    ),
    ("mailgun", "mailgun-api-key", "GET", "/api.mailgun.net/v3/domains", A::Basic("api"), I, U),
    (
        "postmark",
        "postmark-server-token",
        "GET",
        "/api.postmarkapp.com/server",
        A::Hdr("x-postmark-server-token", ""),
        I,
        U,
    ),
    ("brevo", "brevo-api-key", "GET", "/api.brevo.com/v3/account", A::Hdr("api-key", ""), I, U),
    ("datadog", "datadog-api-key", "GET", "/api.datadoghq.com/api/v1/validate", A::Hdr("dd-api-key", ""), I, U),
    ("npm", "npm-access-token", "GET", "/registry.npmjs.org/-/whoami", A::Bearer, I, U),
    (
        "shopify",
        "shopify-access-token",
        "GET",
        "/acme-test.myshopify.com/admin/api/2024-10/shop.json",
        A::Hdr("x-shopify-access-token", ""),
        ACT,
        U,
    ),
    ("linear", "linear-api-key", "POST", "/api.linear.app/graphql", A::Hdr("authorization", ""), I, U),
    ("notion", "notion-integration-token", "GET", "/api.notion.com/v1/users/me", A::Bearer, I, U),
    (
        "atlassian",
        "atlassian-api-token",
        "GET",
        "/acme-test.atlassian.net/rest/api/3/myself",
        A::BasicCtx("ops@acme-test.example"),
        I,
        U,
    ),
    ("digitalocean", "digitalocean-token", "GET", "/api.digitalocean.com/v2/account", A::Bearer, I, U),
    ("heroku", "heroku-api-key", "GET", "/api.heroku.com/account", A::Bearer, I, U),
    ("cloudflare", "cloudflare-api-token", "GET", "/api.cloudflare.com/client/v4/user/tokens/verify", A::Bearer, I, U),
    ("vercel", "vercel-token", "GET", "/api.vercel.com/v2/user", A::Bearer, I, U),
    ("netlify", "netlify-token", "GET", "/api.netlify.com/api/v1/user", A::Bearer, I, U),
    ("doppler", "doppler-token", "GET", "/api.doppler.com/v3/me", A::Bearer, I, U),
    ("terraform-cloud", "terraform-cloud-token", "GET", "/app.terraform.io/api/v2/account/details", A::Bearer, I, U),
    ("airtable", "airtable-pat", "GET", "/api.airtable.com/v0/meta/whoami", A::Bearer, I, U),
    ("figma", "figma-token", "GET", "/api.figma.com/v1/me", A::Hdr("x-figma-token", ""), I, U),
    ("asana", "asana-pat", "GET", "/app.asana.com/api/1.0/users/me", A::Bearer, I, U),
    (
        "pagerduty",
        "pagerduty-api-key",
        "GET",
        "/api.pagerduty.com/abilities",
        A::Hdr("authorization", "Token token="),
        I,
        U,
    ),
    ("honeycomb", "honeycomb-api-key", "GET", "/api.honeycomb.io/1/auth", A::Hdr("x-honeycomb-team", ""), I, U),
    ("aws", "aws-access-key-id", "POST", "/sts.amazonaws.com/", A::Sigv4, I, U),
    ("gcp", "gcp-service-account-key", "POST", "/oauth2.googleapis.com/token", A::Jwt, U, U),
];

/// The first example of every built-in rule, by id.
fn rule_examples() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for r in v.get("rules").and_then(|r| r.as_array()).into_iter().flatten() {
            let id = r["id"].as_str().unwrap().to_string();
            if let Some(ex) = r.get("examples").and_then(|e| e.as_array()).and_then(|e| e.first()) {
                out.insert(id, ex.as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// A fresh RSA key (PKCS#8 PEM) made by openssl for this run: it belongs to no account.
fn rsa_pem() -> String {
    let out = std::process::Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        .output()
        .expect("openssl makes a test RSA key");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// One file per rule of the table, holding its example (and what its entry needs beside it).
fn write_tree(dir: &Path) {
    let ex = rule_examples();
    for (id, rule, ..) in EXPECTED {
        let mut text = match *rule {
            "gcp-service-account-key" => {
                let pem = rsa_pem().replace('\n', "\\n");
                format!(
                    "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-test\",\n  \"private_key\": \"{pem}\",\n  \"client_email\": \"ci@acme-test.iam.gserviceaccount.com\"\n}}\n"
                )
            }
            _ => format!("{}\n", ex.get(*rule).unwrap_or_else(|| panic!("rule {rule} has an example"))),
        };
        match *id {
            "twilio" => text.push_str("TWILIO_ACCOUNT_SID=AC5e1f0c2d9b8a7f6e5d4c3b2a1f0e9d8c\n"),
            "shopify" => text.push_str("SHOPIFY_SHOP=acme-test.myshopify.com\n"),
            "atlassian" => {
                text.insert_str(0, "JIRA_SITE=https://acme-test.atlassian.net\nJIRA_EMAIL=ops@acme-test.example\n")
            }
            "aws" => text.push_str(&format!("{}\n", ex["aws-secret-access-key"])),
            _ => {}
        }
        std::fs::write(dir.join(format!("{id}.env")), text).unwrap();
    }
}

/// A 200 body every entry's liveness test accepts, with identity fields some entries read.
const LIVE_BODY: &str = r#"{"ok":true,"valid":true,"status":"active","result":{"status":"active","id":"tok-1","username":"bot_test"},"login":"octo-test","data":[{"id":"m-1"},{"id":"m-2"}],"name":"test-name"}"#;

fn scan_validated(dir: &Path, server: &Server, extra: &[&str]) -> Vec<Value> {
    let out = keytrail()
        .env(OVERRIDE, &server.base)
        .args(["scan", "--validate", "--reveal", "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    findings(&out.stdout)
}

fn check_auth(row: &Row, req: &Seen, secret: &str) {
    let (id, _, _, _, auth, ..) = row;
    let header = |n: &str| req.header(n).unwrap_or_else(|| panic!("{id}: no {n} header in {req:?}")).to_string();
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    match *auth {
        A::Bearer => assert_eq!(header("authorization"), format!("Bearer {secret}"), "{id}"),
        A::Hdr(name, prefix) => assert_eq!(header(name), format!("{prefix}{secret}"), "{id}"),
        A::Basic(user) => {
            assert_eq!(header("authorization"), format!("Basic {}", b64(format!("{user}:{secret}"))), "{id}")
        }
        A::BasicCtx(user) => {
            assert_eq!(header("authorization"), format!("Basic {}", b64(format!("{user}:{secret}"))), "{id}")
        }
        A::Path => assert!(req.path.contains(&format!("/bot{secret}/")), "{id}: {}", req.path),
        A::Body => assert!(req.body.contains(&format!("\"{secret}\"")), "{id}: body"),
        A::Webhook => assert_eq!(req.path, format!("/{}", secret.trim_start_matches("https://")), "{id}"),
        A::Sigv4 => {
            let a = header("authorization");
            assert!(a.starts_with(&format!("AWS4-HMAC-SHA256 Credential={secret}/")), "{id}: {a}");
            assert!(a.contains("/us-east-1/sts/aws4_request"), "{id}: {a}");
            assert!(req.header("x-amz-date").is_some(), "{id}");
            assert_eq!(req.body, "Action=GetCallerIdentity&Version=2011-06-15");
        }
        A::Jwt => {
            assert!(
                req.body.starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=")
            );
            let jwt = req.body.split("assertion=").nth(1).unwrap();
            let parts: Vec<&str> = jwt.split('.').collect();
            assert_eq!(parts.len(), 3, "{id}: a signed JWT");
            let dec = |p: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).unwrap();
            let claims: Value = serde_json::from_slice(&dec(parts[1])).unwrap();
            assert_eq!(claims["iss"], "ci@acme-test.iam.gserviceaccount.com");
            assert_eq!(claims["aud"], "https://oauth2.googleapis.com/token");
            assert_eq!(dec(parts[2]).len(), 256, "an RS256 signature of a 2048-bit key");
            assert!(!req.body.contains("PRIVATE KEY"));
        }
    }
}

/// What a 400 means: most entries cannot tell; a refused empty request after the key was
/// accepted is live; Gemini and Google's token endpoint answer 400 to a bad key.
fn on400(id: &str) -> &'static str {
    match id {
        "perplexity" | "slack-webhook" => ACT,
        "gemini" | "gcp" => I,
        _ => U,
    }
}

/// True when `req` carries `secret` as `row`'s entry presents it (entries share hosts).
fn carries(row: &Row, req: &Seen, secret: &str) -> bool {
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    match row.4 {
        A::Basic(user) | A::BasicCtx(user) => {
            req.header("authorization") == Some(&format!("Basic {}", b64(format!("{user}:{secret}"))))
        }
        A::Jwt => true,
        _ => format!("{:?}{}{}", req.headers, req.path, req.body).contains(secret.trim_start_matches("https://")),
    }
}

#[test]
fn every_provider_entry_is_tested_here() {
    let mut have: Vec<&str> = keytrail::validate::PROVIDERS.iter().map(|p| p.id).collect();
    let mut want: Vec<&str> = EXPECTED.iter().map(|r| r.0).collect();
    have.sort_unstable();
    want.sort_unstable();
    assert_eq!(have, want);
    for (id, rule, ..) in EXPECTED {
        let p = keytrail::validate::PROVIDERS.iter().find(|p| p.id == *id).unwrap();
        assert!(p.rules.contains(rule), "{id} checks {rule}");
    }
    assert!(keytrail::validate::providers::provider_count() >= 40);
}

#[test]
fn every_provider_entry_sends_its_request_and_reads_each_answer() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path());
    let server = Server::start(|_| Reply::new(200, LIVE_BODY));
    for status in [200u16, 400, 401, 403, 404, 429, 500] {
        server.answer(move |req| {
            let mut r = Reply::new(status, if status == 200 { LIVE_BODY } else { r#"{"error":"nope"}"# });
            if status == 429 {
                r.headers.push(("retry-after".into(), "0".into()));
            }
            if req.path.starts_with("/api.github.com/user") {
                r.headers.push(("x-oauth-scopes".into(), "repo, gist".into()));
            }
            r
        });
        let found = scan_validated(tmp.path(), &server, &[]);
        let seen = server.take();
        for row in EXPECTED {
            let (id, rule, method, path, _, on403, on404) = row;
            let f = found
                .iter()
                .find(|f| f["rule"] == *rule)
                .unwrap_or_else(|| panic!("{id}: the example of {rule} is found"));
            let secret = f["secret"].as_str().unwrap();
            let reqs: Vec<&Seen> =
                seen.iter().filter(|r| r.path.starts_with(path) && carries(row, r, secret)).collect();
            assert!(
                !reqs.is_empty(),
                "{id}: no request to {path} (status {status}); saw {:?}",
                seen.iter().map(|s| &s.path).collect::<Vec<_>>()
            );
            let want_requests = if status == 429 { 3 } else { 1 };
            assert_eq!(reqs.len(), want_requests, "{id}: requests at status {status}");
            assert_eq!(reqs[0].method, *method, "{id}");
            check_auth(row, reqs[0], secret);
            let v = &f["validation"];
            let want = match status {
                200 => ACT,
                400 => on400(id),
                401 => I,
                403 => on403,
                404 => on404,
                _ => U,
            };
            assert_eq!(v["status"], want, "{id} at {status}: {v}");
            assert_eq!(v["http_status"], status, "{id}");
            assert!(v["checked"].as_str().unwrap().ends_with('Z') || v["checked"].as_str().unwrap().contains('+'));
            assert_eq!(v["provider"], *id);
        }
        if status == 200 {
            let gh = found.iter().find(|f| f["rule"] == "github-pat-classic").unwrap();
            assert_eq!(gh["validation"]["identity"]["login"], "octo-test");
            assert_eq!(gh["validation"]["identity"]["scopes"], "repo, gist");
            let openai = found.iter().find(|f| f["rule"] == "openai-project-key").unwrap();
            assert_eq!(openai["validation"]["identity"]["models"], 2);
        }
    }
}

#[test]
fn a_disabled_key_answering_200_is_inactive_and_answers_only_go_to_documented_hosts() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("slack.env"),
        "SLACK_BOT_TOKEN=xoxb-482915730264-7361029485716-Qw8Er2Ty6Ui0Op4As7Df1Gh5\n",
    )
    .unwrap();
    let server = Server::start(|_| Reply::new(200, r#"{"ok":false,"error":"token_revoked"}"#));
    let found = scan_validated(tmp.path(), &server, &[]);
    assert_eq!(found[0]["validation"]["status"], "inactive");
    assert_eq!(server.take()[0].path, "/slack.com/api/auth.test");
    // Without --validate nothing is sent.
    let out =
        keytrail().env(OVERRIDE, &server.base).args(["scan", "--format", "json"]).arg(tmp.path()).output().unwrap();
    assert!(findings(&out.stdout)[0].get("validation").is_none());
    assert!(server.take().is_empty(), "no request without --validate");
}

#[test]
fn one_request_per_distinct_secret_and_only_active_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let live = "ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7Ee2";
    let dead = "ghp_Qk3Wz8Lx2Nv6Tb0Kc3Yr7Hj1Fd4Sg9Pa5Ee8";
    for (i, k) in [live, dead, live, live].iter().enumerate() {
        std::fs::write(tmp.path().join(format!("f{i}.env")), format!("GITHUB_TOKEN={k}\n")).unwrap();
    }
    let server = Server::start(move |req| {
        if req.header("authorization") == Some(&format!("Bearer {live}")) {
            Reply::new(200, r#"{"login":"octo-test"}"#)
        } else {
            Reply::new(401, r#"{"message":"Bad credentials"}"#)
        }
    });
    let all = scan_validated(tmp.path(), &server, &[]);
    assert_eq!(all.len(), 4);
    assert_eq!(server.take().len(), 2, "one request per distinct secret");
    let active = scan_validated(tmp.path(), &server, &["--only-active"]);
    assert_eq!(active.len(), 3);
    assert!(active.iter().all(|f| f["validation"]["status"] == "active" && f["secret"] == live));
    // The human report shows the result.
    let out = keytrail().env(OVERRIDE, &server.base).args(["scan", "--validate"]).arg(tmp.path()).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("live: active (login octo-test) — api.github.com answered 200"), "{text}");
    assert!(text.contains("live: inactive — api.github.com answered 401: key invalid, revoked or disabled"), "{text}");
}

#[test]
fn sarif_carries_the_validation_and_raises_active_keys_to_error() {
    let tmp = tempfile::tempdir().unwrap();
    // A medium-severity rule: its findings are warnings unless the key is live.
    let ex = rule_examples();
    std::fs::write(tmp.path().join("figma.env"), format!("{}\n", ex["figma-token"])).unwrap();
    let server = Server::start(|_| Reply::new(200, r#"{"handle":"designer","email":"d@acme-test.example"}"#));
    let run = |server: &Server| {
        let out = keytrail()
            .env(OVERRIDE, &server.base)
            .args(["scan", "--validate", "--format", "sarif"])
            .arg(tmp.path())
            .output()
            .unwrap();
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        common::assert_valid_sarif(&sarif);
        sarif["runs"][0]["results"][0].clone()
    };
    let r = run(&server);
    assert_eq!(r["level"], "error");
    assert_eq!(r["properties"]["validation"]["status"], "active");
    assert_eq!(r["properties"]["validation"]["identity"]["handle"], "designer");
    server.answer(|_| Reply::new(403, "{}"));
    let r = run(&server);
    assert_eq!(r["level"], "warning");
    assert_eq!(r["properties"]["validation"]["status"], "inactive");
}

#[test]
fn gateway_keys_go_to_named_and_allowed_base_urls_only() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "sk-Qm4Wz8Lx2Nv6Tb0Kc3Yr7Hj1Fd4Sg9Pa5Ee8Rt2Yu6Io0Pl3";
    let gw = Server::start(move |req| {
        if req.header("authorization") != Some(&format!("Bearer {key}")) {
            return Reply::new(401, r#"{"error":{"message":"invalid token"}}"#);
        }
        match req.path.split('?').next().unwrap() {
            "/v1/models" => {
                Reply::new(200, r#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"claude-3"},{"id":"qwen"}]}"#)
            }
            "/v1/dashboard/billing/subscription" => {
                Reply::new(200, r#"{"object":"billing_subscription","hard_limit_usd":50}"#)
            }
            "/v1/dashboard/billing/usage" => Reply::new(200, r#"{"object":"list","total_usage":1234}"#),
            _ => Reply::new(404, "{}"),
        }
    });
    let found_url = format!("{}/v1/chat/completions", gw.base);
    std::fs::write(tmp.path().join("app.env"), format!("OPENAI_BASE_URL={found_url}\nOPENAI_API_KEY={key}\n")).unwrap();
    // A URL found beside the key is not used unless its host is allowed.
    let out = keytrail().args(["scan", "--validate", "--format", "json"]).arg(tmp.path()).output().unwrap();
    let f = findings(&out.stdout);
    let v = &f.iter().find(|f| f["rule"] == "oneapi-gateway-key").unwrap()["validation"];
    assert_eq!(v["status"], "unknown", "{v}");
    assert!(gw.take().is_empty(), "an unlisted host got a request");
    // Allowed in the config: used, with the remaining quota.
    std::fs::write(tmp.path().join(".keytrail.toml"), "[validate]\nallow_hosts = [\"127.0.0.1\"]\n").unwrap();
    let out = keytrail().args(["scan", "--validate", "--format", "json"]).arg(tmp.path()).output().unwrap();
    let f = findings(&out.stdout);
    let v = &f.iter().find(|f| f["rule"] == "oneapi-gateway-key").unwrap()["validation"];
    assert_eq!(v["status"], "active", "{v}");
    assert_eq!(v["provider"], "gateway");
    assert_eq!(v["endpoint"], format!("{}/v1", gw.base));
    assert_eq!(v["identity"]["models"], 3);
    assert_eq!(v["identity"]["quota_usd"], 50.0);
    assert_eq!(v["identity"]["remaining_usd"], 37.66);
    let paths: Vec<String> = gw.take().into_iter().map(|r| r.path.split('?').next().unwrap().to_string()).collect();
    assert_eq!(paths, ["/v1/models", "/v1/dashboard/billing/subscription", "/v1/dashboard/billing/usage"]);
    // Named with --base-url (the config file gone): the same.
    std::fs::remove_file(tmp.path().join(".keytrail.toml")).unwrap();
    std::fs::write(tmp.path().join("app.env"), format!("OPENAI_API_KEY={key}\n")).unwrap();
    let out = keytrail()
        .args(["scan", "--base-url", &format!("{}/v1/", gw.base), "--format", "json"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(findings(&out.stdout)[0]["validation"]["status"], "active");
    // Plain http to a host that is not loopback is refused up front.
    let out = keytrail().args(["scan", "--base-url", "http://gw.example.com/v1"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only https://"));
}

#[test]
fn verify_reads_keys_from_stdin_and_labels_them_by_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let old = "ghp_Qk3Wz8Lx2Nv6Tb0Kc3Yr7Hj1Fd4Sg9Pa5Ee8";
    let new = "ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7Ee2";
    let fp = tmp.path().join("keys.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "gh-old", "-o"])
        .arg(&fp)
        .write_stdin(format!("{old}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let server = Server::start(move |req| {
        if req.header("authorization") == Some(&format!("Bearer {new}")) {
            Reply::new(200, r#"{"login":"octo-test"}"#)
        } else {
            Reply::new(401, "{}")
        }
    });
    let out = keytrail()
        .env(OVERRIDE, &server.base)
        .args(["verify", "--format", "json", "-f"])
        .arg(&fp)
        .write_stdin(format!("{old}\n  Bearer {new}\n{old}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["label"], "gh-old");
    assert_eq!(rows[0]["validation"]["status"], "inactive");
    assert_eq!(rows[0]["secret"], "ghp_…5Ee8");
    assert!(rows[1].get("label").is_none());
    assert_eq!(rows[1]["validation"]["status"], "active");
    assert_eq!(rows[1]["rules"][0], "github-pat-classic");
    assert_eq!(server.take().len(), 2, "one request per distinct key");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not in"), "{stderr}");
    // Human lines, and no key on the command line: none is accepted there.
    let out = keytrail().env(OVERRIDE, &server.base).arg("verify").write_stdin(format!("{new}\n")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("ghp_…7Ee2  github-pat-classic  active (login octo-test)"), "{text}");
    let out = keytrail().args(["verify", new]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(&new[4..20]));
}

#[test]
fn doctor_finds_what_breaks_a_pasted_key_and_explains_the_answer() {
    let key = "sk-Qm4Wz8Lx2Nv6Tb0Kc3Yr7Hj1Fd4Sg9Pa5Ee8Rt2Yu6Io0Pl3";
    let out = keytrail()
        .arg("doctor")
        .write_stdin(format!("\u{feff}Authorization: Bearer \u{201c}{key}\u{201d}\u{200b}\r\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in
        ["byte order mark", "zero-width space", "smart", "carriage return", "Authorization:", "Bearer", "recognised as"]
    {
        assert!(text.contains(want), "{want}: {text}");
    }
    let digest = keytrail::secret::Digest::of(key.as_bytes()).to_hex();
    assert!(text.contains(&format!("give support: sk-Q…0Pl3  digest {digest}")), "{text}");
    assert!(!text.contains(&key[4..16]));
    let clean = keytrail().arg("doctor").write_stdin(format!("{key}\n")).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    // Against a gateway: 404 at the base, 200 under /v1.
    let gw = Server::start(move |req| {
        match (req.path.as_str(), req.header("authorization") == Some(&format!("Bearer {key}"))) {
            ("/v1/models", true) => Reply::new(200, r#"{"data":[{"id":"m"}]}"#),
            ("/v1/models", false) => Reply::new(401, "{}"),
            _ => Reply::new(404, "{}"),
        }
    });
    let out = keytrail().args(["doctor", "--base-url", &gw.base]).write_stdin(format!("{key}\n")).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("answered 404: no /models here: wrong base URL, or a missing /v1"), "{text}");
    assert!(text.contains(&format!("{}/v1/models answers 200: use {}/v1 as the base URL", gw.base, gw.base)), "{text}");
    assert_eq!(out.status.code(), Some(1));
    let out = keytrail()
        .args(["doctor", "--base-url", &format!("{}/v1", gw.base)])
        .write_stdin(format!("{}x\n", &key[..key.len() - 1]))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("answered 401: key invalid, disabled or expired"), "{text}");
    let out = keytrail()
        .args(["doctor", "--base-url", &format!("{}/v1", gw.base)])
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    // A closed port: the connection failure is explained.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let out = keytrail()
        .args(["doctor", "--base-url", &format!("http://{closed}/v1")])
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("connection failed"), "{text}");
}

#[test]
fn trace_validate_checks_the_keys_it_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7Ee2";
    let fp = tmp.path().join("leak.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "gh-leak", "-o"])
        .arg(&fp)
        .write_stdin(format!("{key}\n"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(tree.join("notes.txt"), format!("old token {key} here\n")).unwrap();
    let server = Server::start(|_| Reply::new(200, r#"{"login":"octo-test"}"#));
    let run = |format: &str| {
        keytrail()
            .env(OVERRIDE, &server.base)
            .args(["trace", "--validate", "--format", format, "-f"])
            .arg(&fp)
            .arg(&tree)
            .output()
            .unwrap()
    };
    let out = run("json");
    let f = findings(&out.stdout);
    assert_eq!(f[0]["rule"], "fingerprint:gh-leak");
    assert_eq!(f[0]["validation"]["status"], "active");
    assert_eq!(f[0]["validation"]["provider"], "github");
    assert_eq!(f[0]["validation"]["identity"]["login"], "octo-test");
    let reqs = server.take();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/api.github.com/user");
    let text = String::from_utf8_lossy(&run("human").stdout).into_owned();
    assert!(text.contains("  live: active (login octo-test) — api.github.com answered 200"), "{text}");
}
