//! Programs (templates) and cohorts (runs of a program): what admins plan and schedule.

use crate::sessions::{DeliveryMode, SessionType};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<String>,
    /// Its picture: an image the hub keeps (`/media/…`) or a web address.
    #[serde(default)]
    pub image_url: Option<String>,
    pub default_capacity: Option<i32>,
    pub is_published: bool,
    pub cohorts: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListProgramsRequest {
    /// Part of the title or slug, ignoring case.
    pub search: Option<String>,
    pub published: Option<bool>,
    pub sort: ProgramSort,
    pub descending: bool,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

crate::sort_keys!(
    /// How the programs list is ordered.
    ProgramSort { Title = "title", Cohorts = "cohorts", UpdatedAt = "updated_at" }
);

/// Creates a program (no `id`) or changes one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveProgramRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub requirements: Option<String>,
    /// Its picture: an image the hub keeps (`/media/…`) or a web address; none to remove it.
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub default_capacity: Option<i32>,
    #[serde(default)]
    pub is_published: bool,
}

/// What deleting a program would remove with it, for the confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramImpact {
    pub cohorts: i64,
    pub enrollments: i64,
    pub sessions: i64,
}

crate::choices!(
    /// Where a cohort is in its life.
    CohortStatus {
        Planned = "planned" => "Planned",
        ComingSoon = "coming_soon" => "Coming soon",
        Open = "open" => "Open for applications",
        Running = "running" => "Running",
        Completed = "completed" => "Completed",
        Cancelled = "cancelled" => "Cancelled",
    }
);

impl CohortStatus {
    /// The statuses a cohort may move to from this one: forward one step along
    /// planned → coming_soon → open → running → completed; back one step from coming_soon
    /// and from open (undoing a mistake, closing applications); cancelled from anything
    /// but completed. Running, completed and cancelled never go back.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Planned => &[Self::ComingSoon, Self::Cancelled],
            Self::ComingSoon => &[Self::Open, Self::Planned, Self::Cancelled],
            Self::Open => &[Self::Running, Self::ComingSoon, Self::Cancelled],
            Self::Running => &[Self::Completed, Self::Cancelled],
            Self::Completed | Self::Cancelled => &[],
        }
    }
}

crate::choices!(
    /// What a person does on a cohort's staff. `Instructor` is the schema's default: a full
    /// instructor of the cohort, as a lead is.
    CohortRole {
        Lead = "lead" => "Lead",
        Instructor = "instructor" => "Instructor",
        Assistant = "assistant" => "Assistant",
        Mentor = "mentor" => "Mentor",
    }
);

/// What a cohort's staff do. Administrators do all of it; of the people assigned to the
/// cohort, only those who are still active instructors, and each as their role says
/// ([`CohortDuty::roles`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortDuty {
    /// Read the roster and the reports, mark and correct attendance (offline too).
    Teach,
    /// Add sessions and change them.
    Plan,
    /// Delete sessions (the marks made for one go with it; their history stays).
    Remove,
}

impl CohortDuty {
    /// The cohort roles that carry this duty. `instructor` is the schema's default role, a
    /// full instructor of the cohort as a lead is; a mentor teaches and marks, an assistant
    /// also plans, and deleting is for the lead.
    pub fn roles(self) -> &'static [CohortRole] {
        use CohortRole::{Assistant, Instructor, Lead, Mentor};
        match self {
            Self::Teach => &[Lead, Instructor, Assistant, Mentor],
            Self::Plan => &[Lead, Instructor, Assistant],
            Self::Remove => &[Lead, Instructor],
        }
    }

    /// [`CohortDuty::roles`] as the database keeps them, for a query's `= any($n)`.
    pub fn role_names(self) -> Vec<&'static str> {
        self.roles().iter().map(|role| role.as_str()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortInstructorRow {
    pub user_id: i64,
    pub full_name: String,
    pub cohort_role: CohortRole,
    /// Whether the person is still an active instructor: one whose role was switched off
    /// stays named on the cohort (who taught it is history) but has no right on it.
    #[serde(default = "still_teaches")]
    pub is_instructor: bool,
}

fn still_teaches() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortRow {
    pub id: i64,
    pub program_id: i64,
    pub program_title: String,
    pub name: String,
    pub status: CohortStatus,
    pub allow_applications: bool,
    pub capacity: Option<i32>,
    pub enrollment_open_at: Option<DateTime<Utc>>,
    pub enrollment_close_at: Option<DateTime<Utc>>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Enrollments that hold a seat (all but dropped ones).
    pub seats_used: i64,
    pub instructors: Vec<CohortInstructorRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListCohortsRequest {
    pub program_id: Option<i64>,
    pub status: Option<CohortStatus>,
    /// Part of the cohort's name or its program's title, ignoring case.
    pub search: Option<String>,
    pub sort: CohortSort,
    pub descending: bool,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

crate::sort_keys!(
    /// How the cohorts list is ordered (by start date, undated last, unless asked otherwise).
    CohortSort { StartDate = "start_date", Name = "name", Program = "program", Status = "status" }
);

/// A student's enrollment, as the cohort page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortStudent {
    pub enrollment_id: i64,
    pub user_id: i64,
    pub full_name: String,
    /// Their photo: an image the hub keeps (`/media/…`) or a web address.
    #[serde(default)]
    pub avatar_url: Option<String>,
    pub email: Option<String>,
    pub status: EnrollmentStatus,
    pub enrolled_at: DateTime<Utc>,
}

/// A class session, as the cohort page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSession {
    pub id: i64,
    pub date: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub title: String,
    pub delivery_mode: DeliveryMode,
    pub session_type: SessionType,
}

/// Everything the cohort page shows: the cohort (instructors, seats), its students and
/// its sessions in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortDetail {
    pub cohort: CohortRow,
    pub students: Vec<CohortStudent>,
    pub sessions: Vec<CohortSession>,
    /// Its low-attendance threshold and mail.
    pub attendance_mail: AttendanceMail,
    /// When its sessions' self check-in opens, turns late and closes, by default.
    pub checkin: CheckinMinutes,
}

