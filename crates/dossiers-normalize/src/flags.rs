//! The flags of record.md: what a reviewer must look at, derived from the record's fields, with
//! the provenance of the values that raised them and a French message.

use std::collections::BTreeMap;

use dossiers_model::{
    FileRole, FileStatus, Flag, FlagCode, LandControlStatus, LegalForm, Provenance, Record, field,
};

pub(crate) fn flag(record: &Record, code: FlagCode, message: String, fields: &[&str]) -> Flag {
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
pub(crate) fn raise_flags(
    record: &mut Record,
    has_application: bool,
    failed_application: bool,
    has_budget: bool,
    failed_budget: bool,
    extra: Vec<Flag>,
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
            &[field::SIRET],
        )),
        _ => {}
    }
    match record.legal_model.form {
        LegalForm::LocalAuthority => flags.push(flag(
            record,
            FlagCode::LegalFormIneligible,
            "Une collectivité territoriale ne peut pas candidater en son nom propre.".into(),
            &[field::LEGAL_FORM],
        )),
        LegalForm::Individual | LegalForm::Other | LegalForm::Unknown => flags.push(flag(
            record,
            FlagCode::LegalFormUnknown,
            format!(
                "Forme juridique à vérifier ({}) : l'éligibilité doit être appréciée par un instructeur.",
                record.legal_model.form.label_fr()
            ),
            &[field::LEGAL_FORM],
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
            &[field::LAND_STATUS],
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
            &[field::TOTAL_EXPENSES, field::BUDGET_REVENUES],
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
            &[field::SUBSIDY_REQUESTED, field::TOTAL_EXPENSES],
        ));
    }
    flags.extend(extra);
    record.flags = flags;
}
