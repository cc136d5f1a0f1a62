//! `POST /public/contact`: a visitor's message lands in the admins' inbox. Every field is
//! checked and named when wrong; a filled honeypot is thanked and dropped; one address
//! may send only so many a minute.

use crate::client::ClientAddress;
use crate::{Failure, PublicState};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hub_model::input::{Email, Phone};
use hub_model::public::{ContactMessage, ContactReceived};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most a contact message's JSON may weigh.
pub const BODY_LIMIT: usize = 16 * 1024;

const WINDOW: Duration = Duration::from_secs(60);

/// Per-address counts in fixed one-minute windows. In memory: each copy of the server
/// counts for itself, which bounds a flood by copies × limit.
pub struct RateLimit {
    per_minute: u32,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimit {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, seen: Mutex::new(HashMap::new()) }
    }

    /// Counts one request from `address`; `false` when it is over the limit.
    pub(crate) fn allow(&self, address: IpAddr) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = seen.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Failure {
    Failure::Invalid { field: field.to_owned(), message: message.into() }
}

/// Trimmed text, required or not, at most `max` characters.
fn text(field: &str, value: Option<&str>, max: usize, required: bool) -> Result<Option<String>, Failure> {
    let value = value.map(str::trim).filter(|value| !value.is_empty());
    match value {
        None if required => Err(invalid(field, "is required")),
        None => Ok(None),
        Some(value) if value.chars().count() > max => {
            Err(invalid(field, format!("is longer than {max} characters")))
        }
        Some(value) => Ok(Some(value.to_owned())),
    }
}

pub async fn receive(
    State(state): State<PublicState>,
    ClientAddress(client): ClientAddress,
    body: Result<Json<ContactMessage>, JsonRejection>,
) -> Response {
    if !state.contact_limit.allow(client) {
        return Failure::TooMany.into_response();
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
    if message.website.as_deref().is_some_and(|website| !website.trim().is_empty()) {
        // A person never sees this field: the bot is answered as a person would be, with a
        // number from the messages' own sequence, and nothing is kept.
        let id = sqlx::query_scalar!(r#"select nextval('contact_messages_id_seq') as "id!""#)
            .fetch_one(&state.writes)
            .await?;
        return Ok(ContactReceived { id });
    }
    let name = text("name", Some(&message.name), 120, true)?;
    let email = text("email", Some(&message.email), 254, true)?.unwrap_or_default();
    let email = Email::parse("email", &email).map_err(|error| invalid("email", error.message))?;
    let phone = text("phone", message.phone.as_deref(), 40, false)?;
    if let Some(phone) = &phone {
        Phone::parse("phone", phone).map_err(|error| invalid("phone", error.message))?;
    }
    let subject = text("subject", message.subject.as_deref(), 200, false)?;
    let body = text("message", Some(&message.message), 5_000, true)?;
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
