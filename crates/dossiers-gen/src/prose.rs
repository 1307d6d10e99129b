//! The application's text: the facts of a [`Profile`] written in French, with several phrasings
//! for each fact, plus neutral filler prose that scales the dossier to the requested word count.
//!
//! The output is a list of [`Block`]s that the .docx writer renders; keeping the wording here and
//! the OOXML in `docx.rs` lets either change without the other.
//!
//! Filler sentences are chosen so that they never state a fact the truth records: no legal form,
//! no land title, no sector or machine word, no territorial programme, no "rural".

use crate::geo::{TerritoryKind, region_name};
use crate::profile::{HeadingMode, Profile, SiretCase};
use crate::rng::Rng;

/// A non-breaking space, the French thousands separator in most dossiers.
pub const NBSP: char = '\u{a0}';
/// A narrow non-breaking space, the separator Word's French autocorrect inserts.
pub const NNBSP: char = '\u{202f}';

/// One block of the application, as the reader of the document sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A centred line of the cover page; `big` ones are larger and bold.
    Cover {
        text: String,
        big: bool,
    },
    /// A section title: a real heading style when `styled`, else a bold plain paragraph.
    Heading {
        level: u8,
        text: String,
        styled: bool,
    },
    Paragraph(String),
    /// A paragraph ending with a footnote reference; `note` is the footnote's text.
    Noted {
        text: String,
        note: String,
    },
    /// A paragraph whose first words are bold ("Nom de la manufacture : …").
    Labelled {
        label: String,
        text: String,
    },
    Bullets(Vec<String>),
    /// A question / answer table (label cell | answer cell).
    KeyValue(Vec<(String, String)>),
    /// A table with a header row.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    PageBreak,
    /// Placeholder for filler prose drawn from `pool`; expanded by [`application`].
    Filler {
        pool: usize,
    },
}

/// The rendered application: its blocks and the texts of its header and footer.
#[derive(Debug, Clone)]
pub struct Application {
    pub blocks: Vec<Block>,
    pub header: String,
    pub footer: String,
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Formats whole euros the way French dossiers do: « 120 000 € ».
pub fn euros(amount: u64, separator: char, suffix: &str) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(ch);
    }
    format!("{out}{NBSP}{suffix}")
}

fn french_date(year: i32, month: u32, day: u32) -> String {
    let month_name = MONTHS
        .get((month as usize).saturating_sub(1))
        .copied()
        .unwrap_or("janvier");
    let day = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    format!("{day} {month_name} {year}")
}

fn quote(text: &str) -> String {
    format!("«{NBSP}{text}{NBSP}»")
}

