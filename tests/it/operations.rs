//! The operation table's dispatcher: access checked before handlers, actors re-read each call.

use hub_core::{ops, Caller, Hub};
use hub_model::{Access, ErrorKind};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn app_info_reports_the_version_and_a_current_schema_to_anyone(pool: PgPool) {
    let hub = Hub::new(pool);
    let info = ops::call(&hub, &Caller::anonymous(), "app.info", json!({})).await.unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["database"]["reachable"], true);
    assert_eq!(info["database"]["schema"]["state"], "current");
    assert_eq!(info["database"]["problem"], serde_json::Value::Null);
}

#[sqlx::test(migrations = false)]
async fn app_info_on_an_unmigrated_database_says_to_migrate(pool: PgPool) {
    let hub = Hub::new(pool);
    let info = ops::call(&hub, &Caller::anonymous(), "app.info", serde_json::Value::Null).await.unwrap();
    assert_eq!(info["database"]["schema"]["state"], "behind");
    assert!(info["database"]["problem"].as_str().unwrap().contains("hubctl migrate"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_deactivated_user_is_refused_on_their_next_call(pool: PgPool) {
    let id: i64 = sqlx::query_scalar(
        "insert into users (email, password_hash) values ('u@example.org', 'x') returning id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let hub = Hub::new(pool.clone());
    ops::call(&hub, &Caller::user(id), "auth.me", json!({})).await.unwrap();
    sqlx::query("update users set is_active = false where id = $1").bind(id).execute(&pool).await.unwrap();
    let error = ops::call(&hub, &Caller::user(id), "auth.me", json!({})).await.unwrap_err().to_api();
    assert_eq!(error.kind, ErrorKind::Unauthenticated);
    assert!(error.message.contains("deactivated"), "{}", error.message);
    // What anyone may do still works, as for nobody: the status line keeps reporting.
    let info = ops::call(&hub, &Caller::user(id), "app.info", json!({})).await.unwrap();
    assert_eq!(info["database"]["reachable"], true);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn unknown_operations_and_malformed_requests_are_refused_clearly(pool: PgPool) {
    let hub = Hub::new(pool);
    let unknown =
        ops::call(&hub, &Caller::anonymous(), "cohorts.explode", json!({})).await.unwrap_err().to_api();
    assert_eq!(unknown.kind, ErrorKind::NotFound);
    assert!(unknown.message.contains("cohorts.explode"));
    let malformed =
        ops::call(&hub, &Caller::anonymous(), "app.info", json!([1, 2])).await.unwrap_err().to_api();
    assert_eq!(malformed.kind, ErrorKind::Validation);
    assert_eq!(malformed.field.as_deref(), Some("request"));
}

#[test]
fn every_operation_declares_an_access_rule_and_a_summary() {
    assert!(ops::find("app.info").is_some_and(|operation| operation.access == Access::Anyone));
    for operation in ops::OPERATIONS {
        assert!(!operation.summary.is_empty(), "{} has no summary", operation.name);
    }
}
