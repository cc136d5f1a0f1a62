//! Helpers for the integration tests in `it/`: running `hubctl` against a test's own
//! database, the hub server over HTTP, driving the desktop window, and small typed views of
//! the database.

pub mod bench;
pub mod browser;
pub mod desktop;
pub mod replica;
pub mod server;
pub mod smtp;

use hub_model::programs::CohortRole;
use sqlx::PgPool;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The 22 tables of the seed schema (shared/seed/digital-hub-schema.md).
pub const SEED_TABLES: [&str; 22] = [
    "announcements",
    "applicants",
    "application_submissions",
    "applications",
    "attendance_records",
    "cohort_instructors",
    "cohorts",
    "contact_messages",
    "enrollments",
    "events",
    "form_fields",
    "forms",
    "home_sections",
    "instructor_profiles",
    "manager_profiles",
    "pages",
    "programs",
    "sessions",
    "site_settings",
    "student_profiles",
    "theme_tokens",
    "users",
];

/// Tables added by later migrations for the app's own bookkeeping, not content.
pub const BEYOND_SEED_TABLES: [&str; 16] = [
    "account_codes",
    "announcement_reads",
    "attendance_alerts",
    // The one the schema plans for "later" (§10, self check-in), with its session secrets.
    "attendance_checkins",
    "attendance_history",
    "attendance_weeks",
    // The audit trail (issue 20): one entry per change, a row per record changed.
    "audit_changes",
    "audit_log",
    "contact_replies",
    "login_throttle",
    "mail_outbox",
    // Uploaded images at their widths (issue 19).
    "media",
    "media_variants",
    "session_checkin",
    "staff_sessions",
    "user_directory",
];

/// A session for `user_id` opened as a sign-in opens one, without the sign-in's argon2 work:
/// for benchmarks of a thousand people at once. Answers its token.
pub async fn open_session(pool: &PgPool, user_id: i64) -> hub_model::auth::SessionToken {
    let token = format!("dhs_bench{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    sqlx::query(
        "insert into staff_sessions (user_id, token_hash, device, idle_timeout, idle_expires_at, expires_at)
         values ($1, $2, 'bench', interval '12 hours', now() + interval '12 hours', now() + interval '12 hours')",
    )
    .bind(user_id)
    .bind(hub_core::staff_sessions::token_hash(&token))
    .execute(pool)
    .await
    .expect("the session is opened");
    hub_model::auth::SessionToken::new(token)
}

/// The URL of the database behind a test's pool: DATABASE_URL (which `#[sqlx::test]`
/// uses as its master) with the database name swapped for the test's own.
pub fn database_url(pool: &PgPool) -> String {
    let master =
        std::env::var("DATABASE_URL").expect("DATABASE_URL is set for tests (cargo xtask test does it)");
    let options = pool.connect_options();
    let database = options.get_database().expect("a test pool names its database");
    let (before_query, query) = master.split_once('?').map_or((master.as_str(), None), |(a, b)| (a, Some(b)));
    let (scheme, rest) = before_query.split_once("://").expect("a URL has a scheme");
    let authority = rest.split('/').next().unwrap_or_default();
    let mut url = format!("{scheme}://{authority}/{database}");
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// The password every [`TestUser`] signs in with.
pub const TEST_PASSWORD: &str = "correct horse battery";

/// A user to act as, with the roles a test needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestUser {
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
    pub is_inactive: bool,
}

impl TestUser {
    pub const ADMIN: Self =
        Self { is_admin: true, is_instructor: false, is_student: false, is_inactive: false };
    pub const INSTRUCTOR: Self =
        Self { is_admin: false, is_instructor: true, is_student: false, is_inactive: false };
    pub const STUDENT: Self =
        Self { is_admin: false, is_instructor: false, is_student: true, is_inactive: false };

