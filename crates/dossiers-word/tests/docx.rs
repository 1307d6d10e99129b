//! The docx reader on tiny packages built in memory, one feature per test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{W, body, docx, paragraph, texts, zip};
use dossiers_document::{
    Block, Cell, ExtractError, Limits, Row, StoryKind, Table, TextOptions, WarningCode, render_text,
};
use dossiers_word::read_docx;

/// Reads a docx whose body is `body_xml` and checks its body blocks.
fn check(body_xml: &str, expected: &[Block]) {
    let document = read_docx(&docx(body_xml, &[]), &Limits::default()).unwrap();
    assert_eq!(body(&document).blocks, expected, "body of {body_xml}");
}

fn p(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn r(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

#[test]
fn plain_paragraphs() {
    check(
        &format!(
            "{}{}",
            p(&r("Bonjour")),
            p(&format!("{}{}", r("le "), r("monde")))
        ),
        &[paragraph("Bonjour"), paragraph("le monde")],
    );
}

#[test]
fn empty_paragraphs_are_dropped() {
    check(
        &format!("<w:p/>{}<w:p></w:p>", p(&r("x"))),
        &[paragraph("x")],
    );
}

#[test]
fn tabs_breaks_and_hyphens() {
    check(
        &p(
            "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t>\
            <w:noBreakHyphen/><w:t>e</w:t><w:softHyphen/><w:t>f</w:t></w:r>",
        ),
        &[paragraph("a\tb\nc\nd-ef")],
    );
}

#[test]
fn tab_stops_in_paragraph_properties_are_not_text() {
    check(
        &p(&format!(
            "<w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>{}",
            r("x")
        )),
        &[paragraph("x")],
    );
}

#[test]
fn symbols_keep_normal_characters_only() {
    check(
        &p(
            "<w:r><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/><w:sym w:font=\"Arial\" w:char=\"20AC\"/><w:t>5</w:t></w:r>",
        ),
        &[paragraph("€5")],
    );
}

#[test]
fn entities_resolve_and_dtd_entities_do_not() {
    let xml = format!(
        "<!DOCTYPE w:document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}",
        common::document_xml(&p(&r("a &amp; b &#233; &xxe;c")))
    );
    let bytes = zip(&[("word/document.xml", &xml)]);
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(body(&document)), ["a & b é c"]);
}

#[test]
fn insertions_are_kept_and_deletions_dropped() {
    check(
        &p(&format!(
            "{}<w:ins w:id=\"1\">{}</w:ins><w:del w:id=\"2\"><w:r><w:delText>old </w:delText></w:r></w:del>\
             <w:moveFrom>{}</w:moveFrom><w:moveTo>{}</w:moveTo>",
            r("Le "),
            r("nouveau "),
            r("ailleurs "),
            r("texte")
        )),
        &[paragraph("Le nouveau texte")],
    );
}

#[test]
fn complex_field_keeps_its_result_and_drops_its_instruction() {
    check(
        &p(&format!(
            "{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            r("Page "),
            r("3")
        )),
        &[paragraph("Page 3")],
    );
}

#[test]
fn nested_fields_keep_the_outer_result_only() {
    // An IF field whose instruction holds a nested MERGEFIELD with its own result.
    let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>";
    let separate = "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
    let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
    check(
        &p(&format!(
            "{begin}<w:r><w:instrText>IF </w:instrText></w:r>{begin}<w:r><w:instrText>MERGEFIELD x</w:instrText></w:r>\
             {separate}{}{end}<w:r><w:instrText> = 1 \"oui\"</w:instrText></w:r>{separate}{}{end}",
            r("inner"),
            r("oui")
        )),
        &[paragraph("oui")],
    );
}

#[test]
fn a_field_left_open_does_not_hide_the_next_paragraphs() {
    check(
        &format!(
            "{}{}",
            p(&format!(
                "{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>",
                r("avant")
            )),
            p(&r("après"))
        ),
        &[paragraph("avant"), paragraph("après")],
    );
}

#[test]
fn legacy_form_checkboxes_show_their_state() {
    let checkbox = |data: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:name w:val=\"c\"/><w:enabled/><w:checkBox><w:sizeAuto/>{data}</w:checkBox></w:ffData></w:fldChar></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    check(
        &p(&[
            checkbox("<w:default w:val=\"1\"/>"),
            r(" SCIC "),
            checkbox("<w:default w:val=\"0\"/>"),
            r(" SCOP "),
            checkbox("<w:default w:val=\"0\"/><w:checked/>"),
            r(" SAS"),
        ]
        .concat()),
        &[paragraph("☒ SCIC ☐ SCOP ☒ SAS")],
    );
}

#[test]
fn simple_field_children_are_kept() {
    check(
        &p(&format!(
            "<w:fldSimple w:instr=\" AUTHOR \">{}</w:fldSimple>",
            r("Léa")
        )),
        &[paragraph("Léa")],
    );
}

