//! Land control: the title the applicant holds to the manufacture's final premises, the lease
//! length, the surface, and whether the activity starts in a temporary site.
//!
//! Applicants describe their premises in sentences (« nous occupons depuis 2019, au titre d'un
//! bail emphytéotique de 30 ans consenti par la commune, un ancien atelier de 1 200 m² »), deny
//! titles (« nous ne sommes pas propriétaires »), describe a temporary site before the final one
//! (« locaux provisoires … installation définitive prévue en 2024 »), and name owners who are
//! not them (« la commune, propriétaire du bâtiment, le met à disposition »). The reader works
//! clause by clause: a clause about a temporary site says nothing of the final premises' title or
//! surface; a title denied in its clause does not count; a title whose clause speaks of
//! negotiation (« un bail sera signé ») is a negotiation.

use dossiers_model::LandControlStatus;

use crate::lexicon::{Hit, PhraseSet, lexicon};
use crate::numbers::{number_word, numbers};
use crate::polarity::is_negated;
use crate::text::{Folded, sentences};

/// What a text says of the premises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LandReading {
    pub status: LandControlStatus,
    pub lease_years: Option<u32>,
    pub surface_m2: Option<u32>,
    pub transitional_premises: bool,
    pub final_premises_year: Option<i32>,
}

/// A clause of the folded text and what it speaks of.
#[derive(Clone, Copy, Debug)]
struct Clause {
    start: usize,
    end: usize,
    sentence: usize,
    temporary: bool,
    is_final: bool,
}

/// Reads the premises from a land-control section (or any text about the premises).
pub fn read_land_control(text: &str) -> LandReading {
    read_land_control_of(text, None)
}

/// As [`read_land_control`], knowing the applicant's name: « Commune du Creusot est
/// propriétaire du bâtiment » is the applicant owning it when the applicant is that commune.
pub fn read_land_control_of(text: &str, applicant: Option<&str>) -> LandReading {
    read_land_control_for(text, applicant, false)
}

/// As [`read_land_control_of`], knowing whether the applicant is a local authority: then « la
/// commune », « un bâtiment communal » are the applicant itself.
pub fn read_land_control_for(
    text: &str,
    applicant: Option<&str>,
    applicant_is_authority: bool,
) -> LandReading {
    let applicant = applicant.map(crate::text::fold).filter(|a| a.len() >= 4);
    let folded = Folded::new(text);
    let lexicon = lexicon();
    let status_hits = lexicon.land.find(&folded);
    // « convention d'occupation temporaire » names a title, not a temporary site.
    let premises = lexicon.premises.find(&folded);
    let awaited = lexicon.awaited.find(&folded);
    let near = |from: usize, to: usize, max_words: usize| {
        folded
            .text
            .get(from.min(to)..to.max(from))
            .is_some_and(|between| {
                !between.contains([',', ';', '.', ':', '\n'])
                    && between.split_whitespace().count() <= max_words
            })
    };
    // A temporary word next to a word for premises, or a wait for the premises.
    let about_premises = |hit: &Hit<()>| {
        premises.iter().any(|p| {
            p.end <= hit.start && near(p.end, hit.start, 4)
                || p.start >= hit.end && near(hit.end, p.start, 2)
        })
    };
    let waiting_for_premises = |hit: &Hit<()>| {
        awaited
            .iter()
            .any(|a| a.start >= hit.end && near(hit.end, a.start, 6))
    };
    let adjectives = lexicon
        .temporary
        .find(&folded)
        .into_iter()
        .filter(|h| about_premises(h));
    let waits = lexicon
        .waiting
        .find(&folded)
        .into_iter()
        .filter(|h| waiting_for_premises(h));
    let mut temporary_hits: Vec<Hit<()>> = adjectives
        .chain(waits)
        .filter(|hit| {
            !status_hits
                .iter()
                .any(|s| s.start < hit.end && hit.start < s.end)
        })
        .filter(|hit| !is_negated(&folded.text, hit.start))
        .collect();
    temporary_hits.sort_by_key(|hit| hit.start);
    let final_hits = lexicon.final_premises.find(&folded);
    let clauses = clauses(&folded.text, &temporary_hits, &final_hits);
    let clause_of = |at: usize| clauses.iter().find(|c| c.start <= at && at < c.end);
    let in_temporary = |at: usize| clause_of(at).is_some_and(|c| c.temporary);

    let status = read_status(
        &folded,
        &status_hits,
        &in_temporary,
        applicant.as_deref(),
        applicant_is_authority,
    );
    let transitional_premises = !temporary_hits.is_empty();
    let final_premises_year = if transitional_premises {
        final_year(&folded.text, &clauses)
    } else {
        None
    };
    // A duration belongs to a lease or a convention, not to a building owned or being bought;
    // without premises there is no surface (« nous cherchons 500 m² » is a wish).
    let has_term = !matches!(
        status,
        LandControlStatus::Owned | LandControlStatus::PurchaseInProgress | LandControlStatus::None
    );
    let has_premises = status != LandControlStatus::None;
    LandReading {
        status,
        lease_years: lease_years(&folded, &clauses, &status_hits).filter(|_| has_term),
        surface_m2: surface(
            &folded,
            &in_temporary,
            &lexicon.not_premises,
            &lexicon.total,
        )
        .filter(|_| has_premises),
        transitional_premises,
        final_premises_year,
    }
}

