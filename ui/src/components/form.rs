//! Form parts: labelled inputs with their inline error, checkboxes, selects, and the
//! mapping of a refusal from hub-core onto the field it names.

use hub_model::ApiError;
use std::collections::BTreeMap;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// "wrong password" → "Wrong password."
pub fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut text: String =
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// What a form shows after a refusal: a message under each field it concerns, and one
/// above the buttons for the rest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    fields: BTreeMap<String, String>,
    pub general: Option<String>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }

    pub fn first_field(&self) -> Option<&str> {
        self.fields.keys().next().map(String::as_str)
    }

    /// A problem found before asking the core.
    pub fn add(&mut self, name: &str, message: &str) {
        self.fields.insert(name.to_owned(), message.to_owned());
    }

    /// An empty required field.
    pub fn require(&mut self, name: &str, value: &str, message: &str) {
        if value.trim().is_empty() {
            self.add(name, message);
        }
    }

    /// Shows a refusal in a form: under its field (focused) when the form `shows` it, else
    /// above the buttons.
    pub fn show(problems: &UseStateHandle<Self>, error: &ApiError, shows: &[&str]) {
        let found = Self::from_api(error, shows);
        if let Some(field) = found.first_field() {
            focus_id(field);
        }
        problems.set(found);
    }

    /// Places a refusal from the core: under its field when the form `shows` that field,
    /// otherwise above the buttons (with the field named, so it still says what to fix).
    pub fn from_api(error: &ApiError, shows: &[&str]) -> Self {
        let mut problems = Self::default();
        match error.field.as_deref() {
            Some(field) if shows.contains(&field) => {
                let message = error.message.strip_prefix(&format!("{field}: ")).unwrap_or(&error.message);
                problems.fields.insert(field.to_owned(), sentence(message));
            }
            _ => problems.general = Some(sentence(&error.message)),
        }
        problems
    }
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub disabled: bool,
    #[prop_or_default]
    pub node_ref: NodeRef,
    /// A multi-line text area instead of a one-line input.
    #[prop_or_default]
    pub multiline: bool,
}

/// A labelled input; its error (if any) sits under it and is announced with it.
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let error_id = format!("{}-error", props.id);
    let hint_id = format!("{}-hint", props.id);
    let described = match (&props.error, &props.hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    let invalid = props.error.is_some().to_string();
    let input = if props.multiline {
        let oninput = props
            .oninput
            .reform(|event: InputEvent| event.target_unchecked_into::<HtmlTextAreaElement>().value());
        html! {
            <textarea id={&props.id} name={&props.id} value={&props.value} {oninput} rows="4"
                ref={&props.node_ref} required={props.required} disabled={props.disabled}
                placeholder={props.placeholder.clone()} aria-invalid={invalid} aria-describedby={described} />
        }
    } else {
        let oninput = props
            .oninput
            .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
        html! {
            <input id={&props.id} name={&props.id} type={&props.input_type} value={&props.value} {oninput}
                ref={&props.node_ref} required={props.required} disabled={props.disabled}
                autocomplete={props.autocomplete.clone()} placeholder={props.placeholder.clone()}
                aria-invalid={invalid} aria-describedby={described} />
        }
    };
    html! {
        <div class="field">
            <label for={&props.id}>
                { &props.label }
                if props.required { <span class="field__required" aria-hidden="true">{ " *" }</span> }
            </label>
            { input }
            if let Some(error) = &props.error {
                <div class="field__error" id={error_id}>{ error }</div>
            } else if let Some(hint) = &props.hint {
                <div class="field__hint" id={hint_id}>{ hint }</div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub checked: bool,
    pub onchange: Callback<bool>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub disabled: bool,
}

/// A checkbox shown as a switch, with its label on the right.
#[function_component(Checkbox)]
pub fn checkbox(props: &CheckboxProps) -> Html {
    let onchange =
        props.onchange.reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());
    html! {
        <div class="check">
            <input id={&props.id} type="checkbox" role="switch" checked={props.checked} {onchange}
                disabled={props.disabled} />
            <label for={&props.id}>
                <span class="check__label">{ &props.label }</span>
                if let Some(hint) = &props.hint { <span class="check__hint">{ hint }</span> }
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// `(value, label)` pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub error: Option<String>,
}

#[function_component(Select)]
pub fn select(props: &SelectProps) -> Html {
    let onchange =
        props.onchange.reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let error_id = format!("{}-error", props.id);
    html! {
        <div class="field">
            <label for={&props.id}>{ &props.label }</label>
            <select id={&props.id} {onchange} aria-invalid={props.error.is_some().to_string()}
                aria-describedby={props.error.as_ref().map(|_| error_id.clone())}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value} selected={*value == props.value}>{ label }</option>
                }) }
            </select>
            if let Some(error) = &props.error {
                <div class="field__error" id={error_id}>{ error }</div>
            }
        </div>
    }
}

/// A callback that changes one part of a form's state: `edit(&form, |form, name| form.name = name)`.
pub fn edit<T: Clone + 'static, V: 'static>(state: &UseStateHandle<T>, update: fn(&mut T, V)) -> Callback<V> {
    let state = state.clone();
    Callback::from(move |value: V| {
        let mut next = (*state).clone();
        update(&mut next, value);
        state.set(next);
    })
}

/// The app's name and mark, atop the sign-in and connection screens.
pub fn brand() -> Html {
    html! {
        <div class="login__brand">
            <div class="login__logo" aria-hidden="true">
                { for (0..9).map(|_| html! { <span></span> }) }
            </div>
            <span class="login__name">{ "Digital Hub" }</span>
        </div>
    }
}

/// `Some(text)` unless it is blank: optional fields send nothing rather than "".
pub fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Focuses (and selects) an input, e.g. the first field of a form, or the one in error.
pub fn focus(node: &NodeRef) {
    if let Some(input) = node.cast::<HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}

/// Focuses the field named `id` in the page, e.g. the one a refusal is about, and brings
/// it to the middle of its scroll area (clear of a sticky row of buttons).
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// Sends a form's request: the form is busy (`saving`) meanwhile; refused, the problem shows
/// under the field it names when the form `shows` it; done, `done` gets the answer.
pub fn send<O: hub_model::Operation>(
    request: O::Request,
    problems: &UseStateHandle<Problems>,
    saving: &UseStateHandle<bool>,
    shows: &'static [&'static str],
    done: impl FnOnce(O::Response) + 'static,
) where
    O::Request: 'static,
{
    let (problems, saving) = (problems.clone(), saving.clone());
    saving.set(true);
    yew::platform::spawn_local(async move {
        match crate::ipc::call::<O>(&request).await {
            Ok(answer) => {
                problems.set(Problems::default());
                done(answer);
            }
            Err(error) => Problems::show(&problems, &error, shows),
        }
        saving.set(false);
    });
}

/// A dialog form's buttons: Cancel, and the one that saves ("Saving…" while it does).
pub fn dialog_buttons(
    on_close: &Callback<()>,
    submit: &Callback<()>,
    saving: bool,
    testid: &'static str,
    label: &str,
) -> Html {
    html! {
        <>
            <button class="button button--quiet" onclick={on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid={testid} disabled={saving}
                onclick={submit.reform(|_: MouseEvent| ())}>{ if saving { "Saving…".to_owned() } else { label.to_owned() } }</button>
        </>
    }
}
