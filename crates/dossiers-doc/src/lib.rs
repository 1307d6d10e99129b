//! A native reader for Word 97-2003 (and Word 6/95) binary `.doc` files, on top of the `cfb`
//! container crate.
//!
//! French grant dossiers still arrive as `.doc`, and no maintained crate reads them the way we
//! need (every story, tables kept as tables, property code pages honoured, bounded on hostile
//! input), so the [MS-DOC] algorithm is implemented here: FIB → piece table → text in CP order →
//! stories split by their character counts → paragraphs and tables from the paragraph marks and
//! their properties. Everything read from the file is bounds-checked; limits are charged to a
//! [`Budget`] so that a hostile file ends in an error, never a panic or a hang.

mod bytes;
mod fib;
mod pieces;
mod props;
mod special;
mod story;
mod summary;

use std::io::{Cursor, Read};

use dossiers_document::{
    Budget, Document, ExtractError, Format, Limits, Result, Story, StoryKind, WarningCode,
};

use crate::bytes::u32_at;
use crate::fib::{Fib, Generation};
use crate::pieces::{PieceTable, SingleByte, read_text};
use crate::props::{CharacterRuns, ParagraphTable, Styles};
use crate::special::{FormValue, read_form_field, symbol_char};
use crate::story::{DELETED, Layout, build_story};

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a Word 97-2003 (or Word 6/95) binary document.
pub fn read_doc(bytes: &[u8], limits: &Limits) -> Result<Document> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::too_large(
            "input size in bytes",
            limits.max_input_bytes,
        ));
    }
    if !bytes.starts_with(&CFB_MAGIC) {
        return Err(not_a_compound_file(bytes));
    }
    let mut budget = Budget::new(limits);
    // No stream can hold more than the file, whatever its directory entry claims: bounding
    // reads by the input keeps a lying entry from reserving memory.
    let limits = &Limits {
        max_input_bytes: bytes.len() as u64,
        ..limits.clone()
    };
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|error| ExtractError::corrupt(format!("OLE2 container: {error}")))?;
    if container.is_stream("EncryptionInfo") && container.is_stream("EncryptedPackage") {
        return Err(ExtractError::encrypted(
            "password-protected Office Open XML document in an OLE2 container",
        ));
    }
    if !container.is_stream("WordDocument") {
        let what = if container.is_stream("Workbook") || container.is_stream("Book") {
            "an Excel workbook (.xls), not a Word document"
        } else if container.is_stream("PowerPoint Document") {
            "a PowerPoint presentation (.ppt), not a Word document"
        } else {
            "an OLE2 file without a WordDocument stream"
        };
        return Err(ExtractError::unsupported(what));
    }
    let word = read_stream(&mut container, "WordDocument", limits)
        .ok_or_else(|| ExtractError::corrupt("the WordDocument stream is unreadable"))?;
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        let how = if fib.obfuscated {
            "XOR obfuscation"
        } else {
            "RC4 or CryptoAPI encryption"
        };
        return Err(ExtractError::encrypted(format!("Word document with {how}")));
    }
    let mut document = Document::new(Format::Doc);
    read_properties(&mut container, limits, &mut document);
    if container.is_storage("ObjectPool") {
        // Embedded OLE objects (a spreadsheet, another document) are files of their own; the
        // caller may extract them, this reader does not recurse.
        document.warn(
            WarningCode::PartSkipped,
            "embedded objects (ObjectPool) are not extracted",
        );
    }
    budget.check_time()?;
    match fib.generation {
        Generation::Word97 => {
            read_word97(&mut container, &word, &fib, limits, &mut budget, document)
        }
        Generation::Word6 => read_word6(&word, &fib, limits, &mut budget, document),
    }
}

