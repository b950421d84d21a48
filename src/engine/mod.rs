//! The detection engine: keyword prefilter → regex → entropy → allowlists → dedup.

mod blocks;
mod examples;
pub mod gate;
mod literals;
mod pairs;
mod position;
mod prefilter;

use std::ops::Range;
use std::sync::Arc;

use memchr::memmem;

use crate::finding::Finding;
use crate::origin::Blob;
use crate::rules::{Candidate, Confidence, Rule, RuleSet, SecretGroup};
use crate::secret::shannon_entropy;

pub use gate::Gate;
pub use pairs::Pairs;
pub use position::{LineCol, resolve};
pub use prefilter::{LINE_REACH, MULTILINE_REACH, Prefilter, Window, line_around};

/// Comments that suppress a finding on their line.
pub const INLINE_IGNORES: [&str; 3] = ["keytrail:allow", "gitleaks:allow", "pragma: allowlist secret"];

/// A compiled rule set ready to scan blobs. Shareable across threads.
#[derive(Debug)]
pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    /// Findings less sure than this are dropped (`--confidence`).
    min_confidence: Confidence,
    /// Some rule is composite (`required`).
    composite: bool,
    /// Some rule is `skipReport`.
    unreported: bool,
    /// Per rule: its matches serve a composite rule (`required` or `skipReport`), so they
    /// are kept past the confidence floor until the composite rules are judged.
    serves_composite: Vec<bool>,
    pairs: Pairs,
    /// Every path regex a scan consults: rules' and their allowlists', then the global
    /// allowlists' (see [`Engine::same_findings_at`]).
    path_checks: Vec<PathCheck>,
}

/// One path regex of a rule set: a rule's path filter, a rule's allowlist, a global one.
#[derive(Debug, Clone, Copy)]
enum PathCheck {
    Rule(u32),
    RuleAllowlist(u32, u32),
    Global(u32),
}

/// The most lines a match of a non-block rule is taken to span: a name and its value
/// across a line break (`KEY:\n  value`, a `curl` command continued with `\`).
pub const ASSIGNMENT_LINES: u32 = 10;

