//! The admin's dialogs for one account: creating it (showing a generated password once),
//! and editing it — details, roles, activation, profiles, password, and the devices the
//! person is signed in on.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{edit, focus_id, optional, sentence, Checkbox, Problems, Select, TextField};
use crate::components::tabs::Tabs;
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use crate::pages::profile_form::{basics_of, cleaned, BasicsFields};
use hub_model::auth::ResetPasswordRequest;
use hub_model::cms::IdRequest;
use hub_model::devices::{DeviceSession, UserDevicesRequest};
use hub_model::ops;
use hub_model::profiles::{
    ProfileBasics, Profiles, ProfilesRequest, StudentProfile, StudentStatus, UpdateInstructorProfile,
    UpdateManagerProfile, UpdateStudentProfile,
};
use hub_model::users::{
    CreateUserRequest, SetActiveRequest, SetRolesRequest, UpdateUserRequest, UserSummary,
};
use yew::platform::spawn_local;
use yew::prelude::*;

const ACCOUNT_FIELDS: [&str; 4] = ["full_name", "email", "phone", "password"];

/// The generated password, shown once with the advice to pass it on privately.
pub fn one_time_password(password: &str) -> Html {
    html! {
        <div class="secret">
            <p>{ "One-time password — give it to them privately; they change it after signing in:" }</p>
            <code class="secret__value" data-testid="one-time-password">{ password }</code>
            <p class="muted">{ "It is not shown again." }</p>
        </div>
    }
}

#[derive(Clone, Default, PartialEq)]
struct NewUser {
    full_name: String,
    email: String,
    phone: String,
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
    let form = use_state(NewUser::default);
    let problems = use_state(Problems::default);
    let saving = use_state(|| false);
    let created = use_state(|| None::<(UserSummary, Option<String>)>);

    if let Some((user, password)) = &*created {
        let footer = html! {
            <button class="button button--primary button--inline" data-testid="created-done"
                onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Done" }</button>
        };
        return html! {
            <Dialog title="User created" on_close={&props.on_close} {footer} testid="user-created">
                <p>{ format!("{} can now sign in with ", user.full_name) }
                    <strong>{ user.email.clone().or_else(|| user.phone.clone()).unwrap_or_default() }</strong>{ "." }</p>
                { crate::pages::users::role_badges(user) }
                if let Some(password) = password { { one_time_password(password) } }
            </Dialog>
        };
    }

