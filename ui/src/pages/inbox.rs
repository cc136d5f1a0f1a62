//! Admin → Inbox: what visitors sent through the website's contact form, worked through
//! from new to resolved, each message with someone looking after it.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::{alert, sentence, TextField};
use crate::components::hooks::use_people;
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when::date_time;
use crate::ipc::{self, use_call, use_change};
use crate::session::{use_session, Session};
use hub_model::cms::IdRequest;
use hub_model::inbox::{
    AssignMessageRequest, InboxMessage, ListMessagesRequest, MessageStatus, ReplyToMessageRequest,
    SetMessageStatusRequest,
};
use hub_model::ops;
use hub_model::users::Role;
use web_sys::HtmlSelectElement;
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
    let list = use_list::<ops::ListMessages, _, _>(ListMessagesRequest {
        per_page: 20,
        ..ListMessagesRequest::default()
    });
    let open = use_state(|| None::<InboxMessage>);
    let problem = use_state(|| None::<String>);
    let refresh = list.reload();
    let on_status_filter = list
        .changer(|request: &mut ListMessagesRequest, value: String| {
            request.status = MessageStatus::parse(&value);
        })
        .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let admins: Vec<(i64, String)> =
        use_people(Role::Admin).iter().map(|user| (user.id, user.full_name.clone())).collect();
    // "" anyone, "none" nobody yet, else an administrator's id.
    let on_assignee_filter = list
        .changer(|request: &mut ListMessagesRequest, value: String| {
            request.unassigned = value == "none";
            request.assigned_to = value.parse().ok();
        })
        .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let assignee_filter = if list.request.unassigned {
        "none".to_owned()
    } else {
        list.request.assigned_to.map(|id| id.to_string()).unwrap_or_default()
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
                        ipc::call::<ops::SetMessageStatus>(&SetMessageStatusRequest { id, status }).await
                    }
                    (None, Some(assigned_to)) => {
                        ipc::call::<ops::AssignMessage>(&AssignMessageRequest { id, assigned_to }).await
                    }
                    (None, None) => return,
                };
                match answer {
                    Ok(message) => {
                        problem.set(None);
                        toast.success(match (status, message.status) {
                            (None, _) => match (message.assigned_to, &message.assigned_name) {
                                (Some(id), _) if id == me => "It is yours to look after.".to_owned(),
                                (Some(_), Some(name)) => format!("{name} looks after it now."),
                                _ => "Nobody looks after it now.".to_owned(),
                            },
                            (_, MessageStatus::Resolved) => "Marked resolved.".to_owned(),
                            (_, MessageStatus::InProgress) => "Marked in progress.".to_owned(),
                            (_, MessageStatus::New) => "Marked new.".to_owned(),
                        });
                        open.set(Some(message));
                        refresh.emit(());
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let reassign = |message: &InboxMessage| {
        let (id, refresh, open, toast, problem) =
            (message.id, refresh.clone(), open.clone(), toast.clone(), problem.clone());
        Callback::from(move |event: Event| {
            let assigned_to = event.target_unchecked_into::<HtmlSelectElement>().value().parse().ok();
            let (refresh, open, toast, problem) =
                (refresh.clone(), open.clone(), toast.clone(), problem.clone());
            spawn_local(async move {
                match ipc::call::<ops::AssignMessage>(&AssignMessageRequest { id, assigned_to }).await {
                    Ok(message) => {
                        problem.set(None);
                        toast.success(match &message.assigned_name {
                            Some(name) => format!("{name} looks after it now."),
                            None => "Nobody looks after it now.".to_owned(),
                        });
                        open.set(Some(message));
                        refresh.emit(());
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    // A reply moves a new message along: the panel and the list show where it stands now.
    let replied = {
        let (open, refresh) = (open.clone(), refresh.clone());
        Callback::from(move |message: InboxMessage| {
            open.set(Some(message));
            refresh.emit(());
        })
    };
    let columns = vec![
        Column::sortable("From", "name"),
        Column::new("Subject"),
        Column::sortable("Status", "status"),
        Column::new("Looked after by"),
        Column::sortable("Received", "received"),
    ];
    let items = list.items();
    html! {
        <>
            <h1>{ "Inbox" }</h1>
            <p class="content__lead">{ "Messages from the website's contact form." }</p>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search name, email or words" aria-label="Search messages"
                    value={list.search_text()} oninput={list.on_search()} data-testid="inbox-search" />
                <select aria-label="Status" onchange={on_status_filter} data-testid="inbox-status">
                    <option value="">{ "All statuses" }</option>
                    <option value="new">{ "New" }</option>
                    <option value="in_progress">{ "In progress" }</option>
                    <option value="resolved">{ "Resolved" }</option>
                </select>
                <select aria-label="Looked after by" onchange={on_assignee_filter} data-testid="inbox-assignee">
                    <option value="" selected={assignee_filter.is_empty()}>{ "Anyone" }</option>
                    <option value="none" selected={assignee_filter == "none"}>{ "Nobody yet" }</option>
                    { for admins.iter().map(|(id, name)| {
                        let label = if *id == me { format!("{name} (me)") } else { name.clone() };
                        html! { <option value={id.to_string()} selected={assignee_filter == id.to_string()}>{ label }</option> }
                    }) }
                </select>
            </div>
            { list.alert() }
            <DataTable label="Messages" testid="inbox-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("message", "messages", "Messages sent through the website's contact form arrive here.")}>
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
            { list.pager("messages") }
            if let Some(message) = &*open {
                <div class="panel message" data-testid="inbox-message">
                    <div class="message__header">
                        <h2>{ message.subject.clone().unwrap_or_else(|| format!("From {}", message.name)) }</h2>
                        { status_badge(message.status) }
                    </div>
                    <p class="muted">{ format!("{} <{}>{}", message.name, message.email, message.phone.as_ref().map(|phone| format!(" · {phone}")).unwrap_or_default()) }</p>
                    <p class="message__body">{ &message.message }</p>
                    <Replies key={message.id} id={message.id} email={message.email.clone()} on_replied={replied.clone()} />
                    if let Some(text) = &*problem { <p class="alert" role="alert">{ text }</p> }
                    <div class="actions">
                        if message.assigned_to != Some(me) {
                            <button class="button button--quiet" onclick={act(message, None, Some(Some(me)))}>{ "Take it" }</button>
                        }
                        <label class="toolbar__check">{ "Looked after by " }
                            <select aria-label="Looked after by" onchange={reassign(message)} data-testid="inbox-assign">
                                <option value="" selected={message.assigned_to.is_none()}>{ "Nobody" }</option>
                                { for admins.iter().map(|(id, name)| html! {
                                    <option value={id.to_string()} selected={message.assigned_to == Some(*id)}>{ name }</option>
                                }) }
                            </select>
                        </label>
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

#[derive(Properties, PartialEq)]
struct RepliesProps {
    id: i64,
    /// The visitor's address, where replies go.
    email: String,
    /// A reply was sent: the message as it stands now.
    on_replied: Callback<InboxMessage>,
}

/// The replies mailed to the visitor, oldest first, and a new one.
#[function_component(Replies)]
fn replies(props: &RepliesProps) -> Html {
    let thread = use_call::<ops::GetMessageThread>(IdRequest { id: props.id });
    let change = use_change();
    let toast = use_toast();
    let text = use_state(String::new);
    let send = {
        let (thread, change, toast, text, on_replied, id, email) = (
            thread.clone(),
            change.clone(),
            toast.clone(),
            text.clone(),
            props.on_replied.clone(),
            props.id,
            props.email.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = ReplyToMessageRequest { id, body: (*text).clone() };
            let (thread, toast, text, on_replied, email) =
                (thread.clone(), toast.clone(), text.clone(), on_replied.clone(), email.clone());
            change.call::<ops::ReplyToMessage>(request, move |answered| {
                toast.success(format!("Your reply is on its way to {email}."));
                text.set(String::new());
                on_replied.emit(answered.message.clone());
                thread.set(answered);
            });
        })
    };
    let replies = match &*thread {
        None => return html! { <div aria-busy="true"></div> },
        Some(Err(error)) => return alert(error),
        Some(Ok(found)) => found.replies.clone(),
    };
    let body_error = change
        .problem()
        .filter(|problem| problem.field.as_deref() == Some("body"))
        .map(|problem| sentence(&problem.message));
    html! {
        <div class="replies" data-testid="replies">
            { for replies.iter().map(|reply| html! {
                <div class="replies__item" key={reply.id} data-testid="reply">
                    <p class="muted table__small">{ format!("{} replied by email · {}",
                        reply.replied_by.clone().unwrap_or_else(|| "Someone".to_owned()), date_time(reply.created_at)) }</p>
                    <p class="message__body">{ &reply.body }</p>
                </div>
            }) }
            <form onsubmit={send}>
                <TextField id="reply" label={format!("Reply by email to {}", props.email)} multiline=true value={(*text).clone()}
                    oninput={let text = text.clone(); Callback::from(move |value| text.set(value))} error={body_error} />
                if let Some(problem) = change.problem().filter(|problem| problem.field.as_deref() != Some("body")) {
                    { alert(problem) }
                }
                <div class="actions">
                    <button class="button button--primary button--inline" type="submit" disabled={change.busy()}
                        data-testid="send-reply">{ "Send reply" }</button>
                </div>
            </form>
        </div>
    }
}
