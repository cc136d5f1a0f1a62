//! Theme tokens: the colors of the website and the app, each a CSS custom property. The
//! app applies its own (global and admin) the moment they are saved.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{alert, choice_options, sentence, use_form, Problems, Select, TextField};
use crate::components::toast::use_toast;
use crate::ipc;
use hub_model::cms::{check_css_color, IdRequest, SaveThemeToken, ThemeToken, TokenScope};
use hub_model::{ops, NoRequest};
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Editing {
    None,
    New,
    Token(ThemeToken),
}

#[function_component(ThemeEditor)]
pub fn theme_editor() -> Html {
    let tokens = ipc::use_call::<ops::ListTheme>(NoRequest {});
    let reload = tokens.reload();
    let editing = use_state(|| Editing::None);
    let open = |next: Editing| {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(next.clone()))
    };
    let close = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(Editing::None))
    };
    let changed = {
        let (reload, editing) = (reload.clone(), editing.clone());
        Callback::from(move |()| {
            editing.set(Editing::None);
            reload.emit(());
            spawn_local(crate::theme::refresh());
        })
    };
    let list = match &*tokens {
        None => html! { <div class="panel--loading" aria-busy="true">{ "Loading the theme…" }</div> },
        Some(Err(error)) => alert(error),
        Some(Ok(tokens)) if tokens.is_empty() => html! {
            <div class="empty panel"><p class="empty__title">{ "No theme colors yet" }</p>
                <p>{ "The website and the app use their built-in colors until you add some." }</p></div>
        },
        Some(Ok(tokens)) => html! {
            <div class="table-frame">
                <table class="table" aria-label="Theme colors" data-testid="theme-table">
                    <thead><tr>
                        <th scope="col">{ "Color" }</th><th scope="col">{ "Property" }</th>
                        <th scope="col">{ "For" }</th><th scope="col">{ "Where" }</th><th class="table__end"></th>
                    </tr></thead>
                    <tbody>
                        { for tokens.iter().map(|token| html! {
                            <tr key={token.id}>
                                <td>
                                    <span class="swatch" style={format!("background: {}", token.value)} aria-hidden="true"></span>
                                    <code>{ &token.value }</code>
                                </td>
                                <td><code>{ &token.key }</code></td>
                                <td>{ &token.purpose }</td>
                                <td>{ scope_badge(token.scope) }</td>
                                <td class="table__end">
                                    <button class="button button--quiet button--small" onclick={open(Editing::Token(token.clone()))}
                                        aria-label={format!("Edit {}", token.key)}>{ "Edit" }</button>
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
                <p class="muted">{ "Global colors apply to the website and this app; web and admin ones to one of them." }</p>
                <button class="button button--primary button--inline" data-testid="new-token" onclick={open(Editing::New)}>
                    { "+ New color" }
                </button>
            </div>
            { list }
            { match &*editing {
                Editing::None => html! {},
                Editing::New => html! { <TokenDialog token={None::<ThemeToken>} on_close={close.clone()} on_saved={changed.clone()} /> },
                Editing::Token(token) => html! {
                    <TokenDialog token={Some(token.clone())} on_close={close.clone()} on_saved={changed.clone()} />
                },
            } }
        </div>
    }
}

fn scope_badge(scope: TokenScope) -> Html {
    let tone = match scope {
        TokenScope::Global => BadgeTone::Primary,
        TokenScope::Web => BadgeTone::Success,
        TokenScope::Admin => BadgeTone::Warning,
    };
    html! { <Badge text={scope.label()} {tone} /> }
}

#[derive(Properties, PartialEq)]
struct TokenDialogProps {
    token: Option<ThemeToken>,
    on_close: Callback<()>,
    on_saved: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct TokenForm {
    key: String,
    value: String,
    purpose: String,
    scope: TokenScope,
}

#[function_component(TokenDialog)]
fn token_dialog(props: &TokenDialogProps) -> Html {
    let toast = use_toast();
    let form = use_form(|| match &props.token {
        Some(token) => TokenForm {
            key: token.key.clone(),
            value: token.value.clone(),
            purpose: token.purpose.clone(),
            scope: token.scope,
        },
        None => TokenForm {
            key: "--".to_owned(),
            value: "#3b5bdb".to_owned(),
            purpose: String::new(),
            scope: TokenScope::Global,
        },
    });
    let confirming = use_state(|| false);
    // The picker speaks #rrggbb only; other forms keep their text and show no picker value.
    let picker_value = {
        let value = form.value.trim().to_ascii_lowercase();
        (value.len() == 7 && check_css_color(&value).is_ok()).then_some(value)
    };
    let on_pick = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let picked = event.target_unchecked_into::<HtmlInputElement>().value();
            form.edit(move |form| form.value = picked);
        })
    };
    let save = {
        let (form, toast) = (form.clone(), toast.clone());
        let (id, on_saved) = (props.token.as_ref().map(|token| token.id), props.on_saved.clone());
        Callback::from(move |()| {
            let mut local = Problems::default();
            if let Err(invalid) = check_css_color(&form.value) {
                local.add("value", &sentence(&invalid.message));
            }
            if !local.is_empty() {
                return form.refuse(local);
            }
            let request = SaveThemeToken {
                id,
                key: form.key.clone(),
                value: form.value.clone(),
                purpose: form.purpose.clone(),
                scope: form.scope,
            };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            form.call::<ops::SaveToken>(request, &["key", "value", "purpose", "scope"], move |token| {
                toast.success(format!("{} saved.", token.key));
                on_saved.emit(());
            });
        })
    };
    let delete = {
        let (form, toast, on_saved) = (form.clone(), toast.clone(), props.on_saved.clone());
        let token = props.token.clone();
        Callback::from(move |()| {
            let Some(token) = token.clone() else { return };
            let (toast, on_saved) = (toast.clone(), on_saved.clone());
            form.call::<ops::DeleteToken>(IdRequest { id: token.id }, &[], move |_| {
                toast.success(format!("{} removed.", token.key));
                on_saved.emit(());
            });
        })
    };
    let footer = html! {
        <>
            if props.token.is_some() {
                <button class="button button--danger-quiet dialog__left" disabled={form.saving()}
                    onclick={let confirming = confirming.clone(); Callback::from(move |_| confirming.set(true))}>
                    { "Remove…" }
                </button>
            }
            <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="save-token" disabled={form.saving()}
                onclick={save.reform(|_: MouseEvent| ())}>{ "Save color" }</button>
        </>
    };
    let title = match &props.token {
        Some(token) => format!("Edit {}", token.key),
        None => "New color".to_owned(),
    };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} testid="token-dialog">
            <form onsubmit={save.reform(|event: SubmitEvent| event.prevent_default())} novalidate=true>
                <TextField id="key" label="CSS property" required=true value={form.key.clone()}
                    oninput={form.field(|form, value| form.key = value)} error={form.problems().field("key")}
                    hint="Like --primary: how the website's style sheets refer to it." />
                <div class="color-field">
                    <TextField id="value" label="Color" required=true value={form.value.clone()}
                        oninput={form.field(|form, value| form.value = value)} error={form.problems().field("value")}
                        hint="#1a2b3c, rgb(…), rgba(…), hsl(…) or hsla(…)" />
                    <label class="color-field__picker">
                        <span class="visually-hidden">{ "Pick a color" }</span>
                        <input type="color" value={picker_value.unwrap_or_else(|| "#000000".to_owned())} oninput={on_pick}
                            aria-label="Pick a color" />
                    </label>
                    <span class="swatch swatch--large" style={format!("background: {}", form.value)} aria-hidden="true"></span>
                </div>
                <TextField id="purpose" label="What it is for" required=true value={form.purpose.clone()}
                    oninput={form.field(|form, value| form.purpose = value)} error={form.problems().field("purpose")}
                    placeholder="Buttons and links" />
                <Select id="scope" label="Where it applies" options={choice_options::<TokenScope>()} value={form.scope.as_str()}
                    onchange={form.field(|form, value: String| form.scope = TokenScope::parse(&value).unwrap_or(form.scope))} error={form.problems().field("scope")} />
                if let Some(message) = &form.problems().general {
                    <p class="alert" role="alert">{ message }</p>
                }
                <button type="submit" hidden=true></button>
            </form>
            if *confirming {
                <Confirm title="Remove this color?" danger=true confirm_label="Remove" busy={form.saving()}
                    message="The website and the app fall back to their built-in color for it."
                    on_confirm={delete} on_cancel={let confirming = confirming.clone(); Callback::from(move |()| confirming.set(false))} />
            }
        </Dialog>
    }
}
