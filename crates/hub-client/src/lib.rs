//! The hub server's client: one shared connection pool (reqwest over rustls, the computer's
//! own trusted certificates plus the school's CA when given one), and typed calls of the
//! operation catalogue. The desktop app, its offline sync and the tests all talk to the hub
//! through it. No operation-specific code lives here: an operation is a name and two types.
//!
//! Every failure is an [`ApiError`]: the server's own refusal as it sent it, or, when the
//! hub could not be reached or answered something else, `unavailable` with a sentence
//! saying why (refused, timed out, an untrusted certificate, a proxy's error page).

use hub_model::app::HubHealth;
use hub_model::auth::{Done, LoginRequest, SessionToken, SignedIn};
use hub_model::connection::HubAddress;
use hub_model::{ApiError, ErrorKind, Operation};
use reqwest::header::{HeaderValue, AUTHORIZATION};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;

/// How long to wait for the hub to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole exchange may take (a batch of marks over a slow line included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of one hub server. Cheap to clone: clones share their connections.
#[derive(Clone, Debug)]
pub struct HubClient {
    address: HubAddress,
    http: reqwest::Client,
}

fn unavailable(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorKind::Unavailable, message)
}

impl HubClient {
    /// A client of the hub at `address`, trusting the computer's certificates and, when
    /// given, the CA certificate(s) in `ca_pem` too. A file that holds no certificate is
    /// refused naming `ca_certificate_path`.
    pub fn new(address: HubAddress, ca_pem: Option<&[u8]>) -> Result<Self, ApiError> {
        // The process's TLS provider: ring, as everywhere in Digital Hub. Installing it twice
        // is harmless (the first one stays).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .tcp_nodelay(true)
            .user_agent(concat!("DigitalHub/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = ca_pem {
            let invalid = |message: String| ApiError {
                kind: ErrorKind::Validation,
                message: format!("ca_certificate_path: {message}"),
                field: Some("ca_certificate_path".to_owned()),
            };
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|error| invalid(format!("is not a PEM certificate file: {error}")))?;
            if certificates.is_empty() {
                return Err(invalid(
                    "holds no certificate (it should start with -----BEGIN CERTIFICATE-----)".to_owned(),
                ));
            }
            builder = builder.tls_certs_merge(certificates);
        }
        let http = builder.build().map_err(|error| {
            ApiError::new(ErrorKind::Internal, format!("the HTTPS client cannot start: {error}"))
        })?;
        Ok(Self { address, http })
    }

    pub fn address(&self) -> &HubAddress {
        &self.address
    }

