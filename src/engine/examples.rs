//! Well-known public example keys (provider documentation, RFC samples): never findings.

/// Keys published in provider documentation and RFCs; anyone who copies them leaks nothing.
const PUBLIC_EXAMPLES: &[&str] = &[
    // AWS documentation
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    // RFC 6749 (OAuth 2.0) and RFC 6750 samples
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
    "SplxlOBeZQQYbYS6WxSbIA",
    "mF_9.B5f-4.1JqM",
    // Stripe documentation test keys
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    // Firebase / Google documentation samples
    "AIzaSyDOCAbC123dEf456GhI789jKl012-MnO",
    "AIzaSyDOCAbC123dEf456GhI789jKl01-MnO",
    // the fixed, public key in every Google Chat incoming-webhook URL (its `token=` is the secret)
    "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
];

/// Fragments of the counting sequences documentation writers type when they make a key
/// up ("AbC123dEf456GhI789"): a value holding three of them is a sample, not a key.
const SEQUENCES: &[&str] = &["123", "234", "456", "789", "abc", "bcd", "def", "ghi", "jkl", "mno", "xyz"];

/// True for a documented public example key, or a value built from counting sequences.
pub fn is_public_example(secret: &[u8]) -> bool {
    if PUBLIC_EXAMPLES.iter().any(|e| e.as_bytes() == secret) {
        return true;
    }
    if secret.len() < 6 {
        return false;
    }
    let lower = secret.to_ascii_lowercase();
    if memchr::memmem::find(secret, b"EXAMPLE").is_some() {
        return true;
    }
    // `1a2b3c4d-5e6f-...`, `a1b2c3`: digits and letters counting up together
    if ["1a2b3c", "a1b2c3"].iter().any(|p| memchr::memmem::find(&lower, p.as_bytes()).is_some()) {
        return true;
    }
    if secret.len() >= 16 && repeated_runs(secret) * 2 > secret.len() {
        return true;
    }
    secret.len() >= 16 && SEQUENCES.iter().filter(|s| memchr::memmem::find(&lower, s.as_bytes()).is_some()).count() >= 3
}

/// How many bytes of `v` sit in runs of four or more of the same byte (`22222222_bbbb`): a
/// value made mostly of such runs was typed as a placeholder.
fn repeated_runs(v: &[u8]) -> usize {
    v.chunk_by(|a, b| a == b).filter(|run| run.len() >= 4).map(<[u8]>::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_and_sequence_keys_are_examples() {
        assert!(is_public_example(b"AKIAIOSFODNN7EXAMPLE"));
        assert!(is_public_example(b"dvc_server_22222222_bbbb_9999_dddd_ffffffffffff_aaaaaaa"));
        assert!(!is_public_example(b"dvc_server_8f3kQ2mZ7xR1_vN4bT6yW9pL0sD5hJ2cF8aG3eK7uYq"));
        assert!(is_public_example(b"AIzaSyDOCAbC123dEf456GhI789jKl012-MnO"));
        assert!(is_public_example(b"sk_live_abc123def456ghi789"));
        assert!(!is_public_example(b"sk_live_51HqLyjWDarjtT1zdp7dcQ"));
        assert!(!is_public_example(b"tIF1BuQ97tEOt0hLexHG3yjfIr1A63L2"));
    }
}
