//! The state store: what the last runs saw and produced, so that a run redoes only what changed
//! and agrees with the index after any crash.
//!
//! One SQLite file per pipeline (rusqlite, bundled; analysts can open it with `sqlite3`). It
//! remembers each file by key (path, or `<zip>!<entry>`), size, mtime and BLAKE3 hash, and each
//! dossier with its status, the hash of its record and the versions of the extractor and
//! normaliser that produced it. [`StateStore::plan`] compares a listing with it: a file whose
//! size and mtime match is taken as unchanged without being read; any other file is hashed once
//! and compared by content, so a file copied again with a new mtime is not re-extracted.
//!
//! **Crash safety.** A run does not write dossier rows directly: it stages them under the id of
//! the index commit they belong to ([`StateStore::stage`]), commits the index with that id in
//! the commit payload, then applies the staged rows ([`StateStore::apply_commit`]). At start-up,
//! [`StateStore::reconcile`] is given the index's last commit id: a staged commit that the index
//! has is applied (the crash fell between the two commits), any other is dropped (the index
//! never saw it, so its dossiers are still to do). The index is the truth; the store follows it.
//!
//! **Removed dossiers are kept, marked `withdrawn`, not deleted from the index.** A dossier
//! missing from tonight's export is not proof that it was withdrawn: DS exports leave out
//! dossiers an administrator hid, archives hold only decided dossiers, a monthly export only the
//! last 30 days, and an operator may point a pipeline at a partial export by mistake. Deleting
//! would silently lose reviewers' material on any of these; a `withdrawn` mark keeps the record
//! searchable and filterable, is undone when the dossier reappears, and a deliberate purge stays
//! possible. A dossier is only taken as removed when its own source was listed whole.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dossiers_extract::ExtractError;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::ds::{DossierUnit, FileStamp, UnitFile};

/// The schema this build reads and writes.
pub const STATE_SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("state store schema {found} is not the {expected} this build uses")]
    Schema { found: i64, expected: i64 },
    #[error("state store: {0}")]
    Encode(#[from] serde_json::Error),
}

pub type Result<T, E = StateError> = std::result::Result<T, E>;

/// The code versions a record depends on: a change re-does every dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Versions {
    pub extractor: String,
    pub normalizer: String,
}

impl Versions {
    /// The workspace version for both. The extraction and normalisation crates should export a
    /// version of their own, bumped when their output changes, so that a release that changes
    /// only one re-does only what depends on it.
    pub fn current() -> Versions {
        Versions {
            extractor: concat!("dossiers-extract ", env!("CARGO_PKG_VERSION")).into(),
            normalizer: concat!("dossiers-normalize ", env!("CARGO_PKG_VERSION")).into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    New,
    Changed,
    Unchanged,
    /// In the store, not in its (whole) source any more.
    Removed,
}

impl DossierStatus {
    pub fn code(self) -> &'static str {
        match self {
            DossierStatus::New => "new",
            DossierStatus::Changed => "changed",
            DossierStatus::Unchanged => "unchanged",
            DossierStatus::Removed => "removed",
        }
    }
}

/// A file as the plan sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    pub key: String,
    pub stamp: FileStamp,
    /// `None` when the file could not be read to be hashed (the extraction will say why).
    pub blake3: Option<String>,
    /// True when the content is the one last stored.
    pub unchanged: bool,
}

/// What to do with one dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedDossier {
    pub dossier_id: String,
    pub status: DossierStatus,
    /// Why a known dossier is re-done (`file changed: …`, `normaliser version`), for the report.
    pub reasons: Vec<String>,
    pub files: Vec<PlannedFile>,
}

impl PlannedDossier {
    pub fn needs_work(&self) -> bool {
        matches!(self.status, DossierStatus::New | DossierStatus::Changed)
    }
}

