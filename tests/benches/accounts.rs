//! `cargo xtask bench`: how long the things people wait on take, on a real PostgreSQL, in
//! process (the hub server's own cost is `bench hub`'s). Prints medians over repeated runs;
//! the figures go in docs/BENCHMARKS.md.
//!
//! - password hashing and verification (argon2id, OWASP parameters)
//! - `auth.sign_in` end to end (lookup, verification, bookkeeping, the session opened)
//! - `users.list` with 50,000 users: first page, a search, a role filter, a deep page

use hub_core::{ops, password, Caller, Hub};
use hub_tests::bench::timed;
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn report(name: &str, samples: Vec<Duration>) {
    let runs = samples.len();
    let median = median(samples);
    println!("{name:48} median {:>9.2} ms  ({runs} runs)", median.as_secs_f64() * 1000.0);
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("hub").await;
    let url = database.url.clone();
    let pool = PgPoolOptions::new().max_connections(4).connect(&url).await.expect("connect");
    let hub = Hub::new(pool.clone());

    let hash = password::hash(PASSWORD).unwrap();
    report(
        "argon2id hash (m=19 MiB, t=2, p=1)",
        timed(20, || async { password::hash(PASSWORD).map(drop).unwrap() }).await,
    );
    report("argon2id verify", timed(20, || async { assert!(password::verify(PASSWORD, &hash)) }).await);

    // 50,000 users with student profiles, one admin; every user shares one hash, which is
    // fine for timing and saves 50,000 hashings.
    sqlx::query(
        "insert into users (email, phone, password_hash, is_admin, is_instructor, is_student, is_active, last_login_at)
         select 'user' || n || '@bench.example.org', '+9617' || lpad(n::text, 7, '0'), $1,
                n = 1, n % 10 = 0, n % 10 <> 0, n % 50 <> 0, now() - n * interval '1 minute'
           from generate_series(1, 50000) as n",
    )
    .bind(&hash)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into student_profiles (user_id, full_name)
         select id, 'Student ' || id from users where is_student",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("analyze").execute(&pool).await.unwrap();
    let admin_id: i64 =
        sqlx::query_scalar("select id from users where is_admin").fetch_one(&pool).await.unwrap();

    report(
        "auth.sign_in (email, right password)",
        timed(20, || async {
            let request = json!({ "identifier": "user2@bench.example.org", "password": PASSWORD });
            ops::call(&hub, &Caller::anonymous(), "auth.sign_in", request).await.unwrap();
        })
        .await,
    );
    for (name, request) in [
        ("users.list 50k: first page of 25, by name", json!({})),
        ("users.list 50k: search \"user4321\"", json!({ "search": "user4321" })),
        ("users.list 50k: search phone digits \"0012345\"", json!({ "search": "0012345" })),
        (
            "users.list 50k: instructors, by last sign-in",
            json!({ "role": "instructor", "sort": "last_login_at" }),
        ),
        (
            "users.list 50k: page 1000 of 50, by email desc",
            json!({ "page": 1000, "per_page": 50, "sort": "email", "descending": true }),
        ),
    ] {
        report(
            name,
            timed(10, || {
                let request = request.clone();
                let hub = &hub;
                async move {
                    ops::call(hub, &Caller::user(admin_id), "users.list", request).await.unwrap();
                }
            })
            .await,
        );
    }

    drop(hub);
    pool.close().await;
    database.drop().await;
}
