//! The `--index DIR` option every index command shares, and its default.
//!
//! With no option and no environment, the index lives in `var/index` under the working
//! directory, so `make run` works on a fresh clone; `DOSSIERS_INDEX` points every command at
//! another folder (a shared disk, a test's temporary folder).

use std::path::PathBuf;

use anyhow::Context;
use dossiers_index::DossierIndex;

/// The default index folder, relative to the working directory.
pub const DEFAULT_INDEX: &str = "var/index";

#[derive(Debug, Clone, clap::Args)]
pub struct IndexDir {
    /// The index folder.
    #[arg(long = "index", env = "DOSSIERS_INDEX", default_value = DEFAULT_INDEX)]
    pub path: PathBuf,
}

impl IndexDir {
    /// Opens an existing index for reading.
    pub fn open(&self) -> anyhow::Result<DossierIndex> {
        DossierIndex::open(&self.path).with_context(|| {
            format!(
                "opening the index in {} (run `dossiers ingest PATH --index {}` first)",
                self.path.display(),
                self.path.display()
            )
        })
    }

    /// Opens the index for writing, creating it when the folder is empty or absent.
    pub fn create_or_open(&self) -> anyhow::Result<DossierIndex> {
        DossierIndex::create_or_open(&self.path)
            .with_context(|| format!("opening the index in {}", self.path.display()))
    }
}
