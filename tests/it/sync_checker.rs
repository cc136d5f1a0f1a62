//! A randomized checker of offline sync, in the spirit of Jepsen's: several devices, each a
//! real SQLite store, mark at random with skewed clocks (a day behind, a few minutes ahead,
//! ten years ahead) while their batches reach a real hub server duplicated, reordered, cut
//! mid-way, or with the process killed between the server's commit and the local
//! acknowledgement. At the end, after every device has synced twice:
//!
//! - nothing is lost: every mark any device made is in the server's history, exactly once;
//! - nothing waits: every outbox is empty, and no mark was refused;
//! - the records are right: each student's record for a session is the latest of their marks
//!   by (time, client id), the time being the server's receipt time for a clock out of bounds;
//! - every device converges: each roster it keeps shows the server's records.
//!
//! Seeded and reproducible: `HUB_SYNC_SEED` picks the seed (a failure prints it), and
//! `HUB_SYNC_ROUNDS` the rounds: 300 by default, what CI runs — 4 devices of 3 people, 159
//! marks, 69 syncs and 39 faulty batches on its seed (more in docs/BENCHMARKS.md).
//! `HUB_SYNC_ROUNDS=5000 cargo test -p hub-tests --test it sync_checker` runs longer.

use chrono::{DateTime, Duration, Utc};
use hub_core::demo::DEMO_PASSWORD;
use hub_model::attendance::{DeviceMark, Mark, PushMarksRequest};
use hub_model::auth::SessionToken;
use hub_model::ops::PushMarks;
use hub_offline::sync::{sync_once, Session};
use hub_offline::LocalStore;
use hub_tests::server::TestServer;
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use uuid::Uuid;

/// One device: a store file, whose person, and how wrong its clock is.
struct Device {
    path: PathBuf,
    store: Option<LocalStore>,
    user_id: i64,
    token: SessionToken,
    skew: Duration,
}

impl Device {
    fn store(&self) -> &LocalStore {
        self.store.as_ref().expect("the store is open")
    }

    fn session<'a>(&'a self, server: &'a TestServer) -> Session<'a> {
        Session { client: &server.client, token: &self.token, user_id: self.user_id }
    }

