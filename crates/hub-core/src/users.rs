//! Users: the accounts people sign in with, administered by admins (`users.*`), and what
//! operators need from `hubctl` to bootstrap a hub.
//!
//! Architecture Invariant: no change leaves the hub without an active administrator; the
//! check locks the active admins' rows, so two admins demoting each other cannot both win.

use crate::account_codes::{self, Purpose};
use crate::error::violated_constraint;
use crate::mail::messages::Brand;
use crate::ops::Handler;
use crate::paging::Paging;
use crate::staff_sessions::{self, RevokeReason};
use crate::{lockout, password, Actor, Error, Hub, Result};
use hub_model::attendance::CsvFile;
use hub_model::auth::{ResetPasswordRequest, ResetPasswordResponse};
use hub_model::import::PERSON_COLUMNS;
use hub_model::input::{Email, NewPassword, PersonName, Phone};
use hub_model::ops::{
    CreateUser, ExportPeople, GetUser, InviteUser, ListUsers, ResetPassword, SetActive, SetRoles, UpdateUser,
};
use hub_model::users::{
    CreateUserRequest, CreatedUser, InvitationSent, ListUsersRequest, Role, SetActiveRequest,
    SetRolesRequest, UpdateUserRequest, UserIdRequest, UserPage, UserSort, UserSummary,
};
use sqlx::{PgConnection, PgPool};

/// Creates an administrator with a (private) manager profile holding their name.
/// Used by `hubctl create-admin` to bootstrap a hub, so it needs no actor.
pub async fn create_admin(
    pool: &PgPool,
    email: &Email,
    name: &PersonName,
    password: &NewPassword,
) -> Result<i64> {
    let password_hash = password::hash_blocking(password.expose().to_owned()).await?;
    let mut tx = pool.begin().await?;
    let user_id = sqlx::query_scalar!(
        "insert into users (email, password_hash, is_admin) values ($1, $2, true) returning id",
        email.as_str(),
        password_hash,
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|error| match violated_constraint(&error) {
        Some("users_email_key") => Error::Conflict(format!("a user with email {email} already exists")),
        _ => Error::Db(error),
    })?;
    add_profiles(&mut tx, user_id, name, (true, false, false)).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// The id of the user with this email, for operators acting as someone (`hubctl call --as`).
pub async fn id_by_email(pool: &PgPool, email: &Email) -> Result<i64> {
    sqlx::query_scalar!("select id from users where email = $1", email.as_str())
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| Error::NotFound(format!("a user with email {email}")))
}

/// One user as admins see them.
pub async fn summary(connection: &mut PgConnection, id: i64) -> Result<UserSummary> {
    sqlx::query_as!(
        UserSummary,
        r#"select u.id, u.email, u.phone, u.is_admin, u.is_instructor, u.is_student, u.is_active,
                  u.password_hash like '!%' as "awaiting_password!",
                  u.last_login_at, u.created_at, d.display_name as full_name, user_avatar(u.id) as avatar_url
             from users u
             join user_directory d on d.user_id = u.id
            where u.id = $1"#,
        id
    )
    .fetch_optional(connection)
    .await?
    .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

/// A profile for each role the user holds and lacks one for, named `name`. Manager profiles
/// made here are private: making a manager public is a deliberate edit.
pub(crate) async fn add_profiles(
    connection: &mut PgConnection,
    id: i64,
    name: &PersonName,
    (admin, instructor, student): (bool, bool, bool),
) -> Result<()> {
    sqlx::query!(
        "with manager as (
             insert into manager_profiles (user_id, full_name, is_public) select $1, $2, false where $3
             on conflict (user_id) do nothing),
         instructor as (
             insert into instructor_profiles (user_id, full_name) select $1, $2 where $4
             on conflict (user_id) do nothing)
         insert into student_profiles (user_id, full_name) select $1, $2 where $5
         on conflict (user_id) do nothing",
        id,
        name.as_str(),
        admin,
        instructor,
        student
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// Contact details parsed, at least one of them present.
fn contact(email: Option<&str>, phone: Option<&str>) -> Result<(Option<Email>, Option<Phone>)> {
    fn present(value: Option<&str>) -> Option<&str> {
        value.map(str::trim).filter(|value| !value.is_empty())
    }
    let email = present(email).map(|email| Email::parse("email", email)).transpose()?;
    let phone = present(phone).map(|phone| Phone::parse("phone", phone)).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::validation("email", "enter an email address or a phone number"));
    }
    Ok((email, phone))
}

