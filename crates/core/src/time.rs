//! Beijing time. Every instant the app shows or stores as wall time is in UTC+8, whatever the
//! PC's own time zone says.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

/// UTC+8, the only offset the domain uses.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Now, in Beijing time.
pub fn now_beijing() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&beijing())
}

/// Converts Unix milliseconds to a Beijing-time instant.
pub fn from_unix_ms(ms: i64) -> DateTime<FixedOffset> {
    beijing()
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or_else(|| beijing().timestamp_millis_opt(0).unwrap())
}

/// Formats an instant as RFC 3339 in +08:00, to the second (the UI never shows less).
pub fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.with_timezone(&beijing())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Parses what a form or a spreadsheet gives for a time: RFC 3339 with any offset, or a bare
/// `YYYY-MM-DD HH:MM[:SS]` / `YYYY-MM-DDTHH:MM[:SS]` read as Beijing time.
pub fn parse_beijing(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&beijing()));
    }
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS.iter().find_map(|f| {
        NaiveDateTime::parse_from_str(s, f)
            .ok()
            .and_then(|n| beijing().from_local_datetime(&n).single())
    })
}

/// The first instant (Unix ms) of a Beijing calendar day given as `YYYY-MM-DD`.
pub fn beijing_day_start_ms(day: &str) -> Option<i64> {
    let date = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    let start = date.and_hms_opt(0, 0, 0)?;
    beijing()
        .from_local_datetime(&start)
        .single()
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_times_are_beijing_and_offsets_are_converted() {
        let a = parse_beijing("2026-02-13 10:00").unwrap();
        assert_eq!(a.to_rfc3339(), "2026-02-13T10:00:00+08:00");
        let b = parse_beijing("2026-02-13T02:00:00Z").unwrap();
        assert_eq!(b, a);
        assert_eq!(b.offset(), &beijing());
        assert!(parse_beijing("13/02/2026").is_none());
    }
}
