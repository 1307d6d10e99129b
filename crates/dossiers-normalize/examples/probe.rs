//! Runs one field reader over each line of standard input and prints what it reads, for
//! trying lexicon changes on sentences by hand:
//!
//! ```text
//! echo "bail emphytéotique de 25 ans" | cargo run -q -p dossiers-normalize --example probe -- land
//! ```
//!
//! Readers: land, legal, field, prog, sect, siret, date, place, topic, amount.

fn main() {
    let kind = std::env::args().nth(1).unwrap_or_default();
    for line in std::io::stdin().lines().map_while(Result::ok) {
        if line.trim().is_empty() {
            continue;
        }
        let out = match kind.as_str() {
            "land" => format!("{:?}", dossiers_normalize::land::read_land_control(&line)),
            "legal" => format!(
                "{:?} consortium={}",
                dossiers_normalize::legal::read_legal_form(&line),
                dossiers_normalize::legal::read_consortium(&line)
            ),
            "field" => format!(
                "{:?}",
                dossiers_normalize::legal::read_legal_form_field(&line)
            ),
            "prog" => format!(
                "{:?} rural={}",
                dossiers_normalize::territory::read_programmes(&line),
                dossiers_normalize::territory::read_rural(&line)
            ),
            "sect" => format!(
                "{:?} {:?}",
                dossiers_normalize::activities::read_sectors(&line),
                dossiers_normalize::activities::read_machines(&line)
            ),
            "siret" => format!("{:?}", dossiers_normalize::siret::find_siret(&line)),
            "date" => format!("{:?}", dossiers_normalize::dates::find_deposit(&line)),
            "place" => format!("{:?}", dossiers_normalize::place::read_place(&line)),
            "topic" => format!("{:?}", dossiers_normalize::application::topic_of(&line)),
            "amount" => format!(
                "{:?}",
                dossiers_normalize::numbers::amounts(&dossiers_normalize::text::fold(&line))
            ),
            _ => String::new(),
        };
        println!("{out}\t<= {line}");
    }
}
