//! The operation table: every operation hub-core offers, by name, with the access rule it
//! declares and its handler. The hub server's `/api/v1/ops/{name}` and `hubctl call` both go
//! through [`call`], so they reach exactly the same code and checks.
//!
//! Architecture Invariant: the access rule is checked here, before any handler runs;
//! handlers only add ownership rules on top.

use crate::{Actor, Call, Caller, Error, Hub, Result};
use hub_model::{ops, Access, Operation};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// The server side of one [`Operation`].
pub trait Handler: Operation {
    fn handle(
        hub: &Hub,
        actor: &Actor,
        request: Self::Request,
    ) -> impl Future<Output = Result<Self::Response>> + Send;
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
type ErasedHandler = for<'a> fn(&'a Hub, &'a Actor, Body<'a>) -> BoxFuture<'a, Result<Reply>>;

/// A request as it arrives: a JSON value (`hubctl call`, tests), or the JSON text of an
/// HTTP body (the hub server), decoded straight into the operation's request type.
pub enum Body<'a> {
    Value(Value),
    Text(&'a [u8]),
}

/// An answer in the form its request came: a value for a value, text for text.
pub enum Reply {
    Value(Value),
    Text(Vec<u8>),
}

/// Where an operation's changes are recorded. Declared once per operation, in the table
/// below, so a new operation cannot forget it: `tests/it/responses.rs` runs every one and
/// holds it to its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audit {
    /// Changes nothing.
    Reads,
    /// Its changes go to the audit trail: one row of `audit_log` (and one of `audit_changes`
    /// per record) in its own transaction, begun with [`Hub::begin`].
    Trail,
    /// Changes only records that are their own trail, as this says.
    Own(&'static str),
}

use Audit::{Reads, Trail};

const SESSIONS: Audit =
    Audit::Own("staff_sessions: a sign-in is its session, with its device, address, start and end");
const IMAGES: Audit =
    Audit::Own("media: an image is stored once, named by its bytes, with who uploaded it and when");
const RECEIPTS: Audit = Audit::Own("announcement_reads: who read which announcement, and when");
const OUTBOX: Audit = Audit::Own("mail_outbox: each message keeps its recipient, attempts and state");

/// One row of the operation table.
pub struct OperationEntry {
    pub name: &'static str,
    pub access: Access,
    pub summary: &'static str,
    pub audit: Audit,
    handler: ErasedHandler,
    /// The operation struct's path, for the test that finds each handler where its name says.
    #[cfg(test)]
    type_name: fn() -> &'static str,
}

const fn entry<O: Handler>(audit: Audit) -> OperationEntry {
    OperationEntry {
        name: O::NAME,
        access: O::ACCESS,
        summary: O::SUMMARY,
        audit,
        handler: erased::<O>,
        #[cfg(test)]
        type_name: std::any::type_name::<O>,
    }
}

fn erased<'a, O: Handler>(hub: &'a Hub, actor: &'a Actor, body: Body<'a>) -> BoxFuture<'a, Result<Reply>> {
    Box::pin(async move {
        let as_text = matches!(body, Body::Text(_));
        let request: O::Request = match body {
            Body::Value(value) => decode(value)?,
            Body::Text(text) => decode_text(text)?,
        };
        let response = O::handle(hub, actor, request).await?;
        let unserializable = |error: serde_json::Error| {
            Error::Internal(format!("{} response did not serialize: {error}", O::NAME))
        };
        if as_text {
            serde_json::to_vec(&response).map(Reply::Text).map_err(unserializable)
        } else {
            serde_json::to_value(response).map(Reply::Value).map_err(unserializable)
        }
    })
}

