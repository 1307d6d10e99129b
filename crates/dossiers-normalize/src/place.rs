//! Where the applicant is registered: postal code, commune, department and region, from an
//! address as written (« 10 place du Marché, 79300 Bressuire », « Bressuire (79300) ») and the
//! embedded reference data of `dossiers-geo`.

/// A place read from an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub postal_code: String,
    /// The commune's official name when the reference data knows it, else as written.
    pub commune: Option<String>,
    pub department: Option<String>,
    pub region: Option<String>,
}

/// A place found in a text: where, and whether the commune was confirmed by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaceCandidate {
    pub place: Place,
    /// Byte range in the text of the postal code (or of the commune name when none is given).
    pub start: usize,
    pub end: usize,
    /// The commune's name is written beside the postal code (or its department beside the
    /// name) and the reference data agrees; else the postal code alone chose the commune, or
    /// none.
    pub confirmed: bool,
}

/// The first place of `text` the reference data knows: a confirmed one if any, else the first.
pub fn read_place(text: &str) -> Option<Place> {
    let candidates = place_candidates(text);
    candidates
        .iter()
        .find(|c| c.confirmed)
        .or(candidates.first())
        .map(|c| c.place.clone())
}

/// Every place of `text`: postal codes the reference data knows, in an address's shape
/// (« 79300 Bressuire », « Bressuire (79300) », « code postal 46100 »), each with the commune
/// its line names; then communes named with their department (« Figeac, dans le Lot (46) »,
/// « Figeac (46) »). A commune the reference data does not confirm is left out, never
/// written as found.
pub fn place_candidates(text: &str) -> Vec<PlaceCandidate> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, ch) = chars.get(i).copied().unwrap_or((0, ' '));
        let boundary = i == 0 || chars.get(i - 1).is_some_and(|(_, c)| !c.is_alphanumeric());
        if !(ch.is_ascii_digit() && boundary) {
            i += 1;
            continue;
        }
        // Five digits, possibly written « 79 300 ».
        let mut digits = String::new();
        let mut j = i;
        while let Some((_, c)) = chars.get(j) {
            if c.is_ascii_digit() {
                digits.push(*c);
            } else if !(matches!(c, ' ' | '\u{a0}' | '\u{202f}') && digits.len() == 2) {
                break;
            }
            j += 1;
            if digits.len() == 5 {
                break;
            }
        }
        let followed_by_digit = chars.get(j).is_some_and(|(_, c)| c.is_ascii_digit());
        if digits.len() == 5 && !followed_by_digit {
            let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
            if let Some((place, confirmed)) = place_of(&digits, text, start, end) {
                out.push(PlaceCandidate {
                    place,
                    start,
                    end,
                    confirmed,
                });
            }
        }
        i = j.max(i + 1);
    }
    out.extend(communes_with_department(text));
    out.sort_by_key(|c| c.start);
    out
}

/// Words that, after five digits, make them a quantity rather than a postal code.
const QUANTITIES: &[&str] = &[
    "euros",
    "euro",
    "eur",
    "€",
    "k€",
    "habitants",
    "hab",
    "hab.",
    "m2",
    "m²",
    "ha",
    "salaries",
    "salariés",
    "emplois",
    "personnes",
    "visiteurs",
    "km",
    "heures",
    "h",
    "usagers",
    "adherents",
    "adhérents",
    "%",
];

/// Where one segment of an address line ends.
const SEGMENT_BREAKS: &[char] = &[',', ';', '\t', ':', '(', ')', '|', '·', '–', '—', '\n'];

