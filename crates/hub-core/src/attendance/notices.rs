//! Low attendance, by mail, once a week: each active student of a running cohort whose rate
//! fell under the cohort's threshold since the last look is told (not every week they stay
//! under it: `attendance_alerts` keeps where each stood), and the cohort's instructors get a
//! digest of everyone under it. Either can be turned off per cohort
//! (`attendance.set_cohort_mail`, which also sets the threshold the reports highlight).
//!
//! The week's look is taken on Monday from 07:00 UTC by the first hub server whose minute job
//! claims the week (`attendance_weeks`); every message is queued in that one transaction, each
//! with its own event key, so no week is looked at twice.

use super::reports::rates;
use crate::mail::messages::{AttendanceDigest, AttendanceNotice, Brand, LowRate};
use crate::mail::outbox;
use crate::ops::Handler;
use crate::{Actor, Hub, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use hub_model::ops::SetAttendanceMail;
use hub_model::programs::{AttendanceMail, EnrollmentStatus, SetAttendanceMailRequest};
use sqlx::{PgConnection, PgPool};

/// When in its week (from Monday 00:00 UTC) the weekly look is taken.
const LOOK_AT: Duration = Duration::hours(7);

/// A cohort's attendance mail settings, as its page shows them.
pub(crate) async fn settings(connection: &mut PgConnection, cohort_id: i64) -> Result<AttendanceMail> {
    let row = sqlx::query!(
        r#"select (attendance_threshold * 100)::int as "percent!", attendance_notices, attendance_digests
             from cohorts where id = $1"#,
        cohort_id
    )
    .fetch_optional(connection)
    .await?
    .ok_or_else(|| crate::Error::NotFound(format!("cohort {cohort_id}")))?;
    Ok(AttendanceMail {
        threshold_percent: u8::try_from(row.percent).unwrap_or(100),
        notify_students: row.attendance_notices,
        digest_instructors: row.attendance_digests,
    })
}

impl Handler for SetAttendanceMail {
    async fn handle(hub: &Hub, actor: &Actor, request: SetAttendanceMailRequest) -> Result<AttendanceMail> {
        actor.require_admin()?;
        if request.threshold_percent > 100 {
            return Err(crate::Error::validation("threshold_percent", "must be between 0 and 100"));
        }
        let mut connection = hub.begin().await?;
        let updated = sqlx::query!(
            "update cohorts set attendance_threshold = $2::int / 100.0, attendance_notices = $3,
                                attendance_digests = $4
              where id = $1",
            request.cohort_id,
            i32::from(request.threshold_percent),
            request.notify_students,
            request.digest_instructors
        )
        .execute(&mut *connection)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(crate::Error::NotFound(format!("cohort {}", request.cohort_id)));
        }
        connection.commit().await?;
        settings(&mut *hub.pool().acquire().await?, request.cohort_id).await
    }
}

/// The Monday its week starts on.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// What a week's look sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekSent {
    pub notices: u64,
    pub digests: u64,
}

/// The server's minute job: takes this week's look once its time has come, if no server
/// took it yet. `None` when there was nothing to do.
pub async fn weekly_due(pool: &PgPool) -> Result<Option<WeekSent>> {
    weekly_due_at(pool, Utc::now()).await
}

/// [`weekly_due`] as of `now`.
pub async fn weekly_due_at(pool: &PgPool, now: DateTime<Utc>) -> Result<Option<WeekSent>> {
    let week = week_of(now.date_naive());
    let starts = week.and_hms_opt(0, 0, 0).map(|start| start.and_utc() + LOOK_AT);
    if starts.is_none_or(|starts| now < starts) {
        return Ok(None);
    }
    weekly(pool, week).await
}

