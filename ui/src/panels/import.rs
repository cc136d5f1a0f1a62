//! Importing a spreadsheet's CSV: people (Admin → Users → Import) or attendance marks
//! (Admin → Reports → Import marks). Choosing the file runs a dry run at once: which of the
//! file's columns each of ours is read from (changeable), and row by row what would be
//! created, changed or refused and why. Only a file with no refused row imports, all of it
//! at once.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::Dialog;
use crate::components::form::sentence;
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::import::{ImportReport, ImportRequest, ImportRow, RowAction, MARK_COLUMNS, PERSON_COLUMNS};
use hub_model::ops;
use hub_model::words;
use std::collections::BTreeMap;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

/// The largest file read (the hub takes 24 MB an import).
const MAX_FILE_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    People,
    Marks,
}

impl ImportKind {
    fn title(self) -> &'static str {
        match self {
            Self::People => "Import people",
            Self::Marks => "Import attendance marks",
        }
    }

    fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::People => PERSON_COLUMNS,
            Self::Marks => MARK_COLUMNS,
        }
    }

    fn intro(self) -> &'static str {
        match self {
            Self::People => {
                "A spreadsheet saved as CSV (UTF-8; commas or semicolons), one person a row, the first row naming the \
                 columns. Nothing is written until every row is right; importing the same file again changes nothing. \
                 New people get an email inviting them to choose their password."
            }
            Self::Marks => {
                "A spreadsheet saved as CSV (UTF-8; commas or semicolons), one student's mark for one session a row, \
                 the first row naming the columns. Each mark is kept in the attendance history and becomes the \
                 record, as your corrections in the app do. Nothing is written until every row is right; importing \
                 the same file again changes nothing."
            }
        }
    }

    fn help(self) -> &'static str {
        match self {
            Self::People => {
                "A row needs a name, and an email or a phone. Roles: student, instructor or admin \
                 (several with ; or ,), a student when empty. Cohort: its name in the hub."
            }
            Self::Marks => {
                "A row needs the session's date (2026-11-03) and cohort (its name in the hub), the student's email \
                 and the mark: present, absent, late or excused (or P, A, L, E). A start time (09:30) picks the \
                 session when the cohort has two that day."
            }
        }
    }

    /// The columns a row cannot do without, each any one of a few.
    fn required(self) -> &'static [&'static [&'static str]] {
        match self {
            Self::People => &[&["full_name"], &["email", "phone"]],
            Self::Marks => &[&["date"], &["cohort"], &["email"], &["status"]],
        }
    }

    /// What the rows are, counted.
    fn noun(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Marks => "marks",
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub kind: ImportKind,
    pub on_close: Callback<()>,
    /// Rows were imported: the screen shows them.
    pub on_imported: Callback<()>,
}

#[derive(Clone, PartialEq, Default)]
struct State {
    /// The file's name and text.
    file: Option<(String, String)>,
    columns: BTreeMap<String, String>,
    report: Option<ImportReport>,
    busy: bool,
    problem: Option<String>,
}

fn action_badge(action: RowAction) -> Html {
    let (text, tone) = match action {
        RowAction::Create => ("New", BadgeTone::Success),
        RowAction::Update => ("Changed", BadgeTone::Primary),
        RowAction::Unchanged => ("Unchanged", BadgeTone::Neutral),
        RowAction::Refused => ("Refused", BadgeTone::Danger),
    };
    html! { <Badge {text} {tone} /> }
}

/// Asks the hub what the file does (a dry run), or does it.
fn run(kind: ImportKind, state: UseStateHandle<State>, dry_run: bool, done: Callback<ImportReport>) {
    let Some((_, csv)) = state.file.clone() else { return };
    let request = ImportRequest { csv, columns: state.columns.clone(), dry_run };
    state.set(State { busy: true, problem: None, ..(*state).clone() });
    spawn_local(async move {
        let answer = match kind {
            ImportKind::People => ipc::call::<ops::ImportPeople>(&request).await,
            ImportKind::Marks => ipc::call::<ops::ImportMarks>(&request).await,
        };
        let mut next = (*state).clone();
        next.busy = false;
        match answer {
            Ok(report) => {
                next.report = Some(report.clone());
                state.set(next);
                done.emit(report);
            }
            Err(error) => {
                next.problem = Some(sentence(&error.message));
                state.set(next);
            }
        }
    });
}

