//! Enrollments run by hand: enrolling an existing student (never past the cohort's
//! capacity), and moving an enrollment between active, paused, completed and dropped — a
//! drop frees the seat and offers it to the oldest waitlisted application; several at once
//! (their status, or into another cohort), all or none.

use crate::applications::{full, lock_seats, promotion};
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::applications::{
    AddEnrollmentRequest, ChangeEnrollmentsRequest, EnrollmentChanged, EnrollmentStatus, EnrollmentsChange,
    EnrollmentsChanged, ExportEnrollmentsRequest, SetEnrollmentStatusRequest,
};
use hub_model::attendance::CsvFile;
use hub_model::ops::{AddEnrollment, ChangeEnrollments, ExportEnrollments, SetEnrollmentStatus};
use hub_model::programs::CohortStudent;
use hub_model::words;
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

impl Handler for ExportEnrollments {
    async fn handle(hub: &Hub, actor: &Actor, request: ExportEnrollmentsRequest) -> Result<CsvFile> {
        actor.require_admin()?;
        let cohort = match request.cohort_id {
            Some(id) => Some(
                sqlx::query_scalar!("select name from cohorts where id = $1", id)
                    .fetch_optional(hub.pool())
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("cohort {id}")))?,
            ),
            None => None,
        };
        let rows = sqlx::query!(
            r#"select d.display_name as "student!", u.email, u.phone, p.title as program, c.name as cohort,
                      e.status, e.enrolled_at, e.application_id
                 from enrollments e
                 join users u on u.id = e.student_user_id
                 join user_directory d on d.user_id = u.id
                 join cohorts c on c.id = e.cohort_id
                 join programs p on p.id = c.program_id
                where $1::bigint is null or e.cohort_id = $1
                order by c.start_date desc nulls first, c.id, d.sort_name, e.id"#,
            request.cohort_id
        )
        .fetch_all(hub.pool())
        .await?;
        let header =
            ["Student", "Email", "Phone", "Program", "Cohort", "Status", "Enrolled at", "Application"];
        let content = crate::text::csv_text(
            &header,
            rows.into_iter().map(|row| {
                vec![
                    row.student,
                    row.email.unwrap_or_default(),
                    row.phone.unwrap_or_default(),
                    row.program,
                    row.cohort,
                    row.status,
                    row.enrolled_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    row.application_id.map(|id| id.to_string()).unwrap_or_default(),
                ]
            }),
        )?;
        let scope = cohort.map_or_else(|| "all".to_owned(), |name| crate::text::file_part(&name));
        Ok(CsvFile { filename: format!("enrollments-{scope}.csv"), content })
    }
}

/// The most enrollments one change takes.
const CHANGE_MANY_MAX: usize = 2_000;

/// An enrollment a change of several takes, as it is.
struct Taken {
    id: i64,
    student: i64,
    name: String,
    cohort_id: i64,
    status: String,
    marked: bool,
}

impl Handler for ChangeEnrollments {
    async fn handle(
        hub: &Hub,
        actor: &Actor,
        request: ChangeEnrollmentsRequest,
    ) -> Result<EnrollmentsChanged> {
        actor.require_admin()?;
        if request.ids.is_empty() {
            return Err(Error::validation("ids", "choose at least one enrollment"));
        }
        if request.ids.len() > CHANGE_MANY_MAX {
            return Err(Error::validation("ids", format!("at most {CHANGE_MANY_MAX} enrollments at once")));
        }
        let mut tx = hub.begin().await?;
        let taken = sqlx::query_as!(
            Taken,
            r#"select e.id, e.student_user_id as student, d.display_name as name, e.cohort_id, e.status,
                      exists (select 1 from attendance_records r where r.enrollment_id = e.id) as "marked!"
                 from enrollments e join user_directory d on d.user_id = e.student_user_id
                where e.id = any($1) order by e.id for update of e"#,
            &request.ids
        )
        .fetch_all(&mut *tx)
        .await?;
        if let Some(missing) = request.ids.iter().find(|id| !taken.iter().any(|row| row.id == **id)) {
            return Err(Error::validation("ids", format!("there is no enrollment {missing}")));
        }
        let mut cohorts: Vec<i64> = taken.iter().map(|row| row.cohort_id).collect();
        cohorts.sort_unstable();
        cohorts.dedup();
        let (changed, unchanged, freed) = match request.change {
            EnrollmentsChange::Status(status) => set_many(&mut tx, &taken, &cohorts, status).await?,
            EnrollmentsChange::MoveTo(target) => move_many(&mut tx, &taken, target).await?,
        };
        let mut promotions = Vec::new();
        for cohort_id in freed {
            promotions.extend(promotion(&mut tx, cohort_id).await?);
        }
        tx.commit().await?;
        Ok(EnrollmentsChanged { changed, unchanged, promotions })
    }
}

/// How many changed, how many were so already, and the cohorts where a seat was freed.
type Outcome = (u32, u32, Vec<i64>);

