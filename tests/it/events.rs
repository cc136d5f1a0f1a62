//! Events as admins schedule them; ended ones become done without anyone touching them.

use chrono::{DateTime, Utc};
use hub_model::events::{EventsWhen, ListEventsRequest, SaveEventRequest, SetEventDoneRequest};
use hub_model::ops;
use hub_tests::{database_url, hubctl, Caller};
use sqlx::PgPool;

/// The open day of 1 May 2030, 09:00, as an admin first types it.
fn open_day() -> SaveEventRequest {
    SaveEventRequest {
        id: None,
        slug: "open-day".to_owned(),
        title: "Open day".to_owned(),
        description: None,
        location: None,
        starts_at: at("2030-05-01T09:00:00Z"),
        ends_at: None,
        is_published: false,
    }
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn events_check_their_times_fall_back_to_the_site_location_and_are_marked_done_by_hand(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let early_end = SaveEventRequest { ends_at: Some(at("2030-05-01T08:00:00Z")), ..open_day() };
    admin.refuses::<ops::SaveEvent>(&early_end, "ends_at", "before the start").await;
    let untitled = SaveEventRequest { title: " ".to_owned(), ..open_day() };
    admin.refuses::<ops::SaveEvent>(&untitled, "title", "enter").await;
    let bad_slug = SaveEventRequest { slug: "Open Day".to_owned(), ..open_day() };
    admin.refuses::<ops::SaveEvent>(&bad_slug, "slug", "").await;
    let blank_location =
        SaveEventRequest { location: Some("  ".to_owned()), is_published: true, ..open_day() };
    let saved = admin.call::<ops::SaveEvent>(&blank_location).await.unwrap();
    assert_eq!(saved.location, None);
    assert_eq!(saved.shown_location, "Digital Hub", "the site's default location");
    admin.refuses::<ops::SaveEvent>(&open_day(), "slug", "already used").await;

    let done =
        admin.call::<ops::SetEventDone>(&SetEventDoneRequest { id: saved.id, is_done: true }).await.unwrap();
    assert!(done.done_at.is_some());
    let upcoming = ListEventsRequest { when: EventsWhen::Upcoming, ..ListEventsRequest::default() };
    assert_eq!(admin.call::<ops::ListEvents>(&upcoming).await.unwrap().items, [], "a done event is past");
    let undone =
        admin.call::<ops::SetEventDone>(&SetEventDoneRequest { id: saved.id, is_done: false }).await.unwrap();
    assert_eq!((undone.is_done, undone.done_at), (false, None));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_event_that_has_ended_is_done_on_the_website_and_then_in_the_database(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let last_week = SaveEventRequest {
        slug: "last-week".to_owned(),
        title: "Last week's talk".to_owned(),
        starts_at: at("2020-01-01T17:00:00Z"),
        ends_at: Some(at("2020-01-01T19:00:00Z")),
        is_published: true,
        ..open_day()
    };
    let ended = admin.call::<ops::SaveEvent>(&last_week).await.unwrap();
    assert!(!ended.is_done, "nobody marked it");
    let api = hub_tests::PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let public = api.get("/public/events/last-week").await;
    assert_eq!(public.status, 200, "{public:?}");
    assert_eq!(public.json()["is_done"], true, "the website sees it done as soon as it has ended");
    let undo = SetEventDoneRequest { id: ended.id, is_done: false };
    admin.refuses::<ops::SetEventDone>(&undo, "is_done", "has ended").await;

    let run = hubctl(Some(&database_url(&pool)), &["mark-ended-events"], "");
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("1 ended event marked done."), "{run:?}");
    let search = ListEventsRequest { search: Some("last-week".to_owned()), ..ListEventsRequest::default() };
    let stored = admin.call::<ops::ListEvents>(&search).await.unwrap();
    assert_eq!(
        (stored.items[0].is_done, stored.items[0].done_at),
        (true, Some(at("2020-01-01T19:00:00Z"))),
        "done when it ended"
    );
}
