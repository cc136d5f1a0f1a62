//! The authorization matrix: every operation in the table, called by every kind of actor,
//! is allowed or refused exactly as its declared access rule says. It walks the table, so an
//! operation is covered the day it is added.

use hub_core::ops::{self, OPERATIONS};
use hub_core::Hub;
use hub_model::{Access, ErrorKind};
use hub_tests::TestUser;
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
    Inactive,
    InstructorAndStudent,
}

fn expected(access: Access, who: Who) -> Expected {
    use Expected::{Allowed, Refused};
    let (admin, instructor, student) = match who {
        // A deactivated account's session counts as nobody's, and nobody may only do what anyone may.
        Who::Inactive | Who::Anonymous => {
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
async fn every_operation_allows_and_refuses_exactly_as_its_access_rule_declares(pool: PgPool) {
    let actors = [
        (Who::Anonymous, None),
        (Who::Student, Some(TestUser::STUDENT.insert(&pool, "student@example.org", None).await)),
        (Who::Instructor, Some(TestUser::INSTRUCTOR.insert(&pool, "instructor@example.org", None).await)),
        (Who::Admin, Some(TestUser::ADMIN.insert(&pool, "admin@example.org", None).await)),
        (
            Who::Inactive,
            Some(
                TestUser { is_inactive: true, ..TestUser::ADMIN }
                    .insert(&pool, "inactive@example.org", None)
                    .await,
            ),
        ),
        (
            Who::InstructorAndStudent,
            Some(
                TestUser { is_student: true, ..TestUser::INSTRUCTOR }
                    .insert(&pool, "both@example.org", None)
                    .await,
            ),
        ),
    ];
    let hub = Hub::new(pool);
    let mut mismatches = Vec::new();
    for operation in OPERATIONS {
        for (who, session) in actors {
            // An empty request: access is decided before the request is even read, so an
            // allowed call fails (if at all) on its input, never as refused.
            let outcome = ops::call(&hub, session, operation.name, serde_json::json!({})).await;
            let actual = match outcome {
                Ok(_) => Expected::Allowed,
                Err(error) => match error.kind() {
                    kind @ (ErrorKind::Unauthenticated | ErrorKind::Forbidden) => Expected::Refused(kind),
                    _ => Expected::Allowed,
                },
            };
            let wanted = expected(operation.access, who);
            if actual != wanted {
                mismatches
                    .push(format!("{} as {who:?}: expected {wanted:?}, got {actual:?}", operation.name));
            }
        }
    }
    assert_eq!(mismatches, Vec::<String>::new());
}
