//! Spreadsheet readers: `.xls` (BIFF5/8 in an OLE container), `.xlsx` and `.ods`, through
//! calamine, into the shared [`Document`] model (one `sheet` story per sheet, one table each).
//!
//! calamine does the parsing; this crate stands between it and hostile bytes. Each format is
//! opened with its own calamine reader (never the auto-detecting one, which hides the real
//! error), after a pre-check that calamine does not do: the OLE container is validated with the
//! `cfb` crate and rebuilt before calamine sees it, zip entries are checked for size and ratio,
//! and cell counts are estimated before calamine lays a sheet out densely. Every calamine call
//! runs under `catch_unwind`, and every cell is charged to the [`Budget`].

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
