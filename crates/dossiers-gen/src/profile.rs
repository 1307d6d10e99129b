//! The facts of one synthetic dossier, drawn once from the seed. The application text, the
//! budget matrix and the truth file are all rendered from this one value, which is what keeps
//! them consistent with each other.

use anyhow::{Context, Result};

use crate::geo::{Commune, TerritoryKind};
use crate::rng::Rng;
use crate::siret;

/// How the SIRET appears (or not) in the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiretCase {
    /// A number that passes the check, written as `written`.
    Valid { digits: String, written: String },
    /// A number that fails the check, written as `written`.
    Invalid { digits: String, written: String },
    /// The row says the number is being allotted.
    Pending,
    /// Only the SIREN (9 digits) is given.
    SirenOnly { siren: String },
}

impl SiretCase {
    /// The 14 digits the truth holds, if any.
    pub fn digits(&self) -> Option<&str> {
        match self {
            Self::Valid { digits, .. } | Self::Invalid { digits, .. } => Some(digits),
            Self::Pending | Self::SirenOnly { .. } => None,
        }
    }
}

/// The applicant's legal form: the record's code and how the text names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalForm {
    /// The record's `legal_model.form` code.
    pub code: &'static str,
    /// How the identity table names it ("Association loi 1901", "SCIC SAS à capital variable").
    pub label: &'static str,
}

/// A sector (filière) with its record code and its label in the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sector {
    pub code: &'static str,
    pub label: &'static str,
    pub traditional_machines: &'static [&'static str],
    pub digital_machines: &'static [&'static str],
}

/// One machine of the equipment plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub name: &'static str,
    pub digital: bool,
    /// Euros, excluding VAT.
    pub cost: u64,
    /// Index of the budget year it is bought in (0, 1 or 2).
    pub year_index: usize,
}

/// The final premises' title, as the record codes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Land {
    pub status: &'static str,
    pub lease_years: Option<u32>,
    pub surface_m2: Option<u32>,
    /// `(temporary surface, year of the final premises)` when the activity starts elsewhere.
    pub transitional: Option<(u32, u32)>,
    /// The kind of building ("une ancienne usine textile").
    pub building: &'static str,
    /// Which phrasing of the status the text uses.
    pub phrasing: usize,
}

/// One line of the budget matrix: a label and one amount per year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub label: String,
    pub amounts: [u64; 3],
}

impl BudgetLine {
    fn new(label: impl Into<String>, amounts: [u64; 3]) -> Self {
        Self {
            label: label.into(),
            amounts,
        }
    }

    /// The line's total over the three years.
    pub fn total(&self) -> u64 {
        self.amounts.iter().sum()
    }
}

/// One investment line of the « Investissements » sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestmentLine {
    pub label: String,
    /// « Numérique », « Traditionnel » or « Travaux ».
    pub kind: &'static str,
    pub amounts: [u64; 3],
}

/// The whole budget matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub years: [i32; 3],
    pub operating: Vec<BudgetLine>,
    pub investments: Vec<InvestmentLine>,
    pub own_revenues: Vec<BudgetLine>,
    /// The Manufactures de proximité subsidy: one line, or amorçage + investissement.
    pub subsidy: Vec<BudgetLine>,
    pub subsidy_split: Option<(u64, u64)>,
    pub other_aids: Vec<BudgetLine>,
    pub self_financing: BudgetLine,
}

impl Budget {
    /// Investment spending of year `i`.
    pub fn investment_in(&self, i: usize) -> u64 {
        self.investments
            .iter()
            .map(|line| line.amounts.get(i).copied().unwrap_or(0))
            .sum()
    }

    fn sum_lines(lines: &[BudgetLine], i: usize) -> u64 {
        lines
            .iter()
            .map(|line| line.amounts.get(i).copied().unwrap_or(0))
            .sum()
    }

    /// Operating spending of year `i`.
    pub fn operating_in(&self, i: usize) -> u64 {
        Self::sum_lines(&self.operating, i)
    }

    /// Total spending of year `i` (operating + investment).
    pub fn expenses_in(&self, i: usize) -> u64 {
        self.operating_in(i) + self.investment_in(i)
    }

    /// Total resources of year `i`.
    pub fn revenues_in(&self, i: usize) -> u64 {
        Self::sum_lines(&self.own_revenues, i)
            + Self::sum_lines(&self.subsidy, i)
            + Self::sum_lines(&self.other_aids, i)
            + self.self_financing.amounts.get(i).copied().unwrap_or(0)
    }

    pub fn total_expenses(&self) -> u64 {
        (0..3).map(|i| self.expenses_in(i)).sum()
    }

    pub fn total_investment(&self) -> u64 {
        (0..3).map(|i| self.investment_in(i)).sum()
    }

    pub fn total_subsidy(&self) -> u64 {
        self.subsidy.iter().map(BudgetLine::total).sum()
    }

