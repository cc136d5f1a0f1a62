//! The app's frame: sign-in or the signed-in shell, above the status line.

use crate::components::status_line::StatusLine;
use crate::ipc;
use crate::pages::login::Login;
use crate::pages::shell::Shell;
use crate::session::{Action, Session, SessionContext};
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let session = use_reducer(|| Session::Checking);
    {
        // The shell keeps the session across reloads of the page: ask it who is signed in.
        let session = session.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                match ipc::me().await {
                    Ok(user) => session.dispatch(Action::SignedIn(user)),
                    // Nobody signed in, or no database: the sign-in screen (and the status
                    // line) say which.
                    Err(_) => session.dispatch(Action::SignedOut),
                }
            });
        });
    }
    let screen = match &*session {
        Session::Checking => html! { <main class="app__main" aria-busy="true"></main> },
        Session::SignedOut => html! { <main class="app__main app__main--center"><Login /></main> },
        Session::SignedIn { .. } => html! { <Shell /> },
    };
    html! {
        <ContextProvider<SessionContext> context={session}>
            <div class="app">
                { screen }
                <StatusLine />
            </div>
        </ContextProvider<SessionContext>>
    }
}