#[test]
fn containers_are_descended() {
    check(
        &p(&format!(
            "<w:sdt><w:sdtPr><w:alias w:val=\"Nom\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>\
             <w:smartTag w:element=\"place\">{}</w:smartTag><w:customXml w:element=\"x\">{}</w:customXml>\
             <w:hyperlink r:id=\"rId9\">{}</w:hyperlink>",
            r("a"),
            r("b"),
            r("c"),
            r("d")
        )),
        &[paragraph("abcd")],
    );
}

#[test]
fn text_box_reads_the_choice_and_skips_the_fallback() {
    let text_box = |text: &str| format!("<w:txbxContent>{}</w:txbxContent>", p(&r(text)));
    check(
        &p(&format!(
            "{}<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>{}</wps:txbx></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><v:textbox>{}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>{}",
            r("avant "),
            text_box("dans la boîte"),
            text_box("dans la boîte"),
            r("après")
        )),
        // The text box is read inline, just before the paragraph that anchors it.
        &[paragraph("dans la boîte"), paragraph("avant après")],
    );
}

#[test]
fn equations_are_left_out() {
    check(
        &p(&format!(
            "{}<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>",
            r("Soit ")
        )),
        &[paragraph("Soit ")],
    );
}

#[test]
fn table_cells_join_their_paragraphs_and_flatten_nested_tables() {
    let cell =
        |content: &str| format!("<w:tc><w:tcPr><w:tcW w:w=\"100\"/></w:tcPr>{content}</w:tc>");
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell(&p(&r("i1"))),
        cell(&p(&r("i2")))
    );
    let table = format!(
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}<w:tc/></w:tr></w:tbl>",
        cell(&format!("{}{}", p(&r("Surface")), p(&r("(m²)")))),
        cell(&p(&r("1 200"))),
        cell(&format!("{}{inner}", p(&r("outer"))))
    );
    check(
        &format!("{table}{}", p(&r("après"))),
        &[
            Block::Table(Table {
                rows: vec![
                    Row {
                        cells: vec![Cell::text("Surface\n(m²)"), Cell::text("1 200")],
                    },
                    Row {
                        cells: vec![Cell::text("outer\ni1\ni2"), Cell::text("")],
                    },
                ],
                merged: vec![],
            }),
            paragraph("après"),
        ],
    );
}

#[test]
fn spanning_cells_keep_the_grid_aligned_and_record_merges() {
    let cell = |properties: &str, text: &str| {
        format!("<w:tc><w:tcPr>{properties}</w:tcPr>{}</w:tc>", p(&r(text)))
    };
    let row = |cells: &[String]| format!("<w:tr>{}</w:tr>", cells.concat());
    let table = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        row(&[
            cell("<w:gridSpan w:val=\"2\"/>", "Poste et type"),
            cell("", "Montant")
        ]),
        row(&[
            cell("<w:vMerge w:val=\"restart\"/>", "Tour"),
            cell("", "Traditionnel"),
            cell("", "16 100 €")
        ]),
        row(&[
            cell("<w:vMerge/>", ""),
            cell("", "Numérique"),
            cell("", "5 000 €")
        ]),
    );
    let text_row = |cells: &[&str]| Row {
        cells: cells.iter().map(|text| Cell::text(*text)).collect(),
    };
    check(
        &table,
        &[Block::Table(Table {
            rows: vec![
                text_row(&["Poste et type", "", "Montant"]),
                text_row(&["Tour", "Traditionnel", "16 100 €"]),
                text_row(&["", "Numérique", "5 000 €"]),
            ],
            merged: vec!["A1:B1".into(), "A2:A3".into()],
        })],
    );
}

const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Sous"><w:name w:val="Sous-partie"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="MonTitre2"><w:name w:val="Mon titre"/><w:basedOn w:val="Titre2"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="Titre 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Puces"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Citation"><w:name w:val="Quote"/><w:pPr><w:pPrChange><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:pPrChange></w:pPr></w:style>
<w:style w:type="character" w:styleId="Fort"><w:name w:val="Strong"/></w:style>
</w:styles>"#;

fn styled(style: &str, text: &str) -> String {
    p(&format!(
        "<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}",
        r(text)
    ))
}

fn check_styled(body_xml: &str, expected: &[Block]) {
    let bytes = docx(body_xml, &[("word/styles.xml", STYLES)]);
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(body(&document).blocks, expected);
}

