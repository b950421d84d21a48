//! The provider table: one small declarative entry per provider saying which rules' keys it
//! checks, the one read-only request (method, URL, auth header shape), how to read the
//! identity from the answer and what its status codes mean.

use super::Status;

/// How the key is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer KEY`.
    Bearer,
    /// `NAME: PREFIX KEY` (`x-api-key: KEY`, `Authorization: Bot KEY`).
    Header(&'static str, &'static str),
    /// HTTP Basic with `USER:KEY` where USER is fixed (`api` for Mailgun, empty for Stripe).
    BasicUser(&'static str),
    /// HTTP Basic with `CONTEXT:KEY`, CONTEXT a value found in the same file (Twilio's SID).
    BasicContext(&'static str),
    /// The key is in the URL or the body (`{key}`, or the secret is the URL itself).
    InUrl,
    /// AWS Signature Version 4 (STS GetCallerIdentity), with the secret key found beside it.
    AwsSigV4,
    /// A Google service-account key: a signed JWT exchanged for a token.
    GcpJwt,
}

/// Where an identity field comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A JSON pointer into the answer (`/data/label`); arrays of strings are joined.
    Json(&'static str),
    /// An answer header (lower-case name).
    Header(&'static str),
    /// The length of the JSON array at this pointer.
    Count(&'static str),
}

/// What in a 2xx answer says the key is not live after all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// The JSON boolean at this pointer must be true (Slack's `ok`).
    True(&'static str),
    /// The JSON string at this pointer must equal this value (Cloudflare's `active`).
    Equals(&'static str, &'static str),
    /// None of the JSON booleans at these pointers may be true (xAI's `api_key_disabled`).
    NoneTrue(&'static [&'static str]),
}

/// What the status codes of this provider mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub bad_request: Status,
    pub unauthorized: Status,
    pub forbidden: Status,
    pub not_found: Status,
    /// For 2xx answers.
    pub live: Option<Live>,
    /// Said when a 403 comes back (the default is "revoked or disabled").
    pub forbidden_means: &'static str,
}

/// The usual meanings: 401/403 revoked or disabled, 400/404 unknown.
pub const USUAL: Answers = Answers {
    bad_request: Status::Unknown,
    unauthorized: Status::Inactive,
    forbidden: Status::Inactive,
    not_found: Status::Unknown,
    live: None,
    forbidden_means: "revoked or disabled",
};

/// 403 is a live key lacking permission for the endpoint (restricted keys, scoped tokens).
const FORBIDDEN_IS_LIVE: Answers = Answers {
    forbidden: Status::Active,
    forbidden_means: "key accepted but lacks permission for this endpoint",
    ..USUAL
};

/// A secret URL (webhook): 401/403/404 mean deleted or revoked.
const GONE_WHEN_MISSING: Answers = Answers { not_found: Status::Inactive, ..USUAL };

/// One provider entry.
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    /// Stable id (`openai`).
    pub id: &'static str,
    pub name: &'static str,
    /// Rule ids whose keys this entry checks.
    pub rules: &'static [&'static str],
    pub method: &'static str,
    /// `https://` URL; `{key}` is the key, `{secret}` the secret when it is a URL,
    /// `{ctx:NAME}` a value found in the same file (see `context`).
    pub url: &'static str,
    pub auth: Auth,
    /// Fixed extra headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// Request body (JSON unless it starts with a letter and holds `=`); `{key}` is the key.
    pub body: Option<&'static str>,
    /// Identity fields read from a 2xx answer: (name, where).
    pub identity: &'static [(&'static str, Field)],
    pub answers: Answers,
    /// Context values this entry needs from the file holding the key.
    pub needs: &'static [&'static str],
}

const JSON: (&str, &str) = ("content-type", "application/json");

const fn get(id: &'static str, name: &'static str, rules: &'static [&'static str], url: &'static str) -> Provider {
    Provider {
        id,
        name,
        rules,
        method: "GET",
        url,
        auth: Auth::Bearer,
        headers: &[],
        body: None,
        identity: &[],
        answers: USUAL,
        needs: &[],
    }
}

impl Provider {
    const fn auth(mut self, a: Auth) -> Self {
        self.auth = a;
        self
    }
    const fn post(mut self, body: &'static str) -> Self {
        self.method = "POST";
        self.body = Some(body);
        self
    }
    const fn headers(mut self, h: &'static [(&'static str, &'static str)]) -> Self {
        self.headers = h;
        self
    }
    const fn identity(mut self, i: &'static [(&'static str, Field)]) -> Self {
        self.identity = i;
        self
    }
    const fn answers(mut self, a: Answers) -> Self {
        self.answers = a;
        self
    }
    const fn live(mut self, l: Live) -> Self {
        self.answers.live = Some(l);
        self
    }
    const fn needs(mut self, n: &'static [&'static str]) -> Self {
        self.needs = n;
        self
    }
}

