//! `.xls` (BIFF8, and BIFF5 in an OLE container) through calamine, behind three guards.
//!
//! 1. The OLE container is opened with the `cfb` crate, which validates sector chains, and the
//!    workbook stream is copied into a freshly written container: calamine's own OLE reader
//!    spins and allocates gigabytes on a 1 KB file with a looping chain (`oleloop.xls`), and it
//!    only ever sees well-formed containers this way.
//! 2. The workbook stream is walked once as calamine will walk it, to refuse encrypted files and
//!    sheets whose cells would be laid out over too large a rectangle (calamine allocates the
//!    whole bounding box), and to neutralise `DIMENSIONS` records, which calamine trusts for a
//!    `reserve` that a crafted file can make abort the process.
//! 3. A file whose codepage calamine does not know is read again: BIFF5 as Windows-1252, BIFF8
//!    (whose strings are UTF-16 anyway) with the codepage record ignored.

use std::io::{Cursor, Read, Write};
use std::time::Instant;

use calamine::{Reader, Xls, XlsError, XlsOptions};
use dossiers_document::{Document, ExtractError, Format, Limits, Result, WarningCode};

use crate::cells::SheetGrid;
use crate::containers::CFB_MAGIC;
use crate::rc4;
use crate::workbook::{WorkbookBuilder, check_input_size, corrupt, guard};

/// Property streams copied along with the workbook stream, for the document's metadata.
const PROPERTY_STREAMS: [&str; 2] = ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"];

/// Property streams larger than this are left out (they hold a few hundred bytes in practice).
const MAX_PROPERTY_STREAM_BYTES: u64 = 1 << 20;

pub(crate) fn read(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let started = Instant::now();
    check_input_size(bytes, limits)?;
    let mut container = Container::open(bytes, limits)?;
    let decrypted = match filepass(&container.workbook) {
        Some(filepass) => {
            decrypt(&mut container.workbook, filepass)?;
            true
        }
        None => false,
    };
    let scan = scan_workbook_stream(&mut container.workbook);
    let dense_cells = scan.dense_cells();
    if dense_cells > limits.max_cells || scan.n_cells > limits.max_cells {
        return Err(ExtractError::too_large("cells", limits.max_cells));
    }
    let clean = container.rebuild(&container.workbook)?;

    let mut builder = WorkbookBuilder::new(Format::Xls, limits);
    if decrypted {
        builder.document.warn(
            WarningCode::Other,
            "decrypted with Excel's default password (a write-protected workbook)",
        );
    }
    let salvaged;
    let mut skipped_sheet = None;
    let (mut workbook, codepage_note) = match open_with_retry(&clean, scan.biff8) {
        Ok(opened) => opened,
        Err(error @ ExtractError::Corrupt { .. }) => {
            let deadline = started + limits.max_duration / 2;
            let Some((bytes, sheet)) = salvage(&container, &scan, deadline) else {
                return Err(error);
            };
            salvaged = bytes;
            skipped_sheet = Some((sheet, error.to_string()));
            open_with_retry(&salvaged, scan.biff8)?
        }
        Err(error) => return Err(error),
    };
    if let Some(note) = codepage_note {
        builder.document.warn(WarningCode::Other, note);
    }
    if let Some((sheet, error)) = skipped_sheet {
        let name = workbook
            .sheets_metadata()
            .get(sheet)
            .map_or_else(|| format!("#{}", sheet + 1), |s| format!("{:?}", s.name));
        builder.document.warn(
            WarningCode::Recovered,
            format!("sheet {name} could not be read ({error}); it is left empty"),
        );
    }
    if let Err(error) = read_sheets(&mut workbook, &mut builder) {
        return Err(builder.fail(error));
    }
    builder.set_properties(guard("reading the properties", || {
        workbook.workbook_properties()
    }));
    Ok(builder.document)
}

/// Opens the rebuilt container, and again with a forced codepage when calamine does not know
/// the file's. The note says how the text was decoded then.
fn open_with_retry(clean: &[u8], biff8: bool) -> Result<(Workbook<'_>, Option<String>)> {
    match open(clean, XlsOptions::default())? {
        Ok(workbook) => Ok((workbook, None)),
        // calamine's error type for this is private: its message is all there is to match.
        Err(XlsError::Cfb(error)) if error.to_string().starts_with("Codepage") => {
            // BIFF8 keeps its strings in UTF-16 whatever the CODEPAGE record says, and forcing
            // a single-byte codepage would garble them; BIFF5 text is single-byte, and
            // Windows-1252 is the likeliest guess for a French workbook.
            let (codepage, name) = if biff8 {
                (1200, "UTF-16 (BIFF8)")
            } else {
                (1252, "Windows-1252")
            };
            let mut options = XlsOptions::default();
            options.force_codepage = Some(codepage);
            let workbook = open(clean, options)?.map_err(xls_error)?;
            Ok((
                workbook,
                Some(format!("{error}: the text was decoded as {name}")),
            ))
        }
        Err(error) => Err(xls_error(error)),
    }
}

