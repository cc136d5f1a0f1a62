//! The authorization matrix, over HTTP: every operation in the table, called through the hub
//! server by every kind of caller (a session of each role, a session that ended, a
//! deactivated account's, a forged token, nobody), is allowed or refused exactly as its
//! declared access rule says — the server is the only guard. It walks the table, so an
//! operation is covered the day it is added.

use chrono::NaiveDate;
use hub_core::ops::OPERATIONS;
use hub_model::attendance::{
    CohortIdRequest, CohortReportRequest, DeviceMark, Mark, MarkAttendanceRequest, PullRequest,
    PushMarksRequest, PushOutcome,
};
use hub_model::auth::SessionToken;
use hub_model::cms::IdRequest;
use hub_model::devices::UserDevicesRequest;
use hub_model::ops;
use hub_model::sessions::{DeleteSessionRequest, SaveSessionRequest};
use hub_model::users::SetRolesRequest;
use hub_model::{Access, ErrorKind, NoRequest, Operation};
use hub_tests::server::TestServer;
use hub_tests::{TestUser, TEST_PASSWORD};
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Allowed,
    /// Refused with this kind before the operation runs.
    Refused(ErrorKind),
}

#[derive(Debug, Clone, Copy)]
enum Who {
    Anonymous,
    Student,
    Instructor,
    Admin,
    InstructorAndStudent,
    /// A session whose account was deactivated since.
    Deactivated,
    /// A session an administrator ended ("sign out everywhere").
    Revoked,
    /// A token the server never issued.
    Forged,
}

