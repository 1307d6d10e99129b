//! Extraction in worker processes: a second fence around the readers.
//!
//! The readers bound themselves (`Limits`, `Budget`, a panic guard), but a loop inside a
//! third-party parser cannot be interrupted and an allocation failure aborts the whole process
//! (measured: calamine at 3.6 GB on a 1 KB `oleloop.xls`, ../shared/research/crates.md §0). So
//! the nightly batch runs extraction in child processes — the `dossiers` binary's hidden
//! `worker` subcommand, which calls [`serve_worker`] — under a wall-clock timeout per job
//! (overrun: the worker is killed and replaced, the file is `timeout`) and an address-space cap
//! ([`apply_memory_cap`], `RLIMIT_AS`, set by the worker on itself at start-up so that the parent
//! needs no `pre_exec`). A worker that dies mid-job costs that one file (`crashed`).
//!
//! The protocol is one JSON object per line: a [`WorkerRequest`] on the worker's stdin, a
//! [`WorkerResponse`] on its stdout. A worker prints nothing else on stdout.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use dossiers_extract::{Document, ExtractError, Limits, WarningCode};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

// ---------------------------------------------------------------------------------------------
// Protocol.

/// What to extract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerInput {
    /// A file the worker reads itself.
    Path(PathBuf),
    /// Bytes the parent already holds (a zip entry of an export), with the file's name for the
    /// misnamed-file check.
    Bytes { name: String, base64: String },
}

