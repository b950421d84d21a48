//! UTF-16 and UTF-32 text end to end: decoded and scanned (not skipped as binary), positions
//! in characters of the decoded text, the encoding named in `location.encoding`.

mod common;

use std::path::Path;

use common::{findings, keytrail};
use serde_json::Value;

const TOKEN: &str = "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";

/// A PowerShell profile as `Out-File` / `Set-Content -Encoding Unicode` write it: CRLF line
/// ends, non-ASCII text before the token on its line.
fn script() -> String {
    format!(
        "# Bereitstellung für Prüfumgebung\r\n$env:REGION = \"eu-west-1\"\r\n$note = \"clé\"; $env:GITHUB_TOKEN = \"{TOKEN}\"\r\nWrite-Host \"fertig ✓\"\r\n"
    )
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect()
}

fn utf32(text: &str, le: bool) -> Vec<u8> {
    text.chars().flat_map(|c| if le { (c as u32).to_le_bytes() } else { (c as u32).to_be_bytes() }).collect()
}

fn with_bom(bom: &[u8], body: Vec<u8>) -> Vec<u8> {
    let mut out = bom.to_vec();
    out.extend(body);
    out
}

fn scan(dir: &Path) -> (Vec<Value>, String) {
    let out = keytrail().arg("scan").arg(dir).args(["--format", "json"]).output().unwrap();
    (findings(&out.stdout), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Line 3, and the column of the token counted in characters: `$note = "clé"; $env:GITHUB_TOKEN = "`
/// is 35 characters (36 bytes in UTF-8, 70 in UTF-16).
fn assert_token_found(found: &[Value], path: &str, encoding: &str) {
    let f = found
        .iter()
        .find(|f| f["location"]["path"] == path)
        .unwrap_or_else(|| panic!("no finding in {path}: {found:?}"));
    assert_eq!(f["rule"], "github-pat-classic", "{f}");
    assert_eq!(f["location"]["line"], 3, "{f}");
    let prefix = "$note = \"clé\"; $env:GITHUB_TOKEN = \"";
    assert_eq!(f["location"]["column"], prefix.chars().count() as u64 + 1, "{f}");
    assert_eq!(f["location"]["end_column"], (prefix.chars().count() + TOKEN.len()) as u64 + 1, "{f}");
    assert_eq!(f["location"]["encoding"], serde_json::json!([encoding]), "{f}");
    assert_eq!(f["secret"], "ghp_…VFkJ", "{f}");
}

#[test]
fn utf16_and_utf32_files_are_decoded_and_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let text = script();
    let files: [(&str, Vec<u8>, &str); 6] = [
        ("profile-bom.ps1", with_bom(&[0xFF, 0xFE], utf16(&text, true)), "utf-16le"),
        ("profile-nobom.ps1", utf16(&text, true), "utf-16le"),
        ("profile-be.ps1", with_bom(&[0xFE, 0xFF], utf16(&text, false)), "utf-16be"),
        ("profile-be-nobom.ps1", utf16(&text, false), "utf-16be"),
        ("profile32.ps1", with_bom(&[0xFF, 0xFE, 0, 0], utf32(&text, true)), "utf-32le"),
        ("profile32-be-nobom.ps1", utf32(&text, false), "utf-32be"),
    ];
    for (name, bytes, _) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (found, stderr) = scan(dir.path());
    assert_eq!(found.len(), files.len(), "one finding per file: {found:?}\n{stderr}");
    for (name, _, encoding) in &files {
        assert_token_found(&found, name, encoding);
    }
    assert!(stderr.contains("0 skipped"), "no file skipped as binary: {stderr}");
}

#[test]
fn binaries_with_nuls_are_still_skipped() {
    let dir = tempfile::tempdir().unwrap();
    // A token in a binary record with NUL padding: not text in any encoding.
    let mut bin = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    bin.extend(TOKEN.as_bytes());
    bin.extend([0u8; 64]);
    std::fs::write(dir.path().join("tool.bin"), &bin).unwrap();
    let (found, stderr) = scan(dir.path());
    assert!(found.is_empty(), "{found:?}");
    assert!(stderr.contains("1 skipped (1 binary)"), "{stderr}");
}

#[test]
fn wide_text_on_stdin_is_scanned() {
    let bytes = with_bom(&[0xFF, 0xFE], utf16(&script(), true));
    let out = keytrail().args(["scan", "-", "--format", "json"]).write_stdin(bytes).output().unwrap();
    let found = findings(&out.stdout);
    assert_token_found(&found, "-", "utf-16le");
}
