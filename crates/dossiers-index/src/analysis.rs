//! Text analysis: the French analyzer every text field and every query word goes through, and
//! the plain one for names.
//!
//! The order of the filters is the point. The tokenizer splits on apostrophes (« l'atelier »
//! gives `l` + `atelier`), lowercasing comes before the stop words so that « Le » is dropped,
//! and the stop-word list is accented, so it runs before folding. Then the order departs from
//! the usual "fold last" advice, for a measured reason: with Snowball before folding,
//! « foncière » stems to `fonci` but « fonciere » (typed without accent) to `foncier`, and
//! « activités » to `activ` but « activites » to `activit` — a reviewer who types without
//! accents misses dossiers. Folding *before* the stemmer makes every accent variant meet by
//! construction; the one conflation it loses (the feminine `-ière` that Snowball only knows
//! accented) is restored by [`FeminineIere`], which turns a folded `-iere(s)` into `-ier(s)`
//! so that « foncière », « fonciere » and « foncier » all give `fonci`. The probe table is in
//! ARCHITECTURE.md. tantivy does not persist its tokenizer registry, so [`register`] runs at
//! every open.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer of the section and all-text fields.
pub const FRENCH: &str = "dossiers_fr";
/// The analyzer of names (people, structures, communes): no stemming, no stop words, so that an
/// exact name matches itself and ranks first.
pub const NAMES: &str = "dossiers_names";

/// Elisions the stock list misses (« jusqu'à », « lorsqu'il »): the tokenizer leaves them as
/// words of their own.
const EXTRA_STOP_WORDS: &[&str] = &["jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu"];

/// Words longer than this are noise (URLs, base64, glued table cells), not vocabulary.
const LONGEST_WORD: usize = 40;

fn extra_stop_words() -> StopWordFilter {
    StopWordFilter::remove(EXTRA_STOP_WORDS.iter().map(|word| (*word).to_owned()))
}

/// The French analyzer: split, then each word through [`word_chain`] (drop long words,
/// lowercase, stop words, fold, `-iere` → `-ier`, stem), remembered per word.
pub fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(MemoWords::new(word_chain()))
        .build()
}

/// The filters of the French analyzer, applied to one word (the whole input is one token):
/// drop long words, lowercase, stop words, fold, `-iere` → `-ier`, stem.
pub fn word_chain() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::French).unwrap_or_else(extra_stop_words))
        .filter(extra_stop_words())
        .filter(AsciiFoldingFilter)
        .filter(FeminineIere)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Turns a folded feminine `-iere` / `-ieres` into `-ier` / `-iers`, which Snowball stems like
/// the masculine (it only recognises the accented `-ière`).
#[derive(Clone, Copy, Debug)]
pub struct FeminineIere;

impl TokenFilter for FeminineIere {
    type Tokenizer<T: Tokenizer> = FeminineIereFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FeminineIereFilter<T> {
        FeminineIereFilter { tokenizer }
    }
}

#[derive(Clone, Debug)]
pub struct FeminineIereFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for FeminineIereFilter<T> {
    type TokenStream<'a> = FeminineIereStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FeminineIereStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

#[derive(Debug)]
pub struct FeminineIereStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for FeminineIereStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if let Some(stem) = text.strip_suffix("ieres") {
            let masculine = format!("{stem}iers");
            *text = masculine;
        } else if text.ends_with("iere") {
            text.pop();
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Every filter after the tokenizer is a function of the word alone, so the analyzer remembers
/// what each word as written became (its term, or nothing for a stop word or a long word). A
/// dossier's vocabulary repeats a lot: the filters cost 12 % of a batch run's CPU when only the
/// stemmer was remembered (perf over `scripts/bench-batch`), and a word read once per field per
/// indexing thread is then a single lookup. The memo lives in the analyzer (one per field per
/// indexing thread) and is cleared when it grows past `MEMO_LIMIT` words; its hash is FxHash,
/// as SipHash was a quarter of the memo's time.
#[derive(Clone)]
pub struct MemoWords {
    chain: TextAnalyzer,
    memo: FxHashMap<String, Option<String>>,
}

impl std::fmt::Debug for MemoWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoWords")
            .field("memo", &self.memo.len())
            .finish_non_exhaustive()
    }
}

/// Words remembered by one analyzer before its memo is cleared.
const MEMO_LIMIT: usize = 50_000;

impl MemoWords {
    pub fn new(chain: TextAnalyzer) -> MemoWords {
        MemoWords {
            chain,
            memo: FxHashMap::default(),
        }
    }
}

impl TokenFilter for MemoWords {
    type Tokenizer<T: Tokenizer> = MemoWordsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoWordsFilter<T> {
        MemoWordsFilter {
            tokenizer,
            words: self,
        }
    }
}

#[derive(Clone, Debug)]
pub struct MemoWordsFilter<T> {
    tokenizer: T,
    words: MemoWords,
}

impl<T: Tokenizer> Tokenizer for MemoWordsFilter<T> {
    type TokenStream<'a> = MemoWordsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.words.memo.len() > MEMO_LIMIT {
            self.words.memo.clear();
        }
        MemoWordsStream {
            tail: self.tokenizer.token_stream(text),
            words: &mut self.words,
        }
    }
}