    pub fn balanced(&self) -> bool {
        (0..3).all(|i| self.expenses_in(i).abs_diff(self.revenues_in(i)) <= 1)
    }

    /// `subsidy / total`, rounded to 3 decimals as the record wants it.
    pub fn subsidy_share(&self) -> f64 {
        let total = self.total_expenses();
        if total == 0 {
            return 0.0;
        }
        (self.total_subsidy() as f64 / total as f64 * 1000.0).round() / 1000.0
    }
}

/// How section titles are written in this dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingMode {
    /// Word heading styles (Heading1/Heading2), « 1. Présentation… ».
    Styled,
    /// Bold plain paragraphs « 1. Présentation… ».
    BoldArabic,
    /// Bold plain paragraphs « III. Diagnostic territorial ».
    BoldRoman,
    /// Bold plain paragraphs « Partie 2 – Modèle économique ».
    BoldPartie,
}

/// Everything one dossier says.
#[derive(Debug, Clone)]
pub struct Profile {
    pub dossier_id: String,
    /// (year, month, day, hour, minute), Paris time.
    pub deposited: (i32, u32, u32, u32, u32),
    pub wave: u8,
    pub commune: Commune,
    pub population: u32,
    pub street_address: String,
    pub structure_name: String,
    pub manufacture_name: String,
    pub creation_year: u32,
    pub representative: String,
    pub representative_role: &'static str,
    pub contact: String,
    pub siret: SiretCase,
    pub legal_form: LegalForm,
    pub planned_form: Option<(&'static str, &'static str, u32)>,
    /// Co-applicants when the application is carried by a consortium.
    pub consortium_members: Vec<String>,
    pub partners: Vec<(String, &'static str)>,
    pub land: Land,
    pub programmes: Vec<&'static str>,
    /// A programme the text says does *not* apply (a trap for naive matching).
    pub denied_programme: Option<&'static str>,
    pub rural: bool,
    pub sectors: Vec<Sector>,
    pub machines: Vec<Machine>,
    pub budget: Budget,
    pub heading_mode: HeadingMode,
    /// Sections (by index) that a Styled dossier still titles with plain bold paragraphs.
    pub plain_sections: Vec<usize>,
    pub machines_as_table: bool,
    pub partners_as_table: bool,
}

impl Profile {
    pub fn digital_machines(&self) -> bool {
        self.machines.iter().any(|m| m.digital)
    }

