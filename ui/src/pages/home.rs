//! The first page after sign-in: a greeting for the view, and where to go from here.

use crate::components::badge::{Badge, BadgeTone};
use crate::ipc;
use crate::session::{use_session, Action, Page, Session, View};
use hub_model::announcements::MarkRead;
use hub_model::ops;
use yew::platform::spawn_local;
use yew::prelude::*;

/// The announcements meant for the signed-in person, newest first, unread marked.
#[function_component(Feed)]
fn feed() -> Html {
    let (items, reload) = ipc::use_operation::<ops::AnnouncementFeed>();
    let items = match &*items {
        None => {
            return html! { <section class="panel feed" aria-busy="true"><h2>{ "Announcements" }</h2></section> }
        }
        Some(Err(message)) => return html! { <p class="alert" role="alert">{ message }</p> },
        Some(Ok(items)) => items.clone(),
    };
    let unread: Vec<i64> = items.iter().filter(|item| !item.is_read).map(|item| item.id).collect();
    let mark_all = {
        let (unread, reload) = (unread.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (ids, reload) = (unread.clone(), reload.clone());
            spawn_local(async move {
                if ipc::call::<ops::MarkAnnouncementsRead>(&MarkRead { ids }).await.is_ok() {
                    reload.emit(());
                }
            });
        })
    };
    html! {
        <section class="panel feed" aria-labelledby="feed-title" data-testid="feed">
            <div class="feed__header">
                <h2 id="feed-title">{ "Announcements" }</h2>
                if !unread.is_empty() {
                    <Badge text={format!("{} unread", unread.len())} tone={BadgeTone::Primary} />
                    <button class="button button--quiet button--small" onclick={mark_all}>{ "Mark all read" }</button>
                }
            </div>
            if items.is_empty() {
                <p class="muted">{ "Nothing yet. News from the hub and your cohorts will appear here." }</p>
            }
            <ul class="feed__list">
                { for items.iter().take(10).map(|item| html! {
                    <li class={classes!("feed__item", (!item.is_read).then_some("feed__item--unread"))} key={item.id}>
                        <div class="feed__meta">
                            <strong>{ &item.title }</strong>
                            if let Some(cohort) = &item.cohort_name { <Badge text={cohort.clone()} /> }
                            <span class="muted">{ item.published_at.with_timezone(&chrono::Local).format("%-d %b %Y").to_string() }</span>
                        </div>
                        <p>{ &item.body }</p>
                    </li>
                }) }
            </ul>
        </section>
    }
}

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
            <Feed />
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
