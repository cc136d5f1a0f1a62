//! Attendance on the server side of sync: marks pushed in batches are idempotent by client
//! id, two devices converge on the latest mark with both kept in history, a rejected mark
//! does not hold back the rest, and a device pulls exactly what changed since its cursor.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hub_model::attendance::{
    DeviceMark, HistoryRequest, Mark, MarkAttendanceRequest, PullRequest, PushMarksRequest, PushOutcome,
    Pushed, PushedMark, RecordChange,
};
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::programs::{CohortRole, EnrollmentStatus};
use hub_model::sessions::{DeleteSessionRequest, ListSessionsRequest};
use hub_model::ErrorKind;
use hub_tests::{user_id, Caller, CohortBuilder, TestUser};
use sqlx::PgPool;
use uuid::Uuid;

/// The demo's running cohort: its latest session held (today's, or the last before), and two
/// of its active enrollments. (A mark for a session days ahead takes the server's time.)
async fn running_session(pool: &PgPool) -> (i64, i64, i64) {
    let row = sqlx::query!(
        r#"select s.id as session_id,
                  (select array_agg(e.id order by e.id) from enrollments e
                    where e.cohort_id = s.cohort_id and e.status = 'active') as "enrollments!"
             from sessions s join cohorts c on c.id = s.cohort_id
            where c.status = 'running' and s.date <= current_date order by s.date desc limit 1"#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.session_id, row.enrollments[0], row.enrollments[1])
}

/// A running cohort of two students and two sessions held, built for the test: its lead Lina
/// and instructor Karim, yesterday's session and the day before's.
struct Taught {
    lina: Caller,
    karim: Caller,
    session: i64,
    earlier: i64,
    students: Vec<i64>,
}

async fn taught(pool: &PgPool) -> Taught {
    let cohort = CohortBuilder::new(pool, "web")
        .staff("lina@example.org", CohortRole::Lead)
        .staff("karim@example.org", CohortRole::Instructor)
        .students(2)
        .sessions(2)
        .build()
        .await;
    Taught {
        lina: Caller::as_user(pool, cohort.staff[0]),
        karim: Caller::as_user(pool, cohort.staff[1]),
        session: cohort.sessions[0],
        earlier: cohort.sessions[1],
        students: cohort.enrollments,
    }
}

fn mark(client_id: Uuid, session: i64, enrollment: i64, status: Mark, minutes_ago: i64) -> DeviceMark {
    DeviceMark {
        client_id,
        session_id: session,
        enrollment_id: enrollment,
        status,
        note: None,
        marked_at: Utc::now() - Duration::minutes(minutes_ago),
    }
}

/// `by` pushes a batch of marks, as their device does.
async fn push(by: &Caller, marks: Vec<DeviceMark>) -> Pushed {
    by.call::<ops::PushMarks>(&PushMarksRequest { marks }).await.unwrap()
}

fn outcomes(pushed: &Pushed) -> Vec<PushOutcome> {
    pushed.marks.iter().map(|mark| mark.outcome.clone()).collect()
}

fn rejected(reason: &str) -> PushOutcome {
    PushOutcome::Rejected { reason: reason.to_owned() }
}

/// The record that beat a batch of one mark, which the server said was superseded.
fn beaten_by(pushed: &Pushed) -> &RecordChange {
    match &pushed.marks[..] {
        [PushedMark { outcome: PushOutcome::Superseded { record: Some(record) }, .. }] => record,
        other => panic!("one mark superseded, with the record: {other:?}"),
    }
}

async fn mark_online(by: &Caller, session: i64, enrollment: i64, status: Mark, note: Option<&str>) {
    let request = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: enrollment,
        status,
        note: note.map(str::to_owned),
    };
    by.call::<ops::MarkAttendance>(&request).await.unwrap();
}

async fn record(pool: &PgPool, session: i64, enrollment: i64) -> (Mark, Option<Uuid>) {
    let row = sqlx::query!(
        "select status, client_id from attendance_records where session_id = $1 and enrollment_id = $2",
        session,
        enrollment
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.status.parse().expect("a mark"), row.client_id)
}

