//! Dates: the deposit date written on an application's cover page, its Paris offset, and the
//! wave it falls in according to the calendar in `data/waves.toml`.
//!
//! The deposit date is the one a label calls so (« Date de dépôt », « Déposé le »); the « Fait
//! à …, le … » signature date is not it, so an unlabelled date is never taken.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Deserialize;

use crate::lexicon::lexicon;
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

/// The deposit date and time the text gives, Paris local time.
pub fn find_deposit(text: &str) -> Option<NaiveDateTime> {
    find_deposit_in(&Folded::new(text))
}

/// As [`find_deposit`], on a text already folded (callers fold a whole application once).
pub fn find_deposit_in(folded: &Folded<'_>) -> Option<NaiveDateTime> {
    deposit_in(&folded.text).map(|found| found.at)
}

/// A date written in a folded text, with the time written beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Folded byte range of the date (and of its time when it follows).
    pub start: usize,
    pub end: usize,
    pub at: NaiveDateTime,
}

/// The deposit stamp a text gives: the date, and the range of its line (for provenance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deposit {
    pub at: NaiveDateTime,
    pub line_start: usize,
    pub line_end: usize,
}

/// The deposit among the dates of a folded text. Each date is a candidate, weighed by what
/// its line says before it: a deposit label (« Date de dépôt : », « Horodatage du dépôt : »)
/// decides; a deposit word close before it (« reçu par voie électronique le », « Enregistrée
/// à 14h00, le ») counts when the date falls in the AMI's window; a signature, an export or
/// a creation (« Signé à …, le », « Export généré le », « créée le ») rules it out. The best
/// candidate wins, the first one written on a tie; none, and the text says nothing.
pub fn deposit_in(text: &str) -> Option<Deposit> {
    let lexicon = lexicon();
    let (opens, closes) = window();
    let mut best: Option<(u8, Deposit)> = None;
    for mention in date_mentions(text) {
        let line_start = text
            .get(..mention.start)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(mention.end..)
            .and_then(|after| after.find('\n'))
            .map_or(text.len(), |i| mention.end + i);
        let from = floor_char(text, mention.start.saturating_sub(LEAD_IN_BYTES)).max(line_start);
        let before = text.get(from..mention.start).unwrap_or("");
        // Only what follows the last sentence end before this one; an abbreviation's dot
        // (« mer. 12/01/22 », « janv. ») ends no sentence.
        let sentence_end = before.rmatch_indices(". ").map(|(i, _)| i).find(|&i| {
            let word = before
                .get(..i)
                .unwrap_or("")
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            !(word.len() <= 5 && word.chars().all(|c| c.is_ascii_lowercase()))
        });
        let before = sentence_end
            .and_then(|i| before.get(i + 2..))
            .unwrap_or(before);
        let cased = before.to_string();
        let labels = lexicon.deposit_labels.find_in(before, &cased);
        let cues = lexicon.deposit_cues.find_in(before, &cased);
        let vetoes = lexicon.deposit_vetoes.find_in(before, &cased);
        let last_cue = labels
            .iter()
            .map(|h| h.end)
            .chain(cues.iter().map(|h| h.end))
            .max();
        let Some(cue_end) = last_cue else {
            continue;
        };
        // A signature or an export word between the deposit word and the date speaks of
        // another date (« reçu … ; signé le … »); one before the deposit word does not.
        if vetoes
            .iter()
            .any(|veto| veto.start >= cue_end.saturating_sub(1) || cue_end - veto.end < 3)
        {
            continue;
        }
        // « Date de dépôt », « Horodatage du dépôt » say it; « reçu le », « transmis le » are
        // words prose uses for other things, and count as cues.
        let labelled = labels.iter().any(|hit| {
            let label = before.get(hit.start..hit.end).unwrap_or("");
            ["depo", "horodat", "date"]
                .iter()
                .any(|w| label.contains(w))
        });
        let in_window = mention.at >= opens && mention.at <= closes;
        let score = match (labelled, in_window) {
            (true, true) => 4,
            (true, false) => 3,
            (false, true) => 2,
            (false, false) => continue,
        };
        let deposit = Deposit {
            at: mention.at,
            line_start,
            line_end,
        };
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, deposit));
        }
    }
    best.map(|(_, deposit)| deposit)
}

/// The wave a text says it is filed in (« déposée au titre de la troisième vague », « vague
/// 2 »), when the calendar knows that wave and the statement is not denied or hedged: for a
/// dossier whose deposit date is nowhere written. Returns the wave and the folded range of its
/// line.
pub fn stated_wave(text: &str, known: &[u8]) -> Option<(u8, usize, usize)> {
    let ordinals = &lexicon().wave_ordinals;
    for (at, _) in text.match_indices("vague") {
        if !crate::text::is_boundary_before(text, at) || !crate::text::is_boundary(text, at + 5) {
            continue;
        }
        let before = text.get(..at).unwrap_or("").trim_end();
        let previous = before.rsplit([' ', '\n']).next().unwrap_or("");
        let after = text.get(at + 5..).unwrap_or("").trim_start();
        let next = after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let number = ordinals
            .get(previous)
            .or_else(|| ordinals.get(next))
            .copied()
            .or_else(|| next.parse::<u8>().ok());
        let Some(number) = number.filter(|n| known.contains(n)) else {
            continue;
        };
        if crate::polarity::polarity(text, at, at + 5) != crate::polarity::Polarity::Asserted {
            continue;
        }
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text
            .get(at..)
            .and_then(|a| a.find('\n'))
            .map_or(text.len(), |i| at + i);
        return Some((number, line_start, line_end));
    }
    None
}

