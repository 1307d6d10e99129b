//! Comparing dossiers side by side: every flat field with its values and whether they differ,
//! then for each canonical section the first lines each dossier wrote. Rendered as a text table,
//! JSON, or a .docx comparison sheet a reviewer can file (docx-rs, landscape, differing rows
//! shaded).

use dossiers_model::{Record, SectionTopic};
use serde::Serialize;
use serde_json::Value as Json;

use crate::flat::{self, FlatValue};
use crate::{IndexError, Result};

/// Lines of each section shown in a comparison.
const SECTION_LINES: usize = 3;
/// Characters of each section shown in a comparison.
const SECTION_CHARS: usize = 320;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub dossiers: Vec<String>,
    pub fields: Vec<ComparedField>,
    pub sections: Vec<ComparedSection>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparedField {
    pub key: String,
    pub label: String,
    /// One value per dossier, typed.
    pub values: Vec<Json>,
    /// One value per dossier, as a reviewer reads it.
    pub shown: Vec<String>,
    pub differs: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparedSection {
    pub topic: String,
    pub label: String,
    /// One per dossier; `null` when the dossier has no such section.
    pub first_lines: Vec<Option<String>>,
}

/// The French name of a canonical section.
pub fn section_label_fr(topic: SectionTopic) -> &'static str {
    match topic {
        SectionTopic::Applicant => "Porteur de projet",
        SectionTopic::Project => "Projet",
        SectionTopic::TerritorialDiagnosis => "Diagnostic territorial",
        SectionTopic::LegalModel => "Modèle juridique",
        SectionTopic::LandControl => "Maîtrise foncière",
        SectionTopic::EconomicModel => "Modèle économique",
        SectionTopic::Activities => "Activités",
        SectionTopic::Training => "Formation",
        SectionTopic::Partnerships => "Partenariats",
        SectionTopic::Budget => "Budget",
        SectionTopic::Other => "Autres",
    }
}

/// The comparison of two or more records (in the order given).
pub fn compare(records: &[Record]) -> Comparison {
    let fields = flat::FIELDS
        .iter()
        .map(|field| {
            let values: Vec<FlatValue> = records
                .iter()
                .map(|record| flat::value(record, field.key))
                .collect();
            let differs = values.windows(2).any(|pair| match pair {
                [a, b] => a != b,
                _ => false,
            });
            ComparedField {
                key: field.key.to_owned(),
                label: field.label_fr.to_owned(),
                values: values.iter().map(FlatValue::json).collect(),
                shown: values.iter().map(FlatValue::display).collect(),
                differs,
            }
        })
        .collect();
    let sections = SectionTopic::ALL
        .iter()
        .filter_map(|&topic| {
            let first_lines: Vec<Option<String>> = records
                .iter()
                .map(|record| {
                    let text: Vec<&str> = record
                        .sections
                        .iter()
                        .filter(|s| s.topic == topic)
                        .map(|s| s.text.as_str())
                        .collect();
                    (!text.is_empty())
                        .then(|| flat::first_lines(&text.join("\n"), SECTION_LINES, SECTION_CHARS))
                })
                .collect();
            first_lines
                .iter()
                .any(Option::is_some)
                .then(|| ComparedSection {
                    topic: topic.code().to_owned(),
                    label: section_label_fr(topic).to_owned(),
                    first_lines,
                })
        })
        .collect();
    Comparison {
        dossiers: records.iter().map(|r| r.dossier_id.clone()).collect(),
        fields,
        sections,
    }
}

impl Comparison {
    /// A text table: one line per field, `≠` before the fields that differ, then the sections.
    pub fn to_table(&self) -> String {
        const COLUMN: usize = 34;
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(10);
        let clip = |text: &str| -> String {
            if text.chars().count() <= COLUMN {
                format!("{text}{}", " ".repeat(COLUMN - text.chars().count()))
            } else {
                let cut: String = text.chars().take(COLUMN - 1).collect();
                format!("{cut}…")
            }
        };
        let mut out = String::new();
        let header: Vec<String> = self.dossiers.iter().map(|d| clip(d)).collect();
        out.push_str(&format!(
            "  {}  {}\n",
            " ".repeat(label_width),
            header.join("  ")
        ));
        for field in &self.fields {
            let mark = if field.differs { "≠" } else { " " };
            let pad = label_width.saturating_sub(field.label.chars().count());
            let values: Vec<String> = field.shown.iter().map(|v| clip(v)).collect();
            out.push_str(&format!(
                "{mark} {}{}  {}\n",
                field.label,
                " ".repeat(pad),
                values.join("  ").trim_end()
            ));
        }
        for section in &self.sections {
            out.push_str(&format!("\n## {}\n", section.label));
            for (dossier, lines) in self.dossiers.iter().zip(&section.first_lines) {
                out.push_str(&format!("{dossier}: {}\n", lines.as_deref().unwrap_or("—")));
            }
        }
        out
    }

