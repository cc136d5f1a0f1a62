//! Admin → Events: open days, talks, workshops. Upcoming and past (an event is past once
//! marked done or once it has ended), searched, filtered by published, sorted; created
//! and edited in a dialog; marked done or not done by hand; deleted after confirmation.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{use_overlay, Confirm, Dialog};
use crate::components::form::{dialog_buttons, optional, sentence, use_form, Checkbox, Problems, TextField};
use crate::components::list::{published_filter, use_list};
use crate::components::table::{Column, DataTable};
use crate::components::tabs::Tabs;
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use hub_model::cms::IdRequest;
use hub_model::events::{EventRow, EventsWhen, ListEventsRequest, SaveEventRequest, SetEventDoneRequest};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

const EVENT_FIELDS: [&str; 6] = ["slug", "title", "description", "location", "starts_at", "ends_at"];

#[derive(Clone, Default, PartialEq)]
enum Open {
    #[default]
    None,
    Editor(Option<EventRow>),
    Delete(EventRow),
}

fn when_key(when: EventsWhen) -> AttrValue {
    AttrValue::Static(match when {
        EventsWhen::Upcoming => "upcoming",
        EventsWhen::Past => "past",
        EventsWhen::All => "all",
    })
}

#[function_component(Events)]
pub fn events() -> Html {
    let list = use_list::<ops::ListEvents, _, _>(ListEventsRequest {
        when: EventsWhen::Upcoming,
        per_page: 25,
        ..Default::default()
    });
    let toast = use_toast();
    let overlay = use_overlay::<Open>();
    let (show, close) = (|next: Open| overlay.show(next), overlay.close());
    let on_when = list.changer(|request: &mut ListEventsRequest, key: AttrValue| {
        request.when = match key.as_str() {
            "past" => EventsWhen::Past,
            "all" => EventsWhen::All,
            _ => EventsWhen::Upcoming,
        };
        // Each tab has its natural order: soonest first ahead, latest first behind.
        request.descending = None;
    });
    let on_published = list
        .changer(|request: &mut ListEventsRequest, published: Option<bool>| request.published = published);
    let set_done = |event: &EventRow, is_done: bool| {
        let (id, title, toast, reload, list_error) =
            (event.id, event.title.clone(), toast.clone(), list.reload(), list.error.clone());
        Callback::from(move |_: MouseEvent| {
            let (title, toast, reload, list_error) =
                (title.clone(), toast.clone(), reload.clone(), list_error.clone());
            spawn_local(async move {
                match ipc::call::<ops::SetEventDone>(&SetEventDoneRequest { id, is_done }).await {
                    Ok(_) => {
                        toast.success(if is_done {
                            format!("{title} is marked done.")
                        } else {
                            format!("{title} is not done any more.")
                        });
                        reload.emit(());
                    }
                    Err(error) => list_error.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let confirm_delete = {
        let (overlay, toast, reload) = (overlay.clone(), toast.clone(), list.reload());
        Callback::from(move |()| {
            let Open::Delete(event) = (*overlay.open).clone() else { return };
            overlay.run(&toast, &reload, async move {
                ipc::call::<ops::DeleteEvent>(&IdRequest { id: event.id })
                    .await
                    .map(|_| format!("{} is deleted.", event.title))
            });
        })
    };

    let columns = vec![
        Column::sortable("Event", "title"),
        Column::sortable("When", "starts_at"),
        Column::new("Where"),
        Column::new("Status"),
        Column::end(""),
    ];
    let items = list.items();
    let tabs = vec![
        (AttrValue::Static("upcoming"), AttrValue::Static("Upcoming")),
        (AttrValue::Static("past"), AttrValue::Static("Past")),
        (AttrValue::Static("all"), AttrValue::Static("All")),
    ];
    let first = match list.request.when {
        EventsWhen::Past => "Events move here once they are done or have ended.",
        _ => "Plan one with “New event”: it shows on the website once published.",
    };
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Events" }</h1>
                    <p class="content__lead">{ "Open days, talks and workshops on the website. Each is done once it ends." }</p>
                </div>
                <button class="button button--primary button--inline" data-testid="new-event"
                    onclick={show(Open::Editor(None))}>{ "+ New event" }</button>
            </div>
            <Tabs {tabs} selected={when_key(list.request.when)} on_select={on_when} label="Which events">
                <div class="toolbar" role="search">
                    <input class="toolbar__search" type="search" placeholder="Search title or slug" aria-label="Search events"
                        value={list.search_text()} oninput={list.on_search()} data-testid="event-search" />
                    { published_filter(list.request.published, &on_published) }
                </div>
                { list.alert() }
                <DataTable label="Events" testid="events-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                    sort={list.sort()} is_empty={items.is_empty()} empty={list.empty("event", "events", first)}>
                    { for items.iter().map(|event| html! {
                        <tr key={event.id} data-testid="event-row">
                            <td class="table__text">
                                <button class="link-button table__strong" onclick={show(Open::Editor(Some(event.clone())))}
                                    aria-label={format!("Edit {}", event.title)}>{ &event.title }</button>
                                <div class="muted table__small">{ format!("/{}", event.slug) }</div>
                            </td>
                            <td>
                                <div>{ when::date_time(event.starts_at) }</div>
                                if let Some(ends) = event.ends_at {
                                    <div class="muted table__small">{ format!("until {}", when::date_time(ends)) }</div>
                                }
                            </td>
                            <td class="table__text">
                                { &event.shown_location }
                                if event.location.is_none() { <div class="muted table__small">{ "the site's default" }</div> }
                            </td>
                            <td>
                                <span class="badges">
                                    if event.is_published { <Badge text="Published" tone={BadgeTone::Success} /> }
                                    else { <Badge text="Draft" /> }
                                    if event.is_done { <Badge text="Done" tone={BadgeTone::Primary} /> }
                                </span>
                            </td>
                            <td class="table__end table__actions">
                                if event.is_done && event.ends_at.unwrap_or(event.starts_at) < chrono::Utc::now() {
                                    <span class="muted table__small">{ "Ended" }</span>
                                } else if event.is_done {
                                    <button class="button button--quiet button--small" onclick={set_done(event, false)}
                                        aria-label={format!("Mark {} not done", event.title)}>{ "Not done" }</button>
                                } else {
                                    <button class="button button--quiet button--small" onclick={set_done(event, true)}
                                        aria-label={format!("Mark {} done", event.title)} data-testid="mark-done">{ "Mark done" }</button>
                                }
                                <button class="button button--quiet button--small" onclick={show(Open::Delete(event.clone()))}
                                    aria-label={format!("Delete {}", event.title)}>{ "Delete" }</button>
                            </td>
                        </tr>
                    }) }
                </DataTable>
                { list.pager("events") }
            </Tabs>
            { match &*overlay.open {
                Open::None => html! {},
                Open::Editor(event) => html! {
                    <EventEditor event={event.clone()} on_close={close.clone()} on_saved={list.reload()} />
                },
                Open::Delete(event) => html! {
                    <Confirm title={format!("Delete {}?", event.title)} danger=true busy={*overlay.busy}
                        message="It disappears from the calendar and the website. This cannot be undone."
                        confirm_label="Delete event" on_confirm={confirm_delete.clone()} on_cancel={close.clone()}
                        error={(*overlay.refused).clone()} />
                },
            } }
        </>
    }
}

#[derive(Clone, Default, PartialEq)]
struct Form {
    slug: String,
    title: String,
    description: String,
    location: String,
    starts_at: String,
    ends_at: String,
    is_published: bool,
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    event: Option<EventRow>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

#[function_component(EventEditor)]
fn event_editor(props: &EditorProps) -> Html {
    let toast = use_toast();
    let site = ipc::use_call::<ops::GetSite>(NoRequest {});
    let form = use_form(|| match &props.event {
        Some(event) => Form {
            slug: event.slug.clone(),
            title: event.title.clone(),
            description: event.description.clone().unwrap_or_default(),
            location: event.location.clone().unwrap_or_default(),
            starts_at: when::to_input(Some(event.starts_at)),
            ends_at: when::to_input(event.ends_at),
            is_published: event.is_published,
        },
        None => Form::default(),
    });
    let text = |update: fn(&mut Form, String)| form.field(update);
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, on_saved, on_close) =
            (props.event.as_ref().map(|e| e.id), props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            if form.saving() {
                return;
            }
            let mut found = Problems::default();
            found.require("title", &form.title, "Enter the event's title.");
            found.require("slug", &form.slug, "Enter the address name, e.g. open-day-march.");
            let starts_at = match when::from_input(&form.starts_at) {
                Ok(Some(at)) => Some(at),
                Ok(None) => {
                    found.add("starts_at", "Enter when it starts.");
                    None
                }
                Err(()) => {
                    found.add("starts_at", "Enter a date and time.");
                    None
                }
            };
            let ends_at = when::from_input(&form.ends_at).unwrap_or_else(|()| {
                found.add("ends_at", "Enter a date and time, or leave it empty.");
                None
            });
            let (Some(starts_at), None) = (starts_at, found.first_field()) else {
                return form.refuse(found);
            };
            let request = SaveEventRequest {
                id,
                slug: form.slug.trim().to_owned(),
                title: form.title.trim().to_owned(),
                description: optional(&form.description),
                location: optional(&form.location),
                starts_at,
                ends_at,
                is_published: form.is_published,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveEvent>(request, &EVENT_FIELDS, move |saved| {
                toast.success(format!("{} is saved.", saved.title));
                on_saved.emit(());
                on_close.emit(());
            });
        })
    };
    let default_location = match &*site {
        Some(Ok(site)) => site.default_event_location.clone(),
        _ => String::new(),
    };
    let location_hint: AttrValue = if default_location.is_empty() {
        "Empty: the site's default location (none is set in Website → Settings).".into()
    } else {
        format!("Empty: the site's default, {default_location}.").into()
    };
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-event", "Save event");
    let title = if props.event.is_some() { "Edit event" } else { "New event" };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="event-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <div class="form-grid">
                    <TextField id="title" label="Title" required=true value={form.title.clone()}
                        oninput={text(|form, value| form.title = value)} error={form.problems().field("title")} />
                    <TextField id="slug" label="Address name" required=true value={form.slug.clone()}
                        oninput={text(|form, value| form.slug = value)} error={form.problems().field("slug")}
                        hint="Lower-case letters, digits and dashes." />
                </div>
                <div class="form-grid">
                    <TextField id="starts_at" label="Starts" input_type="datetime-local" required=true
                        value={form.starts_at.clone()} oninput={text(|form, value| form.starts_at = value)}
                        error={form.problems().field("starts_at")} />
                    <TextField id="ends_at" label="Ends" input_type="datetime-local" value={form.ends_at.clone()}
                        oninput={text(|form, value| form.ends_at = value)} error={form.problems().field("ends_at")}
                        hint="It is done once this has passed." />
                </div>
                <TextField id="location" label="Where" value={form.location.clone()} placeholder={Some(AttrValue::from(default_location))}
                    oninput={text(|form, value| form.location = value)} error={form.problems().field("location")} hint={location_hint} />
                <TextField id="description" label="Description" multiline=true value={form.description.clone()}
                    oninput={text(|form, value| form.description = value)} error={form.problems().field("description")} />
                <Checkbox id="is_published" label="Published" checked={form.is_published}
                    onchange={form.field(|form: &mut Form, value| form.is_published = value)} hint="Shown on the website." />
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}
