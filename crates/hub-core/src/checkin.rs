//! Self check-in: a student gives the code on their instructor's screen and becomes present
//! (or late) for one of today's sessions.
//!
//! A session's codes come from its secret (`session_checkin`, made the first time anyone
//! asks for a code or an instructor's computer takes its offline pack) and the 30-second
//! time step ([`hub_model::checkin::code`]); the step before is still accepted. Check-in is
//! open from a set time before the session's start to a set time after it, read in the hub's
//! time zone (`session_checkin_windows`). Every attempt is kept in `attendance_checkins`
//! with its outcome; five wrong codes within five minutes lock the student out of that
//! session for five minutes. A check-in writes the student's mark in the same transaction
//! unless a mark is already there; any staff mark made later replaces it.

use crate::ops::Handler;
use crate::sessions::{require_teaches_session, session_info};
use crate::{Actor, Error, Hub, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use hub_model::attendance::{Mark, SessionInfo};
use hub_model::checkin::{
    self as codes, CheckinAnswer, CheckinCode, CheckinKey, CheckinLive, CheckinMethod, CheckinMinutes,
    CheckinOutcome, CheckinRow, CheckinWindow, MyCheckins, SetCohortCheckinRequest, SetSessionCheckinRequest,
    SubmitCheckinRequest, TodaySession, SECRET_BYTES,
};
use hub_model::cms::IdRequest;
use hub_model::ops::{
    CheckinCodeNow, CheckinLiveList, MyCheckinsToday, SetCohortCheckin, SetSessionCheckin, SubmitCheckin,
};
use hub_model::programs::EnrollmentStatus;
use hub_model::NoRequest;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// Wrong codes that lock a student out of a session …
pub const WRONG_CODES: usize = 5;
/// … when given within this long, for this long after the last of them.
pub const LOCKOUT: Duration = Duration::minutes(5);

/// How the note of a check-in's mark begins (it goes on: "at 09:14", the hub's time).
pub const NOTE: &str = "Self check-in";

/// `zone` as PostgreSQL names it, or a refusal naming `time_zone`.
pub async fn known_time_zone(pool: &PgPool, zone: &str) -> Result<String> {
    if zone.is_empty() {
        return Err(Error::validation("time_zone", "enter the hub's time zone, e.g. Asia/Beirut"));
    }
    if zone.len() > 64 {
        return Err(Error::validation("time_zone", "is not a time zone name (at most 64 characters)"));
    }
    sqlx::query_scalar!(
        r#"select name as "name!" from pg_timezone_names where lower(name) = lower($1) order by name = $1 desc limit 1"#,
        zone
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::validation("time_zone", format!("{zone:?} is not a time zone name, e.g. Asia/Beirut or Europe/Paris")))
}

/// A window as `session_checkin_windows` gives it.
struct WindowRow {
    time_zone: String,
    opens_minutes: i16,
    late_minutes: i16,
    closes_minutes: i16,
    own_minutes: bool,
    starts_at: Option<DateTime<Utc>>,
    opens_at: DateTime<Utc>,
    late_from: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
    utc_offset_seconds: i32,
}

impl From<WindowRow> for CheckinWindow {
    fn from(row: WindowRow) -> Self {
        Self {
            opens_at: row.opens_at,
            starts_at: row.starts_at,
            late_from: row.late_from,
            closes_at: row.closes_at,
            minutes: CheckinMinutes {
                opens: row.opens_minutes,
                late: row.late_minutes,
                closes: row.closes_minutes,
            },
            own_minutes: row.own_minutes,
            time_zone: row.time_zone,
            utc_offset_seconds: row.utc_offset_seconds,
        }
    }
}

async fn window(connection: &mut PgConnection, session_id: i64) -> Result<CheckinWindow> {
    let row = sqlx::query_as!(
        WindowRow,
        r#"select time_zone as "time_zone!", opens_minutes as "opens_minutes!", late_minutes as "late_minutes!",
                  closes_minutes as "closes_minutes!", own_minutes as "own_minutes!", starts_at, opens_at as "opens_at!",
                  late_from, closes_at as "closes_at!", utc_offset_seconds as "utc_offset_seconds!"
             from session_checkin_windows where session_id = $1"#,
        session_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("session {session_id}")))?;
    Ok(row.into())
}

