//! Failed logins slow down the one who fails, not the account.
//!
//! A name used to be locked for 15 minutes after five wrong passwords, whoever typed them: anyone
//! could lock the real reviewer out. Now failures are counted per (name, client address) and
//! each one past [`FREE_FAILURES`] doubles the wait before that pair may try again (1 s, 2 s,
//! 4 s … up to [`MAX_DELAY`]); the reviewer at another address is not slowed at all. A second,
//! far higher count per name over every address ([`NAME_FREE_FAILURES`]) keeps a guesser who
//! changes address at each try (or a forged `X-Forwarded-For` from a local proxy) from getting
//! unlimited tries at one name.
//!
//! The tracker is bounded ([`CAPACITY`] entries) without giving up counting: when it is full,
//! the entries whose wait is over and that are old go first, then the entries with the fewest
//! failures, so flooding it with made-up names evicts other made-up names, never the pair that
//! has failed the most. Entries are forgotten [`FORGET_AFTER`] after their last failure.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;

/// Failures of one name from one address before any wait.
pub const FREE_FAILURES: u32 = 3;
/// Failures of one name from every address together before any wait.
pub const NAME_FREE_FAILURES: u32 = 30;
/// The first wait; each further failure doubles it.
pub const FIRST_DELAY: Duration = Duration::from_secs(1);
/// The longest wait.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A count is forgotten this long after its last failure.
pub const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// Entries kept at most.
pub const CAPACITY: usize = 10_000;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    /// One name from one address.
    Pair(String, IpAddr),
    /// One name from anywhere.
    Name(String),
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last: Instant,
}

/// The wait after `failures` failures, when `free` of them cost nothing.
pub fn delay_after(failures: u32, free: u32) -> Duration {
    if failures < free {
        return Duration::ZERO;
    }
    let doublings = (failures - free).min(20);
    FIRST_DELAY.saturating_mul(1u32 << doublings).min(MAX_DELAY)
}

impl Entry {
    fn free(key: &Key) -> u32 {
        match key {
            Key::Pair(..) => FREE_FAILURES,
            Key::Name(_) => NAME_FREE_FAILURES,
        }
    }

    fn until(&self, key: &Key) -> Instant {
        self.last + delay_after(self.failures, Entry::free(key))
    }
}

/// Failed logins by (name, address) and by name.
#[derive(Debug)]
pub struct Throttle {
    entries: Mutex<HashMap<Key, Entry>>,
    capacity: usize,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle::with_capacity(CAPACITY)
    }
}

impl Throttle {
    pub fn with_capacity(capacity: usize) -> Throttle {
        Throttle {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(2),
        }
    }

