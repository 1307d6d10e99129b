//! The index format version, written as a marker file beside tantivy's own files.
//!
//! tantivy versions its segment format, but not our schema: a field renamed here would make an
//! older index open and then answer wrongly. The marker says which schema wrote the folder;
//! opening a folder with another format fails with a message that says what to do (re-ingest),
//! and `fixtures/index-v1/` is an index written by format 1 that the tests keep opening.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{IndexError, Result};

/// The marker's file name, inside the index folder.
pub const MARKER: &str = "dossiers-index.json";

/// The format this version writes and reads. Bump it when the schema or the analyzers change
/// in a way that old documents would be searched wrongly, and commit a new fixture index.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub format: u32,
    /// The crate version that created the folder, for humans.
    pub created_by: String,
}

impl Marker {
    pub fn current() -> Marker {
        Marker {
            format: FORMAT,
            created_by: format!("dossiers-index {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Reads the folder's marker; `Ok(None)` when there is none.
pub fn read_marker(dir: &Path) -> Result<Option<Marker>> {
    let path = dir.join(MARKER);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| IndexError::NotAnIndex {
                path: dir.to_path_buf(),
                marker: MARKER,
            }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(IndexError::io(path, error)),
    }
}

/// Fails unless the folder holds an index of this version's format.
pub fn check_marker(dir: &Path) -> Result<()> {
    match read_marker(dir)? {
        Some(marker) if marker.format == FORMAT => Ok(()),
        Some(marker) => Err(IndexError::UnsupportedFormat {
            path: dir.to_path_buf(),
            found: marker.format,
            supported: FORMAT,
        }),
        None => Err(IndexError::NotAnIndex {
            path: dir.to_path_buf(),
            marker: MARKER,
        }),
    }
}

pub fn write_marker(dir: &Path) -> Result<()> {
    let path = dir.join(MARKER);
    let text = serde_json::to_string_pretty(&Marker::current())
        .map_err(|error| IndexError::Report(error.to_string()))?;
    std::fs::write(&path, text + "\n").map_err(|error| IndexError::io(path, error))
}
