//! The « fiche » of one dossier, as a .docx a selection committee reads on paper: who applies,
//! what needs looking at (flags), the record by group with the source of each value, the budget
//! per year, and an excerpt of each section of the application, taken from the section of its
//! topic and cited.

use docx_rs::{Docx, PageMargin, Paragraph, Run, Table, TableRow};
use dossiers_model::{Record, SectionTopic};

use crate::compare::section_label_fr;
use crate::flat::{self, FIELDS, group_thousands};
use crate::{Result, sheet};

/// The groups of the fiche: a title and the prefix of the flat fields it shows.
const GROUPS: &[(&str, &str)] = &[
    ("Dépôt", ""),
    ("Identité", "applicant."),
    ("Modèle juridique", "legal_model."),
    ("Maîtrise foncière", "land_control."),
    ("Diagnostic territorial", "territorial_diagnosis."),
    ("Activités", "activities."),
    ("Budget", "budget."),
];

/// Fields of the « Dépôt » group (the ones without a dotted prefix, flags apart).
const DEPOSIT_FIELDS: [&str; 4] = ["dossier_id", "ds_number", "wave", "deposited_at"];

const SECTION_LINES: usize = 6;
const SECTION_CHARS: usize = 700;

/// The fiche of one dossier as .docx (A4 portrait).
pub fn to_docx(record: &Record) -> Result<Vec<u8>> {
    const LABEL: usize = 2_800;
    const VALUE: usize = 3_900;
    const SOURCE: usize = 3_000;
    let applicant = &record.applicant;
    let title = applicant
        .manufacture_name
        .clone()
        .or_else(|| applicant.structure_name.clone())
        .unwrap_or_else(|| record.dossier_id.clone());
    let mut subtitle = vec![format!("Dossier {}", record.dossier_id)];
    if let Some(structure) = &applicant.structure_name
        && Some(structure) != applicant.manufacture_name.as_ref()
    {
        subtitle.push(format!("porté par {structure}"));
    }
    if let Some(wave) = record.wave {
        subtitle.push(format!("vague {wave}"));
    }
    if let Some(deposited) = &record.deposited_at {
        subtitle.push(format!(
            "déposé le {}",
            dossiers_labels::dates::french_datetime(deposited).unwrap_or_else(|| deposited.clone())
        ));
    }
    let mut docx = Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(PageMargin::new().top(900).bottom(900).left(900).right(900))
        .add_paragraph(sheet::heading(&title, 32))
        .add_paragraph(sheet::note(&subtitle.join(" · ")));

    docx = docx.add_paragraph(sheet::heading("Points d'attention", 26));
    if record.flags.is_empty() {
        docx = docx.add_paragraph(sheet::note("Aucune alerte."));
    }
    for flag in &record.flags {
        docx = docx.add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text(format!(
                            "{} : ",
                            dossiers_labels::label("flag", flag.code.code())
                        ))
                        .bold()
                        .size(sheet::SMALL),
                )
                .add_run(Run::new().add_text(&flag.message).size(sheet::SMALL)),
        );
    }

    let mut rows = vec![sheet::header_row(&[
        ("Champ", LABEL),
        ("Valeur", VALUE),
        ("Source", SOURCE),
    ])];
    for (group, prefix) in GROUPS {
        rows.push(TableRow::new(vec![
            sheet::cell(group, true, LABEL, Some("F2F2F2")),
            sheet::cell("", false, VALUE, Some("F2F2F2")),
            sheet::cell("", false, SOURCE, Some("F2F2F2")),
        ]));
        let fields = FIELDS.iter().filter(|f| {
            if prefix.is_empty() {
                DEPOSIT_FIELDS.contains(&f.key)
            } else {
                f.key.starts_with(prefix)
            }
        });
        for field in fields {
            let source = record
                .provenance
                .get(field.key)
                .map(|p| format!("{}, {}", p.file.rsplit('/').next().unwrap_or(&p.file), p.at))
                .unwrap_or_default();
            rows.push(TableRow::new(vec![
                sheet::cell(field.label_fr, false, LABEL, None),
                sheet::cell(
                    &flat::value(record, field.key).display(),
                    false,
                    VALUE,
                    None,
                ),
                sheet::cell(&source, false, SOURCE, None),
            ]));
        }
    }
    docx = docx
        .add_paragraph(sheet::heading("Le dossier", 26))
        .add_table(Table::new(rows).set_grid(vec![LABEL, VALUE, SOURCE]));

    if !record.budget.years.is_empty() {
        let mut rows = vec![sheet::header_row(&[
            ("Année", LABEL),
            ("Dépenses", VALUE),
            ("Recettes", SOURCE),
        ])];
        for year in &record.budget.years {
            rows.push(TableRow::new(vec![
                sheet::cell(&year.year.to_string(), false, LABEL, None),
                sheet::cell(
                    &format!("{} €", group_thousands(year.expenses)),
                    false,
                    VALUE,
                    None,
                ),
                sheet::cell(
                    &format!("{} €", group_thousands(year.revenues)),
                    false,
                    SOURCE,
                    None,
                ),
            ]));
        }
        docx = docx
            .add_paragraph(sheet::heading("Budget par année", 26))
            .add_table(Table::new(rows).set_grid(vec![LABEL, VALUE, SOURCE]));
    }

    docx = docx.add_paragraph(sheet::heading("Extraits de la candidature, par thème", 26));
    for topic in SectionTopic::ALL {
        let Some(section) = sheet::section_for(record, topic) else {
            continue;
        };
        docx = docx
            .add_paragraph(sheet::heading(section_label_fr(topic), 22))
            .add_paragraph(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(sheet::excerpt(section, SECTION_LINES, SECTION_CHARS))
                        .size(sheet::SMALL),
                ),
            )
            .add_paragraph(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(format!("Source : {}", sheet::source_of(record, section)))
                        .italic()
                        .size(16)
                        .color("595959"),
                ),
            );
    }
    sheet::pack(docx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fiche_is_a_docx_with_a_repeating_header_row() {
        let mut record = Record::new("d-1");
        record.applicant.structure_name = Some("Atelier".into());
        let docx = to_docx(&record).unwrap();
        assert!(docx.starts_with(b"PK"));
    }
}
