//! Fuzz: fingerprint file parsing, then matching the parsed keys against the same bytes.
#![no_main]

use keytrail::fingerprint::{FingerprintFile, FingerprintMatcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(file) = FingerprintFile::parse(text, "fuzz.toml") {
        let m = FingerprintMatcher::new(&[file]);
        let _ = m.find(data);
    }
});
