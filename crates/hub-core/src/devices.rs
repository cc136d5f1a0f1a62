//! The `devices.*` operations: where a person is signed in (their live hub sessions), and
//! an administrator ending one or all of them.

use crate::ops::Handler;
use crate::staff_sessions::{revoke, revoke_all, RevokeReason};
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::IdRequest;
use hub_model::devices::{DeviceSession, Revoked, UserDevicesRequest};
use hub_model::ops::{ListDevices, RevokeAllDevices, RevokeDevice};

impl Handler for ListDevices {
    async fn handle(hub: &Hub, actor: &Actor, request: UserDevicesRequest) -> Result<Vec<DeviceSession>> {
        let me = actor.require_admin()?;
        let rows = sqlx::query!(
            r#"select id, device, created_at, last_seen_at, last_address,
                      least(idle_expires_at, expires_at) as "ends_at!"
                 from staff_sessions
                where user_id = $1 and revoked_at is null and idle_expires_at > now() and expires_at > now()
                order by last_seen_at desc, id desc"#,
            request.user_id
        )
        .fetch_all(hub.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| DeviceSession {
                current: me.session_id == Some(row.id),
                id: row.id,
                device: row.device,
                signed_in_at: row.created_at,
                last_seen_at: row.last_seen_at,
                last_address: row.last_address,
                ends_at: row.ends_at,
            })
            .collect())
    }
}

impl Handler for RevokeDevice {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Revoked> {
        actor.require_admin()?;
        let ended =
            revoke(&mut *hub.pool().acquire().await?, request.id, RevokeReason::RevokedByAdmin).await?;
        Ok(Revoked { revoked: i64::from(ended) })
    }
}

impl Handler for RevokeAllDevices {
    async fn handle(hub: &Hub, actor: &Actor, request: UserDevicesRequest) -> Result<Revoked> {
        actor.require_admin()?;
        let mut connection = hub.pool().acquire().await?;
        let exists = sqlx::query_scalar!(
            r#"select exists(select 1 from users where id = $1) as "exists!""#,
            request.user_id
        )
        .fetch_one(&mut *connection)
        .await?;
        if !exists {
            return Err(Error::NotFound(format!("user {}", request.user_id)));
        }
        let revoked =
            revoke_all(&mut connection, request.user_id, RevokeReason::RevokedByAdmin, None).await?;
        Ok(Revoked { revoked })
    }
}
