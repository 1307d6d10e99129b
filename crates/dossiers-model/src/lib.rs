//! The normalised dossier record, as specified in `shared/spec/record.md`.
//!
//! This crate exists so that every stage that touches a record (normalisation, the index, the web
//! pages, the exports) agrees on one set of types and one JSON form, without pulling in any of the
//! machinery that reads files. It holds types and a few pure helpers, and does no I/O.
//!
//! JSON stability: field names are the snake_case names of record.md, enums serialise as the
//! snake_case codes listed there, and every enum has an `unknown` value so that "the text does not
//! say" is never confused with a guess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The dotted paths of the record's fields, as provenance, flags and reports name them. One
/// place for them, so that a typo is a compile error rather than a provenance nobody finds.
pub mod field {
    pub const WAVE: &str = "wave";
    pub const DEPOSITED_AT: &str = "deposited_at";
    pub const STRUCTURE_NAME: &str = "applicant.structure_name";
    pub const MANUFACTURE_NAME: &str = "applicant.manufacture_name";
    pub const SIRET: &str = "applicant.siret";
    pub const COMMUNE: &str = "applicant.commune";
    pub const POSTAL_CODE: &str = "applicant.postal_code";
    pub const DEPARTMENT: &str = "applicant.department";
    pub const REGION: &str = "applicant.region";
    pub const LEGAL_FORM: &str = "legal_model.form";
    pub const PLANNED_FORM: &str = "legal_model.planned_form";
    pub const CONSORTIUM: &str = "legal_model.consortium";
    pub const LEAD_PARTNER: &str = "legal_model.lead_partner";
    pub const LAND_STATUS: &str = "land_control.status";
    pub const LEASE_YEARS: &str = "land_control.lease_years";
    pub const SURFACE: &str = "land_control.surface_m2";
    pub const TRANSITIONAL_PREMISES: &str = "land_control.transitional_premises";
    pub const FINAL_PREMISES_YEAR: &str = "land_control.final_premises_year";
    pub const PROGRAMMES: &str = "territorial_diagnosis.programmes";
    pub const RURAL: &str = "territorial_diagnosis.rural";
    pub const SECTORS: &str = "activities.sectors";
    pub const DIGITAL_MACHINES: &str = "activities.digital_machines";
    pub const BUDGET_YEARS: &str = "budget.years";
    pub const BUDGET_REVENUES: &str = "budget.years.revenues";
    pub const TOTAL_EXPENSES: &str = "budget.total_expenses";
    pub const INVESTMENT: &str = "budget.investment";
    pub const SUBSIDY_REQUESTED: &str = "budget.subsidy_requested";
    pub const SUBSIDY_SHARE: &str = "budget.subsidy_share";
    pub const BALANCED: &str = "budget.balanced";
}

/// One dossier, normalised.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The dossier folder's name.
    pub dossier_id: String,
    /// The Démarches simplifiées dossier number, when the folder name or the files give it.
    pub ds_number: Option<u64>,
    /// 1, 2 or 3, from the deposit date and the wave calendar.
    pub wave: Option<u8>,
    /// ISO 8601 with the Paris offset, e.g. `2022-01-12T10:31:00+01:00`.
    pub deposited_at: Option<String>,
    pub files: Vec<FileEntry>,
    pub applicant: Applicant,
    pub legal_model: LegalModel,
    pub land_control: LandControl,
    pub territorial_diagnosis: TerritorialDiagnosis,
    pub activities: Activities,
    pub budget: Budget,
    pub flags: Vec<Flag>,
    /// Where each normalised value was read, keyed by its dotted path (`legal_model.form`).
    pub provenance: BTreeMap<String, Provenance>,
    /// The application's sections with their raw text, kept for audit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

impl Record {
    /// An empty record for a dossier: every enum `unknown`, every value absent.
    pub fn new(dossier_id: impl Into<String>) -> Record {
        Record {
            dossier_id: dossier_id.into(),
            ..Record::default()
        }
    }

    /// True when the record already carries a flag with this code.
    pub fn has_flag(&self, code: FlagCode) -> bool {
        self.flags.iter().any(|flag| flag.code == code)
    }
}

