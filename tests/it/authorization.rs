//! The authorization matrix, over HTTP: every operation in the table, called through the hub
//! server by every kind of caller (a session of each role, a session that ended, a
//! deactivated account's, a forged token, nobody), is allowed or refused exactly as its
//! declared access rule says — the server is the only guard. It walks the table, so an
//! operation is covered the day it is added.

use hub_core::ops::OPERATIONS;
use hub_model::auth::SessionToken;
use hub_model::{Access, ErrorKind};
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
        .call_json(Some(&admin), "devices.revoke_all", &serde_json::json!({ "user_id": revoked }))
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
