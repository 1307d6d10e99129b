//! The small embedded list of real communes the generator places dossiers in
//! (`data/communes.tsv`, with its source written at its top).

use anyhow::{Result, bail};

/// The generator's coarse label of a territory; it only steers the invented territorial prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerritoryKind {
    Rural,
    SmallTown,
    MediumTown,
    Urban,
}

/// One commune with the codes a normaliser must find or derive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commune {
    pub name: String,
    pub postal_code: String,
    /// INSEE département code ("23", "2B", "974").
    pub department: String,
    /// The département's name with its article ("la Creuse", "le Jura", "l'Ardèche").
    pub department_name: String,
    /// INSEE 2016 région code.
    pub region: String,
    pub kind: TerritoryKind,
}

impl Commune {
    /// "de la Creuse", "du Jura", "des Vosges", "de l'Ardèche".
    pub fn of_department(&self) -> String {
        let name = self.department_name.as_str();
        if let Some(rest) = name.strip_prefix("le ") {
            format!("du {rest}")
        } else if let Some(rest) = name.strip_prefix("les ") {
            format!("des {rest}")
        } else {
            format!("de {name}")
        }
    }

    /// The département name without its article, for "Aubusson (Creuse)".
    pub fn department_bare(&self) -> &str {
        let name = self.department_name.as_str();
        for article in ["la ", "le ", "les ", "l'"] {
            if let Some(rest) = name.strip_prefix(article) {
                return rest;
            }
        }
        name
    }
}

const COMMUNES_TSV: &str = include_str!("../data/communes.tsv");

/// Parses the embedded commune list.
pub fn communes() -> Result<Vec<Commune>> {
    let mut out = Vec::new();
    for (number, line) in COMMUNES_TSV.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, postal_code, department, department_name, region, kind] = fields.as_slice()
        else {
            bail!("data/communes.tsv line {}: expected 6 fields", number + 1);
        };
        let kind = match *kind {
            "rural" => TerritoryKind::Rural,
            "small_town" => TerritoryKind::SmallTown,
            "medium_town" => TerritoryKind::MediumTown,
            "urban" => TerritoryKind::Urban,
            other => bail!(
                "data/communes.tsv line {}: unknown kind {other}",
                number + 1
            ),
        };
        out.push(Commune {
            name: (*name).to_owned(),
            postal_code: (*postal_code).to_owned(),
            department: (*department).to_owned(),
            department_name: (*department_name).to_owned(),
            region: (*region).to_owned(),
            kind,
        });
    }
    if out.is_empty() {
        bail!("data/communes.tsv holds no commune");
    }
    Ok(out)
}

/// The 2016 région's name for an INSEE région code ("75" → "Nouvelle-Aquitaine").
pub fn region_name(code: &str) -> &'static str {
    match code {
        "01" => "Guadeloupe",
        "02" => "Martinique",
        "03" => "Guyane",
        "04" => "La Réunion",
        "06" => "Mayotte",
        "11" => "Île-de-France",
        "24" => "Centre-Val de Loire",
        "27" => "Bourgogne-Franche-Comté",
        "28" => "Normandie",
        "32" => "Hauts-de-France",
        "44" => "Grand Est",
        "52" => "Pays de la Loire",
        "53" => "Bretagne",
        "75" => "Nouvelle-Aquitaine",
        "76" => "Occitanie",
        "84" => "Auvergne-Rhône-Alpes",
        "93" => "Provence-Alpes-Côte d'Azur",
        "94" => "Corse",
        _ => "la région",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communes_parse_and_postal_codes_match_departments() {
        let communes = communes().unwrap();
        assert!(communes.len() >= 20);
        for commune in &communes {
            assert_eq!(commune.postal_code.len(), 5, "{}", commune.name);
            let expected_prefix = match commune.department.as_str() {
                "2A" | "2B" => "20".to_owned(),
                code if code.len() == 3 => code.to_owned(),
                code => code.to_owned(),
            };
            assert!(
                commune.postal_code.starts_with(&expected_prefix),
                "{} {}",
                commune.name,
                commune.postal_code
            );
        }
    }

    #[test]
    fn article_contractions() {
        let mut commune = communes().unwrap().remove(0);
        commune.department_name = "le Jura".into();
        assert_eq!(commune.of_department(), "du Jura");
        assert_eq!(commune.department_bare(), "Jura");
    }
}
