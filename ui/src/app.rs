//! The app's frame: the current screen above the status line.

use crate::components::status_line::StatusLine;
use crate::pages::login::Login;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="app">
            <main class="app__main">
                <Login />
            </main>
            <StatusLine />
        </div>
    }
}