fn priority(status: LandControlStatus) -> u8 {
    match status {
        LandControlStatus::EmphyteoticLease => 7,
        LandControlStatus::PurchaseInProgress => 6,
        LandControlStatus::Owned => 5,
        LandControlStatus::ProvidedFree => 4,
        LandControlStatus::Lease => 3,
        LandControlStatus::Negotiation => 2,
        LandControlStatus::None => 1,
        LandControlStatus::Unknown => 0,
    }
}

fn read_status(
    folded: &Folded<'_>,
    hits: &[Hit<LandControlStatus>],
    in_temporary: &dyn Fn(usize) -> bool,
    applicant: Option<&str>,
    applicant_is_authority: bool,
) -> LandControlStatus {
    let lexicon = lexicon();
    let text = folded.text.as_str();
    let sentence_ranges = sentences(text);
    let sentence_of = |at: usize| {
        sentence_ranges
            .iter()
            .find(|(s, e)| *s <= at && at < *e)
            .copied()
    };
    let negotiating = |at: usize| {
        sentence_of(at).is_some_and(|(s, e)| {
            hits.iter()
                .any(|h| h.key == LandControlStatus::Negotiation && h.start >= s && h.end <= e)
        })
    };
    let mut found: Vec<(bool, LandControlStatus)> = Vec::new();
    for hit in hits {
        if in_temporary(hit.start) {
            continue;
        }
        // « pas de local », « bail pas encore signé » carry their own negation.
        let phrase = text.get(hit.start..hit.end).unwrap_or("");
        let denies_itself = hit.key == LandControlStatus::None
            || hit.key == LandControlStatus::Negotiation
                && ["pas", "non", "aucun"]
                    .iter()
                    .any(|w| crate::text::contains_words(phrase, w))
            || hit.key == LandControlStatus::Negotiation
                && is_negated_only_by_itself(text, hit.start);
        if !denies_itself && is_negated(text, hit.start) {
            continue;
        }
        if hit.key == LandControlStatus::Owned
            && owner_is_someone_else(
                folded,
                hit,
                &lexicon.third_party,
                applicant,
                applicant_is_authority,
            )
        {
            continue;
        }
        let mut key = hit.key;
        let mut strong = hit.strong;
        let titled = matches!(
            key,
            LandControlStatus::Lease
                | LandControlStatus::EmphyteoticLease
                | LandControlStatus::ProvidedFree
                | LandControlStatus::Owned
        );
        if titled && negotiating(hit.start) {
            key = LandControlStatus::Negotiation;
            strong = true;
        }
        found.push((strong, key));
    }
    let best = |strong_only: bool| {
        found
            .iter()
            .filter(|(strong, _)| *strong || !strong_only)
            .map(|(_, key)| *key)
            .max_by_key(|key| priority(*key))
    };
    best(true)
        .or_else(|| best(false))
        .unwrap_or(LandControlStatus::Unknown)
}

/// « Nous n'avons pas encore signé le bail, mais … en discussion avec » : a negotiation word
/// after a denial of a signature is still a negotiation.
fn is_negated_only_by_itself(text: &str, at: usize) -> bool {
    let before = text.get(at.saturating_sub(60)..at).unwrap_or("");
    ["pas encore", "pas signe", "non signe", "pas finalise"]
        .iter()
        .any(|w| before.contains(w))
}

