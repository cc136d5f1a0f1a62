//! The app's frame: sign-in or the signed-in shell, above the status line, with toasts.

use crate::components::status_line::StatusLine;
use crate::components::toast::ToastProvider;
use crate::ipc;
use crate::pages::login::Login;
use crate::pages::shell::Shell;
use crate::session::{Action, Session, SessionContext};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let session = use_reducer(|| Session::Checking);
    {
        // The shell keeps the session across reloads of the page: ask it who is signed in.
        // Whenever a call later finds the session gone, back to the sign-in screen.
        let session = session.clone();
        use_effect_with((), move |()| {
            let signed_out = session.clone();
            ipc::on_signed_out(Callback::from(move |()| signed_out.dispatch(Action::SignedOut)));
            spawn_local(async move {
                match ipc::call::<ops::Me>(&NoRequest {}).await {
                    Ok(user) => session.dispatch(Action::SignedIn(user)),
                    // Nobody signed in, or no database: the sign-in screen (and the status
                    // line) say which.
                    Err(_) => session.dispatch(Action::SignedOut),
                }
            });
        });
    }
    // Each person starts with no toasts: none of the previous one's notes carry over.
    let toasts_of = match &*session {
        Session::SignedIn { user, .. } => user.id,
        _ => 0,
    };
    let screen = match &*session {
        Session::Checking => html! { <main class="app__main" aria-busy="true"></main> },
        Session::SignedOut => html! { <main class="app__main app__main--center"><Login /></main> },
        Session::SignedIn { .. } => html! { <Shell /> },
    };
    html! {
        <ContextProvider<SessionContext> context={session}>
            <ToastProvider key={toasts_of}>
                <div class="app">
                    { screen }
                    <StatusLine />
                </div>
            </ToastProvider>
        </ContextProvider<SessionContext>>
    }
}
