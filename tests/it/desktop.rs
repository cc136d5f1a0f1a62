//! The desktop app in a real window under Xvfb, driven over WebDriver
//! (tauri-driver in front of WebKitWebDriver), against a test's own database.

use hub_tests::desktop::Desktop;
use sqlx::PgPool;

const DATABASE_STATUS: &str = "[data-testid='database-status']";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_window_opens_on_sign_in_and_shows_the_database_reachable(pool: PgPool) {
    let desktop = Desktop::open(&hub_tests::database_url(&pool)).await;
    let status = desktop.wait_for_text(DATABASE_STATUS, "Database reachable").await;
    assert!(status.contains(&format!("schema {}", hub_core::db::expected_version())), "{status}");
    assert_eq!(desktop.text("h1").await, "Sign in");
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
    assert_eq!(desktop.focused_id().await.as_deref(), Some("identifier"), "typing starts in the first field");

    desktop.press_enter_in("#identifier").await;
    assert_eq!(desktop.text("#identifier-error").await, "Enter your email or phone number");
    assert_eq!(desktop.text("#password-error").await, "Enter your password");

    desktop.type_into("#identifier", "admin@demo.digitalhub.dev").await;
    desktop.press_enter_in("#identifier").await;
    assert!(!desktop.exists("#identifier-error").await, "a filled field loses its error");
    assert_eq!(desktop.text("#password-error").await, "Enter your password");
    desktop.close().await;
}
