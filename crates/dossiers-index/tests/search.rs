//! The index on small hand-made records: upsert, the query language against real postings,
//! boosts, facets, filters, stats, similar, locks. Each test has its own temporary index.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use dossiers_index::search::{SearchRequest, SortKey};
use dossiers_index::stats::WaveSelection;
use dossiers_index::{Dimension, DossierIndex, IndexError, Number};
use dossiers_model::{
    FlagCode, LandControlStatus, LegalForm, Record, Section, SectionTopic, Sector,
};

fn section(topic: SectionTopic, text: &str) -> Section {
    Section {
        topic,
        title: String::new(),
        text: text.to_owned(),
        at: String::new(),
    }
}

fn record(id: &str, wave: u8, form: LegalForm, sections: &[(SectionTopic, &str)]) -> Record {
    let mut record = Record::new(id);
    record.wave = Some(wave);
    record.legal_model.form = form;
    record.sections = sections.iter().map(|(t, s)| section(*t, s)).collect();
    record
}

/// Five dossiers that exercise one feature each.
fn sample() -> Vec<Record> {
    let mut a = record(
        "d-a",
        2,
        LegalForm::Association,
        &[
            (
                SectionTopic::LandControl,
                "La commune nous consent un bail emphytéotique de 30 ans sur une friche.",
            ),
            (
                SectionTopic::Activities,
                "Menuiserie et ébénisterie, découpe laser.",
            ),
        ],
    );
    a.land_control.status = LandControlStatus::EmphyteoticLease;
    a.budget.total_expenses = Some(100_000.0);
    a.budget.subsidy_requested = Some(90_000.0);
    a.budget.subsidy_share = Some(0.9);
    a.activities.sectors = vec![Sector::Bois];
    a.applicant.commune = Some("Bressuire".into());
    let mut b = record(
        "d-b",
        3,
        LegalForm::Scic,
        &[
            (
                SectionTopic::LandControl,
                "Un bail commercial 3-6-9 est signé.",
            ),
            (
                SectionTopic::Project,
                "Nous n'avons pas de bail emphytéotique ; la maîtrise foncière passe par un bail classique.",
            ),
        ],
    );
    b.land_control.status = LandControlStatus::Lease;
    b.budget.total_expenses = Some(200_000.0);
    b.budget.subsidy_requested = Some(50_000.0);
    b.budget.subsidy_share = Some(0.25);
    b.activities.sectors = vec![Sector::Bois, Sector::Textile];
    let mut c = record(
        "d-c",
        3,
        LegalForm::Scic,
        &[(
            SectionTopic::Training,
            "Formations CAP menuisier et couture pour les jeunes de Bressuire.",
        )],
    );
    c.flags.push(dossiers_model::Flag {
        code: FlagCode::BudgetMissing,
        message: "pas de matrice".into(),
        provenance: Default::default(),
    });
    c.activities.sectors = vec![Sector::Textile];
    let d = record(
        "d-d",
        3,
        LegalForm::Sarl,
        &[(
            SectionTopic::EconomicModel,
            "Les recettes viennent de la location d'ateliers partagés.",
        )],
    );
    let e = record(
        "d-e",
        2,
        LegalForm::Association,
        &[(
            SectionTopic::Other,
            "L'atelier de céramique accueille des potiers.",
        )],
    );
    vec![a, b, c, d, e]
}

fn index_of(records: &[Record]) -> (tempfile::TempDir, DossierIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = DossierIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for record in records {
        writer.upsert(record, "").unwrap();
    }
    writer.commit("test-run").unwrap();
    index.reload().unwrap();
    (dir, index)
}