/// A match before positions are resolved: rule index and byte ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawMatch {
    pub rule: u32,
    pub secret: Range<usize>,
    pub matched: Range<usize>,
    pub confidence: Confidence,
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        let prefilter = Prefilter::new(&rules);
        let composite = rules.rules.iter().any(|r| !r.required.is_empty());
        let unreported = rules.rules.iter().any(|r| r.skip_report);
        let pairs = Pairs::new(&rules);
        let required: std::collections::HashSet<&str> =
            rules.rules.iter().flat_map(|r| r.required.iter().map(|q| q.id.as_str())).collect();
        let serves_composite: Vec<bool> =
            rules.rules.iter().map(|r| r.skip_report || required.contains(r.id())).collect();
        drop(required);
        let mut path_checks = Vec::new();
        for (r, rule) in rules.rules.iter().enumerate() {
            if rule.path.is_some() {
                path_checks.push(PathCheck::Rule(r as u32));
            }
            for (a, list) in rule.allowlists.iter().enumerate() {
                if list.path_matches(None).is_some() {
                    path_checks.push(PathCheck::RuleAllowlist(r as u32, a as u32));
                }
            }
        }
        for (a, list) in rules.global_allowlists.iter().enumerate() {
            if list.path_matches(None).is_some() {
                path_checks.push(PathCheck::Global(a as u32));
            }
        }
        Engine {
            rules,
            prefilter,
            min_confidence: Confidence::Low,
            composite,
            unreported,
            serves_composite,
            pairs,
            path_checks,
        }
    }

    /// Drops findings less sure than `floor` (the default engine keeps every finding).
    pub fn with_min_confidence(mut self, floor: Confidence) -> Engine {
        self.min_confidence = floor;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn prefilter(&self) -> &Prefilter {
        &self.prefilter
    }

    /// Scans one blob and returns its findings, positioned and deduplicated, each with the
    /// other parts of its credential found near it.
    pub fn scan(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let path = blob.origin.allowlist_path();
        let mut raw = self.matches(blob.bytes, path.as_deref());
        if !self.pairs.any() || !raw.iter().any(|m| self.pairs.has_partners(m.rule)) {
            self.drop_unreported(&mut raw);
            return self.to_findings(blob, raw);
        }
        let of: Vec<u32> = raw.iter().map(|m| m.rule).collect();
        let mut found = self.to_findings(blob, raw);
        self.pairs.link(&of, &mut found);
        let rules = &self.rules.rules;
        found.into_iter().zip(of).filter(|(_, r)| !rules[*r as usize].skip_report).map(|(f, _)| f).collect()
    }

    /// Some(n) when every finding in a blob at `path` is decided by its own lines and the
    /// `n` lines around it: its partners' reach, and [`ASSIGNMENT_LINES`] for the rules whose
    /// match may cross a line break. None when a rule looks further: composite rules, and
    /// rules with no keywords (which run over the whole blob) where their path applies.
    /// Block rules (PEM): see [`Engine::may_span_lines`].
    pub fn line_reach(&self, path: Option<&str>) -> Option<u32> {
        let applies = |r: u32| self.applies(r, path);
        (!self.composite && self.prefilter.line_local(applies)).then(|| self.pairs.reach().max(ASSIGNMENT_LINES))
    }

    /// True when the same bytes give the same findings at path `a` as at path `b` (no path:
    /// an unreachable blob): every path regex of the rules and allowlists matches both or
    /// neither, and the value gate reads both alike. Nothing else a scan does reads the path.
    pub fn same_findings_at(&self, a: Option<&str>, b: Option<&str>) -> bool {
        if a == b {
            return true;
        }
        if gate::path_facts(a) != gate::path_facts(b) {
            return false;
        }
        let rules = &self.rules.rules;
        self.path_checks.iter().all(|&c| match c {
            PathCheck::Rule(r) => self.applies(r, a) == self.applies(r, b),
            PathCheck::RuleAllowlist(r, i) => {
                let list = &rules[r as usize].allowlists[i as usize];
                list.path_matches(a) == list.path_matches(b)
            }
            PathCheck::Global(i) => {
                let list = &self.rules.global_allowlists[i as usize];
                list.path_matches(a) == list.path_matches(b)
            }
        })
    }

    /// True when rule `r` applies to a blob at `path` (it has no path filter, or it matches).
    fn applies(&self, r: u32, path: Option<&str>) -> bool {
        match &self.rules.rules[r as usize].path {
            None => true,
            Some(re) => path.is_some_and(|p| re.is_match(p.as_bytes())),
        }
    }

    /// True when `hay` may hold a finding that spans many lines (a block rule's keyword).
    pub fn may_span_lines(&self, hay: &[u8]) -> bool {
        self.prefilter.may_span_lines(hay)
    }

    /// True when an allowlist drops every finding of `rule_id` in `commit` (gitleaks'
    /// allowlist `commits`, applied to git history).
    pub fn allows_commit(&self, rule_id: &str, commit: &str) -> bool {
        let rule_lists = self.rules.rules.iter().filter(|r| r.id() == rule_id).flat_map(|r| r.allowlists.iter());
        let global = self.rules.global_allowlists.iter().filter(|a| a.applies_to_rule(rule_id));
        rule_lists.chain(global).any(|a| a.allows_commit(commit))
    }

    /// Findings of the path-only rules alone (for binary blobs, whose content is not read).
    pub fn scan_path_only(&self, blob: &Blob<'_>) -> Vec<Finding> {
        let path = blob.origin.allowlist_path();
        let mut raw = self.path_only(path.as_deref());
        raw.retain(|m| !self.rules.rules[m.rule as usize].skip_report);
        self.to_findings(blob, raw)
    }

    /// gitleaks path-only rules whose path regex matches `path`: the file itself is the finding.
    fn path_only(&self, path: Option<&str>) -> Vec<RawMatch> {
        let Some(path) = path else { return Vec::new() };
        let rules = &self.rules.rules;
        (0..rules.len() as u32)
            .filter(|&i| {
                let rule = &rules[i as usize];
                rule.regex_src.is_none() && rule.path.as_ref().is_some_and(|re| re.is_match(path.as_bytes()))
            })
            .map(|rule| RawMatch {
                rule,
                secret: 0..0,
                matched: 0..0,
                confidence: rules[rule as usize].info.confidence,
            })
            .collect()
    }

    /// Scans bytes and returns raw matches (after entropy, allowlists, inline ignores and dedup).
    pub fn scan_raw(&self, hay: &[u8], path: Option<&str>) -> Vec<RawMatch> {
        let mut out = self.matches(hay, path);
        self.drop_unreported(&mut out);
        out
    }

    /// Drops the matches of `skipReport` rules.
    fn drop_unreported(&self, ms: &mut Vec<RawMatch>) {
        if self.unreported {
            ms.retain(|m| !self.rules.rules[m.rule as usize].skip_report);
        }
    }

    /// [`Engine::scan_raw`], keeping the matches of `skipReport` rules (which serve
    /// composite rules and partners; `rules check` tests their examples).
    pub fn matches(&self, hay: &[u8], path: Option<&str>) -> Vec<RawMatch> {
        let rules = &self.rules.rules;
        let applies = |r: u32| self.applies(r, path);
        let mut out = self.path_only(path);
        let mut windows = Vec::new();
        self.prefilter.windows(hay, applies, &mut windows);
        for w in &windows {
            let rule = &rules[w.rule as usize];
            let Ok(Some(m)) = rule.matcher() else {
                debug_assert!(false, "rule {} failed to compile", rule.id());
                continue;
            };
            let text = &hay[w.range.clone()];
            let base = w.range.start;
            if let Some(g) = rule.gate {
                self.scan_gated(rule, g, w.rule, m, hay, base..w.range.end, path, &mut out);
                continue;
            }
            for caps in m.regex.captures_iter(text) {
                let Some(all) = caps.get(0) else { continue };
                let group = match m.group {
                    SecretGroup::Named => caps.name("secret"),
                    SecretGroup::Index(g) => caps.get(g),
                };
                let Some(secret) = group else { continue };
                if secret.is_empty() {
                    continue;
                }
                let cand = RawMatch {
                    rule: w.rule,
                    secret: base + secret.start()..base + secret.end(),
                    matched: base + all.start()..base + all.end(),
                    confidence: rule.info.confidence,
                };
                if self.keep(rule, hay, &cand, path) {
                    out.push(cand);
                }
            }
        }
        let floor = self.min_confidence;
        out.retain(|m| m.confidence >= floor || self.serves_composite[m.rule as usize]);
        dedup(&mut out, rules);
        if self.composite {
            composite(hay, &mut out, rules);
            out.retain(|m| m.confidence >= floor);
        }
        out
    }

    /// Runs a gated rule's regex over `window`: each match's value is judged by the gate, and
    /// the search goes on past the value it read.
    #[allow(clippy::too_many_arguments)]
    fn scan_gated(
        &self,
        rule: &Rule,
        g: Gate,
        idx: u32,
        m: &crate::rules::Matcher,
        hay: &[u8],
        window: Range<usize>,
        path: Option<&str>,
        out: &mut Vec<RawMatch>,
    ) {
        let base = window.start;
        let text = &hay[window];
        let mut at = 0;
        while at <= text.len() {
            // The match alone (no groups, a quicker search) may settle it: a value that every
            // name would see refused.
            if g == Gate::Assignment {
                let Some(found) = m.regex.find_at(text, at) else { break };
                if gate::refused_whatever_the_name(g, text, found.end(), path) {
                    at = found.end().max(found.start() + 1);
                    continue;
                }
                at = found.start();
            }
            let Some(caps) = m.regex.captures_at(text, at) else { break };
            let Some(all) = caps.get(0) else { break };
            let mut resume = all.end();
            let judged = gate::judge(g, &caps, text, path, &mut resume);
            // A rejected value that is a bare name (`key="ApiKey" value=...`) may begin the
            // next assignment: search on from the match, not past the value.
            if judged.is_none() && resume > all.end() && gate::name_like(&text[all.end()..resume]) {
                resume = all.end();
            }
            at = resume.max(all.end()).max(all.start() + 1);
            let Some(v) = judged else { continue };
            let cand = RawMatch {
                rule: idx,
                secret: base + v.secret.start..base + v.secret.end,
                matched: base + all.start()..base + v.secret.end.max(all.end()),
                confidence: v.confidence,
            };
            if self.keep(rule, hay, &cand, path) {
                out.push(cand);
            }
        }
    }

    fn keep(&self, rule: &Rule, hay: &[u8], m: &RawMatch, path: Option<&str>) -> bool {
        let secret = &hay[m.secret.clone()];
        // a composite rule's part is an id next to the key: sample-shaped ids are common
        if !self.serves_composite[m.rule as usize] && examples::is_public_example(secret) {
            return false;
        }
        if let Some(min) = rule.entropy
            && shannon_entropy(secret) < min
        {
            return false;
        }
        let line = &hay[line_around(hay, m.matched.start, m.matched.end)];
        if INLINE_IGNORES.iter().any(|tag| memmem::find(line, tag.as_bytes()).is_some()) {
            return false;
        }
        let cand = Candidate { secret, matched: &hay[m.matched.clone()], line, path, commit: None };
        if rule.allowlists.iter().any(|a| a.allows(&cand)) {
            return false;
        }
        !self.rules.global_allowlists.iter().any(|a| a.applies_to_rule(rule.id()) && a.allows(&cand))
    }

    /// Resolves positions and builds findings for `raw` matches in `blob`.
    pub fn to_findings(&self, blob: &Blob<'_>, raw: Vec<RawMatch>) -> Vec<Finding> {
        let hits = raw
            .into_iter()
            .map(|m| (Arc::clone(&self.rules.rules[m.rule as usize].info), m.secret, m.confidence))
            .collect();
        Finding::locate_all(blob, hits)
    }
}

