//! Self check-in. The instructor's screen: a session's code, large and as a QR code, changing
//! every 30 seconds, and who has checked in so far, updating as they do; with no network the
//! codes come from the key this computer keeps (the students' check-ins reach the hub from
//! their own apps). A student's card: today's sessions, and a box for the code.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::{alert, sentence, use_form, TextField};
use crate::components::qr::Qr;
use crate::components::when;
use crate::ipc;
use crate::session::{use_session, Action, Page, Session, View};
use chrono::{DateTime, Duration as TimeSpan, Utc};
use hub_model::attendance::Mark;
use hub_model::checkin::{
    self as codes, CheckinAnswer, CheckinCode, CheckinLive, CheckinMinutes, CheckinOutcome, CheckinRow,
    CheckinWindow, MyCheckins, SetSessionCheckinRequest, SubmitCheckinRequest, TodaySession, WindowState,
};
use hub_model::cms::IdRequest;
use hub_model::desktop::{self, SessionRequest};
use hub_model::{ops, words, ApiError, ErrorKind, NoRequest};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// How often the live list asks who has checked in.
const LIVE_EVERY: Duration = Duration::from_secs(1);

fn window_line(window: &CheckinWindow) -> String {
    let mut parts = vec![format!("Opens {}", window.local_time(window.opens_at))];
    if let Some(late) = window.late_from.filter(|late| *late < window.closes_at) {
        parts.push(format!("late from {}", window.local_time(late)));
    }
    parts.push(format!("closes {}", window.local_time(window.closes_at)));
    parts.join(" · ")
}

fn state_badge(state: WindowState) -> Html {
    let tone = match state {
        WindowState::Open => BadgeTone::Success,
        WindowState::Late => BadgeTone::Warning,
        WindowState::NotOpenYet => BadgeTone::Neutral,
        WindowState::Closed => BadgeTone::Danger,
    };
    html! { <Badge text={state.label()} {tone} /> }
}

fn mark_badge(mark: Mark) -> Html {
    let tone = match mark {
        Mark::Present => BadgeTone::Success,
        Mark::Late => BadgeTone::Warning,
        Mark::Absent => BadgeTone::Danger,
        Mark::Excused => BadgeTone::Neutral,
    };
    html! { <Badge text={mark.label()} {tone} /> }
}

/// What the instructor's screen holds.
#[derive(Clone, PartialEq, Default)]
struct Screen {
    code: Option<Result<CheckinCode, ApiError>>,
    /// The code was made on this computer (the hub did not answer).
    offline: bool,
    /// The hub's clock minus this computer's, when the code came.
    skew: TimeSpan,
    live: Option<CheckinLive>,
    /// Why the list is not current.
    live_problem: Option<ApiError>,
    /// This computer's clock at the last tick: the countdown.
    now: Option<DateTime<Utc>>,
}

enum ScreenAction {
    Code { answer: Result<CheckinCode, ApiError>, offline: bool },
    Live(Result<CheckinLive, ApiError>),
    Tick,
    Window(CheckinWindow),
}

impl Reducible for Screen {
    type Action = ScreenAction;

    fn reduce(self: Rc<Self>, action: ScreenAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ScreenAction::Code { answer, offline } => {
                if let Ok(code) = &answer {
                    next.skew = code.server_now - Utc::now();
                }
                next.code = Some(answer);
                next.offline = offline;
            }
            ScreenAction::Live(Ok(live)) => {
                next.live = Some(live);
                next.live_problem = None;
            }
            ScreenAction::Live(Err(problem)) => next.live_problem = Some(problem),
            ScreenAction::Tick => next.now = Some(Utc::now()),
            ScreenAction::Window(window) => {
                if let Some(Ok(code)) = &mut next.code {
                    code.window = window.clone();
                }
                if let Some(live) = &mut next.live {
                    live.window = window;
                }
            }
        }
        next.into()
    }
}

