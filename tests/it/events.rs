//! Events as admins schedule them; ended ones become done without anyone touching them.

use hub_tests::{database_url, hubctl, Caller};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn events_check_their_times_fall_back_to_the_site_location_and_are_marked_done_by_hand(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let event = |extra: serde_json::Value| {
        let mut request =
            json!({ "slug": "open-day", "title": "Open day", "starts_at": "2030-05-01T09:00:00Z" });
        request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        request
    };
    admin
        .refused(
            "events.save",
            event(json!({ "ends_at": "2030-05-01T08:00:00Z" })),
            "ends_at",
            "before the start",
        )
        .await;
    admin.refused("events.save", event(json!({ "title": " " })), "title", "enter").await;
    admin.refused("events.save", event(json!({ "slug": "Open Day" })), "slug", "").await;
    let saved = admin
        .call_json("events.save", event(json!({ "location": "  ", "is_published": true })))
        .await
        .unwrap();
    assert_eq!(saved["location"], serde_json::Value::Null);
    assert_eq!(saved["shown_location"], "Digital Hub", "the site's default location");
    admin.refused("events.save", event(json!({})), "slug", "already used").await;

    let done =
        admin.call_json("events.set_done", json!({ "id": saved["id"], "is_done": true })).await.unwrap();
    assert!(done["done_at"].is_string());
    let upcoming = admin.call_json("events.list", json!({ "when": "upcoming" })).await.unwrap();
    assert_eq!(upcoming["items"], json!([]), "a done event is past");
    let undone =
        admin.call_json("events.set_done", json!({ "id": saved["id"], "is_done": false })).await.unwrap();
    assert_eq!((undone["is_done"].as_bool(), undone["done_at"].is_null()), (Some(false), true));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_event_that_has_ended_is_done_on_the_website_and_then_in_the_database(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let ended = admin
        .call_json(
            "events.save",
            json!({ "slug": "last-week", "title": "Last week's talk", "is_published": true,
                    "starts_at": "2020-01-01T17:00:00Z", "ends_at": "2020-01-01T19:00:00Z" }),
        )
        .await
        .unwrap();
    assert_eq!(ended["is_done"], false, "nobody marked it");
    let api = hub_tests::PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let public = api.get("/public/events/last-week").await;
    assert_eq!(public.status, 200, "{public:?}");
    assert_eq!(public.json()["is_done"], true, "the website sees it done as soon as it has ended");
    admin
        .refused("events.set_done", json!({ "id": ended["id"], "is_done": false }), "is_done", "has ended")
        .await;

    let run = hubctl(Some(&database_url(&pool)), &["mark-ended-events"], "");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("1 ended event(s) marked done."), "{run:?}");
    let stored = admin.call_json("events.list", json!({ "search": "last-week" })).await.unwrap();
    assert_eq!(stored["items"][0]["is_done"], true);
    assert_eq!(stored["items"][0]["done_at"], "2020-01-01T19:00:00Z");
}
