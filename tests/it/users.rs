//! Administering users: create, edit, roles, activation, and the list.

use hub_core::ops;
use hub_core::Hub;
use hub_model::ops::{CreateUser, SetRoles, UpdateUser};
use hub_model::users::{CreateUserRequest, SetRolesRequest, UpdateUserRequest};
use hub_model::ErrorKind;
use hub_tests::{Caller, TestUser};
use serde_json::{json, Value};
use sqlx::PgPool;

fn field_of(result: Result<Value, hub_model::ApiError>) -> Option<String> {
    let error = result.expect_err("the request is refused");
    assert_eq!(error.kind, ErrorKind::Validation, "{error:?}");
    error.field
}

/// Someone new, as the New user dialog sends them: a name and an email.
fn newcomer(email: &str, full_name: &str) -> CreateUserRequest {
    CreateUserRequest {
        email: Some(email.to_owned()),
        full_name: full_name.to_owned(),
        ..CreateUserRequest::default()
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn creating_a_user_normalises_contacts_and_gives_each_role_its_profile(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let nour = CreateUserRequest {
        phone: Some("+961 (70) 123-456".to_owned()),
        is_instructor: true,
        is_student: true,
        ..newcomer(" Nour.Karam@Example.org ", "Nour Karam")
    };
    let created = admin.call::<CreateUser>(&nour).await.unwrap();
    let user = &created.user;
    assert_eq!(
        (user.email.as_deref(), user.phone.as_deref(), user.full_name.as_str()),
        (Some("nour.karam@example.org"), Some("+96170123456"), "Nour Karam")
    );
    let generated = created.generated_password.clone().expect("a one-time password");
    let id = user.id;
    let profiles: (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from student_profiles where user_id = $1),
                (select count(*) from instructor_profiles where user_id = $1),
                (select count(*) from manager_profiles where user_id = $1)",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(profiles, (1, 1, 0));
    let login = json!({ "identifier": "70 123 456", "password": generated });
    assert!(
        ops::call(&admin.hub, &hub_core::Caller::anonymous(), "auth.sign_in", login).await.is_err(),
        "digits must match in full"
    );
    let login = json!({ "identifier": "+961 70 123456", "password": generated });
    ops::call(&admin.hub, &hub_core::Caller::anonymous(), "auth.sign_in", login).await.unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn duplicates_and_bad_input_are_refused_naming_the_field_and_write_nothing(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    TestUser::STUDENT.insert(&pool, "taken@example.org", Some("+96171000111")).await;
    let refused = |request: CreateUserRequest, field: &'static str| {
        let admin = &admin;
        async move { admin.refuses::<CreateUser>(&request, field, "").await }
    };
    refused(newcomer("TAKEN@example.org", "X"), "email").await;
    let no_contact = CreateUserRequest { full_name: "X".to_owned(), ..CreateUserRequest::default() };
    refused(CreateUserRequest { phone: Some("+961 71 000 111".to_owned()), ..no_contact.clone() }, "phone")
        .await;
    refused(no_contact, "email").await;
    refused(newcomer("x@", "X"), "email").await;
    refused(newcomer("new@example.org", "  "), "full_name").await;
    refused(
        CreateUserRequest { password: Some("short".to_owned()), ..newcomer("new@example.org", "X") },
        "password",
    )
    .await;
    let users: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&pool).await.unwrap();
    assert_eq!(users, 2);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn editing_a_user_changes_contacts_and_the_name_on_every_profile(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let old = CreateUserRequest {
        is_instructor: true,
        is_student: true,
        ..newcomer("old@example.org", "Old Name")
    };
    let id = admin.call::<CreateUser>(&old).await.unwrap().user.id;
    TestUser::STUDENT.insert(&pool, "other@example.org", None).await;
    let edit = |email: &str, full_name: &str| UpdateUserRequest {
        id,
        email: Some(email.to_owned()),
        phone: None,
        full_name: full_name.to_owned(),
    };
    let updated = admin.call::<UpdateUser>(&edit("New@Example.org", "Jana Harb")).await.unwrap();
    assert_eq!(
        (updated.email.as_deref(), updated.full_name.as_str()),
        (Some("new@example.org"), "Jana Harb")
    );
    let names: Vec<String> = sqlx::query_scalar(
        "select full_name from student_profiles where user_id = $1
         union all select full_name from instructor_profiles where user_id = $1",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(names, ["Jana Harb", "Jana Harb"]);
    admin.refuses::<UpdateUser>(&edit("other@example.org", "J"), "email", "").await;
    let missing = UpdateUserRequest { id: 999_999, ..edit("z@example.org", "Z") };
    assert_eq!(admin.call::<UpdateUser>(&missing).await.unwrap_err().kind, ErrorKind::NotFound);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn roles_granted_bring_profiles_and_take_effect_on_the_next_call(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let id = TestUser::STUDENT.insert(&pool, "rami@example.org", None).await;
    let hub = Hub::new(pool.clone());
    let rami = hub_core::Caller::user(id);
    let as_rami = || ops::call(&hub, &rami, "users.list", json!({}));
    assert_eq!(as_rami().await.unwrap_err().to_api().kind, ErrorKind::Forbidden);

    let roles = SetRolesRequest { id, is_admin: true, is_instructor: true, is_student: true };
    let user = admin.call::<SetRoles>(&roles).await.unwrap();
    assert_eq!((user.is_admin, user.is_instructor), (true, true));
    as_rami().await.expect("an admin now");
    let manager: (String, bool) =
        sqlx::query_as("select full_name, is_public from manager_profiles where user_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(manager, ("Test rami@example.org".to_owned(), false), "a new manager is not public yet");

    let revoke = SetRolesRequest { id, is_admin: false, is_instructor: false, is_student: true };
    admin.call::<SetRoles>(&revoke).await.unwrap();
    assert_eq!(as_rami().await.unwrap_err().to_api().kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_last_active_admin_can_neither_demote_nor_deactivate_themselves(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let demote = json!({ "id": admin.id, "is_admin": false, "is_instructor": true, "is_student": false });
    let refused = admin.call_json("users.set_roles", demote.clone()).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("last active administrator"), "{}", refused.message);
    let deactivate = json!({ "id": admin.id, "is_active": false });
    assert_eq!(
        admin.call_json("users.set_active", deactivate.clone()).await.unwrap_err().kind,
        ErrorKind::Conflict
    );

    // With a second active admin, stepping down is allowed.
    let other = TestUser::ADMIN.insert(&pool, "second@example.org", None).await;
    admin.call_json("users.set_active", deactivate).await.unwrap();
    let hub = Hub::new(pool.clone());
    let other_caller = hub_core::Caller::user(other);
    let as_other =
        |operation: &'static str, request: Value| ops::call(&hub, &other_caller, operation, request);
    let self_demote = json!({ "id": other, "is_admin": false, "is_instructor": false, "is_student": false });
    assert_eq!(
        as_other("users.set_roles", self_demote).await.unwrap_err().to_api().kind,
        ErrorKind::Conflict
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_list_searches_filters_sorts_and_pages(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    for (email, phone, user) in [
        ("ali.khalil@example.org", Some("+961 71 222 333"), TestUser::STUDENT),
        ("maya.saab@example.org", None, TestUser::INSTRUCTOR),
        ("omar_50%@example.org", None, TestUser { is_inactive: true, ..TestUser::STUDENT }),
    ] {
        user.insert(&pool, email, phone).await;
    }
    let list = |request: Value| admin.call_json("users.list", request);
    let emails = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["email"].as_str().unwrap().to_owned())
            .collect()
    };

    let all = list(json!({})).await.unwrap();
    assert_eq!(all["total"], 4);
    assert!(all["items"][0].get("password_hash").is_none());
    assert_eq!(emails(&list(json!({ "search": "KHALIL" })).await.unwrap()), ["ali.khalil@example.org"]);
    assert_eq!(emails(&list(json!({ "search": "222-333" })).await.unwrap()), ["ali.khalil@example.org"]);
    assert_eq!(emails(&list(json!({ "search": "50%" })).await.unwrap()), ["omar_50%@example.org"]);
    assert_eq!(list(json!({ "search": "%" })).await.unwrap()["total"], 1, "% is a character, not a wildcard");
    assert_eq!(emails(&list(json!({ "role": "instructor" })).await.unwrap()), ["maya.saab@example.org"]);
    assert_eq!(emails(&list(json!({ "active": false })).await.unwrap()), ["omar_50%@example.org"]);

    let by_email = list(json!({ "sort": "email", "descending": true })).await.unwrap();
    assert_eq!(
        emails(&by_email),
        ["omar_50%@example.org", "maya.saab@example.org", "ali.khalil@example.org", "admin@example.org"]
    );
    let second_page = list(json!({ "sort": "email", "per_page": 3, "page": 2 })).await.unwrap();
    assert_eq!(emails(&second_page), ["omar_50%@example.org"]);
    assert_eq!((second_page["total"].as_i64(), second_page["page"].as_u64()), (Some(4), Some(2)));
    let beyond = list(json!({ "per_page": 3, "page": 9 })).await.unwrap();
    assert_eq!((beyond["items"].as_array().unwrap().len(), beyond["total"].as_i64()), (0, Some(4)));

    assert_eq!(field_of(list(json!({ "per_page": 500 })).await).as_deref(), Some("per_page"));
    assert_eq!(field_of(list(json!({ "sort": "password" })).await).as_deref(), Some("sort"));
}

/// The list reads a directory kept by triggers: every way a name, contact, role or state
/// changes shows at once, in the list's names, its search, its filters and its order.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_list_follows_renames_new_contacts_roles_and_removed_profiles_at_once(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let created = admin
        .call_json(
            "users.create",
            json!({ "email": "zoe@example.org", "full_name": "Zoe Abboud", "is_student": true }),
        )
        .await
        .unwrap();
    let id = created["user"]["id"].as_i64().unwrap();
    let names = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["full_name"].as_str().unwrap().to_owned())
            .collect()
    };

    // Renamed through one's own profile: the new name is listed, found and sorted.
    ops::call(
        &admin.hub,
        &hub_core::Caller::user(id),
        "profiles.update_mine",
        json!({ "full_name": "Aline Zoe Abboud" }),
    )
    .await
    .unwrap();
    let page = admin.call_json("users.list", json!({ "search": "aline" })).await.unwrap();
    assert_eq!(names(page), ["Aline Zoe Abboud"]);
    let page = admin.call_json("users.list", json!({})).await.unwrap();
    assert_eq!(names(page)[0], "Aline Zoe Abboud", "sorted by the new name");

    // A new email and phone: searchable at once, the old email no more.
    admin
        .call_json(
            "users.update",
            json!({ "id": id, "email": "aline@example.org", "phone": "+961 3 123 456", "full_name": "Aline Zoe Abboud" }),
        )
        .await
        .unwrap();
    assert_eq!(
        names(admin.call_json("users.list", json!({ "search": "ALINE@EXAMPLE" })).await.unwrap()).len(),
        1
    );
    assert_eq!(names(admin.call_json("users.list", json!({ "search": "3123456" })).await.unwrap()).len(), 1);
    assert!(
        names(admin.call_json("users.list", json!({ "search": "zoe@example" })).await.unwrap()).is_empty()
    );

    // New roles and a deactivation: the role and state filters follow at once.
    let instructors = json!({ "role": "instructor", "search": "aline" });
    assert!(names(admin.call_json("users.list", instructors.clone()).await.unwrap()).is_empty());
    admin
        .call_json(
            "users.set_roles",
            json!({ "id": id, "is_admin": false, "is_instructor": true, "is_student": true }),
        )
        .await
        .unwrap();
    assert_eq!(names(admin.call_json("users.list", instructors).await.unwrap()), ["Aline Zoe Abboud"]);
    admin.call_json("users.set_active", json!({ "id": id, "is_active": false })).await.unwrap();
    let active = admin.call_json("users.list", json!({ "active": true, "search": "aline" })).await.unwrap();
    assert_eq!((active["total"].as_i64(), names(active).len()), (Some(0), 0));
    let inactive = admin
        .call_json("users.list", json!({ "active": false, "role": "student", "search": "aline" }))
        .await
        .unwrap();
    assert_eq!(inactive["total"], 1);

    // With no profile left, the list falls back to the email.
    sqlx::query!("delete from student_profiles where user_id = $1", id).execute(&pool).await.unwrap();
    sqlx::query!("delete from instructor_profiles where user_id = $1", id).execute(&pool).await.unwrap();
    let page = admin.call_json("users.list", json!({ "search": "aline@" })).await.unwrap();
    assert_eq!(names(page), ["aline@example.org"]);
}