    /// Inserts the user with [`TEST_PASSWORD`] and a profile per role; returns the id.
    pub async fn insert(self, pool: &PgPool, email: &str, phone: Option<&str>) -> i64 {
        let hash = hub_core::password::hash(TEST_PASSWORD).expect("hashing works");
        let id: i64 = sqlx::query_scalar(
            "insert into users (email, phone, password_hash, is_admin, is_instructor, is_student, is_active)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(email)
        .bind(phone)
        .bind(hash)
        .bind(self.is_admin)
        .bind(self.is_instructor)
        .bind(self.is_student)
        .bind(!self.is_inactive)
        .fetch_one(pool)
        .await
        .expect("the user is inserted");
        // A profile for each role, named "Test EMAIL", as users.create would make them.
        for (has_role, table) in [
            (self.is_admin, "manager_profiles"),
            (self.is_instructor, "instructor_profiles"),
            (self.is_student, "student_profiles"),
        ] {
            if has_role {
                sqlx::query(&format!("insert into {table} (user_id, full_name) values ($1, $2)"))
                    .bind(id)
                    .bind(format!("Test {email}"))
                    .execute(pool)
                    .await
                    .expect("the profile is inserted");
            }
        }
        id
    }
}

/// What one `hubctl` run did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}): {self:?}"))
    }
}

/// The `hubctl` built beside this test binary (`cargo xtask test` builds the workspace first).
pub fn hubctl_path() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps/<test>");
    let path = dir.join(format!("hubctl{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing: build it with `cargo build -p hub-cli`", path.display());
    path
}

/// Runs `hubctl ARGS` with DATABASE_URL set (or removed, for `None`) and `stdin` piped in.
pub fn hubctl(database_url: Option<&str>, args: &[&str], stdin: &str) -> Run {
    let mut command = Command::new(hubctl_path());
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command.env_remove("RUST_LOG");
    match database_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    let mut child = command.spawn().expect("hubctl starts");
    child.stdin.take().expect("stdin is piped").write_all(stdin.as_bytes()).expect("stdin accepts the input");
    let output = child.wait_with_output().expect("hubctl finishes");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Rows in every table of the public schema, by name: a fingerprint of the content.
pub async fn row_counts(pool: &PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> '_sqlx_migrations'
          order by table_name",
    )
    .fetch_all(pool)
    .await
    .expect("tables are listed");
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        let count: i64 = sqlx::query_scalar(&format!("select count(*) from \"{table}\""))
            .fetch_one(pool)
            .await
            .expect("a table can be counted");
        counts.push((table, count));
    }
    counts
}

/// The public website API over `pool`, on a free loopback port, for as long as the test runs
/// (for what needs a socket: a fuzzer, a server process's neighbour).
pub async fn serve_public(pool: &PgPool, config: hub_public::PublicConfig) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(hub_public::serve(listener, pool.clone(), pool.clone(), config));
    address
}

/// The public website API in process: `hub_public::start`'s router (its cache following the
/// database's changes, as the server's does), asked one request at a time with
/// `tower::ServiceExt::oneshot`, as a visitor at 127.0.0.1 would ask it over HTTP.
#[derive(Clone)]
pub struct PublicApi {
    router: axum::Router,
}

impl PublicApi {
    /// Starts the API's cache follower: call it inside the test's runtime.
    pub fn start(pool: &PgPool, config: &hub_public::PublicConfig) -> Self {
        Self::start_with(pool, pool, config)
    }

    /// Reading `reads` (a replica, say), following and writing to `changes` (its primary).
    pub fn start_with(reads: &PgPool, changes: &PgPool, config: &hub_public::PublicConfig) -> Self {
        Self { router: hub_public::start(reads.clone(), changes.clone(), config) }
    }

