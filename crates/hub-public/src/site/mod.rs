//! The hub's own website: HTML pages at `/`, written on the server from the same published
//! content the JSON API serves (`hub_core::website`), with templates compiled into the
//! binary (askama, every value escaped). Each page is kept in the same cache as the API's
//! answers, emptied by the same notifications, with ETags and compression; a page served
//! from memory does no database work. No script: the two forms are plain HTML posts.

mod forms;
mod media;
mod view;

use crate::{send, Failure, Negotiation, PublicState};
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use hub_core::website::SiteWriter;
use hub_core::website::{self as content, When};
use hub_model::cms::PreviewRequest;
use hub_model::public::{HomeSection, Page};
use sqlx::PgPool;
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::LazyLock;
use view::{Chrome, Head};

const HTML: &str = "text/html; charset=utf-8";

/// The website's pages (mounted beside the JSON API).
pub(crate) fn routes() -> Router<PublicState> {
    Router::new()
        .route("/", get(home))
        .route("/programs", get(programs))
        .route("/programs/{slug}", get(program))
        .route("/apply", get(cohorts))
        .route("/cohorts", get(|| async { Redirect::permanent("/apply") }))
        .route(
            "/apply/{id}",
            get(forms::apply_page).post(forms::apply).layer(DefaultBodyLimit::max(forms::BODY_LIMIT)),
        )
        .route("/apply/{id}/sent", get(forms::applied))
        .route("/events", get(events))
        .route("/events/{slug}", get(event))
        .route("/news", get(news))
        .route("/team", get(team))
        .route("/students", get(students))
        .route("/students/{slug}", get(student))
        .route(
            "/contact",
            get(forms::contact_page).post(forms::contact).layer(DefaultBodyLimit::max(forms::BODY_LIMIT)),
        )
        .route("/contact/sent", get(forms::contact_sent))
        .route("/home", get(|| async { Redirect::permanent("/") }))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route(STYLESHEET.path, get(stylesheet))
        .route("/media/{file}", get(media::image))
        .route("/{key}", get(page))
}

/// The stylesheet, at an address that changes with its bytes: browsers keep it for a year.
struct Asset {
    path: &'static str,
    entry: crate::cache::Entry,
}

/// The site's stylesheet.
const CSS: &str = include_str!("../../assets/site.css");

static STYLESHEET: LazyLock<Asset> = LazyLock::new(|| {
    let entry = crate::cache::Entry::new(CSS.as_bytes().to_vec());
    let hash = entry.identity.etag.trim_matches('"').split('-').next().unwrap_or_default().to_owned();
    Asset { path: Box::leak(format!("/assets/site-{hash}.css").into_boxed_str()), entry }
});

async fn stylesheet(wants: Negotiation) -> Response {
    let mut response = send(&STYLESHEET.entry, &wants, "text/css; charset=utf-8", StatusCode::OK);
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    response
}

/// What every page tells the browser: the site runs no script at all, loads its style and
/// images only from itself (and images from the web), posts forms only to itself, and is
/// framed by no other site — so no text an admin or a visitor wrote can ever run.
fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(axum::http::header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        axum::http::header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

/// Writes a template, or says why not (a fault of ours, never the visitor's).
fn render(template: &impl Template) -> Result<Vec<u8>, Failure> {
    template.render().map(String::into_bytes).map_err(|error| Failure::Internal(error.to_string()))
}

impl PublicState {
    /// Serves the page kept under `key` (`site:` and its path), or the one `produce` writes
    /// (and keeps); a missing program, event, student or page is the site's own "not found"
    /// page.
    async fn page<F>(
        &self,
        key: Cow<'static, str>,
        wants: &Negotiation,
        produce: impl FnOnce() -> F,
    ) -> Response
    where
        F: std::future::Future<Output = Result<Vec<u8>, Failure>>,
    {
        match self.cached(key, produce).await {
            Ok(entry) => secure(send(&entry, wants, HTML, StatusCode::OK)),
            Err(Failure::NotFound(_)) => self.not_found(wants).await,
            Err(failure) => trouble(failure),
        }
    }

    /// A page kept under `key`, written by `write` from the pool and what every page shares.
    async fn site_page<W, F>(&self, key: Cow<'static, str>, wants: &Negotiation, write: W) -> Response
    where
        W: FnOnce(PgPool, Chrome) -> F,
        F: std::future::Future<Output = Result<Vec<u8>, Failure>>,
    {
        let (pool, base) = self.reader();
        self.page(key, wants, || async move {
            let chrome = Chrome::load(&pool, base).await?;
            write(pool, chrome).await
        })
        .await
    }

    /// The site's "not found" page, with status 404 (kept once for every missing address).
    pub(crate) async fn not_found(&self, wants: &Negotiation) -> Response {
        let (pool, base) = self.reader();
        let built = self
            .cached(Cow::Borrowed("site:404"), || async move {
                let chrome = Chrome::load(&pool, base).await?;
                render(&NotFoundPage { head: Head::new("Page not found", &chrome, "", ""), chrome: &chrome })
            })
            .await;
        match built {
            Ok(entry) => secure(send(&entry, wants, HTML, StatusCode::NOT_FOUND)),
            Err(failure) => trouble(failure),
        }
    }

    /// What a page is written from: the pool to read, and the site's address.
    pub(crate) fn reader(&self) -> (PgPool, Option<String>) {
        (self.pool.clone(), self.site_url.clone())
    }
}

/// A page that cannot be written now (the database away, slow): a plain page that needs no
/// database, with the status the API would answer.
fn trouble(failure: Failure) -> Response {
    let status = failure.into_response().status();
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Please try again shortly</title>\
         <link rel=\"stylesheet\" href=\"{}\"></head><body><main id=\"main\" class=\"section\"><div class=\"wrap prose\">\
         <h1>Please try again shortly</h1><p class=\"lead\">This page cannot be shown right now. \
         Please try again in a minute.</p></div></main></body></html>",
        STYLESHEET.path
    );
    let mut response = (status, body).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(HTML));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    secure(response)
}

