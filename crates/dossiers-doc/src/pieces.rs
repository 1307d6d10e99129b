//! The piece table: how the document's characters (CPs) map onto bytes of the WordDocument
//! stream. Text is read piece by piece in CP order, which is what puts fast-saved files (whose
//! later edits are appended at the end of the stream) back in reading order.

use dossiers_document::{Budget, ExtractError, Result};

use crate::bytes::{slice, u8_at, u16_at, u32_at};

/// One run of consecutive CPs stored contiguously.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    pub(crate) cp_start: u32,
    pub(crate) cp_end: u32,
    /// Byte offset of the first character in WordDocument.
    pub(crate) fc: u32,
    /// One byte per character (8-bit code page) rather than UTF-16.
    pub(crate) compressed: bool,
}

impl Piece {
    fn width(&self) -> u32 {
        if self.compressed { 1 } else { 2 }
    }

    /// The byte offset of character `cp`, which must lie in this piece.
    pub(crate) fn fc_of(&self, cp: u32) -> Option<u32> {
        cp.checked_sub(self.cp_start)?
            .checked_mul(self.width())?
            .checked_add(self.fc)
    }
}

/// The pieces sorted by CP. The Prc entries before them (property changes of fast saves, and
/// each piece's prm) are skipped: paragraph and character properties come from the FKPs, which
/// a fast save updates too.
#[derive(Debug, Default)]
pub(crate) struct PieceTable {
    pub(crate) pieces: Vec<Piece>,
}

impl PieceTable {
    /// Parses a Clx ([MS-DOC] 2.9.38): Prc entries, then one Pcdt holding the PlcPcd.
    /// `word6` pieces are always 8-bit and their fc is a plain byte offset.
    pub(crate) fn parse(clx: &[u8], word6: bool, max_pieces: usize) -> Result<PieceTable> {
        let corrupt = |why: &str| ExtractError::corrupt(format!("piece table: {why}"));
        let mut offset = 0usize;
        loop {
            match u8_at(clx, offset) {
                Some(0x01) => {
                    let cb = u16_at(clx, offset + 1).ok_or_else(|| corrupt("truncated Prc"))?;
                    offset = offset
                        .checked_add(3 + usize::from(cb))
                        .ok_or_else(|| corrupt("Prc overflow"))?;
                }
                Some(0x02) => break,
                Some(other) => {
                    return Err(corrupt(&format!(
                        "unexpected Clx entry {other:#04x} at byte {offset}"
                    )));
                }
                None => return Err(corrupt("no Pcdt in the Clx")),
            }
        }
        let lcb = u32_at(clx, offset + 1).ok_or_else(|| corrupt("truncated Pcdt"))?;
        let lcb = usize::try_from(lcb).map_err(|_| corrupt("Pcdt too long"))?;
        let plc = slice(clx, offset + 5, lcb).ok_or_else(|| corrupt("PlcPcd runs past the Clx"))?;
        if lcb < 4 + 12 || !(lcb - 4).is_multiple_of(12) {
            return Err(corrupt(&format!("PlcPcd of {lcb} bytes is not 4 + 12n")));
        }
        let n = (lcb - 4) / 12;
        if n > max_pieces {
            return Err(ExtractError::too_large("pieces", max_pieces as u64));
        }
        let mut pieces = Vec::with_capacity(n);
        let pcd_start = 4 * (n + 1);
        for i in 0..n {
            let cp_start = u32_at(plc, 4 * i).ok_or_else(|| corrupt("truncated aCP"))?;
            let cp_end = u32_at(plc, 4 * (i + 1)).ok_or_else(|| corrupt("truncated aCP"))?;
            if cp_end <= cp_start {
                return Err(corrupt(&format!(
                    "aCP not increasing at piece {i} ({cp_start} then {cp_end})"
                )));
            }
            let raw = u32_at(plc, pcd_start + 8 * i + 2).ok_or_else(|| corrupt("truncated Pcd"))?;
            let piece = if word6 {
                Piece {
                    cp_start,
                    cp_end,
                    fc: raw,
                    compressed: true,
                }
            } else {
                let compressed = raw & 0x4000_0000 != 0;
                let fc = raw & 0x3FFF_FFFF;
                Piece {
                    cp_start,
                    cp_end,
                    fc: if compressed { fc / 2 } else { fc },
                    compressed,
                }
            };
            pieces.push(piece);
        }
        Ok(PieceTable { pieces })
    }

