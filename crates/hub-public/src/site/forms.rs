//! The two visitor forms as plain HTML posts, no script needed: the contact form and the
//! cohort application (the form as the admin built it, every field type). The same checks,
//! limits and honeypot as the JSON endpoints (`crate::contact`, `crate::apply`), every
//! problem shown beside its field and listed at the top, the visitor's answers kept; a
//! message or an application that is taken moves on to its "sent" page (post, redirect,
//! get: a reload never sends it twice).

use super::view::{self, BlockView, Chrome, Head, Link};
use super::{render, secure, trouble, HTML};
use crate::client::ClientAddress;
use crate::{apply, contact, Failure, Negotiation, PublicState};
use askama::Template;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use hub_core::website as content;
use hub_model::forms::AnswerProblem;
use hub_model::public::{ContactMessage, FieldType, FormField};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The most a form post may weigh (an application's answers are the larger).
pub const BODY_LIMIT: usize = apply::BODY_LIMIT;

/// One field of a form, as the visitor sees it: its label, what they typed, what is wrong.
pub struct FieldView {
    pub name: String,
    pub label: String,
    /// The input's type (text, email, tel, url, date), or textarea, select, checkbox.
    pub kind: &'static str,
    pub required: bool,
    pub value: String,
    pub checked: bool,
    pub options: Vec<String>,
    pub hint: Option<String>,
    pub placeholder: Option<String>,
    pub error: Option<String>,
    min_length: Option<i32>,
    max_length: Option<i32>,
    autocomplete: Option<&'static str>,
}

impl FieldView {
    fn new(name: &str, label: &str, kind: &'static str, required: bool) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
            required,
            value: String::new(),
            checked: false,
            options: Vec::new(),
            hint: None,
            placeholder: None,
            error: None,
            min_length: None,
            max_length: None,
            autocomplete: None,
        }
    }

    /// A field of the application form as the admin built it.
    fn of(field: &FormField) -> Self {
        let kind = match field.field_type {
            FieldType::Text => "text",
            FieldType::Textarea => "textarea",
            FieldType::Email => "email",
            FieldType::Phone => "tel",
            FieldType::Date => "date",
            FieldType::Select => "select",
            FieldType::Checkbox => "checkbox",
            FieldType::File => "url",
        };
        let mut view = Self::new(&field.name, &field.label, kind, field.required);
        view.options = hub_model::forms::options_of(field);
        view.placeholder = field.placeholder.clone();
        if field.field_type.has_length() {
            view.min_length = field.min_length;
            view.max_length = field.max_length;
        }
        view.hint = match field.field_type {
            FieldType::File => {
                Some("A link to the file (a shared drive, GitHub…), starting with https://".to_owned())
            }
            FieldType::Date => Some("For example 2027-03-01".to_owned()),
            _ => None,
        };
        view.autocomplete = match field.name.as_str() {
            "full_name" | "name" => Some("name"),
            "email" => Some("email"),
            "phone" => Some("tel"),
            _ => None,
        };
        view
    }

    /// The attributes only the server writes: numbers and fixed words, nothing to escape.
    pub fn attributes(&self) -> String {
        let mut attributes = String::new();
        if self.required {
            attributes.push_str(" required aria-required=\"true\"");
        }
        if let Some(min) = self.min_length {
            attributes.push_str(&format!(" minlength=\"{min}\""));
        }
        if let Some(max) = self.max_length {
            attributes.push_str(&format!(" maxlength=\"{max}\""));
        }
        if let Some(autocomplete) = self.autocomplete {
            attributes.push_str(&format!(" autocomplete=\"{autocomplete}\""));
        }
        if self.error.is_some() {
            attributes.push_str(" aria-invalid=\"true\"");
        }
        attributes
    }

    /// The ids of what describes the field (its error, its hint), for `aria-describedby`
    /// (written by the template, escaped there).
    pub fn described_by(&self) -> Option<String> {
        let ids: Vec<String> = [
            self.error.as_ref().map(|_| format!("error-{}", self.name)),
            self.hint.as_ref().map(|_| format!("hint-{}", self.name)),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The name of a form's hidden field that only bots fill: `website`, unless the form
/// asks for a website of its own.
fn honeypot(fields: &[FieldView]) -> &'static str {
    ["website", "homepage", "your_url"]
        .into_iter()
        .find(|name| !fields.iter().any(|field| field.name == *name))
        .unwrap_or("hub_url_2")
}

/// A post's fields as sent (the last value of a name that comes twice).
fn posted(body: &Bytes) -> Map<String, Value> {
    form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
        .collect()
}

/// The problems, each beside its field and listed at the top with a link to it.
fn show_problems(fields: &mut [FieldView], problems: &[AnswerProblem]) -> Vec<Link> {
    let mut listed = Vec::new();
    for problem in problems {
        if let Some(field) = fields.iter_mut().find(|field| field.name == problem.field) {
            let message = format!("{} {}", field.label, problem.message);
            field.error = Some(message.clone());
            listed.push(Link { href: field.name.clone(), label: message });
        }
    }
    listed
}

fn page_response(status: StatusCode, body: Result<Vec<u8>, Failure>) -> Response {
    match body {
        Ok(body) => {
            let mut response = (status, body).into_response();
            response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(HTML));
            response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            secure(response)
        }
        Err(failure) => trouble(failure),
    }
}

// The contact form

#[derive(Template)]
#[template(path = "site/contact.html")]
struct ContactPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    title: String,
    blocks: Vec<BlockView>,
    fields: Vec<FieldView>,
    errors: Vec<Link>,
    problem: Option<String>,
    action: &'static str,
    submit: &'static str,
    honeypot: &'static str,
}