/// Refuses a phone number another account already uses, however either was typed.
async fn ensure_phone_free(connection: &mut PgConnection, phone: Option<&Phone>, except: i64) -> Result<()> {
    let Some(phone) = phone else {
        return Ok(());
    };
    let taken = sqlx::query_scalar!(
        r#"select exists(select 1 from users
                          where regexp_replace(phone, '[^0-9]', '', 'g') = $1 and id <> $2) as "taken!""#,
        phone.digits(),
        except
    )
    .fetch_one(connection)
    .await?;
    if taken {
        return Err(Error::validation("phone", "is already used by another account"));
    }
    Ok(())
}

fn duplicate_contact(error: sqlx::Error) -> Error {
    match violated_constraint(&error) {
        Some("users_email_key") => Error::validation("email", "is already used by another account"),
        Some("users_phone_key") => Error::validation("phone", "is already used by another account"),
        _ => Error::Db(error),
    }
}

/// Refuses a change to `id` that would leave no active administrator.
async fn keep_an_active_admin(
    connection: &mut PgConnection,
    id: i64,
    stays_active_admin: bool,
) -> Result<()> {
    if stays_active_admin {
        return Ok(());
    }
    let admins =
        sqlx::query_scalar!("select id from users where is_admin and is_active order by id for update")
            .fetch_all(connection)
            .await?;
    if admins.iter().all(|admin| *admin == id) && admins.contains(&id) {
        return Err(Error::Conflict(
            "this is the last active administrator: make someone else an administrator first".to_owned(),
        ));
    }
    Ok(())
}

impl Handler for ListUsers {
    async fn handle(hub: &Hub, actor: &Actor, request: ListUsersRequest) -> Result<UserPage> {
        actor.require_admin()?;
        let paging = Paging::parse(request.page, request.per_page, 200)?;
        let filter = ListFilter::parse(&request);
        // The page and the count apart: a count over the page's own query (a window) would
        // walk every match to find 25 of them.
        let (rows, total) = tokio::try_join!(
            fetch_users(hub.pool(), &filter, paging.limit(), paging.offset()),
            count_users(hub.pool(), &filter)
        )?;
        Ok(UserPage { items: rows, total, page: paging.page, per_page: paging.per_page })
    }
}

/// The most people one export holds.
const EXPORT_LIMIT: i64 = 100_000;

impl Handler for ExportPeople {
    async fn handle(hub: &Hub, actor: &Actor, request: ListUsersRequest) -> Result<CsvFile> {
        actor.require_admin()?;
        let people = fetch_users(hub.pool(), &ListFilter::parse(&request), EXPORT_LIMIT, 0).await?;
        let ids: Vec<i64> = people.iter().map(|person| person.id).collect();
        // Each person's cohort (the latest they are active in, else the latest) and profile.
        let details = sqlx::query!(
            r#"select u.id as "id!",
                      (select c.name from enrollments e join cohorts c on c.id = e.cohort_id
                        where e.student_user_id = u.id
                        order by e.status = 'active' desc, e.enrolled_at desc, e.id desc limit 1) as cohort,
                      p.bio, p.linkedin_url, p.github_url, p.portfolio_url
                 from unnest($1::bigint[]) as u(id)
                 left join lateral person_profile_fields(u.id) p on true"#,
            &ids
        )
        .fetch_all(hub.pool())
        .await?;
        let details: std::collections::HashMap<i64, _> =
            details.into_iter().map(|row| (row.id, row)).collect();
        let header: Vec<&str> = PERSON_COLUMNS.iter().map(|(_, label)| *label).collect();
        let rows = people.iter().map(|person| {
            let roles: Vec<&str> = [
                (person.is_student, "student"),
                (person.is_instructor, "instructor"),
                (person.is_admin, "admin"),
            ]
            .into_iter()
            .filter_map(|(has, role)| has.then_some(role))
            .collect();
            let detail = details.get(&person.id);
            let field = |get: fn(&_) -> Option<String>| detail.and_then(get).unwrap_or_default();
            vec![
                person.full_name.clone(),
                person.email.clone().unwrap_or_default(),
                person.phone.clone().unwrap_or_default(),
                roles.join("; "),
                field(|row| row.cohort.clone()),
                field(|row| row.bio.clone()),
                field(|row| row.linkedin_url.clone()),
                field(|row| row.github_url.clone()),
                field(|row| row.portfolio_url.clone()),
            ]
        });
        let content = crate::text::csv_text(&header, rows)?;
        Ok(CsvFile { filename: format!("people-{}.csv", chrono::Utc::now().format("%Y-%m-%d")), content })
    }
}

