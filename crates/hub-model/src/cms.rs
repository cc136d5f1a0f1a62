//! The website's content as admins edit it: site settings, theme tokens, pages and home
//! sections, with the checks that keep each well-formed (shared with the UI, which shows
//! the same messages before asking).

use crate::input::InvalidInput;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The single site settings row, with contact info and social links as fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub site_name: String,
    pub default_event_location: String,
    pub contact_address: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    /// Network (`linkedin`, `github`…) → URL.
    pub social_links: BTreeMap<String, String>,
    /// The hub's time zone (IANA, `Asia/Beirut`): sessions' dates and times are read in it.
    pub time_zone: String,
    pub updated_at: DateTime<Utc>,
    /// Who saved them last, by name.
    pub updated_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateSiteSettings {
    pub site_name: String,
    pub default_event_location: String,
    #[serde(default)]
    pub contact_address: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub social_links: BTreeMap<String, String>,
    /// `None` keeps the zone as it is.
    #[serde(default)]
    pub time_zone: Option<String>,
}

crate::choices!(
    /// Where a theme token applies: the website and the desktop app, or one of them.
    TokenScope { Global = "global" => "Website and app", Web = "web" => "Website only", Admin = "admin" => "App only" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeToken {
    pub id: i64,
    /// A CSS custom property name: `--primary`.
    pub key: String,
    /// A CSS color.
    pub value: String,
    pub purpose: String,
    pub scope: TokenScope,
    pub updated_at: DateTime<Utc>,
}

/// Creates a token (no `id`) or changes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveThemeToken {
    #[serde(default)]
    pub id: Option<i64>,
    pub key: String,
    pub value: String,
    pub purpose: String,
    pub scope: TokenScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdRequest {
    pub id: i64,
}

/// The tokens the desktop app applies as CSS variables: scope global and admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppTheme {
    pub tokens: Vec<AppThemeToken>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppThemeToken {
    pub key: String,
    pub value: String,
}

/// Checks a theme token's key: a CSS custom property name, lower-case.
pub fn check_token_key(raw: &str) -> Result<String, InvalidInput> {
    let key = raw.trim();
    let name = key.strip_prefix("--").unwrap_or_default();
    let valid = !name.is_empty()
        && name.len() <= 60
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(InvalidInput::new(
            "key",
            "must be a CSS custom property name like --primary (lower-case letters, digits, -)",
        ))
    }
}

/// Checks a CSS color: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` or
/// `hsl()`/`hsla()` with numbers in range. Returns it trimmed, lower-case.
pub fn check_css_color(raw: &str) -> Result<String, InvalidInput> {
    let value = raw.trim().to_ascii_lowercase();
    let invalid = || {
        InvalidInput::new("value", "must be a CSS color: #1a2b3c, rgb(26 43 60), rgba(…), hsl(…) or hsla(…)")
    };
    if let Some(hex) = value.strip_prefix('#') {
        return if matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(value)
        } else {
            Err(invalid())
        };
    }
    let (function, rest) = value.split_once('(').ok_or_else(invalid)?;
    let arguments = rest.strip_suffix(')').ok_or_else(invalid)?;
    // Commas or spaces between the three channels, an optional alpha after , or /.
    let (channels, alpha) = match arguments.split_once('/') {
        Some((channels, alpha)) => (channels, Some(alpha.trim())),
        None => (arguments, None),
    };
    let mut parts: Vec<&str> =
        channels.split([',', ' ']).map(str::trim).filter(|part| !part.is_empty()).collect();
    let alpha = match (alpha, parts.len()) {
        (Some(alpha), 3) => Some(alpha),
        (None, 4) => parts.pop(),
        (None, 3) => None,
        _ => return Err(invalid()),
    };
    let number = |part: &str, max: f64| -> bool {
        let (digits, limit) = match part.strip_suffix('%') {
            Some(digits) => (digits, 100.0),
            None => (part, max),
        };
        digits.parse::<f64>().is_ok_and(|n| (0.0..=limit).contains(&n))
    };
    let channels_ok = match function {
        "rgb" | "rgba" => parts.iter().all(|part| number(part, 255.0)),
        "hsl" | "hsla" => {
            let hue = parts[0].trim_end_matches("deg");
            hue.parse::<f64>().is_ok_and(f64::is_finite)
                && parts[1..].iter().all(|part| part.ends_with('%') && number(part, 100.0))
        }
        _ => false,
    };
    let alpha_ok = alpha.is_none_or(|alpha| number(alpha, 1.0));
    if channels_ok && alpha_ok {
        Ok(value)
    } else {
        Err(invalid())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageSummary {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub is_published: bool,
    pub updated_at: DateTime<Utc>,
}

/// A page's structured content: its blocks, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageContent {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Heading { text: String },
    Paragraph { text: String },
    Image { src: String, alt: String },
    Cta { label: String, href: String },
}

impl PageContent {
    /// Reads content as stored or typed: `{"blocks": [...]}` with known block types and
    /// every required text filled; the message says which block is wrong and why.
    pub fn check(content: &Value) -> Result<Self, InvalidInput> {
        let content: Self = serde_json::from_value(content.clone()).map_err(|error| {
            InvalidInput::new(
                "content",
                format!("must be {{\"blocks\": [...]}} of heading, paragraph, image or cta blocks: {error}"),
            )
        })?;
        for (index, block) in content.blocks.iter().enumerate() {
            let number = index + 1;
            let empty =
                |what: &str| InvalidInput::new("content", format!("block {number}: the {what} is empty"));
            let link = |what: &str, target: &str| {
                if is_site_link(target) {
                    Ok(())
                } else {
                    Err(InvalidInput::new(
                        "content",
                        format!("block {number}: the {what} must start with https://, http:// or /"),
                    ))
                }
            };
            match block {
                Block::Heading { text } | Block::Paragraph { text } if text.trim().is_empty() => {
                    return Err(empty("text"))
                }
                Block::Image { src, alt } => {
                    if !is_image_source(src) {
                        return Err(InvalidInput::new(
                            "content",
                            format!(
                                "block {number}: the image must be an uploaded image or start with https://"
                            ),
                        ));
                    }
                    if alt.trim().is_empty() {
                        return Err(empty("alternative text (for people who cannot see the image)"));
                    }
                }
                Block::Cta { label, href } => {
                    if label.trim().is_empty() {
                        return Err(empty("button label"));
                    }
                    link("button link", href)?;
                }
                Block::Heading { .. } | Block::Paragraph { .. } => {}
            }
        }
        Ok(content)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageDetail {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    /// As stored: normally `{"blocks": [...]}`.
    pub content: Value,
    pub is_published: bool,
    pub updated_at: DateTime<Utc>,
}

/// Creates a page (no `id`) or changes one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavePageRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub key: String,
    #[serde(default)]
    pub title: Option<String>,
    pub content: Value,
    #[serde(default)]
    pub is_published: bool,
}

crate::choices!(
    /// What a home section shows; each kind has the fields its editor asks for (a custom
    /// kind keeps its raw JSON).
    SectionKind {
        Hero = "hero" => "Hero",
        ProgramsPreview = "programs_preview" => "Programs preview",
        FeaturedStudents = "featured_students" => "Featured students",
        UpcomingEvents = "upcoming_events" => "Upcoming events",
        Announcements = "announcements" => "Announcements",
        Team = "team" => "Team",
        CallToAction = "call_to_action" => "Call to action",
        RichText = "rich_text" => "Rich text",
        Testimonials = "testimonials" => "Testimonials",
    }
);

impl SectionKind {
    /// A section's kind: what its content's `kind` names, else what its key says, as the
    /// demo and hubs before kinds were kept name them (`contact_cta` is a call to action,
    /// `managers` the team, `hero-2` a second hero); `None` for a custom kind.
    pub fn of(key: &str, content: &Value) -> Option<Self> {
        if let Some(kind) = content.get("kind").and_then(Value::as_str) {
            return Self::parse(kind);
        }
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        Self::parse(stem).or(match stem {
            "programs" => Some(Self::ProgramsPreview),
            "students" => Some(Self::FeaturedStudents),
            "events" => Some(Self::UpcomingEvents),
            "news" => Some(Self::Announcements),
            "managers" => Some(Self::Team),
            "cta" | "contact_cta" => Some(Self::CallToAction),
            "text" => Some(Self::RichText),
            _ => None,
        })
    }
}

impl SectionKind {
    /// Whether the section lists things the hub already has (programs, events…): its
    /// content is how many to show.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Self::ProgramsPreview
                | Self::FeaturedStudents
                | Self::UpcomingEvents
                | Self::Announcements
                | Self::Team
        )
    }

    /// What a new section of this kind starts with: its kind, and for a list how many.
    pub fn starting_content(self) -> Value {
        let mut content = serde_json::Map::new();
        content.insert("kind".to_owned(), Value::from(self.as_str()));
        if self.is_list() {
            content.insert("limit".to_owned(), Value::from(DEFAULT_LIMIT));
        }
        Value::Object(content)
    }
}

