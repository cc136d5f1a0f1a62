//! The hub server (`hubctl serve`): the staff API under `/api/v1` (health, sessions, and
//! every operation of hub-core's catalogue, run as the session's user) and the public
//! module (`/public/…`, `/healthz`) in one process, on one port or two. It speaks HTTPS
//! itself (rustls) when given a certificate, or plain HTTP on loopback or behind a reverse
//! proxy that speaks HTTPS for it.
//!
//! It is the only holder of the database's credentials. It keeps nothing in memory that
//! another copy would need (sessions live in PostgreSQL), so several copies serve one
//! database behind a load balancer.

mod api;
mod jobs;
pub mod mail;
mod tls;

use axum::serve::ListenerExt;
use axum::Router;
use hub_core::Hub;
use hub_public::client::Proxies;
use hub_public::PublicConfig;
use sqlx::PgPool;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpListener;

pub use api::{router as api_router, OPERATION_BODY_LIMIT};

/// How the server meets the outside world.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where the staff API and the public module are served.
    pub bind: SocketAddr,
    /// Also serve the public module alone here (the website's own address, say).
    pub public_bind: Option<SocketAddr>,
    /// HTTPS with this certificate chain and key (PEM files).
    pub tls: Option<TlsFiles>,
    /// The reverse proxies that speak HTTPS for this server and name its clients; none:
    /// clients connect directly.
    pub proxies: Proxies,
    /// Sign-ins one client may attempt a minute (at once; then one every minute / this),
    /// right or wrong — the failures' own lockout is in the database.
    pub sign_ins_per_minute: u32,
    /// A request's whole answer may take this long; then 503.
    pub request_timeout: Duration,
    /// CORS, rate limits and timeouts of the public module.
    pub public: PublicConfig,
    /// How this server sends the outbox's mail; `None`: messages wait in the outbox.
    pub mail: Option<mail::MailConfig>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_bind: None,
            tls: None,
            proxies: Proxies::default(),
            sign_ins_per_minute: 60,
            request_timeout: Duration::from_secs(30),
            public: PublicConfig::default(),
            mail: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

impl ServerConfig {
    /// Refuses, in one line naming what to change, a configuration that would send
    /// passwords and tokens in the clear over a network.
    pub fn check(&self) -> Result<(), String> {
        self.public.check()?;
        if self.tls.is_none() && self.proxies.is_empty() {
            for address in std::iter::once(self.bind).chain(self.public_bind) {
                if !address.ip().is_loopback() {
                    return Err(format!(
                        "refusing to serve plain HTTP on {address}, which other machines can reach: give \
                         --tls-cert and --tls-key, or put the hub behind a reverse proxy that speaks HTTPS \
                         and name it with --trusted-proxy"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The databases the server uses: `hub` for every operation (the primary); the public
/// module reads `public_reads` (a replica, say) and follows changes on `changes`.
#[derive(Debug, Clone)]
pub struct Databases {
    pub hub: Hub,
    pub public_reads: PgPool,
    pub changes: PgPool,
}

impl Databases {
    /// Everything on one database.
    pub fn single(hub: Hub) -> Self {
        let pool = hub.pool().clone();
        Self { hub, public_reads: pool.clone(), changes: pool }
    }
}

/// What a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serves {
    /// The staff API and the public module.
    Everything,
    /// The public module alone.
    PublicOnly,
}

/// A bound listener, ready to serve.
pub struct Bound {
    pub address: SocketAddr,
    pub https: bool,
    pub serves: Serves,
    listener: TcpListener,
}

impl Bound {
    /// `https://127.0.0.1:8443`, as a browser or the desktop app would be given it.
    pub fn url(&self) -> String {
        format!("{}://{}", if self.https { "https" } else { "http" }, self.address)
    }
}

/// The server, bound and ready: [`Server::run`] serves until told to stop.
pub struct Server {
    pub bound: Vec<Bound>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    api: Router,
    public: Router,
    hub: Hub,
    mail: Option<mail::MailConfig>,
}

impl Server {
    /// Checks the configuration, loads the certificate and binds every address; an error is
    /// one line an operator can act on. Call inside the runtime that will serve (the public
    /// module starts following the database's changes here).
    pub async fn bind(config: &ServerConfig, databases: Databases) -> Result<Self, String> {
        config.check()?;
        if let Some(notice) = config.public.cors_notice() {
            tracing::warn!("{notice}");
        }
        let tls = match &config.tls {
            Some(files) => Some(tls::acceptor(files)?),
            None => None,
        };
        let mut public_config = config.public.clone();
        public_config.proxies = config.proxies.clone();
        let public = hub_public::start(databases.public_reads, databases.changes, &public_config);
        let hub = databases.hub.with_site_writer(hub_public::site_writer());
        let hub = match &config.mail {
            Some(mail) => hub.with_mail_relay(mail.relay().clone()),
            None => hub,
        };
        let api = api::router(hub.clone(), config);
        let mut bound = vec![listen(config.bind, tls.is_some(), Serves::Everything).await?];
        if let Some(address) = config.public_bind {
            bound.push(listen(address, tls.is_some(), Serves::PublicOnly).await?);
        }
        Ok(Self { bound, tls, api, public, hub, mail: config.mail.clone() })
    }

    /// Serves every listener, and runs the server's periodic work, until `shutdown`
    /// completes; then stops taking connections and lets requests under way finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        let jobs = tokio::spawn(jobs::run(self.hub.clone()));
        let mailer = self.mail.map(|config| tokio::spawn(mail::run(self.hub.clone(), config)));
        let everything = Router::new().nest("/api/v1", self.api).merge(self.public.clone());
        let mut serving = tokio::task::JoinSet::new();
        for bound in self.bound {
            let router = match bound.serves {
                Serves::Everything => everything.clone(),
                Serves::PublicOnly => self.public.clone(),
            };
            let mut stopped = stopped.clone();
            let signal = async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            };
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            match &self.tls {
                Some(acceptor) => {
                    let listener = tls::Listener::new(bound.listener, acceptor.clone()).tap_io(tls::no_delay);
                    serving
                        .spawn(axum::serve(listener, service).with_graceful_shutdown(signal).into_future());
                }
                None => {
                    let listener = bound.listener.tap_io(|stream| {
                        // Answers go out at once, not after the peer's delayed ACK.
                        let _ = stream.set_nodelay(true);
                    });
                    serving
                        .spawn(axum::serve(listener, service).with_graceful_shutdown(signal).into_future());
                }
            }
        }
        let mut outcome = Ok(());
        while let Some(finished) = serving.join_next().await {
            match finished {
                Ok(Ok(())) => {}
                Ok(Err(error)) => outcome = Err(error),
                Err(panicked) => outcome = Err(std::io::Error::other(panicked.to_string())),
            }
        }
        jobs.abort();
        if let Some(mailer) = mailer {
            mailer.abort();
        }
        outcome
    }
}

async fn listen(address: SocketAddr, https: bool, serves: Serves) -> Result<Bound, String> {
    let listener =
        TcpListener::bind(address).await.map_err(|error| format!("cannot listen on {address}: {error}"))?;
    let address = listener.local_addr().map_err(|error| format!("cannot listen on {address}: {error}"))?;
    Ok(Bound { address, https, serves, listener })
}

/// Completes on SIGTERM (systemd stopping the service) or Ctrl-C.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
