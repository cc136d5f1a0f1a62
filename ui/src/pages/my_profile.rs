//! Everyone's own page: the profile they show (name, photo, bio, links) and their password.

use crate::components::form::{edit, focus_id, sentence, Checkbox, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use crate::pages::profile_form::{basics_of, cleaned, BasicsFields, BASICS_FIELDS};
use crate::session::{use_session, Action};
use hub_model::auth::ChangePasswordRequest;
use hub_model::profiles::{ProfileBasics, Profiles};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Failed(String),
    Ready(Box<Profiles>),
}

#[function_component(MyProfile)]
pub fn my_profile() -> Html {
    let loaded = use_state(|| Loaded::Loading);
    {
        let loaded = loaded.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                loaded.set(match ipc::call::<ops::MyProfiles>(&NoRequest {}).await {
                    Ok(profiles) => Loaded::Ready(Box::new(profiles)),
                    Err(error) => Loaded::Failed(sentence(&error.message)),
                });
            });
        });
    }
    let profile = match &*loaded {
        Loaded::Loading => {
            html! { <div class="panel panel--loading" aria-busy="true">{ "Loading your profile…" }</div> }
        }
        Loaded::Failed(message) => html! { <p class="alert" role="alert">{ message }</p> },
        Loaded::Ready(profiles) => match basics_of(profiles) {
            Some(basics) => html! { <ProfileEditor {basics} roles={roles_line(profiles)} /> },
            None => html! {
                <section class="panel">
                    <h2>{ "Profile" }</h2>
                    <p class="muted">{ "You have no profile yet: it comes with a role, which an administrator gives." }</p>
                </section>
            },
        },
    };
    html! {
        <>
            <h1>{ "My profile" }</h1>
            <p class="content__lead">{ "What others see of you, and how you sign in." }</p>
            <div class="page-columns">
                { profile }
                <div class="stack">
                    <ChangePassword />
                    if let Loaded::Ready(profiles) = &*loaded { <OnTheWebsite profiles={(**profiles).clone()} /> }
                </div>
            </div>
        </>
    }
}

fn roles_line(profiles: &Profiles) -> String {
    let mut shown = Vec::new();
    if let Some(manager) = &profiles.manager {
        shown.push(match &manager.job_title {
            Some(title) => format!("Staff · {title}"),
            None => "Staff".to_owned(),
        });
    }
    if profiles.instructor.is_some() {
        shown.push("Instructor".to_owned());
    }
    if let Some(student) = &profiles.student {
        shown.push(format!("Student ({})", student.status.as_str()));
    }
    shown.join("  ·  ")
}

#[derive(Properties, PartialEq)]
struct ProfileEditorProps {
    basics: ProfileBasics,
    roles: String,
}

#[function_component(ProfileEditor)]
fn profile_editor(props: &ProfileEditorProps) -> Html {
    let session = use_session();
    let toast = use_toast();
    let basics = use_state(|| props.basics.clone());
    let problems = use_state(Problems::default);
    let saving = use_state(|| false);

    let onsubmit = {
        let (basics, problems, saving) = (basics.clone(), problems.clone(), saving.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = cleaned(&basics);
            let mut missing = Problems::default();
            missing.require("full_name", &request.full_name, "Enter your name.");
            if !missing.is_empty() {
                focus_id("full_name");
                problems.set(missing);
                return;
            }
            saving.set(true);
            let (problems, saving, session, toast) =
                (problems.clone(), saving.clone(), session.clone(), toast.clone());
            spawn_local(async move {
                match ipc::call::<ops::UpdateMyProfiles>(&request).await {
                    Ok(_) => {
                        problems.set(Problems::default());
                        toast.success("Your profile is saved.");
                        // The top bar shows the new name.
                        if let Ok(me) = ipc::call::<ops::Me>(&NoRequest {}).await {
                            session.dispatch(Action::Refreshed(me));
                        }
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &BASICS_FIELDS);
                    }
                }
                saving.set(false);
            });
        })
    };
    let on_change = {
        let basics = basics.clone();
        Callback::from(move |next| basics.set(next))
    };
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-labelledby="profile-title" data-testid="my-profile">
            <h2 id="profile-title">{ "Profile" }</h2>
            <p class="muted">{ &props.roles }</p>
            <BasicsFields value={(*basics).clone()} {on_change} problems={(*problems).clone()} />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={*saving}>
                    { if *saving { "Saving…" } else { "Save profile" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Clone, Default, PartialEq)]
struct PasswordForm {
    current: String,
    new: String,
    again: String,
}

