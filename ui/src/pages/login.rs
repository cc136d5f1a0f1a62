//! The sign-in screen: email or phone, and password.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Clone, Default, PartialEq)]
struct Errors {
    identifier: Option<&'static str>,
    password: Option<&'static str>,
}

#[function_component(Login)]
pub fn login() -> Html {
    let identifier = use_node_ref();
    let password = use_node_ref();
    let errors = use_state(Errors::default);
    let submitted = use_state(|| false);

    {
        // The first field has focus when the screen opens, so typing starts at once.
        let identifier = identifier.clone();
        use_effect_with((), move |()| {
            if let Some(input) = identifier.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }

    let onsubmit = {
        let (identifier, password, errors, submitted) =
            (identifier.clone(), password.clone(), errors.clone(), submitted.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
            };
            let found = Errors {
                identifier: value(&identifier)
                    .trim()
                    .is_empty()
                    .then_some("Enter your email or phone number"),
                password: value(&password).is_empty().then_some("Enter your password"),
            };
            submitted.set(found == Errors::default());
            errors.set(found);
        })
    };

    html! {
        <form class="login" {onsubmit} novalidate=true aria-labelledby="login-title">
            <div class="login__brand">
                <div class="login__logo" aria-hidden="true">
                    { for (0..9).map(|_| html! { <span></span> }) }
                </div>
                <span class="login__name">{ "Digital Hub" }</span>
            </div>
            <h1 id="login-title">{ "Sign in" }</h1>
            <p class="login__intro">{ "Staff, instructors and students sign in with their email or phone number." }</p>
            <div class="field">
                <label for="identifier">{ "Email or phone" }</label>
                <input id="identifier" name="identifier" type="text" autocomplete="username"
                    ref={identifier} aria-invalid={errors.identifier.is_some().to_string()}
                    aria-describedby="identifier-error" />
                if let Some(message) = errors.identifier {
                    <div class="field__error" id="identifier-error">{ message }</div>
                }
            </div>
            <div class="field">
                <label for="password">{ "Password" }</label>
                <input id="password" name="password" type="password" autocomplete="current-password"
                    ref={password} aria-invalid={errors.password.is_some().to_string()}
                    aria-describedby="password-error" />
                if let Some(message) = errors.password {
                    <div class="field__error" id="password-error">{ message }</div>
                }
            </div>
            <button class="button button--primary" type="submit">{ "Sign in" }</button>
            if *submitted {
                <p class="notice" role="alert">
                    { "Sign-in is not available in this build yet: accounts and sessions arrive in the next release." }
                </p>
            }
        </form>
    }
}
