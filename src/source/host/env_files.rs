//! System environment and service-manager files: /etc/environment, /etc/default/*, shell
//! profiles under /etc, supervisor configs.

use super::{HostRoot, Item};

const FILES: &[&str] = &[
    "/etc/environment",
    "/etc/profile",
    "/etc/bash.bashrc",
    "/etc/bashrc",
    "/etc/zshenv",
    "/etc/zsh/zshenv",
    "/etc/zsh/zshrc",
    "/etc/zprofile",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
];

const DIRS: &[&str] =
    &["/etc/default", "/etc/profile.d", "/etc/supervisor/conf.d", "/etc/supervisord.d", "/etc/sysconfig"];

pub fn collect(host: &HostRoot, out: &mut Vec<Item>) {
    out.extend(FILES.iter().map(|f| Item::file(*f)));
    let mut files = Vec::new();
    for dir in DIRS {
        host.walk(dir, 1, &mut files);
    }
    out.extend(files.into_iter().map(Item::found));
}
