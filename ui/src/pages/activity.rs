//! Admin → Activity: the audit trail, told as sentences ("Maya Khoury made Karim Nassar an
//! admin"), each with what changed, before and after; filtered by name, area and days, and
//! saved as CSV. A person's dialog and a cohort's page show their own history with
//! [`History`].

use crate::components::list::use_list;
use crate::components::toast::use_toast;
use crate::components::when::{date_from_input, date_time};
use crate::panels::attendance_record::save_csv;
use hub_model::audit::{Activity as Entry, ActivityRequest, Change, ChangeAction};
use hub_model::ops;
use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The areas of the catalogue an administrator filters by, as the operations name them.
const AREAS: &[(&str, &str)] = &[
    ("users", "People and roles"),
    ("profiles", "Profiles"),
    ("auth", "Passwords and codes"),
    ("programs", "Programs"),
    ("cohorts", "Cohorts"),
    ("enrollments", "Enrollments"),
    ("applications", "Applications"),
    ("attendance", "Attendance"),
    ("checkin", "Self check-in"),
    ("sessions", "Class sessions"),
    ("events", "Events"),
    ("announcements", "Announcements"),
    ("forms", "Forms"),
    ("cms", "Website content"),
    ("inbox", "Inbox"),
    ("website", "Website visitors"),
];

