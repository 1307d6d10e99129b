//! End-to-end normalisation of applications written with templates unlike the sample dossiers':
//! a question/answer table form with heading styles, and a plain-text form numbered in roman
//! numerals with « Label : valeur » lines; budgets with years in rows and with investment on its
//! own sheet. The documents are built in memory, so the test says exactly what it exercises.

use dossiers_extract::{Block, Cell, CellValue, Document, Format, Row, Story, StoryKind, Table};
use dossiers_model::{FlagCode, LandControlStatus, LegalForm, Programme, Record, Sector};
use dossiers_normalize::{NormalizeOptions, normalize_documents};

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level: Some(level),
        text: text.into(),
    }
}

fn paragraph(text: &str) -> Block {
    Block::paragraph(text)
}

fn table(rows: &[&[&str]]) -> Block {
    Block::Table(Table {
        rows: rows
            .iter()
            .map(|cells| Row {
                cells: cells.iter().map(|c| Cell::text(*c)).collect(),
            })
            .collect(),
        merged: Vec::new(),
    })
}

fn document(format: Format, blocks: Vec<Block>) -> Document {
    let mut document = Document::new(format);
    let mut story = Story::new(StoryKind::Body);
    story.blocks = blocks;
    document.stories.push(story);
    document
}

fn workbook(sheets: &[(&str, &[&[&str]])]) -> Document {
    let mut document = Document::new(Format::Xlsx);
    for (name, rows) in sheets {
        let mut grid = Table::default();
        for (r, row) in rows.iter().enumerate() {
            let cells = row
                .iter()
                .enumerate()
                .map(|(c, text)| Cell {
                    text: (*text).to_string(),
                    address: Some(format!("{}{}", char::from(b'A' + c as u8), r + 1)),
                    value: text.parse::<f64>().ok().map(CellValue::Number),
                    formula: None,
                })
                .collect();
            grid.rows.push(Row { cells });
        }
        let mut story = Story::named(StoryKind::Sheet, *name);
        story.blocks.push(Block::Table(grid));
        document.stories.push(story);
    }
    document
}

fn codes(record: &Record) -> Vec<FlagCode> {
    let mut codes: Vec<FlagCode> = record.flags.iter().map(|f| f.code).collect();
    codes.sort();
    codes
}

