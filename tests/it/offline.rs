//! Offline-first attendance with real SQLite files, a real hub server over HTTP and a real
//! PostgreSQL: marks made with the hub away reach it after reconnecting; a process killed
//! between the server's commit and the local acknowledgement loses nothing and duplicates
//! nothing; two devices converge; a refused mark is shown and does not hold back the rest;
//! each person's marks go with their own session only, and wait (shown) while it is not
//! there; an instructor who signed in once signs in again offline.

use chrono::{Duration, Utc};
use hub_client::HubClient;
use hub_core::demo::DEMO_PASSWORD;
use hub_model::attendance::{Mark, MarkAttendanceRequest, PushMarksRequest};
use hub_model::auth::SessionToken;
use hub_model::connection::HubAddress;
use hub_offline::sync::{sync_once, Session};
use hub_offline::LocalStore;
use hub_tests::server::TestServer;
use sqlx::PgPool;
use std::path::PathBuf;

/// Someone signed in to the hub: their id and their session's token.
struct Person {
    id: i64,
    token: SessionToken,
}

impl Person {
    async fn sign_in(server: &TestServer, pool: &PgPool, email: &str) -> Self {
        Self { id: hub_tests::user_id(pool, email).await, token: server.sign_in(email, DEMO_PASSWORD).await }
    }

    /// Their side of the hub at `client`, for the sync.
    fn at<'a>(&'a self, client: &'a HubClient) -> Session<'a> {
        Session { client, token: &self.token, user_id: self.id }
    }
}

/// A store file of its own for one test device, removed when the test ends.
struct Device {
    path: PathBuf,
}

impl Device {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "hub-offline-{}-{name}-{}.sqlite",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
        Self { path }
    }

    async fn open(&self) -> LocalStore {
        LocalStore::open(&self.path).await.expect("the local store opens")
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

/// A hub that does not answer: what a laptop on a train sees.
fn unreachable() -> HubClient {
    HubClient::new(HubAddress::parse("address", "http://127.0.0.1:1").unwrap(), None).unwrap()
}

async fn server_record(pool: &PgPool, session: i64, enrollment: i64) -> Option<(String, Option<uuid::Uuid>)> {
    sqlx::query!(
        "select status, client_id from attendance_records where session_id = $1 and enrollment_id = $2",
        session,
        enrollment
    )
    .fetch_optional(pool)
    .await
    .unwrap()
    .map(|row| (row.status, row.client_id))
}

async fn history(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(r#"select count(*) as "n!" from attendance_history"#).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn marks_made_offline_reach_the_server_after_reconnecting(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let device = Device::new("laptop");
    let store = device.open().await;
    // Online once: the sessions and rosters come down.
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let roster = store.roster(lina.id, session).await.unwrap();
    assert!(roster.len() >= 10, "the roster is kept on the machine: {roster:?}");

    // The network goes: three marks, each saved the moment it is made.
    let now = Utc::now();
    for (entry, mark) in roster.iter().zip([Mark::Absent, Mark::Late, Mark::Excused]) {
        store.mark(lina.id, session, entry.enrollment_id, mark, Some("offline"), now).await.unwrap();
    }
    let failed = sync_once(&store, lina.at(&unreachable())).await;
    assert!(failed.is_err(), "no database, no sync");
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 3);
    assert!(store.roster(lina.id, session).await.unwrap()[0].waiting, "shown as waiting");
    assert_ne!(
        server_record(&pool, session, roster[1].enrollment_id).await.map(|r| r.0).as_deref(),
        Some("late"),
        "the server has not seen it yet"
    );

    // The network is back.
    let report = sync_once(&store, lina.at(&server.client)).await.unwrap();
    assert_eq!((report.sent, report.rejected), (3, 0));
    assert_eq!(server_record(&pool, session, roster[0].enrollment_id).await.unwrap().0, "absent");
    assert_eq!(server_record(&pool, session, roster[1].enrollment_id).await.unwrap().0, "late");
    assert_eq!(server_record(&pool, session, roster[2].enrollment_id).await.unwrap().0, "excused");
    let status = store.status(lina.id).await.unwrap();
    assert_eq!((status.waiting, status.rejected.len()), (0, 0));
    assert!(status.last_sync_at.is_some());
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn killed_between_the_server_commit_and_the_local_ack_loses_and_duplicates_nothing(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let device = Device::new("killed");
    let store = device.open().await;
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let roster = store.roster(lina.id, session).await.unwrap();
    for entry in &roster[..4] {
        store.mark(lina.id, session, entry.enrollment_id, Mark::Absent, None, Utc::now()).await.unwrap();
    }
    // The batch reaches the server, which commits it and answers; the process dies before
    // the answer is written down.
    let batch = store.waiting(lina.id, 500, 0).await.unwrap();
    server.call::<hub_model::ops::PushMarks>(&lina.token, &PushMarksRequest { marks: batch }).await.unwrap();
    drop(store);
    let kept = history(&pool).await;

    let store = device.open().await;
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 4, "nothing was lost on the machine");
    let report = sync_once(&store, lina.at(&server.client)).await.unwrap();
    assert_eq!(report.sent, 4);
    assert_eq!(history(&pool).await, kept, "nothing duplicated on the server");
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 0);
    for entry in &roster[..4] {
        assert_eq!(server_record(&pool, session, entry.enrollment_id).await.unwrap().0, "absent");
    }
}

