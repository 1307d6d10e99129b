//! The embedded tables and their indexes, parsed once on first use. The TSV files are written by
//! `data/make.py` and compiled into the binary, so a lookup never touches the file system; a
//! malformed line (which `make.py` cannot produce) is skipped rather than trusted, and the
//! tests pin the row counts so that a skipped line does not go unnoticed.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{Commune, Department, Region, Zone, fold_commune_name};

const REGIONS_TSV: &str = include_str!("../data/regions.tsv");
const DEPARTEMENTS_TSV: &str = include_str!("../data/departements.tsv");
const COMMUNES_TSV: &str = include_str!("../data/communes.tsv");
const ALIASES_TSV: &str = include_str!("../data/aliases.tsv");

/// The code tables, sorted by code for binary search.
#[derive(Debug)]
pub(crate) struct Tables {
    pub(crate) regions: Vec<Region>,
    pub(crate) departments: Vec<Department>,
    /// Current communes, sorted by INSEE code.
    pub(crate) communes: Vec<Commune>,
    /// Old or sub-municipal INSEE codes (communes déléguées / associées, arrondissements
    /// municipaux) and the index in `communes` of the commune they belong to, sorted by code.
    pub(crate) alias_codes: Vec<(&'static str, usize)>,
    /// Each commune once per postal code it has, sorted by (postal code, INSEE code), so that
    /// the communes of one postal code are a contiguous slice.
    pub(crate) postal_communes: Vec<Commune>,
    /// `postal_keys[i]` is the postal code, as a number, under which `postal_communes[i]` is
    /// listed; numbers compare faster than strings in the binary search.
    pub(crate) postal_keys: Vec<u32>,
}

/// One way a folded name leads to a commune.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameEntry {
    /// Index in [`Tables::communes`].
    pub(crate) commune: usize,
    /// The name is a former or sub-municipal name, not the commune's current name.
    pub(crate) alias: bool,
}

pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(parse_tables)
}

/// Folded name → communes. Kept apart from [`tables`] because folding 38 000 names costs more
/// than parsing, and code lookups should not pay for it.
pub(crate) fn names() -> &'static HashMap<String, Vec<NameEntry>> {
    static NAMES: OnceLock<HashMap<String, Vec<NameEntry>>> = OnceLock::new();
    NAMES.get_or_init(build_names)
}

/// The data lines of a TSV file with `N` columns: the header line skipped, each line split on
/// tabs; a line with another number of fields, or an empty first field, is skipped.
fn rows<const N: usize>(tsv: &'static str) -> impl Iterator<Item = [&'static str; N]> {
    tsv.lines().skip(1).filter_map(|line| {
        let mut fields = line.split('\t');
        let row: [&'static str; N] = std::array::from_fn(|_| fields.next().unwrap_or_default());
        let complete = fields.next().is_none() && row.first().is_some_and(|code| !code.is_empty());
        complete.then_some(row)
    })
}

fn parse_zone(zone: &str) -> Option<Zone> {
    match zone {
        "metro" => Some(Zone::Metropole),
        "drom" => Some(Zone::Drom),
        "com" => Some(Zone::Com),
        _ => None,
    }
}

fn parse_tables() -> Tables {
    let mut regions: Vec<Region> = rows(REGIONS_TSV)
        .filter_map(|[code, zone, name]| {
            Some(Region {
                code,
                name,
                zone: parse_zone(zone)?,
            })
        })
        .collect();
    regions.sort_by_key(|region| region.code);

    let mut departments: Vec<Department> = rows(DEPARTEMENTS_TSV)
        .filter_map(|[code, region, zone, name]| {
            Some(Department {
                code,
                name,
                region,
                zone: parse_zone(zone)?,
            })
        })
        .collect();
    departments.sort_by_key(|department| department.code);

    let region_of = |department: &str| {
        departments
            .binary_search_by_key(&department, |d| d.code)
            .ok()
            .and_then(|i| departments.get(i))
            .map(|d| d.region)
    };
    let mut communes: Vec<Commune> = rows(COMMUNES_TSV)
        .filter_map(|[insee, name, department, postal_codes]| {
            Some(Commune {
                insee,
                name,
                department,
                region: region_of(department)?,
                postal_codes,
            })
        })
        .collect();
    communes.sort_by_key(|commune| commune.insee);

    let index_of = |insee: &str| communes.binary_search_by_key(&insee, |c| c.insee).ok();
    let mut alias_codes: Vec<(&'static str, usize)> = rows(ALIASES_TSV)
        .filter_map(|[insee, _name, commune, _kind]| Some((insee, index_of(commune)?)))
        // A commune déléguée often keeps the code of the commune nouvelle it became the seat
        // of; the current commune wins for that code.
        .filter(|(insee, _)| index_of(insee).is_none())
        .collect();
    alias_codes.sort_unstable();
    alias_codes.dedup_by_key(|(insee, _)| *insee);

    // Sorting (postal code, index) pairs rather than whole communes keeps the sort cheap; the
    // index order is the INSEE order since `communes` is sorted.
    let mut postal: Vec<(u32, usize)> = communes
        .iter()
        .enumerate()
        .flat_map(|(index, commune)| {
            commune
                .postal_codes()
                .filter_map(move |code| Some((code.parse().ok()?, index)))
        })
        .collect();
    postal.sort_unstable();
    let postal_keys = postal.iter().map(|(code, _)| *code).collect();
    let postal_communes = postal
        .iter()
        .filter_map(|(_, index)| communes.get(*index).copied())
        .collect();

    Tables {
        regions,
        departments,
        communes,
        alias_codes,
        postal_communes,
        postal_keys,
    }
}

fn build_names() -> HashMap<String, Vec<NameEntry>> {
    let tables = tables();
    let mut names: HashMap<String, Vec<NameEntry>> = HashMap::with_capacity(40_000);
    for (commune, c) in tables.communes.iter().enumerate() {
        names
            .entry(fold_commune_name(c.name))
            .or_default()
            .push(NameEntry {
                commune,
                alias: false,
            });
    }
    for row in rows(ALIASES_TSV) {
        let [_insee, name, parent, _kind] = row;
        let Ok(commune) = tables.communes.binary_search_by_key(&parent, |c| c.insee) else {
            continue;
        };
        let entries = names.entry(fold_commune_name(name)).or_default();
        // A commune déléguée named like its commune nouvelle adds nothing.
        if !entries.iter().any(|entry| entry.commune == commune) {
            entries.push(NameEntry {
                commune,
                alias: true,
            });
        }
    }
    names
}
