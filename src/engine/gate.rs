//! Value gates for the generic rules: read the value assigned to a secret-looking name and
//! judge it by what it is not.
//!
//! The generic rules in `rules/generic.toml` only find *where* something is assigned to a
//! name holding a keyword (`DB_PASSWORD=`, `"apiKey":`, `<add key="ApiKey" value=`, `ENV TOKEN `,
//! `curl -u `, `scheme://user:pass@host`); their keywords keep them to the lines where such
//! names occur. The gate named by the rule (`gate = "..."`) then does the judging in code:
//!
//! 1. **Role** from the name, split into words (`dbPassword` → `db password`): the last
//!    secret word (password, token, secret, key, auth, credential, salt) sets the role; a
//!    word after it that is not a harmless suffix (`_id`, `_url`, `_file`, `_length`...) or a
//!    qualifier before it that names something public or protocol-level (`public_key`,
//!    `csrf_token`, `hashed_secret`, `max_tokens`, `sort_key`) means no secret. A bare `key`
//!    is a weak role.
//! 2. **Value** read after the match: quoted (with `b"`/`r"`/`@"` prefixes), or bare up to a
//!    separator; bare values in source code are expressions, not literals.
//! 3. **What the value is not**: a template or placeholder (`${X}`, `{{ x }}`, `%(x)s`,
//!    `<your-key>`, `xxx`, `changeme`, `****`), a reference (`os.environ[...]`, `!vault`,
//!    `process.env.X`, `settings.KEY`), an identifier (camelCase, snake_case, SCREAMING_CASE),
//!    a path, a URL, an e-mail address, a version or package coordinate, a digest
//!    (`sha256:...`), a UUID outside a key role, natural-language words, a public key.
//! 4. **Strength** sets the confidence: a password role accepts short human passwords
//!    (`Summer2024!` is medium, a single dictionary word is low); token and key roles want
//!    random-looking values (length, character classes, entropy). Base64 values
//!    (Kubernetes `data:`, npm `_auth`, docker `auths`, `Basic` headers) are judged decoded.

use std::ops::Range;

use base64::Engine as _;
use regex::bytes::Captures;

use crate::rules::Confidence;
use crate::secret::shannon_entropy;

/// The value gates a rule can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// `name OP value`: the role comes from the `name` group, the value is read after the match.
    Assignment,
    /// The value after the match (or the `secret` group) is a password, whatever the name.
    Password,
    /// The value after the match is `user:password` (`curl -u`); the password is the secret.
    UserPass,
    /// A URL's password (`secret` group) with its `host` group.
    Url,
}

impl Gate {
    pub const NAMES: [&'static str; 4] = ["assignment", "password", "userpass", "url"];

    pub fn parse(s: &str) -> Option<Gate> {
        match s {
            "assignment" => Some(Gate::Assignment),
            "password" => Some(Gate::Password),
            "userpass" => Some(Gate::UserPass),
            "url" => Some(Gate::Url),
            _ => None,
        }
    }
}

/// A value the gate accepted: where the secret is (in the window text) and how sure it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub secret: Range<usize>,
    pub confidence: Confidence,
}

/// What a name says its value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Password,
    /// A token, secret, qualified key, credential or salt.
    Secret,
    /// `auth` / `authorization` / `credentials`: may hold `user:pass` in base64 or a scheme.
    Auth,
    /// A bare `key`: only strong values count.
    WeakKey,
}

/// Judges one regex match of a gated rule; `text` is the window the regex ran on. `resume`
/// is set to where the search for the next match goes on (past the value read, so that a
/// rejected value's insides, `${DB_PASSWORD:?unset}`, are not read as assignments).
pub fn judge(gate: Gate, caps: &Captures<'_>, text: &[u8], path: Option<&str>, resume: &mut usize) -> Option<Judged> {
    let mut judged = judge_match(gate, caps, text, path, resume)?;
    if path.is_some_and(test_path) {
        judged.confidence = judged.confidence.lower();
    }
    Some(judged)
}

fn judge_match(gate: Gate, caps: &Captures<'_>, text: &[u8], path: Option<&str>, resume: &mut usize) -> Option<Judged> {
    if path.is_some_and(skipped_path) {
        return None;
    }
    let end = caps.get(0)?.end();
    *resume = end;
    let read_value = |text: &[u8], at: usize, resume: &mut usize| {
        let v = read_value(text, at)?;
        *resume = v.range.end;
        Some(v)
    };
    let code = path.is_some_and(is_code_file);
    let char_quotes = path.is_some_and(single_quote_is_char);
    match gate {
        Gate::Assignment => {
            let name = ["name", "name2", "name3", "name4"].iter().find_map(|n| caps.name(n)).map(|m| m.as_bytes())?;
            let role = role(std::str::from_utf8(name).ok()?)?;
            if (role == Role::Auth || caps.name("name4").is_some())
                && let Some(v) = read_pair(text, end)
            {
                *resume = v.range.end;
                return judge_value(text, v, Role::Password);
            }
            if caps.name("name4").is_some() {
                return None; // a credential constructor without two string arguments
            }
            let v = read_value(text, end, resume)?;
            let open = caps.get(0).map_or(0, |m| m.start());
            if text.get(open) == Some(&b'<') && !closes_element(text, v.range.end + usize::from(v.quoted)) {
                return None; // `<password>` in prose or in `user:<password>@host`: no element
            }
            if text[..end].ends_with(b",")
                && !(v.quoted && opens_call(text, caps.name("name").map_or(0, |m| m.start())))
            {
                return None; // `define('NAME', 'value')`, `setenv("NAME", "value")`: only in a call
            }
            if v.quoted && char_quotes && v.range.start > 0 && text[v.range.start - 1] == b'\'' {
                return None; // `'x'` is a character (or a lifetime) in these languages, not a string
            }
            if v.quoted && followed_by_value_attr(text, v.range.end + 1) {
                return None; // `key="SmtpPassword" value="..."`: the value names the next one
            }
            // In source code a bare value is an expression, unless it is an auth header's text.
            let header = text[v.range.clone()].contains(&b' ');
            if !v.quoted && code && !header {
                return None;
            }
            judge_value(text, v, role)
        }
        Gate::Password => {
            let v = match caps.name("secret") {
                Some(m) => Value { range: m.range(), quoted: false, interpolated: false },
                None => read_value(text, end, resume)?,
            };
            judge_value(text, v, Role::Password)
        }
        Gate::UserPass => {
            let v = read_value(text, end, resume)?;
            let s = &text[v.range.clone()];
            let colon = memchr::memchr(b':', s)?;
            let (user, pass) = (&s[..colon], &s[colon + 1..]);
            if user.is_empty() || pass.is_empty() || matches!(user[0], b'$' | b'<' | b'{' | b'%') {
                return None;
            }
            if user.iter().all(u8::is_ascii_digit) && pass.iter().all(u8::is_ascii_digit) {
                return None; // uid:gid
            }
            let pass_range = v.range.start + colon + 1..v.range.end;
            let c = password_strength(&text[pass_range.clone()])?.max(Confidence::Medium);
            Some(Judged { secret: pass_range, confidence: c })
        }
        Gate::Url => {
            let secret = caps.name("secret")?;
            let host = caps.name("host").map_or(&b""[..], |m| m.as_bytes()).to_ascii_lowercase();
            if memchr::memmem::find(&host, b"example").is_some() || host.starts_with(b"<") || host == b"host" {
                return None;
            }
            if let Some(user) = caps.name("user")
                && user.as_bytes().first().is_some_and(|c| matches!(c, b'$' | b'<' | b'{' | b'%'))
            {
                return None;
            }
            let c = password_strength(secret.as_bytes())?.max(Confidence::Medium);
            Some(Judged { secret: secret.range(), confidence: c })
        }
    }
}

