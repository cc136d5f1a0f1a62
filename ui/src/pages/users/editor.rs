//! The admin's dialogs for one account: creating it (an invitation, or a first password),
//! and editing it — details, roles, activation, profiles, password, and the devices the
//! person is signed in on.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{
    alert, choice_options, optional, sentence, use_form, Checkbox, Problems, Select, TextField,
};
use crate::components::labels::{invitation_sent, one_time_password, role_badges};
use crate::components::tabs::Tabs;
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::pages::activity::History;
use crate::panels::profile_form::{basics_of, cleaned, BasicsFields};
use hub_model::audit::ActivityRequest;
use hub_model::auth::ResetPasswordRequest;
use hub_model::cms::IdRequest;
use hub_model::devices::{DeviceSession, UserDevicesRequest};
use hub_model::ops;
use hub_model::profiles::{
    ProfileBasics, Profiles, ProfilesRequest, StudentProfile, StudentStatus, UpdateInstructorProfile,
    UpdateManagerProfile, UpdateStudentProfile,
};
use hub_model::users::{
    CreateUserRequest, SetActiveRequest, SetRolesRequest, UpdateUserRequest, UserIdRequest, UserSummary,
};
use yew::prelude::*;

const ACCOUNT_FIELDS: [&str; 4] = ["full_name", "email", "phone", "password"];

/// Who the person is and how they sign in: the details both the new-user and the edit
/// dialogs ask for.
#[derive(Clone, Default, PartialEq)]
struct Details {
    full_name: String,
    email: String,
    phone: String,
}

impl Details {
    /// What is found wrong here before asking the core: a name, and a way to sign in.
    fn missing(&self) -> Problems {
        let mut missing = Problems::default();
        missing.require("full_name", &self.full_name, "Enter their name.");
        if self.email.trim().is_empty() && self.phone.trim().is_empty() {
            missing.add("email", "Enter an email address or a phone number.");
        }
        missing
    }
}

#[derive(Properties, PartialEq)]
struct DetailsFieldsProps {
    value: Details,
    on_change: Callback<Details>,
    problems: Problems,
    #[prop_or_default]
    phone_hint: Option<AttrValue>,
}

#[function_component(DetailsFields)]
fn details_fields(props: &DetailsFieldsProps) -> Html {
    let set = |update: fn(&mut Details, String)| {
        let (value, on_change) = (props.value.clone(), props.on_change.clone());
        Callback::from(move |text: String| {
            let mut next = value.clone();
            update(&mut next, text);
            on_change.emit(next);
        })
    };
    let (value, problems) = (&props.value, &props.problems);
    html! {
        <>
            <TextField id="full_name" label="Full name" required=true value={value.full_name.clone()}
                oninput={set(|details, text| details.full_name = text)} error={problems.field("full_name")} />
            <div class="form-grid">
                <TextField id="email" label="Email" input_type="email" value={value.email.clone()}
                    oninput={set(|details, text| details.email = text)} error={problems.field("email")} />
                <TextField id="phone" label="Phone" input_type="tel" value={value.phone.clone()}
                    oninput={set(|details, text| details.phone = text)} error={problems.field("phone")}
                    hint={props.phone_hint.clone()} />
            </div>
        </>
    }
}

#[derive(Clone, Default, PartialEq)]
struct NewUser {
    details: Details,
    is_admin: bool,
    is_instructor: bool,
    is_student: bool,
    choose_password: bool,
    password: String,
}

#[derive(Properties, PartialEq)]
pub struct CreateUserProps {
    pub on_close: Callback<()>,
    pub on_created: Callback<()>,
}

