//! Pages: key, title, published or not, and content as blocks — headings, paragraphs,
//! images and buttons — edited in a form, or as raw JSON checked before it is sent.

use super::preview::SitePreview;
use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{use_overlay, Confirm, Dialog};
use crate::components::form::{
    alert, dialog_buttons, focus_id, sentence, use_form, Checkbox, Problems, TextField,
};
use crate::components::image::ImageField;
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::PreviewRequest;
use hub_model::cms::{Block, IdRequest, PageContent, PageSummary, SavePageRequest};
use hub_model::{ops, NoRequest};
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Editing {
    None,
    New,
    Page(i64),
}

#[function_component(PagesEditor)]
pub fn pages_editor() -> Html {
    let pages = ipc::use_call::<ops::ListPages>(NoRequest {});
    let reload = pages.reload();
    let editing = use_state(|| Editing::None);
    let toast = use_toast();
    let deleting = use_overlay::<Option<PageSummary>>();
    let confirm_delete = {
        let (deleting, toast, reload) = (deleting.clone(), toast.clone(), reload.clone());
        Callback::from(move |()| {
            let Some(page) = (*deleting.open).clone() else { return };
            deleting.run(&toast, &reload, async move {
                ipc::call::<ops::DeletePage>(&IdRequest { id: page.id })
                    .await
                    .map(|_| format!("The {} page is deleted.", page.key))
            });
        })
    };
    let open = |next: Editing| {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(next.clone()))
    };
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(Editing::None))
    };
    let saved = {
        let (reload, editing) = (reload.clone(), editing.clone());
        Callback::from(move |()| {
            editing.set(Editing::None);
            reload.emit(());
        })
    };
    let list = match &*pages {
        None => html! { <div class="panel--loading" aria-busy="true">{ "Loading the pages…" }</div> },
        Some(Err(error)) => alert(error),
        Some(Ok(pages)) if pages.is_empty() => html! {
            <div class="empty panel"><p class="empty__title">{ "No pages yet" }</p><p>{ "Create the first with “New page”." }</p></div>
        },
        Some(Ok(pages)) => html! {
            <div class="table-frame">
                <table class="table" aria-label="Pages" data-testid="pages-table">
                    <thead><tr><th scope="col">{ "Page" }</th><th scope="col">{ "Address" }</th>
                        <th scope="col">{ "State" }</th><th scope="col">{ "Changed" }</th><th class="table__end"></th></tr></thead>
                    <tbody>
                        { for pages.iter().map(|page| html! {
                            <tr key={page.id}>
                                <td class="table__strong">{ page.title.clone().unwrap_or_else(|| page.key.clone()) }</td>
                                <td><code>{ site_address(&page.key) }</code></td>
                                <td>
                                    if page.is_published { <Badge text="Published" tone={BadgeTone::Success} /> }
                                    else { <Badge text="Draft" tone={BadgeTone::Neutral} /> }
                                </td>
                                <td class="muted">{ page.updated_at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string() }</td>
                                <td class="table__end">
                                    <button class="button button--quiet button--small" onclick={open(Editing::Page(page.id))}
                                        aria-label={format!("Edit the {} page", page.key)}>{ "Edit" }</button>
                                    <button class="button button--quiet button--small" onclick={deleting.show(Some(page.clone()))}
                                        aria-label={format!("Delete the {} page", page.key)}>{ "Delete" }</button>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };
    html! {
        <div class="stack">
            <div class="page-header">
                <p class="muted">{ "Drafts stay off the website until they are published." }</p>
                <button class="button button--primary button--inline" data-testid="new-page" onclick={open(Editing::New)}>{ "+ New page" }</button>
            </div>
            { list }
            if let Some(page) = &*deleting.open {
                <Confirm title={format!("Delete the {} page?", page.key)} danger=true busy={*deleting.busy}
                    message="It disappears from the website at once: its address then says the page is not found. This cannot be undone."
                    confirm_label="Delete page" on_confirm={confirm_delete.clone()} on_cancel={deleting.close()}
                    error={(*deleting.refused).clone()} />
            }
            { match &*editing {
                Editing::None => html! {},
                Editing::New => html! { <PageDialog id={None::<i64>} on_close={close.clone()} on_saved={saved.clone()} /> },
                Editing::Page(id) => html! { <PageDialog id={Some(*id)} on_close={close.clone()} on_saved={saved.clone()} /> },
            } }
        </div>
    }
}

/// Where the website shows a page: the home page's title, the text above the contact form,
/// or a page of its own.
fn site_address(key: &str) -> String {
    match key {
        "home" => "/ (its title)".to_owned(),
        "contact" => "/contact (above the form)".to_owned(),
        other => format!("/{other}"),
    }
}

#[derive(Clone, PartialEq, Default)]
struct PageForm {
    key: String,
    title: String,
    is_published: bool,
    blocks: Vec<Block>,
    /// `Some(text)` while the raw JSON view is open.
    json: Option<String>,
}

impl PageForm {
    /// The content to send: the JSON view's text when it is open, else the blocks.
    /// Refused, the problem is said under the content's field.
    fn content(&self) -> Result<serde_json::Value, Problems> {
        let value = match &self.json {
            Some(text) => serde_json::from_str(text)
                .map_err(|error| content_problem(&format!("This is not valid JSON: {error}.")))?,
            None => serde_json::to_value(PageContent { blocks: self.blocks.clone() }).unwrap_or_default(),
        };
        PageContent::check(&value).map_err(|invalid| content_problem(&sentence(&invalid.message)))?;
        Ok(value)
    }
}

impl PageForm {
    /// The page as typed, for its preview: blocks the site cannot show yet (an image not
    /// chosen) are left out there, as the site leaves them out.
    fn draft(&self) -> Option<PreviewRequest> {
        let content = match &self.json {
            Some(text) => serde_json::from_str(text).ok()?,
            None => serde_json::to_value(PageContent { blocks: self.blocks.clone() }).ok()?,
        };
        let title = Some(self.title.clone()).filter(|title| !title.trim().is_empty());
        Some(PreviewRequest::Page { key: self.key.trim().to_owned(), title, content })
    }
}

fn content_problem(message: &str) -> Problems {
    let mut found = Problems::default();
    found.add("content", message);
    found
}

#[derive(Properties, PartialEq)]
struct PageDialogProps {
    id: Option<i64>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

/// A page to edit: a new one at once, or one read first.
#[function_component(PageDialog)]
fn page_dialog(props: &PageDialogProps) -> Html {
    let page = ipc::use_call_for::<ops::GetPage>(props.id.map(|id| IdRequest { id }));
    let initial = match (props.id, &*page) {
        (None, _) => PageForm { blocks: vec![Block::Heading { text: String::new() }], ..PageForm::default() },
        (Some(_), Some(Ok(page))) => {
            // Content that is not blocks opens in the JSON view, to be fixed there.
            let (blocks, json) = match PageContent::check(&page.content) {
                Ok(content) => (content.blocks, None),
                Err(_) => (Vec::new(), Some(serde_json::to_string_pretty(&page.content).unwrap_or_default())),
            };
            PageForm {
                key: page.key.clone(),
                title: page.title.clone().unwrap_or_default(),
                is_published: page.is_published,
                blocks,
                json,
            }
        }
        (Some(_), answer) => {
            return html! {
                <Dialog title="Page" on_close={&props.on_close}>
                    if let Some(Err(error)) = answer { { alert(error) } }
                    else { <div class="panel--loading" aria-busy="true">{ "Loading the page…" }</div> }
                </Dialog>
            };
        }
    };
    html! { <PageEditor id={props.id} {initial} on_close={&props.on_close} on_saved={&props.on_saved} /> }
}

#[derive(Properties, PartialEq)]
struct PageEditorProps {
    id: Option<i64>,
    initial: PageForm,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

const PAGE_FIELDS: [&str; 3] = ["key", "title", "content"];

#[function_component(PageEditor)]
fn page_editor(props: &PageEditorProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| props.initial.clone());
    let toggle_json = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| match &form.json {
            None => {
                let content = PageContent { blocks: form.blocks.clone() };
                let text = serde_json::to_string_pretty(&content).unwrap_or_default();
                form.edit(move |form| form.json = Some(text));
            }
            Some(_) => match form.content().and_then(|value| {
                PageContent::check(&value).map_err(|invalid| content_problem(&sentence(&invalid.message)))
            }) {
                Ok(content) => form.edit(move |form| {
                    form.blocks = content.blocks;
                    form.json = None;
                }),
                Err(found) => {
                    form.refuse(found);
                    focus_id("content-json");
                }
            },
        })
    };
    let save = {
        let (form, toast, on_saved) = (form.clone(), toast.clone(), props.on_saved.clone());
        let id = props.id;
        Callback::from(move |()| {
            let content = match form.content() {
                Ok(content) => content,
                Err(found) => return form.refuse(found),
            };
            let request = SavePageRequest {
                id,
                key: form.key.clone(),
                title: Some(form.title.clone()),
                content,
                is_published: form.is_published,
            };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            form.call::<ops::SavePage>(request, &PAGE_FIELDS, move |page| {
                toast.success(format!(
                    "The {} page is saved{}.",
                    page.key,
                    if page.is_published { " and published" } else { " as a draft" }
                ));
                on_saved.emit(());
            });
        })
    };
    let footer = dialog_buttons(&props.on_close, &save, form.saving(), "save-page", "Save page");
    let title =
        if props.id.is_some() { format!("Edit the {} page", form.key) } else { "New page".to_owned() };
    let problems = form.problems();
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} editor=true testid="page-dialog">
          <div class="editor-split">
            <div class="editor-split__form">
            <div class="form-grid">
                <TextField id="key" label="Address key" required=true value={form.key.clone()}
                    oninput={form.field(|form, value| form.key = value)} error={problems.field("key")}
                    hint="Lower-case, like about or summer-camp: the page is at /<key> on the site." />
                <TextField id="title" label="Title" value={form.title.clone()}
                    oninput={form.field(|form, value| form.title = value)} error={problems.field("title")} />
            </div>
            <Checkbox id="is_published" label="Published" checked={form.is_published}
                hint="Shown on the website; otherwise a draft."
                onchange={form.field(|form, on| form.is_published = on)} />
            <div class="blocks__header">
                <h3 class="form-heading">{ "Content" }</h3>
                <button class="button button--quiet button--small" type="button" onclick={toggle_json} data-testid="toggle-json">
                    { if form.json.is_some() { "Edit as blocks" } else { "Edit as JSON" } }
                </button>
            </div>
            if let Some(message) = problems.field("content") {
                <p class="alert" role="alert" id="content-error">{ message }</p>
            }
            if let Some(text) = &form.json {
                <textarea id="content-json" class="code" rows="16" aria-label="Content as JSON" value={text.clone()}
                    aria-invalid={problems.field("content").is_some().to_string()} aria-describedby="content-error"
                    oninput={form.field(|form, event: InputEvent| {
                        form.json = Some(event.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value());
                    })} />
            } else {
                <BlocksEditor blocks={form.blocks.clone()} on_change={form.field(|form, blocks| form.blocks = blocks)} />
            }
            if let Some(message) = &problems.general {
                <p class="alert" role="alert">{ message }</p>
            }
            </div>
            <SitePreview request={form.draft()} />
          </div>
        </Dialog>
    }
}

