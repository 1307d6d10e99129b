//! The export sheet against the documents, for the run's report: what DS knows (the SIRET it
//! checked against the Sirene register, the legal-form code, the establishment's commune) where
//! the applicant's documents said something else.
//!
//! The normaliser joins the row into the record (the sheet's structured columns win) and flags
//! the dossier `sources_disagree`; the report lists each disagreement with both values so that
//! an operator sees them in one place.

use serde::{Deserialize, Serialize};

/// One field on which the sheet and the documents differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetCheck {
    pub dossier_id: String,
    /// `applicant.siret`, `applicant.commune` or `legal_model.form`.
    pub field: String,
    /// What the documents say.
    pub record: Option<String>,
    pub sheet: String,
}

/// The sheet checks of a dossier from what its assembly found (the normaliser joins the row and
/// flags `sources_disagree`; the run's report lists the values on both sides).
pub fn from_disagreements(
    dossier_id: &str,
    disagreements: &[dossiers_normalize::sheet::Disagreement],
) -> Vec<SheetCheck> {
    disagreements
        .iter()
        .map(|d| SheetCheck {
            dossier_id: dossier_id.to_string(),
            field: d.field.to_string(),
            record: Some(d.documents.clone()),
            sheet: d.sheet.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_normalize::sheet::Disagreement;

    #[test]
    fn each_disagreement_is_a_check_with_both_values() {
        let checks = from_disagreements(
            "dossier-12",
            &[Disagreement {
                field: "applicant.siret",
                column: "Établissement SIRET".into(),
                documents: "11434020100465".into(),
                sheet: "82092660803428".into(),
                message: String::new(),
            }],
        );
        assert_eq!(
            checks,
            [SheetCheck {
                dossier_id: "dossier-12".into(),
                field: "applicant.siret".into(),
                record: Some("11434020100465".into()),
                sheet: "82092660803428".into(),
            }]
        );
    }
}
