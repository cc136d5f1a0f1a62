//! The home page's sections: added by kind, shown or hidden, in an order changed with ↑
//! and ↓, deleted after a question, each edited in a form with the fields its kind shows (a
//! hero's subtitle, button and image; a list's length; testimonials one by one), or as raw
//! JSON for a custom section.

use super::preview::{home_request, SitePreview};
use crate::components::dialog::{use_overlay, Confirm, Dialog};
use crate::components::form::{
    alert, choice_options, dialog_buttons, sentence, use_form, Checkbox, Problems, Select, TextField,
};
use crate::components::image::ImageField;
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{
    check_section_content, CreateHomeSection, HomeSectionRow, IdRequest, ReorderHomeSections, SectionKind,
    UpdateHomeSection, DEFAULT_LIMIT,
};
use hub_model::public::HomeSection;
use hub_model::{ops, NoRequest};
use serde_json::{json, Map, Value};
use yew::prelude::*;

/// A section's name in the list: its title, else its key.
fn name_of(row: &HomeSectionRow) -> String {
    row.title.clone().filter(|title| !title.trim().is_empty()).unwrap_or_else(|| row.key.clone())
}

#[function_component(HomeSections)]
pub fn home_sections() -> Html {
    let toast = use_toast();
    let sections = ipc::use_call::<ops::ListSections>(NoRequest {});
    let reload = sections.reload();
    let changing = ipc::use_change();
    let editing = use_state(|| None::<HomeSectionRow>);
    let adding = use_state(|| false);
    let deleting = use_overlay::<Option<HomeSectionRow>>();
    let Some(Ok(rows)) = (*sections).clone() else {
        return match &*sections {
            Some(Err(error)) => alert(error),
            _ => html! { <div class="panel--loading" aria-busy="true">{ "Loading the sections…" }</div> },
        };
    };
    let reorder = |from: usize, to: usize| {
        let (rows, sections, changing, toast) =
            (rows.clone(), sections.clone(), changing.clone(), toast.clone());
        Callback::from(move |_: MouseEvent| {
            let mut ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            ids.swap(from, to);
            let (sections, toast) = (sections.clone(), toast.clone());
            changing.call::<ops::ReorderSections>(ReorderHomeSections { ids }, move |rows| {
                sections.set(rows);
                toast.success("New order saved.");
            });
        })
    };
    let show = |row: &HomeSectionRow| {
        let (row, sections, changing, rows) = (row.clone(), sections.clone(), changing.clone(), rows.clone());
        Callback::from(move |is_enabled: bool| {
            let request = UpdateHomeSection {
                id: row.id,
                title: row.title.clone(),
                is_enabled,
                content: row.content.clone(),
            };
            let (sections, rows) = (sections.clone(), rows.clone());
            changing.call::<ops::UpdateSection>(request, move |updated| {
                let rows = rows
                    .iter()
                    .map(|row| if row.id == updated.id { updated.clone() } else { row.clone() })
                    .collect();
                sections.set(rows);
            });
        })
    };
    let confirm_delete = {
        let (deleting, toast, reload) = (deleting.clone(), toast.clone(), reload.clone());
        Callback::from(move |()| {
            let Some(row) = (*deleting.open).clone() else { return };
            deleting.run(&toast, &reload, async move {
                ipc::call::<ops::DeleteSection>(&IdRequest { id: row.id })
                    .await
                    .map(|_| format!("The {} section is deleted.", name_of(&row)))
            });
        })
    };
    let count = rows.len();
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let saved = {
        let (editing, reload) = (editing.clone(), reload.clone());
        Callback::from(move |()| {
            editing.set(None);
            reload.emit(());
        })
    };
    // A new section opens in its editor at once: it starts hidden, empty.
    let created = {
        let (adding, editing, reload) = (adding.clone(), editing.clone(), reload.clone());
        Callback::from(move |row: HomeSectionRow| {
            adding.set(false);
            editing.set(Some(row));
            reload.emit(());
        })
    };
    let busy = changing.busy();
    html! {
        <div class="stack">
            <div class="page-header">
                <p class="muted">{ "The home page shows the sections that are on, top to bottom. A new section starts hidden." }</p>
                <button class="button button--primary button--inline" data-testid="new-section"
                    onclick={let adding = adding.clone(); Callback::from(move |_| adding.set(true))}>{ "+ Add a section" }</button>
            </div>
            if let Some(error) = changing.problem() { { alert(error) } }
            if rows.is_empty() {
                <div class="empty panel"><p class="empty__title">{ "The home page has no section yet" }</p>
                    <p>{ "Start with a hero: the first thing visitors read. Then add your programs, events or a call to action." }</p></div>
            }
            <ol class="sections" data-testid="sections">
                { for rows.iter().enumerate().map(|(index, row)| {
                    let name = name_of(row);
                    let kind = SectionKind::of(&row.key, &row.content).map_or("Custom", SectionKind::label);
                    html! {
                        <li class={classes!("section-row", (!row.is_enabled).then_some("section-row--off"))} key={row.id}
                            data-testid="section-row">
                            <span class="section-row__position">{ index + 1 }</span>
                            <div class="section-row__name">
                                <span class="table__strong">{ &name }</span>
                                <span class="muted">{ kind }{ " · " }<code>{ &row.key }</code></span>
                            </div>
                            <Checkbox id={format!("section-{}-on", row.id)} label={if row.is_enabled { "Shown" } else { "Hidden" }}
                                checked={row.is_enabled} onchange={show(row)} />
                            <button class="button button--quiet button--small" disabled={busy || index == 0}
                                aria-label={format!("Move {name} up")} onclick={reorder(index, index.saturating_sub(1))}>{ "↑" }</button>
                            <button class="button button--quiet button--small" disabled={busy || index + 1 == count}
                                aria-label={format!("Move {name} down")} onclick={reorder(index, (index + 1).min(count - 1))}>{ "↓" }</button>
                            <button class="button button--quiet button--small" aria-label={format!("Edit {name}")}
                                onclick={let (editing, row) = (editing.clone(), row.clone()); Callback::from(move |_| editing.set(Some(row.clone())))}>
                                { "Edit" }
                            </button>
                            <button class="button button--quiet button--small" aria-label={format!("Delete {name}")}
                                onclick={deleting.show(Some(row.clone()))}>{ "Delete" }</button>
                        </li>
                    }
                }) }
            </ol>
            if *adding {
                <NewSectionDialog on_close={let adding = adding.clone(); Callback::from(move |()| adding.set(false))} on_created={created} />
            }
            if let Some(row) = &*editing {
                <SectionDialog row={row.clone()} rows={rows.clone()} on_close={close} on_saved={saved} />
            }
            if let Some(row) = &*deleting.open {
                <Confirm title={format!("Delete the {} section?", name_of(row))} danger=true busy={*deleting.busy}
                    message="It disappears from the home page at once. This cannot be undone (hiding it keeps it for later)."
                    confirm_label="Delete section" on_confirm={confirm_delete.clone()} on_cancel={deleting.close()}
                    error={(*deleting.refused).clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NewSectionProps {
    on_close: Callback<()>,
    on_created: Callback<HomeSectionRow>,
}

#[derive(Clone, PartialEq)]
struct NewSectionForm {
    /// A kind's text, or `custom`.
    kind: String,
    title: String,
}

/// What "custom" is called in the kinds' list.
const CUSTOM: &str = "custom";

#[function_component(NewSectionDialog)]
fn new_section_dialog(props: &NewSectionProps) -> Html {
    let form =
        use_form(|| NewSectionForm { kind: SectionKind::Hero.as_str().to_owned(), title: String::new() });
    let save = {
        let (form, on_created) = (form.clone(), props.on_created.clone());
        Callback::from(move |()| {
            let request = CreateHomeSection {
                kind: SectionKind::parse(&form.kind),
                key: None,
                title: Some(form.title.clone()).filter(|title| !title.trim().is_empty()),
            };
            let on_created = on_created.clone();
            form.call::<ops::CreateSection>(request, &["kind", "key", "title"], move |row| {
                on_created.emit(row);
            });
        })
    };
    let mut kinds = choice_options::<SectionKind>();
    kinds.push((AttrValue::Static(CUSTOM), AttrValue::Static("Custom (its content as JSON)")));
    let footer = dialog_buttons(&props.on_close, &save, form.saving(), "create-section", "Add section");
    let problems = form.problems();
    html! {
        <Dialog title="Add a section to the home page" on_close={&props.on_close} {footer}>
            <Select id="section-kind" label="Kind" options={kinds} value={form.kind.clone()}
                onchange={form.field(|form, value| form.kind = value)} error={problems.field("kind")} />
            <TextField id="section-title" label="Title" value={form.title.clone()} error={problems.field("title")}
                hint="Its heading on the website (a hero's is the page's main heading)."
                oninput={form.field(|form, value| form.title = value)} />
            if let Some(message) = &problems.general { <p class="alert" role="alert">{ message }</p> }
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct SectionDialogProps {
    row: HomeSectionRow,
    /// Every section, for the preview of the whole home page.
    rows: Vec<HomeSectionRow>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

/// A section's content as its form shows it.
#[derive(Clone, PartialEq, Default)]
struct SectionForm {
    title: String,
    /// A hero's subtitle, a call to action's or a rich text's text.
    text: String,
    cta_label: String,
    cta_href: String,
    image_src: String,
    image_alt: String,
    limit: String,
    /// Testimonials: (quote, who said it).
    items: Vec<(String, String)>,
    /// `Some(text)` while the content is edited as JSON (always for a custom section).
    json: Option<String>,
}

/// The fields a kind's form shows.
struct Shows {
    text: Option<&'static str>,
    cta: bool,
    image: bool,
    limit: bool,
    items: bool,
}

fn shows(kind: Option<SectionKind>) -> Shows {
    let none = Shows { text: None, cta: false, image: false, limit: false, items: false };
    match kind {
        Some(SectionKind::Hero) => Shows { text: Some("Subtitle"), cta: true, image: true, ..none },
        Some(SectionKind::CallToAction) => Shows { text: Some("Text"), cta: true, ..none },
        Some(SectionKind::RichText) => Shows { text: Some("Text"), ..none },
        Some(SectionKind::Testimonials) => Shows { items: true, ..none },
        Some(kind) if kind.is_list() => Shows { limit: true, ..none },
        _ => none,
    }
}

fn part(content: &Value, outer: &str, inner: &str) -> String {
    content
        .get(outer)
        .and_then(|value| value.get(inner))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl SectionForm {
    fn of(row: &HomeSectionRow, kind: Option<SectionKind>) -> Self {
        let content = &row.content;
        let text_key = if kind == Some(SectionKind::Hero) { "subtitle" } else { "text" };
        Self {
            title: row.title.clone().unwrap_or_default(),
            text: content.get(text_key).and_then(Value::as_str).unwrap_or_default().to_owned(),
            cta_label: part(content, "cta", "label"),
            cta_href: part(content, "cta", "href"),
            image_src: part(content, "image", "src"),
            image_alt: part(content, "image", "alt"),
            limit: content.get("limit").and_then(Value::as_u64).unwrap_or(DEFAULT_LIMIT).to_string(),
            items: content
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|item| {
                    let said =
                        |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
                    (said("quote"), said("name"))
                })
                .collect(),
            json: kind.is_none().then(|| serde_json::to_string_pretty(content).unwrap_or_default()),
        }
    }

    /// The content to save: the JSON as typed, or the section's content with what the form
    /// shows written over it (anything else it holds is kept). Checked as the hub checks it.
    fn content(&self, row: &HomeSectionRow, kind: Option<SectionKind>) -> Result<Value, Problems> {
        let refuse = |field: &str, message: &str| {
            let mut found = Problems::default();
            found.add(field, message);
            found
        };
        let content = match &self.json {
            Some(text) => match serde_json::from_str::<Value>(text) {
                Ok(value) => value,
                Err(error) => return Err(refuse("content", &format!("This is not valid JSON: {error}."))),
            },
            None => {
                let mut content: Map<String, Value> = row.content.as_object().cloned().unwrap_or_default();
                let shows = shows(kind);
                let trimmed = |text: &str| text.trim().to_owned();
                if let Some(label) = shows.text {
                    let key = if label == "Subtitle" { "subtitle" } else { "text" };
                    content.insert(key.to_owned(), Value::from(trimmed(&self.text)));
                }
                if shows.cta {
                    let cta = (!self.cta_label.trim().is_empty() || !self.cta_href.trim().is_empty()).then(
                        || json!({ "label": trimmed(&self.cta_label), "href": trimmed(&self.cta_href) }),
                    );
                    content.insert("cta".to_owned(), cta.unwrap_or(Value::Null));
                }
                if shows.image {
                    let image = (!self.image_src.trim().is_empty())
                        .then(|| json!({ "src": trimmed(&self.image_src), "alt": trimmed(&self.image_alt) }));
                    content.insert("image".to_owned(), image.unwrap_or(Value::Null));
                }
                if shows.limit {
                    match self.limit.trim().parse::<u64>() {
                        Ok(limit) => content.insert("limit".to_owned(), Value::from(limit)),
                        Err(_) => return Err(refuse("limit", "Enter how many to show, a whole number.")),
                    };
                }
                if shows.items {
                    let items: Vec<Value> = self
                        .items
                        .iter()
                        .map(|(quote, name)| json!({ "quote": trimmed(quote), "name": trimmed(name) }))
                        .collect();
                    content.insert("items".to_owned(), Value::Array(items));
                }
                Value::Object(content)
            }
        };
        let kind = SectionKind::of(&row.key, &content);
        check_section_content(kind, &content)
            .map_err(|invalid| refuse(invalid.field, &sentence(&invalid.message)))?;
        Ok(content)
    }
}

const SECTION_FIELDS: [&str; 10] = [
    "title",
    "content",
    "subtitle",
    "text",
    "cta_label",
    "cta_href",
    "image_src",
    "image_alt",
    "limit",
    "items",
];

#[function_component(SectionDialog)]
fn section_dialog(props: &SectionDialogProps) -> Html {
    let toast = use_toast();
    let kind = SectionKind::of(&props.row.key, &props.row.content);
    let form = use_form(|| SectionForm::of(&props.row, kind));
    let save = {
        let (form, toast, on_saved) = (form.clone(), toast.clone(), props.on_saved.clone());
        let row = props.row.clone();
        Callback::from(move |()| {
            let content = match form.content(&row, kind) {
                Ok(content) => content,
                Err(problems) => return form.refuse(problems),
            };
            let request = UpdateHomeSection {
                id: row.id,
                title: Some(form.title.clone()),
                is_enabled: row.is_enabled,
                content,
            };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            form.call::<ops::UpdateSection>(request, &SECTION_FIELDS, move |_| {
                toast.success("Section saved.");
                on_saved.emit(());
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &save, form.saving(), "save-section", "Save section");
    let problems = form.problems();
    let show = shows(kind);
    let text_error = problems.field("subtitle").or_else(|| problems.field("text"));
    let as_json = form.json.is_some();
    let kind_name = kind.map_or("custom", SectionKind::label);
    // The home page with this section as typed (while what is typed can be read).
    let preview = form.content(&props.row, kind).ok().map(|content| {
        let draft = HomeSection { key: props.row.key.clone(), title: Some(form.title.clone()), content };
        home_request(&props.rows, Some((props.row.id, draft)))
    });
    html! {
        <Dialog title={format!("Edit the {} section ({})", name_of(&props.row), kind_name.to_lowercase())}
            on_close={&props.on_close} {footer} editor=true testid="section-editor">
          <div class="editor-split">
            <div class="editor-split__form">
            <TextField id="title" label="Title" value={form.title.clone()} error={problems.field("title")}
                oninput={form.field(|form, value| form.title = value)} />
            if as_json {
                <TextField id="content" label="Content (JSON)" multiline=true value={form.json.clone().unwrap_or_default()}
                    error={problems.field("content").or_else(|| problems.first_field().and_then(|field| problems.field(field)))}
                    hint="A JSON object: what the website shows of a custom section is its title, a text and a button (cta)."
                    oninput={form.field(|form, value| form.json = Some(value))} />
            } else {
                if let Some(label) = show.text {
                    <TextField id="section-text" label={label} multiline=true value={form.text.clone()} error={text_error}
                        hint="Blank lines start new paragraphs."
                        oninput={form.field(|form, value| form.text = value)} />
                }
                if show.cta {
                    <fieldset class="fieldset">
                        <legend>{ "Button (optional)" }</legend>
                        <div class="form-row">
                            <TextField id="cta_label" label="Says" value={form.cta_label.clone()} error={problems.field("cta_label")}
                                oninput={form.field(|form, value| form.cta_label = value)} />
                            <TextField id="cta_href" label="Leads to" value={form.cta_href.clone()} error={problems.field("cta_href")}
                                placeholder="/apply or https://…" hint="A page of the site (/programs) or a web address."
                                oninput={form.field(|form, value| form.cta_href = value)} />
                        </div>
                    </fieldset>
                }
                if show.image {
                    <fieldset class="fieldset">
                        <legend>{ "Image (optional)" }</legend>
                        <ImageField id="image_src" label="Picture" value={Some(form.image_src.clone())}
                            error={problems.field("image_src")} hint="JPEG, PNG or WebP; the site offers each visitor the size their screen needs."
                            on_change={form.field(|form, url: Option<String>| form.image_src = url.unwrap_or_default())} />
                        <TextField id="image_alt" label="What it shows" value={form.image_alt.clone()} error={problems.field("image_alt")}
                            hint="Read out to people who cannot see it."
                            oninput={form.field(|form, value| form.image_alt = value)} />
                    </fieldset>
                }
                if show.limit {
                    <TextField id="limit" label="How many to show" input_type="number" value={form.limit.clone()}
                        error={problems.field("limit")} hint={"From 1 to 24; a “see all” link leads to the rest."}
                        oninput={form.field(|form, value| form.limit = value)} />
                }
                if show.items {
                    <Testimonials items={form.items.clone()} error={problems.field("items")}
                        onchange={form.field(|form, items| form.items = items)} />
                }
                if kind.is_some_and(|kind| kind.is_list()) {
                    <p class="muted">{ "It shows what the hub already has, as published: nothing else to write here." }</p>
                }
            }
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            if kind.is_some() {
                <button type="button" class="button button--quiet button--small" data-testid="section-json"
                    onclick={
                        let (form, row) = (form.clone(), props.row.clone());
                        Callback::from(move |_: MouseEvent| {
                            let json = match &form.json {
                                Some(_) => None,
                                None => Some(serde_json::to_string_pretty(&form.content(&row, kind).unwrap_or_else(|_| row.content.clone())).unwrap_or_default()),
                            };
                            form.edit(move |form| form.json = json);
                        })
                    }>{ if as_json { "Back to the form" } else { "Edit as JSON" } }</button>
            }
            </div>
            <SitePreview request={preview} />
          </div>
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct TestimonialsProps {
    items: Vec<(String, String)>,
    error: Option<String>,
    onchange: Callback<Vec<(String, String)>>,
}

/// The testimonials, one by one: what was said and who said it.
#[function_component(Testimonials)]
fn testimonials(props: &TestimonialsProps) -> Html {
    let change = |index: usize, quote: bool| {
        let (items, onchange) = (props.items.clone(), props.onchange.clone());
        Callback::from(move |value: String| {
            let mut items = items.clone();
            if let Some(item) = items.get_mut(index) {
                if quote {
                    item.0 = value;
                } else {
                    item.1 = value;
                }
            }
            onchange.emit(items);
        })
    };
    let remove = |index: usize| {
        let (items, onchange) = (props.items.clone(), props.onchange.clone());
        Callback::from(move |_: MouseEvent| {
            let mut items = items.clone();
            items.remove(index);
            onchange.emit(items);
        })
    };
    let add = {
        let (items, onchange) = (props.items.clone(), props.onchange.clone());
        Callback::from(move |_: MouseEvent| {
            let mut items = items.clone();
            items.push((String::new(), String::new()));
            onchange.emit(items);
        })
    };
    html! {
        <fieldset class="fieldset" data-testid="testimonials">
            <legend>{ "Testimonials" }</legend>
            if props.items.is_empty() { <p class="muted">{ "None yet: the section stays off the website until one is written." }</p> }
            { for props.items.iter().enumerate().map(|(index, (quote, name))| html! {
                <div class="form-row" key={index}>
                    <TextField id={format!("quote-{index}")} label={format!("Testimonial {}", index + 1)} multiline=true
                        value={quote.clone()} oninput={change(index, true)} />
                    <TextField id={format!("quote-name-{index}")} label="Who said it" value={name.clone()} oninput={change(index, false)} />
                    <button type="button" class="button button--quiet button--small" onclick={remove(index)}
                        aria-label={format!("Remove testimonial {}", index + 1)}>{ "Remove" }</button>
                </div>
            }) }
            if let Some(error) = &props.error { <p class="field__error" role="alert">{ error }</p> }
            <button type="button" class="button button--quiet button--small" onclick={add}>{ "+ Add a testimonial" }</button>
        </fieldset>
    }
}
