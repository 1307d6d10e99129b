//! Hostile files from `fixtures/sheet/` (origins in its README) end quickly in the error that
//! names their problem, or in a bounded document.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossiers_document::{Document, Limits, Result};

fn read(name: &str) -> Result<Document> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/sheet")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let limits = Limits::default();
    match name.rsplit('.').next() {
        Some("xls") => dossiers_sheet::read_xls(&bytes, &limits),
        Some("xlsx") => dossiers_sheet::read_xlsx(&bytes, &limits),
        _ => dossiers_sheet::read_ods(&bytes, &limits),
    }
}

fn check(name: &str, kind: &str) {
    let started = Instant::now();
    let error = read(name).unwrap_err();
    assert_eq!(error.kind(), kind, "{name}: {error}");
    assert!(started.elapsed() < Duration::from_secs(2), "{name}: slow");
}

#[test]
fn hostile_files_end_in_their_error() {
    check("regression-oleloop.xls", "corrupt");
    check("regression-calamine-594-repeat-dos.ods", "too_large");
    check("password-protected.ods", "encrypted");
    check("xml-entity-bomb.xlsx", "corrupt");
}

#[test]
fn shared_string_amplification_stays_small() {
    let started = Instant::now();
    let document = read("shared-string-amplification.xlsx").unwrap();
    assert!(document.n_chars() < 20_000_000);
    assert!(started.elapsed() < Duration::from_secs(2));
}
