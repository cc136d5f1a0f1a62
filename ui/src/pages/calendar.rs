//! The class calendar, for everyone: a month or a week of sessions, each colored by its
//! cohort and marked by its kind and where it happens; a click opens the day's plan.
//! Admins see every cohort (and may filter); instructors and students their own. Admins
//! and instructors add, change and delete sessions, and plan a recurring schedule,
//! previewed before it is added.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{
    choice_options, dialog_buttons, optional, sentence, use_form, Problems, Select, TextField,
};
use crate::components::hooks::use_view_cohorts;
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::session::{use_session, Action, Page, Session, View};
use chrono::{Datelike, Duration, Local, Months, NaiveDate, NaiveTime};
use hub_model::ops;
use hub_model::sessions::{
    weekday, what_deleting_takes, CalendarSession, DeleteSessionRequest, DeliveryMode, ListSessionsRequest,
    PlanSessionsRequest, PlannedDay, SaveSessionRequest, SessionType,
};
use hub_model::ErrorKind;
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// How many cohort colors the calendar cycles through (`--cohort-0` … in styles.css).
const PALETTE: i64 = 6;

/// What the calendar shows over itself.
#[derive(Clone, Default, PartialEq)]
enum Open {
    #[default]
    Nothing,
    /// A session's day plan.
    Day(CalendarSession),
    /// A new session (`None`) or one being changed.
    Edit(Option<CalendarSession>),
    Delete(CalendarSession),
    /// A recurring schedule.
    Plan,
}

#[derive(Clone, Copy, PartialEq)]
enum Span {
    Month,
    Week,
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The days shown: whole weeks covering the month, or the week.
fn shown_days(span: Span, anchor: NaiveDate) -> (NaiveDate, NaiveDate) {
    match span {
        Span::Week => (monday_of(anchor), monday_of(anchor) + Duration::days(6)),
        Span::Month => {
            let first = anchor.with_day(1).unwrap_or(anchor);
            let next = if first.month() == 12 {
                NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
            }
            .unwrap_or(first);
            let last = next - Duration::days(1);
            (monday_of(first), monday_of(last) + Duration::days(6))
        }
    }
}

/// The flag a calendar chip carries for a session that is not a plain class.
fn kind_flag(kind: SessionType) -> Option<&'static str> {
    (kind != SessionType::Normal).then(|| kind.label())
}

fn times(session: &CalendarSession) -> String {
    match (session.starts_at, session.ends_at) {
        (Some(start), Some(end)) => format!("{}–{}", start.format("%H:%M"), end.format("%H:%M")),
        (Some(start), None) => start.format("%H:%M").to_string(),
        _ => "All day".to_owned(),
    }
}

/// Which days, of which cohorts, the calendar asks for; an answer to any other question
/// (a month stepped past, a cohort changed) is late and dropped.
#[derive(Clone, Copy, PartialEq)]
struct Shown {
    from: NaiveDate,
    to: NaiveDate,
    cohort: Option<i64>,
    /// Bumped after a change, to ask again.
    generation: u32,
}

/// Everything the calendar page holds: what it shows, what came back, what is open over it.
#[derive(Clone, PartialEq)]
struct CalendarState {
    span: Span,
    /// A day in the month or week shown.
    anchor: NaiveDate,
    cohort: Option<i64>,
    generation: u32,
    /// The sessions, with the question they answer.
    sessions: Option<(Shown, Result<Vec<CalendarSession>, String>)>,
    open: Open,
    deleting: bool,
    /// Why the last delete was refused.
    refused: Option<AttrValue>,
}

impl CalendarState {
    fn new() -> Self {
        Self {
            span: Span::Month,
            anchor: Local::now().date_naive(),
            cohort: None,
            generation: 0,
            sessions: None,
            open: Open::Nothing,
            deleting: false,
            refused: None,
        }
    }

    fn shown(&self) -> Shown {
        let (from, to) = shown_days(self.span, self.anchor);
        Shown { from, to, cohort: self.cohort, generation: self.generation }
    }

    /// The answer for the days shown now; `None` while it is on its way.
    fn sessions(&self) -> Option<&Result<Vec<CalendarSession>, String>> {
        self.sessions.as_ref().filter(|(shown, _)| *shown == self.shown()).map(|(_, answer)| answer)
    }
}

