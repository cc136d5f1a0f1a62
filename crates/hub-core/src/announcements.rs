//! Announcements: admins compose them for any audience, instructors post to the students
//! of the cohorts they teach, and everyone reads a feed of what is meant for them.

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::announcements::{
    AnnouncementRow, Audience, CreateAnnouncement, FeedItem, MarkRead, SaveAnnouncement,
};
use hub_model::auth::Done;
use hub_model::ops::{
    AnnouncementFeed, CreateAnnouncementOp, ListAnnouncements, MarkAnnouncementsRead, SaveAnnouncementOp,
};
use hub_model::NoRequest;
use sqlx::PgPool;

struct Row {
    id: i64,
    title: String,
    body: String,
    target_audience: String,
    cohort_id: Option<i64>,
    cohort_name: Option<String>,
    is_auto: bool,
    is_published: bool,
    publish_at: Option<chrono::DateTime<chrono::Utc>>,
    created_by: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

async fn announcements(pool: &PgPool, id: Option<i64>) -> Result<Vec<AnnouncementRow>> {
    let rows = sqlx::query_as!(
        Row,
        r#"select a.id, a.title, a.body, a.target_audience, a.cohort_id, c.name as "cohort_name?", a.is_auto,
                  a.is_published, a.publish_at, d.display_name as "created_by?", a.created_at
             from announcements a
             left join cohorts c on c.id = a.cohort_id
             left join user_directory d on d.user_id = a.created_by
            where ($1::bigint is null or a.id = $1)
            order by coalesce(a.publish_at, a.created_at) desc, a.id desc"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AnnouncementRow {
            id: row.id,
            title: row.title,
            body: row.body,
            target_audience: Audience::parse(&row.target_audience).unwrap_or(Audience::All),
            cohort_id: row.cohort_id,
            cohort_name: row.cohort_name,
            is_auto: row.is_auto,
            is_published: row.is_published,
            publish_at: row.publish_at,
            created_by: row.created_by,
            created_at: row.created_at,
        })
        .collect())
}

async fn announcement(pool: &PgPool, id: i64) -> Result<AnnouncementRow> {
    announcements(pool, Some(id)).await?.pop().ok_or_else(|| Error::NotFound(format!("announcement {id}")))
}

fn title_and_body(title: &str, body: &str) -> Result<(String, String)> {
    let title =
        text("title", Some(title), 200)?.ok_or_else(|| Error::validation("title", "enter a title"))?;
    let body = text("body", Some(body), 10_000)?
        .ok_or_else(|| Error::validation("body", "write the announcement"))?;
    Ok((title, body))
}

fn unknown_cohort(error: sqlx::Error) -> Error {
    match violated_constraint(&error) {
        Some("announcements_cohort_id_fkey") => Error::validation("cohort_id", "there is no such cohort"),
        _ => Error::Db(error),
    }
}

impl Handler for ListAnnouncements {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<AnnouncementRow>> {
        actor.require_admin()?;
        announcements(hub.pool(), None).await
    }
}

impl Handler for SaveAnnouncementOp {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveAnnouncement) -> Result<AnnouncementRow> {
        let admin = actor.require_admin()?;
        let (title, body) = title_and_body(&request.title, &request.body)?;
        let audience = request.target_audience.as_str();
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into announcements (title, body, target_audience, cohort_id, is_published, publish_at, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7) returning id",
                title,
                body,
                audience,
                request.cohort_id,
                request.is_published,
                request.publish_at,
                admin.id
            )
            .fetch_one(hub.pool())
            .await
            .map_err(unknown_cohort)?,
            Some(id) => sqlx::query_scalar!(
                "update announcements set title = $2, body = $3, target_audience = $4, cohort_id = $5,
                                          is_published = $6, publish_at = $7
                  where id = $1 returning id",
                id,
                title,
                body,
                audience,
                request.cohort_id,
                request.is_published,
                request.publish_at
            )
            .fetch_optional(hub.pool())
            .await
            .map_err(unknown_cohort)?
            .ok_or_else(|| Error::NotFound(format!("announcement {id}")))?,
        };
        announcement(hub.pool(), id).await
    }
}

impl Handler for CreateAnnouncementOp {
    async fn handle(hub: &Hub, actor: &Actor, request: CreateAnnouncement) -> Result<AnnouncementRow> {
        let instructor = actor.require_instructor()?;
        let (title, body) = title_and_body(&request.title, &request.body)?;
        if request.target_audience != Audience::Student {
            return Err(Error::validation(
                "target_audience",
                "instructors post to their cohort's students: use student",
            ));
        }
        let teaches = sqlx::query_scalar!(
            r#"select exists(select 1 from cohort_instructors where cohort_id = $1 and instructor_user_id = $2) as "teaches!""#,
            request.cohort_id,
            instructor.id
        )
        .fetch_one(hub.pool())
        .await?;
        if !teaches {
            return Err(Error::Forbidden("you can post only to the cohorts you teach".to_owned()));
        }
        let id = sqlx::query_scalar!(
            "insert into announcements (title, body, target_audience, cohort_id, is_published, created_by)
             values ($1, $2, 'student', $3, true, $4) returning id",
            title,
            body,
            request.cohort_id,
            instructor.id
        )
        .fetch_one(hub.pool())
        .await?;
        announcement(hub.pool(), id).await
    }
}

impl Handler for AnnouncementFeed {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<FeedItem>> {
        let me = actor.require_auth()?;
        // Admins read everything; students what is for all or for students, generally or
        // for their cohorts; instructors what is for all or for instructors, and anything
        // of the cohorts they teach.
        Ok(sqlx::query_as!(
            FeedItem,
            r#"select a.id, a.title, a.body, c.name as "cohort_name?",
                      coalesce(a.publish_at, a.created_at) as "published_at!",
                      exists(select 1 from announcement_reads r where r.user_id = $1 and r.announcement_id = a.id)
                          as "is_read!"
                 from announcements a left join cohorts c on c.id = a.cohort_id
                where a.is_published and (a.publish_at is null or a.publish_at <= now())
                  and ($2
                       or ($3 and a.target_audience in ('all', 'student')
                           and (a.cohort_id is null or a.cohort_id in
                                (select cohort_id from enrollments where student_user_id = $1 and status <> 'dropped')))
                       or ($4 and ((a.cohort_id is null and a.target_audience in ('all', 'instructor'))
                                   or a.cohort_id in (select cohort_id from cohort_instructors where instructor_user_id = $1))))
                order by coalesce(a.publish_at, a.created_at) desc, a.id desc
                limit 100"#,
            me.id,
            me.is_admin,
            me.is_student,
            me.is_instructor
        )
        .fetch_all(hub.pool())
        .await?)
    }
}

impl Handler for MarkAnnouncementsRead {
    async fn handle(hub: &Hub, actor: &Actor, request: MarkRead) -> Result<Done> {
        let me = actor.require_auth()?;
        if request.ids.len() > 500 {
            return Err(Error::validation("ids", "at most 500 at a time"));
        }
        sqlx::query!(
            "insert into announcement_reads (user_id, announcement_id)
             select $1, id from announcements where id = any($2)
             on conflict do nothing",
            me.id,
            &request.ids
        )
        .execute(hub.pool())
        .await?;
        Ok(Done {})
    }
}
