//! The app's frame: the first-run connection screen, sign-in or the signed-in shell,
//! above the status line, with toasts.

use crate::components::status_line::StatusLine;
use crate::components::toast::ToastProvider;
use crate::ipc;
use crate::pages::connect::Connect;
use crate::pages::login::Login;
use crate::pages::shell::Shell;
use crate::session::{Action, Session, SessionContext};
use hub_model::connection::ConnectionSource;
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

/// Asks the shell who is signed in (it keeps the session across reloads of the page).
fn check_session(session: SessionContext) {
    spawn_local(async move {
        match ipc::call::<ops::Me>(&NoRequest {}).await {
            Ok(user) => session.dispatch(Action::SignedIn(user)),
            // Nobody signed in, or no database: the sign-in screen (and the status line)
            // say which.
            Err(_) => session.dispatch(Action::SignedOut),
        }
    });
}

#[function_component(App)]
pub fn app() -> Html {
    let session = use_reducer(|| Session::Checking);
    // Where the database connection comes from; only a saved one can be changed here.
    let source = use_state(|| None::<ConnectionSource>);
    // Bumped when the app switches databases: the status line checks again.
    let revision = use_state(|| 0_u32);
    {
        let (session, source) = (session.clone(), source.clone());
        use_effect_with((), move |()| {
            // Whenever a call finds the session gone, back to the sign-in screen.
            let signed_out = session.clone();
            ipc::on_signed_out(Callback::from(move |()| signed_out.dispatch(Action::SignedOut)));
            // The theme arrives when it arrives; it does not hold up the first screen.
            spawn_local(crate::theme::refresh());
            spawn_local(async move {
                match ipc::connection_state().await {
                    Ok(state) if state.source == ConnectionSource::None => {
                        source.set(Some(state.source));
                        session.dispatch(Action::Connect { first_run: true, saved: None });
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
            session.dispatch(Action::SignedOut);
        })
    };
    let change_connection = (*source != Some(ConnectionSource::Environment)).then(|| {
        let session = session.clone();
        Callback::from(move |()| {
            let session = session.clone();
            spawn_local(async move {
                let saved = ipc::connection_state().await.ok().and_then(|state| state.saved);
                session.dispatch(Action::Connect { first_run: false, saved });
            });
        })
    });
    // Each person starts with no toasts: none of the previous one's notes carry over.
    let toasts_of = match &*session {
        Session::SignedIn { user, .. } => user.id,
        _ => 0,
    };
    let screen = match &*session {
        Session::Checking => html! { <main class="app__main" aria-busy="true"></main> },
        Session::Connect { first_run, saved } => {
            let on_cancel = (!*first_run).then(|| {
                let session = session.clone();
                Callback::from(move |()| session.dispatch(Action::SignedOut))
            });
            html! {
                <main class="app__main app__main--center">
                    <Connect first_run={*first_run} saved={saved.clone()} on_saved={connected} {on_cancel} />
                </main>
            }
        }
        Session::SignedOut => html! {
            <main class="app__main app__main--center"><Login on_change_connection={change_connection} /></main>
        },
        Session::SignedIn { .. } => html! { <Shell /> },
    };
    html! {
        <ContextProvider<SessionContext> context={session}>
            <ToastProvider key={toasts_of}>
                <div class="app">
                    { screen }
                    <StatusLine revision={*revision} />
                </div>
            </ToastProvider>
        </ContextProvider<SessionContext>>
    }
}