    let text = |update: fn(&mut NewUser, String)| edit(&form, update);
    let flag = |update: fn(&mut NewUser, bool)| edit(&form, update);
    let submit = {
        let (form, problems, saving, created) =
            (form.clone(), problems.clone(), saving.clone(), created.clone());
        let (on_created, toast) = (props.on_created.clone(), toast.clone());
        Callback::from(move |()| {
            if *saving {
                return;
            }
            let mut missing = Problems::default();
            missing.require("full_name", &form.full_name, "Enter their name.");
            if form.email.trim().is_empty() && form.phone.trim().is_empty() {
                missing.add("email", "Enter an email address or a phone number.");
            }
            if form.choose_password {
                missing.require("password", &form.password, "Enter a password, or let one be generated.");
            }
            if let Some(field) = missing.first_field() {
                focus_id(field);
                problems.set(missing);
                return;
            }
            let request = CreateUserRequest {
                email: optional(&form.email),
                phone: optional(&form.phone),
                full_name: form.full_name.trim().to_owned(),
                is_admin: form.is_admin,
                is_instructor: form.is_instructor,
                is_student: form.is_student,
                password: form.choose_password.then(|| form.password.clone()),
            };
            saving.set(true);
            let (problems, saving, created, on_created, toast) =
                (problems.clone(), saving.clone(), created.clone(), on_created.clone(), toast.clone());
            spawn_local(async move {
                match ipc::call::<ops::CreateUser>(&request).await {
                    Ok(answer) => {
                        toast.success(format!("{} is created.", answer.user.full_name));
                        on_created.emit(());
                        created.set(Some((answer.user, answer.generated_password)));
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &ACCOUNT_FIELDS);
                    }
                }
                saving.set(false);
            });
        })
    };
    let onsubmit = submit.reform(|event: SubmitEvent| event.prevent_default());
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="create-user" disabled={*saving}
                onclick={submit.reform(|_: MouseEvent| ())}>
                { if *saving { "Creating…" } else { "Create user" } }
            </button>
        </>
    };
    html! {
        <Dialog title="New user" on_close={&props.on_close} {footer} testid="create-user-dialog">
            <form {onsubmit} novalidate=true>
                <TextField id="full_name" label="Full name" required=true value={form.full_name.clone()}
                    oninput={text(|form, value| form.full_name = value)} error={problems.field("full_name")} />
                <div class="form-grid">
                    <TextField id="email" label="Email" input_type="email" value={form.email.clone()}
                        oninput={text(|form, value| form.email = value)} error={problems.field("email")} />
                    <TextField id="phone" label="Phone" input_type="tel" value={form.phone.clone()}
                        oninput={text(|form, value| form.phone = value)} error={problems.field("phone")}
                        hint="Email, phone, or both: either signs in." />
                </div>
                <fieldset class="fieldset">
                    <legend>{ "Roles" }</legend>
                    <Checkbox id="new-is-instructor" label="Instructor" checked={form.is_instructor}
                        onchange={flag(|form, value| form.is_instructor = value)} hint="Teaches cohorts, marks attendance." />
                    <Checkbox id="new-is-student" label="Student" checked={form.is_student}
                        onchange={flag(|form, value| form.is_student = value)} hint="Enrolled in cohorts." />
                    <Checkbox id="new-is-admin" label="Administrator" checked={form.is_admin}
                        onchange={flag(|form, value| form.is_admin = value)} hint="Runs the hub: people, programs, website." />
                </fieldset>
                <Checkbox id="choose-password" label="Set their first password myself" checked={form.choose_password}
                    onchange={flag(|form, value| form.choose_password = value)}
                    hint="Otherwise a one-time password is generated and shown once." />
                if form.choose_password {
                    <TextField id="password" label="First password" input_type="password" value={form.password.clone()}
                        oninput={text(|form, value| form.password = value)} error={problems.field("password")}
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
    let details = use_state(|| {
        (
            props.user.full_name.clone(),
            props.user.email.clone().unwrap_or_default(),
            props.user.phone.clone().unwrap_or_default(),
        )
    });
    let problems = use_state(Problems::default);
    let roles_problem = use_state(|| None::<String>);
    let saving = use_state(|| false);
    let confirming = use_state(|| false);

    let text = |update: fn(&mut (String, String, String), String)| edit(&details, update);
    let save = {
        let (details, problems, saving, toast) =
            (details.clone(), problems.clone(), saving.clone(), toast.clone());
        let (id, on_updated) = (props.user.id, props.on_updated.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (name, email, phone) = (*details).clone();
            let mut missing = Problems::default();
            missing.require("full_name", &name, "Enter their name.");
            if email.trim().is_empty() && phone.trim().is_empty() {
                missing.add("email", "Enter an email address or a phone number.");
            }
            if let Some(field) = missing.first_field() {
                focus_id(field);
                problems.set(missing);
                return;
            }
            let request = UpdateUserRequest {
                id,
                email: optional(&email),
                phone: optional(&phone),
                full_name: name.trim().to_owned(),
            };
            saving.set(true);
            let (problems, saving, toast, on_updated) =
                (problems.clone(), saving.clone(), toast.clone(), on_updated.clone());
            spawn_local(async move {
                match ipc::call::<ops::UpdateUser>(&request).await {
                    Ok(user) => {
                        problems.set(Problems::default());
                        toast.success("Details saved.");
                        on_updated.emit(user);
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &ACCOUNT_FIELDS);
                    }
                }
                saving.set(false);
            });
        })
    };
    let role = |which: fn(&mut SetRolesRequest, bool)| {
        let user = props.user.clone();
        let (roles_problem, on_updated, toast) =
            (roles_problem.clone(), props.on_updated.clone(), toast.clone());
        Callback::from(move |value: bool| {
            let mut request = SetRolesRequest {
                id: user.id,
                is_admin: user.is_admin,
                is_instructor: user.is_instructor,
                is_student: user.is_student,
            };
            which(&mut request, value);
            let (roles_problem, on_updated, toast) =
                (roles_problem.clone(), on_updated.clone(), toast.clone());
            spawn_local(async move {
                match ipc::call::<ops::SetRoles>(&request).await {
                    Ok(user) => {
                        roles_problem.set(None);
                        toast.success("Roles saved.");
                        on_updated.emit(user);
                    }
                    Err(error) => roles_problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let set_active = {
        let (id, on_updated, toast) = (props.user.id, props.on_updated.clone(), toast.clone());
        let (roles_problem, confirming) = (roles_problem.clone(), confirming.clone());
        Callback::from(move |is_active: bool| {
            let (on_updated, toast, roles_problem, confirming) =
                (on_updated.clone(), toast.clone(), roles_problem.clone(), confirming.clone());
            spawn_local(async move {
                match ipc::call::<ops::SetActive>(&SetActiveRequest { id, is_active }).await {
                    Ok(user) => {
                        roles_problem.set(None);
                        toast.success(if is_active {
                            "Account reactivated."
                        } else {
                            "Account deactivated."
                        });
                        on_updated.emit(user);
                    }
                    Err(error) => roles_problem.set(Some(sentence(&error.message))),
                }
                confirming.set(false);
            });
        })
    };
    let user = &props.user;
    let (name, email, phone) = (*details).clone();
    html! {
        <div class="stack">
            <form novalidate=true aria-label="Details" class="section" onsubmit={save}>
                <h3>{ "Details" }</h3>
                <TextField id="full_name" label="Full name" required=true value={name}
                    oninput={text(|details, value| details.0 = value)} error={problems.field("full_name")} />
                <div class="form-grid">
                    <TextField id="email" label="Email" input_type="email" value={email}
                        oninput={text(|details, value| details.1 = value)} error={problems.field("email")} />
                    <TextField id="phone" label="Phone" input_type="tel" value={phone}
                        oninput={text(|details, value| details.2 = value)} error={problems.field("phone")} />
                </div>
                if let Some(message) = &problems.general {
                    <p class="alert" role="alert">{ message }</p>
                }
                <button class="button button--primary button--inline" type="submit" disabled={*saving}
                    data-testid="save-details">{ if *saving { "Saving…" } else { "Save details" } }</button>
            </form>
            <section class="section" aria-label="Roles and access">
                <h3>{ "Roles" }</h3>
                <Checkbox id="is-instructor" label="Instructor" checked={user.is_instructor}
                    onchange={role(|request, value| request.is_instructor = value)} />
                <Checkbox id="is-student" label="Student" checked={user.is_student}
                    onchange={role(|request, value| request.is_student = value)} />
                <Checkbox id="is-admin" label="Administrator" checked={user.is_admin}
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
                        <button class="button button--quiet button--small" data-testid="reactivate"
                            onclick={set_active.reform(|_: MouseEvent| true)}>{ "Reactivate" }</button>
                    }
                </div>
                if let Some(message) = &*roles_problem {
                    <p class="alert" role="alert">{ message }</p>
                }
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

#[derive(Clone, PartialEq)]
struct ProfileForm {
    basics: ProfileBasics,
    student: Option<(StudentStatus, bool, String, String)>,
    /// The student's profile as saved: what their public page shows, and whether their
    /// edits wait for approval.
    approval: Option<StudentProfile>,
    expertise: Option<String>,
    /// An instructor listed on the website's team page.
    listed: bool,
    manager: Option<(String, bool, String)>,
}

impl ProfileForm {
    fn of(profiles: &Profiles) -> Option<Self> {
        Some(Self {
            basics: basics_of(profiles)?,
            student: profiles.student.as_ref().map(|student| {
                (
                    student.status,
                    student.featured,
                    student.featured_rank.map(|rank| rank.to_string()).unwrap_or_default(),
                    student.public_slug.clone().unwrap_or_default(),
                )
            }),
            approval: profiles.student.clone(),
            listed: profiles.instructor.as_ref().is_some_and(|instructor| instructor.is_public),
            expertise: profiles
                .instructor
                .as_ref()
                .map(|instructor| instructor.expertise.clone().unwrap_or_default()),
            manager: profiles.manager.as_ref().map(|manager| {
                (
                    manager.job_title.clone().unwrap_or_default(),
                    manager.is_public,
                    manager.sort_order.to_string(),
                )
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
    let toast = use_toast();
    let form = use_state(|| None::<Result<Option<ProfileForm>, String>>);
    let problems = use_state(Problems::default);
    let saving = use_state(|| false);
    {
        let form = form.clone();
        use_effect_with(props.user_id, move |&user_id| {
            spawn_local(async move {
                form.set(Some(match ipc::call::<ops::GetProfiles>(&ProfilesRequest { user_id }).await {
                    Ok(profiles) => Ok(ProfileForm::of(&profiles)),
                    Err(error) => Err(sentence(&error.message)),
                }));
            });
        });
    }
    let current = match &*form {
        None => return html! { <div class="panel--loading" aria-busy="true">{ "Loading profile…" }</div> },
        Some(Err(message)) => return html! { <p class="alert" role="alert">{ message }</p> },
        Some(Ok(None)) => {
            return html! {
                <p class="muted">{ "No profile yet: a profile comes with a role. Give them one under Account." }</p>
            }
        }
        Some(Ok(Some(current))) => current.clone(),
    };
    let set = {
        let form = form.clone();
        move |next: ProfileForm| form.set(Some(Ok(Some(next))))
    };
    let edit = |update: fn(&mut ProfileForm, String)| {
        let (current, set) = (current.clone(), set.clone());
        Callback::from(move |value: String| {
            let mut next = current.clone();
            update(&mut next, value);
            set(next);
        })
    };
    let toggle = |update: fn(&mut ProfileForm, bool)| {
        let (current, set) = (current.clone(), set.clone());
        Callback::from(move |value: bool| {
            let mut next = current.clone();
            update(&mut next, value);
            set(next);
        })
    };
    let on_basics = {
        let (current, set) = (current.clone(), set.clone());
        Callback::from(move |basics| set(ProfileForm { basics, ..current.clone() }))
    };
    let onsubmit = {
        let (current, problems, saving, toast, on_saved) =
            (current.clone(), problems.clone(), saving.clone(), toast.clone(), props.on_saved.clone());
        let user_id = props.user_id;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = Problems::default();
            found.require("full_name", &current.basics.full_name, "Enter their name.");
            let rank =
                current.student.as_ref().map(|(_, _, rank, _)| rank.trim().to_owned()).unwrap_or_default();
            let rank = if rank.is_empty() {
                None
            } else if let Ok(rank) = rank.parse::<i32>() {
                Some(rank)
            } else {
                found.add("featured_rank", "Enter a whole number, or leave it empty.");
                None
            };
            let order =
                current.manager.as_ref().map(|(_, _, order)| order.trim().to_owned()).unwrap_or_default();
            let order = match order.parse::<i32>() {
                Ok(order) => order,
                Err(_) if order.is_empty() => 0,
                Err(_) => {
                    found.add("sort_order", "Enter a whole number.");
                    0
                }
            };
            if let Some(field) = found.first_field() {
                focus_id(field);
                problems.set(found);
                return;
            }
            let basics = cleaned(&current.basics);
            let current = current.clone();
            saving.set(true);
            let (problems, saving, toast, on_saved) =
                (problems.clone(), saving.clone(), toast.clone(), on_saved.clone());
            spawn_local(async move {
                // Each profile carries the same basics; one refusal stops the rest.
                let mut outcome = Ok(());
                if let Some((status, featured, _, slug)) = &current.student {
                    let request = UpdateStudentProfile {
                        user_id,
                        basics: basics.clone(),
                        status: *status,
                        featured: *featured,
                        featured_rank: rank,
                        public_slug: optional(slug),
                    };
                    outcome = ipc::call::<ops::UpdateStudent>(&request).await.map(drop);
                }
                if let (Ok(()), Some(expertise)) = (&outcome, &current.expertise) {
                    let request = UpdateInstructorProfile {
                        user_id,
                        basics: basics.clone(),
                        expertise: optional(expertise),
                        is_public: current.listed,
                    };
                    outcome = ipc::call::<ops::UpdateInstructor>(&request).await.map(drop);
                }
                if let (Ok(()), Some((title, is_public, _))) = (&outcome, &current.manager) {
                    let request = UpdateManagerProfile {
                        user_id,
                        basics: basics.clone(),
                        job_title: optional(title),
                        is_public: *is_public,
                        sort_order: order,
                    };
                    outcome = ipc::call::<ops::UpdateManager>(&request).await.map(drop);
                }
                match outcome {
                    Ok(()) => {
                        problems.set(Problems::default());
                        toast.success("Profile saved.");
                        on_saved.emit(());
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &PROFILE_FIELDS);
                    }
                }
                saving.set(false);
            });
        })
    };
    let statuses = vec![
        (AttrValue::Static("active"), AttrValue::Static("Active")),
        (AttrValue::Static("inactive"), AttrValue::Static("Inactive")),
        (AttrValue::Static("graduated"), AttrValue::Static("Graduated")),
    ];
    html! {
        <form class="stack" {onsubmit} novalidate=true aria-label="Profile" data-testid="profile-editor">
            <section class="section">
                <h3>{ "Shown everywhere" }</h3>
                <BasicsFields value={current.basics.clone()} on_change={on_basics} problems={(*problems).clone()} />
            </section>
            if let Some((status, featured, rank, slug)) = &current.student {
                <section class="section">
                    <h3>{ "Student" }</h3>
                    <div class="form-grid">
                        <Select id="student-status" label="Status" options={statuses} value={status.as_str()}
                            onchange={edit(|form, value| if let Some(student) = &mut form.student {
                                student.0 = match value.as_str() {
                                    "inactive" => StudentStatus::Inactive,
                                    "graduated" => StudentStatus::Graduated,
                                    _ => StudentStatus::Active,
                                };
                            })} />
                        <TextField id="public_slug" label="Public address" value={slug.clone()}
                            oninput={edit(|form, value| if let Some(student) = &mut form.student { student.3 = value; })}
                            error={problems.field("public_slug")} placeholder="jane-doe"
                            hint="Lowercase letters, digits and dashes; their page on the website." />
                    </div>
                    <div class="form-grid">
                        <Checkbox id="featured" label="Featured on the website" checked={*featured}
                            onchange={toggle(|form, value| if let Some(student) = &mut form.student { student.1 = value; })} />
                        <TextField id="featured_rank" label="Featured order" value={rank.clone()} input_type="number"
                            oninput={edit(|form, value| if let Some(student) = &mut form.student { student.2 = value; })}
                            error={problems.field("featured_rank")} hint="1 comes first." />
                    </div>
                    if let Some(student) = &current.approval {
                        <ApproveText student={student.clone()}
                            on_approved={let (current, set) = (current.clone(), set.clone());
                                Callback::from(move |approved: StudentProfile| set(ProfileForm { approval: Some(approved), ..current.clone() }))} />
                    }
                </section>
            }
            if let Some(expertise) = &current.expertise {
                <section class="section">
                    <h3>{ "Instructor" }</h3>
                    <TextField id="expertise" label="Expertise" value={expertise.clone()}
                        oninput={edit(|form, value| form.expertise = Some(value))}
                        placeholder="Rust, PostgreSQL, web APIs" />
                    <Checkbox id="listed" label="Listed on the website's team page" checked={current.listed}
                        onchange={toggle(|form, value| form.listed = value)}
                        hint="Their own choice, in My profile; change it only with their agreement." />
                </section>
            }
            if let Some((title, is_public, order)) = &current.manager {
                <section class="section">
                    <h3>{ "Staff" }</h3>
                    <div class="form-grid">
                        <TextField id="job_title" label="Job title" value={title.clone()}
                            oninput={edit(|form, value| if let Some(manager) = &mut form.manager { manager.0 = value; })}
                            error={problems.field("job_title")} />
                        <TextField id="sort_order" label="Order on the team page" value={order.clone()} input_type="number"
                            oninput={edit(|form, value| if let Some(manager) = &mut form.manager { manager.2 = value; })}
                            error={problems.field("sort_order")} />
                    </div>
                    <Checkbox id="is_public" label="Shown on the website's team page" checked={*is_public}
                        onchange={toggle(|form, value| if let Some(manager) = &mut form.manager { manager.1 = value; })} />
                </section>
            }
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={*saving}
                    data-testid="save-profile">{ if *saving { "Saving…" } else { "Save profile" } }</button>
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
    let chosen = use_state(String::new);
    let problems = use_state(Problems::default);
    let generated = use_state(|| None::<String>);
    let confirming = use_state(|| false);
    let busy = use_state(|| false);

    let reset = {
        let (chosen, problems, generated, confirming, busy, toast) = (
            chosen.clone(),
            problems.clone(),
            generated.clone(),
            confirming.clone(),
            busy.clone(),
            toast.clone(),
        );
        let id = props.user.id;
        Callback::from(move |new_password: Option<String>| {
            busy.set(true);
            let (chosen, problems, generated, confirming, busy, toast) = (
                chosen.clone(),
                problems.clone(),
                generated.clone(),
                confirming.clone(),
                busy.clone(),
                toast.clone(),
            );
            spawn_local(async move {
                match ipc::call::<ops::ResetPassword>(&ResetPasswordRequest { id, new_password }).await {
                    Ok(answer) => {
                        problems.set(Problems::default());
                        chosen.set(String::new());
                        toast.success("Password reset.");
                        generated.set(answer.generated_password);
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &["new_password"]);
                    }
                }
                confirming.set(false);
                busy.set(false);
            });
        })
    };
    let set_chosen = {
        let (chosen, problems, reset) = (chosen.clone(), problems.clone(), reset.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut missing = Problems::default();
            missing.require("new_password", &chosen, "Enter the new password.");
            if !missing.is_empty() {
                focus_id("new_password");
                problems.set(missing);
                return;
            }
            reset.emit(Some((*chosen).clone()));
        })
    };
    html! {
        <div class="stack">
            <section class="section">
                <h3>{ "Generate a one-time password" }</h3>
                <p class="muted">{ "Their current password stops working and they are signed out on every device. Give them the new one privately." }</p>
                if let Some(password) = &*generated { { one_time_password(password) } }
                <button class="button button--primary button--inline" data-testid="generate-password" disabled={*busy}
                    onclick={let confirming = confirming.clone(); Callback::from(move |_| confirming.set(true))}>
                    { "Generate…" }
                </button>
            </section>
            <form class="section" onsubmit={set_chosen} novalidate=true aria-label="Set a password">
                <h3>{ "Or set one" }</h3>
                <TextField id="new_password" label="New password" input_type="password" value={(*chosen).clone()}
                    oninput={let chosen = chosen.clone(); Callback::from(move |value| chosen.set(value))}
                    error={problems.field("new_password")} autocomplete="new-password" hint="At least 10 characters." />
                if let Some(message) = &problems.general {
                    <p class="alert" role="alert">{ message }</p>
                }
                <button class="button button--quiet" type="submit" disabled={*busy}>{ "Set password" }</button>
            </form>
            if *confirming {
                <Confirm title="Reset the password?" confirm_label="Generate" busy={*busy}
                    message={format!("{}'s current password stops working at once, and every device they are signed in on is signed out.", props.user.full_name)}
                    on_confirm={reset.reform(|()| None)}
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
    let devices = use_state(|| None::<Result<Vec<DeviceSession>, String>>);
    let asked = use_state(|| 0_u32);
    let confirming = use_state(|| Confirming::Nothing);
    let busy = use_state(|| false);
    // Why the last sign-out was refused, said in the dialog that asked.
    let failure = use_state(|| None::<AttrValue>);
    let user_id = props.user.id;
    {
        let devices = devices.clone();
        use_effect_with(*asked, move |_| {
            spawn_local(async move {
                let answer = ipc::call::<ops::ListDevices>(&UserDevicesRequest { user_id }).await;
                devices.set(Some(answer.map_err(|error| sentence(&error.message))));
            });
        });
    }
    let reload = {
        let asked = asked.clone();
        Callback::from(move |()| asked.set(*asked + 1))
    };
    let revoke = {
        let (confirming, busy, toast, reload, failure) =
            (confirming.clone(), busy.clone(), toast.clone(), reload.clone(), failure.clone());
        Callback::from(move |()| {
            let target = (*confirming).clone();
            let (confirming, busy, toast, reload, failure) =
                (confirming.clone(), busy.clone(), toast.clone(), reload.clone(), failure.clone());
            busy.set(true);
            spawn_local(async move {
                let answer = match &target {
                    Confirming::One(device) => {
                        ipc::call::<ops::RevokeDevice>(&IdRequest { id: device.id }).await
                    }
                    Confirming::Everywhere => {
                        ipc::call::<ops::RevokeAllDevices>(&UserDevicesRequest { user_id }).await
                    }
                    Confirming::Nothing => return,
                };
                busy.set(false);
                match answer {
                    Ok(done) => {
                        toast.success(match (&target, done.revoked) {
                            (Confirming::One(device), _) => format!("{} is signed out.", device.device),
                            (_, 0) => "No device was signed in.".to_owned(),
                            (_, 1) => "Signed out on 1 device.".to_owned(),
                            (_, n) => format!("Signed out on {n} devices."),
                        });
                        failure.set(None);
                        confirming.set(Confirming::Nothing);
                        reload.emit(());
                    }
                    Err(error) => failure.set(Some(sentence(&error.message).into())),
                }
            });
        })
    };
    let ask = |what: Confirming| {
        let (confirming, failure) = (confirming.clone(), failure.clone());
        Callback::from(move |_: MouseEvent| {
            failure.set(None);
            confirming.set(what.clone());
        })
    };
    let list = match &*devices {
        None => html! { <p class="muted" aria-busy="true">{ "Loading the devices…" }</p> },
        Some(Err(message)) => html! {
            <p class="alert" role="alert">
                { message.clone() }{ " " }
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
                                    <button class="button button--quiet button--small" disabled={*busy}
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
                    <button class="button button--danger button--inline" disabled={*busy} data-testid="revoke-all-devices"
                        onclick={ask(Confirming::Everywhere)}>{ "Sign out everywhere…" }</button>
                }
            </section>
            { match &*confirming {
                Confirming::Nothing => html! {},
                Confirming::One(device) => html! {
                    <Confirm title="Sign this device out?" confirm_label="Sign out" danger=true busy={*busy} error={(*failure).clone()}
                        message={format!("{} on {} must sign in again to use the app there.", props.user.full_name, device.device)}
                        on_confirm={revoke.clone()}
                        on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(Confirming::Nothing))} />
                },
                Confirming::Everywhere => html! {
                    <Confirm title="Sign out everywhere?" confirm_label="Sign out everywhere" danger=true busy={*busy} error={(*failure).clone()}
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
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);
    let student = &props.student;
    let approve = {
        let (busy, problem, toast, on_approved, user_id) =
            (busy.clone(), problem.clone(), toast.clone(), props.on_approved.clone(), student.user_id);
        Callback::from(move |_: MouseEvent| {
            let (busy, problem, toast, on_approved) =
                (busy.clone(), problem.clone(), toast.clone(), on_approved.clone());
            busy.set(true);
            spawn_local(async move {
                match ipc::call::<ops::ApproveStudentText>(&ProfilesRequest { user_id }).await {
                    Ok(profiles) => {
                        toast.success("Their public page now shows their profile as saved.");
                        if let Some(student) = profiles.student {
                            on_approved.emit(student);
                        }
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
                busy.set(false);
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
                <button type="button" class="button button--quiet" onclick={approve} disabled={*busy}
                    data-testid="approve-public-text">{ "Approve their saved profile for the website" }</button>
            }
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
        </div>
    }
}
