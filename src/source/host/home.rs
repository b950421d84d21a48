//! Credential files in each home: cloud and registry logins, git and package-manager tokens,
//! kubeconfigs, SSH keys, and editor and AI-assistant settings (MCP servers' env).

use super::{Item, Users, in_home};

/// Tool credential files, relative to a home.
const CREDENTIALS: &[&str] = &[
    ".aws/credentials",
    ".aws/config",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".gitconfig",
    ".config/git/credentials",
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    ".pypirc",
    ".pip/pip.conf",
    ".config/pip/pip.conf",
    ".docker/config.json",
    ".config/containers/auth.json",
    ".kube/config",
    ".config/gh/hosts.yml",
    ".config/hub",
    ".config/glab-cli/config.yml",
    ".cargo/credentials.toml",
    ".cargo/credentials",
    ".gem/credentials",
    ".m2/settings.xml",
    ".gradle/gradle.properties",
    ".terraformrc",
    ".terraform.d/credentials.tfrc.json",
    ".config/gcloud/application_default_credentials.json",
    ".azure/accessTokens.json",
    ".azure/msal_token_cache.json",
    ".config/rclone/rclone.conf",
    ".s3cfg",
    ".boto",
    ".pgpass",
    ".my.cnf",
    ".vault-token",
    ".composer/auth.json",
    ".config/composer/auth.json",
    ".nuget/NuGet/NuGet.Config",
    ".config/helm/repositories.yaml",
    ".config/doctl/config.yaml",
    ".config/hcloud/cli.toml",
    ".config/ngrok/ngrok.yml",
    ".ngrok2/ngrok.yml",
    ".config/stripe/config.toml",
    ".fly/config.yml",
    ".pm2/dump.pm2",
    ".env",
    ".ssh/id_rsa",
    ".ssh/id_ecdsa",
    ".ssh/id_ed25519",
    ".ssh/id_dsa",
];

/// Editor and AI-assistant settings, where MCP servers and plugins keep API keys.
const EDITORS: &[&str] = &[
    ".claude.json",
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".config/Claude/claude_desktop_config.json",
    ".cursor/mcp.json",
    ".codeium/windsurf/mcp_config.json",
    ".config/Code/User/settings.json",
    ".config/Code/User/mcp.json",
    ".vscode-server/data/Machine/settings.json",
    ".continue/config.json",
    ".continue/config.yaml",
    ".aider.conf.yml",
    ".codex/config.toml",
    ".codex/auth.json",
    ".gemini/settings.json",
    ".config/zed/settings.json",
    ".config/github-copilot/hosts.json",
    ".config/github-copilot/apps.json",
    ".config/goose/config.yaml",
];

pub fn collect(users: &Users, out: &mut Vec<Item>) {
    for h in &users.homes {
        in_home(h, CREDENTIALS, out);
        in_home(h, EDITORS, out);
    }
}
