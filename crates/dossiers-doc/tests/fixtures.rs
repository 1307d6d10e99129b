//! Real files from `fixtures/doc/` (their origin is in that folder's README), each checked for
//! the content that the feature it exercises should produce.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;

use dossiers_doc::read_doc;
use dossiers_document::{Block, Document, Limits, Story, StoryKind, WarningCode};

fn fixture(name: &str) -> Document {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/doc")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_doc(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn story(document: &Document, kind: StoryKind) -> &Story {
    document
        .stories_of(kind)
        .next()
        .unwrap_or_else(|| panic!("no {kind:?} story"))
}

fn texts(story: &Story) -> Vec<&str> {
    story.blocks.iter().filter_map(Block::text).collect()
}

fn tables(story: &Story) -> Vec<Vec<Vec<&str>>> {
    story
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(
                table
                    .rows
                    .iter()
                    .map(|row| row.cells.iter().map(|cell| cell.text.as_str()).collect())
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

#[test]
fn footnote_endnote_and_comment_are_their_own_stories() {
    let document = fixture("poi_footnote.doc");
    assert_eq!(texts(story(&document, StoryKind::Body)), ["Test text"]);
    assert_eq!(
        texts(story(&document, StoryKind::Footnote)),
        ["TestFootnote"]
    );
    assert_eq!(texts(story(&document, StoryKind::Endnote)), ["TestEndnote"]);
    assert_eq!(texts(story(&document, StoryKind::Comment)), ["TestComment"]);
    assert_eq!(
        document.metadata.author.as_deref(),
        Some("Maxim Valyanskiy")
    );
}

#[test]
fn word6_text_and_properties() {
    let document = fixture("poi_Word6.doc");
    assert_eq!(
        texts(story(&document, StoryKind::Body)),
        ["The quick brown fox jumps over the lazy dog"]
    );
    assert_eq!(document.warnings[0].code, WarningCode::LegacyFormat);
    let metadata = &document.metadata;
    assert_eq!(metadata.author.as_deref(), Some("Nevin Nollop"));
    assert_eq!(metadata.created.as_deref(), Some("2005-05-26T12:57:00Z"));
}

#[test]
fn fast_saved_file_reads_in_order() {
    let document = fixture("nwe_test11.doc");
    assert_eq!(
        texts(story(&document, StoryKind::Body)),
        [
            "这是一个用来测试nodejs解析Word文档.doccccc",
            "This is a test for parsing the Word file in node."
        ]
    );
}

#[test]
fn merged_table_keeps_rows_and_multi_paragraph_cells() {
    let document = fixture("poi_table-merges.doc");
    let tables = tables(story(&document, StoryKind::Body));
    assert_eq!(
        tables,
        [vec![
            vec!["A", "B"],
            vec!["C", "D", "E", "F"],
            vec!["", "G", "H", "I\nJ"],
            vec!["K"],
        ]]
    );
}

#[test]
fn headers_footers_and_headings() {
    let document = fixture("poi_HeaderFooterUnicode.doc");
    let body = story(&document, StoryKind::Body);
    assert!(body.blocks.contains(&Block::Heading {
        level: Some(1),
        text: "Molière".into()
    }));
    assert!(texts(body).contains(&"L'Avare ou l'École du mensonge"));
    let header = story(&document, StoryKind::Header);
    assert_eq!(header.name.as_deref(), Some("odd"));
    assert_eq!(
        texts(header),
        ["This is a simple header, with a € euro symbol in it."]
    );
    assert_eq!(
        texts(story(&document, StoryKind::Footer)),
        ["The footer, with Molière, has Unicode in it."]
    );
}

#[test]
fn word95_cyrillic_code_page_and_tables() {
    let document = fixture("poi_word95err.doc");
    let body = story(&document, StoryKind::Body);
    assert_eq!(texts(body)[0], "Компания Аскат М");
    let tables = tables(body);
    assert!(!tables.is_empty());
    let row = &tables[0][2];
    assert_eq!(row[0], "Алиготе, белое п/с");
    assert!(row.contains(&"Басвинекс"), "{row:?}");
    assert!(row.contains(&"31-00"), "{row:?}");
}

/// The whole document model of small fixtures, so that any change in stories, blocks, metadata
/// or warnings shows up in review.
#[test]
fn snapshots_of_the_document_model() {
    for name in [
        "poi_footnote.doc",
        "poi_table-merges.doc",
        "poi_HeaderFooterUnicode.doc",
    ] {
        let document = fixture(name);
        insta::assert_json_snapshot!(name, document);
    }
}

#[test]
fn localised_heading_styles_are_headings_by_outline_level() {
    let document = fixture("docling_greek_heading_styles.doc");
    let body = story(&document, StoryKind::Body);
    assert!(body.blocks.contains(&Block::Heading {
        level: Some(2),
        text: "Problem mit lokalisierten Dokumenten".into()
    }));
}

#[test]
fn form_checkboxes_and_drop_downs_show_their_values() {
    let document = fixture("nwe_test07.doc");
    let body = story(&document, StoryKind::Body);
    let rows: Vec<Vec<&str>> = tables(body).into_iter().flatten().collect();
    assert!(
        rows.contains(&vec!["Is the research solely literature-based?", "☐", "☒"]),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&vec!["2.Dr S Watt", "School of Computing", "Co-applicant"]),
        "{rows:#?}"
    );
}