/// True when the assignment gate turns down a match ending at `end` whatever name it holds
/// (and the search goes on from `end`, as [`judge`] and the engine's resume rule then have it):
/// no `(user, password)` pair follows, and the value read there is a bare name (`"NextToken"`,
/// `lambda` in code) or nothing. The engine then skips finding the match's groups.
pub fn refused_whatever_the_name(gate: Gate, text: &[u8], end: usize, path: Option<&str>) -> bool {
    if gate != Gate::Assignment || read_pair(text, end).is_some() {
        return false;
    }
    let Some(v) = read_value(text, end) else { return true };
    if !name_like(&text[end..v.range.end]) {
        return false;
    }
    // A name-like value holds no blank, brace, colon or backslash: `judge_value` reads it
    // as it is (no auth scheme, escape or `base64:` prefix), and in code it is an expression.
    let val = &text[v.range];
    // hopeless for a password and for any other role: a compound identifier is an identifier
    (!v.quoted && path.is_some_and(is_code_file))
        || val.len() < 4
        || compound_identifier(val) && (val.len() < 8 || !uuid(val))
}

/// Text that is only a name, perhaps quoted (`"ApiKey"`): it may start the next assignment.
pub fn name_like(s: &[u8]) -> bool {
    let t: &[u8] = {
        let mut t = s;
        while let [b' ' | b'\t' | b'"' | b'\'' | b'`', rest @ ..] = t {
            t = rest;
        }
        t
    };
    !t.is_empty() && t.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
}

/// What the gate reads from a blob's path: a skipped file, code, `'` as a character quote,
/// test code. No path reads as none of them.
pub fn path_facts(path: Option<&str>) -> [bool; 4] {
    path.map_or([false; 4], |p| [skipped_path(p), is_code_file(p), single_quote_is_char(p), test_path(p)])
}

/// Files where secret-shaped values are known not to be secrets: secret-scanner baselines
/// (hashes of secrets), lock files and checksum lists (integrity digests).
fn skipped_path(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name == ".secrets.baseline"
        || name.ends_with(".lock")
        || name.ends_with("-lock.json")
        || name.ends_with("-lock.yaml")
        || name == "go.sum"
        || name.ends_with(".sha256")
        || name.ends_with(".sum")
}

/// Source files, where a bare (unquoted) value is an expression, never a literal.
fn is_code_file(path: &str) -> bool {
    const EXT: &[&str] = &[
        "py", "pyi", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go", "java", "kt", "kts", "scala", "groovy", "rb", "php",
        "cs", "vb", "fs", "rs", "c", "h", "cc", "cpp", "hpp", "m", "mm", "swift", "dart", "lua", "pl", "pm", "ex",
        "exs", "erl", "clj", "cljs", "r", "jl", "vue", "svelte", "zig", "nim", "cr", "hs", "ml",
    ];
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, e)| EXT.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Languages where `'...'` is a character literal (or a Rust lifetime), never a string.
fn single_quote_is_char(path: &str) -> bool {
    const EXT: &[&str] = &["rs", "go", "c", "h", "cc", "cpp", "hpp", "java", "cs", "kt", "kts", "swift", "scala"];
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, e)| EXT.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Test code, fixtures and examples, where literal passwords are mostly made up: generic
/// findings there are one level less sure.
pub fn test_path(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "test",
        "tests",
        "testdata",
        "__tests__",
        "spec",
        "specs",
        "fixtures",
        "mocks",
        "testing",
        "examples",
        "example",
        "samples",
        "sample",
    ];
    let mut parts = path.split(['/', '\\']).peekable();
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            let lower = p.to_ascii_lowercase();
            let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
            return stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with(".test")
                || stem.ends_with(".spec")
                || stem.ends_with("_spec")
                || p.ends_with("Test.java")
                || p.ends_with("Tests.cs");
        }
        // `aws-signing-test-suite`, `test_vectors`, `integration-tests`: a word of the name
        if DIRS.iter().any(|d| d.eq_ignore_ascii_case(p))
            || p.split(['-', '_', '.'])
                .any(|w| ["test", "tests", "testsuite", "fixtures"].iter().any(|d| d.eq_ignore_ascii_case(w)))
        {
            return true;
        }
    }
    false
}

/// A value read after an assignment.
#[derive(Clone, Debug)]
struct Value {
    range: Range<usize>,
    quoted: bool,
    /// An f-string, template literal or interpolated string: `{` inside is code.
    interpolated: bool,
}

/// Reads the value starting at `at` (after optional blanks): a quoted string on this line,
/// or a bare run up to a separator. An auth scheme (`Bearer x`) is read with its token.
fn read_value(text: &[u8], at: usize) -> Option<Value> {
    let mut i = at;
    while i < text.len() && (text[i] == b' ' || text[i] == b'\t') {
        i += 1;
    }
    let at_byte = |k: usize| text.get(k).copied().unwrap_or(0);
    let mut interpolated = false;
    if matches!(at_byte(i), b'b' | b'B' | b'r' | b'R' | b'u' | b'U' | b'f' | b'F' | b'@' | b'$')
        && matches!(at_byte(i + 1), b'"' | b'\'')
    {
        interpolated = matches!(at_byte(i), b'f' | b'F' | b'$');
        i += 1;
    }
    let q = at_byte(i);
    if matches!(q, b'"' | b'\'' | b'`') {
        if at_byte(i + 1) == q && at_byte(i + 2) == q {
            return None; // triple-quoted: a block, not a one-line literal
        }
        let start = i + 1;
        let mut j = start;
        while j < text.len() {
            match text[j] {
                b'\\' => j += 2,
                b'\n' => return None,
                c if c == q => break,
                _ => j += 1,
            }
        }
        if j >= text.len() || j == start {
            return None;
        }
        return Some(Value { range: start..j, quoted: true, interpolated: interpolated || q == b'`' });
    }
    let stop = |c: u8| {
        c.is_ascii_whitespace()
            || matches!(c, b'"' | b'\'' | b'`' | b';' | b',' | b'<' | b'>' | b')' | b']' | b'}' | b'&')
    };
    let start = i;
    let mut j = i;
    while j < text.len() && !stop(text[j]) {
        j += 1;
    }
    if j == start {
        return None;
    }
    // `Authorization: Bearer abc`: take the token after the scheme.
    if auth_scheme(&text[start..j]).is_some() && at_byte(j) == b' ' {
        let mut k = j + 1;
        while k < text.len() && !stop(text[k]) {
            k += 1;
        }
        if k > j + 1 {
            return Some(Value { range: start..k, quoted: false, interpolated });
        }
    }
    Some(Value { range: start..j, quoted: false, interpolated })
}

