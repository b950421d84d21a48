//! Context rules from one-line service entries: a service's names near a token of its alphabet and length.
//!
//! Many services issue keys with no distinctive shape (32 hex characters, 40 letters and
//! digits...). Such a key is recognised by its context: a name of the service (`sendbird`,
//! `SONAR_TOKEN`) in the variable, key, flag or header that holds it. The built-in services
//! sit in `rules/services.tsv`, one a line:
//!
//! ```text
//! sendbird-api-token | Sendbird | API token | sendbird | hex-lower | 40 | https://dashboard.sendbird.com
//! ```
//!
//! and a user rule file may add its own as TOML `services` entries:
//!
//! ```toml
//! services = [
//!   { id = "acme-token", service = "Acme", keywords = ["acme"], alphabet = "hex", len = "40", revoke = "https://acme.example/keys" },
//! ]
//! ```
//!
//! and each entry expands into a full rule: a regex for `NAME = "value"`, `name: value`,
//! `--name value`, `Name: value` headers, `<Name>value</Name>` and their kin, where the name
//! holds one of the keywords and (unless the keyword already says so) a word such as `key`,
//! `token` or `secret`; an entropy floor from the alphabet and length; an allowlist for
//! names that hold ids, URLs or paths; and generated examples and negative examples.

use serde::Deserialize;

use super::RuleError;
use super::schema::{AllowDef, RuleDef};

/// One service entry of a rule file's `services` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceDef {
    /// The rule id (kebab-case).
    pub id: String,
    /// The provider's name, as shown in findings.
    pub service: String,
    /// What the credential is called ("API key" unless given).
    pub what: Option<String>,
    /// The service's names, domains and usual variable names (case-insensitive literals).
    pub keywords: Vec<String>,
    /// The token's alphabet: hex, hex-lower, hex-upper, alnum, alnum-lower, alnum-upper,
    /// base64, base64url, uuid or digits.
    pub alphabet: String,
    /// The token's length: `32`, `32-40` or `32,40` (ignored for `uuid`).
    #[serde(default)]
    pub len: String,
    /// Where to revoke or rotate the key.
    pub revoke: String,
    /// `low`, `medium`, `high` (the default) or `critical`.
    pub severity: Option<String>,
    /// Hand-written examples and look-alikes, added to the generated ones.
    #[serde(default)]
    pub examples: Vec<String>,
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// Parses a table of services (a `.tsv` rule file): one service a line,
/// `id | service | what | keywords | alphabet | len | revoke`, keywords separated by commas,
/// `len` empty for `uuid`; blank lines and `#` comments are skipped.
pub fn parse_table(text: &str, path: &str) -> Result<Vec<ServiceDef>, RuleError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.splitn(7, '|').map(str::trim).collect();
        let [id, service, what, keywords, alphabet, len, revoke] = f[..] else {
            return Err(RuleError::Invalid(format!(
                "{path}: line {}: expected 7 fields separated by `|`, found {}",
                n + 1,
                f.len()
            )));
        };
        if id.is_empty() || service.is_empty() || revoke.is_empty() {
            return Err(RuleError::Invalid(format!("{path}: line {}: id, service and revoke must be given", n + 1)));
        }
        out.push(ServiceDef {
            id: id.to_string(),
            service: service.to_string(),
            what: (!what.is_empty()).then(|| what.to_string()),
            keywords: keywords.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect(),
            alphabet: alphabet.to_string(),
            len: len.to_string(),
            revoke: revoke.to_string(),
            ..ServiceDef::default()
        });
    }
    Ok(out)
}

/// Words that mark a name as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "pass",
    "pwd",
    "auth",
    "credential",
    "cred",
    "private",
    "signing",
    "access",
    "bearer",
    "license",
    "licence",
    "session",
    "jwt",
];

/// Names that hold something other than the credential (`API_KEY_ID`, `TOKEN_URL`...).
const NOT_SECRET_NAMES: &str = r#"(?i)(?:key|token|secret|pass\w*|pwd|auth|access|cred\w*|session|licen[cs]e|jwt)[_.\-]?(?:id|ids|name|url|uri|endpoint|host|file|path|dir|type|len|length|expir\w*|ttl|header|prefix|env|var)\b"#;