async fn history_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"select count(*) as "n!" from attendance_history"#).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_same_batch_twice_changes_nothing(pool: PgPool) {
    let Taught { lina, session, students, .. } = taught(&pool).await;
    let (first, second) = (students[0], students[1]);
    let batch = vec![
        mark(Uuid::new_v4(), session, first, Mark::Late, 5),
        mark(Uuid::new_v4(), session, second, Mark::Excused, 5),
    ];
    let pushed = push(&lina, batch.clone()).await;
    assert_eq!(outcomes(&pushed), [PushOutcome::Applied, PushOutcome::Applied]);
    let kept = history_count(&pool).await;
    let records = (record(&pool, session, first).await, record(&pool, session, second).await);
    // The device never heard back (killed after the server committed): it sends again.
    let again = push(&lina, batch).await;
    assert_eq!(outcomes(&again), [PushOutcome::Duplicate, PushOutcome::Duplicate]);
    assert_eq!(history_count(&pool).await, kept, "nothing kept twice");
    assert_eq!((record(&pool, session, first).await, record(&pool, session, second).await), records);
    assert_eq!(records.0 .0, Mark::Late);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_devices_converge_on_the_latest_mark_and_history_keeps_both(pool: PgPool) {
    let Taught { lina, karim, session, students, .. } = taught(&pool).await;
    let student = students[0];
    let (early, late) = (Uuid::new_v4(), Uuid::new_v4());
    // Karim marked later but syncs first; Lina's earlier mark arrives after and loses.
    let karims = push(&karim, vec![mark(late, session, student, Mark::Present, 2)]).await;
    assert_eq!(outcomes(&karims), [PushOutcome::Applied]);
    let linas = push(&lina, vec![mark(early, session, student, Mark::Absent, 10)]).await;
    let winner = beaten_by(&linas);
    assert_eq!((winner.client_id, winner.status), (Some(late), Mark::Present), "Lina's device hears why");
    assert_eq!(record(&pool, session, student).await, (Mark::Present, Some(late)));
    let history = HistoryRequest { session_id: session, enrollment_id: student };
    let history = lina.call::<ops::AttendanceHistory>(&history).await.unwrap();
    let kept: Vec<(Mark, bool)> = history
        .iter()
        .filter(|entry| entry.client_id == early || entry.client_id == late)
        .map(|entry| (entry.status, entry.current))
        .collect();
    assert_eq!(kept, [(Mark::Present, true), (Mark::Absent, false)], "newest first, both kept");

    // The same instant on two devices: the larger client id wins, whichever arrives first.
    let at = Utc::now() - Duration::minutes(1);
    let low = Uuid::from_u128(1);
    let high = Uuid::from_u128(u128::MAX - 1);
    let tied = |client_id: Uuid, status: Mark| DeviceMark {
        marked_at: at,
        ..mark(client_id, session, student, status, 0)
    };
    push(&karim, vec![tied(high, Mark::Late)]).await;
    push(&lina, vec![tied(low, Mark::Excused)]).await;
    assert_eq!(record(&pool, session, student).await, (Mark::Late, Some(high)));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_rejected_mark_is_said_and_the_rest_of_the_batch_flows(pool: PgPool) {
    let Taught { lina, session, earlier, students, .. } = taught(&pool).await;
    let (kept_student, dropped_student) = (students[0], students[1]);
    // Lina runs the hub too: an administrator who teaches the cohort.
    sqlx::query("update users set is_admin = true where id = $1").bind(lina.id).execute(&pool).await.unwrap();
    sqlx::query!("update enrollments set status = 'dropped' where id = $1", dropped_student)
        .execute(&pool)
        .await
        .unwrap();
    let deleted_session = earlier;
    sqlx::query!("delete from sessions where id = $1", deleted_session).execute(&pool).await.unwrap();
    let too_long = DeviceMark {
        note: Some("x".repeat(501)),
        ..mark(Uuid::new_v4(), session, kept_student, Mark::Absent, 0)
    };
    let pushed = push(
        &lina,
        vec![
            mark(Uuid::new_v4(), deleted_session, kept_student, Mark::Present, 3),
            mark(Uuid::new_v4(), session, dropped_student, Mark::Present, 3),
            mark(Uuid::new_v4(), session, kept_student, Mark::Late, 3),
            too_long,
        ],
    )
    .await;
    let marks = outcomes(&pushed);
    assert_eq!(marks[0], rejected("the session was deleted"));
    assert_eq!(marks[1], rejected("the student has dropped out of the cohort"));
    assert_eq!(marks[2], PushOutcome::Applied, "the good mark is not held back");
    assert_eq!(marks[3], rejected("the note is longer than 500 characters"), "refused alone");
    assert_eq!(record(&pool, session, kept_student).await.0, Mark::Late);

    // An administrator corrects the dropped student's mark on the cohort page: allowed, and
    // the roster shows who has left.
    let correction = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: dropped_student,
        status: Mark::Excused,
        note: Some("doctor's note".to_owned()),
    };
    let corrected = lina.call::<ops::MarkAttendance>(&correction).await.unwrap();
    assert_eq!(
        (corrected.status, corrected.enrollment_status),
        (Some(Mark::Excused), EnrollmentStatus::Dropped)
    );
    let too_long = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: kept_student,
        status: Mark::Late,
        note: Some("x".repeat(501)),
    };
    lina.refuses::<ops::MarkAttendance>(&too_long, "note", "longer than 500").await;

    // An instructor who does not teach the cohort: refused, by mark and by roster.
    let sara = Caller::as_user(&pool, TestUser::INSTRUCTOR.insert(&pool, "sara@example.org", None).await);
    let theirs = push(&sara, vec![mark(Uuid::new_v4(), session, kept_student, Mark::Absent, 1)]).await;
    assert_eq!(outcomes(&theirs), [rejected("you do not teach this cohort")]);
    let roster = sara.call::<ops::AttendanceRoster>(&IdRequest { id: session }).await.unwrap_err();
    assert_eq!(roster.kind, ErrorKind::Forbidden);
    // Nor may a student mark themselves.
    let student: i64 = sqlx::query_scalar("select student_user_id from enrollments where id = $1")
        .bind(kept_student)
        .fetch_one(&pool)
        .await
        .unwrap();
    let student = Caller::as_user(&pool, student);
    let own = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: kept_student,
        status: Mark::Present,
        note: None,
    };
    let refused = student.call::<ops::MarkAttendance>(&own).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_device_pulls_what_changed_since_its_cursor(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let karim = Caller::as_user(&pool, user_id(&pool, "instructor@demo.digitalhub.dev").await);
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let everything = karim.call::<ops::PullMarks>(&PullRequest::default()).await.unwrap();
    assert!(everything.records.len() > 100, "the demo's month of marks");
    let since = PullRequest { cursor: Some(everything.cursor) };
    let nothing = karim.call::<ops::PullMarks>(&since).await.unwrap();
    assert_eq!(nothing.records, [], "nothing changed since");

    let (session, student, _) = running_session(&pool).await;
    let late = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: student,
        status: Mark::Late,
        note: Some("Bus strike".to_owned()),
    };
    let marked = lina.call::<ops::MarkAttendance>(&late).await.unwrap();
    assert_eq!((marked.status, marked.note.as_deref()), (Some(Mark::Late), Some("Bus strike")));
    let changed = karim.call::<ops::PullMarks>(&since).await.unwrap();
    assert_eq!(changed.records.len(), 1, "{changed:?}");
    assert_eq!((changed.records[0].enrollment_id, changed.records[0].status), (student, Mark::Late));
    let roster = karim.call::<ops::AttendanceRoster>(&IdRequest { id: session }).await.unwrap();
    let entry = roster.students.iter().find(|entry| entry.enrollment_id == student).unwrap();
    assert_eq!(entry.status, Some(Mark::Late));
    // A forged cursor is refused by name, never a database error.
    for forged in
        ["yesterday", "5:3:", "1:9:12", "1:9:5,4", "1:9:,", "99999999999999999999999", "1:2:3:4", ""]
    {
        let answer = karim.call::<ops::PullMarks>(&PullRequest { cursor: Some(forged.to_owned()) }).await;
        if forged.is_empty() {
            assert!(answer.is_ok(), "an empty cursor is the start");
            continue;
        }
        let bad = answer.unwrap_err();
        assert_eq!((bad.kind, bad.field.as_deref()), (ErrorKind::Validation, Some("cursor")), "{forged}");
    }
}

