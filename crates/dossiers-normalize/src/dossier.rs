//! Dossier assembly: a folder's files classified by role from their content, the application
//! and the budget matrix read, the record filled with provenance and flags.
//!
//! A missing or unreadable file is a flag in the record, never a failure of the run: a reviewer
//! still gets everything the other files say.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dossiers_extract::{Document, Limits};
use dossiers_model::{
    FileEntry, FileFormat, FileRole, FileStatus, Flag, FlagCode, LandControlStatus, LegalForm,
    Provenance, Record, Section, SectionTopic,
};

use crate::application::{Application, read_application};
use crate::budget::{BudgetReading, read_budget};
use crate::lexicon::Label;
use crate::names::{NameKind, clean_name};
use crate::{activities, dates, land, legal, siret, territory};

/// How to normalise.
#[derive(Clone, Debug, Default)]
pub struct NormalizeOptions {
    pub limits: Limits,
    /// The wave when it is known from elsewhere (a Démarches simplifiées export per wave); else
    /// it comes from the deposit date and the calendar.
    pub wave: Option<u8>,
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

/// One file, read.
struct ReadFile {
    entry: FileEntry,
    document: Option<Document>,
}

fn format_of(path: &Path, bytes: &[u8]) -> FileFormat {
    if bytes.starts_with(b"%PDF") {
        return FileFormat::Pdf;
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xff, 0xd8, 0xff])
        || bytes.starts_with(b"GIF8")
    {
        return FileFormat::Image;
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "doc" => FileFormat::Doc,
        "docx" => FileFormat::Docx,
        "odt" => FileFormat::Odt,
        "pdf" => FileFormat::Pdf,
        "xls" => FileFormat::Xls,
        "xlsx" | "xlsm" => FileFormat::Xlsx,
        "ods" => FileFormat::Ods,
        "rtf" => FileFormat::Rtf,
        "png" | "jpg" | "jpeg" | "gif" | "tif" | "tiff" | "bmp" | "webp" => FileFormat::Image,
        _ => FileFormat::Other,
    }
}

fn from_extract(format: dossiers_extract::Format) -> FileFormat {
    match format {
        dossiers_extract::Format::Doc => FileFormat::Doc,
        dossiers_extract::Format::Docx => FileFormat::Docx,
        dossiers_extract::Format::Odt => FileFormat::Odt,
        dossiers_extract::Format::Xls => FileFormat::Xls,
        dossiers_extract::Format::Xlsx => FileFormat::Xlsx,
        dossiers_extract::Format::Ods => FileFormat::Ods,
        dossiers_extract::Format::Rtf => FileFormat::Rtf,
    }
}

fn is_text_format(format: FileFormat) -> bool {
    matches!(
        format,
        FileFormat::Doc | FileFormat::Docx | FileFormat::Odt | FileFormat::Rtf | FileFormat::Pdf
    )
}

fn is_sheet_format(format: FileFormat) -> bool {
    matches!(format, FileFormat::Xls | FileFormat::Xlsx | FileFormat::Ods)
}

