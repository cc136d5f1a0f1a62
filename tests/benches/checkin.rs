//! `cargo xtask bench checkin`: a thousand students check in to one session at the same
//! moment, each from their own connection and session, against one `hubctl serve` (release
//! build) on loopback and a real PostgreSQL: every check-in accepted, each once; the time
//! each student waited (p50, p99, slowest) and the whole wave's. Then the same thousand
//! again at once: every one told they are already checked in, nothing written twice.

use hub_client::HubClient;
use hub_model::auth::SessionToken;
use hub_model::checkin::{CheckinOutcome, SubmitCheckinRequest};
use hub_model::cms::IdRequest;
use hub_model::ops::{CheckinCodeNow, SubmitCheckin};
use hub_model::programs::CohortRole;
use hub_tests::bench::percentile;
use hub_tests::server::HubProcess;
use sqlx::postgres::PgPoolOptions;
use std::collections::HashMap;
use std::time::{Duration, Instant};

const STUDENTS: i64 = 1_000;

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Every student submits `code` at once; the outcomes counted, the waits sorted, the wall time.
async fn wave(
    students: &[(HubClient, SessionToken)],
    session_id: i64,
    code: &str,
) -> (HashMap<CheckinOutcome, usize>, Vec<Duration>, Duration) {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(students.len()));
    let started = Instant::now();
    let tasks: Vec<_> = students
        .iter()
        .cloned()
        .map(|(client, token)| {
            let (start, request) =
                (start.clone(), SubmitCheckinRequest { session_id, code: code.to_owned(), method: None });
            tokio::spawn(async move {
                start.wait().await;
                let sent = Instant::now();
                let answer = client.call::<SubmitCheckin>(Some(&token), &request).await.expect("answered");
                (answer.outcome, sent.elapsed())
            })
        })
        .collect();
    let mut outcomes = HashMap::new();
    let mut waits = Vec::with_capacity(tasks.len());
    for task in tasks {
        let (outcome, waited) = task.await.expect("the task ran");
        *outcomes.entry(outcome).or_insert(0) += 1;
        waits.push(waited);
    }
    let wall = started.elapsed();
    waits.sort();
    (outcomes, waits, wall)
}

fn report(what: &str, outcomes: &HashMap<CheckinOutcome, usize>, waits: &[Duration], wall: Duration) {
    let told: Vec<String> =
        outcomes.iter().map(|(outcome, count)| format!("{count} {}", outcome.as_str())).collect();
    println!(
        "{what}: {} in {:.0} ms ({:.0} check-ins/s); each waited p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        told.join(", "),
        ms(wall),
        waits.len() as f64 / wall.as_secs_f64(),
        ms(percentile(waits, 0.5)),
        ms(percentile(waits, 0.99)),
        ms(*waits.last().expect("a wait"))
    );
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("checkin").await;
    let pool = PgPoolOptions::new().max_connections(8).connect(&database.url).await.expect("connect");
    let cohort = hub_tests::CohortBuilder::new(&pool, "checkin")
        .staff("karim@bench.example.org", CohortRole::Instructor)
        .students(STUDENTS)
        .build()
        .await;
    let session: i64 = sqlx::query_scalar(
        "insert into sessions (cohort_id, date, starts_at, title)
         select $1, local::date, local::time, 'Morning stand-up'
           from (select now() at time zone (select time_zone from site_settings) as local) t
         returning id",
    )
    .bind(cohort.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let server = HubProcess::spawn(database.url.clone(), "127.0.0.1:0".to_owned(), Vec::new());
    let student_ids: Vec<i64> =
        sqlx::query_scalar("select student_user_id from enrollments where cohort_id = $1 order by id")
            .bind(cohort.id)
            .fetch_all(&pool)
            .await
            .unwrap();
    // Each student their own session and their own connection, as a thousand laptops would.
    let mut students = Vec::with_capacity(student_ids.len());
    for id in student_ids {
        let client = HubClient::new(server.address(), None).unwrap();
        students.push((client, hub_tests::open_session(&pool, id).await));
    }
    let karim = HubClient::new(server.address(), None).unwrap();
    let karim_token = hub_tests::open_session(&pool, cohort.staff[0]).await;
    let code =
        karim.call::<CheckinCodeNow>(Some(&karim_token), &IdRequest { id: session }).await.unwrap().code;
    println!("hubctl serve (release) on loopback, PostgreSQL at the bench's database; 2 cores shared by all");

    let (outcomes, waits, wall) = wave(&students, session, &code).await;
    report(&format!("{STUDENTS} students check in at once"), &outcomes, &waits, wall);
    let (records, checked_in, history): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from attendance_records where session_id = $1 and status = 'present' and self_checkin),
                (select count(*) from attendance_checkins where session_id = $1 and outcome = 'present'),
                (select count(*) from attendance_history where session_id = $1)",
    )
    .bind(session)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(outcomes.get(&CheckinOutcome::Present), Some(&students.len()), "{outcomes:?}");
    assert_eq!((records, checked_in, history), (STUDENTS, STUDENTS, STUDENTS), "each accepted once");

    let code =
        karim.call::<CheckinCodeNow>(Some(&karim_token), &IdRequest { id: session }).await.unwrap().code;
    let (outcomes, waits, wall) = wave(&students, session, &code).await;
    report("the same students again at once", &outcomes, &waits, wall);
    assert_eq!(outcomes.get(&CheckinOutcome::AlreadyCheckedIn), Some(&students.len()), "{outcomes:?}");
    let history_after: i64 =
        sqlx::query_scalar("select count(*) from attendance_history where session_id = $1")
            .bind(session)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(history_after, STUDENTS, "nothing written twice");
    drop(server);
    database.drop().await;
}
