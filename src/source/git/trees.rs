//! Tree objects read raw from the object database and parsed in place, with a bounded cache
//! of the ones a history walk reads twice (a commit's tree is read again as its children's
//! parent tree).
//!
//! libgit2's own object cache is off for history scans: once full, each store evicts from
//! the start of its hash table and probes past every slot it emptied before, which was a
//! third of a scan of a large history.

use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::rc::Rc;

use git2::{ObjectType, Odb, Oid};

use super::fifo::Fifo;
use super::oid_hash::OidHasher;
use super::pack::Reader;

/// What a tree entry points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A file or a symbolic link.
    Blob,
    Tree,
    /// A submodule's commit.
    Commit,
}

/// One entry of a raw tree: `<octal mode> <name>\0<20-byte id>`.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub name: &'a [u8],
    pub kind: Kind,
    pub id: Oid,
}

impl Entry<'_> {
    pub fn is_tree(&self) -> bool {
        self.kind == Kind::Tree
    }
}

/// Parses a raw tree into `out` (cleared first); an error names what is malformed.
pub fn parse<'a>(data: &'a [u8], out: &mut Vec<Entry<'a>>) -> Result<(), &'static str> {
    out.clear();
    let mut rest = data;
    while !rest.is_empty() {
        let space = memchr::memchr(b' ', rest).ok_or("entry without a mode")?;
        let mode = &rest[..space];
        let after = &rest[space + 1..];
        let nul = memchr::memchr(0, after).ok_or("entry without a name")?;
        let name = &after[..nul];
        let id = after.get(nul + 1..nul + 21).ok_or("truncated object id")?;
        let id = Oid::from_bytes(id).map_err(|_| "bad object id")?;
        let kind = match mode {
            b"40000" | b"040000" => Kind::Tree,
            b"160000" => Kind::Commit,
            m if m.iter().all(u8::is_ascii_digit) && !m.is_empty() => Kind::Blob,
            _ => return Err("bad mode"),
        };
        out.push(Entry { name, kind, id });
        rest = &after[nul + 21..];
    }
    Ok(())
}

/// The end of the entry that starts at `at` (None when it is cut short).
fn entry_end(data: &[u8], at: usize) -> Option<usize> {
    let nul = at + memchr::memchr(0, data.get(at..)?)?;
    let end = nul + 21;
    (end <= data.len()).then_some(end)
}

/// The byte ranges of the entries `new` and `old` do not share at their start and end: a
/// tree where one file changed differs from its parent's in one entry, and the others need
/// not be parsed. Shared entries are byte-identical (same mode, name and id).
pub fn middle(new: &[u8], old: &[u8]) -> (Range<usize>, Range<usize>) {
    let shared = common_prefix(new, old);
    let mut start = 0;
    while let Some(end) = entry_end(new, start).filter(|&e| e <= shared) {
        start = end;
    }
    let room = new.len().min(old.len()) - start;
    let tail = common_suffix(new, old).min(room);
    // The first entry of `new` inside the shared tail that also starts an entry of `old`.
    let (tail_new, shift) = (new.len() - tail, new.len() as isize - old.len() as isize);
    let (mut at_new, mut at_old) = (start, start);
    while at_new < new.len() {
        if at_new >= tail_new {
            let want = (at_new as isize - shift) as usize;
            while at_old < want {
                match entry_end(old, at_old) {
                    Some(e) => at_old = e,
                    None => return (start..new.len(), start..old.len()),
                }
            }
            if at_old == want {
                return (start..at_new, start..at_old);
            }
        }
        match entry_end(new, at_new) {
            Some(e) => at_new = e,
            None => break,
        }
    }
    (start..new.len(), start..old.len())
}

/// How many bytes `a` and `b` share at their start.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 32 <= n && a[i..i + 32] == b[i..i + 32] {
        i += 32;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// How many bytes `a` and `b` share at their end.
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + 32 <= n && a[n - i - 32..n - i] == b[n - i - 32..n - i] {
        i += 32;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

/// git's tree order: names compare bytewise, a tree's name as if it ended in `/`.
pub fn tree_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {
            let end = |s: &[u8], t: bool| s.get(n).copied().unwrap_or(if t { b'/' } else { 0 });
            end(a, a_tree).cmp(&end(b, b_tree))
        }
        o => o,
    }
}

/// The entry named `name` whose kind is a tree exactly when `is_tree`, in entries in tree order.
pub fn find<'e, 'a>(entries: &'e [Entry<'a>], name: &[u8], is_tree: bool) -> Option<&'e Entry<'a>> {
    entries.binary_search_by(|o| tree_order(o.name, o.is_tree(), name, is_tree)).ok().map(|i| &entries[i])
}

