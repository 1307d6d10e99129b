//! The one assembly of a record, whatever read the files: the folder reader of this crate, the
//! batch's worker processes, a test. It chooses each file's role from its content, reads the
//! application and the matrix, joins the Démarches simplifiées export row, settles the wave and
//! raises the flags.
//!
//! A missing or unreadable file is a flag in the record, never a failure: a reviewer still gets
//! everything the other files say.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use dossiers_extract::Document;
use dossiers_model::{
    FileEntry, FileFormat, FileRole, FileStatus, Flag, FlagCode, LegalForm, Record, SectionTopic,
    field,
};

use crate::application::{Application, read_application};
use crate::budget::{BudgetReading, read_budget};
use crate::fill::{fill_budget, fill_from_application, provenance};
use crate::flags::{flag, raise_flags};
use crate::lexicon::Label;
use crate::names::{NameKind, clean_name};
use crate::{NormalizeOptions, legal};

/// One file of a dossier, as the caller read it.
#[derive(Clone, Debug)]
pub struct DossierFile<'a> {
    /// The path shown in the record, the format, size, hash, status and error as the caller
    /// knows them; the assembly sets the role and the note.
    pub entry: FileEntry,
    /// The extracted document, when the file gave text.
    pub document: Option<&'a Document>,
}

/// Everything known of one dossier before it is read.
#[derive(Clone, Debug, Default)]
pub struct DossierInput<'a> {
    pub dossier_id: &'a str,
    /// The Démarches simplifiées number when the source gives it (else read from a
    /// `dossier-<n>` id).
    pub ds_number: Option<u64>,
    pub files: Vec<DossierFile<'a>>,
    /// The dossier's row of a Démarches simplifiées export sheet: column header → value.
    pub sheet: Option<&'a BTreeMap<String, String>>,
}

/// A record and what its assembly found contradicted between the export sheet and the
/// documents (also in the record as a `sources_disagree` flag), for a run's report.
#[derive(Clone, Debug)]
pub struct Assembled {
    pub record: Record,
    pub disagreements: Vec<crate::sheet::Disagreement>,
}

/// The record of a dossier.
pub fn assemble(input: DossierInput<'_>, options: &NormalizeOptions) -> Record {
    assemble_explained(input, options).record
}

/// As [`assemble`], with the disagreements between the export sheet and the documents.
pub fn assemble_explained(input: DossierInput<'_>, options: &NormalizeOptions) -> Assembled {
    let mut record = Record::new(input.dossier_id);
    record.ds_number = input.ds_number.or_else(|| {
        input
            .dossier_id
            .strip_prefix("dossier-")
            .and_then(|n| n.parse().ok())
    });
    let mut files = input.files;
    let roles = choose_roles(&mut files);
    let application_file = roles
        .application
        .as_ref()
        .and_then(|(i, _)| files.get(*i))
        .map(|f| f.entry.path.clone());
    let budget_file = roles
        .budget
        .as_ref()
        .and_then(|(i, _)| files.get(*i))
        .map(|f| f.entry.path.clone());
    let matrix_fields = roles
        .budget
        .as_ref()
        .and_then(|(i, _)| files.get(*i))
        .and_then(|f| f.document)
        .map(crate::budget::header_fields)
        .unwrap_or_default();
    record.files = files.into_iter().map(|f| f.entry).collect();
    let application = roles
        .application
        .as_ref()
        .map(|(_, app)| app)
        .zip(application_file.as_deref());
    let budget = roles
        .budget
        .as_ref()
        .map(|(_, reading)| reading)
        .zip(budget_file.as_deref());

    if let Some((app, file)) = application {
        fill_from_application(&mut record, app, file);
        complete_identity(
            &mut record,
            app,
            file,
            budget.map(|(_, f)| f),
            &matrix_fields,
        );
    }
    if let Some((reading, file)) = budget {
        fill_budget(&mut record, reading, file);
    }
    let mut extra: Vec<Flag> = Vec::new();
    let mut found = Vec::new();
    if let Some(row) = input.sheet {
        let disagreements = crate::sheet::apply_export_row(&mut record, row);
        if !disagreements.is_empty() {
            let message = disagreements
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join(" ; ");
            let fields: Vec<&str> = disagreements.iter().map(|d| d.field).collect();
            extra.push(flag(
                &record,
                FlagCode::SourcesDisagree,
                format!("Démarches simplifiées et les pièces divergent — {message}."),
                &fields,
            ));
        }
        found = disagreements;
    }
    if let Some((app, _)) = application
        && let Some(found) = crate::amounts::disagreement(app, &record)
    {
        extra.push(flag(
            &record,
            FlagCode::AmountsDisagree,
            found,
            &[field::TOTAL_EXPENSES, field::SUBSIDY_REQUESTED],
        ));
    }
    settle_wave(
        &mut record,
        options,
        application.map(|(app, _)| app),
        application.map_or("", |(_, file)| file),
    );
    raise_flags(
        &mut record,
        application.is_some(),
        roles.failed_application,
        budget.is_some(),
        roles.failed_budget,
        extra,
    );
    Assembled {
        record,
        disagreements: found,
    }
}

