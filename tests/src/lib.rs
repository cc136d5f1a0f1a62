//! Helpers for the integration tests in `it/`: running `hubctl` against a test's own
//! database, driving the desktop window, and small typed views of the database.

pub mod desktop;

use sqlx::PgPool;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

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
