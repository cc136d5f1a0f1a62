//! The hub's own website at `/`: HTML written on the server from the published content,
//! asked in process as a visitor would, then over HTTP in a real browser (headless
//! Chromium) at a phone's width and a laptop's, with and without script.

use hub_tests::browser::Browser;
use hub_tests::desktop::Desktop;
use hub_tests::server::HubProcess;
use hub_tests::{HttpAnswer, PublicApi};
use sqlx::PgPool;
use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

const TOASTS: &str = ".toasts";

fn serve(pool: &PgPool) -> PublicApi {
    PublicApi::start(pool, &hub_public::PublicConfig::default())
}

async fn demo(pool: &PgPool) -> PublicApi {
    hub_core::demo::seed(pool).await.expect("the demo content is written");
    serve(pool)
}

fn html(answer: &HttpAnswer, path: &str) {
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    assert_eq!(answer.headers["content-type"], "text/html; charset=utf-8", "{path}");
    assert!(answer.body.starts_with("<!doctype html>"), "{path}: {}", answer.body);
}

/// A form post as a browser sends one.
async fn post_form(api: &PublicApi, path: &str, fields: &[(&str, &str)]) -> HttpAnswer {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    api.request("POST", path, &[("Content-Type", "application/x-www-form-urlencoded")], Some(&body)).await
}

