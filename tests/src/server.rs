//! The hub server as the tests reach it — always over real HTTP on loopback, connected to
//! the test's own database as the server's least-privilege role (rows only, the attendance
//! history insert-only: what `hubctl grant-server` gives), so every test that goes through
//! the server also proves that role is enough:
//! - [`TestServer`]: in this process, on a free port, for as long as the test runs;
//! - [`HubProcess`]: a real `hubctl serve` process, to stop, kill and start again (the
//!   window tests, the load balancer's).

use hub_client::HubClient;
use hub_model::auth::{LoginRequest, SessionToken, SignedIn};
use hub_model::connection::HubAddress;
use hub_model::{ApiError, Operation};
use sqlx::PgPool;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The role the tests' servers connect as (cluster-wide; granted per test database).
pub const SERVER_ROLE: &str = "hub_server_test";
const SERVER_ROLE_PASSWORD: &str = "hub-server-test";

/// The test database's URL as the server's role, after giving the role the server's grants
/// on it (`hubctl grant-server`'s statements).
pub async fn server_role_url(pool: &PgPool) -> String {
    // Tests run side by side: whoever creates the role first wins, the others find it.
    let create = format!("create role {SERVER_ROLE} login password '{SERVER_ROLE_PASSWORD}'");
    if let Err(error) = sqlx::query(&create).execute(pool).await {
        let code = error.as_database_error().and_then(|db| db.code()).map(|code| code.into_owned());
        assert!(
            matches!(code.as_deref(), Some("42710" | "23505" | "XX000")),
            "cannot create the server's role: {error}"
        );
    }
    for statement in hub_core::db::server_grant_statements(SERVER_ROLE).expect("a plain role name") {
        sqlx::query(&statement).execute(pool).await.unwrap_or_else(|error| panic!("{statement}: {error}"));
    }
    as_role(&crate::database_url(pool), SERVER_ROLE, SERVER_ROLE_PASSWORD)
}

/// `url` with its user and password replaced.
fn as_role(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL has a scheme");
    let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{user}:{password}@{rest}")
}

/// A pool on the test's database as the server's role.
pub async fn server_role_pool(pool: &PgPool) -> PgPool {
    let url = server_role_url(pool).await;
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect(&url)
        .await
        .expect("the server's role connects")
}

/// The hub server in this process, on a free loopback port.
pub struct TestServer {
    pub address: HubAddress,
    pub client: HubClient,
    /// The server's own pool (as its role).
    pub pool: PgPool,
}

impl TestServer {
    /// A server over the test's database with the default settings.
    pub async fn start(pool: &PgPool) -> Self {
        Self::start_with(
            pool,
            hub_server::ServerConfig::default(),
            hub_core::staff_sessions::SessionPolicy::default(),
        )
        .await
    }

    /// A server with `config` (its `bind` is replaced by a free loopback port) and sessions
    /// lasting as `policy` says.
    pub async fn start_with(
        pool: &PgPool,
        config: hub_server::ServerConfig,
        policy: hub_core::staff_sessions::SessionPolicy,
    ) -> Self {
        let server_pool = server_role_pool(pool).await;
        let hub = hub_core::Hub::new(server_pool.clone()).with_sessions(policy);
        let config = hub_server::ServerConfig { bind: "127.0.0.1:0".parse().unwrap(), ..config };
        let server = hub_server::Server::bind(&config, hub_server::Databases::single(hub))
            .await
            .unwrap_or_else(|error| panic!("the server starts: {error}"));
        let url = server.bound[0].url();
        tokio::spawn(server.run(std::future::pending()));
        let address = HubAddress::parse("address", &url).expect("a loopback address");
        let client = HubClient::new(address.clone(), None).expect("a client");
        Self { address, client, pool: server_pool }
    }

    /// Signs in (the right password expected) and answers the session's token.
    pub async fn sign_in(&self, identifier: &str, password: &str) -> SessionToken {
        self.try_sign_in(identifier, password)
            .await
            .unwrap_or_else(|error| panic!("{identifier} signs in: {error:?}"))
            .token
    }

    pub async fn try_sign_in(&self, identifier: &str, password: &str) -> Result<SignedIn, ApiError> {
        let request = LoginRequest {
            identifier: identifier.to_owned(),
            password: password.to_owned(),
            device: Some("the tests".to_owned()),
        };
        self.client.sign_in(&request).await
    }

    pub async fn call<O: Operation>(
        &self,
        token: &SessionToken,
        request: &O::Request,
    ) -> Result<O::Response, ApiError> {
        self.client.call::<O>(Some(token), request).await
    }

