//! Mail the hub sends: the outbox as admins see it, and this server's mail settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::choices!(
    /// What a message is about.
    MailKind {
        ApplicationReceived = "application_received" => "Application received",
        ApplicationApproved = "application_approved" => "Application approved",
        ApplicationWaitlisted = "application_waitlisted" => "Application waitlisted",
        ApplicationRejected = "application_rejected" => "Application declined",
        InboxReply = "inbox_reply" => "Reply to a message",
        Invitation = "invitation" => "Invitation",
        PasswordReset = "password_reset" => "Password code",
        Announcement = "announcement" => "Announcement",
        AttendanceNotice = "attendance_notice" => "Low attendance notice",
        AttendanceDigest = "attendance_digest" => "Attendance digest",
        Test = "test" => "Test message",
    }
);

crate::choices!(
    /// Where a message stands: waiting (to be sent, or to be tried again), sent, or given up.
    MailStatus { Queued = "queued" => "Waiting", Sent = "sent" => "Sent", Failed = "failed" => "Failed" }
);

/// One message of the outbox, without its bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: MailKind,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    /// Sends tried so far.
    pub attempts: i32,
    /// When a waiting message is tried (again).
    pub next_attempt_at: DateTime<Utc>,
    /// What the mail server last answered: its acceptance, or why not.
    pub provider_answer: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One message whole, as its recipient reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxDetail {
    pub message: OutboxMessage,
    pub text_body: String,
    pub html_body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListOutboxRequest {
    pub status: Option<MailStatus>,
    /// Part of the recipient's address, ignoring case.
    pub search: Option<String>,
    pub sort: OutboxSort,
    /// Absent: the latest queued first; recipients and states A–Z.
    pub descending: Option<bool>,
    /// 1-based; 0 or absent is the first page.
    pub page: u32,
    /// 1 to 100; 0 or absent is 25.
    pub per_page: u32,
}

impl ListOutboxRequest {
    /// The order asked for, or else: the latest queued first, recipients and states A–Z.
    pub fn is_descending(&self) -> bool {
        self.descending.unwrap_or(self.sort == OutboxSort::Queued)
    }
}

crate::sort_keys!(
    /// How the outbox is ordered.
    OutboxSort { Queued = "queued", Recipient = "recipient", Status = "status" }
);

pub type OutboxPage = crate::page::Page<OutboxMessage>;

/// How this hub server sends mail (each server has its own settings: `SMTP_URL` and
/// `MAIL_FROM` in its environment), and how the outbox stands. Never the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// `None`: this server sends nothing, and messages wait in the outbox.
    pub relay: Option<MailRelay>,
    pub queued: i64,
    pub failed: i64,
    pub sent_last_day: i64,
    /// The oldest message still waiting: when it was queued.
    pub oldest_queued_at: Option<DateTime<Utc>>,
}

/// The SMTP server this hub server sends through, as an admin may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRelay {
    /// `mail.example.org:587`.
    pub server: String,
    /// How the connection is protected: "STARTTLS", "TLS" or "none".
    pub security: String,
    /// Whether it signs in to the server (the user name and password are never shown).
    pub authenticated: bool,
    /// The sender's address, as recipients see it: `Digital Hub <hub@example.org>`.
    pub from: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SendTestMailRequest {
    /// Where to send it; absent, to the administrator's own address.
    pub to: Option<String>,
}
