//! Announcements on the demo hub: instructors post only to the cohorts they teach, and
//! each person's feed holds what is meant for them, when it is due.

use hub_tests::Caller;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn demo_user(pool: &PgPool, email: &str) -> Caller {
    Caller::as_user(pool, hub_tests::user_id(pool, email).await)
}

fn titles(feed: &Value) -> Vec<String> {
    feed.as_array().unwrap().iter().map(|item| item["title"].as_str().unwrap().to_owned()).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn instructors_post_to_their_cohorts_and_feeds_show_each_person_their_own(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = demo_user(&pool, "admin@demo.digitalhub.dev").await;
    let instructor = demo_user(&pool, "instructor@demo.digitalhub.dev").await;
    let student = demo_user(&pool, "student@demo.digitalhub.dev").await;
    // A student of another cohort: enrolled in the open data cohort (3) only.
    let outsider_id: i64 = sqlx::query_scalar(
        "select e.student_user_id from enrollments e join users u on u.id = e.student_user_id
          where e.cohort_id = 3 and u.is_active
            and not exists (select 1 from enrollments o where o.student_user_id = e.student_user_id and o.cohort_id = 2)
          limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let outsider = Caller::as_user(&pool, outsider_id);

    let post = |cohort: i64, audience: &str| json!({ "title": format!("Bring laptops ({cohort})"), "body": "We pair tomorrow.", "target_audience": audience, "cohort_id": cohort });
    let refused = instructor.call_json("announcements.create", post(3, "student")).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden, "{refused:?}");
    let url = hub_tests::database_url(&pool);
    let refused = hub_tests::hubctl_call(
        &url,
        "instructor@demo.digitalhub.dev",
        "announcements.create",
        &post(3, "student"),
    )
    .unwrap_err();
    assert_eq!(refused["kind"], "forbidden", "the same through hubctl: {refused}");
    instructor.refused("announcements.create", post(2, "all"), "target_audience", "students").await;
    let posted = instructor.call_json("announcements.create", post(2, "student")).await.unwrap();
    assert_eq!(posted["cohort_id"], 2);

    // Scheduled and unpublished news stays out of every feed until due.
    admin
        .call_json("announcements.save", json!({ "title": "Next term", "body": "Soon.", "target_audience": "all", "publish_at": "2099-01-01T00:00:00Z" }))
        .await
        .unwrap();
    admin
        .call_json(
            "announcements.save",
            json!({ "title": "Draft", "body": "Not yet.", "target_audience": "all", "is_published": false }),
        )
        .await
        .unwrap();
    let staff = admin
        .call_json(
            "announcements.save",
            json!({ "title": "Staff meeting", "body": "Friday.", "target_audience": "admin" }),
        )
        .await
        .unwrap();

    let student_feed = titles(&student.call_json("announcements.feed", json!({})).await.unwrap());
    assert!(student_feed.contains(&"Bring laptops (2)".to_owned()), "{student_feed:?}");
    let outsider_feed = titles(&outsider.call_json("announcements.feed", json!({})).await.unwrap());
    assert!(
        !outsider_feed.contains(&"Bring laptops (2)".to_owned()),
        "another cohort's post: {outsider_feed:?}"
    );
    let instructor_feed = titles(&instructor.call_json("announcements.feed", json!({})).await.unwrap());
    assert!(
        instructor_feed.contains(&"Bring laptops (2)".to_owned()),
        "their own cohort's: {instructor_feed:?}"
    );
    for feed in [&student_feed, &outsider_feed, &instructor_feed] {
        assert!(
            !feed.iter().any(|title| ["Next term", "Draft", "Staff meeting"].contains(&title.as_str())),
            "{feed:?}"
        );
    }
    let admin_feed = titles(&admin.call_json("announcements.feed", json!({})).await.unwrap());
    assert!(
        admin_feed.contains(&"Staff meeting".to_owned()) && !admin_feed.contains(&"Draft".to_owned()),
        "{admin_feed:?}"
    );
    assert_eq!(admin_feed[0], "Staff meeting", "newest first");

    // Read marks are each person's own.
    let feed = student.call_json("announcements.feed", json!({})).await.unwrap();
    assert!(feed.as_array().unwrap().iter().all(|item| item["is_read"] == false), "all unread at first");
    student.call_json("announcements.mark_read", json!({ "ids": [posted["id"]] })).await.unwrap();
    student.call_json("announcements.mark_read", json!({ "ids": [posted["id"]] })).await.unwrap();
    let feed = student.call_json("announcements.feed", json!({})).await.unwrap();
    let read: Vec<bool> = feed.as_array().unwrap().iter().map(|item| item["is_read"] == true).collect();
    assert_eq!(read.iter().filter(|read| **read).count(), 1, "{feed}");
    let theirs = instructor.call_json("announcements.feed", json!({})).await.unwrap();
    assert!(
        theirs.as_array().unwrap().iter().all(|item| item["is_read"] == false),
        "another person's marks are theirs"
    );

    // Unpublishing takes it out of the feeds.
    admin
        .call_json("announcements.save", json!({ "id": staff["id"], "title": "Staff meeting", "body": "Friday.", "target_audience": "admin", "is_published": false }))
        .await
        .unwrap();
    let admin_feed = titles(&admin.call_json("announcements.feed", json!({})).await.unwrap());
    assert!(!admin_feed.contains(&"Staff meeting".to_owned()));
}
