//! Fuzz: rule and config files (TOML parsing, rule building, regex compilation, then a scan).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(set) = keytrail::rules::ruleset_from_text(text, "fuzz.toml") {
        let engine = keytrail::Engine::new(set);
        let _ = engine.scan_raw(data, Some("fuzz.txt"));
    }
});
