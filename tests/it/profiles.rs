//! Profiles: people edit their own basics; admins edit everything.

use hub_model::ops;
use hub_model::profiles::{
    MyListing, ProfileBasics, ProfilesRequest, StudentStatus, UpdateInstructorProfile, UpdateManagerProfile,
    UpdateStudentProfile,
};
use hub_model::public::{Instructor, Student};
use hub_model::{ErrorKind, NoRequest, Operation};
use hub_tests::{Caller, TestUser};
use serde_json::json;
use sqlx::PgPool;

fn basics(name: &str) -> ProfileBasics {
    ProfileBasics {
        full_name: name.to_owned(),
        bio: Some("Learning Rust.".to_owned()),
        github_url: Some("https://github.com/jana".to_owned()),
        linkedin_url: Some(String::new()),
        ..ProfileBasics::default()
    }
}

/// Just a name, for the edits that try one bad field at a time.
fn named(name: &str) -> ProfileBasics {
    ProfileBasics { full_name: name.to_owned(), ..ProfileBasics::default() }
}

async fn as_student(pool: &PgPool, email: &str) -> Caller {
    Caller::as_user(pool, TestUser::STUDENT.insert(pool, email, None).await)
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn people_edit_their_own_basics_on_every_profile_they_have(pool: PgPool) {
    let jana = as_student(&pool, "jana@example.org").await;
    sqlx::query("insert into instructor_profiles (user_id, full_name) values ($1, 'Old')")
        .bind(jana.id)
        .execute(&pool)
        .await
        .unwrap();
    let profiles = jana.call::<ops::UpdateMyProfiles>(&basics("Jana Harb")).await.unwrap();
    let student = &profiles.student.as_ref().expect("a student profile").basics;
    let instructor = &profiles.instructor.as_ref().expect("an instructor profile").basics;
    for (kind, basics) in [("student", student), ("instructor", instructor)] {
        assert_eq!(basics.full_name, "Jana Harb", "{kind}");
        assert_eq!(basics.github_url.as_deref(), Some("https://github.com/jana"));
        assert_eq!(basics.linkedin_url, None, "an empty link is no link");
    }
    assert_eq!(profiles.manager, None);
    assert_eq!(jana.call::<ops::MyProfiles>(&NoRequest {}).await.unwrap(), profiles);

    // Safe fields only: status and featuring are not part of the request.
    let sneaky = json!({ "full_name": "Jana", "featured": true });
    assert_eq!(
        jana.call_json(ops::UpdateMyProfiles::NAME, sneaky).await.unwrap_err().kind,
        ErrorKind::Validation
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn invalid_links_names_and_bios_are_refused_naming_the_field(pool: PgPool) {
    let jana = as_student(&pool, "jana@example.org").await;
    for (request, field, says) in [
        (ProfileBasics { github_url: Some("github.com/jana".to_owned()), ..named("Jana") }, "github_url", ""),
        (
            ProfileBasics { avatar_url: Some("javascript:alert(1)".to_owned()), ..named("Jana") },
            "avatar_url",
            "",
        ),
        (
            ProfileBasics { portfolio_url: Some("https://my site.org".to_owned()), ..named("Jana") },
            "portfolio_url",
            "",
        ),
        (named(" "), "full_name", ""),
        (ProfileBasics { bio: Some("x".repeat(2001)), ..named("Jana") }, "bio", "longer than 2000"),
    ] {
        jana.refuses::<ops::UpdateMyProfiles>(&request, field, says).await;
    }
    let name: String = sqlx::query_scalar("select full_name from student_profiles where user_id = $1")
        .bind(jana.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Test jana@example.org", "nothing was written");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn admins_feature_students_with_unique_url_safe_addresses(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let jana = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    let ali = TestUser::STUDENT.insert(&pool, "ali@example.org", None).await;
    let edit = |user: i64, slug: &str, rank: i32| UpdateStudentProfile {
        user_id: user,
        basics: basics("Someone"),
        status: StudentStatus::Graduated,
        featured: true,
        featured_rank: Some(rank),
        public_slug: Some(slug.to_owned()),
    };
    let profiles = admin.call::<ops::UpdateStudent>(&edit(jana, "jana-harb", 1)).await.unwrap();
    let profile = profiles.student.expect("a student profile");
    assert_eq!(profile.status, StudentStatus::Graduated);
    assert_eq!(profile.public_slug.as_deref(), Some("jana-harb"));
    assert_eq!(profile.featured_rank, Some(1));

    admin.refuses::<ops::UpdateStudent>(&edit(ali, "jana-harb", 2), "public_slug", "already used").await;
    admin.refuses::<ops::UpdateStudent>(&edit(ali, "Ali Khalil", 2), "public_slug", "").await;
    admin.refuses::<ops::UpdateStudent>(&edit(ali, "ali", 0), "featured_rank", "1 or more").await;
    let no_profile = admin.call::<ops::UpdateStudent>(&edit(admin.id, "boss", 1)).await.unwrap_err();
    assert_eq!(no_profile.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn only_administrators_get_a_manager_profile(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "jana@example.org", None).await;
    let manager = |user: i64| UpdateManagerProfile {
        user_id: user,
        basics: basics("Maya Khoury"),
        job_title: Some("Hub Director".to_owned()),
        is_public: true,
        sort_order: 1,
    };
    let profiles = admin.call::<ops::UpdateManager>(&manager(admin.id)).await.unwrap();
    let profile = profiles.manager.expect("a manager profile");
    assert_eq!(profile.job_title.as_deref(), Some("Hub Director"));
    assert!(profile.is_public);
    let refused = admin.call::<ops::UpdateManager>(&manager(student)).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("only administrators"), "{}", refused.message);

    let instructor = UpdateInstructorProfile {
        user_id: student,
        basics: basics("Jana"),
        is_public: false,
        expertise: Some("Rust".to_owned()),
    };
    let missing = admin.call::<ops::UpdateInstructor>(&instructor).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound, "a student has no instructor profile to edit");
}

/// What the public website answers at `path`.
async fn website(pool: &PgPool, path: &str) -> serde_json::Value {
    let api = hub_tests::PublicApi::start(pool, &hub_public::PublicConfig::default());
    let answer = api.get(path).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json()
}

/// The instructors the website's team page lists.
async fn listed_instructors(pool: &PgPool) -> Vec<Instructor> {
    serde_json::from_value(website(pool, "/public/instructors").await).unwrap()
}

/// The students the website features.
async fn featured_students(pool: &PgPool) -> Vec<Student> {
    serde_json::from_value(website(pool, "/public/students/featured").await).unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructor_is_on_the_website_only_once_they_chose_to_be_or_an_admin_listed_them(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let karim = Caller::as_user(&pool, TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await);
    let student = as_student(&pool, "jana@example.org").await;
    karim.call::<ops::UpdateMyProfiles>(&basics("Karim Nassar")).await.unwrap();
    assert!(listed_instructors(&pool).await.is_empty(), "holding the role publishes nobody");

    let mine = karim.call::<ops::SetMyListing>(&MyListing { listed: true }).await.unwrap();
    assert!(mine.instructor.expect("an instructor profile").is_public);
    let names: Vec<String> = listed_instructors(&pool).await.into_iter().map(|i| i.full_name).collect();
    assert_eq!(names, ["Karim Nassar"]);

    // The admin may override (hide them, say, when they leave), with the profile's other edits.
    let hidden = UpdateInstructorProfile {
        user_id: karim.id,
        basics: basics("Karim Nassar"),
        is_public: false,
        expertise: Some("Rust".to_owned()),
    };
    admin.call::<ops::UpdateInstructor>(&hidden).await.unwrap();
    assert!(listed_instructors(&pool).await.is_empty());
    // A student cannot list themselves as an instructor.
    let refused = student.call::<ops::SetMyListing>(&MyListing { listed: true }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_students_public_page_shows_only_the_text_an_administrator_approved(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let jana = as_student(&pool, "jana@example.org").await;
    let ali = TestUser::STUDENT.insert(&pool, "ali@example.org", None).await;
    let feature = |user: i64, name: &str, slug: Option<&str>| UpdateStudentProfile {
        user_id: user,
        basics: basics(name),
        status: StudentStatus::Graduated,
        featured: true,
        featured_rank: Some(1),
        public_slug: slug.map(str::to_owned),
    };
    admin.call::<ops::UpdateStudent>(&feature(jana.id, "Jana Harb", Some("jana-harb"))).await.unwrap();
    admin.call::<ops::UpdateStudent>(&feature(ali, "Ali Khalil", None)).await.unwrap();
    // Featured, not yet approved: not on the website, and the admin is told why.
    assert!(featured_students(&pool).await.is_empty());
    let review = admin.call::<ops::PublicProfilesToReview>(&NoRequest {}).await.unwrap();
    let reasons: Vec<(&str, &str)> =
        review.featured_not_shown.iter().map(|row| (row.full_name.as_str(), row.reason.as_str())).collect();
    assert_eq!(
        reasons,
        [
            ("Ali Khalil", "featured, but has no public address"),
            ("Jana Harb", "featured, but their text is not approved yet"),
        ]
    );

    let approved =
        admin.call::<ops::ApproveStudentText>(&ProfilesRequest { user_id: jana.id }).await.unwrap();
    let approved = approved.student.and_then(|profile| profile.approved).expect("approved text");
    assert_eq!(approved.basics.bio.as_deref(), Some("Learning Rust."));
    let shown = featured_students(&pool).await;
    assert_eq!((shown.len(), shown[0].bio.as_deref()), (1, Some("Learning Rust.")));

    // Her own edit waits: the website keeps the approved text until an admin approves again.
    let edit = ProfileBasics {
        bio: Some("Buy followers at spam.example".to_owned()),
        ..named("Jana H. — hire me at spam.example")
    };
    jana.call::<ops::UpdateMyProfiles>(&edit).await.unwrap();
    let shown = featured_students(&pool).await;
    assert_eq!((shown[0].full_name.as_str(), shown[0].bio.as_deref()), ("Jana Harb", Some("Learning Rust.")));
    let review = admin.call::<ops::PublicProfilesToReview>(&NoRequest {}).await.unwrap();
    assert_eq!(review.awaiting_approval[0].reason, "changed their text since it was approved");
    let refused =
        jana.call::<ops::ApproveStudentText>(&ProfilesRequest { user_id: jana.id }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Forbidden, "a student approves nothing of their own");
}