/// The wave: the one the source gives, else the calendar's for the deposit time, else the one
/// the application says it is filed in.
fn settle_wave(
    record: &mut Record,
    options: &NormalizeOptions,
    application: Option<&Application>,
    file: &str,
) {
    if let Some(wave) = options.wave {
        record.wave = Some(wave);
        return;
    }
    let deposited = record
        .deposited_at
        .as_deref()
        .and_then(|at| at.get(..19))
        .and_then(|local| NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").ok());
    record.wave = deposited.and_then(|at| match &options.calendar {
        Some(calendar) => calendar.wave_of(at),
        None => crate::dates::wave_of(at),
    });
    // Without a deposit date, the wave the text says it is filed in.
    if deposited.is_none()
        && let Some(app) = application
    {
        let known: Vec<u8> = match &options.calendar {
            Some(calendar) => calendar.waves.iter().map(|(n, _)| *n).collect(),
            None => crate::dates::known_waves(),
        };
        let folded = crate::text::Folded::new(&app.text);
        if let Some((wave, start, end)) = crate::dates::stated_wave(&folded.text, &known) {
            record.wave = Some(wave);
            record.provenance.insert(
                field::WAVE.to_string(),
                dossiers_model::Provenance {
                    file: file.to_string(),
                    at: format!(
                        "texte de la candidature, {}",
                        crate::fill::quote(folded.original_span(start, end))
                    ),
                },
            );
            return;
        }
    }
    if record.wave.is_none() {
        record.provenance.remove(field::WAVE);
    } else if let Some(at) = record.provenance.get(field::DEPOSITED_AT).cloned() {
        record.provenance.insert(
            field::WAVE.to_string(),
            dossiers_model::Provenance {
                file: at.file,
                at: format!("{} et calendrier des vagues", at.at),
            },
        );
    }
}

/// Identity the application's fields left open: the matrix's header, a sentence of the
/// presentation, the form the structure's name carries, the lead partner of a consortium.
fn complete_identity(
    record: &mut Record,
    app: &Application,
    file: &str,
    budget_file: Option<&str>,
    matrix_fields: &[crate::budget::HeaderField],
) {
    // The matrix's header names the structure and the project too; it is a fallback for an
    // application that does not label them.
    if let Some(budget_file) = budget_file {
        for header in matrix_fields {
            let key = crate::application::label_key(&header.label);
            let (target, path, kind) = match key {
                Some(Label::StructureName) => (
                    &mut record.applicant.structure_name,
                    field::STRUCTURE_NAME,
                    NameKind::Structure,
                ),
                Some(Label::ManufactureName) => (
                    &mut record.applicant.manufacture_name,
                    field::MANUFACTURE_NAME,
                    NameKind::Manufacture,
                ),
                _ => continue,
            };
            let value = clean_name(&header.value, kind);
            if target.is_none() && value.is_some() {
                *target = value;
                provenance(record, path, budget_file, header.address.clone());
            }
        }
    }
    // A sentence is the last resort for the structure's name: the candidates of the whole text
    // and of the headers and footers, those of the applicant's presentation and of the cover
    // page counting more; the form written with the winner is taken too when no field gave one.
    if record.applicant.structure_name.is_none() {
        let folded = crate::text::Folded::new(&app.text);
        let first_section = app.sections.first().map_or(app.text.len(), |s| s.span.0);
        let applicant_spans: Vec<(usize, usize)> = app
            .sections
            .iter()
            .filter(|s| s.topic == SectionTopic::Applicant)
            .map(|s| s.span)
            .collect();
        let mut candidates = crate::names::structure_candidates(&folded);
        for candidate in &mut candidates {
            let at = folded.original_offset(candidate.start);
            let presenting =
                at < first_section || applicant_spans.iter().any(|(s, e)| *s <= at && at < *e);
            if presenting && candidate.score == 1 {
                candidate.score = 2;
            }
        }
        let margins = crate::text::Folded::new(&app.margins);
        let in_margins = crate::names::structure_candidates(&margins);
        let best = crate::names::best_structure(&candidates)
            .map(|c| (c, "texte de la candidature"))
            .into_iter()
            .chain(
                crate::names::best_structure(&in_margins).map(|c| (c, "en-tête ou pied de page")),
            )
            .fold(
                None,
                |best: Option<(&crate::names::StructureCandidate, &str)>, c| match best {
                    Some(b) if b.0.score >= c.0.score => Some(b),
                    _ => Some(c),
                },
            );
        if let Some((candidate, at)) = best {
            record.applicant.structure_name = Some(candidate.name.clone());
            provenance(record, field::STRUCTURE_NAME, file, at);
            if record.legal_model.form == LegalForm::Unknown
                && let Some(form) = candidate.form
            {
                record.legal_model.form = form;
                provenance(record, field::LEGAL_FORM, file, at);
            }
        }
    }
    if record.legal_model.form == LegalForm::Unknown
        && let Some(name) = record.applicant.structure_name.as_deref()
    {
        let form = legal::read_form_of_name(name);
        if form != LegalForm::Unknown {
            record.legal_model.form = form;
            provenance(record, field::LEGAL_FORM, file, "nom de la structure");
        }
    }
    if record.legal_model.consortium == Some(true) && record.legal_model.lead_partner.is_none() {
        record.legal_model.lead_partner = record.applicant.structure_name.clone();
    }
}

/// What the files are for: the application and the matrix (the file index and what it gave),
/// and whether the file that should have been one of them could not be read.
struct Roles {
    application: Option<(usize, Application)>,
    budget: Option<(usize, BudgetReading)>,
    failed_application: bool,
    failed_budget: bool,
}

/// Chooses the application among the readable text documents by what they contain (topics,
/// form labels), the matrix among the workbooks by the years of figures they give; an
/// unreadable file takes the role its format suggests, so that the flags say what is missing.
/// Sets each entry's role and, where there was a choice, its note.
fn choose_roles(files: &mut [DossierFile<'_>]) -> Roles {
    let mut best_application: Option<(usize, usize, Application)> = None;
    let mut best_budget: Option<(usize, usize, BudgetReading)> = None;
    for (index, file) in files.iter().enumerate() {
        let Some(document) = file.document else {
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
    Roles {
        application: best_application.map(|(i, _, app)| (i, app)),
        budget: best_budget.map(|(i, _, reading)| (i, reading)),
        failed_application,
        failed_budget,
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

pub(crate) fn is_text_format(format: FileFormat) -> bool {
    matches!(
        format,
        FileFormat::Doc | FileFormat::Docx | FileFormat::Odt | FileFormat::Rtf | FileFormat::Pdf
    )
}

pub(crate) fn is_sheet_format(format: FileFormat) -> bool {
    matches!(format, FileFormat::Xls | FileFormat::Xlsx | FileFormat::Ods)
}

/// The record's format of an extracted document.
pub fn file_format(format: dossiers_extract::Format) -> FileFormat {
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

/// The record's format as a file's name and first bytes tell it, before any reader ran (for
/// files that could not be read).
pub fn guess_format(name: &str, bytes: &[u8]) -> FileFormat {
    if bytes.starts_with(b"%PDF") {
        return FileFormat::Pdf;
    }
    if bytes.starts_with(b"{\\rtf") {
        return FileFormat::Rtf;
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xff, 0xd8, 0xff])
        || bytes.starts_with(b"GIF8")
    {
        return FileFormat::Image;
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "doc" | "dot" => FileFormat::Doc,
        "docx" | "docm" | "dotx" => FileFormat::Docx,
        "odt" | "ott" => FileFormat::Odt,
        "pdf" => FileFormat::Pdf,
        "xls" | "xlt" => FileFormat::Xls,
        "xlsx" | "xlsm" | "xltx" => FileFormat::Xlsx,
        "ods" | "ots" => FileFormat::Ods,
        "rtf" => FileFormat::Rtf,
        "png" | "jpg" | "jpeg" | "gif" | "tif" | "tiff" | "bmp" | "webp" => FileFormat::Image,
        _ => FileFormat::Other,
    }
}
