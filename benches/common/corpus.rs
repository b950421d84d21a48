//! A mixed code corpus for the engine benches: the Python standard library and the cargo
//! registry's crate sources on this machine, read into memory up to a byte budget.

use std::path::{Path, PathBuf};

/// (path, bytes) of text files, at most `budget` bytes in all, in a stable order.
pub fn load(budget: usize) -> Vec<(String, Vec<u8>)> {
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Ok(out) = std::process::Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
    {
        roots.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
    {
        roots.push(home.join("registry/src"));
    }
    let mut files = Vec::new();
    let mut total = 0;
    for root in roots {
        let mut paths: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
            .standard_filters(false)
            .build()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .collect();
        paths.sort();
        for p in paths {
            let Ok(bytes) = std::fs::read(&p) else { continue };
            if bytes.len() > 4 << 20 || memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
                continue;
            }
            total += bytes.len();
            files.push((p.display().to_string(), bytes));
            if total >= budget {
                return files;
            }
        }
    }
    files
}
