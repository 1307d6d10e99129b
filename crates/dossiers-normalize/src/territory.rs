//! The territorial diagnosis: the programmes the text says apply to the territory or project, and
//! whether it places the project in a rural territory.
//!
//! Both are read from what the text states, through the lexicon; a programme named in a denial
//! (« la commune n'est pas labellisée Petites villes de demain ») does not count.

use dossiers_model::Programme;

use crate::lexicon::lexicon;
use crate::polarity::{Polarity, polarity_in};
use crate::text::Folded;

/// The programmes named (and not denied) in `text`, in the record's order, without repeats.
pub fn read_programmes(text: &str) -> Vec<Programme> {
    read_programmes_in(&Folded::new(text))
}

/// As [`read_programmes`], on a text already folded (callers fold a whole application once).
pub fn read_programmes_in(folded: &Folded<'_>) -> Vec<Programme> {
    read_programmes_asked(folded, &[])
}

/// As [`read_programmes_in`], knowing the spans of the text that are questions: a programme is
/// counted where the text states it, not where it is denied, hedged (« la commune pourrait être
/// retenue ») or only asked (a form's question listing every programme).
pub fn read_programmes_asked(folded: &Folded<'_>, asked: &[(usize, usize)]) -> Vec<Programme> {
    let mut out: Vec<Programme> = lexicon()
        .programmes
        .find(folded)
        .into_iter()
        .filter(|hit| polarity_in(&folded.text, hit.start, hit.end, asked) == Polarity::Asserted)
        .map(|hit| hit.key)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// True when the text places the project in a rural territory (« commune rurale », « ZRR »,
/// « territoire rural »), false when it does not say so.
pub fn read_rural(text: &str) -> bool {
    read_rural_in(&Folded::new(text))
}

/// As [`read_rural`], on a text already folded (callers fold a whole application once).
pub fn read_rural_in(folded: &Folded<'_>) -> bool {
    read_rural_asked(folded, &[])
}

/// As [`read_rural_in`], knowing the spans of the text that are questions.
pub fn read_rural_asked(folded: &Folded<'_>, asked: &[(usize, usize)]) -> bool {
    lexicon().rural.find(folded).into_iter().any(|hit| {
        polarity_in(&folded.text, hit.start, hit.end, asked) == Polarity::Asserted
            && !compared_away(&folded.text, hit.start)
    })
}

/// « contrairement aux territoires ruraux », « à la différence du milieu rural »: the text
/// contrasts itself with rural territories.
fn compared_away(text: &str, at: usize) -> bool {
    let before = text.get(at.saturating_sub(40)..at).unwrap_or("");
    [
        "contrairement",
        "a la difference",
        "a l'inverse",
        "par opposition",
    ]
    .iter()
    .any(|cue| before.contains(cue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Programme::*;

    fn check(input: &str, expected: &[Programme]) {
        assert_eq!(read_programmes(input), expected, "{input:?}");
    }

    #[test]
    fn programmes() {
        check(
            "La ville est lauréate du programme Petites villes de demain.",
            &[PetitesVillesDeDemain],
        );
        check("commune PVD", &[PetitesVillesDeDemain]);
        check(
            "Action Cœur de Ville et Territoires d'industrie",
            &[ActionCoeurDeVille, TerritoiresDIndustrie],
        );
        check("Action cœur de ville (ACV)", &[ActionCoeurDeVille]);
        check("Territoire d’industrie du Berry", &[TerritoiresDIndustrie]);
        check("le site est situé en QPV", &[Qpv]);
        check(
            "à 300 m d'un quartier prioritaire de la politique de la ville",
            &[Qpv],
        );
        check(
            "labellisé Fabrique de territoire en 2021",
            &[FabriqueDeTerritoire],
        );
        check("Fabrique numérique de territoire", &[FabriqueDeTerritoire]);
        check(
            "La commune n'est pas labellisée Petites villes de demain.",
            &[],
        );
        check("Aucun quartier prioritaire sur la commune.", &[]);
        check("Le sas d'entrée, la pvd", &[]);
        check("", &[]);
    }

    fn check_rural(input: &str, expected: bool) {
        assert_eq!(read_rural(input), expected, "{input:?}");
    }

    #[test]
    fn rural() {
        check_rural(
            "un territoire rural marqué par la désindustrialisation",
            true,
        );
        check_rural("en zone de revitalisation rurale (ZRR)", true);
        check_rural("commune rurale de 3 000 habitants", true);
        check_rural("la ruralité du bocage", true);
        check_rural("au cœur de la métropole lilloise", false);
        check_rural("le territoire n'est pas rural", false);
        check_rural(
            "contrairement aux territoires ruraux voisins, la ville",
            false,
        );
    }
}