/// True when the clause before an ownership word names someone else (« la commune,
/// propriétaire du bâtiment »).
fn owner_is_someone_else(
    folded: &Folded<'_>,
    hit: &Hit<LandControlStatus>,
    third_party: &PhraseSet<()>,
    applicant: Option<&str>,
    applicant_is_authority: bool,
) -> bool {
    let text = folded.text.as_str();
    let phrase = text.get(hit.start..hit.end).unwrap_or("");
    if ["nous", "avons", "sommes", "notre"]
        .iter()
        .any(|w| crate::text::contains_words(phrase, w))
    {
        return false;
    }
    let before = text.get(..hit.start).unwrap_or("");
    let sentence_start = before.rfind(['.', '\n', ';']).map_or(0, |i| i + 1);
    let span = text.get(sentence_start..hit.end).unwrap_or("");
    let cased = folded.cased.get(sentence_start..hit.end).unwrap_or("");
    let first_person = [
        "nous sommes",
        "sommes proprietaires",
        "nous en sommes",
        "sommes deja",
    ];
    let names_applicant = applicant.is_some_and(|name| span.contains(name));
    // « la communauté de communes est propriétaire » names the applicant when the applicant is
    // a communauté de communes.
    let others: Vec<&str> = third_party
        .find_in(span, cased)
        .iter()
        .map(|hit| span.get(hit.start..hit.end).unwrap_or(""))
        .filter(|word| !applicant.is_some_and(|name| crate::text::contains_words(name, word)))
        // A commune applying: « la commune », « communal » is itself.
        .filter(|word| !(applicant_is_authority && lexicon().authority_words.any_in(word)))
        .collect();
    !names_applicant && !first_person.iter().any(|p| span.contains(p)) && !others.is_empty()
}

/// Splits the text into clauses and marks those about a temporary site and those about the
/// final premises. A sentence with temporary words and no final words is temporary as a whole;
/// one with both is read clause by clause, a clause without either following the one before.
fn clauses(text: &str, temporary: &[Hit<()>], finals: &[Hit<()>]) -> Vec<Clause> {
    const BREAKS: &[&str] = &[
        ", ",
        " (",
        ") ",
        " puis ",
        " tandis que ",
        " alors que ",
        " avant ",
        " en attendant ",
        " mais ",
        " et d'ici ",
        " dans l'attente ",
        " a terme ",
    ];
    let has =
        |hits: &[Hit<()>], s: usize, e: usize| hits.iter().any(|h| h.start >= s && h.start < e);
    let mut out = Vec::new();
    for (index, (start, end)) in sentences(text).into_iter().enumerate() {
        let sentence_temporary = has(temporary, start, end);
        let sentence_final = has(finals, start, end);
        let mut cuts = vec![start];
        let sentence = text.get(start..end).unwrap_or("");
        for pattern in BREAKS {
            for (at, _) in sentence.match_indices(pattern) {
                cuts.push(start + at + 1);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.push(end);
        let mut previous_temporary = false;
        for pair in cuts.windows(2) {
            let (s, e) = match pair {
                [s, e] => (*s, *e),
                _ => continue,
            };
            let clause_temporary = has(temporary, s, e);
            let clause_final = has(finals, s, e);
            let temporary = if !sentence_temporary {
                false
            } else if !sentence_final {
                true
            } else if clause_final {
                false
            } else if clause_temporary {
                true
            } else {
                previous_temporary
            };
            previous_temporary = temporary;
            out.push(Clause {
                start: s,
                end: e,
                sentence: index,
                temporary,
                is_final: clause_final,
            });
        }
    }
    out
}

/// The year the final premises come: the latest year in a clause about them, else the latest
/// year in a sentence about the temporary site (« locaux provisoires jusqu'en 2024 »).
fn final_year(text: &str, clauses: &[Clause]) -> Option<i32> {
    let years_in = |clause: &Clause| years(text.get(clause.start..clause.end).unwrap_or(""));
    let from_final: Option<i32> = clauses
        .iter()
        .filter(|c| c.is_final)
        .flat_map(years_in)
        .max();
    if from_final.is_some() {
        return from_final;
    }
    let temporary_sentences: Vec<usize> = clauses
        .iter()
        .filter(|c| c.temporary)
        .map(|c| c.sentence)
        .collect();
    clauses
        .iter()
        .filter(|c| temporary_sentences.contains(&c.sentence))
        .flat_map(years_in)
        .max()
}

/// Four-digit years 2015..=2040 in a folded text.
pub fn years(text: &str) -> Vec<i32> {
    numbers(text)
        .into_iter()
        .filter(|n| {
            n.end - n.start == 4 && n.value.fract() == 0.0 && (2015.0..=2040.0).contains(&n.value)
        })
        .map(|n| n.value as i32)
        .collect()
}

/// The stated duration of the lease, bail emphytéotique or occupation convention.
fn lease_years(
    folded: &Folded<'_>,
    clauses: &[Clause],
    titles: &[Hit<LandControlStatus>],
) -> Option<u32> {
    let text = folded.text.as_str();
    // A duration follows a word for a duration or the name of a title (« une AOT de 10 ans »).
    let mut cues: Vec<(usize, usize)> = lexicon()
        .duration
        .find(folded)
        .iter()
        .map(|c| (c.start, c.end))
        .collect();
    cues.extend(
        titles
            .iter()
            .filter(|t| {
                !matches!(
                    t.key,
                    LandControlStatus::None | LandControlStatus::Negotiation
                )
            })
            .map(|t| (t.start, t.end)),
    );
    cues.sort_unstable();
    for (start, end) in sentences(text) {
        let wholly_temporary = clauses
            .iter()
            .filter(|c| c.start >= start && c.end <= end)
            .all(|c| c.temporary);
        if wholly_temporary {
            continue;
        }
        let Some(first_cue) = cues.iter().find(|(s, e)| *s >= start && *e <= end) else {
            continue;
        };
        let after = text.get(first_cue.0..end).unwrap_or("");
        if let Some(years) = three_six_nine(after) {
            return Some(years);
        }
        if let Some(years) = duration_in(after) {
            return Some(years);
        }
    }
    None
}

/// « bail 3-6-9 », « 3/6/9 », « 3, 6, 9 », « trois-six-neuf » → 9.
fn three_six_nine(text: &str) -> Option<u32> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "3-6-9",
        "3/6/9",
        "3,6,9",
        "3.6.9",
        "trois-six-neuf",
        "3-6-9ans",
    ]
    .iter()
    .any(|p| compact.contains(p))
    .then_some(9)
}

