//! Spreadsheet readers (stubs until the readers land).

use dossiers_document::{Document, ExtractError, Limits, Result};

/// Reads an Excel 97-2003 (BIFF8, or BIFF5 in an OLE container) workbook.
pub fn read_xls(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("xls (reader not built yet)"))
}

/// Reads an Office Open XML workbook (transitional or strict).
pub fn read_xlsx(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("xlsx (reader not built yet)"))
}

/// Reads an OpenDocument spreadsheet.
pub fn read_ods(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("ods (reader not built yet)"))
}
