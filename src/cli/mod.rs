//! Terminal-side helpers of the command line (progress display, warning printer).

pub mod progress;
