//! One-line cases for every lookup, chosen for the places where French geography breaks naive
//! rules: Corsica's two departments under one postal prefix, overseas three-digit departments,
//! Paris/Lyon/Marseille arrondissements, postal codes shared by communes and communes with
//! several postal codes, homonyms, merged communes.

use dossiers_geo::*;

#[track_caller]
fn check_department(postal_code: &str, expected: Option<&str>) {
    assert_eq!(
        department_of_postal_code(postal_code),
        expected,
        "department_of_postal_code({postal_code:?})"
    );
}

#[track_caller]
fn check_region(postal_code: &str, expected: Option<&str>) {
    assert_eq!(
        region_of_postal_code(postal_code),
        expected,
        "region_of_postal_code({postal_code:?})"
    );
}

#[track_caller]
fn check_postal(postal_code: &str, expected_insee: &[&str]) {
    let found: Vec<&str> = communes_by_postal_code(postal_code)
        .iter()
        .map(|c| c.insee)
        .collect();
    assert_eq!(
        found, expected_insee,
        "communes_by_postal_code({postal_code:?})"
    );
}

/// `expected` is the INSEE code of the commune found, or `None`.
#[track_caller]
fn check_find(name: &str, postal_code: Option<&str>, expected: Option<&str>) {
    assert_eq!(
        find_commune(name, postal_code).map(|c| c.insee),
        expected,
        "find_commune({name:?}, {postal_code:?})"
    );
}

#[track_caller]
fn check_find_in(name: &str, department: &str, expected: Option<&str>) {
    assert_eq!(
        find_commune_in_department(name, department).map(|c| c.insee),
        expected,
        "find_commune_in_department({name:?}, {department:?})"
    );
}

#[test]
fn department_of_postal_code_cases() {
    // The README's example and ordinary metropolitan codes.
    check_department("79300", Some("79"));
    check_department("01400", Some("01"));
    check_department("44000", Some("44"));
    check_department("75011", Some("75"));
    check_department("75116", Some("75"));
    // Corsica: both sides of the 20200 boundary, known and unknown codes.
    check_department("20000", Some("2A"));
    check_department("20090", Some("2A"));
    check_department("20167", Some("2A"));
    check_department("20100", Some("2A"));
    check_department("20199", Some("2A"));
    check_department("20200", Some("2B"));
    check_department("20250", Some("2B"));
    check_department("20600", Some("2B"));
    check_department("20290", Some("2B"));
    check_department("20999", Some("2B"));
    check_department("20176", Some("2A"));
    // Overseas departments: three digits.
    check_department("97100", Some("971"));
    check_department("97200", Some("972"));
    check_department("97300", Some("973"));
    check_department("97400", Some("974"));
    check_department("97490", Some("974"));
    check_department("97600", Some("976"));
    check_department("97620", Some("976"));
    // Overseas collectivities: the data's own codes.
    check_department("97500", Some("975"));
    check_department("97133", Some("977"));
    check_department("97150", Some("978"));
    check_department("98800", Some("988"));
    check_department("98714", Some("987"));
    // CEDEX and other codes the data does not know fall back to the rule.
    check_department("75700", Some("75"));
    check_department("13284", Some("13"));
    check_department("79001", Some("79"));
    check_department("97199", Some("971"));
    // Postal codes that straddle two departments: the one the digits name.
    check_department("05110", Some("05"));
    check_department("01200", Some("01"));
    check_department("52100", Some("52"));
    // Written the way dossiers and spreadsheets write them.
    check_department(" 79300 ", Some("79"));
    check_department("79 300", Some("79"));
    check_department("79\u{a0}300", Some("79"));
    check_department("1400", Some("01"));
    // Not French departments, or not postal codes.
    check_department("98000", None);
    check_department("00100", None);
    check_department("96000", None);
    check_department("", None);
    check_department("7930", Some("07"));
    check_department("793000", None);
    check_department("79-300", None);
    check_department("2A004", None);
    check_department("abcde", None);
}

