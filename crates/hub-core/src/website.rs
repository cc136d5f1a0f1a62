//! The website's content: what the public API serves (and the desktop's preview shows),
//! published content only, read into the public types field by field. What is unpublished, disabled, non-public, inactive or dated in the
//! future is filtered here, in SQL, so it never reaches a response.

use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::{PreviewRequest, SitePreview};
use hub_model::ops::PreviewSite;
use hub_model::public::{
    Announcement, Cohort, CohortInstructor, Contact, Event, Form, FormField, Home, HomeSection, Instructor,
    Links, Manager, Page, Program, Site, Student, ThemeToken,
};
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

/// Writes the website's pages from an unsaved edit. The public module, which writes the
/// site, is the writer; the hub server gives it to the [`crate::Hub`] it serves with.
pub trait SiteWriter: Send + Sync {
    fn preview<'a>(
        &'a self,
        pool: &'a PgPool,
        request: &'a PreviewRequest,
    ) -> Pin<Box<dyn Future<Output = Result<String>> + Send + 'a>>;
}

/// The most a previewed section's or page's content may hold, serialized.
const PREVIEW_CONTENT_MAX: usize = 200_000;

impl Handler for PreviewSite {
    async fn handle(hub: &Hub, actor: &Actor, request: PreviewRequest) -> Result<SitePreview> {
        actor.require_admin()?;
        let too_large = |content: &Value| content.to_string().len() > PREVIEW_CONTENT_MAX;
        match &request {
            PreviewRequest::Home { sections } => {
                if sections.len() > PreviewRequest::MAX_SECTIONS {
                    return Err(Error::validation(
                        "sections",
                        format!("a preview shows {} sections at most", PreviewRequest::MAX_SECTIONS),
                    ));
                }
                if sections.iter().any(|section| too_large(&section.content)) {
                    return Err(Error::validation("content", "is too large to preview"));
                }
            }
            PreviewRequest::Page { content, .. } if too_large(content) => {
                return Err(Error::validation("content", "is too large to preview"));
            }
            PreviewRequest::Page { .. } => {}
        }
        let writer = hub.site_writer().ok_or_else(|| {
            Error::Unavailable("this hub does not write the website; preview it on the hub server".to_owned())
        })?;
        Ok(SitePreview { html: writer.preview(hub.pool(), &request).await? })
    }
}

/// Which events a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    All,
    Upcoming,
    Past,
}

