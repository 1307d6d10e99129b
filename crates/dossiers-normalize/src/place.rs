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

/// The first postal code of `text` that the reference data knows, with its commune.
pub fn read_place(text: &str) -> Option<Place> {
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
            let before = text.get(..start).unwrap_or("");
            let after = text.get(end..).unwrap_or("");
            if let Some(place) = place_of(&digits, before, after) {
                return Some(place);
            }
        }
        i = j.max(i + 1);
    }
    None
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

fn place_of(postal_code: &str, before: &str, after: &str) -> Option<Place> {
    // A postal code is followed by a commune name (« 79300 Bressuire ») or closed in
    // parentheses after it (« Bressuire (79300) »); « 45 000 € » and « 12 500 habitants » are
    // not postal codes.
    let next_word = after
        .trim_start_matches([' ', '\u{a0}', '\u{202f}', ',', '-'])
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let in_parentheses = before.trim_end().ends_with('(');
    let starts_with_letter = next_word.chars().next().is_some_and(char::is_alphabetic);
    if QUANTITIES.contains(&next_word.as_str()) || !(starts_with_letter || in_parentheses) {
        return None;
    }
    let communes = dossiers_geo::communes_by_postal_code(postal_code);
    if communes.is_empty() {
        return None;
    }
    // « 79300 Bressuire » or « Bressuire (79300) ».
    let name_after: String = after
        .trim_start_matches([' ', ',', '-', '\u{a0}'])
        .split(['\n', ',', '(', ';', '\t'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches(" cedex")
        .trim_end_matches(" CEDEX")
        .to_string();
    let name_before: String = before
        .trim_end_matches([' ', '(', ',', '-', '\u{a0}'])
        .rsplit(['\n', ',', ';', '\t', ':'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let found = [name_after.as_str(), name_before.as_str()]
        .iter()
        .filter(|n| !n.is_empty())
        .find_map(|name| dossiers_geo::find_commune(name, Some(postal_code)))
        .or_else(|| commune_named_after(after, communes))
        .or(match communes {
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
    // A name the reference data does not know is kept as written, up to the sentence's end.
    let written = name_after
        .split(". ")
        .next()
        .unwrap_or("")
        .trim_end_matches('.')
        .trim();
    let commune = found
        .map(|c| c.name.to_string())
        .or_else(|| (!written.is_empty()).then(|| written.to_string()));
    Some(Place {
        postal_code: postal_code.to_string(),
        commune,
        department,
        region,
    })
}

/// The commune of the postal code whose name comes first in the words that follow it, when
/// something else is glued to the name (« 33220 Sainte-Foy-la-Grande. SIREN : … ») or a label
/// comes between (« 34700 / Commune : Lodève », a form's two fields).
fn commune_named_after(
    after: &str,
    communes: &'static [dossiers_geo::Commune],
) -> Option<&'static dossiers_geo::Commune> {
    const WINDOW_CHARS: usize = 80;
    let window: String = after.chars().take(WINDOW_CHARS).collect();
    let haystack = format!(" {} ", dossiers_geo::fold_commune_name(&window));
    communes
        .iter()
        .filter_map(|commune| {
            let name = dossiers_geo::fold_commune_name(commune.name);
            let at = haystack.find(&format!(" {name} "))?;
            Some((at, std::cmp::Reverse(name.len()), commune))
        })
        .min_by_key(|(at, longest, _)| (*at, *longest))
        .map(|(_, _, commune)| commune)
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
    }
}
