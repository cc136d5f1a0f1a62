//! The sign-in screen: email or phone, and password. Enter submits; each refusal is shown
//! where it applies (under the field, or above the button for a lockout, a deactivation or
//! a hub out of reach). With the hub out of reach, someone who signed in here before signs
//! in on this computer only (offline attendance).
//!
//! Beside it, the two ways to a password without one: "Forgot password?" asks the hub to
//! mail a code, and "Have a code?" sets the password with the code an invitation or a reset
//! brought, then signs in with it.

use crate::components::form::{brand, focus, use_form, Problems, TextField};
use crate::ipc;
use crate::session::{use_session, Action, SessionContext};
use hub_model::auth::{ForgotPasswordRequest, LoginRequest, RedeemCodeRequest};
use hub_model::desktop;
use hub_model::ops::{ForgotPassword, RedeemCode};
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

/// What the sign-in form holds.
#[derive(Clone, Default, PartialEq)]
struct Credentials {
    identifier: String,
    password: String,
}

#[function_component(SignInForm)]
fn sign_in_form(props: &SignInProps) -> Html {
    let session = use_session();
    let identifier_ref = use_node_ref();
    let form = use_form(Credentials::default);

    {
        // The first field has focus when the screen opens, so typing starts at once.
        let identifier_ref = identifier_ref.clone();
        use_effect_with((), move |()| focus(&identifier_ref));
    }

    let onsubmit = {
        let (form, session) = (form.clone(), session.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = LoginRequest {
                identifier: form.identifier.clone(),
                password: form.password.clone(),
                device: None,
            };
            let mut missing = Problems::default();
            missing.require("identifier", &request.identifier, "Enter your email or phone number.");
            if request.password.is_empty() {
                missing.add("password", "Enter your password.");
            }
            if !missing.is_empty() {
                return form.refuse(missing);
            }
            let session = session.clone();
            form.send(
                &FIELDS,
                async move { ipc::shell::<desktop::SignIn>(&request).await },
                move |signed_in| {
                    session.dispatch(Action::SignedIn(signed_in));
                    None
                },
            );
        })
    };
    let (problems, submitting) = (form.problems(), form.saving());

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
            <TextField id="identifier" label="Email or phone" value={form.identifier.clone()}
                oninput={form.field(|form, value| form.identifier = value)} autocomplete="username"
                node_ref={identifier_ref} error={problems.field("identifier")} />
            <TextField id="password" label="Password" input_type="password" value={form.password.clone()}
                oninput={form.field(|form, value| form.password = value)} autocomplete="current-password"
                error={problems.field("password")} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert" id="login-error">{ message }</p>
            }
            <button class="button button--primary" type="submit" disabled={submitting} aria-busy={submitting.to_string()}>
                { if submitting { "Signing in…" } else { "Sign in" } }
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
    // The address lives with the screen (the next form shows it); this form holds its state.
    let form = use_form(|| ());
    {
        let email_ref = email_ref.clone();
        use_effect_with((), move |()| focus(&email_ref));
    }
    let onsubmit = {
        let (email, form, on_sent) = (props.email.clone(), form.clone(), props.on_sent.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut missing = Problems::default();
            missing.require("email", &email, "Enter the email address you sign in with.");
            if !missing.is_empty() {
                return form.refuse(missing);
            }
            let on_sent = on_sent.clone();
            form.call::<ForgotPassword>(
                ForgotPasswordRequest { email: (*email).clone() },
                &["email"],
                move |_| {
                    on_sent.emit(());
                },
            );
        })
    };
    let (problems, submitting) = (form.problems(), form.saving());
    let email = props.email.clone();
    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            { brand() }
            <h1 id="login-title">{ "Forgot your password?" }</h1>
            <p class="login__intro">{ "Enter the email address you sign in with: we mail you a code to choose a new password." }</p>
            <TextField id="email" label="Email" input_type="email" value={(*email).clone()}
                oninput={Callback::from(move |value: String| email.set(value))} autocomplete="username"
                node_ref={email_ref} error={problems.field("email")} />
            { form_end(problems.general.as_deref(), submitting, "send-code", ("Email me a code", "Asking…"), &props.on_back) }
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
/// What the code form holds besides the address.
#[derive(Clone, Default, PartialEq)]
struct CodeFields {
    code: String,
    new_password: String,
}

#[function_component(CodeForm)]
fn code_form(props: &CodeProps) -> Html {
    let session = use_session();
    let first_ref = use_node_ref();
    let form = use_form(CodeFields::default);
    {
        // Straight to the code when the address is known.
        let first_ref = first_ref.clone();
        use_effect_with((), move |()| focus(&first_ref));
    }
    let onsubmit = {
        let (email, form, session) = (props.email.clone(), form.clone(), session.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = RedeemCodeRequest {
                email: (*email).clone(),
                code: form.code.clone(),
                new_password: form.new_password.clone(),
            };
            let mut missing = Problems::default();
            missing.require("email", &request.email, "Enter the email address the code was sent to.");
            missing.require("code", &request.code, "Enter the code from the email.");
            if request.new_password.is_empty() {
                missing.add("new_password", "Choose your password.");
            }
            if !missing.is_empty() {
                return form.refuse(missing);
            }
            let session = session.clone();
            form.send(&CODE_FIELDS, async move { set_and_sign_in(&session, request).await }, |()| None);
        })
    };
    let (problems, submitting) = (form.problems(), form.saving());
    let email = props.email.clone();
    let (email_ref, code_ref) = if props.email.is_empty() {
        (first_ref, NodeRef::default())
    } else {
        (NodeRef::default(), first_ref)
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
                oninput={Callback::from(move |value: String| email.set(value))} autocomplete="username"
                node_ref={email_ref} error={problems.field("email")} />
            <TextField id="code" label="Code" value={form.code.clone()} oninput={form.field(|form, value| form.code = value)}
                autocomplete="one-time-code" placeholder="XXXX-XXXX-XXXX-XXXX" node_ref={code_ref}
                error={problems.field("code")} />
            <TextField id="new_password" label="New password" input_type="password" value={form.new_password.clone()}
                oninput={form.field(|form, value| form.new_password = value)} autocomplete="new-password"
                hint="At least 10 characters." error={problems.field("new_password")} />
            { form_end(
                problems.general.as_deref(),
                submitting,
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
