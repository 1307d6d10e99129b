//! Writing: upsert by `dossier_id`, one atomic commit per run with the run's id as payload.
//!
//! A dossier is replaced by deleting its id's term and adding the new document in the same
//! commit, so re-ingesting never duplicates and a reader sees either the old or the new version.
//! Nothing is visible (or durable) before [`IndexWriter::commit`]; dropping the writer without
//! committing leaves the index at its last commit.

use dossiers_model::Record;
use serde::Serialize;
use tantivy::indexer::IndexWriterOptions;
use tantivy::{TantivyError, Term};

use crate::schema::Fields;
use crate::{DossierIndex, IndexError, Result};

/// Memory per indexing thread before a segment is flushed; 2 threads stay under 100 MB.
const MEMORY_PER_THREAD: usize = 48_000_000;

/// The writer of one ingest run.
pub struct IndexWriter {
    inner: tantivy::IndexWriter,
    fields: Fields,
    upserted: u64,
}

impl std::fmt::Debug for IndexWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWriter")
            .field("upserted", &self.upserted)
            .finish_non_exhaustive()
    }
}

/// What a commit did, also written as the commit's payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitReport {
    pub run_id: String,
    pub upserted: u64,
    pub format: u32,
}

impl DossierIndex {
    /// Takes the folder's writer lock; a second writer (in any process) gets `Locked`.
    pub fn writer(&self) -> Result<IndexWriter> {
        // One indexing thread per two cores: the writer shares the machine with extraction
        // (a worker per core in the batch) and normalisation, and each thread has its own
        // segment and its own analyzer memos to warm. On 2 cores one thread took ~6 % less CPU
        // than two (scripts/bench-batch 1000 2, 12 runs each way).
        let threads = std::thread::available_parallelism()
            .map(|n| n.get() / 2)
            .unwrap_or(1)
            .clamp(1, 4);
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(MEMORY_PER_THREAD)
            .num_worker_threads(threads)
            .num_merge_threads(1)
            .build();
        let inner = self
            .index
            .writer_with_options(options)
            .map_err(|error| match error {
                TantivyError::LockFailure(..) => IndexError::Locked {
                    path: self.path().to_path_buf(),
                },
                other => other.into(),
            })?;
        Ok(IndexWriter {
            inner,
            fields: self.fields.clone(),
            upserted: 0,
        })
    }
}

impl IndexWriter {
    /// Adds a dossier or replaces the one with the same id. `extra_text` is the text of the
    /// dossier's files that the record does not keep (attachments), for `all_text`.
    pub fn upsert(&mut self, record: &Record, extra_text: &str) -> Result<()> {
        let document = self.fields.document(record, extra_text)?;
        self.inner.delete_term(Term::from_field_text(
            self.fields.dossier_id,
            &record.dossier_id,
        ));
        self.inner.add_document(document)?;
        self.upserted += 1;
        Ok(())
    }

    /// Removes a dossier (no error when it is absent).
    pub fn delete(&mut self, dossier_id: &str) {
        self.inner
            .delete_term(Term::from_field_text(self.fields.dossier_id, dossier_id));
    }

    /// Makes the run visible and durable at once, with `run_id` in the commit's payload.
    pub fn commit(mut self, run_id: &str) -> Result<CommitReport> {
        let report = CommitReport {
            run_id: run_id.to_owned(),
            upserted: self.upserted,
            format: crate::version::FORMAT,
        };
        let payload = serde_json::to_string(&report)
            .map_err(|error| IndexError::Report(error.to_string()))?;
        let mut prepared = self.inner.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // Merges run in the background; waiting keeps a short-lived command from leaving
        // half-merged files for the next run to clean up.
        self.inner.wait_merging_threads()?;
        Ok(report)
    }
}
