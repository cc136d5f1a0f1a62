//! The public website: its HTML pages at `/` (`site`) and the JSON API of the published
//! content at `/public/…`, read-only but for the two visitor forms. Every answer is built
//! from `hub_model::public` types (never from rows), kept in memory with a strong ETag in
//! each coding, and dropped from memory when PostgreSQL says the content changed
//! (LISTEN/NOTIFY) or after a short time (for what time alone changes: upcoming events,
//! open enrolments). Stateless: any number of copies can serve from one database or its
//! replicas.

mod apply;
mod cache;
pub mod client;
mod contact;
pub mod limits;
pub mod openapi;
mod site;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
pub use cache::Cache;
use cache::Entry;
use hub_core::website::{self as content, When};
use hub_model::public::{Health, PublicError};
use serde::Serialize;
use sqlx::PgPool;
use std::borrow::Cow;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How the server meets the outside world.
#[derive(Debug, Clone)]
pub struct PublicConfig {
    /// Origins whose pages may call the API from a browser (`*` for any); none by default,
    /// which leaves cross-origin calls to the browser's same-origin rule.
    pub cors_origins: Vec<String>,
    /// Gathering an answer from the database may take this long; then 503, work dropped.
    pub request_timeout: Duration,
    /// Contact messages one address may send a minute.
    pub contact_per_minute: u32,
    /// Cohort applications one address may send a minute.
    pub applications_per_minute: u32,
    /// The reverse proxies trusted to name the clients they serve (none: peers are clients).
    pub proxies: client::Proxies,
    /// The website's address as visitors reach it (`https://www.example.org`): its pages'
    /// canonical links and the sitemap use it; without it the sitemap names the host asked.
    pub site_url: Option<String>,
}

impl Default for PublicConfig {
    fn default() -> Self {
        Self {
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(10),
            contact_per_minute: 20,
            applications_per_minute: 10,
            proxies: client::Proxies::default(),
            site_url: None,
        }
    }
}

impl PublicConfig {
    /// Refuses an origin that is not `*` or `scheme://host[:port]`, and a site address that
    /// is not `scheme://host[:port]`, naming it.
    pub fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.site_url {
            if url == "*" || !origin_like(url) {
                return Err(format!("site URL {url:?} must be like https://www.example.org (no path)"));
            }
        }
        for origin in &self.cors_origins {
            let valid = origin == "*" || origin_like(origin);
            if !valid {
                return Err(format!("CORS origin {origin:?} must be * or like https://www.example.org"));
            }
        }
        Ok(())
    }

    /// The reads' CORS: the configured origins, `*` included.
    fn cors(&self) -> Option<CorsLayer> {
        if self.cors_origins.is_empty() {
            return None;
        }
        let origins = if self.cors_origins.iter().any(|origin| origin == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(self.named_origins())
        };
        Some(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([axum::http::Method::GET])
                .allow_headers([IF_NONE_MATCH])
                .expose_headers([ETAG]),
        )
    }

    /// The forms' CORS: the origins named, never `*` — any page on the web posting a
    /// visitor's application or message is what the forms' limits are there to stop.
    fn form_cors(&self) -> Option<CorsLayer> {
        let origins: Vec<HeaderValue> = self.named_origins().collect();
        if origins.is_empty() {
            return None;
        }
        Some(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([axum::http::Method::POST])
                .allow_headers([CONTENT_TYPE]),
        )
    }

    fn named_origins(&self) -> impl Iterator<Item = HeaderValue> + '_ {
        self.cors_origins
            .iter()
            .filter(|origin| *origin != "*")
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
    }

    /// What to tell the operator about the origins: `*` opens the reads to every page, and
    /// the forms to none but those named.
    pub fn cors_notice(&self) -> Option<String> {
        (self.cors_origins.iter().any(|origin| origin == "*") && self.named_origins().next().is_none()).then(
            || {
                "CORS origin * lets any page read the public API, but the forms take posts only from \
             origins named with --cors-origin (none is): add your website's"
                    .to_owned()
            },
        )
    }
}

/// `scheme://host[:port]`, nothing more.
fn origin_like(origin: &str) -> bool {
    (origin.starts_with("https://") || origin.starts_with("http://"))
        && !origin.trim_end_matches('/').contains(['?', '#', ' '])
        && origin.split("://").nth(1).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        && HeaderValue::from_str(origin).is_ok()
}