fn place_of(postal_code: &str, text: &str, start: usize, end: usize) -> Option<(Place, bool)> {
    let before = text.get(..start).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    // A postal code is followed by a commune name (« 79300 Bressuire »), closed in parentheses
    // after it (« Bressuire (79300) ») or labelled (« code postal 46100 »); « 45 000 € » and
    // « 12 500 habitants » are not postal codes.
    let next_word = after
        .trim_start_matches([' ', '\u{a0}', '\u{202f}', ',', '-'])
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let in_parentheses = before.trim_end().ends_with('(');
    let labelled = {
        let tail: String = before
            .chars()
            .rev()
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let folded = crate::text::fold(&tail);
        let label = folded.trim_end_matches([' ', ':', ';', '|', '\t', '-']);
        label.ends_with("code postal") || label.ends_with("cp") || label.ends_with("cp / ville")
    };
    let starts_with_letter = next_word.chars().next().is_some_and(char::is_alphabetic);
    if QUANTITIES.contains(&next_word.as_str())
        || !(starts_with_letter || in_parentheses || labelled)
    {
        return None;
    }
    let communes = dossiers_geo::communes_by_postal_code(postal_code);
    if communes.is_empty() {
        return None;
    }
    let line_before = before.rsplit('\n').next().unwrap_or("");
    let line_after = after.split('\n').next().unwrap_or("");
    // The segment right after the code (« 79300 Bressuire »), then the one right before it
    // (« Bressuire (79300) », « 8 place du Marché – Nontron (24300) »).
    let name_after = line_after
        .trim_start_matches([' ', ',', '-', '\u{a0}'])
        .split(SEGMENT_BREAKS)
        .next()
        .unwrap_or("")
        .trim();
    let name_before = line_before
        .trim_end_matches([' ', '(', ',', '-', '\u{a0}'])
        .rsplit(SEGMENT_BREAKS)
        .next()
        .unwrap_or("")
        .trim();
    let named = [name_after, name_before]
        .iter()
        .filter(|n| !n.is_empty())
        .find_map(|name| dossiers_geo::find_commune(name, Some(postal_code)))
        .or_else(|| {
            // A form with the commune in a field of its own, on the next line.
            let forward = if line_after.trim().is_empty() {
                after
                    .trim_start_matches('\n')
                    .split('\n')
                    .next()
                    .unwrap_or("")
            } else {
                line_after
            };
            commune_named_in(forward, communes, false)
        })
        .or_else(|| commune_named_in(line_before, communes, true))
        .or_else(|| {
            // « Commune : Saint-Claude » on the line above « Code postal : 97120 ».
            let above = before
                .strip_suffix(line_before)
                .unwrap_or("")
                .trim_end_matches('\n')
                .rsplit('\n')
                .next()
                .unwrap_or("");
            commune_named_in(above, communes, true)
        });
    let found = named.or(match communes {
        [only] => Some(only),
        _ => None,
    });
    let department = found
        .map(|c| c.department.to_string())
        .or_else(|| dossiers_geo::department_of_postal_code(postal_code).map(str::to_string));
    let region = found.map(|c| c.region.to_string()).or_else(|| {
        department
            .as_deref()
            .and_then(dossiers_geo::region_of_department)
            .map(str::to_string)
    });
    Some((
        Place {
            postal_code: postal_code.to_string(),
            commune: found.map(|c| c.name.to_string()),
            department,
            region,
        },
        named.is_some(),
    ))
}

/// The commune of the postal code whose name is written in a stretch of its line: the first
/// after the code (« 33220 Sainte-Foy-la-Grande. SIREN : … »), or the last before it (« Siège :
/// 8 rue de la Filature, Annonay, en Ardèche (07) – code postal 07100 »).
fn commune_named_in(
    stretch: &str,
    communes: &'static [dossiers_geo::Commune],
    last: bool,
) -> Option<&'static dossiers_geo::Commune> {
    const WINDOW_CHARS: usize = 100;
    let window: String = if last {
        let chars: Vec<char> = stretch.chars().collect();
        chars
            .get(chars.len().saturating_sub(WINDOW_CHARS)..)
            .unwrap_or(&[])
            .iter()
            .collect()
    } else {
        stretch.chars().take(WINDOW_CHARS).collect()
    };
    let haystack = format!(" {} ", dossiers_geo::fold_commune_name(&window));
    let found = communes.iter().filter_map(|commune| {
        let name = dossiers_geo::fold_commune_name(commune.name);
        let at = if last {
            haystack.rfind(&format!(" {name} "))?
        } else {
            haystack.find(&format!(" {name} "))?
        };
        Some((at, name.len(), commune))
    });
    let best = if last {
        found.max_by_key(|(at, len, _)| (*at, *len))
    } else {
        found.min_by_key(|(at, len, _)| (*at, std::cmp::Reverse(*len)))
    };
    best.map(|(_, _, commune)| commune)
}

