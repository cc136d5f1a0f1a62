//! The website as a visitor will see it: the hub server writes the page from what is being
//! edited (`website.preview`, the site's own templates and stylesheet), and it is shown in a
//! sandboxed frame at a phone's width or a laptop's, written again a moment after each
//! change. Nothing is saved by previewing.

use crate::components::form::alert;
use crate::components::image::media_origin;
use crate::ipc;
use hub_model::cms::{HomeSectionRow, PreviewRequest};
use hub_model::ops::{ListSections, PreviewSite};
use hub_model::public::HomeSection;
use hub_model::{ApiError, NoRequest};
use std::time::Duration;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// How long typing must pause before the page is written again.
const PAUSE: Duration = Duration::from_millis(350);

/// The widths a visitor's screen may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Phone,
    Laptop,
}

impl Screen {
    /// Its width and height in CSS pixels.
    fn size(self) -> (u32, u32) {
        match self {
            Self::Phone => (390, 844),
            Self::Laptop => (1280, 800),
        }
    }
}

/// The home page as `rows` make it: the shown sections in their order, and the one being
/// edited (`editing`, as typed) in its place even while it is hidden.
pub fn home_request(rows: &[HomeSectionRow], mut editing: Option<(i64, HomeSection)>) -> PreviewRequest {
    let sections = rows
        .iter()
        .filter_map(|row| match editing.take_if(|(id, _)| *id == row.id) {
            Some((_, draft)) => Some(draft),
            None => row.is_enabled.then(|| HomeSection {
                key: row.key.clone(),
                title: row.title.clone(),
                content: row.content.clone(),
            }),
        })
        .collect();
    PreviewRequest::Home { sections }
}

/// The page written by the hub, ready for the frame: its images loaded through the app,
/// its links and forms inert (a preview goes nowhere).
fn framed(html: &str) -> String {
    let head = format!(
        "<head><base href=\"{}/\"><style>a, button, input, select, textarea, label {{ pointer-events: none; }}</style>",
        media_origin()
    );
    html.replacen("<head>", &head, 1)
}

#[derive(Properties, PartialEq)]
pub struct SitePreviewProps {
    /// What to write; `None` while the edit cannot be read (the last page stays).
    pub request: Option<PreviewRequest>,
}

#[function_component(SitePreview)]
pub fn site_preview(props: &SitePreviewProps) -> Html {
    let screen = use_state(|| Screen::Phone);
    let written = use_state(|| None::<Result<String, ApiError>>);
    let writing = use_state(|| false);
    // Only the newest request's answer is shown, however the answers arrive.
    let latest = use_mut_ref(|| 0u64);
    {
        let (written, writing, latest) = (written.clone(), writing.clone(), latest.clone());
        use_effect_with(props.request.clone(), move |request| {
            if let Some(request) = request.clone() {
                let mine = *latest.borrow() + 1;
                *latest.borrow_mut() = mine;
                writing.set(true);
                spawn_local(async move {
                    sleep(PAUSE).await;
                    if *latest.borrow() != mine {
                        return;
                    }
                    let answer = ipc::call::<PreviewSite>(&request).await.map(|preview| preview.html);
                    if *latest.borrow() == mine {
                        writing.set(false);
                        written.set(Some(answer));
                    }
                });
            }
        });
    }
    let holder = use_node_ref();
    let available = use_state(|| 0i32);
    {
        let (holder, available) = (holder.clone(), available.clone());
        use_effect(move || {
            let width = holder.cast::<web_sys::Element>().map_or(0, |element| element.client_width());
            if width != *available {
                available.set(width);
            }
        });
    }
    let (width, height) = screen.size();
    // A laptop's page is drawn at its own width and shrunk to fit the column.
    let scale = if *available > 0 { (f64::from(*available) / f64::from(width)).min(1.0) } else { 1.0 };
    let frame_style =
        format!("width: {width}px; height: {height}px; transform: scale({scale:.4}); transform-origin: 0 0;");
    let holder_style = format!("height: {:.0}px;", f64::from(height) * scale);
    let choose = |chosen: Screen| {
        let screen = screen.clone();
        Callback::from(move |_: MouseEvent| screen.set(chosen))
    };
    let screen_button = |chosen: Screen, label: &'static str, testid: &'static str| {
        html! {
            <button type="button" class="button button--quiet button--small preview__screen" aria-pressed={(*screen == chosen).to_string()}
                onclick={choose(chosen)} data-testid={testid}>{ label }</button>
        }
    };
    html! {
        <section class="preview" aria-label="Preview of the website" data-testid="site-preview"
            aria-busy={writing.to_string()}>
            <div class="preview__bar">
                <span class="preview__title">{ "Preview" }</span>
                <span class="preview__state muted" aria-live="polite">
                    { if *writing { "Updating…" } else { "As visitors will see it" } }
                </span>
                <span class="preview__screens" role="group" aria-label="Screen">
                    { screen_button(Screen::Phone, "Phone", "preview-phone") }
                    { screen_button(Screen::Laptop, "Laptop", "preview-laptop") }
                </span>
            </div>
            <div class="preview__holder" ref={holder} style={holder_style}>
                { match &*written {
                    None => html! { <p class="muted preview__empty">{ "Writing the page…" }</p> },
                    Some(Err(error)) => alert(error),
                    Some(Ok(html)) => html! {
                        <iframe class="preview__frame" title="The page as a visitor sees it" sandbox=""
                            srcdoc={framed(html)} style={frame_style} data-screen={if *screen == Screen::Phone { "phone" } else { "laptop" }} />
                    },
                } }
            </div>
        </section>
    }
}

/// Website → Preview: the home page as saved, as the site shows it now.
#[function_component(Preview)]
pub fn preview() -> Html {
    let rows = use_state(|| None::<Result<Vec<HomeSectionRow>, ApiError>>);
    {
        let rows = rows.clone();
        use_effect_with((), move |()| {
            spawn_local(async move { rows.set(Some(ipc::call::<ListSections>(&NoRequest {}).await)) });
        });
    }
    match &*rows {
        None => html! { <div class="panel--loading" aria-busy="true">{ "Loading the home page…" }</div> },
        Some(Err(error)) => alert(error),
        Some(Ok(rows)) => html! { <SitePreview request={Some(home_request(rows, None))} /> },
    }
}