fn ids(index: &DossierIndex, query: &str) -> Vec<String> {
    let mut request = SearchRequest::new(query);
    request.limit = 100;
    index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.dossier_id)
        .collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn queries_find_what_they_say() {
    let (_dir, index) = index_of(&sample());
    let check = |query: &str, expected: &[&str]| {
        assert_eq!(sorted(ids(&index, query)), expected, "query {query:?}");
    };
    check("emphytéotique", &["d-a", "d-b"]);
    check("emphyteotique", &["d-a", "d-b"]);
    check("EMPHYTÉOTIQUES", &["d-a", "d-b"]);
    check("foncier:emphytéotique", &["d-a"]);
    check("locaux:bail", &["d-a", "d-b"]);
    check("« bail emphytéotique »", &["d-a", "d-b"]);
    check("\"bail commercial\"", &["d-b"]);
    check("\"commercial bail\"", &[]);
    check("bail -emphytéotique", &[]);
    check("bail -friche", &["d-b"]);
    check("menuis*", &["d-a", "d-c"]);
    check("ceramique", &["d-e"]);
    check("l'atelier", &["d-d", "d-e"]);
    check("emphytéotque~2", &["d-a", "d-b"]);
    check("fonciere", &["d-b"]);
    check("foncier", &["d-b"]);
    check("subsidy_share:>0.8", &["d-a"]);
    check("part_subvention:<=25%", &["d-b"]);
    check("budget_total:150000..250000", &["d-b"]);
    check("forme:scic", &["d-b", "d-c"]);
    check("filiere:bois -forme:scic", &["d-a"]);
    check("alerte:budget_missing", &["d-c"]);
    check("céramique OR couture", &["d-c", "d-e"]);
    check("le la les", &["d-a", "d-b", "d-c", "d-d", "d-e"]);
    check("", &["d-a", "d-b", "d-c", "d-d", "d-e"]);
    check("nom:bressuire", &["d-a"]);
    // Issue 14: `AND` is what a space already says, and parentheses group.
    check("bail AND friche", &["d-a"]);
    check("bail ET friche", &["d-a"]);
    check("(céramique OR couture) -forme:scic", &["d-e"]);
    check("(bail friche) OR céramique", &["d-a", "d-e"]);
    check("-(bail OR céramique)", &["d-c", "d-d"]);
    check("foncier:(emphytéotique OR commercial)", &["d-a", "d-b"]);
}

#[test]
fn and_finds_what_a_space_finds() {
    let (_dir, index) = index_of(&sample());
    for (spaced, with_and) in [
        ("bail emphytéotique", "bail AND emphytéotique"),
        ("atelier bois", "atelier AND bois"),
        ("forme:scic bail", "forme:scic AND bail"),
    ] {
        assert_eq!(
            sorted(ids(&index, spaced)),
            sorted(ids(&index, with_and)),
            "{with_and}"
        );
    }
}

fn ids_sorted_by(
    index: &DossierIndex,
    query: &str,
    sort: SortKey,
    descending: Option<bool>,
) -> Vec<String> {
    let mut request = SearchRequest::new(query);
    request.limit = 100;
    request.sort = sort;
    request.descending = descending;
    index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.dossier_id)
        .collect()
}

