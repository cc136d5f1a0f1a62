//! Admin → Applications: what visitors sent to each cohort, filtered by cohort and status,
//! searched by name, email or phone; each opened with its answers under the form's labels
//! and approved (the student enrolled, a one-time password shown once), waitlisted or
//! rejected; or several (or every one the filters find) decided at once, approvals stopping
//! at each cohort's capacity. A freed seat offers the oldest waitlisted application.

use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::alert;
use crate::components::hooks::use_cohorts;
use crate::components::labels::{application_status_badge, email_text, invitation_sent};
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::panels::attendance_record::save_csv;
use hub_model::applications::{
    ApplicationRow, ApplicationStatus, Approved, DecideApplicationRequest, DecideManyRequest, DecidedMany,
    ListApplicationsRequest,
};
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::words;
use serde_json::Value;
use std::collections::BTreeSet;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn applicant(row: &ApplicationRow) -> String {
    row.full_name.clone().or_else(|| row.email.clone()).unwrap_or_else(|| "Unnamed applicant".to_owned())
}

#[function_component(Applications)]
pub fn applications() -> Html {
    let list = use_list::<ops::ListApplications, _, _>(ListApplicationsRequest {
        status: Some(ApplicationStatus::Pending),
        per_page: 25,
        ..Default::default()
    });
    let cohorts = use_cohorts();
    let open = use_state(|| None::<i64>);
    let selected = |event: Event| event.target_unchecked_into::<HtmlSelectElement>().value();
    let on_cohort = list
        .changer(|request: &mut ListApplicationsRequest, value: String| {
            request.cohort_id = value.parse().ok();
        })
        .reform(selected);
    let on_status = list
        .changer(|request: &mut ListApplicationsRequest, value: String| {
            request.status = ApplicationStatus::parse(&value);
        })
        .reform(selected);
    let show = |id: i64| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(id)))
    };
    let chosen = use_state(Chosen::default);
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    // Other filters, other applications: what was chosen under the old ones is let go.
    {
        let chosen = chosen.clone();
        let request = &*list.request;
        let filters = (request.cohort_id, request.status, request.search.clone());
        use_effect_with(filters, move |_| chosen.set(Chosen::default()));
    }
    let items = list.items();
    let total = list.page.as_ref().map_or(0, |page| page.total);
    let page_ids: Vec<i64> = items.iter().map(|row| row.id).collect();
    let whole_page = !page_ids.is_empty() && page_ids.iter().all(|id| chosen.has(*id));
    let on_page_toggle = {
        let (chosen, page_ids) = (chosen.clone(), page_ids.clone());
        Callback::from(move |event: Event| {
            let on = event.target_unchecked_into::<HtmlInputElement>().checked();
            chosen.set(chosen.with_all(&page_ids, on));
        })
    };
    let toggle = |id: i64| {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            let on = event.target_unchecked_into::<HtmlInputElement>().checked();
            chosen.set(chosen.with_all(&[id], on));
        })
    };
    let columns = vec![
        Column::control(
            "Choose",
            html! {
                <input type="checkbox" checked={whole_page} onchange={on_page_toggle}
                    aria-label="Choose every application on this page" data-testid="choose-page" />
            },
        ),
        Column::sortable("Applicant", "name"),
        Column::new("Cohort"),
        Column::new("Status"),
        Column::sortable("Sent", "submitted_at"),
        Column::new("Reviewed"),
    ];
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Applications" }</h1>
                    <p class="content__lead">{ "What visitors sent from the website, cohort by cohort: review, approve, waitlist." }</p>
                </div>
                <div class="page-header__actions">
                    <button class="button button--quiet button--inline" data-testid="export-applications"
                        onclick={save_csv::<ops::ExportApplications>((*list.request).clone(), toast.clone(), problem.clone())}>
                        { "Export CSV" }
                    </button>
                </div>
            </div>
            if let Some(message) = &*problem {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search name, email or phone" aria-label="Search applications"
                    value={list.search_text()} oninput={list.on_search()} data-testid="application-search" />
                <select aria-label="Cohort" onchange={on_cohort} data-testid="application-cohort">
                    <option value="" selected={list.request.cohort_id.is_none()}>{ "All cohorts" }</option>
                    { for cohorts.iter().map(|cohort| html! {
                        <option value={cohort.id.to_string()} selected={list.request.cohort_id == Some(cohort.id)}>
                            { format!("{} — {}", cohort.program_title, cohort.name) }
                        </option>
                    }) }
                </select>
                <select aria-label="Status" onchange={on_status} data-testid="application-status">
                    <option value="" selected={list.request.status.is_none()}>{ "Every status" }</option>
                    { for ApplicationStatus::ALL.iter().map(|status| html! {
                        <option value={status.as_str()} selected={list.request.status == Some(*status)}>{ status.label() }</option>
                    }) }
                </select>
            </div>
            { list.alert() }
            <BulkDecision chosen={(*chosen).clone()} filter={(*list.request).clone()} {total}
                on_choose_all={let chosen = chosen.clone(); Callback::from(move |()| chosen.set(Chosen::Filtered))}
                on_clear={let chosen = chosen.clone(); Callback::from(move |()| chosen.set(Chosen::default()))}
                on_decided={let (chosen, reload) = (chosen.clone(), list.reload()); Callback::from(move |()| {
                    chosen.set(Chosen::default());
                    reload.emit(());
                })}
                on_open={let open = open.clone(); Callback::from(move |id| open.set(Some(id)))} />
            <DataTable label="Applications" testid="applications-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={if list.is_filtered() {
                    list.empty("application", "applications", "")
                } else {
                    html! {
                        <div class="empty">
                            <p class="empty__title">{ "No application waits for a decision" }</p>
                            <p>{ "Applications sent from the website's cohort pages arrive here. Choose \"Every status\" to see the ones decided." }</p>
                        </div>
                    }
                }}>
                { for items.iter().map(|row| html! {
                    <tr key={row.id} data-testid="application-row">
                        <td class="table__choose">
                            <input type="checkbox" checked={chosen.has(row.id)} onchange={toggle(row.id)}
                                aria-label={format!("Choose {}", applicant(row))} data-testid="choose-application" />
                        </td>
                        <td class="table__text">
                            <button class="link-button table__strong" onclick={show(row.id)}
                                aria-label={format!("Review {}", applicant(row))}>{ applicant(row) }</button>
                            <div class="muted table__small">{ email_text(row.email.as_deref().unwrap_or_default()) }</div>
                        </td>
                        <td class="table__text">
                            <div>{ &row.cohort_name }</div>
                            <div class="muted table__small">{ &row.program_title }</div>
                        </td>
                        <td>{ application_status_badge(row.status) }</td>
                        <td class="muted">{ when::date_time(row.submitted_at) }</td>
                        <td class="muted table__small">
                            { match (&row.reviewed_by, row.reviewed_at) {
                                (Some(by), Some(at)) => html! { <><div>{ by }</div><div>{ when::date_time(at) }</div></> },
                                (None, Some(at)) => html! { when::date_time(at) },
                                _ => html! { "—" },
                            } }
                        </td>
                    </tr>
                }) }
            </DataTable>
            { list.pager("applications") }
            if let Some(id) = *open {
                <Review {id} on_close={let open = open.clone(); Callback::from(move |()| open.set(None))}
                    on_changed={list.reload()} on_open={let open = open.clone(); Callback::from(move |id| open.set(Some(id)))} />
            }
        </>
    }
}

