//! Per-address request limits, kept in memory by each node: a fixed one-minute window per
//! client address. They make guessing and refused calls expensive for the caller while costing
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
}

/// The address a request came from: the TCP peer (a forwarded-for header is not trusted).
pub fn address(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|peer| peer.ip())
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
}
