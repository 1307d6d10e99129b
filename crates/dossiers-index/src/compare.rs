//! Comparing dossiers side by side: every flat field with its values and whether they differ,
//! then for each canonical section an excerpt of each dossier, taken from the section of that
//! topic and cited. Rendered as a text table, JSON, or a .docx comparison sheet a committee can
//! file (labels not codes, French dates, landscape, the header row repeated on every page,
//! differing rows shaded and marked).

use dossiers_model::{Record, SectionTopic};
use serde::Serialize;
use serde_json::Value as Json;

use crate::Result;
use crate::flat::{self, FlatValue};
use crate::sheet;

/// Lines of each section shown in a comparison.
const SECTION_LINES: usize = 3;
/// Characters of each section shown in a comparison.
const SECTION_CHARS: usize = 320;

/// Fields that name the dossiers rather than describe them: shown, never marked as differing.
const IDENTITY_FIELDS: [&str; 1] = ["dossier_id"];

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
    /// One value per dossier, typed (codes as codes).
    pub values: Vec<Json>,
    /// The labels of coded values, one per dossier (absent for other fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<Json>>,
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
    /// Where each excerpt was read (file, section), one per dossier.
    pub sources: Vec<Option<String>>,
}

/// The French name of a canonical section.
pub fn section_label_fr(topic: SectionTopic) -> &'static str {
    dossiers_labels::lookup("section", topic.code()).unwrap_or("Autres")
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
            let differs = !IDENTITY_FIELDS.contains(&field.key)
                && values.windows(2).any(|pair| match pair {
                    [a, b] => a != b,
                    _ => false,
                });
            let labels: Vec<Json> = values.iter().filter_map(FlatValue::labels_json).collect();
            ComparedField {
                key: field.key.to_owned(),
                label: field.label_fr.to_owned(),
                values: values.iter().map(FlatValue::json).collect(),
                labels: (labels.len() == values.len() && !labels.is_empty()).then_some(labels),
                shown: values.iter().map(FlatValue::display).collect(),
                differs,
            }
        })
        .collect();
    let sections = SectionTopic::ALL
        .iter()
        .filter_map(|&topic| {
            let chosen: Vec<Option<(String, String)>> = records
                .iter()
                .map(|record| {
                    let section = sheet::section_for(record, topic)?;
                    Some((
                        sheet::excerpt(section, SECTION_LINES, SECTION_CHARS),
                        sheet::source_of(record, section),
                    ))
                })
                .collect();
            chosen.iter().any(Option::is_some).then(|| ComparedSection {
                topic: topic.code().to_owned(),
                label: section_label_fr(topic).to_owned(),
                first_lines: chosen
                    .iter()
                    .map(|c| c.as_ref().map(|(text, _)| text.clone()))
                    .collect(),
                sources: chosen
                    .iter()
                    .map(|c| c.as_ref().map(|(_, source)| source.clone()))
                    .collect(),
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
            for ((dossier, lines), source) in self
                .dossiers
                .iter()
                .zip(&section.first_lines)
                .zip(&section.sources)
            {
                out.push_str(&format!("{dossier}: {}", lines.as_deref().unwrap_or("—")));
                if let Some(source) = source {
                    out.push_str(&format!(" [{source}]"));
                }
                out.push('\n');
            }
        }
        out
    }

    /// A .docx comparison sheet: a title, the fields table (differences shaded and marked ≠,
    /// header row repeated on each page), then each section's excerpt per dossier with its
    /// source.
    pub fn to_docx(&self) -> Result<Vec<u8>> {
        use docx_rs::{Docx, PageMargin, PageOrientationType, Paragraph, Run, Table, TableRow};
        const PAGE_WIDTH: usize = 15_238; // A4 landscape (16,838) minus 2 × 800 twips of margin
        let label_width = 3_000;
        let column = (PAGE_WIDTH - label_width) / self.dossiers.len().max(1);
        let mut header: Vec<(&str, usize)> = vec![("Champ", label_width)];
        header.extend(self.dossiers.iter().map(|d| (d.as_str(), column)));
        let mut rows = vec![sheet::header_row(&header)];
        for field in &self.fields {
            let fill = field.differs.then_some("FCE4D6");
            let label = if field.differs {
                format!("≠ {}", field.label)
            } else {
                field.label.clone()
            };
            rows.push(TableRow::new(
                std::iter::once(sheet::cell(&label, true, label_width, fill))
                    .chain(
                        field
                            .shown
                            .iter()
                            .map(|v| sheet::cell(v, false, column, fill)),
                    )
                    .collect(),
            ));
        }
        let mut grid = vec![label_width];
        grid.extend(std::iter::repeat_n(column, self.dossiers.len()));
        let differing = self.fields.iter().filter(|f| f.differs).count();
        let title = format!("Comparaison des dossiers {}", self.dossiers.join(", "));
        let mut docx = Docx::new()
            .page_size(16_838, 11_906)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(
                PageMargin::new()
                    .top(800)
                    .bottom(800)
                    .left(800)
                    .right(800),
            )
            .add_paragraph(sheet::heading(&title, 32))
            .add_paragraph(sheet::note(&format!(
                "{differing} champ{} diffère{} d'un dossier à l'autre : lignes marquées ≠ et surlignées.",
                if differing == 1 { "" } else { "s" },
                if differing == 1 { "" } else { "nt" },
            )))
            .add_table(Table::new(rows).set_grid(grid));
        docx = docx.add_paragraph(sheet::heading("Extraits des candidatures, par thème", 28));
        for section in &self.sections {
            docx = docx.add_paragraph(sheet::heading(&section.label, 24));
            for ((dossier, lines), source) in self
                .dossiers
                .iter()
                .zip(&section.first_lines)
                .zip(&section.sources)
            {
                let mut paragraph = Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(format!("{dossier} : "))
                            .bold()
                            .size(sheet::SMALL),
                    )
                    .add_run(
                        Run::new()
                            .add_text(lines.as_deref().unwrap_or("—"))
                            .size(sheet::SMALL),
                    );
                if let Some(source) = source {
                    paragraph = paragraph.add_run(
                        Run::new()
                            .add_text(format!(" (source : {source})"))
                            .italic()
                            .size(16)
                            .color("595959"),
                    );
                }
                docx = docx.add_paragraph(paragraph);
            }
        }
        sheet::pack(docx)
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
    fn differences_are_marked_in_labels() {
        let mut a = Record::new("a");
        a.legal_model.form = LegalForm::Scic;
        a.deposited_at = Some("2022-01-12T10:31:00+01:00".into());
        let mut b = Record::new("b");
        b.legal_model.form = LegalForm::Association;
        b.deposited_at = Some("2022-01-12T10:31:00+01:00".into());
        let comparison = compare(&[a, b]);
        let field = |key: &str| comparison.fields.iter().find(|f| f.key == key).unwrap();
        let form = field("legal_model.form");
        assert!(form.differs);
        assert_eq!(form.shown, ["SCIC", "Association"]);
        assert_eq!(form.values, ["scic", "association"]);
        assert!(!field("applicant.siret").differs);
        // The dossiers' own ids differ by definition: not a difference to mark.
        assert!(!field("dossier_id").differs);
        assert_eq!(field("deposited_at").shown[0], "12 janvier 2022 à 10 h 31");
        assert!(comparison.to_table().contains("≠ Forme juridique"));
        let docx = comparison.to_docx().unwrap();
        assert!(docx.starts_with(b"PK"));
    }
}
