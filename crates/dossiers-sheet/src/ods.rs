//! `.ods` (OpenDocument spreadsheet) through calamine, after a walk of `content.xml` of our own.
//!
//! calamine expands `number-columns-repeated` / `number-rows-repeated` into real cells (up to
//! 100 million of them) while it opens the file, so a 1 KB file can cost gigabytes. The walk
//! here counts what calamine will allocate, without allocating it, and refuses the file past
//! the cell limit. The same walk finds merged ranges (`number-columns-spanned`,
//! `number-rows-spanned`), which calamine does not report for ODS, and the percentage cells,
//! which calamine reads as bare fractions. Encryption is read from the manifest first, so that
//! an encrypted file says so instead of failing as broken XML. Packages calamine refuses for
//! their form only (no `mimetype` entry, indented XML between cells) are normalised and read
//! again, with a `recovered` warning.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Dimensions, Ods, OdsError, Reader};
use dossiers_document::{Document, ExtractError, Format, Limits, Result, WarningCode};
use quick_xml::events::{BytesStart, Event};

use crate::cells::SheetGrid;
use crate::containers::{precheck_zip, read_small_entry};
use crate::workbook::{WorkbookBuilder, check_input_size, corrupt, guard};

/// calamine's caps on one ODS table: beyond them it cuts the repeats.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Most cells of one sheet shown as percentages.
const MAX_PERCENT_CELLS: usize = 1_000_000;

/// Most merged ranges kept for one sheet.
const MAX_MERGED_PER_SHEET: usize = 10_000;

/// Largest manifest read to look for encryption.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    check_input_size(bytes, limits)?;
    precheck_zip(bytes, limits, "ods")?;
    if let Some(manifest) = read_small_entry(bytes, "META-INF/manifest.xml", MAX_MANIFEST_BYTES)?
        && contains(&manifest, b"encryption-data")
    {
        return Err(ExtractError::encrypted(
            "ods: password-protected (the manifest lists encryption data)",
        ));
    }
    let content = read_small_entry(bytes, "content.xml", limits.max_entry_bytes)?
        .ok_or_else(|| ExtractError::corrupt("ods: no content.xml"))?;
    let scan = scan_content(&content, limits)?;
    if scan.expanded_cells > limits.max_cells {
        return Err(ExtractError::too_large("cells", limits.max_cells));
    }

    let workbook = match open(bytes) {
        Ok(workbook) => workbook,
        Err(Opening::Fatal(error)) => return Err(error),
        Err(Opening::Repairable(reason)) => {
            // calamine wants a `mimetype` entry and nothing but cells inside a row; files from
            // other writers (no mimetype, pretty-printed XML) are rebuilt and opened again.
            let repaired = repair(bytes, &content)?;
            let mut document = match open(&repaired) {
                Ok(workbook) => read_workbook(workbook, &scan, limits)?,
                Err(Opening::Fatal(error)) => return Err(error),
                Err(Opening::Repairable(reason)) => {
                    return Err(ExtractError::corrupt(format!("ods: {reason}")));
                }
            };
            document.warn(
                WarningCode::Recovered,
                format!("{reason}: read again after normalising the package"),
            );
            return Ok(document);
        }
    };
    read_workbook(workbook, &scan, limits)
}

/// Why calamine could not open a package: for good, or for a reason that a normalised package
/// does not have (no or a wrong `mimetype` entry, whitespace between the cells of a row).
enum Opening {
    Fatal(ExtractError),
    Repairable(String),
}

fn open(bytes: &[u8]) -> std::result::Result<Ods<Cursor<&[u8]>>, Opening> {
    match guard("opening the ods", || Ods::new(Cursor::new(bytes))) {
        Err(panic) => Err(Opening::Fatal(panic)),
        Ok(Ok(workbook)) => Ok(workbook),
        Ok(Err(error @ (OdsError::Mismatch { .. } | OdsError::InvalidMime(_)))) => {
            Err(Opening::Repairable(error.to_string()))
        }
        Ok(Err(OdsError::FileNotFound("mimetype"))) => {
            Err(Opening::Repairable("no mimetype entry".to_owned()))
        }
        Ok(Err(error)) => Err(Opening::Fatal(ods_error(error))),
    }
}