/// What every request shares: the pools and the response cache.
#[derive(Clone)]
pub struct PublicState {
    /// Where content is read (a replica, say).
    pool: PgPool,
    /// Where the forms write (contact messages, applications): the primary.
    writes: PgPool,
    cache: Arc<Cache>,
    /// How long building an answer from the database may take.
    request_timeout: Duration,
    contact_limit: Arc<limits::ClientLimit>,
    applications_limit: Arc<limits::ClientLimit>,
    /// The website's own address, when the operator gave it.
    site_url: Option<String>,
}

impl PublicState {
    pub fn new(pool: PgPool, writes: PgPool, config: &PublicConfig) -> Self {
        Self {
            pool,
            writes,
            cache: Arc::new(Cache::default()),
            request_timeout: config.request_timeout,
            contact_limit: Arc::new(limits::ClientLimit::per_minute(config.contact_per_minute)),
            applications_limit: Arc::new(limits::ClientLimit::per_minute(config.applications_per_minute)),
            site_url: config.site_url.as_ref().map(|url| url.trim_end_matches('/').to_owned()),
        }
    }

    pub fn cache(&self) -> &Arc<Cache> {
        &self.cache
    }
}

/// A refusal or a fault, as `{"error": "…"}` with its status.
#[derive(Debug)]
pub enum Failure {
    NotFound(String),
    BadRequest(String),
    /// A form's refusal: the field at fault, and why.
    Invalid {
        field: String,
        message: String,
    },
    /// Too many requests from one client; one more would pass after this wait.
    TooMany(Duration),
    /// The request is understood but cannot be taken as things stand (a closed cohort, a
    /// second application).
    Conflict(String),
    Database(sqlx::Error),
    /// The database took longer than the request time limit.
    TimedOut,
    /// A fault of ours (a page that cannot be written): 500, logged.
    Internal(String),
}

impl Failure {
    /// The first of a form's problems, as the JSON endpoints refuse: one field at a time.
    fn first_of(problems: Vec<hub_model::forms::AnswerProblem>) -> Self {
        match problems.into_iter().next() {
            Some(first) => Self::Invalid { field: first.field, message: first.message },
            None => Self::BadRequest("the form was refused".to_owned()),
        }
    }
}

/// The website's content could not be read: a missing page, program, event, student or
/// form ("no published page \"about\""), or a fault of the database's.
impl From<hub_core::Error> for Failure {
    fn from(error: hub_core::Error) -> Self {
        match error {
            hub_core::Error::NotFound(what) => Self::NotFound(format!("no {what}")),
            hub_core::Error::Db(error) => Self::Database(error),
            other => Self::Database(sqlx::Error::Protocol(other.to_string())),
        }
    }
}

impl Failure {
    /// The failure as an operation's error (the app's preview writes the site's pages).
    pub(crate) fn into_core(self) -> hub_core::Error {
        match self {
            Self::NotFound(what) => hub_core::Error::NotFound(what),
            Self::Database(error) => hub_core::Error::Db(error),
            Self::TimedOut => {
                hub_core::Error::Unavailable("the database took too long; try again".to_owned())
            }
            other => hub_core::Error::Internal(format!("{other:?}")),
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut field = None;
        let retry_after = match &self {
            Self::TooMany(wait) => Some(limits::seconds(*wait)),
            _ => None,
        };
        let (status, error) = match self {
            Self::NotFound(message) => (StatusCode::NOT_FOUND, message),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            Self::Invalid { field: name, message } => {
                let error = format!("{name}: {message}");
                field = Some(name);
                (StatusCode::BAD_REQUEST, error)
            }
            Self::TooMany(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests from this address; try again in {} s", limits::seconds(wait)),
            ),
            Self::Conflict(message) => (StatusCode::CONFLICT, message),
            Self::TimedOut => {
                tracing::warn!("public API: the database took longer than the request time limit");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the content took too long to gather; try again shortly".to_owned(),
                )
            }
            Self::Internal(error) => {
                tracing::error!(%error, "public API: cannot write a response");
                (StatusCode::INTERNAL_SERVER_ERROR, "something went wrong on our side".to_owned())
            }
            Self::Database(error) => {
                tracing::error!(%error, "public API: database error");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the content is unavailable right now; try again shortly".to_owned(),
                )
            }
        };
        let body = serde_json::to_vec(&PublicError { error, field }).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// How long browsers and CDNs may reuse a response before asking again (with its ETag).
const CACHE_CONTROL_VALUE: &str = "public, max-age=30, must-revalidate";

impl PublicState {
    /// Serves `key` from memory, or builds it with `produce` (within the request time
    /// limit) and keeps it; answers 304 when the client already holds this exact version.
    /// A hit costs a map lookup and a few header copies: no allocation, no timer.
    async fn respond<T, E, F>(
        &self,
        key: Cow<'static, str>,
        wants: &Negotiation,
        produce: impl FnOnce() -> F,
    ) -> Response
    where
        T: Serialize,
        E: Into<Failure>,
        F: Future<Output = Result<T, E>>,
    {
        let built = self
            .cached(key, || async move {
                let value = produce().await.map_err(Into::into)?;
                serde_json::to_vec(&value).map_err(|error| Failure::Internal(error.to_string()))
            })
            .await;
        match built {
            Ok(entry) => send(&entry, wants, JSON, StatusCode::OK),
            Err(failure) => failure.into_response(),
        }
    }