/// Creates a cohort of a program (no `id`; capacity defaults to the program's) or
/// changes one (`program_id` ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveCohortRequest {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub program_id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub allow_applications: bool,
    #[serde(default)]
    pub capacity: Option<i32>,
    #[serde(default)]
    pub enrollment_open_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub enrollment_close_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetCohortStatusRequest {
    pub id: i64,
    pub status: CohortStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignInstructorRequest {
    pub cohort_id: i64,
    pub user_id: i64,
    pub cohort_role: CohortRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveInstructorRequest {
    pub cohort_id: i64,
    pub user_id: i64,
}

/// A cohort the signed-in person teaches or studies in, for their home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCohort {
    pub id: i64,
    pub name: String,
    pub program_title: String,
    pub status: CohortStatus,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub taking_part: TakingPart,
}

crate::choices!(
    /// Where a student's enrollment stands; all but dropped hold a seat.
    EnrollmentStatus {
        Active = "active" => "Active",
        Paused = "paused" => "Paused",
        Completed = "completed" => "Completed",
        Dropped = "dropped" => "Dropped",
    }
);

/// How a person takes part in a cohort of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "as")]
pub enum TakingPart {
    Teaching { role: CohortRole },
    Studying { status: EnrollmentStatus },
}

impl TakingPart {
    pub fn is_studying(self) -> bool {
        matches!(self, Self::Studying { .. })
    }

    /// Their role on the staff ("Lead"), or their enrollment's status ("Paused").
    pub fn label(self) -> &'static str {
        match self {
            Self::Teaching { role } => role.label(),
            Self::Studying { status } => status.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_completed_and_cancelled_never_go_back() {
        for status in [CohortStatus::Running, CohortStatus::Completed, CohortStatus::Cancelled] {
            for earlier in [CohortStatus::Planned, CohortStatus::ComingSoon, CohortStatus::Open] {
                assert!(!status.next().contains(&earlier), "{status:?} → {earlier:?}");
            }
        }
        assert!(CohortStatus::ALL
            .iter()
            .filter(|s| **s != CohortStatus::Completed && **s != CohortStatus::Cancelled)
            .all(|status| status.next().contains(&CohortStatus::Cancelled)));
        assert_eq!(
            CohortStatus::Open.next(),
            [CohortStatus::Running, CohortStatus::ComingSoon, CohortStatus::Cancelled]
        );
    }
}

/// A cohort's low-attendance mail: the rate under which a student is told (once, when they
/// fall under it) and under which the weekly digest to its instructors names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceMail {
    /// 0 to 100: the cohort's threshold, in percent (80 unless changed). The cohort's
    /// attendance report highlights students under it too.
    pub threshold_percent: u8,
    /// Each active student who falls under it is mailed a notice (on Monday's weekly look).
    pub notify_students: bool,
    /// Its instructors get a weekly digest of the students under it.
    pub digest_instructors: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetAttendanceMailRequest {
    pub cohort_id: i64,
    pub threshold_percent: u8,
    pub notify_students: bool,
    pub digest_instructors: bool,
}

/// Minutes around a session's start: check-in opens `opens` before it, counts as late from
/// `late` after it and closes `closes` after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinMinutes {
    pub opens: i16,
    pub late: i16,
    pub closes: i16,
}

/// The most minutes any of them may be: 12 hours.
pub const MAX_MINUTES: i16 = 720;

/// The cohorts' defaults, as the schema gives them.
pub const DEFAULT_MINUTES: CheckinMinutes = CheckinMinutes { opens: 15, late: 10, closes: 30 };

impl CheckinMinutes {
    /// Each within `0..=MAX_MINUTES`; `Err((field, message))` names the first that is not.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (field, value) in
            [("opens_minutes", self.opens), ("late_minutes", self.late), ("closes_minutes", self.closes)]
        {
            if !(0..=MAX_MINUTES).contains(&value) {
                return Err((field, format!("must be between 0 and {MAX_MINUTES} minutes")));
            }
        }
        Ok(())
    }
}
