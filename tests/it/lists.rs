//! The admin lists (programs, cohorts, events, announcements) as the screens page through
//! them: search, filters, sort both ways, pages that say how many there are; and the
//! cohort page with its students and sessions.

use chrono::{DateTime, Utc};
use hub_model::announcements::{
    AnnouncementRow, AnnouncementSort, AnnouncementState, Audience, ListAnnouncementsRequest,
    SaveAnnouncementRequest,
};
use hub_model::applications::SetEnrollmentStatusRequest;
use hub_model::cms::IdRequest;
use hub_model::events::{ListEventsRequest, SaveEventRequest};
use hub_model::ops;
use hub_model::page::Page;
use hub_model::programs::{
    CohortRole, CohortRow, CohortSort, CohortStatus, EnrollmentStatus, ListCohortsRequest,
    ListProgramsRequest, ProgramSort, SaveCohortRequest, SaveProgramRequest, TakingPart,
};
use hub_model::{ErrorKind, NoRequest};
use hub_tests::{Caller, CohortBuilder};
use sqlx::PgPool;

/// What a page lists, by one field of each item.
fn names<T>(page: &Page<T>, name: impl Fn(&T) -> &str) -> Vec<&str> {
    page.items.iter().map(name).collect()
}

/// Five cohorts of two programs, in four statuses, one named in lower case.
async fn five_cohorts(pool: &PgPool) {
    sqlx::query(
        "with made as (
             insert into programs (slug, title) values ('web', 'Web Development'), ('data', 'Data Analytics')
             returning id, slug)
         insert into cohorts (program_id, name, status)
         select made.id, cohort.name, cohort.status
           from (values ('web', 'autumn 2026', 'running'), ('web', 'Spring 2026', 'completed'),
                        ('web', 'Beta', 'planned'), ('data', 'Data Winter', 'open'),
                        ('data', 'Data Summer', 'running')) as cohort (slug, name, status)
           join made using (slug)",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn cohorts_search_filter_sort_and_page(pool: PgPool) {
    five_cohorts(&pool).await;
    let admin = Caller::admin(&pool).await;
    let list = |request: ListCohortsRequest| {
        let admin = &admin;
        async move { admin.call::<ops::ListCohorts>(&request).await.unwrap() }
    };
    fn cohort_name(cohort: &CohortRow) -> &str {
        &cohort.name
    }
    let by_name =
        ListCohortsRequest { sort: CohortSort::Name, per_page: 100, ..ListCohortsRequest::default() };
    let all = list(by_name.clone()).await;
    assert_eq!(all.total, 5);
    let mut sorted = ["autumn 2026", "Beta", "Data Summer", "Data Winter", "Spring 2026"];
    assert_eq!(names(&all, cohort_name), sorted, "by name, A–Z, whatever the case");
    let backwards = list(ListCohortsRequest { descending: true, ..by_name.clone() }).await;
    sorted.reverse();
    assert_eq!(names(&backwards, cohort_name), sorted, "by name, Z–A");

    let second = list(ListCohortsRequest { per_page: 2, page: 2, ..by_name }).await;
    assert_eq!(names(&second, cohort_name), names(&all, cohort_name)[2..4], "the second page of two");
    assert_eq!(second.total, 5, "every page says how many there are in all");
    let past = list(ListCohortsRequest { per_page: 2, page: 99, ..ListCohortsRequest::default() }).await;
    assert_eq!((past.items, past.total), (vec![], 5));

    let running =
        list(ListCohortsRequest { status: Some(CohortStatus::Running), ..ListCohortsRequest::default() })
            .await;
    assert_eq!(running.total, 2);
    assert!(running.items.iter().all(|cohort| cohort.status == CohortStatus::Running), "{running:?}");
    let search = Some("DATA ANALYTICS".to_owned());
    let found = list(ListCohortsRequest { search, ..ListCohortsRequest::default() }).await;
    assert_eq!(found.total, 2, "by its program's title, ignoring case");
    assert!(found.items.iter().all(|cohort| cohort.program_title == "Data Analytics"), "{found:?}");
    let search = Some("no such cohort at all".to_owned());
    let nothing = list(ListCohortsRequest { search, ..ListCohortsRequest::default() }).await;
    assert_eq!((nothing.items, nothing.total), (vec![], 0));

    let too_many = ListCohortsRequest { per_page: 500, ..ListCohortsRequest::default() };
    admin.refuses::<ops::ListCohorts>(&too_many, "per_page", "between 1 and 100").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_cohort_page_lists_instructors_students_and_sessions(pool: PgPool) {
    let cohort = CohortBuilder::new(&pool, "paged")
        .staff("lead@example.org", CohortRole::Lead)
        .students(3)
        .sessions(2)
        .build()
        .await;
    let admin = Caller::admin(&pool).await;
    let first = cohort.enrollments[0];
    let drop = SetEnrollmentStatusRequest { id: first, status: EnrollmentStatus::Dropped };
    admin.call::<ops::SetEnrollmentStatus>(&drop).await.unwrap();

    let page = admin.call::<ops::GetCohort>(&IdRequest { id: cohort.id }).await.unwrap();
    let students = &page.students;
    assert_eq!(students.len(), 3);
    let holding_seats = students.iter().filter(|student| student.status != EnrollmentStatus::Dropped).count();
    assert_eq!(page.cohort.seats_used, i64::try_from(holding_seats).unwrap());
    assert_eq!(page.cohort.seats_used, 2, "a dropped student holds no seat");
    let last = students.last().unwrap();
    assert_eq!(
        (last.enrollment_id, last.status),
        (first, EnrollmentStatus::Dropped),
        "dropped students come last"
    );
    let staff: Vec<_> =
        page.cohort.instructors.iter().map(|staff| (staff.user_id, staff.cohort_role)).collect();
    assert_eq!(staff, [(cohort.staff[0], CohortRole::Lead)]);
    let sessions: Vec<i64> = page.sessions.iter().map(|session| session.id).collect();
    assert_eq!(sessions, [cohort.sessions[1], cohort.sessions[0]], "the day before yesterday first");
    assert!(page.sessions.windows(2).all(|pair| pair[0].date <= pair[1].date), "sessions in date order");
    let missing = admin.call::<ops::GetCohort>(&IdRequest { id: 999_999 }).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn programs_sort_by_cohorts_and_filter_by_published(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    for (slug, is_published, cohorts) in [("quiet", true, 1), ("draft-course", false, 0), ("busy", true, 2)] {
        let program = SaveProgramRequest {
            slug: slug.to_owned(),
            title: format!("The {slug} course"),
            is_published,
            ..SaveProgramRequest::default()
        };
        let program = admin.call::<ops::SaveProgram>(&program).await.unwrap();
        for number in 1..=cohorts {
            let cohort = SaveCohortRequest {
                program_id: Some(program.id),
                name: format!("{slug} {number}"),
                ..SaveCohortRequest::default()
            };
            admin.call::<ops::SaveCohort>(&cohort).await.unwrap();
        }
    }
    let most = ListProgramsRequest {
        sort: ProgramSort::Cohorts,
        descending: true,
        ..ListProgramsRequest::default()
    };
    let most = admin.call::<ops::ListPrograms>(&most).await.unwrap();
    let counts: Vec<(&str, i64)> = most.items.iter().map(|p| (p.slug.as_str(), p.cohorts)).collect();
    assert_eq!(counts, [("busy", 2), ("quiet", 1), ("draft-course", 0)]);
    let drafts = ListProgramsRequest { published: Some(false), ..ListProgramsRequest::default() };
    let drafts = admin.call::<ops::ListPrograms>(&drafts).await.unwrap();
    assert_eq!(names(&drafts, |program| program.slug.as_str()), ["draft-course"]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn announcements_filter_by_state_and_audience(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let post =
        |title: &str, target_audience: Audience, is_published: bool, publish_at: Option<DateTime<Utc>>| {
            SaveAnnouncementRequest {
                id: None,
                title: title.to_owned(),
                body: "Body.".to_owned(),
                target_audience,
                cohort_id: None,
                is_published,
                publish_at,
                send_email: false,
            }
        };
    let next_year = "2099-01-01T09:00:00Z".parse().ok();
    for request in [
        post("Live now", Audience::Student, true, None),
        post("Next year", Audience::Student, true, next_year),
        post("Withdrawn", Audience::Student, false, None),
        post("For staff", Audience::Admin, true, None),
    ] {
        admin.call::<ops::SaveAnnouncement>(&request).await.unwrap();
    }
    let list = |request: ListAnnouncementsRequest| {
        let admin = &admin;
        async move { admin.call::<ops::ListAnnouncements>(&request).await.unwrap() }
    };
    fn title(announcement: &AnnouncementRow) -> &str {
        &announcement.title
    }
    for (state, expected) in [
        (AnnouncementState::Live, vec!["For staff", "Live now"]),
        (AnnouncementState::Scheduled, vec!["Next year"]),
        (AnnouncementState::Unpublished, vec!["Withdrawn"]),
    ] {
        let found = list(ListAnnouncementsRequest {
            state: Some(state),
            sort: AnnouncementSort::Title,
            ..ListAnnouncementsRequest::default()
        })
        .await;
        assert_eq!(names(&found, title), expected, "{state:?}");
        assert!(found.items.iter().all(|item| item.state == state));
    }
    let staff = list(ListAnnouncementsRequest {
        audience: Some(Audience::Admin),
        ..ListAnnouncementsRequest::default()
    })
    .await;
    assert_eq!(names(&staff, title), ["For staff"]);
    let newest = list(ListAnnouncementsRequest::default()).await;
    assert_eq!(names(&newest, title)[0], "Next year", "newest first, by when it shows");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_event_can_be_deleted_and_is_gone_from_every_list(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let open_day = SaveEventRequest {
        id: None,
        slug: "open-day".to_owned(),
        title: "Open day".to_owned(),
        description: None,
        location: None,
        starts_at: "2099-03-01T10:00:00Z".parse().unwrap(),
        ends_at: None,
        is_published: false,
    };
    let event = admin.call::<ops::SaveEvent>(&open_day).await.unwrap();
    let drafts = ListEventsRequest { published: Some(false), ..ListEventsRequest::default() };
    let drafts = admin.call::<ops::ListEvents>(&drafts).await.unwrap();
    assert_eq!(names(&drafts, |event| event.slug.as_str()), ["open-day"]);
    admin.call::<ops::DeleteEvent>(&IdRequest { id: event.id }).await.unwrap();
    let all = admin.call::<ops::ListEvents>(&ListEventsRequest::default()).await.unwrap();
    assert_eq!(all.total, 0);
    let again = admin.call::<ops::DeleteEvent>(&IdRequest { id: event.id }).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn each_person_sees_the_cohorts_they_teach_and_study_in(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let mine = |email: &'static str| {
        let pool = pool.clone();
        async move {
            let caller = Caller::as_user(&pool, hub_tests::user_id(&pool, email).await);
            let found = caller.call::<ops::MyCohorts>(&NoRequest {}).await.unwrap();
            found.into_iter().map(|cohort| (cohort.name, cohort.taking_part)).collect::<Vec<_>>()
        }
    };
    let taught = mine("instructor@demo.digitalhub.dev").await;
    assert_eq!(taught.len(), 2, "{taught:?}");
    assert!(taught.iter().all(|(_, part)| !part.is_studying()), "{taught:?}");
    assert_eq!(
        mine("student@demo.digitalhub.dev").await,
        [("Autumn 2026".to_owned(), TakingPart::Studying { status: EnrollmentStatus::Active })]
    );
    let mentor = mine("mentor@demo.digitalhub.dev").await;
    assert!(
        mentor.iter().any(|(_, part)| part.is_studying())
            && mentor.iter().any(|(_, part)| *part == TakingPart::Teaching { role: CohortRole::Mentor }),
        "{mentor:?}"
    );
    let admin = Caller::admin(&pool).await;
    assert_eq!(
        admin.call::<ops::MyCohorts>(&NoRequest {}).await.unwrap(),
        [],
        "an admin who neither teaches nor studies"
    );
}