fn text(object: &Value, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

pub async fn theme(pool: &PgPool) -> Result<Vec<ThemeToken>> {
    Ok(sqlx::query_as!(
        ThemeToken,
        r#"select key as "key!", value as "value!", purpose as "purpose!" from published.theme_tokens order by key"#
    )
    .fetch_all(pool)
    .await?)
}

pub async fn site(pool: &PgPool) -> Result<Site> {
    let row = sqlx::query!(
        r#"select site_name as "site_name!", default_event_location as "default_event_location!",
                  contact_info as "contact_info!", social_links as "social_links!",
                  time_zone as "time_zone!"
             from published.site_settings"#
    )
    .fetch_one(pool)
    .await?;
    let contact = Contact {
        address: text(&row.contact_info, "address"),
        phone: text(&row.contact_info, "phone"),
        email: text(&row.contact_info, "email"),
    };
    // Only links that look like web addresses: the editor validates them, this keeps it so.
    let social_links: BTreeMap<String, String> = row
        .social_links
        .as_object()
        .map(|links| {
            links
                .iter()
                .filter_map(|(name, url)| Some((name.clone(), url.as_str()?.to_owned())))
                .filter(|(_, url)| url.starts_with("https://") || url.starts_with("http://"))
                .collect()
        })
        .unwrap_or_default();
    Ok(Site {
        site_name: row.site_name,
        default_event_location: row.default_event_location,
        contact,
        social_links,
        theme: theme(pool).await?,
        time_zone: row.time_zone,
    })
}

pub async fn page(pool: &PgPool, key: &str) -> Result<Page> {
    sqlx::query_as!(
        Page,
        r#"select key as "key!", title, content as "content!", updated_at as "updated_at!"
             from published.pages where key = $1"#,
        key
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::NotFound(format!("published page {key:?}")))
}

/// Every published page, by key (the website's navigation and sitemap).
pub async fn pages(pool: &PgPool) -> Result<Vec<Page>> {
    Ok(sqlx::query_as!(
        Page,
        r#"select key as "key!", title, content as "content!", updated_at as "updated_at!"
             from published.pages order by key"#
    )
    .fetch_all(pool)
    .await?)
}

pub async fn home(pool: &PgPool) -> Result<Home> {
    let sections = sqlx::query_as!(
        HomeSection,
        r#"select key as "key!", title, content as "content!" from published.home_sections order by sort_order, id"#
    )
    .fetch_all(pool)
    .await?;
    Ok(Home { sections })
}

/// The cohorts the website shows (coming soon, open, running) of published programs;
/// one program's when `slug` is given.
async fn cohorts_of(pool: &PgPool, slug: Option<&str>) -> Result<Vec<Cohort>> {
    let rows = sqlx::query!(
        r#"select id as "id!", program_slug as "program_slug!", program_title as "program_title!",
                  name as "name!", status as "status!", start_date, end_date, enrollment_open_at,
                  enrollment_close_at, capacity, seats_left, accepting_applications as "accepting_applications!"
             from published.cohorts
            where ($1::text is null or program_slug = $1)
            order by start_date nulls last, id"#,
        slug
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let instructors = sqlx::query!(
        r#"select cohort_id as "cohort_id!", full_name as "full_name!", cohort_role as "cohort_role!"
             from published.cohort_instructors
            where cohort_id = any($1)
            order by cohort_id, case cohort_role when 'lead' then 0 else 1 end, full_name"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Cohort {
                instructors: instructors
                    .iter()
                    .filter(|instructor| instructor.cohort_id == row.id)
                    .map(|instructor| {
                        Ok(CohortInstructor {
                            full_name: instructor.full_name.clone(),
                            cohort_role: instructor.cohort_role.parse()?,
                        })
                    })
                    .collect::<Result<_>>()?,
                id: row.id,
                program_slug: row.program_slug,
                program_title: row.program_title,
                name: row.name,
                status: row.status.parse()?,
                start_date: row.start_date,
                end_date: row.end_date,
                enrollment_open_at: row.enrollment_open_at,
                enrollment_close_at: row.enrollment_close_at,
                capacity: row.capacity,
                seats_left: row.seats_left.map(|seats| seats.max(0)),
                accepting_applications: row.accepting_applications,
            })
        })
        .collect()
}

pub async fn cohorts(pool: &PgPool) -> Result<Vec<Cohort>> {
    cohorts_of(pool, None).await
}

pub async fn programs(pool: &PgPool, slug: Option<&str>) -> Result<Vec<Program>> {
    let rows = sqlx::query!(
        r#"select slug as "slug!", title as "title!", summary, description, requirements, image_url
             from published.programs where ($1::text is null or slug = $1) order by title"#,
        slug
    )
    .fetch_all(pool)
    .await?;
    let cohorts = cohorts_of(pool, slug).await?;
    Ok(rows
        .into_iter()
        .map(|row| Program {
            cohorts: cohorts.iter().filter(|cohort| cohort.program_slug == row.slug).cloned().collect(),
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            description: row.description,
            requirements: row.requirements,
            image_url: row.image_url,
        })
        .collect())
}

pub async fn program(pool: &PgPool, slug: &str) -> Result<Program> {
    programs(pool, Some(slug))
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("published program {slug:?}")))
}

