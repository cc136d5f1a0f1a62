//! What operations send back: never a password hash, whoever asks, on the demo data; and
//! what they leave in the audit trail: exactly what their rule in the operation table says.

use hub_core::demo::{self, DEMO_PASSWORD};
use hub_core::ops::{self, Audit, OPERATIONS};
use hub_core::Hub;
use serde_json::{json, Value};
use sqlx::PgPool;

/// A request that succeeds for each operation on the demo data. Every operation must have
/// one, so the check below covers it the day it is added.
/// Ids of the demo data the examples name.
struct Demo {
    user: i64,
    instructor: i64,
    admin: i64,
    /// The contact form and its fields, in order.
    contact_form: i64,
    contact_fields: Vec<i64>,
    /// A session of the running cohort, and one of its active enrollments.
    session: i64,
    /// A later session of the same cohort that nobody has marked.
    unmarked_session: i64,
    enrollment: i64,
    /// Someone who calls nothing, with a live code.
    coded: i64,
    /// Three enrollments of the demo's completed cohort: the first made active again (for
    /// the cohort's completion to complete), the others for a change of several.
    finished: Vec<i64>,
    /// A marks file that changes a mark of another session held (not `user`'s: an example
    /// changes their email).
    marks_csv: String,
}

/// A live code of someone who calls nothing (each caller changes their password, which uses
/// up their codes), made before the operations are called.
const PERSON_CODE: &str = "KM7Q-9XRT-4HPA-W3NB";

