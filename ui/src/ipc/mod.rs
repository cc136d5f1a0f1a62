//! The one way the UI talks to the desktop shell: typed calls into hub-core's operation
//! table through the `call` command, and the first-run screen's connection commands.
//! Pages use the functions here, never `invoke`.

use hub_model::connection::{ConnectionCheck, ConnectionSettings, ConnectionState};
use hub_model::{ops, ApiError, ErrorKind, NoRequest, Operation};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use yew::Callback;

thread_local! {
    /// Told when the shell says nobody is signed in any more (the session ended, the
    /// account was deactivated): the App goes back to the sign-in screen.
    static ON_SIGNED_OUT: RefCell<Option<Callback<()>>> = const { RefCell::new(None) };
}

/// Registers what happens when any call finds the session gone.
pub fn on_signed_out(callback: Callback<()>) {
    ON_SIGNED_OUT.with(|slot| *slot.borrow_mut() = Some(callback));
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Invokes one of the shell's commands and decodes its answer or its `ApiError`.
async fn command<A: Serialize, T: DeserializeOwned>(name: &str, args: &A) -> Result<T, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = args
        .serialize(&serializer)
        .map_err(|error| ApiError::new(ErrorKind::Internal, format!("cannot encode the request: {error}")))?;
    match invoke(name, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|error| {
            ApiError::new(ErrorKind::Internal, format!("unexpected answer from the app: {error}"))
        }),
        Err(error) => Err(serde_wasm_bindgen::from_value::<ApiError>(error.clone()).unwrap_or_else(|_| {
            // Not an ApiError: the shell itself failed (or this page runs outside the app).
            let detail = error.as_string().unwrap_or_else(|| format!("{error:?}"));
            ApiError::new(ErrorKind::Internal, format!("the desktop shell did not answer: {detail}"))
        })),
    }
}

#[derive(Serialize)]
struct CallArgs<'a, R> {
    operation: &'a str,
    request: &'a R,
}

/// Runs operation `O` with `request` and decodes exactly the type hub-core returned.
pub async fn call<O: Operation>(request: &O::Request) -> Result<O::Response, ApiError> {
    let answer = command("call", &CallArgs { operation: O::NAME, request }).await;
    if let Err(error) = &answer {
        // A refused sign-in is the sign-in screen's business; anywhere else it means the
        // session is gone, whichever screen asked.
        if error.kind == ErrorKind::Unauthenticated && O::NAME != ops::Login::NAME && O::NAME != ops::Me::NAME
        {
            if let Some(callback) = ON_SIGNED_OUT.with(|slot| slot.borrow().clone()) {
                callback.emit(());
            }
        }
    }
    answer
}

#[derive(Serialize)]
struct SettingsArgs<'a> {
    settings: &'a ConnectionSettings,
}

/// Where the database connection comes from (environment, saved, or nothing yet).
pub async fn connection_state() -> Result<ConnectionState, ApiError> {
    command("connection_state", &NoRequest {}).await
}

/// Connects with `settings` and reports the schema's level, saving nothing.
pub async fn test_connection(settings: &ConnectionSettings) -> Result<ConnectionCheck, ApiError> {
    command("connection_test", &SettingsArgs { settings }).await
}

/// Tests, saves and switches to `settings`.
pub async fn save_connection(settings: &ConnectionSettings) -> Result<ConnectionState, ApiError> {
    command("connection_save", &SettingsArgs { settings }).await
}

/// The website's home page as the public API serves it.
pub async fn website_preview() -> Result<hub_model::public::WebsitePreview, ApiError> {
    command("website_preview", &NoRequest {}).await
}

/// An answer being waited for (`None`), received, or refused with a message to show.
pub type Answer<T> = yew::UseStateHandle<Option<Result<T, String>>>;

/// What an operation without arguments answers, and a callback that asks again (after a
/// change, say).
#[yew::hook]
pub fn use_operation<O>() -> (Answer<O::Response>, Callback<()>)
where
    O: Operation<Request = NoRequest> + 'static,
    O::Response: Clone + 'static,
{
    let answer = yew::use_state(|| None::<Result<O::Response, String>>);
    let asked = yew::use_state(|| 0_u32);
    {
        let answer = answer.clone();
        yew::use_effect_with(*asked, move |_| {
            yew::platform::spawn_local(async move {
                let result = call::<O>(&NoRequest {}).await;
                answer.set(Some(result.map_err(|error| crate::components::form::sentence(&error.message))));
            });
        });
    }
    let again = Callback::from(move |()| asked.set(*asked + 1));
    (answer, again)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionArgs {
    session_id: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MarkArgs<'a> {
    session_id: i64,
    enrollment_id: i64,
    status: hub_model::attendance::Mark,
    note: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DismissArgs {
    client_id: String,
}

/// The sessions kept on this computer for offline marking.
pub async fn offline_sessions() -> Result<Vec<hub_model::attendance::SessionInfo>, ApiError> {
    command("offline_sessions", &NoRequest {}).await
}

/// A kept session's students and the marks this computer knows.
pub async fn offline_roster(
    session_id: i64,
) -> Result<Vec<hub_model::attendance::LocalRosterEntry>, ApiError> {
    command("offline_roster", &SessionArgs { session_id }).await
}

/// Saves a mark on this computer (safe once this answers); it syncs when it can.
pub async fn offline_mark(
    session_id: i64,
    enrollment_id: i64,
    status: hub_model::attendance::Mark,
    note: Option<&str>,
) -> Result<Vec<hub_model::attendance::LocalRosterEntry>, ApiError> {
    command("offline_mark", &MarkArgs { session_id, enrollment_id, status, note }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MarkManyArgs<'a> {
    session_id: i64,
    enrollment_ids: &'a [i64],
    status: hub_model::attendance::Mark,
}

/// Saves the same mark for several students of a session at once, in one local
/// transaction; it syncs when it can.
pub async fn offline_mark_many(
    session_id: i64,
    enrollment_ids: &[i64],
    status: hub_model::attendance::Mark,
) -> Result<Vec<hub_model::attendance::LocalRosterEntry>, ApiError> {
    command("offline_mark_many", &MarkManyArgs { session_id, enrollment_ids, status }).await
}

/// A newer release to update to, if the release feed has one (never, in a build without a feed).
pub async fn update_check() -> Result<Option<hub_model::app::AvailableUpdate>, ApiError> {
    command("update_check", &NoRequest {}).await
}

/// Downloads and installs the newer release, then the app restarts.
pub async fn update_install() -> Result<(), ApiError> {
    command("update_install", &NoRequest {}).await
}

pub async fn sync_state() -> Result<hub_model::attendance::SyncState, ApiError> {
    command("sync_state", &NoRequest {}).await
}

pub async fn sync_now() -> Result<hub_model::attendance::SyncState, ApiError> {
    command("sync_now", &NoRequest {}).await
}

pub async fn sync_dismiss(client_id: uuid::Uuid) -> Result<hub_model::attendance::SyncState, ApiError> {
    command("sync_dismiss", &DismissArgs { client_id: client_id.to_string() }).await
}

#[derive(Serialize)]
struct DownloadArgs<'a> {
    filename: &'a str,
    content: &'a str,
}

/// Saves a file in the person's Downloads folder; answers its path.
pub async fn save_download(filename: &str, content: &str) -> Result<String, ApiError> {
    command("save_download", &DownloadArgs { filename, content }).await
}
