//! One French label catalogue for everything a person reads about a dossier: the record's codes
//! (legal forms, land control, sectors, programmes, flags), regions and departments by name,
//! waves, the names of the record's fields, of the dimensions, of the sections and of the
//! statistics' columns. The CLI tables, the CSV / XLSX / DOCX outputs and the web pages all ask
//! here, so that « provided_free » reads « Mise à disposition gratuite » everywhere or nowhere.
//!
//! The catalogue is data (`data/labels.toml`, its source in `data/README.md`), compiled in and
//! parsed on first use; a test checks that every code of `dossiers-model` has a label. Places
//! come from `dossiers-geo` (COG 2022), so this crate depends on it rather than living inside
//! `dossiers-model`, which stays free of reference data. A code without a label is shown as it
//! is: a new code never breaks a page or an export.
//!
//! The crate also reads the wave calendar ([`calendar`]) and writes French dates ([`dates`]),
//! the other two things every output needs to say in French.

pub mod calendar;
pub mod dates;

use std::collections::BTreeMap;
use std::sync::OnceLock;

type Table = BTreeMap<String, BTreeMap<String, String>>;

const LABELS_TOML: &str = include_str!("../data/labels.toml");

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is compiled in and parsed by a test, so a parse error cannot ship; should it
        // happen anyway, every output falls back to the codes.
        toml::from_str(LABELS_TOML).unwrap_or_default()
    })
}

/// The label of `code` in `group` (`legal_form`, `land_control`, `programme`, `sector`,
/// `flag`, `dimension`, `section`, `field`, `metric`), when the catalogue has one.
pub fn lookup(group: &str, code: &str) -> Option<&'static str> {
    table().get(group)?.get(code).map(String::as_str)
}

/// The label of `code` in `group`, or the code itself. `department`, `region` and `wave` are
/// groups too, named from the reference data ([`department`], [`region`], [`wave`]).
pub fn label(group: &str, code: &str) -> String {
    match group {
        "department" => department(code),
        "region" => region(code),
        "wave" => wave(code),
        _ => lookup(group, code).map_or_else(|| code.to_owned(), str::to_owned),
    }
}

/// The label of a code from `lookup`, borrowed, falling back to the code.
pub fn label_str<'a>(group: &str, code: &'a str) -> std::borrow::Cow<'a, str> {
    match lookup(group, code) {
        Some(label) => std::borrow::Cow::Borrowed(label),
        None => std::borrow::Cow::Borrowed(code),
    }
}

/// A department by name and code: « Deux-Sèvres (79) »; « Non précisé » for none.
pub fn department(code: &str) -> String {
    match dossiers_geo::department(code) {
        Some(department) => format!("{} ({})", department.name, department.code),
        None => unknown_place_or(code),
    }
}

/// A department's name alone: « Deux-Sèvres ».
pub fn department_name(code: &str) -> Option<&'static str> {
    dossiers_geo::department(code).map(|d| d.name)
}

/// A region by name: « Nouvelle-Aquitaine »; « Non précisé » for none.
pub fn region(code: &str) -> String {
    match dossiers_geo::region(code) {
        Some(region) => region.name.to_owned(),
        None => unknown_place_or(code),
    }
}

/// « Vague 2 », or « Vague inconnue » for a dossier without a wave.
pub fn wave(code: &str) -> String {
    match code {
        "" | "none" | "unknown" => lookup("wave", "unknown")
            .unwrap_or("Vague inconnue")
            .to_owned(),
        _ => format!("Vague {code}"),
    }
}

fn unknown_place_or(code: &str) -> String {
    match code {
        "" | "none" | "unknown" => lookup("place", "unknown")
            .unwrap_or("Non précisé")
            .to_owned(),
        _ => code.to_owned(),
    }
}

/// The French name of a dimension (`legal_form` → « Forme juridique »).
pub fn dimension(name: &str) -> &str {
    lookup("dimension", name).unwrap_or(name)
}

/// The French name of a record field (`land_control.status` → « Maîtrise foncière »).
pub fn field(key: &str) -> &str {
    lookup("field", key).unwrap_or(key)
}

/// The French name of a section topic (`land_control` → « Maîtrise foncière »).
pub fn section(topic: &str) -> &str {
    lookup("section", topic).unwrap_or(topic)
}

/// The French header of a statistics column (`budget_median` → « Budget médian (€) »).
pub fn metric(name: &str) -> &str {
    lookup("metric", name).unwrap_or(name)
}

/// The group of labels that names the values of a record field, if its values are codes.
pub fn group_of_field(key: &str) -> Option<&'static str> {
    Some(match key {
        "wave" => "wave",
        "applicant.department" => "department",
        "applicant.region" => "region",
        "legal_model.form" | "legal_model.planned_form" => "legal_form",
        "land_control.status" => "land_control",
        "territorial_diagnosis.programmes" => "programme",
        "activities.sectors" => "sector",
        "flags" => "flag",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;
    use dossiers_model::{FlagCode, LandControlStatus, LegalForm, Programme, SectionTopic, Sector};

    #[test]
    fn the_catalogue_parses() {
        let table: Result<Table, _> = toml::from_str(LABELS_TOML);
        let table = table.unwrap();
        for group in [
            "legal_form",
            "land_control",
            "programme",
            "sector",
            "flag",
            "dimension",
            "section",
            "field",
            "metric",
        ] {
            assert!(table.contains_key(group), "{group}");
        }
    }

    #[test]
    fn every_code_of_the_record_has_a_label() {
        let mut codes: Vec<(&str, &str)> = Vec::new();
        codes.extend(LegalForm::ALL.iter().map(|c| ("legal_form", c.code())));
        codes.extend(
            LandControlStatus::ALL
                .iter()
                .map(|c| ("land_control", c.code())),
        );
        codes.extend(Programme::ALL.iter().map(|c| ("programme", c.code())));
        codes.extend(Sector::ALL.iter().map(|c| ("sector", c.code())));
        codes.extend(SectionTopic::ALL.iter().map(|c| ("section", c.code())));
        codes.extend(FlagCode::ALL.iter().map(|c| ("flag", c.code())));
        for (group, code) in codes {
            assert!(lookup(group, code).is_some(), "{group}.{code}");
        }
    }

    #[test]
    fn values_read_as_french() {
        assert_eq!(
            label("land_control", "provided_free"),
            "Mise à disposition gratuite"
        );
        assert_eq!(
            label("flag", "subsidy_over_80_percent"),
            "Subvention > 80 %"
        );
        assert_eq!(label("region", "44"), "Grand Est");
        assert_eq!(label("department", "2B"), "Haute-Corse (2B)");
        assert_eq!(label("department", "unknown"), "Non précisé");
        assert_eq!(label("wave", "2"), "Vague 2");
        assert_eq!(label("wave", "unknown"), "Vague inconnue");
        assert_eq!(label("sector", "not_a_code"), "not_a_code");
        assert_eq!(dimension("legal_form"), "Forme juridique");
        assert_eq!(field("land_control.status"), "Maîtrise foncière");
        assert_eq!(metric("budget_median"), "Budget médian (€)");
    }
}
