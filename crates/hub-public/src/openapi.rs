//! `GET /public/openapi.json`: the API described from the very types it serves (their
//! `utoipa::ToSchema` derives in hub-model), so the document cannot drift from the answers.
//! The functions below exist only to carry each endpoint's description.

#![allow(dead_code)] // Read by the derive, never called.

use hub_model::public::{
    Announcement, ApplicationForm, ApplicationReceived, Cohort, CohortInstructor, Contact, ContactMessage,
    ContactReceived, Event, Form, FormField, Health, Home, HomeSection, Instructor, Links, Manager, Page,
    Program, PublicError, Site, Student, ThemeToken,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Digital Hub public API",
        description = "Published website content, read-only, the contact form and cohort applications. Errors are {\"error\": \"…\"}.",
    ),
    paths(
        healthz,
        site,
        theme,
        home,
        page,
        programs,
        program,
        cohorts,
        events,
        event,
        announcements,
        managers,
        instructors,
        featured_students,
        student,
        form,
        contact,
        apply
    ),
    components(schemas(
        EventsWhen,
        ApplicationForm,
        ApplicationReceived,
        ContactMessage,
        ContactReceived,
        Announcement,
        Cohort,
        CohortInstructor,
        Contact,
        Event,
        Form,
        FormField,
        Health,
        Home,
        HomeSection,
        Instructor,
        Links,
        Manager,
        Page,
        Program,
        PublicError,
        Site,
        Student,
        ThemeToken
    ))
)]
pub struct PublicApi;

/// Which events `GET /public/events` lists: only these two values are accepted.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
enum EventsWhen {
    Upcoming,
    Past,
}

/// The document, with the application form's answers as the admin built the form (`fields`
/// of the active `cohort_application` form; `None` when no form is active, and every
/// application is refused whatever it says).
pub fn document(fields: Option<&[hub_model::public::FormField]>) -> serde_json::Value {
    let mut document = serde_json::to_value(PublicApi::openapi()).unwrap_or_default();
    if let (Some(fields), Some(answers)) =
        (fields, document.pointer_mut("/components/schemas/ApplicationForm/properties/answers"))
    {
        *answers = hub_model::forms::answers_schema(fields);
    }
    document
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = Health)))]
fn healthz() {}

#[utoipa::path(get, path = "/public/site", responses((status = 200, body = Site)))]
fn site() {}

#[utoipa::path(get, path = "/public/theme", responses((status = 200, body = Vec<ThemeToken>)))]
fn theme() {}

#[utoipa::path(get, path = "/public/home", responses((status = 200, body = Home)))]
fn home() {}

#[utoipa::path(get, path = "/public/pages/{key}", params(("key" = String, Path, description = "home, about, contact…")),
    responses((status = 200, body = Page), (status = 404, body = PublicError)))]
fn page() {}

#[utoipa::path(get, path = "/public/programs", responses((status = 200, body = Vec<Program>)))]
fn programs() {}

#[utoipa::path(get, path = "/public/programs/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = Program), (status = 404, body = PublicError)))]
fn program() {}

#[utoipa::path(get, path = "/public/cohorts", responses((status = 200, body = Vec<Cohort>)))]
fn cohorts() {}

#[utoipa::path(get, path = "/public/events",
    params(("when" = Option<EventsWhen>, Query, description = "upcoming or past; all when absent")),
    responses((status = 200, body = Vec<Event>), (status = 400, body = PublicError)))]
fn events() {}

#[utoipa::path(get, path = "/public/events/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = Event), (status = 404, body = PublicError)))]
fn event() {}

#[utoipa::path(get, path = "/public/announcements", responses((status = 200, body = Vec<Announcement>)))]
fn announcements() {}

#[utoipa::path(get, path = "/public/managers", responses((status = 200, body = Vec<Manager>)))]
fn managers() {}

#[utoipa::path(get, path = "/public/instructors", responses((status = 200, body = Vec<Instructor>)))]
fn instructors() {}

#[utoipa::path(get, path = "/public/students/featured", responses((status = 200, body = Vec<Student>)))]
fn featured_students() {}

#[utoipa::path(get, path = "/public/students/{slug}", params(("slug" = String, Path)),
    responses((status = 200, body = Student), (status = 404, body = PublicError)))]
fn student() {}

#[utoipa::path(get, path = "/public/forms/{key}", params(("key" = String, Path)),
    responses((status = 200, body = Form), (status = 404, body = PublicError)))]
fn form() {}

#[utoipa::path(post, path = "/public/contact", request_body = ContactMessage,
    responses((status = 201, body = ContactReceived), (status = 400, body = PublicError),
        (status = 429, body = PublicError)))]
fn contact() {}

#[utoipa::path(post, path = "/public/cohorts/{id}/applications", request_body = ApplicationForm,
    params(("id" = i64, Path, minimum = 1, description = "the cohort applied to")),
    responses((status = 201, body = ApplicationReceived), (status = 400, body = PublicError),
        (status = 404, body = PublicError), (status = 409, body = PublicError), (status = 429, body = PublicError)))]
fn apply() {}
