//! Activities: the manufacture's filières and its machines, digital or not.
//!
//! Filières and machines are read through the lexicon. « numérique » alone names a filière only
//! in a short list (« Filières : bois, numérique »); in prose it qualifies a machine or a
//! transition. A machine denied in its clause (« nous n'avons pas de découpe laser ») is left out.
//!
//! In prose, a filière is what the project will make or who will work there, so the evidence is
//! weighed by where it stands ([`read_sectors_in`]): a craft or a trade (« chaudronnerie »,
//! « deux agenceurs ») counts wherever the project speaks of itself; an ambiguous word
//! (« cuisine », « réparation », « électronique ») or a product (« des étuis de couteaux »)
//! counts only in a clause about what will be made or who will come, or in the activities'
//! section. The territorial diagnosis, clauses about the past (« la mémoire de la
//! mégisserie »), questions, denials, machine names and proper names (« Usinage & Territoire »)
//! name no filière.

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
    // The text given is about the activities: the words that need that context count.
    let mut hits = lexicon.sectors.find(&folded);
    let taken = hits.clone();
    hits.extend(
        lexicon
            .sectors_in_context
            .find(&folded)
            .into_iter()
            .filter(|h| !taken.iter().any(|t| t.start < h.end && h.start < t.end)),
    );
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
    // jacquard électronique » is a loom, not electronics).
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
    let mut out: Vec<Sector> = outside;
    out.sort();
    out.dedup();
    out
}

/// Where a text is read for its filières: the spans (folded offsets) of its questions, of the
/// sections about its activities, and of the sections that describe something else (the
/// territory, the partners).
#[derive(Clone, Copy, Debug, Default)]
pub struct SectorSpans<'a> {
    pub asked: &'a [(usize, usize)],
    pub activities: &'a [(usize, usize)],
    pub elsewhere: &'a [(usize, usize)],
}

/// The filières the prose of a whole application gives, weighed by context (module docs).
pub fn read_sectors_in(folded: &Folded<'_>, spans: SectorSpans<'_>) -> Vec<Sector> {
    let lexicon = lexicon();
    let text = folded.text.as_str();
    let inside = |list: &[(usize, usize)], at: usize| list.iter().any(|(s, e)| *s <= at && at < *e);
    let machines = lexicon.machines.find(folded);
    let cues = lexicon.activity_cues.find(folded);
    let history = lexicon.history_cues.find(folded);
    let sentences = crate::text::sentences(text);
    let sentence_of = |at: usize| {
        sentences
            .iter()
            .find(|(s, e)| *s <= at && at < *e)
            .copied()
            .unwrap_or((at, at))
    };
    let any_in = |hits: &[crate::lexicon::Hit<()>], (s, e): (usize, usize)| {
        hits.iter().any(|h| h.start >= s && h.start < e)
    };
    // « Équipements conventionnels : bancs de test, stations de soudage »: in an equipment
    // list, words describe machines, not filières.
    let in_equipment_list = |start: usize| {
        let (sentence_start, _) = sentence_of(start);
        let before = text.get(sentence_start..start).unwrap_or("");
        before.rfind(':').is_some_and(|colon| {
            let label = before.get(..colon).unwrap_or("");
            let label = label.rsplit(['.', ';', '\n']).next().unwrap_or(label);
            label.split_whitespace().count() <= 5
                && !lexicon.equipment_cues.find_in(label, label).is_empty()
        })
    };
    let usable = |start: usize, end: usize| {
        let sentence = sentence_of(start);
        if in_equipment_list(start) {
            return false;
        }
        !inside(spans.asked, start)
            && !inside(spans.elsewhere, start)
            && !any_in(&history, sentence)
            && !is_negated(text, start)
            && !machines.iter().any(|m| m.start <= start && end <= m.end)
            && !in_proper_name(folded, start, end)
    };
    let in_context =
        |start: usize| inside(spans.activities, start) || any_in(&cues, sentence_of(start));
    // Every word of the three kinds, the longest where they overlap (« verres de lunettes » is
    // a product of glass, not also « lunettes »).
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Craft,
        InContext,
        Product,
    }
    let mut hits: Vec<(usize, usize, Sector, Kind)> = Vec::new();
    for (set, kind) in [
        (&lexicon.sectors, Kind::Craft),
        (&lexicon.sectors_in_context, Kind::InContext),
        (&lexicon.products, Kind::Product),
    ] {
        hits.extend(
            set.find(folded)
                .into_iter()
                .map(|h| (h.start, h.end, h.key, kind)),
        );
    }
    hits.sort_by_key(|(start, end, _, _)| (std::cmp::Reverse(end - start), *start));
    let mut kept: Vec<(usize, usize, Sector, Kind)> = Vec::new();
    for hit in hits {
        if kept.iter().all(|k| hit.1 <= k.0 || hit.0 >= k.1) {
            kept.push(hit);
        }
    }
    kept.sort_by_key(|(start, _, _, _)| *start);
    let mut out: Vec<Sector> = Vec::new();
    let mut previous_end: Option<usize> = None;
    for (start, end, key, kind) in kept {
        // « des étuis de couteaux »: the complement of a product is what it holds or is for,
        // not what it is made of.
        let complement = previous_end.is_some_and(|previous| {
            let between = text.get(previous..start).unwrap_or("");
            matches!(
                between,
                " de " | " d'" | " des " | " du " | " a " | " pour "
            )
        });
        previous_end = (kind == Kind::Product).then_some(end);
        let counts = match kind {
            Kind::Craft => usable(start, end),
            Kind::InContext | Kind::Product => {
                !complement && usable(start, end) && in_context(start)
            }
        };
        if counts {
            out.push(key);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// True when the hit is a word of a proper name: capitalised in the original text inside a
/// sentence, or followed by « & » (« Usinage & Territoire »).
fn in_proper_name(folded: &Folded<'_>, start: usize, end: usize) -> bool {
    let original = folded.original_span(start, end);
    let capitalised = original.chars().next().is_some_and(char::is_uppercase);
    let after = folded.text.get(end..).unwrap_or("");
    if after.starts_with(" &") || after.starts_with(" et compagnie") {
        return true;
    }
    if !capitalised {
        return false;
    }
    // A capital at the start of a line, a sentence or a list item is just a capital.
    let before = folded.text.get(..start).unwrap_or("").trim_end_matches(' ');
    let opens = before.is_empty()
        || before.ends_with(['.', '\n', ':', '!', '?', ';', '*', '•', '(', '"'])
        || before.ends_with(" -")
        || before.ends_with("\u{2022}");
    !opens
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
        if is_negated(&folded.text, start) {
            continue;
        }
        // The list's hits are found once, not again for each qualified machine. A machine of
        // the list qualified as digital (« table de découpe plasma à commande numérique ») is
        // digital, under the list's name.
        let taken = hits.iter().any(|hit| hit.start < end && start < hit.end);
        if taken {
            digital = true;
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