/// Names what a non-OLE2 input is, as far as its first bytes tell.
fn not_a_compound_file(bytes: &[u8]) -> ExtractError {
    if bytes.starts_with(b"PK\x03\x04") {
        ExtractError::unsupported("a zip container (.docx or similar), not a Word 97-2003 .doc")
    } else if bytes.starts_with(b"{\\rtf") {
        ExtractError::unsupported("RTF, not a Word 97-2003 .doc")
    } else if bytes.starts_with(b"%PDF") {
        ExtractError::unsupported("PDF, not a Word 97-2003 .doc")
    } else if bytes.starts_with(&[0xDB, 0xA5]) || bytes.starts_with(&[0x9B, 0xA5]) {
        ExtractError::unsupported("Word 1/2 flat file")
    } else if bytes.starts_with(&CFB_MAGIC[..4]) {
        ExtractError::corrupt("truncated OLE2 header")
    } else {
        ExtractError::corrupt("not an OLE2 compound file (no D0 CF 11 E0 signature)")
    }
}

fn read_stream(
    container: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Option<Vec<u8>> {
    let stream = container.open_stream(name).ok()?;
    let len = stream.len().min(limits.max_input_bytes);
    let mut data = Vec::with_capacity(usize::try_from(len).ok()?);
    stream
        .take(limits.max_input_bytes)
        .read_to_end(&mut data)
        .ok()?;
    Some(data)
}

/// Document properties are a bonus: a broken property set is a warning, never an error.
fn read_properties(
    container: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    limits: &Limits,
    document: &mut Document,
) {
    let streams = [
        (
            "\u{5}SummaryInformation",
            summary::read_summary as fn(&[u8], &mut _) -> bool,
        ),
        (
            "\u{5}DocumentSummaryInformation",
            summary::read_document_summary,
        ),
    ];
    for (name, read) in streams {
        if !container.is_stream(name) {
            continue;
        }
        let ok = read_stream(container, name, limits)
            .is_some_and(|data| read(&data, &mut document.metadata));
        if !ok {
            let name = name.trim_start_matches('\u{5}');
            document.warn(
                WarningCode::PartSkipped,
                format!("unreadable {name} property set"),
            );
        }
    }
}

fn read_word97(
    container: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    word: &[u8],
    fib: &Fib,
    limits: &Limits,
    budget: &mut Budget,
    mut document: Document,
) -> Result<Document> {
    let table_name = if fib.table_1 { "1Table" } else { "0Table" };
    let table = read_stream(container, table_name, limits)
        .ok_or_else(|| ExtractError::corrupt(format!("no readable {table_name} stream")))?;
    let clx = fib
        .clx
        .bytes(&table)
        .ok_or_else(|| ExtractError::corrupt("the piece table lies outside the table stream"))?;
    let pieces = PieceTable::parse(clx, false, limits.max_pieces)?;
    let cp1252 = SingleByte::new(encoding_rs::WINDOWS_1252);
    let (mut text, read_error) = read_text(word, &pieces, pieces.last_cp(), &cp1252, budget);

    let paragraphs = fib
        .plcf_bte_papx
        .bytes(&table)
        .and_then(|plc| ParagraphTable::parse(word, plc, Generation::Word97))
        .filter(|table| !table.is_empty());
    if paragraphs.is_none() {
        document.warn(
            WarningCode::PartSkipped,
            "paragraph properties unreadable: tables rebuilt from cell marks alone",
        );
    }
    let data = read_stream(container, "Data", limits).unwrap_or_default();
    let forms = fib
        .plcf_bte_chpx
        .bytes(&table)
        .and_then(|plc| CharacterRuns::parse(word, plc, Generation::Word97))
        .map(|runs| apply_character_runs(&mut text.units, &pieces, &runs, &data))
        .unwrap_or_default();
    let styles = fib
        .stsh
        .bytes(&table)
        .map(|stsh| Styles::parse(stsh, Generation::Word97))
        .unwrap_or_default();
    let layout = Layout {
        text: &text.units,
        pieces: &pieces,
        paragraphs: paragraphs.as_ref(),
        styles: &styles,
        forms: &forms,
    };
    let header_stories = fib.plcf_hdd.bytes(&table).map(header_story_bounds);
    let built = build_stories(
        &layout,
        fib,
        header_stories.as_deref(),
        budget,
        &mut document,
    );
    finish(document, built, read_error)
}

fn read_word6(
    word: &[u8],
    fib: &Fib,
    limits: &Limits,
    budget: &mut Budget,
    mut document: Document,
) -> Result<Document> {
    document.warn(
        WarningCode::LegacyFormat,
        format!(
            "Word 6/95 document (nFib {}): no list information",
            fib.n_fib
        ),
    );
    let total = fib.lengths.total();
    let pieces = if fib.complex {
        let clx = fib.clx.bytes(word).ok_or_else(|| {
            ExtractError::corrupt("the fast-saved Word 6 piece table lies outside the stream")
        })?;
        PieceTable::parse(clx, true, limits.max_pieces)?
    } else {
        // The text is contiguous from fcMin; the final paragraph mark follows the last story.
        let with_mark = if total > u64::from(fib.lengths.text) {
            total + 1
        } else {
            total
        };
        let available = u64::from(fib.fc_mac.saturating_sub(fib.fc_min));
        let n = with_mark.min(available.max(u64::from(fib.lengths.text)));
        PieceTable::contiguous(fib.fc_min, u32::try_from(n).unwrap_or(u32::MAX))
    };
    let encoding = word6_encoding(word, fib);
    let single_byte = SingleByte::new(encoding);
    let (mut text, read_error) = read_text(word, &pieces, pieces.last_cp(), &single_byte, budget);
    if let Some(runs) = fib
        .plcf_bte_chpx
        .bytes(word)
        .and_then(|plc| CharacterRuns::parse(word, plc, Generation::Word6))
    {
        apply_character_runs(&mut text.units, &pieces, &runs, &[]);
    }
    // Word 6 keeps every table in WordDocument itself.
    let paragraphs = fib
        .plcf_bte_papx
        .bytes(word)
        .and_then(|plc| ParagraphTable::parse(word, plc, Generation::Word6))
        .filter(|table| !table.is_empty());
    let styles = fib
        .stsh
        .bytes(word)
        .map(|stsh| Styles::parse(stsh, Generation::Word6))
        .unwrap_or_default();
    let layout = Layout {
        text: &text.units,
        pieces: &pieces,
        paragraphs: paragraphs.as_ref(),
        styles: &styles,
        forms: &[],
    };
    let built = build_stories(&layout, fib, None, budget, &mut document);
    finish(document, built, read_error)
}

/// Word 6/95 text is in the ANSI code page of the writer's system, which the file does not
/// record; like POI, take it from the first font whose character set is not plain ANSI.
fn word6_encoding(word: &[u8], fib: &Fib) -> &'static encoding_rs::Encoding {
    if fib.chse == 256 {
        return encoding_rs::MACINTOSH;
    }
    let Some(fonts) = fib.sttbf_ffn.bytes(word) else {
        return encoding_rs::WINDOWS_1252;
    };
    // A u16 total length, then FFNs each starting with their size minus one; chs is byte 4.
    let mut offset = 2usize;
    while let Some(&cb_minus_one) = fonts.get(offset) {
        let code_page = match fonts.get(offset + 4) {
            Some(161) => 1253,
            Some(162) => 1254,
            Some(163) => 1258,
            Some(177) => 1255,
            Some(178) => 1256,
            Some(186) => 1257,
            Some(204) => 1251,
            Some(222) => 874,
            Some(238) => 1250,
            Some(77) => 10000,
            _ => 0,
        };
        if let Some(encoding) = summary::encoding_for_code_page(code_page) {
            return encoding;
        }
        offset += usize::from(cb_minus_one) + 1;
    }
    encoding_rs::WINDOWS_1252
}

