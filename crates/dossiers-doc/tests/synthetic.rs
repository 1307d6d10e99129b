//! Hand-built `.doc` files, small enough to read in a hex dump, each exercising one rule of the
//! format: fields, special characters, piece order, story split, cell marks, limits and damage.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::io::{Cursor, Write};

use dossiers_doc::read_doc;
use dossiers_document::{
    Block, Document, ExtractError, Limits, StoryKind, TextOptions, WarningCode, render_text,
};

/// Where the text pieces start in WordDocument, after a zero-padded FIB.
const TEXT_START: usize = 0x400;

/// One piece of text: its characters, and whether it is stored 8-bit (cp1252) or UTF-16.
struct Piece {
    text: &'static str,
    compressed: bool,
}

fn piece8(text: &'static str) -> Piece {
    Piece {
        text,
        compressed: true,
    }
}

fn piece16(text: &'static str) -> Piece {
    Piece {
        text,
        compressed: false,
    }
}

#[derive(Default)]
struct Word97 {
    pieces: Vec<Piece>,
    /// ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx; ccpText defaults
    /// to every character.
    ccp: Option<[u32; 8]>,
    flags: u16,
    /// Store the pieces in reverse file order, as a fast save does with appended edits.
    reverse_storage: bool,
    /// Put a Prc (property modifier) entry before the Pcdt in the Clx.
    with_prc: bool,
    /// Overrides the aCPs of the piece table.
    cps: Option<Vec<u32>>,
    /// Cuts WordDocument to this many bytes.
    truncate_word: Option<usize>,
    summary: Option<Vec<u8>>,
    /// Character runs of the first piece (8-bit, stored first): (first char, end char, grpprl).
    character_runs: Vec<(u32, u32, Vec<u8>)>,
}

fn encode_cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes.into_owned()
}

fn n_chars(piece: &Piece) -> u32 {
    piece.text.encode_utf16().count() as u32
}

impl Word97 {
    fn new(pieces: Vec<Piece>) -> Word97 {
        Word97 {
            pieces,
            ..Word97::default()
        }
    }

    fn build(&self) -> Vec<u8> {
        let mut word = vec![0u8; TEXT_START];
        let put16 = |word: &mut Vec<u8>, at: usize, v: u16| {
            word[at..at + 2].copy_from_slice(&v.to_le_bytes())
        };
        let put32 = |word: &mut Vec<u8>, at: usize, v: u32| {
            word[at..at + 4].copy_from_slice(&v.to_le_bytes())
        };
        put16(&mut word, 0x00, 0xA5EC);
        put16(&mut word, 0x02, 0x00C1);
        put16(&mut word, 0x0A, self.flags);
        put16(&mut word, 0x20, 14);
        put16(&mut word, 0x3E, 22);
        put16(&mut word, 0x98, 0x5D);
        let total: u32 = self.pieces.iter().map(n_chars).sum();
        let ccp = self.ccp.unwrap_or([total, 0, 0, 0, 0, 0, 0, 0]);
        for (i, n) in ccp.iter().enumerate() {
            put32(&mut word, 0x4C + 4 * i, *n);
        }
        // Lay the pieces out in storage order and remember each one's fc.
        let mut order: Vec<usize> = (0..self.pieces.len()).collect();
        if self.reverse_storage {
            order.reverse();
        }
        let mut fcs = vec![0u32; self.pieces.len()];
        for &i in &order {
            let piece = &self.pieces[i];
            let at = word.len() as u32;
            if piece.compressed {
                fcs[i] = (at * 2) | 0x4000_0000;
                word.extend(encode_cp1252(piece.text));
            } else {
                fcs[i] = at;
                for unit in piece.text.encode_utf16() {
                    word.extend(unit.to_le_bytes());
                }
            }
        }
        let mut cps = vec![0u32];
        for piece in &self.pieces {
            cps.push(cps.last().unwrap() + n_chars(piece));
        }
        let cps = self.cps.clone().unwrap_or(cps);
        let mut plc = Vec::new();
        for cp in &cps {
            plc.extend(cp.to_le_bytes());
        }
        for fc in &fcs {
            plc.extend(0u16.to_le_bytes());
            plc.extend(fc.to_le_bytes());
            plc.extend(0u16.to_le_bytes());
        }
        let mut clx = Vec::new();
        if self.with_prc {
            clx.push(0x01);
            clx.extend(3i16.to_le_bytes());
            clx.extend([0x16, 0x24, 0x01]);
        }
        clx.push(0x02);
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(&plc);
        put32(&mut word, 0x1A2, 0);
        put32(&mut word, 0x1A6, clx.len() as u32);
        let mut table = clx.clone();
        if !self.character_runs.is_empty() {
            // One CHPX FKP page after the text, and a PlcBteChpx pointing at it.
            let page_start = word.len().next_multiple_of(512);
            word.resize(page_start + 512, 0);
            let runs = &self.character_runs;
            let crun = runs.len();
            let fc = |char_index: u32| TEXT_START as u32 + char_index;
            let mut page = vec![0u8; 512];
            for (i, (start, _, _)) in runs.iter().enumerate() {
                page[4 * i..4 * i + 4].copy_from_slice(&fc(*start).to_le_bytes());
            }
            let last = runs.last().unwrap().1;
            page[4 * crun..4 * crun + 4].copy_from_slice(&fc(last).to_le_bytes());
            // CHPXs from the end of the page backwards, at even offsets.
            let mut free = 510;
            for (i, (_, _, grpprl)) in runs.iter().enumerate() {
                if grpprl.is_empty() {
                    continue;
                }
                free = (free - 1 - grpprl.len()) & !1;
                page[free] = grpprl.len() as u8;
                page[free + 1..free + 1 + grpprl.len()].copy_from_slice(grpprl);
                page[4 * (crun + 1) + i] = (free / 2) as u8;
            }
            page[511] = crun as u8;
            word[page_start..].copy_from_slice(&page);
            let plc_at = table.len() as u32;
            table.extend(fc(runs[0].0).to_le_bytes());
            table.extend(fc(last).to_le_bytes());
            table.extend(((page_start / 512) as u32).to_le_bytes());
            put32(&mut word, 0x9A + 8 * 12, plc_at);
            put32(&mut word, 0x9A + 8 * 12 + 4, 12);
        }
        if let Some(len) = self.truncate_word {
            word.truncate(len);
        }
        let mut streams = vec![("WordDocument", word), ("0Table", table)];
        if let Some(summary) = &self.summary {
            streams.push(("\u{5}SummaryInformation", summary.clone()));
        }
        compound_file(&streams)
    }
}

