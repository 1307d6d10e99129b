//! Reading the optional parts of a package (headers, notes, styles, properties) with one policy:
//! a part that is missing is fine, a part that is damaged is skipped or kept in part with a
//! warning, and only a limit or encryption ends the document.

use dossiers_document::zipped::{ZipText, decode_xml_bytes};
use dossiers_document::{Budget, Document, ExtractError, Result, WarningCode};

use crate::package::Package;

/// Reads a part that the document can do without: `None` when it is absent or unreadable (a
/// `part_skipped` warning says which), an error only for limits and encryption.
pub(crate) fn read_optional_part(
    zip: &mut Package<'_>,
    name: &str,
    budget: &mut Budget,
    document: &mut Document,
) -> Result<Option<ZipText>> {
    match read_xml(zip, name, budget) {
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

/// Reads an XML part as text. Valid UTF-8 without a BOM (nearly every part) is taken over
/// without a copy; anything else goes through the shared lossy decoder.
pub(crate) fn read_xml(
    zip: &mut Package<'_>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<ZipText>> {
    let Some(part) = zip.read(name, budget)? else {
        return Ok(None);
    };
    let has_bom = part.bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || part.bytes.starts_with(&[0xFF, 0xFE])
        || part.bytes.starts_with(&[0xFE, 0xFF]);
    let text = if has_bom {
        decode_xml_bytes(&part.bytes)
    } else {
        String::from_utf8(part.bytes).unwrap_or_else(|error| decode_xml_bytes(error.as_bytes()))
    };
    Ok(Some(ZipText {
        text,
        damage: part.damage,
    }))
}
