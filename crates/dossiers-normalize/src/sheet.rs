//! The Démarches simplifiées export row of a dossier as evidence.
//!
//! When a dossier comes with its row of the export sheet (`dossiers_<procédure>_<date>.csv` or
//! `.xlsx`), its structured columns are usually the strongest evidence there is: DS checked the
//! SIRET against the Sirene register and filled the establishment's address and INSEE legal
//! category from it, and `Déposé le` is DS's own clock. Those columns fill the record (provenance
//! « export Démarches simplifiées, colonne « … » »), and where the documents said something else
//! for an identity field (the SIREN, the legal form, the commune) the disagreement is kept for a
//! `sources_disagree` flag instead of being settled silently. The form's own questions (champs:
//! « Nom de la manufacture », « Commune d'implantation », « Le projet est-il porté par un
//! consortium ? ») are read by their labels, through the lexicon like any form label. Which
//! INSEE category is which legal form is data (`data/insee_legal_forms.toml`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use dossiers_model::{LegalForm, Provenance, Record, field};
use serde::Deserialize;

use crate::application::label_key;
use crate::lexicon::Label;
use crate::names::{NameKind, clean_name};

const INSEE_LEGAL_FORMS_TOML: &str = include_str!("../data/insee_legal_forms.toml");

/// What the sheet said that the documents contradict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The record field (`applicant.siret`).
    pub field: &'static str,
    /// The column that says otherwise.
    pub column: String,
    /// What the documents say and what the sheet says, as codes or as written.
    pub documents: String,
    pub sheet: String,
    /// The same in French, for the flag.
    pub message: String,
}

/// The provenance of a value read from a column.
fn cited(column: &str) -> Provenance {
    Provenance {
        file: "export Démarches simplifiées".to_string(),
        at: format!("colonne « {column} »"),
    }
}

/// A column's value by its (folded) header, with the header as written.
struct Columns<'a> {
    by_folded: Vec<(String, &'a str, &'a str)>,
}

impl<'a> Columns<'a> {
    fn new(row: &'a BTreeMap<String, String>) -> Columns<'a> {
        Columns {
            by_folded: row
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(h, v)| (crate::text::fold(h), h.as_str(), v.trim()))
                .collect(),
        }
    }

    /// The first non-empty column whose folded header is one of `names`.
    fn get(&self, names: &[&str]) -> Option<(&'a str, &'a str)> {
        names.iter().find_map(|name| {
            self.by_folded
                .iter()
                .find(|(folded, _, _)| folded == name)
                .map(|(_, header, value)| (*header, *value))
        })
    }

    /// Every column whose header passes `keep`.
    fn matching(&self, keep: impl Fn(&str) -> bool) -> Vec<(&'a str, &'a str)> {
        self.by_folded
            .iter()
            .filter(|(folded, _, _)| keep(folded))
            .map(|(_, header, value)| (*header, *value))
            .collect()
    }
}

/// Fills the record from the export row, returning where the documents disagreed.
pub fn apply_export_row(record: &mut Record, row: &BTreeMap<String, String>) -> Vec<Disagreement> {
    let columns = Columns::new(row);
    let mut disagreements = Vec::new();
    siret_from(record, &columns, &mut disagreements);
    place_from(record, &columns, &mut disagreements);
    legal_form_from(record, &columns, &mut disagreements);
    names_from(record, &columns);
    deposit_from(record, &columns);
    consortium_from(record, &columns);
    disagreements
}

