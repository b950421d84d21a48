//! Pack order: where each object sits in the repository's packs, read from the pack
//! indexes, so blobs are read in the order they are stored.
//!
//! Git stores most versions of a file as a delta against another version, in chains up to
//! 50 deep, and a delta's base comes before it in the pack. Read in pack order, each blob is
//! resolved from a base libgit2 has just cached; read in any other order, the whole chain is
//! inflated again for nearly every blob.

use std::path::Path;

use git2::Oid;
use memmap2::Mmap;

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

impl PackIndex {
    /// Maps `path`; `None` when it is not a well-formed version-2 index of SHA-1 objects.
    fn open(path: &Path) -> Option<PackIndex> {
        let file = std::fs::File::open(path).ok()?;
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
        while lo < hi {
            let mid = (lo + hi) / 2;
            let name = self.map.get(NAMES + mid * OID..NAMES + (mid + 1) * OID)?;
            match name.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
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

/// The pack indexes of one object database.
pub struct PackOrder {
    packs: Vec<PackIndex>,
}

impl PackOrder {
    /// Maps the readable version-2 indexes under `objects_dir/pack` (none: every key is equal).
    pub fn open(objects_dir: &Path) -> PackOrder {
        let mut idx_paths: Vec<_> = std::fs::read_dir(objects_dir.join("pack"))
            .map(|dir| {
                dir.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                    .collect()
            })
            .unwrap_or_default();
        idx_paths.sort();
        PackOrder { packs: idx_paths.iter().filter_map(|p| PackIndex::open(p)).collect() }
    }

    /// (pack, offset) of `oid`; objects in no readable pack index (loose objects, alternates,
    /// an index this reader does not know) sort after all packed ones.
    fn key(&self, oid: &Oid) -> (usize, u64) {
        self.packs.iter().enumerate().find_map(|(i, p)| p.offset(oid).map(|off| (i, off))).unwrap_or((usize::MAX, 0))
    }

    /// Sorts `items` by the pack position of the object `oid` names for each; stable, so
    /// unpacked objects keep the order they came in.
    pub fn sort_by<T>(&self, items: &mut [T], oid: impl Fn(&T) -> Oid) {
        if !self.packs.is_empty() {
            items.sort_by_cached_key(|t| self.key(&oid(t)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_match_git_verify_pack() {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git").arg("-C").arg(dir.path()).args(args).output().unwrap();
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        git(&["init", "-q"]);
        for i in 0..30 {
            std::fs::write(dir.path().join("f.txt"), format!("line\n{}", "x\n".repeat(i * 40))).unwrap();
            git(&["add", "f.txt"]);
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
        let mut blobs = Vec::new();
        for line in verify.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() >= 5 && matches!(f[1], "blob" | "tree" | "commit") {
                let oid = Oid::from_str(f[0]).unwrap();
                assert_eq!(index.offset(&oid), Some(f[4].parse().unwrap()), "{}", f[0]);
                if f[1] == "blob" {
                    blobs.push((f[4].parse::<u64>().unwrap(), oid));
                }
            }
        }
        assert!(blobs.len() >= 30);
        assert_eq!(index.offset(&Oid::from_str("0123456789012345678901234567890123456789").unwrap()), None);
        let mut shuffled: Vec<Oid> = blobs.iter().rev().map(|&(_, o)| o).collect();
        let loose = Oid::from_str("ffffffffffffffffffffffffffffffffffffffff").unwrap();
        shuffled.insert(3, loose);
        PackOrder::open(&dir.path().join(".git/objects")).sort_by(&mut shuffled, |&o| o);
        blobs.sort();
        let mut want: Vec<Oid> = blobs.iter().map(|&(_, o)| o).collect();
        want.push(loose);
        assert_eq!(shuffled, want);
    }
}
