//! Profiles: what people show of themselves (student, instructor, manager), with the
//! social links every profile may carry.

use serde::{Deserialize, Serialize};

/// Every profile's shared part. People edit these on their own profiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileBasics {
    pub full_name: String,
    #[serde(default)]
    pub avatar_url: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub linkedin_url: Option<String>,
    #[serde(default)]
    pub github_url: Option<String>,
    #[serde(default)]
    pub portfolio_url: Option<String>,
}

crate::choices!(
    /// Where a student stands with the hub.
    StudentStatus { Active = "active" => "Active", Inactive = "inactive" => "Inactive", Graduated = "graduated" => "Graduated" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    pub status: StudentStatus,
    pub featured: bool,
    pub featured_rank: Option<i32>,
    pub public_slug: Option<String>,
    /// What the website shows of them: the text an administrator last approved.
    pub approved: Option<ApprovedText>,
}

impl StudentProfile {
    /// Whether what they wrote now differs from what the website shows (or nothing was
    /// approved yet): an administrator's approval is waited for.
    pub fn awaits_approval(&self) -> bool {
        self.approved.as_ref().is_none_or(|approved| approved.basics != self.basics)
    }
}

/// A student's public text as an administrator approved it, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedText {
    pub basics: ProfileBasics,
    pub approved_at: chrono::DateTime<chrono::Utc>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    pub expertise: Option<String>,
    /// Listed on the website's team page: their choice (or an administrator's).
    pub is_public: bool,
}

/// `profiles.set_my_listing`: an instructor chooses to be on the website's team page or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyListing {
    pub listed: bool,
}

/// What the website's people pages wait on an administrator for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProfilesReview {
    /// Featured students the website cannot show: no public address, or no approved text.
    pub featured_not_shown: Vec<NotShown>,
    /// Students with a public page whose own edits wait for approval.
    pub awaiting_approval: Vec<NotShown>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotShown {
    pub user_id: i64,
    pub full_name: String,
    /// Why, in a few words.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    pub job_title: Option<String>,
    pub is_public: bool,
    pub sort_order: i32,
}

/// A person's profiles, one per role they have a profile for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    pub student: Option<StudentProfile>,
    pub instructor: Option<InstructorProfile>,
    pub manager: Option<ManagerProfile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilesRequest {
    pub user_id: i64,
}

/// An admin's edit of a student profile: all of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateStudentProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    pub status: StudentStatus,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub featured_rank: Option<i32>,
    #[serde(default)]
    pub public_slug: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateInstructorProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    /// Listed on the website's team page (an administrator may override the instructor).
    pub is_public: bool,
    #[serde(default)]
    pub expertise: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateManagerProfile {
    pub user_id: i64,
    pub basics: ProfileBasics,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub is_public: bool,
    #[serde(default)]
    pub sort_order: i32,
}