fn read_file(path: &Path, shown: String, limits: &Limits) -> ReadFile {
    let bytes = std::fs::read(path).unwrap_or_default();
    let guessed = format_of(path, &bytes);
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
            entry.format = from_extract(document.format);
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

/// How much a readable text document looks like an application: the topics its headings name
/// and the form labels it carries.
fn application_score(app: &Application) -> usize {
    let mut topics: Vec<SectionTopic> = app.sections.iter().map(|s| s.own_topic).collect();
    topics.sort();
    topics.dedup();
    let labels = app.fields.iter().filter(|f| f.key.is_some()).count();
    topics.len() * 10 + labels * 3 + app.text.len() / 2000
}

/// Below this score a readable text document is a letter or an annex rather than an
/// application (fewer than two topics and a couple of labels).
const APPLICATION_MIN_SCORE: usize = 20;

/// A file name that says « application » (« candidature », « dossier »): the tie-breaker
/// between a readable annex and an unreadable application.
fn named_like_application(path: &str) -> bool {
    let name = crate::text::fold(path.rsplit('/').next().unwrap_or(path));
    ["candidature", "dossier", "application", "projet", "ami"]
        .iter()
        .any(|w| name.contains(w))
}

/// Normalises one dossier folder into its record.
pub fn normalize_dossier(dir: &Path, options: &NormalizeOptions) -> Record {
    let dossier_id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("dossier")
        .to_string();
    let mut record = Record::new(dossier_id.clone());
    record.ds_number = dossier_id
        .strip_prefix("dossier-")
        .and_then(|n| n.parse().ok());
    let mut files: Vec<ReadFile> = dossier_files(dir)
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let shown = format!("{dossier_id}/{}", relative.to_string_lossy());
            read_file(path, shown, &options.limits)
        })
        .collect();

    // Applications: every readable text document, scored by content; budgets: every workbook
    // with figures, scored by the years it gives.
    let mut best_application: Option<(usize, usize, Application)> = None;
    let mut best_budget: Option<(usize, usize, BudgetReading)> = None;
    for (index, file) in files.iter().enumerate() {
        let Some(document) = &file.document else {
            continue;
        };
        if document.format.is_text_document() {
            let app = read_application(document);
            let score = application_score(&app);
            if best_application.as_ref().is_none_or(|(_, s, _)| score > *s) {
                best_application = Some((index, score, app));
            }
        } else {
            let reading = read_budget(document);
            if !reading.is_empty() {
                let score =
                    reading.years.len() * 10 + usize::from(reading.subsidy_requested.is_some()) * 5;
                if best_budget.as_ref().is_none_or(|(_, s, _)| score > *s) {
                    best_budget = Some((index, score, reading));
                }
            }
        }
    }
    // A weak readable document does not stand for an application that could not be read.
    if let Some((index, score, _)) = &best_application
        && *score < APPLICATION_MIN_SCORE
    {
        let unreadable_application = files.iter().any(|f| {
            f.entry.status == FileStatus::Error
                && is_text_format(f.entry.format)
                && named_like_application(&f.entry.path)
        });
        let readable_named = files
            .get(*index)
            .is_some_and(|f| named_like_application(&f.entry.path));
        if unreadable_application && !readable_named {
            best_application = None;
        }
    }
    let application_index = best_application.as_ref().map(|(i, _, _)| *i);
    let budget_index = best_budget.as_ref().map(|(i, _, _)| *i);
    // Unreadable files take the role their format suggests, so that the flags say what is
    // missing.
    let mut failed_application = false;
    let mut failed_budget = false;
    let n_text_candidates = files
        .iter()
        .filter(|f| is_text_format(f.entry.format))
        .count();
    let n_sheet_candidates = files
        .iter()
        .filter(|f| is_sheet_format(f.entry.format))
        .count();
    for (index, file) in files.iter_mut().enumerate() {
        if Some(index) == application_index {
            file.entry.role = FileRole::Application;
            if n_text_candidates > 1 {
                file.entry.note = Some("retenu comme dossier de candidature parmi plusieurs documents texte (sections et champs reconnus)".into());
            }
        } else if Some(index) == budget_index {
            file.entry.role = FileRole::Budget;
            if n_sheet_candidates > 1 {
                file.entry.note = Some("retenu comme matrice budgétaire parmi plusieurs classeurs (années et montants reconnus)".into());
            }
        } else if file.entry.status == FileStatus::Error
            && is_text_format(file.entry.format)
            && application_index.is_none()
        {
            file.entry.role = FileRole::Application;
            failed_application = true;
        } else if file.entry.status == FileStatus::Error
            && is_sheet_format(file.entry.format)
            && budget_index.is_none()
        {
            file.entry.role = FileRole::Budget;
            failed_budget = true;
        }
    }
    let application_file = application_index
        .and_then(|i| files.get(i))
        .map(|f| f.entry.path.clone());
    let budget_file = budget_index
        .and_then(|i| files.get(i))
        .map(|f| f.entry.path.clone());
    let matrix_fields = budget_index
        .and_then(|i| files.get(i))
        .and_then(|f| f.document.as_ref())
        .map(crate::budget::header_fields)
        .unwrap_or_default();
    record.files = files.into_iter().map(|f| f.entry).collect();
    let application = best_application.map(|(_, _, app)| app);
    let budget = best_budget.map(|(_, _, budget)| budget);
    assemble(
        &mut record,
        application.as_ref().zip(application_file.as_deref()),
        budget.as_ref().zip(budget_file.as_deref()),
        &matrix_fields,
        (failed_application, failed_budget),
        options.wave,
    );
    record
}

