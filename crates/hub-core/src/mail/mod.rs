//! Mail: every message is a row of the outbox (`mail_outbox`), written in the transaction
//! of the change that causes it, and sent by the mail worker of each hub server
//! (hub-server's `mail`). Here: what messages say ([`messages`]), the outbox's rows
//! ([`outbox`]), and the admins' view of both.

pub mod messages;
pub mod outbox;

use crate::ops::Handler;
use crate::paging::{self, Paging};
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::IdRequest;
use hub_model::input::Email;
use hub_model::mail::{
    ListOutboxRequest, MailSettings, MailStatus, OutboxDetail, OutboxMessage, OutboxPage, SendTestMailRequest,
};
use hub_model::ops::{GetMailSettings, GetOutboxMessage, ListOutbox, RetryMail, SendTestMail};
use hub_model::NoRequest;
use messages::{Brand, TestMessage};
use sqlx::PgPool;

/// What a mail worker sends next: up to `batch` due messages, held for `lease`
/// ([`outbox::claim`]), those that carry a code given it (`crate::account_codes`).
pub async fn claim(pool: &PgPool, batch: i64, lease: std::time::Duration) -> Result<Vec<outbox::Claimed>> {
    crate::account_codes::fill(pool, outbox::claim(pool, batch, lease).await?).await
}

struct Row {
    id: i64,
    kind: String,
    recipient: String,
    subject: String,
    status: String,
    attempts: i32,
    next_attempt_at: chrono::DateTime<chrono::Utc>,
    provider_answer: Option<String>,
    sent_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
    total: i64,
}

impl TryFrom<Row> for OutboxMessage {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self> {
        Ok(Self {
            id: row.id,
            kind: row.kind.parse()?,
            recipient: row.recipient,
            subject: row.subject,
            status: row.status.parse()?,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            provider_answer: row.provider_answer,
            sent_at: row.sent_at,
            created_at: row.created_at,
        })
    }
}

/// The outbox's messages matching `filter` (or the one `id`), newest first.
async fn rows(
    pool: &PgPool,
    filter: &ListOutboxRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    Ok(sqlx::query_as!(
        Row,
        r#"select id, kind, recipient, subject, status, attempts, next_attempt_at, provider_answer, sent_at,
                  created_at, count(*) over () as "total!"
             from mail_outbox
            where ($1::text is null or status = $1)
              and ($2::text is null or lower(recipient) like $2)
              and ($3::bigint is null or id = $3)
            order by
              case when $4 = 'recipient' and not $5 then lower(recipient) end asc,
              case when $4 = 'recipient' and $5 then lower(recipient) end desc,
              case when $4 = 'status' and not $5 then array_position(array['failed','queued','sent'], status) end asc,
              case when $4 = 'status' and $5 then array_position(array['failed','queued','sent'], status) end desc,
              case when $4 = 'queued' and not $5 then created_at end asc,
              case when $4 = 'queued' and $5 then created_at end desc,
              created_at desc, id desc
            limit $6 offset $7"#,
        filter.status.map(MailStatus::as_str),
        pattern.as_deref(),
        id,
        filter.sort.as_str(),
        filter.is_descending(),
        limit,
        offset
    )
    .fetch_all(pool)
    .await?)
}

async fn message(pool: &PgPool, id: i64) -> Result<OutboxMessage> {
    rows(pool, &ListOutboxRequest::default(), Some(id), 1, 0)
        .await
        .and_then(|rows| paging::only(rows, || format!("message {id}")))
}

impl Handler for GetMailSettings {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<MailSettings> {
        actor.require_admin()?;
        let counts = sqlx::query!(
            r#"select count(*) filter (where status = 'queued') as "queued!",
                      count(*) filter (where status = 'failed') as "failed!",
                      count(*) filter (where status = 'sent' and sent_at > now() - interval '1 day') as "sent_last_day!",
                      min(created_at) filter (where status = 'queued') as oldest_queued_at
                 from mail_outbox"#
        )
        .fetch_one(hub.pool())
        .await?;
        Ok(MailSettings {
            relay: hub.mail_relay().cloned(),
            queued: counts.queued,
            failed: counts.failed,
            sent_last_day: counts.sent_last_day,
            oldest_queued_at: counts.oldest_queued_at,
        })
    }
}