enum CalendarAction {
    /// A month or week later (`true`) or earlier.
    Step(bool),
    Today,
    Span(Span),
    Cohort(Option<i64>),
    Loaded(Shown, Result<Vec<CalendarSession>, String>),
    /// Something changed: ask for the shown days again.
    Reload,
    Open(Open),
    Close,
    Saved(CalendarSession),
    Deleting,
    Deleted,
    /// The delete was refused; `now` is the session as the server has it, when it was reread.
    DeleteRefused {
        now: Option<CalendarSession>,
        message: String,
    },
}

impl Reducible for CalendarState {
    type Action = CalendarAction;

    fn reduce(self: std::rc::Rc<Self>, action: CalendarAction) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CalendarAction::Step(forward) => {
                next.anchor = match next.span {
                    Span::Week if forward => next.anchor + Duration::days(7),
                    Span::Week => next.anchor - Duration::days(7),
                    Span::Month => {
                        let first = next.anchor.with_day(1).unwrap_or(next.anchor);
                        let month = Months::new(1);
                        if forward {
                            first.checked_add_months(month)
                        } else {
                            first.checked_sub_months(month)
                        }
                        .unwrap_or(first)
                    }
                };
            }
            CalendarAction::Today => next.anchor = Local::now().date_naive(),
            CalendarAction::Span(span) => next.span = span,
            CalendarAction::Cohort(cohort) => next.cohort = cohort,
            CalendarAction::Loaded(shown, answer) => {
                if shown != self.shown() {
                    return self;
                }
                next.sessions = Some((shown, answer));
            }
            CalendarAction::Reload => next.generation += 1,
            CalendarAction::Open(open) => {
                next.open = open;
                next.refused = None;
            }
            CalendarAction::Close => {
                next.open = Open::Nothing;
                next.refused = None;
            }
            CalendarAction::Saved(saved) => {
                next.open = Open::Day(saved);
                next.generation += 1;
            }
            CalendarAction::Deleting => next.deleting = true,
            CalendarAction::Deleted => {
                next.open = Open::Nothing;
                next.refused = None;
                next.deleting = false;
                next.generation += 1;
            }
            CalendarAction::DeleteRefused { now, message } => {
                if let Some(now) = now {
                    next.open = Open::Delete(now);
                }
                next.refused = Some(AttrValue::from(message));
                next.deleting = false;
            }
        }
        next.into()
    }
}

