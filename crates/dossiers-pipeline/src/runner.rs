//! The run: source → extract → normalise → index → commit, as tokio tasks joined by bounded
//! channels, generic over the index ([`IndexSink`]) and the extraction ([`Extractor`]).
//!
//! The stages are built downstream first (quickwit's indexing pipeline): the index stage owns the
//! sink and the state store on a blocking thread and is running before anything is sent to it,
//! so a full channel slows the stages above it instead of piling work up in memory. CPU work
//! (hashing, normalising, reading zip entries, writing the index) runs on blocking threads;
//! extraction runs wherever the [`Extractor`] puts it (worker processes in the nightly batch).
//!
//! Commits: every `commit_every` dossiers, and at the end, the index stage stages the outcomes
//! in the state store, commits the index with the commit id as payload, then applies the staged
//! outcomes (see [`crate::state`] for why in that order). A run that crashes resumes from the
//! last commit: what was committed is unchanged in the next plan, the rest is still to do. A
//! re-done dossier whose record comes out identical (a new release that changed nothing for it)
//! is stored as done without rewriting the index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use dossiers_extract::{Limits, TextOptions};
use dossiers_model::{FileEntry, FileRole, FileStatus, Record};
use dossiers_normalize::assemble::{file_format, guess_format};
use dossiers_normalize::{
    Calendar, DossierFile, DossierInput, NormalizeOptions, assemble_explained,
};
use tokio::sync::mpsc;

use crate::config::{Pipeline, Source, WaveCalendar};
use crate::ds::{DossierUnit, FileLocation, Listing, UnitFile, list_source, read_unit_file};
use crate::report::{Failure, Quarantine, QuarantineEntry, ReportBuilder, RunCounters, RunReport};
use crate::state::{
    DossierOutcome, DossierStatus, FileOutcome, PlannedDossier, StateStore, Versions,
};
use crate::worker::{JobOutcome, JobResult, PoolStats, WorkerInput, WorkerPool};

// ---------------------------------------------------------------------------------------------
// Stage traits.

/// The bytes of one file, or where to read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileInput {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

/// Turns a file into a [`Document`]. A trait object so that a run can use worker processes
/// (the nightly batch) or in-process extraction (tests, `dossiers ingest`) alike.
#[async_trait]
pub trait Extractor: Send + Sync + std::fmt::Debug {
    /// Never fails: every way a file can end is a [`JobOutcome`]. `name` is the file's name,
    /// for the misnamed-file check.
    async fn extract(&self, name: &str, input: FileInput) -> JobResult;

    /// Worker statistics, for the report, when the extractor has workers.
    fn pool_stats(&self) -> Option<PoolStats> {
        None
    }
}

/// Extraction on tokio's blocking threads, in this process: fast and fenced only by the
/// readers' own limits (no hard timeout or memory cap).
#[derive(Debug, Clone)]
pub struct InProcessExtractor {
    pub limits: Limits,
}

#[async_trait]
impl Extractor for InProcessExtractor {
    async fn extract(&self, name: &str, input: FileInput) -> JobResult {
        let started = Instant::now();
        let limits = self.limits.clone();
        let name = name.to_string();
        let joined = tokio::task::spawn_blocking(move || match input {
            FileInput::Path(path) => {
                dossiers_extract::extract_path(&path, &limits).map_err(|e| e.error)
            }
            FileInput::Bytes(bytes) => {
                crate::worker::extract_input(&WorkerInput::bytes(name, &bytes), &limits)
            }
        })
        .await;
        let outcome = match joined {
            Ok(Ok(document)) => JobOutcome::Document(Box::new(document)),
            Ok(Err(error)) => JobOutcome::Failed {
                kind: error.kind().into(),
                message: error.to_string(),
                partial: error.partial().cloned().map(Box::new),
            },
            Err(error) => JobOutcome::Crashed {
                detail: format!("extraction task: {error}"),
            },
        };
        JobResult {
            outcome,
            elapsed: started.elapsed(),
        }
    }
}

#[async_trait]
impl Extractor for WorkerPool {
    async fn extract(&self, name: &str, input: FileInput) -> JobResult {
        let input = match input {
            FileInput::Path(path) => WorkerInput::Path(path),
            FileInput::Bytes(bytes) => WorkerInput::bytes(name, &bytes),
        };
        WorkerPool::extract(self, input).await
    }

