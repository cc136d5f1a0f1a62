//! Attendance reports: a cohort's students by rate ((present + late) / sessions held, late
//! shown apart), those under the threshold highlighted; any report saved as CSV in
//! Downloads. A student's own record is on their home screen.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::sentence;
use crate::components::toast::use_toast;
use crate::ipc;
use crate::session::{use_session, Session};
use hub_model::attendance::{CohortReport, CohortReportRequest, CsvReport, StudentReport};
use hub_model::ops;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

pub fn percent(rate: Option<f64>) -> String {
    rate.map(|rate| format!("{:.0}%", rate * 100.0)).unwrap_or_else(|| "—".to_owned())
}

/// Saves a report as CSV in Downloads and says where.
pub fn export(
    report: CsvReport,
    toast: crate::components::toast::Toaster,
    problem: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        let (toast, problem) = (toast.clone(), problem.clone());
        spawn_local(async move {
            let saved = match ipc::call::<ops::ExportCsv>(&report).await {
                Ok(file) => ipc::save_download(&file.filename, &file.content).await,
                Err(error) => Err(error),
            };
            match saved {
                Ok(path) => toast.success(format!("Saved to {path}")),
                Err(error) => problem.set(Some(sentence(&error.message))),
            }
        });
    })
}

#[function_component(Reports)]
pub fn reports() -> Html {
    let session = use_session();
    let view = match &*session {
        Session::SignedIn { view, .. } => *view,
        _ => None,
    };
    let toast = use_toast();
    let cohorts = crate::pages::calendar::use_view_cohorts(view);
    let chosen = use_state(|| None::<i64>);
    let threshold = use_state(|| 80_u32);
    let report = use_state(|| None::<Result<CohortReport, String>>);
    let problem = use_state(|| None::<String>);
    {
        // The first cohort until one is chosen.
        let chosen = chosen.clone();
        use_effect_with((*cohorts).clone(), move |cohorts| {
            if chosen.is_none() {
                chosen.set(cohorts.first().map(|(id, _)| *id));
            }
        });
    }
    {
        let report = report.clone();
        use_effect_with((*chosen, *threshold), move |(chosen, threshold)| {
            if let Some(cohort_id) = *chosen {
                let request =
                    CohortReportRequest { cohort_id, threshold: Some(f64::from(*threshold) / 100.0) };
                report.set(None);
                spawn_local(async move {
                    report.set(Some(
                        ipc::call::<ops::CohortReportOp>(&request)
                            .await
                            .map_err(|error| sentence(&error.message)),
                    ));
                });
            }
        });
    }
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
    let body = match &*report {
        None if chosen.is_none() => html! { <p class="muted">{ "No cohort to report on yet." }</p> },
        None => html! { <p class="muted" aria-busy="true">{ "Counting…" }</p> },
        Some(Err(message)) => html! { <p class="alert" role="alert">{ message }</p> },
        Some(Ok(report)) => {
            let below = report.students.iter().filter(|student| student.below).count();
            html! {
                <>
                    <p class="muted">{ format!("{} sessions held so far · {} of {} students under {}%", report.sessions_held, below, report.students.len(), *threshold) }</p>
                    <div class="table-frame">
                        <table class="table" aria-label="Attendance by student" data-testid="cohort-report">
                            <thead><tr>
                                <th scope="col">{ "Student" }</th><th scope="col">{ "Rate" }</th><th scope="col">{ "Present" }</th>
                                <th scope="col">{ "Late" }</th><th scope="col">{ "Absent" }</th><th scope="col">{ "Excused" }</th>
                            </tr></thead>
                            <tbody>
                                { for report.students.iter().map(|student| html! {
                                    <tr key={student.enrollment_id} class={classes!(student.below.then_some("table__row--warn"))}>
                                        <td class="table__strong">{ &student.full_name }</td>
                                        <td>
                                            if student.below { <Badge text={percent(student.rate)} tone={BadgeTone::Danger} /> }
                                            else { { percent(student.rate) } }
                                        </td>
                                        <td>{ student.present }</td><td>{ student.late }</td>
                                        <td>{ student.absent }</td><td>{ student.excused }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                </>
            }
        }
    };
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Attendance reports" }</h1>
                    <p class="content__lead">{ "Rate = (present + late) ÷ sessions held. Late is counted apart." }</p>
                </div>
                if let Some(cohort_id) = *chosen {
                    <button class="button button--quiet" onclick={export(CsvReport::Cohort { cohort_id }, toast.clone(), problem.clone())}
                        data-testid="export-csv">{ "Export CSV" }</button>
                }
            </div>
            <div class="toolbar">
                <select aria-label="Cohort" onchange={on_cohort} data-testid="report-cohort">
                    { for cohorts.iter().map(|(id, name)| html! { <option value={id.to_string()} selected={*chosen == Some(*id)}>{ name }</option> }) }
                </select>
                <label class="toolbar__check">{ "Highlight under " }
                    <input type="number" min="0" max="100" value={threshold.to_string()} onchange={on_threshold}
                        aria-label="Threshold in percent" class="toolbar__number" />{ " %" }</label>
            </div>
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
            { body }
        </>
    }
}

/// A student's own attendance, on their home screen.
#[function_component(MyAttendancePanel)]
pub fn my_attendance_panel() -> Html {
    let (records, _) = ipc::use_operation::<ops::MyAttendance>();
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    let records: Vec<StudentReport> = match &*records {
        Some(Ok(records)) => records.clone(),
        Some(Err(message)) => return html! { <p class="alert" role="alert">{ message }</p> },
        None => return html! {},
    };
    if records.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel my-attendance" aria-labelledby="my-attendance-title" data-testid="my-attendance">
            <h2 id="my-attendance-title">{ "Your attendance" }</h2>
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
            { for records.iter().map(|record| html! {
                <div class="my-attendance__cohort" key={record.cohort_id}>
                    <p>
                        <strong>{ &record.cohort_name }</strong>{ " · " }
                        <span class="my-attendance__rate">{ percent(record.rate.rate) }</span>
                        { format!(" — {} present, {} late, {} absent, {} excused", record.rate.present, record.rate.late, record.rate.absent, record.rate.excused) }
                        <button class="button button--quiet button--small"
                            onclick={export(CsvReport::Student { enrollment_id: record.rate.enrollment_id }, toast.clone(), problem.clone())}>{ "Export CSV" }</button>
                    </p>
                    <ul class="my-attendance__recent">
                        { for record.sessions.iter().take(5).map(|session| html! {
                            <li key={session.session_id}>
                                { format!("{} · {}: ", session.date.format("%a %-d %b"), session.title) }
                                <strong>{ session.status.map(|mark| mark.as_str()).unwrap_or("not marked") }</strong>
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}
