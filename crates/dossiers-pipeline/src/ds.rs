//! Démarches simplifiées (DS) exports as they come, and folders of dossiers, listed as dossier
//! units: one unit per dossier, with its files and, when the export sheet has it, its row.
//!
//! Operators download what DS gives them and drop it where the nightly run looks; they do not
//! unpack, rename or tidy. So the source accepts a zip or the folder it unpacks to, with any of
//! the root folders DS has used (`procedure-<pid>[-<id>]/`, `export/`, the export's base name,
//! or none: ../shared/research/domain.md §2.4), finds the attachments under
//! `dossier-<n>/pieces_justificatives/`, gives them back their original names (DS appends
//! `-DD-MM-YYYY-HH-MM-<id>`), and sets aside what is not an applicant's file (the dossier PDF,
//! messagerie, horodatage, avis, decision files). A zip is read in memory through
//! [`SafeZip`], never unpacked to disk, and an entry whose
//! path climbs out (`..`) or is absolute is refused.
//!
//! The export sheet (`dossiers_<path>_<date>.csv|xlsx|ods`) is joined by dossier number: it
//! holds what only DS knows (state, deposit time, the SIRET DS checked), which the record can be
//! compared with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use chrono::NaiveDateTime;
use dossiers_extract::zipped::SafeZip;
use dossiers_extract::{Budget, Document, ExtractError, Limits, StoryKind};
use serde::Serialize;

use crate::config::{RunLimits, Source};

/// A source that cannot be listed at all (a missing folder, a zip that is not one, a sheet
/// that cannot be read). Problems with single entries are not errors: they are listed in
/// [`Listing::set_aside`].
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        error: std::io::Error,
    },
    #[error("{}: {size} bytes is over the limit of {limit}", path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: not a readable zip: {error}", path.display())]
    Archive {
        path: PathBuf,
        #[source]
        error: ExtractError,
    },
    #[error("{}: {message}", path.display())]
    Sheet { path: PathBuf, message: String },
}

/// The size and modification time a file had when it was listed: when both match the state
/// store, the file is taken as unchanged without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch; 0 when the file system does not say.
    pub mtime_ns: i64,
}

impl FileStamp {
    pub fn of(metadata: &std::fs::Metadata) -> FileStamp {
        let mtime_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(0);
        FileStamp {
            size: metadata.len(),
            mtime_ns,
        }
    }
}

/// Where a file's bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileLocation {
    Disk(PathBuf),
    /// An entry of an export zip. The stamp of such a file is the zip's: an unchanged zip has
    /// unchanged entries.
    ZipEntry {
        archive: PathBuf,
        entry: String,
    },
}

/// One file of a dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitFile {
    /// The file's identity across runs: its path for a folder of dossiers; for an export,
    /// `<source path>!<path below the export's root>` (`…zip!dossier-12/pieces_justificatives/…`),
    /// which stays the same when DS names tomorrow's root differently.
    pub key: String,
    /// The name the applicant gave it (the DS suffix removed).
    pub name: String,
    pub location: FileLocation,
    pub stamp: FileStamp,
}

/// One dossier as a source gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct DossierUnit {
    /// `dossier-<n>` for a DS dossier, else the folder's name.
    pub dossier_id: String,
    /// The source it was listed from (its path as declared): a dossier is only taken as removed
    /// when its own source was listed whole.
    pub source: String,
    pub ds_number: Option<u64>,
    /// Sorted by key.
    pub files: Vec<UnitFile>,
    /// The export sheet's row for this dossier, when there is a sheet and it has one.
    pub sheet_row: Option<SheetRow>,
    /// The wave the source puts every dossier in, when it says.
    pub wave: Option<u8>,
}

/// Something found in a source that is not a dossier file, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetAside {
    pub path: String,
    pub reason: SetAsideReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SetAsideReason {
    /// Made by DS, not by the applicant: the dossier PDF, messagerie, horodatage, avis,
    /// decision files, bills, the download-error list.
    DsFile,
    /// An entry whose path climbs out of the export or is absolute.
    UnsafePath,
    /// Outside any `dossier-<n>/` folder under a recognised root.
    NotInADossier,
}

impl SetAsideReason {
    /// The stable name used in reports.
    pub fn code(self) -> &'static str {
        match self {
            SetAsideReason::DsFile => "ds_file",
            SetAsideReason::UnsafePath => "unsafe_path",
            SetAsideReason::NotInADossier => "not_in_a_dossier",
        }
    }
}