fn contact_fields() -> Vec<FieldView> {
    let mut fields = vec![
        FieldView::new("name", "Your name", "text", true),
        FieldView::new("email", "Email", "email", true),
        FieldView::new("phone", "Phone", "tel", false),
        FieldView::new("subject", "Subject", "text", false),
        FieldView::new("message", "Message", "textarea", true),
    ];
    for (field, (max, autocomplete)) in fields.iter_mut().zip([
        (120, Some("name")),
        (254, Some("email")),
        (40, Some("tel")),
        (200, None),
        (5_000, None),
    ]) {
        field.max_length = Some(max);
        field.autocomplete = autocomplete;
    }
    fields
}

/// The contact page: the admin's "contact" page above the form, when published.
async fn contact_form(
    state: &PublicState,
    fields: Vec<FieldView>,
    errors: Vec<Link>,
    problem: Option<String>,
) -> Result<Vec<u8>, Failure> {
    let (pool, base) = state.reader();
    let chrome = Chrome::load(&pool, base).await?;
    let page = content::page(&pool, "contact").await.ok();
    let title = page.as_ref().map_or_else(|| "Contact us".to_owned(), super::page_title);
    let blocks: Vec<BlockView> = page.map(|page| view::blocks(&page.content)).unwrap_or_default();
    // The page's title is the page's first heading: not said twice.
    let blocks =
        blocks.into_iter().skip_while(|block| block.kind == "heading" && block.text == title).collect();
    let mut head = Head::new("Contact", &chrome, "", "/contact");
    head.description = format!("Write to {}: we answer by email.", chrome.site_name);
    if !errors.is_empty() || problem.is_some() {
        head.title = format!("Error: {}", head.title);
    }
    let honeypot = honeypot(&fields);
    render(&ContactPage {
        chrome: &chrome,
        head,
        title,
        blocks,
        fields,
        errors,
        problem,
        action: "/contact",
        submit: "Send message",
        honeypot,
    })
}

pub async fn contact_page(State(state): State<PublicState>, wants: Negotiation) -> Response {
    let form_state = state.clone();
    state
        .page(Cow::Borrowed("site:/contact"), &wants, || async move {
            contact_form(&form_state, contact_fields(), Vec::new(), None).await
        })
        .await
}

pub async fn contact(
    State(state): State<PublicState>,
    ClientAddress(client): ClientAddress,
    body: Bytes,
) -> Response {
    let answers = posted(&body);
    let mut fields = contact_fields();
    for field in &mut fields {
        field.value = answers.get(&field.name).and_then(Value::as_str).unwrap_or_default().to_owned();
    }
    if let Err(wait) = state.contact_limit.check(client) {
        let problem = format!(
            "Too many messages were sent from your address just now. Please try again in {} seconds.",
            crate::limits::seconds(wait)
        );
        return page_response(
            StatusCode::TOO_MANY_REQUESTS,
            contact_form(&state, fields, Vec::new(), Some(problem)).await,
        );
    }
    let text = |name: &str| answers.get(name).and_then(Value::as_str).map(str::to_owned);
    let message = ContactMessage {
        name: text("name").unwrap_or_default(),
        email: text("email").unwrap_or_default(),
        phone: text("phone").filter(|phone| !phone.trim().is_empty()),
        subject: text("subject"),
        message: text("message").unwrap_or_default(),
        website: text("website"),
    };
    match contact::check(&message) {
        Err(problems) => {
            let errors = show_problems(&mut fields, &problems);
            page_response(StatusCode::BAD_REQUEST, contact_form(&state, fields, errors, None).await)
        }
        Ok(checked) => match contact::keep(&state, checked).await {
            Ok(_) => Redirect::to("/contact/sent").into_response(),
            Err(failure) => trouble(failure),
        },
    }
}

