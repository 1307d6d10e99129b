//! French administrative reference data, embedded: communes with their postal codes,
//! departments and regions, so that normalisation can turn the « Bressuire, 79300 » of a dossier
//! into department `79` and region `75` without a network call or a data file at run time.
//!
//! The data is the Code officiel géographique at 1 January 2022 (the millésime in force while
//! the « Manufactures de proximité » dossiers were deposited) with La Poste postal codes, as
//! published in the npm package `@etalab/decoupage-administratif` 2.3.1 and converted by
//! `data/make.py`; `data/README.md` gives the source, the licence and how to regenerate it.
//! The tables are parsed on first use (10–20 ms in a release build, and as much again for the
//! name index on the first lookup by name) and every lookup after that is a binary search or a
//! hash lookup, well under a microsecond (`benches/lookups.rs`).
//!
//! Codes are strings everywhere: departments `01`…`95`, `2A`, `2B`, `971`…`976` (and the
//! overseas collectivities `975`, `977`, `978`, `984`, `986`…`989`), regions by their INSEE
//! 2016 code (`11`…`94`, `01`…`06`).
//!
//! ```
//! use dossiers_geo::*;
//! assert_eq!(department_of_postal_code("79300"), Some("79"));
//! assert_eq!(region_of_department("79"), Some("75"));
//! assert_eq!(department_of_postal_code("20167"), Some("2A"));
//! let commune = find_commune("st-etienne", None).unwrap();
//! assert_eq!((commune.insee, commune.name), ("42218", "Saint-Étienne"));
//! ```

mod data;
mod fold;

use std::borrow::Cow;
use std::collections::HashMap;

pub use fold::{fold, fold_commune_name};

use data::{NameEntry, names, tables};

/// Where a region or department lies; the overseas collectivities (COM) are not regions in the
/// INSEE sense, and callers that need INSEE 2016 regions can tell them apart by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// Metropolitan France, Corsica included.
    Metropole,
    /// The five overseas departments and regions: Guadeloupe, Martinique, Guyane, La Réunion,
    /// Mayotte.
    Drom,
    /// The overseas collectivities (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin,
    /// TAAF, Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie, Clipperton). The source
    /// gives each one a « region » whose code is its own code (`975`…).
    Com,
}

/// A region (2016 map).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    /// INSEE code: `11` Île-de-France, `94` Corse, `04` La Réunion… (`975`… for a COM).
    pub code: &'static str,
    pub name: &'static str,
    pub zone: Zone,
}

/// A department (or an overseas collectivity, see [`Zone::Com`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Department {
    /// INSEE code: `01`…`95`, `2A`, `2B`, `971`…`976`, `975`, `977`…
    pub code: &'static str,
    pub name: &'static str,
    /// The code of its [`Region`].
    pub region: &'static str,
    pub zone: Zone,
}

/// A current commune (COG 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Commune {
    /// The INSEE code (code officiel géographique): 5 characters, not a postal code
    /// (`79049` Bressuire, `2A004` Ajaccio, `97411` Saint-Denis de La Réunion).
    pub insee: &'static str,
    /// The official name, with its accents: `Saint-Étienne`, `L'Haÿ-les-Roses`.
    pub name: &'static str,
    /// The department code.
    pub department: &'static str,
    /// The region code.
    pub region: &'static str,
    /// Its postal codes separated by single spaces, sorted; empty for the few communes without
    /// a postal code (the TAAF districts).
    pub(crate) postal_codes: &'static str,
}

impl Commune {
    /// Its postal codes, sorted. A commune can have several (Ajaccio: 20000, 20090, 20167) and
    /// a postal code can serve several communes, see [`communes_by_postal_code`].
    pub fn postal_codes(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.postal_codes.split_ascii_whitespace()
    }

    /// Whether `postal_code` (5 digits) is one of its postal codes.
    pub fn has_postal_code(&self, postal_code: &str) -> bool {
        self.postal_codes().any(|code| code == postal_code)
    }
}

/// The region with this INSEE code (`"75"` → Nouvelle-Aquitaine).
pub fn region(code: &str) -> Option<&'static Region> {
    let regions = &tables().regions;
    let code = code.trim();
    let index = regions.binary_search_by_key(&code, |r| r.code).ok()?;
    regions.get(index)
}

/// The department with this code. Case does not matter (`"2a"`), and a single digit is read as
/// the department a spreadsheet stripped of its leading zero (`"1"` → Ain).
pub fn department(code: &str) -> Option<&'static Department> {
    let code = code.trim();
    let departments = &tables().departments;
    let find = |code: &str| {
        departments
            .binary_search_by_key(&code, |d| d.code)
            .ok()
            .and_then(|i| departments.get(i))
    };
    match code {
        "2a" => find("2A"),
        "2b" => find("2B"),
        _ if code.len() == 1 => find(&format!("0{code}")),
        _ => find(code),
    }
}

