//! The status line along the window's bottom edge: the app's version and whether the hub
//! (and its database) answers, always visible, and a newer release to install when the
//! release feed has one.

use crate::ipc;
use hub_model::app::{AppInfoResponse, SchemaState};
use hub_model::{desktop, ops, ApiError, NoRequest};
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
    /// Changes when the app switches hubs: the line checks again.
    pub revision: u32,
    /// Signed in on this computer only.
    #[prop_or_default]
    pub offline: bool,
}

/// How often the line asks again on its own, so a hub that went away (or came back) shows:
/// often while something is wrong, now and then while all is well.
const WHILE_WRONG: std::time::Duration = std::time::Duration::from_secs(5);
const WHILE_WELL: std::time::Duration = std::time::Duration::from_secs(15);

#[function_component(StatusLine)]
pub fn status_line(props: &StatusLineProps) -> Html {
    let check = use_state(|| Check::Loading);
    // Whether the last answer was all well: how soon to ask again.
    let well = use_mut_ref(|| false);
    // Asks the hub; `loudly` says "Checking…" meanwhile (a retry), else the line keeps what
    // it shows until the answer comes.
    let refresh = {
        let (check, well) = (check.clone(), well.clone());
        Callback::from(move |loudly: bool| {
            let (check, well) = (check.clone(), well.clone());
            if loudly {
                check.set(Check::Loading);
            }
            spawn_local(async move {
                let answer = ipc::call::<ops::AppInfo>(&NoRequest {}).await;
                *well.borrow_mut() =
                    matches!(&answer, Ok(info) if info.database.reachable && info.database.problem.is_none());
                check.set(match answer {
                    Ok(info) => Check::Done(info),
                    Err(error) => Check::Failed(error),
                });
            });
        })
    };
    {
        let (refresh, well) = (refresh.clone(), well.clone());
        use_effect_with(props.revision, move |_| {
            refresh.emit(true);
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                loop {
                    let pause = if *well.borrow() { WHILE_WELL } else { WHILE_WRONG };
                    yew::platform::time::sleep(pause).await;
                    if !running.get() {
                        break;
                    }
                    refresh.emit(false);
                }
            });
            move || alive.set(false)
        });
    }
    let retry = {
        let refresh = refresh.clone();
        Callback::from(move |_: MouseEvent| refresh.emit(true))
    };

    let (dot, text, problem) = match &*check {
        Check::Loading => ("dot", "Checking the hub…".to_owned(), None),
        Check::Failed(error) => ("dot dot--bad", "Hub unreachable".to_owned(), Some(error.message.clone())),
        Check::Done(info) => match (&info.database.schema, info.database.reachable) {
            (Some(schema), true) if schema.state == SchemaState::Current => (
                "dot dot--ok",
                format!("Hub reachable · schema {}", schema.applied.unwrap_or_default()),
                None,
            ),
            (_, true) => {
                ("dot dot--warn", "The hub needs attention".to_owned(), info.database.problem.clone())
            }
            (_, false) => (
                "dot dot--bad",
                "The hub's database is unreachable".to_owned(),
                info.database.problem.clone(),
            ),
        },
    };
    let text = if props.offline { format!("Signed in on this computer only · {text}") } else { text };
    let version = env!("CARGO_PKG_VERSION");
    let show_retry = !matches!(&*check, Check::Loading) && problem.is_some();
    let update = use_state(|| Update::Unknown);
    {
        // Once per start: is there a newer release? (A build without a release feed says no.)
        let update = update.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                if let Ok(Some(available)) = ipc::shell::<desktop::UpdateCheck>(&NoRequest {}).await {
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
                if let Err(error) = ipc::shell::<desktop::UpdateInstall>(&NoRequest {}).await {
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
