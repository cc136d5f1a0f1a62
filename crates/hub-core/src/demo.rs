//! Demo content: a believable hub to explore and test against. Every table gets rows:
//! staff with several roles, 44 students, programs and cohorts in every state, a month of
//! sessions with attendance, events, forms, applications, announcements and messages.
//!
//! Dates are relative to the day of seeding, so the running cohort is always running.
//! Seeding twice changes nothing the second time: the demo admin marks a seeded database.

use crate::{password, Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use tokio::task::JoinSet;

/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "digitalhub-demo";

/// The account whose presence means the demo content is already there.
const MARKER_EMAIL: &str = "admin@demo.digitalhub.dev";

/// Sign-ins worth knowing, printed by `hubctl seed-demo` and listed in the README.
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("admin@demo.digitalhub.dev", "admin (public manager)"),
    ("lead@demo.digitalhub.dev", "admin + instructor (lead of the running cohort)"),
    ("instructor@demo.digitalhub.dev", "instructor"),
    ("student@demo.digitalhub.dev", "student (running cohort)"),
    ("mentor@demo.digitalhub.dev", "instructor + student (graduate who mentors)"),
    ("former@demo.digitalhub.dev", "student, deactivated (sign-in is refused)"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded(DemoCounts),
    /// The demo content was there already; nothing was written.
    AlreadyPresent,
}

/// How many rows the demo holds, table by table, for the operator's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCounts {
    pub users: i64,
    pub students: i64,
    pub programs: i64,
    pub cohorts: i64,
    pub sessions: i64,
    pub attendance_records: i64,
    pub events: i64,
    pub applications: i64,
    pub announcements: i64,
    pub contact_messages: i64,
}

struct Person {
    email: String,
    phone: String,
    full_name: String,
    is_admin: bool,
    is_instructor: bool,
    is_student: bool,
    is_active: bool,
}

const FIRST_NAMES: &[&str] = &[
    "Ali", "Maya", "Hassan", "Yara", "Karim", "Layla", "Rami", "Nadine", "Fadi", "Rana", "Ziad", "Hiba",
    "Samir", "Dana", "Tarek", "Lea", "Bilal", "Mira", "Walid", "Jana", "Elie", "Tala",
];
const LAST_NAMES: &[&str] =
    &["Khalil", "Haddad", "Saab", "Khoury", "Nasr", "Harb", "Aoun", "Daher", "Fakhoury", "Issa", "Rizk"];

/// 44 students, names unique and stable from run to run.
fn demo_students() -> Vec<Person> {
    (0..44)
        .map(|index| {
            let first = FIRST_NAMES[index % FIRST_NAMES.len()];
            let last = LAST_NAMES[(index * 7 + index / FIRST_NAMES.len()) % LAST_NAMES.len()];
            Person {
                email: format!(
                    "{}.{}@students.demo.digitalhub.dev",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
                phone: format!("+961 71 {:03} {:03}", 100 + index, 200 + index * 3),
                full_name: format!("{first} {last}"),
                is_admin: false,
                is_instructor: false,
                is_student: true,
                is_active: true,
            }
        })
        .collect()
}

fn staff(email: &str, phone: &str, full_name: &str, roles: (bool, bool, bool), is_active: bool) -> Person {
    Person {
        email: email.to_owned(),
        phone: phone.to_owned(),
        full_name: full_name.to_owned(),
        is_admin: roles.0,
        is_instructor: roles.1,
        is_student: roles.2,
        is_active,
    }
}

fn at(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default();
    Utc.from_utc_datetime(&date.and_time(time))
}

pub async fn is_seeded(pool: &PgPool) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from users where email = $1) as "seeded!""#,
        MARKER_EMAIL
    )
    .fetch_one(pool)
    .await?)
}

