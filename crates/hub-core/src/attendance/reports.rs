//! Attendance reports: a cohort's students by rate ((present + late) / sessions held, late
//! counted apart), one student's record session by session, a session's roster, and each
//! as CSV. Admins and the cohort's instructors see them all; a student sees their own.

use crate::ops::Handler;
use crate::text::csv_text;
use crate::{Actor, Error, Hub, Result};
use chrono::NaiveDate;
use hub_model::attendance::{
    AttendanceOverview, CohortIdRequest, CohortReport, CohortReportRequest, CohortWeek, CsvFile, CsvReport,
    EnrollmentRequest, Mark, SessionSummary, StudentRate, StudentReport, StudentSessionMark, WeekRate,
};
use hub_model::ops::{
    AttendanceThisWeek, ExportCsv, MyAttendance, ReportCohort, ReportSessions, ReportStudent,
};
use hub_model::programs::{CohortDuty, EnrollmentStatus};
use hub_model::NoRequest;
use sqlx::PgConnection;
use std::collections::HashMap;

const DEFAULT_THRESHOLD: f64 = 0.8;

/// Refuses unless the actor is an administrator or teaches the cohort.
async fn require_sees_cohort(connection: &mut PgConnection, actor: &Actor, cohort_id: i64) -> Result<()> {
    let refusal = "only administrators and the cohort's instructors see its attendance";
    actor.require_staff_of(connection, cohort_id, CohortDuty::Teach, refusal).await.map(drop)
}

