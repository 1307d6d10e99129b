//! Every spreadsheet of the shared real-world corpus, hostile ones included, must come back (a
//! document or a typed error) quickly and without a panic; the sample dossiers' budget matrices
//! must read with their amounts and years. Skipped with a message when ../shared is absent.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossiers_document::{Document, Limits, Result, TextOptions, render_text};

fn shared() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    path.is_dir().then_some(path)
}

fn read(path: &Path) -> Option<Result<Document>> {
    let bytes = std::fs::read(path).ok()?;
    let limits = Limits::default();
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "xls" => Some(dossiers_sheet::read_xls(&bytes, &limits)),
        "xlsx" => Some(dossiers_sheet::read_xlsx(&bytes, &limits)),
        "ods" => Some(dossiers_sheet::read_ods(&bytes, &limits)),
        _ => None,
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_corpus_spreadsheet_returns_quickly() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    };
    let mut n_files = 0;
    for format in ["xls", "xlsx", "ods"] {
        for path in files_in(&shared.join("corpus/files").join(format)) {
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| read(&path));
            let elapsed = started.elapsed();
            let outcome = outcome.unwrap_or_else(|_| panic!("{}: panicked", path.display()));
            assert!(
                elapsed < Duration::from_secs(10),
                "{}: took {elapsed:?}",
                path.display()
            );
            if let Some(Err(error)) = outcome {
                eprintln!("{}: {} ({error})", path.display(), error.kind());
            }
            n_files += 1;
        }
    }
    assert!(n_files >= 30, "only {n_files} corpus spreadsheets");
}

#[test]
fn hostile_corpus_files_end_in_the_expected_error() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    };
    let files = shared.join("corpus/files");
    for (name, kind) in [
        ("xls/phpss_oleloop.xls", "corrupt"),
        ("xls/phpss_badendian.xls", "corrupt"),
        ("xlsx/poi_poc-xmlbomb.xlsx", "corrupt"),
        ("ods/calamine_issue_594_dos.ods", "too_large"),
        ("ods/calamine_pass_protected.ods", "encrypted"),
    ] {
        let error = read(&files.join(name)).unwrap().unwrap_err();
        assert_eq!(error.kind(), kind, "{name}: {error}");
    }
}

#[test]
fn sample_budget_matrices_read_with_amounts_and_years() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/dossiers is not here");
        return;
    };
    let mut n_files = 0;
    for dossier in files_in(&shared.join("dossiers")) {
        for path in files_in(&dossier) {
            let Some(outcome) = read(&path) else { continue };
            let document = outcome.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text = render_text(&document, TextOptions::default());
            let has_year = ["2021", "2022", "2023", "2024", "2025", "2026"]
                .iter()
                .any(|year| text.contains(year));
            let has_amount = text
                .split(['\t', '\n'])
                .any(|field| field.len() >= 4 && field.parse::<f64>().is_ok_and(|x| x >= 1000.0));
            assert!(has_year, "{}: no year in\n{text}", path.display());
            assert!(has_amount, "{}: no amount in\n{text}", path.display());
            n_files += 1;
        }
    }
    assert!(n_files > 0, "no sample spreadsheet found");
}
