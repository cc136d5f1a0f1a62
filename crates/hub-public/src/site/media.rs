//! `/media/{key}[-{width}].{jpg|png}`: the images the hub keeps, as the hub encoded them.
//! An address names its bytes for good, so browsers and CDNs keep each for a year and never
//! ask again; the database is read once per client, not per page view.

use super::{key_of, secure};
use crate::{Failure, Negotiation, PublicState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hub_model::media::{self, MediaPath, WIDTHS};

const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";

pub(super) async fn image(
    State(state): State<PublicState>,
    file: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    wants: Negotiation,
) -> Response {
    let path = key_of(file).map(|file| format!("{}{file}", MediaPath::PREFIX)).unwrap_or_default();
    let Some(wanted) = MediaPath::parse(&path) else {
        return state.not_found(&wants).await;
    };
    let width = wanted.width.unwrap_or(WIDTHS[WIDTHS.len() - 1]);
    let etag = format!("\"{}-{width}\"", wanted.key);
    let held = headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == etag);
    if held {
        // The address names its bytes for good: what the client holds is still them.
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(FOR_A_YEAR));
        return response;
    }
    let (pool, _) = state.reader();
    let read = sqlx::query!(
        r#"select format as "format!", bytes as "bytes!" from published.media_files where key = $1 and width = $2"#,
        wanted.key,
        width as i32
    )
    .fetch_optional(&pool);
    let row = match tokio::time::timeout(state.request_timeout, read).await {
        Ok(Ok(row)) => row,
        Ok(Err(error)) => return Failure::from(error).into_response(),
        Err(_) => return Failure::TimedOut.into_response(),
    };
    let Some(row) = row.filter(|row| media::extension(&row.format) == wanted.extension) else {
        return state.not_found(&wants).await;
    };
    let mut response = (StatusCode::OK, row.bytes).into_response();
    let content_type = media::content_type(&row.format);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(FOR_A_YEAR));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    secure(response)
}
