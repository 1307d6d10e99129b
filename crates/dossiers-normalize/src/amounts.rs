//! Amounts stated in the application checked against the matrix.
//!
//! Applications often repeat the budget in a sentence (« Coût total sur 2022-2024 : 1.203.650 €
//! HT », « Montant demandé à l'ANCT : 361 650 € », « 0,25 M€ »). The matrix is authoritative, but
//! a stated amount that the matrix does not give is either a matrix read wrong or a dossier that
//! contradicts itself: either way a reviewer must look, so the disagreement is a flag rather
//! than a silent choice. Approximate amounts (« environ », « près de ») are not compared; the
//! cue words are the lexicon's `[amounts]`.

use dossiers_model::Record;

use crate::application::Application;
use crate::lexicon::lexicon;
use crate::numbers::numbers;
use crate::text::{Folded, sentences};

/// An amount the text states for a budget figure.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stated {
    value: f64,
    /// How far the written figure may be from the exact one (its rounding).
    tolerance: f64,
}

/// The French message of a disagreement between the text and the matrix, if there is one.
pub fn disagreement(app: &Application, record: &Record) -> Option<String> {
    let folded = Folded::new(&app.text);
    let words = &lexicon().amounts;
    let mut found = Vec::new();
    for (start, end) in sentences(&folded.text) {
        let sentence = folded.text.get(start..end).unwrap_or("");
        let cased = folded.cased.get(start..end).unwrap_or("");
        for (cues, matrix, what) in [
            (
                &words.total_cues,
                record.budget.total_expenses,
                "le coût total",
            ),
            (
                &words.subsidy_cues,
                record.budget.subsidy_requested,
                "l'aide demandée",
            ),
        ] {
            let Some(matrix) = matrix else { continue };
            // « Une aide de 280 000 € au titre des Manufactures de proximité »: a plain « aide
            // de » states the subsidy asked only in a sentence that names the programme and no
            // other funder.
            let names_programme = what == "l'aide demandée"
                && !lexicon().budget.subsidy.find_in(sentence, cased).is_empty()
                && lexicon()
                    .budget
                    .other_funders
                    .find_in(sentence, cased)
                    .is_empty();
            let plain_cues = if names_programme {
                words.plain_subsidy_cues.find_in(sentence, cased)
            } else {
                Vec::new()
            };
            for cue in cues.find_in(sentence, cased).into_iter().chain(plain_cues) {
                let Some(stated) = amount_after(sentence, cue.end) else {
                    continue;
                };
                if (stated.value - matrix).abs() > stated.tolerance.max(1.0) {
                    found.push(format!(
                        "{what} est de {} dans le texte, {} dans la matrice",
                        euros(stated.value),
                        euros(matrix)
                    ));
                }
            }
        }
    }
    found.dedup();
    (!found.is_empty()).then(|| format!("Montants divergents : {}.", found.join(" ; ")))
}

/// The first amount of money after a cue, before the next cue or clause break, unless the
/// text says it is approximate.
fn amount_after(sentence: &str, at: usize) -> Option<Stated> {
    let rest = sentence.get(at..)?;
    let stop = rest.find([';', '(']).unwrap_or(rest.len());
    let rest = rest.get(..stop)?;
    let words = &lexicon().amounts;
    for number in numbers(rest) {
        let after = rest.get(number.end..).unwrap_or("");
        let Some((factor, _)) = crate::numbers::amount_suffix(after) else {
            continue;
        };
        let before = rest.get(..number.start).unwrap_or("");
        if words.approximate.any_in(before) {
            return None;
        }
        let written = rest.get(number.start..number.end).unwrap_or("");
        // « 0,25 M€ » is rounded to its last written digit.
        let decimals = written
            .rsplit_once(',')
            .map_or(0, |(_, d)| d.chars().filter(char::is_ascii_digit).count());
        let tolerance = factor / 10f64.powi(decimals as i32) / 2.0;
        return Some(Stated {
            value: number.value * factor,
            tolerance: if factor > 1.0 { tolerance } else { 1.0 },
        });
    }
    None
}

/// « 1 203 650 € ».
fn euros(value: f64) -> String {
    let whole = value.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if whole < 0 {
        out.insert(0, '-');
    }
    format!("{out} €")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_extract::{Block, Document, Format, Story, StoryKind};

    fn check(text: &str, total: f64, subsidy: f64, expected: bool) {
        let mut document = Document::new(Format::Docx);
        let mut story = Story::new(StoryKind::Body);
        story.blocks.push(Block::paragraph(text));
        document.stories.push(story);
        let app = crate::application::read_application(&document);
        let mut record = Record::new("x");
        record.budget.total_expenses = Some(total);
        record.budget.subsidy_requested = Some(subsidy);
        assert_eq!(disagreement(&app, &record).is_some(), expected, "{text:?}");
    }

    #[test]
    fn stated_amounts_against_the_matrix() {
        let text =
            "Coût total sur 2022-2024 : 1.203.650 € HT. Montant demandé à l'ANCT : 361.650 € HT.";
        check(text, 1_203_650.0, 361_650.0, false);
        check(text, 1_103_650.0, 361_650.0, true);
        check(text, 1_203_650.0, 300_000.0, true);
        // Rounded to its written digits.
        check("Le budget total est de 0,25 M€.", 245_000.0, 1.0, false);
        check("Le budget total est de 612,4 k€.", 612_380.0, 1.0, false);
        check(
            "Une aide de 280 000 € au titre des Manufactures de proximité.",
            1.0,
            260_000.0,
            true,
        );
        // Another funder's aid is not the one asked here.
        check("Une aide de 40 000 € de la Région.", 1.0, 260_000.0, false);
        check("Le budget total est de 612,4 k€.", 712_380.0, 1.0, true);
        // Approximate amounts are not compared.
        check(
            "Le coût global est estimé à environ 0,52 M€ sur trois ans.",
            700_000.0,
            1.0,
            false,
        );
    }
}
