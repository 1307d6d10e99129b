//! The File Information Block: where every other structure of a `.doc` sits. Word 97-2003 and
//! Word 6/95 lay it out differently; both are read into one [`Fib`] so that the rest of the
//! reader does not care which it came from.

use dossiers_document::{ExtractError, Result};

use crate::bytes::{u16_at, u32_at};

/// Which generation of the binary format a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generation {
    /// Word 97, 2000, 2002, 2003 (and 2007+ saving as `.doc`): tables in `0Table`/`1Table`.
    Word97,
    /// Word 6 and Word 95: one stream, 8-bit text, one-byte sprms.
    Word6,
}

/// The number of characters of each story, in the order the stories follow each other in CP
/// space ([MS-DOC] 2.3).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StoryLengths {
    pub(crate) text: u32,
    pub(crate) footnotes: u32,
    pub(crate) headers: u32,
    pub(crate) macros: u32,
    pub(crate) comments: u32,
    pub(crate) endnotes: u32,
    pub(crate) text_boxes: u32,
    pub(crate) header_text_boxes: u32,
}

impl StoryLengths {
    /// The CP just past the last story, without the trailing paragraph mark.
    pub(crate) fn total(&self) -> u64 {
        [
            self.text,
            self.footnotes,
            self.headers,
            self.macros,
            self.comments,
            self.endnotes,
            self.text_boxes,
            self.header_text_boxes,
        ]
        .iter()
        .map(|&n| u64::from(n))
        .sum()
    }
}

/// An (offset, length) pair of the FibRgFcLcb: a structure in the table stream.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FcLcb {
    pub(crate) fc: u32,
    pub(crate) lcb: u32,
}

impl FcLcb {
    pub(crate) fn is_empty(&self) -> bool {
        self.lcb == 0
    }

    /// The bytes of the structure in `stream`, or `None` when it is absent or out of bounds.
    pub(crate) fn bytes<'a>(&self, stream: &'a [u8]) -> Option<&'a [u8]> {
        if self.is_empty() {
            return None;
        }
        let start = usize::try_from(self.fc).ok()?;
        let len = usize::try_from(self.lcb).ok()?;
        stream.get(start..start.checked_add(len)?)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Fib {
    pub(crate) generation: Generation,
    pub(crate) n_fib: u16,
    /// The last save was a fast (incremental) save.
    pub(crate) complex: bool,
    pub(crate) encrypted: bool,
    pub(crate) obfuscated: bool,
    /// `1Table` rather than `0Table`.
    pub(crate) table_1: bool,
    /// Word 6/95: the character set of the file (256 = Macintosh).
    pub(crate) chse: u16,
    /// Word 6/95 non-complex files: the text runs from `fc_min` to `fc_mac`.
    pub(crate) fc_min: u32,
    pub(crate) fc_mac: u32,
    pub(crate) lengths: StoryLengths,
    pub(crate) stsh: FcLcb,
    pub(crate) plcf_hdd: FcLcb,
    pub(crate) plcf_bte_chpx: FcLcb,
    pub(crate) plcf_bte_papx: FcLcb,
    pub(crate) sttbf_ffn: FcLcb,
    pub(crate) clx: FcLcb,
}

/// The FibRgFcLcb pairs we use, by index ([MS-DOC] 2.5.6; Word 6 keeps the same order).
const PAIR_STSHF: usize = 1;
const PAIR_PLCF_HDD: usize = 11;
const PAIR_PLCF_BTE_CHPX: usize = 12;
const PAIR_PLCF_BTE_PAPX: usize = 13;
const PAIR_STTBF_FFN: usize = 15;
const PAIR_CLX: usize = 33;

/// Where the FibRgFcLcb starts in a Word 6/95 FIB, which has no csw/cslw counts.
const WORD6_FC_LCB_START: usize = 0x58;