    pub fn consortium(&self) -> bool {
        !self.consortium_members.is_empty()
    }
}

/// First names with whether titles are written in the feminine.
const FIRST_NAMES: &[(&str, bool)] = &[
    ("Laure", true),
    ("Marie-Pierre", true),
    ("Thomas", false),
    ("Nadia", true),
    ("Julien", false),
    ("Sophie", true),
    ("Karim", false),
    ("Élodie", true),
    ("François", false),
    ("Hélène", true),
    ("Mathieu", false),
    ("Régis", false),
    ("Anaïs", true),
    ("Loïc", false),
    ("Céline", true),
    ("Benoît", false),
    ("Inès", true),
];
const LAST_NAMES: &[&str] = &[
    "Rousseau",
    "Arnaud",
    "Lefèvre",
    "Benali",
    "Garnier",
    "Moreau",
    "Chevalier",
    "Fontaine",
    "Mercier",
    "Perrin",
    "Lemaître",
    "Dubois",
    "Bonnet",
    "Faure",
    "Girard",
    "Roux",
    "Mallet",
];
const STREETS: &[&str] = &[
    "rue Pasteur",
    "avenue de la Gare",
    "rue des Tanneurs",
    "place du Marché",
    "rue Jean Jaurès",
    "chemin du Moulin",
    "rue de l'Industrie",
    "boulevard Victor Hugo",
    "rue des Forges",
    "impasse des Artisans",
    "route de la Filature",
    "quai de la Rivière",
];
const NAME_CORES: &[&str] = &[
    "L'Établi Partagé",
    "La Fabrique Commune",
    "L'Atelier du Faubourg",
    "Les Mains Habiles",
    "Le Chantier des Possibles",
    "La Forge Collective",
    "Le Hangar",
    "L'Usine Partagée",
    "La Filature",
    "Le Fil Rouge",
    "Les Bâtisseurs",
    "La Ruche Productive",
    "L'Arsenal",
    "Le Moulin des Métiers",
    "La Coopérative des Faiseurs",
    "Le Quai des Savoir-Faire",
];
const MANUFACTURE_PATTERNS: &[&str] = &[
    "La Manufacture de {commune}",
    "La Manufacture des {trade}",
    "Les Ateliers {adjective}",
    "La Fabrique des {trade}",
    "Le Pôle productif de {commune}",
    "La Halle aux métiers de {commune}",
    "Manufacture {core}",
];
const TRADES: &[&str] = &[
    "Tanneurs",
    "Faiseurs",
    "Artisans",
    "Métiers",
    "Savoir-Faire",
    "Possibles",
    "Forgerons",
];
const ADJECTIVES: &[&str] = &[
    "Partagés",
    "du Renouveau",
    "de la Vallée",
    "du Canal",
    "Réunis",
];
const BUILDINGS: &[&str] = &[
    "une ancienne usine textile",
    "un ancien garage municipal",
    "une halle industrielle des années 1950",
    "un ancien entrepôt ferroviaire",
    "l'ancienne coopérative agricole",
    "un bâtiment d'activité désaffecté",
    "l'ancienne friche Dumont",
];
const PARTNERS: &[(&str, &str)] = &[
    (
        "Chambre de métiers et de l'artisanat",
        "orientation des porteurs de projet, formations",
    ),
    (
        "Mission locale",
        "orientation des jeunes vers les formations",
    ),
    ("Pôle emploi", "orientation des demandeurs d'emploi"),
    (
        "Lycée professionnel Jean Moulin",
        "accueil d'apprentis et de stagiaires",
    ),
    ("Région", "soutien à l'investissement"),
    (
        "Communauté de communes",
        "cofinancement et appui au développement économique",
    ),
    (
        "Entreprises du bassin d'emploi",
        "commandes de prototypes et de petites séries",
    ),
    (
        "Réseau régional des tiers-lieux",
        "accompagnement et mise en réseau",
    ),
    ("Office de tourisme", "visites et boutique des créateurs"),
    (
        "Centre de formation des apprentis",
        "formations en alternance",
    ),
];

/// Legal forms with their weights; the label is what the identity table says.
const LEGAL_FORMS: &[(u64, &str, &[&str])] = &[
    (
        34,
        "association",
        &[
            "Association loi 1901",
            "Association déclarée (loi du 1er juillet 1901)",
            "association loi 1901 reconnue d'intérêt général",
        ],
    ),
    (
        14,
        "scic",
        &[
            "SCIC SAS à capital variable",
            "Société coopérative d'intérêt collectif (SCIC) – SARL",
            "SCIC SA",
        ],
    ),
    (
        8,
        "scop",
        &[
            "SCOP SARL",
            "Société coopérative et participative (SCOP) – SA",
        ],
    ),
    (7, "sas", &["SAS", "Société par actions simplifiée (SAS)"]),
    (
        7,
        "sarl",
        &["SARL", "Société à responsabilité limitée (SARL)"],
    ),
    (2, "sasu", &["SASU"]),
    (2, "eurl", &["EURL"]),
    (
        3,
        "epic",
        &["Établissement public industriel et commercial (EPIC)"],
    ),
    (3, "sem", &["Société d'économie mixte (SEM)"]),
    (2, "gip", &["Groupement d'intérêt public (GIP)"]),
    (5, "local_authority", &["Commune", "Communauté de communes"]),
    (
        3,
        "public_establishment",
        &["Chambre de métiers et de l'artisanat (établissement public)"],
    ),
    (
        3,
        "individual",
        &["Entrepreneur individuel (micro-entreprise)"],
    ),
];

pub const SECTORS: &[Sector] = &[
    Sector {
        code: "bois",
        label: "Bois (menuiserie, ébénisterie, agencement)",
        traditional_machines: &[
            "scie à format",
            "dégauchisseuse-raboteuse",
            "toupie",
            "scie à ruban",
        ],
        digital_machines: &["fraiseuse numérique (CNC) 3 axes", "découpeuse laser CO2"],
    },
    Sector {
        code: "metal",
        label: "Métal (métallerie, soudure, chaudronnerie)",
        traditional_machines: &[
            "poste à souder MIG/MAG",
            "plieuse",
            "cisaille guillotine",
            "tour à métaux",
        ],
        digital_machines: &[
            "table de découpe plasma à commande numérique",
            "fraiseuse CNC métal",
        ],
    },
    Sector {
        code: "textile",
        label: "Textile (couture, confection, tapisserie)",
        traditional_machines: &[
            "machines à coudre industrielles piqueuses plates",
            "surjeteuse",
            "recouvreuse",
            "métier à tisser à bras",
        ],
        digital_machines: &[
            "brodeuse numérique six têtes",
            "traceur de patronage",
            "découpe laser textile",
        ],
    },
    Sector {
        code: "ceramique",
        label: "Céramique",
        traditional_machines: &["four céramique électrique", "tour de potier", "croûteuse"],
        digital_machines: &["imprimante 3D céramique"],
    },
    Sector {
        code: "verre",
        label: "Verre (soufflage, vitrail)",
        traditional_machines: &["four de fusion", "four de recuisson", "meuleuse à verre"],
        digital_machines: &["découpe jet d'eau à commande numérique"],
    },
    Sector {
        code: "cuir",
        label: "Cuir (maroquinerie, sellerie)",
        traditional_machines: &["machine à parer", "presse à découper", "piqueuse à bras"],
        digital_machines: &["découpeuse numérique à lame oscillante"],
    },
    Sector {
        code: "impression",
        label: "Impression (sérigraphie, gravure, reprographie)",
        traditional_machines: &[
            "carrousel de sérigraphie",
            "presse de gravure taille-douce",
            "massicot",
        ],
        digital_machines: &["graveuse laser"],
    },
    Sector {
        code: "electronique",
        label: "Électronique et prototypage",
        traditional_machines: &["stations de soudage", "oscilloscopes"],
        digital_machines: &[
            "machine de placement de composants (pick and place)",
            "imprimante 3D résine",
        ],
    },
    Sector {
        code: "numerique",
        label: "Fabrication numérique (fablab)",
        traditional_machines: &[],
        digital_machines: &[
            "imprimantes 3D FDM",
            "scanner 3D",
            "fraiseuse numérique de bureau",
        ],
    },
    Sector {
        code: "reemploi",
        label: "Réemploi et réparation",
        traditional_machines: &[
            "établis de démontage",
            "presse à balles",
            "banc de test électroménager",
        ],
        digital_machines: &[],
    },
    Sector {
        code: "alimentaire",
        label: "Alimentaire (transformation de produits locaux)",
        traditional_machines: &[
            "four à sole",
            "pétrin",
            "cellule de refroidissement",
            "autoclave",
        ],
        digital_machines: &[],
    },
];

fn round_to(value: u64, step: u64) -> u64 {
    if step == 0 {
        return value;
    }
    (value + step / 2) / step * step
}

/// A name and whether it takes feminine titles.
fn person_with_gender(rng: &mut Rng) -> (String, bool) {
    let (first, feminine) = rng.pick(FIRST_NAMES).copied().unwrap_or(("Camille", true));
    (format!("{first} {}", rng.pick_str(LAST_NAMES)), feminine)
}

fn person(rng: &mut Rng) -> String {
    person_with_gender(rng).0
}

fn written_siret(digits: &str, rng: &mut Rng) -> String {
    let (siren, nic) = digits.split_at(9.min(digits.len()));
    let (a, rest) = siren.split_at(3.min(siren.len()));
    let (b, c) = rest.split_at(3.min(rest.len()));
    match rng.below(4) {
        0 => digits.to_owned(),
        1 => format!("{a} {b} {c} {nic}"),
        2 => format!("{a}\u{a0}{b}\u{a0}{c}\u{a0}{nic}"),
        _ => {
            let (n1, n2) = nic.split_at(3.min(nic.len()));
            format!("{a} {b} {c} {n1} {n2}")
        }
    }
}

fn structure_name(code: &str, label: &str, commune: &Commune, rng: &mut Rng) -> String {
    let core = rng.pick_str(NAME_CORES);
    match code {
        "association" => match rng.below(3) {
            0 => format!("Association {core}"),
            1 => format!("Les Ateliers {}", commune.of_department()),
            _ => core.to_owned(),
        },
        "scic" => format!("SCIC {core}"),
        "scop" => format!("SCOP {core}"),
        "sas" | "sasu" => format!("{core} SAS"),
        "sarl" | "eurl" => format!("{core} SARL"),
        "epic" => format!("Régie des Ateliers de {}", commune.name),
        "sem" => format!("SEM {} Développement", commune.name),
        "gip" => format!("GIP Fabrique {}", commune.of_department()),
        "local_authority" => {
            if label == "Commune" {
                format!("Commune de {}", commune.name)
            } else {
                format!("Communauté de communes du Pays de {}", commune.name)
            }
        }
        "public_establishment" => format!(
            "Chambre de métiers et de l'artisanat {}",
            commune.of_department()
        ),
        _ => format!("{} (entreprise individuelle)", person(rng)),
    }
}

fn manufacture_name(commune: &Commune, rng: &mut Rng) -> String {
    rng.pick_str(MANUFACTURE_PATTERNS)
        .replace("{commune}", &commune.name)
        .replace("{trade}", rng.pick_str(TRADES))
        .replace("{adjective}", rng.pick_str(ADJECTIVES))
        .replace("{core}", rng.pick_str(NAME_CORES))
}

fn land(rng: &mut Rng) -> Land {
    let statuses: &[(u64, &str)] = &[
        (14, "owned"),
        (10, "purchase_in_progress"),
        (18, "lease"),
        (14, "emphyteotic_lease"),
        (22, "provided_free"),
        (12, "negotiation"),
        (5, "none"),
    ];
    let weights: Vec<u64> = statuses.iter().map(|(w, _)| *w).collect();
    let status = statuses
        .get(rng.weighted(&weights))
        .map(|(_, s)| *s)
        .unwrap_or("owned");
    let phrasing = rng.below(3);
    let lease_years = match status {
        "lease" => Some(match phrasing {
            0 => 9,
            1 => 12,
            _ => 6,
        }),
        "emphyteotic_lease" => rng.pick(&[18, 25, 30, 40, 50]).copied(),
        // One phrasing of free provision states no duration.
        "provided_free" if phrasing != 2 => rng.pick(&[3, 5, 6, 10, 12, 15]).copied(),
        _ => None,
    };
    let surface_m2 = if status == "none" || rng.chance(8) {
        None
    } else {
        Some(round_to(rng.range(180, 2600), 10) as u32)
    };
    let transitional = if status != "none" && rng.chance(15) {
        Some((
            round_to(rng.range(60, 250), 10) as u32,
            *rng.pick(&[2023, 2024]).unwrap_or(&2023),
        ))
    } else {
        None
    };
    Land {
        status,
        lease_years,
        surface_m2,
        transitional,
        building: rng.pick_str(BUILDINGS),
        phrasing,
    }
}

fn programmes(kind: TerritoryKind, rng: &mut Rng) -> Vec<&'static str> {
    let odds: &[(&str, u64)] = match kind {
        TerritoryKind::Rural => &[
            ("petites_villes_de_demain", 50),
            ("territoires_d_industrie", 30),
            ("fabrique_de_territoire", 25),
        ],
        TerritoryKind::SmallTown => &[
            ("petites_villes_de_demain", 60),
            ("territoires_d_industrie", 40),
            ("fabrique_de_territoire", 20),
            ("qpv", 15),
        ],
        TerritoryKind::MediumTown => &[
            ("action_coeur_de_ville", 60),
            ("territoires_d_industrie", 40),
            ("qpv", 40),
            ("fabrique_de_territoire", 20),
        ],
        TerritoryKind::Urban => &[
            ("qpv", 80),
            ("fabrique_de_territoire", 30),
            ("territoires_d_industrie", 20),
        ],
    };
    odds.iter()
        .filter(|(_, percent)| rng.chance(*percent))
        .map(|(code, _)| *code)
        .collect()
}

