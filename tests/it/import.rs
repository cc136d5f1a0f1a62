//! Importing people, and attendance marks, from a spreadsheet: a dry run that writes
//! nothing, then all rows or none, and the same file again changes nothing.

use hub_model::applications::{ExportEnrollmentsRequest, ListApplicationsRequest};
use hub_model::attendance::{Mark, MarkAttendanceRequest};
use hub_model::import::{ImportReport, ImportRequest, RowAction};
use hub_model::ops::{
    ExportApplications, ExportEnrollments, ExportPeople, ImportMarks, ImportPeople, MarkAttendance,
};
use hub_model::users::ListUsersRequest;
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

fn request(csv: &str, dry_run: bool) -> ImportRequest {
    ImportRequest { csv: csv.to_owned(), columns: BTreeMap::new(), dry_run }
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
    let mapped = |csv: &str, dry_run: bool| ImportRequest {
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

/// The seats an import counts are the ones an approval counts: a paused student keeps theirs,
/// and a cohort with no capacity of its own has its program's.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_import_counts_a_paused_students_seat_and_the_programs_capacity(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let built = CohortBuilder::new(&pool, "Design 2027").students(2).build().await;
    sqlx::query(
        "with cohort as (update cohorts set capacity = null, status = 'open' where id = $1 returning program_id)
         update programs set default_capacity = 3 where id = (select program_id from cohort)",
    )
    .bind(built.id)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("update enrollments set status = 'paused' where id = $1")
        .bind(built.enrollments[0])
        .execute(&pool)
        .await
        .unwrap();
    let csv =
        "name,email,cohort\nOne More,one@example.org,Design 2027\nTwo More,two@example.org,Design 2027\n";

    let report = admin.call::<ImportPeople>(&request(csv, true)).await.unwrap();
    assert_eq!(actions(&report), [(2, RowAction::Create), (3, RowAction::Refused)]);
    let problem = &report.rows[1].problems[0];
    assert_eq!(problem.column, "cohort");
    assert!(problem.message.contains("Design 2027 is full"), "{}", problem.message);

    let one = "name,email,cohort\nOne More,one@example.org,Design 2027\n";
    assert!(admin.call::<ImportPeople>(&request(one, false)).await.unwrap().written);
    let seats: (i64, Option<i32>) =
        sqlx::query_as("select cohort_seats_used(c), cohort_capacity(c) from cohorts c where c.id = $1")
            .bind(built.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(seats, (3, Some(3)), "the last seat taken, none over");
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
    let mapped = ImportRequest {
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

/// The students' emails (by enrollment) and the sessions' dates of a cohort built for a test.
async fn emails_and_days(pool: &PgPool, enrollments: &[i64], sessions: &[i64]) -> (Vec<String>, Vec<String>) {
    let emails = sqlx::query_scalar(
        "select u.email from enrollments e join users u on u.id = e.student_user_id where e.id = any($1) order by e.id",
    )
    .bind(enrollments)
    .fetch_all(pool)
    .await
    .unwrap();
    let days = sqlx::query_scalar("select date::text from sessions where id = any($1) order by date")
        .bind(sessions)
        .fetch_all(pool)
        .await
        .unwrap();
    (emails, days)
}

async fn history_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from attendance_history").fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn marks_from_a_spreadsheet_are_all_or_none_kept_as_app_marks_and_twice_change_nothing(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let built = CohortBuilder::new(&pool, "web").students(3).sessions(2).build().await;
    sqlx::query("update cohorts set name = 'Web 2027' where id = $1")
        .bind(built.id)
        .execute(&pool)
        .await
        .unwrap();
    let (emails, days) = emails_and_days(&pool, &built.enrollments, &built.sessions).await;
    // One mark is in the app already: the file corrects it.
    let earlier = *built.sessions.last().unwrap();
    let absent = MarkAttendanceRequest {
        session_id: earlier,
        enrollment_id: built.enrollments[0],
        status: Mark::Absent,
        note: None,
    };
    admin.call::<MarkAttendance>(&absent).await.unwrap();
    let mut rows = vec!["Date;Class;Student;Attendance;Comment".to_owned()];
    for day in &days {
        for email in &emails {
            rows.push(format!("{day};web 2027;{email};P;"));
        }
    }
    rows[6] = format!("{};Web 2027;{};late;Bus strike", days[1], emails[2]);
    let fixed = rows.join("\n") + "\n";
    let with_mistakes =
        format!("{fixed}2026-13-40;Web 2027;{};A;\n{};Web 2027;nobody@example.org;A;\n", emails[0], days[0]);
    let before = history_rows(&pool).await;

    for dry_run in [true, false] {
        let refused = admin.call::<ImportMarks>(&request(&with_mistakes, dry_run)).await.unwrap();
        assert_eq!((refused.refused, refused.written), (2, false), "{refused:#?}");
        let problems: Vec<(u32, &str, &str)> = refused
            .rows
            .iter()
            .flat_map(|row| {
                row.problems
                    .iter()
                    .map(move |problem| (row.line, problem.column.as_str(), problem.message.as_str()))
            })
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].0, problems[0].1), (8, "date"));
        assert!(problems[0].2.contains("write it as 2026-11-03"), "{}", problems[0].2);
        assert_eq!(problems[1], (9, "email", "nobody@example.org is not enrolled in Web 2027"));
        assert_eq!(history_rows(&pool).await, before, "nothing is written while a row is refused");
    }

    let done = admin.call::<ImportMarks>(&request(&fixed, false)).await.unwrap();
    assert_eq!((done.created, done.updated, done.unchanged, done.refused, done.written), (5, 1, 0, 0, true));
    let corrected = done.rows.iter().find(|row| row.action == RowAction::Update).unwrap();
    assert_eq!(corrected.changes, ["absent → present"]);
    let records: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "select status, note, marked_by from attendance_records where session_id = any($1) order by session_id desc, enrollment_id",
    )
    .bind(&built.sessions)
    .fetch_all(&pool)
    .await
    .unwrap();
    let statuses: Vec<&str> = records.iter().map(|(status, ..)| status.as_str()).collect();
    assert_eq!(statuses, ["present", "present", "present", "present", "present", "late"]);
    assert_eq!(records[5].1.as_deref(), Some("Bus strike"));
    assert!(records.iter().all(|(.., by)| *by == admin.id), "each the importer's");
    assert_eq!(history_rows(&pool).await, before + 6, "each mark in history, as the app's are");
    let trail: i64 = sqlx::query_scalar("select count(*) from audit_log where operation = 'import.marks'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(trail, 1);

    let again = admin.call::<ImportMarks>(&request(&fixed, false)).await.unwrap();
    assert_eq!((again.unchanged, again.written), (6, false));
    assert_eq!(history_rows(&pool).await, before + 6, "the same file again changes nothing");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_people_export_imports_back_unchanged_and_the_other_exports_hold_their_rows(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let exported = admin.call::<ExportPeople>(&ListUsersRequest::default()).await.unwrap();
    let header = exported.content.lines().next().unwrap();
    assert_eq!(header, "Name,Email,Phone,Roles,Cohort,Bio,LinkedIn,GitHub,Portfolio");
    let nour = exported.content.lines().find(|line| line.contains("student@demo.digitalhub.dev")).unwrap();
    assert!(nour.starts_with("Nour Karam,") && nour.contains(",student,Autumn 2026,"), "{nour}");
    let people: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
    assert_eq!(exported.content.lines().count() as i64, people + 1, "everyone, under one header");
    // Read back by the import: every row is someone known, and nothing changes.
    let back = admin.call::<ImportPeople>(&request(&exported.content, true)).await.unwrap();
    assert_eq!(
        (back.unchanged as i64, back.refused),
        (people, 0),
        "{:#?}",
        back.rows.iter().find(|row| row.action != RowAction::Unchanged)
    );

    let applications = admin.call::<ExportApplications>(&ListApplicationsRequest::default()).await.unwrap();
    let header = applications.content.lines().next().unwrap();
    assert!(
        header.starts_with("Applicant,Email,Phone,Program,Cohort,Status,Sent,Reviewed by,Reviewed at,"),
        "{header}"
    );
    assert!(
        header.ends_with(",Current situation,Why this program?,\"I can attend every weekday, 9:00–16:30\""),
        "a column per question, in the form's order: {header}"
    );
    let sent: i64 = sqlx::query_scalar("select count(*) from applications").fetch_one(&pool).await.unwrap();
    let mut reader = csv::Reader::from_reader(applications.content.as_bytes());
    assert_eq!(reader.records().count() as i64, sent);

    let running: i64 =
        sqlx::query_scalar("select id from cohorts where status = 'running'").fetch_one(&pool).await.unwrap();
    let enrollments = admin
        .call::<ExportEnrollments>(&ExportEnrollmentsRequest { cohort_id: Some(running) })
        .await
        .unwrap();
    assert_eq!(enrollments.filename, "enrollments-autumn-2026.csv");
    let enrolled: i64 = sqlx::query_scalar("select count(*) from enrollments where cohort_id = $1")
        .bind(running)
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(enrollments.content.as_bytes());
    assert_eq!(reader.records().count() as i64, enrolled);
    assert!(
        enrollments.content.contains("Nour Karam,student@demo.digitalhub.dev,"),
        "{}",
        enrollments.content
    );
    // Nobody but an administrator exports.
    let student = Caller::as_user(&pool, hub_tests::user_id(&pool, "student@demo.digitalhub.dev").await);
    let refused = student.call::<ExportPeople>(&ListUsersRequest::default()).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
}