/// The region code of a department (`"79"` → `"75"`, `"2A"` → `"94"`, `"974"` → `"04"`).
pub fn region_of_department(department_code: &str) -> Option<&'static str> {
    department(department_code).map(|d| d.region)
}

/// The department a name designates, compared by [`fold_commune_name`]
/// (`"deux sevres"` → Deux-Sèvres, `"Corse du Sud"` → 2A). A linear scan of 109 names: meant
/// for the odd « Département : … » field, not for a loop.
pub fn find_department(name: &str) -> Option<&'static Department> {
    let key = fold_commune_name(name);
    if key.is_empty() {
        return None;
    }
    tables()
        .departments
        .iter()
        .find(|d| fold_commune_name(d.name) == key)
}

/// The region a name designates, compared by [`fold_commune_name`] (`"Ile de France"` → 11,
/// `"PACA"` is not recognised: only official names are).
pub fn find_region(name: &str) -> Option<&'static Region> {
    let key = fold_commune_name(name);
    if key.is_empty() {
        return None;
    }
    tables()
        .regions
        .iter()
        .find(|r| fold_commune_name(r.name) == key)
}

/// The current commune with this INSEE code. The code of a commune déléguée or associée, or of
/// an arrondissement of Paris, Lyon or Marseille (`75111`), gives the commune it belongs to
/// (Paris), which is what a department or region lookup wants. `2a004` and `1001` (a code a
/// spreadsheet stored as a number) are read as `2A004` and `01001`.
pub fn commune(insee: &str) -> Option<&'static Commune> {
    let tables = tables();
    let insee = insee.trim();
    let insee = match insee {
        _ if insee.starts_with("2a") => format!("2A{}", insee.get(2..).unwrap_or_default()),
        _ if insee.starts_with("2b") => format!("2B{}", insee.get(2..).unwrap_or_default()),
        // A spreadsheet that took the code for a number dropped its leading zero.
        _ if insee.len() == 4 && insee.bytes().all(|b| b.is_ascii_digit()) => format!("0{insee}"),
        _ => insee.to_owned(),
    };
    let index = match tables
        .communes
        .binary_search_by_key(&insee.as_str(), |c| c.insee)
    {
        Ok(index) => index,
        Err(_) => {
            let alias = tables
                .alias_codes
                .binary_search_by_key(&insee.as_str(), |(code, _)| code)
                .ok()?;
            tables.alias_codes.get(alias)?.1
        }
    };
    tables.communes.get(index)
}

/// The five digits of a postal code as written in a dossier: surrounding and inner spaces
/// (ordinary or non-breaking: `79 300`) are dropped, and four digits are read as a code whose
/// leading zero a spreadsheet stripped (`1200` → `01200`). Anything else is `None`.
pub fn normalize_postal_code(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(5);
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    match digits.len() {
        5 => Some(digits),
        4 => Some(format!("0{digits}")),
        _ => None,
    }
}

/// The communes served by a postal code, sorted by INSEE code; empty when the code is unknown
/// (a CEDEX code, a typo) or malformed. `"79300"` gives Bressuire and its neighbours; Paris,
/// Lyon and Marseille are returned as one commune for each arrondissement's postal code.
pub fn communes_by_postal_code(postal_code: &str) -> &'static [Commune] {
    match normalize_postal_code(postal_code) {
        Some(code) => communes_by_normalized_postal_code(&code),
        None => &[],
    }
}

fn communes_by_normalized_postal_code(code: &str) -> &'static [Commune] {
    let Ok(number) = code.parse::<u32>() else {
        return &[];
    };
    let tables = tables();
    let start = tables.postal_keys.partition_point(|key| *key < number);
    let end = tables.postal_keys.partition_point(|key| *key <= number);
    tables.postal_communes.get(start..end).unwrap_or_default()
}

