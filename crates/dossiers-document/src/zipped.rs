//! A zip reader that will not be bombed: entry count, inflated size, inflate ratio and the
//! document's total inflated bytes are all checked before and while an entry is read.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::{Budget, ExtractError, Limits, Result};

/// An opened zip archive (OOXML, ODF) held in memory.
pub struct SafeZip<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
}

impl std::fmt::Debug for SafeZip<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeZip")
            .field("names", &self.names)
            .finish()
    }
}

/// One entry's inflated bytes. `damage` says why the bytes stop early (CRC error, truncated
/// stream); what was inflated before the damage is kept.
#[derive(Debug)]
pub struct ZipPart {
    pub bytes: Vec<u8>,
    pub damage: Option<String>,
}

impl<'a> SafeZip<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<SafeZip<'a>> {
        let archive = ZipArchive::new(Cursor::new(bytes))?;
        if archive.len() > limits.max_zip_entries {
            return Err(ExtractError::too_large(
                "zip entries",
                limits.max_zip_entries as u64,
            ));
        }
        let names = archive
            .file_names_raw()
            .map(|raw| String::from_utf8_lossy(raw).into_owned())
            .collect();
        Ok(SafeZip { archive, names })
    }

    /// Entry names in central-directory order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Reads one entry, or `None` when the archive has no such entry.
    pub fn read(&mut self, name: &str, budget: &mut Budget) -> Result<Option<ZipPart>> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let limits = budget.limits().clone();
        let mut entry = match self.archive.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(what)) if what.contains("assword") => {
                return Err(ExtractError::encrypted(format!("zip entry {name}")));
            }
            Err(error) => return Err(error.into()),
        };
        if entry.encrypted() {
            return Err(ExtractError::encrypted(format!("zip entry {name}")));
        }
        let declared = entry.size();
        if declared > limits.max_entry_bytes {
            return Err(ExtractError::too_large(
                "inflated size of a zip entry",
                limits.max_entry_bytes,
            ));
        }
        if declared > limits.min_ratio_check_bytes
            && declared / entry.compressed_size().max(1) > limits.max_inflate_ratio
        {
            return Err(ExtractError::too_large(
                "inflate ratio of a zip entry",
                limits.max_inflate_ratio,
            ));
        }
        budget.charge_inflated(declared)?;
        let mut bytes = Vec::with_capacity(declared.min(limits.max_entry_bytes) as usize);
        let mut limited = (&mut entry).take(limits.max_entry_bytes + 1);
        let damage = match read_to_end_partial(&mut limited, &mut bytes) {
            Ok(()) => None,
            Err(error) => Some(format!("zip entry {name}: {error}")),
        };
        if bytes.len() as u64 > limits.max_entry_bytes {
            return Err(ExtractError::too_large(
                "inflated size of a zip entry",
                limits.max_entry_bytes,
            ));
        }
        Ok(Some(ZipPart { bytes, damage }))
    }

    /// Reads an XML or text entry as UTF-8 (a UTF-8 BOM is dropped, UTF-16 is decoded, invalid
    /// sequences become U+FFFD).
    pub fn read_text(&mut self, name: &str, budget: &mut Budget) -> Result<Option<ZipText>> {
        Ok(self.read(name, budget)?.map(|part| ZipText {
            text: decode_xml_bytes(&part.bytes),
            damage: part.damage,
        }))
    }
}

/// A text entry, decoded.
#[derive(Debug)]
pub struct ZipText {
    pub text: String,
    pub damage: Option<String>,
}

/// Reads until the end or the first error, keeping what was read before the error.
fn read_to_end_partial(reader: &mut impl Read, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => out.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

/// Decodes the bytes of an XML part: UTF-8 (with or without BOM) or UTF-16 with a BOM.
pub fn decode_xml_bytes(bytes: &[u8]) -> String {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| match pair {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    char::decode_utf16(units)
        .map(|ch| ch.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}
