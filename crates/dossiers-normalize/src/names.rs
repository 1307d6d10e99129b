//! Names: the structure's and the manufacture's, from a labelled field or from a sentence.
//!
//! A field does not always hold a bare name: forms paste a sentence into « Nom du projet »
//! (« L'Usine Vive – c'est le nom retenu pour le futur lieu – réunira … »), a cover line adds the
//! place (« Usinage & Territoire – Saint-Étienne, dans la Loire (42) »). [`clean_name`] cuts the
//! name out of such a value, or gives nothing: a sentence is never a name. Sentences name things
//! too: « présente sa candidature pour la manufacture « Les Forges du Port » », « un tiers-lieu
//! baptisé La Fabrique », « C'est l'association Le Garage Solidaire qui dépose … »; the words
//! that introduce a name are the lexicon's `[names]`.

use crate::lexicon::lexicon;
use crate::text::Folded;

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    Structure,
    Manufacture,
}

/// The name a field's value gives: the value itself when it reads as a name, the name a
/// sentence in it introduces, the quoted name it holds, or what precedes an aside (« X –
/// c'est le nom retenu … », « X – Saint-Étienne (42) », « X · Porteur : … »). `None` when the
/// value is prose that names nothing.
pub fn clean_name(value: &str, kind: NameKind) -> Option<String> {
    let value = value.trim().trim_end_matches(['.', ';', ',']).trim();
    if value.is_empty() {
        return None;
    }
    // A sentence that introduces the name.
    let introduced = match kind {
        NameKind::Manufacture => named_manufacture(value),
        NameKind::Structure => named_structure(value),
    };
    if looks_like_prose(value) {
        return introduced.or_else(|| quoted_name(value));
    }
    // An aside after the name: a middle dot, a bar, a parenthesis; a spaced dash when what
    // follows is a place, a number or a sentence (« X – Fourmies (59610) », « X – c'est le
    // nom retenu »), not when it goes on naming (« Chambre de métiers – antenne de la
    // Haute-Vienne »).
    let mut head = before_any(value, &[" · ", " | ", " ("]);
    for dash in [" – ", " — ", " - "] {
        if let Some(at) = head.find(dash) {
            let rest = head.get(at + dash.len()..).unwrap_or("");
            if is_aside(rest) {
                head = head.get(..at).unwrap_or(head);
            }
        }
    }
    let head = head
        .trim()
        .trim_matches(['«', '»', '"', '“', '”', ' '])
        .trim();
    if plausible(head) && !looks_like_prose(head) {
        return Some(head.to_string());
    }
    introduced.or_else(|| quoted_name(value))
}

/// A value that is a sentence rather than a name: many words, or a verb of a sentence.
fn looks_like_prose(value: &str) -> bool {
    let folded = crate::text::fold(value);
    let words = folded
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    let head = before_any(&folded, &[" - ", ". "]);
    let verbs = &lexicon().names.sentence_verbs;
    words > 14
        || verbs
            .iter()
            .any(|verb| head.split([' ', '\'', ',']).any(|w| w == verb))
}

/// What follows a dash in a name's value is an aside: a number or a place, a label, a sentence.
fn is_aside(rest: &str) -> bool {
    let folded = crate::text::fold(rest);
    rest.contains(|c: char| c.is_ascii_digit())
        || rest.contains(':')
        || folded.starts_with("c'est")
        || folded.split_whitespace().any(|w| w == "dans")
        || looks_like_prose(rest)
        || dossiers_geo::find_commune(rest.split([',', '(']).next().unwrap_or(rest).trim(), None)
            .is_some()
}

/// `text` up to the first of `separators`.
fn before_any<'a>(text: &'a str, separators: &[&str]) -> &'a str {
    let cut = separators
        .iter()
        .filter_map(|sep| text.find(sep))
        .min()
        .unwrap_or(text.len());
    text.get(..cut).unwrap_or(text)
}

/// The one « quoted » stretch of a value (« Le lieu que nous avons appelé « X » réunira … »).
fn quoted_name(value: &str) -> Option<String> {
    let open = value.find(['«', '“', '"'])?;
    let rest = value.get(open..)?;
    let first = rest.chars().next()?;
    let rest = rest.get(first.len_utf8()..)?;
    let close = rest.find(['»', '”', '"'])?;
    let name = rest.get(..close)?.trim();
    plausible(name).then(|| name.to_string())
}

