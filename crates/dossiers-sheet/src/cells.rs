//! From calamine's typed values to the shared [`Cell`], and from a sheet's scattered cells to one
//! [`Table`]. This is where the three formats meet, so that a number, a date or a boolean reads the
//! same whichever file it came from, and where a sparse sheet is kept from turning into billions
//! of empty cells.

use std::collections::HashSet;

use calamine::{Data, DataRef, ExcelDateTime};
use dossiers_document::{Budget, Cell, CellValue, Result, Row, Table};

/// A sheet whose used range (from A1) holds more cells than this is laid out sparsely: only the
/// rows and cells that hold something are kept, each with its address. Below it, leading and
/// interior empty cells are kept so that the text keeps its columns, as LibreOffice prints it.
const MAX_DENSE_CELLS: u64 = 500_000;

/// The reader-facing text and typed value of one cell, before it has an address.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellContent {
    pub text: String,
    pub value: Option<CellValue>,
}

impl CellContent {
    fn text(text: String) -> CellContent {
        CellContent { text, value: None }
    }
}

/// Converts an owned calamine value; `None` for an empty cell.
pub(crate) fn from_data(data: &Data) -> Option<CellContent> {
    match data {
        Data::Empty => None,
        Data::String(text) => Some(CellContent::text(text.clone())),
        Data::Int(n) => Some(CellContent {
            text: n.to_string(),
            value: Some(CellValue::Number(*n as f64)),
        }),
        Data::Float(x) => Some(number(*x)),
        Data::Bool(b) => Some(boolean(*b)),
        Data::DateTime(dt) => Some(excel_date_time(dt)),
        Data::DateTimeIso(iso) => Some(iso_date_time(iso)),
        Data::DurationIso(iso) => Some(iso_duration(iso)),
        Data::Error(error) => {
            let text = error.to_string();
            Some(CellContent {
                value: Some(CellValue::Error(text.clone())),
                text,
            })
        }
    }
}

/// Converts a borrowed calamine value (the xlsx streaming reader); `None` for an empty cell.
pub(crate) fn from_data_ref(data: &DataRef<'_>) -> Option<CellContent> {
    match data {
        DataRef::Empty => None,
        DataRef::SharedString(text) => Some(CellContent::text((*text).to_owned())),
        DataRef::String(text) => Some(CellContent::text(text.clone())),
        DataRef::Int(n) => Some(CellContent {
            text: n.to_string(),
            value: Some(CellValue::Number(*n as f64)),
        }),
        DataRef::Float(x) => Some(number(*x)),
        DataRef::Bool(b) => Some(boolean(*b)),
        DataRef::DateTime(dt) => Some(excel_date_time(dt)),
        DataRef::DateTimeIso(iso) => Some(iso_date_time(iso)),
        DataRef::DurationIso(iso) => Some(iso_duration(iso)),
        DataRef::Error(error) => {
            let text = error.to_string();
            Some(CellContent {
                value: Some(CellValue::Error(text.clone())),
                text,
            })
        }
    }
}

fn boolean(b: bool) -> CellContent {
    CellContent {
        text: if b { "TRUE" } else { "FALSE" }.to_owned(),
        value: Some(CellValue::Bool(b)),
    }
}

fn number(x: f64) -> CellContent {
    CellContent {
        text: format_number(x),
        value: Some(CellValue::Number(x)),
    }
}

/// A number as a reader sees it in a "General" cell: no `.0` on integers, and at most 15
/// significant digits, the precision Excel and LibreOffice display, so that a cached
/// `0.30000000000000004` reads `0.3` (the typed value keeps every bit).
pub(crate) fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "#NUM!".to_owned()
        } else if x > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let shortest = x.to_string();
    let n_digits = shortest.bytes().filter(u8::is_ascii_digit).count();
    let magnitude = x.abs();
    if n_digits <= 15 && (1e-10..1e21).contains(&magnitude) {
        // The common case (amounts, years): the shortest form already has few enough digits.
        return shortest;
    }
    let rounded = format!("{x:.14e}").parse::<f64>().unwrap_or(x);
    let magnitude = rounded.abs();
    if (1e-10..1e21).contains(&magnitude) {
        rounded.to_string()
    } else {
        format!("{rounded:E}")
    }
}

/// True for a number format that shows a percentage: a `%` outside quotes and escapes.
pub(crate) fn is_percent_format(code: &str) -> bool {
    let mut in_quotes = false;
    let mut chars = code.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '\\' if !in_quotes => {
                chars.next();
            }
            '%' if !in_quotes => return true,
            _ => {}
        }
    }
    false
}

