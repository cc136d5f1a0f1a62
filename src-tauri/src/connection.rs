//! What the app keeps between runs: the hub's address (and the CA certificate it trusts the
//! hub by) in the app's settings (tauri-plugin-store, `connection.json`), and the signed-in
//! person's session token in the OS keychain when there is one, otherwise in that settings
//! file, readable by this account only. No database credential exists on this computer.

use hub_model::auth::SessionToken;
use hub_model::connection::{HubAddress, SecretStorage};
use hub_model::{ApiError, ErrorKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

const STORE: &str = "connection.json";
const HUB_KEY: &str = "hub";
const TOKEN_KEY: &str = "session";
/// The keychain's service name: the app's identifier.
const KEYCHAIN_SERVICE: &str = "org.digitalhub.desktop";

/// The hub the first-run screen saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedHub {
    pub address: HubAddress,
    /// Where the CA certificate was chosen from, to show it again.
    pub ca_certificate_path: Option<String>,
    /// The CA certificate(s) as read then (PEM): the file may move, the trust stays.
    pub ca_certificate: Option<String>,
}

/// The session kept for the next start, as the settings file records it: for which hub
/// (a token is never sent to another), and where the token is.
#[derive(Serialize, Deserialize)]
struct KeptSession {
    hub: HubAddress,
    token: StoredToken,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "in", content = "value")]
enum StoredToken {
    Keychain,
    /// Only when no keychain answered.
    SettingsFile(SessionToken),
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, message)
}

fn read<R: Runtime, T: serde::de::DeserializeOwned>(app: &AppHandle<R>, key: &str) -> Option<T> {
    let value = app.store(STORE).ok()?.get(key)?;
    match serde_json::from_value(value) {
        Ok(value) => Some(value),
        Err(error) => {
            tracing::warn!(%error, key, "a saved setting is unreadable; it is asked for again");
            None
        }
    }
}

fn write<R: Runtime>(app: &AppHandle<R>, key: &str, value: Option<Value>) -> Result<(), ApiError> {
    let store =
        app.store(STORE).map_err(|error| unavailable(format!("cannot open the settings: {error}")))?;
    match value {
        Some(value) => store.set(key, value),
        None => {
            store.delete(key);
        }
    }
    store.save().map_err(|error| unavailable(format!("cannot save the settings: {error}")))?;
    restrict_to_owner(app);
    Ok(())
}

pub fn saved_hub<R: Runtime>(app: &AppHandle<R>) -> Option<SavedHub> {
    read(app, HUB_KEY)
}

/// Saves the hub's address; a token for another hub is forgotten (the caller signs it out).
pub fn save_hub<R: Runtime>(app: &AppHandle<R>, hub: &SavedHub) -> Result<(), ApiError> {
    let value = serde_json::to_value(hub).map_err(|error| unavailable(error.to_string()))?;
    write(app, HUB_KEY, Some(value))
}

fn keychain_entry(address: &HubAddress) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &format!("session@{address}"))
}

/// Where a saved token is kept, if one is.
pub fn token_storage<R: Runtime>(app: &AppHandle<R>) -> Option<SecretStorage> {
    read::<R, KeptSession>(app, TOKEN_KEY).map(|kept| match kept.token {
        StoredToken::Keychain => SecretStorage::Keychain,
        StoredToken::SettingsFile(_) => SecretStorage::SettingsFile,
    })
}

/// The token saved for the hub at `address`, if any (one saved for another hub is not
/// this one's). Blocks on the keychain: call off the UI thread.
pub fn load_token<R: Runtime>(app: &AppHandle<R>, address: &HubAddress) -> Option<SessionToken> {
    let kept = read::<R, KeptSession>(app, TOKEN_KEY).filter(|kept| kept.hub == *address)?;
    match kept.token {
        StoredToken::SettingsFile(token) => Some(token),
        StoredToken::Keychain => match keychain_entry(address).and_then(|entry| entry.get_password()) {
            Ok(token) => Some(SessionToken::new(token)),
            Err(error) => {
                tracing::info!(%error, "no session token in the keychain; signing in again");
                None
            }
        },
    }
}

/// Keeps the token for the next start: in the keychain when one answers, else in the
/// settings file (readable by this account only). Blocks on the keychain.
pub fn save_token<R: Runtime>(
    app: &AppHandle<R>,
    address: &HubAddress,
    token: &SessionToken,
) -> Result<SecretStorage, ApiError> {
    let stored = match keychain_entry(address).and_then(|entry| entry.set_password(token.expose())) {
        Ok(()) => StoredToken::Keychain,
        Err(error) => {
            tracing::info!(%error, "no keychain answered; the session token goes in the settings file");
            StoredToken::SettingsFile(token.clone())
        }
    };
    let storage = match stored {
        StoredToken::Keychain => SecretStorage::Keychain,
        StoredToken::SettingsFile(_) => SecretStorage::SettingsFile,
    };
    let kept = KeptSession { hub: address.clone(), token: stored };
    let value = serde_json::to_value(&kept).map_err(|error| unavailable(error.to_string()))?;
    write(app, TOKEN_KEY, Some(value))?;
    Ok(storage)
}

/// Forgets the saved token, wherever it is. Blocks on the keychain.
pub fn forget_token<R: Runtime>(app: &AppHandle<R>) {
    if let Some(KeptSession { hub, token: StoredToken::Keychain }) = read::<R, KeptSession>(app, TOKEN_KEY) {
        if let Ok(entry) = keychain_entry(&hub) {
            let _ = entry.delete_credential();
        }
    }
    if let Err(error) = write(app, TOKEN_KEY, None) {
        tracing::warn!(error = %error.message, "cannot forget the saved session");
    }
}

/// Only this account may read the settings file: it may hold the session token.
fn restrict_to_owner<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        use tauri::Manager;
        let Ok(dir) = app.path().app_data_dir() else {
            return;
        };
        let path = dir.join(STORE);
        if let Err(error) = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!(%error, path = %path.display(), "cannot make the settings file private");
        }
    }
    #[cfg(not(unix))]
    let _ = app;
}
