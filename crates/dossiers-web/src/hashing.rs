//! Password checks on a fixed pool of threads, each with its own argon2 memory.
//!
//! argon2id is slow and memory-hard on purpose: every check fills `m_cost` KiB (19 MiB with the
//! defaults). Run on tokio's blocking pool, 300 parallel wrong logins became 300 threads each
//! filling its own 19 MiB, and the allocator kept that memory (6 GB, never released). Here a
//! fixed number of workers (one per core) each own one block buffer, allocated once and reused
//! for every check, so hashing memory is bounded by `workers × m_cost` whatever arrives. Checks
//! wait in a short bounded queue; a check that finds the queue full, or that is not answered
//! within [`QUEUE_WAIT`], is refused as [`Busy`] (the login page answers 503), and a check whose
//! caller has given up is skipped rather than computed for nobody. One client address may have
//! at most [`PER_CLIENT`] checks waiting or running, so that a flood from one address cannot
//! take the queue from everybody else.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::Block;
use tokio::sync::oneshot;

use crate::WebError;
use crate::auth::Accounts;

/// How long a check may wait for a worker before the login is refused as busy.
pub const QUEUE_WAIT: Duration = Duration::from_secs(3);
/// Checks waiting per worker, at most.
pub const QUEUED_PER_WORKER: usize = 8;
/// Checks of one client address waiting or running, at most.
pub const PER_CLIENT: usize = 2;

/// The pool is saturated: the check was not made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Busy {
    /// Every worker busy and the queue full.
    QueueFull,
    /// Queued, but no worker took it in time.
    TimedOut,
    /// This client address already has [`PER_CLIENT`] checks waiting or running.
    ClientBusy,
}

struct Job {
    accounts: PathBuf,
    name: String,
    password: String,
    deadline: Instant,
    answer: oneshot::Sender<Result<bool, WebError>>,
}

/// The hashing workers and their queue. Dropping the pool ends the workers once the queue is
/// drained.
#[derive(Debug)]
pub struct PasswordPool {
    jobs: SyncSender<Job>,
    workers: usize,
    queue: usize,
    in_flight: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One check of a client counted while it waits or runs.
struct Admitted {
    in_flight: Arc<Mutex<HashMap<IpAddr, usize>>>,
    client: IpAddr,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = in_flight.get_mut(&self.client) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                in_flight.remove(&self.client);
            }
        }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").finish_non_exhaustive()
    }
}

impl Default for PasswordPool {
    /// One worker per core, [`QUEUED_PER_WORKER`] checks waiting per worker.
    fn default() -> PasswordPool {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        PasswordPool::new(cores, cores * QUEUED_PER_WORKER)
    }
}

impl PasswordPool {
    /// `workers` threads (at least one), `queue` checks waiting at most.
    pub fn new(workers: usize, queue: usize) -> PasswordPool {
        let workers = workers.max(1);
        let (jobs, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..workers {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&receiver));
            if let Err(error) = spawned {
                tracing::error!(%error, "starting a password worker");
            }
        }
        PasswordPool {
            jobs,
            workers,
            queue,
            in_flight: Arc::default(),
        }
    }

    pub fn workers(&self) -> usize {
        self.workers
    }

    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Whether `password` is `name`'s in the accounts file at `accounts` (read again for each
    /// check, so that an account added while the server runs works at once).
    pub async fn verify(
        &self,
        client: IpAddr,
        accounts: PathBuf,
        name: String,
        password: String,
    ) -> Result<Result<bool, WebError>, Busy> {
        let _admitted = self.admit(client)?;
        let (answer, verdict) = oneshot::channel();
        let job = Job {
            accounts,
            name,
            password,
            deadline: Instant::now() + QUEUE_WAIT,
            answer,
        };
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                return Err(Busy::QueueFull);
            }
        }
        // The deadline covers the wait for a worker; the check itself is bounded by argon2's
        // own cost, so the caller waits for it once a worker has started.
        match verdict.await {
            Ok(result) => Ok(result),
            Err(_) => Err(Busy::TimedOut),
        }
    }
}

impl PasswordPool {
    fn admit(&self, client: IpAddr) -> Result<Admitted, Busy> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let count = in_flight.entry(client).or_insert(0);
        if *count >= PER_CLIENT {
            return Err(Busy::ClientBusy);
        }
        *count += 1;
        Ok(Admitted {
            in_flight: Arc::clone(&self.in_flight),
            client,
        })
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = {
            let receiver = receiver.lock().unwrap_or_else(|e| e.into_inner());
            receiver.recv()
        };
        let Ok(job) = job else {
            return;
        };
        // Dropping the answer tells the caller it waited too long.
        if job.answer.is_closed() || Instant::now() > job.deadline {
            continue;
        }
        let verdict = Accounts::load(&job.accounts)
            .map(|accounts| accounts.verify_with(&job.name, &job.password, &mut memory));
        let _ = job.answer.send(verdict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_at_once_and_the_workers_still_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users");
        crate::auth::add_user(&path, "claire", "un mot de passe long").unwrap();
        let pool = Arc::new(PasswordPool::new(1, 1));
        let checks: Vec<_> = (0..6u8)
            .map(|n| {
                let pool = Arc::clone(&pool);
                let path = path.clone();
                let client = IpAddr::from([10, 0, 0, n]);
                tokio::spawn(async move {
                    pool.verify(client, path, "claire".into(), "mauvais".into())
                        .await
                })
            })
            .collect();
        let mut refused = 0;
        let mut answered = 0;
        for check in checks {
            match check.await.unwrap() {
                Err(Busy::QueueFull) => refused += 1,
                Ok(Ok(false)) => answered += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!(refused >= 1, "{refused} refused, {answered} answered");
        assert!(answered >= 1, "{refused} refused, {answered} answered");
        let home = IpAddr::from([192, 0, 2, 1]);
        let right = pool
            .verify(
                home,
                path.clone(),
                "claire".into(),
                "un mot de passe long".into(),
            )
            .await;
        assert!(matches!(right, Ok(Ok(true))));
        assert!(
            pool.in_flight.lock().unwrap().is_empty(),
            "every count released"
        );
    }

    #[test]
    fn one_address_holds_at_most_its_share() {
        let pool = PasswordPool::new(1, 8);
        let client = IpAddr::from([10, 0, 0, 1]);
        let held: Vec<Admitted> = (0..PER_CLIENT)
            .map(|_| pool.admit(client).unwrap())
            .collect();
        assert_eq!(pool.admit(client).err(), Some(Busy::ClientBusy));
        assert!(pool.admit(IpAddr::from([10, 0, 0, 2])).is_ok());
        drop(held);
        assert!(pool.admit(client).is_ok());
    }
}