fn sectors_and_machines(rng: &mut Rng) -> (Vec<Sector>, Vec<Machine>) {
    let with_digital = rng.chance(80);
    let candidates: Vec<Sector> = SECTORS
        .iter()
        .copied()
        .filter(|s| with_digital || !s.traditional_machines.is_empty())
        .collect();
    let count = 1 + rng.weighted(&[45, 40, 15]);
    let sectors = rng.sample(&candidates, count);
    let mut machines = Vec::new();
    for sector in &sectors {
        let n_traditional = rng.range(1, 3) as usize;
        for name in rng.sample(sector.traditional_machines, n_traditional) {
            machines.push(Machine {
                name,
                digital: false,
                cost: round_to(rng.range(1_500, 24_000), 100),
                year_index: if rng.chance(75) { 0 } else { 1 },
            });
        }
        if with_digital {
            let n_digital = rng.range(1, 2) as usize;
            for name in rng.sample(sector.digital_machines, n_digital) {
                machines.push(Machine {
                    name,
                    digital: true,
                    cost: round_to(rng.range(6_000, 65_000), 100),
                    year_index: if rng.chance(70) { 0 } else { 1 },
                });
            }
        }
    }
    // A dossier where every chosen sector is digital-only but digital was refused cannot
    // happen (filtered above); one where the only sectors have no digital machine simply
    // ends without one, and the truth follows the machines, not the wish.
    (sectors, machines)
}