pub(crate) fn count(rows: usize) -> u32 {
    u32::try_from(rows).unwrap_or(u32::MAX)
}

/// Each enrollment to `status`. Dropped ones made active again need their seats back: in
/// a cohort without enough, none changes.
async fn set_many(
    tx: &mut PgConnection,
    taken: &[Taken],
    cohorts: &[i64],
    status: EnrollmentStatus,
) -> Result<Outcome> {
    let changing: Vec<&Taken> = taken.iter().filter(|row| row.status != status.as_str()).collect();
    let mut freed = Vec::new();
    for cohort_id in cohorts {
        let (used, capacity) = lock_seats(&mut *tx, *cohort_id).await?;
        let here = changing.iter().filter(|row| row.cohort_id == *cohort_id);
        let returning = here.clone().filter(|row| row.status == "dropped").count();
        if status != EnrollmentStatus::Dropped && returning > 0 {
            if let Some(capacity) = capacity {
                let left = (i64::from(capacity) - used).max(0);
                if i64::try_from(returning).unwrap_or(i64::MAX) > left {
                    let name = sqlx::query_scalar!("select name from cohorts where id = $1", cohort_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    return Err(Error::Conflict(format!(
                        "{name} has {} left for {} coming back: raise its capacity or choose fewer",
                        words::count(left, "seat", "seats"),
                        words::count(returning, "student", "students"),
                    )));
                }
            }
        }
        if status == EnrollmentStatus::Dropped && here.clone().any(|row| row.status != "dropped") {
            freed.push(*cohort_id);
        }
    }
    let ids: Vec<i64> = changing.iter().map(|row| row.id).collect();
    sqlx::query!("update enrollments set status = $2 where id = any($1)", &ids, status.as_str())
        .execute(&mut *tx)
        .await?;
    Ok((count(changing.len()), count(taken.len() - changing.len()), freed))
}

/// Each enrollment's student into cohort `target`: all of them, or none when its seats are
/// too few or one of them is enrolled there already.
async fn move_many(tx: &mut PgConnection, taken: &[Taken], target: i64) -> Result<Outcome> {
    let (used, capacity) = lock_seats(&mut *tx, target).await?;
    let status =
        sqlx::query_scalar!("select status from cohorts where id = $1", target).fetch_one(&mut *tx).await?;
    if matches!(status.as_str(), "completed" | "cancelled") {
        return Err(Error::validation("change", format!("that cohort is {status}: it takes no one")));
    }
    let moving: Vec<&Taken> = taken.iter().filter(|row| row.cohort_id != target).collect();
    let students: Vec<i64> = moving.iter().map(|row| row.student).collect();
    let there = sqlx::query!(
        "select student_user_id, status from enrollments where cohort_id = $1 and student_user_id = any($2)",
        target,
        &students
    )
    .fetch_all(&mut *tx)
    .await?;
    if let Some(already) = there.iter().find(|row| row.status != "dropped") {
        let name =
            moving.iter().find(|row| row.student == already.student_user_id).map_or("", |row| &row.name);
        return Err(Error::Conflict(format!("{name} is enrolled in that cohort already: leave them out")));
    }
    if let Some(capacity) = capacity {
        let left = (i64::from(capacity) - used).max(0);
        let coming = i64::try_from(moving.len()).unwrap_or(i64::MAX);
        if coming > left {
            return Err(Error::Conflict(format!(
                "that cohort has {} left for {}: raise its capacity or move fewer",
                words::count(left, "seat", "seats"),
                words::count(coming, "student", "students"),
            )));
        }
    }
    // An enrollment with no marks moves with its student (its application with it); one with
    // marks stays, dropped, so its attendance keeps its cohort, and the student is enrolled anew.
    let (plain, marked): (Vec<&Taken>, Vec<&Taken>) = moving
        .iter()
        .copied()
        .partition(|row| !row.marked && !there.iter().any(|there| there.student_user_id == row.student));
    let plain_ids: Vec<i64> = plain.iter().map(|row| row.id).collect();
    sqlx::query!(
        "update enrollments set cohort_id = $2, status = 'active', enrolled_at = now() where id = any($1)",
        &plain_ids,
        target
    )
    .execute(&mut *tx)
    .await?;
    let marked_ids: Vec<i64> = marked.iter().map(|row| row.id).collect();
    let marked_students: Vec<i64> = marked.iter().map(|row| row.student).collect();
    sqlx::query!("update enrollments set status = 'dropped' where id = any($1)", &marked_ids)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into enrollments (student_user_id, cohort_id) select unnest($1::bigint[]), $2
         on conflict (student_user_id, cohort_id) do update set status = 'active', enrolled_at = now()",
        &marked_students,
        target
    )
    .execute(&mut *tx)
    .await?;
    let mut freed: Vec<i64> =
        moving.iter().filter(|row| row.status != "dropped").map(|row| row.cohort_id).collect();
    freed.sort_unstable();
    freed.dedup();
    Ok((count(moving.len()), count(taken.len() - moving.len()), freed))
}
