//! Terminal-side helpers of the command line (progress display, key prompts, live checks).

pub mod doctor;
pub mod keys;
pub mod progress;
pub mod validate;
pub mod verify;
