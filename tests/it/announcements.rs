//! Announcements: instructors post only to the cohorts they teach, and each person's feed
//! holds what is meant for them, when it is due.

use hub_model::announcements::{
    Audience, CreateAnnouncementRequest, FeedItem, MarkRead, SaveAnnouncementRequest,
};
use hub_model::ops::{AnnouncementFeed, CreateAnnouncement, MarkAnnouncementsRead, SaveAnnouncement};
use hub_model::programs::CohortRole;
use hub_model::NoRequest;
use hub_tests::smtp::SmtpServer;
use hub_tests::{user_id, Caller, CohortBuilder};
use sqlx::PgPool;
use std::time::Duration;

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
        send_email: false,
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
        send_email: false,
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

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn announcements_also_sent_by_email_reach_each_person_of_their_audience_once(pool: PgPool) {
    let smtp = SmtpServer::start();
    let admin = Caller::admin(&pool).await;
    let web = CohortBuilder::new(&pool, "web")
        .staff("karim@example.org", CohortRole::Lead)
        .students(3)
        .build()
        .await;
    CohortBuilder::new(&pool, "data").students(1).build().await;
    // A student who left: deactivated, mailed nothing.
    sqlx::query("update users set is_active = false where email = 'web-3@bench.example.org'")
        .execute(&pool)
        .await
        .unwrap();
    let _worker = crate::mail::Worker::start(&pool, crate::mail::quick(&smtp.url()));
    let mailed = |title: &str| SaveAnnouncementRequest {
        send_email: true,
        ..news(title, "Read this.", Audience::All)
    };

    // For the web cohort's students, published now: mailed with the publishing.
    let exams = SaveAnnouncementRequest {
        target_audience: Audience::Student,
        cohort_id: Some(web.id),
        ..mailed("Exams")
    };
    let saved = admin.call::<SaveAnnouncement>(&exams).await.unwrap();
    assert!(saved.send_email && saved.emailed_at.is_some(), "{saved:?}");
    // Karim tells his students, by email too.
    let instructor = Caller::as_user(&pool, web.staff[0]);
    let post = CreateAnnouncementRequest {
        title: "Bring laptops".to_owned(),
        body: "We pair tomorrow.".to_owned(),
        target_audience: Audience::Student,
        cohort_id: web.id,
        send_email: true,
    };
    instructor.call::<CreateAnnouncement>(&post).await.unwrap();
    // Everyone, next hour: nothing yet.
    let holiday = SaveAnnouncementRequest {
        publish_at: Some(chrono::Utc::now() + chrono::Duration::hours(1)),
        ..mailed("Holiday")
    };
    let scheduled = admin.call::<SaveAnnouncement>(&holiday).await.unwrap();
    assert_eq!(scheduled.emailed_at, None);
    assert_eq!(hub_core::announcements::mail_due(&pool).await.unwrap(), 0, "not its time yet");
    // The website's visitors have no address here.
    let website = SaveAnnouncementRequest { target_audience: Audience::Website, ..mailed("Open day") };
    admin.refuses::<SaveAnnouncement>(&website, "send_email", "website visitors").await;

    let received = smtp.wait_for(4).await;
    let to = |subject: &str| -> Vec<String> {
        let mut people: Vec<String> = smtp
            .received()
            .iter()
            .filter(|message| message.subject.starts_with(subject))
            .flat_map(|message| message.rcpt_to.clone())
            .collect();
        people.sort();
        people
    };
    assert_eq!(to("Exams"), ["web-1@bench.example.org", "web-2@bench.example.org"], "{received:?}");
    assert_eq!(to("Bring laptops"), ["web-1@bench.example.org", "web-2@bench.example.org"]);
    let exams_mail = received.iter().find(|message| message.subject.starts_with("Exams")).unwrap();
    assert!(exams_mail.text.contains("Read this."), "{}", exams_mail.text);
    assert!(exams_mail.text.contains("Test admin@example.org"), "who wrote it: {}", exams_mail.text);

    // Its time comes (the server's minute job): everyone active with an address, once.
    sqlx::query("update announcements set publish_at = now() - interval '1 second' where id = $1")
        .bind(scheduled.id)
        .execute(&pool)
        .await
        .unwrap();
    let everyone: i64 =
        sqlx::query_scalar("select count(*) from users where is_active and email is not null")
            .fetch_one(&pool)
            .await
            .unwrap();
    let queued = hub_core::announcements::mail_due(&pool).await.unwrap();
    assert_eq!(i64::try_from(queued).unwrap(), everyone);
    assert_eq!(hub_core::announcements::mail_due(&pool).await.unwrap(), 0, "once");
    // Edited and published again: nobody is mailed twice.
    let edited =
        SaveAnnouncementRequest { id: Some(saved.id), body: "Read this, corrected.".to_owned(), ..exams };
    admin.call::<SaveAnnouncement>(&edited).await.unwrap();

    let total = 4 + usize::try_from(everyone).unwrap();
    smtp.wait_for(total).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), total, "each person once per announcement");
    assert!(!to("Holiday").contains(&"web-3@bench.example.org".to_owned()), "the deactivated student");
    assert!(to("Holiday").contains(&"data-1@bench.example.org".to_owned()));
}
