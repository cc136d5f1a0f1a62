//! The hub's images in the window: `hubmedia://localhost/media/…` (on Windows
//! `http://hubmedia.localhost/media/…`), fetched by the shell through the same client as
//! every operation — so an image of a hub with a certificate of the school's own loads as
//! surely as its data, which the webview itself could not trust. An image's address names its
//! bytes for good, so each is fetched once a run and kept (within a budget).

use crate::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

/// The scheme the UI's image addresses use (`ui/src/media.rs`).
pub const SCHEME: &str = "hubmedia";

/// How much of the hub's images a run keeps in memory.
const KEPT_BYTES: usize = 48 * 1024 * 1024;

type Image = (String, Arc<[u8]>);

#[derive(Default)]
pub struct Kept {
    images: Mutex<HashMap<String, Image>>,
}

impl Kept {
    fn get(&self, path: &str) -> Option<Image> {
        self.images.lock().unwrap_or_else(PoisonError::into_inner).get(path).cloned()
    }

    fn keep(&self, path: String, image: Image) {
        let mut images = self.images.lock().unwrap_or_else(PoisonError::into_inner);
        let held: usize = images.values().map(|(_, bytes)| bytes.len()).sum();
        if held + image.1.len() > KEPT_BYTES {
            images.clear();
        }
        images.insert(path, image);
    }
}

fn answer(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .body(body)
        .unwrap_or_else(|_| Response::new(Vec::new()))
}

/// Answers one image request of the window, off its thread.
// The signature is the one Tauri calls a scheme's handler with.
#[allow(clippy::needless_pass_by_value)]
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    let path = request.uri().path().to_owned();
    tauri::async_runtime::spawn(async move {
        let kept = app.state::<Kept>();
        if let Some((content_type, bytes)) = kept.get(&path) {
            return responder.respond(answer(StatusCode::OK, &content_type, bytes.to_vec()));
        }
        let client = app.state::<AppState>().client();
        let fetched = match client {
            Ok(client) => client.media(&path).await,
            Err(error) => Err(error),
        };
        let response = match fetched {
            Ok((content_type, bytes)) => {
                let bytes: Arc<[u8]> = bytes.into();
                kept.keep(path, (content_type.clone(), bytes.clone()));
                answer(StatusCode::OK, &content_type, bytes.to_vec())
            }
            Err(error) => {
                let status = if error.kind == hub_model::ErrorKind::NotFound {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::BAD_GATEWAY
                };
                tracing::debug!(%path, message = %error.message, "an image could not be fetched");
                let mut response = answer(status, "text/plain", error.message.into_bytes());
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
                response
            }
        };
        responder.respond(response);
    });
}