/// Normalises documents already extracted (for a pipeline that reads files itself, and for
/// tests): `application` and `budget` are `(path shown in the record, document)`.
pub fn normalize_documents(
    dossier_id: &str,
    application: Option<(&str, &Document)>,
    budget: Option<(&str, &Document)>,
    options: &NormalizeOptions,
) -> Record {
    let mut record = Record::new(dossier_id);
    record.ds_number = dossier_id
        .strip_prefix("dossier-")
        .and_then(|n| n.parse().ok());
    let entry = |path: &str, role: FileRole, document: &Document| FileEntry {
        path: path.to_string(),
        role,
        format: from_extract(document.format),
        bytes: 0,
        blake3: None,
        status: FileStatus::Ok,
        error: None,
        note: None,
    };
    let app = application.map(|(path, document)| {
        record
            .files
            .push(entry(path, FileRole::Application, document));
        (read_application(document), path)
    });
    let reading = budget.map(|(path, document)| {
        record.files.push(entry(path, FileRole::Budget, document));
        (
            read_budget(document),
            path,
            crate::budget::header_fields(document),
        )
    });
    let matrix_fields = reading
        .as_ref()
        .map(|(_, _, f)| f.clone())
        .unwrap_or_default();
    let budget = reading
        .as_ref()
        .filter(|(r, _, _)| !r.is_empty())
        .map(|(r, path, _)| (r, *path));
    assemble(
        &mut record,
        app.as_ref().map(|(a, path)| (a, *path)),
        budget,
        &matrix_fields,
        (false, false),
        options.wave,
    );
    record
}

/// Fills a record from what was read and raises its flags.
fn assemble(
    record: &mut Record,
    application: Option<(&Application, &str)>,
    budget: Option<(&BudgetReading, &str)>,
    matrix_fields: &[crate::budget::HeaderField],
    (failed_application, failed_budget): (bool, bool),
    wave: Option<u8>,
) {
    if let Some((app, file)) = application {
        fill_from_application(record, app, file);
        // The matrix's header names the structure and the project too; it is a fallback for an
        // application that does not label them.
        if let Some((_, budget_file)) = budget {
            for field in matrix_fields {
                let key = crate::application::label_key(&field.label);
                let (target, path, kind) = match key {
                    Some(Label::StructureName) => (
                        &mut record.applicant.structure_name,
                        "applicant.structure_name",
                        NameKind::Structure,
                    ),
                    Some(Label::ManufactureName) => (
                        &mut record.applicant.manufacture_name,
                        "applicant.manufacture_name",
                        NameKind::Manufacture,
                    ),
                    _ => continue,
                };
                let value = clean_name(&field.value, kind);
                if target.is_none() && value.is_some() {
                    *target = value;
                    provenance(record, path, budget_file, field.address.clone());
                }
            }
        }
        // A sentence of the cover or the applicant's presentation is the last resort for the
        // structure's name.
        if record.applicant.structure_name.is_none()
            && let Some(name) =
                crate::names::named_structure(&app.topic_text(SectionTopic::Applicant))
                    .or_else(|| crate::names::named_structure(&app.cover))
        {
            record.applicant.structure_name = Some(name);
            provenance(
                record,
                "applicant.structure_name",
                file,
                "présentation du porteur",
            );
        }
        if record.legal_model.form == LegalForm::Unknown
            && let Some(name) = record.applicant.structure_name.as_deref()
        {
            let form = legal::read_form_of_name(name);
            if form != LegalForm::Unknown {
                record.legal_model.form = form;
                provenance(record, "legal_model.form", file, "nom de la structure");
            }
        }
        if record.legal_model.consortium == Some(true) && record.legal_model.lead_partner.is_none()
        {
            record.legal_model.lead_partner = record.applicant.structure_name.clone();
        }
    }
    if let Some(wave) = wave {
        record.wave = Some(wave);
    }
    if let Some((reading, file)) = budget {
        fill_budget(record, reading, file);
    }
    raise_flags(
        record,
        application.is_some(),
        failed_application,
        budget.is_some(),
        failed_budget,
    );
}

