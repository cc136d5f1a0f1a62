//! Who is on the other end of a request: the peer's address, or — when the peer is one of
//! the reverse proxies the server was told to trust — the address the proxies say they
//! served. Rate limits and sign-in throttles count per this address.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Which header the trusted proxies name clients in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, Caddy by default).
    #[default]
    XForwardedFor,
    /// RFC 7239's `Forwarded: for=client, for="[2001:db8::1]:4711"`.
    Forwarded,
}

impl ForwardedHeader {
    /// `x-forwarded-for` or `forwarded`, in any case.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "forwarded" => Ok(Self::Forwarded),
            _ => Err(format!("proxy header {text:?} must be X-Forwarded-For or Forwarded")),
        }
    }
}

/// The reverse proxies whose forwarding header is believed. Added to a router as an
/// `Extension`; without one (or with none listed), the peer is the client and any
/// forwarding header is the client's own claim.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    trusted: Arc<[IpNet]>,
    header: ForwardedHeader,
}

impl Proxies {
    /// Proxies at these addresses or networks (`10.0.0.5`, `10.0.0.0/8`, `fd00::/8`),
    /// naming clients in `header`. Refuses, naming it, what is neither.
    pub fn new(trusted: &[String], header: ForwardedHeader) -> Result<Self, String> {
        let trusted = trusted
            .iter()
            .map(|text| {
                let text = text.trim();
                text.parse::<IpNet>()
                    .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        format!("trusted proxy {text:?} must be an address or a network like 10.0.0.0/8")
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { trusted: trusted.into(), header })
    }

    /// Whether no proxy is trusted: every peer is a client.
    pub fn is_empty(&self) -> bool {
        self.trusted.is_empty()
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.trusted.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`. From a trusted proxy, the forwarding header is read from
    /// its right end (what the nearest proxy added) leftwards, past every address that is a
    /// trusted proxy itself: the first one that is not is the client. Entries further left
    /// are whatever the client claimed, and are never believed.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let hops = match self.header {
            ForwardedHeader::XForwardedFor => header_list(headers, "x-forwarded-for", whole),
            ForwardedHeader::Forwarded => header_list(headers, "forwarded", forwarded_for),
        };
        let mut client = peer;
        for hop in hops.iter().rev() {
            // An entry that is not an address ("unknown", an obfuscated name): nothing
            // beyond it can be told apart, so the last proxy known is the client.
            let Some(address) = parse_address(hop) else { break };
            client = canonical(address);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// An IPv4 client as itself, however the socket spelled it (`::ffff:203.0.113.7`).
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// Every comma-separated entry of every `name` header, in order, each through `pick`.
fn header_list(headers: &HeaderMap, name: &str, pick: fn(&str) -> Option<&str>) -> Vec<String> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|value| value.to_str().unwrap_or("unknown").split(','))
        .map(|entry| pick(entry.trim()).unwrap_or("unknown").to_owned())
        .collect()
}

/// An `X-Forwarded-For` entry is the address itself.
fn whole(entry: &str) -> Option<&str> {
    Some(entry)
}

/// The `for=` of one `Forwarded` element (`for=192.0.2.60;proto=http;by=203.0.113.43`).
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"'))
    })
}

/// `192.0.2.60`, `192.0.2.60:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    text.strip_prefix('[')?.split(']').next()?.parse().ok()
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
        let client = match parts.extensions.get::<Proxies>() {
            Some(proxies) => proxies.client(peer, &parts.headers),
            None => canonical(peer),
        };
        Ok(Self(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: &'static str, values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(name, HeaderValue::from_static(value));
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_nearest_untrusted_hop_is_the_client_and_claims_before_it_are_not_believed() {
        let proxies = Proxies::new(&["10.0.0.0/8".to_owned()], ForwardedHeader::XForwardedFor).unwrap();
        let chain = headers("x-forwarded-for", &["203.0.113.66, 198.51.100.7", "10.1.1.1"]);
        assert_eq!(proxies.client(ip("10.0.0.2"), &chain), ip("198.51.100.7"), "past the inner proxy");
        assert_eq!(
            proxies.client(ip("192.0.2.1"), &chain),
            ip("192.0.2.1"),
            "an untrusted peer is the client"
        );
        assert_eq!(
            proxies.client(ip("::ffff:10.0.0.2"), &chain),
            ip("198.51.100.7"),
            "a mapped proxy address"
        );
        assert_eq!(proxies.client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"), "no header: the proxy");
        let garbage = headers("x-forwarded-for", &["198.51.100.7, not an address"]);
        assert_eq!(proxies.client(ip("10.0.0.2"), &garbage), ip("10.0.0.2"));
        assert!(Proxies::default().is_empty());
        assert_eq!(Proxies::default().client(ip("10.0.0.2"), &chain), ip("10.0.0.2"));
    }

    #[test]
    fn forwarded_names_clients_in_for_with_ports_and_brackets() {
        let proxies = Proxies::new(&["127.0.0.1".to_owned()], ForwardedHeader::Forwarded).unwrap();
        let six = headers("forwarded", &[r#"for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https"#]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &six), ip("2001:db8:cafe::17"));
        let four = headers("forwarded", &[r#"proto=http;For="198.51.100.9:80""#]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &four), ip("198.51.100.9"));
        // X-Forwarded-For is not what these proxies set: a client's copy of it is ignored.
        let other = headers("x-forwarded-for", &["198.51.100.9"]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &other), ip("127.0.0.1"));
    }

    #[test]
    fn a_proxy_that_is_neither_an_address_nor_a_network_is_refused_by_name() {
        let error = Proxies::new(&["10.0.0.0/33".to_owned()], ForwardedHeader::default()).unwrap_err();
        assert!(error.contains("10.0.0.0/33"), "{error}");
        assert!(Proxies::new(&["proxy.local".to_owned()], ForwardedHeader::default()).is_err());
        assert_eq!(ForwardedHeader::parse("Forwarded"), Ok(ForwardedHeader::Forwarded));
        assert!(ForwardedHeader::parse("X-Real-IP").unwrap_err().contains("X-Real-IP"));
    }
}
