//! The desktop shell's own commands: what the window asks of the app around it — which hub
//! it talks to, signing in and out, offline attendance and its sync, the app's updates, and
//! saving files. Typed like the operation catalogue ([`crate::Operation`]), so the UI and
//! the shell cannot disagree on a name or a shape: the UI calls `ipc::shell::<C>(request)`,
//! the shell's table implements each `C`.

use crate::app::AvailableUpdate;
use crate::attendance::{LocalRosterEntry, Mark, MarkAttendanceRequest, SessionInfo, SyncState};
use crate::auth::{ChangePasswordRequest, CurrentUser, Done, LoginRequest};
use crate::connection::{ConnectionCheck, ConnectionState, HubSettings};
use crate::NoRequest;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

/// One command of the shell.
pub trait Command {
    /// `area.verb`, e.g. `offline.mark`.
    const NAME: &'static str;
    type Request: Serialize + DeserializeOwned + Send + 'static;
    type Response: Serialize + DeserializeOwned + Send + 'static;
}

macro_rules! command {
    ($(#[$doc:meta])* $name:ident, $dotted:literal, $request:ty => $response:ty) => {
        $(#[$doc])*
        pub struct $name;

        impl Command for $name {
            const NAME: &'static str = $dotted;
            type Request = $request;
            type Response = $response;
        }
    };
}

/// Who is signed in to the app, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub user: CurrentUser,
    /// Signed in on this computer only (the hub could not be reached): only offline
    /// attendance is open, and the person signs in online before anything is sent.
    pub offline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRequest {
    pub session_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineMarkManyRequest {
    pub session_id: i64,
    pub enrollment_ids: Vec<i64>,
    pub status: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DismissRequest {
    pub client_id: Uuid,
}

/// A file to save in the person's Downloads folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Download {
    pub filename: String,
    pub content: String,
}

command!(
    /// Which hub the app talks to, and where a session's token is kept.
    HubState, "hub.state", NoRequest => ConnectionState
);
command!(
    /// Asks a hub's health, saving nothing: the first-run screen's "Check".
    HubCheck, "hub.check", HubSettings => ConnectionCheck
);
command!(
    /// Checks a hub, then talks to it from now on (signing out of the one before).
    HubSave, "hub.save", HubSettings => ConnectionState
);
command!(
    /// Who is signed in (online, or on this computer only), if anyone.
    CurrentSession, "session.current", NoRequest => Option<SignedInUser>
);
command!(
    /// Signs in with the hub; with the hub out of reach, on this computer only, for
    /// someone who signed in online here before.
    SignIn, "session.sign_in", LoginRequest => SignedInUser
);
command!(
    /// Changes the signed-in person's password at the hub (their other devices are signed
    /// out), and the offline sign-in on this computer with it.
    ChangePassword, "session.change_password", ChangePasswordRequest => Done
);
command!(
    /// Signs out (the hub forgets the session; this computer forgets its token).
    SignOut, "session.sign_out", NoRequest => Done
);
command!(
    /// Saves a file the app made (a CSV report) in the Downloads folder; answers its path.
    SaveDownload, "files.save_download", Download => String
);
command!(
    /// The sessions kept on this computer for offline marking.
    OfflineSessions, "offline.sessions", NoRequest => Vec<SessionInfo>
);
command!(
    /// A kept session's students and the marks this computer knows.
    OfflineRoster, "offline.roster", SessionRequest => Vec<LocalRosterEntry>
);
command!(
    /// A session's check-in code made on this computer from the key its offline pack
    /// carried, by this computer's clock: the check-in screen with no network.
    OfflineCheckinCode, "offline.checkin_code", SessionRequest => crate::checkin::CheckinCode
);
command!(
    /// Saves a mark on this computer (safe once this answers); it syncs when it can.
    OfflineMark, "offline.mark", MarkAttendanceRequest => Vec<LocalRosterEntry>
);
command!(
    /// Saves the same mark for several students of a session, in one local transaction.
    OfflineMarkMany, "offline.mark_many", OfflineMarkManyRequest => Vec<LocalRosterEntry>
);
command!(
    /// What the sync line shows.
    SyncStatus, "sync.state", NoRequest => SyncState
);
command!(
    /// Syncs now rather than at the next round.
    SyncNow, "sync.now", NoRequest => SyncState
);
command!(
    /// A refused mark its maker has read: it leaves the outbox.
    SyncDismiss, "sync.dismiss", DismissRequest => SyncState
);
command!(
    /// A newer release to update to, if the release feed has one.
    UpdateCheck, "update.check", NoRequest => Option<AvailableUpdate>
);
command!(
    /// Downloads and installs the newer release; the app restarts.
    UpdateInstall, "update.install", NoRequest => Done
);

/// Every command's name: the shell answers each one (its test checks).
pub const NAMES: &[&str] = &[
    HubState::NAME,
    HubCheck::NAME,
    HubSave::NAME,
    CurrentSession::NAME,
    SignIn::NAME,
    ChangePassword::NAME,
    SignOut::NAME,
    SaveDownload::NAME,
    OfflineSessions::NAME,
    OfflineRoster::NAME,
    OfflineCheckinCode::NAME,
    OfflineMark::NAME,
    OfflineMarkMany::NAME,
    SyncStatus::NAME,
    SyncNow::NAME,
    SyncDismiss::NAME,
    UpdateCheck::NAME,
    UpdateInstall::NAME,
];
