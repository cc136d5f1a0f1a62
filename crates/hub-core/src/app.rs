//! `app.info`: the version, and whether the database can be used; `app.theme`: the
//! desktop's colors.

use crate::db::{describe_connect_error, newer_schema_error, probe, schema_status};
use crate::error::is_connection_error;
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::app::{AppInfoResponse, DatabaseStatus, SchemaState};
use hub_model::cms::{AppTheme, AppThemeToken};
use hub_model::ops::{AppInfo, GetAppTheme};
use hub_model::NoRequest;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

impl Handler for AppInfo {
    async fn handle(hub: &Hub, actor: &Actor, _request: NoRequest) -> Result<AppInfoResponse> {
        let mut database = database_status(hub).await;
        // Why the database cannot be used names hosts, ports and roles: over the network,
        // only administrators read it; everyone else learns that the operator must act.
        let admin = actor.signed_in().is_some_and(|me| me.is_admin);
        if actor.is_remote() && !admin {
            if let Some(problem) = &mut database.problem {
                *problem = "the hub's database needs its operator's attention".to_owned();
            }
        }
        Ok(AppInfoResponse { version: VERSION.to_owned(), database })
    }
}

impl Handler for GetAppTheme {
    async fn handle(hub: &Hub, _: &Actor, _: NoRequest) -> Result<AppTheme> {
        // Admin tokens come last, so they win over global ones of the same name.
        let tokens = sqlx::query_as!(
            AppThemeToken,
            "select key, value from theme_tokens where scope in ('global', 'admin')
              order by case scope when 'global' then 0 else 1 end, key"
        )
        .fetch_all(hub.pool())
        .await?;
        Ok(AppTheme { tokens })
    }
}

/// The database's state as one value: reachable or not, and why not, in a line.
pub async fn database_status(hub: &Hub) -> DatabaseStatus {
    // With no connection open yet, one direct attempt answers at once when the server is
    // down, where the pool would wait out its timeout first.
    if hub.pool().size() == 0 {
        if let Err(reason) = probe(&hub.pool().connect_options()).await {
            return DatabaseStatus { reachable: false, problem: Some(reason.to_string()), schema: None };
        }
    }
    match schema_status(hub.pool()).await {
        Ok(schema) => {
            let problem = match schema.state {
                SchemaState::Current => None,
                SchemaState::Behind => Some(format!(
                    "the database's schema is at version {}, this build needs {}; run `hubctl migrate`",
                    schema.applied.unwrap_or_default(),
                    schema.expected
                )),
                SchemaState::Ahead => Some(newer_schema_error(&schema).to_string()),
            };
            DatabaseStatus { reachable: true, problem, schema: Some(schema) }
        }
        Err(Error::Db(error)) if is_connection_error(&error) || matches!(error, sqlx::Error::Database(_)) => {
            // The pool only knows it timed out; one direct attempt tells why.
            let problem = match probe(&hub.pool().connect_options()).await {
                Err(reason) => reason.to_string(),
                Ok(()) => describe_connect_error(&hub.target(), &error),
            };
            DatabaseStatus { reachable: false, problem: Some(problem), schema: None }
        }
        Err(error) => {
            DatabaseStatus { reachable: false, problem: Some(error.to_api().message), schema: None }
        }
    }
}
