//! The signed-in frame: sidebar for the current view, top bar with the role switcher, the
//! person and sign-out, and the view's content.

use crate::ipc;
use crate::session::{use_session, Action, Session, View};
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(Shell)]
pub fn shell() -> Html {
    let session = use_session();
    let Session::SignedIn { user, view } = &*session else {
        return html! {};
    };
    let views = View::allowed(user);
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            spawn_local(async move {
                // Signed out locally whatever the shell says: the next call would refuse anyway.
                let _ = ipc::logout().await;
                session.dispatch(Action::SignedOut);
            });
        })
    };
    let first_name = user.full_name.split_whitespace().next().unwrap_or(&user.full_name).to_owned();

    html! {
        <div class="shell">
            <nav class="sidebar" aria-label="Main">
                <div class="sidebar__brand">{ "Digital Hub" }</div>
                if let Some(view) = view {
                    <div class="sidebar__section">{ view.label() }</div>
                    <a class="sidebar__item sidebar__item--active" href="#" aria-current="page">{ "Home" }</a>
                }
            </nav>
            <div class="shell__body">
                <header class="topbar">
                    if views.len() > 1 {
                        <div class="switcher" role="group" aria-label="View">
                            { for views.iter().map(|&option| {
                                let session = session.clone();
                                let pressed = Some(option) == *view;
                                html! {
                                    <button class={classes!("switcher__option", pressed.then_some("switcher__option--on"))}
                                        aria-pressed={pressed.to_string()}
                                        onclick={Callback::from(move |_| session.dispatch(Action::Switch(option)))}>
                                        { option.label() }
                                    </button>
                                }
                            }) }
                        </div>
                    }
                    <span class="topbar__spacer"></span>
                    <span class="topbar__user" data-testid="signed-in-user">{ &user.full_name }</span>
                    <button class="button button--quiet" onclick={sign_out}>{ "Sign out" }</button>
                </header>
                <main class="content">
                    <h1 data-testid="view-title">{ format!("Welcome, {first_name}") }</h1>
                    { match view {
                        Some(view) => html! {
                            <p class="content__lead">{ format!("You are in the {} view.", view.label().to_lowercase()) }</p>
                        },
                        None => html! {
                            <p class="content__lead">{ "Your account has no role yet. An administrator can give you one." }</p>
                        },
                    } }
                </main>
            </div>
        </div>
    }
}
