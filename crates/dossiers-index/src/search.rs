//! Searching: the parsed query becomes a tantivy query over the text fields, with section and
//! name matches boosted, filters that do not score, facet counts of the whole result set, and
//! for each hit a highlighted snippet cut from the section that matched.
//!
//! Relevance. An unfielded word is looked for in the application's sections (`all_text`,
//! weight [`SECTION_BOOST`]: a word the applicant wrote under a heading counts more than one in
//! an attachment), in the attachments (weight 1), and, unstemmed, in the names (weight
//! [`NAME_BOOST`]: a reviewer who types a structure or a commune wants that dossier first). A
//! fielded word (`foncier:bail`) is looked for in its section only. Snippets are cut from the
//! sections whose text holds the query's terms, whichever field the terms were searched in. Every clause must match (AND), as
//! reviewers expect from a search box. Prefixes and fuzzy words are compared with the words as
//! written (folded, not stemmed: `menuis*` finds « menuiserie » and « menuisier »).
//!
//! Order. Hits come by relevance unless the request names a [`SortKey`]: the DS number, the
//! deposit date, the budget, the subsidy or its share, read from fast columns by tantivy's
//! top-k collector, missing values last either way. A query without words has no relevance to
//! rank by and comes in number order.

use std::collections::BTreeMap;
use std::ops::Bound;

use dossiers_model::{Record, SectionTopic};
use serde::Serialize;
use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, MoreLikeThisQuery,
    Occur as TantivyOccur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, OwnedValue};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, Term};

use crate::analysis;
use crate::facets::FacetCounter;
use crate::query::{self, Atom, Occur, ParsedQuery, TextKind, TextTarget};
use crate::schema::Dimension;
use crate::schema::{DEPOSITED_AT, DS_NUMBER, Number};
use crate::{DossierIndex, IndexError, Result};

/// Hits sorted by something else than relevance, with a score of 0.
fn unscored<K>(docs: Vec<(K, DocAddress)>) -> Vec<(f32, DocAddress)> {
    docs.into_iter()
        .map(|(_, address)| (0.0, address))
        .collect()
}

/// What the facet collector gives: each dimension's values and counts.
type FacetFruit = <FacetCounter as Collector>::Fruit;

/// A page of hits with their scores, the total and the facet counts.
type Collected = (Vec<(f32, DocAddress)>, usize, FacetFruit);

/// The clauses of a boolean query.
type Clauses = Vec<(TantivyOccur, Box<dyn Query>)>;

/// Weight of a match in the application's sections, against 1 for the attachments.
pub const SECTION_BOOST: f32 = 1.5;
/// Weight of a match in the names (structure, manufacture, commune, partners).
pub const NAME_BOOST: f32 = 3.0;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 220;
/// Snippets per hit.
const SNIPPETS_PER_HIT: usize = 2;

/// The order of the hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Best match first; without words to match (an empty query, filters only), by number.
    #[default]
    Relevance,
    /// The Démarches simplifiées number, then the dossier id (dossiers without a number last).
    Number,
    /// The deposit date.
    Deposited,
    /// The total budget (expenses).
    Budget,
    /// The subsidy requested.
    Subsidy,
    /// The subsidy's share of the budget.
    Share,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Relevance,
        SortKey::Number,
        SortKey::Deposited,
        SortKey::Budget,
        SortKey::Subsidy,
        SortKey::Share,
    ];

    /// The name in URLs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Relevance => "relevance",
            SortKey::Number => "number",
            SortKey::Deposited => "deposited",
            SortKey::Budget => "budget",
            SortKey::Subsidy => "subsidy",
            SortKey::Share => "share",
        }
    }

    /// The key a user names, in English or French.
    pub fn parse(name: &str) -> Option<SortKey> {
        let key = match crate::schema::fold_name(name).as_str() {
            "relevance" | "pertinence" | "score" => SortKey::Relevance,
            "number" | "numero" | "ds_number" | "id" => SortKey::Number,
            "deposited" | "deposit" | "depot" | "date" | "date_de_depot" | "deposited_at" => {
                SortKey::Deposited
            }
            "budget" | "budget_total" => SortKey::Budget,
            "subsidy" | "subvention" | "subsidy_requested" => SortKey::Subsidy,
            "share" | "part" | "part_subvention" | "subsidy_share" => SortKey::Share,
            _ => return None,
        };
        Some(key)
    }

    /// Whether the largest values come first unless the request says otherwise: amounts and
    /// shares yes, numbers and dates in their natural order.
    pub fn descending_by_default(self) -> bool {
        matches!(
            self,
            SortKey::Relevance | SortKey::Budget | SortKey::Subsidy | SortKey::Share
        )
    }
}