/// How many things a list section shows when its content does not say.
pub const DEFAULT_LIMIT: u64 = 3;
/// The most a list section may show.
pub const MAX_LIMIT: u64 = 24;

/// Addresses of the website's own pages: no page may take one of them (`home` and
/// `contact` are pages the site shows in its own way: the home page's title, the text
/// above the contact form).
pub const RESERVED_PAGE_KEYS: &[&str] = &[
    "programs", "apply", "cohorts", "events", "news", "team", "students", "public", "assets", "media",
    "healthz", "sitemap", "robots",
];

/// A link a visitor's browser may follow: a web address, or one of the site's own (`/…`).
pub fn is_site_link(target: &str) -> bool {
    let target = target.trim();
    target.starts_with("https://")
        || target.starts_with("http://")
        || (target.starts_with('/') && !target.starts_with("//"))
}

/// Whether `source` may be an image's address on the site: an image the hub keeps
/// (`/media/…`) or a web address. (Any other path of the site is a page, not an image.)
pub fn is_image_source(source: &str) -> bool {
    let source = source.trim();
    crate::media::MediaPath::parse(source).is_some()
        || source.starts_with("https://")
        || source.starts_with("http://")
}

/// Checks a home section's content for what its kind shows, naming the part at fault:
/// `subtitle`, `text`, `cta_label`, `cta_href`, `image_src`, `image_alt`, `limit`, `items`.
/// A custom kind's content only has to be a JSON object.
pub fn check_section_content(kind: Option<SectionKind>, content: &Value) -> Result<(), InvalidInput> {
    let Some(object) = content.as_object() else {
        return Err(InvalidInput::new("content", "must be a JSON object ({ … })"));
    };
    let Some(kind) = kind else { return Ok(()) };
    let text = |name: &'static str, max: usize| -> Result<(), InvalidInput> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(text)) if text.chars().count() > max => {
                Err(InvalidInput::new(name, format!("is longer than {max} characters")))
            }
            Some(Value::String(_)) => Ok(()),
            Some(_) => Err(InvalidInput::new(name, "must be text")),
        }
    };
    text("subtitle", 1_000)?;
    text("text", 10_000)?;
    if let Some(cta) = object.get("cta").filter(|cta| !cta.is_null()) {
        let part = |name: &str| cta.get(name).and_then(Value::as_str).map(str::trim).unwrap_or_default();
        let (label, href) = (part("label"), part("href"));
        match (label.is_empty(), href.is_empty()) {
            (true, true) => {}
            (true, false) => {
                return Err(InvalidInput::new("cta_label", "is needed: the button says something"))
            }
            (false, true) => {
                return Err(InvalidInput::new("cta_href", "is needed: the button leads somewhere"))
            }
            (false, false) if !is_site_link(href) => {
                return Err(InvalidInput::new(
                    "cta_href",
                    "must start with https://, http:// or / (a page of the site)",
                ))
            }
            (false, false) => {}
        }
    }
    if let Some(image) = object.get("image").filter(|image| !image.is_null()) {
        let part = |name: &str| image.get(name).and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if !part("src").is_empty() {
            if !is_image_source(part("src")) {
                return Err(InvalidInput::new(
                    "image_src",
                    "must be an uploaded image or start with https://",
                ));
            }
            if part("alt").is_empty() {
                return Err(InvalidInput::new(
                    "image_alt",
                    "is needed: it is what people who cannot see the image hear",
                ));
            }
        }
    }
    if kind.is_list() {
        if let Some(limit) = object.get("limit") {
            if !limit.as_u64().is_some_and(|limit| (1..=MAX_LIMIT).contains(&limit)) {
                return Err(InvalidInput::new(
                    "limit",
                    format!("must be a whole number from 1 to {MAX_LIMIT}"),
                ));
            }
        }
    }
    if kind == SectionKind::Testimonials {
        let items = object.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (index, item) in items.iter().enumerate() {
            let quote = item.get("quote").and_then(Value::as_str).map(str::trim).unwrap_or_default();
            if quote.is_empty() {
                return Err(InvalidInput::new("items", format!("testimonial {} has no words", index + 1)));
            }
        }
    }
    Ok(())
}

