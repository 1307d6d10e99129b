//! Paragraph and character properties of Word 97+ files, read as far as text extraction needs
//! them: which paragraphs are table cells and row ends (fInTable, fTtp, itap), their style and
//! outline level (headings) and list membership, and which runs are deleted tracked changes,
//! symbol-font glyphs or form-field anchors.
//!
//! Properties live in 512-byte formatted disk pages (FKPs) of WordDocument, indexed by byte
//! offset (FC) rather than CP; the bin tables (PlcBtePapx, PlcBteChpx) in the table stream list
//! the pages. Word 6/95 uses one-byte sprm codes: only the paragraph sprms up to fInTable/fTtp
//! are sized here (enough for tables and the style), and Word 6 deletions are not read.

use crate::bytes::{slice, u8_at, u16_at, u32_at};

use crate::fib::Generation;

const FKP_SIZE: usize = 512;
/// Bound on the FKP pages read for one file: 20 000 pages is 10 MB of stream.
const MAX_FKP_PAGES: usize = 20_000;

const SPRM_P_ILVL: u16 = 0x260A;
const SPRM_P_ILFO: u16 = 0x460B;
const SPRM_P_F_IN_TABLE: u16 = 0x2416;
const SPRM_P_F_TTP: u16 = 0x2417;
const SPRM_P_OUT_LVL: u16 = 0x2640;
const SPRM_P_ITAP: u16 = 0x6649;
const SPRM_P_F_INNER_TABLE_CELL: u16 = 0x244B;
const SPRM_P_F_INNER_TTP: u16 = 0x244C;
const SPRM_T_DEF_TABLE: u16 = 0xD608;
const SPRM_P_CHG_TABS: u16 = 0xC615;
const SPRM_C_F_R_MARK_DEL: u16 = 0x0800;
const SPRM_C_SYMBOL: u16 = 0x6A09;
const SPRM_C_PIC_LOCATION: u16 = 0x6A03;

/// What a paragraph mark's PAPX says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ParaProps {
    pub(crate) istd: u16,
    pub(crate) in_table: bool,
    /// The mark ends a table row (table terminating paragraph).
    pub(crate) ttp: bool,
    /// Table depth: 0 outside tables, 1 in a top-level table, 2+ nested.
    pub(crate) itap: u32,
    pub(crate) inner_cell: bool,
    pub(crate) inner_ttp: bool,
    /// Outline level 0..=8 (9 = body text).
    pub(crate) outline_level: Option<u8>,
    pub(crate) ilfo: u16,
    pub(crate) ilvl: u8,
}

impl ParaProps {
    /// The table depth, counting a bare fInTable as depth 1.
    pub(crate) fn depth(&self) -> u32 {
        if self.itap > 0 {
            self.itap
        } else {
            u32::from(self.in_table)
        }
    }
}

/// Calls `visit(opcode, operand)` for each Prl of a Word 97 grpprl, stopping at the first one
/// that does not fit.
pub(crate) fn for_each_sprm(grpprl: &[u8], mut visit: impl FnMut(u16, &[u8])) {
    let mut offset = 0usize;
    while let Some(opcode) = u16_at(grpprl, offset) {
        let operand_start = offset + 2;
        let len = match opcode >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match opcode {
                SPRM_T_DEF_TABLE => match u16_at(grpprl, operand_start) {
                    Some(cb) => usize::from(cb) + 1,
                    None => return,
                },
                SPRM_P_CHG_TABS if u8_at(grpprl, operand_start) == Some(255) => return,
                _ => match u8_at(grpprl, operand_start) {
                    Some(cb) => usize::from(cb) + 1,
                    None => return,
                },
            },
        };
        let Some(operand) = slice(grpprl, operand_start, len) else {
            return;
        };
        visit(opcode, operand);
        offset = operand_start + len;
    }
}

fn operand_u8(operand: &[u8]) -> u8 {
    operand.first().copied().unwrap_or(0)
}

/// Paragraph properties by FC range, sorted by FC.
#[derive(Debug, Default)]
pub(crate) struct ParagraphTable {
    runs: Vec<(u32, u32, ParaProps)>,
}

