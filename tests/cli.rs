//! End-to-end tests of the `dossiers` binary: run it as a user does and read its stdout, stderr
//! and exit status.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dossiers(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unsupported_file_fails_with_one_error_line_naming_it() {
    let output = dossiers(&["extract", "fixtures/broken/pdf-named.doc"]);
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim(),
        "error: fixtures/broken/pdf-named.doc: unsupported format: pdf"
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn an_encrypted_file_is_reported_as_encrypted() {
    let output = dossiers(&["extract", "fixtures/broken/encrypted-ooxml.docx"]);
    assert!(!output.status.success());
    assert!(stderr(&output).starts_with("error: fixtures/broken/encrypted-ooxml.docx: encrypted"));
}

#[test]
fn a_missing_file_is_an_io_error() {
    let output = dossiers(&["extract", "fixtures/no-such-file.docx"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("fixtures/no-such-file.docx: io:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let output = dossiers(&[
        "extract",
        "fixtures/broken/empty.doc",
        "fixtures/broken/wrong-extension-docx-named.doc",
    ]);
    let err = stderr(&output);
    assert!(
        err.contains("error: fixtures/broken/empty.doc: corrupt: empty file"),
        "{err}"
    );
    assert!(
        stdout(&output).contains("==> fixtures/broken/wrong-extension-docx-named.doc <=="),
        "{}",
        stdout(&output)
    );
    assert!(!output.status.success());
}

#[test]
fn json_output_is_the_document_model() {
    let output = dossiers(&[
        "extract",
        "--json",
        "fixtures/broken/wrong-extension-docx-named.doc",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["format"], "docx");
    assert_eq!(document["stories"][0]["kind"], "body");
    assert_eq!(document["warnings"][0]["code"], "misnamed_file");
    assert!(stderr(&output).contains("warning:"), "{}", stderr(&output));
}

#[test]
fn a_panic_caught_inside_a_reader_prints_only_the_error_line() {
    let output = dossiers(&["extract", "fixtures/broken/calamine-name-record-panic.xls"]);
    assert!(!output.status.success());
    assert_eq!(
        stderr(&output).trim(),
        "error: fixtures/broken/calamine-name-record-panic.xls: corrupt: \
         the spreadsheet parser panicked opening the xls"
    );
}

#[test]
fn normalize_writes_one_record_per_dossier_that_agrees_with_the_truth() {
    let out = tempfile::tempdir().unwrap();
    let output = dossiers(&[
        "normalize",
        "fixtures/dossiers",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let truths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/dossiers"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".truth.json"))
        .collect();
    assert!(truths.len() >= 6);
    assert_eq!(stdout(&output).lines().count(), truths.len());
    for truth_path in truths {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
        let id = truth["dossier_id"].as_str().unwrap();
        let record: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join(format!("{id}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(record["wave"], truth["wave"], "{id}");
        for field in ["legal_model", "land_control"] {
            for (key, expected) in truth[field].as_object().into_iter().flatten() {
                assert_eq!(&record[field][key], expected, "{id}: {field}.{key}");
            }
        }
        assert_eq!(
            record["applicant"]["siret"], truth["applicant"]["siret"],
            "{id}"
        );
        assert_eq!(
            record["budget"]["total_expenses"], truth["budget"]["total_expenses"],
            "{id}"
        );
    }
}
