//! The one way the UI talks to the desktop shell: typed calls of the hub's operation
//! catalogue, relayed by the shell's `call` command to the hub server as the signed-in
//! person, and typed calls of the shell's own commands ([`hub_model::desktop`]) through
//! `shell`. Pages use the functions here, never `invoke`.

use hub_model::desktop::Command;
use hub_model::{ApiError, ErrorKind, Operation};
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

/// One operation's answer as a screen holds it: `None` while asked, then the response or
/// the refusal (with its kind, shown in words where it is drawn).
pub type Loaded<T> = Option<Result<T, ApiError>>;

/// The answer to an operation a screen shows ([`use_call`]): derefs to its [`Loaded`] state.
pub struct Call<T: 'static> {
    answer: yew::UseStateHandle<Loaded<T>>,
    asked: yew::UseStateHandle<u32>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Self { answer: self.answer.clone(), asked: self.asked.clone() }
    }
}

impl<T: PartialEq> PartialEq for Call<T> {
    fn eq(&self, other: &Self) -> bool {
        self.answer == other.answer && self.asked == other.asked
    }
}

impl<T> std::ops::Deref for Call<T> {
    type Target = Loaded<T>;

    fn deref(&self) -> &Loaded<T> {
        &self.answer
    }
}

impl<T> Call<T> {
    /// Asks again (after a change, say), showing the last answer until the new one comes.
    pub fn reload(&self) -> Callback<()> {
        let asked = self.asked.clone();
        Callback::from(move |()| asked.set(*asked + 1))
    }

    /// The response, once there is one.
    pub fn ok(&self) -> Option<&T> {
        self.answer.as_ref().and_then(|answer| answer.as_ref().ok())
    }

    /// Shows `value` as the answer: a change answered what the operation would now.
    pub fn set(&self, value: T) {
        self.answer.set(Some(Ok(value)));
    }
}

/// Runs operation `O` with `request` for a screen, and again whenever `request` changes or
/// [`Call::reload`] is emitted. Only the latest question's answer is shown: one that comes
/// back after a newer question was asked (a quick step through months, say) is dropped.
#[yew::hook]
pub fn use_call<O>(request: O::Request) -> Call<O::Response>
where
    O: Operation + 'static,
    O::Request: Clone + PartialEq + 'static,
    O::Response: 'static,
{
    use_call_for::<O>(Some(request))
}

/// [`use_call`] for a screen that may have nothing to ask yet (`None`: no answer is shown).
#[yew::hook]
pub fn use_call_for<O>(request: Option<O::Request>) -> Call<O::Response>
where
    O: Operation + 'static,
    O::Request: Clone + PartialEq + 'static,
    O::Response: 'static,
{
    let answer = yew::use_state(|| None::<Result<O::Response, ApiError>>);
    let asked = yew::use_state(|| 0_u32);
    // The question last asked, numbered: an answer is kept only if its number is still the
    // latest.
    let latest = yew::use_mut_ref(|| (0_u64, None::<O::Request>));
    {
        let (answer, latest) = (answer.clone(), latest.clone());
        yew::use_effect_with((request, *asked), move |(request, _)| {
            let number = {
                let mut latest = latest.borrow_mut();
                latest.0 += 1;
                if latest.1 != *request {
                    // Another question: its old answer is not shown as this one's.
                    if std::mem::replace(&mut latest.1, request.clone()).is_some() {
                        answer.set(None);
                    }
                }
                latest.0
            };
            if let Some(request) = request.clone() {
                yew::platform::spawn_local(async move {
                    let result = call::<O>(&request).await;
                    if latest.borrow().0 == number {
                        answer.set(Some(result));
                    }
                });
            }
        });
    }
    Call { answer, asked }
}

/// A change a screen makes ([`use_change`]): whether it is under way, and why the last one
/// was refused.
#[derive(Clone, PartialEq)]
pub struct Change {
    busy: yew::UseStateHandle<bool>,
    refused: yew::UseStateHandle<Option<ApiError>>,
}

impl Change {
    pub fn busy(&self) -> bool {
        *self.busy
    }

    /// Why the last change was refused.
    pub fn problem(&self) -> Option<&ApiError> {
        self.refused.as_ref()
    }

    /// Forgets the last refusal (the dialog that showed it closed).
    pub fn clear(&self) {
        self.refused.set(None);
    }

    /// Runs `work` unless a change is under way; `done` gets its answer, a refusal is kept.
    pub fn run<T: 'static>(
        &self,
        work: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        if *self.busy {
            return;
        }
        let (busy, refused) = (self.busy.clone(), self.refused.clone());
        busy.set(true);
        yew::platform::spawn_local(async move {
            let answer = work.await;
            busy.set(false);
            match answer {
                Ok(value) => {
                    refused.set(None);
                    done(value);
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    }

    /// Runs operation `O` with `request` ([`Change::run`]).
    pub fn call<O: Operation + 'static>(&self, request: O::Request, done: impl FnOnce(O::Response) + 'static)
    where
        O::Request: 'static,
    {
        self.run(async move { call::<O>(&request).await }, done);
    }
}

/// A change a screen makes: one at a time, its refusal kept to show.
#[yew::hook]
pub fn use_change() -> Change {
    Change { busy: yew::use_state(|| false), refused: yew::use_state(|| None::<ApiError>) }
}
