//! Pack files read directly: where each object sits (the pack indexes), so blobs are read
//! in the order they are stored, and the objects themselves, inflated and resolved from
//! their delta chains with a cache of the versions resolved last.
//!
//! Git stores most versions of a file as a delta against another version, in chains up to
//! 50 deep, and a delta's base comes before it in the pack. Read in pack order with the
//! bases just resolved at hand, each object costs one inflate and one delta. libgit2 reads
//! the same objects about three times slower (a small base cache, pack windows mapped and
//! unmapped, the system zlib); git itself reads packs this way. Objects in no pack (loose
//! objects, alternates) and packs this reader does not understand are left to libgit2.

use std::collections::HashMap;
use std::fs::File;
use std::hash::RandomState;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::{Decompress, FlushDecompress, Status};
use git2::{ObjectType, Oid};
use memmap2::{Mmap, UncheckedAdvice};
use rayon::prelude::*;

use super::fifo::Fifo;

/// One mapped version-2 pack index (`objects/pack/pack-*.idx`).
struct PackIndex {
    map: Mmap,
    count: usize,
}

const MAGIC: [u8; 4] = [0xff, b't', b'O', b'c'];
const FANOUT: usize = 8;
/// Where the sorted object names start, after the header and the 256-entry fan-out table.
const NAMES: usize = FANOUT + 256 * 4;
const OID: usize = 20;
/// Longest delta chain followed (git's deepest setting is 4095); a longer one is corrupt.
const MAX_CHAIN: usize = 10_000;
/// Probes of an index lookup that interpolate before it falls back to halving.
const INTERPOLATED_PROBES: u32 = 4;

impl PackIndex {
    /// Maps `path`; `None` when it is not a well-formed version-2 index of SHA-1 objects.
    fn open(path: &Path) -> Option<PackIndex> {
        let file = File::open(path).ok()?;
        // SAFETY: pack indexes are written once and renamed into place; git never rewrites
        // one in place. A concurrent `git gc` may delete it, which the mapping survives.
        let map = unsafe { Mmap::map(&file) }.ok()?;
        if map.get(..4)? != MAGIC || map.get(4..8)? != [0, 0, 0, 2] {
            return None;
        }
        let count = be32(&map, FANOUT + 255 * 4)? as usize;
        // Header, fan-out, names, CRCs, 32-bit offsets, then the pack and index checksums;
        // large offsets (if any) sit between the offsets and the checksums.
        let min_len = NAMES + count * (OID + 4 + 4) + 2 * OID;
        (map.len() >= min_len).then_some(PackIndex { map, count })
    }

    /// Offset of `oid` in the pack, if this index lists it.
    fn offset(&self, oid: &Oid) -> Option<u64> {
        let id = oid.as_bytes();
        let first = usize::from(*id.first()?);
        let lo = if first == 0 { 0 } else { be32(&self.map, FANOUT + (first - 1) * 4)? as usize };
        let hi = be32(&self.map, FANOUT + first * 4)? as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        // Names compare by their first 8 bytes as a number, then (rarely) in full. Names
        // are uniform, so the first probes guess where the key falls between the bounds'
        // keys (a few probes instead of ~13 page touches); then it halves as usual.
        let key = u64::from_be_bytes(id[..8].try_into().ok()?);
        let (mut lo_key, mut hi_key) = ((first as u64) << 56, ((first as u64) << 56) | ((1 << 56) - 1));
        for probe in 0.. {
            if lo >= hi {
                break;
            }
            let mid = if probe < INTERPOLATED_PROBES && lo_key <= key && key <= hi_key {
                let span = (hi - lo) as u128;
                let guess = u128::from(key - lo_key) * span / (u128::from(hi_key - lo_key) + 1);
                lo + (guess as usize).min(hi - lo - 1)
            } else {
                lo + (hi - lo) / 2
            };
            let name = self.map.get(NAMES + mid * OID..NAMES + (mid + 1) * OID)?;
            let head = u64::from_be_bytes(name[..8].try_into().ok()?);
            match head.cmp(&key).then_with(|| name.cmp(id)) {
                std::cmp::Ordering::Less => (lo, lo_key) = (mid + 1, head),
                std::cmp::Ordering::Greater => (hi, hi_key) = (mid, head),
                std::cmp::Ordering::Equal => return self.offset_at(mid),
            }
        }
        None
    }