fn compound_file(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        let mut stream = file.create_stream(name).unwrap();
        stream.write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn read(bytes: &[u8]) -> Document {
    read_doc(bytes, &Limits::default()).unwrap()
}

fn text_of(document: &Document) -> String {
    render_text(document, TextOptions { labels: false })
}

/// Reads `pieces` as the whole main text and compares the rendered text.
fn check(pieces: Vec<Piece>, expected: &str) {
    let document = read(&Word97::new(pieces).build());
    assert_eq!(text_of(&document), expected);
}

#[test]
fn paragraphs_split_on_paragraph_marks() {
    check(
        vec![piece8("Premier paragraphe.\rSecond paragraphe.\r")],
        "Premier paragraphe.\nSecond paragraphe.\n",
    );
}

#[test]
fn field_instructions_are_dropped_and_results_kept() {
    check(
        vec![piece8(
            "Nom : \x13 MERGEFIELD nom \x14Dupont\x15 et \x13 PAGE \x15fils\r",
        )],
        "Nom : Dupont et fils\n",
    );
    // Nested: the inner field sits in the outer instruction, the outer result survives.
    check(
        vec![piece8(
            "\x13 IF \x13 DATE \x1412/01\x15 = x \x14résultat\x15\r",
        )],
        "résultat\n",
    );
}

#[test]
fn special_characters_are_mapped() {
    check(
        vec![piece8("a\x1Eb\x1Fc\u{A0}d\x0Be\x01\x08\x05f\tg\r")],
        "a-bc d\nef\tg\n",
    );
}

#[test]
fn cp1252_and_utf16_pieces_decode() {
    check(
        vec![piece8("Coût : 12 € – "), piece16("élève ∑ 𝄞\r")],
        "Coût : 12 € – élève ∑ 𝄞\n",
    );
}

#[test]
fn fast_saved_pieces_read_in_cp_order_not_file_order() {
    let mut file = Word97::new(vec![
        piece8("Le début "),
        piece16("puis l'ajout "),
        piece8("et la fin.\r"),
    ]);
    file.reverse_storage = true;
    file.with_prc = true;
    file.flags = 0x0004;
    let document = read(&file.build());
    assert_eq!(text_of(&document), "Le début puis l'ajout et la fin.\n");
}

#[test]
fn stories_split_by_character_counts() {
    let body = "Le corps du texte\u{2}.\r";
    let footnote = "\u{2} Source : INSEE.\r";
    let comment = "\u{5}Un commentaire.\r";
    let mut file = Word97::new(vec![
        piece8(body),
        piece8(footnote),
        piece8(comment),
        piece8("\r"),
    ]);
    let count = |s: &str| s.encode_utf16().count() as u32;
    file.ccp = Some([count(body), count(footnote), 0, 0, count(comment), 0, 0, 0]);
    let document = read(&file.build());
    let kinds: Vec<StoryKind> = document.stories.iter().map(|story| story.kind).collect();
    assert_eq!(
        kinds,
        [StoryKind::Body, StoryKind::Footnote, StoryKind::Comment]
    );
    assert_eq!(
        document.stories[1].blocks,
        [Block::paragraph("Source : INSEE.")]
    );
    assert_eq!(
        document.stories[2].blocks,
        [Block::paragraph("Un commentaire.")]
    );
}

#[test]
fn cell_marks_make_a_table_without_paragraph_properties() {
    let document = read(
        &Word97::new(vec![piece8(
            "Avant\rSurface\x071 200 m²\x07\x07Coût\x0715 000 €\x07\x07Après\r",
        )])
        .build(),
    );
    let body = &document.stories[0];
    assert_eq!(body.blocks.len(), 3);
    let Block::Table(table) = &body.blocks[1] else {
        panic!("expected a table, got {:?}", body.blocks[1]);
    };
    let cells: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|row| row.cells.iter().map(|cell| cell.text.as_str()).collect())
        .collect();
    assert_eq!(cells, [["Surface", "1 200 m²"], ["Coût", "15 000 €"]]);
    assert_eq!(body.blocks[2], Block::paragraph("Après"));
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::PartSkipped)
    );
}

