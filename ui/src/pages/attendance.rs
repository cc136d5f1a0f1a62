//! Teaching → Attendance: the sessions kept on this computer, and a session's roster marked
//! from the keyboard — arrows move, P, A, L and E mark and move on, "Everyone else present"
//! fills the rest. Every mark is saved on this computer first and syncs when the database
//! answers; the bar above says how that stands.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::sentence;
use crate::components::hooks::use_sync_state;
use crate::components::when;
use crate::ipc;
use crate::session::{use_session, Action, Page};
use hub_model::attendance::{LocalRosterEntry, Mark, SessionInfo, MAX_NOTE_CHARS};
use hub_model::{desktop, words, NoRequest};
use std::time::Duration;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

fn mark_label(mark: Mark) -> &'static str {
    match mark {
        Mark::Present => "Present",
        Mark::Absent => "Absent",
        Mark::Late => "Late",
        Mark::Excused => "Excused",
    }
}

fn mark_tone(mark: Mark) -> BadgeTone {
    match mark {
        Mark::Present => BadgeTone::Success,
        Mark::Absent => BadgeTone::Danger,
        Mark::Late => BadgeTone::Warning,
        Mark::Excused => BadgeTone::Neutral,
    }
}

#[derive(Properties, PartialEq)]
pub struct SyncBarProps {
    /// Told when the marks waiting change (a sync took them): the roster shows them synced.
    #[prop_or_default]
    pub on_change: Callback<()>,
}

/// Online or not, marks waiting, the last sync, refused marks, and "Sync now".
#[function_component(SyncBar)]
pub fn sync_bar(props: &SyncBarProps) -> Html {
    let state = use_sync_state(Duration::from_secs(2));
    {
        let on_change = props.on_change.clone();
        let waiting = state.as_ref().map(|sync| (sync.waiting, sync.last_sync_at));
        use_effect_with(waiting, move |_| on_change.emit(()));
    }
    let sync_now = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            spawn_local(async move {
                if let Ok(now) = ipc::shell::<desktop::SyncNow>(&NoRequest {}).await {
                    state.set(Some(now));
                }
            });
        })
    };
    let Some(sync) = (*state).clone() else {
        return html! { <div class="syncbar" aria-busy="true">{ "Checking the sync…" }</div> };
    };
    let dismiss = |client_id: uuid::Uuid| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            spawn_local(async move {
                if let Ok(now) =
                    ipc::shell::<desktop::SyncDismiss>(&desktop::DismissRequest { client_id }).await
                {
                    state.set(Some(now));
                }
            });
        })
    };
    html! {
        <div class="syncbar" role="status" data-testid="sync-bar">
            <div class="syncbar__line">
                <span class={classes!("syncbar__dot", if sync.online { "syncbar__dot--on" } else { "syncbar__dot--off" })}></span>
                <strong data-testid="sync-online">{ if sync.syncing { "Syncing…" } else if sync.online { "Online" } else { "Offline" } }</strong>
                <span data-testid="sync-waiting">{ match sync.waiting {
                    0 => "Every mark is on the server".to_owned(),
                    1 => "1 mark waiting to sync".to_owned(),
                    n => format!("{n} marks waiting to sync"),
                } }</span>
                <span class="muted">{ sync.last_sync_at.map(|at| format!("Last sync {}", when::date_time(at))).unwrap_or_else(|| "Not synced yet".to_owned()) }</span>
                <span class="topbar__spacer"></span>
                <button class="button button--quiet button--small" onclick={sync_now} disabled={sync.syncing}
                    data-testid="sync-now">{ "Sync now" }</button>
            </div>
            if sync.needs_sign_in && sync.waiting > 0 {
                <p class="syncbar__error" data-testid="sync-needs-sign-in">
                    { "Your marks are kept on this computer and go to the hub once you sign in online." }
                </p>
            } else if let (false, Some(error)) = (sync.online, &sync.last_error) {
                <p class="syncbar__error" title={sentence(error)}>
                    { "The hub cannot be reached. Marks are kept on this computer and sync when it answers." }
                </p>
            }
            { for sync.waiting_for_others.iter().map(|person| html! {
                <p class="muted syncbar__others" key={person.user_id} data-testid="sync-others">
                    { format!(
                        "{} by {} {} on this computer until they sign in here online.",
                        words::count(person.marks, "mark", "marks"),
                        person.full_name,
                        if person.marks == 1 { "waits" } else { "wait" },
                    ) }
                </p>
            }) }
            if let (true, false, Some(error)) = (sync.online, sync.needs_sign_in, &sync.last_error) {
                <p class="syncbar__error" data-testid="sync-error">
                    { format!("The last sync did not finish: {} Marks are kept on this computer.", sentence(error)) }
                </p>
            }
            { for sync.rejected.iter().map(|rejected| html! {
                <p class="alert syncbar__rejected" key={rejected.client_id.to_string()}>
                    if rejected.kept {
                        { format!("A mark ({}) is not the record: {}.", mark_label(rejected.status).to_lowercase(), rejected.reason) }
                    } else {
                        { format!("A mark ({}) was not accepted: {}.", mark_label(rejected.status).to_lowercase(), rejected.reason) }
                    }
                    <button class="button button--quiet button--small" onclick={dismiss(rejected.client_id)}>{ "Dismiss" }</button>
                </p>
            }) }
        </div>
    }
}