impl WorkerInput {
    pub fn bytes(name: impl Into<String>, bytes: &[u8]) -> WorkerInput {
        WorkerInput::Bytes {
            name: name.into(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The file's name, as the worker sees it.
    pub fn name(&self) -> String {
        match self {
            WorkerInput::Path(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            WorkerInput::Bytes { name, .. } => name.clone(),
        }
    }
}

/// [`Limits`] on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireLimits {
    pub max_input_bytes: u64,
    pub max_entry_bytes: u64,
    pub max_inflate_ratio: u64,
    pub min_ratio_check_bytes: u64,
    pub max_total_inflated_bytes: u64,
    pub max_zip_entries: usize,
    pub max_xml_depth: usize,
    pub max_pieces: usize,
    pub max_chars: u64,
    pub max_cells: u64,
    pub max_duration_ms: u64,
}

impl From<&Limits> for WireLimits {
    fn from(l: &Limits) -> WireLimits {
        WireLimits {
            max_input_bytes: l.max_input_bytes,
            max_entry_bytes: l.max_entry_bytes,
            max_inflate_ratio: l.max_inflate_ratio,
            min_ratio_check_bytes: l.min_ratio_check_bytes,
            max_total_inflated_bytes: l.max_total_inflated_bytes,
            max_zip_entries: l.max_zip_entries,
            max_xml_depth: l.max_xml_depth,
            max_pieces: l.max_pieces,
            max_chars: l.max_chars,
            max_cells: l.max_cells,
            max_duration_ms: u64::try_from(l.max_duration.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

impl From<&WireLimits> for Limits {
    fn from(l: &WireLimits) -> Limits {
        Limits {
            max_input_bytes: l.max_input_bytes,
            max_entry_bytes: l.max_entry_bytes,
            max_inflate_ratio: l.max_inflate_ratio,
            min_ratio_check_bytes: l.min_ratio_check_bytes,
            max_total_inflated_bytes: l.max_total_inflated_bytes,
            max_zip_entries: l.max_zip_entries,
            max_xml_depth: l.max_xml_depth,
            max_pieces: l.max_pieces,
            max_chars: l.max_chars,
            max_cells: l.max_cells,
            max_duration: Duration::from_millis(l.max_duration_ms),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerRequest {
    pub id: u64,
    pub input: WorkerInput,
    pub limits: WireLimits,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerResponse {
    /// The request's id; 0 when the request could not be parsed.
    pub id: u64,
    pub result: WorkerResult,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerResult {
    Document(Box<Document>),
    Error {
        /// [`ExtractError::kind`], or `protocol` for a request the worker could not parse.
        kind: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        partial: Option<Box<Document>>,
    },
}

// ---------------------------------------------------------------------------------------------
// The worker side.

/// Caps the calling process's address space (`RLIMIT_AS`, soft and hard) at `bytes`. A worker
/// calls it first thing, so that a runaway allocation fails in the worker (which then dies and is
/// reported `crashed`) instead of exhausting the machine. Safe code: rustix wraps the syscall.
pub fn apply_memory_cap(bytes: u64) -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(bytes),
            maximum: Some(bytes),
        },
    )
    .map_err(std::io::Error::from)
}

/// The default extraction of a worker: the extraction seam, with the misnamed-file check for
/// bytes as `extract_path` does for files.
pub fn extract_input(input: &WorkerInput, limits: &Limits) -> Result<Document, ExtractError> {
    match input {
        WorkerInput::Path(path) => {
            dossiers_extract::extract_path(path, limits).map_err(|e| e.error)
        }
        WorkerInput::Bytes { name, base64 } => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(base64)
                .map_err(|e| ExtractError::corrupt(format!("request bytes: {e}")))?;
            let mut document = dossiers_extract::extract_bytes(&bytes, limits)?;
            if let Some(expected) = dossiers_extract::format_from_name(std::path::Path::new(name))
                && expected != document.format
            {
                document.warn(
                    WarningCode::MisnamedFile,
                    format!(
                        "the name says .{expected} but the content is {}",
                        document.format
                    ),
                );
            }
            Ok(document)
        }
    }
}

/// The worker loop: reads requests from `input` until it ends, answers each on `output`. The
/// hidden `dossiers worker` subcommand calls it with the locked stdin and stdout (after
/// [`apply_memory_cap`] and `dossiers_extract::quiet_reader_panics`).
pub fn serve_worker(input: impl BufRead, output: impl Write) -> std::io::Result<()> {
    serve_worker_with(input, output, extract_input)
}

/// The whole of the hidden `dossiers worker` subcommand: caps the process's memory when asked
/// (`--memory-cap <bytes>`, which [`WorkerPool`] passes), keeps caught reader panics quiet, and
/// serves the protocol on stdin/stdout until stdin closes.
pub fn worker_main(memory_cap_bytes: Option<u64>) -> std::io::Result<()> {
    if let Some(bytes) = memory_cap_bytes {
        apply_memory_cap(bytes)?;
    }
    dossiers_extract::quiet_reader_panics();
    serve_worker(std::io::stdin().lock(), std::io::stdout().lock())
}

/// [`serve_worker`] with another extraction function (tests use one that hangs or allocates on
/// request).
pub fn serve_worker_with(
    input: impl BufRead,
    mut output: impl Write,
    mut extract: impl FnMut(&WorkerInput, &Limits) -> Result<Document, ExtractError>,
) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<WorkerRequest>(&line) {
            Err(error) => WorkerResponse {
                id: 0,
                result: WorkerResult::Error {
                    kind: "protocol".into(),
                    message: format!("unreadable request: {error}"),
                    partial: None,
                },
            },
            Ok(request) => {
                let limits = Limits::from(&request.limits);
                let result = match extract(&request.input, &limits) {
                    Ok(document) => WorkerResult::Document(Box::new(document)),
                    Err(error) => WorkerResult::Error {
                        kind: error.kind().into(),
                        message: error.to_string(),
                        partial: error.partial().cloned().map(Box::new),
                    },
                };
                WorkerResponse {
                    id: request.id,
                    result,
                }
            }
        };
        // One write per answer: stdout is line-buffered through a 1 KB buffer, so writing the
        // JSON as it is serialised cost a system call (and a newline scan) per kilobyte.
        let mut answer = serde_json::to_vec(&response)?;
        answer.push(b'\n');
        output.write_all(&answer)?;
        output.flush()?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The pool side.

/// The fences of a pool.
#[derive(Clone, Debug)]
pub struct PoolLimits {
    /// Wall-clock time one job may take, round trip included.
    pub job_timeout: Duration,
    /// Passed to each worker as `--memory-cap <bytes>`; `None` leaves workers uncapped.
    pub memory_cap_bytes: Option<u64>,
    /// The readers' own limits, sent with each job.
    pub extract: Limits,
}

/// How one job ended.
#[derive(Clone, Debug, PartialEq)]
pub enum JobOutcome {
    Document(Box<Document>),
    /// The reader refused or failed (`unsupported`, `encrypted`, `corrupt`, `too_large`, `io`).
    Failed {
        kind: String,
        message: String,
        partial: Option<Box<Document>>,
    },
    /// The job overran `job_timeout`; its worker was killed and replaced.
    Timeout,
    /// The worker died (or spoke nonsense) during the job; `detail` says how, with the end of
    /// its stderr.
    Crashed {
        detail: String,
    },
}

impl JobOutcome {
    /// The stable name used in reports and the state store.
    pub fn kind(&self) -> &str {
        match self {
            JobOutcome::Document(_) => "ok",
            JobOutcome::Failed { kind, .. } => kind,
            JobOutcome::Timeout => "timeout",
            JobOutcome::Crashed { .. } => "crashed",
        }
    }
}

/// A job's outcome and how long it took.
#[derive(Clone, Debug)]
pub struct JobResult {
    pub outcome: JobOutcome,
    pub elapsed: Duration,
}

/// What a pool has done, for the run report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolStats {
    pub spawned: u64,
    pub timed_out: u64,
    pub crashed: u64,
}

/// A pool of extraction worker processes; `extract` may be called from many tasks at once, at
/// most `n` jobs run at a time.
#[derive(Debug)]
pub struct WorkerPool {
    command: Vec<String>,
    limits: PoolLimits,
    idle: Mutex<Vec<Worker>>,
    permits: tokio::sync::Semaphore,
    next_id: AtomicU64,
    spawned: AtomicU64,
    timed_out: AtomicU64,
    crashed: AtomicU64,
}

#[derive(Debug)]
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    stderr_tail: Arc<Mutex<VecDeque<u8>>>,
}

/// The read buffer on a worker's stdout (a Linux pipe holds 64 KB).
const ANSWER_BUFFER_BYTES: usize = 1 << 16;

/// How much of a worker's stderr is kept to explain a crash.
const STDERR_TAIL_BYTES: usize = 2048;

impl WorkerPool {
    /// Starts `n` workers running `command` (e.g. the current executable and `["worker"]`), each
    /// given `--memory-cap <bytes>` when the limits say. Must be called inside a tokio runtime.
    pub fn new(n: usize, command: Vec<String>, limits: PoolLimits) -> std::io::Result<WorkerPool> {
        if command.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the worker command is empty",
            ));
        }
        let n = n.max(1);
        let pool = WorkerPool {
            command,
            limits,
            idle: Mutex::new(Vec::with_capacity(n)),
            permits: tokio::sync::Semaphore::new(n),
            next_id: AtomicU64::new(1),
            spawned: AtomicU64::new(0),
            timed_out: AtomicU64::new(0),
            crashed: AtomicU64::new(0),
        };
        for _ in 0..n {
            let worker = pool.spawn()?;
            pool.give_back(worker);
        }
        Ok(pool)
    }

    pub fn stats(&self) -> PoolStats {
        PoolStats {
            spawned: self.spawned.load(Ordering::Relaxed),
            timed_out: self.timed_out.load(Ordering::Relaxed),
            crashed: self.crashed.load(Ordering::Relaxed),
        }
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let (program, args) = self
            .command
            .split_first()
            .ok_or_else(|| std::io::Error::other("the worker command is empty"))?;
        let mut command = Command::new(program);
        command
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        if let Some(bytes) = self.limits.memory_cap_bytes {
            command.arg("--memory-cap").arg(bytes.to_string());
        }
        let mut child = command.spawn()?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(std::io::Error::other("worker pipes missing"));
        };
        // Drained continuously so that a chatty worker never blocks on a full pipe; the tail
        // explains a crash ("memory allocation of … failed").
        let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_BYTES)));
        let tail = Arc::clone(&stderr_tail);
        tokio::spawn(async move {
            let mut chunk = [0u8; 1024];
            while let Ok(n) = stderr.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                if let Ok(mut tail) = tail.lock() {
                    tail.extend(chunk.get(..n).unwrap_or_default());
                    let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
                    tail.drain(..excess);
                }
            }
        });
        self.spawned.fetch_add(1, Ordering::Relaxed);
        Ok(Worker {
            child,
            stdin,
            // An answer is a whole document on one line, tens of kilobytes: read it in a few
            // system calls, not one per 8 KB (tokio's default buffer).
            stdout: BufReader::with_capacity(ANSWER_BUFFER_BYTES, stdout),
            stderr_tail,
        })
    }

    fn give_back(&self, worker: Worker) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
    }

    fn take_idle(&self) -> Option<Worker> {
        self.idle.lock().ok().and_then(|mut idle| idle.pop())
    }

    /// Extracts one input in a worker. Never fails: every way a job can end is a
    /// [`JobOutcome`].
    pub async fn extract(&self, input: WorkerInput) -> JobResult {
        let started = Instant::now();
        let outcome = self.run_job(input).await;
        JobResult {
            outcome,
            elapsed: started.elapsed(),
        }
    }

    async fn run_job(&self, input: WorkerInput) -> JobOutcome {
        let Ok(_permit) = self.permits.acquire().await else {
            return JobOutcome::Crashed {
                detail: "the pool is closed".into(),
            };
        };
        let mut worker = match self.take_idle() {
            Some(worker) => worker,
            None => match self.spawn() {
                Ok(worker) => worker,
                Err(error) => {
                    return JobOutcome::Crashed {
                        detail: format!("cannot start a worker: {error}"),
                    };
                }
            },
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = WorkerRequest {
            id,
            input,
            limits: WireLimits::from(&self.limits.extract),
        };
        let mut line = match serde_json::to_string(&request) {
            Ok(line) => line,
            Err(error) => {
                self.give_back(worker);
                return JobOutcome::Failed {
                    kind: "io".into(),
                    message: format!("cannot encode the request: {error}"),
                    partial: None,
                };
            }
        };
        line.push('\n');
        let exchange = async {
            worker.stdin.write_all(line.as_bytes()).await?;
            worker.stdin.flush().await?;
            let mut answer = String::new();
            let n = worker.stdout.read_line(&mut answer).await?;
            Ok::<_, std::io::Error>((n, answer))
        };
        match tokio::time::timeout(self.limits.job_timeout, exchange).await {
            Err(_elapsed) => {
                self.timed_out.fetch_add(1, Ordering::Relaxed);
                self.retire(worker).await;
                self.replace();
                JobOutcome::Timeout
            }
            Ok(Ok((n, answer))) if n > 0 => {
                match serde_json::from_str::<WorkerResponse>(&answer) {
                    Ok(response) if response.id == id => {
                        self.give_back(worker);
                        match response.result {
                            WorkerResult::Document(document) => JobOutcome::Document(document),
                            WorkerResult::Error {
                                kind,
                                message,
                                partial,
                            } => JobOutcome::Failed {
                                kind,
                                message,
                                partial,
                            },
                        }
                    }
                    // A worker out of step with the protocol cannot be trusted with the next
                    // job either.
                    other => {
                        let detail = match other {
                            Ok(response) => {
                                format!("answer for job {} to job {id}", response.id)
                            }
                            Err(error) => format!("unreadable answer: {error}"),
                        };
                        self.crashed.fetch_add(1, Ordering::Relaxed);
                        self.retire(worker).await;
                        self.replace();
                        JobOutcome::Crashed { detail }
                    }
                }
            }
            Ok(result) => {
                // End of output or a broken pipe: the worker died during the job.
                self.crashed.fetch_add(1, Ordering::Relaxed);
                let how = match result {
                    Err(error) => format!("pipe: {error}"),
                    Ok(_) => "no answer".into(),
                };
                let status = tokio::time::timeout(Duration::from_secs(5), worker.child.wait())
                    .await
                    .ok()
                    .and_then(Result::ok);
                let status = status.map_or_else(|| "still running".into(), describe_exit);
                let tail = stderr_tail(&worker);
                self.retire(worker).await;
                self.replace();
                JobOutcome::Crashed {
                    detail: format!("worker {status} ({how}){tail}"),
                }
            }
        }
    }

    async fn retire(&self, mut worker: Worker) {
        // Killing an already dead child is harmless; waiting reaps it.
        let _ = worker.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(5), worker.child.wait()).await;
    }

    /// Starts a replacement at once so that the next job does not pay for the start; if that
    /// fails, the next job tries again.
    fn replace(&self) {
        if let Ok(worker) = self.spawn() {
            self.give_back(worker);
        }
    }

    /// Closes every idle worker's stdin (its loop ends) and waits for it to exit.
    pub async fn shutdown(&self) {
        self.permits.close();
        let workers: Vec<Worker> = self
            .idle
            .lock()
            .map(|mut idle| idle.drain(..).collect())
            .unwrap_or_default();
        for worker in workers {
            let Worker {
                mut child, stdin, ..
            } = worker;
            drop(stdin);
            if tokio::time::timeout(Duration::from_secs(5), child.wait())
                .await
                .is_err()
            {
                let _ = child.start_kill();
                let _ = child.wait().await;
            }
        }
    }
}

