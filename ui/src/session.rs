//! Who is signed in, and which of their views is showing: a reducer in a context, so any
//! component can read it and sign-in, sign-out and the role switcher can change it.

use hub_model::auth::CurrentUser;
use hub_model::connection::ConnectionSettings;
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
    Cohorts,
    /// One cohort's page, reached from the cohorts list.
    Cohort(i64),
    Events,
    Announcements,
    Applications,
    Forms,
    /// Marking attendance, offline first.
    Attendance,
    Calendar,
    Reports,
    Website,
    Inbox,
    MyProfile,
}

impl Page {
    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::Users => "Users",
            Self::Programs => "Programs",
            Self::Cohorts | Self::Cohort(_) => "Cohorts",
            Self::Events => "Events",
            Self::Announcements => "Announcements",
            Self::Applications => "Applications",
            Self::Forms => "Forms",
            Self::Attendance => "Attendance",
            Self::Calendar => "Calendar",
            Self::Reports => "Reports",
            Self::Website => "Website",
            Self::Inbox => "Inbox",
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
                Self::Cohorts,
                Self::Applications,
                Self::Reports,
                Self::Events,
                Self::Announcements,
                Self::Forms,
                Self::Website,
                Self::Inbox,
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
            Self::Cohort(_) => Self::Cohorts,
            other => other,
        }
    }

    /// Whether a view may show this page.
    pub fn allowed_in(self, view: Option<View>) -> bool {
        Self::in_view(view).contains(&self.section())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the shell whether someone is still signed in.
    Checking,
    /// Asking which database to use: on first run, or when the person chose to change it.
    Connect {
        first_run: bool,
        saved: Option<ConnectionSettings>,
    },
    SignedOut,
    SignedIn {
        user: CurrentUser,
        view: Option<View>,
        page: Page,
    },
}

pub enum Action {
    Connect {
        first_run: bool,
        saved: Option<ConnectionSettings>,
    },
    SignedIn(CurrentUser),
    /// The same person, as they are now (a new name, changed roles): the screen stays when
    /// their roles still allow it.
    Refreshed(CurrentUser),
    SignedOut,
    Switch(View),
    Go(Page),
}

impl Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(match action {
            Action::Connect { first_run, saved } => Self::Connect { first_run, saved },
            Action::SignedIn(user) => {
                let view = View::allowed(&user).first().copied();
                Self::SignedIn { user, view, page: Page::Home }
            }
            Action::Refreshed(user) => match &*self {
                Self::SignedIn { view, page, .. } => {
                    let allowed = View::allowed(&user);
                    match view {
                        Some(view) if allowed.contains(view) => {
                            Self::SignedIn { user, view: Some(*view), page: *page }
                        }
                        _ => Self::SignedIn { view: allowed.first().copied(), user, page: Page::Home },
                    }
                }
                _ => return self,
            },
            // Signed out already (two calls can find the session gone at once): no re-render.
            Action::SignedOut if matches!(*self, Self::SignedOut) => return self,
            Action::SignedOut => Self::SignedOut,
            Action::Switch(view) => match &*self {
                Self::SignedIn { user, .. } if View::allowed(user).contains(&view) => {
                    Self::SignedIn { user: user.clone(), view: Some(view), page: Page::Home }
                }
                _ => return self,
            },
            Action::Go(page) => match &*self {
                Self::SignedIn { user, view, .. } if page.allowed_in(*view) => {
                    Self::SignedIn { user: user.clone(), view: *view, page }
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
