//! UTF-16 and UTF-32 text (as Windows tools and PowerShell write it): recognised by its byte
//! order mark or, without one, by its NUL pattern, and transcoded to UTF-8 for scanning.

/// How far into a blob the BOM-less check looks (as far as the binary check does).
const SAMPLE: usize = 8192;
/// Share of code units in the sample that must be printable ASCII (or tab, CR, LF) for BOM-less
/// text to count as UTF-16/32: ASCII-heavy text, not arrays of small integers.
const MIN_ASCII_SHARE: f64 = 0.7;
/// Shortest BOM-less blob considered (a few characters are not enough to tell).
const MIN_BOMLESS: usize = 8;

/// A wide Unicode encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    /// The name findings carry in `location.encoding`.
    pub fn as_str(self) -> &'static str {
        match self {
            Wide::Utf16Le => "utf-16le",
            Wide::Utf16Be => "utf-16be",
            Wide::Utf32Le => "utf-32le",
            Wide::Utf32Be => "utf-32be",
        }
    }

    fn unit(self) -> usize {
        match self {
            Wide::Utf16Le | Wide::Utf16Be => 2,
            Wide::Utf32Le | Wide::Utf32Be => 4,
        }
    }

    fn read(self, u: &[u8]) -> u32 {
        match self {
            Wide::Utf16Le => u32::from(u16::from_le_bytes([u[0], u[1]])),
            Wide::Utf16Be => u32::from(u16::from_be_bytes([u[0], u[1]])),
            Wide::Utf32Le => u32::from_le_bytes([u[0], u[1], u[2], u[3]]),
            Wide::Utf32Be => u32::from_be_bytes([u[0], u[1], u[2], u[3]]),
        }
    }
}

/// The wide encoding `bytes` are written in, and the length of its byte order mark; None for
/// anything else (UTF-8, other single-byte text, binaries).
pub fn detect(bytes: &[u8]) -> Option<(Wide, usize)> {
    let bom = match bytes {
        [0xFF, 0xFE, 0, 0, ..] => Some((Wide::Utf32Le, 4)),
        [0, 0, 0xFE, 0xFF, ..] => Some((Wide::Utf32Be, 4)),
        [0xFF, 0xFE, ..] => Some((Wide::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Wide::Utf16Be, 2)),
        _ => None,
    };
    let head = &bytes[..bytes.len().min(SAMPLE)];
    if let Some((wide, len)) = bom {
        // A binary that happens to start with FF FE still has NUL units and wild code points.
        return share_ascii(&head[len..], wide).map(|_| (wide, len));
    }
    if head.len() < MIN_BOMLESS || memchr::memchr(0, head).is_none() {
        return None;
    }
    // UTF-32 first: its ASCII units also have NULs at every odd offset.
    [Wide::Utf32Le, Wide::Utf32Be, Wide::Utf16Le, Wide::Utf16Be]
        .into_iter()
        .find(|&w| ascii_heavy(head, w))
        .map(|w| (w, 0))
}

/// True when most code units of `head` read as `wide` are printable ASCII (and none is NUL
/// or out of Unicode's range).
fn ascii_heavy(head: &[u8], wide: Wide) -> bool {
    share_ascii(head, wide).is_some_and(|share| share >= MIN_ASCII_SHARE)
}

/// The share of code units of `head` (read as `wide`) that are printable ASCII, tab, CR or LF;
/// None when a unit is NUL or beyond U+10FFFF (not text in that encoding).
fn share_ascii(head: &[u8], wide: Wide) -> Option<f64> {
    let units = head.chunks_exact(wide.unit());
    let total = units.len();
    let mut ascii = 0usize;
    for u in units {
        match wide.read(u) {
            0 => return None,
            0x09 | 0x0A | 0x0D | 0x20..=0x7E => ascii += 1,
            c if c > 0x10FFFF => return None,
            _ => {}
        }
    }
    Some(if total == 0 { 1.0 } else { ascii as f64 / total as f64 })
}

