//! Announcements: instructors post only to the cohorts they teach, and each person's feed
//! holds what is meant for them, when it is due.

use hub_model::announcements::{
    Audience, CreateAnnouncementRequest, FeedItem, MarkRead, SaveAnnouncementRequest,
};
use hub_model::ops::{AnnouncementFeed, CreateAnnouncement, MarkAnnouncementsRead, SaveAnnouncement};
use hub_model::programs::CohortRole;
use hub_model::NoRequest;
use hub_tests::{user_id, Caller, CohortBuilder};
use sqlx::PgPool;

/// An admin's announcement, published now, for everyone in `audience`.
fn news(title: &str, body: &str, audience: Audience) -> SaveAnnouncementRequest {
    SaveAnnouncementRequest {
        id: None,
        title: title.to_owned(),
        body: body.to_owned(),
        target_audience: audience,
        cohort_id: None,
        is_published: true,
        publish_at: None,
    }
}

async fn feed(caller: &Caller) -> Vec<FeedItem> {
    caller.call::<AnnouncementFeed>(&NoRequest {}).await.unwrap()
}

fn titles(feed: &[FeedItem]) -> Vec<&str> {
    feed.iter().map(|item| item.title.as_str()).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn instructors_post_to_their_cohorts_and_feeds_show_each_person_their_own(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let web = CohortBuilder::new(&pool, "web")
        .staff("karim@example.org", CohortRole::Assistant)
        .students(1)
        .build()
        .await;
    // Another cohort, which Karim does not teach, and its student.
    let data = CohortBuilder::new(&pool, "data").students(1).build().await;
    let instructor = Caller::as_user(&pool, web.staff[0]);
    let student = Caller::as_user(&pool, user_id(&pool, "web-1@bench.example.org").await);
    let outsider = Caller::as_user(&pool, user_id(&pool, "data-1@bench.example.org").await);
    // News for everyone, so that each feed holds more than one item.
    admin.call::<SaveAnnouncement>(&news("Welcome", "Doors open at nine.", Audience::All)).await.unwrap();

    let post = |cohort: i64, audience: Audience| CreateAnnouncementRequest {
        title: "Bring laptops".to_owned(),
        body: "We pair tomorrow.".to_owned(),
        target_audience: audience,
        cohort_id: cohort,
    };
    let refused = instructor.call::<CreateAnnouncement>(&post(data.id, Audience::Student)).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden, "{refused:?}");
    let url = hub_tests::database_url(&pool);
    let for_data = post(data.id, Audience::Student);
    let refused =
        hub_tests::hubctl_call::<CreateAnnouncement>(&url, "karim@example.org", &for_data).unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden, "the same through hubctl: {refused:?}");
    instructor
        .refuses::<CreateAnnouncement>(&post(web.id, Audience::All), "target_audience", "students")
        .await;
    let posted = instructor.call::<CreateAnnouncement>(&post(web.id, Audience::Student)).await.unwrap();
    assert_eq!(posted.cohort_id, Some(web.id));

    // Scheduled and unpublished news stays out of every feed until due.
    let next_term = SaveAnnouncementRequest {
        publish_at: Some("2099-01-01T00:00:00Z".parse().unwrap()),
        ..news("Next term", "Soon.", Audience::All)
    };
    admin.call::<SaveAnnouncement>(&next_term).await.unwrap();
    let draft = SaveAnnouncementRequest { is_published: false, ..news("Draft", "Not yet.", Audience::All) };
    admin.call::<SaveAnnouncement>(&draft).await.unwrap();
    let staff_meeting = news("Staff meeting", "Friday.", Audience::Admin);
    let staff = admin.call::<SaveAnnouncement>(&staff_meeting).await.unwrap();

    let student_feed = feed(&student).await;
    assert!(titles(&student_feed).contains(&"Bring laptops"), "{student_feed:?}");
    let outsider_feed = feed(&outsider).await;
    assert!(!titles(&outsider_feed).contains(&"Bring laptops"), "another cohort's post: {outsider_feed:?}");
    let instructor_feed = feed(&instructor).await;
    assert!(titles(&instructor_feed).contains(&"Bring laptops"), "their own cohort's: {instructor_feed:?}");
    for feed in [&student_feed, &outsider_feed, &instructor_feed] {
        assert!(
            !titles(feed).iter().any(|title| ["Next term", "Draft", "Staff meeting"].contains(title)),
            "{feed:?}"
        );
    }
    let admin_feed = feed(&admin).await;
    let admin_titles = titles(&admin_feed);
    assert!(admin_titles.contains(&"Staff meeting") && !admin_titles.contains(&"Draft"), "{admin_feed:?}");
    assert_eq!(admin_titles[0], "Staff meeting", "newest first");

    // Read marks are each person's own.
    assert!(student_feed.len() > 1 && student_feed.iter().all(|item| !item.is_read), "all unread at first");
    let read = MarkRead { ids: vec![posted.id] };
    student.call::<MarkAnnouncementsRead>(&read).await.unwrap();
    student.call::<MarkAnnouncementsRead>(&read).await.unwrap();
    let student_feed = feed(&student).await;
    assert_eq!(student_feed.iter().filter(|item| item.is_read).count(), 1, "{student_feed:?}");
    assert!(feed(&instructor).await.iter().all(|item| !item.is_read), "another person's marks are theirs");

    // Unpublishing takes it out of the feeds.
    let withdrawn = SaveAnnouncementRequest { id: Some(staff.id), is_published: false, ..staff_meeting };
    admin.call::<SaveAnnouncement>(&withdrawn).await.unwrap();
    assert!(!titles(&feed(&admin).await).contains(&"Staff meeting"));
}