fn new_secret() -> Vec<u8> {
    let mut secret = vec![0_u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

/// Makes the secrets the sessions lack (each keeps the first one made, whoever races).
async fn ensure_secrets(connection: &mut PgConnection, session_ids: &[i64]) -> Result<()> {
    let secrets: Vec<Vec<u8>> = session_ids.iter().map(|_| new_secret()).collect();
    sqlx::query!(
        "insert into session_checkin (session_id, secret)
         select * from unnest($1::bigint[], $2::bytea[])
         on conflict (session_id) do nothing",
        session_ids,
        &secrets
    )
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// The session's secret, made if it has none yet.
async fn secret(connection: &mut PgConnection, session_id: i64) -> Result<Vec<u8>> {
    ensure_secrets(connection, &[session_id]).await?;
    Ok(sqlx::query_scalar!("select secret from session_checkin where session_id = $1", session_id)
        .fetch_one(&mut *connection)
        .await?)
}

/// The database's clock: every server of the hub reads the same time.
async fn now(connection: &mut PgConnection) -> Result<DateTime<Utc>> {
    Ok(sqlx::query_scalar!(r#"select now() as "now!""#).fetch_one(&mut *connection).await?)
}

impl Handler for CheckinCodeNow {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<CheckinCode> {
        let mut connection = hub.pool().acquire().await?;
        require_teaches_session(&mut connection, actor, request.id).await?;
        let secret = secret(&mut connection, request.id).await?;
        let window = window(&mut connection, request.id).await?;
        let now = now(&mut connection).await?;
        let step = codes::step_at(now);
        Ok(CheckinCode {
            session_id: request.id,
            code: codes::code(&secret, step),
            changes_at: codes::step_ends_at(step),
            server_now: now,
            window,
        })
    }
}

/// The moment a student's wrong codes lock them out of a session until, if they do now:
/// the last [`WRONG_CODES`] of them given within [`LOCKOUT`], the newest less than
/// [`LOCKOUT`] ago. `wrong` is newest first.
fn locked_until(wrong: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let (newest, oldest) = (*wrong.first()?, *wrong.get(WRONG_CODES - 1)?);
    let until = newest + LOCKOUT;
    (newest - oldest <= LOCKOUT && now < until).then_some(until)
}

/// Each student's wrong codes for a session in the last two lockouts, newest first.
async fn recent_wrong_codes(
    connection: &mut PgConnection,
    session_id: i64,
    student_user_id: Option<i64>,
) -> Result<HashMap<i64, Vec<DateTime<Utc>>>> {
    let rows = sqlx::query!(
        "select student_user_id, attempted_at from attendance_checkins
          where session_id = $1 and ($2::bigint is null or student_user_id = $2) and outcome = 'wrong_code'
            and attempted_at > now() - make_interval(secs => $3)
          order by student_user_id, attempted_at desc",
        session_id,
        student_user_id,
        (LOCKOUT * 2).num_seconds() as f64
    )
    .fetch_all(&mut *connection)
    .await?;
    let mut wrong: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    for row in rows {
        wrong.entry(row.student_user_id).or_default().push(row.attempted_at);
    }
    Ok(wrong)
}

/// What a submission found, before it is recorded.
struct Attempt {
    outcome: CheckinOutcome,
    message: String,
    mark: Option<Mark>,
    checked_in_at: Option<DateTime<Utc>>,
    retry_after_seconds: Option<i64>,
    mark_client_id: Option<Uuid>,
}

impl Attempt {
    fn refused(outcome: CheckinOutcome, message: impl Into<String>) -> Self {
        Self {
            outcome,
            message: message.into(),
            mark: None,
            checked_in_at: None,
            retry_after_seconds: None,
            mark_client_id: None,
        }
    }
}

impl Handler for SubmitCheckin {
    async fn handle(hub: &Hub, actor: &Actor, request: SubmitCheckinRequest) -> Result<CheckinAnswer> {
        let me = actor.require_student()?;
        let Some(code) = codes::normalize(&request.code) else {
            return Err(Error::validation(
                "code",
                "a check-in code is 6 letters and digits, as on your instructor's screen",
            ));
        };
        let mut tx = hub.begin().await?;
        let found = sqlx::query!(
            r#"select s.title, s.cohort_id, c.name as cohort_name, c.status as cohort_status, s.date,
                      e.id as "enrollment_id?", e.status as "enrollment_status?",
                      w.days_from_today as "days_from_today!",
                      (select device from staff_sessions where id = $3) as device
                 from sessions s
                 join cohorts c on c.id = s.cohort_id
                 join session_checkin_windows w on w.session_id = s.id
                 left join enrollments e on e.cohort_id = s.cohort_id and e.student_user_id = $2
                where s.id = $1"#,
            request.session_id,
            me.id,
            me.session_id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("session {}", request.session_id)))?;
        // One attempt of a student's at a time: the lockout counts every wrong code, and a
        // double click checks in once.
        if let Some(enrollment_id) = found.enrollment_id {
            sqlx::query!("select id from enrollments where id = $1 for update", enrollment_id)
                .fetch_one(&mut *tx)
                .await?;
        }
        let window = window(&mut tx, request.session_id).await?;
        let now = now(&mut tx).await?;
        let at = |moment: DateTime<Utc>| window.local_time(moment);
        let attempt = 'attempt: {
            let Some(enrollment_id) = found.enrollment_id else {
                break 'attempt Attempt::refused(
                    CheckinOutcome::NotEnrolled,
                    "You are not a student of this session's cohort.",
                );
            };
            if found.cohort_status == "cancelled" {
                break 'attempt Attempt::refused(
                    CheckinOutcome::Cancelled,
                    format!("{} is cancelled: there is nothing to check in to.", found.cohort_name),
                );
            }
            let status =
                found.enrollment_status.as_deref().map(str::parse::<EnrollmentStatus>).transpose()?;
            if let Some(status) = status.filter(|status| *status != EnrollmentStatus::Active) {
                break 'attempt Attempt::refused(
                    CheckinOutcome::NotActive,
                    format!(
                        "Your place in {} is {}: check-in is for active students. Ask your instructor to mark you.",
                        found.cohort_name,
                        status.label().to_lowercase()
                    ),
                );
            }
            let earlier = sqlx::query!(
                r#"select k.attempted_at, k.outcome from attendance_checkins k
                    where k.session_id = $1 and k.enrollment_id = $2 and k.outcome in ('present', 'late')"#,
                request.session_id,
                enrollment_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let record = sqlx::query!(
                "select status, self_checkin from attendance_records where session_id = $1 and enrollment_id = $2",
                request.session_id,
                enrollment_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let mark = record.as_ref().map(|record| record.status.parse::<Mark>()).transpose()?;
            if let Some(earlier) = earlier {
                break 'attempt Attempt {
                    mark,
                    checked_in_at: Some(earlier.attempted_at),
                    ..Attempt::refused(
                        CheckinOutcome::AlreadyCheckedIn,
                        format!("You checked in to {} at {} already.", found.title, at(earlier.attempted_at)),
                    )
                };
            }
            if let Some(until) = recent_wrong_codes(&mut tx, request.session_id, Some(me.id))
                .await?
                .get(&me.id)
                .and_then(|wrong| locked_until(wrong, now))
            {
                let seconds = (until - now).num_seconds().max(1);
                break 'attempt Attempt {
                    retry_after_seconds: Some(seconds),
                    ..Attempt::refused(
                        CheckinOutcome::Locked,
                        format!(
                            "Too many wrong codes: try again at {} (in {} min).",
                            at(until),
                            (seconds + 59) / 60
                        ),
                    )
                };
            }
            if now < window.opens_at {
                break 'attempt if found.days_from_today > 0 {
                    Attempt::refused(
                        CheckinOutcome::NotToday,
                        format!(
                            "{} is on {}, not today: you can check in on the day.",
                            found.title,
                            found.date.format("%a %-d %b")
                        ),
                    )
                } else {
                    Attempt::refused(
                        CheckinOutcome::NotOpenYet,
                        format!("Check-in for {} opens at {}.", found.title, at(window.opens_at)),
                    )
                };
            }
            if now > window.closes_at {
                break 'attempt if found.days_from_today < 0 {
                    Attempt::refused(
                        CheckinOutcome::NotToday,
                        format!(
                            "{} was on {}: check-in is for today's sessions.",
                            found.title,
                            found.date.format("%a %-d %b")
                        ),
                    )
                } else {
                    Attempt::refused(
                        CheckinOutcome::Closed,
                        format!(
                            "Check-in for {} closed at {}. Ask your instructor to mark you.",
                            found.title,
                            at(window.closes_at)
                        ),
                    )
                };
            }
            let secret = sqlx::query_scalar!(
                "select secret from session_checkin where session_id = $1",
                request.session_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let step = codes::step_at(now);
            let right = secret.is_some_and(|secret| {
                [step, step - 1].iter().any(|step| codes::code(&secret, *step) == code)
            });
            if !right {
                let mut wrong = recent_wrong_codes(&mut tx, request.session_id, Some(me.id))
                    .await?
                    .remove(&me.id)
                    .unwrap_or_default();
                wrong.insert(0, now);
                let message = match locked_until(&wrong, now) {
                    Some(until) => format!(
                        "That code is wrong, and that was the {WRONG_CODES}th: try again at {}.",
                        at(until)
                    ),
                    None => "That is not the code on the screen now. Check it and try again.".to_owned(),
                };
                break 'attempt Attempt::refused(CheckinOutcome::WrongCode, message);
            }
            if let Some(mark) = mark.filter(|_| record.as_ref().is_some_and(|record| !record.self_checkin)) {
                break 'attempt Attempt {
                    mark: Some(mark),
                    ..Attempt::refused(
                        CheckinOutcome::AlreadyMarked,
                        format!(
                            "Your instructor has already marked you {} for {}; their mark stands.",
                            mark.label().to_lowercase(),
                            found.title
                        ),
                    )
                };
            }
            let late = window.late_from.is_some_and(|late| now >= late);
            let status = if late { Mark::Late } else { Mark::Present };
            let client_id = Uuid::new_v4();
            let note = format!("{NOTE} at {}", at(now));
            // The mark goes in only where none is: an instructor's mark given meanwhile stands.
            let written = sqlx::query!(
                "insert into attendance_records (session_id, enrollment_id, status, note, marked_by, marked_at, client_id,
                                                 self_checkin)
                 values ($1, $2, $3, $4, null, $5, $6, true)
                 on conflict (session_id, enrollment_id) do nothing",
                request.session_id,
                enrollment_id,
                status.as_str(),
                note,
                now,
                client_id
            )
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !written {
                let mark: Mark = sqlx::query_scalar!(
                    "select status from attendance_records where session_id = $1 and enrollment_id = $2",
                    request.session_id,
                    enrollment_id
                )
                .fetch_one(&mut *tx)
                .await?
                .parse()?;
                break 'attempt Attempt {
                    mark: Some(mark),
                    ..Attempt::refused(
                        CheckinOutcome::AlreadyMarked,
                        format!(
                            "Your instructor has just marked you {}; their mark stands.",
                            mark.label().to_lowercase()
                        ),
                    )
                };
            }
            sqlx::query!(
                "insert into attendance_history (client_id, session_id, enrollment_id, status, note, marked_by, marked_at)
                 values ($1, $2, $3, $4, $5, null, $6)",
                client_id,
                request.session_id,
                enrollment_id,
                status.as_str(),
                note,
                now
            )
            .execute(&mut *tx)
            .await?;
            let message = match (late, window.starts_at) {
                (true, Some(start)) => {
                    format!("You're checked in to {}, late: it started at {}.", found.title, at(start))
                }
                _ => format!("You're checked in to {} at {}.", found.title, at(now)),
            };
            Attempt {
                mark: Some(status),
                checked_in_at: Some(now),
                mark_client_id: Some(client_id),
                ..Attempt::refused(if late { CheckinOutcome::Late } else { CheckinOutcome::Present }, message)
            }
        };
        let inserted = sqlx::query!(
            "insert into attendance_checkins (session_id, student_user_id, enrollment_id, attempted_at, method, device,
                                              address, outcome, mark_client_id)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            request.session_id,
            me.id,
            found.enrollment_id,
            now,
            request.method.unwrap_or(CheckinMethod::Code).as_str(),
            found.device,
            actor.address().map(|address| address.to_string()),
            attempt.outcome.as_str(),
            attempt.mark_client_id
        )
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            // Another attempt of the same student's checked them in first (the enrollment's
            // lock makes this rare; the unique index makes it harmless).
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(Error::Conflict("you are already checked in to this session".to_owned()));
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        Ok(CheckinAnswer {
            outcome: attempt.outcome,
            accepted: attempt.outcome.is_accepted(),
            message: attempt.message,
            mark: attempt.mark,
            checked_in_at: attempt.checked_in_at,
            retry_after_seconds: attempt.retry_after_seconds,
        })
    }
}

