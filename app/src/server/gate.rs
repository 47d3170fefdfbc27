//! Where passwords, PINs and recovery codes are hashed and checked, and what
//! stands before every check (sign-in, second step, activation and reset):
//! a limit on how many the whole portal checks per second, and a tally of
//! what it turned away. A request turned away costs no hash and no database
//! write, so a flood cannot stall the pages nor fill the audit log one row
//! per attempt.
//!
//! Argon2 takes 19 MiB and tens of milliseconds of a core. Requests hash on
//! the blocking pool, never on the async workers that serve every other
//! page, and at most one per core at a time, so hashing costs bounded memory
//! and leaves the pages responsive.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use sea_orm::ConnectionTrait;
use tokio::sync::Semaphore;

use super::secret::{hash_blocking, verify_blocking, NOBODY};

use crate::config::SecurityPolicy;
use crate::error::AppError;
use crate::server::audit::{self, AuditAction, AuditEvent, Source};
use crate::server::internal;
use crate::server::sealed::SecretKey;

/// What the authenticator keys are sealed for.
const TOTP: &str = "totp";

/// How long a request waits for its turn to hash before it is told the
/// portal is busy.
const HASHING_WAIT: Duration = Duration::from_secs(10);

/// Why an attempt was turned away without being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TurnedAway {
    /// Its address failed too often lately.
    AddressBlocked,
    /// More attempts arrived than the portal checks per second.
    OverTheLimit,
}

impl TurnedAway {
    fn detail(self) -> &'static str {
        match self {
            TurnedAway::AddressBlocked => "address blocked",
            TurnedAway::OverTheLimit => "over the portal's limit",
        }
    }
}

/// Turned-away attempts by action, reason and address block (an IPv6
/// client's /64), with an address of the block to show, and the count.
type Tally = BTreeMap<(AuditAction, TurnedAway, Option<String>), (Source, u64)>;

/// Blocks the tally keeps apart between two writes; beyond, attempts are
/// counted together (a flood from ever new addresses cannot grow it).
const TALLIED_BLOCKS: usize = 10_000;

pub struct CredentialGate {
    rate: DefaultDirectRateLimiter,
    turned_away: Mutex<Tally>,
    /// One permit per core; a permit lives as long as its hashing does, even
    /// if the request that asked for it is gone.
    hashing: Arc<Semaphore>,
    /// Hashes made or checked by this server since it started.
    hashed: AtomicU64,
    /// Seals the authenticator keys.
    key: SecretKey,
}

impl std::fmt::Debug for CredentialGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialGate").finish_non_exhaustive()
    }
}

impl CredentialGate {
    pub fn new(policy: &SecurityPolicy, key: SecretKey) -> Self {
        let per_second =
            NonZeroU32::new(policy.credential_checks_per_second).unwrap_or(NonZeroU32::MIN);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            rate: RateLimiter::direct(Quota::per_second(per_second)),
            turned_away: Mutex::new(Tally::new()),
            hashing: Arc::new(Semaphore::new(cores)),
            hashed: AtomicU64::new(0),
            key,
        }
    }

    /// Whether one more check may run now (it is counted if so).
    pub fn admit(&self) -> bool {
        self.rate.check().is_ok()
    }

    /// Counts one attempt at `action` from `source` turned away for `why`.
    pub fn count(&self, action: AuditAction, why: TurnedAway, source: &Source) {
        if let Ok(mut tally) = self.turned_away.lock() {
            let mut key = (action, why, source.block());
            let shown = if tally.len() >= TALLIED_BLOCKS && !tally.contains_key(&key) {
                key.2 = None;
                Source::default()
            } else {
                source.clone()
            };
            tally.entry(key).or_insert((shown, 0)).1 += 1;
        }
    }

    /// Writes what was turned away since the last time, one audit row per
    /// action, reason and address, with the count.
    pub async fn record(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let poisoned = || crate::server::internal("the tally of refusals was poisoned");
        let tally = std::mem::take(&mut *self.turned_away.lock().map_err(|_| poisoned())?);
        let mut rows = tally.into_iter();
        while let Some(((action, why, block), (source, count))) = rows.next() {
            let event =
                AuditEvent::new(action).detail(format!("{}: {count} attempts", why.detail()));
            if let Err(error) = audit::record(db, event, &source, now).await {
                // What was not written is counted again, for the next time.
                let mut tally = self.turned_away.lock().map_err(|_| poisoned())?;
                let unwritten =
                    std::iter::once(((action, why, block), (source, count))).chain(rows);
                for (key, (source, count)) in unwritten {
                    tally.entry(key).or_insert((source, 0)).1 += count;
                }
                return Err(error);
            }
        }
        Ok(())
    }
}

