//! Attendance: the marks instructors give a session's roster, online or offline, and how a
//! device's marks reach the server (pushed in batches, each mark with the device's id for
//! it) and the server's changes reach the device (pulled since a cursor).

use crate::programs::{CheckinMinutes, EnrollmentStatus};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::choices!(
    /// An attendance mark.
    Mark { Present = "present" => "Present", Absent = "absent" => "Absent", Late = "late" => "Late", Excused = "excused" => "Excused" }
);

impl Mark {
    /// The key that gives this mark on the roster: P, A, L or E.
    pub fn key(self) -> char {
        match self {
            Self::Present => 'P',
            Self::Absent => 'A',
            Self::Late => 'L',
            Self::Excused => 'E',
        }
    }
}

/// The longest note a mark may carry, in characters (the roster's note field says so too).
pub const MAX_NOTE_CHARS: usize = 500;

/// A mark's note as kept: trimmed, `None` when empty; `Err` when longer than
/// [`MAX_NOTE_CHARS`].
pub fn checked_note(note: Option<&str>) -> Result<Option<String>, String> {
    match note.map(str::trim).filter(|note| !note.is_empty()) {
        Some(note) if note.chars().count() > MAX_NOTE_CHARS => {
            Err(format!("the note is longer than {MAX_NOTE_CHARS} characters"))
        }
        note => Ok(note.map(str::to_owned)),
    }
}

/// `attendance.mark`: one mark, given online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkAttendanceRequest {
    pub session_id: i64,
    pub enrollment_id: i64,
    pub status: Mark,
    #[serde(default)]
    pub note: Option<String>,
}

/// A mark as a device made it: its id for it, and when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceMark {
    pub client_id: Uuid,
    pub session_id: i64,
    pub enrollment_id: i64,
    pub status: Mark,
    #[serde(default)]
    pub note: Option<String>,
    pub marked_at: DateTime<Utc>,
}

/// `attendance.push`: a batch of a device's marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushMarksRequest {
    pub marks: Vec<DeviceMark>,
}

/// What became of one pushed mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum PushOutcome {
    /// Kept in history and now the session's record for the student.
    Applied,
    /// Kept in history; a later mark (by marked_at), or an administrator's correction, is
    /// the record — which comes along, for the device to show: a pull would not bring it when
    /// it has not changed since the device's last one.
    Superseded {
        #[serde(default)]
        record: Option<RecordChange>,
    },
    /// Received before (the same client id), and still the record: nothing changed. (One
    /// received before and beaten since is answered `Superseded`, with the record.)
    Duplicate,
    /// Not kept: the reason says why (the session was deleted, the student dropped, …).
    Rejected { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushedMark {
    pub client_id: Uuid,
    #[serde(flatten)]
    pub outcome: PushOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pushed {
    /// In the order the marks were sent.
    pub marks: Vec<PushedMark>,
}

/// A student of a session's roster, with their current mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub enrollment_id: i64,
    pub student_id: i64,
    pub full_name: String,
    /// Their photo: an image the hub keeps (`/media/…`) or a web address.
    #[serde(default)]
    pub avatar_url: Option<String>,
    /// Active, or (for a student who has left since and was marked this session) paused,
    /// completed or dropped.
    pub enrollment_status: EnrollmentStatus,
    pub status: Option<Mark>,
    pub note: Option<String>,
    pub marked_at: Option<DateTime<Utc>>,
    pub marked_by: Option<String>,
}

/// A session as attendance sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    pub cohort_id: i64,
    pub cohort_name: String,
    pub date: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub title: String,
}

/// `attendance.roster`: a session's active enrollments and their marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub session: SessionInfo,
    pub students: Vec<RosterEntry>,
}

/// One mark as history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub client_id: Uuid,
    pub status: Mark,
    pub note: Option<String>,
    pub marked_by: Option<String>,
    /// When it was made: the device's clock, or the server's receipt time when the device's
    /// was out of bounds.
    pub marked_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    /// The time the device gave, when it was out of bounds and not used.
    #[serde(default)]
    pub device_marked_at: Option<DateTime<Utc>>,
    /// This mark is the record now.
    pub current: bool,
}