    /// An operation by name with a JSON request, as `token`'s session or nobody.
    pub async fn call_json(
        &self,
        token: Option<&SessionToken>,
        operation: &str,
        request: &serde_json::Value,
    ) -> Result<serde_json::Value, ApiError> {
        self.client.call_named(token, operation, request).await
    }

    /// The server's address and port, for raw HTTP.
    pub fn socket(&self) -> std::net::SocketAddr {
        self.address.as_str().trim_start_matches("http://").parse().expect("host:port")
    }
}

/// A `hubctl serve` process.
pub struct HubProcess {
    child: Option<Child>,
    database_url: String,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    bind: String,
    extra: Vec<String>,
}

impl HubProcess {
    /// Serves the test's database (as the server's role) on a free loopback port.
    pub async fn start(pool: &PgPool) -> Self {
        let database_url = server_role_url(pool).await;
        Self::spawn(database_url, "127.0.0.1:0".to_owned(), Vec::new())
    }

    /// Serves the test's database over HTTPS with a certificate of the school's own CA
    /// ([`school_ca`], written in `dir`): the hub, and the paths of the CA's certificate and
    /// of the server's key.
    pub async fn start_with_school_ca(
        pool: &PgPool,
        dir: &std::path::Path,
    ) -> (Self, std::path::PathBuf, std::path::PathBuf) {
        let (ca, certificate, key) = school_ca(dir);
        let tls = vec![
            "--tls-cert".to_owned(),
            certificate.display().to_string(),
            "--tls-key".to_owned(),
            key.display().to_string(),
        ];
        let hub = Self::spawn(server_role_url(pool).await, "127.0.0.1:0".to_owned(), tls);
        assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);
        (hub, ca, key)
    }

    /// `hubctl serve` on `database_url` at `bind`, with more arguments.
    pub fn spawn(database_url: String, bind: String, extra: Vec<String>) -> Self {
        let mut process = Self { child: None, database_url, url: String::new(), bind, extra };
        process.launch();
        process
    }

    fn launch(&mut self) {
        // Its log goes to a file nobody has to drain (a full pipe would stop the server).
        let log = std::env::temp_dir().join(format!(
            "hub-serve-{}-{}.log",
            std::process::id(),
            self.bind.replace(':', "_")
        ));
        let stderr = std::fs::File::create(&log).expect("a log file");
        let mut child = Command::new(crate::hubctl_path())
            .args(["serve", "--bind", &self.bind])
            .args(&self.extra)
            .env("DATABASE_URL", &self.database_url)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("hubctl serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        std::io::BufReader::new(stdout).read_line(&mut line).expect("hubctl serve says where it serves");
        let Some(url) = line.split(" on ").nth(1).and_then(|rest| rest.split(' ').next()) else {
            let _ = child.wait();
            panic!(
                "hubctl serve did not start: {line:?} {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        self.url = url.to_owned();
        // Started again after a stop, it takes the same port: the desktops know only that one.
        self.bind = url.trim_start_matches("http://").to_owned();
        self.child = Some(child);
    }

    /// Stops it as systemd would (SIGTERM), letting requests under way finish.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
            let _ = child.wait();
        }
    }

    /// Kills it outright (SIGKILL), as a crash or a pulled plug would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same address (after [`Self::stop`] or [`Self::kill`]).
    pub async fn restart(&mut self) {
        self.stop();
        // The port is free again at once (the listener had SO_REUSEADDR), but give the
        // kernel a moment if it is not.
        for _ in 0..50 {
            if std::net::TcpListener::bind(&self.bind).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.launch();
    }

    pub fn address(&self) -> HubAddress {
        HubAddress::parse("address", &self.url).expect("a loopback address")
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A certificate authority of the school's own, and a certificate it signed for this machine
/// (`localhost`, `127.0.0.1`): the paths of the CA's certificate, the server's certificate
/// and the server's key, written in `dir`.
pub fn school_ca(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, "Digital Hub test school CA");
    let ca_certificate = ca.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let mut leaf =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    leaf.distinguished_name.push(rcgen::DnType::CommonName, "hub.school.test");
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let certificate = leaf.signed_by(&key, &issuer).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let paths = (dir.join("ca.pem"), dir.join("hub.pem"), dir.join("hub.key"));
    std::fs::write(&paths.0, ca_certificate.pem()).unwrap();
    std::fs::write(&paths.1, certificate.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    paths
}