#[function_component(Calendar)]
pub fn calendar() -> Html {
    let session = use_session();
    let view = match &*session {
        Session::SignedIn { view, .. } => *view,
        _ => None,
    };
    let state = use_reducer(CalendarState::new);
    let shown = state.shown();
    {
        let state = state.clone();
        use_effect_with(shown, move |shown| {
            let shown = *shown;
            let request = ListSessionsRequest { from: shown.from, to: shown.to, cohort_id: shown.cohort };
            spawn_local(async move {
                let answer =
                    ipc::call::<ops::ListSessions>(&request).await.map_err(|error| sentence(&error.message));
                state.dispatch(CalendarAction::Loaded(shown, answer));
            });
        });
    }
    let cohorts = use_view_cohorts(view);
    let toast = use_toast();
    let on = |action: fn() -> CalendarAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let open_with = |open: Open| {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(CalendarAction::Open(open.clone())))
    };
    let on_cohort = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let cohort = event.target_unchecked_into::<HtmlSelectElement>().value().parse().ok();
            state.dispatch(CalendarAction::Cohort(cohort));
        })
    };
    let (span, anchor, Shown { from, to, .. }) = (state.span, state.anchor, shown);
    let found: &[CalendarSession] = match state.sessions() {
        Some(Ok(found)) => found,
        _ => &[],
    };
    let chip = |session: &CalendarSession| {
        let pick = open_with(Open::Day(session.clone())).reform(|_: MouseEvent| ());
        let color = format!("cal__chip--{}", session.cohort_id.rem_euclid(PALETTE));
        html! {
            <button class={classes!("cal__chip", color)} onclick={pick} key={session.id}
                aria-label={format!("{} {}, {}", session.cohort_name, times(session), session.title)}>
                <span class="cal__time">{ session.starts_at.map(|t| t.format("%H:%M").to_string()).unwrap_or_default() }</span>
                <span class="cal__title">{ &session.title }</span>
                if let Some(kind) = kind_flag(session.session_type) { <span class="cal__flag" title={kind}>{ kind.chars().next().unwrap_or('•') }</span> }
                if session.delivery_mode != DeliveryMode::Onsite {
                    <span class="cal__flag" title={session.delivery_mode.label()}>{ session.delivery_mode.label().chars().next().unwrap_or('•') }</span>
                }
            </button>
        }
    };
    let reload_now = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(CalendarAction::Reload))
    };
    let close = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(CalendarAction::Close))
    };
    let changed = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |saved: CalendarSession| {
            toast.success(format!("{} on {} is saved.", saved.title, when::day(saved.date)));
            state.dispatch(CalendarAction::Saved(saved));
        })
    };
    let delete = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |()| {
            let Open::Delete(session) = state.open.clone() else { return };
            let (state, toast) = (state.clone(), toast.clone());
            state.dispatch(CalendarAction::Deleting);
            spawn_local(async move {
                let request = DeleteSessionRequest { id: session.id, marks: session.marks };
                match ipc::call::<ops::DeleteSession>(&request).await {
                    Ok(_) => {
                        toast.success(format!(
                            "{} on {} is deleted.",
                            session.title,
                            when::day(session.date)
                        ));
                        state.dispatch(CalendarAction::Deleted);
                    }
                    Err(error) => {
                        // Marks were made since the dialog opened: it shows the new count, and
                        // a second confirmation deletes the session with them.
                        let now =
                            if error.kind == ErrorKind::Conflict { reread(&session).await } else { None };
                        state.dispatch(CalendarAction::DeleteRefused {
                            now,
                            message: sentence(&error.message),
                        });
                    }
                }
            });
        })
    };
    let heading = match span {
        Span::Month => anchor.format("%B %Y").to_string(),
        Span::Week => format!("{} – {}", from.format("%-d %b"), to.format("%-d %b %Y")),
    };
    let days: Vec<NaiveDate> = from.iter_days().take_while(|day| *day <= to).collect();
    let now = Local::now().date_naive();
    let plans = matches!(view, Some(View::Admin | View::Instructor));
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Calendar" }</h1>
                    <p class="content__lead">{ match view {
                        Some(View::Admin) => "Every cohort's sessions. Choose a cohort to see only its own.",
                        Some(View::Instructor) => "The sessions of the cohorts you teach.",
                        _ => "Your cohort's sessions and each day's plan.",
                    } }</p>
                </div>
                if plans {
                    <div class="actions">
                        <button class="button button--quiet" data-testid="new-session"
                            onclick={open_with(Open::Edit(None)).reform(|_: MouseEvent| ())}>{ "New session" }</button>
                        <button class="button button--primary button--inline" data-testid="plan-sessions"
                            onclick={open_with(Open::Plan).reform(|_: MouseEvent| ())}>{ "Plan sessions" }</button>
                    </div>
                }
            </div>
            <div class="toolbar cal__toolbar">
                <button class="button button--quiet button--small" onclick={on(|| CalendarAction::Step(false))} aria-label="Earlier">{ "‹" }</button>
                <button class="button button--quiet button--small" onclick={on(|| CalendarAction::Today)}>{ "Today" }</button>
                <button class="button button--quiet button--small" onclick={on(|| CalendarAction::Step(true))} aria-label="Later">{ "›" }</button>
                <h2 class="cal__heading" data-testid="calendar-heading">{ heading }</h2>
                <span class="topbar__spacer"></span>
                if cohorts.len() > 1 || view == Some(View::Admin) {
                    <select aria-label="Cohort" onchange={on_cohort} data-testid="calendar-cohort">
                        <option value="" selected={state.cohort.is_none()}>{ "All my cohorts" }</option>
                        { for cohorts.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={state.cohort == Some(*id)}>{ name }</option> }) }
                    </select>
                }
                <div class="switcher" role="group" aria-label="Span">
                    <button class={classes!("switcher__option", (span == Span::Month).then_some("switcher__option--on"))}
                        aria-pressed={(span == Span::Month).to_string()} onclick={on(|| CalendarAction::Span(Span::Month))}>{ "Month" }</button>
                    <button class={classes!("switcher__option", (span == Span::Week).then_some("switcher__option--on"))}
                        aria-pressed={(span == Span::Week).to_string()} onclick={on(|| CalendarAction::Span(Span::Week))} data-testid="week-view">{ "Week" }</button>
                </div>
            </div>
            if let Some(Err(message)) = state.sessions() { <p class="alert" role="alert">{ message }</p> }
            <div class={classes!("cal", if span == Span::Week { "cal--week" } else { "cal--month" })} data-testid="calendar"
                aria-busy={state.sessions().is_none().to_string()}>
                { for (1..=7).map(|number| html! {
                    <div class="cal__weekday">{ weekday(number).map(|day| day.to_string()).unwrap_or_default() }</div>
                }) }
                { for days.iter().map(|day| {
                    let on_day: Vec<&CalendarSession> = found.iter().filter(|session| session.date == *day).collect();
                    let outside = span == Span::Month && day.month() != anchor.month();
                    html! {
                        <div class={classes!("cal__day", outside.then_some("cal__day--outside"), (*day == now).then_some("cal__day--today"))}
                            key={day.to_string()}>
                            <span class="cal__date">{ if span == Span::Week { day.format("%a %-d").to_string() } else { day.day().to_string() } }</span>
                            { for on_day.into_iter().map(chip) }
                        </div>
                    }
                }) }
            </div>
            if matches!(state.sessions(), Some(Ok(found)) if found.is_empty()) {
                <p class="muted cal__empty">{ "No session in these days." }</p>
            }
            { match &state.open {
                Open::Nothing => html! {},
                Open::Day(session) => html! {
                    <DayPlan session={session.clone()} on_close={close.clone()}
                        on_edit={open_with(Open::Edit(Some(session.clone())))}
                        on_delete={open_with(Open::Delete(session.clone()))} />
                },
                Open::Edit(session) => html! {
                    <SessionEditor session={session.clone()} cohorts={(*cohorts).clone()} day={anchor}
                        on_close={close.clone()} on_saved={changed.clone()} />
                },
                Open::Delete(session) => html! {
                    <Confirm title={format!("Delete {} on {}?", session.title, when::day(session.date))} danger=true busy={state.deleting}
                        message={format!("The session leaves the calendar. {} This cannot be undone.", what_deleting_takes(session.marks))}
                        confirm_label="Delete session" on_confirm={delete.clone()} on_cancel={close.clone()}
                        error={state.refused.clone()} />
                },
                Open::Plan => html! {
                    <PlanDialog cohorts={(*cohorts).clone()} on_close={close.clone()} on_added={reload_now.clone()} />
                },
            } }
        </>
    }
}