/// The department of a postal code, as the dossiers' conventions derive it.
///
/// A postal code the data knows gives the department of its communes. The few codes that
/// serve communes of two departments (`05110`, `01200`…) give the department their first two
/// digits name when one of the communes lies there, else the department of most of them.
/// An unknown code (a CEDEX code such as `75700` or `13284`) falls back to the rule: the first
/// two digits; for `20…` 20000–20199 → `2A` and 20200–20999 → `2B`; for `97…` and `98…` the
/// first three digits when that is a department or collectivity (`97100` → `971`, `98800` →
/// `988`). So `98000` (Monaco, not French) and `96…`/`00…` are `None`.
///
/// Saint-Barthélemy (`97133`) and Saint-Martin (`97150`) use Guadeloupe's postal range but are
/// collectivities of their own since 2007: the data says `977` and `978`, and so does this.
pub fn department_of_postal_code(postal_code: &str) -> Option<&'static str> {
    let code = normalize_postal_code(postal_code)?;
    let by_rule = department_by_rule(&code);
    let communes = communes_by_normalized_postal_code(&code);
    if let Some(rule) = by_rule
        && let Some(commune) = communes.iter().find(|c| c.department == rule)
    {
        return Some(commune.department);
    }
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    for commune in communes {
        *counts.entry(commune.department).or_default() += 1;
    }
    counts
        .into_iter()
        // Ties are broken by the code so that the answer does not depend on hash order.
        .max_by_key(|(department, count)| (*count, std::cmp::Reverse(*department)))
        .map(|(department, _)| department)
        .or(by_rule)
}

/// The region code of a postal code: [`department_of_postal_code`] then
/// [`region_of_department`].
pub fn region_of_postal_code(postal_code: &str) -> Option<&'static str> {
    region_of_department(department_of_postal_code(postal_code)?)
}

/// The department a 5-digit postal code names by its digits alone.
fn department_by_rule(code: &str) -> Option<&'static str> {
    let prefix = match code.get(..2)? {
        "20" => {
            let number: u32 = code.parse().ok()?;
            if number < 20200 { "2A" } else { "2B" }
        }
        "97" | "98" => code.get(..3)?,
        two => two,
    };
    let departments = &tables().departments;
    let index = departments.binary_search_by_key(&prefix, |d| d.code).ok()?;
    departments.get(index).map(|d| d.code)
}

/// The commune a name designates, or `None` when it is unknown or ambiguous.
///
/// Names are compared by [`fold_commune_name`]: case, accents, hyphens, apostrophes and
/// `St`/`Ste` do not matter (`st-etienne` finds Saint-Étienne). A trailing `CEDEX …` or
/// arrondissement number (`Lyon 3e`, `Marseille 8ème arrondissement`) is ignored when the full
/// name is not a commune, and so is a missing or extra leading article (`Creusot` finds Le
/// Creusot) when the name as written is no commune. Former names of communes merged into a commune nouvelle (communes
/// déléguées and associées, COG 2022) lead to the commune they belong to, but a current name
/// wins over a former one.
///
/// The postal code, when given and well-formed, chooses among homonyms: first the communes it
/// serves, then the communes of its department. When it contradicts every commune of that
/// name, the answer is `None`, not a guess. Without a postal code a name shared by several
/// communes (1 453 names are, `Sainte-Colombe` twelve times) is `None`; see
/// [`find_communes`] and [`find_commune_in_department`].
pub fn find_commune(name: &str, postal_code: Option<&str>) -> Option<&'static Commune> {
    let entries = name_entries(name)?;
    let Some(code) = postal_code.and_then(normalize_postal_code) else {
        return choose(&entries, |_| true).one();
    };
    match choose(&entries, |c| c.has_postal_code(&code)) {
        Choice::One(commune) => return Some(commune),
        Choice::Many => return None,
        Choice::Zero => {}
    }
    let mut departments: Vec<&str> = communes_by_normalized_postal_code(&code)
        .iter()
        .map(|c| c.department)
        .collect();
    departments.extend(department_by_rule(&code));
    choose(&entries, |c| departments.contains(&c.department)).one()
}

/// The commune a name designates in a department (`"Saint-Denis"`, `"974"`), or `None` when
/// it is unknown or ambiguous there.
pub fn find_commune_in_department(name: &str, department_code: &str) -> Option<&'static Commune> {
    let department = department(department_code)?;
    choose(&name_entries(name)?, |c| c.department == department.code).one()
}

/// Every commune a name may designate: current names first, then communes whose former name
/// it is, each commune once, in INSEE order within each group.
pub fn find_communes(name: &str) -> Vec<&'static Commune> {
    let Some(entries) = name_entries(name) else {
        return Vec::new();
    };
    let communes = &tables().communes;
    let mut found: Vec<(bool, &'static Commune)> = entries
        .iter()
        .filter_map(|entry| Some((entry.alias, communes.get(entry.commune)?)))
        .collect();
    found.sort_by_key(|(alias, commune)| (*alias, commune.insee));
    let mut seen = Vec::with_capacity(found.len());
    found
        .into_iter()
        .filter(|(_, commune)| {
            let new = !seen.contains(&commune.insee);
            seen.push(commune.insee);
            new
        })
        .map(|(_, commune)| commune)
        .collect()
}

