//! Filling the record from the application and the matrix: each field from the section or
//! field that carries it, with its provenance (the file, and the section, field, line or cells
//! that decided).

use dossiers_model::{LegalForm, Provenance, Record, Section, SectionTopic, field};

use crate::application::Application;
use crate::budget::BudgetReading;
use crate::lexicon::Label;
use crate::names::{NameKind, clean_name};
use crate::{activities, dates, land, legal, siret, territory};

pub(crate) fn provenance(record: &mut Record, field: &str, file: &str, at: impl Into<String>) {
    record.provenance.insert(
        field.to_string(),
        Provenance {
            file: file.to_string(),
            at: at.into(),
        },
    );
}

/// The line of `text` around byte `at`.
pub(crate) fn line_around(text: &str, at: usize) -> &str {
    let start = text
        .get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| at + i);
    text.get(start..end).unwrap_or("")
}

/// A sentence cited in provenance, « between quotes », cut to a readable length.
pub(crate) fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 160;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_CHARS {
        format!("« {text} »")
    } else {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("« {}… »", cut.trim_end())
    }
}

pub(crate) fn fill_from_application(record: &mut Record, app: &Application, file: &str) {
    // The whole text is read by several readers: fold it once.
    let app_folded = crate::text::Folded::new(&app.text);
    let asked: Vec<(usize, usize)> = app
        .asked
        .iter()
        .map(|(start, end)| {
            (
                app_folded.folded_offset(*start),
                app_folded.folded_offset(*end),
            )
        })
        .collect();
    record.sections = app
        .sections
        .iter()
        .map(|s| Section {
            topic: s.topic,
            title: s.title.clone(),
            text: s.text.trim_end().to_string(),
            at: s.at(),
        })
        .collect();

    // Deposit date and wave: the stamp that decided is quoted.
    let margins_folded = crate::text::Folded::new(&app.margins);
    let deposit = dates::deposit_in(&app_folded.text)
        .map(|d| (d, &app_folded, "page de garde"))
        .or_else(|| {
            dates::deposit_in(&margins_folded.text)
                .map(|d| (d, &margins_folded, "en-tête ou pied de page"))
        });
    if let Some((deposit, folded, place)) = deposit {
        record.deposited_at = Some(dates::iso_paris(deposit.at));
        record.wave = dates::wave_of(deposit.at);
        let line = folded.original_span(deposit.line_start, deposit.line_end);
        let at = format!("{place}, {}", quote(line));
        provenance(record, field::DEPOSITED_AT, file, at.clone());
        provenance(
            record,
            field::WAVE,
            file,
            format!("{at} et calendrier des vagues"),
        );
    }

    let applicant_text = app.topic_text(SectionTopic::Applicant);
    // Identity: the first labelled value that reads as a name, else a sentence that
    // introduces one.
    let name_field = |label: Label, kind: NameKind| {
        app.fields
            .iter()
            .filter(|f| f.key == Some(label))
            .find_map(|f| clean_name(&f.value, kind).map(|name| (name, app.field_at(f))))
    };
    if let Some((name, at)) = name_field(Label::StructureName, NameKind::Structure) {
        record.applicant.structure_name = Some(name);
        provenance(record, field::STRUCTURE_NAME, file, at);
    }
    if let Some((name, at)) = name_field(Label::ManufactureName, NameKind::Manufacture) {
        record.applicant.manufacture_name = Some(name);
        provenance(record, field::MANUFACTURE_NAME, file, at);
    }
    if record.applicant.manufacture_name.is_none() {
        let project = app.topic_text(SectionTopic::Project);
        let named = [
            (app.cover.as_str(), "page de garde"),
            (project.as_str(), "présentation du projet"),
            (app.text.as_str(), "texte de la candidature"),
        ]
        .into_iter()
        .find_map(|(text, at)| crate::names::named_manufacture(text).map(|name| (name, at)));
        if let Some((name, at)) = named {
            record.applicant.manufacture_name = Some(name);
            provenance(record, field::MANUFACTURE_NAME, file, at);
        }
    }
    let siret_field = app.field(Label::Siret);
    let found_siret = match siret_field {
        Some(field) => {
            siret::find_siret(&format!("SIRET {}", field.value)).map(|s| (s, app.field_at(field)))
        }
        None => siret::find_siret(&applicant_text)
            .map(|s| (s, "présentation du porteur".to_string()))
            .or_else(|| {
                siret::find_siret_in(&app_folded)
                    .map(|s| (s, "texte de la candidature".to_string()))
            })
            // A letterhead's footer (« … – SIRET 123 456 789 00012 – … ») when the body has none.
            .or_else(|| {
                siret::find_siret(&app.margins).map(|s| (s, "en-tête ou pied de page".to_string()))
            }),
    };
    if let Some((number, at)) = found_siret {
        record.applicant.siret_valid = Some(siret::is_valid_siret(&number));
        record.applicant.siret = Some(number);
        provenance(record, field::SIRET, file, at);
    }
    // Where the applicant is: every place of the address field, the applicant's presentation,
    // the cover page, the headers and footers, and last the whole text is a candidate; the
    // best one wins (a commune named beside its postal code, then a commune with its
    // department, then a postal code alone), a line that says « siège » or « adresse » first,
    // then the earlier source. A place in a letter's recipient block (the ANCT's address) or
    // in a sentence about someone else is not the applicant's. The line that decided is quoted.
    let sources: Vec<(String, String, u8)> = app
        .fields
        .iter()
        .filter(|f| f.key == Some(Label::Address) && !f.value.trim().is_empty())
        .map(|f| (f.value.clone(), app.field_at(f), 2))
        .chain([
            (
                applicant_text.clone(),
                "présentation du porteur".to_string(),
                1,
            ),
            (app.cover.clone(), "page de garde".to_string(), 1),
            (
                app.margins.clone(),
                "en-tête ou pied de page".to_string(),
                1,
            ),
            (app.text.clone(), "texte de la candidature".to_string(), 0),
        ])
        .collect();
    let mut best: Option<((u8, u8, u8), crate::place::Place, String)> = None;
    for (text, at, source_rank) in &sources {
        for candidate in crate::place::place_candidates(text) {
            let line = line_around(text, candidate.start);
            if crate::place::is_someone_elses(text, candidate.start) {
                continue;
            }
            let place = &candidate.place;
            let quality = match (candidate.confirmed, place.postal_code.is_empty()) {
                (true, false) => 3,
                (true, true) => 2,
                (false, _) => 1,
            };
            let addressed = u8::from(crate::place::says_address(line));
            let rank = (quality, addressed, *source_rank);
            if best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
                best = Some((rank, candidate.place, format!("{at}, {}", quote(line))));
            }
        }
    }
    if let Some((_, place, at)) = best {
        record.applicant.postal_code = (!place.postal_code.is_empty()).then_some(place.postal_code);
        record.applicant.commune = place.commune;
        record.applicant.department = place.department;
        record.applicant.region = place.region;
        for field in [
            field::POSTAL_CODE,
            field::COMMUNE,
            field::DEPARTMENT,
            field::REGION,
        ] {
            provenance(record, field, file, at.clone());
        }
    }

    // Legal model.
    let legal_text = app.topic_text(SectionTopic::LegalModel);
    let legal_at = app
        .first_section(SectionTopic::LegalModel)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    let field_reading = app
        .field(Label::LegalForm)
        .map(|f| (legal::read_legal_form_field(&f.value), app.field_at(f)));
    let section_reading = legal::read_legal_form(&legal_text);
    let mut form = LegalForm::Unknown;
    if let Some((reading, at)) = &field_reading
        && reading.form != LegalForm::Unknown
    {
        form = reading.form;
        provenance(record, field::LEGAL_FORM, file, at.clone());
    }
    let fallbacks = [
        (section_reading.form, legal_at.clone()),
        (
            record
                .applicant
                .structure_name
                .as_deref()
                .map_or(LegalForm::Unknown, legal::read_form_of_name),
            "nom de la structure".to_string(),
        ),
        (
            legal::read_legal_form(&applicant_text).form,
            "présentation du porteur".to_string(),
        ),
        (
            legal::read_legal_form(&app.cover).form,
            "page de garde".to_string(),
        ),
    ];
    for (candidate, at) in fallbacks {
        if form == LegalForm::Unknown && candidate != LegalForm::Unknown {
            form = candidate;
            provenance(record, field::LEGAL_FORM, file, at);
        }
    }
    record.legal_model.form = form;
    let planned = section_reading
        .planned_form
        .or_else(|| field_reading.as_ref().and_then(|(r, _)| r.planned_form))
        .or_else(|| {
            // Without a legal section, a change of form may be announced anywhere.
            legal_text
                .trim()
                .is_empty()
                .then(|| legal::read_legal_form(&app.text).planned_form)
                .flatten()
        })
        .filter(|p| *p != form);
    if planned.is_some() {
        provenance(record, field::PLANNED_FORM, file, legal_at.clone());
    }
    record.legal_model.planned_form = planned;
    let consortium_text = if legal_text.trim().is_empty() {
        app.text.clone()
    } else {
        format!("{legal_text}\n{applicant_text}\n{}", app.cover)
    };
    let consortium = legal::read_consortium(&consortium_text);
    record.legal_model.consortium = Some(consortium);
    if consortium {
        record.legal_model.lead_partner = record
            .applicant
            .structure_name
            .clone()
            .or_else(|| legal::read_lead_partner(&consortium_text));
        record.legal_model.partners =
            partners(&legal_text, record.applicant.structure_name.as_deref());
        provenance(record, field::CONSORTIUM, file, legal_at.clone());
    }

    // Land control.
    let land_section = app.topic_text(SectionTopic::LandControl);
    let (land_text, land_at) = if land_section.trim().is_empty() {
        (
            premises_sentences(&app.text),
            "texte de la candidature".to_string(),
        )
    } else {
        let at = app
            .first_section(SectionTopic::LandControl)
            .map(|s| s.at())
            .unwrap_or_default();
        (land_section, at)
    };
    let reading = land::read_land_control_for(
        &land_text,
        record.applicant.structure_name.as_deref(),
        record.legal_model.form == LegalForm::LocalAuthority,
    );
    record.land_control.status = reading.status;
    record.land_control.lease_years = reading.lease_years;
    record.land_control.surface_m2 = reading.surface_m2;
    record.land_control.transitional_premises = Some(reading.transitional_premises);
    record.land_control.final_premises_year = reading.final_premises_year;
    for field in [
        field::LAND_STATUS,
        field::LEASE_YEARS,
        field::SURFACE,
        field::TRANSITIONAL_PREMISES,
    ] {
        provenance(record, field, file, land_at.clone());
    }

    // Territory.
    let diagnosis = app.topic_text(SectionTopic::TerritorialDiagnosis);
    let diagnosis_at = app
        .first_section(SectionTopic::TerritorialDiagnosis)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    record.territorial_diagnosis.text =
        (!diagnosis.trim().is_empty()).then(|| diagnosis.trim_end().to_string());
    record.territorial_diagnosis.programmes = territory::read_programmes_asked(&app_folded, &asked);
    record.territorial_diagnosis.rural = Some(if diagnosis.trim().is_empty() {
        territory::read_rural_asked(&app_folded, &asked)
    } else {
        territory::read_rural(&diagnosis)
    });
    provenance(record, field::PROGRAMMES, file, "texte de la candidature");
    provenance(record, field::RURAL, file, diagnosis_at);

    // Activities.
    let (sectors, sectors_at) = read_sectors(app, &app_folded, &asked);
    record.activities.sectors = sectors;
    provenance(record, field::SECTORS, file, sectors_at);
    // Equipment is described with the activities, and often again in the project or the
    // investment plan.
    let activities_text = [
        SectionTopic::Activities,
        SectionTopic::Project,
        SectionTopic::Budget,
    ]
    .iter()
    .map(|topic| app.topic_text(*topic))
    .collect::<Vec<_>>()
    .join("\n");
    // Equipment lists stand anywhere (a slide, a table, an annex paragraph): the whole text
    // is read, the activities' sections first so that their machines come first.
    let machines_text = format!("{activities_text}\n{}", app.text);
    let (machines, digital) = activities::read_machines(&machines_text);
    record.activities.machines = machines;
    record.activities.digital_machines = Some(digital);
    let activities_at = app
        .first_section(SectionTopic::Activities)
        .map(|s| s.at())
        .unwrap_or_else(|| "texte de la candidature".into());
    provenance(record, field::DIGITAL_MACHINES, file, activities_at);
}

