//! Admin → Website: everything the public site shows, edited here — settings, theme,
//! pages, home sections — and a preview built from what the public API serves.

mod home;
mod pages;
mod preview;
mod settings;
mod theme;

use crate::components::tabs::Tabs;
use yew::prelude::*;

#[function_component(Website)]
pub fn website() -> Html {
    let tab = use_state(|| AttrValue::Static("settings"));
    let tabs = vec![
        (AttrValue::Static("settings"), AttrValue::Static("Settings")),
        (AttrValue::Static("theme"), AttrValue::Static("Theme")),
        (AttrValue::Static("pages"), AttrValue::Static("Pages")),
        (AttrValue::Static("home"), AttrValue::Static("Home page")),
        (AttrValue::Static("preview"), AttrValue::Static("Preview")),
    ];
    let on_select = {
        let tab = tab.clone();
        Callback::from(move |key: AttrValue| tab.set(key))
    };
    let panel = match tab.as_str() {
        "theme" => html! { <theme::ThemeEditor /> },
        "pages" => html! { <pages::PagesEditor /> },
        "home" => html! { <home::HomeSections /> },
        "preview" => html! { <preview::Preview /> },
        _ => html! { <settings::SiteSettingsForm /> },
    };
    html! {
        <>
            <h1>{ "Website" }</h1>
            <p class="content__lead">{ "What the school's website shows. Changes are live on the website at once." }</p>
            <div class="website">
                <Tabs label="Website sections" {tabs} selected={(*tab).clone()} {on_select}>{ panel }</Tabs>
            </div>
        </>
    }
}
