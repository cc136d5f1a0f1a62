//! Admin → Forms: the website's forms (applying to a cohort, contacting the hub) and their
//! fields: added, edited, reordered, hidden or removed, with a live preview of the form as
//! a visitor sees it, whose "Check" gives the refusals the website would.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{
    alert, choice_options, dialog_buttons, optional, use_form, Checkbox, Problems, Select, TextField,
};
use crate::components::toast::use_toast;
use crate::components::when;
use crate::ipc;
use hub_model::cms::IdRequest;
use hub_model::forms::{
    check_answers, options_of, FieldType, FormDetail, FormFieldRow, ReorderFieldsRequest, SaveFieldRequest,
    SaveFormRequest,
};
use hub_model::{ops, NoRequest};
use serde_json::{Map, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Open {
    Nothing,
    NewForm,
    EditForm,
    Field(Option<FormFieldRow>),
    DeleteField(FormFieldRow),
}

#[function_component(Forms)]
pub fn forms() -> Html {
    let toast = use_toast();
    let forms = ipc::use_call::<ops::ListForms>(NoRequest {});
    let chosen = use_state(|| None::<i64>);
    let open = use_state(|| Open::Nothing);
    // The first form is shown until the admin picks another.
    let shown_id = (*chosen).or_else(|| {
        let found = forms.ok()?;
        found.iter().find(|form| form.key == "cohort_application").or(found.first()).map(|form| form.id)
    });
    let detail = ipc::use_call_for::<ops::GetForm>(shown_id.map(|id| IdRequest { id }));
    // A change to the shown form's fields; its answer is the form as it now is.
    let changing = ipc::use_change();
    let show = |next: Open| {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(next.clone()))
    };
    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(Open::Nothing))
    };
    let saved = {
        let (detail, chosen, reload_forms) = (detail.clone(), chosen.clone(), forms.reload());
        Callback::from(move |form: FormDetail| {
            chosen.set(Some(form.form.id));
            detail.set(form);
            reload_forms.emit(());
        })
    };
    let on_pick = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            chosen.set(event.target_unchecked_into::<HtmlSelectElement>().value().parse().ok());
        })
    };

    let form = match (&*forms, &*detail) {
        (_, Some(Ok(form))) => form.clone(),
        (Some(Err(error)), _) | (_, Some(Err(error))) => {
            return html! { <><h1>{ "Forms" }</h1>{ alert(error) }</> };
        }
        (Some(Ok(found)), None) if found.is_empty() => {
            return html! {
                <>
                    <h1>{ "Forms" }</h1>
                    <p class="muted">{ "No form yet." }</p>
                    <button class="button button--primary button--inline" onclick={show(Open::NewForm)} data-testid="new-form">{ "+ New form" }</button>
                    if *open == Open::NewForm {
                        <FormEditor form={None::<FormDetail>} on_close={close} on_saved={saved} />
                    }
                </>
            };
        }
        _ => {
            return html! { <><h1>{ "Forms" }</h1><p class="muted" aria-busy="true">{ "Loading the forms…" }</p></> }
        }
    };
    let ids: Vec<i64> = form.fields.iter().map(|field| field.id).collect();
    let move_field = |index: usize, up: bool| {
        let (changing, saved, form_id) = (changing.clone(), saved.clone(), form.form.id);
        let order = ids.clone();
        let target =
            if up { index.checked_sub(1) } else { Some(index + 1).filter(|next| *next < order.len()) };
        Callback::from(move |_: MouseEvent| {
            let Some(target) = target else { return };
            let mut order = order.clone();
            order.swap(index, target);
            let request = ReorderFieldsRequest { form_id, ids: order };
            let saved = saved.clone();
            changing.call::<ops::ReorderFields>(request, move |form| saved.emit(form));
        })
    };
    let toggle_enabled = |field: &FormFieldRow| {
        let (changing, saved) = (changing.clone(), saved.clone());
        let mut request = save_request(form.form.id, field);
        request.is_enabled = !field.is_enabled;
        Callback::from(move |_: Event| {
            let saved = saved.clone();
            changing.call::<ops::SaveField>(request.clone(), move |form| saved.emit(form));
        })
    };
    let confirm_delete = {
        let (changing, saved, open, toast) = (changing.clone(), saved.clone(), open.clone(), toast.clone());
        Callback::from(move |()| {
            let Open::DeleteField(field) = (*open).clone() else { return };
            toast.success(format!("“{}” is removed.", field.label));
            open.set(Open::Nothing);
            let saved = saved.clone();
            changing.call::<ops::DeleteField>(IdRequest { id: field.id }, move |form| saved.emit(form));
        })
    };
    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Forms" }</h1>
                    <p class="content__lead">{ "The website's forms and the questions they ask. Changes show on the website at once." }</p>
                </div>
                <button class="button button--quiet" onclick={show(Open::NewForm)} data-testid="new-form">{ "+ New form" }</button>
            </div>
            <div class="toolbar">
                <select aria-label="Form" onchange={on_pick} data-testid="form-picker">
                    { for forms.as_ref().and_then(|found| found.as_ref().ok()).into_iter().flatten().map(|summary| html! {
                        <option value={summary.id.to_string()} selected={summary.id == form.form.id}>
                            { format!("{} ({})", summary.title.clone().unwrap_or_else(|| summary.key.clone()), summary.key) }
                        </option>
                    }) }
                </select>
                <span class="badges">
                    if form.form.is_active { <Badge text="Active" tone={BadgeTone::Success} /> }
                    else { <Badge text="Inactive" tone={BadgeTone::Danger} /> }
                </span>
                <span class="muted table__small">{ format!("Changed {}", when::date_time(form.form.updated_at)) }</span>
                <button class="button button--quiet button--small" onclick={show(Open::EditForm)}>{ "Edit details" }</button>
            </div>
            if let Some(error) = changing.problem() { { alert(error) } }
            <div class="page-columns page-columns--tight">
                <section class="panel" aria-labelledby="fields-title">
                    <div class="feed__header">
                        <h2 id="fields-title">{ format!("Fields ({})", form.fields.len()) }</h2>
                        <button class="button button--primary button--inline button--small" onclick={show(Open::Field(None))}
                            data-testid="add-field">{ "+ Add field" }</button>
                    </div>
                    if form.fields.is_empty() {
                        <p class="muted">{ "No field yet: add the first question." }</p>
                    }
                    <ul class="fields" data-testid="form-fields">
                        { for form.fields.iter().enumerate().map(|(index, field)| html! {
                            <li class={classes!("fields__item", (!field.is_enabled).then_some("fields__item--off"))} key={field.id}>
                                <span class="fields__order">
                                    <button class="icon-button" disabled={index == 0 || changing.busy()} onclick={move_field(index, true)}
                                        aria-label={format!("Move {} up", field.label)}>{ "↑" }</button>
                                    <button class="icon-button" disabled={index + 1 == form.fields.len() || changing.busy()} onclick={move_field(index, false)}
                                        aria-label={format!("Move {} down", field.label)}>{ "↓" }</button>
                                </span>
                                <span class="fields__main">
                                    <button class="link-button table__strong" onclick={show(Open::Field(Some(field.clone())))}
                                        aria-label={format!("Edit {}", field.label)}>{ &field.label }</button>
                                    <span class="muted table__small">
                                        { format!("{} · {}{}", field.name, field.field_type.label(), if field.required { " · required" } else { "" }) }
                                    </span>
                                </span>
                                <label class="fields__toggle" title="Shown on the website">
                                    <input type="checkbox" role="switch" checked={field.is_enabled} onchange={toggle_enabled(field)}
                                        aria-label={format!("Show {}", field.label)} disabled={changing.busy()} />
                                </label>
                                <button class="button button--quiet button--small" onclick={show(Open::DeleteField(field.clone()))}
                                    aria-label={format!("Remove {}", field.label)}>{ "Remove" }</button>
                            </li>
                        }) }
                    </ul>
                </section>
                <Preview fields={form.fields.clone()} title={form.form.title.clone()} description={form.form.description.clone()} />
            </div>
            { match &*open {
                Open::Nothing => html! {},
                Open::NewForm => html! { <FormEditor form={None::<FormDetail>} on_close={close.clone()} on_saved={saved.clone()} /> },
                Open::EditForm => html! { <FormEditor form={Some(form.clone())} on_close={close.clone()} on_saved={saved.clone()} /> },
                Open::Field(field) => html! {
                    <FieldEditor form_id={form.form.id} field={field.clone()} on_close={close.clone()} on_saved={saved.clone()} />
                },
                Open::DeleteField(field) => html! {
                    <Confirm title={format!("Remove “{}”?", field.label)} danger=true busy={changing.busy()}
                        message="Visitors no longer see it. Answers already given keep it. To hide it for a while, switch it off instead."
                        confirm_label="Remove field" on_confirm={confirm_delete} on_cancel={close.clone()} />
                },
            } }
        </>
    }
}