/// A path parameter as given, or the "not found" page for one the router cannot read.
fn key_of(key: Result<Path<String>, PathRejection>) -> Option<String> {
    key.ok().map(|Path(key)| key)
}

#[derive(Template)]
#[template(path = "site/not_found.html")]
struct NotFoundPage<'a> {
    chrome: &'a Chrome,
    head: Head,
}

#[derive(Template)]
#[template(path = "site/home.html")]
struct HomePage<'a> {
    chrome: &'a Chrome,
    head: Head,
    sections: Vec<view::SectionView>,
}

async fn home(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/"), &wants, |pool, chrome| async move {
            let home = content::home(&pool).await?;
            home_page(&pool, &chrome, &home.sections).await
        })
        .await
}

/// The home page with `sections`, in their order.
async fn home_page(pool: &PgPool, chrome: &Chrome, sections: &[HomeSection]) -> Result<Vec<u8>, Failure> {
    let sections = view::sections(pool, sections).await?;
    let page = content::page(pool, "home").await.ok();
    let title = page.as_ref().and_then(|page| page.title.clone()).unwrap_or_else(|| chrome.site_name.clone());
    let description = sections
        .iter()
        .find_map(|section| section.paragraphs.first().cloned())
        .unwrap_or_else(|| format!("{}: programs, cohorts, events and how to apply.", chrome.site_name));
    let head = Head { title, description, path: "/".to_owned(), section: "/".to_owned() };
    render(&HomePage { chrome, head, sections })
}

#[derive(Template)]
#[template(path = "site/page.html")]
struct PublishedPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    title: String,
    blocks: Vec<view::BlockView>,
}

/// A published page by its key: `/about`.
async fn page(
    State(state): State<PublicState>,
    key: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(key) = key_of(key).filter(|key| view::is_page_key(key)) else {
        return state.not_found(&wants).await;
    };
    state
        .site_page(Cow::Owned(format!("site:/{key}")), &wants, |pool, chrome| async move {
            published_page(&chrome, &content::page(&pool, &key).await?)
        })
        .await
}

/// A page at its address, `/{key}`.
fn published_page(chrome: &Chrome, page: &Page) -> Result<Vec<u8>, Failure> {
    let path = format!("/{}", page.key);
    let title = page_title(page);
    let blocks = view::blocks(&page.content);
    let description = view::description_of(&blocks).unwrap_or_else(|| title.clone());
    let head =
        Head { title: format!("{title} · {}", chrome.site_name), description, section: path.clone(), path };
    render(&PublishedPage { chrome, head, title, blocks })
}

/// The website's pages written from an unsaved edit, for the app's preview
/// (`website.preview`): the very templates and views of the site, its stylesheet inside.
pub struct PreviewWriter;