#[function_component(Import)]
pub fn import(props: &ImportProps) -> Html {
    let kind = props.kind;
    let state = use_state(State::default);
    let toast = use_toast();
    let input = use_node_ref();
    let checked = Callback::from(|_: ImportReport| ());
    let on_file = {
        let (state, input) = (state.clone(), input.clone());
        Callback::from(move |_: Event| {
            let Some(file) = input
                .cast::<HtmlInputElement>()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            let state = state.clone();
            spawn_local(async move {
                if file.size() > MAX_FILE_BYTES {
                    state.set(State {
                        problem: Some("That file is larger than 20 MB: split it.".to_owned()),
                        ..State::default()
                    });
                    return;
                }
                let Ok(buffer) = JsFuture::from(file.array_buffer()).await else {
                    state.set(State {
                        problem: Some("The file could not be read.".to_owned()),
                        ..State::default()
                    });
                    return;
                };
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(_) => {
                        let problem =
                            "The file is not UTF-8 text: save it as “CSV UTF-8” and choose it again.";
                        state.set(State { problem: Some(problem.to_owned()), ..State::default() });
                        return;
                    }
                };
                let next = State { file: Some((file.name(), text)), ..State::default() };
                state.set(next);
            });
        })
    };
    // A new file, or a column chosen: the dry run again.
    {
        let (state, checked) = (state.clone(), checked.clone());
        let key = (state.file.as_ref().map(|(name, text)| (name.clone(), text.len())), state.columns.clone());
        use_effect_with(key, move |(file, _)| {
            if file.is_some() {
                run(kind, state, true, checked);
            }
        });
    }
    let on_column = |column: &'static str| {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let header = event.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = (*state).clone();
            if header.is_empty() {
                next.columns.remove(column);
            } else {
                next.columns.insert(column.to_owned(), header);
            }
            state.set(next);
        })
    };
    let import = {
        let (state, toast, on_imported, on_close) =
            (state.clone(), toast.clone(), props.on_imported.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| {
            let (toast, on_imported, on_close) = (toast.clone(), on_imported.clone(), on_close.clone());
            run(
                kind,
                state.clone(),
                false,
                Callback::from(move |report: ImportReport| {
                    if report.written {
                        toast.success(match kind {
                            ImportKind::People => format!(
                                "Imported: {} new, {} changed. {} on their way.",
                                report.created,
                                report.updated,
                                words::count(report.invitations, "invitation", "invitations")
                            ),
                            ImportKind::Marks => {
                                format!("Imported: {} new marks, {} changed.", report.created, report.updated)
                            }
                        });
                        on_imported.emit(());
                        on_close.emit(());
                    }
                }),
            );
        })
    };
    let report = state.report.as_ref();
    let ready = report.is_some_and(|report| report.refused == 0 && report.created + report.updated > 0);
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid={format!("import-{}", kind.noun())}
                onclick={import} disabled={!ready || state.busy}>
                { match report {
                    Some(report) if ready => format!("Import {} {}", report.created + report.updated, kind.noun()),
                    _ => "Import".to_owned(),
                } }
            </button>
        </>
    };
    html! {
        <Dialog title={kind.title()} on_close={&props.on_close} {footer} wide=true testid="import-dialog">
            <p class="muted">{ kind.intro() }</p>
            <div class="field">
                <label for="import-file">{ "CSV file" }</label>
                <input id="import-file" type="file" accept=".csv,text/csv,text/plain" ref={input} onchange={on_file}
                    data-testid="import-file" />
            </div>
            if let Some(problem) = &state.problem {
                <p class="alert" role="alert">{ problem }</p>
            }
            if state.busy && report.is_none() {
                <p class="muted" aria-busy="true">{ "Checking the file…" }</p>
            }
            if let Some(report) = report {
                <p class="import__summary" data-testid="import-summary" aria-live="polite">{ summary(report) }</p>
                if report.refused > 0 {
                    <p class="alert" role="alert">
                        { format!("{} refused: nothing will be imported until {} right. \
                                   Fix {} in the file and choose it again.",
                                  words::count(report.refused, "row", "rows"),
                                  if report.refused == 1 { "it is" } else { "they are" },
                                  if report.refused == 1 { "it" } else { "them" }) }
                    </p>
                }
                <div class="table-frame import__rows">
                    <table class="table" aria-label="Rows of the file" data-testid="import-rows">
                        <thead><tr>
                            <th scope="col">{ "Line" }</th>
                            <th scope="col">{ if kind == ImportKind::People { "Person" } else { "Student and day" } }</th>
                            <th scope="col">{ "Result" }</th><th scope="col">{ "What and why" }</th>
                        </tr></thead>
                        <tbody>{ for shown_rows(report).into_iter().map(row) }</tbody>
                    </table>
                </div>
                if report.rows.len() > SHOWN_ROWS {
                    <p class="muted table__small">
                        { format!("The first {SHOWN_ROWS} of {} rows shown, refused ones first.", report.rows.len()) }
                    </p>
                }
                <details class="import__columns" open={missing_required(kind, report)}>
                    <summary>{ format!("Columns: {} of ours found in the file", report.columns.iter().filter(|used| used.header.is_some()).count()) }</summary>
                    <p class="muted table__small">{ kind.help() }</p>
                    <div class="import__column-grid">
                        { for kind.columns().iter().zip(&report.columns).map(|((column, label), used)| {
                            let id = format!("column-{column}");
                            let current = used.header.clone().unwrap_or_default();
                            html! {
                                <div class="field field--inline">
                                    <label for={id.clone()}>{ *label }</label>
                                    <select id={id.clone()} onchange={on_column(column)} data-testid={id}>
                                        <option value="" selected={current.is_empty()}>{ "(not in the file)" }</option>
                                        { for report.headers.iter().map(|header| html! {
                                            <option value={header.clone()} selected={*header == current}>{ header }</option>
                                        }) }
                                    </select>
                                </div>
                            }
                        }) }
                    </div>
                </details>
            }
        </Dialog>
    }
}