fn save_request(form_id: i64, field: &FormFieldRow) -> SaveFieldRequest {
    SaveFieldRequest {
        id: Some(field.id),
        form_id,
        name: field.name.clone(),
        label: field.label.clone(),
        field_type: field.field_type,
        required: field.required,
        options: field.options.clone(),
        placeholder: field.placeholder.clone(),
        min_length: field.min_length,
        max_length: field.max_length,
        is_enabled: field.is_enabled,
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    fields: Vec<FormFieldRow>,
    title: Option<String>,
    description: Option<String>,
}

/// The form as a visitor sees it: the enabled fields in order; "Check" refuses what the
/// website would, with the same words.
#[function_component(Preview)]
fn preview(props: &PreviewProps) -> Html {
    let answers = use_state(Map::<String, Value>::new);
    let verdict = use_state(|| None::<Result<(), (String, String)>>);
    let fields: Vec<_> =
        props.fields.iter().filter(|field| field.is_enabled).map(FormFieldRow::as_public).collect();
    let set = |name: &str, checkbox: bool| {
        let (answers, verdict, name) = (answers.clone(), verdict.clone(), name.to_owned());
        Callback::from(move |event: Event| {
            let mut next = (*answers).clone();
            let value = if checkbox {
                Value::Bool(event.target_unchecked_into::<HtmlInputElement>().checked())
            } else {
                Value::String(event.target_unchecked_into::<HtmlInputElement>().value())
            };
            next.insert(name.clone(), value);
            answers.set(next);
            verdict.set(None);
        })
    };
    let check = {
        let (answers, verdict, fields) = (answers.clone(), verdict.clone(), fields.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let blank_free: Map<String, Value> = answers
                .iter()
                .filter(|(_, value)| **value != Value::String(String::new()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            verdict.set(Some(
                check_answers(&fields, &blank_free)
                    .map(drop)
                    .map_err(|problem| (problem.field, problem.message)),
            ));
        })
    };
    let error_of = |name: &str| match &*verdict {
        Some(Err((field, message))) if field == name => Some(crate::components::form::sentence(message)),
        _ => None,
    };
    html! {
        <section class="panel preview-form" aria-labelledby="preview-title" data-testid="form-preview">
            <p class="muted table__small">{ "Preview — as visitors see it" }</p>
            <h2 id="preview-title">{ props.title.clone().unwrap_or_else(|| "Untitled form".to_owned()) }</h2>
            if let Some(description) = &props.description { <p class="muted">{ description }</p> }
            <form onsubmit={check} novalidate=true>
                { for fields.iter().map(|field| {
                    let id = format!("preview-{}", field.name);
                    let kind = field.field_type;
                    let error = error_of(&field.name);
                    let label = html! {
                        <label for={id.clone()}>{ &field.label }
                            if field.required { <span class="field__required" aria-hidden="true">{ " *" }</span> }
                        </label>
                    };
                    let input = match kind {
                        FieldType::Textarea => html! { <textarea id={id.clone()} rows="3" placeholder={field.placeholder.clone()} onchange={set(&field.name, false)} /> },
                        FieldType::Select => html! {
                            <select id={id.clone()} onchange={set(&field.name, false)}>
                                <option value="">{ "Choose…" }</option>
                                { for options_of(field).into_iter().map(|option| html! { <option value={option.clone()}>{ option }</option> }) }
                            </select>
                        },
                        FieldType::Checkbox => html! {},
                        other => {
                            let input_type = match other {
                                FieldType::Email => "email",
                                FieldType::Phone => "tel",
                                FieldType::Date => "date",
                                FieldType::File => "url",
                                _ => "text",
                            };
                            html! { <input id={id.clone()} type={input_type} placeholder={field.placeholder.clone()} onchange={set(&field.name, false)} /> }
                        }
                    };
                    html! {
                        <div class="field" key={field.name.clone()}>
                            if kind == FieldType::Checkbox {
                                <label class="radio"><input id={id.clone()} type="checkbox" onchange={set(&field.name, true)} />{ format!(" {}", field.label) }
                                    if field.required { <span class="field__required" aria-hidden="true">{ " *" }</span> }</label>
                            } else {
                                { label }{ input }
                            }
                            if let Some(message) = error { <div class="field__error">{ message }</div> }
                        </div>
                    }
                }) }
                <div class="button-row">
                    <button class="button button--quiet" type="submit" data-testid="preview-check">{ "Check as the website would" }</button>
                    if let Some(Ok(())) = &*verdict { <span class="muted" role="status">{ "✓ These answers would be accepted." }</span> }
                </div>
            </form>
        </section>
    }
}

#[derive(Clone, Default, PartialEq)]
struct FormFields {
    key: String,
    title: String,
    description: String,
    is_active: bool,
}

#[derive(Properties, PartialEq)]
struct FormEditorProps {
    form: Option<FormDetail>,
    on_close: Callback<()>,
    on_saved: Callback<FormDetail>,
}

const FORM_FIELDS: [&str; 3] = ["key", "title", "description"];

#[function_component(FormEditor)]
fn form_editor(props: &FormEditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| match &props.form {
        Some(detail) => FormFields {
            key: detail.form.key.clone(),
            title: detail.form.title.clone().unwrap_or_default(),
            description: detail.form.description.clone().unwrap_or_default(),
            is_active: detail.form.is_active,
        },
        None => FormFields { is_active: true, ..FormFields::default() },
    });
    let text = |update: fn(&mut FormFields, String)| form.field(update);
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, on_saved, on_close) =
            (props.form.as_ref().map(|f| f.form.id), props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            let mut found = Problems::default();
            found.require("key", &form.key, "Enter the form's key, e.g. newsletter.");
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = SaveFormRequest {
                id,
                key: form.key.trim().to_owned(),
                title: optional(&form.title),
                description: optional(&form.description),
                is_active: form.is_active,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveForm>(request, &FORM_FIELDS, move |saved| {
                toast.success(format!("{} is saved.", saved.form.key));
                on_close.emit(());
                on_saved.emit(saved);
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-form", "Save form");
    html! {
        <Dialog title={if props.form.is_some() { "Form details" } else { "New form" }} on_close={&props.on_close} {footer} testid="form-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <TextField id="key" label="Key" required=true value={form.key.clone()} oninput={text(|form, value| form.key = value)}
                    error={form.problems().field("key")} hint="How the website asks for it: lower-case letters, digits and _." />
                <TextField id="title" label="Title" value={form.title.clone()} oninput={text(|form, value| form.title = value)}
                    error={form.problems().field("title")} />
                <TextField id="description" label="Description" multiline=true value={form.description.clone()}
                    oninput={text(|form, value| form.description = value)} error={form.problems().field("description")} />
                <Checkbox id="is_active" label="Active" checked={form.is_active}
                    onchange={form.field(|form: &mut FormFields, value| form.is_active = value)}
                    hint="An inactive form is not served: the website cannot show or send it." />
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}

#[derive(Clone, PartialEq)]
struct FieldForm {
    name: String,
    label: String,
    field_type: FieldType,
    required: bool,
    options: String,
    placeholder: String,
    min_length: String,
    max_length: String,
    is_enabled: bool,
}

#[derive(Properties, PartialEq)]
struct FieldEditorProps {
    form_id: i64,
    field: Option<FormFieldRow>,
    on_close: Callback<()>,
    on_saved: Callback<FormDetail>,
}

const FIELD_FIELDS: [&str; 7] =
    ["name", "label", "field_type", "options", "placeholder", "min_length", "max_length"];

#[function_component(FieldEditor)]
fn field_editor(props: &FieldEditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| match &props.field {
        Some(field) => FieldForm {
            name: field.name.clone(),
            label: field.label.clone(),
            field_type: field.field_type,
            required: field.required,
            options: field.options.join("\n"),
            placeholder: field.placeholder.clone().unwrap_or_default(),
            min_length: field.min_length.map(|n| n.to_string()).unwrap_or_default(),
            max_length: field.max_length.map(|n| n.to_string()).unwrap_or_default(),
            is_enabled: field.is_enabled,
        },
        None => FieldForm {
            name: String::new(),
            label: String::new(),
            field_type: FieldType::Text,
            required: false,
            options: String::new(),
            placeholder: String::new(),
            min_length: String::new(),
            max_length: String::new(),
            is_enabled: true,
        },
    });
    let text = |update: fn(&mut FieldForm, String)| form.field(update);
    let kind = form.field_type;
    let submit = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, form_id) = (props.field.as_ref().map(|f| f.id), props.form_id);
        let (on_saved, on_close) = (props.on_saved.clone(), props.on_close.clone());
        Callback::from(move |()| {
            let mut found = Problems::default();
            found.require("name", &form.name, "Enter the name answers carry, e.g. laptop.");
            found.require("label", &form.label, "Enter the question visitors read.");
            let mut length = |field: &str, text: &str| match text.trim() {
                "" => None,
                number => number.parse::<i32>().ok().filter(|n| *n >= 0).or_else(|| {
                    found.add(field, "Enter a number, 0 or more.");
                    None
                }),
            };
            let min_length = length("min_length", &form.min_length);
            let max_length = length("max_length", &form.max_length);
            if !found.is_empty() {
                return form.refuse(found);
            }
            let request = SaveFieldRequest {
                id,
                form_id,
                name: form.name.trim().to_owned(),
                label: form.label.trim().to_owned(),
                field_type: form.field_type,
                required: form.required,
                options: form
                    .options
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
                placeholder: optional(&form.placeholder),
                min_length,
                max_length,
                is_enabled: form.is_enabled,
            };
            let (toast, on_saved, on_close) = (toast.clone(), on_saved.clone(), on_close.clone());
            form.call::<ops::SaveField>(request, &FIELD_FIELDS, move |saved| {
                toast.success("The field is saved.");
                on_close.emit(());
                on_saved.emit(saved);
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &submit, form.saving(), "save-field", "Save field");
    html! {
        <Dialog title={if props.field.is_some() { "Edit field" } else { "New field" }} on_close={&props.on_close} {footer} wide=true testid="field-dialog">
            <form onsubmit={submit.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <div class="form-grid">
                    <TextField id="label" label="Question" required=true value={form.label.clone()}
                        oninput={text(|form, value| form.label = value)} error={form.problems().field("label")} />
                    <TextField id="name" label="Name" required=true value={form.name.clone()}
                        oninput={text(|form, value| form.name = value)} error={form.problems().field("name")}
                        hint="What the answer is stored under: a–z, 0–9 and _." />
                </div>
                <div class="form-grid">
                    <Select id="field_type" label="Kind" options={choice_options::<FieldType>()} value={form.field_type.as_str()}
                        onchange={text(|form, value| form.field_type = FieldType::parse(&value).unwrap_or(FieldType::Text))} error={form.problems().field("field_type")} />
                    <TextField id="placeholder" label="Placeholder" value={form.placeholder.clone()}
                        oninput={text(|form, value| form.placeholder = value)} error={form.problems().field("placeholder")} />
                </div>
                if kind == FieldType::Select {
                    <TextField id="options" label="Choices" multiline=true value={form.options.clone()}
                        oninput={text(|form, value| form.options = value)} error={form.problems().field("options")} hint="One per line." />
                }
                if kind.has_length() {
                    <div class="form-grid">
                        <TextField id="min_length" label="At least (characters)" input_type="number" value={form.min_length.clone()}
                            oninput={text(|form, value| form.min_length = value)} error={form.problems().field("min_length")} />
                        <TextField id="max_length" label="At most (characters)" input_type="number" value={form.max_length.clone()}
                            oninput={text(|form, value| form.max_length = value)} error={form.problems().field("max_length")} />
                    </div>
                }
                if kind == FieldType::File {
                    <p class="muted field__hint">{ "Visitors answer with a link to the file (https://…), uploaded where they like." }</p>
                }
                <Checkbox id="required" label="Required" checked={form.required}
                    onchange={form.field(|form: &mut FieldForm, value| form.required = value)} />
                <Checkbox id="is_enabled" label="Shown" checked={form.is_enabled}
                    onchange={form.field(|form: &mut FieldForm, value| form.is_enabled = value)} hint="Hidden fields are kept but not asked." />
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button type="submit" hidden=true></button>
            </form>
        </Dialog>
    }
}
