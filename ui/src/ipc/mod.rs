//! The one way the UI talks to the desktop shell: typed calls into hub-core's operation
//! table through the `call` command. Pages use the functions here, never `invoke`.

use hub_model::app::AppInfoResponse;
use hub_model::auth::{CurrentUser, Done, LoginRequest};
use hub_model::{ops, ApiError, ErrorKind, NoRequest, Operation};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], catch)]
    async fn invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

#[derive(Serialize)]
struct CallArgs<'a, R> {
    operation: &'a str,
    request: &'a R,
}

/// Runs operation `O` with `request` and decodes exactly the type hub-core returned.
pub async fn call<O: Operation>(request: &O::Request) -> Result<O::Response, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = CallArgs { operation: O::NAME, request }
        .serialize(&serializer)
        .map_err(|error| ApiError::new(ErrorKind::Internal, format!("cannot encode the request: {error}")))?;
    match invoke("call", args).await {
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

pub async fn app_info() -> Result<AppInfoResponse, ApiError> {
    call::<ops::AppInfo>(&NoRequest {}).await
}

pub async fn login(request: &LoginRequest) -> Result<CurrentUser, ApiError> {
    call::<ops::Login>(request).await
}

pub async fn logout() -> Result<Done, ApiError> {
    call::<ops::Logout>(&NoRequest {}).await
}

pub async fn me() -> Result<CurrentUser, ApiError> {
    call::<ops::Me>(&NoRequest {}).await
}
