//! Who the client is. Behind a TLS proxy every connection comes from the
//! proxy, and the client's address arrives in the header the proxy writes:
//! `X-Forwarded-For` or `Forwarded` (RFC 7239), as the agency says
//! (`security.client_address_header`; the other is never read, since a
//! client can send it itself and most proxies pass it on untouched). It is
//! believed only from a proxy the agency named (`security.trusted_proxies`),
//! and only as far back as the chain passes through its proxies: the first
//! address that is not one of them is the client.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::server::audit::{client_address, ClientAddress, REQUEST_CLIENT};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderMap;
use ipnet::IpNet;

/// The header the proxies write the client into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientHeader {
    #[default]
    XForwardedFor,
    Forwarded,
}

impl ClientHeader {
    /// `x-forwarded-for` or `forwarded`, any case.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }
}

/// The proxies in front of the portal.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    nets: Arc<[IpNet]>,
    header: ClientHeader,
}

impl TrustedProxies {
    /// Reads `security.trusted_proxies`: addresses (`10.0.0.7`) or blocks
    /// (`10.0.0.0/8`, `fd00::/8`). The entry that is neither, if any.
    pub fn parse(entries: &[String], header: ClientHeader) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| entry.to_owned())
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|nets| Self {
                nets: nets.into(),
                header,
            })
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.nets.iter().any(|net| net.contains(&address))
    }

    /// The client of a request that came over a connection from `peer`.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = match self.header {
            ClientHeader::XForwardedFor => x_forwarded_for(headers),
            ClientHeader::Forwarded => forwarded(headers),
        };
        let mut client = peer;
        // Nearest hop last: walk back while the hop is one of ours.
        for hop in chain.iter().rev() {
            match hop {
                Some(address) => client = address.to_canonical(),
                // "unknown", an obfuscated name, garbage: nothing further
                // back can be believed; the last proxy that said is the client.
                None => break,
            }
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// Puts the client's address on the request, for the audit log and the
/// throttles (`app::server::audit::Source`).
pub async fn find_client(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let client =
        client_address(request.extensions()).map(|peer| proxies.client_of(peer, request.headers()));
    if let Some(client) = client {
        request.extensions_mut().insert(ClientAddress(client));
    }
    REQUEST_CLIENT.scope(client, next.run(request)).await
}

/// The `for=` of every `Forwarded` element, oldest first.
fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let mut chain = Vec::new();
    for value in headers.get_all(http::header::FORWARDED) {
        let Ok(value) = value.to_str() else {
            chain.push(None);
            continue;
        };
        for element in value.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| value.trim())
            });
            chain.push(node.and_then(node_address));
        }
    }
    chain
}

/// `192.0.2.60`, `"192.0.2.60:4711"`, `"[2001:db8::17]:4711"`, `"[2001:db8::17]"`.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|v6| v6.parse().ok())
}

/// Every `X-Forwarded-For` address, oldest first.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| match value.to_str() {
            Ok(value) => value
                .split(',')
                .map(|hop| node_address(hop.trim()))
                .collect(),
            Err(_) => vec![None],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap_or_else(|e| panic!("{e}")));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn proxies(entries: &[&str], header: ClientHeader) -> TrustedProxies {
        let entries: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
        TrustedProxies::parse(&entries, header).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn headers_from_anyone_but_a_trusted_proxy_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(
            none.client_of(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
        let ours = proxies(&["10.0.0.0/8"], ClientHeader::XForwardedFor);
        assert_eq!(
            ours.client_of(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_client_is_the_first_address_back_that_is_not_a_proxy_of_ours() {
        let ours = proxies(&["10.0.0.0/8", "fd00::1"], ClientHeader::XForwardedFor);
        // The client prepended a lie; our proxy appended what it saw.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.1.1")]);
        assert_eq!(ours.client_of(ip("10.0.0.2"), &chain), ip("198.51.100.7"));
        // A `Forwarded` the client sent itself is not read by a portal whose
        // proxy writes X-Forwarded-For (Caddy and nginx pass it on as it is).
        let both = headers(&[
            ("forwarded", "for=10.0.0.9"),
            ("x-forwarded-for", "192.0.2.99"),
        ]);
        assert_eq!(ours.client_of(ip("10.0.0.2"), &both), ip("192.0.2.99"));
        // Nothing believable: the proxy is all that is known.
        let garbage = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(ours.client_of(ip("10.0.0.2"), &garbage), ip("10.0.0.2"));
        // An IPv4 client written as IPv6 is counted as itself.
        let mapped = headers(&[("x-forwarded-for", "::ffff:198.51.100.7")]);
        assert_eq!(ours.client_of(ip("10.0.0.2"), &mapped), ip("198.51.100.7"));

        let rfc = proxies(&["fd00::1"], ClientHeader::Forwarded);
        let forwarded = headers(&[
            (
                "forwarded",
                "for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https",
            ),
            ("x-forwarded-for", "192.0.2.99"),
        ]);
        assert_eq!(
            rfc.client_of(ip("fd00::1"), &forwarded),
            ip("2001:db8:cafe::17")
        );
        let unknown = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(rfc.client_of(ip("fd00::1"), &unknown), ip("fd00::1"));
    }

    #[test]
    fn entries_are_addresses_or_blocks() {
        let header = ClientHeader::default();
        let good = ["127.0.0.1".into(), "::1".into(), "10.0.0.0/8".into()];
        assert!(TrustedProxies::parse(&good, header).is_ok());
        assert_eq!(
            TrustedProxies::parse(&["10.0.0.0/33".into()], header).err(),
            Some("10.0.0.0/33".to_owned())
        );
        assert_eq!(
            ClientHeader::parse("Forwarded"),
            Some(ClientHeader::Forwarded)
        );
        assert_eq!(ClientHeader::parse("x-real-ip"), None);
    }
}
