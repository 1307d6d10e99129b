//! What a reader sees where the text stream holds a placeholder: symbol-font glyphs (stored as
//! `(` with the real glyph in the character properties) and legacy form fields, whose checkbox
//! state or chosen list entry lives in the Data stream rather than in the text. French
//! administrative forms are full of both ("☒ Association ☐ SCIC"), and the ticked box is
//! the answer.

use crate::bytes::{slice, u16_at, u32_at};

/// The value a form field shows that is not in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FormValue {
    Checkbox(bool),
    Choice(String),
}

/// A symbol-font glyph (Wingdings, Symbol) as the Unicode character it looks like, for the few
/// glyphs that carry meaning in forms and lists; `None` for the others (pictographs that have no
/// place in plain text).
pub(crate) fn symbol_char(xchar: u16) -> Option<char> {
    let glyph = match xchar {
        0xF000..=0xF0FF => xchar - 0xF000,
        0x0000..=0x00FF => xchar,
        // A real Unicode character inserted through the symbol dialog.
        _ => return char::from_u32(u32::from(xchar)),
    };
    let ch = match glyph {
        0xA8 | 0x6F | 0x71 | 0x72 => '☐',
        0xFD | 0x78 => '☒',
        0xFE => '☑',
        0xFC => '✓',
        0xFB => '✗',
        0xB7 => '•',
        0xA7 => '▪',
        0x6E => '■',
        _ => return None,
    };
    Some(ch)
}

/// Reads the FFData of a form field from the Data stream: at `offset` a 68-byte header (a
/// length and the header size), then the FFData ([MS-DOC] 2.9.78).
pub(crate) fn read_form_field(data: &[u8], offset: u32) -> Option<FormValue> {
    let offset = usize::try_from(offset).ok()?;
    let header_size = usize::from(u16_at(data, offset.checked_add(4)?)?);
    let ff = offset.checked_add(header_size)?;
    if u32_at(data, ff)? != 0xFFFF_FFFF {
        return None;
    }
    let bits = u16_at(data, ff + 4)?;
    let kind = bits & 0x3;
    let result = (bits >> 2) & 0x1F;
    // After the version and bits: cch and hps, then the name.
    let mut at = skip_xstz(data, ff + 10)?;
    match kind {
        1 => {
            let default = u16_at(data, at)?;
            // 25 means "not set: show the default".
            let checked = if result == 25 {
                default != 0
            } else {
                result != 0
            };
            Some(FormValue::Checkbox(checked))
        }
        2 => {
            let default = u16_at(data, at)?;
            at += 2;
            // Format, help text, status text, entry and exit macros.
            for _ in 0..5 {
                at = skip_xstz(data, at)?;
            }
            let chosen = if result == 25 { default } else { result };
            // A list holds at most 25 entries; a larger index is damage, not a long scan.
            if chosen > 64 {
                return None;
            }
            drop_list_entry(data, at, usize::from(chosen)).map(FormValue::Choice)
        }
        _ => None,
    }
}

/// Skips an Xstz (u16 count, that many UTF-16 units, a NUL unit) at `at`.
fn skip_xstz(data: &[u8], at: usize) -> Option<usize> {
    let cch = usize::from(u16_at(data, at)?);
    let end = at.checked_add(2 + 2 * cch + 2)?;
    (end <= data.len()).then_some(end)
}

/// Entry `index` of the STTB of a drop-down list (extended: 0xFFFF, count, extra size, then
/// u16-counted UTF-16 strings).
fn drop_list_entry(data: &[u8], at: usize, index: usize) -> Option<String> {
    if u16_at(data, at)? != 0xFFFF {
        return None;
    }
    let count = usize::from(u16_at(data, at + 2)?);
    let cb_extra = usize::from(u16_at(data, at + 4)?);
    if index >= count {
        return None;
    }
    let mut offset = at + 6;
    for i in 0..count {
        let cch = usize::from(u16_at(data, offset)?);
        let bytes = slice(data, offset + 2, 2 * cch)?;
        if i == index {
            let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
            return Some(text.into_owned());
        }
        offset += 2 + 2 * cch + cb_extra;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xstz(text: &str) -> Vec<u8> {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut bytes = (units.len() as u16).to_le_bytes().to_vec();
        for unit in units {
            bytes.extend(unit.to_le_bytes());
        }
        bytes.extend([0, 0]);
        bytes
    }

    fn ff_data(bits: u16, tail: &[u8]) -> Vec<u8> {
        let mut data = vec![0u8; 4];
        data.extend(0x44u16.to_le_bytes());
        data.resize(0x44, 0);
        data.extend(0xFFFF_FFFFu32.to_le_bytes());
        data.extend(bits.to_le_bytes());
        data.extend([0, 0, 0, 0]);
        data.extend(xstz("Case1"));
        data.extend(tail);
        data
    }

    #[test]
    fn checkbox_state_and_default() {
        // iType 1 (checkbox), iRes 1: checked.
        let data = ff_data(1 | (1 << 2), &[0, 0]);
        assert_eq!(read_form_field(&data, 0), Some(FormValue::Checkbox(true)));
        // iRes 25: the default (wDef = 0) applies.
        let data = ff_data(1 | (25 << 2), &[0, 0]);
        assert_eq!(read_form_field(&data, 0), Some(FormValue::Checkbox(false)));
    }

    #[test]
    fn drop_down_shows_the_chosen_entry() {
        let mut tail = vec![0, 0];
        for _ in 0..5 {
            tail.extend(xstz(""));
        }
        tail.extend([0xFF, 0xFF, 2, 0, 0, 0]);
        for entry in ["Association", "SCIC"] {
            tail.extend(xstz(entry).get(..xstz(entry).len() - 2).unwrap());
        }
        let data = ff_data(2 | (1 << 2), &tail);
        assert_eq!(
            read_form_field(&data, 0),
            Some(FormValue::Choice("SCIC".into()))
        );
    }

    #[test]
    fn wingdings_boxes_become_unicode() {
        assert_eq!(symbol_char(0xF0FD), Some('☒'));
        assert_eq!(symbol_char(0x00A8), Some('☐'));
        assert_eq!(symbol_char(0xF04A), None);
        assert_eq!(symbol_char(0x20AC), Some('€'));
    }
}