impl Handler for ListOutbox {
    async fn handle(hub: &Hub, actor: &Actor, request: ListOutboxRequest) -> Result<OutboxPage> {
        actor.require_admin()?;
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| rows(hub.pool(), &request, None, limit, offset),
                |row| row.total,
                OutboxMessage::try_from,
            )
            .await
    }
}

impl Handler for GetOutboxMessage {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<OutboxDetail> {
        actor.require_admin()?;
        let bodies = sqlx::query!("select text_body, html_body from mail_outbox where id = $1", request.id)
            .fetch_optional(hub.pool())
            .await?
            .ok_or_else(|| Error::NotFound(format!("message {}", request.id)))?;
        // A code is made as its message is sent and kept nowhere: its place shows as such.
        let masked =
            |body: String| body.replace(crate::account_codes::PLACEHOLDER, crate::account_codes::MASKED);
        Ok(OutboxDetail {
            message: message(hub.pool(), request.id).await?,
            text_body: masked(bodies.text_body),
            html_body: masked(bodies.html_body),
        })
    }
}

impl Handler for RetryMail {
    /// The message as the retry left it (a worker may take it the next moment): waiting,
    /// due now, and a failed one's tries started over. One a worker is sending is left to it
    /// (sending it beside that worker could send it twice).
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<OutboxMessage> {
        actor.require_admin()?;
        let retried = sqlx::query_as!(
            Row,
            r#"update mail_outbox
                  set status = 'queued', next_attempt_at = now(), claimed_until = null,
                      attempts = case when status = 'failed' then 0 else attempts end
                where id = $1 and status <> 'sent' and (claimed_until is null or claimed_until < now())
            returning id, kind, recipient, subject, status, attempts, next_attempt_at, provider_answer, sent_at,
                      created_at, 1::bigint as "total!""#,
            request.id
        )
        .fetch_optional(hub.pool())
        .await?;
        let Some(retried) = retried else {
            // No such message, sent already, or being sent this moment.
            let found = message(hub.pool(), request.id).await?;
            return Err(Error::Conflict(match found.status {
                MailStatus::Sent => "the message was sent already".to_owned(),
                _ => "the message is being sent right now; look again in a minute".to_owned(),
            }));
        };
        sqlx::query!("select pg_notify('mail_outbox', '')").execute(hub.pool()).await?;
        retried.try_into()
    }
}

impl Handler for SendTestMail {
    async fn handle(hub: &Hub, actor: &Actor, request: SendTestMailRequest) -> Result<OutboxMessage> {
        let admin = actor.require_admin()?;
        let me = sqlx::query!(
            r#"select u.email, d.display_name as "display_name?" from users u left join user_directory d on d.user_id = u.id where u.id = $1"#,
            admin.id
        )
        .fetch_one(hub.pool())
        .await?;
        let to = match request.to.as_deref().map(str::trim).filter(|to| !to.is_empty()) {
            Some(to) => Email::parse("to", to)?,
            None => Email::parse("to", me.email.as_deref().unwrap_or_default())
                .map_err(|_| Error::validation("to", "enter an address: your account has no email"))?,
        };
        let brand = Brand::current(hub.pool()).await?;
        let server = hub.mail_relay().map_or_else(
            || "no mail server yet (it waits in the outbox until this hub server has one)".to_owned(),
            |relay| relay.server.clone(),
        );
        let requested_by = me.display_name.unwrap_or_else(|| "an administrator".to_owned());
        let composed = TestMessage { brand: &brand, requested_by: &requested_by, server: &server }.compose();
        let event = format!("test:{}", uuid::Uuid::new_v4());
        let mut connection = hub.pool().acquire().await?;
        outbox::enqueue(&mut connection, &composed.to(to.as_str(), event.clone())).await?;
        let id = sqlx::query_scalar!("select id from mail_outbox where event_key = $1", event)
            .fetch_one(&mut *connection)
            .await?;
        message(hub.pool(), id).await
    }
}
