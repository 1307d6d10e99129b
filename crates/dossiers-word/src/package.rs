//! The zip container of a docx or odt, or what can be salvaged of it.
//!
//! A dossier cut short in transfer loses the zip's central directory, which sits at the end, and
//! an ordinary zip reader then sees nothing at all. The local entry headers are still there, one
//! before each entry, so [`Package::open`] falls back to walking them: every entry that inflates
//! (completely or in part) stays readable. The same limits apply as in
//! [`SafeZip`]: entry size, inflate ratio, total inflated bytes and entry count.

use dossiers_document::zipped::{SafeZip, ZipPart};
use dossiers_document::{Budget, ExtractError, Result};
use flate2::{Decompress, FlushDecompress, Status};

const LOCAL_HEADER: &[u8; 4] = b"PK\x03\x04";

#[derive(Debug)]
pub(crate) enum Package<'a> {
    Zip(SafeZip<'a>),
    /// Entries read from the local headers of a zip without a usable central directory.
    Salvaged {
        entries: Vec<(String, ZipPart)>,
        /// Why the archive could not be opened normally.
        reason: String,
    },
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8], budget: &mut Budget) -> Result<Package<'a>> {
        match SafeZip::open(bytes, budget.limits()) {
            Ok(zip) => Ok(Package::Zip(zip)),
            Err(ExtractError::Corrupt { reason, .. }) if bytes.starts_with(LOCAL_HEADER) => {
                let entries = salvage(bytes, budget)?;
                Ok(Package::Salvaged { entries, reason })
            }
            Err(ExtractError::Corrupt { reason, .. }) => Err(ExtractError::corrupt(format!(
                "not a zip package (no zip signature at the start): {reason}"
            ))),
            Err(other) => Err(other),
        }
    }

    /// Why the package was salvaged, when it was.
    pub(crate) fn damage(&self) -> Option<String> {
        match self {
            Package::Zip(_) => None,
            Package::Salvaged { entries, reason } => Some(format!(
                "truncated or damaged zip package ({reason}); {} entries salvaged from their local headers",
                entries.len()
            )),
        }
    }

    pub(crate) fn names(&self) -> Vec<&str> {
        match self {
            Package::Zip(zip) => zip.names().iter().map(String::as_str).collect(),
            Package::Salvaged { entries, .. } => {
                entries.iter().map(|(name, _)| name.as_str()).collect()
            }
        }
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        match self {
            Package::Zip(zip) => zip.contains(name),
            Package::Salvaged { entries, .. } => entries.iter().any(|(n, _)| n == name),
        }
    }

    pub(crate) fn read(&mut self, name: &str, budget: &mut Budget) -> Result<Option<ZipPart>> {
        match self {
            Package::Zip(zip) => zip.read(name, budget),
            Package::Salvaged { entries, .. } => {
                Ok(entries
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, part)| ZipPart {
                        bytes: part.bytes.clone(),
                        damage: part.damage.clone(),
                    }))
            }
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let pair = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes(pair.try_into().ok()?)))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let quad = bytes.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes(quad.try_into().ok()?)).ok()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let haystack = bytes.get(from..)?;
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|i| from + i)
}

