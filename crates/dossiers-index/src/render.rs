//! Tables as people and programs read them: one [`Grid`] (title block, typed columns, typed
//! cells, notes) rendered as an aligned text table, as CSV for machines (UTF-8, comma, dot,
//! codes), as CSV for a French Excel (UTF-8 with a BOM, semicolon, decimal comma, labels), or
//! as an XLSX sheet (title block, frozen header, autofilter, landscape fitted to the page width,
//! numbers as numbers with euro and percent formats, dates as dates). The statistics, the
//! cross-tabulations and the exports all build a grid, so the four renderings agree cell for
//! cell.

use dossiers_labels::dates;

use crate::flat::group_thousands;
use crate::{IndexError, Result};

/// A typed cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// A code and its label: machines read the code, people the label.
    Coded {
        code: String,
        label: String,
    },
    Count(u64),
    /// A plain number (a surface, a year, a duration).
    Number(Option<f64>),
    /// Euros.
    Money(Option<f64>),
    /// A share between 0 and 1.
    Share(Option<f64>),
    /// An ISO 8601 date or date-time (the record's form).
    Date(Option<String>),
    Bool(Option<bool>),
    Empty,
}

/// Missing values read as this, never as 0.
pub const MISSING: &str = "—";

impl Cell {
    /// As a person reads it (French conventions).
    pub fn display(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Coded { label, .. } => label.clone(),
            Cell::Count(n) => group_thousands(*n as f64),
            Cell::Number(Some(x)) => {
                if x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    format!("{x}").replace('.', ",")
                }
            }
            Cell::Money(Some(x)) => group_thousands(*x),
            Cell::Share(Some(x)) => format!("{:.1} %", x * 100.0).replace('.', ","),
            Cell::Date(Some(iso)) => dates::french_datetime(iso).unwrap_or_else(|| iso.clone()),
            Cell::Bool(Some(true)) => "oui".to_owned(),
            Cell::Bool(Some(false)) => "non".to_owned(),
            Cell::Number(None)
            | Cell::Money(None)
            | Cell::Share(None)
            | Cell::Date(None)
            | Cell::Bool(None) => MISSING.to_owned(),
            Cell::Empty => String::new(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Count(_) | Cell::Number(_) | Cell::Money(_) | Cell::Share(_)
        )
    }

    /// For machines: codes, plain numbers with a dot, ISO dates, empty when missing.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Coded { code, .. } => code.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(Some(x)) | Cell::Money(Some(x)) | Cell::Share(Some(x)) => x.to_string(),
            Cell::Date(Some(iso)) => iso.clone(),
            Cell::Bool(Some(b)) => b.to_string(),
            _ => String::new(),
        }
    }

    /// For a French Excel: labels, decimal comma without thousands separator (so that the cell
    /// is read as a number), `jj/mm/aaaa hh:mm` dates, `oui`/`non`, empty when missing.
    pub fn csv_fr(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Coded { label, .. } => label.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(Some(x)) | Cell::Money(Some(x)) | Cell::Share(Some(x)) => {
                x.to_string().replace('.', ",")
            }
            Cell::Date(Some(iso)) => dates::french_short(iso).unwrap_or_else(|| iso.clone()),
            Cell::Bool(Some(true)) => "oui".to_owned(),
            Cell::Bool(Some(false)) => "non".to_owned(),
            _ => String::new(),
        }
    }
}

/// Which renderings show a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Only the machine CSV (a code column beside its label, say).
    Machines,
}

/// A column: its stable key (machine CSV header) and its French label.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub key: String,
    pub label: String,
    pub audience: Audience,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
            audience: Audience::Everyone,
        }
    }

    pub fn machines(key: impl Into<String>, label: impl Into<String>) -> Column {
        Column {
            audience: Audience::Machines,
            ..Column::new(key, label)
        }
    }
}

/// Which CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// UTF-8, comma, dot decimals, codes and stable keys: for pandas and scripts.
    #[default]
    Machine,
    /// UTF-8 with a BOM, semicolon, decimal comma, French labels: opens in a French Excel.
    FrenchExcel,
}

/// A table with what it is about.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    /// What the table holds (« Dossiers par forme juridique »).
    pub title: String,
    /// The title block: (label, value) lines (wave, query, filters, date, index run).
    pub about: Vec<(String, String)>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Sentences under the table (how medians are computed, what counts twice).
    pub notes: Vec<String>,
    /// The sheet's name in an XLSX (31 characters at most).
    pub sheet: String,
}