fn read_workbook(
    mut workbook: Ods<Cursor<&[u8]>>,
    scan: &ContentScan,
    limits: &Limits,
) -> Result<Document> {
    let mut builder = WorkbookBuilder::new(Format::Ods, limits);
    if let Err(error) = read_sheets(&mut workbook, scan, &mut builder) {
        return Err(builder.fail(error));
    }
    builder.set_properties(guard("reading the properties", || {
        workbook.workbook_properties()
    }));
    Ok(builder.document)
}

/// The ODF spreadsheet media type, which calamine requires as the `mimetype` entry.
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// A manifest for packages that have none (calamine reads it to look for encryption).
const MINIMAL_MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"/>"#;

/// Rebuilds the package calamine needs: `mimetype` first, `content.xml` without whitespace-only
/// text outside paragraphs, and the manifest and `meta.xml` as they were.
fn repair(bytes: &[u8], content: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let meta = read_small_entry(bytes, "meta.xml", MAX_MANIFEST_BYTES).unwrap_or(None);
    let manifest = read_small_entry(bytes, "META-INF/manifest.xml", MAX_MANIFEST_BYTES)
        .unwrap_or(None)
        .unwrap_or_else(|| MINIMAL_MANIFEST.to_vec());
    let content = strip_layout_whitespace(content)?;
    let build = || -> zip::result::ZipResult<Vec<u8>> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        writer.start_file("mimetype", stored)?;
        writer.write_all(MIMETYPE)?;
        writer.start_file("content.xml", stored)?;
        writer.write_all(&content)?;
        writer.start_file("META-INF/manifest.xml", stored)?;
        writer.write_all(&manifest)?;
        if let Some(meta) = &meta {
            writer.start_file("meta.xml", stored)?;
            writer.write_all(meta)?;
        }
        Ok(writer.finish()?.into_inner())
    };
    build().map_err(|error| ExtractError::corrupt(format!("ods: rebuilding the package: {error}")))
}

/// Drops whitespace-only text that sits between elements for layout (indentation), keeping it
/// inside paragraphs and spans, where a space between two runs is part of the text.
fn strip_layout_whitespace(content: &[u8]) -> Result<Vec<u8>> {
    let mut reader = quick_xml::Reader::from_reader(content);
    reader.config_mut().check_end_names = false;
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(content.len()));
    let mut in_text = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader.read_event_into(&mut buf)?;
        match &event {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref().starts_with("text:") => in_text += 1,
            Event::End(e) if e.name().as_ref().starts_with("text:") => {
                in_text = in_text.saturating_sub(1);
            }
            Event::Text(t) if in_text == 0 && t.trim().is_empty() => continue,
            _ => {}
        }
        writer
            .write_event(event)
            .map_err(|error| ExtractError::corrupt(format!("ods: content.xml: {error}")))?;
    }
    Ok(writer.into_inner())
}

fn ods_error(error: OdsError) -> ExtractError {
    match error {
        OdsError::Password => ExtractError::encrypted("ods: password-protected"),
        OdsError::CellLimitExceeded { max, .. } => ExtractError::too_large("cells", max as u64),
        other => corrupt("ods", other),
    }
}

