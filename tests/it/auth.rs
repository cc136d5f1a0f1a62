//! Signing in and out, lockouts, and passwords.

use hub_core::ops;
use hub_core::{Caller, Error, Hub};
use hub_model::ErrorKind;
use hub_tests::{TestUser, TEST_PASSWORD};
use serde_json::{json, Value};
use sqlx::PgPool;

async fn login(hub: &Hub, identifier: &str, password: &str) -> Result<Value, Error> {
    let request = json!({ "identifier": identifier, "password": password });
    ops::call(hub, &Caller::anonymous(), "auth.sign_in", request).await
}

fn refusal(result: Result<Value, Error>) -> hub_model::ApiError {
    result.expect_err("the sign-in is refused").to_api()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn signing_in_by_email_or_phone_opens_a_session_and_records_the_time(pool: PgPool) {
    let id = TestUser { is_instructor: true, ..TestUser::STUDENT }
        .insert(&pool, "rana@example.org", Some("+961 71 100 200"))
        .await;
    let hub = Hub::new(pool.clone());

    let by_email = login(&hub, "  Rana@Example.ORG ", TEST_PASSWORD).await.unwrap();
    assert_eq!(by_email["user"]["id"], id);
    assert_eq!(by_email["user"]["full_name"], "Test rana@example.org");
    assert_eq!(by_email["user"]["is_student"], true);
    assert_eq!(by_email["user"]["is_instructor"], true);
    assert_eq!(by_email["user"]["is_admin"], false);
    assert!(by_email["user"].get("password_hash").is_none());
    assert!(by_email["token"].as_str().is_some_and(|token| token.starts_with("dhs_")), "{by_email}");

    let by_phone = login(&hub, "0096171100200", TEST_PASSWORD).await;
    assert!(by_phone.is_err(), "a different number (with a 00 prefix) is not this account");
    let by_phone = login(&hub, "961-71-100-200", TEST_PASSWORD).await.unwrap();
    assert_eq!(by_phone["user"]["id"], id);
    assert_ne!(by_phone["token"], by_email["token"], "each sign-in is a session of its own");
    let sessions: i64 =
        sqlx::query_scalar("select count(*) from staff_sessions where user_id = $1 and revoked_at is null")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(sessions, 2);

    let recorded: bool =
        sqlx::query_scalar("select last_login_at > now() - interval '1 minute' from users where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(recorded);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_wrong_password_an_unknown_user_and_empty_fields_each_name_their_field(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let hub = Hub::new(pool);
    let wrong = refusal(login(&hub, "admin@example.org", "not the password").await);
    assert_eq!((wrong.kind, wrong.field.as_deref()), (ErrorKind::Validation, Some("password")));
    assert!(wrong.message.contains("wrong password"), "{}", wrong.message);

    let unknown = refusal(login(&hub, "nobody@example.org", TEST_PASSWORD).await);
    assert_eq!((unknown.kind, unknown.field.as_deref()), (ErrorKind::Validation, Some("identifier")));
    assert!(unknown.message.contains("no account"), "{}", unknown.message);

    let empty = refusal(login(&hub, " ", TEST_PASSWORD).await);
    assert_eq!(empty.field.as_deref(), Some("identifier"));
    let no_password = refusal(login(&hub, "admin@example.org", "").await);
    assert_eq!(no_password.field.as_deref(), Some("password"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_deactivated_account_is_refused_even_with_the_right_password(pool: PgPool) {
    TestUser { is_inactive: true, ..TestUser::STUDENT }.insert(&pool, "gone@example.org", None).await;
    let hub = Hub::new(pool);
    let refused = refusal(login(&hub, "gone@example.org", TEST_PASSWORD).await);
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    assert!(refused.message.contains("deactivated"), "{}", refused.message);
    // Without the password, nothing tells a stranger the account is deactivated.
    let wrong = refusal(login(&hub, "gone@example.org", "a wrong password").await);
    assert_eq!(wrong.field.as_deref(), Some("password"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn five_failures_lock_the_identifier_and_each_lockout_after_that_doubles(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let hub = Hub::new(pool.clone());
    for attempt in 1..=4 {
        let refused = refusal(login(&hub, "sam@example.org", "guess").await);
        assert_eq!(refused.kind, ErrorKind::Validation, "attempt {attempt}");
    }
    let fifth = refusal(login(&hub, "sam@example.org", "guess").await);
    assert_eq!(fifth.kind, ErrorKind::RateLimited);
    assert!(fifth.message.contains("try again in 30 seconds"), "{}", fifth.message);

    let locked = refusal(login(&hub, "SAM@example.org", TEST_PASSWORD).await);
    assert_eq!(locked.kind, ErrorKind::RateLimited, "even the right password waits");

    // The lockout runs out; the next failure locks for twice as long.
    sqlx::query("update login_throttle set locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let sixth = refusal(login(&hub, "sam@example.org", "guess").await);
    assert!(sixth.message.contains("try again in 1 minute"), "{}", sixth.message);

    sqlx::query("update login_throttle set locked_until = null").execute(&pool).await.unwrap();
    login(&hub, "sam@example.org", TEST_PASSWORD).await.unwrap();
    let left: i64 = sqlx::query_scalar("select count(*) from login_throttle").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0, "a successful sign-in forgets the failures");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn changing_ones_password_needs_the_current_one(pool: PgPool) {
    let id = TestUser::STUDENT.insert(&pool, "lea@example.org", None).await;
    let hub = Hub::new(pool);
    let lea = Caller::user(id);
    let change = |current: &str, new: &str| {
        let request = json!({ "current_password": current, "new_password": new });
        ops::call(&hub, &lea, "auth.change_password", request)
    };
    let wrong = change("not it at all", "a brand new password").await.unwrap_err().to_api();
    assert_eq!(wrong.field.as_deref(), Some("current_password"));
    let short = change(TEST_PASSWORD, "short").await.unwrap_err().to_api();
    assert_eq!(short.field.as_deref(), Some("new_password"));
    let same = change(TEST_PASSWORD, TEST_PASSWORD).await.unwrap_err().to_api();
    assert_eq!(same.field.as_deref(), Some("new_password"));

    change(TEST_PASSWORD, "a brand new password").await.unwrap();
    assert!(login(&hub, "lea@example.org", TEST_PASSWORD).await.is_err());
    login(&hub, "lea@example.org", "a brand new password").await.unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_reset_gives_a_one_time_password_that_works_and_lifts_a_lockout(pool: PgPool) {
    let admin = TestUser::ADMIN.insert(&pool, "admin@example.org", None).await;
    let student = TestUser::STUDENT.insert(&pool, "tala@example.org", None).await;
    let hub = Hub::new(pool.clone());
    for _ in 0..5 {
        let _ = login(&hub, "tala@example.org", "guess").await;
    }
    let reset = ops::call(&hub, &Caller::user(admin), "users.reset_password", json!({ "id": student }))
        .await
        .unwrap();
    let generated = reset["generated_password"].as_str().expect("a generated password").to_owned();
    login(&hub, "tala@example.org", &generated).await.unwrap();

    let chosen = json!({ "id": student, "new_password": "chosen by the admin" });
    let reset = ops::call(&hub, &Caller::user(admin), "users.reset_password", chosen).await.unwrap();
    assert_eq!(reset["generated_password"], Value::Null);
    login(&hub, "tala@example.org", "chosen by the admin").await.unwrap();

    let missing =
        ops::call(&hub, &Caller::user(admin), "users.reset_password", json!({ "id": 999_999 })).await;
    assert_eq!(missing.unwrap_err().to_api().kind, ErrorKind::NotFound);
}
