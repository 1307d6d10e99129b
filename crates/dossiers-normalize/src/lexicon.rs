//! The French lexicon (`data/lexicon.toml`), loaded once and compiled into phrase sets.
//!
//! The words people use change from one application to the next; keeping them in a data file
//! means a reviewer who meets a new spelling adds a line there, not a branch in the code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use dossiers_model::{LandControlStatus, LegalForm, Programme, SectionTopic, Sector};
use serde::Deserialize;

use crate::text::{Folded, fold, split_needle, word_match_at};

const LEXICON_TOML: &str = include_str!("../data/lexicon.toml");

/// One phrase of the lexicon, folded.
#[derive(Clone, Debug)]
struct Phrase {
    /// Folded (lowercase) unless `cased`.
    text: String,
    /// Matched against the case-kept folded text.
    cased: bool,
}

/// A match of a phrase set in a folded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit<K> {
    pub key: K,
    pub start: usize,
    pub end: usize,
    /// The matched phrase has more than one word: it says more than a single word would.
    pub strong: bool,
}

/// Phrases mapped to keys; matching returns non-overlapping hits, longest phrase first.
#[derive(Clone, Debug)]
pub struct PhraseSet<K> {
    entries: Vec<(K, Phrase)>,
    /// One automaton per haystack (folded, case-kept) over the phrases' distinct stems, built on
    /// first use: a text is scanned once for all phrases, not once per phrase (a lexicon of
    /// hundreds of phrases over a 3,000-word dossier made the normaliser 40 % string search).
    automata: std::sync::OnceLock<[Automaton; 2]>,
}

/// An Aho-Corasick automaton over distinct stems, each with the entries that share it.
#[derive(Clone, Debug)]
struct Automaton {
    matcher: Option<aho_corasick::AhoCorasick>,
    entries_of_pattern: Vec<Vec<usize>>,
}

impl Automaton {
    fn build(stems: Vec<(String, usize)>) -> Automaton {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries_of_pattern: Vec<Vec<usize>> = Vec::new();
        for (stem, entry) in stems {
            match patterns.iter().position(|p| *p == stem) {
                Some(at) => {
                    if let Some(entries) = entries_of_pattern.get_mut(at) {
                        entries.push(entry);
                    }
                }
                None => {
                    patterns.push(stem);
                    entries_of_pattern.push(vec![entry]);
                }
            }
        }
        // Most sets have no case-kept phrase: no automaton then, rather than one that scans a
        // whole application to find nothing. A DFA scans faster than the default NFA; the
        // lexicon is small enough for its tables.
        let matcher = if patterns.is_empty() {
            None
        } else {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&patterns)
                .ok()
        };
        Automaton {
            matcher,
            entries_of_pattern,
        }
    }
}

impl<K: Copy> PhraseSet<K> {
    fn new() -> PhraseSet<K> {
        PhraseSet {
            entries: Vec::new(),
            automata: std::sync::OnceLock::new(),
        }
    }

