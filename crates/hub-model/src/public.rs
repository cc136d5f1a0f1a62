//! What the public website API serves, and nothing else: dedicated types built field by
//! field from published content, never rows. Shared with the desktop's website preview.

use crate::profiles::StudentStatus;
use crate::programs::{CohortRole, CohortStatus};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `GET /public/site`: the site's identity and how to reach the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub site_name: String,
    pub default_event_location: String,
    pub contact: Contact,
    /// Network name → URL (`"linkedin": "https://…"`).
    pub social_links: BTreeMap<String, String>,
    /// Theme tokens of scope global and web.
    pub theme: Vec<ThemeToken>,
    /// The hub's time zone (IANA, `Asia/Beirut`): the clock its sessions and events keep.
    pub time_zone: String,
}

/// The hub's public contact details (the site settings' contact info).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `GET /public/theme`: one CSS custom property for the website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThemeToken {
    /// A CSS custom property name, e.g. `--primary`.
    pub key: String,
    /// A CSS color.
    pub value: String,
    pub purpose: String,
}

/// `GET /public/pages/{key}`: a published page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page {
    pub key: String,
    pub title: Option<String>,
    /// Structured content: `{"blocks": [{"type": "heading", "text": …}, …]}`.
    pub content: Value,
    pub updated_at: DateTime<Utc>,
}

/// `GET /public/home`: the enabled home sections, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Home {
    pub sections: Vec<HomeSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HomeSection {
    pub key: String,
    pub title: Option<String>,
    pub content: Value,
}

/// A published program with the cohorts the website shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Program {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<String>,
    /// Its picture: `/media/{key}.jpg` (each width at `/media/{key}-{160|480|1200}.jpg`) or a
    /// web address.
    pub image_url: Option<String>,
    pub cohorts: Vec<Cohort>,
}

/// A cohort that is coming soon, open or running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cohort {
    pub id: i64,
    pub program_slug: String,
    pub program_title: String,
    pub name: String,
    /// Coming soon, open or running.
    pub status: CohortStatus,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub enrollment_open_at: Option<DateTime<Utc>>,
    pub enrollment_close_at: Option<DateTime<Utc>>,
    /// Its capacity, else its program's default; `None` when unlimited.
    pub capacity: Option<i32>,
    pub seats_left: Option<i64>,
    /// Applications allowed, now inside the enrollment window, and seats left.
    pub accepting_applications: bool,
    pub instructors: Vec<CohortInstructor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CohortInstructor {
    pub full_name: String,
    pub cohort_role: CohortRole,
}

/// `GET /public/events[/{slug}]`: a published event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    /// The event's own, else the site's default event location.
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// `starts_at` on the hub's clock (the site's time zone), as a visitor there reads it:
    /// a date and time with no offset (`2026-12-01T19:30:00`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"))]
    pub local_starts_at: NaiveDateTime,
    /// `ends_at` on the hub's clock.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"))]
    pub local_ends_at: Option<NaiveDateTime>,
    /// Marked done, or ended.
    pub is_done: bool,
}

/// `GET /public/announcements`: published for the website (or everyone), not in the future.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<Utc>,
    /// The day it was published, on the hub's clock.
    pub published_on: NaiveDate,
}

/// Links every public person may show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    pub linkedin_url: Option<String>,
    pub github_url: Option<String>,
    pub portfolio_url: Option<String>,
}

/// `GET /public/managers`: the team page, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Manager {
    pub full_name: String,
    pub job_title: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub links: Links,
}

/// `GET /public/instructors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Instructor {
    pub full_name: String,
    pub expertise: Option<String>,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub links: Links,
}

/// `GET /public/students/featured` and `/public/students/{public_slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Student {
    pub public_slug: String,
    pub full_name: String,
    /// Active or graduated.
    pub status: StudentStatus,
    pub bio: Option<String>,
    pub avatar_url: Option<String>,
    pub links: Links,
}

/// `GET /public/forms/{key}`: an active form and its enabled fields, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Form {
    pub key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<FormField>,
}

crate::choices!(
    /// The seed's eight field types (the form builder's `hub_model::forms::FieldType`).
    FieldType {
        Text = "text" => "Short text",
        Textarea = "textarea" => "Long text",
        Email = "email" => "Email",
        Phone = "phone" => "Phone",
        Select = "select" => "Choice list",
        Checkbox = "checkbox" => "Checkbox",
        Date = "date" => "Date",
        /// Answered with a link to a file uploaded elsewhere (https://…): the API takes JSON only.
        File = "file" => "File (link)",
    }
);

impl FieldType {
    /// Whether min/max length apply (to typed text).
    pub fn has_length(self) -> bool {
        matches!(self, Self::Text | Self::Textarea | Self::Email | Self::Phone | Self::File)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    /// The choices of a `select`.
    pub options: Option<Value>,
    pub placeholder: Option<String>,
    pub min_length: Option<i32>,
    pub max_length: Option<i32>,
}

/// `POST /public/cohorts/{id}/applications`: the answers to the cohort application form,
/// by field name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationForm {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: serde_json::Map<String, Value>,
}

/// The application received (201).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationReceived {
    pub id: i64,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    pub database: bool,
}

/// Every error the public API answers: `{"error": "…"}`, with the field at fault for a
/// form's refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `POST /public/contact`: a visitor's message to the hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactMessage {
    // Missing required fields read as empty, so the refusal names them like an empty one.
    // The bounds are the ones `hub_public`'s contact form checks, character for character.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, format = Email, max_length = 254))]
    pub email: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 40, pattern = r"^(?:[^\S\x1c-\x1f]*|[ +\-().]*(?:[0-9][ +\-().]*){6,15})$")
    )]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200, pattern = r"^[^\x00]*$"))]
    pub subject: Option<String>,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\x00]*(?:[^\s\x00]|[\x1c-\x1f])[^\x00]*$"
        )
    )]
    pub message: String,
    /// Left empty by people; bots that fill every field give themselves away.
    #[serde(default)]
    pub website: Option<String>,
}

/// The answer to a contact message: 201, with the message's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactReceived {
    /// The message's number. A message taken for a bot's gets one too, from the same
    /// sequence, and is dropped: nothing in the answer tells the bot it was caught.
    pub id: i64,
}
