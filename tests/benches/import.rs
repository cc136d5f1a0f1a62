//! `cargo xtask bench import`: importing 10,000 people from CSV, each enrolled in one of ten
//! cohorts and each invited by email (the dry run, the import, the same file again);
//! importing 100,000 attendance marks (1,000 students × 100 sessions) the same way; then
//! what the audit trail costs: one person's change (`users.update` through the operation
//! table, as the hub server runs it: the actor read, the transaction begun and told who is
//! writing, the update, the commit) a thousand times with the trail's triggers and a
//! thousand times with them disabled, and one statement changing 10,000 marks, with and
//! without. In process, against a real PostgreSQL (the bench's own database).

use hub_core::{ops, Caller, Hub};
use hub_tests::bench::percentile;
use serde_json::json;
use sqlx::PgPool;
use std::time::{Duration, Instant};

const CHANGES: usize = 1_000;
const MARKS: i64 = 10_000;
const PEOPLE: usize = 10_000;
const COHORTS: usize = 10;
const MARK_STUDENTS: i64 = 1_000;
const MARK_SESSIONS: i64 = 100;

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Turns the trail's triggers off or on (as the database's owner: the server's role cannot).
async fn trail(pool: &PgPool, on: bool) {
    let verb = if on { "enable" } else { "disable" };
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "select c.relname::text, t.tgname::text from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where t.tgname like '%\\_audit\\_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, trigger) in triggers {
        sqlx::query(&format!("alter table {table} {verb} trigger {trigger}")).execute(pool).await.unwrap();
    }
}

/// `users.update` `CHANGES` times, the name alternating so each is a change; the sorted times.
async fn changes(hub: &Hub, admin: i64, person: i64) -> Vec<Duration> {
    let caller = Caller::user(admin);
    let mut times = Vec::with_capacity(CHANGES);
    for round in 0..CHANGES {
        let request = json!({ "id": person, "email": "nour@bench.example.org", "full_name": format!("Nour Karam {}", round % 2) });
        let started = Instant::now();
        ops::call(hub, &caller, "users.update", request).await.expect("updated");
        times.push(started.elapsed());
    }
    times.sort();
    times
}

