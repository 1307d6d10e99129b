//! The state store: an unchanged input is planned without reading a byte, a touched file is
//! hashed once, a changed file re-does its dossier, a removed dossier is withdrawn (only when its
//! source was listed whole), a new version re-does everything, and staged commits follow the
//! index after a crash.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dossiers_pipeline::ds::{DossierUnit, list_folder_of_dossiers, read_unit_file};
use dossiers_pipeline::state::{
    DossierOutcome, DossierStatus, FileOutcome, Plan, StateStore, Versions,
};

fn copy_samples(to: &Path, names: &[&str]) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dossiers");
    for name in names {
        std::fs::create_dir_all(to.join(name)).unwrap();
        for entry in std::fs::read_dir(from.join(name)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(name).join(entry.file_name())).unwrap();
        }
    }
}

struct Bench {
    _dir: tempfile::TempDir,
    samples: PathBuf,
    store: StateStore,
    versions: Versions,
    commits: u32,
}

impl Bench {
    fn new() -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let samples = dir.path().join("samples");
        copy_samples(&samples, &["gen-0001", "gen-0002", "gen-0003"]);
        let store = StateStore::open(&dir.path().join("state.sqlite")).unwrap();
        Bench {
            _dir: dir,
            samples,
            store,
            versions: Versions::current(),
            commits: 0,
        }
    }

    fn units(&self) -> Vec<DossierUnit> {
        list_folder_of_dossiers(&self.samples).unwrap().units
    }

    fn sources(&self) -> BTreeSet<String> {
        [self.samples.to_string_lossy().into_owned()].into()
    }

    /// Plans, counting the files read.
    fn plan_with(&mut self, sources: &BTreeSet<String>) -> (Plan, usize) {
        let units = self.units();
        let mut reads = 0;
        let plan = self
            .store
            .plan(&units, sources, &self.versions, |file| {
                reads += 1;
                read_unit_file(file, None, 64 << 20)
            })
            .unwrap();
        (plan, reads)
    }

    fn plan(&mut self) -> (Plan, usize) {
        let sources = self.sources();
        self.plan_with(&sources)
    }

    /// Stages what the plan says is to do, as a run would after extraction, under a new
    /// commit id; returns the id.
    fn stage(&mut self, plan: &Plan) -> String {
        self.commits += 1;
        let commit_id = format!("run-{}", self.commits);
        let units = self.units();
        let mut outcomes: Vec<DossierOutcome> = plan
            .dossiers
            .iter()
            .filter(|d| d.needs_work())
            .map(|d| {
                let unit = units.iter().find(|u| u.dossier_id == d.dossier_id).unwrap();
                DossierOutcome {
                    dossier_id: d.dossier_id.clone(),
                    source: unit.source.clone(),
                    status: d.status.code().into(),
                    record_hash: Some(format!("record of {}", d.dossier_id)),
                    files: d
                        .files
                        .iter()
                        .map(|f| FileOutcome {
                            key: f.key.clone(),
                            size: f.stamp.size,
                            mtime_ns: f.stamp.mtime_ns,
                            blake3: f.blake3.clone(),
                            status: "ok".into(),
                            error: None,
                        })
                        .collect(),
                }
            })
            .collect();
        for id in &plan.removed {
            outcomes.push(DossierOutcome::withdrawn(
                id.clone(),
                self.samples.to_string_lossy(),
            ));
        }
        self.store
            .stage(&commit_id, &self.versions, &outcomes)
            .unwrap();
        commit_id
    }

    fn run(&mut self) -> Plan {
        let (plan, _) = self.plan();
        let commit_id = self.stage(&plan);
        self.store.apply_commit(&commit_id).unwrap();
        plan
    }
}

fn statuses(plan: &Plan) -> Vec<(&str, DossierStatus)> {
    plan.dossiers
        .iter()
        .map(|d| (d.dossier_id.as_str(), d.status))
        .collect()
}

#[test]
fn an_unchanged_input_is_planned_without_reading_a_byte() {
    let mut bench = Bench::new();
    let (first, reads) = bench.plan();
    assert_eq!(reads, 6);
    assert_eq!(first.count(DossierStatus::New), 3);
    let commit = bench.stage(&first);
    bench.store.apply_commit(&commit).unwrap();

    let (second, reads) = bench.plan();
    assert_eq!(reads, 0);
    assert_eq!(second.files_not_read, 6);
    assert_eq!(second.count(DossierStatus::Unchanged), 3);
    assert!(second.removed.is_empty());
}

