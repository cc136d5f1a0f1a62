//! The staff API, `/api/v1`:
//! - `GET /health`: the version and the database's state (no detail a stranger could use);
//! - `POST /sessions`: sign in (`{identifier, password, device}`) → `201 {token, expires_at, user}`;
//! - `DELETE /sessions/current`: sign out (the bearer token stops working);
//! - `POST /ops/{operation}`: any operation of the catalogue, JSON in, JSON out, run by
//!   `hub_core::ops::call` as the bearer token's session (or nobody, without one).
//!
//! Every refusal is `{kind, message, field?}` with the status its kind calls for; database
//! text never reaches an answer (hub-core logs it). Bodies are capped, every request has a
//! time limit, and nothing here logs a token, a password or a body.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use hub_core::{ops, Caller, Hub};
use hub_model::app::{HubHealth, SchemaState};
use hub_model::auth::SessionToken;
use hub_model::ops::{ImportMarks, ImportPeople, SignIn, SignOut, UploadImage};
use hub_model::{ApiError, ErrorKind, Operation};
use hub_public::client::ClientAddress;
use hub_public::limits::{self, ClientLimit};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most an operation's request may weigh: a batch of 5,000 offline marks with notes.
pub const OPERATION_BODY_LIMIT: usize = 4 * 1024 * 1024;
/// The most an image upload may weigh: the largest image the hub takes, in base64, in JSON.
pub const UPLOAD_BODY_LIMIT: usize = hub_model::media::MAX_UPLOAD_BYTES / 3 * 4 + 64 * 1024;
/// The most an import may weigh: a spreadsheet of 100,000 rows (`hub_core::import::MAX_ROWS`).
pub const IMPORT_BODY_LIMIT: usize = 24 * 1024 * 1024;
/// The most a sign-in may weigh.
pub const SIGN_IN_BODY_LIMIT: usize = 16 * 1024;

