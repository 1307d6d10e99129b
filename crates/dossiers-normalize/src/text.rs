//! Folded text: the form every reader matches on.
//!
//! People write the same word as « Propriétaire », « PROPRIETAIRE » or « propriétaire » and
//! separate thousands with spaces, non-breaking spaces or narrow non-breaking spaces; a reader
//! that matched on raw text would need every variant. Folding lowercases, removes accents,
//! straightens apostrophes and quotes, turns every kind of space into one plain space and keeps,
//! for each folded byte, the byte of the original it came from, so that a value found in the
//! folded text (a name, a commune) can be cut out of the original with its accents and case.

/// A text folded for matching, with a map back to the original.
#[derive(Clone, Debug)]
pub struct Folded<'a> {
    pub original: &'a str,
    /// Lowercase, accents removed, apostrophes `'`, quotes `"`, dashes `-`, spaces collapsed.
    pub text: String,
    /// The same as `text` with the case kept (accents still removed); byte-aligned with `text`,
    /// for the few words that only mean something in capitals (« SA », « SAS »).
    pub cased: String,
    /// For each byte of `text`, the byte offset in `original` of the character it came from.
    map: Vec<usize>,
}

impl<'a> Folded<'a> {
    pub fn new(original: &'a str) -> Folded<'a> {
        let mut text = String::with_capacity(original.len());
        let mut cased = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        let mut last_space = true;
        let mut offset = 0;
        while let Some(rest) = original.get(offset..) {
            // Most of a text is runs of plain ASCII and single spaces: one byte in, one byte
            // out, copied a run at a time (this loop was a fifth of the normaliser's time one
            // char at a time).
            let mut run = 0;
            let mut after_plain = !last_space;
            for b in rest.bytes() {
                if is_plain_ascii(b) {
                    after_plain = true;
                } else if b == b' ' && after_plain {
                    after_plain = false;
                } else {
                    break;
                }
                run += 1;
            }
            if let Some(plain) = rest.get(..run)
                && !plain.is_empty()
            {
                let start = text.len();
                text.push_str(plain);
                if let Some(lower) = text.get_mut(start..) {
                    lower.make_ascii_lowercase();
                }
                cased.push_str(plain);
                map.extend(offset..offset + run);
                last_space = !after_plain;
                offset += run;
                continue;
            }
            let Some(ch) = rest.chars().next() else {
                break;
            };
            fold_one(ch, offset, &mut last_space, &mut text, &mut cased, &mut map);
            offset += ch.len_utf8();
        }
        Folded {
            original,
            text,
            cased,
            map,
        }
    }

    /// The original text behind the folded byte range `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> &'a str {
        let from = self.original_offset(start);
        let to = if end >= self.map.len() {
            self.original.len()
        } else {
            self.original_offset(end)
        };
        self.original.get(from..to.max(from)).unwrap_or("")
    }

    /// The folded byte offset of original byte `at` (the first folded byte at or after it).
    pub fn folded_offset(&self, at: usize) -> usize {
        self.map.partition_point(|&original| original < at)
    }

    /// The original byte offset of folded byte `at`.
    pub fn original_offset(&self, at: usize) -> usize {
        self.map.get(at).copied().unwrap_or(self.original.len())
    }
}

/// A byte folded to itself (lowercased): printable ASCII but the backquote, which is an
/// apostrophe.
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'`'
}

/// Folds one character that is not plain ASCII.
fn fold_one(
    ch: char,
    offset: usize,
    last_space: &mut bool,
    text: &mut String,
    cased: &mut String,
    map: &mut Vec<usize>,
) {
    let (lower, upper) = match fold_char(ch) {
        Fold::Space => {
            if *last_space {
                return;
            }
            (" ", " ")
        }
        Fold::Keep(s) => (s, s),
        Fold::Cased(lower, upper) => (lower, upper),
        Fold::Other => {
            // Lowercase without allocating; the case-kept twin keeps `ch` itself when both
            // have the same length, so that the two stay byte-aligned.
            let lower_len: usize = ch.to_lowercase().map(char::len_utf8).sum();
            let same_length = lower_len == ch.len_utf8();
            for l in ch.to_lowercase() {
                text.push(l);
                if !same_length {
                    cased.push(l);
                }
            }
            if same_length {
                cased.push(ch);
            }
            map.extend(std::iter::repeat_n(offset, lower_len));
            *last_space = false;
            return;
        }
    };
    *last_space = lower == " " || lower == "\n";
    push(text, cased, map, lower, upper, offset);
}

