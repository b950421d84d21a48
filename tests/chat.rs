//! Chat exports, mailboxes, archives and decoders: who said it, where, when — and bad input.

mod common;

use std::io::{Cursor, Write};
use std::path::Path;

use common::{findings, fixtures, keytrail};
use serde_json::Value;

/// (rule, platform, channel, sender, timestamp, message_id, path) of each chat finding, sorted.
fn chat_rows(found: &[Value]) -> Vec<[String; 7]> {
    let mut v: Vec<[String; 7]> = found
        .iter()
        .filter(|f| f["location"]["source"] == "chat")
        .map(|f| {
            let l = &f["location"];
            let s = |k: &str| l[k].as_str().unwrap_or("").to_string();
            [
                f["rule"].as_str().unwrap().to_string(),
                s("platform"),
                s("channel"),
                s("sender"),
                s("timestamp"),
                s("message_id"),
                s("path"),
            ]
        })
        .collect();
    v.sort();
    v
}

fn row(r: [&str; 7]) -> [String; 7] {
    r.map(str::to_string)
}

fn scan(path: &Path, extra: &[&str]) -> (Vec<Value>, String, i32) {
    let out = keytrail().arg("scan").arg(path).args(["--format", "json"]).args(extra).output().unwrap();
    (findings(&out.stdout), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap())
}