    fn pool_stats(&self) -> Option<PoolStats> {
        Some(self.stats())
    }
}

/// Why the index refused something.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// The index as the run sees it. Synchronous: the index stage calls it on a blocking thread.
/// `dossiers-index` implements it over its writer; tests use an in-memory one.
pub trait IndexSink: Send + 'static {
    /// The commit id in the payload of the index's last commit, `None` for an empty index.
    fn last_commit_id(&mut self) -> Result<Option<String>, SinkError>;
    /// Adds or replaces a dossier; `extra_text` is the text of its other files.
    fn upsert(&mut self, record: &Record, extra_text: &str) -> Result<(), SinkError>;
    /// Marks a dossier withdrawn (kept, not deleted: see [`crate::state`]).
    fn withdraw(&mut self, dossier_id: &str) -> Result<(), SinkError>;
    /// Makes everything since the last commit visible and durable at once, with `commit_id` in
    /// the payload.
    fn commit(&mut self, commit_id: &str) -> Result<(), SinkError>;
}

// ---------------------------------------------------------------------------------------------
// The run.

/// How to run, beyond what the pipeline file says.
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// Relative paths of the pipeline are relative to this folder.
    pub base_dir: PathBuf,
    pub versions: Versions,
    /// Dossiers per index commit: smaller loses less to a crash, larger commits less often.
    pub commit_every: usize,
    /// Capacity of each channel between stages.
    pub channel_capacity: usize,
    /// The run's id; a new one when `None`.
    pub run_id: Option<String>,
    /// Re-do the dossiers whose files failed last time (`dossiers run --retry-failed`), even
    /// when nothing changed: a timeout may have been a busy night, a crash a reader since fixed.
    pub retry_failed: bool,
    /// Counters the run updates as it goes, for a caller that shows progress; fresh ones when
    /// `None`. Give each run its own.
    pub progress: Option<Arc<RunCounters>>,
}

impl RunSettings {
    pub fn new(base_dir: impl Into<PathBuf>) -> RunSettings {
        RunSettings {
            base_dir: base_dir.into(),
            versions: Versions::current(),
            commit_every: 500,
            channel_capacity: 64,
            run_id: None,
            retry_failed: false,
            progress: None,
        }
    }
}

/// One file of a dossier, extracted (or not).
#[derive(Debug)]
struct DoneFile {
    file: UnitFile,
    blake3: Option<String>,
    size: u64,
    result: JobResult,
}

#[derive(Debug)]
struct ExtractedDossier {
    unit: DossierUnit,
    status: DossierStatus,
    files: Vec<DoneFile>,
}

#[derive(Debug)]
enum ToIndex {
    Upsert {
        record: Box<Record>,
        extra_text: String,
        outcome: DossierOutcome,
    },
    Withdraw(DossierOutcome),
}

/// What the run shares between its tasks.
struct Shared {
    counters: Arc<RunCounters>,
    report: Mutex<ReportBuilder>,
    quarantine: Quarantine,
    calendar: WaveCalendar,
    limits: Limits,
    max_input_bytes: u64,
    run_id: String,
}

impl Shared {
    fn report(&self, f: impl FnOnce(&mut ReportBuilder)) {
        if let Ok(mut report) = self.report.lock() {
            f(&mut report);
        }
    }
}

/// What [`run_pipeline`] gives back.
#[derive(Debug)]
pub struct RunOutcome<S> {
    pub report: RunReport,
    /// Where the report was written, when it could be.
    pub report_dir: Option<PathBuf>,
    /// The sink, unless the index stage died with it.
    pub sink: Option<S>,
}

