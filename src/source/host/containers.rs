//! Container configs (env, labels, command) from the runtimes' state directories — Docker's
//! `containers/*/config.v2.json`, Podman's `overlay-containers/*/userdata/config.json`
//! (rootful and rootless) — read as files; no runtime is asked or started.

use super::{HostRoot, Item, Users};
use crate::origin::ContainerInfo;
use crate::sink::Sink;

/// A container config bigger than this is not one.
const MAX_CONFIG: u64 = 8 << 20;

pub fn collect(host: &HostRoot, users: &Users, sink: &Sink<'_>, out: &mut Vec<Item>) {
    for dir in host.list("/var/lib/docker/containers") {
        let path = format!("{dir}/config.v2.json");
        let id = dir.rsplit('/').next().unwrap_or_default().to_string();
        let name = match host.read(&path, MAX_CONFIG) {
            Ok((_, bytes)) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) => v["Name"].as_str().map(|n| n.trim_start_matches('/').to_string()),
                Err(e) => {
                    sink.warn(path.clone(), format!("not a Docker container config ({e}); scanned as text"));
                    None
                }
            },
            Err(_) => continue,
        };
        out.push(Item { path, container: Some(ContainerInfo { runtime: "docker", id, name }), real: None });
    }
    let mut stores = vec!["/var/lib/containers/storage".to_string()];
    stores.extend(
        users
            .homes
            .iter()
            .filter(|h| h.names.contains(".local"))
            .map(|h| format!("{}/.local/share/containers/storage", h.path)),
    );
    for store in stores {
        podman(host, &store, out);
    }
}

/// Podman (and Buildah/CRI-O) containers of one storage: names from `containers.json`.
fn podman(host: &HostRoot, store: &str, out: &mut Vec<Item>) {
    let base = format!("{store}/overlay-containers");
    let names: Vec<(String, Option<String>)> = match host.read(&format!("{base}/containers.json"), MAX_CONFIG) {
        Ok((_, bytes)) => serde_json::from_slice::<Vec<serde_json::Value>>(&bytes)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                let id = c["id"].as_str()?.to_string();
                Some((id, c["names"][0].as_str().map(str::to_string)))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    for dir in host.list(&base) {
        let id = dir.rsplit('/').next().unwrap_or_default().to_string();
        let path = format!("{dir}/userdata/config.json");
        if id.ends_with(".json") || id.ends_with(".lock") || !host.is_file(&path) {
            continue;
        }
        let name = names.iter().find(|(i, _)| *i == id).and_then(|(_, n)| n.clone());
        out.push(Item { path, container: Some(ContainerInfo { runtime: "podman", id, name }), real: None });
    }
}
