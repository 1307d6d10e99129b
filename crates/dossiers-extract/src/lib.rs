//! The extraction seam. [`extract_path`] and [`extract_bytes`] detect a file's real format from
//! its bytes ([`sniff`]), never from its name, and hand it to the one reader for that format:
//! `.doc` to `dossiers-doc`, `.docx`/`.odt` to `dossiers-word`, `.xls`/`.xlsx`/`.ods` to
//! `dossiers-sheet`, `.rtf` (often named `.doc`) to `dossiers-rtf`. Everything downstream sees only the [`Document`] model.
//!
//! Readers are pure functions of bytes and [`Limits`]; this crate adds the file-level concerns:
//! the input-size limit, the path in every error, a warning when the name lies about the
//! format, and a last-resort guard that turns a reader panic into a `corrupt` error.

mod sniff;

use std::path::{Path, PathBuf};

pub use dossiers_document::*;
pub use sniff::{Sniffed, sniff};

/// A failure to extract one file: the file and the cause.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    #[source]
    pub error: ExtractError,
}

/// Reads and extracts one file.
pub fn extract_path(path: &Path, limits: &Limits) -> std::result::Result<Document, FileError> {
    let at = |error: ExtractError| FileError {
        path: path.to_path_buf(),
        error,
    };
    let size = std::fs::metadata(path).map_err(|e| at(e.into()))?.len();
    if size > limits.max_input_bytes {
        return Err(at(ExtractError::too_large(
            "input size in bytes",
            limits.max_input_bytes,
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| at(e.into()))?;
    let mut document = extract_bytes(&bytes, limits).map_err(at)?;
    if let Some(expected) = format_from_name(path)
        && expected != document.format
    {
        document.warn(
            WarningCode::MisnamedFile,
            format!(
                "the name says .{expected} but the content is {}",
                document.format
            ),
        );
    }
    Ok(document)
}

/// Extracts a file held in memory.
pub fn extract_bytes(bytes: &[u8], limits: &Limits) -> Result<Document> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::too_large(
            "input size in bytes",
            limits.max_input_bytes,
        ));
    }
    let format = match sniff(bytes, limits)? {
        Sniffed::Format(format) => format,
        Sniffed::Unsupported(what) => return Err(ExtractError::unsupported(what)),
        Sniffed::Encrypted(what) => return Err(ExtractError::encrypted(what)),
    };
    tracing::debug!(%format, bytes = bytes.len(), "extracting");
    let read = || match format {
        Format::Doc => dossiers_doc::read_doc(bytes, limits),
        Format::Docx => dossiers_word::read_docx(bytes, limits),
        Format::Odt => dossiers_word::read_odt(bytes, limits),
        Format::Xls => dossiers_sheet::read_xls(bytes, limits),
        Format::Xlsx => dossiers_sheet::read_xlsx(bytes, limits),
        Format::Ods => dossiers_sheet::read_ods(bytes, limits),
        Format::Rtf => dossiers_rtf::read_rtf(bytes, limits),
    };
    // Readers do not panic on input by design (no indexing, no unwrap on file data), but calamine
    // does on some malformed workbooks; this guard keeps one such file from taking a whole batch
    // down with it.
    IN_READER.with(|flag| flag.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    IN_READER.with(|flag| flag.set(false));
    outcome.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ExtractError::corrupt(format!(
            "the {format} reader panicked: {what}"
        )))
    })
}

thread_local! {
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays silent for panics raised inside a reader (they are caught
/// and reported as `corrupt` errors naming the file) and defers to the previous hook for any
/// other panic. Binaries call it once at start-up so that a caught panic does not print a
/// backtrace between the lines of their output.
pub fn quiet_reader_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_READER.with(std::cell::Cell::get) {
            previous(info);
        }
    }));
}

/// The format a file's extension claims, if it is one we read.
pub fn format_from_name(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "doc" | "dot" => Format::Doc,
        "docx" | "docm" | "dotx" => Format::Docx,
        "odt" | "ott" => Format::Odt,
        "xls" | "xlt" => Format::Xls,
        "xlsx" | "xlsm" | "xltx" => Format::Xlsx,
        "ods" | "ots" => Format::Ods,
        "rtf" => Format::Rtf,
        _ => return None,
    })
}