impl ParagraphTable {
    /// Reads every PAPX FKP listed by the PlcBtePapx (`plc`, from the table stream).
    pub(crate) fn parse(word: &[u8], plc: &[u8], generation: Generation) -> Option<ParagraphTable> {
        // Word 6 has 2-byte page numbers in the bin table and 7-byte BX entries (offset + PHE).
        let (pn_size, bx_size) = match generation {
            Generation::Word97 => (4, 13),
            Generation::Word6 => (2, 7),
        };
        let mut runs = Vec::new();
        for page in bin_table_pages(word, plc, pn_size)? {
            let crun = usize::from(*page.last()?);
            for i in 0..crun {
                let fc_start = u32_at(page, 4 * i)?;
                let fc_end = u32_at(page, 4 * (i + 1))?;
                let b_offset = usize::from(u8_at(page, 4 * (crun + 1) + bx_size * i)?);
                let props = if b_offset == 0 {
                    ParaProps::default()
                } else {
                    match generation {
                        Generation::Word97 => parse_papx(page, 2 * b_offset),
                        Generation::Word6 => parse_papx_word6(page, 2 * b_offset),
                    }
                    .unwrap_or_default()
                };
                runs.push((fc_start, fc_end, props));
            }
        }
        runs.sort_by_key(|run| run.0);
        Some(ParagraphTable { runs })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The properties of the paragraph whose mark is at byte `fc`.
    pub(crate) fn at(&self, fc: u32) -> Option<ParaProps> {
        let index = self.runs.partition_point(|run| run.0 <= fc);
        let (start, end, props) = self.runs.get(index.checked_sub(1)?)?;
        (*start <= fc && fc < *end).then_some(*props)
    }
}

/// A PapxInFkp at `offset` of an FKP page: a size, the istd, then the grpprl.
fn parse_papx(page: &[u8], offset: usize) -> Option<ParaProps> {
    let cb = usize::from(u8_at(page, offset)?);
    let (start, len) = if cb == 0 {
        (offset + 2, 2 * usize::from(u8_at(page, offset + 1)?))
    } else {
        (offset + 1, 2 * cb - 1)
    };
    let body = slice(page, start, len).or_else(|| page.get(start..))?;
    let mut props = ParaProps {
        istd: u16_at(body, 0)?,
        ..ParaProps::default()
    };
    for_each_sprm(body.get(2..)?, |opcode, operand| match opcode {
        SPRM_P_F_IN_TABLE => props.in_table = operand_u8(operand) != 0,
        SPRM_P_F_TTP => props.ttp = operand_u8(operand) != 0,
        SPRM_P_ITAP => props.itap = u32_at(operand, 0).unwrap_or(0),
        SPRM_P_F_INNER_TABLE_CELL => props.inner_cell = operand_u8(operand) != 0,
        SPRM_P_F_INNER_TTP => props.inner_ttp = operand_u8(operand) != 0,
        SPRM_P_OUT_LVL => props.outline_level = Some(operand_u8(operand)),
        SPRM_P_ILFO => props.ilfo = u16_at(operand, 0).unwrap_or(0),
        SPRM_P_ILVL => props.ilvl = operand_u8(operand),
        _ => {}
    });
    Some(props)
}

/// A Word 6 PAPX: a count of words, the istd, then one-byte sprms. Only the sprms up to
/// sprmPTtp (25) are sized; parsing stops at the first other one, which in practice comes after
/// them since Word writes sprms in opcode order.
fn parse_papx_word6(page: &[u8], offset: usize) -> Option<ParaProps> {
    let cw = usize::from(u8_at(page, offset)?);
    let body = slice(page, offset + 1, 2 * cw).or_else(|| page.get(offset + 1..))?;
    let mut props = ParaProps {
        istd: u16_at(body, 0)?,
        ..ParaProps::default()
    };
    let mut at = 2usize;
    while let Some(opcode) = u8_at(body, at) {
        let len = match opcode {
            4..=11 | 13 | 14 | 24 | 25 => 1,
            2 | 16..=19 | 21 | 22 => 2,
            20 => 4,
            3 | 12 | 15 => 1 + usize::from(u8_at(body, at + 1)?),
            23 if u8_at(body, at + 1)? != 255 => 1 + usize::from(u8_at(body, at + 1)?),
            _ => break,
        };
        let operand = slice(body, at + 1, len)?;
        match opcode {
            24 => props.in_table = operand_u8(operand) != 0,
            25 => props.ttp = operand_u8(operand) != 0,
            _ => {}
        }
        at += 1 + len;
    }
    Some(props)
}

/// What the character properties tell, as byte ranges (FC) of WordDocument, each list sorted
/// and free of overlaps (so that mapping them onto pieces costs at most one pass over the text).
#[derive(Debug, Default)]
pub(crate) struct CharacterRuns {
    /// Runs marked as deleted revisions (sprmCFRMarkDel).
    pub(crate) deleted: Vec<(u32, u32)>,
    /// Runs whose character is a symbol-font glyph (sprmCSymbol): the glyph's code.
    pub(crate) symbols: Vec<(u32, u32, u16)>,
    /// Runs anchoring an object or form field (sprmCPicLocation): its offset in the Data stream.
    pub(crate) objects: Vec<(u32, u32, u32)>,
}

impl CharacterRuns {
    /// Reads every CHPX FKP listed by the PlcBteChpx.
    pub(crate) fn parse(word: &[u8], plc: &[u8], generation: Generation) -> Option<CharacterRuns> {
        let pn_size = match generation {
            Generation::Word97 => 4,
            Generation::Word6 => 2,
        };
        let mut runs = CharacterRuns::default();
        for page in bin_table_pages(word, plc, pn_size)? {
            let crun = usize::from(*page.last()?);
            for i in 0..crun {
                let fc_start = u32_at(page, 4 * i)?;
                let fc_end = u32_at(page, 4 * (i + 1))?;
                let b_offset = usize::from(u8_at(page, 4 * (crun + 1) + i)?);
                if b_offset == 0 || fc_start >= fc_end {
                    continue;
                }
                let offset = 2 * b_offset;
                let cb = usize::from(u8_at(page, offset)?);
                let Some(grpprl) = slice(page, offset + 1, cb) else {
                    continue;
                };
                if generation == Generation::Word6 {
                    if word6_marked_deleted(grpprl) {
                        runs.deleted.push((fc_start, fc_end));
                    }
                    continue;
                }
                let mut deleted = false;
                for_each_sprm(grpprl, |opcode, operand| match opcode {
                    SPRM_C_F_R_MARK_DEL => deleted = matches!(operand_u8(operand), 1 | 0x81),
                    SPRM_C_SYMBOL => {
                        if let Some(xchar) = u16_at(operand, 2) {
                            runs.symbols.push((fc_start, fc_end, xchar));
                        }
                    }
                    SPRM_C_PIC_LOCATION => {
                        if let Some(location) = u32_at(operand, 0) {
                            runs.objects.push((fc_start, fc_end, location));
                        }
                    }
                    _ => {}
                });
                if deleted {
                    runs.deleted.push((fc_start, fc_end));
                }
            }
        }
        runs.deleted.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(runs.deleted.len());
        for (start, end) in runs.deleted.drain(..) {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        runs.deleted = merged;
        runs.symbols = without_overlaps(runs.symbols);
        runs.objects = without_overlaps(runs.objects);
        Some(runs)
    }
}

/// Sorts runs by start and drops any run that overlaps the one kept before it (FKP runs never
/// overlap in a sound file).
fn without_overlaps<T: Copy>(mut runs: Vec<(u32, u32, T)>) -> Vec<(u32, u32, T)> {
    runs.sort_unstable_by_key(|run| (run.0, run.1));
    let mut kept: Vec<(u32, u32, T)> = Vec::with_capacity(runs.len());
    for run in runs {
        if kept.last().is_none_or(|last| run.0 >= last.1) {
            kept.push(run);
        }
    }
    kept
}

/// Word 6 character sprms are one byte with operand sizes we do not tabulate, but the
/// revision marks are the lowest-numbered (sprmCFRMarkDel 65, sprmCFRMark 66, sprmCFFldVanish
/// 67, one byte each) and Word writes sprms in opcode order, so they come first when present.
fn word6_marked_deleted(grpprl: &[u8]) -> bool {
    const SPRM_C_F_R_MARK_DEL_WORD6: u8 = 65;
    let mut at = 0usize;
    while let (Some(opcode), Some(operand)) = (u8_at(grpprl, at), u8_at(grpprl, at + 1)) {
        match opcode {
            SPRM_C_F_R_MARK_DEL_WORD6 => return matches!(operand, 1 | 0x81),
            66 | 67 => at += 2,
            _ => return false,
        }
    }
    false
}

/// The FKP pages a bin table (PlcBtePapx or PlcBteChpx) points at: `n+1` FCs then `n` page
/// numbers of `pn_size` bytes, each page 512 bytes of WordDocument.
fn bin_table_pages<'a>(word: &'a [u8], plc: &[u8], pn_size: usize) -> Option<Vec<&'a [u8]>> {
    if plc.len() < 4 + 4 + pn_size || !(plc.len() - 4).is_multiple_of(4 + pn_size) {
        return None;
    }
    let n = (plc.len() - 4) / (4 + pn_size);
    // A bin table may list one page many times; no more entries than the stream has pages
    // keeps the runs read proportional to the file.
    if n > MAX_FKP_PAGES || n > word.len() / FKP_SIZE {
        return None;
    }
    let mut pages = Vec::with_capacity(n);
    for i in 0..n {
        let at = 4 * (n + 1) + pn_size * i;
        let pn = match pn_size {
            2 => u32::from(u16_at(plc, at)?),
            _ => u32_at(plc, at)? & 0x003F_FFFF,
        };
        let page = slice(word, (pn as usize).checked_mul(FKP_SIZE)?, FKP_SIZE)?;
        pages.push(page);
    }
    Some(pages)
}