fn stderr_tail(worker: &Worker) -> String {
    let tail: Vec<u8> = worker
        .stderr_tail
        .lock()
        .map(|t| t.iter().copied().collect())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&tail);
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => "ended".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(path)
    }

    fn request(id: u64, input: WorkerInput) -> String {
        serde_json::to_string(&WorkerRequest {
            id,
            input,
            limits: WireLimits::from(&Limits::default()),
        })
        .unwrap()
    }

    #[test]
    fn the_worker_loop_answers_each_request_on_its_line() {
        let docx = fixture("dossiers/gen-0001/dossier-candidature.docx");
        let bytes = std::fs::read(&docx).unwrap();
        let input = [
            request(7, WorkerInput::Path(docx)),
            String::new(),
            "{not json".into(),
            // A .docx named .xls: read as what it is, with a warning.
            request(8, WorkerInput::bytes("budget.xls", &bytes)),
            request(9, WorkerInput::bytes("x.doc", b"%PDF-1.4")),
        ]
        .join("\n");
        let mut output = Vec::new();
        serve_worker(input.as_bytes(), &mut output).unwrap();
        let responses: Vec<WorkerResponse> = String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(responses.len(), 4);
        assert_eq!(responses[0].id, 7);
        let WorkerResult::Document(document) = &responses[0].result else {
            panic!("{:?}", responses[0])
        };
        assert!(document.has_text());
        assert!(
            matches!(&responses[1].result, WorkerResult::Error { kind, .. } if kind == "protocol")
        );
        let WorkerResult::Document(document) = &responses[2].result else {
            panic!()
        };
        assert!(
            document
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::MisnamedFile)
        );
        assert!(
            matches!(&responses[3].result, WorkerResult::Error { kind, .. } if kind == "unsupported")
        );
    }

    #[test]
    fn limits_survive_the_wire() {
        let limits = Limits {
            max_chars: 12,
            max_duration: Duration::from_millis(1500),
            ..Limits::default()
        };
        let back = Limits::from(&WireLimits::from(&limits));
        assert_eq!(back.max_chars, 12);
        assert_eq!(back.max_duration, Duration::from_millis(1500));
    }
}