/// Runs a pipeline to the end: reconciles the state store with the index, lists the sources,
/// plans, extracts, normalises, indexes and commits what changed, marks removed dossiers
/// withdrawn, and writes the report under the pipeline's reports folder. Never panics and never
/// gives up silently: a run that cannot proceed is a report with exit code 2.
pub async fn run_pipeline<S: IndexSink>(
    pipeline: &Pipeline,
    settings: &RunSettings,
    extractor: Arc<dyn Extractor>,
    sink: S,
) -> RunOutcome<S> {
    let run_id = settings
        .run_id
        .clone()
        .unwrap_or_else(crate::report::new_run_id);
    let limits = Limits {
        max_input_bytes: pipeline.limits.max_input_bytes,
        ..Limits::default()
    };
    let shared = Arc::new(Shared {
        counters: settings.progress.clone().unwrap_or_default(),
        report: Mutex::new(ReportBuilder::new(&run_id, &pipeline.name)),
        quarantine: Quarantine::new(
            &settings.base_dir.join(&pipeline.output.quarantine),
            &run_id,
        ),
        calendar: pipeline.calendar.clone(),
        limits,
        max_input_bytes: pipeline.limits.max_input_bytes,
        run_id: run_id.clone(),
    });
    let (sink, fatal) = run_stages(pipeline, settings, &extractor, sink, &shared).await;
    if let Some(fatal) = fatal {
        tracing::error!(run_id = %run_id, error = %fatal, "the run could not proceed");
        shared.report(|r| r.fatal(fatal));
    }
    let builder = shared
        .report
        .lock()
        .map(|mut guard| std::mem::replace(&mut *guard, ReportBuilder::new(&run_id, "")))
        .unwrap_or_else(|_| ReportBuilder::new(&run_id, &pipeline.name));
    let report = builder.finish(&shared.counters, extractor.pool_stats());
    let report_dir = match report.write(&settings.base_dir.join(&pipeline.output.reports)) {
        Ok(dir) => Some(dir),
        Err(error) => {
            tracing::error!(run_id = %run_id, %error, "cannot write the run report");
            None
        }
    };
    RunOutcome {
        report,
        report_dir,
        sink,
    }
}

/// Everything the stages need before they start, prepared on a blocking thread.
struct Prepared<S> {
    sink: S,
    store: StateStore,
    work: Vec<(DossierUnit, PlannedDossier)>,
    removed: Vec<(String, String)>,
    archives: BTreeMap<PathBuf, Arc<crate::ds::ExportArchive>>,
}

async fn run_stages<S: IndexSink>(
    pipeline: &Pipeline,
    settings: &RunSettings,
    extractor: &Arc<dyn Extractor>,
    sink: S,
    shared: &Arc<Shared>,
) -> (Option<S>, Option<String>) {
    let base = settings.base_dir.clone();
    let state_path = base.join(&pipeline.output.state);
    let sources: Vec<Source> = pipeline
        .sources
        .iter()
        .map(|source| match source {
            Source::Folder { path } => Source::Folder {
                path: base.join(path),
            },
            Source::DsExport { path, sheet, wave } => Source::DsExport {
                path: base.join(path),
                sheet: sheet.as_ref().map(|s| base.join(s)),
                wave: *wave,
            },
        })
        .collect();
    let run_limits = pipeline.limits;
    let versions = settings.versions.clone();
    let prep_shared = Arc::clone(shared);
    let retry_failed = settings.retry_failed;
    let prepared = tokio::task::spawn_blocking(move || {
        prepare(
            sink,
            &state_path,
            &sources,
            (&run_limits, &versions, retry_failed),
            &prep_shared,
        )
    })
    .await;
    let prepared = match prepared {
        Ok(Ok(prepared)) => prepared,
        Ok(Err((sink, why))) => return (Some(sink), Some(why)),
        Err(error) => return (None, Some(format!("preparing the run: {error}"))),
    };
    let Prepared {
        sink,
        store,
        work,
        removed,
        archives,
    } = prepared;

    // Downstream first: the index stage is running before anything is sent to it.
    let capacity = settings.channel_capacity.max(1);
    let (to_index, index_rx) = mpsc::channel::<ToIndex>(capacity);
    let index_shared = Arc::clone(shared);
    let commit_every = settings.commit_every.max(1);
    let versions = settings.versions.clone();
    let index_task = tokio::task::spawn_blocking(move || {
        index_stage(
            sink,
            store,
            index_rx,
            commit_every,
            &versions,
            &index_shared,
        )
    });
    let (to_normalize, normalize_rx) = mpsc::channel::<ExtractedDossier>(capacity);
    let normalize_task = tokio::spawn(normalize_stage(
        normalize_rx,
        to_index.clone(),
        Arc::clone(shared),
    ));

    for (dossier_id, source) in removed {
        shared.counters.index.received(1);
        if to_index
            .send(ToIndex::Withdraw(DossierOutcome::withdrawn(
                dossier_id, source,
            )))
            .await
            .is_err()
        {
            break;
        }
    }
    drop(to_index);

    extract_stage(
        work,
        archives,
        Arc::clone(extractor),
        pipeline.workers.count,
        to_normalize,
        Arc::clone(shared),
    )
    .await;

    if let Err(error) = normalize_task.await {
        return (None, Some(format!("the normalise stage died: {error}")));
    }
    match index_task.await {
        Ok((sink, fatal)) => (Some(sink), fatal),
        Err(error) => (None, Some(format!("the index stage died: {error}"))),
    }
}

