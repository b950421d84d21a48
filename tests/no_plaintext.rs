//! The no-plaintext guarantee, swept: every command, source and output format, with planted
//! secrets and fingerprints; nothing keytrail prints or writes may hold a key or a long piece
//! of one.

mod common;

use std::io::{Cursor, Write};

use base64::Engine as _;
use common::server::{Reply, Server};
use common::{copy_dir, fixtures, git, keytrail};

/// A provider that echoes what it was sent into every identity field keytrail reads: live
/// checks must still print no key.
fn echoing_server() -> Server {
    Server::start(|req| {
        let echo = format!("{} {} {:?}", req.path, req.body, req.headers);
        let e = serde_json::Value::String(echo.clone());
        let body = serde_json::json!({
            "ok": true, "valid": true, "login": e, "name": e, "username": e, "email": e, "id": e,
            "label": e, "type": e, "team": e, "user": e, "url": e,
            "data": {"label": e, "usage": e, "viewer": {"name": e}},
            "result": {"status": "active", "id": e, "username": e},
            "auth": {"accessToken": {"displayName": e, "role": e}},
        });
        let mut r = Reply::new(200, &body.to_string());
        r.headers.push(("x-oauth-scopes".into(), echo.replace(['\r', '\n'], " ")));
        r
    })
}

/// Fake keys in real shapes (random; never real credentials).
const KEYS: [&str; 6] = [
    "sk-proj-Wd3kZ8vN1xLq5Tb9Rm2Yc7Hf4Jp0Sg6Ea3Uo8Ii5Kl1Zx7Cv4Bn9Mq2Wr6Ty0Pa3Sd8Fg1Hj5Kl9T3BlbkFJx2Cv5Bn8Mq1Wr4Ty7Pa0Sd3Fg6Hj9Kl2Zx5Cv8Bn1Mq4Wr7Ty0Pa3Sd6Fg9Hj2Kl5Zx8Cv1Bn4Mq7Wr0Ty3Pa6",
    "ghp_Nv7Qz2Lx9Wm4Tb1Kc8Yr5Hj3Fd6Sg0Pa7Ee2",
    "sk_live_Vb4Nm7Qx1Lz8Wk3Tc6Yr9Hj2Fd5Sg0Pa4Ee7Uo1Ii3Kl6Zx",
    "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",
    "glpat-Hq4Wz8Lx2Nv6Tb0Kc3Yr",
    "xoxb-482915730264-7361029485716-Qw8Er2Ty6Ui0Op4As7Df1Gh5",
];

/// Exports in fixtures/chat whose planted keys are swept too (every platform's reader).
const CHAT_FIXTURES: [&str; 11] = [
    "whatsapp",
    "wechat",
    "telegram",
    "slack",
    "lark",
    "email",
    "teams",
    "google-chat",
    "mattermost",
    "matrix",
    "rocketchat",
];

/// Every 12-character window of every key.
fn pieces(extra: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for k in KEYS.iter().copied().chain(extra.iter().map(String::as_str)) {
        let c: Vec<char> = k.chars().collect();
        for w in c.windows(12) {
            out.push(w.iter().collect());
        }
    }
    out
}

