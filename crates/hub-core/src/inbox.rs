//! The contact inbox: what visitors sent through the website, worked through by admins, who
//! answer by email from the hub's address (each reply kept with its message).

use crate::mail::messages::{Brand, InboxReply as ReplyMessage};
use crate::mail::outbox;
use crate::ops::Handler;
use crate::paging::{self, Paging};
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::IdRequest;
use hub_model::inbox::{
    AssignMessageRequest, InboxMessage, InboxReply, ListMessagesRequest, MessagePage, MessageStatus,
    MessageThread, NewMessages, ReplyToMessageRequest, SetMessageStatusRequest,
};
use hub_model::input::Email;
use hub_model::ops::{
    AssignMessage, CountNewMessages, GetMessageThread, ListMessages, ReplyToMessage, SetMessageStatus,
};
use hub_model::NoRequest;
use sqlx::PgPool;

struct Row {
    id: i64,
    name: String,
    email: String,
    phone: Option<String>,
    subject: Option<String>,
    message: String,
    status: String,
    assigned_to: Option<i64>,
    assigned_name: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    total: i64,
}

impl TryFrom<Row> for InboxMessage {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self> {
        Ok(Self {
            id: row.id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            subject: row.subject,
            message: row.message,
            status: row.status.parse()?,
            assigned_to: row.assigned_to,
            assigned_name: row.assigned_name,
            created_at: row.created_at,
            resolved_at: row.resolved_at,
        })
    }
}

