//! Everyone's own page: the profile they show (name, photo, bio, links) and their password.

use crate::components::form::{alert, sentence, use_form, Checkbox, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use crate::panels::profile_form::{basics_of, cleaned, BasicsFields, BASICS_FIELDS};
use crate::session::{use_session, Action};
use hub_model::auth::ChangePasswordRequest;
use hub_model::profiles::{ProfileBasics, Profiles};
use hub_model::{ops, NoRequest};
use yew::prelude::*;

#[function_component(MyProfile)]
pub fn my_profile() -> Html {
    let loaded = ipc::use_call::<ops::MyProfiles>(NoRequest {});
    let profile = match &*loaded {
        None => {
            html! { <div class="panel panel--loading" aria-busy="true">{ "Loading your profile…" }</div> }
        }
        Some(Err(error)) => html! { <p class="alert" role="alert">{ sentence(&error.message) }</p> },
        Some(Ok(profiles)) => match basics_of(profiles) {
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
                    if let Some(profiles) = loaded.ok() { <OnTheWebsite profiles={profiles.clone()} /> }
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
    let form = use_form(|| props.basics.clone());

    let onsubmit = {
        let form = form.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = cleaned(&form);
            let mut missing = Problems::default();
            missing.require("full_name", &request.full_name, "Enter your name.");
            if !missing.is_empty() {
                return form.refuse(missing);
            }
            let (session, toast) = (session.clone(), toast.clone());
            let work = async move {
                ipc::call::<ops::UpdateMyProfiles>(&request).await?;
                // The top bar shows the new name.
                Ok(ipc::call::<ops::Me>(&NoRequest {}).await.ok())
            };
            form.send(&BASICS_FIELDS, work, move |me| {
                toast.success("Your profile is saved.");
                if let Some(me) = me {
                    session.dispatch(Action::Refreshed(me));
                }
                None
            });
        })
    };
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-labelledby="profile-title" data-testid="my-profile">
            <h2 id="profile-title">{ "Profile" }</h2>
            <p class="muted">{ &props.roles }</p>
            <BasicsFields value={(*form).clone()} on_change={form.field(|basics, next| *basics = next)}
                problems={form.problems().clone()} />
            if let Some(message) = &form.problems().general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={form.saving()}>
                    { if form.saving() { "Saving…" } else { "Save profile" } }
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
    let form = use_form(PasswordForm::default);
    let onsubmit = {
        let form = form.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = &*form;
            let mut missing = Problems::default();
            missing.require("current_password", &typed.current, "Enter your current password.");
            missing.require("new_password", &typed.new, "Choose a new password.");
            if missing.is_empty() && typed.new != typed.again {
                missing.add("confirm_password", "The two new passwords differ.");
            }
            if !missing.is_empty() {
                return form.refuse(missing);
            }
            let request = ChangePasswordRequest {
                current_password: typed.current.clone(),
                new_password: typed.new.clone(),
            };
            let toast = toast.clone();
            let work = async move { ipc::shell::<hub_model::desktop::ChangePassword>(&request).await };
            form.send(&["current_password", "new_password"], work, move |_| {
                toast.success("Your password is changed; your other devices are signed out.");
                Some(PasswordForm::default())
            });
        })
    };
    let (typed, problems) = (&*form, form.problems());
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-labelledby="password-title" data-testid="change-password">
            <h2 id="password-title">{ "Password" }</h2>
            <p class="muted">{ "At least 10 characters. You stay signed in here; every other device you are signed in on is signed out." }</p>
            <TextField id="current_password" label="Current password" input_type="password" value={typed.current.clone()}
                oninput={form.field(|form, text| form.current = text)} error={problems.field("current_password")}
                autocomplete="current-password" />
            <TextField id="new_password" label="New password" input_type="password" value={typed.new.clone()}
                oninput={form.field(|form, text| form.new = text)} error={problems.field("new_password")}
                autocomplete="new-password" />
            <TextField id="confirm_password" label="New password, again" input_type="password" value={typed.again.clone()}
                oninput={form.field(|form, text| form.again = text)} error={problems.field("confirm_password")}
                autocomplete="new-password" />
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={form.saving()}>
                    { if form.saving() { "Changing…" } else { "Change password" } }
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
    let listing = ipc::use_change();
    let on_listed = {
        let (listed, listing, toast) = (listed.clone(), listing.clone(), toast.clone());
        Callback::from(move |wanted: bool| {
            let (listed, toast) = (listed.clone(), toast.clone());
            listing.call::<ops::SetMyListing>(
                hub_model::profiles::MyListing { listed: wanted },
                move |profiles| {
                    let now = profiles.instructor.is_some_and(|instructor| instructor.is_public);
                    listed.set(now);
                    toast.success(if now {
                        "You are listed on the website's team page."
                    } else {
                        "You are no longer listed on the website."
                    });
                },
            );
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
                    disabled={listing.busy()}
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
            if let Some(error) = listing.problem() { { alert(error) } }
        </section>
    }
}