pub struct MemoWordsStream<'a, T> {
    tail: T,
    words: &'a mut MemoWords,
}

impl<T: std::fmt::Debug> std::fmt::Debug for MemoWordsStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoWordsStream")
            .field("tail", &self.tail)
            .field("words", &self.words)
            .finish()
    }
}

impl<T: TokenStream> TokenStream for MemoWordsStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token_mut();
            let MemoWords { chain, memo } = &mut *self.words;
            let term = match memo.get(token.text.as_str()) {
                Some(term) => term,
                None => {
                    let mut term = None;
                    chain
                        .token_stream(&token.text)
                        .process(&mut |word| term = Some(word.text.clone()));
                    memo.entry(token.text.clone()).or_insert(term)
                }
            };
            if let Some(term) = term {
                token.text.clear();
                token.text.push_str(term);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The names analyzer: split, lowercase, fold.
pub fn names_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Lowercase and fold without stemming: what a prefix or a fuzzy word is compared with.
pub fn folding_analyzer() -> TextAnalyzer {
    names_analyzer()
}

/// Registers both analyzers on an index; needed after every create and open.
pub fn register(index: &Index) {
    index.tokenizers().register(FRENCH, french_analyzer());
    index.tokenizers().register(NAMES, names_analyzer());
}

/// The terms an analyzer makes of a text, with their positions (stop words leave gaps).
pub fn analyze_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        let token = stream.token();
        terms.push((token.position, token.text.clone()));
    }
    terms
}

/// The terms the French analyzer makes of a text, in order.
pub fn analyze_french(text: &str) -> Vec<String> {
    analyze_with(&mut french_analyzer(), text)
        .into_iter()
        .map(|(_, term)| term)
        .collect()
}

/// The terms the names analyzer makes of a text, in order.
pub fn analyze_names(text: &str) -> Vec<String> {
    analyze_with(&mut names_analyzer(), text)
        .into_iter()
        .map(|(_, term)| term)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_analyses_exactly_like_the_filter_chain() {
        let long = "x".repeat(LONGEST_WORD + 5);
        let text = format!(
            "Les ateliers partagés accueillent les artisans ; LES artisans partagent \
             les machines, la découpeuse laser et les fraiseuses numériques de l'atelier, \
             jusqu'à la Foncière {long} 2022 {long} foncières."
        );
        let text = text.as_str();
        let mut reference = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD))
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::French).unwrap_or_else(extra_stop_words))
            .filter(extra_stop_words())
            .filter(AsciiFoldingFilter)
            .filter(FeminineIere)
            .filter(tantivy::tokenizer::Stemmer::new(Language::French))
            .build();
        let mut expected = Vec::new();
        reference
            .token_stream(text)
            .process(&mut |token| expected.push(token.clone()));
        assert!(expected.len() > 10);
        let mut memo = french_analyzer();
        for _ in 0..2 {
            // The second pass is answered from the memo; positions and offsets are the
            // tokenizer's, so stop words still leave their gaps.
            let mut got = Vec::new();
            memo.token_stream(text)
                .process(&mut |token| got.push(token.clone()));
            assert_eq!(got, expected);
        }
    }

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(analyze_french(text), expected, "analysing {text:?}");
    }

    fn same(a: &str, b: &str) {
        assert_eq!(
            analyze_french(a),
            analyze_french(b),
            "{a:?} and {b:?} should meet"
        );
    }

    #[test]
    fn apostrophes_split_and_elisions_drop() {
        check("l'atelier", &["ateli"]);
        check("l’atelier", &["ateli"]);
        check("d'emphytéose", &["emphyteos"]);
        check("aujourd'hui", &["aujourd", "hui"]);
        check("jusqu'à demain", &["demain"]);
        check("qu'il", &[]);
    }

    #[test]
    fn stop_words_and_case() {
        check("Le local", &["local"]);
        check("LES ATELIERS", &["ateli"]);
        check("et de la", &[]);
        check("Nous avons un local", &["local"]);
    }

    #[test]
    fn accents_and_stems_meet() {
        check("foncière", &["fonci"]);
        same("foncière", "fonciere");
        same("foncière", "foncier");
        same("foncier", "FONCIÈRE");
        same("foncières", "fonciers");
        same("emphytéotique", "emphyteotique");
        same("emphytéotique", "emphytéotiques");
        same("activités", "activites");
        same("activité", "activités");
        same("collectivité", "collectivite");
        same("créée", "creee");
        same("accès", "acces");
        same("matière", "matieres");
        same("locaux", "local");
        same("ateliers", "atelier");
        same("menuiserie", "menuiseries");
        same("céramique", "ceramique");
        same("coopérative", "cooperatives");
    }

    #[test]
    fn numbers_and_long_words() {
        check("2022", &["2022"]);
        check(&"a".repeat(60), &[]);
    }

    #[test]
    fn names_are_folded_not_stemmed() {
        assert_eq!(
            analyze_names("L'Établi Partagé"),
            ["l", "etabli", "partage"]
        );
        assert_eq!(analyze_names("Bressuire"), ["bressuire"]);
    }
}
