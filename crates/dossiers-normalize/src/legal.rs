//! The legal model: the applicant's current form, the form it announces, and whether several
//! structures carry the application together.
//!
//! A form is read from the words people use (« association loi 1901 », « S.C.I.C », « SCOP
//! SARL », « communauté de communes ») through the lexicon. A sentence that announces a change
//! (« nous deviendrons une SCIC en 2023 ») gives the planned form, not the current one, and a
//! cooperative's type wins over its company form (« SCIC SAS à capital variable » is a SCIC).

use dossiers_model::LegalForm;

use crate::lexicon::{Hit, lexicon};
use crate::polarity::{Polarity, is_negated, polarity};
use crate::text::{Folded, sentences};

/// How far (in folded bytes) apart two forms are read as one (« SCIC (SAS) », « SAS
/// coopérative (SCIC) »).
const GROUP_REACH: usize = 16;

/// How far (in folded bytes) after a planning cue a form is taken as announced.
const ANNOUNCE_REACH: usize = 30;

/// What a text says of the legal form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LegalReading {
    pub form: LegalForm,
    pub planned_form: Option<LegalForm>,
}

/// Reads a short form field (« Statut juridique : Commune »), where words such as « commune »
/// or « région » name the applicant's own form.
pub fn read_legal_form_field(value: &str) -> LegalReading {
    let reading = read_legal_form(value);
    if reading.form != LegalForm::Unknown {
        return reading;
    }
    let folded = Folded::new(value);
    let hits = lexicon().legal_forms_field_only.find(&folded);
    match hits.iter().find(|hit| !is_negated(&folded.text, hit.start)) {
        Some(hit) => LegalReading {
            form: hit.key,
            ..reading
        },
        None => reading,
    }
}

/// Reads the legal form from prose or a field: the first form the text states as current, and
/// the first different form it announces.
pub fn read_legal_form(text: &str) -> LegalReading {
    let folded = Folded::new(text);
    let lexicon = lexicon();
    let hits: Vec<Hit<LegalForm>> = lexicon
        .legal_forms
        .find(&folded)
        .into_iter()
        .filter(|hit| !is_negated(&folded.text, hit.start))
        .collect();
    let mut current: Vec<(usize, Hit<LegalForm>)> = Vec::new();
    let mut planned: Vec<Hit<LegalForm>> = Vec::new();
    for (index, (start, end)) in sentences(&folded.text).into_iter().enumerate() {
        let in_sentence: Vec<&Hit<LegalForm>> = hits
            .iter()
            .filter(|hit| hit.start >= start && hit.end <= end)
            .collect();
        if in_sentence.is_empty() {
            continue;
        }
        let sentence = folded.text.get(start..end).unwrap_or("");
        let cased = folded.cased.get(start..end).unwrap_or("");
        let cues_before: Vec<usize> = lexicon
            .planned
            .find_in(sentence, cased)
            .iter()
            .map(|cue| cue.end + start)
            .collect();
        let cues_after: Vec<usize> = lexicon
            .planned_after
            .find_in(sentence, cased)
            .iter()
            .map(|cue| cue.start + start)
            .collect();
        // A cue announces the forms that follow it closely (« deviendra une SCIC SAS »), not
        // every form later in the sentence (« la future SCIC reprendra l'activité de
        // l'association »).
        let announced = |hit: &Hit<LegalForm>| {
            cues_before
                .iter()
                .any(|&cue_end| cue_end <= hit.start && hit.start - cue_end <= ANNOUNCE_REACH)
        };
        let any_announced = in_sentence.iter().any(|hit| announced(hit));
        for hit in in_sentence {
            let later = !any_announced && cues_after.iter().any(|&cue| cue >= hit.end);
            if announced(hit) || later {
                planned.push(*hit);
            } else {
                current.push((index, *hit));
            }
        }
    }
    // The first form stated, with the forms written right next to it (« SCIC – SAS à capital
    // variable », « SCOP SARL »): of those, the one that says most wins.
    let form = match current.first() {
        Some((first_sentence, first)) => {
            let mut group_end = first.end;
            let mut best = first.key;
            for (sentence, hit) in current.iter().skip(1) {
                if sentence != first_sentence || hit.start > group_end + GROUP_REACH {
                    break;
                }
                group_end = hit.end;
                if precedence(hit.key) > precedence(best) {
                    best = hit.key;
                }
            }
            best
        }
        None => LegalForm::Unknown,
    };
    let planned_keys: Vec<LegalForm> = planned.iter().map(|hit| hit.key).collect();
    let planned_form = planned_keys.iter().copied().find(|candidate| {
        *candidate != form && !is_company_form_of_cooperative(*candidate, &planned_keys)
    });
    LegalReading { form, planned_form }
}

