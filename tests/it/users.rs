//! Administering users: create, edit, roles, activation, and the list.

use hub_model::auth::LoginRequest;
use hub_model::ops::{CreateUser, ListUsers, SetActive, SetRoles, SignIn, UpdateMyProfiles, UpdateUser};
use hub_model::profiles::ProfileBasics;
use hub_model::users::{
    CreateUserRequest, ListUsersRequest, Role, SetActiveRequest, SetRolesRequest, UpdateUserRequest,
    UserPage, UserSort,
};
use hub_model::{ErrorKind, Operation};
use hub_tests::{call_anonymously, Caller, TestUser};
use sqlx::PgPool;

/// Someone new, as the New user dialog sends them: a name and an email.
fn newcomer(email: &str, full_name: &str) -> CreateUserRequest {
    CreateUserRequest {
        email: Some(email.to_owned()),
        full_name: full_name.to_owned(),
        ..CreateUserRequest::default()
    }
}

/// The users whose name, email or phone holds `words`.
fn search(words: &str) -> ListUsersRequest {
    ListUsersRequest { search: Some(words.to_owned()), ..ListUsersRequest::default() }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn creating_a_user_normalises_contacts_and_gives_each_role_its_profile(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let nour = CreateUserRequest {
        phone: Some("+961 (70) 123-456".to_owned()),
        is_instructor: true,
        is_student: true,
        password: Some("nour's first password".to_owned()),
        ..newcomer(" Nour.Karam@Example.org ", "Nour Karam")
    };
    let created = admin.call::<CreateUser>(&nour).await.unwrap();
    assert_eq!(created.invitation_sent_to, None, "the admin chose the first password");
    assert!(!created.user.awaiting_password);
    let user = &created.user;
    assert_eq!(
        (user.email.as_deref(), user.phone.as_deref(), user.full_name.as_str()),
        (Some("nour.karam@example.org"), Some("+96170123456"), "Nour Karam")
    );
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
    let login = |identifier: &str| LoginRequest {
        identifier: identifier.to_owned(),
        password: "nour's first password".to_owned(),
        device: None,
    };
    assert!(
        call_anonymously::<SignIn>(&pool, &login("70 123 456")).await.is_err(),
        "digits must match in full"
    );
    call_anonymously::<SignIn>(&pool, &login("+961 70 123456")).await.unwrap();
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
    let taken_phone = CreateUserRequest {
        phone: Some("+961 71 000 111".to_owned()),
        password: Some("a first password".to_owned()),
        ..no_contact.clone()
    };
    refused(taken_phone, "phone").await;
    refused(no_contact.clone(), "email").await;
    refused(newcomer("x@", "X"), "email").await;
    refused(newcomer("new@example.org", "  "), "full_name").await;
    // Someone with only a phone gets no invitation: the admin gives them their first password.
    refused(
        CreateUserRequest { phone: Some("+961 71 222 333".to_owned()), ..no_contact.clone() },
        "password",
    )
    .await;
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
    let rami = Caller::as_user(&pool, id);
    let everyone = ListUsersRequest::default();
    let as_rami = || rami.call::<ListUsers>(&everyone);
    assert_eq!(as_rami().await.unwrap_err().kind, ErrorKind::Forbidden);

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
    assert_eq!(as_rami().await.unwrap_err().kind, ErrorKind::Forbidden);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_last_active_admin_can_neither_demote_nor_deactivate_themselves(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let demote = SetRolesRequest { id: admin.id, is_admin: false, is_instructor: true, is_student: false };
    let refused = admin.call::<SetRoles>(&demote).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Conflict);
    assert!(refused.message.contains("last active administrator"), "{}", refused.message);
    let deactivate = SetActiveRequest { id: admin.id, is_active: false };
    assert_eq!(admin.call::<SetActive>(&deactivate).await.unwrap_err().kind, ErrorKind::Conflict);

    // With a second active admin, stepping down is allowed.
    let other = Caller::as_user(&pool, TestUser::ADMIN.insert(&pool, "second@example.org", None).await);
    admin.call::<SetActive>(&deactivate).await.unwrap();
    let self_demote =
        SetRolesRequest { id: other.id, is_admin: false, is_instructor: false, is_student: false };
    assert_eq!(other.call::<SetRoles>(&self_demote).await.unwrap_err().kind, ErrorKind::Conflict);
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
    let list = |request: ListUsersRequest| {
        let admin = &admin;
        async move { admin.call::<ListUsers>(&request).await.unwrap() }
    };
    let emails = |page: UserPage| -> Vec<String> {
        page.items.into_iter().map(|user| user.email.expect("every user here has an email")).collect()
    };

    let all = list(ListUsersRequest::default()).await;
    assert_eq!(all.total, 4);
    // As JSON: what the answer does not carry cannot be read from its type.
    let raw = admin.call_json(ListUsers::NAME, serde_json::json!({})).await.unwrap();
    assert!(raw["items"][0].get("password_hash").is_none());
    assert_eq!(emails(list(search("KHALIL")).await), ["ali.khalil@example.org"]);
    assert_eq!(emails(list(search("222-333")).await), ["ali.khalil@example.org"]);
    assert_eq!(emails(list(search("50%")).await), ["omar_50%@example.org"]);
    assert_eq!(list(search("%")).await.total, 1, "% is a character, not a wildcard");
    let instructors = ListUsersRequest { role: Some(Role::Instructor), ..ListUsersRequest::default() };
    assert_eq!(emails(list(instructors).await), ["maya.saab@example.org"]);
    let inactive = ListUsersRequest { active: Some(false), ..ListUsersRequest::default() };
    assert_eq!(emails(list(inactive).await), ["omar_50%@example.org"]);

    let by_email =
        ListUsersRequest { sort: UserSort::Email, descending: true, ..ListUsersRequest::default() };
    assert_eq!(
        emails(list(by_email).await),
        ["omar_50%@example.org", "maya.saab@example.org", "ali.khalil@example.org", "admin@example.org"]
    );
    let second_page =
        list(ListUsersRequest { sort: UserSort::Email, per_page: 3, page: 2, ..ListUsersRequest::default() })
            .await;
    assert_eq!((second_page.total, second_page.page), (4, 2));
    assert_eq!(emails(second_page), ["omar_50%@example.org"]);
    let beyond = list(ListUsersRequest { per_page: 3, page: 9, ..ListUsersRequest::default() }).await;
    assert_eq!((beyond.items.len(), beyond.total), (0, 4));

    let too_long = ListUsersRequest { per_page: 500, ..ListUsersRequest::default() };
    admin.refuses::<ListUsers>(&too_long, "per_page", "").await;
    // "password" is no UserSort: only JSON can ask for it.
    admin.refused(ListUsers::NAME, serde_json::json!({ "sort": "password" }), "sort", "").await;
}

/// The list reads a directory kept by triggers: every way a name, contact, role or state
/// changes shows at once, in the list's names, its search, its filters and its order.
#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_list_follows_renames_new_contacts_roles_and_removed_profiles_at_once(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let zoe = CreateUserRequest { is_student: true, ..newcomer("zoe@example.org", "Zoe Abboud") };
    let id = admin.call::<CreateUser>(&zoe).await.unwrap().user.id;
    let list = |request: ListUsersRequest| {
        let admin = &admin;
        async move { admin.call::<ListUsers>(&request).await.unwrap() }
    };
    let names =
        |page: UserPage| -> Vec<String> { page.items.into_iter().map(|user| user.full_name).collect() };

    // Renamed through one's own profile: the new name is listed, found and sorted.
    let renamed = ProfileBasics { full_name: "Aline Zoe Abboud".to_owned(), ..ProfileBasics::default() };
    Caller::as_user(&pool, id).call::<UpdateMyProfiles>(&renamed).await.unwrap();
    assert_eq!(names(list(search("aline")).await), ["Aline Zoe Abboud"]);
    assert_eq!(
        names(list(ListUsersRequest::default()).await)[0],
        "Aline Zoe Abboud",
        "sorted by the new name"
    );

    // A new email and phone: searchable at once, the old email no more.
    let new_contacts = UpdateUserRequest {
        id,
        email: Some("aline@example.org".to_owned()),
        phone: Some("+961 3 123 456".to_owned()),
        full_name: "Aline Zoe Abboud".to_owned(),
    };
    admin.call::<UpdateUser>(&new_contacts).await.unwrap();
    assert_eq!(names(list(search("ALINE@EXAMPLE")).await).len(), 1);
    assert_eq!(names(list(search("3123456")).await).len(), 1);
    assert!(names(list(search("zoe@example")).await).is_empty());

    // New roles and a deactivation: the role and state filters follow at once.
    let instructors = ListUsersRequest { role: Some(Role::Instructor), ..search("aline") };
    assert!(names(list(instructors.clone()).await).is_empty());
    let roles = SetRolesRequest { id, is_admin: false, is_instructor: true, is_student: true };
    admin.call::<SetRoles>(&roles).await.unwrap();
    assert_eq!(names(list(instructors).await), ["Aline Zoe Abboud"]);
    admin.call::<SetActive>(&SetActiveRequest { id, is_active: false }).await.unwrap();
    let active = list(ListUsersRequest { active: Some(true), ..search("aline") }).await;
    assert_eq!((active.total, active.items.len()), (0, 0));
    let inactive =
        list(ListUsersRequest { active: Some(false), role: Some(Role::Student), ..search("aline") }).await;
    assert_eq!(inactive.total, 1);

    // With no profile left, the list falls back to the email.
    sqlx::query!("delete from student_profiles where user_id = $1", id).execute(&pool).await.unwrap();
    sqlx::query!("delete from instructor_profiles where user_id = $1", id).execute(&pool).await.unwrap();
    assert_eq!(names(list(search("aline@")).await), ["aline@example.org"]);
}