#[test]
fn region_of_postal_code_cases() {
    check_region("79300", Some("75"));
    check_region("75011", Some("11"));
    check_region("69003", Some("84"));
    check_region("13008", Some("93"));
    check_region("20167", Some("94"));
    check_region("20200", Some("94"));
    check_region("97100", Some("01"));
    check_region("97200", Some("02"));
    check_region("97300", Some("03"));
    check_region("97400", Some("04"));
    check_region("97600", Some("06"));
    check_region("35000", Some("53"));
    check_region("59000", Some("32"));
    check_region("98000", None);
}

#[test]
fn communes_by_postal_code_cases() {
    // Paris, Lyon, Marseille: one commune for each arrondissement's code.
    check_postal("75011", &["75056"]);
    check_postal("75116", &["75056"]);
    check_postal("69003", &["69123"]);
    check_postal("13008", &["13055"]);
    // Ajaccio has three postal codes; each finds it.
    // 20167 serves Ajaccio and nine communes around it.
    check_postal(
        "20167",
        &[
            "2A001", "2A004", "2A006", "2A017", "2A103", "2A209", "2A271", "2A323", "2A336",
            "2A351",
        ],
    );
    check_postal("20000", &["2A004"]);
    check_postal("20090", &["2A004"]);
    check_postal("97600", &["97610", "97611"]);
    check_postal("00000", &[]);
    check_postal("75700", &[]);
    check_postal("nope", &[]);
    // A postal code shared by several communes.
    let bressuire_area: Vec<&str> = communes_by_postal_code("79300")
        .iter()
        .map(|c| c.name)
        .collect();
    assert!(bressuire_area.len() >= 2, "{bressuire_area:?}");
    assert!(bressuire_area.contains(&"Bressuire"), "{bressuire_area:?}");
    assert!(
        communes_by_postal_code("79300")
            .iter()
            .all(|c| c.department == "79" && c.region == "75")
    );
}

#[test]
fn commune_fields() {
    let ajaccio = commune("2A004").unwrap();
    assert_eq!(ajaccio.name, "Ajaccio");
    assert_eq!((ajaccio.department, ajaccio.region), ("2A", "94"));
    assert_eq!(
        ajaccio.postal_codes().collect::<Vec<_>>(),
        ["20000", "20090", "20167"]
    );
    assert!(ajaccio.has_postal_code("20090"));
    assert!(!ajaccio.has_postal_code("2009"));
    assert_eq!(commune("2a004"), Some(ajaccio));

    let bastia = commune("2B033").unwrap();
    assert_eq!(
        (bastia.name, bastia.department, bastia.region),
        ("Bastia", "2B", "94")
    );

    let saint_denis = commune("97411").unwrap();
    assert_eq!(
        (saint_denis.name, saint_denis.department, saint_denis.region),
        ("Saint-Denis", "974", "04")
    );

    let paris = commune("75056").unwrap();
    assert_eq!(paris.postal_codes().count(), 21);
    // Arrondissement and former-commune codes lead to the commune they belong to.
    assert_eq!(commune("75111").map(|c| c.insee), Some("75056"));
    assert_eq!(commune("69383").map(|c| c.insee), Some("69123"));
    assert_eq!(commune("13208").map(|c| c.insee), Some("13055"));
    assert_eq!(commune("79028").map(|c| c.insee), Some("79049"));
    assert_eq!(
        commune("1001").map(|c| c.name),
        Some("L'Abergement-Clémenciat")
    );
    assert_eq!(commune("99999"), None);
    assert_eq!(commune(""), None);
    // TAAF districts exist but have no postal code.
    assert_eq!(commune("98412").map(|c| c.postal_codes().count()), Some(0));
}

