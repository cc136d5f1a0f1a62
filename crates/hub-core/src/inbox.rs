//! The contact inbox: what visitors sent through the website, worked through by admins.

use crate::ops::Handler;
use crate::paging::Paging;
use crate::{Actor, Error, Hub, Result};
use hub_model::inbox::{
    AssignMessage, InboxMessage, ListMessagesRequest, MessagePage, MessageStatus, NewMessages,
    SetMessageStatus,
};
use hub_model::ops::{AssignMessageOp, CountNewMessages, ListMessages, SetMessageStatusOp};
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

impl From<Row> for InboxMessage {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            subject: row.subject,
            message: row.message,
            status: MessageStatus::parse(&row.status).unwrap_or(MessageStatus::New),
            assigned_to: row.assigned_to,
            assigned_name: row.assigned_name,
            created_at: row.created_at,
            resolved_at: row.resolved_at,
        }
    }
}

#[allow(clippy::too_many_arguments)] // The filter's parts, as the one statement takes them.
async fn rows(
    pool: &PgPool,
    status: Option<MessageStatus>,
    assigned_to: Option<i64>,
    pattern: Option<&str>,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    Ok(sqlx::query_as!(
        Row,
        r#"select m.id, m.name, m.email, m.phone, m.subject, m.message, m.status, m.assigned_to,
                  d.display_name as "assigned_name?", m.created_at, m.resolved_at, count(*) over () as "total!"
             from contact_messages m left join user_directory d on d.user_id = m.assigned_to
            where ($1::text is null or m.status = $1)
              and ($2::bigint is null or m.assigned_to = $2)
              and ($3::text is null or lower(m.name) like $3 or lower(m.email) like $3
                   or lower(coalesce(m.subject, '')) like $3 or lower(m.message) like $3)
              and ($4::bigint is null or m.id = $4)
            order by case m.status when 'new' then 0 when 'in_progress' then 1 else 2 end, m.created_at desc, m.id desc
            limit $5 offset $6"#,
        status.map(MessageStatus::as_str),
        assigned_to,
        pattern,
        id,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?)
}

async fn message(pool: &PgPool, id: i64) -> Result<InboxMessage> {
    rows(pool, None, None, None, Some(id), 1, 0)
        .await?
        .pop()
        .map(InboxMessage::from)
        .ok_or_else(|| Error::NotFound(format!("contact message {id}")))
}

impl Handler for ListMessages {
    async fn handle(hub: &Hub, actor: &Actor, request: ListMessagesRequest) -> Result<MessagePage> {
        actor.require_admin()?;
        let paging = Paging::parse(request.page, request.per_page, 100)?;
        let pattern = crate::text::like_pattern(request.search.as_deref());
        let (pool, status, assigned_to) = (hub.pool(), request.status, request.assigned_to);
        paging
            .fetch(
                |limit, offset| rows(pool, status, assigned_to, pattern.as_deref(), None, limit, offset),
                |row| row.total,
                InboxMessage::from,
            )
            .await
    }
}

impl Handler for SetMessageStatusOp {
    async fn handle(hub: &Hub, actor: &Actor, request: SetMessageStatus) -> Result<InboxMessage> {
        actor.require_admin()?;
        // Resolving records when; reopening (to new or in progress) clears it.
        let updated = sqlx::query!(
            "update contact_messages
                set status = $2,
                    resolved_at = case when $2 = 'resolved' then coalesce(resolved_at, now()) end
              where id = $1",
            request.id,
            request.status.as_str()
        )
        .execute(hub.pool())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(Error::NotFound(format!("contact message {}", request.id)));
        }
        message(hub.pool(), request.id).await
    }
}

impl Handler for AssignMessageOp {
    async fn handle(hub: &Hub, actor: &Actor, request: AssignMessage) -> Result<InboxMessage> {
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
        let updated = sqlx::query!(
            "update contact_messages set assigned_to = $2 where id = $1",
            request.id,
            request.assigned_to
        )
        .execute(hub.pool())
        .await?;
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
