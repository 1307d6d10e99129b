//! Real files from `fixtures/rtf/` (their origin is in that folder's README) and the RTF
//! conversions of `fixtures/generated/`, each checked for what the feature it exercises should
//! produce.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;

use dossiers_document::{Block, Document, Limits, Story, StoryKind};
use dossiers_rtf::read_rtf;

fn read(path: &str) -> Document {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_rtf(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
fn word_2003_heading_list_table_footnote_and_properties() {
    let document = read("rtf/rtfjs_sample.rtf");
    let body = story(&document, StoryKind::Body);
    assert_eq!(
        body.blocks.first(),
        Some(&Block::Heading {
            level: Some(1),
            text: "This is a test RTF".into()
        })
    );
    let items: Vec<_> = body
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::ListItem { text, label, .. } => Some((text.as_str(), label.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(items.first(), Some(&("Item 1", Some("•"))));
    assert_eq!(items.len(), 4);
    assert_eq!(
        tables(body),
        [[
            vec!["Cell 1", "Cell 2\nMore in cell 2", "Cell 3"],
            vec!["Next row", "Next row ", "Next row"]
        ]]
    );
    // The page break does not leak into the paragraph it starts.
    assert!(texts(body).contains(&"And here we’re on the next page. "));
    assert_eq!(
        texts(story(&document, StoryKind::Footnote)),
        [" This is the actual content of the footnote."]
    );
    assert_eq!(
        document.metadata.title.as_deref(),
        Some("This is a test RTF")
    );
    assert_eq!(
        document.metadata.application.as_deref(),
        Some("Microsoft Word 11.0.6113")
    );
}

#[test]
fn footnotes_and_endnotes_are_their_own_stories() {
    let document = read("rtf/rtfpipe_phprtflite_footnotes.rtf");
    let footnotes = texts(story(&document, StoryKind::Footnote));
    assert_eq!(footnotes.len(), 4);
    assert!(footnotes.contains(&"This is a footnote in a table"));
    assert_eq!(
        texts(story(&document, StoryKind::Endnote)),
        [
            "This is a endnote",
            "This is a another endnote",
            "This is a endnote in a table"
        ]
    );
    // The body does not carry the notes' text.
    let body = texts(story(&document, StoryKind::Body)).join(" ");
    assert!(!body.contains("footnote"), "{body}");
}

#[test]
fn code_pages_from_ansicpg_and_font_charsets() {
    let polish = read("rtf/tika_testRTFWindowsCodepage1250.rtf");
    assert_eq!(
        texts(story(&polish, StoryKind::Body)),
        ["zażółć gęślą jaźń", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ"]
    );
    // \ansicpg1252, but the font switched to \fcharset204 (Cyrillic) after buffered text.
    let russian = read("rtf/tika_testFontAfterBufferedText.rtf");
    assert_eq!(
        texts(story(&russian, StoryKind::Body)),
        ["Уважаемый клиент!"]
    );
    let ukrainian = read("rtf/striprtf_bytes.rtf");
    assert_eq!(
        texts(story(&ukrainian, StoryKind::Body)).first(),
        Some(&"УХВАЛА")
    );
    // Shift-JIS double-byte pairs written as \'hh\'hh, and properties in the same code page.
    let japanese = read("rtf/tika_testRTF-ms932.rtf");
    assert_eq!(
        texts(story(&japanese, StoryKind::Body)),
        ["Hello", "こんにちは", "Test", "テスト"]
    );
    assert_eq!(japanese.metadata.title.as_deref(), Some("タイトル"));
    assert_eq!(
        japanese.metadata.created.as_deref(),
        Some("2010-10-08T14:18:00")
    );
    // A Mac Word file (\mac, \ansicpg10000).
    let mac = read("rtf/rtfpipe_rtf2xml_fields_simple_format_switch.rtf");
    assert!(mac.has_text());
}

#[test]
fn a_nested_table_is_folded_into_its_cell() {
    let document = read("rtf/striprtf_nested_table.rtf");
    let body = story(&document, StoryKind::Body);
    let all = tables(body);
    assert!(all.len() >= 2, "{all:?}");
    assert!(all.iter().any(|table| {
        table
            .iter()
            .any(|row| row == &vec!["RCA", "keine Stenose "])
    }));
    assert!(texts(body).contains(&"Coronararterien"));
}

#[test]
fn hyperlink_fields_keep_their_result() {
    let document = read("rtf/tika_testRTFHyperlink.rtf");
    let text = dossiers_document::render_text(&document, Default::default());
    assert!(!text.contains("HYPERLINK"), "instruction leaked");
    assert!(text.contains("Outlook"), "{text:.300}");
}

#[test]
fn japanese_tables_and_header() {
    let document = read("rtf/tika_testRTFJapanese.rtf");
    assert!(document.stories_of(StoryKind::Header).next().is_some());
    assert!(!tables(story(&document, StoryKind::Body)).is_empty());
}
