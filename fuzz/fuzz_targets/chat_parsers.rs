//! Fuzz: every chat/mail export parser, forced, on arbitrary bytes.
#![no_main]

use keytrail::source::chat::{ChatFormat, detect, parse};
use libfuzzer_sys::fuzz_target;

const ALL: [ChatFormat; 7] = [
    ChatFormat::Slack,
    ChatFormat::Discord,
    ChatFormat::Telegram,
    ChatFormat::Whatsapp,
    ChatFormat::Wechat,
    ChatFormat::Lark,
    ChatFormat::Email,
];

fuzz_target!(|data: &[u8]| {
    let _ = detect("export.json", data);
    for f in ALL {
        let _ = parse(f, "ch/2024-01-01.json", data, None);
    }
});