/// Today's session, else the next one, else the latest.
fn default_session(sessions: &[SessionInfo]) -> Option<i64> {
    let today = chrono::Local::now().date_naive();
    sessions
        .iter()
        .find(|session| session.date >= today)
        .or_else(|| sessions.last())
        .map(|session| session.id)
}

#[function_component(Attendance)]
pub fn attendance() -> Html {
    let sessions = use_state(|| None::<Result<Vec<SessionInfo>, String>>);
    let chosen = use_state(|| None::<i64>);
    {
        let (sessions, chosen) = (sessions.clone(), chosen.clone());
        use_effect_with((), move |()| {
            spawn_local(async move {
                // The first sync after sign-in may still be filling the store: ask twice.
                for attempt in 0..3 {
                    let answer = ipc::shell::<desktop::OfflineSessions>(&NoRequest {})
                        .await
                        .map_err(|error| sentence(&error.message));
                    let empty = matches!(&answer, Ok(found) if found.is_empty());
                    if let Ok(found) = &answer {
                        if chosen.is_none() {
                            chosen.set(default_session(found));
                        }
                    }
                    sessions.set(Some(answer));
                    if !empty || attempt == 2 {
                        break;
                    }
                    let _ = ipc::shell::<desktop::SyncNow>(&NoRequest {}).await;
                    sleep(Duration::from_secs(2)).await;
                }
            });
        });
    }
    let list = match &*sessions {
        None => html! { <p class="muted" aria-busy="true">{ "Loading your sessions…" }</p> },
        Some(Err(message)) => html! { <p class="alert" role="alert">{ message }</p> },
        Some(Ok(found)) if found.is_empty() => html! {
            <div class="empty">
                <p class="empty__title">{ "No session on this computer yet" }</p>
                <p>{ "Your cohorts' sessions are kept here after the first sync with the hub." }</p>
            </div>
        },
        Some(Ok(found)) => html! {
            <ul class="sessions" data-testid="sessions">
                { for found.iter().map(|session| {
                    let current = *chosen == Some(session.id);
                    let pick = { let (chosen, id) = (chosen.clone(), session.id); Callback::from(move |_: MouseEvent| chosen.set(Some(id))) };
                    html! {
                        <li key={session.id}>
                            <button class={classes!("sessions__item", current.then_some("sessions__item--on"))} onclick={pick}
                                aria-pressed={current.to_string()} data-testid={format!("session-{}", session.id)}>
                                <span class="table__strong">{ when::day(session.date) }</span>
                                <span class="muted table__small">{ format!("{} · {}", session.cohort_name, session.title) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        },
    };
    let synced = use_state(|| 0_u32);
    let on_change = {
        let synced = synced.clone();
        Callback::from(move |()| synced.set(*synced + 1))
    };
    {
        // The chosen session in view in the list (today's may be far down).
        use_effect_with((*chosen, sessions.is_some()), |_| {
            if let Some(item) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.query_selector(".sessions__item--on").ok().flatten())
            {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                item.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let session = match (&*sessions, *chosen) {
        (Some(Ok(found)), Some(id)) => found.iter().find(|session| session.id == id).cloned(),
        _ => None,
    };
    html! {
        <>
            <h1>{ "Attendance" }</h1>
            <p class="content__lead">{ "Marks are saved on this computer at once and reach the hub when it answers." }</p>
            <SyncBar {on_change} />
            <div class="attendance">
                <nav class="attendance__sessions" aria-label="Sessions">{ list }</nav>
                if let Some(session) = session {
                    <RosterPanel {session} version={*synced} />
                }
            </div>
        </>
    }
}

/// A mark waiting its turn to be saved on this computer.
enum Pending {
    One {
        session_id: i64,
        enrollment_id: i64,
        status: Mark,
        note: Option<String>,
    },
    /// The same mark for several students (the rest present).
    Many {
        session_id: i64,
        enrollment_ids: Vec<i64>,
        status: Mark,
    },
}

#[derive(Properties, PartialEq)]
struct RosterProps {
    session: SessionInfo,
    /// Bumped after a sync: the marks are read again (no longer waiting).
    version: u32,
}

#[function_component(RosterPanel)]
fn roster_panel(props: &RosterProps) -> Html {
    let app = use_session();
    let roster = use_state(|| None::<Result<Vec<LocalRosterEntry>, String>>);
    let focused = use_state(|| 0_usize);
    let list = use_node_ref();
    let session_id = props.session.id;
    let queue = use_mut_ref(std::collections::VecDeque::<Pending>::new);
    let draining = use_mut_ref(|| false);
    // The session on screen: an answer for another one is not shown.
    let current = use_mut_ref(|| 0_i64);
    current.replace(session_id);
    let problem = use_state(|| None::<String>);
    {
        // Keyboard first: once a session's roster is on screen, its first student has the focus.
        let list = list.clone();
        use_effect_with((session_id, roster.is_some()), move |(_, loaded)| {
            if *loaded {
                if let Some(row) = list
                    .cast::<web_sys::Element>()
                    .and_then(|list| list.query_selector("[data-row='0']").ok().flatten())
                    .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = row.focus();
                }
            }
        });
    }
    {
        let roster = roster.clone();
        use_effect_with(props.version, move |_| {
            spawn_local(async move {
                if let Ok(entries) =
                    ipc::shell::<desktop::OfflineRoster>(&desktop::SessionRequest { session_id }).await
                {
                    roster.set(Some(Ok(entries)));
                }
            });
        });
    }
    {
        let (roster, focused) = (roster.clone(), focused.clone());
        use_effect_with(session_id, move |id| {
            let id = *id;
            roster.set(None);
            focused.set(0);
            spawn_local(async move {
                roster.set(Some(
                    ipc::shell::<desktop::OfflineRoster>(&desktop::SessionRequest { session_id: id })
                        .await
                        .map_err(|error| sentence(&error.message)),
                ));
            });
        });
    }
    let entries = match &*roster {
        Some(Ok(entries)) => entries.clone(),
        Some(Err(message)) => return html! { <p class="alert" role="alert">{ message }</p> },
        None => return html! { <p class="muted" aria-busy="true">{ "Loading the roster…" }</p> },
    };
    // Marks are saved one after another, in the order given: each answer is the roster with
    // every earlier mark in it, and a quick run of keys never lands out of order.
    let save = {
        let (roster, problem, queue, draining, current) =
            (roster.clone(), problem.clone(), queue.clone(), draining.clone(), current.clone());
        move |work: Pending| {
            queue.borrow_mut().push_back(work);
            if draining.replace(true) {
                return;
            }
            let (roster, problem, queue, draining, current) =
                (roster.clone(), problem.clone(), queue.clone(), draining.clone(), current.clone());
            spawn_local(async move {
                loop {
                    let next = queue.borrow_mut().pop_front();
                    let Some(work) = next else { break };
                    let (session_id, answer) = match work {
                        Pending::One { session_id, enrollment_id, status, note } => (
                            session_id,
                            ipc::shell::<desktop::OfflineMark>(
                                &hub_model::attendance::MarkAttendanceRequest {
                                    session_id,
                                    enrollment_id,
                                    status,
                                    note,
                                },
                            )
                            .await,
                        ),
                        Pending::Many { session_id, enrollment_ids, status } => (
                            session_id,
                            ipc::shell::<desktop::OfflineMarkMany>(&desktop::OfflineMarkManyRequest {
                                session_id,
                                enrollment_ids,
                                status,
                            })
                            .await,
                        ),
                    };
                    if *current.borrow() == session_id {
                        match answer {
                            Ok(updated) => {
                                problem.set(None);
                                roster.set(Some(Ok(updated)));
                            }
                            // Nothing was saved; the roster on screen stays as it is.
                            Err(error) => problem.set(Some(sentence(&error.message))),
                        }
                    }
                }
                draining.replace(false);
            });
        }
    };
    let mark_one = {
        let save = save.clone();
        move |enrollment_id: i64, status: Mark, note: Option<String>| {
            save(Pending::One { session_id, enrollment_id, status, note });
        }
    };
    let focus_row = {
        let list = list.clone();
        move |index: usize| {
            if let Some(row) = list
                .cast::<web_sys::Element>()
                .and_then(|list| list.query_selector(&format!("[data-row='{index}']")).ok().flatten())
                .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = row.focus();
            }
        }
    };
    let onkeydown = {
        let (entries, focused, mark_one, focus_row) =
            (entries.clone(), focused.clone(), mark_one.clone(), focus_row.clone());
        Callback::from(move |event: KeyboardEvent| {
            if event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some()
            {
                return;
            }
            let count = entries.len();
            if count == 0 {
                return;
            }
            let at = (*focused).min(count - 1);
            let key = event.key();
            let next = match key.as_str() {
                "ArrowDown" | "j" => Some((at + 1).min(count - 1)),
                "ArrowUp" | "k" => Some(at.saturating_sub(1)),
                "Home" => Some(0),
                "End" => Some(count - 1),
                _ => None,
            };
            if let Some(next) = next {
                event.prevent_default();
                focused.set(next);
                focus_row(next);
                return;
            }
            let mark = Mark::ALL.into_iter().find(|mark| key.eq_ignore_ascii_case(&mark.key().to_string()));
            if let Some(mark) = mark {
                event.prevent_default();
                let entry = &entries[at];
                mark_one(entry.enrollment_id, mark, entry.note.clone());
                let next = (at + 1).min(count - 1);
                focused.set(next);
                focus_row(next);
            }
        })
    };
    let everyone_present = {
        let (entries, save) = (entries.clone(), save.clone());
        Callback::from(move |_: MouseEvent| {
            let enrollment_ids: Vec<i64> = entries
                .iter()
                .filter(|entry| entry.status.is_none())
                .map(|entry| entry.enrollment_id)
                .collect();
            save(Pending::Many { session_id, enrollment_ids, status: Mark::Present });
        })
    };
    let open_checkin = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.dispatch(Action::Go(Page::Checkin(session_id))))
    };
    let unmarked = entries.iter().filter(|entry| entry.status.is_none()).count();
    let counts: Vec<(Mark, usize)> = Mark::ALL
        .iter()
        .map(|mark| (*mark, entries.iter().filter(|entry| entry.status == Some(*mark)).count()))
        .collect();
    html! {
        <section class="panel attendance__roster" aria-labelledby="roster-title">
            <div class="feed__header">
                <div>
                    <h2 id="roster-title">{ &props.session.title }</h2>
                    <p class="muted table__small">{ format!("{} · {}{}", when::day(props.session.date), props.session.cohort_name,
                        props.session.starts_at.map(|start| format!(" · {}", start.format("%H:%M"))).unwrap_or_default()) }</p>
                </div>
                <span class="roster__actions">
                <button class="button button--quiet button--small" onclick={open_checkin} data-testid="open-checkin"
                    title="Show a code students type to check themselves in">{ "Check-in" }</button>
                <button class="button button--primary button--inline button--small" onclick={everyone_present}
                    disabled={unmarked == 0} data-testid="all-present">
                    { if unmarked == 0 { "Everyone is marked".to_owned() } else { format!("Mark the other {unmarked} present") } }
                </button>
                </span>
            </div>
            <p class="muted table__small">
                { "Keys: ↑ ↓ to move, P present, A absent, L late, E excused. " }
                { counts.iter().map(|(mark, count)| format!("{count} {}", mark_label(*mark).to_lowercase())).collect::<Vec<_>>().join(" · ") }
            </p>
            if let Some(message) = &*problem { <p class="alert" role="alert" data-testid="mark-problem">{ message }</p> }
            if entries.is_empty() {
                <p class="muted">{ "No active student in this cohort." }</p>
            }
            <ul class="roster" ref={list} {onkeydown} data-testid="roster" aria-label="Students">
                { for entries.iter().enumerate().map(|(index, entry)| {
                    let set = |mark: Mark| {
                        let (mark_one, id, note, focused) = (mark_one.clone(), entry.enrollment_id, entry.note.clone(), focused.clone());
                        Callback::from(move |_: MouseEvent| { focused.set(index); mark_one(id, mark, note.clone()); })
                    };
                    let on_note = {
                        let (mark_one, id, status) = (mark_one.clone(), entry.enrollment_id, entry.status);
                        Callback::from(move |event: Event| {
                            let text = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                            if let Some(status) = status { mark_one(id, status, Some(text)); }
                        })
                    };
                    let on_focus = { let focused = focused.clone(); Callback::from(move |_: FocusEvent| focused.set(index)) };
                    html! {
                        <li class="roster__row" key={entry.enrollment_id} tabindex="0" data-row={index.to_string()}
                            onfocus={on_focus} data-testid="roster-row" aria-label={entry.full_name.clone()}>
                            <span class="roster__name">{ &entry.full_name }</span>
                            <span class="roster__marks" role="group" aria-label={format!("Mark {}", entry.full_name)}>
                                { for Mark::ALL.iter().map(|mark| html! {
                                    <button class={classes!("roster__mark", (entry.status == Some(*mark)).then(|| format!("roster__mark--{}", mark.as_str())))}
                                        tabindex="-1" aria-pressed={(entry.status == Some(*mark)).to_string()} onclick={set(*mark)}
                                        title={mark_label(*mark)}>{ mark.key() }</button>
                                }) }
                            </span>
                            <input class="roster__note" type="text" placeholder="Note" maxlength={MAX_NOTE_CHARS.to_string()} value={entry.note.clone().unwrap_or_default()}
                                aria-label={format!("Note for {}", entry.full_name)} onchange={on_note} disabled={entry.status.is_none()} />
                            <span class="roster__state">
                                if let Some(mark) = entry.status { <Badge text={mark_label(mark)} tone={mark_tone(mark)} /> }
                                if entry.waiting { <span class="muted table__small" title="Saved on this computer, not yet on the server">{ " ⟳ waiting" }</span> }
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