    pub async fn get(&self, path: &str) -> HttpAnswer {
        self.request("GET", path, &[], None).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> HttpAnswer {
        self.request("GET", path, headers, None).await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> HttpAnswer {
        self.request("POST", path, &[("Content-Type", "application/json")], Some(&body.to_string())).await
    }

    /// Any request (a CORS preflight's OPTIONS, a form posted from a page elsewhere).
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> HttpAnswer {
        use tower::ServiceExt as _;
        let mut request = axum::http::Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request
            .body(axum::body::Body::from(body.unwrap_or_default().to_owned()))
            .expect("a well-formed request");
        // What the server's listener records of a visitor's connection.
        let visitor = std::net::SocketAddr::from(([127, 0, 0, 1], 50_000));
        request.extensions_mut().insert(axum::extract::ConnectInfo(visitor));
        let response = self.router.clone().oneshot(request).await.expect("the router always answers");
        let status = response.status().as_u16();
        let headers =
            joined(response.headers().iter().map(|(name, value)| (name.as_str(), value.as_bytes())));
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the whole body");
        HttpAnswer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.to_vec(),
        }
    }
}

/// Headers by lower-cased name; a header sent several times reads as one, its values joined
/// by ", ", as HTTP allows.
fn joined<'a>(
    headers: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> std::collections::BTreeMap<String, String> {
    let mut found = std::collections::BTreeMap::<String, String>::new();
    for (name, value) in headers {
        let all = found.entry(name.to_ascii_lowercase()).or_default();
        if !all.is_empty() {
            all.push_str(", ");
        }
        all.push_str(String::from_utf8_lossy(value).trim());
    }
    found
}

/// `GET path` from a server of ours over a real socket (a `hubctl serve` process, say).
pub async fn http_get(address: std::net::SocketAddr, path: &str, headers: &[(&str, &str)]) -> HttpAnswer {
    http_request(address, "GET", path, headers, None).await
}

/// `POST path` with a JSON body, over a real socket.
pub async fn http_post_json(
    address: std::net::SocketAddr,
    path: &str,
    body: &serde_json::Value,
) -> HttpAnswer {
    http_request(address, "POST", path, &[("Content-Type", "application/json")], Some(&body.to_string()))
        .await
}

/// Any request over a real socket, by reqwest (plain HTTP to loopback; bodies as sent, not
/// decompressed).
pub async fn http_request(
    address: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> HttpAnswer {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let client = reqwest::Client::builder().no_proxy().build().expect("an HTTP client");
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = client.request(method, format!("http://{address}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = joined(response.headers().iter().map(|(name, value)| (name.as_str(), value.as_bytes())));
    let body = response.bytes().await.expect("the whole body");
    HttpAnswer { status, headers, body: String::from_utf8_lossy(&body).into_owned(), bytes: body.to_vec() }
}

#[derive(Debug)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: std::collections::BTreeMap<String, String>,
    /// The body read as text (an image's bytes are in `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl HttpAnswer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

/// A user calling operations through the operation table in process, as `hubctl call --as`
/// does (the hub server's tests go over HTTP: [`server::TestServer`]).
pub struct Caller {
    pub hub: hub_core::Hub,
    pub id: i64,
}

impl Caller {
    /// A new administrator, `admin@example.org`.
    pub async fn admin(pool: &PgPool) -> Self {
        let id = TestUser::ADMIN.insert(pool, "admin@example.org", None).await;
        Self::as_user(pool, id)
    }

    pub fn as_user(pool: &PgPool, id: i64) -> Self {
        Self { hub: hub_core::Hub::new(pool.clone()).with_site_writer(hub_public::site_writer()), id }
    }

    /// Operation `O` through the operation table, by its name and with its access rule, as
    /// the hub server calls it; the answer read back into `O`'s response type.
    pub async fn call<O: hub_model::Operation>(
        &self,
        request: &O::Request,
    ) -> Result<O::Response, hub_model::ApiError> {
        call_as::<O>(&self.hub, &hub_core::Caller::user(self.id), request).await
    }

    /// An operation by name with a request written as JSON: for requests the types cannot
    /// write (a missing field, a wrong type), and for reading the answer as JSON.
    pub async fn call_json(
        &self,
        operation: &str,
        request: serde_json::Value,
    ) -> Result<serde_json::Value, hub_model::ApiError> {
        hub_core::ops::call(&self.hub, &hub_core::Caller::user(self.id), operation, request)
            .await
            .map_err(|error| error.to_api())
    }

    /// Asserts operation `O` refuses `request` as a validation error on `field`, its message
    /// containing `says`.
    pub async fn refuses<O: hub_model::Operation>(&self, request: &O::Request, field: &str, says: &str)
    where
        O::Response: std::fmt::Debug,
    {
        assert_refused(&self.call::<O>(request).await.expect_err("refused"), field, says);
    }

    /// [`Caller::refuses`] for a request written as JSON.
    pub async fn refused(&self, operation: &str, request: serde_json::Value, field: &str, says: &str) {
        assert_refused(&self.call_json(operation, request).await.expect_err("refused"), field, says);
    }
}

/// Operation `O` called by someone not signed in (a sign-in, the app's info), in process.
pub async fn call_anonymously<O: hub_model::Operation>(
    pool: &PgPool,
    request: &O::Request,
) -> Result<O::Response, hub_model::ApiError> {
    call_as::<O>(&hub_core::Hub::new(pool.clone()), &hub_core::Caller::anonymous(), request).await
}

/// Operation `O` through the operation table, by its name and with its access rule, as the
/// hub server calls it; the answer read back into `O`'s response type.
async fn call_as<O: hub_model::Operation>(
    hub: &hub_core::Hub,
    who: &hub_core::Caller,
    request: &O::Request,
) -> Result<O::Response, hub_model::ApiError> {
    let request = serde_json::to_value(request).expect("a request serializes");
    let answer = hub_core::ops::call(hub, who, O::NAME, request).await.map_err(|error| error.to_api())?;
    Ok(serde_json::from_value(answer).unwrap_or_else(|error| panic!("{} answered a {error}", O::NAME)))
}

/// A validation refusal on `field`, its message containing `says`.
fn assert_refused(error: &hub_model::ApiError, field: &str, says: &str) {
    assert_eq!(
        (error.kind, error.field.as_deref()),
        (hub_model::ErrorKind::Validation, Some(field)),
        "{error:?}"
    );
    assert!(error.message.contains(says), "{error:?}");
}

/// A running cohort made for a test or a benchmark, taught by one instructor.
pub struct TaughtCohort {
    /// The instructor's id; they sign in as `{name}@bench.example.org` with [`TEST_PASSWORD`].
    pub instructor: i64,
    pub instructor_email: String,
    /// The cohort's sessions, one a day up to yesterday.
    pub sessions: Vec<i64>,
    pub enrollments: Vec<i64>,
}

/// A running cohort called `name` of `students` students and `sessions` sessions held, taught
/// by an instructor of its own: built with a few statements, not the demo.
pub async fn taught_cohort(pool: &PgPool, name: &str, students: i64, sessions: i64) -> TaughtCohort {
    let instructor_email = format!("{name}@bench.example.org");
    let cohort = CohortBuilder::new(pool, name)
        .staff(&instructor_email, CohortRole::Lead)
        .students(students)
        .sessions(sessions)
        .build()
        .await;
    TaughtCohort {
        instructor: cohort.staff[0],
        instructor_email,
        sessions: cohort.sessions,
        enrollments: cohort.enrollments,
    }
}

/// The few rows a test needs instead of the whole demo: a running cohort of a program of
/// its own, its staff (instructors signing in with [`TEST_PASSWORD`]), its students (active,
/// `{name}-{n}@bench.example.org`) and a session a day up to yesterday, the latest first.
pub struct CohortBuilder<'a> {
    pool: &'a PgPool,
    name: String,
    staff: Vec<(String, CohortRole)>,
    students: i64,
    sessions: i64,
}

/// What [`CohortBuilder::build`] made, by id.
pub struct BuiltCohort {
    pub id: i64,
    /// The staff's user ids, in the order they were named.
    pub staff: Vec<i64>,
    /// Yesterday's session first, then the day before's…
    pub sessions: Vec<i64>,
    pub enrollments: Vec<i64>,
}

impl<'a> CohortBuilder<'a> {
    pub fn new(pool: &'a PgPool, name: &str) -> Self {
        Self { pool, name: name.to_owned(), staff: Vec::new(), students: 0, sessions: 0 }
    }

    /// An instructor on the cohort's staff in `role`.
    pub fn staff(mut self, email: &str, role: CohortRole) -> Self {
        self.staff.push((email.to_owned(), role));
        self
    }

    pub fn students(mut self, count: i64) -> Self {
        self.students = count;
        self
    }

    pub fn sessions(mut self, count: i64) -> Self {
        self.sessions = count;
        self
    }

    pub async fn build(self) -> BuiltCohort {
        let pool = self.pool;
        let program: i64 =
            sqlx::query_scalar("insert into programs (slug, title) values ($1, $1) returning id")
                .bind(&self.name)
                .fetch_one(pool)
                .await
                .unwrap();
        let id: i64 = sqlx::query_scalar(
            "insert into cohorts (program_id, name, status) values ($1, $2, 'running') returning id",
        )
        .bind(program)
        .bind(&self.name)
        .fetch_one(pool)
        .await
        .unwrap();
        let mut staff = Vec::with_capacity(self.staff.len());
        for (email, role) in &self.staff {
            let instructor = TestUser::INSTRUCTOR.insert(pool, email, None).await;
            sqlx::query(
                "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, $3)",
            )
            .bind(id)
            .bind(instructor)
            .bind(role.as_str())
            .execute(pool)
            .await
            .unwrap();
            staff.push(instructor);
        }
        let sessions: Vec<i64> = sqlx::query_scalar(
            "insert into sessions (cohort_id, date, title)
             select $1, current_date - (n || ' days')::interval, 'Day ' || n
               from generate_series(1, $2) n order by n returning id",
        )
        .bind(id)
        .bind(self.sessions)
        .fetch_all(pool)
        .await
        .unwrap();
        let enrollments: Vec<i64> = sqlx::query_scalar(
            "with students as (
                 insert into users (email, password_hash, is_student)
                 select $2 || '-' || n || '@bench.example.org', 'x', true from generate_series(1, $3) n
                  order by n returning id)
             insert into enrollments (student_user_id, cohort_id) select id, $1 from students order by id
             returning id",
        )
        .bind(id)
        .bind(&self.name)
        .bind(self.students)
        .fetch_all(pool)
        .await
        .unwrap();
        BuiltCohort { id, staff, sessions, enrollments }
    }
}

/// The demo's running cohort's class today, with no mark yet: the demo holds classes Monday
/// to Thursday, so on the other days of the week the test adds one (as an instructor would
/// for a catch-up day) rather than mark a day the demo has already marked.
pub async fn demo_class_today(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "with running as (select id from cohorts where status = 'running' order by id limit 1),
              held as (select s.id from sessions s join running r on r.id = s.cohort_id where s.date = current_date),
              added as (insert into sessions (cohort_id, date, starts_at, ends_at, title)
                        select id, current_date, '09:00', '16:30', 'Catch-up day' from running
                         where not exists (select 1 from held)
                        returning id)
         select id from held union all select id from added",
    )
    .fetch_one(pool)
    .await
    .expect("the demo has a running cohort")
}

/// The id of the user with this email (the demo's, say).
pub async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("select id from users where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|error| panic!("no user {email}: {error}"))
}

/// Operation `O` through `hubctl call --as EMAIL OPERATION REQUEST`: its answer, or the
/// error it printed.
pub fn hubctl_call<O: hub_model::Operation>(
    url: &str,
    email: &str,
    request: &O::Request,
) -> Result<O::Response, hub_model::ApiError> {
    let request = serde_json::to_string(request).expect("a request serializes");
    let run = hubctl(Some(url), &["call", "--as", email, O::NAME, &request], "");
    if run.code == 0 {
        Ok(serde_json::from_value(run.json())
            .unwrap_or_else(|error| panic!("{} answered a {error}", O::NAME)))
    } else {
        Err(serde_json::from_value(run.json()["error"].clone())
            .unwrap_or_else(|error| panic!("hubctl prints an API error ({error}): {run:?}")))
    }
}

/// A benchmark's database of its own on the server at `DATABASE_URL` (which `cargo xtask
/// bench` sets), migrated; [`BenchDatabase::drop`] removes it.
pub struct BenchDatabase {
    server: sqlx::PgConnection,
    name: String,
    /// Where the benchmark connects.
    pub url: String,
}

impl BenchDatabase {
    pub async fn create(bench: &str) -> Self {
        use sqlx::Connection;
        let master = std::env::var("DATABASE_URL").expect("DATABASE_URL (cargo xtask bench sets it)");
        let name = format!("hub_bench_{bench}_{}", std::process::id());
        let mut server = sqlx::PgConnection::connect(&master).await.expect("the server answers");
        sqlx::query(&format!("create database {name}")).execute(&mut server).await.expect("create database");
        let url = format!("{}/{name}", master.rsplit_once('/').expect("a URL with a database").0);
        let pool =
            sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.expect("connect");
        hub_core::migrate(&pool).await.expect("migrate");
        pool.close().await;
        Self { server, name, url }
    }

    /// Drops the database, whoever is still connected to it.
    pub async fn drop(mut self) {
        sqlx::query(&format!("drop database {} with (force)", self.name))
            .execute(&mut self.server)
            .await
            .expect("drop database");
    }
}