/// Every key planted in the exports of fixtures/chat (as Slack, DiscordChatExporter, Telegram
/// Desktop, WhatsApp on iOS and Android in several locales, MemoTrace, Lark's API and CLI,
/// mail in legacy charsets, Microsoft Graph, Google Takeout, Mattermost, Element and
/// Rocket.Chat write them): found once, with channel, sender, time and message id.
#[test]
fn every_chat_format_names_sender_channel_and_time() {
    let (found, stderr, code) = scan(&fixtures().join("chat"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    let expected = vec![
        row([
            "anthropic-api-key",
            "telegram",
            "Contractors",
            "Dmitri",
            "2024-05-03T11:00:00Z",
            "7",
            "telegram/result.json",
        ]),
        row([
            "github-pat-classic",
            "email",
            "测试环境密钥",
            "王芳 <wangfang@example.cn>",
            "2024-06-03T09:00:00+08:00",
            "cs-1@example.cn",
            "email/charsets.mbox",
        ]),
        row([
            "github-pat-classic",
            "matrix",
            "Ops",
            "Omar Haddad",
            "2024-03-20T10:00:00Z",
            "$ev2_Lm4Np6Qr8StU",
            "matrix/matrix - Ops - Chat Export - 2024-03-20T10-00-00.000Z.json",
        ]),
        row([
            "github-pat-classic",
            "mattermost",
            "acme / Release Eng",
            "nina",
            "2024-03-20T10:00:00Z",
            "line 5",
            "mattermost/export.jsonl",
        ]),
        row([
            "github-pat-classic",
            "slack",
            "deploys",
            "alice",
            "2019-05-02T10:00:00Z",
            "1556791200.000200",
            "slack/deploys/2019-05-02.json",
        ]),
        row([
            "github-pat-classic",
            "slack",
            "general",
            "alice",
            "2024-03-02T12:00:00Z",
            "m-003",
            "slack/general/2024-03-02.json",
        ]),
        row([
            "github-pat-classic",
            "teams",
            "19:8f2a0b1c4d5e4f6a8b9c0d1e2f3a4b5c@thread.v2",
            "Robin Kline",
            "2024-03-01T10:22:00Z",
            "1709288520123",
            "teams/chat-19_8f2a.json",
        ]),
        row([
            "github-pat-classic",
            "telegram",
            "Release Train",
            "Pavel",
            "2020-11-05T16:22:10-00:00",
            "312",
            "telegram/2020/result.json",
        ]),
        row([
            "github-pat-classic",
            "wechat",
            "项目群",
            "老陈",
            "2024-06-07T09:01:00Z",
            "8",
            "wechat/聊天记录/项目群/项目群_utf8.csv",
        ]),
        row([
            "github-pat-classic",
            "whatsapp",
            "Aino",
            "Aino Virtanen",
            "2025-03-18T21:25:00-00:00",
            "line 1",
            "whatsapp/WhatsApp Chat with Aino.txt",
        ]),
        row([
            "github-pat-classic",
            "whatsapp",
            "太郎",
            "山田太郎",
            "2025-03-18T21:25:00-00:00",
            "line 1",
            "whatsapp/WhatsApp Chat with 太郎.txt",
        ]),
        row([
            "gitlab-pat",
            "email",
            "Zugang für CI: glpa…joqg",
            "Jörg Müller <jo@example.de>",
            "2024-07-09T12:00:00+02:00",
            "subj-1@example.de",
            "email/subject-key.eml",
        ]),
        row([
            "gitlab-pat",
            "email",
            "gitlab",
            "Bob <bob@example.com>",
            "2024-07-09T10:00:00Z",
            "m2@example.com",
            "email/ops.mbox",
        ]),
        row([
            "gitlab-pat",
            "email",
            "生产令牌轮换",
            "陈明 <chenming@example.cn>",
            "2024-06-03T10:00:00+08:00",
            "cs-2@example.cn",
            "email/charsets.mbox",
        ]),
        row([
            "gitlab-pat",
            "mattermost",
            "acme / Release Eng",
            "omar",
            "2024-03-20T10:01:00Z",
            "line 5 reply 1",
            "mattermost/export.jsonl",
        ]),
        row([
            "gitlab-pat",
            "rocketchat",
            "general",
            "Tariq Aziz",
            "2024-03-20T11:00:00Z",
            "7aDSXtjMA3KPLxLjt",
            "rocketchat/general.json",
        ]),
        row([
            "gitlab-pat",
            "slack",
            "deploys",
            "deploy-bot",
            "2019-05-02T10:05:00Z",
            "1556791500.000300",
            "slack/deploys/2019-05-02.json",
        ]),
        row([
            "gitlab-pat",
            "teams",
            "19:8f2a0b1c4d5e4f6a8b9c0d1e2f3a4b5c@thread.v2",
            "Pipeline Bot",
            "2024-03-01T10:25:00Z",
            "1709288700456",
            "teams/chat-19_8f2a.json",
        ]),
        row([
            "gitlab-pat",
            "telegram",
            "Release Train",
            "Olga",
            "2020-11-05T16:25:00-00:00",
            "313",
            "telegram/2020/result.json",
        ]),
        row([
            "gitlab-pat",
            "whatsapp",
            "Infra Oncall",
            "Lena Fischer",
            "2025-03-04T21:05:12-00:00",
            "line 3",
            "whatsapp/WhatsApp Chat - Infra Oncall/_chat.txt",
        ]),
        row([
            "gitlab-pat",
            "whatsapp",
            "Ivan",
            "Ivan Horvat",
            "2018-06-13T21:25:00-00:00",
            "line 1",
            "whatsapp/WhatsApp Chat with Ivan.txt",
        ]),
        row([
            "groq-api-key",
            "discord",
            "Acme Eng / llm-dev",
            "Carol",
            "2024-04-02T08:15:00Z",
            "1187000000000000001",
            "discord/llm-dev.json",
        ]),
        row([
            "groq-api-key",
            "email",
            "部署金鑰",
            "林志明 <lin@example.tw>",
            "2024-06-04T11:00:00+08:00",
            "cs-3@example.tw",
            "email/charsets.mbox",
        ]),
        row([
            "groq-api-key",
            "google-chat",
            "Space AAAAq1w2e3r",
            "Alex Rivera",
            "2024-03-18T13:55:12Z",
            "AAAAq1w2e3r/k3JtQ9wXyZ0/k3JtQ9wXyZ0",
            "google-chat/Takeout/Google Chat/Groups/Space AAAAq1w2e3r/messages.json",
        ]),
        row([
            "groq-api-key",
            "lark",
            "oc_5ad11d72b830411d72b836c20",
            "ou_155184d1e73cbfb8973e5a9e698e74f2",
            "2024-06-07T09:00:00Z",
            "om_dc13264520392913993dd051dba21dcf",
            "lark/cli/messages.json",
        ]),
        row([
            "groq-api-key",
            "matrix",
            "Ops",
            "@lena:matrix.example.org",
            "2024-03-20T10:03:20Z",
            "$ev4_De9Fg1Hi3Jk5",
            "matrix/matrix - Ops - Chat Export - 2024-03-20T10-00-00.000Z.json",
        ]),
        row([
            "groq-api-key",
            "slack",
            "deploys",
            "priya",
            "2019-05-02T10:16:00Z",
            "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "slack/deploys/2019-05-02.json",
        ]),
        row([
            "groq-api-key",
            "whatsapp",
            "Sam Ortiz",
            "Kim Park",
            "2025-03-10T09:45:00-00:00",
            "line 3",
            "whatsapp/WhatsApp Chat with Sam Ortiz.txt",
        ]),
        row([
            "huggingface-token",
            "email",
            "APIキーの共有",
            "山田太郎 <yamada@example.jp>",
            "2024-06-05T12:00:00+09:00",
            "cs-4@example.jp",
            "email/charsets.mbox",
        ]),
        row([
            "huggingface-token",
            "lark",
            "ml-infra",
            "Wang Fang",
            "2024-06-07T08:00:00Z",
            "om_abc123",
            "lark/messages.json",
        ]),
        row([
            "huggingface-token",
            "mattermost",
            "nina, omar",
            "omar",
            "2024-03-20T10:05:00Z",
            "line 7",
            "mattermost/export.jsonl",
        ]),
        row([
            "huggingface-token",
            "rocketchat",
            "general",
            "Inês Costa",
            "2024-03-20T11:02:00Z",
            "Lq3kWsd9Pz8XnBvRe",
            "rocketchat/general.json",
        ]),
        row([
            "huggingface-token",
            "slack",
            "deploys",
            "ml-sync",
            "2019-05-02T10:10:00Z",
            "1556791800.000400",
            "slack/deploys/2019-05-02.json",
        ]),
        row([
            "huggingface-token",
            "teams",
            "19:8f2a0b1c4d5e4f6a8b9c0d1e2f3a4b5c@thread.v2",
            "Maya Chen",
            "2024-03-01T10:30:00Z",
            "1709289000789",
            "teams/chat-19_8f2a.json",
        ]),
        row([
            "huggingface-token",
            "whatsapp",
            "Build Crew",
            "Jonas Weber",
            "2024-02-11T18:31:09-00:00",
            "line 3",
            "whatsapp/ios-group/_chat.txt",
        ]),
        row([
            "openai-project-key",
            "email",
            "New API key ✔",
            "François Ops <francois@example.com>",
            "2024-07-08T10:00:00+02:00",
            "leak-1@example.com",
            "email/leak.eml",
        ]),
        row([
            "openai-project-key",
            "slack",
            "ops",
            "Bob K",
            "2024-03-01T10:22:00Z",
            "m-002",
            "slack/ops/2024-03-01.json",
        ]),
        row([
            "openrouter-api-key",
            "email",
            "鍵の更新",
            "佐藤花子 <sato@example.jp>",
            "2024-06-06T13:00:00+09:00",
            "cs-5@example.jp",
            "email/charsets.mbox",
        ]),
        row([
            "openrouter-api-key",
            "google-chat",
            "Space AAAAq1w2e3r",
            "Sam Lee",
            "2024-03-18T14:01:40Z",
            "AAAAq1w2e3r/k3JtQ9wXyZ0/Vb8nM2cXqL4",
            "google-chat/Takeout/Google Chat/Groups/Space AAAAq1w2e3r/messages.json",
        ]),
        row([
            "openrouter-api-key",
            "slack",
            "deploys",
            "priya",
            "2019-05-02T10:15:00Z",
            "9f3c2a1e-5b7d-4e8f-a012-3c4d5e6f7a8b",
            "slack/deploys/2019-05-02.json",
        ]),
        row([
            "openrouter-api-key",
            "wechat",
            "Li Wei",
            "Zhang San",
            "2024-06-07T00:01:30Z",
            "2",
            "wechat/聊天记录/Li Wei/Li Wei_utf8.csv",
        ]),
        row([
            "openrouter-api-key",
            "whatsapp",
            "Jonas",
            "Jonas Weber",
            "2025-03-18T21:25:00-00:00",
            "line 1",
            "whatsapp/WhatsApp Chat mit Jonas.txt",
        ]),
        row([
            "perplexity-api-key",
            "whatsapp",
            "Budi",
            "Budi Santoso",
            "2025-03-18T13:55:12-00:00",
            "line 1",
            "whatsapp/WhatsApp Chat with Budi.txt",
        ]),
        row([
            "xai-api-key",
            "email",
            "Новый ключ",
            "Дмитрий Иванов <dmitri@example.ru>",
            "2024-06-07T14:00:00+03:00",
            "cs-6@example.ru",
            "email/charsets.mbox",
        ]),
        row([
            "xai-api-key",
            "whatsapp",
            "Ana",
            "Ana Ruiz",
            "2025-03-18T21:25:00-00:00",
            "line 1",
            "whatsapp/Chat de WhatsApp con Ana.txt",
        ]),
        row([
            "xai-api-key",
            "whatsapp",
            "Dana",
            "Eve",
            "2024-06-05T09:15:40-00:00",
            "line 2",
            "whatsapp/WhatsApp Chat with Dana.txt",
        ]),
    ];
    assert_eq!(chat_rows(&found), expected);
    for f in found.iter().filter(|f| f["location"]["source"] == "chat") {
        for k in ["channel", "sender", "timestamp", "message_id"] {
            assert!(f["location"][k].as_str().is_some_and(|s| !s.is_empty()), "{k} missing: {f}");
        }
    }
}

#[test]
fn base64_wrapped_credentials_are_found_with_their_encoding() {
    let (found, _, _) = scan(&fixtures().join("chat/decoded"), &[]);
    let k8s = found.iter().find(|f| f["location"]["path"] == "k8s-secret.yaml").expect("k8s secret found");
    assert_eq!(k8s["rule"], "stripe-secret-key");
    assert_eq!(k8s["location"]["encoding"], serde_json::json!(["base64"]));
    assert_eq!(k8s["location"]["line"], 7, "points at the encoded run in the original");
    assert!(found.iter().any(|f| f["location"]["path"] == ".dockerconfigjson" && f["rule"] == "docker-config-auth"));
    let (plain, _, _) = scan(&fixtures().join("chat/decoded"), &["--no-decode"]);
    // Undecoded, the value is still a random string under a key name (a generic finding),
    // but only decoding shows it is a Stripe key.
    assert!(!plain.iter().any(|f| f["location"]["path"] == "k8s-secret.yaml" && f["rule"] == "stripe-secret-key"));
}

#[test]
fn a_key_split_by_a_quoted_printable_soft_break_outside_an_email_is_found() {
    // A raw message pasted into a helpdesk ticket: not an email file, so only the generic
    // quoted-printable decoder can join the two halves of the key.
    let (found, _, _) = scan(&fixtures().join("chat/decoded"), &[]);
    let ticket: Vec<&Value> = found.iter().filter(|f| f["location"]["path"] == "ticket-4411.txt").collect();
    assert_eq!(ticket.len(), 1, "{ticket:?}");
    assert_eq!(ticket[0]["rule"], "anthropic-api-key");
    assert_eq!(ticket[0]["location"]["encoding"], serde_json::json!(["quoted-printable"]));
    assert_eq!((&ticket[0]["location"]["line"], &ticket[0]["location"]["end_line"]), (&14.into(), &15.into()));
    let (plain, _, _) = scan(&fixtures().join("chat/decoded"), &["--no-decode"]);
    assert!(!plain.iter().any(|f| f["location"]["path"] == "ticket-4411.txt"));
}

fn zip_dir(dir: &Path, prefix: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                w.start_file(format!("{prefix}{rel}"), opts).unwrap();
                w.write_all(&std::fs::read(&p).unwrap()).unwrap();
            }
        }
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn slack_zip_export_keeps_names_and_member_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("slack-export.zip"), zip_dir(&fixtures().join("chat/slack"), "")).unwrap();
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let rows = chat_rows(&found);
    assert!(
        rows.contains(&row([
            "openai-project-key",
            "slack",
            "ops",
            "Bob K",
            "2024-03-01T10:22:00Z",
            "m-002",
            "slack-export.zip!ops/2024-03-01.json"
        ])),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| r[3] == "deploy-bot" && r[6] == "slack-export.zip!deploys/2019-05-02.json"));
    assert_eq!(rows.len(), 7);
}

