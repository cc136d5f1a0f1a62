//! Updates of the installed app: it asks the release feed (set by the release workflow,
//! signed with the project's key) whether a newer version exists, and installs it when the
//! person says so. A build without a feed — development, `cargo xtask bundle` — never asks.

use crate::shell::Handler;
use hub_model::app::AvailableUpdate;
use hub_model::auth::Done;
use hub_model::desktop::{UpdateCheck, UpdateInstall};
use hub_model::{ApiError, ErrorKind, NoRequest};
use tauri::AppHandle;
use tauri_plugin_updater::UpdaterExt;

#[allow(clippy::needless_pass_by_value)] // `map_err` hands the error over by value.
fn unavailable(error: tauri_plugin_updater::Error) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, format!("the update cannot be fetched now: {error}"))
}

/// The release feed's newest version, when it is newer than this one.
async fn newest(app: &AppHandle) -> Result<Option<tauri_plugin_updater::Update>, ApiError> {
    let updater = app.updater().map_err(unavailable)?;
    match updater.check().await {
        Ok(found) => Ok(found),
        // No feed configured: this build does not update itself.
        Err(tauri_plugin_updater::Error::EmptyEndpoints) => Ok(None),
        Err(error) => Err(unavailable(error)),
    }
}

impl Handler for UpdateCheck {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<Option<AvailableUpdate>, ApiError> {
        Ok(newest(app)
            .await?
            .map(|update| AvailableUpdate { version: update.version.clone(), notes: update.body.clone() }))
    }
}

/// Downloads the update, checks its signature against the key built in, installs it and
/// restarts the app.
impl Handler for UpdateInstall {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<Done, ApiError> {
        let update = newest(app)
            .await?
            .ok_or_else(|| ApiError::new(ErrorKind::Conflict, "this is the newest version already"))?;
        update.download_and_install(|_chunk, _total| {}, || {}).await.map_err(unavailable)?;
        app.restart()
    }
}
