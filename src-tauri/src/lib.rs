//! The desktop app's shell: a thin client of the hub server. It keeps the hub's address and
//! the signed-in person's session token, relays the UI's operations to the hub over HTTPS
//! (`call`), and runs the shell's own typed commands (`shell`: the hub's address, signing
//! in and out, offline attendance and its sync, updates, files). No domain logic lives
//! here, and no database credential: every rule is the server's.

mod connection;
mod hub;
mod media;
mod offline;
mod session;
mod shell;
mod update;

use hub_client::HubClient;
use hub_model::auth::{CurrentUser, SessionToken};
use hub_model::connection::{ConnectionSource, HubAddress};
use hub_model::ops::{ChangePassword, SignIn, SignOut};
use hub_model::{ApiError, ErrorKind, Operation};
use serde_json::Value;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use tauri::{AppHandle, Manager, State};

/// Names the hub to use for this run, over any saved one (`cargo xtask run`, tests).
const HUB_URL_VARIABLE: &str = "DIGITAL_HUB_URL";
/// …and, with it, the CA certificate to trust the hub by.
const HUB_CA_VARIABLE: &str = "DIGITAL_HUB_CA_CERT";

/// The hub the operations go to, and where its address came from.
struct HubConnection {
    /// The hub's client, or why there is none (nothing set up yet, an unreadable CA file).
    client: Result<HubClient, String>,
    source: ConnectionSource,
    ca_certificate_path: Option<String>,
}

/// Who is signed in to the app.
#[derive(Debug, Clone, Default)]
enum Session {
    #[default]
    None,
    /// A token kept from an earlier run, not yet confirmed by the hub.
    Resumable(SessionToken),
    /// Signed in with the hub: calls go with the token.
    Online { user: CurrentUser, token: SessionToken },
    /// Signed in on this computer only: offline attendance, nothing sent.
    Offline { user: CurrentUser },
}

impl Session {
    fn user(&self) -> Option<&CurrentUser> {
        match self {
            Self::Online { user, .. } | Self::Offline { user } => Some(user),
            Self::None | Self::Resumable(_) => None,
        }
    }

    fn token(&self) -> Option<&SessionToken> {
        match self {
            Self::Online { token, .. } => Some(token),
            _ => None,
        }
    }
}

/// What the window's commands share.
pub struct AppState {
    hub: RwLock<HubConnection>,
    session: Mutex<Session>,
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, message)
}

impl AppState {
    /// `DIGITAL_HUB_URL` when set, else the hub the first-run screen saved, and the session
    /// token kept from the last run. Reads the keychain: call it where blocking is fine.
    fn load(app: &AppHandle) -> Self {
        let (hub, address) = match std::env::var(HUB_URL_VARIABLE) {
            Ok(url) => {
                let ca_path = std::env::var(HUB_CA_VARIABLE).ok().filter(|path| !path.is_empty());
                let client = HubAddress::parse("address", &url)
                    .map_err(|error| format!("{HUB_URL_VARIABLE}: {}", error.message))
                    .and_then(|address| client_for(address, ca_path.as_deref()));
                let address = client.as_ref().ok().map(|client| client.address().clone());
                let hub = HubConnection {
                    client,
                    source: ConnectionSource::Environment,
                    ca_certificate_path: ca_path,
                };
                (hub, address)
            }
            Err(_) => match connection::saved_hub(app) {
                Some(saved) => {
                    let client = HubClient::new(
                        saved.address.clone(),
                        saved.ca_certificate.as_deref().map(str::as_bytes),
                    )
                    .map_err(|error| error.message);
                    let hub = HubConnection {
                        client,
                        source: ConnectionSource::Saved,
                        ca_certificate_path: saved.ca_certificate_path,
                    };
                    (hub, Some(saved.address))
                }
                None => (
                    HubConnection {
                        client: Err("no hub is set up yet".to_owned()),
                        source: ConnectionSource::None,
                        ca_certificate_path: None,
                    },
                    None,
                ),
            },
        };
        let session = address
            .and_then(|address| connection::load_token(app, &address))
            .map_or(Session::None, Session::Resumable);
        Self { hub: RwLock::new(hub), session: Mutex::new(session) }
    }

