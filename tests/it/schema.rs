//! The migrations give exactly the seed's schema, and its rules hold in practice.

use sqlx::PgPool;

fn expected(text: &str) -> Vec<String> {
    text.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).map(str::to_owned).collect()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn migrations_give_every_seed_column_with_its_type_nullability_and_default(pool: PgPool) {
    let actual: Vec<String> = sqlx::query_scalar(
        "select table_name || '.' || column_name || ' ' || data_type || ' '
                || case when is_nullable = 'YES' then 'null' else 'not-null' end
                || coalesce(' default ' || column_default, '')
           from information_schema.columns
          where table_schema = 'public' and table_name <> '_sqlx_migrations'
          order by table_name, ordinal_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actual, expected(include_str!("expected_columns.txt")));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn migrations_give_every_seed_key_check_and_foreign_key_rule(pool: PgPool) {
    let actual: Vec<String> = sqlx::query_scalar(
        "select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
           from pg_constraint
          where connamespace = 'public'::regnamespace and conrelid::regclass::text <> '_sqlx_migrations'
          order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(actual, expected(include_str!("expected_constraints.txt")));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn site_settings_holds_exactly_one_row_with_the_seed_defaults(pool: PgPool) {
    let (id, site_name, location): (i16, String, String) =
        sqlx::query_as("select id, site_name, default_event_location from site_settings")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((id, site_name.as_str(), location.as_str()), (1, "Digital Hub", "Digital Hub"));
    let second = sqlx::query("insert into site_settings (id) values (2)").execute(&pool).await.unwrap_err();
    assert_eq!(constraint(&second), Some("site_settings_single_row"));
    let duplicate = sqlx::query("insert into site_settings default values").execute(&pool).await.unwrap_err();
    assert_eq!(constraint(&duplicate), Some("site_settings_pkey"));
}

fn constraint(error: &sqlx::Error) -> Option<&str> {
    error.as_database_error().and_then(|db| db.constraint())
}

async fn cohort(pool: &PgPool) -> i64 {
    let program: i64 =
        sqlx::query_scalar("insert into programs (slug, title) values ('web', 'Web') returning id")
            .fetch_one(pool)
            .await
            .unwrap();
    sqlx::query_scalar("insert into cohorts (program_id, name) values ($1, 'Spring') returning id")
        .bind(program)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_applicant_has_one_active_application_per_cohort_but_may_reapply_after_rejection(pool: PgPool) {
    let cohort = cohort(&pool).await;
    let applicant: i64 =
        sqlx::query_scalar("insert into applicants (email) values ('a@example.org') returning id")
            .fetch_one(&pool)
            .await
            .unwrap();
    let apply = |status: &'static str| {
        sqlx::query("insert into applications (cohort_id, applicant_id, status) values ($1, $2, $3)")
            .bind(cohort)
            .bind(applicant)
            .bind(status)
    };
    apply("pending").execute(&pool).await.unwrap();
    for status in ["pending", "approved", "waitlisted"] {
        let error = apply(status).execute(&pool).await.unwrap_err();
        assert_eq!(constraint(&error), Some("applications_one_active_per_applicant_idx"), "{status}");
    }
    sqlx::query("update applications set status = 'rejected'").execute(&pool).await.unwrap();
    apply("rejected").execute(&pool).await.unwrap();
    apply("pending").execute(&pool).await.unwrap();
    let active: i64 = sqlx::query_scalar("select count(*) from applications where status = 'pending'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(active, 1);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn updated_at_moves_on_every_update_of_every_table_that_has_it(pool: PgPool) {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.columns
          where table_schema = 'public' and column_name = 'updated_at' order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        tables,
        [
            "cohorts",
            "events",
            "forms",
            "home_sections",
            "pages",
            "programs",
            "session_checkin",
            "site_settings",
            "theme_tokens",
            "users"
        ]
    );
    let cohort = cohort(&pool).await;
    let inserts = [
        "insert into users (email, password_hash) values ('u@example.org', 'x')",
        "insert into events (slug, title, starts_at) values ('e', 'E', now())",
        "insert into forms (key) values ('f')",
        "insert into home_sections (key) values ('hero')",
        "insert into pages (key) values ('about')",
        "insert into theme_tokens (key, purpose, value) values ('--bg', 'Background', '#fff')",
    ];
    for insert in inserts {
        sqlx::query(insert).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "with session as (insert into sessions (cohort_id, date, title) values ($1, current_date, 'S') returning id)
         insert into session_checkin (session_id, secret) select id, decode(repeat('ab', 32), 'hex') from session",
    )
    .bind(cohort)
    .execute(&pool)
    .await
    .unwrap();
    for table in &tables {
        sqlx::query(&format!("update {table} set updated_at = '2001-01-01'")).execute(&pool).await.unwrap();
        let stale: i64 =
            sqlx::query_scalar(&format!("select count(*) from {table} where updated_at < '2020-01-01'"))
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(stale, 0, "{table}.updated_at was not kept current");
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn deleting_a_user_removes_their_profiles_but_keeps_what_they_created(pool: PgPool) {
    let user: i64 = sqlx::query_scalar(
        "insert into users (email, password_hash) values ('u@example.org', 'x') returning id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query("insert into student_profiles (user_id, full_name) values ($1, 'U')")
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("insert into programs (slug, title, created_by) values ('p', 'P', $1)")
        .bind(user)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("delete from users where id = $1").bind(user).execute(&pool).await.unwrap();
    let profiles: i64 =
        sqlx::query_scalar("select count(*) from student_profiles").fetch_one(&pool).await.unwrap();
    let creator: Option<i64> =
        sqlx::query_scalar("select created_by from programs").fetch_one(&pool).await.unwrap();
    assert_eq!((profiles, creator), (0, None));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_form_with_submissions_cannot_be_deleted(pool: PgPool) {
    let cohort = cohort(&pool).await;
    let form: i64 = sqlx::query_scalar("insert into forms (key) values ('apply') returning id")
        .fetch_one(&pool)
        .await
        .unwrap();
    let application: i64 =
        sqlx::query_scalar("insert into applications (cohort_id) values ($1) returning id")
            .bind(cohort)
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("insert into application_submissions (application_id, form_id) values ($1, $2)")
        .bind(application)
        .bind(form)
        .execute(&pool)
        .await
        .unwrap();
    let error = sqlx::query("delete from forms where id = $1").bind(form).execute(&pool).await.unwrap_err();
    assert_eq!(constraint(&error), Some("application_submissions_form_id_fkey"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_foreign_key_is_covered_by_an_index_and_home_sections_by_enabled_and_order(pool: PgPool) {
    // A foreign key is covered when some index starts with exactly its columns.
    let uncovered: Vec<String> = sqlx::query_scalar(
        "select c.conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid)
           from pg_constraint c
          where c.contype = 'f' and c.connamespace = 'public'::regnamespace
            and not exists (
                select 1 from pg_index i
                 where i.indrelid = c.conrelid
                   and i.indpred is null
                   and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey)
          order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(uncovered, Vec::<String>::new());
    let home: Option<String> = sqlx::query_scalar(
        "select indexdef from pg_indexes where tablename = 'home_sections' and indexdef like '%(is_enabled, sort_order)%'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert!(home.is_some(), "home_sections (is_enabled, sort_order) index is missing");
}