/// True when the quoted name starting at `name_start` is a call's first argument: `(` before it.
fn opens_call(text: &[u8], name_start: usize) -> bool {
    let before = &text[..name_start.min(text.len())];
    let before = before.strip_suffix(b"\"").or_else(|| before.strip_suffix(b"'")).unwrap_or(before);
    let trimmed = before.iter().rposition(|c| !c.is_ascii_whitespace()).map(|p| &before[..=p]).unwrap_or(b"");
    trimmed.ends_with(b"(")
}

/// True when an end tag (`</`) follows at `at`, perhaps after blanks: the value was an element's text.
fn closes_element(text: &[u8], at: usize) -> bool {
    let rest = &text[at.min(text.len())..];
    let start = rest.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(rest.len());
    rest[start..].starts_with(b"</")
}

/// True when `value=` follows (after blanks) at `at`: the text before was an XML key's name.
fn followed_by_value_attr(text: &[u8], at: usize) -> bool {
    let rest = &text[at.min(text.len())..];
    let rest = &rest[rest.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
    rest.len() >= 6
        && rest[..5].eq_ignore_ascii_case(b"value")
        && rest[5..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'=')
}

/// `("user", "password")` or `["user", "password"]` (Python `auth=`): the second string.
fn read_pair(text: &[u8], at: usize) -> Option<Value> {
    let skip = |mut i: usize| {
        while i < text.len() && (text[i] == b' ' || text[i] == b'\t') {
            i += 1;
        }
        i
    };
    let i = skip(at);
    if !matches!(text.get(i), Some(b'(' | b'[')) {
        return None;
    }
    let user = read_value(text, i + 1).filter(|v| v.quoted)?;
    let comma = skip(user.range.end + 1);
    if text.get(comma) != Some(&b',') {
        return None;
    }
    let pass = read_value(text, comma + 1).filter(|v| v.quoted)?;
    let close = skip(pass.range.end + 1);
    matches!(text.get(close), Some(b')' | b']' | b'.')).then_some(pass)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Basic,
    Bearer,
}

fn auth_scheme(word: &[u8]) -> Option<Scheme> {
    match word.to_ascii_lowercase().as_slice() {
        b"basic" => Some(Scheme::Basic),
        b"bearer" | b"token" | b"bot" | b"apikey" | b"api-key" | b"sso-key" => Some(Scheme::Bearer),
        _ => None,
    }
}

/// Judges the value in `text[v.range]` for `role`; the secret span may be narrowed (past an
/// auth scheme or a `base64:` prefix).
fn judge_value(text: &[u8], v: Value, role: Role) -> Option<Judged> {
    let mut range = v.range.clone();
    let raw = &text[range.clone()];
    if v.interpolated && (memchr::memchr(b'{', raw).is_some()) {
        return None;
    }
    // An auth scheme and its token: `Bearer abc`, `Basic dXNlcjpwYXNz`.
    if let Some(sp) = memchr::memchr(b' ', raw)
        && let Some(scheme) = auth_scheme(&raw[..sp])
    {
        let tok_start = range.start + sp + 1 + raw[sp + 1..].iter().take_while(|&&c| c == b' ').count();
        range = tok_start..range.end;
        let tok = &text[range.clone()];
        if tok.is_empty() {
            return None;
        }
        let confidence = match scheme {
            Scheme::Basic => {
                let decoded = decode_base64(tok)?;
                let colon = memchr::memchr(b':', &decoded)?;
                password_strength(&decoded[colon + 1..])?.max(Confidence::Medium)
            }
            Scheme::Bearer => secret_strength(tok, Role::Secret)?,
        };
        return Some(Judged { secret: range, confidence });
    }
    // a trailing escaped line break (`'secret\n'`) is not part of the value
    while range.len() > 2 && (text[..range.end].ends_with(b"\\n") || text[..range.end].ends_with(b"\\r")) {
        range.end -= 2;
    }
    // Laravel `APP_KEY=base64:...`
    if raw.len() > 7 && raw[..7].eq_ignore_ascii_case(b"base64:") {
        range = range.start + 7..range.end;
    }
    let val = &text[range.clone()];
    // What the strength tests below turn down whatever else the value is (too short, a
    // name) is settled before the costlier look at what it is not: the same answer, sooner.
    if hopeless(val, role) || rejected(val, v.quoted) {
        return None;
    }
    // From here `val` is not rejected (nor, quoted or not, `rejected(val, true)`, which
    // rejects less): the strength tests need not ask again.
    // Base64 that decodes to text (Kubernetes `data:`, npm `_auth`, docker `auth`) is judged decoded.
    if val.len().is_multiple_of(4)
        && !identifier(val)
        && let Some(decoded) = decode_base64(val)
        && decoded.len() >= 4
    {
        let confidence = match (role, memchr::memchr(b':', &decoded)) {
            (Role::Auth | Role::Secret | Role::Password, Some(c)) if c > 0 && c + 1 < decoded.len() => {
                password_strength(&decoded[c + 1..])?.max(Confidence::Medium)
            }
            (Role::Password, _) => {
                if rejected(&decoded, true) {
                    return None;
                }
                password_strength_of(&decoded)?
            }
            _ => {
                if rejected(&decoded, true) {
                    return None;
                }
                secret_strength_of(&decoded, role).or_else(|| secret_strength_of(val, role))?
            }
        };
        return Some(Judged { secret: range, confidence });
    }
    let confidence = match role {
        Role::Password => password_strength_of(val)?,
        _ => secret_strength_of(val, role)?,
    };
    Some(Judged { secret: range, confidence })
}

/// Standard or URL-safe base64 (padded or not) that decodes to printable ASCII.
fn decode_base64(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() < 8 || !s.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_')) {
        return None;
    }
    let trimmed: Vec<u8> = s.iter().copied().filter(|&c| c != b'=').collect();
    let out = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&trimmed)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&trimmed))
        .ok()?;
    (out.iter().all(|&c| (0x20..0x7f).contains(&c)) && !out.is_empty()).then_some(out)
}

// ---- the role a name gives ----

/// Splits a name into lower-case words: `dbPassword` → `db password`, `APIKey` → `api key`,
/// `spring.datasource.password` → `spring datasource password`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let b = part.as_bytes();
        let mut start = 0;
        for i in 1..b.len() {
            let split = (b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase())
                || (b[i - 1].is_ascii_uppercase()
                    && b[i].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(|c| c.is_ascii_lowercase()));
            if split {
                out.push(part[start..i].to_ascii_lowercase());
                start = i;
            }
        }
        out.push(part[start..].to_ascii_lowercase());
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Token,
    Secret,
    Key,
    /// A glued qualified key (`apikey`, `secretkey`).
    QualifiedKey,
    Auth,
    Credential,
}