/// The marks the calendar shows on `session`, dated `day`, to `by`.
async fn marks_shown(by: &Caller, session: i64, day: NaiveDate) -> i64 {
    let calendar = by
        .call::<ops::ListSessions>(&ListSessionsRequest { from: day, to: day, cohort_id: None })
        .await
        .unwrap();
    calendar.iter().find(|shown| shown.id == session).map(|shown| shown.marks).unwrap()
}

/// Deleting a session takes its marks: the person is told how many first, the server
/// refuses while the session has more than they were told (marks made since), and every
/// mark's history stays.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn deleting_a_session_is_refused_until_its_marks_are_counted_and_their_history_stays(pool: PgPool) {
    let Taught { lina, session, students, .. } = taught(&pool).await;
    let day: NaiveDate = sqlx::query_scalar("select date from sessions where id = $1")
        .bind(session)
        .fetch_one(&pool)
        .await
        .unwrap();
    mark_online(&lina, session, students[0], Mark::Present, None).await;
    let shown = marks_shown(&lina, session, day).await;

    // A mark made after the dialog opened: the count the person agreed to is stale.
    mark_online(&lina, session, students[1], Mark::Absent, Some("left at noon")).await;
    let kept = history_count(&pool).await;
    let stale = lina
        .call::<ops::DeleteSession>(&DeleteSessionRequest { id: session, marks: shown })
        .await
        .unwrap_err();
    let now = marks_shown(&lina, session, day).await;
    assert_eq!(now, shown + 1);
    assert_eq!(stale.kind, ErrorKind::Conflict, "{stale:?}");
    assert!(stale.message.contains(&format!("Its {now} attendance mark")), "{stale:?}");
    assert!(stale.message.contains("history stays"), "{stale:?}");
    let still: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where id = $1"#, session)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(still, 1, "refused: nothing deleted");

    lina.call::<ops::DeleteSession>(&DeleteSessionRequest { id: session, marks: now }).await.unwrap();
    let records: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from attendance_records where session_id = $1"#,
        session
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(records, 0, "the session's records go with it, as the schema says");
    assert_eq!(history_count(&pool).await, kept, "every mark it was given is still on record");
}