fn budget(machines: &[Machine], rural: bool, qpv: bool, rng: &mut Rng) -> Budget {
    let staff = round_to(rng.range(45_000, 110_000), 500);
    let growth = |base: u64, rng: &mut Rng| -> [u64; 3] {
        let a = round_to(base, 50);
        let b = round_to(base * rng.range(100, 125) / 100, 50);
        let c = round_to(b * rng.range(100, 120) / 100, 50);
        [a, b, c]
    };
    let mut operating = vec![
        BudgetLine::new(
            "Achats de matières premières et fournitures",
            growth(rng.range(4_000, 15_000), rng),
        ),
        BudgetLine::new("Énergie et fluides", growth(rng.range(3_000, 9_000), rng)),
        BudgetLine::new("Assurances", growth(rng.range(1_200, 4_000), rng)),
        BudgetLine::new(
            "Honoraires (expert-comptable, juridique)",
            growth(rng.range(2_000, 6_000), rng),
        ),
        BudgetLine::new(
            "Communication et animation de la communauté",
            growth(rng.range(1_500, 6_000), rng),
        ),
        BudgetLine::new(
            "Frais de personnel (salaires et charges sociales)",
            growth(staff, rng),
        ),
    ];
    if rng.chance(60) {
        operating.push(BudgetLine::new(
            "Formation des salariés et bénévoles",
            growth(rng.range(1_000, 4_000), rng),
        ));
    }
    if rng.chance(50) {
        operating.push(BudgetLine::new(
            "Déplacements et missions",
            growth(rng.range(800, 3_000), rng),
        ));
    }

    let mut investments = Vec::new();
    for machine in machines {
        let mut amounts = [0; 3];
        if let Some(slot) = amounts.get_mut(machine.year_index) {
            *slot = machine.cost;
        }
        investments.push(InvestmentLine {
            label: machine.name.to_owned(),
            kind: if machine.digital {
                "Numérique"
            } else {
                "Traditionnel"
            },
            amounts,
        });
    }
    let works = round_to(rng.range(8_000, 70_000), 500);
    investments.push(InvestmentLine {
        label: "Travaux d'aménagement des locaux".to_owned(),
        kind: "Travaux",
        amounts: [works, 0, 0],
    });

    let mut budget = Budget {
        years: [2022, 2023, 2024],
        operating,
        investments,
        own_revenues: Vec::new(),
        subsidy: Vec::new(),
        subsidy_split: None,
        other_aids: Vec::new(),
        self_financing: BudgetLine::new("Autofinancement / fonds propres", [0; 3]),
    };
    let expenses: Vec<u64> = (0..3).map(|i| budget.expenses_in(i)).collect();
    let investment: Vec<u64> = (0..3).map(|i| budget.investment_in(i)).collect();
    let expense = |i: usize| expenses.get(i).copied().unwrap_or(0);

    // The subsidy: usually a share of investment plus a decreasing seed (amorçage) grant;
    // sometimes so large that it exceeds 80 % of the budget.
    let over_80 = rng.chance(8);
    let mut amorcage = [0u64; 3];
    let mut invest_part = [0u64; 3];
    if over_80 {
        let share = rng.range(82, 90);
        for i in 0..3 {
            let total = round_to(expense(i) * share / 100, 50);
            let inv = investment.get(i).copied().unwrap_or(0).min(total);
            if let Some(slot) = invest_part.get_mut(i) {
                *slot = inv;
            }
            if let Some(slot) = amorcage.get_mut(i) {
                *slot = total - inv;
            }
        }
    } else {
        let ratio = rng.range(40, 75);
        let first = round_to(rng.range(20_000, 60_000), 1_000);
        let seed = [
            first,
            round_to(first * 2 / 3, 1_000),
            round_to(first / 3, 1_000),
        ];
        for i in 0..3 {
            let inv = round_to(investment.get(i).copied().unwrap_or(0) * ratio / 100, 50);
            let cap = expense(i) * 6 / 10;
            let seed_i = seed
                .get(i)
                .copied()
                .unwrap_or(0)
                .min(cap.saturating_sub(inv));
            if let Some(slot) = invest_part.get_mut(i) {
                *slot = inv.min(cap);
            }
            if let Some(slot) = amorcage.get_mut(i) {
                *slot = seed_i;
            }
        }
    }
    let amorcage_total: u64 = amorcage.iter().sum();
    let invest_total: u64 = invest_part.iter().sum();
    if rng.chance(55) {
        budget.subsidy.push(BudgetLine::new(
            "Subvention AMI Manufactures de proximité – amorçage",
            amorcage,
        ));
        budget.subsidy.push(BudgetLine::new(
            "Subvention AMI Manufactures de proximité – investissement",
            invest_part,
        ));
    } else {
        let label = rng.pick_str(&[
            "Subvention Manufactures de proximité (ANCT)",
            "Subvention AMI Manufactures de proximité",
            "Aide Manufacture de proximité sollicitée (France Relance)",
        ]);
        let mut together = [0u64; 3];
        for (slot, (a, b)) in together
            .iter_mut()
            .zip(amorcage.iter().zip(invest_part.iter()))
        {
            *slot = a + b;
        }
        budget.subsidy.push(BudgetLine::new(label, together));
    }
    budget.subsidy_split = Some((amorcage_total, invest_total));

    let subsidy_in =
        |i: usize| amorcage.get(i).copied().unwrap_or(0) + invest_part.get(i).copied().unwrap_or(0);
    let mut room: Vec<u64> = (0..3)
        .map(|i| expense(i).saturating_sub(subsidy_in(i)))
        .collect();

    // Other public aids, never more than the room left.
    let mut aid_pool = vec![
        "Subvention Région",
        "Subvention Département",
        "Subvention intercommunalité",
        "Banque des Territoires",
    ];
    if rural {
        aid_pool.push("Fonds européens LEADER");
    }
    if qpv {
        aid_pool.push("Crédits politique de la ville");
    }
    let n_aids = if over_80 { 0 } else { rng.range(1, 3) as usize };
    for label in rng.sample(&aid_pool, n_aids) {
        let base = round_to(rng.range(4_000, 25_000), 500);
        let mut amounts = [0u64; 3];
        for (i, slot) in amounts.iter_mut().enumerate() {
            let wanted = if i == 0 {
                base
            } else {
                round_to(base * rng.range(50, 100) / 100, 500)
            };
            if let Some(left) = room.get_mut(i) {
                *slot = wanted.min(*left / 3);
                *left -= *slot;
            }
        }
        budget.other_aids.push(BudgetLine::new(label, amounts));
    }

    // Own resources grow with occupancy.
    let own_labels = [
        "Abonnements et locations d'espaces (résidents)",
        "Location des machines à l'heure",
        "Prestations de fabrication",
        "Formations",
        "Adhésions / cotisations",
    ];
    let n_own = rng.range(2, 4) as usize;
    let shares = [[18u64, 30, 42], [10, 16, 22], [6, 10, 14], [4, 6, 8]];
    for (k, label) in own_labels.iter().take(n_own).enumerate() {
        let share = shares.get(k).copied().unwrap_or([4, 6, 8]);
        let mut amounts = [0u64; 3];
        for (i, slot) in amounts.iter_mut().enumerate() {
            let operating = budget.operating_in(i);
            let wanted = round_to(operating * share.get(i).copied().unwrap_or(5) / 100, 50);
            if let Some(left) = room.get_mut(i) {
                *slot = wanted.min(*left);
                *left -= *slot;
            }
        }
        if amounts.iter().any(|a| *a > 0) {
            budget.own_revenues.push(BudgetLine::new(*label, amounts));
        }
    }
    // Self-financing closes each year.
    for (i, slot) in budget.self_financing.amounts.iter_mut().enumerate() {
        *slot = room.get(i).copied().unwrap_or(0);
    }
    // A few matrices do not balance: one revenue line is off in one year.
    if rng.chance(10) {
        let year = rng.below(3);
        let delta = round_to(rng.range(1_500, 12_000), 50);
        if let Some(line) = budget.own_revenues.first_mut()
            && let Some(slot) = line.amounts.get_mut(year)
        {
            *slot += delta;
        }
    }
    budget
}

