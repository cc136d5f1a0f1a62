//! Modal dialogs: a titled panel over the page that keeps the keyboard inside it, closes
//! on Escape, and gives focus to its first field. `Confirm` is the yes/no kind.

use crate::components::toast::Toaster;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

const FOCUSABLE: &str = "input:not([disabled]), select:not([disabled]), textarea:not([disabled]), \
                         button:not([disabled]), [href], [tabindex]:not([tabindex='-1'])";

fn focusable(panel: &NodeRef) -> Vec<HtmlElement> {
    let Some(panel) = panel.cast::<HtmlElement>() else {
        return Vec::new();
    };
    let Ok(found) = panel.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
    /// The buttons row.
    #[prop_or_default]
    pub footer: Html,
    #[prop_or_default]
    pub wide: bool,
    /// Wider still: an editor with its preview beside it.
    #[prop_or_default]
    pub editor: bool,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

thread_local! {
    static DIALOGS_OPENED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let panel = use_node_ref();
    // A dialog may open over another (a confirmation over an editor): each its own title id.
    let title_id = use_state(|| {
        DIALOGS_OPENED.with(|count| {
            count.set(count.get() + 1);
            format!("dialog-title-{}", count.get())
        })
    });
    {
        // Focus goes into the dialog when it opens, and back where it was when it closes.
        let panel = panel.clone();
        use_effect_with((), move |()| {
            let previous = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.active_element())
                .and_then(|element| element.dyn_into::<HtmlElement>().ok());
            if let Some(first) = focusable(&panel)
                .into_iter()
                .find(|element| element.tag_name() != "BUTTON")
                .or_else(|| focusable(&panel).into_iter().next())
            {
                let _ = first.focus();
            }
            move || {
                if let Some(previous) = previous {
                    let _ = previous.focus();
                }
            }
        });
    }
    let onkeydown = {
        let (panel, on_close) = (panel.clone(), props.on_close.clone());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            "Tab" => {
                // Keep Tab and Shift+Tab cycling inside the dialog.
                let items = focusable(&panel);
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    return;
                };
                let active = web_sys::window()
                    .and_then(|window| window.document())
                    .and_then(|document| document.active_element());
                let at = |element: &HtmlElement| {
                    active.as_ref().is_some_and(|active| active == element.as_ref() as &web_sys::Element)
                };
                if event.shift_key() && at(first) {
                    event.prevent_default();
                    let _ = last.focus();
                } else if !event.shift_key() && at(last) {
                    event.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop">
            <div class={classes!("dialog", props.wide.then_some("dialog--wide"), props.editor.then_some("dialog--editor"))} role="dialog" aria-modal="true"
                aria-labelledby={(*title_id).clone()} ref={panel} {onkeydown} data-testid={props.testid.clone()}>
                <header class="dialog__header">
                    <h2 id={(*title_id).clone()} class="dialog__title">{ &props.title }</h2>
                    <button class="dialog__close" aria-label="Close" onclick={close}>{ "×" }</button>
                </header>
                <div class="dialog__body">{ props.children.clone() }</div>
                <footer class="dialog__footer">{ props.footer.clone() }</footer>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub confirm_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The action destroys or takes away something: the button says so in red.
    #[prop_or_default]
    pub danger: bool,
    #[prop_or_default]
    pub busy: bool,
    /// The action was tried and refused: said in the dialog, which stays open.
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[function_component(Confirm)]
pub fn confirm(props: &ConfirmProps) -> Html {
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                { "Cancel" }
            </button>
            <button class={classes!("button", if props.danger { "button--danger" } else { "button--primary" })}
                data-testid="confirm" disabled={props.busy} aria-busy={props.busy.to_string()}
                onclick={props.on_confirm.reform(|_: MouseEvent| ())}>
                { &props.confirm_label }
            </button>
        </>
    };
    html! {
        <Dialog title={&props.title} on_close={&props.on_cancel} {footer} testid="confirm-dialog">
            <p class="dialog__message">{ &props.message }</p>
            if let Some(error) = &props.error { <p class="alert" role="alert">{ error }</p> }
        </Dialog>
    }
}

/// Which dialog a list screen shows over itself (`T::default()`: none), and the state of the
/// action a confirmation runs: busy while it runs, its refusal said in the dialog.
pub struct Overlay<T: 'static> {
    pub open: UseStateHandle<T>,
    pub busy: UseStateHandle<bool>,
    pub refused: UseStateHandle<Option<AttrValue>>,
}

impl<T> Clone for Overlay<T> {
    fn clone(&self) -> Self {
        Self { open: self.open.clone(), busy: self.busy.clone(), refused: self.refused.clone() }
    }
}

impl<T: Clone + Default + PartialEq + 'static> Overlay<T> {
    pub fn show(&self, next: T) -> Callback<MouseEvent> {
        let open = self.open.clone();
        Callback::from(move |_: MouseEvent| open.set(next.clone()))
    }

    pub fn close(&self) -> Callback<()> {
        let (open, refused) = (self.open.clone(), self.refused.clone());
        Callback::from(move |()| {
            refused.set(None);
            open.set(T::default());
        })
    }

    /// Runs an action: done, its message is toasted, the dialog closes and `then` runs (the
    /// list reloads); refused, the dialog stays open and says why.
    pub fn run<F>(&self, toast: &Toaster, then: &Callback<()>, work: F)
    where
        F: std::future::Future<Output = Result<String, hub_model::ApiError>> + 'static,
    {
        let (open, busy, refused, toast, then) =
            (self.open.clone(), self.busy.clone(), self.refused.clone(), toast.clone(), then.clone());
        busy.set(true);
        yew::platform::spawn_local(async move {
            match work.await {
                Ok(done) => {
                    toast.success(done);
                    refused.set(None);
                    open.set(T::default());
                    then.emit(());
                }
                Err(error) => refused.set(Some(crate::components::form::sentence(&error.message).into())),
            }
            busy.set(false);
        });
    }
}

#[hook]
pub fn use_overlay<T: Clone + Default + PartialEq + 'static>() -> Overlay<T> {
    Overlay { open: use_state(T::default), busy: use_state(|| false), refused: use_state(|| None) }
}
