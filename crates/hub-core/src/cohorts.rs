//! Cohorts: each run of a program, moved through its life (planned … completed) with the
//! website told when one is coming soon, its instructors and their roles, and the cohorts
//! a person teaches or studies in; completing one completes its active students too, if asked.

use crate::enrollments::StudentRow;
use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::paging::Paging;
use crate::programs::capacity;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::applications::{CohortCompleted, CompleteCohortRequest};
use hub_model::cms::IdRequest;
use hub_model::ops::{
    AssignInstructor, CompleteCohort, GetCohort, ListCohorts, MyCohorts, RemoveInstructor, SaveCohort,
    SetCohortStatus,
};
use hub_model::page::Page;
use hub_model::programs::{
    AssignInstructorRequest, CohortDetail, CohortInstructorRow, CohortRow, CohortSession, CohortStatus,
    ListCohortsRequest, MyCohort, RemoveInstructorRequest, SaveCohortRequest, SetCohortStatusRequest,
    TakingPart,
};
use hub_model::NoRequest;
use sqlx::PgPool;

/// Cohorts matching `filter` (or the one `id`), a page of them, and how many match in all.
async fn cohorts(
    pool: &PgPool,
    filter: &ListCohortsRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<(CohortRow, i64)>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    let rows = sqlx::query!(
        r#"select c.id, c.program_id, p.title as program_title, c.name, c.status, c.allow_applications,
                  cohort_capacity(c) as capacity,
                  c.enrollment_open_at, c.enrollment_close_at, c.start_date, c.end_date,
                  (select count(*) from enrollments e where e.cohort_id = c.id and e.status <> 'dropped') as "seats_used!",
                  count(*) over () as "total!"
             from cohorts c join programs p on p.id = c.program_id
            where ($1::bigint is null or c.program_id = $1)
              and ($2::text is null or c.status = $2)
              and ($3::bigint is null or c.id = $3)
              and ($4::text is null or lower(c.name) like $4 or lower(p.title) like $4)
            order by
              case when $5 = 'start_date' and not $6 then c.start_date end asc nulls last,
              case when $5 = 'start_date' and $6 then c.start_date end desc nulls last,
              case when $5 = 'name' and not $6 then lower(c.name) end asc,
              case when $5 = 'name' and $6 then lower(c.name) end desc,
              case when $5 = 'program' and not $6 then lower(p.title) end asc,
              case when $5 = 'program' and $6 then lower(p.title) end desc,
              case when $5 = 'status' and not $6 then array_position(
                  array['planned','coming_soon','open','running','completed','cancelled'], c.status) end asc,
              case when $5 = 'status' and $6 then array_position(
                  array['planned','coming_soon','open','running','completed','cancelled'], c.status) end desc,
              c.start_date desc nulls last, c.id desc
            limit $7 offset $8"#,
        filter.program_id,
        filter.status.map(CohortStatus::as_str),
        id,
        pattern,
        filter.sort.as_str(),
        filter.descending,
        limit,
        offset
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let instructors = sqlx::query!(
        r#"select ci.cohort_id, ci.instructor_user_id, d.display_name, ci.cohort_role,
                  d.is_instructor and d.is_active as "is_instructor!"
             from cohort_instructors ci join user_directory d on d.user_id = ci.instructor_user_id
            where ci.cohort_id = any($1)
            order by case ci.cohort_role when 'lead' then 0 when 'assistant' then 1 else 2 end, d.sort_name"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            let cohort = CohortRow {
                instructors: instructors
                    .iter()
                    .filter(|instructor| instructor.cohort_id == row.id)
                    .map(|instructor| {
                        Ok(CohortInstructorRow {
                            user_id: instructor.instructor_user_id,
                            full_name: instructor.display_name.clone(),
                            cohort_role: instructor.cohort_role.parse()?,
                            is_instructor: instructor.is_instructor,
                        })
                    })
                    .collect::<Result<_>>()?,
                id: row.id,
                program_id: row.program_id,
                program_title: row.program_title,
                name: row.name,
                status: row.status.parse()?,
                allow_applications: row.allow_applications,
                capacity: row.capacity,
                enrollment_open_at: row.enrollment_open_at,
                enrollment_close_at: row.enrollment_close_at,
                start_date: row.start_date,
                end_date: row.end_date,
                seats_used: row.seats_used,
            };
            Ok((cohort, row.total))
        })
        .collect()
}

async fn cohort(pool: &PgPool, id: i64) -> Result<CohortRow> {
    cohorts(pool, &ListCohortsRequest::default(), Some(id), 1, 0)
        .await?
        .pop()
        .map(|(cohort, _)| cohort)
        .ok_or_else(|| Error::NotFound(format!("cohort {id}")))
}

impl Handler for ListCohorts {
    async fn handle(hub: &Hub, actor: &Actor, request: ListCohortsRequest) -> Result<Page<CohortRow>> {
        actor.require_admin()?;
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| cohorts(hub.pool(), &request, None, limit, offset),
                |(_, total)| *total,
                |(cohort, _)| Ok(cohort),
            )
            .await
    }
}

