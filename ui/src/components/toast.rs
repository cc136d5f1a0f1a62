//! Toasts: short notes that something worked ("Saved"), announced politely and gone after
//! a few seconds. Any component pushes one with `use_toast()`.

use std::rc::Rc;
use std::time::Duration;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

const SHOWN_FOR: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    text: String,
}

#[derive(Default, PartialEq)]
struct Toasts {
    shown: Vec<Toast>,
}

enum ToastAction {
    Push(Toast),
    Dismiss(u64),
}

impl Reducible for Toasts {
    type Action = ToastAction;

    fn reduce(self: Rc<Self>, action: ToastAction) -> Rc<Self> {
        let mut shown = self.shown.clone();
        match action {
            ToastAction::Push(toast) => shown.push(toast),
            ToastAction::Dismiss(id) => shown.retain(|toast| toast.id != id),
        }
        Rc::new(Self { shown })
    }
}

/// Pushes a toast.
#[derive(Clone, PartialEq)]
pub struct Toaster(Callback<String>);

impl Toaster {
    /// Says that something worked. (Failures are shown where they happened, not here.)
    pub fn success(&self, text: impl Into<String>) {
        self.0.emit(text.into());
    }
}

#[hook]
pub fn use_toast() -> Toaster {
    use_context::<Toaster>().expect("the App provides toasts")
}

#[derive(Properties, PartialEq)]
pub struct ToastProviderProps {
    #[prop_or_default]
    pub children: Html,
}

#[function_component(ToastProvider)]
pub fn toast_provider(props: &ToastProviderProps) -> Html {
    let toasts = use_reducer(Toasts::default);
    let next_id = use_mut_ref(|| 0_u64);
    let toaster = {
        let toasts = toasts.clone();
        Toaster(Callback::from(move |text: String| {
            let id = {
                let mut next_id = next_id.borrow_mut();
                *next_id += 1;
                *next_id
            };
            toasts.dispatch(ToastAction::Push(Toast { id, text }));
            let toasts = toasts.clone();
            spawn_local(async move {
                sleep(SHOWN_FOR).await;
                toasts.dispatch(ToastAction::Dismiss(id));
            });
        }))
    };
    html! {
        <ContextProvider<Toaster> context={toaster}>
            { props.children.clone() }
            <div class="toasts" role="status" aria-live="polite">
                { for toasts.shown.iter().map(|toast| {
                    let dismiss = {
                        let (toasts, id) = (toasts.clone(), toast.id);
                        Callback::from(move |_: MouseEvent| toasts.dispatch(ToastAction::Dismiss(id)))
                    };
                    html! {
                        <div class="toast" key={toast.id} data-testid="toast">
                            <span>{ &toast.text }</span>
                            <button class="toast__close" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
                        </div>
                    }
                }) }
            </div>
        </ContextProvider<Toaster>>
    }
}
