//! Users of the host: names by uid and home directories, from its /etc/passwd and /home.

use std::collections::{BTreeMap, BTreeSet};

use super::HostRoot;

/// The host's users: uid → name, and every home directory.
#[derive(Debug, Default)]
pub struct Users {
    pub names: BTreeMap<u32, String>,
    pub homes: Vec<Home>,
}

/// A home directory: its host path and the names at its top (listed once).
#[derive(Debug, Default)]
pub struct Home {
    pub path: String,
    pub names: BTreeSet<String>,
}

impl Users {
    /// The user's name, else the uid as text.
    pub fn name(&self, uid: u32) -> String {
        self.names.get(&uid).cloned().unwrap_or_else(|| uid.to_string())
    }
}

/// Reads /etc/passwd (name:x:uid:gid:gecos:home:shell) and lists /root and /home/*.
pub fn read(host: &HostRoot) -> Users {
    let mut users = Users::default();
    let mut homes = Vec::new();
    if let Ok((_, bytes)) = host.read("/etc/passwd", 4 << 20) {
        for line in String::from_utf8_lossy(&bytes).lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 {
                continue;
            }
            if let Ok(uid) = f[2].parse::<u32>() {
                users.names.entry(uid).or_insert_with(|| f[0].to_string());
            }
            let home = f[5].trim_end_matches('/');
            // System accounts' homes (/, /bin, /nonexistent...) hold no user files.
            if home.len() > 1 && !matches!(home, "/bin" | "/sbin" | "/usr/sbin" | "/dev" | "/proc" | "/nonexistent") {
                homes.push(home.to_string());
            }
        }
    }
    homes.push("/root".to_string());
    homes.extend(host.list("/home"));
    homes.sort();
    homes.dedup();
    users.homes = homes
        .into_iter()
        .filter_map(|h| {
            let real = host.resolve(&h).ok()?;
            let names = std::fs::read_dir(real).ok()?.flatten().map(|e| e.file_name().to_string_lossy().into_owned());
            Some(Home { names: names.collect(), path: h })
        })
        .collect();
    users
}
