//! Document properties from the OLE property-set streams (`\x05SummaryInformation` and
//! `\x05DocumentSummaryInformation`, [MS-OLEPS]). Strings of type VT_LPSTR are in the code page
//! the set names in its property 1, which matters: LibreOffice writes UTF-8 (65001), old Macs
//! Mac Roman, Russian Word cp1251.

use dossiers_document::Metadata;
use encoding_rs::Encoding;

use crate::bytes::{slice, u16_at, u32_at, u64_at};

const PID_CODEPAGE: u32 = 1;
const VT_I2: u32 = 2;
const VT_I4: u32 = 3;
const VT_LPSTR: u32 = 0x1E;
const VT_LPWSTR: u32 = 0x1F;
const VT_FILETIME: u32 = 0x40;
/// Bound on properties read from one set: real sets have a few dozen.
const MAX_PROPERTIES: usize = 1024;

#[derive(Debug)]
enum Value {
    Int(i64),
    Text(String),
    FileTime(u64),
}

/// The properties of the first section of a property-set stream, by PID.
fn parse_first_section(stream: &[u8]) -> Option<Vec<(u32, Value)>> {
    if u16_at(stream, 0)? != 0xFFFE {
        return None;
    }
    let n_sets = u32_at(stream, 24)?;
    if n_sets == 0 {
        return None;
    }
    let section_offset = u32_at(stream, 28 + 16)? as usize;
    let section_size = u32_at(stream, section_offset)? as usize;
    let section = stream
        .get(section_offset..section_offset.checked_add(section_size)?)
        .or_else(|| stream.get(section_offset..))?;
    let count = (u32_at(section, 4)? as usize).min(MAX_PROPERTIES);
    let mut entries = Vec::with_capacity(count);
    for i in 0..count {
        let pid = u32_at(section, 8 + 8 * i)?;
        let offset = u32_at(section, 12 + 8 * i)? as usize;
        entries.push((pid, offset));
    }
    // The code page comes first in meaning, not necessarily in order.
    let code_page = entries
        .iter()
        .find(|(pid, _)| *pid == PID_CODEPAGE)
        .and_then(|(_, offset)| {
            (u32_at(section, *offset)? & 0xFFFF == VT_I2).then_some(())?;
            u16_at(section, offset + 4)
        })
        .unwrap_or(1252);
    let mut values = Vec::with_capacity(count);
    for (pid, offset) in entries {
        if pid == PID_CODEPAGE {
            continue;
        }
        if let Some(value) = read_value(section, offset, code_page) {
            values.push((pid, value));
        }
    }
    Some(values)
}

fn read_value(section: &[u8], offset: usize, code_page: u16) -> Option<Value> {
    let kind = u32_at(section, offset)? & 0xFFFF;
    let data = offset.checked_add(4)?;
    match kind {
        VT_I2 => Some(Value::Int(i64::from(u16_at(section, data)? as i16))),
        VT_I4 => Some(Value::Int(i64::from(u32_at(section, data)? as i32))),
        VT_FILETIME => Some(Value::FileTime(u64_at(section, data)?)),
        VT_LPSTR => {
            let len = u32_at(section, data)? as usize;
            let bytes = slice(section, data + 4, len)?;
            Some(Value::Text(decode_code_page(bytes, code_page)))
        }
        VT_LPWSTR => {
            let len = u32_at(section, data)? as usize;
            let bytes = slice(section, data + 4, len.checked_mul(2)?)?;
            Some(Value::Text(decode_utf16le(bytes)))
        }
        _ => None,
    }
}

fn decode_utf16le(bytes: &[u8]) -> String {
    let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
    text.trim_end_matches('\0').to_owned()
}