#[test]
fn hits_sort_by_number_date_and_amounts_missing_values_last() {
    let mut records = sample();
    // d-a 100 000 / 90 000 / 0.9, d-b 200 000 / 50 000 / 0.25; give the others amounts, numbers
    // and dates, leaving one of each missing.
    let numbers = [Some(30), Some(10), None, Some(20), Some(5)];
    let dates = [
        Some("2022-01-12T10:31:00+01:00"),
        Some("2021-11-02T09:00:00+01:00"),
        Some("2022-03-01T18:45:00+01:00"),
        None,
        Some("2021-06-30T12:00:00+02:00"),
    ];
    for (record, (number, date)) in records.iter_mut().zip(numbers.into_iter().zip(dates)) {
        record.ds_number = number;
        record.deposited_at = date.map(str::to_owned);
    }
    records[2].budget.total_expenses = Some(300_000.0);
    records[2].budget.subsidy_requested = Some(120_000.0);
    records[2].budget.subsidy_share = Some(0.4);
    let (_dir, index) = index_of(&records);
    let by = |sort, descending| ids_sorted_by(&index, "", sort, descending);
    assert_eq!(
        by(SortKey::Number, None),
        ["d-e", "d-b", "d-d", "d-a", "d-c"]
    );
    assert_eq!(
        by(SortKey::Number, Some(true)),
        ["d-a", "d-d", "d-b", "d-e", "d-c"]
    );
    // No words, no relevance: the list is in number order.
    assert_eq!(by(SortKey::Relevance, None), by(SortKey::Number, None));
    assert_eq!(
        ids_sorted_by(&index, "forme:scic", SortKey::Relevance, None),
        ["d-b", "d-c"]
    );
    assert_eq!(
        by(SortKey::Deposited, None),
        ["d-e", "d-b", "d-a", "d-c", "d-d"]
    );
    assert_eq!(
        by(SortKey::Deposited, Some(true)),
        ["d-c", "d-a", "d-b", "d-e", "d-d"]
    );
    assert_eq!(by(SortKey::Budget, None)[..3], ["d-c", "d-b", "d-a"]);
    assert_eq!(by(SortKey::Subsidy, None)[..3], ["d-c", "d-a", "d-b"]);
    assert_eq!(by(SortKey::Share, None)[..3], ["d-a", "d-c", "d-b"]);
    assert_eq!(by(SortKey::Share, Some(false))[..3], ["d-b", "d-c", "d-a"]);
    // A sorted page is the same slice of the same order.
    let mut request = SearchRequest::new("");
    request.sort = SortKey::Subsidy;
    request.offset = 1;
    request.limit = 2;
    let page: Vec<String> = index
        .search(&request)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.dossier_id)
        .collect();
    assert_eq!(page, ["d-a", "d-b"]);
    // A sorted hit still says what the list shows.
    let hit = index.search(&request).unwrap().hits.remove(0);
    assert_eq!(hit.budget_total, Some(100_000.0));
    assert_eq!(hit.subsidy_share, Some(0.9));
    assert_eq!(hit.ds_number, Some(30));
    for key in SortKey::ALL {
        assert_eq!(SortKey::parse(key.name()), Some(key));
    }
    assert_eq!(SortKey::parse("subvention"), Some(SortKey::Subsidy));
    assert_eq!(SortKey::parse("dépôt"), Some(SortKey::Deposited));
}

#[test]
fn section_matches_and_names_rank_first() {
    let (_dir, index) = index_of(&sample());
    // d-a says it in its land-control section, d-b only in its project section.
    assert_eq!(
        ids(&index, "foncier:emphytéotique OR emphytéotique")[0],
        "d-a"
    );
    // d-a's commune is Bressuire; d-c only mentions the town in its text.
    assert_eq!(ids(&index, "bressuire"), ["d-a", "d-c"]);
}

#[test]
fn snippets_come_from_the_section_that_matched() {
    let (_dir, index) = index_of(&sample());
    let results = index
        .search(&SearchRequest::new("foncier:emphytéotique"))
        .unwrap();
    let snippet = &results.hits[0].snippets[0];
    assert_eq!(snippet.section, "land_control");
    assert!(
        snippet.html.contains("<b>emphytéotique</b>"),
        "{}",
        snippet.html
    );
    assert!(snippet.marked("[", "]").contains("[emphytéotique]"));
}

#[test]
fn facets_count_the_result_set_and_filters_narrow_it() {
    let (_dir, index) = index_of(&sample());
    let mut request = SearchRequest::new("bail");
    let results = index.search(&request).unwrap();
    assert_eq!(results.total, 2);
    let forms = &results.facets["legal_form"];
    assert_eq!(forms.len(), 2);
    assert!(forms.iter().all(|f| f.count == 1));
    let sectors: Vec<(&str, u64)> = results.facets["sector"]
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    assert_eq!(sectors, [("bois", 2), ("textile", 1)]);
    assert_eq!(results.facets["flag"][0].value, "none");
    assert_eq!(results.facets["programme"][0].value, "none");
    request.wave = Some(3);
    assert_eq!(index.search(&request).unwrap().total, 1);
    request.wave = None;
    request.filters = vec![(Dimension::Sector, "textile".into())];
    let results = index.search(&request).unwrap();
    assert_eq!(results.hits[0].dossier_id, "d-b");
}

