//! The website's content as admins edit it: every refusal names its field and writes
//! nothing; what is saved is what the public API serves.

use hub_model::cms::{
    CreateHomeSection, HomeSectionRow, IdRequest, ReorderHomeSections, SavePageRequest, SaveThemeToken,
    SectionKind, TokenScope, UpdateHomeSection, UpdateSiteSettings,
};
use hub_model::ops::{
    CreateSection, DeletePage, DeleteSection, DeleteToken, GetAppTheme, GetSite, ListPages, ListSections,
    ReorderSections, SavePage, SaveToken, UpdateSection, UpdateSite,
};
use hub_model::{ErrorKind, NoRequest, Operation};
use hub_tests::Caller;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// Social links, network → address.
fn links(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(network, url)| ((*network).to_owned(), (*url).to_owned())).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn site_settings_are_edited_as_fields_and_record_who_saved_them(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let before = admin.call::<GetSite>(&NoRequest {}).await.unwrap();
    let valid = UpdateSiteSettings {
        site_name: " Digital Hub Beirut ".to_owned(),
        default_event_location: "Beirut Digital District, Building 5".to_owned(),
        contact_address: Some("Bachoura, Beirut".to_owned()),
        contact_phone: Some("+961 1 555 000".to_owned()),
        contact_email: Some("Hello@Example.org".to_owned()),
        social_links: links(&[("github", "https://github.com/digitalhub"), ("instagram", "")]),
        time_zone: None,
    };
    let unnamed = UpdateSiteSettings { site_name: "  ".to_owned(), ..valid.clone() };
    admin.refuses::<UpdateSite>(&unnamed, "site_name", "enter the site's name").await;
    let bad_email = UpdateSiteSettings { contact_email: Some("hello@".to_owned()), ..valid.clone() };
    admin.refuses::<UpdateSite>(&bad_email, "contact_email", "").await;
    let bad_phone = UpdateSiteSettings { contact_phone: Some("call us".to_owned()), ..valid.clone() };
    admin.refuses::<UpdateSite>(&bad_phone, "contact_phone", "").await;
    let no_scheme = UpdateSiteSettings { social_links: links(&[("x", "x.com/hub")]), ..valid.clone() };
    admin.refuses::<UpdateSite>(&no_scheme, "social_links", "x: must be a web address").await;
    let no_network =
        UpdateSiteSettings { social_links: links(&[("My Site", "https://a.org")]), ..valid.clone() };
    admin.refuses::<UpdateSite>(&no_network, "social_links", "network").await;
    assert_eq!(admin.call::<GetSite>(&NoRequest {}).await.unwrap(), before, "refusals write nothing");

    let saved = admin.call::<UpdateSite>(&valid).await.unwrap();
    assert_eq!(saved.site_name, "Digital Hub Beirut");
    assert_eq!(saved.contact_email.as_deref(), Some("hello@example.org"));
    assert_eq!(
        saved.social_links,
        links(&[("github", "https://github.com/digitalhub")]),
        "an empty link is dropped"
    );
    assert_eq!(saved.updated_by.as_deref(), Some("Test admin@example.org"));
    let public = hub_core::website::site(&pool).await.unwrap();
    assert_eq!(
        (public.site_name.as_str(), public.contact.phone.as_deref()),
        ("Digital Hub Beirut", Some("+961 1 555 000"))
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn theme_tokens_take_custom_property_names_and_css_colors(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let token = |key: &str, value: &str, scope: TokenScope| SaveThemeToken {
        id: None,
        key: key.to_owned(),
        value: value.to_owned(),
        purpose: "Buttons".to_owned(),
        scope,
    };
    admin.refuses::<SaveToken>(&token("primary", "#3b5bdb", TokenScope::Global), "key", "--primary").await;
    admin
        .refuses::<SaveToken>(&token("--primary", "blue; x: y", TokenScope::Global), "value", "CSS color")
        .await;
    let no_purpose = SaveThemeToken { purpose: " ".to_owned(), ..token("--a", "#fff", TokenScope::Web) };
    admin.refuses::<SaveToken>(&no_purpose, "purpose", "").await;
    // "print" is no TokenScope: only JSON can send it.
    let mut print = serde_json::to_value(token("--primary", "#3b5bdb", TokenScope::Global)).unwrap();
    print["scope"] = json!("print");
    let bad_scope = admin.call_json(SaveToken::NAME, print).await.unwrap_err();
    assert_eq!(bad_scope.field.as_deref(), Some("scope"), "{bad_scope:?}");

    let primary = admin.call::<SaveToken>(&token("--primary", "#3B5BDB", TokenScope::Global)).await.unwrap();
    assert_eq!(primary.value, "#3b5bdb");
    admin.call::<SaveToken>(&token("--sidebar-bg", "hsl(228 35% 14%)", TokenScope::Admin)).await.unwrap();
    admin.call::<SaveToken>(&token("--hero", "rgba(0, 0, 0, 0.4)", TokenScope::Web)).await.unwrap();
    admin.refuses::<SaveToken>(&token("--primary", "#000", TokenScope::Web), "key", "already used").await;

    // The desktop applies global and admin tokens; the website gets global and web.
    let app = admin.call::<GetAppTheme>(&NoRequest {}).await.unwrap();
    let keys: Vec<&str> = app.tokens.iter().map(|token| token.key.as_str()).collect();
    assert_eq!(keys, ["--primary", "--sidebar-bg"]);
    let web: Vec<String> =
        hub_core::website::theme(&pool).await.unwrap().into_iter().map(|token| token.key).collect();
    assert_eq!(web, ["--hero", "--primary"]);

    let recolored =
        SaveThemeToken { id: Some(primary.id), ..token("--primary", "#e8590c", TokenScope::Global) };
    let changed = admin.call::<SaveToken>(&recolored).await.unwrap();
    assert_eq!(changed.value, "#e8590c");
    admin.call::<DeleteToken>(&IdRequest { id: primary.id }).await.unwrap();
    let gone = admin.call::<DeleteToken>(&IdRequest { id: primary.id }).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn pages_are_blocks_checked_one_by_one_and_publishing_decides_the_website(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let page = |content: Value| SavePageRequest {
        id: None,
        key: "faq".to_owned(),
        title: Some("FAQ".to_owned()),
        content,
        is_published: false,
    };
    let no_alt = json!({ "blocks": [{ "type": "heading", "text": "Q" }, { "type": "image", "src": "x.png", "alt": "" }] });
    admin.refuses::<SavePage>(&page(no_alt), "content", "block 2").await;
    admin.refuses::<SavePage>(&page(json!("just text")), "content", "{\"blocks\"").await;
    let spaced_key = SavePageRequest {
        id: None,
        key: "Frequently Asked".to_owned(),
        title: None,
        content: json!({ "blocks": [] }),
        is_published: false,
    };
    admin.refuses::<SavePage>(&spaced_key, "key", "").await;

    let blocks = json!({ "blocks": [
        { "type": "heading", "text": "Questions" },
        { "type": "paragraph", "text": "Is it free? Yes." },
        { "type": "cta", "label": "Apply", "href": "/cohorts" }
    ]});
    let draft = admin.call::<SavePage>(&page(blocks.clone())).await.unwrap();
    assert!(hub_core::website::page(&pool, "faq").await.is_err(), "a draft is not on the website");
    admin.refuses::<SavePage>(&page(blocks.clone()), "key", "already used").await;

    let publish = SavePageRequest { id: Some(draft.id), is_published: true, ..page(blocks) };
    let published = admin.call::<SavePage>(&publish).await.unwrap();
    assert!(published.is_published);
    let served = hub_core::website::page(&pool, "faq").await.unwrap();
    assert_eq!(served.content["blocks"][2]["label"], "Apply");
    let listed = admin.call::<ListPages>(&NoRequest {}).await.unwrap();
    assert_eq!(listed.len(), 1);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn home_sections_are_shown_hidden_edited_and_reordered_as_a_whole(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    sqlx::query(
        "insert into home_sections (key, title, sort_order, content) values
             ('hero', 'Learn to build.', 1, '{\"subtitle\": \"Free programs.\"}'),
             ('upcoming_events', 'Upcoming events', 2, '{\"limit\": 4}'),
             ('contact_cta', 'Questions?', 3, '{}')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let sections = admin.call::<ListSections>(&NoRequest {}).await.unwrap();
    let ids: Vec<i64> = sections.iter().map(|section| section.id).collect();
    let hero = sections[0].clone();

    let not_an_object = UpdateHomeSection { id: hero.id, title: None, is_enabled: true, content: json!([1]) };
    admin.refuses::<UpdateSection>(&not_an_object, "content", "JSON object").await;
    let one_missing = ReorderHomeSections { ids: ids[1..].to_vec() };
    admin.refuses::<ReorderSections>(&one_missing, "ids", "every home section exactly once").await;
    let mut twice = ids.clone();
    twice[0] = ids[1];
    admin.refuses::<ReorderSections>(&ReorderHomeSections { ids: twice }, "ids", "").await;

    let hide = UpdateHomeSection {
        id: hero.id,
        title: Some("Build. Ship.".to_owned()),
        is_enabled: false,
        content: hero.content.clone(),
    };
    let hidden = admin.call::<UpdateSection>(&hide).await.unwrap();
    assert_eq!((hidden.title.as_deref(), hidden.is_enabled), (Some("Build. Ship."), false));

    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    let reordered =
        admin.call::<ReorderSections>(&ReorderHomeSections { ids: reversed.clone() }).await.unwrap();
    let order: Vec<i64> = reordered.iter().map(|section| section.id).collect();
    assert_eq!(order, reversed);
    let served: Vec<String> =
        hub_core::website::home(&pool).await.unwrap().sections.into_iter().map(|s| s.key).collect();
    assert_eq!(served.first().map(String::as_str), Some("contact_cta"), "the website follows the new order");
    assert!(!served.contains(&"hero".to_owned()), "a hidden section is not served");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn from_nothing_an_admin_adds_edits_publishes_and_deletes_sections_and_pages(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let new = |kind: Option<SectionKind>, title: &str| CreateHomeSection {
        kind,
        key: None,
        title: Some(title.to_owned()),
    };
    // Each kind starts as itself, hidden, last; keys are made from the kind.
    let hero = admin.call::<CreateSection>(&new(Some(SectionKind::Hero), "Learn to build")).await.unwrap();
    let programs =
        admin.call::<CreateSection>(&new(Some(SectionKind::ProgramsPreview), "Our programs")).await.unwrap();
    let second = admin.call::<CreateSection>(&new(Some(SectionKind::Hero), "Again")).await.unwrap();
    let custom = admin.call::<CreateSection>(&new(None, "Partners")).await.unwrap();
    assert_eq!(
        [hero.key.as_str(), programs.key.as_str(), second.key.as_str(), custom.key.as_str()],
        ["hero", "programs_preview", "hero-2", "section"]
    );
    assert_eq!((hero.is_enabled, hero.content.clone()), (false, json!({ "kind": "hero" })));
    assert_eq!(programs.content, json!({ "kind": "programs_preview", "limit": 3 }));
    assert!(programs.sort_order > hero.sort_order && custom.sort_order > second.sort_order);
    let taken = CreateHomeSection { key: Some("hero".to_owned()), ..new(Some(SectionKind::Hero), "") };
    admin.refuses::<CreateSection>(&taken, "key", "already used").await;
    let odd = CreateHomeSection { key: Some("Héro!".to_owned()), ..new(None, "") };
    admin.refuses::<CreateSection>(&odd, "key", "lower-case").await;
    assert!(hub_core::website::home(&pool).await.unwrap().sections.is_empty(), "nothing is shown yet");

    // Each kind's content is checked for what it shows, naming the part at fault.
    let edit = |row: &HomeSectionRow, content: Value| UpdateHomeSection {
        id: row.id,
        title: row.title.clone(),
        is_enabled: true,
        content,
    };
    let hero_with = |content: Value| {
        let mut full = json!({ "kind": "hero", "subtitle": "Free programs." });
        full.as_object_mut().unwrap().extend(content.as_object().unwrap().clone());
        edit(&hero, full)
    };
    let wrong = [
        (hero_with(json!({ "cta": { "label": "Apply", "href": "" } })), "cta_href"),
        (hero_with(json!({ "cta": { "label": "", "href": "/apply" } })), "cta_label"),
        (hero_with(json!({ "cta": { "label": "Apply", "href": "javascript:alert(1)" } })), "cta_href"),
        (hero_with(json!({ "image": { "src": "https://example.org/a.png", "alt": " " } })), "image_alt"),
        (hero_with(json!({ "subtitle": 42 })), "subtitle"),
        (edit(&programs, json!({ "kind": "programs_preview", "limit": 0 })), "limit"),
        (edit(&programs, json!({ "kind": "programs_preview", "limit": 99 })), "limit"),
        (edit(&custom, json!({ "kind": "testimonials", "items": [{ "quote": " ", "name": "A" }] })), "items"),
    ];
    for (request, field) in &wrong {
        admin.refuses::<UpdateSection>(request, field, "").await;
    }
    assert!(hub_core::website::home(&pool).await.unwrap().sections.is_empty(), "refusals write nothing");
    let published = hero_with(json!({ "cta": { "label": "Apply now", "href": "/apply" } }));
    admin.call::<UpdateSection>(&published).await.unwrap();
    admin
        .call::<UpdateSection>(&edit(&programs, json!({ "kind": "programs_preview", "limit": 6 })))
        .await
        .unwrap();
    admin
        .call::<UpdateSection>(&edit(&custom, json!({ "text": "Anything", "shape": [1, 2] })))
        .await
        .unwrap();
    let served: Vec<String> = hub_core::website::home(&pool)
        .await
        .unwrap()
        .sections
        .into_iter()
        .map(|section| section.key)
        .collect();
    assert_eq!(served, ["hero", "programs_preview", "section"]);

    admin.call::<DeleteSection>(&IdRequest { id: second.id }).await.unwrap();
    let again = admin.call::<DeleteSection>(&IdRequest { id: second.id }).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::NotFound);
    let left: Vec<i64> =
        admin.call::<ListSections>(&NoRequest {}).await.unwrap().iter().map(|row| row.id).collect();
    assert!(!left.contains(&second.id));

    // Pages: one of the site's own addresses is refused; a page is deleted, and gone.
    let page = |key: &str| SavePageRequest {
        id: None,
        key: key.to_owned(),
        title: Some("About us".to_owned()),
        content: json!({ "blocks": [{ "type": "paragraph", "text": "Who we are." }] }),
        is_published: true,
    };
    admin.refuses::<SavePage>(&page("programs"), "key", "the website's own pages").await;
    let about = admin.call::<SavePage>(&page("about")).await.unwrap();
    assert!(hub_core::website::page(&pool, "about").await.is_ok());
    admin.call::<DeletePage>(&IdRequest { id: about.id }).await.unwrap();
    assert!(hub_core::website::page(&pool, "about").await.is_err(), "gone from the website");
    assert!(admin.call::<ListPages>(&NoRequest {}).await.unwrap().is_empty());
    let student =
        Caller::as_user(&pool, hub_tests::TestUser::STUDENT.insert(&pool, "s@example.org", None).await);
    let refused = student.call::<DeleteSection>(&IdRequest { id: hero.id }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}
