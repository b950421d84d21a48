//! A cache bounded in bytes that evicts the entries it took first: what a history walk read
//! last is what it reads again (a delta's base, a parent's tree).

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;

/// Shared bytes by key, at most `limit` bytes of them, the oldest evicted first.
pub struct Fifo<K, V, S> {
    map: HashMap<K, (V, Rc<Vec<u8>>), S>,
    order: VecDeque<K>,
    bytes: usize,
    limit: usize,
}

impl<K: Hash + Eq + Copy, V: Copy, S: BuildHasher + Default> Fifo<K, V, S> {
    pub fn new(limit: usize) -> Self {
        Fifo { map: HashMap::default(), order: VecDeque::new(), bytes: 0, limit }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn get(&self, key: &K) -> Option<(V, Rc<Vec<u8>>)> {
        self.map.get(key).map(|(v, data)| (*v, Rc::clone(data)))
    }

    /// Keeps `data` under `key` (a key already held keeps its first entry), then evicts the
    /// oldest entries until at most `limit` bytes are held.
    pub fn insert(&mut self, key: K, value: V, data: &Rc<Vec<u8>>) {
        if self.map.contains_key(&key) {
            return;
        }
        self.bytes += data.len();
        self.map.insert(key, (value, Rc::clone(data)));
        self.order.push_back(key);
        while self.bytes > self.limit {
            let Some(old) = self.order.pop_front() else { break };
            if let Some((_, d)) = self.map.remove(&old) {
                self.bytes -= d.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_oldest_past_the_limit() {
        let mut f: Fifo<u32, (), std::hash::RandomState> = Fifo::new(10);
        let data = |n: usize| Rc::new(vec![0u8; n]);
        f.insert(1, (), &data(4));
        f.insert(2, (), &data(4));
        f.insert(1, (), &data(9));
        assert_eq!(f.get(&1).map(|(_, d)| d.len()), Some(4), "a key held keeps its entry");
        f.insert(3, (), &data(4));
        assert!(f.get(&1).is_none(), "12 bytes: the oldest goes");
        assert!(f.get(&2).is_some() && f.get(&3).is_some());
        f.insert(4, (), &data(11));
        assert!(f.get(&2).is_none() && f.get(&3).is_none() && f.get(&4).is_none(), "larger than the limit: all go");
    }
}