/// `bytes` (after a `bom`-byte mark) transcoded to UTF-8; unpaired surrogates and invalid code
/// points become U+FFFD, a trailing partial unit is dropped.
pub fn to_utf8(bytes: &[u8], wide: Wide, bom: usize) -> String {
    let body = bytes.get(bom..).unwrap_or_default();
    let units = body.chunks_exact(wide.unit());
    let mut out = String::with_capacity(units.len());
    match wide {
        Wide::Utf16Le | Wide::Utf16Be => {
            let code = units.map(|u| wide.read(u) as u16);
            out.extend(char::decode_utf16(code).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
        }
        Wide::Utf32Le | Wide::Utf32Be => {
            out.extend(units.map(|u| char::from_u32(wide.read(u)).unwrap_or(char::REPLACEMENT_CHARACTER)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn utf32(s: &str, le: bool) -> Vec<u8> {
        s.chars().flat_map(|c| if le { (c as u32).to_le_bytes() } else { (c as u32).to_be_bytes() }).collect()
    }

    #[test]
    fn boms_are_recognised() {
        let text = "$env:TOKEN = 'abc'\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16le(text));
        assert_eq!(detect(&le), Some((Wide::Utf16Le, 2)));
        assert_eq!(to_utf8(&le, Wide::Utf16Le, 2), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16be(text));
        assert_eq!(detect(&be), Some((Wide::Utf16Be, 2)));
        assert_eq!(to_utf8(&be, Wide::Utf16Be, 2), text);
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        le32.extend(utf32(text, true));
        assert_eq!(detect(&le32), Some((Wide::Utf32Le, 4)));
        assert_eq!(to_utf8(&le32, Wide::Utf32Le, 4), text);
        let mut be32 = vec![0, 0, 0xFE, 0xFF];
        be32.extend(utf32(text, false));
        assert_eq!(detect(&be32), Some((Wide::Utf32Be, 4)));
    }

    #[test]
    fn bomless_text_is_recognised_by_its_nul_pattern() {
        let text = "key = \"value\"\nnaïve café ✓ 𝄞\n";
        assert_eq!(detect(&utf16le(text)), Some((Wide::Utf16Le, 0)));
        assert_eq!(detect(&utf16be(text)), Some((Wide::Utf16Be, 0)));
        assert_eq!(detect(&utf32(text, true)), Some((Wide::Utf32Le, 0)));
        assert_eq!(detect(&utf32(text, false)), Some((Wide::Utf32Be, 0)));
        assert_eq!(to_utf8(&utf16le(text), Wide::Utf16Le, 0), text);
        assert_eq!(to_utf8(&utf32(text, false), Wide::Utf32Be, 0), text);
    }

    #[test]
    fn binaries_and_plain_text_are_not_wide() {
        assert_eq!(detect(b"plain ascii text, no NUL at all"), None);
        assert_eq!(detect("UTF-8 caf\u{e9}".as_bytes()), None);
        // An ELF header, a run of little-endian small integers, NUL padding.
        assert_eq!(detect(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), None);
        let ints: Vec<u8> = (1u16..200).flat_map(u16::to_le_bytes).collect();
        assert_eq!(detect(&ints), None);
        assert_eq!(detect(&[0u8; 64]), None);
        assert_eq!(detect(b"a\0b\0"), None, "too short to tell");
        // A binary starting with what looks like a BOM.
        assert_eq!(detect(b"\xFF\xFE\x01\x00\x00\x00\x00\x00\x10\x00"), None);
    }

    #[test]
    fn broken_units_become_replacement_characters() {
        // An unpaired high surrogate, then 'A', then a dangling odd byte.
        let bytes = [0x00, 0xD8, 0x41, 0x00, 0x42];
        assert_eq!(to_utf8(&bytes, Wide::Utf16Le, 0), "\u{FFFD}A");
        assert_eq!(to_utf8(&[0xFF, 0xFF, 0xFF, 0x7F], Wide::Utf32Le, 0), "\u{FFFD}");
        assert_eq!(to_utf8(&[0xFF], Wide::Utf16Le, 2), "");
    }
}
