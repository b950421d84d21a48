//! Credentials in parts: each finding is linked to the findings of its partner rules nearby.
//!
//! Some credentials only work together (an AWS access key id and its secret, a Twilio
//! account SID and its auth token, an Azure tenant, client id and client secret). A rule
//! names the rules of the other parts in `partners`; the link goes both ways, and two
//! findings are partners when at most `partner_lines` lines (the larger of the two rules'
//! reaches) separate them in the same blob. Each part is still its own finding; parts that
//! are identifiers rather than secrets (an Algolia application id) are `skipReport` rules,
//! seen only as the `related` parts of a secret.

use crate::finding::{Finding, Related};
use crate::rules::RuleSet;

/// For each rule (by index), its partner rules and how many lines apart they may be.
#[derive(Debug, Default)]
pub struct Pairs {
    partners: Vec<Vec<(u32, u32)>>,
    any: bool,
}

impl Pairs {
    pub fn new(set: &RuleSet) -> Pairs {
        let rules = &set.rules;
        let mut partners: Vec<Vec<(u32, u32)>> = vec![Vec::new(); rules.len()];
        for (i, rule) in rules.iter().enumerate() {
            for p in &rule.partners {
                // A partner that is disabled is simply absent.
                let Some(j) = rules.iter().position(|r| r.id() == p) else { continue };
                if i == j {
                    continue;
                }
                let reach = rule.partner_lines.max(rules[j].partner_lines);
                for (a, b) in [(i, j), (j, i)] {
                    match partners[a].iter_mut().find(|(r, _)| *r == b as u32) {
                        Some(slot) => slot.1 = slot.1.max(reach),
                        None => partners[a].push((b as u32, reach)),
                    }
                }
            }
        }
        let any = partners.iter().any(|p| !p.is_empty());
        Pairs { partners, any }
    }

    /// The most lines between two partners (0 without partners).
    pub fn reach(&self) -> u32 {
        self.partners.iter().flatten().map(|&(_, lines)| lines).max().unwrap_or(0)
    }

    /// True when some rule has partners.
    pub fn any(&self) -> bool {
        self.any
    }

    /// True when the rule at `index` has partners.
    pub fn has_partners(&self, index: u32) -> bool {
        self.partners.get(index as usize).is_some_and(|p| !p.is_empty())
    }

    /// Adds to each of `found` (the findings of one blob; `rules[i]` is the rule index of
    /// `found[i]`) the nearest finding of each partner rule within reach. A partner with the
    /// same secret (one value matched by two rules) is not a second part.
    pub fn link(&self, rules: &[u32], found: &mut [Finding]) {
        if !self.any || found.len() < 2 {
            return;
        }
        let mut links: Vec<(usize, usize)> = Vec::new();
        for (i, f) in found.iter().enumerate() {
            for &(partner, reach) in self.partners.get(rules[i] as usize).map_or(&[][..], |p| p.as_slice()) {
                let nearest = found
                    .iter()
                    .enumerate()
                    .filter(|&(j, g)| rules[j] == partner && g.digest != f.digest)
                    .map(|(j, g)| (j, g.span.line.abs_diff(f.span.line)))
                    .filter(|&(_, d)| d <= reach)
                    .min_by_key(|&(j, d)| (d, found[j].span.byte_start));
                if let Some((j, _)) = nearest {
                    links.push((i, j));
                }
            }
        }
        for (i, j) in links {
            let g = &found[j];
            let part = Related { rule: g.rule.clone(), secret: g.secret.clone(), digest: g.digest, span: g.span };
            found[i].related.push(part);
        }
        for f in found.iter_mut() {
            f.related.sort_by_key(|r| (r.span.line.abs_diff(f.span.line), r.span.byte_start));
        }
    }
}
