//! The class calendar: who sees which sessions, who may plan them, and a recurring
//! schedule previewed before it is added (days taken and holidays left out).

use chrono::{Datelike, NaiveDate};
use hub_tests::{user_id, Caller};
use serde_json::{json, Value};
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

fn dates(sessions: &Value) -> Vec<String> {
    sessions.as_array().unwrap().iter().map(|session| session["date"].as_str().unwrap().to_owned()).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_recurring_schedule_is_previewed_then_added_without_taken_days_or_holidays(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let (running, start, end) = cohort(&pool, "running").await;
    let holiday = start.iter_days().find(|day| day.weekday().number_from_monday() == 2).unwrap();
    let plan = json!({ "cohort_id": running, "weekdays": [1, 2, 3, 4], "starts_at": "09:00:00", "ends_at": "13:00:00",
                       "skip": [holiday], "title": "Class", "location": "Lab 2", "session_type": "workshop" });
    let preview = lina.call_json("sessions.plan", plan.clone()).await.unwrap();
    let days = preview.as_array().unwrap();
    let expected = start
        .iter_days()
        .take_while(|day| *day <= end)
        .filter(|day| day.weekday().number_from_monday() <= 4 && *day != holiday)
        .count();
    assert_eq!(days.len(), expected, "Monday to Thursday between the cohort's dates, less the holiday");
    assert!(days.iter().all(|day| day["date"] != json!(holiday)));
    let taken = days.iter().filter(|day| day["taken"] == true).count();
    assert!(taken > 0, "the demo's month of sessions is already there");
    let before: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where cohort_id = $1"#, running)
            .fetch_one(&pool)
            .await
            .unwrap();
    let created = lina.call_json("sessions.create_plan", plan.clone()).await.unwrap();
    assert_eq!(created["created"].as_u64(), Some(u64::try_from(expected - taken).unwrap()));
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
    assert_eq!(
        lina.call_json("sessions.create_plan", plan.clone()).await.unwrap()["created"],
        0,
        "nothing twice"
    );

    let mut backwards = plan.clone();
    backwards["ends_at"] = json!("08:00:00");
    lina.refused("sessions.plan", backwards, "ends_at", "after the start").await;
    let mut no_days = plan.clone();
    no_days["weekdays"] = json!([]);
    lina.refused("sessions.plan", no_days, "weekdays", "days of the week").await;
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    assert_eq!(
        sara.call_json("sessions.plan", plan).await.unwrap_err().kind,
        hub_model::ErrorKind::Forbidden
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_person_sees_their_cohorts_sessions_and_an_instructor_edits_theirs(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let (running, start, _) = cohort(&pool, "running").await;
    let month = json!({ "from": start, "to": start + chrono::Duration::days(40) });
    let admin = Caller::admin(&pool).await;
    let student = Caller::as_user(&pool, user_id(&pool, "student@demo.digitalhub.dev").await);
    let all = admin.call_json("sessions.list", month.clone()).await.unwrap();
    let theirs = student.call_json("sessions.list", month.clone()).await.unwrap();
    assert!(!theirs.as_array().unwrap().is_empty());
    assert!(
        theirs.as_array().unwrap().iter().all(|session| session["cohort_id"] == running),
        "only their cohort's"
    );
    assert!(all.as_array().unwrap().len() >= theirs.as_array().unwrap().len());
    let mut sorted = dates(&theirs);
    sorted.sort();
    assert_eq!(dates(&theirs), sorted, "in date order");
    admin
        .refused(
            "sessions.list",
            json!({ "from": start, "to": start + chrono::Duration::days(200) }),
            "to",
            "120 days",
        )
        .await;

    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let day = start + chrono::Duration::days(5);
    let saved = lina
        .call_json("sessions.save", json!({ "cohort_id": running, "date": day, "starts_at": "14:00:00", "ends_at": "16:00:00",
                                        "title": "Visit: a partner's engineering team", "session_type": "visitor",
                                        "day_plan": "Q&A, then a code review together." }))
        .await
        .unwrap();
    assert_eq!(saved["session_type"], "visitor");
    let address: String = sqlx::query_scalar!(
        r#"select coalesce(nullif(trim(contact_info ->> 'address'), ''), default_event_location) as "a!"
             from site_settings where id = 1"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(saved["shown_location"], address.as_str(), "onsite with no place: the hub's own address");
    assert_eq!(saved["location"], Value::Null);
    lina.refused(
        "sessions.save",
        json!({ "cohort_id": running, "date": day, "starts_at": "14:00:00", "ends_at": "13:00:00", "title": "Backwards" }),
        "ends_at",
        "after the start",
    )
    .await;
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let outsider = sara
        .call_json("sessions.save", json!({ "cohort_id": running, "date": day, "title": "Not mine" }))
        .await;
    assert_eq!(outsider.unwrap_err().kind, hub_model::ErrorKind::Forbidden);
    let outsider = sara.call_json("sessions.delete", json!({ "id": saved["id"] })).await;
    assert_eq!(outsider.unwrap_err().kind, hub_model::ErrorKind::Forbidden);
    let remote = lina
        .call_json(
            "sessions.save",
            json!({ "id": saved["id"], "cohort_id": running, "date": day, "title": "Visit (online)",
                                        "delivery_mode": "remote" }),
        )
        .await
        .unwrap();
    assert_eq!(remote["shown_location"], "Online");
    lina.call_json("sessions.delete", json!({ "id": saved["id"] })).await.unwrap();
    let student_try = student.call_json("sessions.delete", json!({ "id": all[0]["id"] })).await.unwrap_err();
    assert_eq!(student_try.kind, hub_model::ErrorKind::Forbidden);
}