/// gitleaks composite rules: a match of a rule with `required` rules stays only when each
/// of them matched near it (within its lines and columns, when given).
fn composite(hay: &[u8], ms: &mut Vec<RawMatch>, rules: &[Rule]) {
    // (line, column) of a byte offset, both 0-based; columns count bytes.
    let at = |off: usize| {
        let before = &hay[..off.min(hay.len())];
        let line = memchr::memchr_iter(b'\n', before).count();
        let col = before.len() - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        (line as i64, col as i64)
    };
    let all = ms.clone();
    ms.retain(|m| {
        let rule = &rules[m.rule as usize];
        if rule.required.is_empty() {
            return true;
        }
        let (line, col) = at(m.matched.start);
        rule.required.iter().all(|req| {
            all.iter().any(|o| {
                if rules[o.rule as usize].id() != req.id {
                    return false;
                }
                let (l, c) = at(o.matched.start);
                req.within_lines.is_none_or(|n| (l - line).abs() <= n as i64)
                    && req.within_columns.is_none_or(|n| (c - col).abs() <= n as i64)
            })
        })
    });
}

/// Drops repeated (rule, span) matches, generic-rule matches whose secret overlaps a
/// specific rule's secret, and of overlapping generic matches all but the surest.
fn dedup(ms: &mut Vec<RawMatch>, rules: &[Rule]) {
    ms.sort_unstable_by_key(|m| (m.secret.start, m.secret.end, m.rule));
    ms.dedup_by(|a, b| a.rule == b.rule && a.secret == b.secret);
    let specific: Vec<Range<usize>> =
        ms.iter().filter(|m| !rules[m.rule as usize].generic).map(|m| m.secret.clone()).collect();
    if specific.len() == ms.len() {
        return;
    }
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    ms.retain(|m| !rules[m.rule as usize].generic || !specific.iter().any(|s| overlaps(s, &m.secret)));
    let generic: Vec<(Range<usize>, Confidence, usize)> = ms
        .iter()
        .enumerate()
        .filter(|(_, m)| rules[m.rule as usize].generic)
        .map(|(i, m)| (m.secret.clone(), m.confidence, i))
        .collect();
    let mut i = 0;
    ms.retain(|m| {
        let me = i;
        i += 1;
        !rules[m.rule as usize].generic
            || !generic.iter().any(|(r, c, j)| {
                *j != me && overlaps(r, &m.secret) && (*c > m.confidence || (*c == m.confidence && *j < me))
            })
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleOptions, load_rules};

    /// Paths give the same findings when every path regex and the value gate read them
    /// alike: a rule's path filter, a rule's and a global allowlist's paths, code, test code.
    #[test]
    fn paths_alike_for_every_rule() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.toml");
        std::fs::write(
            &config,
            "[extend]\nuseDefault = true\n\
             [[rules]]\nid = \"env-only\"\nregex = '''ENVONLY_[A-Z0-9]{20}'''\npath = '''\\.env$'''\nkeywords = [\"envonly_\"]\n\
             [[rules]]\nid = \"not-in-vendor\"\nregex = '''NOVENDOR_[A-Z0-9]{20}'''\nkeywords = [\"novendor_\"]\n\
             [rules.allowlist]\npaths = ['''^vendor/''']\n\
             [allowlist]\npaths = ['''^third_party/''']\n",
        )
        .unwrap();
        let engine = Engine::new(load_rules(&RuleOptions { config: Some(config), ..Default::default() }).unwrap());
        let same = |a: Option<&str>, b: Option<&str>| engine.same_findings_at(a, b);
        assert!(same(Some("docs/a.txt"), Some("notes/b.md")));
        assert!(same(None, Some("docs/a.txt")), "a path nothing reads is as good as none");
        assert!(same(Some("app/a.py"), Some("lib/b.py")));
        assert!(!same(None, Some("app/a.py")), "code: a bare value is an expression");
        assert!(!same(Some("app/a.py"), Some("tests/a.py")), "test code");
        assert!(!same(Some("app/a.py"), Some("app/a.rs")), "' quotes a character");
        assert!(!same(Some("conf/a.txt"), Some("conf/.env")), "a rule's path filter");
        assert!(!same(Some("conf/a.txt"), Some("vendor/a.txt")), "a rule's allowlist");
        assert!(!same(Some("conf/a.txt"), Some("third_party/a.txt")), "a global allowlist");
        assert!(!same(Some("a/Cargo.lock"), Some("a/Cargo.toml")), "a file the gate skips");
    }
}
