//! The class calendar: sessions listed for whoever may see them (admins all, instructors
//! and students their cohorts'), made and changed by admins and the cohort's instructors,
//! and recurring schedules planned, previewed and added in one go.

use crate::ops::Handler;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::attendance::SessionInfo;
use hub_model::auth::Done;
use hub_model::ops::{CreatePlan, DeleteSession, ListSessions, PlanSessions, SaveSession};
use hub_model::programs::CohortDuty;
use hub_model::sessions::{
    recurring_days, what_deleting_takes, CalendarSession, Created, DeleteSessionRequest, ListSessionsRequest,
    PlanSessionsRequest, PlannedDay, SaveSessionRequest,
};
use sqlx::PgConnection;

/// Refuses unless the actor is an administrator or one of the cohort's staff who plan its
/// sessions; answers their id.
async fn require_plans_cohort(connection: &mut PgConnection, actor: &Actor, cohort_id: i64) -> Result<i64> {
    let refusal = "only administrators and the cohort's lead and assistant instructors plan its sessions";
    Ok(actor.require_staff_of(connection, cohort_id, CohortDuty::Plan, refusal).await?.id)
}

async fn sessions(
    connection: &mut PgConnection,
    actor: &Actor,
    request: &ListSessionsRequest,
    id: Option<i64>,
) -> Result<Vec<CalendarSession>> {
    let me = actor.require_auth()?;
    sqlx::query!(
        r#"select s.id, s.cohort_id, c.name as cohort_name, p.title as program_title, s.date, s.starts_at, s.ends_at,
                  s.delivery_mode, s.location,
                  coalesce(nullif(trim(s.location), ''),
                           case when s.delivery_mode = 'remote' then 'Online'
                                else (select coalesce(nullif(trim(st.contact_info ->> 'address'), ''), st.default_event_location)
                                        from site_settings st where st.id = 1) end) as "shown_location!",
                  s.title, s.day_plan, s.description, s.session_type,
                  (select count(*) from attendance_records r where r.session_id = s.id) as "marks!",
                  $5 or exists (select 1 from cohort_staff cs where cs.cohort_id = s.cohort_id
                                   and cs.instructor_user_id = $6 and cs.cohort_role = any($7)) as "can_change!",
                  $5 or exists (select 1 from cohort_staff cs where cs.cohort_id = s.cohort_id
                                   and cs.instructor_user_id = $6 and cs.cohort_role = any($8)) as "can_delete!"
             from sessions s
             join cohorts c on c.id = s.cohort_id
             join programs p on p.id = c.program_id
            where s.date between $1 and $2
              and ($3::bigint is null or s.cohort_id = $3)
              and ($4::bigint is null or s.id = $4)
              and ($5
                   or exists (select 1 from cohort_staff cs where cs.cohort_id = s.cohort_id and cs.instructor_user_id = $6)
                   or exists (select 1 from enrollments e
                               where e.cohort_id = s.cohort_id and e.student_user_id = $6 and e.status <> 'dropped'))
            order by s.date, s.starts_at nulls first, c.name, s.id"#,
        request.from,
        request.to,
        request.cohort_id,
        id,
        me.is_admin,
        me.id,
        &CohortDuty::Plan.role_names() as &[&str],
        &CohortDuty::Remove.role_names() as &[&str]
    )
    .fetch_all(connection)
    .await?
    .into_iter()
    .map(|row| {
        Ok(CalendarSession {
            id: row.id,
            cohort_id: row.cohort_id,
            cohort_name: row.cohort_name,
            program_title: row.program_title,
            date: row.date,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            delivery_mode: row.delivery_mode.parse()?,
            location: row.location,
            shown_location: row.shown_location,
            title: row.title,
            day_plan: row.day_plan,
            description: row.description,
            session_type: row.session_type.parse()?,
            marks: row.marks,
            can_change: row.can_change,
            can_delete: row.can_delete,
        })
    })
    .collect()
}