impl Fib {
    pub(crate) fn parse(word: &[u8]) -> Result<Fib> {
        let field = |offset: usize| {
            u16_at(word, offset).ok_or_else(|| ExtractError::corrupt("the FIB is truncated"))
        };
        let w_ident = field(0x00)?;
        let n_fib = field(0x02)?;
        let flags = field(0x0A)?;
        let chse = field(0x14)?;
        let fc_min = u32_at(word, 0x18).unwrap_or(0);
        let fc_mac = u32_at(word, 0x1C).unwrap_or(0);
        let generation = match (w_ident, n_fib) {
            (_, 101..=105) | (0xA5DC, _) => Generation::Word6,
            (0xA5EC, 106..) => Generation::Word97,
            (0xA5EC, _) | (0xA5DB, _) => {
                return Err(ExtractError::unsupported(format!(
                    "Word 2 or older .doc (nFib {n_fib})"
                )));
            }
            (0x8098 | 0x8099 | 0xA697 | 0xA699, _) => {
                return Err(ExtractError::unsupported(format!(
                    "Far-East Word 7 .doc (wIdent {w_ident:#06x})"
                )));
            }
            _ => {
                return Err(ExtractError::corrupt(format!(
                    "not a Word document: wIdent {w_ident:#06x}, nFib {n_fib}"
                )));
            }
        };
        let mut fib = Fib {
            generation,
            n_fib,
            complex: flags & 0x0004 != 0,
            encrypted: flags & 0x0100 != 0,
            obfuscated: flags & 0x8000 != 0,
            table_1: flags & 0x0200 != 0,
            chse,
            fc_min,
            fc_mac,
            lengths: StoryLengths::default(),
            stsh: FcLcb::default(),
            plcf_hdd: FcLcb::default(),
            plcf_bte_chpx: FcLcb::default(),
            plcf_bte_papx: FcLcb::default(),
            sttbf_ffn: FcLcb::default(),
            clx: FcLcb::default(),
        };
        if fib.encrypted {
            // The rest of the FIB is readable, but nothing it points to is: stop here.
            return Ok(fib);
        }
        let (ccp_start, fc_lcb_start, n_pairs) = match generation {
            Generation::Word6 => (0x34, WORD6_FC_LCB_START, PAIR_CLX + 1),
            Generation::Word97 => word97_layout(word)?,
        };
        let ccp = |index: usize| -> Result<u32> {
            index
                .checked_mul(4)
                .and_then(|delta| ccp_start.checked_add(delta))
                .and_then(|offset| u32_at(word, offset))
                .ok_or_else(|| ExtractError::corrupt("the FIB's character counts are truncated"))
        };
        // Word 97 has three longs (cbMac, lProductCreated, lProductRevised) before ccpText;
        // Word 6 starts with ccpText.
        let first = match generation {
            Generation::Word6 => 0,
            Generation::Word97 => 3,
        };
        fib.lengths = StoryLengths {
            text: ccp(first)?,
            footnotes: ccp(first + 1)?,
            headers: ccp(first + 2)?,
            macros: ccp(first + 3)?,
            comments: ccp(first + 4)?,
            endnotes: ccp(first + 5)?,
            text_boxes: ccp(first + 6)?,
            header_text_boxes: ccp(first + 7)?,
        };
        if generation == Generation::Word6 {
            // Word 6 has no text boxes of its own, and the slots may hold garbage.
            fib.lengths.text_boxes = 0;
            fib.lengths.header_text_boxes = 0;
        }
        let pair = |index: usize| -> FcLcb {
            if index >= n_pairs {
                return FcLcb::default();
            }
            let offset = fc_lcb_start.saturating_add(index.saturating_mul(8));
            match (u32_at(word, offset), u32_at(word, offset.saturating_add(4))) {
                (Some(fc), Some(lcb)) => FcLcb { fc, lcb },
                _ => FcLcb::default(),
            }
        };
        fib.stsh = pair(PAIR_STSHF);
        fib.plcf_hdd = pair(PAIR_PLCF_HDD);
        fib.plcf_bte_chpx = pair(PAIR_PLCF_BTE_CHPX);
        fib.plcf_bte_papx = pair(PAIR_PLCF_BTE_PAPX);
        fib.sttbf_ffn = pair(PAIR_STTBF_FFN);
        fib.clx = pair(PAIR_CLX);
        if generation == Generation::Word97 && fib.clx.is_empty() {
            return Err(ExtractError::corrupt(
                "the FIB has no piece table (lcbClx = 0)",
            ));
        }
        Ok(fib)
    }
}

/// Word 97 counts its FIB parts (csw, cslw, cbRgFcLcb) rather than fixing their offsets:
/// returns where the ccp fields (FibRgLw97 start) and the fc/lcb pairs start, and how many
/// pairs there are.
fn word97_layout(word: &[u8]) -> Result<(usize, usize, usize)> {
    let truncated = || ExtractError::corrupt("the FIB is truncated");
    let csw = usize::from(u16_at(word, 0x20).ok_or_else(truncated)?);
    let cslw_offset = 0x22 + 2 * csw;
    let cslw = usize::from(u16_at(word, cslw_offset).ok_or_else(truncated)?);
    let rg_lw_start = cslw_offset + 2;
    let cb_offset = rg_lw_start + 4 * cslw;
    let n_pairs = usize::from(u16_at(word, cb_offset).ok_or_else(truncated)?);
    // ccpHdrTxbx is the 11th long of FibRgLw97.
    if cslw < 11 {
        return Err(ExtractError::corrupt(format!(
            "the FIB's FibRgLw has {cslw} longs, fewer than the 11 that hold the character counts"
        )));
    }
    if n_pairs <= PAIR_CLX {
        return Err(ExtractError::corrupt(format!(
            "the FIB has {n_pairs} fc/lcb pairs, too few to hold the piece table"
        )));
    }
    let fc_lcb_start = cb_offset + 2;
    if fc_lcb_start + 8 * n_pairs > word.len() {
        return Err(ExtractError::corrupt(
            "the FIB runs past the WordDocument stream",
        ));
    }
    Ok((rg_lw_start, fc_lcb_start, n_pairs))
}