/// Every operation, in the order `hubctl call --list` prints them.
pub static OPERATIONS: &[OperationEntry] = &[
    entry::<ops::AppInfo>(Reads),
    entry::<ops::SignIn>(SESSIONS),
    entry::<ops::SignOut>(SESSIONS),
    entry::<ops::Me>(Reads),
    entry::<ops::ChangePassword>(Trail),
    entry::<ops::RedeemCode>(Trail),
    entry::<ops::ForgotPassword>(Trail),
    entry::<ops::ResetPassword>(Trail),
    entry::<ops::ListDevices>(Reads),
    entry::<ops::RevokeDevice>(SESSIONS),
    entry::<ops::RevokeAllDevices>(SESSIONS),
    entry::<ops::ListUsers>(Reads),
    entry::<ops::ExportPeople>(Reads),
    entry::<ops::GetUser>(Reads),
    entry::<ops::CreateUser>(Trail),
    entry::<ops::UpdateUser>(Trail),
    entry::<ops::SetRoles>(Trail),
    entry::<ops::SetActive>(Trail),
    entry::<ops::InviteUser>(Trail),
    entry::<ops::MyProfiles>(Reads),
    entry::<ops::UpdateMyProfiles>(Trail),
    entry::<ops::SetMyListing>(Trail),
    entry::<ops::ApproveStudentText>(Trail),
    entry::<ops::PublicProfilesToReview>(Reads),
    entry::<ops::GetProfiles>(Reads),
    entry::<ops::UpdateStudent>(Trail),
    entry::<ops::UpdateInstructor>(Trail),
    entry::<ops::UpdateManager>(Trail),
    entry::<ops::UploadImage>(IMAGES),
    entry::<ops::GetAppTheme>(Reads),
    entry::<ops::GetSite>(Reads),
    entry::<ops::UpdateSite>(Trail),
    entry::<ops::ListTheme>(Reads),
    entry::<ops::SaveToken>(Trail),
    entry::<ops::DeleteToken>(Trail),
    entry::<ops::ListPages>(Reads),
    entry::<ops::GetPage>(Reads),
    entry::<ops::SavePage>(Trail),
    entry::<ops::DeletePage>(Trail),
    entry::<ops::ListSections>(Reads),
    entry::<ops::CreateSection>(Trail),
    entry::<ops::UpdateSection>(Trail),
    entry::<ops::DeleteSection>(Trail),
    entry::<ops::ReorderSections>(Trail),
    entry::<ops::PreviewSite>(Reads),
    entry::<ops::ListPrograms>(Reads),
    entry::<ops::SaveProgram>(Trail),
    entry::<ops::ProgramDeleteImpact>(Reads),
    entry::<ops::DeleteProgram>(Trail),
    entry::<ops::ListCohorts>(Reads),
    entry::<ops::GetCohort>(Reads),
    entry::<ops::MyCohorts>(Reads),
    entry::<ops::SaveCohort>(Trail),
    entry::<ops::SetCohortStatus>(Trail),
    entry::<ops::AssignInstructor>(Trail),
    entry::<ops::RemoveInstructor>(Trail),
    entry::<ops::ListEvents>(Reads),
    entry::<ops::SaveEvent>(Trail),
    entry::<ops::SetEventDone>(Trail),
    entry::<ops::DeleteEvent>(Trail),
    entry::<ops::ListMessages>(Reads),
    entry::<ops::SetMessageStatus>(Trail),
    entry::<ops::AssignMessage>(Trail),
    entry::<ops::CountNewMessages>(Reads),
    entry::<ops::GetMessageThread>(Reads),
    entry::<ops::ReplyToMessage>(Trail),
    entry::<ops::ListAnnouncements>(Reads),
    entry::<ops::SaveAnnouncement>(Trail),
    entry::<ops::CreateAnnouncement>(Trail),
    entry::<ops::AnnouncementFeed>(Reads),
    entry::<ops::MarkAnnouncementsRead>(RECEIPTS),
    entry::<ops::ListApplications>(Reads),
    entry::<ops::GetApplication>(Reads),
    entry::<ops::ApproveApplication>(Trail),
    entry::<ops::DecideApplication>(Trail),
    entry::<ops::DecideApplications>(Trail),
    entry::<ops::ApplicationFunnel>(Reads),
    entry::<ops::ExportApplications>(Reads),
    entry::<ops::ExportEnrollments>(Reads),
    entry::<ops::AddEnrollment>(Trail),
    entry::<ops::SetEnrollmentStatus>(Trail),
    entry::<ops::ChangeEnrollments>(Trail),
    entry::<ops::CompleteCohort>(Trail),
    entry::<ops::ListForms>(Reads),
    entry::<ops::GetForm>(Reads),
    entry::<ops::SaveForm>(Trail),
    entry::<ops::SaveField>(Trail),
    entry::<ops::DeleteField>(Trail),
    entry::<ops::ReorderFields>(Trail),
    entry::<ops::AttendanceRoster>(Reads),
    entry::<ops::MarkAttendance>(Trail),
    entry::<ops::PushMarks>(Trail),
    entry::<ops::PullMarks>(Reads),
    entry::<ops::AttendanceHistory>(Reads),
    entry::<ops::GetOfflinePack>(Reads),
    entry::<ops::CheckinCodeNow>(Reads),
    entry::<ops::CheckinLiveList>(Reads),
    entry::<ops::SubmitCheckin>(Trail),
    entry::<ops::MyCheckinsToday>(Reads),
    entry::<ops::SetSessionCheckin>(Trail),
    entry::<ops::SetCohortCheckin>(Trail),
    entry::<ops::ListSessions>(Reads),
    entry::<ops::SaveSession>(Trail),
    entry::<ops::DeleteSession>(Trail),
    entry::<ops::PlanSessions>(Reads),
    entry::<ops::CreatePlan>(Trail),
    entry::<ops::SetAttendanceMail>(Trail),
    entry::<ops::ReportCohort>(Reads),
    entry::<ops::ReportSessions>(Reads),
    entry::<ops::AttendanceThisWeek>(Reads),
    entry::<ops::ReportStudent>(Reads),
    entry::<ops::MyAttendance>(Reads),
    entry::<ops::ExportCsv>(Reads),
    entry::<ops::GetMailSettings>(Reads),
    entry::<ops::ListOutbox>(Reads),
    entry::<ops::GetOutboxMessage>(Reads),
    entry::<ops::RetryMail>(OUTBOX),
    entry::<ops::SendTestMail>(OUTBOX),
    entry::<ops::ListActivity>(Reads),
    entry::<ops::ExportActivity>(Reads),
    entry::<ops::ImportPeople>(Trail),
    entry::<ops::ImportMarks>(Trail),
];

