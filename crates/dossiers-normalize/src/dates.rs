//! Dates: the deposit date written on an application's cover page, its Paris offset, and the
//! wave it falls in according to the calendar in `data/waves.toml`.
//!
//! The deposit date is the one a label calls so (« Date de dépôt », « Déposé le »); the « Fait
//! à …, le … » signature date is not it, so an unlabelled date is never taken.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

use crate::lexicon::{Label, lexicon};
use crate::text::Folded;

const WAVES_TOML: &str = include_str!("../data/waves.toml");

const MONTHS: &[(&str, u32)] = &[
    ("janvier", 1),
    ("janv", 1),
    ("jan", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
];

/// The deposit date and time the text gives under a deposit label, Paris local time.
pub fn find_deposit(text: &str) -> Option<NaiveDateTime> {
    find_deposit_in(&Folded::new(text))
}

/// As [`find_deposit`], on a text already folded (callers fold a whole application once).
pub fn find_deposit_in(folded: &Folded<'_>) -> Option<NaiveDateTime> {
    let hits = lexicon().deposit_labels.find(folded);
    let mut labels: Vec<_> = hits.iter().filter(|h| h.key == Label::Deposit).collect();
    // A label that says « dépôt » is trusted before « transmis le », « reçu le », which prose
    // uses for other things.
    labels.sort_by_key(|h| {
        let label = folded.text.get(h.start..h.end).unwrap_or("");
        (!label.contains("depo"), h.start)
    });
    for hit in labels {
        let end = floor_char(&folded.text, (hit.end + 90).min(folded.text.len()));
        let window = folded.text.get(hit.end..end).unwrap_or("");
        // The date must come right after its label, not further down the page.
        let lead_in = window
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(window.len());
        if lead_in > 30 {
            continue;
        }
        if let Some(found) = parse_datetime(window) {
            return Some(found);
        }
    }
    None
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first date in a folded text, with the time that follows it (midnight when none).
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let (date, end) = parse_date(text)?;
    let rest = text.get(end..).unwrap_or("");
    let time = parse_time(rest.get(..rest.len().min(24)).unwrap_or(rest)).unwrap_or(NaiveTime::MIN);
    Some(date.and_time(time))
}

/// The first date in a folded text and the byte where it ends.
pub fn parse_date(text: &str) -> Option<(NaiveDate, usize)> {
    let tokens = tokens(text);
    for (i, (start, token)) in tokens.iter().enumerate() {
        let _ = start;
        // 14/12/2021, 14-12-2021, 14.12.2021, 14/12/21
        if let Some((date, len)) = numeric_date(text.get(*start..).unwrap_or("")) {
            return Some((date, start + len));
        }
        // 2021-12-14
        if let Some((date, len)) = iso_date(text.get(*start..).unwrap_or("")) {
            return Some((date, start + len));
        }
        // 14 décembre 2021, 1er décembre 2021
        let day = token
            .strip_suffix("er")
            .unwrap_or(token)
            .parse::<u32>()
            .ok();
        let month = tokens.get(i + 1).and_then(|(_, m)| month_of(m));
        let year = tokens.get(i + 2).and_then(|(_, y)| y.parse::<i32>().ok());
        if let (Some(day), Some(month), Some(year)) = (day, month, year)
            && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
        {
            let (year_start, year_token) =
                tokens.get(i + 2).map(|(s, t)| (*s, *t)).unwrap_or((0, ""));
            return Some((date, year_start + year_token.len()));
        }
    }
    None
}

fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        let word = ch.is_ascii_alphanumeric();
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, text.get(s..i).unwrap_or("")));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out
}

fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, m)| *m)
}

fn digits_at(text: &str, max: usize) -> (Option<u32>, usize) {
    let len = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    (text.get(..len).and_then(|d| d.parse().ok()), len)
}

