#!/usr/bin/env python3
"""Regenerates the structure fixtures: ten dossiers whose *layout* differs from the samples (the
whole application as a question/answer table, form checkboxes, identity in a cover table or a
text box, the SIRET in the page footer, headings as bold short lines, sections in an unusual order
or merged, budget matrices with a title block, labels in column B, merged headers, formula totals,
amounts as text, several sheets, Word 97 and Excel 97 files), each with its truth file.

    pip install python-docx openpyxl odfpy
    apt-get install -y libreoffice-writer libreoffice-calc   # for the .doc / .xls and formula caches
    python3 make.py            # writes structure-NN/ and structure-NN.truth.json beside this script

The helpers (SIRET, Budget, truth fields, flags) are those of ../fixtures-wording/make.py. The
texts are invented (real communes and postal codes, fictitious structures, SIRETs and budgets).
Matrices with formulas are recalculated by LibreOffice so the files hold the cached values a real
spreadsheet holds; the converted files are committed, building and testing never need LibreOffice.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import docx
import openpyxl
from docx.oxml import parse_xml
from odf.opendocument import OpenDocumentText
from odf.draw import Frame, TextBox
from odf.style import ParagraphProperties, Style, TextProperties
from odf.table import Table, TableCell, TableRow
from odf.text import H, P

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures-wording"))
import make as w  # noqa: E402  (the wording fixtures' helpers)

Budget, applicant, legal, land, siret, spaced = w.Budget, w.applicant, w.legal, w.land, w.siret, w.spaced
Y = [2022, 2023, 2024]


# --- Applications ----------------------------------------------------------------------------
# Blocks: ("h1", t) styled heading · ("b", t) bold short line, no style · ("p", t) · ("table", rows)
# · ("textbox", [lines]) a floating text box · ("footer", t) / ("header", t) the page footer/header
# · ("break",) a page break.
VML = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape id="tb{n}" type="#_x0000_t202" '
       'style="width:320pt;height:90pt"><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox>'
       '</v:shape></w:pict></w:r>')
VML_P = '<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>'


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_docx(path, blocks):
    d = docx.Document()
    boxes = 0
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            d.add_heading(block[1], level=1)
        elif kind == "b":
            d.add_paragraph().add_run(block[1]).bold = True
        elif kind == "p":
            d.add_paragraph(block[1])
        elif kind == "break":
            d.add_page_break()
        elif kind == "table":
            rows = block[1]
            t = d.add_table(rows=0, cols=max(len(r) for r in rows))
            t.style = "Table Grid"
            for row in rows:
                cells = t.add_row().cells
                for c, v in zip(cells, row):
                    c.text = v
        elif kind == "textbox":
            boxes += 1
            paras = "".join(VML_P.format(esc(line)) for line in block[1])
            d.add_paragraph()._p.append(parse_xml(VML.format(n=boxes, paras=paras)))
        elif kind == "footer":
            d.sections[0].footer.paragraphs[0].text = block[1]
        elif kind == "header":
            d.sections[0].header.paragraphs[0].text = block[1]
    d.save(path)


def write_odt(path, blocks):
    doc = OpenDocumentText()
    bold = Style(name="Gras", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    frame_style = Style(name="Cadre", family="graphic")
    doc.automaticstyles.addElement(frame_style)
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            doc.text.addElement(H(outlinelevel=1, text=block[1]))
        elif kind == "b":
            doc.text.addElement(P(stylename=bold, text=block[1]))
        elif kind == "p":
            doc.text.addElement(P(text=block[1]))
        elif kind == "table":
            t = Table()
            for row in block[1]:
                tr = TableRow()
                for v in row:
                    c = TableCell()
                    c.addElement(P(text=v))
                    tr.addElement(c)
                t.addElement(tr)
            doc.text.addElement(t)
        elif kind == "textbox":
            anchor = P()
            frame = Frame(stylename=frame_style, width="12cm", height="3cm", anchortype="paragraph")
            box = TextBox()
            for line in block[1]:
                box.addElement(P(text=line))
            frame.addElement(box)
            anchor.addElement(frame)
            doc.text.addElement(anchor)
    doc.save(path)


def soffice(src, fmt, outdir):
    """LibreOffice conversion (also recalculates formulas, storing their cached values)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", outdir, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- Matrices --------------------------------------------------------------------------------
class Sheet:
    """A sheet written cell by cell: rows placed from a column, merges, formulas."""

    def __init__(self, name):
        self.name, self.cells, self.merges = name, {}, []

    def put(self, row, col, value):
        self.cells[(row, col)] = value


def col(n):
    return openpyxl.utils.get_column_letter(n)