#[test]
fn question_answer_form_with_years_in_rows() {
    let application = document(
        Format::Docx,
        vec![
            paragraph("Candidature à l'appel à manifestation d'intérêt"),
            heading(1, "Fiche d'identité"),
            table(&[
                &["Raison sociale", "Atelier Partagé du Val"],
                &["Statut", "SCOP SA à capital variable"],
                &["SIRET", "732 829 320 00074"],
                &["Siège social", "5 rue de la Gare – 58000 Nevers"],
                &["Intitulé du projet", "La Fabrique du Val"],
                &["Date de dépôt", "12 janvier 2022, 10 h 31"],
            ]),
            heading(1, "Questionnaire"),
            table(&[
                &[
                    "Décrivez le territoire d'implantation et ses besoins",
                    "Nevers est une ville moyenne qui bénéficie du programme Action cœur de ville. Le site se trouve à \
                     deux pas d'un quartier prioritaire de la politique de la ville, où le chômage des jeunes est élevé. \
                     Les artisans manquent d'ateliers équipés.",
                ],
                &[
                    "Quelle est la situation foncière du projet ?",
                    "Nous sommes en négociation avancée avec la ville pour la location d'un ancien garage municipal \
                     d'une surface de 650 m². Une lettre d'intention a été signée en décembre 2021 ; le bail devrait \
                     être signé au printemps 2022.",
                ],
                &[
                    "Quelles sont les filières et les équipements prévus ?",
                    "La manufacture accueillera des ébénistes et des céramistes. Le parc comprendra une fraiseuse CNC \
                     grand format, un four à céramique et une scie à format, mutualisés entre les résidents.",
                ],
                &[
                    "Présentez la gouvernance et le statut juridique",
                    "L'Atelier Partagé du Val est aujourd'hui une SCOP. Nous prévoyons de nous transformer en SCIC en \
                     2023 afin d'associer la ville et les usagers au capital.",
                ],
            ]),
        ],
    );
    let budget = workbook(&[(
        "Plan de financement",
        &[
            &[
                "Année",
                "Total des dépenses",
                "dont investissement",
                "Total des recettes",
                "Subvention sollicitée (AMI)",
            ],
            &["2022", "200000", "80000", "200000", "90000"],
            &["2023", "150000", "20000", "150000", "40000"],
            &["2024", "120000", "0", "110000", "20000"],
        ],
    )]);
    let record = normalize_documents(
        "dossier-4242",
        Some(("dossier-4242/candidature.docx", &application)),
        Some(("dossier-4242/budget.xlsx", &budget)),
        &NormalizeOptions::default(),
    );
    assert_eq!(record.ds_number, Some(4242));
    assert_eq!(
        record.deposited_at.as_deref(),
        Some("2022-01-12T10:31:00+01:00")
    );
    assert_eq!(record.wave, Some(2));
    let applicant = &record.applicant;
    assert_eq!(
        applicant.structure_name.as_deref(),
        Some("Atelier Partagé du Val")
    );
    assert_eq!(
        applicant.manufacture_name.as_deref(),
        Some("La Fabrique du Val")
    );
    assert_eq!(applicant.siret.as_deref(), Some("73282932000074"));
    assert_eq!(applicant.siret_valid, Some(true));
    assert_eq!(applicant.commune.as_deref(), Some("Nevers"));
    assert_eq!(applicant.department.as_deref(), Some("58"));
    assert_eq!(applicant.region.as_deref(), Some("27"));
    assert_eq!(record.legal_model.form, LegalForm::Scop);
    assert_eq!(record.legal_model.planned_form, Some(LegalForm::Scic));
    assert_eq!(record.legal_model.consortium, Some(false));
    assert_eq!(record.land_control.status, LandControlStatus::Negotiation);
    assert_eq!(record.land_control.surface_m2, Some(650));
    assert_eq!(record.land_control.transitional_premises, Some(false));
    assert_eq!(
        record.territorial_diagnosis.programmes,
        vec![Programme::ActionCoeurDeVille, Programme::Qpv]
    );
    assert_eq!(record.territorial_diagnosis.rural, Some(false));
    assert_eq!(
        record.activities.sectors,
        vec![Sector::Bois, Sector::Ceramique]
    );
    assert_eq!(record.activities.digital_machines, Some(true));
    let years: Vec<(i32, f64, f64)> = record
        .budget
        .years
        .iter()
        .map(|y| (y.year, y.expenses, y.revenues))
        .collect();
    assert_eq!(
        years,
        vec![
            (2022, 200_000.0, 200_000.0),
            (2023, 150_000.0, 150_000.0),
            (2024, 120_000.0, 110_000.0)
        ]
    );
    assert_eq!(record.budget.total_expenses, Some(470_000.0));
    assert_eq!(record.budget.subsidy_requested, Some(150_000.0));
    assert_eq!(record.budget.subsidy_share, Some(0.319));
    assert_eq!(record.budget.balanced, Some(false));
    assert_eq!(codes(&record), vec![FlagCode::BudgetUnbalanced]);
    assert!(record.provenance.contains_key("budget.total_expenses"));
}