fn push(
    text: &mut String,
    cased: &mut String,
    map: &mut Vec<usize>,
    lower: &str,
    upper: &str,
    offset: usize,
) {
    text.push_str(lower);
    cased.push_str(upper);
    map.extend(std::iter::repeat_n(offset, lower.len()));
}

enum Fold {
    Space,
    Keep(&'static str),
    Cased(&'static str, &'static str),
    Other,
}

fn fold_char(ch: char) -> Fold {
    match ch {
        ' ' | '\t' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}'
        | '\u{200a}' | '\u{2008}' | '\u{feff}' | '\u{200b}' => Fold::Space,
        '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}' => Fold::Keep("\n"),
        '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' | '\u{2bc}' | '\u{2032}' => Fold::Keep("'"),
        '\u{ab}' | '\u{bb}' | '\u{201c}' | '\u{201d}' | '\u{201e}' => Fold::Keep("\""),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
            Fold::Keep("-")
        }
        '\u{b2}' => Fold::Keep("2"),
        '\u{b3}' => Fold::Keep("3"),
        '\u{2026}' => Fold::Keep("..."),
        '\u{20ac}' => Fold::Keep("€"),
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Fold::Cased("a", "a"),
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => Fold::Cased("a", "A"),
        'ç' => Fold::Cased("c", "c"),
        'Ç' => Fold::Cased("c", "C"),
        'è' | 'é' | 'ê' | 'ë' => Fold::Cased("e", "e"),
        'È' | 'É' | 'Ê' | 'Ë' => Fold::Cased("e", "E"),
        'ì' | 'í' | 'î' | 'ï' => Fold::Cased("i", "i"),
        'Ì' | 'Í' | 'Î' | 'Ï' => Fold::Cased("i", "I"),
        'ñ' => Fold::Cased("n", "n"),
        'Ñ' => Fold::Cased("n", "N"),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Fold::Cased("o", "o"),
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => Fold::Cased("o", "O"),
        'ù' | 'ú' | 'û' | 'ü' => Fold::Cased("u", "u"),
        'Ù' | 'Ú' | 'Û' | 'Ü' => Fold::Cased("u", "U"),
        'ý' | 'ÿ' => Fold::Cased("y", "y"),
        'Ý' | 'Ÿ' => Fold::Cased("y", "Y"),
        'œ' => Fold::Cased("oe", "oe"),
        'Œ' => Fold::Cased("oe", "OE"),
        'æ' => Fold::Cased("ae", "ae"),
        'Æ' => Fold::Cased("ae", "AE"),
        'ß' => Fold::Cased("ss", "ss"),
        c if c.is_ascii_uppercase() => Fold::Other,
        c if c.is_ascii() => Fold::Other,
        _ => Fold::Other,
    }
}

/// Folds a text for matching, dropping the map (for lexicon phrases and short values).
pub fn fold(text: &str) -> String {
    Folded::new(text).text.trim().to_string()
}

/// True when the byte at `at` in `text` is not part of a word (or is outside the text).
pub fn is_boundary(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b >= 0x80))
}

/// True when the byte before `at` is not part of a word.
pub fn is_boundary_before(text: &str, at: usize) -> bool {
    at == 0 || is_boundary(text, at - 1)
}

/// Every start offset where `needle` occurs in `haystack` as whole words (a needle ending in
/// `*` matches any word that starts with it).
pub fn find_words(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let (stem, prefix) = split_needle(needle);
    if stem.is_empty() {
        return Vec::new();
    }
    haystack
        .match_indices(stem)
        .filter_map(|(start, _)| {
            word_match_at(haystack, start, stem, prefix).map(|end| (start, end))
        })
        .collect()
}

/// A needle's stem and whether it is a prefix (`menuis*`).
pub fn split_needle(needle: &str) -> (&str, bool) {
    match needle.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (needle, false),
    }
}

/// Given an occurrence of `stem` at `start`, the end of the whole-word match it makes, if any:
/// the word rules of [`find_words`], shared with the one-pass matcher of the lexicon.
pub fn word_match_at(haystack: &str, start: usize, stem: &str, prefix: bool) -> Option<usize> {
    let first_is_word = stem
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    let last_is_word = stem
        .bytes()
        .last()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    let mut end = start + stem.len();
    if first_is_word && !is_boundary_before(haystack, start) {
        return None;
    }
    if prefix {
        while !is_boundary(haystack, end) {
            end += 1;
        }
    } else if last_is_word && !is_boundary(haystack, end) && !footnote_mark_at(haystack, end, stem)
    {
        return None;
    }
    Some(end)
}

