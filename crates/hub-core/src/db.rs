//! The database connection and the schema: parsing the URL, connecting with errors an
//! operator can act on, and applying the embedded migrations.

use crate::error::is_connection_error;
use crate::staff_sessions::SessionPolicy;
use crate::website::SiteWriter;
use crate::{Error, Result};
use hub_model::app::{SchemaState, SchemaStatus};
use hub_model::mail::MailRelay;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Postgres, Transaction};
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The migrations in `migrations/`, embedded in every binary that links hub-core.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// How long to wait for a connection before saying the database is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything an operation needs to run: the pool, how long sign-ins last, and how this
/// server sends mail.
#[derive(Clone)]
pub struct Hub {
    pool: PgPool,
    sessions: SessionPolicy,
    mail_relay: Option<MailRelay>,
    site_writer: Option<Arc<dyn SiteWriter>>,
    /// The operation being run and for whom, told to the audit trail by [`Hub::begin`].
    call: Option<Call>,
}

/// What the audit trail records of who changed something: the operation, the person, their
/// session and the address the call came from (see migration 0027).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub operation: &'static str,
    pub actor: Option<i64>,
    pub session: Option<i64>,
    pub address: Option<IpAddr>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("pool", &self.pool)
            .field("sessions", &self.sessions)
            .field("mail_relay", &self.mail_relay)
            .field("writes_the_site", &self.site_writer.is_some())
            .field("call", &self.call)
            .finish()
    }
}

impl Hub {
    pub fn new(pool: PgPool) -> Self {
        Self { pool, sessions: SessionPolicy::default(), mail_relay: None, site_writer: None, call: None }
    }

    /// The same hub, writing the website's previews with `writer` (the public module's).
    pub fn with_site_writer(self, writer: Arc<dyn SiteWriter>) -> Self {
        Self { site_writer: Some(writer), ..self }
    }

    /// What writes the website's pages for a preview, when this hub has it.
    pub fn site_writer(&self) -> Option<&dyn SiteWriter> {
        self.site_writer.as_deref()
    }

    /// The same hub with sessions lasting as `policy` says.
    pub fn with_sessions(self, policy: SessionPolicy) -> Self {
        Self { sessions: policy, ..self }
    }

    /// The same hub, saying (to admins) that it sends mail through `relay`.
    pub fn with_mail_relay(self, relay: MailRelay) -> Self {
        Self { mail_relay: Some(relay), ..self }
    }

    /// The SMTP server this hub server's mail worker sends through; `None`: messages wait.
    pub fn mail_relay(&self) -> Option<&MailRelay> {
        self.mail_relay.as_ref()
    }

    /// The same hub, running `call`: what its transactions change is recorded as `call`'s.
    pub fn running(&self, call: Call) -> Self {
        Self { call: Some(call), ..self.clone() }
    }

    /// Begins a transaction whose changes the audit trail records as this hub's call (or as
    /// the system's, outside one). Every write an operation makes goes through one.
    pub async fn begin(&self) -> Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await?;
        if let Some(call) = &self.call {
            say_who(&mut tx, call).await?;
        }
        Ok(tx)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn sessions(&self) -> SessionPolicy {
        self.sessions
    }

    /// `host:port/database`, for messages. Never includes the password.
    pub fn target(&self) -> String {
        describe_target(&self.pool.connect_options())
    }
}

/// Begins a transaction on `pool` whose changes the audit trail records as `operation`'s,
/// done by nobody signed in (the website's forms).
pub async fn begin_as(pool: &PgPool, operation: &'static str) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    say_who(&mut tx, &Call { operation, actor: None, session: None, address: None }).await?;
    Ok(tx)
}

/// Tells the audit trail's triggers, for the rest of `tx`, who is changing things.
pub(crate) async fn say_who(tx: &mut Transaction<'static, Postgres>, call: &Call) -> Result<()> {
    let text = |value: Option<i64>| value.map(|value| value.to_string()).unwrap_or_default();
    sqlx::query!(
        "select set_config('hub.operation', $1, true) as operation, set_config('hub.actor', $2, true) as actor,
                set_config('hub.session', $3, true) as session, set_config('hub.address', $4, true) as address",
        call.operation,
        text(call.actor),
        text(call.session),
        call.address.map(|address| address.to_string()).unwrap_or_default(),
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(())
}

/// Parses a `postgres://` URL. The error names the problem without echoing the URL,
/// which may hold a password.
pub fn parse_url(url: &str) -> Result<PgConnectOptions> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Error::Unavailable(
            "DATABASE_URL is empty; set it to postgres://USER@HOST:PORT/DATABASE".to_owned(),
        ));
    }
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(Error::Unavailable(
            "DATABASE_URL must start with postgres:// (e.g. postgres://USER@HOST:PORT/DATABASE)".to_owned(),
        ));
    }
    PgConnectOptions::from_str(url).map_err(|error| {
        let reason = match error {
            sqlx::Error::Configuration(reason) => reason.to_string(),
            other => other.to_string(),
        };
        Error::Unavailable(format!("DATABASE_URL is malformed: {reason}"))
    })
}

pub fn describe_target(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("(default database)")
    )
}

fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new().max_connections(max_connections).acquire_timeout(CONNECT_TIMEOUT)
}

/// Connects now, so an unreachable or misconfigured server is reported at once, in one line.
///
/// JIT compilation is off: the hub's statements are short, and on the few large ones (an
/// import's 5,000 marks) PostgreSQL's cost estimate would spend half a second compiling
/// what runs in less.
pub async fn connect(options: PgConnectOptions, max_connections: u32) -> Result<PgPool> {
    let options = options.options([("jit", "off")]);
    probe(&options).await?;
    Ok(pool_options(max_connections).connect_lazy_with(options))
}