/// The applying structure (the chef de file in a consortium) and where it is registered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub structure_name: Option<String>,
    pub manufacture_name: Option<String>,
    /// 14 digits, separators removed.
    pub siret: Option<String>,
    /// Luhn check with the La Poste exception; `None` when there is no SIRET.
    pub siret_valid: Option<bool>,
    pub commune: Option<String>,
    pub postal_code: Option<String>,
    /// INSEE department code: "01".."95", "2A", "2B", "971".."976".
    pub department: Option<String>,
    /// INSEE region code (2016 regions).
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalModel {
    pub form: LegalForm,
    /// The form the text says the structure will move to.
    pub planned_form: Option<LegalForm>,
    /// True when several structures carry the application together; `None` when there is no
    /// readable application to say.
    pub consortium: Option<bool>,
    /// The chef de file of a consortium (the applicant).
    pub lead_partner: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
}

/// The legal form of a structure, as the programme's eligibility rules need it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    Association,
    Scic,
    Scop,
    Sa,
    Sas,
    Sasu,
    Sarl,
    Eurl,
    Snc,
    Epic,
    PublicEstablishment,
    Sem,
    Gip,
    Gie,
    LocalAuthority,
    Individual,
    Other,
    #[default]
    Unknown,
}

impl LegalForm {
    pub const ALL: [LegalForm; 18] = [
        LegalForm::Association,
        LegalForm::Scic,
        LegalForm::Scop,
        LegalForm::Sa,
        LegalForm::Sas,
        LegalForm::Sasu,
        LegalForm::Sarl,
        LegalForm::Eurl,
        LegalForm::Snc,
        LegalForm::Epic,
        LegalForm::PublicEstablishment,
        LegalForm::Sem,
        LegalForm::Gip,
        LegalForm::Gie,
        LegalForm::LocalAuthority,
        LegalForm::Individual,
        LegalForm::Other,
        LegalForm::Unknown,
    ];

    /// The record's code (`public_establishment`).
    pub fn code(self) -> &'static str {
        match self {
            LegalForm::Association => "association",
            LegalForm::Scic => "scic",
            LegalForm::Scop => "scop",
            LegalForm::Sa => "sa",
            LegalForm::Sas => "sas",
            LegalForm::Sasu => "sasu",
            LegalForm::Sarl => "sarl",
            LegalForm::Eurl => "eurl",
            LegalForm::Snc => "snc",
            LegalForm::Epic => "epic",
            LegalForm::PublicEstablishment => "public_establishment",
            LegalForm::Sem => "sem",
            LegalForm::Gip => "gip",
            LegalForm::Gie => "gie",
            LegalForm::LocalAuthority => "local_authority",
            LegalForm::Individual => "individual",
            LegalForm::Other => "other",
            LegalForm::Unknown => "unknown",
        }
    }

    /// The form named by its record code, as written in data files.
    pub fn from_code(code: &str) -> Option<LegalForm> {
        LegalForm::ALL.into_iter().find(|form| form.code() == code)
    }

    /// A French label for messages.
    pub fn label_fr(self) -> &'static str {
        match self {
            LegalForm::Association => "association",
            LegalForm::Scic => "SCIC",
            LegalForm::Scop => "SCOP",
            LegalForm::Sa => "SA",
            LegalForm::Sas => "SAS",
            LegalForm::Sasu => "SASU",
            LegalForm::Sarl => "SARL",
            LegalForm::Eurl => "EURL",
            LegalForm::Snc => "SNC",
            LegalForm::Epic => "EPIC",
            LegalForm::PublicEstablishment => "établissement public",
            LegalForm::Sem => "SEM",
            LegalForm::Gip => "GIP",
            LegalForm::Gie => "GIE",
            LegalForm::LocalAuthority => "collectivité territoriale",
            LegalForm::Individual => "entrepreneur individuel",
            LegalForm::Other => "autre forme",
            LegalForm::Unknown => "forme inconnue",
        }
    }

    /// A cooperative's type says more than its company form ("SCIC – SAS" is a SCIC).
    pub fn is_cooperative(self) -> bool {
        matches!(self, LegalForm::Scic | LegalForm::Scop)
    }
}

