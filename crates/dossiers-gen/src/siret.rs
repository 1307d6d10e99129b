//! SIRET numbers: valid ones (Luhn on the SIREN and on the whole SIRET, see
//! `shared/research/domain.md` §3.1) and deliberately broken ones.

use crate::rng::Rng;

/// Luhn check over a string of ASCII digits (false on anything else).
pub fn luhn_valid(digits: &str) -> bool {
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
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The SIRET rule of the programme's reference: Luhn on SIREN and SIRET, with La Poste's
/// exception (SIREN 356000000: the digit sum is a multiple of 5).
pub fn siret_valid(siret: &str) -> bool {
    if siret.len() != 14 || !siret.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let siren = siret.get(..9).unwrap_or_default();
    if luhn_valid(siren) && luhn_valid(siret) {
        return true;
    }
    siren == "356000000"
        && siret
            .chars()
            .filter_map(|c| c.to_digit(10))
            .sum::<u32>()
            .is_multiple_of(5)
}

/// Appends the digit that makes `prefix` pass the Luhn check.
fn complete_luhn(prefix: &str) -> String {
    for digit in 0..10 {
        let candidate = format!("{prefix}{digit}");
        if luhn_valid(&candidate) {
            return candidate;
        }
    }
    format!("{prefix}0")
}

/// A random valid SIRET (never La Poste's SIREN).
pub fn valid_siret(rng: &mut Rng) -> String {
    loop {
        let first = rng.range(1, 9);
        let body = rng.range(0, 9_999_999);
        let siren = complete_luhn(&format!("{first}{body:07}"));
        if siren == "356000000" {
            continue;
        }
        let nic = rng.range(1, 400);
        return complete_luhn(&format!("{siren}{nic:04}"));
    }
}

/// A SIRET that fails the check: a valid one with its last digit changed.
pub fn invalid_siret(rng: &mut Rng) -> String {
    let valid = valid_siret(rng);
    let (head, last) = valid.split_at(13);
    let last = last.parse::<u64>().unwrap_or(0);
    let changed = (last + rng.range(1, 9)) % 10;
    format!("{head}{changed}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        assert!(siret_valid("20003452800014"));
        assert!(!siret_valid("20003452800041"));
        assert!(siret_valid("35600000009075"));
        assert!(siret_valid("35600000000048"));
    }

    #[test]
    fn generated_numbers_behave() {
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            assert!(siret_valid(&valid_siret(&mut rng)));
            assert!(!siret_valid(&invalid_siret(&mut rng)));
        }
    }
}
