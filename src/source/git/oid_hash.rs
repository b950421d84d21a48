//! Hash sets and maps keyed by object id: ids are already uniformly random, so their first
//! eight bytes are the hash (SipHash over every tree entry was 8 % of a history scan).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use git2::Oid;

/// Keeps the last eight-byte word written (an `Oid` writes its length, then its bytes).
#[derive(Default, Clone, Copy)]
pub struct OidHasher(u64);

impl Hasher for OidHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut word = [0u8; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(word);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type OidSet = HashSet<Oid, BuildHasherDefault<OidHasher>>;
pub type OidMap<V> = HashMap<Oid, V, BuildHasherDefault<OidHasher>>;

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn distinct_ids_hash_apart() {
        let build = BuildHasherDefault::<OidHasher>::default();
        let a = Oid::from_str("8d30b10555f64cf5f491d94bf355c4dccf302d41").unwrap();
        let b = Oid::from_str("8d30b10555f64cf6f491d94bf355c4dccf302d41").unwrap();
        assert_ne!(build.hash_one(a), build.hash_one(b));
        let set: OidSet = [a, b, a].into_iter().collect();
        assert_eq!(set.len(), 2);
    }
}