    /// `[folded, cased]` automata.
    fn automata(&self) -> &[Automaton; 2] {
        self.automata.get_or_init(|| {
            let stems = |cased: bool| {
                self.entries
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, phrase))| phrase.cased == cased)
                    .map(|(i, (_, phrase))| (split_needle(&phrase.text).0.to_owned(), i))
                    .filter(|(stem, _)| !stem.is_empty())
                    .collect()
            };
            [
                Automaton::build(stems(false)),
                Automaton::build(stems(true)),
            ]
        })
    }

    /// Every whole-word occurrence of a phrase of the set in `haystack` (folded or cased).
    fn occurrences<'a>(
        &'a self,
        automaton: &'a Automaton,
        haystack: &'a str,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        automaton
            .matcher
            .iter()
            .flat_map(move |matcher| matcher.find_overlapping_iter(haystack))
            .flat_map(move |found| {
                let entries = automaton
                    .entries_of_pattern
                    .get(found.pattern().as_usize())
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                entries.iter().filter_map(move |&entry| {
                    let (_, phrase) = self.entries.get(entry)?;
                    let (stem, prefix) = split_needle(&phrase.text);
                    word_match_at(haystack, found.start(), stem, prefix)
                        .map(|end| (entry, found.start(), end))
                })
            })
    }

    fn add(&mut self, key: K, raw: &str) {
        let (cased, body) = match raw.strip_prefix('=') {
            Some(body) => (true, body),
            None => (false, raw),
        };
        let text = if cased {
            crate::text::Folded::new(body).cased.trim().to_string()
        } else {
            fold(body)
        };
        if !text.is_empty() {
            self.entries.push((key, Phrase { text, cased }));
        }
    }

    /// Every non-overlapping hit in `folded`, in text order; where phrases overlap the longest
    /// wins.
    pub fn find(&self, folded: &Folded<'_>) -> Vec<Hit<K>> {
        self.find_in(&folded.text, &folded.cased)
    }

    /// As [`PhraseSet::find`], on a folded text and its case-kept twin.
    pub fn find_in(&self, text: &str, cased: &str) -> Vec<Hit<K>> {
        let [folded, case_kept] = self.automata();
        let mut found: Vec<(usize, usize, usize)> = self
            .occurrences(folded, text)
            .chain(self.occurrences(case_kept, cased))
            .collect();
        // Lexicon order breaks ties between phrases of the same span, as it always has.
        found.sort_by_key(|&(entry, start, _)| (entry, start));
        let mut all: Vec<Hit<K>> = found
            .into_iter()
            .filter_map(|(entry, start, end)| {
                let (key, phrase) = self.entries.get(entry)?;
                Some(Hit {
                    key: *key,
                    start,
                    end,
                    strong: phrase.text.trim_end_matches('*').contains([' ', '\'', '-']),
                })
            })
            .collect();
        all.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        let mut kept: Vec<Hit<K>> = Vec::new();
        for hit in all {
            if kept
                .iter()
                .all(|k| hit.end <= k.start || hit.start >= k.end)
            {
                kept.push(hit);
            }
        }
        kept.sort_by_key(|hit| hit.start);
        kept
    }

    /// True when some phrase of the set occurs in the folded `text` (lowercase phrases only).
    pub fn any_in(&self, text: &str) -> bool {
        let [folded, _] = self.automata();
        self.occurrences(folded, text).next().is_some()
    }
}

/// A field label of a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    StructureName,
    ManufactureName,
    Siret,
    LegalForm,
    Address,
    Deposit,
}

/// A machine of the lexicon.
#[derive(Clone, Debug)]
pub struct Machine {
    pub name: String,
    pub digital: bool,
}

/// The compiled lexicon.
#[derive(Clone, Debug)]
pub struct Lexicon {
    pub legal_forms: PhraseSet<LegalForm>,
    pub legal_forms_field_only: PhraseSet<LegalForm>,
    pub planned: PhraseSet<()>,
    pub planned_after: PhraseSet<()>,
    pub land: PhraseSet<LandControlStatus>,
    pub temporary: PhraseSet<()>,
    pub premises: PhraseSet<()>,
    pub waiting: PhraseSet<()>,
    pub awaited: PhraseSet<()>,
    pub final_premises: PhraseSet<()>,
    pub duration: PhraseSet<()>,
    pub not_premises: PhraseSet<()>,
    pub third_party: PhraseSet<()>,
    pub authority_words: PhraseSet<()>,
    pub total: PhraseSet<()>,
    pub programmes: PhraseSet<Programme>,
    pub rural: PhraseSet<()>,
    pub sectors: PhraseSet<Sector>,
    pub sectors_field_only: PhraseSet<Sector>,
    /// Words that name a filière only where the text speaks of its activities.
    pub sectors_in_context: PhraseSet<Sector>,
    /// Products, by what they are made of.
    pub products: PhraseSet<Sector>,
    /// Words of a clause about what will be made or who will work there.
    pub activity_cues: PhraseSet<()>,
    /// Words of a clause about the past.
    pub history_cues: PhraseSet<()>,
    /// Labels of an equipment list.
    pub equipment_cues: PhraseSet<()>,
    pub machines: PhraseSet<usize>,
    pub machine_list: Vec<Machine>,
    pub digital_qualifiers: PhraseSet<()>,
    pub machine_nouns: PhraseSet<()>,
    pub consortium: PhraseSet<()>,
    pub lead: PhraseSet<()>,
    pub labels: PhraseSet<Label>,
    /// The deposit-date labels alone, for the one reader that scans a whole application for
    /// them (a set of a few phrases scans several times faster than every label).
    pub deposit_labels: PhraseSet<Label>,
    /// Words that, shortly before a date in the AMI's window, make it the deposit.
    pub deposit_cues: PhraseSet<()>,
    /// Words that, between such a word and the date, make it another date.
    pub deposit_vetoes: PhraseSet<()>,
    pub topics: PhraseSet<SectionTopic>,
    pub budget: BudgetWords,
    pub polarity: PolarityWords,
    /// Ordinals that number a wave (« troisième » → 3).
    pub wave_ordinals: BTreeMap<String, u8>,
    pub names: NameWords,
    pub amounts: AmountWords,
    pub place: PlaceWords,
}

