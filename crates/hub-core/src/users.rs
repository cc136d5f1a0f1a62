//! Users: the accounts people sign in with. (Administration of users arrives with the
//! users.* operations; today this holds what operators need from `hubctl`.)

use crate::error::violated_constraint;
use crate::{password, Error, Result};
use hub_model::input::{Email, NewPassword, PersonName};
use sqlx::PgPool;

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
    sqlx::query!(
        "insert into manager_profiles (user_id, full_name, is_public) values ($1, $2, false)",
        user_id,
        name.as_str(),
    )
    .execute(&mut *tx)
    .await?;
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
