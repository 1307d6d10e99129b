//! `.xlsx` (Office Open XML, transitional or strict) through calamine's streaming cell reader.
//!
//! The streaming reader is used rather than `worksheet_range` because the latter lays the sheet
//! out densely from its first to its last cell: two cells at A1 and XFD1048576 would ask for
//! seventeen billion. Streaming hands us each cell with its position and we lay it out ourselves,
//! within bounds.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Reader, SheetType, Xlsx, XlsxFormulaMetadata, expand_shared_formula};
use dossiers_document::{Document, ExtractError, Format, Limits, Result, WarningCode};

use crate::cells::{SheetGrid, from_data_ref, is_percent_format};
use crate::containers::{precheck_zip, read_small_entry};
use crate::workbook::{WorkbookBuilder, check_input_size, corrupt, guard};

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    check_input_size(bytes, limits)?;
    precheck_zip(bytes, limits, "xlsx")?;
    precheck_shared_strings(bytes)?;
    let mut workbook: Xlsx<Cursor<&[u8]>> =
        guard("opening the xlsx", || Xlsx::new(Cursor::new(bytes)))?
            .map_err(|error| corrupt("xlsx", error))?;
    let mut builder = WorkbookBuilder::new(Format::Xlsx, limits);
    if let Err(error) = read_sheets(&mut workbook, &mut builder) {
        return Err(builder.fail(error));
    }
    builder.set_properties(guard("reading the properties", || {
        workbook.workbook_properties()
    }));
    Ok(builder.document)
}

/// Most cells of one sheet shown as percentages.
const MAX_PERCENT_CELLS: usize = 1_000_000;

/// Most shared-formula templates remembered for one sheet.
const MAX_SHARED_FORMULAS: usize = 100_000;

/// How much of the shared-strings part is read to find its declared count.
const SST_HEAD_BYTES: u64 = 8 * 1024;

/// calamine reserves room for as many shared strings as the part declares (`uniqueCount`)
/// before reading one: a crafted count asks for terabytes, and a failed allocation aborts the
/// process, which no `catch_unwind` can stop. A string takes at least a few bytes of XML, so a
/// count beyond the part's inflated size is a lie, and the file is refused.
fn precheck_shared_strings(bytes: &[u8]) -> Result<()> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let parts: Vec<(String, u64)> = (0..archive.len())
        .filter_map(|index| {
            let entry = archive.by_index_raw(index).ok()?;
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            name.to_ascii_lowercase()
                .ends_with("sharedstrings.xml")
                .then(|| (name, entry.size()))
        })
        .collect();
    for (name, size) in parts {
        let Some(head) = read_small_entry(bytes, &name, SST_HEAD_BYTES)? else {
            continue;
        };
        if let Some(count) = declared_count(&head)
            && count > size.saturating_add(1024)
        {
            return Err(ExtractError::corrupt(format!(
                "xlsx: {name} declares {count} strings in {size} bytes"
            )));
        }
    }
    Ok(())
}

/// The `uniqueCount` attribute of the first `sst` element in `head`, if it is there.
fn declared_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = text.find("<sst").or_else(|| text.find(":sst"))?;
    let rest = text.get(sst..)?;
    let tag = rest.get(..rest.find('>')?)?;
    let value = tag.split("uniqueCount=").nth(1)?;
    let digits: String = value
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // A count too long for u64 is certainly a lie.
    Some(digits.parse().unwrap_or(u64::MAX))
}

fn read_sheets(workbook: &mut Xlsx<Cursor<&[u8]>>, builder: &mut WorkbookBuilder) -> Result<()> {
    let sheets = workbook.sheets_metadata().to_vec();
    let mut percent_styles: Option<HashSet<usize>> = None;
    for sheet in sheets {
        let mut grid = SheetGrid::default();
        if sheet.typ == SheetType::WorkSheet {
            let damage = guard("reading a sheet", || {
                read_cells(
                    workbook,
                    &sheet.name,
                    &mut grid,
                    &mut percent_styles,
                    &mut builder.budget,
                )
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
            let percent_styles = percent_styles.as_ref().filter(|styles| !styles.is_empty());
            if let Some(styles) = percent_styles {
                let cells = guard("reading cell styles", || {
                    percent_cells(workbook, &sheet.name, styles)
                })?;
                grid.show_as_percent(&cells);
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

/// The positions of one sheet's cells styled with a percent format. This is a second, light
/// pass over the sheet (calamine streams either formulas or style ids, not both), made only in
/// workbooks that have a percent style at all.
fn percent_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    percent_styles: &HashSet<usize>,
) -> HashSet<(u32, u32)> {
    let mut cells = HashSet::new();
    let Ok(mut reader) = workbook.worksheet_cells_reader(name) else {
        return cells;
    };
    while let Ok(Some((row, col, style))) = reader.next_style_id() {
        if percent_styles.contains(&style) && cells.len() < MAX_PERCENT_CELLS {
            cells.insert((row, col));
        }
    }
    cells
}

/// Streams one sheet's cells into `grid`. The outer `Result` is a limit (stop everything); the
/// inner `Option` is damage in the sheet's XML (keep what came before it and go on).
fn read_cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    grid: &mut SheetGrid,
    percent_styles: &mut Option<HashSet<usize>>,
    budget: &mut dossiers_document::Budget,
) -> Result<Option<String>> {
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(error) => return Ok(Some(error.to_string())),
    };
    if percent_styles.is_none() {
        *percent_styles = Some(
            reader
                .styles()
                .iter()
                .enumerate()
                .filter(|(_, style)| {
                    style
                        .number_format
                        .as_ref()
                        .is_some_and(|format| is_percent_format(&format.format_code))
                })
                .map(|(index, _)| index)
                .collect(),
        );
    }
    // Shared-formula templates by index, kept in a map: calamine's own expanding reader sizes a
    // vector by the index written in the file, which a crafted `si` turns into an abort.
    let mut shared: HashMap<usize, (String, (u32, u32))> = HashMap::new();
    loop {
        match reader.next_cell_with_formula_metadata() {
            Ok(Some(cell)) => {
                let formula = cell.formula.and_then(|metadata| match metadata {
                    XlsxFormulaMetadata::Normal { formula } => Some(formula),
                    XlsxFormulaMetadata::Shared {
                        shared_index,
                        range,
                        formula,
                    } => {
                        let start = range.map_or(cell.pos, |r| r.start);
                        if shared.len() < MAX_SHARED_FORMULAS {
                            shared.insert(shared_index, (formula.clone(), start));
                        }
                        Some(formula)
                    }
                    XlsxFormulaMetadata::SharedDerived { shared_index } => {
                        let (template, start) = shared.get(&shared_index)?;
                        expand_shared_formula(template, *start, cell.pos).ok()
                    }
                    _ => None,
                });
                let Some(content) = from_data_ref(&cell.value) else {
                    continue;
                };
                let (row, col) = cell.pos;
                let formula = formula.filter(|f| !f.is_empty());
                grid.push(row, col, content, formula, budget)?;
            }
            Ok(None) => return Ok(None),
            Err(error) => return Ok(Some(error.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_string_count_is_read_from_the_head() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="3" uniqueCount="2"><si>"#;
        assert_eq!(declared_count(head), Some(2));
        let lie = br#"<x:sst uniqueCount="99999999999999999999999">"#;
        assert_eq!(declared_count(lie), Some(u64::MAX));
        assert_eq!(declared_count(b"<sst count=\"2\">"), None);
    }
}
