//! The desktop app's shell: it holds the database connection and the signed-in session,
//! and exposes hub-core's operation table to the UI through one command, `call`, plus
//! the first-run screen's connection commands. No domain logic lives here.

mod connection;
mod offline;
mod update;

use hub_core::ops::{self, SessionChange};
use hub_core::{db, Error, Hub};
use hub_model::connection::{ConnectionCheck, ConnectionSettings, ConnectionSource, ConnectionState};
use hub_model::{ApiError, ErrorKind};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use tauri::{AppHandle, Manager, State};

/// The database the operations run against, and where its settings came from.
struct Connection {
    /// The hub, or why there is none (nothing configured, a malformed URL, no keychain).
    hub: Result<Hub, String>,
    source: ConnectionSource,
}

/// What the window's commands share.
pub struct AppState {
    connection: RwLock<Connection>,
    /// Bumped whenever the connection changes: its schema is checked again.
    generation: AtomicU64,
    /// The signed-in user's id. Set by sign-in; every call re-reads their flags.
    session: Mutex<Option<i64>>,
}

impl AppState {
    /// DATABASE_URL when set, else the connection the first-run screen saved. The pool
    /// connects on first use, so the window opens and says what is wrong even when the
    /// database is down. Reads the keychain: call it from a thread that may block.
    fn load(app: &AppHandle) -> Self {
        let (hub, source) = match std::env::var("DATABASE_URL") {
            Ok(url) => (
                db::parse_url(&url)
                    .map(|options| Hub::new(db::connect_lazy(options, 5)))
                    .map_err(|error| error.to_api().message),
                ConnectionSource::Environment,
            ),
            Err(_) => match connection::load(app) {
                Some(options) => {
                    (options.map(|options| Hub::new(db::connect_lazy(options, 5))), ConnectionSource::Saved)
                }
                None => (Err("no database connection is set up yet".to_owned()), ConnectionSource::None),
            },
        };
        Self {
            connection: RwLock::new(Connection { hub, source }),
            generation: AtomicU64::new(0),
            session: Mutex::new(None),
        }
    }

    /// Who is signed in now.
    fn session_user(&self) -> Option<i64> {
        *self.session()
    }

    fn session(&self) -> MutexGuard<'_, Option<i64>> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn hub(&self) -> Result<Hub, ApiError> {
        let connection = self.connection.read().unwrap_or_else(PoisonError::into_inner);
        connection.hub.clone().map_err(|problem| Error::Unavailable(problem).to_api())
    }

    fn source(&self) -> ConnectionSource {
        self.connection.read().unwrap_or_else(PoisonError::into_inner).source
    }

    /// Once the database answers: migrates an older schema (when the role may), and when the
    /// schema is newer than this build, swaps the pool for a read-only one, so nothing this
    /// build does can write into a schema it does not know. `true` once checked.
    async fn check_schema(&self) -> bool {
        let Ok(hub) = self.hub() else { return false };
        match db::bring_up_to_date(hub.pool()).await {
            Ok(status) if status.state == hub_model::app::SchemaState::Ahead => {
                tracing::warn!(
                    applied = status.applied,
                    expected = status.expected,
                    "the database is newer than this build: reading only"
                );
                let read_only =
                    Hub::new(db::connect_lazy(db::read_only((*hub.pool().connect_options()).clone()), 5));
                let mut connection = self.connection.write().unwrap_or_else(PoisonError::into_inner);
                connection.hub = Ok(read_only);
                true
            }
            Ok(_) => true,
            // A migration this role may not run is said by the status line ("run hubctl
            // migrate"); checking again will not change that until someone does.
            Err(Error::Internal(problem)) => {
                tracing::warn!(%problem, "cannot bring the database's schema up to date");
                true
            }
            Err(_) => false,
        }
    }
}

/// Runs one operation of hub-core's table for the signed-in user (or nobody).
///
/// Signing in also leaves a verifier in the local store, so the same person can sign in on
/// this machine when the database cannot be reached — which is tried when it cannot.
#[tauri::command]
async fn call(
    state: State<'_, AppState>,
    offline: State<'_, offline::Offline>,
    operation: String,
    request: Value,
) -> Result<Value, ApiError> {
    let hub = state.hub()?;
    let session = *state.session();
    let login = (operation == <hub_model::ops::Login as hub_model::Operation>::NAME)
        .then(|| serde_json::from_value::<hub_model::auth::LoginRequest>(request.clone()).ok())
        .flatten();
    let called = match ops::call(&hub, session, &operation, request).await {
        Ok(called) => called,
        Err(error) => {
            if error.kind() == ErrorKind::Unavailable {
                if let (Some(login), Ok(store)) = (&login, offline.store()) {
                    if let Ok(Some(user)) = store.sign_in_offline(&login.identifier, &login.password).await {
                        *state.session() = Some(user.id);
                        return serde_json::to_value(user)
                            .map_err(|error| ApiError::new(ErrorKind::Internal, error.to_string()));
                    }
                }
            }
            // A deactivated or deleted account ends the session: the next screen is sign-in.
            if error.kind() == ErrorKind::Unauthenticated {
                *state.session() = None;
            }
            return Err(error.to_api());
        }
    };
    if let (Some(login), Ok(store)) = (&login, offline.store()) {
        if let Ok(user) = serde_json::from_value::<hub_model::auth::CurrentUser>(called.response.clone()) {
            if let Err(error) = store.remember_sign_in(&login.identifier, &login.password, &user).await {
                tracing::warn!(%error, "cannot keep an offline sign-in verifier");
            }
        }
    }
    match called.session {
        SessionChange::Keep => {}
        SessionChange::SignIn(user_id) => {
            *state.session() = Some(user_id);
            // Their sessions and rosters come down now, not at the worker's next round.
            offline.wake();
        }
        SessionChange::SignOut => *state.session() = None,
    }
    Ok(called.response)
}

