//! Digital Hub's desktop UI: a Yew app rendered in the Tauri window.

mod app;
mod components;
mod ipc;
mod pages;
mod session;
mod theme;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
