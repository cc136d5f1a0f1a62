//! The first page after sign-in: a greeting for the view, and where to go from here.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::{alert, use_form, Checkbox, Problems, Select, TextField};
use crate::components::labels::cohort_status_badge;
use crate::components::toast::use_toast;
use crate::ipc;
use crate::pages::checkin::TodayCheckins;
use crate::panels::attendance_charts::AttendanceThisWeekPanel;
use crate::panels::attendance_record::MyAttendancePanel;
use crate::panels::mail_notice::MailNotice;
use crate::session::{use_session, Action, Page, Session, View};
use hub_model::announcements::{Audience, CreateAnnouncementRequest, MarkRead};
use hub_model::programs::{CohortStatus, MyCohort};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
struct FeedProps {
    /// Bumped when something new was posted from this screen: the feed asks again.
    version: u32,
}

/// The announcements meant for the signed-in person, newest first, unread marked.
#[function_component(Feed)]
fn feed(props: &FeedProps) -> Html {
    let items = ipc::use_call::<ops::AnnouncementFeed>(NoRequest {});
    let reload = items.reload();
    {
        let reload = reload.clone();
        use_effect_with(props.version, move |version| {
            if *version > 0 {
                reload.emit(());
            }
        });
    }
    let items = match &*items {
        None => {
            return html! { <section class="panel feed" aria-busy="true"><h2>{ "Announcements" }</h2></section> }
        }
        Some(Err(error)) => return alert(error),
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
    let posted = use_state(|| 0_u32);
    // Bumped when the student checks in: their attendance is read again.
    let checked_in = use_state(|| 0_u32);
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
            if *view == Some(View::Admin) { <MailNotice /><AttendanceThisWeekPanel /><Funnel /><PublicProfilesPanel /> }
            if *view == Some(View::Student) {
                <TodayCheckins on_checked_in={let checked_in = checked_in.clone(); Callback::from(move |()| checked_in.set(*checked_in + 1))} />
            }
            <Feed version={*posted} />
            if *view == Some(View::Student) { <MyAttendancePanel key={*checked_in} /> }
            if matches!(view, Some(View::Instructor | View::Student)) {
                <MyCohortsPanel teaching={*view == Some(View::Instructor)}
                    on_posted={let posted = posted.clone(); Callback::from(move |()| posted.set(*posted + 1))} />
            }
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

#[derive(Properties, PartialEq)]
struct MyCohortsProps {
    /// The teaching view: cohorts taught, and posting to their students.
    teaching: bool,
    on_posted: Callback<()>,
}

/// The cohorts the person teaches (teaching view) or studies in (learning view).
#[function_component(MyCohortsPanel)]
fn my_cohorts_panel(props: &MyCohortsProps) -> Html {
    let cohorts = ipc::use_call::<ops::MyCohorts>(NoRequest {});
    let cohorts: Vec<MyCohort> = match &*cohorts {
        Some(Ok(found)) => found
            .iter()
            .filter(|cohort| cohort.taking_part.is_studying() != props.teaching)
            .cloned()
            .collect(),
        Some(Err(error)) => return alert(error),
        None => {
            return html! { <section class="panel" aria-busy="true"><h2>{ "Your cohorts" }</h2></section> }
        }
    };
    let taught: Vec<MyCohort> =
        cohorts.iter().filter(|cohort| cohort.status != CohortStatus::Cancelled).cloned().collect();
    html! {
        <div class="detail-columns home-columns">
            <section class="panel" aria-labelledby="my-cohorts-title" data-testid="my-cohorts">
                <h2 id="my-cohorts-title">{ "Your cohorts" }</h2>
                if cohorts.is_empty() {
                    <p class="muted">{ if props.teaching { "You do not teach a cohort yet." } else { "You are not enrolled in a cohort yet." } }</p>
                }
                <ul class="people">
                    { for cohorts.iter().map(|cohort| html! {
                        <li class="people__item" key={format!("{}-{}", cohort.id, cohort.taking_part.is_studying())}>
                            <span>
                                <span class="table__strong">{ format!("{} — {}", cohort.program_title, cohort.name) }</span>
                                <span class="muted table__small">{ format!(" · {}", cohort_dates(cohort)) }</span>
                            </span>
                            <span class="badges">
                                { cohort_status_badge(cohort.status) }
                                <Badge text={cohort.taking_part.label()} />
                            </span>
                        </li>
                    }) }
                </ul>
            </section>
            if props.teaching && !taught.is_empty() {
                <PostToCohort cohorts={taught} on_posted={props.on_posted.clone()} />
            }
        </div>
    }
}

fn cohort_dates(cohort: &MyCohort) -> String {
    match (cohort.start_date, cohort.end_date) {
        (Some(start), Some(end)) => format!("{} – {}", start.format("%-d %b %Y"), end.format("%-d %b %Y")),
        (Some(start), None) => format!("from {}", start.format("%-d %b %Y")),
        _ => "dates to come".to_owned(),
    }
}

#[derive(Properties, PartialEq)]
struct PostProps {
    cohorts: Vec<MyCohort>,
    on_posted: Callback<()>,
}

#[derive(Clone, Default, PartialEq)]
struct Post {
    cohort_id: String,
    title: String,
    body: String,
    send_email: bool,
}

/// An instructor's note to the students of a cohort they teach.
#[function_component(PostToCohort)]
fn post_to_cohort(props: &PostProps) -> Html {
    let toast = use_toast();
    let first = props.cohorts.first().map(|cohort| cohort.id.to_string()).unwrap_or_default();
    let form = use_form(|| Post { cohort_id: first, ..Post::default() });
    let text = |update: fn(&mut Post, String)| form.field(update);
    let submit = {
        let (form, toast, on_posted) = (form.clone(), toast.clone(), props.on_posted.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = Problems::default();
            found.require("title", &form.title, "Enter a title.");
            found.require("body", &form.body, "Write what you want to tell them.");
            let cohort_id = form.cohort_id.parse::<i64>().unwrap_or_else(|_| {
                found.add("cohort_id", "Choose the cohort.");
                0
            });
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = CreateAnnouncementRequest {
                title: form.title.trim().to_owned(),
                body: form.body.trim().to_owned(),
                target_audience: Audience::Student,
                cohort_id,
                send_email: form.send_email,
            };
            let (toast, on_posted, cohort_id) = (toast.clone(), on_posted.clone(), form.cohort_id.clone());
            let work = async move { ipc::call::<ops::CreateAnnouncement>(&request).await };
            form.send(&["cohort_id", "title", "body"], work, move |posted| {
                toast.success(if posted.emailed_at.is_some() {
                    format!("“{}” is posted to your students, and emailed to them.", posted.title)
                } else {
                    format!("“{}” is posted to your students.", posted.title)
                });
                on_posted.emit(());
                Some(Post { cohort_id, ..Post::default() })
            });
        })
    };
    let options: Vec<(AttrValue, AttrValue)> = props
        .cohorts
        .iter()
        .map(|cohort| {
            (cohort.id.to_string().into(), format!("{} — {}", cohort.program_title, cohort.name).into())
        })
        .collect();
    html! {
        <section class="panel" aria-labelledby="post-title-heading" data-testid="post-to-cohort">
            <h2 id="post-title-heading">{ "Tell your students" }</h2>
            <form onsubmit={submit} novalidate=true>
                <Select id="cohort_id" label="Cohort" {options} value={form.cohort_id.clone()}
                    onchange={text(|form, value| form.cohort_id = value)} error={form.problems().field("cohort_id")} />
                <TextField id="title" label="Title" value={form.title.clone()}
                    oninput={text(|form, value| form.title = value)} error={form.problems().field("title")} />
                <TextField id="body" label="Message" multiline=true value={form.body.clone()}
                    oninput={text(|form, value| form.body = value)} error={form.problems().field("body")} />
                <Checkbox id="post-send-email" label="Also send by email" checked={form.send_email}
                    onchange={form.field(|form, value| form.send_email = value)} hint="To each of the cohort's students." />
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button class="button button--primary button--inline" type="submit" disabled={form.saving()}
                    data-testid="post-announcement">{ if form.saving() { "Posting…" } else { "Post to the cohort" } }</button>
            </form>
        </section>
    }
}

/// Applications per cohort as stacked bars: pending, approved, waitlisted, rejected.
#[function_component(Funnel)]
fn funnel() -> Html {
    let session = use_session();
    let rows = ipc::use_call::<ops::ApplicationFunnel>(NoRequest {});
    let rows = match &*rows {
        Some(Ok(rows)) => rows.clone(),
        Some(Err(error)) => return alert(error),
        None => {
            return html! { <section class="panel funnel" aria-busy="true"><h2>{ "Applications" }</h2></section> }
        }
    };
    let open = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::Applications)))
    };
    let widest = rows
        .iter()
        .map(|row| row.pending + row.approved + row.waitlisted + row.rejected)
        .max()
        .unwrap_or(0)
        .max(1);
    let parts = |row: &hub_model::applications::FunnelRow| {
        [
            ("pending", "Pending", row.pending),
            ("approved", "Approved", row.approved),
            ("waitlisted", "Waitlisted", row.waitlisted),
            ("rejected", "Rejected", row.rejected),
        ]
    };
    html! {
        <section class="panel funnel" aria-labelledby="funnel-title" data-testid="funnel">
            <div class="feed__header">
                <h2 id="funnel-title">{ "Applications by cohort" }</h2>
                <button class="button button--quiet button--small" onclick={open}>{ "Review applications" }</button>
            </div>
            if rows.is_empty() {
                <p class="muted">{ "No application yet. They arrive from the website's cohort pages." }</p>
            } else {
                <div class="funnel__legend" aria-hidden="true">
                    { for parts(&rows[0]).iter().map(|(class, label, _)| html! {
                        <span><span class={classes!("funnel__swatch", format!("funnel__part--{class}"))}></span>{ *label }</span>
                    }) }
                </div>
                <ul class="funnel__rows">
                    { for rows.iter().map(|row| {
                        let total = row.pending + row.approved + row.waitlisted + row.rejected;
                        let summary = parts(row).iter().map(|(_, label, count)| format!("{count} {}", label.to_lowercase())).collect::<Vec<_>>().join(", ");
                        html! {
                            <li class="funnel__row" key={row.cohort_id}>
                                <span class="funnel__label">
                                    <span class="table__strong">{ &row.cohort_name }</span>
                                    <span class="muted table__small">{ format!(" {}", row.program_title) }</span>
                                </span>
                                <span class="funnel__bar" role="img" aria-label={format!("{}: {total} applications — {summary}", row.cohort_name)}
                                    style={format!("width: {:.1}%", total as f64 / widest as f64 * 100.0)}>
                                    { for parts(row).iter().filter(|(_, _, count)| *count > 0).map(|(class, label, count)| html! {
                                        <span class={classes!("funnel__part", format!("funnel__part--{class}"))}
                                            style={format!("flex-grow: {count}")} title={format!("{label}: {count}")}>{ *count }</span>
                                    }) }
                                </span>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

/// For admins: featured students the website cannot show (no public address, text not
/// approved) and students' edits waiting for approval — said here rather than the website
/// silently leaving them out. Nothing when all is shown.
#[function_component(PublicProfilesPanel)]
fn public_profiles_panel() -> Html {
    let session = use_session();
    let review = ipc::use_call::<ops::PublicProfilesToReview>(NoRequest {});
    let Some(Ok(review)) = &*review else { return html! {} };
    if review.featured_not_shown.is_empty() && review.awaiting_approval.is_empty() {
        return html! {};
    }
    let to_users = Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::Users)));
    let list = |people: &[hub_model::profiles::NotShown]| {
        html! {
            <ul class="notice__list">
                { for people.iter().map(|person| html! {
                    <li key={person.user_id}><strong>{ &person.full_name }</strong>{ format!(": {}", person.reason) }</li>
                }) }
            </ul>
        }
    };
    html! {
        <section class="panel" aria-labelledby="public-profiles-title" data-testid="public-profiles-review">
            <h2 id="public-profiles-title">{ "Students' public pages" }</h2>
            if !review.featured_not_shown.is_empty() {
                <p>{ "Featured, but not on the website:" }</p>
                { list(&review.featured_not_shown) }
            }
            if !review.awaiting_approval.is_empty() {
                <p>{ "Waiting for your approval before the website shows them:" }</p>
                { list(&review.awaiting_approval) }
            }
            <button class="button button--quiet button--small" onclick={to_users}>{ "Open Users" }</button>
        </section>
    }
}
