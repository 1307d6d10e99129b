//! The ground truth of a generated dossier, in the shape of `shared/spec/record.md` (the subset a
//! careful reader fills in, like `shared/dossiers/*.truth.json`). It is computed from the same
//! [`Profile`] the documents are rendered from, so the two cannot disagree.

use serde::Serialize;

use crate::profile::Profile;
use crate::siret;

/// One truth file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    pub dossier_id: String,
    pub wave: u8,
    pub deposited_at: String,
    pub applicant: Applicant,
    pub legal_model: LegalModel,
    pub land_control: LandControl,
    pub territorial_diagnosis: TerritorialDiagnosis,
    pub activities: Activities,
    pub budget: Budget,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applicant {
    pub structure_name: String,
    pub manufacture_name: String,
    pub siret: Option<String>,
    pub siret_valid: Option<bool>,
    pub commune: String,
    pub postal_code: String,
    pub department: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegalModel {
    pub form: String,
    pub planned_form: Option<String>,
    pub consortium: bool,
    pub lead_partner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LandControl {
    pub status: String,
    pub lease_years: Option<u32>,
    pub surface_m2: Option<u32>,
    pub transitional_premises: bool,
    pub final_premises_year: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerritorialDiagnosis {
    pub programmes: Vec<String>,
    pub rural: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activities {
    pub sectors: Vec<String>,
    pub digital_machines: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetYear {
    pub year: i32,
    pub expenses: f64,
    pub revenues: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    pub years: Vec<BudgetYear>,
    pub total_expenses: f64,
    pub investment: Option<f64>,
    pub subsidy_requested: f64,
    pub subsidy_share: f64,
    pub balanced: bool,
}

/// A reviewer flag; only the stable code is part of the truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub code: String,
}

/// The truth of `profile`.
pub fn truth(profile: &Profile) -> Truth {
    let (year, month, day, hour, minute) = profile.deposited;
    let siret = profile.siret.digits().map(str::to_owned);
    let siret_valid = siret.as_deref().map(siret::siret_valid);
    let budget = &profile.budget;
    let total = budget.total_expenses();
    let investment = budget.total_investment();
    let truth_budget = Budget {
        years: (0..3)
            .map(|i| BudgetYear {
                year: budget.years.get(i).copied().unwrap_or(2022),
                expenses: budget.expenses_in(i) as f64,
                revenues: budget.revenues_in(i) as f64,
            })
            .collect(),
        total_expenses: total as f64,
        investment: (investment > 0).then_some(investment as f64),
        subsidy_requested: budget.total_subsidy() as f64,
        subsidy_share: budget.subsidy_share(),
        balanced: budget.balanced(),
    };

    let mut flags = Vec::new();
    match siret_valid {
        None => flags.push("siret_missing"),
        Some(false) => flags.push("siret_invalid"),
        Some(true) => {}
    }
    match profile.legal_form.code {
        "local_authority" => flags.push("legal_form_ineligible"),
        "individual" | "other" | "unknown" => flags.push("legal_form_unknown"),
        _ => {}
    }
    if matches!(profile.land.status, "none" | "unknown") {
        flags.push("land_control_missing");
    }
    if !truth_budget.balanced {
        flags.push("budget_unbalanced");
    }
    if truth_budget.subsidy_share > 0.8 {
        flags.push("subsidy_over_80_percent");
    }

    let mut sectors: Vec<String> = profile.sectors.iter().map(|s| s.code.to_owned()).collect();
    sectors.sort();
    let mut programmes: Vec<String> = profile.programmes.iter().map(|p| (*p).to_owned()).collect();
    programmes.sort();

    Truth {
        dossier_id: profile.dossier_id.clone(),
        wave: profile.wave,
        deposited_at: format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:00+01:00"),
        applicant: Applicant {
            structure_name: profile.structure_name.clone(),
            manufacture_name: profile.manufacture_name.clone(),
            siret,
            siret_valid,
            commune: profile.commune.name.clone(),
            postal_code: profile.commune.postal_code.clone(),
            department: profile.commune.department.clone(),
            region: profile.commune.region.clone(),
        },
        legal_model: LegalModel {
            form: profile.legal_form.code.to_owned(),
            planned_form: profile.planned_form.map(|(code, _, _)| code.to_owned()),
            consortium: profile.consortium(),
            lead_partner: profile.consortium().then(|| profile.structure_name.clone()),
        },
        land_control: LandControl {
            status: profile.land.status.to_owned(),
            lease_years: profile.land.lease_years,
            surface_m2: profile.land.surface_m2,
            transitional_premises: profile.land.transitional.is_some(),
            final_premises_year: profile.land.transitional.map(|(_, year)| year),
        },
        territorial_diagnosis: TerritorialDiagnosis {
            programmes,
            rural: profile.rural,
        },
        activities: Activities {
            sectors,
            digital_machines: profile.digital_machines(),
        },
        budget: truth_budget,
        flags: flags
            .into_iter()
            .map(|code| Flag {
                code: code.to_owned(),
            })
            .collect(),
    }
}
