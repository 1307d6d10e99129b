//! Format detection from content: magic bytes first, then a look inside the container (the CFB
//! streams, the zip's content types or ODF mimetype, the XML root).

use std::io::Cursor;

use dossiers_document::zipped::SafeZip;
use dossiers_document::{Budget, ExtractError, Format, Limits, Result};

/// What the bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sniffed {
    Format(Format),
    /// A format we recognise but do not read, by name (`pdf`, `pptx`…).
    Unsupported(String),
    /// A container that only holds an encrypted package.
    Encrypted(String),
}

const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn sniff(bytes: &[u8], limits: &Limits) -> Result<Sniffed> {
    if bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Err(ExtractError::corrupt("empty file"));
    }
    if bytes.starts_with(CFB_MAGIC) {
        return sniff_cfb(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(bytes, limits);
    }
    if is_rtf(bytes) {
        return Ok(Sniffed::Format(Format::Rtf));
    }
    let unsupported = |name: &str| Ok(Sniffed::Unsupported(name.to_owned()));
    match bytes {
        [b'%', b'P', b'D', b'F', ..] => unsupported("pdf"),
        [0x89, b'P', b'N', b'G', ..] => unsupported("png image"),
        [0xFF, 0xD8, 0xFF, ..] => unsupported("jpeg image"),
        [b'G', b'I', b'F', b'8', ..] => unsupported("gif image"),
        [0x9B, 0xA5, ..] | [0xDB, 0xA5, ..] => unsupported("word 1/2 document"),
        [0xFF, b'W', b'P', b'C', ..] => unsupported("wordperfect document"),
        _ => Ok(sniff_text(bytes)),
    }
}

/// `{\rtf`, after blanks or a UTF-8 byte-order mark at most.
fn is_rtf(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .take(64)
        .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
        .count();
    bytes
        .get(start..)
        .is_some_and(|rest| rest.starts_with(b"{\\rtf"))
}

fn sniff_cfb(bytes: &[u8]) -> Result<Sniffed> {
    let container = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|error| ExtractError::corrupt(format!("ole container: {error}")))?;
    let has = |name: &str| {
        container
            .read_root_storage()
            .any(|entry| entry.name().eq_ignore_ascii_case(name))
    };
    if has("WordDocument") {
        Ok(Sniffed::Format(Format::Doc))
    } else if has("Workbook") || has("Book") {
        Ok(Sniffed::Format(Format::Xls))
    } else if has("EncryptedPackage") {
        Ok(Sniffed::Encrypted(
            "password-protected office document (encrypted OOXML package)".into(),
        ))
    } else if has("PowerPoint Document") {
        Ok(Sniffed::Unsupported("ppt presentation".into()))
    } else {
        Ok(Sniffed::Unsupported(
            "ole container without a Word or Excel stream".into(),
        ))
    }
}

fn sniff_zip(bytes: &[u8], limits: &Limits) -> Result<Sniffed> {
    let mut zip = SafeZip::open(bytes, limits)?;
    if zip.contains("mimetype") {
        let mut budget = Budget::new(limits);
        let mimetype = zip
            .read_text("mimetype", &mut budget)?
            .map(|part| part.text.trim().to_owned())
            .unwrap_or_default();
        return Ok(match mimetype.as_str() {
            "application/vnd.oasis.opendocument.text" => Sniffed::Format(Format::Odt),
            "application/vnd.oasis.opendocument.spreadsheet" => Sniffed::Format(Format::Ods),
            "application/vnd.oasis.opendocument.text-template" => Sniffed::Format(Format::Odt),
            "application/vnd.oasis.opendocument.spreadsheet-template" => {
                Sniffed::Format(Format::Ods)
            }
            other => Sniffed::Unsupported(format!("opendocument ({other})")),
        });
    }
    let names = zip.names();
    let any_under = |prefix: &str| names.iter().any(|name| name.starts_with(prefix));
    if any_under("word/") {
        Ok(Sniffed::Format(Format::Docx))
    } else if any_under("xl/") {
        Ok(Sniffed::Format(Format::Xlsx))
    } else if any_under("ppt/") {
        Ok(Sniffed::Unsupported("pptx presentation".into()))
    } else if zip.contains("content.xml") {
        // An ODF package that lost its mimetype entry: tell text from spreadsheet by the body.
        let mut budget = Budget::new(limits);
        let content = zip
            .read_text("content.xml", &mut budget)?
            .map(|part| part.text)
            .unwrap_or_default();
        if content.contains("<office:spreadsheet") {
            Ok(Sniffed::Format(Format::Ods))
        } else if content.contains("<office:text") {
            Ok(Sniffed::Format(Format::Odt))
        } else {
            Ok(Sniffed::Unsupported("opendocument".into()))
        }
    } else {
        Ok(Sniffed::Unsupported("zip archive".into()))
    }
}

fn sniff_text(bytes: &[u8]) -> Sniffed {
    let head = String::from_utf8_lossy(bytes.get(..4096).unwrap_or(bytes)).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    let name = if start.starts_with('<') {
        if head.contains("w:worddocument")
            || head.contains("schemas.microsoft.com/office/word/2003/wordml")
        {
            "wordml (word 2003 xml)"
        } else if head.contains("<office:document") {
            "flat opendocument xml"
        } else if head.contains("<html") || head.contains("<!doctype html") {
            "html"
        } else if head.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            "spreadsheetml (excel 2003 xml)"
        } else {
            "xml"
        }
    } else if bytes
        .iter()
        .take(4096)
        .all(|b| !matches!(b, 0..=8 | 14..=31))
    {
        "plain text"
    } else {
        "unknown binary"
    };
    Sniffed::Unsupported(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: &str) {
        let got = match sniff(bytes, &Limits::default()) {
            Ok(Sniffed::Format(format)) => format.name().to_owned(),
            Ok(Sniffed::Unsupported(what)) => format!("unsupported {what}"),
            Ok(Sniffed::Encrypted(what)) => format!("encrypted {what}"),
            Err(error) => format!("error {}", error.kind()),
        };
        assert_eq!(got, expected, "{:?}", String::from_utf8_lossy(bytes));
    }

    #[test]
    fn magic_bytes() {
        check(b"", "error corrupt");
        check(b"  \n", "error corrupt");
        check(b"{\\rtf1\\ansi hello}", "rtf");
        check(b"\xef\xbb\xbf\r\n{\\rtf1 hello}", "rtf");
        check(b"x{\\rtf1 hello}", "unsupported plain text");
        check(b"%PDF-1.7\n", "unsupported pdf");
        check(b"\x89PNG\r\n\x1a\n", "unsupported png image");
        check(
            b"<?xml version=\"1.0\"?><w:wordDocument xmlns:w=\"x\"/>",
            "unsupported wordml (word 2003 xml)",
        );
        check(b"<html><body>x</body></html>", "unsupported html");
        check(b"Bonjour, ceci est du texte.", "unsupported plain text");
        check(b"\x00\x01\x02\x03garbage", "unsupported unknown binary");
        check(CFB_MAGIC, "error corrupt");
        check(b"PK\x03\x04truncated", "error corrupt");
    }
}
