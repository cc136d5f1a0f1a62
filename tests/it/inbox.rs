//! The contact inbox: a visitor's message is worked through to resolved, and back.

use hub_model::inbox::{
    AssignMessageRequest, ListMessagesRequest, MessageSort, MessageStatus, SetMessageStatusRequest,
};
use hub_model::{ops, NoRequest};
use hub_tests::{Caller, TestUser};
use sqlx::PgPool;

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn a_message_is_assigned_resolved_and_reopened_and_the_lists_filter_and_sort_it(pool: PgPool) {
    let admin = Caller::admin(&pool).await;
    let student = TestUser::STUDENT.insert(&pool, "sam@example.org", None).await;
    for (name, message) in [("Rana", "Can I visit on Friday?"), ("Omar", "Is the data program free?")] {
        sqlx::query!(
            "insert into contact_messages (name, email, message) values ($1, 'someone@example.org', $2)",
            name,
            message
        )
        .execute(&pool)
        .await
        .unwrap();
    }
    let count_new = || async { admin.call::<ops::CountNewMessages>(&NoRequest {}).await.unwrap().count };
    // A page of messages, and the names on it.
    let list = |request: ListMessagesRequest| {
        let admin = &admin;
        async move {
            let page = admin.call::<ops::ListMessages>(&request).await.unwrap();
            (page.items.iter().map(|message| message.name.clone()).collect::<Vec<_>>(), page)
        }
    };
    assert_eq!(count_new().await, 2);
    let (names, found) =
        list(ListMessagesRequest { search: Some("friday".to_owned()), ..ListMessagesRequest::default() })
            .await;
    assert_eq!((found.total, names), (1, vec!["Rana".to_owned()]));
    let id = found.items[0].id;

    let to_student = AssignMessageRequest { id, assigned_to: Some(student) };
    admin.refuses::<ops::AssignMessage>(&to_student, "assigned_to", "active administrator").await;
    let assigned = admin
        .call::<ops::AssignMessage>(&AssignMessageRequest { id, assigned_to: Some(admin.id) })
        .await
        .unwrap();
    assert_eq!(assigned.assigned_name.as_deref(), Some("Test admin@example.org"));
    let set_status = |id: i64, status: MessageStatus| {
        let admin = &admin;
        async move { admin.call::<ops::SetMessageStatus>(&SetMessageStatusRequest { id, status }).await }
    };
    set_status(id, MessageStatus::InProgress).await.unwrap();
    assert_eq!(count_new().await, 1);

    let resolved = set_status(id, MessageStatus::Resolved).await.unwrap();
    assert!(resolved.resolved_at.is_some());
    let (_, mine) = list(ListMessagesRequest {
        assigned_to: Some(admin.id),
        status: Some(MessageStatus::Resolved),
        ..ListMessagesRequest::default()
    })
    .await;
    assert_eq!(mine.total, 1);
    let (names, nobodys) =
        list(ListMessagesRequest { unassigned: true, ..ListMessagesRequest::default() }).await;
    assert_eq!(names, ["Omar"], "only the message nobody looks after");
    assert_eq!(nobodys.total, 1);
    let by = |sort: MessageSort, descending: bool| ListMessagesRequest {
        sort,
        descending,
        ..ListMessagesRequest::default()
    };
    assert_eq!(list(by(MessageSort::Name, false)).await.0, ["Omar", "Rana"]);
    assert_eq!(list(by(MessageSort::Status, false)).await.0[0], "Omar", "new before resolved");
    assert_eq!(list(by(MessageSort::Status, true)).await.0[0], "Rana", "resolved before new");
    let reopened = set_status(id, MessageStatus::InProgress).await.unwrap();
    assert_eq!(reopened.resolved_at, None, "reopening clears when it was resolved");
    let missing = set_status(999_999, MessageStatus::Resolved).await.unwrap_err();
    assert_eq!(missing.kind, hub_model::ErrorKind::NotFound);
}