fn set_provenance(record: &mut Record, path: &str, column: &str) {
    record.provenance.insert(path.to_string(), cited(column));
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn siret_from(record: &mut Record, columns: &Columns<'_>, out: &mut Vec<Disagreement>) {
    let Some((column, value)) = columns.get(&["etablissement siret", "siret"]) else {
        return;
    };
    let number = digits(value);
    if number.len() != 14 {
        return;
    }
    if let Some(ours) = record.applicant.siret.as_deref()
        && digits(ours).get(..9) != number.get(..9)
    {
        // Another establishment of the same company is not a contradiction; another SIREN is.
        out.push(Disagreement {
            field: field::SIRET,
            column: column.to_string(),
            documents: ours.to_string(),
            sheet: number.clone(),
            message: format!(
                "SIRET {ours} dans les pièces, {number} dans l'export (colonne « {column} »)"
            ),
        });
    }
    record.applicant.siret_valid = Some(crate::siret::is_valid_siret(&number));
    record.applicant.siret = Some(number);
    set_provenance(record, field::SIRET, column);
}

fn place_from(record: &mut Record, columns: &Columns<'_>, out: &mut Vec<Disagreement>) {
    // The establishment's INSEE code names the commune exactly; its postal code and locality
    // as DS wrote them are the next best; a « Commune » champ of the form comes last.
    let insee = columns.get(&["etablissement code insee localite"]);
    let postal = columns.get(&["etablissement code postal"]);
    let locality = columns.get(&["etablissement localite"]);
    let champ_insee = columns
        .matching(|h| h.contains("commune") && h.contains("code insee"))
        .into_iter()
        .next();
    let champ_name = columns
        .matching(|h| {
            (h.starts_with("commune") || h.contains("commune d'implantation"))
                && !h.contains("code insee")
        })
        .into_iter()
        .next();
    let postal_code = postal.map(|(_, v)| digits(v)).filter(|d| d.len() == 5);
    let found = insee
        .or(champ_insee)
        .and_then(|(column, code)| dossiers_geo::commune(code).map(|c| (c, column)))
        .or_else(|| {
            let (column, name) = locality.or(champ_name)?;
            dossiers_geo::find_commune(name, postal_code.as_deref()).map(|c| (c, column))
        });
    let Some((commune, column)) = found else {
        // A postal code alone still tells the department.
        if let (Some((column, _)), Some(code)) = (postal, postal_code.as_deref())
            && record.applicant.postal_code.is_none()
            && let Some(department) = dossiers_geo::department_of_postal_code(code)
        {
            record.applicant.postal_code = Some(code.to_string());
            record.applicant.department = Some(department.to_string());
            record.applicant.region =
                dossiers_geo::region_of_department(department).map(str::to_string);
            for path in [field::POSTAL_CODE, field::DEPARTMENT, field::REGION] {
                set_provenance(record, path, column);
            }
        }
        return;
    };
    if let Some(ours) = record.applicant.commune.as_deref()
        && dossiers_geo::fold_commune_name(ours) != dossiers_geo::fold_commune_name(commune.name)
    {
        out.push(Disagreement {
            field: field::COMMUNE,
            column: column.to_string(),
            documents: ours.to_string(),
            sheet: commune.name.to_string(),
            message: format!(
                "commune {ours} dans les pièces, {} dans l'export (colonne « {column} »)",
                commune.name
            ),
        });
    }
    let code = postal_code
        .filter(|code| commune.has_postal_code(code))
        .or_else(|| {
            // The documents' postal code when it is one of the commune's, else its only one.
            record
                .applicant
                .postal_code
                .clone()
                .filter(|code| commune.has_postal_code(code))
        })
        .or_else(|| {
            let mut codes = commune.postal_codes();
            match (codes.next(), codes.next()) {
                (Some(only), None) => Some(only.to_string()),
                _ => None,
            }
        });
    record.applicant.commune = Some(commune.name.to_string());
    record.applicant.postal_code = code;
    record.applicant.department = Some(commune.department.to_string());
    record.applicant.region = Some(commune.region.to_string());
    for path in [
        field::COMMUNE,
        field::POSTAL_CODE,
        field::DEPARTMENT,
        field::REGION,
    ] {
        set_provenance(record, path, column);
    }
}

fn legal_form_from(record: &mut Record, columns: &Columns<'_>, out: &mut Vec<Disagreement>) {
    let coded = columns
        .get(&["entreprise forme juridique code"])
        .and_then(|(column, code)| Some((column, code, legal_form_of_insee_code(code)?)));
    let Some((column, code, form)) = coded else {
        // The category's label (« Association déclarée ») read like a form field.
        if record.legal_model.form == LegalForm::Unknown
            && let Some((column, label)) = columns.get(&["entreprise forme juridique"])
        {
            let reading = crate::legal::read_legal_form_field(label);
            if reading.form != LegalForm::Unknown {
                record.legal_model.form = reading.form;
                set_provenance(record, field::LEGAL_FORM, column);
            }
        }
        return;
    };
    let ours = record.legal_model.form;
    if ours != LegalForm::Unknown && !compatible(ours, code, form) {
        out.push(Disagreement {
            field: field::LEGAL_FORM,
            column: column.to_string(),
            documents: ours.code().to_string(),
            sheet: code.trim().to_string(),
            message: format!(
                "forme juridique {} dans les pièces, {} (catégorie INSEE {}) dans l'export",
                ours.label_fr(),
                form.label_fr(),
                code.trim()
            ),
        });
    }
    // INSEE files a SCIC under its company form: the documents' « SCIC » says more.
    if !(ours == LegalForm::Scic && compatible(ours, code, form)) {
        record.legal_model.form = form;
        set_provenance(record, field::LEGAL_FORM, column);
    }
}

fn names_from(record: &mut Record, columns: &Columns<'_>) {
    if let Some((column, name)) = columns.get(&[
        "entreprise raison sociale",
        "association titre",
        "entreprise nom commercial",
    ]) && let Some(name) = clean_name(name, NameKind::Structure)
    {
        // DS's register name is exact; it replaces a name read from prose, not one the
        // applicant wrote in a field of its own form.
        let from_field = record
            .provenance
            .get(field::STRUCTURE_NAME)
            .is_some_and(|p| p.at.contains("champ"));
        if record.applicant.structure_name.is_none() || !from_field {
            record.applicant.structure_name = Some(name);
            set_provenance(record, field::STRUCTURE_NAME, column);
        }
    }
    // The form's own champs, recognised by their labels.
    for (column, value) in columns.matching(|_| true) {
        match label_key(column) {
            Some(Label::ManufactureName) => {
                if let Some(name) = clean_name(value, NameKind::Manufacture) {
                    record.applicant.manufacture_name = Some(name);
                    set_provenance(record, field::MANUFACTURE_NAME, column);
                }
            }
            Some(Label::StructureName) if record.applicant.structure_name.is_none() => {
                if let Some(name) = clean_name(value, NameKind::Structure) {
                    record.applicant.structure_name = Some(name);
                    set_provenance(record, field::STRUCTURE_NAME, column);
                }
            }
            _ => {}
        }
    }
}

fn deposit_from(record: &mut Record, columns: &Columns<'_>) {
    let Some((column, value)) = columns.get(&["depose le", "date de depot"]) else {
        return;
    };
    let Some(at) = parse_ds_datetime(value) else {
        return;
    };
    // DS's clock is the authority; the date written in the application is what the applicant
    // typed.
    record.deposited_at = Some(crate::dates::iso_paris(at));
    set_provenance(record, field::DEPOSITED_AT, column);
}

fn consortium_from(record: &mut Record, columns: &Columns<'_>) {
    let answer = columns
        .matching(|h| h.contains("consortium") || h.contains("groupement"))
        .into_iter()
        .find_map(|(column, value)| match crate::text::fold(value).as_str() {
            "oui" | "true" | "on" => Some((column, true)),
            "non" | "false" | "off" => Some((column, false)),
            _ => None,
        });
    if let Some((column, consortium)) = answer {
        record.legal_model.consortium = Some(consortium);
        set_provenance(record, field::CONSORTIUM, column);
        if !consortium {
            record.legal_model.lead_partner = None;
            record.legal_model.partners.clear();
        } else if record.legal_model.lead_partner.is_none() {
            record.legal_model.lead_partner = record.applicant.structure_name.clone();
        }
    }
}

/// DS date-times, Paris time: `2021-11-23 23:36:00`, with a `T`, an offset (`+0100`, `+01:00`)
/// or without seconds, `23/11/2021 23:36`, or a bare date (midnight).
pub fn parse_ds_datetime(value: &str) -> Option<NaiveDateTime> {
    let value = value.trim();
    let formats = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ];
    // Keep the local part: DS writes Paris time, the offset only says which.
    let local = value
        .get(..19)
        .filter(|_| {
            value.len() > 19
                && value
                    .as_bytes()
                    .get(10)
                    .is_some_and(|b| *b == b' ' || *b == b'T')
        })
        .unwrap_or(value);
    for candidate in [value, local] {
        for format in formats {
            if let Ok(parsed) = NaiveDateTime::parse_from_str(candidate, format) {
                return Some(parsed);
            }
        }
    }
    for format in ["%Y-%m-%d", "%d/%m/%Y"] {
        if let Ok(date) = chrono::NaiveDate::parse_from_str(value, format) {
            return date.and_hms_opt(0, 0, 0);
        }
    }
    None
}

