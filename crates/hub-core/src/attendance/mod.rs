//! Attendance: a session's roster and its marks. Every mark, given online or pushed later
//! from a device that was offline, goes through one statement: checked (the session still
//! exists, the student is in its cohort and has not dropped — an administrator may still
//! correct a dropped student's marks through `attendance.mark` — and the marker teaches it), kept
//! in history once per client id, and made the record when it is the latest by `marked_at`
//! (ties: the larger client id). A device pulls the records changed since its cursor.

pub mod notices;
mod reports;

use crate::ops::Handler;
use crate::sessions::{require_teaches_session, session_info};
use crate::{Actor, Error, Hub, Result};
use hub_model::attendance::{
    checked_note, DeviceMark, HistoryEntry, HistoryRequest, MarkAttendanceRequest, PullRequest, Pulled,
    PushMarksRequest, PushOutcome, Pushed, PushedMark, RecordChange, Roster, RosterEntry, SessionInfo,
};
use hub_model::attendance::{OfflinePack, OfflineStudent};
use hub_model::cms::IdRequest;
use hub_model::ops::{
    AttendanceHistory, AttendanceRoster, GetOfflinePack, MarkAttendance, PullMarks, PushMarks,
};
use hub_model::NoRequest;
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The most marks one push may carry.
pub const MAX_BATCH: usize = 5_000;

/// How far ahead of the server's clock a device's may be and its marks still keep their own
/// time; and how long after an administrator's correction a device's mark cannot replace it.
pub const CLOCK_SKEW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Writes a batch of marks from a device (see the module's comment); the outcome of each,
/// in order.
pub async fn push(
    connection: &mut PgConnection,
    actor: &Actor,
    marks: &[DeviceMark],
) -> Result<Vec<PushedMark>> {
    write_marks(connection, actor, marks, Marking::Device).await
}

/// Writes marks an administrator imported (see `crate::import`): as corrections, each the
/// record whatever the marks before it say, kept in history like any other. At most
/// [`MAX_BATCH`] at a time.
pub(crate) async fn import(
    connection: &mut PgConnection,
    actor: &Actor,
    marks: &[DeviceMark],
) -> Result<Vec<PushedMark>> {
    write_marks(connection, actor, marks, Marking::Correction).await
}

/// Who marks, for the rules that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marking {
    /// A device's batch, or an instructor online: the latest mark is the record.
    Device,
    /// An administrator who teaches the cohort, online: as an instructor, and a student who
    /// has dropped out since may still be marked.
    AdminTeaching,
    /// An administrator correcting a cohort they do not teach: also the record whatever the
    /// marks before it say.
    Correction,
}

