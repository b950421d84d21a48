//! 7z, xz and zstd archives (and tar inside xz/zstd), made at test time in Rust, and with
//! the `xz`/`zstd` tools too when the machine has them.

mod common;

use std::io::{Cursor, Write};
use std::path::Path;

use common::{findings, keytrail};

const TOKEN_A: &str = "acme_q8Vn3LxT0pR7sKe2WbY5mZc9HdJ4fGa1";
const TOKEN_B: &str = "acme_Z3rT8wQe1YuI6oPa4SdF9gHj2KlX7cVb";

fn env_file(token: &str) -> Vec<u8> {
    format!("REGION=eu\nACME_TOKEN={token}\n").into_bytes()
}

fn seven_z(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = sevenz_rust2::ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
    for (name, data) in members {
        let mut entry = sevenz_rust2::ArchiveEntry::new_file(name);
        entry.size = data.len() as u64;
        w.push_archive_entry(entry, Some(&data[..])).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut w = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(6)).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

fn tar(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, name, &data[..]).unwrap();
    }
    t.into_inner().unwrap()
}

fn scan(dir: &Path) -> (Vec<(String, u64)>, String, i32) {
    let out = keytrail().arg("scan").arg(dir).args(["--format", "json"]).output().unwrap();
    let mut got: Vec<(String, u64)> = findings(&out.stdout)
        .iter()
        .map(|f| (f["location"]["path"].as_str().unwrap().to_string(), f["location"]["line"].as_u64().unwrap()))
        .collect();
    got.sort();
    (got, String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap())
}

#[test]
fn seven_z_xz_and_zstd_members_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(".keytrail.toml"), common::ACME_RULES).unwrap();
    let inner = seven_z(&[("deploy/app.env", env_file(TOKEN_A)), ("README", b"nothing here\n".to_vec())]);
    std::fs::write(d.join("bundle.7z"), &inner).unwrap();
    std::fs::write(d.join("app.env.xz"), xz(&env_file(TOKEN_B))).unwrap();
    std::fs::write(d.join("app.env.zst"), zstd(&env_file(TOKEN_A))).unwrap();
    std::fs::write(d.join("backup.tar.xz"), xz(&tar(&[("etc/app.env", env_file(TOKEN_B))]))).unwrap();
    std::fs::write(d.join("backup.tar.zst"), zstd(&tar(&[("etc/app.env", env_file(TOKEN_A))]))).unwrap();
    // A 7z inside a zstd stream: nesting goes through every kind.
    std::fs::write(d.join("nested.7z.zst"), zstd(&inner)).unwrap();
    let (got, stderr, code) = scan(d);
    assert_eq!(code, 1, "{stderr}");
    let want: Vec<(String, u64)> = [
        "app.env.xz!app.env",
        "app.env.zst!app.env",
        "backup.tar.xz!etc/app.env",
        "backup.tar.zst!etc/app.env",
        "bundle.7z!deploy/app.env",
        "nested.7z.zst!nested.7z!deploy/app.env",
    ]
    .iter()
    .map(|p| (p.to_string(), 2))
    .collect();
    assert_eq!(got, want, "{stderr}");
}

#[test]
fn corrupt_7z_xz_and_zstd_are_warnings_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(".keytrail.toml"), common::ACME_RULES).unwrap();
    let mut bad7z = seven_z(&[("a.env", env_file(TOKEN_A))]);
    let n = bad7z.len();
    bad7z.truncate(n - 10);
    std::fs::write(d.join("cut.7z"), &bad7z).unwrap();
    let mut badxz = xz(&env_file(TOKEN_A));
    let mid = badxz.len() / 2;
    badxz[mid] ^= 0xff;
    std::fs::write(d.join("flip.xz"), &badxz).unwrap();
    std::fs::write(d.join("junk.zst"), [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3, 4, 5]).unwrap();
    std::fs::write(d.join("ok.env"), env_file(TOKEN_B)).unwrap();
    let (got, stderr, code) = scan(d);
    assert_eq!(got, [("ok.env".to_string(), 2)], "the scan goes on: {stderr}");
    assert_eq!(code, 1);
    for name in ["cut.7z", "flip.xz", "junk.zst"] {
        assert!(stderr.lines().any(|l| l.contains("warning") && l.contains(name)), "{name}: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn streams_made_by_the_xz_and_zstd_tools_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(".keytrail.toml"), common::ACME_RULES).unwrap();
    let mut want = Vec::new();
    for (tool, ext) in [("xz", "xz"), ("zstd", "zst")] {
        let src = d.join(format!("{tool}.env"));
        std::fs::write(&src, env_file(TOKEN_A)).unwrap();
        let Ok(st) = std::process::Command::new(tool).arg("-q").arg(&src).status() else {
            eprintln!("{tool} is not installed: its stream is not checked");
            std::fs::remove_file(&src).unwrap();
            continue;
        };
        assert!(st.success());
        if src.exists() {
            std::fs::remove_file(&src).unwrap(); // zstd keeps the source
        }
        want.push((format!("{tool}.env.{ext}!{tool}.env"), 2));
    }
    let (got, stderr, _) = scan(d);
    assert_eq!(got, want, "{stderr}");
}