/// What the paragraph styles tell: names and heading levels, by istd.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    styles: Vec<Style>,
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: Option<String>,
    heading_level: Option<u8>,
    /// The style's own sprmPOutLvl (0..=8), for custom heading styles.
    outline_level: Option<u8>,
    /// The style it is based on (0x0FFF for none).
    istd_base: u16,
}

/// How many based-on links are followed to find an outline level.
const MAX_STYLE_DEPTH: usize = 10;

impl Styles {
    /// Parses an STSH: an Stshi, then `cstd` length-prefixed STDs. Word 6 names are 8-bit
    /// Pascal strings (read as Latin-1: only used to recognise heading names).
    pub(crate) fn parse(stsh: &[u8], generation: Generation) -> Styles {
        let mut styles = Styles::parse_inner(stsh, generation).unwrap_or_default();
        styles.inherit_outline_levels();
        styles
    }

    fn parse_inner(stsh: &[u8], generation: Generation) -> Option<Styles> {
        let cb_stshi = usize::from(u16_at(stsh, 0)?);
        let cstd = usize::from(u16_at(stsh, 2)?);
        let cb_std_base = usize::from(u16_at(stsh, 4)?);
        let mut offset = 2 + cb_stshi;
        let mut styles = Vec::with_capacity(cstd.min(4096));
        for _ in 0..cstd.min(4096) {
            let Some(cb_std) = u16_at(stsh, offset) else {
                break;
            };
            let cb_std = usize::from(cb_std);
            let std = slice(stsh, offset + 2, cb_std).unwrap_or(&[]);
            offset += 2 + cb_std;
            styles.push(parse_std(std, cb_std_base, generation));
        }
        Some(Styles { styles })
    }

