//! The website's content as admins edit it: every refusal names its field and writes
//! nothing; what is saved is what the public API serves.

use hub_model::ErrorKind;
use hub_tests::Caller;
use serde_json::{json, Value};
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn site_settings_are_edited_as_fields_and_record_who_saved_them(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let before = admin.call_json("cms.get_site", json!({})).await.unwrap();
    let valid = json!({
        "site_name": " Digital Hub Beirut ",
        "default_event_location": "Beirut Digital District, Building 5",
        "contact_address": "Bachoura, Beirut",
        "contact_phone": "+961 1 555 000",
        "contact_email": "Hello@Example.org",
        "social_links": { "github": "https://github.com/digitalhub", "instagram": "" }
    });
    let bad = |field: &str, value: Value| {
        let mut request = valid.clone();
        request[field] = value;
        request
    };
    admin
        .refused("cms.update_site", bad("site_name", json!("  ")), "site_name", "enter the site's name")
        .await;
    admin.refused("cms.update_site", bad("contact_email", json!("hello@")), "contact_email", "").await;
    admin.refused("cms.update_site", bad("contact_phone", json!("call us")), "contact_phone", "").await;
    admin
        .refused(
            "cms.update_site",
            bad("social_links", json!({ "x": "x.com/hub" })),
            "social_links",
            "x: must be a web address",
        )
        .await;
    admin
        .refused(
            "cms.update_site",
            bad("social_links", json!({ "My Site": "https://a.org" })),
            "social_links",
            "network",
        )
        .await;
    assert_eq!(admin.call_json("cms.get_site", json!({})).await.unwrap(), before, "refusals write nothing");

    let saved = admin.call_json("cms.update_site", valid).await.unwrap();
    assert_eq!(saved["site_name"], "Digital Hub Beirut");
    assert_eq!(saved["contact_email"], "hello@example.org");
    assert_eq!(
        saved["social_links"],
        json!({ "github": "https://github.com/digitalhub" }),
        "an empty link is dropped"
    );
    assert_eq!(saved["updated_by"], "Test admin@example.org");
    let public = hub_core::website::site(&pool).await.unwrap();
    assert_eq!(
        (public.site_name.as_str(), public.contact.phone.as_deref()),
        ("Digital Hub Beirut", Some("+961 1 555 000"))
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn theme_tokens_take_custom_property_names_and_css_colors(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let token = |key: &str, value: &str, scope: &str| json!({ "key": key, "value": value, "purpose": "Buttons", "scope": scope });
    admin.refused("cms.save_theme_token", token("primary", "#3b5bdb", "global"), "key", "--primary").await;
    admin
        .refused("cms.save_theme_token", token("--primary", "blue; x: y", "global"), "value", "CSS color")
        .await;
    admin
        .refused(
            "cms.save_theme_token",
            json!({ "key": "--a", "value": "#fff", "purpose": " ", "scope": "web" }),
            "purpose",
            "",
        )
        .await;
    let bad_scope =
        admin.call_json("cms.save_theme_token", token("--primary", "#3b5bdb", "print")).await.unwrap_err();
    assert_eq!(bad_scope.field.as_deref(), Some("scope"), "{bad_scope:?}");

    let primary =
        admin.call_json("cms.save_theme_token", token("--primary", "#3B5BDB", "global")).await.unwrap();
    assert_eq!(primary["value"], "#3b5bdb");
    admin
        .call_json("cms.save_theme_token", token("--sidebar-bg", "hsl(228 35% 14%)", "admin"))
        .await
        .unwrap();
    admin.call_json("cms.save_theme_token", token("--hero", "rgba(0, 0, 0, 0.4)", "web")).await.unwrap();
    admin.refused("cms.save_theme_token", token("--primary", "#000", "web"), "key", "already used").await;

    // The desktop applies global and admin tokens; the website gets global and web.
    let app = admin.call_json("app.theme", json!({})).await.unwrap();
    let keys = |tokens: &Value| -> Vec<String> {
        tokens.as_array().unwrap().iter().map(|token| token["key"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(keys(&app["tokens"]), ["--primary", "--sidebar-bg"]);
    let web: Vec<String> =
        hub_core::website::theme(&pool).await.unwrap().into_iter().map(|token| token.key).collect();
    assert_eq!(web, ["--hero", "--primary"]);

    let changed = admin
        .call_json("cms.save_theme_token", json!({ "id": primary["id"], "key": "--primary", "value": "#e8590c", "purpose": "Buttons", "scope": "global" }))
        .await
        .unwrap();
    assert_eq!(changed["value"], "#e8590c");
    admin.call_json("cms.delete_theme_token", json!({ "id": primary["id"] })).await.unwrap();
    let gone = admin.call_json("cms.delete_theme_token", json!({ "id": primary["id"] })).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn pages_are_blocks_checked_one_by_one_and_publishing_decides_the_website(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let page =
        |content: Value| json!({ "key": "faq", "title": "FAQ", "content": content, "is_published": false });
    admin
        .refused("cms.save_page", page(json!({ "blocks": [{ "type": "heading", "text": "Q" }, { "type": "image", "src": "x.png", "alt": "" }] })), "content", "block 2")
        .await;
    admin.refused("cms.save_page", page(json!("just text")), "content", "{\"blocks\"").await;
    admin
        .refused(
            "cms.save_page",
            json!({ "key": "Frequently Asked", "content": { "blocks": [] } }),
            "key",
            "",
        )
        .await;

    let blocks = json!({ "blocks": [
        { "type": "heading", "text": "Questions" },
        { "type": "paragraph", "text": "Is it free? Yes." },
        { "type": "cta", "label": "Apply", "href": "/cohorts" }
    ]});
    let draft = admin.call_json("cms.save_page", page(blocks.clone())).await.unwrap();
    assert!(hub_core::website::page(&pool, "faq").await.is_err(), "a draft is not on the website");
    admin.refused("cms.save_page", page(blocks.clone()), "key", "already used").await;

    let published = admin
        .call_json("cms.save_page", json!({ "id": draft["id"], "key": "faq", "title": "FAQ", "content": blocks, "is_published": true }))
        .await
        .unwrap();
    assert_eq!(published["is_published"], true);
    let served = hub_core::website::page(&pool, "faq").await.unwrap();
    assert_eq!(served.content["blocks"][2]["label"], "Apply");
    let listed = admin.call_json("cms.list_pages", json!({})).await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn home_sections_are_shown_hidden_edited_and_reordered_as_a_whole(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin_id: i64 = sqlx::query_scalar("select id from users where email = 'admin@demo.digitalhub.dev'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let admin = Caller::as_user(&pool, admin_id);
    let sections = admin.call_json("cms.list_sections", json!({})).await.unwrap();
    let ids: Vec<i64> = sections.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    let hero = sections[0].clone();

    admin
        .refused(
            "cms.update_section",
            json!({ "id": hero["id"], "is_enabled": true, "content": [1] }),
            "content",
            "JSON object",
        )
        .await;
    admin
        .refused("cms.reorder_sections", json!({ "ids": ids[1..] }), "ids", "every home section exactly once")
        .await;
    let mut twice = ids.clone();
    twice[0] = ids[1];
    admin.refused("cms.reorder_sections", json!({ "ids": twice }), "ids", "").await;

    let hidden = admin
        .call_json("cms.update_section", json!({ "id": hero["id"], "title": "Build. Ship.", "is_enabled": false, "content": hero["content"] }))
        .await
        .unwrap();
    assert_eq!(
        (hidden["title"].as_str(), hidden["is_enabled"].as_bool()),
        (Some("Build. Ship."), Some(false))
    );

    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    let reordered = admin.call_json("cms.reorder_sections", json!({ "ids": reversed })).await.unwrap();
    let order: Vec<i64> = reordered.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(order, reversed);
    let served: Vec<String> =
        hub_core::website::home(&pool).await.unwrap().sections.into_iter().map(|s| s.key).collect();
    assert_eq!(served.first().map(String::as_str), Some("contact_cta"), "the website follows the new order");
    assert!(!served.contains(&"hero".to_owned()), "a hidden section is not served");
}
