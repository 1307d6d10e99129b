//! The original files of indexed dossiers, for download.
//!
//! A request names a dossier and the position of a file in its record, never a path. The file
//! is looked up in the declared sources (folders of dossiers, DS exports) by the name the record
//! gives it (`<dossier>/<file>`), read under the batch's limits, and served only if its BLAKE3
//! hash is the one the record keeps: a file replaced since indexing is refused, not served in
//! its place.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dossiers_model::FileEntry;
use dossiers_pipeline::config::{RunLimits, Source};
use dossiers_pipeline::ds::{self, ExportArchive, FileLocation, UnitFile};

/// Where the originals are, and what was found there.
#[derive(Debug)]
pub struct Originals {
    sources: Vec<Source>,
    limits: RunLimits,
    /// `<dossier>/<file>` → where it is, from the last listing.
    found: Mutex<Listed>,
}

#[derive(Debug, Default)]
struct Listed {
    files: HashMap<String, UnitFile>,
    at: Option<Instant>,
}

/// A source is listed again on a miss, at most this often (new exports arrive nightly).
const RELIST_AFTER: Duration = Duration::from_secs(30);

/// Why an original cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The record names no such file.
    NoSuchFile { files: usize },
    /// The file could not be read when it was indexed, so there is no hash to check it by.
    NotHashed,
    /// No declared source has it (any more).
    NotFound,
    /// It is there but its content is not the one indexed.
    Changed,
    /// It could not be read.
    Unreadable(String),
}

impl Originals {
    pub fn new(sources: Vec<Source>, limits: RunLimits) -> Originals {
        Originals {
            sources,
            limits,
            found: Mutex::new(Listed::default()),
        }
    }

    /// The bytes of one file of a record, checked against its hash.
    pub fn read(&self, dossier_id: &str, entry: &FileEntry) -> Result<Vec<u8>, Unavailable> {
        let Some(expected) = entry.blake3.as_deref() else {
            // Without a hash there is nothing to check the bytes against.
            return Err(Unavailable::NotHashed);
        };
        let file = self.locate(dossier_id, &entry.path)?;
        let bytes = self.read_located(&file)?;
        if blake3::hash(&bytes).to_hex().as_str() != expected {
            return Err(Unavailable::Changed);
        }
        Ok(bytes)
    }

    fn locate(&self, dossier_id: &str, path: &str) -> Result<UnitFile, Unavailable> {
        // The record's path is `<dossier>/<file>`; the dossier part must be the dossier's.
        let name = path
            .strip_prefix(dossier_id)
            .and_then(|rest| rest.strip_prefix('/'))
            .ok_or(Unavailable::NotFound)?;
        let key = format!("{dossier_id}/{name}");
        let mut listed = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = listed.files.get(&key) {
            return Ok(file.clone());
        }
        let stale = listed.at.is_none_or(|at| at.elapsed() >= RELIST_AFTER);
        if !stale {
            return Err(Unavailable::NotFound);
        }
        listed.files = self.list();
        listed.at = Some(Instant::now());
        listed.files.get(&key).cloned().ok_or(Unavailable::NotFound)
    }

    fn list(&self) -> HashMap<String, UnitFile> {
        let mut files = HashMap::new();
        for source in &self.sources {
            let listing = match ds::list_source(source, &self.limits) {
                Ok(listing) => listing,
                Err(error) => {
                    tracing::warn!(%error, "listing a source for downloads");
                    continue;
                }
            };
            for unit in listing.units {
                for file in unit.files {
                    files
                        .entry(format!("{}/{}", unit.dossier_id, file.name))
                        .or_insert(file);
                }
            }
        }
        files
    }

    fn read_located(&self, file: &UnitFile) -> Result<Vec<u8>, Unavailable> {
        let unreadable = |error: &dyn std::fmt::Display| Unavailable::Unreadable(error.to_string());
        match &file.location {
            FileLocation::Disk(_) => ds::read_unit_file(file, None, self.limits.max_input_bytes)
                .map_err(|e| unreadable(&e)),
            FileLocation::ZipEntry { archive, .. } => {
                let archive =
                    ExportArchive::open(archive, &self.limits).map_err(|e| unreadable(&e))?;
                let mut reader = archive.reader().map_err(|e| unreadable(&e))?;
                ds::read_unit_file(file, Some(&mut reader), self.limits.max_input_bytes)
                    .map_err(|e| unreadable(&e))
            }
        }
    }
}