/// The list's filter, once parsed.
struct ListFilter {
    /// `%search%`, lower-cased and escaped, matched against names and emails.
    pattern: Option<String>,
    /// `%digits%` when the search holds three digits or more, matched against phone digits.
    digits: Option<String>,
    role: Option<&'static str>,
    active: Option<bool>,
    sort: UserSort,
    descending: bool,
}

impl ListFilter {
    fn parse(request: &ListUsersRequest) -> Self {
        let digits: String =
            request.search.as_deref().unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
        Self {
            pattern: crate::text::like_pattern(request.search.as_deref()),
            digits: (digits.len() >= 3).then(|| format!("%{digits}%")),
            role: request.role.map(|role| match role {
                Role::Admin => "admin",
                Role::Instructor => "instructor",
                Role::Student => "student",
            }),
            active: request.active,
            sort: request.sort,
            descending: request.descending,
        }
    }
}

async fn fetch_users(
    pool: &PgPool,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<UserSummary>> {
    if filter.sort == UserSort::Name {
        return fetch_by_name(pool, filter, limit, offset).await;
    }
    sqlx::query_as!(
        UserSummary,
            r#"select u.id, u.email, u.phone, u.is_admin, u.is_instructor, u.is_student, u.is_active,
                      u.password_hash like '!%' as "awaiting_password!",
                      u.last_login_at, u.created_at, d.display_name as full_name, user_avatar(u.id) as avatar_url
                 from user_directory d
                 join users u on u.id = d.user_id
                where ($1::text is null or d.haystack like $1 or ($2::text is not null and d.haystack like $2))
                  and ($3::text is null
                       or ($3 = 'admin' and d.is_admin) or ($3 = 'instructor' and d.is_instructor)
                       or ($3 = 'student' and d.is_student))
                  and ($4::bool is null or d.is_active = $4)
                order by
                  case when $5 = 'email' and not $6 then u.email end asc nulls last,
                  case when $5 = 'email' and $6 then u.email end desc nulls last,
                  case when $5 = 'created_at' and not $6 then u.created_at end asc,
                  case when $5 = 'created_at' and $6 then u.created_at end desc,
                  case when $5 = 'last_login_at' and not $6 then u.last_login_at end asc nulls last,
                  case when $5 = 'last_login_at' and $6 then u.last_login_at end desc nulls last,
                  u.id
                limit $7 offset $8"#,
            filter.pattern,
            filter.digits,
            filter.role,
            filter.active,
            filter.sort.as_str(),
            filter.descending,
            limit,
            offset,
        )
        .fetch_all(pool)
        .await
        .map_err(Error::from)
}

/// The list by name, the usual order: the page is found in the directory alone (its role
/// indexes walk the names in order, migration 0011), then only its rows are joined.
async fn fetch_by_name(
    pool: &PgPool,
    filter: &ListFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<UserSummary>> {
    sqlx::query_as!(
        UserSummary,
        r#"with page as (
               select d.user_id, d.sort_name, d.display_name
                 from user_directory d
                where ($1::text is null or d.haystack like $1 or ($2::text is not null and d.haystack like $2))
                  and ($3::text is null
                       or ($3 = 'admin' and d.is_admin) or ($3 = 'instructor' and d.is_instructor)
                       or ($3 = 'student' and d.is_student))
                  and ($4::bool is null or d.is_active = $4)
                order by case when not $5 then d.sort_name end asc, case when $5 then d.sort_name end desc,
                         case when not $5 then d.user_id end asc, case when $5 then d.user_id end desc
                limit $6 offset $7)
           select u.id, u.email, u.phone, u.is_admin, u.is_instructor, u.is_student, u.is_active,
                  u.password_hash like '!%' as "awaiting_password!",
                  u.last_login_at, u.created_at, p.display_name as full_name, user_avatar(u.id) as avatar_url
             from page p join users u on u.id = p.user_id
            order by case when not $5 then p.sort_name end asc, case when $5 then p.sort_name end desc,
                     case when not $5 then p.user_id end asc, case when $5 then p.user_id end desc"#,
        filter.pattern,
        filter.digits,
        filter.role,
        filter.active,
        filter.descending,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await
    .map_err(Error::from)
}

/// How many users match the list's filter, in all.
async fn count_users(pool: &PgPool, filter: &ListFilter) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "total!" from user_directory d
            where ($1::text is null or d.haystack like $1 or ($2::text is not null and d.haystack like $2))
              and ($3::text is null
                   or ($3 = 'admin' and d.is_admin) or ($3 = 'instructor' and d.is_instructor)
                   or ($3 = 'student' and d.is_student))
              and ($4::bool is null or d.is_active = $4)"#,
        filter.pattern,
        filter.digits,
        filter.role,
        filter.active,
    )
    .fetch_one(pool)
    .await?)
}

