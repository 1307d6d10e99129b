//! Compatibility: the index committed in `fixtures/index-v1/` (written by format 1) keeps
//! opening and answering, in the style of tantivy's own `compat_tests_data`. When this test
//! breaks, either keep reading format 1 or write the upgrade path and test it here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use dossiers_index::search::{SearchRequest, SortKey};
use dossiers_index::stats::WaveSelection;
use dossiers_index::{Dimension, DossierIndex, version};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/index-v1")
}

/// A copy, so that opening (which creates lock files) never touches the committed folder.
fn copy_of_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn format_1_index_still_opens_and_answers() {
    let dir = copy_of_fixture();
    let marker = version::read_marker(dir.path()).unwrap().unwrap();
    assert_eq!(marker.format, 1);
    let index = DossierIndex::open(dir.path()).unwrap();
    assert_eq!(index.num_dossiers(), 6);
    let payload = index.last_commit_payload().unwrap().unwrap();
    assert!(payload.contains("fixture-v1"), "{payload}");

    let record = index.get("gen-0001").unwrap();
    assert_eq!(record.dossier_id, "gen-0001");
    let results = index.search(&SearchRequest::new("atelier*")).unwrap();
    assert!(results.total > 0);
    let report = index
        .stats(Dimension::LegalForm, WaveSelection::Pooled)
        .unwrap();
    assert_eq!(report.total.metrics.dossiers, 6);
    assert_eq!(index.all_records().unwrap().len(), 6);
}

#[test]
fn format_1_index_accepts_new_writes() {
    let dir = copy_of_fixture();
    let index = DossierIndex::open(dir.path()).unwrap();
    let mut record = index.get("gen-0002").unwrap();
    record.dossier_id = "gen-new".into();
    let mut writer = index.writer().unwrap();
    writer.upsert(&record, "").unwrap();
    writer.commit("compat").unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_dossiers(), 7);
}

/// The sort columns came after format 1 without a new format (schema::SORT_COLUMNS): an index
/// without them lists in dossier-id order and says why it cannot sort by deposit date.
#[test]
fn format_1_index_sorts_without_the_later_columns() {
    let dir = copy_of_fixture();
    let index = DossierIndex::open(dir.path()).unwrap();
    let mut request = SearchRequest::new("");
    request.limit = 10;
    let ids: Vec<String> = index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.dossier_id)
        .collect();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(ids, expected);
    request.sort = SortKey::Budget;
    assert_eq!(index.search(&request).unwrap().total, 6);
    request.sort = SortKey::Deposited;
    let error = index.search(&request).unwrap_err().to_string();
    assert!(error.contains("re-ingest"), "{error}");
}
