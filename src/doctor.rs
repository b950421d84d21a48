//! `keytrail doctor`: why a pasted key gets a 401 — stray characters, prefixes, look-alike
//! characters, length and alphabet against the format of the rule it resembles — and, with a
//! base URL, what the gateway's answer means. Reports positions and kinds, never the key.

use crate::Engine;
use crate::secret::{Digest, redact};
use crate::validate::http::{self, Client, NetError, Request};
use crate::validate::{Status, gateway, recognise};

/// One thing wrong with the pasted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub what: String,
    pub fix: String,
}

/// What doctor found about a key.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub problems: Vec<Problem>,
    /// Facts that are not problems (the rule it matches, its length).
    pub notes: Vec<String>,
    /// The key with the problems above removed (never printed).
    pub cleaned: String,
    /// Built-in rules matching all of the cleaned key.
    pub rules: Vec<String>,
}

impl Diagnosis {
    /// `sk-p…AbCd` — what to give support.
    pub fn redacted(&self) -> String {
        redact(&self.cleaned)
    }

    pub fn digest(&self) -> Digest {
        Digest::of(self.cleaned.as_bytes())
    }
}

const ZERO_WIDTH: &[(char, &str)] = &[
    ('\u{200B}', "zero-width space (U+200B)"),
    ('\u{200C}', "zero-width non-joiner (U+200C)"),
    ('\u{200D}', "zero-width joiner (U+200D)"),
    ('\u{2060}', "word joiner (U+2060)"),
    ('\u{00AD}', "soft hyphen (U+00AD)"),
    ('\u{FEFF}', "zero-width no-break space (U+FEFF)"),
];
const NBSP: &[char] = &['\u{00A0}', '\u{202F}', '\u{2007}'];
const SMART_QUOTES: &[char] = &[
    '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{201C}', '\u{201D}', '\u{201E}', '\u{00AB}', '\u{00BB}',
    '\u{2032}', '\u{2033}',
];

fn positions(text: &str, pred: impl Fn(char) -> bool) -> Vec<usize> {
    text.chars().enumerate().filter(|(_, c)| pred(*c)).map(|(i, _)| i + 1).collect()
}

fn at(pos: &[usize]) -> String {
    let shown: Vec<String> = pos.iter().take(5).map(|p| p.to_string()).collect();
    let more = if pos.len() > 5 { format!(" and {} more", pos.len() - 5) } else { String::new() };
    format!("at character{} {}{more}", if pos.len() == 1 { "" } else { "s" }, shown.join(", "))
}

