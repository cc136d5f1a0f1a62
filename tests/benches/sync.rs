//! `cargo xtask bench sync`: pushing 10,000 marks queued offline, from a real SQLite outbox
//! through the sync client and a real `hubctl serve` over HTTP to PostgreSQL — the path as
//! it ships — in batches of `BATCH` (one request and one statement each, acknowledged
//! after each answer), and one mark per request, the naive client; and, for reference in
//! the same run, the same batches pushed in process straight to PostgreSQL (what the
//! desktop did before the hub server: the server's own cost is the difference), and bare
//! single-mark upsert statements with no server, outbox or checks. Each path on a fresh
//! cohort of its own; the batched ones three times (the median is printed); once with
//! commits that wait for the disk, as a real hub's database runs, and once without. Prints
//! marks/s and the ratios.

use chrono::{Duration as Days, Utc};
use hub_client::HubClient;
use hub_model::attendance::{Mark, OfflinePack, OfflineStudent, SessionInfo};
use hub_model::auth::LoginRequest;
use hub_offline::sync::{push_outbox_in, Session};
use hub_offline::LocalStore;
use hub_tests::server::HubProcess;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use uuid::Uuid;

const STUDENTS: i64 = 100;
const SESSIONS: i64 = 100;

/// A cohort of 100 students with 100 sessions, taught by the returned instructor
/// (`{name}@bench.example.org`, [`hub_tests::TEST_PASSWORD`]).
async fn cohort(pool: &PgPool, name: &str) -> (i64, Vec<i64>, Vec<i64>) {
    let cohort = hub_tests::taught_cohort(pool, name, STUDENTS, SESSIONS).await;
    (cohort.instructor, cohort.sessions, cohort.enrollments)
}

/// What the instructor's device keeps after a sync: every session of the cohort (the bench's
/// reach further back than the app's two months) and its students.
async fn pack(pool: &PgPool, instructor: i64) -> OfflinePack {
    let sessions = sqlx::query!(
        "select s.id, s.cohort_id, c.name, s.date, s.title from sessions s join cohorts c on c.id = s.cohort_id
           join cohort_instructors ci on ci.cohort_id = c.id where ci.instructor_user_id = $1",
        instructor
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| SessionInfo {
        id: row.id,
        cohort_id: row.cohort_id,
        cohort_name: row.name,
        date: row.date,
        starts_at: None,
        ends_at: None,
        title: row.title,
    })
    .collect();
    let students = sqlx::query!(
        "select e.id, e.cohort_id, e.student_user_id from enrollments e
           join cohort_instructors ci on ci.cohort_id = e.cohort_id where ci.instructor_user_id = $1",
        instructor
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| OfflineStudent {
        enrollment_id: row.id,
        cohort_id: row.cohort_id,
        student_id: row.student_user_id,
        full_name: format!("Student {}", row.student_user_id),
    })
    .collect();
    OfflinePack { sessions, students, checkin: Vec::new() }
}

/// 10,000 marks queued in a fresh SQLite outbox for a fresh cohort of 100 × 100.
async fn queued(pool: &PgPool, name: &str) -> (i64, LocalStore, std::path::PathBuf) {
    let (instructor, sessions, enrollments) = cohort(pool, name).await;
    let file = std::env::temp_dir().join(format!("hub-bench-sync-{}-{name}.sqlite", std::process::id()));
    let store = LocalStore::open(&file).await.unwrap();
    store.replace_pack(instructor, &pack(pool, instructor).await).await.unwrap();
    let at = Utc::now() - Days::minutes(1);
    for session in &sessions {
        let roster: Vec<(i64, Mark)> =
            enrollments.iter().map(|enrollment| (*enrollment, Mark::Present)).collect();
        store.mark_many(instructor, *session, &roster, at).await.unwrap();
    }
    (instructor, store, file)
}

/// Drains a queued outbox through the sync client and the hub at `hub`, `batch` marks a
/// request, with the instructor's own session.
async fn drain(pool: &PgPool, hub: &HubClient, name: &str, batch: i64) -> Duration {
    let (instructor, store, file) = queued(pool, name).await;
    let request = LoginRequest {
        identifier: format!("{name}@bench.example.org"),
        password: hub_tests::TEST_PASSWORD.to_owned(),
        device: Some("bench".to_owned()),
    };
    let token = hub.sign_in(&request).await.unwrap().token;
    let session = Session { client: hub, token: &token, user_id: instructor };
    let started = Instant::now();
    let report = push_outbox_in(&store, session, batch).await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(report.sent, usize::try_from(STUDENTS * SESSIONS).unwrap(), "every mark committed");
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    elapsed
}

/// Drains a queued outbox in batches of [`hub_offline::sync::BATCH`] with no server: each
/// batch pushed by `hub_core::attendance::push` in a transaction of its own, then let go of.
async fn drain_in_process(pool: &PgPool, name: &str) -> Duration {
    let (instructor, store, file) = queued(pool, name).await;
    let hub = hub_core::Hub::new(pool.clone());
    let actor = hub_core::Actor::of_user(&hub, instructor).await.unwrap();
    let started = Instant::now();
    loop {
        let marks = store.waiting(instructor, hub_offline::sync::BATCH, 0).await.unwrap();
        if marks.is_empty() {
            break;
        }
        let mut tx = pool.begin().await.unwrap();
        let results = hub_core::attendance::push(&mut tx, &actor, &marks).await.unwrap();
        tx.commit().await.unwrap();
        store.acknowledge(&results).await.unwrap();
    }
    let elapsed = started.elapsed();
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    elapsed
}