    /// How long `name` from `client` must still wait before its password is checked.
    pub fn wait(&self, name: &str, client: IpAddr, now: Instant) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        [
            Key::Pair(name.to_owned(), client),
            Key::Name(name.to_owned()),
        ]
        .iter()
        .filter_map(|key| {
            let until = entries.get(key)?.until(key);
            (until > now).then(|| until - now)
        })
        .max()
    }

    /// A wrong password for `name` from `client`.
    pub fn failed(&self, name: &str, client: IpAddr, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for key in [
            Key::Pair(name.to_owned(), client),
            Key::Name(name.to_owned()),
        ] {
            if !entries.contains_key(&key) && entries.len() >= self.capacity {
                make_room(&mut entries, now);
            }
            let entry = entries.entry(key).or_insert(Entry {
                failures: 0,
                last: now,
            });
            if now.saturating_duration_since(entry.last) >= FORGET_AFTER {
                entry.failures = 0;
            }
            entry.failures = entry.failures.saturating_add(1);
            entry.last = now;
        }
    }

    /// The right password for `name` from `client`: that pair starts afresh. The count of the
    /// name over every address stays, since a success here says nothing of the others.
    pub fn succeeded(&self, name: &str, client: IpAddr) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(&Key::Pair(name.to_owned(), client));
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Frees at least one entry: the forgotten ones, else the one with the fewest failures (the
/// oldest among equals).
fn make_room(entries: &mut HashMap<Key, Entry>, now: Instant) {
    let before = entries.len();
    entries.retain(|key, entry| {
        now.saturating_duration_since(entry.last) < FORGET_AFTER || entry.until(key) > now
    });
    if entries.len() < before {
        return;
    }
    let weakest = entries
        .iter()
        .min_by_key(|(_, entry)| (entry.failures, entry.last))
        .map(|(key, _)| key.clone());
    if let Some(key) = weakest {
        entries.remove(&key);
    }
}

/// The address a login comes from: the peer's, or, when the peer is a proxy on this machine,
/// the last address of its `X-Forwarded-For` (the one the proxy saw). Without a peer (a
/// request built in a test), the unspecified address.
pub fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let Some(peer) = peer else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    if peer.ip().is_loopback()
        && let Some(forwarded) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()
            .and_then(|last| last.trim().parse::<IpAddr>().ok())
    {
        return forwarded;
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));

    #[test]
    fn the_wait_doubles_with_each_failure_past_the_free_ones() {
        assert_eq!(delay_after(2, 3), Duration::ZERO);
        assert_eq!(delay_after(3, 3), Duration::from_secs(1));
        assert_eq!(delay_after(4, 3), Duration::from_secs(2));
        assert_eq!(delay_after(6, 3), Duration::from_secs(8));
        assert_eq!(delay_after(40, 3), MAX_DELAY);
        assert_eq!(delay_after(u32::MAX, 3), MAX_DELAY);
    }

    #[test]
    fn failures_slow_their_own_address_and_not_the_reviewer_elsewhere() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            throttle.failed("claire", ELSEWHERE, now);
        }
        assert_eq!(throttle.wait("claire", ELSEWHERE, now), None);
        for _ in 0..3 {
            throttle.failed("claire", ELSEWHERE, now);
        }
        assert_eq!(
            throttle.wait("claire", ELSEWHERE, now),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            throttle.wait("claire", ELSEWHERE, now + Duration::from_secs(3)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            throttle.wait("claire", ELSEWHERE, now + Duration::from_secs(4)),
            None
        );
        assert_eq!(throttle.wait("claire", HOME, now), None);
        assert_eq!(throttle.wait("malik", ELSEWHERE, now), None);
        throttle.succeeded("claire", ELSEWHERE);
        assert_eq!(throttle.wait("claire", ELSEWHERE, now), None);
    }

    #[test]
    fn a_name_tried_from_everywhere_is_slowed_everywhere() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for n in 0..NAME_FREE_FAILURES {
            let address = IpAddr::V4(Ipv4Addr::new(10, 0, (n / 256) as u8, (n % 256) as u8));
            throttle.failed("claire", address, now);
        }
        assert_eq!(
            throttle.wait("claire", HOME, now),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn counts_are_forgotten_an_hour_after_the_last_failure() {
        let throttle = Throttle::default();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            throttle.failed("claire", ELSEWHERE, now);
        }
        let later = now + FORGET_AFTER;
        throttle.failed("claire", ELSEWHERE, later);
        assert_eq!(throttle.wait("claire", ELSEWHERE, later), None);
    }

    #[test]
    fn flooding_the_tracker_does_not_evict_the_worst_offender() {
        let throttle = Throttle::with_capacity(100);
        let now = Instant::now();
        for _ in 0..6 {
            throttle.failed("claire", ELSEWHERE, now);
        }
        for n in 0..10_000 {
            throttle.failed(&format!("inconnu-{n}"), ELSEWHERE, now);
        }
        assert!(throttle.len() <= 100);
        assert_eq!(
            throttle.wait("claire", ELSEWHERE, now),
            Some(Duration::from_secs(8))
        );
    }

    #[test]
    fn a_local_proxy_names_the_client_and_nobody_else_can() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 192.0.2.1".parse().unwrap());
        let local = SocketAddr::from(([127, 0, 0, 1], 40_000));
        let remote = SocketAddr::from(([198, 51, 100, 7], 40_000));
        assert_eq!(client_address(Some(local), &headers), HOME);
        assert_eq!(client_address(Some(remote), &headers), ELSEWHERE);
        assert_eq!(
            client_address(Some(local), &HeaderMap::new()),
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
        assert_eq!(
            client_address(None, &headers),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