#[function_component(CreateUser)]
pub fn create_user(props: &CreateUserProps) -> Html {
    let toast = use_toast();
    let form = use_form(NewUser::default);
    let created = use_state(|| None::<(UserSummary, Option<String>)>);

    if let Some((user, invited)) = &*created {
        let footer = html! {
            <button class="button button--primary button--inline" data-testid="created-done"
                onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Done" }</button>
        };
        return html! {
            <Dialog title="User created" on_close={&props.on_close} {footer} testid="user-created">
                <p>{ format!("{} signs in with ", user.full_name) }
                    <strong>{ user.email.clone().or_else(|| user.phone.clone()).unwrap_or_default() }</strong>{ "." }</p>
                { role_badges(user) }
                if user.awaiting_password { { invitation_sent(invited.as_deref()) } }
            </Dialog>
        };
    }

    let submit = {
        let (form, created, on_created, toast) =
            (form.clone(), created.clone(), props.on_created.clone(), toast.clone());
        Callback::from(move |()| {
            let typed = &*form;
            let mut missing = typed.details.missing();
            let no_email = typed.details.email.trim().is_empty();
            if typed.choose_password {
                let message = if no_email {
                    "Enter their first password: without an email address they get no invitation."
                } else {
                    "Enter a password, or let them choose their own."
                };
                missing.require("password", &typed.password, message);
            } else if no_email && missing.field("email").is_none() {
                missing.add(
                    "password",
                    "Enter their first password: without an email address they get no invitation.",
                );
                form.edit(|form| form.choose_password = true);
            }
            if !missing.is_empty() {
                form.refuse(missing);
                return;
            }
            let request = CreateUserRequest {
                email: optional(&typed.details.email),
                phone: optional(&typed.details.phone),
                full_name: typed.details.full_name.trim().to_owned(),
                is_admin: typed.is_admin,
                is_instructor: typed.is_instructor,
                is_student: typed.is_student,
                password: typed.choose_password.then(|| typed.password.clone()),
            };
            let (created, on_created, toast) = (created.clone(), on_created.clone(), toast.clone());
            form.send(
                &ACCOUNT_FIELDS,
                async move { ipc::call::<ops::CreateUser>(&request).await },
                move |answer| {
                    toast.success(format!("{} is created.", answer.user.full_name));
                    on_created.emit(());
                    created.set(Some((answer.user, answer.invitation_sent_to)));
                    None
                },
            );
        })
    };
    let onsubmit = submit.reform(|event: SubmitEvent| event.prevent_default());
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="create-user" disabled={form.saving()}
                onclick={submit.reform(|_: MouseEvent| ())}>
                { if form.saving() { "Creating…" } else { "Create user" } }
            </button>
        </>
    };
    let (typed, problems) = (&*form, form.problems());
    html! {
        <Dialog title="New user" on_close={&props.on_close} {footer} testid="create-user-dialog">
            <form {onsubmit} novalidate=true>
                <DetailsFields value={typed.details.clone()} on_change={form.field(|form, details| form.details = details)}
                    problems={problems.clone()} phone_hint="Email, phone, or both: either signs in." />
                <fieldset class="fieldset">
                    <legend>{ "Roles" }</legend>
                    <Checkbox id="new-is-instructor" label="Instructor" checked={typed.is_instructor}
                        onchange={form.field(|form, value| form.is_instructor = value)} hint="Teaches cohorts, marks attendance." />
                    <Checkbox id="new-is-student" label="Student" checked={typed.is_student}
                        onchange={form.field(|form, value| form.is_student = value)} hint="Enrolled in cohorts." />
                    <Checkbox id="new-is-admin" label="Administrator" checked={typed.is_admin}
                        onchange={form.field(|form, value| form.is_admin = value)} hint="Runs the hub: people, programs, website." />
                </fieldset>
                <Checkbox id="choose-password" label="Set their first password myself" checked={typed.choose_password}
                    onchange={form.field(|form, value| form.choose_password = value)}
                    hint="Otherwise they get an email invitation with a code to choose their own." />
                if typed.choose_password {
                    <TextField id="password" label="First password" input_type="password" value={typed.password.clone()}
                        oninput={form.field(|form, value| form.password = value)} error={problems.field("password")}
                        autocomplete="new-password" hint="At least 10 characters." />
                }
                if let Some(message) = &problems.general {
                    <p class="alert" role="alert">{ message }</p>
                }
                // Enter in any field submits.
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditUserProps {
    pub user: UserSummary,
    pub on_close: Callback<()>,
    /// Something was saved: the list reloads.
    pub on_changed: Callback<()>,
}

#[function_component(EditUser)]
pub fn edit_user(props: &EditUserProps) -> Html {
    let user = use_state(|| props.user.clone());
    let tab = use_state(|| AttrValue::Static("account"));
    let updated = {
        let (user, on_changed) = (user.clone(), props.on_changed.clone());
        Callback::from(move |next: UserSummary| {
            user.set(next);
            on_changed.emit(());
        })
    };
    let on_select = {
        let tab = tab.clone();
        Callback::from(move |key: AttrValue| tab.set(key))
    };
    let tabs = vec![
        (AttrValue::Static("account"), AttrValue::Static("Account")),
        (AttrValue::Static("profile"), AttrValue::Static("Profile")),
        (AttrValue::Static("password"), AttrValue::Static("Password")),
        (AttrValue::Static("devices"), AttrValue::Static("Devices")),
        (AttrValue::Static("history"), AttrValue::Static("History")),
    ];
    let footer = html! {
        <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
    };
    let panel = match tab.as_str() {
        "profile" => html! {
            // Granting a role adds its profile: a new key loads them again.
            <ProfileTab key={format!("{}-{}-{}", user.is_admin, user.is_instructor, user.is_student)}
                user_id={user.id} on_saved={props.on_changed.clone()} />
        },
        "password" => html! { <PasswordTab user={(*user).clone()} /> },
        "devices" => html! { <DevicesTab user={(*user).clone()} /> },
        "history" => html! {
            <History request={ActivityRequest { person_id: Some(user.id), ..ActivityRequest::default() }} />
        },
        _ => html! { <AccountTab user={(*user).clone()} on_updated={updated} /> },
    };
    html! {
        <Dialog title={format!("Edit {}", user.full_name)} on_close={&props.on_close} {footer} wide=true
            testid="edit-user-dialog">
            <Tabs label="Account sections" {tabs} selected={(*tab).clone()} {on_select}>{ panel }</Tabs>
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct AccountTabProps {
    user: UserSummary,
    on_updated: Callback<UserSummary>,
}

#[function_component(AccountTab)]
fn account_tab(props: &AccountTabProps) -> Html {
    let toast = use_toast();
    let details = use_form(|| Details {
        full_name: props.user.full_name.clone(),
        email: props.user.email.clone().unwrap_or_default(),
        phone: props.user.phone.clone().unwrap_or_default(),
    });
    // Roles and activation: each a change of its own, refused in words under them.
    let access = ipc::use_change();
    let confirming = use_state(|| false);

    let save = {
        let (details, toast) = (details.clone(), toast.clone());
        let (id, on_updated) = (props.user.id, props.on_updated.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = &*details;
            let missing = typed.missing();
            if !missing.is_empty() {
                details.refuse(missing);
                return;
            }
            let request = UpdateUserRequest {
                id,
                email: optional(&typed.email),
                phone: optional(&typed.phone),
                full_name: typed.full_name.trim().to_owned(),
            };
            let (toast, on_updated) = (toast.clone(), on_updated.clone());
            details.send(
                &ACCOUNT_FIELDS,
                async move { ipc::call::<ops::UpdateUser>(&request).await },
                move |user| {
                    toast.success("Details saved.");
                    on_updated.emit(user);
                    None
                },
            );
        })
    };
    let role = |which: fn(&mut SetRolesRequest, bool)| {
        let user = props.user.clone();
        let (access, on_updated, toast) = (access.clone(), props.on_updated.clone(), toast.clone());
        Callback::from(move |value: bool| {
            let mut request = SetRolesRequest {
                id: user.id,
                is_admin: user.is_admin,
                is_instructor: user.is_instructor,
                is_student: user.is_student,
            };
            which(&mut request, value);
            let (on_updated, toast) = (on_updated.clone(), toast.clone());
            access.call::<ops::SetRoles>(request, move |user| {
                toast.success("Roles saved.");
                on_updated.emit(user);
            });
        })
    };
    let set_active = {
        let (id, on_updated, toast) = (props.user.id, props.on_updated.clone(), toast.clone());
        let (access, confirming) = (access.clone(), confirming.clone());
        Callback::from(move |is_active: bool| {
            confirming.set(false);
            let (on_updated, toast) = (on_updated.clone(), toast.clone());
            access.call::<ops::SetActive>(SetActiveRequest { id, is_active }, move |user| {
                toast.success(if is_active { "Account reactivated." } else { "Account deactivated." });
                on_updated.emit(user);
            });
        })
    };
    let user = &props.user;
    let (typed, problems) = (&*details, details.problems());
    html! {
        <div class="stack">
            <form novalidate=true aria-label="Details" class="section" onsubmit={save}>
                <h3>{ "Details" }</h3>
                <DetailsFields value={typed.clone()} on_change={details.field(|details, next| *details = next)}
                    problems={problems.clone()} />
                if let Some(message) = &problems.general {
                    <p class="alert" role="alert">{ message }</p>
                }
                <button class="button button--primary button--inline" type="submit" disabled={details.saving()}
                    data-testid="save-details">{ if details.saving() { "Saving…" } else { "Save details" } }</button>
            </form>
            <section class="section" aria-label="Roles and access">
                <h3>{ "Roles" }</h3>
                <Checkbox id="is-instructor" label="Instructor" checked={user.is_instructor} disabled={access.busy()}
                    onchange={role(|request, value| request.is_instructor = value)} />
                <Checkbox id="is-student" label="Student" checked={user.is_student} disabled={access.busy()}
                    onchange={role(|request, value| request.is_student = value)} />
                <Checkbox id="is-admin" label="Administrator" checked={user.is_admin} disabled={access.busy()}
                    onchange={role(|request, value| request.is_admin = value)} />
                <h3>{ "Access" }</h3>
                <div class="access">
                    if user.is_active {
                        <Badge text="Active" tone={BadgeTone::Success} />
                        <span class="muted">{ "Can sign in." }</span>
                        <button class="button button--danger-quiet button--small" data-testid="deactivate"
                            onclick={let confirming = confirming.clone(); Callback::from(move |_| confirming.set(true))}>
                            { "Deactivate…" }
                        </button>
                    } else {
                        <Badge text="Deactivated" tone={BadgeTone::Danger} />
                        <span class="muted">{ "Cannot sign in; their records stay." }</span>
                        <button class="button button--quiet button--small" data-testid="reactivate" disabled={access.busy()}
                            onclick={set_active.reform(|_: MouseEvent| true)}>{ "Reactivate" }</button>
                    }
                </div>
                if let Some(error) = access.problem() { { alert(error) } }
            </section>
            if *confirming {
                <Confirm title="Deactivate this account?" danger=true confirm_label="Deactivate"
                    message={format!("{} will be signed out at their next step and cannot sign in until reactivated. \
                                      Their records are kept.", user.full_name)}
                    on_confirm={set_active.reform(|()| false)}
                    on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(false))} />
            }
        </div>
    }
}

