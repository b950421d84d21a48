//! systemd units and drop-ins (system and per-user): their `Environment=` lines, and the
//! files their `EnvironmentFile=` lines name (resolved inside the host root).

use super::{HostRoot, Item, Users};
use crate::sink::Sink;

const SYSTEM_DIRS: &[&str] = &[
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
    "/etc/systemd/user",
    "/usr/lib/systemd/user",
];

const UNIT_SUFFIXES: &[&str] = &[".service", ".socket", ".timer", ".path", ".mount", ".conf"];

/// Unit files are small; a bigger one is not a unit.
const MAX_UNIT: u64 = 1 << 20;

pub fn collect(host: &HostRoot, users: &Users, sink: &Sink<'_>, out: &mut Vec<Item>) {
    let mut units = Vec::new();
    for dir in SYSTEM_DIRS {
        host.walk(dir, 3, &mut units);
    }
    for h in users.homes.iter().filter(|h| h.names.contains(".config")) {
        host.walk(&format!("{}/.config/systemd/user", h.path), 3, &mut units);
    }
    units.retain(|(u, _)| UNIT_SUFFIXES.iter().any(|s| u.ends_with(s)));
    for (unit, real) in units {
        if let Ok(bytes) = super::root::read_file(&real, MAX_UNIT) {
            for file in environment_files(&String::from_utf8_lossy(&bytes)) {
                if file.starts_with('/') {
                    out.push(Item::file(file));
                } else {
                    sink.warn(unit.clone(), format!("EnvironmentFile={file} is not an absolute path; not followed"));
                }
            }
        }
        out.push(Item::found((unit, real)));
    }
}

/// The paths of a unit's `EnvironmentFile=` lines (a leading `-` means optional); ones with
/// `%` specifiers are left out (they expand per instance).
fn environment_files(unit: &str) -> Vec<String> {
    unit.lines()
        .filter_map(|l| l.trim().strip_prefix("EnvironmentFile="))
        .map(|v| v.trim().trim_matches('"').trim_start_matches('-').to_string())
        .filter(|v| !v.is_empty() && !v.contains('%'))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn environment_file_lines() {
        let unit = "[Service]\nEnvironmentFile=-/etc/default/app\nEnvironmentFile=/etc/app/%i.env\n EnvironmentFile=/run/x\nEnvironment=A=1\n";
        assert_eq!(super::environment_files(unit), ["/etc/default/app", "/run/x"]);
    }
}
