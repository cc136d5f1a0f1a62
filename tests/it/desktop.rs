//! The desktop app in a real window under Xvfb, driven over WebDriver (tauri-driver in front
//! of WebKitWebDriver), against a real `hubctl serve` on the test's own database.

use hub_model::auth::{LoginRequest, SessionToken};
use hub_model::Access;
use hub_tests::desktop::Desktop;
use hub_tests::server::HubProcess;
use hub_tests::{TestUser, TEST_PASSWORD};
use sqlx::PgPool;

const HUB_STATUS: &str = "[data-testid='database-status']";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_window_opens_on_sign_in_and_shows_the_hub_reachable(pool: PgPool) {
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    let status = desktop.wait_for_text(HUB_STATUS, "Hub reachable").await;
    assert!(status.contains(&format!("schema {}", hub_core::db::expected_version())), "{status}");
    desktop.wait_for_text("h1", "Sign in").await;
    let version = desktop.text("[data-testid='app-version']").await;
    assert_eq!(version, format!("Digital Hub {}", env!("CARGO_PKG_VERSION")));
    desktop.close().await;
}

#[tokio::test]
async fn with_the_hub_down_the_status_line_says_why_and_offers_a_retry() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let desktop = Desktop::open(&format!("http://127.0.0.1:{port}")).await;
    let status = desktop.wait_for_text(HUB_STATUS, "Hub unreachable").await;
    assert!(status.contains(&format!("the hub at http://127.0.0.1:{port} cannot be reached")), "{status}");
    assert!(status.contains("Retry"), "{status}");
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn sign_in_starts_in_the_first_field_and_names_each_missing_field(pool: PgPool) {
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.wait_for_text(HUB_STATUS, "Hub reachable").await;
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
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;

    desktop.sign_in("lina@example.org", "not the password").await;
    assert_eq!(desktop.text("#password-error").await, "Wrong password.");
    desktop.screenshot("01b-sign-in-wrong-password").await;
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
    let live: i64 = sqlx::query_scalar("select count(*) from staff_sessions where revoked_at is null")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(live, 0, "signing out ended the session at the hub too");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_deactivated_account_and_a_lockout_are_explained_above_the_button(pool: PgPool) {
    TestUser { is_inactive: true, ..TestUser::STUDENT }.insert(&pool, "gone@example.org", None).await;
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;

    desktop.sign_in("gone@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("#login-error", "This account has been deactivated").await;

    // Four wrong guesses from another computer; the fifth, here, locks the account.
    let elsewhere = hub_client::HubClient::new(hub.address(), None).unwrap();
    for _ in 0..4 {
        let guess = LoginRequest {
            identifier: "sam@example.org".to_owned(),
            password: "a guess".to_owned(),
            device: None,
        };
        assert!(elsewhere.sign_in(&guess).await.is_err());
    }
    desktop.sign_in("sam@example.org", "a guess").await;
    desktop.wait_for_text("#login-error", "try again in 30 seconds").await;
    desktop.wait_for_enabled("button[type='submit']").await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("#login-error", "Too many failed sign-ins").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_installed_app_asks_for_the_hub_once_keeps_no_database_credential_and_a_students_token_opens_nothing_more(
    pool: PgPool,
) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let database = pool.connect_options().get_database().expect("a test pool names its database").to_owned();
    let data_home = std::env::temp_dir().join(format!("hub-installed-{database}"));
    let _ = std::fs::remove_dir_all(&data_home);

    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text("h1", "Connect to your hub").await;
    desktop.wait_for_text(HUB_STATUS, "no hub is set up yet").await;
    assert_eq!(desktop.focused_id().await.as_deref(), Some("address"), "typing starts in the first field");

    // Nothing typed, or plain HTTP to another machine: named, nothing tried.
    desktop.click("[data-testid='test-connection']").await;
    desktop.wait_for_text("#address-error", "Enter the hub's address").await;
    desktop.clear_and_type("#address", "http://hub.example.org").await;
    desktop.click("[data-testid='test-connection']").await;
    desktop.wait_for_text("#address-error", "only for a hub on this computer").await;

    // A hub that is not there: said in one line, nothing saved.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    desktop.clear_and_type("#address", &format!("http://127.0.0.1:{nowhere}")).await;
    desktop.click("[data-testid='save-connection']").await;
    desktop
        .wait_for_text("#connect-error", &format!("The hub at http://127.0.0.1:{nowhere} cannot be reached"))
        .await;

    // The right one: asked, then saved, then the sign-in screen on it.
    desktop.clear_and_type("#address", &hub.url).await;
    desktop.click("[data-testid='test-connection']").await;
    desktop
        .wait_for_text(
            "#connect-result",
            &format!("{} answers: Digital Hub {}, ready.", hub.url, env!("CARGO_PKG_VERSION")),
        )
        .await;
    desktop.screenshot("00-first-run-connection").await;
    desktop.press_enter_in("#address").await;
    desktop.wait_for_text("[data-testid='toast']", "This app now works with the hub").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.wait_for_text(HUB_STATUS, "Hub reachable").await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.close().await;

    // What the installed app keeps: the hub's address and a session token (no keychain
    // daemon runs here, so in the settings file, private to its owner), and no database
    // credential anywhere — not the URL, not the server role's password, not a host:port.
    let app_data = data_home.join("data/org.digitalhub.desktop");
    let settings = app_data.join("connection.json");
    let saved = std::fs::read_to_string(&settings).expect("the hub is saved");
    let store = std::fs::read(app_data.join("offline.sqlite")).expect("the offline store exists");
    let store = String::from_utf8_lossy(&store);
    let database_url = hub_tests::server::server_role_url(&pool).await;
    let secret = database_url.split('@').next().unwrap().rsplit(':').next().unwrap().to_owned();
    let database_port = format!(":{}/", pool.connect_options().get_port());
    for (what, text) in [("connection.json", saved.as_str()), ("offline.sqlite", &store)] {
        for forbidden in
            ["postgres", "hub_server", database.as_str(), secret.as_str(), database_port.as_str()]
        {
            assert!(!text.contains(forbidden), "{what} mentions {forbidden:?}");
        }
    }
    assert!(saved.contains(&hub.url) && saved.contains("settings_file"), "{saved}");
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [settings.clone(), app_data.join("offline.sqlite")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is private to its owner", file.display());
        }
    }

    // With the token the student's app keeps, every administrator's operation is refused by
    // the hub: the app is no way around the server.
    let kept: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(kept["session"]["hub"], hub.url.as_str(), "kept for this hub only");
    let token =
        SessionToken::new(kept["session"]["token"]["value"].as_str().expect("the kept token").to_owned());
    let client = hub_client::HubClient::new(hub.address(), None).unwrap();
    let mut opened = Vec::new();
    for operation in hub_core::ops::OPERATIONS.iter().filter(|operation| operation.access == Access::Admin) {
        match client
            .call_named::<_, serde_json::Value>(Some(&token), operation.name, &serde_json::json!({}))
            .await
        {
            Err(error) if error.kind == hub_model::ErrorKind::Forbidden => {}
            other => opened.push(format!("{}: {other:?}", operation.name)),
        }
    }
    assert_eq!(opened, Vec::<String>::new(), "a student's token opened administrators' operations");
    let me = client.call::<hub_model::ops::Me>(Some(&token), &hub_model::NoRequest {}).await.unwrap();
    assert!(me.is_student && !me.is_admin, "the token is the student's own session: {me:?}");

    // Started again: the kept session is taken up (the hub confirms it), straight into the app.
    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.click("[data-testid='change-connection']").await;
    desktop.wait_for_text("h1", "Connect to your hub").await;
    desktop.wait_for_value("#address", &hub.url).await;
    desktop.click_text("button", "Cancel").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.close().await;
    assert!(
        client.call::<hub_model::ops::Me>(Some(&token), &hub_model::NoRequest {}).await.is_err(),
        "signed out at the hub"
    );
    let _ = std::fs::remove_dir_all(&data_home);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn with_a_keychain_the_app_keeps_only_the_session_token_there_and_forgets_it_at_sign_out(pool: PgPool) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let data_home = std::env::temp_dir().join(format!("hub-keychain-{}", uuid::Uuid::new_v4()));
    let keychain = hub_tests::desktop::Keychain::start(&data_home);

    let desktop = Desktop::open_with_keychain(&hub.url, &data_home, &keychain).await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.close().await;

    // The keychain holds one secret: the session's token, for this hub. The settings file
    // holds the hub's address and says where the token is, and no token, no database.
    let kept = keychain.secrets("org.digitalhub.desktop").expect("the Secret Service answers");
    let settings = std::fs::read_to_string(desktop_settings(&data_home)).unwrap();
    assert_eq!(kept.len(), 1, "in the keychain: {kept:?}; the settings: {settings}");
    let (attributes, secret) = &kept[0];
    assert_eq!(
        attributes.get("username").map(String::as_str),
        Some(format!("session@{}", hub.url).as_str()),
        "{attributes:?}"
    );
    assert!(secret.starts_with("dhs_"), "a session token, not a credential of the database");
    assert!(settings.contains("\"keychain\"") && !settings.contains(secret.as_str()), "{settings}");
    assert!(!settings.contains("postgres"), "{settings}");
    let token = SessionToken::new(secret.clone());
    let client = hub_client::HubClient::new(hub.address(), None).unwrap();
    let me = client.call::<hub_model::ops::Me>(Some(&token), &hub_model::NoRequest {}).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("sam@example.org"), "the student's own session");

    // Started again, the app takes the session up from the keychain; signing out forgets it
    // there and ends it at the hub.
    let desktop = Desktop::open_with_keychain(&hub.url, &data_home, &keychain).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;
    // Forgotten by the time the sign-in screen shows: an app closed at once keeps nothing.
    let kept = keychain.secrets("org.digitalhub.desktop").expect("the Secret Service answers");
    assert!(kept.is_empty(), "the token stayed in the keychain: {kept:?}");
    desktop.close().await;
    assert!(client.call::<hub_model::ops::Me>(Some(&token), &hub_model::NoRequest {}).await.is_err());
    drop(keychain);
    let _ = std::fs::remove_dir_all(&data_home);
}

