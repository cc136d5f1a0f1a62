//! Admin → Announcements: news for the website, everyone, a role or one cohort. Composed
//! and published now, scheduled for later, or kept unpublished; edited and withdrawn.
//! Searchable, filtered by state and audience, newest first or by title.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{use_overlay, Confirm, Dialog};
use crate::components::form::{choice_options, use_form, Checkbox, Problems, Select, TextField};
use crate::components::hooks::use_cohorts;
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use hub_model::announcements::{
    AnnouncementRow, AnnouncementState, Audience, ListAnnouncementsRequest, SaveAnnouncementRequest,
};
use hub_model::ops;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

fn state_badge(row: &AnnouncementRow) -> Html {
    let tone = match row.state {
        AnnouncementState::Live => BadgeTone::Success,
        AnnouncementState::Scheduled => BadgeTone::Primary,
        AnnouncementState::Unpublished => BadgeTone::Neutral,
    };
    html! { <Badge text={row.state.label()} {tone} /> }
}

#[derive(Clone, Default, PartialEq)]
enum Open {
    #[default]
    None,
    Editor(Option<AnnouncementRow>),
    Unpublish(AnnouncementRow),
}

/// The announcement as it was, published or not: what `announcements.save` takes.
fn resave(row: &AnnouncementRow, is_published: bool) -> SaveAnnouncementRequest {
    SaveAnnouncementRequest {
        id: Some(row.id),
        title: row.title.clone(),
        body: row.body.clone(),
        target_audience: row.target_audience,
        cohort_id: row.cohort_id,
        is_published,
        publish_at: row.publish_at,
        send_email: row.send_email,
    }
}

#[function_component(Announcements)]
pub fn announcements() -> Html {
    let list = use_list::<ops::ListAnnouncements, _, _>(ListAnnouncementsRequest {
        per_page: 25,
        ..Default::default()
    });
    let toast = use_toast();
    let overlay = use_overlay::<Open>();
    let (show, close) = (|next: Open| overlay.show(next), overlay.close());
    let on_state = list.changer(|request: &mut ListAnnouncementsRequest, value: String| {
        request.state = AnnouncementState::parse(&value);
    });
    let on_audience = list.changer(|request: &mut ListAnnouncementsRequest, value: String| {
        request.audience = Audience::parse(&value);
    });
    // Publishing again needs no confirmation; withdrawing does.
    let publish = |row: &AnnouncementRow, is_published: bool| {
        let (request, overlay, toast, reload) =
            (resave(row, is_published), overlay.clone(), toast.clone(), list.reload());
        Callback::from(move |()| {
            let request = request.clone();
            overlay.run(&toast, &reload, async move {
                ipc::call::<ops::SaveAnnouncement>(&request).await.map(|saved| {
                    let done = if saved.is_published { "published" } else { "unpublished" };
                    format!("“{}” is {done}.", saved.title)
                })
            });
        })
    };

    let columns = vec![
        Column::sortable("Announcement", "title"),
        Column::new("For"),
        Column::new("State"),
        Column::sortable("Shows from", "shows"),
        Column::end(""),
    ];
    let items = list.items();
    let selected = |event: Event| event.target_unchecked_into::<HtmlSelectElement>().value();
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Announcements" }</h1>
                    <p class="content__lead">{ "News for the website, everyone, a role or one cohort — now or at a set time." }</p>
                </div>
                <button class="button button--primary button--inline" data-testid="new-announcement"
                    onclick={show(Open::Editor(None))}>{ "+ New announcement" }</button>
            </div>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search title or text" aria-label="Search announcements"
                    value={list.search_text()} oninput={list.on_search()} data-testid="announcement-search" />
                <select aria-label="State" onchange={on_state.reform(selected)} data-testid="announcement-state">
                    <option value="" selected={list.request.state.is_none()}>{ "Every state" }</option>
                    { for AnnouncementState::ALL.iter().map(|state| html! {
                        <option value={state.as_str()} selected={list.request.state == Some(*state)}>{ state.label() }</option>
                    }) }
                </select>
                <select aria-label="Audience" onchange={on_audience.reform(selected)}>
                    <option value="" selected={list.request.audience.is_none()}>{ "Every audience" }</option>
                    { for Audience::ALL.iter().map(|audience| html! {
                        <option value={audience.as_str()} selected={list.request.audience == Some(*audience)}>{ audience.label() }</option>
                    }) }
                </select>
            </div>
            { list.alert() }
            if let (Open::None, Some(message)) = (&*overlay.open, &*overlay.refused) {
                <p class="alert" role="alert">{ message }</p>
            }
            <DataTable label="Announcements" testid="announcements-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("announcement", "announcements", "Write the first with “New announcement”.")}>
                { for items.iter().map(|row| html! {
                    <tr key={row.id} data-testid="announcement-row">
                        <td class="table__wide table__text">
                            <button class="link-button table__strong" onclick={show(Open::Editor(Some(row.clone())))}
                                aria-label={format!("Edit {}", row.title)}>{ &row.title }</button>
                            <div class="muted table__small table__clip">{ &row.body }</div>
                        </td>
                        <td>
                            <div>{ row.target_audience.label() }</div>
                            if let Some(cohort) = &row.cohort_name { <div class="muted table__small">{ format!("of {cohort}") }</div> }
                        </td>
                        <td>
                            <span class="badges">
                                { state_badge(row) }
                                if row.is_auto { <Badge text="Automatic" tone={BadgeTone::Warning} /> }
                            </span>
                        </td>
                        <td class="muted">
                            { when::date_time(row.publish_at.unwrap_or(row.created_at)) }
                            if let Some(by) = &row.created_by { <div class="table__small">{ format!("by {by}") }</div> }
                            { mailing(row) }
                        </td>
                        <td class="table__end">
                            if row.is_published {
                                <button class="button button--quiet button--small" onclick={show(Open::Unpublish(row.clone()))}
                                    aria-label={format!("Unpublish {}", row.title)}>{ "Unpublish" }</button>
                            } else {
                                <button class="button button--quiet button--small" disabled={*overlay.busy}
                                    onclick={publish(row, true).reform(|_: MouseEvent| ())}
                                    aria-label={format!("Publish {}", row.title)}>{ "Publish" }</button>
                            }
                        </td>
                    </tr>
                }) }
            </DataTable>
            { list.pager("announcements") }
            { match &*overlay.open {
                Open::None => html! {},
                Open::Editor(row) => html! {
                    <AnnouncementEditor row={row.clone()} on_close={close.clone()} on_saved={list.reload()} />
                },
                Open::Unpublish(row) => html! {
                    <Confirm title={format!("Unpublish “{}”?", row.title)} busy={*overlay.busy}
                        message="Nobody sees it any more until it is published again."
                        confirm_label="Unpublish" on_confirm={publish(row, false)} on_cancel={close.clone()}
                        error={(*overlay.refused).clone()} />
                },
            } }
        </>
    }
}