/// The applications a bulk decision takes.
#[derive(Debug, Clone, Default, PartialEq)]
enum Chosen {
    /// Ticked one by one (on any page).
    Ids(BTreeSet<i64>),
    /// Every one the filters find, on every page.
    Filtered,
    #[default]
    Nothing,
}

impl Chosen {
    fn has(&self, id: i64) -> bool {
        match self {
            Self::Ids(ids) => ids.contains(&id),
            Self::Filtered => true,
            Self::Nothing => false,
        }
    }

    /// With `ids` chosen (`on`) or let go.
    fn with_all(&self, ids: &[i64], on: bool) -> Self {
        let mut chosen = match self {
            Self::Ids(chosen) => chosen.clone(),
            Self::Filtered | Self::Nothing => BTreeSet::new(),
        };
        for id in ids {
            if on {
                chosen.insert(*id);
            } else {
                chosen.remove(id);
            }
        }
        if chosen.is_empty() {
            Self::Nothing
        } else {
            Self::Ids(chosen)
        }
    }
}

#[derive(Properties, PartialEq)]
struct BulkProps {
    chosen: Chosen,
    /// The list's filters: what "every one that matches" means.
    filter: ListApplicationsRequest,
    /// How many the filters find.
    total: i64,
    on_choose_all: Callback<()>,
    on_clear: Callback<()>,
    on_decided: Callback<()>,
    /// Opens an application (one a freed seat is offered to).
    on_open: Callback<i64>,
}