/// What the profile tab holds: the basics every profile shares, and each role's own part.
#[derive(Clone, PartialEq)]
struct ProfileForm {
    basics: ProfileBasics,
    student: Option<StudentFields>,
    /// The student's profile as saved: what their public page shows, and whether their
    /// edits wait for approval.
    approval: Option<StudentProfile>,
    instructor: Option<InstructorFields>,
    manager: Option<ManagerFields>,
}

#[derive(Clone, PartialEq)]
struct StudentFields {
    status: StudentStatus,
    featured: bool,
    /// As typed: a whole number, or empty.
    rank: String,
    slug: String,
}

#[derive(Clone, PartialEq)]
struct InstructorFields {
    expertise: String,
    /// Listed on the website's team page.
    listed: bool,
}

#[derive(Clone, PartialEq)]
struct ManagerFields {
    job_title: String,
    is_public: bool,
    /// As typed: a whole number, or empty for 0.
    order: String,
}

impl ProfileForm {
    fn of(profiles: &Profiles) -> Option<Self> {
        Some(Self {
            basics: basics_of(profiles)?,
            student: profiles.student.as_ref().map(|student| StudentFields {
                status: student.status,
                featured: student.featured,
                rank: student.featured_rank.map(|rank| rank.to_string()).unwrap_or_default(),
                slug: student.public_slug.clone().unwrap_or_default(),
            }),
            approval: profiles.student.clone(),
            instructor: profiles.instructor.as_ref().map(|instructor| InstructorFields {
                expertise: instructor.expertise.clone().unwrap_or_default(),
                listed: instructor.is_public,
            }),
            manager: profiles.manager.as_ref().map(|manager| ManagerFields {
                job_title: manager.job_title.clone().unwrap_or_default(),
                is_public: manager.is_public,
                order: manager.sort_order.to_string(),
            }),
        })
    }
}

