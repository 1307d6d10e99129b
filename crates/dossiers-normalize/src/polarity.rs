//! Polarity: whether a phrase found in a text is asserted, denied, hedged or only asked.
//!
//! Every reader finds cues (« consortium », « Petites villes de demain », « propriétaires »)
//! and must not take « nous ne sommes pas en consortium », « le territoire ne figure pas parmi
//! les QPV », « une demande pourrait être déposée » or a form's question listing every
//! programme for a statement. This module decides it once, the same way for every reader, from
//! the words around the cue in its clause (the lexicon's `[polarity]` words):
//!
//! - **negated**: a negation before the cue in its clause (« ne … pas », « aucun », « sans »,
//!   « hors », « ni »), a verb denied right after it (« Action cœur de ville ne concerne pas la
//!   commune »), or a form answer that says no (« Candidature groupée : non », « QPV : néant »);
//! - **hedged**: a condition, a wish or a plan before the cue in its clause (« pourrait »,
//!   « envisage », « candidate à », « d'ici 2024 »): not a fact of today;
//! - **asked**: the cue sits in a question (a form's « Q9. … (Petites villes de demain, Action
//!   cœur de ville, …) ? »); the caller knows the question spans;
//! - **asserted** otherwise.
//!
//! The text is folded ([`crate::text::Folded`]): lowercase, no accents, plain apostrophes.

use crate::lexicon::lexicon;

/// What a text does with a phrase it contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    Asserted,
    Negated,
    Hedged,
    Asked,
}

/// How many words before a cue a negation or a hedge still governs it.
const WINDOW_WORDS: usize = 7;

/// How many words after a cue a denied verb still governs it (« X ne concerne pas … »).
const AFTER_WORDS: usize = 4;

/// The polarity of the cue at `start..end` in the folded `text`, not knowing the questions.
pub fn polarity(text: &str, start: usize, end: usize) -> Polarity {
    if is_negated(text, start) || denied_after(text, end) || answered_no(text, end) {
        Polarity::Negated
    } else if is_hedged(text, start) {
        Polarity::Hedged
    } else {
        Polarity::Asserted
    }
}

/// As [`polarity`], `Asked` when the cue lies in one of the `asked` spans (folded offsets).
pub fn polarity_in(text: &str, start: usize, end: usize, asked: &[(usize, usize)]) -> Polarity {
    if asked.iter().any(|(s, e)| *s <= start && start < *e) {
        return Polarity::Asked;
    }
    polarity(text, start, end)
}

/// The clause before `at`: back to the last clause break, and after a « mais », which turns
/// what follows around.
fn clause_before(text: &str, at: usize) -> &str {
    let Some(before) = text.get(..at) else {
        return "";
    };
    // A parenthesis glosses what it follows (« aucun quartier prioritaire (QPV) »): it is not a
    // clause of its own.
    let clause_start = before
        .rfind([',', ';', ':', '.', '\n', '!', '?', '\t'])
        .map_or(0, |i| i + 1);
    let mut clause = before.get(clause_start..).unwrap_or("");
    if let Some(i) = clause.rfind(" mais ") {
        clause = clause.get(i + 6..).unwrap_or("");
    }
    clause
}

/// The last words of the clause before `at`, nearest first.
fn window_before(text: &str, at: usize) -> Vec<&str> {
    let words: Vec<&str> = clause_before(text, at)
        .split([' ', '\'', '"'])
        .filter(|w| !w.is_empty())
        .collect();
    // « à deux pas », « à quelques pas » are distances, not denials.
    let mut kept: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let previous = i.checked_sub(1).and_then(|p| words.get(p)).copied();
        if *word == "pas"
            && previous.is_some_and(|p| {
                matches!(p, "deux" | "quelques" | "trois" | "cent" | "cinq" | "dix")
            })
        {
            continue;
        }
        kept.push(word);
    }
    kept.into_iter().rev().take(WINDOW_WORDS).collect()
}

/// True when the cue starting at `at` in the folded `text` is denied by a negation earlier in
/// its clause (« nous ne sommes pas propriétaires », « aucun local », « sans bail »), not across
/// a comma or a « mais ».
pub fn is_negated(text: &str, at: usize) -> bool {
    let words = lexicon();
    let window = window_before(text, at);
    if window
        .iter()
        .any(|w| words.polarity.not_negations.iter().any(|n| n == w))
    {
        // « non seulement », « non loin de » do not deny.
        return false;
    }
    let strong = window
        .iter()
        .any(|w| words.polarity.negations.iter().any(|n| n == w));
    let weak = window.iter().any(|w| matches!(*w, "ne" | "n"));
    // « nous ne disposons que d'un bail précaire » restricts, it does not deny.
    strong || (weak && !window.iter().any(|w| matches!(*w, "que" | "qu")))
}

/// « Action cœur de ville ne concerne pas la commune »: a verb denied within a few words after
/// the cue, in its clause.
fn denied_after(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let clause_end = after
        .find([',', ';', ':', '.', '(', '\n', '!', '?', '\t'])
        .unwrap_or(after.len());
    let words: Vec<&str> = after
        .get(..clause_end)
        .unwrap_or("")
        .split([' ', '\''])
        .filter(|w| !w.is_empty())
        .take(AFTER_WORDS + 2)
        .collect();
    let Some(ne) = words
        .iter()
        .take(AFTER_WORDS)
        .position(|w| matches!(*w, "ne" | "n"))
    else {
        return false;
    };
    words
        .iter()
        .skip(ne + 1)
        .take(3)
        .any(|w| matches!(*w, "pas" | "plus" | "jamais" | "aucunement" | "point"))
}