/// The session as the server has it now (its marks counted again), if it is still there.
async fn reread(session: &CalendarSession) -> Option<CalendarSession> {
    let day =
        ListSessionsRequest { from: session.date, to: session.date, cohort_id: Some(session.cohort_id) };
    let sessions = ipc::call::<ops::ListSessions>(&day).await.ok()?;
    sessions.into_iter().find(|now| now.id == session.id)
}

#[derive(Properties, PartialEq)]
struct DayPlanProps {
    session: CalendarSession,
    on_close: Callback<()>,
    on_edit: Callback<()>,
    on_delete: Callback<()>,
}

#[function_component(DayPlan)]
fn day_plan(props: &DayPlanProps) -> Html {
    let app = use_session();
    let session = &props.session;
    let teaching = matches!(&*app, Session::SignedIn { view: Some(View::Admin | View::Instructor), .. });
    let checkin_today = session.date == chrono::Local::now().date_naive();
    let open_checkin = {
        let (app, id) = (app.clone(), session.id);
        Callback::from(move |_: MouseEvent| app.dispatch(Action::Go(Page::Checkin(id))))
    };
    let footer = html! {
        <>
            // What the server says this person may do with it (the core checks again).
            if session.can_delete {
                <button class="button button--danger-quiet" onclick={props.on_delete.reform(|_: MouseEvent| ())}
                    data-testid="delete-session">{ "Delete" }</button>
            }
            if session.can_change {
                <button class="button button--quiet" onclick={props.on_edit.reform(|_: MouseEvent| ())}
                    data-testid="edit-session">{ "Edit" }</button>
            }
            // Check-in, on the day (the core says whether this person may open it).
            if checkin_today && teaching {
                <button class="button button--quiet" onclick={open_checkin} data-testid="day-plan-checkin">{ "Check-in" }</button>
            }
            <button class="button button--primary button--inline" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
        </>
    };
    html! {
        <Dialog title={session.title.clone()} on_close={&props.on_close} {footer} testid="day-plan">
            <p class="muted">{ format!("{} · {} · {} — {}", when::day(session.date), times(session), session.program_title, session.cohort_name) }</p>
            <p class="badges">
                <Badge text={session.delivery_mode.label()} />
                if let Some(kind) = kind_flag(session.session_type) { <Badge text={kind} tone={BadgeTone::Warning} /> }
            </p>
            <p>{ format!("Where: {}", session.shown_location) }</p>
            <h3 class="cal__plan-title">{ "The day's plan" }</h3>
            <p class="message__body">{ session.day_plan.clone().unwrap_or_else(|| "No plan written yet.".to_owned()) }</p>
            if let Some(description) = &session.description { <p class="muted message__body">{ description }</p> }
        </Dialog>
    }
}

