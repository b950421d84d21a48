//! What building a rule reads from its definition: the same for a parsed and a built-in one.

use std::borrow::Cow;

use super::builtin::{BuiltinAllow, BuiltinDef, Str};
use super::schema::{AllowDef, RuleDef};

/// A rule definition's fields, borrowed (see [`super::load::build_rule`]).
pub(super) trait RuleFields {
    type Allow: AllowFields;
    fn id(&self) -> &str;
    fn name(&self) -> Option<&str>;
    fn description(&self) -> Option<&str>;
    fn provider(&self) -> Option<&str>;
    fn severity(&self) -> Option<&str>;
    fn revoke(&self) -> Option<&str>;
    fn regex(&self) -> Option<&str>;
    /// The regex, kept as it is when it lives as long as the program.
    fn regex_src(&self) -> Option<Cow<'static, str>>;
    fn secret_group(&self) -> Option<usize>;
    fn entropy(&self) -> Option<f64>;
    fn keywords(&self) -> impl Iterator<Item = &str>;
    fn path(&self) -> Option<&str>;
    fn tags(&self) -> impl Iterator<Item = &str>;
    /// `allowlist` then `allowlists`.
    fn allowlists(&self) -> impl Iterator<Item = &Self::Allow>;
    /// For definitions whose allowlists other rules share: an id of the shared list.
    fn shared_allowlists(&self) -> Option<usize> {
        None
    }
    fn examples(&self) -> impl Iterator<Item = &str>;
    fn negative_examples(&self) -> impl Iterator<Item = &str>;
    fn multiline(&self) -> bool;
    fn generic(&self) -> bool;
    fn confidence(&self) -> Option<&str>;
    fn gate(&self) -> Option<&str>;
    fn example_path(&self) -> Option<&str>;
    /// (rule id, within lines, within columns).
    fn required(&self) -> impl Iterator<Item = (&str, Option<u32>, Option<u32>)>;
    fn skip_report(&self) -> Option<bool>;
    fn partners(&self) -> impl Iterator<Item = &str>;
    fn partner_lines(&self) -> Option<u32>;
}

/// An allowlist definition's fields, borrowed.
pub(crate) trait AllowFields {
    fn description(&self) -> Option<&str>;
    fn condition(&self) -> Option<&str>;
    fn regex_target(&self) -> Option<&str>;
    fn regexes(&self) -> impl Iterator<Item = &str>;
    fn stopwords(&self) -> impl Iterator<Item = &str>;
    fn paths(&self) -> impl Iterator<Item = &str>;
    fn commits(&self) -> impl Iterator<Item = &str>;
    fn target_rules(&self) -> impl Iterator<Item = &str>;
}

fn strs(v: &[String]) -> impl Iterator<Item = &str> {
    v.iter().map(String::as_str)
}

impl RuleFields for RuleDef {
    type Allow = AllowDef;
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    fn provider(&self) -> Option<&str> {
        self.provider.as_deref()
    }
    fn severity(&self) -> Option<&str> {
        self.severity.as_deref()
    }
    fn revoke(&self) -> Option<&str> {
        self.revoke.as_deref()
    }
    fn regex(&self) -> Option<&str> {
        self.regex.as_deref()
    }
    fn regex_src(&self) -> Option<Cow<'static, str>> {
        self.regex.clone().map(Cow::Owned)
    }
    fn secret_group(&self) -> Option<usize> {
        self.secret_group
    }
    fn entropy(&self) -> Option<f64> {
        self.entropy
    }
    fn keywords(&self) -> impl Iterator<Item = &str> {
        strs(&self.keywords)
    }
    fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
    fn tags(&self) -> impl Iterator<Item = &str> {
        strs(&self.tags)
    }
    fn allowlists(&self) -> impl Iterator<Item = &AllowDef> {
        self.allowlist.iter().chain(&self.allowlists)
    }
    fn examples(&self) -> impl Iterator<Item = &str> {
        strs(&self.examples)
    }
    fn negative_examples(&self) -> impl Iterator<Item = &str> {
        strs(&self.negative_examples)
    }
    fn multiline(&self) -> bool {
        self.multiline
    }
    fn generic(&self) -> bool {
        self.generic
    }
    fn confidence(&self) -> Option<&str> {
        self.confidence.as_deref()
    }
    fn gate(&self) -> Option<&str> {
        self.gate.as_deref()
    }
    fn example_path(&self) -> Option<&str> {
        self.example_path.as_deref()
    }
    fn required(&self) -> impl Iterator<Item = (&str, Option<u32>, Option<u32>)> {
        self.required.iter().map(|r| (r.id.as_str(), r.within_lines, r.within_columns))
    }
    fn skip_report(&self) -> Option<bool> {
        self.skip_report
    }
    fn partners(&self) -> impl Iterator<Item = &str> {
        strs(&self.partners)
    }
    fn partner_lines(&self) -> Option<u32> {
        self.partner_lines
    }
}