/// The code now: from the hub, else (it did not answer) made on this computer.
async fn fetch_code(session_id: i64) -> (Result<CheckinCode, ApiError>, bool) {
    match ipc::call::<ops::CheckinCodeNow>(&IdRequest { id: session_id }).await {
        Ok(code) => (Ok(code), false),
        Err(error) if error.kind == ErrorKind::Unavailable => {
            match ipc::shell::<desktop::OfflineCheckinCode>(&SessionRequest { session_id }).await {
                Ok(code) => (Ok(code), true),
                Err(local) => (Err(local), true),
            }
        }
        Err(error) => (Err(error), false),
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckinScreenProps {
    pub session_id: i64,
}

/// The check-in screen of one session, for its instructors and administrators.
#[function_component(CheckinScreen)]
pub fn checkin_screen(props: &CheckinScreenProps) -> Html {
    let session = use_session();
    let screen = use_reducer(Screen::default);
    {
        let screen = screen.clone();
        use_effect_with(props.session_id, move |session_id| {
            let session_id = *session_id;
            let alive = Rc::new(Cell::new(true));
            // The code: asked again as each one ends.
            let (running, codes) = (alive.clone(), screen.clone());
            spawn_local(async move {
                while running.get() {
                    let (answer, offline) = fetch_code(session_id).await;
                    let wait = match &answer {
                        Ok(code) => {
                            let skew = code.server_now - Utc::now();
                            let left = code.changes_at - (Utc::now() + skew);
                            left.to_std().unwrap_or_default() + Duration::from_millis(150)
                        }
                        Err(_) => Duration::from_secs(5),
                    };
                    codes.dispatch(ScreenAction::Code { answer, offline });
                    sleep(wait).await;
                }
            });
            // Who has checked in: asked every second.
            let (running, live) = (alive.clone(), screen.clone());
            spawn_local(async move {
                while running.get() {
                    let answer = ipc::call::<ops::CheckinLiveList>(&IdRequest { id: session_id }).await;
                    live.dispatch(ScreenAction::Live(answer));
                    sleep(LIVE_EVERY).await;
                }
            });
            // The countdown.
            let (running, ticks) = (alive.clone(), screen.clone());
            spawn_local(async move {
                while running.get() {
                    ticks.dispatch(ScreenAction::Tick);
                    sleep(Duration::from_millis(500)).await;
                }
            });
            move || alive.set(false)
        });
    }
    // Back where it was opened from: the attendance screen, or an administrator's calendar.
    let from = match &*session {
        Session::SignedIn { view: Some(View::Admin), .. } => Page::Calendar,
        _ => Page::Attendance,
    };
    let back = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(from)))
    };
    let code_panel = match &screen.code {
        None => html! { <p class="muted" aria-busy="true">{ "Getting the code…" }</p> },
        Some(Err(error)) => {
            html! { <p class="alert" role="alert" data-testid="checkin-problem">{ sentence(&error.message) }</p> }
        }
        Some(Ok(code)) => {
            let now = screen.now.unwrap_or_else(Utc::now) + screen.skew;
            let left = (code.changes_at - now).num_seconds().clamp(0, codes::STEP_SECONDS);
            let state = code.window.state_at(now);
            let shown = codes::display(&code.code);
            let qr_text = format!("digitalhub:checkin?session={}&code={}", code.session_id, code.code);
            html! {
                <>
                    <p class="checkin__state">
                        { state_badge(state) }
                        <span class="muted">{ window_line(&code.window) }</span>
                    </p>
                    <div class="checkin__code-row">
                        <div>
                            <p class="checkin__code" data-testid="checkin-code" aria-label={format!("Check-in code {}", code.code.chars().map(String::from).collect::<Vec<_>>().join(" "))}>
                                { shown }
                            </p>
                            <div class="checkin__timer" role="progressbar" aria-label="Time until the code changes"
                                aria-valuemin="0" aria-valuemax={codes::STEP_SECONDS.to_string()} aria-valuenow={left.to_string()}>
                                <span class="checkin__timer-bar" style={format!("width: {}%", left * 100 / codes::STEP_SECONDS)}></span>
                            </div>
                            <p class="muted table__small" data-testid="checkin-changes">
                                { format!("Changes in {left} s. The code before it still works.") }
                            </p>
                        </div>
                        <Qr text={qr_text} label={format!("QR code of the check-in code {}", code.code)} />
                    </div>
                    if screen.offline {
                        <p class="notice" data-testid="checkin-offline">
                            { "Offline: this code is made on this computer by its clock. Students check in from their own app as usual." }
                        </p>
                    }
                    if state == WindowState::Closed {
                        <p class="notice">{ "Check-in is closed for this session: students who did not check in need your mark." }</p>
                    }
                </>
            }
        }
    };
    let live = screen.live.as_ref();
    let title = live.map(|live| live.session.title.clone()).unwrap_or_else(|| "Check-in".to_owned());
    let subtitle = live
        .map(|live| {
            format!(
                "{} · {}{}",
                when::day(live.session.date),
                live.session.cohort_name,
                live.session
                    .starts_at
                    .map(|start| format!(" · {}", start.format("%H:%M")))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let window = match &screen.code {
        Some(Ok(code)) => Some(code.window.clone()),
        _ => live.map(|live| live.window.clone()),
    };
    let on_window = {
        let screen = screen.clone();
        Callback::from(move |window: CheckinWindow| screen.dispatch(ScreenAction::Window(window)))
    };
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1 data-testid="checkin-title">{ format!("Check-in: {title}") }</h1>
                    <p class="content__lead">{ subtitle }</p>
                </div>
                <button class="button button--quiet" onclick={back}>
                    { if from == Page::Calendar { "Back to the calendar" } else { "Back to attendance" } }
                </button>
            </div>
            <div class="checkin">
                <section class="panel checkin__panel" aria-labelledby="checkin-code-title">
                    <h2 id="checkin-code-title" class="visually-hidden">{ "The code" }</h2>
                    <p class="muted">{ "Students open Digital Hub, choose Check in on today's session, and type this code." }</p>
                    { code_panel }
                    if let Some(window) = window {
                        <CheckinTimes session_id={props.session_id} {window} on_saved={on_window} />
                    }
                </section>
                <LiveList live={screen.live.clone()} problem={screen.live_problem.clone()} />
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct LiveListProps {
    live: Option<CheckinLive>,
    problem: Option<ApiError>,
}

/// Why the live list is not current, in words.
fn live_problem(error: &ApiError) -> String {
    match error.kind {
        ErrorKind::Unavailable => {
            "The hub cannot be reached: students' check-ins show here when it answers.".to_owned()
        }
        _ => sentence(&error.message),
    }
}

/// Who has checked in (first, in the order they came) and who not yet.
#[function_component(LiveList)]
fn live_list(props: &LiveListProps) -> Html {
    let Some(live) = &props.live else {
        return html! {
            <section class="panel checkin__live" aria-busy="true">
                if let Some(problem) = &props.problem { <p class="notice">{ live_problem(problem) }</p> }
                else { <p class="muted">{ "Loading who has checked in…" }</p> }
            </section>
        };
    };
    let total = live.students.len();
    let (came, waiting): (Vec<&CheckinRow>, Vec<&CheckinRow>) =
        live.students.iter().partition(|row| row.checked_in_at.is_some());
    let window = &live.window;
    let row = |student: &CheckinRow| {
        let mark = match (student.mark, student.mark_is_checkin) {
            (Some(mark), false) => {
                html! { <span class="muted table__small">{ format!("Your mark: {}", mark.label().to_lowercase()) }</span> }
            }
            (Some(mark), true) => mark_badge(mark),
            (None, _) => html! {},
        };
        html! {
            <li class="checkin__row" key={student.enrollment_id} data-testid="checkin-row">
                <span class="checkin__name">{ &student.full_name }</span>
                if let Some(at) = student.checked_in_at {
                    <span class="muted table__small">{ window.local_time(at) }</span>
                }
                { mark }
                if student.locked_until.is_some() {
                    <Badge text="Locked: wrong codes" tone={BadgeTone::Danger} />
                }
            </li>
        }
    };
    html! {
        <section class="panel checkin__live" aria-labelledby="checkin-live-title">
            <h2 id="checkin-live-title" data-testid="checkin-count" aria-live="polite">
                { format!("{} of {total} checked in", live.checked_in) }
            </h2>
            if let Some(problem) = &props.problem { <p class="notice">{ live_problem(problem) }</p> }
            if came.is_empty() {
                <p class="muted">{ "Nobody yet. Names appear here as students check in." }</p>
            } else {
                <ul class="checkin__list" data-testid="checked-in">{ for came.iter().map(|student| row(student)) }</ul>
            }
            if !waiting.is_empty() {
                <h3 class="checkin__subhead">{ format!("Not yet ({})", waiting.len()) }</h3>
                <ul class="checkin__list checkin__list--waiting" data-testid="not-checked-in">
                    { for waiting.iter().map(|student| row(student)) }
                </ul>
            }
            if live.refused_attempts > 0 {
                <p class="muted table__small">{ format!("{} (wrong code, too early or late, not in the cohort).",
                    words::count(live.refused_attempts, "refused attempt", "refused attempts")) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CheckinTimesProps {
    session_id: i64,
    window: CheckinWindow,
    on_saved: Callback<CheckinWindow>,
}

#[derive(Clone, PartialEq)]
struct TimesForm {
    opens: String,
    late: String,
    closes: String,
}

impl TimesForm {
    fn of(minutes: CheckinMinutes) -> Self {
        Self {
            opens: minutes.opens.to_string(),
            late: minutes.late.to_string(),
            closes: minutes.closes.to_string(),
        }
    }
}

/// When this session's check-in opens, turns late and closes; or its cohort's times.
#[function_component(CheckinTimes)]
fn checkin_times(props: &CheckinTimesProps) -> Html {
    let form = use_form(|| TimesForm::of(props.window.minutes));
    let open = use_state(|| false);
    let minutes = props.window.minutes;
    let summary = format!(
        "{} times: opens {} min before the start, late from {} min after it, closes {} min after it.",
        if props.window.own_minutes { "This session's" } else { "The cohort's" },
        minutes.opens,
        minutes.late,
        minutes.closes
    );
    let send = {
        let (form, open, on_saved, session_id) =
            (form.clone(), open.clone(), props.on_saved.clone(), props.session_id);
        Rc::new(move |own: Option<CheckinMinutes>| {
            let (saved, open, on_saved) = (form.clone(), open.clone(), on_saved.clone());
            form.call::<ops::SetSessionCheckin>(
                SetSessionCheckinRequest { session_id, minutes: own },
                &["opens_minutes", "late_minutes", "closes_minutes"],
                move |window| {
                    saved.edit(move |times| *times = TimesForm::of(window.minutes));
                    open.set(false);
                    on_saved.emit(window);
                },
            );
        })
    };
    let save = {
        let (form, send) = (form.clone(), send.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let number = |text: &str| text.trim().parse::<i16>().ok();
            let mut problems = crate::components::form::Problems::default();
            let mut read = |field: &str, text: &str| {
                number(text).unwrap_or_else(|| {
                    problems.add(field, "Enter a number of minutes.");
                    0
                })
            };
            let own = CheckinMinutes {
                opens: read("opens_minutes", &form.opens),
                late: read("late_minutes", &form.late),
                closes: read("closes_minutes", &form.closes),
            };
            if problems.is_empty() {
                send(Some(own));
            } else {
                form.refuse(problems);
            }
        })
    };
    let use_cohorts = {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send(None))
    };
    if !*open {
        return html! {
            <p class="muted table__small checkin__times">
                { summary }
                <button class="button button--quiet button--small" data-testid="checkin-times"
                    onclick={let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(true))}>{ "Change" }</button>
            </p>
        };
    }
    let problems = form.problems();
    html! {
        <form class="checkin__times-form" onsubmit={save} novalidate=true>
            <div class="form-grid form-grid--three">
                <TextField id="opens_minutes" label="Opens, minutes before the start" input_type="number" value={form.opens.clone()}
                    oninput={form.field(|times, value| times.opens = value)} error={problems.field("opens_minutes")} />
                <TextField id="late_minutes" label="Late from, minutes after" input_type="number" value={form.late.clone()}
                    oninput={form.field(|times, value| times.late = value)} error={problems.field("late_minutes")} />
                <TextField id="closes_minutes" label="Closes, minutes after" input_type="number" value={form.closes.clone()}
                    oninput={form.field(|times, value| times.closes = value)} error={problems.field("closes_minutes")} />
            </div>
            if let Some(general) = &problems.general { <p class="alert" role="alert">{ general }</p> }
            <div class="actions">
                if props.window.own_minutes {
                    <button type="button" class="button button--quiet" onclick={use_cohorts} disabled={form.saving()}>{ "Use the cohort's times" }</button>
                }
                <button type="button" class="button button--quiet"
                    onclick={let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(false))}>{ "Cancel" }</button>
                <button type="submit" class="button button--primary button--inline" disabled={form.saving()}
                    data-testid="save-checkin-times">{ "Save for this session" }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct TodayCheckinsProps {
    /// Told when the student checked in (their attendance on screen is read again).
    #[prop_or_default]
    pub on_checked_in: Callback<()>,
}

/// A student's sessions today, each with its check-in.
#[function_component(TodayCheckins)]
pub fn today_checkins(props: &TodayCheckinsProps) -> Html {
    let today = use_state(|| None::<Result<MyCheckins, ApiError>>);
    let version = use_state(|| 0_u32);
    {
        let today = today.clone();
        use_effect_with(*version, move |_| {
            let alive = Rc::new(Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                // Asked again each half minute: a session's check-in opens and closes on its own.
                while running.get() {
                    let answer = ipc::call::<ops::MyCheckinsToday>(&NoRequest {}).await;
                    if running.get() {
                        today.set(Some(answer));
                    }
                    sleep(Duration::from_secs(30)).await;
                }
            });
            move || alive.set(false)
        });
    }
    let reload = {
        let (version, told) = (version.clone(), props.on_checked_in.clone());
        Callback::from(move |()| {
            version.set(*version + 1);
            told.emit(());
        })
    };
    let body = match &*today {
        None => html! { <p class="muted" aria-busy="true">{ "Loading today's sessions…" }</p> },
        Some(Err(error)) => alert(error),
        Some(Ok(mine)) if mine.sessions.is_empty() => html! {
            <p class="muted" data-testid="no-session-today">{ "No session today. Your next ones are in the calendar." }</p>
        },
        Some(Ok(mine)) => html! {
            <ul class="today">
                { for mine.sessions.iter().map(|today| html! {
                    <TodayCard key={today.session.id} today={today.clone()} server_now={mine.server_now} on_change={reload.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <section class="panel" aria-labelledby="today-title" data-testid="today-checkins">
            <h2 id="today-title">{ "Today" }</h2>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TodayCardProps {
    today: TodaySession,
    server_now: DateTime<Utc>,
    on_change: Callback<()>,
}

#[function_component(TodayCard)]
fn today_card(props: &TodayCardProps) -> Html {
    let today = &props.today;
    let form = use_form(String::new);
    let answer = use_state(|| None::<CheckinAnswer>);
    let input = use_node_ref();
    let session_id = today.session.id;
    let submit = {
        let (form, answer, on_change) = (form.clone(), answer.clone(), props.on_change.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if codes::normalize(&form).is_none() {
                let mut problems = crate::components::form::Problems::default();
                problems.add("code", "Type the 6 letters and digits on your instructor's screen.");
                form.refuse(problems);
                return;
            }
            let (answer, on_change) = (answer.clone(), on_change.clone());
            let request = SubmitCheckinRequest { session_id, code: (*form).clone(), method: None };
            form.send(
                &["code"],
                async move { ipc::call::<ops::SubmitCheckin>(&request).await },
                move |told: CheckinAnswer| {
                    let accepted = told.accepted;
                    answer.set(Some(told));
                    if accepted {
                        on_change.emit(());
                        None
                    } else {
                        Some(String::new())
                    }
                },
            );
        })
    };
    let times = match today.session.starts_at {
        Some(start) => format!("{} · starts {}", today.session.cohort_name, start.format("%H:%M")),
        None => today.session.cohort_name.clone(),
    };
    let status = match (today.checked_in_at, today.mark) {
        (Some(at), mark) => html! {
            <p class="today__done" data-testid="checked-in-at">
                { format!("Checked in at {}", today.window.local_time(at)) }
                if let Some(mark) = mark { { " " }{ mark_badge(mark) } }
            </p>
        },
        (None, Some(mark)) => html! {
            <p class="today__done">{ "Your instructor marked you " }{ mark_badge(mark) }</p>
        },
        (None, None) => match today.state {
            WindowState::NotOpenYet => {
                html! { <p class="muted">{ format!("Check-in opens at {}.", today.window.local_time(today.window.opens_at)) }</p> }
            }
            WindowState::Closed => {
                html! { <p class="muted">{ "Check-in has closed. Your instructor marks you." }</p> }
            }
            WindowState::Open | WindowState::Late => {
                let problems = form.problems();
                html! {
                    <form class="today__form" onsubmit={submit} novalidate=true>
                        <TextField id={format!("code-{session_id}")} label="Check-in code" value={(*form).clone()}
                            node_ref={input.clone()} autocomplete="off" placeholder="K7M 4QX"
                            oninput={form.field(|code: &mut String, value| *code = value)}
                            error={problems.field("code").or_else(|| problems.general.clone())} />
                        <button type="submit" class="button button--primary button--inline" disabled={form.saving()}
                            data-testid="check-in">{ if form.saving() { "Checking in…" } else { "Check in" } }</button>
                    </form>
                }
            }
        },
    };
    let told = (*answer).clone().map(|told| {
        let class = if told.accepted { "notice notice--ok" } else { "alert" };
        html! { <p class={class} role="status" data-testid="checkin-answer">{ told.message }</p> }
    });
    let outcome_note = (*answer).as_ref().filter(|told| told.outcome == CheckinOutcome::Locked).map(|_| {
        html! { <p class="muted table__small">{ "Five wrong codes lock check-in for this session for five minutes." }</p> }
    });
    html! {
        <li class="today__session" data-testid="today-session" data-session={session_id.to_string()}>
            <div class="today__head">
                <span class="table__strong">{ &today.session.title }</span>
                { state_badge(today.state) }
            </div>
            <p class="muted table__small">{ times }{ format!(" · {}", window_line(&today.window)) }</p>
            { status }
            { for told }
            { for outcome_note }
        </li>
    }
}