/// Messages matching `filter` (or the one `id`), a page of them.
async fn rows(
    pool: &PgPool,
    filter: &ListMessagesRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    Ok(sqlx::query_as!(
        Row,
        r#"select m.id, m.name, m.email, m.phone, m.subject, m.message, m.status, m.assigned_to,
                  d.display_name as "assigned_name?", m.created_at, m.resolved_at, count(*) over () as "total!"
             from contact_messages m left join user_directory d on d.user_id = m.assigned_to
            where ($1::text is null or m.status = $1)
              and case when $2::bigint is not null then m.assigned_to = $2
                       when $3 then m.assigned_to is null
                       else true end
              and ($4::text is null or lower(m.name) like $4 or lower(m.email) like $4
                   or lower(coalesce(m.subject, '')) like $4 or lower(m.message) like $4)
              and ($5::bigint is null or m.id = $5)
            order by
              case when $6 = 'status' and not $7 then array_position(array['new','in_progress','resolved'], m.status) end asc,
              case when $6 = 'status' and $7 then array_position(array['new','in_progress','resolved'], m.status) end desc,
              case when $6 = 'received' and not $7 then m.created_at end asc,
              case when $6 = 'received' and $7 then m.created_at end desc,
              case when $6 = 'name' and not $7 then lower(m.name) end asc,
              case when $6 = 'name' and $7 then lower(m.name) end desc,
              m.created_at desc, m.id desc
            limit $8 offset $9"#,
        filter.status.map(MessageStatus::as_str),
        filter.assigned_to,
        filter.unassigned,
        pattern.as_deref(),
        id,
        filter.sort.as_str(),
        filter.descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?)
}

async fn message(pool: &PgPool, id: i64) -> Result<InboxMessage> {
    rows(pool, &ListMessagesRequest::default(), Some(id), 1, 0)
        .await
        .and_then(|rows| paging::only(rows, || format!("contact message {id}")))
}

impl Handler for ListMessages {
    async fn handle(hub: &Hub, actor: &Actor, request: ListMessagesRequest) -> Result<MessagePage> {
        actor.require_admin()?;
        let paging = Paging::parse(request.page, request.per_page, 100)?;
        paging
            .fetch(
                |limit, offset| rows(hub.pool(), &request, None, limit, offset),
                |row| row.total,
                InboxMessage::try_from,
            )
            .await
    }
}

impl Handler for SetMessageStatus {
    async fn handle(hub: &Hub, actor: &Actor, request: SetMessageStatusRequest) -> Result<InboxMessage> {
        actor.require_admin()?;
        // Resolving records when; reopening (to new or in progress) clears it.
        let mut tx = hub.begin().await?;
        let updated = sqlx::query!(
            "update contact_messages
                set status = $2,
                    resolved_at = case when $2 = 'resolved' then coalesce(resolved_at, now()) end
              where id = $1",
            request.id,
            request.status.as_str()
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if updated.rows_affected() == 0 {
            return Err(Error::NotFound(format!("contact message {}", request.id)));
        }
        message(hub.pool(), request.id).await
    }
}

impl Handler for AssignMessage {
    async fn handle(hub: &Hub, actor: &Actor, request: AssignMessageRequest) -> Result<InboxMessage> {
        actor.require_admin()?;
        if let Some(admin) = request.assigned_to {
            let is_active_admin =
                sqlx::query_scalar!("select is_admin and is_active from users where id = $1", admin)
                    .fetch_optional(hub.pool())
                    .await?
                    .flatten()
                    .unwrap_or(false);
            if !is_active_admin {
                return Err(Error::validation("assigned_to", "must be an active administrator"));
            }
        }
        let mut tx = hub.begin().await?;
        let updated = sqlx::query!(
            "update contact_messages set assigned_to = $2 where id = $1",
            request.id,
            request.assigned_to
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if updated.rows_affected() == 0 {
            return Err(Error::NotFound(format!("contact message {}", request.id)));
        }
        message(hub.pool(), request.id).await
    }
}

impl Handler for CountNewMessages {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<NewMessages> {
        actor.require_admin()?;
        let count =
            sqlx::query_scalar!("select count(*) as \"count!\" from contact_messages where status = 'new'")
                .fetch_one(hub.pool())
                .await?;
        Ok(NewMessages { count })
    }
}

/// The message `id` and the replies mailed to its sender, oldest first.
async fn thread(pool: &PgPool, id: i64) -> Result<MessageThread> {
    let message = message(pool, id).await?;
    let replies = sqlx::query_as!(
        InboxReply,
        r#"select r.id, r.body, d.display_name as "replied_by?", r.created_at
             from contact_replies r left join user_directory d on d.user_id = r.replied_by
            where r.message_id = $1 order by r.created_at, r.id"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(MessageThread { message, replies })
}

impl Handler for GetMessageThread {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<MessageThread> {
        actor.require_admin()?;
        thread(hub.pool(), request.id).await
    }
}

impl Handler for ReplyToMessage {
    /// Keeps the reply and queues it to the visitor in one transaction, from the hub's address
    /// (replies to it go to the site's contact address, when it has one); a new message
    /// answered is in progress, and the one who answered looks after it unless someone does.
    async fn handle(hub: &Hub, actor: &Actor, request: ReplyToMessageRequest) -> Result<MessageThread> {
        let admin = actor.require_admin()?;
        let body = request.body.trim();
        if body.is_empty() {
            return Err(Error::validation("body", "write your reply"));
        }
        if body.chars().count() > 10_000 {
            return Err(Error::validation("body", "is longer than 10000 characters"));
        }
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let original = sqlx::query!(
            "select email, subject, message, created_at from contact_messages where id = $1 for update",
            request.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("contact message {}", request.id)))?;
        let to = Email::parse("email", &original.email).map_err(|_| {
            Error::Conflict(format!("the sender's address {:?} cannot take mail", original.email))
        })?;
        let replied_by =
            sqlx::query_scalar!("select display_name from user_directory where user_id = $1", admin.id)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or_else(|| "The team".to_owned());
        let reply = sqlx::query_scalar!(
            "insert into contact_replies (message_id, body, replied_by) values ($1, $2, $3) returning id",
            request.id,
            body,
            admin.id
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "update contact_messages set status = 'in_progress', assigned_to = coalesce(assigned_to, $2)
              where id = $1 and status = 'new'",
            request.id,
            admin.id
        )
        .execute(&mut *tx)
        .await?;
        let composed = ReplyMessage {
            brand: &brand,
            about: original.subject.as_deref().map(str::trim).filter(|about| !about.is_empty()),
            body,
            replied_by: &replied_by,
            written_on: original.created_at.format("%-d %B %Y").to_string(),
            original: &original.message,
        }
        .compose();
        let mut outgoing = composed.to(to.as_str(), format!("contact_reply:{reply}"));
        outgoing.reply_to = brand
            .contact_email
            .as_deref()
            .and_then(|address| Email::parse("reply_to", address).ok())
            .map(|address| address.as_str().to_owned());
        outbox::enqueue(&mut tx, &outgoing).await?;
        tx.commit().await?;
        thread(hub.pool(), request.id).await
    }
}