/// Writes the demo content in one transaction, or nothing if it is already there.
pub async fn seed(pool: &PgPool) -> Result<SeedOutcome> {
    if is_seeded(pool).await? {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    // Hash first, outside the transaction: argon2id is slow by design, and every
    // account gets its own salt. Both cores share the work.
    let mut people = vec![
        staff(MARKER_EMAIL, "+961 1 555 001", "Maya Khoury", (true, false, false), true),
        staff("ops@demo.digitalhub.dev", "+961 1 555 002", "Omar Saleh", (true, false, false), true),
        staff("lead@demo.digitalhub.dev", "+961 1 555 003", "Lina Haddad", (true, true, false), true),
        staff("instructor@demo.digitalhub.dev", "+961 1 555 004", "Karim Nassar", (false, true, false), true),
        staff("sara@demo.digitalhub.dev", "+961 1 555 005", "Sara Mansour", (false, true, false), true),
        staff("jad@demo.digitalhub.dev", "+961 1 555 006", "Jad Fares", (false, true, false), true),
        staff("mentor@demo.digitalhub.dev", "+961 1 555 007", "Rami Aziz", (false, true, true), true),
        staff("student@demo.digitalhub.dev", "+961 1 555 008", "Nour Karam", (false, false, true), true),
        staff("former@demo.digitalhub.dev", "+961 1 555 009", "Hadi Rahme", (false, false, true), false),
    ];
    people.extend(demo_students());
    let mut hashing = JoinSet::new();
    for index in 0..people.len() {
        hashing.spawn_blocking(move || password::hash(DEMO_PASSWORD).map(|hash| (index, hash)));
    }
    let mut hashes = vec![String::new(); people.len()];
    while let Some(joined) = hashing.join_next().await {
        let (index, hash) =
            joined.map_err(|error| Error::Internal(format!("hashing task failed: {error}")))??;
        hashes[index] = hash;
    }

    let mut tx = crate::db::begin_as(pool, "demo.seed").await?;
    // Two operators seeding at once: the second waits, then sees the marker.
    sqlx::query!("select pg_advisory_xact_lock(hashtext('digital-hub-demo-seed'))").execute(&mut *tx).await?;
    let seeded = sqlx::query_scalar!(
        r#"select exists(select 1 from users where email = $1) as "seeded!""#,
        MARKER_EMAIL
    )
    .fetch_one(&mut *tx)
    .await?;
    if seeded {
        return Ok(SeedOutcome::AlreadyPresent);
    }

    let now = Utc::now();
    let today = now.date_naive();
    let mut ids = Vec::with_capacity(people.len());
    for (person, hash) in people.iter().zip(&hashes) {
        let id = sqlx::query_scalar!(
            "insert into users (email, phone, password_hash, is_admin, is_instructor, is_student, is_active, last_login_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            person.email,
            person.phone,
            hash,
            person.is_admin,
            person.is_instructor,
            person.is_student,
            person.is_active,
            person.is_active.then(|| now - Duration::days(1)),
        )
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    let [maya, omar, lina, karim, sara, jad, rami, nour, hadi] =
        [ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]];
    let students: Vec<(i64, &Person)> = ids[9..].iter().copied().zip(&people[9..]).collect();

    seed_profiles(&mut tx, &people, &ids).await?;
    seed_cms(&mut tx, maya).await?;

    // Programs and cohorts.
    let full_stack = insert_program(&mut tx, "full-stack-web", "Full-Stack Web Development",
        "From HTML to production: build and ship complete web applications.",
        "Sixteen weeks of JavaScript, TypeScript, React, Node.js, SQL and deployment, ending with a team project presented at Demo Day.",
        "Comfort with a computer and English; no prior programming needed. Pass the entry logic test.",
        20, maya).await?;
    let data = insert_program(&mut tx, "data-analytics", "Data Analytics with Python",
        "Turn raw data into decisions with Python, SQL and dashboards.",
        "Twelve weeks of spreadsheets to pandas, SQL, statistics, visualisation and storytelling with real datasets from local partners.",
        "Basic maths; a laptop with 8 GB of memory.",
        16, maya).await?;
    let design = insert_program(&mut tx, "ux-ui-design", "UX/UI Design",
        "Research, prototype and test interfaces people enjoy.",
        "Ten weeks of user research, information architecture, Figma prototyping, accessibility and usability testing.",
        "A portfolio is not required; curiosity is.",
        12, omar).await?;
    for (program, colours, file_name) in [
        (full_stack, (BLUE, NIGHT, ORANGE), "full-stack-web.png"),
        (data, (GREEN, NIGHT, BLUE), "data-analytics.png"),
        (design, (ORANGE, BLUE, GREEN), "ux-ui-design.png"),
    ] {
        let url = picture(&mut tx, colours, file_name, maya).await?;
        sqlx::query!("update programs set image_url = $2 where id = $1", program, url)
            .execute(&mut *tx)
            .await?;
    }

    let completed = insert_cohort(
        &mut tx,
        full_stack,
        "Spring 2026",
        "completed",
        false,
        16,
        None,
        today - Duration::days(270),
        today - Duration::days(130),
    )
    .await?;
    let running = insert_cohort(
        &mut tx,
        full_stack,
        "Autumn 2026",
        "running",
        false,
        20,
        None,
        today - Duration::days(42),
        today + Duration::days(70),
    )
    .await?;
    let open = insert_cohort(
        &mut tx,
        data,
        "Winter 2027",
        "open",
        true,
        16,
        Some((now - Duration::days(14), now + Duration::days(30))),
        today + Duration::days(45),
        today + Duration::days(129),
    )
    .await?;
    let coming = insert_cohort(
        &mut tx,
        design,
        "Spring 2027",
        "coming_soon",
        false,
        12,
        None,
        today + Duration::days(120),
        today + Duration::days(190),
    )
    .await?;
    let planned = insert_cohort(
        &mut tx,
        data,
        "Summer 2027",
        "planned",
        false,
        16,
        None,
        today + Duration::days(210),
        today + Duration::days(294),
    )
    .await?;

    for (cohort, instructor, role) in [
        (completed, lina, "lead"),
        (completed, karim, "assistant"),
        (running, lina, "lead"),
        (running, karim, "assistant"),
        (running, rami, "mentor"),
        (open, sara, "lead"),
        (coming, jad, "lead"),
        (planned, sara, "lead"),
    ] {
        sqlx::query!(
            "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, $3)",
            cohort,
            instructor,
            role,
        )
        .execute(&mut *tx)
        .await?;
    }

    // Enrollments: the graduates (and Rami), the running class (and Nour), and Hadi who left.
    let enrolled_at_completed = at(today - Duration::days(280), 10, 0);
    let enrolled_at_running = at(today - Duration::days(50), 10, 0);
    for (index, (student, _)) in students[..16].iter().enumerate() {
        let status = if index % 8 == 5 { "dropped" } else { "completed" };
        insert_enrollment(&mut tx, *student, completed, None, status, enrolled_at_completed).await?;
    }
    insert_enrollment(&mut tx, rami, completed, None, "completed", enrolled_at_completed).await?;
    let mut running_enrollments =
        vec![insert_enrollment(&mut tx, nour, running, None, "active", enrolled_at_running).await?];
    for (index, (student, _)) in students[16..35].iter().enumerate() {
        let status = match index {
            6 => "paused",
            13 => "dropped",
            _ => "active",
        };
        let enrollment =
            insert_enrollment(&mut tx, *student, running, None, status, enrolled_at_running).await?;
        if status == "active" {
            running_enrollments.push(enrollment);
        }
    }
    insert_enrollment(&mut tx, hadi, running, None, "dropped", enrolled_at_running).await?;

    seed_sessions_and_attendance(&mut tx, running, open, &running_enrollments, (lina, karim), today).await?;
    let application_form = seed_forms(&mut tx, maya).await?;
    seed_applications(&mut tx, open, application_form, &students[35..], omar, now).await?;
    seed_events(&mut tx, maya, now).await?;
    seed_announcements(&mut tx, (maya, lina), (running, coming), now).await?;
    seed_contact_messages(&mut tx, omar, now).await?;

    let counts = count(&mut tx).await?;
    tx.commit().await?;
    Ok(SeedOutcome::Seeded(counts))
}

async fn seed_profiles(tx: &mut Transaction<'_, Postgres>, people: &[Person], ids: &[i64]) -> Result<()> {
    let managers = [
        (0, "Hub Director", "Maya founded Digital Hub after a decade leading engineering teams.", true, 1),
        (1, "Operations Manager", "Omar keeps cohorts, partners and spaces running smoothly.", true, 2),
        (2, "Program Manager", "Lina designs the curriculum and leads the full-stack track.", true, 3),
    ];
    for (index, job_title, bio, is_public, sort_order) in managers {
        sqlx::query!(
            "insert into manager_profiles (user_id, full_name, bio, job_title, is_public, sort_order, linkedin_url)
             values ($1, $2, $3, $4, $5, $6, $7)",
            ids[index],
            people[index].full_name,
            bio,
            job_title,
            is_public,
            sort_order,
            format!("https://www.linkedin.com/in/demo-{}", people[index].full_name.to_lowercase().replace(' ', "-")),
        )
        .execute(&mut **tx)
        .await?;
    }
    let instructors = [
        (2, "Full-stack web, Rust, PostgreSQL", "Twelve years building web products; teaches by shipping."),
        (
            3,
            "Frontend engineering, React, accessibility",
            "Karim cares about interfaces that work for everyone.",
        ),
        (4, "Data analysis, Python, SQL", "Former analyst at a regional bank; loves a clean dataset."),
        (5, "UX research, Figma, design systems", "Jad ran design at two startups before teaching."),
        (6, "JavaScript, mentoring", "Graduate of Spring 2026, now mentoring the next class."),
    ];
    for (index, expertise, bio) in instructors {
        // Jad (5) has not chosen to be listed on the website: he is not on its team page.
        sqlx::query!(
            "insert into instructor_profiles (user_id, full_name, bio, expertise, github_url, is_public)
             values ($1, $2, $3, $4, $5, $6)",
            ids[index],
            people[index].full_name,
            bio,
            expertise,
            format!("https://github.com/demo-{}", people[index].full_name.to_lowercase().replace(' ', "-")),
            index != 5,
        )
        .execute(&mut **tx)
        .await?;
    }
    // Students: graduates of the completed cohort (indexes 9..25 and Rami) are "graduated";
    // four of them are featured on the website.
    for (index, person) in people.iter().enumerate().filter(|(_, person)| person.is_student) {
        let graduate = (9..25).contains(&index) || index == 6;
        let status = match (person.is_active, graduate) {
            (false, _) => "inactive",
            (true, true) => "graduated",
            (true, false) => "active",
        };
        let featured_rank = match index {
            9 => Some(1),
            11 => Some(2),
            14 => Some(3),
            6 => Some(4),
            _ => None,
        };
        let slug = person.full_name.to_lowercase().replace(' ', "-");
        let public_slug = (graduate || index == 7).then(|| format!("{slug}-{index}"));
        sqlx::query!(
            "insert into student_profiles
                 (user_id, full_name, bio, github_url, portfolio_url, status, featured, featured_rank, public_slug)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            ids[index],
            person.full_name,
            format!("{} is learning to build things that matter at Digital Hub.", person.full_name),
            format!("https://github.com/demo-{slug}"),
            featured_rank.map(|_| format!("https://{slug}.example.org")),
            status,
            featured_rank.is_some(),
            featured_rank,
            public_slug,
        )
        .execute(&mut **tx)
        .await?;
    }
    // The public pages' text was approved, save one student's (7), which waits on the admin
    // home for an administrator to read it.
    sqlx::query!(
        "update student_profiles
            set approved_full_name = full_name, approved_avatar_url = avatar_url, approved_bio = bio,
                approved_linkedin_url = linkedin_url, approved_github_url = github_url,
                approved_portfolio_url = portfolio_url, approved_at = now()
          where public_slug is not null and user_id <> $1",
        ids[7],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The theme's colours, as the demo's pictures mix them.
const BLUE: [f64; 3] = [59.0, 91.0, 219.0];
const NIGHT: [f64; 3] = [11.0, 15.0, 25.0];
const ORANGE: [f64; 3] = [232.0, 89.0, 12.0];
const GREEN: [f64; 3] = [43.0, 138.0, 62.0];

/// A picture of the demo's: `from` falling into `to`, crossed by soft circles of `glow` —
/// drawn here, so a fresh demo shows pictures stored and served as every upload is.
fn banner(from: [f64; 3], to: [f64; 3], glow: [f64; 3]) -> Result<Vec<u8>> {
    let (width, height) = (1200u32, 675u32);
    let (blue, night, orange) = (from, to, glow);
    let circles = [(880.0, 240.0, 210.0, 0.55), (1040.0, 520.0, 140.0, 0.35), (260.0, 560.0, 90.0, 0.25)];
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (f64::from(x), f64::from(y));
        let along = ((x / f64::from(width)) * 0.6 + (y / f64::from(height)) * 0.4).clamp(0.0, 1.0);
        let mut pixel = [0.0; 3];
        for channel in 0..3 {
            pixel[channel] = blue[channel] * (1.0 - along) + night[channel] * along;
        }
        for (cx, cy, radius, strength) in circles {
            let distance = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
            let glow = (1.0 - distance / radius).clamp(0.0, 1.0).powi(2) * strength;
            for channel in 0..3 {
                pixel[channel] = pixel[channel] * (1.0 - glow) + orange[channel] * glow;
            }
        }
        image::Rgb(pixel.map(|value| value.round() as u8))
    });
    let mut bytes = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .map_err(|error| Error::Internal(format!("the demo's banner could not be drawn: {error}")))?;
    Ok(bytes)
}

/// A picture of the demo's, kept as an upload is; answers its address.
async fn picture(
    tx: &mut Transaction<'_, Postgres>,
    colours: ([f64; 3], [f64; 3], [f64; 3]),
    file_name: &str,
    admin: i64,
) -> Result<String> {
    let drawn = crate::media::process_bytes(&banner(colours.0, colours.1, colours.2)?)?;
    Ok(crate::media::store(tx, &drawn, file_name, admin).await?.url)
}

async fn seed_cms(tx: &mut Transaction<'_, Postgres>, admin: i64) -> Result<()> {
    let banner = picture(tx, (BLUE, NIGHT, ORANGE), "digital-hub-banner.png", admin).await?;
    sqlx::query!(
        "update site_settings
            set site_name = 'Digital Hub',
                default_event_location = 'Digital Hub, Beirut Digital District, Building 5',
                contact_info = $1, social_links = $2, updated_by = $3, time_zone = 'Asia/Beirut'
          where id = 1",
        json!({"address": "Beirut Digital District, Building 5, Bachoura, Beirut", "phone": "+961 1 555 000", "email": "hello@digitalhub.example.org"}),
        json!({"facebook": "https://facebook.com/digitalhub.demo", "instagram": "https://instagram.com/digitalhub.demo", "linkedin": "https://www.linkedin.com/company/digitalhub-demo", "github": "https://github.com/digitalhub-demo"}),
        admin,
    )
    .execute(&mut **tx)
    .await?;

    let tokens = [
        ("--bg", "Background", "#f7f8fb", "global"),
        ("--surface", "Cards and panels", "#ffffff", "global"),
        ("--text", "Text", "#1b2130", "global"),
        ("--muted", "Secondary text", "#5b6478", "global"),
        ("--primary", "Primary button", "#3b5bdb", "global"),
        ("--primary-contrast", "Text on primary", "#ffffff", "global"),
        ("--accent", "Highlights and links", "#e8590c", "global"),
        ("--danger", "Errors and destructive actions", "#c92a2a", "global"),
        ("--success", "Confirmations", "#2b8a3e", "global"),
        ("--hero-bg", "Website hero background", "#0b0f19", "web"),
        ("--sidebar-bg", "Desktop sidebar", "#161b2e", "admin"),
    ];
    for (key, purpose, value, scope) in tokens {
        sqlx::query!(
            "insert into theme_tokens (key, purpose, value, scope, updated_by) values ($1, $2, $3, $4, $5)
             on conflict (key) do nothing",
            key,
            purpose,
            value,
            scope,
            admin,
        )
        .execute(&mut **tx)
        .await?;
    }

    let pages = [
        (
            "home",
            "Digital Hub — learn to build, get hired",
            true,
            json!({"blocks": [
                {"type": "heading", "text": "Learn to build. Get hired."},
                {"type": "paragraph", "text": "Intensive, project-based programs taught by working engineers and designers."},
                {"type": "cta", "label": "See open cohorts", "href": "/programs"}
            ]}),
        ),
        (
            "about",
            "About Digital Hub",
            true,
            json!({"blocks": [
                {"type": "heading", "text": "About us"},
                {"type": "paragraph", "text": "Digital Hub is a non-profit coding school. Since 2019 more than 600 graduates have joined tech teams across the region."},
                {"type": "image", "src": banner, "alt": "Digital Hub's colours: blue light turning to night, crossed by orange"},
                {"type": "paragraph", "text": "Our programs are free for admitted students, funded by partners who hire our graduates."}
            ]}),
        ),
        (
            "contact",
            "Contact us",
            true,
            json!({"blocks": [
                {"type": "heading", "text": "Talk to us"},
                {"type": "paragraph", "text": "Questions about a program, partnerships or visiting? Send us a message and we answer within two working days."}
            ]}),
        ),
        (
            "careers",
            "Work with us",
            false,
            json!({"blocks": [
                {"type": "heading", "text": "Join the team"},
                {"type": "paragraph", "text": "Draft: teaching assistant openings for 2027."}
            ]}),
        ),
    ];
    for (key, title, is_published, content) in pages {
        sqlx::query!(
            "insert into pages (key, title, content, is_published, updated_by) values ($1, $2, $3, $4, $5)
             on conflict (key) do nothing",
            key,
            title,
            content,
            is_published,
            admin,
        )
        .execute(&mut **tx)
        .await?;
    }

    let sections = [
        (
            "hero",
            "Learn to build. Get hired.",
            true,
            1,
            json!({"subtitle": "Free, intensive programs in web development, data and design.", "cta": {"label": "Apply now", "href": "/cohorts"}}),
        ),
        ("programs_preview", "Our programs", true, 2, json!({"limit": 3})),
        ("upcoming_events", "Upcoming events", true, 3, json!({"limit": 4})),
        ("featured_students", "Meet our graduates", true, 4, json!({"limit": 4})),
        ("managers", "The team", true, 5, json!({})),
        ("testimonials", "What partners say", false, 6, json!({"items": []})),
        (
            "contact_cta",
            "Questions?",
            true,
            7,
            json!({"text": "We answer within two working days.", "cta": {"label": "Contact us", "href": "/contact"}}),
        ),
    ];
    for (key, title, is_enabled, sort_order, content) in sections {
        sqlx::query!(
            "insert into home_sections (key, title, is_enabled, sort_order, content, updated_by)
             values ($1, $2, $3, $4, $5, $6) on conflict (key) do nothing",
            key,
            title,
            is_enabled,
            sort_order,
            content,
            admin,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_program(
    tx: &mut Transaction<'_, Postgres>,
    slug: &str,
    title: &str,
    summary: &str,
    description: &str,
    requirements: &str,
    default_capacity: i32,
    created_by: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        "insert into programs (slug, title, summary, description, requirements, default_capacity, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        slug,
        title,
        summary,
        description,
        requirements,
        default_capacity,
        created_by,
    )
    .fetch_one(&mut **tx)
    .await?)
}

#[allow(clippy::too_many_arguments)]
async fn insert_cohort(
    tx: &mut Transaction<'_, Postgres>,
    program_id: i64,
    name: &str,
    status: &str,
    allow_applications: bool,
    capacity: i32,
    enrollment_window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    start_date: NaiveDate,
    end_date: NaiveDate,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        "insert into cohorts (program_id, name, status, allow_applications, capacity,
                              enrollment_open_at, enrollment_close_at, start_date, end_date)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        program_id,
        name,
        status,
        allow_applications,
        capacity,
        enrollment_window.map(|(open, _)| open),
        enrollment_window.map(|(_, close)| close),
        start_date,
        end_date,
    )
    .fetch_one(&mut **tx)
    .await?)
}