/// The index entries for a name: as written; else without an address suffix; else with its
/// leading article dropped or, when it has none, with each article put in front (`Creusot` →
/// `Le Creusot`). The article variants are only a fallback because 186 names exist both with
/// and without one (`Vernet`, `Le Vernet`); all that match are returned, for [`choose`] to
/// settle.
fn name_entries(name: &str) -> Option<Cow<'static, [NameEntry]>> {
    let names = names();
    let key = fold_commune_name(name);
    if key.is_empty() {
        return None;
    }
    if let Some(entries) = names.get(&key) {
        return Some(Cow::Borrowed(entries));
    }
    let stripped = strip_address_suffix(&key);
    if stripped.is_empty() {
        return None;
    }
    if let Some(entries) = names.get(stripped) {
        return Some(Cow::Borrowed(entries));
    }
    const ARTICLES: [&str; 4] = ["le ", "la ", "les ", "l "];
    let variants: Vec<String> = match ARTICLES
        .iter()
        .find_map(|article| stripped.strip_prefix(article))
    {
        Some(without_article) => vec![without_article.to_owned()],
        None => ARTICLES
            .iter()
            .map(|article| format!("{article}{stripped}"))
            .collect(),
    };
    let entries: Vec<NameEntry> = variants
        .iter()
        .filter_map(|variant| names.get(variant))
        .flatten()
        .copied()
        .collect();
    (!entries.is_empty()).then_some(Cow::Owned(entries))
}

/// `niort cedex 9` → `niort`, `lyon 3e` → `lyon`, `paris 11e arrondissement` → `paris`: the
/// parts of an address line after the commune name. No commune name contains a digit, so
/// trailing numbers can go.
fn strip_address_suffix(key: &str) -> &str {
    let key = match key.find(" cedex") {
        Some(index) => key.get(..index).unwrap_or(key),
        None => key,
    };
    let mut key = key;
    while let Some((head, last)) = key.rsplit_once(' ') {
        let is_suffix = matches!(
            last,
            "arrondissement" | "arrdt" | "arr" | "er" | "e" | "eme"
        ) || last.starts_with(|c: char| c.is_ascii_digit());
        if !is_suffix {
            break;
        }
        key = head;
    }
    key
}

/// The outcome of narrowing a name's entries.
enum Choice {
    Zero,
    One(&'static Commune),
    Many,
}

impl Choice {
    fn one(self) -> Option<&'static Commune> {
        match self {
            Choice::One(commune) => Some(commune),
            Choice::Zero | Choice::Many => None,
        }
    }
}

/// Keeps the entries whose commune passes `keep`; current names are considered before former
/// ones, and within the first group that has any, exactly one distinct commune must remain.
fn choose(entries: &[NameEntry], keep: impl Fn(&Commune) -> bool) -> Choice {
    let communes = &tables().communes;
    for alias in [false, true] {
        let mut chosen: Option<&'static Commune> = None;
        for entry in entries.iter().filter(|entry| entry.alias == alias) {
            let Some(commune) = communes.get(entry.commune) else {
                continue;
            };
            if !keep(commune) {
                continue;
            }
            match chosen {
                None => chosen = Some(commune),
                Some(previous) if previous.insee != commune.insee => return Choice::Many,
                Some(_) => {}
            }
        }
        if let Some(commune) = chosen {
            return Choice::One(commune);
        }
    }
    Choice::Zero
}

/// Where an applicant is, as far as its commune name and postal code tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The commune, when the name designates one that agrees with the postal code.
    pub commune: Option<&'static Commune>,
    /// The postal code as 5 digits, when it is well-formed.
    pub postal_code: Option<String>,
    /// The department code.
    pub department: Option<&'static str>,
    /// The region code of that department.
    pub region: Option<&'static str>,
}

/// Locates an applicant from the commune name and postal code a dossier gives, either of which
/// may be missing. The department comes from the commune when one is found (it agrees with the
/// postal code by construction, and it settles the postal codes shared by two departments),
/// else from the postal code ([`department_of_postal_code`]); the region from the department.
///
/// ```
/// let here = dossiers_geo::locate(Some("Corte"), Some("20250"));
/// assert_eq!(here.commune.map(|c| c.insee), Some("2B096"));
/// assert_eq!((here.department, here.region), (Some("2B"), Some("94")));
/// let cedex = dossiers_geo::locate(None, Some("75700"));
/// assert_eq!((cedex.department, cedex.region), (Some("75"), Some("11")));
/// ```
pub fn locate(commune_name: Option<&str>, postal_code: Option<&str>) -> Location {
    let postal_code = postal_code.and_then(normalize_postal_code);
    let commune = commune_name.and_then(|name| find_commune(name, postal_code.as_deref()));
    let department = commune
        .map(|c| c.department)
        .or_else(|| department_of_postal_code(postal_code.as_deref()?));
    Location {
        commune,
        postal_code,
        department,
        region: department.and_then(region_of_department),
    }
}
