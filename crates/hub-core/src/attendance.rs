//! Attendance: a session's roster and its marks. Every mark, given online or pushed later
//! from a device that was offline, goes through one statement: checked (the session still
//! exists, the student is in its cohort and has not dropped — an administrator may still
//! correct a dropped student's marks through `attendance.mark` — and the marker teaches it), kept
//! in history once per client id, and made the record when it is the latest by `marked_at`
//! (ties: the larger client id). A device pulls the records changed since its cursor.

use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::attendance::{
    checked_note, DeviceMark, HistoryEntry, HistoryRequest, Mark, MarkAttendance, PullRequest, Pulled,
    PushMarks, PushOutcome, Pushed, PushedMark, RecordChange, Roster, RosterEntry, SessionInfo,
};
use hub_model::attendance::{OfflinePack, OfflineStudent};
use hub_model::cms::IdRequest;
use hub_model::ops::{
    AttendanceHistory, AttendanceRoster, MarkAttendanceOp, OfflinePackOp, PullMarks, PushMarksOp,
};
use hub_model::programs::CohortDuty;
use hub_model::NoRequest;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The most marks one push may carry.
pub const MAX_BATCH: usize = 5_000;

/// Refuses unless the actor is an administrator or teaches the session's cohort.
async fn require_teaches_session(
    connection: &mut PgConnection,
    actor: &Actor,
    session_id: i64,
) -> Result<i64> {
    let cohort_id = sqlx::query_scalar!("select cohort_id from sessions where id = $1", session_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Error::NotFound(format!("session {session_id}")))?;
    let refusal = "only the cohort's instructors and administrators see its attendance";
    actor.require_staff_of(connection, cohort_id, CohortDuty::Teach, refusal).await?;
    Ok(cohort_id)
}

/// Writes a batch of marks from a device (see the module's comment); the outcome of each,
/// in order.
pub async fn push(
    connection: &mut PgConnection,
    actor: &Actor,
    marks: &[DeviceMark],
) -> Result<Vec<PushedMark>> {
    write_marks(connection, actor, marks, false).await
}

/// [`push`], and with `correcting` (an administrator's correction) also the marks of a
/// student who has dropped out since.
async fn write_marks(
    connection: &mut PgConnection,
    actor: &Actor,
    marks: &[DeviceMark],
    correcting: bool,
) -> Result<Vec<PushedMark>> {
    let me = actor.require_auth()?;
    if marks.len() > MAX_BATCH {
        return Err(Error::validation("marks", format!("send at most {MAX_BATCH} marks at a time")));
    }
    // The same client id twice in one batch: the first counts, the others are duplicates. A
    // mark that cannot be kept (too long a note) is refused alone; the batch goes on.
    let mut seen = HashSet::new();
    let mut unique = Vec::with_capacity(marks.len());
    let mut notes: Vec<Option<String>> = Vec::with_capacity(marks.len());
    let mut outcomes: HashMap<Uuid, PushOutcome> = HashMap::new();
    for mark in marks {
        if !seen.insert(mark.client_id) {
            continue;
        }
        match checked_note(mark.note.as_deref()) {
            Ok(note) => {
                unique.push(mark);
                notes.push(note);
            }
            Err(reason) => {
                outcomes.insert(mark.client_id, PushOutcome::Rejected { reason });
            }
        }
    }
    let column = |get: fn(&DeviceMark) -> i64| unique.iter().map(|mark| get(mark)).collect::<Vec<_>>();
    let client_ids: Vec<Uuid> = unique.iter().map(|mark| mark.client_id).collect();
    let statuses: Vec<&str> = unique.iter().map(|mark| mark.status.as_str()).collect();
    let marked_at: Vec<chrono::DateTime<chrono::Utc>> = unique.iter().map(|mark| mark.marked_at).collect();
    let rows = sqlx::query!(
        r#"with incoming as (
               select * from unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[])
                   with ordinality as t(client_id, session_id, enrollment_id, status, note, marked_at, position)
           ),
           checked as (
               select i.*,
                      case
                          when s.id is null then 'the session was deleted'
                          when e.id is null or e.cohort_id <> s.cohort_id then 'the student is not in this session''s cohort'
                          when e.status = 'dropped' and not $9 then 'the student has dropped out of the cohort'
                          when not ($7 or exists (select 1 from cohort_staff cs
                                                   where cs.cohort_id = s.cohort_id and cs.instructor_user_id = $8))
                              then 'you do not teach this cohort'
                      end as reason
                 from incoming i
                 left join sessions s on s.id = i.session_id
                 left join enrollments e on e.id = i.enrollment_id
           ),
           kept as (
               insert into attendance_history (client_id, session_id, enrollment_id, status, note, marked_by, marked_at)
               select client_id, session_id, enrollment_id, status, note, $8, marked_at from checked where reason is null
               on conflict (client_id) do nothing
               returning client_id, session_id, enrollment_id, status, note, marked_by, marked_at
           ),
           winners as (
               select distinct on (session_id, enrollment_id) *
                 from kept order by session_id, enrollment_id, marked_at desc, client_id desc
           ),
           applied as (
               insert into attendance_records as r (session_id, enrollment_id, status, note, marked_by, marked_at, client_id)
               select session_id, enrollment_id, status, note, marked_by, marked_at, client_id from winners
               on conflict (session_id, enrollment_id) do update
                  set status = excluded.status, note = excluded.note, marked_by = excluded.marked_by,
                      marked_at = excluded.marked_at, client_id = excluded.client_id
                where (excluded.marked_at, excluded.client_id)
                      > (r.marked_at, coalesce(r.client_id, '00000000-0000-0000-0000-000000000000'::uuid))
               returning client_id
           )
           select c.client_id as "client_id!", c.reason, k.client_id is not null as "kept!",
                  a.client_id is not null as "applied!"
             from checked c
             left join kept k on k.client_id = c.client_id
             left join applied a on a.client_id = c.client_id
            order by c.position"#,
        &client_ids,
        &column(|mark| mark.session_id),
        &column(|mark| mark.enrollment_id),
        &statuses as &[&str],
        &notes as &[Option<String>],
        &marked_at,
        me.is_admin,
        me.id,
        correcting
    )
    .fetch_all(&mut *connection)
    .await?;
    outcomes.extend(rows.into_iter().map(|row| {
        let outcome = match (row.reason, row.kept, row.applied) {
            (Some(reason), _, _) => PushOutcome::Rejected { reason },
            (None, true, true) => PushOutcome::Applied,
            (None, true, false) => PushOutcome::Superseded,
            (None, false, _) => PushOutcome::Duplicate,
        };
        (row.client_id, outcome)
    }));
    let mut first = HashSet::new();
    Ok(marks
        .iter()
        .map(|mark| {
            let outcome = if first.insert(mark.client_id) {
                outcomes.remove(&mark.client_id).unwrap_or(PushOutcome::Duplicate)
            } else {
                PushOutcome::Duplicate
            };
            PushedMark { client_id: mark.client_id, outcome }
        })
        .collect())
}