/// « Candidature groupée : non », « QPV ? Non concerné », « Programme | néant »: the cue is a
/// label (or a question) on its line and its answer says no.
fn answered_no(text: &str, end: usize) -> bool {
    let after = text.get(end..).unwrap_or("");
    let line = after.split('\n').next().unwrap_or("");
    // The answer starts after the label's mark, close to the cue.
    let Some(mark) = line.find([':', '?', '\t', ';']) else {
        return false;
    };
    // The cue ends its label: nothing but a gloss stands between them (« Quartier prioritaire
    // (QPV) : non »), not the end of a sentence.
    let between = line.get(..mark).unwrap_or("");
    if between.split_whitespace().count() > 4 || between.contains(['.', '!']) {
        return false;
    }
    let answer = line
        .get(mark + 1..)
        .unwrap_or("")
        .trim_start_matches([' ', ':', '?', ';', '-', '\t']);
    let polarity = &lexicon().polarity;
    let second_word = answer.split_whitespace().nth(1).unwrap_or("");
    if polarity.not_negations.iter().any(|n| n == second_word) {
        return false;
    }
    polarity
        .no_answers
        .iter()
        .any(|no| answer == no || starts_with_word(answer, no))
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| rest.starts_with(|c: char| !c.is_alphanumeric()))
}

/// A condition, a wish or a plan governs the cue: one of the lexicon's hedges before it in its
/// clause.
fn is_hedged(text: &str, at: usize) -> bool {
    let clause = clause_before(text, at);
    let hedges = &lexicon().polarity.hedges;
    let words: Vec<&str> = clause
        .split([' ', '\'', '"'])
        .filter(|w| !w.is_empty())
        .collect();
    let tail_start = words.len().saturating_sub(WINDOW_WORDS + 2);
    let tail = words.get(tail_start..).unwrap_or(&[]).join(" ");
    let padded = format!(" {tail} ");
    hedges.iter().any(|hedge| match hedge.strip_suffix('*') {
        Some(stem) => padded.contains(&format!(" {stem}")),
        None => padded.contains(&format!(" {hedge} ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn check(input: &str, cue: &str, expected: Polarity) {
        let folded = fold(input);
        let start = folded.find(cue).unwrap();
        assert_eq!(
            polarity(&folded, start, start + cue.len()),
            expected,
            "{input:?} / {cue}"
        );
    }

    #[test]
    fn negations_before_the_cue() {
        use Polarity::*;
        check("nous ne sommes pas propriétaires", "proprietaires", Negated);
        check("nous sommes propriétaires", "proprietaires", Asserted);
        check(
            "la commune n'est pas labellisée Petites villes de demain",
            "petites",
            Negated,
        );
        check("aucun local n'est identifié", "local", Negated);
        check(
            "nous ne sommes pas propriétaires, mais locataires",
            "locataires",
            Asserted,
        );
        check(
            "pas de bail, mais une convention d'occupation",
            "convention",
            Asserted,
        );
        check(
            "la ville, labellisée Petites villes de demain",
            "petites",
            Asserted,
        );
        check(
            "Le projet reste hors programme Petites villes de demain.",
            "petites",
            Negated,
        );
        check("le territoire ne figure pas parmi les QPV", "qpv", Negated);
        check("à deux pas du quartier prioritaire", "quartier", Asserted);
        check(
            "À noter : aucun quartier prioritaire (QPV) n'est concerné.",
            "qpv",
            Negated,
        );
        check(
            "Nontron fait partie des communes retenues au titre de Petites villes de demain. À noter : aucun quartier prioritaire (QPV) n'est concerné.",
            "petites",
            Asserted,
        );
        check(
            "non seulement labellisée Petites villes de demain",
            "petites",
            Asserted,
        );
        check("nous ne disposons que d'un bail précaire", "bail", Asserted);
    }

    #[test]
    fn negations_after_the_cue() {
        use Polarity::*;
        check("Candidature groupée : non", "candidature groupee", Negated);
        check("Consortium : Non.", "consortium", Negated);
        check("QPV : néant", "qpv", Negated);
        check(
            "Quartier prioritaire ; non concerné",
            "quartier prioritaire",
            Negated,
        );
        check("Consortium : oui", "consortium", Asserted);
        check(
            "Action cœur de ville ne concerne pas la commune.",
            "action coeur de ville",
            Negated,
        );
        check(
            "Le consortium, qui ne compte pas de collectivité, réunit trois structures.",
            "consortium",
            Asserted,
        );
        check(
            "Candidature groupée : non, mais un partenariat",
            "candidature groupee",
            Negated,
        );
    }

    #[test]
    fn hedges() {
        use Polarity::*;
        check(
            "La commune pourrait être retenue au titre de Petites villes de demain.",
            "petites",
            Hedged,
        );
        check(
            "Nous envisageons de candidater au label Fabrique de territoire.",
            "fabrique de territoire",
            Hedged,
        );
        check(
            "La ville est candidate au programme Action cœur de ville.",
            "action coeur",
            Hedged,
        );
        check(
            "Nontron fait partie des communes retenues au titre de Petites villes de demain.",
            "petites",
            Asserted,
        );
        check(
            "La ville est lauréate du programme Petites villes de demain.",
            "petites",
            Asserted,
        );
    }

    #[test]
    fn asked() {
        let text =
            fold("Q9. Relevez-vous de Petites villes de demain ?\nOui : Petites villes de demain.");
        let first = text.find("petites").unwrap();
        let second = text.rfind("petites").unwrap();
        let question = (0, text.find('\n').unwrap());
        assert_eq!(
            polarity_in(&text, first, first + 7, &[question]),
            Polarity::Asked
        );
        assert_eq!(
            polarity_in(&text, second, second + 7, &[question]),
            Polarity::Asserted
        );
    }
}