impl Handler for ListSessions {
    async fn handle(hub: &Hub, actor: &Actor, request: ListSessionsRequest) -> Result<Vec<CalendarSession>> {
        if request.to < request.from {
            return Err(Error::validation("to", "must not be before from"));
        }
        if (request.to - request.from).num_days() > 120 {
            return Err(Error::validation("to", "ask for at most 120 days at a time"));
        }
        sessions(&mut *hub.pool().acquire().await?, actor, &request, None).await
    }
}

fn check_times(starts_at: Option<chrono::NaiveTime>, ends_at: Option<chrono::NaiveTime>) -> Result<()> {
    match (starts_at, ends_at) {
        (Some(start), Some(end)) if end <= start => {
            Err(Error::validation("ends_at", "must be after the start"))
        }
        (None, Some(_)) => Err(Error::validation("starts_at", "enter the start too, or neither")),
        _ => Ok(()),
    }
}

impl Handler for SaveSession {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveSessionRequest) -> Result<CalendarSession> {
        let mut tx = hub.begin().await?;
        let me = require_plans_cohort(&mut tx, actor, request.cohort_id).await?;
        check_times(request.starts_at, request.ends_at)?;
        let title = text("title", Some(&request.title), 200)?
            .ok_or_else(|| Error::validation("title", "enter what the day is about"))?;
        let location = text("location", request.location.as_deref(), 300)?;
        let day_plan = text("day_plan", request.day_plan.as_deref(), 10_000)?;
        let description = text("description", request.description.as_deref(), 5_000)?;
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into sessions (cohort_id, date, starts_at, ends_at, delivery_mode, location, title, day_plan,
                                       description, session_type, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
                request.cohort_id,
                request.date,
                request.starts_at,
                request.ends_at,
                request.delivery_mode.as_str(),
                location,
                title,
                day_plan,
                description,
                request.session_type.as_str(),
                me
            )
            .fetch_one(&mut *tx)
            .await?,
            Some(id) => sqlx::query_scalar!(
                "update sessions set date = $3, starts_at = $4, ends_at = $5, delivery_mode = $6, location = $7,
                                     title = $8, day_plan = $9, description = $10, session_type = $11
                  where id = $1 and cohort_id = $2 returning id",
                id,
                request.cohort_id,
                request.date,
                request.starts_at,
                request.ends_at,
                request.delivery_mode.as_str(),
                location,
                title,
                day_plan,
                description,
                request.session_type.as_str()
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound(format!("session {id} of cohort {}", request.cohort_id)))?,
        };
        let day = ListSessionsRequest { from: request.date, to: request.date, cohort_id: None };
        let saved = sessions(&mut tx, actor, &day, Some(id))
            .await?
            .pop()
            .ok_or_else(|| Error::NotFound(format!("session {id}")))?;
        tx.commit().await?;
        Ok(saved)
    }
}

impl Handler for DeleteSession {
    async fn handle(hub: &Hub, actor: &Actor, request: DeleteSessionRequest) -> Result<Done> {
        let mut tx = hub.begin().await?;
        // Locked: no mark lands between the count the person agreed to and the delete.
        let session = sqlx::query!(
            r#"select s.cohort_id, (select count(*) from attendance_records r where r.session_id = s.id) as "marks!"
                 from sessions s where s.id = $1 for update"#,
            request.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("session {}", request.id)))?;
        let refusal = "only administrators and the cohort's lead instructors delete its sessions";
        actor.require_staff_of(&mut tx, session.cohort_id, CohortDuty::Remove, refusal).await?;
        if session.marks > request.marks {
            let takes = what_deleting_takes(session.marks);
            return Err(Error::Conflict(format!(
                "marks were made since you asked. {takes} Delete again to confirm."
            )));
        }
        sqlx::query!("delete from sessions where id = $1", request.id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Done {})
    }
}