def euros_text(v):
    """« 12 500 € » with a narrow no-break space, as spreadsheets typed by hand hold it."""
    return f"{v:,.0f}".replace(",", "\u202f") + " €"


def block_cols(sh, r, c0, title, lines, total_label, years, formulas=True, text=False, merged_head=None):
    """One side (expenses or revenues) with years as columns from column c0+1, label in c0.
    Returns (next free row, the total row)."""
    n = len(years)
    if merged_head:
        sh.put(r, c0 + 1, merged_head)
        sh.merges.append(f"{col(c0 + 1)}{r}:{col(c0 + n)}{r}")
        r += 1
    sh.put(r, c0, title)
    for i, y in enumerate(years):
        sh.put(r, c0 + 1 + i, y)
    r += 1
    first = r
    for label, values in lines:
        sh.put(r, c0, label)
        for i, v in enumerate(values):
            sh.put(r, c0 + 1 + i, euros_text(v) if text else v)
        r += 1
    sh.put(r, c0, total_label)
    for i in range(n):
        c = col(c0 + 1 + i)
        if formulas:
            sh.put(r, c0 + 1 + i, f"=SUM({c}{first}:{c}{r - 1})")
        else:
            total = sum(v[i] for _, v in lines)
            sh.put(r, c0 + 1 + i, euros_text(total) if text else total)
    return r + 2, r


def save_xlsx(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), v in sh.cells.items():
            ws.cell(row=r, column=c, value=v)
        for m in sh.merges:
            ws.merge_cells(m)
    wb.save(path)


def save_matrix(folder, name, sheets, fmt):
    """fmt: xlsx (recalculated by LibreOffice when it holds formulas), xls, ods."""
    has_formulas = any(isinstance(v, str) and v.startswith("=") for sh in sheets for v in sh.cells.values())
    if fmt == "xlsx" and not has_formulas:
        save_xlsx(os.path.join(folder, f"{name}.xlsx"), sheets)
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, f"{name}.xlsx")
        save_xlsx(src, sheets)
        soffice(src, fmt, folder)


