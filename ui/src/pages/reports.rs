//! Attendance reports: a cohort's students by rate ((present + late) / sessions held, late
//! shown apart), those under the threshold highlighted, each student's record a click
//! away; its sessions with their marks counted; any report saved as CSV in Downloads. A
//! student's own record is on their home screen.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::chart::Sparkline;
use crate::components::dialog::Dialog;
use crate::components::form::alert;
use crate::components::hooks::use_view_cohorts;
use crate::components::labels::enrollment_badge;
use crate::components::tabs::Tabs;
use crate::components::toast::use_toast;
use crate::ipc;
use crate::panels::attendance_charts::{CohortAttendanceChart, StudentTrend};
use crate::panels::attendance_record::{export, percent, summary, RecordList};
use crate::panels::import::{Import, ImportKind};
use crate::session::{use_session, Session, View};
use hub_model::attendance::{
    CohortIdRequest, CohortReportRequest, CsvReport, EnrollmentRequest, StudentRate,
};
use hub_model::ops;
use hub_model::programs::EnrollmentStatus;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[function_component(Reports)]
pub fn reports() -> Html {
    let session = use_session();
    let view = match &*session {
        Session::SignedIn { view, .. } => *view,
        _ => None,
    };
    let toast = use_toast();
    let cohorts = use_view_cohorts(view);
    let chosen = use_state(|| None::<i64>);
    let threshold = use_state(|| 80_u32);
    let tab = use_state(|| AttrValue::Static("students"));
    let student = use_state(|| None::<i64>);
    let problem = use_state(|| None::<String>);
    let importing = use_state(|| false);
    // The first cohort until one is chosen: read from the list at each render, never set
    // behind the person's back (a choice made while the list arrived would be undone).
    let shown = (*chosen).or_else(|| cohorts.first().map(|(id, _)| *id));
    let report =
        ipc::use_call_for::<ops::ReportCohort>(shown.map(|cohort_id| CohortReportRequest {
            cohort_id,
            threshold: Some(f64::from(*threshold) / 100.0),
        }));
    let sessions = ipc::use_call_for::<ops::ReportSessions>(
        shown.filter(|_| tab.as_str() == "sessions").map(|cohort_id| CohortIdRequest { cohort_id }),
    );
    let on_cohort = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            chosen.set(event.target_unchecked_into::<HtmlSelectElement>().value().parse().ok());
        })
    };
    let on_threshold = {
        let threshold = threshold.clone();
        Callback::from(move |event: Event| {
            if let Ok(value) = event.target_unchecked_into::<HtmlInputElement>().value().parse::<u32>() {
                threshold.set(value.min(100));
            }
        })
    };
    let on_tab = {
        let tab = tab.clone();
        Callback::from(move |key: AttrValue| tab.set(key))
    };
    let students = match &*report {
        None if shown.is_none() => html! { <p class="muted">{ "No cohort to report on yet." }</p> },
        None => html! { <p class="muted" aria-busy="true">{ "Counting…" }</p> },
        Some(Err(error)) => alert(error),
        Some(Ok(report)) if report.students.is_empty() => html! {
            <div class="empty"><p class="empty__title">{ "No student in this cohort yet" }</p></div>
        },
        Some(Ok(report)) => {
            let below = report.students.iter().filter(|student| student.below).count();
            // The students at risk first, the lowest rate first; then everyone by name.
            let mut rows: Vec<&StudentRate> = report.students.iter().collect();
            rows.sort_by(|a, b| {
                b.below.cmp(&a.below).then_with(|| {
                    if a.below {
                        a.rate.partial_cmp(&b.rate).unwrap_or(std::cmp::Ordering::Equal)
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
            });
            html! {
                <>
                    <p class="muted">{ format!("{} sessions held so far · {} of {} students under {}% · choose a student for their record", report.sessions_held, below, report.students.len(), *threshold) }</p>
                    <div class="table-frame">
                        <table class="table" aria-label="Attendance by student" data-testid="cohort-report" data-cohort={report.cohort_id.to_string()}>
                            <thead><tr>
                                <th scope="col">{ "Student" }</th><th scope="col">{ "Rate" }</th><th scope="col">{ "Trend" }</th><th scope="col">{ "Present" }</th>
                                <th scope="col">{ "Late" }</th><th scope="col">{ "Absent" }</th><th scope="col">{ "Excused" }</th>
                            </tr></thead>
                            <tbody>
                                { for rows.into_iter().map(|row| {
                                    let open = { let (student, id) = (student.clone(), row.enrollment_id); Callback::from(move |_: MouseEvent| student.set(Some(id))) };
                                    html! {
                                        <tr key={row.enrollment_id} class={classes!(row.below.then_some("table__row--warn"))}>
                                            <td><button class="link-button table__strong" onclick={open}
                                                aria-label={format!("{}'s record", row.full_name)}>{ &row.full_name }</button>
                                                if row.enrollment_status != EnrollmentStatus::Active { { " " }{ enrollment_badge(row.enrollment_status) } }
                                                if !row.last_absences.is_empty() {
                                                    <div class="muted table__small" data-testid="last-absences">
                                                        { format!("Absent {}", row.last_absences.iter().map(|date| date.format("%a %-d %b").to_string()).collect::<Vec<_>>().join(", ")) }
                                                    </div>
                                                }</td>
                                            <td>
                                                if row.below { <Badge text={percent(row.rate)} tone={BadgeTone::Danger} /> }
                                                else { { percent(row.rate) } }
                                            </td>
                                            <td>
                                                <Sparkline rates={row.weekly.iter().map(|week| week.rate).collect::<Vec<_>>()} threshold={Some(report.threshold)}
                                                    label={format!("{}'s rate in the last {} weeks: {}", row.full_name, row.weekly.len(),
                                                        row.weekly.iter().map(|week| percent(Some(week.rate))).collect::<Vec<_>>().join(", "))} />
                                            </td>
                                            <td>{ row.present }</td><td>{ row.late }</td>
                                            <td>{ row.absent }</td><td>{ row.excused }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                </>
            }
        }
    };
    let by_session = match &*sessions {
        None => html! { <p class="muted" aria-busy="true">{ "Counting…" }</p> },
        Some(Err(error)) => alert(error),
        Some(Ok(found)) if found.is_empty() => html! {
            <div class="empty"><p class="empty__title">{ "No session held yet" }</p>
                <p>{ "Sessions appear here from their day on." }</p></div>
        },
        Some(Ok(found)) => html! {
            <div class="table-frame">
                <table class="table" aria-label="Attendance by session" data-testid="sessions-report">
                    <thead><tr>
                        <th scope="col">{ "Session" }</th><th scope="col">{ "Present" }</th><th scope="col">{ "Late" }</th>
                        <th scope="col">{ "Absent" }</th><th scope="col">{ "Excused" }</th><th scope="col">{ "Not marked" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Export" }</span></th>
                    </tr></thead>
                    <tbody>
                        { for found.iter().map(|row| html! {
                            <tr key={row.session_id} class={classes!((row.unmarked > 0).then_some("table__row--warn"))}>
                                <td><span class="table__strong">{ row.date.format("%a %-d %b %Y").to_string() }</span>
                                    <div class="muted table__small">{ &row.title }</div></td>
                                <td>{ row.present }</td><td>{ row.late }</td><td>{ row.absent }</td><td>{ row.excused }</td>
                                <td>{ row.unmarked }</td>
                                <td class="table__end">
                                    <button class="button button--quiet button--small"
                                        onclick={export(CsvReport::Session { session_id: row.session_id }, toast.clone(), problem.clone())}
                                        aria-label={format!("Export {} as CSV", row.date)}>{ "CSV" }</button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    let tabs = vec![
        (AttrValue::Static("students"), AttrValue::Static("Students")),
        (AttrValue::Static("sessions"), AttrValue::Static("Sessions")),
    ];
    let share = f64::from(*threshold) / 100.0;
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Attendance reports" }</h1>
                    <p class="content__lead">{ "Rate = (present + late) ÷ sessions held. Late is counted apart." }</p>
                </div>
                <div class="page-header__actions">
                    if view == Some(View::Admin) {
                        <button class="button button--quiet" data-testid="open-import-marks"
                            onclick={let importing = importing.clone(); Callback::from(move |_| importing.set(true))}>
                            { "Import marks…" }
                        </button>
                    }
                    if let Some(cohort_id) = shown {
                        <button class="button button--quiet"
                            onclick={export(CsvReport::Cohort { cohort_id, threshold: Some(share) }, toast.clone(), problem.clone())}
                            data-testid="export-csv">{ "Export CSV" }</button>
                    }
                </div>
            </div>
            if *importing {
                <Import kind={ImportKind::Marks}
                    on_close={let importing = importing.clone(); Callback::from(move |()| importing.set(false))}
                    on_imported={report.reload()} />
            }
            <div class="toolbar">
                <select aria-label="Cohort" onchange={on_cohort} data-testid="report-cohort">
                    { for cohorts.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={shown == Some(*id)}>{ name }</option> }) }
                </select>
                <label class="toolbar__check">{ "Highlight under " }
                    <input type="number" min="0" max="100" value={threshold.to_string()} onchange={on_threshold}
                        aria-label="Threshold in percent" class="toolbar__number" />{ " %" }</label>
            </div>
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
            if let Some(cohort_id) = shown {
                <section class="panel reports__chart" aria-label="Attendance over time">
                    <CohortAttendanceChart key={cohort_id} {cohort_id} />
                </section>
            }
            <Tabs {tabs} selected={(*tab).clone()} on_select={on_tab} label="Report by">
                { if tab.as_str() == "sessions" { by_session } else { students } }
            </Tabs>
            if let Some(enrollment_id) = *student {
                <StudentRecord {enrollment_id} on_close={let student = student.clone(); Callback::from(move |()| student.set(None))} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct StudentRecordProps {
    enrollment_id: i64,
    on_close: Callback<()>,
}

/// One student's record in a cohort, every session held, with its CSV.
#[function_component(StudentRecord)]
fn student_record(props: &StudentRecordProps) -> Html {
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    let record =
        ipc::use_call::<ops::ReportStudent>(EnrollmentRequest { enrollment_id: props.enrollment_id });
    let footer = html! {
        <>
            <button class="button button--quiet"
                onclick={export(CsvReport::Student { enrollment_id: props.enrollment_id }, toast, problem.clone())}>{ "Export CSV" }</button>
            <button class="button button--primary button--inline" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
        </>
    };
    let (title, body) = match &*record {
        None => ("Attendance".to_owned(), html! { <p class="muted" aria-busy="true">{ "Loading…" }</p> }),
        Some(Err(error)) => ("Attendance".to_owned(), alert(error)),
        Some(Ok(record)) => (
            format!("{} — {}", record.rate.full_name, record.cohort_name),
            html! {
                <>
                    <p>{ summary(record) }</p>
                    <StudentTrend record={record.clone()} />
                    <RecordList sessions={record.sessions.clone()} />
                </>
            },
        ),
    };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="student-record">
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
            { body }
        </Dialog>
    }
}
