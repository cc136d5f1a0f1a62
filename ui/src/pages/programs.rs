//! Admin → Programs: the templates cohorts are made from. Searchable, filtered by
//! published or draft, sorted; created and edited in a dialog; deleted only after the
//! admin has read what would go with them.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{use_overlay, Confirm, Dialog};
use crate::components::form::{dialog_buttons, optional, use_form, Checkbox, Problems, TextField};
use crate::components::image::ImageField;
use crate::components::list::{published_filter, use_list};
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::session::{use_session, Action, Page};
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::programs::{ListProgramsRequest, ProgramImpact, ProgramRow, SaveProgramRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

const PROGRAM_FIELDS: [&str; 7] =
    ["slug", "title", "summary", "description", "requirements", "image_url", "default_capacity"];

#[derive(Clone, Default, PartialEq)]
enum Open {
    #[default]
    None,
    Editor(Option<ProgramRow>),
    /// Asking what deleting would remove, then asking the admin.
    Delete(ProgramRow, Option<ProgramImpact>),
}

#[function_component(Programs)]
pub fn programs() -> Html {
    let list =
        use_list::<ops::ListPrograms, _, _>(ListProgramsRequest { per_page: 25, ..Default::default() });
    let session = use_session();
    let toast = use_toast();
    let overlay = use_overlay::<Open>();
    let (show, close) = (|next: Open| overlay.show(next), overlay.close());
    let on_published = list
        .changer(|request: &mut ListProgramsRequest, published: Option<bool>| request.published = published);
    let ask_delete = |program: &ProgramRow| {
        let (open, program) = (overlay.open.clone(), program.clone());
        Callback::from(move |_: MouseEvent| {
            let (open, program) = (open.clone(), program.clone());
            open.set(Open::Delete(program.clone(), None));
            spawn_local(async move {
                if let Ok(impact) = ipc::call::<ops::ProgramDeleteImpact>(&IdRequest { id: program.id }).await
                {
                    open.set(Open::Delete(program, Some(impact)));
                }
            });
        })
    };
    let confirm_delete = {
        let (overlay, toast, reload) = (overlay.clone(), toast.clone(), list.reload());
        Callback::from(move |()| {
            let Open::Delete(program, Some(_)) = (*overlay.open).clone() else { return };
            overlay.run(&toast, &reload, async move {
                ipc::call::<ops::DeleteProgram>(&IdRequest { id: program.id })
                    .await
                    .map(|_| format!("{} is deleted.", program.title))
            });
        })
    };
    let cohorts_of = |program: &ProgramRow| {
        let (session, id) = (session.clone(), program.id);
        Callback::from(move |_: MouseEvent| {
            session.dispatch(Action::Go(Page::Cohorts { program: Some(id) }));
        })
    };

    let columns = vec![
        Column::sortable("Program", "title"),
        Column::new("Status"),
        Column::sortable("Cohorts", "cohorts"),
        Column::new("Seats by default"),
        Column::sortable("Last changed", "updated_at"),
        Column::end(""),
    ];
    let items = list.items();
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Programs" }</h1>
                    <p class="content__lead">{ "What the hub teaches: each program is run as cohorts." }</p>
                </div>
                <button class="button button--primary button--inline" data-testid="new-program"
                    onclick={show(Open::Editor(None))}>{ "+ New program" }</button>
            </div>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search title or slug" aria-label="Search programs"
                    value={list.search_text()} oninput={list.on_search()} data-testid="program-search" />
                { published_filter(list.request.published, &on_published) }
            </div>
            { list.alert() }
            <DataTable label="Programs" testid="programs-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("program", "programs", "Create the first with “New program”.")}>
                { for items.iter().map(|program| html! {
                    <tr key={program.id} data-testid="program-row">
                        <td class="table__text">
                            <button class="link-button table__strong" onclick={show(Open::Editor(Some(program.clone())))}
                                aria-label={format!("Edit {}", program.title)}>{ &program.title }</button>
                            <div class="muted table__small">{ format!("/{}", program.slug) }</div>
                        </td>
                        <td>
                            if program.is_published { <Badge text="Published" tone={BadgeTone::Success} /> }
                            else { <Badge text="Draft" /> }
                        </td>
                        <td>
                            <button class="link-button" onclick={cohorts_of(program)}
                                aria-label={format!("Cohorts of {}", program.title)}>{ program.cohorts }</button>
                        </td>
                        <td>{ program.default_capacity.map_or_else(|| "—".to_owned(), |seats| seats.to_string()) }</td>
                        <td class="muted">{ when::date_time(program.updated_at) }</td>
                        <td class="table__end">
                            <button class="button button--quiet button--small" onclick={ask_delete(program)}
                                aria-label={format!("Delete {}", program.title)}>{ "Delete" }</button>
                        </td>
                    </tr>
                }) }
            </DataTable>
            { list.pager("programs") }
            { match &*overlay.open {
                Open::None => html! {},
                Open::Editor(program) => html! {
                    <ProgramEditor program={program.clone()} on_close={close.clone()} on_saved={list.reload()} />
                },
                Open::Delete(program, impact) => html! {
                    <Confirm title={format!("Delete {}?", program.title)} danger=true busy={*overlay.busy || impact.is_none()}
                        message={delete_message(impact.as_ref())} confirm_label="Delete program"
                        on_confirm={confirm_delete.clone()} on_cancel={close.clone()} error={(*overlay.refused).clone()} />
                },
            } }
        </>
    }
}

