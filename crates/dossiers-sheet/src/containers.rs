//! Checks on the container around a workbook, done before calamine opens it, because calamine
//! trusts what containers declare: a zip entry's inflated size and ratio, an OLE sector chain.
//! A hostile container should end here in a typed error, in microseconds.

use std::io::{Cursor, Read};

use dossiers_document::{ExtractError, Limits, Result};

/// The OLE2 compound-file signature (`.xls`, `.doc`, and encrypted OOXML packages).
pub(crate) const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Checks every entry of a zip archive from the central directory, without inflating anything:
/// entry count, declared inflated size, inflate ratio and total, against the limits. The zip
/// crate then enforces the declared sizes while calamine reads.
pub(crate) fn precheck_zip(bytes: &[u8], limits: &Limits, format: &str) -> Result<()> {
    if bytes.starts_with(&CFB_MAGIC) {
        return Err(ole_instead_of_zip(bytes, format));
    }
    if !bytes.starts_with(b"PK") {
        return Err(ExtractError::corrupt(format!(
            "{format}: not a zip archive"
        )));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    if archive.len() > limits.max_zip_entries {
        return Err(ExtractError::too_large(
            "zip entries",
            limits.max_zip_entries as u64,
        ));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index)?;
        if entry.encrypted() {
            return Err(ExtractError::encrypted(format!(
                "{format}: zip entry {} is encrypted",
                String::from_utf8_lossy(entry.name_raw())
            )));
        }
        let size = entry.size();
        if size > limits.max_entry_bytes {
            return Err(ExtractError::too_large(
                "inflated size of a zip entry",
                limits.max_entry_bytes,
            ));
        }
        if size > limits.min_ratio_check_bytes
            && size / entry.compressed_size().max(1) > limits.max_inflate_ratio
        {
            return Err(ExtractError::too_large(
                "inflate ratio of a zip entry",
                limits.max_inflate_ratio,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_inflated_bytes {
            return Err(ExtractError::too_large(
                "total inflated size",
                limits.max_total_inflated_bytes,
            ));
        }
    }
    Ok(())
}

/// An OLE container where a zip was expected: an encrypted OOXML/ODF package (Office wraps
/// those in an `EncryptedPackage` stream), or a file in another format.
fn ole_instead_of_zip(bytes: &[u8], format: &str) -> ExtractError {
    match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(file) if file.is_stream("EncryptedPackage") || file.is_stream("/EncryptedPackage") => {
            ExtractError::encrypted(format!("{format}: password-protected package"))
        }
        Ok(_) => ExtractError::corrupt(format!(
            "{format}: an OLE compound file, not a zip archive (an .xls or .doc?)"
        )),
        Err(error) => ExtractError::corrupt(format!("{format}: broken OLE container: {error}")),
    }
}

/// Reads a whole entry of at most `limit` bytes, for small parts read before calamine.
pub(crate) fn read_small_entry(bytes: &[u8], name: &str, limit: u64) -> Result<Option<Vec<u8>>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let Ok(entry) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    entry
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|error| ExtractError::corrupt(format!("zip entry {name}: {error}")))?;
    Ok(Some(out))
}
