//! The Linux package as an office admin installs it: `cargo xtask test --bundle` builds the
//! .deb, installs it with dpkg, and runs these against `/usr/bin/digital-hub` (named by
//! `HUB_DESKTOP_APP`); they are skipped by a plain `cargo test`.

use hub_core::demo::DEMO_PASSWORD;
use hub_tests::desktop::{Desktop, INSTALLED_APP};
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
#[ignore = "needs the installed package: cargo xtask test --bundle"]
async fn the_installed_app_opens_on_sign_in_and_answers_over_ipc(pool: PgPool) {
    let app = std::env::var(INSTALLED_APP).expect("HUB_DESKTOP_APP names the installed binary");
    assert!(!app.contains("/target/"), "{app} is a build, not the installed package");
    hub_core::demo::seed(&pool).await.unwrap();
    let hub = hub_tests::server::HubProcess::start(&pool).await;
    let desktop = Desktop::open_as_shipped(&hub.url).await;
    // The status line is the hub's answer to `app.info`, asked over IPC and HTTP.
    let status = desktop.wait_for_text("[data-testid='database-status']", "Hub reachable").await;
    assert!(status.contains(&format!("schema {}", hub_core::db::expected_version())), "{status}");
    desktop.wait_for_text("h1", "Sign in").await;
    assert_eq!(
        desktop.text("[data-testid='app-version']").await,
        format!("Digital Hub {}", env!("CARGO_PKG_VERSION")),
        "the package is this version"
    );
    // A round trip that changes something: signing in.
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text("[data-testid='signed-in-user']", "Maya Khoury").await;
    desktop.close().await;
}
