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
use hub_model::input::{Email, Phone};
use hub_model::public::{ContactMessage, ContactReceived};

/// The most a contact message's JSON may weigh.
pub const BODY_LIMIT: usize = 16 * 1024;

fn invalid(field: &str, message: impl Into<String>) -> Failure {
    Failure::Invalid { field: field.to_owned(), message: message.into() }
}

/// Trimmed text, required or not, of at most `max` characters as sent (the bound the
/// OpenAPI document declares).
fn text(field: &str, value: Option<&str>, max: usize, required: bool) -> Result<Option<String>, Failure> {
    if value.is_some_and(|value| value.chars().count() > max) {
        return Err(invalid(field, format!("is longer than {max} characters")));
    }
    match value.map(str::trim).filter(|value| !value.is_empty()) {
        None if required => Err(invalid(field, "is required")),
        None => Ok(None),
        Some(value) => Ok(Some(value.to_owned())),
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
    if message.name.chars().any(char::is_control) {
        return Err(invalid("name", "must not contain control characters"));
    }
    // PostgreSQL keeps no U+0000 in text: refused, named, rather than failing the write.
    for (field, value) in
        [("subject", message.subject.as_deref()), ("message", Some(message.message.as_str()))]
    {
        if value.is_some_and(|value| value.contains('\0')) {
            return Err(invalid(field, hub_model::forms::NUL_REFUSAL));
        }
    }
    let name = text("name", Some(&message.name), 120, true)?;
    let email = text("email", Some(&message.email), 254, true)?.unwrap_or_default();
    let email = Email::parse("email", &email).map_err(|error| invalid("email", error.message))?;
    let phone = text("phone", message.phone.as_deref(), 40, false)?;
    if let Some(phone) = &phone {
        // Checked as sent: a tab or a newline is no part of a number, even at its ends.
        if message.phone.as_deref().is_some_and(|sent| sent.trim_matches(' ') != phone) {
            return Err(invalid("phone", "may hold only digits, spaces, +, -, ( and )"));
        }
        Phone::parse("phone", phone).map_err(|error| invalid("phone", error.message))?;
    }
    let subject = text("subject", message.subject.as_deref(), 200, false)?;
    let body = text("message", Some(&message.message), 5_000, true)?;
    if message.website.as_deref().is_some_and(|website| !website.trim().is_empty()) {
        // A person never sees this field: the bot is answered as a person would be, with a
        // number from the messages' own sequence, and nothing is kept. (Checked after the
        // fields, so a bot's bad message is refused as anyone's would be.)
        let id = sqlx::query_scalar!(r#"select nextval('contact_messages_id_seq') as "id!""#)
            .fetch_one(&state.writes)
            .await?;
        return Ok(ContactReceived { id });
    }
    let id = sqlx::query_scalar!(
        "insert into contact_messages (name, email, phone, subject, message) values ($1, $2, $3, $4, $5) returning id",
        name,
        email.as_str(),
        phone,
        subject,
        body
    )
    .fetch_one(&state.writes)
    .await?;
    Ok(ContactReceived { id })
}