const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// Filler pools, one per section kind; `{commune}`, `{of_department}`, `{structure}` and
/// `{manufacture}` are replaced.
const POOLS: [&[&str]; 9] = [
    // 0: history of the applicant
    &[
        "{structure} est née de la volonté d'un collectif d'artisans et d'habitants {of_department} de mutualiser des outils de production.",
        "Depuis sa création, la structure anime un atelier partagé qui accueille chaque semaine une trentaine d'usagers, professionnels comme amateurs éclairés.",
        "Ses premières actions ont porté sur l'organisation de chantiers participatifs et de stages d'initiation aux métiers manuels.",
        "Au fil des années, la structure s'est imposée comme un interlocuteur reconnu des collectivités locales sur les questions d'artisanat et d'économie de proximité.",
        "Elle a bénéficié en 2020 d'un accompagnement du dispositif local d'accompagnement (DLA), qui a permis de consolider son modèle et de clarifier son projet stratégique.",
        "L'équipe permanente réunit des compétences complémentaires : gestion de projet, animation de communauté et encadrement technique d'atelier.",
        "Les instances associent des artisans, des usagers, des représentants d'entreprises locales et des personnes qualifiées.",
        "La structure est membre du réseau régional des tiers-lieux et participe activement aux rencontres de France Tiers-Lieux.",
        "Plusieurs événements annuels (portes ouvertes, marché des créateurs, journées européennes des métiers d'art) ont installé sa notoriété auprès du grand public.",
        "La crise sanitaire a paradoxalement renforcé l'activité : plusieurs artisans, privés de débouchés, se sont tournés vers l'atelier pour partager leurs charges et produire à plusieurs.",
        "Le chiffre d'affaires a progressé régulièrement au cours des trois derniers exercices, porté par les prestations et les formations.",
        "Les comptes sont établis chaque année par un expert-comptable et présentés à l'ensemble des membres.",
        "Une dizaine de bénévoles actifs complète l'équipe salariée lors des temps forts de l'année.",
        "Le projet de manufacture prolonge naturellement cette histoire en changeant d'échelle.",
        "Les relations nouées avec les artisans {of_department} depuis plusieurs années constituent le premier capital du projet.",
        "Un premier atelier éphémère, organisé en 2019, a réuni plus de quatre cents visiteurs en trois jours.",
        "Les salariés de la structure sont issus pour moitié des métiers de la fabrication et pour moitié de l'accompagnement de projets.",
        "La structure a accueilli ses premiers stagiaires dès sa deuxième année d'existence.",
        "Son conseil d'administration s'est renouvelé en 2021 et a adopté un projet stratégique à cinq ans.",
        "Les partenariats historiques avec les écoles du territoire ont permis d'accueillir de nombreux jeunes en découverte des métiers.",
        "La structure a été lauréate d'un appel à projets régional en faveur de l'économie de proximité.",
    ],
    // 1: the project
    &[
        "Le projet consiste à aménager un atelier de fabrication partagé, ouvert en priorité aux artisans, aux TPE et aux porteurs de projets qui n'ont pas les moyens d'investir seuls dans un parc de machines professionnel.",
        "{manufacture} a vocation à devenir le lieu de référence de la production mutualisée à l'échelle {of_department}.",
        "L'objectif est d'accueillir une quinzaine de résidents permanents d'ici la fin de la troisième année et une centaine d'utilisateurs ponctuels.",
        "Un espace de stockage, une salle de réunion et un show-room complèteront l'équipement pour permettre aux résidents de présenter et de vendre leurs créations.",
        "Un régisseur d'atelier à temps plein garantira la sécurité, l'entretien des machines et l'accompagnement technique des usagers.",
        "Les résidents pourront réserver un poste de travail à l'année, au mois ou à la demi-journée, et accéder aux machines après une habilitation délivrée par l'équipe technique.",
        "Une attention particulière sera portée à l'accessibilité du lieu aux personnes à mobilité réduite et aux publics éloignés de l'emploi.",
        "Des permanences d'accompagnement à la création et à la gestion d'entreprise seront organisées avec les partenaires du réseau d'accompagnement.",
        "La manufacture fonctionnera six jours sur sept, avec des plages réservées aux professionnels et des créneaux ouverts au public le samedi.",
        "Un outil de réservation en ligne permettra de planifier l'usage des postes et des machines.",
        "Les résidents bénéficieront d'une adresse de domiciliation, d'un espace de réception des clients et d'un accès aux outils partagés.",
        "Le lieu accueillera également des étudiants et des stagiaires, afin de créer des passerelles entre formation et emploi.",
        "La communauté visée se compose de trois cercles : les résidents permanents, les utilisateurs réguliers et le grand public accueilli lors d'événements.",
        "Une quinzaine de professionnels ont d'ores et déjà manifesté leur intérêt par écrit pour rejoindre le lieu.",
        "Les porteurs de projet en phase de test d'activité bénéficieront d'un tarif d'entrée et d'un accompagnement renforcé.",
        "Des collaborations avec des designers et des écoles d'art permettront de renouveler l'offre de produits.",
        "Une boutique partagée permettra de vendre sur place les créations des résidents.",
        "Les temps collectifs (repas partagés, réunions mensuelles, visites d'entreprises) structureront la vie de la communauté.",
        "Un accueil des scolaires sera organisé deux après-midis par mois en période scolaire.",
        "Le lieu sera ouvert aux acteurs associatifs du territoire pour des événements ponctuels, en dehors des heures de production.",
        "Les horaires d'ouverture seront élargis en soirée pour les porteurs de projet encore salariés.",
    ],
    // 2: equipment
    &[
        "Les machines les plus techniques ne seront accessibles qu'après une formation spécifique dispensée par le régisseur.",
        "Le choix des équipements a été fait avec les futurs résidents, à partir de leurs besoins de production réels.",
        "Les devis ont été sollicités auprès de plusieurs fournisseurs et sont joints en annexe du dossier.",
        "Un contrat de maintenance sera souscrit pour les équipements les plus coûteux.",
        "Les équipements seront installés par tranches, au fur et à mesure de l'arrivée des résidents.",
        "Un système d'aspiration centralisée et des protections adaptées équiperont chaque poste.",
        "Un registre d'utilisation permettra de suivre le taux d'occupation de chaque équipement.",
        "Les équipements d'occasion ont été écartés lorsque leur mise en conformité aurait été trop coûteuse.",
        "Chaque poste de travail disposera d'un éclairage adapté et d'un raccordement électrique indépendant.",
        "Les outils à main et l'outillage portatif seront mis à disposition dans une outilthèque gérée par le régisseur.",
        "La disposition des postes a été pensée pour séparer les activités bruyantes des activités de finition.",
        "Une zone de stockage des matières premières sera aménagée à proximité immédiate des postes de production.",
        "Le plan d'équipement pourra être complété en troisième année en fonction des besoins exprimés par les résidents.",
        "Les fournisseurs retenus assureront la formation initiale de l'équipe technique lors de la mise en service.",
    ],
    // 3: territorial diagnosis
    &[
        "Le diagnostic a été conduit entre juin et novembre 2021 au moyen d'une trentaine d'entretiens individuels et de deux ateliers collectifs.",
        "Les artisans installés travaillent souvent seuls, dans des locaux inadaptés, sans possibilité d'investir dans des machines modernes.",
        "L'offre de formation aux métiers de la fabrication reste limitée et éloignée, ce qui freine les reconversions professionnelles.",
        "Le taux de chômage de la zone d'emploi reste supérieur à la moyenne régionale.",
        "Le territoire dispose pourtant d'atouts : des savoir-faire encore vivants, du foncier disponible et un réseau dense de structures de l'économie sociale et solidaire.",
        "La population active vieillit : près d'un tiers des chefs d'entreprise artisanale ont plus de 55 ans et beaucoup peinent à trouver un repreneur.",
        "Les jeunes formés quittent le territoire faute de perspectives professionnelles et d'espaces pour lancer leur activité.",
        "La vacance commerciale en centre-ville dépasse 12 %, signe d'une perte d'attractivité que les élus cherchent à enrayer.",
        "Les entreprises du bassin d'emploi expriment un besoin de sous-traitance de proximité pour des petites séries.",
        "Plusieurs ateliers ont fermé ces dernières années, faute de repreneurs ou de moyens pour moderniser leur outil de production.",
        "Les acteurs économiques rencontrés soulignent la difficulté de trouver des locaux d'activité adaptés et abordables.",
        "La demande de produits fabriqués localement progresse, portée par les circuits courts et le tourisme.",
        "Les principaux acteurs du territoire mobilisés sont l'intercommunalité, des artisans installés, plusieurs entreprises du bassin d'emploi et l'agence de développement économique.",
        "Le revenu médian des ménages est inférieur de près de 15 % à la moyenne nationale.",
        "Les déplacements domicile-travail s'allongent, faute d'emplois qualifiés à proximité.",
        "Le tissu économique repose sur de très petites entreprises, souvent unipersonnelles.",
        "Les élus locaux ont fait du soutien à l'artisanat de production une priorité du mandat.",
        "Plusieurs bâtiments d'activité vacants témoignent du recul de l'emploi productif depuis vingt ans.",
    ],
    // 4: governance
    &[
        "La gouvernance du projet repose sur un comité de pilotage réunissant les partenaires fondateurs, qui se réunit chaque trimestre.",
        "Un comité des résidents sera associé aux décisions relatives au fonctionnement quotidien de l'atelier (règlement intérieur, planning, achats de consommables).",
        "Les décisions stratégiques relèvent de l'instance dirigeante, qui valide le budget annuel et le programme d'investissement.",
        "Une charte d'usage définit les droits et obligations de chacun : respect des consignes de sécurité, entretien des postes, participation à la vie du lieu.",
        "Les collectivités partenaires sont invitées aux réunions du comité de pilotage avec voix consultative.",
        "Un rapport d'activité annuel sera présenté aux partenaires et rendu public.",
        "La direction opérationnelle est confiée à un coordinateur salarié, garant de la mise en œuvre du projet.",
        "Les résidents élisent chaque année deux représentants chargés de porter leur voix auprès de l'instance dirigeante.",
        "Un règlement intérieur, annexé à la convention de résidence, précise les règles de vie commune.",
        "Les partenaires financeurs sont associés à un comité de suivi annuel du projet.",
        "La gouvernance est conçue pour associer progressivement les usagers aux choix d'investissement.",
        "Des groupes de travail thématiques (communication, formation, équipements) réunissent résidents et salariés.",
        "Les comptes du projet font l'objet d'une comptabilité analytique distincte.",
    ],
    // 5: premises (never the title)
    &[
        "Le bâtiment nécessite des travaux d'aménagement (électricité, extraction des poussières, isolation) qui sont intégrés au plan d'investissement.",
        "Il est accessible par la route et dispose d'un espace de stationnement pour les véhicules utilitaires.",
        "Le site est desservi par les transports en commun et se situe à proximité immédiate du centre.",
        "Les locaux seront conformes aux normes d'accueil du public après réalisation des travaux prévus.",
        "La hauteur sous plafond et la résistance du sol permettent l'installation de machines lourdes.",
        "Un diagnostic technique du bâtiment a été réalisé par un bureau d'études au cours de l'automne 2021.",
        "L'accès des camions de livraison est possible par un portail latéral.",
        "Les réseaux (électricité triphasée, eau, fibre optique) sont présents en limite de parcelle.",
        "Un espace extérieur permettra le stockage temporaire des matériaux et l'accueil d'événements.",
        "La configuration en plateau facilite un aménagement modulable selon l'évolution des activités.",
        "Le voisinage immédiat est composé d'activités économiques, ce qui limite les contraintes liées au bruit.",
    ],
    // 6: economic model
    &[
        "Le modèle économique repose sur trois piliers : la mise à disposition d'espaces et de temps machine aux résidents, les prestations de fabrication pour des clients professionnels et l'offre de formation.",
        "Les investissements en machines sont amortis sur cinq à sept ans ; un fonds de renouvellement est constitué dès la première année.",
        "Des conventions de partenariat avec les entreprises locales garantiront un volume minimal de commandes dès l'ouverture.",
        "L'équilibre d'exploitation est visé à l'horizon de la troisième année, avec une part croissante de ressources propres.",
        "Les tarifs ont été construits à partir d'une étude des prix pratiqués par des ateliers partagés comparables, en tenant compte du pouvoir d'achat des artisans locaux.",
        "Une attention particulière est portée au taux d'occupation des postes de travail, principal indicateur de pilotage retenu.",
        "Les subventions de fonctionnement sollicitées sont dégressives et permettent d'absorber la montée en charge progressive de l'activité.",
        "Une grille tarifaire solidaire est prévue pour les jeunes créateurs et les personnes en reconversion durant leurs six premiers mois d'activité.",
        "Le prévisionnel a été construit avec l'appui d'un expert-comptable et relu par le réseau d'accompagnement.",
        "Un scénario prudent, avec un taux d'occupation réduit d'un tiers, a été étudié et reste soutenable.",
        "La trésorerie de démarrage est sécurisée par un prêt d'honneur et par les fonds propres de la structure.",
        "Les charges de personnel représentent le premier poste de dépenses, conformément à la vocation d'animation du lieu.",
        "Les prestations aux entreprises devraient représenter près d'un tiers des recettes à partir de la troisième année.",
        "Les recettes issues des formations progresseront avec l'obtention de la certification Qualiopi.",
    ],
    // 7: training and transmission
    &[
        "La transmission des savoir-faire est au cœur du projet : chaque résident s'engage à consacrer quelques heures par mois à l'accueil d'apprentis ou de stagiaires.",
        "Des sessions de formation continue, éligibles au compte personnel de formation, sont en cours de construction avec un organisme certifié Qualiopi.",
        "Des modules d'habilitation aux machines, obligatoires avant toute utilisation autonome, seront dispensés par le régisseur d'atelier.",
        "La manufacture souhaite devenir un lieu d'accueil pour des reconversions professionnelles, en partenariat avec Pôle emploi et la mission locale.",
        "Des ateliers de découverte des métiers seront proposés aux collégiens et aux demandeurs d'emploi, afin de susciter des vocations.",
        "Un programme de compagnonnage entre artisans expérimentés et jeunes professionnels sera formalisé au cours de la deuxième année.",
        "En lien avec le lycée professionnel et le centre de formation des apprentis, la manufacture accueillera des apprentis en CAP et en bac professionnel.",
        "Les résidents expérimentés pourront devenir formateurs occasionnels et être rémunérés à ce titre.",
        "Un parcours d'initiation de quarante heures sera proposé aux personnes en reconversion.",
        "Les formations seront ouvertes aux salariés des entreprises partenaires dans le cadre de leur plan de développement des compétences.",
        "Des fiches de poste et des tutoriels illustrés seront affichés à proximité de chaque équipement.",
        "Un partenariat avec l'université permettra d'accueillir des étudiants en projet tutoré.",
        "Les savoir-faire rares du territoire feront l'objet d'une captation vidéo pour en garder la mémoire.",
    ],
    // 8: ecological transition and partnerships
    &[
        "Le projet contribue à relocaliser des productions aujourd'hui importées, réduisant d'autant les transports de marchandises.",
        "La rénovation du bâtiment intégrera une amélioration de la performance énergétique (isolation, éclairage LED, récupération de chaleur).",
        "Le partage des machines limite mécaniquement le nombre d'équipements produits et achetés sur le territoire.",
        "Un bilan carbone simplifié sera réalisé à l'issue de la première année d'exploitation.",
        "Les matériaux seront achetés en priorité auprès de fournisseurs situés à moins de 150 km.",
        "Des lettres de soutien ont été recueillies auprès des principaux partenaires et peuvent être transmises sur demande.",
        "Le projet bénéficie de l'appui technique du réseau régional des tiers-lieux, qui a accompagné la rédaction de la présente candidature.",
        "Une convention cadre avec la chambre de métiers et de l'artisanat précisera les modalités d'orientation des porteurs de projet vers la manufacture.",
        "Les chutes de production seront triées et proposées gratuitement aux écoles et aux ateliers de loisirs.",
        "Un plan de mobilité encouragera le covoiturage des résidents et l'usage du vélo.",
        "Les produits d'entretien et de finition seront choisis parmi les références les moins émissives.",
        "Les partenaires se réunissent deux fois par an pour faire le point sur l'avancement du projet.",
        "De nouveaux partenariats seront recherchés auprès des entreprises du bassin d'emploi dès l'ouverture.",
        "La consommation d'énergie de chaque équipement sera suivie afin d'optimiser les plages d'utilisation.",
    ],
];

