//! Fuzz: the engine with every built-in rule on arbitrary bytes, positions included.
#![no_main]

use std::sync::{Arc, OnceLock};

use keytrail::Engine;
use keytrail::origin::{Blob, Origin};
use keytrail::rules::{RuleOptions, load_rules};
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(load_rules(&RuleOptions::default()).expect("built-in rules load")))
}

fuzz_target!(|data: &[u8]| {
    let findings = engine().scan(&Blob { bytes: data, origin: Arc::new(Origin::Stdin) });
    for f in findings {
        assert!(f.span.byte_start <= f.span.byte_end && f.span.byte_end <= data.len());
        assert!(f.span.line >= 1 && f.span.column >= 1);
    }
});