async fn insert_enrollment(
    tx: &mut Transaction<'_, Postgres>,
    student: i64,
    cohort: i64,
    application: Option<i64>,
    status: &str,
    enrolled_at: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        "insert into enrollments (student_user_id, cohort_id, application_id, status, enrolled_at)
         values ($1, $2, $3, $4, $5) returning id",
        student,
        cohort,
        application,
        status,
        enrolled_at,
    )
    .fetch_one(&mut **tx)
    .await?)
}

const CURRICULUM: &[(&str, &str)] = &[
    ("Git and the command line", "Branches, commits, pull requests; pair on a shared repository."),
    ("HTML semantics", "Document structure, forms, accessibility checks with a screen reader."),
    ("CSS layout", "Flexbox and grid; rebuild a landing page from a design."),
    ("JavaScript fundamentals", "Values, functions, arrays and objects; kata in pairs."),
    ("The DOM and events", "Build an interactive to-do list without a framework."),
    ("Async JavaScript", "Promises, fetch and error handling against a public API."),
    ("TypeScript basics", "Types, interfaces and narrowing; convert last week's project."),
    ("React components", "Props, state and composition; a component library kata."),
    ("React data flow", "Effects, context and forms; connect to a REST API."),
    ("Node.js and Express", "Routing, middleware and validation for a small API."),
    ("SQL with PostgreSQL", "Tables, joins and indexes; model the class's own data."),
    ("Authentication", "Sessions, password hashing and authorization rules."),
    ("Testing", "Unit and integration tests; test the API end to end."),
    ("Deployment", "Environment variables, builds and a first deploy."),
    ("Project kickoff", "Teams form, pick a partner brief and write user stories."),
    ("Project sprint", "Stand-up, build, review; mentors rotate between teams."),
];

