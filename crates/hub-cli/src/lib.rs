//! `hubctl`, the operator's tool: migrate a database, create the first admin, load demo
//! content, and call any operation of hub-core's table as a given user.
//!
//! Every failure ends in one line on stderr (or, for `call`, one JSON error on stdout)
//! and a non-zero exit: never a panic, never a stack of logs.

use clap::{Parser, Subcommand};
use hub_core::demo::{self, SeedOutcome};
use hub_core::{db, ops, users, Error, Hub};
use hub_model::input::{Email, NewPassword, PersonName};
use hub_model::ApiError;
use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

/// `println!`, but a reader that has gone away (`hubctl … | head`) ends the output quietly
/// instead of a panic about a broken pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(name = "hubctl", version, about = "Digital Hub operator tool")]
struct Cli {
    /// PostgreSQL URL, e.g. postgres://USER@HOST:5432/DATABASE
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DemoScale {
    /// The demo hub: a few dozen people, every screen with something on it.
    Demo,
    /// The demo hub, and a large school beside it.
    Large,
}

#[derive(Subcommand)]
enum Command {
    /// Apply every pending migration.
    Migrate,
    /// Create an administrator. The password is read from stdin when piped, else prompted.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Load the demo content (once; a second run changes nothing).
    SeedDemo {
        /// `large` adds 50,000 students in 500 cohorts with 2,000,000 attendance marks, for
        /// measuring (a few minutes).
        #[arg(long, value_enum, default_value = "demo")]
        scale: DemoScale,
    },
    /// Run one operation and print its JSON result.
    Call {
        /// Act as the user with this email (anonymous without it).
        #[arg(long = "as", value_name = "EMAIL")]
        as_user: Option<String>,
        /// Print every operation with the role it needs.
        #[arg(long, conflicts_with_all = ["operation", "request"])]
        list: bool,
        /// The operation's name, e.g. app.info
        #[arg(required_unless_present = "list")]
        operation: Option<String>,
        /// The request as JSON (default {}).
        request: Option<String>,
    },
    /// Mark events whose end has passed as done (the desktop app does it every minute;
    /// this is for cron on servers).
    MarkEndedEvents,
    /// Give an existing database role exactly the reads the public API needs.
    GrantPublic {
        /// The role `serve-public` connects as, e.g. hub_public.
        #[arg(long, default_value = "hub_public")]
        role: String,
    },
    /// Serve the public website API (read-only JSON) until stopped.
    ServePublic {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// The database to read, e.g. a read replica, as the least-privilege `hub_public`
        /// role (default: DATABASE_URL).
        #[arg(long, env = "PUBLIC_DATABASE_URL", hide_env_values = true)]
        public_database_url: Option<String>,
        /// Origins whose web pages may call the API (comma-separated; `*` for any).
        #[arg(long = "cors-origin", env = "PUBLIC_CORS_ORIGINS", value_delimiter = ',')]
        cors_origins: Vec<String>,
    },
}

/// Parses the command line and runs it; the exit code says how it went.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // A server also says what it keeps doing (a lost change listener, say); commands only fail.
    init_logging(if matches!(cli.command, Command::ServePublic { .. }) {
        "warn,sqlx=error"
    } else {
        "error"
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(execute(cli))
}

/// Errors only (the detail behind "something went wrong on our side"), unless RUST_LOG
/// asks for more: an operator reads one line per failure.
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(io::stderr).with_target(false).init();
}

async fn execute(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Call { list: true, .. } => {
            print_operations();
            ExitCode::SUCCESS
        }
        Command::Call { as_user, operation: Some(operation), request, .. } => {
            match call(cli.database_url.as_deref(), as_user.as_deref(), &operation, request.as_deref()).await
            {
                Ok(value) => {
                    say!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    say!("{}", serde_json::json!({ "error": error }));
                    ExitCode::FAILURE
                }
            }
        }
        // clap requires an operation unless --list is given; say so should that ever change.
        Command::Call { operation: None, .. } => {
            eprintln!("error: name an operation (see hubctl call --list)");
            ExitCode::FAILURE
        }
        Command::Migrate => report(migrate(cli.database_url.as_deref()).await),
        Command::CreateAdmin { email, name } => {
            report(create_admin(cli.database_url.as_deref(), &email, &name).await)
        }
        Command::SeedDemo { scale } => report(seed_demo(cli.database_url.as_deref(), scale).await),
        Command::MarkEndedEvents => report(mark_ended_events(cli.database_url.as_deref()).await),
        Command::GrantPublic { role } => report(grant_public(cli.database_url.as_deref(), &role).await),
        Command::ServePublic { bind, public_database_url, cors_origins } => {
            let config = hub_public::PublicConfig { cors_origins, ..hub_public::PublicConfig::default() };
            // Reads from PUBLIC_DATABASE_URL when given (a replica, say); listens for changes on
            // DATABASE_URL, the primary, where NOTIFY happens.
            let (reads, changes) = match public_database_url {
                Some(public) => (Some(public), cli.database_url),
                None => (cli.database_url, None),
            };
            report(serve_public(reads.as_deref(), changes.as_deref(), &bind, config).await)
        }
    }
}

