//! Programs and cohorts as the demo admin runs them through `hubctl call`: the cohort
//! state machine, the one "coming soon" announcement, instructors, and deletion's impact.

use hub_tests::{database_url, Caller, TestUser};
use serde_json::{json, Value};
use sqlx::PgPool;

fn call(url: &str, operation: &str, request: &Value) -> Result<Value, Value> {
    hub_tests::hubctl_call(url, "admin@demo.digitalhub.dev", operation, request)
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_cohort_moves_through_its_life_and_coming_soon_is_announced_once(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let url = database_url(&pool);
    let program = call(
        &url,
        "programs.save",
        &json!({ "slug": "cyber", "title": "Cyber Security", "default_capacity": 18, "is_published": true }),
    )
    .unwrap();
    let cohort = call(
        &url,
        "cohorts.save",
        &json!({ "program_id": program["id"], "name": "Summer 2027", "start_date": "2027-06-01" }),
    )
    .unwrap();
    assert_eq!(
        (cohort["status"].as_str(), cohort["capacity"].as_i64()),
        (Some("planned"), Some(18)),
        "capacity from the program"
    );
    let id = cohort["id"].clone();
    let set = |status: &str| call(&url, "cohorts.set_status", &json!({ "id": id, "status": status }));
    let auto_announcements = || async {
        sqlx::query_scalar!(
            "select count(*) as \"n!\" from announcements where cohort_id = $1 and is_auto",
            id.as_i64().unwrap()
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };

    set("coming_soon").unwrap();
    set("planned").unwrap();
    set("coming_soon").unwrap();
    assert_eq!(auto_announcements().await, 1, "announced once, however often it goes back and forth");
    let api = hub_tests::PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let public = api.get("/public/announcements").await;
    assert_eq!(public.status, 200, "{public:?}");
    let coming = public
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"] == "Coming soon: Cyber Security — Summer 2027")
        .count();
    assert_eq!(coming, 1, "one announcement on the website: {}", public.body);

    set("open").unwrap();
    let refused = set("planned").unwrap_err();
    assert_eq!(refused["kind"], "validation");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("from open it may go to running, coming_soon, cancelled"),
        "{refused}"
    );
    set("running").unwrap();
    assert!(set("open").unwrap_err()["message"]
        .as_str()
        .unwrap()
        .contains("from running it may go to completed, cancelled"));
    set("completed").unwrap();
    assert!(set("cancelled").unwrap_err()["message"].as_str().unwrap().contains("none: it is final"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn cohorts_check_their_dates_and_take_only_instructors(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let teacher = TestUser::INSTRUCTOR.insert(&pool, "ines@example.org", None).await;
    let program = admin.call_json("programs.save", json!({ "slug": "web", "title": "Web" })).await.unwrap();
    admin
        .refused("programs.save", json!({ "slug": "web", "title": "Web again" }), "slug", "already used")
        .await;
    admin.refused("programs.save", json!({ "slug": "Web Dev", "title": "Web" }), "slug", "").await;
    admin
        .refused(
            "programs.save",
            json!({ "slug": "web-2", "title": "Web", "default_capacity": -1 }),
            "default_capacity",
            "negative",
        )
        .await;
    let save = |extra: Value| {
        let mut request = json!({ "program_id": program["id"], "name": "Autumn" });
        request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        request
    };
    admin
        .refused(
            "cohorts.save",
            save(json!({ "start_date": "2027-03-01", "end_date": "2027-02-01" })),
            "end_date",
            "before the start",
        )
        .await;
    admin
        .refused(
            "cohorts.save",
            save(json!({ "enrollment_open_at": "2027-01-10T00:00:00Z", "enrollment_close_at": "2027-01-01T00:00:00Z" })),
            "enrollment_close_at",
            "after the enrollment opens",
        )
        .await;
    let cohort = admin.call_json("cohorts.save", save(json!({}))).await.unwrap();
    admin
        .refused(
            "cohorts.assign_instructor",
            json!({ "cohort_id": cohort["id"], "user_id": student, "cohort_role": "lead" }),
            "user_id",
            "not an instructor",
        )
        .await;
    let taught = admin
        .call_json(
            "cohorts.assign_instructor",
            json!({ "cohort_id": cohort["id"], "user_id": teacher, "cohort_role": "lead" }),
        )
        .await
        .unwrap();
    assert_eq!(taught["instructors"][0]["cohort_role"], "lead");
    let untaught = admin
        .call_json("cohorts.remove_instructor", json!({ "cohort_id": cohort["id"], "user_id": teacher }))
        .await
        .unwrap();
    assert_eq!(untaught["instructors"], json!([]));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn deleting_a_program_says_first_what_goes_with_it(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let url = database_url(&pool);
    let programs = call(&url, "programs.list", &json!({ "search": "full-stack" })).unwrap();
    let program = programs["items"][0]["id"].clone();
    let impact = call(&url, "programs.delete_impact", &json!({ "id": program })).unwrap();
    assert!(
        impact["cohorts"].as_i64().unwrap() >= 1 && impact["enrollments"].as_i64().unwrap() >= 1,
        "{impact}"
    );
    assert!(impact["sessions"].as_i64().unwrap() >= 1, "{impact}");
    let removed = call(&url, "programs.delete", &json!({ "id": program })).unwrap();
    assert_eq!(removed, impact);
    assert_eq!(call(&url, "programs.delete", &json!({ "id": program })).unwrap_err()["kind"], "not_found");
}
