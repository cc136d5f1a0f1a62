//! Every main screen of each role, checked in the real window by axe-core (WCAG 2.1 A and
//! AA, and axe's best practices): no serious or critical violation — every control named,
//! contrast enough with the demo theme, landmarks and headings in order. And at the keyboard:
//! focus shown and in the page's order, a dialog keeping it inside and giving it back.

use hub_core::demo::DEMO_PASSWORD;
use hub_tests::desktop::{Desktop, Focus};
use hub_tests::server::HubProcess;
use hub_tests::TEST_PASSWORD;
use sqlx::PgPool;
use thirtyfour::Key;

/// Checks the screen as it is now; what it finds is kept under the screen's name.
async fn check(desktop: &Desktop, screen: &str, found: &mut Vec<String>) {
    for violation in desktop.accessibility_violations().await {
        found.push(format!("{screen}: {violation}"));
    }
}

/// Tabs from where the focus is through the screen, up to `most` stops or until the focus
/// wraps to the top: each stop, in order.
async fn tab_stops(desktop: &Desktop, most: usize) -> Vec<Focus> {
    let mut stops = Vec::new();
    desktop.focus().await;
    for _ in 0..most {
        desktop.press(Key::Tab).await;
        let focus = desktop.focus().await;
        if !focus.after {
            break;
        }
        stops.push(focus);
    }
    stops
}

/// Each stop of the screen must show that it has the focus.
async fn tab_through(desktop: &Desktop, screen: &str, found: &mut Vec<String>) {
    for stop in tab_stops(desktop, 40).await.into_iter().filter(|stop| !stop.shown) {
        found.push(format!("{screen}: the focus on {} does not show", stop.name));
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
        tab_through(desktop, &format!("{role} {page}"), found).await;
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
    // The two ways to a password beside it.
    desktop.click("[data-testid='forgot-password']").await;
    desktop.wait_for_text("h1", "Forgot your password?").await;
    check(&desktop, "forgot-password", &mut found).await;
    desktop.click("[data-testid='back-to-sign-in']").await;
    desktop.click("[data-testid='have-code']").await;
    desktop.wait_for_text("h1", "Choose your password").await;
    check(&desktop, "choose-password", &mut found).await;
    desktop.click("[data-testid='back-to-sign-in']").await;
    desktop.wait_for_text("h1", "Sign in").await;

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
        "mail",
        "activity",
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

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_keyboard_moves_through_a_screen_in_order_with_focus_shown_and_a_dialog_keeps_and_returns_it(
    pool: PgPool,
) {
    hub_tests::TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("maya@example.org", TEST_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.wait_for("[data-testid='user-row']").await;

    // Tab from the sidebar's Users entry through the screen: each stop shows it has the focus
    // and comes after the last, until the focus wraps around to the top.
    let stops = tab_stops(&desktop, 30).await;
    let hidden: Vec<&str> = stops.iter().filter(|stop| !stop.shown).map(|stop| stop.name.as_str()).collect();
    assert!(hidden.is_empty(), "focus not shown on {hidden:?} (stops: {stops:?})");
    let names: Vec<&str> = stops.iter().map(|stop| stop.name.as_str()).collect();
    for reached in ["nav-calendar", "new-user", "user-search"] {
        assert!(names.contains(&reached), "the keyboard reaches {reached}: {names:?}");
    }

    // A dialog takes the focus to its first field, keeps Tab and Shift+Tab inside, and gives
    // the focus back to what opened it when Escape closes it.
    desktop.click("[data-testid='new-user']").await;
    desktop.wait_for_text(".dialog__title", "New user").await;
    assert_eq!(desktop.focused_id().await.as_deref(), Some("full_name"));
    desktop.press(Key::Shift + Key::Tab).await;
    desktop.press(Key::Shift + Key::Tab).await;
    let mut inside = Vec::new();
    for _ in 0..20 {
        desktop.press(Key::Tab).await;
        let focus = desktop.focus().await;
        assert!(focus.shown, "focus not shown on {} in the dialog", focus.name);
        inside.push(focus.name);
    }
    let in_dialog: bool = desktop
        .run_script("return !!document.activeElement.closest('[role=dialog]');")
        .await
        .as_bool()
        .unwrap_or(false);
    assert!(in_dialog, "twenty Tabs later the focus is still in the dialog: {inside:?}");
    assert!(inside.iter().filter(|name| *name == "full_name").count() >= 2, "Tab cycles: {inside:?}");
    desktop.press(Key::Escape).await;
    desktop.wait_for_gone("[role='dialog']").await;
    assert_eq!(desktop.focus().await.name, "new-user", "the focus is back on the button that opened it");
    desktop.close().await;
}