/// Takes the look of the week starting `week` (a Monday): `None` when a server took it
/// already.
pub async fn weekly(pool: &PgPool, week: NaiveDate) -> Result<Option<WeekSent>> {
    let brand = Brand::current(pool).await?;
    let mut tx = pool.begin().await?;
    let claimed =
        sqlx::query!("insert into attendance_weeks (week) values ($1) on conflict do nothing", week)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    let cohorts = sqlx::query!(
        r#"select c.id, c.name, attendance_threshold::float8 as "threshold!", attendance_notices, attendance_digests
             from cohorts c
            where c.status = 'running' and (attendance_notices or attendance_digests)
            order by c.id"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut sent = WeekSent { notices: 0, digests: 0 };
    for cohort in cohorts {
        let (held, students) = rates(&mut tx, cohort.id, None, cohort.threshold).await?;
        let mut under = Vec::new();
        for student in students.iter().filter(|student| student.enrollment_status == EnrollmentStatus::Active)
        {
            let Some(rate) = student.rate else { continue };
            let was_under = sqlx::query_scalar!(
                "select below from attendance_alerts where enrollment_id = $1",
                student.enrollment_id
            )
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(false);
            let told = student.below && !was_under && cohort.attendance_notices;
            if told {
                let person = sqlx::query!(
                    "select email from users where id = $1 and is_active and email is not null",
                    student.student_id
                )
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(email) = person.and_then(|person| person.email) {
                    let composed = AttendanceNotice {
                        brand: &brand,
                        name: &student.full_name,
                        cohort: &cohort.name,
                        rate: percent(rate),
                        threshold: percent(cohort.threshold),
                        attended: student.present + student.late,
                        held,
                        absent: student.absent,
                        excused: student.excused,
                    }
                    .compose();
                    let event = format!("attendance:{week}:{}", student.enrollment_id);
                    sent.notices += u64::from(outbox::enqueue(&mut tx, &composed.to(&email, event)).await?);
                }
            }
            sqlx::query!(
                "insert into attendance_alerts (enrollment_id, below, rate, noticed_at, checked_at)
                 values ($1, $2, $3::float8, case when $4 then now() end, now())
                 on conflict (enrollment_id) do update
                    set below = excluded.below, rate = excluded.rate, checked_at = now(),
                        noticed_at = coalesce(excluded.noticed_at, attendance_alerts.noticed_at)",
                student.enrollment_id,
                student.below,
                rate,
                told
            )
            .execute(&mut *tx)
            .await?;
            if student.below {
                under.push(LowRate {
                    name: student.full_name.clone(),
                    rate: percent(rate),
                    attended: student.present + student.late,
                    absent: student.absent,
                });
            }
        }
        if cohort.attendance_digests && !under.is_empty() {
            let staff: Vec<(i64, String)> = sqlx::query!(
                r#"select u.id, u.email as "email!" from cohort_staff s join users u on u.id = s.instructor_user_id
                    where s.cohort_id = $1 and u.is_active and u.email is not null order by u.id"#,
                cohort.id
            )
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|person| (person.id, person.email))
            .collect();
            let composed = AttendanceDigest {
                brand: &brand,
                cohort: &cohort.name,
                threshold: percent(cohort.threshold),
                held,
                under: &under,
            }
            .compose();
            let event = format!("attendance-digest:{week}:{}", cohort.id);
            sent.digests += outbox::enqueue_each(&mut tx, &composed, &event, &staff).await?;
        }
    }
    sqlx::query!(
        "update attendance_weeks set notices = $2, digests = $3 where week = $1",
        week,
        i32::try_from(sent.notices).unwrap_or(i32::MAX),
        i32::try_from(sent.digests).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(sent))
}

/// A rate as a whole percent, as people read it.
fn percent(rate: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)] // 0 to 100.
    let percent = (rate * 100.0).round() as i64;
    percent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_its_monday() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert_eq!(week_of(day("2026-12-03")), day("2026-11-30"), "a Thursday");
        assert_eq!(week_of(day("2026-11-30")), day("2026-11-30"), "a Monday");
        assert_eq!(week_of(day("2026-12-06")), day("2026-11-30"), "a Sunday");
        assert_eq!(percent(0.666), 67);
    }
}