/// A footnote reference glued to a word (« Action cœur de ville² » read as « ville2 »): one or
/// two digits right after a word that ends in a letter, then a word boundary.
fn footnote_mark_at(haystack: &str, at: usize, stem: &str) -> bool {
    let bytes = haystack.as_bytes();
    let ends_in_letter = stem.bytes().last().is_some_and(|b| b.is_ascii_alphabetic());
    let digits = bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    });
    ends_in_letter && (1..=2).contains(&digits) && is_boundary(haystack, at + digits)
}

/// True when `needle` occurs in `haystack` as whole words.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    !find_words(haystack, needle).is_empty()
}

/// Splits folded text into sentences (byte ranges): at `.`, `!`, `?`, `;` followed by a space
/// and at line breaks. A dot between digits or after a single letter (« S.C.I.C. ») does not end
/// a sentence.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        let ends = match b {
            b'\n' => true,
            b'!' | b'?' | b';' => true,
            b'.' => {
                let next = bytes.get(i + 1).copied();
                let prev2 = if i >= 2 {
                    bytes.get(i - 2).copied()
                } else {
                    None
                };
                let single_letter = prev2.is_none_or(|p| !p.is_ascii_alphanumeric())
                    && i >= 1
                    && bytes.get(i - 1).is_some_and(|p| p.is_ascii_alphabetic());
                matches!(next, None | Some(b' ') | Some(b'\n')) && !single_letter
            }
            _ => false,
        };
        if ends {
            if text.get(start..i).is_some_and(|s| !s.trim().is_empty()) {
                out.push((start, i + 1));
            }
            start = i + 1;
        }
        i += 1;
    }
    if text.get(start..).is_some_and(|s| !s.trim().is_empty()) {
        out.push((start, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }

    #[test]
    fn folds() {
        check("Propriétaire", "proprietaire");
        check("PROPRIÉTAIRE", "proprietaire");
        check("L’Établi", "l'etabli");
        check("1\u{a0}200\u{202f}000 €", "1 200 000 €");
        check("Action Cœur de Ville", "action coeur de ville");
        check("« SCIC »", "\" scic \"");
        check("bail 3–6–9", "bail 3-6-9");
        check("850 m²", "850 m2");
        check("a  \t b", "a b");
    }

    /// One character at a time, as `Folded::new` did before it copied ASCII runs whole.
    fn fold_char_by_char(original: &str) -> (String, String, Vec<usize>) {
        let (mut text, mut cased, mut map) = (String::new(), String::new(), Vec::new());
        let mut last_space = true;
        for (offset, ch) in original.char_indices() {
            if ch.is_ascii() && is_plain_ascii(ch as u8) {
                text.push(ch.to_ascii_lowercase());
                cased.push(ch);
                map.push(offset);
                last_space = false;
            } else {
                fold_one(ch, offset, &mut last_space, &mut text, &mut cased, &mut map);
            }
        }
        (text, cased, map)
    }

    #[test]
    fn ascii_runs_fold_like_single_characters() {
        for input in [
            "",
            "   ",
            "  Le BAIL\u{a0}\u{a0}emphytéotique,\n  signé `2021` — « OK » ½ İstanbul ß",
            "L’Établi\t\tSAS\r\n\r\n1\u{202f}200 m² …x",
            "abc",
            "é",
            "ÉCOLE Œuvre\u{1}\u{7f}fin ",
        ] {
            let folded = Folded::new(input);
            let (text, cased, map) = fold_char_by_char(input);
            assert_eq!(folded.text, text, "{input:?}");
            assert_eq!(folded.cased, cased, "{input:?}");
            assert_eq!(folded.map, map, "{input:?}");
        }
    }

    #[test]
    fn maps_back_to_original() {
        let folded = Folded::new("Ville de Châtellerault, 86100");
        let at = folded.text.find("chatellerault").unwrap();
        assert_eq!(
            folded.original_span(at, at + "chatellerault".len()),
            "Châtellerault"
        );
        assert_eq!(folded.text.len(), folded.cased.len());
    }

    #[test]
    fn finds_whole_words() {
        assert_eq!(find_words("la sas et le sasu", "sas").len(), 1);
        assert_eq!(find_words("menuiserie et menuisier", "menuis*").len(), 2);
        assert_eq!(find_words("association", "asso"), vec![]);
        assert_eq!(
            find_words(
                "action coeur de ville2 ; le projet",
                "action coeur de ville"
            )
            .len(),
            1
        );
        assert_eq!(find_words("cnc3axes", "cnc").len(), 0);
    }

    #[test]
    fn splits_sentences() {
        let text = "la s.c.i.c. est creee. elle compte 12 membres; le bail\nest signe";
        let parts: Vec<&str> = sentences(text).iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert_eq!(sentences("1.200 m2. fin").len(), 2);
    }
}