/// Decodes `bytes` in Windows code page `code_page`, falling back to cp1252 for code pages that
/// encoding_rs does not know.
pub(crate) fn decode_code_page(bytes: &[u8], code_page: u16) -> String {
    if code_page == 1200 {
        return decode_utf16le(bytes);
    }
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = bytes.get(..end).unwrap_or(bytes);
    let encoding = encoding_for_code_page(code_page).unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

pub(crate) fn encoding_for_code_page(code_page: u16) -> Option<&'static Encoding> {
    let label: &[u8] = match code_page {
        65001 => b"utf-8",
        1250 => b"windows-1250",
        1251 => b"windows-1251",
        1252 | 20127 | 28591 => b"windows-1252",
        1253 => b"windows-1253",
        1254 => b"windows-1254",
        1255 => b"windows-1255",
        1256 => b"windows-1256",
        1257 => b"windows-1257",
        1258 => b"windows-1258",
        874 => b"windows-874",
        866 => b"ibm866",
        932 => b"shift_jis",
        936 => b"gbk",
        949 => b"euc-kr",
        950 => b"big5",
        10000 => b"macintosh",
        10007 => b"x-mac-cyrillic",
        20866 => b"koi8-r",
        21866 => b"koi8-u",
        28592 => b"iso-8859-2",
        28595 => b"iso-8859-5",
        28597 => b"iso-8859-7",
        28605 => b"iso-8859-15",
        _ => return None,
    };
    Encoding::for_label(label)
}

/// Fills `metadata` from the SummaryInformation stream; `false` when the stream is unreadable.
pub(crate) fn read_summary(stream: &[u8], metadata: &mut Metadata) -> bool {
    let Some(values) = parse_first_section(stream) else {
        return false;
    };
    for (pid, value) in values {
        match (pid, value) {
            (2, Value::Text(text)) => metadata.title = non_empty(text),
            (3, Value::Text(text)) => metadata.subject = non_empty(text),
            (4, Value::Text(text)) => metadata.author = non_empty(text),
            (8, Value::Text(text)) => metadata.last_modified_by = non_empty(text),
            (12, Value::FileTime(time)) => metadata.created = file_time_to_iso(time),
            (13, Value::FileTime(time)) => metadata.modified = file_time_to_iso(time),
            (14, Value::Int(n)) => metadata.pages = u64::try_from(n).ok(),
            (15, Value::Int(n)) => metadata.words = u64::try_from(n).ok(),
            (16, Value::Int(n)) => metadata.characters = u64::try_from(n).ok(),
            (18, Value::Text(text)) => metadata.application = non_empty(text),
            _ => {}
        }
    }
    true
}

/// Fills `metadata` from the DocumentSummaryInformation stream (the company).
pub(crate) fn read_document_summary(stream: &[u8], metadata: &mut Metadata) -> bool {
    let Some(values) = parse_first_section(stream) else {
        return false;
    };
    for (pid, value) in values {
        if let (15, Value::Text(text)) = (pid, value) {
            metadata.company = non_empty(text);
        }
    }
    true
}

fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_owned())
    }
}

/// A FILETIME (100 ns ticks since 1601-01-01 UTC) as `2022-01-12T09:31:00Z`; `None` for zero
/// or for values outside years 1601..=9999.
pub(crate) fn file_time_to_iso(ticks: u64) -> Option<String> {
    if ticks == 0 {
        return None;
    }
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    let seconds = i64::try_from(ticks / 10_000_000).ok()? - SECONDS_1601_TO_1970;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = dossiers_document::dates::civil_from_days(days);
    if !(1601..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_time_is_iso_utc() {
        // 2022-01-12T09:31:00Z = 1641979860 s after the Unix epoch.
        let ticks = (1_641_979_860u64 + 11_644_473_600) * 10_000_000;
        assert_eq!(
            file_time_to_iso(ticks).as_deref(),
            Some("2022-01-12T09:31:00Z")
        );
        assert_eq!(file_time_to_iso(0), None);
    }

    #[test]
    fn code_pages_decode_through_encoding_rs() {
        assert_eq!(decode_code_page("Enquête".as_bytes(), 65001), "Enquête");
        assert_eq!(
            decode_code_page(&[0x45, 0x6E, 0x71, 0x75, 0x90, 0x74, 0x65, 0], 10000),
            "Enquête"
        );
        assert_eq!(decode_code_page(&[0xCF, 0xF0, 0xE8], 1251), "При");
    }
}
