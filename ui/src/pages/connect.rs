//! The first-run screen: which hub this app works with. The hub is asked before its address
//! is saved; a school whose hub has a certificate of its own points the app at its CA
//! certificate. Nothing else is kept: no database, no password.

use crate::components::form::{brand, focus_id, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::app::SchemaState;
use hub_model::connection::{ConnectionCheck, HubSettings};
use hub_model::{desktop, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

const FIELDS: [&str; 2] = ["address", "ca_certificate_path"];

#[derive(Properties, PartialEq)]
pub struct ConnectProps {
    pub first_run: bool,
    pub on_saved: Callback<()>,
    /// Back to sign-in without changing anything; `None` on first run.
    pub on_cancel: Option<Callback<()>>,
}

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Busy(&'static str),
    Checked(ConnectionCheck),
}

fn health_note(check: &ConnectionCheck) -> String {
    let version = &check.health.version;
    match check.health.schema.as_ref().map(|schema| schema.state) {
        Some(SchemaState::Current) | None => {
            format!("{} answers: Digital Hub {version}, ready.", check.address)
        }
        Some(SchemaState::Behind) => format!(
            "{} answers (Digital Hub {version}), but its database is not up to date yet: its operator runs \
             `hubctl migrate`.",
            check.address
        ),
        Some(SchemaState::Ahead) => format!(
            "{} answers, but with a newer Digital Hub than this app ({version}): it can read, not change; update \
             this app.",
            check.address
        ),
    }
}

#[function_component(Connect)]
pub fn connect(props: &ConnectProps) -> Html {
    let toast = use_toast();
    let settings = use_state(HubSettings::default);
    let problems = use_state(Problems::default);
    let outcome = use_state(|| Outcome::None);
    {
        // Changing the hub starts from the one in use.
        let settings = settings.clone();
        use_effect_with((), move |()| {
            focus_id("address");
            spawn_local(async move {
                if let Ok(state) = ipc::shell::<desktop::HubState>(&NoRequest {}).await {
                    if let Some(address) = state.address {
                        settings.set(HubSettings {
                            address: address.to_string(),
                            ca_certificate_path: state.ca_certificate_path.unwrap_or_default(),
                        });
                    }
                }
            });
        });
    }
    let edit = |update: fn(&mut HubSettings, String)| {
        let (settings, outcome) = (settings.clone(), outcome.clone());
        Callback::from(move |value: String| {
            let mut next = (*settings).clone();
            update(&mut next, value);
            settings.set(next);
            // A result about another address no longer applies.
            if matches!(*outcome, Outcome::Checked(_)) {
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
    let check = {
        let (settings, problems, outcome, refused) =
            (settings.clone(), problems.clone(), outcome.clone(), refused.clone());
        Callback::from(move |_: MouseEvent| {
            if matches!(*outcome, Outcome::Busy(_)) {
                return;
            }
            let request = (*settings).clone();
            let (problems, outcome, refused) = (problems.clone(), outcome.clone(), refused.clone());
            outcome.set(Outcome::Busy("Checking…"));
            spawn_local(async move {
                match ipc::shell::<desktop::HubCheck>(&request).await {
                    Ok(check) => {
                        problems.set(Problems::default());
                        outcome.set(Outcome::Checked(check));
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
                match ipc::shell::<desktop::HubSave>(&request).await {
                    Ok(state) => {
                        problems.set(Problems::default());
                        let address = state.address.map(|address| address.to_string()).unwrap_or_default();
                        toast.success(format!("This app now works with the hub at {address}."));
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
            <h1 id="connect-title">{ "Connect to your hub" }</h1>
            <p class="login__intro">
                { if props.first_run {
                    "Digital Hub works with your school's hub server. What is its address? Your school's administrator can tell you."
                } else {
                    "Change the hub this app works with. Whoever is signed in is signed out."
                } }
            </p>
            <TextField id="address" label="Hub address" value={settings.address.clone()} required=true
                oninput={edit(|settings, value| settings.address = value)} error={problems.field("address")}
                placeholder="https://hub.example.org" autocomplete="url"
                hint={AttrValue::Static("Starts with https:// (plain http:// only for a hub on this computer).")} />
            <TextField id="ca_certificate_path" label="CA certificate (optional)" value={settings.ca_certificate_path.clone()}
                oninput={edit(|settings, value| settings.ca_certificate_path = value)} error={problems.field("ca_certificate_path")}
                placeholder="/path/to/school-ca.pem"
                hint={AttrValue::Static("Only for a hub with a certificate of your school's own: the file of the authority that signed it.")} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert" id="connect-error">{ message }</p>
            }
            if let Outcome::Checked(check) = &*outcome {
                <p class={classes!("notice", if check.health.schema.as_ref().is_none_or(|schema| schema.state == SchemaState::Current) { "notice--ok" } else { "notice--warn" })}
                    role="status" id="connect-result">{ health_note(check) }</p>
            }
            <div class="connect__actions">
                if let Some(cancel) = &props.on_cancel {
                    <button class="button button--quiet" type="button" onclick={cancel.reform(|_: MouseEvent| ())}>
                        { "Cancel" }
                    </button>
                }
                <button class="button button--quiet" type="button" onclick={check} disabled={busy.is_some()}
                    data-testid="test-connection">
                    { if busy == Some("Checking…") { "Checking…" } else { "Check" } }
                </button>
                <button class="button button--primary button--inline" type="submit" disabled={busy.is_some()}
                    data-testid="save-connection">
                    { if busy == Some("Saving…") { "Saving…" } else { "Save and continue" } }
                </button>
            </div>
        </form>
    }
}
