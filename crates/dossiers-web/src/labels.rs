//! French labels of the record's codes: a thin use of the shared catalogue (`dossiers-labels`),
//! so that the pages say what the CLI, the exports and the comparison sheet say. A code without
//! a label is shown as it is: a new code never breaks a page.

use dossiers_index::Dimension;

/// The French label of one value of a dimension, as a reviewer reads it.
pub fn value(dimension: Dimension, code: &str) -> String {
    dossiers_labels::label(dimension.name(), code)
}

/// The label of a code of a record field that is not a dimension (`land_control.status` …).
pub fn code(group: &str, code: &str) -> String {
    dossiers_labels::label(group, code)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(code("flag", "budget_missing"), "Budget absent");
    }
}