const PROFILE_FIELDS: [&str; 10] = [
    "full_name",
    "avatar_url",
    "bio",
    "linkedin_url",
    "github_url",
    "portfolio_url",
    "featured_rank",
    "public_slug",
    "job_title",
    "sort_order",
];

#[derive(Properties, PartialEq)]
struct ProfileTabProps {
    user_id: i64,
    on_saved: Callback<()>,
}

#[function_component(ProfileTab)]
fn profile_tab(props: &ProfileTabProps) -> Html {
    let profiles = ipc::use_call::<ops::GetProfiles>(ProfilesRequest { user_id: props.user_id });
    match &*profiles {
        None => html! { <div class="panel--loading" aria-busy="true">{ "Loading profile…" }</div> },
        Some(Err(error)) => html! { <p class="alert" role="alert">{ sentence(&error.message) }</p> },
        Some(Ok(profiles)) => match ProfileForm::of(profiles) {
            Some(initial) => html! {
                <ProfileEditor user_id={props.user_id} {initial} on_saved={props.on_saved.clone()} />
            },
            None => html! {
                <p class="muted">{ "No profile yet: a profile comes with a role. Give them one under Account." }</p>
            },
        },
    }
}

#[derive(Properties, PartialEq)]
struct ProfileEditorProps {
    user_id: i64,
    initial: ProfileForm,
    on_saved: Callback<()>,
}