/// One statement changing every mark of the session's 10,000 students; its time.
async fn bulk(pool: &PgPool, session: i64, status: &str) -> Duration {
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("select set_config('hub.operation', 'attendance.push', true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("update attendance_records set status = $2 where session_id = $1")
        .bind(session)
        .bind(status)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    started.elapsed()
}

/// `PEOPLE` people, spread over the cohorts, as a spreadsheet would hold them.
fn people_csv() -> String {
    let mut csv = String::from("Name;Email;Phone;Role;Cohort;GitHub\n");
    for n in 0..PEOPLE {
        csv.push_str(&format!(
            "Person {n};person{n}@bench.example.org;+961 70 {:06};student;Import {};https://github.com/person{n}\n",
            n,
            n % COHORTS
        ));
    }
    csv
}

async fn import_people(pool: &PgPool, admin: i64) {
    for n in 0..COHORTS {
        let built = hub_tests::CohortBuilder::new(pool, &format!("Import {n}")).build().await;
        sqlx::query("update cohorts set capacity = 2000, status = 'open' where id = $1")
            .bind(built.id)
            .execute(pool)
            .await
            .unwrap();
    }
    let hub = Hub::new(pool.clone());
    let caller = Caller::user(admin);
    let csv = people_csv();
    let run = |dry_run: bool| {
        let (hub, caller, csv) = (&hub, &caller, &csv);
        async move {
            let started = Instant::now();
            let report = ops::call(hub, caller, "import.people", json!({ "csv": csv, "dry_run": dry_run }))
                .await
                .expect("imported");
            (started.elapsed(), report)
        }
    };
    let (dry, report) = run(true).await;
    assert_eq!(report["created"], PEOPLE, "every row new");
    let (done, report) = run(false).await;
    assert_eq!(
        (report["written"].as_bool(), report["invitations"].as_u64()),
        (Some(true), Some(PEOPLE as u64))
    );
    let (again, report) = run(false).await;
    assert_eq!(
        (report["written"].as_bool(), report["unchanged"].as_u64()),
        (Some(false), Some(PEOPLE as u64))
    );
    let (enrolled, invited): (i64, i64) = sqlx::query_as(
        "select (select count(*) from enrollments e join cohorts c on c.id = e.cohort_id where c.name like 'Import %'),
                (select count(*) from mail_outbox where kind = 'invitation')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((enrolled, invited), (PEOPLE as i64, PEOPLE as i64));
    println!(
        "{PEOPLE} people from CSV ({:.1} MB), each enrolled and invited: dry run {:.2} s, import {:.2} s \
         (target under 10 s), the same file again {:.2} s (nothing written)",
        csv.len() as f64 / 1e6,
        dry.as_secs_f64(),
        done.as_secs_f64(),
        again.as_secs_f64()
    );
}

/// `MARK_STUDENTS` × `MARK_SESSIONS` marks of one cohort from CSV.
async fn import_marks(pool: &PgPool, admin: i64) {
    let built = hub_tests::CohortBuilder::new(pool, "marks")
        .students(MARK_STUDENTS)
        .sessions(MARK_SESSIONS)
        .build()
        .await;
    let emails: Vec<String> = sqlx::query_scalar(
        "select u.email from enrollments e join users u on u.id = e.student_user_id where e.cohort_id = $1 order by e.id",
    )
    .bind(built.id)
    .fetch_all(pool)
    .await
    .unwrap();
    let days: Vec<String> =
        sqlx::query_scalar("select date::text from sessions where cohort_id = $1 order by date")
            .bind(built.id)
            .fetch_all(pool)
            .await
            .unwrap();
    let mut csv = String::from("Date;Cohort;Email;Status;Note\n");
    for (d, day) in days.iter().enumerate() {
        for (s, email) in emails.iter().enumerate() {
            let (status, note) = match (d + s) % 10 {
                0 => ("A", ""),
                1 => ("L", "Bus"),
                _ => ("P", ""),
            };
            csv.push_str(&format!("{day};marks;{email};{status};{note}\n"));
        }
    }
    let hub = Hub::new(pool.clone());
    let caller = Caller::user(admin);
    let run = |dry_run: bool| {
        let (hub, caller, csv) = (&hub, &caller, &csv);
        async move {
            let started = Instant::now();
            let report = ops::call(hub, caller, "import.marks", json!({ "csv": csv, "dry_run": dry_run }))
                .await
                .expect("imported");
            (started.elapsed(), report)
        }
    };
    let total = (MARK_STUDENTS * MARK_SESSIONS) as u64;
    let (dry, report) = run(true).await;
    assert_eq!(report["created"].as_u64(), Some(total), "every mark new");
    let (done, report) = run(false).await;
    assert_eq!(report["written"].as_bool(), Some(true));
    let (again, report) = run(false).await;
    assert_eq!((report["written"].as_bool(), report["unchanged"].as_u64()), (Some(false), Some(total)));
    let (records, history): (i64, i64) = sqlx::query_as(
        "select (select count(*) from attendance_records r join sessions s on s.id = r.session_id where s.cohort_id = $1),
                (select count(*) from attendance_history h join sessions s on s.id = h.session_id where s.cohort_id = $1)",
    )
    .bind(built.id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((records as u64, history as u64), (total, total));
    println!(
        "{total} marks from CSV ({:.1} MB), each kept in history and made the record: dry run {:.2} s, \
         import {:.2} s (target under 10 s), the same file again {:.2} s (nothing written)",
        csv.len() as f64 / 1e6,
        dry.as_secs_f64(),
        done.as_secs_f64(),
        again.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("import").await;
    // Connected as the hub server connects (its options: no JIT).
    let pool = hub_core::db::connect(hub_core::db::parse_url(&database.url).unwrap(), 4).await.unwrap();
    let admin = hub_tests::TestUser::ADMIN.insert(&pool, "maya@bench.example.org", None).await;
    let person = hub_tests::TestUser::STUDENT.insert(&pool, "nour@bench.example.org", None).await;
    let cohort = hub_tests::CohortBuilder::new(&pool, "audit").students(MARKS).sessions(1).build().await;
    let session: i64 = sqlx::query_scalar("select id from sessions where cohort_id = $1")
        .bind(cohort.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into attendance_records (session_id, enrollment_id, status, marked_at)
         select $1, e.id, 'present', now() from enrollments e where e.cohort_id = $2",
    )
    .bind(session)
    .bind(cohort.id)
    .execute(&pool)
    .await
    .unwrap();
    let hub = Hub::new(pool.clone());
    println!(
        "In process through the operation table, PostgreSQL at the bench's database; 2 cores shared by all"
    );
    import_people(&pool, admin).await;
    import_marks(&pool, admin).await;

    // Warm both paths (plans, connections) before measuring.
    changes(&hub, admin, person).await;
    let with = changes(&hub, admin, person).await;
    trail(&pool, false).await;
    changes(&hub, admin, person).await;
    let without = changes(&hub, admin, person).await;
    trail(&pool, true).await;
    let (with_p50, without_p50) = (percentile(&with, 0.5), percentile(&without, 0.5));
    println!(
        "users.update ×{CHANGES}: with the trail p50 {:.3} ms, p99 {:.3} ms; without p50 {:.3} ms, p99 {:.3} ms; \
         the trail's cost at p50 {:.3} ms",
        ms(with_p50),
        ms(percentile(&with, 0.99)),
        ms(without_p50),
        ms(percentile(&without, 0.99)),
        ms(with_p50.saturating_sub(without_p50))
    );
    let entries: i64 = sqlx::query_scalar("select count(*) from audit_log where operation = 'users.update'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(entries, 2 * CHANGES as i64, "one entry per change made with the trail on");

    let marked_with = bulk(&pool, session, "late").await;
    trail(&pool, false).await;
    let marked_without = bulk(&pool, session, "present").await;
    trail(&pool, true).await;
    let recorded: i64 = sqlx::query_scalar(
        "select count(*) from audit_changes c join audit_log l on l.id = c.audit_id where l.operation = 'attendance.push'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recorded, MARKS, "one change per mark, in one entry");
    println!(
        "one statement changing {MARKS} marks: with the trail {:.0} ms, without {:.0} ms ({:.1} µs a record)",
        ms(marked_with),
        ms(marked_without),
        marked_with.saturating_sub(marked_without).as_secs_f64() * 1e6 / MARKS as f64
    );
    pool.close().await;
    database.drop().await;
}
