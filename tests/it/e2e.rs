//! End to end, in the real window: an administrator of the demo hub creates a person who
//! teaches and studies, and that person signs in and moves between both views. Saves a
//! PNG of each main screen under target/screenshots/.

use chrono::Datelike;
use hub_core::demo::DEMO_PASSWORD;
use hub_model::attendance::{Mark, MarkAttendanceRequest};
use hub_model::cms::IdRequest;
use hub_model::devices::UserDevicesRequest;
use hub_model::ops;
use hub_model::users::SetRolesRequest;
use hub_tests::desktop::Desktop;
use hub_tests::server::HubProcess;
use hub_tests::smtp::{SmtpOptions, SmtpServer};
use hub_tests::{TestUser, TEST_PASSWORD};
use sqlx::PgPool;

const HUB_STATUS: &str = "[data-testid='database-status']";
const SIGNED_IN: &str = "[data-testid='signed-in-user']";
const PRESSED_VIEW: &str = ".switcher__option[aria-pressed='true']";
/// Every toast showing: a new one may sit under one still fading.
const TOASTS: &str = ".toasts";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_demo_admin_creates_an_instructor_student_who_signs_in_and_switches_views(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.wait_for_text(HUB_STATUS, "Hub reachable").await;
    desktop.screenshot("01-sign-in").await;

    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text(".content__lead", "administration view").await;
    // The home screen's announcements: unread until marked read.
    desktop.wait_for_text("[data-testid='feed']", "Welcome to the new Digital Hub app").await;
    desktop.wait_for_text("[data-testid='feed'] .feed__header", "unread").await;
    // A student's public page waits for approval: said on the admin's home, not left out.
    desktop.wait_for_text("[data-testid='public-profiles-review']", "Waiting for your approval").await;
    desktop.screenshot("02-admin-home").await;
    desktop.click_text("button", "Mark all read").await;
    desktop.wait_for_gone("[data-testid='feed'] .feed__item--unread").await;

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
    // The admin gives the first password here (without it, Nour would be mailed an
    // invitation to choose one: tests/it/passwords.rs and the window test below).
    desktop.click("#choose-password").await;
    let password = "nour's first password";
    desktop.type_into("#password", password).await;
    desktop.press_enter_in("#email").await;
    desktop
        .wait_for_text("[data-testid='user-created']", "Nour Haddad signs in with nour@example.org.")
        .await;
    desktop.screenshot("05-user-created").await;
    desktop.click("[data-testid='created-done']").await;
    desktop.wait_for_gone("[role='dialog']").await;

    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    // The new person: both views, teaching first.
    desktop.sign_in("nour@example.org", password).await;
    assert_eq!(desktop.text(SIGNED_IN).await, "Nour Haddad");
    desktop.wait_for_text(PRESSED_VIEW, "Teaching").await;
    desktop.wait_for_text(".content__lead", "teaching view").await;
    desktop.screenshot("06-instructor-home").await;
    desktop.click_text(".switcher__option", "Learning").await;
    desktop.wait_for_text(PRESSED_VIEW, "Learning").await;
    desktop.wait_for_text(".content__lead", "learning view").await;
    desktop.click_text(".switcher__option", "Teaching").await;
    desktop.wait_for_text(PRESSED_VIEW, "Teaching").await;

    desktop.close().await;

    let roles: (bool, bool, bool) =
        sqlx::query_as("select is_admin, is_instructor, is_student from users where email = $1")
            .bind("nour@example.org")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(roles, (false, true, true), "an instructor who studies");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_person_fixes_their_profile_joins_the_website_and_changes_their_password(pool: PgPool) {
    TestUser { is_student: true, ..TestUser::INSTRUCTOR }.insert(&pool, "nour@example.org", None).await;
    TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("nour@example.org", TEST_PASSWORD).await;
    desktop.wait_for_text(PRESSED_VIEW, "Teaching").await;

    // Their own profile: a bad link is refused under its field; then saved.
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
    desktop.wait_for_text(TOASTS, "Your profile is saved.").await;
    // Nobody is on the website for holding a role: Nour chooses to be.
    desktop.wait_for_text("[data-testid='on-the-website']", "You are not on the website").await;
    desktop.click("#list-me").await;
    desktop.wait_for_text(TOASTS, "You are listed on the website's team page.").await;
    desktop.screenshot("07b-on-the-website").await;

    // A photo from the computer: a file that is no image is refused beside the field, a
    // photograph is uploaded, shown, and saved with the profile.
    let folder = std::env::temp_dir().join(format!("hub-photo-{}-{}", std::process::id(), hub.url.len()));
    std::fs::create_dir_all(&folder).unwrap();
    let (notes, photo) = (folder.join("notes.png"), folder.join("nour.jpg"));
    std::fs::write(&notes, "not a picture").unwrap();
    image::RgbImage::from_fn(900, 900, |x, y| image::Rgb([200, (x / 4) as u8, (y / 4) as u8]))
        .save_with_format(&photo, image::ImageFormat::Jpeg)
        .unwrap();
    desktop.choose_file("#avatar_url", &notes).await;
    desktop.wait_for_text("#avatar_url-error", "Is not a JPEG, PNG or WebP image").await;
    desktop.choose_file("#avatar_url", &photo).await;
    desktop.wait_for_image("[data-testid='avatar_url-field'] img").await;
    desktop.click_text("button", "Save profile").await;
    desktop.wait_for_text(TOASTS, "Your profile is saved.").await;
    desktop.screenshot("07c-my-profile-photo").await;
    std::fs::remove_dir_all(&folder).unwrap();
    let avatar: Option<String> = sqlx::query_scalar(
        "select i.avatar_url from users u join instructor_profiles i on i.user_id = u.id where u.email = $1",
    )
    .bind("nour@example.org")
    .fetch_one(&pool)
    .await
    .unwrap();
    let avatar = avatar.expect("the photo is saved with the profile");
    let path = hub_model::media::MediaPath::parse(&avatar).expect("an image the hub keeps");
    // The website's team page shows it, small.
    let socket = hub.url.trim_start_matches("http://").trim_end_matches('/').parse().expect("host:port");
    let team = hub_tests::http_get(socket, "/team", &[]).await.body;
    assert!(team.contains(&format!("src=\"{}\"", path.at(160))), "{team}");

    // A new password: the two copies must agree; then it is the one that signs in.
    let new_password = "a longer passphrase of her own";
    desktop.type_into("#current_password", TEST_PASSWORD).await;
    desktop.type_into("#new_password", new_password).await;
    desktop.type_into("#confirm_password", "something else").await;
    desktop.click_text("button", "Change password").await;
    assert_eq!(desktop.text("#confirm_password-error").await, "The two new passwords differ.");
    desktop.clear_and_type("#confirm_password", new_password).await;
    desktop.click_text("button", "Change password").await;
    desktop.wait_for_text(TOASTS, "Your password is changed; your other devices are signed out.").await;
    desktop.click_text("button", "Sign out").await;
    desktop.sign_in("nour@example.org", new_password).await;
    desktop.wait_for_text(SIGNED_IN, "Nour Haddad-Khoury").await;
    desktop.click_text("button", "Sign out").await;

    // An administrator sees the photo beside Nour's name in the list of people.
    desktop.sign_in("maya@example.org", TEST_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.wait_for_text("[data-testid='users-table']", "Nour Haddad-Khoury").await;
    desktop.wait_for_image("[data-testid='user-row'] img.avatar").await;
    desktop.screenshot("03b-users-with-photo").await;
    desktop.close().await;

    let linkedin: Option<String> = sqlx::query_scalar(
        "select s.linkedin_url from users u join student_profiles s on s.user_id = u.id where u.email = $1",
    )
    .bind("nour@example.org")
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(linkedin.as_deref(), Some("https://linkedin.com/in/nour"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_edits_roles_profile_access_and_password_in_the_user_dialog(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "root@example.org", None).await;
    TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("root@example.org", TEST_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–2 of 2 users").await;
    desktop.click("[aria-label='Edit Test sam@example.org']").await;
    desktop.wait_for_text(".dialog__title", "Edit Test sam@example.org").await;

    // Roles apply at once.
    desktop.click("#is-instructor").await;
    desktop.wait_for_text(TOASTS, "Roles saved.").await;
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
    desktop.click("#listed").await;
    desktop.click("[data-testid='save-profile']").await;
    desktop.wait_for_text(TOASTS, "Profile saved.").await;
    // Their public page waits for the admin to approve what they wrote.
    desktop.wait_for_text("[data-testid='public-text']", "Not approved yet").await;
    desktop.screenshot("08b-approve-public-text").await;
    desktop.click("[data-testid='approve-public-text']").await;
    desktop.wait_for_text("[data-testid='public-text']", "as approved on").await;

    // A one-time password, after a confirmation.
    desktop.click("#tab-password").await;
    desktop.click("[data-testid='generate-password']").await;
    desktop.click("[data-testid='confirm']").await;
    let password = desktop.text("[data-testid='one-time-password']").await;
    desktop.screenshot("09-edit-user-password").await;

    // Sam signs in on two computers; the admin sees both and signs one out, then the other.
    let sams = hub_client::HubClient::new(hub.address(), None).unwrap();
    let mut tokens = Vec::new();
    for device in ["Sam's laptop (Linux)", "Library PC (Windows)"] {
        let login = hub_model::auth::LoginRequest {
            identifier: "sam@example.org".to_owned(),
            password: password.clone(),
            device: Some(device.to_owned()),
        };
        tokens.push(sams.sign_in(&login).await.unwrap().token);
    }
    desktop.click("#tab-devices").await;
    desktop.wait_for_text("[data-testid='user-devices']", "Library PC (Windows)").await;
    desktop.wait_for_text("[data-testid='user-devices']", "Sam's laptop (Linux)").await;
    desktop.screenshot("09b-edit-user-devices").await;
    desktop.click("[data-testid='user-devices'] tbody tr:first-child [data-testid='revoke-device']").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text(TOASTS, "is signed out.").await;
    desktop.wait_for_gone("[data-testid='user-devices'] tbody tr:nth-child(2)").await;
    let me = |token: &hub_model::auth::SessionToken| {
        let (sams, token) = (sams.clone(), token.clone());
        async move { sams.call::<hub_model::ops::Me>(Some(&token), &hub_model::NoRequest {}).await.is_ok() }
    };
    let signed_in = [me(&tokens[0]).await, me(&tokens[1]).await];
    assert_eq!(signed_in.iter().filter(|live| **live).count(), 1, "one device signed out: {signed_in:?}");
    desktop.click("[data-testid='revoke-all-devices']").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text("[data-testid='no-devices']", "is not signed in anywhere").await;
    assert!(!me(&tokens[0]).await && !me(&tokens[1]).await, "signed out everywhere");

    // Deactivation asks first, then takes effect.
    desktop.click("#tab-account").await;
    desktop.click("[data-testid='deactivate']").await;
    desktop.wait_for_text("[data-testid='confirm-dialog'] .dialog__title", "Deactivate this account?").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text("[data-testid='users-table'] tbody", "Deactivated").await;
    desktop.wait_for_enabled("[data-testid='reactivate']").await;
    desktop.close().await;

    let sam = sqlx::query!(
        "select u.is_active, u.is_instructor, s.public_slug, i.expertise, i.is_public,
                s.approved_at is not null as \"approved!\"
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
    assert!(sam.is_public && sam.approved, "listed, and their public text approved");
    let login =
        hub_model::auth::LoginRequest { identifier: "sam@example.org".to_owned(), password, device: None };
    let refused = hub_client::HubClient::new(hub.address(), None).unwrap().sign_in(&login).await.unwrap_err();
    assert!(refused.message.contains("deactivated"), "{refused:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_edits_the_website_sees_the_theme_live_and_previews_the_home_page(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    assert_eq!(desktop.css_variable("--primary").await, "#3b5bdb", "the demo's theme applies at start");
    desktop.click("[data-testid='nav-website']").await;

    // Settings: a bad email is named; then saved.
    desktop.wait_for_text("[data-testid='site-settings']", "Last saved").await;
    desktop.clear_and_type("#site_name", "Digital Hub Beirut").await;
    desktop.clear_and_type("#contact_email", "hello@").await;
    desktop.click("[data-testid='save-site']").await;
    desktop.wait_for("#contact_email-error").await;
    desktop.screenshot("10-website-settings-error").await;
    desktop.clear_and_type("#contact_email", "hello@digitalhub.example.org").await;
    desktop.click("[data-testid='save-site']").await;
    desktop.wait_for_text(TOASTS, "Site settings saved.").await;

    // Theme: an invalid color is refused; a valid one applies to this window at once.
    desktop.click("#tab-theme").await;
    desktop.click("[aria-label='Edit --primary']").await;
    desktop.clear_and_type("#value", "blue; x").await;
    desktop.click("[data-testid='save-token']").await;
    desktop.wait_for_text("#value-error", "Must be a CSS color").await;
    desktop.clear_and_type("#value", "#e8590c").await;
    desktop.screenshot("11-website-theme-token").await;
    desktop.click("[data-testid='save-token']").await;
    desktop.wait_for_text(TOASTS, "--primary saved.").await;
    desktop.wait_for_gone("[data-testid='token-dialog']").await;
    let started = std::time::Instant::now();
    while desktop.css_variable("--primary").await != "#e8590c" && started.elapsed().as_secs() < 10 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(desktop.css_variable("--primary").await, "#e8590c", "the new color applies without a restart");

    // Pages: a block with a problem is named by number; a good page is published.
    desktop.click("#tab-pages").await;
    desktop.click("[data-testid='new-page']").await;
    desktop.type_into("#key", "faq").await;
    desktop.type_into("#title", "Questions").await;
    desktop.type_into("#block-0-text", "Frequently asked").await;
    desktop.click_text("button", "Image").await;
    desktop.click("#is_published").await;
    desktop.click("[data-testid='save-page']").await;
    desktop
        .wait_for_text(
            "#content-error",
            "Block 2: the image must be an uploaded image or start with https://",
        )
        .await;
    desktop.screenshot("12-website-page-editor").await;
    desktop.click("[aria-label='Remove block 2']").await;
    desktop.click("[data-testid='save-page']").await;
    desktop.wait_for_text(TOASTS, "The faq page is saved and published.").await;
    desktop.wait_for_text("[data-testid='pages-table']", "/faq").await;

    // Home: the hero goes down one place.
    desktop.click("#tab-home").await;
    desktop.wait_for_text("[data-testid='section-row']", "Learn to build").await;
    desktop.click("[aria-label='Move Learn to build. Get hired. down']").await;
    desktop.wait_for_text(TOASTS, "New order saved.").await;
    desktop.wait_for_text("[data-testid='section-row']", "Our programs").await;
    desktop.screenshot("13-website-home-sections").await;

    // The preview is the site's own home page, written by the hub, at a laptop's width too.
    desktop.click("#tab-preview").await;
    let page = desktop.wait_for_preview("Digital Hub Beirut").await;
    assert!(page.contains("hello@digitalhub.example.org"), "the footer's contact: {page}");
    desktop.click("[data-testid='preview-laptop']").await;
    desktop.wait_for("[data-testid='site-preview'] iframe[data-screen='laptop']").await;
    desktop.screenshot("14-website-preview").await;
    desktop.close().await;

    let served = hub_core::website::home(&pool).await.unwrap();
    let keys: Vec<&str> = served.sections.iter().map(|section| section.key.as_str()).collect();
    assert_eq!(&keys[..2], ["programs_preview", "hero"]);
    assert_eq!(hub_core::website::page(&pool, "faq").await.unwrap().title.as_deref(), Some("Questions"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_works_a_contact_message_from_new_to_resolved_in_the_inbox(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    sqlx::query!(
        "insert into contact_messages (name, email, subject, message)
         values ('Rana Saad', 'rana@example.org', 'Visiting on Friday', 'Can I visit the hub on Friday afternoon?')"
    )
    .execute(&pool)
    .await
    .unwrap();
    let waiting: i64 =
        sqlx::query_scalar!("select count(*) as \"n!\" from contact_messages where status = 'new'")
            .fetch_one(&pool)
            .await
            .unwrap();
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text("[data-testid='new-messages']", &waiting.to_string()).await;

    desktop.click("[data-testid='nav-inbox']").await;
    desktop.wait_for_text("[data-testid='inbox-table']", "Rana Saad").await;
    desktop.type_into("[data-testid='inbox-search']", "friday").await;
    desktop.press_enter_in("[data-testid='inbox-search']").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 messages").await;
    desktop.click("[data-testid='inbox-row'] button").await;
    desktop.wait_for_text("[data-testid='inbox-message']", "Can I visit the hub on Friday afternoon?").await;
    desktop.click_text("button", "Take it").await;
    desktop.wait_for_text("[data-testid='inbox-table']", "Maya Khoury").await;
    desktop.type_into("#reply", "Yes, do come by! Ask for Maya at the desk.").await;
    desktop.click("[data-testid='send-reply']").await;
    desktop.wait_for_text(TOASTS, "Your reply is on its way to rana@example.org.").await;
    desktop.wait_for_text("[data-testid='reply']", "Maya Khoury replied by email").await;
    desktop.wait_for_text("[data-testid='reply']", "Yes, do come by! Ask for Maya at the desk.").await;
    desktop.click("[data-testid='resolve']").await;
    desktop.wait_for_text(TOASTS, "Marked resolved.").await;
    desktop.wait_for_text("[data-testid='inbox-table']", "Resolved").await;
    desktop.dismiss_toasts().await;
    desktop.screenshot("15-inbox").await;
    desktop.click("[data-testid='nav-home']").await;
    desktop.wait_for_text("[data-testid='new-messages']", &(waiting - 1).to_string()).await;
    desktop.close().await;

    let stored = sqlx::query!(
        "select status, resolved_at, assigned_to from contact_messages where email = 'rana@example.org'"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored.status, "resolved");
    assert!(stored.resolved_at.is_some() && stored.assigned_to.is_some());
    // The reply waits in the outbox for a server with mail settings (this one has none).
    let queued: Vec<(String, String)> =
        sqlx::query_as("select recipient, subject from mail_outbox where kind = 'inbox_reply'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(queued, [("rana@example.org".to_owned(), "Re: Visiting on Friday".to_owned())]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_sends_a_test_message_reads_why_one_failed_and_tries_it_again(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let smtp = SmtpServer::start_with(&SmtpOptions {
        reject: vec!["gone@example.org".to_owned()],
        ..SmtpOptions::default()
    });
    let database_url = hub_tests::server::server_role_url(&pool).await;
    let extra = ["--smtp-url", &smtp.url(), "--mail-from", "Digital Hub <hub@demo.digitalhub.dev>"];
    let hub = HubProcess::spawn(database_url, "127.0.0.1:0".to_owned(), extra.map(str::to_owned).to_vec());
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-mail']").await;
    let through = format!(
        "Through 127.0.0.1:{} (security: none), from Digital Hub <hub@demo.digitalhub.dev>.",
        smtp.port
    );
    desktop.wait_for_text("[data-testid='mail-settings']", &through).await;
    desktop
        .wait_for_text("[data-testid='outbox-table']", "Messages to applicants and students appear here")
        .await;

    // To the admin's own address: it arrives, and the list shows it sent without a reload.
    desktop.click("[data-testid='send-test']").await;
    desktop.wait_for_text(TOASTS, "A test message to admin@demo.digitalhub.dev is on its way.").await;
    let received = smtp.wait_for(1).await;
    assert_eq!(received[0].rcpt_to, ["admin@demo.digitalhub.dev"]);
    assert!(received[0].text.contains("sent because Maya Khoury asked for one"), "{}", received[0].text);
    desktop.wait_for_text("[data-testid='outbox-table']", "Sent").await;

    // To an address its server refuses: failed, with the server's words.
    desktop.type_into("#to", "gone@example.org").await;
    desktop.click("[data-testid='send-test']").await;
    desktop.wait_for_text(TOASTS, "A test message to gone@example.org is on its way.").await;
    desktop.wait_for_text("[data-testid='outbox-table']", "Failed").await;
    desktop.click("[data-testid='outbox-search']").await;
    desktop.type_into("[data-testid='outbox-search']", "gone").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 messages").await;
    desktop.click("[data-testid='outbox-row'] button").await;
    desktop.wait_for_text("[data-testid='provider-answer']", "550").await;
    desktop.dismiss_toasts().await;
    desktop.scroll_to("[data-testid='outbox-message']").await;
    desktop.screenshot("37-mail").await;
    desktop.click("[data-testid='retry-mail']").await;
    desktop.wait_for_text(TOASTS, "It is tried again now.").await;
    // Tried again from the start, and refused again.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, tries): (String, i32) =
            sqlx::query_as("select status, attempts from mail_outbox where recipient = 'gone@example.org'")
                .fetch_one(&pool)
                .await
                .unwrap();
        if (status.as_str(), tries) == ("failed", 1) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {status} after {tries} tries");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    desktop.click("[data-testid='nav-home']").await;
    desktop.wait_for_text("[data-testid='mail-notice']", "1 message could not be sent. See Mail.").await;
    desktop.close().await;
    assert_eq!(smtp.received().len(), 1, "the refused address received nothing");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_approved_applicant_chooses_a_password_with_the_emailed_code_and_signs_in(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let smtp = SmtpServer::start();
    let database_url = hub_tests::server::server_role_url(&pool).await;
    let extra = ["--smtp-url", &smtp.url(), "--mail-from", "Digital Hub <hub@demo.digitalhub.dev>"];
    let hub = HubProcess::spawn(database_url, "127.0.0.1:0".to_owned(), extra.map(str::to_owned).to_vec());
    let desktop = Desktop::open(&hub.url).await;
    let georges = "georges.tannous@applicants.demo.digitalhub.dev";

    // The admin approves Georges; nobody is shown a password.
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-applications']").await;
    desktop.click("[aria-label='Review Georges Tannous']").await;
    desktop.click("[data-testid='approve']").await;
    desktop
        .wait_for_text(
            "[data-testid='invitation-sent']",
            &format!("An invitation is on its way to {georges}"),
        )
        .await;
    desktop.click_text("button", "Close").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    // His approval, then his invitation, arrive at the mail server.
    let received = smtp.wait_for(2).await;
    assert_eq!(received[0].rcpt_to, [georges]);
    assert_eq!(received[1].subject, "Your Digital Hub account: choose your password");
    let code = received[1].code();

    // On the sign-in screen: "Have a code?". A wrong code is named where it was typed.
    desktop.click("[data-testid='have-code']").await;
    desktop.wait_for_text("h1", "Choose your password").await;
    desktop.type_into("#email", georges).await;
    desktop.type_into("#code", "AAAA-BBBB-CCCC-DDDD").await;
    desktop.type_into("#new_password", "georges chose this").await;
    desktop.press_enter_in("#new_password").await;
    desktop.wait_for_text("#code-error", "Is wrong for this address, used already, or expired").await;
    desktop.screenshot("38-choose-password").await;
    desktop.clear_and_type("#code", &code).await;
    desktop.click("[data-testid='set-password']").await;
    // The password set, he is signed in with it, a student.
    desktop.wait_for_text(SIGNED_IN, "Georges Tannous").await;
    desktop.wait_for_text(".content__lead", "learning view").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    // Forgot it already: a new code by mail, a new password, signed in again.
    desktop.click("[data-testid='forgot-password']").await;
    desktop.wait_for_text("h1", "Forgot your password?").await;
    desktop.type_into("#email", georges).await;
    desktop.click("[data-testid='send-code']").await;
    desktop
        .wait_for_text(
            "[data-testid='code-requested']",
            &format!("If an account uses {georges}, a code is on its way"),
        )
        .await;
    let received = smtp.wait_for(3).await;
    assert_eq!(received[2].subject, "Your Digital Hub password code");
    assert_eq!(desktop.focused_id().await.as_deref(), Some("code"), "the address is known: on to the code");
    desktop.type_into("#code", &received[2].code()).await;
    desktop.type_into("#new_password", "georges chose again").await;
    desktop.press_enter_in("#new_password").await;
    desktop.wait_for_text(SIGNED_IN, "Georges Tannous").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_plans_a_program_opens_a_cohort_of_it_and_reads_a_running_one(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;

    // Programs: a new one, its mistakes named first; deleting another says what goes with it.
    desktop.click("[data-testid='nav-programs']").await;
    desktop.wait_for_text("[data-testid='programs-table']", "Full-Stack Web Development").await;
    desktop.click("[data-testid='new-program']").await;
    desktop.click("[data-testid='save-program']").await;
    assert_eq!(desktop.text("#title-error").await, "Enter the program's title.");
    desktop.type_into("#title", "Cyber Security").await;
    desktop.type_into("#default_capacity", "18").await;
    desktop.press_enter_in("#default_capacity").await;
    desktop.wait_for_text(TOASTS, "Cyber Security is saved.").await;
    desktop.wait_for_text("[data-testid='programs-table']", "/cyber-security").await;
    desktop.dismiss_toasts().await;
    desktop.screenshot("16-programs").await;
    desktop.click("[aria-label='Delete UX/UI Design']").await;
    desktop.wait_for_text("[data-testid='confirm-dialog']", "This also removes 1 cohort").await;
    desktop.screenshot("17-program-delete-impact").await;
    desktop.click_text("button", "Cancel").await;
    desktop.wait_for_gone("[data-testid='confirm-dialog']").await;

    // A cohort of it, then its page: announced as coming soon, an instructor assigned.
    let program: i64 = sqlx::query_scalar!("select id from programs where slug = 'cyber-security'")
        .fetch_one(&pool)
        .await
        .unwrap();
    desktop.click("[data-testid='nav-cohorts']").await;
    desktop.wait_for_text("[data-testid='cohorts-table']", "Autumn 2026").await;
    desktop.click("[data-testid='new-cohort']").await;
    desktop.set_value("#program_id", &program.to_string()).await;
    desktop.type_into("#name", "Summer 2027").await;
    desktop.set_value("#start_date", "2027-06-01").await;
    desktop.set_value("#end_date", "2027-05-01").await;
    desktop.click("[data-testid='save-cohort']").await;
    desktop.wait_for_text("#end_date-error", "Cannot be before the start date.").await;
    desktop.set_value("#end_date", "2027-09-30").await;
    desktop.click("[data-testid='save-cohort']").await;
    desktop.wait_for_text("[data-testid='cohort-title']", "Summer 2027").await;
    desktop.wait_for_text("[data-testid='cohort-seats']", "0 / 18").await;
    desktop.click("[data-status='coming_soon']").await;
    desktop.wait_for_text("[data-testid='cohort-status']", "Coming soon").await;
    let karim: i64 =
        sqlx::query_scalar!("select id from users where email = 'instructor@demo.digitalhub.dev'")
            .fetch_one(&pool)
            .await
            .unwrap();
    desktop.set_value("[data-testid='assign-instructor']", &karim.to_string()).await;
    desktop.set_value("[data-testid='assign-role']", "mentor").await;
    desktop.click("[data-testid='assign']").await;
    desktop.wait_for_text("[data-testid='cohort-instructors']", "Karim Nassar").await;
    desktop.dismiss_toasts().await;
    desktop.screenshot("18-cohort-page").await;
    let announced: i64 = sqlx::query_scalar!(
        "select count(*) as \"n!\" from announcements a join cohorts c on c.id = a.cohort_id
          where c.name = 'Summer 2027' and c.program_id = $1 and a.is_auto and a.target_audience = 'website'",
        program
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(announced, 1, "coming soon is announced on the website once");

    // The running demo cohort: its students (a dropped one last) and sessions.
    desktop.click_text("button", "← Cohorts").await;
    desktop.set_value("[data-testid='cohort-status']", "running").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 cohorts").await;
    desktop.click("[data-testid='cohort-row'] button").await;
    desktop.wait_for_text("[data-testid='cohort-students']", "Dropped").await;
    desktop.wait_for_text("[data-testid='cohort-sessions']", "On site").await;
    desktop.scroll_to("#students-title").await;
    desktop.screenshot("19-cohort-students-sessions").await;
    // The running cohort at a glance: its marks by week, and who is under its threshold.
    desktop.wait_for_text("[data-testid='cohort-attendance'] table", "Week of").await;
    desktop.wait_for("[data-testid='at-risk']").await;

    // Its low-attendance mail: a stricter threshold, no digest for its instructors.
    desktop.scroll_to("[data-testid='attendance-mail']").await;
    desktop.clear_and_type("#threshold_percent", "150").await;
    desktop.click("[data-testid='save-attendance-mail']").await;
    desktop.wait_for_text("#threshold_percent-error", "Enter a whole percent from 0 to 100.").await;
    desktop.clear_and_type("#threshold_percent", "85").await;
    desktop.click("#digest-instructors").await;
    desktop.click("[data-testid='save-attendance-mail']").await;
    desktop.wait_for_text(TOASTS, "Attendance mail saved.").await;
    desktop.screenshot("19b-cohort-attendance-mail").await;
    // The cohort's check-in times: a bad one is named under its field; then saved.
    desktop.clear_and_type("#checkin_late", "800").await;
    desktop.click("[data-testid='save-checkin-defaults']").await;
    desktop.wait_for_text("#checkin_late-error", "Enter whole minutes from 0 to 720.").await;
    desktop.clear_and_type("#checkin_late", "5").await;
    desktop.click("[data-testid='save-checkin-defaults']").await;
    desktop.wait_for_text(TOASTS, "Check-in times saved.").await;
    desktop.close().await;
    let late: i16 = sqlx::query_scalar("select checkin_late_minutes from cohorts where status = 'running'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(late, 5);
    let saved: (f64, bool, bool) = sqlx::query_as(
        "select attendance_threshold::float8, attendance_notices, attendance_digests from cohorts where status = 'running'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(saved, (0.85, true, false));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_posts_an_event_marks_it_done_and_schedules_news_for_students(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;

    // An event: planned, then done by hand, so it moves to the past.
    desktop.click("[data-testid='nav-events']").await;
    desktop.wait_for_text("[data-testid='events-table']", "Tech Talk: Rust in production").await;
    desktop.click("[data-testid='new-event']").await;
    desktop.type_into("#title", "Hack night").await;
    desktop.type_into("#slug", "hack-night").await;
    desktop.set_value("#starts_at", "2099-01-15T18:00").await;
    desktop.click("#is_published").await;
    desktop.click("[data-testid='save-event']").await;
    desktop.wait_for_text(TOASTS, "Hack night is saved.").await;
    desktop.wait_for_text("[data-testid='events-table']", "Hack night").await;
    desktop.dismiss_toasts().await;
    desktop.screenshot("20-events").await;
    desktop.click("[aria-label='Mark Hack night done']").await;
    desktop.wait_for_text(TOASTS, "Hack night is marked done.").await;
    desktop.click_text("button", "Past").await;
    desktop.wait_for_text("[data-testid='events-table']", "Hack night").await;

    // News for students, scheduled for later.
    desktop.click("[data-testid='nav-announcements']").await;
    desktop.wait_for_text("[data-testid='announcements-table']", "Holiday closing (draft)").await;
    desktop.click("[data-testid='new-announcement']").await;
    desktop.type_into("#title", "Closed on Monday").await;
    desktop.type_into("#body", "The hub is closed for the holiday.").await;
    desktop.set_value("#target_audience", "student").await;
    desktop.click("[data-testid='timing-later']").await;
    desktop.set_value("#publish_at", "2099-03-01T09:00").await;
    // Mailed to the students too, when its time comes.
    desktop.click("#send_email").await;
    desktop.click("[data-testid='save-announcement']").await;
    desktop.wait_for_text(TOASTS, "“Closed on Monday” is scheduled.").await;
    desktop.set_value("[data-testid='announcement-state']", "scheduled").await;
    desktop.wait_for_text("[data-testid='announcements-table'] tbody", "Closed on Monday").await;
    desktop.wait_for_text("[data-testid='announcements-table'] tbody", "emailed when it shows").await;
    desktop.dismiss_toasts().await;
    desktop.screenshot("21-announcements").await;
    desktop.type_into("[data-testid='announcement-search']", "holiday").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 announcements").await;
    desktop.close().await;

    let done: bool = sqlx::query_scalar!("select is_done from events where slug = 'hack-night'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(done);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_sees_their_cohorts_and_tells_one_of_them_something(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text("[data-testid='my-cohorts']", "Autumn 2026").await;
    desktop.click("[data-testid='post-announcement']").await;
    desktop.wait_for_text("#title-error", "Enter a title.").await;
    desktop.type_into("#title", "Bring your laptops").await;
    desktop.type_into("#body", "Tomorrow we pair on the capstone.").await;
    desktop.click("[data-testid='post-announcement']").await;
    desktop.wait_for_text(TOASTS, "“Bring your laptops” is posted to your students.").await;
    desktop.wait_for_text("[data-testid='feed']", "Tomorrow we pair on the capstone.").await;
    desktop.screenshot("22-instructor-home").await;
    desktop.close().await;

    let posted = sqlx::query!(
        "select a.target_audience, c.name from announcements a join cohorts c on c.id = a.cohort_id
          where a.title = 'Bring your laptops'"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((posted.target_audience.as_str(), posted.name.as_str()), ("student", "Autumn 2026"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_reviews_an_application_enrolls_students_and_edits_the_application_form(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    // The funnel on the home screen: the open cohort's applications by status.
    desktop.wait_for_text("[data-testid='funnel']", "Winter 2027").await;
    desktop.screenshot("23-admin-home-funnel").await;

    // A pending application, read and approved: the new student is invited to choose a password.
    desktop.click("[data-testid='nav-applications']").await;
    desktop.wait_for_text("[data-testid='applications-table']", "Georges Tannous").await;
    desktop.click("[aria-label='Review Georges Tannous']").await;
    desktop.wait_for_text("[data-testid='application-answers']", "Why this program?").await;
    desktop.screenshot("24-application-review").await;
    desktop.click("[data-testid='approve']").await;
    desktop
        .wait_for_text(
            "[data-testid='invitation-sent']",
            "An invitation is on its way to georges.tannous@applicants.demo.digitalhub.dev",
        )
        .await;
    desktop.wait_for_text("[data-testid='application-dialog'] .badge", "Approved").await;
    desktop.click_text("button", "Close").await;
    desktop.wait_for_gone("[data-testid='application-dialog']").await;

    // The running cohort: a student found by name and enrolled, another one paused.
    desktop.click("[data-testid='nav-cohorts']").await;
    desktop.set_value("[data-testid='cohort-status']", "open").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 cohorts").await;
    desktop.click("[data-testid='cohort-row'] button").await;
    desktop.wait_for_text("[data-testid='cohort-students']", "Georges Tannous").await;
    desktop.type_into("[data-testid='enroll-search']", "Nour").await;
    desktop.wait_for_enabled("[data-testid='enroll-student']").await;
    let nour: i64 = sqlx::query_scalar!("select id from users where email = 'student@demo.digitalhub.dev'")
        .fetch_one(&pool)
        .await
        .unwrap();
    desktop.set_value("[data-testid='enroll-student']", &nour.to_string()).await;
    desktop.click("[data-testid='enroll']").await;
    desktop.wait_for_text(TOASTS, "is enrolled.").await;
    let name: String =
        sqlx::query_scalar!("select display_name from user_directory where user_id = $1", nour)
            .fetch_one(&pool)
            .await
            .unwrap();
    desktop.set_value(&format!("[aria-label='Enrollment of {name}']"), "paused").await;
    desktop.wait_for_text(TOASTS, "is paused.").await;
    desktop.dismiss_toasts().await;
    desktop.scroll_to("#students-title").await;
    desktop.screenshot("25-cohort-enrollments").await;

    // The application form: a new question, seen in the preview and checked as the website would.
    desktop.click("[data-testid='nav-forms']").await;
    desktop.wait_for_text("[data-testid='form-fields']", "Why this program?").await;
    desktop.click("[data-testid='add-field']").await;
    desktop.type_into("#label", "Do you have a laptop?").await;
    desktop.type_into("#name", "Has Laptop").await;
    desktop.set_value("#field_type", "select").await;
    desktop.type_into("#options", "Yes\nNo").await;
    desktop.click("#required").await;
    desktop.click("[data-testid='save-field']").await;
    desktop.wait_for_text("#name-error", "Must start with a lower-case letter").await;
    desktop.clear_and_type("#name", "has_laptop").await;
    desktop.click("[data-testid='save-field']").await;
    desktop.wait_for_text("[data-testid='form-fields']", "Do you have a laptop?").await;
    desktop.wait_for_text("[data-testid='form-preview']", "Do you have a laptop?").await;
    desktop.click("[aria-label='Move Do you have a laptop? up']").await;
    desktop.click("[data-testid='preview-check']").await;
    desktop.wait_for_text("[data-testid='form-preview'] .field__error", "Is required.").await;
    desktop.dismiss_toasts().await;
    desktop.scroll_to("h1").await;
    desktop.screenshot("26-form-builder").await;
    desktop.close().await;

    let order: Vec<String> = sqlx::query_scalar!(
        "select ff.name from form_fields ff join forms f on f.id = ff.form_id
          where f.key = 'cohort_application' order by ff.sort_order, ff.id"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let at = order.iter().position(|name| name == "has_laptop").unwrap();
    assert_eq!(at + 2, order.len(), "moved up one place from the end: {order:?}");
    let enrolled: String = sqlx::query_scalar!(
        "select e.status from enrollments e join cohorts c on c.id = e.cohort_id
          where e.student_user_id = $1 and c.status = 'open'",
        nour
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(enrolled, "paused");
}

/// A session of the demo instructor's running cohort starting now, in the hub's time zone,
/// with a student of the test's (Sami) enrolled beside the demo's: the session's id.
async fn session_starting_now(pool: &PgPool) -> i64 {
    let session: i64 = sqlx::query_scalar(
        "insert into sessions (cohort_id, date, starts_at, title)
         select c.id, local::date, local::time, 'Live check-in'
           from cohorts c
           join cohort_instructors ci on ci.cohort_id = c.id
           join users u on u.id = ci.instructor_user_id and u.email = 'instructor@demo.digitalhub.dev'
          cross join (select now() at time zone (select time_zone from site_settings) as local) t
          where c.status = 'running' and exists (
                select 1 from enrollments e join users s on s.id = e.student_user_id
                 where e.cohort_id = c.id and s.email = 'student@demo.digitalhub.dev')
          order by c.id limit 1
         returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let sami = TestUser::STUDENT.insert(pool, "sami@example.org", None).await;
    sqlx::query("update student_profiles set full_name = 'Sami Haddad' where user_id = $1;")
        .bind(sami)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("insert into enrollments (student_user_id, cohort_id) select $1, cohort_id from sessions where id = $2")
        .bind(sami)
        .bind(session)
        .execute(pool)
        .await
        .unwrap();
    session
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_student_checks_in_with_the_code_and_the_instructors_live_list_shows_it_at_once(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let session = session_starting_now(&pool).await;
    let hub = HubProcess::start(&pool).await;
    // The instructor's screen, as a client of the hub: the code a student reads off it.
    let karim = hub_client::HubClient::new(hub.address(), None).unwrap();
    let login = |identifier: &str, password: &str| hub_model::auth::LoginRequest {
        identifier: identifier.to_owned(),
        password: password.to_owned(),
        device: Some("a student's laptop".to_owned()),
    };
    let karim_token =
        karim.sign_in(&login("instructor@demo.digitalhub.dev", DEMO_PASSWORD)).await.unwrap().token;

    // Nour, in the app: today's session, a wrong code (said why), then the right one.
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("student@demo.digitalhub.dev", DEMO_PASSWORD).await;
    let card = format!("[data-session='{session}']");
    desktop.wait_for_text(&card, "Live check-in").await;
    desktop.wait_for_text(&format!("{card} .badge"), "Open").await;
    let code =
        karim.call::<ops::CheckinCodeNow>(Some(&karim_token), &IdRequest { id: session }).await.unwrap().code;
    let wrong = if code == "AAAAAA" { "BBBBBB" } else { "AAAAAA" };
    let input = format!("#code-{session}");
    desktop.type_into(&input, wrong).await;
    desktop.click(&format!("{card} [data-testid='check-in']")).await;
    desktop
        .wait_for_text(&format!("{card} [data-testid='checkin-answer']"), "not the code on the screen")
        .await;
    let code =
        karim.call::<ops::CheckinCodeNow>(Some(&karim_token), &IdRequest { id: session }).await.unwrap().code;
    desktop.clear_and_type(&input, &hub_model::checkin::display(&code).to_lowercase()).await;
    desktop.press_enter_in(&input).await;
    desktop
        .wait_for_text(
            &format!("{card} [data-testid='checkin-answer']"),
            "You're checked in to Live check-in",
        )
        .await;
    desktop.wait_for_text(&format!("{card} [data-testid='checked-in-at']"), "Checked in at").await;
    desktop.screenshot("39-student-checkin").await;
    // Below it, Nour's rate over time: read again with today's check-in in it.
    desktop.wait_for_text("[data-testid='my-attendance']", "Live check-in: present").await;
    desktop.scroll_to("[data-testid='rate-over-time']").await;
    desktop.wait_for_text("[data-testid='rate-over-time'] figcaption", "after each session").await;
    desktop.screenshot("41-student-attendance-trend").await;
    desktop.click_text("button", "Sign out").await;
    desktop.wait_for_text("h1", "Sign in").await;

    // Karim opens the session's check-in: Nour is on the list already.
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-attendance']").await;
    desktop.click(&format!("[data-testid='session-{session}']")).await;
    desktop.click("[data-testid='open-checkin']").await;
    desktop.wait_for_text("[data-testid='checked-in']", "Nour Karam").await;
    let shown = desktop.wait_for_text("[data-testid='checkin-code']", " ").await;
    assert_eq!(
        shown.split_whitespace().collect::<String>().len(),
        hub_model::checkin::CODE_LENGTH,
        "{shown:?}"
    );

    // Sami checks in from their own app with the code on the screen: the list shows them
    // within two seconds, without anyone touching the instructor's screen.
    let sami = hub_client::HubClient::new(hub.address(), None).unwrap();
    let sami_token = sami.sign_in(&login("sami@example.org", TEST_PASSWORD)).await.unwrap().token;
    let request =
        hub_model::checkin::SubmitCheckinRequest { session_id: session, code: shown.clone(), method: None };
    let answer = sami.call::<ops::SubmitCheckin>(Some(&sami_token), &request).await.unwrap();
    assert_eq!(answer.outcome, hub_model::checkin::CheckinOutcome::Present, "{answer:?}");
    let checked_in = std::time::Instant::now();
    desktop.wait_for_text("[data-testid='checked-in']", "Sami Haddad").await;
    let seen_after = checked_in.elapsed();
    assert!(seen_after <= std::time::Duration::from_secs(2), "the live list took {seen_after:?}");
    desktop.wait_for_text("[data-testid='checkin-count']", "2 of").await;
    desktop.screenshot("40-checkin-screen").await;

    // The cohort at a glance in the reports: marks per week, each student's trend, those at
    // risk first with their last absences.
    desktop.click("[data-testid='nav-reports']").await;
    desktop.wait_for("[data-testid='attendance-chart'] svg").await;
    desktop.wait_for_text("[data-testid='attendance-chart'] table", "Week of").await;
    desktop.wait_for("[data-testid='cohort-report'] .sparkline").await;
    desktop.screenshot("42-attendance-reports").await;
    desktop.scroll_to("[data-testid='cohort-report']").await;
    desktop.screenshot("43-attendance-at-risk").await;
    desktop.close().await;

    let marks: Vec<(String, Option<i64>)> = sqlx::query_as(
        "select status, marked_by from attendance_records where session_id = $1 order by enrollment_id",
    )
    .bind(session)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(marks, [("present".to_owned(), None), ("present".to_owned(), None)]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn with_the_hub_stopped_the_check_in_screen_still_shows_the_sessions_codes(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let session = session_starting_now(&pool).await;
    let mut hub = HubProcess::start(&pool).await;
    let home = std::env::temp_dir().join(format!("hub-e2e-checkin-{}", uuid::Uuid::new_v4()));
    // Online first: the offline pack brings today's sessions and their check-in keys.
    let desktop = Desktop::open_at(&hub.url, &home).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-attendance']").await;
    desktop.wait_for(&format!("[data-testid='session-{session}']")).await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;

    // The network goes: the screen makes the codes itself, and says so.
    hub.stop();
    desktop.click(&format!("[data-testid='session-{session}']")).await;
    desktop.click("[data-testid='open-checkin']").await;
    desktop.wait_for_text("[data-testid='checkin-offline']", "made on this computer").await;
    let shown: String = desktop.text("[data-testid='checkin-code']").await.split_whitespace().collect();
    let (secret, now): (Vec<u8>, chrono::DateTime<chrono::Utc>) =
        sqlx::query_as("select secret, now() from session_checkin where session_id = $1")
            .bind(session)
            .fetch_one(&pool)
            .await
            .unwrap();
    let step = hub_model::checkin::step_at(now);
    assert!(
        [step - 1, step, step + 1].iter().any(|step| hub_model::checkin::code(&secret, *step) == shown),
        "{shown} is the session's code now"
    );
    desktop.close().await;
    let _ = std::fs::remove_dir_all(&home);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_marks_a_roster_from_the_keyboard_and_it_syncs(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-attendance']").await;
    desktop.wait_for_text("[data-testid='sessions']", "Autumn 2026").await;
    desktop.wait_for_text("[data-testid='sync-online']", "Online").await;
    let first = desktop.text("[data-testid='roster-row'] .roster__name").await;
    let before: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select clock_timestamp()").fetch_one(&pool).await.unwrap();
    // The first student absent, from the keyboard; the rest present with one click.
    desktop.click("[data-testid='roster-row']").await;
    desktop.type_into("[data-testid='roster-row']", "a").await;
    desktop.wait_for_text("[data-testid='roster-row'] .roster__state", "Absent").await;
    desktop.click("[data-testid='all-present']").await;
    desktop.wait_for_text("[data-testid='all-present']", "Everyone is marked").await;
    let roster = i64::try_from(desktop.count("[data-testid='roster-row']").await).unwrap();
    desktop.click("[data-testid='sync-now']").await;
    // The bar's count may still be the one polled before marking: the server is asked.
    let started = std::time::Instant::now();
    loop {
        let synced: i64 = sqlx::query_scalar(
            "select count(distinct (session_id, enrollment_id)) from attendance_history where received_at >= $1",
        )
        .bind(before)
        .fetch_one(&pool)
        .await
        .unwrap();
        if synced >= roster {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{synced} of {roster} marks synced");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;
    desktop.screenshot("27-attendance").await;
    desktop.close().await;

    let absent: Vec<String> = sqlx::query_scalar!(
        r#"select d.display_name as "name!" from attendance_records r
             join enrollments e on e.id = r.enrollment_id
             join user_directory d on d.user_id = e.student_user_id
             join attendance_history h on h.client_id = r.client_id
            where r.status = 'absent'"#
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(absent, [first], "the mark made from the keyboard reached the database");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_plans_a_recurring_schedule_and_a_student_reads_the_days_plan(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    // The demo's sessions sit around today, so the plan does too: the four Fridays from this
    // week's Monday (this week's row is in the month the calendar opens on), the second
    // one off. The demo has classes Monday to Thursday only, so every Friday is free.
    let today = today_in_the_demo();
    let monday = today - chrono::Duration::days(today.weekday().num_days_from_monday().into());
    let day = |offset: i64| monday + chrono::Duration::days(offset);
    let this_week = first_session_between(&pool, monday, day(6)).await;
    desktop.click("[data-testid='nav-calendar']").await;
    desktop.wait_for_text("[data-testid='calendar']", &this_week).await;
    desktop.click("[data-testid='plan-sessions']").await;
    let running: i64 = sqlx::query_scalar!("select id from cohorts where status = 'running'")
        .fetch_one(&pool)
        .await
        .unwrap();
    desktop.set_value("#cohort_id", &running.to_string()).await;
    for weekday in 1..=4 {
        desktop.click(&format!(".cal__weekdays label:nth-child({weekday}) input")).await;
    }
    desktop.click(".cal__weekdays label:nth-child(5) input").await;
    desktop.set_value("#from", &monday.to_string()).await;
    desktop.set_value("#to", &day(27).to_string()).await;
    desktop.clear_and_type("#title", "Friday lab").await;
    desktop.type_into("#skip", &day(11).to_string()).await;
    desktop.click("[data-testid='preview-plan']").await;
    desktop.wait_for_text("[data-testid='plan-preview']", "3 days, 3 free").await;
    desktop.screenshot("29-plan-preview").await;
    desktop.click("[data-testid='add-plan']").await;
    desktop.wait_for_text(TOASTS, "3 sessions added.").await;
    desktop.dismiss_toasts().await;
    desktop.wait_for_text("[data-testid='calendar']", "Friday lab").await;
    desktop.wait_for_text("[data-testid='calendar']", &this_week).await;
    desktop.screenshot("28-calendar-month").await;

    // One more session by hand: refused with its end before its start, then saved, changed
    // and deleted.
    desktop.click("[data-testid='new-session']").await;
    desktop.set_value("#cohort_id", &running.to_string()).await;
    desktop.clear_and_type("#title", "Office hours").await;
    desktop.set_value("#date", &day(2).to_string()).await;
    desktop.set_value("#starts_at", "15:00").await;
    desktop.set_value("#ends_at", "14:00").await;
    desktop.click("[data-testid='save-session']").await;
    desktop.wait_for_text("#ends_at-error", "Must be after the start").await;
    desktop.set_value("#ends_at", "17:00").await;
    desktop.set_value("#session_type", "workshop").await;
    desktop.type_into("#day_plan", "Bring your questions about the project.").await;
    desktop.screenshot("29b-session-editor").await;
    desktop.click("[data-testid='save-session']").await;
    desktop.wait_for_text(TOASTS, "Office hours on").await;
    desktop.wait_for_text("[data-testid='day-plan']", "Bring your questions about the project.").await;
    desktop.click("[data-testid='edit-session']").await;
    desktop.clear_and_type("#title", "Office hours (room 2)").await;
    desktop.click("[data-testid='save-session']").await;
    desktop.wait_for_text("[data-testid='day-plan']", "Office hours (room 2)").await;
    // Karim assists the cohort: he plans and changes its sessions; deleting one is the lead's.
    assert!(!desktop.exists("[data-testid='delete-session']").await, "no Delete for an assistant");
    desktop.close().await;

    // Lina leads it: she deletes the session, told first what goes with it.
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("lead@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-calendar']").await;
    desktop.click("[data-testid='week-view']").await;
    desktop.click_text("span", "Office hours (room 2)").await;
    desktop.click("[data-testid='delete-session']").await;
    desktop.wait_for_text("[data-testid='confirm-dialog']", "No attendance was marked for it.").await;
    desktop.screenshot("29c-delete-session").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text(TOASTS, "is deleted").await;
    desktop.close().await;
    let by_hand: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where title like 'Office hours%'"#)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(by_hand, 0, "saved and changed by the assistant, then deleted by the lead");
    let fridays: Vec<chrono::NaiveDate> =
        sqlx::query_scalar!("select date from sessions where title = 'Friday lab' order by date")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(fridays, [day(4), day(18), day(25)]);

    // A student of the cohort opens a day's plan from this week.
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("student@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-calendar']").await;
    desktop.click("[data-testid='week-view']").await;
    desktop.wait_for_text("[data-testid='calendar']", &this_week).await;
    desktop.click_text("span", &this_week).await;
    desktop.wait_for_text("[data-testid='day-plan']", "The day's plan").await;
    desktop.screenshot("30-day-plan").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_reads_a_cohorts_attendance_and_exports_it_and_a_student_sees_their_own(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-reports']").await;
    let running: i64 = sqlx::query_scalar!("select id from cohorts where status = 'running'")
        .fetch_one(&pool)
        .await
        .unwrap();
    desktop.set_value("[data-testid='report-cohort']", &running.to_string()).await;
    // The running cohort's report, not the one shown before the choice.
    let report = format!("[data-testid='cohort-report'][data-cohort='{running}']");
    desktop.wait_for_text(&report, "Rate").await;
    desktop.wait_for_text(".content", "sessions held so far").await;
    desktop.screenshot("31-attendance-report").await;
    desktop.click(&format!("{report} tbody tr:first-child button")).await;
    desktop.wait_for_text("[data-testid='student-record']", "attendance —").await;
    desktop.wait_for_text("[data-testid='record-sessions']", "Git and the command line").await;
    desktop.click_text("button", "Close").await;
    desktop.click("#tab-sessions").await;
    desktop.wait_for_text("[data-testid='sessions-report']", "Git and the command line").await;
    desktop.screenshot("31b-sessions-report").await;
    desktop.click("[data-testid='export-csv']").await;
    desktop.wait_for_text(TOASTS, "attendance-autumn-2026.csv").await;
    let saved = std::fs::read_to_string(desktop.downloads().join("attendance-autumn-2026.csv")).unwrap();
    assert!(saved.starts_with("student,enrollment,present,late,absent,excused"), "{saved}");
    desktop.close().await;

    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("student@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.wait_for_text("[data-testid='my-attendance']", "Autumn 2026").await;
    desktop.wait_for_text("[data-testid='my-attendance']", "%").await;
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_corrects_a_mark_and_reads_its_history(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let session: (i64, String) = sqlx::query_as(
        "select s.id, s.title from sessions s join cohorts c on c.id = s.cohort_id
          where c.status = 'running' and s.date <= current_date
            and (select count(*) from sessions o where o.cohort_id = s.cohort_id and o.title = s.title) = 1
          order by s.date desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // Rami, the cohort's mentor, is an instructor no more: the page still names him, as such.
    let rami = hub_tests::user_id(&pool, "mentor@demo.digitalhub.dev").await;
    hub_tests::Caller::admin(&pool)
        .await
        .call::<ops::SetRoles>(&SetRolesRequest {
            id: rami,
            is_admin: false,
            is_instructor: false,
            is_student: true,
        })
        .await
        .unwrap();
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-cohorts']").await;
    desktop.set_value("[data-testid='cohort-status']", "running").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 cohorts").await;
    desktop.click("[data-testid='cohort-row'] button").await;
    let staff = desktop.wait_for_text("[data-testid='cohort-instructors']", "No longer an instructor").await;
    assert_eq!(staff.matches("No longer an instructor").count(), 1, "only Rami: {staff}");
    desktop.scroll_to("[data-testid='cohort-instructors']").await;
    desktop.screenshot("31b-cohort-former-instructor").await;
    // At the foot of a page that has just scrolled: the click waits until the button stands
    // still and nothing lies over it (a click sent before was lost, twice in full runs).
    desktop.click(&format!("[aria-label='Attendance of {}']", session.1)).await;
    desktop.wait_for_text("[data-testid='session-marks'] .roster__row:first-child", "by ").await;
    desktop.click("[data-testid='session-marks'] .roster__row:first-child .roster__mark:nth-child(4)").await;
    desktop.wait_for_text("[data-testid='session-marks'] .roster__row:first-child", "by Maya Khoury").await;
    desktop.click("[data-testid='session-marks'] .roster__row:first-child .button").await;
    desktop
        .wait_for_text(
            "[data-testid='session-marks'] .roster__row:first-child [data-testid='mark-history']",
            "Current",
        )
        .await;
    desktop.screenshot("32-mark-history").await;
    desktop.close().await;
    let corrected: Vec<String> = sqlx::query_scalar!(
        r#"select r.status from attendance_records r join attendance_history h on h.client_id = r.client_id
            where r.session_id = $1"#,
        session.0
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(corrected, ["excused"], "the correction is the record, and in history");
}

/// The names of the students whose mark on the server is `status`, made on a device.
async fn marked(pool: &PgPool, status: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select d.display_name from attendance_records r
           join enrollments e on e.id = r.enrollment_id
           join user_directory d on d.user_id = e.student_user_id
           join attendance_history h on h.client_id = r.client_id
          where r.status = $1 order by d.display_name",
    )
    .bind(status)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn with_the_hub_stopped_an_instructor_marks_signs_in_offline_and_it_all_syncs_when_it_is_back(
    pool: PgPool,
) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let mut hub = HubProcess::start(&pool).await;
    let home = std::env::temp_dir().join(format!("hub-e2e-offline-{}", uuid::Uuid::new_v4()));
    // Online: signing in leaves a verifier, the first sync the sessions and rosters.
    let desktop = Desktop::open_at(&hub.url, &home).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-attendance']").await;
    desktop.wait_for_text("[data-testid='sessions']", "Autumn 2026").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;

    // The hub stops mid-morning: marking goes on, each mark kept on the computer.
    hub.stop();
    let first = desktop.text("[data-testid='roster-row'] .roster__name").await;
    desktop.click("[data-testid='roster-row']").await;
    desktop.type_into("[data-testid='roster-row']", "e").await;
    desktop.wait_for_text("[data-testid='roster-row'] .roster__state", "Excused").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "1 mark waiting to sync").await;
    desktop.wait_for_text("[data-testid='sync-online']", "Offline").await;
    desktop.screenshot("33-attendance-offline").await;
    desktop.close().await;

    // The app starts again with the hub still away: the instructor signs in on this
    // computer only, and only offline attendance opens.
    let desktop = Desktop::open_at(&hub.url, &home).await;
    desktop.wait_for_text(HUB_STATUS, "Hub unreachable").await;
    desktop.wait_for_text("h1", "Sign in").await;
    desktop.type_credentials("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.press_enter_in("#password").await;
    desktop.wait_for_text("[data-testid='offline-banner']", "Signed in on this computer only").await;
    assert_eq!(desktop.count(".sidebar__item").await, 1, "offline, attendance is all there is");
    desktop.wait_for_text("[data-testid='sessions']", "Autumn 2026").await;
    let second = desktop.text("[data-testid='roster-row']:nth-child(2) .roster__name").await;
    desktop.click("[data-testid='roster-row']:nth-child(2)").await;
    desktop.type_into("[data-testid='roster-row']:nth-child(2)", "e").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "2 marks waiting to sync").await;
    desktop.screenshot("34-offline-sign-in").await;
    assert_eq!(marked(&pool, "excused").await, Vec::<String>::new(), "nothing reached the hub");

    // The hub is back: the app says so, the instructor signs in online, and the marks go.
    hub.restart().await;
    desktop.wait_for_text("[data-testid='offline-banner']", "The hub answers again").await;
    desktop.screenshot("35-hub-back").await;
    desktop.type_into("#online-password", DEMO_PASSWORD).await;
    desktop.press_enter_in("#online-password").await;
    desktop.wait_for_gone("[data-testid='offline-banner']").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;
    assert!(desktop.count(".sidebar__item").await > 1, "the whole app opens again");
    let mut expected = vec![first.clone(), second.clone()];
    expected.sort();
    assert_eq!(marked(&pool, "excused").await, expected, "both marks made away from the hub are on it");

    // An administrator corrects the first of those marks; the instructor, marking the same
    // student again minutes later, is told the correction is the record, and sees it.
    let (session, enrollment) = sqlx::query!(
        r#"select r.session_id, r.enrollment_id from attendance_records r
             join enrollments e on e.id = r.enrollment_id
             join user_directory d on d.user_id = e.student_user_id
            where r.status = 'excused' and d.display_name = $1 and r.client_id is not null"#,
        first
    )
    .fetch_one(&pool)
    .await
    .map(|row| (row.session_id, row.enrollment_id))
    .unwrap();
    hub_tests::Caller::as_user(&pool, hub_tests::user_id(&pool, "admin@demo.digitalhub.dev").await)
        .call::<ops::MarkAttendance>(&MarkAttendanceRequest {
            session_id: session,
            enrollment_id: enrollment,
            status: Mark::Late,
            note: None,
        })
        .await
        .unwrap();
    desktop.click("[data-testid='roster-row']").await;
    desktop.type_into("[data-testid='roster-row']", "p").await;
    desktop.click("[data-testid='sync-now']").await;
    desktop.wait_for_text(".syncbar__rejected", "A mark (present) is not the record").await;
    desktop.wait_for_text("[data-testid='roster-row'] .roster__state", "Late").await;
    desktop.screenshot("35b-not-the-record").await;
    desktop.close().await;
    let _ = std::fs::remove_dir_all(&home);
    assert_eq!(marked(&pool, "excused").await, [second], "the correction is the first one's record");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn marks_of_a_session_revoked_while_the_hub_was_away_wait_for_the_next_sign_in_and_then_arrive(
    pool: PgPool,
) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let mut hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-attendance']").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;
    hub.stop();
    let student = desktop.text("[data-testid='roster-row'] .roster__name").await;
    desktop.click("[data-testid='roster-row']").await;
    desktop.type_into("[data-testid='roster-row']", "e").await;
    desktop.wait_for_text("[data-testid='sync-waiting']", "1 mark waiting to sync").await;

    // Meanwhile an administrator signs the instructor out everywhere.
    let instructor = hub_tests::user_id(&pool, "instructor@demo.digitalhub.dev").await;
    hub_tests::Caller::as_user(&pool, hub_tests::user_id(&pool, "admin@demo.digitalhub.dev").await)
        .call::<ops::RevokeAllDevices>(&UserDevicesRequest { user_id: instructor })
        .await
        .unwrap();
    hub.restart().await;
    desktop.click("[data-testid='sync-now']").await;
    // The hub refuses the session: back to sign-in, the mark still on the computer.
    desktop.wait_for_text("[data-testid='session-ended']", "Your session ended").await;
    assert_eq!(marked(&pool, "excused").await, Vec::<String>::new(), "not sent with a revoked session");
    desktop.sign_in("instructor@demo.digitalhub.dev", DEMO_PASSWORD).await;
    // Back where they were, and the mark arrives with the new session.
    desktop.wait_for_text("[data-testid='sync-waiting']", "Every mark is on the server").await;
    desktop.close().await;
    assert_eq!(marked(&pool, "excused").await, [student]);
}

/// The day the demo's dates count from (it seeds from the UTC clock, as the app reads it
/// under the window tests).
fn today_in_the_demo() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The title of the running cohort's first session in `from..=to`.
async fn first_session_between(pool: &PgPool, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    sqlx::query_scalar(
        "select s.title from sessions s join cohorts c on c.id = s.cohort_id
          where c.status = 'running' and s.date between $1 and $2 order by s.date, s.starts_at limit 1",
    )
    .bind(from)
    .bind(to)
    .fetch_one(pool)
    .await
    .expect("the demo has classes every week around today")
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_finds_who_made_someone_an_admin_on_their_history_and_in_the_activity(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.click("[aria-label='Edit Karim Nassar']").await;
    desktop.wait_for_text(".dialog__title", "Edit Karim Nassar").await;
    desktop.click("#is-admin").await;
    desktop.wait_for_text(TOASTS, "Roles saved.").await;

    // Karim's history: who did it, from which device, and the field before and after.
    desktop.click("#tab-history").await;
    let said = "Maya Khoury made Karim Nassar an admin";
    desktop.wait_for_text("[data-testid='activity-entry']:first-child", said).await;
    desktop.click("[data-testid='activity-entry']:first-child summary").await;
    desktop.wait_for_text("[data-testid='activity-entry']:first-child .activity__fields", "is admin").await;
    let details = desktop.text("[data-testid='activity-entry']:first-child .activity__details").await;
    assert!(details.contains("false") && details.contains("true"), "{details}");
    assert!(!details.contains("$argon2"), "no secret is shown: {details}");
    desktop.dismiss_toasts().await;
    desktop.screenshot("46-person-history").await;
    desktop.click_text("button", "Close").await;

    // The activity of the whole hub, searched for Karim and narrowed to people and roles.
    desktop.click("[data-testid='nav-activity']").await;
    desktop.wait_for_text("[data-testid='activity-list']", said).await;
    desktop.wait_for_text("[data-testid='activity-list']", "The system loaded the demo's data").await;
    desktop.type_into("[data-testid='activity-search']", "karim").await;
    desktop.set_value("[data-testid='activity-area']", "users").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 changes").await;
    desktop.wait_for_text("[data-testid='activity-list']", said).await;
    // A day with nothing in it says so, with a way back.
    desktop.set_value("[data-testid='activity-from']", "2020-01-01").await;
    desktop.set_value("[data-testid='activity-to']", "2020-01-02").await;
    desktop.wait_for_text(".empty", "No change matches").await;
    desktop.click_text("button", "clear the filters").await;
    desktop.wait_for_text("[data-testid='activity-list']", "The system loaded the demo's data").await;
    desktop.set_value("[data-testid='activity-area']", "users").await;
    desktop.wait_for_text("[data-testid='activity-list']", said).await;
    desktop.click("[data-testid='activity-entry']:first-child summary").await;
    desktop.screenshot("47-activity").await;

    // Saved as CSV for the records.
    desktop.click("[data-testid='activity-export']").await;
    desktop.wait_for_text(TOASTS, "Saved to").await;
    let saved = std::fs::read_dir(desktop.downloads())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with("activity-"))
        .expect("the CSV is in Downloads");
    let csv = std::fs::read_to_string(saved).unwrap();
    assert!(csv.contains(said) && csv.contains("users.set_roles") && csv.contains("is_admin=false"), "{csv}");
    desktop.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_approves_every_pending_application_at_once_and_is_told_who_waits_for_a_seat(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    // The open cohort has two seats left for its five pending applications.
    sqlx::query(
        "update cohorts c set capacity = cohort_seats_used(c) + 2 where status = 'open' and allow_applications",
    )
    .execute(&pool)
    .await
    .unwrap();
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-applications']").await;
    desktop.wait_for_text("[data-testid='applications-table'] tbody", "Georges Tannous").await;
    desktop.click("[data-testid='choose-page']").await;
    desktop.wait_for_text("[data-testid='bulk-count']", "5 chosen").await;
    desktop.screenshot("49a-bulk-chosen").await;
    desktop.click("[data-testid='bulk-approve']").await;
    desktop.wait_for_text(".dialog__title", "Approve 5 applications?").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text("[data-testid='bulk-result']", "2 applications approved and enrolled.").await;
    desktop
        .wait_for_text(
            "[data-testid='bulk-waitlisted']",
            "3 applications waitlisted instead, in the order they were sent",
        )
        .await;
    // The list of pending applications is empty now: every one was decided.
    desktop
        .wait_for_text("[data-testid='applications-table'] tbody", "No application waits for a decision")
        .await;
    // The waitlist, in the order its applications were sent, beside what the admin was told.
    desktop.set_value("[data-testid='application-status']", "waitlisted").await;
    desktop.wait_for_text("[data-testid='application-row']:first-child", "Mohammad Zein").await;
    desktop.screenshot("49-bulk-approval").await;
    desktop.close().await;
    let decided: Vec<(String, String)> = sqlx::query_as(
        "select ap.full_name, a.status from applications a join applicants ap on ap.id = a.applicant_id
          where ap.full_name in ('Georges Tannous', 'Aya Chahine', 'Mohammad Zein', 'Christelle Abi Nader', 'Hussein Moussa')
          order by a.submitted_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let statuses: Vec<&str> = decided.iter().map(|(_, status)| status.as_str()).collect();
    assert_eq!(statuses, ["approved", "approved", "waitlisted", "waitlisted", "waitlisted"], "{decided:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_moves_two_students_to_another_cohort_and_completes_the_cohort_with_its_students(
    pool: PgPool,
) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("admin@demo.digitalhub.dev", DEMO_PASSWORD).await;
    desktop.click("[data-testid='nav-cohorts']").await;
    desktop.set_value("[data-testid='cohort-status']", "running").await;
    desktop.wait_for_text("[data-testid='pager-summary']", "1–1 of 1 cohorts").await;
    desktop.click("[data-testid='cohort-row'] button").await;
    desktop.wait_for("[data-testid='cohort-students']").await;
    // Two students go to the summer cohort: chosen, then moved.
    desktop.scroll_to("[data-testid='cohort-students']").await;
    desktop
        .click("[data-testid='cohort-students'] tbody tr:nth-child(1) [data-testid='choose-student']")
        .await;
    desktop
        .click("[data-testid='cohort-students'] tbody tr:nth-child(2) [data-testid='choose-student']")
        .await;
    desktop.wait_for_text("[data-testid='students-bulk']", "2 chosen").await;
    let summer: i64 = sqlx::query_scalar("select id from cohorts where name = 'Summer 2027'")
        .fetch_one(&pool)
        .await
        .unwrap();
    desktop.set_value("[data-testid='bulk-move-target']", &summer.to_string()).await;
    desktop.screenshot("50a-students-chosen").await;
    desktop.click("[data-testid='bulk-move']").await;
    desktop.wait_for_text(TOASTS, "2 students moved.").await;
    let moved: i64 =
        sqlx::query_scalar("select count(*) from enrollments where cohort_id = $1 and status = 'active'")
            .bind(summer)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(moved, 2);
    // The cohort done: completing it offers to complete its students, graduated.
    desktop.click("[data-status='completed']").await;
    desktop.wait_for_text(".dialog__title", "Complete Autumn 2026?").await;
    let offered =
        desktop.wait_for_text("[data-testid='complete-dialog']", "mark those students graduated").await;
    desktop.screenshot("50-cohort-complete").await;
    desktop.click("[data-testid='confirm']").await;
    desktop.wait_for_text("[data-testid='cohort-status']", "Completed").await;
    desktop.close().await;
    let (active, graduated): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where e.status = 'active'), count(*) filter (where p.status = 'graduated')
           from enrollments e join cohorts c on c.id = e.cohort_id join student_profiles p on p.user_id = e.student_user_id
          where c.name = 'Autumn 2026'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(active, 0, "every active enrollment completed");
    assert!(offered.contains(&format!("its {graduated} active enrollments")), "{offered}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_admin_imports_people_from_a_spreadsheet_after_a_dry_run_names_the_bad_row(pool: PgPool) {
    TestUser::ADMIN.insert(&pool, "root@example.org", None).await;
    hub_tests::CohortBuilder::new(&pool, "Web 2027").build().await;
    let folder = std::env::temp_dir().join(format!("hub-import-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&folder).unwrap();
    let with_a_mistake = folder.join("students.csv");
    let fixed = folder.join("students-fixed.csv");
    // As a spreadsheet in a French locale saves it: semicolons, a byte-order mark.
    let header = "\u{feff}Name;E-mail;Mobile;Class\r\n";
    let rows = [
        "Nour Karam;nour@example.org;+961 3 111 222;Web 2027",
        "Sami Haddad;sami@example.org;;Web 2027",
        "Lina Aoun;lina@example.org;;Web 2072",
    ];
    std::fs::write(&with_a_mistake, format!("{header}{}\r\n", rows.join("\r\n"))).unwrap();
    std::fs::write(&fixed, format!("{header}{}\r\n", rows.join("\r\n").replace("2072", "2027"))).unwrap();
    let hub = HubProcess::start(&pool).await;
    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("root@example.org", TEST_PASSWORD).await;
    desktop.click("[data-testid='nav-users']").await;
    desktop.click("[data-testid='open-import']").await;
    desktop.wait_for_text(".dialog__title", "Import people").await;

    // The dry run: the columns found under their own names, and the bad row named with why.
    desktop.choose_file("[data-testid='import-file']", &with_a_mistake).await;
    desktop.wait_for_text("[data-testid='import-summary']", "2 new, 0 changed, 1 refused of 3 rows.").await;
    desktop.wait_for_text("[data-testid='import-rows']", "no cohort is named \"Web 2072\"").await;
    assert!(
        desktop.exists("[data-testid='import-people']:disabled").await,
        "nothing imports while a row is refused"
    );
    desktop.screenshot("48-import-dry-run").await;
    let people: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
    assert_eq!(people, 1, "a dry run writes nothing");

    // The fixed file: all three, at once, each invited.
    desktop.choose_file("[data-testid='import-file']", &fixed).await;
    desktop.wait_for_text("[data-testid='import-summary']", "3 new, 0 changed of 3 rows.").await;
    desktop.wait_for_text("[data-testid='import-people']", "Import 3 people").await;
    desktop.click("[data-testid='import-people']").await;
    desktop.wait_for_text(TOASTS, "Imported: 3 new, 0 changed. 3 invitations on their way.").await;
    desktop.wait_for_text("[data-testid='users-table'] tbody", "Lina Aoun").await;
    desktop.close().await;
    let enrolled: i64 = sqlx::query_scalar(
        "select count(*) from enrollments e join cohorts c on c.id = e.cohort_id where c.name = 'Web 2027'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(enrolled, 3);
    std::fs::remove_dir_all(folder).unwrap();
}
