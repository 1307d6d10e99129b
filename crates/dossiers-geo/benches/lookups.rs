//! Lookup speed: one call per iteration, the tables already parsed. The first-use cost (parsing
//! the embedded TSV, folding every name) is timed once by hand and printed before divan runs,
//! because a `OnceLock` cannot be reset between iterations. Run with
//! `cargo bench -p dossiers-geo --bench lookups`.

use std::time::Instant;

use divan::black_box;

fn main() {
    let start = Instant::now();
    black_box(dossiers_geo::department_of_postal_code("79300"));
    let tables = start.elapsed();
    let start = Instant::now();
    black_box(dossiers_geo::find_commune("Bressuire", None));
    let names = start.elapsed();
    println!("first use: code tables {tables:?}, name index {names:?}");
    divan::main();
}

const POSTAL_CODES: &[&str] = &["79300", "20167", "97400", "75011", "75700", "98000"];

#[divan::bench(args = POSTAL_CODES)]
fn department_of_postal_code(postal_code: &str) -> Option<&'static str> {
    dossiers_geo::department_of_postal_code(black_box(postal_code))
}

#[divan::bench(args = POSTAL_CODES)]
fn communes_by_postal_code(postal_code: &str) -> usize {
    dossiers_geo::communes_by_postal_code(black_box(postal_code)).len()
}

#[divan::bench(args = [("Bressuire", None), ("st-etienne", None), ("Saint-Denis", Some("97400")), ("Plouhinec", Some("56001")), ("MARSEILLE CEDEX 08", Some("13284"))])]
fn find_commune(args: (&str, Option<&str>)) -> Option<&'static str> {
    let (name, postal_code) = black_box(args);
    dossiers_geo::find_commune(name, postal_code).map(|c| c.insee)
}

#[divan::bench]
fn fold_sentence() -> String {
    dossiers_geo::fold(black_box(
        "L’Haÿ-les-Roses : Œuvre d’art, SCIC « La Manufacture » à Saint-Étienne",
    ))
}