    fn offset_at(&self, i: usize) -> Option<u64> {
        let offsets = NAMES + self.count * (OID + 4);
        let small = be32(&self.map, offsets + i * 4)?;
        if small & 0x8000_0000 == 0 {
            return Some(u64::from(small));
        }
        let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
        let bytes = self.map.get(large..large + 8)?;
        Some(u64::from_be_bytes(bytes.try_into().ok()?))
    }
}

fn be32(map: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(map.get(at..at + 4)?.try_into().ok()?))
}

/// One pack: its index, and its data mapped when it is a version-2 or -3 pack.
struct Pack {
    index: PackIndex,
    data: Option<Mmap>,
}

/// Why an object could not be read from a pack (libgit2 then reads it, or says why not).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("pack entry at offset {0} is malformed")]
    Malformed(u64),
    #[error("pack entry at offset {0} does not inflate")]
    Inflate(u64),
    #[error("delta at offset {0} does not apply to its base")]
    Delta(u64),
    #[error("delta chain through offset {0} is too long or loops")]
    Chain(u64),
    #[error("a delta's base {0} is in no pack")]
    MissingBase(Oid),
}

/// A pack entry: the pack's index in [`Packs`] and the entry's offset in it.
type Entry = (usize, u64);
/// The entry key of an object in no readable pack index: after every packed one.
const NOWHERE: Entry = (usize::MAX, 0);

/// The packs of one object database, shared by every thread that reads them.
pub struct Packs {
    packs: Vec<Pack>,
    /// Every pack index in the directory was read (so `oids` lists every packed object).
    complete: bool,
    /// Compressed bytes inflated since the mapped pages were last released.
    inflated: AtomicUsize,
}

/// Every this many compressed bytes inflated, the pages of the packs are released: a
/// history scan touches the whole pack, and its pages would otherwise all count as the
/// process's memory (the kernel keeps them cached; reading them again costs a page fault).
const RELEASE_EVERY: usize = 16 << 20;

