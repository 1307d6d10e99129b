//! `.xls` behaviour on small real files from `fixtures/sheet/` (origins in its README): merged
//! ranges, hidden sheets, the 1904 date system, Excel's default-password encryption, a looping
//! OLE chain, and the retry for a codepage calamine does not know.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossiers_document::{
    Block, CellValue, Document, Limits, Result, Table, TextOptions, WarningCode, render_text,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/sheet")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(bytes: &[u8]) -> Result<Document> {
    dossiers_sheet::read_xls(bytes, &Limits::default())
}

fn table(document: &Document, sheet: usize) -> &Table {
    match document.stories[sheet].blocks.first() {
        Some(Block::Table(table)) => table,
        other => panic!("sheet {sheet}: {other:?}"),
    }
}

fn text(document: &Document) -> String {
    render_text(document, TextOptions { labels: false })
}

#[test]
fn merged_ranges_come_in_a1_notation() {
    let document = read(&fixture("merged-cells.xls")).unwrap();
    let merged = &table(&document, 0).merged;
    for range in ["A1:B2", "C1:C2", "A3:B3"] {
        assert!(
            merged.iter().any(|m| m == range),
            "{range} not in {merged:?}"
        );
    }
    assert!(text(&document).contains("are merged separately"));
}

#[test]
fn hidden_and_very_hidden_sheets_are_kept_and_flagged() {
    let document = read(&fixture("hidden-and-very-hidden-sheets.xls")).unwrap();
    let sheets: Vec<(&str, bool)> = document
        .stories
        .iter()
        .map(|s| (s.name.as_deref().unwrap_or_default(), s.hidden))
        .collect();
    assert_eq!(
        &sheets[..3],
        &[("Visible", false), ("Hidden", true), ("VeryHidden", true)]
    );
    let n_hidden_warnings = document
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::HiddenSheet)
        .count();
    assert_eq!(n_hidden_warnings, 2);
    // calamine answers a chart sheet's range with the cells of the sheet before it.
    let chart = document
        .stories
        .iter()
        .find(|s| s.name.as_deref() == Some("Chart"));
    assert!(chart.is_none_or(|chart| !chart.has_text()), "{chart:?}");
}

#[test]
fn dates_in_the_1904_system_are_iso() {
    let document = read(&fixture("epoch-1904.xls")).unwrap();
    let cell = &table(&document, 0).rows[0].cells[1];
    assert_eq!(cell.address.as_deref(), Some("B1"));
    assert_eq!(cell.text, "1904-01-02");
    assert_eq!(cell.value, Some(CellValue::Date("1904-01-02".into())));
}

#[test]
fn a_workbook_encrypted_with_the_default_password_is_decrypted() {
    let document = read(&fixture("default-password-rc4.xls")).unwrap();
    assert_eq!(text(&document).trim(), "test cell value");
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.message.contains("default password"))
    );
}

#[test]
fn regression_oleloop_is_corrupt_at_once() {
    let started = Instant::now();
    let error = read(&fixture("regression-oleloop.xls")).unwrap_err();
    assert_eq!(error.kind(), "corrupt");
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// Rewrites the CODEPAGE record of a workbook's stream, in a new OLE container.
fn with_codepage(bytes: &[u8], codepage: u16) -> Vec<u8> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut stream = Vec::new();
    let name = if file.is_stream("Workbook") {
        "Workbook"
    } else {
        "Book"
    };
    file.open_stream(name)
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    let mut pos = 0;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        if typ == 0x0042 {
            stream[pos + 4..pos + 6].copy_from_slice(&codepage.to_le_bytes());
            break;
        }
        pos += 4 + len;
    }
    let mut out =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    out.create_stream("Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    out.flush().unwrap();
    out.into_inner().into_inner()
}

#[test]
fn an_unknown_codepage_is_ignored_in_biff8_where_strings_are_utf16() {
    let patched = with_codepage(&fixture("several-sheets.xls"), 0xD7D4);
    let document = read(&patched).unwrap();
    assert!(text(&document).contains("Sample Excel Worksheet"));
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.message.contains("UTF-16"))
    );
}

#[test]
fn a_mac_central_european_codepage_decodes_and_an_unknown_one_still_reads() {
    let original = read(&fixture("mac-central-europe.xls")).unwrap();
    assert!(text(&original).contains("Ładowność"));
    assert!(original.warnings.is_empty());
    let patched = with_codepage(&fixture("mac-central-europe.xls"), 0xD7D4);
    let document = read(&patched).unwrap();
    assert!(text(&document).contains("NumerPolisy\tNumerWyceny"));
    assert!(document.warnings.iter().any(|w| w.message.contains("D7D4")));
}

/// Rewrites the workbook stream of an `.xls` in a new OLE container.
fn with_stream_edit(bytes: &[u8], edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
    let mut stream = Vec::new();
    file.open_stream("Workbook")
        .unwrap()
        .read_to_end(&mut stream)
        .unwrap();
    edit(&mut stream);
    let mut out =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
    out.create_stream("Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    out.flush().unwrap();
    out.into_inner().into_inner()
}

#[test]
fn one_damaged_sheet_does_not_lose_the_others() {
    // Two sheets with cells (fixtures/generated, made by dossiers-gen and LibreOffice).
    let bytes = fixture("../generated/hidden-sheet.xls");
    let intact = text(&read(&bytes).unwrap());
    // The last LABELSST record becomes a FORMULA record too short to be one: calamine refuses
    // the whole workbook for it.
    let damaged = with_stream_edit(&bytes, |stream| {
        let mut pos = 0;
        let mut last_label = None;
        while pos + 4 <= stream.len() {
            let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
            let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
            if typ == 0x00FD {
                last_label = Some(pos);
            }
            pos += 4 + len;
        }
        let at = last_label.unwrap();
        stream[at..at + 2].copy_from_slice(&0x0006u16.to_le_bytes());
    });
    let document = read(&damaged).unwrap();
    assert_eq!(document.stories.len(), 2);
    let recovered: Vec<_> = document
        .warnings
        .iter()
        .filter(|w| w.code == WarningCode::Recovered)
        .collect();
    assert_eq!(recovered.len(), 1, "{:?}", document.warnings);
    assert!(recovered[0].message.contains("left empty"));
    let salvaged = text(&document);
    assert!(!salvaged.trim().is_empty() && salvaged.len() < intact.len());
}
