//! The sign-in screen: email or phone, and password. Enter submits; each refusal is shown
//! where it applies (under the field, or above the button for a lockout, a deactivation or
//! a hub out of reach). With the hub out of reach, someone who signed in here before signs
//! in on this computer only (offline attendance).

use crate::components::form::{brand, focus, Problems, TextField};
use crate::ipc;
use crate::session::{use_session, Action};
use hub_model::auth::LoginRequest;
use hub_model::desktop;
use yew::platform::spawn_local;
use yew::prelude::*;

const FIELDS: [&str; 2] = ["identifier", "password"];

#[derive(Properties, PartialEq)]
pub struct LoginProps {
    /// Opens the connection screen; `None` when DIGITAL_HUB_URL decides the hub.
    #[prop_or_default]
    pub on_change_connection: Option<Callback<()>>,
    /// The hub ended the last session (signed out elsewhere, expired, a password reset).
    #[prop_or_default]
    pub session_ended: bool,
}

#[function_component(Login)]
pub fn login(props: &LoginProps) -> Html {
    let session = use_session();
    let identifier_ref = use_node_ref();
    let password_ref = use_node_ref();
    let identifier = use_state(String::new);
    let password = use_state(String::new);
    let problems = use_state(Problems::default);
    let submitting = use_state(|| false);

    {
        // The first field has focus when the screen opens, so typing starts at once.
        let identifier_ref = identifier_ref.clone();
        use_effect_with((), move |()| focus(&identifier_ref));
    }

    let onsubmit = {
        let (identifier_ref, password_ref) = (identifier_ref.clone(), password_ref.clone());
        let (identifier, password, problems, submitting) =
            (identifier.clone(), password.clone(), problems.clone(), submitting.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *submitting {
                return;
            }
            let request = LoginRequest {
                identifier: (*identifier).clone(),
                password: (*password).clone(),
                device: None,
            };
            let mut missing = Problems::default();
            missing.require("identifier", &request.identifier, "Enter your email or phone number.");
            if request.password.is_empty() {
                missing.add("password", "Enter your password.");
            }
            if let Some(field) = missing.first_field() {
                focus(if field == "identifier" { &identifier_ref } else { &password_ref });
                problems.set(missing);
                return;
            }
            problems.set(Problems::default());
            submitting.set(true);
            let (session, identifier_ref, password_ref, problems, submitting) = (
                session.clone(),
                identifier_ref.clone(),
                password_ref.clone(),
                problems.clone(),
                submitting.clone(),
            );
            spawn_local(async move {
                match ipc::shell::<desktop::SignIn>(&request).await {
                    Ok(signed_in) => session.dispatch(Action::SignedIn(signed_in)),
                    Err(error) => {
                        let found = Problems::from_api(&error, &FIELDS);
                        focus(if found.first_field() == Some("identifier") {
                            &identifier_ref
                        } else {
                            &password_ref
                        });
                        problems.set(found);
                        submitting.set(false);
                    }
                }
            });
        })
    };
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };

    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            { brand() }
            <h1 id="login-title">{ "Sign in" }</h1>
            <p class="login__intro">{ "Staff, instructors and students sign in with their email or phone number." }</p>
            if props.session_ended {
                <p class="notice notice--warn" role="status" data-testid="session-ended">
                    { "Your session ended (signed out from elsewhere, or it expired). Sign in again to carry on where you were." }
                </p>
            }
            <TextField id="identifier" label="Email or phone" value={(*identifier).clone()} oninput={bind(&identifier)}
                autocomplete="username" node_ref={identifier_ref} error={problems.field("identifier")} />
            <TextField id="password" label="Password" input_type="password" value={(*password).clone()}
                oninput={bind(&password)} autocomplete="current-password" node_ref={password_ref}
                error={problems.field("password")} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert" id="login-error">{ message }</p>
            }
            <button class="button button--primary" type="submit" disabled={*submitting} aria-busy={submitting.to_string()}>
                { if *submitting { "Signing in…" } else { "Sign in" } }
            </button>
            if let Some(change) = &props.on_change_connection {
                <p class="login__footer">
                    <button class="link-button" type="button" data-testid="change-connection"
                        onclick={change.reform(|_: MouseEvent| ())}>{ "Hub address…" }</button>
                </p>
            }
        </form>
    }
}
