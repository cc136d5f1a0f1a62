//! The admin lists (programs, cohorts, events, announcements) as the screens page through
//! them: search, filters, sort both ways, pages that say how many there are; and the
//! cohort page with its students and sessions.

use hub_model::ops;
use hub_model::programs::{CohortRole, EnrollmentStatus, TakingPart};
use hub_model::NoRequest;
use hub_tests::Caller;
use serde_json::{json, Value};
use sqlx::PgPool;

fn names(page: &Value, key: &str) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|item| item[key].as_str().unwrap().to_owned()).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn cohorts_search_filter_sort_and_page(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let all = admin.call_json("cohorts.list", json!({ "sort": "name", "per_page": 100 })).await.unwrap();
    let total = all["total"].as_i64().unwrap();
    assert!(total >= 5, "{all}");
    let mut sorted = names(&all, "name");
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names(&all, "name"), sorted, "by name, A–Z");
    let backwards =
        admin.call_json("cohorts.list", json!({ "sort": "name", "descending": true, "per_page": 100 })).await;
    sorted.reverse();
    assert_eq!(names(&backwards.unwrap(), "name"), sorted, "by name, Z–A");

    let second =
        admin.call_json("cohorts.list", json!({ "sort": "name", "per_page": 2, "page": 2 })).await.unwrap();
    assert_eq!(names(&second, "name"), names(&all, "name")[2..4].to_vec(), "the second page of two");
    assert_eq!(second["total"], total, "every page says how many there are in all");
    let past = admin.call_json("cohorts.list", json!({ "per_page": 2, "page": 99 })).await.unwrap();
    assert_eq!((past["items"].as_array().unwrap().len(), past["total"].as_i64()), (0, Some(total)));

    let running = admin.call_json("cohorts.list", json!({ "status": "running" })).await.unwrap();
    assert!(running["items"].as_array().unwrap().iter().all(|cohort| cohort["status"] == "running"));
    let program = all["items"][0]["program_title"].as_str().unwrap().to_owned();
    let found = admin.call_json("cohorts.list", json!({ "search": program.to_uppercase() })).await.unwrap();
    assert!(found["total"].as_i64().unwrap() >= 1);
    assert!(found["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|cohort| cohort["program_title"] == program.as_str()));
    let nothing =
        admin.call_json("cohorts.list", json!({ "search": "no such cohort at all" })).await.unwrap();
    assert_eq!((nothing["items"].clone(), nothing["total"].as_i64()), (json!([]), Some(0)));

    admin.refused("cohorts.list", json!({ "per_page": 500 }), "per_page", "between 1 and 100").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_cohort_page_lists_instructors_students_and_sessions(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let running = admin.call_json("cohorts.list", json!({ "status": "running" })).await.unwrap();
    let id = running["items"][0]["id"].clone();
    let page = admin.call_json("cohorts.get", json!({ "id": id })).await.unwrap();
    let students = page["students"].as_array().unwrap();
    let holding_seats = students.iter().filter(|student| student["status"] != "dropped").count();
    assert_eq!(page["cohort"]["seats_used"].as_u64(), Some(holding_seats as u64));
    assert!(students.iter().any(|student| student["status"] == "dropped"), "the demo has a dropped student");
    assert_eq!(students.last().unwrap()["status"], "dropped", "dropped students come last");
    assert!(!page["cohort"]["instructors"].as_array().unwrap().is_empty());
    let dates: Vec<&str> =
        page["sessions"].as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert!(!dates.is_empty());
    assert!(dates.windows(2).all(|pair| pair[0] <= pair[1]), "sessions in date order: {dates:?}");
    let missing = admin.call_json("cohorts.get", json!({ "id": 999_999 })).await.unwrap_err();
    assert_eq!(missing.kind, hub_model::ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn programs_sort_by_cohorts_and_filter_by_published(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    admin
        .call_json(
            "programs.save",
            json!({ "slug": "draft-course", "title": "A draft course", "is_published": false }),
        )
        .await
        .unwrap();
    let most =
        admin.call_json("programs.list", json!({ "sort": "cohorts", "descending": true })).await.unwrap();
    let counts: Vec<i64> =
        most["items"].as_array().unwrap().iter().map(|p| p["cohorts"].as_i64().unwrap()).collect();
    assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "{counts:?}");
    let drafts = admin.call_json("programs.list", json!({ "published": false })).await.unwrap();
    assert_eq!(names(&drafts, "slug"), ["draft-course"]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn announcements_filter_by_state_and_audience(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let post = |title: &'static str, published: bool, publish_at: Option<&'static str>| {
        json!({ "title": title, "body": "Body.", "target_audience": "student",
                "is_published": published, "publish_at": publish_at })
    };
    for request in [
        post("Live now", true, None),
        post("Next year", true, Some("2099-01-01T09:00:00Z")),
        post("Withdrawn", false, None),
    ] {
        admin.call_json("announcements.save", request).await.unwrap();
    }
    admin
        .call_json(
            "announcements.save",
            json!({ "title": "For staff", "body": "B.", "target_audience": "admin" }),
        )
        .await
        .unwrap();
    for (state, expected) in [
        ("live", vec!["For staff", "Live now"]),
        ("scheduled", vec!["Next year"]),
        ("unpublished", vec!["Withdrawn"]),
    ] {
        let found =
            admin.call_json("announcements.list", json!({ "state": state, "sort": "title" })).await.unwrap();
        assert_eq!(names(&found, "title"), expected, "{state}");
        assert!(found["items"].as_array().unwrap().iter().all(|item| item["state"] == state));
    }
    let staff = admin.call_json("announcements.list", json!({ "audience": "admin" })).await.unwrap();
    assert_eq!(names(&staff, "title"), ["For staff"]);
    let newest = admin.call_json("announcements.list", json!({})).await.unwrap();
    assert_eq!(names(&newest, "title")[0], "Next year", "newest first, by when it shows");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_event_can_be_deleted_and_is_gone_from_every_list(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let event = admin
        .call_json(
            "events.save",
            json!({ "slug": "open-day", "title": "Open day", "starts_at": "2099-03-01T10:00:00Z" }),
        )
        .await
        .unwrap();
    let drafts = admin.call_json("events.list", json!({ "published": false })).await.unwrap();
    assert_eq!(names(&drafts, "slug"), ["open-day"]);
    admin.call_json("events.delete", json!({ "id": event["id"] })).await.unwrap();
    let all = admin.call_json("events.list", json!({})).await.unwrap();
    assert_eq!(all["total"], 0);
    let again = admin.call_json("events.delete", json!({ "id": event["id"] })).await.unwrap_err();
    assert_eq!(again.kind, hub_model::ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_person_sees_the_cohorts_they_teach_and_study_in(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let mine = |email: &'static str| {
        let pool = pool.clone();
        async move {
            let caller = Caller::as_user(&pool, hub_tests::user_id(&pool, email).await);
            let found = caller.call::<ops::MyCohorts>(&NoRequest {}).await.unwrap();
            found.into_iter().map(|cohort| (cohort.name, cohort.taking_part)).collect::<Vec<_>>()
        }
    };
    let taught = mine("instructor@demo.digitalhub.dev").await;
    assert_eq!(taught.len(), 2, "{taught:?}");
    assert!(taught.iter().all(|(_, part)| !part.is_studying()), "{taught:?}");
    assert_eq!(
        mine("student@demo.digitalhub.dev").await,
        [("Autumn 2026".to_owned(), TakingPart::Studying { status: EnrollmentStatus::Active })]
    );
    let mentor = mine("mentor@demo.digitalhub.dev").await;
    assert!(
        mentor.iter().any(|(_, part)| part.is_studying())
            && mentor.iter().any(|(_, part)| *part == TakingPart::Teaching { role: CohortRole::Mentor }),
        "{mentor:?}"
    );
    let admin = Caller::admin(&pool).await;
    assert_eq!(
        admin.call::<ops::MyCohorts>(&NoRequest {}).await.unwrap(),
        [],
        "an admin who neither teaches nor studies"
    );
}
