//! Numbers as French writers write them: « 1 200 000 € », « 1.200.000 € », « 12 500,50 € »,
//! « 250 k€ », « 1,2 M€ », « douze ans », with spaces, non-breaking or narrow non-breaking spaces
//! as thousands separators (folding has already turned them all into plain spaces).

/// A number read from folded text: its value and the byte range it covers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number {
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

/// Every number in the folded `text`, with French thousands and decimal separators.
///
/// A space, dot or apostrophe followed by exactly three digits continues the number (thousands)
/// when the number so far has at most three digits per group; a comma (or a dot not followed by
/// three digits) is the decimal mark. A four-digit group (« en 2022 250 000 € ») stops a number.
pub fn numbers(text: &str) -> Vec<Number> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let is_start = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric()));
        if !is_start {
            i += 1;
            continue;
        }
        let start = i;
        let mut integer = String::new();
        let mut group_len = 0;
        let mut grouped = false;
        while let Some(b) = bytes.get(i) {
            if b.is_ascii_digit() {
                integer.push(char::from(*b));
                group_len += 1;
                i += 1;
                continue;
            }
            let separator = matches!(b, b' ' | b'.' | b'\'');
            let three_follow = (1..=3).all(|k| bytes.get(i + k).is_some_and(u8::is_ascii_digit))
                && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit);
            let allowed = if grouped {
                group_len == 3
            } else {
                group_len <= 3
            };
            if separator && three_follow && allowed {
                grouped = true;
                group_len = 0;
                i += 1;
                continue;
            }
            break;
        }
        let mut value: f64 = integer.parse().unwrap_or(0.0);
        // Decimal part: « 12,5 », « 1,25 », or « 12.50 » when the dot was not a thousands mark.
        if let Some(b',' | b'.') = bytes.get(i).copied() {
            let mut j = i + 1;
            let mut decimals = String::new();
            while let Some(d) = bytes.get(j).filter(|d| d.is_ascii_digit()) {
                decimals.push(char::from(*d));
                j += 1;
            }
            if !decimals.is_empty()
                && let Ok(fraction) = format!("0.{decimals}").parse::<f64>()
            {
                value += fraction;
                i = j;
            }
        }
        out.push(Number {
            value,
            start,
            end: i,
        });
    }
    out
}

/// Multipliers and currency marks that may follow an amount.
pub(crate) fn amount_suffix(rest: &str) -> Option<(f64, usize)> {
    let trimmed = rest.trim_start();
    let skipped = rest.len() - trimmed.len();
    const SUFFIXES: &[(&str, f64)] = &[
        ("millions d'euros", 1e6),
        ("million d'euros", 1e6),
        ("millions €", 1e6),
        ("million €", 1e6),
        ("milliers d'euros", 1e3),
        ("mille euros", 1e3),
        ("k€", 1e3),
        ("keur", 1e3),
        ("ke ", 1e3),
        ("k euros", 1e3),
        ("k ", 1e3),
        ("m€", 1e6),
        ("meur", 1e6),
        ("m euros", 1e6),
        ("euros", 1.0),
        ("euro", 1.0),
        ("eur", 1.0),
        ("€", 1.0),
    ];
    for (suffix, factor) in SUFFIXES {
        if let Some(after) = trimmed.strip_prefix(suffix) {
            let word_end = after
                .bytes()
                .next()
                .is_none_or(|b| !b.is_ascii_alphabetic());
            if word_end || suffix.ends_with(' ') {
                // « 250 k » alone is an amount only when a currency follows somewhere close.
                if *suffix == "k " && !after.trim_start().starts_with(['€', 'e']) {
                    continue;
                }
                return Some((*factor, skipped + suffix.len()));
            }
        }
    }
    None
}

/// Every amount of money in a line or sentence of folded text, in euros.
///
/// An amount is a number followed by a currency mark (€, euros, EUR) possibly with a multiplier
/// (k€, M€, millions d'euros). In a range or list sharing one mark (« de 80 à 120 k€ », « 20, 30
/// et 50 k€ ») the earlier numbers take the same mark.
pub fn amounts(text: &str) -> Vec<f64> {
    let found = numbers(text);
    let mut out: Vec<Option<f64>> = vec![None; found.len()];
    let mut pending: Vec<usize> = Vec::new();
    for (index, number) in found.iter().enumerate() {
        let rest = text.get(number.end..).unwrap_or("");
        if let Some((factor, _)) = amount_suffix(rest) {
            if let Some(slot) = out.get_mut(index) {
                *slot = Some(number.value * factor);
            }
            for earlier in pending.drain(..) {
                if let (Some(slot), Some(n)) = (out.get_mut(earlier), found.get(earlier)) {
                    *slot = Some(n.value * factor);
                }
            }
        } else {
            let joiner = rest.trim_start();
            let joined = ["a ", "et ", "- ", "-", "/ ", ", "]
                .iter()
                .any(|j| joiner.starts_with(j));
            let is_year = (1990.0..=2100.0).contains(&number.value) && number.value.fract() == 0.0;
            if joined && !is_year {
                pending.push(index);
            } else {
                pending.clear();
            }
        }
    }
    out.into_iter().flatten().collect()
}

