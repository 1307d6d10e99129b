//! Folding French text into a comparison key. Dossiers write the same place or word with and
//! without accents, in capitals, with hyphens or spaces, with straight or typographic
//! apostrophes and with non-breaking spaces from word processors; two spellings that a French
//! reader takes for the same must fold to the same key. Other crates reuse [`fold`] for any
//! French matching, so it knows nothing about communes; [`fold_commune_name`] adds the
//! commune-specific equivalences on top.

/// Folds text for comparison: lowercase, accents and ligatures removed (`œ` → `oe`, `æ` → `ae`,
/// `ß` → `ss`, every Latin-1 and Latin Extended-A letter to its base letters), and every run of
/// characters that is not a letter or a digit (spaces of any kind, hyphens, dashes, apostrophes
/// `'` `’` `ʼ`, punctuation, symbols) turned into one space, without leading or trailing space.
///
/// Letters outside the Latin script are kept, lowercased. Combining accents (text in
/// decomposed form) are dropped, so NFC and NFD input fold alike.
///
/// ```
/// assert_eq!(dossiers_geo::fold("  L’Haÿ-les-Roses\u{a0}"), "l hay les roses");
/// assert_eq!(dossiers_geo::fold("SŒUR Cœur—ÆTHER"), "soeur coeur aether");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A separator only becomes a space once a letter follows it, so none leads or trails.
    let mut pending_space = false;
    for upper in text.chars() {
        // Most text is ASCII; it needs neither the Unicode case tables nor the accent table.
        if upper.is_ascii() {
            if upper.is_ascii_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(upper.to_ascii_lowercase());
            } else {
                pending_space = true;
            }
            continue;
        }
        for c in upper.to_lowercase() {
            if is_combining_mark(c) {
                continue;
            }
            // Modifier letters used as apostrophes or quotes count as letters for Unicode,
            // but a French reader sees punctuation.
            if matches!(c, 'ʹ' | 'ʺ' | 'ʻ' | 'ʼ' | 'ʽ' | 'ʾ' | 'ʿ' | 'ˈ' | 'ˊ' | 'ˋ') {
                pending_space = true;
                continue;
            }
            match base_letters(c) {
                Some(base) => {
                    push_word_part(&mut out, &mut pending_space, base);
                }
                None if c.is_alphanumeric() => {
                    let mut buffer = [0_u8; 4];
                    push_word_part(&mut out, &mut pending_space, c.encode_utf8(&mut buffer));
                }
                None => pending_space = true,
            }
        }
    }
    out
}

fn push_word_part(out: &mut String, pending_space: &mut bool, part: &str) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(part);
}

/// Combining diacritical marks (U+0300–U+036F) and their supplements, which decomposed text
/// uses for accents.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The ASCII letters a lowercase Latin letter folds to, or `None` for characters that are
/// not Latin letters with a diacritic or a ligature (ASCII letters and digits included:
/// the caller keeps them as they are).
fn base_letters(c: char) -> Option<&'static str> {
    let base = match c {
        'a'..='z' | '0'..='9' => return None,
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ª' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ᵉ' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'º' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    };
    Some(base)
}

/// Folds a commune name into the key the name index uses: [`fold`], then the abbreviations
/// addresses use for « Saint » (`St`, `Ste`, `Sts`, `Stes`), « sur » (`s/`) and « sous »
/// (`ss`) written out, and the old INSEE
/// order « Mans (Le) » put back as « Le Mans ».
///
/// ```
/// use dossiers_geo::fold_commune_name;
/// assert_eq!(fold_commune_name("ST-ETIENNE"), fold_commune_name("Saint-Étienne"));
/// assert_eq!(fold_commune_name("Mans (Le)"), "le mans");
/// assert_eq!(fold_commune_name("Ste Foy-lès-Lyon"), "sainte foy les lyon");
/// ```
pub fn fold_commune_name(name: &str) -> String {
    let folded = fold(&move_trailing_article(name));
    let mut out = String::with_capacity(folded.len() + 8);
    for word in folded.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            "sts" => "saints",
            "stes" => "saintes",
            // « Boulogne-s/-Mer », « Bois-ss-Bois »: no commune name has these as words.
            "s" => "sur",
            "ss" => "sous",
            other => other,
        });
    }
    out
}

