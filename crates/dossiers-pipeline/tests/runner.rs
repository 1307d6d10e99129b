//! The run end to end over an in-memory index: the bundled folder and the DS export fixture are
//! ingested with the sheet joined; a second run over the same input extracts nothing and leaves
//! the index as it was; a changed file re-does its dossier only; a removed dossier is withdrawn;
//! a hostile file in a worker costs only itself; a run interrupted after the index commit
//! resumes without redoing or losing anything.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use dossiers_extract::Limits;
use dossiers_model::Record;
use dossiers_pipeline::config::parse_pipeline;
use dossiers_pipeline::runner::{
    Extractor, InProcessExtractor, IndexSink, RunSettings, SinkError, run_pipeline,
};
use dossiers_pipeline::worker::{PoolLimits, WorkerPool};

/// An index in memory with tantivy's visibility rule: nothing is seen before a commit.
#[derive(Debug, Default, Clone)]
struct MemorySink {
    committed: BTreeMap<String, (Record, bool)>,
    staged: BTreeMap<String, (Record, bool)>,
    last_commit: Option<String>,
    commits: Vec<String>,
    upserts: usize,
    /// Fail the commit with this number (1-based), to simulate a crash there.
    fail_commit: Option<usize>,
}

impl IndexSink for MemorySink {
    fn last_commit_id(&mut self) -> Result<Option<String>, SinkError> {
        Ok(self.last_commit.clone())
    }
    fn upsert(&mut self, record: &Record, _extra_text: &str) -> Result<(), SinkError> {
        self.upserts += 1;
        self.staged
            .insert(record.dossier_id.clone(), (record.clone(), false));
        Ok(())
    }
    fn withdraw(&mut self, dossier_id: &str) -> Result<(), SinkError> {
        let record = self
            .committed
            .get(dossier_id)
            .map(|(r, _)| r.clone())
            .unwrap_or_else(|| Record::new(dossier_id));
        self.staged.insert(dossier_id.to_string(), (record, true));
        Ok(())
    }
    fn commit(&mut self, commit_id: &str) -> Result<(), SinkError> {
        if self.fail_commit == Some(self.commits.len() + 1) {
            self.staged.clear();
            return Err("disk full".into());
        }
        self.committed.append(&mut self.staged);
        self.last_commit = Some(commit_id.to_string());
        self.commits.push(commit_id.to_string());
        Ok(())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

struct Bench {
    dir: tempfile::TempDir,
}

impl Bench {
    /// A working folder with three sample dossiers and the DS export, and a pipeline over both.
    fn new() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for name in ["gen-0001", "gen-0005", "gen-0006"] {
            copy_dir(
                &fixtures.join("dossiers").join(name),
                &dir.path().join("dossiers").join(name),
            );
        }
        copy_dir(&fixtures.join("ds-export"), &dir.path().join("ds"));
        Bench { dir }
    }

    fn base(&self) -> &Path {
        self.dir.path()
    }

    fn pipeline(&self, commit_every: usize) -> (dossiers_pipeline::Pipeline, RunSettings) {
        let text = r#"version = 1
[[source]]
kind = "folder"
path = "dossiers"
[[source]]
kind = "ds_export"
path = "ds/dossiers_manufactures-de-proximite_2022-04-15_08-00.zip"
[calendar]
time_zone = "Europe/Paris"
[[calendar.wave]]
number = 2
closes = "2022-01-13T12:00:00"
[[calendar.wave]]
number = 3
closes = "2022-03-03T12:00:00"
[workers]
count = 2
[output]
index = "out/index"
state = "out/state.sqlite"
reports = "out/reports"
quarantine = "out/quarantine"
"#;
        let pipeline = parse_pipeline(Path::new("pipelines/test.toml"), text).unwrap();
        let mut settings = RunSettings::new(self.base());
        settings.commit_every = commit_every;
        (pipeline, settings)
    }
}

fn in_process() -> Arc<dyn Extractor> {
    Arc::new(InProcessExtractor {
        limits: Limits::default(),
    })
}

async fn run(
    bench: &Bench,
    sink: MemorySink,
) -> (dossiers_pipeline::report::RunReport, MemorySink) {
    let (pipeline, settings) = bench.pipeline(500);
    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    (outcome.report, outcome.sink.unwrap())
}

fn stage(
    report: &dossiers_pipeline::report::RunReport,
    name: &str,
) -> dossiers_pipeline::report::StageSnapshot {
    report
        .stages
        .iter()
        .find(|s| s.stage == name)
        .unwrap()
        .counters
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_run_ingests_everything_and_a_second_does_nothing() {
    let bench = Bench::new();
    let (report, sink) = run(&bench, MemorySink::default()).await;
    assert_eq!(report.exit_code, 0, "{}", report.summary());
    assert_eq!(report.dossiers.new, 7);
    assert_eq!(sink.committed.len(), 7);
    assert_eq!(sink.commits.len(), 1);
    assert!(
        report.stages.iter().all(|s| s.counters.is_balanced()),
        "{:?}",
        report.stages
    );
    assert_eq!(stage(&report, "extract").ok, 14);
    // DS's PDF, messagerie and horodatage of each of the 4 exported dossiers.
    assert_eq!(report.set_aside.values().sum::<u64>(), 12);

    // The sheet joined: DS's deposit time and number, the wave from the calendar.
    let (record, withdrawn) = &sink.committed["dossier-7215002"];
    assert!(!withdrawn);
    assert_eq!(record.ds_number, Some(7215002));
    assert_eq!(
        record.deposited_at.as_deref(),
        Some("2022-03-01T19:48:00+01:00")
    );
    assert_eq!(record.wave, Some(3));
    let names: Vec<&str> = record.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        names.contains(&"dossier-7215002/dossier-candidature.odt"),
        "{names:?}"
    );
    assert!(
        record.files.iter().all(|f| f.blake3.is_some()),
        "{:?}",
        record.files
    );
    assert!(
        bench
            .base()
            .join("out/reports")
            .join(&report.run_id)
            .join("report.json")
            .exists()
    );
    // The documents agree with the sheet on every SIRET and legal form it gives.
    assert_eq!(report.sheet_checks, []);

    // Second run over the same input: nothing extracted, nothing committed, index unchanged.
    let before = sink.committed.clone();
    let (report, sink) = run(&bench, sink).await;
    assert_eq!(report.exit_code, 0);
    assert_eq!(report.dossiers.unchanged, 7);
    assert_eq!(stage(&report, "extract").ok, 0);
    assert_eq!(stage(&report, "extract").skipped, 14);
    assert_eq!(sink.commits.len(), 1, "no new commit");
    assert_eq!(sink.upserts, 7);
    assert_eq!(
        sink.committed.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_file_re_does_its_dossier_and_a_removed_one_is_withdrawn() {
    let bench = Bench::new();
    let (_, sink) = run(&bench, MemorySink::default()).await;

    // gen-0005's matrix is replaced by gen-0001's; gen-0006 disappears.
    std::fs::copy(
        bench
            .base()
            .join("dossiers/gen-0001/matrice-budgetaire.xlsx"),
        bench
            .base()
            .join("dossiers/gen-0005/matrice-budgetaire.xlsx"),
    )
    .unwrap();
    std::fs::remove_dir_all(bench.base().join("dossiers/gen-0006")).unwrap();
    let (report, sink) = run(&bench, sink).await;
    assert_eq!(report.exit_code, 0, "{}", report.summary());
    assert_eq!(report.dossiers.changed, 1);
    assert_eq!(report.dossiers.unchanged, 5);
    assert_eq!(report.dossiers.removed, 1);
    assert_eq!(stage(&report, "extract").ok, 2, "only gen-0005's files");
    assert_eq!(sink.upserts, 8);
    assert!(sink.committed["gen-0006"].1, "withdrawn, not deleted");
    assert!(!sink.committed["gen-0005"].1);

    // The next run has nothing left to do.
    let (report, sink) = run(&bench, sink).await;
    assert_eq!(report.dossiers.removed, 0);
    assert_eq!(report.dossiers.changed, 0);
    assert_eq!(sink.commits.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sheet_that_contradicts_the_documents_is_reported() {
    let bench = Bench::new();
    let csv = bench
        .base()
        .join("ds/dossiers_manufactures-de-proximite_2022-04-15_08-00.csv");
    // DS says La Ruche Productive is a SAS; its application says association.
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replace(",9220,", ",5710,")).unwrap();
    let (report, _) = run(&bench, MemorySink::default()).await;
    assert_eq!(
        report.exit_code, 0,
        "a disagreement is for a reviewer, not a failure"
    );
    assert_eq!(report.sheet_checks.len(), 1, "{:?}", report.sheet_checks);
    let check = &report.sheet_checks[0];
    assert_eq!(check.dossier_id, "dossier-7104388");
    assert_eq!(check.field, "legal_model.form");
    assert_eq!(check.record.as_deref(), Some("association"));
    assert_eq!(check.sheet, "5710");
    assert!(report.summary().contains("export sheet: 1 values disagree"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_release_re_does_everything_but_rewrites_only_changed_records() {
    let bench = Bench::new();
    let (_, sink) = run(&bench, MemorySink::default()).await;
    let (pipeline, mut settings) = bench.pipeline(500);
    settings.versions.normalizer = "dossiers-normalize 99".into();
    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    let report = outcome.report;
    assert_eq!(report.dossiers.changed, 7, "{}", report.summary());
    assert_eq!(stage(&report, "extract").ok, 14);
    // The normaliser gave the same records: the index is not rewritten.
    assert_eq!(stage(&report, "index").skipped, 7);
    let sink = outcome.sink.unwrap();
    assert_eq!(sink.upserts, 7);
    // The new version is stored: the next run with it has nothing to do.
    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    assert_eq!(outcome.report.dossiers.unchanged, 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_commit_loses_nothing_and_the_next_run_finishes_the_work() {
    let bench = Bench::new();
    let (pipeline, settings) = bench.pipeline(3);
    // The second commit fails: three dossiers are in, the rest not.
    let sink = MemorySink {
        fail_commit: Some(2),
        ..MemorySink::default()
    };
    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    assert_eq!(outcome.report.exit_code, 2, "{}", outcome.report.summary());
    assert!(
        outcome
            .report
            .fatal
            .as_deref()
            .unwrap()
            .contains("disk full")
    );
    let mut sink = outcome.sink.unwrap();
    assert_eq!(sink.committed.len(), 3);
    sink.fail_commit = None;

    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    assert_eq!(outcome.report.exit_code, 0, "{}", outcome.report.summary());
    assert_eq!(outcome.report.dossiers.unchanged, 3);
    assert_eq!(outcome.report.dossiers.new, 4);
    let sink = outcome.sink.unwrap();
    assert_eq!(sink.committed.len(), 7);
    assert_eq!(
        sink.upserts,
        3 + 3 + 4,
        "the failed commit's three are redone, no others"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_file_in_a_worker_costs_only_itself() {
    let bench = Bench::new();
    std::fs::write(
        bench.base().join("dossiers/gen-0005/annexe-hang.docx"),
        b"x",
    )
    .unwrap();
    std::fs::write(
        bench.base().join("dossiers/gen-0006/annexe-crash.doc"),
        b"x",
    )
    .unwrap();
    std::fs::write(bench.base().join("dossiers/gen-0006/scan.pdf"), b"%PDF-1.4").unwrap();
    let (pipeline, settings) = bench.pipeline(500);
    let pool = WorkerPool::new(
        2,
        vec![env!("CARGO_BIN_EXE_pipeline-test-worker").to_string()],
        PoolLimits {
            job_timeout: Duration::from_secs(3),
            memory_cap_bytes: Some(512 << 20),
            extract: Limits::default(),
        },
    )
    .unwrap();
    let pool = Arc::new(pool);
    let outcome = run_pipeline(&pipeline, &settings, pool.clone(), MemorySink::default()).await;
    pool.shutdown().await;
    let report = outcome.report;
    assert_eq!(report.exit_code, 1, "{}", report.summary());
    let failed: BTreeSet<(&str, &str)> = report
        .failures
        .iter()
        .map(|f| (f.dossier_id.as_str(), f.kind.as_str()))
        .collect();
    assert_eq!(
        failed,
        [("gen-0005", "timeout"), ("gen-0006", "crashed")].into()
    );
    assert_eq!(
        report.files_by_status["unsupported"], 1,
        "a PDF is not a failure"
    );
    assert_eq!(report.files_by_status["ok"], 14);
    let sink = outcome.sink.unwrap();
    assert_eq!(sink.committed.len(), 7, "every dossier is indexed");
    let record = &sink.committed["gen-0005"].0;
    let hung = record
        .files
        .iter()
        .find(|f| f.path.ends_with("annexe-hang.docx"))
        .unwrap();
    assert_eq!(hung.status, dossiers_model::FileStatus::Error);
    // Quarantined with a pointer (a file on disk is not copied).
    let listing =
        dossiers_pipeline::report::Quarantine::entries(&bench.base().join("out/quarantine"))
            .unwrap();
    assert_eq!(listing.entries.len(), 2);
    assert!(report.workers.unwrap().timed_out == 1);

    // Unchanged input: nothing to do, unless asked to retry what failed.
    let (report, sink) = run(&bench, sink).await;
    assert_eq!(report.dossiers.unchanged, 7);
    let (pipeline, mut settings) = bench.pipeline(500);
    settings.retry_failed = true;
    let outcome = run_pipeline(&pipeline, &settings, in_process(), sink).await;
    assert_eq!(
        outcome.report.dossiers.changed,
        2,
        "{}",
        outcome.report.summary()
    );
    assert_eq!(outcome.report.dossiers.unchanged, 5);
}

#[test]
fn pipeline_paths_resolve_against_the_base_folder() {
    let bench = Bench::new();
    let (pipeline, _) = bench.pipeline(1);
    let missing = pipeline.missing_inputs(Path::new("pipelines/test.toml"), bench.base());
    assert!(missing.is_empty(), "{missing:?}");
    let missing =
        pipeline.missing_inputs(Path::new("pipelines/test.toml"), &PathBuf::from("/nowhere"));
    assert_eq!(missing.len(), 2);
}