/// The first « N ans » / « N années » / « N mois » (a whole number of years) that is a duration,
/// not an age or a past (« depuis 10 ans », « il y a 5 ans »).
fn duration_in(text: &str) -> Option<u32> {
    let words: Vec<&str> = text
        .split([' ', ',', '(', ')', ':', '\n'])
        .map(|w| w.trim_end_matches(['.', ';', '!', '?']))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let unit = words.get(i + 1).copied().unwrap_or("");
        let months = matches!(unit, "mois");
        let is_unit = matches!(unit, "ans" | "an" | "annees" | "annee") || months;
        if !is_unit {
            continue;
        }
        let word = word.strip_prefix("d'").unwrap_or(word);
        let value = word
            .parse::<u32>()
            .ok()
            .or_else(|| number_word(word))
            .or_else(|| {
                // « vingt et un ans » splits into three words.
                let joined = format!(
                    "{} {}",
                    words.get(i.wrapping_sub(2)).copied().unwrap_or(""),
                    word
                );
                number_word(&joined)
            });
        let Some(value) = value else { continue };
        let before: Vec<&str> = words
            .get(i.saturating_sub(3)..i)
            .map(|w| w.to_vec())
            .unwrap_or_default();
        let past = before.iter().any(|w| {
            matches!(
                *w,
                "depuis" | "y" | "dans" | "age" | "pendant" | "durant" | "plus" | "moins"
            )
        });
        let next = words.get(i + 2).copied().unwrap_or("");
        let experience =
            next.starts_with("d'") && !next.starts_with("d'une") || matches!(next, "d" | "de");
        if past || experience || value == 0 {
            continue;
        }
        if months {
            if value % 12 == 0 {
                return Some(value / 12);
            }
            continue;
        }
        if value <= 99 {
            return Some(value);
        }
    }
    None
}