/// "N chosen" and the decisions for them, confirmed; then what was done, in words.
#[function_component(BulkDecision)]
fn bulk_decision(props: &BulkProps) -> Html {
    let deciding = ipc::use_change();
    let asking = use_state(|| None::<ApplicationStatus>);
    let done = use_state(|| None::<DecidedMany>);
    let count = match &props.chosen {
        Chosen::Ids(ids) => i64::try_from(ids.len()).unwrap_or(i64::MAX),
        Chosen::Filtered => props.total,
        Chosen::Nothing => 0,
    };
    let ask = |status: ApplicationStatus| {
        let (asking, deciding) = (asking.clone(), deciding.clone());
        Callback::from(move |_: MouseEvent| {
            deciding.clear();
            asking.set(Some(status));
        })
    };
    let confirm = {
        let (deciding, asking, done, on_decided) =
            (deciding.clone(), asking.clone(), done.clone(), props.on_decided.clone());
        let request = |status: ApplicationStatus| match &props.chosen {
            Chosen::Filtered => {
                DecideManyRequest { ids: Vec::new(), filtered: Some(props.filter.clone()), status }
            }
            Chosen::Ids(ids) => {
                DecideManyRequest { ids: ids.iter().copied().collect(), filtered: None, status }
            }
            Chosen::Nothing => DecideManyRequest { ids: Vec::new(), filtered: None, status },
        };
        let requests: Vec<DecideManyRequest> =
            [ApplicationStatus::Approved, ApplicationStatus::Waitlisted, ApplicationStatus::Rejected]
                .into_iter()
                .map(request)
                .collect();
        Callback::from(move |()| {
            let Some(status) = *asking else { return };
            let Some(request) = requests.iter().find(|request| request.status == status) else { return };
            let (asking, done, on_decided) = (asking.clone(), done.clone(), on_decided.clone());
            deciding.call::<ops::DecideApplications>(request.clone(), move |answer| {
                asking.set(None);
                done.set(Some(answer));
                on_decided.emit(());
            });
        })
    };
    let question = asking.map(|status| match status {
        ApplicationStatus::Approved => (
            format!("Approve {}?", words::count(count, "application", "applications")),
            "In the order they were sent, each applicant is enrolled (an account made and an invitation mailed if they \
             have none) until their cohort is full; the rest are waitlisted in that order. Each applicant is emailed."
                .to_owned(),
            "Approve and enroll",
            false,
        ),
        ApplicationStatus::Waitlisted => (
            format!("Waitlist {}?", words::count(count, "application", "applications")),
            "Each applicant is emailed their place on the waiting list. Approved ones among them stay approved.".to_owned(),
            "Waitlist",
            false,
        ),
        _ => (
            format!("Reject {}?", words::count(count, "application", "applications")),
            "Each applicant is emailed the decision. Rejecting an approval withdraws it: the enrollment is dropped and \
             the seat offered to the longest waiting."
                .to_owned(),
            "Reject",
            true,
        ),
    });
    html! {
        <>
            if count > 0 {
                <div class="bulk" role="region" aria-label="Chosen applications" data-testid="bulk-bar">
                    <span class="bulk__count" data-testid="bulk-count">
                        { if props.chosen == Chosen::Filtered {
                            format!("All {count} that match chosen")
                        } else {
                            format!("{count} chosen")
                        } }
                    </span>
                    if props.chosen != Chosen::Filtered && props.total > count {
                        <button class="link-button" onclick={props.on_choose_all.reform(|_: MouseEvent| ())}
                            data-testid="choose-all-filtered">{ format!("Choose all {} that match", props.total) }</button>
                    }
                    <span class="bulk__actions">
                        <button class="button button--primary button--inline button--small" onclick={ask(ApplicationStatus::Approved)}
                            data-testid="bulk-approve">{ "Approve and enroll" }</button>
                        <button class="button button--quiet button--small" onclick={ask(ApplicationStatus::Waitlisted)}
                            data-testid="bulk-waitlist">{ "Waitlist" }</button>
                        <button class="button button--danger-quiet button--small" onclick={ask(ApplicationStatus::Rejected)}
                            data-testid="bulk-reject">{ "Reject" }</button>
                        <button class="button button--quiet button--small" onclick={props.on_clear.reform(|_: MouseEvent| ())}>
                            { "Clear" }
                        </button>
                    </span>
                </div>
            }
            if let Some(answer) = &*done {
                { decided_many(answer, &props.on_open, { let done = done.clone(); Callback::from(move |_| done.set(None)) }) }
            }
            if let Some((title, message, label, danger)) = question {
                <Confirm {title} {message} confirm_label={label} {danger} busy={deciding.busy()}
                    error={deciding.problem().map(|error| AttrValue::from(error.message.clone()))}
                    on_confirm={confirm}
                    on_cancel={let asking = asking.clone(); Callback::from(move |()| asking.set(None))} />
            }
        </>
    }
}

