//! The admins' theme, live: the global and admin theme tokens set as CSS custom properties
//! on the document, at start and whenever an admin changes one.

use crate::ipc;
use hub_model::cms::AppThemeToken;
use hub_model::{ops, NoRequest};
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    /// The properties set last time, so a deleted token stops applying.
    static APPLIED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Sets each token on the root element, and unsets the ones no longer there.
pub fn apply(tokens: &[AppThemeToken]) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let style = root.style();
    APPLIED.with(|applied| {
        let mut applied = applied.borrow_mut();
        for old in applied.iter() {
            if !tokens.iter().any(|token| &token.key == old) {
                let _ = style.remove_property(old);
            }
        }
        for token in tokens {
            let _ = style.set_property(&token.key, &token.value);
        }
        *applied = tokens.iter().map(|token| token.key.clone()).collect();
    });
}

/// Reads the theme from the database and applies it; a failure leaves the built-in theme.
pub async fn refresh() {
    if let Ok(theme) = ipc::call::<ops::GetAppTheme>(&NoRequest {}).await {
        apply(&theme.tokens);
    }
}
