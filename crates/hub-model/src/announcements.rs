//! Announcements: news for the website, for everyone, for a role, or for one cohort.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::choices!(
    /// Who an announcement is for.
    Audience {
        All = "all" => "Everyone",
        Website = "website" => "Website visitors",
        Student = "student" => "Students",
        Instructor = "instructor" => "Instructors",
        Admin = "admin" => "Administrators",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub target_audience: Audience,
    pub cohort_id: Option<i64>,
    pub cohort_name: Option<String>,
    pub is_auto: bool,
    pub is_published: bool,
    /// When it shows; `None` shows it from its creation.
    pub publish_at: Option<DateTime<Utc>>,
    pub state: AnnouncementState,
    /// Also mailed to each person of its audience when it goes live.
    pub send_email: bool,
    /// When its messages were queued; `None` until it goes live (or when not mailed).
    pub emailed_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

crate::choices!(
    /// Where an announcement stands for the people it is meant for.
    AnnouncementState {
        /// Published and its time has come: its audience sees it.
        Live = "live" => "Live",
        /// Published for a time still to come.
        Scheduled = "scheduled" => "Scheduled",
        /// Not published (withdrawn, or not yet sent).
        Unpublished = "unpublished" => "Unpublished",
    }
);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListAnnouncementsRequest {
    /// Part of the title or body, ignoring case.
    pub search: Option<String>,
    pub audience: Option<Audience>,
    pub cohort_id: Option<i64>,
    pub state: Option<AnnouncementState>,
    pub sort: AnnouncementSort,
    pub descending: Option<bool>,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

impl ListAnnouncementsRequest {
    /// The order asked for, or else: newest first, titles A–Z.
    pub fn is_descending(&self) -> bool {
        self.descending.unwrap_or(self.sort == AnnouncementSort::Shows)
    }
}

crate::sort_keys!(
    /// How the announcements list is ordered.
    AnnouncementSort { Shows = "shows", Title = "title" }
);

/// An admin's announcement: created (no `id`) or changed; scheduled with `publish_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveAnnouncementRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub title: String,
    pub body: String,
    pub target_audience: Audience,
    #[serde(default)]
    pub cohort_id: Option<i64>,
    #[serde(default = "published")]
    pub is_published: bool,
    #[serde(default)]
    pub publish_at: Option<DateTime<Utc>>,
    /// Also mail it to each person of its audience (once, when it goes live). Not for the
    /// website's visitors, who have no address here.
    #[serde(default)]
    pub send_email: bool,
}

fn published() -> bool {
    true
}

/// An instructor's post to the students of a cohort they teach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAnnouncementRequest {
    pub title: String,
    pub body: String,
    pub target_audience: Audience,
    pub cohort_id: i64,
    /// Also mail it to each of the cohort's students, at once.
    #[serde(default)]
    pub send_email: bool,
}

/// What one person sees, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub cohort_name: Option<String>,
    pub published_at: DateTime<Utc>,
    pub is_read: bool,
}

/// Announcements the signed-in person has now read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    pub ids: Vec<i64>,
}