impl Grid {
    fn shown(&self) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.audience == Audience::Everyone)
            .map(|(i, _)| i)
            .collect()
    }

    /// An aligned text table, title and title block above, notes below.
    pub fn to_table(&self) -> String {
        let shown = self.shown();
        let headers: Vec<String> = shown
            .iter()
            .filter_map(|&i| self.columns.get(i).map(|c| c.label.clone()))
            .collect();
        let rows: Vec<Vec<(String, bool)>> = self
            .rows
            .iter()
            .map(|row| {
                shown
                    .iter()
                    .map(|&i| {
                        row.get(i)
                            .map_or((String::new(), false), |c| (c.display(), c.is_numeric()))
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (width, (cell, _)) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let pad = |text: &str, width: usize, right: bool| {
            let fill = " ".repeat(width.saturating_sub(text.chars().count()));
            if right {
                format!("{fill}{text}")
            } else {
                format!("{text}{fill}")
            }
        };
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        for (label, value) in &self.about {
            out.push_str(&format!("{label} : {value}\n"));
        }
        out.push('\n');
        let header: Vec<String> = headers
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (h, w))| pad(h, *w, i > 0))
            .collect();
        out.push_str(header.join("  ").trim_end());
        out.push('\n');
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|((cell, numeric), w)| pad(cell, *w, *numeric))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        for note in &self.notes {
            out.push_str(&format!("\n{note}"));
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        out
    }

    /// CSV in one of the two dialects: a header row, then the rows (no title block).
    pub fn to_csv(&self, dialect: CsvDialect) -> String {
        let mut out = String::new();
        match dialect {
            CsvDialect::Machine => {
                out.push_str(&csv_line(self.columns.iter().map(|c| c.key.as_str()), ','));
                for row in &self.rows {
                    let cells: Vec<String> = row.iter().map(Cell::csv).collect();
                    out.push_str(&csv_line(cells.iter().map(String::as_str), ','));
                }
            }
            CsvDialect::FrenchExcel => {
                let shown = self.shown();
                out.push('\u{feff}');
                let headers = shown
                    .iter()
                    .filter_map(|&i| self.columns.get(i).map(|c| c.label.as_str()));
                out.push_str(&csv_line(headers, ';'));
                for row in &self.rows {
                    let cells: Vec<String> = shown
                        .iter()
                        .map(|&i| row.get(i).map(Cell::csv_fr).unwrap_or_default())
                        .collect();
                    out.push_str(&csv_line(cells.iter().map(String::as_str), ';'));
                }
            }
        }
        out
    }

    /// An XLSX workbook of one sheet: the title block, the table with a frozen header row and an
    /// autofilter, the notes, printed landscape on A4 and fitted to the page width.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, FormatAlign, Workbook};
        let report = |e: rust_xlsxwriter::XlsxError| IndexError::Report(format!("xlsx: {e}"));
        let shown = self.shown();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let name = if self.sheet.is_empty() {
            "Tableau"
        } else {
            &self.sheet
        };
        sheet
            .set_name(name.chars().take(31).collect::<String>())
            .map_err(report)?;
        let title = Format::new().set_bold().set_font_size(14);
        let about_label = Format::new().set_italic().set_font_color("#555555");
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_background_color("#DDEBF7")
            .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
        // Format codes are written in Excel's invariant (US) syntax; Excel and LibreOffice show
        // them with the reader's separators: « 2 581 500 € » in a French one.
        let money = Format::new().set_num_format("#,##0 \"€\"");
        let count = Format::new().set_num_format("#,##0");
        let number = Format::new().set_num_format("General");
        let share = Format::new().set_num_format("0.0%");
        let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let day = Format::new().set_num_format("dd/mm/yyyy");
        let col = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        let row_at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);

        sheet
            .write_string_with_format(0, 0, &self.title, &title)
            .map_err(report)?;
        for (i, (label, value)) in self.about.iter().enumerate() {
            let r = row_at(i + 1);
            sheet
                .write_string_with_format(r, 0, label, &about_label)
                .map_err(report)?;
            sheet.write_string(r, 1, value).map_err(report)?;
        }
        let header_row = row_at(self.about.len() + 2);
        // Spreadsheets do not grow a row for wrapped text written by a program: the header row
        // gets the height its longest label needs at about one character per width unit.
        let mut header_lines = 1;
        for (c, &i) in shown.iter().enumerate() {
            let column = self.columns.get(i).map_or("", |c| c.label.as_str());
            sheet
                .write_string_with_format(header_row, col(c), column, &header)
                .map_err(report)?;
            let width: usize = if c == 0 { 28 } else { 15 };
            sheet
                .set_column_width(col(c), width as f64)
                .map_err(report)?;
            header_lines = header_lines.max(wrapped_lines(column, width - 1));
        }
        sheet
            .set_row_height(header_row, 15.0 * header_lines as f64)
            .map_err(report)?;
        for (r, row) in self.rows.iter().enumerate() {
            let r = header_row + 1 + row_at(r);
            for (c, &i) in shown.iter().enumerate() {
                let c = col(c);
                let Some(cell) = row.get(i) else { continue };
                match cell {
                    Cell::Text(text) if !text.is_empty() => {
                        sheet.write_string(r, c, text).map(|_| ())
                    }
                    Cell::Coded { label, .. } => sheet.write_string(r, c, label).map(|_| ()),
                    Cell::Count(n) => sheet
                        .write_number_with_format(r, c, *n as f64, &count)
                        .map(|_| ()),
                    Cell::Number(Some(x)) => sheet
                        .write_number_with_format(r, c, *x, &number)
                        .map(|_| ()),
                    Cell::Money(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &money).map(|_| ())
                    }
                    Cell::Share(Some(x)) => {
                        sheet.write_number_with_format(r, c, *x, &share).map(|_| ())
                    }
                    Cell::Date(Some(iso)) => match excel_datetime(iso) {
                        Some((datetime, true)) => sheet
                            .write_datetime_with_format(r, c, &datetime, &date)
                            .map(|_| ()),
                        Some((datetime, false)) => sheet
                            .write_datetime_with_format(r, c, &datetime, &day)
                            .map(|_| ()),
                        None => sheet.write_string(r, c, iso).map(|_| ()),
                    },
                    Cell::Bool(Some(b)) => sheet
                        .write_string(r, c, if *b { "oui" } else { "non" })
                        .map(|_| ()),
                    // Missing: the cell stays empty, so a sum or a filter never reads it as 0.
                    _ => Ok(()),
                }
                .map_err(report)?;
            }
        }
        let last_row = header_row + row_at(self.rows.len());
        let last_col = col(shown.len().saturating_sub(1));
        sheet
            .autofilter(header_row, 0, last_row, last_col)
            .map_err(report)?;
        sheet.set_freeze_panes(header_row + 1, 1).map_err(report)?;
        sheet
            .set_repeat_rows(header_row, header_row)
            .map_err(report)?;
        sheet.set_landscape();
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_footer("&L&F&RPage &P / &N");
        for (i, note) in self.notes.iter().enumerate() {
            sheet
                .write_string_with_format(last_row + 2 + row_at(i), 0, note, &about_label)
                .map_err(report)?;
        }
        workbook.save_to_buffer().map_err(report)
    }
}

