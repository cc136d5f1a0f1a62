//! Offline-first attendance in the desktop: the local store in the app's data folder, the
//! commands the marking screen uses (they never wait for the network), and the sync worker
//! that pushes and pulls through the hub whenever it answers, backing off when it does not.
//! Marks go with their maker's own session only: marks made in an offline sign-in, or by
//! someone whose session ended, wait (shown) until that person signs in online.

use crate::shell::Handler;
use crate::{AppState, Session};
use chrono::Utc;
use hub_client::HubClient;
use hub_model::attendance::{LocalRosterEntry, MarkAttendanceRequest, SessionInfo, SyncState};
use hub_model::auth::SessionToken;
use hub_model::checkin::{self, CheckinCode};
use hub_model::desktop::{
    DismissRequest, OfflineCheckinCode, OfflineMark, OfflineMarkMany, OfflineMarkManyRequest, OfflineRoster,
    OfflineSessions, SessionRequest, SyncDismiss, SyncNow, SyncStatus,
};
use hub_model::{ApiError, ErrorKind, NoRequest};
use hub_offline::sync::{self, Session as SyncSession};
use hub_offline::{LocalStatus, LocalStore};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager};
use tokio::sync::Notify;

/// How often the worker syncs when nothing wakes it.
const ROUND: Duration = Duration::from_secs(30);
/// How often it asks whether the hub is back, for someone signed in offline.
const OFFLINE_ROUND: Duration = Duration::from_secs(5);
/// How long signing out waits for the person's marks to go.
const PUSH_BEFORE_SIGN_OUT: Duration = Duration::from_secs(10);

/// The store and the worker's state.
pub struct Offline {
    store: Option<LocalStore>,
    /// Why there is no store (the data folder cannot be written, say).
    problem: Option<String>,
    state: Mutex<SyncState>,
    /// Wakes the worker: a new mark, a sign-in, or "Sync now".
    wake: Notify,
    /// One sync at a time: the worker's, or the one before a sign-out.
    syncing: tokio::sync::Mutex<()>,
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
        Self {
            store,
            problem,
            state: Mutex::new(SyncState::default()),
            wake: Notify::new(),
            syncing: tokio::sync::Mutex::new(()),
        }
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

    /// The sync state as `user_id` should see it now.
    async fn refresh(&self, user_id: Option<i64>) -> SyncState {
        if let (Some(store), Some(user_id)) = (&self.store, user_id) {
            if let Ok(LocalStatus { waiting, waiting_for_others, rejected, last_sync_at }) =
                store.status(user_id).await
            {
                let mut state = self.state();
                state.waiting = waiting;
                state.waiting_for_others = waiting_for_others;
                state.rejected = rejected;
                state.last_sync_at = last_sync_at;
            }
        }
        self.state().clone()
    }

    /// One sync of `user_id`'s marks with their session, recording how it went.
    async fn sync(
        &self,
        client: &HubClient,
        token: &SessionToken,
        user_id: i64,
    ) -> Result<sync::SyncReport, hub_offline::Error> {
        let store = self.store().map_err(hub_offline::Error::Hub)?;
        let _one_at_a_time = self.syncing.lock().await;
        self.state().syncing = true;
        let outcome = sync::sync_once(store, SyncSession { client, token, user_id }).await;
        let mut state = self.state();
        state.syncing = false;
        match &outcome {
            Ok(report) => {
                state.online = true;
                state.needs_sign_in = false;
                state.last_error = None;
                tracing::debug!(?report, "synced");
            }
            Err(error) => {
                // Offline only when the hub did not answer; a refusal or a local problem is
                // said as it is.
                state.online = !error.is_unreachable() && matches!(error, hub_offline::Error::Hub(_));
                state.needs_sign_in = error.is_signed_out();
                state.last_error = Some(error.to_string());
            }
        }
        drop(state);
        outcome
    }

    /// Before a sign-out: the person's waiting marks go while their session still works,
    /// for as long as [`PUSH_BEFORE_SIGN_OUT`].
    pub async fn push_before_sign_out(&self, client: &HubClient, token: &SessionToken, user_id: i64) {
        match tokio::time::timeout(PUSH_BEFORE_SIGN_OUT, self.sync(client, token, user_id)).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::info!(%error, "marks wait for the next sign-in"),
            Err(_elapsed) => tracing::info!("the hub was slow; marks wait for the next sign-in"),
        }
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
        hub_offline::Error::Hub(error) => error,
        other => ApiError::new(ErrorKind::Internal, other.to_string()),
    }
}

/// Who is signed in (online or offline): the person whose sessions and marks the commands
/// work with.
fn signed_in(app: &AppHandle) -> Result<i64, ApiError> {
    app.state::<AppState>()
        .user_id()
        .ok_or_else(|| ApiError::new(ErrorKind::Unauthenticated, "sign in first"))
}

impl Handler for OfflineSessions {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<Vec<SessionInfo>, ApiError> {
        let user = signed_in(app)?;
        app.state::<Offline>().store()?.sessions(user).await.map_err(local_error)
    }
}

impl Handler for OfflineRoster {
    async fn handle(app: &AppHandle, request: SessionRequest) -> Result<Vec<LocalRosterEntry>, ApiError> {
        let user = signed_in(app)?;
        app.state::<Offline>().store()?.roster(user, request.session_id).await.map_err(local_error)
    }
}