pub async fn events(pool: &PgPool, when: When, slug: Option<&str>) -> Result<Vec<Event>> {
    let (upcoming, past) = (when == When::Upcoming, when == When::Past);
    Ok(sqlx::query_as!(
        Event,
        r#"select e.slug as "slug!", e.title as "title!", e.description, e.location as "location!",
                  e.starts_at as "starts_at!", e.ends_at,
                  e.starts_at at time zone s.time_zone as "local_starts_at!",
                  e.ends_at at time zone s.time_zone as local_ends_at,
                  e.is_done as "is_done!"
             from published.events e cross join published.site_settings s
            where ($1::text is null or e.slug = $1)
              and (not $2 or not e.is_done)
              and (not $3 or e.is_done)
            order by case when $3 then e.starts_at end desc, e.starts_at, e.id"#,
        slug,
        upcoming,
        past,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn event(pool: &PgPool, slug: &str) -> Result<Event> {
    events(pool, When::All, Some(slug))
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("published event {slug:?}")))
}

pub async fn announcements(pool: &PgPool) -> Result<Vec<Announcement>> {
    Ok(sqlx::query_as!(
        Announcement,
        r#"select a.id as "id!", a.title as "title!", a.body as "body!", a.published_at as "published_at!",
                  (a.published_at at time zone s.time_zone)::date as "published_on!"
             from published.announcements a cross join published.site_settings s
            order by a.published_at desc, a.id desc"#
    )
    .fetch_all(pool)
    .await?)
}

fn links(linkedin_url: Option<String>, github_url: Option<String>, portfolio_url: Option<String>) -> Links {
    Links { linkedin_url, github_url, portfolio_url }
}

pub async fn managers(pool: &PgPool) -> Result<Vec<Manager>> {
    let rows = sqlx::query!(
        r#"select full_name as "full_name!", job_title, bio, avatar_url, linkedin_url, github_url, portfolio_url
             from published.managers order by sort_order, full_name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Manager {
            full_name: row.full_name,
            job_title: row.job_title,
            bio: row.bio,
            avatar_url: row.avatar_url,
            links: links(row.linkedin_url, row.github_url, row.portfolio_url),
        })
        .collect())
}

pub async fn instructors(pool: &PgPool) -> Result<Vec<Instructor>> {
    let rows = sqlx::query!(
        r#"select full_name as "full_name!", expertise, bio, avatar_url, linkedin_url, github_url, portfolio_url
             from published.instructors order by full_name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Instructor {
            full_name: row.full_name,
            expertise: row.expertise,
            bio: row.bio,
            avatar_url: row.avatar_url,
            links: links(row.linkedin_url, row.github_url, row.portfolio_url),
        })
        .collect())
}

/// Students with a public page: active accounts, not marked inactive, with text an
/// administrator approved (shown as approved, never as since edited); featured ones only,
/// in their rank, or the one at `slug`.
async fn students_where(pool: &PgPool, featured: bool, slug: Option<&str>) -> Result<Vec<Student>> {
    let rows = sqlx::query!(
        r#"select public_slug as "public_slug!", full_name as "full_name!", status as "status!", bio,
                  avatar_url, linkedin_url, github_url, portfolio_url
             from published.students
            where (not $1 or featured)
              and ($2::text is null or public_slug = $2)
            order by featured_rank nulls last, full_name"#,
        featured,
        slug
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Student {
                public_slug: row.public_slug,
                full_name: row.full_name,
                status: row.status.parse()?,
                bio: row.bio,
                avatar_url: row.avatar_url,
                links: links(row.linkedin_url, row.github_url, row.portfolio_url),
            })
        })
        .collect()
}

pub async fn featured_students(pool: &PgPool) -> Result<Vec<Student>> {
    students_where(pool, true, None).await
}

pub async fn student(pool: &PgPool, slug: &str) -> Result<Student> {
    students_where(pool, false, Some(slug))
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound(format!("public student page {slug:?}")))
}

pub async fn form(pool: &PgPool, key: &str) -> Result<Form> {
    Ok(form_with_id(pool, key).await?.1)
}

/// An active form with its enabled fields, and its id (what a submission refers to).
pub async fn form_with_id(pool: &PgPool, key: &str) -> Result<(i64, Form)> {
    let form = sqlx::query!(
        r#"select id as "id!", key as "key!", title, description from published.forms where key = $1"#,
        key
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::NotFound(format!("active form {key:?}")))?;
    let fields = sqlx::query!(
        r#"select name as "name!", label as "label!", field_type as "field_type!", required as "required!",
                  options, placeholder, min_length, max_length
             from published.form_fields where form_id = $1 order by sort_order, id"#,
        form.id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| {
        Ok(FormField {
            name: row.name,
            label: row.label,
            field_type: row.field_type.parse()?,
            required: row.required,
            options: row.options,
            placeholder: row.placeholder,
            min_length: row.min_length,
            max_length: row.max_length,
        })
    })
    .collect::<Result<_>>()?;
    Ok((form.id, Form { key: form.key, title: form.title, description: form.description, fields }))
}
