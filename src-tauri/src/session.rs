//! Signing in and out. Online, the hub checks the password and hands this computer a
//! session token, kept for the next start (keychain); a verifier of the password is kept
//! in the offline store, so the same person can sign in here when the hub is out of reach.
//! That offline sign-in opens offline attendance only and never becomes an online session:
//! once the hub answers again, the person signs in online before any mark is sent.

use crate::offline::Offline;
use crate::shell::Handler;
use crate::{connection, forget_saved_token, AppState, Session};
use hub_model::auth::{ChangePasswordRequest, Done, LoginRequest};
use hub_model::desktop::{ChangePassword, CurrentSession, SignIn, SignOut, SignedInUser};
use hub_model::ops::{self, Me};
use hub_model::{ApiError, ErrorKind, NoRequest};
use tauri::{AppHandle, Manager};

/// How this computer calls itself in the person's list of signed-in devices.
fn device_name() -> String {
    let name = whoami::fallible::devicename()
        .ok()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| whoami::fallible::hostname().ok())
        .unwrap_or_else(|| "a computer".to_owned());
    format!("{} ({})", name.trim(), whoami::platform())
}

impl Handler for CurrentSession {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<Option<SignedInUser>, ApiError> {
        let state = app.state::<AppState>();
        let session = state.session().clone();
        match session {
            Session::None => Ok(None),
            Session::Online { user, .. } => Ok(Some(SignedInUser { user, offline: false })),
            Session::Offline { user } => Ok(Some(SignedInUser { user, offline: true })),
            // A token from the last run: the hub says whether it still works.
            Session::Resumable(token) => {
                let client = state.client()?;
                match client.call::<Me>(Some(&token), &NoRequest {}).await {
                    Ok(user) => {
                        *state.session() = Session::Online { user: user.clone(), token };
                        app.state::<Offline>().wake();
                        Ok(Some(SignedInUser { user, offline: false }))
                    }
                    Err(error) if error.kind == ErrorKind::Unauthenticated => {
                        state.session_ended(app, &token);
                        Ok(None)
                    }
                    // The hub is out of reach: the person signs in (offline, if they did here before).
                    Err(_) => Ok(None),
                }
            }
        }
    }
}

impl Handler for SignIn {
    async fn handle(app: &AppHandle, request: LoginRequest) -> Result<SignedInUser, ApiError> {
        let state = app.state::<AppState>();
        let offline = app.state::<Offline>();
        let client = state.client()?;
        let (identifier, password) = (request.identifier.clone(), request.password.clone());
        let request = LoginRequest { device: Some(device_name()), ..request };
        match client.sign_in(&request).await {
            Ok(signed_in) => {
                let user = signed_in.user;
                *state.session() = Session::Online { user: user.clone(), token: signed_in.token.clone() };
                // Kept for the next start, in place of the one kept before (the last run's,
                // say), which is ended at the hub: one computer, one live session.
                let (keeper, address, token) =
                    (app.clone(), client.address().clone(), signed_in.token.clone());
                let kept = tauri::async_runtime::spawn_blocking(move || {
                    let before = connection::load_token(&keeper, &address);
                    (before, connection::save_token(&keeper, &address, &token))
                });
                match kept.await {
                    Ok((before, saved)) => {
                        if let Err(error) = saved {
                            tracing::warn!(error = %error.message, "the session is not kept for the next start");
                        }
                        if let Some(before) = before.filter(|before| *before != signed_in.token) {
                            let client = client.clone();
                            tauri::async_runtime::spawn(async move { client.sign_out(&before).await });
                        }
                    }
                    Err(error) => tracing::warn!(%error, "the session is not kept for the next start"),
                }
                match offline.store() {
                    Ok(store) => {
                        if let Err(error) = store.remember_sign_in(&identifier, &password, &user).await {
                            tracing::warn!(%error, "cannot keep an offline sign-in verifier");
                        }
                    }
                    Err(error) => {
                        tracing::warn!(error = %error.message, "no offline store to sign in with later");
                    }
                }
                // Their marks go, and their sessions and rosters come down, now.
                offline.wake();
                Ok(SignedInUser { user, offline: false })
            }
            Err(error) if error.kind == ErrorKind::Unavailable => {
                let store = offline.store().map_err(|_| error.clone())?;
                let known = store.knows(&identifier).await.unwrap_or(false);
                if !known {
                    return Err(ApiError::new(
                        ErrorKind::Unavailable,
                        format!(
                            "{}. Signing in without the hub works only for someone who signed in on this \
                             computer before",
                            error.message
                        ),
                    ));
                }
                match store.sign_in_offline(&identifier, &password).await {
                    Ok(Some(user)) => {
                        *state.session() = Session::Offline { user: user.clone() };
                        offline.wake();
                        Ok(SignedInUser { user, offline: true })
                    }
                    Ok(None) => Err(ApiError {
                        kind: ErrorKind::Validation,
                        message:
                            "password: wrong password (checked on this computer: the hub cannot be reached)"
                                .to_owned(),
                        field: Some("password".to_owned()),
                    }),
                    Err(locked @ hub_offline::Error::Locked(_)) => {
                        Err(ApiError::new(ErrorKind::RateLimited, locked.to_string()))
                    }
                    Err(local) => {
                        tracing::warn!(error = %local, "the offline store cannot check a sign-in");
                        Err(error)
                    }
                }
            }
            Err(error) => Err(error),
        }
    }
}

impl Handler for ChangePassword {
    async fn handle(app: &AppHandle, request: ChangePasswordRequest) -> Result<Done, ApiError> {
        let state = app.state::<AppState>();
        let (client, session) = (state.client()?, state.session().clone());
        let Session::Online { user, token } = session else {
            return Err(ApiError::new(
                ErrorKind::Unauthenticated,
                "sign in online to change your password: the hub checks it",
            ));
        };
        let done = client.call::<ops::ChangePassword>(Some(&token), &request).await.inspect_err(|error| {
            if error.kind == ErrorKind::Unauthenticated {
                state.session_ended(app, &token);
            }
        })?;
        // The old password no longer opens offline attendance here either.
        if let Ok(store) = app.state::<Offline>().store() {
            if let Err(error) = store.replace_verifier(user.id, &request.new_password).await {
                tracing::warn!(%error, "the offline sign-in keeps the old password until the next sign-in");
            }
        }
        Ok(done)
    }
}

impl Handler for SignOut {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<Done, ApiError> {
        sign_out(app).await;
        Ok(Done {})
    }
}

/// Ends the session here and at the hub. The person's waiting marks are sent first while
/// the session still works; any the hub cannot take now wait for their next sign-in.
pub async fn sign_out(app: &AppHandle) {
    let state = app.state::<AppState>();
    let previous = std::mem::take(&mut *state.session());
    let (token, user_id) = match previous {
        Session::Online { token, user } => (token, Some(user.id)),
        Session::Resumable(token) => (token, None),
        Session::Offline { .. } | Session::None => return,
    };
    if let Ok(client) = state.client() {
        if let Some(user_id) = user_id {
            app.state::<Offline>().push_before_sign_out(&client, &token, user_id).await;
        }
        if let Err(error) = client.sign_out(&token).await {
            tracing::info!(error = %error.message, "the hub did not hear the sign-out; the session ends at its expiry");
        }
    }
    forget_saved_token(app).await;
}
