//! Dossier folders: finding them, reading their files, and handing them to the one assembly
//! ([`crate::assemble`]).

use std::path::{Path, PathBuf};

use dossiers_extract::{Document, Limits};
use dossiers_model::{FileEntry, FileFormat, FileRole, FileStatus, Record};

use crate::assemble::{DossierFile, DossierInput, assemble, file_format, guess_format};
use crate::dates::Calendar;

/// How to normalise.
#[derive(Clone, Debug, Default)]
pub struct NormalizeOptions {
    pub limits: Limits,
    /// The wave when it is known from elsewhere (a Démarches simplifiées export per wave); else
    /// it comes from the deposit date and the calendar.
    pub wave: Option<u8>,
    /// The wave calendar of the run (a pipeline declares its own); the embedded one
    /// (`data/waves.toml`) when `None`.
    pub calendar: Option<Calendar>,
}

/// The dossier folders under `path`: `path` itself when it holds files, else its sub-folders
/// that do (a folder of dossiers, or a Démarches simplifiées export), sorted by name.
pub fn find_dossiers(path: &Path) -> Vec<PathBuf> {
    find_dossiers_within(path, MAX_FOLDER_DEPTH)
}

/// How deep folders of dossiers may nest (an export inside a folder inside a folder…); it also
/// stops a symbolic-link loop.
const MAX_FOLDER_DEPTH: usize = 6;

fn find_dossiers_within(path: &Path, depth: usize) -> Vec<PathBuf> {
    if !path.is_dir() {
        return Vec::new();
    }
    let is_ds_dossier = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("dossier-"));
    if is_ds_dossier || holds_dossier_files(path) {
        return vec![path.to_path_buf()];
    }
    if depth == 0 {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.iter()
        .flat_map(|dir| find_dossiers_within(dir, depth - 1))
        .collect()
}

/// Extensions of the files a dossier is made of (an application or a budget matrix); a folder
/// holding only a README or truth files is not a dossier.
const DOSSIER_EXTENSIONS: &[&str] = &[
    "doc", "docx", "odt", "pdf", "xls", "xlsx", "xlsm", "ods", "rtf",
];

fn holds_dossier_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        path.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| DOSSIER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
    })
}

fn is_document_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.') && !name.ends_with(".truth.json")
}

/// Every file of a dossier folder (its sub-folders included), sorted.
fn dossier_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((current, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if depth < 3 {
                    stack.push((path, depth + 1));
                }
            } else if is_document_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// One file, read: its entry in the record and its document when it gave text.
struct ReadFile {
    entry: FileEntry,
    document: Option<Document>,
}

fn read_file(path: &Path, shown: String, limits: &Limits) -> ReadFile {
    let bytes = std::fs::read(path).unwrap_or_default();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let guessed = guess_format(name, &bytes);
    let mut entry = FileEntry {
        path: shown,
        role: FileRole::Other,
        format: guessed,
        bytes: bytes.len() as u64,
        // The content hash lets a reviewer tell two deposits of the same file apart from two
        // different files with one name.
        blake3: (!bytes.is_empty()).then(|| blake3::hash(&bytes).to_hex().to_string()),
        status: FileStatus::Ok,
        error: None,
        note: None,
    };
    if matches!(guessed, FileFormat::Image) {
        return ReadFile {
            entry,
            document: None,
        };
    }
    if guessed == FileFormat::Pdf {
        entry.status = FileStatus::Error;
        entry.error = Some("format PDF non pris en charge par l'extraction".into());
        return ReadFile {
            entry,
            document: None,
        };
    }
    match dossiers_extract::extract_bytes(&bytes, limits) {
        Ok(document) => {
            entry.format = file_format(document.format);
            let readable = document.has_text();
            if !readable {
                entry.status = FileStatus::Error;
                entry.error = Some("aucun texte lisible".into());
            }
            ReadFile {
                entry,
                document: readable.then_some(document),
            }
        }
        Err(error) => {
            entry.status = FileStatus::Error;
            entry.error = Some(error.to_string());
            ReadFile {
                entry,
                document: None,
            }
        }
    }
}

/// Normalises one dossier folder into its record.
pub fn normalize_dossier(dir: &Path, options: &NormalizeOptions) -> Record {
    let dossier_id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("dossier")
        .to_string();
    let files: Vec<ReadFile> = dossier_files(dir)
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let shown = format!("{dossier_id}/{}", relative.to_string_lossy());
            read_file(path, shown, &options.limits)
        })
        .collect();
    let input = DossierInput {
        dossier_id: &dossier_id,
        ds_number: None,
        files: files
            .iter()
            .map(|file| DossierFile {
                entry: file.entry.clone(),
                document: file.document.as_ref(),
            })
            .collect(),
        sheet: None,
    };
    assemble(input, options)
}

/// Normalises documents already extracted (for tests and tools): `application` and `budget`
/// are `(path shown in the record, document)`.
pub fn normalize_documents(
    dossier_id: &str,
    application: Option<(&str, &Document)>,
    budget: Option<(&str, &Document)>,
    options: &NormalizeOptions,
) -> Record {
    let files = application
        .into_iter()
        .chain(budget)
        .map(|(path, document)| DossierFile {
            entry: FileEntry {
                path: path.to_string(),
                role: FileRole::Other,
                format: file_format(document.format),
                bytes: 0,
                blake3: None,
                status: FileStatus::Ok,
                error: None,
                note: None,
            },
            document: Some(document),
        })
        .collect();
    let input = DossierInput {
        dossier_id,
        ds_number: None,
        files,
        sheet: None,
    };
    assemble(input, options)
}
