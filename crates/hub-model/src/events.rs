//! Events: open days, talks, workshops — scheduled, published, and done once they end.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// As entered; `None` means the site's default location.
    pub location: Option<String>,
    /// What visitors see: the event's location or the site's default.
    pub shown_location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub is_published: bool,
    pub is_done: bool,
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventsWhen {
    #[default]
    All,
    Upcoming,
    Past,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListEventsRequest {
    pub when: EventsWhen,
    /// Part of the title or slug, ignoring case.
    pub search: Option<String>,
    pub published: Option<bool>,
    pub sort: EventSort,
    /// Absent: upcoming events soonest first, past and all events latest first.
    pub descending: Option<bool>,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

impl ListEventsRequest {
    /// The order asked for, or else: upcoming events soonest first, the others latest first.
    pub fn is_descending(&self) -> bool {
        self.descending.unwrap_or(self.when != EventsWhen::Upcoming)
    }
}

crate::sort_keys!(
    /// How the events list is ordered.
    EventSort { StartsAt = "starts_at", Title = "title" }
);

/// Creates an event (no `id`) or changes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveEventRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Empty: the site's default location.
    #[serde(default)]
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub is_published: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEventDoneRequest {
    pub id: i64,
    pub is_done: bool,
}