    /// `GET /api/v1/health`: the hub's version and its database's state. A hub whose
    /// database is down answers too (503 with the same body), and that is an answer.
    pub async fn health(&self) -> Result<HubHealth, ApiError> {
        let response = self.http.get(self.address.join("/api/v1/health")).send().await;
        let response = response.map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| self.unreachable(&error))?;
        serde_json::from_slice(&bytes).map_err(|_| {
            unavailable(format!(
                "{} answered {status}, which is not a Digital Hub server's health; check the address",
                self.address
            ))
        })
    }

    /// `POST /api/v1/sessions`: signs in; the answer carries the session's token.
    pub async fn sign_in(&self, request: &LoginRequest) -> Result<SignedIn, ApiError> {
        self.send(self.http.post(self.address.join("/api/v1/sessions")).json(request)).await
    }

    /// `DELETE /api/v1/sessions/current`: the token stops working.
    pub async fn sign_out(&self, token: &SessionToken) -> Result<(), ApiError> {
        let request = self.http.delete(self.address.join("/api/v1/sessions/current"));
        self.send::<Done>(with_token(request, Some(token))).await.map(drop)
    }

    /// Runs operation `O` on the hub as the session of `token` (or nobody).
    pub async fn call<O: Operation>(
        &self,
        token: Option<&SessionToken>,
        request: &O::Request,
    ) -> Result<O::Response, ApiError> {
        self.call_named(token, O::NAME, request).await
    }

    /// Runs the operation called `name`: for callers that hold only the name (the desktop
    /// shell relays the UI's typed calls this way).
    pub async fn call_named<R: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        token: Option<&SessionToken>,
        name: &str,
        request: &R,
    ) -> Result<T, ApiError> {
        // An operation's name is `area.verb`; anything else would not name one, and must not
        // change the path.
        if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_') {
            return Err(ApiError::new(ErrorKind::NotFound, format!("operation {name:?} was not found")));
        }
        let request = self.http.post(self.address.join(&format!("/api/v1/ops/{name}"))).json(request);
        self.send(with_token(request, token)).await
    }

    /// An image the hub keeps (`/media/…`): its content type and bytes. Any other path is
    /// refused here: this is no general way into the hub.
    pub async fn media(&self, path: &str) -> Result<(String, Vec<u8>), ApiError> {
        if hub_model::media::MediaPath::parse(path).is_none() {
            return Err(ApiError::new(ErrorKind::NotFound, format!("{path} is no image of the hub's")));
        }
        let response = self.http.get(self.address.join(path)).send().await;
        let response = response.map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.map_err(|error| self.unreachable(&error))?;
        if status.is_success() && content_type.starts_with("image/") {
            Ok((content_type, bytes.to_vec()))
        } else if status == reqwest::StatusCode::NOT_FOUND {
            Err(ApiError::new(ErrorKind::NotFound, format!("the hub keeps no image at {path}")))
        } else {
            Err(unavailable(format!(
                "{} answered {status} for an image; try again in a moment",
                self.address
            )))
        }
    }

    async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, ApiError> {
        let response = request.send().await.map_err(|error| self.unreachable(&error))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|error| self.unreachable(&error))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|error| {
                ApiError::new(
                    ErrorKind::Internal,
                    format!("the hub's answer cannot be read ({error}); is the hub a different version?"),
                )
            });
        }
        // The hub's own refusals are `{kind, message}` (a public endpoint's are `{error}`);
        // anything else came from something in between (a proxy with no hub behind it).
        if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
            return Err(error);
        }
        if let Ok(public) = serde_json::from_slice::<hub_model::public::PublicError>(&bytes) {
            let kind = if status == reqwest::StatusCode::NOT_FOUND {
                ErrorKind::NotFound
            } else {
                ErrorKind::Unavailable
            };
            return Err(ApiError::new(kind, public.error));
        }
        Err(unavailable(format!(
            "{} answered {status} instead of the hub; try again in a moment",
            self.address
        )))
    }

    /// Why the hub did not answer, in a sentence.
    fn unreachable(&self, error: &reqwest::Error) -> ApiError {
        let detail = innermost(error);
        let address = &self.address;
        let message = if error.is_timeout() {
            format!("the hub at {address} did not answer in time")
        } else if detail.contains("certificate")
            || detail.contains("UnknownIssuer")
            || detail.contains("NotValidForName")
        {
            format!(
                "the hub at {address} is not trusted by this computer ({detail}); if the hub uses a certificate \
                 of the school's own, choose its CA certificate on the connection screen"
            )
        } else if error.is_connect() {
            format!("the hub at {address} cannot be reached ({detail})")
        } else {
            format!("the connection to the hub at {address} failed ({detail})")
        };
        unavailable(message)
    }
}

fn with_token(request: reqwest::RequestBuilder, token: Option<&SessionToken>) -> reqwest::RequestBuilder {
    match token.and_then(|token| HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()) {
        Some(mut value) => {
            // Kept out of any debug output of the request.
            value.set_sensitive(true);
            request.header(AUTHORIZATION, value)
        }
        None => request,
    }
}

/// The deepest cause of an error: "Connection refused (os error 111)" rather than
/// "error sending request".
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}