/// « une SCIC SAS » announced: the SAS is the company form of the SCIC, not a second choice.
fn is_company_form_of_cooperative(form: LegalForm, all: &[LegalForm]) -> bool {
    !form.is_cooperative() && all.iter().any(|f| f.is_cooperative())
}

/// Which of two forms named together describes the structure best.
fn precedence(form: LegalForm) -> u8 {
    match form {
        LegalForm::Scic | LegalForm::Scop => 5,
        LegalForm::Sem | LegalForm::Epic | LegalForm::Gip | LegalForm::Gie => 4,
        LegalForm::Sasu | LegalForm::Eurl => 3,
        LegalForm::Sa | LegalForm::Sas | LegalForm::Sarl | LegalForm::Snc => 2,
        LegalForm::Unknown => 0,
        _ => 1,
    }
}

/// True when the text says several structures carry the application together (a consortium,
/// a chef de file, a joint application); ordinary partners do not count.
pub fn read_consortium(text: &str) -> bool {
    let folded = Folded::new(text);
    lexicon()
        .consortium
        .find(&folded)
        .iter()
        .any(|hit| polarity(&folded.text, hit.start, hit.end) == Polarity::Asserted)
}

/// The form a structure's name carries (« Association Les Ateliers », « Commune du Creusot »,
/// « Ville de Thiers »): words such as « commune » count only at the start of the name.
pub fn read_form_of_name(name: &str) -> LegalForm {
    let reading = read_legal_form(name);
    if reading.form != LegalForm::Unknown {
        return reading.form;
    }
    let folded = Folded::new(name);
    lexicon()
        .legal_forms_field_only
        .find(&folded)
        .first()
        .filter(|hit| hit.start == 0)
        .map_or(LegalForm::Unknown, |hit| hit.key)
}

/// The chef de file a text names: « le rôle de chef de file est assuré par X », « chef de
/// file : X », « X, chef de file, … », « X (chef de file) ».
pub fn read_lead_partner(text: &str) -> Option<String> {
    let folded = Folded::new(text);
    for hit in lexicon().lead.find(&folded) {
        let after = folded.text.get(hit.end..).unwrap_or("");
        let lead_in = [
            "est assure par ",
            "est assuree par ",
            "assure par ",
            "assuree par ",
            ": ",
            "est ",
            "sera ",
        ];
        for word in lead_in {
            let trimmed = after.trim_start_matches([' ', ',']);
            let skipped = after.len() - trimmed.len();
            if let Some(rest) = trimmed.strip_prefix(word) {
                let start = hit.end + skipped + word.len();
                let end = start + rest.find([',', '.', ';', '(', '\n']).unwrap_or(rest.len());
                let name = folded.original_span(start, end).trim();
                if plausible_name(name) {
                    return Some(name.to_string());
                }
            }
        }
        let before = folded.text.get(..hit.start).unwrap_or("");
        let trimmed = before.trim_end_matches([' ', ',', '(', '-']);
        let trimmed = trimmed
            .strip_suffix(" est")
            .or_else(|| trimmed.strip_suffix(" agit comme"))
            .unwrap_or(trimmed);
        let start = trimmed
            .rfind(['.', ';', ':', '\n', '('])
            .map_or(0, |i| i + 1);
        let name = name_in_sentence(folded.original_span(start, trimmed.len()));
        if plausible_name(name) {
            return Some(name.to_string());
        }
    }
    None
}

/// « l'association Électrons libres » → « Électrons libres »: a name in a sentence starts at
/// its first capitalised word, after its article and a common noun.
fn name_in_sentence(span: &str) -> &str {
    let mut rest = span.trim();
    for article in ["l'", "l’", "la ", "le ", "les "] {
        if let Some(stripped) = rest.strip_prefix(article) {
            rest = stripped.trim_start();
            break;
        }
    }
    if rest.starts_with(char::is_lowercase)
        && let Some(at) = rest.find(|c: char| c.is_uppercase())
    {
        let before = rest.get(..at).unwrap_or("");
        // Only a word or two of common nouns (« association », « la SCOP »), not a clause.
        if before.split_whitespace().count() <= 2 {
            return rest.get(at..).unwrap_or(rest);
        }
    }
    rest
}