/// Applies the character runs to the decoded text: deleted runs become [`DELETED`], symbol
/// placeholders their glyph; returns the form fields anchored in the text, by CP.
fn apply_character_runs(
    units: &mut [u16],
    pieces: &PieceTable,
    runs: &CharacterRuns,
    data: &[u8],
) -> Vec<(u32, FormValue)> {
    const SYMBOL_PLACEHOLDER: u16 = 0x28;
    const OBJECT_ANCHOR: u16 = 0x01;
    for_each_cp_span(
        pieces,
        &runs.deleted,
        |run| *run,
        |_, from, to| {
            if let Some(span) = units.get_mut(from..to.min(units.len())) {
                span.fill(DELETED);
            }
        },
    );
    for_each_cp_span(
        pieces,
        &runs.symbols,
        |run| (run.0, run.1),
        |run, from, to| {
            let glyph = symbol_char(run.2)
                .and_then(|ch| u16::try_from(u32::from(ch)).ok())
                .unwrap_or(DELETED);
            if let Some(span) = units.get_mut(from..to.min(units.len())) {
                for unit in span.iter_mut().filter(|unit| **unit == SYMBOL_PLACEHOLDER) {
                    *unit = glyph;
                }
            }
        },
    );
    let mut forms = Vec::new();
    if data.is_empty() {
        return forms;
    }
    for_each_cp_span(
        pieces,
        &runs.objects,
        |run| (run.0, run.1),
        |run, from, to| {
            let anchors = units.get(from..to.min(units.len())).unwrap_or_default();
            for (cp, _) in (from..)
                .zip(anchors)
                .filter(|(_, unit)| **unit == OBJECT_ANCHOR)
            {
                if let (Ok(cp), Some(value)) = (u32::try_from(cp), read_form_field(data, run.2)) {
                    forms.push((cp, value));
                }
            }
        },
    );
    forms.sort_by_key(|form| form.0);
    forms
}

