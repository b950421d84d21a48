//! Byte offsets to 1-based line and column numbers, computed only for findings.

use std::collections::BTreeMap;

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Resolves every offset in `offsets` in one forward pass over `hay`.
pub fn resolve(hay: &[u8], offsets: impl IntoIterator<Item = usize>) -> BTreeMap<usize, LineCol> {
    let mut out = BTreeMap::new();
    for off in offsets {
        out.insert(off.min(hay.len()), LineCol { line: 0, column: 0 });
    }
    let (mut pos, mut line, mut col) = (0usize, 1u32, 1u32);
    for (&off, lc) in out.iter_mut() {
        let chunk = &hay[pos..off];
        match memchr::memrchr(b'\n', chunk) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', chunk).count() as u32;
                col = 1 + count_chars(&chunk[last + 1..]);
            }
            None => col += count_chars(chunk),
        }
        pos = off;
        *lc = LineCol { line, column: col };
    }
    out
}

fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let hay = "ab\ncdé f\n\nx".as_bytes();
        let m = resolve(hay, [0, 1, 3, 7, 10, 11, hay.len()]);
        assert_eq!(m[&0], LineCol { line: 1, column: 1 });
        assert_eq!(m[&1], LineCol { line: 1, column: 2 });
        assert_eq!(m[&3], LineCol { line: 2, column: 1 });
        // "cdé " is 5 bytes, 4 chars: offset 8 is 'f'
        assert_eq!(resolve(hay, [8])[&8], LineCol { line: 2, column: 5 });
        assert_eq!(m[&11], LineCol { line: 4, column: 1 });
    }
}