/// Most sheets tried one by one when a workbook does not open.
const MAX_SALVAGE_ATTEMPTS: usize = 64;

/// calamine reads every sheet when it opens a workbook, so one damaged sheet loses them all.
/// This finds the one sheet whose substream, once ended right after its BOF, lets the workbook
/// open, and returns the rebuilt container with that sheet emptied and the sheet's index.
/// Attempts stop at `deadline`: each one parses the whole workbook again.
fn salvage(
    container: &Container,
    scan: &StreamScan,
    deadline: Instant,
) -> Option<(Vec<u8>, usize)> {
    for (index, offset) in scan
        .sheet_offsets
        .iter()
        .enumerate()
        .take(MAX_SALVAGE_ATTEMPTS)
    {
        if Instant::now() > deadline {
            return None;
        }
        let mut stream = container.workbook.clone();
        let Some(second) = records(&stream, *offset).nth(1) else {
            continue;
        };
        let header = second.data_start.saturating_sub(4);
        let Some(typ) = stream.get_mut(header..header + 2) else {
            continue;
        };
        typ.copy_from_slice(&0x000A_u16.to_le_bytes());
        let Ok(bytes) = container.rebuild(&stream) else {
            continue;
        };
        if open_with_retry(&bytes, scan.biff8).is_ok() {
            return Some((bytes, index));
        }
    }
    None
}

/// calamine's reader over the rebuilt container, held in memory.
type Workbook<'a> = Xls<Cursor<&'a [u8]>>;

fn open(clean: &[u8], options: XlsOptions) -> Result<Result<Workbook<'_>, XlsError>> {
    guard("opening the xls", || {
        Xls::new_with_options(Cursor::new(clean), options)
    })
}

fn xls_error(error: XlsError) -> ExtractError {
    match error {
        XlsError::Password => ExtractError::encrypted("xls: workbook is password protected"),
        other => corrupt("xls", other),
    }
}

fn read_sheets(workbook: &mut Workbook<'_>, builder: &mut WorkbookBuilder) -> Result<()> {
    let sheets = workbook.sheets_metadata().to_vec();
    for sheet in sheets {
        let mut grid = SheetGrid::default();
        if sheet.typ != calamine::SheetType::WorkSheet {
            // A chart or dialog sheet has no cells of its own; calamine 0.38 answers a range
            // request for one with the cells of the sheet before it (calamine_any_sheets.xls).
            builder.add_sheet(&sheet.name, sheet.visible, grid, &[])?;
            continue;
        }
        let range = guard("reading a sheet", || workbook.worksheet_range(&sheet.name))?;
        let formulas = guard("reading formulas", || {
            workbook.worksheet_formula(&sheet.name)
        })?
        .ok();
        match range {
            Ok(range) => {
                if let Err(error) = grid.push_range(&range, formulas.as_ref(), &mut builder.budget)
                {
                    builder.add_sheet(&sheet.name, sheet.visible, grid, &[])?;
                    return Err(error);
                }
            }
            Err(error) => builder.document.warn(
                WarningCode::PartSkipped,
                format!("sheet {:?}: {error}", sheet.name),
            ),
        }
        let merged = guard("reading merged cells", || {
            workbook.merge_cells_by_sheet_name(&sheet.name)
        })?
        .unwrap_or_default();
        builder.add_sheet(&sheet.name, sheet.visible, grid, &merged)?;
    }
    Ok(())
}