impl SiteWriter for PreviewWriter {
    fn preview<'a>(
        &'a self,
        pool: &'a PgPool,
        request: &'a PreviewRequest,
    ) -> Pin<Box<dyn Future<Output = hub_core::Result<String>> + Send + 'a>> {
        Box::pin(async move {
            let mut chrome = Chrome::load(pool, None).await.map_err(Failure::into_core)?;
            chrome.inline_css = Some(CSS);
            let html = match request {
                PreviewRequest::Home { sections } => home_page(pool, &chrome, sections).await,
                PreviewRequest::Page { key, title, content } => {
                    let page = Page {
                        key: key.clone(),
                        title: title.clone(),
                        content: content.clone(),
                        updated_at: chrono::Utc::now(),
                    };
                    published_page(&chrome, &page)
                }
            };
            let html = html.map_err(Failure::into_core)?;
            String::from_utf8(html).map_err(|error| hub_core::Error::Internal(error.to_string()))
        })
    }
}

/// A page's title, else its first heading, else its key in words.
pub(crate) fn page_title(page: &Page) -> String {
    page.title
        .clone()
        .filter(|title| !title.trim().is_empty())
        .or_else(|| {
            view::blocks(&page.content)
                .into_iter()
                .find(|block| block.kind == "heading")
                .map(|block| block.text)
        })
        .unwrap_or_else(|| view::words(&page.key))
}

#[derive(Template)]
#[template(path = "site/programs.html")]
struct ProgramsPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    programs: Vec<view::ProgramCard>,
}

async fn programs(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/programs"), &wants, |pool, chrome| async move {
            let programs = content::programs(&pool, None).await?.iter().map(view::ProgramCard::of).collect();
            let head =
                Head::new("Programs", &chrome, "Our programs, their cohorts and how to apply.", "/programs");
            render(&ProgramsPage { chrome: &chrome, head, programs })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/program.html")]
struct ProgramPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    program: hub_model::public::Program,
    picture: Option<view::Picture>,
    description: Vec<String>,
    requirements: Vec<String>,
    cohorts: Vec<view::CohortItem>,
}