/// Raw trees by id, read from the packs where they can be, evicting the oldest once `limit`
/// bytes are held.
pub struct TreeCache<'r> {
    odb: Odb<'r>,
    reader: Reader,
    trees: Fifo<Oid, (), BuildHasherDefault<OidHasher>>,
}

impl<'r> TreeCache<'r> {
    pub fn new(odb: Odb<'r>, reader: Reader, limit: usize) -> TreeCache<'r> {
        TreeCache { odb, reader, trees: Fifo::new(limit) }
    }

    /// The raw tree `id`; an error when it cannot be read or is not a tree.
    pub fn get(&mut self, id: Oid) -> Result<Rc<Vec<u8>>, String> {
        if let Some(((), t)) = self.trees.get(&id) {
            return Ok(t);
        }
        let data = match self.reader.read(&id) {
            Some(Ok(obj)) if obj.kind == ObjectType::Tree => obj.data,
            // Not in a pack, or not readable there: as libgit2 reads it (or says why not).
            _ => {
                let obj = self.odb.read(id).map_err(|e| e.message().to_string())?;
                if obj.kind() != ObjectType::Tree {
                    return Err(format!("a {} where a tree was expected", obj.kind()));
                }
                Rc::new(obj.data().to_vec())
            }
        };
        self.trees.insert(id, (), &data);
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut v = Vec::new();
        for (mode, name, id) in entries {
            v.extend_from_slice(mode.as_bytes());
            v.push(b' ');
            v.extend_from_slice(name.as_bytes());
            v.push(0);
            v.extend_from_slice(&[*id; 20]);
        }
        v
    }

    #[test]
    fn parses_modes_names_and_ids() {
        let data = raw(&[("100644", "a.txt", 1), ("40000", "dir", 2), ("120000", "link", 3), ("160000", "sub", 4)]);
        let mut out = Vec::new();
        parse(&data, &mut out).unwrap();
        let kinds: Vec<Kind> = out.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [Kind::Blob, Kind::Tree, Kind::Blob, Kind::Commit]);
        assert_eq!(out[1].name, b"dir");
        assert_eq!(out[3].id, Oid::from_bytes(&[4; 20]).unwrap());
        assert!(find(&out, b"dir", true).is_some());
        assert!(find(&out, b"dir", false).is_none());
        assert!(find(&out, b"link", false).is_some());
    }

    #[test]
    fn malformed_trees_are_errors_not_panics() {
        let good = raw(&[("100644", "a", 1)]);
        let mut out = Vec::new();
        for cut in 0..good.len() {
            let _ = parse(&good[..cut], &mut out);
        }
        assert!(parse(&good[..good.len() - 1], &mut out).is_err());
        assert!(parse(b"10x644 a\0aaaaaaaaaaaaaaaaaaaa", &mut out).is_err());
    }

    #[test]
    fn the_middle_is_what_differs_in_whole_entries() {
        let old = raw(&[("100644", "a", 1), ("100644", "b", 2), ("40000", "c", 3), ("100644", "d", 4)]);
        let new = raw(&[("100644", "a", 1), ("100644", "b", 9), ("40000", "c", 3), ("100644", "d", 4)]);
        let (n, o) = middle(&new, &old);
        let mut e = Vec::new();
        parse(&new[n.clone()], &mut e).unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].name, b"b");
        parse(&old[o], &mut e).unwrap();
        assert_eq!(e[0].id, Oid::from_bytes(&[2; 20]).unwrap());
        // An added entry, and ids that share bytes with the next entry's name.
        let new = raw(&[
            ("100644", "a", 1),
            ("100644", "aa", b'a'),
            ("100644", "b", 2),
            ("40000", "c", 3),
            ("100644", "d", 4),
        ]);
        let (n, o) = middle(&new, &old);
        parse(&new[n], &mut e).unwrap();
        assert_eq!(e.iter().map(|e| e.name).collect::<Vec<_>>(), [b"aa".as_slice()]);
        assert!(o.is_empty());
        // Identical trees, and one entry removed at the end.
        let (n, o) = middle(&old, &old);
        assert!(n.is_empty() && o.is_empty());
        let three = raw(&[("100644", "a", 1), ("100644", "b", 2), ("40000", "c", 3)]);
        let (n, o) = middle(&three, &old);
        assert!(n.is_empty());
        parse(&old[o], &mut e).unwrap();
        assert_eq!(e[0].name, b"d");
        // Cut short: everything after the shared entries.
        let (n, _) = middle(&new[..new.len() - 3], &old);
        assert_eq!(n.end, new.len() - 3);
    }

    #[test]
    fn tree_order_sorts_trees_as_if_slashed() {
        use std::cmp::Ordering::*;
        assert_eq!(tree_order(b"a", true, b"a.b", false), Greater);
        assert_eq!(tree_order(b"a", false, b"a.b", false), Less);
        assert_eq!(tree_order(b"a", true, b"a", true), Equal);
    }
}
