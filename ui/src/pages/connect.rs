//! The first-run screen: which PostgreSQL database this app works with. The connection
//! is tested before it is saved; the password goes to the OS keychain when there is one.

use crate::components::form::{brand, focus_id, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::app::SchemaState;
use hub_model::connection::{ConnectionCheck, ConnectionSettings, PasswordStorage};
use yew::platform::spawn_local;
use yew::prelude::*;

const FIELDS: [&str; 5] = ["host", "port", "database", "user", "password"];

#[derive(Properties, PartialEq)]
pub struct ConnectProps {
    pub first_run: bool,
    /// The saved settings (without password) when changing them.
    pub saved: Option<ConnectionSettings>,
    pub on_saved: Callback<()>,
    /// Back to sign-in without changing anything; `None` on first run.
    pub on_cancel: Option<Callback<()>>,
}

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Busy(&'static str),
    Tested(ConnectionCheck),
}

fn schema_note(check: &ConnectionCheck) -> String {
    let level =
        check.schema.applied.map_or_else(|| "empty".to_owned(), |applied| format!("schema {applied}"));
    match check.schema.state {
        SchemaState::Current => format!("Connected to {} ({level}, as this app expects).", check.target),
        SchemaState::Behind => format!(
            "Connected to {} ({level}), but it needs setting up to schema {}: run `hubctl migrate` against it.",
            check.target, check.schema.expected
        ),
        SchemaState::Ahead => format!(
            "Connected to {}, but a newer Digital Hub set it up ({level}): update this app.",
            check.target
        ),
    }
}

#[function_component(Connect)]
pub fn connect(props: &ConnectProps) -> Html {
    let toast = use_toast();
    let settings = use_state(|| {
        props.saved.clone().unwrap_or_else(|| ConnectionSettings {
            host: "127.0.0.1".to_owned(),
            port: "5432".to_owned(),
            database: "digital_hub".to_owned(),
            user: String::new(),
            password: String::new(),
        })
    });
    let problems = use_state(Problems::default);
    let outcome = use_state(|| Outcome::None);
    {
        let first = if props.saved.is_some() { "password" } else { "host" };
        use_effect_with((), move |()| focus_id(first));
    }
    let edit = |update: fn(&mut ConnectionSettings, String)| {
        let (settings, outcome) = (settings.clone(), outcome.clone());
        Callback::from(move |value: String| {
            let mut next = (*settings).clone();
            update(&mut next, value);
            settings.set(next);
            // A result about other settings no longer applies.
            if matches!(*outcome, Outcome::Tested(_)) {
                outcome.set(Outcome::None);
            }
        })
    };
    let refused = {
        let problems = problems.clone();
        move |error: &hub_model::ApiError| {
            let found = Problems::from_api(error, &FIELDS);
            if let Some(field) = found.first_field() {
                focus_id(field);
            }
            problems.set(found);
        }
    };
    let test = {
        let (settings, problems, outcome, refused) =
            (settings.clone(), problems.clone(), outcome.clone(), refused.clone());
        Callback::from(move |_: MouseEvent| {
            if matches!(*outcome, Outcome::Busy(_)) {
                return;
            }
            let request = (*settings).clone();
            let (problems, outcome, refused) = (problems.clone(), outcome.clone(), refused.clone());
            outcome.set(Outcome::Busy("Testing…"));
            spawn_local(async move {
                match ipc::test_connection(&request).await {
                    Ok(check) => {
                        problems.set(Problems::default());
                        outcome.set(Outcome::Tested(check));
                    }
                    Err(error) => {
                        refused(&error);
                        outcome.set(Outcome::None);
                    }
                }
            });
        })
    };
    let onsubmit = {
        let (settings, problems, outcome) = (settings.clone(), problems.clone(), outcome.clone());
        let (on_saved, toast) = (props.on_saved.clone(), toast.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if matches!(*outcome, Outcome::Busy(_)) {
                return;
            }
            let request = (*settings).clone();
            let (problems, outcome, on_saved, toast, refused) =
                (problems.clone(), outcome.clone(), on_saved.clone(), toast.clone(), refused.clone());
            outcome.set(Outcome::Busy("Saving…"));
            spawn_local(async move {
                match ipc::save_connection(&request).await {
                    Ok(state) => {
                        problems.set(Problems::default());
                        toast.success(match state.password_storage {
                            Some(PasswordStorage::Keychain) => {
                                "Connection saved; its password is in your system's keychain."
                            }
                            Some(PasswordStorage::SettingsFile) => {
                                "Connection saved. No keychain answered, so its password is in Digital Hub's \
                                 settings file, readable only by your account."
                            }
                            _ => "Connection saved.",
                        });
                        on_saved.emit(());
                    }
                    Err(error) => {
                        refused(&error);
                        outcome.set(Outcome::None);
                    }
                }
            });
        })
    };
    let busy = match *outcome {
        Outcome::Busy(label) => Some(label),
        _ => None,
    };
    html! {
        <form class="login connect" {onsubmit} novalidate=true aria-labelledby="connect-title">
            { brand() }
            <h1 id="connect-title">{ "Connect to the database" }</h1>
            <p class="login__intro">
                { if props.first_run {
                    "Digital Hub keeps everything in your school's PostgreSQL database. Where is it?"
                } else {
                    "Change the PostgreSQL database this app works with."
                } }
            </p>
            <div class="form-grid form-grid--server">
                <TextField id="host" label="Server" value={settings.host.clone()} required=true
                    oninput={edit(|settings, value| settings.host = value)} error={problems.field("host")}
                    placeholder="db.school.example" />
                <TextField id="port" label="Port" value={settings.port.clone()} required=true input_type="text"
                    oninput={edit(|settings, value| settings.port = value)} error={problems.field("port")} />
            </div>
            <TextField id="database" label="Database" value={settings.database.clone()} required=true
                oninput={edit(|settings, value| settings.database = value)} error={problems.field("database")} />
            <div class="form-grid">
                <TextField id="user" label="User" value={settings.user.clone()} required=true autocomplete="username"
                    oninput={edit(|settings, value| settings.user = value)} error={problems.field("user")} />
                <TextField id="password" label="Password" value={settings.password.clone()} input_type="password"
                    autocomplete="current-password" oninput={edit(|settings, value| settings.password = value)}
                    error={problems.field("password")}
                    hint={AttrValue::from(if props.saved.is_some() { "Enter it again to change the connection." } else { "Kept in your system's keychain, where it has one." })} />
            </div>
            if let Some(message) = &problems.general {
                <p class="alert" role="alert" id="connect-error">{ message }</p>
            }
            if let Outcome::Tested(check) = &*outcome {
                <p class={classes!("notice", if check.schema.state == SchemaState::Current { "notice--ok" } else { "notice--warn" })}
                    role="status" id="connect-result">{ schema_note(check) }</p>
            }
            <div class="connect__actions">
                if let Some(cancel) = &props.on_cancel {
                    <button class="button button--quiet" type="button" onclick={cancel.reform(|_: MouseEvent| ())}>
                        { "Cancel" }
                    </button>
                }
                <button class="button button--quiet" type="button" onclick={test} disabled={busy.is_some()}
                    data-testid="test-connection">
                    { if busy == Some("Testing…") { "Testing…" } else { "Test connection" } }
                </button>
                <button class="button button--primary button--inline" type="submit" disabled={busy.is_some()}
                    data-testid="save-connection">
                    { if busy == Some("Saving…") { "Saving…" } else { "Save and continue" } }
                </button>
            </div>
        </form>
    }
}
