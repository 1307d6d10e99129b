//! Word 97-2003 `.doc` reader (stub until the reader lands).

use dossiers_document::{Document, ExtractError, Limits, Result};

/// Reads a Word 97-2003 (or Word 6/95) binary document.
pub fn read_doc(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("doc (reader not built yet)"))
}