/// A device's clock is its own: a mark dated 9999 (or 2001) takes the server's receipt time,
/// history keeps what the device said, and it cannot outlive a later correction; an
/// administrator's correction is the record even over a mark dated a few minutes ahead by a
/// fast clock, and the instructor who marks over it online is told, with nothing written.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_wrong_device_clock_cannot_beat_a_correction_and_history_keeps_what_it_said(pool: PgPool) {
    let Taught { lina, karim, session, students, .. } = taught(&pool).await;
    let admin = Caller::admin(&pool).await;
    let (student, other) = (students[0], students[1]);
    let far_future: DateTime<Utc> = "9999-01-01T09:00:00Z".parse().unwrap();
    let long_ago: DateTime<Utc> = "2001-01-01T09:00:00Z".parse().unwrap();
    let dated = |client_id: Uuid, enrollment: i64, status: Mark, at: DateTime<Utc>| DeviceMark {
        marked_at: at,
        ..mark(client_id, session, enrollment, status, 0)
    };
    let (future, past) = (Uuid::new_v4(), Uuid::new_v4());
    let pushed = push(
        &lina,
        vec![dated(future, student, Mark::Absent, far_future), dated(past, other, Mark::Late, long_ago)],
    )
    .await;
    assert_eq!(outcomes(&pushed), [PushOutcome::Applied, PushOutcome::Applied]);
    let stored = sqlx::query!(
        r#"select h.client_id, h.marked_at, h.device_marked_at, r.marked_at as "record_at?"
             from attendance_history h
             left join attendance_records r on r.client_id = h.client_id
            where h.client_id = any($1) order by h.device_marked_at desc"#,
        &[future, past][..]
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for row in &stored {
        let off = (row.marked_at - Utc::now()).num_seconds().abs();
        assert!(off < 600, "the server's receipt time, not the device's: {:?}", row.marked_at);
        assert_eq!(row.record_at, Some(row.marked_at), "the record has the same time");
    }
    let said: Vec<Option<DateTime<Utc>>> = stored.iter().map(|row| row.device_marked_at).collect();
    assert_eq!(said, [Some(far_future), Some(long_ago)], "history keeps what each device said");
    let history = HistoryRequest { session_id: session, enrollment_id: student };
    let history = lina.call::<ops::AttendanceHistory>(&history).await.unwrap();
    assert_eq!(history[0].device_marked_at, Some(far_future), "{history:?}");

    // The administrator corrects; a mark dated four minutes ahead by a fast clock, made
    // before the correction, arrives after it: the correction stays the record.
    mark_online(&admin, session, student, Mark::Excused, None).await;
    let fast = Uuid::new_v4();
    let pushed =
        push(&lina, vec![dated(fast, student, Mark::Present, Utc::now() + Duration::minutes(4))]).await;
    assert_eq!(beaten_by(&pushed).status, Mark::Excused);
    assert_eq!(record(&pool, session, student).await.0, Mark::Excused);

    // Marking over it online, an instructor is told what the record is; nothing is written.
    let kept = history_count(&pool).await;
    let over =
        MarkAttendanceRequest { session_id: session, enrollment_id: student, status: Mark::Late, note: None };
    let told = karim.call::<ops::MarkAttendance>(&over).await.unwrap_err();
    assert_eq!(told.kind, ErrorKind::Conflict, "{told:?}");
    assert!(told.message.contains("excused by Test admin@example.org"), "{told:?}");
    assert_eq!(history_count(&pool).await, kept, "nothing written");
    assert_eq!(record(&pool, session, student).await.0, Mark::Excused);
}
