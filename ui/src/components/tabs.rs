//! Tabs: a row of tab buttons over one panel. Arrow keys move between tabs, as in any
//! desktop app; the page decides what the panel shows.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TabsProps {
    /// `(key, label)` per tab.
    pub tabs: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub on_select: Callback<AttrValue>,
    pub label: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Tabs)]
pub fn tabs(props: &TabsProps) -> Html {
    let index = props.tabs.iter().position(|(key, _)| *key == props.selected).unwrap_or(0);
    let onkeydown = {
        let (tabs, on_select) = (props.tabs.clone(), props.on_select.clone());
        Callback::from(move |event: KeyboardEvent| {
            let count = tabs.len();
            let next = match event.key().as_str() {
                "ArrowRight" => (index + 1) % count,
                "ArrowLeft" => (index + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            event.prevent_default();
            on_select.emit(tabs[next].0.clone());
            crate::components::form::focus_id(&format!("tab-{}", tabs[next].0));
        })
    };
    html! {
        <div class="tabs">
            <div class="tabs__list" role="tablist" aria-label={&props.label} {onkeydown}>
                { for props.tabs.iter().map(|(key, label)| {
                    let selected = *key == props.selected;
                    let onclick = {
                        let (key, on_select) = (key.clone(), props.on_select.clone());
                        Callback::from(move |_: MouseEvent| on_select.emit(key.clone()))
                    };
                    html! {
                        <button id={format!("tab-{key}")} class={classes!("tabs__tab", selected.then_some("tabs__tab--on"))}
                            role="tab" aria-selected={selected.to_string()} aria-controls={format!("panel-{key}")}
                            tabindex={if selected { "0" } else { "-1" }} {onclick}>
                            { label }
                        </button>
                    }
                }) }
            </div>
            <div class="tabs__panel" role="tabpanel" id={format!("panel-{}", props.selected)}
                aria-labelledby={format!("tab-{}", props.selected)}>
                { props.children.clone() }
            </div>
        </div>
    }
}