#[test]
fn encrypted_flag_is_encrypted_not_corrupt() {
    let mut file = Word97::new(vec![piece8("secret\r")]);
    file.flags = 0x0100;
    let error = read_doc(&file.build(), &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "encrypted", "{error}");
}

#[test]
fn decreasing_character_positions_are_corrupt() {
    let mut file = Word97::new(vec![piece8("un "), piece8("deux\r")]);
    file.cps = Some(vec![0, 3, 2]);
    let error = read_doc(&file.build(), &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
    assert!(error.to_string().contains("aCP"), "{error}");
}

#[test]
fn a_piece_past_the_stream_is_corrupt_with_the_text_before_it() {
    let mut file = Word97::new(vec![piece8("Texte sauvé.\r"), piece8("perdu\r")]);
    // Keep the first piece (13 bytes at TEXT_START) and cut the second.
    file.truncate_word = Some(TEXT_START + 15);
    let error = read_doc(&file.build(), &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
    let partial = error.partial().expect("partial text");
    assert_eq!(text_of(partial), "Texte sauvé.\n");
}

#[test]
fn limits_end_in_too_large() {
    let bytes = Word97::new(vec![piece8("a"), piece8("b"), piece8("c\r")]).build();
    let few_pieces = Limits {
        max_pieces: 2,
        ..Limits::default()
    };
    let error = read_doc(&bytes, &few_pieces).unwrap_err();
    assert!(
        matches!(error, ExtractError::TooLarge { what: "pieces", .. }),
        "{error}"
    );

    let bytes = Word97::new(vec![piece8("Une phrase assez longue.\r")]).build();
    let few_chars = Limits {
        max_chars: 10,
        ..Limits::default()
    };
    let error = read_doc(&bytes, &few_chars).unwrap_err();
    assert!(
        matches!(
            error,
            ExtractError::TooLarge {
                what: "characters",
                ..
            }
        ),
        "{error}"
    );

    let tiny_input = Limits {
        max_input_bytes: 100,
        ..Limits::default()
    };
    assert_eq!(
        read_doc(&bytes, &tiny_input).unwrap_err().kind(),
        "too_large"
    );
}

#[test]
fn other_formats_are_named() {
    let cases: [(&[u8], &str); 4] = [
        (b"PK\x03\x04rest of a docx", "unsupported"),
        (b"{\\rtf1 hello}", "unsupported"),
        (b"just some text", "corrupt"),
        (b"", "corrupt"),
    ];
    for (bytes, kind) in cases {
        let error = read_doc(bytes, &Limits::default()).unwrap_err();
        assert_eq!(error.kind(), kind, "{error}");
    }
    let workbook = compound_file(&[("Workbook", vec![0u8; 600])]);
    let error = read_doc(&workbook, &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "unsupported");
    assert!(error.to_string().contains("Excel"), "{error}");
}

#[test]
fn word6_text_is_read_from_fc_min_in_its_code_page() {
    let text = "Café crème\rSuite\r";
    let mut word = vec![0u8; 0x300];
    word[0..2].copy_from_slice(&0xA5DCu16.to_le_bytes());
    word[2..4].copy_from_slice(&101u16.to_le_bytes());
    let bytes = encode_cp1252(text);
    word[0x18..0x1C].copy_from_slice(&0x300u32.to_le_bytes());
    word[0x1C..0x20].copy_from_slice(&(0x300 + bytes.len() as u32).to_le_bytes());
    word[0x34..0x38].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
    word.extend(bytes);
    let document = read(&compound_file(&[("WordDocument", word)]));
    assert_eq!(text_of(&document), "Café crème\nSuite\n");
    assert_eq!(document.warnings[0].code, WarningCode::LegacyFormat);
}

/// A property set with one section: the given (PID, type, value bytes) properties.
fn property_set(properties: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend(0xFFFEu16.to_le_bytes());
    header.extend(0u16.to_le_bytes());
    header.extend(0u32.to_le_bytes());
    header.extend([0u8; 16]);
    header.extend(1u32.to_le_bytes());
    header.extend([
        0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3,
        0xD9,
    ]);
    header.extend(48u32.to_le_bytes());
    let mut values = Vec::new();
    let mut offsets = Vec::new();
    let table_len = 8 + 8 * properties.len();
    for (pid, kind, data) in properties {
        offsets.push((*pid, (table_len + values.len()) as u32));
        values.extend(kind.to_le_bytes());
        values.extend(data);
        while !values.len().is_multiple_of(4) {
            values.push(0);
        }
    }
    let mut section = Vec::new();
    section.extend(((table_len + values.len()) as u32).to_le_bytes());
    section.extend((properties.len() as u32).to_le_bytes());
    for (pid, offset) in offsets {
        section.extend(pid.to_le_bytes());
        section.extend(offset.to_le_bytes());
    }
    section.extend(values);
    header.extend(section);
    header
}

fn lpstr(bytes: &[u8]) -> Vec<u8> {
    let mut data = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
    data.extend(bytes);
    data.push(0);
    data
}

#[test]
fn summary_properties_honour_the_code_page() {
    // 2022-01-12T09:31:00Z as a FILETIME.
    let created = (1_641_979_860u64 + 11_644_473_600) * 10_000_000;
    let summary = property_set(&[
        (1, 2, 65001u16.to_le_bytes().to_vec()),
        (2, 0x1E, lpstr("Enquête régionale".as_bytes())),
        (4, 0x1E, lpstr("Hélène Martin".as_bytes())),
        (12, 0x40, created.to_le_bytes().to_vec()),
        (14, 3, 3u32.to_le_bytes().to_vec()),
    ]);
    let mut file = Word97::new(vec![piece8("Texte\r")]);
    file.summary = Some(summary);
    let document = read(&file.build());
    let metadata = &document.metadata;
    assert_eq!(metadata.title.as_deref(), Some("Enquête régionale"));
    assert_eq!(metadata.author.as_deref(), Some("Hélène Martin"));
    assert_eq!(metadata.created.as_deref(), Some("2022-01-12T09:31:00Z"));
    assert_eq!(metadata.pages, Some(3));
}

#[test]
fn a_broken_property_set_is_a_warning() {
    let mut file = Word97::new(vec![piece8("Texte\r")]);
    file.summary = Some(vec![0xFE, 0xFF, 1, 2, 3]);
    let document = read(&file.build());
    assert_eq!(text_of(&document), "Texte\n");
    assert_eq!(
        document.warnings.last().unwrap().code,
        WarningCode::PartSkipped
    );
}

#[test]
fn deleted_runs_are_left_out_and_symbols_become_their_glyph() {
    let text = "Forme : ( Association ( SCIC ancien nom\r";
    let mut file = Word97::new(vec![piece8(text)]);
    let symbol = |glyph: u16| {
        let mut grpprl = vec![0x09, 0x6A, 0x02, 0x00];
        grpprl.extend(glyph.to_le_bytes());
        grpprl
    };
    let deleted = vec![0x00, 0x08, 0x01];
    file.character_runs = vec![
        (0, 8, vec![]),
        (8, 9, symbol(0xF0FD)),
        (9, 22, vec![]),
        (22, 23, symbol(0xF0A8)),
        (23, 28, vec![]),
        (28, 39, deleted),
        (39, 40, vec![]),
    ];
    let document = read(&file.build());
    assert_eq!(text_of(&document), "Forme : ☒ Association ☐ SCIC\n");
}
