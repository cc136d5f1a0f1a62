//! Who is on the other end of a request: the peer's address, or — when the server runs
//! behind a reverse proxy it was told to trust — the address the proxy says it served.
//! Rate limits and sign-in throttles count per this address.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Whether the peer is a reverse proxy whose `X-Forwarded-For` may be believed. Added to a
/// router as an `Extension`; without one, the peer is the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Peer {
    /// Clients connect directly: `X-Forwarded-For` is whatever they chose to send.
    #[default]
    Client,
    /// A reverse proxy (nginx, Caddy, HAProxy) connects: the last address it appended to
    /// `X-Forwarded-For` is the client's.
    TrustedProxy,
}

/// The client's address, as far as this server can know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        // A router served without connection info (a test's `oneshot`) has no peer: that is
        // this machine.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |ConnectInfo(peer)| peer.ip());
        let trusted = parts.extensions.get::<Peer>().copied().unwrap_or_default() == Peer::TrustedProxy;
        let forwarded = trusted.then(|| forwarded_client(&parts.headers)).flatten();
        Ok(Self(forwarded.unwrap_or(peer)))
    }
}

/// The last address in the last `X-Forwarded-For` header: the one the trusted proxy added.
/// (Earlier entries are the client's own claims.)
fn forwarded_client(headers: &axum::http::HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn the_proxys_own_entry_is_believed_not_the_clients_claims() {
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", HeaderValue::from_static("10.9.9.9, 198.51.100.7"));
        assert_eq!(forwarded_client(&headers), Some("198.51.100.7".parse().unwrap()));
        headers.append("x-forwarded-for", HeaderValue::from_static("203.0.113.5"));
        assert_eq!(forwarded_client(&headers), Some("203.0.113.5".parse().unwrap()));
        assert_eq!(forwarded_client(&HeaderMap::new()), None);
        let mut garbage = HeaderMap::new();
        garbage.append("x-forwarded-for", HeaderValue::from_static("not an address"));
        assert_eq!(forwarded_client(&garbage), None);
    }
}
