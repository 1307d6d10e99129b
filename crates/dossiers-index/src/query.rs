//! The reviewers' query language, parsed into a small syntax tree with no tantivy in it.
//!
//! ```text
//! bail emphytéotique             every word must appear (stemmed, accents folded)
//! « bail emphytéotique »  "…"    a phrase
//! -friche                         exclusion
//! menuis*                         prefix
//! emphytéotque~  ~2               fuzzy (1 edit by default, 2 at most)
//! foncier:emphytéotique           a word in one section (French aliases, see `SectionTarget`)
//! foncier:« bail emphytéotique »  a phrase in one section
//! nom:Bressuire                   a name (structure, manufacture, commune, partners), unstemmed
//! subsidy_share:>0.8              a range on a number; also >=, <, <=, a..b, =, 80%
//! forme:scic  filiere:bois        a dimension's exact value (as --filter does)
//! atelier OR fablab               either (also OU); OR binds closer than the implicit AND
//! bois AND metal                  both, the same as `bois metal` (also ET)
//! (atelier OR fablab) -friche     parentheses group; a group can be excluded or OR-ed
//! ```
//!
//! The parser is lenient where a reviewer would be surprised by an error (an unclosed quote
//! runs to the end, a lone `-` is ignored) and strict where silence would mislead (an unknown
//! `field:` or a range that is not a number is an error that says what is known).

use std::ops::Bound;

use dossiers_model::SectionTopic;

use crate::schema::{Dimension, Number, fold_name};

/// A query that cannot be understood.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("unknown field {field:?} in {clause:?} (sections: {sections}; numbers: {numbers})")]
    UnknownField {
        field: String,
        clause: String,
        sections: String,
        numbers: String,
    },
    #[error("{clause:?}: {value:?} is not a number")]
    NotANumber { clause: String, value: String },
    #[error("{clause:?}: nothing after the field name")]
    EmptyValue { clause: String },
    #[error("parentheses nested more than {max} deep")]
    TooDeep { max: usize },
    #[error("{clause:?}: only a section (foncier:, projet:, nom: …) takes a group in parentheses")]
    GroupOnField { clause: String },
}

/// Deepest nesting of parentheses accepted.
pub const MAX_DEPTH: usize = 8;

/// Where a text atom looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextTarget {
    /// Every text field, sections and names boosted.
    Default,
    /// One canonical section.
    Section(SectionTopic),
    /// All the text of all files, no boost.
    AllText,
    /// Names of people, structures and communes, unstemmed.
    Names,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TextKind {
    Word,
    Phrase,
    Prefix,
    /// A word matched within this many edits.
    Fuzzy(u8),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Atom {
    Text {
        target: TextTarget,
        kind: TextKind,
        text: String,
    },
    Range {
        number: Number,
        lower: Bound<f64>,
        upper: Bound<f64>,
    },
    Dimension {
        dimension: Dimension,
        value: String,
    },
    /// A parenthesised query, matched as a whole.
    Group(ParsedQuery),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occur {
    Must,
    MustNot,
}

/// One clause: its alternatives are joined by `OR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub occur: Occur,
    pub alternatives: Vec<Atom>,
}

/// A parsed query: every `Must` clause must match, no `MustNot` clause may. No positive clause
/// means every dossier (an empty query lists everything, with its facets).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Whether the query has words to rank by: a required text clause (filters and ranges
    /// score nothing, exclusions rank nobody).
    pub fn scores(&self) -> bool {
        self.clauses.iter().any(|clause| {
            clause.occur == Occur::Must
                && clause.alternatives.iter().any(|atom| match atom {
                    Atom::Text { .. } => true,
                    Atom::Group(group) => group.scores(),
                    Atom::Range { .. } | Atom::Dimension { .. } => false,
                })
        })
    }
}

