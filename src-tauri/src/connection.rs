//! The database connection the first-run screen saves: server, database and user in the
//! app's settings (tauri-plugin-store), the password in the OS keychain when there is
//! one, and otherwise in that settings file, readable by this account only.

use hub_core::db;
use hub_model::connection::{ConnectionSettings, PasswordStorage};
use hub_model::{ApiError, ErrorKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_store::StoreExt;

const STORE: &str = "connection.json";
const KEY: &str = "database";
/// The keychain's service name for the password: the app's identifier.
const KEYCHAIN_SERVICE: &str = "org.digitalhub.desktop";

/// A saved connection as the settings file holds it.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    host: String,
    port: u16,
    database: String,
    user: String,
    password: StoredPassword,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "in", content = "value")]
enum StoredPassword {
    None,
    Keychain,
    /// Only when no keychain answered.
    SettingsFile(String),
}

impl std::fmt::Debug for StoredPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Keychain => "Keychain",
            Self::SettingsFile(_) => "SettingsFile(<hidden>)",
        })
    }
}

impl Saved {
    fn keychain_account(&self) -> String {
        format!("postgres://{}@{}:{}/{}", self.user, self.host, self.port, self.database)
    }

    fn settings(&self) -> ConnectionSettings {
        ConnectionSettings {
            host: self.host.clone(),
            port: self.port.to_string(),
            database: self.database.clone(),
            user: self.user.clone(),
            password: String::new(),
        }
    }

    fn storage(&self) -> PasswordStorage {
        match self.password {
            StoredPassword::None => PasswordStorage::NotNeeded,
            StoredPassword::Keychain => PasswordStorage::Keychain,
            StoredPassword::SettingsFile(_) => PasswordStorage::SettingsFile,
        }
    }
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, message)
}

/// Connection options from checked settings.
pub fn options(settings: &ConnectionSettings, port: u16) -> PgConnectOptions {
    let options = PgConnectOptions::new()
        .host(&settings.host)
        .port(port)
        .database(&settings.database)
        .username(&settings.user);
    if settings.password.is_empty() {
        options
    } else {
        options.password(&settings.password)
    }
}

/// What was saved, without the password, and where the password is.
pub fn saved<R: Runtime>(app: &AppHandle<R>) -> Option<(ConnectionSettings, PasswordStorage)> {
    let saved = read(app)?;
    Some((saved.settings(), saved.storage()))
}

fn read<R: Runtime>(app: &AppHandle<R>) -> Option<Saved> {
    let value = app.store(STORE).ok()?.get(KEY)?;
    match serde_json::from_value(value) {
        Ok(saved) => Some(saved),
        Err(error) => {
            tracing::warn!(%error, "the saved database connection is unreadable; asking again");
            None
        }
    }
}

/// The saved connection's options, password included; `None` when nothing is saved.
/// Blocks on the keychain: call it off the UI thread.
pub fn load<R: Runtime>(app: &AppHandle<R>) -> Option<Result<PgConnectOptions, String>> {
    let saved = read(app)?;
    let mut settings = saved.settings();
    settings.password = match &saved.password {
        StoredPassword::None => String::new(),
        StoredPassword::SettingsFile(password) => password.clone(),
        StoredPassword::Keychain => match keychain_entry(&saved).and_then(|entry| entry.get_password()) {
            Ok(password) => password,
            Err(error) => {
                return Some(Err(format!(
                    "the database password could not be read from the keychain ({error}); \
                     enter the connection again"
                )))
            }
        },
    };
    Some(Ok(options(&settings, saved.port)))
}

fn keychain_entry(saved: &Saved) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &saved.keychain_account())
}

/// Saves checked settings: the password in the keychain when one answers, else in the
/// settings file (made readable by this account only). Blocks on the keychain.
pub fn save<R: Runtime>(
    app: &AppHandle<R>,
    settings: &ConnectionSettings,
    port: u16,
) -> Result<PasswordStorage, ApiError> {
    let mut saved = Saved {
        host: settings.host.clone(),
        port,
        database: settings.database.clone(),
        user: settings.user.clone(),
        password: StoredPassword::None,
    };
    if let Some(previous) = read(app) {
        forget_keychain_password(&previous);
    }
    if !settings.password.is_empty() {
        saved.password = match keychain_entry(&saved).and_then(|entry| entry.set_password(&settings.password))
        {
            Ok(()) => StoredPassword::Keychain,
            Err(error) => {
                tracing::info!(%error, "no keychain answered; the password goes in the settings file");
                StoredPassword::SettingsFile(settings.password.clone())
            }
        };
    }
    let storage = saved.storage();
    let value: Value = serde_json::to_value(&saved).map_err(|error| unavailable(error.to_string()))?;
    let store =
        app.store(STORE).map_err(|error| unavailable(format!("cannot open the settings: {error}")))?;
    store.set(KEY, value);
    store.save().map_err(|error| unavailable(format!("cannot save the settings: {error}")))?;
    restrict_to_owner(app);
    Ok(storage)
}

fn forget_keychain_password(saved: &Saved) {
    if matches!(saved.password, StoredPassword::Keychain) {
        if let Ok(entry) = keychain_entry(saved) {
            let _ = entry.delete_credential();
        }
    }
}

/// Only this account may read the settings file: it may hold the password.
fn restrict_to_owner<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
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

/// Tests checked settings: connects, and reads the schema's level.
pub async fn test(options: PgConnectOptions) -> Result<hub_model::connection::ConnectionCheck, ApiError> {
    let target = db::describe_target(&options);
    let pool = db::connect(options, 1).await.map_err(|error| error.to_api())?;
    let schema = db::schema_status(&pool).await.map_err(|error| error.to_api());
    pool.close().await;
    Ok(hub_model::connection::ConnectionCheck { target, schema: schema? })
}