#[test]
fn tar_gz_gz_and_nested_archives_to_depth_three() {
    let dir = tempfile::tempdir().unwrap();
    let key = "ghp_Qz8Lm3Vx7Tn1Wb5Kc9Yr2Hj6Fd4Sp0Ga8Eu3";
    // tar.gz holding a zip holding a text file: depth 2.
    let inner_zip = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("conf/app.env", zip::write::SimpleFileOptions::default()).unwrap();
        writeln!(w, "GITHUB_TOKEN={key}").unwrap();
        w.finish().unwrap().into_inner()
    };
    let mut tar = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_old();
    // A hostile member name: the tar crate refuses to write `..`, so set the raw bytes.
    let name = b"../../escape/bundle.zip";
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.set_size(inner_zip.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    tar.append(&h, &inner_zip[..]).unwrap();
    let tar_bytes = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tar_bytes).unwrap();
    std::fs::write(dir.path().join("backup.tgz"), gz.finish().unwrap()).unwrap();
    // a plain .gz
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    writeln!(gz, "token={key}").unwrap();
    std::fs::write(dir.path().join("notes.txt.gz"), gz.finish().unwrap()).unwrap();
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let mut paths: Vec<&str> = found.iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    paths.sort();
    assert_eq!(paths, vec!["backup.tgz!../../escape/bundle.zip!conf/app.env", "notes.txt.gz!notes.txt"]);
    assert!(!dir.path().parent().unwrap().join("escape").exists(), "nothing is ever extracted");
    // Nested 4 deep: the innermost archive is not opened, with a warning naming it.
    let mut bytes = format!("T={key}\n").into_bytes();
    for level in 0..4 {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            format!("level{level}.{}", if level == 0 { "txt" } else { "zip" }),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&bytes).unwrap();
        bytes = w.finish().unwrap().into_inner();
    }
    let deep = tempfile::tempdir().unwrap();
    std::fs::write(deep.path().join("deep.zip"), &bytes).unwrap();
    let (found, stderr, _) = scan(deep.path(), &[]);
    assert!(found.is_empty());
    assert!(
        stderr.contains("deep.zip!level3.zip!level2.zip!level1.zip") && stderr.contains("nested deeper"),
        "{stderr}"
    );
}