/// Placeholder words: a "token" holding one is documentation, not a leak.
const PLACEHOLDERS: &[&str] = &["example", "sample", "placeholder", "changeme", "dummy", "redacted", "xxxxxx"];

/// Length bounds above this are left open in the regex.
const LONG: usize = 256;

/// A token alphabet: its regex class, its size and its characters (for generated examples).
struct Alphabet {
    pattern: fn(&str) -> String,
    size: f64,
    chars: &'static [u8],
    padded: bool,
}

const HEX_LOWER: &[u8] = b"0123456789abcdef";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM_LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM_UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const DIGITS: &[u8] = b"0123456789";

fn alphabet(name: &str) -> Option<Alphabet> {
    let a =
        |pattern: fn(&str) -> String, size: f64, chars: &'static [u8]| Alphabet { pattern, size, chars, padded: false };
    Some(match name {
        "hex" => a(|q| format!("(?:[0-9a-f]{q}|[0-9A-F]{q})"), 16.0, HEX_LOWER),
        "hex-lower" => a(|q| format!("[0-9a-f]{q}"), 16.0, HEX_LOWER),
        "hex-upper" => a(|q| format!("[0-9A-F]{q}"), 16.0, HEX_UPPER),
        "alnum" => a(|q| format!("[A-Za-z0-9]{q}"), 62.0, ALNUM),
        "alnum-lower" => a(|q| format!("[a-z0-9]{q}"), 36.0, ALNUM_LOWER),
        "alnum-upper" => a(|q| format!("[A-Z0-9]{q}"), 36.0, ALNUM_UPPER),
        "base64" => Alphabet { padded: true, ..a(|q| format!("[A-Za-z0-9+/]{q}={{0,2}}"), 64.0, BASE64) },
        "base64url" => a(|q| format!("[A-Za-z0-9_-]{q}"), 64.0, BASE64URL),
        "digits" => a(|q| format!("[0-9]{q}"), 10.0, DIGITS),
        "uuid" => {
            a(|_| "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}".into(), 16.0, HEX_LOWER)
        }
        _ => return None,
    })
}

/// Parses `32`, `32-40` or `32,40,64` into a list of (min, max) ranges.
fn lengths(spec: &str) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
            None => {
                let n = part.parse().ok()?;
                (n, n)
            }
        };
        if lo == 0 || lo > hi || hi > 4096 {
            return None;
        }
        out.push((lo, hi));
    }
    (!out.is_empty()).then_some(out)
}

/// True for keywords that are whole variable names of a credential (`sonar_token`,
/// `sonar.login`, or any written in UPPER_SNAKE_CASE such as `CC_TEST_REPORTER_ID`): they
/// need no further secret word after them.
fn has_secret_word(keyword: &str) -> bool {
    let k = keyword.to_ascii_lowercase();
    let upper_snake = keyword.contains('_') && !keyword.bytes().any(|b| b.is_ascii_lowercase());
    upper_snake || k.contains(['_', '-', '.']) && (k.contains("login") || SECRET_WORDS.iter().any(|w| k.contains(w)))
}

/// The keywords as an alternation that starts a name: after a non-alphanumeric character
/// (`MY_SENDBIRD_TOKEN`, `config.sendbird.token`), capitalised after a lower-case letter
/// (`appSendbirdToken`), or in lower case after a capital (`-Dsonar.login`), so that
/// `atera` is not found inside `collateral` nor `COLLATERAL`.
fn name_start(ks: &[&String]) -> String {
    let plain = ks.iter().map(|k| flexible(k)).collect::<Vec<_>>().join("|");
    let mut camel = Vec::new();
    let mut lower = Vec::new();
    for k in ks {
        let mut cs = k.chars();
        if let Some(first) = cs.next().filter(|c| c.is_ascii_alphabetic()) {
            camel.push(format!("{}(?i:{})", first.to_ascii_uppercase(), flexible(cs.as_str())));
            lower.push(flexible(&k.to_ascii_lowercase()));
        }
    }
    if camel.is_empty() {
        format!("(?:^|[^A-Za-z0-9])(?i:{plain})")
    } else {
        format!("(?:(?:^|[^A-Za-z0-9])(?i:{plain})|[a-z0-9](?:{})|[A-Z](?:{}))", camel.join("|"), lower.join("|"))
    }
}

