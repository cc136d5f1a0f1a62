//! The commands about the hub itself: its address (checked, saved, changed), its website's
//! preview, and saving a download in the person's folder.

use crate::connection::{self, SavedHub};
use crate::shell::Handler;
use crate::{session, AppState, HubConnection, Session};
use hub_client::HubClient;
use hub_model::connection::{ConnectionCheck, ConnectionSource, ConnectionState, HubAddress, HubSettings};
use hub_model::desktop::{Download, HubCheck, HubSave, HubState, SaveDownload};
use hub_model::{ApiError, ErrorKind, NoRequest};
use std::sync::PoisonError;
use tauri::{AppHandle, Manager};

fn state(app: &AppHandle) -> tauri::State<'_, AppState> {
    app.state::<AppState>()
}

impl Handler for HubState {
    async fn handle(app: &AppHandle, _request: NoRequest) -> Result<ConnectionState, ApiError> {
        let state = state(app);
        let (address, source, ca_certificate_path) = {
            let hub = state.hub.read().unwrap_or_else(PoisonError::into_inner);
            (
                hub.client.as_ref().ok().map(|client| client.address().clone()),
                hub.source,
                hub.ca_certificate_path.clone(),
            )
        };
        Ok(ConnectionState {
            source,
            address,
            ca_certificate_path,
            token_storage: connection::token_storage(app),
        })
    }
}

/// A client of the hub the settings name, and the CA certificate it was given (PEM).
fn client_of(settings: &HubSettings) -> Result<(HubClient, Option<String>), ApiError> {
    let address = HubAddress::parse("address", &settings.address)?;
    let path = settings.ca_certificate_path.trim();
    let pem = if path.is_empty() {
        None
    } else {
        let text = std::fs::read_to_string(path).map_err(|error| ApiError {
            kind: ErrorKind::Validation,
            message: format!("ca_certificate_path: cannot be read ({error})"),
            field: Some("ca_certificate_path".to_owned()),
        })?;
        Some(text)
    };
    let client = HubClient::new(address, pem.as_deref().map(str::as_bytes))?;
    Ok((client, pem))
}

/// Asks the hub's health: it must answer as a Digital Hub server whose database works.
async fn check(client: &HubClient) -> Result<ConnectionCheck, ApiError> {
    let health = client.health().await?;
    if !health.database {
        return Err(ApiError::new(
            ErrorKind::Unavailable,
            format!(
                "the hub at {} answers, but its database does not; tell the hub's operator",
                client.address()
            ),
        ));
    }
    Ok(ConnectionCheck { address: client.address().clone(), health })
}

impl Handler for HubCheck {
    async fn handle(_app: &AppHandle, settings: HubSettings) -> Result<ConnectionCheck, ApiError> {
        let (client, _) = client_of(&settings)?;
        check(&client).await
    }
}

impl Handler for HubSave {
    async fn handle(app: &AppHandle, settings: HubSettings) -> Result<ConnectionState, ApiError> {
        let state = state(app);
        if state.source() == ConnectionSource::Environment {
            return Err(ApiError::new(
                ErrorKind::Conflict,
                "DIGITAL_HUB_URL is set for this run and takes precedence; start the app without it to use a \
                 saved hub",
            ));
        }
        let (client, ca_certificate) = client_of(&settings)?;
        check(&client).await?;
        // Whoever was signed in to the hub before is signed out of it.
        session::sign_out(app).await;
        let path = Some(settings.ca_certificate_path.trim().to_owned()).filter(|path| !path.is_empty());
        let saved =
            SavedHub { address: client.address().clone(), ca_certificate_path: path.clone(), ca_certificate };
        connection::save_hub(app, &saved)?;
        *state.hub.write().unwrap_or_else(PoisonError::into_inner) =
            HubConnection { client: Ok(client), source: ConnectionSource::Saved, ca_certificate_path: path };
        *state.session() = Session::None;
        HubState::handle(app, NoRequest {}).await
    }
}

impl Handler for SaveDownload {
    /// Saves in the person's Downloads folder; the name is reduced to letters, digits, dots
    /// and dashes.
    async fn handle(app: &AppHandle, download: Download) -> Result<String, ApiError> {
        let name: String = download
            .filename
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' })
            .collect();
        if name.trim_matches(|c| c == '.' || c == '-').is_empty() {
            return Err(ApiError {
                kind: ErrorKind::Validation,
                message: "filename: is empty".to_owned(),
                field: Some("filename".to_owned()),
            });
        }
        let folder = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(|error| {
            ApiError::new(ErrorKind::Unavailable, format!("no Downloads folder: {error}"))
        })?;
        let path = folder.join(name);
        std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, download.content)).map_err(
            |error| ApiError::new(ErrorKind::Unavailable, format!("cannot save {}: {error}", path.display())),
        )?;
        Ok(path.display().to_string())
    }
}