/// What the location field means when left empty, for the mode chosen.
fn location_hint(mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::Remote => "Empty: shown as Online. Or paste the meeting link.",
        DeliveryMode::Onsite | DeliveryMode::Hybrid => "Empty: the site's address.",
    }
}

#[derive(Clone, PartialEq)]
struct SessionForm {
    cohort_id: String,
    date: String,
    starts_at: String,
    ends_at: String,
    mode: DeliveryMode,
    location: String,
    title: String,
    kind: SessionType,
    day_plan: String,
    description: String,
}

#[derive(Properties, PartialEq)]
struct SessionEditorProps {
    /// `None`: a new session.
    session: Option<CalendarSession>,
    cohorts: Vec<(i64, String)>,
    /// The day a new session starts on.
    day: NaiveDate,
    on_close: Callback<()>,
    on_saved: Callback<CalendarSession>,
}

const SESSION_FIELDS: [&str; 9] = [
    "cohort_id",
    "date",
    "starts_at",
    "ends_at",
    "location",
    "title",
    "day_plan",
    "description",
    "session_type",
];

/// One session, new or changed: when, where, what kind, and the day's plan.
#[function_component(SessionEditor)]
fn session_editor(props: &SessionEditorProps) -> Html {
    let form = use_form(|| match &props.session {
        Some(session) => SessionForm {
            cohort_id: session.cohort_id.to_string(),
            date: session.date.to_string(),
            starts_at: session.starts_at.map(|time| time.format("%H:%M").to_string()).unwrap_or_default(),
            ends_at: session.ends_at.map(|time| time.format("%H:%M").to_string()).unwrap_or_default(),
            mode: session.delivery_mode,
            location: session.location.clone().unwrap_or_default(),
            title: session.title.clone(),
            kind: session.session_type,
            day_plan: session.day_plan.clone().unwrap_or_default(),
            description: session.description.clone().unwrap_or_default(),
        },
        None => SessionForm {
            cohort_id: props.cohorts.first().map(|(id, _)| id.to_string()).unwrap_or_default(),
            date: props.day.to_string(),
            starts_at: "09:00".to_owned(),
            ends_at: "13:00".to_owned(),
            mode: DeliveryMode::default(),
            location: String::new(),
            title: "Class".to_owned(),
            kind: SessionType::default(),
            day_plan: String::new(),
            description: String::new(),
        },
    });
    let id = props.session.as_ref().map(|session| session.id);
    let submit = {
        let (form, on_saved) = (form.clone(), props.on_saved.clone());
        Callback::from(move |()| {
            let mut found = Problems::default();
            let cohort_id = form.cohort_id.parse().unwrap_or_else(|_| {
                found.add("cohort_id", "Choose the cohort.");
                0
            });
            let date = match when::date_from_input(&form.date) {
                Ok(Some(date)) => Some(date),
                _ => {
                    found.add("date", "Enter the day.");
                    None
                }
            };
            let time = |field: &str, text: &str, found: &mut Problems| match text.trim() {
                "" => None,
                text => NaiveTime::parse_from_str(text, "%H:%M").map_or_else(
                    |_| {
                        found.add(field, "Enter a time such as 09:30.");
                        None
                    },
                    Some,
                ),
            };
            let starts_at = time("starts_at", &form.starts_at, &mut found);
            let ends_at = time("ends_at", &form.ends_at, &mut found);
            found.require("title", &form.title, "Enter what the day is about.");
            let Some(date) = date.filter(|_| found.is_empty()) else {
                return form.refuse(found);
            };
            let request = SaveSessionRequest {
                id,
                cohort_id,
                date,
                starts_at,
                ends_at,
                delivery_mode: form.mode,
                location: optional(&form.location),
                title: form.title.trim().to_owned(),
                day_plan: optional(&form.day_plan),
                description: optional(&form.description),
                session_type: form.kind,
            };
            let on_saved = on_saved.clone();
            form.call::<ops::SaveSession>(request, &SESSION_FIELDS, move |saved| {
                on_saved.emit(saved);
            });
        })
    };
    let cohort_options: Vec<(AttrValue, AttrValue)> =
        props.cohorts.iter().map(|(id, name)| (id.to_string().into(), name.clone().into())).collect();
    let title = if id.is_some() { "Edit session" } else { "New session" };
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-session", "Save session");
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="session-editor">
            if id.is_none() {
                <Select id="cohort_id" label="Cohort" options={cohort_options} value={form.cohort_id.clone()}
                    onchange={form.field(|form, value| form.cohort_id = value)} error={form.problems().field("cohort_id")} />
            } else if let Some(session) = &props.session {
                <p class="muted">{ format!("{} — {}", session.program_title, session.cohort_name) }</p>
            }
            <div class="form-grid">
                <TextField id="title" label="Title" value={form.title.clone()} oninput={form.field(|form, value| form.title = value)}
                    error={form.problems().field("title")} required=true />
                <Select id="session_type" label="Kind" options={choice_options::<SessionType>()} value={form.kind.as_str()}
                    onchange={form.field(|form, value: String| form.kind = SessionType::parse(&value).unwrap_or_default())} error={form.problems().field("session_type")} />
            </div>
            <div class="form-grid form-grid--three">
                <TextField id="date" label="Day" input_type="date" value={form.date.clone()}
                    oninput={form.field(|form, value| form.date = value)} error={form.problems().field("date")} required=true />
                <TextField id="starts_at" label="Starts" input_type="time" value={form.starts_at.clone()}
                    oninput={form.field(|form, value| form.starts_at = value)} error={form.problems().field("starts_at")} hint="Empty: all day." />
                <TextField id="ends_at" label="Ends" input_type="time" value={form.ends_at.clone()}
                    oninput={form.field(|form, value| form.ends_at = value)} error={form.problems().field("ends_at")} />
            </div>
            <div class="form-grid">
                <Select id="mode" label="How" options={choice_options::<DeliveryMode>()} value={form.mode.as_str()}
                    onchange={form.field(|form, value: String| form.mode = DeliveryMode::parse(&value).unwrap_or_default())} />
                <TextField id="location" label="Where" value={form.location.clone()}
                    oninput={form.field(|form, value| form.location = value)} error={form.problems().field("location")}
                    hint={AttrValue::Static(location_hint(form.mode))} />
            </div>
            <TextField id="day_plan" label="The day's plan" multiline=true value={form.day_plan.clone()}
                oninput={form.field(|form, value| form.day_plan = value)} error={form.problems().field("day_plan")}
                hint="What the students do, hour by hour; they read it in their calendar." />
            <TextField id="description" label="Notes" multiline=true value={form.description.clone()}
                oninput={form.field(|form, value| form.description = value)} error={form.problems().field("description")} />
            if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
        </Dialog>
    }
}

