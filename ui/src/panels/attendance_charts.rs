//! Attendance at a glance: a cohort's marks per week or per session as stacked bars (the
//! cohort page and the reports), a student's rate over time (their home, their record), and
//! this week across the running cohorts (the admin's home).

use crate::components::chart::{percent, Bar, RateLine, Sparkline, StackedBars};
use crate::components::form::alert;
use crate::ipc;
use crate::session::{use_session, Action, Page};
use chrono::{Datelike, Duration, NaiveDate};
use hub_model::attendance::{
    CohortIdRequest, CohortReportRequest, Mark, SessionSummary, StudentRate, StudentReport,
};
use hub_model::{ops, NoRequest};
use std::collections::BTreeMap;
use yew::prelude::*;

fn counts(session: &SessionSummary) -> [i64; 5] {
    [session.present, session.late, session.excused, session.absent, session.unmarked]
}

/// One bar a session, oldest first (the report lists them newest first).
pub fn session_bars(sessions: &[SessionSummary]) -> Vec<Bar> {
    sessions
        .iter()
        .rev()
        .map(|session| Bar {
            label: session.date.format("%-d %b").to_string(),
            detail: format!("{} — {}", session.date.format("%a %-d %b"), session.title),
            counts: counts(session),
        })
        .collect()
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// One bar a week with a session held, its sessions' marks added up, oldest first.
pub fn week_bars(sessions: &[SessionSummary]) -> Vec<Bar> {
    let mut weeks: BTreeMap<NaiveDate, [i64; 5]> = BTreeMap::new();
    for session in sessions {
        let week = weeks.entry(monday(session.date)).or_default();
        for (total, count) in week.iter_mut().zip(counts(session)) {
            *total += count;
        }
    }
    weeks
        .into_iter()
        .map(|(week, counts)| Bar {
            label: week.format("%-d %b").to_string(),
            detail: format!("Week of {}", week.format("%a %-d %b")),
            counts,
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct CohortChartProps {
    pub cohort_id: i64,
}

/// A cohort's attendance per week, or per session, from its sessions held.
#[function_component(CohortAttendanceChart)]
pub fn cohort_attendance_chart(props: &CohortChartProps) -> Html {
    let sessions = ipc::use_call::<ops::ReportSessions>(CohortIdRequest { cohort_id: props.cohort_id });
    let by_session = use_state(|| false);
    let found = match &*sessions {
        None => return html! { <p class="muted" aria-busy="true">{ "Counting the marks…" }</p> },
        Some(Err(error)) => return alert(error),
        Some(Ok(found)) => found,
    };
    if found.is_empty() {
        return html! { <p class="muted">{ "No session held yet: the chart starts with the first one." }</p> };
    }
    let (bars, caption) = if *by_session {
        (
            session_bars(found),
            "Attendance per session: present, late, excused, absent and not marked, as a share of the roster",
        )
    } else {
        (
            week_bars(found),
            "Attendance per week: present, late, excused, absent and not marked, as a share of the roster",
        )
    };
    let switch = |to_sessions: bool, label: &'static str| {
        let by_session = by_session.clone();
        let pressed = *by_session == to_sessions;
        html! {
            <button class={classes!("switcher__option", pressed.then_some("switcher__option--on"))} aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_: MouseEvent| by_session.set(to_sessions))}>{ label }</button>
        }
    };
    html! {
        <div class="attendance-chart">
            <div class="switcher switcher--small" role="group" aria-label="Chart by">
                { switch(false, "By week") }{ switch(true, "By session") }
            </div>
            <StackedBars {bars} caption={caption} testid="attendance-chart" />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AtRiskProps {
    pub cohort_id: i64,
}

/// The cohort's students under its threshold, the lowest rate first, each with their weekly
/// trend and last absences.
#[function_component(AtRiskList)]
pub fn at_risk_list(props: &AtRiskProps) -> Html {
    let report = ipc::use_call::<ops::ReportCohort>(CohortReportRequest {
        cohort_id: props.cohort_id,
        threshold: None,
    });
    let report = match &*report {
        None => return html! {},
        Some(Err(error)) => return alert(error),
        Some(Ok(report)) => report,
    };
    let mut below: Vec<&StudentRate> = report.students.iter().filter(|student| student.below).collect();
    below.sort_by(|a, b| a.rate.partial_cmp(&b.rate).unwrap_or(std::cmp::Ordering::Equal));
    let threshold = percent(Some(report.threshold));
    if below.is_empty() {
        return html! { <p class="muted" data-testid="at-risk">{ format!("No student is under the cohort's {threshold}.") }</p> };
    }
    html! {
        <div data-testid="at-risk">
            <h3 class="at-risk__title">{ format!("Under {threshold} ({})", below.len()) }</h3>
            <ul class="at-risk">
                { for below.iter().map(|student| html! {
                    <li key={student.enrollment_id}>
                        <span class="table__strong">{ &student.full_name }</span>
                        <span class="at-risk__rate">{ percent(student.rate) }</span>
                        <Sparkline rates={student.weekly.iter().map(|week| week.rate).collect::<Vec<_>>()} threshold={Some(report.threshold)}
                            label={format!("{}'s rate in the last {} weeks: {}", student.full_name, student.weekly.len(),
                                student.weekly.iter().map(|week| percent(Some(week.rate))).collect::<Vec<_>>().join(", "))} />
                        <span class="muted table__small">
                            { format!("absent {}", student.last_absences.iter().map(|date| date.format("%a %-d %b").to_string()).collect::<Vec<_>>().join(", ")) }
                        </span>
                    </li>
                }) }
            </ul>
        </div>
    }
}

/// A student's rate after each session held, oldest first: how it moved over time.
pub fn rate_over_time(record: &StudentReport) -> Vec<(String, f64)> {
    let mut held = 0_u32;
    let mut attended = 0_u32;
    record
        .sessions
        .iter()
        .rev()
        .map(|session| {
            held += 1;
            if matches!(session.status, Some(Mark::Present | Mark::Late)) {
                attended += 1;
            }
            (session.date.format("%-d %b").to_string(), f64::from(attended) / f64::from(held))
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct StudentTrendProps {
    pub record: StudentReport,
    /// The cohort's threshold, drawn as a dashed line.
    #[prop_or_default]
    pub threshold: Option<f64>,
}

/// A student's rate over time.
#[function_component(StudentTrend)]
pub fn student_trend(props: &StudentTrendProps) -> Html {
    let points = rate_over_time(&props.record);
    if points.len() < 2 {
        return html! {};
    }
    html! {
        <RateLine {points} threshold={props.threshold} testid="rate-over-time"
            caption={format!("Attendance rate in {} after each session, now {}", props.record.cohort_name, percent(props.record.rate.rate))} />
    }
}

/// The admin's home: this week in each running cohort, the cohorts with the most students
/// under their threshold first.
#[function_component(AttendanceThisWeekPanel)]
pub fn attendance_this_week_panel() -> Html {
    let session = use_session();
    let overview = ipc::use_call::<ops::AttendanceThisWeek>(NoRequest {});
    let overview = match &*overview {
        None => return html! {},
        Some(Err(error)) => return alert(error),
        Some(Ok(overview)) => overview,
    };
    if overview.cohorts.is_empty() {
        return html! {};
    }
    let bars: Vec<Bar> = overview
        .cohorts
        .iter()
        .filter(|cohort| cohort.sessions_this_week > 0)
        .map(|cohort| Bar {
            label: cohort.cohort_name.clone(),
            detail: format!("{} — {}", cohort.program_title, cohort.cohort_name),
            counts: [cohort.present, cohort.late, cohort.excused, cohort.absent, cohort.unmarked],
        })
        .collect();
    html! {
        <section class="panel" aria-labelledby="this-week-title" data-testid="attendance-this-week">
            <h2 id="this-week-title">{ "Attendance this week" }</h2>
            <p class="muted">{ format!("Running cohorts, week of {}. Those with the most students under their threshold first.", overview.week.format("%a %-d %b")) }</p>
            if bars.is_empty() {
                <p class="muted">{ "No session held this week yet." }</p>
            } else {
                <StackedBars {bars} caption="This week's marks in each running cohort, as a share of its roster" testid="this-week-chart" />
            }
            <ul class="at-risk-cohorts" data-testid="cohorts-under-threshold">
                { for overview.cohorts.iter().map(|cohort| {
                    let open = {
                        let (session, id) = (session.clone(), cohort.cohort_id);
                        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::Cohort(id))))
                    };
                    html! {
                        <li key={cohort.cohort_id}>
                            <button class="link-button table__strong" onclick={open}>{ format!("{} — {}", cohort.program_title, cohort.cohort_name) }</button>
                            <span class={classes!("at-risk-cohorts__count", (cohort.students_below > 0).then_some("at-risk-cohorts__count--low"))}>
                                { format!("{} of {} students under {}", cohort.students_below, cohort.active_students, percent(Some(cohort.threshold))) }
                            </span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
