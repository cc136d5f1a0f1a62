//! Admin → Cohorts: every run of every program, searchable, filtered by program and
//! status, sorted; created from a program in a dialog; each opens its cohort page.

mod page;

pub use page::CohortPage;

use crate::components::dialog::Dialog;
use crate::components::form::{dialog_buttons, use_form, Checkbox, Problems, Select, TextField};
use crate::components::labels::{cohort_dates, cohort_seats, cohort_status_badge};
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::session::{use_session, Action, Page};
use hub_model::ops;
use hub_model::programs::{
    CohortRow, CohortStatus, ListCohortsRequest, ListProgramsRequest, ProgramRow, ProgramSort,
    SaveCohortRequest,
};
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Every program, for pickers (a hub has tens of programs, not thousands).
#[hook]
pub fn use_programs() -> UseStateHandle<Vec<ProgramRow>> {
    let programs = use_state(Vec::new);
    {
        let programs = programs.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                let request =
                    ListProgramsRequest { per_page: 100, sort: ProgramSort::Title, ..Default::default() };
                if let Ok(found) = ipc::call::<ops::ListPrograms>(&request).await {
                    programs.set(found.items);
                }
            });
        });
    }
    programs
}

#[derive(Properties, PartialEq)]
pub struct CohortsProps {
    /// Shown first: one program's cohorts (the route says which).
    pub program: Option<i64>,
}

#[function_component(Cohorts)]
pub fn cohorts(props: &CohortsProps) -> Html {
    let list = use_list::<ops::ListCohorts, _, _>(ListCohortsRequest {
        per_page: 25,
        program_id: props.program,
        ..Default::default()
    });
    let session = use_session();
    let programs = use_programs();
    let creating = use_state(|| false);
    let on_program = list.changer(|request: &mut ListCohortsRequest, value: String| {
        request.program_id = value.parse().ok();
    });
    let on_status = list.changer(|request: &mut ListCohortsRequest, value: String| {
        request.status = CohortStatus::parse(&value);
    });
    let go = |id: i64| {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::Cohort(id))))
    };
    let opened = {
        let session = session.clone();
        Callback::from(move |cohort: CohortRow| session.dispatch(Action::Go(Page::Cohort(cohort.id))))
    };
    let columns = vec![
        Column::sortable("Cohort", "name"),
        Column::sortable("Status", "status"),
        Column::sortable("Dates", "start_date"),
        Column::new("Seats"),
        Column::new("Instructors"),
    ];
    let items = list.items();
    let selected = |event: Event| event.target_unchecked_into::<HtmlSelectElement>().value();
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Cohorts" }</h1>
                    <p class="content__lead">{ "Each run of a program: its dates, seats, instructors and students." }</p>
                </div>
                <button class="button button--primary button--inline" data-testid="new-cohort"
                    onclick={let creating = creating.clone(); Callback::from(move |_| creating.set(true))}>{ "+ New cohort" }</button>
            </div>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search cohort or program" aria-label="Search cohorts"
                    value={list.search_text()} oninput={list.on_search()} data-testid="cohort-search" />
                <select aria-label="Program" onchange={on_program.reform(selected)} data-testid="cohort-program">
                    <option value="" selected={list.request.program_id.is_none()}>{ "All programs" }</option>
                    { for programs.iter().map(|program| html! {
                        <option value={program.id.to_string()} selected={list.request.program_id == Some(program.id)}>
                            { &program.title }
                        </option>
                    }) }
                </select>
                <select aria-label="Status" onchange={on_status.reform(selected)} data-testid="cohort-status">
                    <option value="" selected={list.request.status.is_none()}>{ "All statuses" }</option>
                    { for CohortStatus::ALL.iter().map(|status| html! {
                        <option value={status.as_str()} selected={list.request.status == Some(*status)}>{ status.label() }</option>
                    }) }
                </select>
            </div>
            { list.alert() }
            <DataTable label="Cohorts" testid="cohorts-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("cohort", "cohorts", "Create one with “New cohort”: it starts from a program.")}>
                { for items.iter().map(|cohort| html! {
                    <tr key={cohort.id} data-testid="cohort-row">
                        <td>
                            <button class="link-button table__strong" onclick={go(cohort.id)}
                                aria-label={format!("Open {} — {}", cohort.program_title, cohort.name)}>{ &cohort.name }</button>
                            <div class="muted table__small">{ &cohort.program_title }</div>
                        </td>
                        <td>{ cohort_status_badge(cohort.status) }</td>
                        <td>{ cohort_dates(cohort) }</td>
                        <td>{ cohort_seats(cohort) }</td>
                        <td class="table__small table__text">
                            { if cohort.instructors.is_empty() { "—".to_owned() } else {
                                cohort.instructors.iter().map(|i| i.full_name.as_str()).collect::<Vec<_>>().join(", ")
                            } }
                        </td>
                    </tr>
                }) }
            </DataTable>
            { list.pager("cohorts") }
            if *creating {
                <CohortEditor cohort={None::<CohortRow>} program_id={list.request.program_id}
                    on_close={let creating = creating.clone(); Callback::from(move |()| creating.set(false))}
                    on_saved={opened} />
            }
        </>
    }
}

#[derive(Clone, Default, PartialEq)]
struct Form {
    program_id: String,
    name: String,
    capacity: String,
    allow_applications: bool,
    enrollment_open_at: String,
    enrollment_close_at: String,
    start_date: String,
    end_date: String,
}

const COHORT_FIELDS: [&str; 8] = [
    "program_id",
    "name",
    "capacity",
    "allow_applications",
    "enrollment_open_at",
    "enrollment_close_at",
    "start_date",
    "end_date",
];

