//! Per-address request limits, kept in memory by each node: a fixed one-minute window per
//! client address (an IPv6 client's /64). They make guessing and refused calls expensive for the caller while costing
//! the server a map lookup, before any database or password work.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use cpaas_shared::ErrorCode;

use crate::error::ApiError;

const WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered before quiet ones are dropped.
const REMEMBERED: usize = 10_000;

/// How many calls each address may make per minute.
pub struct Limit {
    per_minute: u32,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl Limit {
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a call from `address`; refused with `429 too_many_requests` (and the seconds to
    /// wait) once the address has used its minute's calls.
    pub fn hit(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let Some(address) = address else {
            return Ok(());
        };
        let now = Instant::now();
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= REMEMBERED {
            seen.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = seen.entry(address).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            (*start, *count) = (now, 0);
        }
        if *count >= self.per_minute {
            let wait = WINDOW
                .saturating_sub(now.duration_since(*start))
                .as_secs()
                .max(1);
            return Err(too_many_requests(i64::try_from(wait).unwrap_or(60)));
        }
        *count += 1;
        Ok(())
    }
}

/// The per-address limits of this node.
pub struct Limits {
    /// Portal and client sign-in.
    pub sign_in: Limit,
    /// Webhook calls refused for their token.
    pub webhook_refusals: Limit,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`CPAAS_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpAddr>,
}

impl Limits {
    /// The client a request came from, as limits and throttles count it: the TCP peer, or,
    /// when that is a trusted proxy, the nearest untrusted address its `X-Forwarded-For`
    /// names. IPv6 clients count by their /64 network (one subscriber's whole range), IPv4
    /// ones by address.
    pub fn client(&self, req: &HttpRequest) -> Option<IpAddr> {
        let mut address = req.peer_addr()?.ip();
        if self.trusted_proxies.contains(&address) {
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .collect::<Vec<_>>();
            if let Some(nearest) = forwarded
                .into_iter()
                .rev()
                .find(|a| !self.trusted_proxies.contains(a))
            {
                address = nearest;
            }
        }
        Some(network(address))
    }
}

impl Limits {
    /// A sign-in attempt from `req`'s client: counted against its minute (429 past it);
    /// answers the client address as throttles key it (empty when unknown).
    pub fn sign_in_from(&self, req: &HttpRequest) -> Result<String, ApiError> {
        let address = self.client(req);
        self.sign_in.hit(address)?;
        Ok(address.map(|a| a.to_string()).unwrap_or_default())
    }
}

/// An IPv6 address's /64 (an IPv4-mapped one as IPv4); an IPv4 address as it is.
fn network(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// `CPAAS_TRUSTED_PROXIES`: comma-separated addresses.
pub fn parse_proxies(list: &str) -> anyhow::Result<Vec<IpAddr>> {
    list.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse()
                .map_err(|_| anyhow::anyhow!("CPAAS_TRUSTED_PROXIES: {a} is not an IP address"))
        })
        .collect()
}

fn too_many_requests(seconds: i64) -> ApiError {
    ApiError::new(
        ErrorCode::TooManyRequests,
        format!("Too many requests from this address: try again in {seconds} seconds."),
    )
    .with_retry_after(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_minute() {
        let limit = Limit::per_minute(2);
        let (a, b) = (
            Some(IpAddr::from([192, 0, 2, 1])),
            Some(IpAddr::from([192, 0, 2, 2])),
        );
        assert!(limit.hit(a).is_ok() && limit.hit(a).is_ok());
        let refused = limit.hit(a).expect_err("third call");
        assert_eq!(refused.code(), ErrorCode::TooManyRequests);
        assert!(limit.hit(b).is_ok(), "another address is not affected");
        assert!(limit.hit(None).is_ok(), "no address: nothing to count");
    }

    #[test]
    fn ipv6_counts_by_its_64_and_proxies_parse() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("v6");
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("v6");
        assert_eq!(network(one), network(other));
        assert_ne!(
            network(one),
            network("2001:db8:1:3::1".parse().expect("v6"))
        );
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("mapped");
        assert_eq!(network(mapped), IpAddr::from([192, 0, 2, 7]));
        assert_eq!(
            parse_proxies(" 127.0.0.1, ::1 ").expect("list"),
            vec![IpAddr::from([127, 0, 0, 1]), "::1".parse().expect("v6")]
        );
        assert!(parse_proxies("proxy.example").is_err());
    }
}