#[test]
fn departments_and_regions() {
    let check = |code: &str, expected: Option<(&str, &str)>| {
        assert_eq!(
            department(code).map(|d| (d.name, d.region)),
            expected,
            "department({code:?})"
        );
    };
    check("79", Some(("Deux-Sèvres", "75")));
    check("2A", Some(("Corse-du-Sud", "94")));
    check("2b", Some(("Haute-Corse", "94")));
    check("01", Some(("Ain", "84")));
    check("1", Some(("Ain", "84")));
    check("971", Some(("Guadeloupe", "01")));
    check("976", Some(("Mayotte", "06")));
    check("20", None);
    check("96", None);
    check("", None);

    assert_eq!(region_of_department("79"), Some("75"));
    assert_eq!(region_of_department("75"), Some("11"));
    assert_eq!(region_of_department("2A"), Some("94"));
    assert_eq!(region_of_department("974"), Some("04"));
    assert_eq!(region_of_department("00"), None);

    assert_eq!(region("75").map(|r| r.name), Some("Nouvelle-Aquitaine"));
    assert_eq!(region("11").map(|r| r.name), Some("Île-de-France"));
    assert_eq!(
        region("94").map(|r| (r.name, r.zone)),
        Some(("Corse", Zone::Metropole))
    );
    assert_eq!(
        region("06").map(|r| (r.name, r.zone)),
        Some(("Mayotte", Zone::Drom))
    );
    assert_eq!(region("975").map(|r| r.zone), Some(Zone::Com));
    assert_eq!(region("99"), None);
    assert_eq!(
        department("978").map(|d| (d.name, d.zone)),
        Some(("Saint-Martin", Zone::Com))
    );
}

#[test]
fn find_commune_cases() {
    // Accents, case, hyphens, « St ».
    check_find("Saint-Étienne", None, Some("42218"));
    check_find("saint etienne", None, Some("42218"));
    check_find("ST-ETIENNE", None, Some("42218"));
    check_find("st-etienne", Some("42000"), Some("42218"));
    check_find("Bressuire", Some("79300"), Some("79049"));
    check_find("BRESSUIRE", None, Some("79049"));
    check_find("L'Haÿ-les-Roses", None, Some("94038"));
    check_find("l’hay les roses", None, Some("94038"));
    check_find("LHAY LES ROSES", None, None);
    check_find("Mans (Le)", None, Some("72181"));
    check_find("le mans", Some("72000"), Some("72181"));
    check_find("Châlons-en-Champagne", None, Some("51108"));
    check_find("chalons en champagne", None, Some("51108"));
    check_find("Aubusson", Some("23200"), Some("23008"));
    check_find("Grasse", None, Some("06069"));
    // Corsica and overseas.
    check_find("Ajaccio", None, Some("2A004"));
    check_find("ajaccio", Some("20090"), Some("2A004"));
    check_find("Bastia", Some("20200"), Some("2B033"));
    check_find("Corte", Some("20250"), Some("2B096"));
    check_find("Saint-Denis", Some("97400"), Some("97411"));
    check_find("Saint-Denis", Some("93200"), Some("93066"));
    check_find("st denis", Some("97490"), Some("97411"));
    check_find("Mamoudzou", None, Some("97611"));
    check_find("Pointe-à-Pitre", Some("97110"), Some("97120"));
    // Homonyms: ambiguous without a postal code, chosen by it.
    check_find("Saint-Denis", None, None);
    check_find("Plouhinec", None, None);
    check_find("Plouhinec", Some("29780"), Some("29197"));
    check_find("Plouhinec", Some("56680"), Some("56169"));
    // A CEDEX code: not a commune's code, but its department decides.
    check_find("Plouhinec", Some("56001"), Some("56169"));
    check_find("Niort Cedex 9", Some("79009"), Some("79191"));
    // A postal code that contradicts the name gives nothing rather than a guess.
    check_find("Bressuire", Some("75011"), None);
    // A malformed postal code is ignored.
    check_find("Bressuire", Some("n/a"), Some("79049"));
    // Paris, Lyon, Marseille with arrondissements.
    check_find("Paris", Some("75011"), Some("75056"));
    check_find("Paris 11e", Some("75011"), Some("75056"));
    check_find("Paris 11e Arrondissement", None, Some("75056"));
    check_find("Lyon", Some("69003"), Some("69123"));
    check_find("Lyon 3ème", None, Some("69123"));
    check_find("Marseille 8e arrondissement", Some("13008"), Some("13055"));
    check_find("MARSEILLE CEDEX 08", Some("13284"), Some("13055"));
    // Former communes merged into a commune nouvelle find the commune nouvelle.
    check_find("Bellegarde-sur-Valserine", Some("01200"), Some("01033"));
    check_find("Lancrans", None, Some("01033"));
    check_find("Clazay", Some("79300"), Some("79049"));
    check_find("Beaulieu-sous-Bressuire", None, Some("79049"));
    // A missing or extra article.
    check_find("Creusot", Some("71200"), Some("71153"));
    check_find("Puy-en-Velay", None, Some("43157"));
    check_find("La Puy-en-Velay", None, None);
    check_find("Le Bressuire", None, Some("79049"));
    check_find("Chalon s/ Saône", Some("71100"), Some("71076"));
    // Unknown names.
    check_find("Atlantis", None, None);
    check_find("", None, None);
    check_find("   ", Some("79300"), None);
}

