//! Compile-time configuration.
pub const WEBHOOK_SECRET: &str = "aFKsvOMLNI3mjlibg0pkgGN7FXf8o5pk";
pub const TOKEN_ENV: &str = "WEBHOOK_TOKEN";
let password = std::env::var("DB_PASSWORD")?;
let key_path = "./certs/client.key";
