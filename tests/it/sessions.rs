//! The class calendar: who sees which sessions, who may plan them, and a recurring
//! schedule previewed before it is added (days taken and holidays left out).

use chrono::{Datelike, NaiveDate, NaiveTime};
use hub_model::ops;
use hub_model::sessions::{
    CalendarSession, DeleteSessionRequest, DeliveryMode, ListSessionsRequest, PlanSessionsRequest,
    SaveSessionRequest, SessionType,
};
use hub_model::ErrorKind;
use hub_tests::{user_id, Caller};
use sqlx::PgPool;

async fn cohort(pool: &PgPool, status: &str) -> (i64, NaiveDate, NaiveDate) {
    let row = sqlx::query!(
        r#"select id, start_date as "start_date!", end_date as "end_date!" from cohorts where status = $1 limit 1"#,
        status
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.id, row.start_date, row.end_date)
}

fn dates(sessions: &[CalendarSession]) -> Vec<NaiveDate> {
    sessions.iter().map(|session| session.date).collect()
}

fn time(text: &str) -> NaiveTime {
    text.parse().unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_recurring_schedule_is_previewed_then_added_without_taken_days_or_holidays(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let (running, start, end) = cohort(&pool, "running").await;
    let holiday = start.iter_days().find(|day| day.weekday().number_from_monday() == 2).unwrap();
    let plan = PlanSessionsRequest {
        cohort_id: running,
        weekdays: vec![1, 2, 3, 4],
        from: None,
        to: None,
        starts_at: Some(time("09:00:00")),
        ends_at: Some(time("13:00:00")),
        skip: vec![holiday],
        title: "Class".to_owned(),
        delivery_mode: DeliveryMode::Onsite,
        location: Some("Lab 2".to_owned()),
        session_type: SessionType::Workshop,
    };
    let days = lina.call::<ops::PlanSessions>(&plan).await.unwrap();
    let expected = start
        .iter_days()
        .take_while(|day| *day <= end)
        .filter(|day| day.weekday().number_from_monday() <= 4 && *day != holiday)
        .count();
    assert_eq!(days.len(), expected, "Monday to Thursday between the cohort's dates, less the holiday");
    assert!(days.iter().all(|day| day.date != holiday));
    let taken = days.iter().filter(|day| day.taken).count();
    assert!(taken > 0, "the demo's month of sessions is already there");
    let before: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where cohort_id = $1"#, running)
            .fetch_one(&pool)
            .await
            .unwrap();
    let created = lina.call::<ops::CreatePlan>(&plan).await.unwrap();
    assert_eq!(created.created, i64::try_from(expected - taken).unwrap());
    let after: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where cohort_id = $1"#, running)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(after, before + i64::try_from(expected - taken).unwrap());
    let added: Vec<(Option<String>, String)> = sqlx::query!(
        "select location, session_type from sessions where cohort_id = $1 and title = 'Class' and location is not null",
        running
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row.location, row.session_type))
    .collect();
    assert_eq!(added.len(), expected - taken);
    assert!(
        added.iter().all(|added| *added == (Some("Lab 2".to_owned()), "workshop".to_owned())),
        "{added:?}"
    );
    assert_eq!(lina.call::<ops::CreatePlan>(&plan).await.unwrap().created, 0, "nothing twice");

    let backwards = PlanSessionsRequest { ends_at: Some(time("08:00:00")), ..plan.clone() };
    lina.refuses::<ops::PlanSessions>(&backwards, "ends_at", "after the start").await;
    let no_days = PlanSessionsRequest { weekdays: vec![], ..plan.clone() };
    lina.refuses::<ops::PlanSessions>(&no_days, "weekdays", "days of the week").await;
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    assert_eq!(sara.call::<ops::PlanSessions>(&plan).await.unwrap_err().kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_person_sees_their_cohorts_sessions_and_an_instructor_edits_theirs(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let (running, start, _) = cohort(&pool, "running").await;
    let month = ListSessionsRequest { from: start, to: start + chrono::Duration::days(40), cohort_id: None };
    let admin = Caller::admin(&pool).await;
    let student = Caller::as_user(&pool, user_id(&pool, "student@demo.digitalhub.dev").await);
    let all = admin.call::<ops::ListSessions>(&month).await.unwrap();
    let theirs = student.call::<ops::ListSessions>(&month).await.unwrap();
    assert!(!theirs.is_empty());
    assert!(theirs.iter().all(|session| session.cohort_id == running), "only their cohort's");
    assert!(all.len() >= theirs.len());
    let mut sorted = dates(&theirs);
    sorted.sort();
    assert_eq!(dates(&theirs), sorted, "in date order");
    let too_long = ListSessionsRequest { to: start + chrono::Duration::days(200), ..month };
    admin.refuses::<ops::ListSessions>(&too_long, "to", "120 days").await;

    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let day = start + chrono::Duration::days(5);
    let new_session = |title: &str| SaveSessionRequest {
        id: None,
        cohort_id: running,
        date: day,
        starts_at: None,
        ends_at: None,
        delivery_mode: DeliveryMode::Onsite,
        location: None,
        title: title.to_owned(),
        day_plan: None,
        description: None,
        session_type: SessionType::Normal,
    };
    let visit = SaveSessionRequest {
        starts_at: Some(time("14:00:00")),
        ends_at: Some(time("16:00:00")),
        session_type: SessionType::Visitor,
        day_plan: Some("Q&A, then a code review together.".to_owned()),
        ..new_session("Visit: a partner's engineering team")
    };
    let saved = lina.call::<ops::SaveSession>(&visit).await.unwrap();
    assert_eq!(saved.session_type, SessionType::Visitor);
    let address: String = sqlx::query_scalar!(
        r#"select coalesce(nullif(trim(contact_info ->> 'address'), ''), default_event_location) as "a!"
             from site_settings where id = 1"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(saved.shown_location, address, "onsite with no place: the hub's own address");
    assert_eq!(saved.location, None);
    let backwards = SaveSessionRequest {
        starts_at: Some(time("14:00:00")),
        ends_at: Some(time("13:00:00")),
        ..new_session("Backwards")
    };
    lina.refuses::<ops::SaveSession>(&backwards, "ends_at", "after the start").await;
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let outsider = sara.call::<ops::SaveSession>(&new_session("Not mine")).await;
    assert_eq!(outsider.unwrap_err().kind, ErrorKind::Forbidden);
    let delete_visit = DeleteSessionRequest { id: saved.id, marks: 0 };
    let outsider = sara.call::<ops::DeleteSession>(&delete_visit).await;
    assert_eq!(outsider.unwrap_err().kind, ErrorKind::Forbidden);
    let online = SaveSessionRequest {
        id: Some(saved.id),
        delivery_mode: DeliveryMode::Remote,
        ..new_session("Visit (online)")
    };
    let remote = lina.call::<ops::SaveSession>(&online).await.unwrap();
    assert_eq!(remote.shown_location, "Online");
    lina.call::<ops::DeleteSession>(&delete_visit).await.unwrap();
    let first_session = DeleteSessionRequest { id: all[0].id, marks: 0 };
    let student_try = student.call::<ops::DeleteSession>(&first_session).await.unwrap_err();
    assert_eq!(student_try.kind, ErrorKind::Forbidden);
}
