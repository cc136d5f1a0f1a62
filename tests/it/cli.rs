//! `hubctl` as an operator uses it: the real binary, against a test's own database.

use hub_tests::{database_url, hubctl, row_counts, Run};
use sqlx::PgPool;

/// A failure an operator can act on: a non-zero exit and exactly one line, no panic.
fn assert_one_line_failure(run: &Run, expected: &str) {
    assert_ne!(run.code, 0, "{run:?}");
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "one line on stderr: {run:?}");
    assert!(run.stderr.contains(expected), "expected {expected:?} in {run:?}");
}

#[sqlx::test(migrations = false)]
async fn migrate_builds_the_schema_on_an_empty_database_and_is_a_no_op_the_second_time(pool: PgPool) {
    let url = database_url(&pool);
    let first = hubctl(Some(&url), &["migrate"], "");
    assert_eq!(first.code, 0, "{first:?}");
    let latest = hub_core::db::expected_version();
    assert!(first.stdout.contains(&format!("schema version {latest} (this build: {latest})")), "{first:?}");
    let tables: Vec<String> = row_counts(&pool).await.into_iter().map(|(table, _)| table).collect();
    let mut expected: Vec<&str> =
        hub_tests::SEED_TABLES.into_iter().chain(hub_tests::BEYOND_SEED_TABLES).collect();
    expected.sort_unstable();
    assert_eq!(tables, expected);
    let second = hubctl(Some(&url), &["migrate"], "");
    assert_eq!(second.code, 0, "{second:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn seed_demo_loads_once_prints_the_logins_and_says_so_the_second_time(pool: PgPool) {
    let url = database_url(&pool);
    let first = hubctl(Some(&url), &["seed-demo"], "");
    assert_eq!(first.code, 0, "{first:?}");
    assert!(first.stdout.contains("demo data loaded"), "{first:?}");
    assert!(first.stdout.contains("admin@demo.digitalhub.dev"), "{first:?}");
    let loaded = row_counts(&pool).await;
    let second = hubctl(Some(&url), &["seed-demo"], "");
    assert_eq!(second.code, 0, "{second:?}");
    assert!(second.stdout.contains("already present; nothing changed"), "{second:?}");
    assert_eq!(row_counts(&pool).await, loaded);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn create_admin_takes_a_piped_password_and_stores_only_its_argon2id_hash(pool: PgPool) {
    let url = database_url(&pool);
    let args = ["create-admin", "--email", " Owner@Example.ORG ", "--name", "Hub Owner"];
    let run = hubctl(Some(&url), &args, "a long enough secret\n");
    assert_eq!(run.code, 0, "{run:?}");
    let (is_admin, hash, name): (bool, String, String) = sqlx::query_as(
        "select u.is_admin, u.password_hash, m.full_name
           from users u join manager_profiles m on m.user_id = u.id where u.email = 'owner@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(is_admin);
    assert_eq!(name, "Hub Owner");
    assert!(hash.starts_with("$argon2id$") && !hash.contains("secret"));
    assert!(hub_core::password::verify("a long enough secret", &hash));

    let again = hubctl(Some(&url), &args, "another long secret\n");
    assert_one_line_failure(&again, "already exists");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn create_admin_refuses_bad_input_naming_the_field_and_writes_nothing(pool: PgPool) {
    let url = database_url(&pool);
    let short = hubctl(Some(&url), &["create-admin", "--email", "a@example.org", "--name", "A"], "short\n");
    assert_one_line_failure(&short, "password: must be at least 10 characters");
    let email =
        hubctl(Some(&url), &["create-admin", "--email", "not-an-email", "--name", "A"], "long enough pass\n");
    assert_one_line_failure(&email, "email: must look like name@example.org");
    let name = hubctl(
        Some(&url),
        &["create-admin", "--email", "a@example.org", "--name", "  "],
        "long enough pass\n",
    );
    assert_one_line_failure(&name, "name: enter a name");
    let users: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
    assert_eq!(users, 0);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn call_prints_json_results_lists_operations_and_reports_errors_as_json(pool: PgPool) {
    let url = database_url(&pool);
    let info = hubctl(Some(&url), &["call", "app.info"], "");
    assert_eq!(info.code, 0, "{info:?}");
    let info = info.json();
    assert_eq!(info["database"]["reachable"], true);
    assert_eq!(info["database"]["schema"]["applied"], hub_core::db::expected_version());

    let list = hubctl(None, &["call", "--list"], "");
    assert_eq!(list.code, 0, "{list:?}");
    for operation in hub_core::ops::OPERATIONS {
        let line = list
            .stdout
            .lines()
            .find(|line| line.starts_with(operation.name))
            .expect("every operation is listed");
        assert!(line.contains(operation.access.as_str()), "{line}");
    }

    let unknown_user = hubctl(Some(&url), &["call", "--as", "ghost@example.org", "app.info"], "");
    assert_eq!(unknown_user.code, 1);
    assert_eq!(unknown_user.json()["error"]["kind"], "not_found");
    let bad_json = hubctl(Some(&url), &["call", "app.info", "{not json"], "");
    assert_eq!(bad_json.code, 1);
    assert_eq!(bad_json.json()["error"]["kind"], "validation");
    assert_eq!(bad_json.json()["error"]["field"], "request");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn call_as_a_user_runs_with_their_account(pool: PgPool) {
    let url = database_url(&pool);
    hub_tests::TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await;
    hub_tests::TestUser { is_inactive: true, ..hub_tests::TestUser::STUDENT }
        .insert(&pool, "gone@example.org", None)
        .await;
    let me = hubctl(Some(&url), &["call", "--as", "Karim@example.org", "auth.me"], "");
    assert_eq!(me.code, 0, "{me:?}");
    assert_eq!(
        (me.json()["email"].as_str(), me.json()["is_instructor"].as_bool()),
        (Some("karim@example.org"), Some(true))
    );
    let gone = hubctl(Some(&url), &["call", "--as", "Gone@example.org", "auth.me"], "");
    assert_eq!(gone.code, 1, "{gone:?}");
    assert_eq!(gone.json()["error"]["kind"], "unauthenticated");
    let nobody = hubctl(Some(&url), &["call", "auth.me"], "");
    assert_eq!(nobody.json()["error"]["kind"], "unauthenticated");
}

#[test]
fn a_malformed_or_missing_database_url_gives_one_line_and_a_failing_exit() {
    assert_one_line_failure(
        &hubctl(Some("mysql://root@localhost/hub"), &["migrate"], ""),
        "must start with postgres://",
    );
    assert_one_line_failure(
        &hubctl(Some("postgres://user:secret@localhost:notaport/hub"), &["migrate"], ""),
        "DATABASE_URL is malformed",
    );
    let missing = hubctl(None, &["seed-demo"], "");
    assert_one_line_failure(&missing, "set DATABASE_URL or pass --database-url");
    let secret = hubctl(Some("postgres://user:hunter2secret@localhost:notaport/hub"), &["migrate"], "");
    assert!(!secret.stderr.contains("hunter2secret"), "the password is never echoed: {secret:?}");
}

#[test]
fn an_unreachable_server_gives_one_line_and_a_failing_exit() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/hub");
    for command in [&["migrate"][..], &["seed-demo"][..]] {
        assert_one_line_failure(
            &hubctl(Some(&url), command, ""),
            &format!("cannot reach PostgreSQL at 127.0.0.1:{port}/hub"),
        );
    }
    let call = hubctl(Some(&url), &["call", "app.info"], "");
    assert_eq!(call.code, 1, "{call:?}");
    assert_eq!(call.json()["error"]["kind"], "unavailable");
}

/// As if a newer Digital Hub had migrated the database further than this build knows.
async fn migrated_by_a_newer_build(pool: &PgPool) {
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (29991231000000, 'from the future', true, '\\x00', 1)",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_database_migrated_by_a_newer_version_is_refused_in_one_line(pool: PgPool) {
    migrated_by_a_newer_build(&pool).await;
    let url = database_url(&pool);
    for command in [&["migrate"][..], &["seed-demo"][..]] {
        assert_one_line_failure(
            &hubctl(Some(&url), command, ""),
            "newer than this build of Digital Hub knows",
        );
    }
    let info = hubctl(Some(&url), &["call", "app.info"], "");
    assert_eq!(info.code, 0, "{info:?}");
    assert_eq!(info.json()["database"]["schema"]["state"], "ahead");
}

/// The hub server never migrates (its role may not) and never writes a schema it does not
/// know: an older schema waits for `hubctl migrate`, a newer one for a newer `hubctl`.
#[sqlx::test(migrations = false)]
async fn serve_refuses_a_schema_it_does_not_match_in_one_line(pool: PgPool) {
    let url = database_url(&pool);
    let behind = hubctl(Some(&url), &["serve", "--bind", "127.0.0.1:0"], "");
    assert_one_line_failure(&behind, "run `hubctl migrate`");
    assert_eq!(hubctl(Some(&url), &["migrate"], "").code, 0);
    migrated_by_a_newer_build(&pool).await;
    let ahead = hubctl(Some(&url), &["serve", "--bind", "127.0.0.1:0"], "");
    assert_one_line_failure(&ahead, "newer than this build of Digital Hub knows");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn serve_serves_the_staff_api_and_the_website_until_stopped_and_refuses_the_unsafe_in_one_line(
    pool: PgPool,
) {
    let url = database_url(&pool);
    let bad = hubctl(Some(&url), &["serve", "--bind", "localhost"], "");
    assert_one_line_failure(&bad, "\"localhost\" is not an address and port");
    let bad = hubctl(Some(&url), &["serve", "--cors-origin", "www.example.org/path"], "");
    assert_one_line_failure(
        &bad,
        "CORS origin \"www.example.org/path\" must be * or like https://www.example.org",
    );
    // Passwords and tokens in the clear over a network: refused, saying what to do instead.
    let open = hubctl(Some(&url), &["serve", "--bind", "0.0.0.0:0"], "");
    assert_one_line_failure(&open, "refusing to serve plain HTTP on 0.0.0.0:0");
    assert!(open.stderr.contains("--tls-cert") && open.stderr.contains("--trusted-proxy"), "{open:?}");
    let open = hubctl(Some(&url), &["serve", "--bind", "127.0.0.1:0", "--public-bind", "0.0.0.0:0"], "");
    assert_one_line_failure(&open, "refusing to serve plain HTTP on 0.0.0.0:0");
    let missing = hubctl(
        Some(&url),
        &[
            "serve",
            "--bind",
            "0.0.0.0:0",
            "--tls-cert",
            "/nonexistent/hub.pem",
            "--tls-key",
            "/nonexistent/hub.key",
        ],
        "",
    );
    assert_one_line_failure(&missing, "cannot read the certificate /nonexistent/hub.pem");
    let half = hubctl(Some(&url), &["serve", "--tls-cert", "/nonexistent/hub.pem"], "");
    assert_ne!(half.code, 0, "a certificate without its key is refused: {half:?}");

    let mut server = hub_tests::server::HubProcess::spawn(url.clone(), "127.0.0.1:0".to_owned(), Vec::new());
    let address: std::net::SocketAddr = server.url.trim_start_matches("http://").parse().unwrap();
    let health = hub_tests::http_get(address, "/api/v1/health", &[]).await;
    let public = hub_tests::http_get(address, "/healthz", &[]).await;
    let site = hub_tests::http_get(address, "/public/site", &[]).await;
    assert_eq!(health.status, 200, "{health:?}");
    assert_eq!(health.json()["schema"]["state"], "current");
    assert_eq!(health.json()["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!((public.status, public.json()["status"].as_str()), (200, Some("ok")));
    assert_eq!(site.json()["site_name"], "Digital Hub", "the seed's default site name");
    // Behind a proxy that speaks HTTPS for it, any address will do.
    let proxied = hub_tests::server::HubProcess::spawn(
        url.clone(),
        "0.0.0.0:0".to_owned(),
        vec!["--trusted-proxy".to_owned(), "10.0.0.0/8".to_owned()],
    );
    assert!(proxied.url.starts_with("http://0.0.0.0:"), "{}", proxied.url);
    drop(proxied);
    // SIGTERM, as systemd stops it: it stops.
    server.stop();
    assert!(tokio::net::TcpStream::connect(address).await.is_err(), "stopped listening");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn grant_server_gives_rows_not_the_schema_and_keeps_the_histories_out_of_its_reach(pool: PgPool) {
    let url = database_url(&pool);
    assert_one_line_failure(
        &hubctl(Some(&url), &["grant-server", "--role", "no_such_role_anywhere"], ""),
        "there is no role",
    );
    assert_one_line_failure(
        &hubctl(Some(&url), &["grant-server", "--role", "x\"; drop table users; --"], ""),
        "must be a lower-case name",
    );
    let database = pool.connect_options().get_database().unwrap().to_owned();
    let role = format!("server_{}", database.chars().filter(char::is_ascii_digit).collect::<String>());
    sqlx::query(&format!("create role {role} login password 'server-test'")).execute(&pool).await.unwrap();
    let run = hubctl(Some(&url), &["grant-server", "--role", &role], "");
    assert_eq!(run.code, 0, "{run:?}");

    let rights: Vec<(String, bool, bool, bool, bool)> = sqlx::query_as(
        "select t.tablename::text, has_table_privilege($1, t.tablename::regclass, 'select'),
                has_table_privilege($1, t.tablename::regclass, 'insert'),
                has_table_privilege($1, t.tablename::regclass, 'update'),
                has_table_privilege($1, t.tablename::regclass, 'delete')
           from pg_tables t where t.schemaname = 'public' order by 1",
    )
    .bind(&role)
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, select, insert, update, delete) in rights {
        let expected = match table.as_str() {
            "attendance_history" => (true, true, false, false),
            "audit_log" | "audit_changes" => (true, false, false, false),
            "_sqlx_migrations" => (true, false, false, false),
            _ => (true, true, true, true),
        };
        assert_eq!((select, insert, update, delete), expected, "{table}");
    }

    // In practice, as that role: rows yes; the history's past and the schema, no.
    let as_role = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(pool.connect_options().as_ref().clone().username(&role).password("server-test"))
        .await
        .unwrap();
    sqlx::query("select count(*) from users").fetch_one(&as_role).await.expect("reads rows");
    sqlx::query("insert into login_throttle (identifier) values ('email:probe@example.org')")
        .execute(&as_role)
        .await
        .expect("writes rows");
    // Its changes land in the audit trail, written by the trail's own triggers…
    sqlx::query("insert into programs (slug, title) values ('probe', 'Probe')")
        .execute(&as_role)
        .await
        .expect("writes records");
    let trail: Vec<(String, String)> = sqlx::query_as(
        "select l.operation, c.table_name from audit_log l join audit_changes c on c.audit_id = l.id",
    )
    .fetch_all(&as_role)
    .await
    .expect("reads the trail");
    assert_eq!(trail, [("system".to_owned(), "programs".to_owned())]);
    // …which the role can neither forge, rewrite nor erase.
    for refused in [
        "insert into audit_log (operation) values ('forged')",
        "update audit_log set actor_id = null",
        "update audit_changes set after = '{}'",
        "delete from audit_changes",
        "delete from audit_log",
        "truncate audit_log cascade",
        "update attendance_history set note = 'rewritten'",
        "delete from attendance_history",
        "truncate attendance_history",
        "alter table users add column backdoor text",
        "create table backdoor (id int)",
        "drop table contact_messages",
    ] {
        let error = sqlx::query(refused).execute(&as_role).await.expect_err(refused);
        let code = error.as_database_error().and_then(|db| db.code()).map(|code| code.into_owned());
        assert!(matches!(code.as_deref(), Some("42501")), "{refused}: {error}");
    }
    as_role.close().await;
    sqlx::query(&format!("drop owned by {role}")).execute(&pool).await.unwrap();
    sqlx::query(&format!("drop role {role}")).execute(&pool).await.unwrap();
}

/// `hubctl … | head`: the reader goes away mid-output and hubctl stops quietly.
#[test]
fn a_reader_that_stops_early_ends_the_output_without_a_panic() {
    let mut child = std::process::Command::new(hub_tests::hubctl_path())
        .args(["call", "--list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hubctl starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("hubctl ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
}
