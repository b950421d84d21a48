//! Go RE2 → Rust regex compatibility for gitleaks configs: RE2 reads a `{` that does not
//! start a valid repetition (`{n}`, `{n,}`, `{n,m}`) as a literal; Rust's parser rejects it.

/// Escapes every `{` (and its matching `}`) that RE2 would read as a literal.
pub fn translate(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut literal_braces = 0usize;
    while i < b.len() {
        let c = b[i] as char;
        match c {
            '\\' if i + 1 < b.len() => {
                // copy the escape and the escaped character (which may be multi-byte)
                let next = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&src[i..i + 1 + next]);
                i += 1 + next;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // a `]` right after `[` or `[^` is literal
                let mut j = i + 1;
                if j < b.len() && b[j] == b'^' {
                    out.push('^');
                    j += 1;
                }
                if j < b.len() && b[j] == b']' {
                    out.push_str("\\]");
                    j += 1;
                }
                i = j;
                continue;
            }
            ']' if in_class => in_class = false,
            '{' if !in_class && !is_repetition(&b[i..]) => {
                out.push_str("\\{");
                literal_braces += 1;
                i += 1;
                continue;
            }
            '}' if !in_class && literal_braces > 0 => {
                literal_braces -= 1;
                out.push_str("\\}");
                i += 1;
                continue;
            }
            _ => {}
        }
        let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `s`.
fn is_repetition(s: &[u8]) -> bool {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if i < s.len() && s[i] == b',' {
        i += 1;
        digits(&mut i);
    }
    i < s.len() && s[i] == b'}'
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn literal_braces_are_escaped_repetitions_kept() {
        assert_eq!(translate(r"\$?{{[^}]+}}"), r"\$?\{\{[^}]+\}\}");
        assert_eq!(translate(r"a{2}b{3,}c{1,4}"), r"a{2}b{3,}c{1,4}");
        assert_eq!(translate(r"[{}]x\{"), r"[{}]x\{");
        assert_eq!(translate(r"[]{]"), r"[\]{]");
        assert_eq!(translate("é{x}"), r"é\{x\}");
        for src in [r"\$?{{[^}]+}}", r"a{2}b{3,}c{1,4}", r"[]{]", "é{x}"] {
            regex::Regex::new(&translate(src)).unwrap();
        }
    }
}