#[derive(Deserialize)]
struct RawInseeForms {
    form: BTreeMap<String, Vec<String>>,
    scic_compatible: Vec<String>,
}

struct InseeForms {
    by_code: BTreeMap<String, LegalForm>,
    scic_compatible: Vec<String>,
}

fn insee_forms() -> &'static InseeForms {
    static FORMS: OnceLock<InseeForms> = OnceLock::new();
    FORMS.get_or_init(|| {
        let raw: RawInseeForms = match toml::from_str(INSEE_LEGAL_FORMS_TOML) {
            Ok(raw) => raw,
            Err(error) => {
                tracing::error!(%error, "the embedded INSEE legal-form table does not parse");
                return InseeForms {
                    by_code: BTreeMap::new(),
                    scic_compatible: Vec::new(),
                };
            }
        };
        let mut by_code = BTreeMap::new();
        for (form, codes) in raw.form {
            if let Some(form) = LegalForm::from_code(&form) {
                for code in codes {
                    by_code.insert(code, form);
                }
            }
        }
        InseeForms {
            by_code,
            scic_compatible: raw.scic_compatible,
        }
    })
}

/// The legal form an INSEE level-III code (catégorie juridique) denotes, for the families the
/// programme sees. `None` for codes that do not tell one form apart (« autre coopérative » may
/// be a SCIC or not) or that the table does not map.
pub fn legal_form_of_insee_code(code: &str) -> Option<LegalForm> {
    let code = code.trim();
    let code = code.strip_suffix(".0").unwrap_or(code);
    insee_forms().by_code.get(code).copied()
}

