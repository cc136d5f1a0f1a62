//! Class sessions: the cohort calendar, one day's plan at a time, and recurring schedules
//! planned (and previewed) before they are saved.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

crate::choices!(
    /// Where a session happens.
    #[derive(Default)]
    DeliveryMode { #[default] Onsite = "onsite" => "On site", Remote = "remote" => "Remote", Hybrid = "hybrid" => "Hybrid" }
);

crate::choices!(
    /// What kind of day a session is; every kind but `Normal` is flagged on the calendar.
    #[derive(Default)]
    SessionType {
        #[default]
        Normal = "normal" => "Class",
        Workshop = "workshop" => "Workshop",
        Exam = "exam" => "Exam",
        Visitor = "visitor" => "Visitor",
        Unusual = "unusual" => "Unusual",
    }
);

/// A session as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarSession {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub program_title: String,
    pub date: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub delivery_mode: DeliveryMode,
    /// As entered; `None` onsite means the site's address.
    pub location: Option<String>,
    /// Where it happens, as people read it.
    pub shown_location: String,
    pub title: String,
    pub day_plan: Option<String>,
    pub description: Option<String>,
    pub session_type: SessionType,
    /// The attendance marks made for it: deleting it takes them (their history stays).
    pub marks: i64,
    /// Whether the person asking may change it (admins, the cohort's planners).
    pub can_change: bool,
    /// Whether the person asking may delete it (admins, the cohort's lead).
    pub can_delete: bool,
}

/// `sessions.delete`: a session, and how many of its marks the person agreed go with it.
/// Refused while the session has more marks than that (marks made since they were asked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteSessionRequest {
    pub id: i64,
    #[serde(default)]
    pub marks: i64,
}

/// What deleting a session with `marks` attendance marks takes with it, as the person is
/// told before they confirm.
pub fn what_deleting_takes(marks: i64) -> String {
    match marks {
        ..=0 => "No attendance was marked for it.".to_owned(),
        1 => "Its 1 attendance mark goes with it; the mark's history stays.".to_owned(),
        marks => format!("Its {marks} attendance marks go with it; their history stays."),
    }
}

/// `sessions.list`: the sessions between two dates (at most 120 days) the person may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSessionsRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(default)]
    pub cohort_id: Option<i64>,
}

/// Creates a session (no `id`) or changes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveSessionRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub cohort_id: i64,
    pub date: NaiveDate,
    #[serde(default)]
    pub starts_at: Option<NaiveTime>,
    #[serde(default)]
    pub ends_at: Option<NaiveTime>,
    #[serde(default)]
    pub delivery_mode: DeliveryMode,
    #[serde(default)]
    pub location: Option<String>,
    pub title: String,
    #[serde(default)]
    pub day_plan: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub session_type: SessionType,
}

/// A recurring schedule: the given weekdays between two dates (the cohort's own when
/// absent), skipping listed days; previewed by `sessions.plan`, saved by `sessions.create_plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSessionsRequest {
    pub cohort_id: i64,
    /// ISO weekdays: 1 is Monday, 7 is Sunday.
    pub weekdays: Vec<u32>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub starts_at: Option<NaiveTime>,
    #[serde(default)]
    pub ends_at: Option<NaiveTime>,
    /// Holidays and other days without class.
    #[serde(default)]
    pub skip: Vec<NaiveDate>,
    pub title: String,
    #[serde(default)]
    pub delivery_mode: DeliveryMode,
    /// Where every session happens; empty onsite means the site's address.
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub session_type: SessionType,
}

/// One day of a planned schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedDay {
    pub date: NaiveDate,
    /// The cohort has a session that day already: it is not added again.
    pub taken: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub created: i64,
}

/// The days from `from` to `to` (inclusive) falling on `weekdays` (ISO numbers), minus `skip`.
pub fn recurring_days(
    from: NaiveDate,
    to: NaiveDate,
    weekdays: &[u32],
    skip: &[NaiveDate],
) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| weekdays.contains(&day.weekday().number_from_monday()) && !skip.contains(day))
        .collect()
}

/// ISO weekday number, for labels: 1 → Monday.
pub fn weekday(number: u32) -> Option<Weekday> {
    match number {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mondays_to_thursdays_skipping_a_holiday() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
        // March 2027: the 1st is a Monday.
        let days = recurring_days(day(1), day(12), &[1, 2, 3, 4], &[day(3)]);
        assert_eq!(days, [day(1), day(2), day(4), day(8), day(9), day(10), day(11)]);
        assert!(recurring_days(day(12), day(1), &[1], &[]).is_empty());
        assert_eq!(weekday(7), Some(Weekday::Sun));
        assert_eq!(weekday(8), None);
    }
}