    /// A custom style ("Επικεφαλίδα 2" based on a heading, say) is a heading when it or a style
    /// it is based on sets an outline level.
    fn inherit_outline_levels(&mut self) {
        let levels: Vec<Option<u8>> = (0..self.styles.len())
            .map(|istd| {
                let mut current = self.styles.get(istd)?;
                for _ in 0..MAX_STYLE_DEPTH {
                    if let Some(level) = current.heading_level {
                        return Some(level);
                    }
                    match current.outline_level {
                        Some(level @ 0..=8) => return Some(level + 1),
                        Some(_) => return None,
                        None => current = self.styles.get(usize::from(current.istd_base))?,
                    }
                }
                None
            })
            .collect();
        for (style, level) in self.styles.iter_mut().zip(levels) {
            style.heading_level = level;
        }
    }

    pub(crate) fn name(&self, istd: u16) -> Option<&str> {
        self.styles.get(usize::from(istd))?.name.as_deref()
    }

    pub(crate) fn heading_level(&self, istd: u16) -> Option<u8> {
        self.styles.get(usize::from(istd))?.heading_level
    }
}

/// Reads one STD: the StdfBase (sti, stk, istdBase), the name, and for a Word 97 paragraph
/// style the outline level in its paragraph UPX.
fn parse_std(std: &[u8], cb_std_base: usize, generation: Generation) -> Style {
    if std.is_empty() {
        return Style::default();
    }
    let sti = u16_at(std, 0).unwrap_or(0x0FFF) & 0x0FFF;
    let kind_and_base = u16_at(std, 2).unwrap_or(0xFFF0);
    let is_paragraph_style = kind_and_base & 0x000F == 1;
    let istd_base = kind_and_base >> 4;
    let mut outline_level = None;
    let name = if generation == Generation::Word6 {
        u8_at(std, cb_std_base).and_then(|cch| {
            let bytes = slice(std, cb_std_base + 1, usize::from(cch))?;
            Some(bytes.iter().map(|&b| char::from(b)).collect::<String>())
        })
    } else {
        u16_at(std, cb_std_base).and_then(|cch| {
            let cch = usize::from(cch);
            let bytes = slice(std, cb_std_base + 2, 2 * cch)?;
            if is_paragraph_style {
                // After the name and its terminating NUL, padded to an even offset, comes the
                // paragraph UPX: a size, the istd, then a grpprl.
                let upx = (cb_std_base + 2 + 2 * cch + 2).next_multiple_of(2);
                if let Some(papx) = u16_at(std, upx)
                    .and_then(|cb| slice(std, upx + 2, usize::from(cb)))
                    .and_then(|papx| papx.get(2..))
                {
                    for_each_sprm(papx, |opcode, operand| {
                        if opcode == SPRM_P_OUT_LVL {
                            outline_level = Some(operand_u8(operand));
                        }
                    });
                }
            }
            let units = bytes.chunks_exact(2).map(|pair| {
                u16::from_le_bytes([operand_u8(pair), pair.get(1).copied().unwrap_or(0)])
            });
            Some(
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or('\u{FFFD}'))
                    .collect::<String>(),
            )
        })
    };
    // sti 1..=9 are the built-in "heading 1".."heading 9", whatever the UI language calls them.
    let heading_level = match sti {
        1..=9 => Some(sti as u8),
        _ => name.as_deref().and_then(heading_level_from_name),
    };
    Style {
        name,
        heading_level,
        outline_level,
        istd_base,
    }
}