use Field::{Count, Header, Json};

/// Every provider keytrail can check, LLM providers first.
pub const PROVIDERS: &[Provider] = &[
    get(
        "openai",
        "OpenAI",
        &["openai-api-key", "openai-project-key", "openai-service-account-key", "openai-unscoped-key"],
        "https://api.openai.com/v1/models",
    )
    .identity(&[("models", Count("/data"))]),
    get("openai-admin", "OpenAI (admin key)", &["openai-admin-key"], "https://api.openai.com/v1/organization/projects?limit=1")
        .answers(FORBIDDEN_IS_LIVE),
    get("anthropic", "Anthropic", &["anthropic-api-key"], "https://api.anthropic.com/v1/models")
        .auth(Auth::Header("x-api-key", ""))
        .headers(&[("anthropic-version", "2023-06-01")])
        .identity(&[("models", Count("/data"))]),
    get("anthropic-admin", "Anthropic (admin key)", &["anthropic-admin-key"], "https://api.anthropic.com/v1/organizations/me")
        .auth(Auth::Header("x-api-key", ""))
        .headers(&[("anthropic-version", "2023-06-01")])
        .identity(&[("organization", Json("/name")), ("organization_id", Json("/id"))]),
    get("gemini", "Google AI (Gemini)", &["google-api-key"], "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1")
        .auth(Auth::Header("x-goog-api-key", ""))
        .answers(Answers {
            bad_request: Status::Inactive,
            forbidden: Status::Unknown,
            forbidden_means: "the key exists but the Generative Language API is not enabled for it (it may work for other Google APIs)",
            ..USUAL
        }),
    get("openrouter", "OpenRouter", &["openrouter-api-key"], "https://openrouter.ai/api/v1/key").identity(&[
        ("label", Json("/data/label")),
        ("usage", Json("/data/usage")),
        ("limit", Json("/data/limit")),
        ("limit_remaining", Json("/data/limit_remaining")),
        ("free_tier", Json("/data/is_free_tier")),
    ]),
    get("groq", "Groq", &["groq-api-key"], "https://api.groq.com/openai/v1/models").identity(&[("models", Count("/data"))]),
    get("mistral", "Mistral AI", &["mistral-api-key"], "https://api.mistral.ai/v1/models").identity(&[("models", Count("/data"))]),
    get("deepseek", "DeepSeek", &["deepseek-api-key"], "https://api.deepseek.com/user/balance").identity(&[
        ("available", Json("/is_available")),
        ("balance", Json("/balance_infos/0/total_balance")),
        ("currency", Json("/balance_infos/0/currency")),
    ]),
    get("xai", "xAI", &["xai-api-key"], "https://api.x.ai/v1/api-key")
        .identity(&[("name", Json("/name")), ("team_id", Json("/team_id")), ("acls", Json("/acls"))])
        .live(Live::NoneTrue(&["/api_key_blocked", "/api_key_disabled", "/team_blocked"])),
    get("together", "Together AI", &["together-api-key"], "https://api.together.xyz/v1/models"),
    get("fireworks", "Fireworks AI", &["fireworks-api-key"], "https://api.fireworks.ai/inference/v1/models")
        .identity(&[("models", Count("/data"))]),
    get("cohere", "Cohere", &["cohere-api-key"], "https://api.cohere.com/v1/check-api-key")
        .post("{}")
        .headers(&[JSON])
        .identity(&[("organization_id", Json("/organization_id")), ("owner_id", Json("/owner_id"))])
        .live(Live::True("/valid")),
    // No free read-only endpoint: an empty chat request is refused before any model runs,
    // with 400 when the key was accepted and 401 when it was not.
    get("perplexity", "Perplexity", &["perplexity-api-key"], "https://api.perplexity.ai/chat/completions")
        .post("{}")
        .headers(&[JSON])
        .answers(Answers { bad_request: Status::Active, ..USUAL }),
    get("huggingface", "Hugging Face", &["huggingface-token", "huggingface-org-token"], "https://huggingface.co/api/whoami-v2")
        .identity(&[
            ("name", Json("/name")),
            ("type", Json("/type")),
            ("token_name", Json("/auth/accessToken/displayName")),
            ("role", Json("/auth/accessToken/role")),
        ]),
    get("replicate", "Replicate", &["replicate-api-token"], "https://api.replicate.com/v1/account")
        .identity(&[("username", Json("/username")), ("type", Json("/type"))]),
    get("cerebras", "Cerebras", &["cerebras-api-key"], "https://api.cerebras.ai/v1/models"),
    get("moonshot", "Moonshot AI", &["moonshot-api-key"], "https://api.moonshot.cn/v1/users/me/balance")
        .identity(&[("balance", Json("/data/available_balance"))]),
    get("siliconflow", "SiliconFlow", &["siliconflow-api-key"], "https://api.siliconflow.cn/v1/user/info")
        .identity(&[("name", Json("/data/name")), ("balance", Json("/data/totalBalance")), ("status", Json("/data/status"))]),
    get("dashscope", "Alibaba Cloud Model Studio", &["alibaba-dashscope-api-key"], "https://dashscope.aliyuncs.com/compatible-mode/v1/models"),
    get("elevenlabs", "ElevenLabs", &["elevenlabs-api-key"], "https://api.elevenlabs.io/v1/user")
        .auth(Auth::Header("xi-api-key", ""))
        .identity(&[("user_id", Json("/user_id")), ("tier", Json("/subscription/tier"))]),
    get("deepgram", "Deepgram", &["deepgram-api-key"], "https://api.deepgram.com/v1/projects")
        .auth(Auth::Header("authorization", "Token "))
        .identity(&[("project", Json("/projects/0/name"))]),
    get("stability", "Stability AI", &["stability-api-key"], "https://api.stability.ai/v1/user/account")
        .identity(&[("id", Json("/id")), ("email", Json("/email"))]),
    get("pinecone", "Pinecone", &["pinecone-api-key"], "https://api.pinecone.io/indexes")
        .auth(Auth::Header("api-key", ""))
        .headers(&[("x-pinecone-api-version", "2024-10")])
        .identity(&[("indexes", Count("/indexes"))]),
    get(
        "github",
        "GitHub",
        &["github-pat-classic", "github-pat-fine-grained", "github-oauth-token", "github-user-to-server-token"],
        "https://api.github.com/user",
    )
    .headers(&[("accept", "application/vnd.github+json"), ("x-github-api-version", "2022-11-28")])
    .identity(&[
        ("login", Json("/login")),
        ("scopes", Header("x-oauth-scopes")),
        ("expires", Header("github-authentication-token-expiration")),
    ])
    .answers(FORBIDDEN_IS_LIVE),
    get("github-app", "GitHub (app installation)", &["github-app-installation-token"], "https://api.github.com/installation/repositories?per_page=1")
        .headers(&[("accept", "application/vnd.github+json"), ("x-github-api-version", "2022-11-28")])
        .identity(&[("repositories", Json("/total_count")), ("expires", Header("github-authentication-token-expiration"))]),
    get("gitlab", "GitLab", &["gitlab-pat"], "https://gitlab.com/api/v4/personal_access_tokens/self")
        .auth(Auth::Header("private-token", ""))
        .identity(&[("name", Json("/name")), ("scopes", Json("/scopes")), ("expires", Json("/expires_at")), ("user_id", Json("/user_id"))])
        .live(Live::NoneTrue(&["/revoked"])),
    get("gitlab-runner", "GitLab (runner)", &["gitlab-runner-token"], "https://gitlab.com/api/v4/runners/verify")
        .auth(Auth::InUrl)
        .post(r#"{"token":"{key}"}"#)
        .headers(&[JSON])
        .identity(&[("runner_id", Json("/id")), ("expires", Json("/token_expires_at"))]),
    get("slack", "Slack", &["slack-bot-token", "slack-user-token", "slack-legacy-token"], "https://slack.com/api/auth.test")
        .post("")
        .identity(&[("team", Json("/team")), ("user", Json("/user")), ("url", Json("/url")), ("bot_id", Json("/bot_id"))])
        .live(Live::True("/ok")),
    // An empty message is refused (400 `invalid_payload`/`no_text`) by a live webhook and
    // nothing is posted; a deleted one answers 403/404/410.
    get("slack-webhook", "Slack (incoming webhook)", &["slack-webhook-url"], "{secret}")
        .auth(Auth::InUrl)
        .post("{}")
        .headers(&[JSON])
        .answers(Answers { bad_request: Status::Active, ..GONE_WHEN_MISSING }),
    get("discord", "Discord (bot)", &["discord-bot-token"], "https://discord.com/api/v10/users/@me")
        .auth(Auth::Header("authorization", "Bot "))
        .identity(&[("username", Json("/username")), ("id", Json("/id"))]),
    get("discord-webhook", "Discord (webhook)", &["discord-webhook-url"], "{secret}")
        .auth(Auth::InUrl)
        .identity(&[("name", Json("/name")), ("channel_id", Json("/channel_id")), ("guild_id", Json("/guild_id"))])
        .answers(GONE_WHEN_MISSING),
    get("telegram", "Telegram (bot)", &["telegram-bot-token"], "https://api.telegram.org/bot{key}/getMe")
        .auth(Auth::InUrl)
        .identity(&[("username", Json("/result/username")), ("id", Json("/result/id"))])
        .answers(GONE_WHEN_MISSING)
        .live(Live::True("/ok")),
    get("stripe", "Stripe", &["stripe-secret-key", "stripe-restricted-key", "stripe-test-secret-key"], "https://api.stripe.com/v1/account")
        .identity(&[("account", Json("/id")), ("name", Json("/settings/dashboard/display_name")), ("livemode", Json("/livemode"))])
        .answers(FORBIDDEN_IS_LIVE),
    get("sendgrid", "SendGrid", &["sendgrid-api-key"], "https://api.sendgrid.com/v3/scopes").identity(&[("scopes", Count("/scopes"))]),
    get("twilio", "Twilio", &["twilio-auth-token"], "https://api.twilio.com/2010-04-01/Accounts/{ctx:twilio_sid}.json")
        .auth(Auth::BasicContext("twilio_sid"))
        .identity(&[("account", Json("/friendly_name")), ("status", Json("/status"))])
        .live(Live::Equals("/status", "active"))
        .needs(&["twilio_sid"]),
    get("mailgun", "Mailgun", &["mailgun-api-key", "mailgun-private-key"], "https://api.mailgun.net/v3/domains?limit=1")
        .auth(Auth::BasicUser("api"))
        .identity(&[("domains", Json("/total_count"))]),
    get("postmark", "Postmark", &["postmark-server-token"], "https://api.postmarkapp.com/server")
        .auth(Auth::Header("x-postmark-server-token", ""))
        .headers(&[("accept", "application/json")])
        .identity(&[("server", Json("/Name"))]),
    get("brevo", "Brevo", &["brevo-api-key"], "https://api.brevo.com/v3/account")
        .auth(Auth::Header("api-key", ""))
        .identity(&[("email", Json("/email")), ("company", Json("/companyName"))]),
    get("datadog", "Datadog", &["datadog-api-key"], "https://api.datadoghq.com/api/v1/validate")
        .auth(Auth::Header("dd-api-key", ""))
        .live(Live::True("/valid")),
    get("npm", "npm", &["npm-access-token"], "https://registry.npmjs.org/-/whoami").identity(&[("username", Json("/username"))]),
    get("shopify", "Shopify", &["shopify-access-token"], "https://{ctx:shopify_shop}/admin/api/2024-10/shop.json")
        .auth(Auth::Header("x-shopify-access-token", ""))
        .identity(&[("shop", Json("/shop/name")), ("domain", Json("/shop/myshopify_domain"))])
        .answers(FORBIDDEN_IS_LIVE)
        .needs(&["shopify_shop"]),
    get("linear", "Linear", &["linear-api-key"], "https://api.linear.app/graphql")
        .auth(Auth::Header("authorization", ""))
        .post(r#"{"query":"{ viewer { id name email } organization { name } }"}"#)
        .headers(&[JSON])
        .identity(&[("name", Json("/data/viewer/name")), ("email", Json("/data/viewer/email")), ("organization", Json("/data/organization/name"))]),
    get("notion", "Notion", &["notion-integration-token"], "https://api.notion.com/v1/users/me")
        .headers(&[("notion-version", "2022-06-28")])
        .identity(&[("name", Json("/name")), ("workspace", Json("/bot/workspace_name"))]),
    get("atlassian", "Atlassian", &["atlassian-api-token"], "https://{ctx:atlassian_site}/rest/api/3/myself")
        .auth(Auth::BasicContext("email"))
        .headers(&[("accept", "application/json")])
        .identity(&[("name", Json("/displayName")), ("account_id", Json("/accountId")), ("active", Json("/active"))])
        .needs(&["atlassian_site", "email"]),
    get("digitalocean", "DigitalOcean", &["digitalocean-token"], "https://api.digitalocean.com/v2/account")
        .identity(&[("email", Json("/account/email")), ("status", Json("/account/status")), ("team", Json("/account/team/name"))]),
    get("heroku", "Heroku", &["heroku-api-key", "heroku-api-key-legacy"], "https://api.heroku.com/account")
        .headers(&[("accept", "application/vnd.heroku+json; version=3")])
        .identity(&[("email", Json("/email")), ("id", Json("/id"))]),
    get("cloudflare", "Cloudflare", &["cloudflare-api-token"], "https://api.cloudflare.com/client/v4/user/tokens/verify")
        .identity(&[("token_id", Json("/result/id")), ("status", Json("/result/status")), ("expires", Json("/result/expires_on"))])
        .live(Live::Equals("/result/status", "active")),
    get("vercel", "Vercel", &["vercel-token"], "https://api.vercel.com/v2/user")
        .identity(&[("username", Json("/user/username")), ("email", Json("/user/email"))]),
    get("netlify", "Netlify", &["netlify-token"], "https://api.netlify.com/api/v1/user")
        .identity(&[("email", Json("/email")), ("name", Json("/full_name"))]),
    get("doppler", "Doppler", &["doppler-token"], "https://api.doppler.com/v3/me")
        .identity(&[("name", Json("/name")), ("type", Json("/type")), ("workplace", Json("/workplace/name"))]),
    get("terraform-cloud", "HCP Terraform", &["terraform-cloud-token"], "https://app.terraform.io/api/v2/account/details")
        .headers(&[("accept", "application/vnd.api+json")])
        .identity(&[("username", Json("/data/attributes/username")), ("email", Json("/data/attributes/email"))]),
    get("airtable", "Airtable", &["airtable-pat"], "https://api.airtable.com/v0/meta/whoami")
        .identity(&[("user_id", Json("/id")), ("email", Json("/email")), ("scopes", Json("/scopes"))]),
    get("figma", "Figma", &["figma-token"], "https://api.figma.com/v1/me")
        .auth(Auth::Header("x-figma-token", ""))
        .identity(&[("handle", Json("/handle")), ("email", Json("/email"))]),
    get("asana", "Asana", &["asana-pat"], "https://app.asana.com/api/1.0/users/me")
        .identity(&[("name", Json("/data/name")), ("email", Json("/data/email"))]),
    get("pagerduty", "PagerDuty", &["pagerduty-api-key"], "https://api.pagerduty.com/abilities")
        .auth(Auth::Header("authorization", "Token token="))
        .headers(&[("accept", "application/json")])
        .identity(&[("abilities", Count("/abilities"))]),
    get("honeycomb", "Honeycomb", &["honeycomb-api-key"], "https://api.honeycomb.io/1/auth")
        .auth(Auth::Header("x-honeycomb-team", ""))
        .identity(&[("team", Json("/team/name")), ("environment", Json("/environment/name"))]),
    get("aws", "AWS", &["aws-access-key-id"], "https://sts.amazonaws.com/")
        .auth(Auth::AwsSigV4)
        .post("Action=GetCallerIdentity&Version=2011-06-15")
        .headers(&[("content-type", "application/x-www-form-urlencoded; charset=utf-8")])
        .needs(&["aws_secret"]),
    get("gcp", "Google Cloud (service account)", &["gcp-service-account-key"], "https://oauth2.googleapis.com/token")
        .auth(Auth::GcpJwt)
        .post("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={jwt}")
        .headers(&[("content-type", "application/x-www-form-urlencoded")])
        .answers(Answers { bad_request: Status::Inactive, ..USUAL })
        .needs(&["gcp_client_email"]),
];

/// The entry checking keys of `rule_id`.
pub fn for_rule(rule_id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.rules.contains(&rule_id))
}

/// Distinct providers (entries of one provider name, such as OpenAI's admin keys, count once).
pub fn provider_count() -> usize {
    let mut names: Vec<&str> = PROVIDERS.iter().map(|p| p.name.split(" (").next().unwrap_or(p.name)).collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_rules_are_unique_and_urls_https() {
        let mut ids: Vec<&str> = PROVIDERS.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "provider ids are unique");
        let mut rules: Vec<&str> = PROVIDERS.iter().flat_map(|p| p.rules.iter().copied()).collect();
        rules.sort_unstable();
        let n = rules.len();
        rules.dedup();
        assert_eq!(rules.len(), n, "a rule is checked by one entry");
        for p in PROVIDERS {
            assert!(p.url.starts_with("https://") || p.url == "{secret}", "{}: {}", p.id, p.url);
        }
        assert!(provider_count() >= 40, "{} providers", provider_count());
    }

    #[test]
    fn every_rule_named_exists() {
        let engine = crate::Engine::new(crate::rules::load_rules(&Default::default()).unwrap());
        for p in PROVIDERS {
            for r in p.rules {
                assert!(engine.rules().get(r).is_some(), "{}: no built-in rule {r}", p.id);
            }
        }
    }
}
