//! Administering user accounts: listing, creating, editing, roles and activation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::choices!(
    /// A role flag of `users`; a person may hold several.
    Role { Admin = "admin" => "Administrator", Instructor = "instructor" => "Instructor", Student = "student" => "Student" }
);

/// One row of the users table as admins see it. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// From their profile (manager, instructor or student), else their email or phone.
    pub full_name: String,
    /// Their photo: an image the hub keeps (`/media/…`) or a web address.
    #[serde(default)]
    pub avatar_url: Option<String>,
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
    pub is_active: bool,
    /// Invited and has not chosen a password yet: they cannot sign in until they use the
    /// code their invitation brought (or an administrator sets a password).
    pub awaiting_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

crate::sort_keys!(
    /// How the users list is ordered.
    UserSort { Name = "name", Email = "email", CreatedAt = "created_at", LastLoginAt = "last_login_at" }
);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListUsersRequest {
    /// Matches part of the name, email or phone number, ignoring case.
    pub search: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub sort: UserSort,
    pub descending: bool,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 200; 0 or absent is 25.
    pub per_page: u32,
}

pub type UserPage = crate::page::Page<UserSummary>;

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub full_name: String,
    #[serde(default)]
    pub is_admin: bool,
    #[serde(default)]
    pub is_instructor: bool,
    #[serde(default)]
    pub is_student: bool,
    /// The first password; omitted, they are mailed an invitation to choose their own
    /// (so an account without an email address needs one).
    #[serde(default)]
    pub password: Option<String>,
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("full_name", &self.full_name)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user: UserSummary,
    /// Where their invitation to choose a password goes; `None` when the admin chose one.
    pub invitation_sent_to: Option<String>,
}

/// An invitation (or, for someone who has a password, a reset code) on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    /// The address it goes to.
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub id: i64,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub full_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRolesRequest {
    pub id: i64,
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetActiveRequest {
    pub id: i64,
    pub is_active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserIdRequest {
    pub id: i64,
}
