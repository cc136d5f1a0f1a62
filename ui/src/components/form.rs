//! Form parts: labelled inputs with their inline error, checkboxes, selects, and the
//! mapping of a refusal from hub-core onto the field it names.

use hub_model::choices::Choice;
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

/// A refusal shown where the answer would have been.
pub fn alert(error: &ApiError) -> Html {
    html! { <p class="alert" role="alert">{ sentence(&error.message) }</p> }
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

/// A [`Select`]'s options for every value of a closed set, labelled as people read them.
pub fn choice_options<C: Choice>() -> Vec<(AttrValue, AttrValue)> {
    C::all()
        .iter()
        .map(|choice| (AttrValue::Static(choice.as_str()), AttrValue::Static(choice.label())))
        .collect()
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

/// A form's whole state: what is typed, what is wrong with it, and whether it is being sent.
#[derive(Clone, PartialEq)]
pub struct FormState<T> {
    pub value: T,
    pub problems: Problems,
    pub saving: bool,
}

pub enum FormAction<T> {
    /// A field changed.
    Edit(Box<dyn FnOnce(&mut T)>),
    /// Found wrong here, or refused by the core.
    Refused(Problems),
    Sending,
    /// Taken: its problems go, and `value` replaces what is typed when given.
    Sent(Option<T>),
}

impl<T: Clone> Reducible for FormState<T> {
    type Action = FormAction<T>;

    fn reduce(self: std::rc::Rc<Self>, action: FormAction<T>) -> std::rc::Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FormAction::Edit(update) => update(&mut next.value),
            FormAction::Refused(problems) => {
                next.problems = problems;
                next.saving = false;
            }
            FormAction::Sending => next.saving = true,
            FormAction::Sent(value) => {
                next.problems = Problems::default();
                next.saving = false;
                if let Some(value) = value {
                    next.value = value;
                }
            }
        }
        next.into()
    }
}

/// A form on screen ([`use_form`]): derefs to what is typed; its problems and whether it
/// is being sent are asked by name.
pub struct Form<T: Clone + 'static> {
    state: UseReducerHandle<FormState<T>>,
}

impl<T: Clone> Clone for Form<T> {
    fn clone(&self) -> Self {
        Self { state: self.state.clone() }
    }
}

impl<T: Clone + PartialEq> PartialEq for Form<T> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl<T: Clone> std::ops::Deref for Form<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.state.value
    }
}

impl<T: Clone + 'static> Form<T> {
    /// What is wrong with it: found here, or said by the core.
    pub fn problems(&self) -> &Problems {
        &self.state.problems
    }

    /// Whether it is being sent (its button says so and waits).
    pub fn saving(&self) -> bool {
        self.state.saving
    }

    /// A callback that changes one part of what is typed: `form.field(|form, name| form.name = name)`.
    pub fn field<V: 'static>(&self, update: fn(&mut T, V)) -> Callback<V> {
        let state = self.state.clone();
        Callback::from(move |value: V| {
            state.dispatch(FormAction::Edit(Box::new(move |form| update(form, value))));
        })
    }

    /// Changes what is typed from outside a field (a part of the form answered anew).
    pub fn edit(&self, update: impl FnOnce(&mut T) + 'static) {
        self.state.dispatch(FormAction::Edit(Box::new(update)));
    }

    /// Shows what was found wrong before sending, its first field focused.
    pub fn refuse(&self, problems: Problems) {
        if let Some(field) = problems.first_field() {
            focus_id(field);
        }
        self.state.dispatch(FormAction::Refused(problems));
    }

    /// Sends the form by `work`, unless it is being sent: a refusal is shown under the field
    /// it names when the form `shows` that field, else above the buttons; `done` gets the
    /// answer and may say what the form holds next.
    pub fn send<R: 'static>(
        &self,
        shows: &'static [&'static str],
        work: impl std::future::Future<Output = Result<R, ApiError>> + 'static,
        done: impl FnOnce(R) -> Option<T> + 'static,
    ) {
        if self.saving() {
            return;
        }
        let form = self.clone();
        self.state.dispatch(FormAction::Sending);
        yew::platform::spawn_local(async move {
            match work.await {
                Ok(answer) => {
                    let next = done(answer);
                    form.state.dispatch(FormAction::Sent(next));
                }
                Err(error) => form.refuse(Problems::from_api(&error, shows)),
            }
        });
    }

    /// Sends the form as operation `O` with `request` ([`Form::send`]); what is typed stays.
    pub fn call<O: hub_model::Operation + 'static>(
        &self,
        request: O::Request,
        shows: &'static [&'static str],
        done: impl FnOnce(O::Response) + 'static,
    ) where
        O::Request: 'static,
    {
        self.send(shows, async move { crate::ipc::call::<O>(&request).await }, move |answer| {
            done(answer);
            None
        });
    }
}

/// A form's state, starting from `initial`.
#[hook]
pub fn use_form<T: Clone + 'static>(initial: impl FnOnce() -> T) -> Form<T> {
    Form {
        state: use_reducer(move || FormState {
            value: initial(),
            problems: Problems::default(),
            saving: false,
        }),
    }
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