/// What saving the profile tab sends: each of the person's profiles, with the same basics.
struct ProfileRequests {
    student: Option<UpdateStudentProfile>,
    instructor: Option<UpdateInstructorProfile>,
    manager: Option<UpdateManagerProfile>,
}

/// The profiles' fields, checked as far as they can be here, as the requests that save them.
fn profile_requests(user_id: i64, typed: &ProfileForm) -> Result<ProfileRequests, Problems> {
    let mut found = Problems::default();
    found.require("full_name", &typed.basics.full_name, "Enter their name.");
    let rank = typed.student.as_ref().map(|student| student.rank.trim()).unwrap_or_default();
    let rank = match rank.parse::<i32>() {
        Ok(rank) => Some(rank),
        Err(_) if rank.is_empty() => None,
        Err(_) => {
            found.add("featured_rank", "Enter a whole number, or leave it empty.");
            None
        }
    };
    let order = typed.manager.as_ref().map(|manager| manager.order.trim()).unwrap_or_default();
    let order = match order.parse::<i32>() {
        Ok(order) => order,
        Err(_) if order.is_empty() => 0,
        Err(_) => {
            found.add("sort_order", "Enter a whole number.");
            0
        }
    };
    if !found.is_empty() {
        return Err(found);
    }
    let basics = cleaned(&typed.basics);
    let student = typed.student.as_ref().map(|student| UpdateStudentProfile {
        user_id,
        basics: basics.clone(),
        status: student.status,
        featured: student.featured,
        featured_rank: rank,
        public_slug: optional(&student.slug),
    });
    let instructor = typed.instructor.as_ref().map(|instructor| UpdateInstructorProfile {
        user_id,
        basics: basics.clone(),
        expertise: optional(&instructor.expertise),
        is_public: instructor.listed,
    });
    let manager = typed.manager.as_ref().map(|manager| UpdateManagerProfile {
        user_id,
        basics: basics.clone(),
        job_title: optional(&manager.job_title),
        is_public: manager.is_public,
        sort_order: order,
    });
    Ok(ProfileRequests { student, instructor, manager })
}