/// Sectors from the part that lists the filières: a section or field naming them, read line by
/// line (a short line is a list entry), else the activities' prose.
fn read_sectors(
    app: &Application,
    folded: &crate::text::Folded<'_>,
    asked: &[(usize, usize)],
) -> (Vec<dossiers_model::Sector>, String) {
    let mut found = Vec::new();
    let mut at = String::new();
    for section in app.sections_titled(&["filiere"]) {
        for line in section.text.lines() {
            let mut sectors = if line.chars().count() <= 90 {
                activities::read_sectors_field(line)
            } else {
                activities::read_sectors(line)
            };
            found.append(&mut sectors);
        }
        if at.is_empty() {
            at = section.at();
        }
    }
    if found.is_empty() {
        for field in app
            .fields
            .iter()
            .filter(|f| crate::text::fold(&f.label).contains("filiere"))
        {
            found.extend(activities::read_sectors_field(&field.value));
            if at.is_empty() {
                at = app.field_at(field);
            }
        }
    }
    if found.is_empty() {
        let spans_of = |topics: &[SectionTopic]| -> Vec<(usize, usize)> {
            app.sections
                .iter()
                .filter(|s| topics.contains(&s.topic))
                .map(|s| {
                    (
                        folded.folded_offset(s.span.0),
                        folded.folded_offset(s.span.1),
                    )
                })
                .collect()
        };
        let activities_spans = spans_of(&[SectionTopic::Activities]);
        // The territory, the partners and the governance describe others than the
        // manufacture's own activities.
        let elsewhere = spans_of(&[
            SectionTopic::TerritorialDiagnosis,
            SectionTopic::Partnerships,
            SectionTopic::LegalModel,
        ]);
        found = activities::read_sectors_in(
            folded,
            activities::SectorSpans {
                asked,
                activities: &activities_spans,
                elsewhere: &elsewhere,
            },
        );
        at = app
            .first_section(SectionTopic::Activities)
            .map(|s| s.at())
            .unwrap_or_else(|| "texte de la candidature".into());
    }
    found.sort();
    found.dedup();
    (found, at)
}

