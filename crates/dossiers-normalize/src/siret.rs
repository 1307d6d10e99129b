//! SIRET: finding it in what people type, and checking it.
//!
//! People write a SIRET with spaces, dots, dashes or non-breaking spaces between the groups
//! (« 331 667 410 00053 », « 331.667.410.00053 »), sometimes only the SIREN, sometimes « en
//! cours d'attribution ». Only a full 14-digit number is a SIRET; anything else is `None`, never
//! a padded guess. Validation follows shared/research/domain.md §3.1: Luhn on the SIREN and the
//! SIRET, and for La Poste (SIREN 356000000) a digit sum that is a multiple of 5.

use crate::text::Folded;

/// Words after a SIRET label that say there is no number yet.
const NOT_YET: &[&str] = &[
    "en cours",
    "attribution",
    "a venir",
    "non attribue",
    "pas encore",
    "sans objet",
    "neant",
    "n/a",
    "demande",
    "en attente",
    "inconnu",
    "a completer",
    "non communique",
];

/// The SIRET written in `text`, digits only.
pub fn find_siret(text: &str) -> Option<String> {
    find_siret_in(&Folded::new(text))
}

/// As [`find_siret`], on a text already folded (callers fold a whole application once).
pub fn find_siret_in(folded: &Folded<'_>) -> Option<String> {
    let haystack = folded.text.as_str();
    let mut labelled = false;
    for (start, _) in haystack.match_indices("siret") {
        labelled = true;
        let after = start + "siret".len();
        let window_end = floor_char(haystack, (after + 80).min(haystack.len()));
        let window = haystack.get(after..window_end).unwrap_or("");
        if let Some(siret) = digits_after_label(window) {
            return Some(siret);
        }
    }
    // An unlabelled number is taken only in a SIRET's usual shape, so that phone numbers, IBANs
    // and amounts are not mistaken for one; a labelled « en cours » stays absent.
    if labelled
        && NOT_YET
            .iter()
            .any(|w| haystack.contains(&format!("siret {w}")))
    {
        return None;
    }
    shaped_siret(haystack)
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The 14 digits following a label, skipping a short lead-in (« : », « n° », « du siège : »)
/// but stopping at words saying the number is not there yet.
fn digits_after_label(window: &str) -> Option<String> {
    let first_digit = window.find(|c: char| c.is_ascii_digit())?;
    let lead_in = window.get(..first_digit).unwrap_or("");
    if lead_in.len() > 30
        || NOT_YET.iter().any(|w| lead_in.contains(w))
        || lead_in.contains("siren")
    {
        return None;
    }
    let digits = collect_digits(window.get(first_digit..).unwrap_or(""));
    (digits.len() == 14).then_some(digits)
}

/// Digits with their separators, stopping at the first other character (or a double gap).
fn collect_digits(text: &str) -> String {
    let mut digits = String::new();
    let mut gap = 0;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            gap = 0;
        } else if matches!(ch, ' ' | '.' | '-' | '/' | '_') && gap < 2 {
            gap += 1;
        } else {
            break;
        }
        if digits.len() > 14 {
            break;
        }
    }
    digits
}

/// A 14-digit number anywhere, written whole or grouped 3-3-3-5 / 9-5.
fn shaped_siret(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric()));
        if starts {
            let rest = text.get(i..).unwrap_or("");
            let mut groups: Vec<usize> = Vec::new();
            let mut run = 0usize;
            let mut consumed = 0usize;
            let mut chars = rest.char_indices().peekable();
            while let Some((at, ch)) = chars.next() {
                if ch.is_ascii_digit() {
                    run += 1;
                    consumed = at + 1;
                } else if matches!(ch, ' ' | '.')
                    && run > 0
                    && chars.peek().is_some_and(|(_, c)| c.is_ascii_digit())
                {
                    groups.push(run);
                    run = 0;
                } else {
                    break;
                }
            }
            if run > 0 {
                groups.push(run);
            }
            let total: usize = groups.iter().sum();
            let shaped = matches!(groups.as_slice(), [14] | [9, 5] | [3, 3, 3, 5] | [3, 3, 8]);
            if total == 14 && shaped {
                let digits: String = rest
                    .get(..consumed)
                    .unwrap_or("")
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                return Some(digits);
            }
            i += consumed.max(1);
        } else {
            i += 1;
        }
    }
    None
}

/// Luhn check over ASCII digits (false on anything else or on an empty string).
pub fn luhn(digits: &str) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (position, ch) in digits.chars().rev().enumerate() {
        let Some(mut digit) = ch.to_digit(10) else {
            return false;
        };
        if position % 2 == 1 {
            digit *= 2;
            if digit > 9 {
                digit -= 9;
            }
        }
        sum += digit;
    }
    sum.is_multiple_of(10)
}

/// The SIREN of La Poste, whose establishments are numbered past what Luhn allows.
const LA_POSTE_SIREN: &str = "356000000";

/// True when `siret` is 14 digits whose SIREN and whole number pass Luhn, or a La Poste SIRET
/// whose digit sum is a multiple of 5.
pub fn is_valid_siret(siret: &str) -> bool {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let siren = siret.get(..9).unwrap_or("");
    if luhn(siren) && luhn(siret) {
        return true;
    }
    if siren == LA_POSTE_SIREN {
        let sum: u32 = siret.chars().filter_map(|c| c.to_digit(10)).sum();
        return sum.is_multiple_of(5);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(find_siret(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn finds_siret() {
        check("SIRET : 331 667 410 00053", Some("33166741000053"));
        check("N° SIRET: 331.667.410.00053", Some("33166741000053"));
        check(
            "Siret\u{a0}: 331\u{a0}667\u{a0}410\u{a0}00053",
            Some("33166741000053"),
        );
        check(
            "siret 331\u{202f}667\u{202f}410\u{202f}00053 (siège)",
            Some("33166741000053"),
        );
        check(
            "Numéro SIRET du siège : 33166741000053",
            Some("33166741000053"),
        );
        check("SIRET : 331-667-410-00053", Some("33166741000053"));
        check("SIRET\n33166741000053", Some("33166741000053"));
        check("SIRET : en cours d'attribution", None);
        check("SIRET : en cours d'attribution (SIREN 331 667 410)", None);
        check("SIREN : 331 667 410", None);
        check("SIRET : 331 667 410", None);
        check("Tél. 05 49 65 12 34", None);
        check("Budget : 1 200 000 €", None);
        check(
            "immatriculée sous le n° 331 667 410 00053",
            Some("33166741000053"),
        );
        check(
            "SIRET : 331 667 410 00053 – APE 9499Z",
            Some("33166741000053"),
        );
        check("", None);
    }

    fn check_valid(input: &str, expected: bool) {
        assert_eq!(is_valid_siret(input), expected, "{input}");
    }

    #[test]
    fn validates_siret() {
        check_valid("20003452800014", true);
        check_valid("20003452800041", false);
        check_valid("35600000009075", true);
        check_valid("35600000000048", true);
        check_valid("35600000009076", false);
        check_valid("73282932000074", true);
        check_valid("7328293200007", false);
        check_valid("7328293200007a", false);
        check_valid("", false);
    }
}
