//! What the templates show, made from the published content: every text ready to print
//! (dates on the hub's clock, paragraphs split), every link checked to be a web address or
//! one of ours, so the templates only place and escape.

use crate::Failure;
use chrono::{NaiveDate, NaiveDateTime};
use hub_core::website as content;
use hub_model::cms::{
    check_css_color, check_token_key, is_image_source, is_site_link, Block, SectionKind, RESERVED_PAGE_KEYS,
};
use hub_model::media::{MediaPath, AVATAR_WIDTH, WIDTHS};
use hub_model::programs::CohortStatus;
use hub_model::public::{
    Announcement, Cohort, Contact, Event, HomeSection, Instructor, Links, Manager, Program, Student,
};
use serde_json::Value;
use sqlx::PgPool;

/// Whether `/{key}` is a published page's address: not one of the site's own pages, nor
/// the home or contact page (shown in their own way).
pub fn is_page_key(key: &str) -> bool {
    hub_model::input::Slug::parse("key", key).is_ok_and(|slug| slug.as_str() == key)
        && !RESERVED_PAGE_KEYS.contains(&key)
        && !matches!(key, "home" | "contact")
}

/// A link: where it goes and what it says.
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self { href: href.into(), label: label.into() }
    }
}

/// A link of the main navigation.
pub struct NavLink {
    pub href: String,
    pub label: String,
    /// Drawn as the call to apply.
    pub apply: bool,
}

/// What every page shares: the site's name and contact, its navigation, its theme.
pub struct Chrome {
    pub site_name: String,
    pub contact: Contact,
    pub nav: Vec<NavLink>,
    pub footer: Vec<Link>,
    pub social: Vec<Link>,
    /// `--key: value;` for each valid theme token.
    pub theme_css: String,
    pub stylesheet: &'static str,
    /// The stylesheet written into the page instead (the app's preview, which has no site
    /// to load it from).
    pub inline_css: Option<&'static str>,
    /// The site's address (`https://www.example.org`), when the operator gave it.
    pub base_url: Option<String>,
}

impl Chrome {
    pub async fn load(pool: &PgPool, base_url: Option<String>) -> Result<Self, Failure> {
        let site = content::site(pool).await?;
        let pages = content::pages(pool).await?;
        let accepting = content::cohorts(pool).await?.iter().any(|cohort| cohort.accepting_applications);
        let extra: Vec<Link> = pages
            .iter()
            .filter(|page| is_page_key(&page.key))
            .map(|page| Link::new(format!("/{}", page.key), super::page_title(page)))
            .collect();
        let mut nav = vec![
            nav_link("/programs", "Programs"),
            nav_link("/events", "Events"),
            nav_link("/news", "News"),
            nav_link("/team", "Team"),
        ];
        // A page's key names it in the navigation ("About"), its title on the page itself.
        nav.extend(extra.iter().map(|link| nav_link(&link.href, &words(link.href.trim_start_matches('/')))));
        nav.push(nav_link("/contact", "Contact"));
        if accepting {
            nav.push(NavLink { href: "/apply".to_owned(), label: "Apply".to_owned(), apply: true });
        }
        let mut footer = vec![
            Link::new("/programs", "Programs"),
            Link::new("/apply", "Apply"),
            Link::new("/events", "Events"),
            Link::new("/news", "News"),
            Link::new("/team", "Our team"),
            Link::new("/students", "Our students"),
        ];
        footer.extend(extra);
        footer.push(Link::new("/contact", "Contact"));
        let social = site
            .social_links
            .iter()
            .filter(|(_, url)| is_site_link(url))
            .map(|(network, url)| Link::new(url.clone(), network_name(network)))
            .collect();
        let theme_css = site
            .theme
            .iter()
            .filter_map(|token| {
                let key = check_token_key(&token.key).ok()?;
                let value = check_css_color(&token.value).ok()?;
                Some(format!("{key}: {value}; "))
            })
            .collect();
        Ok(Self {
            site_name: site.site_name,
            contact: site.contact,
            nav,
            footer,
            social,
            theme_css,
            stylesheet: super::STYLESHEET.path,
            inline_css: None,
            base_url,
        })
    }