impl Handler for PushMarksOp {
    async fn handle(hub: &Hub, actor: &Actor, request: PushMarks) -> Result<Pushed> {
        let mut tx = hub.pool().begin().await?;
        let marks = push(&mut tx, actor, &request.marks).await?;
        tx.commit().await?;
        Ok(Pushed { marks })
    }
}

async fn roster(connection: &mut PgConnection, session_id: i64) -> Result<Roster> {
    let session = sqlx::query_as!(
        SessionInfo,
        r#"select s.id, s.cohort_id, c.name as cohort_name, s.date, s.starts_at, s.ends_at, s.title
             from sessions s join cohorts c on c.id = s.cohort_id where s.id = $1"#,
        session_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("session {session_id}")))?;
    let students = sqlx::query!(
        r#"select e.id as enrollment_id, e.student_user_id, d.display_name, e.status as enrollment_status,
                  r.status as "status?", r.note as "note?", r.marked_at as "marked_at?", m.display_name as "marked_by?"
             from enrollments e
             join user_directory d on d.user_id = e.student_user_id
             left join attendance_records r on r.session_id = $1 and r.enrollment_id = e.id
             left join user_directory m on m.user_id = r.marked_by
            where e.cohort_id = $2 and (e.status = 'active' or r.session_id is not null)
            order by d.sort_name, e.id"#,
        session_id,
        session.cohort_id
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| RosterEntry {
        enrollment_id: row.enrollment_id,
        student_id: row.student_user_id,
        full_name: row.display_name,
        enrollment_status: row.enrollment_status,
        status: row.status.as_deref().and_then(Mark::parse),
        note: row.note,
        marked_at: row.marked_at,
        marked_by: row.marked_by,
    })
    .collect();
    Ok(Roster { session, students })
}

impl Handler for AttendanceRoster {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Roster> {
        let mut connection = hub.pool().acquire().await?;
        require_teaches_session(&mut connection, actor, request.id).await?;
        roster(&mut connection, request.id).await
    }
}