#[test]
fn find_commune_in_department_cases() {
    check_find_in("Saint-Denis", "974", Some("97411"));
    check_find_in("Saint-Denis", "93", Some("93066"));
    check_find_in("Plouhinec", "29", Some("29197"));
    check_find_in("Plouhinec", "56", Some("56169"));
    check_find_in("Bastia", "2b", Some("2B033"));
    check_find_in("Bastia", "2A", None);
    check_find_in("Bressuire", "99", None);
}

#[test]
fn find_communes_lists_homonyms() {
    let plouhinec: Vec<&str> = find_communes("plouhinec").iter().map(|c| c.insee).collect();
    assert_eq!(plouhinec, ["29197", "56169"]);
    assert!(find_communes("Saint-Denis").len() > 2);
    assert!(find_communes("Atlantis").is_empty());
}

#[test]
fn table_sizes_match_the_source() {
    // The counts make.py printed for @etalab/decoupage-administratif 2.3.1 (COG 2022): a
    // parser that silently skipped a line would change them.
    let all_departments = ["2A", "2B", "971", "972", "973", "974", "976"];
    for code in all_departments {
        assert!(department(code).is_some(), "{code}");
    }
    for number in (1..=95).filter(|n| *n != 20) {
        assert!(department(&format!("{number:02}")).is_some(), "{number:02}");
    }
    for code in [
        "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76",
        "84", "93", "94",
    ] {
        assert!(region(code).is_some(), "{code}");
    }
    assert_eq!(find_communes("Paris").len(), 1);
    let n_communes = (0..100_000)
        .map(|n| format!("{n:05}"))
        .map(|code| communes_by_postal_code(&code).len())
        .sum::<usize>();
    assert_eq!(n_communes, 35_568);
}

/// The applicants of the sample dossiers (`shared/dossiers/*.truth.json`): commune, postal code,
/// and the department and region a careful reader filled in.
#[test]
fn sample_dossier_applicants() {
    #[track_caller]
    fn check(commune: &str, postal_code: &str, department: &str, region: &str) {
        assert_eq!(
            department_of_postal_code(postal_code),
            Some(department),
            "{postal_code}"
        );
        assert_eq!(
            region_of_postal_code(postal_code),
            Some(region),
            "{postal_code}"
        );
        let found = find_commune(commune, Some(postal_code)).unwrap_or_else(|| panic!("{commune}"));
        assert_eq!(
            (found.name, found.department, found.region),
            (commune, department, region)
        );
    }
    check("Bressuire", "79300", "79", "75");
    check("Thiers", "63300", "63", "84");
    check("Aubusson", "23200", "23", "75");
    check("Montreuil", "93100", "93", "11");
    check("Corte", "20250", "2B", "94");
    check("Saint-Benoît", "97470", "974", "04");
    check("Vierzon", "18100", "18", "24");
    check("Le Creusot", "71200", "71", "27");
    check("Lavelanet", "09300", "09", "76");
    check("Saint-Junien", "87200", "87", "75");
    check("Fougères", "35300", "35", "53");
    check("Hirson", "02500", "02", "32");
    check("Roubaix", "59100", "59", "32");
    check("Die", "26150", "26", "84");
    check("Le Puy-en-Velay", "43000", "43", "84");
}