/// The staff API's routes, to be nested under `/api/v1`.
pub fn router(hub: Hub, config: &crate::ServerConfig) -> Router {
    let sign_ins = Arc::new(ClientLimit::per_minute(config.sign_ins_per_minute));
    Router::new()
        .route("/health", get(health))
        .route(
            "/sessions",
            post(sign_in).layer((DefaultBodyLimit::max(SIGN_IN_BODY_LIMIT), Extension(sign_ins))),
        )
        .route("/sessions/current", delete(sign_out))
        .route("/ops/{operation}", post(operation).layer(DefaultBodyLimit::max(OPERATION_BODY_LIMIT)))
        // The operations that carry a file: the same handler and checks, a larger body.
        .route(
            &format!("/ops/{}", UploadImage::NAME),
            post(named::<UploadImage>).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            &format!("/ops/{}", ImportPeople::NAME),
            post(named::<ImportPeople>).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route(
            &format!("/ops/{}", ImportMarks::NAME),
            post(named::<ImportMarks>).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .fallback(no_such_endpoint)
        .with_state(hub)
        .layer(middleware::from_fn_with_state(config.request_timeout, time_limit))
        .layer(Extension(config.proxies.clone()))
}

/// The status an error kind is answered with.
fn status(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Validation => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// JSON with `status`, never cached: every answer here is about one person, now.
fn json(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, body).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refusal(error: &ApiError) -> Response {
    let mut response = json(status(error.kind), error);
    if error.kind == ErrorKind::Unauthenticated {
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

fn answer(outcome: hub_core::Result<Vec<u8>>, success: StatusCode) -> Response {
    match outcome {
        Ok(text) => json_text(success, text),
        Err(error) => refusal(&error.to_api()),
    }
}

fn invalid_request(message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError {
        kind: ErrorKind::Validation,
        message: format!("request: {message}"),
        field: Some("request".to_owned()),
    }
}

/// The bearer token, if the request carries one. A malformed `Authorization` header is
/// refused rather than taken for nobody: the client meant to be someone.
fn bearer(headers: &HeaderMap) -> Result<Option<SessionToken>, ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let unreadable = || {
        ApiError::new(
            ErrorKind::Unauthenticated,
            "the Authorization header must be \"Bearer\" and a session token",
        )
    };
    let value = value.to_str().map_err(|_| unreadable())?;
    let (scheme, token) = value.split_once(' ').ok_or_else(unreadable)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.len() > 200 {
        return Err(unreadable());
    }
    Ok(Some(SessionToken::new(token.to_owned())))
}

/// The answer to a body that could not be read (too large, cut off).
fn unreadable_body(rejection: &BytesRejection) -> Response {
    let status = rejection.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "is too large; send it in smaller parts".to_owned()
    } else {
        "could not be read".to_owned()
    };
    json(status, &invalid_request(message))
}

/// JSON text answered as it is, never cached.
fn json_text(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn health(State(hub): State<Hub>) -> Response {
    let database = hub_core::app::database_status(&hub).await;
    let serving = database.reachable
        && database.schema.as_ref().is_some_and(|schema| schema.state != SchemaState::Behind);
    let health = HubHealth {
        version: hub_core::app::VERSION.to_owned(),
        database: database.reachable,
        schema: database.schema,
    };
    json(if serving { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, &health)
}

async fn sign_in(
    State(hub): State<Hub>,
    Extension(limit): Extension<Arc<ClientLimit>>,
    ClientAddress(address): ClientAddress,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    // Before any work, the password's above all: a flood of sign-ins is turned away here.
    if let Err(wait) = limit.check(address) {
        let seconds = limits::seconds(wait);
        let error = ApiError::new(
            ErrorKind::RateLimited,
            format!("too many sign-ins from this address; try again in {seconds} s"),
        );
        let mut response = refusal(&error);
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    let request = match body {
        Ok(request) => request,
        Err(rejection) => return unreadable_body(&rejection),
    };
    // Whatever the request carries, a sign-in is made by nobody yet.
    let caller = Caller::remote(None, address);
    answer(ops::call_json(&hub, &caller, SignIn::NAME, &request).await, StatusCode::CREATED)
}

async fn sign_out(
    State(hub): State<Hub>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Response {
    let token = match bearer(&headers) {
        Ok(token) => token,
        Err(error) => return refusal(&error),
    };
    answer(ops::call_json(&hub, &Caller::remote(token, address), SignOut::NAME, b"").await, StatusCode::OK)
}

async fn operation(
    State(hub): State<Hub>,
    Path(name): Path<String>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let token = match bearer(&headers) {
        Ok(token) => token,
        Err(error) => return refusal(&error),
    };
    let request = match body {
        Ok(request) => request,
        Err(rejection) => return unreadable_body(&rejection),
    };
    answer(ops::call_json(&hub, &Caller::remote(token, address), &name, &request).await, StatusCode::OK)
}

/// Operation `O` at its own route (one that takes a larger body than the rest).
async fn named<O: Operation>(
    hub: State<Hub>,
    address: ClientAddress,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    operation(hub, Path(O::NAME.to_owned()), address, headers, body).await
}

async fn no_such_endpoint() -> Response {
    refusal(&ApiError::new(
        ErrorKind::NotFound,
        "no such endpoint: the staff API is GET /api/v1/health, POST and DELETE /api/v1/sessions, \
         POST /api/v1/ops/{operation}",
    ))
}

/// Every request answers within `limit`: past it, the work is dropped (a transaction under
/// way rolls back) and the client hears 503. Each request is logged with its status and
/// time — never its headers or body.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_elapsed) => refusal(&ApiError::new(
            ErrorKind::Unavailable,
            format!("the hub took longer than {} s to answer; try again", limit.as_secs()),
        )),
    };
    let (status, elapsed_ms) = (response.status().as_u16(), started.elapsed().as_secs_f64() * 1000.0);
    if response.status().is_server_error() {
        tracing::warn!(%method, path, status, elapsed_ms, "request failed");
    } else {
        tracing::debug!(%method, path, status, elapsed_ms, "request");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_kind_has_its_status() {
        assert_eq!(status(ErrorKind::Validation), StatusCode::BAD_REQUEST);
        assert_eq!(status(ErrorKind::Unauthenticated), StatusCode::UNAUTHORIZED);
        assert_eq!(status(ErrorKind::Forbidden), StatusCode::FORBIDDEN);
        assert_eq!(status(ErrorKind::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(status(ErrorKind::Conflict), StatusCode::CONFLICT);
        assert_eq!(status(ErrorKind::RateLimited), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(status(ErrorKind::Unavailable), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(status(ErrorKind::Internal), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_bearer_token_is_read_and_a_malformed_header_refused() {
        let headers = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
            headers
        };
        assert_eq!(bearer(&HeaderMap::new()).unwrap(), None);
        assert_eq!(bearer(&headers("Bearer dhs_abc")).unwrap().unwrap().expose(), "dhs_abc");
        assert_eq!(bearer(&headers("bearer  dhs_abc ")).unwrap().unwrap().expose(), "dhs_abc");
        for bad in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "dhs_abc"] {
            assert_eq!(bearer(&headers(bad)).unwrap_err().kind, ErrorKind::Unauthenticated, "{bad:?}");
        }
    }
}
