//! From a visitor's form to a student in a cohort: applying through the public API (every
//! bad answer refused by name, nothing written), reviewing and approving through `hubctl
//! call`, the new student signing in; capacity held under 50 approvals at once; a freed
//! seat offering the oldest waitlisted application; the form builder's checks.

use hub_model::applications::{
    AddEnrollmentRequest, ApplicationStatus, ChangeEnrollmentsRequest, CompleteCohortRequest,
    DecideApplicationRequest, DecideManyRequest, EnrollmentsChange, ListApplicationsRequest,
    SetEnrollmentStatusRequest,
};
use hub_model::auth::{LoginRequest, ResetPasswordRequest};
use hub_model::cms::IdRequest;
use hub_model::forms::{
    FieldType, ReorderFieldsRequest, SaveFieldRequest, SaveFormRequest, APPLICATION_FORM_KEY,
};
use hub_model::ops;
use hub_model::programs::{EnrollmentStatus, SaveCohortRequest, SaveProgramRequest, TakingPart};
use hub_model::public::ApplicationReceived;
use hub_model::{ApiError, ErrorKind, NoRequest, Operation};
use hub_tests::{database_url, Caller, CohortBuilder, HttpAnswer, PublicApi, TestUser};
use serde_json::{json, Value};
use sqlx::PgPool;

fn serve(pool: &PgPool, per_minute: u32) -> PublicApi {
    let config = hub_public::PublicConfig {
        applications_per_minute: per_minute,
        ..hub_public::PublicConfig::default()
    };
    PublicApi::start(pool, &config)
}