/// The deposit date: between the opening of wave 2 and the close of wave 3.
fn deposit(rng: &mut Rng) -> ((i32, u32, u32, u32, u32), u8) {
    // Days from 5 Nov 2021 to 3 Mar 2022 (inclusive): 26 + 31 + 31 + 28 + 3 = 119.
    let offset = rng.range(0, 118) as u32;
    let months: [(i32, u32, u32, u32); 5] = [
        (2021, 11, 5, 30),
        (2021, 12, 1, 31),
        (2022, 1, 1, 31),
        (2022, 2, 1, 28),
        (2022, 3, 1, 3),
    ];
    let mut left = offset;
    let mut date = (2022, 3, 3);
    for (year, month, first, last) in months {
        let days = last - first + 1;
        if left < days {
            date = (year, month, first + left);
            break;
        }
        left -= days;
    }
    let (year, month, day) = date;
    let mut hour = rng.range(8, 23) as u32;
    let minute = rng.range(0, 59) as u32;
    if (year, month, day) == (2022, 3, 3) && hour >= 12 {
        hour = rng.range(8, 11) as u32;
    }
    let wave = if (year, month, day, hour) < (2022, 1, 13, 12) {
        2
    } else {
        3
    };
    ((year, month, day, hour, minute), wave)
}