#[test]
fn headings_come_from_style_names_outline_levels_and_inheritance() {
    check_styled(
        &[
            styled("Titre1", "Projet"),
            styled("Sous", "Détail"),
            styled("MonTitre2", "Hérité"),
            p(&format!(
                "<w:pPr><w:outlineLvl w:val=\"3\"/></w:pPr>{}",
                r("Direct")
            )),
            styled("Normal", "Texte"),
            styled("Citation", "Cité"),
        ]
        .concat(),
        &[
            Block::Heading {
                level: Some(1),
                text: "Projet".into(),
            },
            Block::Heading {
                level: Some(3),
                text: "Détail".into(),
            },
            Block::Heading {
                level: Some(2),
                text: "Hérité".into(),
            },
            Block::Heading {
                level: Some(4),
                text: "Direct".into(),
            },
            paragraph("Texte"),
            Block::Paragraph {
                text: "Cité".into(),
                style: Some("Quote".into()),
            },
        ],
    );
}

#[test]
fn heading_style_ids_work_without_styles_part() {
    check(
        &styled("Heading2", "Budget"),
        &[Block::Heading {
            level: Some(2),
            text: "Budget".into(),
        }],
    );
}

#[test]
fn list_levels_come_from_numbering_properties_or_the_style() {
    let item = |ilvl: u8, num: u8, text: &str| {
        p(&format!(
            "<w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr>{}",
            r(text)
        ))
    };
    check_styled(
        &[
            item(0, 1, "un"),
            item(2, 1, "deux"),
            item(0, 0, "pas une liste"),
            styled("Puces", "puce"),
        ]
        .concat(),
        &[
            Block::ListItem {
                level: 0,
                text: "un".into(),
                label: None,
            },
            Block::ListItem {
                level: 2,
                text: "deux".into(),
                label: None,
            },
            paragraph("pas une liste"),
            Block::ListItem {
                level: 0,
                text: "puce".into(),
                label: None,
            },
        ],
    );
}

#[test]
fn list_items_get_rendered_labels_from_the_numbering_part() {
    let numbering = format!(
        r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
    );
    let item = |ilvl: u8, text: &str| {
        p(&format!(
            "<w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr>{}",
            r(text)
        ))
    };
    let bytes = docx(
        &[
            item(0, "Bois"),
            item(1, "menuiserie"),
            item(1, "ébénisterie"),
            item(0, "Céramique"),
        ]
        .concat(),
        &[("word/numbering.xml", &numbering)],
    );
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        render_text(&document, TextOptions::default()),
        "1. Bois\n  a) menuiserie\n  b) ébénisterie\n2. Céramique\n"
    );
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="/word/footer1.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.org/" TargetMode="External"/>
</Relationships>"#;

fn part(root: &str, inner: &str) -> String {
    format!("<w:{root} xmlns:w=\"{W}\">{inner}</w:{root}>")
}

#[test]
fn headers_footers_notes_and_comments_are_their_own_stories() {
    let separator = "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/><w:t>---</w:t></w:r></w:p></w:footnote>\
        <w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:t>...</w:t></w:r></w:p></w:footnote>";
    let footnotes = part(
        "footnotes",
        &format!(
            "{separator}<w:footnote w:id=\"1\">{}</w:footnote>",
            p(&r("Une note."))
        ),
    );
    let endnotes = part(
        "endnotes",
        &format!("<w:endnote w:id=\"1\">{}</w:endnote>", p(&r("Fin."))),
    );
    let comments = part(
        "comments",
        &format!(
            "<w:comment w:id=\"0\" w:author=\"A\">{}</w:comment>",
            p(&r("À revoir"))
        ),
    );
    let header = part("hdr", &p(&r("En-tête")));
    let footer = part("ftr", &p(&r("Pied")));
    let body_xml = p(&format!(
        "{}<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
        r("Corps")
    ));
    let bytes = docx(
        &body_xml,
        &[
            ("word/_rels/document.xml.rels", RELS),
            ("word/header1.xml", &header),
            ("word/footer1.xml", &footer),
            ("word/footnotes.xml", &footnotes),
            ("word/endnotes.xml", &endnotes),
            ("word/comments.xml", &comments),
        ],
    );
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    let kinds: Vec<(StoryKind, Option<&str>, Vec<&str>)> = document
        .stories
        .iter()
        .map(|s| (s.kind, s.name.as_deref(), texts(s)))
        .collect();
    assert_eq!(
        kinds,
        [
            (StoryKind::Body, None, vec!["Corps"]),
            (StoryKind::Header, Some("header1"), vec!["En-tête"]),
            (StoryKind::Footer, Some("footer1"), vec!["Pied"]),
            (StoryKind::Footnote, None, vec!["Une note."]),
            (StoryKind::Endnote, None, vec!["Fin."]),
            (StoryKind::Comment, None, vec!["À revoir"]),
        ]
    );
}

#[test]
fn parts_are_found_by_name_without_rels() {
    let header = part("hdr", &p(&r("En-tête")));
    let bytes = docx(&p(&r("Corps")), &[("word/header2.xml", &header)]);
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        render_text(&document, TextOptions::default()),
        "Corps\n\n--- header: header2 ---\nEn-tête\n"
    );
}