#[derive(Clone, PartialEq)]
struct PlanForm {
    cohort_id: String,
    weekdays: Vec<u32>,
    from: String,
    to: String,
    starts_at: String,
    ends_at: String,
    skip: String,
    title: String,
    mode: DeliveryMode,
    kind: SessionType,
    location: String,
}

/// The plan being written, and the days it gave when last previewed.
#[derive(Clone, PartialEq)]
struct PlanState {
    form: PlanForm,
    preview: Option<Vec<PlannedDay>>,
}

impl PlanState {
    /// Any change makes the preview stale: it goes until asked for again.
    fn changed(&mut self, update: impl FnOnce(&mut PlanForm)) {
        update(&mut self.form);
        self.preview = None;
    }
}

#[derive(Properties, PartialEq)]
struct PlanProps {
    cohorts: Vec<(i64, String)>,
    on_close: Callback<()>,
    on_added: Callback<()>,
}

const PLAN_FIELDS: [&str; 9] =
    ["cohort_id", "weekdays", "from", "to", "starts_at", "ends_at", "skip", "title", "location"];

/// Weekdays, hours, dates and holidays in; the days it gives, previewed; then added.
#[function_component(PlanDialog)]
fn plan_dialog(props: &PlanProps) -> Html {
    let toast = use_toast();
    let plan = use_form(|| PlanState {
        form: PlanForm {
            cohort_id: props.cohorts.first().map(|(id, _)| id.to_string()).unwrap_or_default(),
            weekdays: vec![1, 2, 3, 4],
            from: String::new(),
            to: String::new(),
            starts_at: "09:00".to_owned(),
            ends_at: "13:00".to_owned(),
            skip: String::new(),
            title: "Class".to_owned(),
            mode: DeliveryMode::default(),
            kind: SessionType::default(),
            location: String::new(),
        },
        preview: None,
    });
    let text = |update: fn(&mut PlanForm, String)| {
        let plan = plan.clone();
        Callback::from(move |value: String| plan.edit(move |plan| plan.changed(|form| update(form, value))))
    };
    let request = |form: &PlanForm| -> Result<PlanSessionsRequest, Problems> {
        let mut found = Problems::default();
        let cohort_id = form.cohort_id.parse().unwrap_or_else(|_| {
            found.add("cohort_id", "Choose the cohort.");
            0
        });
        let date = |field: &str, text: &str, found: &mut Problems| match when::date_from_input(text) {
            Ok(date) => date,
            Err(()) => {
                found.add(field, "Enter a date.");
                None
            }
        };
        let from = date("from", &form.from, &mut found);
        let to = date("to", &form.to, &mut found);
        let time = |text: &str| NaiveTime::parse_from_str(text, "%H:%M").ok();
        let skip: Vec<NaiveDate> = form
            .skip
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .filter_map(|part| match NaiveDate::parse_from_str(part, "%Y-%m-%d") {
                Ok(day) => Some(day),
                Err(_) => {
                    found.add("skip", "Write each day off as 2027-03-01, separated by commas.");
                    None
                }
            })
            .collect();
        if !found.is_empty() {
            return Err(found);
        }
        Ok(PlanSessionsRequest {
            cohort_id,
            weekdays: form.weekdays.clone(),
            from,
            to,
            starts_at: time(&form.starts_at),
            ends_at: time(&form.ends_at),
            skip,
            title: form.title.trim().to_owned(),
            delivery_mode: form.mode,
            location: optional(&form.location),
            session_type: form.kind,
        })
    };
    let on_preview = {
        let plan = plan.clone();
        Callback::from(move |_: MouseEvent| match request(&plan.form) {
            Err(found) => plan.refuse(found),
            Ok(request) => {
                let shown = plan.clone();
                plan.call::<ops::PlanSessions>(request, &PLAN_FIELDS, move |days| {
                    shown.edit(move |plan| plan.preview = Some(days));
                });
            }
        })
    };
    let submit = {
        let (plan, toast) = (plan.clone(), toast.clone());
        let (on_added, on_close) = (props.on_added.clone(), props.on_close.clone());
        Callback::from(move |()| match request(&plan.form) {
            Err(found) => plan.refuse(found),
            Ok(request) => {
                let (toast, on_added, on_close) = (toast.clone(), on_added.clone(), on_close.clone());
                plan.call::<ops::CreatePlan>(request, &PLAN_FIELDS, move |created| {
                    toast.success(format!("{} sessions added.", created.created));
                    on_added.emit(());
                    on_close.emit(());
                });
            }
        })
    };
    let toggle_day = |number: u32| {
        let plan = plan.clone();
        Callback::from(move |_: Event| {
            plan.edit(move |plan| {
                plan.changed(|form| {
                    if form.weekdays.contains(&number) {
                        form.weekdays.retain(|day| *day != number);
                    } else {
                        form.weekdays.push(number);
                        form.weekdays.sort_unstable();
                    }
                });
            });
        })
    };
    let (form, preview) = (&plan.form, &plan.preview);
    let free = preview.as_ref().map(|days| days.iter().filter(|day| !day.taken).count());
    let label = match free {
        Some(0) => "Nothing to add".to_owned(),
        Some(n) => format!("Add {n} sessions"),
        None => "Add sessions".to_owned(),
    };
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--quiet" onclick={on_preview} data-testid="preview-plan" disabled={plan.saving()}>{ "Preview" }</button>
            <button class="button button--primary button--inline" data-testid="add-plan"
                disabled={plan.saving() || free.is_none() || free == Some(0)} onclick={submit.reform(|_: MouseEvent| ())}>
                { if plan.saving() { "Saving…".to_owned() } else { label } }
            </button>
        </>
    };
    let cohort_options: Vec<(AttrValue, AttrValue)> =
        props.cohorts.iter().map(|(id, name)| (id.to_string().into(), name.clone().into())).collect();
    html! {
        <Dialog title="Plan recurring sessions" on_close={&props.on_close} {footer} wide=true testid="plan-dialog">
            <div class="form-grid">
                <Select id="cohort_id" label="Cohort" options={cohort_options} value={form.cohort_id.clone()}
                    onchange={text(|form, value| form.cohort_id = value)} error={plan.problems().field("cohort_id")} />
                <TextField id="title" label="Title" value={form.title.clone()} oninput={text(|form, value| form.title = value)}
                    error={plan.problems().field("title")} />
            </div>
            <fieldset class="fieldset">
                <legend>{ "Days of the week" }</legend>
                <div class="cal__weekdays">
                    { for (1..=7).map(|number| html! {
                        <label class="radio">
                            <input type="checkbox" checked={form.weekdays.contains(&number)} onchange={toggle_day(number)} />
                            { format!(" {}", weekday(number).map(|day| day.to_string()).unwrap_or_default()) }
                        </label>
                    }) }
                </div>
                if let Some(message) = plan.problems().field("weekdays") { <div class="field__error">{ message }</div> }
            </fieldset>
            <div class="form-grid">
                <TextField id="from" label="From" input_type="date" value={form.from.clone()} oninput={text(|form, value| form.from = value)}
                    error={plan.problems().field("from")} hint="Empty: the cohort's start." />
                <TextField id="to" label="To" input_type="date" value={form.to.clone()} oninput={text(|form, value| form.to = value)}
                    error={plan.problems().field("to")} hint="Empty: the cohort's end." />
            </div>
            <div class="form-grid">
                <TextField id="starts_at" label="Starts" input_type="time" value={form.starts_at.clone()}
                    oninput={text(|form, value| form.starts_at = value)} error={plan.problems().field("starts_at")} />
                <TextField id="ends_at" label="Ends" input_type="time" value={form.ends_at.clone()}
                    oninput={text(|form, value| form.ends_at = value)} error={plan.problems().field("ends_at")} />
            </div>
            <div class="form-grid">
                <TextField id="skip" label="Days off" value={form.skip.clone()} oninput={text(|form, value| form.skip = value)}
                    error={plan.problems().field("skip")} placeholder={Some(AttrValue::Static("2027-03-01, 2027-04-20"))} hint="Holidays: no class those days." />
                <Select id="session_type" label="Kind" options={choice_options::<SessionType>()} value={form.kind.as_str()}
                    onchange={text(|form, value| form.kind = SessionType::parse(&value).unwrap_or_default())} />
            </div>
            <div class="form-grid">
                <Select id="mode" label="How" options={choice_options::<DeliveryMode>()} value={form.mode.as_str()}
                    onchange={text(|form, value| form.mode = DeliveryMode::parse(&value).unwrap_or_default())} />
                <TextField id="location" label="Where" value={form.location.clone()} oninput={text(|form, value| form.location = value)}
                    error={plan.problems().field("location")} hint={AttrValue::Static(location_hint(form.mode))} />
            </div>
            if let Some(message) = &plan.problems().general { <p class="alert" role="alert">{ message }</p> }
            if let Some(days) = preview {
                <div class="cal__preview" data-testid="plan-preview">
                    <p><strong>{ format!("{} days, {} free", days.len(), free.unwrap_or(0)) }</strong>
                        { " — days the cohort already has a session are left as they are." }</p>
                    <ul>
                        { for days.iter().map(|day| html! {
                            <li class={classes!(day.taken.then_some("cal__taken"))} key={day.date.to_string()}>
                                { day.date.format("%a %-d %b").to_string() }{ if day.taken { " (taken)" } else { "" } }
                            </li>
                        }) }
                    </ul>
                </div>
            }
        </Dialog>
    }
}