/// Opens and closes one connection. A pool retries until its timeout and then reports only
/// "timed out"; a single connection says "connection refused" or "database does not exist".
pub async fn probe(options: &PgConnectOptions) -> Result<()> {
    let target = describe_target(options);
    let unavailable = |error: sqlx::Error| Error::Unavailable(describe_connect_error(&target, &error));
    let connection = tokio::time::timeout(CONNECT_TIMEOUT, options.connect())
        .await
        .map_err(|_elapsed| unavailable(sqlx::Error::PoolTimedOut))?
        .map_err(unavailable)?;
    // The probe has done its job; a failure to close it politely changes nothing.
    let _ = connection.close().await;
    Ok(())
}

/// One line saying why a connection failed, for operators.
pub fn describe_connect_error(target: &str, error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Io(io) => format!("cannot reach PostgreSQL at {target}: {io}"),
        sqlx::Error::PoolTimedOut => {
            format!("cannot reach PostgreSQL at {target}: no answer within {}s", CONNECT_TIMEOUT.as_secs())
        }
        sqlx::Error::Tls(tls) => format!("TLS with PostgreSQL at {target} failed: {tls}"),
        sqlx::Error::Database(db) => format!("PostgreSQL at {target} refused: {}", db.message()),
        other => format!("cannot use PostgreSQL at {target}: {other}"),
    }
}

/// The highest migration version this build carries.
pub fn expected_version() -> i64 {
    MIGRATOR.iter().map(|migration| migration.version).max().unwrap_or(0)
}

/// Compares the database's applied migrations with this build's.
pub async fn schema_status(pool: &PgPool) -> Result<SchemaStatus> {
    let expected = expected_version();
    let has_table =
        sqlx::query_scalar!(r#"select to_regclass('public._sqlx_migrations') is not null as "exists!""#)
            .fetch_one(pool)
            .await?;
    let applied: Vec<i64> = if has_table {
        sqlx::query_scalar!("select version from _sqlx_migrations where success order by version")
            .fetch_all(pool)
            .await?
    } else {
        Vec::new()
    };
    let known = |version: &i64| MIGRATOR.iter().any(|migration| migration.version == *version);
    let state = if applied.iter().any(|version| !known(version)) {
        SchemaState::Ahead
    } else if MIGRATOR.iter().any(|migration| !applied.contains(&migration.version)) {
        SchemaState::Behind
    } else {
        SchemaState::Current
    };
    Ok(SchemaStatus { applied: applied.last().copied(), expected, state })
}

/// Applies every pending migration. Refuses, in one line, a database that a newer
/// Digital Hub has migrated, rather than half-working against a schema it does not know.
pub async fn migrate(pool: &PgPool) -> Result<SchemaStatus> {
    let before = schema_status(pool).await?;
    if before.state == SchemaState::Ahead {
        return Err(newer_schema_error(&before));
    }
    MIGRATOR.run(pool).await.map_err(|error| match error {
        MigrateError::Execute(sqlx) if is_connection_error(&sqlx) => Error::Db(sqlx),
        MigrateError::Execute(sqlx) => Error::Internal(format!("a migration failed to apply: {sqlx}")),
        MigrateError::VersionMismatch(version) => Error::Unavailable(format!(
            "migration {version} applied to this database differs from this build's; \
             the database was migrated by a different build of Digital Hub"
        )),
        MigrateError::Dirty(version) => Error::Unavailable(format!(
            "migration {version} failed part-way on this database earlier; fix it by hand, then rerun"
        )),
        other => Error::Unavailable(format!("cannot migrate: {other}")),
    })?;
    schema_status(pool).await
}

pub fn newer_schema_error(status: &SchemaStatus) -> Error {
    Error::Unavailable(format!(
        "the database's schema is at version {}, newer than this build of Digital Hub knows ({}); \
         upgrade Digital Hub",
        status.applied.unwrap_or_default(),
        status.expected
    ))
}

/// `grants` with `{role}` replaced by `role`, quoted; `None` when the name is not a plain
/// lower-case identifier (it is spliced into SQL).
pub fn grants_for(role: &str, grants: &[&str]) -> Option<Vec<String>> {
    let plain = role.chars().next().is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && role.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.len() <= 63;
    plain.then(|| grants.iter().map(|grant| grant.replace("{role}", &format!("\"{role}\""))).collect())
}

/// What the hub server needs of the database, as grants for its own role: reading and
/// writing rows (no DDL: migrations run as the owner, with `hubctl migrate`), the
/// attendance history insert-only, and the migrations' record read-only. Run again after
/// each migration: it grants on the tables that exist.
const SERVER_GRANTS: &[&str] = &[
    "grant usage on schema public to {role}",
    "grant select, insert, update, delete on all tables in schema public to {role}",
    "grant usage, select on all sequences in schema public to {role}",
    "grant execute on all functions in schema public to {role}",
    // The website's content as the website reads it (migration 0017), for the desktop's preview.
    "grant usage on schema published to {role}",
    "grant select on all tables in schema published to {role}",
    // History is an audit log: even a bug in the server cannot rewrite it.
    "revoke update, delete, truncate on attendance_history from {role}",
    // The audit trail is written by its triggers alone (migration 0027): the server reads it.
    "revoke insert, update, delete, truncate on audit_log, audit_changes from {role}",
    "revoke insert, update, delete, truncate on _sqlx_migrations from {role}",
];

/// The statements that give `role` what the hub server needs, and no more (see
/// [`SERVER_GRANTS`]); `None` for a name that is not a plain identifier.
pub fn server_grant_statements(role: &str) -> Option<Vec<String>> {
    grants_for(role, SERVER_GRANTS)
}