/// A number written in words, as in durations (« neuf ans », « vingt-cinq ans »).
pub fn number_word(word: &str) -> Option<u32> {
    const UNITS: &[(&str, u32)] = &[
        ("un", 1),
        ("une", 1),
        ("deux", 2),
        ("trois", 3),
        ("quatre", 4),
        ("cinq", 5),
        ("six", 6),
        ("sept", 7),
        ("huit", 8),
        ("neuf", 9),
        ("dix", 10),
        ("onze", 11),
        ("douze", 12),
        ("treize", 13),
        ("quatorze", 14),
        ("quinze", 15),
        ("seize", 16),
        ("dix-sept", 17),
        ("dix-huit", 18),
        ("dix-neuf", 19),
        ("vingt", 20),
        ("trente", 30),
        ("quarante", 40),
        ("cinquante", 50),
        ("soixante", 60),
        ("soixante-dix", 70),
        ("quatre-vingt", 80),
        ("quatre-vingts", 80),
        ("quatre-vingt-dix", 90),
        ("quatre-vingt-dix-neuf", 99),
    ];
    let word = word.trim();
    if let Some((_, n)) = UNITS.iter().find(|(w, _)| *w == word) {
        return Some(*n);
    }
    // « vingt-cinq », « trente-et-un », « trente et un »
    let cleaned = word.replace(" et ", "-").replace("-et-", "-");
    let (tens, unit) = cleaned.rsplit_once('-')?;
    let tens = UNITS.iter().find(|(w, _)| *w == tens).map(|(_, n)| *n)?;
    let unit = UNITS.iter().find(|(w, _)| *w == unit).map(|(_, n)| *n)?;
    (tens % 10 == 0 && tens >= 20 && unit < 10).then_some(tens + unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn check(input: &str, expected: &[f64]) {
        let got = amounts(&fold(input));
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn reads_amounts() {
        check("250 000 €", &[250_000.0]);
        check("250\u{a0}000\u{a0}€", &[250_000.0]);
        check("250\u{202f}000 €", &[250_000.0]);
        check("1 200 000 euros", &[1_200_000.0]);
        check("1.200.000 €", &[1_200_000.0]);
        check("12 500,50 €", &[12_500.5]);
        check("250 k€", &[250_000.0]);
        check("250k€", &[250_000.0]);
        check("1,2 M€", &[1_200_000.0]);
        check("1,2 million d'euros", &[1_200_000.0]);
        check("3 millions d'euros", &[3_000_000.0]);
        check("150 000 € HT", &[150_000.0]);
        check(
            "investissement : 45 000 € et fonctionnement : 12 500 €",
            &[45_000.0, 12_500.0],
        );
        check("de 80 à 120 k€", &[80_000.0, 120_000.0]);
        check(
            "en 2022 250 000 € puis en 2023 180 000 €",
            &[250_000.0, 180_000.0],
        );
        check("soit 42 % du budget", &[]);
        check("1200 m2", &[]);
        check("200 000 EUR", &[200_000.0]);
        check("montant : 75 000,00 €", &[75_000.0]);
    }

    fn check_numbers(input: &str, expected: &[f64]) {
        let got: Vec<f64> = numbers(&fold(input)).iter().map(|n| n.value).collect();
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn reads_numbers() {
        check_numbers("1 200 m²", &[1200.0]);
        check_numbers("1200 m2", &[1200.0]);
        check_numbers("2 870", &[2870.0]);
        check_numbers("850,5", &[850.5]);
        check_numbers("bail 3-6-9", &[3.0, 6.0, 9.0]);
        check_numbers("en 2024 1 340 m2", &[2024.0, 1340.0]);
        check_numbers("1.200 m2", &[1200.0]);
        check_numbers("12.5", &[12.5]);
    }

    #[test]
    fn reads_number_words() {
        assert_eq!(number_word("neuf"), Some(9));
        assert_eq!(number_word("douze"), Some(12));
        assert_eq!(number_word("vingt-cinq"), Some(25));
        assert_eq!(number_word("trente et un"), Some(31));
        assert_eq!(number_word("quatre-vingt-dix-neuf"), Some(99));
        assert_eq!(number_word("bail"), None);
    }
}