/// The words of places (`[place]`).
#[derive(Clone, Debug)]
pub struct PlaceWords {
    pub address_cues: PhraseSet<()>,
    pub recipient_cues: PhraseSet<()>,
    pub other_cues: PhraseSet<()>,
}

#[derive(Deserialize)]
struct RawPlace {
    address_cues: Vec<String>,
    recipient_cues: Vec<String>,
    other_cues: Vec<String>,
}

/// The words of amounts stated in the text (`[amounts]`).
#[derive(Clone, Debug)]
pub struct AmountWords {
    pub total_cues: PhraseSet<()>,
    pub subsidy_cues: PhraseSet<()>,
    pub plain_subsidy_cues: PhraseSet<()>,
    pub approximate: PhraseSet<()>,
}

#[derive(Deserialize)]
struct RawAmounts {
    total_cues: Vec<String>,
    subsidy_cues: Vec<String>,
    plain_subsidy_cues: Vec<String>,
    approximate: Vec<String>,
}

/// The words that introduce names (`[names]`).
#[derive(Clone, Debug)]
pub struct NameWords {
    pub manufacture_nouns: Vec<String>,
    pub naming: Vec<String>,
    pub naming_after: Vec<String>,
    pub structure_nouns: PhraseSet<()>,
    pub sentence_verbs: Vec<String>,
    pub self_cues: PhraseSet<()>,
    pub partner_cues: PhraseSet<()>,
    pub structure_naming: PhraseSet<()>,
}

#[derive(Deserialize)]
struct RawNames {
    manufacture_nouns: Vec<String>,
    naming: Vec<String>,
    naming_after: Vec<String>,
    structure_nouns: Vec<String>,
    sentence_verbs: Vec<String>,
    self_cues: Vec<String>,
    partner_cues: Vec<String>,
    structure_naming: Vec<String>,
}

/// How phrases are denied, hedged or answered « no » (`[polarity]`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PolarityWords {
    pub negations: Vec<String>,
    pub not_negations: Vec<String>,
    pub no_answers: Vec<String>,
    pub hedges: Vec<String>,
}

/// The words of a budget matrix's row labels.
#[derive(Clone, Debug)]
pub struct BudgetWords {
    pub relative_first_year: i32,
    pub expenses: PhraseSet<()>,
    pub revenues: PhraseSet<()>,
    pub investment: PhraseSet<()>,
    /// An expense line whose label opens with one of these buys equipment or pays for works.
    pub investment_lines: PhraseSet<()>,
    pub operating: PhraseSet<()>,
    pub total: PhraseSet<()>,
    pub ignore: PhraseSet<()>,
    pub subsidy: PhraseSet<()>,
    pub subsidy_requested: PhraseSet<()>,
    pub other_funders: PhraseSet<()>,
}

#[derive(Deserialize)]
struct Raw {
    legal_forms: BTreeMap<String, Vec<String>>,
    legal_forms_field_only: BTreeMap<String, Vec<String>>,
    legal_forms_planned: PlannedCues,
    land_control: BTreeMap<String, Vec<String>>,
    land_control_temporary: TemporaryCues,
    land_control_final: Cues,
    land_control_duration: Cues,
    land_control_not_premises: Cues,
    land_control_third_party: Cues,
    authority_words: Cues,
    land_control_total: Cues,
    programmes: BTreeMap<String, Vec<String>>,
    rural: Yes,
    sectors: BTreeMap<String, Vec<String>>,
    sectors_field_only: BTreeMap<String, Vec<String>>,
    sectors_in_context: BTreeMap<String, Vec<String>>,
    products: BTreeMap<String, Vec<String>>,
    activity_cues: Cues,
    history_cues: Cues,
    equipment_cues: Cues,
    machines: Vec<RawMachine>,
    consortium: RawConsortium,
    digital_qualifiers: RawQualifiers,
    labels: BTreeMap<String, Vec<String>>,
    section_topics: BTreeMap<String, Vec<String>>,
    deposit: RawDeposit,
    budget: RawBudget,
    polarity: PolarityWords,
    wave_ordinals: BTreeMap<String, u8>,
    names: RawNames,
    amounts: RawAmounts,
    place: RawPlace,
}

