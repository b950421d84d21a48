//! The `[validate]` table of `.keytrail.toml`: gateway base URLs and hosts allowed for base
//! URLs found beside keys.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ValidateError;

/// `[validate]` in `.keytrail.toml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValidateConfig {
    /// OpenAI-compatible gateway base URLs (`https://gw.example.com/v1`).
    pub base_urls: Vec<String>,
    /// Hosts whose URLs found in the same file as a key may be used as its base URL.
    pub allow_hosts: Vec<String>,
    /// Requests in flight at once (default 8).
    pub concurrency: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct File {
    validate: Option<ValidateConfig>,
}

/// Reads `[validate]` from `explicit` (`--config`), else from `.keytrail.toml` in `root`.
pub fn load(explicit: Option<&Path>, root: Option<&Path>) -> Result<ValidateConfig, ValidateError> {
    let path: PathBuf = match (explicit, root) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(r)) => r.join(".keytrail.toml"),
        (None, None) => PathBuf::from(".keytrail.toml"),
    };
    if explicit.is_none() && !path.is_file() {
        return Ok(ValidateConfig::default());
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| ValidateError::Io { path: shown.clone(), source })?;
    let file: File = toml::from_str(&text)
        .map_err(|e| ValidateError::Config { path: shown.clone(), message: e.message().to_string() })?;
    Ok(file.validate.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_table_and_rejects_typos() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".keytrail.toml"), "[validate]\nbase_urls = [\"https://gw.example.com/v1\"]\n")
            .unwrap();
        assert_eq!(load(None, Some(dir.path())).unwrap().base_urls, vec!["https://gw.example.com/v1"]);
        std::fs::write(dir.path().join(".keytrail.toml"), "[validate]\nbase_url = \"x\"\n").unwrap();
        assert!(load(None, Some(dir.path())).is_err());
        assert!(load(None, Some(&dir.path().join("none"))).unwrap().base_urls.is_empty());
    }
}