fn plausible_name(name: &str) -> bool {
    let chars = name.chars().count();
    (3..=120).contains(&chars) && name.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use LegalForm::*;

    fn check(input: &str, form: LegalForm, planned: Option<LegalForm>) {
        let got = read_legal_form(input);
        assert_eq!((got.form, got.planned_form), (form, planned), "{input:?}");
    }

    #[test]
    fn reads_forms_from_the_words_people_use() {
        check("Association loi 1901", Association, None);
        check(
            "association loi de 1901 déclarée en préfecture",
            Association,
            None,
        );
        check("Asso loi 1901", Association, None);
        check("S.C.I.C", Scic, None);
        check("S.C.I.C. SAS", Scic, None);
        check(
            "Société coopérative d'intérêt collectif (SCIC) sous forme de SAS",
            Scic,
            None,
        );
        check("SCIC SAS à capital variable", Scic, None);
        check("SCIC – SA à capital variable", Scic, None);
        check("SCOP SARL", Scop, None);
        check("SARL SCOP", Scop, None);
        check("Société coopérative et participative", Scop, None);
        check("SARL", Sarl, None);
        check("S.A.R.L. au capital de 10 000 €", Sarl, None);
        check("SAS", Sas, None);
        check("Société par actions simplifiée", Sas, None);
        check("SASU", Sasu, None);
        check("EURL", Eurl, None);
        check("Société anonyme", Sa, None);
        check("SEM", Sem, None);
        check("Société d'économie mixte locale", Sem, None);
        check("EPIC", Epic, None);
        check(
            "Établissement public à caractère industriel et commercial",
            Epic,
            None,
        );
        check("GIP", Gip, None);
        check("Groupement d'intérêt économique", Gie, None);
        check(
            "Communauté de communes du Haut-Bocage",
            LocalAuthority,
            None,
        );
        check("EPCI", LocalAuthority, None);
        check("Syndicat mixte du Pays de Retz", LocalAuthority, None);
        check(
            "Chambre de métiers et de l'artisanat de la Creuse",
            PublicEstablishment,
            None,
        );
        check("Lycée professionnel (EPLE)", PublicEstablishment, None);
        check("CCI de la Vienne", PublicEstablishment, None);
        check(
            "Établissement public local d'enseignement",
            PublicEstablishment,
            None,
        );
        check("Entrepreneur individuel", Individual, None);
        check("micro-entreprise", Individual, None);
        check("Fondation reconnue d'utilité publique", Other, None);
        check("Nous verrons", Unknown, None);
        check("Association déclarée (loi 1901)", Association, None);
        check("Coopérative (SCIC SA)", Scic, None);
        check("Société coopérative de production (SCOP SA)", Scop, None);
        check("EPCI à fiscalité propre", LocalAuthority, None);
        check("Régie municipale", LocalAuthority, None);
        check(
            "Établissement public de coopération culturelle (EPCC)",
            PublicEstablishment,
            None,
        );
        check("SA coopérative d'intérêt collectif", Scic, None);
        check("Société à responsabilité limitée", Sarl, None);
        check("Communauté d'agglomération", LocalAuthority, None);
        check("", Unknown, None);
    }

    #[test]
    fn forms_in_sentences() {
        check(
            "Notre structure est une association régie par la loi du 1er juillet 1901.",
            Association,
            None,
        );
        check(
            "Nous sommes une coopérative d'activité et d'emploi (CAE) sous statut SCOP.",
            Scop,
            None,
        );
        check("Statut : SA coopérative de production", Scop, None);
        check("Groupement d'intérêt public créé en 2019.", Gip, None);
        check(
            "Trois structures réunies en groupement : l'association A (mandataire), la SCOP B et la SAS C.",
            Association,
            None,
        );
        check(
            "Nous sommes une entreprise individuelle, en cours de transformation en SAS.",
            Individual,
            Some(Sas),
        );
        assert_eq!(read_form_of_name("Commune du Creusot"), LocalAuthority);
        assert_eq!(read_form_of_name("Ville de Thiers"), LocalAuthority);
        assert_eq!(
            read_form_of_name("Les Ateliers de la Métropole lilloise"),
            Unknown
        );
        assert_eq!(read_form_of_name("La Fabrique des communes"), Unknown);
        assert_eq!(read_form_of_name("SASU Coop'Atelier"), Sasu);
    }

    #[test]
    fn tells_current_from_planned() {
        check(
            "Association loi 1901. Nous deviendrons une SCIC en 2023.",
            Association,
            Some(Scic),
        );
        check(
            "L'association deviendra une SCIC en 2023",
            Association,
            Some(Scic),
        );
        check(
            "Nous sommes une association ; une SCIC sera créée en 2023.",
            Association,
            Some(Scic),
        );
        check(
            "Association, avec un projet de transformation en SCIC à l'horizon 2024",
            Association,
            Some(Scic),
        );
        check(
            "SAS aujourd'hui, passage en SCOP envisagé d'ici 2025",
            Sas,
            Some(Scop),
        );
        check(
            "Une SCIC est en cours de constitution.",
            Unknown,
            Some(Scic),
        );
        check(
            "La future SCIC reprendra l'activité de l'association.",
            Association,
            Some(Scic),
        );
        check(
            "L'association, créée en 2015, a pour objectif de développer l'artisanat.",
            Association,
            None,
        );
        check(
            "Le projet de manufacture est porté par l'association.",
            Association,
            None,
        );
        check("nous deviendrons une SCIC SAS en 2023", Unknown, Some(Scic));
        check("Forme juridique : SAS coopérative (SCIC)", Scic, None);
        check(
            "Statut : association de préfiguration de la SCIC",
            Association,
            Some(Scic),
        );
    }

    #[test]
    fn negated_forms_do_not_count() {
        check(
            "Nous ne sommes pas une association mais une SCOP.",
            Scop,
            None,
        );
        check(
            "La structure n'est pas une SARL : c'est une SAS.",
            Sas,
            None,
        );
    }

    fn check_field(input: &str, form: LegalForm) {
        assert_eq!(read_legal_form_field(input).form, form, "{input:?}");
    }

    #[test]
    fn field_words() {
        check_field("Commune", LocalAuthority);
        check_field("Mairie de Vierzon", LocalAuthority);
        check_field("Association", Association);
        check_field("Région", LocalAuthority);
        check_field("Autre", Unknown);
    }

    fn check_lead(input: &str, expected: Option<&str>) {
        assert_eq!(read_lead_partner(input).as_deref(), expected, "{input:?}");
    }

    #[test]
    fn lead_partner() {
        check_lead(
            "Le rôle de chef de file est assuré par Les Ateliers du Pays d'Olmes, interlocuteur unique.",
            Some("Les Ateliers du Pays d'Olmes"),
        );
        check_lead(
            "Chef de file : SCOP Les Mains Habiles",
            Some("SCOP Les Mains Habiles"),
        );
        check_lead(
            "La candidature est collective : SCOP Les Mains Habiles, chef de file, la porte avec X.",
            Some("SCOP Les Mains Habiles"),
        );
        check_lead(
            "L'Atelier Commun (chef de file) et la SCOP Y",
            Some("L'Atelier Commun"),
        );
        check_lead(
            "un groupement de trois structures : l'association Électrons libres (cheffe de file), la SCOP Z",
            Some("Électrons libres"),
        );
        check_lead("aucun chef de file", None);
    }

    fn check_consortium(input: &str, expected: bool) {
        assert_eq!(read_consortium(input), expected, "{input:?}");
    }

    #[test]
    fn consortium() {
        check_consortium(
            "La candidature est portée par un groupement de trois structures.",
            true,
        );
        check_consortium("l'association X (cheffe de file) et la SCOP Y", true);
        check_consortium(
            "Le projet est porté par un consortium de trois structures.",
            true,
        );
        check_consortium("L'association X, chef de file, et la SCOP Y", true);
        check_consortium("candidature commune de l'association et de la SCIC", true);
        check_consortium("Le projet n'est pas porté en consortium.", false);
        check_consortium("Candidature groupée : non", false);
        check_consortium(
            "Le projet pourrait à terme être porté par un consortium.",
            false,
        );
        check_consortium("Nos partenaires : la CMA, le lycée Jean Moulin.", false);
        check_consortium("porté conjointement par deux associations", true);
        check_consortium(
            "Le projet est porté par trois structures réunies en groupement.",
            true,
        );
        check_consortium(
            "Notre association travaille avec de nombreux partenaires.",
            false,
        );
    }
}
