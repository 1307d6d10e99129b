//! Extraction throughput, per format: files/s and MB/s (divan prints both counters).
//!
//! `typical` runs one dossier-sized file per format (a ~3,000-word application with tables, a
//! two-sheet budget matrix; made by `dossiers-gen`, see fixtures/generated/README.md).
//! `fixtures` runs every committed fixture of a format, one pass per iteration.
//! Run with `make bench`; one core is what counts (divan runs on one thread by default).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use dossiers_extract::{Limits, extract_bytes, format_from_name};

fn main() {
    divan::main();
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

const TYPICAL: &[&str] = &[
    "typical-dossier.doc",
    "typical-dossier.docx",
    "typical-dossier.odt",
    "typical-dossier.rtf",
    "typical-budget.xls",
    "typical-budget.xlsx",
    "typical-budget.ods",
];

const FORMATS: &[&str] = &["doc", "docx", "odt", "rtf", "xls", "xlsx", "ods"];

#[divan::bench(args = TYPICAL)]
fn typical(bencher: Bencher, name: &str) {
    let path = fixtures().join("generated").join(name);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} is missing", path.display());
        return;
    };
    let limits = Limits::default();
    bencher
        .counter(BytesCount::new(bytes.len()))
        .counter(ItemsCount::new(1usize))
        .bench(|| extract_bytes(black_box(&bytes), &limits).is_ok());
}

/// Every readable fixture of one format (broken ones are left to the tests).
fn fixtures_of(format: &str) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    let mut stack = vec![fixtures()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("broken") {
                    stack.push(path);
                }
            } else if format_from_name(&path).is_some_and(|f| f.name() == format) {
                files.extend(std::fs::read(&path));
            }
        }
    }
    files
}

#[divan::bench(args = FORMATS)]
fn fixtures_per_format(bencher: Bencher, format: &str) {
    let files = fixtures_of(format);
    let bytes: usize = files.iter().map(Vec::len).sum();
    let limits = Limits::default();
    bencher
        .counter(BytesCount::new(bytes))
        .counter(ItemsCount::new(files.len()))
        .bench(|| {
            files
                .iter()
                .filter(|file| extract_bytes(black_box(file), &limits).is_ok())
                .count()
        });
}
