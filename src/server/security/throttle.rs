//! Sign-in and sign-up throttling, and a bound on password hashing.
//!
//! Guessing is limited twice (GCRA limiters from the `governor` crate): per client address, which slows
//! one machine trying many accounts, and per account, which slows many machines trying one. Every
//! attempt counts, successful or not, so a refusal says nothing about the password.
//!
//! Each argon2 hash takes about 19 MiB for a moment. A flood of sign-ins from many addresses would
//! still reach the hasher, so at most `hash_slots` hashes run at once and the rest wait their turn
//! (briefly: after [`HASH_QUEUE_WAIT`] the request is told to come back later).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a request waits for a hashing slot before it is refused as busy.
pub const HASH_QUEUE_WAIT: Duration = Duration::from_secs(10);

/// How many attempts pass at once, and how fast the allowance refills.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub burst: u32,
    pub one_every: Duration,
}

impl Limit {
    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(self.one_every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

/// Per client address: a sign-up or sign-in every two seconds after a burst of thirty (enough for a
/// whole office behind one address, and for the end-to-end suite on loopback).
pub const PER_ADDRESS: Limit = Limit { burst: 30, one_every: Duration::from_secs(2) };
/// Per account: six tries, then one a minute (360 guesses a day at most).
pub const PER_ACCOUNT: Limit = Limit { burst: 6, one_every: Duration::from_secs(60) };

pub struct SignInThrottle {
    by_address: DefaultKeyedRateLimiter<IpAddr>,
    by_account: DefaultKeyedRateLimiter<String>,
    hashing: Semaphore,
}

/// Over a limit: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany(pub Duration);

/// No hashing slot came free in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl Default for SignInThrottle {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        SignInThrottle::new(PER_ADDRESS, PER_ACCOUNT, cores.clamp(1, 4))
    }
}

impl SignInThrottle {
    pub fn new(per_address: Limit, per_account: Limit, hash_slots: usize) -> Self {
        SignInThrottle {
            by_address: RateLimiter::keyed(per_address.quota()),
            by_account: RateLimiter::keyed(per_account.quota()),
            hashing: Semaphore::new(hash_slots.max(1)),
        }
    }

    /// Counts one attempt from `address` on `account` (a normalised email).
    pub fn attempt(&self, address: IpAddr, account: &str) -> Result<(), TooMany> {
        let clock = DefaultClock::default();
        let wait = |not_until: governor::NotUntil<_>| TooMany(not_until.wait_time_from(clock.now()));
        self.by_address.check_key(&address).map_err(wait)?;
        self.by_account.check_key(&account.to_owned()).map_err(wait)
    }

    /// A turn at the password hasher; hold it while hashing or verifying.
    pub async fn hashing_slot(&self) -> Result<SemaphorePermit<'_>, Busy> {
        match tokio::time::timeout(HASH_QUEUE_WAIT, self.hashing.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Busy),
        }
    }

    /// Drops the state of addresses and accounts whose allowance is full again, so memory follows
    /// recent traffic only.
    pub fn forget_idle(&self) {
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
        self.by_account.retain_recent();
        self.by_account.shrink_to_fit();
    }

    /// How many addresses and accounts are being tracked (for tests and metrics).
    pub fn tracked(&self) -> (usize, usize) {
        (self.by_address.len(), self.by_account.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_from_any_address_and_an_address_across_accounts() {
        let t = SignInThrottle::new(
            Limit { burst: 2, one_every: Duration::from_secs(60) },
            Limit { burst: 2, one_every: Duration::from_secs(60) },
            1,
        );
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        assert!(t.attempt(a, "ann@example.com").is_ok());
        assert!(t.attempt(b, "ann@example.com").is_ok());
        let TooMany(wait) = t.attempt(a, "ann@example.com").unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        // Address `a` has used its two; a new account does not help.
        assert!(t.attempt(a, "bob@example.com").is_err());
        assert!(t.attempt(b, "bob@example.com").is_ok());
        assert_eq!(t.tracked(), (2, 2));
    }

    #[tokio::test]
    async fn hashing_slots_are_bounded() {
        let t = SignInThrottle::new(PER_ADDRESS, PER_ACCOUNT, 1);
        let held = t.hashing_slot().await.unwrap();
        assert_eq!(t.hashing.available_permits(), 0);
        drop(held);
        assert!(t.hashing_slot().await.is_ok());
    }
}