/// True when a form read in the documents is compatible with a sheet's code: the same form, or
/// a SCIC (which INSEE codes by its company form).
pub fn compatible(documents: LegalForm, code: &str, sheet: LegalForm) -> bool {
    if documents == LegalForm::Scic {
        return insee_forms()
            .scic_compatible
            .iter()
            .any(|c| c == code.trim());
    }
    documents == sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(h, v)| ((*h).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn the_sheet_fills_identity_and_says_where() {
        let mut record = Record::new("dossier-7104388");
        let found = apply_export_row(
            &mut record,
            &row(&[
                ("Établissement SIRET", "82092660803428"),
                ("Établissement code postal", "46100"),
                ("Établissement localité", "FIGEAC"),
                ("Établissement code INSEE localité", "46102"),
                ("Entreprise forme juridique code", "9220"),
                ("Entreprise raison sociale", "LA RUCHE PRODUCTIVE"),
                ("Déposé le", "2021-11-28 11:07:00"),
                ("Nom de la manufacture", "La Fabrique du Célé"),
                ("Le projet est-il porté par un consortium ?", "Non"),
            ]),
        );
        assert!(found.is_empty());
        let applicant = &record.applicant;
        assert_eq!(applicant.siret.as_deref(), Some("82092660803428"));
        assert_eq!(applicant.commune.as_deref(), Some("Figeac"));
        assert_eq!(applicant.postal_code.as_deref(), Some("46100"));
        assert_eq!(applicant.department.as_deref(), Some("46"));
        assert_eq!(applicant.region.as_deref(), Some("76"));
        assert_eq!(record.legal_model.form, LegalForm::Association);
        assert_eq!(
            applicant.manufacture_name.as_deref(),
            Some("La Fabrique du Célé")
        );
        assert_eq!(
            record.deposited_at.as_deref(),
            Some("2021-11-28T11:07:00+01:00")
        );
        assert_eq!(record.legal_model.consortium, Some(false));
        assert_eq!(
            record.provenance.get(field::SIRET).map(|p| p.at.as_str()),
            Some("colonne « Établissement SIRET »")
        );
    }

    #[test]
    fn the_documents_disagreeing_is_kept() {
        let mut record = Record::new("dossier-1");
        record.applicant.siret = Some("55389194600020".into());
        record.applicant.commune = Some("Cahors".into());
        record.legal_model.form = LegalForm::Sas;
        let found = apply_export_row(
            &mut record,
            &row(&[
                ("Établissement SIRET", "82092660803428"),
                ("Établissement code INSEE localité", "46102"),
                ("Entreprise forme juridique code", "9220"),
            ]),
        );
        let fields: Vec<&str> = found.iter().map(|d| d.field).collect();
        assert_eq!(
            fields,
            vec![field::SIRET, field::COMMUNE, field::LEGAL_FORM]
        );
        assert_eq!(record.applicant.commune.as_deref(), Some("Figeac"));
    }

    #[test]
    fn a_scic_stays_a_scic_under_its_company_code() {
        let mut record = Record::new("dossier-2");
        record.legal_model.form = LegalForm::Scic;
        let found = apply_export_row(
            &mut record,
            &row(&[("Entreprise forme juridique code", "5710")]),
        );
        assert!(found.is_empty());
        assert_eq!(record.legal_model.form, LegalForm::Scic);
    }

    #[test]
    fn insee_codes() {
        assert_eq!(
            legal_form_of_insee_code("9220"),
            Some(LegalForm::Association)
        );
        assert_eq!(legal_form_of_insee_code("5710.0"), Some(LegalForm::Sas));
        assert_eq!(
            legal_form_of_insee_code("7210"),
            Some(LegalForm::LocalAuthority)
        );
        assert_eq!(legal_form_of_insee_code("5460"), None);
    }
}
