//! The fan-out files under deploy/: parsed as YAML and checked field by field, and their
//! shell steps run here against `file://` repositories with the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ACME_RULES, assert_valid_sarif, git};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

fn deploy(rel: &str) -> Vec<Yaml> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: not YAML: {e}", path.display()))
}

fn s(y: &Yaml) -> &str {
    y.as_str().unwrap_or_else(|| panic!("not a string: {y:?}"))
}

/// The directory holding the keytrail binary under test, first on PATH.
fn path_with_keytrail() -> String {
    let bin = assert_cmd::cargo::cargo_bin("keytrail");
    format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default())
}

/// Two repositories with one fake ACME token each, as `file://` URLs, and the config.
fn repos(dir: &Path) -> (Vec<String>, PathBuf) {
    let mut urls = Vec::new();
    for (i, name) in ["api", "web"].iter().enumerate() {
        let work = dir.join("work").join(name);
        std::fs::create_dir_all(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        let token: String = format!("acme_{name}Q7xK2mP9vL4nR8tW3yZ6bC1dF5gH0j{i}").chars().take(37).collect();
        std::fs::write(work.join(".env"), format!("ACME_TOKEN={token}\n")).unwrap();
        git(&work, &["add", "-A"]);
        git(&work, &["commit", "-q", "-m", "env"]);
        urls.push(format!("file://{}", work.display()));
    }
    let config = dir.join("acme.toml");
    std::fs::write(&config, ACME_RULES).unwrap();
    (urls, config)
}

fn sh(script: &str, dir: &Path, env: &[(&str, String)]) -> std::process::Output {
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PATH", path_with_keytrail())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "script failed: {}\n{}\n{script}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn github_workflow_fans_the_list_out_as_a_matrix_and_merges() {
    let docs = deploy("github-actions/keytrail-repos.yml");
    let wf = &docs[0];
    assert!(!wf["on"]["workflow_dispatch"].is_badvalue(), "can be started by hand");
    assert_eq!(s(&wf["permissions"]["contents"]), "read");
    let jobs = &wf["jobs"];
    assert_eq!(s(&jobs["list"]["outputs"]["repos"]), "${{ steps.list.outputs.repos }}");
    let scan = &jobs["scan"];
    assert_eq!(s(&scan["needs"]), "list");
    assert_eq!(scan["strategy"]["fail-fast"].as_bool(), Some(false));
    assert_eq!(s(&scan["strategy"]["matrix"]["repo"]), "${{ fromJSON(needs.list.outputs.repos) }}");
    let merge = &jobs["merge"];
    assert_eq!(s(&merge["needs"]), "scan");
    assert_eq!(s(&merge["if"]), "always()");
    let steps = |job: &Yaml| job["steps"].as_vec().unwrap().clone();
    let run_of = |job: &Yaml, name: &str| {
        steps(job).iter().find(|st| st["name"].as_str() == Some(name)).map(|st| s(&st["run"]).to_string()).unwrap()
    };
    // Expressions go through env, never into a script (no injection through a repo name).
    for job in ["list", "scan", "merge"] {
        for st in steps(&jobs[job]) {
            if let Some(run) = st["run"].as_str() {
                assert!(!run.contains("${{"), "{job}: expression inside a script: {run}");
            }
        }
    }
    let scan_step = steps(scan).into_iter().find(|st| st["name"].as_str() == Some("Scan")).unwrap();
    assert_eq!(s(&scan_step["env"]["REPO"]), "${{ matrix.repo }}");
    let upload = steps(scan)
        .into_iter()
        .find(|st| st["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-artifact")))
        .unwrap();
    assert_eq!(s(&upload["with"]["name"]), "keytrail-report-${{ strategy.job-index }}", "one artifact per job");

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (urls, config) = repos(&root);

    // The list step reads a list as keytrail does.
    let list = root.join("repos.txt");
    let text = format!("\u{feff}# org\n{}   # api\n\n\t#{}\n  {}\t# web\n#{}\n", urls[0], urls[1], urls[1], urls[0]);
    std::fs::write(&list, &text).unwrap();
    let output = root.join("github_output");
    sh(
        &run_of(&jobs["list"], "Repositories of the list"),
        &root,
        &[("REPOS_FILE", list.display().to_string()), ("GITHUB_OUTPUT", output.display().to_string())],
    );
    let line = std::fs::read_to_string(&output).unwrap();
    let matrix: Vec<String> = serde_json::from_str(line.trim().strip_prefix("repos=").unwrap()).unwrap();
    let ours: Vec<String> = keytrail::repos::list::parse(&text).iter().map(|e| e.name()).collect();
    assert_eq!(matrix, ours);
    assert_eq!(matrix, urls);

    // Each matrix job scans its repository into INDEX.jsonl and INDEX.sarif.
    let scan_script = run_of(scan, "Scan").replace("chmod +x bin/keytrail", "true");
    let scan_script = scan_script.replace(
        "keytrail scan --git \"$REPO\"",
        &format!("keytrail scan --config {} --git \"$REPO\"", config.display()),
    );
    for (i, url) in urls.iter().enumerate() {
        sh(&scan_script, &root, &[("REPO", url.clone()), ("INDEX", i.to_string())]);
        let found = read_jsonl(&root.join(format!("reports/{i}.jsonl")));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["location"]["repository"], url.as_str());
        let sarif: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(format!("reports/{i}.sarif"))).unwrap()).unwrap();
        assert_valid_sarif(&sarif);
    }
    // The merge job joins them: one SARIF run per repository.
    sh(&run_of(merge, "Merge").replace("chmod +x bin/keytrail", "true"), &root, &[]);
    let merged: Value = serde_json::from_str(&std::fs::read_to_string(root.join("keytrail.sarif")).unwrap()).unwrap();
    assert_valid_sarif(&merged);
    assert_eq!(merged["runs"].as_array().unwrap().len(), 2);
    assert_eq!(read_jsonl(&root.join("keytrail.jsonl")).len(), 2);
}

