//! Activities: the manufacture's filières and its machines, digital or not.
//!
//! Filières and machines are read through the lexicon. « numérique » alone names a filière only
//! in a short list (« Filières : bois, numérique »); in prose it qualifies a machine or a
//! transition. A machine denied in its clause (« nous n'avons pas de découpe laser ») is left out.

use dossiers_model::Sector;

use crate::lexicon::lexicon;
use crate::polarity::is_negated;
use crate::text::Folded;

/// The filières named in prose, in the record's order, without repeats.
pub fn read_sectors(text: &str) -> Vec<Sector> {
    sectors(text, false)
}

/// The filières named in a short field or list, where bare words such as « numérique » count.
pub fn read_sectors_field(text: &str) -> Vec<Sector> {
    sectors(text, true)
}

fn sectors(text: &str, field: bool) -> Vec<Sector> {
    let folded = Folded::new(text);
    let lexicon = lexicon();
    let mut hits = lexicon.sectors.find(&folded);
    if field {
        let taken = hits.clone();
        hits.extend(
            lexicon
                .sectors_field_only
                .find(&folded)
                .into_iter()
                .filter(|h| !taken.iter().any(|t| t.start < h.end && h.start < t.end)),
        );
    }
    // A machine's name is not a filière (« fraiseuse à bois » names the machine, « métier
    // jacquard électronique » is a loom, not electronics), except where nothing else says it.
    let hits: Vec<_> = hits
        .into_iter()
        .filter(|hit| !is_negated(&folded.text, hit.start))
        .collect();
    let machines = lexicon.machines.find(&folded);
    let in_machine = |hit: &crate::lexicon::Hit<Sector>| {
        machines
            .iter()
            .any(|m| m.start <= hit.start && hit.end <= m.end)
    };
    let outside: Vec<Sector> = hits
        .iter()
        .filter(|hit| !in_machine(hit))
        .map(|hit| hit.key)
        .collect();
    let mut out: Vec<Sector> = if outside.is_empty() {
        hits.iter().map(|hit| hit.key).collect()
    } else {
        outside
    };
    out.sort();
    out.dedup();
    out
}