/// The section a French (or English) alias names.
pub fn section_alias(name: &str) -> Option<TextTarget> {
    let topic = match fold_name(name).as_str() {
        "porteur" | "candidat" | "demandeur" | "structure" | "applicant" => SectionTopic::Applicant,
        "projet" | "project" => SectionTopic::Project,
        "territoire" | "diagnostic" | "territorial" | "territorial_diagnosis" | "diagnosis" => {
            SectionTopic::TerritorialDiagnosis
        }
        "juridique" | "gouvernance" | "legal" | "legal_model" => SectionTopic::LegalModel,
        "foncier" | "fonciere" | "local" | "locaux" | "immobilier" | "land" | "land_control" => {
            SectionTopic::LandControl
        }
        "economique" | "economie" | "modele_economique" | "economic" | "economic_model" => {
            SectionTopic::EconomicModel
        }
        "activite" | "activites" | "activity" | "activities" => SectionTopic::Activities,
        "formation" | "formations" | "training" => SectionTopic::Training,
        "partenariat" | "partenariats" | "partenaires" | "partners" | "partnerships" => {
            SectionTopic::Partnerships
        }
        "budget" | "financement" | "finances" => SectionTopic::Budget,
        "autre" | "autres" | "other" => SectionTopic::Other,
        "texte" | "tout" | "text" | "all" | "all_text" => return Some(TextTarget::AllText),
        "nom" | "noms" | "name" | "names" => return Some(TextTarget::Names),
        _ => return None,
    };
    Some(TextTarget::Section(topic))
}

const SECTION_ALIASES_HELP: &str = "porteur projet territoire juridique foncier economique activites formation partenariats budget autre texte nom";

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '«' => Some('»'),
        '“' => Some('”'),
        _ => None,
    }
}

/// Reads a quoted phrase starting at `chars[0]` (the opening quote); returns it and the rest.
fn read_phrase(chars: &[char]) -> (String, &[char]) {
    let Some((&open, rest)) = chars.split_first() else {
        return (String::new(), chars);
    };
    let close = closing_quote(open).unwrap_or('"');
    let end = rest.iter().position(|&c| c == close).unwrap_or(rest.len());
    let phrase: String = rest.iter().take(end).collect();
    let after = rest.get(end + 1..).unwrap_or(&[]);
    (phrase.trim_matches(is_space).to_owned(), after)
}

/// Reads a parenthesised group starting at `chars[0]` (the `(`): its inside and the rest after
/// the matching `)`. Quotes inside are skipped as phrases; an unclosed group runs to the end.
fn read_group(chars: &[char]) -> (&[char], &[char]) {
    let inside = chars.get(1..).unwrap_or(&[]);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, &c) in inside.iter().enumerate() {
        match quote {
            Some(close) if c == close => quote = None,
            Some(_) => {}
            None => match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    return (
                        inside.get(..i).unwrap_or(&[]),
                        inside.get(i + 1..).unwrap_or(&[]),
                    );
                }
                ')' => depth -= 1,
                _ => quote = closing_quote(c),
            },
        }
    }
    (inside, &[])
}

fn read_word(chars: &[char]) -> (String, &[char]) {
    // A parenthesis ends a word (`(bois OR metal)`), except inside a field's value, where
    // nothing groups.
    let end = chars
        .iter()
        .position(|&c| is_space(c) || c == '(' || c == ')')
        .unwrap_or(chars.len())
        .max(1);
    let word: String = chars.iter().take(end).collect();
    (word, chars.get(end..).unwrap_or(&[]))
}

/// Parses a query; see the module documentation for the language.
pub fn parse(query: &str) -> Result<ParsedQuery, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    parse_chars(&chars, 0, TextTarget::Default)
}

