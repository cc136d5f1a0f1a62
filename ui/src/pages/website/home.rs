//! The home page's sections: shown or hidden, in an order changed with ↑ and ↓, each
//! with a title and its content (a JSON object whose fields depend on the section).

use crate::components::dialog::Dialog;
use crate::components::form::{alert, dialog_buttons, use_form, Checkbox, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{HomeSectionRow, ReorderHomeSections, UpdateHomeSection};
use hub_model::{ops, NoRequest};
use yew::prelude::*;

#[function_component(HomeSections)]
pub fn home_sections() -> Html {
    let toast = use_toast();
    let sections = ipc::use_call::<ops::ListSections>(NoRequest {});
    let reload = sections.reload();
    let changing = ipc::use_change();
    let editing = use_state(|| None::<HomeSectionRow>);
    let Some(Ok(rows)) = (*sections).clone() else {
        return match &*sections {
            Some(Err(error)) => alert(error),
            _ => html! { <div class="panel--loading" aria-busy="true">{ "Loading the sections…" }</div> },
        };
    };
    let reorder = |from: usize, to: usize| {
        let (rows, sections, changing, toast) =
            (rows.clone(), sections.clone(), changing.clone(), toast.clone());
        Callback::from(move |_: MouseEvent| {
            let mut ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            ids.swap(from, to);
            let (sections, toast) = (sections.clone(), toast.clone());
            changing.call::<ops::ReorderSections>(ReorderHomeSections { ids }, move |rows| {
                sections.set(rows);
                toast.success("New order saved.");
            });
        })
    };
    let show = |row: &HomeSectionRow| {
        let (row, sections, changing, rows) = (row.clone(), sections.clone(), changing.clone(), rows.clone());
        Callback::from(move |is_enabled: bool| {
            let request = UpdateHomeSection {
                id: row.id,
                title: row.title.clone(),
                is_enabled,
                content: row.content.clone(),
            };
            let (sections, rows) = (sections.clone(), rows.clone());
            changing.call::<ops::UpdateSection>(request, move |updated| {
                let rows = rows
                    .iter()
                    .map(|row| if row.id == updated.id { updated.clone() } else { row.clone() })
                    .collect();
                sections.set(rows);
            });
        })
    };
    let count = rows.len();
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let saved = {
        let (editing, reload) = (editing.clone(), reload.clone());
        Callback::from(move |()| {
            editing.set(None);
            reload.emit(());
        })
    };
    let busy = changing.busy();
    html! {
        <div class="stack">
            <p class="muted">{ "The home page shows the sections that are on, top to bottom." }</p>
            if let Some(error) = changing.problem() { { alert(error) } }
            <ol class="sections" data-testid="sections">
                { for rows.iter().enumerate().map(|(index, row)| {
                    let name = row.title.clone().unwrap_or_else(|| row.key.clone());
                    html! {
                        <li class={classes!("section-row", (!row.is_enabled).then_some("section-row--off"))} key={row.id}
                            data-testid="section-row">
                            <span class="section-row__position">{ index + 1 }</span>
                            <div class="section-row__name">
                                <span class="table__strong">{ &name }</span>
                                <code class="muted">{ &row.key }</code>
                            </div>
                            <Checkbox id={format!("section-{}-on", row.id)} label={if row.is_enabled { "Shown" } else { "Hidden" }}
                                checked={row.is_enabled} onchange={show(row)} />
                            <button class="button button--quiet button--small" disabled={busy || index == 0}
                                aria-label={format!("Move {name} up")} onclick={reorder(index, index.saturating_sub(1))}>{ "↑" }</button>
                            <button class="button button--quiet button--small" disabled={busy || index + 1 == count}
                                aria-label={format!("Move {name} down")} onclick={reorder(index, (index + 1).min(count - 1))}>{ "↓" }</button>
                            <button class="button button--quiet button--small" aria-label={format!("Edit {name}")}
                                onclick={let (editing, row) = (editing.clone(), row.clone()); Callback::from(move |_| editing.set(Some(row.clone())))}>
                                { "Edit" }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if let Some(row) = &*editing {
                <SectionDialog row={row.clone()} on_close={close} on_saved={saved} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SectionDialogProps {
    row: HomeSectionRow,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct SectionForm {
    title: String,
    /// The content as typed: JSON text, checked before it is sent.
    content: String,
}

const SECTION_FIELDS: [&str; 2] = ["title", "content"];

#[function_component(SectionDialog)]
fn section_dialog(props: &SectionDialogProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| SectionForm {
        title: props.row.title.clone().unwrap_or_default(),
        content: serde_json::to_string_pretty(&props.row.content).unwrap_or_default(),
    });
    let save = {
        let (form, toast, on_saved) = (form.clone(), toast.clone(), props.on_saved.clone());
        let row = props.row.clone();
        Callback::from(move |()| {
            let content = match serde_json::from_str::<serde_json::Value>(&form.content) {
                Ok(value) if value.is_object() => value,
                refused => {
                    let mut found = Problems::default();
                    match refused {
                        Err(error) => found.add("content", &format!("This is not valid JSON: {error}.")),
                        Ok(_) => found.add("content", "Must be a JSON object: { … }."),
                    }
                    return form.refuse(found);
                }
            };
            let request = UpdateHomeSection {
                id: row.id,
                title: Some(form.title.clone()),
                is_enabled: row.is_enabled,
                content,
            };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            form.call::<ops::UpdateSection>(request, &SECTION_FIELDS, move |_| {
                toast.success("Section saved.");
                on_saved.emit(());
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &save, form.saving(), "save-section", "Save section");
    let problems = form.problems();
    html! {
        <Dialog title={format!("Edit the {} section", props.row.key)} on_close={&props.on_close} {footer} wide=true>
            <TextField id="title" label="Title" value={form.title.clone()} error={problems.field("title")}
                oninput={form.field(|form, value| form.title = value)} />
            <TextField id="content" label="Content (JSON)" multiline=true value={form.content.clone()} error={problems.field("content")}
                hint="Its fields depend on the section: a subtitle and a button for the hero, a limit for lists…"
                oninput={form.field(|form, value| form.content = value)} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
        </Dialog>
    }
}
