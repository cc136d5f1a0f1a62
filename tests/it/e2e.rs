//! End to end, in the real window: an administrator of the demo hub creates a person who
//! teaches and studies, and that person signs in and moves between both views. Saves a
//! PNG of each main screen under target/screenshots/.

use hub_core::demo::DEMO_PASSWORD;
use hub_tests::desktop::Desktop;
use hub_tests::{TestUser, TEST_PASSWORD};
use sqlx::PgPool;

const DATABASE_STATUS: &str = "[data-testid='database-status']";
const SIGNED_IN: &str = "[data-testid='signed-in-user']";
const PRESSED_VIEW: &str = ".switcher__option[aria-pressed='true']";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_demo_admin_creates_an_instructor_student_who_signs_in_and_switches_views(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;
    desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    desktop.screenshot("01-sign-in").await;

    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text(".content__lead", "administration view").await;
    desktop.screenshot("02-admin-home").await;

    // The users table, searched.
    desktop.click("[data-testid='nav-users']").await;
    desktop.wait_for_text("[data-testid='pager-summary']", " users").await;
    assert_eq!(desktop.count("[data-testid='user-row']").await, 25, "a first page of 25");
    desktop.screenshot("03-users").await;
    desktop.type_into("[data-testid='user-search']", "former@demo").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 users").await;
    desktop.wait_for_text("[data-testid='users-table'] tbody", "Deactivated").await;

    // A new user: each mistake is named where it is, and nothing is created until it is right.
    desktop.click("[data-testid='new-user']").await;
    desktop.wait_for_text(".dialog__title", "New user").await;
    assert_eq!(
        desktop.focused_id().await.as_deref(),
        Some("full_name"),
        "the dialog starts in its first field"
    );
    desktop.click("[data-testid='create-user']").await;
    assert_eq!(desktop.text("#full_name-error").await, "Enter their name.");
    assert_eq!(desktop.text("#email-error").await, "Enter an email address or a phone number.");
    desktop.type_into("#full_name", "Nour Haddad").await;
    desktop.type_into("#email", "lead@demo.digitalhub.dev").await;
    desktop.click("#new-is-instructor").await;
    desktop.click("#new-is-student").await;
    desktop.click("[data-testid='create-user']").await;
    desktop.wait_for_text("#email-error", "Is already used by another account.").await;
    desktop.screenshot("04-new-user-duplicate-email").await;
    desktop.clear_and_type("#email", "nour@example.org").await;
    desktop.press_enter_in("#email").await;
    let password = desktop.text("[data-testid='one-time-password']").await;
    assert!(password.len() >= 12, "a generated password: {password:?}");
    desktop.screenshot("05-user-created").await;
    desktop.click("[data-testid='created-done']").await;
    desktop.wait_for_gone("[role='dialog']").await;

    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    // The new person: both views, teaching first.
    desktop.sign_in("nour@example.org", &password).await;
    assert_eq!(desktop.text(SIGNED_IN).await, "Nour Haddad");
    desktop.wait_for_text(PRESSED_VIEW, "Teaching").await;
    desktop.wait_for_text(".content__lead", "teaching view").await;
    desktop.screenshot("06-instructor-home").await;
    desktop.click_text(".switcher__option", "Learning").await;
    desktop.wait_for_text(PRESSED_VIEW, "Learning").await;
    desktop.wait_for_text(".content__lead", "learning view").await;
    desktop.click_text(".switcher__option", "Teaching").await;
    desktop.wait_for_text(PRESSED_VIEW, "Teaching").await;

    // Their own profile: a bad link is refused under its field; then a new password.
    desktop.click("[data-testid='nav-my-profile']").await;
    desktop.wait_for_text("[data-testid='my-profile']", "Instructor").await;
    desktop.type_into("#linkedin_url", "linkedin.com/in/nour").await;
    desktop.click_text("button", "Save profile").await;
    desktop.wait_for_text("#linkedin_url-error", "Must be a web address starting with https://").await;
    desktop.screenshot("07-my-profile-invalid-link").await;
    desktop.clear_and_type("#linkedin_url", "https://linkedin.com/in/nour").await;
    desktop.clear_and_type("#full_name", "Nour Haddad-Khoury").await;
    desktop.press_enter_in("#full_name").await;
    desktop.wait_for_text(SIGNED_IN, "Nour Haddad-Khoury").await;
    desktop.wait_for_text("[data-testid='toast']", "Your profile is saved.").await;

    desktop.type_into("#current_password", &password).await;
    desktop.type_into("#new_password", TEST_PASSWORD).await;
    desktop.type_into("#confirm_password", "something else").await;
    desktop.click_text("button", "Change password").await;
    assert_eq!(desktop.text("#confirm_password-error").await, "The two new passwords differ.");
    desktop.clear_and_type("#confirm_password", TEST_PASSWORD).await;
    desktop.click_text("button", "Change password").await;
    desktop.wait_for_text("[data-testid='toast']", "Your password is changed.").await;
    desktop.click_text("button", "Sign out").await;
    desktop.sign_in("nour@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text(SIGNED_IN, "Nour Haddad-Khoury").await;
    desktop.close().await;

    let stored = sqlx::query!(
        "select u.is_admin, u.is_instructor, u.is_student, s.linkedin_url
           from users u join student_profiles s on s.user_id = u.id where u.email = $1",
        "nour@example.org"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((stored.is_admin, stored.is_instructor, stored.is_student), (false, true, true));
    assert_eq!(stored.linkedin_url.as_deref(), Some("https://linkedin.com/in/nour"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_edits_roles_profile_access_and_password_in_the_user_dialog(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "root@example.org", None).await;
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;
    desktop.sign_in("root@example.org", TEST_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–2 of 2 users").await;
    desktop.click("[aria-label='Edit Test sam@example.org']").await;
    desktop.wait_for_text(".dialog__title", "Edit Test sam@example.org").await;

    // Roles apply at once.
    desktop.click("#is-instructor").await;
    desktop.wait_for_text("[data-testid='toast']", "Roles saved.").await;
    desktop.wait_for_text("[data-testid='users-table'] tbody", "Instructor").await;

    // The profile: a bad public address is named, a good one is kept.
    desktop.click("#tab-profile").await;
    desktop.wait_for_text("[data-testid='profile-editor']", "Instructor").await;
    desktop.type_into("#public_slug", "Sam Smith!").await;
    desktop.type_into("#expertise", "SQL").await;
    desktop.click("[data-testid='save-profile']").await;
    desktop.wait_for_text("#public_slug-error", "lower-case letters, digits and single hyphens").await;
    desktop.screenshot("08-edit-user-profile").await;
    desktop.clear_and_type("#public_slug", "sam-smith").await;
    desktop.click("[data-testid='save-profile']").await;
    desktop.wait_for_text("[data-testid='toast']", "Profile saved.").await;

    // A one-time password, after a confirmation.
    desktop.click("#tab-password").await;
    desktop.click("[data-testid='generate-password']").await;
    desktop.click("[data-testid='confirm']").await;
    let password = desktop.text("[data-testid='one-time-password']").await;
    desktop.screenshot("09-edit-user-password").await;

    // Deactivation asks first, then takes effect.
    desktop.click("#tab-account").await;
    desktop.click("[data-testid='deactivate']").await;
    desktop.wait_for_text("[data-testid='confirm-dialog'] .dialog__title", "Deactivate this account?").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text("[data-testid='users-table'] tbody", "Deactivated").await;
    desktop.wait_for_enabled("[data-testid='reactivate']").await;
    desktop.close().await;

    let sam = sqlx::query!(
        "select u.is_active, u.is_instructor, s.public_slug, i.expertise
           from users u join student_profiles s on s.user_id = u.id
           join instructor_profiles i on i.user_id = u.id where u.email = $1",
        "sam@example.org"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((sam.is_active, sam.is_instructor), (false, true));
    assert_eq!(sam.public_slug.as_deref(), Some("sam-smith"));
    assert_eq!(sam.expertise.as_deref(), Some("SQL"));
    let hub = hub_core::Hub::new(pool.clone());
    let login = serde_json::json!({ "identifier": "sam@example.org", "password": password });
    let refused = hub_core::ops::call(&hub, None, "auth.login", login).await.unwrap_err();
    assert!(refused.to_string().contains("deactivated"), "{refused:?}");
}
