//! The dossier index: the one crate that knows tantivy.
//!
//! Reviewers search dossiers by what they say, read one and put several side by side; analysts
//! count and sum them per wave. This crate holds the schema and the French analysis
//! ([`schema`], [`analysis`]), the writer that upserts records by `dossier_id` in one commit
//! per run ([`writer`]), the query language ([`query`]) and the searches built on it
//! ([`search`]), the statistics computed by the index's aggregations ([`stats`]), and the
//! comparison sheet and exports ([`compare`], [`export`]). Its public types are its own, so
//! no tantivy type leaks to the CLI or, later, the web UI.

pub mod analysis;
pub mod compare;
mod error;
pub mod export;
mod facets;
pub mod fiche;
pub mod flat;
mod observe;
pub mod query;
pub mod render;
pub mod schema;
pub mod search;
mod sheet;
pub mod stats;
mod store;
pub mod version;
pub mod writer;

pub use error::{IndexError, Result};
pub use schema::{Dimension, Number};
pub use store::{DossierIndex, Reload};
pub use writer::{CommitReport, IndexWriter};
