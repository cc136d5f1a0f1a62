//! Self check-in: a session's code, which changes every [`STEP_SECONDS`], and what a student
//! is told when they give one. The code is an HMAC of the session's secret and the time step,
//! made the same way by the hub server and by an instructor's computer offline.

use crate::attendance::{Mark, SessionInfo};
// A session's window and key travel in the offline pack, and a cohort's minutes on its page:
// they live with those, and are this module's too.
pub use crate::attendance::{CheckinKey, CheckinWindow, WindowState};
pub use crate::programs::{CheckinMinutes, DEFAULT_MINUTES, MAX_MINUTES};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long one code lasts; the one before is still accepted, so a code read at the last
/// second and typed slowly still counts.
pub const STEP_SECONDS: i64 = 30;

/// A code's characters.
pub const CODE_LENGTH: usize = 6;

/// Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L): 31 of them,
/// so a code is one of about 887 million.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The length of a session's secret, in bytes.
pub const SECRET_BYTES: usize = 32;

/// The time step `at` falls in.
pub fn step_at(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECONDS)
}

/// When `step` ends and the next code shows.
pub fn step_ends_at(step: i64) -> DateTime<Utc> {
    DateTime::from_timestamp((step + 1) * STEP_SECONDS, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The code of `step` for a session whose secret is `secret`.
pub fn code(secret: &[u8], step: i64) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail here.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(secret) else {
        unreachable!("HMAC accepts keys of every length")
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let mut bytes = [0_u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    // 64 bits into 6 base-31 digits: the bias of the remainder is below one in 10^10.
    let mut value = u64::from_be_bytes(bytes);
    let base = ALPHABET.len() as u64;
    (0..CODE_LENGTH)
        .map(|_| {
            let digit = (value % base) as usize;
            value /= base;
            char::from(ALPHABET[digit])
        })
        .collect()
}

/// A code as typed, reduced to its characters (case, spaces and dashes do not matter), or
/// `None` when it cannot be a code at all.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|byte| ALPHABET.contains(&byte))).then_some(code)
}

/// A code as shown: two groups of three, `K7M 4QX`.
pub fn display(code: &str) -> String {
    match code.char_indices().nth(CODE_LENGTH / 2) {
        Some((middle, _)) => format!("{} {}", &code[..middle], &code[middle..]),
        None => code.to_owned(),
    }
}

/// A session's secret as it travels to its instructor's computer: lowercase hex.
pub fn secret_to_hex(secret: &[u8]) -> String {
    secret.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A secret back from hex, or `None` if it is not one.
pub fn secret_from_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != SECRET_BYTES * 2 {
        return None;
    }
    (0..hex.len()).step_by(2).map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok()).collect()
}

crate::choices!(
    /// How a check-in attempt ended.
    CheckinOutcome {
        Present = "present" => "Checked in",
        Late = "late" => "Checked in late",
        AlreadyMarked = "already_marked" => "Already marked by an instructor",
        AlreadyCheckedIn = "already_checked_in" => "Already checked in",
        WrongCode = "wrong_code" => "Wrong code",
        Locked = "locked" => "Locked after wrong codes",
        NotOpenYet = "not_open_yet" => "Not open yet",
        Closed = "closed" => "Closed",
        NotToday = "not_today" => "Not today's session",
        NotEnrolled = "not_enrolled" => "Not in this cohort",
        NotActive = "not_active" => "Enrollment not active",
        Cancelled = "cancelled" => "Cohort cancelled",
    }
);

impl CheckinOutcome {
    /// The student is checked in (now or before), or their instructor's mark stands.
    pub fn is_accepted(self) -> bool {
        matches!(self, Self::Present | Self::Late | Self::AlreadyCheckedIn | Self::AlreadyMarked)
    }
}

crate::choices!(
    /// How the student gave the code.
    CheckinMethod { Code = "code" => "Typed code", Qr = "qr" => "Scanned QR code" }
);

/// `checkin.submit`: a student's code for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitCheckinRequest {
    pub session_id: i64,
    pub code: String,
    #[serde(default)]
    pub method: Option<CheckinMethod>,
}

/// What the student is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinAnswer {
    pub outcome: CheckinOutcome,
    pub accepted: bool,
    /// One sentence for the student: "You're checked in (late) at 09:14." or why not.
    pub message: String,
    /// The student's mark for the session now, when they have one.
    pub mark: Option<Mark>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Locked out: the seconds until they may try again.
    pub retry_after_seconds: Option<i64>,
}