#[derive(Template)]
#[template(path = "site/sent.html")]
struct SentPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    heading: String,
    message: String,
}

pub async fn contact_sent(State(state): State<PublicState>, wants: Negotiation) -> Response {
    state
        .site_page(Cow::Borrowed("site:/contact/sent"), &wants, |_, chrome| async move {
            let head = Head::new("Message sent", &chrome, "Your message has reached us.", "/contact");
            let heading = "Thank you: your message has reached us".to_owned();
            let message = "We answer by email, usually within two working days.".to_owned();
            render(&SentPage { chrome: &chrome, head, heading, message })
        })
        .await
}

// The application form

#[derive(Template)]
#[template(path = "site/apply.html")]
struct ApplyPage<'a> {
    chrome: &'a Chrome,
    head: Head,
    title: String,
    description: Vec<String>,
    cohort: view::CohortItem,
    /// Why the cohort takes no application now.
    closed: Option<String>,
    fields: Vec<FieldView>,
    errors: Vec<Link>,
    problem: Option<String>,
    action: String,
    submit: &'static str,
    honeypot: &'static str,
}

/// A cohort's number from its address; none for anything else.
fn cohort_of(id: Result<Path<String>, PathRejection>) -> Option<i64> {
    id.ok().and_then(|Path(id)| id.parse().ok()).filter(|id: &i64| *id > 0)
}

/// A cohort the website shows (coming soon, open or running), by its number.
async fn shown_cohort(pool: &sqlx::PgPool, cohort_id: i64) -> Result<hub_model::public::Cohort, Failure> {
    content::cohorts(pool)
        .await?
        .into_iter()
        .find(|cohort| cohort.id == cohort_id)
        .ok_or_else(|| Failure::NotFound(format!("no cohort {cohort_id}")))
}

/// The application page of a cohort the website shows: the form, or why it is closed.
/// `answers` (a post being answered) fill the fields; `problems` go beside them.
async fn apply_form(
    state: &PublicState,
    cohort_id: i64,
    answers: Option<&Map<String, Value>>,
    problems: &[AnswerProblem],
    problem: Option<String>,
) -> Result<Vec<u8>, Failure> {
    let (pool, base) = state.reader();
    let chrome = Chrome::load(&pool, base).await?;
    let cohort = shown_cohort(&pool, cohort_id).await?;
    let closed = apply::refusal(state, cohort_id).await?;
    let (closed, form) = match (closed, content::form(&pool, apply::FORM_KEY).await) {
        (Some(reason), _) => (Some(reason), None),
        (None, Ok(form)) => (None, Some(form)),
        (None, Err(_)) => (Some("the application form is not active".to_owned()), None),
    };
    let mut fields: Vec<FieldView> =
        form.as_ref().map(|form| form.fields.iter().map(FieldView::of).collect()).unwrap_or_default();
    if let Some(answers) = answers {
        for field in &mut fields {
            match answers.get(&field.name) {
                Some(Value::String(value)) => field.value.clone_from(value),
                Some(Value::Bool(checked)) => field.checked = *checked,
                _ => {}
            }
        }
    }
    let errors = show_problems(&mut fields, problems);
    let title = format!("Apply to {}", cohort.name);
    let mut head = Head::new(&title, &chrome, "", "/apply");
    head.path = format!("/apply/{cohort_id}");
    head.description = format!("Apply to {} of {}.", cohort.name, cohort.program_title);
    if !errors.is_empty() || problem.is_some() {
        head.title = format!("Error: {}", head.title);
    }
    let description =
        form.as_ref().map(|form| view::paragraphs(form.description.as_deref())).unwrap_or_default();
    let honeypot = honeypot(&fields);
    render(&ApplyPage {
        chrome: &chrome,
        head,
        title,
        description,
        cohort: view::CohortItem::of(&cohort, true),
        closed,
        fields,
        errors,
        problem,
        action: format!("/apply/{cohort_id}"),
        submit: "Send my application",
        honeypot,
    })
}

