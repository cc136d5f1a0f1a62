//! `hubctl`, the operator's tool: migrate a database, create the first admin, load demo
//! content, serve the hub (`hubctl serve`), and call any operation of hub-core's table as a
//! given user, directly on the database (for operators on the server).
//!
//! Every failure ends in one line on stderr (or, for `call`, one JSON error on stdout)
//! and a non-zero exit: never a panic, never a stack of logs.

use clap::{Parser, Subcommand};
use hub_core::demo::{self, SeedOutcome};
use hub_core::{db, ops, users, Caller, Error, Hub};
use hub_model::app::SchemaState;
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
    /// Mark events whose end has passed as done (`hubctl serve` does it every minute;
    /// this is for cron on a database no server serves).
    MarkEndedEvents,
    /// Give an existing database role exactly the reads the public module needs.
    GrantPublic {
        /// The role the public module reads as (PUBLIC_DATABASE_URL), e.g. hub_public.
        #[arg(long, default_value = "hub_public")]
        role: String,
    },
    /// Give an existing database role what `hubctl serve` needs: rows only, no schema
    /// changes, the attendance history insert-only. Run again after each `hubctl migrate`.
    GrantServer {
        /// The role `hubctl serve` connects as, e.g. hub_server.
        #[arg(long, default_value = "hub_server")]
        role: String,
    },
    /// Serve the hub until stopped: the staff API (/api/v1) that the desktop app talks to,
    /// and the public website (its pages at /, its API at /public). The only program that
    /// needs the database's credentials.
    Serve(Box<ServeArgs>),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address and port to listen on. Plain HTTP only on loopback, unless behind a
    /// --trusted-proxy.
    #[arg(long, env = "HUB_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Also serve the public website alone on this address (the staff API stays on --bind).
    #[arg(long, env = "HUB_PUBLIC_BIND")]
    public_bind: Option<String>,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(long, env = "HUB_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// …and this private key (PEM).
    #[arg(long, env = "HUB_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// The reverse proxies (nginx, Caddy, HAProxy, a load balancer) that speak HTTPS for the
    /// hub and name each client: their addresses or networks, comma-separated (10.0.0.5,
    /// 10.1.0.0/16). Plain HTTP is then allowed on any address; the client named by a peer
    /// not listed is never believed.
    #[arg(long = "trusted-proxy", env = "HUB_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<String>,
    /// The header the trusted proxies name clients in: X-Forwarded-For or Forwarded.
    #[arg(long, env = "HUB_PROXY_HEADER", default_value = "X-Forwarded-For")]
    proxy_header: String,
    /// The database the public website reads, e.g. a read replica, as the least-privilege
    /// `hub_public` role (default: DATABASE_URL).
    #[arg(long, env = "PUBLIC_DATABASE_URL", hide_env_values = true)]
    public_database_url: Option<String>,
    /// Origins whose web pages may call the public API (comma-separated; `*` lets any page
    /// read it, but the forms take posts only from the origins named).
    #[arg(long = "cors-origin", env = "PUBLIC_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Vec<String>,
    /// The website's address as visitors reach it (https://www.example.org): its pages'
    /// canonical links, Open Graph tags and sitemap name it.
    #[arg(long, env = "HUB_SITE_URL")]
    site_url: Option<String>,
    /// Database connections this server holds at most.
    #[arg(long, env = "HUB_MAX_CONNECTIONS", default_value_t = 10)]
    max_connections: u32,
    /// A session unused this many hours ends.
    #[arg(long, env = "HUB_SESSION_IDLE_HOURS", default_value_t = 168)]
    session_idle_hours: u64,
    /// A session ends after this many days, used or not.
    #[arg(long, env = "HUB_SESSION_MAX_DAYS", default_value_t = 30)]
    session_max_days: u64,
    /// The SMTP server mail goes through, in lettre's URL form:
    /// smtp://USER:PASSWORD@HOST:587?tls=required (STARTTLS), smtps://USER:PASSWORD@HOST (TLS),
    /// smtp://127.0.0.1:2525 (a relay on this machine). Without it, messages wait in the outbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, requires = "mail_from")]
    smtp_url: Option<String>,
    /// The address mail comes from: "Digital Hub <hub@example.org>".
    #[arg(long, env = "MAIL_FROM")]
    mail_from: Option<String>,
    /// A CA certificate (PEM) to trust for the SMTP server besides the system's: a school's
    /// own relay whose certificate a public CA did not sign.
    #[arg(long, env = "SMTP_CA_FILE", requires = "smtp_url")]
    smtp_ca_file: Option<std::path::PathBuf>,
}