/// Examines a key exactly as pasted.
pub fn examine(raw: &str, engine: &Engine) -> Diagnosis {
    let mut problems = Vec::new();
    let mut p = |what: String, fix: &str| problems.push(Problem { what, fix: fix.to_string() });
    let mut k = raw.to_string();
    if k.starts_with('\u{FEFF}') {
        p(
            "starts with a byte order mark (U+FEFF), invisible in most editors".into(),
            "save the file as UTF-8 without BOM, or retype the first character",
        );
        k = k.trim_start_matches('\u{FEFF}').to_string();
    }
    for (c, name) in ZERO_WIDTH {
        let pos = positions(&k, |x| x == *c);
        if !pos.is_empty() {
            p(
                format!("holds a {name} {}", at(&pos)),
                "copy the key again from the provider's console, or delete the invisible character",
            );
        }
    }
    k.retain(|c| !ZERO_WIDTH.iter().any(|(z, _)| *z == c));
    let nb = positions(&k, |c| NBSP.contains(&c));
    if !nb.is_empty() {
        p(format!("holds a no-break space (U+00A0 or similar) {}", at(&nb)), "delete it: keys never hold spaces");
        k.retain(|c| !NBSP.contains(&c));
    }
    let sq = positions(&k, |c| SMART_QUOTES.contains(&c));
    if !sq.is_empty() {
        p(
            format!("holds typographic (smart) quotes {}", at(&sq)),
            "an editor or chat app replaced plain quotes: remove them",
        );
        k.retain(|c| !SMART_QUOTES.contains(&c));
    }
    let crs = k.matches('\r').count();
    let lfs = k.matches('\n').count();
    if crs + lfs > 0 {
        let n = crs + lfs;
        let kind = match (crs > 0, n == 1) {
            (true, true) => "carriage return (\\r: a Windows CRLF line ending)",
            (true, false) => "carriage returns and line breaks (\\r\\n: Windows CRLF line endings)",
            (false, true) => "line break (\\n)",
            (false, false) => "line breaks (\\n)",
        };
        p(format!("holds {n} {kind}"), "the key must be one line: remove the line breaks (or the file's CRLF endings)");
    }
    let trimmed = k.trim_matches(|c: char| c.is_whitespace());
    let (lead, trail) = (k.len() - k.trim_start().len(), k.len() - k.trim_end().len());
    if lead > 0 || trail > 0 {
        p(
            format!("{lead} leading and {trail} trailing whitespace characters"),
            "trim the key: many servers compare it byte for byte",
        );
    }
    k = trimmed.to_string();
    // Prefixes pasted with the key.
    loop {
        let before = k.clone();
        let lower = k.to_ascii_lowercase();
        if lower.starts_with("authorization:") {
            p("starts with an `Authorization:` header name".into(), "give the key alone; the client adds the header");
            k = k[14..].trim().to_string();
        } else if lower.starts_with("bearer ") {
            p(
                "starts with `Bearer `".into(),
                "give the key alone: clients add `Bearer ` themselves, so it is sent twice",
            );
            k = k[7..].trim().to_string();
        } else if lower.starts_with("export ") {
            p("starts with a shell `export `".into(), "give the value alone");
            k = k[7..].trim().to_string();
        } else if let Some(eq) = k.find('=').filter(|&i| {
            i > 0
                && k[..i].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && k[..i].bytes().any(|b| b.is_ascii_uppercase())
        }) {
            p(format!("starts with a variable assignment ({}=)", &k[..eq]), "give the value alone");
            k = k[eq + 1..].trim().to_string();
        }
        for q in ['"', '\'', '`'] {
            if k.len() >= 2 && k.starts_with(q) && k.ends_with(q) {
                p(format!("wrapped in {q} quotes"), "remove the quotes: they become part of the key");
                k = k[1..k.len() - 1].trim().to_string();
            }
        }
        if k == before {
            break;
        }
    }
    let inner = positions(&k, |c| c.is_whitespace());
    if !inner.is_empty() {
        p(
            format!("holds whitespace inside the key {}", at(&inner)),
            "a key wrapped over lines or split by a paste: join the parts",
        );
        k.retain(|c| !c.is_whitespace());
    }
    let foreign = positions(&k, |c| !c.is_ascii());
    if !foreign.is_empty() {
        p(
            format!("holds non-ASCII characters {} (look-alikes such as Cyrillic letters?)", at(&foreign)),
            "keys are ASCII: retype those characters",
        );
    }
    let rules = recognise(k.as_bytes(), engine);
    let mut notes = Vec::new();
    let set = engine.rules();
    if let Some(id) = rules.first() {
        let name = set.get(id).map(|r| r.info.name.as_str()).unwrap_or(id);
        notes.push(format!("recognised as {name} [{id}], {} characters", k.chars().count()));
    } else {
        shape_problems(&k, engine, &mut problems, &mut notes);
    }
    Diagnosis { problems, notes, cleaned: k, rules }
}

/// The secrets of a rule's examples.
fn example_secrets(engine: &Engine, index: usize) -> Vec<Vec<u8>> {
    let rule = &engine.rules().rules[index];
    let mut out = Vec::new();
    for ex in &rule.examples {
        for m in engine.scan_raw(ex.as_bytes(), None) {
            if m.rule as usize == index {
                out.push(ex.as_bytes()[m.secret].to_vec());
            }
        }
    }
    out
}