/// "Heading 2", "Titre 2", "Überschrift 2"… → 2, for files whose writer did not use the
/// built-in sti (LibreOffice with localised or custom heading styles).
fn heading_level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let (word, digits) = lower.trim().rsplit_once(' ')?;
    let level: u8 = digits.parse().ok()?;
    let known = [
        "heading",
        "titre",
        "überschrift",
        "titolo",
        "título",
        "titulo",
        "kop",
        "rubrik",
    ];
    (known.contains(&word) && (1..=9).contains(&level)).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprm_sizes_follow_spra() {
        // sprmPFInTable (1 byte), sprmPItap (4 bytes), a variable sprm, sprmPOutLvl.
        let grpprl = [
            0x16, 0x24, 0x01, 0x49, 0x66, 0x02, 0, 0, 0, 0x15, 0xC6, 0x02, 0xAA, 0xBB, 0x40, 0x26,
            0x03,
        ];
        let mut seen = Vec::new();
        for_each_sprm(&grpprl, |opcode, operand| {
            seen.push((opcode, operand.len()))
        });
        assert_eq!(
            seen,
            vec![(0x2416, 1), (0x6649, 4), (0xC615, 3), (0x2640, 1)]
        );
    }

    #[test]
    fn heading_names_in_several_languages() {
        assert_eq!(heading_level_from_name("Titre 3"), Some(3));
        assert_eq!(heading_level_from_name("heading 1"), Some(1));
        assert_eq!(heading_level_from_name("Corps de texte"), None);
    }
}
