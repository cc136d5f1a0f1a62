//! Badges: a word in a tinted pill, for roles and states.

use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeTone {
    Neutral,
    Primary,
    Success,
    Warning,
    Danger,
}

#[derive(Properties, PartialEq)]
pub struct BadgeProps {
    pub text: AttrValue,
    #[prop_or(BadgeTone::Neutral)]
    pub tone: BadgeTone,
}

#[function_component(Badge)]
pub fn badge(props: &BadgeProps) -> Html {
    let tone = match props.tone {
        BadgeTone::Neutral => "badge--neutral",
        BadgeTone::Primary => "badge--primary",
        BadgeTone::Success => "badge--success",
        BadgeTone::Warning => "badge--warning",
        BadgeTone::Danger => "badge--danger",
    };
    html! { <span class={classes!("badge", tone)}>{ &props.text }</span> }
}