/// For a key no rule matches: the rules whose prefix it has, and why it misses their format.
fn shape_problems(k: &str, engine: &Engine, problems: &mut Vec<Problem>, notes: &mut Vec<String>) {
    let set = engine.rules();
    let lower = k.to_ascii_lowercase();
    let mut candidates: Vec<(usize, usize)> = set
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.generic && r.regex_src.is_some())
        .filter_map(|(i, r)| {
            r.info
                .keywords
                .iter()
                .filter(|kw| kw.len() >= 3 && lower.starts_with(&kw.to_ascii_lowercase()))
                .map(|kw| kw.len())
                .max()
                .map(|n| (i, n))
        })
        .collect();
    candidates.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let Some(&(best, _)) = candidates.first() else {
        notes.push("no built-in rule recognises it, and it starts with no known key prefix".into());
        return;
    };
    let rule = &set.rules[best];
    let examples = example_secrets(engine, best);
    let mut what = format!("starts like a {} [{}] but does not match its format", rule.info.name, rule.id());
    let n = k.chars().count();
    let lens: Vec<usize> = examples.iter().map(|e| String::from_utf8_lossy(e).chars().count()).collect();
    if let (Some(lo), Some(hi)) = (lens.iter().min(), lens.iter().max())
        && (n < *lo || n > *hi)
    {
        let want = if lo == hi { format!("{lo}") } else { format!("{lo}–{hi}") };
        what.push_str(&format!(": {n} characters where its keys have {want} (cut off, or two pastes joined?)"));
    }
    // Characters its keys never use.
    let classes = |b: u8| -> u8 {
        if b.is_ascii_lowercase() {
            1
        } else if b.is_ascii_uppercase() {
            2
        } else if b.is_ascii_digit() {
            4
        } else {
            0
        }
    };
    let seen_classes = examples.iter().flatten().fold(0u8, |acc, &b| acc | classes(b));
    let seen_punct: Vec<u8> = examples.iter().flatten().copied().filter(|b| classes(*b) == 0).collect();
    if !examples.is_empty() {
        let odd = positions(k, |c| {
            let b = if c.is_ascii() { c as u8 } else { 0 };
            !c.is_ascii()
                || (classes(b) == 0 && !seen_punct.contains(&b))
                || (classes(b) != 0 && seen_classes & classes(b) == 0)
        });
        if !odd.is_empty() {
            what.push_str(&format!("; characters its keys never use {}", at(&odd)));
        }
    }
    problems.push(Problem { what, fix: "copy the key again from the provider's console".into() });
    // Look-alikes: does one swap make it match?
    let swaps: &[(char, &[char])] =
        &[('O', &['0']), ('0', &['O']), ('l', &['1', 'I']), ('1', &['l', 'I']), ('I', &['1', 'l'])];
    let chars: Vec<char> = k.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let Some((_, alts)) = swaps.iter().find(|(s, _)| s == c) else { continue };
        for alt in *alts {
            let mut t = chars.clone();
            t[i] = *alt;
            let candidate: String = t.into_iter().collect();
            if recognise(candidate.as_bytes(), engine).iter().any(|r| r == rule.id()) {
                problems.push(Problem {
                    what: format!("character {} is '{c}': with '{alt}' there it matches {}", i + 1, rule.info.name),
                    fix: format!("an O/0 or l/1/I confusion? check character {}", i + 1),
                });
                return;
            }
        }
    }
}

/// What one request to a base URL showed.
#[derive(Debug, Clone)]
pub struct Probe {
    pub url: String,
    pub status: Option<u16>,
    pub status_meaning: Status,
    pub explanation: String,
    /// Further lines: what a second try (with `/v1`, another header) showed.
    pub hints: Vec<String>,
}

fn models(client: &Client, base: &str, key: &str, header: (&str, String)) -> Result<http::Response, NetError> {
    let req = Request {
        method: "GET",
        url: format!("{base}/models"),
        headers: vec![(header.0.to_string(), header.1)],
        body: None,
    };
    client.send(&req, key.as_bytes())
}