#[derive(Deserialize)]
struct RawBudget {
    relative_first_year: i32,
    expenses: Vec<String>,
    revenues: Vec<String>,
    investment: Vec<String>,
    investment_lines: Vec<String>,
    operating: Vec<String>,
    total: Vec<String>,
    ignore: Vec<String>,
    subsidy: Vec<String>,
    subsidy_requested: Vec<String>,
    other_funders: Vec<String>,
}

#[derive(Deserialize)]
struct RawDeposit {
    cues: Vec<String>,
    vetoes: Vec<String>,
}

#[derive(Deserialize)]
struct PlannedCues {
    cues: Vec<String>,
    after_cues: Vec<String>,
}

#[derive(Deserialize)]
struct TemporaryCues {
    cues: Vec<String>,
    premises: Vec<String>,
    waiting: Vec<String>,
    awaited: Vec<String>,
}

#[derive(Deserialize)]
struct Cues {
    cues: Vec<String>,
}

#[derive(Deserialize)]
struct Yes {
    yes: Vec<String>,
}

#[derive(Deserialize)]
struct RawMachine {
    name: String,
    digital: bool,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
struct RawQualifiers {
    qualifiers: Vec<String>,
    machine_nouns: Vec<String>,
}

#[derive(Deserialize)]
struct RawConsortium {
    yes: Vec<String>,
    lead: Vec<String>,
}

/// The lexicon; an embedded file that failed to parse gives an empty lexicon (and the lexicon
/// test fails), never a panic.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| match parse(LEXICON_TOML) {
        Ok(lexicon) => lexicon,
        Err(error) => {
            tracing::error!(%error, "the embedded lexicon does not parse");
            empty()
        }
    })
}

fn empty() -> Lexicon {
    Lexicon {
        legal_forms: PhraseSet::new(),
        legal_forms_field_only: PhraseSet::new(),
        planned: PhraseSet::new(),
        planned_after: PhraseSet::new(),
        land: PhraseSet::new(),
        temporary: PhraseSet::new(),
        premises: PhraseSet::new(),
        waiting: PhraseSet::new(),
        awaited: PhraseSet::new(),
        final_premises: PhraseSet::new(),
        duration: PhraseSet::new(),
        not_premises: PhraseSet::new(),
        third_party: PhraseSet::new(),
        authority_words: PhraseSet::new(),
        total: PhraseSet::new(),
        programmes: PhraseSet::new(),
        rural: PhraseSet::new(),
        sectors: PhraseSet::new(),
        sectors_field_only: PhraseSet::new(),
        sectors_in_context: PhraseSet::new(),
        products: PhraseSet::new(),
        activity_cues: PhraseSet::new(),
        history_cues: PhraseSet::new(),
        equipment_cues: PhraseSet::new(),
        machines: PhraseSet::new(),
        machine_list: Vec::new(),
        digital_qualifiers: PhraseSet::new(),
        machine_nouns: PhraseSet::new(),
        consortium: PhraseSet::new(),
        lead: PhraseSet::new(),
        labels: PhraseSet::new(),
        deposit_labels: PhraseSet::new(),
        deposit_cues: PhraseSet::new(),
        deposit_vetoes: PhraseSet::new(),
        topics: PhraseSet::new(),
        budget: BudgetWords {
            relative_first_year: 2022,
            expenses: PhraseSet::new(),
            revenues: PhraseSet::new(),
            investment: PhraseSet::new(),
            investment_lines: PhraseSet::new(),
            operating: PhraseSet::new(),
            total: PhraseSet::new(),
            ignore: PhraseSet::new(),
            subsidy: PhraseSet::new(),
            subsidy_requested: PhraseSet::new(),
            other_funders: PhraseSet::new(),
        },
        polarity: PolarityWords::default(),
        wave_ordinals: BTreeMap::new(),
        names: NameWords {
            manufacture_nouns: Vec::new(),
            naming: Vec::new(),
            naming_after: Vec::new(),
            structure_nouns: PhraseSet::new(),
            sentence_verbs: Vec::new(),
            self_cues: PhraseSet::new(),
            partner_cues: PhraseSet::new(),
            structure_naming: PhraseSet::new(),
        },
        amounts: AmountWords {
            total_cues: PhraseSet::new(),
            subsidy_cues: PhraseSet::new(),
            plain_subsidy_cues: PhraseSet::new(),
            approximate: PhraseSet::new(),
        },
        place: PlaceWords {
            address_cues: PhraseSet::new(),
            recipient_cues: PhraseSet::new(),
            other_cues: PhraseSet::new(),
        },
    }
}

