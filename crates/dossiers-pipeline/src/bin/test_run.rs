//! A run for the crash test: `pipeline-test-run <pipeline.toml> <base dir> <index.json>`
//! runs the pipeline with in-process extraction into a JSON-file index whose commit is atomic
//! (written aside, synced, renamed), like tantivy's. `SLOW_COMMIT_MS` slows each commit, half
//! before the write and half after it, so that kills land both before an index commit and
//! between the index commit and the state store's; `NORMALIZER_VERSION` stands for a new release, which re-does every
//! dossier.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use dossiers_model::Record;
use dossiers_pipeline::{InProcessExtractor, IndexSink, RunSettings, SinkError, run_pipeline};
use serde::{Deserialize, Serialize};

/// What the file index holds: per dossier, the hash of its record and whether it is withdrawn.
#[derive(Debug, Default, Serialize, Deserialize)]
struct FileIndex {
    last_commit: Option<String>,
    dossiers: BTreeMap<String, (String, bool)>,
}

#[derive(Debug)]
struct FileSink {
    path: PathBuf,
    committed: FileIndex,
    staged: BTreeMap<String, (String, bool)>,
    slow: std::time::Duration,
}

impl IndexSink for FileSink {
    fn last_commit_id(&mut self) -> Result<Option<String>, SinkError> {
        Ok(self.committed.last_commit.clone())
    }
    fn upsert(&mut self, record: &Record, _extra_text: &str) -> Result<(), SinkError> {
        let hash = blake3::hash(&serde_json::to_vec(record)?)
            .to_hex()
            .to_string();
        self.staged.insert(record.dossier_id.clone(), (hash, false));
        Ok(())
    }
    fn withdraw(&mut self, dossier_id: &str) -> Result<(), SinkError> {
        let hash = self
            .committed
            .dossiers
            .get(dossier_id)
            .map(|(h, _)| h.clone())
            .unwrap_or_default();
        self.staged.insert(dossier_id.to_string(), (hash, true));
        Ok(())
    }
    fn commit(&mut self, commit_id: &str) -> Result<(), SinkError> {
        std::thread::sleep(self.slow / 2);
        self.committed.dossiers.append(&mut self.staged);
        self.committed.last_commit = Some(commit_id.to_string());
        let tmp = self.path.with_extension("tmp");
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&serde_json::to_vec(&self.committed)?)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &self.path)?;
        std::thread::sleep(self.slow / 2);
        Ok(())
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pipeline, base, index] = args.as_slice() else {
        eprintln!("usage: pipeline-test-run <pipeline.toml> <base dir> <index.json>");
        return std::process::ExitCode::from(2);
    };
    let pipeline = match dossiers_pipeline::load_pipeline(pipeline) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            eprintln!("{error}");
            return std::process::ExitCode::from(2);
        }
    };
    let path = PathBuf::from(index);
    let committed = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let slow = std::env::var("SLOW_COMMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis)
        .unwrap_or_default();
    let sink = FileSink {
        path,
        committed,
        staged: BTreeMap::new(),
        slow,
    };
    let mut settings = RunSettings::new(base);
    settings.commit_every = 2;
    if let Ok(version) = std::env::var("NORMALIZER_VERSION") {
        settings.versions.normalizer = version;
    }
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    else {
        return std::process::ExitCode::from(2);
    };
    let extractor = Arc::new(InProcessExtractor {
        limits: dossiers_extract::Limits::default(),
    });
    let outcome = runtime.block_on(run_pipeline(&pipeline, &settings, extractor, sink));
    print!("{}", outcome.report.summary());
    std::process::ExitCode::from(outcome.report.exit_code)
}