async fn seed_sessions_and_attendance(
    tx: &mut Transaction<'_, Postgres>,
    running: i64,
    open: i64,
    enrollments: &[i64],
    (lead, assistant): (i64, i64),
    today: NaiveDate,
) -> Result<()> {
    // Monday to Thursday, from four weeks ago to a week ahead.
    let first = today - Duration::days(28);
    let days: Vec<NaiveDate> = (0..36)
        .map(|offset| first + Duration::days(offset))
        .filter(|day| matches!(day.weekday(), Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu))
        .collect();
    for (index, day) in days.iter().enumerate() {
        let (title, plan) = CURRICULUM[index % CURRICULUM.len()];
        let (delivery_mode, location) = match day.weekday() {
            Weekday::Tue => ("remote", None),
            Weekday::Thu => ("hybrid", Some("Lab 2")),
            _ => ("onsite", Some("Lab 1")),
        };
        let (session_type, title) = match index {
            4 => ("visitor", "Guest talk: a day in a product team".to_owned()),
            9 => ("workshop", format!("Workshop: {title}")),
            12 => ("exam", "Mid-program assessment".to_owned()),
            15 => ("unusual", format!("{title} (afternoon only)")),
            _ => ("normal", title.to_owned()),
        };
        let starts = if session_type == "unusual" { (13, 30) } else { (9, 0) };
        let session = sqlx::query_scalar!(
            "insert into sessions (cohort_id, date, starts_at, ends_at, delivery_mode, location, title, day_plan,
                                   description, session_type, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
            running,
            day,
            NaiveTime::from_hms_opt(starts.0, starts.1, 0),
            NaiveTime::from_hms_opt(16, 30, 0),
            delivery_mode,
            location,
            title,
            plan,
            (delivery_mode == "remote").then_some("Join from the cohort's video room; cameras on for stand-up."),
            session_type,
            lead,
        )
        .fetch_one(&mut **tx)
        .await?;
        if *day >= today {
            continue;
        }
        for (student_index, enrollment) in enrollments.iter().enumerate() {
            let (status, note) = match (index * 7 + student_index * 13) % 23 {
                0 => ("absent", None),
                1 => ("late", Some("Arrived 20 minutes late (traffic)")),
                2 => ("excused", Some("Medical appointment, told us in advance")),
                _ => ("present", None),
            };
            let marker = if index % 2 == 0 { lead } else { assistant };
            sqlx::query!(
                "insert into attendance_records (session_id, enrollment_id, status, note, marked_by, marked_at)
                 values ($1, $2, $3, $4, $5, $6)",
                session,
                enrollment,
                status,
                note,
                marker,
                at(*day, 9, 20),
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    // The open cohort's first two sessions are already on the calendar.
    for (offset, title) in [(45, "Welcome and setup"), (46, "Spreadsheets to pandas")] {
        sqlx::query!(
            "insert into sessions (cohort_id, date, starts_at, ends_at, title, day_plan, created_by)
             values ($1, $2, $3, $4, $5, $6, $7)",
            open,
            today + Duration::days(offset),
            NaiveTime::from_hms_opt(9, 30, 0),
            NaiveTime::from_hms_opt(15, 0, 0),
            title,
            "Laptops ready; install Python and a notebook environment.",
            lead,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One field of a demo form.
struct DemoField {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
    options: &'static [&'static str],
    placeholder: Option<&'static str>,
    min_length: Option<i32>,
    max_length: Option<i32>,
}

const fn field(name: &'static str, label: &'static str, kind: &'static str, required: bool) -> DemoField {
    DemoField {
        name,
        label,
        kind,
        required,
        options: &[],
        placeholder: None,
        min_length: None,
        max_length: None,
    }
}

impl DemoField {
    const fn placeholder(self, placeholder: &'static str) -> Self {
        Self { placeholder: Some(placeholder), ..self }
    }

    const fn lengths(self, min_length: Option<i32>, max_length: i32) -> Self {
        Self { min_length, max_length: Some(max_length), ..self }
    }

    const fn options(self, options: &'static [&'static str]) -> Self {
        Self { options, ..self }
    }
}

const BACKGROUNDS: &[&str] = &["Student", "Employed", "Changing careers", "Looking for work"];

const APPLICATION_FIELDS: &[DemoField] = &[
    field("full_name", "Full name", "text", true).placeholder("As on your ID").lengths(Some(2), 120),
    field("email", "Email", "email", true).placeholder("you@example.org").lengths(None, 254),
    field("phone", "Phone", "phone", true).placeholder("+961 …").lengths(None, 30),
    field("date_of_birth", "Date of birth", "date", false),
    field("background", "Current situation", "select", true).options(BACKGROUNDS),
    field("motivation", "Why this program?", "textarea", true)
        .placeholder("A few sentences about your goals")
        .lengths(Some(50), 2000),
    field("portfolio_url", "Portfolio or GitHub link", "text", false)
        .placeholder("https://")
        .lengths(None, 300),
    field("accepts_terms", "I can attend every weekday, 9:00–16:30", "checkbox", true),
];

const CONTACT_FIELDS: &[DemoField] = &[
    field("name", "Your name", "text", true).lengths(None, 120),
    field("email", "Email", "email", true).lengths(None, 254),
    field("phone", "Phone", "phone", false).lengths(None, 30),
    field("subject", "Subject", "text", false).lengths(None, 200),
    field("message", "Message", "textarea", true).lengths(None, 5000),
];

/// The two forms the site needs; returns the application form's id.
async fn seed_forms(tx: &mut Transaction<'_, Postgres>, admin: i64) -> Result<i64> {
    let application = insert_form(
        tx,
        ("cohort_application", "Apply to a cohort"),
        "Tell us about yourself. We review every application within a week.",
        APPLICATION_FIELDS,
        admin,
    )
    .await?;
    insert_form(
        tx,
        ("contact", "Contact us"),
        "Questions about programs, partnerships or visits.",
        CONTACT_FIELDS,
        admin,
    )
    .await?;
    Ok(application)
}

/// A form and its fields, in order. An existing form of that key keeps its own fields.
async fn insert_form(
    tx: &mut Transaction<'_, Postgres>,
    (key, title): (&str, &str),
    description: &str,
    fields: &[DemoField],
    admin: i64,
) -> Result<i64> {
    let form = sqlx::query_scalar!(
        "insert into forms (key, title, description, created_by) values ($1, $2, $3, $4)
         on conflict (key) do update set key = excluded.key returning id",
        key,
        title,
        description,
        admin,
    )
    .fetch_one(&mut **tx)
    .await?;
    for (sort_order, field) in (0..).zip(fields) {
        sqlx::query!(
            "insert into form_fields (form_id, name, label, type, required, options, placeholder,
                                      min_length, max_length, sort_order)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (form_id, name) do nothing",
            form,
            field.name,
            field.label,
            field.kind,
            field.required,
            (!field.options.is_empty()).then(|| json!(field.options)),
            field.placeholder,
            field.min_length,
            field.max_length,
            sort_order,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(form)
}

async fn seed_applications(
    tx: &mut Transaction<'_, Postgres>,
    open: i64,
    form: i64,
    accepted_students: &[(i64, &Person)],
    reviewer: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let applicants: Vec<(String, String, String, &str, Option<i64>)> = accepted_students
        .iter()
        .map(|(id, person)| {
            (person.full_name.clone(), person.email.clone(), person.phone.clone(), "approved", Some(*id))
        })
        .chain(
            [
                ("Georges Tannous", "pending"),
                ("Aya Chahine", "pending"),
                ("Mohammad Zein", "pending"),
                ("Christelle Abi Nader", "pending"),
                ("Hussein Moussa", "pending"),
                ("Farah Sleiman", "rejected"),
                ("Joe Bitar", "rejected"),
                ("Reem Kassem", "waitlisted"),
                ("Nabil Azar", "waitlisted"),
            ]
            .into_iter()
            .enumerate()
            .map(|(index, (name, status))| {
                let email =
                    format!("{}@applicants.demo.digitalhub.dev", name.to_lowercase().replace(' ', "."));
                (
                    name.to_owned(),
                    email,
                    format!("+961 76 {:03} {:03}", 300 + index, 400 + index),
                    status,
                    None,
                )
            }),
        )
        .collect();
    for (index, (full_name, email, phone, status, student)) in applicants.into_iter().enumerate() {
        let submitted_at = now - Duration::days(13) + Duration::hours(i64::try_from(index).unwrap_or(0) * 7);
        let applicant = sqlx::query_scalar!(
            "insert into applicants (full_name, email, phone, created_at) values ($1, $2, $3, $4) returning id",
            full_name, email, phone, submitted_at,
        )
        .fetch_one(&mut **tx)
        .await?;
        let reviewed = status != "pending";
        let application = sqlx::query_scalar!(
            "insert into applications (cohort_id, applicant_id, status, reviewed_by, reviewed_at, submitted_at)
             values ($1, $2, $3, $4, $5, $6) returning id",
            open,
            applicant,
            status,
            reviewed.then_some(reviewer),
            reviewed.then(|| submitted_at + Duration::days(2)),
            submitted_at,
        )
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query!(
            "insert into application_submissions (application_id, form_id, answers, created_at) values ($1, $2, $3, $4)",
            application,
            form,
            json!({
                "full_name": full_name,
                "email": email,
                "phone": phone,
                "background": BACKGROUNDS[index % BACKGROUNDS.len()],
                "motivation": format!("I want to move into data work. I have been teaching myself spreadsheets and want structure, mentors and a team project ({full_name})."),
                "accepts_terms": true
            }),
            submitted_at,
        )
        .execute(&mut **tx)
        .await?;
        if let Some(student) = student {
            insert_enrollment(
                tx,
                student,
                open,
                Some(application),
                "active",
                submitted_at + Duration::days(2),
            )
            .await?;
        }
    }
    Ok(())
}

struct DemoEvent {
    slug: &'static str,
    title: &'static str,
    description: &'static str,
    /// `None` shows the site's default location.
    location: Option<&'static str>,
    /// Days from today.
    day: i64,
    is_published: bool,
    is_done: bool,
}

const EVENTS: &[DemoEvent] = &[
    DemoEvent {
        slug: "demo-day-spring-2026",
        title: "Demo Day: Spring 2026",
        description: "Graduates of the full-stack track present their team projects to hiring partners.",
        location: Some("Beirut Digital District auditorium"),
        day: -130,
        is_published: true,
        is_done: true,
    },
    DemoEvent {
        slug: "git-workshop-october",
        title: "Intro to Git workshop",
        description: "A hands-on evening for beginners: commits, branches and your first pull request.",
        location: None,
        day: -20,
        is_published: true,
        is_done: false,
    },
    DemoEvent {
        slug: "career-fair-2026",
        title: "Career fair",
        description: "Partners meet current students and recent graduates.",
        location: Some("Main hall"),
        day: -2,
        is_published: true,
        is_done: false,
    },
    DemoEvent {
        slug: "open-house-winter-2027",
        title: "Open House: Data Analytics Winter 2027",
        description: "Meet the instructors, see the space and ask anything about applying.",
        location: None,
        day: 10,
        is_published: true,
        is_done: false,
    },
    DemoEvent {
        slug: "tech-talk-rust",
        title: "Tech Talk: Rust in production",
        description: "A local team shares what moving a service to Rust taught them.",
        location: Some("Online (link sent after registration)"),
        day: 24,
        is_published: true,
        is_done: false,
    },
    DemoEvent {
        slug: "hiring-breakfast-2027",
        title: "Hiring partners breakfast",
        description: "Draft: invitations not sent yet.",
        location: None,
        day: 40,
        is_published: false,
        is_done: false,
    },
];

async fn seed_events(tx: &mut Transaction<'_, Postgres>, admin: i64, now: DateTime<Utc>) -> Result<()> {
    for event in EVENTS {
        let starts_at = at(now.date_naive() + Duration::days(event.day), 17, 30);
        let ends_at = starts_at + Duration::hours(2);
        sqlx::query!(
            "insert into events (slug, title, description, location, starts_at, ends_at, is_published,
                                 is_done, done_at, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (slug) do nothing",
            event.slug,
            event.title,
            event.description,
            event.location,
            starts_at,
            ends_at,
            event.is_published,
            event.is_done,
            event.is_done.then_some(ends_at),
            admin,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Who an announcement is for, beyond its audience.
#[derive(Clone, Copy)]
enum Scope {
    Everyone,
    RunningCohort,
    ComingSoonCohort,
}

struct DemoAnnouncement {
    title: &'static str,
    body: &'static str,
    audience: &'static str,
    scope: Scope,
    is_auto: bool,
    is_published: bool,
    /// Scheduled this many days ahead; `None` is published on creation.
    publish_in_days: Option<i64>,
    by_lead: bool,
    created_days_ago: i64,
}

const fn announcement(
    title: &'static str,
    body: &'static str,
    audience: &'static str,
    created_days_ago: i64,
) -> DemoAnnouncement {
    DemoAnnouncement {
        title,
        body,
        audience,
        scope: Scope::Everyone,
        is_auto: false,
        is_published: true,
        publish_in_days: None,
        by_lead: false,
        created_days_ago,
    }
}

const ANNOUNCEMENTS: &[DemoAnnouncement] = &[
    announcement(
        "Welcome to the new Digital Hub app",
        "Schedules, attendance and announcements now live in one place.",
        "all",
        20,
    ),
    announcement(
        "Applications open: Data Analytics, Winter 2027",
        "Applications are open until the end of next month. Sixteen seats.",
        "website",
        14,
    ),
    DemoAnnouncement {
        scope: Scope::ComingSoonCohort,
        is_auto: true,
        ..announcement(
            "UX/UI Design — Spring 2027 is coming soon",
            "A new UX/UI Design cohort is on its way. Applications open soon.",
            "website",
            7,
        )
    },
    announcement(
        "Career fair registration",
        "Register for the career fair by Friday to get a partner interview slot.",
        "student",
        5,
    ),
    announcement(
        "Mark attendance by the end of each day",
        "Please mark attendance before 18:00, even offline; the app syncs later.",
        "instructor",
        4,
    ),
    announcement(
        "Quarterly report due",
        "Cohort numbers for the partner report are due on the 30th.",
        "admin",
        3,
    ),
    DemoAnnouncement {
        scope: Scope::RunningCohort,
        by_lead: true,
        ..announcement(
            "Project week schedule",
            "Next week is project week: teams meet at 9:00 in Lab 1, demos on Thursday.",
            "student",
            1,
        )
    },
    DemoAnnouncement {
        publish_in_days: Some(7),
        ..announcement(
            "Demo Day announced",
            "Demo Day for the Autumn 2026 cohort: save the date.",
            "website",
            0,
        )
    },
    DemoAnnouncement {
        is_published: false,
        ..announcement("Holiday closing (draft)", "Draft: the hub closes between the holidays.", "all", 0)
    },
];

async fn seed_announcements(
    tx: &mut Transaction<'_, Postgres>,
    (admin, lead): (i64, i64),
    (running, coming): (i64, i64),
    now: DateTime<Utc>,
) -> Result<()> {
    for item in ANNOUNCEMENTS {
        let cohort = match item.scope {
            Scope::Everyone => None,
            Scope::RunningCohort => Some(running),
            Scope::ComingSoonCohort => Some(coming),
        };
        sqlx::query!(
            "insert into announcements (title, body, target_audience, cohort_id, is_auto, is_published,
                                        publish_at, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            item.title,
            item.body,
            item.audience,
            cohort,
            item.is_auto,
            item.is_published,
            item.publish_in_days.map(|days| now + Duration::days(days)),
            if item.by_lead { lead } else { admin },
            now - Duration::days(item.created_days_ago),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

struct DemoMessage {
    name: &'static str,
    email: &'static str,
    phone: Option<&'static str>,
    subject: Option<&'static str>,
    message: &'static str,
    status: &'static str,
    days_ago: i64,
}

const MESSAGES: &[DemoMessage] = &[
    DemoMessage {
        name: "Hala Mrad",
        email: "hala.mrad@example.org",
        phone: Some("+961 3 111 222"),
        subject: Some("Evening classes?"),
        message: "Do you plan evening classes for people who work full time?",
        status: "new",
        days_ago: 1,
    },
    DemoMessage {
        name: "Partner Co.",
        email: "talent@partner.example.com",
        phone: None,
        subject: Some("Hiring partnership"),
        message: "We would like to interview graduates of the data track. Who should we talk to?",
        status: "new",
        days_ago: 2,
    },
    DemoMessage {
        name: "Youssef Kanaan",
        email: "y.kanaan@example.net",
        phone: None,
        subject: None,
        message: "Is the UX program open to people outside Beirut?",
        status: "new",
        days_ago: 3,
    },
    DemoMessage {
        name: "Mireille Daou",
        email: "mireille@example.org",
        phone: Some("+961 70 333 444"),
        subject: Some("Application status"),
        message: "I applied two weeks ago and have not heard back.",
        status: "in_progress",
        days_ago: 6,
    },
    DemoMessage {
        name: "City Library",
        email: "events@library.example.org",
        phone: None,
        subject: Some("Venue offer"),
        message: "We can host your next workshop for free.",
        status: "in_progress",
        days_ago: 9,
    },
    DemoMessage {
        name: "Anthony Geagea",
        email: "anthony@example.com",
        phone: None,
        subject: Some("Certificate"),
        message: "Could you resend my graduation certificate?",
        status: "resolved",
        days_ago: 20,
    },
];

async fn seed_contact_messages(
    tx: &mut Transaction<'_, Postgres>,
    assignee: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    for item in MESSAGES {
        let created_at = now - Duration::days(item.days_ago);
        sqlx::query!(
            "insert into contact_messages (name, email, phone, subject, message, status, assigned_to,
                                           created_at, resolved_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            item.name,
            item.email,
            item.phone,
            item.subject,
            item.message,
            item.status,
            (item.status != "new").then_some(assignee),
            created_at,
            (item.status == "resolved").then(|| created_at + Duration::days(1)),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn count(tx: &mut Transaction<'_, Postgres>) -> Result<DemoCounts> {
    let row = sqlx::query!(
        r#"select
             (select count(*) from users) as "users!",
             (select count(*) from users where is_student) as "students!",
             (select count(*) from programs) as "programs!",
             (select count(*) from cohorts) as "cohorts!",
             (select count(*) from sessions) as "sessions!",
             (select count(*) from attendance_records) as "attendance_records!",
             (select count(*) from events) as "events!",
             (select count(*) from applications) as "applications!",
             (select count(*) from announcements) as "announcements!",
             (select count(*) from contact_messages) as "contact_messages!""#
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(DemoCounts {
        users: row.users,
        students: row.students,
        programs: row.programs,
        cohorts: row.cohorts,
        sessions: row.sessions,
        attendance_records: row.attendance_records,
        events: row.events,
        applications: row.applications,
        announcements: row.announcements,
        contact_messages: row.contact_messages,
    })
}