fn provenance(record: &mut Record, field: &str, file: &str, at: impl Into<String>) {
    record.provenance.insert(
        field.to_string(),
        Provenance {
            file: file.to_string(),
            at: at.into(),
        },
    );
}

/// The line of `text` around byte `at`.
fn line_around(text: &str, at: usize) -> &str {
    let start = text
        .get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| at + i);
    text.get(start..end).unwrap_or("")
}

/// A sentence cited in provenance, « between quotes », cut to a readable length.
fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 160;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_CHARS {
        format!("« {text} »")
    } else {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("« {}… »", cut.trim_end())
    }
}

fn fill_from_application(record: &mut Record, app: &Application, file: &str) {
    // The whole text is read by several readers: fold it once.
    let app_folded = crate::text::Folded::new(&app.text);
    let asked: Vec<(usize, usize)> = app
        .asked
        .iter()
        .map(|(start, end)| {
            (
                app_folded.folded_offset(*start),
                app_folded.folded_offset(*end),
            )
        })
        .collect();
    record.sections = app
        .sections
        .iter()
        .map(|s| Section {
            topic: s.topic,
            title: s.title.clone(),
            text: s.text.trim_end().to_string(),
            at: s.at(),
        })
        .collect();

    // Deposit date and wave: the stamp that decided is quoted.
    let margins_folded = crate::text::Folded::new(&app.margins);
    let deposit = dates::deposit_in(&app_folded.text)
        .map(|d| (d, &app_folded, "page de garde"))
        .or_else(|| {
            dates::deposit_in(&margins_folded.text)
                .map(|d| (d, &margins_folded, "en-tête ou pied de page"))
        });
    if let Some((deposit, folded, place)) = deposit {
        record.deposited_at = Some(dates::iso_paris(deposit.at));
        record.wave = dates::wave_of(deposit.at);
        let line = folded.original_span(deposit.line_start, deposit.line_end);
        let at = format!("{place}, {}", quote(line));
        provenance(record, "deposited_at", file, at.clone());
        provenance(
            record,
            "wave",
            file,
            format!("{at} et calendrier des vagues"),
        );
    }

    let applicant_text = app.topic_text(SectionTopic::Applicant);
    // Identity: the first labelled value that reads as a name, else a sentence that
    // introduces one.
    let name_field = |label: Label, kind: NameKind| {
        app.fields
            .iter()
            .filter(|f| f.key == Some(label))
            .find_map(|f| clean_name(&f.value, kind).map(|name| (name, app.field_at(f))))
    };
    if let Some((name, at)) = name_field(Label::StructureName, NameKind::Structure) {
        record.applicant.structure_name = Some(name);
        provenance(record, "applicant.structure_name", file, at);
    }
    if let Some((name, at)) = name_field(Label::ManufactureName, NameKind::Manufacture) {
        record.applicant.manufacture_name = Some(name);
        provenance(record, "applicant.manufacture_name", file, at);
    }
    if record.applicant.manufacture_name.is_none() {
        let project = app.topic_text(SectionTopic::Project);
        let named = [
            (app.cover.as_str(), "page de garde"),
            (project.as_str(), "présentation du projet"),
            (app.text.as_str(), "texte de la candidature"),
        ]
        .into_iter()
        .find_map(|(text, at)| crate::names::named_manufacture(text).map(|name| (name, at)));
        if let Some((name, at)) = named {
            record.applicant.manufacture_name = Some(name);
            provenance(record, "applicant.manufacture_name", file, at);
        }
    }
    let siret_field = app.field(Label::Siret);
    let found_siret = match siret_field {
        Some(field) => {
            siret::find_siret(&format!("SIRET {}", field.value)).map(|s| (s, app.field_at(field)))
        }
        None => siret::find_siret(&applicant_text)
            .map(|s| (s, "présentation du porteur".to_string()))
            .or_else(|| {
                siret::find_siret_in(&app_folded)
                    .map(|s| (s, "texte de la candidature".to_string()))
            })
            // A letterhead's footer (« … – SIRET 123 456 789 00012 – … ») when the body has none.
            .or_else(|| {
                siret::find_siret(&app.margins).map(|s| (s, "en-tête ou pied de page".to_string()))
            }),
    };
    if let Some((number, at)) = found_siret {
        record.applicant.siret_valid = Some(siret::is_valid_siret(&number));
        record.applicant.siret = Some(number);
        provenance(record, "applicant.siret", file, at);
    }
    // Where the applicant is: every place of the address field, the applicant's presentation
    // and the cover page is a candidate; the best confirmed one wins (a commune named beside
    // its postal code, then a commune with its department, then a postal code alone), the
    // earlier source on a tie. The line that decided is quoted.
    let sources: Vec<(String, String)> = app
        .fields
        .iter()
        .filter(|f| f.key == Some(Label::Address) && !f.value.trim().is_empty())
        .map(|f| (f.value.clone(), app.field_at(f)))
        .chain([
            (
                applicant_text.clone(),
                "présentation du porteur".to_string(),
            ),
            (app.cover.clone(), "page de garde".to_string()),
        ])
        .collect();
    let mut best: Option<(u8, crate::place::Place, String)> = None;
    for (text, at) in &sources {
        for candidate in crate::place::place_candidates(text) {
            let place = &candidate.place;
            let quality = match (candidate.confirmed, place.postal_code.is_empty()) {
                (true, false) => 3,
                (true, true) => 2,
                (false, _) => 1,
            };
            if best.as_ref().is_none_or(|(q, _, _)| quality > *q) {
                let line = line_around(text, candidate.start);
                best = Some((quality, candidate.place, format!("{at}, {}", quote(line))));
            }
        }
    }
    if let Some((_, place, at)) = best {
        record.applicant.postal_code = (!place.postal_code.is_empty()).then_some(place.postal_code);
        record.applicant.commune = place.commune;
        record.applicant.department = place.department;
        record.applicant.region = place.region;
        for field in [
            "applicant.postal_code",
            "applicant.commune",
            "applicant.department",
            "applicant.region",
        ] {
            provenance(record, field, file, at.clone());
        }
    }

    // Legal model.
    let legal_text = app.topic_text(SectionTopic::LegalModel);
    let legal_at = app
        .first_section(SectionTopic::LegalModel)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    let field_reading = app
        .field(Label::LegalForm)
        .map(|f| (legal::read_legal_form_field(&f.value), app.field_at(f)));
    let section_reading = legal::read_legal_form(&legal_text);
    let mut form = LegalForm::Unknown;
    if let Some((reading, at)) = &field_reading
        && reading.form != LegalForm::Unknown
    {
        form = reading.form;
        provenance(record, "legal_model.form", file, at.clone());
    }
    let fallbacks = [
        (section_reading.form, legal_at.clone()),
        (
            record
                .applicant
                .structure_name
                .as_deref()
                .map_or(LegalForm::Unknown, legal::read_form_of_name),
            "nom de la structure".to_string(),
        ),
        (
            legal::read_legal_form(&applicant_text).form,
            "présentation du porteur".to_string(),
        ),
        (
            legal::read_legal_form(&app.cover).form,
            "page de garde".to_string(),
        ),
    ];
    for (candidate, at) in fallbacks {
        if form == LegalForm::Unknown && candidate != LegalForm::Unknown {
            form = candidate;
            provenance(record, "legal_model.form", file, at);
        }
    }
    record.legal_model.form = form;
    let planned = section_reading
        .planned_form
        .or_else(|| field_reading.as_ref().and_then(|(r, _)| r.planned_form))
        .or_else(|| {
            // Without a legal section, a change of form may be announced anywhere.
            legal_text
                .trim()
                .is_empty()
                .then(|| legal::read_legal_form(&app.text).planned_form)
                .flatten()
        })
        .filter(|p| *p != form);
    if planned.is_some() {
        provenance(record, "legal_model.planned_form", file, legal_at.clone());
    }
    record.legal_model.planned_form = planned;
    let consortium_text = if legal_text.trim().is_empty() {
        app.text.clone()
    } else {
        format!("{legal_text}\n{applicant_text}\n{}", app.cover)
    };
    let consortium = legal::read_consortium(&consortium_text);
    record.legal_model.consortium = Some(consortium);
    if consortium {
        record.legal_model.lead_partner = record
            .applicant
            .structure_name
            .clone()
            .or_else(|| legal::read_lead_partner(&consortium_text));
        record.legal_model.partners =
            partners(&legal_text, record.applicant.structure_name.as_deref());
        provenance(record, "legal_model.consortium", file, legal_at.clone());
    }

    // Land control.
    let land_section = app.topic_text(SectionTopic::LandControl);
    let (land_text, land_at) = if land_section.trim().is_empty() {
        (
            premises_sentences(&app.text),
            "texte de la candidature".to_string(),
        )
    } else {
        let at = app
            .first_section(SectionTopic::LandControl)
            .map(|s| s.at())
            .unwrap_or_default();
        (land_section, at)
    };
    let reading = land::read_land_control_for(
        &land_text,
        record.applicant.structure_name.as_deref(),
        record.legal_model.form == LegalForm::LocalAuthority,
    );
    record.land_control.status = reading.status;
    record.land_control.lease_years = reading.lease_years;
    record.land_control.surface_m2 = reading.surface_m2;
    record.land_control.transitional_premises = Some(reading.transitional_premises);
    record.land_control.final_premises_year = reading.final_premises_year;
    for field in [
        "land_control.status",
        "land_control.lease_years",
        "land_control.surface_m2",
        "land_control.transitional_premises",
    ] {
        provenance(record, field, file, land_at.clone());
    }

    // Territory.
    let diagnosis = app.topic_text(SectionTopic::TerritorialDiagnosis);
    let diagnosis_at = app
        .first_section(SectionTopic::TerritorialDiagnosis)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    record.territorial_diagnosis.text =
        (!diagnosis.trim().is_empty()).then(|| diagnosis.trim_end().to_string());
    record.territorial_diagnosis.programmes = territory::read_programmes_asked(&app_folded, &asked);
    record.territorial_diagnosis.rural = Some(if diagnosis.trim().is_empty() {
        territory::read_rural_asked(&app_folded, &asked)
    } else {
        territory::read_rural(&diagnosis)
    });
    provenance(
        record,
        "territorial_diagnosis.programmes",
        file,
        "texte de la candidature",
    );
    provenance(record, "territorial_diagnosis.rural", file, diagnosis_at);

    // Activities.
    let (sectors, sectors_at) = read_sectors(app, &app_folded, &asked);
    record.activities.sectors = sectors;
    provenance(record, "activities.sectors", file, sectors_at);
    // Equipment is described with the activities, and often again in the project or the
    // investment plan.
    let activities_text = [
        SectionTopic::Activities,
        SectionTopic::Project,
        SectionTopic::Budget,
    ]
    .iter()
    .map(|topic| app.topic_text(*topic))
    .collect::<Vec<_>>()
    .join("\n");
    // Equipment lists stand anywhere (a slide, a table, an annex paragraph): the whole text
    // is read, the activities' sections first so that their machines come first.
    let machines_text = format!("{activities_text}\n{}", app.text);
    let (machines, digital) = activities::read_machines(&machines_text);
    record.activities.machines = machines;
    record.activities.digital_machines = Some(digital);
    let activities_at = app
        .first_section(SectionTopic::Activities)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    provenance(record, "activities.digital_machines", file, activities_at);
}