/// Dossier text is arbitrary: no input makes a lookup panic.
#[test]
fn odd_inputs_do_not_panic() {
    let inputs = [
        "",
        " ",
        "\0",
        "(",
        ")",
        "()",
        "(le)",
        "x (",
        "x )",
        "2",
        "2a",
        "2aé",
        "2Bé9",
        "é",
        "9é",
        "20",
        "200000",
        "99999",
        "00000",
        "cedex",
        " cedex",
        "cedex 9",
        "1er",
        "e",
        "st",
        "ste",
        "\u{a0}\u{202f}",
        "ʼ",
        "ᵉ",
        "𝔖𝔞𝔦𝔫𝔱",
        "🏭",
        "\u{301}",
        "---",
        "l'",
        "’’’",
    ];
    let long = "Saint-".repeat(10_000);
    for input in inputs.iter().copied().chain([long.as_str()]) {
        let _ = fold(input);
        let _ = fold_commune_name(input);
        let _ = normalize_postal_code(input);
        let _ = department_of_postal_code(input);
        let _ = region_of_postal_code(input);
        let _ = communes_by_postal_code(input);
        let _ = department(input);
        let _ = region(input);
        let _ = region_of_department(input);
        let _ = commune(input);
        let _ = find_commune(input, None);
        let _ = find_commune(input, Some(input));
        let _ = find_commune_in_department(input, input);
        let _ = find_communes(input);
    }
}

#[test]
fn find_department_and_region_by_name() {
    let department = |name: &str| find_department(name).map(|d| d.code);
    assert_eq!(department("Deux-Sèvres"), Some("79"));
    assert_eq!(department("deux sevres"), Some("79"));
    assert_eq!(department("CORSE DU SUD"), Some("2A"));
    assert_eq!(department("Haute-Corse"), Some("2B"));
    assert_eq!(department("La Réunion"), Some("974"));
    assert_eq!(department("Côtes-d'Armor"), Some("22"));
    assert_eq!(department("Seine-St-Denis"), Some("93"));
    assert_eq!(department("Atlantide"), None);
    assert_eq!(department(""), None);
    let region = |name: &str| find_region(name).map(|r| r.code);
    assert_eq!(region("Ile-de-France"), Some("11"));
    assert_eq!(region("Provence-Alpes-Côte d’Azur"), Some("93"));
    assert_eq!(region("nouvelle aquitaine"), Some("75"));
    assert_eq!(region("Corse"), Some("94"));
    assert_eq!(region("PACA"), None);
}

#[test]
fn locate_cases() {
    #[track_caller]
    fn check(
        name: Option<&str>,
        postal_code: Option<&str>,
        expected: (Option<&str>, Option<&str>, Option<&str>),
    ) {
        let found = locate(name, postal_code);
        assert_eq!(
            (
                found.commune.map(|c| c.insee),
                found.department,
                found.region
            ),
            expected,
            "locate({name:?}, {postal_code:?})"
        );
    }
    check(
        Some("Bressuire"),
        Some("79300"),
        (Some("79049"), Some("79"), Some("75")),
    );
    check(
        Some("Bressuire"),
        None,
        (Some("79049"), Some("79"), Some("75")),
    );
    check(None, Some("79300"), (None, Some("79"), Some("75")));
    check(None, Some("20167"), (None, Some("2A"), Some("94")));
    check(
        Some("Atlantis"),
        Some("20200"),
        (None, Some("2B"), Some("94")),
    );
    check(Some("Saint-Denis"), None, (None, None, None));
    check(
        Some("Saint-Denis"),
        Some("97400"),
        (Some("97411"), Some("974"), Some("04")),
    );
    check(None, None, (None, None, None));
    check(None, Some("98000"), (None, None, None));
    // 05110 serves communes of the Hautes-Alpes and of the Alpes-de-Haute-Provence: the
    // commune settles which.
    let in_04 = communes_by_postal_code("05110")
        .iter()
        .find(|c| c.department == "04")
        .unwrap();
    check(
        Some(in_04.name),
        Some("05110"),
        (Some(in_04.insee), Some("04"), Some("93")),
    );
    check(None, Some("05110"), (None, Some("05"), Some("93")));
    assert_eq!(
        locate(None, Some("79 300")).postal_code.as_deref(),
        Some("79300")
    );
}
