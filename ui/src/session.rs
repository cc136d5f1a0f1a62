//! Who is signed in, and which of their views is showing: a reducer in a context, so any
//! component can read it and sign-in, sign-out and the role switcher can change it.

use hub_model::auth::CurrentUser;
use hub_model::desktop::SignedInUser;
use std::rc::Rc;
use yew::prelude::*;

/// A view of the app; a person sees the views their roles allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Admin,
    Instructor,
    Student,
}

impl View {
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administration",
            Self::Instructor => "Teaching",
            Self::Student => "Learning",
        }
    }

    /// The views a user's roles allow, most powerful first.
    pub fn allowed(user: &CurrentUser) -> Vec<Self> {
        [
            (user.is_admin, Self::Admin),
            (user.is_instructor, Self::Instructor),
            (user.is_student, Self::Student),
        ]
        .into_iter()
        .filter_map(|(has, view)| has.then_some(view))
        .collect()
    }
}

/// A screen of the signed-in app, reached from the sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Users,
    Programs,
    /// Every cohort, or one program's (reached from the Programs screen).
    Cohorts {
        program: Option<i64>,
    },
    /// One cohort's page, reached from the cohorts list.
    Cohort(i64),
    Events,
    Announcements,
    Applications,
    Forms,
    /// Marking attendance, offline first.
    Attendance,
    /// A session's self check-in: its code and who has checked in.
    Checkin(i64),
    Calendar,
    Reports,
    Website,
    Inbox,
    Mail,
    /// The audit trail.
    Activity,
    MyProfile,
}

impl Page {
    /// Every cohort: the sidebar's entry.
    pub const COHORTS: Self = Self::Cohorts { program: None };

    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::Users => "Users",
            Self::Programs => "Programs",
            Self::Cohorts { .. } | Self::Cohort(_) => "Cohorts",
            Self::Events => "Events",
            Self::Announcements => "Announcements",
            Self::Applications => "Applications",
            Self::Forms => "Forms",
            Self::Attendance | Self::Checkin(_) => "Attendance",
            Self::Calendar => "Calendar",
            Self::Reports => "Reports",
            Self::Website => "Website",
            Self::Inbox => "Inbox",
            Self::Mail => "Mail",
            Self::Activity => "Activity",
            Self::MyProfile => "My profile",
        }
    }

    /// The sidebar of a view (`None`: a person with no role yet).
    pub fn in_view(view: Option<View>) -> &'static [Self] {
        match view {
            Some(View::Admin) => &[
                Self::Home,
                Self::Users,
                Self::Calendar,
                Self::Programs,
                Self::COHORTS,
                Self::Applications,
                Self::Reports,
                Self::Events,
                Self::Announcements,
                Self::Forms,
                Self::Website,
                Self::Inbox,
                Self::Mail,
                Self::Activity,
                Self::MyProfile,
            ],
            Some(View::Instructor) => {
                &[Self::Home, Self::Calendar, Self::Attendance, Self::Reports, Self::MyProfile]
            }
            Some(View::Student) => &[Self::Home, Self::Calendar, Self::MyProfile],
            None => &[Self::Home, Self::MyProfile],
        }
    }

    /// The sidebar entry this page sits under (a cohort's page under Cohorts).
    pub fn section(self) -> Self {
        match self {
            Self::Cohort(_) | Self::Cohorts { .. } => Self::COHORTS,
            Self::Checkin(_) => Self::Attendance,
            other => other,
        }
    }

    /// Whether a view may show this page.
    pub fn allowed_in(self, view: Option<View>) -> bool {
        match self {
            // Administrators open it from the calendar; their sidebar has no Attendance.
            Self::Checkin(_) => matches!(view, Some(View::Admin | View::Instructor)),
            _ => Self::in_view(view).contains(&self.section()),
        }
    }

    /// The sidebar of someone signed in on this computer only: offline attendance.
    pub const OFFLINE: &'static [Self] = &[Self::Attendance];
}

