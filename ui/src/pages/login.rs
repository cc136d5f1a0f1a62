//! The sign-in screen: email or phone, and password. Enter submits; each refusal is shown
//! where it applies (under the field, or above the button for a lockout, a deactivation or
//! a hub out of reach). With the hub out of reach, someone who signed in here before signs
//! in on this computer only (offline attendance).
//!
//! Beside it, the two ways to a password without one: "Forgot password?" asks the hub to
//! mail a code, and "Have a code?" sets the password with the code an invitation or a reset
//! brought, then signs in with it.

use crate::components::form::{brand, focus, Problems, TextField};
use crate::ipc;
use crate::session::{use_session, Action, SessionContext};
use hub_model::auth::{ForgotPasswordRequest, LoginRequest, RedeemCodeRequest};
use hub_model::desktop;
use hub_model::ops::{ForgotPassword, RedeemCode};
use yew::platform::spawn_local;
use yew::prelude::*;

const FIELDS: [&str; 2] = ["identifier", "password"];

/// Which of the screen's three forms shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    SignIn,
    Forgot,
    /// Setting a password with a code; `requested` when this screen just asked for one.
    Code {
        requested: bool,
    },
}

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
    let mode = use_state(|| Mode::SignIn);
    // The address typed in one form is there in the next.
    let email = use_state(String::new);
    let to = |next: Mode| {
        let mode = mode.clone();
        Callback::from(move |()| mode.set(next.clone()))
    };
    match &*mode {
        Mode::SignIn => html! {
            <SignInForm on_change_connection={props.on_change_connection.clone()} session_ended={props.session_ended}
                on_forgot={to(Mode::Forgot)} on_code={to(Mode::Code { requested: false })} />
        },
        Mode::Forgot => html! {
            <ForgotForm email={email.clone()} on_back={to(Mode::SignIn)}
                on_sent={to(Mode::Code { requested: true })} />
        },
        Mode::Code { requested } => html! {
            <CodeForm email={email.clone()} requested={*requested} on_back={to(Mode::SignIn)} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    on_change_connection: Option<Callback<()>>,
    session_ended: bool,
    on_forgot: Callback<()>,
    on_code: Callback<()>,
}

#[function_component(SignInForm)]
fn sign_in_form(props: &SignInProps) -> Html {
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
            <p class="login__footer login__footer--split">
                <button class="link-button" type="button" data-testid="forgot-password"
                    onclick={props.on_forgot.reform(|_: MouseEvent| ())}>{ "Forgot password?" }</button>
                <button class="link-button" type="button" data-testid="have-code"
                    onclick={props.on_code.reform(|_: MouseEvent| ())}>{ "Have a code?" }</button>
            </p>
            if let Some(change) = &props.on_change_connection {
                <p class="login__footer">
                    <button class="link-button" type="button" data-testid="change-connection"
                        onclick={change.reform(|_: MouseEvent| ())}>{ "Hub address…" }</button>
                </p>
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ForgotProps {
    email: UseStateHandle<String>,
    on_back: Callback<()>,
    on_sent: Callback<()>,
}

/// "Forgot password?": the address to mail a code to. The hub answers the same whether or
/// not an account uses it, and so does this form.
#[function_component(ForgotForm)]
fn forgot_form(props: &ForgotProps) -> Html {
    let email_ref = use_node_ref();
    let problems = use_state(Problems::default);
    let submitting = use_state(|| false);
    {
        let email_ref = email_ref.clone();
        use_effect_with((), move |()| focus(&email_ref));
    }
    let onsubmit = {
        let (email, email_ref, problems, submitting, on_sent) = (
            props.email.clone(),
            email_ref.clone(),
            problems.clone(),
            submitting.clone(),
            props.on_sent.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *submitting {
                return;
            }
            let mut missing = Problems::default();
            missing.require("email", &email, "Enter the email address you sign in with.");
            if !missing.is_empty() {
                focus(&email_ref);
                problems.set(missing);
                return;
            }
            submitting.set(true);
            let request = ForgotPasswordRequest { email: (*email).clone() };
            let (email_ref, problems, submitting, on_sent) =
                (email_ref.clone(), problems.clone(), submitting.clone(), on_sent.clone());
            spawn_local(async move {
                match ipc::call::<ForgotPassword>(&request).await {
                    Ok(_) => on_sent.emit(()),
                    Err(error) => {
                        focus(&email_ref);
                        problems.set(Problems::from_api(&error, &["email"]));
                        submitting.set(false);
                    }
                }
            });
        })
    };
    let email = props.email.clone();
    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            { brand() }
            <h1 id="login-title">{ "Forgot your password?" }</h1>
            <p class="login__intro">{ "Enter the email address you sign in with: we mail you a code to choose a new password." }</p>
            <TextField id="email" label="Email" input_type="email" value={(*email).clone()}
                oninput={Callback::from(move |value: String| email.set(value))} autocomplete="username"
                node_ref={email_ref} error={problems.field("email")} />
            { form_end(problems.general.as_deref(), *submitting, "send-code", ("Email me a code", "Asking…"), &props.on_back) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct CodeProps {
    email: UseStateHandle<String>,
    /// This screen just asked for a code: say where it went.
    requested: bool,
    on_back: Callback<()>,
}

const CODE_FIELDS: [&str; 3] = ["email", "code", "new_password"];

/// "Have a code?": the address, the code from the email and the password to choose; the
/// password set, the person is signed in with it.
#[function_component(CodeForm)]
fn code_form(props: &CodeProps) -> Html {
    let session = use_session();
    let refs = [use_node_ref(), use_node_ref(), use_node_ref()];
    let code = use_state(String::new);
    let new_password = use_state(String::new);
    let problems = use_state(Problems::default);
    let submitting = use_state(|| false);
    {
        // Straight to the code when the address is known.
        let first = if props.email.is_empty() { refs[0].clone() } else { refs[1].clone() };
        use_effect_with((), move |()| focus(&first));
    }
    let onsubmit = {
        let (email, code, new_password, problems, submitting, refs) = (
            props.email.clone(),
            code.clone(),
            new_password.clone(),
            problems.clone(),
            submitting.clone(),
            refs.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *submitting {
                return;
            }
            let request = RedeemCodeRequest {
                email: (*email).clone(),
                code: (*code).clone(),
                new_password: (*new_password).clone(),
            };
            let mut missing = Problems::default();
            missing.require("email", &request.email, "Enter the email address the code was sent to.");
            missing.require("code", &request.code, "Enter the code from the email.");
            if request.new_password.is_empty() {
                missing.add("new_password", "Choose your password.");
            }
            if !missing.is_empty() {
                show(&missing, &refs);
                problems.set(missing);
                return;
            }
            problems.set(Problems::default());
            submitting.set(true);
            let (session, problems, submitting, refs) =
                (session.clone(), problems.clone(), submitting.clone(), refs.clone());
            spawn_local(async move {
                let found = match set_and_sign_in(&session, request).await {
                    Ok(()) => return,
                    Err(error) => Problems::from_api(&error, &CODE_FIELDS),
                };
                show(&found, &refs);
                problems.set(found);
                submitting.set(false);
            });
        })
    };
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    let requested = props.requested.then(|| {
        format!(
            "If an account uses {}, a code is on its way to it. It works for an hour; the email says how.",
            *props.email
        )
    });
    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            { brand() }
            <h1 id="login-title">{ "Choose your password" }</h1>
            if let Some(requested) = requested {
                <p class="notice" role="status" data-testid="code-requested">{ requested }</p>
            } else {
                <p class="login__intro">{ "Enter the code from your invitation or password email, and the password you want." }</p>
            }
            <TextField id="email" label="Email" input_type="email" value={(*props.email).clone()}
                oninput={bind(&props.email)} autocomplete="username" node_ref={refs[0].clone()}
                error={problems.field("email")} />
            <TextField id="code" label="Code" value={(*code).clone()} oninput={bind(&code)}
                autocomplete="one-time-code" placeholder="XXXX-XXXX-XXXX-XXXX" node_ref={refs[1].clone()}
                error={problems.field("code")} />
            <TextField id="new_password" label="New password" input_type="password" value={(*new_password).clone()}
                oninput={bind(&new_password)} autocomplete="new-password" node_ref={refs[2].clone()}
                hint="At least 10 characters." error={problems.field("new_password")} />
            { form_end(
                problems.general.as_deref(),
                *submitting,
                "set-password",
                ("Set password and sign in", "Setting your password…"),
                &props.on_back,
            ) }
        </form>
    }
}

/// The end of the forms beside sign-in: a refusal that names no field, the button (saying
/// so while its request is under way), and the way back to signing in.
fn form_end(
    general: Option<&str>,
    submitting: bool,
    testid: &'static str,
    (idle, busy): (&'static str, &'static str),
    on_back: &Callback<()>,
) -> Html {
    html! {
        <>
            if let Some(message) = general {
                <p class="alert" role="alert">{ message }</p>
            }
            <button class="button button--primary" type="submit" data-testid={testid} disabled={submitting}
                aria-busy={submitting.to_string()}>
                { if submitting { busy } else { idle } }
            </button>
            <p class="login__footer">
                <button class="link-button" type="button" data-testid="back-to-sign-in"
                    onclick={on_back.reform(|_: MouseEvent| ())}>{ "Back to sign in" }</button>
            </p>
        </>
    }
}

/// Focuses the first field `problems` names, of email, code and new password.
fn show(problems: &Problems, refs: &[NodeRef; 3]) {
    if let Some(index) =
        problems.first_field().and_then(|field| CODE_FIELDS.iter().position(|name| *name == field))
    {
        focus(&refs[index]);
    }
}

/// Sets the password with the code, then signs in with it.
async fn set_and_sign_in(
    session: &SessionContext,
    request: RedeemCodeRequest,
) -> Result<(), hub_model::ApiError> {
    ipc::call::<RedeemCode>(&request).await?;
    let login = LoginRequest {
        identifier: request.email.clone(),
        password: request.new_password.clone(),
        device: None,
    };
    let signed_in = ipc::shell::<desktop::SignIn>(&login).await?;
    session.dispatch(Action::SignedIn(signed_in));
    Ok(())
}