/// Parses the command line and runs it; the exit code says how it went.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    // A server also says what it keeps doing (a lost change listener, say); commands only fail.
    init_logging(if matches!(cli.command, Command::Serve(_)) { "warn,sqlx=error" } else { "error" });
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
        Command::GrantPublic { role } => report(
            grant(cli.database_url.as_deref(), &role, hub_public::grant_statements(&role), |role| {
                format!("{role} may now read what the public website serves, and nothing else.")
            })
            .await,
        ),
        Command::GrantServer { role } => report(
            grant(cli.database_url.as_deref(), &role, db::server_grant_statements(&role), |role| {
                format!(
                    "{role} may now read and write the hub's rows (not its schema; the attendance history \
                     insert-only): run `hubctl serve` as {role}, and this again after each migration."
                )
            })
            .await,
        ),
        Command::Serve(args) => report(serve(cli.database_url.as_deref(), *args).await),
    }
}

async fn mark_ended_events(database_url: Option<&str>) -> Result<(), Error> {
    let hub = connect(database_url, 4).await?;
    require_current_schema(&hub).await?;
    let marked = hub_core::events::mark_ended_done(hub.pool()).await?;
    say!("{} marked done.", hub_model::words::count(marked, "ended event", "ended events"));
    Ok(())
}

/// Runs `statements` (grants for `role`), in one transaction.
async fn grant(
    database_url: Option<&str>,
    role: &str,
    statements: Option<Vec<String>>,
    done: impl FnOnce(&str) -> String,
) -> Result<(), Error> {
    let statements = statements.ok_or_else(|| {
        Error::validation("role", format!("{role:?} must be a lower-case name of letters, digits and _"))
    })?;
    let hub = connect(database_url, 1).await?;
    require_current_schema(&hub).await?;
    let mut tx = hub.pool().begin().await?;
    for statement in &statements {
        sqlx::query(statement).execute(&mut *tx).await.map_err(|error| match error.as_database_error() {
            Some(db) if db.code().as_deref() == Some("42704") => Error::Unavailable(format!(
                "there is no role {role:?}: create it first (CREATE ROLE {role} LOGIN PASSWORD '…')"
            )),
            _ => Error::Db(error),
        })?;
    }
    tx.commit().await?;
    say!("{}", done(role));
    Ok(())
}

fn address(flag: &str, text: &str) -> Result<std::net::SocketAddr, Error> {
    text.parse().map_err(|_| {
        Error::validation(flag, format!("{text:?} is not an address and port, e.g. 127.0.0.1:8080"))
    })
}