    /// The process dies and starts again: the store is closed without a word, and reopened.
    async fn restart(&mut self) {
        drop(self.store.take());
        self.store = Some(LocalStore::open(&self.path).await.expect("the store reopens"));
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

#[derive(Debug, Default)]
struct Figures {
    marks: usize,
    syncs: usize,
    duplicated: usize,
    reordered: usize,
    cut: usize,
    killed: usize,
}

/// One batch from `device`'s outbox, sent with `fault`; the device acknowledges what came
/// back unless the fault is a kill.
async fn faulty_push(
    device: &mut Device,
    server: &TestServer,
    rng: &mut fastrand::Rng,
    figures: &mut Figures,
) {
    let mut batch = device.store().waiting(device.user_id, 50, 0).await.expect("the outbox reads");
    if batch.is_empty() {
        return;
    }
    let push = |marks: Vec<DeviceMark>| async {
        server
            .call::<PushMarks>(&device.token, &PushMarksRequest { marks })
            .await
            .expect("the hub takes the batch")
    };
    match rng.u8(0..4) {
        0 => {
            figures.duplicated += 1;
            push(batch.clone()).await;
            let again = push(batch).await;
            device.store().acknowledge(&again.marks).await.expect("acknowledged");
        }
        1 => {
            figures.reordered += 1;
            rng.shuffle(&mut batch);
            let pushed = push(batch).await;
            device.store().acknowledge(&pushed.marks).await.expect("acknowledged");
        }
        2 => {
            figures.cut += 1;
            batch.truncate(rng.usize(1..=batch.len()));
            let pushed = push(batch).await;
            device.store().acknowledge(&pushed.marks).await.expect("acknowledged");
        }
        _ => {
            figures.killed += 1;
            push(batch).await;
            device.restart().await;
        }
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn devices_with_wrong_clocks_and_faulty_batches_lose_nothing_and_converge(pool: PgPool) {
    let seed = env_number("HUB_SYNC_SEED", 20261202);
    let rounds = env_number("HUB_SYNC_ROUNDS", 300);
    let mut rng = fastrand::Rng::with_seed(seed);
    hub_core::demo::seed(&pool).await.unwrap();
    let server = TestServer::start(&pool).await;
    let people = [
        ("lead@demo.digitalhub.dev", Duration::zero()),
        ("instructor@demo.digitalhub.dev", Duration::minutes(3)),
        ("mentor@demo.digitalhub.dev", -Duration::days(1)),
        // Lina again, on a second laptop whose clock is ten years ahead.
        ("lead@demo.digitalhub.dev", Duration::days(3650)),
    ];
    let mut devices = Vec::new();
    for (email, skew) in people {
        let path = std::env::temp_dir().join(format!("hub-checker-{}.sqlite", Uuid::new_v4()));
        let device = Device {
            store: Some(LocalStore::open(&path).await.unwrap()),
            path,
            user_id: hub_tests::user_id(&pool, email).await,
            token: server.sign_in(email, DEMO_PASSWORD).await,
            skew,
        };
        sync_once(device.store(), device.session(&server)).await.unwrap();
        devices.push(device);
    }
    // What each device can mark: the running cohort's sessions around today, and its roster.
    let mut targets: Vec<(i64, Vec<i64>)> = Vec::new();
    for session in devices[0].store().sessions(devices[0].user_id).await.unwrap() {
        let roster = devices[0].store().roster(devices[0].user_id, session.id).await.unwrap();
        if (session.date - Utc::now().date_naive()).num_days().abs() <= 7 && !roster.is_empty() {
            targets.push((session.id, roster.iter().map(|entry| entry.enrollment_id).collect()));
        }
    }
    assert!(targets.len() >= 3, "sessions to mark: {targets:?}");
    let before: HashMap<(i64, i64), (DateTime<Utc>, Uuid, String)> = sqlx::query!(
        "select session_id, enrollment_id, marked_at, client_id, status from attendance_records"
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| {
        ((row.session_id, row.enrollment_id), (row.marked_at, row.client_id.unwrap_or_default(), row.status))
    })
    .collect();

    let mut made: HashSet<Uuid> = HashSet::new();
    let mut figures = Figures::default();
    let statuses = [Mark::Present, Mark::Absent, Mark::Late, Mark::Excused];
    for _ in 0..rounds {
        let device = &mut devices[rng.usize(0..people.len())];
        match rng.u8(0..10) {
            0..=5 => {
                let (session, roster) = &targets[rng.usize(0..targets.len())];
                let enrollment = roster[rng.usize(0..roster.len())];
                let at = Utc::now() + device.skew + Duration::milliseconds(rng.i64(-5_000..5_000));
                let status = statuses[rng.usize(0..statuses.len())];
                let note = rng.bool().then(|| format!("round note {}", rng.u16(..)));
                let mark = device
                    .store()
                    .mark(device.user_id, *session, enrollment, status, note.as_deref(), at)
                    .await
                    .expect("a mark is kept on the device");
                made.insert(mark.client_id);
                figures.marks += 1;
            }
            6 | 7 => faulty_push(device, &server, &mut rng, &mut figures).await,
            _ => {
                figures.syncs += 1;
                sync_once(device.store(), device.session(&server)).await.expect("the sync completes");
            }
        }
    }
    // Everyone syncs twice: their own marks up, then everyone's records down.
    for _ in 0..2 {
        for device in &devices {
            sync_once(device.store(), device.session(&server)).await.unwrap();
        }
    }
    let context = format!("seed {seed}, {rounds} rounds, {figures:?}");

    for device in &devices {
        let status = device.store().status(device.user_id).await.unwrap();
        assert_eq!(status.waiting, 0, "{context}: a mark still waits");
        assert!(status.rejected.iter().all(|mark| mark.kept), "{context}: refused {:?}", status.rejected);
    }
    let history: Vec<(Uuid, i64, i64, DateTime<Utc>, String)> = sqlx::query!(
        "select client_id, session_id, enrollment_id, marked_at, status from attendance_history where client_id = any($1)",
        &made.iter().copied().collect::<Vec<_>>()
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.client_id, row.session_id, row.enrollment_id, row.marked_at, row.status))
    .collect();
    let kept: HashSet<Uuid> = history.iter().map(|row| row.0).collect();
    assert_eq!(kept.len(), history.len(), "{context}: a mark is in history twice");
    assert_eq!(kept, made, "{context}: every mark made is in history");

    // The record of each pair is the latest of its marks by (time, client id).
    let mut expected = before.clone();
    for (client_id, session, enrollment, at, status) in &history {
        let latest = expected.entry((*session, *enrollment)).or_insert((*at, *client_id, status.clone()));
        if (*at, *client_id) > (latest.0, latest.1) {
            *latest = (*at, *client_id, status.clone());
        }
    }
    let records: HashMap<(i64, i64), String> =
        sqlx::query!("select session_id, enrollment_id, status from attendance_records")
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .map(|row| ((row.session_id, row.enrollment_id), row.status))
            .collect();
    for (pair, (_, _, status)) in &expected {
        assert_eq!(records.get(pair), Some(status), "{context}: the record of {pair:?}");
    }
    for device in &devices {
        for (session, _) in &targets {
            for entry in device.store().roster(device.user_id, *session).await.unwrap() {
                let server =
                    records.get(&(*session, entry.enrollment_id)).and_then(|status| Mark::parse(status));
                assert_eq!(entry.status, server, "{context}: device of {} on {session}", device.user_id);
            }
        }
    }
    eprintln!("sync checker: {context}; {} devices, {} marks in history", devices.len(), history.len());
}