#[function_component(Activity)]
pub fn activity() -> Html {
    html! {
        <>
            <h1>{ "Activity" }</h1>
            <p class="content__lead">
                { "Every change made in the hub: who made it, when, from which device, and what it changed." }
            </p>
            <History request={ActivityRequest::default()} filters=true />
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// The entries shown: everyone's, a person's or a cohort's.
    pub request: ActivityRequest,
    /// The search, area and day filters, and the CSV export, above the list.
    #[prop_or_default]
    pub filters: bool,
}

/// The trail a request finds, newest first, a page at a time.
#[function_component(History)]
pub fn history(props: &HistoryProps) -> Html {
    let list = use_list::<ops::ListActivity, _, _>(ActivityRequest { per_page: 20, ..props.request.clone() });
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    let items = list.items();
    let toolbar = if props.filters {
        let on_area = list
            .changer(|request: &mut ActivityRequest, value: String| {
                request.operation = Some(value).filter(|value| !value.is_empty());
            })
            .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
        let day = |event: Event| {
            date_from_input(&event.target_unchecked_into::<HtmlInputElement>().value()).ok().flatten()
        };
        let on_from = list.changer(|request: &mut ActivityRequest, from| request.from = from).reform(day);
        let on_to = list.changer(|request: &mut ActivityRequest, to| request.to = to).reform(day);
        let area = list.request.operation.clone().unwrap_or_default();
        let export = save_csv::<ops::ExportActivity>((*list.request).clone(), toast.clone(), problem.clone());
        html! {
            <div class="toolbar toolbar--wrap" role="search">
                <input class="toolbar__search" type="search" placeholder="Search by who did it, or to whom"
                    aria-label="Search by person" value={list.search_text()} oninput={list.on_search()}
                    data-testid="activity-search" />
                <select aria-label="Area" onchange={on_area} data-testid="activity-area">
                    <option value="" selected={area.is_empty()}>{ "Every area" }</option>
                    { for AREAS.iter().map(|(value, label)| html! {
                        <option value={*value} selected={area == *value}>{ *label }</option>
                    }) }
                </select>
                <label class="toolbar__day">{ "From" }
                    <input type="date" onchange={on_from} data-testid="activity-from"
                        value={list.request.from.map(|day| day.to_string()).unwrap_or_default()} />
                </label>
                <label class="toolbar__day">{ "To" }
                    <input type="date" onchange={on_to} data-testid="activity-to"
                        value={list.request.to.map(|day| day.to_string()).unwrap_or_default()} />
                </label>
                <button class="button button--quiet" onclick={export} data-testid="activity-export">{ "Export CSV" }</button>
            </div>
        }
    } else {
        html! {}
    };
    let body = if items.is_empty() {
        if *list.loading && list.page.is_none() {
            html! { <p class="muted" aria-busy="true">{ "Loading the history…" }</p> }
        } else {
            list.empty("change", "changes", "Changes made in the hub appear here, newest first.")
        }
    } else {
        html! {
            <ol class="activity" aria-label="Changes, newest first" aria-busy={list.loading.to_string()}
                data-testid="activity-list">
                { for items.iter().map(entry) }
            </ol>
        }
    };
    html! {
        <div class="history">
            { toolbar }
            if let Some(message) = &*problem {
                <p class="alert" role="alert">{ message }</p>
            }
            { list.alert() }
            { body }
            { list.pager("changes") }
        </div>
    }
}

fn entry(activity: &Entry) -> Html {
    let mut context = vec![date_time(activity.at)];
    context.extend(activity.device.clone());
    context.extend(activity.address.clone());
    let shown = activity.changes.len();
    let summary = match (shown, activity.changes_total) {
        (1, 1) => "What changed".to_owned(),
        (shown, total) if i64::try_from(shown).unwrap_or(i64::MAX) < total => {
            format!("What changed (the first {shown} of {total} records)")
        }
        (shown, _) => format!("What changed ({shown} records)"),
    };
    html! {
        <li class="activity__entry" key={activity.id} data-testid="activity-entry">
            <p class="activity__sentence">{ &activity.sentence }</p>
            <p class="muted table__small">
                { context.join(" · ") }{ " · " }
                <span title={activity.operation_summary.clone()}><code>{ &activity.operation }</code></span>
            </p>
            if shown > 0 {
                <details class="activity__details">
                    <summary>{ summary }</summary>
                    { for activity.changes.iter().map(change) }
                </details>
            }
        </li>
    }
}

fn change(change: &Change) -> Html {
    let action = match change.action {
        ChangeAction::Insert => "Added",
        ChangeAction::Update => "Changed",
        ChangeAction::Delete => "Removed",
    };
    let record = match &change.record_name {
        Some(name) => format!("{} {} — {name}", record_label(&change.record_type), change.record_key),
        None => format!("{} {}", record_label(&change.record_type), change.record_key),
    };
    html! {
        <div class="activity__change">
            <p class="activity__record"><strong>{ action }</strong>{ " " }{ record }</p>
            <table class="activity__fields">
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Before" }</th><th scope="col">{ "After" }</th></tr></thead>
                <tbody>
                    { for change.fields.iter().map(|field| html! {
                        <tr>
                            <th scope="row">{ field.field.replace('_', " ") }</th>
                            <td>{ shown(&field.before) }</td>
                            <td>{ shown(&field.after) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A table's name as the people who use the hub say it.
fn record_label(table: &str) -> String {
    let label = match table {
        "users" => "Account",
        "student_profiles" => "Student profile",
        "instructor_profiles" => "Instructor profile",
        "manager_profiles" => "Staff profile",
        "account_codes" => "Code",
        "attendance_records" => "Mark",
        "cohort_instructors" => "Cohort staff",
        "home_sections" => "Home section",
        "site_settings" => "Site settings",
        "theme_tokens" => "Theme color",
        "form_fields" => "Form field",
        "contact_messages" => "Message",
        "contact_replies" => "Reply",
        "session_checkin" => "Check-in window",
        other => {
            let words = other.trim_end_matches('s').replace('_', " ");
            let mut chars = words.chars();
            return chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
        }
    };
    label.to_owned()
}

/// A value as text: a string without its quotes (a moment as the hub's screens show one),
/// nothing as "—".
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "—".to_owned(),
        Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
            .map_or_else(|_| text.clone(), |at| date_time(at.with_timezone(&chrono::Utc))),
        other => other.to_string(),
    }
}
