//! Remote repositories: recognising a URL, mirroring it into a private temporary clone
//! (removed afterwards, on errors and on Ctrl-C), and linking findings to the host's web pages.

pub mod cleanup;
pub mod clone;
pub mod url;

pub use clone::{CloneError, CloneOptions, MirrorClone};
pub use url::{WebLinks, is_remote, without_credentials};