/// Excel serial dates (xls, xlsx): the epoch (1900 or 1904) travels inside [`ExcelDateTime`].
fn excel_date_time(dt: &ExcelDateTime) -> CellContent {
    let serial = dt.as_f64();
    if dt.is_duration() || !serial.is_finite() {
        let total_seconds = (serial * 86_400.0).round();
        let negative = total_seconds < 0.0;
        let total = total_seconds.abs().min(u64::MAX as f64) as u64;
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
        let sign = if negative { "-" } else { "" };
        return CellContent {
            text: format!("{sign}{hours:02}:{minutes:02}:{seconds:02}"),
            value: Some(CellValue::Duration(format!(
                "{sign}PT{hours}H{minutes}M{seconds}S"
            ))),
        };
    }
    let (year, month, day, hour, minute, second) = if serial < 0.0 {
        negative_serial(dt)
    } else {
        let (year, month, day, hour, minute, second, _milli) = dt.to_ymd_hms_milli();
        (
            i64::from(year),
            u32::from(month),
            u32::from(day),
            hour,
            minute,
            second,
        )
    };
    let has_time = hour != 0 || minute != 0 || second != 0;
    if (0.0..1.0).contains(&serial) && has_time {
        // A time of day with no date: Excel's day 0 is not a date anyone wrote.
        let time = format!("{hour:02}:{minute:02}:{second:02}");
        return CellContent {
            value: Some(CellValue::Date(time.clone())),
            text: time,
        };
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if has_time {
        let time = format!("{hour:02}:{minute:02}:{second:02}");
        CellContent {
            text: format!("{date} {time}"),
            value: Some(CellValue::Date(format!("{date}T{time}"))),
        }
    } else {
        CellContent {
            value: Some(CellValue::Date(date.clone())),
            text: date,
        }
    }
}

/// A date before the epoch. Excel cannot show one (it prints `####`) and calamine clamps it to
/// the epoch; LibreOffice counts back from 1899-12-30 (or 1904-01-01), and so do we, so that a
/// negative number in a date-formatted cell reads as a date, not as a pile of `1899-12-31`.
fn negative_serial(dt: &ExcelDateTime) -> (i64, u32, u32, u8, u8, u8) {
    let serial = dt.as_f64();
    // The epoch flag is private to calamine's type, but the type compares by value.
    let is_1904 = *dt == ExcelDateTime::new(serial, calamine::ExcelDateTimeType::DateTime, true);
    let epoch_days_from_1970 = if is_1904 { -24_107 } else { -25_569 };
    let whole_days = serial.floor();
    // Whole seconds after rounding to the millisecond, as calamine does for positive serials.
    let seconds = (((serial - whole_days) * 86_400_000.0).round() / 1000.0).floor() as u32;
    let (carry, seconds) = (i64::from(seconds / 86_400), seconds % 86_400);
    let days = (whole_days.max(-1e9) as i64) + carry + epoch_days_from_1970;
    let (year, month, day) = dossiers_document::dates::civil_from_days(days);
    let (hour, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    (year, month, day, hour as u8, minute as u8, second as u8)
}

/// ODS dates come as ISO text already. The text uses a space rather than `T` between date and
/// time: a reader (and a tokenizer) sees two words, not one glued `13T10`.
fn iso_date_time(iso: &str) -> CellContent {
    let trimmed = iso.trim();
    let value = trimmed.strip_suffix("T00:00:00").unwrap_or(trimmed);
    let value = value.split('.').next().unwrap_or(value).to_owned();
    CellContent {
        text: value.replacen('T', " ", 1),
        value: Some(CellValue::Date(value)),
    }
}

/// ODS durations (`PT01H30M00S`) read as `01:30:00`, the way LibreOffice shows a time cell.
fn iso_duration(iso: &str) -> CellContent {
    let text = iso_duration_clock(iso).unwrap_or_else(|| iso.to_owned());
    CellContent {
        text,
        value: Some(CellValue::Duration(iso.to_owned())),
    }
}

fn iso_duration_clock(iso: &str) -> Option<String> {
    let (negative, rest) = match iso.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, iso.trim()),
    };
    let rest = rest.strip_prefix("PT")?;
    let (mut hours, mut minutes, mut seconds) = (0u64, 0u64, 0f64);
    let mut number = String::new();
    for ch in rest.chars() {
        match ch {
            '0'..='9' | '.' => number.push(ch),
            'H' => hours = std::mem::take(&mut number).parse().ok()?,
            'M' => minutes = std::mem::take(&mut number).parse().ok()?,
            'S' => seconds = std::mem::take(&mut number).parse().ok()?,
            _ => return None,
        }
    }
    let seconds = seconds.round() as u64;
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{hours:02}:{minutes:02}:{seconds:02}"))
}

