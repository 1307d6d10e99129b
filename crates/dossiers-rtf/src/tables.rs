//! The font table and the style sheet: what a `\fN` means for decoding bytes, and what a
//! `\sN` means for headings.

use std::collections::HashMap;

use crate::codepage::{Charset, codepage_of_charset, encoding_of_codepage};

/// Longest font or style name kept (names only serve to recognise symbol fonts and headings).
const MAX_NAME: usize = 256;

#[derive(Debug, Default)]
pub(crate) struct FontDraft {
    id: Option<i32>,
    charset: Option<i32>,
    codepage: Option<i32>,
    name: String,
}

#[derive(Debug, Default)]
pub(crate) struct Fonts {
    /// `None`: the document's code page.
    charsets: HashMap<i32, Option<Charset>>,
    draft: FontDraft,
}

impl Fonts {
    pub(crate) fn start_entry(&mut self) {
        self.commit();
    }

    /// `\fN` inside the table starts an entry (old writers list fonts without groups).
    pub(crate) fn set_id(&mut self, id: i32) {
        if self.draft.id.is_some() {
            self.commit();
        }
        self.draft.id = Some(id);
    }

    pub(crate) fn set_charset(&mut self, charset: i32) {
        self.draft.charset = Some(charset);
    }

    pub(crate) fn set_codepage(&mut self, codepage: i32) {
        self.draft.codepage = Some(codepage);
    }

    /// Name text; a `;` ends the entry.
    pub(crate) fn push_text(&mut self, text: &str) {
        for ch in text.chars() {
            if ch == ';' {
                self.commit();
            } else if self.draft.name.len() < MAX_NAME {
                self.draft.name.push(ch);
            }
        }
    }

    pub(crate) fn commit(&mut self) {
        let draft = std::mem::take(&mut self.draft);
        let Some(id) = draft.id else {
            return;
        };
        let name = draft.name.trim().to_ascii_lowercase();
        let charset = if name.starts_with("wingdings")
            || name.starts_with("webdings")
            || name.contains("dingbats")
        {
            Some(Charset::Dingbats)
        } else if draft.charset == Some(2) || name == "symbol" {
            Some(Charset::Symbol)
        } else {
            draft.codepage.and_then(encoding_of_codepage).or_else(|| {
                draft
                    .charset
                    .and_then(codepage_of_charset)
                    .and_then(encoding_of_codepage)
            })
        };
        self.charsets.entry(id).or_insert(charset);
    }

    /// The charset of font `id`; `None` for the document's code page.
    pub(crate) fn charset(&self, id: i32) -> Option<Charset> {
        self.charsets.get(&id).copied().flatten()
    }
}

#[derive(Clone, Debug, Default)]
struct Style {
    name: String,
    outline: Option<i32>,
    based_on: Option<i32>,
}

#[derive(Debug, Default)]
pub(crate) struct Styles {
    paragraph: HashMap<i32, Style>,
    draft: Style,
    draft_id: i32,
    /// A character, section or table style (`\cs`, `\ds`, `\ts`): not kept.
    draft_other: bool,
    draft_open: bool,
}

impl Styles {
    pub(crate) fn start_entry(&mut self) {
        self.commit();
        self.draft_open = true;
    }

    pub(crate) fn set_paragraph_id(&mut self, id: i32) {
        self.draft_open = true;
        self.draft_id = id;
    }

    pub(crate) fn set_other(&mut self) {
        self.draft_open = true;
        self.draft_other = true;
    }

    pub(crate) fn set_outline(&mut self, level: i32) {
        self.draft.outline = Some(level);
    }

    pub(crate) fn set_based_on(&mut self, id: i32) {
        self.draft.based_on = Some(id);
    }

    pub(crate) fn push_text(&mut self, text: &str) {
        for ch in text.chars() {
            if ch == ';' {
                self.commit();
            } else if self.draft.name.len() < MAX_NAME {
                self.draft.name.push(ch);
            }
        }
    }

