//! Applications to cohorts and the enrollments they become: what admins review, decide and
//! enroll, with the seats each cohort has.

use crate::programs::CohortStudent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

crate::choices!(
    /// Where an application stands.
    ApplicationStatus {
        Pending = "pending" => "Pending",
        Approved = "approved" => "Approved",
        Rejected = "rejected" => "Rejected",
        Waitlisted = "waitlisted" => "Waitlisted",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub program_title: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The enrollment an approval made.
    pub enrollment_id: Option<i64>,
}

crate::sort_keys!(
    /// How the applications list is ordered (oldest first unless asked otherwise).
    ApplicationSort { SubmittedAt = "submitted_at", Name = "name" }
);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListApplicationsRequest {
    pub cohort_id: Option<i64>,
    pub status: Option<ApplicationStatus>,
    /// Part of the applicant's name, email or phone, ignoring case.
    pub search: Option<String>,
    pub sort: ApplicationSort,
    pub descending: bool,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

/// One answer, under the label its form gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub name: String,
    /// The field's label; its name when the field is gone from the form.
    pub label: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub application: ApplicationRow,
    /// In the form's order; answers to fields since removed come last.
    pub answers: Vec<Answer>,
}

/// Rejects, waitlists or puts back to pending. Rejecting an approved application withdraws
/// it: its enrollment is dropped and its seat freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideApplicationRequest {
    pub id: i64,
    pub status: ApplicationStatus,
}

/// A decision, and the oldest waitlisted application of the cohort when a seat is free
/// for it (the admin is offered to approve it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    pub application: ApplicationRow,
    pub promotion: Option<ApplicationRow>,
}

/// The most applications one bulk decision takes.
pub const DECIDE_MANY_MAX: usize = 2_000;

/// One decision for many applications: those chosen, or every one a filter of the list
/// finds. They are decided in the order they were sent, in one transaction; approvals stop
/// at each cohort's capacity and the rest are waitlisted in that order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideManyRequest {
    /// The applications chosen one by one (ignored when `filtered` is given).
    #[serde(default)]
    pub ids: Vec<i64>,
    /// Every application this filter of the list finds, on every page.
    #[serde(default)]
    pub filtered: Option<ListApplicationsRequest>,
    pub status: ApplicationStatus,
}

/// An application a bulk decision left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftAsItWas {
    pub application: ApplicationRow,
    pub reason: String,
}

/// What a bulk decision did, for the admin to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedMany {
    pub status: ApplicationStatus,
    /// Decided as asked, in the order they were sent.
    pub decided: Vec<i64>,
    /// Asked to be approved, waitlisted instead because their cohort was full (in the order
    /// they were sent: the order a freed seat is offered in).
    pub waitlisted_for_seats: Vec<i64>,
    /// The full cohorts those met, as "Program — Cohort (10 of 10 seats)".
    pub full_cohorts: Vec<String>,
    /// Already so: nothing done.
    pub unchanged: Vec<i64>,
    /// Refused one by one (a deactivated account, say); the rest went ahead.
    pub left: Vec<LeftAsItWas>,
    /// Invitations to choose a password queued for the new students' accounts.
    pub invitations: u32,
    /// Seats freed by withdrawn approvals: the oldest waitlisted application of each such
    /// cohort, offered to the admin.
    pub promotions: Vec<ApplicationRow>,
}

/// An approval: the student (found by email or phone, or created) and their enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approved {
    pub application: ApplicationRow,
    pub student_id: i64,
    /// A new account was made for them: it has no password until they choose one.
    pub new_account: bool,
    /// Where the new account's invitation to choose a password goes; `None` for an account
    /// they had already, or one without an email address (an admin sets its password).
    pub invitation_sent_to: Option<String>,
}

pub use crate::programs::EnrollmentStatus;

/// Enrolls an existing student directly (no application).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddEnrollmentRequest {
    pub cohort_id: i64,
    pub user_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEnrollmentStatusRequest {
    pub id: i64,
    pub status: EnrollmentStatus,
}

/// What a change of several enrollments does to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentsChange {
    /// Active, paused, completed or dropped.
    Status(EnrollmentStatus),
    /// Into another cohort, its seats permitting: the enrollment moves with its student (or,
    /// when it has attendance already, stays in its cohort as dropped, its marks with it,
    /// and the student is enrolled in the other).
    MoveTo(i64),
}

/// Several enrollments changed at once, all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEnrollmentsRequest {
    pub ids: Vec<i64>,
    pub change: EnrollmentsChange,
}

/// What a change of several enrollments did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentsChanged {
    pub changed: u32,
    /// Already so: nothing done.
    pub unchanged: u32,
    /// Seats freed: the oldest waitlisted application of each such cohort, offered.
    pub promotions: Vec<ApplicationRow>,
}

/// A cohort marked completed; with `enrollments`, its active enrollments completed too and
/// their students' profiles marked graduated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteCohortRequest {
    pub cohort_id: i64,
    #[serde(default)]
    pub enrollments: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortCompleted {
    /// Enrollments completed (and students graduated).
    pub completed: u32,
}

/// Enrollments to export: one cohort's, or every one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportEnrollmentsRequest {
    pub cohort_id: Option<i64>,
}

/// An enrollment as it is now, and the oldest waitlisted application when a seat just freed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentChanged {
    pub student: CohortStudent,
    pub promotion: Option<ApplicationRow>,
}

/// Applications per cohort by status, for the dashboard's funnel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelRow {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub program_title: String,
    pub pending: i64,
    pub approved: i64,
    pub rejected: i64,
    pub waitlisted: i64,
}