impl Handler for CheckinLiveList {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<CheckinLive> {
        let mut connection = hub.pool().acquire().await?;
        let cohort_id = require_teaches_session(&mut connection, actor, request.id).await?;
        let session = session_info(&mut connection, request.id).await?;
        let window = window(&mut connection, request.id).await?;
        let now = now(&mut connection).await?;
        let wrong = recent_wrong_codes(&mut connection, request.id, None).await?;
        let rows = sqlx::query!(
            r#"select e.id as enrollment_id, e.student_user_id, d.display_name,
                      k.attempted_at as "checked_in_at?", k.outcome as "checked_in_as?",
                      r.status as "mark?", coalesce(r.self_checkin, false) as "mark_is_checkin!"
                 from enrollments e
                 join user_directory d on d.user_id = e.student_user_id
                 left join attendance_checkins k
                        on k.session_id = $1 and k.enrollment_id = e.id and k.outcome in ('present', 'late')
                 left join attendance_records r on r.session_id = $1 and r.enrollment_id = e.id
                where e.cohort_id = $2 and (e.status = 'active' or k.id is not null)
                order by k.attempted_at nulls last, d.sort_name, e.id"#,
            request.id,
            cohort_id
        )
        .fetch_all(&mut *connection)
        .await?;
        let refused_attempts = sqlx::query_scalar!(
            r#"select count(*) as "count!" from attendance_checkins
                where session_id = $1 and outcome not in ('present', 'late', 'already_checked_in', 'already_marked')"#,
            request.id
        )
        .fetch_one(&mut *connection)
        .await?;
        let students: Vec<CheckinRow> = rows
            .into_iter()
            .map(|row| {
                Ok(CheckinRow {
                    enrollment_id: row.enrollment_id,
                    full_name: row.display_name,
                    checked_in_at: row.checked_in_at,
                    checked_in_as: row.checked_in_as.as_deref().map(str::parse).transpose()?,
                    mark: row.mark.as_deref().map(str::parse).transpose()?,
                    mark_is_checkin: row.mark_is_checkin,
                    locked_until: wrong.get(&row.student_user_id).and_then(|wrong| locked_until(wrong, now)),
                })
            })
            .collect::<Result<_>>()?;
        let checked_in = students.iter().filter(|student| student.checked_in_at.is_some()).count() as i64;
        Ok(CheckinLive { session, window, server_now: now, students, checked_in, refused_attempts })
    }
}

