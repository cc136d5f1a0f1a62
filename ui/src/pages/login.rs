//! The sign-in screen: email or phone, and password. Enter submits; each refusal is shown
//! where it applies (under the field, or above the button for a lockout or a deactivation).

use crate::ipc;
use crate::session::{use_session, Action};
use hub_model::auth::LoginRequest;
use hub_model::ApiError;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Clone, Default, PartialEq)]
struct Problems {
    identifier: Option<String>,
    password: Option<String>,
    /// A refusal that is not about one field: a lockout, a deactivated account, no database.
    general: Option<String>,
}

impl Problems {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Places a refusal from the core where the person will look for it.
    fn from_api(error: &ApiError) -> Self {
        let message = match &error.field {
            Some(field) => {
                error.message.strip_prefix(&format!("{field}: ")).unwrap_or(&error.message).to_owned()
            }
            None => error.message.clone(),
        };
        let message = sentence(&message);
        match error.field.as_deref() {
            Some("identifier") => Self { identifier: Some(message), ..Self::default() },
            Some("password") => Self { password: Some(message), ..Self::default() },
            _ => Self { general: Some(message), ..Self::default() },
        }
    }
}

/// "wrong password" → "Wrong password."
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut text: String =
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

fn focus(node: &NodeRef) {
    if let Some(input) = node.cast::<HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}

#[function_component(Login)]
pub fn login() -> Html {
    let session = use_session();
    let identifier = use_node_ref();
    let password = use_node_ref();
    let problems = use_state(Problems::default);
    let submitting = use_state(|| false);

    {
        // The first field has focus when the screen opens, so typing starts at once.
        let identifier = identifier.clone();
        use_effect_with((), move |()| focus(&identifier));
    }

    let onsubmit = {
        let (identifier, password, problems, submitting) =
            (identifier.clone(), password.clone(), problems.clone(), submitting.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *submitting {
                return;
            }
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
            };
            let request = LoginRequest { identifier: value(&identifier), password: value(&password) };
            let missing = Problems {
                identifier: request
                    .identifier
                    .trim()
                    .is_empty()
                    .then(|| "Enter your email or phone number.".to_owned()),
                password: request.password.is_empty().then(|| "Enter your password.".to_owned()),
                general: None,
            };
            if !missing.is_empty() {
                focus(if missing.identifier.is_some() { &identifier } else { &password });
                problems.set(missing);
                return;
            }
            problems.set(Problems::default());
            submitting.set(true);
            let (session, identifier, password, problems, submitting) =
                (session.clone(), identifier.clone(), password.clone(), problems.clone(), submitting.clone());
            spawn_local(async move {
                match ipc::login(&request).await {
                    Ok(user) => session.dispatch(Action::SignedIn(user)),
                    Err(error) => {
                        let found = Problems::from_api(&error);
                        if found.identifier.is_some() {
                            focus(&identifier);
                        } else {
                            focus(&password);
                        }
                        problems.set(found);
                        submitting.set(false);
                    }
                }
            });
        })
    };

    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            <div class="login__brand">
                <div class="login__logo" aria-hidden="true">
                    { for (0..9).map(|_| html! { <span></span> }) }
                </div>
                <span class="login__name">{ "Digital Hub" }</span>
            </div>
            <h1 id="login-title">{ "Sign in" }</h1>
            <p class="login__intro">{ "Staff, instructors and students sign in with their email or phone number." }</p>
            <div class="field">
                <label for="identifier">{ "Email or phone" }</label>
                <input id="identifier" name="identifier" type="text" autocomplete="username"
                    ref={identifier} aria-invalid={problems.identifier.is_some().to_string()}
                    aria-describedby="identifier-error" />
                if let Some(message) = &problems.identifier {
                    <div class="field__error" id="identifier-error">{ message }</div>
                }
            </div>
            <div class="field">
                <label for="password">{ "Password" }</label>
                <input id="password" name="password" type="password" autocomplete="current-password"
                    ref={password} aria-invalid={problems.password.is_some().to_string()}
                    aria-describedby="password-error" />
                if let Some(message) = &problems.password {
                    <div class="field__error" id="password-error">{ message }</div>
                }
            </div>
            if let Some(message) = &problems.general {
                <p class="alert" role="alert" id="login-error">{ message }</p>
            }
            <button class="button button--primary" type="submit" disabled={*submitting} aria-busy={submitting.to_string()}>
                { if *submitting { "Signing in…" } else { "Sign in" } }
            </button>
        </form>
    }
}