/// The website's home page as the public API serves it, for the preview screen. Only
/// published content, so no sign-in is needed.
#[tauri::command]
async fn website_preview(state: State<'_, AppState>) -> Result<hub_model::public::WebsitePreview, ApiError> {
    let hub = state.hub()?;
    hub_public::content::preview(hub.pool()).await.map_err(|failure| {
        let message = match failure {
            hub_public::Failure::NotFound(message) | hub_public::Failure::BadRequest(message) => message,
            _ => "the website's content cannot be read right now".to_owned(),
        };
        ApiError::new(ErrorKind::Unavailable, message)
    })
}

/// Saves a file the app made (a CSV report) in the person's Downloads folder; answers
/// where it went. The name is reduced to letters, digits, dots and dashes.
#[tauri::command]
async fn save_download(app: AppHandle, filename: String, content: String) -> Result<String, ApiError> {
    let name: String = filename
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' })
        .collect();
    if name.trim_matches(|c| c == '.' || c == '-').is_empty() {
        return Err(ApiError::new(ErrorKind::Validation, "filename: is empty"));
    }
    let folder =
        app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(|error| {
            ApiError::new(ErrorKind::Unavailable, format!("no Downloads folder: {error}"))
        })?;
    let path = folder.join(name);
    std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, content)).map_err(|error| {
        ApiError::new(ErrorKind::Unavailable, format!("cannot save {}: {error}", path.display()))
    })?;
    Ok(path.display().to_string())
}

/// Where the connection comes from, and the saved settings (never the password).
#[tauri::command]
#[allow(clippy::needless_pass_by_value)] // Tauri hands commands their arguments by value.
fn connection_state(app: AppHandle, state: State<'_, AppState>) -> ConnectionState {
    let saved = connection::saved(&app);
    ConnectionState {
        source: state.source(),
        password_storage: saved.as_ref().map(|(_, storage)| *storage),
        saved: saved.map(|(settings, _)| settings),
    }
}

/// Connects with the settings and reads the schema's level; saves nothing.
#[tauri::command]
async fn connection_test(settings: ConnectionSettings) -> Result<ConnectionCheck, ApiError> {
    let (settings, port) = settings.check()?;
    connection::test(connection::options(&settings, port)).await
}

/// Tests the settings, saves them and uses them from now on (signing out).
#[tauri::command]
async fn connection_save(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: ConnectionSettings,
) -> Result<ConnectionState, ApiError> {
    if state.source() == ConnectionSource::Environment {
        return Err(ApiError::new(
            ErrorKind::Conflict,
            "DATABASE_URL is set for this run and takes precedence; start the app without it to use a \
             saved connection",
        ));
    }
    let (settings, port) = settings.check()?;
    let options = connection::options(&settings, port);
    connection::test(options.clone()).await?;
    let saver = app.clone();
    let storage = tauri::async_runtime::spawn_blocking(move || connection::save(&saver, &settings, port))
        .await
        .map_err(|error| ApiError::new(ErrorKind::Internal, format!("saving stopped: {error}")))??;
    *state.connection.write().unwrap_or_else(PoisonError::into_inner) =
        Connection { hub: Ok(Hub::new(db::connect_lazy(options, 5))), source: ConnectionSource::Saved };
    state.generation.fetch_add(1, Ordering::SeqCst);
    *state.session() = None;
    let saved = connection::saved(&app).map(|(settings, _)| settings);
    Ok(ConnectionState { source: ConnectionSource::Saved, saved, password_storage: Some(storage) })
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
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=error"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .setup(|app| {
            // The pool spawns its upkeep tasks on Tauri's Tokio runtime, so build it inside it.
            let handle = app.handle().clone();
            let state = tauri::async_runtime::block_on(async move { AppState::load(&handle) });
            app.manage(state);
            let handle = app.handle().clone();
            let offline = tauri::async_runtime::block_on(async move { offline::Offline::open(&handle).await });
            app.manage(offline);
            tauri::async_runtime::spawn(offline::worker(app.handle().clone()));
            // The schema checked (and brought up to date) as soon as the database answers, and
            // again after each change of connection; events whose end has passed marked done
            // every minute the app runs.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let mut checked = None;
                let mut last_events = None::<std::time::Instant>;
                loop {
                    let state = handle.state::<AppState>();
                    let generation = state.generation.load(Ordering::SeqCst);
                    if checked != Some(generation) && state.check_schema().await {
                        checked = Some(generation);
                    }
                    if last_events.is_none_or(|at| at.elapsed() >= std::time::Duration::from_secs(60)) {
                        last_events = Some(std::time::Instant::now());
                        if let Ok(hub) = state.hub() {
                            if let Err(error) = hub_core::events::mark_ended_done(hub.pool()).await {
                                tracing::debug!(error = %error.to_api().message, "cannot mark ended events done now");
                            }
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            call,
            connection_state,
            connection_test,
            connection_save,
            website_preview,
            save_download,
            offline::offline_sessions,
            offline::offline_roster,
            offline::offline_mark,
            offline::offline_mark_many,
            offline::sync_state,
            offline::sync_now,
            offline::sync_dismiss,
            update::update_check,
            update::update_install
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "the desktop app stopped with an error");
        std::process::exit(1);
    }
}
