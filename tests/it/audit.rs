//! The audit trail: who changed what, from where, in the change's own transaction.

use hub_model::audit::{ActivityRequest, ChangeAction};
use hub_model::ops::{ExportActivity, ListActivity, ReorderFields, SetRoles, UpdateUser};
use hub_model::users::{SetRolesRequest, UpdateUserRequest};
use hub_tests::server::TestServer;
use hub_tests::{Caller, TestUser, TEST_PASSWORD};
use serde_json::json;
use sqlx::PgPool;

async fn trail_rows(pool: &PgPool) -> (i64, i64) {
    sqlx::query_as("select (select count(*) from audit_log), (select count(*) from audit_changes)")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn who_made_someone_an_admin_and_from_where_is_answered_by_their_history(pool: PgPool) {
    let admin = TestUser::ADMIN.insert(&pool, "maya@example.org", None).await;
    let karim = TestUser::INSTRUCTOR.insert(&pool, "karim@example.org", None).await;
    let bystander = TestUser::STUDENT.insert(&pool, "nour@example.org", None).await;
    let server = TestServer::start(&pool).await;
    let token = server.sign_in("maya@example.org", TEST_PASSWORD).await;
    let history = ActivityRequest { person_id: Some(karim), ..Default::default() };
    // The account was made outside any operation (as `hubctl create-admin` does): the system's.
    let made = server.call::<ListActivity>(&token, &history).await.unwrap();
    assert!(made
        .items
        .iter()
        .all(|entry| entry.operation == "system" && entry.sentence.starts_with("The system")));
    let request = SetRolesRequest { id: karim, is_admin: true, is_instructor: true, is_student: false };
    server.call::<SetRoles>(&token, &request).await.unwrap();

    let page = server.call::<ListActivity>(&token, &history).await.unwrap();
    assert_eq!(page.total, made.total + 1, "{page:#?}");
    let entry = &page.items[0];
    assert_eq!(entry.sentence, "Test maya@example.org made Test karim@example.org an admin");
    assert_eq!(entry.operation, "users.set_roles");
    assert_eq!(entry.actor_id, Some(admin));
    assert_eq!(entry.device.as_deref(), Some("the tests"), "the session's device");
    assert_eq!(entry.address.as_deref(), Some("127.0.0.1"));
    // The account changed, and (a new admin) a staff profile was made.
    let change = &entry.changes[0];
    assert_eq!((change.record_type.as_str(), change.action), ("users", ChangeAction::Update));
    assert_eq!(entry.changes[1].record_type, "manager_profiles");
    let fields: Vec<_> =
        change.fields.iter().map(|field| (field.field.as_str(), &field.before, &field.after)).collect();
    assert_eq!(fields, [("is_admin", &json!(false), &json!(true))], "only the field touched");

    // Someone else's history does not hold it; the area's and the actor's filters do.
    let theirs = ActivityRequest { person_id: Some(bystander), ..Default::default() };
    let their_history = server.call::<ListActivity>(&token, &theirs).await.unwrap();
    assert!(their_history.items.iter().all(|entry| entry.operation == "system"), "{their_history:#?}");
    for found in [
        ActivityRequest { operation: Some("users".to_owned()), ..Default::default() },
        ActivityRequest { operation: Some("users.set_roles".to_owned()), ..Default::default() },
        ActivityRequest { actor_id: Some(admin), ..Default::default() },
    ] {
        assert_eq!(server.call::<ListActivity>(&token, &found).await.unwrap().total, 1, "{found:?}");
    }
    let other_area = ActivityRequest { operation: Some("cohorts".to_owned()), ..Default::default() };
    assert_eq!(server.call::<ListActivity>(&token, &other_area).await.unwrap().total, 0);
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(2);
    let later = ActivityRequest { from: Some(tomorrow), ..Default::default() };
    assert_eq!(server.call::<ListActivity>(&token, &later).await.unwrap().total, 0);

    // Only administrators read it; the one who was made one can now.
    let bystander_token = server.sign_in("nour@example.org", TEST_PASSWORD).await;
    let refused = server.call::<ListActivity>(&bystander_token, &history).await.unwrap_err();
    assert_eq!(refused.kind, hub_model::ErrorKind::Forbidden, "{refused:?}");

    // The CSV has the entry, a line per record changed.
    let roles_given = ActivityRequest { operation: Some("users.set_roles".to_owned()), ..history.clone() };
    let csv = server.call::<ExportActivity>(&token, &roles_given).await.unwrap();
    let lines: Vec<&str> = csv.content.lines().collect();
    assert!(lines[0].starts_with("when,who,operation,what,record,key,change,before,after"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + entry.changes.len(), "{}", csv.content);
    assert!(
        lines[1].contains("users.set_roles") && lines[1].contains(",is_admin=false,is_admin=true,"),
        "{}",
        lines[1]
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_change_that_rolls_back_or_is_refused_leaves_no_trail_and_one_that_commits_leaves_one_row(
    pool: PgPool,
) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "student@example.org", None).await;
    let before = trail_rows(&pool).await;

    // Written, then rolled back: no trace.
    let hub = admin.hub.running(hub_core::Call {
        operation: "users.update",
        actor: Some(admin.id),
        session: None,
        address: None,
    });
    let mut tx = hub.begin().await.unwrap();
    sqlx::query("update users set email = 'changed@example.org' where id = $1")
        .bind(student)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    // Refused (a bad email): nothing written, nothing in the trail.
    let bad = UpdateUserRequest {
        id: student,
        email: Some("not an email".to_owned()),
        phone: None,
        full_name: "A Student".to_owned(),
    };
    admin.call::<UpdateUser>(&bad).await.unwrap_err();
    assert_eq!(trail_rows(&pool).await, before);

    // An operation that changes several records is one entry with a change for each.
    let form: i64 = sqlx::query_scalar("select id from forms where key = 'cohort_application'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let mut fields: Vec<i64> =
        sqlx::query_scalar("select id from form_fields where form_id = $1 order by sort_order")
            .bind(form)
            .fetch_all(&pool)
            .await
            .unwrap();
    fields.rotate_left(1);
    admin
        .call::<ReorderFields>(&hub_model::forms::ReorderFieldsRequest { form_id: form, ids: fields.clone() })
        .await
        .unwrap();
    let (entries, changes) = trail_rows(&pool).await;
    assert_eq!(entries, before.0 + 1);
    assert_eq!(changes, before.1 + i64::try_from(fields.len()).unwrap(), "every field moved");
}

/// The triggers name each column they compare, written out when they were installed: a
/// column added to an audited table since must be installed again (`select audit_install();`
/// in its migration), or its changes would go unrecorded.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn every_column_of_every_audited_table_is_compared_by_its_trigger(pool: PgPool) {
    let missing: Vec<(String, String)> = sqlx::query_as(
        "select c.table_name::text, c.column_name::text
           from information_schema.columns c
           join pg_proc p on p.proname = c.table_name || '_audit_update'
          where c.table_schema = 'public'
            and c.column_name not in ('updated_at', 'changed_xid', 'last_login_at')
            and position(format('o.%I is distinct from r.%I', c.column_name, c.column_name) in p.prosrc) = 0
          order by 1, 2",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        missing,
        [],
        "columns no audit trigger compares: run `select audit_install();` after adding them"
    );
    let audited: i64 =
        sqlx::query_scalar("select count(*) from pg_proc where proname like '%\\_audit\\_update'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 23, "every audited table has its update trigger");
}
