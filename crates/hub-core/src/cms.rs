//! The website's content, as admins edit it: site settings, theme tokens, pages and home
//! sections. Every save records who made it; the public API hears of it through the
//! content triggers (migration 0004).

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::auth::Done;
use hub_model::cms::{
    check_css_color, check_section_content, check_token_key, CreateHomeSection, HomeSectionRow, IdRequest,
    PageContent, PageDetail, PageSummary, ReorderHomeSections, SavePageRequest, SaveThemeToken, SectionKind,
    SiteSettings, ThemeToken, UpdateHomeSection, UpdateSiteSettings, RESERVED_PAGE_KEYS,
};
use hub_model::input::{Email, Phone, Slug, WebUrl};
use hub_model::ops::{
    CreateSection, DeletePage, DeleteSection, DeleteToken, GetPage, GetSite, ListPages, ListSections,
    ListTheme, ReorderSections, SavePage, SaveToken, UpdateSection, UpdateSite,
};
use hub_model::NoRequest;
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use std::collections::BTreeMap;

fn required(field: &'static str, value: &str, max: usize, what: &str) -> Result<String> {
    text(field, Some(value), max)?.ok_or_else(|| Error::validation(field, format!("enter {what}")))
}

async fn site_settings(pool: &PgPool) -> Result<SiteSettings> {
    let row = sqlx::query!(
        "select s.site_name, s.default_event_location, s.contact_info, s.social_links, s.time_zone, s.updated_at,
                d.display_name as \"updated_by?\"
           from site_settings s left join user_directory d on d.user_id = s.updated_by
          where s.id = 1"
    )
    .fetch_one(pool)
    .await?;
    let contact = |key: &str| row.contact_info.get(key).and_then(Value::as_str).map(str::to_owned);
    let social_links = row
        .social_links
        .as_object()
        .map(|links| {
            links.iter().filter_map(|(name, url)| Some((name.clone(), url.as_str()?.to_owned()))).collect()
        })
        .unwrap_or_default();
    Ok(SiteSettings {
        site_name: row.site_name,
        default_event_location: row.default_event_location,
        contact_address: contact("address"),
        contact_phone: contact("phone"),
        contact_email: contact("email"),
        social_links,
        time_zone: row.time_zone,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
    })
}

impl Handler for GetSite {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<SiteSettings> {
        actor.require_admin()?;
        site_settings(hub.pool()).await
    }
}

impl Handler for UpdateSite {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateSiteSettings) -> Result<SiteSettings> {
        let admin = actor.require_admin()?;
        let site_name = required("site_name", &request.site_name, 100, "the site's name")?;
        let location = required(
            "default_event_location",
            &request.default_event_location,
            200,
            "where events happen by default",
        )?;
        let mut contact = Map::new();
        if let Some(address) = text("contact_address", request.contact_address.as_deref(), 300)? {
            contact.insert("address".to_owned(), json!(address));
        }
        if let Some(phone) = text("contact_phone", request.contact_phone.as_deref(), 40)? {
            // Checked, but kept as typed: the website shows it the way the hub writes it.
            Phone::parse("contact_phone", &phone)?;
            contact.insert("phone".to_owned(), json!(phone));
        }
        if let Some(email) = text("contact_email", request.contact_email.as_deref(), 254)? {
            contact.insert("email".to_owned(), json!(Email::parse("contact_email", &email)?.as_str()));
        }
        let mut links = BTreeMap::new();
        for (network, url) in &request.social_links {
            let network = network.trim().to_lowercase();
            let Some(url) = text("social_links", Some(url), 500)? else {
                continue;
            };
            let valid_name = !network.is_empty()
                && network.len() <= 30
                && network
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if !valid_name {
                return Err(Error::validation(
                    "social_links",
                    format!("{network:?} is not a network name (lower-case letters, digits, - and _)"),
                ));
            }
            let url = WebUrl::parse("social_links", &url).map_err(|invalid| {
                Error::validation("social_links", format!("{network}: {}", invalid.message))
            })?;
            links.insert(network, url.as_str().to_owned());
        }
        let time_zone = match request.time_zone.as_deref().map(str::trim) {
            None => None,
            Some(zone) => Some(crate::checkin::known_time_zone(hub.pool(), zone).await?),
        };
        let mut tx = hub.begin().await?;
        sqlx::query!(
            "update site_settings
                set site_name = $1, default_event_location = $2, contact_info = $3, social_links = $4,
                    updated_by = $5, time_zone = coalesce($6, time_zone)
              where id = 1",
            site_name,
            location,
            Value::Object(contact),
            json!(links),
            admin.id,
            time_zone,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        site_settings(hub.pool()).await
    }
}