fn kind(word: &str) -> Option<Kind> {
    let w = word.trim_end_matches(|c: char| c.is_ascii_digit());
    const GLUED_KEYS: &[&str] = &[
        "apikey",
        "secretkey",
        "accesskey",
        "privatekey",
        "signingkey",
        "masterkey",
        "encryptionkey",
        "appkey",
        "authkey",
        "licensekey",
        "licencekey",
        "clientkey",
        "serverkey",
        "sessionkey",
        "hmackey",
        "subscriptionkey",
        "webhookkey",
        "adminkey",
        "restkey",
        "writekey",
        "ingestkey",
        "accountkey",
        "storagekey",
        "servicekey",
        "deploykey",
        "sharedkey",
        "cryptkey",
        "aeskey",
        "jwtkey",
        "secretaccesskey",
        "devkey",
        "prodkey",
        "apisecretkey",
    ];
    const NOT_PASS: &[&str] =
        &["bypass", "compass", "encompass", "trespass", "overpass", "underpass", "surpass", "impass"];
    if w.ends_with("password")
        || w.ends_with("passwd")
        || w.ends_with("pwd")
        || w == "passphrase"
        || w == "passcode"
        || w == "pword"
        || (w.ends_with("pass") && !NOT_PASS.contains(&w))
    {
        return Some(Kind::Password);
    }
    if w.starts_with("csrf") || w.starts_with("xsrf") {
        return None;
    }
    if w.ends_with("token") {
        return Some(Kind::Token);
    }
    if w.ends_with("secret") || w == "secrets" || w == "salt" || w.ends_with("salt") && w.len() <= 8 {
        return Some(Kind::Secret);
    }
    if w == "key" {
        return Some(Kind::Key);
    }
    if GLUED_KEYS.contains(&w) {
        return Some(Kind::QualifiedKey);
    }
    if w == "auth" || w == "authorization" || w == "authorisation" {
        return Some(Kind::Auth);
    }
    if matches!(w, "credential" | "credentials" | "creds" | "cred") {
        return Some(Kind::Credential);
    }
    None
}

/// Words after the secret word that keep the role (`SECRET_KEY_BASE`, `password_prod`).
const TRAILING_OK: &[&str] = &[
    "base",
    "value",
    "val",
    "str",
    "string",
    "b64",
    "base64",
    "hex",
    "raw",
    "plain",
    "plaintext",
    "bytes",
    "data",
    "literal",
    "prod",
    "production",
    "dev",
    "development",
    "staging",
    "stage",
    "stg",
    "test",
    "qa",
    "uat",
    "live",
    "sandbox",
    "local",
    "default",
    "old",
    "new",
    "current",
    "primary",
    "secondary",
    "backup",
    "main",
    "admin",
    "root",
    "confirm",
    "confirmation",
    "again",
    "repeat",
    "override",
    "v",
    "for",
    "secret",
    "key",
    "token",
    "pass",
];

/// Qualifiers before the secret word that name something public or protocol-level.
const NEGATIVE_QUALIFIERS: &[&str] = &[
    "public",
    "pub",
    "publishable",
    "csrf",
    "xsrf",
    "authenticity",
    "hashed",
    "hash",
    "next",
    "page",
    "continuation",
    "cursor",
    "pagination",
    "sync",
    "marker",
    "idempotency",
    "max",
    "min",
    "num",
    "number",
    "count",
    "total",
    "sort",
    "partition",
    "range",
    "foreign",
    "cache",
    "lookup",
    "map",
    "dict",
    "index",
    "hot",
    "shortcut",
    "group",
    "object",
    "item",
    "field",
    "column",
    "row",
    "unique",
    "composite",
    "translation",
    "i18n",
    "locale",
    "tokenizer",
    "eos",
    "bos",
    "pad",
    "unk",
    "mask",
    "sep",
    "cls",
    "special",
    "input",
    "output",
    "prompt",
    "completion",
    "start",
    "end",
    "stop",
    "cancellation",
    "cancel",
    "lexer",
    "parser",
    "lex",
    "parse",
    "cur",
    "last",
    "first",
    "prev",
    "previous",
    "device",
    "push",
    "registration",
    "fcm",
    "apns",
    "verification",
    "verify",
    "reset",
    "forgot",
    "invite",
    "invitation",
    "unsubscribe",
    "resume",
    "lock",
    "change",
    "delegation",
    "get",
    "set",
    "fetch",
    "load",
    "read",
    "encode",
    "decode",
    "validate",
    "validation",
    "check",
    "generate",
    "gen",
    "make",
    "build",
    "create",
    "delete",
    "remove",
    "has",
    "is",
    "no",
    "use",
    "show",
    "hide",
    "toggle",
    "masked",
    "redact",
    "redacted",
    "fake",
    "dummy",
    "mock",
    "example",
    "sample",
    "placeholder",
    "label",
    "param",
    "header",
    "len",
    "length",
    "type",
    "require",
    "required",
    "policy",
    "strength",
    "expiry",
    "expire",
    "expired",
    "hint",
    "random",
    "otp",
    "encrypted",
    "state",
    "form",
    "hidden",
    "request",
    "enable",
    "enabled",
    "disable",
    "allow",
    "without",
    "with",
];

/// The role a name gives its value, or `None` when the name does not hold a secret.
fn role(name: &str) -> Option<Role> {
    let ws = words(name);
    let (i, k) = ws.iter().enumerate().rev().find_map(|(i, w)| kind(w).map(|k| (i, k)))?;
    let before = &ws[..i];
    let after = &ws[i + 1..];
    let trailing_ok = |w: &String| {
        let t = w.trim_end_matches(|c: char| c.is_ascii_digit());
        t.is_empty() || TRAILING_OK.contains(&t)
    };
    if !after.iter().all(trailing_ok) {
        return None;
    }
    if before.iter().any(|w| NEGATIVE_QUALIFIERS.contains(&w.as_str())) {
        return None;
    }
    // ids that providers document as public or as the non-secret half of a pair
    const PUBLIC_IDS: &[&[&str]] = &[
        &["mixpanel", "token"],
        &["mixpanel", "project", "token"],
        &["pusher", "key"],
        &["pusher", "app", "key"],
        &["ovh", "application", "key"],
        &["ovh", "app", "key"],
        &["integration", "key"], // Duo's ikey (the skey is the secret)
        &["algolia", "search", "key"],
        &["algolia", "search", "api", "key"],
    ];
    let head = &ws[..=i];
    if PUBLIC_IDS
        .iter()
        .any(|p| head.len() >= p.len() && head[head.len() - p.len()..].iter().zip(p.iter()).all(|(a, b)| a == b))
    {
        return None;
    }
    // protocol tokens: idempotency (`ClientToken`), pagination, lifecycle and import handles
    const TOKEN_QUALIFIERS: &[&str] =
        &["client", "action", "lifecycle", "starting", "import", "copy", "confirmation", "work", "unit", "update"];
    if k == Kind::Token && before.iter().any(|w| TOKEN_QUALIFIERS.contains(&w.as_str())) {
        return None;
    }
    Some(match k {
        Kind::Password => Role::Password,
        Kind::Token | Kind::Secret | Kind::QualifiedKey => Role::Secret,
        Kind::Auth | Kind::Credential => Role::Auth,
        Kind::Key => {
            let qualified = before.iter().any(|w| !w.is_empty() && !w.bytes().all(|c| c.is_ascii_digit()));
            if qualified { Role::Secret } else { Role::WeakKey }
        }
    })
}

// ---- what a value is not ----