/// What a run has to do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// In the listing's order.
    pub dossiers: Vec<PlannedDossier>,
    /// Dossier ids in the store (not already withdrawn) that their whole source no longer has.
    pub removed: Vec<String>,
    /// Files read to be hashed; files whose size and mtime matched were not read.
    pub files_hashed: u64,
    pub files_not_read: u64,
}

impl Plan {
    pub fn count(&self, status: DossierStatus) -> usize {
        if status == DossierStatus::Removed {
            return self.removed.len();
        }
        self.dossiers.iter().filter(|d| d.status == status).count()
    }
}

/// One file's outcome, to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileOutcome {
    pub key: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub blake3: Option<String>,
    /// `ok`, or the error kind (`corrupt`, `timeout`, `crashed`…).
    pub status: String,
    pub error: Option<String>,
}

/// One dossier's outcome, to be stored once its index commit is durable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DossierOutcome {
    pub dossier_id: String,
    pub source: String,
    /// `new`, `changed` or `withdrawn`.
    pub status: String,
    /// BLAKE3 of the record's JSON; `None` for a withdrawn dossier.
    pub record_hash: Option<String>,
    pub files: Vec<FileOutcome>,
}

impl DossierOutcome {
    /// The outcome that marks a removed dossier withdrawn.
    pub fn withdrawn(dossier_id: impl Into<String>, source: impl Into<String>) -> DossierOutcome {
        DossierOutcome {
            dossier_id: dossier_id.into(),
            source: source.into(),
            status: "withdrawn".into(),
            record_hash: None,
            files: Vec::new(),
        }
    }
}

/// What [`StateStore::reconcile`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reconciled {
    pub applied: Vec<String>,
    pub dropped: Vec<String>,
}

/// The store. One writer at a time (the run); readers may open it alongside (WAL).
#[derive(Debug)]
pub struct StateStore {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    key TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    blake3 TEXT,
    status TEXT NOT NULL,
    error TEXT
);
CREATE INDEX IF NOT EXISTS files_by_dossier ON files (dossier_id);
CREATE TABLE IF NOT EXISTS dossiers (
    dossier_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    record_hash TEXT,
    extractor_version TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    last_commit TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    commit_id TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    normalizer_version TEXT NOT NULL,
    PRIMARY KEY (commit_id, dossier_id)
);
CREATE TABLE IF NOT EXISTS commits (
    commit_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    applied_at TEXT
);
";