/// Builds the section titles according to the dossier's heading mode.
struct Titles {
    mode: HeadingMode,
    plain_sections: Vec<usize>,
}

impl Titles {
    fn section(&self, number: usize, text: &str) -> Block {
        let roman = ROMAN.get(number.saturating_sub(1)).copied().unwrap_or("X");
        let (text, styled) = match self.mode {
            HeadingMode::Styled => (
                format!("{number}. {text}"),
                !self.plain_sections.contains(&number),
            ),
            HeadingMode::BoldArabic => (format!("{number}. {text}"), false),
            HeadingMode::BoldRoman => (format!("{roman}. {text}"), false),
            HeadingMode::BoldPartie => (format!("Partie {number} – {text}"), false),
        };
        Block::Heading {
            level: 1,
            text,
            styled,
        }
    }

    fn subsection(&self, number: usize, sub: usize, text: &str) -> Block {
        let styled = self.mode == HeadingMode::Styled && !self.plain_sections.contains(&number);
        Block::Heading {
            level: 2,
            text: format!("{number}.{sub} {text}"),
            styled,
        }
    }
}

fn siret_row(siret: &SiretCase, rng: &mut Rng) -> Option<(String, String)> {
    match siret {
        SiretCase::Valid { written, .. } | SiretCase::Invalid { written, .. } => Some((
            rng.pick_str(&["N° SIRET", "SIRET", "Numéro SIRET"])
                .to_owned(),
            written.clone(),
        )),
        SiretCase::Pending => Some((
            rng.pick_str(&["N° SIRET", "SIRET"]).to_owned(),
            rng.pick_str(&[
                "en cours d'attribution",
                "En cours d'immatriculation (dépôt des statuts en décembre 2021)",
                "non communiqué à ce jour",
            ])
            .to_owned(),
        )),
        SiretCase::SirenOnly { siren } => Some((
            "N° SIREN".to_owned(),
            format!("{siren} (SIRET de l'établissement en cours de création)"),
        )),
    }
}