fn get(s: Option<Str>) -> Option<&'static str> {
    s.map(Str::get)
}

impl RuleFields for BuiltinDef {
    type Allow = BuiltinAllow;
    fn id(&self) -> &str {
        self.id.get()
    }
    fn name(&self) -> Option<&str> {
        get(self.name)
    }
    fn description(&self) -> Option<&str> {
        get(self.description)
    }
    fn provider(&self) -> Option<&str> {
        get(self.provider)
    }
    fn severity(&self) -> Option<&str> {
        get(self.severity)
    }
    fn revoke(&self) -> Option<&str> {
        get(self.revoke)
    }
    fn regex(&self) -> Option<&str> {
        get(self.regex)
    }
    fn regex_src(&self) -> Option<Cow<'static, str>> {
        get(self.regex).map(Cow::Borrowed)
    }
    fn secret_group(&self) -> Option<usize> {
        self.secret_group
    }
    fn entropy(&self) -> Option<f64> {
        self.entropy
    }
    fn keywords(&self) -> impl Iterator<Item = &str> {
        self.keywords.iter()
    }
    fn path(&self) -> Option<&str> {
        get(self.path)
    }
    fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter()
    }
    fn allowlists(&self) -> impl Iterator<Item = &BuiltinAllow> {
        BuiltinDef::allowlists(self).iter()
    }
    fn shared_allowlists(&self) -> Option<usize> {
        (self.allowlists.1 > 0).then_some(self.allowlists.0 as usize)
    }
    fn examples(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }
    fn negative_examples(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }
    fn multiline(&self) -> bool {
        self.multiline
    }
    fn generic(&self) -> bool {
        self.generic
    }
    fn confidence(&self) -> Option<&str> {
        get(self.confidence)
    }
    fn gate(&self) -> Option<&str> {
        get(self.gate)
    }
    fn example_path(&self) -> Option<&str> {
        get(self.example_path)
    }
    fn required(&self) -> impl Iterator<Item = (&str, Option<u32>, Option<u32>)> {
        BuiltinDef::required(self).iter().map(|r| (r.id.get(), r.within_lines, r.within_columns))
    }
    fn skip_report(&self) -> Option<bool> {
        self.skip_report
    }
    fn partners(&self) -> impl Iterator<Item = &str> {
        self.partners.iter()
    }
    fn partner_lines(&self) -> Option<u32> {
        self.partner_lines
    }
}

impl AllowFields for AllowDef {
    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    fn condition(&self) -> Option<&str> {
        self.condition.as_deref()
    }
    fn regex_target(&self) -> Option<&str> {
        self.regex_target.as_deref()
    }
    fn regexes(&self) -> impl Iterator<Item = &str> {
        strs(&self.regexes)
    }
    fn stopwords(&self) -> impl Iterator<Item = &str> {
        strs(&self.stopwords)
    }
    fn paths(&self) -> impl Iterator<Item = &str> {
        strs(&self.paths)
    }
    fn commits(&self) -> impl Iterator<Item = &str> {
        strs(&self.commits)
    }
    fn target_rules(&self) -> impl Iterator<Item = &str> {
        strs(&self.target_rules)
    }
}

impl AllowFields for BuiltinAllow {
    fn description(&self) -> Option<&str> {
        get(self.description)
    }
    fn condition(&self) -> Option<&str> {
        get(self.condition)
    }
    fn regex_target(&self) -> Option<&str> {
        get(self.regex_target)
    }
    fn regexes(&self) -> impl Iterator<Item = &str> {
        self.regexes.iter()
    }
    fn stopwords(&self) -> impl Iterator<Item = &str> {
        self.stopwords.iter()
    }
    fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter()
    }
    fn commits(&self) -> impl Iterator<Item = &str> {
        self.commits.iter()
    }
    fn target_rules(&self) -> impl Iterator<Item = &str> {
        self.target_rules.iter()
    }
}