/// The manufacture's name when a sentence gives it: a « quoted » name right after a word for
/// the project, or a name introduced by « baptisé », « dénommé », « sous le nom de », « que
/// nous avons appelé », or followed by « – c'est le nom retenu ».
pub fn named_manufacture(text: &str) -> Option<String> {
    let folded = Folded::new(text);
    let haystack = folded.text.as_str();
    let words = &lexicon().names;
    // « … la manufacture « Les Forges du Port » »
    let mut search = 0;
    while let Some(open) = haystack
        .get(search..)
        .and_then(|rest| rest.find('"'))
        .map(|i| i + search)
    {
        let Some(close) = haystack
            .get(open + 1..)
            .and_then(|rest| rest.find('"'))
            .map(|i| i + open + 1)
        else {
            break;
        };
        let before = haystack.get(open.saturating_sub(40)..open).unwrap_or("");
        let clause = before
            .trim_end()
            .rsplit(['.', ';', '\n'])
            .next()
            .unwrap_or("");
        let introduced = words.manufacture_nouns.iter().any(|w| {
            clause
                .split_whitespace()
                .rev()
                .take(4)
                .any(|word| word.trim_matches(',') == w)
        }) || ends_with_naming(clause);
        let name = folded.original_span(open + 1, close).trim();
        if introduced && plausible(name) {
            return Some(name.to_string());
        }
        search = close + 1;
    }
    // « … baptisé La Fabrique du Val, … », « … sous le nom de « X » »
    for word in &words.naming {
        let needle = format!("{word} ");
        for (at, _) in haystack.match_indices(&needle) {
            if !crate::text::is_boundary_before(haystack, at) {
                continue;
            }
            let start = at + needle.len();
            let rest = haystack.get(start..).unwrap_or("");
            let (start, end) = if let Some(quoted) = rest.strip_prefix('"') {
                let close = quoted.find('"').unwrap_or(quoted.len());
                (start + 1, start + 1 + close)
            } else {
                let stop = rest
                    .find([',', '.', ';', '(', '\n', ')', '"'])
                    .unwrap_or(rest.len());
                (start, start + stop)
            };
            let name = folded
                .original_span(start, end)
                .trim()
                .trim_matches(['"', '«', '»', ' ']);
            let name = cut_at_verb(name);
            if plausible(name) {
                return Some(name.to_string());
            }
        }
    }
    // « Fabrika Saint-Girons – c'est le nom retenu pour le futur lieu – réunira … »
    for aside in &words.naming_after {
        for (at, _) in haystack.match_indices(aside.as_str()) {
            let before = haystack.get(..at).unwrap_or("");
            let trimmed = before.trim_end_matches([' ', '-', '(', ',']);
            let start = trimmed
                .rfind(['.', ';', ':', '\n', '"'])
                .map_or(0, |i| i + 1);
            let name = folded.original_span(start, trimmed.len()).trim();
            let name = strip_lead_in(name);
            if plausible(name) && !looks_like_prose(name) {
                return Some(name.to_string());
            }
        }
    }
    None
}

/// True when a clause ends with a naming verb (« le lieu que nous avons appelé »).
fn ends_with_naming(clause: &str) -> bool {
    let clause = clause.trim_end();
    lexicon()
        .names
        .naming
        .iter()
        .any(|word| clause.ends_with(word.as_str()))
}

/// « La Forge réunira … » → « La Forge »: a name read up to a clause break stops at the verb
/// that follows it.
fn cut_at_verb(name: &str) -> &str {
    let verbs = &lexicon().names.sentence_verbs;
    let mut offset = 0;
    for word in name.split(' ') {
        let folded = crate::text::fold(word);
        if offset > 0 && verbs.contains(&folded) {
            return name.get(..offset).unwrap_or(name).trim_end();
        }
        offset += word.len() + 1;
    }
    name
}

/// « Bullet – X » or « • X »: list marks before a name.
fn strip_lead_in(name: &str) -> &str {
    name.trim_start_matches(['•', '–', '-', '—', '*', ' '])
}

/// Words that may stand lowercase inside a proper name (« Les Ateliers de la Creuse »).
const CONNECTORS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l'", "d'", "&", "et", "en", "sur", "a", "à", "aux",
    "au", "-",
];

/// The applicant's name when a sentence gives it: the best of [`structure_candidates`].
pub fn named_structure(text: &str) -> Option<String> {
    let folded = Folded::new(text);
    best_structure(&structure_candidates(&folded)).map(|c| c.name.clone())
}