#[test]
fn bad_archives_and_exports_warn_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let key = "ghp_Lk2Wq8Zx4Mn7Tv1Bc5Yr9Hj3Fd6Sg0Pa4Ee2";
    std::fs::write(dir.path().join("good.env"), format!("T={key}\n")).unwrap();
    // truncated zip
    let zip = zip_dir(&fixtures().join("chat/slack"), "");
    std::fs::write(dir.path().join("truncated.zip"), &zip[..zip.len() / 2]).unwrap();
    // zip bomb: 300 MB of zeros
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "zeros.txt",
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    std::fs::write(dir.path().join("bomb.zip"), w.finish().unwrap().into_inner()).unwrap();
    // malformed Telegram export: still scanned as text
    std::fs::write(dir.path().join("result.json"), format!("{{\"messages\": [{{\"from_id\": 1, \"text\": \"{key}\""))
        .unwrap();
    // JSON nested 100,000 deep shaped like a Discord export
    let deep = format!("{{\"guild\":1,\"author\":1,\"messages\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    // non-UTF-8 text
    let mut latin1 = b"caf\xe9 \xff\xfe token=".to_vec();
    latin1.extend_from_slice(key.as_bytes());
    std::fs::write(dir.path().join("latin1.txt"), latin1).unwrap();
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut paths: Vec<&str> = found.iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths, vec!["good.env", "latin1.txt", "result.json"]);
    for name in ["truncated.zip", "bomb.zip", "result.json", "deep.json"] {
        assert!(
            stderr.lines().any(|l| l.starts_with("keytrail: warning:") && l.contains(name)),
            "no warning for {name}: {stderr}"
        );
    }
}