fn land_text(profile: &Profile, sep: char, rng: &mut Rng) -> Vec<String> {
    let land = &profile.land;
    let surface = land.surface_m2.map(|s| {
        format!(
            "{}{NBSP}m²",
            euros(u64::from(s), sep, "").trim_end_matches(NBSP)
        )
    });
    let building = land.building;
    let commune = &profile.commune.name;
    let with_surface = |s: &Option<String>| {
        s.as_ref()
            .map(|s| format!("{building} de {s}"))
            .unwrap_or_else(|| building.to_owned())
    };
    let years = land.lease_years.unwrap_or(0);
    let mut out = Vec::new();
    let main = match (land.status, land.phrasing) {
        ("owned", 0) => format!(
            "{} est propriétaire du bâtiment qui accueillera la manufacture : {}, acquis en {}.",
            profile.structure_name,
            with_surface(&surface),
            rng.range(2005, 2020)
        ),
        ("owned", 1) => format!(
            "Nous sommes propriétaires des locaux ({}), situés au cœur de {commune}.",
            with_surface(&surface)
        ),
        ("owned", _) => format!(
            "Les locaux appartiennent en pleine propriété à la structure porteuse : il s'agit de {}.",
            with_surface(&surface)
        ),
        ("purchase_in_progress", 0) => format!(
            "Un compromis de vente a été signé le {} pour l'acquisition de {} ; la signature de l'acte authentique est prévue au printemps 2022.",
            french_date(2021, rng.range(9, 11) as u32, rng.range(2, 28) as u32),
            with_surface(&surface)
        ),
        ("purchase_in_progress", 1) => format!(
            "Compromis de vente signé avec la commune de {commune} pour {} ; le financement de l'acquisition est assuré par un prêt bancaire.",
            with_surface(&surface)
        ),
        ("purchase_in_progress", _) => format!(
            "L'acquisition de {} est en cours : une promesse de vente a été signée et la vente sera réitérée par acte notarié début 2022.",
            with_surface(&surface)
        ),
        ("lease", 0) => format!(
            "La manufacture s'installera dans {}, loué dans le cadre d'un bail commercial 3-6-9 signé en 2021.",
            with_surface(&surface)
        ),
        ("lease", 1) => format!(
            "Les locaux ({}) sont loués à un propriétaire privé par un bail de {years} ans.",
            with_surface(&surface)
        ),
        ("lease", _) => format!(
            "Un bail civil d'une durée de {years} ans a été conclu pour {}.",
            with_surface(&surface)
        ),
        ("emphyteotic_lease", 0) => format!(
            "La commune de {commune} met à disposition {} dans le cadre d'un bail emphytéotique de {years} ans.",
            with_surface(&surface)
        ),
        ("emphyteotic_lease", 1) => format!(
            "Le bâtiment ({}) fait l'objet d'un bail emphytéotique d'une durée de {years} ans consenti par l'intercommunalité.",
            with_surface(&surface)
        ),
        ("emphyteotic_lease", _) => format!(
            "Maîtrise foncière : bail emphytéotique ({years} ans) signé en 2021 sur {}.",
            with_surface(&surface)
        ),
        ("provided_free", 0) => format!(
            "Les locaux ({}) sont mis à disposition gratuitement par la commune de {commune} dans le cadre d'une convention d'occupation d'une durée de {years} ans.",
            with_surface(&surface)
        ),
        ("provided_free", 1) => format!(
            "Une convention de mise à disposition gratuite par la commune pour {years} ans porte sur {}.",
            with_surface(&surface)
        ),
        ("provided_free", _) => format!(
            "{} est mis à disposition à titre gracieux par l'intercommunalité, par convention d'occupation précaire renouvelable.",
            capitalise(&with_surface(&surface))
        ),
        ("negotiation", 0) => format!(
            "Une négociation avancée est en cours avec la communauté de communes pour l'occupation de {} ; un accord de principe a été voté en conseil communautaire.",
            with_surface(&surface)
        ),
        ("negotiation", _) => format!(
            "Le site identifié ({}) fait l'objet de discussions avancées avec son propriétaire ; une lettre d'intention est jointe au dossier.",
            with_surface(&surface)
        ),
        _ => rng
            .pick_str(&[
                "La recherche de locaux est en cours ; aucun site n'est identifié à ce jour.",
                "Le porteur prospecte plusieurs bâtiments vacants mais aucun accord n'a encore été trouvé.",
            ])
            .to_owned(),
    };
    out.push(main);
    if let Some((temporary, year)) = land.transitional {
        out.push(format!(
            "Dans l'attente de la livraison des locaux définitifs, prévue en {year}, l'activité démarrera dans un local provisoire de {temporary}{NBSP}m² mis à disposition par un partenaire."
        ));
    }
    out
}