/// Sectors from the part that lists the filières: a section or field naming them, read line by
/// line (a short line is a list entry), else the activities' prose.
fn read_sectors(
    app: &Application,
    folded: &crate::text::Folded<'_>,
    asked: &[(usize, usize)],
) -> (Vec<dossiers_model::Sector>, String) {
    let mut found = Vec::new();
    let mut at = String::new();
    for section in app.sections_titled(&["filiere"]) {
        for line in section.text.lines() {
            let mut sectors = if line.chars().count() <= 90 {
                activities::read_sectors_field(line)
            } else {
                activities::read_sectors(line)
            };
            found.append(&mut sectors);
        }
        if at.is_empty() {
            at = section.at();
        }
    }
    if found.is_empty() {
        for field in app
            .fields
            .iter()
            .filter(|f| crate::text::fold(&f.label).contains("filiere"))
        {
            found.extend(activities::read_sectors_field(&field.value));
            if at.is_empty() {
                at = app.field_at(field);
            }
        }
    }
    if found.is_empty() {
        let spans_of = |topics: &[SectionTopic]| -> Vec<(usize, usize)> {
            app.sections
                .iter()
                .filter(|s| topics.contains(&s.topic))
                .map(|s| {
                    (
                        folded.folded_offset(s.span.0),
                        folded.folded_offset(s.span.1),
                    )
                })
                .collect()
        };
        let activities_spans = spans_of(&[SectionTopic::Activities]);
        // The territory, the partners and the governance describe others than the
        // manufacture's own activities.
        let elsewhere = spans_of(&[
            SectionTopic::TerritorialDiagnosis,
            SectionTopic::Partnerships,
            SectionTopic::LegalModel,
        ]);
        found = activities::read_sectors_in(
            folded,
            activities::SectorSpans {
                asked,
                activities: &activities_spans,
                elsewhere: &elsewhere,
            },
        );
        at = app
            .first_section(SectionTopic::Activities)
            .map(|s| s.at())
            .unwrap_or_else(|| "texte de la candidature".into());
    }
    found.sort();
    found.dedup();
    (found, at)
}