impl Handler for MyCheckinsToday {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<MyCheckins> {
        let me = actor.require_student()?;
        let mut connection = hub.pool().acquire().await?;
        let now = now(&mut connection).await?;
        let rows = sqlx::query!(
            r#"select s.id, s.cohort_id, c.name as cohort_name, s.date, s.starts_at, s.ends_at, s.title,
                      w.time_zone as "time_zone!", w.opens_minutes as "opens_minutes!", w.late_minutes as "late_minutes!",
                      w.closes_minutes as "closes_minutes!", w.own_minutes as "own_minutes!", w.starts_at as starts_at_instant,
                      w.opens_at as "opens_at!", w.late_from, w.closes_at as "closes_at!",
                      w.utc_offset_seconds as "utc_offset_seconds!",
                      k.attempted_at as "checked_in_at?", r.status as "mark?"
                 from enrollments e
                 join cohorts c on c.id = e.cohort_id and c.status <> 'cancelled'
                 join sessions s on s.cohort_id = e.cohort_id
                 join session_checkin_windows w on w.session_id = s.id
                 left join attendance_checkins k
                        on k.session_id = s.id and k.enrollment_id = e.id and k.outcome in ('present', 'late')
                 left join attendance_records r on r.session_id = s.id and r.enrollment_id = e.id
                where e.student_user_id = $1 and e.status = 'active' and w.days_from_today = 0
                order by w.opens_at, s.id"#,
            me.id
        )
        .fetch_all(&mut *connection)
        .await?;
        let mut sessions = Vec::with_capacity(rows.len());
        for row in rows {
            let window: CheckinWindow = WindowRow {
                time_zone: row.time_zone,
                opens_minutes: row.opens_minutes,
                late_minutes: row.late_minutes,
                closes_minutes: row.closes_minutes,
                own_minutes: row.own_minutes,
                starts_at: row.starts_at_instant,
                opens_at: row.opens_at,
                late_from: row.late_from,
                closes_at: row.closes_at,
                utc_offset_seconds: row.utc_offset_seconds,
            }
            .into();
            let wrong = recent_wrong_codes(&mut connection, row.id, Some(me.id)).await?;
            sessions.push(TodaySession {
                state: window.state_at(now),
                window,
                session: SessionInfo {
                    id: row.id,
                    cohort_id: row.cohort_id,
                    cohort_name: row.cohort_name,
                    date: row.date,
                    starts_at: row.starts_at,
                    ends_at: row.ends_at,
                    title: row.title,
                },
                checked_in_at: row.checked_in_at,
                mark: row.mark.as_deref().map(str::parse).transpose()?,
                locked_until: wrong.get(&me.id).and_then(|wrong| locked_until(wrong, now)),
            });
        }
        Ok(MyCheckins { server_now: now, sessions })
    }
}

