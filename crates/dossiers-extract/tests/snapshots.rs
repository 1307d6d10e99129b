//! Snapshot of the JSON document model of every readable fixture (fixtures/, without broken/).
//! A change in what a reader extracts shows up here as a diff to review (`cargo insta review`,
//! or delete the `.snap` and rerun to accept).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use dossiers_extract::{Limits, extract_path, format_from_name};

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("broken") {
                    stack.push(path);
                }
            } else if format_from_name(&path).is_some() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn document_model_of_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let files = fixture_files();
    assert!(!files.is_empty());
    for path in files {
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace(['/', '\\'], "__");
        let value = match extract_path(&path, &Limits::default()) {
            Ok(document) => serde_json::to_value(&document).unwrap(),
            Err(error) => serde_json::json!({ "error": error.error.to_string() }),
        };
        insta::assert_json_snapshot!(name, value);
    }
}
