//! Importing people from a spreadsheet: a dry run that writes nothing, then all rows or none,
//! and the same file again changes nothing.

use hub_model::import::{ImportPeopleRequest, ImportReport, RowAction};
use hub_model::ops::ImportPeople;
use hub_tests::{row_counts, Caller, CohortBuilder, TestUser};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// A cohort of `capacity` seats, `taken` of them by active students.
async fn cohort(pool: &PgPool, name: &str, capacity: i64, taken: i64) -> i64 {
    let built = CohortBuilder::new(pool, name).students(taken).build().await;
    sqlx::query("update cohorts set capacity = $2, status = 'open' where id = $1")
        .bind(built.id)
        .bind(i32::try_from(capacity).unwrap())
        .execute(pool)
        .await
        .unwrap();
    built.id
}

fn request(csv: &str, dry_run: bool) -> ImportPeopleRequest {
    ImportPeopleRequest { csv: csv.to_owned(), columns: BTreeMap::new(), dry_run }
}

fn actions(report: &ImportReport) -> Vec<(u32, RowAction)> {
    report.rows.iter().map(|row| (row.line, row.action)).collect()
}

/// A spreadsheet saved in a French locale: a byte-order mark, semicolons, its own headers.
const SHEET: &str = "\u{feff}Nom complet;E-mail;Mobile;Role;Class;GitHub\r\n\
    Nour Karam;nour@example.org;+961 3 111 222;student;Web 2027;https://github.com/nour\r\n\
    Karim Nassar;karim@example.org;;instructor;;\r\n\
    Sami Haddad;;+961 3 333 444;;Web 2027;\r\n";

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_dry_run_writes_nothing_the_import_writes_every_row_and_the_same_file_again_changes_nothing(
    pool: PgPool,
) {
    let admin = Caller::admin(&pool).await;
    let web = cohort(&pool, "Web 2027", 20, 3).await;
    // Karim is known (a student already): the file makes him an instructor too.
    let karim = TestUser::STUDENT.insert(&pool, "karim@example.org", None).await;
    let mapped = |csv: &str, dry_run: bool| ImportPeopleRequest {
        columns: BTreeMap::from([("full_name".to_owned(), "Nom complet".to_owned())]),
        ..request(csv, dry_run)
    };
    let before = row_counts(&pool).await;

    let dry = admin.call::<ImportPeople>(&mapped(SHEET, true)).await.unwrap();
    assert_eq!(
        actions(&dry),
        [(2, RowAction::Create), (3, RowAction::Update), (4, RowAction::Create)],
        "{dry:#?}"
    );
    assert_eq!((dry.created, dry.updated, dry.refused, dry.invitations, dry.written), (2, 1, 0, 1, false));
    assert!(dry.rows[0].changes.contains(&"enrolled in Web 2027".to_owned()), "{:?}", dry.rows[0].changes);
    assert_eq!(dry.rows[1].changes, ["made instructor", "name Test karim@example.org → Karim Nassar"]);
    let read_from: Vec<(&str, Option<&str>)> =
        dry.columns.iter().map(|column| (column.column.as_str(), column.header.as_deref())).take(5).collect();
    assert_eq!(
        read_from,
        [
            ("full_name", Some("Nom complet")),
            ("email", Some("E-mail")),
            ("phone", Some("Mobile")),
            ("roles", Some("Role")),
            ("cohort", Some("Class")),
        ]
    );
    assert_eq!(row_counts(&pool).await, before, "a dry run writes nothing");

    let done = admin.call::<ImportPeople>(&mapped(SHEET, false)).await.unwrap();
    assert_eq!(
        (done.created, done.updated, done.refused, done.invitations, done.written),
        (2, 1, 0, 1, true)
    );
    let nour = sqlx::query!(
        r#"select u.is_student, u.password_hash, s.full_name, s.github_url,
                  exists(select 1 from enrollments e where e.student_user_id = u.id and e.cohort_id = $2) as "enrolled!"
             from users u join student_profiles s on s.user_id = u.id where u.email = $1"#,
        "nour@example.org",
        web
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(nour.is_student && nour.enrolled);
    assert_eq!(nour.full_name, "Nour Karam");
    assert_eq!(nour.github_url.as_deref(), Some("https://github.com/nour"));
    assert_eq!(nour.password_hash, hub_core::account_codes::NO_PASSWORD, "she chooses her own");
    let invitations: Vec<String> =
        sqlx::query_scalar("select recipient from mail_outbox where kind = 'invitation'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(invitations, ["nour@example.org"], "Sami has no email: no invitation");
    let karim_roles: (bool, bool, bool) =
        sqlx::query_as("select is_student, is_instructor, exists(select 1 from instructor_profiles where user_id = $1) from users where id = $1")
            .bind(karim)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(karim_roles, (true, true, true), "a role added, none taken, a profile for it");
    let sami_enrolled: i64 = sqlx::query_scalar(
        "select count(*) from enrollments e join users u on u.id = e.student_user_id where regexp_replace(u.phone, '[^0-9]', '', 'g') = '9613333444'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(sami_enrolled, 1);
    let trail: Vec<(String, i64)> = sqlx::query_as(
        "select l.operation, count(c.id) from audit_log l join audit_changes c on c.audit_id = l.id
          where l.operation = 'import.people' group by l.operation",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(trail.len(), 1, "one entry in the audit trail for the whole import");

    // Again: nothing new, nothing written, nothing in the trail.
    let written = row_counts(&pool).await;
    let again = admin.call::<ImportPeople>(&mapped(SHEET, false)).await.unwrap();
    assert_eq!(
        actions(&again),
        [(2, RowAction::Unchanged), (3, RowAction::Unchanged), (4, RowAction::Unchanged)]
    );
    assert!(!again.written);
    assert_eq!(row_counts(&pool).await, written, "the same file twice changes nothing");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn one_bad_row_writes_nothing_and_each_refused_row_is_named_with_why(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    cohort(&pool, "Data 2027", 2, 1).await;
    cohort(&pool, "Old 2020", 20, 0).await;
    sqlx::query("update cohorts set status = 'completed' where name = 'Old 2020'")
        .execute(&pool)
        .await
        .unwrap();
    let csv = "name,email,cohort,roles\n\
        Good Person,good@example.org,Data 2027,student\n\
        Bad Email,not-an-email,,\n\
        Lost,lost@example.org,Mars 3000,\n\
        Twice,good@example.org,,\n\
        No Seat,noseat@example.org,Data 2027,\n\
        Too Late,late@example.org,Old 2020,\n\
        Odd Role,odd@example.org,,janitor\n\
        ,nameless@example.org,,\n";
    let before = row_counts(&pool).await;
    let report = admin.call::<ImportPeople>(&request(csv, false)).await.unwrap();
    assert!(!report.written);
    assert_eq!(row_counts(&pool).await, before, "all or nothing: nothing");
    let refused: Vec<(u32, &str, &str)> = report
        .rows
        .iter()
        .flat_map(|row| {
            row.problems
                .iter()
                .map(move |problem| (row.line, problem.column.as_str(), problem.message.as_str()))
        })
        .collect();
    let columns: Vec<(u32, &str)> = refused.iter().map(|(line, column, _)| (*line, *column)).collect();
    assert_eq!(
        columns,
        [
            (3, "email"),
            (4, "cohort"),
            (5, "email"),
            (6, "cohort"),
            (7, "cohort"),
            (8, "roles"),
            (9, "full_name")
        ],
        "{refused:#?}"
    );
    assert!(refused[1].2.contains("no cohort is named \"Mars 3000\""), "{refused:?}");
    assert!(refused[2].2.contains("line 2"), "the other line is named: {refused:?}");
    assert!(refused[3].2.contains("Data 2027 is full"), "{refused:?}");
    assert!(refused[4].2.contains("Old 2020 is completed"), "{refused:?}");
    assert_eq!(report.rows[0].action, RowAction::Create, "a good row is said good, though not written");
    assert_eq!((report.refused, report.invitations), (7, 0));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_file_without_a_column_of_names_is_refused_row_by_row_until_one_is_chosen(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let unmapped =
        admin.call::<ImportPeople>(&request("Who,Contact\nNour,nour@example.org\n", true)).await.unwrap();
    assert_eq!(actions(&unmapped), [(2, RowAction::Refused)]);
    assert_eq!(unmapped.headers, ["Who", "Contact"], "the file's columns, to choose from");
    let problem = &unmapped.rows[0].problems[0];
    assert_eq!(problem.column, "full_name");
    assert!(problem.message.contains("its columns: Who, Contact"), "{problem:?}");
    let mapped = ImportPeopleRequest {
        columns: BTreeMap::from([
            ("full_name".to_owned(), "Who".to_owned()),
            ("email".to_owned(), "Contact".to_owned()),
        ]),
        ..request("Who,Contact\nNour,nour@example.org\n", true)
    };
    let report = admin.call::<ImportPeople>(&mapped).await.unwrap();
    assert_eq!(actions(&report), [(2, RowAction::Create)]);
    admin.refuses::<ImportPeople>(&request("", true), "csv", "is empty").await;
    let student = TestUser::STUDENT.insert(&pool, "student@example.org", None).await;
    let refused = Caller::as_user(&pool, student).call::<ImportPeople>(&mapped).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
}