fn example_request(operation: &str, demo: &Demo) -> Value {
    let (some_user, some_instructor, some_admin) = (demo.user, demo.instructor, demo.admin);
    match operation {
        "app.info" | "auth.sign_out" | "auth.me" => json!({}),
        "auth.sign_in" => json!({ "identifier": "admin@demo.digitalhub.dev", "password": DEMO_PASSWORD }),
        "auth.change_password" => {
            json!({ "current_password": DEMO_PASSWORD, "new_password": "another demo password" })
        }
        "users.reset_password" | "users.get" | "users.invite" => json!({ "id": some_user }),
        "auth.forgot_password" => json!({ "email": "student@demo.digitalhub.dev" }),
        // The code the test gives someone before asking.
        "auth.redeem_code" => json!({
            "email": "coded@example.org", "code": PERSON_CODE, "new_password": "a password of my own"
        }),
        "devices.list" | "devices.revoke_all" => json!({ "user_id": some_admin }),
        // The session the sign-in above opened.
        "devices.revoke" => json!({ "id": 1 }),
        "users.list" => json!({ "per_page": 200 }),
        "users.export_csv" | "applications.export_csv" | "enrollments.export_csv" => json!({}),
        "users.create" => {
            json!({ "email": "new.person@example.org", "full_name": "New Person", "is_student": true })
        }
        "users.update" => json!({ "id": some_user, "email": "nour@example.org", "full_name": "Nour Karam" }),
        "users.set_roles" => {
            json!({ "id": some_user, "is_admin": false, "is_instructor": true, "is_student": true })
        }
        // Someone who calls nothing (their code was redeemed above): deactivated, a change.
        "users.set_active" => json!({ "id": demo.coded, "is_active": false }),
        "profiles.mine" => json!({}),
        "profiles.get" => json!({ "user_id": some_user }),
        "profiles.update_mine" => {
            json!({ "full_name": "Nour Karam", "github_url": "https://github.com/nour" })
        }
        "profiles.update_student" => {
            json!({ "user_id": some_user, "basics": { "full_name": "Nour Karam" }, "status": "active" })
        }
        "profiles.update_instructor" => {
            json!({ "user_id": some_instructor, "basics": { "full_name": "Karim Nassar" }, "is_public": true })
        }
        "profiles.set_my_listing" => json!({ "listed": true }),
        "profiles.approve_student" => json!({ "user_id": some_user }),
        "profiles.public_review" => json!({}),
        "profiles.update_manager" => {
            json!({ "user_id": some_admin, "basics": { "full_name": "Maya Khoury" } })
        }
        "app.theme" | "cms.get_site" | "cms.list_theme" | "cms.list_pages" | "cms.list_sections" => json!({}),
        "cms.update_site" => json!({
            "site_name": "Digital Hub",
            "default_event_location": "Beirut Digital District",
            "contact_email": "hello@example.org",
            "social_links": { "github": "https://github.com/digitalhub" }
        }),
        "cms.save_theme_token" => {
            json!({ "key": "--highlight", "value": "#ffd43b", "purpose": "Highlights", "scope": "web" })
        }
        "cms.delete_theme_token" => json!({ "id": 1 }),
        "cms.get_page" => json!({ "id": 1 }),
        "cms.save_page" => json!({
            "key": "faq", "title": "FAQ", "is_published": true,
            "content": { "blocks": [{ "type": "heading", "text": "Questions" }] }
        }),
        "website.preview" => json!({
            "page": "home",
            "sections": [{ "key": "hero", "title": "A preview", "content": { "subtitle": "Not saved yet." } }]
        }),
        // A 4×4 blue PNG.
        "media.upload" => json!({
            "file_name": "blue.png",
            "content_base64": "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGOwjr4NRwzEcQBN8hcRanNdYgAAAABJRU5ErkJggg=="
        }),
        // The page made just before (the demo has four).
        "cms.delete_page" => json!({ "id": 5 }),
        // A key of its own: a second administrator's call is refused, and one section is made.
        "cms.create_section" => json!({ "kind": "hero", "key": "hero-2", "title": "A second hero" }),
        "cms.update_section" => json!({ "id": 1, "title": "Welcome", "is_enabled": true, "content": {} }),
        // The section made just before (the demo has seven), so the order below lists them all.
        "cms.delete_section" => json!({ "id": 8 }),
        "cms.reorder_sections" => json!({ "ids": [7, 6, 5, 4, 3, 2, 1] }),
        "programs.list" | "cohorts.list" => json!({}),
        "programs.save" => {
            json!({ "slug": "cyber-security", "title": "Cyber Security", "default_capacity": 18 })
        }
        // The demo's third program (one cohort, 4) goes; the first one's cohorts stay.
        "programs.delete_impact" | "programs.delete" => json!({ "id": 3 }),
        "cohorts.get" => json!({ "id": 1 }),
        "cohorts.mine" => json!({}),
        "cohorts.save" => json!({ "program_id": 1, "name": "Summer 2027" }),
        "cohorts.set_status" => json!({ "id": 5, "status": "coming_soon" }),
        "cohorts.assign_instructor" => {
            json!({ "cohort_id": 1, "user_id": some_instructor, "cohort_role": "mentor" })
        }
        "cohorts.remove_instructor" => json!({ "cohort_id": 1, "user_id": some_instructor }),
        "events.list" => json!({ "when": "upcoming" }),
        "events.save" => {
            json!({ "slug": "hack-night", "title": "Hack night", "starts_at": "2027-01-15T18:00:00Z" })
        }
        "events.set_done" => json!({ "id": 1, "is_done": true }),
        "events.delete" => json!({ "id": 1 }),
        "inbox.list" | "inbox.count_new" => json!({}),
        "inbox.set_status" => json!({ "id": 1, "status": "in_progress" }),
        "inbox.assign" => json!({ "id": 1, "assigned_to": some_admin }),
        "inbox.thread" => json!({ "id": 1 }),
        "inbox.reply" => json!({ "id": 1, "body": "Thank you, we will call you." }),
        "announcements.list" | "announcements.feed" => json!({}),
        "announcements.mark_read" => json!({ "ids": [1, 2] }),
        "announcements.save" => {
            json!({ "title": "Closed Monday", "body": "A holiday.", "target_audience": "all" })
        }
        "announcements.create" => json!({
            "title": "Bring laptops", "body": "Tomorrow we pair.", "target_audience": "student", "cohort_id": 2
        }),
        "applications.list" | "applications.funnel" | "forms.list" => json!({}),
        "applications.get" | "forms.get" => json!({ "id": 1 }),
        // The demo's first applications are approved ones; a pending one is approved here.
        "applications.approve" => json!({ "id": 10 }),
        "applications.decide" => json!({ "id": 11, "status": "waitlisted" }),
        "applications.decide_many" => json!({ "ids": [12, 13], "status": "waitlisted" }),
        "enrollments.add" => json!({ "cohort_id": 3, "user_id": some_user }),
        "enrollments.set_status" => json!({ "id": 1, "status": "paused" }),
        "enrollments.change_many" => json!({ "ids": demo.finished[1..], "change": { "status": "paused" } }),
        // The demo's completed cohort, with a student left active (set up below).
        "cohorts.complete" => json!({ "cohort_id": 1, "enrollments": true }),
        "forms.save" => json!({ "key": "newsletter", "title": "Newsletter" }),
        "forms.save_field" => {
            json!({ "form_id": 1, "name": "laptop", "label": "Laptop?", "field_type": "checkbox" })
        }
        "forms.delete_field" => json!({ "id": demo.contact_fields[3] }),
        "forms.reorder_fields" => {
            let mut ids: Vec<i64> =
                demo.contact_fields.iter().copied().filter(|id| *id != demo.contact_fields[3]).collect();
            ids.reverse();
            json!({ "form_id": demo.contact_form, "ids": ids })
        }
        "attendance.roster" => json!({ "id": demo.session }),
        "attendance.mark" => {
            json!({ "session_id": demo.session, "enrollment_id": demo.enrollment, "status": "late" })
        }
        "attendance.push" => json!({ "marks": [{ "client_id": "6f0c1f43-5a0e-4b39-9d7e-3c7b1b1f2a11",
            "session_id": demo.unmarked_session, "enrollment_id": demo.enrollment, "status": "present",
            "marked_at": chrono::Utc::now() }] }),
        "attendance.pull" | "attendance.offline_pack" => json!({}),
        "attendance.history" => json!({ "session_id": demo.session, "enrollment_id": demo.enrollment }),
        "sessions.list" => json!({ "from": "2026-01-01", "to": "2026-04-30" }),
        "sessions.save" => json!({ "cohort_id": 2, "date": "2026-12-01", "title": "Extra practice" }),
        "sessions.delete" => json!({ "id": demo.session, "marks": 1000 }),
        "sessions.plan" | "sessions.create_plan" => {
            json!({ "cohort_id": 2, "weekdays": [5], "from": "2026-12-01", "to": "2026-12-31", "title": "Friday lab" })
        }
        "attendance.report_cohort" => json!({ "cohort_id": 2 }),
        "attendance.set_cohort_mail" => {
            json!({ "cohort_id": 2, "threshold_percent": 75, "notify_students": true, "digest_instructors": true })
        }
        "attendance.report_student" => json!({ "enrollment_id": demo.enrollment }),
        "attendance.report_sessions" => json!({ "cohort_id": 2 }),
        "attendance.mine" | "attendance.overview" => json!({}),
        "attendance.export_csv" => json!({ "report": "cohort", "cohort_id": 2 }),
        "checkin.code" | "checkin.live" => json!({ "id": demo.session }),
        "checkin.submit" => json!({ "session_id": demo.session, "code": "K7M 4QX" }),
        "checkin.today" => json!({}),
        "checkin.set_session" => {
            json!({ "session_id": demo.session, "minutes": { "opens": 20, "late": 5, "closes": 40 } })
        }
        "checkin.set_cohort" => {
            json!({ "cohort_id": 2, "minutes": { "opens": 20, "late": 5, "closes": 40 } })
        }
        // The approval and the decision above queued the first messages.
        "mail.settings" | "mail.outbox" => json!({}),
        "mail.get" | "mail.retry" => json!({ "id": 1 }),
        "mail.send_test" => json!({ "to": "someone@example.org" }),
        "audit.list" | "audit.export_csv" => json!({ "operation": "users" }),
        "import.people" => {
            json!({ "csv": "name,email,roles\nImported Person,imported@example.org,student\n" })
        }
        "import.marks" => json!({ "csv": demo.marks_csv }),
        other => panic!("{other} has no example request: add one to tests/it/responses.rs"),
    }
}

