//! Hostile inputs: the scan never panics, hangs or balloons; each bad input gets a warning
//! naming it and the other inputs are still scanned. Peak RSS is measured with
//! `/usr/bin/time -v` (reported on failure, bounded generously: no timing assertions).

mod common;

use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use common::{findings, git, keytrail, triples};

const RULES: &str = common::ACME_RULES;
const TOKEN: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".keytrail.toml"), RULES).unwrap();
    std::fs::write(dir.path().join("good.env"), format!("T={TOKEN}\n")).unwrap();
    dir
}

/// Runs the release-or-debug binary under /usr/bin/time -v; returns (exit, stdout, stderr, peak RSS KiB).
fn run_measured(args: &[&std::ffi::OsStr]) -> (i32, Vec<u8>, String, u64) {
    let bin = assert_cmd::cargo::cargo_bin("keytrail");
    let out = Command::new("/usr/bin/time").arg("-v").arg(bin).args(args).output().expect("/usr/bin/time runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes): "))
        .and_then(|v| v.parse().ok())
        .expect("time -v reports peak RSS");
    (out.status.code().unwrap_or(-1), out.stdout, stderr, rss)
}

#[test]
fn non_utf8_file_names_are_scanned_and_shown_lossily() {
    let dir = tree();
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.env");
    std::fs::write(dir.path().join(name), format!("T={TOKEN}\n")).unwrap();
    let out = keytrail().arg("scan").arg(dir.path()).args(["--format", "json"]).output().unwrap();
    let f = findings(&out.stdout);
    assert_eq!(f.len(), 2, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(f.iter().any(|x| x["location"]["path"].as_str().unwrap().starts_with("bad-")));
}

#[test]
fn unreadable_files_and_directories_warn_and_the_rest_is_scanned() {
    let dir = tree();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("inner.env"), format!("T={TOKEN}\n")).unwrap();
    std::fs::write(dir.path().join("private.env"), format!("T={TOKEN}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path().join("private.env"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads everything: drop to an unprivileged user when we are root.
    let bin = assert_cmd::cargo::cargo_bin("keytrail");
    let is_root = unsafe { libc_geteuid() } == 0;
    let mut cmd = if is_root {
        // the tempdir must be traversable by the unprivileged user
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let out = cmd.arg("scan").arg(dir.path()).args(["--format", "json"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(triples(&findings(&out.stdout)), vec![("good.env".to_string(), 1, "acme-token".to_string())]);
    assert!(stderr.contains("private.env") && stderr.contains("ermission denied"), "{stderr}");
    assert!(stderr.contains("locked"), "{stderr}");
    assert!(stderr.contains("2 warnings"), "{stderr}");
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}

#[test]
fn sparse_4gb_file_is_skipped_as_binary_without_reading_it_all() {
    let dir = tree();
    let f = std::fs::File::create(dir.path().join("sparse.img")).unwrap();
    f.set_len(4 << 30).unwrap();
    let (code, stdout, stderr, rss) =
        run_measured(&["scan".as_ref(), dir.path().as_os_str(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings(&stdout).len(), 1);
    assert!(stderr.contains("1 binary"), "{stderr}");
    assert!(rss < 256 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn a_200mb_single_line_is_scanned_with_bounded_memory() {
    let dir = tree();
    // With every built-in rule too: some keywords (`AAAA…`) hit at every byte of a run.
    std::fs::write(dir.path().join(".keytrail.toml"), RULES.replace("useDefault = false", "useDefault = true"))
        .unwrap();
    let mut line = vec![b'A'; 200 << 20];
    line.extend_from_slice(format!(" {TOKEN}\n").as_bytes());
    std::fs::write(dir.path().join("one-line.min.js"), &line).unwrap();
    drop(line);
    let (code, stdout, stderr, rss) =
        run_measured(&["scan".as_ref(), dir.path().as_os_str(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(code, 1, "{stderr}");
    let t = triples(&findings(&stdout));
    assert_eq!(t.len(), 2);
    assert_eq!(t[1], ("one-line.min.js".to_string(), 1, "acme-token".to_string()));
    // The file is mmapped: its pages count once; nothing may copy it.
    assert!(rss < 600 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn files_vanishing_mid_scan_are_warnings_not_crashes() {
    let dir = tree();
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..3000 {
        std::fs::write(many.join(format!("f{i}.txt")), format!("line {i}\n")).unwrap();
    }
    let victim = many.clone();
    let remover = std::thread::spawn(move || {
        for i in (0..3000).rev() {
            let _ = std::fs::remove_file(victim.join(format!("f{i}.txt")));
        }
    });
    let out = keytrail().arg("scan").arg(dir.path()).args(["--format", "json"]).output().unwrap();
    remover.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(findings(&out.stdout).len(), 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for l in stderr.lines().filter(|l| l.starts_with("keytrail: warning:")) {
        assert!(l.contains("many/f"), "warning names the input: {l}");
    }
}

#[test]
fn fifo_and_socket_never_hang() {
    let dir = tree();
    assert!(Command::new("mkfifo").arg(dir.path().join("fifo")).status().unwrap().success());
    let _sock = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
    let out = keytrail().arg("scan").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 special"));
    // A FIFO named on the command line is skipped too.
    let out = keytrail().arg("scan").arg(dir.path().join("fifo")).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

const GH: &str = "ghp_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1Lm6Q";

#[test]
fn a_million_refs_are_scanned_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::write(d.join("a.env"), format!("T={GH}\n")).unwrap();
    git(d, &["add", "a.env"]);
    git(d, &["commit", "-q", "-m", "one"]);
    let head =
        String::from_utf8(Command::new("git").arg("-C").arg(d).args(["rev-parse", "HEAD"]).output().unwrap().stdout)
            .unwrap();
    let mut packed = String::from("# pack-refs with: peeled fully-peeled sorted \n");
    for i in 0..1_000_000 {
        packed.push_str(&format!("{} refs/tags/t{i:07}\n", head.trim()));
    }
    std::fs::write(d.join(".git/packed-refs"), packed).unwrap();
    let (code, stdout, stderr, rss) =
        run_measured(&["scan".as_ref(), "--git".as_ref(), d.as_os_str(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings(&stdout).len(), 1);
    assert!(stderr.contains("refs: only the first 10000"), "{stderr}");
    assert!(!d.join(".git/logs/refs/tags").exists(), "no reflog files created");
    assert!(rss < 768 * 1024, "peak RSS {rss} KiB");
}

#[test]
fn a_corrupt_pack_is_a_warning_naming_objects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    for i in 0..40 {
        std::fs::write(d.join(format!("f{i}.txt")), format!("file {i}\n{}\n", "lorem ipsum ".repeat(200 + i))).unwrap();
    }
    std::fs::write(d.join("a.env"), format!("T={GH}\n")).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "one"]);
    git(d, &["gc", "-q"]);
    let pack = std::fs::read_dir(d.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 256] {
        *b ^= 0x5a;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pack, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&pack, bytes).unwrap();
    let out = keytrail().args(["scan", "--git"]).arg(d).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0..=2)), "{stderr}");
    assert!(
        stderr.lines().any(|l| l.starts_with("keytrail: warning:")
            && l.split_whitespace().any(|w| w.trim_end_matches(':').len() == 40)),
        "a warning names an object id: {stderr}"
    );
}