async fn mark_ended_events(database_url: Option<&str>) -> Result<(), Error> {
    let hub = connect(database_url).await?;
    require_current_schema(&hub).await?;
    let marked = hub_core::events::mark_ended_done(hub.pool()).await?;
    say!("{marked} ended event(s) marked done.");
    Ok(())
}

/// Grants `role` the public API's reads, in one transaction.
async fn grant_public(database_url: Option<&str>, role: &str) -> Result<(), Error> {
    let statements = hub_public::grant_statements(role).ok_or_else(|| {
        Error::validation("role", format!("{role:?} must be a lower-case name of letters, digits and _"))
    })?;
    let hub = connect(database_url).await?;
    require_current_schema(&hub).await?;
    let mut tx = hub.pool().begin().await?;
    for statement in &statements {
        sqlx::query(statement).execute(&mut *tx).await.map_err(|error| match error.as_database_error() {
            Some(db) if db.code().as_deref() == Some("42704") => Error::Unavailable(format!(
                "there is no role {role:?}: create it first (CREATE ROLE {role} LOGIN …)"
            )),
            _ => Error::Db(error),
        })?;
    }
    tx.commit().await?;
    say!("{role} may now read what the public API serves, and nothing else.");
    Ok(())
}

/// Serves the public API; returns only when it cannot start or stops with an error.
async fn serve_public(
    database_url: Option<&str>,
    changes_url: Option<&str>,
    bind: &str,
    config: hub_public::PublicConfig,
) -> Result<(), Error> {
    let address: std::net::SocketAddr = bind.parse().map_err(|_| {
        Error::validation("bind", format!("{bind:?} is not an address and port, e.g. 127.0.0.1:8080"))
    })?;
    config.check().map_err(|problem| Error::validation("cors-origin", problem))?;
    let hub = connect(database_url).await?;
    let changes = match changes_url {
        Some(url) => connect(Some(url)).await?.pool().clone(),
        None => hub.pool().clone(),
    };
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| Error::Unavailable(format!("cannot listen on {address}: {error}")))?;
    say!("Serving the public API on http://{address}/public/ (database {})", hub.target());
    hub_public::serve(listener, hub.pool().clone(), changes, config)
        .await
        .map_err(|error| Error::Unavailable(format!("the public API stopped: {error}")))
}

/// One line on stderr for a failure; the exit code for the shell.
fn report(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", error.to_api().message);
            ExitCode::FAILURE
        }
    }
}

fn print_operations() {
    let width = ops::OPERATIONS.iter().map(|operation| operation.name.len()).max().unwrap_or(0);
    for operation in ops::OPERATIONS {
        say!("{:width$}  {:13}  {}", operation.name, operation.access.as_str(), operation.summary);
    }
}

async fn connect(database_url: Option<&str>) -> Result<Hub, Error> {
    let url = database_url.ok_or_else(|| {
        Error::Unavailable("no database given: set DATABASE_URL or pass --database-url".to_owned())
    })?;
    let options = db::parse_url(url)?;
    Ok(Hub::new(db::connect(options, 4).await?))
}

async fn call(
    database_url: Option<&str>,
    as_user: Option<&str>,
    operation: &str,
    request: Option<&str>,
) -> Result<serde_json::Value, ApiError> {
    let request = match request {
        Some(text) => serde_json::from_str(text)
            .map_err(|error| Error::validation("request", format!("is not valid JSON: {error}")).to_api())?,
        None => serde_json::Value::Null,
    };
    if ops::find(operation).is_none() {
        return Err(Error::NotFound(format!("operation '{operation}'")).to_api());
    }
    let hub = connect(database_url).await.map_err(|error| error.to_api())?;
    let session = match as_user {
        Some(email) => {
            let email = Email::parse("as", email).map_err(|error| Error::from(error).to_api())?;
            Some(users::id_by_email(hub.pool(), &email).await.map_err(|error| error.to_api())?)
        }
        None => None,
    };
    // Each call stands alone: a sign-in checks the credentials, and no session outlives it.
    ops::call(&hub, session, operation, request)
        .await
        .map(|called| called.response)
        .map_err(|error| error.to_api())
}

