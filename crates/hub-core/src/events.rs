//! Events, as admins schedule them, and the job that marks ended ones done.

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::paging::Paging;
use crate::{Actor, Error, Hub, Result};
use hub_model::auth::Done;
use hub_model::cms::IdRequest;
use hub_model::events::{EventRow, EventsWhen, ListEventsRequest, SaveEventRequest, SetEventDoneRequest};
use hub_model::input::Slug;
use hub_model::ops::{DeleteEvent, ListEvents, SaveEvent, SetEventDone};
use hub_model::page::Page;
use sqlx::PgPool;

/// Events matching `request` (or the one `id`), a page of them, and how many match in all.
async fn events(
    pool: &PgPool,
    request: &ListEventsRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(EventRow, i64)>> {
    let pattern = crate::text::like_pattern(request.search.as_deref());
    let (upcoming, past) = (request.when == EventsWhen::Upcoming, request.when == EventsWhen::Past);
    let descending = request.is_descending();
    let rows = sqlx::query!(
        r#"select e.id, e.slug, e.title, e.description, e.location,
                  event_location(e) as "shown_location!",
                  e.starts_at, e.ends_at, e.is_published, e.is_done, e.done_at,
                  count(*) over () as "total!"
             from events e
            where ($1::text is null or lower(e.title) like $1 or e.slug like $1)
              and (not $2 or not event_is_over(e))
              and (not $3 or event_is_over(e))
              and ($4::bigint is null or e.id = $4)
              and ($5::bool is null or e.is_published = $5)
            order by
              case when $6 = 'starts_at' and not $7 then e.starts_at end asc,
              case when $6 = 'starts_at' and $7 then e.starts_at end desc,
              case when $6 = 'title' and not $7 then lower(e.title) end asc,
              case when $6 = 'title' and $7 then lower(e.title) end desc,
              e.starts_at, e.id
            limit $8 offset $9"#,
        pattern,
        upcoming,
        past,
        id,
        request.published,
        request.sort.as_str(),
        descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let event = EventRow {
                id: row.id,
                slug: row.slug,
                title: row.title,
                description: row.description,
                location: row.location,
                shown_location: row.shown_location,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                is_published: row.is_published,
                is_done: row.is_done,
                done_at: row.done_at,
            };
            (event, row.total)
        })
        .collect())
}

async fn event(pool: &PgPool, id: i64) -> Result<EventRow> {
    events(pool, &ListEventsRequest::default(), Some(id), 1, 0)
        .await?
        .pop()
        .map(|(event, _)| event)
        .ok_or_else(|| Error::NotFound(format!("event {id}")))
}

impl Handler for ListEvents {
    async fn handle(hub: &Hub, actor: &Actor, request: ListEventsRequest) -> Result<Page<EventRow>> {
        actor.require_admin()?;
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| events(hub.pool(), &request, None, limit, offset),
                |(_, total)| *total,
                |(event, _)| Ok(event),
            )
            .await
    }
}

impl Handler for DeleteEvent {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Done> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let deleted = sqlx::query!("delete from events where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        if deleted.rows_affected() == 0 {
            return Err(Error::NotFound(format!("event {}", request.id)));
        }
        Ok(Done {})
    }
}

impl Handler for SaveEvent {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveEventRequest) -> Result<EventRow> {
        let admin = actor.require_admin()?;
        let slug = Slug::parse("slug", &request.slug)?;
        let title = Some(request.title.trim())
            .filter(|title| !title.is_empty())
            .ok_or_else(|| Error::validation("title", "enter the event's title"))?;
        if title.chars().count() > 200 {
            return Err(Error::validation("title", "is longer than 200 characters"));
        }
        let description = request.description.as_deref().map(str::trim).filter(|text| !text.is_empty());
        let location = request.location.as_deref().map(str::trim).filter(|text| !text.is_empty());
        if request.ends_at.is_some_and(|ends| ends < request.starts_at) {
            return Err(Error::validation("ends_at", "cannot be before the start"));
        }
        let duplicate = |error: sqlx::Error| match violated_constraint(&error) {
            Some("events_slug_key") => Error::validation("slug", "is already used by another event"),
            _ => Error::Db(error),
        };
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into events (slug, title, description, location, starts_at, ends_at, is_published, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
                slug.as_str(),
                title,
                description,
                location,
                request.starts_at,
                request.ends_at,
                request.is_published,
                admin.id
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(duplicate)?,
            Some(id) => sqlx::query_scalar!(
                "update events set slug = $2, title = $3, description = $4, location = $5, starts_at = $6,
                                   ends_at = $7, is_published = $8
                  where id = $1 returning id",
                id,
                slug.as_str(),
                title,
                description,
                location,
                request.starts_at,
                request.ends_at,
                request.is_published
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(duplicate)?
            .ok_or_else(|| Error::NotFound(format!("event {id}")))?,
        };
        tx.commit().await?;
        event(hub.pool(), id).await
    }
}

impl Handler for SetEventDone {
    async fn handle(hub: &Hub, actor: &Actor, request: SetEventDoneRequest) -> Result<EventRow> {
        actor.require_admin()?;
        // An event whose end has passed is over whatever its flag says (and the periodic job
        // would mark it done again within a minute): undoing "done" only makes sense before.
        let ended = sqlx::query_scalar!(
            r#"select coalesce(ends_at, starts_at) < now() as "ended!" from events where id = $1"#,
            request.id
        )
        .fetch_optional(hub.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("event {}", request.id)))?;
        if ended && !request.is_done {
            return Err(Error::validation(
                "is_done",
                "the event has ended, so it is done; change its end to reopen it",
            ));
        }
        let mut tx = hub.begin().await?;
        sqlx::query!(
            "update events set is_done = $2, done_at = case when $2 then coalesce(done_at, now()) end where id = $1",
            request.id,
            request.is_done
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        event(hub.pool(), request.id).await
    }
}

/// Marks every event whose end has passed as done (done at its end); returns how many.
/// Run periodically by the desktop app and by `hubctl mark-ended-events` (for cron).
pub async fn mark_ended_done(pool: &PgPool) -> Result<u64> {
    let mut tx = crate::db::begin_as(pool, "events.mark_ended").await?;
    let marked = sqlx::query!(
        "update events set is_done = true, done_at = coalesce(ends_at, starts_at)
          where not is_done and event_is_over(events)"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(marked.rows_affected())
}