impl Packs {
    /// Maps the readable version-2 indexes under `objects_dir/pack` and their packs (none:
    /// every object is left to libgit2, and every order key is equal).
    pub fn open(objects_dir: &Path) -> Packs {
        let mut idx_paths: Vec<_> = std::fs::read_dir(objects_dir.join("pack"))
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                    .collect()
            })
            .unwrap_or_default();
        idx_paths.sort();
        let packs: Vec<Pack> = idx_paths
            .iter()
            .filter_map(|idx| {
                let index = PackIndex::open(idx)?;
                Some(Pack { data: map_pack(&idx.with_extension("pack"), index.count), index })
            })
            .collect();
        Packs { complete: packs.len() == idx_paths.len(), packs, inflated: AtomicUsize::new(0) }
    }

    /// Counts `n` more compressed bytes read; past `RELEASE_EVERY`, releases the mapped pages.
    fn note_inflated(&self, n: usize) {
        if self.inflated.fetch_add(n, Ordering::Relaxed) + n < RELEASE_EVERY {
            return;
        }
        self.inflated.store(0, Ordering::Relaxed);
        for map in self.packs.iter().filter_map(|p| p.data.as_ref()) {
            // SAFETY: the maps are read-only views of files git never rewrites in place:
            // pages dropped here read back the same bytes on their next access, also while
            // another thread is reading them.
            let _ = unsafe { map.unchecked_advise(UncheckedAdvice::DontNeed) };
        }
    }

    /// (pack, offset) of `oid` (to compare with [`Packs::delta_base`]).
    pub fn locate(&self, oid: &Oid) -> Option<Entry> {
        self.packs.iter().enumerate().find_map(|(i, p)| p.index.offset(oid).map(|off| (i, off)))
    }

    /// (pack, offset) of the object the entry of `oid` is a delta of: `None` when it is
    /// stored whole, in no mapped pack, or its header cannot be read.
    pub fn delta_base(&self, oid: &Oid) -> Option<Entry> {
        self.base_of(self.locate(oid)?)
    }

    /// Every object the pack indexes list (an object in two packs is listed twice); `None`
    /// when an index could not be read.
    pub fn oids(&self) -> Option<impl Iterator<Item = Oid> + '_> {
        self.complete.then_some(())?;
        Some(self.packs.iter().flat_map(|p| {
            (0..p.index.count).filter_map(|i| {
                p.index.map.get(NAMES + i * OID..NAMES + (i + 1) * OID).and_then(|id| Oid::from_bytes(id).ok())
            })
        }))
    }

    /// The type of object `oid` from the headers of its delta chain (nothing is inflated):
    /// `None` when it is in no mapped pack or the chain cannot be followed.
    pub fn kind(&self, oid: &Oid) -> Option<ObjectType> {
        let (mut pack, mut offset) = self.locate(oid)?;
        for _ in 0..MAX_CHAIN {
            let h = header(self.entries(pack, offset).ok()?, offset).ok()?;
            match h.base {
                None => return Some(h.kind),
                Some(Base::Offset(base)) => offset = base,
                Some(Base::Id(id)) => (pack, offset) = self.locate(&id)?,
            }
        }
        None
    }

    /// Pack `pack`'s entries (its data without the trailing checksum); an error naming
    /// `offset` when the pack is not mapped.
    fn entries(&self, pack: usize, offset: u64) -> Result<&[u8], PackError> {
        let map = self.packs.get(pack).and_then(|p| p.data.as_deref()).ok_or(PackError::Malformed(offset))?;
        Ok(&map[..map.len().saturating_sub(OID)])
    }

    /// Sorts `items` by the pack position of the object `oid` names for each; stable, so
    /// objects in no readable pack index (loose objects, alternates) keep the order they
    /// came in, after all packed ones.
    /// The lookups and the sort run on the current thread pool.
    pub fn sort_by<T: Copy + Send + Sync>(&self, items: &mut [T], oid: impl Fn(&T) -> Oid + Sync) {
        if self.packs.is_empty() {
            return;
        }
        let keyed: Vec<(Entry, usize)> =
            items.par_iter().enumerate().map(|(i, t)| (self.locate(&oid(t)).unwrap_or(NOWHERE), i)).collect();
        reorder(items, keyed);
    }

    /// Sorts `items` so that the objects of one delta chain come together, each after the
    /// object it is a delta of: by the pack position of the whole object their chain starts
    /// from, then by depth in the chain, then by position. Read in this order, a reader's
    /// cache holds the base of almost every delta it meets, and each whole object is
    /// inflated about once instead of once for every run of its deltas (pack order spreads
    /// the versions of one file across the pack). Objects in no readable pack index keep
    /// their order, after all packed ones. Runs on the current thread pool.
    pub fn sort_by_chain<T: Copy + Send + Sync>(&self, items: &mut [T], oid: impl Fn(&T) -> Oid + Sync) {
        if self.packs.is_empty() {
            return;
        }
        let at: Vec<Option<Entry>> = items.par_iter().map(|t| self.locate(&oid(t))).collect();
        // (chain's whole object, depth) of every entry met: chains share their ends, and each
        // is followed only as far as an entry already known, so the cost grows with the
        // entries, not with entries × depth. Headers only: nothing is inflated.
        let mut known: HashMap<Entry, (Entry, u32)> = HashMap::with_capacity(at.len());
        let mut path = Vec::new();
        for &e in at.iter().flatten() {
            let mut cur = e;
            let (root, mut depth) = loop {
                if let Some(&found) = known.get(&cur) {
                    break found;
                }
                match self.base_of(cur) {
                    // A chain longer than git allows (a corrupt pack's loop) ends there.
                    Some(b) if path.len() < MAX_CHAIN => {
                        path.push(cur);
                        cur = b;
                    }
                    _ => {
                        known.insert(cur, (cur, 0));
                        break (cur, 0);
                    }
                }
            };
            while let Some(p) = path.pop() {
                depth += 1;
                known.insert(p, (root, depth));
            }
        }
        // (chain's whole object, depth, entry) of each item.
        let keyed: Vec<((Entry, u32, Entry), usize)> = at
            .iter()
            .enumerate()
            .map(|(i, e)| match e.and_then(|e| known.get(&e).map(|&(r, d)| (r, d, e))) {
                Some(key) => (key, i),
                None => ((NOWHERE, 0, NOWHERE), i),
            })
            .collect();
        drop(known);
        reorder(items, keyed);
    }

    /// The entry the entry at `at` is a delta of: `None` when it is stored whole, or its
    /// header or base cannot be read.
    fn base_of(&self, at: Entry) -> Option<Entry> {
        match header(self.entries(at.0, at.1).ok()?, at.1).ok()?.base? {
            Base::Offset(b) => Some((at.0, b)),
            Base::Id(id) => self.locate(&id),
        }
    }
}

