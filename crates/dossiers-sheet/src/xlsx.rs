//! `.xlsx` (Office Open XML, transitional or strict) through calamine's streaming cell reader.
//!
//! The streaming reader is used rather than `worksheet_range` because the latter lays the sheet
//! out densely from its first to its last cell: two cells at A1 and XFD1048576 would ask for
//! seventeen billion. Streaming hands us each cell with its position and we lay it out ourselves,
//! within bounds.

use std::io::Cursor;

use calamine::{Reader, SheetType, Xlsx};
use dossiers_document::{Document, Format, Limits, Result, WarningCode};

use crate::cells::{SheetGrid, from_data_ref};
use crate::containers::precheck_zip;
use crate::workbook::{WorkbookBuilder, check_input_size, corrupt, guard};

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    check_input_size(bytes, limits)?;
    precheck_zip(bytes, limits, "xlsx")?;
    let mut workbook: Xlsx<Cursor<&[u8]>> =
        guard("opening the xlsx", || Xlsx::new(Cursor::new(bytes)))?
            .map_err(|error| corrupt("xlsx", error))?;
    let mut builder = WorkbookBuilder::new(Format::Xlsx, limits);
    match read_sheets(&mut workbook, &mut builder) {
        Ok(()) => {}
        Err(error) => return Err(builder.fail(error)),
    }
    match guard("reading the properties", || workbook.workbook_properties()) {
        Ok(Ok(properties)) => builder.set_properties(properties),
        Ok(Err(error)) => builder.document.warn(
            WarningCode::PartSkipped,
            format!("document properties: {error}"),
        ),
        Err(error) => builder
            .document
            .warn(WarningCode::PartSkipped, error.to_string()),
    }
    Ok(builder.document)
}

fn read_sheets(workbook: &mut Xlsx<Cursor<&[u8]>>, builder: &mut WorkbookBuilder) -> Result<()> {
    let sheets = workbook.sheets_metadata().to_vec();
    for sheet in sheets {
        let mut grid = SheetGrid::default();
        if sheet.typ == SheetType::WorkSheet {
            let damage = guard("reading a sheet", || {
                read_cells(workbook, &sheet.name, &mut grid, &mut builder.budget)
            })?;
            match damage {
                Ok(None) => {}
                Ok(Some(damage)) => builder.document.warn(
                    WarningCode::Recovered,
                    format!(
                        "sheet {:?}: {damage}; the cells before it are kept",
                        sheet.name
                    ),
                ),
                Err(error) => {
                    // A limit: keep the sheet read so far in the partial document.
                    builder.add_sheet(&sheet.name, sheet.visible, grid, &[])?;
                    return Err(error);
                }
            }
        }
        let merged = match guard("reading merged cells", || {
            workbook.merge_cells_by_sheet_name(&sheet.name)
        })? {
            Ok(merged) => merged,
            Err(error) => {
                builder.document.warn(
                    WarningCode::PartSkipped,
                    format!("sheet {:?}: merged cells: {error}", sheet.name),
                );
                Vec::new()
            }
        };
        builder.add_sheet(&sheet.name, sheet.visible, grid, &merged)?;
    }
    Ok(())
}

/// Streams one sheet's cells into `grid`. The outer `Result` is a limit (stop everything); the
/// inner `Option` is damage in the sheet's XML (keep what came before it and go on).
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    grid: &mut SheetGrid,
    budget: &mut dossiers_document::Budget,
) -> Result<Option<String>> {
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(error) => return Ok(Some(error.to_string())),
    };
    loop {
        match reader.next_cell_with_formula() {
            Ok(Some(cell)) => {
                let Some(content) = from_data_ref(&cell.value) else {
                    continue;
                };
                let (row, col) = cell.pos;
                let formula = cell.formula.filter(|f| !f.is_empty());
                grid.push(row, col, content, formula, budget)?;
            }
            Ok(None) => return Ok(None),
            Err(error) => return Ok(Some(error.to_string())),
        }
    }
}