    /// The absolute address of `path`, when the site's address is known.
    pub fn url(&self, path: &str) -> Option<String> {
        self.base_url.as_ref().map(|base| format!("{base}{path}"))
    }
}

fn nav_link(href: &str, label: &str) -> NavLink {
    NavLink { href: href.to_owned(), label: label.to_owned(), apply: false }
}

/// "linkedin" → "LinkedIn".
fn network_name(network: &str) -> String {
    match network.to_ascii_lowercase().as_str() {
        "linkedin" => "LinkedIn".to_owned(),
        "github" => "GitHub".to_owned(),
        "youtube" => "YouTube".to_owned(),
        "x" | "twitter" => "X (Twitter)".to_owned(),
        "tiktok" => "TikTok".to_owned(),
        _ => words(network),
    }
}

/// `about-us` → "About us".
pub fn words(key: &str) -> String {
    let spaced = key.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The page's own part of `<head>`.
pub struct Head {
    pub title: String,
    pub description: String,
    pub path: String,
    /// The main navigation's link this page belongs under.
    pub section: String,
}

impl Head {
    pub fn new(title: &str, chrome: &Chrome, description: &str, section: &str) -> Self {
        Self {
            title: format!("{title} · {}", chrome.site_name),
            description: description.to_owned(),
            path: section.to_owned(),
            section: section.to_owned(),
        }
    }
}

/// Text in paragraphs: split at blank lines, trimmed, none empty.
pub fn paragraphs(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

/// An image, ready to print: one the hub keeps offers the browser each width it has.
pub struct Picture {
    pub src: String,
    pub srcset: Option<String>,
    pub alt: String,
}

impl Picture {
    /// `src` shown across a page's column, or `None` when it is no image's address.
    pub fn new(src: &str, alt: impl Into<String>) -> Option<Self> {
        is_image_source(src).then(|| match MediaPath::parse(src.trim()) {
            Some(path) => Self { src: path.at(WIDTHS[1]), srcset: Some(path.srcset()), alt: alt.into() },
            None => Self { src: src.trim().to_owned(), srcset: None, alt: alt.into() },
        })
    }

    /// A person's picture, shown small: the hub's narrowest width is enough.
    fn avatar(src: &str) -> Option<Self> {
        let mut picture = Self::new(src, "")?;
        if let Some(path) = MediaPath::parse(src.trim()) {
            picture.src = path.at(AVATAR_WIDTH);
            picture.srcset = Some(format!("{} 1x, {} 2x", path.at(AVATAR_WIDTH), path.at(WIDTHS[1])));
        }
        Some(picture)
    }
}

/// One block of a page, ready to print.
pub struct BlockView {
    /// heading, paragraph, image or cta.
    pub kind: &'static str,
    /// The heading's or paragraph's text, the image's alternative text, the button's label.
    pub text: String,
    /// The button's link.
    pub href: String,
    pub picture: Option<Picture>,
}

impl BlockView {
    pub fn paragraphs(&self) -> Vec<String> {
        paragraphs(Some(&self.text))
    }
}

/// A page's blocks, each read on its own: one the site cannot show (an unknown type, a link
/// that is no web address) is left out, the rest shown.
pub fn blocks(content: &Value) -> Vec<BlockView> {
    let Some(blocks) = content.get("blocks").and_then(Value::as_array) else { return Vec::new() };
    blocks
        .iter()
        .filter_map(|block| serde_json::from_value::<Block>(block.clone()).ok())
        .filter_map(|block| {
            let (kind, text, href) = match block {
                Block::Heading { text } => ("heading", text, String::new()),
                Block::Paragraph { text } => ("paragraph", text, String::new()),
                Block::Image { src, alt } => ("image", alt, src),
                Block::Cta { label, href } => ("cta", label, href),
            };
            let picture = if kind == "image" { Some(Picture::new(&href, text.clone())?) } else { None };
            let shown = !text.trim().is_empty() && (kind != "cta" || is_site_link(&href));
            shown.then_some(BlockView { kind, text, href, picture })
        })
        .collect()
}

/// The first paragraph, for the page's description.
pub fn description_of(blocks: &[BlockView]) -> Option<String> {
    blocks.iter().find(|block| block.kind == "paragraph").map(|block| block.text.clone())
}

pub struct ProgramCard {
    pub href: String,
    pub title: String,
    pub summary: Option<String>,
    pub status: String,
    /// Taking applications now.
    pub open: bool,
    /// Its picture, decorative on a card (the title says what it is).
    pub picture: Option<Picture>,
}

impl ProgramCard {
    pub fn of(program: &Program) -> Self {
        let open = program.cohorts.iter().find(|cohort| cohort.accepting_applications);
        let status = match open {
            Some(cohort) => format!("Applications open: {}", cohort.name),
            None => match program.cohorts.iter().filter_map(|cohort| cohort.start_date).min() {
                Some(start) => format!("Next cohort starts {}", day(start)),
                None => "No cohort scheduled yet".to_owned(),
            },
        };
        Self {
            href: format!("/programs/{}", program.slug),
            title: program.title.clone(),
            summary: program.summary.clone(),
            status,
            open: open.is_some(),
            picture: program.image_url.as_deref().and_then(|url| Picture::new(url, "")),
        }
    }
}

pub struct CohortItem {
    pub name: String,
    pub program: String,
    pub show_program: bool,
    pub dates: String,
    pub status: String,
    pub facts: Vec<String>,
    pub apply_href: Option<String>,
}

impl CohortItem {
    pub fn of(cohort: &Cohort, show_program: bool) -> Self {
        let dates = match (cohort.start_date, cohort.end_date) {
            (Some(start), Some(end)) => format!("{} to {}", day(start), day(end)),
            (Some(start), None) => format!("Starts {}", day(start)),
            _ => "Dates to be announced".to_owned(),
        };
        let mut facts = Vec::new();
        if let Some(closes) = cohort.enrollment_close_at.filter(|_| cohort.accepting_applications) {
            facts.push(format!("applications close {}", day(closes.date_naive())));
        }
        if let Some(opens) = cohort.enrollment_open_at.filter(|_| cohort.status == CohortStatus::ComingSoon) {
            facts.push(format!("applications open {}", day(opens.date_naive())));
        }
        match cohort.seats_left {
            Some(0) => facts.push("no seat left: you may join the waiting list".to_owned()),
            Some(1) => facts.push("1 seat left".to_owned()),
            Some(seats) => facts.push(format!("{seats} seats left")),
            None => {}
        }
        let lead: Vec<&str> =
            cohort.instructors.iter().map(|instructor| instructor.full_name.as_str()).collect();
        if !lead.is_empty() {
            facts.push(format!("taught by {}", lead.join(", ")));
        }
        Self {
            name: cohort.name.clone(),
            program: cohort.program_title.clone(),
            show_program,
            dates,
            status: if cohort.accepting_applications {
                "Taking applications".to_owned()
            } else {
                cohort.status.label().to_owned()
            },
            facts,
            apply_href: cohort.accepting_applications.then(|| format!("/apply/{}", cohort.id)),
        }
    }
}

/// "Tue 8 Dec 2026".
pub fn day(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// "Tue 8 Dec 2026, 18:00–20:00", or across days.
pub fn span(starts: NaiveDateTime, ends: Option<NaiveDateTime>) -> String {
    let start = format!("{}, {}", day(starts.date()), starts.format("%H:%M"));
    match ends {
        Some(ends) if ends.date() == starts.date() => format!("{start}–{}", ends.format("%H:%M")),
        Some(ends) if ends > starts => format!("{start} to {}, {}", day(ends.date()), ends.format("%H:%M")),
        _ => start,
    }
}

pub struct EventItem {
    pub href: String,
    pub title: String,
    pub when: String,
    /// For `<time datetime>`.
    pub datetime: String,
    pub location: String,
    pub summary: Option<String>,
}

impl EventItem {
    pub fn of(event: &Event) -> Self {
        Self {
            href: format!("/events/{}", event.slug),
            title: event.title.clone(),
            when: span(event.local_starts_at, event.local_ends_at),
            datetime: event.starts_at.to_rfc3339(),
            location: event.location.clone(),
            summary: paragraphs(event.description.as_deref()).into_iter().next(),
        }
    }
}

pub struct NewsItem {
    pub title: String,
    pub date: String,
    pub datetime: String,
    pub paragraphs: Vec<String>,
}

impl NewsItem {
    pub fn of(announcement: &Announcement) -> Self {
        Self {
            title: announcement.title.clone(),
            date: day(announcement.published_on),
            datetime: announcement.published_on.to_string(),
            paragraphs: paragraphs(Some(&announcement.body)),
        }
    }
}

pub struct PersonCard {
    pub name: String,
    pub initials: String,
    pub role: Option<String>,
    pub bio: Option<String>,
    pub avatar: Option<Picture>,
    pub href: Option<String>,
    pub links: Vec<Link>,
}

impl PersonCard {
    fn new(name: &str, role: Option<String>, bio: Option<&str>, avatar: Option<&str>, links: &Links) -> Self {
        let initials = name.split_whitespace().filter_map(|word| word.chars().next()).take(2).collect();
        let links = [
            (links.linkedin_url.as_deref(), "LinkedIn"),
            (links.github_url.as_deref(), "GitHub"),
            (links.portfolio_url.as_deref(), "Portfolio"),
        ]
        .into_iter()
        .filter_map(|(url, label)| url.filter(|url| is_site_link(url)).map(|url| Link::new(url, label)))
        .collect();
        Self {
            name: name.to_owned(),
            initials,
            role: role.filter(|role| !role.trim().is_empty()),
            bio: paragraphs(bio).into_iter().next(),
            avatar: avatar.and_then(Picture::avatar),
            href: None,
            links,
        }
    }

    pub fn manager(manager: &Manager) -> Self {
        Self::new(
            &manager.full_name,
            manager.job_title.clone(),
            manager.bio.as_deref(),
            manager.avatar_url.as_deref(),
            &manager.links,
        )
    }

    pub fn instructor(instructor: &Instructor) -> Self {
        Self::new(
            &instructor.full_name,
            instructor.expertise.clone(),
            instructor.bio.as_deref(),
            instructor.avatar_url.as_deref(),
            &instructor.links,
        )
    }

    pub fn student(student: &Student) -> Self {
        let role =
            (student.status == hub_model::profiles::StudentStatus::Graduated).then(|| "Graduate".to_owned());
        let mut card = Self::new(
            &student.full_name,
            role,
            student.bio.as_deref(),
            student.avatar_url.as_deref(),
            &student.links,
        );
        card.href = Some(format!("/students/{}", student.public_slug));
        card
    }
}

pub struct Quote {
    pub text: String,
    pub by: Option<String>,
}

/// One home section, ready to print: what its kind shows.
pub struct SectionView {
    pub kind: &'static str,
    pub key: String,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub cta: Option<Link>,
    /// Its "see all" link.
    pub more: Option<Link>,
    pub image: Option<Picture>,
    pub programs: Vec<ProgramCard>,
    pub events: Vec<EventItem>,
    pub people: Vec<PersonCard>,
    pub news: Vec<NewsItem>,
    pub quotes: Vec<Quote>,
    /// What to say when a list is empty.
    pub empty: Option<String>,
}

fn text(content: &Value, key: &str) -> Option<String> {
    content.get(key).and_then(Value::as_str).map(str::trim).filter(|text| !text.is_empty()).map(str::to_owned)
}

fn limit(content: &Value, default: usize) -> usize {
    content.get("limit").and_then(Value::as_u64).map_or(default, |limit| limit.clamp(1, 24) as usize)
}

fn cta(content: &Value) -> Option<Link> {
    let cta = content.get("cta")?;
    let (label, href) = (text(cta, "label")?, text(cta, "href")?);
    is_site_link(&href).then(|| Link::new(href, label))
}

fn image(content: &Value) -> Option<Picture> {
    let image = content.get("image")?;
    Picture::new(&text(image, "src")?, text(image, "alt").unwrap_or_default())
}

/// The home page's sections, each with what it shows (read once per kind).
pub async fn sections(pool: &PgPool, sections: &[HomeSection]) -> Result<Vec<SectionView>, Failure> {
    let mut views = Vec::with_capacity(sections.len());
    for section in sections {
        let content = &section.content;
        let kind = SectionKind::of(&section.key, content);
        let mut view = SectionView {
            kind: kind.map_or("custom", SectionKind::as_str),
            key: section.key.clone(),
            title: section.title.clone().filter(|title| !title.trim().is_empty()),
            paragraphs: paragraphs(text(content, "subtitle").or_else(|| text(content, "text")).as_deref()),
            cta: cta(content),
            more: None,
            image: image(content),
            programs: Vec::new(),
            events: Vec::new(),
            people: Vec::new(),
            news: Vec::new(),
            quotes: Vec::new(),
            empty: None,
        };
        match kind {
            Some(SectionKind::ProgramsPreview) => {
                let programs = content::programs(pool, None).await?;
                view.programs = programs.iter().take(limit(content, 3)).map(ProgramCard::of).collect();
                view.more = Some(Link::new("/programs", "All programs"));
                view.empty = view.programs.is_empty().then(|| "Our programs are being written.".to_owned());
            }
            Some(SectionKind::UpcomingEvents) => {
                let events = content::events(pool, content::When::Upcoming, None).await?;
                view.events = events.iter().take(limit(content, 4)).map(EventItem::of).collect();
                view.more = Some(Link::new("/events", "All events"));
                view.empty = view.events.is_empty().then(|| "No event is planned right now.".to_owned());
            }
            Some(SectionKind::FeaturedStudents) => {
                let students = content::featured_students(pool).await?;
                view.people = students.iter().take(limit(content, 4)).map(PersonCard::student).collect();
                view.more = Some(Link::new("/students", "All students"));
            }
            Some(SectionKind::Team) => {
                let managers = content::managers(pool).await?;
                view.people = managers.iter().take(limit(content, 8)).map(PersonCard::manager).collect();
                view.more = Some(Link::new("/team", "Meet the team"));
            }
            Some(SectionKind::Announcements) => {
                let news = content::announcements(pool).await?;
                view.news = news.iter().take(limit(content, 3)).map(NewsItem::of).collect();
                view.more = Some(Link::new("/news", "All news"));
            }
            Some(SectionKind::Testimonials) => {
                view.quotes = content
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|item| Some(Quote { text: text(item, "quote")?, by: text(item, "name") }))
                    .collect();
            }
            Some(SectionKind::RichText) => {
                view.paragraphs = paragraphs(text(content, "text").as_deref());
            }
            Some(SectionKind::Hero | SectionKind::CallToAction) | None => {}
        }
        // A section with nothing to show is left out (testimonials not written yet, no
        // featured student): the page never shows an empty heading.
        let shows = !view.paragraphs.is_empty()
            || view.cta.is_some()
            || view.image.is_some()
            || !view.programs.is_empty()
            || !view.events.is_empty()
            || !view.people.is_empty()
            || !view.news.is_empty()
            || !view.quotes.is_empty()
            || view.empty.is_some()
            || view.kind == "hero";
        if shows {
            views.push(view);
        }
    }
    Ok(views)
}

pub struct SitemapEntry {
    pub path: String,
    pub modified: Option<String>,
}

/// Every page a visitor can reach from the home page.
pub async fn sitemap(pool: &PgPool) -> Result<Vec<SitemapEntry>, Failure> {
    let entry = |path: String, modified: Option<NaiveDate>| SitemapEntry {
        path,
        modified: modified.map(|day| day.to_string()),
    };
    let mut entries: Vec<SitemapEntry> =
        ["/", "/programs", "/apply", "/events", "/news", "/team", "/students", "/contact"]
            .into_iter()
            .map(|path| entry(path.to_owned(), None))
            .collect();
    for page in content::pages(pool).await?.iter().filter(|page| is_page_key(&page.key)) {
        entries.push(entry(format!("/{}", page.key), Some(page.updated_at.date_naive())));
    }
    for program in content::programs(pool, None).await? {
        entries.push(entry(format!("/programs/{}", program.slug), None));
        for cohort in program.cohorts.iter().filter(|cohort| cohort.accepting_applications) {
            entries.push(entry(format!("/apply/{}", cohort.id), None));
        }
    }
    for event in content::events(pool, content::When::All, None).await? {
        entries.push(entry(format!("/events/{}", event.slug), None));
    }
    for student in content::featured_students(pool).await? {
        entries.push(entry(format!("/students/{}", student.public_slug), None));
    }
    Ok(entries)
}