    /// The entry kept under `key`, or the bytes `produce` builds (within the request time
    /// limit), kept unless the content changed meanwhile.
    async fn cached<F>(
        &self,
        key: Cow<'static, str>,
        produce: impl FnOnce() -> F,
    ) -> Result<Arc<Entry>, Failure>
    where
        F: Future<Output = Result<Vec<u8>, Failure>>,
    {
        if let Some(entry) = self.cache.get(&key) {
            return Ok(entry);
        }
        let generation = self.cache.generation();
        match tokio::time::timeout(self.request_timeout, produce()).await {
            Ok(Ok(body)) => Ok(self.cache.put(key.into_owned(), body, generation)),
            Ok(Err(failure)) => Err(failure),
            Err(_elapsed) => Err(Failure::TimedOut),
        }
    }
}

const JSON: &str = "application/json";

/// `entry` in the coding the client takes, as `content_type` with `status`; 304 when the
/// client already holds this exact version.
fn send(entry: &Entry, wants: &Negotiation, content_type: &'static str, status: StatusCode) -> Response {
    let (representation, coding) = match wants.coding {
        Coding::Brotli => (&entry.brotli, Some("br")),
        Coding::Gzip => (&entry.gzip, Some("gzip")),
        Coding::Identity => (&entry.identity, None),
    };
    let matches = wants
        .if_none_match
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == representation.etag || tag.trim() == "*");
    let mut response = if matches && status == StatusCode::OK {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (status, representation.body.clone()).into_response();
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Some(coding) = coding {
            response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    };
    response.headers_mut().insert(ETAG, representation.etag_header.clone());
    response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    response
}

#[derive(Clone, Copy)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

/// What a request says about the answer it wants: the coding it accepts and the versions
/// it already holds. Read from the two headers alone, without copying the others.
struct Negotiation {
    coding: Coding,
    if_none_match: Vec<HeaderValue>,
}

impl Negotiation {
    /// Plain bytes, no version held: what an answer to a form post is sent as.
    fn identity() -> Self {
        Self { coding: Coding::Identity, if_none_match: Vec::new() }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Negotiation {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self {
            coding: preferred_coding(&parts.headers),
            if_none_match: parts.headers.get_all(IF_NONE_MATCH).iter().cloned().collect(),
        })
    }
}

/// Brotli when the client takes it, else gzip, else the bytes as they are; a coding the
/// client lists with `q=0` is refused, as HTTP says.
fn preferred_coding(headers: &HeaderMap) -> Coding {
    let accepts = |wanted: &str| {
        headers.get_all(ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
            value.split(',').any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let name = parts.next().unwrap_or_default();
                let refused = parts.any(|parameter| {
                    parameter.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q == 0.0)
                });
                name.eq_ignore_ascii_case(wanted) && !refused
            })
        })
    };
    if accepts("br") {
        Coding::Brotli
    } else if accepts("gzip") {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// Refuses query parameters an endpoint does not take: a typo should not look like success.
fn no_query(query: Option<&str>) -> Result<(), Failure> {
    match query.filter(|query| !query.is_empty()) {
        None => Ok(()),
        Some(query) => {
            let name = query.split('&').next().unwrap_or_default().split('=').next().unwrap_or_default();
            Err(Failure::BadRequest(format!("unknown query parameter {name:?}: this endpoint takes none")))
        }
    }
}

fn events_query(query: Option<&str>) -> Result<When, Failure> {
    let mut when = When::All;
    for pair in query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        when = match (name, value) {
            ("when", "upcoming") => When::Upcoming,
            ("when", "past") => When::Past,
            ("when", other) => {
                return Err(Failure::BadRequest(format!(
                    "when must be \"upcoming\" or \"past\", not {other:?}"
                )))
            }
            (other, _) => {
                return Err(Failure::BadRequest(format!(
                    "unknown query parameter {other:?}: this endpoint takes \"when\""
                )))
            }
        };
    }
    Ok(when)
}

