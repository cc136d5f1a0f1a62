//! Enrollments run by hand: enrolling an existing student (never past the cohort's
//! capacity), and moving an enrollment between active, paused, completed and dropped — a
//! drop frees the seat and offers it to the oldest waitlisted application.

use crate::applications::{full, lock_seats, promotion};
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::applications::{
    AddEnrollmentRequest, EnrollmentChanged, EnrollmentStatus, SetEnrollmentStatusRequest,
};
use hub_model::ops::{AddEnrollment, SetEnrollmentStatus};
use hub_model::programs::CohortStudent;
use sqlx::PgConnection;

/// An enrollment as its query reads it, before its status is checked against the set.
pub(crate) struct StudentRow {
    pub enrollment_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub avatar_url: Option<String>,
    pub email: Option<String>,
    pub status: String,
    pub enrolled_at: chrono::DateTime<chrono::Utc>,
}

impl StudentRow {
    /// As the cohort page lists it.
    pub(crate) fn listed(self) -> Result<CohortStudent> {
        Ok(CohortStudent {
            enrollment_id: self.enrollment_id,
            user_id: self.user_id,
            full_name: self.full_name,
            avatar_url: self.avatar_url,
            email: self.email,
            status: self.status.parse()?,
            enrolled_at: self.enrolled_at,
        })
    }
}

async fn student(connection: &mut PgConnection, enrollment_id: i64) -> Result<CohortStudent> {
    sqlx::query_as!(
        StudentRow,
        r#"select e.id as enrollment_id, e.student_user_id as user_id, d.display_name as full_name,
                  user_avatar(e.student_user_id) as avatar_url, u.email, e.status, e.enrolled_at
             from enrollments e
             join users u on u.id = e.student_user_id
             join user_directory d on d.user_id = e.student_user_id
            where e.id = $1"#,
        enrollment_id
    )
    .fetch_optional(connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("enrollment {enrollment_id}")))?
    .listed()
}

impl Handler for AddEnrollment {
    async fn handle(hub: &Hub, actor: &Actor, request: AddEnrollmentRequest) -> Result<EnrollmentChanged> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let is_student = sqlx::query_scalar!("select is_student from users where id = $1", request.user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::validation("user_id", "there is no such user"))?;
        if !is_student {
            return Err(Error::validation("user_id", "is not a student: give them the student role first"));
        }
        let (used, capacity) = lock_seats(&mut tx, request.cohort_id).await?;
        let enrolled = sqlx::query!(
            "select id, status from enrollments where student_user_id = $1 and cohort_id = $2",
            request.user_id,
            request.cohort_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if enrolled.as_ref().is_some_and(|enrolled| enrolled.status != "dropped") {
            return Err(Error::validation("user_id", "is enrolled in this cohort already"));
        }
        if let Some(refusal) = full(used, capacity) {
            return Err(refusal);
        }
        let id = sqlx::query_scalar!(
            "insert into enrollments (student_user_id, cohort_id) values ($1, $2)
             on conflict (student_user_id, cohort_id) do update set status = 'active', enrolled_at = now()
             returning id",
            request.user_id,
            request.cohort_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let added = student(&mut tx, id).await?;
        tx.commit().await?;
        Ok(EnrollmentChanged { student: added, promotion: None })
    }
}

impl Handler for SetEnrollmentStatus {
    async fn handle(
        hub: &Hub,
        actor: &Actor,
        request: SetEnrollmentStatusRequest,
    ) -> Result<EnrollmentChanged> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let current = sqlx::query!("select cohort_id, status from enrollments where id = $1", request.id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound(format!("enrollment {}", request.id)))?;
        let (used, capacity) = lock_seats(&mut tx, current.cohort_id).await?;
        let current_status: EnrollmentStatus = current.status.parse()?;
        let takes_seat_again =
            current_status == EnrollmentStatus::Dropped && request.status != EnrollmentStatus::Dropped;
        if takes_seat_again {
            if let Some(refusal) = full(used, capacity) {
                return Err(refusal);
            }
        }
        sqlx::query!("update enrollments set status = $2 where id = $1", request.id, request.status.as_str())
            .execute(&mut *tx)
            .await?;
        let freed =
            current_status != EnrollmentStatus::Dropped && request.status == EnrollmentStatus::Dropped;
        let promotion = if freed { promotion(&mut tx, current.cohort_id).await? } else { None };
        let changed = student(&mut tx, request.id).await?;
        tx.commit().await?;
        Ok(EnrollmentChanged { student: changed, promotion })
    }
}
