//! Who is acting. Every operation gets an [`Actor`], re-read from the database for each
//! call, so a deactivation or a revoked role takes effect on the very next operation.

use crate::{Error, Result};
use hub_model::Access;
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User(SignedIn),
}

/// A signed-in, active user and their role flags as the database holds them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: i64,
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
}

impl Actor {
    /// The actor behind a session: anonymous without one; otherwise the user, who must
    /// still exist and be active.
    pub async fn resolve(pool: &PgPool, session_user_id: Option<i64>) -> Result<Self> {
        let Some(id) = session_user_id else {
            return Ok(Self::Anonymous);
        };
        let row = sqlx::query!(
            "select is_admin, is_instructor, is_student, is_active from users where id = $1",
            id
        )
        .fetch_optional(pool)
        .await?;
        match row {
            Some(row) if row.is_active => Ok(Self::User(SignedIn {
                id,
                is_admin: row.is_admin,
                is_instructor: row.is_instructor,
                is_student: row.is_student,
            })),
            Some(_) => Err(Error::Unauthenticated(
                "this account has been deactivated; ask an administrator".to_owned(),
            )),
            None => Err(Error::Unauthenticated("this account no longer exists".to_owned())),
        }
    }

    pub fn signed_in(&self) -> Option<&SignedIn> {
        match self {
            Self::Anonymous => None,
            Self::User(user) => Some(user),
        }
    }

    /// Refuses with `refusal` unless the actor is an administrator or one of the cohort's
    /// instructors: who plans a cohort's sessions, marks and corrects its attendance, and
    /// reads its reports.
    pub async fn require_staff_of(
        &self,
        connection: &mut sqlx::PgConnection,
        cohort_id: i64,
        refusal: &str,
    ) -> Result<&SignedIn> {
        let me = self.require_auth()?;
        if me.is_admin {
            return Ok(me);
        }
        let teaches = sqlx::query_scalar!(
            r#"select exists(select 1 from cohort_instructors where cohort_id = $1 and instructor_user_id = $2) as "teaches!""#,
            cohort_id,
            me.id
        )
        .fetch_one(connection)
        .await?;
        if teaches {
            Ok(me)
        } else {
            Err(Error::Forbidden(refusal.to_owned()))
        }
    }

    /// Checks an operation's declared access rule.
    pub fn require(&self, access: Access) -> Result<()> {
        match access {
            Access::Anyone => Ok(()),
            Access::Authenticated => self.require_auth().map(drop),
            Access::Admin => self.require_admin().map(drop),
            Access::Instructor => self.require_instructor().map(drop),
            Access::Student => self.require_student().map(drop),
        }
    }

    pub fn require_auth(&self) -> Result<&SignedIn> {
        self.signed_in().ok_or_else(|| Error::Unauthenticated("sign in first".to_owned()))
    }

    pub fn require_admin(&self) -> Result<&SignedIn> {
        self.require_role(|user| user.is_admin, "administrators")
    }

    pub fn require_instructor(&self) -> Result<&SignedIn> {
        self.require_role(|user| user.is_instructor, "instructors")
    }

    pub fn require_student(&self) -> Result<&SignedIn> {
        self.require_role(|user| user.is_student, "students")
    }

    fn require_role(&self, has_role: impl Fn(&SignedIn) -> bool, who: &str) -> Result<&SignedIn> {
        let user = self.require_auth()?;
        if has_role(user) {
            Ok(user)
        } else {
            Err(Error::Forbidden(format!("only {who} may do this")))
        }
    }
}