/// What to search.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    pub wave: Option<u8>,
    /// Exact values of dimensions, all required (`legal_form=scic`).
    pub filters: Vec<(Dimension, String)>,
    pub limit: usize,
    pub offset: usize,
    pub snippets: bool,
    /// Count the facets of the whole result set (most of the time of a broad query).
    pub facets: bool,
    pub sort: SortKey,
    /// Largest first; `None` is the key's own default ([`SortKey::descending_by_default`]).
    /// Relevance is always best first.
    pub descending: Option<bool>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            wave: None,
            filters: Vec::new(),
            limit: 10,
            offset: 0,
            snippets: true,
            facets: true,
            sort: SortKey::Relevance,
            descending: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many dossiers match (not only the hits returned).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each dimension, the values of the matching dossiers and how many have each.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub dossier_id: String,
    /// The relevance score; 0 when the hits are sorted by something else.
    pub score: f32,
    pub ds_number: Option<u64>,
    pub wave: Option<u8>,
    pub deposited_at: Option<String>,
    pub structure_name: Option<String>,
    pub manufacture_name: Option<String>,
    pub commune: Option<String>,
    pub legal_form: String,
    pub land_control: String,
    pub budget_total: Option<f64>,
    pub subsidy_requested: Option<f64>,
    pub subsidy_share: Option<f64>,
    /// The codes of the dossier's flags.
    pub flags: Vec<String>,
    pub snippets: Vec<Snippet>,
}

/// A highlighted passage of one section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snippet {
    /// The section's topic code (`land_control`).
    pub section: String,
    /// The section's heading as written.
    pub title: String,
    pub fragment: String,
    /// Byte ranges of `fragment` that matched.
    pub highlights: Vec<[usize; 2]>,
    /// `fragment`, HTML-escaped, with `<b>` around the matches.
    pub html: String,
}

impl Snippet {
    /// The fragment with each match between `open` and `close` (for terminals and plain text).
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for [start, end] in &self.highlights {
            out.push_str(self.fragment.get(at..*start).unwrap_or(""));
            out.push_str(open);
            out.push_str(self.fragment.get(*start..*end).unwrap_or(""));
            out.push_str(close);
            at = *end;
        }
        out.push_str(self.fragment.get(at..).unwrap_or(""));
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

impl DossierIndex {
    /// Runs a search: hits by relevance, the total, facet counts, snippets.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let parsed = query::parse(&request.query)?;
        let searcher = self.searcher();
        let query = self.build_query(&parsed, request)?;

        let dimensions: &[Dimension] = if request.facets { &Dimension::ALL } else { &[] };
        let (top_docs, total, facet_counts) =
            self.collect(&searcher, query.as_ref(), request, &parsed, dimensions)?;
        let mut facets = BTreeMap::new();
        for (dimension, counts) in facet_counts {
            let mut values: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            facets.insert(dimension.name().to_owned(), values);
        }

        let generators = if request.snippets {
            self.snippet_generators(&searcher, query.as_ref())?
        } else {
            Vec::new()
        };
        // `limit: 0` asks for the total and the facets only; tantivy wants a limit of 1 or more.
        let shown = if request.limit == 0 {
            0
        } else {
            top_docs.len()
        };
        let mut hits = Vec::with_capacity(shown);
        for (score, address) in top_docs.into_iter().take(shown) {
            let record = self.record_at(&searcher, address)?;
            let snippets = section_snippets(&record, &generators);
            hits.push(hit(&record, score, snippets));
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }

