//! Query strings, read by hand: repeated keys (`ids=a&ids=b`, `f=…&f=…`) are the point, and
//! every value is checked here before it reaches the index.

use dossiers_index::Dimension;
use dossiers_index::search::SortKey;
use dossiers_index::stats::WaveSelection;

/// Hits per search page.
pub const PAGE_SIZE: usize = 20;
/// Most dossiers compared at once.
pub const MAX_COMPARED: usize = 5;
/// Longest query accepted.
const MAX_QUERY_CHARS: usize = 1_000;
/// Most filters at once.
const MAX_FILTERS: usize = 32;
/// Deepest page (a search is not a way to dump the index).
const MAX_PAGE: usize = 500;

/// The decoded pairs of a query string.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn first<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn all<'a>(pairs: &'a [(String, String)], key: &str) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A search as the page and the API ask for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchParams {
    pub query: String,
    pub filters: Vec<(Dimension, String)>,
    /// 1-based.
    pub page: usize,
    pub sort: SortKey,
    /// Largest first; `None` is the key's default.
    pub descending: Option<bool>,
}

impl SearchParams {
    /// `q`, `f=DIM:VALUE` (repeated), `page`; the API also takes `filter=DIM=VALUE` like the
    /// CLI, and `wave=N`. Unknown dimensions are an error, said to the user.
    pub fn parse(pairs: &[(String, String)]) -> Result<SearchParams, String> {
        let query = first(pairs, "q").unwrap_or("").trim().to_owned();
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(format!(
                "requête trop longue (plus de {MAX_QUERY_CHARS} caractères)"
            ));
        }
        let mut filters = Vec::new();
        let colon = all(pairs, "f").map(|f| (f, f.split_once(':')));
        let equals = all(pairs, "filter").map(|f| (f, f.split_once('=')));
        for (raw, split) in colon.chain(equals) {
            let (name, value) =
                split.ok_or_else(|| format!("filtre {raw:?} : DIMENSION:VALEUR attendu"))?;
            let dimension = Dimension::parse(name)
                .ok_or_else(|| format!("filtre {raw:?} : dimension inconnue"))?;
            let filter = (dimension, value.to_owned());
            if !filters.contains(&filter) {
                filters.push(filter);
            }
        }
        if let Some(wave) = first(pairs, "wave").filter(|w| !w.is_empty()) {
            filters.push((Dimension::Wave, parse_wave(wave)?.to_string()));
        }
        if filters.len() > MAX_FILTERS {
            return Err(format!("trop de filtres (plus de {MAX_FILTERS})"));
        }
        let page = match first(pairs, "page").filter(|p| !p.is_empty()) {
            Some(page) => page
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(|| format!("page {page:?} : entre 1 et {MAX_PAGE}"))?,
            None => 1,
        };
        let sort = match first(pairs, "tri").or_else(|| first(pairs, "sort")) {
            None | Some("") => SortKey::Relevance,
            Some(name) => SortKey::parse(name).ok_or_else(|| {
                let name: String = name.chars().take(40).collect();
                format!(
                    "tri « {name} » inconnu (pertinence, numero, depot, budget, subvention, part)"
                )
            })?,
        };
        let descending = match first(pairs, "ordre").or_else(|| first(pairs, "order")) {
            None | Some("") => None,
            Some("decroissant" | "desc") => Some(true),
            Some("croissant" | "asc") => Some(false),
            Some(other) => {
                let other: String = other.chars().take(40).collect();
                return Err(format!(
                    "ordre « {other} » inconnu (croissant, decroissant)"
                ));
            }
        };
        Ok(SearchParams {
            query,
            filters,
            page,
            sort,
            descending,
        })
    }

    /// The sort's own pairs (`tri`, `ordre`), none when they are the defaults.
    fn append_sort(&self, out: &mut form_urlencoded::Serializer<'_, String>) {
        if self.sort != SortKey::Relevance {
            out.append_pair("tri", sort_name_fr(self.sort));
        }
        if let Some(descending) = self.descending {
            out.append_pair(
                "ordre",
                if descending {
                    "decroissant"
                } else {
                    "croissant"
                },
            );
        }
    }

    /// The query string of this search with `filters` instead, on page 1, in the same order.
    pub fn href_with(&self, filters: &[(Dimension, String)]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("q", &self.query);
        for (dimension, value) in filters {
            out.append_pair("f", &format!("{}:{value}", dimension.name()));
        }
        self.append_sort(&mut out);
        format!("/recherche?{}", out.finish())
    }

    /// This search on its page: what « back to the search » leads to.
    pub fn href(&self) -> String {
        if self.page > 1 {
            self.href_page(self.page)
        } else {
            self.href_with(&self.filters)
        }
    }

    /// The query string of this search on another page.
    pub fn href_page(&self, page: usize) -> String {
        let mut href = self.href_with(&self.filters);
        href.push_str(&format!("&page={page}"));
        href
    }

    /// These filters plus or minus one.
    pub fn toggled(&self, dimension: Dimension, value: &str) -> Vec<(Dimension, String)> {
        let filter = (dimension, value.to_owned());
        let mut filters: Vec<_> = self
            .filters
            .iter()
            .filter(|f| **f != filter)
            .cloned()
            .collect();
        if filters.len() == self.filters.len() {
            filters.push(filter);
        }
        filters
    }
}

