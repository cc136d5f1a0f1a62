//! Attendance on the server side of sync: marks pushed in batches are idempotent by client
//! id, two devices converge on the latest mark with both kept in history, a rejected mark
//! does not hold back the rest, and a device pulls exactly what changed since its cursor.

use chrono::{Duration, Utc};
use hub_model::programs::CohortRole;
use hub_tests::{user_id, Caller, CohortBuilder};
use serde_json::{json, Value};
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
/// and instructor Karim, and yesterday's session.
struct Taught {
    lina: Caller,
    karim: Caller,
    session: i64,
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
        students: cohort.enrollments,
    }
}

fn mark(client_id: Uuid, session: i64, enrollment: i64, status: &str, minutes_ago: i64) -> Value {
    json!({ "client_id": client_id, "session_id": session, "enrollment_id": enrollment, "status": status,
            "marked_at": Utc::now() - Duration::minutes(minutes_ago) })
}

fn outcomes(pushed: &Value) -> Vec<String> {
    pushed["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|mark| mark["outcome"].as_str().unwrap().to_owned())
        .collect()
}

async fn record(pool: &PgPool, session: i64, enrollment: i64) -> (String, Option<Uuid>) {
    let row = sqlx::query!(
        "select status, client_id from attendance_records where session_id = $1 and enrollment_id = $2",
        session,
        enrollment
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.status, row.client_id)
}

async fn history_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"select count(*) as "n!" from attendance_history"#).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_same_batch_twice_changes_nothing(pool: PgPool) {
    let Taught { lina, session, students, .. } = taught(&pool).await;
    let (first, second) = (students[0], students[1]);
    let batch = json!({ "marks": [
        mark(Uuid::new_v4(), session, first, "late", 5),
        mark(Uuid::new_v4(), session, second, "excused", 5),
    ] });
    let pushed = lina.call_json("attendance.push", batch.clone()).await.unwrap();
    assert_eq!(outcomes(&pushed), ["applied", "applied"]);
    let kept = history_count(&pool).await;
    let records = (record(&pool, session, first).await, record(&pool, session, second).await);
    // The device never heard back (killed after the server committed): it sends again.
    let again = lina.call_json("attendance.push", batch).await.unwrap();
    assert_eq!(outcomes(&again), ["duplicate", "duplicate"]);
    assert_eq!(history_count(&pool).await, kept, "nothing kept twice");
    assert_eq!((record(&pool, session, first).await, record(&pool, session, second).await), records);
    assert_eq!(records.0 .0, "late");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_devices_converge_on_the_latest_mark_and_history_keeps_both(pool: PgPool) {
    let Taught { lina, karim, session, students } = taught(&pool).await;
    let student = students[0];
    let (early, late) = (Uuid::new_v4(), Uuid::new_v4());
    // Karim marked later but syncs first; Lina's earlier mark arrives after and loses.
    let karims = karim
        .call_json("attendance.push", json!({ "marks": [mark(late, session, student, "present", 2)] }))
        .await;
    assert_eq!(outcomes(&karims.unwrap()), ["applied"]);
    let linas = lina
        .call_json("attendance.push", json!({ "marks": [mark(early, session, student, "absent", 10)] }))
        .await;
    assert_eq!(outcomes(&linas.unwrap()), ["superseded"]);
    assert_eq!(record(&pool, session, student).await, ("present".to_owned(), Some(late)));
    let history = lina
        .call_json("attendance.history", json!({ "session_id": session, "enrollment_id": student }))
        .await
        .unwrap();
    let kept: Vec<(&str, bool)> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["client_id"] == json!(early) || entry["client_id"] == json!(late))
        .map(|entry| (entry["status"].as_str().unwrap(), entry["current"].as_bool().unwrap()))
        .collect();
    assert_eq!(kept, [("present", true), ("absent", false)], "newest first, both kept");

    // The same instant on two devices: the larger client id wins, whichever arrives first.
    let at = Utc::now() - Duration::minutes(1);
    let low = Uuid::from_u128(1);
    let high = Uuid::from_u128(u128::MAX - 1);
    let tied = |client_id: Uuid, status: &str| {
        json!({ "marks": [{ "client_id": client_id, "session_id": session, "enrollment_id": student,
                             "status": status, "marked_at": at }] })
    };
    karim.call_json("attendance.push", tied(high, "late")).await.unwrap();
    lina.call_json("attendance.push", tied(low, "excused")).await.unwrap();
    assert_eq!(record(&pool, session, student).await, ("late".to_owned(), Some(high)));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_rejected_mark_is_said_and_the_rest_of_the_batch_flows(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let (session, kept_student, dropped_student) = running_session(&pool).await;
    let deleted_session: i64 = sqlx::query_scalar!(
        "select s.id from sessions s join cohorts c on c.id = s.cohort_id where c.status = 'running' and s.id <> $1 limit 1",
        session
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query!("update enrollments set status = 'dropped' where id = $1", dropped_student)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query!("delete from sessions where id = $1", deleted_session).execute(&pool).await.unwrap();
    let other_cohort_session: i64 = sqlx::query_scalar!(
        "select s.id from sessions s join cohorts c on c.id = s.cohort_id where c.status <> 'running' limit 1"
    )
    .fetch_optional(&pool)
    .await
    .unwrap()
    .unwrap_or(session);
    let pushed = lina
        .call_json(
            "attendance.push",
            json!({ "marks": [
                mark(Uuid::new_v4(), deleted_session, kept_student, "present", 3),
                mark(Uuid::new_v4(), session, dropped_student, "present", 3),
                mark(Uuid::new_v4(), session, kept_student, "late", 3),
                json!({ "client_id": Uuid::new_v4(), "session_id": session, "enrollment_id": kept_student,
                        "status": "absent", "note": "x".repeat(501), "marked_at": Utc::now() }),
            ] }),
        )
        .await
        .unwrap();
    let marks = pushed["marks"].as_array().unwrap();
    assert_eq!(marks[0]["reason"], "the session was deleted");
    assert_eq!(marks[1]["reason"], "the student has dropped out of the cohort");
    assert_eq!(marks[2]["outcome"], "applied", "the good mark is not held back");
    assert_eq!(marks[3]["reason"], "the note is longer than 500 characters", "refused alone");
    assert_eq!(record(&pool, session, kept_student).await.0, "late");

    // An administrator corrects the dropped student's mark on the cohort page: allowed, and
    // the roster shows who has left.
    let corrected = lina
        .call_json(
            "attendance.mark",
            json!({ "session_id": session, "enrollment_id": dropped_student, "status": "excused", "note": "doctor's note" }),
        )
        .await
        .unwrap();
    assert_eq!(
        (corrected["status"].as_str(), corrected["enrollment_status"].as_str()),
        (Some("excused"), Some("dropped"))
    );
    lina.refused(
        "attendance.mark",
        json!({ "session_id": session, "enrollment_id": kept_student, "status": "late", "note": "x".repeat(501) }),
        "note",
        "longer than 500",
    )
    .await;

    // An instructor who does not teach the cohort: refused, by mark and by roster.
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let theirs = sara
        .call_json(
            "attendance.push",
            json!({ "marks": [mark(Uuid::new_v4(), session, kept_student, "absent", 1)] }),
        )
        .await;
    assert_eq!(theirs.unwrap()["marks"][0]["reason"], "you do not teach this cohort");
    let roster = sara.call_json("attendance.roster", json!({ "id": session })).await.unwrap_err();
    assert_eq!(roster.kind, hub_model::ErrorKind::Forbidden);
    let student = Caller::as_user(&pool, user_id(&pool, "student@demo.digitalhub.dev").await);
    let refused = student
        .call_json(
            "attendance.mark",
            json!({ "session_id": other_cohort_session, "enrollment_id": kept_student, "status": "present" }),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_device_pulls_what_changed_since_its_cursor(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let karim = Caller::as_user(&pool, user_id(&pool, "instructor@demo.digitalhub.dev").await);
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let everything = karim.call_json("attendance.pull", json!({})).await.unwrap();
    assert!(everything["records"].as_array().unwrap().len() > 100, "the demo's month of marks");
    let cursor = everything["cursor"].clone();
    let nothing = karim.call_json("attendance.pull", json!({ "cursor": cursor })).await.unwrap();
    assert_eq!(nothing["records"], json!([]), "nothing changed since");

    let (session, student, _) = running_session(&pool).await;
    let marked = lina
        .call_json(
            "attendance.mark",
            json!({ "session_id": session, "enrollment_id": student, "status": "late",
                                                    "note": "Bus strike" }),
        )
        .await
        .unwrap();
    assert_eq!((marked["status"].as_str(), marked["note"].as_str()), (Some("late"), Some("Bus strike")));
    let changed = karim.call_json("attendance.pull", json!({ "cursor": cursor })).await.unwrap();
    let records = changed["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{changed}");
    assert_eq!(
        (records[0]["enrollment_id"].as_i64(), records[0]["status"].as_str()),
        (Some(student), Some("late"))
    );
    let roster = karim.call_json("attendance.roster", json!({ "id": session })).await.unwrap();
    let entry = roster["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["enrollment_id"] == student)
        .unwrap();
    assert_eq!(entry["status"], "late");
    // A forged cursor is refused by name, never a database error.
    for forged in
        ["yesterday", "5:3:", "1:9:12", "1:9:5,4", "1:9:,", "99999999999999999999999", "1:2:3:4", ""]
    {
        let answer = karim.call_json("attendance.pull", json!({ "cursor": forged })).await;
        if forged.is_empty() {
            assert!(answer.is_ok(), "an empty cursor is the start");
            continue;
        }
        let bad = answer.unwrap_err();
        assert_eq!(
            (bad.kind, bad.field.as_deref()),
            (hub_model::ErrorKind::Validation, Some("cursor")),
            "{forged}"
        );
    }
}

/// Deleting a session takes its marks: the person is told how many first, the server
/// refuses while the session has more than they were told (marks made since), and every
/// mark's history stays.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn deleting_a_session_is_refused_until_its_marks_are_counted_and_their_history_stays(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let (session, _, _) = running_session(&pool).await;
    // One student of the session has no mark yet.
    sqlx::query!(
        "delete from attendance_records where (session_id, enrollment_id) =
           (select session_id, min(enrollment_id) from attendance_records where session_id = $1 group by session_id)",
        session
    )
    .execute(&pool)
    .await
    .unwrap();
    let (day, student) = sqlx::query!(
        r#"select s.date, (select min(e.id) from enrollments e
                            where e.cohort_id = s.cohort_id and e.status = 'active'
                              and not exists (select 1 from attendance_records r
                                               where r.session_id = s.id and r.enrollment_id = e.id)) as "unmarked!"
             from sessions s where s.id = $1"#,
        session
    )
    .fetch_one(&pool)
    .await
    .map(|row| (row.date, row.unmarked))
    .unwrap();
    let marks_shown = |calendar: Value| {
        calendar.as_array().unwrap().iter().find(|s| s["id"] == session).map(|s| s["marks"].as_i64().unwrap())
    };
    let calendar = lina.call_json("sessions.list", json!({ "from": day, "to": day })).await.unwrap();
    let shown = marks_shown(calendar).unwrap();

    // A mark made after the dialog opened: the count the person agreed to is stale.
    lina.call_json(
        "attendance.mark",
        json!({ "session_id": session, "enrollment_id": student, "status": "absent", "note": "left at noon" }),
    )
    .await
    .unwrap();
    let kept = history_count(&pool).await;
    let stale =
        lina.call_json("sessions.delete", json!({ "id": session, "marks": shown })).await.unwrap_err();
    let now = marks_shown(lina.call_json("sessions.list", json!({ "from": day, "to": day })).await.unwrap())
        .unwrap();
    assert_eq!(now, shown + 1);
    assert_eq!(stale.kind, hub_model::ErrorKind::Conflict, "{stale:?}");
    assert!(stale.message.contains(&format!("Its {now} attendance mark")), "{stale:?}");
    assert!(stale.message.contains("history stays"), "{stale:?}");
    let still: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where id = $1"#, session)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(still, 1, "refused: nothing deleted");

    lina.call_json("sessions.delete", json!({ "id": session, "marks": now })).await.unwrap();
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
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let karim = Caller::as_user(&pool, user_id(&pool, "instructor@demo.digitalhub.dev").await);
    let admin = Caller::as_user(&pool, user_id(&pool, "admin@demo.digitalhub.dev").await);
    let (session, student, other) = running_session(&pool).await;
    let far_future: chrono::DateTime<Utc> = "9999-01-01T09:00:00Z".parse().unwrap();
    let long_ago: chrono::DateTime<Utc> = "2001-01-01T09:00:00Z".parse().unwrap();
    let dated = |client_id: Uuid, enrollment: i64, status: &str, at: chrono::DateTime<Utc>| {
        json!({ "client_id": client_id, "session_id": session, "enrollment_id": enrollment, "status": status,
                "marked_at": at })
    };
    let (future, past) = (Uuid::new_v4(), Uuid::new_v4());
    let pushed = lina
        .call_json(
            "attendance.push",
            json!({ "marks": [dated(future, student, "absent", far_future), dated(past, other, "late", long_ago)] }),
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&pushed), ["applied", "applied"]);
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
    let said: Vec<Option<chrono::DateTime<Utc>>> = stored.iter().map(|row| row.device_marked_at).collect();
    assert_eq!(said, [Some(far_future), Some(long_ago)], "history keeps what each device said");
    let history = lina
        .call_json("attendance.history", json!({ "session_id": session, "enrollment_id": student }))
        .await
        .unwrap();
    assert_eq!(history[0]["device_marked_at"], json!(far_future), "{history}");

    // The administrator corrects; a mark dated four minutes ahead by a fast clock, made
    // before the correction, arrives after it: the correction stays the record.
    admin
        .call_json(
            "attendance.mark",
            json!({ "session_id": session, "enrollment_id": student, "status": "excused" }),
        )
        .await
        .unwrap();
    let fast = Uuid::new_v4();
    let pushed = lina
        .call_json(
            "attendance.push",
            json!({ "marks": [dated(fast, student, "present", Utc::now() + Duration::minutes(4))] }),
        )
        .await
        .unwrap();
    assert_eq!(outcomes(&pushed), ["superseded"]);
    assert_eq!(record(&pool, session, student).await.0, "excused");

    // Marking over it online, an instructor is told what the record is; nothing is written.
    // (Lina is an administrator too, but she teaches the cohort: her marks are as any instructor's.)
    let kept = history_count(&pool).await;
    let told = karim
        .call_json(
            "attendance.mark",
            json!({ "session_id": session, "enrollment_id": student, "status": "late" }),
        )
        .await
        .unwrap_err();
    assert_eq!(told.kind, hub_model::ErrorKind::Conflict, "{told:?}");
    assert!(told.message.contains("excused by Maya Khoury"), "{told:?}");
    assert_eq!(history_count(&pool).await, kept, "nothing written");
    assert_eq!(record(&pool, session, student).await.0, "excused");
}
