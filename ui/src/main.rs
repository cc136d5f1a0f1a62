//! Digital Hub's desktop UI: a Yew app rendered in the Tauri window.

mod app;
mod components;
mod ipc;
mod pages;
mod panels;
mod session;
mod shell;
mod theme;

fn main() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        say_the_window_broke(&info.to_string());
    }));
    yew::Renderer::<app::App>::new().render();
}

/// After a panic the UI may no longer answer: say so on top of everything rather than leave
/// a window that silently ignores clicks. The message also goes on `<body data-panic>`,
/// where the window tests read it when a step fails.
fn say_the_window_broke(message: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Some(body) = document.body() else { return };
    let _ = body.set_attribute("data-panic", message);
    if document.get_element_by_id("fatal").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("fatal");
    let _ = banner.set_attribute("class", "fatal");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(
        "Something went wrong inside Digital Hub and this window may no longer respond. Close it and \
         open it again: what you saved is kept, and marks waiting to sync stay on this computer.",
    ));
    let _ = body.append_child(&banner);
}