async fn theme_tokens(pool: &PgPool) -> Result<Vec<ThemeToken>> {
    let rows = sqlx::query!(
        "select id, key, value, purpose, scope, updated_at from theme_tokens
          order by case scope when 'global' then 0 when 'web' then 1 else 2 end, key"
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ThemeToken {
                id: row.id,
                key: row.key,
                value: row.value,
                purpose: row.purpose,
                scope: row.scope.parse()?,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

impl Handler for ListTheme {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<ThemeToken>> {
        actor.require_admin()?;
        theme_tokens(hub.pool()).await
    }
}

impl Handler for SaveToken {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveThemeToken) -> Result<ThemeToken> {
        let admin = actor.require_admin()?;
        let key = check_token_key(&request.key)?;
        let value = check_css_color(&request.value)?;
        let purpose = required("purpose", &request.purpose, 200, "what the color is for")?;
        let scope = request.scope.as_str();
        let duplicate = |error: sqlx::Error| match violated_constraint(&error) {
            Some("theme_tokens_key_key") => Error::validation("key", "is already used by another token"),
            _ => Error::Db(error),
        };
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into theme_tokens (key, value, purpose, scope, updated_by) values ($1, $2, $3, $4, $5)
                 returning id",
                key,
                value,
                purpose,
                scope,
                admin.id
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(duplicate)?,
            Some(id) => sqlx::query_scalar!(
                "update theme_tokens set key = $2, value = $3, purpose = $4, scope = $5, updated_by = $6
                  where id = $1 returning id",
                id,
                key,
                value,
                purpose,
                scope,
                admin.id
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(duplicate)?
            .ok_or_else(|| Error::NotFound(format!("theme token {id}")))?,
        };
        tx.commit().await?;
        theme_tokens(hub.pool())
            .await?
            .into_iter()
            .find(|token| token.id == id)
            .ok_or_else(|| Error::NotFound(format!("theme token {id}")))
    }
}

/// Done when a delete took its row; not found when there was none.
fn gone(deleted: &sqlx::postgres::PgQueryResult, what: &str, id: i64) -> Result<Done> {
    if deleted.rows_affected() == 0 {
        return Err(Error::NotFound(format!("{what} {id}")));
    }
    Ok(Done {})
}

impl Handler for DeleteToken {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Done> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let deleted =
            sqlx::query!("delete from theme_tokens where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        gone(&deleted, "theme token", request.id)
    }
}

impl Handler for ListPages {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<PageSummary>> {
        actor.require_admin()?;
        Ok(sqlx::query_as!(
            PageSummary,
            "select id, key, title, is_published, updated_at from pages order by key"
        )
        .fetch_all(hub.pool())
        .await?)
    }
}

async fn page(pool: &PgPool, id: i64) -> Result<PageDetail> {
    sqlx::query_as!(
        PageDetail,
        "select id, key, title, content, is_published, updated_at from pages where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| Error::NotFound(format!("page {id}")))
}

impl Handler for GetPage {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<PageDetail> {
        actor.require_admin()?;
        page(hub.pool(), request.id).await
    }
}

impl Handler for SavePage {
    async fn handle(hub: &Hub, actor: &Actor, request: SavePageRequest) -> Result<PageDetail> {
        let admin = actor.require_admin()?;
        let key = Slug::parse("key", &request.key)?;
        if RESERVED_PAGE_KEYS.contains(&key.as_str()) {
            return Err(Error::validation(
                "key",
                format!("/{} is one of the website's own pages: choose another address", key.as_str()),
            ));
        }
        let title = text("title", request.title.as_deref(), 200)?;
        let content = serde_json::to_value(PageContent::check(&request.content)?)
            .map_err(|error| Error::Internal(format!("page content did not serialize: {error}")))?;
        let duplicate = |error: sqlx::Error| match violated_constraint(&error) {
            Some("pages_key_key") => Error::validation("key", "is already used by another page"),
            _ => Error::Db(error),
        };
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into pages (key, title, content, is_published, updated_by) values ($1, $2, $3, $4, $5)
                 returning id",
                key.as_str(),
                title,
                content,
                request.is_published,
                admin.id
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(duplicate)?,
            Some(id) => sqlx::query_scalar!(
                "update pages set key = $2, title = $3, content = $4, is_published = $5, updated_by = $6
                  where id = $1 returning id",
                id,
                key.as_str(),
                title,
                content,
                request.is_published,
                admin.id
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(duplicate)?
            .ok_or_else(|| Error::NotFound(format!("page {id}")))?,
        };
        tx.commit().await?;
        page(hub.pool(), id).await
    }
}

impl Handler for DeletePage {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Done> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let deleted = sqlx::query!("delete from pages where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        gone(&deleted, "page", request.id)
    }
}

async fn sections(pool: &PgPool) -> Result<Vec<HomeSectionRow>> {
    Ok(sqlx::query_as!(
        HomeSectionRow,
        "select id, key, title, is_enabled, sort_order, content, updated_at from home_sections order by sort_order, id"
    )
    .fetch_all(pool)
    .await?)
}

/// The most a section's content may hold, serialized.
const SECTION_CONTENT_MAX: usize = 20_000;

impl Handler for ListSections {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<HomeSectionRow>> {
        actor.require_admin()?;
        sections(hub.pool()).await
    }
}

/// A section's key as given: 2 to 60 lower-case letters, digits, `-` and `_`.
fn section_key(raw: &str) -> Result<String> {
    let key = raw.trim();
    let allowed = key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !(2..=60).contains(&key.len()) || !allowed {
        return Err(Error::validation(
            "key",
            "use 2 to 60 lower-case letters, digits, - and _ (like hero-2)",
        ));
    }
    Ok(key.to_owned())
}

impl Handler for CreateSection {
    async fn handle(hub: &Hub, actor: &Actor, request: CreateHomeSection) -> Result<HomeSectionRow> {
        let admin = actor.require_admin()?;
        let title = text("title", request.title.as_deref(), 200)?;
        let given = request
            .key
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(section_key)
            .transpose()?;
        let content = request.kind.map_or_else(|| json!({}), SectionKind::starting_content);
        let mut tx = hub.begin().await?;
        // One new section at a time: the next free key and the last place are read and taken
        // together.
        sqlx::query!("lock table home_sections in share row exclusive mode").execute(&mut *tx).await?;
        let key = match given {
            Some(key) => key,
            None => {
                let stem = request.kind.map_or("section", SectionKind::as_str);
                let taken: Vec<String> = sqlx::query_scalar!(
                    "select key from home_sections where key = $1 or key like $1 || '-%'",
                    stem
                )
                .fetch_all(&mut *tx)
                .await?;
                std::iter::once(stem.to_owned())
                    .chain((2..).map(|number| format!("{stem}-{number}")))
                    .find(|key| !taken.contains(key))
                    .unwrap_or_else(|| stem.to_owned())
            }
        };
        let id = sqlx::query_scalar!(
            "insert into home_sections (key, title, is_enabled, sort_order, content, updated_by)
             values ($1, $2, false, (select coalesce(max(sort_order), 0) + 1 from home_sections), $3, $4)
             returning id",
            key,
            title,
            content,
            admin.id
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|error| match violated_constraint(&error) {
            Some("home_sections_key_key") => Error::validation("key", "is already used by another section"),
            _ => Error::Db(error),
        })?;
        tx.commit().await?;
        sections(hub.pool())
            .await?
            .into_iter()
            .find(|section| section.id == id)
            .ok_or_else(|| Error::NotFound(format!("home section {id}")))
    }
}

impl Handler for DeleteSection {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Done> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let deleted =
            sqlx::query!("delete from home_sections where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        gone(&deleted, "home section", request.id)
    }
}

impl Handler for UpdateSection {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateHomeSection) -> Result<HomeSectionRow> {
        let admin = actor.require_admin()?;
        let title = text("title", request.title.as_deref(), 200)?;
        let key = sqlx::query_scalar!("select key from home_sections where id = $1", request.id)
            .fetch_optional(hub.pool())
            .await?
            .ok_or_else(|| Error::NotFound(format!("home section {}", request.id)))?;
        check_section_content(SectionKind::of(&key, &request.content), &request.content)?;
        if request.content.to_string().len() > SECTION_CONTENT_MAX {
            return Err(Error::validation(
                "content",
                format!("is larger than {SECTION_CONTENT_MAX} characters"),
            ));
        }
        let mut tx = hub.begin().await?;
        let id = sqlx::query_scalar!(
            "update home_sections set title = $2, is_enabled = $3, content = $4, updated_by = $5
              where id = $1 returning id",
            request.id,
            title,
            request.is_enabled,
            request.content,
            admin.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("home section {}", request.id)))?;
        tx.commit().await?;
        sections(hub.pool())
            .await?
            .into_iter()
            .find(|section| section.id == id)
            .ok_or_else(|| Error::NotFound(format!("home section {id}")))
    }
}

impl Handler for ReorderSections {
    async fn handle(hub: &Hub, actor: &Actor, request: ReorderHomeSections) -> Result<Vec<HomeSectionRow>> {
        let admin = actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let mut existing = sqlx::query_scalar!("select id from home_sections order by id for update")
            .fetch_all(&mut *tx)
            .await?;
        let mut given = request.ids.clone();
        given.sort_unstable();
        existing.sort_unstable();
        if given != existing {
            return Err(Error::validation("ids", "must list every home section exactly once"));
        }
        sqlx::query!(
            "update home_sections h set sort_order = o.position::int, updated_by = $2
               from unnest($1::bigint[]) with ordinality as o(id, position)
              where h.id = o.id and h.sort_order is distinct from o.position::int",
            &request.ids,
            admin.id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        sections(hub.pool()).await
    }
}
