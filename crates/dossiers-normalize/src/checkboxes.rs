//! Form checkboxes read as the answer they give.
//!
//! Application forms offer their choices as boxes: « ☐ Association ☒ SCIC ☐ SAS »,
//! « [X] Propriétaire [ ] Locataire », « Label Petites villes de demain : Oui ☐ Non ☒ ». Every
//! option is written, so a reader that matches words would read all of them. A line holding boxes
//! is rewritten as what it says: the ticked options only (« SCIC »); a yes/no question answered
//! yes keeps its question (« … : oui »), answered no or left blank loses it, since it asserts
//! nothing. Boxes may precede their option (« ☒ SCIC ») or follow it (« Oui ☒ »): when the line
//! ends with a box, the options are before their boxes.

/// One box: where it sits and whether it is ticked.
struct Mark {
    start: usize,
    end: usize,
    ticked: bool,
}

const UNTICKED_CHARS: [char; 4] = ['☐', '□', '▢', '❑'];
const TICKED_CHARS: [char; 7] = ['☒', '☑', '⊠', '✓', '✔', '✗', '✘'];
const UNTICKED_TEXT: [&str; 2] = ["[ ]", "[]"];
const TICKED_TEXT: [&str; 2] = ["[x]", "[X]"];

fn marks(text: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    for (at, ch) in text.char_indices() {
        let ticked = if UNTICKED_CHARS.contains(&ch) {
            false
        } else if TICKED_CHARS.contains(&ch) {
            true
        } else if ch == '[' {
            let rest = text.get(at..).unwrap_or("");
            if let Some(m) = UNTICKED_TEXT.iter().find(|m| rest.starts_with(**m)) {
                out.push(Mark {
                    start: at,
                    end: at + m.len(),
                    ticked: false,
                });
            } else if let Some(m) = TICKED_TEXT.iter().find(|m| rest.starts_with(**m)) {
                out.push(Mark {
                    start: at,
                    end: at + m.len(),
                    ticked: true,
                });
            }
            continue;
        } else {
            continue;
        };
        out.push(Mark {
            start: at,
            end: at + ch.len_utf8(),
            ticked,
        });
    }
    out
}

/// A piece of the rewritten line: plain text, or one option with its box.
enum Item<'a> {
    Text(&'a str),
    Option(&'a str, bool),
}

/// Where an option written after its box stops: at punctuation or a wide gap.
fn option_end(region: &str) -> usize {
    let lead = region.len() - region.trim_start().len();
    let rest = region.get(lead..).unwrap_or("");
    let gap = rest.find("  ").unwrap_or(rest.len());
    let stop = rest
        .find(['.', ';', ',', ':', '?', '\n', '\t', '/'])
        .unwrap_or(rest.len());
    lead + gap.min(stop)
}

/// Where an option written before its box starts.
fn option_start(region: &str) -> usize {
    let gap = region.trim_end().rfind("  ").map_or(0, |i| i + 2);
    let stop = region
        .rfind(['.', ';', ',', ':', '?', '\n', '\t', '/'])
        .map_or(0, |i| i + 1);
    gap.max(stop)
}

fn items<'a>(text: &'a str, marks: &[Mark]) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (marks.first(), marks.last()) else {
        return out;
    };
    let tail = text.get(last.end..).unwrap_or("");
    let boxes_follow = tail
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .is_empty()
        && !text.get(..first.start).unwrap_or("").trim().is_empty();
    if boxes_follow {
        let mut from = 0;
        for mark in marks {
            let region = text.get(from..mark.start).unwrap_or("");
            let split = option_start(region);
            out.push(Item::Text(region.get(..split).unwrap_or("")));
            out.push(Item::Option(
                region.get(split..).unwrap_or("").trim(),
                mark.ticked,
            ));
            from = mark.end;
        }
        out.push(Item::Text(tail));
    } else {
        out.push(Item::Text(text.get(..first.start).unwrap_or("")));
        for (i, mark) in marks.iter().enumerate() {
            let next = marks.get(i + 1).map_or(text.len(), |m| m.start);
            let region = text.get(mark.end..next).unwrap_or("");
            let split = option_end(region);
            out.push(Item::Option(
                region.get(..split).unwrap_or("").trim(),
                mark.ticked,
            ));
            out.push(Item::Text(region.get(split..).unwrap_or("")));
        }
    }
    out
}

