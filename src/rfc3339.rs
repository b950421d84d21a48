//! RFC 3339 timestamps, the one time format keytrail writes (whole seconds).

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Formats a date-time, dropping sub-second digits.
pub fn format(t: OffsetDateTime) -> Option<String> {
    t.replace_nanosecond(0).ok()?.format(&Rfc3339).ok()
}

/// Seconds since the epoch, in UTC.
pub fn from_unix(secs: i64) -> Option<String> {
    format(OffsetDateTime::from_unix_timestamp(secs).ok()?)
}

/// Seconds since the epoch, shown at a UTC offset given in minutes (git's author dates).
pub fn from_unix_at(secs: i64, offset_minutes: i32) -> Option<String> {
    let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    format(OffsetDateTime::from_unix_timestamp(secs).ok()?.to_offset(offset))
}

/// A file time (modification times), in UTC.
pub fn from_system(t: std::time::SystemTime) -> Option<String> {
    format(OffsetDateTime::from(t))
}

/// Now, in UTC.
pub fn now() -> String {
    format(OffsetDateTime::now_utc()).unwrap_or_default()
}

/// Re-formats an RFC 3339 string (normalising sub-seconds and `Z`); other text is returned as is.
pub fn normalize(text: &str) -> String {
    OffsetDateTime::parse(text, &Rfc3339).ok().and_then(format).unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(from_unix(1709288520).as_deref(), Some("2024-03-01T10:22:00Z"));
        assert_eq!(from_unix_at(1709288520, 120).as_deref(), Some("2024-03-01T12:22:00+02:00"));
        assert_eq!(normalize("2024-04-02T08:15:00.000+00:00"), "2024-04-02T08:15:00Z");
        assert_eq!(normalize("yesterday"), "yesterday");
    }
}