/// What one source holds.
#[derive(Debug, Default)]
pub struct Listing {
    pub units: Vec<DossierUnit>,
    pub set_aside: Vec<SetAside>,
    /// Sheet rows with no dossier in the source (a dossier without attachments, or one the
    /// export left out).
    pub sheet_only: Vec<SheetRow>,
    /// The export zip, when the source is one; its entries are read through it.
    pub archive: Option<Arc<ExportArchive>>,
}

/// Lists one declared source.
pub fn list_source(source: &Source, limits: &RunLimits) -> Result<Listing, SourceError> {
    match source {
        Source::Folder { path } => list_folder_of_dossiers(path),
        Source::DsExport { path, sheet, wave } => {
            list_ds_export(path, sheet.as_deref(), *wave, limits)
        }
    }
}

/// A folder whose sub-folders are dossiers (`find_dossiers` decides which). A folder named
/// `dossier-<n>` follows the DS layout rules.
pub fn list_folder_of_dossiers(path: &Path) -> Result<Listing, SourceError> {
    let metadata = std::fs::metadata(path).map_err(|error| SourceError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    if !metadata.is_dir() {
        return Err(SourceError::Io {
            path: path.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    let mut listing = Listing::default();
    for dir in dossiers_normalize::find_dossiers(path) {
        let dossier_id = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dossier".into());
        let ds_number = ds_number(&dossier_id);
        let mut files = Vec::new();
        for (relative, full, stamp) in walk(&dir, 3)? {
            let name = if ds_number.is_some() {
                match classify_in_dossier(&relative) {
                    InDossier::Piece { original } => original,
                    InDossier::SetAside(reason) => {
                        listing.set_aside.push(SetAside {
                            path: full.to_string_lossy().into_owned(),
                            reason,
                        });
                        continue;
                    }
                }
            } else {
                file_name(&relative).to_string()
            };
            files.push(UnitFile {
                key: full.to_string_lossy().into_owned(),
                name,
                location: FileLocation::Disk(full),
                stamp,
            });
        }
        files.sort_by(|a, b| a.key.cmp(&b.key));
        listing.units.push(DossierUnit {
            dossier_id,
            source: path.to_string_lossy().into_owned(),
            ds_number,
            files,
            sheet_row: None,
            wave: None,
        });
    }
    Ok(listing)
}

/// A DS export: a zip, or the folder it unpacks to, with its sheet when one is given or found.
pub fn list_ds_export(
    path: &Path,
    sheet: Option<&Path>,
    wave: Option<u8>,
    limits: &RunLimits,
) -> Result<Listing, SourceError> {
    let io = |error| SourceError::Io {
        path: path.to_path_buf(),
        error,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    let base_name = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Each candidate entry: its path inside the export, where it is, and its stamp.
    let mut entries: Vec<(String, FileLocation, FileStamp)> = Vec::new();
    if metadata.is_dir() {
        let dir_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (relative, full, stamp) in walk(path, 6)? {
            entries.push((relative, FileLocation::Disk(full), stamp));
        }
        let listing = assemble(&path.to_string_lossy(), entries, &dir_name, wave, None)?;
        return join_sheet(
            listing,
            sheet
                .map(Path::to_path_buf)
                .or_else(|| find_sheet(path, None)),
            limits,
        );
    }
    let opened = ExportArchive::open(path, limits)?;
    let stamp = FileStamp::of(&metadata);
    for name in opened.names()? {
        entries.push((
            name.clone(),
            FileLocation::ZipEntry {
                archive: path.to_path_buf(),
                entry: name,
            },
            stamp,
        ));
    }
    let listing = assemble(
        &path.to_string_lossy(),
        entries,
        &base_name,
        wave,
        Some(Arc::new(opened)),
    )?;
    let beside = path
        .parent()
        .and_then(|dir| find_sheet(dir, Some(&base_name)));
    join_sheet(listing, sheet.map(Path::to_path_buf).or(beside), limits)
}

fn join_sheet(
    mut listing: Listing,
    sheet: Option<PathBuf>,
    limits: &RunLimits,
) -> Result<Listing, SourceError> {
    let Some(sheet) = sheet else {
        return Ok(listing);
    };
    let mut rows = read_export_sheet(&sheet, limits)?.rows;
    for unit in &mut listing.units {
        if let Some(number) = unit.ds_number {
            unit.sheet_row = rows.remove(&number);
        }
    }
    listing.sheet_only = rows.into_values().collect();
    Ok(listing)
}

/// Groups classified entries into units.
fn assemble(
    source: &str,
    entries: Vec<(String, FileLocation, FileStamp)>,
    base_name: &str,
    wave: Option<u8>,
    archive: Option<Arc<ExportArchive>>,
) -> Result<Listing, SourceError> {
    let mut listing = Listing {
        archive,
        ..Listing::default()
    };
    let mut units: BTreeMap<u64, DossierUnit> = BTreeMap::new();
    for (name, location, stamp) in entries {
        // Keyed below the root: DS names the root after the export's date (or the archive's
        // id), so a key with the root would make every file of tomorrow's export look new.
        let key = format!("{source}!{}", strip_export_root(&name, base_name));
        match classify_export_entry(&name, base_name) {
            ExportEntry::Piece { number, original } => {
                let unit = units.entry(number).or_insert_with(|| DossierUnit {
                    dossier_id: format!("dossier-{number}"),
                    source: source.to_string(),
                    ds_number: Some(number),
                    files: Vec::new(),
                    sheet_row: None,
                    wave,
                });
                unit.files.push(UnitFile {
                    key,
                    name: original,
                    location,
                    stamp,
                });
            }
            ExportEntry::Folder => {}
            ExportEntry::SetAside(reason) => listing.set_aside.push(SetAside { path: key, reason }),
        }
    }
    for unit in units.values_mut() {
        unit.files.sort_by(|a, b| a.key.cmp(&b.key));
    }
    listing.units = units.into_values().collect();
    Ok(listing)
}

// ---------------------------------------------------------------------------------------------
// Names and paths.

/// What an entry of an export is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportEntry {
    /// An applicant's file of dossier `number`, with its original name.
    Piece {
        number: u64,
        original: String,
    },
    /// A folder entry of a zip.
    Folder,
    SetAside(SetAsideReason),
}

enum InDossier {
    Piece { original: String },
    SetAside(SetAsideReason),
}

/// Classifies one path of an export (a zip entry name, or a path relative to the export
/// folder). `base_name` is the export's base name (the zip's stem, or the folder's name), one of
/// the roots DS has used.
pub fn classify_export_entry(name: &str, base_name: &str) -> ExportEntry {
    if !is_safe_path(name) {
        return ExportEntry::SetAside(SetAsideReason::UnsafePath);
    }
    if name.ends_with('/') {
        return ExportEntry::Folder;
    }
    let rest = strip_export_root(name, base_name);
    let (dossier, inside) = rest.split_once('/').unwrap_or((rest, ""));
    let Some(number) = ds_number(dossier) else {
        // Bills, `LISEZMOI.txt` and the download-error list sit at the root of DS archives.
        let known = [
            "bills",
            "LISEZMOI.txt",
            "-LISTE-DES-FICHIERS-EN-ERREURS.txt",
        ];
        let reason = if known.contains(&dossier) {
            SetAsideReason::DsFile
        } else {
            SetAsideReason::NotInADossier
        };
        return ExportEntry::SetAside(reason);
    };
    if inside.is_empty() {
        return ExportEntry::SetAside(SetAsideReason::NotInADossier);
    }
    match classify_in_dossier(inside) {
        InDossier::Piece { original } => ExportEntry::Piece { number, original },
        InDossier::SetAside(reason) => ExportEntry::SetAside(reason),
    }
}

/// The path below the export's root folder (`procedure-<pid>[-<id>]/`, `export/`, the base
/// name), or the path itself when it has none of them.
fn strip_export_root<'a>(name: &'a str, base_name: &str) -> &'a str {
    let first = name.split('/').next().unwrap_or_default();
    if ds_number(first).is_none()
        && (first == "export" || first == base_name || is_procedure_root(first))
    {
        return name.get(first.len() + 1..).unwrap_or_default();
    }
    name
}

/// Classifies a path inside a `dossier-<n>/` folder.
fn classify_in_dossier(inside: &str) -> InDossier {
    let parts: Vec<&str> = inside.split('/').collect();
    match parts.as_slice() {
        ["pieces_justificatives", file] => InDossier::Piece {
            original: original_name(file),
        },
        [folder, ..]
            if ["messagerie", "dossier", "horodatage", "avis", "bills"].contains(folder) =>
        {
            InDossier::SetAside(SetAsideReason::DsFile)
        }
        [file] if file.starts_with("export-") && file.to_ascii_lowercase().ends_with(".pdf") => {
            InDossier::SetAside(SetAsideReason::DsFile)
        }
        // DS puts nothing else in a dossier folder; a file put there by hand is still the
        // applicant's, so it is read rather than lost.
        [file] => InDossier::Piece {
            original: original_name(file),
        },
        _ => InDossier::SetAside(SetAsideReason::NotInADossier),
    }
}

/// `dossier-7104321` → 7104321.
fn ds_number(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("dossier-")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `procedure-<pid>`, `procedure-<pid>-<archive id>`, `procedure-<pid>-mois-YYYY-MM`.
fn is_procedure_root(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("procedure-") else {
        return false;
    };
    let pid = rest.split('-').next().unwrap_or_default();
    !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
}

/// No `..` component, no absolute path, no drive letter; backslashes count as separators
/// because a zip made on Windows may use them.
fn is_safe_path(name: &str) -> bool {
    if name.is_empty() || name.starts_with('/') || name.starts_with('\\') {
        return false;
    }
    let bytes = name.as_bytes();
    if let [letter, b':', ..] = bytes
        && letter.is_ascii_alphabetic()
    {
        return false;
    }
    !name.split(['/', '\\']).any(|part| part == "..")
}

/// The name the applicant gave a file: DS stores `<name>-DD-MM-YYYY-HH-MM-<id>.<ext>`, with a
/// short id of 1 to 4 digits; the pattern is anchored on the right because `<name>` may itself
/// hold dashes and digits. A name without the suffix is returned as it is.
pub fn original_name(stored: &str) -> String {
    let (stem, extension) = match stored.rfind('.') {
        Some(dot) if dot > 0 => (
            stored.get(..dot).unwrap_or(stored),
            stored.get(dot..).unwrap_or(""),
        ),
        _ => (stored, ""),
    };
    // Right to left: id, minutes, hours, year, month, day.
    let widths: [(usize, usize); 6] = [(1, 4), (2, 2), (2, 2), (4, 4), (2, 2), (2, 2)];
    let mut rest = stem;
    for (min, max) in widths {
        let Some((head, part)) = rest.rsplit_once('-') else {
            return stored.to_string();
        };
        if part.len() < min || part.len() > max || !part.bytes().all(|b| b.is_ascii_digit()) {
            return stored.to_string();
        }
        rest = head;
    }
    format!("{rest}{extension}")
}

fn file_name(relative: &str) -> &str {
    relative.rsplit('/').next().unwrap_or(relative)
}

/// Files under `dir` (hidden files and `*.truth.json` left out), as `/`-separated relative
/// paths with their full path and stamp, sorted. Sub-folders deeper than `max_depth` are not
/// walked: a dossier folder is shallow, and a link loop must not hang the listing.
fn walk(dir: &Path, max_depth: usize) -> Result<Vec<(String, PathBuf, FileStamp)>, SourceError> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new(), 0usize)];
    while let Some((current, prefix, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|error| SourceError::Io {
            path: current.clone(),
            error,
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(".truth.json") {
                continue;
            }
            let path = entry.path();
            let relative = format!("{prefix}{name}");
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            if metadata.is_dir() {
                if depth < max_depth {
                    stack.push((path, format!("{relative}/"), depth + 1));
                }
            } else if metadata.is_file() {
                out.push((relative, path, FileStamp::of(&metadata)));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The export zip.

/// An export zip held in memory. DS exports of a wave are tens of MB; `max_export_bytes` keeps a
/// larger one from being loaded.
pub struct ExportArchive {
    path: PathBuf,
    bytes: Vec<u8>,
    limits: Limits,
}

impl std::fmt::Debug for ExportArchive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportArchive")
            .field("path", &self.path)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl ExportArchive {
    pub fn open(path: &Path, limits: &RunLimits) -> Result<ExportArchive, SourceError> {
        let io = |error| SourceError::Io {
            path: path.to_path_buf(),
            error,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > limits.max_export_bytes {
            return Err(SourceError::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: limits.max_export_bytes,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        // An export holds a few files per dossier, so it may have many more entries than an
        // office document; each entry is still bounded like a document's input.
        let limits = Limits {
            max_zip_entries: 1_000_000,
            max_entry_bytes: limits.max_input_bytes,
            max_total_inflated_bytes: limits.max_input_bytes,
            max_input_bytes: limits.max_input_bytes,
            ..Limits::default()
        };
        let archive = ExportArchive {
            path: path.to_path_buf(),
            bytes,
            limits,
        };
        archive.reader()?;
        Ok(archive)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn names(&self) -> Result<Vec<String>, SourceError> {
        Ok(self.reader()?.zip.names().to_vec())
    }

    /// An open reader; hold it while reading many entries (opening reads the central directory).
    pub fn reader(&self) -> Result<ArchiveReader<'_>, SourceError> {
        let zip =
            SafeZip::open(&self.bytes, &self.limits).map_err(|error| SourceError::Archive {
                path: self.path.clone(),
                error,
            })?;
        Ok(ArchiveReader {
            zip,
            limits: &self.limits,
        })
    }
}

/// Reads entries of an [`ExportArchive`].
#[derive(Debug)]
pub struct ArchiveReader<'a> {
    zip: SafeZip<'a>,
    limits: &'a Limits,
}

impl ArchiveReader<'_> {
    /// One entry's bytes, under the per-file limits; a damaged entry is an error (a truncated
    /// document is not worth extracting from a zip that was damaged in transit).
    pub fn read(&mut self, entry: &str) -> Result<Vec<u8>, ExtractError> {
        if !is_safe_path(entry) {
            return Err(ExtractError::corrupt(format!(
                "unsafe entry path {entry:?}"
            )));
        }
        let mut budget = Budget::new(self.limits);
        match self.zip.read(entry, &mut budget)? {
            None => Err(ExtractError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no entry {entry:?}"),
            ))),
            Some(part) => match part.damage {
                Some(damage) => Err(ExtractError::corrupt(damage)),
                None => Ok(part.bytes),
            },
        }
    }
}

/// Reads one file of a unit: from disk (bounded by `max_input_bytes`) or from its zip.
pub fn read_unit_file(
    file: &UnitFile,
    archive: Option<&mut ArchiveReader<'_>>,
    max_input_bytes: u64,
) -> Result<Vec<u8>, ExtractError> {
    match &file.location {
        FileLocation::Disk(path) => {
            let size = std::fs::metadata(path)?.len();
            if size > max_input_bytes {
                return Err(ExtractError::too_large(
                    "input size in bytes",
                    max_input_bytes,
                ));
            }
            Ok(std::fs::read(path)?)
        }
        FileLocation::ZipEntry { entry, .. } => match archive {
            Some(reader) => reader.read(entry),
            None => Err(ExtractError::Io(std::io::Error::other(
                "a zip entry was read without its archive",
            ))),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The export sheet.

/// A dossier's state in DS (`app/models/dossier.rb`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DsState {
    Brouillon,
    EnConstruction,
    EnInstruction,
    Accepte,
    Refuse,
    SansSuite,
}

impl DsState {
    /// From the French label of the export (`Classé sans suite`) or the API code
    /// (`sans_suite`).
    pub fn parse(label: &str) -> Option<DsState> {
        let folded = fold(label).replace('_', " ");
        Some(match folded.trim() {
            "brouillon" => DsState::Brouillon,
            "en construction" => DsState::EnConstruction,
            "en instruction" => DsState::EnInstruction,
            "accepte" => DsState::Accepte,
            "refuse" => DsState::Refuse,
            "classe sans suite" | "sans suite" => DsState::SansSuite,
            _ => return None,
        })
    }
}

/// One `Dossiers` row, joined with the applicant's `Etablissements` row for workbooks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SheetRow {
    pub number: u64,
    /// `Déposé le`, Paris time, when it parses.
    pub deposited_at: Option<NaiveDateTime>,
    pub deposited_raw: String,
    pub state: Option<DsState>,
    pub state_label: String,
    pub siret: Option<String>,
    pub legal_form_code: Option<String>,
    pub structure_name: Option<String>,
    /// Every column of the row by its header (champ columns included: a PJ champ holds the
    /// original file name, which tells which file answers which champ).
    pub columns: BTreeMap<String, String>,
}

/// The rows of an export sheet by dossier number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportSheet {
    pub rows: BTreeMap<u64, SheetRow>,
}

/// Reads an export sheet: `.csv` with a small reader, `.xlsx`/`.ods` through the extraction
/// readers (sheets `Dossiers` and `Etablissements`).
pub fn read_export_sheet(path: &Path, limits: &RunLimits) -> Result<ExportSheet, SourceError> {
    let error = |message: String| SourceError::Sheet {
        path: path.to_path_buf(),
        message,
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let extract_limits = Limits {
        max_input_bytes: limits.max_input_bytes,
        ..Limits::default()
    };
    if extension == "csv" {
        let size = std::fs::metadata(path)
            .map_err(|e| SourceError::Io {
                path: path.to_path_buf(),
                error: e,
            })?
            .len();
        if size > limits.max_input_bytes {
            return Err(SourceError::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: limits.max_input_bytes,
            });
        }
        let bytes = std::fs::read(path).map_err(|e| SourceError::Io {
            path: path.to_path_buf(),
            error: e,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let table = parse_csv(&text);
        return sheet_from_tables(&table, None).map_err(error);
    }
    let document = dossiers_extract::extract_path(path, &extract_limits)
        .map_err(|e| error(e.error.to_string()))?;
    let dossiers = sheet_table(&document, "Dossiers")
        .ok_or_else(|| error("the workbook has no `Dossiers` sheet".into()))?;
    let etablissements = sheet_table(&document, "Etablissements");
    sheet_from_tables(&dossiers, etablissements.as_deref()).map_err(error)
}

/// A sheet of a workbook as rows of strings, cells placed by their column letter.
fn sheet_table(document: &Document, name: &str) -> Option<Vec<Vec<String>>> {
    let story = document
        .stories_of(StoryKind::Sheet)
        .find(|story| story.name.as_deref().is_some_and(|n| fold(n) == fold(name)))?;
    let mut rows = Vec::new();
    for block in &story.blocks {
        let dossiers_extract::Block::Table(table) = block else {
            continue;
        };
        for row in &table.rows {
            let mut out: Vec<String> = Vec::new();
            for (index, cell) in row.cells.iter().enumerate() {
                let column = cell
                    .address
                    .as_deref()
                    .and_then(dossiers_extract::a1_column)
                    .unwrap_or(index);
                if column >= 16_384 {
                    continue;
                }
                if out.len() <= column {
                    out.resize(column + 1, String::new());
                }
                let text = match &cell.value {
                    Some(dossiers_extract::CellValue::Date(iso)) => iso.clone(),
                    _ => cell.text.clone(),
                };
                if let Some(slot) = out.get_mut(column) {
                    *slot = text;
                }
            }
            rows.push(out);
        }
    }
    Some(rows)
}

/// Builds the rows from a `Dossiers` table (header first) and, for workbooks, the
/// `Etablissements` table (the demandeur's row is the one whose `Champ` is `Dossier`).
fn sheet_from_tables(
    dossiers: &[Vec<String>],
    etablissements: Option<&[Vec<String>]>,
) -> Result<ExportSheet, String> {
    let Some((header, rows)) = dossiers.split_first() else {
        return Err("the `Dossiers` sheet is empty".into());
    };
    let find = |header: &[String], names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|name| fold(h) == *name))
    };
    let id = find(header, &["id", "numero", "numero de dossier"])
        .ok_or_else(|| "the `Dossiers` sheet has no `ID` column".to_string())?;
    let deposited = find(header, &["depose le", "date de depot"]);
    let state = find(header, &["etat du dossier", "etat"]);
    let siret = find(header, &["etablissement siret", "siret"]);
    let form = find(header, &["entreprise forme juridique code"]);
    let name = find(header, &["entreprise raison sociale"]);
    let cell = |row: &[String], column: Option<usize>| {
        column
            .and_then(|c| row.get(c))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut sheet = ExportSheet::default();
    for row in rows {
        // Workbooks store the ID as a number (`7104321` or `7104321.0`).
        let Some(number) = cell(row, Some(id)).and_then(|v| parse_number(&v)) else {
            continue;
        };
        let deposited_raw = cell(row, deposited).unwrap_or_default();
        let state_label = cell(row, state).unwrap_or_default();
        let columns = header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((h.trim().to_string(), row.get(i)?.trim().to_string())))
            .filter(|(h, v)| !h.is_empty() && !v.is_empty())
            .collect();
        sheet.rows.insert(
            number,
            SheetRow {
                number,
                deposited_at: parse_ds_datetime(&deposited_raw),
                deposited_raw,
                state: DsState::parse(&state_label),
                state_label,
                siret: cell(row, siret).map(|s| s.replace(' ', "")),
                legal_form_code: cell(row, form),
                structure_name: cell(row, name),
                columns,
            },
        );
    }
    if let Some((header, rows)) = etablissements.and_then(<[_]>::split_first) {
        let dossier = find(header, &["dossier id"]);
        let champ = find(header, &["champ"]);
        let siret = find(header, &["etablissement siret"]);
        let form = find(header, &["entreprise forme juridique code"]);
        let name = find(header, &["entreprise raison sociale"]);
        for row in rows {
            let is_applicant = cell(row, champ).is_none_or(|c| fold(&c) == "dossier");
            let Some(number) = cell(row, dossier).and_then(|v| parse_number(&v)) else {
                continue;
            };
            let Some(target) = sheet.rows.get_mut(&number).filter(|_| is_applicant) else {
                continue;
            };
            // The demandeur's establishment columns (a workbook keeps them on this sheet) are
            // evidence for the normaliser like the CSV's.
            for (i, h) in header.iter().enumerate() {
                if let Some(value) = row.get(i).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                    target
                        .columns
                        .entry(h.trim().to_string())
                        .or_insert_with(|| value.to_string());
                }
            }
            target.siret = target
                .siret
                .take()
                .or_else(|| cell(row, siret).map(|s| s.replace(' ', "")));
            target.legal_form_code = target.legal_form_code.take().or_else(|| cell(row, form));
            target.structure_name = target.structure_name.take().or_else(|| cell(row, name));
        }
    }
    Ok(sheet)
}

fn parse_number(value: &str) -> Option<u64> {
    let value = value.trim();
    let value = value.strip_suffix(".0").unwrap_or(value);
    value.parse().ok()
}

pub use dossiers_normalize::sheet::parse_ds_datetime;

/// RFC 4180 CSV: quoted fields with `""`, newlines inside quotes, CRLF, a UTF-8 BOM; the
/// separator is `;` when the header holds more of them than commas (a sheet re-saved by a
/// French spreadsheet program).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let separator = if first_line.matches(';').count() > first_line.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == separator {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Lower case without accents, for matching headers and labels.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// The export sheet in `dir`: `dossiers_*.csv|xlsx|ods`, the one named like the export when
/// there is such a one, else the only one.
fn find_sheet(dir: &Path, base_name: Option<&str>) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut sheets: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            name.starts_with("dossiers_")
                && [".csv", ".xlsx", ".ods"].iter().any(|e| name.ends_with(e))
                && p.is_file()
        })
        .collect();
    sheets.sort();
    if let Some(base) = base_name
        && let Some(same) = sheets.iter().find(|p| {
            p.file_stem()
                .is_some_and(|stem| stem.to_string_lossy() == base)
        })
    {
        return Some(same.clone());
    }
    match sheets.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_name(stored: &str, expected: &str) {
        assert_eq!(original_name(stored), expected, "{stored}");
    }

    #[test]
    fn the_ds_suffix_is_stripped_from_the_right() {
        check_name(
            "dossier-candidature-23-11-2021-23-36-4821.docx",
            "dossier-candidature.docx",
        );
        check_name(
            "matrice-budgetaire-28-11-2021-11-07-7.xls",
            "matrice-budgetaire.xls",
        );
        check_name(
            "attestation-dossier--05-03-2021-00-00-1234.pdf",
            "attestation-dossier-.pdf",
        );
        check_name(
            "budget-2022-01-01-12-2021-10-00-12.xlsx",
            "budget-2022-01.xlsx",
        );
        check_name("sans-extension-01-12-2021-10-00-12", "sans-extension");
        check_name("dossier.docx", "dossier.docx");
        check_name(
            "plan-01-12-2021-10-00-12345.pdf",
            "plan-01-12-2021-10-00-12345.pdf",
        );
        check_name("plan-1-12-2021-10-00-12.pdf", "plan-1-12-2021-10-00-12.pdf");
        check_name("01-12-2021-10-00-12.pdf", "01-12-2021-10-00-12.pdf");
        check_name("-01-12-2021-10-00-12.pdf", ".pdf");
    }

    fn check_entry(name: &str, expected: ExportEntry) {
        assert_eq!(
            classify_export_entry(name, "dossiers_mp_2022-04-15_08-00"),
            expected,
            "{name}"
        );
    }

    fn piece(number: u64, original: &str) -> ExportEntry {
        ExportEntry::Piece {
            number,
            original: original.into(),
        }
    }

    #[test]
    fn every_root_ds_has_used_is_recognised() {
        let pj = "dossier-12/pieces_justificatives/a-01-12-2021-10-00-1.doc";
        for root in [
            "",
            "export/",
            "procedure-4242/",
            "procedure-4242-777/",
            "procedure-4242-mois-2022-01/",
            "dossiers_mp_2022-04-15_08-00/",
        ] {
            check_entry(&format!("{root}{pj}"), piece(12, "a.doc"));
        }
        check_entry(
            &format!("elsewhere/{pj}"),
            ExportEntry::SetAside(SetAsideReason::NotInADossier),
        );
    }

    #[test]
    fn ds_files_are_set_aside() {
        let ds = ExportEntry::SetAside(SetAsideReason::DsFile);
        check_entry(
            "export/dossier-12/export-12-14-04-2022-17-02-12.pdf",
            ds.clone(),
        );
        check_entry(
            "export/dossier-12/messagerie/q-13-12-2021-10-00-12.txt",
            ds.clone(),
        );
        check_entry(
            "export/dossier-12/dossier/motivation-13-12-2021-10-00-1.pdf",
            ds.clone(),
        );
        check_entry(
            "export/dossier-12/horodatage/op-14-04-2022-17-02-7.json",
            ds.clone(),
        );
        check_entry(
            "export/dossier-12/avis/avis-14-04-2022-17-02-7.pdf",
            ds.clone(),
        );
        check_entry("export/bills/b-14-04-2022-17-02-7.json", ds.clone());
        check_entry("LISEZMOI.txt", ds);
        check_entry("export/dossier-12/", ExportEntry::Folder);
        check_entry("export/dossier-12/notes.txt", piece(12, "notes.txt"));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        let refused = ExportEntry::SetAside(SetAsideReason::UnsafePath);
        check_entry("export/../../etc/passwd", refused.clone());
        check_entry("/dossier-1/pieces_justificatives/a.doc", refused.clone());
        check_entry("\\dossier-1\\a.doc", refused.clone());
        check_entry("C:/dossier-1/a.doc", refused.clone());
        check_entry("export/dossier-1/pieces_justificatives/..\\a.doc", refused);
    }

    #[test]
    fn csv_quotes_newlines_and_separators() {
        let rows = parse_csv("\u{feff}ID,Nom\r\n1,\"Dupont, \"\"Jean\"\"\nsuite\"\n2,x");
        assert_eq!(
            rows,
            vec![
                vec!["ID".to_string(), "Nom".into()],
                vec!["1".into(), "Dupont, \"Jean\"\nsuite".into()],
                vec!["2".into(), "x".into()],
            ]
        );
        assert_eq!(parse_csv("a;b\n1;2,5\n")[1], vec!["1", "2,5"]);
    }

    #[test]
    fn ds_dates_and_states() {
        let at = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            parse_ds_datetime("2021-11-23 23:36:00"),
            Some(at("2021-11-23 23:36"))
        );
        assert_eq!(
            parse_ds_datetime("2021-11-23T23:36:00+01:00"),
            Some(at("2021-11-23 23:36"))
        );
        assert_eq!(
            parse_ds_datetime("2021-11-23 23:36:00 +0100"),
            Some(at("2021-11-23 23:36"))
        );
        assert_eq!(
            parse_ds_datetime("23/11/2021 23:36"),
            Some(at("2021-11-23 23:36"))
        );
        assert_eq!(
            parse_ds_datetime("2021-11-23"),
            Some(at("2021-11-23 00:00"))
        );
        assert_eq!(parse_ds_datetime("hier"), None);
        assert_eq!(
            DsState::parse("Classé sans suite"),
            Some(DsState::SansSuite)
        );
        assert_eq!(
            DsState::parse("en_instruction"),
            Some(DsState::EnInstruction)
        );
        assert_eq!(DsState::parse("Accepté"), Some(DsState::Accepte));
        assert_eq!(DsState::parse("?"), None);
        assert_eq!(dossiers_extract::a1_column("A1"), Some(0));
        assert_eq!(dossiers_extract::a1_column("AB12"), Some(27));
    }
}
