//! The site settings: name, default event location, contact details and social links.

use crate::components::form::{alert, use_form, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{SiteSettings, UpdateSiteSettings};
use hub_model::{ops, NoRequest};
use yew::prelude::*;

const FIELDS: [&str; 7] = [
    "time_zone",
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
    time_zone: String,
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
            time_zone: settings.time_zone.clone(),
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
            time_zone: Some(self.time_zone.clone()),
        }
    }
}

/// Loads the settings, then edits them.
#[function_component(SiteSettingsForm)]
pub fn site_settings_form() -> Html {
    let loaded = ipc::use_call::<ops::GetSite>(NoRequest {});
    match &*loaded {
        None => html! { <div class="panel--loading" aria-busy="true">{ "Loading the settings…" }</div> },
        Some(Err(error)) => alert(error),
        Some(Ok(settings)) => html! { <SettingsEditor settings={settings.clone()} /> },
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    settings: SiteSettings,
}

#[function_component(SettingsEditor)]
fn settings_editor(props: &EditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| Form::of(&props.settings));
    let saved_by = use_state(|| last_saved(&props.settings));
    let link = |index: usize, url: bool| {
        let form = form.clone();
        Callback::from(move |value: String| {
            form.edit(move |form| {
                let row = &mut form.links[index];
                if url {
                    row.1 = value;
                } else {
                    row.0 = value;
                }
            });
        })
    };
    let add_link = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.edit(|form| form.links.push((String::new(), String::new()))))
    };
    let onsubmit = {
        let (form, saved_by, toast) = (form.clone(), saved_by.clone(), toast.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (saved_by, toast) = (saved_by.clone(), toast.clone());
            let request = form.request();
            form.send(
                &FIELDS,
                async move { ipc::call::<ops::UpdateSite>(&request).await },
                move |settings| {
                    saved_by.set(last_saved(&settings));
                    toast.success("Site settings saved.");
                    Some(Form::of(&settings))
                },
            );
        })
    };
    let problems = form.problems();
    html! {
        <form class="panel" {onsubmit} novalidate=true aria-label="Site settings" data-testid="site-settings">
            <p class="muted">{ (*saved_by).clone() }</p>
            <div class="form-grid">
                <TextField id="site_name" label="Site name" required=true value={form.site_name.clone()}
                    oninput={form.field(|form, value| form.site_name = value)} error={problems.field("site_name")} />
                <TextField id="default_event_location" label="Default event location" required=true
                    value={form.location.clone()} oninput={form.field(|form, value| form.location = value)}
                    error={problems.field("default_event_location")} hint="Shown for events with no location of their own." />
            </div>
            <TextField id="time_zone" label="Time zone" required=true value={form.time_zone.clone()}
                oninput={form.field(|form, value| form.time_zone = value)} error={problems.field("time_zone")}
                placeholder="Asia/Beirut"
                hint="The hub's own: sessions' dates and times are read in it (when check-in opens, what today is)." />
            <h3 class="form-heading">{ "Contact" }</h3>
            <TextField id="contact_address" label="Address" value={form.address.clone()}
                oninput={form.field(|form, value| form.address = value)} error={problems.field("contact_address")} />
            <div class="form-grid">
                <TextField id="contact_phone" label="Phone" input_type="tel" value={form.phone.clone()}
                    oninput={form.field(|form, value| form.phone = value)} error={problems.field("contact_phone")} />
                <TextField id="contact_email" label="Email" input_type="email" value={form.email.clone()}
                    oninput={form.field(|form, value| form.email = value)} error={problems.field("contact_email")} />
            </div>
            // A refusal of the links focuses this section (`Form::refuse` focuses the field named).
            <h3 class="form-heading" id="social_links" tabindex="-1">{ "Social links" }</h3>
            if let Some(message) = problems.field("social_links") {
                <div class="field__error" id="social_links-error">{ message }</div>
            }
            <div class="links">
                { for form.links.iter().enumerate().map(|(index, (network, url))| {
                    let remove = {
                        let form = form.clone();
                        Callback::from(move |_: MouseEvent| form.edit(move |form| { form.links.remove(index); }))
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
                <button class="button button--primary button--inline" type="submit" disabled={form.saving()}
                    data-testid="save-site">{ if form.saving() { "Saving…" } else { "Save settings" } }</button>
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