/// Communes written with their department and no postal code: « Figeac, dans le Lot (46) »,
/// « Figeac (46) », « Annonay, en Ardèche ». The department decides among homonyms; a name
/// the reference data does not place in that department is not a commune.
fn communes_with_department(text: &str) -> Vec<PlaceCandidate> {
    let mut out = Vec::new();
    for (line_start, line) in lines_with_offsets(text) {
        // « Name (46) »: a department code in parentheses right after a name.
        let mut search = 0;
        while let Some(open) = line
            .get(search..)
            .and_then(|r| r.find('('))
            .map(|i| i + search)
        {
            let close = line.get(open..).and_then(|r| r.find(')')).map(|i| i + open);
            let Some(close) = close else { break };
            let inside = line.get(open + 1..close).unwrap_or("").trim();
            search = close + 1;
            // « (46) » or « (Finistère) »
            let department = if (2..=3).contains(&inside.len()) {
                dossiers_geo::department(inside).map(|d| d.code)
            } else {
                dossiers_geo::find_department(inside).map(|d| d.code)
            };
            if department.is_none() {
                continue;
            }
            let before = line.get(..open).unwrap_or("");
            if let Some(candidate) =
                department.and_then(|dep| commune_before(before, dep, line_start))
            {
                out.push(candidate);
            }
        }
        // « Name, dans le Lot », « Name, en Ardèche »: a department named after the commune.
        let folded = crate::text::Folded::new(line);
        for lead in [
            ", dans le ",
            ", dans la ",
            ", dans l'",
            ", dans les ",
            ", en ",
        ] {
            for (at, _) in folded.text.match_indices(lead) {
                let rest = folded.original_span(at + lead.len(), folded.text.len());
                let name: String = rest
                    .split(SEGMENT_BREAKS)
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .take(4)
                    .collect::<Vec<_>>()
                    .join(" ");
                let department = (1..=name.split_whitespace().count()).rev().find_map(|n| {
                    let words: Vec<&str> = name.split_whitespace().take(n).collect();
                    dossiers_geo::find_department(&words.join(" "))
                });
                let Some(department) = department else {
                    continue;
                };
                let before_original = &line[..folded.original_offset(at).min(line.len())];
                if let Some(candidate) =
                    commune_before(before_original, department.code, line_start)
                    && !out
                        .iter()
                        .any(|c: &PlaceCandidate| c.start == candidate.start)
                {
                    out.push(candidate);
                }
            }
        }
    }
    out
}

/// The commune whose name ends `before` (its last segment, then its last one to four words),
/// placed in `department`.
fn commune_before(before: &str, department: &str, offset: usize) -> Option<PlaceCandidate> {
    let segment = before
        .trim_end_matches([' ', ',', '\u{a0}'])
        .rsplit(SEGMENT_BREAKS)
        .next()
        .unwrap_or("")
        .trim();
    let words: Vec<&str> = segment.split_whitespace().collect();
    let commune = (1..=words.len().min(5)).rev().find_map(|n| {
        let name = words.get(words.len() - n..)?.join(" ");
        name.starts_with(char::is_uppercase)
            .then(|| dossiers_geo::find_commune_in_department(&name, department))
            .flatten()
    })?;
    let start = offset + before.len().saturating_sub(segment.len());
    let postal_code = commune.postal_codes().next().map(str::to_string)?;
    let single_code = commune.postal_codes().count() == 1;
    Some(PlaceCandidate {
        place: Place {
            // A commune with several postal codes does not tell which one.
            postal_code: if single_code {
                postal_code
            } else {
                String::new()
            },
            commune: Some(commune.name.to_string()),
            department: Some(commune.department.to_string()),
            region: Some(commune.region.to_string()),
        },
        start,
        end: offset + before.len(),
        confirmed: true,
    })
}

/// True when the line of `text` around `at` speaks of the applicant's own address (« Siège :
/// … », « Adresse : … »).
pub fn says_address(line: &str) -> bool {
    let folded = crate::text::Folded::new(line);
    !crate::lexicon::lexicon()
        .place
        .address_cues
        .find(&folded)
        .is_empty()
}