/// `attendance.history`: every mark a student received for a session, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRequest {
    pub session_id: i64,
    pub enrollment_id: i64,
}

/// `attendance.pull`: what changed since the device's cursor (none: everything).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PullRequest {
    pub cursor: Option<String>,
}

/// A current record, as a device caches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChange {
    pub session_id: i64,
    pub enrollment_id: i64,
    pub client_id: Option<Uuid>,
    pub status: Mark,
    pub note: Option<String>,
    pub marked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pulled {
    /// Where the next pull starts.
    pub cursor: String,
    pub records: Vec<RecordChange>,
}

/// A student of a cohort the instructor teaches, as the device keeps them offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineStudent {
    pub enrollment_id: i64,
    pub cohort_id: i64,
    pub student_id: i64,
    pub full_name: String,
}

/// `attendance.offline_pack`: what a device needs to mark attendance with no network: the
/// sessions of the cohorts the person teaches (two months back, two ahead) and their active
/// students. Their marks come with `attendance.pull`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflinePack {
    pub sessions: Vec<SessionInfo>,
    pub students: Vec<OfflineStudent>,
    /// The check-in keys of the sessions from yesterday to two weeks ahead, so the check-in
    /// screen shows codes with no network (a server before check-in sends none).
    #[serde(default)]
    pub checkin: Vec<CheckinKey>,
}

/// A mark the server refused, kept on the device with why, until a person dismisses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedMark {
    pub client_id: Uuid,
    pub session_id: i64,
    pub enrollment_id: i64,
    pub status: Mark,
    pub reason: String,
    /// The server kept the mark in history, but another is the record (a later mark, or an
    /// administrator's correction); otherwise it was refused.
    #[serde(default)]
    pub kept: bool,
}

/// Why a mark the server kept is not the record, as its maker reads it.
pub const SUPERSEDED: &str =
    "a later mark or an administrator's correction replaced it; it stays in the history";

/// Someone whose marks wait on this computer for them to sign in online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingPerson {
    pub user_id: i64,
    pub full_name: String,
    pub marks: i64,
}

/// A student of a session kept on the device, with the mark the device knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalRosterEntry {
    pub enrollment_id: i64,
    pub full_name: String,
    pub status: Option<Mark>,
    pub note: Option<String>,
    /// Made here and not yet committed by the server.
    pub waiting: bool,
}

/// The desktop's sync state, as its status line shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The hub answered the last time the app tried.
    pub online: bool,
    pub syncing: bool,
    /// Marks the signed-in person made here that the server has not committed yet.
    pub waiting: i64,
    /// Marks others made here: each person's go with their own session, so they wait until
    /// that person signs in online on this computer.
    pub waiting_for_others: Vec<WaitingPerson>,
    /// The signed-in person's marks cannot go until they sign in online: they signed in
    /// on this computer only, or their session ended (signed out elsewhere, a password reset).
    pub needs_sign_in: bool,
    pub rejected: Vec<RejectedMark>,
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Why the last sync failed, in words.
    pub last_error: Option<String>,
}

/// One student's attendance over a cohort's sessions held so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentRate {
    pub enrollment_id: i64,
    pub student_id: i64,
    pub full_name: String,
    pub present: i64,
    pub late: i64,
    pub absent: i64,
    pub excused: i64,
    /// (present + late) / sessions held; `None` before the first session.
    pub rate: Option<f64>,
    /// Under the report's threshold, and expected in class: a paused student is not marked
    /// (the roster is the active students), so their rate says nothing to act on.
    pub below: bool,
    /// Active, paused or completed (a dropped student is not in the report).
    pub enrollment_status: EnrollmentStatus,
    /// Their rate each week of the last eight with a session held, oldest first: the trend
    /// beside their name.
    #[serde(default)]
    pub weekly: Vec<WeekRate>,
    /// For a student under the threshold: the dates of their last three absences, newest first.
    #[serde(default)]
    pub last_absences: Vec<NaiveDate>,
}

/// A rate over one week's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeekRate {
    /// The week's Monday.
    pub week: NaiveDate,
    /// (present + late) / sessions held that week.
    pub rate: f64,
}

