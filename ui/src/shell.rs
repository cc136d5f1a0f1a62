//! The signed-in frame: sidebar for the current view, top bar with the role switcher, the
//! person and sign-out, and the page the sidebar chose. Signed in on this computer only
//! (the hub out of reach), it opens offline attendance alone, says so, and offers the online
//! sign-in as soon as the hub answers again.

use crate::components::form::{sentence, TextField};
use crate::ipc;
use crate::pages::activity::Activity;
use crate::pages::announcements::Announcements;
use crate::pages::applications::Applications;
use crate::pages::attendance::Attendance;
use crate::pages::calendar::Calendar;
use crate::pages::checkin::CheckinScreen;
use crate::pages::cohorts::CohortPage;
use crate::pages::cohorts::Cohorts;
use crate::pages::events::Events;
use crate::pages::forms::Forms;
use crate::pages::home::Home;
use crate::pages::inbox::Inbox;
use crate::pages::mail::Mail;
use crate::pages::my_profile::MyProfile;
use crate::pages::programs::Programs;
use crate::pages::reports::Reports;
use crate::pages::users::Users;
use crate::pages::website::Website;
use crate::session::{use_session, Action, Page, Session, View};
use hub_model::auth::{CurrentUser, LoginRequest};
use hub_model::{desktop, ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(Shell)]
pub fn shell() -> Html {
    let session = use_session();
    let Session::SignedIn { user, view, page, offline } = &*session else {
        return html! {};
    };
    let views = if *offline { Vec::new() } else { View::allowed(user) };
    let pages = if *offline { Page::OFFLINE } else { Page::in_view(*view) };
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            spawn_local(async move {
                // Signed out here whatever the hub says: the shell forgets the session.
                let _ = ipc::shell::<desktop::SignOut>(&NoRequest {}).await;
                session.dispatch(Action::SignedOut);
            });
        })
    };

    html! {
        <div class="shell">
            <nav class="sidebar" aria-label="Main">
                <div class="sidebar__brand">
                    <span class="sidebar__logo" aria-hidden="true"></span>{ "Digital Hub" }
                </div>
                <div class="sidebar__section">
                    { if *offline { "On this computer" } else { view.map_or("Your account", View::label) } }
                </div>
                { for pages.iter().map(|&item| {
                    let current = item == page.section();
                    let onclick = {
                        let session = session.clone();
                        Callback::from(move |event: MouseEvent| {
                            event.prevent_default();
                            session.dispatch(Action::Go(item));
                        })
                    };
                    html! {
                        <a class={classes!("sidebar__item", current.then_some("sidebar__item--active"))}
                            href="#" aria-current={current.then_some("page")} {onclick}
                            data-testid={format!("nav-{}", item.label().to_lowercase().replace(' ', "-"))}>
                            { item.label() }
                            if item == Page::Inbox { <NewMessages current={current} /> }
                            if item == Page::Attendance { <SyncMark /> }
                        </a>
                    }
                }) }
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
                if *offline { <OfflineBanner user={user.clone()} /> }
                <main class="content">
                    { match page {
                        Page::Home => html! { <Home /> },
                        Page::Users => html! { <Users /> },
                        Page::Programs => html! { <Programs /> },
                        Page::Cohorts { program } => html! { <Cohorts key={program.map_or(0, |id| id)} {program} /> },
                        Page::Cohort(id) => html! { <CohortPage id={*id} /> },
                        Page::Events => html! { <Events /> },
                        Page::Announcements => html! { <Announcements /> },
                        Page::Applications => html! { <Applications /> },
                        Page::Forms => html! { <Forms /> },
                        Page::Attendance => html! { <Attendance /> },
                        Page::Checkin(id) => html! { <CheckinScreen key={*id} session_id={*id} /> },
                        Page::Calendar => html! { <Calendar /> },
                        Page::Reports => html! { <Reports /> },
                        Page::Website => html! { <Website /> },
                        Page::Inbox => html! { <Inbox /> },
                        Page::Mail => html! { <Mail /> },
                        Page::Activity => html! { <Activity /> },
                        Page::MyProfile => html! { <MyProfile /> },
                    } }
                </main>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewMessagesProps {
    /// The inbox is showing: counted again when it opens or closes.
    current: bool,
}

/// How many contact messages wait, beside the Inbox link.
#[function_component(NewMessages)]
fn new_messages(props: &NewMessagesProps) -> Html {
    let count = ipc::use_call::<ops::CountNewMessages>(NoRequest {});
    let again = count.reload();
    use_effect_with(props.current, move |_| again.emit(()));
    match &*count {
        Some(Ok(new)) if new.count > 0 => html! {
            <span class="sidebar__count" data-testid="new-messages" aria-label={format!("{} new", new.count)}>{ new.count }</span>
        },
        _ => html! {},
    }
}

/// Beside the Attendance link, wherever the instructor is: marks still waiting to sync, and
/// whether the database answers.
#[function_component(SyncMark)]
fn sync_mark() -> Html {
    let state = crate::components::hooks::use_sync_state(std::time::Duration::from_secs(5));
    let Some(sync) = &*state else { return html! {} };
    let offline = !sync.online && sync.last_error.is_some();
    let problems = sync.rejected.len();
    let label = match (offline, sync.waiting, problems) {
        (_, _, n) if n > 0 => format!("{} not accepted", hub_model::words::count(n, "mark", "marks")),
        (true, 0, _) => "Offline".to_owned(),
        (true, n, _) => format!("Offline, {n} waiting to sync"),
        (false, 0, _) => return html! {},
        (false, n, _) => format!("{n} waiting to sync"),
    };
    html! {
        <span class={classes!("sidebar__count", (offline || problems > 0).then_some("sidebar__count--warn"))}
            data-testid="sync-mark" aria-label={label.clone()} title={label}>
            { if problems > 0 { "!".to_owned() } else if sync.waiting > 0 { sync.waiting.to_string() } else { "offline".to_owned() } }
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct OfflineBannerProps {
    user: CurrentUser,
}

/// Across the top of an offline sign-in: what works, and — once the hub answers again — the
/// online sign-in that lets the marks go.
#[function_component(OfflineBanner)]
fn offline_banner(props: &OfflineBannerProps) -> Html {
    let session = use_session();
    let state = crate::components::hooks::use_sync_state(std::time::Duration::from_secs(3));
    let password = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let hub_back = state.as_ref().is_some_and(|sync| sync.online);
    let onsubmit = {
        let (password, problem, busy) = (password.clone(), problem.clone(), busy.clone());
        let identifier = props.user.email.clone().or_else(|| props.user.phone.clone()).unwrap_or_default();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request =
                LoginRequest { identifier: identifier.clone(), password: (*password).clone(), device: None };
            let (session, problem, busy) = (session.clone(), problem.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                match ipc::shell::<desktop::SignIn>(&request).await {
                    Ok(signed_in) if !signed_in.offline => session.dispatch(Action::SignedIn(signed_in)),
                    Ok(_) => problem
                        .set(Some("The hub went out of reach again; try again in a moment.".to_owned())),
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="offline-banner" role="status" data-testid="offline-banner">
            if hub_back {
                <form class="offline-banner__sign-in" {onsubmit} novalidate=true>
                    <p><strong>{ "The hub answers again." }</strong>{ " Sign in online to send the marks kept on this computer and open the whole app." }</p>
                    <TextField id="online-password" label="Password" input_type="password" value={(*password).clone()}
                        oninput={{ let password = password.clone(); Callback::from(move |value: String| password.set(value)) }}
                        autocomplete="current-password" error={(*problem).clone()} />
                    <button class="button button--primary" type="submit" disabled={*busy} data-testid="sign-in-online">
                        { if *busy { "Signing in…" } else { "Sign in online" } }
                    </button>
                </form>
            } else {
                <p>
                    <strong>{ "Signed in on this computer only" }</strong>
                    { " — the hub cannot be reached. Only attendance is open: marks are kept on this computer and sent once you sign in online." }
                </p>
            }
        </section>
    }
}