#[test]
fn plain_form_with_roman_numbers_and_investment_sheet() {
    let application = document(
        Format::Doc,
        vec![
            paragraph("DOSSIER DE CANDIDATURE – MANUFACTURE DE PROXIMITÉ"),
            paragraph("Déposé le 2 mars 2022 à 17:45"),
            paragraph("I. Le porteur"),
            paragraph("Structure porteuse : Communauté de communes du Pays de Lure"),
            paragraph("Nature juridique : EPCI"),
            paragraph("N° SIRET : en cours d'attribution"),
            paragraph("Adresse : 1 place de la Mairie, Lure (70200)"),
            paragraph("Nom du projet : Les Ateliers du Pays de Lure"),
            paragraph("II. Territoire"),
            paragraph(
                "Le projet s'implante en milieu rural, dans une commune classée en zone de revitalisation rurale. \
                 Lure est lauréate Petites villes de demain. Le territoire n'est pas couvert par Territoires d'industrie.",
            ),
            paragraph("III. Locaux"),
            paragraph(
                "Dans un premier temps, l'activité sera hébergée dans des locaux provisoires de 200 m² mis à \
                 disposition par une entreprise partenaire. Le bâtiment définitif, une ancienne filature de 1 800 m² \
                 dont la communauté de communes est propriétaire, sera livré en 2024 après travaux.",
            ),
            paragraph("IV. Portage"),
            paragraph(
                "Le projet est porté en consortium : la communauté de communes est chef de file, avec l'association \
                 Lure Initiatives et la SCOP Bois Nord.",
            ),
            paragraph("V. Activités"),
            paragraph("Filières : textile, réemploi, numérique"),
            paragraph(
                "Équipements : brodeuse numérique, machines à coudre industrielles, imprimante 3D.",
            ),
        ],
    );
    let budget = workbook(&[
        (
            "Fonctionnement",
            &[
                &["Charges", "2022", "2023", "2024"],
                &["Salaires", "60000", "70000", "80000"],
                &["Loyer", "10000", "10000", "10000"],
                &["Total charges", "70000", "80000", "90000"],
                &["Produits", "2022", "2023", "2024"],
                &["Subvention d'amorçage (ANCT)", "30000", "20000", "10000"],
                &["Ventes", "40000", "60000", "80000"],
                &["Total produits", "70000", "80000", "90000"],
            ],
        ),
        (
            "Investissement",
            &[
                &["Dépenses", "2022", "2023", "2024"],
                &["Machines", "100000", "0", "0"],
                &["Travaux", "50000", "0", "0"],
                &["Total", "150000", "0", "0"],
                &["Ressources", "2022", "2023", "2024"],
                &[
                    "Subvention Manufactures de proximité – investissement",
                    "130000",
                    "0",
                    "0",
                ],
                &["Subvention Région", "20000", "0", "0"],
                &["Total", "150000", "0", "0"],
            ],
        ),
    ]);
    let record = normalize_documents(
        "lure",
        Some(("lure/candidature.doc", &application)),
        Some(("lure/matrice.xlsx", &budget)),
        &NormalizeOptions::default(),
    );
    assert_eq!(
        record.deposited_at.as_deref(),
        Some("2022-03-02T17:45:00+01:00")
    );
    assert_eq!(record.wave, Some(3));
    let applicant = &record.applicant;
    assert_eq!(
        applicant.structure_name.as_deref(),
        Some("Communauté de communes du Pays de Lure")
    );
    assert_eq!(
        applicant.manufacture_name.as_deref(),
        Some("Les Ateliers du Pays de Lure")
    );
    assert_eq!(applicant.siret, None);
    assert_eq!(applicant.siret_valid, None);
    assert_eq!(applicant.postal_code.as_deref(), Some("70200"));
    assert_eq!(applicant.commune.as_deref(), Some("Lure"));
    assert_eq!(applicant.region.as_deref(), Some("27"));
    assert_eq!(record.legal_model.form, LegalForm::LocalAuthority);
    assert_eq!(record.legal_model.consortium, Some(true));
    assert_eq!(
        record.legal_model.lead_partner.as_deref(),
        Some("Communauté de communes du Pays de Lure")
    );
    let land = &record.land_control;
    assert_eq!(land.transitional_premises, Some(true));
    assert_eq!(land.final_premises_year, Some(2024));
    assert_eq!(land.surface_m2, Some(1800));
    assert_eq!(
        record.territorial_diagnosis.programmes,
        vec![Programme::PetitesVillesDeDemain]
    );
    assert_eq!(record.territorial_diagnosis.rural, Some(true));
    assert_eq!(
        record.activities.sectors,
        vec![Sector::Textile, Sector::Numerique, Sector::Reemploi]
    );
    assert_eq!(record.activities.digital_machines, Some(true));
    let years: Vec<(i32, f64)> = record
        .budget
        .years
        .iter()
        .map(|y| (y.year, y.expenses))
        .collect();
    assert_eq!(
        years,
        vec![(2022, 220_000.0), (2023, 80_000.0), (2024, 90_000.0)]
    );
    assert_eq!(record.budget.investment, Some(150_000.0));
    assert_eq!(record.budget.subsidy_requested, Some(190_000.0));
    assert_eq!(record.budget.balanced, Some(true));
    assert_eq!(
        codes(&record),
        vec![FlagCode::SiretMissing, FlagCode::LegalFormIneligible]
    );
}

