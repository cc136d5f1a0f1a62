//! Offline-first attendance in the desktop: the local store in the app's data folder, the
//! commands the marking screen uses (they never wait for the network), and the sync
//! worker that pushes and pulls whenever PostgreSQL answers, backing off when it does not.

use crate::AppState;
use chrono::Utc;
use hub_model::attendance::{LocalRosterEntry, Mark, SessionInfo, SyncState};
use hub_model::{ApiError, ErrorKind};
use hub_offline::{LocalStatus, LocalStore};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, State};
use tokio::sync::Notify;

/// The store and the worker's state.
pub struct Offline {
    store: Option<LocalStore>,
    /// Why there is no store (the data folder cannot be written, say).
    problem: Option<String>,
    state: Mutex<SyncState>,
    /// Wakes the worker: a new mark, or "Sync now".
    wake: Notify,
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, message)
}

impl Offline {
    pub async fn open(app: &AppHandle) -> Self {
        let opened = match app.path().app_data_dir() {
            Ok(dir) => match std::fs::create_dir_all(&dir) {
                Ok(()) => {
                    LocalStore::open(&dir.join("offline.sqlite")).await.map_err(|error| error.to_string())
                }
                Err(error) => Err(format!("the app's data folder cannot be made: {error}")),
            },
            Err(error) => Err(format!("the app has no data folder: {error}")),
        };
        let (store, problem) = match opened {
            Ok(store) => (Some(store), None),
            Err(problem) => {
                tracing::warn!(%problem, "offline attendance is unavailable");
                (None, Some(problem))
            }
        };
        Self { store, problem, state: Mutex::new(SyncState::default()), wake: Notify::new() }
    }

    /// Asks the worker to sync now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn store(&self) -> Result<&LocalStore, ApiError> {
        self.store.as_ref().ok_or_else(|| {
            unavailable(self.problem.clone().unwrap_or_else(|| "the local store is not open".to_owned()))
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn refresh(&self) -> SyncState {
        if let Some(store) = &self.store {
            if let Ok(LocalStatus { waiting, rejected, last_sync_at }) = store.status().await {
                let mut state = self.state();
                state.waiting = waiting;
                state.rejected = rejected;
                state.last_sync_at = last_sync_at;
            }
        }
        self.state().clone()
    }
}

#[allow(clippy::needless_pass_by_value)] // `map_err` hands the error over by value.
fn local_error(error: hub_offline::Error) -> ApiError {
    match error {
        hub_offline::Error::Invalid { field, message } => ApiError {
            kind: ErrorKind::Validation,
            message: format!("{field}: {message}"),
            field: Some(field.to_owned()),
        },
        hub_offline::Error::Hub(error) => error.to_api(),
        other => ApiError::new(ErrorKind::Internal, other.to_string()),
    }
}

/// Who is signed in: the person whose sessions and marks the commands work with.
fn signed_in(state: &AppState) -> Result<i64, ApiError> {
    state.session_user().ok_or_else(|| ApiError::new(ErrorKind::Unauthenticated, "sign in first"))
}

#[tauri::command]
pub async fn offline_sessions(
    state: State<'_, AppState>,
    offline: State<'_, Offline>,
) -> Result<Vec<SessionInfo>, ApiError> {
    offline.store()?.sessions(signed_in(&state)?).await.map_err(local_error)
}

#[tauri::command]
pub async fn offline_roster(
    state: State<'_, AppState>,
    offline: State<'_, Offline>,
    session_id: i64,
) -> Result<Vec<LocalRosterEntry>, ApiError> {
    offline.store()?.roster(signed_in(&state)?, session_id).await.map_err(local_error)
}

/// Saves a mark on this machine (it is safe once this answers) and wakes the worker;
/// answers the session's roster as it now stands.
#[tauri::command]
pub async fn offline_mark(
    state: State<'_, AppState>,
    offline: State<'_, Offline>,
    session_id: i64,
    enrollment_id: i64,
    status: Mark,
    note: Option<String>,
) -> Result<Vec<LocalRosterEntry>, ApiError> {
    let user = signed_in(&state)?;
    let store = offline.store()?;
    store
        .mark(user, session_id, enrollment_id, status, note.as_deref(), Utc::now())
        .await
        .map_err(local_error)?;
    offline.wake();
    store.roster(user, session_id).await.map_err(local_error)
}

/// Saves several marks of one session at once, in one local transaction (the rest of the
/// roster present); answers the roster as it now stands.
#[tauri::command]
pub async fn offline_mark_many(
    state: State<'_, AppState>,
    offline: State<'_, Offline>,
    session_id: i64,
    enrollment_ids: Vec<i64>,
    status: Mark,
) -> Result<Vec<LocalRosterEntry>, ApiError> {
    let user = signed_in(&state)?;
    let store = offline.store()?;
    let marks: Vec<(i64, Mark)> = enrollment_ids.into_iter().map(|id| (id, status)).collect();
    store.mark_many(user, session_id, &marks, Utc::now()).await.map_err(local_error)?;
    offline.wake();
    store.roster(user, session_id).await.map_err(local_error)
}

#[tauri::command]
pub async fn sync_state(offline: State<'_, Offline>) -> Result<SyncState, ApiError> {
    Ok(offline.refresh().await)
}

#[tauri::command]
pub async fn sync_now(offline: State<'_, Offline>) -> Result<SyncState, ApiError> {
    offline.wake();
    Ok(offline.refresh().await)
}

/// A refused mark the instructor has read.
#[tauri::command]
pub async fn sync_dismiss(offline: State<'_, Offline>, client_id: uuid::Uuid) -> Result<SyncState, ApiError> {
    offline.store()?.dismiss(client_id).await.map_err(local_error)?;
    Ok(offline.refresh().await)
}

/// Syncs the signed-in person's marks whenever woken or every 30 s, and after a failure
/// again after a growing pause.
pub async fn worker(app: AppHandle) {
    let mut failures = 0_u32;
    loop {
        let pause = if failures == 0 {
            std::time::Duration::from_secs(30)
        } else {
            hub_offline::sync::backoff(failures)
        };
        let offline = app.state::<Offline>();
        tokio::select! {
            () = offline.wake.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
        let state = app.state::<AppState>();
        let (Some(user), Ok(hub), Ok(store)) = (state.session_user(), state.hub(), offline.store()) else {
            continue;
        };
        offline.state().syncing = true;
        let outcome = hub_offline::sync::sync_once(store, &hub, user).await;
        {
            let mut sync = offline.state();
            sync.syncing = false;
            match &outcome {
                Ok(report) => {
                    failures = 0;
                    sync.online = true;
                    sync.last_error = None;
                    tracing::debug!(?report, "synced");
                }
                Err(error) => {
                    failures = failures.saturating_add(1);
                    // Offline only when the database did not answer; a refusal (a deactivated
                    // account, say) or a local problem is said as it is.
                    if error.is_unreachable() {
                        sync.online = false;
                    } else if matches!(error, hub_offline::Error::Hub(_)) {
                        sync.online = true;
                    }
                    sync.last_error = Some(error.to_string());
                }
            }
        }
        offline.refresh().await;
    }
}