#[test]
fn strict_ooxml_is_read_through_the_package_rels() {
    let strict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
    let document_xml = format!(
        "<w:document xmlns:w=\"{strict}\"><w:body><w:p><w:r><w:t>Strict text</w:t></w:r></w:p></w:body></w:document>"
    );
    let package_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="doc/main.xml"/>
</Relationships>"#;
    let bytes = zip(&[
        ("_rels/.rels", package_rels),
        ("doc/main.xml", &document_xml),
    ]);
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(body(&document)), ["Strict text"]);
}

#[test]
fn properties_fill_the_metadata() {
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Candidature</dc:title><dc:creator>Léa</dc:creator><dcterms:modified>2022-02-01T10:00:00Z</dcterms:modified></cp:coreProperties>"#;
    let app = "<Properties><Application>LibreOffice</Application><Pages>4</Pages><Words>3000</Words><Characters>18000</Characters></Properties>";
    let bytes = docx(
        &p(&r("x")),
        &[("docProps/core.xml", core), ("docProps/app.xml", app)],
    );
    let metadata = read_docx(&bytes, &Limits::default()).unwrap().metadata;
    assert_eq!(metadata.title.as_deref(), Some("Candidature"));
    assert_eq!(metadata.author.as_deref(), Some("Léa"));
    assert_eq!(metadata.modified.as_deref(), Some("2022-02-01T10:00:00Z"));
    assert_eq!(metadata.application.as_deref(), Some("LibreOffice"));
    assert_eq!(
        (metadata.pages, metadata.words, metadata.characters),
        (Some(4), Some(3000), Some(18000))
    );
}

#[test]
fn truncated_xml_keeps_the_text_read_so_far() {
    let full = common::document_xml(&format!(
        "{}{}",
        p(&r("Première phrase.")),
        p(&r("Seconde phrase coupée"))
    ));
    let cut = full.find("coupée").unwrap();
    let bytes = zip(&[("word/document.xml", &full[..cut])]);
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        texts(body(&document)),
        ["Première phrase.", "Seconde phrase "]
    );
    assert_eq!(document.warnings[0].code, WarningCode::Recovered);
}

#[test]
fn a_main_part_broken_before_any_text_is_corrupt() {
    let bytes = zip(&[("word/document.xml", "<w:document><w:body><w:p")]);
    let error = read_docx(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(error.kind(), "corrupt", "{error}");
}

#[test]
fn a_damaged_optional_part_is_skipped_with_a_warning() {
    let bytes = docx(
        &p(&r("Corps")),
        &[
            ("word/styles.xml", "<w:styles><w:style"),
            ("word/footer1.xml", "<w:ftr><w:p><w:r><w:t>Pied"),
        ],
    );
    let document = read_docx(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(body(&document)), ["Corps"]);
    let footer = document.stories_of(StoryKind::Footer).next().unwrap();
    assert_eq!(texts(footer), ["Pied"]);
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::Recovered)
    );
}

#[test]
fn deep_nesting_is_too_large_with_partial_text() {
    let deep = format!(
        "{}{}{}",
        "<w:sdt><w:sdtContent>".repeat(600),
        p(&r("profond")),
        "</w:sdtContent></w:sdt>".repeat(600)
    );
    let bytes = docx(&format!("{}{deep}", p(&r("Avant"))), &[]);
    let error = read_docx(&bytes, &Limits::default()).unwrap_err();
    let ExtractError::TooLarge { what, partial, .. } = &error else {
        panic!("expected too_large, got {error}");
    };
    assert_eq!(*what, "XML depth");
    assert_eq!(texts(body(partial.as_deref().unwrap())), ["Avant"]);
}

#[test]
fn text_over_the_character_budget_is_too_large() {
    let limits = Limits {
        max_chars: 10,
        ..Limits::default()
    };
    let error = read_docx(&docx(&p(&r("bien plus de dix caractères")), &[]), &limits).unwrap_err();
    assert_eq!(error.kind(), "too_large");
}

#[test]
fn not_a_zip_is_corrupt_and_ole2_encryption_is_reported() {
    assert_eq!(
        read_docx(b"hello", &Limits::default()).unwrap_err().kind(),
        "corrupt"
    );
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend(vec![0u8; 512]);
    cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        read_docx(&cfb, &Limits::default()).unwrap_err().kind(),
        "encrypted"
    );
}

#[test]
fn a_package_without_a_main_part_is_corrupt() {
    let bytes = zip(&[("docProps/app.xml", "<Properties/>")]);
    assert_eq!(
        read_docx(&bytes, &Limits::default()).unwrap_err().kind(),
        "corrupt"
    );
}