#[test]
fn chat_flag_forces_a_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("log.text"), "[01/02/2024, 10:00:00] Zed: key is glpat-Xq7Lm2Vz9Tn4Wb8Kc3Yr\n")
        .unwrap();
    let (found, _, _) = scan(dir.path(), &["--chat", "whatsapp"]);
    assert_eq!(found[0]["location"]["platform"], "whatsapp");
    assert_eq!(found[0]["location"]["sender"], "Zed");
    let (found, _, _) = scan(dir.path(), &[]);
    assert_eq!(found[0]["location"]["source"], "file");
}

#[test]
fn whatsapp_channel_comes_from_the_archive_name() {
    // iOS shares `WhatsApp Chat - NAME.zip` holding `_chat.txt`; the name outranks the
    // group-creation line (a group is often renamed after it was created).
    let dir = tempfile::tempdir().unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("_chat.txt", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(&std::fs::read(fixtures().join("chat/whatsapp/ios-group/_chat.txt")).unwrap()).unwrap();
    std::fs::write(dir.path().join("WhatsApp Chat - Build Crew 2024.zip"), w.finish().unwrap().into_inner()).unwrap();
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        chat_rows(&found),
        vec![row([
            "huggingface-token",
            "whatsapp",
            "Build Crew 2024",
            "Jonas Weber",
            "2024-02-11T18:31:09-00:00",
            "line 3",
            "WhatsApp Chat - Build Crew 2024.zip!_chat.txt",
        ])]
    );
}