/// One edit of the list of blocks: move, remove or add.
type BlocksChange = Box<dyn Fn(&mut Vec<Block>)>;

#[derive(Properties, PartialEq)]
struct BlocksEditorProps {
    blocks: Vec<Block>,
    on_change: Callback<Vec<Block>>,
}

#[function_component(BlocksEditor)]
fn blocks_editor(props: &BlocksEditorProps) -> Html {
    let change = |make: BlocksChange| {
        let (blocks, on_change) = (props.blocks.clone(), props.on_change.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = blocks.clone();
            make(&mut next);
            on_change.emit(next);
        })
    };
    let count = props.blocks.len();
    html! {
        <div class="blocks" data-testid="blocks">
            if props.blocks.is_empty() {
                <p class="muted">{ "No blocks: add one below." }</p>
            }
            { for props.blocks.iter().enumerate().map(|(index, block)| {
                let set_text = |update: fn(&mut Block, String)| {
                    let (blocks, on_change) = (props.blocks.clone(), props.on_change.clone());
                    Callback::from(move |value: String| {
                        let mut next = blocks.clone();
                        update(&mut next[index], value);
                        on_change.emit(next);
                    })
                };
                let id = |name: &str| format!("block-{index}-{name}");
                let (kind, fields) = match block {
                    Block::Heading { text } => ("Heading", html! {
                        <TextField id={id("text")} label="Text" value={text.clone()}
                            oninput={set_text(|block, value| if let Block::Heading { text } = block { *text = value })} />
                    }),
                    Block::Paragraph { text } => ("Paragraph", html! {
                        <TextField id={id("text")} label="Text" multiline=true value={text.clone()}
                            oninput={set_text(|block, value| if let Block::Paragraph { text } = block { *text = value })} />
                    }),
                    Block::Image { src, alt } => ("Image", html! {
                        <>
                            <ImageField id={id("src")} label="Picture" value={Some(src.clone())}
                                on_change={set_text(|block, value| if let Block::Image { src, .. } = block { *src = value })
                                    .reform(Option::unwrap_or_default)} />
                            <TextField id={id("alt")} label="Description (for screen readers)" value={alt.clone()}
                                oninput={set_text(|block, value| if let Block::Image { alt, .. } = block { *alt = value })} />
                        </>
                    }),
                    Block::Cta { label, href } => ("Button", html! {
                        <div class="form-grid">
                            <TextField id={id("label")} label="Label" value={label.clone()}
                                oninput={set_text(|block, value| if let Block::Cta { label, .. } = block { *label = value })} />
                            <TextField id={id("href")} label="Link" value={href.clone()} placeholder="/programs"
                                oninput={set_text(|block, value| if let Block::Cta { href, .. } = block { *href = value })} />
                        </div>
                    }),
                };
                html! {
                    <section class="block" key={index} aria-label={format!("Block {}: {kind}", index + 1)}>
                        <div class="block__bar">
                            <span class="block__kind">{ format!("{}. {kind}", index + 1) }</span>
                            <button type="button" class="button button--quiet button--small" disabled={index == 0}
                                aria-label={format!("Move block {} up", index + 1)}
                                onclick={change(Box::new(move |blocks| blocks.swap(index, index - 1)))}>{ "↑" }</button>
                            <button type="button" class="button button--quiet button--small" disabled={index + 1 == count}
                                aria-label={format!("Move block {} down", index + 1)}
                                onclick={change(Box::new(move |blocks| blocks.swap(index, index + 1)))}>{ "↓" }</button>
                            <button type="button" class="button button--danger-quiet button--small"
                                aria-label={format!("Remove block {}", index + 1)}
                                onclick={change(Box::new(move |blocks| { blocks.remove(index); }))}>{ "Remove" }</button>
                        </div>
                        { fields }
                    </section>
                }
            }) }
            <div class="blocks__add">
                <span class="muted">{ "Add:" }</span>
                <button type="button" class="button button--quiet button--small"
                    onclick={change(Box::new(|blocks| blocks.push(Block::Heading { text: String::new() })))}>{ "Heading" }</button>
                <button type="button" class="button button--quiet button--small"
                    onclick={change(Box::new(|blocks| blocks.push(Block::Paragraph { text: String::new() })))}>{ "Paragraph" }</button>
                <button type="button" class="button button--quiet button--small"
                    onclick={change(Box::new(|blocks| blocks.push(Block::Image { src: String::new(), alt: String::new() })))}>{ "Image" }</button>
                <button type="button" class="button button--quiet button--small"
                    onclick={change(Box::new(|blocks| blocks.push(Block::Cta { label: String::new(), href: String::new() })))}>{ "Button" }</button>
            </div>
        </div>
    }
}
