//! A record as a flat list of labelled values: the rows of `show` and `compare`, the columns of
//! the CSV and XLSX exports. One list, so that every view names and orders fields the same way.

use dossiers_model::Record;
use serde_json::Value as Json;

/// One flat value, typed so that exports keep numbers as numbers and codes as codes.
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
    /// A code of the record and the catalogue group that labels it (`legal_form`, `department`…).
    Code {
        group: &'static str,
        code: String,
    },
    /// A list of codes of one group.
    Codes {
        group: &'static str,
        codes: Vec<String>,
    },
    /// An ISO 8601 date-time, as the record gives it.
    Date(String),
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

    fn code(group: &'static str, code: Option<&str>) -> FlatValue {
        code.map_or(FlatValue::Null, |code| FlatValue::Code {
            group,
            code: code.to_owned(),
        })
    }

    fn codes<'a>(group: &'static str, codes: impl Iterator<Item = &'a str>) -> FlatValue {
        FlatValue::Codes {
            group,
            codes: codes.map(str::to_owned).collect(),
        }
    }

    /// The value as a person reads it (French conventions: `oui`, `578 500 €`, `43,2 %`,
    /// labels for codes, « 12 janvier 2022 à 10 h 31 »).
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
            FlatValue::Code { group, code } => dossiers_labels::label(group, code),
            FlatValue::Codes { codes, .. } if codes.is_empty() => "—".to_owned(),
            FlatValue::Codes { group, codes } => codes
                .iter()
                .map(|code| dossiers_labels::label(group, code))
                .collect::<Vec<_>>()
                .join(", "),
            FlatValue::Date(iso) => {
                dossiers_labels::dates::french_datetime(iso).unwrap_or_else(|| iso.clone())
            }
        }
    }

    /// The value for CSV: plain numbers with a dot, codes, lists joined with `;`.
    pub fn csv(&self) -> String {
        match self {
            FlatValue::Null => String::new(),
            FlatValue::Bool(b) => b.to_string(),
            FlatValue::Int(n) => n.to_string(),
            FlatValue::Money(x) | FlatValue::Share(x) => x.to_string(),
            FlatValue::Text(text) | FlatValue::Date(text) => text.clone(),
            FlatValue::Code { code, .. } => code.clone(),
            FlatValue::List(items) | FlatValue::Codes { codes: items, .. } => items.join(";"),
        }
    }

    /// The value in JSON: typed, codes as codes.
    pub fn json(&self) -> Json {
        match self {
            FlatValue::Null => Json::Null,
            FlatValue::Bool(b) => Json::Bool(*b),
            FlatValue::Int(n) => Json::from(*n),
            FlatValue::Money(x) | FlatValue::Share(x) => Json::from(*x),
            FlatValue::Text(text) | FlatValue::Date(text) => Json::from(text.as_str()),
            FlatValue::Code { code, .. } => Json::from(code.as_str()),
            FlatValue::List(items) | FlatValue::Codes { codes: items, .. } => {
                Json::from(items.clone())
            }
        }
    }

    /// The labels of a coded value, for JSON beside the codes; `None` for other values.
    pub fn labels_json(&self) -> Option<Json> {
        match self {
            FlatValue::Code { group, code } => {
                Some(Json::from(dossiers_labels::label(group, code)))
            }
            FlatValue::Codes { group, codes } => Some(Json::from(
                codes
                    .iter()
                    .map(|code| dossiers_labels::label(group, code))
                    .collect::<Vec<_>>(),
            )),
            _ => None,
        }
    }

    /// The value as a typed table cell.
    pub fn cell(&self) -> crate::render::Cell {
        use crate::render::Cell;
        match self {
            FlatValue::Null => Cell::Text(String::new()),
            FlatValue::Bool(b) => Cell::Bool(Some(*b)),
            FlatValue::Int(n) => Cell::Number(Some(*n as f64)),
            FlatValue::Money(x) => Cell::Money(Some(*x)),
            FlatValue::Share(x) => Cell::Share(Some(*x)),
            FlatValue::Text(text) => Cell::Text(text.clone()),
            FlatValue::List(items) => Cell::Text(items.join(", ")),
            FlatValue::Codes { codes, .. } if codes.is_empty() => Cell::Coded {
                code: String::new(),
                label: String::new(),
            },
            FlatValue::Code { .. } | FlatValue::Codes { .. } => Cell::Coded {
                code: self.csv(),
                label: self.display(),
            },
            FlatValue::Date(iso) => Cell::Date(Some(iso.clone())),
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

/// A flat field: its key (the record path, for JSON and CSV headers) and its French label
/// (from the label catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlatField {
    pub key: &'static str,
    pub label_fr: &'static str,
}

/// The flat fields' keys, in display order.
const KEYS: [&str; 33] = [
    "dossier_id",
    "ds_number",
    "wave",
    "deposited_at",
    "applicant.structure_name",
    "applicant.manufacture_name",
    "applicant.siret",
    "applicant.siret_valid",
    "applicant.commune",
    "applicant.postal_code",
    "applicant.department",
    "applicant.region",
    "legal_model.form",
    "legal_model.planned_form",
    "legal_model.consortium",
    "legal_model.lead_partner",
    "legal_model.partners",
    "land_control.status",
    "land_control.lease_years",
    "land_control.surface_m2",
    "land_control.transitional_premises",
    "land_control.final_premises_year",
    "territorial_diagnosis.programmes",
    "territorial_diagnosis.rural",
    "activities.sectors",
    "activities.digital_machines",
    "activities.machines",
    "budget.total_expenses",
    "budget.investment",
    "budget.subsidy_requested",
    "budget.subsidy_share",
    "budget.balanced",
    "flags",
];

/// Every flat field, in display order, labelled from the catalogue.
pub static FIELDS: std::sync::LazyLock<Vec<FlatField>> = std::sync::LazyLock::new(|| {
    KEYS.iter()
        .map(|&key| FlatField {
            key,
            label_fr: dossiers_labels::lookup("field", key).unwrap_or(key),
        })
        .collect()
});

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
        "deposited_at" => record
            .deposited_at
            .as_ref()
            .map_or(FlatValue::Null, |iso| FlatValue::Date(iso.clone())),
        "applicant.structure_name" => FlatValue::text(applicant.structure_name.as_deref()),
        "applicant.manufacture_name" => FlatValue::text(applicant.manufacture_name.as_deref()),
        "applicant.siret" => FlatValue::text(applicant.siret.as_deref()),
        "applicant.siret_valid" => FlatValue::bool(applicant.siret_valid),
        "applicant.commune" => FlatValue::text(applicant.commune.as_deref()),
        "applicant.postal_code" => FlatValue::text(applicant.postal_code.as_deref()),
        "applicant.department" => FlatValue::code("department", applicant.department.as_deref()),
        "applicant.region" => FlatValue::code("region", applicant.region.as_deref()),
        "legal_model.form" => FlatValue::code("legal_form", Some(legal.form.code())),
        "legal_model.planned_form" => {
            FlatValue::code("legal_form", legal.planned_form.map(|f| f.code()))
        }
        "legal_model.consortium" => FlatValue::bool(legal.consortium),
        "legal_model.lead_partner" => FlatValue::text(legal.lead_partner.as_deref()),
        "legal_model.partners" => FlatValue::List(legal.partners.clone()),
        "land_control.status" => FlatValue::code("land_control", Some(land.status.code())),
        "land_control.lease_years" => FlatValue::int(land.lease_years.map(i64::from)),
        "land_control.surface_m2" => FlatValue::int(land.surface_m2.map(i64::from)),
        "land_control.transitional_premises" => FlatValue::bool(land.transitional_premises),
        "land_control.final_premises_year" => {
            FlatValue::int(land.final_premises_year.map(i64::from))
        }
        "territorial_diagnosis.programmes" => FlatValue::codes(
            "programme",
            record
                .territorial_diagnosis
                .programmes
                .iter()
                .map(|p| p.code()),
        ),
        "territorial_diagnosis.rural" => FlatValue::bool(record.territorial_diagnosis.rural),
        "activities.sectors" => {
            FlatValue::codes("sector", record.activities.sectors.iter().map(|s| s.code()))
        }
        "activities.digital_machines" => FlatValue::bool(record.activities.digital_machines),
        "activities.machines" => FlatValue::List(record.activities.machines.clone()),
        "budget.total_expenses" => FlatValue::money(budget.total_expenses),
        "budget.investment" => FlatValue::money(budget.investment),
        "budget.subsidy_requested" => FlatValue::money(budget.subsidy_requested),
        "budget.subsidy_share" => budget
            .subsidy_share
            .map_or(FlatValue::Null, FlatValue::Share),
        "budget.balanced" => FlatValue::bool(budget.balanced),
        "flags" => FlatValue::codes("flag", record.flags.iter().map(|f| f.code.code())),
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
            FlatValue::Code {
                group: "legal_form",
                code: "unknown".into()
            }
        );
        assert_eq!(value(&record, "legal_model.form").display(), "Non précisée");
        for field in FIELDS.iter() {
            assert_ne!(field.label_fr, field.key, "{} has no label", field.key);
        }
        assert_eq!(value(&record, "no.such.key"), FlatValue::Null);
    }

    #[test]
    fn first_lines_cut_at_a_word() {
        assert_eq!(first_lines("a\n\nb\nc", 2, 100), "a b");
        assert_eq!(first_lines("un deux trois quatre", 1, 9), "un deux …");
    }
}