/// Exact values that are placeholders or defaults, not secrets.
const PLACEHOLDERS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "secrets",
    "token",
    "key",
    "apikey",
    "api_key",
    "api-key",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "empty",
    "default",
    "string",
    "str",
    "required",
    "optional",
    "env",
    "value",
    "test",
    "testing",
    "admin",
    "root",
    "postgres",
    "mysql",
    "guest",
    "user",
    "username",
    "example",
    "changeme",
    "changeit",
    "letmein",
    "hunter2",
    "qwerty",
    "secret123",
    "password1",
    "password123",
    "pass123",
    "abc123",
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "foobar",
    "foo",
    "bar",
    "baz",
    "dummy",
    "sample",
    "mypassword",
    "mysecret",
    "yourpassword",
    "yoursecret",
    "s3cr3t",
    "p@ssw0rd",
    "passw0rd",
    "p@ssword",
    "hidden",
    "masked",
    "redacted",
    "unset",
    "notset",
    "tbd",
    "todo",
    "n/a",
    "na",
    "blank",
    "bearer",
    "basic",
    "private",
    "public",
    "secure",
    "insecure",
    "disabled",
    "enabled",
    "auto",
    "prompt",
    "ask",
    "stdin",
    "file",
    "vault",
    "pa$$word",
    "pa55word",
    "p4ssw0rd",
    "p4ssword",
    "secret!",
    "topsecret",
    "supersecret",
    "mysecretpassword",
    "secretpassword",
    "password!",
    "password1!",
    "administrator",
    "12345",
    "1234",
    "toor",
    "newpassword",
    "oldpassword",
    "mypass",
    "secretpass",
    "testpass",
    "testpassword",
];

/// Substrings that mark a placeholder or template.
const PLACEHOLDER_PARTS: &[&str] = &[
    "${",
    "{{",
    "}}",
    "#{",
    "%(",
    "$(",
    "<%",
    "%>",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "your_",
    "your-",
    "yourpass",
    "yoursecret",
    "yourkey",
    "yourtoken",
    "<your",
    "replace",
    "placeholder",
    "example",
    "redacted",
    "dummy",
    "insert",
    "put_your",
    "put-your",
    "fill_in",
    "fill-in",
    "todo",
    "fixme",
    "xxx",
    "***",
    "...",
    "\u{2026}",
    "_here",
    "-here",
    "not_set",
    "not-set",
    "notreal",
    "not_real",
    "not-a-real",
    "fake",
];

fn placeholder(v: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(v).to_ascii_lowercase();
    let bare = lower.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '!' | '?' | '.'));
    const BARE: &[&str] = &["changeme", "changeit", "example", "sample", "dummy", "placeholder", "redacted", "foobar"];
    if PLACEHOLDERS.contains(&lower.as_str()) || BARE.contains(&bare) {
        return true;
    }
    if PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p)) || template(v) {
        return true;
    }
    let first = v[0];
    let last = v[v.len() - 1];
    // `$VAR`, `%VAR%`, `@VAR@`, `__VAR__`, `<value>`, `[value]`, `{0}`, `:param`, `?`
    if first == b'$'
        || (first == b'%' && last == b'%')
        || (first == b'@' && last == b'@' && v.len() > 2)
        || (v.starts_with(b"__") && v.ends_with(b"__"))
        || (first == b'<' && last == b'>')
        || (first == b'[' && last == b']')
        || (first == b'{' && last == b'}')
        || (first == b':' && v.len() > 1 && v[1].is_ascii_alphabetic())
        || v == b"?"
    {
        return true;
    }
    // one repeated character: `aaaaaaa`, `0000`, `----`
    v.iter().all(|&c| c == first)
}

/// Template and interpolation syntax: `${VAR}`, `{{ x }}`, `%(x)s`, `#{x}`, `$(cmd)`, `<%= x %>`.
fn template(v: &[u8]) -> bool {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::bytes::Regex::new(
            r"\$\{[A-Za-z_][^}]*\}|\{\{[^}]*\}\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdr]|#\{[A-Za-z_@][^}]*\}|\$\([a-z][^)]*\)|<%.*%>|\$\{\{|(?:^|[^A-Za-z0-9])%[0-9]{0,2}[sdvq](?:[^A-Za-z0-9]|$)|\{\}|\{:[^}]*\}|\{[0-9]\}",
        )
        .expect("template regex is valid")
    });
    re.is_match(v)
}

/// True when the value is something other than a literal secret (see the module doc).
fn rejected(v: &[u8], quoted: bool) -> bool {
    if v.is_empty() || placeholder(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let has = |s: &[u8]| memchr::memmem::find(&lower, s).is_some();
    // references to other values
    if !quoted && matches!(v[0], b'!' | b'&' | b'*' | b'=' | b'(' | b'{' | b'[')
        || lower.starts_with(b"vault:")
        || lower.starts_with(b"ref+")
        || lower.starts_with(b"op://")
        || lower.starts_with(b"arn:")
        || lower.starts_with(b"env:")
        || lower.starts_with(b"secret:")
        || lower.starts_with(b"@microsoft.keyvault")
        || lower.starts_with(b"enc[")
        || lower.starts_with(b"aws4-")
        || has(b"aws4_request")
        || has(b"process.env")
        || has(b"os.environ")
        || has(b"getenv")
        || has(b"import.meta.env")
    {
        return true;
    }
    if !quoted && (memchr::memchr(b'(', v).is_some() || memchr::memchr(b'[', v).is_some()) {
        return true; // a call or an index
    }
    if !quoted && (v[0] == b':' || memchr::memmem::find(v, b"::").is_some()) {
        return true; // `crate::Token`, `::std`
    }
    if member_access(v) || namespaced(v) {
        return true; // `settings.KEY`, `fs.s3.cse.enabled`, `aws:secretsmanager:owningService`
    }
    // `@env:AC_PASSWORD`, `env:DB_PASSWORD`, `file:secret_name`: a reference by name
    let unat = v.strip_prefix(b"@").unwrap_or(v);
    if let Some(colon) = memchr::memchr(b':', unat)
        && let (scheme, rest) = (&unat[..colon], &unat[colon + 1..])
        && !scheme.is_empty()
        && scheme.iter().all(u8::is_ascii_alphabetic)
        && !rest.is_empty()
        && rest.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
        && rest.iter().any(|c| c.is_ascii_uppercase() || *c == b'_')
        && identifier(rest)
    {
        return true;
    }
    // a braced GUID (`{262E99C9-6160-4871-ACEC-4E61736B6F21}`): a class or registry id
    if let Some(open) = memchr::memchr(b'{', v)
        && v.len() >= open + 38
        && v[open + 37] == b'}'
        && uuid(&v[open + 1..open + 37])
    {
        return true;
    }
    // URLs, e-mail addresses, paths
    if has(b"://") || lower.starts_with(b"www.") || email(v) || path_like(v) {
        return true;
    }
    // public keys, digests, versions, coordinates
    if lower.starts_with(b"ssh-rsa ")
        || lower.starts_with(b"ssh-ed25519 ")
        || lower.starts_with(b"ecdsa-sha2-")
        || lower.starts_with(b"-----begin public key")
        || digest_prefixed(&lower)
        || version(v)
        || coordinate(v)
    {
        return true;
    }
    natural_language(v)
}

/// `settings.SECRET_KEY`, `config.db.password`, `self._token`: dotted identifiers.
fn member_access(v: &[u8]) -> bool {
    let parts: Vec<&[u8]> = v.split(|&c| c == b'.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p[0].is_ascii_alphabetic() || p[0] == b'_')
                && p.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
        })
        && parts.iter().any(|p| identifier(p))
        && parts.iter().all(|p| identifier(p) || p.len() <= 6)
}

