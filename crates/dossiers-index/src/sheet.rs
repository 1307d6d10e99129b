//! What the committee's .docx sheets share: table cells, a header row that repeats on every
//! page, the excerpt of a section chosen and cleaned for its topic, and packing.
//!
//! docx-rs 0.4 cannot mark a row as a table header (`<w:tblHeader/>`), so header rows are built
//! with `cantSplit` (which it can write) and `pack` adds `tblHeader` beside every `cantSplit`;
//! no other row of these sheets uses `cantSplit`.

use docx_rs::{Docx, Paragraph, Run, Shading, TableCell, TableRow, WidthType};
use dossiers_model::{Record, Section, SectionTopic};

use crate::flat;
use crate::{IndexError, Result};

/// Text size in half-points.
pub(crate) const SMALL: usize = 18;

/// A table cell of one paragraph.
pub(crate) fn cell(text: &str, bold: bool, width: usize, fill: Option<&str>) -> TableCell {
    let run = Run::new().add_text(text).size(SMALL);
    let run = if bold { run.bold() } else { run };
    let cell = TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().add_run(run));
    match fill {
        Some(fill) => cell.shading(Shading::new().fill(fill)),
        None => cell,
    }
}

/// A header row: bold, shaded, repeated at the top of each page.
pub(crate) fn header_row(cells: &[(&str, usize)]) -> TableRow {
    TableRow::new(
        cells
            .iter()
            .map(|(text, width)| cell(text, true, *width, Some("DDEBF7")))
            .collect(),
    )
    .cant_split()
}

pub(crate) fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).bold().size(size))
}

pub(crate) fn note(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).italic().size(SMALL))
}

/// The packed .docx, header rows marked as such.
pub(crate) fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut xml = docx.build();
    let document = String::from_utf8_lossy(&xml.document).into_owned();
    xml.document = document
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .into_bytes();
    let mut cursor = std::io::Cursor::new(Vec::new());
    xml.pack(&mut cursor)
        .map_err(|error| IndexError::Report(format!("docx: {error}")))?;
    Ok(cursor.into_inner())
}

/// The record fields whose provenance points at the section a topic's value was read from.
fn topic_fields(topic: SectionTopic) -> &'static [&'static str] {
    match topic {
        SectionTopic::Applicant => &["applicant.siret", "applicant.commune", "legal_model.form"],
        SectionTopic::Project => &["applicant.manufacture_name"],
        SectionTopic::TerritorialDiagnosis => &["territorial_diagnosis.rural"],
        SectionTopic::LegalModel => &["legal_model.planned_form", "legal_model.consortium"],
        SectionTopic::LandControl => &[
            "land_control.status",
            "land_control.lease_years",
            "land_control.surface_m2",
        ],
        SectionTopic::Activities => &["activities.sectors", "activities.machines"],
        _ => &[],
    }
}

/// Words a section's title holds when it is about the topic, folded (lowercase, no accents).
fn topic_words(topic: SectionTopic) -> &'static [&'static str] {
    match topic {
        SectionTopic::Applicant => &["porteur", "identite", "structure"],
        SectionTopic::Project => &["projet", "presentation"],
        SectionTopic::TerritorialDiagnosis => &["diagnostic", "territoire", "territorial"],
        SectionTopic::LegalModel => &["juridique", "gouvernance", "statut"],
        SectionTopic::LandControl => &["foncier", "fonciere", "locaux", "immobilier", "lieu"],
        SectionTopic::EconomicModel => &["economique", "financ"],
        SectionTopic::Activities => &["activite", "filiere", "machine"],
        SectionTopic::Training => &["formation", "transmission"],
        SectionTopic::Partnerships => &["partenari", "partenaire"],
        SectionTopic::Budget => &["budget"],
        SectionTopic::Other => &[],
    }
}