/// Authenticator keys, sealed at rest.
impl CredentialGate {
    pub fn seal_totp_key(&self, key: &str) -> Result<String, AppError> {
        self.key.seal(key.as_bytes(), TOTP)
    }

    /// The key of a stored (sealed) value. One stored before keys were
    /// sealed is read as it is; one that does not open is no key at all.
    pub fn open_totp_key(&self, stored: &str) -> Option<String> {
        if !SecretKey::is_sealed(stored) {
            return Some(stored.to_owned());
        }
        let opened = self
            .key
            .open(stored, TOTP)
            .and_then(|plain| String::from_utf8(plain).ok());
        if opened.is_none() {
            tracing::error!("an authenticator key does not open with security.secret_key");
        }
        opened
    }
}

/// Hashing, in turn, off the async workers.
impl CredentialGate {
    /// Runs `work`, which makes or checks `hashes` hashes, in its turn.
    async fn hashing<T: Send + 'static>(
        &self,
        hashes: usize,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(HASHING_WAIT, self.hashing.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(internal)?;
        self.hashed.fetch_add(hashes as u64, Ordering::Relaxed);
        // The permit goes with the work: a request dropped meanwhile (the
        // client gave up) does not free a turn while its hashing still runs.
        tokio::task::spawn_blocking(move || {
            let done = work();
            drop(permit);
            done
        })
        .await
        .map_err(internal)
    }

    /// Hashes made or checked so far (for the tests and the load check).
    pub fn hashed(&self) -> u64 {
        self.hashed.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, secret: &str) -> Result<String, AppError> {
        let secret = secret.to_owned();
        self.hashing(1, move || hash_blocking(&secret)).await?
    }

    /// The hashes of several secrets, in one turn.
    pub async fn hash_each(&self, secrets: Vec<String>) -> Result<Vec<String>, AppError> {
        let count = secrets.len();
        self.hashing(count, move || {
            secrets.iter().map(|s| hash_blocking(s)).collect()
        })
        .await?
    }

    /// Whether `secret` matches `hash`.
    pub async fn verify(&self, secret: &str, hash: &str) -> Result<bool, AppError> {
        let (secret, hash) = (secret.to_owned(), hash.to_owned());
        self.hashing(1, move || verify_blocking(&secret, &hash))
            .await
    }

    /// Which of `hashes` `secret` matches, if any, after at least `at_least`
    /// verifications: "no such case" then takes as long as "wrong PIN".
    pub async fn first_match(
        &self,
        secret: &str,
        hashes: Vec<String>,
        at_least: usize,
    ) -> Result<Option<usize>, AppError> {
        let secret = secret.to_owned();
        let count = hashes.len().max(at_least);
        self.hashing(count, move || {
            // Made on first use, here on the blocking pool like any hash.
            let nobody = NOBODY.as_deref().map_err(Clone::clone)?;
            let found = hashes.iter().position(|h| verify_blocking(&secret, h));
            let spent = found.map_or(hashes.len(), |i| i + 1);
            for _ in spent..at_least {
                verify_blocking(&secret, nobody);
            }
            Ok(found)
        })
        .await?
    }

    /// Spends the time of one verification, so that "no such account" takes
    /// as long as "wrong password".
    pub async fn verify_nothing(&self, secret: &str) -> Result<(), AppError> {
        self.first_match(secret, Vec::new(), 1).await.map(|_| ())
    }
}
