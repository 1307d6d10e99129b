//! Small hand-written RTF inputs, one feature each: `check(input, expected)` compares the plain
//! text (body then labelled stories) with what a reader of the document should see.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use dossiers_document::{Block, Document, Limits, StoryKind, WarningCode, render_text};
use dossiers_rtf::read_rtf;

const HEAD: &str = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fcharset204 Arial Cyr;}{\f2\fcharset2 Symbol;}{\f3\fnil Wingdings;}}";

fn read(body: &str) -> Document {
    let input = format!("{HEAD}{body}}}");
    read_rtf(input.as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

fn check(body: &str, expected: &str) {
    let document = read(body);
    assert_eq!(
        render_text(&document, Default::default()),
        expected,
        "{body}"
    );
}

#[test]
fn text_escapes_and_special_characters() {
    check(r"Caf\'e9 cr\'e8me\par", "Café crème\n");
    check(r"a\{b\}c\\d\par", "a{b}c\\d\n");
    check(r"1\~200\~m\'b2\par", "1\u{a0}200\u{a0}m²\n");
    check(
        r"co\-op\_\emdash\endash\lquote x\rquote  \ldblquote y\rdblquote\par",
        "coop-—–‘x’ “y”\n",
    );
    check("ligne\\line suite\\tab fin\\par", "ligne\nsuite\tfin\n");
    // Line ends in the file are not text; a backslash before one is a paragraph mark.
    check("un\r\ndeux\\\r\ntrois\\par", "undeux\ntrois\n");
    check(r"\f1 \'cf\'f0\'e8\'e2\'e5\'f2\par", "Привет\n");
    check(r"{\f2 a\'b7}{\f3 \'fd\'a8}\par", "α•☒☐\n");
}

#[test]
fn unicode_and_its_fallback() {
    check(r"\u233\'e9t\u233?\par", "été\n");
    check(r"\uc2\u8364 EU fin\par", "€ fin\n");
    check(r"\uc0\u8364\u8364 x\par", "€€x\n");
    // A fallback never crosses a group boundary.
    check(r"{\uc3\u8364}abc\par", "€abc\n");
    // Negative values and surrogate pairs.
    // U+F0B7: Word's private-use form of the Symbol font's bullet.
    check(r"\u-3913?\par", "•\n");
    check(r"\u-10179?\u-8704?\par", "😀\n");
}

#[test]
fn destinations_that_are_not_text() {
    check(r"{\*\unknownthing secret}visible\par", "visible\n");
    check(r"a{\pict\pngblip 89504e47}b\par", "ab\n");
    check(r"a{\pict\bin3 }}}}b\par", "ab\n");
    check(
        r"{\colortbl;\red0\green0\blue0;}{\*\generator Word;}x\par",
        "x\n",
    );
    check(r"{\*\bkmkstart here}x{\*\bkmkend here}\par", "x\n");
    check(r"{\object\objemb{\*\objdata 0102}{\result vu}}\par", "vu\n");
    check(r"{\xe {\v index}}x\par", "x\n");
    check(r"{\upr{ansi}{\*\ud{unicode}}}\par", "unicode\n");
}

#[test]
fn fields_keep_their_result() {
    check(
        r#"{\field{\*\fldinst HYPERLINK "https://example.org"}{\fldrslt lien}}\par"#,
        "lien\n",
    );
    check(
        r"{\field{\*\fldinst {PAGE}}{\fldrslt 3}} / {\field{\*\fldinst NUMPAGES}{\fldrslt 9}}\par",
        "3 / 9\n",
    );
    check(
        r"{\field{\*\fldinst FORMCHECKBOX {\*\formfield{\fftype1\ffres25\ffdefres1}}}{\fldrslt }} Oui {\field{\*\fldinst FORMCHECKBOX {\*\formfield{\fftype1\ffres0}}}{\fldrslt }} Non\par",
        "☒ Oui ☐ Non\n",
    );
    check(
        r"{\field{\*\fldinst FORMDROPDOWN {\*\formfield{\fftype2\ffres1{\*\ffl bail}{\*\ffl BEA}}}}{\fldrslt }}\par",
        "BEA\n",
    );
}

#[test]
fn tracked_deletions_are_left_out() {
    check(r"garde {\deleted supprim\'e9 }ceci\par", "garde ceci\n");
}

#[test]
fn tables_rows_cells_and_the_paragraph_after() {
    check(
        r"\trowd\cellx2000\cellx4000\pard\intbl Surface\cell 1 200 m\'b2\cell\row\trowd\cellx2000\cellx4000\pard\intbl Bail\cell 9 ans\par suite\cell\row\pard Apr\'e8s\par",
        "Surface\t1 200 m²\nBail\t9 ans suite\nAprès\n",
    );
    let document = read(
        r"\pard\intbl A\cell B\cell\row\pard\intbl\itap2 x\nestcell y\nestcell{\*\nesttableprops\trowd\cellx1\nestrow}{\nonesttables\par}\pard\intbl\cell\row\pard fin\par",
    );
    let body = document.stories_of(StoryKind::Body).next().unwrap();
    let Some(Block::Table(table)) = body.blocks.first() else {
        panic!("{body:?}")
    };
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[1].cells[0].text, "x\ty");
}

#[test]
fn headings_from_styles_and_outline_levels() {
    let document = read(
        r"{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}{\s2\sbasedon0 Titre 2;}{\*\cs10 Default Paragraph Font;}{\s3 Citation;}}\pard\s1 Projet\par\pard\s2 Foncier\par\pard\outlinelevel2 Sous-partie\par\pard\s3 Cit\'e9\par\pard\s0 Corps\par",
    );
    let body = document.stories_of(StoryKind::Body).next().unwrap();
    assert_eq!(
        body.blocks,
        [
            Block::Heading {
                level: Some(1),
                text: "Projet".into()
            },
            Block::Heading {
                level: Some(2),
                text: "Foncier".into()
            },
            Block::Heading {
                level: Some(3),
                text: "Sous-partie".into()
            },
            Block::Paragraph {
                text: "Cité".into(),
                style: Some("Citation".into())
            },
            Block::paragraph("Corps"),
        ]
    );
}

#[test]
fn lists_take_their_label() {
    let document = read(
        r"{\listtext\f2 \'b7\tab}\pard\ls1\ilvl1 premier\par{\pntext 1.\tab}\pard\ls2 second\par",
    );
    let body = document.stories_of(StoryKind::Body).next().unwrap();
    assert_eq!(
        body.blocks,
        [
            Block::ListItem {
                level: 1,
                text: "premier".into(),
                label: Some("•".into())
            },
            Block::ListItem {
                level: 0,
                text: "second".into(),
                label: Some("1.".into())
            },
        ]
    );
}

#[test]
fn stories_and_metadata() {
    let document = read(
        r"{\info{\title Candidature}{\author Camille}{\operator Lou}{\*\company Atelier}{\creatim\yr2022\mo1\dy12\hr10\min31}{\revtim\yr0\mo0\dy0}{\nofpages3}}{\header\pard En-t\'eate\par}{\footerf\pard Pied\par}\pard Corps{\super\chftn}{\footnote\pard\plain{\super\chftn} Note.\par} fin\par{\*\atnid X}{\*\atnauthor Y}\chatn{\*\annotation\pard Commentaire\par}{\shp{\*\shpinst{\sp{\sn x}{\sv 1}}{\shptxt\pard Encadr\'e9\par}}}",
    );
    let text = render_text(&document, Default::default());
    assert_eq!(
        text,
        "Corps fin\n\n--- header ---\nEn-tête\n\n--- footer: first page ---\nPied\n\n--- footnote ---\n Note.\n\n--- comment ---\nCommentaire\n\n--- text_box ---\nEncadré\n"
    );
    let metadata = &document.metadata;
    assert_eq!(metadata.title.as_deref(), Some("Candidature"));
    assert_eq!(metadata.author.as_deref(), Some("Camille"));
    assert_eq!(metadata.last_modified_by.as_deref(), Some("Lou"));
    assert_eq!(metadata.company.as_deref(), Some("Atelier"));
    assert_eq!(metadata.created.as_deref(), Some("2022-01-12T10:31:00"));
    assert_eq!(metadata.modified, None);
    assert_eq!(metadata.pages, Some(3));
}

#[test]
fn malformed_inputs_give_typed_errors_or_recovered_text() {
    let limits = Limits::default();
    let kind = |input: &[u8]| read_rtf(input, &limits).map_err(|e| e.kind().to_owned());
    assert_eq!(kind(b"").unwrap_err(), "corrupt");
    assert_eq!(kind(b"foobar").unwrap_err(), "corrupt");
    // Junk before the header is skipped with a warning.
    let junk = read_rtf(b"/{\\rtf1 Hello\\par}", &limits).unwrap();
    assert!(
        junk.warnings
            .iter()
            .any(|w| w.code == WarningCode::Recovered)
    );
    // A file cut short keeps its text and says so.
    let cut = read_rtf(b"{\\rtf1 {\\b Hello", &limits).unwrap();
    assert_eq!(render_text(&cut, Default::default()), "Hello\n");
    assert!(
        cut.warnings
            .iter()
            .any(|w| w.code == WarningCode::Recovered)
    );
    // Too deep: `too_large` with the text before.
    let deep = format!("{{\\rtf1 avant\\par {}x", "{".repeat(10_000));
    let error = read_rtf(deep.as_bytes(), &limits).unwrap_err();
    assert_eq!(error.kind(), "too_large");
    assert!(error.partial().is_some_and(Document::has_text));
    // Characters over the limit: `too_large` too.
    let small = Limits {
        max_chars: 10,
        ..Limits::default()
    };
    let error = read_rtf(b"{\\rtf1 0123456789abcdef\\par}", &small).unwrap_err();
    assert_eq!(error.kind(), "too_large");
    // Text after the root group is ignored.
    let after = read_rtf(b"{\\rtf1 a\\par}b\\par", &limits).unwrap();
    assert_eq!(render_text(&after, Default::default()), "a\n");
}
