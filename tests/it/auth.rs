//! Signing in and out, lockouts, and passwords.

use hub_model::auth::{ChangePasswordRequest, LoginRequest, ResetPasswordRequest, SignedIn};
use hub_model::ops::{ChangePassword, ResetPassword, SignIn};
use hub_model::{ApiError, ErrorKind};
use hub_tests::{call_anonymously, Caller, TestUser, TEST_PASSWORD};
use sqlx::PgPool;

async fn login(pool: &PgPool, identifier: &str, password: &str) -> Result<SignedIn, ApiError> {
    let request =
        LoginRequest { identifier: identifier.to_owned(), password: password.to_owned(), device: None };
    call_anonymously::<SignIn>(pool, &request).await
}

fn refusal(result: Result<SignedIn, ApiError>) -> ApiError {
    result.expect_err("the sign-in is refused")
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn signing_in_by_email_or_phone_opens_a_session_and_records_the_time(pool: PgPool) {
    let id = TestUser { is_instructor: true, ..TestUser::STUDENT }
        .insert(&pool, "rana@example.org", Some("+961 71 100 200"))
        .await;

    let by_email = login(&pool, "  Rana@Example.ORG ", TEST_PASSWORD).await.unwrap();
    let user = &by_email.user;
    assert_eq!((user.id, user.full_name.as_str()), (id, "Test rana@example.org"));
    assert_eq!((user.is_student, user.is_instructor, user.is_admin), (true, true, false));
    assert!(by_email.token.expose().starts_with("dhs_"), "{by_email:?}");
    let by_phone = login(&pool, "0096171100200", TEST_PASSWORD).await;
    assert!(by_phone.is_err(), "a different number (with a 00 prefix) is not this account");
    let by_phone = login(&pool, "961-71-100-200", TEST_PASSWORD).await.unwrap();
    assert_eq!(by_phone.user.id, id);
    assert_ne!(by_phone.token, by_email.token, "each sign-in is a session of its own");
    let sessions: i64 =
        sqlx::query_scalar("select count(*) from staff_sessions where user_id = $1 and revoked_at is null")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(sessions, 2);
    // What goes over the wire names nothing more than the person (no password hash).
    let hub = hub_core::Hub::new(pool.clone());
    let request = serde_json::json!({ "identifier": "rana@example.org", "password": TEST_PASSWORD });
    let wire =
        hub_core::ops::call(&hub, &hub_core::Caller::anonymous(), "auth.sign_in", request).await.unwrap();
    let mut fields: Vec<&str> = wire["user"].as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["email", "full_name", "id", "is_admin", "is_instructor", "is_student", "phone"]);

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
    let wrong = refusal(login(&pool, "admin@example.org", "not the password").await);
    assert_eq!((wrong.kind, wrong.field.as_deref()), (ErrorKind::Validation, Some("password")));
    assert!(wrong.message.contains("wrong password"), "{}", wrong.message);

    let unknown = refusal(login(&pool, "nobody@example.org", TEST_PASSWORD).await);
    assert_eq!((unknown.kind, unknown.field.as_deref()), (ErrorKind::Validation, Some("identifier")));
    assert!(unknown.message.contains("no account"), "{}", unknown.message);

    let empty = refusal(login(&pool, " ", TEST_PASSWORD).await);
    assert_eq!(empty.field.as_deref(), Some("identifier"));
    let no_password = refusal(login(&pool, "admin@example.org", "").await);
    assert_eq!(no_password.field.as_deref(), Some("password"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_deactivated_account_is_refused_even_with_the_right_password(pool: PgPool) {
    TestUser { is_inactive: true, ..TestUser::STUDENT }.insert(&pool, "gone@example.org", None).await;
    let refused = refusal(login(&pool, "gone@example.org", TEST_PASSWORD).await);
    assert_eq!(refused.kind, ErrorKind::Unauthenticated);
    assert!(refused.message.contains("deactivated"), "{}", refused.message);
    // Without the password, nothing tells a stranger the account is deactivated.
    let wrong = refusal(login(&pool, "gone@example.org", "a wrong password").await);
    assert_eq!(wrong.field.as_deref(), Some("password"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn five_failures_lock_the_identifier_and_each_lockout_after_that_doubles(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    for attempt in 1..=4 {
        let refused = refusal(login(&pool, "sam@example.org", "guess").await);
        assert_eq!(refused.kind, ErrorKind::Validation, "attempt {attempt}");
    }
    let fifth = refusal(login(&pool, "sam@example.org", "guess").await);
    assert_eq!(fifth.kind, ErrorKind::RateLimited);
    assert!(fifth.message.contains("try again in 30 seconds"), "{}", fifth.message);

    let locked = refusal(login(&pool, "SAM@example.org", TEST_PASSWORD).await);
    assert_eq!(locked.kind, ErrorKind::RateLimited, "even the right password waits");

    // The lockout runs out; the next failure locks for twice as long.
    sqlx::query("update login_throttle set locked_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let sixth = refusal(login(&pool, "sam@example.org", "guess").await);
    assert!(sixth.message.contains("try again in 1 minute"), "{}", sixth.message);

    sqlx::query("update login_throttle set locked_until = null").execute(&pool).await.unwrap();
    login(&pool, "sam@example.org", TEST_PASSWORD).await.unwrap();
    let left: i64 = sqlx::query_scalar("select count(*) from login_throttle").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0, "a successful sign-in forgets the failures");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn changing_ones_password_needs_the_current_one(pool: PgPool) {
    let id = TestUser::STUDENT.insert(&pool, "lea@example.org", None).await;
    let lea = Caller::as_user(&pool, id);
    let change = |current: &str, new: &str| ChangePasswordRequest {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
    };
    lea.refuses::<ChangePassword>(&change("not it at all", "a brand new password"), "current_password", "")
        .await;
    lea.refuses::<ChangePassword>(&change(TEST_PASSWORD, "short"), "new_password", "").await;
    lea.refuses::<ChangePassword>(&change(TEST_PASSWORD, TEST_PASSWORD), "new_password", "").await;

    lea.call::<ChangePassword>(&change(TEST_PASSWORD, "a brand new password")).await.unwrap();
    assert!(login(&pool, "lea@example.org", TEST_PASSWORD).await.is_err());
    login(&pool, "lea@example.org", "a brand new password").await.unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_reset_gives_a_one_time_password_that_works_and_lifts_a_lockout(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "tala@example.org", None).await;
    for _ in 0..5 {
        let _ = login(&pool, "tala@example.org", "guess").await;
    }
    let reset = |new_password: Option<&str>| ResetPasswordRequest {
        id: student,
        new_password: new_password.map(str::to_owned),
    };
    let generated = admin.call::<ResetPassword>(&reset(None)).await.unwrap();
    let generated = generated.generated_password.expect("a generated password");
    login(&pool, "tala@example.org", &generated).await.unwrap();

    let chosen = admin.call::<ResetPassword>(&reset(Some("chosen by the admin"))).await.unwrap();
    assert_eq!(chosen.generated_password, None);
    login(&pool, "tala@example.org", "chosen by the admin").await.unwrap();

    let missing = ResetPasswordRequest { id: 999_999, new_password: None };
    assert_eq!(admin.call::<ResetPassword>(&missing).await.unwrap_err().kind, ErrorKind::NotFound);
}