/// A new home section. It starts hidden, so nothing half-written is on the website.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateHomeSection {
    /// What it shows; `None` for a custom section whose content is raw JSON.
    #[serde(default)]
    pub kind: Option<SectionKind>,
    /// Its key; made from its kind when not given (`hero`, then `hero-2`).
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeSectionRow {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub is_enabled: bool,
    pub sort_order: i32,
    pub content: Value,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateHomeSection {
    pub id: i64,
    #[serde(default)]
    pub title: Option<String>,
    pub is_enabled: bool,
    /// A JSON object; what it holds depends on the section.
    pub content: Value,
}

/// The home sections in their new order, every one of them once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReorderHomeSections {
    pub ids: Vec<i64>,
}

/// `website.preview`: a page of the website written by the server from an unsaved edit, as
/// the site would show it once saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "page", rename_all = "snake_case", deny_unknown_fields)]
pub enum PreviewRequest {
    /// The home page with these sections, in this order: the one being edited as typed, the
    /// others as saved.
    Home { sections: Vec<crate::public::HomeSection> },
    /// A page as typed.
    Page {
        key: String,
        #[serde(default)]
        title: Option<String>,
        content: Value,
    },
}

impl PreviewRequest {
    /// The most sections a home page preview writes.
    pub const MAX_SECTIONS: usize = 60;
}

