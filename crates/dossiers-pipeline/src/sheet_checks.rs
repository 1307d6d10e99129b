//! The export sheet against the record: what DS knows (the SIRET it checked against the
//! Sirene register, the legal-form code that came with it) compared with what the applicant's
//! documents say.
//!
//! A disagreement is something a reviewer must look at (a consortium's lead partner filed under
//! another structure's SIRET, an association that calls itself a SCIC), so each one is reported
//! with both values. The record is not changed here: which side wins, and the flag that says so,
//! belong to the normaliser and the record model (a `sheet_disagrees` flag code does not exist
//! yet), so this module only finds them.

use dossiers_model::{LegalForm, Record};
use serde::{Deserialize, Serialize};

use crate::ds::SheetRow;

/// One field on which the sheet and the record differ, or which only the sheet gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetCheck {
    pub dossier_id: String,
    /// `applicant.siret` or `legal_model.form`.
    pub field: String,
    /// What the documents say; `None` when they say nothing (the sheet can fill it).
    pub record: Option<String>,
    pub sheet: String,
}

/// The legal form an INSEE level-III code (catégorie juridique) denotes, for the families the
/// programme sees (../shared/research/domain.md §3.2). `None` for codes that do not tell one
/// form apart (5460/5560/5660 « autre coopérative » may be a SCIC or not) or that we do not map.
pub fn legal_form_of_insee_code(code: &str) -> Option<LegalForm> {
    Some(match code.trim() {
        "9210" | "9220" | "9221" | "9222" | "9223" | "9230" | "9260" => LegalForm::Association,
        "5485" | "5499" => LegalForm::Sarl,
        "5498" => LegalForm::Eurl,
        "5710" => LegalForm::Sas,
        "5720" => LegalForm::Sasu,
        "5599" | "5699" => LegalForm::Sa,
        "5458" | "5558" | "5658" => LegalForm::Scop,
        "5415" | "5515" | "5615" => LegalForm::Sem,
        "4110" | "4120" | "4140" | "4150" => LegalForm::Epic,
        "7331" | "7379" | "7381" | "7383" | "7389" => LegalForm::PublicEstablishment,
        "7410" => LegalForm::Gip,
        "6210" | "6220" => LegalForm::Gie,
        "7210" | "7220" | "7225" | "7230" | "7343" | "7344" | "7345" | "7346" | "7348" | "7353"
        | "7354" | "7355" | "7357" => LegalForm::LocalAuthority,
        "1000" => LegalForm::Individual,
        _ => return None,
    })
}

/// True when a record's form is compatible with a sheet code: the same form, or a SCIC (which
/// INSEE codes by its company form: a cooperative SARL or SA, or a SAS).
fn compatible(record: LegalForm, code: &str, sheet: Option<LegalForm>) -> bool {
    if record == LegalForm::Scic {
        return matches!(code.trim(), "5460" | "5560" | "5660" | "5710");
    }
    match sheet {
        Some(sheet) => sheet == record,
        // A code we do not map neither confirms nor contradicts.
        None => true,
    }
}

/// Compares a record with its sheet row.
pub fn check_against_sheet(record: &Record, row: &SheetRow) -> Vec<SheetCheck> {
    let mut checks = Vec::new();
    let check = |field: &str, record_value: Option<String>, sheet: String| SheetCheck {
        dossier_id: record.dossier_id.clone(),
        field: field.into(),
        record: record_value,
        sheet,
    };
    if let Some(siret) = &row.siret {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        match &record.applicant.siret {
            None => checks.push(check("applicant.siret", None, siret.clone())),
            // Same establishment, or at least the same company (SIREN): a second establishment
            // of the same structure is not a contradiction.
            Some(ours) if digits(ours).get(..9) != digits(siret).get(..9) => {
                checks.push(check("applicant.siret", Some(ours.clone()), siret.clone()));
            }
            Some(_) => {}
        }
    }
    if let Some(code) = &row.legal_form_code {
        let sheet = legal_form_of_insee_code(code);
        let ours = record.legal_model.form;
        if ours == LegalForm::Unknown {
            if sheet.is_some() {
                checks.push(check("legal_model.form", None, code.clone()));
            }
        } else if !compatible(ours, code, sheet) {
            checks.push(check(
                "legal_model.form",
                Some(ours.code().to_string()),
                code.clone(),
            ));
        }
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(siret: Option<&str>, form: LegalForm) -> Record {
        let mut record = Record::new("dossier-12");
        record.applicant.siret = siret.map(str::to_string);
        record.legal_model.form = form;
        record
    }

    fn row(siret: Option<&str>, code: Option<&str>) -> SheetRow {
        SheetRow {
            number: 12,
            siret: siret.map(str::to_string),
            legal_form_code: code.map(str::to_string),
            ..SheetRow::default()
        }
    }

    fn fields(record: &Record, row: &SheetRow) -> Vec<(String, Option<String>)> {
        check_against_sheet(record, row)
            .into_iter()
            .map(|c| (c.field, c.record))
            .collect()
    }

    #[test]
    fn agreement_says_nothing() {
        let r = record(Some("82092660803428"), LegalForm::Association);
        assert!(fields(&r, &row(Some("82092660803428"), Some("9220"))).is_empty());
        // Another establishment of the same company.
        assert!(fields(&r, &row(Some("82092660800011"), None)).is_empty());
        // A SCIC SAS is coded 5710.
        let scic = record(None, LegalForm::Scic);
        assert!(fields(&scic, &row(None, Some("5710"))).is_empty());
        // A code we do not map contradicts nothing.
        assert!(fields(&r, &row(None, Some("5202"))).is_empty());
    }

    #[test]
    fn disagreements_and_gaps_are_found() {
        let r = record(Some("11434020100465"), LegalForm::Association);
        assert_eq!(
            fields(&r, &row(Some("82092660803428"), Some("5458"))),
            [
                (
                    "applicant.siret".to_string(),
                    Some("11434020100465".to_string())
                ),
                (
                    "legal_model.form".to_string(),
                    Some("association".to_string())
                ),
            ]
        );
        let empty = record(None, LegalForm::Unknown);
        assert_eq!(
            fields(&empty, &row(Some("82092660803428"), Some("9220"))),
            [
                ("applicant.siret".to_string(), None),
                ("legal_model.form".to_string(), None),
            ]
        );
        assert_eq!(legal_form_of_insee_code("5560"), None);
        assert_eq!(
            legal_form_of_insee_code(" 7346 "),
            Some(LegalForm::LocalAuthority)
        );
    }
}
