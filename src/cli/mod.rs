//! Terminal-side helpers of the command line (progress display, key prompts, live checks, repository lists, merged reports).

pub mod doctor;
pub mod keys;
pub mod merge;
pub mod progress;
pub mod repos;
pub mod validate;
pub mod verify;