/// The total surface of the premises in m².
fn surface(
    folded: &Folded<'_>,
    in_temporary: &dyn Fn(usize) -> bool,
    not_premises: &PhraseSet<()>,
    total: &PhraseSet<()>,
) -> Option<u32> {
    let text = folded.text.as_str();
    let mut all: Vec<(bool, f64)> = Vec::new();
    for number in numbers(text) {
        let rest = text.get(number.end..).unwrap_or("");
        let rest = rest.trim_start();
        let unit_len = [
            "m2",
            "m 2",
            "metres carres",
            "metre carre",
            "m^2",
            "mq",
            "metres 2",
        ]
        .iter()
        .find(|u| {
            rest.starts_with(*u)
                && rest
                    .as_bytes()
                    .get(u.len())
                    .is_none_or(|b| !b.is_ascii_alphanumeric())
        })
        .map(|u| u.len());
        let Some(unit_len) = unit_len else { continue };
        if in_temporary(number.start) {
            continue;
        }
        let after = rest.get(unit_len..).unwrap_or("");
        let after_window = after.get(..after.len().min(24)).unwrap_or(after);
        let before_window = text
            .get(number.start.saturating_sub(16)..number.start)
            .unwrap_or("");
        let right_after = after_window.trim_start();
        let names_land_after = not_premises
            .find_in(right_after, right_after)
            .first()
            .is_some_and(|hit| hit.start == 0);
        if names_land_after || not_premises.any_in(before_window) {
            continue;
        }
        let before_start = number.start.saturating_sub(40);
        let before = text
            .get(before_start..number.start)
            .or_else(|| text.get(..number.start))
            .unwrap_or("");
        let before = before.rsplit(['.', ';', '\n']).next().unwrap_or(before);
        let is_total =
            total.any_in(before) || total.any_in(after.get(..after.len().min(14)).unwrap_or(""));
        if number.value >= 1.0 && number.value < 1_000_000.0 {
            all.push((is_total, number.value));
        }
    }
    let pick = |totals_only: bool| {
        all.iter()
            .filter(|(is_total, _)| *is_total || !totals_only)
            .map(|(_, v)| *v)
            .fold(None, |max: Option<f64>, v| {
                Some(max.map_or(v, |m| m.max(v)))
            })
    };
    pick(true).or_else(|| pick(false)).map(|v| v.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use LandControlStatus::{
        EmphyteoticLease, Lease, Negotiation, Owned, ProvidedFree, PurchaseInProgress, Unknown,
    };

    fn check(input: &str, status: LandControlStatus, years: Option<u32>, surface: Option<u32>) {
        let got = read_land_control(input);
        assert_eq!(
            (got.status, got.lease_years, got.surface_m2),
            (status, years, surface),
            "{input:?}"
        );
    }

    #[test]
    fn titles() {
        check("Nous sommes propriétaires du bâtiment.", Owned, None, None);
        check(
            "Un compromis a été paraphé le 3 décembre pour 600 m².",
            PurchaseInProgress,
            None,
            Some(600),
        );
        check(
            "L'association est propriétaire des murs depuis 2012.",
            Owned,
            None,
            None,
        );
        check(
            "Bâtiment acquis en 2019 par l'association",
            Owned,
            None,
            None,
        );
        check("nous ne sommes pas propriétaires", Unknown, None, None);
        check(
            "Nous ne sommes pas propriétaires : nous louons l'atelier (bail commercial).",
            Lease,
            None,
            None,
        );
        check("bail commercial 3-6-9", Lease, Some(9), None);
        check("Bail 3/6/9 signé en 2021", Lease, Some(9), None);
        check("bail commercial de neuf ans", Lease, Some(9), None);
        check(
            "bail emphytéotique de 25 ans",
            EmphyteoticLease,
            Some(25),
            None,
        );
        check(
            "Un bail emphytéotique de 99 ans a été consenti par la commune.",
            EmphyteoticLease,
            Some(99),
            None,
        );
        check(
            "convention de mise à disposition gratuite signée avec la commune pour 12 ans",
            ProvidedFree,
            Some(12),
            None,
        );
        check(
            "Le local est mis à disposition gracieusement par la mairie.",
            ProvidedFree,
            None,
            None,
        );
        check(
            "La commune, propriétaire du bâtiment, nous le met à disposition.",
            ProvidedFree,
            None,
            None,
        );
        check(
            "Convention d'occupation temporaire de 6 ans avec la ville",
            ProvidedFree,
            Some(6),
            None,
        );
        check(
            "compromis de vente signé le 3 novembre 2021",
            PurchaseInProgress,
            None,
            None,
        );
        check(
            "Une promesse de vente a été signée avec le propriétaire.",
            PurchaseInProgress,
            None,
            None,
        );
        check(
            "négociation avancée avec la communauté de communes pour un bâtiment identifié",
            Negotiation,
            None,
            None,
        );
        check(
            "Nous sommes en négociation avancée pour la location d'un ancien garage.",
            Negotiation,
            None,
            None,
        );
        check(
            "Un bail commercial sera signé début 2022.",
            Negotiation,
            None,
            None,
        );
        check(
            "Nous n'avons pas encore de local.",
            LandControlStatus::None,
            None,
            None,
        );
        check(
            "Aucun local n'est identifié à ce jour.",
            LandControlStatus::None,
            None,
            None,
        );
        check(
            "Le propriétaire, une SCI familiale, nous loue le bâtiment.",
            Lease,
            None,
            None,
        );
        check("Nous sommes locataires depuis 10 ans.", Lease, None, None);
        check(
            "Nous recherchons un local d'au moins 500 m² : aucun local n'est identifié.",
            LandControlStatus::None,
            None,
            None,
        );
        check(
            "Propriétaires du bâtiment, nous louons 200 m² à des artisans par bail de 3 ans.",
            Owned,
            None,
            Some(200),
        );
        check(
            "L'atelier est loué depuis 5 ans à la commune ; bail de 6 ans renouvelable.",
            Lease,
            Some(6),
            None,
        );
        check("", Unknown, None, None);
        check(
            "Le bâtiment appartient à la communauté de communes, qui nous le loue.",
            Lease,
            None,
            None,
        );
        check(
            "Nous louons un atelier de 400 m2 en centre-bourg.",
            Lease,
            None,
            Some(400),
        );
        check("Bail précaire de 23 mois.", Lease, None, None);
        check(
            "Local acheté en 2020 grâce à un prêt bancaire.",
            Owned,
            None,
            None,
        );
        check(
            "Nous avons signé une promesse d'achat le 2 février.",
            PurchaseInProgress,
            None,
            None,
        );
        check(
            "Une AOT de 10 ans a été accordée par la ville.",
            ProvidedFree,
            Some(10),
            None,
        );
        check(
            "Prêt à usage (commodat) consenti par la mairie",
            ProvidedFree,
            None,
            None,
        );
        check(
            "Nous sommes hébergés gratuitement par la ville dans une halle de 1200 m².",
            ProvidedFree,
            None,
            Some(1200),
        );
        check(
            "Les locaux nous appartiennent depuis 2015.",
            Owned,
            None,
            None,
        );
        check(
            "La SCIC a fait l'acquisition du bâtiment en 2019.",
            Owned,
            None,
            None,
        );
        check(
            "Bail commercial de 9 ans en cours de négociation avec le propriétaire.",
            Negotiation,
            Some(9),
            None,
        );
        check(
            "Bail emphytéotique de quarante ans.",
            EmphyteoticLease,
            Some(40),
            None,
        );
        check(
            "Le bâtiment est la propriété de l'association depuis 2010.",
            Owned,
            None,
            None,
        );
        check(
            "L'EPF a acquis le bâtiment et nous le revendra en 2023.",
            Unknown,
            None,
            None,
        );
        check(
            "Les ateliers (800 m²) et le showroom (200 m²) sont loués.",
            Lease,
            None,
            Some(800),
        );
        check(
            "Un local d'environ 1 500 m² est identifié ; la discussion avec la mairie est bien avancée.",
            Negotiation,
            None,
            Some(1500),
        );
        check(
            "Convention d'occupation précaire d'une durée d'un an renouvelable.",
            ProvidedFree,
            Some(1),
            None,
        );
        check(
            "La structure bénéficie d'un bail à construction de 30 ans.",
            EmphyteoticLease,
            Some(30),
            None,
        );
        check(
            "Locataire d'un atelier relais de la communauté de communes depuis 2017.",
            Lease,
            None,
            None,
        );
        check(
            "Nous n'avons pas encore signé le bail, mais un accord de principe a été donné.",
            Negotiation,
            None,
            None,
        );
    }

    #[test]
    fn surfaces() {
        check("un ancien atelier de 1 200 m²", Unknown, None, Some(1200));
        check("un bâtiment de 1200 m2", Unknown, None, Some(1200));
        check("une halle de 850 mètres carrés", Unknown, None, Some(850));
        check(
            "2\u{a0}870\u{a0}m² dont 1\u{202f}200 m² d'ateliers",
            Unknown,
            None,
            Some(2870),
        );
        check(
            "ateliers (400 m²) et bureaux (150 m²), soit 550 m² au total",
            Unknown,
            None,
            Some(550),
        );
        check(
            "un bâtiment de 900 m² sur un terrain de 5 000 m²",
            Unknown,
            None,
            Some(900),
        );
        check(
            "nous occupons depuis 2019, au titre d'un bail emphytéotique de 30 ans consenti par la commune, un ancien atelier de 1 200 m²",
            EmphyteoticLease,
            Some(30),
            Some(1200),
        );
    }

    fn check_transition(
        input: &str,
        status: LandControlStatus,
        transitional: bool,
        year: Option<i32>,
        surface: Option<u32>,
    ) {
        let got = read_land_control(input);
        assert_eq!(
            (
                got.status,
                got.transitional_premises,
                got.final_premises_year,
                got.surface_m2
            ),
            (status, transitional, year, surface),
            "{input:?}"
        );
    }

    #[test]
    fn a_local_authority_applying_owns_what_is_communal() {
        let text = "Le site est un bâtiment communal de 870 m² utiles : l'ancien centre de tri, propriété de la commune depuis 2017.";
        assert_eq!(
            read_land_control_for(text, Some("Ville de Romorantin"), true).status,
            Owned
        );
        // For an association, the commune owning the building says nothing of its own title.
        assert_eq!(
            read_land_control_for(text, Some("Les Ateliers"), false).status,
            Unknown
        );
    }

    #[test]
    fn transitional_premises() {
        check_transition(
            "Bail emphytéotique de 25 ans. Solution d'attente : 120 m² chez une entreprise partenaire pendant le chantier ; le déménagement vers le site définitif aura lieu en 2023.",
            EmphyteoticLease,
            true,
            Some(2023),
            None,
        );
        check_transition(
            "Locaux provisoires mis à disposition par la mairie (200 m²). Installation définitive prévue en 2024 dans un bâtiment de 1 340 m² loué par bail 3-6-9.",
            Lease,
            true,
            Some(2024),
            Some(1340),
        );
        check_transition(
            "Nous démarrons dans un local temporaire de 150 m², en attendant la livraison du bâtiment définitif en 2023.",
            Unknown,
            true,
            Some(2023),
            None,
        );
        check_transition(
            "Dans l'attente des travaux, l'activité est hébergée à titre gratuit. Le bâtiment, acquis en 2021, ouvrira en 2024.",
            Owned,
            true,
            Some(2024),
            None,
        );
        check_transition(
            "Bail commercial de 9 ans, 600 m².",
            Lease,
            false,
            None,
            Some(600),
        );
        check_transition(
            "Convention d'occupation temporaire du domaine public",
            ProvidedFree,
            false,
            None,
            None,
        );
        check_transition(
            "Bail commercial de 9 ans. Un espace extérieur permettra le stockage temporaire des matériaux.",
            Lease,
            false,
            None,
            None,
        );
        check_transition(
            "Pendant les travaux, les artisans sont hébergés temporairement à la pépinière ; emménagement en 2023.",
            Unknown,
            true,
            Some(2023),
            None,
        );
        check_transition(
            "Dans un premier temps, l'activité se tiendra dans les locaux de la mairie, avant l'installation dans l'ancienne usine en 2023.",
            Unknown,
            true,
            Some(2023),
            None,
        );
        check_transition(
            "Dans un premier temps, nous achèterons les machines.",
            Unknown,
            false,
            None,
            None,
        );
        check_transition(
            "En attendant le recrutement du régisseur, les bénévoles assurent l'accueil.",
            Unknown,
            false,
            None,
            None,
        );
        check_transition(
            "Locataire d'un atelier relais depuis 2017.",
            Lease,
            false,
            None,
            None,
        );
    }

    #[test]
    fn durations() {
        assert_eq!(duration_in("pour une duree de 12 ans"), Some(12));
        assert_eq!(duration_in("depuis 10 ans"), None);
        assert_eq!(duration_in("de 24 mois"), Some(2));
        assert_eq!(duration_in("de 23 mois"), None);
        assert_eq!(duration_in("de vingt-cinq ans"), Some(25));
        assert_eq!(duration_in("10 ans d'experience"), None);
        assert_eq!(duration_in("d'une duree de 6 ans."), Some(6));
    }
}