/// `checkin.code`: a session's code now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinCode {
    pub session_id: i64,
    pub code: String,
    /// When it changes.
    pub changes_at: DateTime<Utc>,
    /// The hub's clock as it answered: the screen counts down against it, not its own.
    pub server_now: DateTime<Utc>,
    pub window: CheckinWindow,
}

/// One student on the live list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinRow {
    pub enrollment_id: i64,
    pub full_name: String,
    /// When they checked in, if they did.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Present or late, as the check-in counted.
    pub checked_in_as: Option<Mark>,
    /// Their mark for the session now (an instructor's, or their check-in's).
    pub mark: Option<Mark>,
    /// The mark is their check-in's, not an instructor's.
    pub mark_is_checkin: bool,
    /// Locked out after wrong codes, until this moment.
    pub locked_until: Option<DateTime<Utc>>,
}

/// `checkin.live`: who has checked in to a session, and who not yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinLive {
    pub session: SessionInfo,
    pub window: CheckinWindow,
    pub server_now: DateTime<Utc>,
    /// Checked in first, in the order they came; then the others by name.
    pub students: Vec<CheckinRow>,
    pub checked_in: i64,
    /// Attempts refused (wrong codes, too early, …), for the instructor's eye.
    pub refused_attempts: i64,
}

/// `checkin.set_session`: a session's own check-in times (`None`: its cohort's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSessionCheckinRequest {
    pub session_id: i64,
    pub minutes: Option<CheckinMinutes>,
}

/// `checkin.set_cohort`: a cohort's default check-in times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetCohortCheckinRequest {
    pub cohort_id: i64,
    pub minutes: CheckinMinutes,
}

/// One of a student's sessions today, as their check-in card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodaySession {
    pub session: SessionInfo,
    pub window: CheckinWindow,
    pub state: WindowState,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub mark: Option<Mark>,
    /// Locked out after wrong codes, until this moment.
    pub locked_until: Option<DateTime<Utc>>,
}

/// `checkin.today`: the signed-in student's sessions today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCheckins {
    pub server_now: DateTime<Utc>,
    pub sessions: Vec<TodaySession>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_unambiguous_characters_that_change_with_the_step() {
        let secret = [7_u8; SECRET_BYTES];
        let first = code(&secret, 1_000);
        assert_eq!(first.len(), CODE_LENGTH);
        assert!(first.bytes().all(|byte| ALPHABET.contains(&byte)), "{first}");
        assert_eq!(code(&secret, 1_000), first, "the same step gives the same code");
        let others: std::collections::HashSet<String> =
            (1_001..1_101).map(|step| code(&secret, step)).collect();
        assert!(others.len() > 95 && !others.contains(&first), "codes repeat: {others:?}");
        assert_ne!(code(&[8_u8; SECRET_BYTES], 1_000), first, "another session's secret gives another code");
    }

    #[test]
    fn steps_are_thirty_seconds_and_end_where_the_next_begins() {
        let at = DateTime::from_timestamp(1_800_000_015, 0).unwrap();
        let step = step_at(at);
        assert_eq!(step, 60_000_000);
        assert_eq!(step_ends_at(step), DateTime::from_timestamp(1_800_000_030, 0).unwrap());
        assert_eq!(step_at(step_ends_at(step)), step + 1);
    }

    #[test]
    fn typed_codes_are_read_whatever_their_case_and_spacing() {
        assert_eq!(normalize(" k7m-4qx ").as_deref(), Some("K7M4QX"));
        assert_eq!(normalize("K7M 4QX").as_deref(), Some("K7M4QX"));
        assert_eq!(normalize("K7M4Q"), None, "too short");
        assert_eq!(normalize("K7M4Q0"), None, "0 is not in the alphabet");
        assert_eq!(normalize("K7M4QXZ"), None, "too long");
        assert_eq!(display("K7M4QX"), "K7M 4QX");
    }

    #[test]
    fn secrets_travel_as_hex_and_come_back_whole() {
        let secret: Vec<u8> = (0..32).collect();
        let hex = secret_to_hex(&secret);
        assert_eq!(secret_from_hex(&hex), Some(secret));
        assert_eq!(secret_from_hex("zz"), None);
        assert_eq!(secret_from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn minutes_outside_twelve_hours_name_their_field() {
        assert!(DEFAULT_MINUTES.check().is_ok());
        let late = CheckinMinutes { late: -1, ..DEFAULT_MINUTES };
        assert_eq!(late.check().unwrap_err().0, "late_minutes");
        let closes = CheckinMinutes { closes: 721, ..DEFAULT_MINUTES };
        assert_eq!(closes.check().unwrap_err().0, "closes_minutes");
    }
}