/// The title the applicant holds, or is about to hold, to the manufacture's final premises.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandControl {
    pub status: LandControlStatus,
    pub lease_years: Option<u32>,
    pub surface_m2: Option<u32>,
    /// The activity starts in a temporary site while the final one is readied.
    pub transitional_premises: Option<bool>,
    /// The year the final premises are expected, when they come later.
    pub final_premises_year: Option<i32>,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LandControlStatus {
    Owned,
    PurchaseInProgress,
    Lease,
    EmphyteoticLease,
    /// Mise à disposition, convention d'occupation.
    ProvidedFree,
    /// Advanced negotiation on identified premises.
    Negotiation,
    None,
    #[default]
    Unknown,
}

impl LandControlStatus {
    pub const ALL: [LandControlStatus; 8] = [
        LandControlStatus::Owned,
        LandControlStatus::PurchaseInProgress,
        LandControlStatus::Lease,
        LandControlStatus::EmphyteoticLease,
        LandControlStatus::ProvidedFree,
        LandControlStatus::Negotiation,
        LandControlStatus::None,
        LandControlStatus::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LandControlStatus::Owned => "owned",
            LandControlStatus::PurchaseInProgress => "purchase_in_progress",
            LandControlStatus::Lease => "lease",
            LandControlStatus::EmphyteoticLease => "emphyteotic_lease",
            LandControlStatus::ProvidedFree => "provided_free",
            LandControlStatus::Negotiation => "negotiation",
            LandControlStatus::None => "none",
            LandControlStatus::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<LandControlStatus> {
        LandControlStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritorialDiagnosis {
    /// The diagnosis section's text, as written.
    pub text: Option<String>,
    pub programmes: Vec<Programme>,
    /// The text places the project in a rural territory.
    pub rural: Option<bool>,
}

/// A national territorial programme the territory or project belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Programme {
    PetitesVillesDeDemain,
    ActionCoeurDeVille,
    TerritoiresDIndustrie,
    Qpv,
    FabriqueDeTerritoire,
}

impl Programme {
    pub const ALL: [Programme; 5] = [
        Programme::PetitesVillesDeDemain,
        Programme::ActionCoeurDeVille,
        Programme::TerritoiresDIndustrie,
        Programme::Qpv,
        Programme::FabriqueDeTerritoire,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Programme::PetitesVillesDeDemain => "petites_villes_de_demain",
            Programme::ActionCoeurDeVille => "action_coeur_de_ville",
            Programme::TerritoiresDIndustrie => "territoires_d_industrie",
            Programme::Qpv => "qpv",
            Programme::FabriqueDeTerritoire => "fabrique_de_territoire",
        }
    }

    pub fn from_code(code: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|p| p.code() == code)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activities {
    pub sectors: Vec<Sector>,
    /// The planned equipment includes digital fabrication machines.
    pub digital_machines: Option<bool>,
    /// The machines named, as the lexicon calls them.
    pub machines: Vec<String>,
}

/// A filière of the manufacture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Bois,
    Metal,
    Textile,
    Ceramique,
    Verre,
    Cuir,
    /// Sérigraphie, gravure, reprographie.
    Impression,
    Electronique,
    Numerique,
    Reemploi,
    Alimentaire,
    Autre,
}

impl Sector {
    pub const ALL: [Sector; 12] = [
        Sector::Bois,
        Sector::Metal,
        Sector::Textile,
        Sector::Ceramique,
        Sector::Verre,
        Sector::Cuir,
        Sector::Impression,
        Sector::Electronique,
        Sector::Numerique,
        Sector::Reemploi,
        Sector::Alimentaire,
        Sector::Autre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sector::Bois => "bois",
            Sector::Metal => "metal",
            Sector::Textile => "textile",
            Sector::Ceramique => "ceramique",
            Sector::Verre => "verre",
            Sector::Cuir => "cuir",
            Sector::Impression => "impression",
            Sector::Electronique => "electronique",
            Sector::Numerique => "numerique",
            Sector::Reemploi => "reemploi",
            Sector::Alimentaire => "alimentaire",
            Sector::Autre => "autre",
        }
    }

