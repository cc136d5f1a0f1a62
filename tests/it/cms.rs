//! The website's content as admins edit it: every refusal names its field and writes
//! nothing; what is saved is what the public API serves.

use hub_model::cms::{
    IdRequest, ReorderHomeSections, SavePageRequest, SaveThemeToken, TokenScope, UpdateHomeSection,
    UpdateSiteSettings,
};
use hub_model::ops::{
    DeleteToken, GetAppTheme, GetSite, ListPages, ListSections, ReorderSections, SavePage, SaveToken,
    UpdateSection, UpdateSite,
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
