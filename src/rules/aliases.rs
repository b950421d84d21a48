//! gitleaks' default rule ids → keytrail's built-in rule ids, so that gitleaks configs
//! (`disabledRules`, rules extending a default rule, `.gitleaksignore`) keep working.

/// (gitleaks id, keytrail ids). A gitleaks rule may cover what several keytrail rules do.
const ALIASES: &[(&str, &[&str])] = &[
    ("generic-api-key", &["generic-secret-assignment"]),
    ("aws-access-token", &["aws-access-key-id"]),
    ("github-pat", &["github-pat-classic"]),
    ("github-fine-grained-pat", &["github-pat-fine-grained"]),
    ("github-oauth", &["github-oauth-token"]),
    ("github-app-token", &["github-app-installation-token", "github-user-to-server-token"]),
    ("gitlab-ptt", &["gitlab-pipeline-trigger-token"]),
    ("gitlab-rrt", &["gitlab-runner-token"]),
    ("gitlab-runner-authentication-token", &["gitlab-runner-token"]),
    ("gitlab-cicd-job-token", &["gitlab-ci-job-token"]),
    ("gitlab-kubernetes-agent-token", &["gitlab-agent-token"]),
    ("gitlab-feed-token", &["gitlab-feed-token"]),
    ("slack-config-access-token", &["slack-config-token"]),
    ("slack-config-refresh-token", &["slack-config-token"]),
    ("slack-legacy-bot-token", &["slack-legacy-token"]),
    ("slack-legacy-workspace-token", &["slack-legacy-token"]),
    ("stripe-access-token", &["stripe-secret-key", "stripe-restricted-key", "stripe-test-secret-key"]),
    ("private-key", &["private-key-pem", "openssh-private-key", "pgp-private-key-block", "putty-private-key"]),
    (
        "openai-api-key",
        &[
            "openai-api-key",
            "openai-project-key",
            "openai-service-account-key",
            "openai-admin-key",
            "openai-unscoped-key",
        ],
    ),
    ("anthropic-admin-api-key", &["anthropic-admin-key"]),
    ("rubygems-api-token", &["rubygems-api-key"]),
    ("clojars-api-token", &["clojars-deploy-token"]),
    ("artifactory-api-key", &["artifactory-token"]),
    ("artifactory-reference-token", &["artifactory-token"]),
    ("gcp-api-key", &["google-api-key"]),
    ("heroku-api-key-v2", &["heroku-api-key"]),
    ("sendgrid-api-token", &["sendgrid-api-key"]),
    ("sendinblue-api-token", &["brevo-api-key"]),
    ("mailgun-private-api-token", &["mailgun-private-key"]),
    ("messagebird-api-token", &["messagebird-api-key"]),
    ("postman-api-token", &["postman-api-key"]),
    ("jwt-base64", &["jwt"]),
    ("digitalocean-pat", &["digitalocean-token"]),
    ("digitalocean-access-token", &["digitalocean-token"]),
    ("digitalocean-refresh-token", &["digitalocean-token"]),
    ("doppler-api-token", &["doppler-token"]),
    ("pulumi-api-token", &["pulumi-access-token"]),
    ("databricks-api-token", &["databricks-token"]),
    ("hashicorp-tf-api-token", &["terraform-cloud-token"]),
    ("vault-service-token", &["hashicorp-vault-token"]),
    ("vault-batch-token", &["hashicorp-vault-token"]),
    ("planetscale-api-token", &["planetscale-token"]),
    ("planetscale-oauth-token", &["planetscale-token"]),
    ("flyio-access-token", &["flyio-token"]),
    ("shopify-custom-access-token", &["shopify-access-token"]),
    ("shopify-private-app-access-token", &["shopify-access-token"]),
    ("notion-api-token", &["notion-integration-token"]),
    ("airtable-personnal-access-token", &["airtable-pat"]),
    ("mapbox-api-token", &["mapbox-secret-token"]),
    ("dropbox-api-token", &["dropbox-access-token"]),
    ("dropbox-long-lived-api-token", &["dropbox-access-token"]),
    ("dropbox-short-lived-api-token", &["dropbox-access-token"]),
    ("okta-access-token", &["okta-api-token"]),
    ("typeform-api-token", &["typeform-token"]),
    ("algolia-api-key", &["algolia-admin-key"]),
    ("contentful-delivery-api-token", &["contentful-token"]),
    ("intercom-api-key", &["intercom-access-token"]),
    ("zendesk-secret-key", &["zendesk-api-token"]),
    ("twitch-api-token", &["twitch-oauth-token"]),
    ("clickup-personal-token", &["clickup-api-token"]),
    ("readme-api-token", &["readme-api-key"]),
    ("duffel-api-token", &["duffel-live-token"]),
    ("easypost-api-token", &["easypost-api-key"]),
    ("telegram-bot-api-token", &["telegram-bot-token"]),
    ("microsoft-teams-webhook", &["microsoft-teams-webhook-url"]),
    ("sentry-access-token", &["sentry-user-token"]),
    ("new-relic-user-api-key", &["new-relic-user-key"]),
    ("grafana-cloud-api-token", &["grafana-cloud-token"]),
    ("huggingface-access-token", &["huggingface-token"]),
    ("huggingface-organization-api-token", &["huggingface-org-token"]),
    ("cohere-api-token", &["cohere-api-key"]),
    ("alibaba-secret-key", &["alibaba-access-key-secret"]),
    ("cloudflare-api-key", &["cloudflare-api-token"]),
    ("netlify-access-token", &["netlify-token"]),
    ("plaid-api-token", &["plaid-access-token"]),
    ("gocardless-api-token", &["gocardless-access-token"]),
];

/// The keytrail rules a gitleaks default rule id stands for (None: not a known alias).
pub fn keytrail_ids(gitleaks_id: &str) -> Option<&'static [&'static str]> {
    ALIASES.iter().find(|(g, _)| *g == gitleaks_id).map(|(_, k)| *k)
}

/// The gitleaks ids that stand for a keytrail rule id (for `.gitleaksignore` lines).
pub fn gitleaks_ids(keytrail_id: &str) -> impl Iterator<Item = &'static str> + '_ {
    ALIASES.iter().filter(move |(_, k)| k.contains(&keytrail_id)).map(|(g, _)| *g)
}

#[cfg(test)]
mod tests {
    use super::ALIASES;
    use crate::rules::{RuleOptions, load_rules};

    #[test]
    fn every_alias_names_a_built_in_rule() {
        let set = load_rules(&RuleOptions::default()).unwrap();
        for (g, ours) in ALIASES {
            for id in *ours {
                assert!(set.get(id).is_some(), "{g} -> {id}: no such built-in rule");
            }
        }
    }
}