fn keyed<K: Copy>(
    raw: &BTreeMap<String, Vec<String>>,
    what: &str,
    parse_key: impl Fn(&str) -> Option<K>,
) -> Result<PhraseSet<K>, String> {
    let mut set = PhraseSet::new();
    for (key, phrases) in raw {
        let key = parse_key(key).ok_or_else(|| format!("unknown {what} `{key}`"))?;
        for phrase in phrases {
            set.add(key, phrase);
        }
    }
    Ok(set)
}

fn cues(raw: &[String]) -> PhraseSet<()> {
    let mut set = PhraseSet::new();
    for phrase in raw {
        set.add((), phrase);
    }
    set
}

fn label_of(key: &str) -> Option<Label> {
    Some(match key {
        "structure_name" => Label::StructureName,
        "manufacture_name" => Label::ManufactureName,
        "siret" => Label::Siret,
        "legal_form" => Label::LegalForm,
        "address" => Label::Address,
        "deposit" => Label::Deposit,
        _ => return None,
    })
}

fn parse(source: &str) -> Result<Lexicon, String> {
    let raw: Raw = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut machines = PhraseSet::new();
    let mut machine_list = Vec::new();
    for (index, machine) in raw.machines.iter().enumerate() {
        for phrase in &machine.phrases {
            machines.add(index, phrase);
        }
        machine_list.push(Machine {
            name: machine.name.clone(),
            digital: machine.digital,
        });
    }
    Ok(Lexicon {
        legal_forms: keyed(&raw.legal_forms, "legal form", LegalForm::from_code)?,
        legal_forms_field_only: keyed(
            &raw.legal_forms_field_only,
            "legal form",
            LegalForm::from_code,
        )?,
        planned: cues(&raw.legal_forms_planned.cues),
        planned_after: cues(&raw.legal_forms_planned.after_cues),
        land: keyed(
            &raw.land_control,
            "land control status",
            LandControlStatus::from_code,
        )?,
        temporary: cues(&raw.land_control_temporary.cues),
        premises: cues(&raw.land_control_temporary.premises),
        waiting: cues(&raw.land_control_temporary.waiting),
        awaited: cues(&raw.land_control_temporary.awaited),
        final_premises: cues(&raw.land_control_final.cues),
        duration: cues(&raw.land_control_duration.cues),
        not_premises: cues(&raw.land_control_not_premises.cues),
        third_party: cues(&raw.land_control_third_party.cues),
        authority_words: cues(&raw.authority_words.cues),
        total: cues(&raw.land_control_total.cues),
        programmes: keyed(&raw.programmes, "programme", Programme::from_code)?,
        rural: cues(&raw.rural.yes),
        sectors: keyed(&raw.sectors, "sector", Sector::from_code)?,
        sectors_field_only: keyed(&raw.sectors_field_only, "sector", Sector::from_code)?,
        sectors_in_context: keyed(&raw.sectors_in_context, "sector", Sector::from_code)?,
        products: keyed(&raw.products, "sector", Sector::from_code)?,
        activity_cues: cues(&raw.activity_cues.cues),
        history_cues: cues(&raw.history_cues.cues),
        equipment_cues: cues(&raw.equipment_cues.cues),
        machines,
        machine_list,
        digital_qualifiers: cues(&raw.digital_qualifiers.qualifiers),
        machine_nouns: cues(&raw.digital_qualifiers.machine_nouns),
        consortium: cues(&raw.consortium.yes),
        lead: cues(&raw.consortium.lead),
        labels: keyed(&raw.labels, "label", label_of)?,
        deposit_labels: keyed(
            &raw.labels
                .iter()
                .filter(|(key, _)| label_of(key) == Some(Label::Deposit))
                .map(|(key, phrases)| (key.clone(), phrases.clone()))
                .collect(),
            "label",
            label_of,
        )?,
        deposit_cues: cues(&raw.deposit.cues),
        deposit_vetoes: cues(&raw.deposit.vetoes),
        topics: keyed(
            &raw.section_topics,
            "section topic",
            SectionTopic::from_code,
        )?,
        budget: BudgetWords {
            relative_first_year: raw.budget.relative_first_year,
            expenses: cues(&raw.budget.expenses),
            revenues: cues(&raw.budget.revenues),
            investment: cues(&raw.budget.investment),
            investment_lines: cues(&raw.budget.investment_lines),
            operating: cues(&raw.budget.operating),
            total: cues(&raw.budget.total),
            ignore: cues(&raw.budget.ignore),
            subsidy: cues(&raw.budget.subsidy),
            subsidy_requested: cues(&raw.budget.subsidy_requested),
            other_funders: cues(&raw.budget.other_funders),
        },
        polarity: PolarityWords {
            negations: raw.polarity.negations.iter().map(|w| fold(w)).collect(),
            not_negations: raw.polarity.not_negations.iter().map(|w| fold(w)).collect(),
            no_answers: raw.polarity.no_answers.iter().map(|w| fold(w)).collect(),
            hedges: raw.polarity.hedges.iter().map(|w| fold(w)).collect(),
        },
        wave_ordinals: raw
            .wave_ordinals
            .iter()
            .map(|(word, number)| (fold(word), *number))
            .collect(),
        names: NameWords {
            manufacture_nouns: raw
                .names
                .manufacture_nouns
                .iter()
                .map(|w| fold(w))
                .collect(),
            naming: raw.names.naming.iter().map(|w| fold(w)).collect(),
            naming_after: raw.names.naming_after.iter().map(|w| fold(w)).collect(),
            structure_nouns: cues(&raw.names.structure_nouns),
            sentence_verbs: raw.names.sentence_verbs.iter().map(|w| fold(w)).collect(),
            self_cues: cues(&raw.names.self_cues),
            partner_cues: cues(&raw.names.partner_cues),
            structure_naming: cues(&raw.names.structure_naming),
        },
        amounts: AmountWords {
            total_cues: cues(&raw.amounts.total_cues),
            subsidy_cues: cues(&raw.amounts.subsidy_cues),
            plain_subsidy_cues: cues(&raw.amounts.plain_subsidy_cues),
            approximate: cues(&raw.amounts.approximate),
        },
        place: PlaceWords {
            address_cues: cues(&raw.place.address_cues),
            recipient_cues: cues(&raw.place.recipient_cues),
            other_cues: cues(&raw.place.other_cues),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_parses() {
        let lexicon = parse(LEXICON_TOML).unwrap();
        assert!(!lexicon.legal_forms.entries.is_empty());
        assert!(!lexicon.machine_list.is_empty());
        assert!(!lexicon.topics.entries.is_empty());
    }

    /// A `*` is a wildcard only at the end of a phrase; anywhere else it would be looked for as a
    /// character and the phrase would never match (« manufacture* de proximité » once did).
    #[test]
    fn wildcards_only_end_phrases() {
        let misplaced: Vec<&str> = LEXICON_TOML
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(|line| line.split('"').skip(1).step_by(2))
            .filter(|phrase| phrase.trim_end_matches('*').contains('*'))
            .collect();
        assert!(misplaced.is_empty(), "{misplaced:?}");
    }

    fn check(set: &PhraseSet<LegalForm>, input: &str, expected: &[LegalForm]) {
        let folded = Folded::new(input);
        let got: Vec<LegalForm> = set.find(&folded).iter().map(|h| h.key).collect();
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn longest_phrase_wins_and_case_matters_where_marked() {
        let set = &lexicon().legal_forms;
        check(
            set,
            "Établissement public de coopération intercommunale",
            &[LegalForm::LocalAuthority],
        );
        check(
            set,
            "un établissement public",
            &[LegalForm::PublicEstablishment],
        );
        check(
            set,
            "SCIC SAS à capital variable",
            &[LegalForm::Scic, LegalForm::Sas],
        );
        check(set, "sa production et son sas d'entrée", &[]);
        check(set, "S.C.I.C.", &[LegalForm::Scic]);
    }
}