/// The members named in a consortium table: rows whose second cell is a legal form.
fn partners(legal_text: &str, applicant: Option<&str>) -> Vec<String> {
    let applicant = applicant.map(crate::text::fold);
    let mut out = Vec::new();
    for line in legal_text.lines() {
        let cells: Vec<&str> = line.split(" ; ").collect();
        // A member row of a table: a short name beside a short legal form.
        if let [name, form, ..] = cells.as_slice()
            && (4..=80).contains(&name.trim().chars().count())
            && form.trim().chars().count() <= 80
            && legal::read_legal_form(form).form != LegalForm::Unknown
            && applicant.as_deref() != Some(crate::text::fold(name).as_str())
        {
            let name = name.trim().to_string();
            if !out.contains(&name) && crate::application::label_key(&name).is_none() {
                out.push(name);
            }
        }
    }
    out
}

/// Without a land-control section, the sentences that speak of premises.
fn premises_sentences(text: &str) -> String {
    const NOUNS: &[&str] = &[
        "local",
        "locaux",
        "batiment",
        "site",
        "immeuble",
        "friche",
        "hangar",
        "halle",
        "usine",
        "entrepot",
        "foncier",
        "surface",
        "m2",
        "bail",
        "proprietaire",
        "murs",
    ];
    let folded = crate::text::Folded::new(text);
    let mut out = String::new();
    for (start, end) in crate::text::sentences(&folded.text) {
        let sentence = folded.text.get(start..end).unwrap_or("");
        if NOUNS
            .iter()
            .any(|n| crate::text::contains_words(sentence, n))
        {
            out.push_str(folded.original_span(start, end));
            out.push('\n');
        }
    }
    out
}

