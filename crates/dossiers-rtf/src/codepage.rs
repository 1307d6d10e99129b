//! Code pages: which encoding a `\'hh` byte (or a raw 8-bit byte) is in. The document names its
//! code page (`\ansicpgN`, or `\ansi` / `\mac` / `\pc` / `\pca`); each font may name a
//! character set (`\fcharsetN`) or its own code page (`\cpgN`) that overrides it. Decoding goes
//! through encoding_rs; the symbol fonts (Symbol, Wingdings) get a small table of their own
//! because their bytes are glyph numbers, not characters of any code page.

use encoding_rs::Encoding;

/// How the bytes of a run are to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charset {
    Code(&'static Encoding),
    /// IBM PC code pages 437 / 850, which encoding_rs does not carry: their upper half is
    /// read through a table here.
    Oem,
    /// The Symbol font: Greek letters and mathematical signs.
    Symbol,
    /// Wingdings and the like: bullets and boxes.
    Dingbats,
}

/// The encoding of a Windows (or Mac) code page number, when encoding_rs knows it.
pub(crate) fn encoding_of_codepage(codepage: i32) -> Option<Charset> {
    let label: &[u8] = match codepage {
        437 | 850 => return Some(Charset::Oem),
        874 => b"windows-874",
        932 | 10001 => b"shift_jis",
        936 | 10008 => b"gbk",
        949 | 10003 => b"euc-kr",
        950 | 10002 => b"big5",
        1250 => b"windows-1250",
        1251 => b"windows-1251",
        1252 => b"windows-1252",
        1253 => b"windows-1253",
        1254 => b"windows-1254",
        1255 => b"windows-1255",
        1256 => b"windows-1256",
        1257 => b"windows-1257",
        1258 => b"windows-1258",
        10000 => b"macintosh",
        10007 => b"x-mac-cyrillic",
        20866 => b"koi8-r",
        21866 => b"koi8-u",
        28591 => b"iso-8859-1",
        28592 => b"iso-8859-2",
        28595 => b"iso-8859-5",
        65001 => b"utf-8",
        _ => return None,
    };
    Encoding::for_label(label).map(Charset::Code)
}

/// The code page a font's `\fcharsetN` stands for. `None` means "the document's code page"
/// (ANSI and DEFAULT), as Word itself reads them.
pub(crate) fn codepage_of_charset(charset: i32) -> Option<i32> {
    Some(match charset {
        0 | 1 => return None,
        2 => return None,
        77 | 256 => 10000,
        78 => 10001,
        79 => 10003,
        80 => 10008,
        81 => 10002,
        89 => 10007,
        128 => 932,
        129 => 949,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        254 => 437,
        255 => 850,
        _ => return None,
    })
}

/// Decodes bytes of one charset, appending to `out`.
pub(crate) fn decode_into(charset: Charset, bytes: &[u8], out: &mut String) {
    match charset {
        Charset::Code(encoding) => {
            let (text, _) = encoding.decode_without_bom_handling(bytes);
            out.push_str(&text);
        }
        Charset::Oem => out.extend(bytes.iter().map(|&b| oem_char(b))),
        Charset::Symbol => out.extend(bytes.iter().filter_map(|&b| symbol_char(b))),
        Charset::Dingbats => out.extend(bytes.iter().filter_map(|&b| dingbat_char(b))),
    }
}

/// Code page 437's upper half (the lower half is ASCII).
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

fn oem_char(byte: u8) -> char {
    if byte < 0x80 {
        return char::from(byte);
    }
    CP437_HIGH
        .chars()
        .nth(usize::from(byte - 0x80))
        .unwrap_or('\u{fffd}')
}

/// The Symbol font's letters are Greek; a few signs are worth keeping, the rest is dropped.
fn symbol_char(byte: u8) -> Option<char> {
    const GREEK_UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const GREEK_LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    Some(match byte {
        b'A'..=b'Z' => GREEK_UPPER.chars().nth(usize::from(byte - b'A'))?,
        b'a'..=b'z' => GREEK_LOWER.chars().nth(usize::from(byte - b'a'))?,
        0x20..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E => char::from(byte),
        0xB7 => '•',
        0xA3 => '≤',
        0xB3 => '≥',
        0xB1 => '±',
        0xB4 => '×',
        0xB8 => '÷',
        0xAE => '→',
        0xAC => '←',
        0xA5 => '∞',
        0xB0 => '°',
        0xD7 => '·',
        _ => return None,
    })
}

/// Wingdings bullets and the check boxes forms are made of; other glyphs are dropped.
fn dingbat_char(byte: u8) -> Option<char> {
    Some(match byte {
        0x6F | 0xA8 => '☐',
        0x6E | 0xA7 => '▪',
        0x71 | 0x72 => '❑',
        0x76 => '❖',
        0x77 | 0x9F | 0xA1 | 0x9E => '•',
        0x78 | 0xFB | 0xFD => '☒',
        0xFC => '✓',
        0xFE => '☑',
        0xD8 => '➢',
        0xE0 | 0xE8 => '➔',
        _ => return None,
    })
}

/// A private-use character U+F020..U+F0FF written by Word for a glyph of a symbol font.
pub(crate) fn private_use_symbol(charset: Charset, ch: char) -> Option<Option<char>> {
    let code = u32::from(ch);
    if !(0xF020..=0xF0FF).contains(&code) {
        return None;
    }
    let byte = u8::try_from(code - 0xF000).ok()?;
    Some(match charset {
        Charset::Dingbats => dingbat_char(byte),
        _ => symbol_char(byte),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(charset: Charset, bytes: &[u8]) -> String {
        let mut out = String::new();
        decode_into(charset, bytes, &mut out);
        out
    }

    #[test]
    fn code_pages_and_charsets() {
        let cp = |n| encoding_of_codepage(n).unwrap();
        assert_eq!(decode(cp(1252), b"\xe9t\xe9 \x80"), "été €");
        assert_eq!(decode(cp(1250), b"\xbf\xf3\xb3\xe6"), "żółć");
        assert_eq!(decode(cp(1251), b"\xcf\xf0\xe8"), "При");
        assert_eq!(decode(cp(932), b"\x82\xa0"), "あ");
        assert_eq!(decode(cp(10000), b"\x8e"), "é");
        assert_eq!(decode(cp(437), b"\x82\xe1"), "éß");
        assert_eq!(codepage_of_charset(204), Some(1251));
        assert_eq!(codepage_of_charset(0), None);
    }

    #[test]
    fn symbol_fonts() {
        assert_eq!(decode(Charset::Symbol, b"abg\xb7"), "αβγ•");
        assert_eq!(decode(Charset::Dingbats, b"\xa8\xfd"), "☐☒");
        assert_eq!(
            private_use_symbol(Charset::Symbol, '\u{f0b7}'),
            Some(Some('•'))
        );
        assert_eq!(private_use_symbol(Charset::Symbol, 'a'), None);
    }
}