#[test]
fn kubernetes_indexed_job_scans_the_line_of_its_index() {
    let docs = deploy("kubernetes/keytrail-repos.yaml");
    let kind = |k: &str| docs.iter().find(|d| d["kind"].as_str() == Some(k)).unwrap_or_else(|| panic!("no {k}"));
    let (config_map, pvc, job) = (kind("ConfigMap"), kind("PersistentVolumeClaim"), kind("Job"));
    assert_eq!(s(&job["apiVersion"]), "batch/v1");
    let spec = &job["spec"];
    assert_eq!(s(&spec["completionMode"]), "Indexed");
    let list_text = s(&config_map["data"]["repos.txt"]);
    let entries = keytrail::repos::list::parse(list_text);
    assert_eq!(spec["completions"].as_i64(), Some(entries.len() as i64), "one completion per listed repository");
    assert!(spec["parallelism"].as_i64().unwrap() <= spec["completions"].as_i64().unwrap());
    let pod = &spec["template"]["spec"];
    assert_eq!(s(&pod["restartPolicy"]), "Never");
    let container = &pod["containers"][0];
    let script = s(&container["args"][0]).to_string();
    assert!(script.contains("--repos-index \"$JOB_COMPLETION_INDEX\""), "{script}");
    let mounts: Vec<(&str, &str)> =
        container["volumeMounts"].as_vec().unwrap().iter().map(|m| (s(&m["name"]), s(&m["mountPath"]))).collect();
    let volumes = pod["volumes"].as_vec().unwrap();
    let volume = |name: &str| volumes.iter().find(|v| v["name"].as_str() == Some(name)).unwrap();
    assert!(mounts.contains(&("config", "/config")));
    assert_eq!(s(&volume("config")["configMap"]["name"]), s(&config_map["metadata"]["name"]));
    assert!(mounts.contains(&("reports", "/reports")));
    assert_eq!(s(&volume("reports")["persistentVolumeClaim"]["claimName"]), s(&pvc["metadata"]["name"]));
    let env = container["env"].as_vec().unwrap();
    let tmpdir = env.iter().find(|e| e["name"].as_str() == Some("TMPDIR")).map(|e| s(&e["value"])).unwrap();
    let scratch = mounts.iter().find(|(_, p)| *p == tmpdir).map(|(n, _)| *n).expect("TMPDIR is a mounted volume");
    assert!(!volume(scratch)["emptyDir"].is_badvalue(), "clones go to an emptyDir, not the reports");

    // The pod's script, run for index 1 with the volumes as local directories.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let (urls, config) = repos(&root);
    for d in ["config", "reports", "scratch", "home"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    std::fs::write(root.join("config/repos.txt"), format!("# two\n{}\n{}  # web\n", urls[0], urls[1])).unwrap();
    let script = script
        .replace("/config/", &format!("{}/config/", root.display()))
        .replace("/reports/", &format!("{}/reports/", root.display()))
        .replace("keytrail scan --repos", &format!("keytrail scan --config {} --repos", config.display()));
    sh(
        &script,
        &root,
        &[
            ("JOB_COMPLETION_INDEX", "1".into()),
            ("TMPDIR", root.join("scratch").display().to_string()),
            ("HOME", root.join("home").display().to_string()),
        ],
    );
    let found = read_jsonl(&root.join("reports/1.jsonl"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["location"]["repository"], urls[1].as_str());
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(root.join("reports/1.sarif")).unwrap()).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], format!("keytrail/{}/", urls[1]));
    let left: Vec<_> = std::fs::read_dir(root.join("scratch")).unwrap().collect();
    assert!(left.is_empty(), "the clone is gone from the scratch volume");
    let mut names: Vec<String> = std::fs::read_dir(root.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    names.sort();
    assert_eq!(names, ["1.jsonl", "1.sarif"], "no partial file left");
}