/// The A1 name of a zero-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::with_capacity(3);
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The A1 address of a zero-based (row, column).
pub(crate) fn address(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), u64::from(row) + 1)
}

/// A1 notation of a zero-based rectangle (`A1:D1`).
pub(crate) fn range_address(start: (u32, u32), end: (u32, u32)) -> String {
    format!("{}:{}", address(start.0, start.1), address(end.0, end.1))
}

/// The non-empty cells of one sheet as they arrive (in any order), laid out into a [`Table`]
/// once the sheet is read.
#[derive(Debug, Default)]
pub(crate) struct SheetGrid {
    cells: Vec<(u32, u32, CellContent, Option<String>)>,
    max_row: u32,
    max_col: u32,
}

impl SheetGrid {
    /// Adds every non-empty cell of a calamine range (xls and ods; xlsx streams its cells), with
    /// the formula behind it when calamine decoded one.
    pub(crate) fn push_range(
        &mut self,
        range: &calamine::Range<Data>,
        formulas: Option<&calamine::Range<String>>,
        budget: &mut Budget,
    ) -> Result<()> {
        let (row0, col0) = range.start().unwrap_or((0, 0));
        for (rel_row, rel_col, data) in range.used_cells() {
            let Some(content) = from_data(data) else {
                continue;
            };
            let row = row0.saturating_add(rel_row as u32);
            let col = col0.saturating_add(rel_col as u32);
            // ODF formulas are kept as written (`of:=SUM([.B8:.B16])`); calamine's placeholder
            // for an xls formula it cannot decode is not a formula.
            let formula = formulas
                .and_then(|f| f.get_value((row, col)))
                .filter(|f| !f.is_empty() && !f.starts_with("Unrecognised formula"))
                .cloned();
            self.push(row, col, content, formula, budget)?;
        }
        Ok(())
    }

    /// Adds a non-empty cell, charged to the budget (cells and characters) so that a sheet of a
    /// million references to one long shared string ends as `too_large`, not as gigabytes.
    pub(crate) fn push(
        &mut self,
        row: u32,
        col: u32,
        content: CellContent,
        formula: Option<String>,
        budget: &mut Budget,
    ) -> Result<()> {
        budget.charge_cells(1)?;
        budget.charge_chars(content.text.len())?;
        self.max_row = self.max_row.max(row);
        self.max_col = self.max_col.max(col);
        self.cells.push((row, col, content, formula));
        Ok(())
    }

    /// Shows the numbers at `positions` the way a percent format does (`0.2` → `20%`); the typed
    /// value stays the fraction.
    pub(crate) fn show_as_percent(&mut self, positions: &HashSet<(u32, u32)>) {
        for (row, col, content, _) in &mut self.cells {
            if let Some(CellValue::Number(x)) = content.value
                && positions.contains(&(*row, *col))
            {
                content.text = format!("{}%", format_number(x * 100.0));
            }
        }
    }

