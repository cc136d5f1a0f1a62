//! The desktop app's shell: it holds the database pool and the signed-in session, and
//! exposes hub-core's operation table to the UI through one command, `call`.
//! No domain logic lives here.

use hub_core::ops::{self, SessionChange};
use hub_core::{db, Error, Hub};
use hub_model::{ApiError, ErrorKind};
use serde_json::Value;
use std::sync::Mutex;

/// What the window's commands share.
pub struct AppState {
    /// The hub, or why there is none (no or a malformed database URL).
    hub: Result<Hub, String>,
    /// The signed-in user's id. Set by sign-in; every call re-reads their flags.
    session: Mutex<Option<i64>>,
}

impl AppState {
    /// Reads the database URL from the environment. The pool connects on first use, so
    /// the window opens and says what is wrong even when the database is down.
    pub fn from_env() -> Self {
        let hub = match std::env::var("DATABASE_URL") {
            Ok(url) => db::parse_url(&url)
                .map(|options| Hub::new(db::connect_lazy(options, 5)))
                .map_err(|error| error.to_api().message),
            Err(_) => Err("no database is configured: set DATABASE_URL".to_owned()),
        };
        Self { hub, session: Mutex::new(None) }
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Option<i64>> {
        self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Runs one operation of hub-core's table for the signed-in user (or nobody).
#[tauri::command]
async fn call(
    state: tauri::State<'_, AppState>,
    operation: String,
    request: Value,
) -> Result<Value, ApiError> {
    let hub = state.hub.as_ref().map_err(|problem| Error::Unavailable(problem.clone()).to_api())?;
    let session = *state.session();
    let called = ops::call(hub, session, &operation, request).await.map_err(|error| {
        // A deactivated or deleted account ends the session: the next screen is sign-in.
        if error.kind() == ErrorKind::Unauthenticated {
            *state.session() = None;
        }
        error.to_api()
    })?;
    match called.session {
        SessionChange::Keep => {}
        SessionChange::SignIn(user_id) => *state.session() = Some(user_id),
        SessionChange::SignOut => *state.session() = None,
    }
    Ok(called.response)
}

/// Starts the desktop app; `main` only calls this.
pub fn run() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=error"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();

    // The pool spawns its upkeep tasks on Tauri's Tokio runtime, so build it inside it.
    let state = tauri::async_runtime::block_on(async { AppState::from_env() });
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![call])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "the desktop app stopped with an error");
        std::process::exit(1);
    }
}
