//! Timestamps as RFC 3339 UTC text (`2026-11-03T14:05:09Z`): portable,
//! readable in the database, and ordered like the instants they name.

use std::time::{SystemTime, UNIX_EPOCH};

/// `time` as RFC 3339 UTC text with whole seconds.
pub fn utc_text(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    grille_workflow::time::utc_of_seconds(seconds)
}

/// The current time as text.
pub(crate) fn now() -> String {
    utc_text(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_known_instants() {
        let check = |seconds: u64, expected: &str| {
            assert_eq!(utc_text(UNIX_EPOCH + Duration::from_secs(seconds)), expected, "{seconds}");
        };
        check(0, "1970-01-01T00:00:00Z");
        check(951_782_400, "2000-02-29T00:00:00Z");
        check(1_700_000_000, "2023-11-14T22:13:20Z");
        check(4_107_542_399, "2100-02-28T23:59:59Z");
    }
}
