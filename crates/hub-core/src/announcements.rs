//! Announcements: admins compose them for any audience, instructors post to the students
//! of the cohorts they teach, and everyone reads a feed of what is meant for them.
//!
//! One "also sent by email" is mailed to each person of its audience once, through the
//! outbox, when it goes live: in the transaction that publishes it, or — scheduled — by the
//! server's minute job ([`mail_due`]) once its time has come. Its audience is counted then
//! (who is enrolled, who is active), and each person's message has its own event key, so no
//! edit, re-publishing or second server mails anyone twice.

use crate::error::violated_constraint;
use crate::mail::messages::{AnnouncementMail, Brand};
use crate::mail::outbox;
use crate::ops::Handler;
use crate::paging::{self, Paging};
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::announcements::{
    AnnouncementRow, AnnouncementState, Audience, CreateAnnouncementRequest, FeedItem,
    ListAnnouncementsRequest, MarkRead, SaveAnnouncementRequest,
};
use hub_model::auth::Done;
use hub_model::ops::{
    AnnouncementFeed, CreateAnnouncement, ListAnnouncements, MarkAnnouncementsRead, SaveAnnouncement,
};
use hub_model::page::Page;
use hub_model::NoRequest;
use sqlx::{PgConnection, PgPool};

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
    state: String,
    send_email: bool,
    emailed_at: Option<chrono::DateTime<chrono::Utc>>,
    created_by: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    total: i64,
}

impl TryFrom<Row> for AnnouncementRow {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self> {
        Ok(Self {
            id: row.id,
            title: row.title,
            body: row.body,
            target_audience: row.target_audience.parse()?,
            cohort_id: row.cohort_id,
            cohort_name: row.cohort_name,
            is_auto: row.is_auto,
            is_published: row.is_published,
            publish_at: row.publish_at,
            state: match row.state.as_str() {
                "live" => AnnouncementState::Live,
                "scheduled" => AnnouncementState::Scheduled,
                _ => AnnouncementState::Unpublished,
            },
            send_email: row.send_email,
            emailed_at: row.emailed_at,
            created_by: row.created_by,
            created_at: row.created_at,
        })
    }
}

fn state_name(state: AnnouncementState) -> &'static str {
    match state {
        AnnouncementState::Live => "live",
        AnnouncementState::Scheduled => "scheduled",
        AnnouncementState::Unpublished => "unpublished",
    }
}

/// Announcements matching `filter` (or the one `id`), a page of them, and how many match.
async fn announcements(
    pool: &PgPool,
    filter: &ListAnnouncementsRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    let descending = filter.is_descending();
    Ok(sqlx::query_as!(
        Row,
        r#"select a.id, a.title, a.body, a.target_audience, a.cohort_id, c.name as "cohort_name?", a.is_auto,
                  a.is_published, a.publish_at, s.state as "state!", a.send_email, a.emailed_at,
                  d.display_name as "created_by?", a.created_at,
                  count(*) over () as "total!"
             from announcements a
             cross join lateral (select case when not a.is_published then 'unpublished'
                                             when a.publish_at > now() then 'scheduled'
                                             else 'live' end as state) s
             left join cohorts c on c.id = a.cohort_id
             left join user_directory d on d.user_id = a.created_by
            where ($1::bigint is null or a.id = $1)
              and ($2::text is null or lower(a.title) like $2 or lower(a.body) like $2)
              and ($3::text is null or a.target_audience = $3)
              and ($4::bigint is null or a.cohort_id = $4)
              and ($5::text is null or s.state = $5)
            order by
              case when $6 = 'shows' and not $7 then coalesce(a.publish_at, a.created_at) end asc,
              case when $6 = 'shows' and $7 then coalesce(a.publish_at, a.created_at) end desc,
              case when $6 = 'title' and not $7 then lower(a.title) end asc,
              case when $6 = 'title' and $7 then lower(a.title) end desc,
              coalesce(a.publish_at, a.created_at) desc, a.id desc
            limit $8 offset $9"#,
        id,
        pattern,
        filter.audience.map(Audience::as_str),
        filter.cohort_id,
        filter.state.map(state_name),
        filter.sort.as_str(),
        descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?)
}

async fn announcement(pool: &PgPool, id: i64) -> Result<AnnouncementRow> {
    announcements(pool, &ListAnnouncementsRequest::default(), Some(id), 1, 0)
        .await
        .and_then(|rows| paging::only(rows, || format!("announcement {id}")))
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
    async fn handle(
        hub: &Hub,
        actor: &Actor,
        request: ListAnnouncementsRequest,
    ) -> Result<Page<AnnouncementRow>> {
        actor.require_admin()?;
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| announcements(hub.pool(), &request, None, limit, offset),
                |row| row.total,
                AnnouncementRow::try_from,
            )
            .await
    }
}