fn expected(access: Access, who: Who) -> Expected {
    use Expected::{Allowed, Refused};
    let (admin, instructor, student) = match who {
        // A session that no longer works counts as nobody's, and nobody may only do what anyone may.
        Who::Anonymous | Who::Deactivated | Who::Revoked | Who::Forged => {
            return if access == Access::Anyone { Allowed } else { Refused(ErrorKind::Unauthenticated) };
        }
        Who::Student => (false, false, true),
        Who::Instructor => (false, true, false),
        Who::Admin => (true, false, false),
        Who::InstructorAndStudent => (false, true, true),
    };
    let allowed = match access {
        Access::Anyone | Access::Authenticated => true,
        Access::Admin => admin,
        Access::Instructor => instructor,
        Access::Student => student,
    };
    if allowed {
        Allowed
    } else {
        Refused(ErrorKind::Forbidden)
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn over_http_every_operation_allows_and_refuses_exactly_as_its_access_rule_declares(pool: PgPool) {
    let server = TestServer::start(&pool).await;
    let mut people = Vec::new();
    for (who, email, user) in [
        (Who::Student, "student@example.org", TestUser::STUDENT),
        (Who::Instructor, "instructor@example.org", TestUser::INSTRUCTOR),
        (Who::Admin, "admin@example.org", TestUser::ADMIN),
        (
            Who::InstructorAndStudent,
            "both@example.org",
            TestUser { is_student: true, ..TestUser::INSTRUCTOR },
        ),
        (Who::Deactivated, "gone@example.org", TestUser::STUDENT),
        (Who::Revoked, "revoked@example.org", TestUser::INSTRUCTOR),
    ] {
        user.insert(&pool, email, None).await;
        people.push((who, email));
    }
    // Each caller with a session of their own, opened over HTTP as the app does.
    let mut actors: Vec<(Who, Option<SessionToken>)> = vec![(Who::Anonymous, None)];
    for (who, email) in &people {
        actors.push((*who, Some(server.sign_in(email, TEST_PASSWORD).await)));
    }
    actors.push((Who::Forged, Some(SessionToken::new("dhs_not-a-token-the-server-made".to_owned()))));
    sqlx::query("update users set is_active = false where email = 'gone@example.org'")
        .execute(&pool)
        .await
        .unwrap();
    let admin = actors
        .iter()
        .find(|(who, _)| matches!(who, Who::Admin))
        .and_then(|(_, token)| token.clone())
        .unwrap();
    let revoked = hub_tests::user_id(&pool, "revoked@example.org").await;
    server
        .call::<ops::RevokeAllDevices>(&admin, &UserDevicesRequest { user_id: revoked })
        .await
        .expect("the admin signs them out everywhere");

    let mut mismatches = Vec::new();
    // Signing out ends the session it is called with: it goes last.
    let (sign_out, rest): (Vec<_>, Vec<_>) =
        OPERATIONS.iter().partition(|operation| operation.name == "auth.sign_out");
    for operation in rest.into_iter().chain(sign_out) {
        for (who, token) in &actors {
            // An empty request: access is decided before the request is even read, so an
            // allowed call fails (if at all) on its input, never as refused.
            let outcome = server.call_json(token.as_ref(), operation.name, &serde_json::json!({})).await;
            let actual = match outcome {
                Ok(_) => Expected::Allowed,
                Err(error) => match error.kind {
                    kind @ (ErrorKind::Unauthenticated | ErrorKind::Forbidden) => Expected::Refused(kind),
                    _ => Expected::Allowed,
                },
            };
            let wanted = expected(operation.access, *who);
            if actual != wanted {
                mismatches
                    .push(format!("{} as {who:?}: expected {wanted:?}, got {actual:?}", operation.name));
            }
        }
    }
    assert_eq!(mismatches, Vec::<String>::new());
}

/// The demo's running cohort and its latest session.
async fn running_cohort_session(pool: &PgPool) -> (i64, i64) {
    sqlx::query!(
        "select c.id as cohort, s.id as session from sessions s join cohorts c on c.id = s.cohort_id
          where c.status = 'running' order by s.date desc limit 1"
    )
    .fetch_one(pool)
    .await
    .map(|row| (row.cohort, row.session))
    .unwrap()
}

/// A new session of `cohort`, on 24 December 2026.
fn new_session(cohort: i64, title: &str) -> SaveSessionRequest {
    SaveSessionRequest {
        id: None,
        cohort_id: cohort,
        date: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
        starts_at: None,
        ends_at: None,
        delivery_mode: Default::default(),
        location: None,
        title: title.to_owned(),
        day_plan: None,
        description: None,
        session_type: Default::default(),
    }
}

/// Asserts `token`'s session may not call `O` with `request`.
async fn forbidden<O: Operation>(server: &TestServer, token: &SessionToken, request: &O::Request) {
    let outcome = server.call::<O>(token, request).await.map(drop).map_err(|error| error.kind);
    assert_eq!(outcome, Err(ErrorKind::Forbidden), "{}", O::NAME);
}

/// Karim, the running cohort's assistant, is no longer an instructor: he stays named on the
/// cohort, and has no right left on it — not to mark (online or from his device), read the
/// roster or the reports, plan, delete, or take its rosters offline.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_whose_role_is_switched_off_keeps_no_right_on_the_cohorts_they_taught(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let server = TestServer::start(&pool).await;
    let (cohort, session) = running_cohort_session(&pool).await;
    let karim_id = hub_tests::user_id(&pool, "instructor@demo.digitalhub.dev").await;
    let karim = server.sign_in("instructor@demo.digitalhub.dev", hub_core::demo::DEMO_PASSWORD).await;
    let admin = server.sign_in("admin@demo.digitalhub.dev", hub_core::demo::DEMO_PASSWORD).await;
    let roster = server.call::<ops::AttendanceRoster>(&karim, &IdRequest { id: session }).await;
    let enrollment = roster.expect("he teaches the cohort today").students[0].enrollment_id;
    let pack = server.call::<ops::GetOfflinePack>(&karim, &NoRequest {}).await.unwrap();
    assert!(!pack.sessions.is_empty());

    let no_roles = SetRolesRequest { id: karim_id, is_admin: false, is_instructor: false, is_student: false };
    server.call::<ops::SetRoles>(&admin, &no_roles).await.unwrap();

    let absent = MarkAttendanceRequest {
        session_id: session,
        enrollment_id: enrollment,
        status: Mark::Absent,
        note: None,
    };
    forbidden::<ops::AttendanceRoster>(&server, &karim, &IdRequest { id: session }).await;
    forbidden::<ops::MarkAttendance>(&server, &karim, &absent).await;
    let report = CohortReportRequest { cohort_id: cohort, threshold: None };
    forbidden::<ops::ReportCohort>(&server, &karim, &report).await;
    forbidden::<ops::ReportSessions>(&server, &karim, &CohortIdRequest { cohort_id: cohort }).await;
    forbidden::<ops::SaveSession>(&server, &karim, &new_session(cohort, "Still mine?")).await;
    forbidden::<ops::DeleteSession>(&server, &karim, &DeleteSessionRequest { id: session, marks: 1000 })
        .await;
    let from_his_device = DeviceMark {
        client_id: uuid::Uuid::new_v4(),
        session_id: session,
        enrollment_id: enrollment,
        status: Mark::Absent,
        note: None,
        marked_at: chrono::Utc::now(),
    };
    let pushed = server
        .call::<ops::PushMarks>(&karim, &PushMarksRequest { marks: vec![from_his_device] })
        .await
        .unwrap();
    assert_eq!(
        pushed.marks[0].outcome,
        PushOutcome::Rejected { reason: "you do not teach this cohort".to_owned() },
        "{pushed:?}"
    );
    let pack = server.call::<ops::GetOfflinePack>(&karim, &NoRequest {}).await.unwrap();
    assert_eq!(pack.sessions, [], "no roster goes offline with him");
    let pulled = server.call::<ops::PullMarks>(&karim, &PullRequest::default()).await.unwrap();
    assert_eq!(pulled.records, []);
    let still_there: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from sessions where id = $1"#, session)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(still_there, 1);

    // The cohort page still names him, as no longer an instructor.
    let page = server.call::<ops::GetCohort>(&admin, &IdRequest { id: cohort }).await.unwrap();
    let named: Vec<(&str, bool)> =
        page.cohort.instructors.iter().map(|row| (row.full_name.as_str(), row.is_instructor)).collect();
    assert!(named.contains(&("Karim Nassar", false)), "{named:?}");
    assert!(named.iter().filter(|(_, teaches)| *teaches).count() >= 1, "{named:?}");
}

/// What each cohort role may do: a mentor reads the roster and marks, and plans nothing; an
/// assistant also plans sessions; deleting one is for the lead (and administrators).
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn mentors_and_assistants_mark_and_only_the_lead_deletes_a_session(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let server = TestServer::start(&pool).await;
    let (cohort, session) = running_cohort_session(&pool).await;
    let sign_in = |email: &'static str| server.sign_in(email, hub_core::demo::DEMO_PASSWORD);
    let (lina, karim, rami) = (
        sign_in("lead@demo.digitalhub.dev").await,
        sign_in("instructor@demo.digitalhub.dev").await,
        sign_in("mentor@demo.digitalhub.dev").await,
    );
    let roles: Vec<(String, String)> = sqlx::query_as(
        "select u.email, ci.cohort_role from cohort_instructors ci join users u on u.id = ci.instructor_user_id
          where ci.cohort_id = $1 order by u.email",
    )
    .bind(cohort)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        roles,
        [
            ("instructor@demo.digitalhub.dev".to_owned(), "assistant".to_owned()),
            ("lead@demo.digitalhub.dev".to_owned(), "lead".to_owned()),
            ("mentor@demo.digitalhub.dev".to_owned(), "mentor".to_owned()),
        ]
    );
    for who in [&lina, &karim, &rami] {
        let roster = server.call::<ops::AttendanceRoster>(who, &IdRequest { id: session }).await;
        let enrollment = roster.unwrap().students[0].enrollment_id;
        let late = MarkAttendanceRequest {
            session_id: session,
            enrollment_id: enrollment,
            status: Mark::Late,
            note: None,
        };
        server.call::<ops::MarkAttendance>(who, &late).await.unwrap();
        let report = CohortReportRequest { cohort_id: cohort, threshold: None };
        server.call::<ops::ReportCohort>(who, &report).await.unwrap();
    }
    forbidden::<ops::SaveSession>(&server, &rami, &new_session(cohort, "Mentor's")).await;
    let by_karim =
        server.call::<ops::SaveSession>(&karim, &new_session(cohort, "Assistant's")).await.unwrap();
    assert_eq!((by_karim.can_change, by_karim.can_delete), (true, false));
    let delete = DeleteSessionRequest { id: by_karim.id, marks: 0 };
    for who in [&karim, &rami] {
        let refused = server.call::<ops::DeleteSession>(who, &delete).await.unwrap_err();
        assert_eq!(refused.kind, ErrorKind::Forbidden);
        assert!(refused.message.contains("lead"), "{refused:?}");
    }
    server.call::<ops::DeleteSession>(&lina, &delete).await.unwrap();
}
