//! Shell histories and profiles in each home (bash, zsh, fish, sh) and the REPL histories
//! that keep pasted keys (python, node, psql, mysql, redis-cli, sqlite).

use super::{HostRoot, Item, Users, in_home};

const FILES: &[&str] = &[
    ".bash_history",
    ".zsh_history",
    ".zhistory",
    ".histfile",
    ".sh_history",
    ".history",
    ".local/share/fish/fish_history",
    ".python_history",
    ".node_repl_history",
    ".psql_history",
    ".mysql_history",
    ".rediscli_history",
    ".sqlite_history",
    ".bashrc",
    ".bash_profile",
    ".bash_login",
    ".bash_aliases",
    ".profile",
    ".zshrc",
    ".zshenv",
    ".zprofile",
    ".zlogin",
    ".config/fish/config.fish",
];

pub fn collect(host: &HostRoot, users: &Users, out: &mut Vec<Item>) {
    for h in &users.homes {
        in_home(h, FILES, out);
        if h.names.contains(".config") {
            let mut extra = Vec::new();
            host.walk(&format!("{}/.config/fish/conf.d", h.path), 1, &mut extra);
            out.extend(extra.into_iter().map(Item::found));
        }
    }
}
