//! Admin → Inbox: what visitors sent through the website's contact form, worked through
//! from new to resolved, each message with someone looking after it.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::sentence;
use crate::components::table::{Column, DataTable, Pager, SortState};
use crate::components::toast::use_toast;
use crate::ipc;
use crate::session::{use_session, Session};
use hub_model::inbox::{
    AssignMessage, InboxMessage, ListMessagesRequest, MessagePage, MessageStatus, SetMessageStatus,
};
use hub_model::ops;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

fn status_badge(status: MessageStatus) -> Html {
    match status {
        MessageStatus::New => html! { <Badge text="New" tone={BadgeTone::Primary} /> },
        MessageStatus::InProgress => html! { <Badge text="In progress" tone={BadgeTone::Warning} /> },
        MessageStatus::Resolved => html! { <Badge text="Resolved" tone={BadgeTone::Success} /> },
    }
}

#[function_component(Inbox)]
pub fn inbox() -> Html {
    let session = use_session();
    let me = match &*session {
        Session::SignedIn { user, .. } => user.id,
        _ => 0,
    };
    let toast = use_toast();
    let request = use_state(|| ListMessagesRequest { per_page: 20, ..ListMessagesRequest::default() });
    let page = use_state(|| None::<Result<MessagePage, String>>);
    let open = use_state(|| None::<InboxMessage>);
    let problem = use_state(|| None::<String>);
    let reload = use_state(|| 0_u32);
    {
        let page = page.clone();
        use_effect_with(((*request).clone(), *reload), move |(request, _)| {
            let request = request.clone();
            spawn_local(async move {
                page.set(Some(
                    ipc::call::<ops::ListMessages>(&request).await.map_err(|error| sentence(&error.message)),
                ));
            });
        });
    }
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let on_status_filter = {
        let request = request.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            request.set(ListMessagesRequest {
                status: MessageStatus::parse(&value),
                page: 1,
                ..(*request).clone()
            });
        })
    };
    let on_mine = {
        let request = request.clone();
        Callback::from(move |event: Event| {
            let mine = event.target_unchecked_into::<HtmlInputElement>().checked();
            request.set(ListMessagesRequest {
                assigned_to: mine.then_some(me),
                page: 1,
                ..(*request).clone()
            });
        })
    };
    let on_search = {
        let request = request.clone();
        Callback::from(move |event: Event| {
            let text = event.target_unchecked_into::<HtmlInputElement>().value();
            request.set(ListMessagesRequest {
                search: Some(text).filter(|text| !text.trim().is_empty()),
                page: 1,
                ..(*request).clone()
            });
        })
    };
    let on_page = {
        let request = request.clone();
        Callback::from(move |number: u32| {
            request.set(ListMessagesRequest { page: number, ..(*request).clone() });
        })
    };
    let act = |message: &InboxMessage, status: Option<MessageStatus>, assign: Option<Option<i64>>| {
        let (id, refresh, open, toast, problem) =
            (message.id, refresh.clone(), open.clone(), toast.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let (refresh, open, toast, problem) =
                (refresh.clone(), open.clone(), toast.clone(), problem.clone());
            spawn_local(async move {
                let answer = match (status, assign) {
                    (Some(status), _) => {
                        ipc::call::<ops::SetMessageStatusOp>(&SetMessageStatus { id, status }).await
                    }
                    (None, Some(assigned_to)) => {
                        ipc::call::<ops::AssignMessageOp>(&AssignMessage { id, assigned_to }).await
                    }
                    (None, None) => return,
                };
                match answer {
                    Ok(message) => {
                        problem.set(None);
                        toast.success(match message.status {
                            MessageStatus::Resolved => "Marked resolved.",
                            MessageStatus::InProgress => "Marked in progress.",
                            MessageStatus::New => "Marked new.",
                        });
                        open.set(Some(message));
                        refresh.emit(());
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let columns = vec![
        Column::new("From"),
        Column::new("Subject"),
        Column::new("Status"),
        Column::new("Looked after by"),
        Column::new("Received"),
    ];
    let (items, total, number, per_page) = match &*page {
        Some(Ok(found)) => (found.items.clone(), found.total, found.page, found.per_page),
        _ => (Vec::new(), 0, 1, 20),
    };
    let error = match &*page {
        Some(Err(message)) => Some(message.clone()),
        _ => None,
    };
    let filtered = request.status.is_some() || request.assigned_to.is_some() || request.search.is_some();
    let empty = html! {
        <div class="empty">
            <p class="empty__title">{ if filtered { "No message matches" } else { "The inbox is empty" } }</p>
            <p>{ if filtered { "Try another filter." } else { "Messages sent through the website's contact form arrive here." } }</p>
        </div>
    };
    html! {
        <>
            <h1>{ "Inbox" }</h1>
            <p class="content__lead">{ "Messages from the website's contact form." }</p>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search name, email or words" aria-label="Search messages"
                    onchange={on_search} data-testid="inbox-search" />
                <select aria-label="Status" onchange={on_status_filter} data-testid="inbox-status">
                    <option value="">{ "All statuses" }</option>
                    <option value="new">{ "New" }</option>
                    <option value="in_progress">{ "In progress" }</option>
                    <option value="resolved">{ "Resolved" }</option>
                </select>
                <label class="toolbar__check"><input type="checkbox" onchange={on_mine} />{ " Mine" }</label>
            </div>
            if let Some(message) = error { <p class="alert" role="alert">{ message }</p> }
            <DataTable label="Messages" testid="inbox-table" {columns} on_sort={Callback::from(|_| ())} loading={page.is_none()}
                sort={SortState { key: AttrValue::Static(""), descending: false }} is_empty={items.is_empty()} {empty}>
                { for items.iter().map(|message| {
                    let view = { let (open, message) = (open.clone(), message.clone()); Callback::from(move |_: MouseEvent| open.set(Some(message.clone()))) };
                    html! {
                        <tr key={message.id} data-testid="inbox-row">
                            <td>
                                <button class="link-button table__strong" onclick={view}
                                    aria-label={format!("Read the message from {}", message.name)}>{ &message.name }</button>
                                <div class="muted table__small">{ &message.email }</div>
                            </td>
                            <td>{ message.subject.clone().unwrap_or_else(|| message.message.chars().take(60).collect()) }</td>
                            <td>{ status_badge(message.status) }</td>
                            <td>{ message.assigned_name.clone().unwrap_or_else(|| "—".to_owned()) }</td>
                            <td class="muted">{ message.created_at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string() }</td>
                        </tr>
                    }
                }) }
            </DataTable>
            if total > 0 { <Pager page={number} {per_page} {total} {on_page} noun="messages" /> }
            if let Some(message) = &*open {
                <div class="panel message" data-testid="inbox-message">
                    <div class="message__header">
                        <h2>{ message.subject.clone().unwrap_or_else(|| format!("From {}", message.name)) }</h2>
                        { status_badge(message.status) }
                    </div>
                    <p class="muted">{ format!("{} <{}>{}", message.name, message.email, message.phone.as_ref().map(|phone| format!(" · {phone}")).unwrap_or_default()) }</p>
                    <p class="message__body">{ &message.message }</p>
                    if let Some(text) = &*problem { <p class="alert" role="alert">{ text }</p> }
                    <div class="actions">
                        if message.assigned_to != Some(me) {
                            <button class="button button--quiet" onclick={act(message, None, Some(Some(me)))}>{ "Take it" }</button>
                        }
                        if message.status == MessageStatus::New {
                            <button class="button button--quiet" onclick={act(message, Some(MessageStatus::InProgress), None)}>{ "Start" }</button>
                        }
                        if message.status == MessageStatus::Resolved {
                            <button class="button button--quiet" onclick={act(message, Some(MessageStatus::InProgress), None)}>{ "Reopen" }</button>
                        } else {
                            <button class="button button--primary button--inline" data-testid="resolve"
                                onclick={act(message, Some(MessageStatus::Resolved), None)}>{ "Mark resolved" }</button>
                        }
                    </div>
                </div>
            }
        </>
    }
}
