//! The first page after sign-in: a greeting for the view, and where to go from here.

use crate::session::{use_session, Action, Page, Session, View};
use yew::prelude::*;

#[function_component(Home)]
pub fn home() -> Html {
    let session = use_session();
    let Session::SignedIn { user, view, .. } = &*session else {
        return html! {};
    };
    let first_name = user.full_name.split_whitespace().next().unwrap_or(&user.full_name).to_owned();
    let go = |page: Page| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(page)))
    };
    let lead = match view {
        Some(View::Admin) => "You are in the administration view: people, programs and the website.",
        Some(View::Instructor) => "You are in the teaching view: your cohorts, sessions and attendance.",
        Some(View::Student) => "You are in the learning view: your cohort, calendar and announcements.",
        None => "Your account has no role yet. An administrator can give you one.",
    };
    html! {
        <>
            <h1 data-testid="view-title">{ format!("Welcome, {first_name}") }</h1>
            <p class="content__lead">{ lead }</p>
            <div class="cards">
                if *view == Some(View::Admin) {
                    <button class="card" onclick={go(Page::Users)}>
                        <span class="card__title">{ "Users" }</span>
                        <span class="card__text">{ "Create accounts, grant roles, reset passwords." }</span>
                    </button>
                }
                <button class="card" onclick={go(Page::MyProfile)}>
                    <span class="card__title">{ "My profile" }</span>
                    <span class="card__text">{ "Your name, photo, bio and links; your password." }</span>
                </button>
            </div>
        </>
    }
}