impl Handler for GetUser {
    async fn handle(hub: &Hub, actor: &Actor, request: UserIdRequest) -> Result<UserSummary> {
        actor.require_admin()?;
        summary(&mut *hub.pool().acquire().await?, request.id).await
    }
}

impl Handler for CreateUser {
    async fn handle(hub: &Hub, actor: &Actor, request: CreateUserRequest) -> Result<CreatedUser> {
        let admin = actor.require_admin()?;
        let (email, phone) = contact(request.email.as_deref(), request.phone.as_deref())?;
        let name = PersonName::parse("full_name", &request.full_name)?;
        // Without a password of the admin's, the person chooses their own from an
        // invitation, so nobody else ever knows it.
        let password =
            match (request.password.as_deref(), &email) {
                (Some(chosen), _) => Some(NewPassword::parse("password", chosen)?),
                (None, Some(_)) => None,
                (None, None) => return Err(Error::validation(
                    "password",
                    "set their first password: without an email address they cannot be sent an invitation",
                )),
            };
        let password_hash = match password {
            Some(password) => password::hash_blocking(password.expose().to_owned()).await?,
            None => account_codes::NO_PASSWORD.to_owned(),
        };
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        ensure_phone_free(&mut tx, phone.as_ref(), 0).await?;
        let id = sqlx::query_scalar!(
            "insert into users (email, phone, password_hash, is_admin, is_instructor, is_student)
             values ($1, $2, $3, $4, $5, $6) returning id",
            email.as_ref().map(Email::as_str),
            phone.as_ref().map(Phone::as_str),
            password_hash,
            request.is_admin,
            request.is_instructor,
            request.is_student,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_contact)?;
        add_profiles(&mut tx, id, &name, (request.is_admin, request.is_instructor, request.is_student))
            .await?;
        let invitation_sent_to = if account_codes::awaiting_password(&password_hash) {
            account_codes::queue(&mut tx, &brand, id, Purpose::Invitation, Some(admin.id)).await?
        } else {
            None
        };
        let user = summary(&mut tx, id).await?;
        tx.commit().await?;
        Ok(CreatedUser { user, invitation_sent_to })
    }
}

impl Handler for UpdateUser {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateUserRequest) -> Result<UserSummary> {
        actor.require_admin()?;
        let (email, phone) = contact(request.email.as_deref(), request.phone.as_deref())?;
        let name = PersonName::parse("full_name", &request.full_name)?;
        let mut tx = hub.begin().await?;
        ensure_phone_free(&mut tx, phone.as_ref(), request.id).await?;
        let updated = sqlx::query_scalar!(
            "update users set email = $1, phone = $2 where id = $3 returning id",
            email.as_ref().map(Email::as_str),
            phone.as_ref().map(Phone::as_str),
            request.id,
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(duplicate_contact)?;
        if updated.is_none() {
            return Err(Error::NotFound(format!("user {}", request.id)));
        }
        // The name lives in each profile; they all carry the same one.
        sqlx::query!(
            "with student as (update student_profiles set full_name = $1 where user_id = $2),
                  instructor as (update instructor_profiles set full_name = $1 where user_id = $2)
             update manager_profiles set full_name = $1 where user_id = $2",
            name.as_str(),
            request.id
        )
        .execute(&mut *tx)
        .await?;
        let user = summary(&mut tx, request.id).await?;
        tx.commit().await?;
        Ok(user)
    }
}

