//! Reviewing applications: an approval makes (or finds) the student and enrolls them in one
//! transaction, never past the cohort's capacity however many admins approve at once; a
//! freed seat (here or in `crate::enrollments`) offers the oldest waitlisted application.
//! Each decision is mailed to the applicant in its transaction (once per application and
//! decision, however often an admin changes their mind).

use crate::account_codes::Purpose;
use crate::mail::messages::{ApplicationApproved, ApplicationRejected, ApplicationWaitlisted, Brand};
use crate::mail::outbox;
use crate::ops::Handler;
use crate::paging::{self, Paging};
use crate::{Actor, Error, Hub, Result};
use hub_model::applications::{
    Answer, ApplicationDetail, ApplicationRow, ApplicationStatus, Approved, DecideApplicationRequest,
    DecideManyRequest, Decided, DecidedMany, FunnelRow, LeftAsItWas, ListApplicationsRequest,
    DECIDE_MANY_MAX,
};
use hub_model::attendance::CsvFile;
use hub_model::cms::IdRequest;
use hub_model::input::PersonName;
use hub_model::ops::{
    ApplicationFunnel, ApproveApplication, DecideApplication, DecideApplications, ExportApplications,
    GetApplication, ListApplications,
};
use hub_model::page::Page;
use hub_model::NoRequest;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

struct Row {
    id: i64,
    cohort_id: i64,
    cohort_name: String,
    program_title: String,
    full_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    status: String,
    submitted_at: chrono::DateTime<chrono::Utc>,
    reviewed_by: Option<String>,
    reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    enrollment_id: Option<i64>,
    total: i64,
}

impl TryFrom<Row> for ApplicationRow {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self> {
        Ok(Self {
            id: row.id,
            cohort_id: row.cohort_id,
            cohort_name: row.cohort_name,
            program_title: row.program_title,
            full_name: row.full_name,
            email: row.email,
            phone: row.phone,
            status: row.status.parse()?,
            submitted_at: row.submitted_at,
            reviewed_by: row.reviewed_by,
            reviewed_at: row.reviewed_at,
            enrollment_id: row.enrollment_id,
        })
    }
}

