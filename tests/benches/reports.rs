//! `cargo xtask bench reports`: the screens people wait on, on a large school's database —
//! `hubctl seed-demo --scale large` (50,000 students, 500 cohorts, 2,000,000 attendance
//! records) in a database of its own. Times each operation end to end through the operation
//! table, as the desktop calls it (medians and 95th percentiles over repeated runs), then
//! runs each once more with PostgreSQL's auto_explain and prints the plans, checking that no
//! large table is read from end to end.

use hub_core::large_demo::{LargeOutcome, Scale};
use hub_core::{ops, Hub};
use hub_tests::bench::percentile;
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RUNS: usize = 30;

/// The tables whose full scan would make a screen slow at this size.
const LARGE_TABLES: [&str; 4] = ["attendance_records", "enrollments", "users", "sessions"];

/// Where the plans auto_explain sends as notices end up.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn take(&self) -> String {
        let mut bytes = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        String::from_utf8_lossy(&std::mem::take(&mut *bytes)).into_owned()
    }
}

struct Case {
    name: &'static str,
    operation: &'static str,
    request: Value,
}

async fn call(hub: &Hub, user: i64, case: &Case) -> Value {
    ops::call(hub, &hub_core::Caller::user(user), case.operation, case.request.clone())
        .await
        .unwrap_or_else(|error| panic!("{}: {error}", case.name))
}

#[tokio::main]
async fn main() {
    let captured = Captured::default();
    let sink = captured.clone();
    tracing_subscriber::fmt()
        .with_env_filter("sqlx::postgres::notice=info")
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_level(false)
        .init();

    let database = hub_tests::BenchDatabase::create("reports").await;
    let url = database.url.clone();
    let pool = PgPoolOptions::new().max_connections(4).connect(&url).await.expect("connect");
    hub_core::demo::seed(&pool).await.expect("the demo");
    let started = Instant::now();
    let outcome = hub_core::large_demo::seed(&pool, Scale::LARGE, |step| println!("seeding: {step}…"))
        .await
        .expect("the large demo");
    let LargeOutcome::Seeded(counts) = outcome else { panic!("a fresh database") };
    println!(
        "hubctl seed-demo --scale large: {} students, {} cohorts, {} sessions, {} attendance records in {:.0} s\n",
        counts.students,
        counts.cohorts,
        counts.sessions,
        counts.attendance_records,
        started.elapsed().as_secs_f64()
    );

    let hub = Hub::new(pool.clone());
    let admin_id: i64 = sqlx::query_scalar("select id from users where email = 'admin@demo.digitalhub.dev'")
        .fetch_one(&pool)
        .await
        .unwrap();
    // A cohort from the middle of the school's history, and one of its students.
    let (cohort, enrollment): (i64, i64) = sqlx::query_as(
        "select c.id, (select min(e.id) from enrollments e where e.cohort_id = c.id and e.status <> 'dropped')
           from cohorts c join programs p on p.id = c.program_id
          where p.slug like 'scale-program-%' order by c.id offset 250 limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let cases = [
        Case {
            name: "cohort attendance report (100 students × 40 sessions)",
            operation: "attendance.report_cohort",
            request: json!({ "cohort_id": cohort }),
        },
        Case {
            name: "a cohort's sessions, marks counted",
            operation: "attendance.report_sessions",
            request: json!({ "cohort_id": cohort }),
        },
        Case {
            name: "one student's record",
            operation: "attendance.report_student",
            request: json!({ "enrollment_id": enrollment }),
        },
        Case {
            name: "student list, first page (25, by name)",
            operation: "users.list",
            request: json!({ "role": "student", "per_page": 25 }),
        },
        Case {
            name: "student list, page 1,000",
            operation: "users.list",
            request: json!({ "role": "student", "per_page": 25, "page": 1000 }),
        },
        Case {
            name: "student list, search \"khoury\"",
            operation: "users.list",
            request: json!({ "role": "student", "per_page": 25, "search": "khoury" }),
        },
        Case {
            name: "cohort page (its students)",
            operation: "cohorts.get",
            request: json!({ "id": cohort }),
        },
        Case {
            name: "the cohort's attendance as CSV",
            operation: "attendance.export_csv",
            request: json!({ "report": "cohort", "cohort_id": cohort }),
        },
    ];

    println!("{:56} {:>10} {:>10}", "operation (end to end, admin)", "median", "p95");
    let mut slowest = Duration::ZERO;
    for case in &cases {
        call(&hub, admin_id, case).await; // warm the cache once
        let mut samples = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            call(&hub, admin_id, case).await;
            samples.push(started.elapsed());
        }
        samples.sort();
        let (median, p95) = (percentile(&samples, 0.5), percentile(&samples, 0.95));
        slowest = slowest.max(median);
        println!(
            "{:56} {:>7.2} ms {:>7.2} ms",
            case.name,
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }

    // The plans of the very statements the operations run.
    let explained = PgPoolOptions::new()
        .max_connections(1)
        .after_connect(|connection, _| {
            Box::pin(async move {
                for setting in [
                    "load 'auto_explain'",
                    "set auto_explain.log_min_duration = 0",
                    "set auto_explain.log_analyze = on",
                    "set auto_explain.log_buffers = on",
                    "set auto_explain.log_timing = off",
                    "set auto_explain.log_level = notice",
                    "set client_min_messages = notice",
                ] {
                    sqlx::query(setting).execute(&mut *connection).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .expect("connect with auto_explain");
    let explained_hub = Hub::new(explained.clone());
    let mut full_scans = Vec::new();
    for case in &cases {
        captured.take();
        call(&explained_hub, admin_id, case).await;
        let plans = captured.take();
        println!("\n── {} ({}) ──\n{}", case.name, case.operation, plans.trim_end());
        for table in LARGE_TABLES {
            if plans.contains(&format!("Seq Scan on {table} ")) {
                full_scans.push(format!("{}: Seq Scan on {table}", case.name));
            }
        }
    }
    println!();
    if full_scans.is_empty() {
        println!("index use: no operation reads a large table from end to end");
    } else {
        println!("full scans of large tables:\n  {}", full_scans.join("\n  "));
    }
    println!("slowest median: {:.2} ms (target: under 100 ms)", slowest.as_secs_f64() * 1000.0);

    explained.close().await;
    pool.close().await;
    database.drop().await;
}