/// `aws:secretsmanager:owningService`, `AWS::CloudFormation::Module`, `lambda:createdBy`,
/// `myPipeline/SourceArti/key`: a namespaced name, each part a word or an identifier.
fn namespaced(v: &[u8]) -> bool {
    for sep in [b':', b'/'] {
        let parts: Vec<&[u8]> = v.split(|&c| c == sep).filter(|p| !p.is_empty()).collect();
        if parts.len() >= 2
            && parts.iter().all(|p| p.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
            && parts.iter().filter(|p| identifier(p)).count() * 2 >= parts.len()
        {
            return true;
        }
    }
    false
}

fn email(v: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', v) else { return false };
    let (user, host) = (&v[..at], &v[at + 1..]);
    !user.is_empty()
        && memchr::memchr(b'@', host).is_none()
        && host.contains(&b'.')
        && host.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
        && host
            .rsplit(|&c| c == b'.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
}

fn path_like(v: &[u8]) -> bool {
    if v.starts_with(b"/") && !v.starts_with(b"//")
        || v.starts_with(b"./")
        || v.starts_with(b"../")
        || v.starts_with(b"~/")
    {
        return true;
    }
    if v.len() > 2 && v[0].is_ascii_alphabetic() && v[1] == b':' && (v[2] == b'\\' || v[2] == b'/') {
        return true;
    }
    if v.starts_with(b"\\\\") {
        return true;
    }
    // `SOFTWARE\Microsoft\Windows Kits`, `conf\keys\app`: backslash-separated words
    if memchr::memchr(b'\\', v).is_some() {
        let segs: Vec<&[u8]> = v.split(|&c| c == b'\\').collect();
        if segs.len() >= 2
            && segs.iter().all(|s| {
                !s.is_empty() && s.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b'_' | b'-'))
            })
            && segs.iter().any(|s| identifier(s) || s.split(|&c| c == b' ').all(|w| w.is_empty() || identifier(w)))
        {
            return true;
        }
    }
    const EXT: &[&str] = &[
        ".pem",
        ".key",
        ".crt",
        ".cer",
        ".p12",
        ".pfx",
        ".jks",
        ".der",
        ".json",
        ".yaml",
        ".yml",
        ".txt",
        ".conf",
        ".cfg",
        ".ini",
        ".env",
        ".toml",
        ".xml",
        ".keystore",
        ".gpg",
        ".asc",
        ".pub",
        ".p8",
        ".kdbx",
        ".html",
        ".js",
        ".py",
        ".sh",
        ".log",
        ".db",
        ".sqlite",
    ];
    let lower = String::from_utf8_lossy(v).to_ascii_lowercase();
    if EXT.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    // `secret/data/app/db`, `kv/prod/api-key`: word segments separated by slashes
    let segs: Vec<&str> = lower.split('/').collect();
    segs.len() >= 2
        && segs.iter().all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'.' | b'#'))
        })
        && v.iter().all(|c| !c.is_ascii_uppercase())
}

fn digest_prefixed(lower: &[u8]) -> bool {
    ["sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha384:", "sha512:", "md5:", "md5-", "blake3:"]
        .iter()
        .any(|p| lower.starts_with(p.as_bytes()))
}

/// `1.2.3`, `v2.0.0-rc.1`, `20240101`, `3.11`
fn version(v: &[u8]) -> bool {
    let s = v.strip_prefix(b"v").or_else(|| v.strip_prefix(b"V")).unwrap_or(v);
    let core_end = s.iter().position(|&c| c == b'-' || c == b'+').unwrap_or(s.len());
    let core = &s[..core_end];
    !core.is_empty()
        && core[0].is_ascii_digit()
        && core.iter().all(|&c| c.is_ascii_digit() || c == b'.' || c == b'_')
        && (core.contains(&b'.') || core_end == s.len() && v.len() <= 10 && v[0] != b'0')
        && s[core_end..].iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
        && (core_end == s.len() || core.contains(&b'.'))
}

/// `org.apache.commons:commons-lang3:3.12.0`, `@scope/pkg@1.2.3`, `requests==2.31.0`,
/// `library/nginx:1.25`
fn coordinate(v: &[u8]) -> bool {
    let s = String::from_utf8_lossy(v);
    let word =
        |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() >= 3 && parts.iter().all(|p| word(p)) && parts.iter().any(|p| version(p.as_bytes())) {
        return true;
    }
    if let Some((name, ver)) = s.rsplit_once('@')
        && name.starts_with('@')
        && version(ver.trim_start_matches(['^', '~']).as_bytes())
    {
        return true;
    }
    for op in ["==", ">=", "<=", "~="] {
        if let Some((name, ver)) = s.split_once(op)
            && word(name)
            && version(ver.as_bytes())
        {
            return true;
        }
    }
    if let Some((image, tag)) = s.rsplit_once(':')
        && image.contains('/')
        && image.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'/' | b'.' | b'_' | b'-'))
        && (tag == "latest" || version(tag.as_bytes()))
    {
        return true;
    }
    false
}