# --- Dossiers --------------------------------------------------------------------------------
def dossier(ident, app, app_format, write_matrix, truth):
    folder = os.path.join(HERE, ident)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    if app_format == "docx":
        write_docx(os.path.join(folder, "candidature.docx"), app)
    elif app_format == "odt":
        write_odt(os.path.join(folder, "candidature.odt"), app)
    elif app_format == "doc":
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "candidature.docx")
            write_docx(src, app)
            soffice(src, "doc", folder)
    write_matrix(folder)
    truth = {"dossier_id": ident, **truth}
    truth["flags"] = w.flags_of(truth)
    with open(os.path.join(HERE, f"{ident}.truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=2)
        f.write("\n")


def standard_matrix(b, name="budget", fmt="xlsx", c0=2, title_rows=True, formulas=True, text=False,
                    merged_head=None, sheet="Budget"):
    """Expenses then revenues blocks on one sheet, labels in column c0 (B by default)."""
    def write(folder):
        sh = Sheet(sheet)
        r = 1
        if title_rows:
            sh.put(2, c0, "MANUFACTURES DE PROXIMITÉ – BUDGET PRÉVISIONNEL")
            sh.merges.append(f"{col(c0)}2:{col(c0 + 3)}2")
            sh.put(3, c0, "(en euros TTC)")
            r = 5
        exp = b.operating + b.investment
        r, _ = block_cols(sh, r, c0, "DÉPENSES", exp, "TOTAL DES DÉPENSES", Y, formulas, text, merged_head)
        r, _ = block_cols(sh, r, c0, "RECETTES", b.revenue_lines(), "TOTAL DES RECETTES", Y, formulas, text,
                          merged_head)
        save_matrix(folder, name, [sh], fmt)
    return write


def s01():
    """The whole application as a two-column table of questions and answers, no heading at all;
    matrix with a title block, labels in column B, totals computed by formulas (recalculated)."""
    s = siret("531847262", "0002")
    app = [
        ("p", "Appel à manifestation d'intérêt « Manufactures de proximité » – Formulaire de candidature"),
        ("table", [
            ["Rubrique", "Réponse du porteur"],
            ["Date et heure de dépôt", "07/01/2022 09h12"],
            ["Dénomination de la structure candidate", "Atelier des Deux Rives"],
            ["Statut", "Société coopérative et participative (SCOP) sous forme de SARL"],
            ["N° SIRET", spaced(s)],
            ["Adresse du siège", "12 quai Fulchiron"],
            ["Code postal", "69005"],
            ["Ville", "Lyon"],
            ["Intitulé de la manufacture", "Manufacture des Deux Rives"],
            ["Présentation du projet", "Un atelier mutualisé de maroquinerie et de sellerie ouvert aux "
                                       "artisans du cuir, équipé d'une machine de découpe numérique du cuir, "
                                       "de piqueuses plates et d'une refendeuse."],
            ["Inscription dans le territoire", "Le quartier de Saint-Jean est couvert par le dispositif Action "
                                               "cœur de ville ; le projet recrutera dans les quartiers prioritaires "
                                               "de la politique de la ville (QPV) voisins."],
            ["Situation foncière", "Nous louons un local de 420 m² en rez-de-chaussée par bail commercial "
                                   "de neuf ans signé en 2020."],
            ["Partenariats", "La SCOP porte seule la candidature ; elle travaille avec deux lycées professionnels."],
        ]),
    ]
    b = Budget(
        operating=[("Matières premières (cuir, fils)", [21000, 26000, 30000]),
                   ("Salaires chargés", [70000, 84000, 90000]), ("Loyer", [18000, 18000, 18500])],
        investment=[("Équipements de production", [95000, 15000, 0])],
        revenues=[("Ventes et prestations", [30000, 70000, 105000]), ("Métropole de Lyon", [25000, 15000, 0])],
        subsidy=[("Subvention AMI Manufactures de proximité", [110000, 20000, 0])],
        balance_label="Autofinancement",
    )
    dossier("structure-01", app, "docx", standard_matrix(b), {
        "wave": 2, "deposited_at": "2022-01-07T09:12:00+01:00",
        "applicant": applicant("Atelier des Deux Rives", "Manufacture des Deux Rives", s, True, "Lyon", "69005", "69", "84"),
        "legal_model": legal("scop"),
        "land_control": land("lease", 9, 420),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville", "qpv"], "rural": False},
        "activities": {"sectors": ["cuir"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s02():
    """A form with checkboxes ☒/☐ for the legal form, the land title and the programmes (Oui/Non);
    bold unnumbered headings; matrix in .ods with the amounts typed as text « 12 500 € »."""
    s = siret("881904113", "0001")
    app = [
        ("b", "DOSSIER DE CANDIDATURE – MANUFACTURES DE PROXIMITÉ"),
        ("p", "Déposé le 2 mars 2022 à 11 h 20"),
        ("b", "Identification du porteur"),
        ("p", "Nom de la structure : Les Ateliers du Lac"),
        ("p", "Forme juridique : ☐ Association  ☒ SCIC  ☐ SAS  ☐ SARL  ☐ Autre"),
        ("p", f"SIRET : {spaced(s)}"),
        ("p", "Adresse : 5 route de Savoie, 74200 Thonon-les-Bains"),
        ("b", "Le projet"),
        ("p", "Nom de la manufacture : La Fabrique du Chablais"),
        ("p", "Activités : menuiserie, ébénisterie et fabrication de petit mobilier en bois local. Le parc de "
              "machines comprendra une scie à panneaux, une raboteuse et une fraiseuse numérique (CNC)."),
        ("b", "Territoire"),
        ("p", "Le territoire est-il couvert par Petites villes de demain ? Oui ☐ Non ☒"),
        ("p", "Action cœur de ville : Oui ☒ Non ☐"),
        ("p", "Quartier prioritaire de la politique de la ville (QPV) : Oui ☐ Non ☒"),
        ("p", "Territoire d'industrie : Oui ☐ Non ☒"),
        ("b", "Foncier"),
        ("p", "Situation vis-à-vis du local : ☐ Propriétaire  ☒ Locataire  ☐ Mise à disposition  ☐ En recherche"),
        ("p", "Surface du local : 530 m²"),
        ("p", "Durée du bail : 9 ans"),
    ]
    b = Budget(
        operating=[("Achats", [15000, 19000, 22500]), ("Personnel", [58000, 66000, 72000]),
                   ("Loyers", [12500, 12500, 12500])],
        investment=[("Machines et outillage", [78000, 12000, 0])],
        revenues=[("Chiffre d'affaires", [20000, 48000, 76000]), ("Département de la Haute-Savoie", [30000, 0, 0])],
        subsidy=[("Manufacture de proximité (amorçage)", [40000, 30000, 0]),
                 ("Manufacture de proximité (investissement)", [60000, 0, 0])],
        balance_label="Apports en fonds propres",
    )
    dossier("structure-02", app, "odt", standard_matrix(b, fmt="ods", c0=1, formulas=False, text=True), {
        "wave": 3, "deposited_at": "2022-03-02T11:20:00+01:00",
        "applicant": applicant("Les Ateliers du Lac", "La Fabrique du Chablais", s, True, "Thonon-les-Bains", "74200", "74", "84"),
        "legal_model": legal("scic"),
        "land_control": land("lease", 9, 530),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville"], "rural": False},
        "activities": {"sectors": ["bois"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s03():
    """Identity on the cover page in a table, then a page break; headings as bold short lines
    (no numbering, no style); a budget on three sheets « Dépenses », « Recettes », « Plan de
    financement »."""
    s = siret("443210987", "0011")
    app = [
        ("b", "Manufactures de proximité"),
        ("b", "Dossier de candidature – vague 2"),
        ("table", [
            ["Structure porteuse", "Association Tissages du Haut-Jura"],
            ["Statut juridique", "Association loi 1901"],
            ["SIRET", s],
            ["Adresse", "3 place du Marché"],
            ["Code postal – Commune", "39200 Saint-Claude"],
            ["Nom du projet", "Manufacture jurassienne du textile"],
            ["Date de dépôt", "11 janvier 2022 – 16:45"],
        ]),
        ("break",),
        ("b", "Présentation du projet"),
        ("p", "Nous voulons relancer une activité de tissage et de confection à Saint-Claude : un atelier de "
              "tissage équipé de deux métiers à tisser jacquard, d'une brodeuse numérique et de machines à "
              "coudre industrielles, ouvert aux créateurs du territoire."),
        ("b", "Diagnostic territorial"),
        ("p", "Saint-Claude, petite ville de montagne au cœur d'un territoire rural, est lauréate de Petites "
              "villes de demain et appartient au territoire d'industrie Haut-Jura."),
        ("b", "Maîtrise foncière"),
        ("p", "La communauté de communes met à notre disposition, par une convention d'occupation de douze ans, "
              "une ancienne usine de pipes de 900 m²."),
        ("b", "Gouvernance et partenaires"),
        ("p", "L'association porte le projet avec le soutien du lycée du Pré Saint-Sauveur et de la chambre de "
              "métiers."),
    ]
    b = Budget(
        operating=[("Achats de fils et tissus", [12000, 16000, 19000]), ("Salaires", [64000, 72000, 80000]),
                   ("Charges externes", [11000, 12000, 12500])],
        investment=[("Métiers à tisser et machines", [120000, 20000, 0]), ("Travaux d'aménagement", [40000, 0, 0])],
        revenues=[("Prestations et ventes", [15000, 40000, 62000]), ("Région Bourgogne-Franche-Comté", [60000, 10000, 0])],
        subsidy=[("Subvention Manufactures de proximité", [140000, 40000, 0])],
        balance_label="Fonds associatifs",
    )

    def write(folder):
        dep, rec, plan = Sheet("Dépenses"), Sheet("Recettes"), Sheet("Plan de financement")
        _, dep_total = block_cols(dep, 1, 1, "Dépenses", b.operating + b.investment, "Total dépenses", Y)
        _, rec_total = block_cols(rec, 1, 1, "Recettes", b.revenue_lines(), "Total recettes", Y)
        plan.put(1, 1, "Synthèse")
        for i, y in enumerate(Y):
            plan.put(1, 2 + i, y)
        plan.put(2, 1, "Total des dépenses")
        plan.put(3, 1, "Total des recettes")
        plan.put(4, 1, "Solde")
        for i in range(3):
            c = col(2 + i)
            plan.put(2, 2 + i, f"='Dépenses'!{c}{dep_total}")
            plan.put(3, 2 + i, f"='Recettes'!{c}{rec_total}")
            plan.put(4, 2 + i, f"={c}3-{c}2")
        save_matrix(folder, "matrice", [dep, rec, plan], "xlsx")

    dossier("structure-03", app, "docx", write, {
        "wave": 2, "deposited_at": "2022-01-11T16:45:00+01:00",
        "applicant": applicant("Tissages du Haut-Jura", "Manufacture jurassienne du textile", s, True, "Saint-Claude", "39200", "39", "27"),
        "legal_model": legal("association"),
        "land_control": land("provided_free", 12, 900),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain", "territoires_d_industrie"], "rural": True},
        "activities": {"sectors": ["textile"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s04():
    """Word 97 application (via LibreOffice): sections in an unusual order (budget, territory,
    then identity last) and a combined « Foncier et modèle économique » section; Excel 97 matrix
    with merged « Années » header over the year columns and formula totals."""
    s = siret("790123456", "0027")
    app = [
        ("p", "AMI Manufactures de proximité"),
        ("p", "Dépôt : 12 janvier 2022 à 10:05"),
        ("h1", "Budget prévisionnel"),
        ("p", "Le détail figure dans la matrice jointe ; l'investissement porte sur la rénovation du bâtiment."),
        ("h1", "Le territoire"),
        ("p", "Le projet s'inscrit dans une commune rurale du Lot, hors de tout programme national, à 40 minutes "
              "de Cahors."),
        ("h1", "Foncier et modèle économique"),
        ("p", "La coopérative est propriétaire du bâtiment, une ancienne grange de 610 m² acquise en 2019. "
              "Le modèle économique repose sur la location d'ateliers et la vente de pièces de céramique."),
        ("h1", "Activités"),
        ("p", "Atelier partagé de céramique et de verre : tours de potier, deux fours électriques, un four de "
              "fusion du verre et une imprimante 3D céramique."),
        ("h1", "Identité du porteur"),
        ("p", "Dénomination : Terres et Feux du Quercy"),
        ("p", "Forme juridique : SCIC SARL"),
        ("p", f"SIRET : {s}"),
        ("p", "Adresse : lieu-dit La Grange, 46800 Montcuq-en-Quercy-Blanc"),
        ("p", "Nom de la manufacture : Manufacture des Terres du Quercy"),
    ]
    b = Budget(
        operating=[("Fonctionnement", [40000, 52000, 58000])],
        investment=[("Rénovation du bâtiment", [150000, 30000, 0]), ("Fours et tours", [45000, 0, 0])],
        revenues=[("Recettes d'activité", [10000, 35000, 50000]), ("Emprunt", [80000, 0, 0])],
        subsidy=[("Demande Manufactures de proximité", [120000, 30000, 0])],
        balance_label="Apports des sociétaires",
    )
    dossier("structure-04", app, "doc", standard_matrix(b, name="matrice", fmt="xls", merged_head="Années"), {
        "wave": 2, "deposited_at": "2022-01-12T10:05:00+01:00",
        "applicant": applicant("Terres et Feux du Quercy", "Manufacture des Terres du Quercy", s, True,
                               "Montcuq-en-Quercy-Blanc", "46800", "46", "76"),
        "legal_model": legal("scic"),
        "land_control": land("owned", None, 610),
        "territorial_diagnosis": {"programmes": [], "rural": True},
        "activities": {"sectors": ["ceramique", "verre"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s05():
    """The structure's name, address and SIRET in a text box and the page footer (the body never
    repeats them); bold headings."""
    s = siret("852369741", "0015")
    app = [
        ("textbox", ["Association Récup'Atelier Nantais", "8 rue de la Fonderie – 44200 Nantes",
                     "Dossier Manufactures de proximité"]),
        ("footer", f"Récup'Atelier Nantais – association loi 1901 – SIRET {spaced(s)} – 8 rue de la Fonderie, 44200 Nantes"),
        ("p", "Date de dépôt : 13/01/2022 à 08:50"),
        ("b", "Notre projet : la Manufacture du Réemploi"),
        ("p", "La Manufacture du Réemploi transformera les déchets de bois et de métal des chantiers de la "
              "métropole en mobilier et en pièces détachées, grâce à une découpeuse laser et une fraiseuse "
              "numérique partagées."),
        ("b", "Territoire"),
        ("p", "L'atelier sera installé dans le quartier prioritaire de Nantes Nord (QPV)."),
        ("b", "Locaux"),
        ("p", "Nantes Métropole nous met à disposition, par convention d'occupation temporaire de cinq ans, un "
              "entrepôt de 750 m²."),
    ]
    b = Budget(
        operating=[("Charges de fonctionnement", [60000, 70000, 76000])],
        investment=[("Équipements", [85000, 10000, 0])],
        revenues=[("Ventes de mobilier", [15000, 40000, 60000]), ("ADEME", [30000, 10000, 0])],
        subsidy=[("Subvention Manufacture de proximité", [80000, 20000, 0])],
        balance_label="Fonds propres",
    )
    dossier("structure-05", app, "docx", standard_matrix(b, c0=1, title_rows=False), {
        "wave": 2, "deposited_at": "2022-01-13T08:50:00+01:00",
        "applicant": applicant("Récup'Atelier Nantais", "Manufacture du Réemploi", s, True, "Nantes", "44200", "44", "52"),
        "legal_model": legal("association"),
        "land_control": land("provided_free", 5, 750),
        "territorial_diagnosis": {"programmes": ["qpv"], "rural": False},
        "activities": {"sectors": ["reemploi", "bois", "metal"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s06():
    """« [X] » boxes in a form table (label cell, boxes cell); the land title ticked among
    several; an .xlsx with the years in merged two-row headers and amounts as text."""
    s = siret("512340876", "0009")
    app = [
        ("p", "Manufactures de proximité – dossier de candidature"),
        ("p", "Reçu le 28/02/2022 à 14:02"),
        ("table", [
            ["Nom de la structure", "Métal Vallée"],
            ["Forme juridique", "[ ] Association   [ ] SCIC   [X] SAS   [ ] SARL"],
            ["SIRET", s],
            ["Adresse", "14 rue des Forges, 08800 Monthermé"],
            ["Nom de la manufacture", "Manufacture ardennaise du métal"],
        ]),
        ("h1", "Description du projet"),
        ("p", "Atelier partagé de chaudronnerie et de serrurerie : table de découpe plasma à commande numérique, "
              "plieuse, rouleuse et postes de soudure."),
        ("h1", "Territoire"),
        ("p", "Vallée de la Meuse, territoire rural en déprise industrielle. Programme Territoires d'industrie : "
              "[X] oui [ ] non. Petites villes de demain : [ ] oui [X] non."),
        ("h1", "Foncier"),
        ("table", [
            ["Situation", "[X] Propriétaire   [ ] Locataire   [ ] Mise à disposition   [ ] Autre"],
            ["Surface totale", "1 300 m²"],
        ]),
    ]
    b = Budget(
        operating=[("Achats", [30000, 38000, 44000]), ("Personnel", [90000, 105000, 112000])],
        investment=[("Matériel", [210000, 0, 0])],
        revenues=[("Prestations industrielles", [60000, 120000, 150000]), ("Prêt bancaire", [100000, 0, 0])],
        subsidy=[("Subvention Manufacture de proximité", [150000, 20000, 0])],
        balance_label="Capital",
    )
    dossier("structure-06", app, "docx", standard_matrix(b, formulas=False, text=True, merged_head="Exercices"), {
        "wave": 3, "deposited_at": "2022-02-28T14:02:00+01:00",
        "applicant": applicant("Métal Vallée", "Manufacture ardennaise du métal", s, True, "Monthermé", "08800", "08", "44"),
        "legal_model": legal("sas"),
        "land_control": land("owned", None, 1300),
        "territorial_diagnosis": {"programmes": ["territoires_d_industrie"], "rural": True},
        "activities": {"sectors": ["metal"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s07():
    """Word 97 application with the identity in a cover table and bold headings; Excel 97 matrix
    on several sheets with formula totals."""
    s = siret("419876543", "0030")
    app = [
        ("b", "MANUFACTURES DE PROXIMITÉ"),
        ("table", [
            ["Porteur du projet", "Imprimerie Coopérative du Berry"],
            ["Forme", "SCOP SA"],
            ["Numéro SIRET", spaced(s)],
            ["Siège social", "27 rue Porte Jaune, 18000 Bourges"],
            ["Projet", "Manufacture berrichonne de l'imprimé"],
            ["Date de dépôt", "09/01/2022 – 17h40"],
        ]),
        ("break",),
        ("b", "Le projet"),
        ("p", "Un atelier partagé de sérigraphie, de gravure et de reliure, ouvert aux artistes et aux petites "
              "maisons d'édition, avec une presse typographique et un graveur laser."),
        ("b", "Territoire"),
        ("p", "Bourges bénéficie du programme Action cœur de ville."),
        ("b", "Locaux"),
        ("p", "Nous négocions l'achat d'un ancien atelier de 480 m² rue Mirebeau ; un compromis de vente a été "
              "signé en décembre 2021."),
    ]
    b = Budget(
        operating=[("Consommables", [9000, 11000, 12500]), ("Salaires", [52000, 58000, 61000])],
        investment=[("Acquisition immobilière", [190000, 0, 0]), ("Presses et graveur", [35000, 8000, 0])],
        revenues=[("Ventes et prestations", [25000, 50000, 65000]), ("Emprunt immobilier", [120000, 0, 0])],
        subsidy=[("Manufacture de proximité", [100000, 20000, 0])],
        balance_label="Réserves de la coopérative",
    )

    def write(folder):
        dep, rec = Sheet("Dépenses"), Sheet("Recettes")
        dep.put(1, 2, "Dépenses prévisionnelles")
        block_cols(dep, 3, 2, "Poste", b.operating + b.investment, "Total", Y)
        rec.put(1, 2, "Recettes prévisionnelles")
        block_cols(rec, 3, 2, "Financeur", b.revenue_lines(), "Total", Y)
        save_matrix(folder, "matrice", [dep, rec], "xls")

    dossier("structure-07", app, "doc", write, {
        "wave": 2, "deposited_at": "2022-01-09T17:40:00+01:00",
        "applicant": applicant("Imprimerie Coopérative du Berry", "Manufacture berrichonne de l'imprimé", s, True,
                               "Bourges", "18000", "18", "24"),
        "legal_model": legal("scop"),
        "land_control": land("purchase_in_progress", None, 480),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville"], "rural": False},
        "activities": {"sectors": ["impression"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s08():
    """Question/answer table whose questions are full sentences in the left column and a section
    per row; ODT; the matrix's years in rows with labels in column B after a title block."""
    s = siret("398745612", "0006")
    app = [
        ("p", "Candidature à l'AMI Manufactures de proximité"),
        ("table", [
            ["Question", "Réponse"],
            ["Quelle est la date de dépôt ?", "4 janvier 2022, 14 h 00"],
            ["Quel est le nom de la structure candidate ?", "Électrons Libres"],
            ["Quelle est sa forme juridique ?", "Société par actions simplifiée (SAS)"],
            ["Quel est son numéro SIRET ?", s],
            ["Où est-elle domiciliée ?", "9 rue Jean Jaurès, 29200 Brest"],
            ["Comment s'appellera la manufacture ?", "Manufacture brestoise de l'électronique"],
            ["Quelles activités seront développées ?", "Reconditionnement d'appareils, assemblage de cartes "
                                                       "électroniques, avec une machine de placement de composants "
                                                       "(pick and place) et une imprimante 3D."],
            ["Comment le projet s'inscrit-il dans son territoire ?", "Brest est couverte par Territoires "
                                                                     "d'industrie ; l'atelier est dans un QPV."],
            ["De quels locaux disposez-vous ?", "Un bail emphytéotique de 30 ans avec la ville de Brest pour un "
                                                "bâtiment de 680 m²."],
        ]),
    ]
    b = Budget(
        operating=[("Fonctionnement", [70000, 80000, 85000])],
        investment=[("Investissement", [130000, 20000, 0])],
        revenues=[("Recettes propres", [30000, 60000, 80000]), ("Brest Métropole", [40000, 10000, 0])],
        subsidy=[("Subvention Manufactures de proximité", [110000, 25000, 0])],
        balance_label="Apports",
    )

    def write(folder):
        sh = Sheet("Budget")
        sh.put(1, 2, "Budget prévisionnel – Électrons Libres")
        head = ["Année", "Fonctionnement", "Investissement", "Total dépenses", "Subvention Manufactures de proximité",
                "Recettes propres", "Brest Métropole", "Apports", "Total recettes"]
        for i, h in enumerate(head):
            sh.put(4, 2 + i, h)
        exp, rev = b.expenses(), b.revenues_total()
        for k, y in enumerate(Y):
            vals = [y, b.operating[0][1][k], b.investment[0][1][k], exp[k], b.subsidy[0][1][k],
                    b.revenues[0][1][k], b.revenues[1][1][k], b.balance[1][k], rev[k]]
            for i, v in enumerate(vals):
                sh.put(5 + k, 2 + i, v)
        save_matrix(folder, "budget", [sh], "ods")

    dossier("structure-08", app, "odt", write, {
        "wave": 2, "deposited_at": "2022-01-04T14:00:00+01:00",
        "applicant": applicant("Électrons Libres", "Manufacture brestoise de l'électronique", s, True, "Brest", "29200", "29", "53"),
        "legal_model": legal("sas"),
        "land_control": land("emphyteotic_lease", 30, 680),
        "territorial_diagnosis": {"programmes": ["territoires_d_industrie", "qpv"], "rural": False},
        "activities": {"sectors": ["electronique", "reemploi"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def s09():
    """ODT with the identity in a frame (text box) on the cover; bold headings; a combined
    « Foncier et modèle économique » section; the matrix on a sheet after an instructions sheet."""
    s = siret("808642135", "0019")
    app = [
        ("textbox", ["Candidature Manufactures de proximité", "Porteur : Association Les Mains Vertes",
                     f"SIRET : {s}", "Siège : 2 rue du Moulin, 24200 Sarlat-la-Canéda"]),
        ("p", "Dossier déposé le 3 mars 2022 à 09:30"),
        ("b", "Présentation"),
        ("p", "Nom de la manufacture : La Conserverie du Périgord Noir"),
        ("p", "Une conserverie et légumerie partagée pour les producteurs du Périgord noir, équipée d'un "
              "autoclave, d'une sertisseuse et d'une chambre froide."),
        ("b", "Diagnostic du territoire"),
        ("p", "Sarlat est une petite ville rurale lauréate de Petites villes de demain."),
        ("b", "Foncier et modèle économique"),
        ("p", "Nous sommes en négociation avancée avec la commune pour la location d'un ancien abattoir de "
              "350 m² identifié rue des Cordeliers. Le modèle économique repose sur la facturation des heures "
              "d'utilisation aux producteurs."),
        ("b", "Statut"),
        ("p", "Association loi 1901 depuis 2012."),
    ]
    b = Budget(
        operating=[("Charges", [35000, 42000, 45000])],
        investment=[("Autoclave et équipements", [68000, 0, 0])],
        revenues=[("Facturation aux producteurs", [15000, 30000, 40000]), ("LEADER", [20000, 0, 0])],
        subsidy=[("Manufactures de proximité", [55000, 10000, 0])],
        balance_label="Fonds propres",
    )

    def write(folder):
        notice = Sheet("Notice")
        notice.put(1, 1, "Mode d'emploi : remplir les cellules en jaune. Les totaux sont calculés.")
        notice.put(2, 1, "Montant minimum de la subvention : 50 000 €, maximum 250 000 €.")
        sh = Sheet("Matrice")
        sh.put(1, 1, "Porteur : Les Mains Vertes")
        r, _ = block_cols(sh, 3, 1, "Charges", b.operating + b.investment, "Total charges", Y)
        block_cols(sh, r, 1, "Produits", b.revenue_lines(), "Total produits", Y)
        save_matrix(folder, "matrice", [notice, sh], "xlsx")

    dossier("structure-09", app, "odt", write, {
        "wave": 3, "deposited_at": "2022-03-03T09:30:00+01:00",
        "applicant": applicant("Les Mains Vertes", "La Conserverie du Périgord Noir", s, True, "Sarlat-la-Canéda", "24200", "24", "75"),
        "legal_model": legal("association"),
        "land_control": land("negotiation", None, 350),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain"], "rural": True},
        "activities": {"sectors": ["alimentaire"], "digital_machines": False},
        "budget": b.truth(Y),
    })


def s10():
    """A header line carrying the structure name and the deposit date, sections whose titles are
    questions in bold, a consortium named in a table; matrix with the expenses and revenues side by
    side, labels in column B."""
    s = siret("521478963", "0040")
    app = [
        ("header", "Fablab des Coteaux – candidature Manufactures de proximité – déposée le 06/01/2022 à 12:15"),
        ("b", "Qui porte le projet ?"),
        ("p", "Le Fablab des Coteaux, SCIC SAS créée en 2017, chef de file d'un groupement avec la SARL Bois "
              "Debout et l'association Ressourcerie des Coteaux."),
        ("table", [
            ["Membre du groupement", "Rôle"],
            ["Fablab des Coteaux (SCIC)", "chef de file"],
            ["Bois Debout (SARL)", "menuiserie"],
            ["Ressourcerie des Coteaux (association)", "collecte"],
        ]),
        ("p", f"SIRET du chef de file : {s}"),
        ("p", "Adresse : 1 allée des Vignes, 47300 Villeneuve-sur-Lot"),
        ("b", "Comment s'appellera la manufacture ?"),
        ("p", "La Manufacture des Coteaux."),
        ("b", "Que fabriquerez-vous ?"),
        ("p", "Du mobilier en bois de réemploi, avec une fraiseuse numérique et une découpe laser."),
        ("b", "Où ?"),
        ("p", "Villeneuve-sur-Lot, ville Action cœur de ville. Nous louons un hangar de 800 m² (bail de 9 ans)."),
    ]
    b = Budget(
        operating=[("Fonctionnement", [50000, 60000, 64000])],
        investment=[("Machines", [90000, 0, 0])],
        revenues=[("Ventes", [20000, 45000, 60000]), ("Région Nouvelle-Aquitaine", [30000, 0, 0])],
        subsidy=[("Subvention Manufacture de proximité", [75000, 15000, 0])],
        balance_label="Apports du groupement",
    )

    def write(folder):
        sh = Sheet("Budget")
        sh.put(1, 2, "Budget du groupement")
        block_cols(sh, 3, 2, "Dépenses", b.operating + b.investment, "Total dépenses", Y)
        block_cols(sh, 3, 7, "Recettes", b.revenue_lines(), "Total recettes", Y)
        save_matrix(folder, "budget", [sh], "xlsx")

    dossier("structure-10", app, "docx", write, {
        "wave": 2, "deposited_at": "2022-01-06T12:15:00+01:00",
        "applicant": applicant("Fablab des Coteaux", "La Manufacture des Coteaux", s, True, "Villeneuve-sur-Lot", "47300", "47", "75"),
        "legal_model": legal("scic", consortium=True, lead="Fablab des Coteaux"),
        "land_control": land("lease", 9, 800),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville"], "rural": False},
        "activities": {"sectors": ["bois", "reemploi"], "digital_machines": True},
        "budget": b.truth(Y),
    })


if __name__ == "__main__":
    for make in (s01, s02, s03, s04, s05, s06, s07, s08, s09, s10):
        make()