/// Puts `items` in the order of their keys (`(key, index)` for each); the index breaks ties,
/// so the order is as stable as a stable sort's. Sorts on the current thread pool.
fn reorder<T: Copy + Send + Sync, K: Ord + Send>(items: &mut [T], mut keyed: Vec<(K, usize)>) {
    keyed.par_sort_unstable();
    let sorted: Vec<T> = keyed.iter().map(|&(_, i)| items[i]).collect();
    items.copy_from_slice(&sorted);
}

/// Maps a pack whose header is well formed and counts `count` objects.
fn map_pack(path: &Path, count: usize) -> Option<Mmap> {
    let file = File::open(path).ok()?;
    // SAFETY: as for indexes, packs are written once and never rewritten in place.
    let map = unsafe { Mmap::map(&file) }.ok()?;
    let header = map.get(..12)?;
    let version = be32(header, 4)?;
    (header[..4] == *b"PACK" && matches!(version, 2 | 3) && be32(header, 8)? as usize == count).then_some(map)
}

/// An object read from a pack: its type and its bytes (shared with the reader's cache).
pub struct Object {
    pub kind: ObjectType,
    pub data: Rc<Vec<u8>>,
}

/// A resolved object's place: its pack in the high 16 bits, its offset in the low 48.
type Key = u64;

fn key(pack: usize, offset: u64) -> Key {
    ((pack as u64) << 48) | offset
}

/// One thread's reader of [`Packs`]: it keeps the objects it resolved last, up to a byte
/// budget, so a delta whose base was just read costs one inflate and one copy.
pub struct Reader {
    packs: Arc<Packs>,
    cache: Fifo<Key, ObjectType, RandomState>,
    inflate: Decompress,
    /// The delta being applied (kept to save an allocation per delta).
    delta: Vec<u8>,
}

/// The start of a pack entry: its type, the size of what it inflates to, where its
/// compressed data starts, and the base of a delta.
struct Header {
    kind: ObjectType,
    size: usize,
    data: usize,
    base: Option<Base>,
}

enum Base {
    Offset(u64),
    Id(Oid),
}

impl Reader {
    /// A reader keeping at most `limit` bytes of resolved objects.
    pub fn new(packs: Arc<Packs>, limit: usize) -> Reader {
        Reader { packs, cache: Fifo::new(limit), inflate: Decompress::new(true), delta: Vec::new() }
    }

    /// The packs this reader reads.
    pub fn packs(&self) -> &Arc<Packs> {
        &self.packs
    }

    /// The object `oid`: `None` when it is in no mapped pack (read it some other way).
    pub fn read(&mut self, oid: &Oid) -> Option<Result<Object, PackError>> {
        let (pack, offset) = self.packs.locate(oid)?;
        self.packs.packs[pack].data.as_ref()?;
        Some(self.resolve(pack, offset))
    }

    /// The object at `offset` of pack `pack`: its delta chain followed down to a cached or
    /// a whole object, then the deltas applied back up, each result cached.
    fn resolve(&mut self, pack: usize, offset: u64) -> Result<Object, PackError> {
        let packs = Arc::clone(&self.packs);
        let mut chain: Vec<(usize, u64, Header)> = Vec::new();
        let (mut pack, mut offset) = (pack, offset);
        let (kind, mut data) = loop {
            if let Some(hit) = self.cache.get(&key(pack, offset)) {
                break hit;
            }
            let map = packs.entries(pack, offset)?;
            let h = header(map, offset)?;
            match h.base {
                None => {
                    let mut data = Vec::new();
                    self.inflate(map, offset, &h, &mut data)?;
                    let data = Rc::new(data);
                    self.keep(key(pack, offset), h.kind, &data);
                    break (h.kind, data);
                }
                Some(Base::Offset(base)) => {
                    chain.push((pack, offset, h));
                    offset = base;
                }
                Some(Base::Id(id)) => {
                    chain.push((pack, offset, h));
                    (pack, offset) = packs.locate(&id).ok_or(PackError::MissingBase(id))?;
                }
            }
            if chain.len() > MAX_CHAIN {
                return Err(PackError::Chain(offset));
            }
        };
        for (pack, offset, h) in chain.iter().rev() {
            let map = packs.entries(*pack, *offset)?;
            let mut delta = std::mem::take(&mut self.delta);
            let inflated = self.inflate(map, *offset, h, &mut delta);
            let applied = inflated.and_then(|()| apply(&data, &delta).ok_or(PackError::Delta(*offset)));
            self.delta = delta;
            data = Rc::new(applied?);
            self.keep(key(*pack, *offset), kind, &data);
        }
        Ok(Object { kind, data })
    }

