//! On the admin's home: mail that waits for a server with mail settings, or that failed.

use crate::ipc;
use hub_model::{ops, NoRequest};
use yew::prelude::*;

/// On the admin's home: mail that waits for a server, or that failed.
#[function_component(MailNotice)]
pub fn mail_notice() -> Html {
    let settings = ipc::use_call::<ops::GetMailSettings>(NoRequest {});
    let Some(Ok(settings)) = &*settings else { return html! {} };
    let text = match (&settings.relay, settings.queued, settings.failed) {
        (None, queued, _) if queued > 0 => format!(
            "{} to be sent: this hub server has no mail settings (SMTP_URL). See Mail.",
            messages(queued, "waits", "wait")
        ),
        (None, _, _) => {
            "This hub server sends no mail yet (no SMTP_URL): messages will wait in Mail.".to_owned()
        }
        (Some(_), _, failed) if failed > 0 => {
            format!("{} not be sent. See Mail.", messages(failed, "could", "could"))
        }
        _ => return html! {},
    };
    html! { <p class="notice notice--warn" role="status" data-testid="mail-notice">{ text }</p> }
}

/// "1 message waits", "3 messages wait".
fn messages(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 message {one}")
    } else {
        format!("{count} messages {many}")
    }
}