/// The machines named (as the lexicon calls them, in order of first mention) and whether any is
/// a digital fabrication machine.
pub fn read_machines(text: &str) -> (Vec<String>, bool) {
    let folded = Folded::new(text);
    let lexicon = lexicon();
    let mut names: Vec<String> = Vec::new();
    let mut digital = false;
    let hits = lexicon.machines.find(&folded);
    for hit in &hits {
        if is_negated(&folded.text, hit.start) {
            continue;
        }
        let Some(machine) = lexicon.machine_list.get(hit.key) else {
            continue;
        };
        digital |= machine.digital;
        if !names.contains(&machine.name) {
            names.push(machine.name.clone());
        }
    }
    // Machines the list does not know, qualified as digital.
    for (start, end) in qualified_machines(&folded) {
        // The list's hits are found once, not again for each qualified machine.
        let taken = hits.iter().any(|hit| hit.start < end && start < hit.end);
        if taken || is_negated(&folded.text, start) {
            continue;
        }
        digital = true;
        // « machines numériques » says there are some, without naming one.
        let noun = folded
            .text
            .get(start..end)
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        let generic = matches!(
            noun,
            "machine"
                | "machines"
                | "equipement"
                | "equipements"
                | "outil"
                | "outils"
                | "poste"
                | "postes"
        );
        let name = folded.original_span(start, end).trim().to_string();
        if !generic && !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    (names, digital)
}

/// The spans « <machine word> … <digital qualifier> » of a folded text: a qualifier within four
/// words after a word for a machine, in the same clause.
fn qualified_machines(folded: &Folded<'_>) -> Vec<(usize, usize)> {
    let lexicon = lexicon();
    let text = folded.text.as_str();
    let nouns = lexicon.machine_nouns.find(folded);
    let mut out = Vec::new();
    for qualifier in lexicon.digital_qualifiers.find(folded) {
        let before = text.get(..qualifier.start).unwrap_or("");
        let clause_start = before
            .rfind([',', ';', '.', ':', '\n', '(', '|'])
            .map_or(0, |i| i + 1);
        let clause = before.get(clause_start..).unwrap_or("");
        let words: Vec<(usize, &str)> = word_spans(clause).into_iter().rev().take(5).collect();
        let machine_word = words.iter().find(|(at, word)| {
            let absolute = clause_start + at;
            word.ends_with("euse")
                || word.ends_with("euses")
                || word.ends_with("ante")
                || word.ends_with("antes")
                || nouns.iter().any(|n| n.start == absolute)
        });
        if let Some((at, _)) = machine_word {
            out.push((clause_start + at, qualifier.end));
        }
    }
    out
}

fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        let word = ch.is_alphanumeric() || ch == '-';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, text.get(s..i).unwrap_or("")));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Sector::*;

    fn check(input: &str, expected: &[Sector]) {
        assert_eq!(read_sectors(input), expected, "{input:?}");
    }

    #[test]
    fn sectors_in_prose() {
        check("menuiserie, ébénisterie et métallerie", &[Bois, Metal]);
        check("ateliers de couture et de maroquinerie", &[Textile, Cuir]);
        check("céramique et verre soufflé", &[Ceramique, Verre]);
        check("sérigraphie et gravure", &[Impression]);
        check("un fablab et de l'électronique", &[Electronique, Numerique]);
        check("une ressourcerie et un atelier de réparation", &[Reemploi]);
        check("une légumerie et une conserverie", &[Alimentaire]);
        check("la parfumerie grassoise", &[Autre]);
        check("une fraiseuse numérique", &[]);
        check("la transition numérique des artisans", &[]);
        check("le mode de gouvernance", &[]);
    }

    fn check_field(input: &str, expected: &[Sector]) {
        assert_eq!(read_sectors_field(input), expected, "{input:?}");
    }

    #[test]
    fn sectors_in_fields() {
        check_field("Bois, métal, numérique", &[Bois, Metal, Numerique]);
        check_field("Textile / mode", &[Textile]);
        check_field("Céramique ; numérique", &[Ceramique, Numerique]);
    }

    fn check_machines(input: &str, expected: &[&str], digital: bool) {
        let (names, got_digital) = read_machines(input);
        assert_eq!(
            (
                names.iter().map(String::as_str).collect::<Vec<_>>(),
                got_digital
            ),
            (expected.to_vec(), digital),
            "{input:?}"
        );
    }

    #[test]
    fn machines() {
        check_machines(
            "une fraiseuse numérique et une scie à format",
            &["fraiseuse numérique", "scie à format"],
            true,
        );
        check_machines("CNC 3 axes", &["machine à commande numérique"], true);
        check_machines(
            "découpe laser CO2 et imprimantes 3D",
            &["découpeuse laser", "imprimante 3D"],
            true,
        );
        check_machines(
            "une brodeuse numérique 12 têtes",
            &["brodeuse numérique"],
            true,
        );
        check_machines(
            "table de découpe plasma CNC",
            &["découpeuse plasma", "machine à commande numérique"],
            true,
        );
        check_machines("plasma CNC", &["découpeuse plasma"], true);
        check_machines(
            "machines à coudre industrielles et surjeteuses",
            &["machine à coudre industrielle"],
            false,
        );
        check_machines(
            "un four céramique et un tour à poterie",
            &["four céramique", "tour"],
            false,
        );
        check_machines("nous n'avons pas de découpe laser", &[], false);
        check_machines(
            "découpeuse numérique à lame oscillante",
            &["découpeuse numérique"],
            true,
        );
        check_machines(
            "un tour à commande numérique",
            &["machine à commande numérique"],
            true,
        );
        check_machines(
            "Les machines numériques seront accessibles après formation",
            &[],
            true,
        );
        check_machines("Aucune machine numérique n'est prévue.", &[], false);
        check_machines("la transition numérique des artisans", &[], false);
        check_machines("Équipement ; Numérique ; 12 000 €", &[], false);
        check_machines("", &[], false);
    }
}
