//! `cargo xtask bench hub`: what the hub server costs and how it holds up, against a real
//! `hubctl serve` (release build) on loopback and a real PostgreSQL, in one run:
//!
//! - an operation through the server over HTTP (token checked, JSON both ways) against the
//!   same operation called in process (`hub_core::ops::call`): what the server adds;
//! - 200 simulated desktops, each with its own connection and session, pushing 50 marks at
//!   once: all acknowledged, the time per batch;
//! - other calls' latency while 50 sign-ins a second arrive (argon2 work is bounded, so a
//!   flood of sign-ins queues behind itself, not in front of everyone).

use chrono::Utc;
use hub_client::HubClient;
use hub_core::{ops, Caller, Hub};
use hub_model::attendance::{DeviceMark, Mark, PushMarksRequest, PushOutcome};
use hub_model::auth::{LoginRequest, SessionToken};
use hub_model::ops::{ListUsers, Me, PushMarks};
use hub_model::users::ListUsersRequest;
use hub_model::NoRequest;
use hub_tests::bench::{percentile, timed};
use hub_tests::server::HubProcess;
use hub_tests::TEST_PASSWORD;
use sqlx::postgres::PgPoolOptions;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CALLS: usize = 2_000;
const DESKTOPS: usize = 200;
const MARKS_EACH: i64 = 50;
const SIGN_INS_PER_SECOND: u64 = 50;
const FLOOD: Duration = Duration::from_secs(10);

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// p50 and p99 of `samples`, sorted in place.
fn spread(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    (percentile(samples, 0.5), percentile(samples, 0.99))
}

fn line(what: &str, samples: &mut [Duration]) -> Duration {
    let (p50, p99) = spread(samples);
    println!("  {what:52} p50 {:>7.3} ms  p99 {:>7.3} ms  ({} calls)", ms(p50), ms(p99), samples.len());
    p50
}

fn login(identifier: &str) -> LoginRequest {
    LoginRequest {
        identifier: identifier.to_owned(),
        password: TEST_PASSWORD.to_owned(),
        device: Some("bench".to_owned()),
    }
}