/// Parses `chars`, nested `depth` parentheses deep, unfielded words looking in `target` (a
/// section's group, `foncier:(bail OR convention)`, looks in that section).
fn parse_chars(
    chars: &[char],
    depth: usize,
    target: TextTarget,
) -> Result<ParsedQuery, QueryError> {
    let mut rest: &[char] = chars;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_with_previous = false;
    loop {
        while let Some((&c, after)) = rest.split_first() {
            if is_space(c) {
                rest = after;
            } else {
                break;
            }
        }
        let Some(&first) = rest.first() else {
            break;
        };
        let mut occur = Occur::Must;
        if first == '-' || first == '+' {
            if first == '-' {
                occur = Occur::MustNot;
            }
            rest = rest.get(1..).unwrap_or(&[]);
            if rest.first().is_none_or(|&c| is_space(c)) {
                continue;
            }
        }
        let atoms: Vec<Atom>;
        if rest.first() == Some(&'(') {
            if depth >= MAX_DEPTH {
                return Err(QueryError::TooDeep { max: MAX_DEPTH });
            }
            let (inside, after) = read_group(rest);
            rest = after;
            atoms = group_atoms(parse_chars(inside, depth + 1, target)?);
        } else if let Some((field, after_colon)) = field_group(rest) {
            if depth >= MAX_DEPTH {
                return Err(QueryError::TooDeep { max: MAX_DEPTH });
            }
            let (inside, after) = read_group(after_colon);
            rest = after;
            let Some(section) = section_alias(&field) else {
                return Err(QueryError::GroupOnField {
                    clause: format!("{field}:({})", inside.iter().collect::<String>()),
                });
            };
            atoms = group_atoms(parse_chars(inside, depth + 1, section)?);
        } else if rest.first() == Some(&')') {
            // A closing parenthesis with no opening one says nothing.
            rest = rest.get(1..).unwrap_or(&[]);
            continue;
        } else if let Some((field, after_colon)) = quoted_field(rest) {
            let (phrase, after) = read_phrase(after_colon);
            rest = after;
            let clause = format!("{field}:{phrase}");
            atoms = fielded_atom(&clause, &field, Value::Phrase(phrase))?
                .into_iter()
                .collect();
        } else if rest.first().is_some_and(|&c| closing_quote(c).is_some()) {
            let (phrase, after) = read_phrase(rest);
            rest = after;
            atoms = text_atom(target, TextKind::Phrase, phrase)
                .into_iter()
                .collect();
        } else {
            let (word, after) = read_word(rest);
            rest = after;
            if word == "OR" || word == "OU" {
                join_with_previous = !clauses.is_empty();
                continue;
            }
            // Every clause is required already: `bois AND metal` is `bois metal`.
            if word == "AND" || word == "ET" {
                continue;
            }
            match split_field(&word) {
                Some((field, value)) => {
                    atoms = fielded_atom(&word, field, Value::Word(value.to_owned()))?
                        .into_iter()
                        .collect();
                }
                None => atoms = word_atom(target, &word).into_iter().collect(),
            }
        }
        if atoms.is_empty() {
            continue;
        }
        if join_with_previous
            && occur == Occur::Must
            && let Some(last) = clauses.last_mut()
            && last.occur == Occur::Must
        {
            last.alternatives.extend(atoms);
        } else {
            clauses.push(Clause {
                occur,
                alternatives: atoms,
            });
        }
        join_with_previous = false;
    }
    Ok(ParsedQuery { clauses })
}

enum Value {
    Word(String),
    Phrase(String),
}

/// `field:"…"`: the field name and the text from the opening quote on.
fn quoted_field(chars: &[char]) -> Option<(String, &[char])> {
    let colon = chars.iter().position(|&c| c == ':' || is_space(c))?;
    let field = chars.get(..colon)?;
    let after = chars.get(colon + 1..)?;
    let is_name = !field.is_empty()
        && field
            .iter()
            .all(|&c| c.is_alphabetic() || c == '_' || c == '-');
    let quoted = after.first().is_some_and(|&c| closing_quote(c).is_some());
    (chars.get(colon) == Some(&':') && is_name && quoted).then(|| (field.iter().collect(), after))
}

/// A parsed group as alternatives of a clause: `(bois)` is `bois`, `(a OR b)` the two
/// alternatives, anything else one group.
fn group_atoms(mut group: ParsedQuery) -> Vec<Atom> {
    let single = matches!(group.clauses.as_slice(), [only] if only.occur == Occur::Must);
    match group.clauses.len() {
        0 => Vec::new(),
        1 if single => group
            .clauses
            .pop()
            .map(|clause| clause.alternatives)
            .unwrap_or_default(),
        _ => vec![Atom::Group(group)],
    }
}