/// The plan's days, each marked when the cohort already has a session then.
async fn plan(
    connection: &mut PgConnection,
    actor: &Actor,
    request: &PlanSessionsRequest,
) -> Result<Vec<PlannedDay>> {
    require_plans_cohort(connection, actor, request.cohort_id).await?;
    check_times(request.starts_at, request.ends_at)?;
    if request.weekdays.is_empty() || request.weekdays.iter().any(|day| !(1..=7).contains(day)) {
        return Err(Error::validation("weekdays", "choose the days of the week, 1 (Monday) to 7 (Sunday)"));
    }
    let cohort = sqlx::query!("select start_date, end_date from cohorts where id = $1", request.cohort_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Error::NotFound(format!("cohort {}", request.cohort_id)))?;
    let from = request
        .from
        .or(cohort.start_date)
        .ok_or_else(|| Error::validation("from", "the cohort has no start date: enter one"))?;
    let to = request
        .to
        .or(cohort.end_date)
        .ok_or_else(|| Error::validation("to", "the cohort has no end date: enter one"))?;
    if to < from {
        return Err(Error::validation("to", "must not be before from"));
    }
    if (to - from).num_days() > 400 {
        return Err(Error::validation("to", "plan at most 400 days at a time"));
    }
    let days = recurring_days(from, to, &request.weekdays, &request.skip);
    let taken: Vec<chrono::NaiveDate> = sqlx::query_scalar!(
        "select date from sessions where cohort_id = $1 and date = any($2)",
        request.cohort_id,
        &days
    )
    .fetch_all(&mut *connection)
    .await?;
    Ok(days.into_iter().map(|date| PlannedDay { date, taken: taken.contains(&date) }).collect())
}

impl Handler for PlanSessions {
    async fn handle(hub: &Hub, actor: &Actor, request: PlanSessionsRequest) -> Result<Vec<PlannedDay>> {
        plan(&mut *hub.pool().acquire().await?, actor, &request).await
    }
}

impl Handler for CreatePlan {
    async fn handle(hub: &Hub, actor: &Actor, request: PlanSessionsRequest) -> Result<Created> {
        let title = text("title", Some(&request.title), 200)?
            .ok_or_else(|| Error::validation("title", "enter a title for the sessions, e.g. Class"))?;
        let location = text("location", request.location.as_deref(), 300)?;
        let mut tx = hub.begin().await?;
        let days: Vec<chrono::NaiveDate> = plan(&mut tx, actor, &request)
            .await?
            .into_iter()
            .filter(|day| !day.taken)
            .map(|day| day.date)
            .collect();
        let me = actor.require_auth()?.id;
        let created = sqlx::query!(
            "insert into sessions (cohort_id, date, starts_at, ends_at, delivery_mode, title, session_type, created_by,
                                   location)
             select $1, day, $3, $4, $5, $6, $7, $8, $9 from unnest($2::date[]) as day",
            request.cohort_id,
            &days,
            request.starts_at,
            request.ends_at,
            request.delivery_mode.as_str(),
            title,
            request.session_type.as_str(),
            me,
            location
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(Created { created: i64::try_from(created).unwrap_or(i64::MAX) })
    }
}

/// Refuses unless the actor is an administrator or teaches the session's cohort.
pub(crate) async fn require_teaches_session(
    connection: &mut PgConnection,
    actor: &Actor,
    session_id: i64,
) -> Result<i64> {
    let cohort_id = sqlx::query_scalar!("select cohort_id from sessions where id = $1", session_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Error::NotFound(format!("session {session_id}")))?;
    let refusal = "only the cohort's instructors and administrators see its attendance";
    actor.require_staff_of(connection, cohort_id, CohortDuty::Teach, refusal).await?;
    Ok(cohort_id)
}

/// A session as attendance and its check-in show it.
pub(crate) async fn session_info(connection: &mut PgConnection, session_id: i64) -> Result<SessionInfo> {
    sqlx::query_as!(
        SessionInfo,
        r#"select s.id, s.cohort_id, c.name as cohort_name, s.date, s.starts_at, s.ends_at, s.title
             from sessions s join cohorts c on c.id = s.cohort_id where s.id = $1"#,
        session_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("session {session_id}")))
}