/// A page of the website as HTML: a whole document, its stylesheet inside it, its images
/// and links relative to the site's root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePreview {
    pub html: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sections_kind_is_its_contents_else_read_from_its_key() {
        let none = json!({});
        assert_eq!(SectionKind::of("hero", &none), Some(SectionKind::Hero));
        assert_eq!(SectionKind::of("hero-2", &none), Some(SectionKind::Hero));
        assert_eq!(SectionKind::of("contact_cta", &none), Some(SectionKind::CallToAction));
        assert_eq!(SectionKind::of("managers", &none), Some(SectionKind::Team));
        assert_eq!(SectionKind::of("programs_preview", &none), Some(SectionKind::ProgramsPreview));
        assert_eq!(SectionKind::of("partners", &json!({"kind": "rich_text"})), Some(SectionKind::RichText));
        assert_eq!(
            SectionKind::of("hero", &json!({"kind": "testimonials"})),
            Some(SectionKind::Testimonials)
        );
        assert_eq!(SectionKind::of("partners", &none), None, "a custom kind");
        assert_eq!(SectionKind::of("x", &json!({"kind": "carousel"})), None, "a kind we do not know");
    }

    #[test]
    fn css_colors_in_every_accepted_form_pass_and_others_are_refused() {
        for good in [
            "#fff",
            "#FFFa",
            "#1a2b3c",
            "#1a2b3c80",
            "rgb(26, 43, 60)",
            "rgb(26 43 60)",
            "rgba(26,43,60,0.5)",
            "rgb(10% 20% 30% / 50%)",
            "hsl(210, 50%, 40%)",
            "hsla(210deg 50% 40% / 0.3)",
        ] {
            assert!(check_css_color(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "red; background: url(x)",
            "#12",
            "#ggg",
            "rgb(256,0,0)",
            "rgb(1,2)",
            "hsl(10, 20, 30)",
            "rgba(1,2,3,4)",
            "url(javascript:x)",
            "rgb(1,2,3",
        ] {
            assert_eq!(check_css_color(bad).unwrap_err().field, "value", "{bad}");
        }
    }

    #[test]
    fn token_keys_are_custom_property_names() {
        assert_eq!(check_token_key(" --primary-2 ").unwrap(), "--primary-2");
        for bad in ["primary", "--", "--Primary", "--2x", "--a b", "--a;b"] {
            assert!(check_token_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_content_names_the_block_that_is_wrong() {
        let ok = json!({"blocks": [{"type": "heading", "text": "Hi"}, {"type": "cta", "label": "Go", "href": "/programs"}]});
        assert_eq!(PageContent::check(&ok).unwrap().blocks.len(), 2);
        let message = |content: Value| PageContent::check(&content).unwrap_err().message;
        assert!(message(json!({"blocks": [{"type": "video"}]})).contains("heading, paragraph, image or cta"));
        assert!(message(json!([1, 2])).contains("must be {\"blocks\""));
        assert_eq!(
            message(
                json!({"blocks": [{"type": "heading", "text": "A"}, {"type": "paragraph", "text": " "}]})
            ),
            "block 2: the text is empty"
        );
        assert!(message(json!({"blocks": [{"type": "image", "src": "campus.jpg", "alt": "x"}]}))
            .contains("block 1"));
        assert!(message(json!({"blocks": [{"type": "cta", "label": "Go", "href": "javascript:alert(1)"}]}))
            .contains("must start with https://"));
    }
}