/// `field:(…`: the field name and the text from the parenthesis on.
fn field_group(chars: &[char]) -> Option<(String, &[char])> {
    let colon = chars
        .iter()
        .position(|&c| c == ':' || is_space(c) || c == '(')?;
    let field = chars.get(..colon)?;
    let after = chars.get(colon + 1..)?;
    let is_name = !field.is_empty()
        && field
            .iter()
            .all(|&c| c.is_alphabetic() || c == '_' || c == '-');
    (chars.get(colon) == Some(&':') && is_name && after.first() == Some(&'('))
        .then(|| (field.iter().collect(), after))
}

/// `field:value` when the word starts with a field-like name and a colon.
fn split_field(word: &str) -> Option<(&str, &str)> {
    let (field, value) = word.split_once(':')?;
    // `http://…` is a word, not a field.
    let looks_like_name = !value.starts_with('/')
        && !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_alphabetic() || c == '_' || c == '-');
    looks_like_name.then_some((field, value))
}

fn text_atom(target: TextTarget, kind: TextKind, text: String) -> Option<Atom> {
    (!text.is_empty()).then_some(Atom::Text { target, kind, text })
}

fn word_atom(target: TextTarget, word: &str) -> Option<Atom> {
    if let Some(stem) = word.strip_suffix('*') {
        let stem = stem.trim_end_matches('*');
        return text_atom(target, TextKind::Prefix, stem.to_owned());
    }
    if let Some((stem, distance)) = word.rsplit_once('~') {
        let distance = match distance {
            "" => Some(1),
            "0" => Some(0),
            "1" => Some(1),
            "2" | "3" | "4" => Some(2),
            _ => None,
        };
        if let Some(distance) = distance {
            return text_atom(target, TextKind::Fuzzy(distance), stem.to_owned());
        }
    }
    text_atom(target, TextKind::Word, word.to_owned())
}