pub fn find(name: &str) -> Option<&'static OperationEntry> {
    OPERATIONS.iter().find(|operation| operation.name == name)
}

/// Runs one operation by name for a caller (a session, a user, or nobody), with a JSON request.
pub async fn call(hub: &Hub, caller: &Caller, name: &str, request: Value) -> Result<Value> {
    match dispatch(hub, caller, name, Body::Value(request)).await? {
        Reply::Value(value) => Ok(value),
        Reply::Text(_) => Err(Error::Internal("a value was asked for and text came back".to_owned())),
    }
}

/// [`call`] with the request as JSON text, answered as JSON text: what the hub server does
/// with a body, without a `Value` in between (a batch of 5,000 marks is decoded once).
pub async fn call_json(hub: &Hub, caller: &Caller, name: &str, request: &[u8]) -> Result<Vec<u8>> {
    match dispatch(hub, caller, name, Body::Text(request)).await? {
        Reply::Text(text) => Ok(text),
        Reply::Value(_) => Err(Error::Internal("text was asked for and a value came back".to_owned())),
    }
}

async fn dispatch(hub: &Hub, caller: &Caller, name: &str, body: Body<'_>) -> Result<Reply> {
    let operation = find(name).ok_or_else(|| Error::NotFound(format!("operation '{name}'")))?;
    let actor = match Actor::resolve(hub, caller).await {
        // An operation open to anyone still works for a session that just ended or whose
        // account was just deactivated: the status line keeps reporting, and signing out
        // or in again works.
        Err(Error::Unauthenticated(_)) if operation.access == Access::Anyone => {
            Actor::anonymous(caller.address)
        }
        resolved => resolved?,
    };
    actor.require(operation.access)?;
    let me = actor.signed_in();
    let hub = hub.running(Call {
        operation: operation.name,
        actor: me.map(|me| me.id),
        session: me.and_then(|me| me.session_id),
        address: actor.address(),
    });
    (operation.handler)(&hub, &actor, body).await
}

