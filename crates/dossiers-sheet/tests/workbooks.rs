//! Workbooks written here with rust_xlsxwriter, read back: addresses, typed cached values, dates,
//! merged ranges, hidden sheets and French text must come out as written.

// Clippy's allowances for tests cover #[test] functions only, not their helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use dossiers_document::{Block, CellValue, Document, Limits, StoryKind, Table, WarningCode};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn budget_matrix() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook.add_worksheet().set_name("Budget").unwrap();
    sheet
        .merge_range(0, 0, 0, 2, "Matrice budgétaire prévisionnelle", &title)
        .unwrap();
    sheet
        .write_string(1, 0, "Dépenses d'investissement")
        .unwrap();
    sheet.write_number(1, 1, 1234.5).unwrap();
    sheet.write_number(2, 0, 0.1).unwrap();
    sheet
        .write_formula(2, 1, Formula::new("=B2*2").set_result("2469"))
        .unwrap();
    sheet
        .write_datetime_with_format(3, 0, ExcelDateTime::from_ymd(2022, 1, 13).unwrap(), &date)
        .unwrap();
    sheet.write_boolean(3, 1, true).unwrap();
    let hidden = workbook.add_worksheet().set_name("Paramètres").unwrap();
    hidden.write_string(0, 0, "taux de subvention").unwrap();
    hidden
        .write_number_with_format(0, 1, 0.8, &Format::new().set_num_format("0%"))
        .unwrap();
    hidden.set_hidden(true);
    workbook.save_to_buffer().unwrap()
}

fn table(document: &Document, sheet: usize) -> &Table {
    match document.stories[sheet].blocks.first() {
        Some(Block::Table(table)) => table,
        other => panic!("sheet {sheet}: expected a table, got {other:?}"),
    }
}

fn cell<'a>(table: &'a Table, address: &str) -> &'a dossiers_document::Cell {
    table
        .rows
        .iter()
        .flat_map(|row| &row.cells)
        .find(|cell| cell.address.as_deref() == Some(address))
        .unwrap_or_else(|| panic!("no cell {address}"))
}

#[test]
fn a_budget_matrix_reads_with_addresses_values_and_merges() {
    let document = dossiers_sheet::read_xlsx(&budget_matrix(), &Limits::default()).unwrap();
    assert_eq!(document.stories.len(), 2);
    assert!(document.stories.iter().all(|s| s.kind == StoryKind::Sheet));
    assert_eq!(document.stories[0].name.as_deref(), Some("Budget"));
    let budget = table(&document, 0);
    assert_eq!(budget.merged, vec!["A1:C1".to_owned()]);

    let check = |address: &str, text: &str, value: Option<CellValue>| {
        let cell = cell(budget, address);
        assert_eq!(cell.text, text, "{address}");
        assert_eq!(cell.value, value, "{address}");
    };
    check("A1", "Matrice budgétaire prévisionnelle", None);
    check("A2", "Dépenses d'investissement", None);
    check("B2", "1234.5", Some(CellValue::Number(1234.5)));
    check("A3", "0.1", Some(CellValue::Number(0.1)));
    check("B3", "2469", Some(CellValue::Number(2469.0)));
    check(
        "A4",
        "2022-01-13",
        Some(CellValue::Date("2022-01-13".into())),
    );
    check("B4", "TRUE", Some(CellValue::Bool(true)));
    assert_eq!(cell(budget, "B3").formula.as_deref(), Some("B2*2"));
}

#[test]
fn a_hidden_sheet_is_kept_and_flagged() {
    let document = dossiers_sheet::read_xlsx(&budget_matrix(), &Limits::default()).unwrap();
    let hidden = &document.stories[1];
    assert_eq!(hidden.name.as_deref(), Some("Paramètres"));
    assert!(hidden.hidden);
    assert!(!document.stories[0].hidden);
    let rate = cell(table(&document, 1), "B1");
    assert_eq!(rate.text, "80%");
    assert_eq!(rate.value, Some(CellValue::Number(0.8)));
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::HiddenSheet && w.message.contains("Paramètres"))
    );
}

#[test]
fn a_cell_in_the_far_corner_does_not_fill_the_sheet() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "début").unwrap();
    sheet.write_string(1_048_575, 16_383, "fin").unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let document = dossiers_sheet::read_xlsx(&bytes, &Limits::default()).unwrap();
    let table = table(&document, 0);
    let n_cells: usize = table.rows.iter().map(|row| row.cells.len()).sum();
    assert_eq!(n_cells, 2);
    assert_eq!(cell(table, "XFD1048576").text, "fin");
}

#[test]
fn cells_past_the_limit_are_too_large_with_the_cells_read_before() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..100 {
        sheet.write_number(row, 0, f64::from(row)).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let limits = Limits {
        max_cells: 10,
        ..Limits::default()
    };
    let error = dossiers_sheet::read_xlsx(&bytes, &limits).unwrap_err();
    assert_eq!(error.kind(), "too_large");
    assert!(error.partial().is_some_and(|partial| partial.has_text()));
}

#[test]
fn a_long_string_repeated_past_the_character_limit_is_too_large() {
    let long = "subvention ".repeat(2_500);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..300 {
        sheet.write_string(row, 0, &long).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let limits = Limits {
        max_chars: 1_000_000,
        ..Limits::default()
    };
    let error = dossiers_sheet::read_xlsx(&bytes, &limits).unwrap_err();
    assert_eq!(error.kind(), "too_large");
    let partial = error.partial().unwrap();
    assert!(partial.n_chars() <= 1_000_000);
}

#[test]
fn not_a_workbook_is_a_typed_error() {
    let limits = Limits::default();
    for (bytes, kind) in [
        (&b"not a spreadsheet"[..], "corrupt"),
        (&b"PK\x03\x04 truncated"[..], "corrupt"),
    ] {
        assert_eq!(
            dossiers_sheet::read_xlsx(bytes, &limits)
                .unwrap_err()
                .kind(),
            kind
        );
        assert_eq!(
            dossiers_sheet::read_ods(bytes, &limits).unwrap_err().kind(),
            kind
        );
        assert_eq!(
            dossiers_sheet::read_xls(bytes, &limits).unwrap_err().kind(),
            "corrupt"
        );
    }
}
