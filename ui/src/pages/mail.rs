//! Admin → Mail: every message the hub sends and how it went (the mail server's answer),
//! a failed one tried again; this server's mail settings, and a test message to check them.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::{alert, choice_options, sentence, TextField};
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when::date_time;
use crate::ipc::{use_call, use_change};
use hub_model::cms::IdRequest;
use hub_model::mail::{ListOutboxRequest, MailSettings, MailStatus, SendTestMailRequest};
use hub_model::{ops, NoRequest};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::HtmlSelectElement;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// How often the list looks again while a message shown is waiting to be sent.
const REFRESH: Duration = Duration::from_secs(2);

pub fn status_badge(status: MailStatus) -> Html {
    let tone = match status {
        MailStatus::Queued => BadgeTone::Warning,
        MailStatus::Sent => BadgeTone::Success,
        MailStatus::Failed => BadgeTone::Danger,
    };
    html! { <Badge text={status.label()} {tone} /> }
}

#[function_component(Mail)]
pub fn mail() -> Html {
    let list =
        use_list::<ops::ListOutbox, _, _>(ListOutboxRequest { per_page: 25, ..ListOutboxRequest::default() });
    let open = use_state(|| None::<i64>);
    let on_status = list
        .changer(|request: &mut ListOutboxRequest, value: String| request.status = MailStatus::parse(&value))
        .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let status_filter = list.request.status.map_or("", MailStatus::as_str);
    let columns = vec![
        Column::sortable("To", "recipient"),
        Column::new("Subject"),
        Column::sortable("Status", "status"),
        Column::new("Tries"),
        Column::sortable("Queued", "queued"),
    ];
    let items = list.items();
    // While a message shown waits, the list looks again every few seconds: a send's outcome
    // shows without the admin asking.
    let waiting = items.iter().any(|message| message.status == MailStatus::Queued);
    {
        let reload = list.reload();
        use_effect_with((waiting, *list.loading), move |&(waiting, loading)| {
            let alive = Rc::new(Cell::new(true));
            if waiting && !loading {
                let alive = alive.clone();
                spawn_local(async move {
                    sleep(REFRESH).await;
                    if alive.get() {
                        reload.emit(());
                    }
                });
            }
            move || alive.set(false)
        });
    }
    html! {
        <>
            <h1>{ "Mail" }</h1>
            <p class="content__lead">{ "Every message the hub sends, and what the mail server answered." }</p>
            <SettingsPanel on_queued={list.reload()} />
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search by address" aria-label="Search by address"
                    value={list.search_text()} oninput={list.on_search()} data-testid="outbox-search" />
                <select aria-label="Status" onchange={on_status} data-testid="outbox-status">
                    <option value="" selected={status_filter.is_empty()}>{ "Every status" }</option>
                    { for choice_options::<MailStatus>().into_iter().map(|(value, label)| {
                        let selected = value.as_str() == status_filter;
                        html! { <option {selected} {value}>{ label }</option> }
                    }) }
                </select>
            </div>
            { list.alert() }
            <DataTable label="Messages" testid="outbox-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("message", "messages", "Messages to applicants and students appear here as the hub sends them.")}>
                { for items.iter().map(|message| {
                    let view = { let (open, id) = (open.clone(), message.id); Callback::from(move |_: MouseEvent| open.set(Some(id))) };
                    html! {
                        <tr key={message.id} data-testid="outbox-row">
                            <td>
                                <button class="link-button table__strong" onclick={view}
                                    aria-label={format!("Read the message to {}", message.recipient)}>{ &message.recipient }</button>
                                <div class="muted table__small">{ message.kind.label() }</div>
                            </td>
                            <td>{ &message.subject }</td>
                            <td>{ status_badge(message.status) }</td>
                            <td>{ message.attempts }</td>
                            <td class="muted">{ date_time(message.created_at) }</td>
                        </tr>
                    }
                }) }
            </DataTable>
            { list.pager("messages") }
            if let Some(id) = *open {
                <MessagePanel key={id} {id} on_close={let open = open.clone(); Callback::from(move |()| open.set(None))}
                    on_retried={list.reload()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SettingsProps {
    /// A test message was queued: the list shows it.
    on_queued: Callback<()>,
}

/// How this hub server sends mail, how the outbox stands, and a test message.
#[function_component(SettingsPanel)]
fn settings_panel(props: &SettingsProps) -> Html {
    let settings = use_call::<ops::GetMailSettings>(NoRequest {});
    let change = use_change();
    let toast = use_toast();
    let to = use_state(String::new);
    let settings_value: MailSettings = match &*settings {
        None => {
            return html! { <section class="panel mail-settings" aria-busy="true"><h2>{ "Sending mail" }</h2></section> }
        }
        Some(Err(error)) => return alert(error),
        Some(Ok(found)) => found.clone(),
    };
    let send = {
        let (change, toast, to, reload, on_queued) =
            (change.clone(), toast.clone(), to.clone(), settings.reload(), props.on_queued.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = SendTestMailRequest { to: Some((*to).clone()).filter(|to| !to.trim().is_empty()) };
            let (toast, reload, on_queued) = (toast.clone(), reload.clone(), on_queued.clone());
            change.call::<ops::SendTestMail>(request, move |queued| {
                toast.success(format!("A test message to {} is on its way.", queued.recipient));
                reload.emit(());
                on_queued.emit(());
            });
        })
    };
    let counts = format!(
        "{} waiting · {} failed · {} sent in the last day",
        settings_value.queued, settings_value.failed, settings_value.sent_last_day
    );
    html! {
        <section class="panel mail-settings" aria-labelledby="mail-settings-title" data-testid="mail-settings">
            <h2 id="mail-settings-title">{ "Sending mail" }</h2>
            { match &settings_value.relay {
                Some(relay) => html! {
                    <p>{ format!("Through {} (security: {}), from {}.", relay.server, relay.security, relay.from) }</p>
                },
                None => html! {
                    <p class="notice notice--warn" role="status" data-testid="mail-not-configured">
                        { "This hub server has no mail settings (SMTP_URL and MAIL_FROM): messages wait here until a server with them sends them. The installation guide says how to set them." }
                    </p>
                },
            } }
            <p class="muted" data-testid="mail-counts">{ counts }</p>
            <form class="inline-form inline-form--labelled" onsubmit={send}>
                <TextField id="to" label="Send a test message to" input_type="email" value={(*to).clone()}
                    placeholder="Your own address" oninput={let to = to.clone(); Callback::from(move |value| to.set(value))}
                    error={change.problem().filter(|problem| problem.field.as_deref() == Some("to")).map(|problem| sentence(&problem.message))} />
                <button class="button button--primary button--inline" type="submit" disabled={change.busy()} data-testid="send-test">
                    { "Send a test message" }
                </button>
            </form>
            if let Some(problem) = change.problem().filter(|problem| problem.field.as_deref() != Some("to")) {
                { alert(problem) }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MessageProps {
    id: i64,
    on_close: Callback<()>,
    on_retried: Callback<()>,
}

/// One message as its recipient reads it, what the mail server answered, and "try again".
#[function_component(MessagePanel)]
fn message_panel(props: &MessageProps) -> Html {
    let detail = use_call::<ops::GetOutboxMessage>(IdRequest { id: props.id });
    let change = use_change();
    let toast = use_toast();
    let whole = match &*detail {
        None => return html! { <section class="panel message" aria-busy="true"></section> },
        Some(Err(error)) => return alert(error),
        Some(Ok(found)) => found.clone(),
    };
    let message = &whole.message;
    let retry = {
        let (change, toast, reload, on_retried, id) =
            (change.clone(), toast.clone(), detail.reload(), props.on_retried.clone(), props.id);
        Callback::from(move |_: MouseEvent| {
            let (toast, reload, on_retried) = (toast.clone(), reload.clone(), on_retried.clone());
            change.call::<ops::RetryMail>(IdRequest { id }, move |_| {
                toast.success("It is tried again now.");
                reload.emit(());
                on_retried.emit(());
            });
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let when = match (message.status, message.sent_at) {
        (MailStatus::Sent, Some(sent)) => format!("Sent {}", date_time(sent)),
        (MailStatus::Queued, _) => format!("Next try {}", date_time(message.next_attempt_at)),
        _ => format!("Queued {}", date_time(message.created_at)),
    };
    html! {
        <section class="panel message" aria-labelledby="outbox-message-title" data-testid="outbox-message">
            <div class="message__header">
                <h2 id="outbox-message-title">{ &message.subject }</h2>
                { status_badge(message.status) }
            </div>
            <p class="muted">{ format!("To {} · {} · {} · {}", message.recipient, message.kind.label(), when, tries(message.attempts)) }</p>
            if let Some(answer) = &message.provider_answer {
                <p data-testid="provider-answer"><span class="muted">{ "The mail server answered: " }</span><code>{ answer }</code></p>
            }
            <p class="message__body">{ &whole.text_body }</p>
            if let Some(problem) = change.problem() { { alert(problem) } }
            <div class="actions">
                <button class="button button--quiet" onclick={close}>{ "Close" }</button>
                if message.status != MailStatus::Sent {
                    <button class="button button--primary button--inline" onclick={retry} disabled={change.busy()}
                        data-testid="retry-mail">{ "Try again now" }</button>
                }
            </div>
        </section>
    }
}

fn tries(attempts: i32) -> String {
    match attempts {
        0 => "not tried yet".to_owned(),
        1 => "tried once".to_owned(),
        n => format!("tried {n} times"),
    }
}
