//! A record as a flat list of labelled values: the rows of `show` and `compare`, the columns of
//! the CSV and XLSX exports. One list, so that every view names and orders fields the same way.

use dossiers_model::Record;
use serde_json::Value as Json;

/// One flat value, typed so that exports keep numbers as numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum FlatValue {
    Null,
    Bool(bool),
    Int(i64),
    /// An amount in euros.
    Money(f64),
    /// A share between 0 and 1.
    Share(f64),
    Text(String),
    List(Vec<String>),
}

impl FlatValue {
    fn text(value: Option<&str>) -> FlatValue {
        value.map_or(FlatValue::Null, |v| FlatValue::Text(v.to_owned()))
    }

    fn int(value: Option<i64>) -> FlatValue {
        value.map_or(FlatValue::Null, FlatValue::Int)
    }

    fn bool(value: Option<bool>) -> FlatValue {
        value.map_or(FlatValue::Null, FlatValue::Bool)
    }

    fn money(value: Option<f64>) -> FlatValue {
        value.map_or(FlatValue::Null, FlatValue::Money)
    }

    /// The value as a person reads it (French conventions: `oui`, `578 500 €`, `43,2 %`).
    pub fn display(&self) -> String {
        match self {
            FlatValue::Null => "—".to_owned(),
            FlatValue::Bool(true) => "oui".to_owned(),
            FlatValue::Bool(false) => "non".to_owned(),
            FlatValue::Int(n) => n.to_string(),
            FlatValue::Money(amount) => format!("{} €", group_thousands(*amount)),
            FlatValue::Share(share) => format!("{:.1} %", share * 100.0).replace('.', ","),
            FlatValue::Text(text) => text.clone(),
            FlatValue::List(items) if items.is_empty() => "—".to_owned(),
            FlatValue::List(items) => items.join(", "),
        }
    }

    /// The value for CSV: plain numbers with a dot, lists joined with `;`.
    pub fn csv(&self) -> String {
        match self {
            FlatValue::Null => String::new(),
            FlatValue::Bool(b) => b.to_string(),
            FlatValue::Int(n) => n.to_string(),
            FlatValue::Money(x) | FlatValue::Share(x) => x.to_string(),
            FlatValue::Text(text) => text.clone(),
            FlatValue::List(items) => items.join(";"),
        }
    }

    pub fn json(&self) -> Json {
        match self {
            FlatValue::Null => Json::Null,
            FlatValue::Bool(b) => Json::Bool(*b),
            FlatValue::Int(n) => Json::from(*n),
            FlatValue::Money(x) | FlatValue::Share(x) => Json::from(*x),
            FlatValue::Text(text) => Json::from(text.as_str()),
            FlatValue::List(items) => Json::from(items.clone()),
        }
    }
}

/// `578500.0` → `578 500` (a narrow no-break space would be the typographer's choice; a plain
/// space survives every terminal).
pub fn group_thousands(amount: f64) -> String {
    let rounded = amount.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if negative { format!("-{out}") } else { out }
}

/// A flat field: its key (the record path, for JSON and CSV headers) and its French label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlatField {
    pub key: &'static str,
    pub label_fr: &'static str,
}

macro_rules! fields {
    ($($key:literal => $label:literal),* $(,)?) => {
        /// Every flat field, in display order.
        pub const FIELDS: &[FlatField] = &[$(FlatField { key: $key, label_fr: $label }),*];
    };
}

fields! {
    "dossier_id" => "Dossier",
    "ds_number" => "N° Démarches simplifiées",
    "wave" => "Vague",
    "deposited_at" => "Déposé le",
    "applicant.structure_name" => "Structure",
    "applicant.manufacture_name" => "Manufacture",
    "applicant.siret" => "SIRET",
    "applicant.siret_valid" => "SIRET valide",
    "applicant.commune" => "Commune",
    "applicant.postal_code" => "Code postal",
    "applicant.department" => "Département",
    "applicant.region" => "Région",
    "legal_model.form" => "Forme juridique",
    "legal_model.planned_form" => "Forme envisagée",
    "legal_model.consortium" => "Consortium",
    "legal_model.lead_partner" => "Chef de file",
    "legal_model.partners" => "Partenaires",
    "land_control.status" => "Maîtrise foncière",
    "land_control.lease_years" => "Durée du bail (ans)",
    "land_control.surface_m2" => "Surface (m²)",
    "land_control.transitional_premises" => "Locaux transitoires",
    "land_control.final_premises_year" => "Locaux définitifs en",
    "territorial_diagnosis.programmes" => "Programmes",
    "territorial_diagnosis.rural" => "Territoire rural",
    "activities.sectors" => "Filières",
    "activities.digital_machines" => "Machines numériques",
    "activities.machines" => "Machines",
    "budget.total_expenses" => "Budget total",
    "budget.investment" => "Investissement",
    "budget.subsidy_requested" => "Subvention demandée",
    "budget.subsidy_share" => "Part de subvention",
    "budget.balanced" => "Budget équilibré",
    "flags" => "Alertes",
}