fn is_yes_no(option: &str) -> bool {
    matches!(option.to_lowercase().as_str(), "oui" | "non")
}

/// The line with its boxes replaced by the answer they give; `None` when it holds no box.
pub fn resolve(text: &str) -> Option<String> {
    // Every box character is in U+2200..U+27FF, whose UTF-8 starts with 0xE2: one byte scan
    // rules out the lines of plain prose (this runs on every line of an application).
    let bytes = text.as_bytes();
    let maybe_box_char = bytes.contains(&0xE2);
    if !maybe_box_char && !bytes.contains(&b'[') {
        return None;
    }
    let has_box = maybe_box_char && (text.contains(UNTICKED_CHARS) || text.contains(TICKED_CHARS))
        || text.contains('[') && text.contains(']');
    if !has_box {
        return None;
    }
    let marks = marks(text);
    if marks.is_empty() {
        return None;
    }
    let items = items(text, &marks);
    let mut out = String::with_capacity(text.len());
    let mut group: Vec<(&str, bool)> = Vec::new();
    let flush = |out: &mut String, group: &mut Vec<(&str, bool)>| {
        if group.is_empty() {
            return;
        }
        let ticked: Vec<&str> = group.iter().filter(|(_, t)| *t).map(|(o, _)| *o).collect();
        if group.len() >= 2 && group.iter().all(|(o, _)| is_yes_no(o)) {
            if ticked.len() == 1 && ticked.iter().all(|o| o.eq_ignore_ascii_case("oui")) {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str("oui");
            } else {
                // No (or no answer): the question asserts nothing, back to its clause's start.
                let keep = out.rfind(['.', ';', '!', '\n']).map_or(0, |i| i + 1);
                out.truncate(keep);
            }
        } else if !ticked.is_empty() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(&ticked.join(", "));
        }
        group.clear();
    };
    for item in items {
        match item {
            Item::Option(option, ticked) => group.push((option, ticked)),
            Item::Text(t) if t.trim().is_empty() => {}
            Item::Text(t) => {
                flush(&mut out, &mut group);
                // A question removed up to its sentence's end leaves that end once.
                let t = if out.ends_with(['.', ';']) {
                    t.trim_start_matches(['.', ';'])
                } else {
                    t
                };
                if !out.is_empty() && !out.ends_with(' ') && !t.starts_with([' ', '.', ',', ';']) {
                    out.push(' ');
                }
                out.push_str(t);
            }
        }
    }
    flush(&mut out, &mut group);
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(squeezed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(resolve(input).as_deref(), Some(expected), "{input:?}");
    }

    #[test]
    fn ticked_options_are_kept() {
        check(
            "Forme juridique : ☐ Association  ☒ SCIC  ☐ SAS  ☐ Autre",
            "Forme juridique : SCIC",
        );
        check(
            "[X] Propriétaire   [ ] Locataire   [ ] Mise à disposition",
            "Propriétaire",
        );
        check("[ ] Association [ ] SCIC [x] SAS [ ] SARL", "SAS");
        check("Statut : Association ☐ SCOP ☑", "Statut : SCOP");
        check("☐ Location ☐ Achat", "");
    }

    #[test]
    fn yes_no_questions() {
        check(
            "Action cœur de ville : Oui ☒ Non ☐",
            "Action cœur de ville : oui",
        );
        check("Quartier prioritaire (QPV) : Oui ☐ Non ☒", "");
        check(
            "Le site est rural. Est-il en QPV ? Oui ☐ Non ☐",
            "Le site est rural.",
        );
        check(
            "Territoires d'industrie : [X] oui [ ] non. Petites villes de demain : [ ] oui [X] non.",
            "Territoires d'industrie : oui.",
        );
    }

    #[test]
    fn lines_without_boxes() {
        assert_eq!(resolve("Le local [rue Haute] fait 300 m²"), None);
        assert_eq!(resolve("Un atelier de 300 m²"), None);
    }
}