    pub fn from_code(code: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The budget as the matrix gives it (the matrix is authoritative, not the text).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// The matrix's years in order.
    pub years: Vec<BudgetYear>,
    pub total_expenses: Option<f64>,
    /// Equipment and works total; `None` when the matrix has no investment lines.
    pub investment: Option<f64>,
    /// The Manufactures de proximité subsidy asked (amorçage + investissement).
    pub subsidy_requested: Option<f64>,
    /// `subsidy_requested / total_expenses`, 3 decimals.
    pub subsidy_share: Option<f64>,
    /// Every year's revenues equal its expenses within 1 €.
    pub balanced: Option<bool>,
}

/// One year of the budget, investment included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetYear {
    pub year: i32,
    pub expenses: f64,
    pub revenues: f64,
}

/// Something a reviewer must look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub code: FlagCode,
    /// A French sentence a reviewer understands.
    pub message: String,
    /// Where the values that raised the flag were read, keyed by field path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, Provenance>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagCode {
    SiretMissing,
    SiretInvalid,
    LegalFormIneligible,
    LegalFormUnknown,
    LandControlMissing,
    BudgetUnbalanced,
    #[serde(rename = "subsidy_over_80_percent")]
    SubsidyOver80Percent,
    BudgetMissing,
    ApplicationMissing,
    ExtractionFailed,
    /// The Démarches simplifiées export and the documents do not say the same SIRET, legal form
    /// or commune: a reviewer checks which is right.
    SourcesDisagree,
    /// An amount stated in the application (total cost, subsidy asked) is not the matrix's.
    AmountsDisagree,
}

impl FlagCode {
    /// Every flag code, in the order record.md lists them.
    pub const ALL: [FlagCode; 12] = [
        FlagCode::SiretMissing,
        FlagCode::SiretInvalid,
        FlagCode::LegalFormIneligible,
        FlagCode::LegalFormUnknown,
        FlagCode::LandControlMissing,
        FlagCode::BudgetUnbalanced,
        FlagCode::SubsidyOver80Percent,
        FlagCode::BudgetMissing,
        FlagCode::ApplicationMissing,
        FlagCode::ExtractionFailed,
        FlagCode::SourcesDisagree,
        FlagCode::AmountsDisagree,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FlagCode::SiretMissing => "siret_missing",
            FlagCode::SiretInvalid => "siret_invalid",
            FlagCode::LegalFormIneligible => "legal_form_ineligible",
            FlagCode::LegalFormUnknown => "legal_form_unknown",
            FlagCode::LandControlMissing => "land_control_missing",
            FlagCode::BudgetUnbalanced => "budget_unbalanced",
            FlagCode::SubsidyOver80Percent => "subsidy_over_80_percent",
            FlagCode::BudgetMissing => "budget_missing",
            FlagCode::ApplicationMissing => "application_missing",
            FlagCode::ExtractionFailed => "extraction_failed",
            FlagCode::SourcesDisagree => "sources_disagree",
            FlagCode::AmountsDisagree => "amounts_disagree",
        }
    }
}

/// Where a value was read: the file (relative to the dossiers root) and the place in it
/// (`Budget!E41`, `section 3 « Statut juridique »`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub file: String,
    pub at: String,
}

/// One file of the dossier folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// `<dossier_id>/<file name>`.
    pub path: String,
    pub role: FileRole,
    pub format: FileFormat,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blake3: Option<String>,
    pub status: FileStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why this file was (or was not) taken for its role when there were several candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    Application,
    Budget,
    Other,
}

/// The format a file was found to be, from its bytes when they could be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Doc,
    Docx,
    Odt,
    Pdf,
    Xls,
    Xlsx,
    Ods,
    Rtf,
    Image,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Ok,
    Error,
}

/// A part of the application, mapped to a canonical topic, with its raw text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub topic: SectionTopic,
    /// The heading or label as written.
    pub title: String,
    pub text: String,
    /// Where the section starts, e.g. `section 3 « Statut juridique »`.
    pub at: String,
}