    /// Inflates the entry at `offset` (its header read into `h`) to exactly `h.size` bytes.
    fn inflate(&mut self, map: &[u8], offset: u64, h: &Header, out: &mut Vec<u8>) -> Result<(), PackError> {
        let input = map.get(h.data..).ok_or(PackError::Malformed(offset))?;
        // One byte more than the header says, so a stream that inflates to more shows it.
        out.clear();
        out.reserve(h.size + 1);
        self.inflate.reset(true);
        loop {
            let (read, written) = (self.inflate.total_in(), self.inflate.total_out());
            let rest = usize::try_from(read).ok().and_then(|r| input.get(r..)).unwrap_or_default();
            let status = self
                .inflate
                .decompress_vec(rest, out, FlushDecompress::Finish)
                .map_err(|_| PackError::Inflate(offset))?;
            if status == Status::StreamEnd {
                break;
            }
            let stuck = self.inflate.total_in() == read && self.inflate.total_out() == written;
            if out.len() > h.size || stuck {
                return Err(PackError::Inflate(offset));
            }
        }
        self.packs.note_inflated(self.inflate.total_in() as usize);
        if out.len() != h.size {
            return Err(PackError::Inflate(offset));
        }
        Ok(())
    }

    /// Caches a resolved object; objects over a quarter of the budget are not kept.
    fn keep(&mut self, key: Key, kind: ObjectType, data: &Rc<Vec<u8>>) {
        if data.len() <= self.cache.limit() / 4 {
            self.cache.insert(key, kind, data);
        }
    }
}

const OBJ_OFS_DELTA: u8 = 6;
const OBJ_REF_DELTA: u8 = 7;

/// Reads the header of the entry at `offset` of `map` (a pack without its checksum).
fn header(map: &[u8], offset: u64) -> Result<Header, PackError> {
    let bad = || PackError::Malformed(offset);
    let mut at = usize::try_from(offset).ok().filter(|&at| at >= 12 && at < map.len()).ok_or_else(bad)?;
    let mut next = || {
        let b = map.get(at).copied().ok_or_else(bad);
        at += 1;
        b
    };
    let first = next()?;
    let kind = (first >> 4) & 7;
    let mut size = u64::from(first & 0x0f);
    let (mut c, mut shift) = (first, 4);
    while c & 0x80 != 0 {
        c = next()?;
        if shift > 57 {
            return Err(bad());
        }
        size |= u64::from(c & 0x7f) << shift;
        shift += 7;
    }
    let base = match kind {
        OBJ_OFS_DELTA => {
            let mut c = next()?;
            let mut back = u64::from(c & 0x7f);
            while c & 0x80 != 0 {
                c = next()?;
                if back > u64::MAX >> 8 {
                    return Err(bad());
                }
                back = ((back + 1) << 7) | u64::from(c & 0x7f);
            }
            let base = offset.checked_sub(back).filter(|&b| b >= 12 && back > 0).ok_or_else(bad)?;
            Some(Base::Offset(base))
        }
        OBJ_REF_DELTA => {
            let id = map.get(at..at + OID).and_then(|id| Oid::from_bytes(id).ok()).ok_or_else(bad)?;
            at += OID;
            Some(Base::Id(id))
        }
        _ => None,
    };
    let kind = match kind {
        1 => ObjectType::Commit,
        2 => ObjectType::Tree,
        3 => ObjectType::Blob,
        4 => ObjectType::Tag,
        // A delta's type is its base's; this one is only a placeholder.
        OBJ_OFS_DELTA | OBJ_REF_DELTA => ObjectType::Any,
        _ => return Err(bad()),
    };
    // zlib inflates at most about 1,032 bytes per byte: a size past that is corrupt, and
    // must not become a huge allocation.
    let size = usize::try_from(size).ok().filter(|&s| s / 1032 <= map.len().saturating_sub(at) + 1).ok_or_else(bad)?;
    Ok(Header { kind, size, data: at, base })
}