/// « Mans (Le) » → « Le Mans », « Haÿ-les-Roses (L') » → « L' Haÿ-les-Roses »: the order of
/// old INSEE lists and some spreadsheets. Anything else is returned unchanged.
fn move_trailing_article(name: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = name.trim_end();
    let Some(without_paren) = trimmed.strip_suffix(')') else {
        return name.into();
    };
    let Some((head, article)) = without_paren.rsplit_once('(') else {
        return name.into();
    };
    let article = article.trim();
    let is_article = matches!(fold(article).as_str(), "le" | "la" | "les" | "l");
    if is_article {
        format!("{article} {}", head.trim_end()).into()
    } else {
        name.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }

    #[track_caller]
    fn check_name(input: &str, expected: &str) {
        assert_eq!(
            fold_commune_name(input),
            expected,
            "fold_commune_name({input:?})"
        );
    }

    #[test]
    fn fold_cases() {
        check("", "");
        check("   ", "");
        check("Bressuire", "bressuire");
        check("Saint-Étienne", "saint etienne");
        check("SAINT ÉTIENNE", "saint etienne");
        check("L'Haÿ-les-Roses", "l hay les roses");
        check("L’Haÿ-les-Roses", "l hay les roses");
        check("Lʼîle", "l ile");
        check("Œuvre d’art", "oeuvre d art");
        check("cœur", "coeur");
        check("Lætitia", "laetitia");
        check("ÆSIR", "aesir");
        check("Straße", "strasse");
        check("ÇA", "ca");
        check("Noël", "noel");
        check("Ñandú", "nandu");
        check("Łódź", "lodz");
        check("Dvořák", "dvorak");
        check("Øresund", "oresund");
        check("Þór", "thor");
        check("İstanbul", "istanbul");
        check("Saint\u{a0}Denis", "saint denis");
        check("Saint\u{202f}Denis", "saint denis");
        check("a\t\n b", "a b");
        check("--a--b--", "a b");
        check("a – b — c", "a b c");
        check("Paris 11ᵉ", "paris 11e");
        check("n° 12", "n 12");
        check("« Manufacture »", "manufacture");
        // Decomposed (NFD) accents fold like composed ones.
        check("E\u{301}tienne", "etienne");
        check("Ele\u{300}ve", "eleve");
        check("ΑΘΗΝΑ", "αθηνα");
        check("ÀÁÂÃÄÅĀĂĄ", "aaaaaaaaa");
        check("ĆĈĊČĎĐÈÉÊËĒĔĖĘĚ", "ccccddeeeeeeeee");
        check("ĜĞĠĢĤĦÌÍÎÏĨĪĬĮĴĶ", "gggghhiiiiiiiijk");
        check("ĹĻĽĿŁÑŃŅŇÒÓÔÕÖØŌŎŐ", "lllllnnnnooooooooo");
        check("ŔŖŘŚŜŞŠŢŤŦÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽ", "rrrsssstttuuuuuuuuuuwyyyzzz");
    }

    #[test]
    fn fold_commune_name_cases() {
        check_name("St-Etienne", "saint etienne");
        check_name("st etienne", "saint etienne");
        check_name("Ste-Foy", "sainte foy");
        check_name("Stes-Maries-de-la-Mer", "saintes maries de la mer");
        check_name("Saintes", "saintes");
        check_name("Mans (Le)", "le mans");
        check_name("Haÿ-les-Roses (L')", "l hay les roses");
        check_name("Rochelle (La) ", "la rochelle");
        check_name("Saint-Denis (Réunion)", "saint denis reunion");
        check_name("Stenay", "stenay");
        check_name("Boulogne-s/-Mer", "boulogne sur mer");
        check_name("Chalon s/ Saône", "chalon sur saone");
    }
}
