//! The home page's sections: shown or hidden, in an order changed with ↑ and ↓, each
//! with a title and its content (a JSON object whose fields depend on the section).

use crate::components::dialog::Dialog;
use crate::components::form::{alert, focus_id, sentence, Checkbox, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{HomeSectionRow, ReorderHomeSections, UpdateHomeSection};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[function_component(HomeSections)]
pub fn home_sections() -> Html {
    let toast = use_toast();
    let sections = ipc::use_call::<ops::ListSections>(NoRequest {});
    let reload = sections.reload();
    let editing = use_state(|| None::<HomeSectionRow>);
    let problem = use_state(|| None::<String>);
    let Some(Ok(rows)) = (*sections).clone() else {
        return match &*sections {
            Some(Err(error)) => alert(error),
            _ => html! { <div class="panel--loading" aria-busy="true">{ "Loading the sections…" }</div> },
        };
    };
    let reorder = |from: usize, to: usize| {
        let (rows, sections, problem, toast) =
            (rows.clone(), sections.clone(), problem.clone(), toast.clone());
        Callback::from(move |_: MouseEvent| {
            let mut ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            ids.swap(from, to);
            let (sections, problem, toast) = (sections.clone(), problem.clone(), toast.clone());
            spawn_local(async move {
                match ipc::call::<ops::ReorderSections>(&ReorderHomeSections { ids }).await {
                    Ok(rows) => {
                        problem.set(None);
                        sections.set(rows);
                        toast.success("New order saved.");
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let show = |row: &HomeSectionRow| {
        let (row, sections, problem, rows) = (row.clone(), sections.clone(), problem.clone(), rows.clone());
        Callback::from(move |is_enabled: bool| {
            let request = UpdateHomeSection {
                id: row.id,
                title: row.title.clone(),
                is_enabled,
                content: row.content.clone(),
            };
            let (sections, problem, rows) = (sections.clone(), problem.clone(), rows.clone());
            spawn_local(async move {
                match ipc::call::<ops::UpdateSection>(&request).await {
                    Ok(updated) => {
                        problem.set(None);
                        let rows = rows
                            .iter()
                            .map(|row| if row.id == updated.id { updated.clone() } else { row.clone() })
                            .collect();
                        sections.set(rows);
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
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
    html! {
        <div class="stack">
            <p class="muted">{ "The home page shows the sections that are on, top to bottom." }</p>
            if let Some(message) = &*problem {
                <p class="alert" role="alert">{ message }</p>
            }
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
                            <button class="button button--quiet button--small" disabled={index == 0}
                                aria-label={format!("Move {name} up")} onclick={reorder(index, index.saturating_sub(1))}>{ "↑" }</button>
                            <button class="button button--quiet button--small" disabled={index + 1 == count}
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

#[function_component(SectionDialog)]
fn section_dialog(props: &SectionDialogProps) -> Html {
    let toast = use_toast();
    let title = use_state(|| props.row.title.clone().unwrap_or_default());
    let content = use_state(|| serde_json::to_string_pretty(&props.row.content).unwrap_or_default());
    let problems = use_state(Problems::default);
    let save = {
        let (title, content, problems, toast, on_saved) =
            (title.clone(), content.clone(), problems.clone(), toast.clone(), props.on_saved.clone());
        let row = props.row.clone();
        Callback::from(move |()| {
            let parsed = match serde_json::from_str::<serde_json::Value>(&content) {
                Ok(value) if value.is_object() => value,
                Ok(_) => {
                    let mut found = Problems::default();
                    found.add("content", "Must be a JSON object: { … }.");
                    problems.set(found);
                    focus_id("content");
                    return;
                }
                Err(error) => {
                    let mut found = Problems::default();
                    found.add("content", &format!("This is not valid JSON: {error}."));
                    problems.set(found);
                    focus_id("content");
                    return;
                }
            };
            let request = UpdateHomeSection {
                id: row.id,
                title: Some((*title).clone()),
                is_enabled: row.is_enabled,
                content: parsed,
            };
            let (problems, toast, on_saved) = (problems.clone(), toast.clone(), on_saved.clone());
            spawn_local(async move {
                match ipc::call::<ops::UpdateSection>(&request).await {
                    Ok(_) => {
                        toast.success("Section saved.");
                        on_saved.emit(());
                    }
                    Err(error) => problems.set(Problems::from_api(&error, &["title", "content"])),
                }
            });
        })
    };
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="save-section"
                onclick={save.reform(|_: MouseEvent| ())}>{ "Save section" }</button>
        </>
    };
    html! {
        <Dialog title={format!("Edit the {} section", props.row.key)} on_close={&props.on_close} {footer} wide=true>
            <TextField id="title" label="Title" value={(*title).clone()} error={problems.field("title")}
                oninput={let title = title.clone(); Callback::from(move |value| title.set(value))} />
            <TextField id="content" label="Content (JSON)" multiline=true value={(*content).clone()} error={problems.field("content")}
                hint="Its fields depend on the section: a subtitle and a button for the hero, a limit for lists…"
                oninput={let content = content.clone(); Callback::from(move |value| content.set(value))} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
        </Dialog>
    }
}