#[test]
fn a_touched_file_is_hashed_once_and_a_changed_one_re_does_its_dossier() {
    let mut bench = Bench::new();
    bench.run();
    // Same bytes, new mtime: read once to learn it is the same, then not again.
    let file = bench.samples.join("gen-0002/matrice-budgetaire.xls");
    let bytes = std::fs::read(&file).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let (plan, reads) = bench.plan();
    assert_eq!(reads, 1);
    assert_eq!(plan.count(DossierStatus::Unchanged), 3);
    let (_, reads) = bench.plan();
    assert_eq!(reads, 0);

    // New bytes: that dossier only is re-done, and says why.
    let mut changed = bytes.clone();
    changed.extend_from_slice(b"\0");
    std::fs::write(&file, &changed).unwrap();
    let (plan, reads) = bench.plan();
    assert_eq!(reads, 1);
    assert_eq!(
        statuses(&plan),
        [
            ("gen-0001", DossierStatus::Unchanged),
            ("gen-0002", DossierStatus::Changed),
            ("gen-0003", DossierStatus::Unchanged),
        ]
    );
    assert_eq!(
        plan.dossiers[1].reasons,
        ["file changed: matrice-budgetaire.xls"]
    );
    // An added file re-does its dossier too.
    std::fs::write(bench.samples.join("gen-0003/annexe.docx"), b"annexe").unwrap();
    let (plan, _) = bench.plan();
    assert_eq!(plan.dossiers[2].reasons, ["file added: annexe.docx"]);
}

#[test]
fn a_removed_dossier_is_withdrawn_once_and_comes_back_as_changed() {
    let mut bench = Bench::new();
    bench.run();
    let gone = bench.samples.join("gen-0002");
    let kept = bench._dir.path().join("kept");
    std::fs::rename(&gone, &kept).unwrap();

    // A source that could not be listed whole removes nothing.
    let (plan, _) = bench.plan_with(&BTreeSet::new());
    assert!(plan.removed.is_empty());

    let plan = bench.run();
    assert_eq!(plan.removed, ["gen-0002"]);
    assert_eq!(
        bench.store.dossier("gen-0002").unwrap().unwrap().0,
        "withdrawn"
    );
    let (plan, _) = bench.plan();
    assert!(plan.removed.is_empty(), "withdrawn once, not every night");

    std::fs::rename(&kept, &gone).unwrap();
    let (plan, _) = bench.plan();
    assert_eq!(plan.dossiers[1].status, DossierStatus::Changed);
    assert_eq!(plan.dossiers[1].reasons, ["back after being withdrawn"]);
}

#[test]
fn a_new_normaliser_version_re_does_every_dossier() {
    let mut bench = Bench::new();
    bench.run();
    bench.versions.normalizer = "dossiers-normalize 99".into();
    let (plan, reads) = bench.plan();
    assert_eq!(reads, 0);
    assert_eq!(plan.count(DossierStatus::Changed), 3);
    assert!(plan.dossiers[0].reasons[0].starts_with("normaliser version"));
}

#[test]
fn staged_commits_follow_the_index_after_a_crash() {
    let mut bench = Bench::new();
    // Crash after staging, before the index committed: the index still has nothing.
    let (plan, _) = bench.plan();
    let lost = bench.stage(&plan);
    let reconciled = bench.store.reconcile(None).unwrap();
    assert_eq!(reconciled.dropped, [lost]);
    let (plan, _) = bench.plan();
    assert_eq!(plan.count(DossierStatus::New), 3, "still to do");

    // Crash after the index committed, before the store applied: the store catches up.
    let committed = bench.stage(&plan);
    let reconciled = bench.store.reconcile(Some(&committed)).unwrap();
    assert_eq!(reconciled.applied, std::slice::from_ref(&committed));
    assert_eq!(
        bench.store.last_applied_commit().unwrap().as_deref(),
        Some(committed.as_str())
    );
    let (plan, reads) = bench.plan();
    assert_eq!(reads, 0);
    assert_eq!(plan.count(DossierStatus::Unchanged), 3);
    // Nothing left to reconcile.
    assert_eq!(
        bench.store.reconcile(Some(&committed)).unwrap(),
        Default::default()
    );
}

#[test]
fn a_store_from_another_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    drop(StateStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let error = StateStore::open(&path).unwrap_err();
    assert!(error.to_string().contains("schema 99"), "{error}");
}
