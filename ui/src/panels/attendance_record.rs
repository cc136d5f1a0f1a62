//! A student's attendance: their rate, their sessions with each mark, and its CSV. The
//! reports show any student's; a student's home shows their own.

use crate::components::form::{alert, sentence};
use crate::components::toast::{use_toast, Toaster};
use crate::ipc;
use crate::panels::attendance_charts::StudentTrend;
use hub_model::attendance::{CsvFile, CsvReport, StudentReport, StudentSessionMark};
use hub_model::{desktop, ops, NoRequest, Operation};
use yew::platform::spawn_local;
use yew::prelude::*;

pub fn percent(rate: Option<f64>) -> String {
    rate.map(|rate| format!("{:.0}%", rate * 100.0)).unwrap_or_else(|| "—".to_owned())
}

/// Saves a report as CSV in Downloads and says where.
pub fn export(
    report: CsvReport,
    toast: Toaster,
    problem: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    save_csv::<ops::ExportCsv>(report, toast, problem)
}

/// Asks operation `O` for a CSV file, saves it in Downloads and says where (or, in
/// `problem`, why not).
pub fn save_csv<O>(
    request: O::Request,
    toast: Toaster,
    problem: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent>
where
    O: Operation<Response = CsvFile>,
    O::Request: Clone,
{
    Callback::from(move |_: MouseEvent| {
        let (request, toast, problem) = (request.clone(), toast.clone(), problem.clone());
        spawn_local(async move {
            let saved = match ipc::call::<O>(&request).await {
                Ok(file) => {
                    let download = desktop::Download { filename: file.filename, content: file.content };
                    ipc::shell::<desktop::SaveDownload>(&download).await
                }
                Err(error) => Err(error),
            };
            match saved {
                Ok(path) => {
                    problem.set(None);
                    toast.success(format!("Saved to {path}"));
                }
                Err(error) => problem.set(Some(sentence(&error.message))),
            }
        });
    })
}

pub fn summary(record: &StudentReport) -> String {
    format!(
        "{} attendance — {} present, {} late, {} absent, {} excused",
        percent(record.rate.rate),
        record.rate.present,
        record.rate.late,
        record.rate.absent,
        record.rate.excused
    )
}

#[derive(Properties, PartialEq)]
pub struct RecordListProps {
    pub sessions: Vec<StudentSessionMark>,
    /// Show only the latest few until asked for all.
    #[prop_or_default]
    pub folded: bool,
}

/// A student's sessions, the latest first, each with its mark and note.
#[function_component(RecordList)]
pub fn record_list(props: &RecordListProps) -> Html {
    const FOLDED: usize = 5;
    let all = use_state(|| !props.folded);
    let shown = if *all { props.sessions.len() } else { FOLDED.min(props.sessions.len()) };
    html! {
        <>
            <ul class="my-attendance__recent" data-testid="record-sessions">
                { for props.sessions.iter().take(shown).map(|session| html! {
                    <li key={session.session_id}>
                        { format!("{} · {}: ", session.date.format("%a %-d %b"), session.title) }
                        <strong>{ session.status.map_or("not marked", |mark| mark.as_str()) }</strong>
                        if let Some(note) = &session.note { <span class="muted">{ format!(" — {note}") }</span> }
                    </li>
                }) }
            </ul>
            if shown < props.sessions.len() {
                <button class="button button--quiet button--small" data-testid="show-all-sessions"
                    onclick={let all = all.clone(); Callback::from(move |_: MouseEvent| all.set(true))}>
                    { format!("Show all {} sessions", props.sessions.len()) }
                </button>
            }
        </>
    }
}

/// A student's own attendance, on their home screen.
#[function_component(MyAttendancePanel)]
pub fn my_attendance_panel() -> Html {
    let records = ipc::use_call::<ops::MyAttendance>(NoRequest {});
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    let records: Vec<StudentReport> = match &*records {
        Some(Ok(records)) => records.clone(),
        Some(Err(error)) => return alert(error),
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
                    <StudentTrend record={record.clone()} />
                    <RecordList sessions={record.sessions.clone()} folded=true />
                </div>
            }) }
        </section>
    }
}
