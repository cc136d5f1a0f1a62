//! A bare WebKitGTK window: GTK, one web view, a static sign-in form, no script. `cargo xtask
//! bench desktop` measures its memory beside the app's, drawn the way the app draws (the
//! bench sets WEBKIT_DISABLE_COMPOSITING_MODE as the app does): the least any app whose
//! window is WebKitGTK holds on the machine. A program of its own, so that the bench, which
//! reads the memory, shares no WebKit pages with what it measures.

/// What a sign-in screen needs, without a line of script.
#[cfg(target_os = "linux")]
const PAGE: &str =
    "<!doctype html><title>Sign in</title><form><label>Email <input id=identifier autofocus></label>\
    <label>Password <input type=password></label><button>Sign in</button></form>";

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use webkit2gtk::WebViewExt;
    gtk::init().expect("GTK opens the display");
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    window.set_default_size(1280, 800);
    let view = webkit2gtk::WebView::new();
    view.load_html(PAGE, Some("file:///"));
    window.add(&view);
    window.connect_destroy(|_| gtk::main_quit());
    window.show_all();
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("a WebKitGTK window is Linux's");
}