/// One running cohort this week, for the admin's home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortWeek {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub program_title: String,
    /// This week's marks, over its sessions held so far.
    pub present: i64,
    pub late: i64,
    pub absent: i64,
    pub excused: i64,
    /// Active students not marked for a session held this week.
    pub unmarked: i64,
    pub sessions_this_week: i64,
    pub active_students: i64,
    /// Active students whose rate over every session held is under the cohort's threshold.
    pub students_below: i64,
    pub threshold: f64,
}

/// `attendance.overview`: this week across the running cohorts, the cohorts with the most
/// students under their threshold first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttendanceOverview {
    /// This week's Monday, in the hub's time zone.
    pub week: NaiveDate,
    pub cohorts: Vec<CohortWeek>,
}

/// `attendance.report_cohort`: every active or paused student of a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortReportRequest {
    pub cohort_id: i64,
    /// The rate under which a student is highlighted; the cohort's own (80% unless changed)
    /// when absent.
    #[serde(default)]
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortReport {
    pub cohort_id: i64,
    pub cohort_name: String,
    /// Sessions dated today or earlier.
    pub sessions_held: i64,
    pub threshold: f64,
    pub students: Vec<StudentRate>,
}

/// One session of a student's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSessionMark {
    pub session_id: i64,
    pub date: NaiveDate,
    pub title: String,
    pub status: Option<Mark>,
    pub note: Option<String>,
}

/// `attendance.report_student`: one enrollment's record, session by session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentReport {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub rate: StudentRate,
    pub sessions: Vec<StudentSessionMark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentRequest {
    pub enrollment_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortIdRequest {
    pub cohort_id: i64,
}

/// One session of a cohort held so far, its marks counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub session_id: i64,
    pub date: NaiveDate,
    pub title: String,
    pub present: i64,
    pub late: i64,
    pub absent: i64,
    pub excused: i64,
    /// Students on the roster with no mark yet.
    pub unmarked: i64,
}

/// `attendance.export_csv`: a report as a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "report", deny_unknown_fields)]
pub enum CsvReport {
    /// The rate under which a student is marked "below" (0.8 when absent), as on screen.
    Cohort {
        cohort_id: i64,
        #[serde(default)]
        threshold: Option<f64>,
    },
    Session {
        session_id: i64,
    },
    Student {
        enrollment_id: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvFile {
    pub filename: String,
    pub content: String,
}

/// When a session's check-in is open, in the hub's time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinWindow {
    pub opens_at: DateTime<Utc>,
    /// The session's start; `None` when it has no start time (open all its day, never late).
    pub starts_at: Option<DateTime<Utc>>,
    /// From this moment a check-in counts as late (`None`: never).
    pub late_from: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    /// The minutes in force, and whether they are this session's own or its cohort's.
    pub minutes: CheckinMinutes,
    pub own_minutes: bool,
    /// The hub's time zone, and its offset from UTC on the session's day: the times are
    /// shown as the session's local times, wherever the computer showing them is.
    pub time_zone: String,
    pub utc_offset_seconds: i32,
}

impl CheckinWindow {
    /// `at` as the session's local time: `09:14`.
    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        (at + chrono::Duration::seconds(i64::from(self.utc_offset_seconds))).format("%H:%M").to_string()
    }

    pub fn state_at(&self, now: DateTime<Utc>) -> WindowState {
        if now < self.opens_at {
            WindowState::NotOpenYet
        } else if now > self.closes_at {
            WindowState::Closed
        } else if self.late_from.is_some_and(|late| now >= late) {
            WindowState::Late
        } else {
            WindowState::Open
        }
    }
}

crate::choices!(
    /// Where a session's check-in stands at a moment.
    WindowState {
        NotOpenYet = "not_open_yet" => "Not open yet",
        Open = "open" => "Open",
        Late = "late" => "Open, counts as late",
        Closed = "closed" => "Closed",
    }
);

/// A session's secret and window, for its instructor's computer to show codes offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinKey {
    pub session_id: i64,
    /// The secret in hex ([`crate::checkin::secret_to_hex`]).
    pub secret: String,
    pub window: CheckinWindow,
}