impl Handler for GetCohort {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<CohortDetail> {
        actor.require_admin()?;
        let cohort = cohort(hub.pool(), request.id).await?;
        let students = sqlx::query_as!(
            StudentRow,
            r#"select e.id as enrollment_id, e.student_user_id as user_id, d.display_name as full_name,
                      user_avatar(e.student_user_id) as avatar_url, u.email, e.status, e.enrolled_at
                 from enrollments e
                 join users u on u.id = e.student_user_id
                 join user_directory d on d.user_id = e.student_user_id
                where e.cohort_id = $1
                order by e.status = 'dropped', d.sort_name, e.id"#,
            request.id
        )
        .fetch_all(hub.pool())
        .await?
        .into_iter()
        .map(StudentRow::listed)
        .collect::<Result<_>>()?;
        let sessions = sqlx::query!(
            r#"select id, date, starts_at, ends_at, title, delivery_mode, session_type
                 from sessions where cohort_id = $1 order by date, starts_at nulls first, id"#,
            request.id
        )
        .fetch_all(hub.pool())
        .await?
        .into_iter()
        .map(|row| {
            Ok(CohortSession {
                id: row.id,
                date: row.date,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                title: row.title,
                delivery_mode: row.delivery_mode.parse()?,
                session_type: row.session_type.parse()?,
            })
        })
        .collect::<Result<_>>()?;
        let mut connection = hub.pool().acquire().await?;
        let attendance_mail = crate::attendance::notices::settings(&mut connection, request.id).await?;
        let checkin = crate::checkin::cohort_minutes(&mut connection, request.id).await?;
        Ok(CohortDetail { cohort, students, sessions, attendance_mail, checkin })
    }
}

impl Handler for MyCohorts {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<MyCohort>> {
        let me = actor.require_auth()?;
        let rows = sqlx::query!(
            r#"select c.id as "id!", c.name as "name!", p.title as "program_title!", c.status as "status!",
                      c.start_date, c.end_date, taking.role as "role!", taking.enrollment_status
                 from (select cohort_id, cohort_role as role, null::text as enrollment_status
                         from cohort_staff where instructor_user_id = $1
                       union all
                       select cohort_id, 'student', status from enrollments where student_user_id = $1) taking
                 join cohorts c on c.id = taking.cohort_id
                 join programs p on p.id = c.program_id
                order by c.start_date desc nulls first, c.id desc"#,
            me.id
        )
        .fetch_all(hub.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                let taking_part = match row.enrollment_status {
                    Some(status) => TakingPart::Studying { status: status.parse()? },
                    None => TakingPart::Teaching { role: row.role.parse()? },
                };
                Ok(MyCohort {
                    id: row.id,
                    name: row.name,
                    program_title: row.program_title,
                    status: row.status.parse()?,
                    start_date: row.start_date,
                    end_date: row.end_date,
                    taking_part,
                })
            })
            .collect()
    }
}

impl Handler for SaveCohort {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveCohortRequest) -> Result<CohortRow> {
        actor.require_admin()?;
        let name = text("name", Some(&request.name), 120)?
            .ok_or_else(|| Error::validation("name", "enter the cohort's name"))?;
        let capacity = capacity("capacity", request.capacity)?;
        if let (Some(open), Some(close)) = (request.enrollment_open_at, request.enrollment_close_at) {
            if close <= open {
                return Err(Error::validation("enrollment_close_at", "must be after the enrollment opens"));
            }
        }
        if let (Some(start), Some(end)) = (request.start_date, request.end_date) {
            if end < start {
                return Err(Error::validation("end_date", "cannot be before the start date"));
            }
        }
        let mut tx = hub.begin().await?;
        let id = match request.id {
            None => {
                let program_id = request.program_id.ok_or_else(|| Error::validation("program_id", "choose a program"))?;
                sqlx::query_scalar!(
                    "insert into cohorts (program_id, name, allow_applications, capacity, enrollment_open_at,
                                          enrollment_close_at, start_date, end_date)
                     select p.id, $2, $3, coalesce($4, p.default_capacity), $5, $6, $7, $8
                       from programs p where p.id = $1
                     returning id",
                    program_id,
                    name,
                    request.allow_applications,
                    capacity,
                    request.enrollment_open_at,
                    request.enrollment_close_at,
                    request.start_date,
                    request.end_date
                )
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::validation("program_id", "there is no such program"))?
            }
            Some(id) => sqlx::query_scalar!(
                "update cohorts set name = $2, allow_applications = $3, capacity = $4, enrollment_open_at = $5,
                                    enrollment_close_at = $6, start_date = $7, end_date = $8
                  where id = $1 returning id",
                id,
                name,
                request.allow_applications,
                capacity,
                request.enrollment_open_at,
                request.enrollment_close_at,
                request.start_date,
                request.end_date
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound(format!("cohort {id}")))?,
        };
        tx.commit().await?;
        cohort(hub.pool(), id).await
    }
}