impl StateStore {
    /// Opens (creating it if needed) the store at `path`; its folder must exist.
    pub fn open(path: &Path) -> Result<StateStore> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL lets an analyst read while a run writes; FULL makes a commit survive power loss,
        // which the index-then-store order relies on.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        StateStore::init(conn)
    }

    pub fn open_in_memory() -> Result<StateStore> {
        StateStore::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<StateStore> {
        conn.execute_batch(SCHEMA)?;
        let found: Option<String> = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match found.and_then(|v| v.parse::<i64>().ok()) {
            None => {
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?1)",
                    params![STATE_SCHEMA_VERSION.to_string()],
                )?;
            }
            Some(STATE_SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(StateError::Schema {
                    found,
                    expected: STATE_SCHEMA_VERSION,
                });
            }
        }
        Ok(StateStore { conn })
    }

    /// Compares `units` (every unit of every listed source) with the store. `listed_sources`
    /// are the sources listed whole this run: only their dossiers can be removed. `read` gives
    /// a file's bytes; it is called only for files whose size or mtime changed. Stamps of files
    /// whose content proved unchanged are refreshed at once, so the next plan does not read them
    /// again (the content is the same, so this is safe whatever happens to the run).
    pub fn plan(
        &mut self,
        units: &[DossierUnit],
        listed_sources: &BTreeSet<String>,
        versions: &Versions,
        mut read: impl FnMut(&UnitFile) -> Result<Vec<u8>, ExtractError>,
    ) -> Result<Plan> {
        let mut plan = Plan::default();
        let tx = self.conn.transaction()?;
        {
            let mut dossier_row = tx.prepare_cached(
                "SELECT status, extractor_version, normalizer_version FROM dossiers WHERE dossier_id = ?1",
            )?;
            let mut file_rows = tx.prepare_cached(
                "SELECT key, size, mtime_ns, blake3 FROM files WHERE dossier_id = ?1",
            )?;
            let mut refresh =
                tx.prepare_cached("UPDATE files SET size = ?2, mtime_ns = ?3 WHERE key = ?1")?;
            for unit in units {
                let known: Option<(String, String, String)> = dossier_row
                    .query_row(params![unit.dossier_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()?;
                let mut stored: BTreeMap<String, (i64, i64, Option<String>)> = BTreeMap::new();
                let rows = file_rows.query_map(params![unit.dossier_id], |r| {
                    Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
                })?;
                for row in rows {
                    let (key, value) = row?;
                    stored.insert(key, value);
                }
                let mut reasons = Vec::new();
                let mut files = Vec::new();
                for file in &unit.files {
                    let previous = stored.remove(&file.key);
                    let stamp = file.stamp;
                    let same_stamp = previous.as_ref().is_some_and(|(size, mtime, hash)| {
                        hash.is_some()
                            && u64::try_from(*size).ok() == Some(stamp.size)
                            && *mtime == stamp.mtime_ns
                    });
                    if same_stamp {
                        plan.files_not_read += 1;
                        files.push(PlannedFile {
                            key: file.key.clone(),
                            stamp,
                            blake3: previous.and_then(|p| p.2),
                            unchanged: true,
                        });
                        continue;
                    }
                    plan.files_hashed += 1;
                    let hash = read(file)
                        .ok()
                        .map(|bytes| blake3::hash(&bytes).to_hex().to_string());
                    let unchanged = hash.is_some()
                        && previous.as_ref().and_then(|p| p.2.as_ref()) == hash.as_ref();
                    if unchanged {
                        refresh.execute(params![
                            file.key,
                            i64::try_from(stamp.size).unwrap_or(i64::MAX),
                            stamp.mtime_ns
                        ])?;
                    } else if known.is_some() {
                        reasons.push(match previous {
                            None => format!("file added: {}", file.name),
                            Some(_) => format!("file changed: {}", file.name),
                        });
                    }
                    files.push(PlannedFile {
                        key: file.key.clone(),
                        stamp,
                        blake3: hash,
                        unchanged,
                    });
                }
                for key in stored.keys() {
                    reasons.push(format!("file removed: {key}"));
                }
                let status = match &known {
                    None => DossierStatus::New,
                    Some((status, extractor, normalizer)) => {
                        // A withdrawn dossier's files were forgotten: they all look added.
                        if status == "withdrawn" {
                            reasons.clear();
                            reasons.push("back after being withdrawn".into());
                        }
                        if *extractor != versions.extractor {
                            reasons.push(format!("extractor version {extractor}"));
                        }
                        if *normalizer != versions.normalizer {
                            reasons.push(format!("normaliser version {normalizer}"));
                        }
                        if reasons.is_empty() {
                            DossierStatus::Unchanged
                        } else {
                            DossierStatus::Changed
                        }
                    }
                };
                plan.dossiers.push(PlannedDossier {
                    dossier_id: unit.dossier_id.clone(),
                    status,
                    reasons,
                    files,
                });
            }
            let present: BTreeSet<&str> = units.iter().map(|u| u.dossier_id.as_str()).collect();
            let mut all = tx.prepare_cached(
                "SELECT dossier_id, source FROM dossiers WHERE status != 'withdrawn' ORDER BY dossier_id",
            )?;
            let rows =
                all.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (dossier_id, source) = row?;
                if !present.contains(dossier_id.as_str()) && listed_sources.contains(&source) {
                    plan.removed.push(dossier_id);
                }
            }
        }
        tx.commit()?;
        Ok(plan)
    }

    /// Stages outcomes under `commit_id`, before the index commit that carries that id.
    pub fn stage(
        &mut self,
        commit_id: &str,
        versions: &Versions,
        outcomes: &[DossierOutcome],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO commits (commit_id, state) VALUES (?1, 'staged')",
            params![commit_id],
        )?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO pending
                 (commit_id, dossier_id, outcome, extractor_version, normalizer_version)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for outcome in outcomes {
                insert.execute(params![
                    commit_id,
                    outcome.dossier_id,
                    serde_json::to_string(outcome)?,
                    versions.extractor,
                    versions.normalizer
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies what was staged under `commit_id`, once the index has committed it.
    pub fn apply_commit(&mut self, commit_id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut pending = tx.prepare_cached(
                "SELECT outcome, extractor_version, normalizer_version FROM pending
                 WHERE commit_id = ?1 ORDER BY dossier_id",
            )?;
            let rows: Vec<(String, String, String)> = pending
                .query_map(params![commit_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut upsert_dossier = tx.prepare_cached(
                "INSERT OR REPLACE INTO dossiers
                 (dossier_id, source, status, record_hash, extractor_version, normalizer_version, last_commit)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut delete_files = tx.prepare_cached("DELETE FROM files WHERE dossier_id = ?1")?;
            let mut insert_file = tx.prepare_cached(
                "INSERT OR REPLACE INTO files (key, dossier_id, size, mtime_ns, blake3, status, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (json, extractor, normalizer) in rows {
                let outcome: DossierOutcome = serde_json::from_str(&json)?;
                upsert_dossier.execute(params![
                    outcome.dossier_id,
                    outcome.source,
                    outcome.status,
                    outcome.record_hash,
                    extractor,
                    normalizer,
                    commit_id
                ])?;
                delete_files.execute(params![outcome.dossier_id])?;
                for file in &outcome.files {
                    insert_file.execute(params![
                        file.key,
                        outcome.dossier_id,
                        i64::try_from(file.size).unwrap_or(i64::MAX),
                        file.mtime_ns,
                        file.blake3,
                        file.status,
                        file.error
                    ])?;
                }
            }
        }
        tx.execute(
            "DELETE FROM pending WHERE commit_id = ?1",
            params![commit_id],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO commits (commit_id, state, applied_at)
             VALUES (?1, 'applied', datetime('now'))",
            params![commit_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Brings the store in line with the index after a crash: `index_commit` is the id in the
    /// index's last commit payload (`None` for an empty index).
    pub fn reconcile(&mut self, index_commit: Option<&str>) -> Result<Reconciled> {
        let staged: Vec<String> = {
            let mut query = self.conn.prepare(
                "SELECT commit_id FROM commits WHERE state = 'staged' ORDER BY commit_id",
            )?;
            query
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut reconciled = Reconciled::default();
        for commit_id in staged {
            if Some(commit_id.as_str()) == index_commit {
                self.apply_commit(&commit_id)?;
                reconciled.applied.push(commit_id);
            } else {
                let tx = self.conn.transaction()?;
                tx.execute(
                    "DELETE FROM pending WHERE commit_id = ?1",
                    params![commit_id],
                )?;
                tx.execute(
                    "UPDATE commits SET state = 'dropped' WHERE commit_id = ?1",
                    params![commit_id],
                )?;
                tx.commit()?;
                reconciled.dropped.push(commit_id);
            }
        }
        Ok(reconciled)
    }

    /// The last commit applied, if any.
    pub fn last_applied_commit(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT commit_id FROM commits WHERE state = 'applied'
                 ORDER BY applied_at DESC, rowid DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Files whose last outcome was a failure, for `--retry-failed`: (dossier id, key, status).
    pub fn failed_files(&self) -> Result<Vec<(String, String, String)>> {
        let mut query = self.conn.prepare(
            "SELECT dossier_id, key, status FROM files WHERE status != 'ok' ORDER BY dossier_id, key",
        )?;
        let rows = query
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A dossier's stored status and record hash.
    pub fn dossier(&self, dossier_id: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT status, record_hash FROM dossiers WHERE dossier_id = ?1",
                params![dossier_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
