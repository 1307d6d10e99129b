//! Every declared pipeline in `pipelines/` parses, validates and finds its inputs on a fresh
//! clone (STYLE.md habit 6: a pipeline file is code, and code is tested).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_pipeline_file_validates() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("pipelines"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.contains(&"nightly".to_string()), "{names:?}");
    assert!(names.contains(&"wave-import".to_string()), "{names:?}");
    for file in &files {
        let pipeline = dossiers_pipeline::load_pipeline(file).unwrap_or_else(|e| panic!("{e}"));
        let missing = pipeline.missing_inputs(file, &root());
        assert!(missing.is_empty(), "{missing:?}");
        assert!(pipeline.workers.count >= 1);
        assert_eq!(pipeline.calendar.waves.len(), 2, "{}", file.display());
    }
}