/// The demo's cohort open for applications.
async fn open_cohort(pool: &PgPool) -> i64 {
    sqlx::query_scalar!("select id from cohorts where status = 'open' and allow_applications")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn answers(email: &str) -> Value {
    json!({ "answers": {
        "full_name": "Yara Khalil", "email": email, "phone": "+961 70 123 456", "date_of_birth": "2001-04-12",
        "background": "Changing careers", "accepts_terms": true,
        "motivation": "I have built small tools at work and want to become a full-time web developer."
    } })
}

async fn counts(pool: &PgPool) -> (i64, i64, i64) {
    let row = sqlx::query!(
        r#"select (select count(*) from applicants) as "applicants!", (select count(*) from applications) as "applications!",
                  (select count(*) from application_submissions) as "submissions!""#
    )
    .fetch_one(pool)
    .await
    .unwrap();
    (row.applicants, row.applications, row.submissions)
}

/// The application a visitor's form made, from the public API's 201.
fn application_id(applied: &HttpAnswer) -> i64 {
    assert_eq!(applied.status, 201, "{}", applied.body);
    serde_json::from_str::<ApplicationReceived>(&applied.body).expect("an application received").id
}

/// Operation `O` as the demo's administrator, through `hubctl call`.
fn admin_call<O: Operation>(url: &str, request: &O::Request) -> Result<O::Response, ApiError> {
    hub_tests::hubctl_call::<O>(url, "admin@demo.digitalhub.dev", request)
}

/// A new cohort of `capacity` seats, of a program of its own.
async fn cohort_of(admin: &Caller, name: &str, capacity: i32) -> i64 {
    let program = SaveProgramRequest {
        slug: name.to_lowercase(),
        title: name.to_owned(),
        ..SaveProgramRequest::default()
    };
    let program = admin.call::<ops::SaveProgram>(&program).await.unwrap();
    let cohort = SaveCohortRequest {
        program_id: Some(program.id),
        name: format!("{name} 1"),
        capacity: Some(capacity),
        ..SaveCohortRequest::default()
    };
    admin.call::<ops::SaveCohort>(&cohort).await.unwrap().id
}

/// A select field for the application form, as the form builder first sends it.
fn laptop_field(form_id: i64) -> SaveFieldRequest {
    SaveFieldRequest {
        id: None,
        form_id,
        name: "laptop".to_owned(),
        label: "Do you have a laptop?".to_owned(),
        field_type: FieldType::Select,
        required: false,
        options: vec!["Yes".to_owned(), "No".to_owned()],
        placeholder: None,
        min_length: None,
        max_length: None,
        is_enabled: true,
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_visitor_applies_is_approved_and_signs_in_as_a_student_of_the_cohort(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let id = application_id(&api.post_json(&path, &answers("Yara.Khalil@Example.org")).await);

    let url = database_url(&pool);
    let search = ListApplicationsRequest {
        cohort_id: Some(cohort),
        status: Some(ApplicationStatus::Pending),
        search: Some("yara".to_owned()),
        ..ListApplicationsRequest::default()
    };
    let pending = admin_call::<ops::ListApplications>(&url, &search).unwrap();
    assert_eq!(pending.items[0].id, id);
    assert_eq!(pending.items[0].email.as_deref(), Some("yara.khalil@example.org"), "the email normalized");
    let detail = admin_call::<ops::GetApplication>(&url, &IdRequest { id }).unwrap();
    let labels: Vec<&str> = detail.answers.iter().map(|answer| answer.label.as_str()).collect();
    assert_eq!(labels[..3], ["Full name", "Email", "Phone"], "answers under the form's labels, in its order");

    let approved = admin_call::<ops::ApproveApplication>(&url, &IdRequest { id }).unwrap();
    let application = &approved.application;
    assert_eq!(application.status, ApplicationStatus::Approved);
    assert!(application.reviewed_by.is_some() && application.reviewed_at.is_some(), "{application:?}");
    assert!(approved.new_account);
    assert_eq!(approved.invitation_sent_to.as_deref(), Some("yara.khalil@example.org"));
    let stored: String =
        sqlx::query_scalar!("select password_hash from users where email = 'yara.khalil@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, hub_core::account_codes::NO_PASSWORD, "no password until Yara chooses one");
    // Her invitation waits in the outbox after the approval, with no code in it: the code is
    // made as the message goes out (tests/it/passwords.rs).
    let queued: Vec<(String, String)> = sqlx::query_as(
        "select kind, text_body from mail_outbox where recipient = 'yara.khalil@example.org' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = queued.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["application_received", "application_approved", "invitation"]);
    assert!(queued[2].1.contains(hub_core::account_codes::PLACEHOLDER), "{}", queued[2].1);
    assert_eq!(
        admin_call::<ops::ApproveApplication>(&url, &IdRequest { id }).unwrap_err().kind,
        ErrorKind::Conflict,
        "approved once"
    );

    let mut login = LoginRequest {
        identifier: "yara.khalil@example.org".to_owned(),
        password: "what she might guess".to_owned(),
        device: None,
    };
    let refused = hub_tests::call_anonymously::<ops::SignIn>(&pool, &login).await.unwrap_err();
    assert!(refused.message.contains("no password yet"), "{refused:?}");
    // An admin may still set one for her (someone without email is let in so).
    let chosen = ResetPasswordRequest {
        id: approved.student_id,
        new_password: Some("yara's own password".to_owned()),
    };
    admin_call::<ops::ResetPassword>(&url, &chosen).unwrap();
    login.password = "yara's own password".to_owned();
    let signed_in =
        hub_tests::call_anonymously::<ops::SignIn>(&pool, &login).await.expect("the new student signs in");
    let mine = Caller::as_user(&pool, signed_in.user.id).call::<ops::MyCohorts>(&NoRequest {}).await.unwrap();
    assert_eq!(
        mine.iter().map(|taken| (taken.id, taken.taking_part)).collect::<Vec<_>>(),
        [(cohort, TakingPart::Studying { status: EnrollmentStatus::Active })]
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn bad_answers_a_second_application_and_a_closed_cohort_are_refused_without_a_row(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 100);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let before = counts(&pool).await;
    let with = |field: &str, value: Value| {
        let mut body = answers("rami.s@example.org");
        match value {
            Value::Null => {
                body["answers"].as_object_mut().unwrap().remove(field);
            }
            value => body["answers"][field] = value,
        }
        body
    };
    for (field, value, says) in [
        ("email", json!("rami.at.example.org"), "name@example.org"),
        ("full_name", Value::Null, "is required"),
        ("phone", json!("call me maybe"), "phone"),
        ("date_of_birth", json!("12/04/2001"), "date"),
        ("background", json!("Astronaut"), "must be one of"),
        ("accepts_terms", json!("yes"), "true or false"),
        ("accepts_terms", json!(false), "must be checked"),
        ("motivation", json!("Too short."), "at least 50"),
        ("full_name", json!("x".repeat(200)), "at most 120"),
        ("favourite_colour", json!("blue"), "not a field of this form"),
    ] {
        let answer = api.post_json(&path, &with(field, value.clone())).await;
        assert_eq!(answer.status, 400, "{field} = {value}: {}", answer.body);
        assert_eq!(answer.json()["field"], field, "{}", answer.body);
        assert!(answer.json()["error"].as_str().unwrap().contains(says), "{field}: {}", answer.body);
    }
    assert_eq!(counts(&pool).await, before, "no refused answer wrote anything");

    let first = api.post_json(&path, &answers("rami.s@example.org")).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = api.post_json(&path, &answers(" RAMI.S@example.org ")).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.json()["error"].as_str().unwrap().contains("already applied"));
    let after = counts(&pool).await;
    assert_eq!(
        after,
        (before.0 + 1, before.1 + 1, before.2 + 1),
        "one applicant, one application, one submission"
    );

    let running: i64 = sqlx::query_scalar!("select id from cohorts where status = 'running'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let closed =
        api.post_json(&format!("/public/cohorts/{running}/applications"), &answers("n@example.org")).await;
    assert_eq!(closed.status, 409);
    assert_eq!(closed.json()["error"], "the cohort is not open for applications");
    let unanswered =
        api.post_json(&format!("/public/cohorts/{running}/applications"), &json!({"answers": {}})).await;
    assert_eq!(
        (unanswered.status, unanswered.json()["error"].as_str()),
        (409, Some("the cohort is not open for applications")),
        "a closed cohort is said before the answers are checked"
    );
    sqlx::query!("update cohorts set enrollment_close_at = now() - interval '1 day' where id = $1", cohort)
        .execute(&pool)
        .await
        .unwrap();
    let late = api.post_json(&path, &answers("late@example.org")).await;
    assert_eq!((late.status, late.json()["error"].as_str()), (409, Some("applications have closed")));
    let nowhere = api.post_json("/public/cohorts/999999/applications", &answers("n@example.org")).await;
    assert_eq!(nowhere.status, 404);
    assert_eq!(counts(&pool).await, after, "refused applications wrote nothing");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn one_address_may_apply_only_so_often(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let path = format!("/public/cohorts/{}/applications", open_cohort(&pool).await);
    let mut statuses = Vec::new();
    for index in 0..12 {
        statuses.push(api.post_json(&path, &answers(&format!("flood{index}@example.org"))).await.status);
    }
    assert_eq!(statuses[..10], [201; 10]);
    assert_eq!(statuses[10..], [429, 429]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn fifty_approvals_at_once_fill_ten_seats_and_no_more(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let cohort_id = cohort_of(&admin, "Rush", 10).await;
    let mut applications = Vec::new();
    for index in 0..50 {
        let applicant = sqlx::query_scalar!(
            "insert into applicants (full_name, email) values ($1, $2) returning id",
            format!("Applicant {index}"),
            format!("applicant{index}@example.org")
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        applications.push(
            sqlx::query_scalar!(
                "insert into applications (cohort_id, applicant_id) values ($1, $2) returning id",
                cohort_id,
                applicant
            )
            .fetch_one(&pool)
            .await
            .unwrap(),
        );
    }
    let approvals: Vec<_> = applications
        .into_iter()
        .map(|id| {
            let admin = Caller { hub: admin.hub.clone(), id: admin.id };
            tokio::spawn(async move { admin.call::<ops::ApproveApplication>(&IdRequest { id }).await })
        })
        .collect();
    let mut approved = 0;
    let mut full = 0;
    for approval in approvals {
        match approval.await.unwrap() {
            Ok(_) => approved += 1,
            Err(error) => {
                assert!(error.message.contains("the cohort is full"), "{error:?}");
                full += 1;
            }
        }
    }
    assert_eq!((approved, full), (10, 40));
    let active: i64 = sqlx::query_scalar!(
        "select count(*) as \"n!\" from enrollments where cohort_id = $1 and status = 'active'",
        cohort_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(active, 10);
}

/// `count` applications to `cohort_id`, sent a minute apart (the first, first): their ids
/// in that order.
async fn applications_to(pool: &PgPool, cohort_id: i64, prefix: &str, count: i32) -> Vec<i64> {
    sqlx::query_scalar!(
        r#"with people as (
               insert into applicants (full_name, email)
               select $2 || ' ' || n, lower($2) || n || '@example.org' from generate_series(1, $3) n
               returning id, full_name)
           insert into applications (cohort_id, applicant_id, submitted_at)
           select $1, id, now() - make_interval(mins => $3 - split_part(full_name, ' ', 2)::int)
             from people order by id
           returning id"#,
        cohort_id,
        prefix,
        count
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_bulk_approval_of_fifty_on_ten_seats_enrolls_ten_and_waitlists_forty_in_order(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let cohort_id = cohort_of(&admin, "Rush", 10).await;
    let sent = applications_to(&pool, cohort_id, "Applicant", 50).await;
    let pending = ListApplicationsRequest {
        cohort_id: Some(cohort_id),
        status: Some(ApplicationStatus::Pending),
        ..ListApplicationsRequest::default()
    };
    let request =
        DecideManyRequest { ids: Vec::new(), filtered: Some(pending), status: ApplicationStatus::Approved };
    let done = admin.call::<ops::DecideApplications>(&request).await.unwrap();

    assert_eq!(done.decided, sent[..10], "the first ten sent, in order");
    assert_eq!(done.waitlisted_for_seats, sent[10..], "the other forty, in the order they were sent");
    assert_eq!(done.full_cohorts, ["Rush — Rush 1 (10 of 10 seats)"]);
    assert_eq!(done.left, []);
    assert_eq!(done.invitations, 10, "ten new accounts, ten invitations");
    let enrolled: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from enrollments where cohort_id = $1 and status = 'active'"#,
        cohort_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(enrolled, 10);
    // The waitlist is in the order they were sent: each was told their place.
    let places: Vec<String> = sqlx::query_scalar!(
        "select o.text_body from mail_outbox o join applicants ap on o.recipient = ap.email
           join applications a on a.applicant_id = ap.id
          where o.event_key like 'application:%:waitlisted' order by a.submitted_at"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(places.len(), 40);
    assert!(places[0].contains("you are next in line"), "{}", places[0]);
    assert!(places[39].contains("you are number 40 in line"), "{}", places[39]);
    // One operation in the trail.
    let trail: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from audit_log where operation = 'applications.decide_many'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(trail, 1);

    // Done again, nothing changes; rejecting five approvals offers their seats, once.
    let again = admin
        .call::<ops::DecideApplications>(&DecideManyRequest {
            filtered: None,
            ids: sent[..3].to_vec(),
            ..request
        })
        .await
        .unwrap();
    assert_eq!(again.unchanged, sent[..3]);
    let reject =
        DecideManyRequest { ids: sent[..5].to_vec(), filtered: None, status: ApplicationStatus::Rejected };
    let rejected = admin.call::<ops::DecideApplications>(&reject).await.unwrap();
    assert_eq!(rejected.decided, sent[..5]);
    assert_eq!(
        rejected.promotions.iter().map(|row| row.id).collect::<Vec<_>>(),
        [sent[10]],
        "the longest waiting"
    );
    // An unknown application is named, and nothing is decided.
    let unknown = DecideManyRequest {
        ids: vec![sent[20], 999_999],
        filtered: None,
        status: ApplicationStatus::Rejected,
    };
    let refused = admin.call::<ops::DecideApplications>(&unknown).await.unwrap_err();
    assert_eq!((refused.kind, refused.field.as_deref()), (ErrorKind::Validation, Some("ids")));
    assert!(refused.message.contains("999999"), "{}", refused.message);
    let twentieth: String = sqlx::query_scalar!("select status from applications where id = $1", sent[20])
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(twentieth, "waitlisted");

    // One applicant of another cohort has an account, deactivated: theirs is left as it
    // was, said why, and the others go ahead.
    let spare = cohort_of(&admin, "Spare", 5).await;
    let spares = applications_to(&pool, spare, "Spare", 3).await;
    sqlx::query!(
        "insert into users (email, password_hash, is_active) values ('spare2@example.org', 'x', false)"
    )
    .execute(&pool)
    .await
    .unwrap();
    let approve =
        DecideManyRequest { ids: spares.clone(), filtered: None, status: ApplicationStatus::Approved };
    let done = admin.call::<ops::DecideApplications>(&approve).await.unwrap();
    assert_eq!(done.decided, [spares[0], spares[2]]);
    assert_eq!(done.left.iter().map(|left| left.application.id).collect::<Vec<_>>(), [spares[1]]);
    assert!(done.left[0].reason.contains("deactivated"), "{}", done.left[0].reason);
    let second: String = sqlx::query_scalar!("select status from applications where id = $1", spares[1])
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(second, "pending");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_freed_seat_offers_the_oldest_waitlisted_application(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let cohort_id = cohort_of(&admin, "Small", 1).await;
    let mut ids = Vec::new();
    for (index, name) in ["First", "Second", "Third"].iter().enumerate() {
        let applicant = sqlx::query_scalar!(
            "insert into applicants (full_name, email) values ($1, $2) returning id",
            format!("{name} Person"),
            format!("{}@example.org", name.to_lowercase())
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        ids.push(
            sqlx::query_scalar!(
                "insert into applications (cohort_id, applicant_id, submitted_at)
                 values ($1, $2, now() - make_interval(hours => $3)) returning id",
                cohort_id,
                applicant,
                10 - i32::try_from(index).unwrap()
            )
            .fetch_one(&pool)
            .await
            .unwrap(),
        );
    }
    let approve = |id: i64| {
        let admin = &admin;
        async move { admin.call::<ops::ApproveApplication>(&IdRequest { id }).await }
    };
    let decide = |id: i64, status: ApplicationStatus| {
        let admin = &admin;
        async move { admin.call::<ops::DecideApplication>(&DecideApplicationRequest { id, status }).await }
    };
    let approved = approve(ids[0]).await.unwrap();
    let refused = approve(ids[1]).await.unwrap_err();
    assert!(refused.message.contains("the cohort is full (1 of 1 seats taken)"), "{}", refused.message);
    for id in [ids[2], ids[1]] {
        let decided = decide(id, ApplicationStatus::Waitlisted).await.unwrap();
        assert_eq!(decided.promotion, None, "no seat is free");
    }
    // The student drops out: the seat is offered to the oldest waitlisted application.
    let enrollment = approved.application.enrollment_id.expect("an approval enrolls");
    let drop = SetEnrollmentStatusRequest { id: enrollment, status: EnrollmentStatus::Dropped };
    let dropped = admin.call::<ops::SetEnrollmentStatus>(&drop).await.unwrap();
    assert_eq!(dropped.student.status, EnrollmentStatus::Dropped);
    assert_eq!(dropped.promotion.map(|offered| offered.id), Some(ids[1]), "Second waited longest");
    approve(ids[1]).await.unwrap();
    // Withdrawing that approval frees its seat again, for Third.
    let withdrawn = decide(ids[1], ApplicationStatus::Rejected).await.unwrap();
    assert_eq!(withdrawn.promotion.map(|offered| offered.id), Some(ids[2]));
    let funnel = admin.call::<ops::ApplicationFunnel>(&NoRequest {}).await.unwrap();
    assert_eq!((funnel[0].approved, funnel[0].rejected, funnel[0].waitlisted), (1, 1, 1));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn enrolling_a_student_directly_respects_roles_seats_and_duplicates(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let cohort = CohortBuilder::new(&pool, "direct").build().await.id;
    let student = TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    let enroll = AddEnrollmentRequest { cohort_id: cohort, user_id: student };
    let added = admin.call::<ops::AddEnrollment>(&enroll).await.unwrap();
    assert_eq!(added.student.status, EnrollmentStatus::Active);
    admin.refuses::<ops::AddEnrollment>(&enroll, "user_id", "already").await;
    let teacher = TestUser::INSTRUCTOR.insert(&pool, "teacher@example.org", None).await;
    let enroll_teacher = AddEnrollmentRequest { user_id: teacher, ..enroll };
    admin.refuses::<ops::AddEnrollment>(&enroll_teacher, "user_id", "not a student").await;
    let pause =
        SetEnrollmentStatusRequest { id: added.student.enrollment_id, status: EnrollmentStatus::Paused };
    let paused = admin.call::<ops::SetEnrollmentStatus>(&pause).await.unwrap();
    assert_eq!((paused.student.status, paused.promotion), (EnrollmentStatus::Paused, None));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_form_builder_checks_each_field_and_keeps_the_order(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let forms = admin.call::<ops::ListForms>(&NoRequest {}).await.unwrap();
    let form_id = forms.iter().find(|form| form.key == APPLICATION_FORM_KEY).unwrap().id;
    let laptop = laptop_field(form_id);
    let named = |name: &str| SaveFieldRequest { name: name.to_owned(), ..laptop.clone() };
    admin.refuses::<ops::SaveField>(&named("Has Laptop"), "name", "lower-case").await;
    admin.refuses::<ops::SaveField>(&named("email"), "name", "already a field").await;
    let blank_choice = SaveFieldRequest { options: vec![" ".to_owned()], ..laptop.clone() };
    admin.refuses::<ops::SaveField>(&blank_choice, "options", "at least one choice").await;
    let lengths = SaveFieldRequest {
        field_type: FieldType::Text,
        min_length: Some(10),
        max_length: Some(5),
        ..laptop.clone()
    };
    admin.refuses::<ops::SaveField>(&lengths, "max_length", "at least the minimum").await;
    let unlabelled = SaveFieldRequest { label: "  ".to_owned(), ..laptop.clone() };
    admin.refuses::<ops::SaveField>(&unlabelled, "label", "enter the label").await;
    let saved = admin.call::<ops::SaveField>(&laptop).await.unwrap();
    assert_eq!(saved.fields.last().unwrap().name, "laptop", "a new field comes last");
    let mut ids: Vec<i64> = saved.fields.iter().map(|field| field.id).collect();
    ids.rotate_right(1);
    let reorder = ReorderFieldsRequest { form_id, ids };
    let reordered = admin.call::<ops::ReorderFields>(&reorder).await.unwrap();
    assert_eq!(reordered.fields[0].name, "laptop");
    let one_missing = ReorderFieldsRequest { form_id, ids: reorder.ids[1..].to_vec() };
    admin.refuses::<ops::ReorderFields>(&one_missing, "ids", "every field").await;
    let public = hub_core::website::form(&pool, APPLICATION_FORM_KEY).await.unwrap();
    assert_eq!(public.fields[0].name, "laptop", "visitors see the new order");
    let another = SaveFormRequest {
        id: None,
        key: APPLICATION_FORM_KEY.to_owned(),
        title: Some("Another".to_owned()),
        description: None,
        is_active: true,
    };
    admin.refuses::<ops::SaveForm>(&another, "key", "already used").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_new_hub_has_an_application_form_asking_name_email_and_phone(pool: PgPool) {
    let form = hub_core::website::form(&pool, "cohort_application").await.unwrap();
    let fields: Vec<(&str, FieldType, bool)> =
        form.fields.iter().map(|field| (field.name.as_str(), field.field_type, field.required)).collect();
    assert_eq!(
        fields,
        [
            ("full_name", FieldType::Text, true),
            ("email", FieldType::Email, true),
            ("phone", FieldType::Phone, true)
        ]
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_application_form_keeps_its_key_and_its_email_field(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let form_id: i64 = sqlx::query_scalar!("select id from forms where key = 'cohort_application'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let email_id: i64 =
        sqlx::query_scalar!("select id from form_fields where form_id = $1 and name = 'email'", form_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let renamed = SaveFormRequest {
        id: Some(form_id),
        key: "apply".to_owned(),
        title: Some("Apply".to_owned()),
        description: None,
        is_active: true,
    };
    admin.refuses::<ops::SaveForm>(&renamed, "key", "keeps its key").await;
    let email = SaveFieldRequest {
        id: Some(email_id),
        form_id,
        name: "email".to_owned(),
        label: "Your email".to_owned(),
        field_type: FieldType::Email,
        required: true,
        options: vec![],
        placeholder: None,
        min_length: None,
        max_length: None,
        is_enabled: true,
    };
    for change in [
        SaveFieldRequest { is_enabled: false, ..email.clone() },
        SaveFieldRequest { required: false, ..email.clone() },
        SaveFieldRequest { name: "mail".to_owned(), ..email.clone() },
        SaveFieldRequest { field_type: FieldType::Text, ..email.clone() },
    ] {
        admin.refuses::<ops::SaveField>(&change, "name", "stays an enabled, required email field").await;
    }
    let relabelled = admin.call::<ops::SaveField>(&email).await.unwrap();
    assert!(relabelled.fields.iter().any(|field| field.label == "Your email"), "its label may change");
    let removed = admin.call::<ops::DeleteField>(&IdRequest { id: email_id }).await.unwrap_err();
    assert_eq!(removed.kind, ErrorKind::Conflict);
    let fields: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from form_fields where form_id = $1"#, form_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(fields, 3, "nothing removed");
    let closed = SaveFormRequest { key: APPLICATION_FORM_KEY.to_owned(), is_active: false, ..renamed };
    let deactivated = admin.call::<ops::SaveForm>(&closed).await.unwrap();
    assert!(!deactivated.form.is_active, "closing applications site-wide stays possible");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn approving_finds_the_person_by_email_never_by_a_phone_someone_else_has(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let phone_owner = TestUser::STUDENT.insert(&pool, "owner@example.org", Some("+961 70 123 456")).await;
    let admin = Caller::admin(&pool).await;

    let id = application_id(&api.post_json(&path, &answers("new.person@example.org")).await);
    let approved = admin.call::<ops::ApproveApplication>(&IdRequest { id }).await.unwrap();
    assert!(approved.new_account, "a new account, not the phone's owner's");
    assert_ne!(approved.student_id, phone_owner);
    let owner_enrolled: i64 = sqlx::query_scalar!(
        r#"select count(*) as "n!" from enrollments where student_user_id = $1"#,
        phone_owner
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(owner_enrolled, 0);

    let gone =
        TestUser { is_inactive: true, ..TestUser::STUDENT }.insert(&pool, "gone@example.org", None).await;
    let id = application_id(&api.post_json(&path, &answers("Gone@Example.org")).await);
    let refused = admin.call::<ops::ApproveApplication>(&IdRequest { id }).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(
        refused.message.contains(&format!("user {gone}")) && refused.message.contains("deactivated"),
        "{refused:?}"
    );
    let enrolled: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from enrollments where student_user_id = $1"#, gone)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(enrolled, 0, "nothing written");
}

/// Anyone may post the form with someone else's email: that changes nothing of theirs. The
/// applicant keeps what they said, and approving their application gives the new account
/// their own name and phone — not a stranger's, which would have been a way to sign in.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_visitor_with_someone_elses_email_changes_nothing_of_theirs(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let id = application_id(&api.post_json(&path, &answers("yara.khalil@example.org")).await);

    let mut forged = answers("Yara.Khalil@Example.org");
    forged["answers"]["full_name"] = json!("Someone Else");
    forged["answers"]["phone"] = json!("+961 3 999 999");
    let refused = api.post_json(&path, &forged).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let applicant =
        sqlx::query!("select full_name, phone from applicants where email = 'yara.khalil@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (applicant.full_name.as_deref(), applicant.phone.as_deref()),
        (Some("Yara Khalil"), Some("+96170123456"))
    );

    let admin = Caller::admin(&pool).await;
    let approved = admin.call::<ops::ApproveApplication>(&IdRequest { id }).await.unwrap();
    let account = sqlx::query!(
        "select u.phone, d.display_name from users u join user_directory d on d.user_id = u.id where u.id = $1",
        approved.student_id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (account.phone.as_deref(), account.display_name.as_str()),
        (Some("+96170123456"), "Yara Khalil")
    );
}

async fn enrollment_rows(pool: &PgPool, cohort_id: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "select student_user_id, status from enrollments where cohort_id = $1 order by student_user_id",
    )
    .bind(cohort_id)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn several_enrollments_are_paused_or_moved_at_once_all_or_none(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let from = CohortBuilder::new(&pool, "from").students(4).sessions(1).build().await;
    let next = cohort_of(&admin, "Next", 3).await;
    let e = &from.enrollments;
    // The first student has a mark in the cohort they leave.
    sqlx::query(
        "insert into attendance_records (session_id, enrollment_id, status) values ($1, $2, 'present')",
    )
    .bind(from.sessions[0])
    .bind(e[0])
    .execute(&pool)
    .await
    .unwrap();
    let change =
        |ids: &[i64], change: EnrollmentsChange| ChangeEnrollmentsRequest { ids: ids.to_vec(), change };

    let paused = admin
        .call::<ops::ChangeEnrollments>(&change(&e[..2], EnrollmentsChange::Status(EnrollmentStatus::Paused)))
        .await
        .unwrap();
    assert_eq!((paused.changed, paused.unchanged), (2, 0));
    let again = admin
        .call::<ops::ChangeEnrollments>(&change(&e[..2], EnrollmentsChange::Status(EnrollmentStatus::Paused)))
        .await
        .unwrap();
    assert_eq!((again.changed, again.unchanged), (0, 2));

    // Four into three seats: refused, and nobody moved.
    let refused =
        admin.call::<ops::ChangeEnrollments>(&change(e, EnrollmentsChange::MoveTo(next))).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("3 seats left for 4 students"), "{}", refused.message);
    assert_eq!(enrollment_rows(&pool, next).await, []);

    // Three: the one with a mark stays behind as dropped, with it; the others move.
    let moved = admin
        .call::<ops::ChangeEnrollments>(&change(&e[..3], EnrollmentsChange::MoveTo(next)))
        .await
        .unwrap();
    assert_eq!(moved.changed, 3);
    let students: Vec<i64> =
        sqlx::query_scalar("select student_user_id from enrollments where id = any($1) order by id")
            .bind(e)
            .fetch_all(&pool)
            .await
            .unwrap();
    let left_behind = enrollment_rows(&pool, from.id).await;
    assert_eq!(left_behind, [(students[0], "dropped".to_owned()), (students[3], "active".to_owned())]);
    let marked: i64 = sqlx::query_scalar("select count(*) from attendance_records where enrollment_id = $1")
        .bind(e[0])
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(marked, 1, "the mark stays with its cohort");
    let arrived: Vec<(i64, String)> = enrollment_rows(&pool, next).await;
    assert_eq!(arrived.iter().map(|(student, _)| *student).collect::<Vec<_>>(), students[..3]);
    assert!(arrived.iter().all(|(_, status)| status == "active"), "{arrived:?}");
    // An unknown enrollment is named; one moved twice is refused, saying who.
    let unknown = admin
        .call::<ops::ChangeEnrollments>(&change(&[999_999], EnrollmentsChange::MoveTo(next)))
        .await
        .unwrap_err();
    assert_eq!((unknown.kind, unknown.field.as_deref()), (ErrorKind::Validation, Some("ids")));
    let twice = admin
        .call::<ops::ChangeEnrollments>(&change(&e[..1], EnrollmentsChange::MoveTo(next)))
        .await
        .unwrap_err();
    assert!(twice.message.contains("is enrolled in that cohort already"), "{}", twice.message);
    // A finished cohort takes no one.
    sqlx::query("update cohorts set status = 'completed' where id = $1")
        .bind(from.id)
        .execute(&pool)
        .await
        .unwrap();
    let finished = admin
        .call::<ops::ChangeEnrollments>(&change(&e[1..2], EnrollmentsChange::MoveTo(from.id)))
        .await
        .unwrap_err();
    assert_eq!((finished.kind, finished.field.as_deref()), (ErrorKind::Validation, Some("change")));
    assert!(finished.message.contains("that cohort is completed"), "{}", finished.message);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn completing_a_cohort_completes_its_active_students_and_graduates_them(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let running: i64 =
        sqlx::query_scalar("select id from cohorts where status = 'running'").fetch_one(&pool).await.unwrap();
    let active: i64 =
        sqlx::query_scalar("select count(*) from enrollments where cohort_id = $1 and status = 'active'")
            .bind(running)
            .fetch_one(&pool)
            .await
            .unwrap();
    let done = admin
        .call::<ops::CompleteCohort>(&CompleteCohortRequest { cohort_id: running, enrollments: true })
        .await
        .unwrap();
    assert_eq!(i64::from(done.completed), active);
    let (status, still_active, graduated): (String, i64, i64) = sqlx::query_as(
        "select c.status,
                (select count(*) from enrollments e where e.cohort_id = c.id and e.status = 'active'),
                (select count(*) from enrollments e join student_profiles p on p.user_id = e.student_user_id
                  where e.cohort_id = c.id and e.status = 'completed' and p.status = 'graduated')
           from cohorts c where c.id = $1",
    )
    .bind(running)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), still_active, graduated), ("completed", 0, active));
}
