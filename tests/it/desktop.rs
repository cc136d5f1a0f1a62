//! The desktop app in a real window under Xvfb, driven over WebDriver
//! (tauri-driver in front of WebKitWebDriver), against a test's own database.

use hub_tests::desktop::Desktop;
use hub_tests::{TestUser, TEST_PASSWORD};
use sqlx::PgPool;

const DATABASE_STATUS: &str = "[data-testid='database-status']";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_window_opens_on_sign_in_and_shows_the_database_reachable(pool: PgPool) {
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;
    let status = desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    assert!(status.contains(&format!("schema {}", hub_core::db::expected_version())), "{status}");
    desktop.wait_for_text("h1", "Sign in").await;
    let version = desktop.text("[data-testid='app-version']").await;
    assert_eq!(version, format!("Digital Hub {}", env!("CARGO_PKG_VERSION")));
    desktop.close().await;
}

#[tokio::test]
async fn with_the_database_down_the_status_line_says_why_and_offers_a_retry() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desktop = Desktop::open(&format!("postgres://postgres@127.0.0.1:{port}/hub")).await;
    let status = desktop.wait_for_text(DATABASE_STATUS, "Database unreachable").await;
    assert!(status.contains(&format!("cannot reach PostgreSQL at 127.0.0.1:{port}/hub")), "{status}");
    assert!(status.contains("Retry"), "{status}");
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn sign_in_starts_in_the_first_field_and_names_each_missing_field(pool: PgPool) {
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;
    desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    // The status line answers before the app has asked who is signed in: wait for the form.
    desktop.wait_for_text("h1", "Sign in").await;
    assert_eq!(desktop.focused_id().await.as_deref(), Some("identifier"), "typing starts in the first field");

    desktop.press_enter_in("#identifier").await;
    assert_eq!(desktop.text("#identifier-error").await, "Enter your email or phone number.");
    assert_eq!(desktop.text("#password-error").await, "Enter your password.");

    desktop.type_into("#identifier", "admin@demo.digitalhub.dev").await;
    desktop.press_enter_in("#identifier").await;
    assert!(!desktop.exists("#identifier-error").await, "a filled field loses its error");
    assert_eq!(desktop.text("#password-error").await, "Enter your password.");
    assert_eq!(desktop.focused_id().await.as_deref(), Some("password"), "focus moves to what needs fixing");
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_multi_role_user_signs_in_switches_views_and_signs_out(pool: PgPool) {
    TestUser { is_admin: true, ..TestUser::INSTRUCTOR }.insert(&pool, "lina@example.org", None).await;
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;

    desktop.sign_in("lina@example.org", "not the password").await;
    assert_eq!(desktop.text("#password-error").await, "Wrong password.");
    desktop.sign_in("nobody@example.org", TEST_PASSWORD).await;
    assert_eq!(desktop.text("#identifier-error").await, "No account uses this email or phone number.");

    desktop.sign_in("Lina@Example.org", TEST_PASSWORD).await;
    assert_eq!(desktop.text("[data-testid='signed-in-user']").await, "Test lina@example.org");
    let pressed = ".switcher__option[aria-pressed='true']";
    assert_eq!(desktop.text(pressed).await, "Administration");
    desktop.click(".switcher__option:nth-child(2)").await;
    desktop.wait_for_text(pressed, "Teaching").await;
    desktop.wait_for_text(".content__lead", "teaching view").await;

    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_deactivated_account_and_a_lockout_are_explained_above_the_button(pool: PgPool) {
    TestUser { is_inactive: true, ..TestUser::STUDENT }.insert(&pool, "gone@example.org", None).await;
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;

    desktop.sign_in("gone@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("#login-error", "This account has been deactivated").await;

    // Four wrong guesses elsewhere (another desktop, say); the fifth, here, locks the account.
    let hub = hub_core::Hub::new(pool.clone());
    for _ in 0..4 {
        let guess = serde_json::json!({ "identifier": "sam@example.org", "password": "a guess" });
        assert!(hub_core::ops::call(&hub, None, "auth.login", guess).await.is_err());
    }
    desktop.sign_in("sam@example.org", "a guess").await;
    desktop.wait_for_text("#login-error", "try again in 30 seconds").await;
    desktop.wait_for_enabled("button[type='submit']").await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("#login-error", "Too many failed sign-ins").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_installed_app_asks_for_the_database_once_tests_it_and_remembers_it(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let options = pool.connect_options();
    let (host, port) = (options.get_host().to_owned(), options.get_port().to_string());
    let database = options.get_database().expect("a test pool names its database").to_owned();
    let user = options.get_username().to_owned();
    let data_home = std::env::temp_dir().join(format!("hub-installed-{database}"));
    let _ = std::fs::remove_dir_all(&data_home);

    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text("h1", "Connect to the database").await;
    desktop.wait_for_text(DATABASE_STATUS, "no database connection is set up yet").await;
    assert_eq!(desktop.focused_id().await.as_deref(), Some("host"), "typing starts in the first field");

    // Each missing field is named, and nothing is tried.
    desktop.clear_and_type("#host", " ").await;
    desktop.click("[data-testid='test-connection']").await;
    assert_eq!(desktop.text("#host-error").await, "Enter the server's name or address.");

    // A server that is not there: said in one line, nothing saved.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    desktop.clear_and_type("#host", &host).await;
    desktop.clear_and_type("#port", &nowhere.to_string()).await;
    desktop.clear_and_type("#database", &database).await;
    desktop.clear_and_type("#user", &user).await;
    desktop.click("[data-testid='save-connection']").await;
    desktop
        .wait_for_text("#connect-error", &format!("Cannot reach PostgreSQL at {host}:{nowhere}/{database}"))
        .await;

    // The right one: tested, then saved, then the sign-in screen on it.
    desktop.clear_and_type("#port", &port).await;
    desktop.click("[data-testid='test-connection']").await;
    desktop
        .wait_for_text(
            "#connect-result",
            &format!(
                "Connected to {host}:{port}/{database} (schema {}, as this app expects).",
                hub_core::db::expected_version()
            ),
        )
        .await;
    desktop.screenshot("00-first-run-connection").await;
    desktop.type_into("#password", "kept-somewhere-safe").await;
    desktop.press_enter_in("#password").await;
    desktop.wait_for_text("[data-testid='toast']", "No keychain answered").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.close().await;

    // Saved where only this account can read it (no keychain daemon runs here).
    let settings = data_home.join("data/org.digitalhub.desktop/connection.json");
    let saved = std::fs::read_to_string(&settings).expect("the connection is saved");
    assert!(saved.contains(&database) && saved.contains("settings_file"), "{saved}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&settings).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the settings file holds a password: private to its owner");
    }

    // Started again: straight to sign-in, on the saved database.
    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.click("[data-testid='change-connection']").await;
    desktop.wait_for_text("h1", "Connect to the database").await;
    assert_eq!(desktop.focused_id().await.as_deref(), Some("password"), "only the password is asked again");
    desktop.click_text("button", "Cancel").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.close().await;
    let _ = std::fs::remove_dir_all(&data_home);
}
