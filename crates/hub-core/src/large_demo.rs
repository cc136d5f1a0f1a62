//! `hubctl seed-demo --scale large`: the demo hub grown to a large school's size, to measure
//! the screens people wait on — by default 50,000 students in 500 cohorts of ten programs,
//! 40 sessions each, every student marked at every session: 2,000,000 attendance records.
//!
//! Written with set-based SQL in one transaction (all of it or nothing), on top of the
//! regular demo, and only once: a second run changes nothing. Every account made here
//! shares one argon2id hash of the demo password (hashing 50,000 passwords one by one would
//! take the better part of an hour and measure nothing), and the records are written as an
//! import would write them: without a history of marks received through the app.

use crate::{password, Result};
use sqlx::PgPool;

/// How big the grown hub is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub students: i64,
    pub cohorts: i64,
    pub sessions_per_cohort: i64,
    pub instructors: i64,
}

impl Scale {
    /// What `--scale large` writes.
    pub const LARGE: Self = Self { students: 50_000, cohorts: 500, sessions_per_cohort: 40, instructors: 50 };
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LargeCounts {
    pub students: i64,
    pub cohorts: i64,
    pub sessions: i64,
    pub attendance_records: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LargeOutcome {
    Seeded(LargeCounts),
    /// The grown hub was there already; nothing was written.
    AlreadyPresent,
}

/// The program whose presence means the large demo is there.
const MARKER_SLUG: &str = "scale-program-1";

const TRACKS: [&str; 10] = [
    "Full-Stack Web",
    "Data Analytics",
    "Mobile Apps",
    "UX Design",
    "Cloud & DevOps",
    "Cybersecurity",
    "AI Engineering",
    "Game Development",
    "Product Management",
    "QA Automation",
];

/// Grows the hub to `scale` (see the module's comment); `progress` hears each step.
pub async fn seed(pool: &PgPool, scale: Scale, progress: impl Fn(&str)) -> Result<LargeOutcome> {
    let present = sqlx::query_scalar!(
        r#"select exists(select 1 from programs where slug = $1) as "present!""#,
        MARKER_SLUG
    )
    .fetch_one(pool)
    .await?;
    if present {
        return Ok(LargeOutcome::AlreadyPresent);
    }
    let hash = password::hash_blocking(crate::demo::DEMO_PASSWORD.to_owned()).await?;
    let tracks: Vec<String> = TRACKS.iter().map(|track| (*track).to_owned()).collect();
    let mut tx = crate::db::begin_as(pool, "demo.seed_large").await?;

    progress("programs and instructors");
    sqlx::query!(
        "insert into programs (slug, title, summary, default_capacity, is_published)
         select 'scale-program-' || n, t.track || ' (' || n || ')', 'A ten-week ' || lower(t.track) || ' program.',
                greatest(1, ceil($2::bigint::numeric / $3::bigint))::int, true
           from unnest($1::text[]) with ordinality as t(track, n)",
        &tracks,
        scale.students,
        scale.cohorts
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "with made as (
             insert into users (email, password_hash, is_instructor)
             select 'instructor' || n || '@scale.demo.digitalhub.dev', $1, true from generate_series(1, $2::bigint) n
             returning id, email)
         insert into instructor_profiles (user_id, full_name)
         select id, 'Instructor ' || split_part(split_part(email, '@', 1), 'instructor', 2) from made",
        hash,
        scale.instructors
    )
    .execute(&mut *tx)
    .await?;

    // Ten weeks of class and a week of projects each, ten starting every fortnight, the
    // latest still in their project week: every session has been held.
    progress("cohorts");
    sqlx::query!(
        "with numbered as (
             select n, current_date - 76 - ((n - 1) / 10)::int * 14 + ((n - 1) % 10)::int as start_date
               from generate_series(1, $1::bigint) n)
         insert into cohorts (program_id, name, status, capacity, start_date, end_date)
         select p.id, 'Cohort ' || to_char(x.start_date, 'YYYY-MM-DD') || ' #' || x.n,
                case when x.start_date + 75 < current_date then 'completed' else 'running' end,
                p.default_capacity, x.start_date, x.start_date + 75
           from numbered x
           join programs p on p.slug = 'scale-program-' || (1 + (x.n - 1) % 10)",
        scale.cohorts
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "with scale_cohorts as (
             select c.id, row_number() over (order by c.id) as n
               from cohorts c join programs p on p.id = c.program_id where p.slug like 'scale-program-%'),
         scale_instructors as (
             select id, row_number() over (order by id) as n from users where email like 'instructor%@scale.demo.digitalhub.dev')
         insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role)
         select c.id, i.id, 'lead' from scale_cohorts c
           join scale_instructors i on i.n = 1 + (c.n - 1) % $1::bigint",
        scale.instructors
    )
    .execute(&mut *tx)
    .await?;

    progress("students and enrollments");
    let first_names: Vec<String> = NAMES.0.iter().map(|name| (*name).to_owned()).collect();
    let last_names: Vec<String> = NAMES.1.iter().map(|name| (*name).to_owned()).collect();
    sqlx::query!(
        "with made as (
             insert into users (email, password_hash, is_student)
             select 'student' || n || '@scale.demo.digitalhub.dev', $1, true from generate_series(1, $2::bigint) n
             returning id, split_part(split_part(email, '@', 1), 'student', 2)::bigint as n)
         insert into student_profiles (user_id, full_name, status)
         select id, ($3::text[])[1 + n % cardinality($3::text[])] || ' ' || ($4::text[])[1 + (n / 7) % cardinality($4::text[])],
                'active'
           from made",
        hash,
        scale.students,
        &first_names,
        &last_names
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "with scale_cohorts as (
             select c.id, c.status, row_number() over (order by c.id) - 1 as k
               from cohorts c join programs p on p.id = c.program_id where p.slug like 'scale-program-%'),
         scale_students as (
             select id, row_number() over (order by id) - 1 as k from users where email like 'student%@scale.demo.digitalhub.dev')
         insert into enrollments (student_user_id, cohort_id, status, enrolled_at)
         select s.id, c.id,
                case when s.k % 41 = 0 then 'dropped' when c.status = 'completed' then 'completed' else 'active' end,
                now() - interval '1 year'
           from scale_students s
           join scale_cohorts c on c.k = s.k * $1::bigint / $2::bigint",
        scale.cohorts,
        scale.students
    )
    .execute(&mut *tx)
    .await?;

    progress("sessions");
    sqlx::query!(
        "insert into sessions (cohort_id, date, starts_at, ends_at, title, session_type)
         select c.id, c.start_date + (k / 4)::int * 7 + (k % 4)::int, '09:00', '13:00',
                'Week ' || (1 + k / 4) || ', day ' || (1 + k % 4),
                case when k = $1::bigint - 1 then 'exam' when k % 8 = 7 then 'workshop' else 'normal' end
           from cohorts c join programs p on p.id = c.program_id
          cross join generate_series(0, $1::bigint - 1) k
          where p.slug like 'scale-program-%'",
        scale.sessions_per_cohort
    )
    .execute(&mut *tx)
    .await?;

    // Most present, some late, a few absent or excused; one student in ten struggles.
    progress("attendance (the long step)");
    sqlx::query!(
        "insert into attendance_records (session_id, enrollment_id, status, marked_by, marked_at)
         select s.id, e.id,
                case when h < case when e.id % 10 = 0 then 55 else 82 end then 'present'
                     when h < 90 then 'late'
                     when h < 97 then 'absent'
                     else 'excused' end,
                ci.instructor_user_id, s.date + time '09:05'
           from cohorts c
           join programs p on p.id = c.program_id and p.slug like 'scale-program-%'
           join cohort_instructors ci on ci.cohort_id = c.id
           join sessions s on s.cohort_id = c.id
           join enrollments e on e.cohort_id = c.id
          cross join lateral (select abs(hashint8(s.id * 1000003 + e.id)) % 100 as h) x"
    )
    .execute(&mut *tx)
    .await?;
    let counts = sqlx::query_as!(
        LargeCounts,
        r#"select (select count(*) from users where email like 'student%@scale.demo.digitalhub.dev') as "students!",
                  (select count(*) from cohorts c join programs p on p.id = c.program_id
                    where p.slug like 'scale-program-%') as "cohorts!",
                  (select count(*) from sessions s join cohorts c on c.id = s.cohort_id join programs p on p.id = c.program_id
                    where p.slug like 'scale-program-%') as "sessions!",
                  (select count(*) from attendance_records) as "attendance_records!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    progress("committing");
    tx.commit().await?;
    // The planner's statistics, so the first queries after seeding are planned for this size.
    progress("analyzing");
    sqlx::query!("analyze").execute(pool).await?;
    Ok(LargeOutcome::Seeded(counts))
}

/// First and last names the grown hub's students are called by.
const NAMES: (&[&str], &[&str]) = (
    &[
        "Ali", "Maya", "Hassan", "Yara", "Karim", "Layla", "Rami", "Nadine", "Fadi", "Rana", "Ziad", "Hiba",
        "Samir", "Dana", "Tarek", "Lea", "Bilal", "Mira", "Walid", "Jana", "Elie", "Tala", "Omar", "Sara",
        "Nour", "Joe", "Rita", "Georges", "Maria", "Hadi", "Lynn", "Marwan", "Celine", "Khaled", "Petra",
    ],
    &[
        "Khalil",
        "Haddad",
        "Saab",
        "Khoury",
        "Nasr",
        "Harb",
        "Aoun",
        "Daher",
        "Fakhoury",
        "Issa",
        "Rizk",
        "Salameh",
        "Chami",
        "Mansour",
        "Karam",
        "Azar",
        "Hajj",
        "Ghanem",
        "Sfeir",
        "Tannous",
        "Bou Saleh",
        "Frem",
        "Abi Nader",
    ],
);
