//! Reading the optional parts of a package (headers, notes, styles, properties) with one policy:
//! a part that is missing is fine, a part that is damaged is skipped or kept in part with a
//! warning, and only a limit or encryption ends the document.

use dossiers_document::zipped::{SafeZip, ZipText};
use dossiers_document::{Budget, Document, ExtractError, Result, WarningCode};

/// Reads a part that the document can do without: `None` when it is absent or unreadable (a
/// `part_skipped` warning says which), an error only for limits and encryption.
pub(crate) fn read_optional_part(
    zip: &mut SafeZip<'_>,
    name: &str,
    budget: &mut Budget,
    document: &mut Document,
) -> Result<Option<ZipText>> {
    match zip.read_text(name, budget) {
        Ok(text) => Ok(text),
        Err(ExtractError::Corrupt { reason, .. }) => {
            document.warn(WarningCode::PartSkipped, format!("{name}: {reason}"));
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Notes that a part was damaged and that what precedes the damage was kept.
pub(crate) fn record_damage(document: &mut Document, name: &str, damage: Option<String>) {
    if let Some(reason) = damage {
        document.warn(
            WarningCode::Recovered,
            format!("{name}: {reason}; the text before the damage was kept"),
        );
    }
}
