//! Temporary clones and the git processes filling them, removed on Ctrl-C and SIGTERM too.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};

/// Directories to remove and processes to stop if keytrail is interrupted.
struct Live {
    dirs: Vec<PathBuf>,
    children: Vec<u32>,
}

static LIVE: Mutex<Live> = Mutex::new(Live { dirs: Vec::new(), children: Vec::new() });
static HANDLER: Once = Once::new();
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs (once) the handler of SIGINT, SIGTERM and SIGHUP: stop the git processes still
/// cloning, remove every temporary clone, exit with 130.
pub fn install_handler() {
    HANDLER.call_once(|| {
        let installed = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            let (dirs, children) = {
                let mut l = live();
                (std::mem::take(&mut l.dirs), std::mem::take(&mut l.children))
            };
            for pid in children {
                if let Ok(pid) = i32::try_from(pid) {
                    // SAFETY: kill(2) with a pid keytrail spawned and has not reaped yet.
                    unsafe {
                        libc::kill(pid, libc::SIGTERM);
                    }
                }
            }
            for d in &dirs {
                remove(d);
            }
            eprintln!(
                "keytrail: interrupted; removed {} temporary clone{}",
                dirs.len(),
                if dirs.len() == 1 { "" } else { "s" }
            );
            std::process::exit(130);
        });
        if let Err(e) = installed {
            eprintln!(
                "keytrail: warning: cannot catch Ctrl-C ({e}); an interrupted clone may stay in the temporary directory"
            );
        }
    });
}

/// Called when a tracked process has ended: if it ended because keytrail is being
/// interrupted, the handler is removing the clones and exiting with 130; the caller waits
/// for that instead of reporting the stopped process as a failure.
pub(crate) fn wait_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

/// Removes a directory tree; a git process that was still writing may add a file while it
/// dies, so a second pass follows a failed first.
pub(crate) fn remove(dir: &Path) {
    if std::fs::remove_dir_all(dir).is_err() && dir.exists() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

pub(crate) fn track_dir(dir: &Path) {
    live().dirs.push(dir.to_path_buf());
}

pub(crate) fn untrack_dir(dir: &Path) {
    live().dirs.retain(|d| d != dir);
}

pub(crate) fn track_child(pid: u32) {
    live().children.push(pid);
}

pub(crate) fn untrack_child(pid: u32) {
    live().children.retain(|&p| p != pid);
}