/// [`push`], with the rules of `marking`.
///
/// A mark's time is the device's when it falls between the day before its session and
/// [`CLOCK_SKEW`] past the server's clock; otherwise the server's receipt time, with the
/// device's kept in history (a clock set to 9999 would win every later correction).
async fn write_marks(
    connection: &mut PgConnection,
    actor: &Actor,
    marks: &[DeviceMark],
    marking: Marking,
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
                      -- A device's clock is trusted between the day before the session and
                      -- the server's now plus a little skew; outside, the receipt time is used.
                      (s.id is not null and (i.marked_at < (s.date - 1)::timestamptz
                                             or i.marked_at > now() + make_interval(secs => $10))) as off_clock,
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
               insert into attendance_history (client_id, session_id, enrollment_id, status, note, marked_by, marked_at,
                                               device_marked_at)
               select client_id, session_id, enrollment_id, status, note, $8,
                      -- The batch's order stands in for the device's clock: a mark made later on
                      -- it is later here too.
                      case when off_clock then now() + make_interval(secs => position::float8 / 1e6) else marked_at end,
                      case when off_clock then marked_at end
                 from checked where reason is null
               on conflict (client_id) do nothing
               returning client_id, session_id, enrollment_id, status, note, marked_by, marked_at
           ),
           winners as (
               select distinct on (session_id, enrollment_id) *
                 from kept order by session_id, enrollment_id, marked_at desc, client_id desc
           ),
           applied as (
               insert into attendance_records as r (session_id, enrollment_id, status, note, marked_by, marked_at, client_id,
                                                    corrected_at)
               select session_id, enrollment_id, status, note, marked_by, marked_at, client_id,
                      case when $11 then now() end
                 from winners
               on conflict (session_id, enrollment_id) do update
                  set status = excluded.status, note = excluded.note, marked_by = excluded.marked_by,
                      marked_at = excluded.marked_at, client_id = excluded.client_id,
                      corrected_at = excluded.corrected_at, self_checkin = false
                -- An administrator's correction always wins; a device's mark wins by its time,
                -- and over a correction only when made clearly after it.
                -- A student's self check-in gives way to any staff mark, whenever it was made.
                where $11 or r.self_checkin
                   or ((excluded.marked_at, excluded.client_id)
                       > (r.marked_at, coalesce(r.client_id, '00000000-0000-0000-0000-000000000000'::uuid))
                       and (r.corrected_at is null
                            or excluded.marked_at > r.corrected_at + make_interval(secs => $10)))
               returning client_id
           )
           select c.client_id as "client_id!", c.reason, k.client_id is not null as "kept!",
                  a.client_id is not null as "applied!",
                  -- A mark sent again: the record still, or beaten since it was first kept.
                  exists (select 1 from attendance_records r
                           where r.session_id = c.session_id and r.enrollment_id = c.enrollment_id
                             and r.client_id = c.client_id) as "was_record!"
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
        marking != Marking::Device,
        CLOCK_SKEW.as_secs_f64(),
        marking == Marking::Correction
    )
    .fetch_all(&mut *connection)
    .await?;
    outcomes.extend(rows.into_iter().map(|row| {
        let outcome = match (row.reason, row.kept, row.applied, row.was_record) {
            (Some(reason), ..) => PushOutcome::Rejected { reason },
            (None, true, true, _) => PushOutcome::Applied,
            (None, false, _, true) => PushOutcome::Duplicate,
            // Kept now or before, and not the record: a device that never heard the first
            // answer (killed before its acknowledgement) hears it now.
            (None, true, false, _) | (None, false, _, false) => PushOutcome::Superseded { record: None },
        };
        (row.client_id, outcome)
    }));
    attach_records(connection, &unique, &mut outcomes).await?;
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

/// A record as read from `attendance_records`, for a device.
struct RecordRow {
    session_id: i64,
    enrollment_id: i64,
    client_id: Option<Uuid>,
    status: String,
    note: Option<String>,
    marked_at: chrono::DateTime<chrono::Utc>,
}

impl TryFrom<RecordRow> for RecordChange {
    type Error = Error;

    fn try_from(row: RecordRow) -> Result<Self> {
        Ok(Self {
            session_id: row.session_id,
            enrollment_id: row.enrollment_id,
            client_id: row.client_id,
            status: row.status.parse()?,
            note: row.note,
            marked_at: row.marked_at,
        })
    }
}

/// Gives each superseded mark the record that beat it, as it stands after the batch.
async fn attach_records(
    connection: &mut PgConnection,
    marks: &[&DeviceMark],
    outcomes: &mut HashMap<Uuid, PushOutcome>,
) -> Result<()> {
    let beaten: Vec<&DeviceMark> = marks
        .iter()
        .copied()
        .filter(|mark| matches!(outcomes.get(&mark.client_id), Some(PushOutcome::Superseded { .. })))
        .collect();
    if beaten.is_empty() {
        return Ok(());
    }
    let sessions: Vec<i64> = beaten.iter().map(|mark| mark.session_id).collect();
    let enrollments: Vec<i64> = beaten.iter().map(|mark| mark.enrollment_id).collect();
    let records: HashMap<(i64, i64), RecordChange> = sqlx::query_as!(
        RecordRow,
        r#"select r.session_id, r.enrollment_id, r.client_id, r.status, r.note, r.marked_at
             from attendance_records r
             join unnest($1::bigint[], $2::bigint[]) as beaten(session_id, enrollment_id)
                  using (session_id, enrollment_id)"#,
        &sessions,
        &enrollments
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|row| Ok(((row.session_id, row.enrollment_id), row.try_into()?)))
    .collect::<Result<_>>()?;
    for mark in beaten {
        if let Some(PushOutcome::Superseded { record }) = outcomes.get_mut(&mark.client_id) {
            *record = records.get(&(mark.session_id, mark.enrollment_id)).cloned();
        }
    }
    Ok(())
}