/// The members named in a consortium table: rows whose second cell is a legal form.
fn partners(legal_text: &str, applicant: Option<&str>) -> Vec<String> {
    let applicant = applicant.map(crate::text::fold);
    let mut out = Vec::new();
    for line in legal_text.lines() {
        let cells: Vec<&str> = line.split(" ; ").collect();
        // A member row of a table: a short name beside a short legal form.
        if let [name, form, ..] = cells.as_slice()
            && (4..=80).contains(&name.trim().chars().count())
            && form.trim().chars().count() <= 80
            && legal::read_legal_form(form).form != LegalForm::Unknown
            && applicant.as_deref() != Some(crate::text::fold(name).as_str())
        {
            let name = name.trim().to_string();
            if !out.contains(&name) && crate::application::label_key(&name).is_none() {
                out.push(name);
            }
        }
    }
    out
}

/// Without a land-control section, the sentences that speak of premises.
fn premises_sentences(text: &str) -> String {
    const NOUNS: &[&str] = &[
        "local",
        "locaux",
        "batiment",
        "site",
        "immeuble",
        "friche",
        "hangar",
        "halle",
        "usine",
        "entrepot",
        "foncier",
        "surface",
        "m2",
        "bail",
        "proprietaire",
        "murs",
    ];
    let folded = crate::text::Folded::new(text);
    let mut out = String::new();
    for (start, end) in crate::text::sentences(&folded.text) {
        let sentence = folded.text.get(start..end).unwrap_or("");
        if NOUNS
            .iter()
            .any(|n| crate::text::contains_words(sentence, n))
        {
            out.push_str(folded.original_span(start, end));
            out.push('\n');
        }
    }
    out
}

pub(crate) fn fill_budget(record: &mut Record, budget: &BudgetReading, file: &str) {
    record.budget.years = budget.years.clone();
    record.budget.total_expenses = budget.total_expenses;
    record.budget.investment = budget.investment;
    record.budget.subsidy_requested = budget.subsidy_requested;
    record.budget.subsidy_share = budget.subsidy_share;
    record.budget.balanced = budget.balanced;
    for (field, at) in &budget.provenance {
        provenance(record, field, file, at.clone());
    }
    if let Some(at) = budget.provenance.get(field::TOTAL_EXPENSES).cloned() {
        provenance(record, field::BALANCED, file, at.clone());
        provenance(record, field::SUBSIDY_SHARE, file, at);
    }
}