/// The wave numbers of the embedded calendar.
pub fn known_waves() -> Vec<u8> {
    calendar().iter().map(|w| w.number).collect()
}

/// How far before a date its cue may stand (« Dossier complet reçu par voie électronique
/// le »).
const LEAD_IN_BYTES: usize = 60;

/// Every date of a folded text, with the time written after it (« à 10h24 », « , 9 h 37 »,
/// « – 16:05 », « (11:11) ») or just before it (« à 14h00, le mercredi 1er décembre 2021 »).
pub fn date_mentions(text: &str) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some((date, start, end)) = parse_date_from(text, search) {
        let rest = text.get(end..).unwrap_or("");
        let window = rest
            .get(..floor_char(rest, rest.len().min(24)))
            .unwrap_or(rest);
        let (time, time_len) = match parse_time_len(window) {
            Some((time, len)) => (Some(time), len),
            None => (time_before(text, start), 0),
        };
        out.push(DateMention {
            start,
            end: end + time_len,
            at: date.and_time(time.unwrap_or(NaiveTime::MIN)),
        });
        search = end.max(search + 1);
    }
    out
}

/// « à 14h00, le mercredi 1er décembre 2021 »: a time right before its date, in its line.
fn time_before(text: &str, date_start: usize) -> Option<NaiveTime> {
    let from = floor_char(text, date_start.saturating_sub(30));
    let before = text.get(from..date_start)?;
    let before = before.rsplit('\n').next().unwrap_or(before);
    // What may stand between the time and the date: « , le », a weekday.
    let mut rest = before.trim_end();
    for word in [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "le", ",",
    ] {
        rest = rest
            .trim_end()
            .strip_suffix(word)
            .unwrap_or(rest)
            .trim_end();
    }
    rest = rest.trim_end_matches([',', ' ']);
    // The time is the last word: « 14h00 », « 14 h », « 14:00 ».
    let start = rest
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, 'h' | ':' | ' '))
        .last()
        .map(|(i, _)| i)?;
    let candidate = rest.get(start..)?.trim();
    let preceded_by_a =
        rest.get(..start)?.trim_end().ends_with(" a") || rest.get(..start)?.trim_end() == "a";
    let (time, len) = parse_time_len(candidate)?;
    (preceded_by_a && len == candidate.len()).then_some(time)
}

/// The AMI's window: from its opening to the last wave's closing (the calendar).
fn window() -> (NaiveDateTime, NaiveDateTime) {
    let calendar = calendar_data();
    let closes = calendar
        .waves
        .last()
        .map_or(NaiveDateTime::MAX, |wave| wave.closes);
    (calendar.opens.unwrap_or(NaiveDateTime::MIN), closes)
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
    parse_date_from(text, 0).map(|(date, _, end)| (date, end))
}

