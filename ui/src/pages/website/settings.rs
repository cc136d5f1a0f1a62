//! The site settings: name, default event location, contact details and social links.

use crate::components::form::{focus_id, sentence, Problems, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{SiteSettings, UpdateSiteSettings};
use hub_model::{ops, NoRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

const FIELDS: [&str; 6] = [
    "site_name",
    "default_event_location",
    "contact_address",
    "contact_phone",
    "contact_email",
    "social_links",
];

#[derive(Clone, PartialEq, Default)]
struct Form {
    site_name: String,
    location: String,
    address: String,
    phone: String,
    email: String,
    /// `(network, url)` rows, in the order shown.
    links: Vec<(String, String)>,
}

impl Form {
    fn of(settings: &SiteSettings) -> Self {
        Self {
            site_name: settings.site_name.clone(),
            location: settings.default_event_location.clone(),
            address: settings.contact_address.clone().unwrap_or_default(),
            phone: settings.contact_phone.clone().unwrap_or_default(),
            email: settings.contact_email.clone().unwrap_or_default(),
            links: settings
                .social_links
                .iter()
                .map(|(network, url)| (network.clone(), url.clone()))
                .collect(),
        }
    }

    fn request(&self) -> UpdateSiteSettings {
        UpdateSiteSettings {
            site_name: self.site_name.clone(),
            default_event_location: self.location.clone(),
            contact_address: Some(self.address.clone()),
            contact_phone: Some(self.phone.clone()),
            contact_email: Some(self.email.clone()),
            social_links: self
                .links
                .iter()
                .filter(|(network, url)| !network.trim().is_empty() || !url.trim().is_empty())
                .cloned()
                .collect(),
        }
    }
}

#[function_component(SiteSettingsForm)]
pub fn site_settings_form() -> Html {
    let toast = use_toast();
    let form = use_state(|| None::<Form>);
    let saved_by = use_state(String::new);
    let problems = use_state(Problems::default);
    let failed = use_state(|| None::<String>);
    let saving = use_state(|| false);
    {
        let (form, saved_by, failed) = (form.clone(), saved_by.clone(), failed.clone());
        use_effect_with((), move |()| {
            spawn_local(async move {
                match ipc::call::<ops::GetSite>(&NoRequest {}).await {
                    Ok(settings) => {
                        saved_by.set(last_saved(&settings));
                        form.set(Some(Form::of(&settings)));
                    }
                    Err(error) => failed.set(Some(sentence(&error.message))),
                }
            });
        });
    }
    if let Some(message) = &*failed {
        return html! { <p class="alert" role="alert">{ message }</p> };
    }
    let Some(current) = (*form).clone() else {
        return html! { <div class="panel--loading" aria-busy="true">{ "Loading the settings…" }</div> };
    };
    let field = |update: fn(&mut Form, String)| {
        let (form, current) = (form.clone(), current.clone());
        Callback::from(move |value: String| {
            let mut next = current.clone();
            update(&mut next, value);
            form.set(Some(next));
        })
    };
    let link = |index: usize, url: bool| {
        let (form, current) = (form.clone(), current.clone());
        Callback::from(move |value: String| {
            let mut next = current.clone();
            if url {
                next.links[index].1 = value;
            } else {
                next.links[index].0 = value;
            }
            form.set(Some(next));
        })
    };
    let add_link = {
        let (form, current) = (form.clone(), current.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = current.clone();
            next.links.push((String::new(), String::new()));
            form.set(Some(next));
        })
    };
    let onsubmit = {
        let (form, problems, saving, saved_by, toast, current) = (
            form.clone(),
            problems.clone(),
            saving.clone(),
            saved_by.clone(),
            toast.clone(),
            current.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = current.request();
            saving.set(true);
            let (form, problems, saving, saved_by, toast) =
                (form.clone(), problems.clone(), saving.clone(), saved_by.clone(), toast.clone());
            spawn_local(async move {
                match ipc::call::<ops::UpdateSite>(&request).await {
                    Ok(settings) => {
                        problems.set(Problems::default());
                        saved_by.set(last_saved(&settings));
                        form.set(Some(Form::of(&settings)));
                        toast.success("Site settings saved.");
                    }
                    Err(error) => {
                        let found = Problems::from_api(&error, &FIELDS);
                        if let Some(field) = found.first_field() {
                            focus_id(if field == "social_links" { "link-network-0" } else { field });
                        }
                        problems.set(found);
                    }
                }
                saving.set(false);
            });
        })
    };
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-label="Site settings" data-testid="site-settings">
            <p class="muted">{ (*saved_by).clone() }</p>
            <div class="form-grid">
                <TextField id="site_name" label="Site name" required=true value={current.site_name.clone()}
                    oninput={field(|form, value| form.site_name = value)} error={problems.field("site_name")} />
                <TextField id="default_event_location" label="Default event location" required=true
                    value={current.location.clone()} oninput={field(|form, value| form.location = value)}
                    error={problems.field("default_event_location")} hint="Shown for events with no location of their own." />
            </div>
            <h3 class="form-heading">{ "Contact" }</h3>
            <TextField id="contact_address" label="Address" value={current.address.clone()}
                oninput={field(|form, value| form.address = value)} error={problems.field("contact_address")} />
            <div class="form-grid">
                <TextField id="contact_phone" label="Phone" input_type="tel" value={current.phone.clone()}
                    oninput={field(|form, value| form.phone = value)} error={problems.field("contact_phone")} />
                <TextField id="contact_email" label="Email" input_type="email" value={current.email.clone()}
                    oninput={field(|form, value| form.email = value)} error={problems.field("contact_email")} />
            </div>
            <h3 class="form-heading">{ "Social links" }</h3>
            if let Some(message) = problems.field("social_links") {
                <div class="field__error" id="social_links-error">{ message }</div>
            }
            <div class="links">
                { for current.links.iter().enumerate().map(|(index, (network, url))| {
                    let remove = {
                        let (form, current) = (form.clone(), current.clone());
                        Callback::from(move |_: MouseEvent| {
                            let mut next = current.clone();
                            next.links.remove(index);
                            form.set(Some(next));
                        })
                    };
                    html! {
                        <div class="links__row" key={index}>
                            <TextField id={format!("link-network-{index}")} label="Network" value={network.clone()}
                                oninput={link(index, false)} placeholder="linkedin" />
                            <TextField id={format!("link-url-{index}")} label="Address" input_type="url" value={url.clone()}
                                oninput={link(index, true)} placeholder="https://…" />
                            <button type="button" class="button button--quiet button--small links__remove"
                                aria-label={format!("Remove the {network} link")} onclick={remove}>{ "Remove" }</button>
                        </div>
                    }
                }) }
            </div>
            <button type="button" class="button button--quiet button--small" onclick={add_link}>{ "+ Add a link" }</button>
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="actions">
                <button class="button button--primary button--inline" type="submit" disabled={*saving}
                    data-testid="save-site">{ if *saving { "Saving…" } else { "Save settings" } }</button>
            </div>
        </form>
    }
}

fn last_saved(settings: &SiteSettings) -> String {
    let when = settings.updated_at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M");
    match &settings.updated_by {
        Some(name) => format!("Last saved {when} by {name}."),
        None => format!("Last saved {when}."),
    }
}