    /// The page of hits in the request's order (with their scores when by relevance), the
    /// total and the facet counts, in one pass over the matching dossiers.
    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
        parsed: &ParsedQuery,
        dimensions: &[Dimension],
    ) -> Result<Collected> {
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let facets = FacetCounter::new(dimensions);
        // Without words there is no relevance to rank by: such a list is in number order.
        let key = match request.sort {
            SortKey::Relevance if !parsed.scores() => SortKey::Number,
            key => key,
        };
        let order = if request.descending.unwrap_or(key.descending_by_default()) {
            Order::Desc
        } else {
            Order::Asc
        };
        let number = |number: Number| number.name().to_owned();
        Ok(match key {
            SortKey::Relevance => searcher.search(query, &(top.order_by_score(), Count, facets))?,
            SortKey::Budget | SortKey::Subsidy | SortKey::Share => {
                let field = number(match key {
                    SortKey::Budget => Number::BudgetTotal,
                    SortKey::Subsidy => Number::SubsidyRequested,
                    _ => Number::SubsidyShare,
                });
                let sorted = top.order_by_fast_field::<f64>(field, order);
                let (docs, total, facets) = searcher.search(query, &(sorted, Count, facets))?;
                (unscored(docs), total, facets)
            }
            SortKey::Deposited => {
                if self.fields.deposited_at.is_none() {
                    return Err(IndexError::UnknownField {
                        name: DEPOSITED_AT.to_owned(),
                        known: "this index was created before deposit dates were indexed; \
                                re-ingest into a new folder to sort by them"
                            .to_owned(),
                    });
                }
                let sorted = top.order_by_fast_field::<i64>(DEPOSITED_AT, order);
                let (docs, total, facets) = searcher.search(query, &(sorted, Count, facets))?;
                (unscored(docs), total, facets)
            }
            SortKey::Number if self.fields.ds_number.is_some() => {
                let sorted = top.order_by((
                    (SortByStaticFastValue::<u64>::for_field(DS_NUMBER), order),
                    (SortByString::for_field("dossier_id"), order),
                ));
                let (docs, total, facets) = searcher.search(query, &(sorted, Count, facets))?;
                (unscored(docs), total, facets)
            }
            // An index from before the number column: the ids, which usually carry it.
            SortKey::Number => {
                let sorted = top.order_by_string_fast_field("dossier_id", order);
                let (docs, total, facets) = searcher.search(query, &(sorted, Count, facets))?;
                (unscored(docs), total, facets)
            }
        })
    }

