//! The status line along the window's bottom edge: version and database state, always
//! visible, and a newer release to install when the release feed has one.

use crate::ipc;
use hub_model::app::{AppInfoResponse, SchemaState};
use hub_model::{ops, ApiError, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Check {
    Loading,
    Done(AppInfoResponse),
    Failed(ApiError),
}

/// A newer release of the app, as far as this run knows.
#[derive(Clone, PartialEq)]
enum Update {
    Unknown,
    Available(hub_model::app::AvailableUpdate),
    Installing(String),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    /// Changes when the app switches databases: the line checks again.
    pub revision: u32,
}

#[function_component(StatusLine)]
pub fn status_line(props: &StatusLineProps) -> Html {
    let check = use_state(|| Check::Loading);
    let refresh = {
        let check = check.clone();
        Callback::from(move |_: ()| {
            let check = check.clone();
            check.set(Check::Loading);
            spawn_local(async move {
                check.set(match ipc::call::<ops::AppInfo>(&NoRequest {}).await {
                    Ok(info) => Check::Done(info),
                    Err(error) => Check::Failed(error),
                });
            });
        })
    };
    {
        let refresh = refresh.clone();
        use_effect_with(props.revision, move |_| refresh.emit(()));
    }
    let retry = {
        let refresh = refresh.clone();
        Callback::from(move |_: MouseEvent| refresh.emit(()))
    };

    let (dot, text, problem) = match &*check {
        Check::Loading => ("dot", "Checking the database…".to_owned(), None),
        Check::Failed(error) => {
            ("dot dot--bad", "Database unavailable".to_owned(), Some(error.message.clone()))
        }
        Check::Done(info) => match (&info.database.schema, info.database.reachable) {
            (Some(schema), true) if schema.state == SchemaState::Current => (
                "dot dot--ok",
                format!("Database reachable · schema {}", schema.applied.unwrap_or_default()),
                None,
            ),
            (_, true) => {
                ("dot dot--warn", "Database needs attention".to_owned(), info.database.problem.clone())
            }
            (_, false) => ("dot dot--bad", "Database unreachable".to_owned(), info.database.problem.clone()),
        },
    };
    let version = match &*check {
        Check::Done(info) => info.version.clone(),
        _ => env!("CARGO_PKG_VERSION").to_owned(),
    };
    let show_retry = !matches!(&*check, Check::Loading) && problem.is_some();
    let update = use_state(|| Update::Unknown);
    {
        // Once per start: is there a newer release? (A build without a release feed says no.)
        let update = update.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                if let Ok(Some(available)) = ipc::update_check().await {
                    update.set(Update::Available(available));
                }
            });
        });
    }
    let install = {
        let update = update.clone();
        Callback::from(move |_: MouseEvent| {
            let Update::Available(available) = (*update).clone() else { return };
            let update = update.clone();
            update.set(Update::Installing(available.version.clone()));
            spawn_local(async move {
                // On success the app restarts into the new version; only a failure comes back.
                if let Err(error) = ipc::update_install().await {
                    update.set(Update::Failed(error.message));
                }
            });
        })
    };

    html! {
        <footer class="status-line" role="status" aria-live="polite">
            <span class="status-line__db" data-testid="database-status">
                <span class={dot} aria-hidden="true"></span>
                <span>{ text }</span>
                if let Some(problem) = problem {
                    <span class="status-line__problem" title={problem.clone()}>{ format!("— {problem}") }</span>
                }
                if show_retry {
                    <button class="link-button" onclick={retry}>{ "Retry" }</button>
                }
            </span>
            <span class="status-line__spacer"></span>
            { match &*update {
                Update::Unknown => html! {},
                Update::Available(available) => html! {
                    <button class="link-button" onclick={install} data-testid="install-update"
                        title={available.notes.clone().unwrap_or_default()}>
                        { format!("Version {} is ready — install and restart", available.version) }
                    </button>
                },
                Update::Installing(version) => html! { <span aria-busy="true">{ format!("Installing {version}…") }</span> },
                Update::Failed(message) => html! { <span class="status-line__problem" title={message.clone()}>{ "The update failed" }</span> },
            } }
            <span data-testid="app-version">{ format!("Digital Hub {version}") }</span>
        </footer>
    }
}