fn numeric_date(text: &str) -> Option<(NaiveDate, usize)> {
    let (day, a) = digits_at(text, 2);
    let sep = text.as_bytes().get(a).copied()?;
    if !matches!(sep, b'/' | b'-' | b'.') || a == 0 {
        return None;
    }
    let rest = text.get(a + 1..)?;
    let (month, b) = digits_at(rest, 2);
    if b == 0 || rest.as_bytes().get(b).copied() != Some(sep) {
        return None;
    }
    let rest2 = rest.get(b + 1..)?;
    let (year, c) = digits_at(rest2, 4);
    let year = match (year, c) {
        (Some(y), 4) => y as i32,
        (Some(y), 2) => 2000 + y as i32,
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month?, day?)?;
    Some((date, a + 1 + b + 1 + c))
}

fn iso_date(text: &str) -> Option<(NaiveDate, usize)> {
    let (year, a) = digits_at(text, 4);
    if a != 4 || text.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let rest = text.get(5..)?;
    let (month, b) = digits_at(rest, 2);
    if b == 0 || rest.as_bytes().get(b) != Some(&b'-') {
        return None;
    }
    let (day, c) = digits_at(rest.get(b + 1..)?, 2);
    let date = NaiveDate::from_ymd_opt(year? as i32, month?, day?)?;
    Some((date, 5 + b + 1 + c))
}

/// A time right after a date: « à 16h20 », « 16 h 20 », « 16:20 », « 16h », « à midi ».
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let trimmed = text.trim_start_matches([' ', ',', '-', 'a', '\u{e0}', 't']);
    let trimmed = trimmed.trim_start();
    if trimmed.starts_with("midi") {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (hour, a) = digits_at(trimmed, 2);
    if a == 0 {
        return None;
    }
    let rest = trimmed.get(a..)?.trim_start();
    let rest = rest
        .strip_prefix("heures")
        .or_else(|| rest.strip_prefix('h'))
        .or_else(|| rest.strip_prefix(':'))?;
    let (minute, _) = digits_at(rest.trim_start(), 2);
    NaiveTime::from_hms_opt(hour?, minute.unwrap_or(0), 0)
}

/// The last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = first_next.pred_opt()?;
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt()?;
    }
    Some(day)
}

/// The Paris UTC offset of a local time: `+02:00` from the last Sunday of March (2:00) to the
/// last Sunday of October (3:00), `+01:00` otherwise (EU rule since 1996).
pub fn paris_offset(local: NaiveDateTime) -> &'static str {
    let year = local.year();
    let summer_start = last_sunday(year, 3).and_then(|d| d.and_hms_opt(2, 0, 0));
    let summer_end = last_sunday(year, 10).and_then(|d| d.and_hms_opt(3, 0, 0));
    match (summer_start, summer_end) {
        (Some(start), Some(end)) if local >= start && local < end => "+02:00",
        _ => "+01:00",
    }
}

/// ISO 8601 with the Paris offset: `2022-01-12T10:31:00+01:00`.
pub fn iso_paris(local: NaiveDateTime) -> String {
    format!(
        "{}{}",
        local.format("%Y-%m-%dT%H:%M:%S"),
        paris_offset(local)
    )
}

#[derive(Deserialize)]
struct Calendar {
    wave: Vec<RawWave>,
}

#[derive(Clone, Debug, Deserialize)]
struct RawWave {
    number: u8,
    closes: String,
}

#[derive(Clone, Copy, Debug)]
struct Wave {
    number: u8,
    closes: NaiveDateTime,
}

fn calendar() -> &'static [Wave] {
    static CALENDAR: OnceLock<Vec<Wave>> = OnceLock::new();
    CALENDAR.get_or_init(|| match toml::from_str::<Calendar>(WAVES_TOML) {
        Ok(calendar) => {
            let mut waves: Vec<Wave> = calendar
                .wave
                .iter()
                .filter_map(|raw| {
                    let closes = NaiveDateTime::parse_from_str(&raw.closes, "%Y-%m-%dT%H:%M:%S");
                    if closes.is_err() {
                        tracing::error!(closes = %raw.closes, "a wave's closing time does not parse");
                    }
                    Some(Wave {
                        number: raw.number,
                        closes: closes.ok()?,
                    })
                })
                .collect();
            waves.sort_by_key(|w| w.closes);
            waves
        }
        Err(error) => {
            tracing::error!(%error, "the embedded wave calendar does not parse");
            Vec::new()
        }
    })
}