#[test]
fn whatsapp_files_that_cannot_tell_or_cannot_be_read_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let key = "glpat-Rw4Tn8Vx2Lq6Zb0Kc9Ym";
    // One US-style 12-hour date with day and month both under 13: the file cannot tell.
    std::fs::write(
        dir.path().join("WhatsApp Chat with Lee.txt"),
        format!("[3/4/25, 9:05:12\u{202f}PM] Lee Chan: runner token {key}\n"),
    )
    .unwrap();
    // Named like an export, but no line is dated as WhatsApp writes it.
    std::fs::write(dir.path().join("WhatsApp Chat with Max.txt"), format!("Max: token {key}\n")).unwrap();
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let warned = |name: &str, what: &str| {
        stderr.lines().any(|l| l.starts_with("keytrail: warning:") && l.contains(name) && l.contains(what))
    };
    assert!(warned("WhatsApp Chat with Lee.txt", "ambiguous"), "{stderr}");
    assert!(warned("WhatsApp Chat with Max.txt", "no line starts with a WhatsApp date"), "{stderr}");
    let lee = found.iter().find(|f| f["location"]["path"] == "WhatsApp Chat with Lee.txt").unwrap();
    assert_eq!(lee["location"]["timestamp"], "2025-04-03T21:05:12-00:00", "read day first, as said");
    assert_eq!(lee["location"]["sender"], "Lee Chan");
    let max = found.iter().find(|f| f["location"]["path"] == "WhatsApp Chat with Max.txt").unwrap();
    assert_eq!(max["location"]["source"], "file", "scanned as plain text, not lost");
}

#[test]
fn a_recognised_export_that_fails_to_parse_is_a_warning_and_its_text_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    for (name, dir_name) in
        [("chat-19_8f2a.json", "teams"), ("matrix - Ops - Chat Export - 2024-03-20T10-00-00.000Z.json", "matrix")]
    {
        let whole = std::fs::read(fixtures().join("chat").join(dir_name).join(name)).unwrap();
        std::fs::write(dir.path().join(name), &whole[..whole.len() * 2 / 3]).unwrap();
    }
    let (found, stderr, code) = scan(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    for (name, platform) in [("chat-19_8f2a.json", "Teams"), ("matrix - Ops", "Matrix")] {
        assert!(
            stderr.lines().any(|l| l.starts_with("keytrail: warning:")
                && l.contains(name)
                && l.contains(platform)
                && l.contains("invalid JSON")),
            "{stderr}"
        );
        assert!(
            found.iter().any(|f| f["location"]["source"] == "file"
                && f["location"]["path"].as_str().unwrap().starts_with(name)),
            "{name}: {found:?}"
        );
    }
}