/// Calls `visit(run, cp_from, cp_to)` for the characters whose bytes lie in each run, piece by
/// piece. `runs` are sorted and disjoint byte ranges (given by `range`), which bounds the work
/// by the length of the text.
fn for_each_cp_span<R>(
    pieces: &PieceTable,
    runs: &[R],
    range: impl Fn(&R) -> (u32, u32),
    mut visit: impl FnMut(&R, usize, usize),
) {
    if runs.is_empty() {
        return;
    }
    for piece in &pieces.pieces {
        let width = if piece.compressed { 1u64 } else { 2 };
        let fc_start = u64::from(piece.fc);
        let n = u64::from(piece.cp_end - piece.cp_start);
        let fc_end = fc_start + n * width;
        let first = runs.partition_point(|run| u64::from(range(run).1) <= fc_start);
        for run in runs.iter().skip(first) {
            let (start, end) = range(run);
            let (start, end) = (u64::from(start), u64::from(end));
            if start >= fc_end {
                break;
            }
            let from = start.max(fc_start);
            let to = end.min(fc_end);
            if from >= to {
                continue;
            }
            let cp_from = u64::from(piece.cp_start) + (from - fc_start) / width;
            let cp_to = u64::from(piece.cp_start) + (to - fc_start).div_ceil(width);
            if let (Ok(cp_from), Ok(cp_to)) = (usize::try_from(cp_from), usize::try_from(cp_to)) {
                visit(run, cp_from, cp_to);
            }
        }
    }
}

/// The PlcfHdd's CPs (relative to the start of the header stories), up to the first one that
/// goes backwards: stories must not overlap, or a hostile file could make us read the same
/// range over and over.
fn header_story_bounds(plc: &[u8]) -> Vec<u32> {
    let mut bounds: Vec<u32> = Vec::with_capacity(plc.len() / 4);
    for cp in (0..plc.len() / 4).filter_map(|i| u32_at(plc, 4 * i)) {
        if bounds.last().is_some_and(|&last| cp < last) {
            break;
        }
        bounds.push(cp);
    }
    bounds
}

