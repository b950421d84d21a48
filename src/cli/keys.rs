//! Reading keys from a person: a no-echo prompt on a terminal, else standard input — never
//! from arguments, which shell history keeps.

use std::io::{self, BufRead, IsTerminal, Read};

use anyhow::{Context, Result};

/// Reads keys: a no-echo prompt on a terminal, else one key per line of stdin.
pub fn read_keys() -> Result<Vec<String>> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        let mut keys = Vec::new();
        loop {
            let prompt = if keys.is_empty() {
                "Paste a key (hidden; empty line to finish): "
            } else {
                "Next key (empty line to finish): "
            };
            let k = rpassword::prompt_password(prompt).context("reading the key from the terminal")?;
            if k.trim().is_empty() {
                return Ok(keys);
            }
            keys.push(k);
        }
    }
    let mut keys = Vec::new();
    for line in stdin.lock().lines() {
        let line = line.context("reading keys from standard input (one key per line)")?;
        if !line.trim().is_empty() {
            keys.push(line);
        }
    }
    Ok(keys)
}

/// Reads one key exactly as given (for `doctor`): the hidden prompt, or all of stdin less the
/// one line break `echo` adds. Nothing else is trimmed: stray characters are what it looks for.
pub fn read_raw_key() -> Result<String> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return rpassword::prompt_password("Paste the key (hidden): ").context("reading the key from the terminal");
    }
    let mut bytes = Vec::new();
    stdin.lock().read_to_end(&mut bytes).context("reading the key from standard input")?;
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}
