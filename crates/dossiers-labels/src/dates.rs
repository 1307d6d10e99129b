//! French dates from the record's ISO 8601 strings: `2022-01-12T10:31:00+01:00` →
//! « 12 janvier 2022 à 10 h 31 ». The record already carries Paris local time with its offset,
//! so no time zone arithmetic is needed, only reading and writing.

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The parts of an ISO date or date-time, as written (no time zone arithmetic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsoDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Hour and minute, when a time is given.
    pub time: Option<(u32, u32)>,
}

/// Reads `2022-01-12`, `2022-01-12T10:31:00+01:00`, `2026-12-08T09:30:00Z` or the
/// space-separated `2021-12-24 18:00` of exports.
pub fn parse_iso(iso: &str) -> Option<IsoDate> {
    let iso = iso.trim();
    let (date, time) = match iso.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (iso, None),
    };
    let mut parts = date.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let time = match time {
        Some(time) => {
            let hour: u32 = time.get(0..2)?.parse().ok()?;
            let minute: u32 = time.get(3..5)?.parse().ok()?;
            // A time that is no time makes the whole value unreadable, not a bare date.
            if hour >= 24 || minute >= 60 {
                return None;
            }
            Some((hour, minute))
        }
        None => None,
    };
    Some(IsoDate {
        year,
        month,
        day,
        time,
    })
}

/// « 12 janvier 2022 » (« 1er mars 2022 »).
pub fn french_date(iso: &str) -> Option<String> {
    let IsoDate {
        year, month, day, ..
    } = parse_iso(iso)?;
    let month = MONTHS.get(month as usize - 1)?;
    let day = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    Some(format!("{day} {month} {year}"))
}

/// « 12 janvier 2022 à 10 h 31 », or the date alone when there is no time.
pub fn french_datetime(iso: &str) -> Option<String> {
    let date = french_date(iso)?;
    match parse_iso(iso)?.time {
        Some((hour, minute)) => Some(format!("{date} à {hour} h {minute:02}")),
        None => Some(date),
    }
}

/// « 12/01/2022 10:31 »: the short form a French spreadsheet reads as a date.
pub fn french_short(iso: &str) -> Option<String> {
    let IsoDate {
        year,
        month,
        day,
        time,
    } = parse_iso(iso)?;
    Some(match time {
        Some((hour, minute)) => format!("{day:02}/{month:02}/{year} {hour:02}:{minute:02}"),
        None => format!("{day:02}/{month:02}/{year}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_french() {
        let check = |iso: &str, long: Option<&str>, short: Option<&str>| {
            assert_eq!(french_datetime(iso).as_deref(), long, "{iso}");
            assert_eq!(french_short(iso).as_deref(), short, "{iso}");
        };
        check(
            "2022-01-12T10:31:00+01:00",
            Some("12 janvier 2022 à 10 h 31"),
            Some("12/01/2022 10:31"),
        );
        check("2022-03-01", Some("1er mars 2022"), Some("01/03/2022"));
        check(
            "2021-08-09T09:05:00+02:00",
            Some("9 août 2021 à 9 h 05"),
            Some("09/08/2021 09:05"),
        );
        check("2022-13-01", None, None);
        check("hier", None, None);
    }
}