async fn rows(
    connection: &mut PgConnection,
    filter: &ListApplicationsRequest,
    id: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Row>> {
    let pattern = crate::text::like_pattern(filter.search.as_deref());
    Ok(sqlx::query_as!(
        Row,
        r#"select a.id, a.cohort_id, c.name as cohort_name, p.title as program_title,
                  ap.full_name as "full_name?", ap.email as "email?", ap.phone as "phone?", a.status, a.submitted_at,
                  d.display_name as "reviewed_by?", a.reviewed_at, e.id as "enrollment_id?",
                  count(*) over () as "total!"
             from applications a
             join cohorts c on c.id = a.cohort_id
             join programs p on p.id = c.program_id
             left join applicants ap on ap.id = a.applicant_id
             left join user_directory d on d.user_id = a.reviewed_by
             left join enrollments e on e.application_id = a.id
            where ($1::bigint is null or a.id = $1)
              and ($2::bigint is null or a.cohort_id = $2)
              and ($3::text is null or a.status = $3)
              and ($4::text is null or lower(coalesce(ap.full_name, '')) like $4 or lower(coalesce(ap.email, '')) like $4
                   or coalesce(ap.phone, '') like $4)
            order by
              case when $5 = 'name' and not $6 then lower(ap.full_name) end asc,
              case when $5 = 'name' and $6 then lower(ap.full_name) end desc,
              case when $5 = 'submitted_at' and not $6 then a.submitted_at end asc,
              case when $5 = 'submitted_at' and $6 then a.submitted_at end desc,
              a.id
            limit $7 offset $8"#,
        id,
        filter.cohort_id,
        filter.status.map(ApplicationStatus::as_str),
        pattern,
        filter.sort.as_str(),
        filter.descending,
        limit,
        offset
    )
    .fetch_all(connection)
    .await?)
}

async fn application(connection: &mut PgConnection, id: i64) -> Result<ApplicationRow> {
    rows(connection, &ListApplicationsRequest::default(), Some(id), 1, 0)
        .await
        .and_then(|rows| paging::only(rows, || format!("application {id}")))
}

impl Handler for ListApplications {
    async fn handle(
        hub: &Hub,
        actor: &Actor,
        request: ListApplicationsRequest,
    ) -> Result<Page<ApplicationRow>> {
        actor.require_admin()?;
        let (pool, request) = (hub.pool(), &request);
        Paging::parse(request.page, request.per_page, 100)?
            .fetch(
                |limit, offset| async move {
                    rows(&mut *pool.acquire().await?, request, None, limit, offset).await
                },
                |row| row.total,
                ApplicationRow::try_from,
            )
            .await
    }
}

impl Handler for GetApplication {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<ApplicationDetail> {
        actor.require_admin()?;
        let mut connection = hub.pool().acquire().await?;
        let found = application(&mut connection, request.id).await?;
        // The latest submission's answers, labelled by the form they answered.
        let answers = sqlx::query!(
            r#"select kv.key as "name!", coalesce(f.label, kv.key) as "label!", kv.value as "value!"
                 from (select answers, form_id from application_submissions
                        where application_id = $1 order by created_at desc, id desc limit 1) s
                 cross join lateral jsonb_each(s.answers) kv
                 left join form_fields f on f.form_id = s.form_id and f.name = kv.key
                order by f.sort_order nulls last, f.id, kv.key"#,
            request.id
        )
        .fetch_all(&mut *connection)
        .await?
        .into_iter()
        .map(|row| Answer { name: row.name, label: row.label, value: row.value })
        .collect();
        Ok(ApplicationDetail { application: found, answers })
    }
}

/// An answer as a spreadsheet cell: text as written, yes or no, a list joined.
fn answer_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(answer_cell).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// The most applications one export holds.
const EXPORT_LIMIT: i64 = 100_000;

impl Handler for ExportApplications {
    async fn handle(hub: &Hub, actor: &Actor, request: ListApplicationsRequest) -> Result<CsvFile> {
        actor.require_admin()?;
        let mut connection = hub.pool().acquire().await?;
        let found = rows(&mut connection, &request, None, EXPORT_LIMIT, 0).await?;
        let ids: Vec<i64> = found.iter().map(|row| row.id).collect();
        // Each application's latest answers, labelled by the form they answered.
        let answers = sqlx::query!(
            r#"select s.application_id as "application_id!", kv.key as "name!",
                      coalesce(f.label, kv.key) as "label!", kv.value as "value!", f.sort_order as "sort_order?"
                 from (select distinct on (application_id) application_id, answers, form_id
                         from application_submissions where application_id = any($1)
                        order by application_id, created_at desc, id desc) s
                 cross join lateral jsonb_each(s.answers) kv
                 left join form_fields f on f.form_id = s.form_id and f.name = kv.key"#,
            &ids
        )
        .fetch_all(&mut *connection)
        .await?;
        // A column per question, in the form's order; name, email and phone have theirs.
        let mut questions: Vec<(Option<i32>, String, String)> = Vec::new();
        for answer in &answers {
            if ["full_name", "email", "phone"].contains(&answer.name.as_str()) {
                continue;
            }
            match questions.iter_mut().find(|(_, name, _)| *name == answer.name) {
                Some(question) => question.0 = question.0.min(answer.sort_order).or(answer.sort_order),
                None => questions.push((answer.sort_order, answer.name.clone(), answer.label.clone())),
            }
        }
        questions.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
        let mut by_application: HashMap<(i64, &str), &Value> = HashMap::new();
        for answer in &answers {
            by_application.insert((answer.application_id, answer.name.as_str()), &answer.value);
        }
        let mut header = vec![
            "Applicant",
            "Email",
            "Phone",
            "Program",
            "Cohort",
            "Status",
            "Sent",
            "Reviewed by",
            "Reviewed at",
        ];
        header.extend(questions.iter().map(|(_, _, label)| label.as_str()));
        let time = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let lines = found.into_iter().map(|row| {
            let mut line = vec![
                row.full_name.unwrap_or_default(),
                row.email.unwrap_or_default(),
                row.phone.unwrap_or_default(),
                row.program_title,
                row.cohort_name,
                row.status,
                time(row.submitted_at),
                row.reviewed_by.unwrap_or_default(),
                row.reviewed_at.map(time).unwrap_or_default(),
            ];
            line.extend(questions.iter().map(|(_, name, _)| {
                by_application
                    .get(&(row.id, name.as_str()))
                    .map(|value| answer_cell(value))
                    .unwrap_or_default()
            }));
            line
        });
        let content = crate::text::csv_text(&header, lines)?;
        Ok(CsvFile {
            filename: format!("applications-{}.csv", chrono::Utc::now().format("%Y-%m-%d")),
            content,
        })
    }
}

/// The cohort's seats, its row locked: approvals and enrollments in it wait their turn.
/// The count is a statement of its own, after the lock: one statement's snapshot is taken
/// before it waits, and would miss the seats taken by those it waited for.
pub(crate) async fn lock_seats(connection: &mut PgConnection, cohort_id: i64) -> Result<(i64, Option<i32>)> {
    sqlx::query_scalar!("select id from cohorts where id = $1 for update", cohort_id)
        .fetch_optional(&mut *connection)
        .await?
        .ok_or_else(|| Error::NotFound(format!("cohort {cohort_id}")))?;
    let seats = sqlx::query!(
        r#"select cohort_seats_used(c) as "used!", cohort_capacity(c) as capacity from cohorts c where c.id = $1"#,
        cohort_id
    )
    .fetch_one(&mut *connection)
    .await?;
    Ok((seats.used, seats.capacity))
}

pub(crate) fn full(used: i64, capacity: Option<i32>) -> Option<Error> {
    let capacity = capacity?;
    (used >= i64::from(capacity)).then(|| {
        Error::Conflict(format!(
            "the cohort is full ({used} of {capacity} seats taken): raise its capacity, free a seat, or waitlist the application"
        ))
    })
}

/// The oldest waitlisted application of the cohort, when a seat is free for it.
pub(crate) async fn promotion(
    connection: &mut PgConnection,
    cohort_id: i64,
) -> Result<Option<ApplicationRow>> {
    let (used, capacity) = lock_seats(connection, cohort_id).await?;
    if full(used, capacity).is_some() {
        return Ok(None);
    }
    let oldest = sqlx::query_scalar!(
        "select id from applications where cohort_id = $1 and status = 'waitlisted' order by submitted_at, id limit 1",
        cohort_id
    )
    .fetch_optional(&mut *connection)
    .await?;
    match oldest {
        Some(id) => Ok(Some(application(connection, id).await?)),
        None => Ok(None),
    }
}

impl Handler for ApproveApplication {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<Approved> {
        let admin = actor.require_admin()?;
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let approved = approve(&mut tx, &brand, admin.id, request.id).await?;
        tx.commit().await?;
        Ok(approved)
    }
}

/// Approves application `id` in `tx`: the student found or made, enrolled, told; refused
/// when the cohort is full (its seats locked until `tx` ends).
async fn approve(tx: &mut PgConnection, brand: &Brand, admin_id: i64, id: i64) -> Result<Approved> {
    // The name and phone this application gave (its own submission's answers), not
    // whatever a later form with the same email said: the applicant row is never
    // changed by a visitor, and each submission keeps its own words.
    let applied = sqlx::query!(
        r#"select a.cohort_id, a.status,
                  coalesce(nullif(trim(s.answers ->> 'full_name'), ''), ap.full_name) as "full_name?",
                  ap.email as "email?",
                  coalesce(nullif(trim(s.answers ->> 'phone'), ''), ap.phone) as "phone?"
             from applications a
             left join applicants ap on ap.id = a.applicant_id
             left join lateral (select answers from application_submissions
                                 where application_id = a.id order by created_at desc, id desc limit 1) s on true
            where a.id = $1 for update of a"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::NotFound(format!("application {id}")))?;
    if applied.status == "approved" {
        return Err(Error::Conflict("the application is approved already".to_owned()));
    }
    let (used, capacity) = lock_seats(&mut *tx, applied.cohort_id).await?;
    if let Some(refusal) = full(used, capacity) {
        return Err(refusal);
    }
    let email = applied.email.as_deref().map(|email| email.trim().to_lowercase());
    // The same person is the same email; a phone is only trusted when there is no email
    // (a phone shared with someone else's account must not hand them the enrollment).
    let existing = sqlx::query!(
        "select id, is_active from users
          where case when $1::text is not null then lower(email) = $1 else phone = $2 end",
        email,
        applied.phone
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(user) = existing.as_ref().filter(|user| !user.is_active) {
        return Err(Error::Conflict(format!(
            "the applicant's account (user {}) is deactivated; reactivate it in Users, then approve",
            user.id
        )));
    }
    let existing = existing.map(|user| user.id);
    let name = applied.full_name.as_deref().or(email.as_deref()).unwrap_or("Student");
    let name = PersonName::parse("full_name", name)
        .or_else(|_| PersonName::parse("full_name", "New student"))
        .map_err(|error| Error::validation("full_name", error.message))?;
    // A new account has no password: its person chooses one with the code their
    // invitation brings (no password work under the cohort's seat lock).
    let (student_id, new_account) = match existing {
        Some(user_id) => {
            sqlx::query!("update users set is_student = true where id = $1", user_id)
                .execute(&mut *tx)
                .await?;
            (user_id, false)
        }
        None => {
            // The phone stays with the applicant when another account already has it.
            let user_id = sqlx::query_scalar!(
                "insert into users (email, phone, password_hash, is_student)
                 values ($1, (select $2::text where not exists (select 1 from users where phone = $2)), $3, true)
                 returning id",
                email,
                applied.phone,
                crate::account_codes::NO_PASSWORD
            )
            .fetch_one(&mut *tx)
            .await?;
            (user_id, true)
        }
    };
    crate::users::add_profiles(&mut *tx, student_id, &name, (false, false, true)).await?;
    sqlx::query!(
        "insert into enrollments (student_user_id, cohort_id, application_id) values ($1, $2, $3)
         on conflict (student_user_id, cohort_id)
         do update set status = 'active', application_id = excluded.application_id",
        student_id,
        applied.cohort_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update applications set status = 'approved', reviewed_by = $2, reviewed_at = now() where id = $1",
        id,
        admin_id
    )
    .execute(&mut *tx)
    .await?;
    let approved = application(&mut *tx, id).await?;
    tell_applicant(&mut *tx, brand, &approved, new_account).await?;
    let invitation_sent_to = if new_account {
        crate::account_codes::queue(&mut *tx, brand, student_id, Purpose::Invitation, Some(admin_id)).await?
    } else {
        None
    };
    Ok(Approved { application: approved, student_id, new_account, invitation_sent_to })
}

impl Handler for DecideApplication {
    async fn handle(hub: &Hub, actor: &Actor, request: DecideApplicationRequest) -> Result<Decided> {
        let admin = actor.require_admin()?;
        if request.status == ApplicationStatus::Approved {
            return Err(Error::validation(
                "status",
                "approve with applications.approve: it enrolls the student",
            ));
        }
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let decided = decide(&mut tx, &brand, admin.id, request).await?;
        tx.commit().await?;
        Ok(decided)
    }
}

/// Rejects, waitlists or reopens an application in `tx` (never approves: see [`approve`]);
/// withdrawing an approval drops its enrollment and offers the freed seat.
async fn decide(
    tx: &mut PgConnection,
    brand: &Brand,
    admin_id: i64,
    request: DecideApplicationRequest,
) -> Result<Decided> {
    let current =
        sqlx::query!("select cohort_id, status from applications where id = $1 for update", request.id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| Error::NotFound(format!("application {}", request.id)))?;
    // Withdrawing an approval frees the seat its enrollment held.
    let withdrawn = current.status == "approved";
    if withdrawn {
        sqlx::query!("update enrollments set status = 'dropped' where application_id = $1", request.id)
            .execute(&mut *tx)
            .await?;
    }
    let pending = request.status == ApplicationStatus::Pending;
    sqlx::query!(
        "update applications set status = $2,
                reviewed_by = case when $4 then null else $3::bigint end,
                reviewed_at = case when $4 then null else now() end
          where id = $1",
        request.id,
        request.status.as_str(),
        admin_id,
        pending
    )
    .execute(&mut *tx)
    .await
    .map_err(|error| match crate::error::violated_constraint(&error) {
        Some("applications_one_active_per_applicant_idx") => Error::Conflict(
            "the applicant has another active application to this cohort; decide that one instead".to_owned(),
        ),
        _ => error.into(),
    })?;
    let promotion = if withdrawn { promotion(&mut *tx, current.cohort_id).await? } else { None };
    let decided = application(&mut *tx, request.id).await?;
    tell_applicant(&mut *tx, brand, &decided, false).await?;
    Ok(Decided { application: decided, promotion })
}

impl Handler for DecideApplications {
    async fn handle(hub: &Hub, actor: &Actor, request: DecideManyRequest) -> Result<DecidedMany> {
        let admin = actor.require_admin()?;
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let chosen: Vec<i64> = match &request.filtered {
            Some(filter) => {
                let limit = i64::try_from(DECIDE_MANY_MAX).unwrap_or(i64::MAX) + 1;
                rows(&mut tx, filter, None, limit, 0).await?.into_iter().map(|row| row.id).collect()
            }
            None => request.ids.clone(),
        };
        if chosen.is_empty() {
            return Err(Error::validation("ids", "choose at least one application"));
        }
        if chosen.len() > DECIDE_MANY_MAX {
            return Err(Error::validation(
                "ids",
                format!("at most {DECIDE_MANY_MAX} applications at once: narrow the filter"),
            ));
        }
        // In the order they were sent: the order seats are given in, and the waitlist's.
        let ordered = sqlx::query!(
            "select a.id, a.status, a.cohort_id, p.title || ' — ' || c.name as \"cohort!\"
               from applications a join cohorts c on c.id = a.cohort_id join programs p on p.id = c.program_id
              where a.id = any($1) order by a.submitted_at, a.id",
            &chosen
        )
        .fetch_all(&mut *tx)
        .await?;
        if let Some(missing) = chosen.iter().find(|id| !ordered.iter().any(|row| row.id == **id)) {
            return Err(Error::validation("ids", format!("there is no application {missing}")));
        }
        let mut done = DecidedMany {
            status: request.status,
            decided: Vec::new(),
            waitlisted_for_seats: Vec::new(),
            full_cohorts: Vec::new(),
            unchanged: Vec::new(),
            left: Vec::new(),
            invitations: 0,
            promotions: Vec::new(),
        };
        let mut freed = Vec::new();
        for row in ordered {
            if row.status == request.status.as_str() {
                done.unchanged.push(row.id);
                continue;
            }
            // Each in a savepoint: one refused (a deactivated account, say) is left as it
            // was and the rest go ahead.
            let mut one = sqlx::Connection::begin(&mut *tx).await?;
            let outcome = match request.status {
                ApplicationStatus::Approved => {
                    let (used, capacity) = lock_seats(&mut one, row.cohort_id).await?;
                    match (full(used, capacity), capacity) {
                        (Some(_), Some(capacity)) => {
                            let seats = format!("{} ({used} of {capacity} seats)", row.cohort);
                            if !done.full_cohorts.contains(&seats) {
                                done.full_cohorts.push(seats);
                            }
                            let waitlist = DecideApplicationRequest {
                                id: row.id,
                                status: ApplicationStatus::Waitlisted,
                            };
                            let waitlisted = match row.status.as_str() {
                                "waitlisted" => Ok(()),
                                _ => decide(&mut one, &brand, admin.id, waitlist).await.map(|_| ()),
                            };
                            waitlisted.map(|()| done.waitlisted_for_seats.push(row.id))
                        }
                        _ => approve(&mut one, &brand, admin.id, row.id).await.map(|approved| {
                            done.invitations += u32::from(approved.invitation_sent_to.is_some());
                            done.decided.push(row.id);
                        }),
                    }
                }
                status => {
                    let request = DecideApplicationRequest { id: row.id, status };
                    decide(&mut one, &brand, admin.id, request).await.map(|decided| {
                        if decided.promotion.is_some() && !freed.contains(&row.cohort_id) {
                            freed.push(row.cohort_id);
                        }
                        done.decided.push(row.id);
                    })
                }
            };
            match outcome {
                Ok(()) => one.commit().await?,
                Err(refused @ (Error::Conflict(_) | Error::Validation { .. } | Error::NotFound(_))) => {
                    one.rollback().await?;
                    let application = application(&mut tx, row.id).await?;
                    done.left.push(LeftAsItWas { application, reason: refused.to_api().message });
                }
                Err(other) => return Err(other),
            }
        }
        // The seats withdrawals freed, offered once all is decided.
        for cohort_id in freed {
            done.promotions.extend(promotion(&mut tx, cohort_id).await?);
        }
        tx.commit().await?;
        Ok(done)
    }
}

/// Queues, in `tx`, the message that tells the applicant of `decided` its decision: once
/// per application and decision (an admin who changes their mind and back sends nothing
/// new). An applicant without an email, and an application back to pending, hear nothing.
async fn tell_applicant(
    tx: &mut PgConnection,
    brand: &Brand,
    decided: &ApplicationRow,
    new_account: bool,
) -> Result<()> {
    let Some(email) = decided.email.as_deref() else { return Ok(()) };
    let name = decided.full_name.as_deref().unwrap_or("applicant");
    let (cohort, program) = (decided.cohort_name.as_str(), decided.program_title.as_str());
    let composed = match decided.status {
        ApplicationStatus::Pending => return Ok(()),
        ApplicationStatus::Approved => {
            let starts =
                sqlx::query_scalar!("select start_date from cohorts where id = $1", decided.cohort_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .map(|date| date.format("%A %-d %B %Y").to_string());
            let message =
                ApplicationApproved { brand, name, cohort, program, starts, sign_in_as: email, new_account };
            message.compose()
        }
        ApplicationStatus::Waitlisted => {
            // Their place in the order a freed seat is offered in (see `promotion`).
            let place = sqlx::query_scalar!(
                r#"select count(*) as "place!" from applications w, applications a
                    where a.id = $1 and w.cohort_id = a.cohort_id and w.status = 'waitlisted'
                      and (w.submitted_at, w.id) <= (a.submitted_at, a.id)"#,
                decided.id
            )
            .fetch_one(&mut *tx)
            .await?;
            ApplicationWaitlisted { brand, name, cohort, program, place }.compose()
        }
        ApplicationStatus::Rejected => ApplicationRejected { brand, name, cohort, program }.compose(),
    };
    let event = format!("application:{}:{}", decided.id, decided.status.as_str());
    outbox::enqueue(tx, &composed.to(email, event)).await?;
    Ok(())
}

pub async fn funnel(pool: &PgPool) -> Result<Vec<FunnelRow>> {
    Ok(sqlx::query_as!(
        FunnelRow,
        r#"select c.id as cohort_id, c.name as cohort_name, p.title as program_title,
                  count(*) filter (where a.status = 'pending') as "pending!",
                  count(*) filter (where a.status = 'approved') as "approved!",
                  count(*) filter (where a.status = 'rejected') as "rejected!",
                  count(*) filter (where a.status = 'waitlisted') as "waitlisted!"
             from applications a
             join cohorts c on c.id = a.cohort_id
             join programs p on p.id = c.program_id
            group by c.id, c.name, p.title, c.start_date
            order by c.start_date desc nulls first, c.id desc"#
    )
    .fetch_all(pool)
    .await?)
}

impl Handler for ApplicationFunnel {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<FunnelRow>> {
        actor.require_admin()?;
        funnel(hub.pool()).await
    }
}