/// The best candidate: the highest score, the first written on a tie.
pub fn best_structure(candidates: &[StructureCandidate]) -> Option<&StructureCandidate> {
    candidates
        .iter()
        .filter(|c| c.score > 0)
        .fold(None, |best: Option<&StructureCandidate>, c| match best {
            Some(b) if b.score >= c.score => Some(b),
            _ => Some(c),
        })
}

/// A structure's name read in a text, with how strongly the text says it is the applicant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureCandidate {
    pub name: String,
    /// The legal form written with it (« X, association fondée en 1998 »), if any.
    pub form: Option<dossiers_model::LegalForm>,
    /// Byte offset of the name in the folded text.
    pub start: usize,
    /// 3: the text presents it as the applicant (« X est une association », a letter's sender
    /// line above its form, « notre association, X, dépose », a trade name); 2: named with its
    /// form in a sentence of its own; 1: named in passing; 0: a partner, a funder, a member.
    pub score: u8,
}

/// Every structure name of a folded text, read three ways: after a word for a structure
/// (« l'association Fil & Forge », « la SCOP Les Mains Habiles »), before its form in apposition
/// or with « est » (« Fil & Trame est une société coopérative », « Terres de Sorgue, EURL créée
/// en 2016 »), and as the line above a line that gives the form (a letter's sender block:
/// « Kalon Mor » over « Société coopérative d'intérêt collectif »). Sentences that speak of
/// partners, funders or members (the lexicon's `[names] partner_cues`) score 0.
pub fn structure_candidates(folded: &Folded<'_>) -> Vec<StructureCandidate> {
    let lexicon = lexicon();
    let text = folded.text.as_str();
    let mut out: Vec<StructureCandidate> = Vec::new();
    let mut forms: Vec<(usize, usize, Option<dossiers_model::LegalForm>, bool)> = lexicon
        .legal_forms
        .find(folded)
        .iter()
        .map(|hit| (hit.start, hit.end, Some(hit.key), true))
        .collect();
    forms.extend(
        lexicon
            .names
            .structure_nouns
            .find(folded)
            .iter()
            .map(|hit| (hit.start, hit.end, None, false)),
    );
    // « Commune de La Souterraine » at the start of a line names a local authority.
    forms.extend(
        lexicon
            .legal_forms_field_only
            .find(folded)
            .iter()
            .filter(|hit| line_start(text, hit.start) == hit.start)
            .map(|hit| (hit.start, hit.end, Some(hit.key), true)),
    );
    // Where a legal form and a common noun start together, the legal form (which may stay in
    // the name) is the one kept.
    forms.sort_unstable_by_key(|(start, _, _, is_form)| (*start, !*is_form));
    forms.dedup_by_key(|(start, _, _, _)| *start);
    let sentence_score = |at: usize, base: u8| {
        let (s, e) = sentence_around(text, at);
        let sentence = text.get(s..e).unwrap_or("");
        let cased = folded.cased.get(s..e).unwrap_or("");
        let self_ref = !lexicon.names.self_cues.find_in(sentence, cased).is_empty();
        let partner = !lexicon
            .names
            .partner_cues
            .find_in(sentence, cased)
            .is_empty();
        match (self_ref, partner) {
            (true, _) => 3,
            (false, true) => 0,
            (false, false) => base,
        }
    };
    for (hit_start, hit_end, form, is_form) in forms {
        // After the word: « l'association X ».
        if let Some((name, start)) = name_after(folded, hit_start, hit_end, is_form) {
            out.push(StructureCandidate {
                score: sentence_score(hit_start, 1),
                name,
                form,
                start,
            });
        }
        // Before the form: « X est une association », « X, EURL créée en 2016 ».
        if let Some((name, start)) = name_before(folded, hit_start) {
            out.push(StructureCandidate {
                score: sentence_score(hit_start, 3).max(2),
                name,
                form,
                start,
            });
        }
        // The line above a line that opens with the form: a letter's sender block.
        if line_start(text, hit_start) == hit_start
            && let Some((name, start)) = name_of_previous_line(folded, hit_start)
        {
            out.push(StructureCandidate {
                name,
                form,
                start,
                score: 3,
            });
        }
    }
    // A trade name: « sous le nom commercial « Filature du Rougier » ».
    for cue in lexicon.names.structure_naming.find(folded) {
        let rest = text.get(cue.end..).unwrap_or("");
        let skipped = rest.len() - rest.trim_start_matches([' ', ':', '"']).len();
        let start = cue.end + skipped;
        let tail = text.get(start..).unwrap_or("");
        let end = start
            + tail
                .find(['"', ',', ';', '.', '(', '\n'])
                .unwrap_or(tail.len());
        let name = folded.original_span(start, end).trim();
        if plausible(name) && !only_form_words(name) {
            out.push(StructureCandidate {
                name: name.to_string(),
                form: None,
                start,
                score: 3,
            });
        }
    }
    out.retain(|c| !only_form_words(&c.name));
    out.sort_by_key(|c| c.start);
    out
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The sentence (or line) around a byte of a folded text.
fn sentence_around(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or("");
    let start = before
        .rfind(['\n', '.', ';', '!', '?'])
        .map_or(0, |i| i + 1);
    let after = text.get(at..).unwrap_or("");
    let end = after
        .find(['\n', '.', ';', '!', '?'])
        .map_or(text.len(), |i| at + i);
    (start, end)
}

/// The capitalised name right after a word for a structure, on its line.
fn name_after(
    folded: &Folded<'_>,
    hit_start: usize,
    hit_end: usize,
    is_form: bool,
) -> Option<(String, usize)> {
    let start = folded.original_offset(hit_start);
    let after_form = folded.original_offset(hit_end);
    // A name does not run over a line break (« Association X » then the address line).
    let rest = folded.original.get(after_form..).unwrap_or("");
    let rest = rest.split('\n').next().unwrap_or("");
    // « Notre association, Établi & Compagnie, dépose »: an apposition after a comma.
    let (rest, skipped) = match rest.strip_prefix(", ") {
        Some(after_comma) => (after_comma, 2),
        None => (rest, 0),
    };
    let name_start = after_form + skipped;
    let mut end = name_start;
    let mut capitalised = 0;
    let mut offset = 0;
    for token in rest.split_inclusive([' ', '\u{a0}']) {
        let word = token.trim_end_matches([' ', '\u{a0}']);
        let bare = word.trim_end_matches([',', '.', ';', ':', ')', '(']);
        let stops = bare.len() != word.len();
        let lower = bare.to_lowercase();
        let elided = ["l'", "d'", "l’", "d’"]
            .iter()
            .any(|e| lower.starts_with(e) && bare.chars().nth(2).is_some_and(char::is_uppercase));
        if bare.chars().next().is_some_and(char::is_uppercase) || elided {
            capitalised += 1;
            end = name_start + offset + bare.len();
        } else if word.is_empty() || CONNECTORS.contains(&lower.as_str()) {
            // kept only if a capitalised word follows
        } else {
            break;
        }
        offset += token.len();
        if stops {
            break;
        }
    }
    if capitalised == 0 {
        return None;
    }
    let written_form = folded.original.get(start..after_form).unwrap_or("");
    // Keep the form when it is an acronym in capitals (« SCOP Les Mains Habiles »), or a form
    // named in full that the name needs (« Association Fil & Forge »).
    let keep_form = is_form
        && skipped == 0
        && (written_form
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
            || written_form.chars().next().is_some_and(char::is_uppercase));
    let from = if keep_form { start } else { name_start };
    let name = folded.original.get(from..end).unwrap_or("").trim();
    let mut chars = name.chars();
    let name: String = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default()
        + chars.as_str();
    plausible(&name).then_some((name, hit_start))
}

/// « Fil & Trame est une société coopérative », « L'Encre et la Presse, association fondée en
/// 1998 », « • Atelier Rotrou Industrie, SASU »: the name that opens the sentence or line just
/// before the form.
fn name_before(folded: &Folded<'_>, hit_start: usize) -> Option<(String, usize)> {
    let text = folded.text.as_str();
    let (sentence_start, _) = sentence_around(text, hit_start);
    let before = text.get(sentence_start..hit_start)?;
    let mut head = before.trim_end();
    for tail in [
        " est une", " est un", " est la", " est le", ",", " -", " :", " (", " est",
    ] {
        if let Some(stripped) = head.strip_suffix(tail) {
            head = stripped.trim_end();
            break;
        }
    }
    if head.len() == before.trim_end().len() {
        return None;
    }
    let lead = head.len()
        - head
            .trim_start_matches([' ', '-', '*', '\u{2022}', '"'])
            .len();
    let from = sentence_start + lead;
    let to = sentence_start + head.len();
    let name = folded
        .original_span(from, to)
        .trim()
        .trim_start_matches('•')
        .trim();
    // « L'association Fil & Forge (loi 1901) »: a name that starts with its form is read after
    // the form, not here.
    let opens_with_form = {
        let inner = Folded::new(name);
        let lexicon = lexicon();
        // After an article: « Le GIE X », « L'association X ».
        let article = ["le ", "la ", "les ", "l'"]
            .iter()
            .find(|a| inner.text.starts_with(**a))
            .map_or(0, |a| a.len());
        lexicon
            .legal_forms
            .find(&inner)
            .first()
            .is_some_and(|h| h.start <= article)
            || lexicon
                .names
                .structure_nouns
                .find(&inner)
                .first()
                .is_some_and(|h| h.start <= article)
    };
    (!opens_with_form && name_shaped(name) && plausible(name)).then(|| (name.to_string(), from))
}

/// The line above `at` when it is shaped like a name.
fn name_of_previous_line(folded: &Folded<'_>, at: usize) -> Option<(String, usize)> {
    let text = folded.text.as_str();
    let previous_end = at.checked_sub(1)?;
    let previous_start = line_start(text, previous_end);
    let name = folded.original_span(previous_start, previous_end).trim();
    // A heading in capitals (« IDENTITÉ DU CANDIDAT ») is not a sender's name.
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() > 3 && letters.iter().all(|c| c.is_uppercase());
    (!shouting && name_shaped(name) && plausible(name)).then(|| (name.to_string(), previous_start))
}

/// A name's shape: capitalised words, with the small words names keep between them.
fn name_shaped(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words.iter().all(|word| {
            let lower = word.to_lowercase();
            let bare = lower.trim_matches([',', '(', ')']);
            word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '&')
                || CONNECTORS.contains(&bare)
                || ["l'", "d'", "l’", "d’"].iter().any(|e| bare.starts_with(e))
        })
}

