//! Tidy test: heavy dependencies stay in the one crate that owns them (ARCHITECTURE.md), and the
//! readers do not depend on each other. Reads `cargo metadata`, so a new edge fails here first.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::process::Command;

/// Which workspace crates may depend on each heavy or seam-defining crate.
const OWNERS: &[(&str, &[&str])] = &[
    ("calamine", &["dossiers-sheet"]),
    (
        "cfb",
        &["dossiers-doc", "dossiers-sheet", "dossiers-extract"],
    ),
    (
        "quick-xml",
        &["dossiers-document", "dossiers-word", "dossiers-sheet"],
    ),
    (
        "zip",
        &[
            "dossiers-document",
            "dossiers-word",
            "dossiers-sheet",
            "dossiers-gen",
        ],
    ),
    (
        "docx-rs",
        &["dossiers-gen", "dossiers-word", "dossiers-index"],
    ),
    (
        "rust_xlsxwriter",
        &["dossiers-gen", "dossiers-sheet", "dossiers-index"],
    ),
    ("clap", &["dossiers-cli", "dossiers-gen"]),
    ("tantivy", &["dossiers-index"]),
    ("axum", &["dossiers-web"]),
    (
        "tokio",
        &["dossiers-pipeline", "dossiers-web", "dossiers-cli"],
    ),
    ("dossiers-doc", &["dossiers-extract"]),
    ("dossiers-word", &["dossiers-extract"]),
    ("dossiers-sheet", &["dossiers-extract"]),
];

#[test]
fn heavy_dependencies_stay_in_their_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let owners: BTreeMap<&str, &[&str]> = OWNERS.iter().copied().collect();
    let mut violations = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap();
        for dependency in package["dependencies"].as_array().unwrap() {
            let on = dependency["name"].as_str().unwrap();
            // Tests, benches and fuzzing may reach across: the rule is about shipped code.
            if dependency["kind"].as_str() == Some("dev") {
                continue;
            }
            if let Some(allowed) = owners.get(on)
                && !allowed.contains(&name)
            {
                violations.push(format!("{name} depends on {on}"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "edges ARCHITECTURE.md does not allow:\n{}",
        violations.join("\n")
    );
}