/// Several dictionary-looking words separated by spaces: a sentence, not a secret.
fn natural_language(v: &[u8]) -> bool {
    let toks: Vec<&[u8]> = v.split(|c| c.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    if toks.len() < 2 {
        return false;
    }
    let wordy = toks
        .iter()
        .filter(|t| {
            let mut t: &[u8] = t;
            while let Some(rest) = t.strip_suffix(b"\\n").or_else(|| t.strip_suffix(b"\\r")) {
                t = rest;
            }
            let t = trim_punct(t);
            !t.is_empty() && t.iter().all(u8::is_ascii_alphabetic)
        })
        .count();
    wordy >= 2 && wordy * 2 >= toks.len()
}

fn trim_punct(t: &[u8]) -> &[u8] {
    let start = t.iter().position(|c| c.is_ascii_alphanumeric()).unwrap_or(t.len());
    let end = t.iter().rposition(|c| c.is_ascii_alphanumeric()).map_or(start, |e| e + 1);
    &t[start..end.max(start)]
}

/// Splits an identifier-shaped value into its alphabetic parts (`_ - .`, camelCase, digits).
fn alpha_parts(v: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=v.len() {
        let c = v.get(i).copied();
        let boundary = match c {
            None => true,
            Some(c) if !c.is_ascii_alphabetic() => true,
            Some(c) => {
                i > 0 && v[i - 1].is_ascii_lowercase() && c.is_ascii_uppercase()
                    || (i > 0
                        && v[i - 1].is_ascii_uppercase()
                        && c.is_ascii_uppercase()
                        && v.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()))
            }
        };
        if boundary {
            if let Some(s) = start.take() {
                out.push(&v[s..i]);
            }
            if c.is_some_and(|c| c.is_ascii_alphabetic()) {
                start = Some(i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

/// Vowel-less abbreviations common in names.
const ABBREVIATIONS: &[&str] = &[
    "smtp", "http", "https", "sql", "db", "ssh", "tls", "ssl", "xml", "html", "jwt", "pwd", "cfg", "ctx", "msg", "src",
    "dst", "tmp", "pkg", "lib", "svc", "cmd", "std", "url", "dns", "tcp", "udp", "ftp", "sftp", "rpc", "grpc", "crm",
    "cms", "cdn", "gcp", "pg", "mq", "kv", "id", "js", "ts", "ws", "wss", "mfa", "hmac", "rsa",
];

/// A part that reads like a word: has a vowel, no long consonant run, not mixed case inside.
fn wordlike(p: &[u8]) -> bool {
    if ABBREVIATIONS.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(p)) {
        return true;
    }
    if p.len() <= 2 {
        return false;
    }
    let vowel = |c: u8| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    if !p.iter().any(|&c| vowel(c)) {
        return false;
    }
    let mut run = 0;
    for &c in p {
        run = if vowel(c) { 0 } else { run + 1 };
        if run > 4 {
            return false;
        }
    }
    // `Word`, `word`, `WORD`: never `wOrD`
    p[1..].iter().all(u8::is_ascii_lowercase) || p.iter().all(u8::is_ascii_uppercase)
}

/// An identifier: letters, digits and `_ - .` only, made of word-like parts, few digits.
fn identifier(v: &[u8]) -> bool {
    identifier_parts(v).is_some()
}

/// When `v` is an [`identifier`], the number of its alphabetic parts.
fn identifier_parts(v: &[u8]) -> Option<usize> {
    if !v.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')) {
        return None;
    }
    let parts = alpha_parts(v);
    if parts.is_empty() {
        return None;
    }
    let digits = v.iter().filter(|c| c.is_ascii_digit()).count();
    // Parts of one or two letters (`I`, `Am`, `Db`) weigh half: names have a few, random text many.
    let letters: usize = parts.iter().map(|p| if p.len() <= 2 { p.len() } else { 2 * p.len() }).sum();
    let word_letters: usize = parts.iter().filter(|p| wordlike(p)).map(|p| 2 * p.len()).sum();
    (digits * 4 <= v.len() && word_letters >= 6 && word_letters * 10 >= letters * 8).then_some(parts.len())
}

/// A compound identifier (two or more words, no digits): a name, never a chosen password.
fn compound_identifier(v: &[u8]) -> bool {
    !v.iter().any(u8::is_ascii_digit) && identifier_parts(v).is_some_and(|n| n >= 2)
}

// ---- strength ----

struct Classes {
    lower: bool,
    upper: bool,
    digit: bool,
    symbol: bool,
}

fn classes(v: &[u8]) -> Classes {
    Classes {
        lower: v.iter().any(u8::is_ascii_lowercase),
        upper: v.iter().any(u8::is_ascii_uppercase),
        digit: v.iter().any(u8::is_ascii_digit),
        symbol: v.iter().any(|c| !c.is_ascii_alphanumeric()),
    }
}

fn uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter()
            .enumerate()
            .all(|(i, &c)| if matches!(i, 8 | 13 | 18 | 23) { c == b'-' } else { c.is_ascii_hexdigit() })
}

fn hex(v: &[u8]) -> bool {
    v.iter().all(u8::is_ascii_hexdigit)
        && (v.iter().all(|c| !c.is_ascii_uppercase()) || v.iter().all(|c| !c.is_ascii_lowercase()))
}

/// True when [`judge_value`] turns `val` down for `role` whatever [`rejected`] says: the
/// strength tests refuse it (too short, or a name), and the base64 reading, which wants at
/// least 8 bytes that are not an identifier, does not apply.
fn hopeless(val: &[u8], role: Role) -> bool {
    match role {
        Role::Password => val.len() < 4 || compound_identifier(val),
        _ => val.len() < 8 || (!uuid(val) && identifier(val)),
    }
}

/// A literal assigned to a password role: short human passwords count.
fn password_strength(v: &[u8]) -> Option<Confidence> {
    if v.len() >= 4 && rejected(v, true) {
        return None;
    }
    password_strength_of(v)
}

/// [`password_strength`] of a value known not to be [`rejected`].
fn password_strength_of(v: &[u8]) -> Option<Confidence> {
    if v.len() < 4 || compound_identifier(v) {
        return None;
    }
    let c = classes(v);
    if v.iter().all(u8::is_ascii_digit) {
        return Some(Confidence::Low); // a PIN or a number
    }
    let kinds = [c.lower, c.upper, c.digit, c.symbol].iter().filter(|&&b| b).count();
    if names_itself(v) {
        return Some(Confidence::Low); // `P@55w0rd!`, `SomeKindOfPassword123`, `generatedpassword1`
    }
    // `correct_master_key_123!`, `my-secret-password-1`: a readable phrase naming itself
    let core = v.strip_suffix(b"!").unwrap_or(v);
    let core = &core[..core.len() - core.iter().rev().take_while(|c| c.is_ascii_digit() || **c == b'_').count()];
    if identifier(core) && alpha_parts(core).len() >= 2 {
        let lower = core.to_ascii_lowercase();
        if ["pass", "secret", "key", "token", "pwd"]
            .iter()
            .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
        {
            return Some(Confidence::Low);
        }
    }
    let random_letters = v.len() >= 8 && kinds >= 2 && !identifier(v);
    if v.len() >= 6 && (kinds >= 2 && (c.digit || c.symbol) || kinds >= 3) || random_letters {
        Some(Confidence::Medium)
    } else {
        Some(Confidence::Low)
    }
}

/// A password that spells "password" or "secret" (also in leetspeak): a sample, not a choice.
fn names_itself(v: &[u8]) -> bool {
    let letters: Vec<u8> = v.iter().filter(|c| c.is_ascii_alphabetic()).map(u8::to_ascii_lowercase).collect();
    let leet: Vec<u8> = v
        .iter()
        .filter_map(|&c| match c.to_ascii_lowercase() {
            b'@' | b'4' => Some(b'a'),
            b'$' | b'5' => Some(b's'),
            b'0' => Some(b'o'),
            b'3' => Some(b'e'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        })
        .collect();
    // exactly the word (`P@55w0rd!`, `Password123`), or a long phrase around it
    [letters, leet].iter().any(|t| {
        t.as_slice() == b"password"
            || t.as_slice() == b"passwd"
            || v.len() >= 14 && memchr::memmem::find(t, b"password").is_some()
    })
}

/// A literal assigned to a token, secret or key role: random-looking values count.
fn secret_strength(v: &[u8], role: Role) -> Option<Confidence> {
    if v.len() >= 8 && rejected(v, true) {
        return None;
    }
    secret_strength_of(v, role)
}

/// [`secret_strength`] of a value known not to be [`rejected`].
fn secret_strength_of(v: &[u8], role: Role) -> Option<Confidence> {
    if v.len() < 8 {
        return None;
    }
    if uuid(v) {
        if v.iter().filter(|&&c| c != b'-').all(|&c| c == v[0]) || v.starts_with(b"12345678-") {
            return None;
        }
        return Some(if role == Role::WeakKey { Confidence::Low } else { Confidence::Medium });
    }
    if v.iter().all(u8::is_ascii_digit) || identifier(v) {
        return None;
    }
    let e = shannon_entropy(v);
    let c = classes(v);
    if v.contains(&b' ') && !v.iter().any(|&c| !c.is_ascii_alphanumeric() && c != b' ') {
        return None; // words
    }
    let strong = if hex(v) {
        v.len() >= 32 && e >= 3.0
    } else if c.digit || c.symbol {
        v.len() >= 16 && e >= 3.2 && (c.lower || c.upper)
    } else {
        v.len() >= 20 && e >= 3.6 && c.lower && c.upper
    };
    let weak_ok = e >= 2.5 && (c.digit || c.symbol || v.len() >= 12);
    match (role, strong) {
        (Role::WeakKey, true) if v.len() >= 24 || hex(v) => Some(Confidence::Medium),
        (Role::WeakKey, _) => weak_ok.then_some(Confidence::Low),
        (_, true) => Some(Confidence::Medium),
        _ => weak_ok.then_some(Confidence::Low),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_refused_whatever_the_name_is_refused_by_judge() {
        let rules = crate::rules::load_rules(&crate::rules::RuleOptions::default()).expect("built-in rules load");
        let gated: Vec<_> = rules.rules.iter().filter(|r| r.gate == Some(Gate::Assignment)).collect();
        assert!(!gated.is_empty());
        let mut lines: Vec<&str> = vec![
            r#"      "input_token": "NextToken","#,
            r#"  "result_key": "TrainingJobSummaries", "secret": "x9Qv2LmT8rWc4ZpK7nB3""#,
            "items.sort(key=lambda kv: kv[1]); token = tok",
            "api_key = ApiKeyValue; password=ab; auth=('user', 'Pw8xQ2mL!')",
            "credentialScope : {",
            r#"<add key="ApiKey" value="pQ7vN2xK9mL4tR8wZ3cY6bH1jF5gD0sA"/>"#,
            r#"KeyId: 3f1e5c2a-9b7d-4e8f-a1c3-5d7e9f0b2c4a token: f'{x}' secret_key: "key=Zx81QmVt2LpKo9Rs""#,
        ];
        for r in &gated {
            lines.extend(r.examples.iter().chain(&r.negative_examples).map(String::as_str));
        }
        let (mut refused, mut judged) = (0, 0);
        for path in [None, Some("app/settings.py"), Some("conf/app.json")] {
            for r in &gated {
                let m = r.matcher().expect("compiles").expect("has a regex");
                for line in &lines {
                    let text = line.as_bytes();
                    let mut at = 0;
                    while let Some(caps) = m.regex.captures_at(text, at) {
                        let all = caps.get(0).expect("group 0");
                        let mut resume = all.end();
                        let verdict = judge(Gate::Assignment, &caps, text, path, &mut resume);
                        if verdict.is_none() && resume > all.end() && name_like(&text[all.end()..resume]) {
                            resume = all.end();
                        }
                        if refused_whatever_the_name(Gate::Assignment, text, all.end(), path) {
                            refused += 1;
                            assert_eq!(verdict, None, "{} on {line:?} ({path:?})", r.id());
                            assert_eq!(resume, all.end(), "{} on {line:?} ({path:?})", r.id());
                        } else {
                            judged += 1;
                        }
                        at = resume.max(all.end()).max(all.start() + 1);
                    }
                }
            }
        }
        assert!(refused > 10 && judged > 10, "{refused} refused, {judged} judged");
    }

    #[test]
    fn roles_from_names() {
        assert_eq!(role("DB_PASSWORD"), Some(Role::Password));
        assert_eq!(role("dbPassword"), Some(Role::Password));
        assert_eq!(role("secret_key_base"), Some(Role::Secret));
        assert_eq!(role("APP_KEY"), Some(Role::Secret));
        assert_eq!(role("aws_key"), Some(Role::Secret));
        assert_eq!(role("_authToken"), Some(Role::Secret));
        assert_eq!(role("_auth"), Some(Role::Auth));
        assert_eq!(role("key"), Some(Role::WeakKey));
        assert_eq!(role("password_reset_url"), None);
        assert_eq!(role("authenticity_token"), None);
        assert_eq!(role("hashed_secret"), None);
        assert_eq!(role("public_key"), None);
        assert_eq!(role("max_tokens"), None);
        assert_eq!(role("api_key_id"), None);
        assert_eq!(role("tokenizer"), None);
        assert_eq!(role("author"), None);
        assert_eq!(role("bypass"), None);
        assert_eq!(role("secretName"), None);
        assert_eq!(role("ClientToken"), None);
        assert_eq!(role("client_secret"), Some(Role::Secret));
        assert_eq!(role("upload_token"), Some(Role::Secret));
        assert_eq!(role("mixpanelToken"), None);
        assert_eq!(role("ovh_application_key"), None);
        assert_eq!(role("IntegrationKey"), None);
        assert_eq!(role("ovh_application_secret"), Some(Role::Secret));
    }

    #[test]
    fn values_that_are_not_secrets() {
        for v in [
            "${DB_PASSWORD}",
            "{{ vault_db }}",
            "%(password)s",
            "<your-api-key>",
            "xxxxxxxx",
            "changeme",
            "********",
            "settings.SECRET_KEY",
            "/etc/ssl/private/server.key",
            "https://docs.example.com/reset-password",
            "1.2.3",
            "org.apache.commons:commons-lang3:3.12.0",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "the quick brown fox",
            "!vault",
            "aws:secretsmanager:owningService",
            "AWS::CloudFormation::Module",
            "fs.s3.cse.enabled",
            r"SOFTWARE\Microsoft\Windows Kits\Installed Roots",
            "_SA_{262E99C9-6160-4871-ACEC-4E61736B6F21}",
            "@env:AC_PASSWORD",
            "branch.%s.remote",
            "admin",
            "changeme123",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, Signature=5fa00fa3",
        ] {
            assert!(rejected(v.as_bytes(), false), "{v} should be rejected");
        }
        assert!(identifier(b"getApiTokenFromEnvironment"));
        assert!(identifier(b"user_session_token_cache"));
        assert!(!identifier(b"tIF1BuQ97tEOt0hLexHG3yjfIr1A63L2"));
        assert!(!identifier(b"Xk9mQ2vLp8"));
    }

    #[test]
    fn test_and_example_paths() {
        assert!(test_path("tests/unit/test_db.py"));
        assert!(test_path("pkg/db_test.go"));
        assert!(test_path("awscli/examples/iam/create-user.rst"));
        assert!(!test_path("app/settings.py"));
        assert!(!test_path("attestation/config.yaml"));
        assert!(test_path("aws-sigv4-1.3.8/aws-signing-test-suite/v4/get-vanilla/header-signed-request.txt"));
        assert!(!test_path("contest/config.yaml"));
    }

    #[test]
    fn password_and_secret_strength() {
        assert_eq!(password_strength(b"Summer2024!"), Some(Confidence::Medium));
        assert_eq!(password_strength(b"admin123"), Some(Confidence::Medium));
        assert_eq!(password_strength(b"sunshine"), Some(Confidence::Low));
        assert_eq!(password_strength(b"password"), None);
        assert_eq!(password_strength(b"dbPassword"), None);
        assert_eq!(password_strength(b"IAmSensitive"), None);
        assert_eq!(password_strength(b"P@55w0rd"), Some(Confidence::Low));
        assert_eq!(password_strength(b"generatedwebdavpassword1"), Some(Confidence::Low));
        assert_eq!(password_strength(b"admin2024"), Some(Confidence::Medium));
        assert_eq!(secret_strength(b"tIF1BuQ97tEOt0hLexHG3yjfIr1A63L2", Role::Secret), Some(Confidence::Medium));
        assert_eq!(secret_strength(b"getApiTokenFromEnvironment", Role::Secret), None);
        assert_eq!(secret_strength(b"3f1e5c2a-9b7d-4e8f-a1c3-5d7e9f0b2c4a", Role::Secret), Some(Confidence::Medium));
    }
}