    fn client(&self) -> Result<HubClient, ApiError> {
        let hub = self.hub.read().unwrap_or_else(PoisonError::into_inner);
        hub.client.clone().map_err(unavailable)
    }

    fn source(&self) -> ConnectionSource {
        self.hub.read().unwrap_or_else(PoisonError::into_inner).source
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The signed-in person's id, online or offline.
    fn user_id(&self) -> Option<i64> {
        self.session().user().map(|user| user.id)
    }

    fn token(&self) -> Option<SessionToken> {
        self.session().token().cloned()
    }

    /// The hub no longer takes `token` (signed out elsewhere, a password reset, expired):
    /// the session ends here too, and the token is forgotten. Marks made here wait for the
    /// person to sign in again.
    fn session_ended(&self, app: &AppHandle, token: &SessionToken) {
        let ended = {
            let mut session = self.session();
            let ours = match &*session {
                Session::Online { token: current, .. } | Session::Resumable(current) => current == token,
                _ => false,
            };
            if ours {
                *session = Session::None;
            }
            ours
        };
        if ended {
            // The hub no longer takes it: forgotten in the background.
            let app = app.clone();
            tauri::async_runtime::spawn(async move { forget_saved_token(&app).await });
        }
    }
}

fn client_for(address: HubAddress, ca_path: Option<&str>) -> Result<HubClient, String> {
    let pem = match ca_path {
        Some(path) => {
            Some(std::fs::read(path).map_err(|error| format!("the CA certificate {path}: {error}"))?)
        }
        None => None,
    };
    HubClient::new(address, pem.as_deref()).map_err(|error| error.message)
}

/// Forgets the token kept for the next start, off the async threads (the keychain may
/// block); done when this returns, so an app closed right after signing out keeps nothing.
async fn forget_saved_token(app: &AppHandle) {
    let app = app.clone();
    if let Err(error) = tauri::async_runtime::spawn_blocking(move || connection::forget_token(&app)).await {
        tracing::warn!(%error, "cannot forget the saved session");
    }
}

/// Runs one operation of the hub's catalogue as the signed-in person (or nobody): the UI's
/// typed call, relayed as it is. Signing in and out are the shell's own commands, so a
/// session's token never reaches the window.
#[tauri::command]
async fn call(
    app: AppHandle,
    state: State<'_, AppState>,
    operation: String,
    request: Value,
) -> Result<Value, ApiError> {
    // These go through the shell's own session commands, which keep the token (and the
    // offline sign-in) in step with them; the token never reaches the window.
    if [SignIn::NAME, SignOut::NAME, ChangePassword::NAME].contains(&operation.as_str()) {
        return Err(ApiError::new(
            ErrorKind::Forbidden,
            "sign in and out, and change your password, with the app's session commands",
        ));
    }
    let client = state.client()?;
    let token = state.token();
    let answer = client.call_named(token.as_ref(), &operation, &request).await;
    if let (Err(error), Some(token)) = (&answer, &token) {
        if error.kind == ErrorKind::Unauthenticated {
            state.session_ended(&app, token);
        }
    }
    answer
}

/// Runs one of the shell's own commands ([`hub_model::desktop`]).
#[tauri::command]
async fn shell(app: AppHandle, command: String, request: Value) -> Result<Value, ApiError> {
    shell::run(&app, &command, request).await
}

/// Starts the desktop app; `main` only calls this.
pub fn run() {
    // On Linux, WebKit composites pages with OpenGL, which a window of forms and tables does
    // not need: drawn without it, WebKit's web process holds about 95 MiB less (measured,
    // docs/BENCHMARKS.md). Set first, before any thread exists; a setting of the person's own
    // is kept.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, media::handle)
        .setup(|app| {
            app.manage(AppState::load(app.handle()));
            app.manage(media::Kept::default());
            let handle = app.handle().clone();
            let offline =
                tauri::async_runtime::block_on(async move { offline::Offline::open(&handle).await });
            app.manage(offline);
            tauri::async_runtime::spawn(offline::worker(app.handle().clone()));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![call, shell])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "the desktop app stopped with an error");
        std::process::exit(1);
    }
}