/// "A", "A et B", "A, B et C".
fn join_french(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn programme_sentence(code: &str, profile: &Profile, rng: &mut Rng) -> String {
    let commune = &profile.commune.name;
    match code {
        "petites_villes_de_demain" => match rng.below(3) {
            0 => format!("La commune de {commune} est lauréate du programme Petites villes de demain, et la manufacture figure parmi les actions de revitalisation du centre-bourg."),
            1 => format!("{commune} a été retenue au titre de {} en décembre 2020.", quote("Petites villes de demain")),
            _ => "Le projet est inscrit dans la convention d'adhésion au programme Petites Villes de Demain (PVD) signée par la commune.".to_owned(),
        },
        "action_coeur_de_ville" => match rng.below(2) {
            0 => "La ville bénéficie du programme Action cœur de ville depuis 2018 ; le projet est inscrit dans l'opération de revitalisation du territoire (ORT).".to_owned(),
            _ => format!("Le site se trouve dans le périmètre du programme {}.", quote("Action Cœur de Ville")),
        },
        "territoires_d_industrie" => match rng.below(2) {
            0 => format!("Le territoire est labellisé Territoires d'industrie et le projet répond à l'axe {} de sa feuille de route.", quote("recruter")),
            _ => "L'intercommunalité fait partie d'un Territoire d'industrie, dont le comité de pilotage soutient la candidature.".to_owned(),
        },
        "qpv" => match rng.below(2) {
            0 => "La manufacture sera implantée en quartier prioritaire de la politique de la ville (QPV), à quelques rues du centre.".to_owned(),
            _ => format!("Le bâtiment est situé au sein du QPV {}, dont les habitants constituent un public prioritaire.", quote("Les Hauts")),
        },
        _ => format!(
            "Le tiers-lieu porté par {} est labellisé Fabrique de territoire depuis 2020.",
            profile.structure_name
        ),
    }
}

fn denied_sentence(code: &str) -> String {
    match code {
        "action_coeur_de_ville" => {
            "Le territoire n'est en revanche pas concerné par le programme Action cœur de ville.".to_owned()
        }
        _ => "La commune n'a pas été retenue au programme Petites villes de demain, mais le projet s'inscrit dans le contrat de relance et de transition écologique (CRTE).".to_owned(),
    }
}

fn rural_sentence(profile: &Profile, rng: &mut Rng) -> String {
    let commune = &profile.commune.name;
    let population = euros(u64::from(profile.population), NBSP, "habitants");
    if profile.rural {
        match rng.below(3) {
            0 => format!("Le projet s'implante dans un territoire rural : {commune} est une commune de {population}, classée en zone de revitalisation rurale (ZRR)."),
            1 => format!("{commune} ({population}) se situe au cœur d'un bassin de vie rural marqué par une faible densité de population."),
            _ => "Nous sommes implantés en milieu rural, à plus de quarante minutes de la première agglomération.".to_owned(),
        }
    } else {
        match profile.commune.kind {
            TerritoryKind::Urban => format!(
                "Le projet s'installe en zone urbaine dense : {commune} compte {population} et concentre une forte population jeune."
            ),
            TerritoryKind::MediumTown => format!(
                "{commune} est une ville moyenne de {population}, pôle d'emploi pour son bassin de vie."
            ),
            _ => format!(
                "{commune}, petite ville de {population}, joue un rôle de centralité pour les communes voisines."
            ),
        }
    }
}

fn legal_sentences(profile: &Profile, rng: &mut Rng) -> Vec<String> {
    let label = profile.legal_form.label;
    let structure = &profile.structure_name;
    let mut out = vec![match profile.legal_form.code {
        "local_authority" => format!(
            "La candidature est portée directement par la collectivité ({}), en son nom propre.",
            label.to_lowercase()
        ),
        "individual" => {
            "Le porteur exerce aujourd'hui en tant qu'entrepreneur individuel (micro-entreprise)."
                .to_owned()
        }
        _ => match rng.below(3) {
            0 => format!("Statut juridique actuel : {label}."),
            1 => format!(
                "{structure} est constituée sous la forme suivante : {label}, immatriculée en {}.",
                profile.creation_year
            ),
            _ => format!(
                "La structure porteuse ({structure}) relève du statut {}.",
                quote(label)
            ),
        },
    }];
    if let Some((_, planned, year)) = profile.planned_form {
        out.push(match rng.below(2) {
            0 => format!("Une transformation en {planned} est prévue au cours de l'année {year}, afin d'associer au capital les résidents, les salariés et les collectivités."),
            _ => format!("À l'issue de la phase d'incubation, la structure évoluera vers une {planned} (changement de statut envisagé en {year})."),
        });
    }
    if profile.consortium() {
        let members = join_french(&profile.consortium_members);
        out.push(match rng.below(2) {
            0 => format!("Le projet est porté en consortium par {structure} (chef de file), avec {members}, liés par un accord de consortium signé en 2021."),
            _ => format!("La candidature est collective : {structure}, chef de file, la porte avec {members} ; chaque membre apporte ses équipements et ses compétences."),
        });
    } else {
        out.push(format!(
            "{structure} porte seule le projet, en lien étroit avec les partenaires présentés plus loin."
        ));
    }
    out
}

fn budget_sentence(profile: &Profile, sep: char, rng: &mut Rng) -> String {
    let budget = &profile.budget;
    let total = euros(budget.total_expenses(), sep, "€");
    let subsidy = euros(budget.total_subsidy(), sep, "€");
    let share = (budget.subsidy_share() * 100.0).round();
    let investment = euros(budget.total_investment(), sep, "€");
    let split = match budget.subsidy_split {
        Some((amorcage, invest)) if amorcage > 0 && rng.chance(70) => format!(
            ", dont {} au titre de l'amorçage et {} au titre de l'investissement",
            euros(amorcage, sep, "€"),
            euros(invest, sep, "€")
        ),
        _ => String::new(),
    };
    format!(
        "Le budget global du projet sur la période 2022-2024 s'élève à {total} (fonctionnement et investissement). La subvention sollicitée au titre de l'AMI {} est de {subsidy}{split}, soit {share}{NBSP}% du budget total. Le plan d'investissement s'élève à {investment}. Le détail figure dans la matrice budgétaire jointe.",
        quote("Manufactures de proximité")
    )
}

/// Writes the application of `profile`, scaled to about `words` words.
pub fn application(profile: &Profile, words: usize, rng: &mut Rng) -> Application {
    let sep = if rng.chance(70) { NBSP } else { NNBSP };
    let titles = Titles {
        mode: profile.heading_mode,
        plain_sections: profile.plain_sections.clone(),
    };
    let commune = &profile.commune;
    let (year, month, day, hour, minute) = profile.deposited;
    let mut blocks = Vec::new();

    // Cover.
    blocks.push(Block::Cover {
        text: "Agence nationale de la cohésion des territoires – France Tiers-Lieux".to_owned(),
        big: false,
    });
    blocks.push(Block::Cover {
        text: format!(
            "Appel à manifestation d'intérêt {}",
            quote("Manufactures de proximité")
        ),
        big: true,
    });
    blocks.push(Block::Cover {
        text: "Programme Nouveaux lieux, nouveaux liens – France Relance".to_owned(),
        big: false,
    });
    blocks.push(Block::Cover {
        text: "DOSSIER DE CANDIDATURE".to_owned(),
        big: true,
    });
    blocks.push(Block::Cover {
        text: profile.manufacture_name.clone(),
        big: true,
    });
    blocks.push(Block::Cover {
        text: format!("Porté par : {}", profile.structure_name),
        big: false,
    });
    blocks.push(Block::Cover {
        text: format!("{} ({})", commune.name, commune.department_bare()),
        big: false,
    });
    blocks.push(Block::Cover {
        text: match rng.below(3) {
            0 => format!("Date de dépôt : {day:02}/{month:02}/{year} à {hour:02}h{minute:02}"),
            1 => format!(
                "Déposé le {} à {hour}{NBSP}h{NBSP}{minute:02}",
                french_date(year, month, day)
            ),
            _ => format!("Date de dépôt : {day:02}/{month:02}/{year} – {hour:02}:{minute:02}"),
        },
        big: false,
    });
    blocks.push(Block::PageBreak);

    // 1. Applicant.
    blocks.push(titles.section(
        1,
        rng.pick_str(&[
            "Présentation du porteur de projet",
            "Le porteur de projet",
            "Présentation de la structure porteuse",
        ]),
    ));
    blocks.push(titles.subsection(1, 1, "Identité de la structure"));
    let mut identity = vec![
        (
            rng.pick_str(&[
                "Nom de la structure",
                "Raison sociale",
                "Structure porteuse",
            ])
            .to_owned(),
            profile.structure_name.clone(),
        ),
        (
            rng.pick_str(&["Forme juridique", "Statut juridique"])
                .to_owned(),
            profile.legal_form.label.to_owned(),
        ),
    ];
    if let Some(row) = siret_row(&profile.siret, rng) {
        identity.push(row);
    }
    identity.push((
        rng.pick_str(&["Adresse du siège", "Siège social", "Adresse"])
            .to_owned(),
        format!(
            "{}, {} {}",
            profile.street_address, commune.postal_code, commune.name
        ),
    ));
    identity.push((
        "Année de création".to_owned(),
        profile.creation_year.to_string(),
    ));
    identity.push((
        "Représentant légal".to_owned(),
        format!(
            "{}, {}",
            profile.representative, profile.representative_role
        ),
    ));
    identity.push((
        "Personne référente du dossier".to_owned(),
        profile.contact.clone(),
    ));
    // Most dossiers answer in the template's table; some retyped it as « Label : value » lines.
    if rng.chance(75) {
        blocks.push(Block::KeyValue(identity));
    } else {
        for (label, text) in identity {
            blocks.push(Block::Labelled {
                label: format!("{label} :"),
                text,
            });
        }
    }
    blocks.push(titles.subsection(1, 2, "Historique et activités"));
    blocks.push(Block::Filler { pool: 0 });

    // 2. Project.
    blocks.push(titles.section(
        2,
        rng.pick_str(&[
            "Le projet de manufacture de proximité",
            "Description du projet",
            "Présentation du projet",
        ]),
    ));
    blocks.push(titles.subsection(2, 1, "Présentation générale"));
    blocks.push(Block::Labelled {
        label: "Nom de la manufacture :".to_owned(),
        text: profile.manufacture_name.clone(),
    });
    blocks.push(Block::Filler { pool: 1 });
    blocks.push(titles.subsection(2, 2, "Filières et activités"));
    blocks.push(Block::Paragraph(
        rng.pick_str(&[
            "Filières concernées :",
            "La manufacture s'adresse aux filières suivantes :",
            "Les activités de production relèvent des filières :",
        ])
        .to_owned(),
    ));
    blocks.push(Block::Bullets(
        profile.sectors.iter().map(|s| s.label.to_owned()).collect(),
    ));
    blocks.push(titles.subsection(2, 3, "Parc de machines"));
    if profile.machines_as_table {
        let rows = profile
            .machines
            .iter()
            .map(|m| {
                vec![
                    m.name.to_owned(),
                    if m.digital {
                        "Numérique"
                    } else {
                        "Traditionnel"
                    }
                    .to_owned(),
                    euros(m.cost, sep, "€"),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            header: vec![
                "Équipement".to_owned(),
                "Type".to_owned(),
                "Montant estimé (HT)".to_owned(),
            ],
            rows,
        });
    } else {
        blocks.push(Block::Paragraph(
            "Les équipements mutualisés prévus sont les suivants :".to_owned(),
        ));
        blocks.push(Block::Bullets(
            profile
                .machines
                .iter()
                .map(|m| format!("{} ({} HT)", m.name, euros(m.cost, sep, "€")))
                .collect(),
        ));
    }
    blocks.push(Block::Filler { pool: 2 });

    // 3. Territory.
    blocks.push(titles.section(
        3,
        rng.pick_str(&[
            "Diagnostic territorial",
            "Ancrage et diagnostic du territoire",
            "Le territoire et ses besoins",
        ]),
    ));
    blocks.push(Block::Filler { pool: 3 });
    let territory = rural_sentence(profile, rng);
    if rng.chance(20) {
        blocks.push(Block::Noted {
            text: territory,
            note: "Source : INSEE, recensement de la population 2018.".to_owned(),
        });
    } else {
        blocks.push(Block::Paragraph(territory));
    }
    if !profile.programmes.is_empty() || profile.denied_programme.is_some() {
        let mut sentences: Vec<String> = profile
            .programmes
            .iter()
            .map(|p| programme_sentence(p, profile, rng))
            .collect();
        if let Some(denied) = profile.denied_programme {
            sentences.push(denied_sentence(denied));
        }
        if rng.chance(50) && sentences.len() > 1 {
            blocks.push(Block::Paragraph(
                "Le projet s'inscrit dans les dispositifs publics suivants :".to_owned(),
            ));
            blocks.push(Block::Bullets(sentences));
        } else {
            blocks.push(Block::Paragraph(sentences.join(" ")));
        }
    }
    blocks.push(Block::Filler { pool: 3 });

    // 4. Legal model.
    blocks.push(titles.section(
        4,
        rng.pick_str(&[
            "Modèle juridique et gouvernance",
            "Statut juridique et gouvernance",
            "Structuration juridique",
        ]),
    ));
    for sentence in legal_sentences(profile, rng) {
        blocks.push(Block::Paragraph(sentence));
    }
    blocks.push(Block::Filler { pool: 4 });

    // 5. Premises.
    blocks.push(titles.section(
        5,
        rng.pick_str(&[
            "Maîtrise foncière",
            "Locaux et maîtrise foncière",
            "Le lieu : foncier et immobilier",
        ]),
    ));
    for (i, sentence) in land_text(profile, sep, rng).into_iter().enumerate() {
        if i == 0 && profile.land.status != "none" && rng.chance(25) {
            blocks.push(Block::Noted {
                text: sentence,
                note: rng
                    .pick_str(&[
                        "Le plan des locaux est joint en annexe du dossier.",
                        "Des photographies du site figurent en annexe.",
                    ])
                    .to_owned(),
            });
        } else {
            blocks.push(Block::Paragraph(sentence));
        }
    }
    if profile.land.status != "none" {
        blocks.push(Block::Filler { pool: 5 });
    }

    // 6. Economic model.
    blocks.push(titles.section(
        6,
        rng.pick_str(&[
            "Modèle économique",
            "Modèle économique et plan de financement",
            "Budget et modèle économique",
        ]),
    ));
    blocks.push(Block::Filler { pool: 6 });
    let budget_text = budget_sentence(profile, sep, rng);
    if rng.chance(35) {
        blocks.push(Block::Noted {
            text: budget_text,
            note: rng
                .pick_str(&[
                    "Montants exprimés TTC, la structure ne récupérant pas la TVA.",
                    "Le détail par poste et par année figure dans la matrice budgétaire jointe.",
                ])
                .to_owned(),
        });
    } else {
        blocks.push(Block::Paragraph(budget_text));
    }
    let residents = rng.range(6, 12);
    blocks.push(Block::Paragraph("Indicateurs de suivi :".to_owned()));
    blocks.push(Block::Table {
        header: vec![
            "Indicateur".to_owned(),
            "2022".to_owned(),
            "2023".to_owned(),
            "2024".to_owned(),
        ],
        rows: vec![
            vec![
                "Nombre de résidents permanents".to_owned(),
                residents.to_string(),
                (residents + 4).to_string(),
                (residents + 7).to_string(),
            ],
            vec![
                "Heures machine facturées".to_owned(),
                "1100".to_owned(),
                "1700".to_owned(),
                "2200".to_owned(),
            ],
            vec![
                "Emplois créés (ETP)".to_owned(),
                "2".to_owned(),
                "3".to_owned(),
                "5".to_owned(),
            ],
        ],
    });

    // 7. Training.
    blocks.push(titles.section(
        7,
        rng.pick_str(&[
            "Formation et transmission des savoir-faire",
            "Compétences, formation et emploi",
            "Stratégie ressources humaines et formation",
        ]),
    ));
    blocks.push(Block::Filler { pool: 7 });

    // 8. Ecology.
    blocks.push(titles.section(
        8,
        rng.pick_str(&[
            "Transition écologique",
            "Engagements environnementaux",
            "Transition écologique et sobriété",
        ]),
    ));
    blocks.push(Block::Filler { pool: 8 });

    // 9. Partners.
    blocks.push(titles.section(
        9,
        rng.pick_str(&[
            "Partenariats",
            "Partenaires du projet",
            "Écosystème partenarial",
        ]),
    ));
    if profile.partners_as_table {
        blocks.push(Block::Table {
            header: vec!["Partenaire".to_owned(), "Nature du partenariat".to_owned()],
            rows: profile
                .partners
                .iter()
                .map(|(name, role)| vec![name.clone(), (*role).to_owned()])
                .collect(),
        });
    } else {
        blocks.push(Block::Paragraph("Nos principaux partenaires :".to_owned()));
        blocks.push(Block::Bullets(
            profile
                .partners
                .iter()
                .map(|(name, role)| format!("{name} : {role}"))
                .collect(),
        ));
    }

    // 10. Calendar.
    blocks.push(titles.section(
        10,
        rng.pick_str(&[
            "Calendrier prévisionnel",
            "Calendrier de mise en œuvre",
            "Rétroplanning",
        ]),
    ));
    blocks.push(Block::Table {
        header: vec!["Période".to_owned(), "Étape".to_owned()],
        rows: vec![
            vec![
                "Printemps 2022".to_owned(),
                "Incubation de quatre mois avec France Tiers-Lieux".to_owned(),
            ],
            vec![
                "Été 2022".to_owned(),
                "Travaux d'aménagement et commande des équipements".to_owned(),
            ],
            vec![
                "Automne 2022".to_owned(),
                "Ouverture aux premiers résidents".to_owned(),
            ],
            vec![
                "2023".to_owned(),
                "Montée en charge, lancement de l'offre de formation".to_owned(),
            ],
            vec![
                "2024".to_owned(),
                "Équilibre d'exploitation visé".to_owned(),
            ],
        ],
    });

    // Signature: the day of or before the deposit, never the deposit date itself as a field.
    let signed_day = if day > 1 && rng.chance(50) {
        day - 1
    } else {
        day
    };
    blocks.push(Block::Paragraph(format!(
        "Fait à {}, le {}",
        commune.name,
        french_date(year, month, signed_day)
    )));
    blocks.push(Block::Paragraph(format!(
        "{}, {}",
        profile.representative, profile.representative_role
    )));

    expand_fillers(&mut blocks, profile, words, rng);

    let region = region_name(&commune.region);
    Application {
        blocks,
        header: format!(
            "AMI Manufactures de proximité – Dossier de candidature – {}",
            profile.manufacture_name
        ),
        footer: format!(
            "{} – {} ({region}) – page ",
            profile.structure_name, commune.name
        ),
    }
}

/// Counts words the way a reader does: whitespace-separated tokens.
pub fn count_words(blocks: &[Block]) -> usize {
    let words = |s: &str| s.split_whitespace().count();
    blocks
        .iter()
        .map(|block| match block {
            Block::Cover { text, .. } | Block::Heading { text, .. } | Block::Paragraph(text) => {
                words(text)
            }
            Block::Labelled { label, text } => words(label) + words(text),
            Block::Noted { text, note } => words(text) + words(note),
            Block::Bullets(items) => items.iter().map(|i| words(i)).sum(),
            Block::KeyValue(rows) => rows.iter().map(|(k, v)| words(k) + words(v)).sum(),
            Block::Table { header, rows } => {
                header.iter().map(|h| words(h)).sum::<usize>()
                    + rows.iter().flatten().map(|c| words(c)).sum::<usize>()
            }
            Block::PageBreak | Block::Filler { .. } => 0,
        })
        .sum()
}

/// Replaces the filler placeholders with paragraphs until the text reaches about `words`.
fn expand_fillers(blocks: &mut Vec<Block>, profile: &Profile, words: usize, rng: &mut Rng) {
    let base = count_words(blocks);
    let slots: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| matches!(b, Block::Filler { .. }).then_some(i))
        .collect();
    // Each pool is shuffled once and then read in a cycle, so short dossiers use distinct
    // sentences and long ones repeat only after exhausting a pool.
    let mut orders: Vec<Vec<usize>> = POOLS
        .iter()
        .map(|pool| {
            let mut order: Vec<usize> = (0..pool.len()).collect();
            rng.shuffle(&mut order);
            order
        })
        .collect();
    let mut cursors = vec![0usize; POOLS.len()];
    let mut texts: Vec<Vec<String>> = vec![Vec::new(); slots.len()];
    let mut written = base;
    let fill = |s: &str| {
        s.replace("{commune}", &profile.commune.name)
            .replace("{of_department}", &profile.commune.of_department())
            .replace("{structure}", &profile.structure_name)
            .replace("{manufacture}", &profile.manufacture_name)
    };
    // Round-robin over the slots; a slot whose pool has been read `cycle` times waits until
    // every pool has, so small pools do not repeat while large ones still have fresh sentences.
    let mut cycle = 1usize;
    while written < words && !slots.is_empty() {
        let mut progressed = false;
        for (slot_index, block_index) in slots.iter().enumerate() {
            if written >= words {
                break;
            }
            let Some(Block::Filler { pool }) = blocks.get(*block_index) else {
                continue;
            };
            let (Some(sentences), Some(order), Some(cursor)) = (
                POOLS.get(*pool),
                orders.get_mut(*pool),
                cursors.get_mut(*pool),
            ) else {
                continue;
            };
            if order.is_empty() || *cursor >= order.len() * cycle {
                continue;
            }
            let Some(sentence) = order
                .get(*cursor % order.len())
                .and_then(|i| sentences.get(*i))
            else {
                continue;
            };
            *cursor += 1;
            progressed = true;
            if *cursor % order.len() == 0 {
                rng.shuffle(order);
            }
            let sentence = fill(sentence);
            written += sentence.split_whitespace().count();
            if let Some(list) = texts.get_mut(slot_index) {
                list.push(sentence);
            }
        }
        if !progressed {
            cycle += 1;
        }
    }
    // Replace from the end so indices stay valid; group sentences into paragraphs of 2 to 4.
    for (slot_index, block_index) in slots.iter().enumerate().rev() {
        let sentences = texts.get(slot_index).cloned().unwrap_or_default();
        let mut paragraphs = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut target = rng.range(2, 4) as usize;
        for sentence in sentences {
            current.push(sentence);
            if current.len() >= target {
                paragraphs.push(Block::Paragraph(current.join(" ")));
                current.clear();
                target = rng.range(2, 4) as usize;
            }
        }
        if !current.is_empty() {
            paragraphs.push(Block::Paragraph(current.join(" ")));
        }
        blocks.splice(*block_index..=*block_index, paragraphs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_use_non_breaking_spaces() {
        assert_eq!(euros(120_000, NBSP, "€"), "120\u{a0}000\u{a0}€");
        assert_eq!(
            euros(1_234_567, NNBSP, "€"),
            "1\u{202f}234\u{202f}567\u{a0}€"
        );
        assert_eq!(euros(950, NBSP, "€"), "950\u{a0}€");
    }

    #[test]
    fn filler_never_states_a_recorded_fact() {
        let forbidden = [
            "rural",
            "bail",
            "propriét",
            "association",
            "scic",
            "scop",
            "sarl",
            "textile",
            "bois",
            "métal",
            "céramique",
            "cuir",
            "verre",
            "numérique",
            "réemploi",
            "alimentaire",
            "qpv",
            "petites villes",
            "cœur de ville",
            "territoires d'industrie",
            "fabrique de territoire",
            "cnc",
            "laser",
            "3d",
        ];
        for pool in POOLS {
            for sentence in pool {
                let lower = sentence.to_lowercase();
                for word in forbidden {
                    assert!(!lower.contains(word), "{word:?} in {sentence:?}");
                }
            }
        }
    }
}