/// Opens the store, reconciles it with the index, lists the sources and plans.
fn prepare<S: IndexSink>(
    mut sink: S,
    state_path: &Path,
    sources: &[Source],
    (limits, versions, retry_failed): (&crate::config::RunLimits, &Versions, bool),
    shared: &Shared,
) -> Result<Prepared<S>, (S, String)> {
    if let Some(parent) = state_path.parent()
        && let Err(error) = std::fs::create_dir_all(parent)
    {
        return Err((sink, format!("{}: {error}", parent.display())));
    }
    let mut store = match StateStore::open(state_path) {
        Ok(store) => store,
        Err(error) => return Err((sink, format!("{}: {error}", state_path.display()))),
    };
    let last = match sink.last_commit_id() {
        Ok(last) => last,
        Err(error) => return Err((sink, format!("the index: {error}"))),
    };
    match store.reconcile(last.as_deref()) {
        Ok(reconciled) => {
            if !reconciled.applied.is_empty() || !reconciled.dropped.is_empty() {
                tracing::warn!(
                    applied = ?reconciled.applied,
                    dropped = ?reconciled.dropped,
                    "resumed after an interrupted run"
                );
            }
        }
        Err(error) => return Err((sink, error.to_string())),
    }

    let counters = &shared.counters.source;
    let mut listings: Vec<Listing> = Vec::new();
    let mut listed_sources = BTreeSet::new();
    for source in sources {
        let started = Instant::now();
        match list_source(source, limits) {
            Ok(listing) => {
                listed_sources.insert(source.path().to_string_lossy().into_owned());
                let n_units = listing.units.len() as u64;
                let n_aside = listing.set_aside.len() as u64;
                counters.received(n_units + n_aside);
                counters.ok(n_units);
                counters.skipped(n_aside);
                shared.report(|r| {
                    for aside in &listing.set_aside {
                        r.set_aside(aside.reason.code(), 1);
                    }
                });
                listings.push(listing);
            }
            Err(error) => {
                counters.received(1);
                counters.failed(1);
                shared.report(|r| {
                    r.failure(Failure {
                        dossier_id: String::new(),
                        key: source.path().to_string_lossy().into_owned(),
                        kind: "source".into(),
                        message: error.to_string(),
                        quarantine: None,
                    });
                });
            }
        }
        counters.busy(started.elapsed());
    }
    if listed_sources.is_empty() && !sources.is_empty() {
        return Err((sink, "no source could be listed".into()));
    }

    let units: Vec<DossierUnit> = listings.iter().flat_map(|l| l.units.clone()).collect();
    let archives: BTreeMap<PathBuf, Arc<crate::ds::ExportArchive>> = listings
        .iter()
        .filter_map(|l| l.archive.as_ref())
        .map(|a| (a.path().to_path_buf(), Arc::clone(a)))
        .collect();
    let plan = {
        let mut readers: BTreeMap<PathBuf, crate::ds::ArchiveReader<'_>> = archives
            .iter()
            .filter_map(|(path, archive)| Some((path.clone(), archive.reader().ok()?)))
            .collect();
        let max = limits.max_input_bytes;
        store.plan(&units, &listed_sources, versions, |file| {
            let reader = match &file.location {
                FileLocation::ZipEntry { archive, .. } => readers.get_mut(archive),
                FileLocation::Disk(_) => None,
            };
            read_unit_file(file, reader, max)
        })
    };
    let mut plan = match plan {
        Ok(plan) => plan,
        Err(error) => return Err((sink, error.to_string())),
    };
    if retry_failed {
        let failed = match store.failed_files() {
            Ok(failed) => failed,
            Err(error) => return Err((sink, error.to_string())),
        };
        let to_retry: BTreeSet<&str> = failed
            .iter()
            .filter(|(_, _, status)| status != "unsupported")
            .map(|(dossier_id, _, _)| dossier_id.as_str())
            .collect();
        for dossier in &mut plan.dossiers {
            if dossier.status == DossierStatus::Unchanged
                && to_retry.contains(dossier.dossier_id.as_str())
            {
                dossier.status = DossierStatus::Changed;
                dossier.reasons.push("retrying failed files".into());
            }
        }
    }
    shared.report(|r| r.plan(&plan));
    let sources_of: BTreeMap<&str, &str> = units
        .iter()
        .map(|u| (u.dossier_id.as_str(), u.source.as_str()))
        .collect();
    let removed = plan
        .removed
        .iter()
        .map(|id| {
            let source = sources_of.get(id.as_str()).copied().unwrap_or_default();
            (id.clone(), source.to_string())
        })
        .collect();
    let work = units.into_iter().zip(plan.dossiers).collect();
    Ok(Prepared {
        sink,
        store,
        work,
        removed,
        archives,
    })
}