impl Handler for SetSessionCheckin {
    async fn handle(hub: &Hub, actor: &Actor, request: SetSessionCheckinRequest) -> Result<CheckinWindow> {
        if let Some(minutes) = &request.minutes {
            minutes.check().map_err(|(field, message)| Error::validation(field, message))?;
        }
        let mut tx = hub.begin().await?;
        require_teaches_session(&mut tx, actor, request.session_id).await?;
        ensure_secrets(&mut tx, &[request.session_id]).await?;
        let minutes = request.minutes;
        sqlx::query!(
            "update session_checkin set opens_minutes = $2, late_minutes = $3, closes_minutes = $4 where session_id = $1",
            request.session_id,
            minutes.map(|minutes| minutes.opens),
            minutes.map(|minutes| minutes.late),
            minutes.map(|minutes| minutes.closes)
        )
        .execute(&mut *tx)
        .await?;
        let window = window(&mut tx, request.session_id).await?;
        tx.commit().await?;
        Ok(window)
    }
}

impl Handler for SetCohortCheckin {
    async fn handle(hub: &Hub, actor: &Actor, request: SetCohortCheckinRequest) -> Result<CheckinMinutes> {
        actor.require_admin()?;
        let minutes = request.minutes;
        minutes.check().map_err(|(field, message)| Error::validation(field, message))?;
        let mut tx = hub.begin().await?;
        let updated = sqlx::query!(
            "update cohorts set checkin_opens_minutes = $2, checkin_late_minutes = $3, checkin_closes_minutes = $4
              where id = $1",
            request.cohort_id,
            minutes.opens,
            minutes.late,
            minutes.closes
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        (updated.rows_affected() == 1)
            .then_some(minutes)
            .ok_or_else(|| Error::NotFound(format!("cohort {}", request.cohort_id)))
    }
}

/// A cohort's default check-in times.
pub async fn cohort_minutes(connection: &mut PgConnection, cohort_id: i64) -> Result<CheckinMinutes> {
    sqlx::query_as!(
        CheckinMinutes,
        "select checkin_opens_minutes as opens, checkin_late_minutes as late, checkin_closes_minutes as closes
           from cohorts where id = $1",
        cohort_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("cohort {cohort_id}")))
}