#[derive(Properties, PartialEq)]
pub struct CohortEditorProps {
    /// `None`: a new cohort.
    pub cohort: Option<CohortRow>,
    /// The program a new cohort starts from, when one is chosen already.
    #[prop_or_default]
    pub program_id: Option<i64>,
    pub on_close: Callback<()>,
    pub on_saved: Callback<CohortRow>,
}

/// Creates a cohort of a program, or changes one's name, seats, enrollment window and dates.
#[function_component(CohortEditor)]
pub fn cohort_editor(props: &CohortEditorProps) -> Html {
    let toast = use_toast();
    let programs = use_programs();
    let form = use_form(|| match &props.cohort {
        Some(cohort) => Form {
            program_id: cohort.program_id.to_string(),
            name: cohort.name.clone(),
            capacity: cohort.capacity.map(|seats| seats.to_string()).unwrap_or_default(),
            allow_applications: cohort.allow_applications,
            enrollment_open_at: when::to_input(cohort.enrollment_open_at),
            enrollment_close_at: when::to_input(cohort.enrollment_close_at),
            start_date: cohort.start_date.map(|date| date.to_string()).unwrap_or_default(),
            end_date: cohort.end_date.map(|date| date.to_string()).unwrap_or_default(),
        },
        None => Form {
            program_id: props.program_id.map(|id| id.to_string()).unwrap_or_default(),
            ..Form::default()
        },
    });
    let text = |update: fn(&mut Form, String)| form.field(update);
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, on_saved, on_close) =
            (props.cohort.as_ref().map(|c| c.id), props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            if form.saving() {
                return;
            }
            let mut found = Problems::default();
            found.require("name", &form.name, "Enter the cohort's name, e.g. Spring 2027.");
            if id.is_none() {
                found.require("program_id", &form.program_id, "Choose the program it runs.");
            }
            let capacity = match form.capacity.trim() {
                "" => None,
                seats => seats.parse::<i32>().ok().filter(|seats| *seats >= 0).or_else(|| {
                    found.add("capacity", "Enter a number of seats, 0 or more.");
                    None
                }),
            };
            let mut moment = |field: &str, text: &str| {
                when::from_input(text).unwrap_or_else(|()| {
                    found.add(field, "Enter a date and time.");
                    None
                })
            };
            let enrollment_open_at = moment("enrollment_open_at", &form.enrollment_open_at);
            let enrollment_close_at = moment("enrollment_close_at", &form.enrollment_close_at);
            let mut day = |field: &str, text: &str| {
                when::date_from_input(text).unwrap_or_else(|()| {
                    found.add(field, "Enter a date.");
                    None
                })
            };
            let start_date = day("start_date", &form.start_date);
            let end_date = day("end_date", &form.end_date);
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = SaveCohortRequest {
                id,
                program_id: form.program_id.parse().ok(),
                name: form.name.trim().to_owned(),
                allow_applications: form.allow_applications,
                capacity,
                enrollment_open_at,
                enrollment_close_at,
                start_date,
                end_date,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveCohort>(request, &COHORT_FIELDS, move |saved| {
                toast.success(format!("{} is saved.", saved.name));
                on_close.emit(());
                on_saved.emit(saved);
            });
        })
    };
    let chosen_program = programs.iter().find(|program| program.id.to_string() == form.program_id);
    let capacity_hint: AttrValue = match chosen_program.and_then(|program| program.default_capacity) {
        Some(seats) if props.cohort.is_none() => format!("Empty: the program's {seats} seats.").into(),
        _ => "Empty: no limit.".into(),
    };
    let mut program_options = vec![(AttrValue::Static(""), AttrValue::Static("Choose a program…"))];
    program_options
        .extend(programs.iter().map(|program| (program.id.to_string().into(), program.title.clone().into())));
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-cohort", "Save cohort");
    let title = if props.cohort.is_some() { "Edit cohort" } else { "New cohort" };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="cohort-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <div class="form-grid">
                    if props.cohort.is_none() {
                        <Select id="program_id" label="Program" options={program_options} value={form.program_id.clone()}
                            onchange={text(|form, value| form.program_id = value)} error={form.problems().field("program_id")} />
                    }
                    <TextField id="name" label="Name" required=true value={form.name.clone()}
                        oninput={text(|form, value| form.name = value)} error={form.problems().field("name")} />
                </div>
                <div class="form-grid">
                    <TextField id="start_date" label="Starts" input_type="date" value={form.start_date.clone()}
                        oninput={text(|form, value| form.start_date = value)} error={form.problems().field("start_date")} />
                    <TextField id="end_date" label="Ends" input_type="date" value={form.end_date.clone()}
                        oninput={text(|form, value| form.end_date = value)} error={form.problems().field("end_date")} />
                </div>
                <div class="form-grid">
                    <TextField id="capacity" label="Seats" input_type="number" value={form.capacity.clone()}
                        oninput={text(|form, value| form.capacity = value)} error={form.problems().field("capacity")}
                        hint={capacity_hint} />
                    <Checkbox id="allow_applications" label="Takes applications" checked={form.allow_applications}
                        onchange={form.field(|form: &mut Form, value| form.allow_applications = value)}
                        hint="Visitors may apply on the website while it is open." />
                </div>
                <div class="form-grid">
                    <TextField id="enrollment_open_at" label="Applications open" input_type="datetime-local"
                        value={form.enrollment_open_at.clone()} oninput={text(|form, value| form.enrollment_open_at = value)}
                        error={form.problems().field("enrollment_open_at")} />
                    <TextField id="enrollment_close_at" label="Applications close" input_type="datetime-local"
                        value={form.enrollment_close_at.clone()} oninput={text(|form, value| form.enrollment_close_at = value)}
                        error={form.problems().field("enrollment_close_at")} />
                </div>
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}
