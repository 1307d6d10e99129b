//! Counters, the run report and the quarantine: what a run says it did.
//!
//! Logs scroll by and get rotated; the report is what an operator reads the next morning and
//! what a script checks. So every stage counts what it received and how each item ended
//! (received = ok + failed + skipped once the stage is drained), and the report is built from
//! those counters and the per-file outcomes, never from log lines (STYLE.md habit 5). Each run
//! writes `<reports>/<run id>/report.json` and a short `summary.txt`.
//!
//! A file that failed is quarantined: a JSON pointer with its key, location, hash and reason,
//! plus a copy of its bytes when the run holds them (a zip entry: tomorrow's export replaces
//! the zip, and the pointer would dangle). `--retry-failed` replays from there.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::sheet_checks::SheetCheck;
use crate::state::{DossierStatus, Plan};
use crate::worker::PoolStats;

/// The report format this build writes.
pub const REPORT_VERSION: u32 = 1;

/// The pipeline stages, in order.
pub const STAGES: [&str; 5] = ["source", "extract", "normalize", "index", "commit"];

/// One stage's counters; shared between the stage's tasks.
#[derive(Debug, Default)]
pub struct StageCounters {
    received: AtomicU64,
    ok: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
    busy_ns: AtomicU64,
}

impl StageCounters {
    pub fn received(&self, n: u64) {
        self.received.fetch_add(n, Ordering::Relaxed);
    }
    pub fn ok(&self, n: u64) {
        self.ok.fetch_add(n, Ordering::Relaxed);
    }
    pub fn failed(&self, n: u64) {
        self.failed.fetch_add(n, Ordering::Relaxed);
    }
    pub fn skipped(&self, n: u64) {
        self.skipped.fetch_add(n, Ordering::Relaxed);
    }
    /// Time spent working (summed over the stage's parallel tasks).
    pub fn busy(&self, time: Duration) {
        let ns = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        self.busy_ns.fetch_add(ns, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> StageSnapshot {
        StageSnapshot {
            received: self.received.load(Ordering::Relaxed),
            ok: self.ok.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            skipped: self.skipped.load(Ordering::Relaxed),
            busy_ms: self.busy_ns.load(Ordering::Relaxed) / 1_000_000,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSnapshot {
    pub received: u64,
    pub ok: u64,
    pub failed: u64,
    pub skipped: u64,
    pub busy_ms: u64,
}

impl StageSnapshot {
    /// Nothing received is unaccounted for.
    pub fn is_balanced(&self) -> bool {
        self.received == self.ok + self.failed + self.skipped
    }
}

/// The counters of every stage of a run.
#[derive(Debug, Default)]
pub struct RunCounters {
    pub source: StageCounters,
    pub extract: StageCounters,
    pub normalize: StageCounters,
    pub index: StageCounters,
    pub commit: StageCounters,
}

impl RunCounters {
    pub fn snapshot(&self) -> Vec<NamedStage> {
        let stages = [
            &self.source,
            &self.extract,
            &self.normalize,
            &self.index,
            &self.commit,
        ];
        STAGES
            .iter()
            .zip(stages)
            .map(|(name, counters)| NamedStage {
                stage: (*name).to_string(),
                counters: counters.snapshot(),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedStage {
    pub stage: String,
    #[serde(flatten)]
    pub counters: StageSnapshot,
}

/// New / changed / unchanged / removed dossiers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DossierTally {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub removed: u64,
}

impl DossierTally {
    pub fn from_plan(plan: &Plan) -> DossierTally {
        let n = |status| plan.count(status) as u64;
        DossierTally {
            new: n(DossierStatus::New),
            changed: n(DossierStatus::Changed),
            unchanged: n(DossierStatus::Unchanged),
            removed: n(DossierStatus::Removed),
        }
    }
}

/// One file that took long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowFile {
    pub key: String,
    pub ms: u64,
    pub status: String,
}

/// One file that failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    pub dossier_id: String,
    pub key: String,
    /// `corrupt`, `unsupported`, `encrypted`, `too_large`, `io`, `timeout`, `crashed`.
    pub kind: String,
    pub message: String,
    /// The quarantine entry, when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantine: Option<PathBuf>,
}

/// `report.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    pub report_version: u32,
    pub run_id: String,
    pub pipeline: String,
    /// UTC, RFC 3339.
    pub started_at: String,
    pub elapsed_ms: u64,
    /// 0: all good; 1: some files failed; 2: the run could not proceed.
    pub exit_code: u8,
    /// Why the run could not proceed, when it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatal: Option<String>,
    pub dossiers: DossierTally,
    /// Files by outcome (`ok` or an error kind).
    pub files_by_status: BTreeMap<String, u64>,
    /// Files by detected format (`docx`, `xls`…; `unknown` when extraction failed first).
    pub files_by_format: BTreeMap<String, u64>,
    /// Entries of the sources that are not dossier files, by reason.
    pub set_aside: BTreeMap<String, u64>,
    pub stages: Vec<NamedStage>,
    pub slowest: Vec<SlowFile>,
    pub failures: Vec<Failure>,
    /// Where the export sheet and the record differ, or only the sheet says (`record` null).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheet_checks: Vec<SheetCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<PoolStats>,
}

/// How many slow files the report lists.
const SLOWEST: usize = 10;

/// Collects a run's outcomes as they come; [`ReportBuilder::finish`] makes the report.
#[derive(Debug)]
pub struct ReportBuilder {
    run_id: String,
    pipeline: String,
    started: SystemTime,
    dossiers: DossierTally,
    files_by_status: BTreeMap<String, u64>,
    files_by_format: BTreeMap<String, u64>,
    set_aside: BTreeMap<String, u64>,
    timings: Vec<SlowFile>,
    failures: Vec<Failure>,
    sheet_checks: Vec<SheetCheck>,
    fatal: Option<String>,
}

impl ReportBuilder {
    pub fn new(run_id: impl Into<String>, pipeline: impl Into<String>) -> ReportBuilder {
        ReportBuilder {
            run_id: run_id.into(),
            pipeline: pipeline.into(),
            started: SystemTime::now(),
            dossiers: DossierTally::default(),
            files_by_status: BTreeMap::new(),
            files_by_format: BTreeMap::new(),
            set_aside: BTreeMap::new(),
            timings: Vec::new(),
            failures: Vec::new(),
            sheet_checks: Vec::new(),
            fatal: None,
        }
    }

    pub fn plan(&mut self, plan: &Plan) {
        self.dossiers = DossierTally::from_plan(plan);
    }

    pub fn set_aside(&mut self, reason: &str, n: u64) {
        *self.set_aside.entry(reason.to_string()).or_default() += n;
    }

    /// One extracted (or failed) file. `format` is the detected format when there is one.
    pub fn file(&mut self, key: &str, format: Option<&str>, status: &str, elapsed: Duration) {
        *self.files_by_status.entry(status.to_string()).or_default() += 1;
        *self
            .files_by_format
            .entry(format.unwrap_or("unknown").to_string())
            .or_default() += 1;
        self.timings.push(SlowFile {
            key: key.to_string(),
            ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            status: status.to_string(),
        });
    }

    pub fn failure(&mut self, failure: Failure) {
        self.failures.push(failure);
    }

    pub fn sheet_checks(&mut self, checks: Vec<SheetCheck>) {
        self.sheet_checks.extend(checks);
    }

    /// The run could not proceed (exit code 2).
    pub fn fatal(&mut self, why: impl Into<String>) {
        self.fatal = Some(why.into());
    }

    pub fn finish(mut self, counters: &RunCounters, workers: Option<PoolStats>) -> RunReport {
        self.timings
            .sort_by(|a, b| b.ms.cmp(&a.ms).then_with(|| a.key.cmp(&b.key)));
        self.timings.truncate(SLOWEST);
        self.failures
            .sort_by(|a, b| (&a.dossier_id, &a.key).cmp(&(&b.dossier_id, &b.key)));
        self.sheet_checks
            .sort_by(|a, b| (&a.dossier_id, &a.field).cmp(&(&b.dossier_id, &b.field)));
        // Files in a format we do not read (`unsupported`) are counted, not failures: DS
        // exports are full of PDFs and scans.
        let any_failed = !self.failures.is_empty();
        let exit_code = if self.fatal.is_some() {
            2
        } else if any_failed {
            1
        } else {
            0
        };
        RunReport {
            report_version: REPORT_VERSION,
            run_id: self.run_id,
            pipeline: self.pipeline,
            started_at: rfc3339(self.started),
            elapsed_ms: self
                .started
                .elapsed()
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            exit_code,
            fatal: self.fatal,
            dossiers: self.dossiers,
            files_by_status: self.files_by_status,
            files_by_format: self.files_by_format,
            set_aside: self.set_aside,
            stages: counters.snapshot(),
            slowest: self.timings,
            failures: self.failures,
            sheet_checks: self.sheet_checks,
            workers,
        }
    }
}

impl RunReport {
    /// The short human summary (`summary.txt`, and what `dossiers run` prints).
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let verdict = match self.exit_code {
            0 => "all good",
            1 => "some files failed",
            _ => "the run could not proceed",
        };
        out.push_str(&format!(
            "run {} · pipeline {} · {} · exit {} ({verdict})\n",
            self.run_id,
            self.pipeline,
            seconds(self.elapsed_ms),
            self.exit_code
        ));
        if let Some(fatal) = &self.fatal {
            out.push_str(&format!("error: {fatal}\n"));
        }
        let d = &self.dossiers;
        out.push_str(&format!(
            "dossiers: {} new, {} changed, {} unchanged, {} removed (kept as withdrawn)\n",
            d.new, d.changed, d.unchanged, d.removed
        ));
        out.push_str(&format!(
            "files: {}\n",
            join_counts(&self.files_by_status, "none extracted")
        ));
        out.push_str(&format!(
            "formats: {}\n",
            join_counts(&self.files_by_format, "none")
        ));
        if !self.set_aside.is_empty() {
            out.push_str(&format!(
                "set aside: {}\n",
                join_counts(&self.set_aside, "none")
            ));
        }
        out.push_str("stages (received / ok / failed / skipped, busy time):\n");
        for stage in &self.stages {
            let c = &stage.counters;
            out.push_str(&format!(
                "  {:<10} {} / {} / {} / {}  {}\n",
                stage.stage,
                c.received,
                c.ok,
                c.failed,
                c.skipped,
                seconds(c.busy_ms)
            ));
        }
        if !self.slowest.is_empty() {
            out.push_str("slowest files:\n");
            for file in self.slowest.iter().take(5) {
                out.push_str(&format!(
                    "  {:>8}  {} ({})\n",
                    seconds(file.ms),
                    file.key,
                    file.status
                ));
            }
        }
        if !self.failures.is_empty() {
            out.push_str(&format!("failures: {}\n", self.failures.len()));
            for failure in &self.failures {
                out.push_str(&format!(
                    "  {} {}: {} ({})\n",
                    failure.dossier_id, failure.key, failure.message, failure.kind
                ));
            }
        }
        if !self.sheet_checks.is_empty() {
            let gaps = self
                .sheet_checks
                .iter()
                .filter(|c| c.record.is_none())
                .count();
            out.push_str(&format!(
                "export sheet: {} values disagree with the documents, {gaps} only in the sheet\n",
                self.sheet_checks.len() - gaps
            ));
            for check in self.sheet_checks.iter().filter(|c| c.record.is_some()) {
                out.push_str(&format!(
                    "  {} {}: documents {}, sheet {}\n",
                    check.dossier_id,
                    check.field,
                    check.record.as_deref().unwrap_or_default(),
                    check.sheet
                ));
            }
        }
        if let Some(workers) = &self.workers {
            out.push_str(&format!(
                "workers: {} started, {} timed out, {} crashed\n",
                workers.spawned, workers.timed_out, workers.crashed
            ));
        }
        out
    }

    /// Writes `report.json` and `summary.txt` under `<reports>/<run id>/`; each file is written
    /// aside and renamed, so a reader never sees half a report.
    pub fn write(&self, reports: &Path) -> std::io::Result<PathBuf> {
        let dir = reports.join(&self.run_id);
        std::fs::create_dir_all(&dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(&dir.join("report.json"), &json)?;
        write_atomically(&dir.join("summary.txt"), self.summary().as_bytes())?;
        Ok(dir)
    }
}

fn join_counts(counts: &BTreeMap<String, u64>, empty: &str) -> String {
    if counts.is_empty() {
        return empty.to_string();
    }
    counts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, since.subsec_nanos())
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// A new run id: the UTC start time (sortable, readable in a folder listing) and a few
/// characters that tell apart two runs started in the same second.
pub fn new_run_id() -> String {
    let now = SystemTime::now();
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(0);
    let stamp = chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default();
    let salt = (u64::from(since.subsec_nanos()) ^ (u64::from(std::process::id()) << 32)) & 0xffff;
    format!("{stamp}-{salt:04x}")
}

// ---------------------------------------------------------------------------------------------
// Quarantine.

/// A quarantined file: where it was, what it was, why it failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarantineEntry {
    pub run_id: String,
    pub dossier_id: String,
    /// The file's key in the state store (a path, or `<zip>!<entry>`).
    pub key: String,
    pub blake3: Option<String>,
    pub kind: String,
    pub message: String,
    /// The copy beside this entry, when the bytes were kept (file name only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<String>,
}

/// What a quarantine root holds.
#[derive(Debug, Default)]
pub struct QuarantineListing {
    /// Pointer path and entry, sorted by path.
    pub entries: Vec<(PathBuf, QuarantineEntry)>,
    /// Pointers that could not be read back (listed so that they are not silently lost).
    pub unreadable: Vec<PathBuf>,
}

/// The quarantine folder of one run: `<quarantine>/<run id>/NNNN-<name>.json` (+ the copy).
#[derive(Debug)]
pub struct Quarantine {
    dir: PathBuf,
    next: AtomicU64,
}

impl Quarantine {
    pub fn new(root: &Path, run_id: &str) -> Quarantine {
        Quarantine {
            dir: root.join(run_id),
            next: AtomicU64::new(1),
        }
    }

    /// Records a failed file; `bytes`, when given, are kept beside the pointer. Returns the
    /// pointer's path.
    pub fn add(
        &self,
        mut entry: QuarantineEntry,
        bytes: Option<&[u8]>,
    ) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let name = entry
            .key
            .rsplit(['/', '\\', '!'])
            .next()
            .unwrap_or("file")
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect::<String>();
        let stem = format!("{n:04}-{name}");
        if let Some(bytes) = bytes {
            let copy = format!("{stem}.bin");
            write_atomically(&self.dir.join(&copy), bytes)?;
            entry.copy = Some(copy);
        }
        let pointer = self.dir.join(format!("{stem}.json"));
        let json = serde_json::to_vec_pretty(&entry).map_err(std::io::Error::other)?;
        write_atomically(&pointer, &json)?;
        Ok(pointer)
    }

    /// Every entry under a quarantine root (all runs), sorted by path: what `--retry-failed`
    /// replays.
    pub fn entries(root: &Path) -> std::io::Result<QuarantineListing> {
        let mut good = Vec::new();
        let mut bad = Vec::new();
        if !root.exists() {
            return Ok(QuarantineListing {
                entries: good,
                unreadable: bad,
            });
        }
        for run in std::fs::read_dir(root)? {
            let run = run?.path();
            if !run.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&run)? {
                let path = file?.path();
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                match std::fs::read(&path)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<QuarantineEntry>(&b).ok())
                {
                    Some(entry) => good.push((path, entry)),
                    None => bad.push(path),
                }
            }
        }
        good.sort_by(|a, b| a.0.cmp(&b.0));
        bad.sort();
        Ok(QuarantineListing {
            entries: good,
            unreadable: bad,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_sort_by_time_and_read_as_dates() {
        let id = new_run_id();
        assert_eq!(id.len(), "20261127T091000Z-1a2b".len(), "{id}");
        assert!(id.starts_with("20"), "{id}");
    }

    #[test]
    fn counters_balance_and_snapshot_in_stage_order() {
        let counters = RunCounters::default();
        counters.extract.received(3);
        counters.extract.ok(2);
        counters.extract.failed(1);
        counters.extract.busy(Duration::from_millis(1500));
        let stages = counters.snapshot();
        let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
        assert_eq!(names, STAGES);
        assert!(stages.iter().all(|s| s.counters.is_balanced()));
        assert_eq!(stages[1].counters.busy_ms, 1500);
    }
}
