//! Every file of the sample dossiers in ../shared/dossiers is read, except the application of
//! ami-0008, which is truncated on purpose and must give a clear `corrupt` error. Skipped (with a
//! message) when the shared folder is not beside the checkout.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use dossiers_extract::{Limits, extract_path, format_from_name, render_text};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dossiers");
    dir.is_dir().then_some(dir)
}

#[test]
fn every_sample_dossier_file_is_read() {
    let Some(dir) = samples() else {
        eprintln!("skipped: ../shared/dossiers is not there");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .flat_map(|entry| std::fs::read_dir(entry.path()).unwrap().flatten())
        .map(|entry| entry.path())
        .filter(|path| format_from_name(path).is_some())
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "expected the 16 sample dossiers, found {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let broken_on_purpose = path.parent().unwrap().ends_with("ami-0008")
            && format_from_name(path).unwrap().is_text_document();
        match (extract_path(path, &Limits::default()), broken_on_purpose) {
            (Ok(document), false) => {
                let text = render_text(&document, Default::default());
                let words = text.split_whitespace().count();
                let enough = if document.format.is_text_document() {
                    300
                } else {
                    30
                };
                if words < enough {
                    failures.push(format!("{}: only {words} words", path.display()));
                }
            }
            (Err(error), true) if error.error.kind() == "corrupt" => {}
            (Ok(_), true) => failures.push(format!("{}: should not read", path.display())),
            (Err(error), _) => failures.push(error.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