/// True when the place at `at` belongs to someone else: a letter's recipient block (a line
/// naming the ANCT or addressed « à l'attention de », and the two lines under it) or a line
/// about a partner or a funder.
pub fn is_someone_elses(text: &str, at: usize) -> bool {
    let words = &crate::lexicon::lexicon().place;
    let line_start = text
        .get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let mut lines: Vec<&str> = text
        .get(..line_start)
        .unwrap_or("")
        .trim_end_matches('\n')
        .rsplit('\n')
        .take(3)
        .collect();
    let this_line = text
        .get(line_start..)
        .unwrap_or("")
        .split('\n')
        .next()
        .unwrap_or("");
    lines.push(this_line);
    lines.iter().any(|line| {
        let folded = crate::text::Folded::new(line);
        !words.recipient_cues.find(&folded).is_empty()
    }) || {
        let folded = crate::text::Folded::new(this_line);
        !words.other_cues.find(&folded).is_empty() && !says_address(this_line)
    }
}

fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split('\n').map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        (start, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<(&str, &str, &str, &str)>) {
        let got = read_place(input);
        let got = got.as_ref().map(|p| {
            (
                p.postal_code.as_str(),
                p.commune.as_deref().unwrap_or(""),
                p.department.as_deref().unwrap_or(""),
                p.region.as_deref().unwrap_or(""),
            )
        });
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn places() {
        check(
            "10 place du Marché, 79300 Bressuire",
            Some(("79300", "Bressuire", "79", "75")),
        );
        check(
            "Bressuire (79300)",
            Some(("79300", "Bressuire", "79", "75")),
        );
        check(
            "12 rue X 79 300 BRESSUIRE",
            Some(("79300", "Bressuire", "79", "75")),
        );
        check(
            "30 rue des Écoles, 20250 Corte",
            Some(("20250", "Corte", "2B", "94")),
        );
        check(
            "42 boulevard Jean-Jaurès, 97470 Saint-Benoît",
            Some(("97470", "Saint-Benoît", "974", "04")),
        );
        check(
            "37 rue Pasteur, 02500 Hirson",
            Some(("02500", "Hirson", "02", "32")),
        );
        check("SIRET 331 667 410 00053", None);
        check("pas d'adresse", None);
        check("un budget de 45 000 € pour 12 500 habitants", None);
        check(
            "Siège : 4 rue Pasteur – 52200 LANGRES",
            Some(("52200", "Langres", "52", "44")),
        );
        // A postal code shared by several communes, the name followed by the next sentence.
        check(
            "Son siège est 17 rue Victor Hugo, 33220 Sainte-Foy-la-Grande. SIREN : 818 204 339.",
            Some(("33220", "Sainte-Foy-la-Grande", "33", "75")),
        );
        // A form with the postal code and the commune in fields of their own.
        check(
            "Code postal ; 34700\nCommune ; Lodève",
            Some(("34700", "Lodève", "34", "76")),
        );
        check(
            "Adresse postale : 8 place du Marché – Nontron (24300)",
            Some(("24300", "Nontron", "24", "75")),
        );
        check(
            "Porteur : Association Les Mains Libres du Pays d'Ouche – 61300 L'Aigle",
            Some(("61300", "L'Aigle", "61", "28")),
        );
        check(
            "Siège : 8 rue de la Filature, Annonay, en Ardèche (07) – code postal 07100",
            Some(("07100", "Annonay", "07", "84")),
        );
        check(
            "Porteur : Usinage & Territoire – Saint-Étienne, dans la Loire (42)",
            Some(("", "Saint-Étienne", "42", "84")),
        );
        check("Figeac (46)", Some(("46100", "Figeac", "46", "76")));
        check(
            "Douarnenez (Finistère)\nCode postal 29100",
            Some(("29100", "Douarnenez", "29", "53")),
        );
        check(
            "Commune ; Saint-Claude\nCode postal ; 97120",
            Some(("97120", "Saint-Claude", "971", "01")),
        );
        // A name the reference data does not place under the postal code is not written.
        check("24300 Nulle-Part-Ailleurs", Some(("24300", "", "24", "75")));
    }
}