pub async fn apply_page(
    State(state): State<PublicState>,
    id: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(cohort_id) = cohort_of(id) else { return state.not_found(&wants).await };
    let form_state = state.clone();
    state
        .page(Cow::Owned(format!("site:/apply/{cohort_id}")), &wants, || async move {
            apply_form(&form_state, cohort_id, None, &[], None).await
        })
        .await
}

pub async fn apply(
    State(state): State<PublicState>,
    ClientAddress(client): ClientAddress,
    id: Result<Path<String>, PathRejection>,
    wants: Negotiation,
    body: Bytes,
) -> Response {
    let Some(cohort_id) = cohort_of(id) else { return state.not_found(&wants).await };
    let sent = posted(&body);
    // The answers to the form's own fields: a checkbox is checked when sent at all.
    let fields = match content::form(&state.pool, apply::FORM_KEY).await {
        Ok(form) => form.fields,
        Err(hub_core::Error::NotFound(_)) => Vec::new(),
        Err(error) => return trouble(error.into()),
    };
    let views: Vec<FieldView> = fields.iter().map(FieldView::of).collect();
    let trap = honeypot(&views);
    let answers: Map<String, Value> = fields
        .iter()
        .filter_map(|field| match (field.field_type, sent.get(&field.name)) {
            (FieldType::Checkbox, value) => Some((field.name.clone(), Value::Bool(value.is_some()))),
            (_, Some(value)) => Some((field.name.clone(), value.clone())),
            (_, None) => None,
        })
        .collect();
    let respond = |status: StatusCode, problems: Vec<AnswerProblem>, problem: Option<String>| {
        let (state, answers) = (state.clone(), answers.clone());
        async move {
            match apply_form(&state, cohort_id, Some(&answers), &problems, problem).await {
                Err(Failure::NotFound(_)) => state.not_found(&Negotiation::identity()).await,
                body => page_response(status, body),
            }
        }
    };
    if let Err(wait) = state.applications_limit.check(client) {
        let problem = format!(
            "Too many applications were sent from your address just now. Please try again in {} seconds.",
            crate::limits::seconds(wait)
        );
        return respond(StatusCode::TOO_MANY_REQUESTS, Vec::new(), Some(problem)).await;
    }
    if sent.get(trap).and_then(Value::as_str).is_some_and(|value| !value.trim().is_empty()) {
        // A person never sees this field: a bot is shown what a person would be, and
        // nothing is kept.
        return Redirect::to(&format!("/apply/{cohort_id}/sent")).into_response();
    }
    match apply::submit(&state, cohort_id, answers.clone()).await {
        Ok(_) => Redirect::to(&format!("/apply/{cohort_id}/sent")).into_response(),
        Err(apply::Refused::Answers(problems)) => respond(StatusCode::BAD_REQUEST, problems, None).await,
        Err(apply::Refused::Failure(Failure::Conflict(reason))) => {
            respond(StatusCode::CONFLICT, Vec::new(), Some(sentence(&reason))).await
        }
        Err(apply::Refused::Failure(Failure::NotFound(_))) => state.not_found(&wants).await,
        Err(apply::Refused::Failure(failure)) => trouble(failure),
    }
}

/// "you have already applied" → "You have already applied."
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut sentence: String =
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

pub async fn applied(
    State(state): State<PublicState>,
    id: Result<Path<String>, PathRejection>,
    wants: Negotiation,
) -> Response {
    let Some(cohort_id) = cohort_of(id) else { return state.not_found(&wants).await };
    state
        .site_page(Cow::Owned(format!("site:/apply/{cohort_id}/sent")), &wants, |pool, chrome| async move {
            let cohort = shown_cohort(&pool, cohort_id).await?;
            let mut head =
                Head::new("Application received", &chrome, "Your application has reached us.", "/apply");
            head.path = format!("/apply/{cohort_id}/sent");
            let heading = format!("Thank you: your application to {} has reached us", cohort.name);
            let message =
                "We have sent you an email saying so, and will write again when it has been read.".to_owned();
            render(&SentPage { chrome: &chrome, head, heading, message })
        })
        .await
}
