//! Exports: one row per dossier with the record's flat fields, for analysts who work in Excel
//! or pandas. JSON Lines keeps types (numbers, lists), CSV is RFC 4180 with lists joined by
//! `;`, XLSX has French headers, number formats and a frozen header row.

use std::io::Write;

use dossiers_model::Record;

use crate::flat::{self, FlatValue};
use crate::stats::csv_line;
use crate::{IndexError, Result};

fn io(error: std::io::Error) -> IndexError {
    IndexError::io("<output>", error)
}

/// One JSON object per line: `{"dossier_id": …, "legal_model.form": …}`.
pub fn write_jsonl(records: &[Record], out: &mut impl Write) -> Result<()> {
    for record in records {
        let object: serde_json::Map<String, serde_json::Value> = flat::flatten(record)
            .into_iter()
            .map(|(field, value)| (field.key.to_owned(), value.json()))
            .collect();
        let line = serde_json::to_string(&object)
            .map_err(|error| IndexError::Report(error.to_string()))?;
        writeln!(out, "{line}").map_err(io)?;
    }
    Ok(())
}

/// CSV with the record paths as headers (stable names for scripts).
pub fn write_csv(records: &[Record], out: &mut impl Write) -> Result<()> {
    out.write_all(csv_line(flat::FIELDS.iter().map(|f| f.key)).as_bytes())
        .map_err(io)?;
    for record in records {
        let cells: Vec<String> = flat::flatten(record)
            .iter()
            .map(|(_, value)| value.csv())
            .collect();
        out.write_all(csv_line(cells.iter().map(String::as_str)).as_bytes())
            .map_err(io)?;
    }
    Ok(())
}

/// An XLSX workbook with French headers.
pub fn to_xlsx(records: &[Record]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let report = |e: rust_xlsxwriter::XlsxError| IndexError::Report(format!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Dossiers").map_err(report)?;
    let bold = Format::new().set_bold().set_text_wrap();
    let money = Format::new().set_num_format("# ##0 €");
    let share = Format::new().set_num_format("0.0 %");
    for (column, field) in flat::FIELDS.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, column, field.label_fr, &bold)
            .map_err(report)?;
        sheet.set_column_width(column, 16).map_err(report)?;
    }
    for (row, record) in records.iter().enumerate() {
        let row = u32::try_from(row + 1).unwrap_or(u32::MAX);
        for (column, (_, value)) in flat::flatten(record).iter().enumerate() {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            match value {
                FlatValue::Null => Ok(()),
                FlatValue::Bool(b) => sheet
                    .write_string(row, column, if *b { "oui" } else { "non" })
                    .map(|_| ()),
                FlatValue::Int(n) => sheet.write_number(row, column, *n as f64).map(|_| ()),
                FlatValue::Money(x) => sheet
                    .write_number_with_format(row, column, *x, &money)
                    .map(|_| ()),
                FlatValue::Share(x) => sheet
                    .write_number_with_format(row, column, *x, &share)
                    .map(|_| ()),
                FlatValue::Text(_) | FlatValue::List(_) => {
                    sheet.write_string(row, column, value.csv()).map(|_| ())
                }
            }
            .map_err(report)?;
        }
    }
    sheet.set_freeze_panes(1, 1).map_err(report)?;
    workbook.save_to_buffer().map_err(report)
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
    fn jsonl_keeps_types() {
        let mut record = Record::new("d-1");
        record.budget.total_expenses = Some(1000.0);
        let mut out = Vec::new();
        write_jsonl(&[record], &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["budget.total_expenses"], 1000.0);
        assert_eq!(value["flags"], serde_json::json!([]));
    }

    #[test]
    fn xlsx_is_a_zip() {
        assert!(to_xlsx(&[Record::new("d-1")]).unwrap().starts_with(b"PK"));
    }
}
