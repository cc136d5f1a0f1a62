//! The shell's command table: every command of [`hub_model::desktop`], by name, with its
//! handler, reached through the one Tauri command `shell`. The handlers live with what they
//! work on: `hub` (the hub's address, its website's preview, saving files), `session`,
//! `offline` and `update`.

use hub_model::desktop::{self, Command};
use hub_model::{ApiError, ErrorKind};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use tauri::AppHandle;

/// The shell's side of one [`Command`].
pub trait Handler: Command {
    fn handle(
        app: &AppHandle,
        request: Self::Request,
    ) -> impl Future<Output = Result<Self::Response, ApiError>> + Send;
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type Erased = for<'a> fn(&'a AppHandle, Value) -> BoxFuture<'a, Result<Value, ApiError>>;

struct Entry {
    name: &'static str,
    handler: Erased,
}

const fn entry<C: Handler>() -> Entry {
    Entry { name: C::NAME, handler: erased::<C> }
}

fn erased<C: Handler>(app: &AppHandle, request: Value) -> BoxFuture<'_, Result<Value, ApiError>> {
    Box::pin(async move {
        let request = if request.is_null() { Value::Object(Default::default()) } else { request };
        let request: C::Request = serde_path_to_error::deserialize(request).map_err(|error| {
            let path = error.path().to_string();
            let field = if path == "." { "request".to_owned() } else { path };
            ApiError {
                kind: ErrorKind::Validation,
                message: format!("{field}: {}", error.into_inner()),
                field: Some(field),
            }
        })?;
        let response = C::handle(app, request).await?;
        serde_json::to_value(response).map_err(|error| ApiError::new(ErrorKind::Internal, error.to_string()))
    })
}

/// Every command the shell answers.
static COMMANDS: &[Entry] = &[
    entry::<desktop::HubState>(),
    entry::<desktop::HubCheck>(),
    entry::<desktop::HubSave>(),
    entry::<desktop::CurrentSession>(),
    entry::<desktop::SignIn>(),
    entry::<desktop::ChangePassword>(),
    entry::<desktop::SignOut>(),
    entry::<desktop::SaveDownload>(),
    entry::<desktop::OfflineSessions>(),
    entry::<desktop::OfflineRoster>(),
    entry::<desktop::OfflineCheckinCode>(),
    entry::<desktop::OfflineMark>(),
    entry::<desktop::OfflineMarkMany>(),
    entry::<desktop::SyncStatus>(),
    entry::<desktop::SyncNow>(),
    entry::<desktop::SyncDismiss>(),
    entry::<desktop::UpdateCheck>(),
    entry::<desktop::UpdateInstall>(),
];

pub async fn run(app: &AppHandle, name: &str, request: Value) -> Result<Value, ApiError> {
    let entry = COMMANDS
        .iter()
        .find(|entry| entry.name == name)
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, format!("the app has no command {name:?}")))?;
    (entry.handler)(app, request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_of_the_catalogue_has_one_handler() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|entry| entry.name).collect();
        names.sort_unstable();
        let mut declared = desktop::NAMES.to_vec();
        declared.sort_unstable();
        assert_eq!(names, declared);
    }
}
