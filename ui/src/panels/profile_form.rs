//! The part of a profile everyone has — name, photo, bio, links — as form fields, shared
//! by "My profile" and the admins' profile editor.

use crate::components::form::{Problems, TextField};
use crate::components::image::ImageField;
use hub_model::profiles::{ProfileBasics, Profiles};
use yew::prelude::*;

/// The request fields the basics form shows, for placing refusals under them.
pub const BASICS_FIELDS: [&str; 6] =
    ["full_name", "avatar_url", "bio", "linkedin_url", "github_url", "portfolio_url"];

/// One person's shared profile part: every profile carries the same basics.
pub fn basics_of(profiles: &Profiles) -> Option<ProfileBasics> {
    profiles
        .manager
        .as_ref()
        .map(|profile| profile.basics.clone())
        .or_else(|| profiles.instructor.as_ref().map(|profile| profile.basics.clone()))
        .or_else(|| profiles.student.as_ref().map(|profile| profile.basics.clone()))
}

#[derive(Properties, PartialEq)]
pub struct BasicsFieldsProps {
    pub value: ProfileBasics,
    pub on_change: Callback<ProfileBasics>,
    pub problems: Problems,
}

#[function_component(BasicsFields)]
pub fn basics_fields(props: &BasicsFieldsProps) -> Html {
    let edit = |update: fn(&mut ProfileBasics, String)| {
        let (value, on_change) = (props.value.clone(), props.on_change.clone());
        Callback::from(move |text: String| {
            let mut next = value.clone();
            update(&mut next, text);
            on_change.emit(next);
        })
    };
    let photo = {
        let (value, on_change) = (props.value.clone(), props.on_change.clone());
        Callback::from(move |url: Option<String>| {
            on_change.emit(ProfileBasics { avatar_url: url, ..value.clone() });
        })
    };
    let text = |value: &Option<String>| AttrValue::from(value.clone().unwrap_or_default());
    let basics = &props.value;
    html! {
        <>
            <TextField id="full_name" label="Full name" required=true value={basics.full_name.clone()}
                oninput={edit(|basics, text| basics.full_name = text)} error={props.problems.field("full_name")}
                autocomplete="name" />
            <ImageField id="avatar_url" label="Photo" value={basics.avatar_url.clone()} round=true
                on_change={photo} error={props.problems.field("avatar_url")}
                hint="A square photo (JPEG, PNG or WebP), shown in the app and on the website." />
            <TextField id="bio" label="Bio" multiline=true value={text(&basics.bio)}
                oninput={edit(|basics, text| basics.bio = Some(text))} error={props.problems.field("bio")}
                hint="A few sentences; up to 2,000 characters." />
            <div class="form-grid">
                <TextField id="linkedin_url" label="LinkedIn" value={text(&basics.linkedin_url)} input_type="url"
                    oninput={edit(|basics, text| basics.linkedin_url = Some(text))}
                    error={props.problems.field("linkedin_url")} placeholder="https://linkedin.com/in/…" />
                <TextField id="github_url" label="GitHub" value={text(&basics.github_url)} input_type="url"
                    oninput={edit(|basics, text| basics.github_url = Some(text))}
                    error={props.problems.field("github_url")} placeholder="https://github.com/…" />
            </div>
            <TextField id="portfolio_url" label="Portfolio" value={text(&basics.portfolio_url)} input_type="url"
                oninput={edit(|basics, text| basics.portfolio_url = Some(text))}
                error={props.problems.field("portfolio_url")} placeholder="https://…" />
        </>
    }
}

/// The basics as they are sent: blank optional fields as nothing.
pub fn cleaned(basics: &ProfileBasics) -> ProfileBasics {
    use crate::components::form::optional;
    let link = |value: &Option<String>| value.as_deref().and_then(optional);
    ProfileBasics {
        full_name: basics.full_name.trim().to_owned(),
        avatar_url: link(&basics.avatar_url),
        bio: link(&basics.bio),
        linkedin_url: link(&basics.linkedin_url),
        github_url: link(&basics.github_url),
        portfolio_url: link(&basics.portfolio_url),
    }
}
