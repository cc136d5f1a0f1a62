//! Low attendance by mail, against a real SMTP server: the weekly look tells each student
//! who fell under their cohort's threshold once (not every week they stay under it), sends
//! the cohort's instructors a digest, and does neither where the cohort turned them off.

use crate::mail::{quick, Worker};
use hub_core::attendance::notices::{weekly, weekly_due_at, WeekSent};
use hub_model::attendance::CohortReportRequest;
use hub_model::ops::{ReportCohort, SetAttendanceMail};
use hub_model::programs::{CohortRole, SetAttendanceMailRequest};
use hub_tests::smtp::SmtpServer;
use hub_tests::{Caller, CohortBuilder};
use sqlx::PgPool;
use std::time::Duration;

/// Marks `enrollment` `status` at each of `sessions`, as an instructor would.
async fn mark(pool: &PgPool, enrollment: i64, sessions: &[i64], status: &str) {
    sqlx::query(
        "insert into attendance_records (session_id, enrollment_id, status)
         select session, $2, $3 from unnest($1::bigint[]) session
         on conflict (session_id, enrollment_id) do update set status = excluded.status",
    )
    .bind(sessions)
    .bind(enrollment)
    .bind(status)
    .execute(pool)
    .await
    .unwrap();
}

fn monday(date: &str) -> chrono::NaiveDate {
    date.parse().unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn students_who_fall_under_the_threshold_are_told_once_and_instructors_get_a_digest(pool: PgPool) {
    let smtp = SmtpServer::start();
    let admin = Caller::admin(&pool).await;
    let web = CohortBuilder::new(&pool, "web")
        .staff("karim@example.org", CohortRole::Lead)
        .students(3)
        .sessions(10)
        .build()
        .await;
    let data = CohortBuilder::new(&pool, "data")
        .staff("lina@example.org", CohortRole::Lead)
        .students(1)
        .sessions(4)
        .build()
        .await;
    let (first, second, third) = (web.enrollments[0], web.enrollments[1], web.enrollments[2]);
    mark(&pool, first, &web.sessions, "present").await;
    mark(&pool, second, &web.sessions[..5], "present").await;
    mark(&pool, second, &web.sessions[5..], "absent").await;
    mark(&pool, third, &web.sessions[..7], "present").await;
    mark(&pool, third, &web.sessions[7..8], "late").await;
    mark(&pool, third, &web.sessions[8..], "absent").await;
    mark(&pool, data.enrollments[0], &data.sessions, "absent").await;
    // The data cohort wants neither.
    let quiet = SetAttendanceMailRequest {
        cohort_id: data.id,
        threshold_percent: 80,
        notify_students: false,
        digest_instructors: false,
    };
    admin.call::<SetAttendanceMail>(&quiet).await.unwrap();
    admin
        .refuses::<SetAttendanceMail>(
            &SetAttendanceMailRequest { threshold_percent: 101, ..quiet },
            "threshold_percent",
            "",
        )
        .await;
    let _worker = Worker::start(&pool, quick(&smtp.url()));

    // Week 1: web-2 (50%) is told; web-3 at 80% is not under 80%; Karim's digest names web-2.
    let sent = weekly(&pool, monday("2030-01-07")).await.unwrap();
    assert_eq!(sent, Some(WeekSent { notices: 1, digests: 1 }));
    assert_eq!(weekly(&pool, monday("2030-01-07")).await.unwrap(), None, "a week is looked at once");
    let received = smtp.wait_for(2).await;
    let notice = received.iter().find(|message| message.rcpt_to == ["web-2@bench.example.org"]).unwrap();
    assert_eq!(notice.subject, "Your attendance in web: 50%");
    assert!(
        notice.text.contains("you came to 5 of the 10 sessions held so far (5 missed)"),
        "{}",
        notice.text
    );
    let digest = received.iter().find(|message| message.rcpt_to == ["karim@example.org"]).unwrap();
    assert_eq!(digest.subject, "web: 1 student under 80% attendance");
    assert!(digest.text.contains("web-2@bench.example.org: 50% (5 attended, 5 missed)"), "{}", digest.text);

    // Week 2, nothing changed: web-2 is not told again; the digest still names them.
    assert_eq!(weekly(&pool, monday("2030-01-14")).await.unwrap(), Some(WeekSent { notices: 0, digests: 1 }));
    // Week 3: web-2 caught up; nobody is under, nobody is mailed.
    mark(&pool, second, &web.sessions[5..], "present").await;
    assert_eq!(weekly(&pool, monday("2030-01-21")).await.unwrap(), Some(WeekSent { notices: 0, digests: 0 }));
    // Week 4: under again, told again.
    mark(&pool, second, &web.sessions[5..], "absent").await;
    assert_eq!(weekly(&pool, monday("2030-01-28")).await.unwrap(), Some(WeekSent { notices: 1, digests: 1 }));

    // A stricter threshold: web-3 at 80% is under 90%, and the report says so too.
    let strict = SetAttendanceMailRequest {
        cohort_id: web.id,
        threshold_percent: 90,
        notify_students: true,
        digest_instructors: true,
    };
    assert_eq!(admin.call::<SetAttendanceMail>(&strict).await.unwrap().threshold_percent, 90);
    let report = admin
        .call::<ReportCohort>(&CohortReportRequest { cohort_id: web.id, threshold: None })
        .await
        .unwrap();
    assert!((report.threshold - 0.9).abs() < 1e-9, "{}", report.threshold);
    assert_eq!(report.students.iter().filter(|student| student.below).count(), 2);
    // The server's minute job takes the week's look on Monday from 07:00 UTC, not before.
    let at = |time: &str| format!("2030-02-04T{time}Z").parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    assert_eq!(weekly_due_at(&pool, at("06:59:00")).await.unwrap(), None);
    assert_eq!(
        weekly_due_at(&pool, at("07:00:00")).await.unwrap(),
        Some(WeekSent { notices: 1, digests: 1 })
    );
    assert_eq!(weekly_due_at(&pool, at("07:01:00")).await.unwrap(), None);

    // 2 + 1 + 0 + 2 + 2 messages, and none to the data cohort.
    let received = smtp.wait_for(7).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 7, "{received:?}");
    let to = |address: &str| received.iter().filter(|message| message.rcpt_to == [address]).count();
    assert_eq!(
        (to("web-2@bench.example.org"), to("web-3@bench.example.org"), to("karim@example.org")),
        (2, 1, 4)
    );
    assert_eq!((to("data-1@bench.example.org"), to("lina@example.org")), (0, 0));
    let last_digest = received.iter().rev().find(|message| message.rcpt_to == ["karim@example.org"]).unwrap();
    assert_eq!(last_digest.subject, "web: 2 students under 90% attendance");
}