/// A « name » made of legal-form words only (« SCOP SA ») names no one.
fn only_form_words(name: &str) -> bool {
    let folded = Folded::new(name);
    let hits = lexicon().legal_forms.find(&folded);
    let covered: usize = hits.iter().map(|h| h.end - h.start).sum();
    let letters = folded.text.chars().filter(|c| c.is_alphanumeric()).count();
    let covered_letters = hits
        .iter()
        .map(|h| {
            folded
                .text
                .get(h.start..h.end)
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count()
        })
        .sum::<usize>();
    covered > 0 && covered_letters + 1 >= letters
}

fn plausible(name: &str) -> bool {
    let chars = name.chars().count();
    (3..=120).contains(&chars)
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && name
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            <= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        assert_eq!(named_manufacture(input).as_deref(), expected, "{input:?}");
    }

    fn check_structure(input: &str, expected: Option<&str>) {
        assert_eq!(named_structure(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn structures_in_sentences() {
        check_structure(
            "L'association Fil & Forge (loi 1901) présente sa candidature.",
            Some("Fil & Forge"),
        );
        check_structure(
            "La coopérative Terres de Fabrique dépose la présente candidature.",
            Some("Terres de Fabrique"),
        );
        check_structure(
            "C'est l'association Le Garage Solidaire d'Annonay qui dépose la présente candidature.",
            Some("Le Garage Solidaire d'Annonay"),
        );
        check_structure(
            "Notre association, Établi & Compagnie, dépose la présente candidature.",
            Some("Établi & Compagnie"),
        );
        check_structure(
            "Fil & Trame est une société coopérative et participative (SCOP) constituée en SARL.",
            Some("Fil & Trame"),
        );
        check_structure(
            "L'Encre et la Presse, association fondée en 1998, fait vivre l'imprimerie.",
            Some("L'Encre et la Presse"),
        );
        check_structure(
            "Kalon Mor\nSociété coopérative d'intérêt collectif — société anonyme\n8 quai de l'Yser",
            Some("Kalon Mor"),
        );
        check_structure(
            "Les Émouleurs de la Durolle est une association loi 1901. La Ville de Thiers et le lycée Jean-Zay nous accompagnent en tant que partenaires.",
            Some("Les Émouleurs de la Durolle"),
        );
        check_structure(
            "Je suis micro-entrepreneuse, sous le nom commercial « Filature du Rougier » : je file la laine.",
            Some("Filature du Rougier"),
        );
        check_structure(
            "Commune de La Souterraine\nHôtel de ville",
            Some("Commune de La Souterraine"),
        );
        check_structure(
            "Les Porcelainiers de Vierzon\nSCOP SA à conseil d'administration",
            Some("Les Porcelainiers de Vierzon"),
        );
        check_structure("Nous travaillons avec le lycée Jean-Zay, partenaire.", None);
        check_structure(
            "La SCOP Les Mains Habiles, chef de file, porte le projet.",
            Some("SCOP Les Mains Habiles"),
        );
        check_structure("Notre association regroupe des artisans.", None);
        check_structure(
            "Association Récup'Atelier Nantais\n8 rue de la Fonderie – 44200 Nantes",
            Some("Association Récup'Atelier Nantais"),
        );
        check_structure(
            "La Communauté de communes du Pays de Lure porte le projet.",
            Some("Communauté de communes du Pays de Lure"),
        );
    }

    #[test]
    fn names_in_sentences() {
        check(
            "présente sa candidature pour la manufacture « Les Forges du Port ».",
            Some("Les Forges du Port"),
        );
        check(
            "Le projet « La Fabrique du Val » vise à…",
            Some("La Fabrique du Val"),
        );
        check(
            "un tiers-lieu productif baptisé L'Établi, ouvert en 2023",
            Some("L'Établi"),
        );
        check(
            "Le lieu fonctionnera sous le nom de Manufacture des Tanneurs.",
            Some("Manufacture des Tanneurs"),
        );
        check("Nous avons reçu le « label » de la région.", None);
        check("sans nom", None);
        check(
            "Le lieu que nous avons appelé « Le Bercail des Fabricants » réunira sous un même toit machines.",
            Some("Le Bercail des Fabricants"),
        );
        check(
            "Le futur lieu, baptisé Les Ateliers du Viaduc, réunira sous un même toit machines.",
            Some("Les Ateliers du Viaduc"),
        );
        check(
            "Fabrika Saint-Girons – c'est le nom retenu pour le futur lieu – réunira sous un même toit machines.",
            Some("Fabrika Saint-Girons"),
        );
        check(
            "La manufacture ouvrira sous le nom de « La Centrale de Fourmies ».",
            Some("La Centrale de Fourmies"),
        );
    }

    fn check_clean(input: &str, kind: NameKind, expected: Option<&str>) {
        assert_eq!(clean_name(input, kind).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn field_values_cut_to_their_name() {
        use NameKind::*;
        check_clean(
            "Les Forges du Port",
            Manufacture,
            Some("Les Forges du Port"),
        );
        check_clean(
            "Chambre de métiers et de l'artisanat de Nouvelle-Aquitaine – antenne de la Haute-Vienne",
            Structure,
            Some(
                "Chambre de métiers et de l'artisanat de Nouvelle-Aquitaine – antenne de la Haute-Vienne",
            ),
        );
        check_clean(
            "Les Ateliers du Canal – 39400 Hauts de Bienne",
            Structure,
            Some("Les Ateliers du Canal"),
        );
        check_clean(
            "SCIC Cœur d'Atelier – Cayenne",
            Structure,
            Some("SCIC Cœur d'Atelier"),
        );
        check_clean(
            "L'Usine Vive – c'est le nom retenu pour le futur lieu – réunira sous un même toit machines, savoir-faire et commandes.",
            Manufacture,
            Some("L'Usine Vive"),
        );
        check_clean(
            "Usinage & Territoire – Saint-Étienne, dans la Loire (42)",
            Structure,
            Some("Usinage & Territoire"),
        );
        check_clean(
            "Manufacture ouverte de Nontron · Porteur : Association Collectif Fabriquer Ici",
            Manufacture,
            Some("Manufacture ouverte de Nontron"),
        );
        check_clean(
            "Le lieu que nous avons appelé « Le Quartier des Fabricants » réunira sous un même toit machines.",
            Manufacture,
            Some("Le Quartier des Fabricants"),
        );
        check_clean(
            "La société Atelier Tangente est à l'origine du projet et le portera. Une partie de notre outillage a été récupérée.",
            Structure,
            Some("Atelier Tangente"),
        );
        check_clean(
            "Nous rassemblons aujourd'hui 157 membres actifs et une équipe de 6 permanents.",
            Structure,
            None,
        );
    }
}
