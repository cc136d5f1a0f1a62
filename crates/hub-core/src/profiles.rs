//! Profiles (`profiles.*`): people edit their own name, avatar, bio and links; admins edit
//! everything, including a student's status and featuring and a manager's visibility.
//!
//! Nobody is public by holding a role: an instructor is listed on the website once they
//! chose to be (or an administrator listed them); a student's public page shows the text an
//! administrator approved, never their unreviewed edits.

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::input::{PersonName, Slug, WebUrl};
use hub_model::ops::{
    ApproveStudentText, GetProfiles, MyProfiles, PublicProfilesToReview, SetMyListing, UpdateInstructor,
    UpdateManager, UpdateMyProfiles, UpdateStudent,
};
use hub_model::profiles::{
    ApprovedText, InstructorProfile, ManagerProfile, MyListing, NotShown, ProfileBasics, Profiles,
    ProfilesRequest, PublicProfilesReview, StudentProfile, StudentStatus, UpdateInstructorProfile,
    UpdateManagerProfile, UpdateStudentProfile,
};
use hub_model::NoRequest;
use sqlx::{PgConnection, PgPool};

const BIO_MAX: usize = 2000;

/// The shared part of a profile, parsed: empty optional fields become `None`.
struct Basics {
    full_name: PersonName,
    avatar_url: Option<WebUrl>,
    bio: Option<String>,
    linkedin_url: Option<WebUrl>,
    github_url: Option<WebUrl>,
    portfolio_url: Option<WebUrl>,
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

impl Basics {
    fn parse(basics: &ProfileBasics) -> Result<Self> {
        let url = |field: &'static str, value: &Option<String>| {
            present(value.as_deref()).map(|url| WebUrl::parse(field, url)).transpose()
        };
        let bio = present(basics.bio.as_deref()).map(str::to_owned);
        if bio.as_ref().is_some_and(|bio| bio.chars().count() > BIO_MAX) {
            return Err(Error::validation("bio", "is longer than 2000 characters"));
        }
        Ok(Self {
            full_name: PersonName::parse("full_name", &basics.full_name)?,
            avatar_url: present(basics.avatar_url.as_deref())
                .map(|url| WebUrl::image("avatar_url", url))
                .transpose()?,
            bio,
            linkedin_url: url("linkedin_url", &basics.linkedin_url)?,
            github_url: url("github_url", &basics.github_url)?,
            portfolio_url: url("portfolio_url", &basics.portfolio_url)?,
        })
    }

    fn url(value: Option<&WebUrl>) -> Option<&str> {
        value.map(WebUrl::as_str)
    }
}

/// Writes the shared part to every profile the user has (they show one name everywhere).
async fn write_basics(connection: &mut PgConnection, user_id: i64, basics: &Basics) -> Result<()> {
    let (name, avatar, bio) =
        (basics.full_name.as_str(), Basics::url(basics.avatar_url.as_ref()), basics.bio.as_deref());
    let links = (
        Basics::url(basics.linkedin_url.as_ref()),
        Basics::url(basics.github_url.as_ref()),
        Basics::url(basics.portfolio_url.as_ref()),
    );
    // One statement for the three profile tables: one round trip, one place to change.
    sqlx::query!(
        "with student as (
             update student_profiles set full_name = $2, avatar_url = $3, bio = $4, linkedin_url = $5,
                    github_url = $6, portfolio_url = $7 where user_id = $1),
         instructor as (
             update instructor_profiles set full_name = $2, avatar_url = $3, bio = $4, linkedin_url = $5,
                    github_url = $6, portfolio_url = $7 where user_id = $1)
         update manager_profiles set full_name = $2, avatar_url = $3, bio = $4, linkedin_url = $5,
                github_url = $6, portfolio_url = $7 where user_id = $1",
        user_id,
        name,
        avatar,
        bio,
        links.0,
        links.1,
        links.2
    )
    .execute(connection)
    .await?;
    Ok(())
}

/// The shared part of a profile row.
fn basics(
    full_name: String,
    avatar_url: Option<String>,
    bio: Option<String>,
    linkedin_url: Option<String>,
    github_url: Option<String>,
    portfolio_url: Option<String>,
) -> ProfileBasics {
    ProfileBasics { full_name, avatar_url, bio, linkedin_url, github_url, portfolio_url }
}

fn student_status(status: &str) -> StudentStatus {
    match status {
        "inactive" => StudentStatus::Inactive,
        "graduated" => StudentStatus::Graduated,
        _ => StudentStatus::Active,
    }
}