/// Draws every fact of dossier `index` from `seed`.
pub fn draw(seed: u64, index: u32) -> Result<Profile> {
    let mut rng = Rng::for_item(seed, u64::from(index));
    let communes = crate::geo::communes()?;
    let commune = rng
        .pick(&communes)
        .cloned()
        .context("the commune list is empty")?;
    let population = match commune.kind {
        TerritoryKind::Rural => round_to(rng.range(800, 6_000), 100),
        TerritoryKind::SmallTown => round_to(rng.range(6_000, 20_000), 100),
        TerritoryKind::MediumTown => round_to(rng.range(20_000, 60_000), 100),
        TerritoryKind::Urban => round_to(rng.range(60_000, 120_000), 100),
    } as u32;
    let (deposited, wave) = deposit(&mut rng);

    let weights: Vec<u64> = LEGAL_FORMS.iter().map(|(w, _, _)| *w).collect();
    let (_, code, labels) = LEGAL_FORMS
        .get(rng.weighted(&weights))
        .copied()
        .context("no legal form")?;
    let label = rng.pick_str(labels);
    let legal_form = LegalForm { code, label };
    let structure_name = structure_name(code, label, &commune, &mut rng);
    let manufacture_name = manufacture_name(&commune, &mut rng);

    let siret = match rng.weighted(&[72, 14, 8, 6]) {
        0 => {
            let digits = siret::valid_siret(&mut rng);
            let written = written_siret(&digits, &mut rng);
            SiretCase::Valid { digits, written }
        }
        1 => {
            let digits = siret::invalid_siret(&mut rng);
            let written = written_siret(&digits, &mut rng);
            SiretCase::Invalid { digits, written }
        }
        2 => SiretCase::Pending,
        _ => SiretCase::SirenOnly {
            siren: siret::valid_siret(&mut rng).chars().take(9).collect(),
        },
    };

    let planned_form = if matches!(code, "association" | "sas" | "sarl") && rng.chance(25) {
        rng.pick(&[
            (
                "scic",
                "société coopérative d'intérêt collectif (SCIC)",
                2023,
            ),
            ("scic", "SCIC SAS", 2024),
            ("scop", "société coopérative et participative (SCOP)", 2023),
        ])
        .copied()
    } else {
        None
    };
    let consortium_members = if rng.chance(20) {
        let n = rng.range(1, 2) as usize;
        rng.sample(
            &[
                "SCOP Bois & Co".to_owned(),
                "Lycée professionnel Jean Moulin".to_owned(),
                format!("Association Les Amis de {}", commune.name),
                "SAS Atelier Mécanique Delorme".to_owned(),
                "Ressourcerie du Pays".to_owned(),
            ],
            n,
        )
    } else {
        Vec::new()
    };
    let n_partners = rng.range(3, 6) as usize;
    let partners = rng
        .sample(PARTNERS, n_partners)
        .into_iter()
        .map(|(name, role)| {
            let name = match name {
                "Région" => format!("Région {}", crate::geo::region_name(&commune.region)),
                "Communauté de communes" => {
                    format!("Communauté de communes {}", commune.of_department())
                }
                other => other.to_owned(),
            };
            (name, role)
        })
        .collect();

    let rural = match commune.kind {
        TerritoryKind::Rural => true,
        TerritoryKind::SmallTown => rng.chance(40),
        _ => false,
    };
    let programmes = programmes(commune.kind, &mut rng);
    let denied_programme = if rng.chance(12) {
        ["action_coeur_de_ville", "petites_villes_de_demain"]
            .into_iter()
            .find(|p| !programmes.contains(p))
    } else {
        None
    };
    let (sectors, machines) = sectors_and_machines(&mut rng);
    let budget = budget(&machines, rural, programmes.contains(&"qpv"), &mut rng);

    let heading_mode = match rng.weighted(&[50, 20, 15, 15]) {
        0 => HeadingMode::Styled,
        1 => HeadingMode::BoldArabic,
        2 => HeadingMode::BoldRoman,
        _ => HeadingMode::BoldPartie,
    };
    let plain_sections = if heading_mode == HeadingMode::Styled {
        let n_plain = rng.range(1, 2) as usize;
        rng.sample(&[5usize, 6, 7, 8, 9], n_plain)
    } else {
        Vec::new()
    };
    let (representative, feminine) = person_with_gender(&mut rng);
    let contact_person = person(&mut rng);
    let slug: String = structure_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect::<String>()
        .to_lowercase();
    Ok(Profile {
        dossier_id: format!("gen-{index:04}"),
        deposited,
        wave,
        population,
        street_address: format!("{} {}", rng.range(1, 80), rng.pick_str(STREETS)),
        creation_year: rng.range(1995, 2020) as u32,
        representative,
        representative_role: match (code, feminine) {
            ("association", true) => rng.pick_str(&["présidente", "co-présidente"]),
            ("association", false) => rng.pick_str(&["président", "co-président"]),
            ("local_authority", _) => "maire",
            ("scic" | "scop" | "sas" | "sasu" | "sem", true) => {
                rng.pick_str(&["présidente", "directrice générale"])
            }
            ("scic" | "scop" | "sas" | "sasu" | "sem", false) => {
                rng.pick_str(&["président", "directeur général"])
            }
            ("sarl" | "eurl", true) => "gérante",
            ("sarl" | "eurl", false) => "gérant",
            (_, true) => "directrice",
            (_, false) => "directeur",
        },
        contact: format!(
            "{contact_person} – contact@{slug}.fr – 0{} {:02} {:02} {:02} {:02}",
            rng.range(1, 5),
            rng.range(10, 99),
            rng.range(10, 99),
            rng.range(10, 99),
            rng.range(10, 99)
        ),
        commune,
        structure_name,
        manufacture_name,
        siret,
        legal_form,
        planned_form,
        consortium_members,
        partners,
        land: land(&mut rng),
        programmes,
        denied_programme,
        rural,
        sectors,
        machines,
        budget,
        heading_mode,
        plain_sections,
        machines_as_table: rng.chance(40),
        partners_as_table: rng.chance(50),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_mostly_balanced_and_subsidy_positive() {
        let mut balanced = 0;
        for index in 1..=200 {
            let profile = draw(42, index).unwrap();
            let budget = &profile.budget;
            assert!(budget.total_subsidy() > 0, "dossier {index}");
            assert!(budget.total_investment() > 0);
            if budget.balanced() {
                balanced += 1;
            }
            for i in 0..3 {
                assert!(budget.self_financing.amounts[i] <= budget.expenses_in(i));
            }
        }
        assert!(balanced > 150, "{balanced}");
    }

    #[test]
    fn deposit_dates_fall_in_waves_two_and_three() {
        for index in 1..=200 {
            let profile = draw(1, index).unwrap();
            let (y, m, d, h, _) = profile.deposited;
            assert!((y, m, d) >= (2021, 11, 5) && (y, m, d, h) < (2022, 3, 3, 12));
            assert!(profile.wave == 2 || profile.wave == 3);
        }
    }
}
