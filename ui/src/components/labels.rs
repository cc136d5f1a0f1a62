//! What the app shows of things, in words and badges: each value's badge here, once, for
//! every screen that shows it (the words of a closed set are its `label()`, in hub-model).

use crate::components::badge::{Badge, BadgeTone};
use hub_model::applications::ApplicationStatus;
use hub_model::programs::{CohortRow, CohortStatus, EnrollmentStatus};
use hub_model::users::UserSummary;
use yew::prelude::*;

pub fn cohort_status_badge(status: CohortStatus) -> Html {
    let tone = match status {
        CohortStatus::Planned | CohortStatus::Completed => BadgeTone::Neutral,
        CohortStatus::ComingSoon => BadgeTone::Primary,
        CohortStatus::Open => BadgeTone::Success,
        CohortStatus::Running => BadgeTone::Warning,
        CohortStatus::Cancelled => BadgeTone::Danger,
    };
    html! { <Badge text={status.label()} {tone} /> }
}

/// "3 Feb – 28 Jun 2027", or what is known of it.
pub fn cohort_dates(cohort: &CohortRow) -> String {
    match (cohort.start_date, cohort.end_date) {
        (Some(start), Some(end)) => format!("{} – {}", start.format("%-d %b %Y"), end.format("%-d %b %Y")),
        (Some(start), None) => format!("From {}", start.format("%-d %b %Y")),
        (None, Some(end)) => format!("Until {}", end.format("%-d %b %Y")),
        (None, None) => "Dates not set".to_owned(),
    }
}

/// "12 / 20 seats" (or "12 seats taken" with no limit).
pub fn cohort_seats(cohort: &CohortRow) -> String {
    match cohort.capacity {
        Some(capacity) => format!("{} / {capacity}", cohort.seats_used),
        None => format!("{} (no limit)", cohort.seats_used),
    }
}

pub fn application_status_badge(status: ApplicationStatus) -> Html {
    let tone = match status {
        ApplicationStatus::Pending => BadgeTone::Primary,
        ApplicationStatus::Approved => BadgeTone::Success,
        ApplicationStatus::Rejected => BadgeTone::Danger,
        ApplicationStatus::Waitlisted => BadgeTone::Warning,
    };
    html! { <Badge text={status.label()} {tone} /> }
}

pub fn enrollment_badge(status: EnrollmentStatus) -> Html {
    let tone = match status {
        EnrollmentStatus::Active => BadgeTone::Success,
        EnrollmentStatus::Paused => BadgeTone::Warning,
        EnrollmentStatus::Dropped => BadgeTone::Danger,
        EnrollmentStatus::Completed => BadgeTone::Neutral,
    };
    html! { <Badge text={status.label()} {tone} /> }
}

pub fn role_badges(user: &UserSummary) -> Html {
    html! {
        <span class="badges">
            if user.is_admin { <Badge text="Admin" tone={BadgeTone::Primary} /> }
            if user.is_instructor { <Badge text="Instructor" tone={BadgeTone::Warning} /> }
            if user.is_student { <Badge text="Student" tone={BadgeTone::Neutral} /> }
            if !(user.is_admin || user.is_instructor || user.is_student) {
                <span class="muted">{ "No role" }</span>
            }
        </span>
    }
}

/// Where a new account's invitation went, or what the admin does when it has no address.
pub fn invitation_sent(sent_to: Option<&str>) -> Html {
    match sent_to {
        Some(email) => html! {
            <p data-testid="invitation-sent">{ format!(
                "An invitation is on its way to {email}: its code lets them choose their own password. Nobody else learns it."
            ) }</p>
        },
        None => html! {
            <p data-testid="invitation-sent">{
                "They have no email address for an invitation: set their first password in Users → their account → Password."
            }</p>
        },
    }
}

/// The generated password, shown once with the advice to pass it on privately.
pub fn one_time_password(password: &str) -> Html {
    html! {
        <div class="secret">
            <p>{ "One-time password — give it to them privately; they change it after signing in:" }</p>
            <code class="secret__value" data-testid="one-time-password">{ password }</code>
            <p class="muted">{ "It is not shown again." }</p>
        </div>
    }
}

/// An email address that a narrow column may break before its `@` and after a dot
/// (`christelle.abi.nader@applicants.` / `demo.digitalhub.dev`), never inside a word nor
/// before the last part of the domain (no `dev` alone on a line).
pub fn email_text(email: &str) -> Html {
    let last_dot = email.rfind('.');
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, character) in email.char_indices() {
        let split = match character {
            '@' => at,
            '.' if Some(at) != last_dot => at + 1,
            _ => continue,
        };
        if split > from {
            parts.push(&email[from..split]);
            from = split;
        }
    }
    parts.push(&email[from..]);
    html! {
        <>
            { for parts.into_iter().enumerate().map(|(index, part)| html! {
                <>
                    if index > 0 { <wbr /> }
                    { part }
                </>
            }) }
        </>
    }
}
