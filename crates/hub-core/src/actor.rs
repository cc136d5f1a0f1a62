//! Who is acting. Every operation gets an [`Actor`], re-read from the database for each
//! call, so a deactivation or a revoked role takes effect on the very next operation.
//!
//! A call arrives as a [`Caller`]: a session's bearer token over the network (the hub
//! server), a user id (operators' `hubctl call --as`, tests in process), or nobody.

use crate::{staff_sessions, Error, Hub, Result};
use hub_model::auth::SessionToken;
use hub_model::programs::CohortDuty;
use hub_model::Access;
use std::net::IpAddr;

/// Who a call says it comes from, before anything is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub credentials: Credentials,
    /// The client's network address, for calls that came over the network; `None` for an
    /// operator on the server or a test in process.
    pub address: Option<IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    /// A user, trusted as given: only code on the server side (an operator with the
    /// database's credentials, a test) may say this.
    User(i64),
    /// A session's bearer token, checked against `staff_sessions`.
    Session(SessionToken),
}

impl Caller {
    pub fn anonymous() -> Self {
        Self { credentials: Credentials::None, address: None }
    }

    pub fn user(id: i64) -> Self {
        Self { credentials: Credentials::User(id), address: None }
    }

    /// A request over the network, with a session's token or none.
    pub fn remote(token: Option<SessionToken>, address: IpAddr) -> Self {
        let credentials = token.map_or(Credentials::None, Credentials::Session);
        Self { credentials, address: Some(address) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    user: Option<SignedIn>,
    /// Where the call came from over the network (see [`Caller::address`]).
    address: Option<IpAddr>,
}

/// A signed-in, active user and their role flags as the database holds them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: i64,
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
    /// The session the call came with (`None` for an operator's `--as`).
    pub session_id: Option<i64>,
}

impl Actor {
    /// Nobody signed in, calling from `address` (or from the server itself).
    pub fn anonymous(address: Option<IpAddr>) -> Self {
        Self { user: None, address }
    }

    /// The actor behind a call: anonymous without credentials; otherwise the user, whose
    /// session must be live and who must still exist and be active.
    pub async fn resolve(hub: &Hub, caller: &Caller) -> Result<Self> {
        let user = match &caller.credentials {
            Credentials::None => None,
            Credentials::User(id) => Some(user_by_id(hub, *id).await?),
            Credentials::Session(token) => {
                Some(staff_sessions::authenticate(hub, token, caller.address).await?)
            }
        };
        Ok(Self { user, address: caller.address })
    }

    /// The user with this id acting on the server's side (no session).
    pub async fn of_user(hub: &Hub, id: i64) -> Result<Self> {
        Self::resolve(hub, &Caller::user(id)).await
    }

    pub fn signed_in(&self) -> Option<&SignedIn> {
        self.user.as_ref()
    }

    /// The client's network address, for calls over the network.
    pub fn address(&self) -> Option<IpAddr> {
        self.address
    }

    /// Whether the call came over the network rather than from the server itself.
    pub fn is_remote(&self) -> bool {
        self.address.is_some()
    }

    /// Refuses with `refusal` unless the actor is an administrator or one of the cohort's
    /// staff whose role carries `duty`: who marks and reads its attendance, who plans its
    /// sessions, who deletes them. Only a person who is still an active instructor counts
    /// (the `cohort_staff` view): switching the role off ends their rights on every cohort.
    pub async fn require_staff_of(
        &self,
        connection: &mut sqlx::PgConnection,
        cohort_id: i64,
        duty: CohortDuty,
        refusal: &str,
    ) -> Result<&SignedIn> {
        let me = self.require_auth()?;
        if me.is_admin {
            return Ok(me);
        }
        let allowed = sqlx::query_scalar!(
            r#"select exists(select 1 from cohort_staff
                              where cohort_id = $1 and instructor_user_id = $2 and cohort_role = any($3))
                      as "allowed!""#,
            cohort_id,
            me.id,
            &duty.role_names() as &[&str]
        )
        .fetch_one(connection)
        .await?;
        if allowed {
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

async fn user_by_id(hub: &Hub, id: i64) -> Result<SignedIn> {
    let row =
        sqlx::query!("select is_admin, is_instructor, is_student, is_active from users where id = $1", id)
            .fetch_optional(hub.pool())
            .await?;
    match row {
        Some(row) if row.is_active => Ok(SignedIn {
            id,
            is_admin: row.is_admin,
            is_instructor: row.is_instructor,
            is_student: row.is_student,
            session_id: None,
        }),
        Some(_) => {
            Err(Error::Unauthenticated("this account has been deactivated; ask an administrator".to_owned()))
        }
        None => Err(Error::Unauthenticated("this account no longer exists".to_owned())),
    }
}