/// Serves the hub; returns when stopped (SIGTERM, Ctrl-C) or when it cannot start.
async fn serve(database_url: Option<&str>, args: ServeArgs) -> Result<(), Error> {
    let hours = |hours: u64| std::time::Duration::from_secs(hours.saturating_mul(3600));
    let config = hub_server::ServerConfig {
        bind: address("bind", &args.bind)?,
        public_bind: args.public_bind.as_deref().map(|text| address("public-bind", text)).transpose()?,
        tls: args
            .tls_cert
            .zip(args.tls_key)
            .map(|(certificate, key)| hub_server::TlsFiles { certificate, key }),
        proxies: hub_public::client::Proxies::new(
            &args.trusted_proxies,
            hub_public::client::ForwardedHeader::parse(&args.proxy_header)
                .map_err(|message| Error::validation("proxy-header", message))?,
        )
        .map_err(|message| Error::validation("trusted-proxy", message))?,
        public: hub_public::PublicConfig {
            cors_origins: args.cors_origins,
            site_url: args.site_url,
            ..hub_public::PublicConfig::default()
        },
        mail: match (args.smtp_url.as_deref(), args.mail_from.as_deref()) {
            (Some(url), Some(from)) => {
                let config = hub_server::mail::MailConfig::parse(url, from).map_err(Error::Unavailable)?;
                Some(match &args.smtp_ca_file {
                    Some(path) => {
                        let pem = std::fs::read(path).map_err(|error| {
                            Error::Unavailable(format!("SMTP_CA_FILE {}: {error}", path.display()))
                        })?;
                        config.trusting(&pem).map_err(Error::Unavailable)?
                    }
                    None => config,
                })
            }
            _ => None,
        },
        ..hub_server::ServerConfig::default()
    };
    config.check().map_err(Error::Unavailable)?;
    if args.session_idle_hours == 0 || args.session_max_days == 0 {
        return Err(Error::validation("session-idle-hours", "sessions must last at least an hour and a day"));
    }
    let policy = hub_core::staff_sessions::SessionPolicy {
        idle: hours(args.session_idle_hours),
        absolute: hours(args.session_max_days.saturating_mul(24)),
    };
    let hub = connect(database_url, args.max_connections.max(2)).await?;
    // The server never migrates (its role may not), and never writes a schema it does not
    // know: an older schema waits for `hubctl migrate`, a newer one for a newer hubctl.
    let status = db::schema_status(hub.pool()).await?;
    match status.state {
        SchemaState::Current => {}
        SchemaState::Behind => {
            return Err(Error::Unavailable(format!(
                "the database's schema is at version {}, this build needs {}; run `hubctl migrate` (as the \
                 database's owner), then start the server again",
                status.applied.unwrap_or_default(),
                status.expected
            )))
        }
        SchemaState::Ahead => return Err(db::newer_schema_error(&status)),
    }
    let hub = hub.with_sessions(policy);
    let public_reads = match args.public_database_url.as_deref() {
        Some(url) => connect(Some(url), args.max_connections.max(2)).await?.pool().clone(),
        None => hub.pool().clone(),
    };
    let databases = hub_server::Databases { changes: hub.pool().clone(), public_reads, hub: hub.clone() };
    let server = hub_server::Server::bind(&config, databases).await.map_err(Error::Unavailable)?;
    for bound in &server.bound {
        let what = match bound.serves {
            hub_server::Serves::Everything => {
                "the staff API (/api/v1) and the public website (/ and /public)"
            }
            hub_server::Serves::PublicOnly => "the public website (/ and /public)",
        };
        say!("Serving {what} on {} (database {})", bound.url(), hub.target());
    }
    match &config.mail {
        Some(mail) => {
            let relay = mail.relay();
            say!("Sending mail through {} (security: {}) as {}", relay.server, relay.security, relay.from);
        }
        None => say!("No SMTP_URL: messages wait in the outbox until a server with one sends them"),
    }
    server
        .run(hub_server::shutdown_signal())
        .await
        .map_err(|error| Error::Unavailable(format!("the hub server stopped: {error}")))
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

async fn connect(database_url: Option<&str>, max_connections: u32) -> Result<Hub, Error> {
    let url = database_url.ok_or_else(|| {
        Error::Unavailable("no database given: set DATABASE_URL or pass --database-url".to_owned())
    })?;
    let options = db::parse_url(url)?;
    Ok(Hub::new(db::connect(options, max_connections).await?).with_site_writer(hub_public::site_writer()))
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
    let hub = connect(database_url, 4).await.map_err(|error| error.to_api())?;
    let caller = match as_user {
        Some(email) => {
            let email = Email::parse("as", email).map_err(|error| Error::from(error).to_api())?;
            Caller::user(users::id_by_email(hub.pool(), &email).await.map_err(|error| error.to_api())?)
        }
        None => Caller::anonymous(),
    };
    ops::call(&hub, &caller, operation, request).await.map_err(|error| error.to_api())
}

async fn migrate(database_url: Option<&str>) -> Result<(), Error> {
    let hub = connect(database_url, 4).await?;
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
    let hub = connect(database_url, 4).await?;
    require_current_schema(&hub).await?;
    let id = users::create_admin(hub.pool(), &email, &name, &password).await?;
    say!("created administrator {email} (user id {id})");
    Ok(())
}

async fn seed_demo(database_url: Option<&str>, scale: DemoScale) -> Result<(), Error> {
    let hub = connect(database_url, 4).await?;
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
        SchemaState::Current => Ok(()),
        SchemaState::Ahead => Err(db::newer_schema_error(&status)),
        SchemaState::Behind => Err(Error::Unavailable(
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