/// The French name of a sort in URLs (`tri=subvention`).
pub fn sort_name_fr(key: SortKey) -> &'static str {
    match key {
        SortKey::Relevance => "pertinence",
        SortKey::Number => "numero",
        SortKey::Deposited => "depot",
        SortKey::Budget => "budget",
        SortKey::Subsidy => "subvention",
        SortKey::Share => "part",
    }
}

/// A search to go back to (`retour=/recherche?…`): a local path to the search page, else
/// nothing.
pub fn back_to_search(pairs: &[(String, String)]) -> Option<String> {
    let back = first(pairs, "retour")?;
    let safe = crate::pages::safe_next(back);
    (safe == back && (back == "/recherche" || back.starts_with("/recherche?")))
        .then(|| back.to_owned())
}

/// The dossier ids of a comparison: 2 to [`MAX_COMPARED`], each at most once, in order.
pub fn compared_ids(pairs: &[(String, String)]) -> Result<Vec<String>, String> {
    let mut ids: Vec<String> = Vec::new();
    for id in all(pairs, "ids").flat_map(|v| v.split(',')) {
        let id = id.trim();
        if !id.is_empty() && !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    }
    if !(2..=MAX_COMPARED).contains(&ids.len()) {
        return Err(format!(
            "choisissez de 2 à {MAX_COMPARED} dossiers à comparer ({} choisi{})",
            ids.len(),
            if ids.len() > 1 { "s" } else { "" }
        ));
    }
    Ok(ids)
}

/// The waves of the statistics: `vague=N` (or `wave=N`) for one, nothing or `toutes` for all.
pub fn wave_selection(pairs: &[(String, String)]) -> Result<WaveSelection, String> {
    let raw = first(pairs, "vague")
        .or_else(|| first(pairs, "wave"))
        .unwrap_or("");
    match raw {
        "" | "toutes" | "all" => Ok(WaveSelection::Pooled),
        "cote-a-cote" | "side_by_side" => Ok(WaveSelection::SideBySide),
        number => parse_wave(number).map(WaveSelection::One),
    }
}

/// A wave number as typed: a number the waves can have (1 to 255), or a message that says
/// which of « not a number » and « no such wave » it is.
pub fn parse_wave(raw: &str) -> Result<u8, String> {
    let shown: String = raw.chars().take(20).collect();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "vague « {shown} » : un numéro de vague attendu (1, 2, 3…)"
        ));
    }
    match raw.parse::<u8>() {
        Ok(wave) if wave >= 1 => Ok(wave),
        _ => Err(format!(
            "vague {shown} : aucune vague ne porte ce numéro (de 1 à {})",
            u8::MAX
        )),
    }
}

