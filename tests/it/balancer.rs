//! Two `hubctl serve` processes behind a real load balancer (Debian's HAProxy, on loopback),
//! as a hub that outgrew one server runs them: several devices sync 5,000 marks made
//! offline through it, one server is killed in the middle, and the devices carry on through
//! the other — every mark arrives, none twice.

use chrono::Utc;
use hub_client::HubClient;
use hub_model::attendance::Mark;
use hub_model::connection::HubAddress;
use hub_offline::sync::{push_outbox_in, sync_once, Session};
use hub_offline::LocalStore;
use hub_tests::server::{server_role_url, HubProcess};
use hub_tests::TEST_PASSWORD;
use sqlx::PgPool;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// HAProxy in front of `servers`, checking each one's health twice a second.
struct Balancer {
    child: Child,
    config: std::path::PathBuf,
    address: String,
}

impl Balancer {
    async fn start(servers: &[&HubProcess]) -> Self {
        let port = free_port();
        let backends: String = servers
            .iter()
            .enumerate()
            .map(|(index, server)| {
                format!("    server hub{index} {} check\n", server.url.trim_start_matches("http://"))
            })
            .collect();
        let config = std::env::temp_dir().join(format!("hub-haproxy-{}-{port}.cfg", std::process::id()));
        std::fs::write(
            &config,
            format!(
                "global\n    maxconn 256\n\
                 defaults\n    mode http\n    timeout connect 1s\n    timeout client 30s\n    timeout server 30s\n\
                 \x20   retries 3\n    option redispatch\n    option forwardfor\n\
                 frontend hub\n    bind 127.0.0.1:{port}\n    default_backend servers\n\
                 backend servers\n    balance roundrobin\n    option httpchk GET /api/v1/health\n\
                 \x20   http-check expect status 200\n    default-server inter 500ms fall 2 rise 2\n{backends}"
            ),
        )
        .unwrap();
        let child = Command::new("haproxy")
            .args(["-db", "-f"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy starts (cargo xtask setup installs it)");
        let address = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(&address).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "haproxy never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, config, address }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.config);
    }
}

/// One instructor's laptop: a store of its own, signed in through the balancer.
struct Laptop {
    store: LocalStore,
    file: std::path::PathBuf,
    token: hub_model::auth::SessionToken,
    user_id: i64,
}

const DEVICES: i64 = 4;
const STUDENTS: i64 = 50;
const SESSIONS: i64 = 25;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn with_one_of_two_servers_killed_mid_sync_5000_marks_from_four_devices_arrive_once_each(pool: PgPool) {
    let url = server_role_url(&pool).await;
    let behind = vec!["--trusted-proxy".to_owned(), "127.0.0.1".to_owned()];
    let mut first = HubProcess::spawn(url.clone(), "127.0.0.1:0".to_owned(), behind.clone());
    let second = HubProcess::spawn(url, "127.0.0.1:0".to_owned(), behind);
    let balancer = Balancer::start(&[&first, &second]).await;
    let hub =
        HubClient::new(HubAddress::parse("address", &format!("http://{}", balancer.address)).unwrap(), None)
            .unwrap();

    // Four instructors, each with a cohort of 50 students and 25 sessions held, sign in
    // through the balancer and sync once; then, offline, each marks every student of every
    // session: 1,250 marks a laptop, 5,000 in all.
    let mut laptops = Vec::new();
    for device in 0..DEVICES {
        let cohort = hub_tests::taught_cohort(&pool, &format!("balanced-{device}"), STUDENTS, SESSIONS).await;
        let request = hub_model::auth::LoginRequest {
            identifier: cohort.instructor_email.clone(),
            password: TEST_PASSWORD.to_owned(),
            device: Some(format!("laptop {device}")),
        };
        let token = hub.sign_in(&request).await.unwrap().token;
        let file =
            std::env::temp_dir().join(format!("hub-balanced-{}-{device}.sqlite", uuid::Uuid::new_v4()));
        let store = LocalStore::open(&file).await.unwrap();
        sync_once(&store, Session { client: &hub, token: &token, user_id: cohort.instructor }).await.unwrap();
        for session in &cohort.sessions {
            let marks: Vec<(i64, Mark)> = cohort
                .enrollments
                .iter()
                .enumerate()
                .map(|(index, enrollment)| {
                    (*enrollment, if index % 7 == 0 { Mark::Late } else { Mark::Present })
                })
                .collect();
            store.mark_many(cohort.instructor, *session, &marks, Utc::now()).await.unwrap();
        }
        laptops.push(Laptop { store, file, token, user_id: cohort.instructor });
    }
    let mut made = Vec::new();
    for laptop in &laptops {
        made.extend(
            laptop
                .store
                .waiting(laptop.user_id, 10_000, 0)
                .await
                .unwrap()
                .into_iter()
                .map(|mark| mark.client_id),
        );
    }
    assert_eq!(made.len(), 5_000);

    // All four sync at once, in batches of 50, each retrying after a failure as the app's
    // worker does; one server is killed outright once a fifth of the marks are in.
    let syncing: Vec<_> = laptops
        .iter()
        .map(|laptop| {
            let hub = &hub;
            async move {
                let session = Session { client: hub, token: &laptop.token, user_id: laptop.user_id };
                let mut failures = 0_u32;
                loop {
                    match push_outbox_in(&laptop.store, session, 50).await {
                        Ok(_) => return failures,
                        Err(error) => {
                            assert!(
                                error.is_unreachable(),
                                "only the dead server may fail a batch: {error:?}"
                            );
                            failures += 1;
                            assert!(failures < 100, "the other server never took over");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                    }
                }
            }
        })
        .collect();
    let killer = async {
        let started = Instant::now();
        loop {
            let arrived: i64 =
                sqlx::query_scalar("select count(*) from attendance_history").fetch_one(&pool).await.unwrap();
            if arrived >= 1_000 {
                first.kill();
                return arrived;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "the sync never got going");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    let (failures, killed_at) = tokio::join!(futures::future::join_all(syncing), killer);
    assert!(killed_at < 5_000, "the server was killed in the middle of the sync ({killed_at} marks in)");

    // Every mark made is on the server once, and is the record; every outbox is empty.
    let kept: Vec<uuid::Uuid> =
        sqlx::query_scalar("select client_id from attendance_history order by client_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    made.sort_unstable();
    assert_eq!(kept.len(), 5_000, "none lost, none twice");
    assert_eq!(kept, made);
    let records: i64 = sqlx::query_scalar(
        "select count(*) from attendance_records r join attendance_history h on h.client_id = r.client_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(records, 5_000);
    for laptop in &laptops {
        assert_eq!(laptop.store.status(laptop.user_id).await.unwrap().waiting, 0);
    }
    // The marks went as their makers, through the proxy that named them.
    let makers: i64 = sqlx::query_scalar("select count(distinct marked_by) from attendance_history")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(makers, DEVICES);
    // (How many batches were cut off with the server depends on the moment it died; a batch the
    // dead server committed but never answered came back as duplicates and changed nothing.)
    drop(failures);
    drop(balancer);
    for laptop in laptops {
        laptop.store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", laptop.file.display()));
        }
    }
    drop(second);
}
