//! The same application in other formats gives the same record: the generated typical dossier
//! (`fixtures/generated/typical-dossier.docx` with `typical-budget.xlsx`) against its LibreOffice
//! conversions (see `fixtures/generated/README.md`) — an RTF saved under a `.doc` name, as Word's
//! « Enregistrer sous » leaves it. Only the files' own entries (name, format, size, hash) and
//! the file named in provenance may differ.

// Helpers of a test file are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use dossiers_normalize::{NormalizeOptions, normalize_dossier};
use serde_json::Value;

fn generated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/generated")
}

/// A dossier folder holding `application` (copied under `name`) and the typical budget.
fn dossier(tag: &str, application: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("dossiers-twins-{}-{tag}", std::process::id()))
        .join("gen-twin");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(generated().join(application), dir.join(name)).unwrap();
    std::fs::copy(
        generated().join("typical-budget.xlsx"),
        dir.join("matrice-budgetaire.xlsx"),
    )
    .unwrap();
    dir
}

/// The record without what names the files themselves.
fn comparable(dir: &Path) -> Value {
    let record = normalize_dossier(dir, &NormalizeOptions::default());
    let mut value = serde_json::to_value(&record).unwrap();
    let files: Vec<Value> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| serde_json::json!({ "role": file["role"], "status": file["status"] }))
        .collect();
    value["files"] = Value::Array(files);
    if let Some(provenance) = value["provenance"].as_object_mut() {
        for entry in provenance.values_mut() {
            if let Some(file) = entry.get_mut("file") {
                *file = Value::Null;
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    value
}

fn differences(left: &Value, right: &Value, path: &str, out: &mut Vec<String>) {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let null = Value::Null;
                differences(
                    a.get(key).unwrap_or(&null),
                    b.get(key).unwrap_or(&null),
                    &format!("{path}.{key}"),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(format!("{path}: {a} ≠ {b}")),
        _ => {}
    }
}

fn assert_twins(tag: &str, application: &str, name: &str) {
    let reference = comparable(&dossier(
        "docx",
        "typical-dossier.docx",
        "dossier-candidature.docx",
    ));
    let twin = comparable(&dossier(tag, application, name));
    let mut diffs = Vec::new();
    differences(&reference, &twin, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "{application} as {name}:\n{}",
        diffs.join("\n")
    );
    assert_eq!(reference["files"][0]["role"], "application");
}

#[test]
fn an_rtf_named_doc_gives_the_record_of_its_docx_twin() {
    assert_twins("rtf", "typical-dossier.rtf", "dossier-candidature.doc");
}