fn fill_budget(record: &mut Record, budget: &BudgetReading, file: &str) {
    record.budget.years = budget.years.clone();
    record.budget.total_expenses = budget.total_expenses;
    record.budget.investment = budget.investment;
    record.budget.subsidy_requested = budget.subsidy_requested;
    record.budget.subsidy_share = budget.subsidy_share;
    record.budget.balanced = budget.balanced;
    for (field, at) in &budget.provenance {
        provenance(record, field, file, at.clone());
    }
    if let Some(at) = budget.provenance.get("budget.total_expenses").cloned() {
        provenance(record, "budget.balanced", file, at.clone());
        provenance(record, "budget.subsidy_share", file, at);
    }
}

fn flag(record: &Record, code: FlagCode, message: String, fields: &[&str]) -> Flag {
    let provenance: BTreeMap<String, Provenance> = fields
        .iter()
        .filter_map(|f| {
            record
                .provenance
                .get(*f)
                .map(|p| ((*f).to_string(), p.clone()))
        })
        .collect();
    Flag {
        code,
        message,
        provenance,
    }
}

/// The flags of record.md, derived from the other fields.
fn raise_flags(
    record: &mut Record,
    has_application: bool,
    failed_application: bool,
    has_budget: bool,
    failed_budget: bool,
) {
    let mut flags = Vec::new();
    if failed_application || failed_budget {
        let failed: Vec<String> = record
            .files
            .iter()
            .filter(|f| f.status == FileStatus::Error && f.role != FileRole::Other)
            .map(|f| format!("{} ({})", f.path, f.error.as_deref().unwrap_or("illisible")))
            .collect();
        flags.push(flag(
            record,
            FlagCode::ExtractionFailed,
            format!("Fichier illisible : {}.", failed.join(", ")),
            &[],
        ));
    }
    if !has_application && !failed_application {
        flags.push(flag(
            record,
            FlagCode::ApplicationMissing,
            "Aucun dossier de candidature (.doc, .docx, .odt) dans le dossier.".into(),
            &[],
        ));
    }
    match (&record.applicant.siret, record.applicant.siret_valid) {
        (None, _) => flags.push(flag(
            record,
            FlagCode::SiretMissing,
            "Aucun numéro SIRET à 14 chiffres n'est indiqué.".into(),
            &[],
        )),
        (Some(number), Some(false)) => flags.push(flag(
            record,
            FlagCode::SiretInvalid,
            format!("Le SIRET {number} ne passe pas le contrôle de Luhn."),
            &["applicant.siret"],
        )),
        _ => {}
    }
    match record.legal_model.form {
        LegalForm::LocalAuthority => flags.push(flag(
            record,
            FlagCode::LegalFormIneligible,
            "Une collectivité territoriale ne peut pas candidater en son nom propre.".into(),
            &["legal_model.form"],
        )),
        LegalForm::Individual | LegalForm::Other | LegalForm::Unknown => flags.push(flag(
            record,
            FlagCode::LegalFormUnknown,
            format!(
                "Forme juridique à vérifier ({}) : l'éligibilité doit être appréciée par un instructeur.",
                record.legal_model.form.label_fr()
            ),
            &["legal_model.form"],
        )),
        _ => {}
    }
    if matches!(
        record.land_control.status,
        LandControlStatus::None | LandControlStatus::Unknown
    ) {
        flags.push(flag(
            record,
            FlagCode::LandControlMissing,
            "La maîtrise foncière des locaux n'est pas établie (ni propriété, ni bail, ni négociation avancée).".into(),
            &["land_control.status"],
        ));
    }
    if !has_budget {
        flags.push(flag(
            record,
            FlagCode::BudgetMissing,
            "Aucune matrice budgétaire lisible dans le dossier.".into(),
            &[],
        ));
    }
    if record.budget.balanced == Some(false) {
        let years: Vec<String> = record
            .budget
            .years
            .iter()
            .filter(|y| (y.revenues - y.expenses).abs() > 1.0)
            .map(|y| {
                format!(
                    "{} (charges {:.0} €, produits {:.0} €)",
                    y.year, y.expenses, y.revenues
                )
            })
            .collect();
        flags.push(flag(
            record,
            FlagCode::BudgetUnbalanced,
            format!("Budget non équilibré : {}.", years.join(", ")),
            &["budget.total_expenses", "budget.years.revenues"],
        ));
    }
    if let Some(share) = record.budget.subsidy_share
        && share > 0.8
    {
        flags.push(flag(
            record,
            FlagCode::SubsidyOver80Percent,
            format!(
                "La subvention Manufactures de proximité représente {:.1} % du budget total (plafond : 80 %).",
                share * 100.0
            ),
            &["budget.subsidy_requested", "budget.total_expenses"],
        ));
    }
    record.flags = flags;
}
