//! Dates and times as people read and type them: in the computer's own time zone.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// "3 Feb 2027, 18:00", local time.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%-d %b %Y, %H:%M").to_string()
}

/// "Wed 3 Feb 2027".
pub fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// What a `datetime-local` input shows for `at`: "2027-02-03T18:00".
pub fn to_input(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| at.with_timezone(&Local).format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

/// What a `datetime-local` input holds, read as local time: `Ok(None)` when empty,
/// `Err(())` when it is not a date and time.
pub fn from_input(text: &str) -> Result<Option<DateTime<Utc>>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| ())?;
    Local.from_local_datetime(&naive).earliest().map(|at| Some(at.with_timezone(&Utc))).ok_or(())
}

/// What a `date` input holds: `Ok(None)` when empty.
pub fn date_from_input(text: &str) -> Result<Option<NaiveDate>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| ())
}