/// Decodes a request, treating "no request" as `{}`. A refusal names the offending field.
fn decode<T: serde::de::DeserializeOwned>(request: Value) -> Result<T> {
    let request = if request.is_null() { Value::Object(Default::default()) } else { request };
    serde_path_to_error::deserialize(request).map_err(refusal)
}

/// Decodes a request from JSON text, treating an empty body as `{}`. Text that is not
/// JSON at all is said so; a field that is wrong is named.
fn decode_text<T: serde::de::DeserializeOwned>(text: &[u8]) -> Result<T> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return decode(Value::Null);
    }
    let mut json = serde_json::Deserializer::from_slice(text);
    let request = serde_path_to_error::deserialize(&mut json).map_err(|error| {
        if error.inner().is_syntax() || error.inner().is_eof() {
            Error::validation("request", format!("is not valid JSON: {}", error.inner()))
        } else {
            refusal(error)
        }
    })?;
    json.end().map_err(|error| Error::validation("request", format!("is not valid JSON: {error}")))?;
    Ok(request)
}

fn refusal(error: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = error.path().to_string();
    let field = if path == "." { "request".to_owned() } else { path };
    Error::validation(field, error.into_inner().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_unique_and_dotted() {
        for (index, operation) in OPERATIONS.iter().enumerate() {
            let (area, verb) = operation.name.split_once('.').expect("area.verb");
            assert!(!area.is_empty() && !verb.is_empty(), "{}", operation.name);
            assert!(
                OPERATIONS[index + 1..].iter().all(|other| other.name != operation.name),
                "{} is listed twice",
                operation.name
            );
        }
    }

    /// Every `impl Handler for X` in this crate, with the area its file is (`cohorts.rs` →
    /// `cohorts`, `attendance/reports.rs` → `attendance`).
    fn handlers_by_file() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut folders = vec![root.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().map(Result::unwrap) {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                let area = relative.split('/').next().unwrap().trim_end_matches(".rs").to_owned();
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    if let Some(rest) = line.strip_prefix("impl Handler for ") {
                        found.push((area.clone(), rest.trim_end_matches(" {").to_owned()));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn each_operation_is_handled_in_the_module_its_name_says() {
        let handlers = handlers_by_file();
        assert_eq!(handlers.len(), OPERATIONS.len(), "one handler per operation: {handlers:?}");
        for (area, handler) in handlers {
            let operation = OPERATIONS
                .iter()
                .find(|operation| (operation.type_name)().rsplit("::").next() == Some(handler.as_str()))
                .unwrap_or_else(|| panic!("{handler} is not in the table"));
            let (named, _) = operation.name.split_once('.').unwrap();
            assert_eq!(named, area, "{} is handled in {area}", operation.name);
        }
    }

    #[test]
    fn json_text_is_decoded_naming_a_wrong_field_and_saying_when_it_is_no_json() {
        let empty: hub_model::NoRequest = decode_text(b"  ").unwrap();
        assert_eq!(empty, hub_model::NoRequest {});
        let wrong =
            decode_text::<hub_model::users::UserIdRequest>(br#"{"id": "seven"}"#).unwrap_err().to_api();
        assert_eq!(wrong.field.as_deref(), Some("id"));
        for broken in [&b"{\"id\": "[..], b"nope", br#"{"id": 1} trailing"#] {
            let refused = decode_text::<hub_model::users::UserIdRequest>(broken).unwrap_err().to_api();
            assert_eq!(refused.field.as_deref(), Some("request"), "{refused:?}");
            assert!(refused.message.contains("not valid JSON"), "{refused:?}");
        }
    }

    #[test]
    fn a_request_with_an_unknown_field_is_refused_naming_it() {
        let error = decode::<hub_model::NoRequest>(serde_json::json!({"surprise": 1})).unwrap_err();
        let api = error.to_api();
        assert_eq!(api.kind, hub_model::ErrorKind::Validation);
        assert!(api.message.contains("surprise"), "{}", api.message);
    }
}