/// One endpoint that takes no parameters and reads the pool.
macro_rules! fixed {
    ($name:ident, $key:literal, $produce:path) => {
        async fn $name(
            State(state): State<PublicState>,
            RawQuery(query): RawQuery,
            wants: Negotiation,
        ) -> Response {
            if let Err(failure) = no_query(query.as_deref()) {
                return failure.into_response();
            }
            let pool = state.pool.clone();
            state.respond(Cow::Borrowed($key), &wants, || async move { $produce(&pool).await }).await
        }
    };
}

/// One endpoint for one thing by its key or slug.
macro_rules! keyed {
    ($name:ident, $prefix:literal, $produce:path) => {
        async fn $name(
            State(state): State<PublicState>,
            key: Result<Path<String>, PathRejection>,
            RawQuery(query): RawQuery,
            wants: Negotiation,
        ) -> Response {
            let key = match key {
                Ok(Path(key)) => key,
                Err(rejection) => return Failure::BadRequest(rejection.body_text()).into_response(),
            };
            if let Err(failure) = no_query(query.as_deref()) {
                return failure.into_response();
            }
            let pool = state.pool.clone();
            let cache_key = Cow::Owned(format!("{}{key}", $prefix));
            state.respond(cache_key, &wants, || async move { $produce(&pool, &key).await }).await
        }
    };
}

fixed!(site, "/public/site", content::site);
fixed!(theme, "/public/theme", content::theme);
fixed!(home, "/public/home", content::home);
fixed!(programs, "/public/programs", all_programs);
fixed!(cohorts, "/public/cohorts", content::cohorts);
fixed!(announcements, "/public/announcements", content::announcements);
fixed!(managers, "/public/managers", content::managers);
fixed!(instructors, "/public/instructors", content::instructors);
fixed!(featured_students, "/public/students/featured", content::featured_students);
keyed!(page, "/public/pages/", content::page);
keyed!(program, "/public/programs/", content::program);
keyed!(event, "/public/events/", content::event);
keyed!(student, "/public/students/", content::student);
keyed!(form, "/public/forms/", content::form);
fixed!(openapi_document, "/public/openapi.json", openapi_content);

async fn all_programs(pool: &PgPool) -> hub_core::Result<Vec<hub_model::public::Program>> {
    content::programs(pool, None).await
}

async fn events(State(state): State<PublicState>, RawQuery(query): RawQuery, wants: Negotiation) -> Response {
    let when = match events_query(query.as_deref()) {
        Ok(when) => when,
        Err(failure) => return failure.into_response(),
    };
    let key = Cow::Borrowed(match when {
        When::All => "/public/events",
        When::Upcoming => "/public/events?when=upcoming",
        When::Past => "/public/events?when=past",
    });
    let pool = state.pool.clone();
    state.respond(key, &wants, || async move { content::events(&pool, when, None).await }).await
}

