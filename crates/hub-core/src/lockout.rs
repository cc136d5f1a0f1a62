//! The sign-in lockout's keys in `login_throttle`: an account's email, or its phone number's
//! digits. Signing in (`crate::auth`) counts failures under them; a password reset
//! (`crate::users`) lifts them.

use crate::Result;
use sqlx::PgConnection;

pub(crate) fn email_key(email: &str) -> String {
    format!("email:{email}")
}

/// The digits of the number, however it was typed.
pub(crate) fn phone_key(phone: &str) -> String {
    format!("phone:{}", phone.chars().filter(char::is_ascii_digit).collect::<String>())
}

/// Clears the lockout on an account's identifiers, as a password reset does.
pub(crate) async fn lift(
    connection: &mut PgConnection,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<()> {
    let keys: Vec<String> = [email.map(email_key), phone.map(phone_key)].into_iter().flatten().collect();
    sqlx::query!("delete from login_throttle where identifier = any($1)", &keys).execute(connection).await?;
    Ok(())
}