#[test]
fn nothing_keytrail_prints_or_writes_holds_a_key() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // A tree with plain, encoded, archived and chat copies.
    let tree = root.join("tree");
    std::fs::create_dir_all(tree.join("slack/ops")).unwrap();
    std::fs::write(tree.join("app.env"), format!("OPENAI_API_KEY={}\nGITHUB_TOKEN={}\n", KEYS[0], KEYS[1])).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(KEYS[2]);
    std::fs::write(tree.join("secret.yaml"), format!("kind: Secret\ndata:\n  STRIPE: {b64}\n")).unwrap();
    std::fs::write(tree.join("slack/users.json"), r#"[{"id":"U1","name":"a","profile":{"display_name":"ann"}}]"#)
        .unwrap();
    std::fs::write(
        tree.join("slack/ops/2024-01-01.json"),
        format!(r#"[{{"type":"message","user":"U1","text":"key {}","ts":"1704103200.0001"}}]"#, KEYS[3]),
    )
    .unwrap();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("inner/ci.env", zip::write::SimpleFileOptions::default()).unwrap();
    writeln!(zip, "GITLAB_TOKEN={}", KEYS[4]).unwrap();
    std::fs::write(tree.join("bundle.zip"), zip.finish().unwrap().into_inner()).unwrap();
    // The chat exports of every platform, with their own planted keys.
    for d in CHAT_FIXTURES {
        copy_dir(&fixtures().join("chat").join(d), &tree.join("chat").join(d));
    }
    let out = keytrail().args(["scan", "--reveal", "--format", "json"]).arg(tree.join("chat")).output().unwrap();
    let chat_keys: Vec<String> =
        common::findings(&out.stdout).iter().map(|f| f["secret"].as_str().unwrap().to_string()).collect();
    assert!(chat_keys.len() >= 40, "the chat fixtures' keys are found: {}", chat_keys.len());
    // A repository: a key committed then deleted, a stash, a staged key.
    let repo = root.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("a.env"), format!("T={}\n", KEYS[1])).unwrap();
    git(&repo, &["add", "a.env"]);
    git(&repo, &["commit", "-q", "-m", "add"]);
    git(&repo, &["rm", "-q", "a.env"]);
    git(&repo, &["commit", "-q", "-m", "remove"]);
    std::fs::write(repo.join("b.env"), format!("SLACK={}\n", KEYS[5])).unwrap();
    git(&repo, &["add", "b.env"]);
    // Fingerprints of every key.
    let fp = root.join("leaked.keytrail.toml");
    let out = keytrail()
        .args(["fingerprint", "--label", "leak", "-o"])
        .arg(&fp)
        .write_stdin(KEYS.iter().map(|k| format!("{k}\n")).collect::<String>())
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut seen = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);

    let server = echoing_server();
    let fps = fp.to_str().unwrap().to_string();
    let repo_s = repo.to_str().unwrap().to_string();
    let tree_s = tree.to_str().unwrap().to_string();
    let runs: Vec<Vec<&str>> = vec![
        vec!["scan", &tree_s],
        vec!["scan", &tree_s, "--fingerprints", &fps],
        vec!["scan", "--git", &repo_s],
        vec!["scan", "--git", "--all-objects", &repo_s],
        vec!["scan", "--range", "HEAD~1..HEAD", &repo_s],
        vec!["scan", "--staged", &repo_s],
        vec!["trace", "-f", &fps, &tree_s],
        vec!["trace", "-f", &fps, "--git", &repo_s],
        vec!["trace", "-f", &fps, "--staged", &repo_s],
        vec!["scan", "-"],
        vec!["trace", "-f", &fps, "-"],
        vec!["scan", &tree_s, "--validate"],
        vec!["scan", "--git", &repo_s, "--validate", "--base-url", &server.base],
        vec!["trace", "-f", &fps, &tree_s, "--validate"],
    ];
    let mut found_total = 0;
    for run in &runs {
        for format in ["human", "json", "jsonl", "sarif"] {
            let file = root.join(format!("out-{format}"));
            for to_file in [false, true] {
                let mut cmd = keytrail();
                cmd.args(run).args(["--format", format]).write_stdin(format!("token {}\n", KEYS[1]));
                cmd.env("KEYTRAIL_VALIDATE_ENDPOINT_OVERRIDE", &server.base);
                if to_file {
                    cmd.arg("-o").arg(&file);
                }
                let out = cmd.output().unwrap();
                assert!(
                    matches!(out.status.code(), Some(0 | 1)),
                    "{run:?} {format}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                found_total += usize::from(out.status.code() == Some(1));
                seen += &String::from_utf8_lossy(&out.stdout);
                seen += &String::from_utf8_lossy(&out.stderr);
                if to_file {
                    seen += &std::fs::read_to_string(&file).unwrap();
                }
            }
        }
    }
    seen += &std::fs::read_to_string(&fp).unwrap();
    // verify and doctor: every key, checked with the provider and a gateway that echo it.
    let all_keys: String = KEYS.iter().map(|k| format!("{k}\n")).collect();
    for format in ["human", "json"] {
        let out = keytrail()
            .env("KEYTRAIL_VALIDATE_ENDPOINT_OVERRIDE", &server.base)
            .args(["verify", "--base-url", &server.base, "--format", format, "-f", &fps])
            .write_stdin(all_keys.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "verify: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("active"));
        seen += &String::from_utf8_lossy(&out.stdout);
        seen += &String::from_utf8_lossy(&out.stderr);
    }
    for k in KEYS {
        let out = keytrail()
            .env("KEYTRAIL_VALIDATE_ENDPOINT_OVERRIDE", &server.base)
            .args(["doctor", "--validate", "--base-url", &server.base])
            .write_stdin(format!(" Bearer \u{201c}{k}\u{201d}\u{200b}\r\n"))
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("give support:"));
        seen += &String::from_utf8_lossy(&out.stdout);
        seen += &String::from_utf8_lossy(&out.stderr);
    }
    let requests = server.take();
    assert!(requests.len() >= 20, "the live checks were made: {}", requests.len());
    // Every run finds something except the range, whose one commit only deletes.
    assert_eq!(found_total, (runs.len() - 1) * 8, "runs with findings");
    for p in pieces(&chat_keys) {
        assert!(!seen.contains(&p), "keytrail printed or wrote a piece of a key: {p:?}");
    }
    // And --reveal does show them (so the check above can fail).
    let out = keytrail().args(["scan", "--reveal", "--format", "json"]).arg(&tree).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(KEYS[0]));
}