/// Extracts the files of every dossier that needs it, a few dossiers at a time.
async fn extract_stage(
    work: Vec<(DossierUnit, PlannedDossier)>,
    archives: BTreeMap<PathBuf, Arc<crate::ds::ExportArchive>>,
    extractor: Arc<dyn Extractor>,
    workers: usize,
    to_normalize: mpsc::Sender<ExtractedDossier>,
    shared: Arc<Shared>,
) {
    // Twice the workers: one dossier's files are read while another's are extracted.
    let in_flight = Arc::new(tokio::sync::Semaphore::new(workers.max(1) * 2));
    let mut tasks = tokio::task::JoinSet::new();
    for (unit, planned) in work {
        if !planned.needs_work() {
            let n = unit.files.len() as u64;
            shared.counters.extract.received(n);
            shared.counters.extract.skipped(n);
            shared.counters.normalize.received(1);
            shared.counters.normalize.skipped(1);
            continue;
        }
        let Ok(permit) = Arc::clone(&in_flight).acquire_owned().await else {
            break;
        };
        // The stages below have stopped (the index could not commit): extracting more would
        // be work no one keeps.
        if to_normalize.is_closed() {
            break;
        }
        let extractor = Arc::clone(&extractor);
        let shared = Arc::clone(&shared);
        let to_normalize = to_normalize.clone();
        let archive = unit.files.iter().find_map(|f| match &f.location {
            FileLocation::ZipEntry { archive, .. } => archives.get(archive).cloned(),
            FileLocation::Disk(_) => None,
        });
        tasks.spawn(async move {
            let dossier =
                extract_dossier(unit, planned, archive, extractor.as_ref(), &shared).await;
            let _ = to_normalize.send(dossier).await;
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
}

async fn extract_dossier(
    unit: DossierUnit,
    planned: PlannedDossier,
    archive: Option<Arc<crate::ds::ExportArchive>>,
    extractor: &dyn Extractor,
    shared: &Shared,
) -> ExtractedDossier {
    // Zip entries are read together, with one reader (opening one reads the central
    // directory), on a blocking thread.
    let mut entry_bytes: BTreeMap<String, Result<Vec<u8>, String>> = BTreeMap::new();
    if let Some(archive) = archive {
        let entries: Vec<UnitFile> = unit
            .files
            .iter()
            .filter(|f| matches!(f.location, FileLocation::ZipEntry { .. }))
            .cloned()
            .collect();
        let max = shared.max_input_bytes;
        let read = tokio::task::spawn_blocking(move || {
            let mut out = BTreeMap::new();
            match archive.reader() {
                Ok(mut reader) => {
                    for file in entries {
                        let bytes = read_unit_file(&file, Some(&mut reader), max)
                            .map_err(|e| e.to_string());
                        out.insert(file.key, bytes);
                    }
                }
                Err(error) => {
                    for file in entries {
                        out.insert(file.key, Err(error.to_string()));
                    }
                }
            }
            out
        })
        .await;
        entry_bytes = read.unwrap_or_default();
    }
    let hashes: BTreeMap<&str, Option<String>> = planned
        .files
        .iter()
        .map(|f| (f.key.as_str(), f.blake3.clone()))
        .collect();
    let mut files = Vec::with_capacity(unit.files.len());
    for file in &unit.files {
        shared.counters.extract.received(1);
        let started = Instant::now();
        let (input, size, kept) = match &file.location {
            FileLocation::Disk(path) => (Ok(FileInput::Path(path.clone())), file.stamp.size, None),
            FileLocation::ZipEntry { .. } => match entry_bytes.remove(&file.key) {
                Some(Ok(bytes)) => {
                    let size = bytes.len() as u64;
                    (Ok(FileInput::Bytes(bytes.clone())), size, Some(bytes))
                }
                Some(Err(error)) => (Err(error), 0, None),
                None => (Err("the entry was not read".to_string()), 0, None),
            },
        };
        let result = match input {
            Ok(input) => extractor.extract(&file.name, input).await,
            Err(message) => JobResult {
                outcome: JobOutcome::Failed {
                    kind: "io".into(),
                    message,
                    partial: None,
                },
                elapsed: started.elapsed(),
            },
        };
        shared.counters.extract.busy(result.elapsed);
        let blake3 = hashes.get(file.key.as_str()).cloned().flatten();
        record_file_outcome(
            &unit,
            file,
            &result,
            blake3.as_deref(),
            kept.as_deref(),
            shared,
        );
        files.push(DoneFile {
            file: file.clone(),
            blake3,
            size,
            result,
        });
    }
    ExtractedDossier {
        unit,
        status: planned.status,
        files,
    }
}

/// Counts one file, reports it, and quarantines it when it failed. A format we do not read
/// (PDF, images: DS exports are full of them) is counted, not failed.
fn record_file_outcome(
    unit: &DossierUnit,
    file: &UnitFile,
    result: &JobResult,
    blake3: Option<&str>,
    bytes: Option<&[u8]>,
    shared: &Shared,
) {
    let kind = result.outcome.kind().to_string();
    let format = match &result.outcome {
        JobOutcome::Document(document) => Some(document.format.to_string()),
        _ => None,
    };
    let failed = !matches!(
        result.outcome,
        JobOutcome::Document(_) | JobOutcome::Failed { .. }
    ) || matches!(&result.outcome, JobOutcome::Failed { kind, .. } if kind != "unsupported");
    if failed {
        shared.counters.extract.failed(1);
        let message = match &result.outcome {
            JobOutcome::Failed { message, .. } => message.clone(),
            JobOutcome::Crashed { detail } => detail.clone(),
            JobOutcome::Timeout => "the extraction overran its time limit".into(),
            JobOutcome::Document(_) => String::new(),
        };
        let pointer = shared
            .quarantine
            .add(
                QuarantineEntry {
                    run_id: shared.run_id.clone(),
                    dossier_id: unit.dossier_id.clone(),
                    key: file.key.clone(),
                    blake3: blake3.map(str::to_string),
                    kind: kind.clone(),
                    message: message.clone(),
                    copy: None,
                },
                bytes,
            )
            .map_err(|error| tracing::error!(%error, key = %file.key, "cannot quarantine"))
            .ok();
        shared.report(|r| {
            r.failure(Failure {
                dossier_id: unit.dossier_id.clone(),
                key: file.key.clone(),
                kind: kind.clone(),
                message,
                quarantine: pointer,
            });
        });
    } else if matches!(result.outcome, JobOutcome::Document(_)) {
        shared.counters.extract.ok(1);
    } else {
        shared.counters.extract.skipped(1);
    }
    shared.report(|r| r.file(&file.key, format.as_deref(), &kind, result.elapsed));
}

/// Normalises extracted dossiers on blocking threads, one per core at most, and passes the
/// records on.
async fn normalize_stage(
    mut from_extract: mpsc::Receiver<ExtractedDossier>,
    to_index: mpsc::Sender<ToIndex>,
    shared: Arc<Shared>,
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let slots = Arc::new(tokio::sync::Semaphore::new(cores));
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(dossier) = from_extract.recv().await {
        if to_index.is_closed() {
            break;
        }
        shared.counters.normalize.received(1);
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let shared = Arc::clone(&shared);
        let to_index = to_index.clone();
        tasks.spawn(async move {
            let started = Instant::now();
            let dossier_id = dossier.unit.dossier_id.clone();
            let task_shared = Arc::clone(&shared);
            let built = tokio::task::spawn_blocking(move || build(dossier, &task_shared)).await;
            drop(slot);
            shared.counters.normalize.busy(started.elapsed());
            match built {
                Ok(message) => {
                    shared.counters.normalize.ok(1);
                    shared.counters.index.received(1);
                    let _ = to_index.send(message).await;
                }
                Err(error) => {
                    shared.counters.normalize.failed(1);
                    shared.report(|r| {
                        r.failure(Failure {
                            dossier_id,
                            key: String::new(),
                            kind: "normalize".into(),
                            message: error.to_string(),
                            quarantine: None,
                        });
                    });
                }
            }
        });
        // Finished tasks are reaped as we go so that the set stays small.
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
}

/// The record of an extracted dossier, and what the state store will keep of it.
fn build(dossier: ExtractedDossier, shared: &Shared) -> ToIndex {
    let ExtractedDossier {
        unit,
        status,
        files,
    } = dossier;
    let (record, disagreements) = build_record(&unit, &files, &shared.calendar, &shared.limits);
    if !disagreements.is_empty() {
        let checks = crate::sheet_checks::from_disagreements(&unit.dossier_id, &disagreements);
        shared.report(|r| r.sheet_checks(checks));
    }
    let extra_text = files
        .iter()
        .filter(|f| {
            !record
                .files
                .iter()
                .any(|e| e.role != FileRole::Other && e.path == shown_path(&unit, &f.file))
        })
        .filter_map(|f| match &f.result.outcome {
            JobOutcome::Document(document) => Some(dossiers_extract::render_text(
                document,
                TextOptions { labels: false },
            )),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let record_hash = serde_json::to_vec(&record)
        .ok()
        .map(|json| blake3::hash(&json).to_hex().to_string());
    let outcome = DossierOutcome {
        dossier_id: unit.dossier_id.clone(),
        source: unit.source.clone(),
        status: status.code().into(),
        record_hash,
        files: files
            .iter()
            .map(|f| FileOutcome {
                key: f.file.key.clone(),
                size: f.file.stamp.size,
                mtime_ns: f.file.stamp.mtime_ns,
                blake3: f.blake3.clone(),
                status: f.result.outcome.kind().to_string(),
                error: match &f.result.outcome {
                    JobOutcome::Failed { message, .. } => Some(message.clone()),
                    JobOutcome::Crashed { detail } => Some(detail.clone()),
                    JobOutcome::Timeout => Some("timeout".into()),
                    JobOutcome::Document(_) => None,
                },
            })
            .collect(),
    };
    ToIndex::Upsert {
        record: Box::new(record),
        extra_text,
        outcome,
    }
}

fn shown_path(unit: &DossierUnit, file: &UnitFile) -> String {
    format!("{}/{}", unit.dossier_id, file.name)
}

/// The record of a dossier through the normaliser's one assembly: every file with its size,
/// hash and outcome, the export sheet's row, the run's calendar and the source's wave.
fn build_record(
    unit: &DossierUnit,
    files: &[DoneFile],
    calendar: &WaveCalendar,
    limits: &Limits,
) -> (Record, Vec<dossiers_normalize::sheet::Disagreement>) {
    let input = DossierInput {
        dossier_id: &unit.dossier_id,
        ds_number: unit.ds_number,
        files: files
            .iter()
            .map(|done| {
                let (format, status, error, document) = match &done.result.outcome {
                    JobOutcome::Document(document) => (
                        file_format(document.format),
                        if document.has_text() {
                            FileStatus::Ok
                        } else {
                            FileStatus::Error
                        },
                        (!document.has_text()).then(|| "aucun texte lisible".to_string()),
                        document.has_text().then_some(document.as_ref()),
                    ),
                    outcome => (
                        guess_format(&done.file.name, &[]),
                        FileStatus::Error,
                        Some(outcome_message(outcome)),
                        None,
                    ),
                };
                DossierFile {
                    entry: FileEntry {
                        path: shown_path(unit, &done.file),
                        role: FileRole::Other,
                        format,
                        bytes: done.size,
                        blake3: done.blake3.clone(),
                        status,
                        error,
                        note: None,
                    },
                    document,
                }
            })
            .collect(),
        sheet: unit.sheet_row.as_ref().map(|row| &row.columns),
    };
    let options = NormalizeOptions {
        limits: limits.clone(),
        wave: unit.wave,
        calendar: Some(Calendar {
            waves: calendar
                .waves
                .iter()
                .map(|w| (w.number, w.closes))
                .collect(),
        }),
    };
    let assembled = assemble_explained(input, &options);
    (assembled.record, assembled.disagreements)
}

/// The French message a file's failed outcome leaves in the record.
fn outcome_message(outcome: &JobOutcome) -> String {
    match outcome {
        JobOutcome::Document(_) => String::new(),
        JobOutcome::Failed { message, .. } => message.clone(),
        JobOutcome::Timeout => "l'extraction a dépassé le temps imparti".into(),
        JobOutcome::Crashed { .. } => "l'extraction a échoué (processus interrompu)".into(),
    }
}

/// Owns the sink and the store: upserts, withdraws, and commits every `commit_every`
/// dossiers and at the end. Returns the sink and why the run could not proceed, if it could not.
fn index_stage<S: IndexSink>(
    mut sink: S,
    mut store: StateStore,
    mut from_normalize: mpsc::Receiver<ToIndex>,
    commit_every: usize,
    versions: &Versions,
    shared: &Shared,
) -> (S, Option<String>) {
    let counters = &shared.counters;
    let mut pending: Vec<DossierOutcome> = Vec::new();
    let mut sequence = 0u32;
    let mut commit = |sink: &mut S,
                      store: &mut StateStore,
                      pending: &mut Vec<DossierOutcome>|
     -> Result<(), String> {
        sequence += 1;
        let commit_id = format!("{}/{sequence:04}", shared.run_id);
        counters.commit.received(1);
        let started = Instant::now();
        let result = store
            .stage(&commit_id, versions, pending)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                sink.commit(&commit_id)
                    .map_err(|e| format!("index commit {commit_id}: {e}"))
            })
            .and_then(|()| store.apply_commit(&commit_id).map_err(|e| e.to_string()));
        counters.commit.busy(started.elapsed());
        match result {
            Ok(()) => {
                counters.commit.ok(1);
                tracing::info!(commit_id = %commit_id, dossiers = pending.len(), "committed");
                pending.clear();
                Ok(())
            }
            Err(error) => {
                counters.commit.failed(1);
                Err(error)
            }
        }
    };
    while let Some(message) = from_normalize.blocking_recv() {
        let started = Instant::now();
        let (result, outcome) = match message {
            ToIndex::Upsert {
                record,
                extra_text,
                outcome,
            } => {
                // A new release, or a file touched without a change that matters, may give the
                // very record the index already has: it is stored as done (with the new
                // versions) without rewriting the index.
                let indexed = store.dossier(&outcome.dossier_id).ok().flatten();
                let same = indexed.is_some_and(|(status, hash)| {
                    status != "withdrawn" && hash.is_some() && hash == outcome.record_hash
                });
                if same {
                    counters.index.skipped(1);
                    pending.push(outcome);
                    if pending.len() >= commit_every
                        && let Err(error) = commit(&mut sink, &mut store, &mut pending)
                    {
                        return (sink, Some(error));
                    }
                    continue;
                }
                (sink.upsert(&record, &extra_text), outcome)
            }
            ToIndex::Withdraw(outcome) => (sink.withdraw(&outcome.dossier_id), outcome),
        };
        counters.index.busy(started.elapsed());
        match result {
            Ok(()) => {
                counters.index.ok(1);
                pending.push(outcome);
            }
            Err(error) => {
                // Not staged: the next run sees the dossier as still to do.
                counters.index.failed(1);
                shared.report(|r| {
                    r.failure(Failure {
                        dossier_id: outcome.dossier_id.clone(),
                        key: String::new(),
                        kind: "index".into(),
                        message: error.to_string(),
                        quarantine: None,
                    });
                });
            }
        }
        if pending.len() >= commit_every
            && let Err(error) = commit(&mut sink, &mut store, &mut pending)
        {
            return (sink, Some(error));
        }
    }
    if !pending.is_empty()
        && let Err(error) = commit(&mut sink, &mut store, &mut pending)
    {
        return (sink, Some(error));
    }
    (sink, None)
}
