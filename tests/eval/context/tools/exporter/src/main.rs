//! Uploads the nightly export.

const SUMOLOGIC_ACCESS_KEY: &str = "lA8Rns37mbQyhLipJQs7YSKRJgUQP4NyBZ9pj0xOFZaaAcC5FZDYnVxsAK7x2Xcp";
const SUMOLOGIC_ACCESS_ID: &str = "sujHUr9OHwg7vP";
static CLOUDSMITH_API_KEY: &str = "3f7c6ba7059797a16e5a1067f87ee0904473821b";

fn main() {
    let token = std::env::var("CLOUDSMITH_API_KEY").expect("CLOUDSMITH_API_KEY");
    println!("{}", token.len());
}