/// When an announcement shows, as the editor offers it.
#[derive(Clone, Copy, PartialEq)]
enum Timing {
    Now,
    Later,
    Unpublished,
}

#[derive(Clone, PartialEq)]
struct Form {
    title: String,
    body: String,
    audience: Audience,
    cohort_id: String,
    timing: Timing,
    publish_at: String,
    send_email: bool,
}

const ANNOUNCEMENT_FIELDS: [&str; 5] = ["title", "body", "target_audience", "cohort_id", "publish_at"];

/// Whether an announcement is mailed, and when: said under its date in the list.
fn mailing(row: &AnnouncementRow) -> Html {
    match (row.send_email, row.emailed_at) {
        (_, Some(at)) => {
            html! { <div class="table__small" data-testid="emailed">{ format!("emailed {}", when::date_time(at)) }</div> }
        }
        (true, None) => html! { <div class="table__small">{ "emailed when it shows" }</div> },
        (false, None) => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    row: Option<AnnouncementRow>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

#[function_component(AnnouncementEditor)]
fn announcement_editor(props: &EditorProps) -> Html {
    let toast = use_toast();
    let cohorts = use_cohorts();
    let form = use_form(|| match &props.row {
        Some(row) => Form {
            title: row.title.clone(),
            body: row.body.clone(),
            audience: row.target_audience,
            cohort_id: row.cohort_id.map(|id| id.to_string()).unwrap_or_default(),
            timing: match row.state {
                AnnouncementState::Unpublished => Timing::Unpublished,
                AnnouncementState::Scheduled => Timing::Later,
                AnnouncementState::Live => Timing::Now,
            },
            publish_at: when::to_input(row.publish_at),
            send_email: row.send_email,
        },
        None => Form {
            title: String::new(),
            body: String::new(),
            audience: Audience::All,
            cohort_id: String::new(),
            timing: Timing::Now,
            publish_at: String::new(),
            send_email: false,
        },
    });
    let text = |update: fn(&mut Form, String)| form.field(update);
    let timing = |value: Timing| {
        let form = form.clone();
        Callback::from(move |_: Event| form.edit(move |form| form.timing = value))
    };
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let row = props.row.clone();
        let (on_saved, on_close) = (props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            if form.saving() {
                return;
            }
            let mut found = Problems::default();
            found.require("title", &form.title, "Enter a title.");
            found.require("body", &form.body, "Write the announcement.");
            let publish_at = match form.timing {
                Timing::Later => match when::from_input(&form.publish_at) {
                    Ok(Some(at)) => Some(at),
                    _ => {
                        found.add("publish_at", "Enter when it should show.");
                        None
                    }
                },
                // Shown now: from when it was first shown, or from now for a new one.
                Timing::Now => row
                    .as_ref()
                    .filter(|row| row.state == AnnouncementState::Live)
                    .and_then(|row| row.publish_at),
                Timing::Unpublished => row.as_ref().and_then(|row| row.publish_at),
            };
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = SaveAnnouncementRequest {
                id: row.as_ref().map(|row| row.id),
                title: form.title.trim().to_owned(),
                body: form.body.trim().to_owned(),
                target_audience: form.audience,
                cohort_id: form.cohort_id.parse().ok(),
                is_published: form.timing != Timing::Unpublished,
                publish_at,
                send_email: form.send_email && form.audience != Audience::Website,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveAnnouncement>(request, &ANNOUNCEMENT_FIELDS, move |saved| {
                toast.success(match saved.state {
                    AnnouncementState::Live => format!("“{}” is published.", saved.title),
                    AnnouncementState::Scheduled => format!("“{}” is scheduled.", saved.title),
                    AnnouncementState::Unpublished => {
                        format!("“{}” is saved, unpublished.", saved.title)
                    }
                });
                on_saved.emit(());
                on_close.emit(());
            });
        })
    };
    let mut cohort_options = vec![(AttrValue::Static(""), AttrValue::Static("Every cohort"))];
    cohort_options.extend(cohorts.iter().map(|cohort| {
        (cohort.id.to_string().into(), format!("{} — {}", cohort.program_title, cohort.name).into())
    }));
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="save-announcement" disabled={form.saving()}
                onclick={submit.reform(|_: MouseEvent| ())}>
                { match (form.saving(), form.timing) {
                    (true, _) => "Saving…",
                    (false, Timing::Now) => "Publish",
                    (false, Timing::Later) => "Schedule",
                    (false, Timing::Unpublished) => "Save unpublished",
                } }
            </button>
        </>
    };
    let title = if props.row.is_some() { "Edit announcement" } else { "New announcement" };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="announcement-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <TextField id="title" label="Title" required=true value={form.title.clone()}
                    oninput={text(|form, value| form.title = value)} error={form.problems().field("title")} />
                <TextField id="body" label="Text" required=true multiline=true value={form.body.clone()}
                    oninput={text(|form, value| form.body = value)} error={form.problems().field("body")} />
                <div class="form-grid">
                    <Select id="target_audience" label="For" options={choice_options::<Audience>()} value={form.audience.as_str()}
                        onchange={text(|form, value| form.audience = Audience::parse(&value).unwrap_or(Audience::All))} error={form.problems().field("target_audience")} />
                    <Select id="cohort_id" label="Cohort" options={cohort_options} value={form.cohort_id.clone()}
                        onchange={text(|form, value| form.cohort_id = value)} error={form.problems().field("cohort_id")} />
                </div>
                <fieldset class="fieldset">
                    <legend>{ "When" }</legend>
                    <label class="radio"><input type="radio" name="timing" checked={form.timing == Timing::Now}
                        onchange={timing(Timing::Now)} />{ " Publish now" }</label>
                    <label class="radio"><input type="radio" name="timing" checked={form.timing == Timing::Later}
                        onchange={timing(Timing::Later)} data-testid="timing-later" />{ " Schedule for later" }</label>
                    if form.timing == Timing::Later {
                        <TextField id="publish_at" label="Shows from" input_type="datetime-local" value={form.publish_at.clone()}
                            oninput={text(|form, value| form.publish_at = value)} error={form.problems().field("publish_at")} />
                    }
                    <label class="radio"><input type="radio" name="timing" checked={form.timing == Timing::Unpublished}
                        onchange={timing(Timing::Unpublished)} />{ " Keep unpublished" }</label>
                </fieldset>
                if form.audience != Audience::Website {
                    { email_choice(&form, props.row.as_ref()) }
                }
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}

/// "Also send by email", or — once it went out — when it did (an edit mails nobody again).
fn email_choice(form: &crate::components::form::Form<Form>, row: Option<&AnnouncementRow>) -> Html {
    if let Some(at) = row.and_then(|row| row.emailed_at) {
        return html! {
            <p class="muted" data-testid="emailed">{ format!("Emailed to its audience {}. Changes show in the app; nobody is mailed again.", when::date_time(at)) }</p>
        };
    }
    html! {
        <Checkbox id="send_email" label="Also send by email" checked={form.send_email}
            onchange={form.field(|form, value| form.send_email = value)}
            hint="To each person it is for, once, when it shows." />
    }
}
