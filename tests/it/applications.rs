//! From a visitor's form to a student in a cohort: applying through the public API (every
//! bad answer refused by name, nothing written), reviewing and approving through `hubctl
//! call`, the new student signing in; capacity held under 50 approvals at once; a freed
//! seat offering the oldest waitlisted application; the form builder's checks.

use hub_model::ops;
use hub_model::programs::{EnrollmentStatus, TakingPart};
use hub_model::NoRequest;
use hub_tests::{database_url, Caller, PublicApi, TestUser};
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

fn admin_call(url: &str, operation: &str, request: &Value) -> Result<Value, Value> {
    hub_tests::hubctl_call(url, "admin@demo.digitalhub.dev", operation, request)
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_visitor_applies_is_approved_and_signs_in_as_a_student_of_the_cohort(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let applied = api.post_json(&path, &answers("Yara.Khalil@Example.org")).await;
    assert_eq!(applied.status, 201, "{}", applied.body);
    let id = applied.json()["id"].as_i64().unwrap();

    let url = database_url(&pool);
    let pending = admin_call(
        &url,
        "applications.list",
        &json!({ "cohort_id": cohort, "status": "pending", "search": "yara" }),
    )
    .unwrap();
    assert_eq!(pending["items"][0]["id"], id);
    assert_eq!(pending["items"][0]["email"], "yara.khalil@example.org", "the email normalized");
    let detail = admin_call(&url, "applications.get", &json!({ "id": id })).unwrap();
    let labels: Vec<&str> =
        detail["answers"].as_array().unwrap().iter().map(|a| a["label"].as_str().unwrap()).collect();
    assert_eq!(labels[..3], ["Full name", "Email", "Phone"], "answers under the form's labels, in its order");

    let approved = admin_call(&url, "applications.approve", &json!({ "id": id })).unwrap();
    assert_eq!(approved["application"]["status"], "approved");
    assert!(
        approved["application"]["reviewed_by"].is_string()
            && approved["application"]["reviewed_at"].is_string()
    );
    assert_eq!(approved["new_account"], true);
    let password = approved["one_time_password"].as_str().unwrap().to_owned();
    let stored: String =
        sqlx::query_scalar!("select password_hash from users where email = 'yara.khalil@example.org'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(stored.starts_with("$argon2id$") && !stored.contains(&password), "never stored in clear");
    assert_eq!(
        admin_call(&url, "applications.approve", &json!({ "id": id })).unwrap_err()["kind"],
        "conflict",
        "approved once"
    );

    let student = hub_core::Hub::new(pool.clone());
    let login = hub_core::ops::call(
        &student,
        &hub_core::Caller::anonymous(),
        "auth.sign_in",
        json!({ "identifier": "yara.khalil@example.org", "password": password }),
    )
    .await
    .expect("the new student signs in");
    let me = login["user"]["id"].as_i64().unwrap();
    let mine = Caller::as_user(&pool, me).call::<ops::MyCohorts>(&NoRequest {}).await.unwrap();
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
    let program = admin.call_json("programs.save", json!({ "slug": "rush", "title": "Rush" })).await.unwrap();
    let cohort = admin
        .call_json("cohorts.save", json!({ "program_id": program["id"], "name": "Rush 1", "capacity": 10 }))
        .await
        .unwrap();
    let cohort_id = cohort["id"].as_i64().unwrap();
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
            let hub = admin.hub.clone();
            let admin_id = admin.id;
            tokio::spawn(async move {
                hub_core::ops::call(
                    &hub,
                    &hub_core::Caller::user(admin_id),
                    "applications.approve",
                    json!({ "id": id }),
                )
                .await
            })
        })
        .collect();
    let mut approved = 0;
    let mut full = 0;
    for approval in approvals {
        match approval.await.unwrap() {
            Ok(_) => approved += 1,
            Err(error) => {
                assert!(error.to_string().contains("the cohort is full"), "{error}");
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

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_freed_seat_offers_the_oldest_waitlisted_application(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let program =
        admin.call_json("programs.save", json!({ "slug": "small", "title": "Small" })).await.unwrap();
    let cohort = admin
        .call_json("cohorts.save", json!({ "program_id": program["id"], "name": "Tiny", "capacity": 1 }))
        .await
        .unwrap();
    let cohort_id = cohort["id"].as_i64().unwrap();
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
    let approved = admin.call_json("applications.approve", json!({ "id": ids[0] })).await.unwrap();
    let refused = admin.call_json("applications.approve", json!({ "id": ids[1] })).await.unwrap_err();
    assert!(refused.message.contains("the cohort is full (1 of 1 seats taken)"), "{}", refused.message);
    for id in [ids[2], ids[1]] {
        let decided = admin
            .call_json("applications.decide", json!({ "id": id, "status": "waitlisted" }))
            .await
            .unwrap();
        assert_eq!(decided["promotion"], Value::Null, "no seat is free");
    }
    // The student drops out: the seat is offered to the oldest waitlisted application.
    let enrollment = approved["application"]["enrollment_id"].clone();
    let dropped = admin
        .call_json("enrollments.set_status", json!({ "id": enrollment, "status": "dropped" }))
        .await
        .unwrap();
    assert_eq!(dropped["student"]["status"], "dropped");
    assert_eq!(dropped["promotion"]["id"], ids[1], "Second waited longest");
    admin.call_json("applications.approve", json!({ "id": ids[1] })).await.unwrap();
    // Withdrawing that approval frees its seat again, for Third.
    let withdrawn =
        admin.call_json("applications.decide", json!({ "id": ids[1], "status": "rejected" })).await.unwrap();
    assert_eq!(withdrawn["promotion"]["id"], ids[2]);
    let funnel = admin.call_json("applications.funnel", json!({})).await.unwrap();
    assert_eq!(
        (funnel[0]["approved"].as_i64(), funnel[0]["rejected"].as_i64(), funnel[0]["waitlisted"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn enrolling_a_student_directly_respects_roles_seats_and_duplicates(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let cohort = open_cohort(&pool).await;
    let student = hub_tests::user_id(&pool, "student@demo.digitalhub.dev").await;
    let added =
        admin.call_json("enrollments.add", json!({ "cohort_id": cohort, "user_id": student })).await.unwrap();
    assert_eq!(added["student"]["status"], "active");
    admin
        .refused("enrollments.add", json!({ "cohort_id": cohort, "user_id": student }), "user_id", "already")
        .await;
    let teacher = hub_tests::user_id(&pool, "instructor@demo.digitalhub.dev").await;
    admin
        .refused(
            "enrollments.add",
            json!({ "cohort_id": cohort, "user_id": teacher }),
            "user_id",
            "not a student",
        )
        .await;
    let paused = admin
        .call_json(
            "enrollments.set_status",
            json!({ "id": added["student"]["enrollment_id"], "status": "paused" }),
        )
        .await
        .unwrap();
    assert_eq!(
        (paused["student"]["status"].as_str(), paused["promotion"].clone()),
        (Some("paused"), Value::Null)
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_form_builder_checks_each_field_and_keeps_the_order(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let admin = Caller::admin(&pool).await;
    let forms = admin.call_json("forms.list", json!({})).await.unwrap();
    let form =
        forms.as_array().unwrap().iter().find(|form| form["key"] == "cohort_application").unwrap().clone();
    let form_id = form["id"].as_i64().unwrap();
    let field = |extra: Value| {
        let mut request = json!({ "form_id": form_id, "name": "laptop", "label": "Do you have a laptop?", "field_type": "select",
                                  "options": ["Yes", "No"] });
        for (key, value) in extra.as_object().unwrap() {
            request[key] = value.clone();
        }
        request
    };
    admin.refused("forms.save_field", field(json!({ "name": "Has Laptop" })), "name", "lower-case").await;
    admin.refused("forms.save_field", field(json!({ "name": "email" })), "name", "already a field").await;
    admin
        .refused("forms.save_field", field(json!({ "options": [" "] })), "options", "at least one choice")
        .await;
    admin
        .refused(
            "forms.save_field",
            field(json!({ "field_type": "text", "min_length": 10, "max_length": 5 })),
            "max_length",
            "at least the minimum",
        )
        .await;
    admin.refused("forms.save_field", field(json!({ "label": "  " })), "label", "enter the label").await;
    let saved = admin.call_json("forms.save_field", field(json!({}))).await.unwrap();
    let fields = saved["fields"].as_array().unwrap();
    assert_eq!(fields.last().unwrap()["name"], "laptop", "a new field comes last");
    let mut ids: Vec<i64> = fields.iter().map(|field| field["id"].as_i64().unwrap()).collect();
    ids.rotate_right(1);
    let reordered =
        admin.call_json("forms.reorder_fields", json!({ "form_id": form_id, "ids": ids })).await.unwrap();
    assert_eq!(reordered["fields"][0]["name"], "laptop");
    admin
        .refused("forms.reorder_fields", json!({ "form_id": form_id, "ids": ids[1..] }), "ids", "every field")
        .await;
    let public = hub_core::website::form(&pool, "cohort_application").await.unwrap();
    assert_eq!(public.fields[0].name, "laptop", "visitors see the new order");
    admin.refused("forms.save", json!({ "key": "contact", "title": "Another" }), "key", "already used").await;
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_new_hub_has_an_application_form_asking_name_email_and_phone(pool: PgPool) {
    let form = hub_core::website::form(&pool, "cohort_application").await.unwrap();
    let fields: Vec<(&str, &str, bool)> = form
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.field_type.as_str(), field.required))
        .collect();
    assert_eq!(fields, [("full_name", "text", true), ("email", "email", true), ("phone", "phone", true)]);
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
    admin
        .refused(
            "forms.save",
            json!({ "id": form_id, "key": "apply", "title": "Apply" }),
            "key",
            "keeps its key",
        )
        .await;
    let email = |changes: serde_json::Value| {
        let mut field = json!({
            "id": email_id, "form_id": form_id, "name": "email", "label": "Your email",
            "field_type": "email", "required": true, "is_enabled": true,
        });
        field.as_object_mut().unwrap().extend(changes.as_object().unwrap().clone());
        field
    };
    for change in [
        json!({ "is_enabled": false }),
        json!({ "required": false }),
        json!({ "name": "mail" }),
        json!({ "field_type": "text" }),
    ] {
        admin
            .refused("forms.save_field", email(change), "name", "stays an enabled, required email field")
            .await;
    }
    let relabelled = admin.call_json("forms.save_field", email(json!({}))).await.unwrap();
    assert!(
        relabelled["fields"].as_array().unwrap().iter().any(|f| f["label"] == "Your email"),
        "its label may change"
    );
    let removed = admin.call_json("forms.delete_field", json!({ "id": email_id })).await.unwrap_err();
    assert_eq!(removed.kind, hub_model::ErrorKind::Conflict);
    let fields: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from form_fields where form_id = $1"#, form_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(fields, 3, "nothing removed");
    let deactivated = admin
        .call_json(
            "forms.save",
            json!({ "id": form_id, "key": "cohort_application", "title": "Apply", "is_active": false }),
        )
        .await
        .unwrap();
    assert_eq!(deactivated["form"]["is_active"], false, "closing applications site-wide stays possible");
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn approving_finds_the_person_by_email_never_by_a_phone_someone_else_has(pool: PgPool) {
    hub_core::demo::seed(&pool).await.unwrap();
    let api = serve(&pool, 10);
    let cohort = open_cohort(&pool).await;
    let path = format!("/public/cohorts/{cohort}/applications");
    let phone_owner = TestUser::STUDENT.insert(&pool, "owner@example.org", Some("+961 70 123 456")).await;
    let admin = Caller::admin(&pool).await;

    let applied = api.post_json(&path, &answers("new.person@example.org")).await;
    assert_eq!(applied.status, 201, "{}", applied.body);
    let approved =
        admin.call_json("applications.approve", json!({ "id": applied.json()["id"] })).await.unwrap();
    assert_eq!(approved["new_account"], true, "a new account, not the phone's owner's");
    assert_ne!(approved["student_id"], phone_owner);
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
    let applied = api.post_json(&path, &answers("Gone@Example.org")).await;
    assert_eq!(applied.status, 201, "{}", applied.body);
    let refused =
        admin.call_json("applications.approve", json!({ "id": applied.json()["id"] })).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Conflict);
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
    let applied = api.post_json(&path, &answers("yara.khalil@example.org")).await;
    assert_eq!(applied.status, 201, "{}", applied.body);

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
    let approved =
        admin.call_json("applications.approve", json!({ "id": applied.json()["id"] })).await.unwrap();
    let account = sqlx::query!(
        "select u.phone, d.display_name from users u join user_directory d on d.user_id = u.id where u.id = $1",
        approved["student_id"].as_i64().unwrap()
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (account.phone.as_deref(), account.display_name.as_str()),
        (Some("+96170123456"), "Yara Khalil")
    );
}