async fn healthz(State(state): State<PublicState>) -> Response {
    let database = sqlx::query_scalar!("select 1 as one").fetch_one(&state.pool).await.is_ok();
    let status = if database { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let health = Health { status: if database { "ok" } else { "degraded" }.to_owned(), database };
    let mut response = (status, serde_json::to_vec(&health).unwrap_or_default()).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The OpenAPI document, cached and refreshed like the content: it describes the
/// application form as the admin last built it.
async fn openapi_content(pool: &PgPool) -> Result<serde_json::Value, Failure> {
    let form = match content::form(pool, apply::FORM_KEY).await {
        Ok(form) => Some(form),
        Err(hub_core::Error::NotFound(_)) => None,
        Err(other) => return Err(other.into()),
    };
    Ok(openapi::document(form.as_ref().map(|form| form.fields.as_slice())))
}

/// An address of neither the API nor the site: JSON under `/public/`, the site's own
/// "not found" page anywhere else.
async fn not_found(State(state): State<PublicState>, uri: axum::http::Uri, wants: Negotiation) -> Response {
    if uri.path().starts_with("/public/") || uri.path() == "/public" {
        Failure::NotFound("no such endpoint; the API lives under /public/".to_owned()).into_response()
    } else {
        state.not_found(&wants).await
    }
}

/// Every endpoint of the public API, with the configured CORS.
pub fn router(state: PublicState, config: &PublicConfig) -> Router {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/public/site", get(site))
        .route("/public/theme", get(theme))
        .route("/public/home", get(home))
        .route("/public/pages/{key}", get(page))
        .route("/public/programs", get(programs))
        .route("/public/programs/{slug}", get(program))
        .route("/public/cohorts", get(cohorts))
        .route("/public/events", get(events))
        .route("/public/events/{slug}", get(event))
        .route("/public/announcements", get(announcements))
        .route("/public/managers", get(managers))
        .route("/public/instructors", get(instructors))
        .route("/public/students/featured", get(featured_students))
        .route("/public/students/{slug}", get(student))
        .route("/public/forms/{key}", get(form))
        .route("/public/openapi.json", get(openapi_document))
        .merge(site::routes())
        .fallback(not_found)
        .with_state(state.clone());
    let reads = match config.cors() {
        Some(cors) => router.layer(cors),
        None => router,
    };
    let forms = Router::new()
        .route(
            "/public/contact",
            axum::routing::post(contact::receive)
                .layer(axum::extract::DefaultBodyLimit::max(contact::BODY_LIMIT)),
        )
        .route(
            "/public/cohorts/{id}/applications",
            axum::routing::post(apply::receive)
                .layer(axum::extract::DefaultBodyLimit::max(apply::BODY_LIMIT)),
        )
        .with_state(state);
    let forms = match config.form_cors() {
        Some(cors) => forms.layer(cors),
        None => forms,
    };
    reads.merge(forms).layer(axum::Extension(config.proxies.clone()))
}

/// What writes the website's pages for the app's preview (`website.preview`): the hub
/// server gives it to the hub it serves.
pub fn site_writer() -> Arc<dyn hub_core::website::SiteWriter> {
    Arc::new(site::PreviewWriter)
}

/// The public module, ready to serve: reading `pool` and keeping its cache in step with
/// the database through LISTEN/NOTIFY on `changes` (the primary: a read replica cannot
/// LISTEN; often the same pool), where the contact form and the applications also write.
/// Spawns the task that follows the changes, so call it inside the runtime that serves.
pub fn start(pool: PgPool, changes: PgPool, config: &PublicConfig) -> Router {
    let state = PublicState::new(pool, changes.clone(), config);
    tokio::spawn(cache::follow_changes(changes, state.pool.clone(), state.cache.clone()));
    router(state, config)
}

/// Serves the public module alone on `listener` until the process ends (see [`start`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    pool: PgPool,
    changes: PgPool,
    config: PublicConfig,
) -> std::io::Result<()> {
    let service = start(pool, changes, &config).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).await
}

/// What the public API reads, as grants for its own database role: the views of schema
/// `published` (migration 0017), which hold only what may be published, and no table at
/// all; and what it writes: new contact messages, applications through
/// `submit_application`, and the message that tells an applicant theirs arrived. No draft, password hash, email, phone, applicant or message is
/// readable by it, whatever a query of the website's asks.
const GRANTS: &[&str] = &[
    // A role granted by an older hubctl read the tables themselves: no longer.
    "revoke select on all tables in schema public from {role}",
    "grant usage on schema public to {role}",
    "grant usage on schema published to {role}",
    "grant select on all tables in schema published to {role}",
    // Applications: one function writes them (migration 0007); the role reads no applicant.
    "grant execute on function submit_application(bigint, bigint, jsonb, text, text, text) to {role}",
    // The contact form: it may add messages (and learn their numbers), never read them.
    "grant insert (name, email, phone, subject, message) on contact_messages to {role}",
    "grant select (id) on contact_messages to {role}",
    "grant usage on sequence contact_messages_id_seq to {role}",
    // The applicant's "we received your application", queued with it (migration 0019);
    // it reads no message.
    "grant insert (event_key, kind, recipient, reply_to, subject, text_body, html_body) on mail_outbox to {role}",
    "grant usage on sequence mail_outbox_id_seq to {role}",
];

/// The statements that give `role` exactly what the public API needs; `None` when the
/// name is not a plain lower-case identifier (it is spliced into SQL).
pub fn grant_statements(role: &str) -> Option<Vec<String>> {
    hub_core::db::grants_for(role, GRANTS)
}
