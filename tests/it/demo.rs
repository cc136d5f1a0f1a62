//! The demo content: every table populated, believable, and loaded only once.

use hub_core::demo::{self, SeedOutcome};
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_demo_fills_every_table_and_a_second_seed_changes_nothing(pool: PgPool) {
    let SeedOutcome::Seeded(counts) = demo::seed(&pool).await.unwrap() else {
        panic!("a fresh database is seeded");
    };
    let after_first = hub_tests::row_counts(&pool).await;
    let count_of = |table: &str| after_first.iter().find(|(name, _)| name == table).map(|(_, count)| *count);
    let empty: Vec<&str> =
        hub_tests::SEED_TABLES.into_iter().filter(|table| count_of(table).unwrap_or(0) == 0).collect();
    assert_eq!(empty, Vec::<&str>::new(), "seed tables left empty by the demo");
    assert!(counts.students >= 40, "{counts:?}");

    assert_eq!(demo::seed(&pool).await.unwrap(), SeedOutcome::AlreadyPresent);
    assert_eq!(hub_tests::row_counts(&pool).await, after_first);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn demo_cohorts_cover_the_lifecycle_and_the_running_one_has_a_month_of_attendance(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let statuses: Vec<String> =
        sqlx::query_scalar("select distinct status from cohorts order by 1").fetch_all(&pool).await.unwrap();
    assert_eq!(statuses, ["coming_soon", "completed", "open", "planned", "running"]);

    let (past_sessions, days_covered, marks): (i64, Option<i32>, i64) = sqlx::query_as(
        "select count(distinct s.id), current_date - min(s.date), count(a.*)
           from sessions s join cohorts c on c.id = s.cohort_id
           left join attendance_records a on a.session_id = s.id
          where c.status = 'running' and s.date < current_date",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(past_sessions >= 12, "a month of weekday sessions, got {past_sessions}");
    assert!(days_covered.is_some_and(|days| days >= 25), "the sessions span a month: {days_covered:?}");
    let unmarked: i64 = sqlx::query_scalar(
        "select count(*) from sessions s join enrollments e on e.cohort_id = s.cohort_id and e.status = 'active'
           join cohorts c on c.id = s.cohort_id
          where c.status = 'running' and s.date < current_date
            and not exists (select 1 from attendance_records a where a.session_id = s.id and a.enrollment_id = e.id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(unmarked, 0, "every active student has a mark for every past session");
    assert!(marks > 200);

    // The coming-soon cohort has its automatic website announcement.
    let auto: i64 = sqlx::query_scalar(
        "select count(*) from announcements a join cohorts c on c.id = a.cohort_id
          where c.status = 'coming_soon' and a.is_auto and a.target_audience = 'website'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(auto, 1);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_demo_password_is_an_argon2id_hash_of_the_documented_demo_password(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let hashes: Vec<String> =
        sqlx::query_scalar("select password_hash from users").fetch_all(&pool).await.unwrap();
    assert!(hashes.iter().all(|hash| hash.starts_with("$argon2id$")));
    let distinct: std::collections::HashSet<&String> = hashes.iter().collect();
    assert_eq!(distinct.len(), hashes.len(), "each account has its own salt");
    for (email, _) in demo::DEMO_LOGINS {
        let hash: String = sqlx::query_scalar("select password_hash from users where email = $1")
            .bind(email)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(hub_core::password::verify(demo::DEMO_PASSWORD, &hash), "{email}");
    }
    let multi_role: i64 = sqlx::query_scalar(
        "select count(*) from users where (is_admin::int + is_instructor::int + is_student::int) > 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(multi_role >= 2, "the demo shows people with several roles");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_large_school_is_grown_once_with_every_student_marked_at_every_session(pool: PgPool) {
    use hub_core::large_demo::{seed, LargeOutcome, Scale};
    hub_core::demo::seed(&pool).await.unwrap();
    let demo_marks: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from attendance_records"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    let scale = Scale { students: 300, cohorts: 6, sessions_per_cohort: 5, instructors: 2 };
    let LargeOutcome::Seeded(counts) = seed(&pool, scale, |_| {}).await.unwrap() else { panic!("seeded") };
    assert_eq!((counts.students, counts.cohorts, counts.sessions), (300, 6, 30));
    assert_eq!(
        counts.attendance_records,
        demo_marks + 300 * 5,
        "every student at every session of their cohort"
    );
    let per_cohort: Vec<(i64, i64, bool)> = sqlx::query_as(
        "select (select count(*) from enrollments e where e.cohort_id = c.id),
                (select count(*) from cohort_instructors ci where ci.cohort_id = c.id and ci.cohort_role = 'lead'),
                (select bool_and(s.date <= current_date) from sessions s where s.cohort_id = c.id)
           from cohorts c join programs p on p.id = c.program_id
          where p.slug like 'scale-program-%' order by c.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_cohort, vec![(50, 1, true); 6], "50 students, a lead, every session held, in each cohort");
    assert_eq!(seed(&pool, scale, |_| {}).await.unwrap(), LargeOutcome::AlreadyPresent, "once");
    let login = hub_model::auth::LoginRequest {
        identifier: "student7@scale.demo.digitalhub.dev".to_owned(),
        password: hub_core::demo::DEMO_PASSWORD.to_owned(),
        device: None,
    };
    let login = hub_tests::call_anonymously::<hub_model::ops::SignIn>(&pool, &login).await;
    assert!(login.is_ok(), "a grown school's student signs in with the demo password");
}