/// Walks the local headers from the start of the file.
fn salvage(bytes: &[u8], budget: &mut Budget) -> Result<Vec<(String, ZipPart)>> {
    let limits = budget.limits().clone();
    let mut entries = Vec::new();
    let mut at = 0;
    while let Some(start) = find(bytes, at, LOCAL_HEADER) {
        if entries.len() >= limits.max_zip_entries {
            return Err(ExtractError::too_large(
                "zip entries",
                limits.max_zip_entries as u64,
            ));
        }
        budget.check_time()?;
        let header = |offset| start.checked_add(offset);
        let (Some(flags), Some(method), Some(compressed), Some(name_len), Some(extra_len)) = (
            header(6).and_then(|at| u16_at(bytes, at)),
            header(8).and_then(|at| u16_at(bytes, at)),
            header(18).and_then(|at| u32_at(bytes, at)),
            header(26).and_then(|at| u16_at(bytes, at)),
            header(28).and_then(|at| u16_at(bytes, at)),
        ) else {
            break;
        };
        let name_start = start + 30;
        let Some(name) = bytes.get(name_start..name_start + name_len) else {
            break;
        };
        let name = String::from_utf8_lossy(name).into_owned();
        let data_start = name_start + name_len + extra_len;
        if flags & 1 != 0 {
            return Err(ExtractError::encrypted(format!("zip entry {name}")));
        }
        // Bit 3: sizes follow the data, so the header's are zero and the data must tell.
        let size_known = flags & 8 == 0 && compressed > 0;
        let data = if size_known {
            bytes
                .get(data_start..data_start.saturating_add(compressed))
                .or_else(|| bytes.get(data_start..))
        } else {
            bytes.get(data_start..)
        }
        .unwrap_or_default();
        let (part, consumed) = match method {
            0 => {
                let end = if size_known {
                    data.len()
                } else {
                    find(data, 0, LOCAL_HEADER).unwrap_or(data.len())
                };
                let stored = data.get(..end).unwrap_or_default().to_vec();
                budget.charge_inflated(stored.len() as u64)?;
                let part = ZipPart {
                    bytes: stored,
                    damage: None,
                };
                (part, end)
            }
            8 => inflate(data, &name, budget)?,
            other => {
                let part = ZipPart {
                    bytes: Vec::new(),
                    damage: Some(format!("zip entry {name}: compression method {other}")),
                };
                (part, 0)
            }
        };
        if !name.ends_with('/') {
            entries.push((name, part));
        }
        at = data_start.saturating_add(consumed.max(1));
    }
    Ok(entries)
}

/// Inflates one raw deflate stream, keeping what comes out before a cut or an error. Returns
/// the part and how many input bytes the stream used.
fn inflate(data: &[u8], name: &str, budget: &mut Budget) -> Result<(ZipPart, usize)> {
    let limits = budget.limits().clone();
    let mut decompress = Decompress::new(false);
    let mut out: Vec<u8> = Vec::with_capacity(data.len().saturating_mul(4).min(1 << 20));
    let damage = loop {
        if out.capacity() - out.len() < 16 * 1024 {
            out.reserve(64 * 1024);
        }
        let (in_before, out_before) = (decompress.total_in(), decompress.total_out());
        let consumed = usize::try_from(in_before).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or_default();
        match decompress.decompress_vec(input, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => break None,
            Ok(_) => {
                if decompress.total_in() == in_before && decompress.total_out() == out_before {
                    break Some(format!("zip entry {name}: data cut short"));
                }
            }
            Err(error) => break Some(format!("zip entry {name}: {error}")),
        }
        let inflated = out.len() as u64;
        if inflated > limits.max_entry_bytes {
            return Err(ExtractError::too_large(
                "inflated size of a zip entry",
                limits.max_entry_bytes,
            ));
        }
        if inflated > limits.min_ratio_check_bytes
            && inflated / decompress.total_in().max(1) > limits.max_inflate_ratio
        {
            return Err(ExtractError::too_large(
                "inflate ratio of a zip entry",
                limits.max_inflate_ratio,
            ));
        }
    };
    budget.charge_inflated(out.len() as u64)?;
    let consumed = usize::try_from(decompress.total_in()).unwrap_or(data.len());
    Ok((ZipPart { bytes: out, damage }, consumed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_document::Limits;
    use std::io::Write;

    fn zip_bytes(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        for (name, content) in entries {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            writer.start_file(*name, options).unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn a_zip_cut_short_keeps_its_complete_entries_and_the_start_of_the_last() {
        let long: String = (0..5000).map(|i| format!("mot{i} ")).collect();
        let bytes = zip_bytes(&[("a.xml", "<a>premier</a>"), ("b.xml", &long)]);
        let cut = bytes.len() / 2;
        let mut budget = Budget::new(&Limits::default());
        let mut package = Package::open(&bytes[..cut], &mut budget).unwrap();
        assert!(package.damage().is_some());
        assert_eq!(package.names(), ["a.xml", "b.xml"]);
        let first = package.read("a.xml", &mut budget).unwrap().unwrap();
        assert_eq!(first.bytes, b"<a>premier</a>");
        assert!(first.damage.is_none());
        let last = package.read("b.xml", &mut budget).unwrap().unwrap();
        assert!(last.damage.is_some());
        assert!(last.bytes.len() < long.len());
        assert!(long.as_bytes().starts_with(&last.bytes));
    }

    #[test]
    fn bytes_without_a_zip_signature_are_corrupt() {
        let mut budget = Budget::new(&Limits::default());
        let error = Package::open(b"not a zip at all", &mut budget).unwrap_err();
        assert_eq!(error.kind(), "corrupt");
    }
}