/// How many lines `text` takes when wrapped at words to `width` characters.
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if used > 0 && used + 1 + length > width {
            lines += 1;
            used = length;
        } else {
            used += if used > 0 { 1 + length } else { length };
        }
    }
    lines
}

/// An ISO date or date-time as an Excel date-time, and whether it has a time.
fn excel_datetime(iso: &str) -> Option<(rust_xlsxwriter::ExcelDateTime, bool)> {
    let dates::IsoDate {
        year,
        month,
        day,
        time,
    } = dates::parse_iso(iso)?;
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    match time {
        Some((hour, minute)) => Some((
            date.and_hms(u16::try_from(hour).ok()?, u8::try_from(minute).ok()?, 0)
                .ok()?,
            true,
        )),
        None => Some((date, false)),
    }
}

/// One CSV line (RFC 4180 quoting) with this separator.
pub fn csv_line<'a>(cells: impl Iterator<Item = &'a str>, separator: char) -> String {
    let mut line = cells
        .map(|cell| {
            if cell.contains([separator, '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(&separator.to_string());
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn grid() -> Grid {
        Grid {
            title: "Essai".into(),
            about: vec![("Vague".into(), "Vague 2".into())],
            columns: vec![
                Column::machines("form", "Code"),
                Column::new("form_label", "Forme juridique"),
                Column::new("budget", "Budget (€)"),
                Column::new("share", "Part"),
            ],
            rows: vec![
                vec![
                    Cell::Text("scic".into()),
                    Cell::Text("SCIC; « coop »".into()),
                    Cell::Money(Some(2_581_500.5)),
                    Cell::Share(Some(0.432)),
                ],
                vec![
                    Cell::Text("unknown".into()),
                    Cell::Text("Non précisée".into()),
                    Cell::Money(None),
                    Cell::Share(None),
                ],
            ],
            notes: vec!["Une note.".into()],
            sheet: "Essai".into(),
        }
    }

    #[test]
    fn header_labels_wrap_at_words() {
        assert_eq!(wrapped_lines("Dossiers", 14), 1);
        assert_eq!(wrapped_lines("Toutes vagues – Budget médian (€)", 14), 3);
    }

    #[test]
    fn the_two_csv_dialects() {
        assert_eq!(
            grid().to_csv(CsvDialect::Machine),
            "form,form_label,budget,share\r\nscic,SCIC; « coop »,2581500.5,0.432\r\nunknown,Non précisée,,\r\n"
        );
        assert_eq!(
            grid().to_csv(CsvDialect::FrenchExcel),
            "\u{feff}Forme juridique;Budget (€);Part\r\n\"SCIC; « coop »\";2581500,5;0,432\r\nNon précisée;;\r\n"
        );
    }

    #[test]
    fn missing_reads_as_a_dash_not_zero() {
        let table = grid().to_table();
        assert!(table.contains("Vague : Vague 2"), "{table}");
        let last = table
            .lines()
            .find(|l| l.starts_with("Non précisée"))
            .unwrap();
        assert!(last.contains('—') && !last.contains('0'), "{last}");
    }
}