#[test]
fn upsert_replaces_and_commits_are_atomic() {
    let records = sample();
    let (_dir, index) = index_of(&records);
    assert_eq!(index.num_dossiers(), 5);
    let mut writer = index.writer().unwrap();
    // A second writer on the same folder is refused while the first one lives.
    assert!(matches!(index.writer(), Err(IndexError::Locked { .. })));
    let mut changed = records[0].clone();
    changed.legal_model.form = LegalForm::Scop;
    writer.upsert(&changed, "").unwrap();
    writer.upsert(&changed, "").unwrap();
    // Not visible before the commit.
    index.reload().unwrap();
    assert_eq!(
        index.get("d-a").unwrap().legal_model.form,
        LegalForm::Association
    );
    let report = writer.commit("run-2").unwrap();
    assert_eq!(report.upserted, 2);
    index.reload().unwrap();
    assert_eq!(index.num_dossiers(), 5);
    assert_eq!(index.get("d-a").unwrap().legal_model.form, LegalForm::Scop);
    let payload = index.last_commit_payload().unwrap().unwrap();
    assert!(payload.contains("\"run_id\":\"run-2\""), "{payload}");
    assert!(matches!(index.get("nope"), Err(IndexError::NotFound(_))));
}

#[test]
fn stats_count_sum_and_split_by_wave() {
    let (_dir, index) = index_of(&sample());
    let report = index
        .stats(Dimension::LegalForm, WaveSelection::One(3))
        .unwrap();
    let counts = dossiers_index::stats::counts(&report);
    assert_eq!(counts.get("scic"), Some(&2));
    assert_eq!(counts.get("sarl"), Some(&1));
    assert_eq!(counts.get("association"), None);
    assert_eq!(report.total.metrics.dossiers, 3);
    let scic = report.rows.iter().find(|r| r.value == "scic").unwrap();
    assert_eq!(scic.metrics.budget_total, Some(200_000.0));
    // One budget in the group: its median is that budget, not the sketch's estimate.
    assert_eq!(scic.metrics.budget_median, Some(200_000.0));
    assert_eq!(scic.metrics.subsidy_median, Some(50_000.0));
    assert_eq!(scic.metrics.subsidy_share_mean, Some(0.25));

    let side = index
        .stats(Dimension::Sector, WaveSelection::SideBySide)
        .unwrap();
    let bois = side.rows.iter().find(|r| r.value == "bois").unwrap();
    assert_eq!(bois.metrics.dossiers, 2);
    let waves: Vec<(&str, u64)> = bois
        .waves
        .iter()
        .map(|w| (w.wave.as_str(), w.metrics.dossiers))
        .collect();
    assert_eq!(waves, [("2", 1), ("3", 1)]);
    let json = serde_json::to_value(&side).unwrap();
    assert_eq!(json["wave"], "all");
    assert!(side.to_csv().lines().count() > 2);
    assert!(side.to_xlsx().unwrap().starts_with(b"PK"));
}

#[test]
fn distribution_counts_each_interval_exactly() {
    let (_dir, index) = index_of(&sample());
    let all = index
        .distribution(Number::BudgetTotal, WaveSelection::Pooled, &[150_000.0])
        .unwrap();
    let budgets: Vec<f64> = sample()
        .iter()
        .filter_map(|r| r.budget.total_expenses)
        .collect();
    let below = budgets.iter().filter(|b| **b < 150_000.0).count() as u64;
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].from, all[0].to), (None, Some(150_000.0)));
    assert_eq!((all[1].from, all[1].to), (Some(150_000.0), None));
    assert_eq!(all[0].count, below);
    assert_eq!(all[1].count, budgets.len() as u64 - below);
    let wave_two = index
        .distribution(Number::BudgetTotal, WaveSelection::One(2), &[150_000.0])
        .unwrap();
    assert!(wave_two.iter().map(|r| r.count).sum::<u64>() < budgets.len() as u64);
}

#[test]
fn similar_leaves_the_dossier_out() {
    let (_dir, index) = index_of(&sample());
    let hits = index.similar("d-a", 3).unwrap();
    assert!(hits.iter().all(|hit| hit.dossier_id != "d-a"));
}

#[test]
fn a_folder_of_another_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(DossierIndex::create_or_open(dir.path()).unwrap());
    std::fs::write(
        dir.path().join("dossiers-index.json"),
        r#"{"format": 99, "created_by": "later"}"#,
    )
    .unwrap();
    let error = DossierIndex::open(dir.path()).unwrap_err();
    assert!(
        matches!(error, IndexError::UnsupportedFormat { found: 99, .. }),
        "{error}"
    );
    std::fs::remove_file(dir.path().join("dossiers-index.json")).unwrap();
    assert!(matches!(
        DossierIndex::open(dir.path()),
        Err(IndexError::NotAnIndex { .. })
    ));
}
