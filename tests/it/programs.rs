//! Programs and cohorts as an admin runs them through `hubctl call`: the cohort state
//! machine, the one "coming soon" announcement, instructors, and deletion's impact.

use chrono::NaiveDate;
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::programs::{
    AssignInstructorRequest, CohortRole, CohortStatus, ListProgramsRequest, ProgramImpact,
    RemoveInstructorRequest, SaveCohortRequest, SaveProgramRequest, SetCohortStatusRequest,
};
use hub_model::{ApiError, ErrorKind, Operation};
use hub_tests::{database_url, Caller, CohortBuilder, TestUser};
use sqlx::PgPool;

/// An administrator, `admin@example.org`, for `hubctl call --as`; the test database's URL.
async fn admin_url(pool: &PgPool) -> String {
    TestUser::ADMIN.insert(pool, "admin@example.org", None).await;
    database_url(pool)
}

/// Operation `O` through `hubctl call --as admin@example.org`.
fn call<O: Operation>(url: &str, request: &O::Request) -> Result<O::Response, ApiError> {
    hub_tests::hubctl_call::<O>(url, "admin@example.org", request)
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_cohort_moves_through_its_life_and_coming_soon_is_announced_once(pool: PgPool) {
    let url = admin_url(&pool).await;
    let cyber = SaveProgramRequest {
        slug: "cyber".to_owned(),
        title: "Cyber Security".to_owned(),
        default_capacity: Some(18),
        is_published: true,
        ..SaveProgramRequest::default()
    };
    let program = call::<ops::SaveProgram>(&url, &cyber).unwrap();
    let summer = SaveCohortRequest {
        program_id: Some(program.id),
        name: "Summer 2027".to_owned(),
        start_date: Some(NaiveDate::from_ymd_opt(2027, 6, 1).unwrap()),
        ..SaveCohortRequest::default()
    };
    let cohort = call::<ops::SaveCohort>(&url, &summer).unwrap();
    assert_eq!(
        (cohort.status, cohort.capacity),
        (CohortStatus::Planned, Some(18)),
        "capacity from the program"
    );
    let id = cohort.id;
    let set = |status| call::<ops::SetCohortStatus>(&url, &SetCohortStatusRequest { id, status });
    let auto_announcements = || async {
        sqlx::query_scalar!(
            "select count(*) as \"n!\" from announcements where cohort_id = $1 and is_auto",
            id
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };

    set(CohortStatus::ComingSoon).unwrap();
    set(CohortStatus::Planned).unwrap();
    set(CohortStatus::ComingSoon).unwrap();
    assert_eq!(auto_announcements().await, 1, "announced once, however often it goes back and forth");
    let api = hub_tests::PublicApi::start(&pool, &hub_public::PublicConfig::default());
    let public = api.get("/public/announcements").await;
    assert_eq!(public.status, 200, "{public:?}");
    let coming = public
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["title"] == "Coming soon: Cyber Security — Summer 2027")
        .count();
    assert_eq!(coming, 1, "one announcement on the website: {}", public.body);

    set(CohortStatus::Open).unwrap();
    let refused = set(CohortStatus::Planned).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Validation);
    assert!(
        refused.message.contains("from open it may go to running, coming_soon, cancelled"),
        "{refused:?}"
    );
    set(CohortStatus::Running).unwrap();
    let refused = set(CohortStatus::Open).unwrap_err();
    assert!(refused.message.contains("from running it may go to completed, cancelled"), "{refused:?}");
    set(CohortStatus::Completed).unwrap();
    let refused = set(CohortStatus::Cancelled).unwrap_err();
    assert!(refused.message.contains("none: it is final"), "{refused:?}");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn cohorts_check_their_dates_and_take_only_instructors(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let teacher = TestUser::INSTRUCTOR.insert(&pool, "ines@example.org", None).await;
    let web = SaveProgramRequest {
        slug: "web".to_owned(),
        title: "Web".to_owned(),
        ..SaveProgramRequest::default()
    };
    let program = admin.call::<ops::SaveProgram>(&web).await.unwrap();
    let again = SaveProgramRequest { title: "Web again".to_owned(), ..web.clone() };
    admin.refuses::<ops::SaveProgram>(&again, "slug", "already used").await;
    let spaced = SaveProgramRequest { slug: "Web Dev".to_owned(), ..web.clone() };
    admin.refuses::<ops::SaveProgram>(&spaced, "slug", "").await;
    let negative = SaveProgramRequest { slug: "web-2".to_owned(), default_capacity: Some(-1), ..web.clone() };
    admin.refuses::<ops::SaveProgram>(&negative, "default_capacity", "negative").await;
    let autumn = SaveCohortRequest {
        program_id: Some(program.id),
        name: "Autumn".to_owned(),
        ..SaveCohortRequest::default()
    };
    let backwards = SaveCohortRequest {
        start_date: Some(NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()),
        end_date: Some(NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()),
        ..autumn.clone()
    };
    admin.refuses::<ops::SaveCohort>(&backwards, "end_date", "before the start").await;
    let closes_first = SaveCohortRequest {
        enrollment_open_at: Some("2027-01-10T00:00:00Z".parse().unwrap()),
        enrollment_close_at: Some("2027-01-01T00:00:00Z".parse().unwrap()),
        ..autumn.clone()
    };
    admin
        .refuses::<ops::SaveCohort>(&closes_first, "enrollment_close_at", "after the enrollment opens")
        .await;
    let cohort = admin.call::<ops::SaveCohort>(&autumn).await.unwrap();
    let lead =
        |user_id| AssignInstructorRequest { cohort_id: cohort.id, user_id, cohort_role: CohortRole::Lead };
    admin.refuses::<ops::AssignInstructor>(&lead(student), "user_id", "not an instructor").await;
    let taught = admin.call::<ops::AssignInstructor>(&lead(teacher)).await.unwrap();
    assert_eq!(taught.instructors[0].cohort_role, CohortRole::Lead);
    let removal = RemoveInstructorRequest { cohort_id: cohort.id, user_id: teacher };
    let untaught = admin.call::<ops::RemoveInstructor>(&removal).await.unwrap();
    assert_eq!(untaught.instructors, []);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn deleting_a_program_says_first_what_goes_with_it(pool: PgPool) {
    CohortBuilder::new(&pool, "full-stack").students(2).sessions(3).build().await;
    let url = admin_url(&pool).await;
    let search =
        ListProgramsRequest { search: Some("full-stack".to_owned()), ..ListProgramsRequest::default() };
    let programs = call::<ops::ListPrograms>(&url, &search).unwrap();
    let program = IdRequest { id: programs.items[0].id };
    let impact = call::<ops::ProgramDeleteImpact>(&url, &program).unwrap();
    assert_eq!(impact, ProgramImpact { cohorts: 1, enrollments: 2, sessions: 3 });
    let removed = call::<ops::DeleteProgram>(&url, &program).unwrap();
    assert_eq!(removed, impact);
    assert_eq!(call::<ops::DeleteProgram>(&url, &program).unwrap_err().kind, ErrorKind::NotFound);
}
