//! Crontabs: /etc/crontab, /etc/anacrontab, /etc/cron.d and the periodic script directories,
//! and every user's crontab under /var/spool/cron.

use super::{HostRoot, Item};

pub fn collect(host: &HostRoot, out: &mut Vec<Item>) {
    out.push(Item::file("/etc/crontab"));
    out.push(Item::file("/etc/anacrontab"));
    let mut files = Vec::new();
    for dir in ["/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly"] {
        host.walk(dir, 1, &mut files);
    }
    // Debian: /var/spool/cron/crontabs/USER; Red Hat: /var/spool/cron/USER.
    host.walk("/var/spool/cron", 3, &mut files);
    host.walk("/var/spool/anacron", 1, &mut files);
    out.extend(files.into_iter().map(Item::found));
}