    /// One piece covering the whole text of a non-complex Word 6 file.
    pub(crate) fn contiguous(fc: u32, n_chars: u32) -> PieceTable {
        let pieces = if n_chars == 0 {
            Vec::new()
        } else {
            vec![Piece {
                cp_start: 0,
                cp_end: n_chars,
                fc,
                compressed: true,
            }]
        };
        PieceTable { pieces }
    }

    /// The piece holding `cp`.
    pub(crate) fn find(&self, cp: u32) -> Option<&Piece> {
        let index = self.pieces.partition_point(|piece| piece.cp_end <= cp);
        self.pieces.get(index).filter(|piece| piece.cp_start <= cp)
    }

    /// The byte offset in WordDocument of character `cp`.
    pub(crate) fn fc_of(&self, cp: u32) -> Option<u32> {
        self.find(cp)?.fc_of(cp)
    }

    pub(crate) fn last_cp(&self) -> u32 {
        self.pieces.last().map_or(0, |piece| piece.cp_end)
    }
}

/// The document's characters in CP order, as UTF-16 code units (8-bit pieces are decoded to
/// their Unicode code unit through `single_byte`). CP `n` is `units[n]`.
#[derive(Debug, Default)]
pub(crate) struct Text {
    pub(crate) units: Vec<u16>,
}

/// How an 8-bit piece's bytes map to Unicode (a single-byte code page).
pub(crate) struct SingleByte {
    table: [u16; 256],
}

impl std::fmt::Debug for SingleByte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SingleByte")
    }
}

impl SingleByte {
    /// The table of a single-byte `encoding`; bytes it does not map stay themselves (Latin-1).
    pub(crate) fn new(encoding: &'static encoding_rs::Encoding) -> SingleByte {
        let mut table = [0u16; 256];
        let mut buffer = [0u16; 4];
        for (byte, slot) in (0u8..=255).zip(table.iter_mut()) {
            *slot = u16::from(byte);
            if byte >= 0x80 && encoding.is_single_byte() {
                let mut decoder = encoding.new_decoder_without_bom_handling();
                let (_, _, written, _) = decoder.decode_to_utf16(&[byte], &mut buffer, true);
                if let (1, Some(&unit)) = (written, buffer.first())
                    && unit != 0xFFFD
                {
                    *slot = unit;
                }
            }
        }
        SingleByte { table }
    }

    fn decode(&self, byte: u8) -> u16 {
        self.table.get(usize::from(byte)).copied().unwrap_or(0)
    }
}

/// Reads the characters of every piece up to `end_cp`. On a piece that runs past the stream the
/// text read so far is returned with the error, so that the caller can keep it as partial text.
pub(crate) fn read_text(
    word: &[u8],
    table: &PieceTable,
    end_cp: u32,
    single_byte: &SingleByte,
    budget: &mut Budget,
) -> (Text, Option<ExtractError>) {
    // Each character takes at least a byte of the stream, which bounds the allocation.
    let capacity = (end_cp as usize)
        .min(word.len())
        .min(budget.limits().max_chars as usize);
    let mut units = Vec::with_capacity(capacity);
    for piece in &table.pieces {
        if piece.cp_start >= end_cp {
            break;
        }
        if piece.cp_start as usize != units.len() {
            // Pieces are contiguous by construction (aCP[i+1] ends piece i, starts piece i+1).
            let error = ExtractError::corrupt("pieces do not start at CP 0");
            return (Text { units }, Some(error));
        }
        let n = piece.cp_end.min(end_cp) - piece.cp_start;
        if let Err(error) = budget.charge_chars(n as usize) {
            return (Text { units }, Some(error));
        }
        let n = n as usize;
        let start = piece.fc as usize;
        if piece.compressed {
            match slice(word, start, n) {
                Some(bytes) => units.extend(bytes.iter().map(|&byte| single_byte.decode(byte))),
                None => {
                    let error = ExtractError::corrupt(format!(
                        "piece at CP {} runs past the WordDocument stream",
                        piece.cp_start
                    ));
                    return (Text { units }, Some(error));
                }
            }
        } else {
            match n.checked_mul(2).and_then(|len| slice(word, start, len)) {
                Some(bytes) => units.extend(bytes.chunks_exact(2).map(|pair| {
                    u16::from_le_bytes([
                        pair.first().copied().unwrap_or(0),
                        pair.get(1).copied().unwrap_or(0),
                    ])
                })),
                None => {
                    let error = ExtractError::corrupt(format!(
                        "piece at CP {} runs past the WordDocument stream",
                        piece.cp_start
                    ));
                    return (Text { units }, Some(error));
                }
            }
        }
    }
    (Text { units }, None)
}