/// Every place in a JSON value that looks like a password hash, by path.
fn hash_like(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::String(text) if text.starts_with("$argon2") => found.push(path.to_owned()),
        Value::Object(map) => {
            for (key, inner) in map {
                if key.contains("password_hash") || key == "hash" {
                    found.push(format!("{path}.{key}"));
                }
                hash_like(inner, &format!("{path}.{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                hash_like(inner, &format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn no_operation_returns_a_password_hash_and_each_keeps_its_audit_rule(pool: PgPool) {
    demo::seed(&pool).await.unwrap();
    let student = hub_tests::user_id(&pool, "student@demo.digitalhub.dev").await;
    let instructor = hub_tests::user_id(&pool, "instructor@demo.digitalhub.dev").await;
    let admin = hub_tests::user_id(&pool, "admin@demo.digitalhub.dev").await;
    let callers = [
        None,
        Some(admin),
        Some(hub_tests::user_id(&pool, "lead@demo.digitalhub.dev").await),
        Some(instructor),
        Some(student),
        Some(hub_tests::user_id(&pool, "mentor@demo.digitalhub.dev").await),
    ];
    let contact_form: i64 =
        sqlx::query_scalar("select id from forms where key = 'contact'").fetch_one(&pool).await.unwrap();
    let contact_fields: Vec<i64> =
        sqlx::query_scalar("select id from form_fields where form_id = $1 order by sort_order, id")
            .bind(contact_form)
            .fetch_all(&pool)
            .await
            .unwrap();
    let (session, enrollment): (i64, i64) = sqlx::query_as(
        "select s.id, e.id from sessions s join cohorts c on c.id = s.cohort_id
           join enrollments e on e.cohort_id = c.id and e.status = 'active'
          where c.status = 'running' order by s.date, e.id limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    // The cohort's last session: no one has marked it, so a device's mark is applied.
    let unmarked_session: i64 = sqlx::query_scalar(
        "select s.id from sessions s join cohorts c on c.id = s.cohort_id
          where c.status = 'running' and s.cohort_id = (select cohort_id from sessions where id = $1)
            and not exists (select from attendance_records r where r.session_id = s.id)
          order by s.date desc limit 1",
    )
    .bind(session)
    .fetch_one(&pool)
    .await
    .unwrap();
    let coded = hub_tests::TestUser::STUDENT.insert(&pool, "coded@example.org", None).await;
    let finished: Vec<i64> =
        sqlx::query_scalar("select id from enrollments where cohort_id = 1 order by id desc limit 3")
            .fetch_all(&pool)
            .await
            .unwrap();
    sqlx::query("update enrollments set status = 'active' where id = $1")
        .bind(finished[0])
        .execute(&pool)
        .await
        .unwrap();
    let marks_csv: String = sqlx::query_scalar(
        "select format(E'date,cohort,email,status\\n%s,%s,%s,%s\\n', s.date, c.name, u.email,
                      case when r.status = 'excused' then 'absent' else 'excused' end)
           from sessions s join cohorts c on c.id = s.cohort_id
           join enrollments e on e.cohort_id = c.id and e.status = 'active' join users u on u.id = e.student_user_id
           left join attendance_records r on r.session_id = s.id and r.enrollment_id = e.id
          where s.cohort_id = (select cohort_id from sessions where id = $1)
            and s.id <> $1 and s.date < current_date and e.student_user_id <> $2
          order by s.date, e.id limit 1",
    )
    .bind(session)
    .bind(student)
    .fetch_one(&pool)
    .await
    .unwrap();
    let demo = Demo {
        user: student,
        instructor,
        admin,
        contact_form,
        contact_fields,
        session,
        unmarked_session,
        enrollment,
        coded,
        finished,
        marks_csv,
    };
    let code_hash = <sha2::Sha256 as sha2::Digest>::digest(PERSON_CODE.replace('-', "").as_bytes()).to_vec();
    sqlx::query(
        "insert into account_codes (user_id, purpose, code_hash, issued_at, expires_at)
         values ($1, 'password_reset', $2, now(), now() + interval '1 hour')",
    )
    .bind(coded)
    .bind(code_hash)
    .execute(&pool)
    .await
    .unwrap();
    let hub = Hub::new(pool).with_site_writer(hub_public::site_writer());
    let mut unanswered: Vec<&str> = Vec::new();
    let mut leaks = Vec::new();
    let mut untrue = Vec::new();
    for operation in OPERATIONS {
        let mut answered = false;
        let mut trail_written = false;
        for caller in callers {
            let request = example_request(operation.name, &demo);
            let who = caller.map_or_else(hub_core::Caller::anonymous, hub_core::Caller::user);
            let last_entry = newest_entry(&hub).await;
            let answer = ops::call(&hub, &who, operation.name, request).await;
            let written: Vec<String> =
                sqlx::query_scalar("select operation from audit_log where id > $1 order by id")
                    .bind(last_entry)
                    .fetch_all(hub.pool())
                    .await
                    .unwrap();
            // What the call wrote is in the trail under its own name, in one entry, and
            // only if the operation says it keeps one and the call succeeded.
            let expected = match (&answer, operation.audit) {
                (Ok(_), Audit::Trail) => written.len() <= 1,
                _ => written.is_empty(),
            };
            if !expected || written.iter().any(|name| name != operation.name) {
                untrue.push(format!(
                    "{} ({:?}, as {caller:?}, {}) wrote {written:?}",
                    operation.name,
                    operation.audit,
                    if answer.is_ok() { "answered" } else { "refused" }
                ));
            }
            trail_written |= !written.is_empty();
            if let Ok(response) = answer {
                answered = true;
                let mut found = Vec::new();
                hash_like(&response, operation.name, &mut found);
                leaks.extend(found.into_iter().map(|path| format!("{path} (as {caller:?})")));
            }
        }
        if !answered {
            unanswered.push(operation.name);
        }
        if operation.audit == Audit::Trail
            && !trail_written
            && !UNCHANGED_BY_THEIR_EXAMPLE.contains(&operation.name)
        {
            untrue.push(format!("{} says it keeps a trail, and its example changed nothing", operation.name));
        }
    }
    assert_eq!(leaks, Vec::<String>::new());
    assert_eq!(unanswered, Vec::<&str>::new(), "operations whose example request failed for everyone");
    assert_eq!(untrue, Vec::<String>::new(), "operations whose audit rule does not hold");
}

/// Operations that keep a trail whose example here changes nothing, and where their trail
/// is shown instead.
const UNCHANGED_BY_THEIR_EXAMPLE: &[&str] = &[
    // The demo's events have ended, so they are done already (`events.rs` covers the flag).
    "events.set_done",
    // A code changes every 30 seconds: `checkin::the_code_on_screen_checks_a_student_in_…`
    // shows its trail.
    "checkin.submit",
];

async fn newest_entry(hub: &Hub) -> i64 {
    sqlx::query_scalar("select coalesce(max(id), 0) from audit_log").fetch_one(hub.pool()).await.unwrap()
}
