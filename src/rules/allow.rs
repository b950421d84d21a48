//! Allowlists: per-rule and global exceptions by regex, stopword, path or commit.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::RuleError;
use super::fields::AllowFields;
use super::schema::AllowDef;

/// What an allowlist's regexes are matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegexTarget {
    Secret,
    Match,
    Line,
}

/// How an allowlist's criteria combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Any criterion suffices.
    Or,
    /// Every criterion that is given must hold.
    And,
}

/// The text around a candidate finding that allowlists look at.
pub struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: Option<&'a str>,
    pub commit: Option<&'a str>,
}

#[derive(Debug)]
pub struct Allowlist {
    pub description: Option<String>,
    condition: Condition,
    target: RegexTarget,
    regexes: Vec<LazyRegex>,
    /// Lower-cased.
    stopwords: Vec<String>,
    paths: Vec<LazyRegex>,
    commits: Vec<String>,
    /// For global allowlists: only these rule ids (empty = all rules).
    pub target_rules: Vec<String>,
}

/// An allowlist or rule path regex, compiled on first use: the built-in rules carry dozens,
/// and compiling them all took half of start-up. User ones are compiled at load (`eager`), so
/// a bad one is an error at start-up; built-in ones are compiled by `rules check` and the tests.
#[derive(Debug)]
pub struct LazyRegex {
    src: String,
    compiled: OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    pub fn new(src: &str, eager: bool) -> Result<LazyRegex, String> {
        let lazy = LazyRegex { src: src.to_string(), compiled: OnceLock::new() };
        if eager {
            lazy.get().as_ref().map_err(Clone::clone)?;
        }
        Ok(lazy)
    }

    fn get(&self) -> &Result<Regex, String> {
        self.compiled.get_or_init(|| super::compile_small(&self.src).map_err(|e| e.to_string()))
    }

    /// A regex that does not compile matches nothing (only possible for a built-in one, and
    /// `rules check` reports it).
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.get().as_ref().is_ok_and(|r| r.is_match(hay))
    }

    /// Why the regex does not compile, if it does not (compiling it now).
    pub fn error(&self) -> Option<&str> {
        self.get().as_ref().err().map(String::as_str)
    }
}

impl Allowlist {
    /// Builds an allowlist; `eager` compiles its regexes now (user configs), otherwise on
    /// first use.
    pub fn from_def(def: &AllowDef, context: &str, eager: bool) -> Result<Allowlist, RuleError> {
        Allowlist::from_fields(def, context, eager)
    }

    /// [`Allowlist::from_def`] from a parsed or a built-in definition.
    pub(crate) fn from_fields(def: &impl AllowFields, context: &str, eager: bool) -> Result<Allowlist, RuleError> {
        let condition = match def.condition().map(str::to_ascii_uppercase).as_deref() {
            None | Some("OR") => Condition::Or,
            Some("AND") => Condition::And,
            Some(other) => {
                return Err(RuleError::Invalid(format!("{context}: allowlist condition {other:?} is not OR or AND")));
            }
        };
        let target = match def.regex_target() {
            None | Some("secret") => RegexTarget::Secret,
            Some("match") => RegexTarget::Match,
            Some("line") => RegexTarget::Line,
            Some(other) => {
                return Err(RuleError::Invalid(format!(
                    "{context}: allowlist regexTarget {other:?} is not secret, match or line"
                )));
            }
        };
        let compile = |src: &str| {
            LazyRegex::new(src, eager)
                .map_err(|e| RuleError::Invalid(format!("{context}: allowlist regex {src:?}: {e}")))
        };
        Ok(Allowlist {
            description: def.description().map(str::to_string),
            condition,
            target,
            regexes: def.regexes().map(compile).collect::<Result<_, _>>()?,
            stopwords: def.stopwords().map(str::to_lowercase).collect(),
            paths: def.paths().map(compile).collect::<Result<_, _>>()?,
            commits: def.commits().map(str::to_string).collect(),
            target_rules: def.target_rules().map(str::to_string).collect(),
        })
    }

    /// Compiles every regex; the errors, one line each.
    pub fn errors(&self) -> Vec<String> {
        self.regexes
            .iter()
            .chain(&self.paths)
            .filter_map(|r| r.get().as_ref().err().map(|e| format!("allowlist regex {:?}: {e}", r.src)))
            .collect()
    }

