//! Exports: one row per dossier with the record's flat fields, for analysts who work in Excel
//! or pandas. JSON Lines keeps types and codes and adds each code's label (`legal_model.form`
//! and `legal_model.form_label`); CSV comes for machines (record paths as headers, codes, dot
//! decimals) or for a French Excel (labels, semicolons, decimal commas, a BOM); XLSX has a
//! title block saying what was exported, French headers, numbers and dates typed, an
//! autofilter and a frozen header row.

use std::io::Write;

use dossiers_model::Record;

use crate::flat::{self, FIELDS};
use crate::render::{Column, CsvDialect, Grid};
use crate::stats::{ReportContext, about};
use crate::{IndexError, Result};

fn io(error: std::io::Error) -> IndexError {
    IndexError::io("<output>", error)
}

/// One JSON object per line: `{"dossier_id": …, "legal_model.form": …, "legal_model.form_label": …}`.
pub fn write_jsonl(records: &[Record], out: &mut impl Write) -> Result<()> {
    for record in records {
        let mut object = serde_json::Map::new();
        for (field, value) in flat::flatten(record) {
            object.insert(field.key.to_owned(), value.json());
            if let Some(labels) = value.labels_json() {
                object.insert(format!("{}_label", field.key), labels);
            }
        }
        let line = serde_json::to_string(&object)
            .map_err(|error| IndexError::Report(error.to_string()))?;
        writeln!(out, "{line}").map_err(io)?;
    }
    Ok(())
}

/// What an export holds, for its title block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportContext {
    /// « Vague 2 (clôture le …) », « Toutes vagues confondues ».
    pub waves: String,
    pub report: ReportContext,
}

/// The records as a grid: one column per flat field.
pub fn grid(records: &[Record], context: &ExportContext) -> Grid {
    let columns = FIELDS
        .iter()
        .map(|field| Column::new(field.key, field.label_fr))
        .collect();
    let rows = records
        .iter()
        .map(|record| {
            flat::flatten(record)
                .iter()
                .map(|(_, value)| value.cell())
                .collect()
        })
        .collect();
    let plural = if records.len() == 1 { "" } else { "s" };
    Grid {
        title: format!("{} dossier{plural}", records.len()),
        about: about(&context.waves, &context.report),
        columns,
        rows,
        notes: Vec::new(),
        sheet: "Dossiers".to_owned(),
    }
}

/// CSV for machines, with the record paths as headers (stable names for scripts).
pub fn write_csv(records: &[Record], out: &mut impl Write) -> Result<()> {
    let csv = grid(records, &ExportContext::default()).to_csv(CsvDialect::Machine);
    out.write_all(csv.as_bytes()).map_err(io)
}

/// CSV in either dialect.
pub fn to_csv(records: &[Record], dialect: CsvDialect) -> String {
    grid(records, &ExportContext::default()).to_csv(dialect)
}

/// An XLSX workbook with a title block and French headers.
pub fn to_xlsx(records: &[Record]) -> Result<Vec<u8>> {
    to_xlsx_with(records, &ExportContext::default())
}

/// An XLSX workbook whose title block says what was exported.
pub fn to_xlsx_with(records: &[Record], context: &ExportContext) -> Result<Vec<u8>> {
    grid(records, context).to_xlsx()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_joins() {
        let mut record = Record::new("d-1");
        record.applicant.structure_name = Some("Bois, \"Métal\" & Co".into());
        let mut out = Vec::new();
        write_csv(&[record], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("dossier_id,ds_number,wave,")
        );
        assert!(
            lines
                .next()
                .unwrap()
                .contains("\"Bois, \"\"Métal\"\" & Co\"")
        );
    }

    #[test]
    fn jsonl_keeps_types_and_codes_and_adds_labels() {
        let mut record = Record::new("d-1");
        record.budget.total_expenses = Some(1000.0);
        record.applicant.department = Some("79".into());
        let mut out = Vec::new();
        write_jsonl(&[record], &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["budget.total_expenses"], 1000.0);
        assert_eq!(value["flags"], serde_json::json!([]));
        assert_eq!(value["legal_model.form"], "unknown");
        assert_eq!(value["legal_model.form_label"], "Non précisée");
        assert_eq!(value["applicant.department_label"], "Deux-Sèvres (79)");
    }

    #[test]
    fn xlsx_is_a_zip() {
        assert!(to_xlsx(&[Record::new("d-1")]).unwrap().starts_with(b"PK"));
    }
}
