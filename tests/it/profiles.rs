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

    let instructor = json!({ "user_id": student, "basics": basics("Jana"), "expertise": "Rust" });
    let missing = call(&hub, admin, "profiles.update_instructor", instructor).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound, "a student has no instructor profile to edit");
}
