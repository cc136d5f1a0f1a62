//! The operation catalogue: every operation's dotted name, who may call it, and its
//! request and response types. hub-core implements each one; the desktop UI and
//! `hubctl call` reach them by name through the same dispatcher.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// Who may call an operation. Checked by hub-core before the handler runs; handlers add
/// ownership rules (an instructor's own cohorts, a student's own records) on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No sign-in needed.
    Anyone,
    /// Any active signed-in user.
    Authenticated,
    Admin,
    Instructor,
    Student,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::Authenticated => "authenticated",
            Self::Admin => "admin",
            Self::Instructor => "instructor",
            Self::Student => "student",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation of the catalogue. Implemented by a unit struct per operation, so the
/// UI's `ipc::call::<AppInfo>(…)` and hub-core's handler share one name and one pair of types.
pub trait Operation {
    /// `area.verb`, e.g. `users.create`.
    const NAME: &'static str;
    const ACCESS: Access;
    /// One line for `hubctl call --list`.
    const SUMMARY: &'static str;
    type Request: Serialize + DeserializeOwned + Send + 'static;
    type Response: Serialize + DeserializeOwned + Send + 'static;
}

/// The request of operations that take no arguments: `{}` (or nothing at all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoRequest {}

/// Declares one operation: a unit struct and its [`Operation`] impl.
macro_rules! operation {
    ($(#[$doc:meta])* $name:ident, $dotted:literal, $access:ident, $summary:literal, $request:ty => $response:ty) => {
        $(#[$doc])*
        pub struct $name;

        impl Operation for $name {
            const NAME: &'static str = $dotted;
            const ACCESS: Access = Access::$access;
            const SUMMARY: &'static str = $summary;
            type Request = $request;
            type Response = $response;
        }
    };
}

use crate::app::AppInfoResponse;
use crate::auth::{
    ChangePasswordRequest, CurrentUser, Done, ForgotPasswordRequest, LoginRequest, RedeemCodeRequest,
    ResetPasswordRequest, ResetPasswordResponse, SignedIn,
};

operation!(
    /// `app.info`: the build's version and the database's state, for status lines and health checks.
    AppInfo, "app.info", Anyone, "Version, database reachability and schema level", NoRequest => AppInfoResponse
);
operation!(
    /// `auth.sign_in`: checks an email or phone and a password and opens a session on the
    /// hub server (what `POST /api/v1/sessions` runs).
    SignIn, "auth.sign_in", Anyone, "Sign in with an email or phone number and a password: a session token",
    LoginRequest => SignedIn
);
operation!(
    /// `auth.sign_out`: ends the caller's session (nothing to end is no error).
    SignOut, "auth.sign_out", Anyone, "Sign out: the session's token stops working", NoRequest => Done
);
operation!(
    /// `auth.me`: the signed-in user, with roles as they are now.
    Me, "auth.me", Authenticated, "The signed-in user and their current roles", NoRequest => CurrentUser
);
operation!(
    /// `auth.change_password`: one's own password, given the current one.
    ChangePassword, "auth.change_password", Authenticated,
    "Change your own password (needs the current one; your other devices are signed out)",
    ChangePasswordRequest => Done
);
operation!(
    /// `auth.redeem_code`: sets a password with the code an invitation or a reset brought;
    /// every session of the account ends.
    RedeemCode, "auth.redeem_code", Anyone,
    "Set your password with the code from your invitation or reset email (signs you out everywhere)",
    RedeemCodeRequest => Done
);
operation!(
    /// `auth.forgot_password`: mails a code to the account that uses this address; the
    /// same answer whether or not one does.
    ForgotPassword, "auth.forgot_password", Anyone,
    "Forgot your password: a code to set a new one, by email",
    ForgotPasswordRequest => Done
);
operation!(
    /// `users.reset_password`: an admin sets or generates someone's password.
    ResetPassword, "users.reset_password", Admin,
    "Set a user's password, or generate a one-time one (signs them out everywhere)",
    ResetPasswordRequest => ResetPasswordResponse
);

use crate::devices::{DeviceSession, Revoked, UserDevicesRequest};

operation!(
    /// `devices.list`: where a person is signed in.
    ListDevices, "devices.list", Admin, "A person's signed-in devices: name, last use, address",
    UserDevicesRequest => Vec<DeviceSession>
);
operation!(
    /// `devices.revoke`: ends one session; that device must sign in again.
    RevokeDevice, "devices.revoke", Admin, "Sign one device out (its session ends at once)", IdRequest => Revoked
);
operation!(
    /// `devices.revoke_all`: "sign out everywhere".
    RevokeAllDevices, "devices.revoke_all", Admin, "Sign a person out on every device",
    UserDevicesRequest => Revoked
);

use crate::users::{
    CreateUserRequest, CreatedUser, InvitationSent, ListUsersRequest, SetActiveRequest, SetRolesRequest,
    UpdateUserRequest, UserIdRequest, UserPage, UserSummary,
};

operation!(
    /// `users.list`: search, filter, sort and page through accounts.
    ListUsers, "users.list", Admin, "List users: search, role and active filters, sort, pages",
    ListUsersRequest => UserPage
);
operation!(
    /// `users.export_csv`: the people the list's filters find, in the columns an import reads.
    ExportPeople, "users.export_csv", Admin,
    "People as CSV in the columns an import reads back (name, email, phone, roles, cohort, profile)",
    ListUsersRequest => crate::attendance::CsvFile
);
operation!(
    /// `users.get`: one account.
    GetUser, "users.get", Admin, "One user's account", UserIdRequest => UserSummary
);
operation!(
    /// `users.create`: a new account with its roles and profiles.
    CreateUser, "users.create", Admin, "Create a user with roles (a one-time password if none is given)",
    CreateUserRequest => CreatedUser
);
operation!(
    /// `users.update`: contact details and name.
    UpdateUser, "users.update", Admin, "Change a user's email, phone and name", UpdateUserRequest => UserSummary
);
operation!(
    /// `users.set_roles`: the admin, instructor and student flags.
    SetRoles, "users.set_roles", Admin, "Grant or revoke the admin, instructor and student roles",
    SetRolesRequest => UserSummary
);
operation!(
    /// `users.set_active`: deactivate (refused at the next call) or reactivate.
    SetActive, "users.set_active", Admin, "Deactivate or reactivate a user", SetActiveRequest => UserSummary
);
operation!(
    /// `users.invite`: mails a person a code to choose their password: an invitation while
    /// they have none, a reset code once they have one.
    InviteUser, "users.invite", Admin,
    "Mail a person a code to choose their password (an invitation, or a reset)", UserIdRequest => InvitationSent
);

use crate::profiles::{
    MyListing, ProfileBasics, Profiles, ProfilesRequest, PublicProfilesReview, UpdateInstructorProfile,
    UpdateManagerProfile, UpdateStudentProfile,
};

operation!(
    /// `profiles.mine`: the signed-in person's profiles.
    MyProfiles, "profiles.mine", Authenticated, "Your own profiles", NoRequest => Profiles
);
operation!(
    /// `profiles.update_mine`: name, avatar, bio and links, on every profile one has.
    UpdateMyProfiles, "profiles.update_mine", Authenticated,
    "Edit your name, avatar, bio and links (on each of your profiles)", ProfileBasics => Profiles
);
operation!(
    /// `profiles.set_my_listing`: an instructor lists themselves on the website, or not.
    SetMyListing, "profiles.set_my_listing", Instructor,
    "Choose whether the website's team page lists you", MyListing => Profiles
);
operation!(
    /// `profiles.approve_student`: what the student wrote becomes their public page's text.
    ApproveStudentText, "profiles.approve_student", Admin,
    "Approve a student's name, avatar, bio and links for their public page", ProfilesRequest => Profiles
);
operation!(
    /// `profiles.public_review`: featured students the website cannot show, and edits waiting.
    PublicProfilesToReview, "profiles.public_review", Admin,
    "Featured students the website cannot show, and students' edits awaiting approval",
    NoRequest => PublicProfilesReview
);
operation!(
    /// `profiles.get`: anyone's profiles, for admins.
    GetProfiles, "profiles.get", Admin, "A user's profiles", ProfilesRequest => Profiles
);
operation!(
    /// `profiles.update_student`: all of a student profile.
    UpdateStudent, "profiles.update_student", Admin,
    "Edit a student profile: status, featuring, public address", UpdateStudentProfile => Profiles
);
operation!(
    /// `profiles.update_instructor`: all of an instructor profile.
    UpdateInstructor, "profiles.update_instructor", Admin, "Edit an instructor profile",
    UpdateInstructorProfile => Profiles
);
operation!(
    /// `profiles.update_manager`: all of a manager profile (administrators only have one).
    UpdateManager, "profiles.update_manager", Admin, "Edit a manager profile: title, public, order",
    UpdateManagerProfile => Profiles
);

use crate::media::{ImageUpload, Media};

operation!(
    /// `media.upload`: an image the hub keeps at a few widths, for an avatar or the website.
    UploadImage, "media.upload", Authenticated,
    "Upload an image (JPEG, PNG or WebP): the hub keeps it at a few widths and answers its address",
    ImageUpload => Media
);

use crate::cms::{
    AppTheme, CreateHomeSection, HomeSectionRow, IdRequest, PageDetail, PageSummary, PreviewRequest,
    ReorderHomeSections, SavePageRequest, SaveThemeToken, SitePreview, SiteSettings, ThemeToken,
    UpdateHomeSection, UpdateSiteSettings,
};

operation!(
    /// `app.theme`: the colors the desktop app applies (scope global and admin).
    GetAppTheme, "app.theme", Anyone, "The desktop app's theme colors (global and admin tokens)", NoRequest => AppTheme
);
operation!(
    /// `cms.get_site`: the site settings.
    GetSite, "cms.get_site", Admin, "The website's settings: name, location, contact, social links",
    NoRequest => SiteSettings
);
operation!(
    /// `cms.update_site`: all the site settings.
    UpdateSite, "cms.update_site", Admin, "Change the website's settings", UpdateSiteSettings => SiteSettings
);
operation!(
    /// `cms.list_theme`: every theme token.
    ListTheme, "cms.list_theme", Admin, "Every theme token, by scope and key", NoRequest => Vec<ThemeToken>
);
operation!(
    /// `cms.save_theme_token`: create or change a token.
    SaveToken, "cms.save_theme_token", Admin, "Create or change a theme token (a CSS color)",
    SaveThemeToken => ThemeToken
);
operation!(
    /// `cms.delete_theme_token`: remove a token.
    DeleteToken, "cms.delete_theme_token", Admin, "Remove a theme token", IdRequest => Done
);
operation!(
    /// `cms.list_pages`: every page, published or not.
    ListPages, "cms.list_pages", Admin, "Every page, published or not", NoRequest => Vec<PageSummary>
);
operation!(
    /// `cms.get_page`: one page with its content.
    GetPage, "cms.get_page", Admin, "One page with its content", IdRequest => PageDetail
);
operation!(
    /// `cms.save_page`: create or change a page.
    SavePage, "cms.save_page", Admin, "Create or change a page: key, title, blocks, published",
    SavePageRequest => PageDetail
);
operation!(
    /// `cms.delete_page`: remove a page from the website and the app.
    DeletePage, "cms.delete_page", Admin, "Delete a page", IdRequest => Done
);
operation!(
    /// `cms.list_sections`: the home page's sections in order.
    ListSections, "cms.list_sections", Admin, "The home page's sections, in order", NoRequest => Vec<HomeSectionRow>
);
operation!(
    /// `cms.update_section`: a section's title, visibility and content.
    UpdateSection, "cms.update_section", Admin, "Change a home section: title, shown or not, content",
    UpdateHomeSection => HomeSectionRow
);
operation!(
    /// `cms.create_section`: a new home section of a kind, hidden, last.
    CreateSection, "cms.create_section", Admin, "Add a home section of a kind (it starts hidden, at the end)",
    CreateHomeSection => HomeSectionRow
);
operation!(
    /// `cms.delete_section`: remove a home section.
    DeleteSection, "cms.delete_section", Admin, "Delete a home section", IdRequest => Done
);
operation!(
    /// `website.preview`: the home page or a page, written by the server from an unsaved edit.
    PreviewSite, "website.preview", Admin,
    "The home page or a page as the website would show it, written from an unsaved edit",
    PreviewRequest => SitePreview
);
operation!(
    /// `cms.reorder_sections`: the sections' order.
    ReorderSections, "cms.reorder_sections", Admin, "Put the home sections in a new order",
    ReorderHomeSections => Vec<HomeSectionRow>
);

use crate::page::Page;
use crate::programs::{
    AssignInstructorRequest, CohortDetail, CohortRow, ListCohortsRequest, ListProgramsRequest, MyCohort,
    ProgramImpact, ProgramRow, RemoveInstructorRequest, SaveCohortRequest, SaveProgramRequest,
    SetCohortStatusRequest,
};

operation!(
    /// `programs.list`: the program templates.
    ListPrograms, "programs.list", Admin, "Programs, with how many cohorts each has: search, filter, sort, pages",
    ListProgramsRequest => Page<ProgramRow>
);
operation!(
    /// `programs.save`: create or change a program.
    SaveProgram, "programs.save", Admin, "Create or change a program", SaveProgramRequest => ProgramRow
);
operation!(
    /// `programs.delete_impact`: what deleting a program would remove, for the confirmation.
    ProgramDeleteImpact, "programs.delete_impact", Admin, "What deleting a program would remove with it",
    IdRequest => ProgramImpact
);
operation!(
    /// `programs.delete`: a program and its cohorts, enrollments and sessions.
    DeleteProgram, "programs.delete", Admin, "Delete a program with its cohorts (says what went with it)",
    IdRequest => ProgramImpact
);
operation!(
    /// `cohorts.list`: cohorts, by program and status.
    ListCohorts, "cohorts.list", Admin, "Cohorts: by program and status, search, sort, pages",
    ListCohortsRequest => Page<CohortRow>
);
operation!(
    /// `cohorts.get`: the cohort page: instructors, seats, students, sessions.
    GetCohort, "cohorts.get", Admin, "One cohort: instructors, seats used, enrolled students, sessions",
    IdRequest => CohortDetail
);
operation!(
    /// `cohorts.mine`: the cohorts the signed-in person teaches or is enrolled in.
    MyCohorts, "cohorts.mine", Authenticated, "The cohorts you teach or study in, latest first",
    NoRequest => Vec<MyCohort>
);
operation!(
    /// `cohorts.save`: create a cohort of a program, or change one.
    SaveCohort, "cohorts.save", Admin, "Create a cohort of a program, or change one", SaveCohortRequest => CohortRow
);
operation!(
    /// `cohorts.set_status`: move a cohort along its life (refusals name the allowed moves).
    SetCohortStatus, "cohorts.set_status", Admin, "Move a cohort to another status (planned … completed)",
    SetCohortStatusRequest => CohortRow
);
operation!(
    /// `cohorts.assign_instructor`: an instructor teaches a cohort as lead, assistant or mentor.
    AssignInstructor, "cohorts.assign_instructor", Admin, "Assign an instructor to a cohort with a role",
    AssignInstructorRequest => CohortRow
);
operation!(
    /// `cohorts.remove_instructor`: an instructor no longer teaches a cohort.
    RemoveInstructor, "cohorts.remove_instructor", Admin, "Remove an instructor from a cohort",
    RemoveInstructorRequest => CohortRow
);

use crate::events::{EventRow, ListEventsRequest, SaveEventRequest, SetEventDoneRequest};

operation!(
    /// `events.list`: upcoming, past or all events.
    ListEvents, "events.list", Admin, "Events: upcoming, past or all, search, sort, pages",
    ListEventsRequest => Page<EventRow>
);
operation!(
    /// `events.save`: create or change an event.
    SaveEvent, "events.save", Admin, "Create or change an event", SaveEventRequest => EventRow
);
operation!(
    /// `events.set_done`: mark an event done, or undo it.
    SetEventDone, "events.set_done", Admin, "Mark an event done (or not done again)", SetEventDoneRequest => EventRow
);
operation!(
    /// `events.delete`: remove an event from the calendar and the website.
    DeleteEvent, "events.delete", Admin, "Delete an event", IdRequest => Done
);

use crate::inbox::{
    AssignMessageRequest, InboxMessage, ListMessagesRequest, MessagePage, MessageThread, NewMessages,
    ReplyToMessageRequest, SetMessageStatusRequest,
};

operation!(
    /// `inbox.list`: contact messages by status, assignee and words.
    ListMessages, "inbox.list", Admin, "Contact messages: filter by status and assignee, search, pages",
    ListMessagesRequest => MessagePage
);
operation!(
    /// `inbox.set_status`: new → in_progress → resolved (and reopening).
    SetMessageStatus, "inbox.set_status", Admin, "Move a contact message to new, in progress or resolved",
    SetMessageStatusRequest => InboxMessage
);
operation!(
    /// `inbox.assign`: an admin takes care of a message.
    AssignMessage, "inbox.assign", Admin, "Assign a contact message to an administrator (or nobody)",
    AssignMessageRequest => InboxMessage
);
operation!(
    /// `inbox.count_new`: how many messages nobody has started on.
    CountNewMessages, "inbox.count_new", Admin, "How many contact messages are new", NoRequest => NewMessages
);
operation!(
    /// `inbox.thread`: a message and the replies mailed to its sender.
    GetMessageThread, "inbox.thread", Admin, "A contact message with the replies mailed to its sender",
    IdRequest => MessageThread
);
operation!(
    /// `inbox.reply`: an admin answers the visitor by email, from the hub's address.
    ReplyToMessage, "inbox.reply", Admin,
    "Reply to a contact message: mailed to its sender from the hub, kept with the message",
    ReplyToMessageRequest => MessageThread
);

use crate::announcements::{
    AnnouncementRow, CreateAnnouncementRequest, FeedItem, ListAnnouncementsRequest, MarkRead,
    SaveAnnouncementRequest,
};

operation!(
    /// `announcements.list`: every announcement, for admins.
    ListAnnouncements, "announcements.list", Admin, "Every announcement, scheduled and unpublished too: search, filter, pages",
    ListAnnouncementsRequest => Page<AnnouncementRow>
);
operation!(
    /// `announcements.save`: compose, schedule, edit or unpublish an announcement.
    SaveAnnouncement, "announcements.save", Admin, "Compose or change an announcement (audience, cohort, schedule)",
    SaveAnnouncementRequest => AnnouncementRow
);
operation!(
    /// `announcements.create`: an instructor posts to the students of a cohort they teach.
    CreateAnnouncement, "announcements.create", Instructor, "Post to the students of a cohort you teach",
    CreateAnnouncementRequest => AnnouncementRow
);
operation!(
    /// `announcements.feed`: what the signed-in person may see, newest first.
    AnnouncementFeed, "announcements.feed", Authenticated, "Your announcements, newest first", NoRequest => Vec<FeedItem>
);
operation!(
    /// `announcements.mark_read`: the signed-in person has read these.
    MarkAnnouncementsRead, "announcements.mark_read", Authenticated, "Mark announcements of your feed as read",
    MarkRead => Done
);

use crate::applications::{
    AddEnrollmentRequest, ApplicationDetail, ApplicationRow, Approved, ChangeEnrollmentsRequest,
    CohortCompleted, CompleteCohortRequest, DecideApplicationRequest, DecideManyRequest, Decided,
    DecidedMany, EnrollmentChanged, EnrollmentsChanged, ExportEnrollmentsRequest, FunnelRow,
    ListApplicationsRequest, SetEnrollmentStatusRequest,
};

operation!(
    /// `applications.list`: applications by cohort and status, searchable.
    ListApplications, "applications.list", Admin, "Applications: by cohort and status, search, sort, pages",
    ListApplicationsRequest => Page<ApplicationRow>
);
operation!(
    /// `applications.get`: one application with its answers under the form's labels.
    GetApplication, "applications.get", Admin, "One application and its answers", IdRequest => ApplicationDetail
);
operation!(
    /// `applications.approve`: the student found or created, enrolled, in one transaction.
    ApproveApplication, "applications.approve", Admin,
    "Approve an application: the student account (a one-time password if new) and the enrollment",
    IdRequest => Approved
);
operation!(
    /// `applications.decide`: reject, waitlist or back to pending (rejecting an approval withdraws it).
    DecideApplication, "applications.decide", Admin, "Reject, waitlist or reopen an application",
    DecideApplicationRequest => Decided
);
operation!(
    /// `applications.decide_many`: approve, waitlist, reject or reopen many at once.
    DecideApplications, "applications.decide_many", Admin,
    "Approve, waitlist, reject or reopen many applications at once (approvals up to each cohort's capacity)",
    DecideManyRequest => DecidedMany
);
operation!(
    /// `applications.export_csv`: the applications the list's filters find, with their answers.
    ExportApplications, "applications.export_csv", Admin,
    "Applications as CSV, a column for each answer (the list's filters)",
    ListApplicationsRequest => crate::attendance::CsvFile
);
operation!(
    /// `enrollments.change_many`: pause, complete, drop or move several enrollments at once.
    ChangeEnrollments, "enrollments.change_many", Admin,
    "Pause, complete, drop, reactivate or move several enrollments at once, all or none",
    ChangeEnrollmentsRequest => EnrollmentsChanged
);
operation!(
    /// `cohorts.complete`: a cohort done, and (if asked) its students completed and graduated.
    CompleteCohort, "cohorts.complete", Admin,
    "Mark a cohort completed, and if asked complete its active enrollments and graduate their students",
    CompleteCohortRequest => CohortCompleted
);
operation!(
    /// `enrollments.export_csv`: every enrollment, or one cohort's.
    ExportEnrollments, "enrollments.export_csv", Admin, "Enrollments as CSV: every cohort's, or one's",
    ExportEnrollmentsRequest => crate::attendance::CsvFile
);
operation!(
    /// `applications.funnel`: applications per cohort by status.
    ApplicationFunnel, "applications.funnel", Admin, "Applications per cohort: pending, approved, rejected, waitlisted",
    NoRequest => Vec<FunnelRow>
);
operation!(
    /// `enrollments.add`: enroll an existing student directly.
    AddEnrollment, "enrollments.add", Admin, "Enroll an existing student in a cohort", AddEnrollmentRequest => EnrollmentChanged
);
operation!(
    /// `enrollments.set_status`: active, paused, completed or dropped.
    SetEnrollmentStatus, "enrollments.set_status", Admin, "Change an enrollment's status (dropping frees a seat)",
    SetEnrollmentStatusRequest => EnrollmentChanged
);

use crate::forms::{FormDetail, FormSummary, ReorderFieldsRequest, SaveFieldRequest, SaveFormRequest};

operation!(
    /// `forms.list`: every form.
    ListForms, "forms.list", Admin, "Every form, with how many fields it has", NoRequest => Vec<FormSummary>
);
operation!(
    /// `forms.get`: a form with all its fields.
    GetForm, "forms.get", Admin, "One form and all its fields, in order", IdRequest => FormDetail
);
operation!(
    /// `forms.save`: create a form or change its key, title, description, state.
    SaveForm, "forms.save", Admin, "Create or change a form", SaveFormRequest => FormDetail
);
operation!(
    /// `forms.save_field`: add or change a field.
    SaveField, "forms.save_field", Admin, "Add a field to a form, or change one", SaveFieldRequest => FormDetail
);
operation!(
    /// `forms.delete_field`: remove a field (answers already given keep it).
    DeleteField, "forms.delete_field", Admin, "Remove a field from its form", IdRequest => FormDetail
);
operation!(
    /// `forms.reorder_fields`: the fields in a new order.
    ReorderFields, "forms.reorder_fields", Admin, "Put a form's fields in a new order", ReorderFieldsRequest => FormDetail
);

use crate::attendance::{
    HistoryEntry, HistoryRequest, MarkAttendanceRequest, OfflinePack, PullRequest, Pulled, PushMarksRequest,
    Pushed, Roster, RosterEntry,
};

operation!(
    /// `attendance.roster`: a session's active students and their marks.
    AttendanceRoster, "attendance.roster", Authenticated,
    "A session's roster with its marks (the cohort's instructors and admins)", IdRequest => Roster
);
operation!(
    /// `attendance.mark`: one mark, online.
    MarkAttendance, "attendance.mark", Authenticated,
    "Mark a student present, absent, late or excused (the cohort's instructors and admins)",
    MarkAttendanceRequest => RosterEntry
);
operation!(
    /// `attendance.push`: a device's marks, idempotent by client id.
    PushMarks, "attendance.push", Authenticated,
    "Send a batch of marks made on a device (re-sending changes nothing)", PushMarksRequest => Pushed
);
operation!(
    /// `attendance.pull`: the records changed since a device's cursor.
    PullMarks, "attendance.pull", Authenticated, "The marks of your cohorts changed since your cursor",
    PullRequest => Pulled
);
operation!(
    /// `attendance.history`: every mark a student was given for a session.
    AttendanceHistory, "attendance.history", Authenticated,
    "Every mark a student received for a session, who gave it and when", HistoryRequest => Vec<HistoryEntry>
);
operation!(
    /// `attendance.offline_pack`: sessions and rosters to keep on the device.
    GetOfflinePack, "attendance.offline_pack", Authenticated,
    "The sessions and students of the cohorts you teach, to mark attendance offline", NoRequest => OfflinePack
);

use crate::checkin::{
    CheckinAnswer, CheckinCode, CheckinLive, CheckinMinutes, CheckinWindow, MyCheckins,
    SetCohortCheckinRequest, SetSessionCheckinRequest, SubmitCheckinRequest,
};

operation!(
    /// `checkin.code`: a session's check-in code now, and when it changes.
    CheckinCodeNow, "checkin.code", Authenticated,
    "A session's check-in code, changing every 30 s (the cohort's instructors and admins)", IdRequest => CheckinCode
);
operation!(
    /// `checkin.live`: who has checked in to a session so far.
    CheckinLiveList, "checkin.live", Authenticated,
    "Who has checked in to a session, and who not yet (the cohort's instructors and admins)",
    IdRequest => CheckinLive
);
operation!(
    /// `checkin.submit`: a student checks in with the code on their instructor's screen.
    SubmitCheckin, "checkin.submit", Student,
    "Check in to one of today's sessions with its code", SubmitCheckinRequest => CheckinAnswer
);
operation!(
    /// `checkin.today`: the signed-in student's sessions today and their check-in.
    MyCheckinsToday, "checkin.today", Student, "Your sessions today and whether you can check in", NoRequest => MyCheckins
);
operation!(
    /// `checkin.set_session`: one session's own check-in times, or back to its cohort's.
    SetSessionCheckin, "checkin.set_session", Authenticated,
    "Set when a session's check-in opens, turns late and closes (the cohort's instructors and admins)",
    SetSessionCheckinRequest => CheckinWindow
);
operation!(
    /// `checkin.set_cohort`: a cohort's default check-in times.
    SetCohortCheckin, "checkin.set_cohort", Admin,
    "Set when check-in opens, turns late and closes for a cohort's sessions", SetCohortCheckinRequest => CheckinMinutes
);

use crate::sessions::{
    CalendarSession, Created, DeleteSessionRequest, ListSessionsRequest, PlanSessionsRequest, PlannedDay,
    SaveSessionRequest,
};

operation!(
    /// `sessions.list`: the calendar between two dates, as the person may see it.
    ListSessions, "sessions.list", Authenticated,
    "Sessions between two dates: all for admins, your cohorts' for instructors and students",
    ListSessionsRequest => Vec<CalendarSession>
);
operation!(
    /// `sessions.save`: create or change a session.
    SaveSession, "sessions.save", Authenticated, "Create or change a session (admins, the cohort's lead and assistants)",
    SaveSessionRequest => CalendarSession
);
operation!(
    /// `sessions.delete`: remove a session, and the marks the person agreed go with it.
    DeleteSession, "sessions.delete", Authenticated,
    "Delete a session and its marks, once told how many (admins, the cohort's lead)",
    DeleteSessionRequest => Done
);
operation!(
    /// `sessions.plan`: preview a recurring schedule.
    PlanSessions, "sessions.plan", Authenticated, "Preview a recurring schedule: the days it would add",
    PlanSessionsRequest => Vec<PlannedDay>
);
operation!(
    /// `sessions.create_plan`: save a recurring schedule.
    CreatePlan, "sessions.create_plan", Authenticated, "Add a recurring schedule's sessions (days taken are kept)",
    PlanSessionsRequest => Created
);

use crate::attendance::{
    CohortIdRequest, CohortReport, CohortReportRequest, CsvFile, CsvReport, EnrollmentRequest,
    SessionSummary, StudentReport,
};

operation!(
    /// `attendance.set_cohort_mail`: a cohort's threshold, and whether its students and
    /// instructors are mailed about low attendance.
    SetAttendanceMail, "attendance.set_cohort_mail", Admin,
    "A cohort's attendance threshold, its students' notices and its instructors' weekly digest",
    crate::programs::SetAttendanceMailRequest => crate::programs::AttendanceMail
);
operation!(
    /// `attendance.report_cohort`: each student's rate over the sessions held.
    ReportCohort, "attendance.report_cohort", Authenticated,
    "A cohort's attendance: each student's rate, those under the threshold marked", CohortReportRequest => CohortReport
);
operation!(
    /// `attendance.report_sessions`: each session held, its marks counted.
    ReportSessions, "attendance.report_sessions", Authenticated,
    "A cohort's sessions held so far, each with its marks counted", CohortIdRequest => Vec<SessionSummary>
);
operation!(
    /// `attendance.report_student`: one enrollment's record.
    ReportStudent, "attendance.report_student", Authenticated,
    "One student's attendance in a cohort, session by session (the student too)", EnrollmentRequest => StudentReport
);
operation!(
    /// `attendance.overview`: this week across the running cohorts.
    AttendanceThisWeek, "attendance.overview", Admin,
    "This week's attendance in each running cohort, and how many of its students are under its threshold",
    NoRequest => crate::attendance::AttendanceOverview
);
operation!(
    /// `attendance.mine`: the signed-in student's own records.
    MyAttendance, "attendance.mine", Authenticated, "Your attendance in each of your cohorts", NoRequest => Vec<StudentReport>
);
operation!(
    /// `attendance.export_csv`: a report as CSV.
    ExportCsv, "attendance.export_csv", Authenticated, "A cohort's, a session's or a student's attendance as CSV",
    CsvReport => CsvFile
);

use crate::mail::{
    ListOutboxRequest, MailSettings, OutboxDetail, OutboxMessage, OutboxPage, SendTestMailRequest,
};

operation!(
    /// `mail.settings`: how this server sends mail, and how the outbox stands.
    GetMailSettings, "mail.settings", Admin,
    "How this server sends mail (never its password) and how many messages wait or failed", NoRequest => MailSettings
);
operation!(
    /// `mail.outbox`: the messages the hub sent, sends, or gave up on.
    ListOutbox, "mail.outbox", Admin, "The outbox: every message, its state and the mail server's answer",
    ListOutboxRequest => OutboxPage
);
operation!(
    /// `mail.get`: one message whole.
    GetOutboxMessage, "mail.get", Admin, "One message of the outbox, as its recipient reads it", IdRequest => OutboxDetail
);
operation!(
    /// `mail.retry`: a failed or waiting message is tried again now.
    RetryMail, "mail.retry", Admin, "Try a failed or waiting message again now", IdRequest => OutboxMessage
);
operation!(
    /// `mail.send_test`: a test message through the outbox, as every message goes.
    SendTestMail, "mail.send_test", Admin, "Queue a test message (to yourself, or to an address)",
    SendTestMailRequest => OutboxMessage
);

use crate::audit::{ActivityPage, ActivityRequest};

operation!(
    /// `audit.list`: the audit trail, newest first, filtered.
    ListActivity, "audit.list", Admin, "Who changed what and when: the audit trail, filtered",
    ActivityRequest => ActivityPage
);

operation!(
    /// `audit.export_csv`: the entries a filter finds (up to 100,000), as CSV.
    ExportActivity, "audit.export_csv", Admin, "The audit trail, filtered, as CSV",
    ActivityRequest => crate::attendance::CsvFile
);

use crate::import::{ImportReport, ImportRequest};

operation!(
    /// `import.people`: people from a CSV file, all or none; a dry run first.
    ImportPeople, "import.people", Admin,
    "People from CSV (name, email, phone, roles, cohort, profile): a dry run, then all rows or none",
    ImportRequest => ImportReport
);
operation!(
    /// `import.marks`: attendance marks from a CSV file, all or none; a dry run first.
    ImportMarks, "import.marks", Admin,
    "Attendance marks from CSV (date, cohort, student email, status, note): a dry run, then all rows or none",
    ImportRequest => ImportReport
);
