//! The index's error type: every failure names what it was working on, and tantivy's own errors
//! are carried as text so that no tantivy type leaks out of this crate.

use std::path::PathBuf;

/// Anything that can go wrong while opening, writing, searching or reporting on the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    // The cause is in the message, not a `#[source]`, so that a chain printer (anyhow's
    // `{:#}`) does not say it twice.
    #[error("io: {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("not a dossiers index: {path} (no {marker} marker)")]
    NotAnIndex { path: PathBuf, marker: &'static str },
    #[error(
        "index format {found} at {path} is not readable by this version (it reads format {supported}); re-ingest the dossiers into a new folder"
    )]
    UnsupportedFormat {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("index is locked by another writer: {path}")]
    Locked { path: PathBuf },
    #[error("query: {0}")]
    Query(#[from] crate::query::QueryError),
    #[error("unknown field {name} (known: {known})")]
    UnknownField { name: String, known: String },
    #[error("dossier not found: {0}")]
    NotFound(String),
    #[error("stored record of {dossier_id} is unreadable: {cause}")]
    StoredRecord {
        dossier_id: String,
        cause: serde_json::Error,
    },
    #[error("unknown wave {wave} (known: {known})")]
    UnknownWave { wave: u8, known: String },
    #[error("report: {0}")]
    Report(String),
    #[error("tantivy: {0}")]
    Tantivy(String),
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> Self {
        IndexError::Tantivy(error.to_string())
    }
}

impl From<tantivy::query::QueryParserError> for IndexError {
    fn from(error: tantivy::query::QueryParserError) -> Self {
        IndexError::Tantivy(error.to_string())
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for IndexError {
    fn from(error: tantivy::directory::error::OpenDirectoryError) -> Self {
        IndexError::Tantivy(error.to_string())
    }
}

impl IndexError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.into(),
            cause: source,
        }
    }
}

/// The crate's result alias.
pub type Result<T, E = IndexError> = std::result::Result<T, E>;