async fn open_cohort(pool: &PgPool) -> (i64, String) {
    sqlx::query_as("select id, name from published.cohorts where accepting_applications order by id limit 1")
        .fetch_one(pool)
        .await
        .expect("the demo has a cohort taking applications")
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_page_of_the_demo_site_shows_its_published_content_and_nothing_private(pool: PgPool) {
    let api = demo(&pool).await;
    let (cohort_id, cohort) = open_cohort(&pool).await;
    let program: (String, String) =
        sqlx::query_as("select slug, title from published.programs order by slug limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let event: (String, String) =
        sqlx::query_as("select slug, title from published.events order by starts_at limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let student: (String, String) = sqlx::query_as(
        "select public_slug, full_name from published.students where featured order by featured_rank limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let news: String =
        sqlx::query_scalar("select title from published.announcements order by published_at desc limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let manager: String = sqlx::query_scalar("select full_name from published.managers limit 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let pages: Vec<(String, &str)> = vec![
        ("/".to_owned(), "Learn to build. Get hired."),
        ("/programs".to_owned(), program.1.as_str()),
        (format!("/programs/{}", program.0), program.1.as_str()),
        ("/apply".to_owned(), cohort.as_str()),
        (format!("/apply/{cohort_id}"), "Why this program?"),
        ("/events".to_owned(), event.1.as_str()),
        (format!("/events/{}", event.0), event.1.as_str()),
        ("/news".to_owned(), news.as_str()),
        ("/team".to_owned(), manager.as_str()),
        ("/students".to_owned(), student.1.as_str()),
        (format!("/students/{}", student.0), student.1.as_str()),
        ("/about".to_owned(), "Digital Hub is a non-profit coding school"),
        ("/contact".to_owned(), "Talk to us"),
    ];
    let forbidden = crate::public::forbidden_values(&pool).await;
    for (path, expected) in &pages {
        let answer = api.get(path).await;
        html(&answer, path);
        assert!(answer.body.contains(&escaped(expected)), "{path} shows {expected:?}: {}", answer.body);
        for value in &forbidden {
            assert!(!answer.body.contains(&escaped(value)), "{path} shows the private {value:?}");
        }
        assert!(answer.body.contains("<title>") && answer.body.contains("og:title"), "{path}");
        // No script runs on the site, whatever its text says.
        assert!(answer.headers["content-security-policy"].starts_with("default-src 'none';"), "{path}");
        assert!(!answer.body.contains("<script"), "{path}");
    }
    // The draft page, a missing program and nonsense are the site's own 404 page; the API's
    // addresses still answer JSON.
    for path in
        ["/careers", "/programs/nothing-here", "/events/nope", "/students/nobody", "/apply/999999", "/a/b/c"]
    {
        let answer = api.get(path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.body.contains("Page not found"), "{path}: {}", answer.body);
    }
    let api_miss = api.get("/public/nothing").await;
    assert_eq!((api_miss.status, api_miss.headers["content-type"].as_str()), (404, "application/json"));
    // The hero's link to the cohorts reaches the apply page.
    let cohorts = api.get("/cohorts").await;
    assert_eq!((cohorts.status, cohorts.headers["location"].as_str()), (308, "/apply"));
}

/// `text` as the templates write it into HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_page_is_kept_with_its_etag_compressed_and_an_edit_is_on_the_site_within_a_second(pool: PgPool) {
    let api = demo(&pool).await;
    let first = api.get_with("/about", &[("Accept-Encoding", "br, gzip")]).await;
    assert_eq!((first.status, first.headers["content-encoding"].as_str()), (200, "br"));
    let etag = first.headers["etag"].clone();
    let again = api.get_with("/about", &[("Accept-Encoding", "br, gzip"), ("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304, "the browser's copy is still good");
    let stylesheet = first.body.clone();
    assert!(!stylesheet.is_empty());

    sqlx::query("update pages set title = 'About the hub, rewritten' where key = 'about'")
        .execute(&pool)
        .await
        .unwrap();
    let edited = Instant::now();
    loop {
        let answer = api.get("/about").await;
        if answer.body.contains("About the hub, rewritten") {
            assert_ne!(answer.headers["etag"], etag.replace("-br", ""), "a new version has a new tag");
            break;
        }
        assert!(edited.elapsed() < Duration::from_secs(1), "the edit is on the site within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A theme color is on every page, as a CSS variable.
    sqlx::query("update theme_tokens set value = '#123456' where key = '--primary'")
        .execute(&pool)
        .await
        .unwrap();
    let edited = Instant::now();
    while !api.get("/").await.body.contains("--primary: #123456;") {
        assert!(edited.elapsed() < Duration::from_secs(1), "the theme is on the site within a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The stylesheet's address changes with its bytes: kept a year.
    let home = api.get("/").await.body;
    let href =
        home.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
    let css = api.get(href).await;
    assert_eq!(css.status, 200);
    assert_eq!(css.headers["cache-control"], "public, max-age=31536000, immutable");
    assert!(css.body.contains("--primary"), "{}", css.body);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_sitemap_lists_every_public_page_and_robots_points_to_it(pool: PgPool) {
    let api = demo(&pool).await;
    let sitemap = api.get_with("/sitemap.xml", &[("Host", "www.digitalhub.example.org")]).await;
    assert_eq!(sitemap.status, 200, "{}", sitemap.body);
    assert_eq!(sitemap.headers["content-type"], "application/xml; charset=utf-8");
    let (cohort_id, _) = open_cohort(&pool).await;
    for path in ["/", "/programs", "/about", &format!("/apply/{cohort_id}"), "/contact"] {
        let loc = format!("<loc>http://www.digitalhub.example.org{path}</loc>");
        assert!(sitemap.body.contains(&loc), "{loc} in {}", sitemap.body);
    }
    assert!(!sitemap.body.contains("/careers"), "no draft: {}", sitemap.body);
    // Every address it lists is a page.
    for loc in sitemap.body.split("<loc>").skip(1).filter_map(|rest| rest.split("</loc>").next()) {
        let path = loc.trim_start_matches("http://www.digitalhub.example.org");
        assert_eq!(api.get(path).await.status, 200, "{path}");
    }
    let robots = api.get_with("/robots.txt", &[("Host", "www.digitalhub.example.org")]).await;
    assert!(
        robots.body.contains("Sitemap: http://www.digitalhub.example.org/sitemap.xml"),
        "{}",
        robots.body
    );
    // A Host header that is no host name is not written into anything.
    let odd = api.get_with("/sitemap.xml", &[("Host", "evil.example\"><script>")]).await;
    assert_eq!(odd.status, 400);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_contact_form_posted_as_html_names_each_problem_beside_its_field_and_keeps_the_answers(
    pool: PgPool,
) {
    let api = serve(&pool);
    let count = || async {
        sqlx::query_scalar!("select count(*) as \"n!\" from contact_messages").fetch_one(&pool).await.unwrap()
    };
    let page = api.get("/contact").await;
    html(&page, "/contact");
    assert!(page.body.contains("<form class=\"form\" method=\"post\" action=\"/contact\""), "{}", page.body);

    let wrong = post_form(
        &api,
        "/contact",
        &[("name", "Rana Saad"), ("email", "rana@"), ("phone", "call me"), ("message", "  ")],
    )
    .await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    for (field, problem) in [
        ("email", "Email must look like name@example.org"),
        ("phone", "Phone "),
        ("message", "Message is required"),
    ] {
        let beside = format!("<p class=\"field__error\" id=\"error-{field}\">");
        let shown = wrong
            .body
            .split(&beside)
            .nth(1)
            .unwrap_or_else(|| panic!("no error beside {field}: {}", wrong.body));
        assert!(shown.starts_with(problem), "{field}: {}", &shown[..shown.len().min(120)]);
    }
    assert!(wrong.body.contains("value=\"Rana Saad\""), "the answers are kept");
    assert!(wrong.body.contains("aria-invalid=\"true\""));
    assert_eq!(count().await, 0, "a refused message writes nothing");

    let sent = post_form(
        &api,
        "/contact",
        &[
            ("name", "Rana Saad"),
            ("email", "Rana@Example.org"),
            ("phone", ""),
            ("subject", ""),
            ("message", "Can I visit?"),
        ],
    )
    .await;
    assert_eq!((sent.status, sent.headers["location"].as_str()), (303, "/contact/sent"), "{}", sent.body);
    let stored = sqlx::query!("select email, phone, subject, message from contact_messages")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored.email, "rana@example.org");
    assert_eq!((stored.phone, stored.subject, stored.message.as_str()), (None, None, "Can I visit?"));
    assert!(api.get("/contact/sent").await.body.contains("your message has reached us"));

    let bot = post_form(
        &api,
        "/contact",
        &[
            ("name", "Bot"),
            ("email", "bot@example.org"),
            ("message", "Buy"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(bot.status, 303, "a bot is answered as a person is");
    assert_eq!(count().await, 1, "and its message is dropped");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_application_posted_as_html_is_checked_field_by_field_then_stored_once(pool: PgPool) {
    let api = demo(&pool).await;
    let (cohort_id, cohort) = open_cohort(&pool).await;
    let path = format!("/apply/{cohort_id}");
    let page = api.get(&path).await;
    html(&page, &path);
    for control in [
        "type=\"text\" id=\"field-full_name\"",
        "type=\"email\" id=\"field-email\"",
        "type=\"tel\" id=\"field-phone\"",
        "type=\"date\" id=\"field-date_of_birth\"",
        "<select id=\"field-background\"",
        "<textarea id=\"field-motivation\"",
        "type=\"checkbox\" id=\"field-accepts_terms\"",
    ] {
        assert!(page.body.contains(control), "{control}: every field type is its own control");
    }
    let background: String = sqlx::query_scalar(
        "select f.options->>0 from form_fields f join forms s on s.id = f.form_id
          where s.key = 'cohort_application' and f.name = 'background'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let motivation = "I want to build tools for the clinic I work at, and to work as a developer.";
    let mut answers = vec![
        ("full_name", "Jad Khalil"),
        ("email", "jad@example"),
        ("phone", "+961 70 123 456"),
        ("date_of_birth", "1999-02-30"),
        ("background", background.as_str()),
        ("motivation", motivation),
    ];
    let applications = || async {
        sqlx::query_scalar!("select count(*) as \"n!\" from applications").fetch_one(&pool).await.unwrap()
    };
    let before = applications().await;
    let wrong = post_form(&api, &path, &answers).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    for field in ["email", "date_of_birth", "accepts_terms"] {
        assert!(
            wrong.body.contains(&format!("id=\"error-{field}\"")),
            "an error beside {field}: {}",
            wrong.body
        );
        assert!(wrong.body.contains(&format!("href=\"#field-{field}\"")), "{field} listed at the top");
    }
    assert!(wrong.body.contains(&escaped(motivation)), "the answers are kept");
    assert!(wrong.body.contains("<title>Error: "), "the title says so, for screen readers");
    assert_eq!(applications().await, before, "nothing is written");

    answers[1] = ("email", "jad@example.org");
    answers[3] = ("date_of_birth", "1999-02-28");
    answers.push(("accepts_terms", "true"));
    let sent = post_form(&api, &path, &answers).await;
    assert_eq!(
        (sent.status, sent.headers["location"].clone()),
        (303, format!("{path}/sent")),
        "{}",
        sent.body
    );
    assert_eq!(applications().await, before + 1);
    let stored: serde_json::Value = sqlx::query_scalar(
        "select s.answers from application_submissions s join applications a on a.id = s.application_id
           join applicants p on p.id = a.applicant_id where p.email = 'jad@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored["accepts_terms"], true);
    assert_eq!(stored["motivation"], motivation);
    assert!(api.get(&format!("{path}/sent")).await.body.contains(&escaped(&cohort)));

    let again = post_form(&api, &path, &answers).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("You have already applied to this cohort"), "{}", again.body);
    assert_eq!(applications().await, before + 1, "once");
}

/// The server's socket from its base address (`http://127.0.0.1:PORT`).
fn socket_of(base: &str) -> std::net::SocketAddr {
    base.trim_start_matches("http://").parse().expect("the hub's address is a socket address")
}

/// Every page reachable from the home page by its links, each asked once.
async fn crawl(browser: &Browser, base: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([format!("{base}/")]);
    let mut pages = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let status = hub_tests::http_get(socket_of(base), url.trim_start_matches(base), &[]).await.status;
        assert_eq!(status, 200, "{url}: a link of the site leads nowhere");
        browser.visit(&url).await;
        pages.push(url.clone());
        for link in browser.links().await {
            let link = link.split('#').next().unwrap_or_default().to_owned();
            if link.starts_with(base) && !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    pages
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn in_a_real_browser_every_page_of_the_demo_site_loads_fits_a_phone_and_passes_axe(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let base = hub.url.trim_end_matches('/').to_owned();
    let mut shots = BTreeSet::new();
    for (width, height, device) in [(390, 844, "phone"), (1280, 800, "desktop")] {
        let browser = Browser::open(width, height).await;
        let pages = crawl(&browser, &base).await;
        assert!(pages.len() >= 12, "{device}: the site has its pages: {pages:?}");
        for url in &pages {
            browser.visit(url).await;
            let violations = browser.accessibility_violations().await;
            assert!(violations.is_empty(), "{device} {url}: {violations:#?}");
            let overflow: bool = browser
                .driver()
                .execute("return document.documentElement.scrollWidth > window.innerWidth + 1", Vec::new())
                .await
                .unwrap()
                .json()
                .as_bool()
                .unwrap();
            assert!(!overflow, "{device} {url}: the page is wider than the screen");
            let path = url.trim_start_matches(&base);
            let kind = match path.split('/').nth(1).unwrap_or_default() {
                "" => "home",
                "programs" if path.len() > "/programs".len() => "program",
                "events" if path.len() > "/events".len() => "event",
                "students" if path.len() > "/students".len() => "student",
                "apply" if path.len() > "/apply".len() => "apply-form",
                // The hero's link to the cohorts leads to the apply page.
                "cohorts" => "apply",
                other => other,
            };
            // One picture of each kind of page, for people to look at.
            if shots.insert((device, kind.to_owned())) {
                browser.screenshot(&format!("site-{device}-{kind}")).await;
            }
        }
        browser.close().await;
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn without_script_a_visitor_applies_and_writes_to_the_hub_fixing_what_the_form_says(pool: PgPool) {
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let hub = HubProcess::start(&pool).await;
    let base = hub.url.trim_end_matches('/').to_owned();
    let browser = Browser::open_without_script(390, 844).await;
    let (cohort_id, cohort) = open_cohort(&pool).await;

    browser.visit(&format!("{base}/apply")).await;
    browser.click(&format!("a[href='/apply/{cohort_id}']")).await;
    browser.fill("#field-full_name", "Maha Aoun").await;
    browser.fill("#field-email", "maha@example").await;
    browser.fill("#field-phone", "+961 71 222 333").await;
    browser.choose("#field-background", &background(&pool).await).await;
    browser
        .fill("#field-motivation", "I build spreadsheets all day and want to build real software instead.")
        .await;
    browser.click("#field-accepts_terms").await;
    browser.submit("button[type='submit']").await;
    assert!(browser.title().await.starts_with("Error: "), "{}", browser.title().await);
    let beside = browser.text("#error-email").await;
    assert!(beside.starts_with("Email must look like name@example.org"), "{beside}");
    browser.screenshot("site-phone-apply-error").await;
    browser.fill("#field-email", "maha@example.org").await;
    browser.submit("button[type='submit']").await;
    assert!(browser.url().await.ends_with(&format!("/apply/{cohort_id}/sent")), "{}", browser.url().await);
    assert!(browser.text("h1").await.contains(&cohort));
    let stored: i64 = sqlx::query_scalar("select count(*) from applicants where email = 'maha@example.org'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the application is in the database");

    browser.visit(&format!("{base}/contact")).await;
    browser.fill("#field-name", "Maha Aoun").await;
    browser.fill("#field-email", "maha@example.org").await;
    browser.submit("button[type='submit']").await;
    assert_eq!(browser.text("#error-message").await, "Message is required");
    assert_eq!(
        browser
            .driver()
            .find(thirtyfour::By::Css("#field-name"))
            .await
            .unwrap()
            .value()
            .await
            .unwrap()
            .as_deref(),
        Some("Maha Aoun")
    );
    browser.fill("#field-message", "Can I visit the hub on Friday?").await;
    browser.submit("button[type='submit']").await;
    assert!(browser.url().await.ends_with("/contact/sent"), "{}", browser.url().await);
    let message: String =
        sqlx::query_scalar("select message from contact_messages where email = 'maha@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(message, "Can I visit the hub on Friday?");
    browser.close().await;
}

async fn background(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select f.options->>0 from form_fields f join forms s on s.id = f.form_id
          where s.key = 'cohort_application' and f.name = 'background'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn from_an_empty_hub_an_admin_builds_the_home_page_in_the_app_and_a_browser_shows_it(pool: PgPool) {
    // A hub just installed: migrated, its first admin made with hubctl, no demo; one program.
    let url = hub_tests::database_url(&pool);
    let owner = ["create-admin", "--email", "owner@example.org", "--name", "Hub Owner"];
    let run = hub_tests::hubctl(Some(&url), &owner, "a long enough secret\n");
    assert_eq!(run.code, 0, "{run:?}");
    sqlx::query(
        "insert into programs (slug, title, summary, is_published)
         values ('web', 'Web Development', 'Build and ship web applications.', true)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let hub = HubProcess::start(&pool).await;
    let base = hub.url.trim_end_matches('/').to_owned();
    let before = hub_tests::http_get(socket_of(&base), "/", &[]).await.body;
    assert!(before.contains("Our website is being written"), "an empty home page says so: {before}");

    let desktop = Desktop::open(&hub.url).await;
    desktop.sign_in("owner@example.org", "a long enough secret").await;
    desktop.click("[data-testid='nav-website']").await;
    desktop.click("#tab-home").await;
    desktop.wait_for_text(".content", "The home page has no section yet").await;

    // A hero: a link that is no address is named; then saved.
    desktop.click("[data-testid='new-section']").await;
    desktop.type_into("#section-title", "Learn to code in Tripoli").await;
    desktop.click("[data-testid='create-section']").await;
    desktop.wait_for("[data-testid='section-editor']").await;
    desktop.type_into("#section-text", "Free evening programs for adults who want to build software.").await;
    // The preview beside the form is the site's page as typed, before anything is saved.
    desktop.wait_for_preview("Free evening programs for adults").await;
    desktop.type_into("#cta_label", "See our programs").await;
    desktop.type_into("#cta_href", "programs").await;
    desktop.click("[data-testid='save-section']").await;
    desktop.wait_for_text("#cta_href-error", "Must start with https://, http:// or /").await;
    desktop.screenshot("44-website-section-editor").await;
    desktop.clear_and_type("#cta_href", "/programs").await;
    // A picture from the computer: uploaded at once, shown in the editor through the hub.
    let photo = std::env::temp_dir().join(format!("hub-hero-{}-{}.jpg", std::process::id(), base.len()));
    let picture =
        image::RgbImage::from_fn(1600, 1000, |x, y| image::Rgb([(x / 7) as u8, (y / 5) as u8, 160]));
    picture.save_with_format(&photo, image::ImageFormat::Jpeg).unwrap();
    desktop.choose_file("#image_src", &photo).await;
    desktop.wait_for_image("[data-testid='image_src-field'] img").await;
    desktop.type_into("#image_alt", "Students at work in the Tripoli hub").await;
    let _ = std::fs::remove_file(&photo);
    desktop.click("[data-testid='save-section']").await;
    desktop.wait_for_text(TOASTS, "Section saved.").await;
    desktop.wait_for_gone("[data-testid='section-editor']").await;
    desktop.dismiss_toasts().await;

    // The programs, three at most.
    desktop.click("[data-testid='new-section']").await;
    desktop.set_value("#section-kind", "programs_preview").await;
    desktop.type_into("#section-title", "What you can learn").await;
    desktop.click("[data-testid='create-section']").await;
    desktop.wait_for("[data-testid='section-editor']").await;
    desktop.wait_for_value("#limit", "3").await;
    desktop.click("[data-testid='save-section']").await;
    desktop.wait_for_text(TOASTS, "Section saved.").await;
    desktop.wait_for_gone("[data-testid='section-editor']").await;

    // Both start hidden: the admin shows them, and the site has them.
    let ids: Vec<i64> = sqlx::query_scalar("select id from home_sections order by sort_order")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    for id in &ids {
        desktop.click(&format!("label[for='section-{id}-on']")).await;
        desktop.wait_for_text(&format!("label[for='section-{id}-on']"), "Shown").await;
    }
    desktop.screenshot("45-website-home-built").await;
    desktop.close().await;

    let browser = Browser::open(1280, 800).await;
    browser.visit(&format!("{base}/")).await;
    assert_eq!(browser.text("h1").await, "Learn to code in Tripoli");
    // The hero's picture, as the hub keeps it, at the width this screen needs.
    let shown = browser
        .driver()
        .execute(
            "const image = document.querySelector('.hero img'); \
             return image && image.complete ? [image.naturalWidth, image.currentSrc, image.alt] : null;",
            Vec::new(),
        )
        .await
        .unwrap()
        .json()
        .clone();
    let (width, source, alt): (u64, String, String) =
        serde_json::from_value(shown).expect("the hero shows a picture");
    assert!(width > 0 && source.contains("/media/"), "{width} {source}");
    assert_eq!(alt, "Students at work in the Tripoli hub");
    let page = browser.text("main").await;
    assert!(page.contains("What you can learn") && page.contains("Web Development"), "{page}");
    assert!(browser.accessibility_violations().await.is_empty());
    browser.screenshot("site-desktop-built-home").await;
    browser.click(".hero a.button").await;
    assert!(browser.url().await.ends_with("/programs"), "{}", browser.url().await);
    browser.close().await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_preview_is_the_site_written_from_an_unsaved_edit_and_only_for_admins(pool: PgPool) {
    use hub_model::ops::PreviewSite;
    use hub_model::Operation as _;
    hub_core::demo::seed(&pool).await.expect("the demo content is written");
    let admin =
        hub_tests::Caller::as_user(&pool, hub_tests::user_id(&pool, "admin@demo.digitalhub.dev").await);
    let hero = |title: &str| {
        serde_json::json!({ "page": "home", "sections": [
            { "key": "hero", "title": title, "content": { "subtitle": "Typed, not saved." } },
            { "key": "programs_preview", "title": "Our programs", "content": { "limit": 1 } }
        ]})
    };
    let preview = admin.call_json(PreviewSite::NAME, hero("A title not saved yet")).await.unwrap();
    let html = preview["html"].as_str().unwrap();
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(
        html.contains("<h1 id=\"section-hero\">A title not saved yet</h1>")
            && html.contains("Typed, not saved.")
    );
    assert!(
        html.contains("Our programs") && html.contains("class=\"card"),
        "the programs section lists programs"
    );
    // The stylesheet is inside: the app's frame has no site to load it from.
    assert!(!html.contains("<link rel=\"stylesheet\"") && html.contains(".hero {"), "{html}");
    let saved: String = sqlx::query_scalar("select title from home_sections where key = 'hero'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(saved, "Learn to build. Get hired.", "previewing saves nothing");

    let page = serde_json::json!({ "page": "page", "key": "summer-camp", "title": "Summer camp",
        "content": { "blocks": [{ "type": "heading", "text": "Two weeks of code" },
                                 { "type": "image", "src": "", "alt": "not chosen yet" }] } });
    let html = admin.call_json(PreviewSite::NAME, page).await.unwrap()["html"].as_str().unwrap().to_owned();
    assert!(
        html.contains("<title>Summer camp · Digital Hub</title>") && html.contains("Two weeks of code"),
        "{html}"
    );
    assert!(!html.contains("not chosen yet"), "an image not chosen yet is left out, as the site would");

    let many: Vec<_> =
        (0..61).map(|n| serde_json::json!({ "key": format!("s{n}"), "content": {} })).collect();
    admin
        .refused(
            PreviewSite::NAME,
            serde_json::json!({ "page": "home", "sections": many }),
            "sections",
            "60 sections at most",
        )
        .await;
    for person in ["instructor@demo.digitalhub.dev", "student@demo.digitalhub.dev"] {
        let caller = hub_tests::Caller::as_user(&pool, hub_tests::user_id(&pool, person).await);
        let refused = caller.call_json(PreviewSite::NAME, hero("x")).await.unwrap_err();
        assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden, "{person}: {refused:?}");
    }
}
