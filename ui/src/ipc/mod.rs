//! The one way the UI talks to the desktop shell: typed calls of the hub's operation
//! catalogue, relayed by the shell's `call` command to the hub server as the signed-in
//! person, and typed calls of the shell's own commands ([`hub_model::desktop`]) through
//! `shell`. Pages use the functions here, never `invoke`.

use hub_model::desktop::Command;
use hub_model::{ApiError, ErrorKind, NoRequest, Operation};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use yew::Callback;

thread_local! {
    /// Told when the hub says the session is gone (signed out elsewhere, expired, the account
    /// deactivated): the App goes back to the sign-in screen, keeping the page to return to.
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

/// Invokes one of the shell's Tauri commands and decodes its answer or its `ApiError`.
async fn invoke_shell<A: Serialize, T: DeserializeOwned>(name: &str, args: &A) -> Result<T, ApiError> {
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
struct ShellArgs<'a, R> {
    command: &'a str,
    request: &'a R,
}

/// Runs the shell's command `C` with `request`.
pub async fn shell<C: Command>(request: &C::Request) -> Result<C::Response, ApiError> {
    let answer = invoke_shell("shell", &ShellArgs { command: C::NAME, request }).await;
    signed_out_if_refused(&answer);
    answer
}

/// Whichever screen asked, an `unauthenticated` answer means the session is gone.
fn signed_out_if_refused<T>(answer: &Result<T, ApiError>) {
    if matches!(answer, Err(error) if error.kind == ErrorKind::Unauthenticated) {
        if let Some(callback) = ON_SIGNED_OUT.with(|slot| slot.borrow().clone()) {
            callback.emit(());
        }
    }
}

#[derive(Serialize)]
struct CallArgs<'a, R> {
    operation: &'a str,
    request: &'a R,
}

/// Runs operation `O` on the hub with `request` and decodes exactly the type hub-core returned.
pub async fn call<O: Operation>(request: &O::Request) -> Result<O::Response, ApiError> {
    let answer = invoke_shell("call", &CallArgs { operation: O::NAME, request }).await;
    signed_out_if_refused(&answer);
    answer
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