fn read_sheets(
    workbook: &mut Ods<Cursor<&[u8]>>,
    scan: &ContentScan,
    builder: &mut WorkbookBuilder,
) -> Result<()> {
    let sheets = workbook.sheets_metadata().to_vec();
    for sheet in sheets {
        let mut grid = SheetGrid::default();
        let formulas = guard("reading formulas", || {
            workbook.worksheet_formula(&sheet.name)
        })?
        .ok();
        match guard("reading a sheet", || workbook.worksheet_range(&sheet.name))? {
            Ok(range) => {
                if let Err(error) = grid.push_range(&range, formulas.as_ref(), &mut builder.budget)
                {
                    builder.add_sheet(&sheet.name, sheet.visible, grid, &[])?;
                    return Err(error);
                }
            }
            Err(error) => builder.document.warn(
                WarningCode::PartSkipped,
                format!("sheet {:?}: {error}", sheet.name),
            ),
        }
        if let Some(percent) = scan.percent.get(&sheet.name) {
            grid.show_as_percent(percent);
        }
        let merged = scan.merged.get(&sheet.name).map_or(&[][..], Vec::as_slice);
        builder.add_sheet(&sheet.name, sheet.visible, grid, merged)?;
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// What the walk over `content.xml` found.
#[derive(Debug, Default)]
struct ContentScan {
    /// Cells calamine will hold once it has expanded the repeats, over all tables.
    expanded_cells: u64,
    /// Merged ranges by table name.
    merged: HashMap<String, Vec<Dimensions>>,
    /// Cells of percentage type by table name.
    percent: HashMap<String, HashSet<(u32, u32)>>,
}

/// One table's running state during the walk.
#[derive(Debug, Default)]
struct TableScan {
    name: String,
    /// Rows so far, repeats expanded (capped as calamine caps them).
    row: u64,
    /// Cells calamine keeps before laying the table out: per row element, up to its last
    /// non-empty cell.
    stored: u64,
    first_row: Option<u64>,
    last_row: u64,
    first_col: u64,
    last_col: u64,
    merged: Vec<Dimensions>,
    percent: HashSet<(u32, u32)>,
}

impl TableScan {
    /// The cells calamine allocates for this table: what it stores while reading, plus the
    /// dense rectangle it lays out (values, and formulas alongside).
    fn cost(&self) -> u64 {
        let Some(first_row) = self.first_row else {
            return self.stored;
        };
        let rows = self.last_row.saturating_sub(first_row) + 1;
        let cols = self
            .last_col
            .saturating_sub(self.first_col.min(self.last_col))
            + 1;
        self.stored.saturating_add(rows.saturating_mul(cols))
    }
}

fn attr_u64(element: &BytesStart<'_>, name: &str) -> Option<u64> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

/// What the walk needs from one cell's attributes, read in one pass (the walk is on the hot
/// path: it runs over every cell before calamine does).
#[derive(Debug)]
struct CellAttributes {
    columns_repeated: u64,
    columns_spanned: u64,
    rows_spanned: u64,
    /// A value or a formula: calamine keeps the cell (an empty string counts).
    has_value: bool,
    /// `office:value-type="percentage"`: calamine reads the fraction, LibreOffice shows `20%`.
    percentage: bool,
}

impl CellAttributes {
    fn of(element: &BytesStart<'_>) -> CellAttributes {
        let mut cell = CellAttributes {
            columns_repeated: 1,
            columns_spanned: 1,
            rows_spanned: 1,
            has_value: false,
            percentage: false,
        };
        for attribute in element.attributes().with_checks(false).flatten() {
            let number = || attribute.value.trim().parse::<u64>().unwrap_or(1);
            match attribute.key.as_ref() {
                "table:number-columns-repeated" => cell.columns_repeated = number(),
                "table:number-columns-spanned" => cell.columns_spanned = number(),
                "table:number-rows-spanned" => cell.rows_spanned = number(),
                "office:value-type" => {
                    cell.has_value = true;
                    cell.percentage = attribute.value.as_ref() == "percentage";
                }
                "office:value"
                | "table:formula"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value" => {
                    cell.has_value = true;
                }
                _ => {}
            }
        }
        cell
    }
}

/// Walks the tables, rows and cells of `content.xml`, counting what calamine will allocate.
/// Stops with `too_large` as soon as the count passes the cell limit.
fn scan_content(content: &[u8], limits: &Limits) -> Result<ContentScan> {
    let mut reader = quick_xml::Reader::from_reader(content);
    reader.config_mut().check_end_names = false;
    let mut scan = ContentScan::default();
    let mut table: Option<TableScan> = None;
    // Inside a row: the current column (repeats expanded), the row's own repeat count, and the
    // end of its last value (calamine keeps the empty cells before a value too).
    let mut row_state: Option<(u64, u64, u64)> = None;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // Broken XML is calamine's to report; what was counted so far stands.
            Err(_) => break,
        };
        let (element, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "table:table" => {
                        if let Some(done) = table.take() {
                            scan.expanded_cells = scan.expanded_cells.saturating_add(done.cost());
                            scan.percent.insert(done.name.clone(), done.percent);
                            scan.merged.insert(done.name, done.merged);
                        }
                    }
                    "table:table-row" => finish_row(&mut table, &mut row_state),
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let Some(element) = element else { continue };
        if !empty {
            depth += 1;
            if depth > limits.max_xml_depth {
                return Err(ExtractError::too_large(
                    "XML depth",
                    limits.max_xml_depth as u64,
                ));
            }
        }
        match element.name().as_ref() {
            "table:table" => {
                table = Some(TableScan {
                    name: dossiers_document::xml::attr(element, "name").unwrap_or_default(),
                    first_col: u64::MAX,
                    ..TableScan::default()
                });
                if empty && let Some(done) = table.take() {
                    scan.merged.insert(done.name, done.merged);
                }
            }
            "table:table-row" => {
                let repeats = attr_u64(element, "table:number-rows-repeated").unwrap_or(1);
                row_state = Some((0, repeats.max(1), 0));
                if empty {
                    finish_row(&mut table, &mut row_state);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let (Some(t), Some((col, row_repeats, stored_end))) =
                    (table.as_mut(), row_state.as_mut())
                else {
                    continue;
                };
                let cell = CellAttributes::of(element);
                let repeats = cell.columns_repeated.max(1);
                let start = *col;
                let end = start.saturating_add(repeats).min(MAX_COLUMNS);
                *col = end;
                let non_empty = cell.has_value;
                if non_empty && end > start {
                    let row_end = t.row.saturating_add(*row_repeats).min(MAX_ROWS);
                    t.first_row.get_or_insert(t.row);
                    t.last_row = t.last_row.max(row_end.saturating_sub(1));
                    t.first_col = t.first_col.min(start);
                    t.last_col = t.last_col.max(end - 1);
                    // calamine keeps one row element's cells once, up to its last value.
                    t.stored = t.stored.saturating_add(end.saturating_sub(*stored_end));
                    *stored_end = end;
                    if scan.expanded_cells.saturating_add(t.cost()) > limits.max_cells {
                        return Err(ExtractError::too_large("cells", limits.max_cells));
                    }
                }
                if cell.percentage {
                    let row_end = t.row.saturating_add(*row_repeats).min(MAX_ROWS);
                    'fill: for row in t.row..row_end {
                        for col in start..end {
                            if t.percent.len() >= MAX_PERCENT_CELLS {
                                break 'fill;
                            }
                            t.percent.insert((row as u32, col as u32));
                        }
                    }
                }
                let (spanned_cols, spanned_rows) = (cell.columns_spanned, cell.rows_spanned);
                if (spanned_cols > 1 || spanned_rows > 1)
                    && t.merged.len() < MAX_MERGED_PER_SHEET
                    && start < MAX_COLUMNS
                    && t.row < MAX_ROWS
                {
                    let last_row = t.row.saturating_add(spanned_rows - 1).min(MAX_ROWS - 1);
                    let last_col = start.saturating_add(spanned_cols - 1).min(MAX_COLUMNS - 1);
                    t.merged.push(Dimensions::new(
                        (t.row as u32, start as u32),
                        (last_row as u32, last_col as u32),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(scan)
}

fn finish_row(table: &mut Option<TableScan>, row_state: &mut Option<(u64, u64, u64)>) {
    if let (Some(t), Some((_, repeats, _))) = (table.as_mut(), row_state.take()) {
        t.row = t.row.saturating_add(repeats).min(MAX_ROWS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOS: &str = r#"<office:document-content><office:body><office:spreadsheet>
        <table:table table:name="S"><table:table-row table:number-rows-repeated="999999999">
        <table:table-cell table:number-columns-repeated="999999999" office:value-type="string">
        <text:p>X</text:p></table:table-cell></table:table-row></table:table>
        </office:spreadsheet></office:body></office:document-content>"#;

    #[test]
    fn huge_repeats_are_refused_before_calamine() {
        let error = scan_content(DOS.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(error.kind(), "too_large");
    }

    #[test]
    fn empty_cells_before_a_value_count_as_calamine_keeps_them() {
        let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16000"/>
            <table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        let xml = format!(
            r#"<table:table table:name="S">{}</table:table>"#,
            row.repeat(400)
        );
        let limits = Limits {
            max_cells: 1_000_000,
            ..Limits::default()
        };
        let error = scan_content(xml.as_bytes(), &limits).unwrap_err();
        assert_eq!(error.kind(), "too_large");
    }

    #[test]
    fn merged_ranges_are_found() {
        let xml = r#"<table:table table:name="Budget"><table:table-row>
            <table:table-cell table:number-columns-spanned="3" office:value-type="string"/>
            <table:covered-table-cell table:number-columns-repeated="2"/>
            </table:table-row><table:table-row table:number-rows-repeated="2"/>
            <table:table-row><table:table-cell/><table:table-cell table:number-rows-spanned="2"/>
            </table:table-row></table:table>"#;
        let scan = scan_content(xml.as_bytes(), &Limits::default()).unwrap();
        let merged = &scan.merged["Budget"];
        assert_eq!(merged[0], Dimensions::new((0, 0), (0, 2)));
        assert_eq!(merged[1], Dimensions::new((3, 1), (4, 1)));
    }
}