#[function_component(ProfileEditor)]
fn profile_editor(props: &ProfileEditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| props.initial.clone());
    let onsubmit = {
        let (form, toast, on_saved, user_id) =
            (form.clone(), toast.clone(), props.on_saved.clone(), props.user_id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let ProfileRequests { student, instructor, manager } = match profile_requests(user_id, &form) {
                Ok(requests) => requests,
                Err(problems) => return form.refuse(problems),
            };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            // One refusal stops the rest.
            let work = async move {
                if let Some(request) = student {
                    ipc::call::<ops::UpdateStudent>(&request).await?;
                }
                if let Some(request) = instructor {
                    ipc::call::<ops::UpdateInstructor>(&request).await?;
                }
                if let Some(request) = manager {
                    ipc::call::<ops::UpdateManager>(&request).await?;
                }
                Ok(())
            };
            form.send(&PROFILE_FIELDS, work, move |()| {
                toast.success("Profile saved.");
                on_saved.emit(());
                None
            });
        })
    };
    let (typed, problems) = (&*form, form.problems());
    let on_basics = form.field(|form, basics| form.basics = basics);
    let on_approved = {
        let form = form.clone();
        Callback::from(move |approved: StudentProfile| form.edit(move |form| form.approval = Some(approved)))
    };
    html! {
        <form class="stack" {onsubmit} novalidate=true aria-label="Profile" data-testid="profile-editor">
            <section class="section">
                <h3>{ "Shown everywhere" }</h3>
                <BasicsFields value={typed.basics.clone()} on_change={on_basics} problems={problems.clone()} />
            </section>
            if let Some(student) = &typed.student {
                <section class="section">
                    <h3>{ "Student" }</h3>
                    <div class="form-grid">
                        <Select id="student-status" label="Status" options={choice_options::<StudentStatus>()} value={student.status.as_str()}
                            onchange={form.field(|form, value: String| if let Some(student) = &mut form.student {
                                student.status = StudentStatus::parse(&value).unwrap_or(StudentStatus::Active);
                            })} />
                        <TextField id="public_slug" label="Public address" value={student.slug.clone()}
                            oninput={form.field(|form, value| if let Some(student) = &mut form.student { student.slug = value; })}
                            error={problems.field("public_slug")} placeholder="jane-doe"
                            hint="Lowercase letters, digits and dashes; their page on the website." />
                    </div>
                    <div class="form-grid">
                        <Checkbox id="featured" label="Featured on the website" checked={student.featured}
                            onchange={form.field(|form, value| if let Some(student) = &mut form.student { student.featured = value; })} />
                        <TextField id="featured_rank" label="Featured order" value={student.rank.clone()} input_type="number"
                            oninput={form.field(|form, value| if let Some(student) = &mut form.student { student.rank = value; })}
                            error={problems.field("featured_rank")} hint="1 comes first." />
                    </div>
                    if let Some(student) = &typed.approval {
                        <ApproveText student={student.clone()} {on_approved} />
                    }
                </section>
            }
            if let Some(instructor) = &typed.instructor {
                <section class="section">
                    <h3>{ "Instructor" }</h3>
                    <TextField id="expertise" label="Expertise" value={instructor.expertise.clone()}
                        oninput={form.field(|form, value| if let Some(instructor) = &mut form.instructor { instructor.expertise = value; })}
                        placeholder="Rust, PostgreSQL, web APIs" />
                    <Checkbox id="listed" label="Listed on the website's team page" checked={instructor.listed}
                        onchange={form.field(|form, value| if let Some(instructor) = &mut form.instructor { instructor.listed = value; })}
                        hint="Their own choice, in My profile; change it only with their agreement." />
                </section>
            }
            if let Some(manager) = &typed.manager {
                <section class="section">
                    <h3>{ "Staff" }</h3>
                    <div class="form-grid">
                        <TextField id="job_title" label="Job title" value={manager.job_title.clone()}
                            oninput={form.field(|form, value| if let Some(manager) = &mut form.manager { manager.job_title = value; })}
                            error={problems.field("job_title")} />
                        <TextField id="sort_order" label="Order on the team page" value={manager.order.clone()} input_type="number"
                            oninput={form.field(|form, value| if let Some(manager) = &mut form.manager { manager.order = value; })}
                            error={problems.field("sort_order")} />
                    </div>
                    <Checkbox id="is_public" label="Shown on the website's team page" checked={manager.is_public}
                        onchange={form.field(|form, value| if let Some(manager) = &mut form.manager { manager.is_public = value; })} />
                </section>
            }
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={form.saving()}
                    data-testid="save-profile">{ if form.saving() { "Saving…" } else { "Save profile" } }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct PasswordTabProps {
    user: UserSummary,
}

#[function_component(PasswordTab)]
fn password_tab(props: &PasswordTabProps) -> Html {
    let toast = use_toast();
    let chosen = use_form(String::new);
    let generated = use_state(|| None::<String>);
    let confirming = use_state(|| false);
    let invite = use_form(|| ());

    let reset = {
        let (chosen, generated, toast, id) =
            (chosen.clone(), generated.clone(), toast.clone(), props.user.id);
        Callback::from(move |new_password: Option<String>| {
            let (generated, toast) = (generated.clone(), toast.clone());
            let request = ResetPasswordRequest { id, new_password };
            let work = async move { ipc::call::<ops::ResetPassword>(&request).await };
            chosen.send(&["new_password"], work, move |answer| {
                toast.success("Password reset.");
                generated.set(answer.generated_password);
                Some(String::new())
            });
        })
    };
    let set_chosen = {
        let (chosen, reset) = (chosen.clone(), reset.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut missing = Problems::default();
            missing.require("new_password", &chosen, "Enter the new password.");
            if !missing.is_empty() {
                return chosen.refuse(missing);
            }
            reset.emit(Some((*chosen).clone()));
        })
    };
    let generate = {
        let (confirming, reset) = (confirming.clone(), reset.clone());
        Callback::from(move |()| {
            confirming.set(false);
            reset.emit(None);
        })
    };
    let invite_click = {
        let (invite, toast, id) = (invite.clone(), toast.clone(), props.user.id);
        Callback::from(move |_: MouseEvent| {
            let toast = toast.clone();
            invite.call::<ops::InviteUser>(UserIdRequest { id }, &[], move |answer| {
                toast.success(format!("A code is on its way to {}.", answer.email));
            });
        })
    };
    html! {
        <div class="stack">
            if props.user.email.is_some() {
                <section class="section" data-testid="send-code-section">
                    <h3>{ "Email them a code" }</h3>
                    <p class="muted">{ if props.user.awaiting_password {
                        "They have not chosen a password yet. A new invitation brings a code to choose one; it works for 14 days."
                    } else {
                        "They choose a new password themselves with a code from their email; their current one works until they do."
                    } }</p>
                    if let Some(message) = &invite.problems().general {
                        <p class="alert" role="alert">{ message }</p>
                    }
                    <button class="button button--primary button--inline" data-testid="invite-user" disabled={invite.saving()}
                        onclick={invite_click}>
                        { if props.user.awaiting_password { "Send a new invitation" } else { "Email a password code" } }
                    </button>
                </section>
            }
            <section class="section">
                <h3>{ "Generate a one-time password" }</h3>
                <p class="muted">{ "Their current password stops working and they are signed out on every device. Give them the new one privately." }</p>
                if let Some(password) = &*generated { { one_time_password(password) } }
                <button class="button button--primary button--inline" data-testid="generate-password" disabled={chosen.saving()}
                    onclick={let confirming = confirming.clone(); Callback::from(move |_| confirming.set(true))}>
                    { "Generate…" }
                </button>
            </section>
            <form class="section" onsubmit={set_chosen} novalidate=true aria-label="Set a password">
                <h3>{ "Or set one" }</h3>
                <TextField id="new_password" label="New password" input_type="password" value={(*chosen).clone()}
                    oninput={chosen.field(|chosen, value| *chosen = value)}
                    error={chosen.problems().field("new_password")} autocomplete="new-password" hint="At least 10 characters." />
                if let Some(message) = &chosen.problems().general {
                    <p class="alert" role="alert">{ message }</p>
                }
                <button class="button button--quiet" type="submit" disabled={chosen.saving()}>{ "Set password" }</button>
            </form>
            if *confirming {
                <Confirm title="Reset the password?" confirm_label="Generate" busy={chosen.saving()}
                    message={format!("{}'s current password stops working at once, and every device they are signed in on is signed out.", props.user.full_name)}
                    on_confirm={generate}
                    on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(false))} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DevicesTabProps {
    user: UserSummary,
}

/// What the devices tab is doing: loading, showing, or asking before signing out.
#[derive(Clone, PartialEq)]
enum Confirming {
    Nothing,
    One(DeviceSession),
    Everywhere,
}

/// Where the person is signed in, with a way to sign out one device or all of them.
#[function_component(DevicesTab)]
fn devices_tab(props: &DevicesTabProps) -> Html {
    let toast = use_toast();
    let user_id = props.user.id;
    let devices = ipc::use_call::<ops::ListDevices>(UserDevicesRequest { user_id });
    let confirming = use_state(|| Confirming::Nothing);
    // Signing out, one device or all; a refusal is said in the dialog that asked.
    let revoking = ipc::use_change();
    let reload = devices.reload();
    let revoke = {
        let (confirming, revoking, toast, reload) =
            (confirming.clone(), revoking.clone(), toast.clone(), reload.clone());
        Callback::from(move |()| {
            let target = (*confirming).clone();
            if target == Confirming::Nothing {
                return;
            }
            let asked = target.clone();
            let work = async move {
                match asked {
                    Confirming::One(device) => {
                        ipc::call::<ops::RevokeDevice>(&IdRequest { id: device.id }).await
                    }
                    _ => ipc::call::<ops::RevokeAllDevices>(&UserDevicesRequest { user_id }).await,
                }
            };
            let (confirming, toast, reload) = (confirming.clone(), toast.clone(), reload.clone());
            revoking.run(work, move |done| {
                toast.success(match (&target, done.revoked) {
                    (Confirming::One(device), _) => format!("{} is signed out.", device.device),
                    (_, 0) => "No device was signed in.".to_owned(),
                    (_, 1) => "Signed out on 1 device.".to_owned(),
                    (_, n) => format!("Signed out on {n} devices."),
                });
                confirming.set(Confirming::Nothing);
                reload.emit(());
            });
        })
    };
    let ask = |what: Confirming| {
        let (confirming, revoking) = (confirming.clone(), revoking.clone());
        Callback::from(move |_: MouseEvent| {
            revoking.clear();
            confirming.set(what.clone());
        })
    };
    let busy = revoking.busy();
    let failure = revoking.problem().map(|error| AttrValue::from(sentence(&error.message)));
    let list = match &*devices {
        None => html! { <p class="muted" aria-busy="true">{ "Loading the devices…" }</p> },
        Some(Err(error)) => html! {
            <p class="alert" role="alert">
                { sentence(&error.message) }{ " " }
                <button class="link-button" onclick={reload.reform(|_: MouseEvent| ())}>{ "Try again" }</button>
            </p>
        },
        Some(Ok(list)) if list.is_empty() => html! {
            <p class="muted" data-testid="no-devices">
                { format!("{} is not signed in anywhere. Devices appear here when they sign in.", props.user.full_name) }
            </p>
        },
        Some(Ok(list)) => html! {
            <div class="table-frame">
                <table class="table" aria-label="Signed-in devices" data-testid="user-devices">
                    <thead><tr>
                        <th scope="col">{ "Device" }</th><th scope="col">{ "Last used" }</th>
                        <th scope="col">{ "Session ends" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                    </tr></thead>
                    <tbody>
                        { for list.iter().map(|device| html! {
                            <tr key={device.id}>
                                <td class="table__strong">
                                    { &device.device }
                                    if device.current { { " " }<Badge tone={BadgeTone::Primary} text="This app" /> }
                                    <div class="table__small">{ format!("signed in {}", when::date_time(device.signed_in_at)) }</div>
                                </td>
                                <td>
                                    { when::date_time(device.last_seen_at) }
                                    <div class="table__small">{ device.last_address.as_deref().map_or_else(String::new, |address| format!("from {address}")) }</div>
                                </td>
                                <td class="muted">{ when::date_time(device.ends_at) }</td>
                                <td class="table__end">
                                    <button class="button button--quiet button--small" disabled={busy}
                                        data-testid="revoke-device" onclick={ask(Confirming::One(device.clone()))}>
                                        { "Sign out" }
                                    </button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    let any = matches!(&*devices, Some(Ok(list)) if !list.is_empty());
    html! {
        <div class="stack">
            <section class="section">
                <h3>{ "Signed-in devices" }</h3>
                <p class="muted">{ "Each computer where this person signed in to the app. Signing one out ends its session at once: whoever uses it must sign in again." }</p>
                { list }
                if any {
                    <button class="button button--danger button--inline" disabled={busy} data-testid="revoke-all-devices"
                        onclick={ask(Confirming::Everywhere)}>{ "Sign out everywhere…" }</button>
                }
            </section>
            { match &*confirming {
                Confirming::Nothing => html! {},
                Confirming::One(device) => html! {
                    <Confirm title="Sign this device out?" confirm_label="Sign out" danger=true {busy} error={failure.clone()}
                        message={format!("{} on {} must sign in again to use the app there.", props.user.full_name, device.device)}
                        on_confirm={revoke.clone()}
                        on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(Confirming::Nothing))} />
                },
                Confirming::Everywhere => html! {
                    <Confirm title="Sign out everywhere?" confirm_label="Sign out everywhere" danger=true {busy} error={failure.clone()}
                        message={format!("{} is signed out on every device at once, this one included if it is theirs.", props.user.full_name)}
                        on_confirm={revoke.clone()}
                        on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(Confirming::Nothing))} />
                },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ApproveTextProps {
    student: StudentProfile,
    on_approved: Callback<StudentProfile>,
}

/// What a student's public page shows — the text an administrator approved — beside what
/// they wrote since, and the button that approves it.
#[function_component(ApproveText)]
fn approve_text(props: &ApproveTextProps) -> Html {
    let toast = use_toast();
    let approving = ipc::use_change();
    let student = &props.student;
    let approve = {
        let (approving, toast, on_approved, user_id) =
            (approving.clone(), toast.clone(), props.on_approved.clone(), student.user_id);
        Callback::from(move |_: MouseEvent| {
            let (toast, on_approved) = (toast.clone(), on_approved.clone());
            approving.call::<ops::ApproveStudentText>(ProfilesRequest { user_id }, move |profiles| {
                toast.success("Their public page now shows their profile as saved.");
                if let Some(student) = profiles.student {
                    on_approved.emit(student);
                }
            });
        })
    };
    let said = match &student.approved {
        None => "Not approved yet: their public page is not on the website.".to_owned(),
        Some(approved) if student.awaits_approval() => format!(
            "Their public page shows the text approved on {}; they changed their profile since.",
            crate::components::when::day(approved.approved_at.date_naive())
        ),
        Some(approved) => format!(
            "Their public page shows their profile as approved on {}{}.",
            crate::components::when::day(approved.approved_at.date_naive()),
            approved.approved_by.as_ref().map(|by| format!(" by {by}")).unwrap_or_default()
        ),
    };
    html! {
        <div class="approval" data-testid="public-text">
            <p class={classes!((!student.awaits_approval()).then_some("muted"))}>{ said }</p>
            if student.awaits_approval() {
                if let Some(approved) = &student.approved {
                    if approved.basics.bio != student.basics.bio {
                        <p class="muted message__body">{ format!("Approved bio: {}", approved.basics.bio.clone().unwrap_or_default()) }</p>
                    }
                }
                <button type="button" class="button button--quiet" onclick={approve} disabled={approving.busy()}
                    data-testid="approve-public-text">{ "Approve their saved profile for the website" }</button>
            }
            if let Some(error) = approving.problem() { { alert(error) } }
        </div>
    }
}
