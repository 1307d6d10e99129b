//! `.docx` and `.odt` readers (stubs until the readers land).

use dossiers_document::{Document, ExtractError, Limits, Result};

/// Reads an Office Open XML word-processing document (transitional or strict).
pub fn read_docx(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("docx (reader not built yet)"))
}

/// Reads an OpenDocument text document.
pub fn read_odt(_bytes: &[u8], _limits: &Limits) -> Result<Document> {
    Err(ExtractError::unsupported("odt (reader not built yet)"))
}
