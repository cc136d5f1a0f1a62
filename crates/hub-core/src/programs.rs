//! Programs: planning what the hub teaches, and what deleting one would take with it (each
//! run of a program, a cohort, is in `crate::cohorts`).

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::paging::Paging;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::IdRequest;
use hub_model::input::{Slug, WebUrl};
use hub_model::ops::{DeleteProgram, ListPrograms, ProgramDeleteImpact, SaveProgram};
use hub_model::page::Page;
use hub_model::programs::{ListProgramsRequest, ProgramImpact, ProgramRow, SaveProgramRequest};
use sqlx::{PgConnection, PgPool};

pub(crate) fn capacity(field: &'static str, value: Option<i32>) -> Result<Option<i32>> {
    match value {
        Some(capacity) if capacity < 0 => Err(Error::validation(field, "cannot be negative")),
        other => Ok(other),
    }
}

/// A listed program and how many match in all.
struct ListedProgram {
    id: i64,
    slug: String,
    title: String,
    summary: Option<String>,
    description: Option<String>,
    requirements: Option<String>,
    image_url: Option<String>,
    default_capacity: Option<i32>,
    is_published: bool,
    updated_at: chrono::DateTime<chrono::Utc>,
    cohorts: i64,
    total: i64,
}

impl From<ListedProgram> for ProgramRow {
    fn from(row: ListedProgram) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            description: row.description,
            requirements: row.requirements,
            image_url: row.image_url,
            default_capacity: row.default_capacity,
            is_published: row.is_published,
            cohorts: row.cohorts,
            updated_at: row.updated_at,
        }
    }
}

async fn programs(
    pool: &PgPool,
    filter: &ListProgramsRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<ListedProgram>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    Ok(sqlx::query_as!(
        ListedProgram,
        r#"select p.id, p.slug, p.title, p.summary, p.description, p.requirements, p.image_url, p.default_capacity,
                  p.is_published, p.updated_at, n.cohorts as "cohorts!", count(*) over () as "total!"
             from programs p
             cross join lateral (select count(*) as cohorts from cohorts c where c.program_id = p.id) n
            where ($1::text is null or lower(p.title) like $1 or p.slug like $1)
              and ($2::bool is null or p.is_published = $2)
              and ($3::bigint is null or p.id = $3)
            order by
              case when $4 = 'title' and not $5 then lower(p.title) end asc,
              case when $4 = 'title' and $5 then lower(p.title) end desc,
              case when $4 = 'cohorts' and not $5 then n.cohorts end asc,
              case when $4 = 'cohorts' and $5 then n.cohorts end desc,
              case when $4 = 'updated_at' and not $5 then p.updated_at end asc,
              case when $4 = 'updated_at' and $5 then p.updated_at end desc,
              lower(p.title), p.id
            limit $6 offset $7"#,
        pattern,
        filter.published,
        id,
        filter.sort.as_str(),
        filter.descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?)
}

impl Handler for ListPrograms {
    async fn handle(hub: &Hub, actor: &Actor, request: ListProgramsRequest) -> Result<Page<ProgramRow>> {
        actor.require_admin()?;
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| programs(hub.pool(), &request, None, limit, offset),
                |row| row.total,
                |row| Ok(row.into()),
            )
            .await
    }
}

impl Handler for SaveProgram {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveProgramRequest) -> Result<ProgramRow> {
        let admin = actor.require_admin()?;
        let slug = Slug::parse("slug", &request.slug)?;
        let title = text("title", Some(&request.title), 200)?
            .ok_or_else(|| Error::validation("title", "enter the program's title"))?;
        let summary = text("summary", request.summary.as_deref(), 500)?;
        let description = text("description", request.description.as_deref(), 10_000)?;
        let requirements = text("requirements", request.requirements.as_deref(), 2_000)?;
        let image_url = request
            .image_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(|url| WebUrl::image("image_url", url))
            .transpose()?;
        let image_url = image_url.as_ref().map(WebUrl::as_str);
        let default_capacity = capacity("default_capacity", request.default_capacity)?;
        let duplicate = |error: sqlx::Error| match violated_constraint(&error) {
            Some("programs_slug_key") => Error::validation("slug", "is already used by another program"),
            _ => Error::Db(error),
        };
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into programs (slug, title, summary, description, requirements, default_capacity,
                                       is_published, created_by, image_url)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
                slug.as_str(),
                title,
                summary,
                description,
                requirements,
                default_capacity,
                request.is_published,
                admin.id,
                image_url
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(duplicate)?,
            Some(id) => sqlx::query_scalar!(
                "update programs set slug = $2, title = $3, summary = $4, description = $5, requirements = $6,
                                     default_capacity = $7, is_published = $8, image_url = $9
                  where id = $1 returning id",
                id,
                slug.as_str(),
                title,
                summary,
                description,
                requirements,
                default_capacity,
                request.is_published,
                image_url
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(duplicate)?
            .ok_or_else(|| Error::NotFound(format!("program {id}")))?,
        };
        tx.commit().await?;
        programs(hub.pool(), &ListProgramsRequest::default(), Some(id), 1, 0)
            .await?
            .pop()
            .map(ProgramRow::from)
            .ok_or_else(|| Error::NotFound(format!("program {id}")))
    }
}

async fn impact(connection: &mut PgConnection, id: i64) -> Result<ProgramImpact> {
    let row = sqlx::query!(
        r#"select exists(select 1 from programs where id = $1) as "exists!",
                  (select count(*) from cohorts where program_id = $1) as "cohorts!",
                  (select count(*) from enrollments e join cohorts c on c.id = e.cohort_id where c.program_id = $1)
                      as "enrollments!",
                  (select count(*) from sessions s join cohorts c on c.id = s.cohort_id where c.program_id = $1)
                      as "sessions!""#,
        id
    )
    .fetch_one(connection)
    .await?;
    if !row.exists {
        return Err(Error::NotFound(format!("program {id}")));
    }
    Ok(ProgramImpact { cohorts: row.cohorts, enrollments: row.enrollments, sessions: row.sessions })
}

impl Handler for ProgramDeleteImpact {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<ProgramImpact> {
        actor.require_admin()?;
        impact(&mut *hub.pool().acquire().await?, request.id).await
    }
}

impl Handler for DeleteProgram {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<ProgramImpact> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        sqlx::query!("select id from programs where id = $1 for update", request.id)
            .fetch_optional(&mut *tx)
            .await?;
        let removed = impact(&mut tx, request.id).await?;
        sqlx::query!("delete from programs where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(removed)
    }
}
