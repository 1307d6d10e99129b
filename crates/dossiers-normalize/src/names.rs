//! Names written in sentences rather than in a labelled field: « présente sa candidature pour
//! la manufacture « Les Forges du Port » », « un tiers-lieu baptisé La Fabrique ».

use crate::text::Folded;

/// Words after which a quoted or introduced name is the manufacture's.
const INTRODUCERS: &[&str] = &[
    "manufacture",
    "projet",
    "lieu",
    "tiers-lieu",
    "atelier partage",
    "fabrique",
];
const NAMING: &[&str] = &[
    "baptise ",
    "baptisee ",
    "denomme ",
    "denommee ",
    "appele ",
    "appelee ",
    "nomme ",
    "nommee ",
    "intitule ",
    "intitulee ",
    "sous le nom de ",
    "sous le nom ",
];

/// The manufacture's name when a sentence gives it: a « quoted » name right after a word for
/// the project, or a name introduced by « baptisé », « dénommé », « sous le nom de ».
pub fn named_manufacture(text: &str) -> Option<String> {
    let folded = Folded::new(text);
    let haystack = folded.text.as_str();
    // « … la manufacture « Les Forges du Port » »
    let mut search = 0;
    while let Some(open) = haystack
        .get(search..)
        .and_then(|rest| rest.find('"'))
        .map(|i| i + search)
    {
        let close = haystack
            .get(open + 1..)
            .and_then(|rest| rest.find('"'))
            .map(|i| i + open + 1)?;
        let before = haystack.get(open.saturating_sub(40)..open).unwrap_or("");
        let introduced = INTRODUCERS.iter().any(|w| {
            before
                .trim_end()
                .rsplit(['.', ';', '\n'])
                .next()
                .is_some_and(|clause| {
                    clause
                        .split_whitespace()
                        .rev()
                        .take(4)
                        .any(|word| word.trim_matches(',') == *w)
                })
        });
        let name = folded.original_span(open + 1, close).trim();
        if introduced && plausible(name) {
            return Some(name.to_string());
        }
        search = close + 1;
    }
    // « … baptisé La Fabrique du Val, … »
    for word in NAMING {
        for (at, _) in haystack.match_indices(word) {
            let start = at + word.len();
            let rest = haystack.get(start..).unwrap_or("");
            let end = start
                + rest
                    .find([',', '.', ';', '(', '\n', ')'])
                    .unwrap_or(rest.len());
            let name = folded
                .original_span(start, end)
                .trim()
                .trim_matches(['"', '«', '»', ' ']);
            if plausible(name) {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// Words that may stand lowercase inside a proper name (« Les Ateliers de la Creuse »).
const CONNECTORS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l'", "d'", "&", "et", "en", "sur", "a", "à", "aux",
    "au", "-",
];

/// The applicant's name when a sentence gives it after its form: « L'association Fil & Forge
/// (…) présente… » → « Association Fil & Forge »; « la SCOP Les Mains Habiles, chef de file ».
pub fn named_structure(text: &str) -> Option<String> {
    let folded = Folded::new(text);
    let hits = crate::lexicon::lexicon().legal_forms.find(&folded);
    for hit in hits {
        let start = folded.original_offset(hit.start);
        let after_form = folded.original_offset(hit.end);
        // A name does not run over a line break (« Association X » then the address line).
        let rest = folded.original.get(after_form..).unwrap_or("");
        let rest = rest.split('\n').next().unwrap_or("");
        let mut end = after_form;
        let mut capitalised = 0;
        let mut offset = 0;
        for token in rest.split_inclusive([' ', '\u{a0}']) {
            let word = token.trim_end_matches([' ', '\u{a0}']);
            let bare = word.trim_end_matches([',', '.', ';', ':', ')', '(']);
            let stops = bare.len() != word.len();
            let lower = bare.to_lowercase();
            let elided = ["l'", "d'", "l’", "d’"].iter().any(|e| {
                lower.starts_with(e) && bare.chars().nth(2).is_some_and(char::is_uppercase)
            });
            if bare.chars().next().is_some_and(char::is_uppercase) || elided {
                capitalised += 1;
                end = after_form + offset + bare.len();
            } else if word.is_empty() || CONNECTORS.contains(&lower.as_str()) {
                // kept only if a capitalised word follows
            } else {
                break;
            }
            offset += token.len();
            if stops {
                break;
            }
        }
        if capitalised > 0 {
            let name = folded.original.get(start..end).unwrap_or("").trim();
            let mut chars = name.chars();
            let name: String = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default()
                + chars.as_str();
            if plausible(&name) {
                return Some(name);
            }
        }
    }
    None
}

fn plausible(name: &str) -> bool {
    let chars = name.chars().count();
    (3..=80).contains(&chars)
        && name.chars().next().is_some_and(char::is_uppercase)
        && name.split_whitespace().count() <= 10
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(named_manufacture(input).as_deref(), expected, "{input:?}");
    }

    fn check_structure(input: &str, expected: Option<&str>) {
        assert_eq!(named_structure(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn structures_in_sentences() {
        check_structure(
            "L'association Fil & Forge (loi 1901) présente sa candidature.",
            Some("Association Fil & Forge"),
        );
        check_structure(
            "La SCOP Les Mains Habiles, chef de file, porte le projet.",
            Some("SCOP Les Mains Habiles"),
        );
        check_structure("Notre association regroupe des artisans.", None);
        check_structure(
            "Association Récup'Atelier Nantais\n8 rue de la Fonderie – 44200 Nantes",
            Some("Association Récup'Atelier Nantais"),
        );
        check_structure(
            "La Communauté de communes du Pays de Lure porte le projet.",
            Some("Communauté de communes du Pays de Lure"),
        );
    }

    #[test]
    fn names_in_sentences() {
        check(
            "présente sa candidature pour la manufacture « Les Forges du Port ».",
            Some("Les Forges du Port"),
        );
        check(
            "Le projet « La Fabrique du Val » vise à…",
            Some("La Fabrique du Val"),
        );
        check(
            "un tiers-lieu productif baptisé L'Établi, ouvert en 2023",
            Some("L'Établi"),
        );
        check(
            "Le lieu fonctionnera sous le nom de Manufacture des Tanneurs.",
            Some("Manufacture des Tanneurs"),
        );
        check("Nous avons reçu le « label » de la région.", None);
        check("sans nom", None);
    }
}