fn fielded_atom(clause: &str, field: &str, value: Value) -> Result<Option<Atom>, QueryError> {
    if matches!(&value, Value::Word(word) if word.is_empty()) {
        return Err(QueryError::EmptyValue {
            clause: clause.to_owned(),
        });
    }
    if let Some(target) = section_alias(field) {
        return Ok(match value {
            Value::Word(word) => word_atom(target, &word),
            Value::Phrase(phrase) => text_atom(target, TextKind::Phrase, phrase),
        });
    }
    let text = match value {
        Value::Word(word) | Value::Phrase(word) => word,
    };
    if let Some(number) = Number::parse(field) {
        let (lower, upper) = parse_range(&text).ok_or_else(|| QueryError::NotANumber {
            clause: clause.to_owned(),
            value: text.clone(),
        })?;
        return Ok(Some(Atom::Range {
            number,
            lower,
            upper,
        }));
    }
    if let Some(dimension) = Dimension::parse(field) {
        return Ok(Some(Atom::Dimension {
            dimension,
            value: dimension_value(dimension, &text),
        }));
    }
    Err(QueryError::UnknownField {
        field: field.to_owned(),
        clause: clause.to_owned(),
        sections: SECTION_ALIASES_HELP.to_owned(),
        numbers: Number::ALL
            .iter()
            .map(|n| n.name())
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// A dimension value as the index stores it: department and region codes upper case
/// (`2A`), every other code lower case.
pub fn dimension_value(dimension: Dimension, value: &str) -> String {
    match dimension {
        Dimension::Department | Dimension::Region => value.trim().to_uppercase(),
        _ => value.trim().to_lowercase(),
    }
}

/// `0.8`, `0,8`, `80%`.
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let (text, percent) = match text.strip_suffix('%') {
        Some(stripped) => (stripped, true),
        None => (text, false),
    };
    let cleaned: String = text
        .chars()
        .filter(|&c| !is_space(c) && c != '_')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let value: f64 = cleaned.parse().ok()?;
    value
        .is_finite()
        .then_some(if percent { value / 100.0 } else { value })
}

/// `>0.8`, `>=0.8`, `<10`, `<=10`, `=5`, `5`, `1..2` (inclusive), `1..`, `..2`.
fn parse_range(text: &str) -> Option<(Bound<f64>, Bound<f64>)> {
    if let Some(value) = text.strip_prefix(">=") {
        return Some((Bound::Included(parse_number(value)?), Bound::Unbounded));
    }
    if let Some(value) = text.strip_prefix("<=") {
        return Some((Bound::Unbounded, Bound::Included(parse_number(value)?)));
    }
    if let Some(value) = text.strip_prefix('>') {
        return Some((Bound::Excluded(parse_number(value)?), Bound::Unbounded));
    }
    if let Some(value) = text.strip_prefix('<') {
        return Some((Bound::Unbounded, Bound::Excluded(parse_number(value)?)));
    }
    if let Some((low, high)) = text.split_once("..") {
        let bound = |s: &str| -> Option<Bound<f64>> {
            if s.trim().is_empty() {
                Some(Bound::Unbounded)
            } else {
                Some(Bound::Included(parse_number(s)?))
            }
        };
        return Some((bound(low)?, bound(high)?));
    }
    let value = parse_number(text.strip_prefix('=').unwrap_or(text))?;
    Some((Bound::Included(value), Bound::Included(value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Bound::{Excluded, Included, Unbounded};

    /// Renders a parsed query compactly so that each case fits on one line.
    fn show(query: &ParsedQuery) -> String {
        let atom = |atom: &Atom| match atom {
            Atom::Text { target, kind, text } => {
                let target = match target {
                    TextTarget::Default => String::new(),
                    TextTarget::Section(topic) => format!("{}:", topic.code()),
                    TextTarget::AllText => "all:".into(),
                    TextTarget::Names => "names:".into(),
                };
                match kind {
                    TextKind::Word => format!("{target}{text}"),
                    TextKind::Phrase => format!("{target}\"{text}\""),
                    TextKind::Prefix => format!("{target}{text}*"),
                    TextKind::Fuzzy(d) => format!("{target}{text}~{d}"),
                }
            }
            Atom::Range {
                number,
                lower,
                upper,
            } => {
                let bound = |b: &Bound<f64>, open: &str, closed: &str| match b {
                    Included(v) => format!("{closed}{v}"),
                    Excluded(v) => format!("{open}{v}"),
                    Unbounded => "*".into(),
                };
                format!(
                    "{}:{}..{}",
                    number.name(),
                    bound(lower, "(", "["),
                    bound(upper, ")", "]")
                )
            }
            Atom::Dimension { dimension, value } => format!("{}={value}", dimension.name()),
            Atom::Group(group) => format!("({})", show(group)),
        };
        query
            .clauses
            .iter()
            .map(|clause| {
                let sign = if clause.occur == Occur::MustNot {
                    "-"
                } else {
                    ""
                };
                let alternatives: Vec<String> = clause.alternatives.iter().map(atom).collect();
                format!("{sign}{}", alternatives.join("|"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn check(query: &str, expected: &str) {
        assert_eq!(show(&parse(query).unwrap()), expected, "parsing {query:?}");
    }

    fn fails(query: &str, message_part: &str) {
        let error = parse(query).unwrap_err().to_string();
        assert!(error.contains(message_part), "{query:?} gave {error:?}");
    }

    #[test]
    fn words_phrases_and_operators() {
        check("", "");
        check("   ", "");
        check("bail emphytéotique", "bail emphytéotique");
        check("\"bail emphytéotique\"", "\"bail emphytéotique\"");
        check("« bail emphytéotique »", "\"bail emphytéotique\"");
        check("«bail emphytéotique»", "\"bail emphytéotique\"");
        check("“tiers-lieu”", "\"tiers-lieu\"");
        check("\"unclosed phrase", "\"unclosed phrase\"");
        check("atelier -friche", "atelier -friche");
        check("-friche", "-friche");
        check("+atelier", "atelier");
        check("atelier - friche", "atelier friche");
        check("-\"bail commercial\"", "-\"bail commercial\"");
        check("menuis*", "menuis*");
        check("menuis**", "menuis*");
        check("*", "");
        check("emphytéotque~", "emphytéotque~1");
        check("emphytéotque~2", "emphytéotque~2");
        check("emphytéotque~9", "emphytéotque~9");
        check("atelier OR fablab", "atelier|fablab");
        check("atelier OU fablab bois", "atelier|fablab bois");
        check("OR atelier", "atelier");
        check("l'atelier", "l'atelier");
        check("10:30", "10:30");
        check("http://example.org", "http://example.org");
    }

    #[test]
    fn and_and_parentheses() {
        check("bois AND metal", "bois metal");
        check("bois ET metal", "bois metal");
        check("AND bois", "bois");
        check("bois and metal", "bois and metal");
        check("(bois)", "bois");
        check("(bois metal)", "(bois metal)");
        check("(bois OR metal) atelier", "bois|metal atelier");
        check("(bois metal) OR verre", "(bois metal)|verre");
        check(
            "(bois AND metal) OR (verre AND textile)",
            "(bois metal)|(verre textile)",
        );
        check("-(bois OR metal)", "-bois|metal");
        check("-(bois metal)", "-(bois metal)");
        check(
            "atelier (menuis* OR \"bois (massif)\")",
            "atelier menuis*|\"bois (massif)\"",
        );
        check("((bois))", "bois");
        check("(bois OR metal", "bois|metal");
        check("bois)", "bois");
        check("()", "");
        check("foncier:(bail)", "land_control:bail");
        check(
            "foncier:(bail OR convention) atelier",
            "land_control:bail|land_control:convention atelier",
        );
        check(
            "foncier:(\"bail emphytéotique\" -commercial forme:scic)",
            "(land_control:\"bail emphytéotique\" -land_control:commercial legal_form=scic)",
        );
        fails("forme:(scic OR sas)", "only a section");
        check(
            "(forme:scic OR forme:sas) budget_total:>100000",
            "legal_form=scic|legal_form=sas budget_total:(100000..*",
        );
        fails(&"(".repeat(MAX_DEPTH + 1), "nested more than");
    }

    #[test]
    fn sections_by_french_alias() {
        check("foncier:emphytéotique", "land_control:emphytéotique");
        check("Foncier:emphytéotique", "land_control:emphytéotique");
        check("locaux:bail", "land_control:bail");
        check("land_control:bail", "land_control:bail");
        check("juridique:scic", "legal_model:scic");
        check("économique:recettes", "economic_model:recettes");
        check("territoire:rural", "territorial_diagnosis:rural");
        check("formation:cap", "training:cap");
        check("partenaires:lycée", "partnerships:lycée");
        check("porteur:association", "applicant:association");
        check("activités:menuiserie", "activities:menuiserie");
        check("projet:atelier*", "project:atelier*");
        check("foncier:emphytéotque~", "land_control:emphytéotque~1");
        check(
            "foncier:\"bail emphytéotique\"",
            "land_control:\"bail emphytéotique\"",
        );
        check(
            "foncier:« bail emphytéotique » bois",
            "land_control:\"bail emphytéotique\" bois",
        );
        check("-foncier:commercial", "-land_control:commercial");
        check("nom:Bressuire", "names:Bressuire");
        check("texte:atelier", "all:atelier");
    }

    #[test]
    fn ranges_on_numbers() {
        check("subsidy_share:>0.8", "subsidy_share:(0.8..*");
        check("subsidy_share:>=0.8", "subsidy_share:[0.8..*");
        check("subsidy_share:<0.5", "subsidy_share:*..)0.5");
        check("subsidy_share:<=0,5", "subsidy_share:*..]0.5");
        check("part_subvention:>80%", "subsidy_share:(0.8..*");
        check(
            "budget_total:100000..500000",
            "budget_total:[100000..]500000",
        );
        check("surface:100..", "surface_m2:[100..*");
        check("lease_years:=25", "lease_years:[25..]25");
        check("duree_bail:25", "lease_years:[25..]25");
        check("-subsidy:>200000", "-subsidy_requested:(200000..*");
    }

    #[test]
    fn dimensions_as_filters() {
        check("forme:SCIC", "legal_form=scic");
        check("filiere:bois", "sector=bois");
        check("departement:2a", "department=2A");
        check("vague:3", "wave=3");
        check("alerte:budget_missing", "flag=budget_missing");
        check("maitrise_fonciere:lease", "land_control=lease");
    }

    #[test]
    fn errors_name_the_clause() {
        fails("couleur:rouge", "unknown field \"couleur\"");
        fails("subsidy_share:>beaucoup", "is not a number");
        fails("subsidy_share:", "nothing after the field name");
        fails("foncier:", "nothing after the field name");
    }
}