/// The check-in keys of the sessions from yesterday to two weeks ahead of the cohorts
/// `user_id` teaches, for their computer to show codes with no network.
pub async fn offline_keys(connection: &mut PgConnection, user_id: i64) -> Result<Vec<CheckinKey>> {
    let sessions = sqlx::query_scalar!(
        r#"select s.id from sessions s
             join cohort_staff cs on cs.cohort_id = s.cohort_id and cs.instructor_user_id = $1
             join session_checkin_windows w on w.session_id = s.id
            where w.days_from_today between -1 and 14
            order by s.id"#,
        user_id
    )
    .fetch_all(&mut *connection)
    .await?;
    ensure_secrets(connection, &sessions).await?;
    let rows = sqlx::query!(
        r#"select k.session_id, k.secret, w.time_zone as "time_zone!", w.opens_minutes as "opens_minutes!",
                  w.late_minutes as "late_minutes!", w.closes_minutes as "closes_minutes!", w.own_minutes as "own_minutes!",
                  w.starts_at, w.opens_at as "opens_at!", w.late_from, w.closes_at as "closes_at!",
                  w.utc_offset_seconds as "utc_offset_seconds!"
             from session_checkin k join session_checkin_windows w on w.session_id = k.session_id
            where k.session_id = any($1)
            order by k.session_id"#,
        &sessions
    )
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CheckinKey {
            session_id: row.session_id,
            secret: codes::secret_to_hex(&row.secret),
            window: WindowRow {
                time_zone: row.time_zone,
                opens_minutes: row.opens_minutes,
                late_minutes: row.late_minutes,
                closes_minutes: row.closes_minutes,
                own_minutes: row.own_minutes,
                starts_at: row.starts_at,
                opens_at: row.opens_at,
                late_from: row.late_from,
                closes_at: row.closes_at,
                utc_offset_seconds: row.utc_offset_seconds,
            }
            .into(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_wrong_codes_within_five_minutes_lock_for_five_minutes_after_the_last() {
        let wrong: Vec<_> = [240, 180, 120, 60, 0].into_iter().map(at).collect();
        assert_eq!(locked_until(&wrong, at(250)), Some(at(540)));
        assert_eq!(locked_until(&wrong, at(540)), None, "the lockout is over");
        assert_eq!(locked_until(&wrong[..4], at(250)), None, "four wrong codes do not lock");
        let spread: Vec<_> = [400, 300, 200, 100, 0].into_iter().map(at).collect();
        assert_eq!(locked_until(&spread, at(410)), None, "five over more than five minutes do not lock");
    }
}
