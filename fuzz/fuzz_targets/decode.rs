//! Fuzz: the decoders (base64, percent, escapes, entities, quoted-printable) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for run in keytrail::decode::runs(data) {
        assert!(run.range.start < run.range.end && run.range.end <= data.len());
        let _ = keytrail::decode::runs(&run.decoded);
    }
});