/// The median of three runs of `drain`.
async fn median_of_three<F, Fut>(mut drain: F) -> Duration
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let mut runs = [drain(0).await, drain(1).await, drain(2).await];
    runs.sort();
    runs[1]
}

/// The bare minimum per mark: one hand-written statement (history insert and upsert), its
/// own round trip and commit, no outbox, no checks.
async fn bare_upserts(pool: &PgPool, name: &str) -> Duration {
    let (instructor, sessions, enrollments) = cohort(pool, name).await;
    let at = Utc::now() - Days::minutes(1);
    let started = Instant::now();
    let mut connection = pool.acquire().await.unwrap();
    for session in &sessions {
        for enrollment in &enrollments {
            sqlx::query(
                "with kept as (insert into attendance_history (client_id, session_id, enrollment_id, status, marked_by, marked_at)
                               values ($1, $2, $3, 'present', $4, $5) on conflict (client_id) do nothing returning client_id)
                 insert into attendance_records (session_id, enrollment_id, status, marked_by, marked_at, client_id)
                 select $2, $3, 'present', $4, $5, client_id from kept
                 on conflict (session_id, enrollment_id) do update set status = excluded.status,
                     marked_at = excluded.marked_at, client_id = excluded.client_id",
            )
            .bind(Uuid::new_v4())
            .bind(session)
            .bind(enrollment)
            .bind(instructor)
            .bind(at)
            .execute(&mut *connection)
            .await
            .unwrap();
        }
    }
    started.elapsed()
}

/// A pool whose commits are made as `synchronous_commit` says.
async fn pool_with(url: &str, synchronous_commit: &'static str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .after_connect(move |connection, _| {
            Box::pin(async move {
                sqlx::query(&format!("set synchronous_commit = {synchronous_commit}"))
                    .execute(connection)
                    .await
                    .map(drop)
            })
        })
        .connect(url)
        .await
        .expect("connect")
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("sync").await;
    let url = database.url.clone();
    {
        let pool = PgPoolOptions::new().max_connections(1).connect(&url).await.expect("connect");
        let fsync: String = sqlx::query_scalar("show fsync").fetch_one(&pool).await.unwrap();
        println!("PostgreSQL on loopback, fsync = {fsync}; {} marks each way", STUDENTS * SESSIONS);
        pool.close().await;
    }
    let marks = STUDENTS * SESSIONS;
    #[allow(clippy::cast_precision_loss)]
    let rate = |elapsed: Duration| marks as f64 / elapsed.as_secs_f64();
    let line = |what: &str, elapsed: Duration| {
        println!("  {what:60} {:>8.0} ms  {:>9.0} marks/s", elapsed.as_secs_f64() * 1000.0, rate(elapsed));
    };
    for (synchronous_commit, what) in
        [("on", "each commit waits for the disk (the default)"), ("off", "commits not waited for")]
    {
        let pool = pool_with(&url, synchronous_commit).await;
        // The hub server as it ships (release build), its own commits made the same way.
        let separator = if url.contains('?') { '&' } else { '?' };
        let server_url = format!("{url}{separator}options=-c%20synchronous_commit%3D{synchronous_commit}");
        let server = HubProcess::spawn(server_url, "127.0.0.1:0".to_owned(), Vec::new());
        let hub = HubClient::new(server.address(), None).unwrap();
        let batch = hub_offline::sync::BATCH;
        let batched = median_of_three(|run| {
            let (pool, hub) = (&pool, &hub);
            async move { drain(pool, hub, &format!("batched-{synchronous_commit}-{run}"), batch).await }
        })
        .await;
        let in_process = median_of_three(|run| {
            let pool = &pool;
            async move { drain_in_process(pool, &format!("direct-{synchronous_commit}-{run}")).await }
        })
        .await;
        let one_by_one = drain(&pool, &hub, &format!("single-{synchronous_commit}"), 1).await;
        let bare = bare_upserts(&pool, &format!("bare-{synchronous_commit}")).await;
        drop(server);
        pool.close().await;
        println!("synchronous_commit = {synchronous_commit}: {what}");
        line(&format!("sync client → hub server, batches of {batch} (median of 3)"), batched);
        line(&format!("in process → PostgreSQL, batches of {batch} (median of 3)"), in_process);
        line("sync client → hub server, one mark a request", one_by_one);
        line("bare upsert statements, one per mark, no server", bare);
        println!(
            "  through the hub server {:.2}× the time in process (the client reads and writes its outbox while \
             a batch is on its way); {:.1}× the sync client one mark at a time, {:.1}× bare upserts",
            batched.as_secs_f64() / in_process.as_secs_f64(),
            one_by_one.as_secs_f64() / batched.as_secs_f64(),
            bare.as_secs_f64() / batched.as_secs_f64()
        );
    }
    database.drop().await;
}