fn desktop_settings(data_home: &std::path::Path) -> std::path::PathBuf {
    data_home.join("data/org.digitalhub.desktop/connection.json")
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_office_hub_with_a_certificate_of_the_schools_own_is_trusted_through_its_ca_and_only_so(
    pool: PgPool,
) {
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let dir = std::env::temp_dir().join(format!("hub-office-{}", uuid::Uuid::new_v4()));
    let (hub, ca, key) = HubProcess::start_with_school_ca(&pool, &dir.join("tls")).await;
    let data_home = dir.join("home");

    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text("h1", "Connect to your hub").await;
    // Without the school's CA: the computer does not trust the hub, and nothing is saved.
    desktop.clear_and_type("#address", &hub.url).await;
    desktop.click("[data-testid='test-connection']").await;
    desktop.wait_for_text("#connect-error", "not trusted by this computer").await;
    // A file that holds no certificate is named.
    desktop.clear_and_type("#ca_certificate_path", &key.display().to_string()).await;
    desktop.click("[data-testid='test-connection']").await;
    desktop.wait_for_text("#ca_certificate_path-error", "certificate").await;
    // With it: the hub answers, and the app keeps the CA with the address.
    desktop.clear_and_type("#ca_certificate_path", &ca.display().to_string()).await;
    desktop.click("[data-testid='test-connection']").await;
    desktop.wait_for_text("#connect-result", "ready.").await;
    desktop.press_enter_in("#address").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.sign_in("sam@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.close().await;

    // The CA file may move or go: the app kept a copy, and trusts the hub at the next start.
    std::fs::remove_file(&ca).unwrap();
    let desktop = Desktop::open_installed(&data_home).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Test sam@example.org").await;
    desktop.wait_for_text(HUB_STATUS, "Hub reachable").await;
    desktop.close().await;
    let settings = std::fs::read_to_string(desktop_settings(&data_home)).unwrap();
    assert!(settings.contains("BEGIN CERTIFICATE") && !settings.contains("PRIVATE KEY"), "{settings}");
    drop(hub);
    let _ = std::fs::remove_dir_all(&dir);
}