/// The sync runs in the background while the instructor marks: each of their marks is kept
/// the moment it is made, however the two meet in the store (a mark that read the roster
/// just before a sync wrote was once refused with "database is locked").
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn marks_made_while_the_sync_writes_the_store_are_all_kept(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let device = Device::new("busy");
    let store = device.open().await;
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let roster = store.roster(lina.id, session).await.unwrap();
    let everyone: Vec<(i64, Mark)> =
        roster.iter().map(|entry| (entry.enrollment_id, Mark::Present)).collect();

    let marking = async {
        let mut refused = Vec::new();
        for round in 0..60 {
            let entry = &roster[round % roster.len()];
            let mark = if round % 2 == 0 { Mark::Absent } else { Mark::Late };
            if let Err(error) =
                store.mark(lina.id, session, entry.enrollment_id, mark, None, Utc::now()).await
            {
                refused.push(error.to_string());
            }
            if let Err(error) = store.mark_many(lina.id, session, &everyone, Utc::now()).await {
                refused.push(error.to_string());
            }
            tokio::task::yield_now().await;
        }
        refused
    };
    let syncing = async {
        for _ in 0..20 {
            sync_once(&store, lina.at(&server.client)).await.expect("each sync completes");
        }
    };
    let (refused, ()) = tokio::join!(marking, syncing);
    assert_eq!(refused, Vec::<String>::new(), "no mark was refused by a sync at work");

    sync_once(&store, lina.at(&server.client)).await.unwrap();
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 0, "every mark reached the hub");
    for entry in &roster {
        assert_eq!(server_record(&pool, session, entry.enrollment_id).await.unwrap().0, "present");
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_devices_marking_the_same_student_converge_and_history_keeps_both(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let karim = Person::sign_in(&server, &pool, "instructor@demo.digitalhub.dev").await;
    let (first, second) = (Device::new("lina"), Device::new("karim"));
    let (linas, karims) = (first.open().await, second.open().await);
    sync_once(&linas, lina.at(&server.client)).await.unwrap();
    sync_once(&karims, karim.at(&server.client)).await.unwrap();
    let student = linas.roster(lina.id, session).await.unwrap()[0].enrollment_id;
    let before = history(&pool).await;
    // Both offline; Karim marks later than Lina, but Lina syncs last.
    linas
        .mark(lina.id, session, student, Mark::Absent, None, Utc::now() - Duration::minutes(5))
        .await
        .unwrap();
    let late =
        karims.mark(karim.id, session, student, Mark::Late, Some("came at 9:20"), Utc::now()).await.unwrap();
    sync_once(&karims, karim.at(&server.client)).await.unwrap();
    sync_once(&linas, lina.at(&server.client)).await.unwrap();
    sync_once(&karims, karim.at(&server.client)).await.unwrap();
    assert_eq!(
        server_record(&pool, session, student).await.unwrap(),
        ("late".to_owned(), Some(late.client_id))
    );
    for (store, person) in [(&linas, lina.id), (&karims, karim.id)] {
        let shown = store
            .roster(person, session)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.enrollment_id == student)
            .unwrap();
        assert_eq!(
            (shown.status, shown.note.as_deref(), shown.waiting),
            (Some(Mark::Late), Some("came at 9:20"), false)
        );
    }
    assert_eq!(history(&pool).await, before + 2, "both marks kept");

    // Lina's mark is in history but not the record: her device tells her, and sends it no
    // more; Karim's has nothing to tell.
    let told = linas.status(lina.id).await.unwrap();
    assert_eq!(told.waiting, 0);
    assert_eq!(
        told.rejected.iter().map(|mark| (mark.status, mark.kept, mark.reason.as_str())).collect::<Vec<_>>(),
        [(Mark::Absent, true, hub_model::attendance::SUPERSEDED)]
    );
    assert!(karims.status(karim.id).await.unwrap().rejected.is_empty());
    // A mark replaced by a later one made on the same device is nothing to tell.
    let other = linas.roster(lina.id, session).await.unwrap()[1].enrollment_id;
    linas.mark(lina.id, session, other, Mark::Absent, None, Utc::now() - Duration::minutes(1)).await.unwrap();
    linas.mark(lina.id, session, other, Mark::Late, None, Utc::now()).await.unwrap();
    sync_once(&linas, lina.at(&server.client)).await.unwrap();
    assert_eq!(linas.status(lina.id).await.unwrap().rejected.len(), 1, "still only the first notice");
    assert_eq!(server_record(&pool, session, other).await.unwrap().0, "late");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_refused_mark_is_shown_and_the_rest_of_the_queue_flows(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let device = Device::new("refused");
    let store = device.open().await;
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let roster = store.roster(lina.id, session).await.unwrap();
    let (dropped, kept) = (roster[0].enrollment_id, roster[1].enrollment_id);
    store.mark(lina.id, session, dropped, Mark::Present, None, Utc::now()).await.unwrap();
    store.mark(lina.id, session, kept, Mark::Late, None, Utc::now()).await.unwrap();
    // Meanwhile, at the office, the first student drops out.
    sqlx::query!("update enrollments set status = 'dropped' where id = $1", dropped)
        .execute(&pool)
        .await
        .unwrap();
    let report = sync_once(&store, lina.at(&server.client)).await.unwrap();
    assert_eq!((report.sent, report.rejected), (1, 1));
    assert_eq!(server_record(&pool, session, kept).await.unwrap().0, "late");
    let status = store.status(lina.id).await.unwrap();
    assert_eq!(status.waiting, 0, "the refused mark is not sent again");
    assert_eq!(status.rejected.len(), 1);
    assert_eq!(status.rejected[0].reason, "the student has dropped out of the cohort");
    assert_eq!(sync_once(&store, lina.at(&server.client)).await.unwrap().rejected, 0);
    store.dismiss(status.rejected[0].client_id).await.unwrap();
    assert!(store.status(lina.id).await.unwrap().rejected.is_empty());
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_who_signed_in_here_once_signs_in_offline(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let server = TestServer::start(&pool).await;
    let user = server.try_sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await.unwrap().user;
    let device = Device::new("signin");
    let store = device.open().await;
    store.remember_sign_in(" Instructor@demo.digitalhub.dev", DEMO_PASSWORD, &user).await.unwrap();
    let offline = store.sign_in_offline("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await.unwrap();
    assert_eq!(offline.map(|user| user.full_name), Some(user.full_name.clone()));
    assert_eq!(
        store.sign_in_offline("instructor@demo.digitalhub.dev", "not the password").await.unwrap(),
        None
    );
    assert_eq!(store.sign_in_offline("someone@else.org", DEMO_PASSWORD).await.unwrap(), None);
    // A password changed on this computer: the old one no longer opens anything offline.
    store.replace_verifier(user.id, "a brand new password").await.unwrap();
    assert_eq!(store.sign_in_offline("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await.unwrap(), None);
    assert!(store
        .sign_in_offline("instructor@demo.digitalhub.dev", "a brand new password")
        .await
        .unwrap()
        .is_some());
    // Offline, they are who they signed in as: the identifier they typed, nothing more.
    let offline =
        store.sign_in_offline("instructor@demo.digitalhub.dev", "a brand new password").await.unwrap();
    let offline = offline.unwrap();
    assert_eq!(
        (offline.email.as_deref(), offline.phone.as_deref()),
        (Some("instructor@demo.digitalhub.dev"), None)
    );
    drop(store);
    // On disk (the store and its journal): an argon2id verifier of its own, neither the
    // password nor the server's hash, and no contact detail it does not need (their phone).
    let mut text = String::new();
    for suffix in ["", "-wal"] {
        if let Ok(bytes) = std::fs::read(format!("{}{suffix}", device.path.display())) {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    let server_hash: String = sqlx::query_scalar!("select password_hash from users where id = $1", user.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!text.contains(DEMO_PASSWORD) && !text.contains(&server_hash));
    let phone = user.phone.clone().expect("the demo instructor has a phone");
    assert!(!text.contains(&phone), "the store keeps no phone number");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn wrong_passwords_at_the_offline_sign_in_lock_the_identifier_as_the_hub_would(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let server = TestServer::start(&pool).await;
    let user = server.try_sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await.unwrap().user;
    let device = Device::new("throttle");
    let store = device.open().await;
    store.remember_sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD, &user).await.unwrap();
    let karim = "instructor@demo.digitalhub.dev";
    // Four guesses are free; the fifth locks the identifier for 30 s, the next for longer.
    for guess in 0..4 {
        assert_eq!(store.sign_in_offline(karim, &format!("guess {guess}")).await.unwrap(), None);
    }
    assert!(matches!(store.sign_in_offline(karim, "guess 4").await, Err(hub_offline::Error::Locked(30))));
    // Locked, even the right password is not checked.
    let locked = store.sign_in_offline(karim, DEMO_PASSWORD).await.unwrap_err();
    assert!(locked.to_string().contains("too many wrong passwords on this computer"), "{locked}");
    // An identifier nobody used here counts the same: probing tells nothing.
    for guess in 0..4 {
        assert_eq!(store.sign_in_offline("rami@example.org", &format!("guess {guess}")).await.unwrap(), None);
    }
    assert!(matches!(
        store.sign_in_offline("rami@example.org", "guess 4").await,
        Err(hub_offline::Error::Locked(_))
    ));
    drop(store);

    // The lock runs out (its end moved into the past, as time would): one more wrong
    // password locks for 60 s; then the lock ends again and the right password clears it all.
    let ended = || async {
        let file = sqlx::SqlitePool::connect(&format!("sqlite://{}", device.path.display())).await.unwrap();
        sqlx::query("update sign_in_failures set locked_until = '2000-01-01T00:00:00Z'")
            .execute(&file)
            .await
            .unwrap();
        file.close().await;
    };
    ended().await;
    let store = device.open().await;
    assert!(matches!(store.sign_in_offline(karim, "guess 5").await, Err(hub_offline::Error::Locked(60))));
    drop(store);
    ended().await;
    let store = device.open().await;
    assert!(store.sign_in_offline(karim, DEMO_PASSWORD).await.unwrap().is_some());
    assert_eq!(store.sign_in_offline(karim, "one slip").await.unwrap(), None, "the count starts again");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn on_a_shared_machine_each_persons_marks_go_with_their_own_session_and_wait_for_it(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let karim = Person::sign_in(&server, &pool, "instructor@demo.digitalhub.dev").await;
    let student = Person::sign_in(&server, &pool, "student@demo.digitalhub.dev").await;
    let device = Device::new("shared");
    let store = device.open().await;
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let roster = store.roster(lina.id, session).await.unwrap();
    let linas =
        store.mark(lina.id, session, roster[0].enrollment_id, Mark::Absent, None, Utc::now()).await.unwrap();

    // Lina leaves the laptop offline; a student signs in on it later, online: Lina's mark is
    // not theirs to send. It waits for her, shown as hers.
    sync_once(&store, student.at(&server.client)).await.unwrap();
    assert!(store.sessions(student.id).await.unwrap().is_empty(), "a student keeps no roster here");
    assert!(!store.sessions(lina.id).await.unwrap().is_empty(), "Lina's sessions are still hers");
    let sent: i64 = sqlx::query_scalar("select count(*) from attendance_history where client_id = $1")
        .bind(linas.client_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sent, 0, "never sent with someone else's session");
    let seen_by_student = store.status(student.id).await.unwrap();
    assert_eq!(seen_by_student.waiting, 0);
    assert_eq!(seen_by_student.waiting_for_others.len(), 1);
    assert_eq!(
        (seen_by_student.waiting_for_others[0].user_id, seen_by_student.waiting_for_others[0].marks),
        (lina.id, 1)
    );

    // Lina signs in again: her mark goes, as hers.
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let marked_by: Option<i64> =
        sqlx::query_scalar!("select marked_by from attendance_history where client_id = $1", linas.client_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(marked_by, Some(lina.id), "sent as the person who made it");
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 0);

    // Karim marks, then his account is deactivated: his mark waits (never lost, never sent as
    // anyone else) and does not stop Lina's sync.
    let karims = store.mark(karim.id, session, roster[1].enrollment_id, Mark::Late, None, Utc::now()).await;
    assert!(karims.is_err(), "Karim has not synced here: no roster of his to mark");
    store.mark(lina.id, session, roster[2].enrollment_id, Mark::Late, None, Utc::now()).await.unwrap();
    let admin = hub_tests::user_id(&pool, "admin@demo.digitalhub.dev").await;
    hub_tests::Caller::as_user(&pool, admin)
        .call::<hub_model::ops::SetActive>(&hub_model::users::SetActiveRequest {
            id: karim.id,
            is_active: false,
        })
        .await
        .unwrap();
    let ended = sync_once(&store, karim.at(&server.client)).await.unwrap_err();
    assert!(ended.is_signed_out(), "the deactivation ended his session: {ended:?}");
    let report = sync_once(&store, lina.at(&server.client)).await.unwrap();
    assert_eq!((report.sent, report.rejected), (1, 0));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_session_that_ended_keeps_its_marks_waiting_until_its_person_signs_in_again(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let karim = Person::sign_in(&server, &pool, "instructor@demo.digitalhub.dev").await;
    let device = Device::new("ended");
    let store = device.open().await;
    sync_once(&store, karim.at(&server.client)).await.unwrap();
    let roster = store.roster(karim.id, session).await.unwrap();
    for entry in &roster[..3] {
        store.mark(karim.id, session, entry.enrollment_id, Mark::Present, None, Utc::now()).await.unwrap();
    }
    // An administrator signs Karim out everywhere while he marks.
    let admin = server.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    server
        .call::<hub_model::ops::RevokeAllDevices>(
            &admin,
            &hub_model::devices::UserDevicesRequest { user_id: karim.id },
        )
        .await
        .unwrap();
    let refused = sync_once(&store, karim.at(&server.client)).await.unwrap_err();
    assert!(refused.is_signed_out(), "{refused:?}");
    assert_eq!(store.status(karim.id).await.unwrap().waiting, 3, "nothing lost, nothing set aside");
    assert!(store.roster(karim.id, session).await.unwrap()[0].waiting);

    // He signs in again: the same marks go, once.
    let again = Person::sign_in(&server, &pool, "instructor@demo.digitalhub.dev").await;
    let report = sync_once(&store, again.at(&server.client)).await.unwrap();
    assert_eq!((report.sent, report.rejected), (3, 0));
    for entry in &roster[..3] {
        assert_eq!(server_record(&pool, session, entry.enrollment_id).await.unwrap().0, "present");
    }
    let history: i64 = sqlx::query_scalar(
        "select count(*) from attendance_history where marked_by = $1 and status = 'present'",
    )
    .bind(karim.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(history >= 3);
}

#[cfg(unix)]
#[tokio::test]
async fn the_offline_store_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let device = Device::new("private");
    let store = device.open().await;
    store.set_meta("probe", "written").await.unwrap();
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", device.path.display());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{path} is {mode:o}");
    }
    drop(store);
    // A store an older version made readable by others is made private when opened.
    std::fs::set_permissions(&device.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _store = device.open().await;
    assert_eq!(std::fs::metadata(&device.path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_bad_mark_is_refused_on_the_machine_and_writes_nothing(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let device = Device::new("bad");
    let store = device.open().await;
    sync_once(&store, lina.at(&server.client)).await.unwrap();
    let student = store.roster(lina.id, session).await.unwrap()[0].enrollment_id;
    let long = "x".repeat(501);
    let refused =
        store.mark(lina.id, session, student, Mark::Late, Some(&long), Utc::now()).await.unwrap_err();
    assert!(matches!(refused, hub_offline::Error::Invalid { field: "note", .. }), "{refused:?}");
    let refused = store.mark(lina.id, session, 999_999, Mark::Late, None, Utc::now()).await.unwrap_err();
    assert!(matches!(refused, hub_offline::Error::Invalid { field: "enrollment_id", .. }), "{refused:?}");
    let all = store
        .mark_many(lina.id, session, &[(student, Mark::Present), (999_999, Mark::Present)], Utc::now())
        .await;
    assert!(all.is_err(), "all or nothing");
    assert_eq!(store.status(lina.id).await.unwrap().waiting, 0, "nothing queued");
    assert_eq!(store.roster(lina.id, session).await.unwrap()[0].status, None, "nothing shown");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_cohort_newly_taught_comes_with_the_marks_it_already_has(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let session = hub_tests::demo_class_today(&pool).await;
    let server = TestServer::start(&pool).await;
    let lina = Person::sign_in(&server, &pool, "lead@demo.digitalhub.dev").await;
    let karim = Person::sign_in(&server, &pool, "instructor@demo.digitalhub.dev").await;
    let cohort: i64 = sqlx::query_scalar!("select cohort_id from sessions where id = $1", session)
        .fetch_one(&pool)
        .await
        .unwrap();
    let removed = sqlx::query!(
        "delete from cohort_instructors where cohort_id = $1 and instructor_user_id = $2 returning cohort_role",
        cohort,
        karim.id
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    let device = Device::new("newly");
    let store = device.open().await;
    // Karim syncs while not teaching it; Lina then marks a student online; Karim syncs again.
    sync_once(&store, karim.at(&server.client)).await.unwrap();
    let student: i64 = sqlx::query_scalar!(
        "select id from enrollments where cohort_id = $1 and status = 'active' order by id limit 1",
        cohort
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    hub_tests::Caller::as_user(&pool, lina.id)
        .call::<hub_model::ops::MarkAttendance>(&MarkAttendanceRequest {
            session_id: session,
            enrollment_id: student,
            status: Mark::Excused,
            note: None,
        })
        .await
        .unwrap();
    sync_once(&store, karim.at(&server.client)).await.unwrap();
    // Now he is given the cohort: its marks, older than his cursor, come with it.
    sqlx::query!(
        "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, $3)",
        cohort,
        karim.id,
        removed.map_or_else(|| "assistant".to_owned(), |row| row.cohort_role)
    )
    .execute(&pool)
    .await
    .unwrap();
    sync_once(&store, karim.at(&server.client)).await.unwrap();
    let shown = store.roster(karim.id, session).await.unwrap();
    let entry = shown.iter().find(|entry| entry.enrollment_id == student).expect("on his roster now");
    assert_eq!(entry.status, Some(Mark::Excused));
}