    /// A .docx comparison sheet: a title, the fields table (differences shaded), then each
    /// section's first lines per dossier.
    pub fn to_docx(&self) -> Result<Vec<u8>> {
        use docx_rs::{
            Docx, PageOrientationType, Paragraph, Run, Shading, Table, TableCell, TableRow,
            WidthType,
        };
        const PAGE_WIDTH: usize = 15_000; // twentieths of a point, A4 landscape minus margins
        let label_width = 3_200;
        let column = (PAGE_WIDTH - label_width) / self.dossiers.len().max(1);
        let cell = |text: &str, bold: bool, width: usize, shaded: bool| {
            let run = Run::new().add_text(text).size(18);
            let run = if bold { run.bold() } else { run };
            let cell = TableCell::new()
                .width(width, WidthType::Dxa)
                .add_paragraph(Paragraph::new().add_run(run));
            if shaded {
                cell.shading(Shading::new().fill("FCE4D6"))
            } else {
                cell
            }
        };
        let mut rows = vec![TableRow::new(
            std::iter::once(cell("Champ", true, label_width, false))
                .chain(self.dossiers.iter().map(|d| cell(d, true, column, false)))
                .collect(),
        )];
        for field in &self.fields {
            rows.push(TableRow::new(
                std::iter::once(cell(&field.label, true, label_width, field.differs))
                    .chain(
                        field
                            .shown
                            .iter()
                            .map(|v| cell(v, false, column, field.differs)),
                    )
                    .collect(),
            ));
        }
        let mut grid = vec![label_width];
        grid.extend(std::iter::repeat_n(column, self.dossiers.len()));
        let title = format!("Comparaison des dossiers {}", self.dossiers.join(", "));
        let mut docx = Docx::new()
            .page_size(16_838, 11_906)
            .page_orient(PageOrientationType::Landscape)
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&title).bold().size(32)))
            .add_paragraph(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text("Les lignes surlignées diffèrent d'un dossier à l'autre.")
                        .italic()
                        .size(18),
                ),
            )
            .add_table(Table::new(rows).set_grid(grid));
        for section in &self.sections {
            docx = docx.add_paragraph(
                Paragraph::new().add_run(Run::new().add_text(&section.label).bold().size(26)),
            );
            for (dossier, lines) in self.dossiers.iter().zip(&section.first_lines) {
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(format!("{dossier} : ")).bold().size(18))
                        .add_run(
                            Run::new()
                                .add_text(lines.as_deref().unwrap_or("—"))
                                .size(18),
                        ),
                );
            }
        }
        let mut cursor = std::io::Cursor::new(Vec::new());
        docx.build()
            .pack(&mut cursor)
            .map_err(|error| IndexError::Report(format!("docx: {error}")))?;
        Ok(cursor.into_inner())
    }
}

impl crate::DossierIndex {
    /// The stored records of these dossiers, compared.
    pub fn compare(&self, dossier_ids: &[String]) -> Result<Comparison> {
        let records = dossier_ids
            .iter()
            .map(|id| self.get(id))
            .collect::<Result<Vec<_>>>()?;
        Ok(compare(&records))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_model::LegalForm;

    #[test]
    fn differences_are_marked() {
        let mut a = Record::new("a");
        a.legal_model.form = LegalForm::Scic;
        let mut b = Record::new("b");
        b.legal_model.form = LegalForm::Association;
        let comparison = compare(&[a, b]);
        let form = comparison
            .fields
            .iter()
            .find(|f| f.key == "legal_model.form")
            .unwrap();
        assert!(form.differs);
        assert_eq!(form.shown, ["scic", "association"]);
        let siret = comparison
            .fields
            .iter()
            .find(|f| f.key == "applicant.siret")
            .unwrap();
        assert!(!siret.differs);
        assert!(comparison.to_table().contains("≠ Forme juridique"));
        let docx = comparison.to_docx().unwrap();
        assert!(docx.starts_with(b"PK"));
    }
}