impl Handler for MarkAttendanceOp {
    async fn handle(hub: &Hub, actor: &Actor, request: MarkAttendance) -> Result<RosterEntry> {
        checked_note(request.note.as_deref()).map_err(|message| Error::validation("note", message))?;
        let mut tx = hub.pool().begin().await?;
        require_teaches_session(&mut tx, actor, request.session_id).await?;
        let mark = DeviceMark {
            client_id: Uuid::new_v4(),
            session_id: request.session_id,
            enrollment_id: request.enrollment_id,
            status: request.status,
            note: request.note,
            marked_at: chrono::Utc::now(),
        };
        let correcting = actor.signed_in().is_some_and(|me| me.is_admin);
        let outcome =
            write_marks(&mut tx, actor, std::slice::from_ref(&mark), correcting).await?.remove(0).outcome;
        if let PushOutcome::Rejected { reason } = outcome {
            return Err(Error::validation("enrollment_id", reason));
        }
        let entry = roster(&mut tx, request.session_id)
            .await?
            .students
            .into_iter()
            .find(|student| student.enrollment_id == request.enrollment_id)
            .ok_or_else(|| Error::validation("enrollment_id", "is not a student of this session"))?;
        tx.commit().await?;
        Ok(entry)
    }
}

impl Handler for AttendanceHistory {
    async fn handle(hub: &Hub, actor: &Actor, request: HistoryRequest) -> Result<Vec<HistoryEntry>> {
        let mut connection = hub.pool().acquire().await?;
        require_teaches_session(&mut connection, actor, request.session_id).await?;
        let rows = sqlx::query!(
            r#"select h.client_id, h.status, h.note, d.display_name as "marked_by?", h.marked_at, h.received_at,
                      (r.client_id is not distinct from h.client_id) as "current!"
                 from attendance_history h
                 left join user_directory d on d.user_id = h.marked_by
                 left join attendance_records r on r.session_id = h.session_id and r.enrollment_id = h.enrollment_id
                where h.session_id = $1 and h.enrollment_id = $2
                order by h.marked_at desc, h.client_id desc"#,
            request.session_id,
            request.enrollment_id
        )
        .fetch_all(&mut *connection)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| HistoryEntry {
                client_id: row.client_id,
                status: Mark::parse(&row.status).unwrap_or(Mark::Present),
                note: row.note,
                marked_by: row.marked_by,
                marked_at: row.marked_at,
                received_at: row.received_at,
                current: row.current,
            })
            .collect())
    }
}

impl Handler for PullMarks {
    async fn handle(hub: &Hub, actor: &Actor, request: PullRequest) -> Result<Pulled> {
        let me = actor.require_auth()?;
        let since: Option<i64> = match request.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(
                cursor
                    .parse()
                    .map_err(|_| Error::validation("cursor", "is not a cursor this server gave"))?,
            ),
        };
        // One snapshot for the cursor and the rows: what commits after it comes next time.
        let mut tx = hub.pool().begin().await?;
        sqlx::query!("set transaction isolation level repeatable read").execute(&mut *tx).await?;
        let cursor =
            sqlx::query_scalar!(r#"select pg_snapshot_xmin(pg_current_snapshot())::text as "cursor!""#)
                .fetch_one(&mut *tx)
                .await?;
        let records = sqlx::query!(
            r#"select r.session_id, r.enrollment_id, r.client_id, r.status, r.note, r.marked_at
                 from attendance_records r
                 join sessions s on s.id = r.session_id
                 join cohort_staff cs on cs.cohort_id = s.cohort_id and cs.instructor_user_id = $1
                where $2::bigint is null or r.changed_xid >= $2::text::xid8
                order by r.session_id, r.enrollment_id"#,
            me.id,
            since
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|row| RecordChange {
            session_id: row.session_id,
            enrollment_id: row.enrollment_id,
            client_id: row.client_id,
            status: Mark::parse(&row.status).unwrap_or(Mark::Present),
            note: row.note,
            marked_at: row.marked_at,
        })
        .collect();
        tx.commit().await?;
        Ok(Pulled { cursor, records })
    }
}

impl Handler for OfflinePackOp {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<OfflinePack> {
        let me = actor.require_auth()?;
        let sessions = sqlx::query_as!(
            SessionInfo,
            r#"select s.id, s.cohort_id, c.name as cohort_name, s.date, s.starts_at, s.ends_at, s.title
                 from sessions s
                 join cohorts c on c.id = s.cohort_id
                 join cohort_staff cs on cs.cohort_id = c.id and cs.instructor_user_id = $1
                where s.date between current_date - 60 and current_date + 60
                order by s.date, s.starts_at nulls first, s.id"#,
            me.id
        )
        .fetch_all(hub.pool())
        .await?;
        let students = sqlx::query_as!(
            OfflineStudent,
            r#"select e.id as enrollment_id, e.cohort_id, e.student_user_id as student_id, d.display_name as full_name
                 from enrollments e
                 join cohort_staff cs on cs.cohort_id = e.cohort_id and cs.instructor_user_id = $1
                 join user_directory d on d.user_id = e.student_user_id
                where e.status = 'active'
                order by e.cohort_id, d.sort_name, e.id"#,
            me.id
        )
        .fetch_all(hub.pool())
        .await?;
        Ok(OfflinePack { sessions, students })
    }
}
