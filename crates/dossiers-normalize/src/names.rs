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
