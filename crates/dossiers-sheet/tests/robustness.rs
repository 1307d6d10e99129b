//! Damaged and crafted inputs: every reader must return (a document or a typed error) quickly,
//! never panic, hang or abort. Cut and byte-flipped copies of small corpus files exercise
//! calamine's parsers behind our guards; crafted parts exercise the pre-checks.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use dossiers_document::{Document, Limits, Result};

fn read(format: &str, bytes: &[u8]) -> Result<Document> {
    let limits = Limits {
        max_duration: Duration::from_secs(5),
        ..Limits::default()
    };
    match format {
        "xls" => dossiers_sheet::read_xls(bytes, &limits),
        "xlsx" => dossiers_sheet::read_xlsx(bytes, &limits),
        _ => dossiers_sheet::read_ods(bytes, &limits),
    }
}

/// Rewrites one entry of a zip archive, copying the others as they are.
fn rewrite_entry(zip_bytes: &[u8], name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    rewrite_entry_bytes(zip_bytes, name, |data| {
        edit(String::from_utf8(data).unwrap()).into_bytes()
    })
}

fn rewrite_entry_bytes(zip_bytes: &[u8], name: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let entry_name = entry.name().unwrap().into_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if entry_name == name {
            data = edit(data);
        }
        writer
            .start_file(entry_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn small_workbook() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Subvention demandée").unwrap();
    sheet.write_number(0, 1, 150_000).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_lying_shared_string_count_is_refused_before_calamine_reserves_it() {
    let crafted = rewrite_entry(&small_workbook(), "xl/sharedStrings.xml", |xml| {
        xml.replacen("uniqueCount=\"1\"", "uniqueCount=\"40000000000\"", 1)
    });
    let error = read("xlsx", &crafted).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
}

#[test]
fn a_sheet_dimension_to_the_far_corner_is_harmless() {
    let crafted = rewrite_entry(&small_workbook(), "xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            "<dimension ref=\"A1:B1\"/>",
            "<dimension ref=\"A1:XFD1048576\"/>",
            1,
        )
    });
    let document = read("xlsx", &crafted).unwrap();
    assert!(document.has_text());
}

/// A small deterministic generator, so that a failure names a reproducible case.
fn positions(len: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % len.max(1)
        })
        .collect()
}

#[test]
fn cut_and_flipped_corpus_files_never_panic_or_hang() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    // SHEET_FLIPS=2000 widens the search when hunting for a crash.
    let n_flips = std::env::var("SHEET_FLIPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    let mut n_cases = 0;
    for format in ["xls", "xlsx", "ods"] {
        let mut files: Vec<_> = std::fs::read_dir(corpus.join(format))
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.len() > 60_000 {
                continue;
            }
            let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
            for cut in positions(bytes.len(), 6, 7) {
                cases.push((format!("cut at {cut}"), bytes[..cut].to_vec()));
            }
            for (i, at) in positions(bytes.len(), n_flips, 11).into_iter().enumerate() {
                let mut flipped = bytes.clone();
                flipped[at] ^= 0x55 ^ (i as u8);
                cases.push((format!("byte {at} flipped"), flipped));
            }
            for (what, case) in cases {
                let started = Instant::now();
                let outcome = std::panic::catch_unwind(|| read(format, &case).map(|_| ()));
                assert!(outcome.is_ok(), "{}: {what}: panicked", path.display());
                assert!(
                    started.elapsed() < Duration::from_secs(15),
                    "{}: {what}: took {:?}",
                    path.display(),
                    started.elapsed()
                );
                n_cases += 1;
            }
        }
    }
    assert!(n_cases > 100);
}

#[test]
fn flipped_bytes_inside_xml_parts_never_panic_or_hang() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .merge_range(0, 0, 0, 2, "Matrice", &rust_xlsxwriter::Format::new())
        .unwrap();
    for row in 1..6u32 {
        sheet.write_string(row, 0, format!("Poste {row}")).unwrap();
        sheet.write_number(row, 1, f64::from(row) * 1000.5).unwrap();
        sheet
            .write_formula(
                row,
                2,
                rust_xlsxwriter::Formula::new("=B2*2").set_result("2001"),
            )
            .unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    for part in [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/workbook.xml",
        "xl/styles.xml",
    ] {
        for (i, at) in positions(4096, 60, 3).into_iter().enumerate() {
            let crafted = rewrite_entry_bytes(&bytes, part, |mut data| {
                let len = data.len();
                if let Some(byte) = data.get_mut(at % len.max(1)) {
                    *byte = [b'<', b'>', b'"', b'9', b'&', 0xFF, b' ', b'/'][i % 8];
                }
                data
            });
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| read("xlsx", &crafted).map(|_| ()));
            assert!(outcome.is_ok(), "{part}: byte {at}: panicked");
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{part}: byte {at}: slow"
            );
        }
    }
}

#[test]
fn flipped_bytes_inside_ods_content_never_panic_or_hang() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files/ods");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus is not here");
        return;
    }
    for name in [
        "sheetjs_merge_cells.ods",
        "calamine_richtext_issue.ods",
        "phpss_OOCalcTest.ods",
    ] {
        let Ok(bytes) = std::fs::read(corpus.join(name)) else {
            continue;
        };
        for (i, at) in positions(1 << 20, 60, 5).into_iter().enumerate() {
            let crafted = rewrite_entry_bytes(&bytes, "content.xml", |mut data| {
                let len = data.len();
                if let Some(byte) = data.get_mut(at % len.max(1)) {
                    *byte = [b'<', b'>', b'"', b'9', b'&', 0xFF, b' ', b'/'][i % 8];
                }
                data
            });
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| read("ods", &crafted).map(|_| ()));
            assert!(outcome.is_ok(), "{name}: byte {at}: panicked");
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{name}: byte {at}: slow"
            );
        }
    }
}

#[test]
fn a_huge_shared_formula_index_is_harmless_and_shared_formulas_expand() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..2u32 {
        sheet.write_number(row, 0, f64::from(row + 1)).unwrap();
        sheet
            .write_formula(
                row,
                1,
                rust_xlsxwriter::Formula::new("=A1*2").set_result("2"),
            )
            .unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let crafted = rewrite_entry(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        xml.replacen(
            "<f>A1*2</f>",
            r#"<f t="shared" ref="B1:B2" si="4000000000000">A1*2</f>"#,
            1,
        )
        .replacen("<f>A1*2</f>", r#"<f t="shared" si="4000000000000"/>"#, 1)
    });
    let document = read("xlsx", &crafted).unwrap();
    let dossiers_document::Block::Table(table) = &document.stories[0].blocks[0] else {
        panic!("no table");
    };
    assert_eq!(table.rows[0].cells[1].formula.as_deref(), Some("A1*2"));
    assert_eq!(table.rows[1].cells[1].formula.as_deref(), Some("A2*2"));
}