#[test]
fn nothing_readable() {
    let record = normalize_documents("vide", None, None, &NormalizeOptions::default());
    assert_eq!(
        codes(&record),
        vec![
            FlagCode::SiretMissing,
            FlagCode::LegalFormUnknown,
            FlagCode::LandControlMissing,
            FlagCode::BudgetMissing,
            FlagCode::ApplicationMissing,
        ]
    );
    assert_eq!(record.legal_model.consortium, None);
}

#[test]
fn free_prose_without_headings() {
    let application = document(
        Format::Odt,
        vec![
            paragraph("Madame, Monsieur,"),
            paragraph(
                "L'association Fil & Forge (association loi 1901, SIRET 732 829 320 00074), dont le siège est au \
                 3 rue du Port, 29200 Brest, présente sa candidature pour la manufacture « Les Forges du Port ».",
            ),
            paragraph(
                "Installés depuis 2018 dans un ancien hangar de 900 m² que nous louons à la métropole par un bail \
                 commercial 3-6-9, nous accueillons des métalliers, des soudeurs et des couturières.",
            ),
            paragraph(
                "Le site se trouve dans un quartier prioritaire de la politique de la ville. Nous souhaitons acquérir \
                 une découpeuse plasma à commande numérique et une plieuse.",
            ),
            paragraph("Fait à Brest, le 10 janvier 2022."),
        ],
    );
    let record = normalize_documents(
        "brest",
        Some(("brest/lettre.odt", &application)),
        None,
        &NormalizeOptions::default(),
    );
    assert_eq!(record.applicant.siret.as_deref(), Some("73282932000074"));
    assert_eq!(record.applicant.postal_code.as_deref(), Some("29200"));
    assert_eq!(record.applicant.commune.as_deref(), Some("Brest"));
    assert_eq!(record.legal_model.form, LegalForm::Association);
    assert_eq!(record.land_control.status, LandControlStatus::Lease);
    assert_eq!(record.land_control.lease_years, Some(9));
    assert_eq!(record.land_control.surface_m2, Some(900));
    assert_eq!(
        record.territorial_diagnosis.programmes,
        vec![Programme::Qpv]
    );
    assert_eq!(
        record.activities.sectors,
        vec![Sector::Metal, Sector::Textile]
    );
    assert_eq!(record.activities.digital_machines, Some(true));
    // The signature date is not the deposit date.
    assert_eq!(record.deposited_at, None);
    assert_eq!(codes(&record), vec![FlagCode::BudgetMissing]);
}

#[test]
fn labels_on_their_own_line_and_date_in_the_header() {
    let mut application = document(
        Format::Docx,
        vec![
            paragraph("Nom de la structure"),
            paragraph("Les Ateliers du Lac"),
            paragraph("Forme juridique"),
            paragraph("SCIC SAS"),
            paragraph("Maîtrise foncière"),
            paragraph("Nous sommes propriétaires du bâtiment (1 000 m²)."),
        ],
    );
    let mut header = Story::named(StoryKind::Header, "default");
    header
        .blocks
        .push(paragraph("Dossier déposé le 15/02/2022 à 09:58"));
    application.stories.push(header);
    let record = normalize_documents(
        "lac",
        Some(("lac/candidature.docx", &application)),
        None,
        &NormalizeOptions::default(),
    );
    assert_eq!(
        record.applicant.structure_name.as_deref(),
        Some("Les Ateliers du Lac")
    );
    assert_eq!(record.legal_model.form, LegalForm::Scic);
    assert_eq!(record.land_control.status, LandControlStatus::Owned);
    assert_eq!(record.land_control.surface_m2, Some(1000));
    assert_eq!(
        record.deposited_at.as_deref(),
        Some("2022-02-15T09:58:00+01:00")
    );
    assert_eq!(record.wave, Some(3));
}