impl Handler for SetRoles {
    async fn handle(hub: &Hub, actor: &Actor, request: SetRolesRequest) -> Result<UserSummary> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let current = summary(&mut tx, request.id).await?;
        keep_an_active_admin(&mut tx, request.id, request.is_admin && current.is_active).await?;
        sqlx::query!(
            "update users set is_admin = $1, is_instructor = $2, is_student = $3 where id = $4",
            request.is_admin,
            request.is_instructor,
            request.is_student,
            request.id,
        )
        .execute(&mut *tx)
        .await?;
        // A role granted comes with its profile, named as the person is known today.
        let name = PersonName::parse("full_name", &current.full_name)?;
        add_profiles(
            &mut tx,
            request.id,
            &name,
            (request.is_admin, request.is_instructor, request.is_student),
        )
        .await?;
        let user = summary(&mut tx, request.id).await?;
        tx.commit().await?;
        Ok(user)
    }
}

impl Handler for SetActive {
    async fn handle(hub: &Hub, actor: &Actor, request: SetActiveRequest) -> Result<UserSummary> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let current = summary(&mut tx, request.id).await?;
        keep_an_active_admin(&mut tx, request.id, request.is_active && current.is_admin).await?;
        sqlx::query!("update users set is_active = $1 where id = $2", request.is_active, request.id)
            .execute(&mut *tx)
            .await?;
        if !request.is_active {
            // Every device they are signed in on is out at once, not at its next call.
            staff_sessions::revoke_all(&mut tx, request.id, RevokeReason::Deactivated, None).await?;
        }
        let user = summary(&mut tx, request.id).await?;
        tx.commit().await?;
        Ok(user)
    }
}

impl Handler for ResetPassword {
    async fn handle(
        hub: &Hub,
        actor: &Actor,
        request: ResetPasswordRequest,
    ) -> Result<ResetPasswordResponse> {
        actor.require_admin()?;
        let (new_password, generated) = match request.new_password {
            Some(chosen) => (NewPassword::parse("new_password", &chosen)?, None),
            None => {
                let generated = password::generate();
                (NewPassword::parse("new_password", &generated)?, Some(generated))
            }
        };
        let hash = password::hash_blocking(new_password.expose().to_owned()).await?;
        let mut tx = hub.begin().await?;
        let user = sqlx::query!(
            "update users set password_hash = $1 where id = $2 returning email, phone",
            hash,
            request.id
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {}", request.id)))?;
        account_codes::use_up(&mut tx, request.id).await?;
        // Whoever knew the old password (or holds a session made with it) is out.
        staff_sessions::revoke_all(&mut tx, request.id, RevokeReason::PasswordReset, None).await?;
        // A reset also lifts any lockout on the account's identifiers.
        lockout::lift(&mut tx, user.email.as_deref(), user.phone.as_deref()).await?;
        tx.commit().await?;
        Ok(ResetPasswordResponse { generated_password: generated })
    }
}

impl Handler for InviteUser {
    async fn handle(hub: &Hub, actor: &Actor, request: UserIdRequest) -> Result<InvitationSent> {
        let admin = actor.require_admin()?;
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        let user = summary(&mut tx, request.id).await?;
        if !user.is_active {
            return Err(Error::Conflict(
                "the account is deactivated: reactivate it first, then send the code".to_owned(),
            ));
        }
        let purpose = if user.awaiting_password { Purpose::Invitation } else { Purpose::PasswordReset };
        let email = account_codes::queue(&mut tx, &brand, request.id, purpose, Some(admin.id))
            .await?
            .ok_or_else(|| {
                Error::validation(
                    "email",
                    "the account has no email address to send a code to; set a password instead",
                )
            })?;
        tx.commit().await?;
        Ok(InvitationSent { email })
    }
}