fn delete_message(impact: Option<&ProgramImpact>) -> String {
    let Some(impact) = impact else {
        return "Counting what would go with it…".to_owned();
    };
    let plural =
        |count: i64, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    if impact.cohorts == 0 {
        return "It has no cohorts. This cannot be undone.".to_owned();
    }
    format!(
        "This also removes {}, {} and {}, with their attendance. This cannot be undone.",
        plural(impact.cohorts, "cohort", "cohorts"),
        plural(impact.enrollments, "enrollment", "enrollments"),
        plural(impact.sessions, "class session", "class sessions"),
    )
}

#[derive(Clone, Default, PartialEq)]
struct Form {
    slug: String,
    title: String,
    summary: String,
    description: String,
    requirements: String,
    image_url: Option<String>,
    default_capacity: String,
    is_published: bool,
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    /// `None`: a new program.
    program: Option<ProgramRow>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

/// "Full-Stack Web!" → "full-stack-web": a slug suggested from the title.
fn slug_from(title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[function_component(ProgramEditor)]
fn program_editor(props: &EditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| match &props.program {
        Some(program) => Form {
            slug: program.slug.clone(),
            title: program.title.clone(),
            summary: program.summary.clone().unwrap_or_default(),
            description: program.description.clone().unwrap_or_default(),
            requirements: program.requirements.clone().unwrap_or_default(),
            image_url: program.image_url.clone(),
            default_capacity: program.default_capacity.map(|seats| seats.to_string()).unwrap_or_default(),
            is_published: program.is_published,
        },
        None => Form::default(),
    });
    let text = |update: fn(&mut Form, String)| form.field(update);
    let on_title = {
        let (form, is_new) = (form.clone(), props.program.is_none());
        Callback::from(move |title: String| {
            form.edit(move |form| {
                // A new program's slug follows its title until the admin edits the slug.
                if is_new && form.slug == slug_from(&form.title) {
                    form.slug = slug_from(&title);
                }
                form.title = title;
            });
        })
    };
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, on_saved, on_close) =
            (props.program.as_ref().map(|p| p.id), props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            if form.saving() {
                return;
            }
            let mut found = Problems::default();
            found.require("title", &form.title, "Enter the program's title.");
            found.require("slug", &form.slug, "Enter the address name, e.g. full-stack-web.");
            let default_capacity = match form.default_capacity.trim() {
                "" => None,
                seats => match seats.parse::<i32>() {
                    Ok(seats) if seats >= 0 => Some(seats),
                    _ => {
                        found.add("default_capacity", "Enter a number of seats, 0 or more.");
                        None
                    }
                },
            };
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = SaveProgramRequest {
                id,
                slug: form.slug.trim().to_owned(),
                title: form.title.trim().to_owned(),
                summary: optional(&form.summary),
                description: optional(&form.description),
                requirements: optional(&form.requirements),
                image_url: form.image_url.clone(),
                default_capacity,
                is_published: form.is_published,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveProgram>(request, &PROGRAM_FIELDS, move |saved| {
                toast.success(format!("{} is saved.", saved.title));
                on_saved.emit(());
                on_close.emit(());
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-program", "Save program");
    let title = if props.program.is_some() { "Edit program" } else { "New program" };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="program-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <div class="form-grid">
                    <TextField id="title" label="Title" required=true value={form.title.clone()}
                        oninput={on_title} error={form.problems().field("title")} />
                    <TextField id="slug" label="Address name" required=true value={form.slug.clone()}
                        oninput={text(|form, value| form.slug = value)} error={form.problems().field("slug")}
                        hint="Lower-case letters, digits and dashes: the program's web address." />
                </div>
                <TextField id="summary" label="Summary" value={form.summary.clone()}
                    oninput={text(|form, value| form.summary = value)} error={form.problems().field("summary")}
                    hint="One or two sentences for the program list on the website." />
                <TextField id="description" label="Description" multiline=true value={form.description.clone()}
                    oninput={text(|form, value| form.description = value)} error={form.problems().field("description")} />
                <TextField id="requirements" label="Requirements" multiline=true value={form.requirements.clone()}
                    oninput={text(|form, value| form.requirements = value)} error={form.problems().field("requirements")} />
                <ImageField id="image_url" label="Picture" value={form.image_url.clone()}
                    on_change={form.field(|form: &mut Form, url| form.image_url = url)} error={form.problems().field("image_url")}
                    hint="On the program's card and page of the website." />
                <div class="form-grid">
                    <TextField id="default_capacity" label="Seats per cohort" input_type="number"
                        value={form.default_capacity.clone()} oninput={text(|form, value| form.default_capacity = value)}
                        error={form.problems().field("default_capacity")} hint="New cohorts start with this many seats." />
                    <Checkbox id="is_published" label="Published" checked={form.is_published}
                        onchange={form.field(|form: &mut Form, value| form.is_published = value)}
                        hint="Shown on the website." />
                </div>
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}