/// The wave a deposit (Paris local time) belongs to: the first whose closing time is at or after
/// it; `None` after the last.
pub fn wave_of(deposited: NaiveDateTime) -> Option<u8> {
    calendar()
        .iter()
        .find(|w| deposited <= w.closes)
        .map(|w| w.number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        let got = find_deposit(input).map(iso_paris);
        assert_eq!(got.as_deref(), expected, "{input:?}");
    }

    #[test]
    fn deposit_dates() {
        check(
            "Date de dépôt : 14/12/2021 à 16h20",
            Some("2021-12-14T16:20:00+01:00"),
        );
        check(
            "Déposé le 14 décembre 2021 à 16 h 20",
            Some("2021-12-14T16:20:00+01:00"),
        );
        // A bare « Dépôt » heads a date only as a form label.
        check(
            "Dépôt : 12 janvier 2022 à 10:05",
            Some("2022-01-12T10:05:00+01:00"),
        );
        check("Après le dépôt de bilan le 3 mars 2019 du repreneur", None);
        check(
            "Dossier déposé le 1er février 2022, 09:05",
            Some("2022-02-01T09:05:00+01:00"),
        );
        check(
            "Date de dépôt\t2022-01-13 14:05",
            Some("2022-01-13T14:05:00+01:00"),
        );
        check(
            "Date de dépôt : 3 mars 2022 à midi",
            Some("2022-03-03T12:00:00+01:00"),
        );
        check(
            "Date de dépôt : 03.03.2022 - 11h31",
            Some("2022-03-03T11:31:00+01:00"),
        );
        check(
            "Date de dépôt : 10/01/22",
            Some("2022-01-10T00:00:00+01:00"),
        );
        check(
            "Reçu le 2 avril 2022 à 10h",
            Some("2022-04-02T10:00:00+02:00"),
        );
        check("Fait à Bressuire, le 14 décembre 2021", None);
        check(
            "Déposé sur la plateforme le 3 mars 2022 à 11 h 59",
            Some("2022-03-03T11:59:00+01:00"),
        );
        check(
            "Dossier déposé le mercredi 12 janvier 2022 à 10h31",
            Some("2022-01-12T10:31:00+01:00"),
        );
        check(
            "Date de dépôt : 2022-01-12T10:31:00",
            Some("2022-01-12T10:31:00+01:00"),
        );
        check("Date de dépôt : ", None);
        check(
            "Le diagnostic a été transmis le 12 octobre 2021. Date de dépôt : 10/01/2022 9h05",
            Some("2022-01-10T09:05:00+01:00"),
        );
        check(
            "Date de dépôt : voir le récépissé joint au dossier, page 2 du formulaire (12/01/2022)",
            None,
        );
    }

    #[test]
    fn waves() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(wave_of(at("2021-12-14 16:20")), Some(2));
        assert_eq!(wave_of(at("2022-01-13 12:00")), Some(2));
        assert_eq!(wave_of(at("2022-01-13 12:01")), Some(3));
        assert_eq!(wave_of(at("2022-03-03 11:31")), Some(3));
        assert_eq!(wave_of(at("2022-03-03 12:01")), None);
    }

    #[test]
    fn offsets() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(paris_offset(at("2022-03-27 01:59")), "+01:00");
        assert_eq!(paris_offset(at("2022-03-27 03:00")), "+02:00");
        assert_eq!(paris_offset(at("2022-10-30 02:59")), "+02:00");
        assert_eq!(paris_offset(at("2022-10-30 03:00")), "+01:00");
    }
}
