//! Spreadsheet readers: `.xls` (BIFF5/8 in an OLE container), `.xlsx` and `.ods`, through
//! calamine, into the shared [`Document`] model (one `sheet` story per sheet, one table each).
//!
//! calamine does the parsing; this crate stands between it and hostile bytes. Each format is
//! opened with its own calamine reader (never the auto-detecting one, which hides the real
//! error), after pre-checks that calamine does not do: the OLE container is validated with the
//! `cfb` crate and rebuilt before calamine sees it, zip entries are checked for size and ratio,
//! sizes that calamine would allocate on trust (declared string counts, dimensions, repeat
//! counts) are checked or neutralised, and cell counts are estimated before calamine lays a
//! sheet out densely. Every calamine call runs under `catch_unwind`, and every cell and
//! character is charged to the [`Budget`](dossiers_document::Budget).
//!
//! What a cell reads as (`Cell::text`) is settled in one place, `cells`: numbers as in a
//! "General" cell (`1234.5`, at most 15 significant digits), percentages as `80%`, booleans as
//! `TRUE`/`FALSE`, dates as ISO (`2022-01-13`, `2022-01-13 10:30:00`), errors as `#DIV/0!`;
//! `Cell::value` keeps the typed cached value and `Cell::address` the A1 reference.

mod cells;
mod containers;
mod ods;
mod rc4;
mod workbook;
mod xls;
mod xlsx;

use dossiers_document::{Document, Limits, Result};

/// Reads an Excel 97-2003 (BIFF8, or BIFF5 in an OLE container) workbook.
pub fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Document> {
    xls::read(bytes, limits)
}

/// Reads an Office Open XML workbook (transitional or strict).
pub fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Document> {
    xlsx::read(bytes, limits)
}

/// Reads an OpenDocument spreadsheet.
pub fn read_ods(bytes: &[u8], limits: &Limits) -> Result<Document> {
    ods::read(bytes, limits)
}
