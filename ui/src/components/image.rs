//! The hub's images in the window: a person's avatar (their photo, or their initials), and
//! a field that uploads an image to the hub and holds its address. Images the hub keeps
//! (`/media/…`) are loaded through the desktop shell (`src-tauri/src/media.rs`), which
//! reaches the hub as every operation does; a web address is shown as it is.

use crate::components::form::{sentence, Problems};
use crate::ipc;
use base64::Engine as _;
use hub_model::media::{ImageUpload, MediaPath, AVATAR_WIDTH, MAX_UPLOAD_BYTES, WIDTHS};
use hub_model::ops::UploadImage;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Where the window asks the desktop shell for the hub's images: WebView2 (Windows) serves
/// an app's own schemes as `http://{scheme}.localhost`, the others as `{scheme}://localhost`.
pub fn media_origin() -> &'static str {
    let windows = web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .is_some_and(|agent| agent.contains("Windows"));
    if windows {
        "http://hubmedia.localhost"
    } else {
        "hubmedia://localhost"
    }
}

/// Where the window loads `url` from, at `width` when the hub keeps it at widths.
pub fn source(url: &str, width: u32) -> String {
    let url = url.trim();
    match MediaPath::parse(url) {
        Some(path) => format!("{}{}", media_origin(), path.at(width)),
        None => url.to_owned(),
    }
}

/// What a name is shown as without a photo: its first two initials.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct AvatarProps {
    pub name: AttrValue,
    pub url: Option<String>,
    /// The profile's size instead of a list's.
    #[prop_or_default]
    pub large: bool,
}

/// A person's photo in a circle, or their initials where they have none (or it cannot be
/// loaded). Decorative: the name is always written beside it.
#[function_component(Avatar)]
pub fn avatar(props: &AvatarProps) -> Html {
    let broken = use_state(|| false);
    let class = classes!("avatar", props.large.then_some("avatar--large"));
    let url = props.url.as_deref().map(str::trim).filter(|url| !url.is_empty() && !*broken);
    match url {
        Some(url) => {
            let width = if props.large { WIDTHS[1] } else { AVATAR_WIDTH };
            let onerror = {
                let broken = broken.clone();
                Callback::from(move |_: Event| broken.set(true))
            };
            html! { <img {class} src={source(url, width)} alt="" {onerror} loading="lazy" /> }
        }
        None => html! { <span {class} aria-hidden="true">{ initials(&props.name) }</span> },
    }
}

#[derive(Properties, PartialEq)]
pub struct PersonProps {
    pub name: String,
    pub url: Option<String>,
}

/// A person as lists name them: their photo (or initials), then their name.
#[function_component(Person)]
pub fn person(props: &PersonProps) -> Html {
    html! {
        <span class="person">
            <Avatar name={props.name.clone()} url={props.url.clone()} />
            { &props.name }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct ImageFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The image's address (`/media/…` or a web address), or none.
    pub value: Option<String>,
    pub on_change: Callback<Option<String>>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Shown as a round avatar rather than a picture.
    #[prop_or_default]
    pub round: bool,
}

/// Reads the file chosen in `input`: its name and bytes, or why not.
async fn chosen_file(input: &HtmlInputElement) -> Result<Option<(String, Vec<u8>)>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return Ok(None) };
    if file.size() > MAX_UPLOAD_BYTES as f64 {
        return Err(format!(
            "That file is larger than {} MB; choose a smaller image.",
            MAX_UPLOAD_BYTES / (1024 * 1024)
        ));
    }
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| "The file could not be read.".to_owned())?;
    Ok(Some((file.name(), js_sys::Uint8Array::new(&buffer).to_vec())))
}

/// An image chosen from the computer, uploaded to the hub at once, and shown; "Remove" clears
/// it. The form it sits in saves the address with the rest.
#[function_component(ImageField)]
pub fn image_field(props: &ImageFieldProps) -> Html {
    let uploading = use_state(|| false);
    let failure = use_state(|| None::<String>);
    let input = use_node_ref();
    let onchange = {
        let (uploading, failure, on_change, input) =
            (uploading.clone(), failure.clone(), props.on_change.clone(), input.clone());
        Callback::from(move |_: Event| {
            let Some(element) = input.cast::<HtmlInputElement>() else { return };
            let (uploading, failure, on_change) = (uploading.clone(), failure.clone(), on_change.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let chosen = chosen_file(&element).await;
                element.set_value("");
                let (file_name, bytes) = match chosen {
                    Ok(Some(file)) => file,
                    Ok(None) => return,
                    Err(message) => return failure.set(Some(message)),
                };
                uploading.set(true);
                failure.set(None);
                let upload = ImageUpload {
                    file_name,
                    content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                };
                let answer = ipc::call::<UploadImage>(&upload).await;
                uploading.set(false);
                match answer {
                    Ok(media) => on_change.emit(Some(media.url)),
                    // The file's refusal names the request's field; beside this field it
                    // needs no name.
                    Err(error) => failure.set(
                        Problems::from_api(&error, &["content_base64"])
                            .field("content_base64")
                            .or_else(|| Some(sentence(&error.message))),
                    ),
                }
            });
        })
    };
    let remove = props.on_change.reform(|_: MouseEvent| None);
    let error = (*failure).clone().or_else(|| props.error.clone());
    let (error_id, hint_id) = (format!("{}-error", props.id), format!("{}-hint", props.id));
    let described =
        if error.is_some() { Some(error_id.clone()) } else { props.hint.as_ref().map(|_| hint_id.clone()) };
    let value = props.value.as_deref().map(str::trim).filter(|value| !value.is_empty());
    let preview = match value {
        Some(url) if props.round => {
            html! { <img class="avatar avatar--large" src={source(url, WIDTHS[1])} alt="" /> }
        }
        Some(url) => html! { <img class="image-field__picture" src={source(url, WIDTHS[1])} alt="" /> },
        None => html! { <span class="image-field__empty" aria-hidden="true">{ "No image" }</span> },
    };
    html! {
        <div class="field image-field" data-testid={format!("{}-field", props.id)}>
            <span class="field__label" id={format!("{}-label", props.id)}>{ &props.label }</span>
            <div class="image-field__row">
                { preview }
                <div class="image-field__actions">
                    // The input itself is hidden but focusable: the label after it is what
                    // one sees and clicks, outlined while the input has the keyboard.
                    <input id={&props.id} name={&props.id} type="file" class="visually-hidden" ref={input}
                        accept="image/jpeg,image/png,image/webp" {onchange} disabled={*uploading}
                        aria-labelledby={format!("{}-label", props.id)} aria-invalid={error.is_some().to_string()}
                        aria-describedby={described} />
                    <label class="button button--quiet" for={&props.id} aria-hidden="true">
                        { if *uploading { "Uploading…" } else if value.is_some() { "Replace image…" } else { "Upload image…" } }
                    </label>
                    if value.is_some() && !*uploading {
                        <button type="button" class="button button--danger-quiet" onclick={remove}
                            data-testid={format!("{}-remove", props.id)}>{ "Remove" }</button>
                    }
                </div>
            </div>
            if let Some(error) = error {
                <div class="field__error" id={error_id} role="alert">{ error }</div>
            } else if let Some(hint) = &props.hint {
                <div class="field__hint" id={hint_id}>{ hint }</div>
            }
        </div>
    }
}