#[tokio::main]
async fn main() {
    let database = hub_tests::BenchDatabase::create("hub").await;
    let pool = PgPoolOptions::new().max_connections(8).connect(&database.url).await.expect("connect");
    let admin = hub_tests::TestUser::ADMIN.insert(&pool, "admin@bench.example.org", None).await;
    // A directory worth listing: 2,000 people.
    sqlx::query(
        "insert into users (email, password_hash, is_student)
         select 'person' || n || '@bench.example.org', 'x', true from generate_series(1, 2000) n",
    )
    .execute(&pool)
    .await
    .unwrap();
    let server = HubProcess::spawn(database.url.clone(), "127.0.0.1:0".to_owned(), Vec::new());
    let client = HubClient::new(server.address(), None).unwrap();
    let token = client.sign_in(&login("admin@bench.example.org")).await.unwrap().token;
    let hub = Hub::new(pool.clone());
    println!("hubctl serve (release) on loopback, PostgreSQL at the bench's database; 2 cores shared by all");

    // 1. What the server adds to an operation.
    println!("an operation in process and through the hub server:");
    let caller = Caller::user(admin);
    let first_page = ListUsersRequest::default();
    for _ in 0..200 {
        // Warm both paths: connections made, statements prepared.
        ops::call(&hub, &caller, "auth.me", serde_json::Value::Null).await.unwrap();
        client.call::<Me>(Some(&token), &NoRequest {}).await.unwrap();
    }
    let inside = line(
        "auth.me in process (ops::call)",
        &mut timed(CALLS, || async {
            ops::call(&hub, &caller, "auth.me", serde_json::Value::Null).await.map(drop).unwrap();
        })
        .await,
    );
    let through = line(
        "auth.me through the hub server over HTTP",
        &mut timed(CALLS, || async {
            client.call::<Me>(Some(&token), &NoRequest {}).await.map(drop).unwrap();
        })
        .await,
    );
    println!("  added by the server at p50: {:+.3} ms (target: at most 0.5 ms)", ms(through) - ms(inside));
    let request = serde_json::to_value(&first_page).unwrap();
    let inside = line(
        "users.list, first page of 25 of 2,001, in process",
        &mut timed(CALLS / 4, || async {
            ops::call(&hub, &caller, "users.list", request.clone()).await.map(drop).unwrap();
        })
        .await,
    );
    let through = line(
        "users.list, first page of 25 of 2,001, through the server",
        &mut timed(CALLS / 4, || async {
            client.call::<ListUsers>(Some(&token), &first_page).await.map(drop).unwrap();
        })
        .await,
    );
    println!("  added by the server at p50: {:+.3} ms", ms(through) - ms(inside));

    // 2. 200 desktops push 50 marks each, all at once.
    let mut desktops = Vec::with_capacity(DESKTOPS);
    for desktop in 0..DESKTOPS {
        let cohort = hub_tests::taught_cohort(&pool, &format!("desk-{desktop}"), MARKS_EACH, 1).await;
        let own = HubClient::new(server.address(), None).unwrap();
        let token = own.sign_in(&login(&cohort.instructor_email)).await.unwrap().token;
        let marks: Vec<DeviceMark> = cohort
            .enrollments
            .iter()
            .map(|enrollment| DeviceMark {
                client_id: uuid::Uuid::new_v4(),
                session_id: cohort.sessions[0],
                enrollment_id: *enrollment,
                status: Mark::Present,
                note: None,
                marked_at: Utc::now(),
            })
            .collect();
        desktops.push((own, token, marks));
    }
    let started = Instant::now();
    let pushes: Vec<_> = desktops
        .into_iter()
        .map(|(own, token, marks): (HubClient, SessionToken, Vec<DeviceMark>)| {
            tokio::spawn(async move {
                let sent = Instant::now();
                let pushed = own
                    .call::<PushMarks>(Some(&token), &PushMarksRequest { marks })
                    .await
                    .expect("acknowledged");
                let applied =
                    pushed.marks.iter().filter(|mark| matches!(mark.outcome, PushOutcome::Applied)).count();
                (sent.elapsed(), applied)
            })
        })
        .collect();
    let mut batches = Vec::with_capacity(DESKTOPS);
    let mut applied = 0;
    for push in pushes {
        let (took, marks) = push.await.unwrap();
        batches.push(took);
        applied += marks;
    }
    let wall = started.elapsed();
    let (p50, p99) = spread(&mut batches);
    println!(
        "{DESKTOPS} desktops × {MARKS_EACH} marks at once: {applied} of {} acknowledged and applied in {:.0} ms; \
         per batch p50 {:.0} ms, p99 {:.0} ms, slowest {:.0} ms",
        DESKTOPS * usize::try_from(MARKS_EACH).unwrap(),
        ms(wall),
        ms(p50),
        ms(p99),
        ms(*batches.last().unwrap())
    );

    // 3. Other calls while sign-ins pour in.
    let quiet = line(
        "auth.me, no sign-ins arriving",
        &mut timed(CALLS / 2, || async {
            client.call::<Me>(Some(&token), &NoRequest {}).await.map(drop).unwrap();
        })
        .await,
    );
    let flood = Arc::new(std::sync::Mutex::new((Vec::<Duration>::new(), 0_usize)));
    let flooding = {
        let (address, flood) = (server.address(), flood.clone());
        tokio::spawn(async move {
            let signer = HubClient::new(address, None).unwrap();
            let mut ticks = tokio::time::interval(Duration::from_millis(1000 / SIGN_INS_PER_SECOND));
            let mut pending = Vec::new();
            let ends = Instant::now() + FLOOD;
            while Instant::now() < ends {
                ticks.tick().await;
                let (signer, flood) = (signer.clone(), flood.clone());
                pending.push(tokio::spawn(async move {
                    let sent = Instant::now();
                    let outcome = signer.sign_in(&login("admin@bench.example.org")).await;
                    let mut flood = flood.lock().unwrap();
                    match outcome {
                        Ok(_) => flood.0.push(sent.elapsed()),
                        Err(_) => flood.1 += 1,
                    }
                }));
            }
            for task in pending {
                let _ = task.await;
            }
        })
    };
    let mut busy = Vec::new();
    let ends = Instant::now() + FLOOD;
    while Instant::now() < ends {
        let started = Instant::now();
        client.call::<Me>(Some(&token), &NoRequest {}).await.unwrap();
        busy.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    flooding.await.unwrap();
    let loud = line(&format!("auth.me while {SIGN_INS_PER_SECOND} sign-ins a second arrive"), &mut busy);
    let (mut signed, refused) = std::mem::take(&mut *flood.lock().unwrap());
    let (sign_in_p50, sign_in_p99) = spread(&mut signed);
    println!(
        "  the sign-ins: {} answered, {refused} told to try again (too many at once); p50 {:.0} ms, p99 {:.0} ms",
        signed.len(),
        ms(sign_in_p50),
        ms(sign_in_p99)
    );
    println!("  p50 of other calls moved by {:+.3} ms under the flood", ms(loud) - ms(quiet));

    drop(server);
    pool.close().await;
    database.drop().await;
}
