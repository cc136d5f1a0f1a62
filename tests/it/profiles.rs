//! Profiles: people edit their own basics; admins edit everything.

use hub_core::{ops, Hub};
use hub_model::{ApiError, ErrorKind};
use hub_tests::TestUser;
use serde_json::{json, Value};
use sqlx::PgPool;

async fn call(hub: &Hub, who: i64, operation: &str, request: Value) -> Result<Value, ApiError> {
    ops::call(hub, &hub_core::Caller::user(who), operation, request).await.map_err(|error| error.to_api())
}

fn basics(name: &str) -> Value {
    json!({ "full_name": name, "bio": "Learning Rust.", "github_url": "https://github.com/jana",
            "linkedin_url": "", "portfolio_url": null })
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn people_edit_their_own_basics_on_every_profile_they_have(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let jana = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    sqlx::query("insert into instructor_profiles (user_id, full_name) values ($1, 'Old')")
        .bind(jana)
        .execute(&pool)
        .await
        .unwrap();
    let profiles = call(&hub, jana, "profiles.update_mine", basics("Jana Harb")).await.unwrap();
    for kind in ["student", "instructor"] {
        assert_eq!(profiles[kind]["basics"]["full_name"], "Jana Harb", "{kind}");
        assert_eq!(profiles[kind]["basics"]["github_url"], "https://github.com/jana");
        assert_eq!(profiles[kind]["basics"]["linkedin_url"], Value::Null, "an empty link is no link");
    }
    assert_eq!(profiles["manager"], Value::Null);
    assert_eq!(call(&hub, jana, "profiles.mine", json!({})).await.unwrap(), profiles);

    // Safe fields only: status and featuring are not part of the request.
    let sneaky = json!({ "full_name": "Jana", "featured": true });
    assert_eq!(
        call(&hub, jana, "profiles.update_mine", sneaky).await.unwrap_err().kind,
        ErrorKind::Validation
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn invalid_links_names_and_bios_are_refused_naming_the_field(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let jana = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    for (request, field) in [
        (json!({ "full_name": "Jana", "github_url": "github.com/jana" }), "github_url"),
        (json!({ "full_name": "Jana", "avatar_url": "javascript:alert(1)" }), "avatar_url"),
        (json!({ "full_name": "Jana", "portfolio_url": "https://my site.org" }), "portfolio_url"),
        (json!({ "full_name": " " }), "full_name"),
        (json!({ "full_name": "Jana", "bio": "x".repeat(2001) }), "bio"),
    ] {
        let error = call(&hub, jana, "profiles.update_mine", request).await.unwrap_err();
        assert_eq!(error.field.as_deref(), Some(field), "{error:?}");
    }
    let name: String = sqlx::query_scalar("select full_name from student_profiles where user_id = $1")
        .bind(jana)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Test jana@example.org", "nothing was written");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn admins_feature_students_with_unique_url_safe_addresses(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let admin = TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let jana = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    let ali = TestUser::STUDENT.insert(&pool, "ali@example.org", None).await;
    let edit = |user: i64, slug: &str, rank: i32| {
        json!({ "user_id": user, "basics": basics("Someone"), "status": "graduated", "featured": true,
                "featured_rank": rank, "public_slug": slug })
    };
    let profiles = call(&hub, admin, "profiles.update_student", edit(jana, "jana-harb", 1)).await.unwrap();
    assert_eq!(profiles["student"]["status"], "graduated");
    assert_eq!(profiles["student"]["public_slug"], "jana-harb");
    assert_eq!(profiles["student"]["featured_rank"], 1);

    let taken = call(&hub, admin, "profiles.update_student", edit(ali, "jana-harb", 2)).await.unwrap_err();
    assert_eq!(taken.field.as_deref(), Some("public_slug"));
    let unsafe_slug =
        call(&hub, admin, "profiles.update_student", edit(ali, "Ali Khalil", 2)).await.unwrap_err();
    assert_eq!(unsafe_slug.field.as_deref(), Some("public_slug"));
    let rank = call(&hub, admin, "profiles.update_student", edit(ali, "ali", 0)).await.unwrap_err();
    assert_eq!(rank.field.as_deref(), Some("featured_rank"));
    let no_profile = call(&hub, admin, "profiles.update_student", edit(admin, "boss", 1)).await.unwrap_err();
    assert_eq!(no_profile.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn only_administrators_get_a_manager_profile(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let admin = TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let student = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    let manager = |user: i64| {
        json!({ "user_id": user, "basics": basics("Maya Khoury"), "job_title": "Hub Director",
                "is_public": true, "sort_order": 1 })
    };
    let profiles = call(&hub, admin, "profiles.update_manager", manager(admin)).await.unwrap();
    assert_eq!(profiles["manager"]["job_title"], "Hub Director");
    assert_eq!(profiles["manager"]["is_public"], true);
    let refused = call(&hub, admin, "profiles.update_manager", manager(student)).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("only administrators"), "{}", refused.message);

    let instructor =
        json!({ "user_id": student, "basics": basics("Jana"), "expertise": "Rust", "is_public": false });
    let missing = call(&hub, admin, "profiles.update_instructor", instructor).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound, "a student has no instructor profile to edit");
}

/// The names the public website lists at `path` (its instructors, or featured students).
async fn listed(pool: &PgPool, path: &str) -> Vec<Value> {
    let api = hub_tests::PublicApi::start(pool, &hub_public::PublicConfig::default());
    let answer = api.get(path).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json().as_array().unwrap().clone()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_is_on_the_website_only_once_they_chose_to_be_or_an_admin_listed_them(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let admin = TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let karim = TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await;
    let student = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    call(&hub, karim, "profiles.update_mine", basics("Karim Nassar")).await.unwrap();
    assert!(listed(&pool, "/public/instructors").await.is_empty(), "holding the role publishes nobody");

    let mine = call(&hub, karim, "profiles.set_my_listing", json!({ "listed": true })).await.unwrap();
    assert_eq!(mine["instructor"]["is_public"], true);
    let names: Vec<Value> =
        listed(&pool, "/public/instructors").await.iter().map(|i| i["full_name"].clone()).collect();
    assert_eq!(names, [json!("Karim Nassar")]);

    // The admin may override (hide them, say, when they leave), with the profile's other edits.
    let hidden = json!({ "user_id": karim, "basics": basics("Karim Nassar"), "expertise": "Rust", "is_public": false });
    call(&hub, admin, "profiles.update_instructor", hidden).await.unwrap();
    assert!(listed(&pool, "/public/instructors").await.is_empty());
    // A student cannot list themselves as an instructor.
    let refused =
        call(&hub, student, "profiles.set_my_listing", json!({ "listed": true })).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_students_public_page_shows_only_the_text_an_administrator_approved(pool: PgPool) {
    let hub = Hub::new(pool.clone());
    let admin = TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let jana = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    let ali = TestUser::STUDENT.insert(&pool, "ali@example.org", None).await;
    let feature = |user: i64, name: &str, slug: Option<&str>| {
        json!({ "user_id": user, "basics": basics(name), "status": "graduated", "featured": true,
                "featured_rank": 1, "public_slug": slug })
    };
    call(&hub, admin, "profiles.update_student", feature(jana, "Jana Harb", Some("jana-harb")))
        .await
        .unwrap();
    call(&hub, admin, "profiles.update_student", feature(ali, "Ali Khalil", None)).await.unwrap();
    // Featured, not yet approved: not on the website, and the admin is told why.
    assert!(listed(&pool, "/public/students/featured").await.is_empty());
    let review = call(&hub, admin, "profiles.public_review", json!({})).await.unwrap();
    let reasons: Vec<(Value, Value)> = review["featured_not_shown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["full_name"].clone(), row["reason"].clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (json!("Ali Khalil"), json!("featured, but has no public address")),
            (json!("Jana Harb"), json!("featured, but their text is not approved yet")),
        ]
    );

    let approved = call(&hub, admin, "profiles.approve_student", json!({ "user_id": jana })).await.unwrap();
    assert_eq!(approved["student"]["approved"]["basics"]["bio"], "Learning Rust.");
    let shown = listed(&pool, "/public/students/featured").await;
    assert_eq!((shown.len(), &shown[0]["bio"]), (1, &json!("Learning Rust.")));

    // Her own edit waits: the website keeps the approved text until an admin approves again.
    let edit =
        json!({ "full_name": "Jana H. — hire me at spam.example", "bio": "Buy followers at spam.example" });
    call(&hub, jana, "profiles.update_mine", edit).await.unwrap();
    let shown = listed(&pool, "/public/students/featured").await;
    assert_eq!((&shown[0]["full_name"], &shown[0]["bio"]), (&json!("Jana Harb"), &json!("Learning Rust.")));
    let review = call(&hub, admin, "profiles.public_review", json!({})).await.unwrap();
    assert_eq!(review["awaiting_approval"][0]["reason"], "changed their text since it was approved");
    let refused = call(&hub, jana, "profiles.approve_student", json!({ "user_id": jana })).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden, "a student approves nothing of their own");
}
