#![allow(clippy::unwrap_used)]
use dossiers_index::DossierIndex;
use dossiers_index::search::SearchRequest;
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let index = DossierIndex::open(std::path::Path::new(&dir)).unwrap();
    for q in [
        "atelier partagé",
        "« tiers-lieu »",
        "savoir-faire artisanal",
        "emploi jeunes",
        "coopérative",
        "foncier:emphytéotique",
    ] {
        for (snippets, facets) in [(false, false), (false, true), (true, false), (true, true)] {
            let mut r = SearchRequest::new(q);
            r.snippets = snippets;
            r.facets = facets;
            index.search(&r).unwrap();
            let t = Instant::now();
            let mut total = 0;
            for _ in 0..5 {
                total = index.search(&r).unwrap().total;
            }
            println!(
                "{q:30} snippets={snippets:5} facets={facets:5} {:6.2} ms total={total}",
                t.elapsed().as_secs_f64() * 200.0
            );
        }
    }
}