/// Whether a column a row cannot do without was not found: the columns show, to choose it.
fn missing_required(kind: ImportKind, report: &ImportReport) -> bool {
    let found = |name: &str| report.columns.iter().any(|used| used.column == name && used.header.is_some());
    !kind.required().iter().all(|any_of| any_of.iter().any(|name| found(name)))
}

/// The most rows the dialog lists (a file may hold 100,000): the refused ones first.
const SHOWN_ROWS: usize = 500;

fn shown_rows(report: &ImportReport) -> Vec<&ImportRow> {
    let refused = |row: &&ImportRow| row.action == RowAction::Refused;
    report
        .rows
        .iter()
        .filter(refused)
        .chain(report.rows.iter().filter(|row| !refused(row)))
        .take(SHOWN_ROWS)
        .collect()
}

fn summary(report: &ImportReport) -> String {
    let mut parts = vec![format!("{} new", report.created), format!("{} changed", report.updated)];
    if report.unchanged > 0 {
        parts.push(format!("{} unchanged", report.unchanged));
    }
    if report.refused > 0 {
        parts.push(format!("{} refused", report.refused));
    }
    format!("{} of {} rows.", parts.join(", "), report.rows.len())
}

fn row(row: &ImportRow) -> Html {
    let refused = row.action == RowAction::Refused;
    html! {
        <tr key={row.line} data-testid="import-row" class={classes!(refused.then_some("import__refused"))}>
            <td>{ row.line }</td>
            <td class="table__strong">{ &row.label }</td>
            <td>{ action_badge(row.action) }</td>
            <td>
                if refused {
                    <ul class="import__problems">
                        { for row.problems.iter().map(|problem| html! {
                            <li><strong>{ problem.column.replace('_', " ") }</strong>{ ": " }{ &problem.message }</li>
                        }) }
                    </ul>
                } else {
                    <span class="muted">{ row.changes.join("; ") }</span>
                }
            </td>
        </tr>
    }
}
