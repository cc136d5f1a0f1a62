//! `POST /public/contact`: a visitor's message lands in the admins' inbox. Every field is
//! checked and named when wrong; a filled honeypot is thanked and dropped; one client
//! may send only so many a minute (`limits`).

use crate::client::ClientAddress;
use crate::{Failure, PublicState};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hub_model::forms::AnswerProblem;
use hub_model::input::{Email, Phone};
use hub_model::public::{ContactMessage, ContactReceived};

/// The most a contact message's JSON may weigh.
pub const BODY_LIMIT: usize = 16 * 1024;

/// A message as checked: each field trimmed and valid.
pub(crate) struct Checked {
    name: String,
    email: Email,
    phone: Option<String>,
    subject: Option<String>,
    body: String,
    /// The field a person never sees was filled: a bot.
    from_a_bot: bool,
}

/// Trimmed text, required or not, of at most `max` characters as sent (the bound the
/// OpenAPI document declares).
fn text(
    problems: &mut Vec<AnswerProblem>,
    field: &str,
    value: Option<&str>,
    max: usize,
    required: bool,
) -> Option<String> {
    if value.is_some_and(|value| value.chars().count() > max) {
        problems.push(AnswerProblem::new(field, format!("is longer than {max} characters")));
        return None;
    }
    match value.map(str::trim).filter(|value| !value.is_empty()) {
        None if required => {
            problems.push(AnswerProblem::new(field, "is required"));
            None
        }
        None => None,
        Some(value) => Some(value.to_owned()),
    }
}

/// Checks every field of `message`, and says each one that is wrong.
pub(crate) fn check(message: &ContactMessage) -> Result<Checked, Vec<AnswerProblem>> {
    let mut problems = Vec::new();
    let name = if message.name.chars().any(char::is_control) {
        problems.push(AnswerProblem::new("name", "must not contain control characters"));
        None
    } else {
        text(&mut problems, "name", Some(&message.name), 120, true)
    };
    let email = text(&mut problems, "email", Some(&message.email), 254, true).and_then(|email| {
        Email::parse("email", &email)
            .map_err(|error| problems.push(AnswerProblem::new("email", error.message)))
            .ok()
    });
    let phone = text(&mut problems, "phone", message.phone.as_deref(), 40, false).filter(|phone| {
        // Checked as sent: a tab or a newline is no part of a number, even at its ends.
        let problem = if message.phone.as_deref().is_some_and(|sent| sent.trim_matches(' ') != phone) {
            Some("may hold only digits, spaces, +, -, ( and )".to_owned())
        } else {
            Phone::parse("phone", phone).err().map(|error| error.message)
        };
        problem.map(|message| problems.push(AnswerProblem::new("phone", message))).is_none()
    });
    // PostgreSQL keeps no U+0000 in text: refused, named, rather than failing the write.
    let nul = |field: &str, value: Option<&str>| {
        value.is_some_and(|value| value.contains('\0')).then(|| field.to_owned())
    };
    let with_nul: Vec<String> =
        [nul("subject", message.subject.as_deref()), nul("message", Some(&message.message))]
            .into_iter()
            .flatten()
            .collect();
    for field in &with_nul {
        problems.push(AnswerProblem::new(field, hub_model::forms::NUL_REFUSAL));
    }
    let subject = text(&mut problems, "subject", message.subject.as_deref(), 200, false);
    let body = text(&mut problems, "message", Some(&message.message), 5_000, true);
    let from_a_bot = message.website.as_deref().is_some_and(|website| !website.trim().is_empty());
    match (name, email, body) {
        (Some(name), Some(email), Some(body)) if problems.is_empty() => {
            Ok(Checked { name, email, phone, subject, body, from_a_bot })
        }
        _ => Err(problems),
    }
}

pub async fn receive(
    State(state): State<PublicState>,
    ClientAddress(client): ClientAddress,
    body: Result<Json<ContactMessage>, JsonRejection>,
) -> Response {
    if let Err(wait) = state.contact_limit.check(client) {
        return Failure::TooMany(wait).into_response();
    }
    match store(&state, body).await {
        Ok(received) => (StatusCode::CREATED, Json(received)).into_response(),
        Err(failure) => failure.into_response(),
    }
}

async fn store(
    state: &PublicState,
    body: Result<Json<ContactMessage>, JsonRejection>,
) -> Result<ContactReceived, Failure> {
    let Json(message) = body.map_err(|rejection| Failure::BadRequest(rejection.body_text()))?;
    let checked = check(&message).map_err(Failure::first_of)?;
    keep(state, checked).await
}

/// Puts a checked message in the admins' inbox.
pub(crate) async fn keep(state: &PublicState, message: Checked) -> Result<ContactReceived, Failure> {
    if message.from_a_bot {
        // A person never sees this field: the bot is answered as a person would be, with a
        // number from the messages' own sequence, and nothing is kept. (Checked after the
        // fields, so a bot's bad message is refused as anyone's would be.)
        let id = sqlx::query_scalar!(r#"select nextval('contact_messages_id_seq') as "id!""#)
            .fetch_one(&state.writes)
            .await?;
        return Ok(ContactReceived { id });
    }
    let mut tx = hub_core::db::begin_as(&state.writes, "website.contact").await?;
    let id = sqlx::query_scalar!(
        "insert into contact_messages (name, email, phone, subject, message) values ($1, $2, $3, $4, $5) returning id",
        message.name,
        message.email.as_str(),
        message.phone,
        message.subject,
        message.body
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ContactReceived { id })
}
