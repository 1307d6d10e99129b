//! The wave calendar, read from the normaliser's own file (`dossiers-normalize/data/waves.toml`)
//! so that there is one calendar: the waves an analyst may ask for are the waves dossiers are
//! put in. The normaliser keeps its reading of the file (it needs closing times as dates);
//! this one only needs each wave's number and closing time as written, to list the known waves
//! and say when each closed.

use std::sync::OnceLock;

use serde::Deserialize;

const WAVES_TOML: &str = include_str!("../../dossiers-normalize/data/waves.toml");

/// One wave of the calendar.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Wave {
    pub number: u8,
    /// Paris local time, `2022-01-13T12:00:00`.
    pub closes: String,
}

#[derive(Deserialize)]
struct Calendar {
    wave: Vec<Wave>,
}

/// The calendar's waves, by number.
pub fn waves() -> &'static [Wave] {
    static WAVES: OnceLock<Vec<Wave>> = OnceLock::new();
    WAVES.get_or_init(|| {
        // Compiled in and parsed by a test; an unreadable calendar knows no wave.
        let mut waves = toml::from_str::<Calendar>(WAVES_TOML)
            .map(|calendar| calendar.wave)
            .unwrap_or_default();
        waves.sort_by_key(|wave| wave.number);
        waves
    })
}

/// The calendar's wave numbers.
pub fn wave_numbers() -> Vec<u8> {
    waves().iter().map(|wave| wave.number).collect()
}

/// « Vague 2 (close le 13 janvier 2022 à 12 h 00) », or « Vague 5 » for a wave the calendar
/// does not date.
pub fn describe(number: u8) -> String {
    match waves().iter().find(|wave| wave.number == number) {
        Some(wave) => match crate::dates::french_datetime(&wave.closes) {
            Some(closes) => format!("Vague {number} (clôture le {closes})"),
            None => format!("Vague {number}"),
        },
        None => format!("Vague {number}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_shipped_calendar_is_read() {
        let parsed: Calendar = toml::from_str(WAVES_TOML).unwrap();
        assert!(!parsed.wave.is_empty());
        assert_eq!(wave_numbers(), vec![2, 3]);
        assert_eq!(
            describe(2),
            "Vague 2 (clôture le 13 janvier 2022 à 12 h 00)"
        );
        assert_eq!(describe(7), "Vague 7");
    }
}
