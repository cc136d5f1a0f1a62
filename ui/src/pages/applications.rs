//! Admin → Applications: what visitors sent to each cohort, filtered by cohort and status,
//! searched by name, email or phone; each opened with its answers under the form's labels
//! and approved (the student enrolled, a one-time password shown once), waitlisted or
//! rejected. A freed seat offers the oldest waitlisted application.

use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::alert;
use crate::components::hooks::use_cohorts;
use crate::components::labels::{application_status_badge, invitation_sent};
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use hub_model::applications::{
    ApplicationRow, ApplicationStatus, Approved, DecideApplicationRequest, ListApplicationsRequest,
};
use hub_model::cms::IdRequest;
use hub_model::ops;
use serde_json::Value;
use web_sys::HtmlSelectElement;
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
    let columns = vec![
        Column::sortable("Applicant", "name"),
        Column::new("Cohort"),
        Column::new("Status"),
        Column::sortable("Sent", "submitted_at"),
        Column::new("Reviewed"),
    ];
    let items = list.items();
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Applications" }</h1>
                    <p class="content__lead">{ "What visitors sent from the website, cohort by cohort: review, approve, waitlist." }</p>
                </div>
            </div>
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
            <DataTable label="Applications" testid="applications-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("application", "applications", "Applications sent from the website's cohort pages arrive here.")}>
                { for items.iter().map(|row| html! {
                    <tr key={row.id} data-testid="application-row">
                        <td class="table__text">
                            <button class="link-button table__strong" onclick={show(row.id)}
                                aria-label={format!("Review {}", applicant(row))}>{ applicant(row) }</button>
                            <div class="muted table__small">{ row.email.clone().unwrap_or_default() }</div>
                        </td>
                        <td class="table__text">
                            <div>{ &row.cohort_name }</div>
                            <div class="muted table__small">{ &row.program_title }</div>
                        </td>
                        <td>{ application_status_badge(row.status) }</td>
                        <td class="muted">{ when::date_time(row.submitted_at) }</td>
                        <td class="muted table__small">
                            { match (&row.reviewed_by, row.reviewed_at) {
                                (Some(by), Some(at)) => format!("{by}, {}", when::date_time(at)),
                                (None, Some(at)) => when::date_time(at),
                                _ => "—".to_owned(),
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