#[function_component(ChangePassword)]
fn change_password() -> Html {
    let toast = use_toast();
    let form = use_state(PasswordForm::default);
    let problems = use_state(Problems::default);
    let saving = use_state(|| false);
    let text = |update: fn(&mut PasswordForm, String)| edit(&form, update);
    let onsubmit = {
        let (form, problems, saving) = (form.clone(), problems.clone(), saving.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut missing = Problems::default();
            missing.require("current_password", &form.current, "Enter your current password.");
            missing.require("new_password", &form.new, "Choose a new password.");
            if missing.is_empty() && form.new != form.again {
                missing.add("confirm_password", "The two new passwords differ.");
            }
            if let Some(field) = missing.first_field() {
                focus_id(field);
                problems.set(missing);
                return;
            }
            saving.set(true);
            let request = ChangePasswordRequest {
                current_password: form.current.clone(),
                new_password: form.new.clone(),
            };
            let (form, problems, saving, toast) =
                (form.clone(), problems.clone(), saving.clone(), toast.clone());
            spawn_local(async move {
                match ipc::shell::<hub_model::desktop::ChangePassword>(&request).await {
                    Ok(_) => {
                        form.set(PasswordForm::default());
                        problems.set(Problems::default());
                        toast.success("Your password is changed; your other devices are signed out.");
                    }
                    Err(error) => {
                        Problems::show(&problems, &error, &["current_password", "new_password"]);
                    }
                }
                saving.set(false);
            });
        })
    };
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-labelledby="password-title" data-testid="change-password">
            <h2 id="password-title">{ "Password" }</h2>
            <p class="muted">{ "At least 10 characters. You stay signed in here; every other device you are signed in on is signed out." }</p>
            <TextField id="current_password" label="Current password" input_type="password" value={form.current.clone()}
                oninput={text(|form, text| form.current = text)} error={problems.field("current_password")}
                autocomplete="current-password" />
            <TextField id="new_password" label="New password" input_type="password" value={form.new.clone()}
                oninput={text(|form, text| form.new = text)} error={problems.field("new_password")}
                autocomplete="new-password" />
            <TextField id="confirm_password" label="New password, again" input_type="password" value={form.again.clone()}
                oninput={text(|form, text| form.again = text)} error={problems.field("confirm_password")}
                autocomplete="new-password" />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={*saving}>
                    { if *saving { "Changing…" } else { "Change password" } }
                </button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct OnTheWebsiteProps {
    profiles: Profiles,
}

/// What the public website shows of this person, and their say in it: an instructor
/// chooses to be listed on the team page; a student's public page shows the text an
/// administrator approved.
#[function_component(OnTheWebsite)]
fn on_the_website(props: &OnTheWebsiteProps) -> Html {
    let toast = use_toast();
    let listed =
        use_state(|| props.profiles.instructor.as_ref().is_some_and(|instructor| instructor.is_public));
    let problem = use_state(|| None::<String>);
    let on_listed = {
        let (listed, problem, toast) = (listed.clone(), problem.clone(), toast.clone());
        Callback::from(move |wanted: bool| {
            let (listed, problem, toast) = (listed.clone(), problem.clone(), toast.clone());
            spawn_local(async move {
                let request = hub_model::profiles::MyListing { listed: wanted };
                match ipc::call::<ops::SetMyListing>(&request).await {
                    Ok(profiles) => {
                        let now = profiles.instructor.is_some_and(|instructor| instructor.is_public);
                        listed.set(now);
                        problem.set(None);
                        toast.success(if now {
                            "You are listed on the website's team page."
                        } else {
                            "You are no longer listed on the website."
                        });
                    }
                    Err(error) => problem.set(Some(sentence(&error.message))),
                }
            });
        })
    };
    let student = props.profiles.student.as_ref().filter(|student| student.public_slug.is_some());
    if props.profiles.instructor.is_none() && student.is_none() {
        return html! {};
    }
    html! {
        <section class="panel" aria-labelledby="website-title" data-testid="on-the-website">
            <h2 id="website-title">{ "On the website" }</h2>
            if props.profiles.instructor.is_some() {
                <Checkbox id="list-me" label="List me on the website's team page" checked={*listed} onchange={on_listed}
                    hint={AttrValue::Static(if *listed {
                        "Visitors see your name, photo, bio, expertise and links among the hub's instructors."
                    } else {
                        "You are not on the website. Nobody is listed without choosing to be."
                    })} />
            }
            if let Some(student) = student {
                <p>{ match &student.approved {
                    None => "Your public page waits for an administrator to approve your name, photo, bio and links.".to_owned(),
                    Some(approved) if student.awaits_approval() => format!(
                        "Your public page shows what was approved on {}; your changes since then wait for an administrator's approval.",
                        crate::components::when::day(approved.approved_at.date_naive())),
                    Some(approved) => format!("Your public page shows your profile as approved on {}.",
                        crate::components::when::day(approved.approved_at.date_naive())),
                } }</p>
            }
            if let Some(message) = &*problem { <p class="alert" role="alert">{ message }</p> }
        </section>
    }
}
