//! Opening an index folder: the marker check, the analyzers, the reader.

use std::path::{Path, PathBuf};

use dossiers_model::Record;
use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::schema::{Fields, build_schema};
use crate::{IndexError, Result, analysis, version};

/// When a reader sees new commits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reload {
    /// Only when [`DossierIndex::reload`] is called: deterministic, for commands and tests.
    #[default]
    Manual,
    /// Shortly after each commit, by watching the folder: for long-running readers.
    OnCommit,
}

/// An open index folder.
pub struct DossierIndex {
    path: PathBuf,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
}

impl std::fmt::Debug for DossierIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DossierIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl DossierIndex {
    /// Opens the index in `path`, creating the folder and an empty index when there is none.
    pub fn create_or_open(path: &Path) -> Result<DossierIndex> {
        let has_files = std::fs::read_dir(path)
            .map(|mut entries| entries.next().is_some())
            .unwrap_or(false);
        if has_files {
            return DossierIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|error| IndexError::io(path, error))?;
        let index = Index::create_in_dir(path, build_schema())?;
        version::write_marker(path)?;
        DossierIndex::from_index(path, index, Reload::Manual)
    }

    /// Opens an existing index; fails on a folder that is not one, or of another format.
    pub fn open(path: &Path) -> Result<DossierIndex> {
        DossierIndex::open_with(path, Reload::Manual)
    }

    pub fn open_with(path: &Path, reload: Reload) -> Result<DossierIndex> {
        if !path.is_dir() {
            return Err(IndexError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no index folder"),
            ));
        }
        version::check_marker(path)?;
        let index = Index::open_in_dir(path)?;
        DossierIndex::from_index(path, index, reload)
    }

    fn from_index(path: &Path, mut index: Index, reload: Reload) -> Result<DossierIndex> {
        analysis::register(&index);
        // Segments are searched in parallel, one thread per core: a broad query at 100,000
        // dossiers spends its time counting facets over every segment.
        index.set_default_multithread_executor()?;
        let fields = Fields::resolve(&index.schema())?;
        let policy = match reload {
            Reload::Manual => ReloadPolicy::Manual,
            Reload::OnCommit => ReloadPolicy::OnCommitWithDelay,
        };
        let reader = index.reader_builder().reload_policy(policy).try_into()?;
        Ok(DossierIndex {
            path: path.to_path_buf(),
            index,
            reader,
            fields,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the last commit visible to the next searches.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The number of dossiers in the last loaded commit.
    pub fn num_dossiers(&self) -> u64 {
        self.searcher().num_docs()
    }

    /// The payload of the last commit (`{"run_id": …}`), if any.
    pub fn last_commit_payload(&self) -> Result<Option<String>> {
        Ok(self.index.load_metas()?.payload)
    }

    pub(crate) fn address_of(&self, searcher: &Searcher, dossier_id: &str) -> Result<DocAddress> {
        let term = Term::from_field_text(self.fields.dossier_id, dossier_id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let found = searcher.search(&query, &DocSetCollector)?;
        found
            .into_iter()
            .next()
            .ok_or_else(|| IndexError::NotFound(dossier_id.to_owned()))
    }

    pub(crate) fn record_at(&self, searcher: &Searcher, address: DocAddress) -> Result<Record> {
        let document: TantivyDocument = searcher.doc(address)?;
        let json = document
            .get_first(self.fields.record)
            .and_then(|value| value.as_str())
            .unwrap_or("{}");
        let id = document
            .get_first(self.fields.dossier_id)
            .and_then(|value| value.as_str())
            .unwrap_or("?");
        serde_json::from_str(json).map_err(|cause| IndexError::StoredRecord {
            dossier_id: id.to_owned(),
            cause,
        })
    }

    /// The stored record of a dossier.
    pub fn get(&self, dossier_id: &str) -> Result<Record> {
        let searcher = self.searcher();
        let address = self.address_of(&searcher, dossier_id)?;
        self.record_at(&searcher, address)
    }

    /// Every stored record, sorted by `dossier_id` (for exports).
    pub fn all_records(&self) -> Result<Vec<Record>> {
        let searcher = self.searcher();
        let addresses = searcher.search(&AllQuery, &DocSetCollector)?;
        let mut records = addresses
            .into_iter()
            .map(|address| self.record_at(&searcher, address))
            .collect::<Result<Vec<_>>>()?;
        records.sort_by(|a, b| a.dossier_id.cmp(&b.dossier_id));
        Ok(records)
    }
}
