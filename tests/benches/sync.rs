//! `cargo xtask bench sync`: pushing 10,000 marks queued offline to PostgreSQL, from a real
//! SQLite outbox through the sync client (batches of 2,000, one statement each, acknowledged
//! after each commit), against the naive path (one upsert and one history insert per mark,
//! each its own round trip) in the same run. Prints marks/s and the ratio.

use chrono::{Duration as Days, Utc};
use hub_core::Hub;
use hub_model::attendance::Mark;
use hub_offline::sync::push_outbox;
use hub_offline::LocalStore;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use std::time::Instant;
use uuid::Uuid;

const STUDENTS: i64 = 100;
const SESSIONS: i64 = 100;

/// A cohort of 100 students with 100 sessions, taught by the returned instructor.
async fn cohort(pool: &PgPool, name: &str) -> (i64, Vec<i64>, Vec<i64>) {
    let instructor: i64 = sqlx::query_scalar(
        "insert into users (email, password_hash, is_instructor) values ($1, 'x', true) returning id",
    )
    .bind(format!("{name}@bench.example.org"))
    .fetch_one(pool)
    .await
    .unwrap();
    let program: i64 = sqlx::query_scalar("insert into programs (slug, title) values ($1, $1) returning id")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap();
    let cohort: i64 = sqlx::query_scalar(
        "insert into cohorts (program_id, name, status) values ($1, $2, 'running') returning id",
    )
    .bind(program)
    .bind(name)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, 'lead')",
    )
    .bind(cohort)
    .bind(instructor)
    .execute(pool)
    .await
    .unwrap();
    let sessions: Vec<i64> = sqlx::query_scalar(
        "insert into sessions (cohort_id, date, title)
         select $1, current_date - (n || ' days')::interval, 'Day ' || n from generate_series(1, $2) n returning id",
    )
    .bind(cohort)
    .bind(SESSIONS)
    .fetch_all(pool)
    .await
    .unwrap();
    let enrollments: Vec<i64> = sqlx::query_scalar(
        "with students as (
             insert into users (email, password_hash, is_student)
             select $2 || '-' || n || '@bench.example.org', 'x', true from generate_series(1, $3) n returning id)
         insert into enrollments (student_user_id, cohort_id) select id, $1 from students returning id",
    )
    .bind(cohort)
    .bind(name)
    .bind(STUDENTS)
    .fetch_all(pool)
    .await
    .unwrap();
    (instructor, sessions, enrollments)
}

#[tokio::main]
async fn main() {
    let master = std::env::var("DATABASE_URL").expect("DATABASE_URL (cargo xtask bench sets it)");
    let database = format!("hub_bench_sync_{}", std::process::id());
    let mut admin = PgConnection::connect(&master).await.expect("the server answers");
    sqlx::query(&format!("create database {database}")).execute(&mut admin).await.expect("create database");
    let url = format!("{}/{database}", master.rsplit_once('/').expect("a URL with a database").0);
    let pool = PgPoolOptions::new().max_connections(4).connect(&url).await.expect("connect");
    hub_core::migrate(&pool).await.expect("migrate");
    let hub = Hub::new(pool.clone());
    let marks = usize::try_from(STUDENTS * SESSIONS).unwrap();

    // The sync client: 10,000 marks in a real SQLite outbox, pushed in batches.
    let (instructor, sessions, enrollments) = cohort(&pool, "batched").await;
    let file = std::env::temp_dir().join(format!("hub-bench-sync-{}.sqlite", std::process::id()));
    let store = LocalStore::open(&file).await.unwrap();
    let at = Utc::now() - Days::minutes(1);
    for session in &sessions {
        for enrollment in &enrollments {
            store.mark(*session, *enrollment, Mark::Present, None, at).await.unwrap();
        }
    }
    let started = Instant::now();
    let report = push_outbox(&store, &hub, instructor).await.unwrap();
    let batched = started.elapsed();
    assert_eq!(report.sent, marks, "every mark committed");
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }

    // The naive path: each mark its own history insert and upsert, one round trip each.
    let (instructor, sessions, enrollments) = cohort(&pool, "naive").await;
    let started = Instant::now();
    let mut connection = pool.acquire().await.unwrap();
    for session in &sessions {
        for enrollment in &enrollments {
            let client_id = Uuid::new_v4();
            sqlx::query(
                "with kept as (insert into attendance_history (client_id, session_id, enrollment_id, status, marked_by, marked_at)
                               values ($1, $2, $3, 'present', $4, $5) on conflict (client_id) do nothing returning client_id)
                 insert into attendance_records (session_id, enrollment_id, status, marked_by, marked_at, client_id)
                 select $2, $3, 'present', $4, $5, client_id from kept
                 on conflict (session_id, enrollment_id) do update set status = excluded.status,
                     marked_at = excluded.marked_at, client_id = excluded.client_id",
            )
            .bind(client_id)
            .bind(session)
            .bind(enrollment)
            .bind(instructor)
            .bind(at)
            .execute(&mut *connection)
            .await
            .unwrap();
        }
    }
    let naive = started.elapsed();
    drop(connection);

    #[allow(clippy::cast_precision_loss)]
    let rate = |elapsed: std::time::Duration| marks as f64 / elapsed.as_secs_f64();
    println!(
        "{marks} marks, sync client (batches of 2,000)     {:>8.0} ms  {:>9.0} marks/s",
        batched.as_secs_f64() * 1000.0,
        rate(batched)
    );
    println!(
        "{marks} marks, one upsert per mark             {:>8.0} ms  {:>9.0} marks/s",
        naive.as_secs_f64() * 1000.0,
        rate(naive)
    );
    println!(
        "ratio                                           {:>8.1}×",
        naive.as_secs_f64() / batched.as_secs_f64()
    );

    pool.close().await;
    sqlx::query(&format!("drop database {database}")).execute(&mut admin).await.expect("drop database");
}