/// Lowercase without the common French accents, to compare titles and words.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// The section of `topic` a reader should see: the one the topic's values were read from
/// (their provenance names it), else the one whose title names the topic, else the first with
/// text. Sections without text (a chapter heading over its subsections) are never chosen.
pub(crate) fn section_for(record: &Record, topic: SectionTopic) -> Option<&Section> {
    let candidates: Vec<&Section> = record
        .sections
        .iter()
        .filter(|s| s.topic == topic && !s.text.trim().is_empty())
        .collect();
    let read_from = topic_fields(topic)
        .iter()
        .filter_map(|key| record.provenance.get(*key))
        .find_map(|provenance| {
            candidates
                .iter()
                .find(|s| !s.at.is_empty() && provenance.at.starts_with(&s.at))
        });
    if let Some(section) = read_from {
        return Some(section);
    }
    let words = topic_words(topic);
    candidates
        .iter()
        .find(|s| {
            let title = fold(&s.title);
            words.iter().any(|w| title.contains(w))
        })
        .or_else(|| candidates.first())
        .copied()
}

/// A line that only heads a form's table (« Question ; Réponse »), with nothing of the answer.
fn is_table_header(line: &str) -> bool {
    let folded = fold(line);
    let cells: Vec<&str> = folded
        .split([';', '\t', '|'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    !cells.is_empty()
        && cells.len() <= 4
        && cells.iter().all(|c| {
            matches!(
                *c,
                "question"
                    | "questions"
                    | "reponse"
                    | "reponses"
                    | "rubrique"
                    | "champ"
                    | "valeur"
                    | "intitule"
                    | "element"
                    | "elements"
                    | "precisions"
                    | "commentaire"
            )
        })
}

/// The first lines of a section, without its repeated title or a form's header row.
pub(crate) fn excerpt(section: &Section, lines: usize, max_chars: usize) -> String {
    let title = fold(section.title.trim());
    let kept: Vec<&str> = section
        .text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !is_table_header(line) && fold(line) != title)
        .collect();
    flat::first_lines(&kept.join("\n"), lines, max_chars)
}

/// Where a section was read: « Dossier_candidature.doc, section 12 « 5. Maîtrise foncière » ».
pub(crate) fn source_of(record: &Record, section: &Section) -> String {
    let file = record
        .files
        .iter()
        .find(|f| f.role == dossiers_model::FileRole::Application)
        .map(|f| f.path.rsplit('/').next().unwrap_or(&f.path).to_owned());
    match file {
        Some(file) if !section.at.is_empty() => format!("{file}, {}", section.at),
        Some(file) => file,
        None => section.at.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_model::Provenance;

    fn section(topic: SectionTopic, title: &str, text: &str, at: &str) -> Section {
        Section {
            topic,
            title: title.into(),
            text: text.into(),
            at: at.into(),
        }
    }

    #[test]
    fn the_excerpt_comes_from_the_section_the_value_was_read_from() {
        let mut record = Record::new("d");
        record.sections = vec![
            section(
                SectionTopic::LandControl,
                "9. Partenariats fonciers",
                "Nos partenaires…",
                "section 9",
            ),
            section(
                SectionTopic::LandControl,
                "5. Maîtrise foncière",
                "Question ; Réponse\nStatut des locaux ; Bail emphytéotique de 30 ans",
                "section 5 « 5. Maîtrise foncière »",
            ),
        ];
        record.provenance.insert(
            "land_control.status".into(),
            Provenance {
                file: "d/candidature.docx".into(),
                at: "section 5 « 5. Maîtrise foncière », champ « Statut »".into(),
            },
        );
        let chosen = section_for(&record, SectionTopic::LandControl).unwrap();
        assert_eq!(chosen.title, "5. Maîtrise foncière");
        assert_eq!(
            excerpt(chosen, 3, 300),
            "Statut des locaux ; Bail emphytéotique de 30 ans"
        );
        record.provenance.clear();
        // Without provenance, the title that names the topic wins over the first section.
        record.sections.swap(0, 1);
        record.sections[1].title = "9. Partenariats".into();
        assert_eq!(
            section_for(&record, SectionTopic::LandControl)
                .unwrap()
                .title,
            "5. Maîtrise foncière"
        );
    }

    #[test]
    fn form_headers_are_not_excerpts() {
        assert!(is_table_header("Question ; Réponse"));
        assert!(is_table_header("Questions\tRéponses"));
        assert!(!is_table_header("Statut des locaux ; Bail"));
    }
}
