//! The contact inbox: a visitor's message is worked through to resolved, and back.

use hub_tests::{Caller, TestUser};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_message_is_assigned_resolved_and_reopened_and_the_lists_filter_and_sort_it(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    for (name, message) in [("Rana", "Can I visit on Friday?"), ("Omar", "Is the data program free?")] {
        sqlx::query!(
            "insert into contact_messages (name, email, message) values ($1, 'someone@example.org', $2)",
            name,
            message
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    assert_eq!(admin.call_json("inbox.count_new", json!({})).await.unwrap()["count"], 2);
    let found = admin.call_json("inbox.list", json!({ "search": "friday" })).await.unwrap();
    assert_eq!((found["total"].as_i64(), found["items"][0]["name"].as_str()), (Some(1), Some("Rana")));
    let id = found["items"][0]["id"].clone();

    admin
        .refused(
            "inbox.assign",
            json!({ "id": id, "assigned_to": student }),
            "assigned_to",
            "active administrator",
        )
        .await;
    let assigned =
        admin.call_json("inbox.assign", json!({ "id": id, "assigned_to": admin.id })).await.unwrap();
    assert_eq!(assigned["assigned_name"], "Test admin@example.org");
    admin.call_json("inbox.set_status", json!({ "id": id, "status": "in_progress" })).await.unwrap();
    assert_eq!(admin.call_json("inbox.count_new", json!({})).await.unwrap()["count"], 1);

    let resolved =
        admin.call_json("inbox.set_status", json!({ "id": id, "status": "resolved" })).await.unwrap();
    assert!(resolved["resolved_at"].is_string());
    let mine = admin
        .call_json("inbox.list", json!({ "assigned_to": admin.id, "status": "resolved" }))
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    let nobodys = admin.call_json("inbox.list", json!({ "unassigned": true })).await.unwrap();
    assert_eq!(nobodys["items"][0]["name"], "Omar", "only the message nobody looks after");
    assert_eq!(nobodys["total"], 1);
    let by_name = admin.call_json("inbox.list", json!({ "sort": "name" })).await.unwrap();
    let names: Vec<&str> =
        by_name["items"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Omar", "Rana"]);
    let by_status = admin.call_json("inbox.list", json!({ "sort": "status" })).await.unwrap();
    assert_eq!(by_status["items"][0]["name"], "Omar", "new before resolved");
    let by_status =
        admin.call_json("inbox.list", json!({ "sort": "status", "descending": true })).await.unwrap();
    assert_eq!(by_status["items"][0]["name"], "Rana", "resolved before new");
    let reopened =
        admin.call_json("inbox.set_status", json!({ "id": id, "status": "in_progress" })).await.unwrap();
    assert!(reopened["resolved_at"].is_null(), "reopening clears when it was resolved");
    let missing = admin
        .call_json("inbox.set_status", json!({ "id": 999_999, "status": "resolved" }))
        .await
        .unwrap_err();
    assert_eq!(missing.kind, hub_model::ErrorKind::NotFound);
}
