//! Every main screen of each role, checked in the real window by axe-core (WCAG 2.1 A and
//! AA, and axe's best practices): no serious or critical violation — every control named,
//! contrast enough with the demo theme, landmarks and headings in order.

use hub_core::demo::DEMO_PASSWORD;
use hub_tests::desktop::Desktop;
use hub_tests::server::HubProcess;
use sqlx::PgPool;

/// Checks the screen as it is now; what it finds is kept under the screen's name.
async fn check(desktop: &Desktop, screen: &str, found: &mut Vec<String>) {
    for violation in desktop.accessibility_violations().await {
        found.push(format!("{screen}: {violation}"));
    }
}

/// Signs in, visits each sidebar entry of the person's view in turn, and signs out.
async fn visit(desktop: &Desktop, email: &str, role: &str, pages: &[&str], found: &mut Vec<String>) {
    desktop.sign_in(email, DEMO_PASSWORD).await;
    desktop.wait_for("[data-testid='nav-home'][aria-current='page']").await;
    for page in pages {
        let entry = format!("[data-testid='nav-{page}']");
        desktop.click(&entry).await;
        desktop.wait_for(&format!("{entry}[aria-current='page']")).await;
        check(desktop, &format!("{role} {page}"), found).await;
    }
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_main_screen_of_each_role_passes_axe_with_no_serious_violation(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    let mut found = Vec::new();
    desktop.wait_for_text("[data-testid='database-status']", "Hub reachable").await;
    check(&desktop, "sign-in", &mut found).await;

    let admin_pages = [
        "home",
        "users",
        "calendar",
        "programs",
        "cohorts",
        "applications",
        "reports",
        "events",
        "announcements",
        "forms",
        "website",
        "inbox",
        "my-profile",
    ];
    visit(&desktop, "admin@demo.digitalhub.dev", "admin", &admin_pages, &mut found).await;
    // A screen behind a row, and a dialog over a list.
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-cohorts']").await;
    desktop.click("[data-testid='cohort-row'] button").await;
    desktop.wait_for("[data-testid='cohort-status']").await;
    check(&desktop, "admin cohort page", &mut found).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.click("[data-testid='new-user']").await;
    desktop.wait_for_text(".dialog__title", "New user").await;
    check(&desktop, "admin new-user dialog", &mut found).await;
    desktop.click_text("button", "Cancel").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    let instructor_pages = ["home", "calendar", "attendance", "reports", "my-profile"];
    visit(&desktop, "instructor@demo.digitalhub.dev", "instructor", &instructor_pages, &mut found).await;
    visit(
        &desktop,
        "student@demo.digitalhub.dev",
        "student",
        &["home", "calendar", "my-profile"],
        &mut found,
    )
    .await;
    desktop.close().await;
    assert!(found.is_empty(), "{} serious or critical violations:\n{}", found.len(), found.join("\n"));
}
