//! Offline-first attendance with real SQLite files and a real PostgreSQL: marks made with
//! the database away reach it after reconnecting; a process killed between the server's
//! commit and the local acknowledgement loses nothing and duplicates nothing; two devices
//! converge; a refused mark is shown and does not hold back the rest; an instructor who
//! signed in once signs in again offline.

use chrono::{Duration, Utc};
use hub_core::Hub;
use hub_model::attendance::Mark;
use hub_offline::sync::sync_once;
use hub_offline::LocalStore;
use hub_tests::user_id;
use sqlx::PgPool;
use std::path::PathBuf;

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

/// A hub whose database does not answer: what a laptop on a train sees.
fn unreachable() -> Hub {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(std::time::Duration::from_secs(1))
        .connect_lazy("postgres://nobody@127.0.0.1:1/nothing")
        .unwrap();
    Hub::new(pool)
}

/// The latest session of the running cohort, whose roster the device marks.
async fn todays_session(pool: &PgPool) -> i64 {
    sqlx::query_scalar!(
        "select s.id from sessions s join cohorts c on c.id = s.cohort_id where c.status = 'running' order by s.date desc limit 1"
    )
    .fetch_one(pool)
    .await
    .unwrap()
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
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let device = Device::new("laptop");
    let store = device.open().await;
    // Online once: the sessions and rosters come down.
    sync_once(&store, &hub, lina).await.unwrap();
    let session = todays_session(&pool).await;
    let roster = store.roster(lina, session).await.unwrap();
    assert!(roster.len() >= 10, "the roster is kept on the machine: {roster:?}");

    // The network goes: three marks, each saved the moment it is made.
    let now = Utc::now();
    for (entry, mark) in roster.iter().zip([Mark::Absent, Mark::Late, Mark::Excused]) {
        store.mark(lina, session, entry.enrollment_id, mark, Some("offline"), now).await.unwrap();
    }
    let failed = sync_once(&store, &unreachable(), lina).await;
    assert!(failed.is_err(), "no database, no sync");
    assert_eq!(store.status().await.unwrap().waiting, 3);
    assert!(store.roster(lina, session).await.unwrap()[0].waiting, "shown as waiting");
    assert_ne!(
        server_record(&pool, session, roster[1].enrollment_id).await.map(|r| r.0).as_deref(),
        Some("late"),
        "the server has not seen it yet"
    );

    // The network is back.
    let report = sync_once(&store, &hub, lina).await.unwrap();
    assert_eq!((report.sent, report.rejected), (3, 0));
    assert_eq!(server_record(&pool, session, roster[0].enrollment_id).await.unwrap().0, "absent");
    assert_eq!(server_record(&pool, session, roster[1].enrollment_id).await.unwrap().0, "late");
    assert_eq!(server_record(&pool, session, roster[2].enrollment_id).await.unwrap().0, "excused");
    let status = store.status().await.unwrap();
    assert_eq!((status.waiting, status.rejected.len()), (0, 0));
    assert!(status.last_sync_at.is_some());
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn killed_between_the_server_commit_and_the_local_ack_loses_and_duplicates_nothing(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let device = Device::new("killed");
    let store = device.open().await;
    sync_once(&store, &hub, lina).await.unwrap();
    let session = todays_session(&pool).await;
    let roster = store.roster(lina, session).await.unwrap();
    for entry in &roster[..4] {
        store.mark(lina, session, entry.enrollment_id, Mark::Absent, None, Utc::now()).await.unwrap();
    }
    // What the sync does up to the server's commit, and no further: the process dies.
    let batch = store.waiting(lina, 500).await.unwrap();
    let actor = hub_core::Actor::resolve(&pool, Some(lina)).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    hub_core::attendance::push(&mut tx, &actor, &batch).await.unwrap();
    tx.commit().await.unwrap();
    drop(store);
    let kept = history(&pool).await;

    let store = device.open().await;
    assert_eq!(store.status().await.unwrap().waiting, 4, "nothing was lost on the machine");
    let report = sync_once(&store, &hub, lina).await.unwrap();
    assert_eq!(report.sent, 4);
    assert_eq!(history(&pool).await, kept, "nothing duplicated on the server");
    assert_eq!(store.status().await.unwrap().waiting, 0);
    for entry in &roster[..4] {
        assert_eq!(server_record(&pool, session, entry.enrollment_id).await.unwrap().0, "absent");
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_devices_marking_the_same_student_converge_and_history_keeps_both(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let karim = user_id(&pool, "instructor@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let (first, second) = (Device::new("lina"), Device::new("karim"));
    let (linas, karims) = (first.open().await, second.open().await);
    sync_once(&linas, &hub, lina).await.unwrap();
    sync_once(&karims, &hub, karim).await.unwrap();
    let session = todays_session(&pool).await;
    let student = linas.roster(lina, session).await.unwrap()[0].enrollment_id;
    let before = history(&pool).await;
    // Both offline; Karim marks later than Lina, but Lina syncs last.
    linas.mark(lina, session, student, Mark::Absent, None, Utc::now() - Duration::minutes(5)).await.unwrap();
    let late =
        karims.mark(karim, session, student, Mark::Late, Some("came at 9:20"), Utc::now()).await.unwrap();
    sync_once(&karims, &hub, karim).await.unwrap();
    sync_once(&linas, &hub, lina).await.unwrap();
    sync_once(&karims, &hub, karim).await.unwrap();
    assert_eq!(
        server_record(&pool, session, student).await.unwrap(),
        ("late".to_owned(), Some(late.client_id))
    );
    for (store, person) in [(&linas, lina), (&karims, karim)] {
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
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_refused_mark_is_shown_and_the_rest_of_the_queue_flows(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let device = Device::new("refused");
    let store = device.open().await;
    sync_once(&store, &hub, lina).await.unwrap();
    let session = todays_session(&pool).await;
    let roster = store.roster(lina, session).await.unwrap();
    let (dropped, kept) = (roster[0].enrollment_id, roster[1].enrollment_id);
    store.mark(lina, session, dropped, Mark::Present, None, Utc::now()).await.unwrap();
    store.mark(lina, session, kept, Mark::Late, None, Utc::now()).await.unwrap();
    // Meanwhile, at the office, the first student drops out.
    sqlx::query!("update enrollments set status = 'dropped' where id = $1", dropped)
        .execute(&pool)
        .await
        .unwrap();
    let report = sync_once(&store, &hub, lina).await.unwrap();
    assert_eq!((report.sent, report.rejected), (1, 1));
    assert_eq!(server_record(&pool, session, kept).await.unwrap().0, "late");
    let status = store.status().await.unwrap();
    assert_eq!(status.waiting, 0, "the refused mark is not sent again");
    assert_eq!(status.rejected.len(), 1);
    assert_eq!(status.rejected[0].reason, "the student has dropped out of the cohort");
    assert_eq!(sync_once(&store, &hub, lina).await.unwrap().rejected, 0);
    store.dismiss(status.rejected[0].client_id).await.unwrap();
    assert!(store.status().await.unwrap().rejected.is_empty());
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_who_signed_in_here_once_signs_in_offline(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let hub = Hub::new(pool.clone());
    let login = hub_core::ops::call(
        &hub,
        None,
        "auth.login",
        serde_json::json!({ "identifier": "instructor@demo.digitalhub.dev", "password": hub_core::demo::DEMO_PASSWORD }),
    )
    .await
    .unwrap();
    let user: hub_model::auth::CurrentUser = serde_json::from_value(login.response).unwrap();
    let device = Device::new("signin");
    let store = device.open().await;
    store
        .remember_sign_in(" Instructor@demo.digitalhub.dev", hub_core::demo::DEMO_PASSWORD, &user)
        .await
        .unwrap();
    let offline =
        store.sign_in_offline("instructor@demo.digitalhub.dev", hub_core::demo::DEMO_PASSWORD).await.unwrap();
    assert_eq!(offline.map(|user| user.full_name), Some(user.full_name.clone()));
    assert_eq!(
        store.sign_in_offline("instructor@demo.digitalhub.dev", "not the password").await.unwrap(),
        None
    );
    assert_eq!(store.sign_in_offline("someone@else.org", hub_core::demo::DEMO_PASSWORD).await.unwrap(), None);
    drop(store);
    // On disk: an argon2id verifier of its own, neither the password nor the server's hash.
    let file = std::fs::read(&device.path).unwrap();
    let text = String::from_utf8_lossy(&file);
    let server_hash: String = sqlx::query_scalar!("select password_hash from users where id = $1", user.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(!text.contains(hub_core::demo::DEMO_PASSWORD) && !text.contains(&server_hash));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn two_people_on_one_machine_each_keep_their_sessions_and_send_their_own_marks(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let karim = user_id(&pool, "instructor@demo.digitalhub.dev").await;
    let student = user_id(&pool, "student@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let device = Device::new("shared");
    let store = device.open().await;
    sync_once(&store, &hub, lina).await.unwrap();
    let session = todays_session(&pool).await;
    let roster = store.roster(lina, session).await.unwrap();
    let linas =
        store.mark(lina, session, roster[0].enrollment_id, Mark::Absent, None, Utc::now()).await.unwrap();

    // Lina leaves the laptop offline; a student signs in on it later, then Karim, online.
    sync_once(&store, &hub, student).await.unwrap();
    assert!(store.sessions(student).await.unwrap().is_empty(), "a student keeps no roster here");
    assert!(!store.sessions(lina).await.unwrap().is_empty(), "Lina's sessions are still hers");
    let marked_by: Option<i64> =
        sqlx::query_scalar!("select marked_by from attendance_history where client_id = $1", linas.client_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(marked_by, Some(lina), "sent as the person who made it, not as whoever synced");
    assert_eq!(store.status().await.unwrap().waiting, 0);

    // A mark left by someone whose account is deactivated meanwhile is set aside, shown,
    // and does not stop the next person's sync.
    let karims = store.mark(karim, session, roster[1].enrollment_id, Mark::Late, None, Utc::now()).await;
    assert!(karims.is_err(), "Karim has not synced here: no roster of his to mark");
    sync_once(&store, &hub, karim).await.unwrap();
    store.mark(karim, session, roster[1].enrollment_id, Mark::Late, None, Utc::now()).await.unwrap();
    sqlx::query!("update users set is_active = false where id = $1", karim).execute(&pool).await.unwrap();
    let report = sync_once(&store, &hub, lina).await.unwrap();
    assert_eq!(report.rejected, 1);
    let status = store.status().await.unwrap();
    assert_eq!(status.waiting, 0);
    assert!(status.rejected[0].reason.contains("deactivated"), "{:?}", status.rejected);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_bad_mark_is_refused_on_the_machine_and_writes_nothing(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let hub = Hub::new(pool.clone());
    let device = Device::new("bad");
    let store = device.open().await;
    sync_once(&store, &hub, lina).await.unwrap();
    let session = todays_session(&pool).await;
    let student = store.roster(lina, session).await.unwrap()[0].enrollment_id;
    let long = "x".repeat(501);
    let refused = store.mark(lina, session, student, Mark::Late, Some(&long), Utc::now()).await.unwrap_err();
    assert!(matches!(refused, hub_offline::Error::Invalid { field: "note", .. }), "{refused:?}");
    let refused = store.mark(lina, session, 999_999, Mark::Late, None, Utc::now()).await.unwrap_err();
    assert!(matches!(refused, hub_offline::Error::Invalid { field: "enrollment_id", .. }), "{refused:?}");
    let all = store
        .mark_many(lina, session, &[(student, Mark::Present), (999_999, Mark::Present)], Utc::now())
        .await;
    assert!(all.is_err(), "all or nothing");
    assert_eq!(store.status().await.unwrap().waiting, 0, "nothing queued");
    assert_eq!(store.roster(lina, session).await.unwrap()[0].status, None, "nothing shown");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_cohort_newly_taught_comes_with_the_marks_it_already_has(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = user_id(&pool, "lead@demo.digitalhub.dev").await;
    let karim = user_id(&pool, "instructor@demo.digitalhub.dev").await;
    let session = todays_session(&pool).await;
    let cohort: i64 = sqlx::query_scalar!("select cohort_id from sessions where id = $1", session)
        .fetch_one(&pool)
        .await
        .unwrap();
    let removed = sqlx::query!(
        "delete from cohort_instructors where cohort_id = $1 and instructor_user_id = $2 returning cohort_role",
        cohort,
        karim
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    let hub = Hub::new(pool.clone());
    let device = Device::new("newly");
    let store = device.open().await;
    // Karim syncs while not teaching it; Lina then marks a student online; Karim syncs again.
    sync_once(&store, &hub, karim).await.unwrap();
    let student: i64 = sqlx::query_scalar!(
        "select id from enrollments where cohort_id = $1 and status = 'active' order by id limit 1",
        cohort
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    hub_tests::Caller::as_user(&pool, lina)
        .call(
            "attendance.mark",
            serde_json::json!({ "session_id": session, "enrollment_id": student, "status": "excused" }),
        )
        .await
        .unwrap();
    sync_once(&store, &hub, karim).await.unwrap();
    // Now he is given the cohort: its marks, older than his cursor, come with it.
    sqlx::query!(
        "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, $3)",
        cohort,
        karim,
        removed.map_or_else(|| "assistant".to_owned(), |row| row.cohort_role)
    )
    .execute(&pool)
    .await
    .unwrap();
    sync_once(&store, &hub, karim).await.unwrap();
    let shown = store.roster(karim, session).await.unwrap();
    let entry = shown.iter().find(|entry| entry.enrollment_id == student).expect("on his roster now");
    assert_eq!(entry.status, Some(Mark::Excused));
}
