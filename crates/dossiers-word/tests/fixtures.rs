//! Snapshots of the documents read from the committed fixtures (`fixtures/docx`, `fixtures/odt`),
//! files written by a real office suite rather than assembled by the tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use dossiers_document::{Document, Limits};

fn fixture(path: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    std::fs::read(root.join(path)).unwrap()
}

/// The application string names the build machine; the snapshot should not.
fn redacted(mut document: Document) -> Document {
    if document.metadata.application.is_some() {
        document.metadata.application = Some("[application]".into());
    }
    document
}

#[test]
fn libreoffice_docx_features() {
    let document = dossiers_word::read_docx(
        &fixture("docx/features-libreoffice.docx"),
        &Limits::default(),
    )
    .unwrap();
    insta::assert_json_snapshot!(redacted(document));
}

#[test]
fn libreoffice_odt_features() {
    let document =
        dossiers_word::read_odt(&fixture("odt/features.odt"), &Limits::default()).unwrap();
    insta::assert_json_snapshot!(redacted(document));
}

#[test]
fn a_docx_cut_short_is_corrupt_with_the_text_it_still_holds() {
    let bytes = fixture("docx/features-libreoffice.docx");
    let error = dossiers_word::read_docx(&bytes[..6000], &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
    assert!(error.to_string().contains("salvaged"), "{error}");
    let partial = error.partial().expect("the salvaged body");
    let text = dossiers_document::render_text(partial, Default::default());
    assert!(text.starts_with("Présentation du porteur\n"), "{text}");
}

#[test]
fn an_odt_cut_before_its_content_is_corrupt() {
    let bytes = fixture("odt/features.odt");
    let error = dossiers_word::read_odt(&bytes[..2000], &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
}

#[test]
fn an_external_entity_is_never_resolved_and_the_text_around_it_is_kept() {
    let document = dossiers_word::read_docx(
        &fixture("docx/xxe-external-entity.docx"),
        &Limits::default(),
    )
    .unwrap();
    let text = dossiers_document::render_text(&document, Default::default());
    assert_eq!(text.trim_end(), "Here should not be the POI web site: \"\"");
    assert!(document.warnings.is_empty(), "{:?}", document.warnings);
}
