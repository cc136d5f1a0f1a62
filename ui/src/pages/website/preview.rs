//! The website's home page, rendered from exactly what the public API serves (the same
//! code builds both), in the website's own colors.

use crate::components::form::alert;
use crate::ipc;
use hub_model::public::{HomeSection, WebsitePreview};
use hub_model::{desktop, ApiError, NoRequest};
use serde_json::Value;
use yew::platform::spawn_local;
use yew::prelude::*;

fn text(content: &Value, key: &str) -> Option<String> {
    content.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn limit(content: &Value, default: usize) -> usize {
    content.get("limit").and_then(Value::as_u64).map_or(default, |limit| limit as usize)
}

fn button(content: &Value) -> Html {
    let Some(cta) = content.get("cta") else { return html! {} };
    match (text(cta, "label"), text(cta, "href")) {
        (Some(label), Some(href)) => html! { <span class="site__button" title={href}>{ label }</span> },
        _ => html! {},
    }
}

fn section(preview: &WebsitePreview, section: &HomeSection) -> Html {
    let title = section.title.clone().unwrap_or_default();
    let body = match section.key.as_str() {
        "hero" => html! {
            <div class="site__hero">
                <h1>{ &title }</h1>
                if let Some(subtitle) = text(&section.content, "subtitle") { <p>{ subtitle }</p> }
                { button(&section.content) }
            </div>
        },
        "programs_preview" => html! {
            <div class="site__cards">
                { for preview.programs.iter().take(limit(&section.content, 3)).map(|program| html! {
                    <article class="site__card">
                        <h3>{ &program.title }</h3>
                        <p>{ program.summary.clone().unwrap_or_default() }</p>
                        <small>{ match program.cohorts.iter().find(|cohort| cohort.accepting_applications) {
                            Some(cohort) => format!("Applications open: {}", cohort.name),
                            None => match program.cohorts.len() {
                                0 => "No cohort scheduled yet".to_owned(),
                                1 => "1 cohort".to_owned(),
                                many => format!("{many} cohorts"),
                            },
                        } }</small>
                    </article>
                }) }
            </div>
        },
        "upcoming_events" => html! {
            <ul class="site__list">
                { for preview.upcoming_events.iter().take(limit(&section.content, 4)).map(|event| html! {
                    <li><strong>{ &event.title }</strong>
                        { format!(" — {}, {}", event.starts_at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M"), event.location) }</li>
                }) }
            </ul>
        },
        "featured_students" => html! {
            <div class="site__cards">
                { for preview.featured_students.iter().take(limit(&section.content, 4)).map(|student| html! {
                    <article class="site__card"><h3>{ &student.full_name }</h3><p>{ student.bio.clone().unwrap_or_default() }</p></article>
                }) }
            </div>
        },
        "managers" => html! {
            <div class="site__cards">
                { for preview.managers.iter().map(|manager| html! {
                    <article class="site__card"><h3>{ &manager.full_name }</h3><p>{ manager.job_title.clone().unwrap_or_default() }</p></article>
                }) }
            </div>
        },
        _ => html! {
            <div>
                if let Some(text) = text(&section.content, "text") { <p>{ text }</p> }
                { button(&section.content) }
            </div>
        },
    };
    html! {
        <section class="site__section" data-key={section.key.clone()}>
            if section.key != "hero" && !title.is_empty() { <h2>{ title }</h2> }
            { body }
        </section>
    }
}

#[function_component(Preview)]
pub fn preview() -> Html {
    let loaded = use_state(|| None::<Result<WebsitePreview, ApiError>>);
    {
        let loaded = loaded.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                loaded.set(Some(ipc::shell::<desktop::PreviewWebsite>(&NoRequest {}).await));
            });
        });
    }
    let preview = match &*loaded {
        None => {
            return html! { <div class="panel--loading" aria-busy="true">{ "Rendering the home page…" }</div> }
        }
        Some(Err(error)) => return alert(error),
        Some(Ok(preview)) => preview,
    };
    // The website's colors, scoped to the preview: global and web tokens.
    let style: String =
        preview.site.theme.iter().map(|token| format!("{}: {};", token.key, token.value)).collect();
    html! {
        <div class="site" style={style} data-testid="preview" aria-label="Website preview">
            <header class="site__header">
                <strong data-testid="preview-site-name">{ &preview.site.site_name }</strong>
                <nav>{ "Programs · Events · About · Contact" }</nav>
            </header>
            if preview.home.sections.is_empty() {
                <p class="muted site__section">{ "No section of the home page is shown." }</p>
            }
            { for preview.home.sections.iter().map(|home_section| section(preview, home_section)) }
            <footer class="site__footer">
                <span>{ preview.site.contact.address.clone().unwrap_or_default() }</span>
                <span>{ preview.site.contact.phone.clone().unwrap_or_default() }</span>
                <span>{ preview.site.contact.email.clone().unwrap_or_default() }</span>
                { for preview.site.social_links.keys().map(|network| html! { <span class="site__social">{ network }</span> }) }
            </footer>
        </div>
    }
}
