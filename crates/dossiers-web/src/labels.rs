//! French labels of the record's codes, from `data/labels.toml` (regions and departments from
//! dossiers-geo). A code without a label is shown as it is: a new code never breaks a page.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use dossiers_index::Dimension;

type Table = BTreeMap<String, BTreeMap<String, String>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is part of the binary and parsed by a test, so a parse error cannot ship;
        // should it happen anyway, pages fall back to the codes.
        toml::from_str(include_str!("../data/labels.toml")).unwrap_or_default()
    })
}

fn lookup(group: &str, code: &str) -> Option<&'static str> {
    table().get(group)?.get(code).map(String::as_str)
}

/// The French label of one value of a dimension, as a reviewer reads it.
pub fn value(dimension: Dimension, code: &str) -> String {
    match dimension {
        Dimension::Wave => match code {
            "none" | "unknown" => "Vague inconnue".to_owned(),
            _ => format!("Vague {code}"),
        },
        Dimension::Region => match dossiers_geo::region(code) {
            Some(region) => region.name.to_owned(),
            None => unknown_or(code),
        },
        Dimension::Department => match dossiers_geo::department(code) {
            Some(department) => format!("{} ({code})", department.name),
            None => unknown_or(code),
        },
        _ => lookup(dimension.name(), code).map_or_else(|| code.to_owned(), str::to_owned),
    }
}

/// The label of a code of a record field that is not a dimension (`land_control.status` …).
pub fn code(group: &str, code: &str) -> String {
    lookup(group, code).map_or_else(|| code.to_owned(), str::to_owned)
}

fn unknown_or(code: &str) -> String {
    match code {
        "" | "none" | "unknown" => "Non précisé".to_owned(),
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_labels_file_labels_every_code_of_the_record() {
        use dossiers_model::{LandControlStatus, LegalForm, Programme, Sector};
        let codes = LegalForm::ALL.iter().map(|c| ("legal_form", c.code()));
        let codes = codes.chain(
            LandControlStatus::ALL
                .iter()
                .map(|c| ("land_control", c.code())),
        );
        let codes = codes.chain(Programme::ALL.iter().map(|c| ("programme", c.code())));
        let codes = codes.chain(Sector::ALL.iter().map(|c| ("sector", c.code())));
        for (group, code) in codes {
            assert!(lookup(group, code).is_some(), "{group}.{code}");
        }
    }

    #[test]
    fn values_read_as_french() {
        assert_eq!(
            value(Dimension::LandControl, "emphyteotic_lease"),
            "Bail emphytéotique"
        );
        assert_eq!(value(Dimension::Region, "44"), "Grand Est");
        assert_eq!(value(Dimension::Department, "2B"), "Haute-Corse (2B)");
        assert_eq!(value(Dimension::Wave, "2"), "Vague 2");
        assert_eq!(value(Dimension::Sector, "not_a_code"), "not_a_code");
    }
}
