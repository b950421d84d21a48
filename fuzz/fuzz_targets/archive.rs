//! Fuzz: the archive readers (zip, tar, gzip) through the full dispatch path.
#![no_main]

use std::sync::Arc;

use keytrail::origin::Origin;
use keytrail::rules::RuleSet;
use keytrail::scan::Sink;
use keytrail::source::{Silent, dispatch};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let engine = keytrail::Engine::new(RuleSet::default());
    let sink = Sink::new(&engine, &Silent);
    dispatch(&sink, Arc::new(Origin::File { path: "fuzz.zip".into() }), data, None);
});