impl Handler for SetCohortStatus {
    async fn handle(hub: &Hub, actor: &Actor, request: SetCohortStatusRequest) -> Result<CohortRow> {
        let admin = actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let current = sqlx::query!(
            "select c.status, c.name, c.start_date, p.title as program_title
               from cohorts c join programs p on p.id = c.program_id where c.id = $1 for update of c",
            request.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("cohort {}", request.id)))?;
        let from: CohortStatus = current.status.parse()?;
        if from == request.status {
            tx.commit().await?;
            return cohort(hub.pool(), request.id).await;
        }
        if !from.next().contains(&request.status) {
            let allowed: Vec<&str> = from.next().iter().map(|status| status.as_str()).collect();
            let allowed =
                if allowed.is_empty() { "none: it is final".to_owned() } else { allowed.join(", ") };
            return Err(Error::validation(
                "status",
                format!(
                    "a cohort cannot go from {} to {}; from {} it may go to {allowed}",
                    from.as_str(),
                    request.status.as_str(),
                    from.as_str()
                ),
            ));
        }
        sqlx::query!("update cohorts set status = $2 where id = $1", request.id, request.status.as_str())
            .execute(&mut *tx)
            .await?;
        if request.status == CohortStatus::ComingSoon {
            // The website hears of it once, however often the status goes back and forth.
            let starting = current
                .start_date
                .map(|date| format!(", starting {}", date.format("%-d %B %Y")))
                .unwrap_or_default();
            sqlx::query!(
                "insert into announcements (title, body, target_audience, cohort_id, is_auto, is_published, created_by)
                 select $2, $3, 'website', $1, true, true, $4
                  where not exists (select 1 from announcements where cohort_id = $1 and is_auto)",
                request.id,
                format!("Coming soon: {} — {}", current.program_title, current.name),
                format!("A new cohort of {} is coming soon{starting}. Applications open shortly.", current.program_title),
                admin.id
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        cohort(hub.pool(), request.id).await
    }
}

impl Handler for AssignInstructor {
    async fn handle(hub: &Hub, actor: &Actor, request: AssignInstructorRequest) -> Result<CohortRow> {
        actor.require_admin()?;
        let teaches = sqlx::query_scalar!("select is_instructor from users where id = $1", request.user_id)
            .fetch_optional(hub.pool())
            .await?
            .ok_or_else(|| Error::validation("user_id", "there is no such user"))?;
        if !teaches {
            return Err(Error::validation(
                "user_id",
                "is not an instructor: give them the instructor role first",
            ));
        }
        let mut tx = hub.begin().await?;
        sqlx::query!(
            "insert into cohort_instructors (cohort_id, instructor_user_id, cohort_role) values ($1, $2, $3)
             on conflict (cohort_id, instructor_user_id) do update set cohort_role = excluded.cohort_role",
            request.cohort_id,
            request.user_id,
            request.cohort_role.as_str()
        )
        .execute(&mut *tx)
        .await
        .map_err(|error| match violated_constraint(&error) {
            Some("cohort_instructors_cohort_id_fkey") => {
                Error::NotFound(format!("cohort {}", request.cohort_id))
            }
            _ => Error::Db(error),
        })?;
        tx.commit().await?;
        cohort(hub.pool(), request.cohort_id).await
    }
}

impl Handler for RemoveInstructor {
    async fn handle(hub: &Hub, actor: &Actor, request: RemoveInstructorRequest) -> Result<CohortRow> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        sqlx::query!(
            "delete from cohort_instructors where cohort_id = $1 and instructor_user_id = $2",
            request.cohort_id,
            request.user_id
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        cohort(hub.pool(), request.cohort_id).await
    }
}

impl Handler for CompleteCohort {
    async fn handle(hub: &Hub, actor: &Actor, request: CompleteCohortRequest) -> Result<CohortCompleted> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let status =
            sqlx::query_scalar!("select status from cohorts where id = $1 for update", request.cohort_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::NotFound(format!("cohort {}", request.cohort_id)))?;
        // Completed already: its students still active may be completed now.
        let from: CohortStatus = status.parse()?;
        if from != CohortStatus::Completed {
            if !from.next().contains(&CohortStatus::Completed) {
                return Err(Error::validation(
                    "cohort_id",
                    format!(
                        "a {} cohort cannot be completed: it must be running",
                        from.label().to_lowercase()
                    ),
                ));
            }
            sqlx::query!("update cohorts set status = 'completed' where id = $1", request.cohort_id)
                .execute(&mut *tx)
                .await?;
        }
        let mut completed = 0;
        if request.enrollments {
            let students = sqlx::query_scalar!(
                "update enrollments set status = 'completed' where cohort_id = $1 and status = 'active'
                 returning student_user_id",
                request.cohort_id
            )
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query!(
                "update student_profiles set status = 'graduated' where user_id = any($1)",
                &students
            )
            .execute(&mut *tx)
            .await?;
            completed = crate::enrollments::count(students.len());
        }
        tx.commit().await?;
        Ok(CohortCompleted { completed })
    }
}
