//! The app's frame: the first-run screen that asks for the hub, sign-in or the signed-in
//! shell, above the status line, with toasts.

use crate::components::status_line::StatusLine;
use crate::components::toast::ToastProvider;
use crate::ipc;
use crate::pages::connect::Connect;
use crate::pages::login::Login;
use crate::session::{Action, Session, SessionContext};
use crate::shell::Shell;
use hub_model::connection::ConnectionSource;
use hub_model::{desktop, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Asks the shell who is signed in (it keeps the session across starts, and the hub confirms it).
fn check_session(session: SessionContext) {
    spawn_local(async move {
        match ipc::shell::<desktop::CurrentSession>(&NoRequest {}).await {
            Ok(Some(signed_in)) => session.dispatch(Action::SignedIn(signed_in)),
            // Nobody signed in, or no hub: the sign-in screen (and the status line) say which.
            Ok(None) | Err(_) => session.dispatch(Action::SignedOut),
        }
    });
}

#[function_component(App)]
pub fn app() -> Html {
    let session = use_reducer(|| Session::Checking);
    // Where the hub's address comes from; only a saved one can be changed here.
    let source = use_state(|| None::<ConnectionSource>);
    // Bumped when the app switches hubs: the status line checks again.
    let revision = use_state(|| 0_u32);
    {
        let (session, source) = (session.clone(), source.clone());
        use_effect_with((), move |()| {
            // Whenever the hub says the session is gone, back to the sign-in screen.
            let ended = session.clone();
            ipc::on_signed_out(Callback::from(move |()| ended.dispatch(Action::SessionEnded)));
            // The theme arrives when it arrives; it does not hold up the first screen.
            spawn_local(crate::theme::refresh());
            spawn_local(async move {
                match ipc::shell::<desktop::HubState>(&NoRequest {}).await {
                    Ok(state) if state.source == ConnectionSource::None => {
                        source.set(Some(state.source));
                        session.dispatch(Action::Connect { first_run: true });
                    }
                    Ok(state) => {
                        source.set(Some(state.source));
                        check_session(session);
                    }
                    Err(_) => check_session(session),
                }
            });
        });
    }
    let connected = {
        let (session, source, revision) = (session.clone(), source.clone(), revision.clone());
        Callback::from(move |()| {
            source.set(Some(ConnectionSource::Saved));
            revision.set(*revision + 1);
            spawn_local(crate::theme::refresh());
            session.dispatch(Action::SignedOut);
        })
    };
    let change_connection = (*source != Some(ConnectionSource::Environment)).then(|| {
        let session = session.clone();
        Callback::from(move |()| session.dispatch(Action::Connect { first_run: false }))
    });
    // Each person starts with no toasts: none of the previous one's notes carry over.
    let toasts_of = match &*session {
        Session::SignedIn { user, .. } => user.id,
        _ => 0,
    };
    let screen = match &*session {
        Session::Checking => html! { <main class="app__main" aria-busy="true"></main> },
        Session::Connect { first_run } => {
            let on_cancel = (!*first_run).then(|| {
                let session = session.clone();
                Callback::from(move |()| session.dispatch(Action::SignedOut))
            });
            html! {
                <main class="app__main app__main--center">
                    <Connect first_run={*first_run} on_saved={connected} {on_cancel} />
                </main>
            }
        }
        Session::SignedOut { ended, .. } => html! {
            <main class="app__main app__main--center">
                <Login on_change_connection={change_connection} session_ended={*ended} />
            </main>
        },
        Session::SignedIn { .. } => html! { <Shell /> },
    };
    let offline = matches!(&*session, Session::SignedIn { offline: true, .. });
    html! {
        <ContextProvider<SessionContext> context={session}>
            <ToastProvider key={toasts_of}>
                <div class="app">
                    { screen }
                    <StatusLine revision={*revision} {offline} />
                </div>
            </ToastProvider>
        </ContextProvider<SessionContext>>
    }
}
