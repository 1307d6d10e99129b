//! The nightly batch around the extraction readers.
//!
//! Operators run `dossiers` every night over what Démarches simplifiées received; the run must
//! survive any file, skip what has not changed and say what it did. This crate holds the parts
//! that make that possible and that do not know the index:
//!
//! - [`config`]: declared pipelines (`pipelines/*.toml`), strict and versioned;
//! - [`ds`]: Démarches simplifiées exports as they come (zip or folder, the export sheet);
//! - [`sheet_checks`]: the export sheet's SIRET and legal form against the record;
//! - [`worker`]: extraction in worker processes with a wall-clock timeout and a memory cap;
//! - [`state`]: the state store (SQLite) that makes runs incremental;
//! - [`report`]: per-stage counters, the run report and the quarantine;
//! - [`runner`]: the stages joined by bounded channels, generic over the index
//!   ([`IndexSink`]) and the extraction ([`Extractor`]).

pub mod config;
pub mod ds;
pub mod report;
pub mod runner;
pub mod sheet_checks;
pub mod state;
pub mod worker;

pub use config::{ConfigError, Pipeline, check_pipeline, load_pipeline};
pub use runner::{
    Extractor, InProcessExtractor, IndexSink, RunOutcome, RunSettings, SinkError, run_pipeline,
};
pub use worker::{PoolLimits, WorkerPool, serve_worker, worker_main};