    /// Dossiers whose text is most like this one's (more-like-this on all the text).
    pub fn similar(&self, dossier_id: &str, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.searcher();
        let address = self.address_of(&searcher, dossier_id)?;
        let record = self.record_at(&searcher, address)?;
        let text: Vec<OwnedValue> = record
            .sections
            .iter()
            .map(|section| OwnedValue::Str(format!("{}\n{}", section.title, section.text)))
            .collect();
        let like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
            .with_min_term_frequency(2)
            .with_min_word_length(3)
            .with_max_query_terms(40)
            .with_document_fields(vec![(self.fields.all_text, text)]);
        let myself = TermQuery::new(
            Term::from_field_text(self.fields.dossier_id, dossier_id),
            IndexRecordOption::Basic,
        );
        let query = BooleanQuery::new(vec![
            (TantivyOccur::Must, Box::new(like) as Box<dyn Query>),
            (TantivyOccur::MustNot, Box::new(myself)),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        top.into_iter()
            .take(limit)
            .map(|(score, address)| {
                Ok(hit(&self.record_at(&searcher, address)?, score, Vec::new()))
            })
            .collect()
    }

    /// The query of a request (its words, wave and filters), for callers that want every
    /// matching dossier rather than the best ones: statistics and exports.
    pub(crate) fn selection_query(&self, request: &SearchRequest) -> Result<Box<dyn Query>> {
        let parsed = query::parse(&request.query)?;
        self.build_query(&parsed, request)
    }

    /// The stored records of every dossier a request matches (its limit and offset ignored),
    /// sorted by `dossier_id`: what `export` writes.
    pub fn matching_records(&self, request: &SearchRequest) -> Result<Vec<Record>> {
        let searcher = self.searcher();
        let query = self.selection_query(request)?;
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut records = addresses
            .into_iter()
            .map(|address| self.record_at(&searcher, address))
            .collect::<Result<Vec<_>>>()?;
        records.sort_by(|a, b| a.dossier_id.cmp(&b.dossier_id));
        Ok(records)
    }

    fn build_query(&self, parsed: &ParsedQuery, request: &SearchRequest) -> Result<Box<dyn Query>> {
        let (mut clauses, positive) = self.clauses(parsed)?;
        let mut filters: Vec<(Dimension, String)> = request.filters.clone();
        if let Some(wave) = request.wave {
            filters.push((Dimension::Wave, wave.to_string()));
        }
        for (dimension, value) in &filters {
            clauses.push((TantivyOccur::Must, self.dimension_query(*dimension, value)));
        }
        if !positive {
            clauses.push((TantivyOccur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The tantivy clauses of a parsed query, and whether one of them is positive (a query of
    /// exclusions only needs every dossier to exclude from).
    fn clauses(&self, parsed: &ParsedQuery) -> Result<(Clauses, bool)> {
        let mut clauses: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        let mut positive = false;
        for clause in &parsed.clauses {
            let mut alternatives = Vec::new();
            for atom in &clause.alternatives {
                if let Some(query) = self.atom_query(atom)? {
                    alternatives.push(query);
                }
            }
            let query: Box<dyn Query> = match alternatives.len() {
                // Only stop words: the clause says nothing, as in any search box.
                0 => continue,
                1 => alternatives.remove(0),
                _ => Box::new(BooleanQuery::new(
                    alternatives
                        .into_iter()
                        .map(|q| (TantivyOccur::Should, q))
                        .collect(),
                )),
            };
            match clause.occur {
                Occur::Must => {
                    positive = true;
                    clauses.push((TantivyOccur::Must, query));
                }
                Occur::MustNot => clauses.push((TantivyOccur::MustNot, query)),
            }
        }
        Ok((clauses, positive))
    }

    /// A filter on a dimension's exact value; it does not change the scores.
    fn dimension_query(&self, dimension: Dimension, value: &str) -> Box<dyn Query> {
        let value = query::dimension_value(dimension, value);
        let term = Term::from_facet(self.fields.facet(dimension), &Facet::from_path([value]));
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            0.0,
        ))
    }

    fn atom_query(&self, atom: &Atom) -> Result<Option<Box<dyn Query>>> {
        match atom {
            Atom::Range {
                number,
                lower,
                upper,
            } => {
                let field = self.fields.number(*number);
                let term = |bound: &Bound<f64>| match bound {
                    Bound::Included(v) => Bound::Included(Term::from_field_f64(field, *v)),
                    Bound::Excluded(v) => Bound::Excluded(Term::from_field_f64(field, *v)),
                    Bound::Unbounded => Bound::Unbounded,
                };
                let range = RangeQuery::new(term(lower), term(upper));
                Ok(Some(Box::new(ConstScoreQuery::new(Box::new(range), 0.0))))
            }
            Atom::Dimension { dimension, value } => {
                Ok(Some(self.dimension_query(*dimension, value)))
            }
            Atom::Text { target, kind, text } => self.text_query(*target, kind, text),
            Atom::Group(group) => {
                let (mut clauses, positive) = self.clauses(group)?;
                if clauses.is_empty() {
                    return Ok(None);
                }
                if !positive {
                    clauses.push((TantivyOccur::Must, Box::new(AllQuery)));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
        }
    }

    fn text_query(
        &self,
        target: TextTarget,
        kind: &TextKind,
        text: &str,
    ) -> Result<Option<Box<dyn Query>>> {
        let fields = &self.fields;
        // A word that is only stop words says nothing, even though the names field (which
        // keeps them) could match it.
        if target == TextTarget::Default
            && matches!(kind, TextKind::Word | TextKind::Phrase)
            && analysis::analyze_french(text).is_empty()
        {
            return Ok(None);
        }
        // (field, analyzed for names?, boost)
        let mut targets: Vec<(Field, bool, f32)> = Vec::new();
        match target {
            TextTarget::Default => {
                targets.push((fields.all_text, false, SECTION_BOOST));
                targets.push((fields.attachments, false, 1.0));
                targets.push((fields.names, true, NAME_BOOST));
            }
            TextTarget::Section(topic) => targets.push((fields.section(topic), false, 1.0)),
            TextTarget::AllText => {
                targets.push((fields.all_text, false, 1.0));
                targets.push((fields.attachments, false, 1.0));
            }
            TextTarget::Names => targets.push((fields.names, true, 1.0)),
        }
        let mut parts: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        for (field, is_names, boost) in targets {
            let query = match kind {
                TextKind::Word | TextKind::Phrase => {
                    let terms = if is_names {
                        analysis::analyze_with(&mut analysis::names_analyzer(), text)
                    } else {
                        analysis::analyze_with(&mut analysis::french_analyzer(), text)
                    };
                    terms_query(field, &terms)
                }
                TextKind::Prefix => prefix_query(field, is_names, text)?,
                TextKind::Fuzzy(distance) => fuzzy_query(field, is_names, text, *distance),
            };
            if let Some(query) = query {
                let query: Box<dyn Query> = if (boost - 1.0).abs() > f32::EPSILON {
                    Box::new(BoostQuery::new(query, boost))
                } else {
                    query
                };
                parts.push((TantivyOccur::Should, query));
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop().map(|(_, query)| query),
            _ => Some(Box::new(BooleanQuery::new(parts))),
        })
    }

    /// One generator per section the query can highlight: the terms searched in that section's
    /// field, plus those searched in `all_text` (the same analyzer made both).
    fn snippet_generators(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<Vec<SectionGenerator>> {
        let mut terms: std::collections::HashMap<Field, Vec<Term>> = Default::default();
        query.query_terms(&mut |term, _| {
            terms.entry(term.field()).or_default().push(term.clone());
        });
        let everywhere = terms.remove(&self.fields.all_text).unwrap_or_default();
        let mut generators = Vec::new();
        for (topic, field) in self.fields.sections() {
            let mut weights: std::collections::BTreeMap<String, f32> = Default::default();
            let own = terms.remove(field).unwrap_or_default();
            for term in everywhere.iter().chain(&own) {
                let value = term.value();
                let Some(text) = value.as_str() else {
                    continue;
                };
                // Rarer terms make better snippets, as in tantivy's own generator.
                let doc_freq = searcher.doc_freq(term)?;
                weights.insert(text.to_owned(), 1.0 / (1.0 + doc_freq as f32));
            }
            if weights.is_empty() {
                continue;
            }
            generators.push(SectionGenerator {
                topic: *topic,
                terms: weights.keys().cloned().collect(),
                generator: SnippetGenerator::new(
                    weights,
                    analysis::french_analyzer(),
                    *field,
                    SNIPPET_CHARS,
                ),
            });
        }
        Ok(generators)
    }
}

fn hit(record: &Record, score: f32, snippets: Vec<Snippet>) -> Hit {
    Hit {
        dossier_id: record.dossier_id.clone(),
        score,
        ds_number: record.ds_number,
        wave: record.wave,
        deposited_at: record.deposited_at.clone(),
        structure_name: record.applicant.structure_name.clone(),
        manufacture_name: record.applicant.manufacture_name.clone(),
        commune: record.applicant.commune.clone(),
        legal_form: record.legal_model.form.code().to_owned(),
        land_control: record.land_control.status.code().to_owned(),
        budget_total: record.budget.total_expenses,
        subsidy_requested: record.budget.subsidy_requested,
        subsidy_share: record.budget.subsidy_share,
        flags: record
            .flags
            .iter()
            .map(|flag| flag.code.code().to_owned())
            .collect(),
        snippets,
    }
}

/// Lowercase and strip the common French accents, one char for one char (so that a char index
/// in the folded text is one in the original): enough to tell whether and where a stem occurs
/// in a text before paying for the analyzer.
fn quick_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// Characters of text around the first match handed to the snippet generator.
const WINDOW_CHARS: usize = 600;

/// The part of `text` around the first occurrence of any of `terms` in its folded form.
fn window<'a>(text: &'a str, folded: &str, terms: &[String]) -> &'a str {
    let Some(first) = terms.iter().filter_map(|t| folded.find(t.as_str())).min() else {
        return text;
    };
    let first_char = folded.get(..first).map_or(0, |s| s.chars().count());
    let start_char = first_char.saturating_sub(WINDOW_CHARS / 3);
    let byte_at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let mut start = byte_at(start_char);
    let end = byte_at(start_char + WINDOW_CHARS);
    // Start at a word, not in the middle of one.
    if start > 0
        && let Some(space) = text
            .get(start..end)
            .and_then(|s| s.find(char::is_whitespace))
    {
        start += space + 1;
    }
    text.get(start..end).unwrap_or(text)
}

/// The best snippets of a record, from the sections that hold the most query terms.
///
/// Running the analyzer over every section of every hit was most of a search's time, so the
/// sections are first ranked by a cheap count of the query's stems in their folded text, and
/// only the best few, and only around their first match, go through the snippet generator.
fn section_snippets(record: &Record, generators: &[SectionGenerator]) -> Vec<Snippet> {
    let mut candidates: Vec<(usize, usize, String, &SectionGenerator)> = Vec::new();
    for (order, section) in record.sections.iter().enumerate() {
        let Some(generator) = generators.iter().find(|g| g.topic == section.topic) else {
            continue;
        };
        let folded = quick_fold(&section.text);
        let hits: usize = generator
            .terms
            .iter()
            .map(|term| folded.matches(term.as_str()).count())
            .sum();
        if hits > 0 {
            candidates.push((hits, order, folded, generator));
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut found = Vec::new();
    for (_, order, folded, generator) in candidates.into_iter().take(SNIPPETS_PER_HIT + 1) {
        let Some(section) = record.sections.get(order) else {
            continue;
        };
        let text = window(&section.text, &folded, &generator.terms);
        let snippet = generator.generator.snippet(text);
        if snippet.highlighted().is_empty() {
            continue;
        }
        found.push(Snippet {
            section: section.topic.code().to_owned(),
            title: section.title.clone(),
            fragment: snippet.fragment().to_owned(),
            highlights: snippet
                .highlighted()
                .iter()
                .map(|range| [range.start, range.end])
                .collect(),
            html: snippet.to_html(),
        });
        if found.len() == SNIPPETS_PER_HIT {
            break;
        }
    }
    found
}

/// A snippet generator for one section field, with the query's terms on that field.
struct SectionGenerator {
    topic: SectionTopic,
    terms: Vec<String>,
    generator: SnippetGenerator,
}

/// A term, or a phrase when the text gave several terms (stop words leave position gaps).
fn terms_query(field: Field, terms: &[(usize, String)]) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [(_, term)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let first = terms.first().map_or(0, |(position, _)| *position);
            Some(Box::new(PhraseQuery::new_with_offset(
                terms
                    .iter()
                    .map(|(position, term)| (position - first, Term::from_field_text(field, term)))
                    .collect(),
            )))
        }
    }
}

/// Words starting with a prefix. Stemmed fields hold stems, so both the folded prefix and its
/// stem are tried (`foncier*` must find the stem `fonci`).
fn prefix_query(field: Field, is_names: bool, prefix: &str) -> Result<Option<Box<dyn Query>>> {
    let folded = analysis::analyze_names(prefix);
    let Some(last) = folded.last() else {
        return Ok(None);
    };
    let mut stems = vec![last.clone()];
    if !is_names
        && let Some(stem) = analysis::analyze_french(last).last()
        && stem != last
    {
        stems.push(stem.clone());
    }
    let pattern = format!(
        "({}).*",
        stems
            .iter()
            .map(|s| regex_escape(s))
            .collect::<Vec<_>>()
            .join("|")
    );
    let query = RegexQuery::from_pattern(&pattern, field)?;
    Ok(Some(Box::new(query)))
}

/// A word within `distance` edits; on stemmed fields the stem is compared.
fn fuzzy_query(field: Field, is_names: bool, word: &str, distance: u8) -> Option<Box<dyn Query>> {
    let terms = if is_names {
        analysis::analyze_names(word)
    } else {
        analysis::analyze_french(word)
    };
    let term = terms.last()?;
    Some(Box::new(FuzzyTermQuery::new(
        Term::from_field_text(field, term),
        distance,
        true,
    )))
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = !c.is_alphanumeric();
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_fold_keeps_one_char_per_char() {
        let check = |text: &str, expected: &str| {
            let folded = quick_fold(text);
            assert_eq!(folded, expected);
            assert_eq!(folded.chars().count(), text.chars().count());
        };
        check("Foncière", "fonciere");
        check("ÉCOLE À Çà", "ecole a ca");
        check("Œuvre", "œuvre");
        check("", "");
    }

    #[test]
    fn window_starts_before_the_first_match() {
        let text = format!(
            "{}é bail emphytéotique{}",
            "x".repeat(1000),
            "y".repeat(1000)
        );
        let folded = quick_fold(&text);
        let cut = window(&text, &folded, &["emphyteot".to_owned()]);
        assert!(cut.contains("bail emphytéotique"));
        assert!(cut.starts_with("bail emphytéotique"), "{cut}");
        let cut = window(
            "un deux trois quatre",
            "un deux trois quatre",
            &["quatre".to_owned()],
        );
        assert_eq!(cut, "un deux trois quatre");
        assert_eq!(window("court", "court", &["absent".to_owned()]), "court");
    }

    #[test]
    fn regex_escape_protects_specials() {
        assert_eq!(regex_escape("a.b*c"), "a\\.b\\*c");
        assert_eq!(regex_escape("atelier"), "atelier");
    }
}