/// The rates of a cohort's students (or of one enrollment), over the sessions held so far.
pub(super) async fn rates(
    connection: &mut PgConnection,
    cohort_id: i64,
    enrollment_id: Option<i64>,
    threshold: f64,
) -> Result<(i64, Vec<StudentRate>)> {
    let held = sqlx::query_scalar!(
        r#"select count(*) as "n!" from sessions where cohort_id = $1 and date <= hub_today()"#,
        cohort_id
    )
    .fetch_one(&mut *connection)
    .await?;
    let rows = sqlx::query!(
        r#"select e.id as enrollment_id, e.student_user_id, d.display_name, e.status as enrollment_status,
                  count(*) filter (where r.status = 'present') as "present!",
                  count(*) filter (where r.status = 'late') as "late!",
                  count(*) filter (where r.status = 'absent') as "absent!",
                  count(*) filter (where r.status = 'excused') as "excused!"
             from enrollments e
             join user_directory d on d.user_id = e.student_user_id
             left join attendance_records r on r.enrollment_id = e.id
                  and r.session_id in (select id from sessions where cohort_id = $1 and date <= hub_today())
            where e.cohort_id = $1 and e.status <> 'dropped' and ($2::bigint is null or e.id = $2)
            group by e.id, e.student_user_id, d.display_name, d.sort_name, e.status
            order by d.sort_name, e.id"#,
        cohort_id,
        enrollment_id
    )
    .fetch_all(&mut *connection)
    .await?;
    let students = rows
        .into_iter()
        .map(|row| {
            #[allow(clippy::cast_precision_loss)] // Counts of sessions: far below 2^52.
            let rate = (held > 0).then(|| (row.present + row.late) as f64 / held as f64);
            let enrollment_status: EnrollmentStatus = row.enrollment_status.parse()?;
            Ok(StudentRate {
                enrollment_id: row.enrollment_id,
                student_id: row.student_user_id,
                full_name: row.display_name,
                present: row.present,
                late: row.late,
                absent: row.absent,
                excused: row.excused,
                rate,
                below: enrollment_status != EnrollmentStatus::Paused
                    && rate.is_some_and(|rate| rate < threshold),
                enrollment_status,
                weekly: Vec::new(),
                last_absences: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut students = students;
    trends(connection, cohort_id, enrollment_id, &mut students).await?;
    Ok((held, students))
}

/// Gives each student their rate in each of the last eight weeks with a session held, and
/// those under the threshold their last three absences.
async fn trends(
    connection: &mut PgConnection,
    cohort_id: i64,
    enrollment_id: Option<i64>,
    students: &mut [StudentRate],
) -> Result<()> {
    const WEEKS: i64 = 8;
    let weeks = sqlx::query!(
        r#"select date_trunc('week', date)::date as "week!", count(*) as "held!"
             from sessions where cohort_id = $1 and date <= hub_today()
            group by 1 order by 1 desc limit $2"#,
        cohort_id,
        WEEKS
    )
    .fetch_all(&mut *connection)
    .await?;
    let Some(first) = weeks.last().map(|week| week.week) else {
        return Ok(());
    };
    let attended: HashMap<(i64, NaiveDate), i64> = sqlx::query!(
        r#"select r.enrollment_id, date_trunc('week', s.date)::date as "week!",
                  count(*) filter (where r.status in ('present', 'late')) as "attended!"
             from sessions s
             join attendance_records r on r.session_id = s.id
            where s.cohort_id = $1 and s.date between $2 and hub_today()
              and ($3::bigint is null or r.enrollment_id = $3)
            group by 1, 2"#,
        cohort_id,
        first,
        enrollment_id
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| ((row.enrollment_id, row.week), row.attended))
    .collect();
    for student in students.iter_mut() {
        student.weekly = weeks
            .iter()
            .rev()
            .map(|week| {
                let came = attended.get(&(student.enrollment_id, week.week)).copied().unwrap_or(0);
                #[allow(clippy::cast_precision_loss)] // Counts of sessions in a week.
                let rate = came as f64 / week.held.max(1) as f64;
                WeekRate { week: week.week, rate }
            })
            .collect();
    }
    let below: Vec<i64> =
        students.iter().filter(|student| student.below).map(|student| student.enrollment_id).collect();
    if below.is_empty() {
        return Ok(());
    }
    let mut absences: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for row in sqlx::query!(
        r#"select enrollment_id as "enrollment_id!", date as "date!" from (
               select r.enrollment_id, s.date,
                      row_number() over (partition by r.enrollment_id order by s.date desc, s.id desc) as n
                 from attendance_records r join sessions s on s.id = r.session_id
                where r.enrollment_id = any($1) and r.status = 'absent' and s.date <= hub_today()) t
            where n <= 3
            order by enrollment_id, date desc"#,
        &below
    )
    .fetch_all(&mut *connection)
    .await?
    {
        absences.entry(row.enrollment_id).or_default().push(row.date);
    }
    for student in students.iter_mut() {
        if let Some(dates) = absences.remove(&student.enrollment_id) {
            student.last_absences = dates;
        }
    }
    Ok(())
}

impl Handler for AttendanceThisWeek {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<AttendanceOverview> {
        actor.require_admin()?;
        let mut connection = hub.pool().acquire().await?;
        let week = sqlx::query_scalar!(r#"select date_trunc('week', hub_today())::date as "week!""#)
            .fetch_one(&mut *connection)
            .await?;
        let cohorts = sqlx::query!(
            r#"with running as (
                   select c.id, c.name, p.title, c.attendance_threshold::float8 as threshold
                     from cohorts c join programs p on p.id = c.program_id
                    where c.status = 'running'
               ),
               held as (
                   select s.cohort_id, count(*) as held,
                          count(*) filter (where s.date >= $1) as this_week
                     from sessions s join running on running.id = s.cohort_id
                    where s.date <= hub_today()
                    group by s.cohort_id
               ),
               students as (
                   select e.cohort_id, e.id,
                          count(r.*) filter (where r.status in ('present', 'late')) as attended
                     from enrollments e
                     join running on running.id = e.cohort_id
                     left join attendance_records r on r.enrollment_id = e.id
                          and r.session_id in (select id from sessions where cohort_id = e.cohort_id
                                                                         and date <= hub_today())
                    where e.status = 'active'
                    group by e.cohort_id, e.id
               ),
               this_week as (
                   select s.cohort_id,
                          count(*) filter (where r.status = 'present') as present,
                          count(*) filter (where r.status = 'late') as late,
                          count(*) filter (where r.status = 'absent') as absent,
                          count(*) filter (where r.status = 'excused') as excused,
                          count(*) filter (where e.status = 'active') as marked_active
                     from sessions s
                     join running on running.id = s.cohort_id
                     join attendance_records r on r.session_id = s.id
                     join enrollments e on e.id = r.enrollment_id
                    where s.date between $1 and hub_today()
                    group by s.cohort_id
               )
               select running.id as "cohort_id!", running.name as "cohort_name!", running.title as "program_title!",
                      running.threshold as "threshold!",
                      coalesce(w.present, 0) as "present!", coalesce(w.late, 0) as "late!",
                      coalesce(w.absent, 0) as "absent!", coalesce(w.excused, 0) as "excused!",
                      coalesce(w.marked_active, 0) as "marked_active!",
                      coalesce(h.this_week, 0) as "sessions_this_week!",
                      (select count(*) from students st where st.cohort_id = running.id) as "active_students!",
                      (select count(*) from students st
                        where st.cohort_id = running.id and coalesce(h.held, 0) > 0
                          and st.attended::float8 / h.held < running.threshold) as "students_below!"
                 from running
                 left join held h on h.cohort_id = running.id
                 left join this_week w on w.cohort_id = running.id"#,
            week
        )
        .fetch_all(&mut *connection)
        .await?;
        let mut cohorts: Vec<CohortWeek> = cohorts
            .into_iter()
            .map(|row| CohortWeek {
                cohort_id: row.cohort_id,
                cohort_name: row.cohort_name,
                program_title: row.program_title,
                present: row.present,
                late: row.late,
                absent: row.absent,
                excused: row.excused,
                unmarked: (row.sessions_this_week * row.active_students - row.marked_active).max(0),
                sessions_this_week: row.sessions_this_week,
                active_students: row.active_students,
                students_below: row.students_below,
                threshold: row.threshold,
            })
            .collect();
        cohorts.sort_by(|a, b| {
            b.students_below.cmp(&a.students_below).then_with(|| a.cohort_name.cmp(&b.cohort_name))
        });
        Ok(AttendanceOverview { week, cohorts })
    }
}

async fn cohort_report(
    connection: &mut PgConnection,
    cohort_id: i64,
    threshold: f64,
) -> Result<CohortReport> {
    let cohort_name = sqlx::query_scalar!("select name from cohorts where id = $1", cohort_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Error::NotFound(format!("cohort {cohort_id}")))?;
    let (sessions_held, students) = rates(connection, cohort_id, None, threshold).await?;
    Ok(CohortReport { cohort_id, cohort_name, sessions_held, threshold, students })
}

impl Handler for ReportCohort {
    async fn handle(hub: &Hub, actor: &Actor, request: CohortReportRequest) -> Result<CohortReport> {
        let mut connection = hub.pool().acquire().await?;
        require_sees_cohort(&mut connection, actor, request.cohort_id).await?;
        let threshold = threshold_of(&mut connection, request.cohort_id, request.threshold).await?;
        cohort_report(&mut connection, request.cohort_id, threshold).await
    }
}

/// The rate under which a student is highlighted: given, between 0 and 1, or 0.8.
/// The threshold asked for, or else the cohort's own (`attendance.set_cohort_mail`).
async fn threshold_of(connection: &mut PgConnection, cohort_id: i64, asked: Option<f64>) -> Result<f64> {
    match asked {
        Some(threshold) => checked_threshold(threshold),
        None => Ok(sqlx::query_scalar!(
            r#"select attendance_threshold::float8 as "threshold!" from cohorts where id = $1"#,
            cohort_id
        )
        .fetch_optional(connection)
        .await?
        .unwrap_or(DEFAULT_THRESHOLD)),
    }
}

fn checked_threshold(threshold: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&threshold) {
        Ok(threshold)
    } else {
        Err(Error::validation("threshold", "must be between 0 and 1"))
    }
}

impl Handler for ReportSessions {
    async fn handle(hub: &Hub, actor: &Actor, request: CohortIdRequest) -> Result<Vec<SessionSummary>> {
        let mut connection = hub.pool().acquire().await?;
        require_sees_cohort(&mut connection, actor, request.cohort_id).await?;
        Ok(sqlx::query_as!(
            SessionSummary,
            r#"select s.id as session_id, s.date, s.title,
                      count(r.*) filter (where r.status = 'present') as "present!",
                      count(r.*) filter (where r.status = 'late') as "late!",
                      count(r.*) filter (where r.status = 'absent') as "absent!",
                      count(r.*) filter (where r.status = 'excused') as "excused!",
                      (select count(*) from enrollments e
                        where e.cohort_id = s.cohort_id and e.status = 'active'
                          and not exists (select 1 from attendance_records m
                                           where m.session_id = s.id and m.enrollment_id = e.id)) as "unmarked!"
                 from sessions s
                 left join attendance_records r on r.session_id = s.id
                where s.cohort_id = $1 and s.date <= hub_today()
                group by s.id
                order by s.date desc, s.starts_at nulls first, s.id desc"#,
            request.cohort_id
        )
        .fetch_all(&mut *connection)
        .await?)
    }
}

async fn student_report(connection: &mut PgConnection, enrollment_id: i64) -> Result<StudentReport> {
    let enrollment = sqlx::query!(
        "select e.cohort_id, c.name from enrollments e join cohorts c on c.id = e.cohort_id where e.id = $1",
        enrollment_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("enrollment {enrollment_id}")))?;
    let threshold = threshold_of(connection, enrollment.cohort_id, None).await?;
    let (_, mut found) = rates(connection, enrollment.cohort_id, Some(enrollment_id), threshold).await?;
    let rate = found.pop().ok_or_else(|| Error::NotFound(format!("enrollment {enrollment_id} (dropped)")))?;
    let sessions = sqlx::query!(
        r#"select s.id, s.date, s.title, r.status as "status?", r.note as "note?"
             from sessions s
             left join attendance_records r on r.session_id = s.id and r.enrollment_id = $2
            where s.cohort_id = $1 and s.date <= hub_today()
            order by s.date desc, s.starts_at nulls first, s.id"#,
        enrollment.cohort_id,
        enrollment_id
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| StudentSessionMark {
        session_id: row.id,
        date: row.date,
        title: row.title,
        status: row.status.as_deref().and_then(Mark::parse),
        note: row.note,
    })
    .collect();
    Ok(StudentReport { cohort_id: enrollment.cohort_id, cohort_name: enrollment.name, rate, sessions })
}

/// The cohort of an enrollment, once the actor may see it: staff of the cohort, or the student.
async fn require_sees_enrollment(
    connection: &mut PgConnection,
    actor: &Actor,
    enrollment_id: i64,
) -> Result<()> {
    let me = actor.require_auth()?;
    let enrollment =
        sqlx::query!("select cohort_id, student_user_id from enrollments where id = $1", enrollment_id)
            .fetch_optional(&mut *connection)
            .await?
            .ok_or_else(|| Error::NotFound(format!("enrollment {enrollment_id}")))?;
    if enrollment.student_user_id == me.id {
        return Ok(());
    }
    require_sees_cohort(connection, actor, enrollment.cohort_id).await
}

impl Handler for ReportStudent {
    async fn handle(hub: &Hub, actor: &Actor, request: EnrollmentRequest) -> Result<StudentReport> {
        let mut connection = hub.pool().acquire().await?;
        require_sees_enrollment(&mut connection, actor, request.enrollment_id).await?;
        student_report(&mut connection, request.enrollment_id).await
    }
}

impl Handler for MyAttendance {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<StudentReport>> {
        let me = actor.require_auth()?;
        let mut connection = hub.pool().acquire().await?;
        let enrollments = sqlx::query_scalar!(
            "select e.id from enrollments e join cohorts c on c.id = e.cohort_id
              where e.student_user_id = $1 and e.status <> 'dropped' order by c.start_date desc nulls last, e.id",
            me.id
        )
        .fetch_all(&mut *connection)
        .await?;
        let mut reports = Vec::with_capacity(enrollments.len());
        for enrollment in enrollments {
            reports.push(student_report(&mut connection, enrollment).await?);
        }
        Ok(reports)
    }
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map(|rate| format!("{:.1}", rate * 100.0)).unwrap_or_default()
}

impl Handler for ExportCsv {
    async fn handle(hub: &Hub, actor: &Actor, request: CsvReport) -> Result<CsvFile> {
        let mut connection = hub.pool().acquire().await?;
        match request {
            CsvReport::Cohort { cohort_id, threshold } => {
                require_sees_cohort(&mut connection, actor, cohort_id).await?;
                let threshold = threshold_of(&mut connection, cohort_id, threshold).await?;
                let report = cohort_report(&mut connection, cohort_id, threshold).await?;
                let held = report.sessions_held.to_string();
                let content = csv_text(
                    &[
                        "student",
                        "enrollment",
                        "present",
                        "late",
                        "absent",
                        "excused",
                        "sessions held",
                        "rate %",
                        "below threshold",
                    ],
                    report.students.iter().map(|student| {
                        vec![
                            student.full_name.clone(),
                            student.enrollment_status.as_str().to_owned(),
                            student.present.to_string(),
                            student.late.to_string(),
                            student.absent.to_string(),
                            student.excused.to_string(),
                            held.clone(),
                            rate_text(student.rate),
                            if student.below { "yes" } else { "no" }.to_owned(),
                        ]
                    }),
                )?;
                Ok(CsvFile {
                    filename: format!("attendance-{}.csv", crate::text::file_part(&report.cohort_name)),
                    content,
                })
            }
            CsvReport::Student { enrollment_id } => {
                require_sees_enrollment(&mut connection, actor, enrollment_id).await?;
                let report = student_report(&mut connection, enrollment_id).await?;
                let content = csv_text(
                    &["date", "session", "mark", "note"],
                    report.sessions.iter().map(|session| {
                        vec![
                            session.date.to_string(),
                            session.title.clone(),
                            session.status.map(|mark| mark.as_str().to_owned()).unwrap_or_default(),
                            session.note.clone().unwrap_or_default(),
                        ]
                    }),
                )?;
                let name = format!(
                    "attendance-{}-{}.csv",
                    crate::text::file_part(&report.rate.full_name),
                    crate::text::file_part(&report.cohort_name)
                );
                Ok(CsvFile { filename: name, content })
            }
            CsvReport::Session { session_id } => {
                let session = sqlx::query!(
                    "select s.cohort_id, s.date, s.title from sessions s where s.id = $1",
                    session_id
                )
                .fetch_optional(&mut *connection)
                .await?
                .ok_or_else(|| Error::NotFound(format!("session {session_id}")))?;
                require_sees_cohort(&mut connection, actor, session.cohort_id).await?;
                let rows = sqlx::query!(
                    r#"select d.display_name, r.status as "status?", r.note as "note?", m.display_name as "marked_by?",
                              r.marked_at as "marked_at?"
                         from enrollments e
                         join user_directory d on d.user_id = e.student_user_id
                         left join attendance_records r on r.session_id = $1 and r.enrollment_id = e.id
                         left join user_directory m on m.user_id = r.marked_by
                        where e.cohort_id = $2 and e.status <> 'dropped'
                        order by d.sort_name, e.id"#,
                    session_id,
                    session.cohort_id
                )
                .fetch_all(&mut *connection)
                .await?;
                let content = csv_text(
                    &["student", "mark", "note", "marked by", "marked at"],
                    rows.into_iter().map(|row| {
                        vec![
                            row.display_name,
                            row.status.unwrap_or_default(),
                            row.note.unwrap_or_default(),
                            row.marked_by.unwrap_or_default(),
                            row.marked_at.map(|at| at.to_rfc3339()).unwrap_or_default(),
                        ]
                    }),
                )?;
                Ok(CsvFile {
                    filename: format!(
                        "attendance-{}-{}.csv",
                        session.date,
                        crate::text::file_part(&session.title)
                    ),
                    content,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_a_spreadsheet_would_run_is_written_as_text() {
        let csv = csv_text(
            &["student", "note"],
            [
                vec!["=HYPERLINK(\"http://evil.example\",\"Open\")".to_owned(), "+1 555".to_owned()],
                vec!["-2+3".to_owned(), "@SUM(A1)".to_owned()],
                vec!["\tTabbed".to_owned(), "\r=1".to_owned()],
                vec!["Maya Khoury".to_owned(), "late: bus 3 = slow".to_owned()],
            ],
        )
        .unwrap();
        let cells: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            cells,
            [
                ["'=HYPERLINK(\"http://evil.example\",\"Open\")", "'+1 555"],
                ["'-2+3", "'@SUM(A1)"],
                ["'\tTabbed", "'\r=1"],
                ["Maya Khoury", "late: bus 3 = slow"],
            ]
        );
    }
}
