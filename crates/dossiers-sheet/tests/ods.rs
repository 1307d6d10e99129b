//! ODS packages written here by hand (calamine's ODS reader has its own ways): typed values,
//! merged ranges from the content walk, a hidden table, and packages from other writers
//! (pretty-printed XML, no `mimetype` entry) that must still read.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Cursor, Write};

use dossiers_document::{Block, CellValue, Document, Limits, WarningCode};

const CONTENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">
  <office:automatic-styles>
    <style:style style:name="hidden" style:family="table">
      <style:table-properties table:display="false"/>
    </style:style>
  </office:automatic-styles>
  <office:body>
    <office:spreadsheet>
      <table:table table:name="Budget">
        <table:table-row>
          <table:table-cell table:number-columns-spanned="3" office:value-type="string"><text:p>Matrice <text:span>budgétaire</text:span> <text:span>2024</text:span></text:p></table:table-cell>
          <table:covered-table-cell table:number-columns-repeated="2"/>
        </table:table-row>
        <table:table-row>
          <table:table-cell office:value-type="float" office:value="1234.5"><text:p>1 234,50</text:p></table:table-cell>
          <table:table-cell office:value-type="date" office:date-value="2022-01-13"><text:p>13/01/2022</text:p></table:table-cell>
          <table:table-cell office:value-type="boolean" office:boolean-value="false"><text:p>FAUX</text:p></table:table-cell>
        </table:table-row>
      </table:table>
      <table:table table:name="Paramètres" table:style-name="hidden">
        <table:table-row>
          <table:table-cell office:value-type="percentage" office:value="0.8"><text:p>80 %</text:p></table:table-cell>
        </table:table-row>
      </table:table>
    </office:spreadsheet>
  </office:body>
</office:document-content>"#;

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;

fn package(with_mimetype: bool, content: &str) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if with_mimetype {
        writer.start_file("mimetype", stored).unwrap();
        writer
            .write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
    }
    writer.start_file("META-INF/manifest.xml", stored).unwrap();
    writer.write_all(MANIFEST.as_bytes()).unwrap();
    writer.start_file("content.xml", stored).unwrap();
    writer.write_all(content.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

fn cells(document: &Document, sheet: usize) -> Vec<(String, String, Option<CellValue>)> {
    let Some(Block::Table(table)) = document.stories[sheet].blocks.first() else {
        panic!("sheet {sheet} has no table");
    };
    table
        .rows
        .iter()
        .flat_map(|row| &row.cells)
        .filter(|cell| !cell.text.is_empty())
        .map(|cell| {
            (
                cell.address.clone().unwrap_or_default(),
                cell.text.clone(),
                cell.value.clone(),
            )
        })
        .collect()
}

fn check(document: &Document) {
    assert_eq!(document.stories.len(), 2);
    assert_eq!(
        cells(document, 0),
        vec![
            ("A1".into(), "Matrice budgétaire 2024".into(), None),
            (
                "A2".into(),
                "1234.5".into(),
                Some(CellValue::Number(1234.5))
            ),
            (
                "B2".into(),
                "2022-01-13".into(),
                Some(CellValue::Date("2022-01-13".into()))
            ),
            ("C2".into(), "FALSE".into(), Some(CellValue::Bool(false))),
        ]
    );
    let Some(Block::Table(budget)) = document.stories[0].blocks.first() else {
        panic!("no table");
    };
    assert_eq!(budget.merged, vec!["A1:C1".to_owned()]);
    let hidden = &document.stories[1];
    assert_eq!(hidden.name.as_deref(), Some("Paramètres"));
    assert!(hidden.hidden);
    let (address, text, value) = &cells(document, 1)[0];
    assert_eq!((address.as_str(), text.as_str()), ("A1", "80%"));
    assert_eq!(value, &Some(CellValue::Number(0.8)));
}

#[test]
fn a_pretty_printed_package_reads_with_values_merges_and_hidden_sheets() {
    let document = dossiers_sheet::read_ods(&package(true, CONTENT), &Limits::default()).unwrap();
    check(&document);
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::Recovered)
    );
}

#[test]
fn a_compact_package_reads_without_repair() {
    let compact: String = CONTENT
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("");
    let document = dossiers_sheet::read_ods(&package(true, &compact), &Limits::default()).unwrap();
    check(&document);
    assert!(
        !document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::Recovered)
    );
}

#[test]
fn a_package_without_mimetype_still_reads() {
    let document = dossiers_sheet::read_ods(&package(false, CONTENT), &Limits::default()).unwrap();
    check(&document);
}