/// A keyword as a regex where each `_`, `-` or `.` may be any of them or none
/// (`sonar_token` also matches `SONAR-TOKEN`, `sonar.token` and `sonarToken`).
fn flexible(keyword: &str) -> String {
    keyword.split(['_', '-', '.']).map(regex_syntax::escape).collect::<Vec<_>>().join(r"[_.\-]?")
}

/// The prefilter's literals for a keyword: itself, its `snake_case` spelling and its spelling
/// without separators (which also finds `camelCase`: literals match case-insensitively).
fn spellings(keyword: &str) -> Vec<String> {
    let mut out = vec![keyword.to_string()];
    if keyword.contains(['_', '-', '.']) {
        let parts: Vec<&str> = keyword.split(['_', '-', '.']).collect();
        for sep in ["_", ""] {
            let s = parts.join(sep);
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The regex of a service entry: name, separator, token, end.
fn regex(keywords: &[String], token: &str) -> String {
    let (named, bare): (Vec<&String>, Vec<&String>) = keywords.iter().partition(|k| has_secret_word(k));
    let words = SECRET_WORDS.join("|");
    let mut names = Vec::new();
    if !bare.is_empty() {
        // Up to 40 characters between the name and the secret word: `SENDBIRD_API_TOKEN`,
        // `sendbird --api-token`, `api.abuseipdb.com/api/v2/check -H "Key: ...`.
        names.push(format!(r"{}[^\n]{{0,40}}?(?i:{words})", name_start(&bare)));
    }
    if !named.is_empty() {
        names.push(name_start(&named));
    }
    // After the name: closing quotes or brackets, an optional XML `value=`, the assignment
    // (`=`, `:`, `:=`, `=>`, `,`, `>` or blanks), a type (`: &str =`, `: string =`,
    // Go's `string =`), an opening quote and an optional `Bearer`/`Token` scheme.
    let sep = r#"[\w.\-]{0,16}["'`\]\)]{0,3}(?:\s+value)?\s*(?:=>|:=|[=:>,]|\s)\s*(?:&?(?:'static\s+)?[A-Za-z][\w<>\[\]]{0,20}\s*=\s*)?["'`]?(?:(?i:bearer|token|basic)\s+)?"#;
    // The end is not a newline, which is left for the next line's match to start after.
    format!(r"(?:{}){sep}(?P<secret>{token})(?:[^A-Za-z0-9_+/=\-\n]|(?m:$))", names.join("|"))
}

/// The entropy floor: 65 % of the most a string of the shortest length can carry, at most
/// 3.5 bits (so that a hex key passes a rule whose alphabet is alphanumeric).
fn entropy_floor(size: f64, min_len: usize) -> f64 {
    let most = size.min(min_len as f64).log2();
    ((most * 0.65).min(3.5) * 10.0).floor() / 10.0
}

/// A small deterministic generator, so generated examples are stable between builds.
struct Rng(u64);

impl Rng {
    fn new(seed: &str) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn token(&mut self, chars: &[u8], n: usize) -> String {
        (0..n).map(|_| chars[(self.next() % chars.len() as u64) as usize] as char).collect()
    }
}

/// A fake token of `n` characters in `alphabet` (a UUID for `uuid`).
fn fake_token(a: &Alphabet, uuid: bool, n: usize, rng: &mut Rng) -> String {
    if uuid {
        let parts: Vec<String> = [8, 4, 4, 4, 12].iter().map(|&k| rng.token(HEX_LOWER, k)).collect();
        return parts.join("-");
    }
    let mut t = rng.token(a.chars, n);
    if a.padded && n % 4 == 3 {
        t.push('=');
    }
    t
}

/// `SENDBIRD_API_KEY`-style and `sendbirdApiKey`-style names built from a keyword.
fn names(keyword: &str) -> (String, String) {
    let snake: String =
        keyword.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    let snake = snake.trim_matches('_').to_string();
    let mut camel = String::new();
    let mut up = false;
    for c in keyword.chars() {
        if c.is_ascii_alphanumeric() {
            camel.push(if up { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
            up = false;
        } else {
            up = !camel.is_empty();
        }
    }
    if has_secret_word(keyword) { (snake, camel) } else { (format!("{snake}_API_KEY"), format!("{camel}ApiKey")) }
}

/// Expands one service entry into a rule definition.
pub fn expand(s: &ServiceDef, file: &str) -> Result<RuleDef, RuleError> {
    let ctx = format!("{file}: service {:?}", s.id);
    let bad = |m: String| RuleError::Invalid(format!("{ctx}: {m}"));
    if s.keywords.is_empty() || s.keywords.iter().any(|k| k.trim().len() < 3) {
        return Err(bad("needs keywords of at least 3 characters".into()));
    }
    let a = alphabet(&s.alphabet).ok_or_else(|| bad(format!("unknown alphabet {:?}", s.alphabet)))?;
    let uuid = s.alphabet == "uuid";
    let lens =
        if uuid { vec![(36, 36)] } else { lengths(&s.len).ok_or_else(|| bad(format!("bad len {:?}", s.len)))? };
    // Long upper bounds (tokens of hundreds of characters) are left open: a large counted
    // repetition costs compile time and memory for nothing.
    let quant = |(lo, hi): (usize, usize)| match (lo, hi) {
        _ if lo == hi => format!("{{{lo}}}"),
        _ if hi > LONG => format!("{{{lo},}}"),
        _ => format!("{{{lo},{hi}}}"),
    };
    let token = if lens.len() == 1 {
        (a.pattern)(&quant(lens[0]))
    } else {
        format!("(?:{})", lens.iter().map(|&l| (a.pattern)(&quant(l))).collect::<Vec<_>>().join("|"))
    };
    let min_len = lens.iter().map(|l| l.0).min().unwrap_or(1);
    let max_len = lens.iter().map(|l| l.1).max().unwrap_or(1).min(min_len.max(LONG));
    let floor = if uuid { 3.0 } else { entropy_floor(a.size, min_len) };

    let mut rng = Rng::new(&s.id);
    let (snake, camel) = names(&s.keywords[0]);
    let short = fake_token(&a, uuid, min_len, &mut rng);
    let long = fake_token(&a, uuid, max_len, &mut rng);
    let mut examples =
        vec![format!("{snake}={short}"), format!(r#"  "{camel}": "{long}","#), format!("export {snake}='{short}'")];
    examples.extend(s.examples.iter().cloned());
    let filler = (a.chars[1] as char).to_string().repeat(max_len.min(64));
    let mut negatives = vec![
        format!("{snake}=${{{snake}}}"),
        format!("{snake}={filler}"),
        format!("{snake}_ID={short}"),
        format!("checksum = \"{long}\""),
    ];
    if !uuid && min_len > 12 {
        negatives.push(format!("{snake}={}", &short[..min_len - 6]));
    }
    negatives.extend(s.negative_examples.iter().cloned());

    let what = s.what.clone().unwrap_or_else(|| "API key".into());
    Ok(RuleDef {
        id: s.id.clone(),
        name: Some(format!("{} {what}", s.service)),
        provider: Some(s.service.clone()),
        severity: Some(s.severity.clone().unwrap_or_else(|| "high".into())),
        revoke: Some(s.revoke.clone()),
        regex: Some(regex(&s.keywords, &token)),
        entropy: Some(floor),
        keywords: s.keywords.iter().flat_map(|k| spellings(k)).collect(),
        tags: vec!["context".into()],
        // One allowlist: a name that holds an id, URL or path (on the match), or a
        // placeholder word in the value (stopwords look at the secret).
        allowlists: vec![AllowDef {
            description: Some("names that hold an id, a URL or a path; placeholders".into()),
            regex_target: Some("match".into()),
            regexes: vec![NOT_SECRET_NAMES.into()],
            stopwords: PLACEHOLDERS.iter().map(|w| w.to_string()).collect(),
            ..AllowDef::default()
        }],
        examples,
        negative_examples: negatives,
        confidence: Some("medium".into()),
        ..RuleDef::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_parse() {
        assert_eq!(lengths("32"), Some(vec![(32, 32)]));
        assert_eq!(lengths("20-40"), Some(vec![(20, 40)]));
        assert_eq!(lengths("32,40"), Some(vec![(32, 32), (40, 40)]));
        assert_eq!(lengths("40-20"), None);
        assert_eq!(lengths("x"), None);
        assert_eq!(lengths(""), None);
    }

    #[test]
    fn names_add_a_secret_word_only_when_missing() {
        assert_eq!(names("sendbird"), ("SENDBIRD_API_KEY".into(), "sendbirdApiKey".into()));
        assert_eq!(names("sonar_token"), ("SONAR_TOKEN".into(), "sonarToken".into()));
    }

    #[test]
    fn keywords_are_spelled_every_way() {
        assert_eq!(spellings("sonar_token"), ["sonar_token", "sonartoken"]);
        assert_eq!(spellings("sonar.login"), ["sonar.login", "sonar_login", "sonarlogin"]);
        assert_eq!(spellings("sendbird"), ["sendbird"]);
        let re = regex::Regex::new(&format!("^(?i:{})$", flexible("sonar_token"))).unwrap();
        for s in ["SONAR_TOKEN", "sonar.token", "sonar-token", "sonarToken"] {
            assert!(re.is_match(s), "{s}");
        }
        assert!(!re.is_match("sonar__token"));
    }

    #[test]
    fn table_lines_parse() {
        let t = "# comment\n\nsendbird-api-token | Sendbird | API token | sendbird, sendbird.com | hex | 40 | https://x.example\n";
        let s = parse_table(t, "t.tsv").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].keywords, ["sendbird", "sendbird.com"]);
        assert_eq!(s[0].what.as_deref(), Some("API token"));
        let e = parse_table("a | b | c\n", "t.tsv").unwrap_err().to_string();
        assert!(e.contains("t.tsv: line 1: expected 7 fields"), "{e}");
    }

    fn secrets(s: &ServiceDef, text: &str) -> Vec<String> {
        let def = expand(s, "t.tsv").unwrap();
        let re = regex::Regex::new(def.regex.as_deref().unwrap()).unwrap();
        re.captures_iter(text).map(|c| c["secret"].to_string()).collect()
    }

    #[test]
    fn names_are_found_where_they_start_and_lines_end_matches() {
        let s = |kw: &str| ServiceDef {
            id: "t".into(),
            service: "T".into(),
            keywords: vec![kw.into()],
            alphabet: "hex-lower".into(),
            len: "40".into(),
            revoke: "r".into(),
            ..Default::default()
        };
        let k1 = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a00";
        let k2 = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";
        assert_eq!(secrets(&s("sonar.login"), &format!("mvn sonar:sonar -Dsonar.login={k1}")), [k1]);
        assert_eq!(secrets(&s("atera"), &format!("ATERA_API_KEY={k1}\nappAteraKey: '{k2}'")), [k1, k2]);
        assert!(secrets(&s("atera"), &format!("COLLATERAL_KEY={k1}\ncollateral_key={k1}")).is_empty());
        assert_eq!(secrets(&s("atera"), &format!("const ATERA_TOKEN: string = \"{k1}\";")), [k1]);
        assert_eq!(secrets(&s("atera"), &format!("<add key=\"AteraApiKey\" value=\"{k1}\" />")), [k1]);
        assert!(secrets(&s("atera"), &format!("ATERA_API_KEY={k1}ab")).is_empty(), "too long");
        assert!(secrets(&s("atera"), &format!("ATERA_URL={k1}")).is_empty(), "no secret word");
        assert_eq!(secrets(&s("CC_TEST_REPORTER_ID"), &format!("CC_TEST_REPORTER_ID: {k1}")), [k1]);
    }

    #[test]
    fn bad_entries_are_errors() {
        let s = ServiceDef {
            id: "x".into(),
            keywords: vec!["sendbird".into()],
            alphabet: "hexx".into(),
            ..Default::default()
        };
        assert!(expand(&s, "f.toml").unwrap_err().to_string().contains("unknown alphabet"));
        let s = ServiceDef { alphabet: "hex".into(), len: "0".into(), ..s };
        assert!(expand(&s, "f.toml").unwrap_err().to_string().contains("bad len"));
    }

    #[test]
    fn entropy_floor_follows_alphabet_and_length() {
        assert_eq!(entropy_floor(16.0, 32), 2.6);
        assert_eq!(entropy_floor(62.0, 40), 3.4);
        assert_eq!(entropy_floor(62.0, 64), 3.5);
    }
}