/// The streams calamine needs, read through the `cfb` crate.
struct Container {
    workbook: Vec<u8>,
    properties: Vec<(&'static str, Vec<u8>)>,
}

impl Container {
    fn open(bytes: &[u8], limits: &Limits) -> Result<Container> {
        if !bytes.starts_with(&CFB_MAGIC) {
            return Err(not_ole(bytes));
        }
        let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|error| {
            ExtractError::corrupt(format!("xls: broken OLE container: {error}"))
        })?;
        let mut workbook_name = None;
        for entry in file.read_root_storage() {
            if !entry.is_stream() {
                continue;
            }
            let name = entry.name();
            if name.eq_ignore_ascii_case("Workbook") {
                workbook_name = Some(name.to_owned());
                break;
            }
            if name.eq_ignore_ascii_case("Book") && workbook_name.is_none() {
                workbook_name = Some(name.to_owned());
            }
        }
        let Some(workbook_name) = workbook_name else {
            if file.is_stream("EncryptedPackage") {
                return Err(ExtractError::encrypted(
                    "xls: a password-protected OOXML package",
                ));
            }
            if file.is_stream("WordDocument") {
                return Err(ExtractError::unsupported(
                    "doc (a Word document, not a workbook)",
                ));
            }
            return Err(ExtractError::corrupt(
                "xls: no Workbook stream in the OLE container",
            ));
        };
        let limit = limits.max_input_bytes.min(bytes.len() as u64);
        let workbook = read_stream(&mut file, &workbook_name, limit)?
            .ok_or_else(|| ExtractError::corrupt("xls: the Workbook stream is too large"))?;
        let mut properties = Vec::new();
        for name in PROPERTY_STREAMS {
            if file.is_stream(name)
                && let Ok(Some(stream)) = read_stream(&mut file, name, MAX_PROPERTY_STREAM_BYTES)
            {
                properties.push((name, stream));
            }
        }
        Ok(Container {
            workbook,
            properties,
        })
    }

    /// Writes `workbook` (this container's stream, or an edited copy) and the property streams
    /// into a new, well-formed OLE container for calamine.
    fn rebuild(&self, workbook: &[u8]) -> Result<Vec<u8>> {
        let build = || -> std::io::Result<Vec<u8>> {
            // Version 3 (512-byte sectors): calamine refuses a version 4 file whose streams are
            // all too large for the mini stream, as its root entry then has no start sector.
            let mut file =
                cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))?;
            file.create_stream("Workbook")?.write_all(workbook)?;
            for (name, stream) in &self.properties {
                file.create_stream(name)?.write_all(stream)?;
            }
            file.flush()?;
            Ok(file.into_inner().into_inner())
        };
        build().map_err(|error| {
            ExtractError::corrupt(format!("xls: rebuilding the container: {error}"))
        })
    }
}

/// Reads a stream of at most `limit` bytes; `None` when it is larger.
fn read_stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>> {
    let mut stream = file
        .open_stream(name)
        .map_err(|error| ExtractError::corrupt(format!("xls: stream {name}: {error}")))?;
    if stream.len() > limit {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(stream.len() as usize);
    (&mut stream)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|error| ExtractError::corrupt(format!("xls: stream {name}: {error}")))?;
    Ok(Some(out))
}

fn not_ole(bytes: &[u8]) -> ExtractError {
    match bytes {
        [b'P', b'K', ..] => {
            ExtractError::corrupt("xls: a zip archive (an .xlsx?), not an OLE file")
        }
        // A BOF record with no OLE container around it: BIFF2 to BIFF5 written as a bare stream.
        [0x09, 0x00 | 0x02 | 0x04 | 0x08, ..] => {
            ExtractError::unsupported("xls (a bare BIFF stream without an OLE container)")
        }
        _ => ExtractError::corrupt("xls: not an OLE compound file"),
    }
}

/// What one walk over the workbook stream found.
#[derive(Debug, Default)]
struct StreamScan {
    /// Cell records, over all sheets.
    n_cells: u64,
    /// The globals' BOF says BIFF8 (Excel 97 and later), whose strings are UTF-16.
    biff8: bool,
    /// Per sheet, the rectangle calamine will allocate: first and last row and column.
    boxes: Vec<Option<(u32, u32, u32, u32)>>,
    /// Per sheet, where its substream starts (BOUNDSHEET order).
    sheet_offsets: Vec<usize>,
}

impl StreamScan {
    fn dense_cells(&self) -> u64 {
        self.boxes
            .iter()
            .flatten()
            .map(|(r0, c0, r1, c1)| {
                (u64::from(r1.saturating_sub(*r0)) + 1) * (u64::from(c1.saturating_sub(*c0)) + 1)
            })
            .fold(0u64, u64::saturating_add)
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let pair = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*pair.first()?, *pair.get(1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let quad = data.get(at..at.checked_add(4)?)?;
    let mut out = [0u8; 4];
    out.copy_from_slice(quad);
    Some(u32::from_le_bytes(out))
}

/// One BIFF record: its type, the offset of its data and the data's length.
struct RecordAt {
    typ: u16,
    data_start: usize,
    len: usize,
}

/// Walks BIFF records from `start` the way calamine does (a `CONTINUE` belongs to the record
/// before it and is skipped here).
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = RecordAt> + '_ {
    let mut pos = start;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = usize::from(u16_at(stream, pos + 2)?);
        let data_start = pos + 4;
        if data_start + len > stream.len() {
            return None;
        }
        pos = data_start + len;
        Some(RecordAt {
            typ,
            data_start,
            len,
        })
    })
}

