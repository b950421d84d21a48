//! keytrail: find secrets in code, history and chat, and trace where a known key went.
//!
//! The pipeline: a source yields [`origin::Blob`]s, the [`engine::Engine`] turns them into
//! [`finding::Finding`]s, and a [`report`] formats them.

pub mod decode;
pub mod doctor;
pub mod engine;
pub mod finding;
pub mod fingerprint;
pub mod gitleaksignore;
pub mod hook;
pub mod origin;
pub mod report;
pub mod rfc3339;
pub mod rules;
pub mod scan;
pub mod secret;
pub mod sink;
pub mod source;
pub mod transcode;
pub mod validate;

pub use engine::Engine;
pub use finding::Finding;
pub use scan::{Baseline, ScanOptions, ScanOutcome, scan};