    pub(crate) fn commit(&mut self) {
        let draft = std::mem::take(&mut self.draft);
        let id = std::mem::take(&mut self.draft_id);
        let other = std::mem::take(&mut self.draft_other);
        let open = std::mem::take(&mut self.draft_open);
        if open && !other {
            let name = draft.name.trim().to_owned();
            self.paragraph.entry(id).or_insert(Style { name, ..draft });
        }
    }

    /// The style's name, unless it is the default paragraph style.
    pub(crate) fn name(&self, id: i32) -> Option<&str> {
        let style = self.paragraph.get(&id)?;
        let lower = style.name.to_ascii_lowercase();
        let default = id == 0
            || style.name.is_empty()
            || matches!(
                lower.as_str(),
                "normal" | "standard" | "default" | "text body"
            );
        (!default).then_some(style.name.as_str())
    }

    /// Heading level (1 = top) from the style's outline level or its name (`heading 2`,
    /// `Titre 2`), following `\sbasedon` a few steps.
    pub(crate) fn heading_level(&self, id: i32) -> Option<u8> {
        let mut current = id;
        for _ in 0..8 {
            let style = self.paragraph.get(&current)?;
            if let Some(level) = style.outline {
                return outline_to_heading(level);
            }
            if let Some(level) = heading_level_from_name(&style.name) {
                return Some(level);
            }
            current = style.based_on.filter(|&base| base != current)?;
        }
        None
    }
}

/// `\outlinelevelN` counts from 0; 9 (and beyond) is body text.
pub(crate) fn outline_to_heading(level: i32) -> Option<u8> {
    u8::try_from(level).ok().filter(|&l| l < 9).map(|l| l + 1)
}

/// `heading 2`, `Heading2`, `Titre 2`, `titre2` → 2.
fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.trim().to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("titre"))?;
    let digits = rest.trim_start();
    let level: u8 = digits.parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_by_name_outline_and_base() {
        let mut styles = Styles::default();
        styles.start_entry();
        styles.push_text("Normal;");
        styles.start_entry();
        styles.set_paragraph_id(1);
        styles.push_text("heading 1;");
        styles.start_entry();
        styles.set_paragraph_id(2);
        styles.set_outline(1);
        styles.push_text("Mon titre;");
        styles.start_entry();
        styles.set_paragraph_id(3);
        styles.set_based_on(1);
        styles.push_text("Titre perso;");
        styles.start_entry();
        styles.set_other();
        styles.set_paragraph_id(4);
        styles.push_text("Titre 4;");
        styles.commit();
        assert_eq!(styles.heading_level(0), None);
        assert_eq!(styles.heading_level(1), Some(1));
        assert_eq!(styles.heading_level(2), Some(2));
        assert_eq!(styles.heading_level(3), Some(1));
        assert_eq!(styles.heading_level(4), None);
        assert_eq!(styles.name(0), None);
        assert_eq!(styles.name(2), Some("Mon titre"));
        assert_eq!(heading_level_from_name("Titre 3"), Some(3));
        assert_eq!(heading_level_from_name("Title"), None);
    }

    #[test]
    fn fonts_charsets() {
        let mut fonts = Fonts::default();
        fonts.start_entry();
        fonts.set_id(0);
        fonts.set_charset(0);
        fonts.push_text("Arial;");
        fonts.set_id(1);
        fonts.set_charset(204);
        fonts.push_text("Arial Cyr;");
        fonts.set_id(2);
        fonts.set_charset(2);
        fonts.push_text("Symbol;");
        fonts.set_id(3);
        fonts.push_text("Wingdings");
        fonts.commit();
        assert_eq!(fonts.charset(0), None);
        assert_eq!(fonts.charset(1), encoding_of_codepage(1251));
        assert_eq!(fonts.charset(2), Some(Charset::Symbol));
        assert_eq!(fonts.charset(3), Some(Charset::Dingbats));
        assert_eq!(fonts.charset(9), None);
    }
}