/// The minimal request (`GET {base}/models` with `Authorization: Bearer KEY`) and what its
/// answer means; a 404 is retried with `/v1`, a 401 with an `x-api-key` header.
pub fn probe(base_raw: &str, key: &str) -> Probe {
    let client = Client::new();
    let base = match gateway::normalize(base_raw) {
        Ok(b) => b,
        Err(why) => {
            return Probe {
                url: base_raw.to_string(),
                status: None,
                status_meaning: Status::Unknown,
                explanation: why,
                hints: Vec::new(),
            };
        }
    };
    let bearer = ("authorization", format!("Bearer {key}"));
    let mut hints = Vec::new();
    match models(&client, &base, key, bearer.clone()) {
        Ok(r) => {
            let (status, why) = gateway::explain(r.status);
            let mut explanation = format!("GET {base}/models answered {}: {why}", r.status);
            if status == Status::Active
                && let Some(n) = r.json().pointer("/data").and_then(|d| d.as_array()).map(Vec::len)
            {
                explanation.push_str(&format!(" ({n} models)"));
            }
            if r.status == 404 && !base.ends_with("/v1") {
                let v1 = format!("{base}/v1");
                if let Ok(r2) = models(&client, &v1, key, bearer.clone())
                    && r2.status != 404
                {
                    hints.push(format!("{v1}/models answers {}: use {v1} as the base URL", r2.status));
                }
            }
            if r.status == 401 {
                if let Ok(r2) = models(&client, &base, key, ("x-api-key", key.to_string()))
                    && (200..300).contains(&r2.status)
                {
                    hints.push("with the key in an `x-api-key` header it answers 200: this server wants that header, not `Authorization: Bearer`".into());
                } else {
                    hints.push(
                        "keytrail sent `Authorization: Bearer <key>`, the header OpenAI-compatible servers read".into(),
                    );
                }
            }
            if r.status == 403 {
                hints.push("the key is known: check its group, the models it may use, and its remaining quota in the gateway's console".into());
            }
            Probe { url: format!("{base}/models"), status: Some(r.status), status_meaning: status, explanation, hints }
        }
        Err(e) => {
            let explanation = match &e {
                NetError::Tls(..) => format!("{e}: a certificate problem, or an http:// server behind an https:// URL"),
                NetError::Connection(_) => format!("{e}: wrong host or port, or the server is down"),
                NetError::HostNotFound(_) => format!("{e}: check the host name"),
                NetError::Timeout(_) => format!("{e}: the server or a proxy did not answer in time"),
                other => other.to_string(),
            };
            Probe {
                url: format!("{base}/models"),
                status: None,
                status_meaning: Status::Unknown,
                explanation: http::scrub(&explanation, key.as_bytes()),
                hints,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::new(crate::rules::load_rules(&Default::default()).unwrap())
    }

    #[test]
    fn finds_stray_characters_and_prefixes() {
        let e = engine();
        let key = "ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7Ee2";
        let d = examine(&format!("\u{FEFF}Bearer \u{201C}{key}\u{201D}\u{200B} \r"), &e);
        let all: String = d.problems.iter().map(|p| p.what.clone() + "\n").collect();
        assert!(all.contains("byte order mark"), "{all}");
        assert!(all.contains("zero-width space"), "{all}");
        assert!(all.contains("smart"), "{all}");
        assert!(all.contains("Bearer"), "{all}");
        assert!(all.contains("carriage return"), "{all}");
        assert_eq!(d.cleaned, key);
        assert_eq!(d.rules.first().map(String::as_str), Some("github-pat-classic"));
        assert!(!all.contains(&key[4..16]));
        assert!(examine(key, &e).problems.is_empty());
    }

    #[test]
    fn too_short_keys_are_told_against_the_format() {
        let d = examine("ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7E", &engine());
        assert!(d.rules.is_empty());
        assert!(d.problems.iter().any(|p| p.what.contains("characters where its keys have")), "{:?}", d.problems);
    }
}