/// A little-endian base-128 number at `*at` of `delta`.
fn varint(delta: &[u8], at: &mut usize) -> Option<usize> {
    let (mut n, mut shift) = (0usize, 0u32);
    loop {
        let c = *delta.get(*at)?;
        *at += 1;
        n |= usize::from(c & 0x7f).checked_shl(shift)?;
        if c & 0x80 == 0 {
            return Some(n);
        }
        shift += 7;
        if shift >= usize::BITS {
            return None;
        }
    }
}

/// Applies a git delta (copies from `base`, inserted bytes) to `base`.
fn apply(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut at = 0;
    if varint(delta, &mut at)? != base.len() {
        return None;
    }
    let size = varint(delta, &mut at)?;
    // A copy op of 8 bytes copies up to 16 MiB: the size is trusted only that far.
    let mut out = Vec::with_capacity(size.min(delta.len().saturating_mul(2 << 20).saturating_add(base.len())));
    while let Some(&op) = delta.get(at) {
        at += 1;
        if op & 0x80 != 0 {
            let (mut from, mut len) = (0usize, 0usize);
            for i in 0..4 {
                if op & (1 << i) != 0 {
                    from |= usize::from(*delta.get(at)?) << (8 * i);
                    at += 1;
                }
            }
            for i in 0..3 {
                if op & (0x10 << i) != 0 {
                    len |= usize::from(*delta.get(at)?) << (8 * i);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(from..from.checked_add(len)?)?);
        } else if op != 0 {
            let len = usize::from(op);
            out.extend_from_slice(delta.get(at..at + len)?);
            at += len;
        } else {
            return None;
        }
        if out.len() > size {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_match_git_verify_pack() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| crate::source::git::git_in(dir.path(), args, &[]);
        git(&["init", "-q"]);
        for i in 0..30 {
            std::fs::write(dir.path().join("f.txt"), format!("line\n{}", "x\n".repeat(i * 40))).unwrap();
            std::fs::write(dir.path().join("g.txt"), format!("other {}\n{}", i % 7, "y z\n".repeat(900 - i * 20)))
                .unwrap();
            git(&["add", "f.txt", "g.txt"]);
            git(&["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", &format!("c{i}")]);
        }
        git(&["gc", "-q", "--aggressive"]);
        let pack_dir = dir.path().join(".git/objects/pack");
        let idx = std::fs::read_dir(&pack_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .unwrap();
        let index = PackIndex::open(&idx).expect("a version-2 index");
        let verify = git(&["verify-pack", "-v", idx.to_str().unwrap()]);
        let packs = Packs::open(&dir.path().join(".git/objects"));
        let mut blobs = Vec::new();
        let mut deltas = 0;
        for line in verify.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() >= 5 && matches!(f[1], "blob" | "tree" | "commit") {
                let oid = Oid::from_str(f[0]).unwrap();
                assert_eq!(index.offset(&oid), Some(f[4].parse().unwrap()), "{}", f[0]);
                assert_eq!(packs.locate(&oid), Some((0, f[4].parse().unwrap())));
                // A delta's line ends with its depth and its base's name.
                let base = f.get(6).map(|b| packs.locate(&Oid::from_str(b).unwrap()).unwrap());
                assert_eq!(packs.delta_base(&oid), base, "{}", f[0]);
                deltas += usize::from(base.is_some());
                if f[1] == "blob" {
                    blobs.push((f[4].parse::<u64>().unwrap(), oid));
                }
            }
        }
        assert!(blobs.len() >= 30 && deltas >= 20, "{} blobs, {deltas} deltas", blobs.len());
        assert_eq!(index.offset(&Oid::from_str("0123456789012345678901234567890123456789").unwrap()), None);
        let mut shuffled: Vec<Oid> = blobs.iter().rev().map(|&(_, o)| o).collect();
        let loose = Oid::from_str("ffffffffffffffffffffffffffffffffffffffff").unwrap();
        shuffled.insert(3, loose);
        let mut chained = shuffled.clone();
        packs.sort_by(&mut shuffled, |&o| o);
        blobs.sort();
        let mut want: Vec<Oid> = blobs.iter().map(|&(_, o)| o).collect();
        want.push(loose);
        assert_eq!(shuffled, want);
        // In chain order, each chain's objects come together, each after its delta base.
        packs.sort_by_chain(&mut chained, |&o| o);
        assert_eq!(chained.last(), Some(&loose));
        let root_of = |mut at: Entry| {
            while let Some(b) = packs.base_of(at) {
                at = b;
            }
            at
        };
        let roots: Vec<(usize, u64)> =
            chained[..chained.len() - 1].iter().map(|o| root_of(packs.locate(o).unwrap())).collect();
        let mut groups = roots.clone();
        groups.dedup();
        let distinct: std::collections::HashSet<_> = roots.iter().collect();
        assert!(groups.len() == distinct.len() && distinct.len() >= 2, "chains interleaved: {roots:?}");
        let at = |o: &Oid| chained.iter().position(|c| c == o).unwrap();
        for o in &chained[..chained.len() - 1] {
            let base = packs.delta_base(o).and_then(|b| blobs.iter().find(|&&(off, _)| (0, off) == b));
            if let Some(&(_, base)) = base {
                assert!(at(&base) < at(o), "{o} before its base {base}");
            }
        }
    }

    /// A written index of many names, some sharing their first 8 bytes, some crowded at a
    /// bucket's ends: each is found at its own offset, and names it lacks are not found.
    #[test]
    fn lookups_find_every_name_of_a_large_index() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut names: Vec<[u8; 20]> = Vec::new();
        for i in 0..20_000 {
            let mut n = [0u8; 20];
            for c in n.chunks_mut(8) {
                c.copy_from_slice(&next().to_be_bytes()[..c.len()]);
            }
            match i % 10 {
                // Same first 8 bytes as the name before: told apart by the rest.
                0 if !names.is_empty() => n[..8].copy_from_slice(&names[names.len() - 1][..8]),
                // Crowded at the low and high ends of one bucket.
                1 => n[1..8].fill(0),
                2 => n[1..8].fill(0xff),
                _ => {}
            }
            n[0] = [0x00, 0x7a, 0xff][i % 3];
            names.push(n);
        }
        names.sort();
        names.dedup();
        let mut idx = MAGIC.to_vec();
        idx.extend([0, 0, 0, 2]);
        for b in 0..=255u8 {
            let upto = names.iter().filter(|n| n[0] <= b).count() as u32;
            idx.extend(upto.to_be_bytes());
        }
        names.iter().for_each(|n| idx.extend(n));
        idx.extend(std::iter::repeat_n(0, names.len() * 4));
        (0..names.len() as u32).for_each(|i| idx.extend((i * 7 + 12).to_be_bytes()));
        idx.extend([0; 2 * OID]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack-test.idx");
        std::fs::write(&path, idx).unwrap();
        let index = PackIndex::open(&path).expect("a version-2 index");
        for (i, n) in names.iter().enumerate() {
            assert_eq!(index.offset(&Oid::from_bytes(n).unwrap()), Some(i as u64 * 7 + 12), "name {i}");
            let mut absent = *n;
            absent[19] ^= 1;
            if names.binary_search(&absent).is_err() {
                assert_eq!(index.offset(&Oid::from_bytes(&absent).unwrap()), None, "name {i}, changed");
            }
        }
        for first in [0x00, 0x01, 0x7a, 0xfe, 0xff] {
            for fill in [0x00, 0x80, 0xff] {
                let mut absent = [fill; 20];
                absent[0] = first;
                if names.binary_search(&absent).is_err() {
                    assert_eq!(index.offset(&Oid::from_bytes(&absent).unwrap()), None);
                }
            }
        }
    }

    /// A repository of edited files, packed by `repack_args`: every object read from the pack
    /// must equal what libgit2 reads.
    fn reads_like_libgit2(repack: &[&str], id_bases: bool) {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| crate::source::git::git_in(dir.path(), args, &[]);
        git(&["init", "-q"]);
        let mut text: Vec<String> = (0..400).map(|i| format!("line {i} of a file that changes a little\n")).collect();
        for i in 0..40 {
            text[(i * 37) % 400] = format!("edited in commit {i}\n");
            text.insert((i * 11) % 400, "x".repeat(i * 3) + "\n");
            std::fs::write(dir.path().join("a.txt"), text.concat()).unwrap();
            std::fs::write(dir.path().join(format!("b{}.txt", i % 3)), text[..(i * 10)].concat()).unwrap();
            git(&["add", "-A"]);
            git(&["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", &format!("c{i}")]);
        }
        git(repack);
        std::fs::write(dir.path().join("loose.txt"), "written after the repack\n").unwrap();
        let loose = Oid::from_str(git(&["hash-object", "-w", "loose.txt"]).trim()).unwrap();
        let repo = git2::Repository::open(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let packs = Packs::open(&dir.path().join(".git/objects"));
        let listed: std::collections::HashSet<Oid> = packs.oids().expect("every index reads").collect();
        let mut all = std::collections::HashSet::new();
        odb.foreach(|&oid| {
            all.insert(oid);
            true
        })
        .unwrap();
        all.remove(&loose);
        assert_eq!(listed, all, "the indexes list every packed object");
        for oid in &listed {
            assert_eq!(packs.kind(oid), Some(odb.read_header(*oid).unwrap().1), "{oid}");
        }
        assert_eq!(packs.kind(&loose), None);
        // A small cache: chains are resolved both from cached bases and from scratch.
        let mut reader = Reader::new(Arc::new(packs), 64 << 10);
        assert!(reader.read(&loose).is_none(), "a loose object is left to libgit2");
        let mut count = 0;
        let mut by_id = 0;
        odb.foreach(|&oid| {
            let want = odb.read(oid).unwrap();
            if oid != loose {
                let got = reader.read(&oid).expect("a packed object").unwrap();
                assert_eq!(got.kind, want.kind(), "{oid}");
                assert_eq!(got.data.as_slice(), want.data(), "{oid}");
                count += 1;
                let (pack, offset) = reader.packs().locate(&oid).unwrap();
                let map = reader.packs().entries(pack, offset).unwrap();
                by_id += usize::from(matches!(header(map, offset).unwrap().base, Some(Base::Id(_))));
            }
            true
        })
        .unwrap();
        let verify = git(&["verify-pack", "-v", packs_idx(dir.path()).to_str().unwrap()]);
        // Entries with a base: `oid type size packed offset depth base`.
        let deltas = verify.lines().filter(|l| l.split_whitespace().count() == 7).count();
        assert!(count > 100 && deltas > 50, "{count} objects, {deltas} deltas");
        assert_eq!(by_id > 0, id_bases, "{by_id} deltas with their base named by id");
    }

    fn packs_idx(repo: &Path) -> std::path::PathBuf {
        std::fs::read_dir(repo.join(".git/objects/pack"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "idx"))
            .unwrap()
    }

    #[test]
    fn reads_offset_deltas_like_libgit2() {
        reads_like_libgit2(&["gc", "-q", "--aggressive"], false);
    }

    #[test]
    fn reads_id_deltas_like_libgit2() {
        reads_like_libgit2(&["-c", "repack.usedeltabaseoffset=false", "repack", "-adfq"], true);
    }

    #[test]
    fn corrupt_entries_are_errors() {
        assert!(header(&[0u8; 40], 4).is_err(), "an offset inside the pack header");
        assert!(header(&[0u8; 40], 400).is_err(), "an offset past the end");
        let mut map = vec![0u8; 12];
        map.extend_from_slice(&[0xff; 20]);
        assert!(header(&map, 12).is_err(), "a size that never ends");
        let mut map = vec![0u8; 12];
        map.extend_from_slice(&[0x6f, 0x7f]);
        assert!(header(&map, 12).is_err(), "an offset delta reaching before the pack");
        let mut map = vec![0u8; 12];
        map.extend_from_slice(&[0xbf, 0xff, 0xff, 0xff, 0x7f, 0, 0]);
        assert!(header(&map, 12).is_err(), "a size far past what the data inflates to");
        // Deltas: wrong base size, a copy past the base, an insert past the end, a zero op.
        assert_eq!(apply(b"abc", &[4, 3, 0x91, 0, 3]), None);
        assert_eq!(apply(b"abc", &[3, 3, 0x91, 1, 3]), None);
        assert_eq!(apply(b"abc", &[3, 5, 5, b'x']), None);
        assert_eq!(apply(b"abc", &[3, 3, 0]), None);
        assert_eq!(apply(b"abc", &[3, 5, 0x91, 1, 2, 3, b'x', b'y', b'z']), Some(b"bcxyz".to_vec()));
    }
}