/// The first date of a folded text at or after byte `from`: the date, where it starts and
/// where it ends.
fn parse_date_from(text: &str, from: usize) -> Option<(NaiveDate, usize, usize)> {
    let tokens = tokens(text);
    for (i, (start, token)) in tokens.iter().enumerate() {
        if *start < from {
            continue;
        }
        // A date starts a word: not the « 22 » of « 2022 ».
        if *start > 0
            && text
                .as_bytes()
                .get(start - 1)
                .is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        // 14/12/2021, 14-12-2021, 14.12.2021, 14/12/21
        if let Some((date, len)) = numeric_date(text.get(*start..).unwrap_or("")) {
            return Some((date, *start, start + len));
        }
        // 2021-12-14
        if let Some((date, len)) = iso_date(text.get(*start..).unwrap_or("")) {
            return Some((date, *start, start + len));
        }
        // 14 décembre 2021, 1er décembre 2021
        let day = token
            .strip_suffix("er")
            .unwrap_or(token)
            .parse::<u32>()
            .ok();
        let month = tokens.get(i + 1).and_then(|(_, m)| month_of(m));
        let year = tokens
            .get(i + 2)
            .filter(|(_, y)| matches!(y.len(), 2 | 4))
            .and_then(|(_, y)| y.parse::<i32>().ok())
            // « 11 janv. 22 »
            .map(|y| if y < 100 { 2000 + y } else { y });
        if let (Some(day), Some(month), Some(year)) = (day, month, year)
            && let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
        {
            let (year_start, year_token) =
                tokens.get(i + 2).map(|(s, t)| (*s, *t)).unwrap_or((0, ""));
            return Some((date, *start, year_start + year_token.len()));
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

/// A time right after a date: « à 16h20 », « 16 h 20 », « 16:20 », « 16h », « à midi »,
/// « (16:05) », « – 16:05 ».
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    parse_time_len(text).map(|(time, _)| time)
}

/// As [`parse_time`], with the number of bytes the time (and what led to it) takes.
fn parse_time_len(text: &str) -> Option<(NaiveTime, usize)> {
    let trimmed = text.trim_start_matches([' ', ',', '-', '(', 't']);
    let trimmed = trimmed
        .strip_prefix("a ")
        .or_else(|| trimmed.strip_prefix("vers "))
        .unwrap_or(trimmed)
        .trim_start();
    let lead = text.len() - trimmed.len();
    if trimmed.starts_with("midi") {
        return Some((NaiveTime::from_hms_opt(12, 0, 0)?, lead + 4));
    }
    let (hour, a) = digits_at(trimmed, 2);
    if a == 0 {
        return None;
    }
    let after_hour = trimmed.get(a..)?;
    let rest = after_hour.trim_start();
    let rest = rest
        .strip_prefix("heures")
        .or_else(|| rest.strip_prefix('h'))
        .or_else(|| rest.strip_prefix(':'))?;
    let minutes_text = rest.trim_start();
    let (minute, b) = digits_at(minutes_text, 2);
    let used = trimmed.len() - minutes_text.len() + b;
    let time = NaiveTime::from_hms_opt(hour?, minute.unwrap_or(0), 0)?;
    let closing = usize::from(trimmed.get(used..).is_some_and(|r| r.starts_with(')')));
    Some((time, lead + used + closing))
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
struct RawCalendar {
    /// When the AMI opened: a deposit before it is not this AMI's.
    opens: Option<String>,
    wave: Vec<RawWave>,
}

/// The calendar, parsed: the AMI's opening and its waves by closing time.
#[derive(Clone, Debug, Default)]
struct CalendarData {
    opens: Option<NaiveDateTime>,
    waves: Vec<Wave>,
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
    &calendar_data().waves
}

fn calendar_data() -> &'static CalendarData {
    static CALENDAR: OnceLock<CalendarData> = OnceLock::new();
    CALENDAR.get_or_init(|| match toml::from_str::<RawCalendar>(WAVES_TOML) {
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
            let opens = calendar
                .opens
                .as_deref()
                .and_then(|o| NaiveDateTime::parse_from_str(o, "%Y-%m-%dT%H:%M:%S").ok());
            CalendarData { opens, waves }
        }
        Err(error) => {
            tracing::error!(%error, "the embedded wave calendar does not parse");
            CalendarData::default()
        }
    })
}

/// A wave calendar given by the caller (a pipeline declares its own): waves by closing time,
/// Paris local time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calendar {
    /// `(wave number, closing time)`, sorted by closing time.
    pub waves: Vec<(u8, NaiveDateTime)>,
}

impl Calendar {
    /// The wave a deposit belongs to: the first whose closing time is at or after it; `None`
    /// after the last.
    pub fn wave_of(&self, deposited: NaiveDateTime) -> Option<u8> {
        self.waves
            .iter()
            .find(|(_, closes)| deposited <= *closes)
            .map(|(number, _)| *number)
    }
}

/// The wave a deposit (Paris local time) belongs to in the embedded calendar: the first whose
/// closing time is at or after it; `None` after the last.
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
            "Date de dépôt : 2 avril 2022 à 10h",
            Some("2022-04-02T10:00:00+02:00"),
        );
        // A deposit word without a label needs a date in the AMI's window.
        check("Reçu le 2 avril 2022 à 10h", None);
        check(
            "Reçu le mercredi 8 décembre 2021 à 10h24",
            Some("2021-12-08T10:24:00+01:00"),
        );
        check(
            "Horodatage du dépôt : 11-01-2022 16:05",
            Some("2022-01-11T16:05:00+01:00"),
        );
        check(
            "Candidature transmise le 14/02/2022, 9 h 37",
            Some("2022-02-14T09:37:00+01:00"),
        );
        check(
            "Dépôt enregistré : 13 janv. 2022 – 11:58",
            Some("2022-01-13T11:58:00+01:00"),
        );
        check(
            "Enregistrée à 14h00, le mercredi 1er décembre 2021",
            Some("2021-12-01T14:00:00+01:00"),
        );
        check(
            "Dossier complet reçu par voie électronique le 23 décembre 2021 (11:11)",
            Some("2021-12-23T11:11:00+01:00"),
        );
        check(
            "Reçu le jeudi 3 mars 2022 à 11h41\nExport généré le 04/03/2022 à 13:31",
            Some("2022-03-03T11:41:00+01:00"),
        );
        check("Signé à Pointe-à-Pitre le 03/03/2022", None);
        check("Saint-Girons, 6 janvier 2022", None);
        check("Association déclarée en préfecture le 12 mars 2015", None);
        check("Dépôt du dossier signé le 12/01/2022", None);
        check(
            "Déposé le 11 janv. 22 à 9h",
            Some("2022-01-11T09:00:00+01:00"),
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