impl Handler for PushMarks {
    async fn handle(hub: &Hub, actor: &Actor, request: PushMarksRequest) -> Result<Pushed> {
        let mut tx = hub.begin().await?;
        let marks = push(&mut tx, actor, &request.marks).await?;
        tx.commit().await?;
        Ok(Pushed { marks })
    }
}

async fn roster(connection: &mut PgConnection, session_id: i64) -> Result<Roster> {
    let session = session_info(connection, session_id).await?;
    let students = sqlx::query!(
        r#"select e.id as enrollment_id, e.student_user_id, d.display_name, user_avatar(e.student_user_id) as avatar_url,
                  e.status as enrollment_status,
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
    .map(|row| {
        Ok(RosterEntry {
        enrollment_id: row.enrollment_id,
        student_id: row.student_user_id,
        full_name: row.display_name,
        avatar_url: row.avatar_url,
        enrollment_status: row.enrollment_status.parse()?,
        status: row.status.as_deref().map(str::parse).transpose()?,
        note: row.note,
        marked_at: row.marked_at,
        marked_by: row.marked_by,
        })
    })
    .collect::<Result<_>>()?;
    Ok(Roster { session, students })
}

impl Handler for AttendanceRoster {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Roster> {
        let mut connection = hub.pool().acquire().await?;
        require_teaches_session(&mut connection, actor, request.id).await?;
        roster(&mut connection, request.id).await
    }
}

impl Handler for MarkAttendance {
    async fn handle(hub: &Hub, actor: &Actor, request: MarkAttendanceRequest) -> Result<RosterEntry> {
        checked_note(request.note.as_deref()).map_err(|message| Error::validation("note", message))?;
        let mut tx = hub.begin().await?;
        let cohort_id = require_teaches_session(&mut tx, actor, request.session_id).await?;
        let mark = DeviceMark {
            client_id: Uuid::new_v4(),
            session_id: request.session_id,
            enrollment_id: request.enrollment_id,
            status: request.status,
            note: request.note,
            marked_at: chrono::Utc::now(),
        };
        // An administrator marking a cohort they do not teach corrects its attendance; one
        // who also teaches it marks as its instructors do (the latest mark is the record).
        let marking = match actor.signed_in() {
            Some(me) if me.is_admin => match sqlx::query_scalar!(
                r#"select exists(select 1 from cohort_staff where cohort_id = $1 and instructor_user_id = $2)
                          as "teaches!""#,
                cohort_id,
                me.id
            )
            .fetch_one(&mut *tx)
            .await?
            {
                true => Marking::AdminTeaching,
                false => Marking::Correction,
            },
            _ => Marking::Device,
        };
        let outcome =
            write_marks(&mut tx, actor, std::slice::from_ref(&mark), marking).await?.remove(0).outcome;
        match outcome {
            PushOutcome::Rejected { reason } => return Err(Error::validation("enrollment_id", reason)),
            // Told, not silently kept under another mark: the record is newer, or an
            // administrator's correction. Nothing is written.
            PushOutcome::Superseded { .. } => {
                let record = sqlx::query!(
                    r#"select r.status, d.display_name as "marked_by?" from attendance_records r
                         left join user_directory d on d.user_id = r.marked_by
                        where r.session_id = $1 and r.enrollment_id = $2"#,
                    request.session_id,
                    request.enrollment_id
                )
                .fetch_one(&mut *tx)
                .await?;
                let by = record.marked_by.unwrap_or_else(|| "someone".to_owned());
                return Err(Error::Conflict(format!(
                    "a later mark is the record for this student: {} by {by}; your mark was not kept",
                    record.status
                )));
            }
            PushOutcome::Applied | PushOutcome::Duplicate => {}
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
                      h.device_marked_at,
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
        rows.into_iter()
            .map(|row| {
                Ok(HistoryEntry {
                    client_id: row.client_id,
                    status: row.status.parse()?,
                    note: row.note,
                    marked_by: row.marked_by,
                    marked_at: row.marked_at,
                    received_at: row.received_at,
                    device_marked_at: row.device_marked_at,
                    current: row.current,
                })
            })
            .collect()
    }
}

/// Where a device's last pull left it: the snapshot that pull read (`xmin:xmax:xip,…`), or,
/// from a server before this one, the snapshot's xmin alone.
enum Cursor {
    Xmin(String),
    Snapshot(String),
}

impl Cursor {
    /// Checked here as PostgreSQL would (`xmin ≤ xmax`, each running id in `[xmin, xmax)`, in
    /// order), so a forged cursor is a 400 naming the field, never a database error.
    fn parse(text: &str) -> Result<Self> {
        let refused = || Error::validation("cursor", "is not a cursor this server gave");
        let number = |part: &str| -> Result<u64> {
            if part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(refused());
            }
            part.parse().map_err(|_| refused())
        };
        let parts: Vec<&str> = text.split(':').collect();
        match parts.as_slice() {
            [xmin] => number(xmin).map(|_| Self::Xmin(text.to_owned())),
            [xmin, xmax, running] if text.len() <= 100_000 => {
                let (xmin, xmax) = (number(xmin)?, number(xmax)?);
                let mut last = xmin;
                for id in running.split(',').filter(|id| !id.is_empty()) {
                    let id = number(id)?;
                    if id < last || id >= xmax {
                        return Err(refused());
                    }
                    last = id;
                }
                if xmin > xmax || (running.ends_with(',') || running.starts_with(',')) {
                    return Err(refused());
                }
                Ok(Self::Snapshot(text.to_owned()))
            }
            _ => Err(refused()),
        }
    }
}

impl Handler for PullMarks {
    async fn handle(hub: &Hub, actor: &Actor, request: PullRequest) -> Result<Pulled> {
        let me = actor.require_auth()?;
        let since = match request.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(Cursor::parse(cursor)?),
        };
        // One snapshot for the cursor and the rows: what commits after it comes next time.
        // Reads only (no audit trail to tell), and the isolation level must come first.
        let mut tx = hub.pool().begin().await?;
        sqlx::query!("set transaction isolation level repeatable read").execute(&mut *tx).await?;
        let cursor = sqlx::query_scalar!(r#"select pg_current_snapshot()::text as "cursor!""#)
            .fetch_one(&mut *tx)
            .await?;
        // Changed since = not visible to the last pull's snapshot. (A bare xmin, as earlier
        // servers gave, also sends again whatever committed while the oldest transaction
        // running anywhere in the cluster was open.)
        let (from_xid, snapshot) = match since {
            None => (None, None),
            Some(Cursor::Xmin(xmin)) => (Some(xmin), None),
            Some(Cursor::Snapshot(snapshot)) => (None, Some(snapshot)),
        };
        let records = sqlx::query_as!(
            RecordRow,
            r#"select r.session_id, r.enrollment_id, r.client_id, r.status, r.note, r.marked_at
                 from attendance_records r
                 join sessions s on s.id = r.session_id
                 join cohort_staff cs on cs.cohort_id = s.cohort_id and cs.instructor_user_id = $1
                where ($2::text is null or r.changed_xid >= $2::text::xid8)
                  and ($3::text is null
                       or (r.changed_xid >= pg_snapshot_xmin($3::text::pg_snapshot)
                           and not pg_visible_in_snapshot(r.changed_xid, $3::text::pg_snapshot)))
                order by r.session_id, r.enrollment_id"#,
            me.id,
            from_xid,
            snapshot
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(RecordChange::try_from)
        .collect::<Result<_>>()?;
        tx.commit().await?;
        Ok(Pulled { cursor, records })
    }
}

impl Handler for GetOfflinePack {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<OfflinePack> {
        let me = actor.require_auth()?;
        let sessions = sqlx::query_as!(
            SessionInfo,
            r#"select s.id, s.cohort_id, c.name as cohort_name, s.date, s.starts_at, s.ends_at, s.title
                 from sessions s
                 join cohorts c on c.id = s.cohort_id
                 join cohort_staff cs on cs.cohort_id = c.id and cs.instructor_user_id = $1
                where s.date between hub_today() - 60 and hub_today() + 60
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
        let mut connection = hub.pool().acquire().await?;
        let checkin = crate::checkin::offline_keys(&mut connection, me.id).await?;
        Ok(OfflinePack { sessions, students, checkin })
    }
}