/// A user's profiles as they are now.
pub async fn load(connection: &mut PgConnection, user_id: i64) -> Result<Profiles> {
    let student = sqlx::query!(
        "select s.full_name, s.avatar_url, s.bio, s.linkedin_url, s.github_url, s.portfolio_url, s.status,
                s.featured, s.featured_rank, s.public_slug, s.approved_full_name, s.approved_avatar_url,
                s.approved_bio, s.approved_linkedin_url, s.approved_github_url, s.approved_portfolio_url,
                s.approved_at, a.email as approved_by
           from student_profiles s left join users a on a.id = s.approved_by
          where s.user_id = $1",
        user_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .map(|row| StudentProfile {
        user_id,
        basics: basics(
            row.full_name,
            row.avatar_url,
            row.bio,
            row.linkedin_url,
            row.github_url,
            row.portfolio_url,
        ),
        status: student_status(&row.status),
        featured: row.featured,
        featured_rank: row.featured_rank,
        public_slug: row.public_slug,
        approved: row.approved_at.map(|approved_at| ApprovedText {
            basics: basics(
                row.approved_full_name.unwrap_or_default(),
                row.approved_avatar_url,
                row.approved_bio,
                row.approved_linkedin_url,
                row.approved_github_url,
                row.approved_portfolio_url,
            ),
            approved_at,
            approved_by: row.approved_by,
        }),
    });
    let instructor = sqlx::query!(
        "select full_name, avatar_url, bio, linkedin_url, github_url, portfolio_url, expertise, is_public
           from instructor_profiles where user_id = $1",
        user_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .map(|row| InstructorProfile {
        user_id,
        basics: basics(
            row.full_name,
            row.avatar_url,
            row.bio,
            row.linkedin_url,
            row.github_url,
            row.portfolio_url,
        ),
        expertise: row.expertise,
        is_public: row.is_public,
    });
    let manager = sqlx::query!(
        "select full_name, avatar_url, bio, linkedin_url, github_url, portfolio_url, job_title, is_public, sort_order
           from manager_profiles where user_id = $1",
        user_id
    )
    .fetch_optional(&mut *connection)
    .await?
    .map(|row| ManagerProfile {
        user_id,
        basics: basics(row.full_name, row.avatar_url, row.bio, row.linkedin_url, row.github_url, row.portfolio_url),
        job_title: row.job_title,
        is_public: row.is_public,
        sort_order: row.sort_order,
    });
    Ok(Profiles { student, instructor, manager })
}

/// Writes the basics every profile shares (when given), then commits and answers the
/// person's profiles as the transaction leaves them.
async fn committed(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user_id: i64,
    basics: Option<&Basics>,
) -> Result<Profiles> {
    if let Some(basics) = basics {
        write_basics(&mut tx, user_id, basics).await?;
    }
    let profiles = load(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(profiles)
}

async fn load_existing_user(pool: &PgPool, user_id: i64) -> Result<Profiles> {
    let mut connection = pool.acquire().await?;
    let exists =
        sqlx::query_scalar!(r#"select exists(select 1 from users where id = $1) as "exists!""#, user_id)
            .fetch_one(&mut *connection)
            .await?;
    if !exists {
        return Err(Error::NotFound(format!("user {user_id}")));
    }
    load(&mut connection, user_id).await
}

impl Handler for MyProfiles {
    async fn handle(hub: &Hub, actor: &Actor, _request: NoRequest) -> Result<Profiles> {
        load(&mut *hub.pool().acquire().await?, actor.require_auth()?.id).await
    }
}

impl Handler for UpdateMyProfiles {
    async fn handle(hub: &Hub, actor: &Actor, request: ProfileBasics) -> Result<Profiles> {
        let user = actor.require_auth()?;
        let basics = Basics::parse(&request)?;
        let tx = hub.begin().await?;
        committed(tx, user.id, Some(&basics)).await
    }
}

impl Handler for GetProfiles {
    async fn handle(hub: &Hub, actor: &Actor, request: ProfilesRequest) -> Result<Profiles> {
        actor.require_admin()?;
        load_existing_user(hub.pool(), request.user_id).await
    }
}

impl Handler for UpdateStudent {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateStudentProfile) -> Result<Profiles> {
        actor.require_admin()?;
        let basics = Basics::parse(&request.basics)?;
        let slug = present(request.public_slug.as_deref())
            .map(|slug| Slug::parse("public_slug", slug))
            .transpose()?;
        if request.featured_rank.is_some_and(|rank| rank < 1) {
            return Err(Error::validation("featured_rank", "must be 1 or more"));
        }
        let mut tx = hub.begin().await?;
        sqlx::query_scalar!(
            "update student_profiles set status = $2, featured = $3, featured_rank = $4, public_slug = $5
              where user_id = $1 returning user_id",
            request.user_id,
            request.status.as_str(),
            request.featured,
            request.featured_rank,
            slug.as_ref().map(Slug::as_str),
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(|error| match violated_constraint(&error) {
            Some("student_profiles_public_slug_key") => {
                Error::validation("public_slug", "is already used by another student")
            }
            _ => Error::Db(error),
        })?
        .ok_or_else(|| Error::NotFound(format!("a student profile for user {}", request.user_id)))?;
        committed(tx, request.user_id, Some(&basics)).await
    }
}

impl Handler for UpdateInstructor {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateInstructorProfile) -> Result<Profiles> {
        actor.require_admin()?;
        let basics = Basics::parse(&request.basics)?;
        let mut tx = hub.begin().await?;
        sqlx::query_scalar!(
            "update instructor_profiles set expertise = $2, is_public = $3 where user_id = $1 returning user_id",
            request.user_id,
            present(request.expertise.as_deref()),
            request.is_public,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("an instructor profile for user {}", request.user_id)))?;
        committed(tx, request.user_id, Some(&basics)).await
    }
}

impl Handler for UpdateManager {
    async fn handle(hub: &Hub, actor: &Actor, request: UpdateManagerProfile) -> Result<Profiles> {
        actor.require_admin()?;
        let basics = Basics::parse(&request.basics)?;
        let mut tx = hub.begin().await?;
        let is_admin =
            sqlx::query_scalar!("select is_admin from users where id = $1 for update", request.user_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::NotFound(format!("user {}", request.user_id)))?;
        if !is_admin {
            return Err(Error::Conflict("only administrators have a manager profile".to_owned()));
        }
        sqlx::query!(
            "insert into manager_profiles (user_id, full_name, job_title, is_public, sort_order)
             values ($1, $2, $3, $4, $5)
             on conflict (user_id) do update
                set job_title = excluded.job_title, is_public = excluded.is_public, sort_order = excluded.sort_order",
            request.user_id,
            basics.full_name.as_str(),
            present(request.job_title.as_deref()),
            request.is_public,
            request.sort_order,
        )
        .execute(&mut *tx)
        .await?;
        committed(tx, request.user_id, Some(&basics)).await
    }
}

impl Handler for SetMyListing {
    async fn handle(hub: &Hub, actor: &Actor, request: MyListing) -> Result<Profiles> {
        let user = actor.require_instructor()?;
        let mut tx = hub.begin().await?;
        sqlx::query_scalar!(
            "update instructor_profiles set is_public = $2 where user_id = $1 returning user_id",
            user.id,
            request.listed,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound("your instructor profile".to_owned()))?;
        committed(tx, user.id, None).await
    }
}

impl Handler for ApproveStudentText {
    async fn handle(hub: &Hub, actor: &Actor, request: ProfilesRequest) -> Result<Profiles> {
        let admin = actor.require_admin()?;
        let mut tx = hub.begin().await?;
        sqlx::query_scalar!(
            "update student_profiles
                set approved_full_name = full_name, approved_avatar_url = avatar_url, approved_bio = bio,
                    approved_linkedin_url = linkedin_url, approved_github_url = github_url,
                    approved_portfolio_url = portfolio_url, approved_at = now(), approved_by = $2
              where user_id = $1 returning user_id",
            request.user_id,
            admin.id,
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("a student profile for user {}", request.user_id)))?;
        committed(tx, request.user_id, None).await
    }
}

impl Handler for PublicProfilesToReview {
    async fn handle(hub: &Hub, actor: &Actor, _request: NoRequest) -> Result<PublicProfilesReview> {
        actor.require_admin()?;
        let rows = sqlx::query!(
            r#"select s.user_id, s.full_name, s.featured, s.public_slug is not null as "has_page!",
                      s.approved_at is not null as "approved!",
                      (s.full_name, s.avatar_url, s.bio, s.linkedin_url, s.github_url, s.portfolio_url)
                          is distinct from
                      (s.approved_full_name, s.approved_avatar_url, s.approved_bio, s.approved_linkedin_url,
                       s.approved_github_url, s.approved_portfolio_url) as "changed!"
                 from student_profiles s join users u on u.id = s.user_id
                where u.is_active and u.is_student and s.status <> 'inactive'
                  and (s.featured or s.public_slug is not null)
                order by s.featured_rank nulls last, s.full_name"#
        )
        .fetch_all(hub.pool())
        .await?;
        let mut review = PublicProfilesReview::default();
        for row in rows {
            let shown = |reason: &str| NotShown {
                user_id: row.user_id,
                full_name: row.full_name.clone(),
                reason: reason.to_owned(),
            };
            if row.featured && !row.has_page {
                review.featured_not_shown.push(shown("featured, but has no public address"));
            } else if row.featured && !row.approved {
                review.featured_not_shown.push(shown("featured, but their text is not approved yet"));
            } else if row.has_page && row.changed {
                review.awaiting_approval.push(shown(if row.approved {
                    "changed their text since it was approved"
                } else {
                    "has a public address; their text is not approved yet"
                }));
            }
        }
        Ok(review)
    }
}