/// The data of the globals' `FILEPASS` record, when the workbook is encrypted.
fn filepass(stream: &[u8]) -> Option<std::ops::Range<usize>> {
    for record in records(stream, 0) {
        match record.typ {
            0x002F => return Some(record.data_start..record.data_start + record.len),
            0x000A => return None,
            _ => {}
        }
    }
    None
}

/// Decrypts a workbook encrypted with Excel's default password in place, and marks it as clear
/// for calamine. An error names the encryption when the workbook cannot be read without a
/// password.
fn decrypt(stream: &mut [u8], filepass: std::ops::Range<usize>) -> Result<()> {
    let data = stream.get(filepass.clone()).unwrap_or_default().to_vec();
    if rc4::decrypt_default_password(stream, &data) {
        // wEncryptionType 0 with no XOR data after it: calamine reads the stream as clear.
        if let Some(kind) = stream.get_mut(filepass.start..filepass.start + 2) {
            kind.fill(0);
        }
        return Ok(());
    }
    let how = match (u16_at(&data, 0), u16_at(&data, 2)) {
        (Some(1), Some(1)) => "RC4-encrypted with a password",
        (Some(1), _) => "encrypted with CryptoAPI RC4",
        (Some(0), _) => "XOR-obfuscated",
        _ => "encrypted",
    };
    Err(ExtractError::encrypted(format!(
        "xls: the workbook is {how}"
    )))
}

/// Walks the globals for `BOUNDSHEET`, then each sheet's substream from its offset, as calamine
/// will. Rewrites every `DIMENSIONS` record to an empty rectangle.
fn scan_workbook_stream(stream: &mut [u8]) -> StreamScan {
    let mut scan = StreamScan::default();
    let mut sheet_offsets = Vec::new();
    for record in records(stream, 0) {
        let data = stream
            .get(record.data_start..record.data_start + record.len)
            .unwrap_or_default();
        match record.typ {
            0x0809 if record.data_start == 4 => scan.biff8 = u16_at(data, 0) == Some(0x0600),
            0x0085 => {
                if let Some(offset) = u32_at(data, 0) {
                    sheet_offsets.push(offset as usize);
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut dimensions = Vec::new();
    for &offset in &sheet_offsets {
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        let mut extend = |row: u16, col: u16| {
            let (row, col) = (u32::from(row), u32::from(col));
            bounds = Some(match bounds {
                None => (row, col, row, col),
                Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
            });
        };
        let mut seen_bof = false;
        let mut depth = 0usize;
        for record in records(stream, offset) {
            let data = stream
                .get(record.data_start..record.data_start + record.len)
                .unwrap_or_default();
            if depth > 0 {
                match record.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = (u16_at(data, 0), u16_at(data, 2));
            match record.typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => dimensions.push(record.data_start..record.data_start + record.len),
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(col)) = cell {
                        extend(row, col);
                        scan.n_cells += 1;
                    }
                }
                0x00BD => {
                    if let (Some(row), Some(first)) = cell
                        && let Some(last) =
                            record.len.checked_sub(2).and_then(|at| u16_at(data, at))
                    {
                        extend(row, first);
                        extend(row, last.max(first));
                        scan.n_cells += u64::from(last.saturating_sub(first)) + 1;
                    }
                }
                _ => {}
            }
        }
        scan.boxes.push(bounds);
    }
    for range in dimensions {
        if let Some(data) = stream.get_mut(range) {
            data.fill(0);
        }
    }
    scan.sheet_offsets = sheet_offsets;
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_biff_stream_is_unsupported() {
        let error = read(&[0x09, 0x08, 0x10, 0x00, 0, 6], &Limits::default()).unwrap_err();
        assert_eq!(error.kind(), "unsupported");
    }

    #[test]
    fn garbage_is_corrupt() {
        let error = read(b"hello, world", &Limits::default()).unwrap_err();
        assert_eq!(error.kind(), "corrupt");
    }
}
