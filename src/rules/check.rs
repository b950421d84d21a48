//! `rules check`: validates rules and runs their examples through the full engine.

use crate::engine::Engine;

/// One problem with one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    pub rule: String,
    pub file: String,
    pub message: String,
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks the rules whose ids `select` accepts: regex compiles, id is kebab-case, keywords
/// present (unless generic), >= 1 example and negative example; every example yields a
/// finding of its rule and no other specific rule's finding on the same secret; no negative
/// example yields a finding of its rule.
pub fn check(engine: &Engine, select: impl Fn(&str) -> bool) -> Vec<CheckFailure> {
    let rules = &engine.rules().rules;
    let mut out = Vec::new();
    for (idx, rule) in rules.iter().enumerate() {
        if !select(rule.id()) {
            continue;
        }
        let mut fail =
            |message: String| out.push(CheckFailure { rule: rule.id().to_string(), file: rule.file.clone(), message });
        if !is_kebab(rule.id()) {
            fail("id is not kebab-case".into());
        }
        if let Err(e) = rule.matcher() {
            fail(format!("regex does not compile: {e}"));
            continue;
        }
        for e in rule.allowlists.iter().flat_map(|a| a.errors()) {
            fail(e);
        }
        if let Some(e) = rule.path.as_ref().and_then(|p| p.error()) {
            fail(format!("path regex does not compile: {e}"));
        }
        if rule.info.keywords.is_empty() && !rule.generic {
            fail("no keywords (required unless generic = true)".into());
        }
        if rule.examples.is_empty() {
            fail("no examples".into());
        }
        if rule.negative_examples.is_empty() {
            fail("no negative_examples".into());
        }
        let example_path = rule.example_path.as_deref().unwrap_or("example.txt");
        for (n, ex) in rule.examples.iter().enumerate() {
            let found = engine.matches(ex.as_bytes(), Some(example_path));
            let own: Vec<_> = found.iter().filter(|m| m.rule as usize == idx).collect();
            if own.is_empty() {
                fail(format!("example {} does not match", n + 1));
                continue;
            }
            for other in found.iter().filter(|m| m.rule as usize != idx && !rules[m.rule as usize].generic) {
                if own.iter().any(|m| m.secret.start < other.secret.end && other.secret.start < m.secret.end) {
                    fail(format!(
                        "example {} is also reported by rule {:?}: two rules report the same secret",
                        n + 1,
                        rules[other.rule as usize].id()
                    ));
                }
            }
        }
        for (n, ex) in rule.negative_examples.iter().enumerate() {
            let found = engine.matches(ex.as_bytes(), Some(example_path));
            if found.iter().any(|m| m.rule as usize == idx) {
                fail(format!("negative example {} matches", n + 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab("openai-project-key"));
        assert!(!is_kebab("OpenAI"));
        assert!(!is_kebab("a_b"));
        assert!(!is_kebab("-a"));
    }
}
