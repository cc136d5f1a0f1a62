//! Announcements: news for the website, for everyone, for a role, or for one cohort.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    All,
    Website,
    Student,
    Instructor,
    Admin,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Website => "website",
            Self::Student => "student",
            Self::Instructor => "instructor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::All, Self::Website, Self::Student, Self::Instructor, Self::Admin]
            .into_iter()
            .find(|audience| audience.as_str() == raw)
    }
}

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
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An admin's announcement: created (no `id`) or changed; scheduled with `publish_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveAnnouncement {
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
}

fn published() -> bool {
    true
}

/// An instructor's post to the students of a cohort they teach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAnnouncement {
    pub title: String,
    pub body: String,
    pub target_audience: Audience,
    pub cohort_id: i64,
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