    /// Lays the cells out from A1. Returns the table and whether the sheet was too sparse to lay
    /// out densely (then only non-empty rows and cells are kept).
    pub(crate) fn into_table(mut self, budget: &mut Budget) -> Result<(Table, bool)> {
        self.cells.sort_by_key(|(row, col, _, _)| (*row, *col));
        let dense_area = (u64::from(self.max_row) + 1) * (u64::from(self.max_col) + 1);
        let sparse = dense_area > MAX_DENSE_CELLS;
        let mut rows: Vec<Row> = Vec::new();
        let mut current_row: Option<u32> = None;
        for (row, col, content, formula) in self.cells {
            if current_row != Some(row) {
                if !sparse {
                    let first_missing = current_row.map_or(0, |r| r + 1);
                    for _ in first_missing..row {
                        rows.push(Row::default());
                    }
                }
                rows.push(Row::default());
                current_row = Some(row);
            }
            let Some(out) = rows.last_mut() else {
                continue;
            };
            if !sparse {
                // Leading and interior empty cells keep the columns aligned.
                while (out.cells.len() as u64) < u64::from(col) {
                    let filler_col = out.cells.len() as u32;
                    out.cells.push(Cell {
                        address: Some(address(row, filler_col)),
                        ..Cell::default()
                    });
                    budget.tick()?;
                }
            } else if out.cells.last().and_then(|c| c.address.as_deref())
                == Some(address(row, col).as_str())
            {
                // A duplicate position (a damaged file): the first value stands.
                continue;
            }
            if !sparse && (out.cells.len() as u64) > u64::from(col) {
                continue;
            }
            out.cells.push(Cell {
                text: content.text,
                address: Some(address(row, col)),
                value: content.value,
                formula,
            });
        }
        Ok((
            Table {
                rows,
                merged: Vec::new(),
            },
            sparse,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_in_a_general_cell() {
        for (x, text) in [
            (3.0, "3"),
            (0.1, "0.1"),
            (1234.5, "1234.5"),
            (-1599.99, "-1599.99"),
            (0.1 + 0.2, "0.3"),
            (-0.0, "0"),
            (198356388.0, "198356388"),
            (1e300, "1E300"),
        ] {
            assert_eq!(format_number(x), text, "{x}");
        }
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%;[Red]-0.00%"));
        assert!(!is_percent_format("0.00\\%"));
        assert!(!is_percent_format("#,##0\" %\""));
        assert!(!is_percent_format("General"));
    }

    #[test]
    fn columns_and_addresses() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
        assert_eq!(address(40, 4), "E41");
        assert_eq!(range_address((0, 0), (0, 3)), "A1:D1");
    }

    #[test]
    fn dates_in_both_epochs_and_durations() {
        let check = |serial, kind, is_1904, text: &str, value: CellValue| {
            let content = excel_date_time(&ExcelDateTime::new(serial, kind, is_1904));
            assert_eq!(content.text, text);
            assert_eq!(content.value, Some(value));
        };
        use ExcelDateTimeType::{DateTime, TimeDelta};
        check(
            44574.0,
            DateTime,
            false,
            "2022-01-13",
            CellValue::Date("2022-01-13".into()),
        );
        check(
            44574.4375,
            DateTime,
            false,
            "2022-01-13 10:30:00",
            CellValue::Date("2022-01-13T10:30:00".into()),
        );
        check(
            1.0,
            DateTime,
            true,
            "1904-01-02",
            CellValue::Date("1904-01-02".into()),
        );
        check(
            -12345.6789,
            DateTime,
            false,
            "1866-03-12 07:42:23",
            CellValue::Date("1866-03-12T07:42:23".into()),
        );
        check(
            1.5,
            TimeDelta,
            false,
            "36:00:00",
            CellValue::Duration("PT36H0M0S".into()),
        );
    }

    #[test]
    fn iso_values_from_ods() {
        assert_eq!(iso_date_time("2018-09-20T00:00:00").text, "2018-09-20");
        assert_eq!(
            iso_date_time("2018-09-20T10:30:00.5").value,
            Some(CellValue::Date("2018-09-20T10:30:00".into()))
        );
        assert_eq!(iso_duration("PT01H30M00S").text, "01:30:00");
        assert_eq!(iso_duration("PT36H00M00.4S").text, "36:00:00");
    }

    #[test]
    fn a_far_away_cell_makes_a_sparse_table() {
        let mut budget = Budget::new(&dossiers_document::Limits::default());
        let mut grid = SheetGrid::default();
        let content = |text: &str| CellContent::text(text.to_owned());
        grid.push(0, 0, content("a"), None, &mut budget).unwrap();
        grid.push(1_048_575, 16_383, content("z"), None, &mut budget)
            .unwrap();
        let (table, sparse) = grid.into_table(&mut budget).unwrap();
        assert!(sparse);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(
            table.rows[1].cells[0].address.as_deref(),
            Some("XFD1048576")
        );
    }

    #[test]
    fn a_small_table_keeps_its_columns() {
        let mut budget = Budget::new(&dossiers_document::Limits::default());
        let mut grid = SheetGrid::default();
        let content = |text: &str| CellContent::text(text.to_owned());
        grid.push(2, 1, content("b3"), None, &mut budget).unwrap();
        grid.push(0, 2, content("c1"), None, &mut budget).unwrap();
        let (table, sparse) = grid.into_table(&mut budget).unwrap();
        assert!(!sparse);
        let texts: Vec<Vec<&str>> = table
            .rows
            .iter()
            .map(|row| row.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(texts, vec![vec!["", "", "c1"], vec![], vec!["", "b3"]]);
        assert_eq!(table.rows[2].cells[1].address.as_deref(), Some("B3"));
    }
}