impl Handler for OfflineCheckinCode {
    async fn handle(app: &AppHandle, request: SessionRequest) -> Result<CheckinCode, ApiError> {
        let user = signed_in(app)?;
        let key = app
            .state::<Offline>()
            .store()?
            .checkin_key(user, request.session_id)
            .await
            .map_err(local_error)?
            .ok_or_else(|| {
                ApiError::new(
                    ErrorKind::Unavailable,
                    "the hub cannot be reached and this computer has no check-in key for this session yet",
                )
            })?;
        let secret = checkin::secret_from_hex(&key.secret)
            .ok_or_else(|| local_error(hub_offline::Error::Corrupt("a check-in key".to_owned())))?;
        let now = Utc::now();
        let step = checkin::step_at(now);
        Ok(CheckinCode {
            session_id: request.session_id,
            code: checkin::code(&secret, step),
            changes_at: checkin::step_ends_at(step),
            server_now: now,
            window: key.window,
        })
    }
}

impl Handler for OfflineMark {
    /// Saves a mark on this machine (it is safe once this answers) and wakes the worker;
    /// answers the session's roster as it now stands.
    async fn handle(
        app: &AppHandle,
        request: MarkAttendanceRequest,
    ) -> Result<Vec<LocalRosterEntry>, ApiError> {
        let user = signed_in(app)?;
        let offline = app.state::<Offline>();
        let store = offline.store()?;
        store
            .mark(
                user,
                request.session_id,
                request.enrollment_id,
                request.status,
                request.note.as_deref(),
                Utc::now(),
            )
            .await
            .map_err(local_error)?;
        offline.wake();
        store.roster(user, request.session_id).await.map_err(local_error)
    }
}

impl Handler for OfflineMarkMany {
    /// Saves several marks of one session at once, in one local transaction (the rest of
    /// the roster present); answers the roster as it now stands.
    async fn handle(
        app: &AppHandle,
        request: OfflineMarkManyRequest,
    ) -> Result<Vec<LocalRosterEntry>, ApiError> {
        let user = signed_in(app)?;
        let offline = app.state::<Offline>();
        let store = offline.store()?;
        let marks: Vec<_> = request.enrollment_ids.iter().map(|id| (*id, request.status)).collect();
        store.mark_many(user, request.session_id, &marks, Utc::now()).await.map_err(local_error)?;
        offline.wake();
        store.roster(user, request.session_id).await.map_err(local_error)
    }
}

impl Handler for SyncStatus {
    /// Asked every few seconds by the screens that show it: nobody signed in any more (the
    /// hub ended the session during a sync) is said as such, so the window goes to sign-in.
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<SyncState, ApiError> {
        let user = signed_in(app).map_err(|_| {
            ApiError::new(ErrorKind::Unauthenticated, "your session has ended; sign in again")
        })?;
        Ok(app.state::<Offline>().refresh(Some(user)).await)
    }
}

impl Handler for SyncNow {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<SyncState, ApiError> {
        let offline = app.state::<Offline>();
        offline.wake();
        Ok(offline.refresh(app.state::<AppState>().user_id()).await)
    }
}

impl Handler for SyncDismiss {
    /// A refused mark the instructor has read.
    async fn handle(app: &AppHandle, request: DismissRequest) -> Result<SyncState, ApiError> {
        let offline = app.state::<Offline>();
        offline.store()?.dismiss(request.client_id).await.map_err(local_error)?;
        Ok(offline.refresh(app.state::<AppState>().user_id()).await)
    }
}

/// What the worker does for the session as it stands at the start of a round.
enum Round {
    /// Push and pull with this session.
    Sync {
        client: HubClient,
        token: SessionToken,
        user_id: i64,
    },
    /// Signed in offline: ask whether the hub is back, so the person can sign in online.
    Listen {
        client: HubClient,
    },
    Idle,
}

/// Syncs the signed-in person's marks whenever woken or every 30 s, and after a failure
/// again after a growing pause; for someone signed in offline, asks every few seconds
/// whether the hub answers again.
pub async fn worker(app: AppHandle) {
    let mut failures = 0_u32;
    let mut pause = ROUND;
    loop {
        let offline = app.state::<Offline>();
        tokio::select! {
            () = offline.wake.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
        let state = app.state::<AppState>();
        let round = match (state.client(), state.session().clone()) {
            (Ok(client), Session::Online { token, user }) => Round::Sync { client, token, user_id: user.id },
            (Ok(client), Session::Offline { .. }) => Round::Listen { client },
            _ => Round::Idle,
        };
        pause = match round {
            Round::Sync { client, token, user_id } => match offline.sync(&client, &token, user_id).await {
                Ok(_) => {
                    failures = 0;
                    ROUND
                }
                Err(error) => {
                    if error.is_signed_out() {
                        // The hub no longer takes this session: it ends here too, and the
                        // marks wait for the person's next sign-in.
                        state.session_ended(&app, &token);
                    }
                    failures = failures.saturating_add(1);
                    sync::backoff(failures)
                }
            },
            Round::Listen { client } => {
                let online = client.health().await.is_ok_and(|health| health.database);
                let mut sync = offline.state();
                sync.online = online;
                sync.needs_sign_in = true;
                OFFLINE_ROUND
            }
            Round::Idle => ROUND,
        };
        offline.refresh(state.user_id()).await;
    }
}