impl Handler for SaveAnnouncement {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveAnnouncementRequest) -> Result<AnnouncementRow> {
        let admin = actor.require_admin()?;
        let (title, body) = title_and_body(&request.title, &request.body)?;
        if request.send_email && request.target_audience == Audience::Website {
            return Err(Error::validation(
                "send_email",
                "website visitors have no address here: mail it to people with accounts (everyone, a role or a cohort)",
            ));
        }
        let audience = request.target_audience.as_str();
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into announcements (title, body, target_audience, cohort_id, is_published, publish_at,
                                            send_email, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
                title,
                body,
                audience,
                request.cohort_id,
                request.is_published,
                request.publish_at,
                request.send_email,
                admin.id
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(unknown_cohort)?,
            Some(id) => sqlx::query_scalar!(
                "update announcements set title = $2, body = $3, target_audience = $4, cohort_id = $5,
                                          is_published = $6, publish_at = $7, send_email = $8
                  where id = $1 returning id",
                id,
                title,
                body,
                audience,
                request.cohort_id,
                request.is_published,
                request.publish_at,
                request.send_email
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(unknown_cohort)?
            .ok_or_else(|| Error::NotFound(format!("announcement {id}")))?,
        };
        mail_if_live(&mut tx, &brand, id).await?;
        tx.commit().await?;
        announcement(hub.pool(), id).await
    }
}

impl Handler for CreateAnnouncement {
    async fn handle(hub: &Hub, actor: &Actor, request: CreateAnnouncementRequest) -> Result<AnnouncementRow> {
        let instructor = actor.require_instructor()?;
        let (title, body) = title_and_body(&request.title, &request.body)?;
        if request.target_audience != Audience::Student {
            return Err(Error::validation(
                "target_audience",
                "instructors post to their cohort's students: use student",
            ));
        }
        let teaches = sqlx::query_scalar!(
            r#"select exists(select 1 from cohort_staff where cohort_id = $1 and instructor_user_id = $2) as "teaches!""#,
            request.cohort_id,
            instructor.id
        )
        .fetch_one(hub.pool())
        .await?;
        if !teaches {
            return Err(Error::Forbidden("you can post only to the cohorts you teach".to_owned()));
        }
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let id = sqlx::query_scalar!(
            "insert into announcements (title, body, target_audience, cohort_id, is_published, send_email, created_by)
             values ($1, $2, 'student', $3, true, $4, $5) returning id",
            title,
            body,
            request.cohort_id,
            request.send_email,
            instructor.id
        )
        .fetch_one(&mut *tx)
        .await?;
        mail_if_live(&mut tx, &brand, id).await?;
        tx.commit().await?;
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
                                   or a.cohort_id in (select cohort_id from cohort_staff where instructor_user_id = $1))))
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

/// Queues the mail of announcement `id` if it is to be mailed, is live and has not been
/// mailed yet, in the caller's transaction (which locks its row); how many messages.
async fn mail_if_live(connection: &mut PgConnection, brand: &Brand, id: i64) -> Result<u64> {
    let due = sqlx::query!(
        r#"select a.title, a.body, a.target_audience, a.cohort_id, c.name as "cohort?", d.display_name as "author?"
             from announcements a
             left join cohorts c on c.id = a.cohort_id
             left join user_directory d on d.user_id = a.created_by
            where a.id = $1 and a.send_email and a.emailed_at is null
              and a.is_published and (a.publish_at is null or a.publish_at <= now())
              for update of a"#,
        id
    )
    .fetch_optional(&mut *connection)
    .await?;
    let Some(due) = due else {
        return Ok(0);
    };
    // Its audience as it is now, as the feed reads it: active people with an address.
    let recipients: Vec<(i64, String)> = sqlx::query!(
        r#"select u.id, u.email as "email!" from users u
            where u.is_active and u.email is not null
              and case $1
                    when 'all' then $2::bigint is null
                                    or u.id in (select student_user_id from enrollments
                                                 where cohort_id = $2 and status <> 'dropped')
                                    or u.id in (select instructor_user_id from cohort_staff where cohort_id = $2)
                    when 'student' then u.is_student
                                        and ($2::bigint is null
                                             or u.id in (select student_user_id from enrollments
                                                          where cohort_id = $2 and status <> 'dropped'))
                    when 'instructor' then u.is_instructor
                                           and ($2::bigint is null
                                                or u.id in (select instructor_user_id from cohort_staff where cohort_id = $2))
                    when 'admin' then u.is_admin
                    else false end
            order by u.id"#,
        due.target_audience,
        due.cohort_id
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|person| (person.id, person.email))
    .collect();
    let composed = AnnouncementMail {
        brand,
        title: &due.title,
        body: &due.body,
        author: due.author.as_deref(),
        cohort: due.cohort.as_deref(),
    }
    .compose();
    let queued =
        outbox::enqueue_each(connection, &composed, &format!("announcement:{id}"), &recipients).await?;
    sqlx::query!("update announcements set emailed_at = now() where id = $1", id)
        .execute(&mut *connection)
        .await?;
    Ok(queued)
}

/// Mails the scheduled announcements whose time has come (the server's minute job; any
/// number of servers may run it at once: each announcement is taken by one). Returns how
/// many messages were queued.
pub async fn mail_due(pool: &PgPool) -> Result<u64> {
    let brand = Brand::current(pool).await?;
    let mut queued = 0;
    loop {
        let mut tx = crate::db::begin_as(pool, "announcements.mail_due").await?;
        let Some(id) = sqlx::query_scalar!(
            "select id from announcements
              where send_email and emailed_at is null and is_published and (publish_at is null or publish_at <= now())
              order by publish_at, id limit 1 for update skip locked"
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(queued);
        };
        queued += mail_if_live(&mut tx, &brand, id).await?;
        tx.commit().await?;
    }
}