/// The value of one flat field of a record.
pub fn value(record: &Record, key: &str) -> FlatValue {
    let applicant = &record.applicant;
    let legal = &record.legal_model;
    let land = &record.land_control;
    let budget = &record.budget;
    match key {
        "dossier_id" => FlatValue::Text(record.dossier_id.clone()),
        "ds_number" => FlatValue::int(record.ds_number.and_then(|n| i64::try_from(n).ok())),
        "wave" => FlatValue::int(record.wave.map(i64::from)),
        "deposited_at" => FlatValue::text(record.deposited_at.as_deref()),
        "applicant.structure_name" => FlatValue::text(applicant.structure_name.as_deref()),
        "applicant.manufacture_name" => FlatValue::text(applicant.manufacture_name.as_deref()),
        "applicant.siret" => FlatValue::text(applicant.siret.as_deref()),
        "applicant.siret_valid" => FlatValue::bool(applicant.siret_valid),
        "applicant.commune" => FlatValue::text(applicant.commune.as_deref()),
        "applicant.postal_code" => FlatValue::text(applicant.postal_code.as_deref()),
        "applicant.department" => FlatValue::text(applicant.department.as_deref()),
        "applicant.region" => FlatValue::text(applicant.region.as_deref()),
        "legal_model.form" => FlatValue::Text(legal.form.code().to_owned()),
        "legal_model.planned_form" => FlatValue::text(legal.planned_form.map(|f| f.code())),
        "legal_model.consortium" => FlatValue::bool(legal.consortium),
        "legal_model.lead_partner" => FlatValue::text(legal.lead_partner.as_deref()),
        "legal_model.partners" => FlatValue::List(legal.partners.clone()),
        "land_control.status" => FlatValue::Text(land.status.code().to_owned()),
        "land_control.lease_years" => FlatValue::int(land.lease_years.map(i64::from)),
        "land_control.surface_m2" => FlatValue::int(land.surface_m2.map(i64::from)),
        "land_control.transitional_premises" => FlatValue::bool(land.transitional_premises),
        "land_control.final_premises_year" => {
            FlatValue::int(land.final_premises_year.map(i64::from))
        }
        "territorial_diagnosis.programmes" => FlatValue::List(
            record
                .territorial_diagnosis
                .programmes
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
        ),
        "territorial_diagnosis.rural" => FlatValue::bool(record.territorial_diagnosis.rural),
        "activities.sectors" => FlatValue::List(
            record
                .activities
                .sectors
                .iter()
                .map(|s| s.code().to_owned())
                .collect(),
        ),
        "activities.digital_machines" => FlatValue::bool(record.activities.digital_machines),
        "activities.machines" => FlatValue::List(record.activities.machines.clone()),
        "budget.total_expenses" => FlatValue::money(budget.total_expenses),
        "budget.investment" => FlatValue::money(budget.investment),
        "budget.subsidy_requested" => FlatValue::money(budget.subsidy_requested),
        "budget.subsidy_share" => budget
            .subsidy_share
            .map_or(FlatValue::Null, FlatValue::Share),
        "budget.balanced" => FlatValue::bool(budget.balanced),
        "flags" => FlatValue::List(
            record
                .flags
                .iter()
                .map(|f| f.code.code().to_owned())
                .collect(),
        ),
        _ => FlatValue::Null,
    }
}

/// Every flat field of a record with its value, in display order.
pub fn flatten(record: &Record) -> Vec<(FlatField, FlatValue)> {
    FIELDS
        .iter()
        .map(|field| (*field, value(record, field.key)))
        .collect()
}

/// The first lines of a text, at most `max_chars` characters, cut at a word.
pub fn first_lines(text: &str, lines: usize, max_chars: usize) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(lines)
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() <= max_chars {
        return joined;
    }
    let cut: String = joined.chars().take(max_chars).collect();
    let at_word = cut
        .rfind(' ')
        .map_or(cut.as_str(), |i| cut.get(..i).unwrap_or(&cut));
    format!("{at_word} …")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_french() {
        assert_eq!(FlatValue::Money(578_500.0).display(), "578 500 €");
        assert_eq!(FlatValue::Money(1_000.4).display(), "1 000 €");
        assert_eq!(FlatValue::Money(999.0).display(), "999 €");
        assert_eq!(FlatValue::Money(-1_234_567.0).display(), "-1 234 567 €");
        assert_eq!(FlatValue::Share(0.432).display(), "43,2 %");
        assert_eq!(FlatValue::Bool(true).display(), "oui");
        assert_eq!(FlatValue::Null.display(), "—");
        assert_eq!(FlatValue::List(vec![]).display(), "—");
        assert_eq!(FlatValue::List(vec!["a".into(), "b".into()]).csv(), "a;b");
    }

    #[test]
    fn keys_are_unique_and_read() {
        let mut keys: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FIELDS.len());
        let mut record = Record::new("d-1");
        record.wave = Some(2);
        assert_eq!(value(&record, "wave"), FlatValue::Int(2));
        assert_eq!(
            value(&record, "legal_model.form"),
            FlatValue::Text("unknown".into())
        );
        assert_eq!(value(&record, "no.such.key"), FlatValue::Null);
    }

    #[test]
    fn first_lines_cut_at_a_word() {
        assert_eq!(first_lines("a\n\nb\nc", 2, 100), "a b");
        assert_eq!(first_lines("un deux trois quatre", 1, 9), "un deux …");
    }
}