/// The canonical topics an application is read by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionTopic {
    Applicant,
    Project,
    TerritorialDiagnosis,
    LegalModel,
    LandControl,
    EconomicModel,
    Activities,
    Training,
    Partnerships,
    Budget,
    Other,
}

impl SectionTopic {
    pub const ALL: [SectionTopic; 11] = [
        SectionTopic::Applicant,
        SectionTopic::Project,
        SectionTopic::TerritorialDiagnosis,
        SectionTopic::LegalModel,
        SectionTopic::LandControl,
        SectionTopic::EconomicModel,
        SectionTopic::Activities,
        SectionTopic::Training,
        SectionTopic::Partnerships,
        SectionTopic::Budget,
        SectionTopic::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SectionTopic::Applicant => "applicant",
            SectionTopic::Project => "project",
            SectionTopic::TerritorialDiagnosis => "territorial_diagnosis",
            SectionTopic::LegalModel => "legal_model",
            SectionTopic::LandControl => "land_control",
            SectionTopic::EconomicModel => "economic_model",
            SectionTopic::Activities => "activities",
            SectionTopic::Training => "training",
            SectionTopic::Partnerships => "partnerships",
            SectionTopic::Budget => "budget",
            SectionTopic::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<SectionTopic> {
        SectionTopic::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Serialize>(value: T, expected: &str) {
        assert_eq!(serde_json::to_string(&value).unwrap(), expected);
    }

    #[test]
    fn enums_serialise_as_record_codes() {
        check(LegalForm::PublicEstablishment, "\"public_establishment\"");
        check(LegalForm::LocalAuthority, "\"local_authority\"");
        check(LegalForm::Unknown, "\"unknown\"");
        check(LandControlStatus::EmphyteoticLease, "\"emphyteotic_lease\"");
        check(
            LandControlStatus::PurchaseInProgress,
            "\"purchase_in_progress\"",
        );
        check(
            Programme::TerritoiresDIndustrie,
            "\"territoires_d_industrie\"",
        );
        check(Programme::ActionCoeurDeVille, "\"action_coeur_de_ville\"");
        check(Sector::Ceramique, "\"ceramique\"");
        check(
            FlagCode::SubsidyOver80Percent,
            "\"subsidy_over_80_percent\"",
        );
        check(
            SectionTopic::TerritorialDiagnosis,
            "\"territorial_diagnosis\"",
        );
    }

    #[test]
    fn codes_match_serde_names() {
        for form in LegalForm::ALL {
            check(form, &format!("\"{}\"", form.code()));
            assert_eq!(LegalForm::from_code(form.code()), Some(form));
        }
        for status in LandControlStatus::ALL {
            check(status, &format!("\"{}\"", status.code()));
        }
        for programme in Programme::ALL {
            check(programme, &format!("\"{}\"", programme.code()));
        }
        for sector in Sector::ALL {
            check(sector, &format!("\"{}\"", sector.code()));
        }
        for topic in SectionTopic::ALL {
            check(topic, &format!("\"{}\"", topic.code()));
        }
    }

    #[test]
    fn empty_record_says_unknown_and_null() {
        let json = serde_json::to_value(Record::new("dossier-1")).unwrap();
        assert_eq!(json["dossier_id"], "dossier-1");
        assert_eq!(json["legal_model"]["form"], "unknown");
        assert_eq!(json["land_control"]["status"], "unknown");
        assert!(json["applicant"]["siret"].is_null());
        assert!(json["budget"]["subsidy_share"].is_null());
        assert_eq!(json["flags"], serde_json::json!([]));
    }

    #[test]
    fn record_round_trips() {
        let mut record = Record::new("ami-0001");
        record.legal_model.form = LegalForm::Scic;
        record.flags.push(Flag {
            code: FlagCode::BudgetMissing,
            message: "Aucune matrice budgétaire".into(),
            provenance: BTreeMap::new(),
        });
        let json = serde_json::to_string(&record).unwrap();
        let back: Record = serde_json::from_str(&json).unwrap();
        assert_eq!(back, record);
    }
}