/// The dimension of `by=…`, legal form by default.
pub fn stats_dimension(pairs: &[(String, String)]) -> Result<Dimension, String> {
    match first(pairs, "by") {
        None | Some("") => Ok(Dimension::LegalForm),
        Some(name) => Dimension::parse(name).ok_or_else(|| format!("dimension {name:?} inconnue")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<SearchParams, String> {
        SearchParams::parse(&pairs(Some(raw)))
    }

    #[test]
    fn search_parameters_decode_and_validate() {
        let params = parse("q=bail+emphyt%C3%A9otique&f=wave:2&f=legal_form:scic&page=3").unwrap();
        assert_eq!(params.query, "bail emphytéotique");
        assert_eq!(
            params.filters,
            [
                (Dimension::Wave, "2".into()),
                (Dimension::LegalForm, "scic".into())
            ]
        );
        assert_eq!(params.page, 3);
        assert_eq!(parse("").unwrap().page, 1);
        assert!(parse("f=nope:1").is_err());
        assert!(parse("f=wave").is_err());
        assert!(parse("page=0").is_err());
        assert!(parse("page=99999").is_err());
        assert_eq!(
            parse("filter=region=44").unwrap().filters,
            [(Dimension::Region, "44".into())]
        );
    }

    #[test]
    fn facet_links_toggle_one_filter() {
        let params = parse("q=bois&f=wave:2").unwrap();
        let on = params.toggled(Dimension::Region, "44");
        assert_eq!(on.len(), 2);
        assert_eq!(params.toggled(Dimension::Wave, "2"), []);
        assert_eq!(
            params.href_with(&on),
            "/recherche?q=bois&f=wave%3A2&f=region%3A44"
        );
    }

    #[test]
    fn the_sort_is_read_and_kept_in_links() {
        let params = parse("q=bois&tri=subvention&ordre=croissant&page=2").unwrap();
        assert_eq!(params.sort, SortKey::Subsidy);
        assert_eq!(params.descending, Some(false));
        assert_eq!(
            params.href_page(3),
            "/recherche?q=bois&tri=subvention&ordre=croissant&page=3"
        );
        assert_eq!(parse("sort=share").unwrap().sort, SortKey::Share);
        assert!(
            parse("tri=couleur")
                .unwrap_err()
                .contains("tri « couleur » inconnu")
        );
        assert!(parse("ordre=x").is_err());
        assert_eq!(parse("q=bois").unwrap().href(), "/recherche?q=bois");
    }

    #[test]
    fn only_a_search_is_a_way_back() {
        let back = |raw| back_to_search(&pairs(Some(raw)));
        assert_eq!(
            back("retour=%2Frecherche%3Fq%3Dbois").as_deref(),
            Some("/recherche?q=bois")
        );
        assert_eq!(back("retour=%2Fstatistiques"), None);
        assert_eq!(back("retour=%2F%2Fevil.example%2Frecherche"), None);
        assert_eq!(back("retour=%2Frecherche-x"), None);
        assert_eq!(back(""), None);
    }

    #[test]
    fn comparisons_take_two_to_five_distinct_ids() {
        let ids = |raw| compared_ids(&pairs(Some(raw)));
        assert_eq!(ids("ids=a&ids=b&ids=a").unwrap(), ["a", "b"]);
        assert_eq!(ids("ids=a,b,c").unwrap(), ["a", "b", "c"]);
        assert!(ids("ids=a").is_err());
        assert!(ids("ids=a,b,c,d,e,f").is_err());
    }

    #[test]
    fn wave_selection_reads_french_and_english() {
        let wave = |raw| wave_selection(&pairs(Some(raw)));
        assert_eq!(wave(""), Ok(WaveSelection::Pooled));
        assert_eq!(wave("vague=3"), Ok(WaveSelection::One(3)));
        assert_eq!(wave("wave=all"), Ok(WaveSelection::Pooled));
        assert!(wave("vague=x").is_err());
        assert!(wave("vague=256").unwrap_err().contains("aucune vague"));
        assert!(wave("vague=0").unwrap_err().contains("aucune vague"));
        assert!(
            wave("vague=-1")
                .unwrap_err()
                .contains("numéro de vague attendu")
        );
        assert!(
            parse("wave=256")
                .unwrap_err()
                .contains("aucune vague ne porte ce numéro")
        );
    }
}