async fn program(
    State(state): State<PublicState>,
    slug: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(slug) = key_of(slug) else { return state.not_found(&wants).await };
    state
        .site_page(Cow::Owned(format!("site:/programs/{slug}")), &wants, |pool, chrome| async move {
            let program = content::program(&pool, &slug).await?;
            let cohorts = program.cohorts.iter().map(|cohort| view::CohortItem::of(cohort, false)).collect();
            let head = Head {
                title: format!("{} · {}", program.title, chrome.site_name),
                description: program.summary.clone().unwrap_or_else(|| program.title.clone()),
                path: format!("/programs/{slug}"),
                section: "/programs".to_owned(),
            };
            render(&ProgramPage {
                chrome: &chrome,
                head,
                // Beside the program's title, its picture says nothing more: decorative.
                picture: program.image_url.as_deref().and_then(|url| view::Picture::new(url, "")),
                description: view::paragraphs(program.description.as_deref()),
                requirements: view::paragraphs(program.requirements.as_deref()),
                cohorts,
                program,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/cohorts.html")]
struct CohortsPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    cohorts: Vec<view::CohortItem>,
}

/// The cohorts taking applications, then those coming soon.
async fn cohorts(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/apply"), &wants, |pool, chrome| async move {
            let mut cohorts = content::cohorts(&pool).await?;
            cohorts.retain(|cohort| {
                cohort.accepting_applications
                    || cohort.status == hub_model::programs::CohortStatus::ComingSoon
            });
            cohorts.sort_by_key(|cohort| !cohort.accepting_applications);
            let cohorts = cohorts.iter().map(|cohort| view::CohortItem::of(cohort, true)).collect();
            let head =
                Head::new("Apply", &chrome, "The cohorts taking applications, and how to apply.", "/apply");
            render(&CohortsPage { chrome: &chrome, head, cohorts })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/events.html")]
struct EventsPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    upcoming: Vec<view::EventItem>,
    past: Vec<view::EventItem>,
}

async fn events(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/events"), &wants, |pool, chrome| async move {
            let upcoming =
                content::events(&pool, When::Upcoming, None).await?.iter().map(view::EventItem::of).collect();
            let past = content::events(&pool, When::Past, None)
                .await?
                .iter()
                .take(20)
                .map(view::EventItem::of)
                .collect();
            let head = Head::new(
                "Events",
                &chrome,
                "Open evenings, workshops and talks: come and meet us.",
                "/events",
            );
            render(&EventsPage { chrome: &chrome, head, upcoming, past })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/event.html")]
struct EventPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    event: view::EventItem,
    description: Vec<String>,
    done: bool,
}

async fn event(
    State(state): State<PublicState>,
    slug: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(slug) = key_of(slug) else { return state.not_found(&wants).await };
    state
        .site_page(Cow::Owned(format!("site:/events/{slug}")), &wants, |pool, chrome| async move {
            let event = content::event(&pool, &slug).await?;
            let item = view::EventItem::of(&event);
            let head = Head {
                title: format!("{} · {}", event.title, chrome.site_name),
                description: format!("{}, {}", item.when, item.location),
                path: format!("/events/{slug}"),
                section: "/events".to_owned(),
            };
            render(&EventPage {
                chrome: &chrome,
                head,
                description: view::paragraphs(event.description.as_deref()),
                done: event.is_done,
                event: item,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/news.html")]
struct NewsPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    news: Vec<view::NewsItem>,
}

async fn news(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/news"), &wants, |pool, chrome| async move {
            let news = content::announcements(&pool).await?.iter().map(view::NewsItem::of).collect();
            let head = Head::new("News", &chrome, "What is new at the hub.", "/news");
            render(&NewsPage { chrome: &chrome, head, news })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/team.html")]
struct TeamPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    managers: Vec<view::PersonCard>,
    instructors: Vec<view::PersonCard>,
}

async fn team(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/team"), &wants, |pool, chrome| async move {
            let managers = content::managers(&pool).await?.iter().map(view::PersonCard::manager).collect();
            let instructors =
                content::instructors(&pool).await?.iter().map(view::PersonCard::instructor).collect();
            let head =
                Head::new("Our team", &chrome, "The people who run the hub and teach its programs.", "/team");
            render(&TeamPage { chrome: &chrome, head, managers, instructors })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/students.html")]
struct StudentsPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    students: Vec<view::PersonCard>,
}

async fn students(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/students"), &wants, |pool, chrome| async move {
            let students =
                content::featured_students(&pool).await?.iter().map(view::PersonCard::student).collect();
            let head =
                Head::new("Our students", &chrome, "Some of the people who learned with us.", "/students");
            render(&StudentsPage { chrome: &chrome, head, students })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/student.html")]
struct StudentPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    person: view::PersonCard,
    bio: Vec<String>,
}

async fn student(
    State(state): State<PublicState>,
    slug: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(slug) = key_of(slug) else { return state.not_found(&wants).await };
    state
        .site_page(Cow::Owned(format!("site:/students/{slug}")), &wants, |pool, chrome| async move {
            let student = content::student(&pool, &slug).await?;
            let bio = view::paragraphs(student.bio.as_deref());
            let mut person = view::PersonCard::student(&student);
            person.bio = None;
            let head = Head {
                title: format!("{} · {}", student.full_name, chrome.site_name),
                description: bio.first().cloned().unwrap_or_else(|| student.full_name.clone()),
                path: format!("/students/{slug}"),
                section: "/students".to_owned(),
            };
            render(&StudentPage { chrome: &chrome, head, person, bio })
        })
        .await
}

#[derive(Template)]
#[template(path = "site/sitemap.xml")]
struct Sitemap {
    base: String,
    entries: Vec<view::SitemapEntry>,
}

/// Every page of the site, for search engines: at the configured site address, else at the
/// host the request names (kept apart per host, so one host's answer is never another's).
async fn sitemap(State(state): State<PublicState>, headers: HeaderMap, wants: Negotiation) -> Response {
    let Some(base) = state.site_url.clone().or_else(|| host_url(&headers)) else {
        return Failure::BadRequest("the request names no host".to_owned()).into_response();
    };
    let pool = state.pool.clone();
    let key = Cow::Owned(format!("site:/sitemap.xml@{base}"));
    let built = state
        .cached(key, || async move {
            let entries = view::sitemap(&pool).await?;
            render(&Sitemap { base, entries })
        })
        .await;
    match built {
        Ok(entry) => send(&entry, &wants, "application/xml; charset=utf-8", StatusCode::OK),
        Err(failure) => failure.into_response(),
    }
}

/// `http://host[:port]` from a Host header made only of a host name's characters.
fn host_url(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(HOST)?.to_str().ok()?;
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    plain.then(|| format!("http://{}", host.to_ascii_lowercase()))
}

async fn robots(State(state): State<PublicState>, headers: HeaderMap) -> Response {
    let sitemap = state
        .site_url
        .clone()
        .or_else(|| host_url(&headers))
        .map(|base| format!("Sitemap: {base}/sitemap.xml\n"));
    let body = format!(
        "User-agent: *\nDisallow: /public/\nDisallow: /contact/sent\nAllow: /\n{}",
        sitemap.unwrap_or_default()
    );
    let mut response = body.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}
