//! Dates, amounts and durations as a French reader writes them: « 13 janvier 2022 à 10 h 18 »,
//! « 250 000 € », « 72 % », « 2 minutes ».

/// An ISO 8601 date or date-time as the record keeps it (`2022-01-13T10:18:00+01:00`, in
/// Paris time already) in French: « 13 janvier 2022 à 10 h 18 », « 1er mars 2022 » (the
/// catalogue's wording, `dossiers-labels`). What does not read as a date is given back as it is.
pub fn date_time(iso: &str) -> String {
    dossiers_labels::dates::french_datetime(iso.trim()).unwrap_or_else(|| iso.to_owned())
}

/// Euros to the unit, thousands apart: « 250 000 € ».
pub fn euros(amount: f64) -> String {
    format!("{} €", dossiers_index::flat::group_thousands(amount))
}

/// A share as a percentage: « 72 % ».
pub fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// « 1 seconde », « 40 secondes », « 2 minutes », « 15 minutes ».
pub fn duration(seconds: u64) -> String {
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n > 1 { "s" } else { "" });
    if seconds < 120 {
        plural(seconds, "seconde")
    } else {
        plural(seconds.div_ceil(60), "minute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_a_french_reader_writes_them() {
        assert_eq!(
            date_time("2022-01-13T10:18:00+01:00"),
            "13 janvier 2022 à 10 h 18"
        );
        assert_eq!(
            date_time("2022-03-01T09:05:00+01:00"),
            "1er mars 2022 à 9 h 05"
        );
        assert_eq!(date_time("2021-08-30"), "30 août 2021");
        assert_eq!(date_time("2021-12-24 18:00"), "24 décembre 2021 à 18 h 00");
        for odd in ["hier", "2022-13-01", "2022-01-13T25:00:00", ""] {
            assert_eq!(date_time(odd), odd);
        }
    }

    #[test]
    fn amounts_shares_and_durations() {
        assert_eq!(percent(0.724), "72 %");
        assert!(euros(250_000.0).ends_with(" €"));
        assert_eq!(duration(1), "1 seconde");
        assert_eq!(duration(40), "40 secondes");
        assert_eq!(duration(900), "15 minutes");
    }
}