async fn migrate(database_url: Option<&str>) -> Result<(), Error> {
    let hub = connect(database_url).await?;
    let status = db::migrate(hub.pool()).await?;
    say!(
        "database {} is at schema version {} (this build: {})",
        hub.target(),
        status.applied.unwrap_or_default(),
        status.expected
    );
    Ok(())
}

async fn create_admin(database_url: Option<&str>, email: &str, name: &str) -> Result<(), Error> {
    // Check the input before asking for a password or touching the database.
    let email = Email::parse("email", email)?;
    let name = PersonName::parse("name", name)?;
    let password = NewPassword::parse("password", &read_password()?)?;
    let hub = connect(database_url).await?;
    require_current_schema(&hub).await?;
    let id = users::create_admin(hub.pool(), &email, &name, &password).await?;
    say!("created administrator {email} (user id {id})");
    Ok(())
}

async fn seed_demo(database_url: Option<&str>, scale: DemoScale) -> Result<(), Error> {
    let hub = connect(database_url).await?;
    require_current_schema(&hub).await?;
    match demo::seed(hub.pool()).await? {
        SeedOutcome::AlreadyPresent => {
            say!("demo data is already present; nothing changed");
        }
        SeedOutcome::Seeded(counts) => {
            say!(
                        "demo data loaded: {} users ({} students), {} programs, {} cohorts, {} sessions, \
                         {} attendance marks, {} events, {} applications, {} announcements, {} contact messages",
                        counts.users,
                        counts.students,
                        counts.programs,
                        counts.cohorts,
                        counts.sessions,
                        counts.attendance_records,
                        counts.events,
                        counts.applications,
                        counts.announcements,
                        counts.contact_messages
                    );
        }
    }
    if scale == DemoScale::Large {
        let started = std::time::Instant::now();
        let outcome = hub_core::large_demo::seed(hub.pool(), hub_core::large_demo::Scale::LARGE, |step| {
            say!("large demo: {step}…");
        })
        .await?;
        match outcome {
            hub_core::large_demo::LargeOutcome::AlreadyPresent => {
                say!("the large demo is already present; nothing changed");
            }
            hub_core::large_demo::LargeOutcome::Seeded(counts) => say!(
                "large demo loaded in {:.0} s: {} students, {} cohorts, {} sessions; {} attendance marks in all \
                 (accounts student1…{}@scale.demo.digitalhub.dev, same password)",
                started.elapsed().as_secs_f64(),
                counts.students,
                counts.cohorts,
                counts.sessions,
                counts.attendance_records,
                counts.students
            ),
        }
    }
    say!("demo sign-ins (password for all: {}):", demo::DEMO_PASSWORD);
    for (email, roles) in demo::DEMO_LOGINS {
        say!("  {email:34} {roles}");
    }
    Ok(())
}

/// Data commands need the schema this build knows; `migrate` brings it there.
async fn require_current_schema(hub: &Hub) -> Result<(), Error> {
    let status = db::schema_status(hub.pool()).await?;
    match status.state {
        hub_model::app::SchemaState::Current => Ok(()),
        hub_model::app::SchemaState::Ahead => Err(db::newer_schema_error(&status)),
        hub_model::app::SchemaState::Behind => Err(Error::Unavailable(
            "the database is not migrated to this build's schema; run `hubctl migrate` first".to_owned(),
        )),
    }
}

/// The new admin's password: from stdin when piped (one line), else prompted twice.
fn read_password() -> Result<String, Error> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password for the new administrator: ")
            .map_err(|error| Error::validation("password", format!("cannot read it: {error}")))?;
        let second = rpassword::prompt_password("Repeat the password: ")
            .map_err(|error| Error::validation("password", format!("cannot read it: {error}")))?;
        if first != second {
            return Err(Error::validation("password", "the two entries differ"));
        }
        Ok(first)
    } else {
        let mut input = String::new();
        stdin
            .lock()
            .take(4096)
            .read_to_string(&mut input)
            .map_err(|error| Error::validation("password", format!("cannot read it from stdin: {error}")))?;
        Ok(input.lines().next().unwrap_or_default().to_owned())
    }
}
