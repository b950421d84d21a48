//! Running processes: each one's environment (`/proc/PID/environ`, a blob per variable) and
//! command line, named by pid, executable, user and start time. Processes that cannot be
//! read (other users' environments need root) are counted and summarised.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{HostReadError, HostRoot, Users, unreadable_line};
use crate::origin::{Blob, Origin, ProcessInfo};
use crate::sink::{Sink, Stats};

/// The kernel caps an environment or command line well below this.
const MAX_PROC: u64 = 4 << 20;

pub fn scan(host: &HostRoot, users: &Users, sink: &Sink<'_>) {
    let pids: Vec<u32> = host.list("/proc").iter().filter_map(|p| p.rsplit('/').next()?.parse::<u32>().ok()).collect();
    let own = host.is_live().then(std::process::id);
    let boot = boot_time(host);
    let read = AtomicU64::new(0);
    let denied = Mutex::new(Vec::new());
    pids.par_iter().filter(|&&pid| Some(pid) != own).for_each(|&pid| {
        let base = format!("/proc/{pid}");
        let environ = host.read_proc(&format!("{base}/environ"), MAX_PROC);
        let cmdline = host.read_proc(&format!("{base}/cmdline"), MAX_PROC);
        if matches!(environ, Err(HostReadError::Missing)) && matches!(cmdline, Err(HostReadError::Missing)) {
            return; // exited meanwhile
        }
        if let Err(HostReadError::Denied) = environ {
            denied.lock().unwrap_or_else(|p| p.into_inner()).push(pid.to_string());
        }
        read.fetch_add(1, Ordering::Relaxed);
        let info = describe(host, users, pid, boot, cmdline.as_deref().ok());
        if let Ok(env) = &environ {
            Stats::add(&sink.stats.files, 1);
            Stats::add(&sink.stats.bytes, env.len() as u64);
            for var in env.split(|&b| b == 0).filter(|v| !v.is_empty()) {
                let name = var.iter().position(|&b| b == b'=').map(|i| String::from_utf8_lossy(&var[..i]).into_owned());
                let origin = ProcessInfo { part: "environ", variable: name, ..info.clone() };
                sink.blob(&Blob { bytes: var, origin: Arc::new(Origin::Process(Box::new(origin))) });
            }
        }
        if let Ok(cmd) = &cmdline {
            let text: Vec<u8> = cmd.iter().map(|&b| if b == 0 { b' ' } else { b }).collect();
            let text = text.trim_ascii_end();
            if !text.is_empty() {
                Stats::add(&sink.stats.bytes, text.len() as u64);
                let origin = ProcessInfo { part: "cmdline", ..info };
                sink.blob(&Blob { bytes: text, origin: Arc::new(Origin::Process(Box::new(origin))) });
            }
        }
    });
    let mut denied = denied.into_inner().unwrap_or_else(|p| p.into_inner());
    if !denied.is_empty() {
        denied.sort_by_key(|p| p.parse::<u32>().unwrap_or(0));
        Stats::add(&sink.stats.skipped_unreadable, denied.len() as u64);
        let n = read.load(Ordering::Relaxed);
        let shown: Vec<String> = denied.iter().map(|p| format!("pid {p}")).collect();
        sink.warn(
            "host",
            format!(
                "{} (of {n}; their command lines were read)",
                unreadable_line(denied.len(), "process environment", &shown)
            ),
        );
    }
}

/// Pid, executable, user and start time of a process.
fn describe(host: &HostRoot, users: &Users, pid: u32, boot: Option<i64>, cmdline: Option<&[u8]>) -> ProcessInfo {
    let base = format!("/proc/{pid}");
    let exe = host
        .link_text(&format!("{base}/exe"))
        .map(|t| t.trim_end_matches(" (deleted)").to_string())
        .or_else(|| {
            let argv0 = cmdline?.split(|&b| b == 0).next().filter(|a| !a.is_empty())?;
            Some(String::from_utf8_lossy(argv0).into_owned())
        })
        .or_else(|| {
            let comm = host.read_proc(&format!("{base}/comm"), 4096).ok()?;
            Some(String::from_utf8_lossy(comm.trim_ascii()).into_owned())
        });
    let status = host.read_proc(&format!("{base}/status"), 1 << 16).ok();
    let user = status.as_deref().and_then(real_uid).map(|uid| users.name(uid));
    let started = host
        .read_proc(&format!("{base}/stat"), 1 << 16)
        .ok()
        .and_then(|s| start_ticks(&s))
        .zip(boot)
        .and_then(|(ticks, boot)| crate::rfc3339::from_unix(boot + (ticks / clock_ticks()) as i64));
    ProcessInfo { pid, exe, user, started, ..Default::default() }
}

/// The real uid on the `Uid:` line of /proc/PID/status.
fn real_uid(status: &[u8]) -> Option<u32> {
    let text = String::from_utf8_lossy(status);
    text.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().next()?.parse().ok()
}

/// Field 22 of /proc/PID/stat: start time in clock ticks after boot (fields counted after
/// the command name, which may hold spaces and parentheses).
fn start_ticks(stat: &[u8]) -> Option<u64> {
    let close = stat.iter().rposition(|&b| b == b')')?;
    let rest = String::from_utf8_lossy(&stat[close + 1..]).into_owned();
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// The `btime` line of /proc/stat: boot time, seconds since the epoch.
fn boot_time(host: &HostRoot) -> Option<i64> {
    let stat = host.read_proc("/proc/stat", 1 << 20).ok()?;
    let text = String::from_utf8_lossy(&stat);
    text.lines().find_map(|l| l.strip_prefix("btime "))?.trim().parse().ok()
}

/// Clock ticks per second (USER_HZ).
fn clock_ticks() -> u64 {
    // SAFETY: sysconf only reads a system constant.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_and_status_fields() {
        let stat = b"4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67";
        assert_eq!(start_ticks(stat), Some(987654));
        assert_eq!(real_uid(b"Name:\tsleep\nUid:\t1000\t1000\t1000\t1000\n"), Some(1000));
        assert_eq!(start_ticks(b"garbage"), None);
    }
}
