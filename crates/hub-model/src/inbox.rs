//! The contact inbox: visitors' messages, worked through by admins.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::choices!(
    /// Where a contact message stands.
    MessageStatus { New = "new" => "New", InProgress = "in_progress" => "In progress", Resolved = "resolved" => "Resolved" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxMessage {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub subject: Option<String>,
    pub message: String,
    pub status: MessageStatus,
    pub assigned_to: Option<i64>,
    pub assigned_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListMessagesRequest {
    pub status: Option<MessageStatus>,
    /// Only the messages this administrator looks after.
    pub assigned_to: Option<i64>,
    /// Only the messages nobody looks after yet (ignored with `assigned_to`).
    pub unassigned: bool,
    /// Part of the name, email, subject or message, ignoring case.
    pub search: Option<String>,
    pub sort: MessageSort,
    pub descending: bool,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

crate::sort_keys!(
    /// How the inbox is ordered: by default new first, then in progress, then resolved,
    /// the latest first within each.
    MessageSort { Status = "status", Received = "received", Name = "name" }
);

pub type MessagePage = crate::page::Page<InboxMessage>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetMessageStatusRequest {
    pub id: i64,
    pub status: MessageStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignMessageRequest {
    pub id: i64,
    /// An active administrator, or `None` to unassign.
    #[serde(default)]
    pub assigned_to: Option<i64>,
}

/// How many messages wait for someone, for the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMessages {
    pub count: i64,
}

/// One contact message with the replies mailed to its sender, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageThread {
    pub message: InboxMessage,
    pub replies: Vec<InboxReply>,
}

/// A reply an administrator mailed to the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxReply {
    pub id: i64,
    pub body: String,
    /// Who wrote it (`None`: an account since deleted).
    pub replied_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyToMessageRequest {
    pub id: i64,
    /// What the visitor reads, as text; 1 to 10,000 characters.
    pub body: String,
}
