//! `--host`: a key in a running process's environment, and in the places a fake host tree
//! (built by fixtures/make-fake-host.sh) keeps it — named by pid, path or container; never
//! in plaintext; never through a link leaving the root.

mod common;

use std::path::Path;

use common::{findings, fixtures, keytrail};
use serde_json::Value;

/// A fake OpenAI-style project key (random; never a real credential).
const KEY: &str = "sk-proj-Lr8vQ2mXz7KpT4wBn9YcJ3hF6dGs1aEu5iOy8tRqWpLx2KzV7mN4bC9jH3gF8dS6aT3BlbkFJq5Yw7Ht2Lk9Pz3Nx6Cv8Bm1Qa5Sd4Fg0Jh7Kl2Zx9Mn3Pq6Rt8Vw1Yb5Ce0Gi4";

fn fingerprint(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("fp.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "worker-openai", "-o"])
        .arg(&path)
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

fn fake_host(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("root");
    let out = std::process::Command::new("sh")
        .arg(fixtures().join("make-fake-host.sh"))
        .arg(&root)
        .env("FAKE_HOST_KEY", KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    root
}

fn assert_no_plaintext(text: &str) {
    for start in (4..KEY.len() - 12).step_by(6) {
        assert!(!text.contains(&KEY[start..start + 12]), "output holds a piece of the key: {text}");
    }
}

#[test]
fn trace_names_every_place_of_a_fake_host() {
    let dir = tempfile::tempdir().unwrap();
    let fp = fingerprint(dir.path());
    let root = fake_host(dir.path());
    let out =
        keytrail().args(["trace", "--format", "json", "--host-root"]).arg(&root).arg("-f").arg(&fp).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let found = findings(&out.stdout);
    let mut places: Vec<(String, String)> = found
        .iter()
        .map(|f| {
            let l = &f["location"];
            (l["source"].as_str().unwrap().to_string(), l["path"].as_str().unwrap().to_string())
        })
        .collect();
    places.sort();
    let cid = "4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7";
    let container = format!("/var/lib/docker/containers/{cid}/config.v2.json");
    let want: Vec<(&str, &str)> = vec![
        ("host-file", "/etc/worker/worker.env"),
        ("host-file", "/home/deploy/.docker/config.json"),
        ("host-file", "/home/deploy/.zsh_history"),
        ("host-file", &container),
        ("host-file", "/var/spool/cron/crontabs/deploy"),
        ("process", "/proc/4242/environ"),
    ];
    assert_eq!(places, want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
    let by_path = |p: &str| found.iter().find(|f| f["location"]["path"] == p).unwrap()["location"].clone();
    let proc = by_path("/proc/4242/environ");
    assert_eq!(proc["pid"], 4242);
    assert_eq!(proc["exe"], "/usr/bin/python3.12");
    assert_eq!(proc["user"], "deploy");
    assert_eq!(proc["variable"], "OPENAI_API_KEY");
    // btime 1764590000 + 360000 ticks at 100 Hz
    assert_eq!(proc["started"], "2025-12-01T12:53:20Z");
    let c = by_path(&container);
    assert_eq!((c["runtime"].as_str(), c["container_name"].as_str()), (Some("docker"), Some("worker-1")));
    assert_eq!(c["container_id"], cid);
    assert_eq!(by_path("/home/deploy/.docker/config.json")["encoding"], serde_json::json!(["base64"]));
    assert_no_plaintext(&(String::from_utf8_lossy(&out.stdout).into_owned() + &stderr));
    // The human report names the process and the container.
    let out = keytrail().args(["trace", "--host-root"]).arg(&root).arg("-f").arg(&fp).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(human.contains("process pid 4242 /usr/bin/python3.12 (user deploy"), "{human}");
    assert!(human.contains("container docker worker-1 (4f1c2a9e8b7d)"), "{human}");
    assert_no_plaintext(&human);
    // SARIF: host paths as absolute file URIs, valid against the schema.
    let out =
        keytrail().args(["trace", "--format", "sarif", "--host-root"]).arg(&root).arg("-f").arg(&fp).output().unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    common::assert_valid_sarif(&sarif);
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(uris.contains(&"file:///proc/4242/environ") && uris.contains(&"file:///etc/worker/worker.env"), "{uris:?}");
    assert_no_plaintext(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn scan_host_applies_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let root = fake_host(dir.path());
    let out = keytrail().args(["scan", "--format", "json", "--host-root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let found = findings(&out.stdout);
    let openai: Vec<&Value> = found.iter().filter(|f| f["rule"] == "openai-project-key").collect();
    assert_eq!(openai.len(), 6, "{found:?}");
    assert!(openai.iter().any(|f| f["location"]["source"] == "process" && f["location"]["pid"] == 4242));
    // Without --host, no PATH is `.`; with it, only the host is read.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!found.iter().any(|f| f["location"]["source"] == "file"), "{stderr}");
    assert_no_plaintext(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn trace_host_names_a_live_process_by_pid() {
    let dir = tempfile::tempdir().unwrap();
    let fp = fingerprint(dir.path());
    let mut child = std::process::Command::new("sleep").arg("30").env("WORKER_OPENAI_KEY", KEY).spawn().unwrap();
    let out = keytrail().args(["trace", "--host", "--format", "json", "-f"]).arg(&fp).output().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let found = findings(&out.stdout);
    let hit = found
        .iter()
        .find(|f| f["location"]["pid"] == child.id())
        .unwrap_or_else(|| panic!("pid {} not named: {found:?} {stderr}", child.id()));
    let l = &hit["location"];
    assert_eq!(l["source"], "process");
    assert_eq!(l["variable"], "WORKER_OPENAI_KEY");
    assert!(l["exe"].as_str().is_some_and(|e| e.ends_with("sleep")), "{l}");
    assert!(l["started"].as_str().is_some() && l["user"].as_str().is_some(), "{l}");
    assert_no_plaintext(&(String::from_utf8_lossy(&out.stdout).into_owned() + &stderr));
}

#[test]
fn a_missing_host_root_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let fp = fingerprint(dir.path());
    let missing = dir.path().join("no-such-root");
    let out = keytrail().args(["trace", "--host-root"]).arg(&missing).arg("-f").arg(&fp).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-root") && stderr.contains("host root"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