    /// True when this allowlist suppresses the candidate.
    pub fn allows(&self, c: &Candidate<'_>) -> bool {
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        let mut checks: [Option<bool>; 4] = [None; 4];
        if !self.regexes.is_empty() {
            checks[0] = Some(self.regexes.iter().any(|r| r.is_match(target)));
        }
        if !self.stopwords.is_empty() {
            let lower = String::from_utf8_lossy(c.secret).to_lowercase();
            checks[1] = Some(self.stopwords.iter().any(|w| lower.contains(w.as_str())));
        }
        checks[2] = self.path_matches(c.path);
        if !self.commits.is_empty() {
            checks[3] = Some(c.commit.is_some_and(|id| self.commits.iter().any(|x| id.starts_with(x.as_str()))));
        }
        let mut given = checks.iter().flatten().peekable();
        if given.peek().is_none() {
            return false;
        }
        match self.condition {
            Condition::Or => given.any(|&b| b),
            Condition::And => given.all(|&b| b),
        }
    }

    /// Whether one of this allowlist's path regexes matches `path` (no path matches none);
    /// None when it has no path regex.
    pub fn path_matches(&self, path: Option<&str>) -> Option<bool> {
        (!self.paths.is_empty()).then(|| path.is_some_and(|p| self.paths.iter().any(|r| r.is_match(p.as_bytes()))))
    }

    /// True when this allowlist suppresses every finding in `commit` whatever its text: it
    /// lists the commit and needs nothing else (no other criterion, or criteria joined by OR).
    pub fn allows_commit(&self, commit: &str) -> bool {
        let listed = self.commits.iter().any(|x| !x.is_empty() && commit.starts_with(x.as_str()));
        let alone = self.regexes.is_empty() && self.stopwords.is_empty() && self.paths.is_empty();
        listed && (alone || self.condition == Condition::Or)
    }

    /// True when this allowlist applies to findings of `rule_id` (global allowlists may target rules).
    pub fn applies_to_rule(&self, rule_id: &str) -> bool {
        self.target_rules.is_empty() || self.target_rules.iter().any(|r| r == rule_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand<'a>(secret: &'a [u8], path: Option<&'a str>) -> Candidate<'a> {
        Candidate { secret, matched: secret, line: secret, path, commit: None }
    }

    #[test]
    fn or_and_conditions() {
        let def = AllowDef { stopwords: vec!["EXAMPLE".into()], paths: vec![r"\.lock$".into()], ..Default::default() };
        let or = Allowlist::from_def(&def, "t", true).unwrap();
        assert!(or.allows(&cand(b"myexamplekey", Some("a.txt"))));
        assert!(or.allows(&cand(b"realkey", Some("Cargo.lock"))));
        assert!(!or.allows(&cand(b"realkey", Some("a.txt"))));
        let and = Allowlist::from_def(&AllowDef { condition: Some("AND".into()), ..def }, "t", true).unwrap();
        assert!(!and.allows(&cand(b"myexamplekey", Some("a.txt"))));
        assert!(and.allows(&cand(b"myexamplekey", Some("Cargo.lock"))));
    }

    #[test]
    fn commit_allowlists_apply_alone_or_by_or() {
        let def = AllowDef { commits: vec!["abc123".into()], ..Default::default() };
        let a = Allowlist::from_def(&def, "t", true).unwrap();
        assert!(a.allows_commit("abc123def456"));
        assert!(!a.allows_commit("def456abc123"));
        let and = AllowDef { condition: Some("AND".into()), stopwords: vec!["x".into()], ..def };
        assert!(!Allowlist::from_def(&and, "t", true).unwrap().allows_commit("abc123def456"));
    }

    #[test]
    fn empty_allowlist_allows_nothing() {
        let a = Allowlist::from_def(&AllowDef::default(), "t", true).unwrap();
        assert!(!a.allows(&cand(b"x", Some("p"))));
    }

    #[test]
    fn bad_condition_is_an_error() {
        let def = AllowDef { condition: Some("XOR".into()), ..Default::default() };
        assert!(Allowlist::from_def(&def, "t", true).is_err());
    }
}