/// What a bulk decision did, in sentences: how many decided, how many waitlisted because
/// their cohort was full (and which), which were left as they were and why, and the seats
/// withdrawals freed.
fn decided_many(done: &DecidedMany, on_open: &Callback<i64>, on_dismiss: Callback<MouseEvent>) -> Html {
    let applications = |count: usize| words::count(count, "application", "applications");
    let verb = match done.status {
        ApplicationStatus::Approved => "approved and enrolled",
        ApplicationStatus::Waitlisted => "waitlisted",
        ApplicationStatus::Rejected => "rejected",
        ApplicationStatus::Pending => "put back to pending",
    };
    let mut said = vec![format!("{} {verb}.", applications(done.decided.len()))];
    if done.invitations > 0 {
        said.push(format!(
            "{} new {} mailed an invitation to choose a password.",
            done.invitations,
            if done.invitations == 1 { "student was" } else { "students were" }
        ));
    }
    if !done.unchanged.is_empty() {
        said.push(format!("{} already so.", applications(done.unchanged.len())));
    }
    let full = !done.waitlisted_for_seats.is_empty();
    html! {
        <div class={classes!("notice", "bulk-result", if full || !done.left.is_empty() { "notice--warn" } else { "notice--ok" })}
            role="status" data-testid="bulk-result">
            <p>{ said.join(" ") }</p>
            if full {
                <p data-testid="bulk-waitlisted">
                    { format!(
                        "{} waitlisted instead, in the order they were sent: {} full.",
                        applications(done.waitlisted_for_seats.len()),
                        done.full_cohorts.join(", "),
                    ) }
                    { " Raise a cohort's capacity, then approve from the waitlist." }
                </p>
            }
            if !done.left.is_empty() {
                <p>{ format!("{} left as {}:", applications(done.left.len()), if done.left.len() == 1 { "it was" } else { "they were" }) }</p>
                <ul class="bulk-result__left">
                    { for done.left.iter().map(|left| html! {
                        <li>
                            <button class="link-button" onclick={let (on_open, id) = (on_open.clone(), left.application.id); Callback::from(move |_| on_open.emit(id))}>
                                { applicant(&left.application) }
                            </button>
                            { format!(": {}", left.reason) }
                        </li>
                    }) }
                </ul>
            }
            { for done.promotions.iter().map(|next| html! {
                <p>
                    { format!("A seat is free in {}. {} has waited longest. ", next.cohort_name, applicant(next)) }
                    <button class="link-button" onclick={let (on_open, id) = (on_open.clone(), next.id); Callback::from(move |_| on_open.emit(id))}>
                        { "Review their application" }
                    </button>
                </p>
            }) }
            <button class="button button--quiet button--small" onclick={on_dismiss}>{ "Dismiss" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewProps {
    id: i64,
    on_close: Callback<()>,
    on_changed: Callback<()>,
    /// Opens another application (the one a freed seat is offered to).
    on_open: Callback<i64>,
}

/// An answer as a person reads it.
fn shown(value: &Value) -> String {
    match value {
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::String(text) => text.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

#[function_component(Review)]
fn review(props: &ReviewProps) -> Html {
    let toast = use_toast();
    let detail = ipc::use_call::<ops::GetApplication>(IdRequest { id: props.id });
    // Approving or deciding; refused, it says why above the buttons.
    let deciding = ipc::use_change();
    let approved = use_state(|| None::<Approved>);
    let offered = use_state(|| None::<ApplicationRow>);
    let withdrawing = use_state(|| false);
    let approve = {
        let (deciding, approved, toast, on_changed, reload, id) = (
            deciding.clone(),
            approved.clone(),
            toast.clone(),
            props.on_changed.clone(),
            detail.reload(),
            props.id,
        );
        Callback::from(move |_: MouseEvent| {
            let (approved, toast, on_changed, reload) =
                (approved.clone(), toast.clone(), on_changed.clone(), reload.clone());
            deciding.call::<ops::ApproveApplication>(IdRequest { id }, move |answer| {
                toast.success("Approved: the student is enrolled.");
                approved.set(Some(answer));
                on_changed.emit(());
                reload.emit(());
            });
        })
    };
    let decide = |status: ApplicationStatus| {
        let (deciding, offered, withdrawing, toast, on_changed, reload, id) = (
            deciding.clone(),
            offered.clone(),
            withdrawing.clone(),
            toast.clone(),
            props.on_changed.clone(),
            detail.reload(),
            props.id,
        );
        Callback::from(move |()| {
            withdrawing.set(false);
            let (offered, toast, on_changed, reload) =
                (offered.clone(), toast.clone(), on_changed.clone(), reload.clone());
            deciding.call::<ops::DecideApplication>(
                DecideApplicationRequest { id, status },
                move |decided| {
                    toast.success(format!("Marked {}.", decided.application.status.label().to_lowercase()));
                    offered.set(decided.promotion);
                    on_changed.emit(());
                    reload.emit(());
                },
            );
        })
    };
    let footer = html! {
        <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
    };
    let body = match &*detail {
        None => html! { <p class="muted" aria-busy="true">{ "Loading the application…" }</p> },
        Some(Err(error)) => alert(error),
        Some(Ok(detail)) => {
            let row = &detail.application;
            let click = |callback: Callback<()>| callback.reform(|_: MouseEvent| ());
            html! {
                <>
                    <div class="message__header">
                        <span class="muted">{ format!("{} — {} · sent {}", row.program_title, row.cohort_name, when::date_time(row.submitted_at)) }</span>
                        { application_status_badge(row.status) }
                    </div>
                    <dl class="answers" data-testid="application-answers">
                        { for detail.answers.iter().map(|answer| html! {
                            <>
                                <dt>{ &answer.label }</dt>
                                <dd>{ shown(&answer.value) }</dd>
                            </>
                        }) }
                    </dl>
                    if let Some(answer) = &*approved {
                        <div class="notice notice--ok" role="status" data-testid="approved">
                            <p>{ if answer.new_account {
                                "A student account was made for them and they are enrolled."
                            } else {
                                "They already had an account: it is now a student's, enrolled in this cohort."
                            } }</p>
                            if answer.new_account { { invitation_sent(answer.invitation_sent_to.as_deref()) } }
                        </div>
                    }
                    if let Some(next) = &*offered {
                        <div class="offer" role="status" data-testid="promotion">
                            <span>{ format!("A seat is free. {} has waited longest on the waitlist.", applicant(next)) }</span>
                            <button class="button button--quiet button--small" onclick={let (on_open, id) = (props.on_open.clone(), next.id); Callback::from(move |_| on_open.emit(id))}>
                                { "Review their application" }
                            </button>
                        </div>
                    }
                    if let Some(error) = deciding.problem() { { alert(error) } }
                    <div class="button-row" data-testid="review-actions">
                        if row.status != ApplicationStatus::Approved {
                            <button class="button button--primary button--inline" disabled={deciding.busy()} onclick={approve.clone()}
                                data-testid="approve">{ "Approve and enroll" }</button>
                        }
                        if row.status != ApplicationStatus::Waitlisted && row.status != ApplicationStatus::Approved {
                            <button class="button button--quiet" disabled={deciding.busy()} onclick={click(decide(ApplicationStatus::Waitlisted))}>{ "Waitlist" }</button>
                        }
                        if row.status == ApplicationStatus::Pending || row.status == ApplicationStatus::Waitlisted {
                            <button class="button button--danger-quiet" disabled={deciding.busy()} onclick={click(decide(ApplicationStatus::Rejected))}>{ "Reject" }</button>
                        }
                        if row.status == ApplicationStatus::Rejected || row.status == ApplicationStatus::Waitlisted {
                            <button class="button button--quiet" disabled={deciding.busy()} onclick={click(decide(ApplicationStatus::Pending))}>{ "Back to pending" }</button>
                        }
                        if row.status == ApplicationStatus::Approved {
                            <button class="button button--danger-quiet" disabled={deciding.busy()}
                                onclick={let withdrawing = withdrawing.clone(); Callback::from(move |_| withdrawing.set(true))}>
                                { "Withdraw approval" }
                            </button>
                        }
                    </div>
                    if *withdrawing {
                        <Confirm title="Withdraw this approval?" danger=true busy={deciding.busy()}
                            message="Their enrollment is dropped and the seat freed; the application is marked rejected. Their account stays."
                            confirm_label="Withdraw" on_confirm={decide(ApplicationStatus::Rejected)}
                            on_cancel={let withdrawing = withdrawing.clone(); Callback::from(move |()| withdrawing.set(false))} />
                    }
                </>
            }
        }
    };
    let title = match &*detail {
        Some(Ok(detail)) => format!("Application of {}", applicant(&detail.application)),
        _ => "Application".to_owned(),
    };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="application-dialog">
            { body }
        </Dialog>
    }
}