/// Where a person was when their session ended: they return there after signing in again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    pub user_id: i64,
    pub view: Option<View>,
    pub page: Page,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the shell whether someone is still signed in.
    Checking,
    /// Asking which hub to use: on first run, or when the person chose to change it.
    Connect { first_run: bool },
    SignedOut {
        /// The screen a session that ended was showing: the same person signing in again
        /// goes back to it.
        resume: Option<Resume>,
        /// Why the last session ended, when it was not the person's own sign-out.
        ended: bool,
    },
    SignedIn {
        user: CurrentUser,
        view: Option<View>,
        page: Page,
        /// Signed in on this computer only: offline attendance, until an online sign-in.
        offline: bool,
    },
}

pub enum Action {
    Connect {
        first_run: bool,
    },
    SignedIn(SignedInUser),
    /// The same person, as they are now (a new name, changed roles): the screen stays when
    /// their roles still allow it.
    Refreshed(CurrentUser),
    /// The person signed out.
    SignedOut,
    /// The hub ended the session (signed out elsewhere, expired, a password reset): back to
    /// sign-in, remembering the screen.
    SessionEnded,
    Switch(View),
    Go(Page),
}

impl Session {
    /// The first screen after a sign-in: where a session that ended was, for the same
    /// person online; else their first view's home (offline: attendance).
    fn signed_in(signed_in: SignedInUser, resume: Option<Resume>) -> Self {
        let SignedInUser { user, offline } = signed_in;
        let allowed = View::allowed(&user);
        if offline {
            let view =
                allowed.iter().copied().find(|view| *view == View::Instructor).or(allowed.first().copied());
            return Self::SignedIn { user, view, page: Page::Attendance, offline };
        }
        match resume {
            Some(resume)
                if resume.user_id == user.id
                    && resume.view.is_none_or(|view| allowed.contains(&view))
                    && resume.page.allowed_in(resume.view) =>
            {
                Self::SignedIn { user, view: resume.view, page: resume.page, offline }
            }
            _ => Self::SignedIn { view: allowed.first().copied(), user, page: Page::Home, offline },
        }
    }
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(match action {
            Action::Connect { first_run } => Self::Connect { first_run },
            Action::SignedIn(signed_in) => {
                let resume = match &*self {
                    Self::SignedOut { resume, .. } => *resume,
                    // Signing in online after an offline sign-in keeps the screen.
                    Self::SignedIn { user, view, page, offline: true } => {
                        Some(Resume { user_id: user.id, view: *view, page: *page })
                    }
                    _ => None,
                };
                Self::signed_in(signed_in, resume)
            }
            Action::Refreshed(user) => match &*self {
                Self::SignedIn { view, page, offline, .. } => {
                    let allowed = View::allowed(&user);
                    match view {
                        Some(view) if allowed.contains(view) => {
                            Self::SignedIn { user, view: Some(*view), page: *page, offline: *offline }
                        }
                        _ => Self::SignedIn {
                            view: allowed.first().copied(),
                            user,
                            page: Page::Home,
                            offline: *offline,
                        },
                    }
                }
                _ => return self,
            },
            // Signed out already (two calls can find the session gone at once): no re-render.
            Action::SignedOut | Action::SessionEnded if matches!(*self, Self::SignedOut { .. }) => {
                return self
            }
            Action::SignedOut => Self::SignedOut { resume: None, ended: false },
            Action::SessionEnded => match &*self {
                // Offline, nothing was sent with a session: nothing can have ended.
                Self::SignedIn { offline: true, .. } => return self,
                Self::SignedIn { user, view, page, .. } => Self::SignedOut {
                    resume: Some(Resume { user_id: user.id, view: *view, page: *page }),
                    ended: true,
                },
                _ => Self::SignedOut { resume: None, ended: true },
            },
            Action::Switch(view) => match &*self {
                Self::SignedIn { user, offline: false, .. } if View::allowed(user).contains(&view) => {
                    Self::SignedIn { user: user.clone(), view: Some(view), page: Page::Home, offline: false }
                }
                _ => return self,
            },
            Action::Go(page) => match &*self {
                Self::SignedIn { user, view, offline, .. }
                    if page.allowed_in(*view) && (!offline || Page::OFFLINE.contains(&page.section())) =>
                {
                    Self::SignedIn { user: user.clone(), view: *view, page, offline: *offline }
                }
                _ => return self,
            },
        })
    }
}

pub type SessionContext = UseReducerHandle<Session>;

#[hook]
pub fn use_session() -> SessionContext {
    use_context::<SessionContext>().expect("the App provides the session")
}
