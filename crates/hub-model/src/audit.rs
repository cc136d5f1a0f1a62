//! The audit trail as administrators read it: who changed what, when, from where, told as a
//! sentence with the fields before and after.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which changes to show: every filter given must hold. Newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ActivityRequest {
    /// Part of the name, email or phone of who did it or of the person it was done to.
    pub search: Option<String>,
    /// Changes to this person's records: their account, roles, profile, codes, enrollments,
    /// applications and attendance.
    pub person_id: Option<i64>,
    /// Changes to this cohort and what belongs to it: its instructors, enrollments,
    /// applications, sessions and attendance.
    pub cohort_id: Option<i64>,
    /// What this person did.
    pub actor_id: Option<i64>,
    /// An operation (`users.set_roles`) or every operation of an area (`users`).
    pub operation: Option<String>,
    /// From this day on, in the hub's time zone.
    pub from: Option<NaiveDate>,
    /// Up to and including this day, in the hub's time zone.
    pub to: Option<NaiveDate>,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

/// One operation's changes, as one entry of the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// `users.set_roles`; `website.apply` and `website.contact` for the website's forms;
    /// `system` for changes made outside an operation (`hubctl`, the demo's data).
    pub operation: String,
    /// What the operation is, in words (the catalogue's summary).
    pub operation_summary: String,
    pub actor_id: Option<i64>,
    /// `None`: nobody signed in (a visitor of the website, the system).
    pub actor_name: Option<String>,
    /// The device the session was opened on ("Maya's laptop").
    pub device: Option<String>,
    pub address: Option<String>,
    /// "Maya Khoury made Karim Nassar an admin".
    pub sentence: String,
    /// The records it changed (on a person's or a cohort's history, theirs only): the first
    /// 50 in a list, all of them in the CSV.
    pub changes: Vec<Change>,
    /// How many records it changed in all (theirs only, on a history).
    pub changes_total: i64,
}

/// One record changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The table, e.g. `users`.
    pub record_type: String,
    /// Its key, e.g. `42` (or `session:enrollment` for a mark).
    pub record_key: String,
    /// What the record is called, when it says (a name, a title).
    pub record_name: Option<String>,
    pub action: ChangeAction,
    /// The fields the change touched; every field with a value of an inserted or deleted
    /// record.
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Insert,
    Update,
    Delete,
}

/// One field, before and after (`null` before an insert, after a delete, or for no value).
/// A secret (a password's hash, a code) is `"changed"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

pub type ActivityPage = crate::page::Page<Activity>;