/// The names of the six stories each section has in the PlcfHdd, in their order.
const HEADER_STORIES: [(StoryKind, &str); 6] = [
    (StoryKind::Header, "even"),
    (StoryKind::Header, "odd"),
    (StoryKind::Footer, "even"),
    (StoryKind::Footer, "odd"),
    (StoryKind::Header, "first page"),
    (StoryKind::Footer, "first page"),
];

/// Splits the CP space by the FIB's character counts and builds each story in reading order.
fn build_stories(
    layout: &Layout<'_>,
    fib: &Fib,
    header_bounds: Option<&[u32]>,
    budget: &mut Budget,
    document: &mut Document,
) -> Result<()> {
    let lengths = &fib.lengths;
    if lengths.total() > layout.text.len() as u64 {
        document.warn(
            WarningCode::Recovered,
            format!(
                "the FIB counts {} characters but the text has {}: the last stories are cut short",
                lengths.total(),
                layout.text.len()
            ),
        );
    }
    let mut start = 0u32;
    let mut next = |n: u32| {
        let range = (start, start.saturating_add(n));
        start = range.1;
        range
    };
    let body = next(lengths.text);
    let footnotes = next(lengths.footnotes);
    let headers = next(lengths.headers);
    let _macros = next(lengths.macros);
    let comments = next(lengths.comments);
    let endnotes = next(lengths.endnotes);
    let text_boxes = next(lengths.text_boxes);
    let header_text_boxes = next(lengths.header_text_boxes);

    let story = build_story(layout, body.0, body.1, Story::new(StoryKind::Body), budget)?;
    document.push_story(story);

    if headers.1 > headers.0 {
        build_header_stories(layout, headers, header_bounds, fib, budget, document)?;
    }
    let others = [
        (footnotes, Story::new(StoryKind::Footnote)),
        (endnotes, Story::new(StoryKind::Endnote)),
        (comments, Story::new(StoryKind::Comment)),
        (text_boxes, Story::new(StoryKind::TextBox)),
        (
            header_text_boxes,
            Story::named(StoryKind::TextBox, "header"),
        ),
    ];
    for ((from, to), story) in others {
        if to > from {
            let story = build_story(layout, from, to, story, budget)?;
            document.push_story(story);
        }
    }
    Ok(())
}

fn build_header_stories(
    layout: &Layout<'_>,
    (from, to): (u32, u32),
    bounds: Option<&[u32]>,
    fib: &Fib,
    budget: &mut Budget,
    document: &mut Document,
) -> Result<()> {
    let Some(bounds) = bounds.filter(|b| b.len() > 7 && fib.generation == Generation::Word97)
    else {
        // Without the PlcfHdd (or in Word 6, which stores only the stories a section uses)
        // the header range is kept as one story.
        let story = build_story(layout, from, to, Story::new(StoryKind::Header), budget)?;
        document.push_story(story);
        return Ok(());
    };
    // Six separator stories, six per section, then one closing CP and a guard.
    let n_sections = bounds.len().saturating_sub(8).div_ceil(6);
    for (index, pair) in bounds.windows(2).enumerate().skip(6) {
        let &[a, b] = pair else { continue };
        let story_index = index - 6;
        let Some(&(kind, name)) = HEADER_STORIES.get(story_index % 6) else {
            continue;
        };
        let (start, end) = (from.saturating_add(a), from.saturating_add(b).min(to));
        if end <= start {
            continue;
        }
        let name = if n_sections > 1 {
            format!("{name}, section {}", story_index / 6 + 1)
        } else {
            name.to_owned()
        };
        let story = build_story(layout, start, end, Story::named(kind, name), budget)?;
        document.push_story(story);
    }
    Ok(())
}

/// The document, or the error that stopped reading with the document so far as partial text.
fn finish(
    document: Document,
    built: Result<()>,
    read_error: Option<ExtractError>,
) -> Result<Document> {
    match (built, read_error) {
        (_, Some(error)) | (Err(error), None) => Err(error.with_partial(document)),
        (Ok(()), None) => Ok(document),
    }
}
