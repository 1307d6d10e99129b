#!/usr/bin/env python3
"""Regenerates the « unseen » fixtures: twenty dossiers written by someone who never read the
reader's rules — sixteen plain dossier folders (unseen-01 … unseen-16) and four dossiers packaged
as a Démarches simplifiées export (ds-export/), each with its ground truth.

    pip install python-docx openpyxl odfpy
    apt-get install -y libreoffice-writer libreoffice-calc   # .doc / .xls, and formula caches
    python3 make.py

Everything is invented (real communes with their real postal codes, fictitious structures,
people, SIRETs and budgets). Each truth's budget is computed from the very figures written to the
matrix; the other truth fields are written by hand next to the sentences that carry them.
"""
import csv
import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from odf.opendocument import OpenDocumentText
from odf.style import (Footer, Header, MasterPage, PageLayout, PageLayoutProperties, Style,
                       TableCellProperties, TextProperties)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, LineBreak, List, ListItem, P, Span

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2022, 1, 1, 9, 0, 0)
NBSP, NNBSP = "\u00a0", "\u202f"


# --- SIRET -------------------------------------------------------------------------------------
def luhn(digits):
    s = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        s += d - 9 if d > 9 else d
    return s % 10 == 0


def make_siret(seed8, nic4):
    """A SIRET whose SIREN and whole number both pass Luhn (check digits computed)."""
    siren = next(seed8 + str(d) for d in range(10) if luhn(seed8 + str(d)))
    return next(siren + nic4 + str(d) for d in range(10) if luhn(siren + nic4 + str(d)))


def tva(siren):
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def grouped(n, sep=NBSP):
    return f"{n:,}".replace(",", sep)


# --- Budget ------------------------------------------------------------------------------------
class Budget:
    """Lines (label, [one value per year]) in euros HT. `mdp` are the programme's own lines, `aids`
    other public aids, `own` other resources; the last `own` line is computed so that each year
    balances, minus `gap` (a deliberately unbalanced year)."""

    def __init__(self, years, ops, inv, mdp, aids, own, gap=None):
        self.years, self.ops, self.inv, self.mdp, self.aids = years, ops, inv, mdp, aids
        n = len(years)
        gap = gap or [0] * n
        exp = self.expenses()
        got = [sum(v[i] for _, v in mdp + aids + own[:-1]) for i in range(n)]
        self.own = own[:-1] + [(own[-1][0], [exp[i] - got[i] - gap[i] for i in range(n)])]

    def charges(self):
        return self.ops + self.inv

    def products(self):
        return self.mdp + self.aids + self.own

    def expenses(self):
        return [sum(v[i] for _, v in self.ops + self.inv) for i in range(len(self.years))]

    def revenues(self):
        return [sum(v[i] for _, v in self.products()) for i in range(len(self.years))]

    def op_total(self):
        return [sum(v[i] for _, v in self.ops) for i in range(len(self.years))]

    def inv_total(self):
        return [sum(v[i] for _, v in self.inv) for i in range(len(self.years))]

    def subsidy(self):
        return sum(sum(v) for _, v in self.mdp)

    def truth(self):
        exp, rev = self.expenses(), self.revenues()
        total = float(sum(exp))
        sub = float(self.subsidy())
        return {
            "years": [{"year": y, "expenses": float(e), "revenues": float(r)}
                      for y, e, r in zip(self.years, exp, rev)],
            "total_expenses": total,
            "investment": float(sum(sum(v) for _, v in self.inv)) if self.inv else None,
            "subsidy_requested": sub,
            "subsidy_share": round(sub / total, 3),
            "balanced": all(abs(e - r) <= 1 for e, r in zip(exp, rev)),
        }


NO_BUDGET = {"years": [], "total_expenses": None, "investment": None, "subsidy_requested": None,
             "subsidy_share": None, "balanced": None}


# --- Spreadsheets ------------------------------------------------------------------------------
def soffice(src, fmt, outdir):
    """LibreOffice conversion; also recalculates formulas so the file holds their cached values."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", outdir, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def normalize_zip(path):
    """Rewrites a zip-based office file with fixed entry times and fixed metadata dates, so that
    regenerating gives the same bytes (the old binary .doc / .xls keep LibreOffice's own stamps)."""
    import re
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    stamp = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for info, data in items:
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = stamp.sub(b"2022-01-01T09:00:00Z", data)
            new = zipfile.ZipInfo(info.filename, (2022, 1, 1, 9, 0, 0))
            new.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.external_attr = info.external_attr
            z.writestr(new, data)
    os.replace(tmp, path)


class Sheet:
    def __init__(self, name):
        self.name, self.cells, self.merges, self.formats, self.widths = name, {}, [], {}, {}

    def put(self, r, c, v, fmt=None):
        self.cells[(r, c)] = v
        if fmt:
            self.formats[(r, c)] = fmt

    def row(self, r, c, values, fmt=None):
        for i, v in enumerate(values):
            if v is not None:
                self.put(r, c + i, v, fmt if isinstance(v, (int, float)) else None)

    def merge(self, r1, c1, r2, c2):
        self.merges.append((r1, c1, r2, c2))


def L(c):
    return openpyxl.utils.get_column_letter(c)


def save_book(folder, name, sheets, fmt):
    """fmt: xlsx | xls | ods. Files with formulas, and every xls/ods, go through LibreOffice."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), v in sorted(sh.cells.items()):
            cell = ws.cell(row=r, column=c, value=v)
            if (r, c) in sh.formats:
                cell.number_format = sh.formats[(r, c)]
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.column_dimensions["A"].width = 46
        for c, w in sh.widths.items():
            ws.column_dimensions[L(c)].width = w
    wb.properties.creator = "Tableur"
    wb.properties.created = wb.properties.modified = FIXED
    formulas = any(isinstance(v, str) and v.startswith("=") for sh in sheets for v in sh.cells.values())
    if fmt == "xlsx" and not formulas:
        wb.save(os.path.join(folder, f"{name}.xlsx"))
        normalize_zip(os.path.join(folder, f"{name}.xlsx"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, f"{name}.xlsx")
        wb.save(src)
        filt = {"xlsx": 'xlsx:Calc MS Excel 2007 XML', "xls": "xls", "ods": "ods"}[fmt]
        out = os.path.join(tmp, "out")
        os.makedirs(out)
        soffice(src, filt, out)
        shutil.copy(os.path.join(out, f"{name}.{fmt}"), os.path.join(folder, f"{name}.{fmt}"))
        if fmt != "xls":
            normalize_zip(os.path.join(folder, f"{name}.{fmt}"))


EUR = '#,##0 "€"'
EUR2 = '#,##0.00 "€"'


# --- Applications ------------------------------------------------------------------------------
# Blocks: ("h", level, text) a styled heading · ("p", text) ("\n" = line break) · ("b", text) a bold
# line · ("lead", bold lead-in, text) · ("li", text) a bullet · ("table", rows[, shade first row])
# · ("header", text) · ("footer", text) · ("break",) a page break · ("landscape",)
def _runs_docx(par, text, bold=False):
    parts = text.split("\n")
    for i, part in enumerate(parts):
        run = par.add_run(part)
        run.bold = bold or None
        if i < len(parts) - 1:
            run.add_break()


def write_docx(path, blocks, author="Porteur"):
    d = docx.Document()
    d.core_properties.author = author
    d.core_properties.created = d.core_properties.modified = FIXED
    d.core_properties.last_modified_by = author
    for block in blocks:
        kind = block[0]
        if kind == "h":
            d.add_heading(block[2], level=block[1])
        elif kind == "p":
            _runs_docx(d.add_paragraph(), block[1])
        elif kind == "b":
            _runs_docx(d.add_paragraph(), block[1], bold=True)
        elif kind == "lead":
            par = d.add_paragraph()
            par.add_run(block[1]).bold = True
            _runs_docx(par, block[2])
        elif kind == "li":
            _runs_docx(d.add_paragraph(style="List Bullet"), block[1])
        elif kind == "break":
            d.add_page_break()
        elif kind == "landscape":
            s = d.sections[0]
            s.orientation = WD_ORIENT.LANDSCAPE
            s.page_width, s.page_height = Cm(29.7), Cm(21.0)
        elif kind == "header":
            _runs_docx(d.sections[0].header.paragraphs[0], block[1])
        elif kind == "footer":
            _runs_docx(d.sections[0].footer.paragraphs[0], block[1])
        elif kind == "table":
            rows = block[1]
            shade = len(block) > 2 and block[2]
            t = d.add_table(rows=0, cols=max(len(r) for r in rows))
            t.style = "Table Grid"
            for ri, row in enumerate(rows):
                cells = t.add_row().cells
                for c, v in zip(cells, row):
                    _runs_docx(c.paragraphs[0], v, bold=(shade and ri == 0))
                    if shade and ri == 0:
                        tc_pr = c._tc.get_or_add_tcPr()
                        shd = OxmlElement("w:shd")
                        shd.set(qn("w:val"), "clear")
                        shd.set(qn("w:fill"), "D9E2F3")
                        tc_pr.append(shd)
            d.add_paragraph()
        else:
            raise ValueError(kind)
    d.save(path)


def _odt_text(el, text):
    parts = text.split("\n")
    for i, part in enumerate(parts):
        el.addText(part)
        if i < len(parts) - 1:
            el.addElement(LineBreak())


def write_odt(path, blocks):
    doc = OpenDocumentText()
    bold_p = Style(name="LigneGras", family="paragraph")
    bold_p.addElement(TextProperties(fontweight="bold"))
    bold_t = Style(name="Gras", family="text")
    bold_t.addElement(TextProperties(fontweight="bold"))
    shade = Style(name="CelluleGrise", family="table-cell")
    shade.addElement(TableCellProperties(backgroundcolor="#d9d9d9", border="0.5pt solid #000000"))
    plain = Style(name="Cellule", family="table-cell")
    plain.addElement(TableCellProperties(border="0.5pt solid #000000"))
    for s in (bold_p, bold_t, shade, plain):
        doc.automaticstyles.addElement(s)
    layout = PageLayout(name="Page")
    layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margin="2cm"))
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    for block in blocks:
        kind = block[0]
        if kind == "h":
            h = H(outlinelevel=block[1])
            _odt_text(h, block[2])
            doc.text.addElement(h)
        elif kind in ("p", "b"):
            p = P(stylename=bold_p) if kind == "b" else P()
            _odt_text(p, block[1])
            doc.text.addElement(p)
        elif kind == "lead":
            p = P()
            p.addElement(Span(stylename=bold_t, text=block[1]))
            _odt_text(p, block[2])
            doc.text.addElement(p)
        elif kind == "li":
            lst = List()
            item = ListItem()
            p = P()
            _odt_text(p, block[1])
            item.addElement(p)
            lst.addElement(item)
            doc.text.addElement(lst)
        elif kind in ("header", "footer"):
            el = Header() if kind == "header" else Footer()
            p = P()
            _odt_text(p, block[1])
            el.addElement(p)
            master.addElement(el)
        elif kind == "table":
            rows = block[1]
            grey = len(block) > 2 and block[2]
            t = Table()
            t.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
            for ri, row in enumerate(rows):
                tr = TableRow()
                for v in row:
                    c = TableCell(stylename=shade if grey and ri == 0 else plain, valuetype="string")
                    p = P()
                    _odt_text(p, v)
                    c.addElement(p)
                    tr.addElement(c)
                t.addElement(tr)
            doc.text.addElement(t)
            doc.text.addElement(P())
        elif kind in ("break", "landscape"):
            pass
        else:
            raise ValueError(kind)
    doc.save(path)


def write_application(folder, name, fmt, blocks, author="Porteur"):
    if fmt == "docx":
        write_docx(os.path.join(folder, f"{name}.docx"), blocks, author)
        normalize_zip(os.path.join(folder, f"{name}.docx"))
    elif fmt == "odt":
        write_odt(os.path.join(folder, f"{name}.odt"), blocks)
        normalize_zip(os.path.join(folder, f"{name}.odt"))
    elif fmt == "doc":
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, f"{name}.docx")
            write_docx(src, blocks, author)
            soffice(src, "doc", tmp)
            shutil.copy(os.path.join(tmp, f"{name}.doc"), os.path.join(folder, f"{name}.doc"))
    else:
        raise ValueError(fmt)


# --- Truth -------------------------------------------------------------------------------------
def applicant(name, manufacture, siret, commune, cp, dep, reg):
    return {"structure_name": name, "manufacture_name": manufacture, "siret": siret,
            "siret_valid": None if siret is None else luhn(siret) and luhn(siret[:9]),
            "commune": commune, "postal_code": cp, "department": dep, "region": reg}


def legal(form, planned=None, consortium=False, lead=None):
    return {"form": form, "planned_form": planned, "consortium": consortium, "lead_partner": lead}


def land(status, years=None, surface=None, transitional=False, final_year=None):
    return {"status": status, "lease_years": years, "surface_m2": surface,
            "transitional_premises": transitional, "final_premises_year": final_year}


def wave_of(ts):
    if ts is None:
        return None
    t = datetime.datetime.fromisoformat(ts)
    if t < datetime.datetime.fromisoformat("2022-01-13T12:00:00+01:00"):
        return 2
    if t <= datetime.datetime.fromisoformat("2022-03-03T12:00:00+01:00"):
        return 3
    return None


# Dossiers whose application states an amount the matrix does not give (« aide sollicitée :
# 300 000 € » against 290 000 €): the normaliser flags them `amounts_disagree` (issue 10: « a
# disagreement is a flag, not a silent choice »).
AMOUNTS_DISAGREE = {"unseen-02", "unseen-06", "unseen-09", "unseen-13"}


def flags_of(t):
    out = []
    if t["dossier_id"] in AMOUNTS_DISAGREE:
        out.append("amounts_disagree")
    a, lm, lc, b = t["applicant"], t["legal_model"], t["land_control"], t["budget"]
    if a["siret"] is None:
        out.append("siret_missing")
    elif a["siret_valid"] is False:
        out.append("siret_invalid")
    if lm["form"] == "local_authority":
        out.append("legal_form_ineligible")
    if lm["form"] in ("individual", "other", "unknown"):
        out.append("legal_form_unknown")
    if lc["status"] in ("none", "unknown"):
        out.append("land_control_missing")
    if b["total_expenses"] is None:
        out.append("budget_missing")
    else:
        if not b["balanced"]:
            out.append("budget_unbalanced")
        if b["subsidy_share"] > 0.8:
            out.append("subsidy_over_80_percent")
    return sorted(out)


def write_truth(path, ident, deposited, app, lm, lc, programmes, rural, sectors, digital, budget,
                wave="calendar"):
    t = {
        "dossier_id": ident,
        "wave": wave_of(deposited) if wave == "calendar" else wave,
        "deposited_at": deposited,
        "applicant": app,
        "legal_model": lm,
        "land_control": lc,
        "territorial_diagnosis": {"programmes": sorted(programmes), "rural": rural},
        "activities": {"sectors": sorted(sectors), "digital_machines": digital},
        "budget": budget,
    }
    t["flags"] = flags_of(t)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False, indent=2)
        f.write("\n")


def new_folder(ident):
    folder = os.path.join(HERE, ident)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    return folder


def truth_path(ident):
    return os.path.join(HERE, f"{ident}.truth.json")


Y3 = [2022, 2023, 2024]
DS_ROOT = os.path.join(HERE, "ds-export")


# =================================================================================================
# unseen-01 — Thiers: note with numbered headings; matrix with the years in rows (.xlsx)
# =================================================================================================
def u01():
    ident = "unseen-01"
    folder = new_folder(ident)
    s = make_siret("81234765", "0001")
    b = Budget(Y3,
               ops=[("Achats et matières", [38000, 52000, 61000]),
                    ("Services extérieurs", [24500, 26000, 27500]),
                    ("Charges de personnel", [96000, 118000, 131000]),
                    ("Autres charges", [6500, 7000, 7200])],
               inv=[("Invest. : équipements de production", [142000, 18000, 0]),
                    ("Invest. : aménagement des locaux", [56000, 0, 0])],
               mdp=[("Subvention AMI Manufactures de proximité – amorçage", [60000, 40000, 0]),
                    ("Subvention AMI Manufactures de proximité – investissement", [118000, 10000, 0])],
               aids=[("Région Auvergne-Rhône-Alpes", [40000, 0, 0])],
               own=[("Cotisations des adhérents", [4800, 6000, 7200]),
                    ("Ventes et prestations", None)])
    total = sum(b.expenses())
    app = [
        ("p", "Dossier déposé le mer. 12/01/22 à 14h05 – accusé de réception n° 2022-0112-0417"),
        ("h", 1, "Appel à manifestation d'intérêt « Manufactures de proximité »"),
        ("p", "Note de présentation du projet"),
        ("h", 2, "1. Le porteur"),
        ("p", "Les Émouleurs de la Durolle est une association loi 1901, créée le 17 mai 2016 par "
              "six couteliers indépendants et deux anciens salariés de la forge Dumas. Son siège est au "
              f"9 rue de la Coutellerie, 63300 Thiers. SIRET n° {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}."),
        ("p", "Nous portons seuls le projet. La Ville de Thiers et le lycée Jean-Zay nous accompagnent "
              "en tant que partenaires, sans être co-porteurs de la candidature."),
        ("h", 2, "2. Le lieu"),
        ("p", "La manufacture, que nous avons baptisée « L'Affûterie », s'installera dans l'ancienne "
              "usine Dumas, au bord de la Durolle. Un bail commercial de neuf ans a été signé le "
              "3 novembre 2021 avec la SCI propriétaire. Le bâtiment offre 640 mètres carrés sur deux "
              "niveaux, dont un rez-de-chaussée de plain-pied pour la forge."),
        ("h", 2, "3. Le territoire"),
        ("p", "Thiers, sous-préfecture de 11 000 habitants, est la capitale française de la coutellerie, "
              "au cœur d'un territoire rural, le Livradois-Forez. La commune est engagée dans le programme "
              "Petites villes de demain et le bassin thiernois est labellisé Territoire d'industrie. "
              "Les ateliers ferment faute de repreneurs alors que les commandes ne manquent pas."),
        ("h", 2, "4. Ce que nous fabriquerons"),
        ("p", "Les membres forgeront des lames et monteront des couteaux de poche et de table ; un "
              "tourneur sur bois, qui rejoint l'équipe en 2022, façonnera les manches en bois de pays "
              "(buis, hêtre, genévrier). L'atelier formera chaque année quatre apprentis."),
        ("h", 2, "5. Équipements mutualisés"),
        ("li", "une forge à gaz et un marteau-pilon"),
        ("li", "une ponceuse à bande et deux tourets d'émouleur"),
        ("li", "une découpeuse laser fibre pour débiter les lames"),
        ("li", "un tour à bois"),
        ("h", 2, "6. Éléments financiers"),
        ("p", f"Le budget triennal s'élève à {grouped(total)} € HT ; nous sollicitons "
              f"{grouped(b.subsidy())} € au titre de l'AMI (amorçage et investissement). "
              "Le détail figure dans la matrice jointe."),
        ("p", "Fait à Thiers, le 10 janvier 2022.\nLa présidente, Odile Charbonnel"),
    ]
    write_application(folder, "note_presentation_affuterie", "docx", app, "Odile Charbonnel")

    sh = Sheet("Budget prévisionnel")
    sh.put(1, 1, "Manufacture L'Affûterie — budget prévisionnel triennal (€ HT)")
    cols = [l for l, _ in b.ops] + [l for l, _ in b.inv] + ["Total charges"] + \
           [l for l, _ in b.products()] + ["Total produits"]
    sh.row(3, 1, ["Année"] + cols)
    for i, y in enumerate(b.years):
        vals = [v[i] for _, v in b.charges()] + [b.expenses()[i]] + \
               [v[i] for _, v in b.products()] + [b.revenues()[i]]
        sh.row(4 + i, 1, [y] + vals, EUR)
    n = len(b.years)
    sh.put(4 + n, 1, "Cumul 2022-2024")
    for j in range(len(cols)):
        c = 2 + j
        sh.put(4 + n, c, sum(sh.cells[(4 + i, c)] for i in range(n)), EUR)
    sh.widths.update({c: 18 for c in range(2, 2 + len(cols))})
    save_book(folder, "budget_affuterie", [sh], "xlsx")

    write_truth(truth_path(ident), ident, "2022-01-12T14:05:00+01:00",
                applicant("Les Émouleurs de la Durolle", "L'Affûterie", s, "Thiers", "63300", "63", "84"),
                legal("association"), land("lease", 9, 640),
                ["petites_villes_de_demain", "territoires_d_industrie"], True,
                ["metal", "bois"], True, b.truth())


# =================================================================================================
# unseen-02 — Saint-Claude (Guadeloupe, not the Jura): Q/A table in three columns (.odt);
# matrix with an HT block and a TTC block side by side, merged headers (.ods)
# =================================================================================================
def u02():
    ident = "unseen-02"
    folder = new_folder(ident)
    s = make_siret("88417302", "0002")
    b = Budget(Y3,
               ops=[("Bois et fournitures", [42000, 58000, 66000]),
                    ("Sous-traitance et entretien", [12000, 14500, 15000]),
                    ("Salaires et charges sociales", [88000, 126000, 138000]),
                    ("Assurances et frais généraux", [9500, 10200, 10800])],
               inv=[("Machines à bois", [186000, 24000, 0]),
                    ("Travaux de mise aux normes", [95000, 0, 0]),
                    ("Aspiration et sécurité", [21000, 0, 0])],
               mdp=[("Manufactures de proximité (ANCT) – fonctionnement", [50000, 40000, 20000]),
                    ("Manufactures de proximité (ANCT) – équipement", [160000, 20000, 0])],
               aids=[("Région Guadeloupe", [60000, 0, 0]), ("FEDER", [70000, 0, 0])],
               own=[("Apports des sociétaires", [15000, 0, 0]),
                    ("Ventes de mobilier et prestations", None)])
    app = [
        ("h", 1, "AMI Manufactures de proximité — questionnaire de candidature"),
        ("table", [
            ["N°", "Question", "Réponse"],
            ["0", "Réception", "Dossier reçu le mardi 8 février 2022 à 9 h 47 (heure de Paris)"],
            ["1", "Dénomination de la structure candidate", "Lakou Bwa"],
            ["2", "Forme juridique", "Société coopérative d'intérêt collectif constituée sous forme "
                                     "de SAS à capital variable"],
            ["3", "N° SIRET", f"{s[:9]} {s[9:]}"],
            ["4", "Adresse du siège", "Section Morne-Houël\nRoute de la Soufrière"],
            ["5", "Commune", "Saint-Claude"],
            ["6", "Code postal", "97120"],
            ["7", "La candidature est-elle portée par plusieurs structures ?",
             "Non. Pas de groupement : la SCIC dépose seule. La commune, l'ONF et une douzaine de "
             "menuisiers en sont sociétaires, ce qui ne fait pas d'eux des co-porteurs."],
            ["8", "Nom du futur lieu", "Il sera nommé « La Kaz à Bois »."],
            ["9", "Maîtrise du foncier",
             "Bail emphytéotique de trente-cinq ans consenti par la commune de Saint-Claude, signé le "
             "14 janvier 2022, sur un ancien entrepôt de 1 050 m2."],
            ["10", "Le projet s'inscrit-il dans un programme national (Petites villes de demain, Action "
                   "cœur de ville, Territoires d'industrie, QPV, Fabrique de territoire) ?",
             "Non. Saint-Claude n'a pas été retenue au titre de Petites villes de demain et ne compte "
             "aucun quartier prioritaire ; le projet ne relève d'aucun de ces dispositifs."],
            ["11", "Diagnostic territorial",
             "Saint-Claude, en Guadeloupe, s'étage sur les pentes de la Soufrière, au-dessus de "
             "Basse-Terre. Les forêts publiques produisent du mahogany et du poirier pays, mais le bois "
             "part brut vers l'Hexagone et le mobilier est importé."],
            ["12", "Activités prévues",
             "Menuiserie, ébénisterie, fabrication de mobilier et de petites charpentes en bois local, "
             "formation d'apprentis menuisiers."],
            ["13", "Équipements",
             "Scie à ruban, dégauchisseuse-raboteuse, mortaiseuse, scie à format. Nous n'achèterons pas "
             "de machine à commande numérique dans un premier temps."],
            ["14", "Montants",
             "Budget total : environ 0,9 M€ HT sur trois ans ; aide sollicitée : 300 000 €."],
        ], True),
        ("p", "Fait à Saint-Claude, le 7 février 2022 — Le président, Marcel Jean-Baptiste"),
    ]
    write_application(folder, "questionnaire_lakou_bwa", "odt", app)

    sh = Sheet("Plan de financement")
    sh.put(1, 1, "La Kaz à Bois — plan de financement prévisionnel")
    sh.put(2, 1, "Les montants HT font foi pour le calcul de l'aide ; TVA 8,5 % (Guadeloupe)")
    sh.put(4, 2, "Montants HT")
    sh.merge(4, 2, 4, 4)
    sh.put(4, 6, "Montants TTC")
    sh.merge(4, 6, 4, 8)

    def block(r, title, lines, total_label, totals):
        sh.put(r, 1, title)
        sh.row(r, 2, b.years)
        sh.row(r, 6, b.years)
        r += 1
        ttc = []
        for label, v in lines:
            if v is None:  # a sub-heading
                sh.put(r, 1, label)
                r += 1
                continue
            # VAT on expenses and sales; none on subsidies and contributions
            rate = 1.085 if (title == "DÉPENSES" and not label.startswith("Salaires")) \
                or label.startswith("Ventes") else 1
            ttc.append([round(x * rate) for x in v])
            sh.put(r, 1, label)
            sh.row(r, 2, v, EUR)
            sh.row(r, 6, ttc[-1], EUR)
            r += 1
        sh.put(r, 1, total_label)
        sh.row(r, 2, totals, EUR)
        sh.row(r, 6, [sum(t[i] for t in ttc) for i in range(3)], EUR)
        return r + 2

    r = block(5, "DÉPENSES", [("Fonctionnement", None)] + b.ops + [("Investissement", None)] + b.inv,
              "Total des dépenses", b.expenses())
    block(r, "RESSOURCES", b.products(), "Total des ressources", b.revenues())
    save_book(folder, "plan_financement", [sh], "ods")

    write_truth(truth_path(ident), ident, "2022-02-08T09:47:00+01:00",
                applicant("Lakou Bwa", "La Kaz à Bois", s, "Saint-Claude", "97120", "971", "01"),
                legal("scic"), land("emphyteotic_lease", 35, 1050), [], False,
                ["bois"], False, b.truth())


# =================================================================================================
# unseen-03 — Montreuil (93): letter with the ANCT's and a partner's address, deposit stamp in
# the page header (.doc); matrix on three sheets with a synthesis (formulas) (.xlsx)
# =================================================================================================
def u03():
    ident = "unseen-03"
    folder = new_folder(ident)
    s = make_siret("83920417", "0001")
    b = Budget(Y3,
               ops=[("Matières premières (acier, consommables)", [45000, 60000, 72000]),
                    ("Loyer et charges locatives", [30000, 30000, 30000]),
                    ("Salaires et charges", [110000, 145000, 160000]),
                    ("Formation des apprentis", [8000, 10000, 10000]),
                    ("Frais généraux", [12000, 12500, 13000])],
               inv=[("Table plasma à commande numérique et aspiration", [98000, 0, 0]),
                    ("Postes à souder, plieuse, cintreuse", [64000, 15000, 0]),
                    ("Travaux d'aménagement", [80000, 0, 0])],
               mdp=[("Aide Manufactures de proximité – amorçage", [55000, 35000, 0]),
                    ("Aide Manufactures de proximité – investissement", [175000, 0, 0])],
               aids=[("Département de la Seine-Saint-Denis", [30000, 0, 0])],
               own=[("Emprunt bancaire", [40000, 0, 0]),
                    ("Chiffre d'affaires (ventes et commandes)", None)])
    app = [
        ("header", "Transmis via la plateforme le vendredi 25 février 2022, 17:32"),
        ("p", f"Ferraille & Cie\nSAS au capital de 20 000 €\n47 rue de la Nouvelle-France\n93100 Montreuil\n"
              f"SIRET : {s[:3]}.{s[3:6]}.{s[6:9]}.{s[9:]}"),
        ("p", "Agence nationale de la cohésion des territoires\nProgramme « Nouveaux lieux, nouveaux liens »\n"
              "20 avenue de Ségur\n75007 Paris"),
        ("p", "Copie : Lycée professionnel des Métiers du Métal, 12 rue Sadi-Carnot, 93170 Bagnolet"),
        ("p", "Montreuil, le 21 février 2022"),
        ("b", "Objet : candidature à l'AMI « Manufactures de proximité » – projet « La Boissière Métal »"),
        ("p", "Madame la Directrice, Monsieur le Directeur,"),
        ("p", "Le projet « La Boissière Métal », porté par la SAS Ferraille & Cie, vise à ouvrir à "
              "Montreuil, en Seine-Saint-Denis, un atelier partagé de métallerie. Notre société, créée "
              "en septembre 2018 par deux serruriers-métalliers, emploie aujourd'hui cinq personnes."),
        ("p", "Il n'y a pas de groupement : Ferraille & Cie porte seule la candidature, avec l'appui de "
              "trois partenaires, le lycée professionnel cité en copie, l'association Récup'Est et la "
              "Ville de Montreuil."),
        ("p", "Nous visons un ancien garage d'environ 420 m², rue des Roches. Le bail n'est pas encore "
              "signé : le propriétaire, un bailleur social, a donné son accord de principe et la "
              "rédaction du bail est en cours avec son notaire."),
        ("p", "Le garage se trouve dans le quartier prioritaire de la politique de la ville "
              "La Boissière – Acacias, où le chômage des moins de 26 ans dépasse 30 %."),
        ("p", "On y fabriquera des garde-corps, des escaliers, du mobilier en acier et des pièces de "
              "serrurerie, en bonne partie à partir d'acier de réemploi récupéré sur les chantiers de "
              "démolition du territoire : nous voulons structurer localement la filière du réemploi "
              "des métaux. Le parc comprendra une table de découpe plasma à commande numérique, des "
              "postes à souder MIG et TIG, une plieuse hydraulique et une cintreuse."),
        ("p", f"Pour un budget de {grouped(sum(b.expenses()))} € sur trois ans, nous sollicitons une aide "
              f"de {grouped(b.subsidy())} €."),
        ("p", "Nous vous prions d'agréer, Madame la Directrice, Monsieur le Directeur, l'expression de "
              "nos salutations distinguées."),
        ("p", "Samia Benali, présidente de Ferraille & Cie"),
    ]
    write_application(folder, "lettre_candidature", "doc", app, "Samia Benali")

    fo, inv, syn = Sheet("Fonctionnement"), Sheet("Investissement"), Sheet("Synthèse")
    op_products = [b.mdp[0], b.own[1]]
    inv_products = [b.mdp[1], b.aids[0], b.own[0]]

    def side(sh, r, title, lines, total_label):
        sh.put(r, 1, title)
        sh.row(r, 2, b.years)
        first = r + 1
        for k, (label, v) in enumerate(lines):
            sh.put(first + k, 1, label)
            sh.row(first + k, 2, v, EUR)
        last = first + len(lines) - 1
        sh.put(last + 1, 1, total_label)
        for i in range(3):
            sh.put(last + 1, 2 + i, f"=SUM({L(2 + i)}{first}:{L(2 + i)}{last})", EUR)
        return last + 1

    fo.put(1, 1, "Budget de fonctionnement (€ HT)")
    f_ch = side(fo, 3, "Charges", b.ops, "Total charges de fonctionnement")
    f_pr = side(fo, f_ch + 2, "Produits", op_products, "Total produits de fonctionnement")
    inv.put(1, 1, "Plan d'investissement (€ HT)")
    i_ch = side(inv, 3, "Dépenses d'investissement", b.inv, "Total dépenses d'investissement")
    i_pr = side(inv, i_ch + 2, "Financement", inv_products, "Total financement")
    syn.put(1, 1, "Synthèse — La Boissière Métal")
    syn.row(3, 2, b.years)
    rows = [("Charges de fonctionnement", "Fonctionnement", f_ch),
            ("Dépenses d'investissement", "Investissement", i_ch)]
    r = 4
    for label, name, tr in rows:
        syn.put(r, 1, label)
        for i in range(3):
            syn.put(r, 2 + i, f"='{name}'!{L(2 + i)}{tr}", EUR)
        r += 1
    syn.put(r, 1, "TOTAL EMPLOIS")
    for i in range(3):
        syn.put(r, 2 + i, f"={L(2 + i)}4+{L(2 + i)}5", EUR)
    r += 2
    syn.put(r, 1, "Produits de fonctionnement")
    syn.put(r + 1, 1, "Financement des investissements")
    for i in range(3):
        syn.put(r, 2 + i, f"='Fonctionnement'!{L(2 + i)}{f_pr}", EUR)
        syn.put(r + 1, 2 + i, f"='Investissement'!{L(2 + i)}{i_pr}", EUR)
    syn.put(r + 2, 1, "TOTAL RESSOURCES")
    for i in range(3):
        syn.put(r + 2, 2 + i, f"={L(2 + i)}{r}+{L(2 + i)}{r + 1}", EUR)
    syn.put(r + 3, 1, "dont aide Manufactures de proximité")
    for i in range(3):
        syn.put(r + 3, 2 + i, b.mdp[0][1][i] + b.mdp[1][1][i], EUR)
    save_book(folder, "matrice_boissiere_metal", [syn, fo, inv], "xlsx")

    write_truth(truth_path(ident), ident, "2022-02-25T17:32:00+01:00",
                applicant("Ferraille & Cie", "La Boissière Métal", s, "Montreuil", "93100", "93", "11"),
                legal("sas"), land("negotiation", None, 420), ["qpv"], False,
                ["metal", "reemploi"], True, b.truth())


# =================================================================================================
# unseen-04 — Valence (Tarn-et-Garonne, not the Drôme): slides (.docx, landscape); matrix in a
# long « one line per amount » layout, no totals (.ods)
# =================================================================================================
def u04():
    ident = "unseen-04"
    folder = new_folder(ident)
    s = make_siret("44318026", "0003")
    b = Budget(Y3,
               ops=[("Matières premières agricoles", [28000, 41000, 52000]),
                    ("Emballages (bocaux, capsules)", [9000, 13500, 17000]),
                    ("Énergie et eau", [7500, 9000, 10000]),
                    ("Personnel", [62000, 84000, 96000]),
                    ("Frais divers", [5200, 5600, 6000])],
               inv=[("Autoclave et sertisseuse", [48000, 0, 0]),
                    ("Cellule de refroidissement, éplucheuse", [22000, 6000, 0]),
                    ("Mise aux normes sanitaires du local", [35000, 0, 0])],
               mdp=[("Manufacture de proximité – démarrage", [40000, 25000, 0]),
                    ("Manufacture de proximité – équipement", [85000, 0, 0])],
               aids=[("LEADER (GAL)", [20000, 0, 0]),
                     ("Département de Tarn-et-Garonne", [10000, 0, 0])],
               own=[("Adhésions", [2000, 2500, 3000]),
                    ("Ventes de conserves et prestations de transformation", None)])
    app = [
        ("landscape",),
        ("footer", "Déposé : 20/12/21 – 10:15"),
        ("h", 1, "La Conserverie partagée"),
        ("p", "Candidature à l'AMI Manufactures de proximité"),
        ("p", "Valence, dans le Tarn-et-Garonne — pas celle de la Drôme !"),
        ("break",),
        ("h", 1, "Qui porte le projet ?"),
        ("li", "L'association Les Conserveurs du Pays de Serres, déclarée en préfecture (loi 1901) en 2014"),
        ("li", "Siège : 6 place Sylvain-Dumon, 82400 Valence"),
        ("li", f"SIRET {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
        ("li", "Candidature individuelle : aucun co-porteur"),
        ("li", "Mandat donné au bureau par l'assemblée générale du 4 décembre 2021"),
        ("break",),
        ("h", 1, "Le lieu"),
        ("li", "Nous sommes propriétaires des murs depuis 2019 (acte notarié du 28 juin 2019)"),
        ("li", "310 m² de plancher, quai de livraison, accès poids lourds"),
        ("break",),
        ("h", 1, "Le territoire"),
        ("li", "Territoire rural : vergers, melon, ail blanc de Lomagne"),
        ("li", "Valence est Petite ville de demain depuis 2021"),
        ("li", "Fabrique de territoire : candidature en cours, réponse attendue au printemps"),
        ("li", "Les maraîchers n'ont pas d'outil pour transformer leurs invendus"),
        ("break",),
        ("h", 1, "Ce qui sortira de l'atelier"),
        ("li", "Conserves de légumes et de fruits, plats cuisinés en bocaux, jus et nectars"),
        ("li", "Transformation à façon pour 40 producteurs"),
        ("break",),
        ("h", 1, "Les équipements"),
        ("li", "Autoclave de 200 litres, sertisseuse semi-automatique"),
        ("li", "Cellule de refroidissement rapide, éplucheuse, étiqueteuse"),
        ("break",),
        ("h", 1, "En chiffres"),
        ("li", "Budget sur 3 ans : ~0,56 M€ HT"),
        ("li", f"Aide Manufactures de proximité demandée : {b.subsidy() // 1000} k€"),
        ("li", "6 emplois en 2024"),
    ]
    write_application(folder, "presentation_conserverie", "docx", app, "Bureau")

    sh = Sheet("Données")
    sh.row(1, 1, ["Exercice", "Sens", "Rubrique", "Poste", "Montant HT (€)"])
    r = 2
    for i, y in enumerate(b.years):
        for rub, lines in (("Fonctionnement", b.ops), ("Investissement", b.inv)):
            for label, v in lines:
                sh.row(r, 1, [y, "Charge", rub, label, v[i]], EUR)
                r += 1
        for rub, lines in (("Subvention", b.mdp + b.aids), ("Ressource propre", b.own)):
            for label, v in lines:
                sh.row(r, 1, [y, "Produit", rub, label, v[i]], EUR)
                r += 1
    sh.widths.update({2: 10, 3: 18, 4: 52, 5: 16})
    save_book(folder, "budget_conserverie", [sh], "ods")

    write_truth(truth_path(ident), ident, "2021-12-20T10:15:00+01:00",
                applicant("Les Conserveurs du Pays de Serres", "La Conserverie partagée", s, "Valence",
                          "82400", "82", "76"),
                legal("association"), land("owned", None, 310), ["petites_villes_de_demain"], True,
                ["alimentaire"], False, b.truth())


# =================================================================================================
# unseen-05 — Corte (2B): summary sheet with dotted leaders (.docx), an EPIC; matrix in k€ with a
# Total column (.xls)
# =================================================================================================
def u05():
    ident = "unseen-05"
    folder = new_folder(ident)
    s = make_siret("20006718", "0002")
    b = Budget(Y3,
               ops=[("Matières (cuirs, laines)", [31500, 44000, 52500]),
                    ("Personnel", [124000, 152000, 168500]),
                    ("Fluides et entretien", [14200, 15600, 16100]),
                    ("Communication et commercialisation", [8000, 9500, 9500])],
               inv=[("Machines et outillage", [165400, 12000, 0]),
                    ("Aménagement intérieur", [48000, 0, 0])],
               mdp=[("AMI Manufactures de proximité – soutien à l'amorçage", [70000, 50000, 30000]),
                    ("AMI Manufactures de proximité – soutien à l'investissement", [150000, 0, 0])],
               aids=[("Collectivité de Corse", [45000, 20000, 0]),
                     ("Communauté de communes du Centre Corse", [15000, 15000, 15000])],
               own=[("Ventes", None)])
    dots = lambda k, v: ("p", f"{k} {'.' * max(4, 48 - len(k))} {v}")
    app = [
        ("h", 1, "Fiche de synthèse — AMI Manufactures de proximité"),
        dots("Date et heure de dépôt", "3 mars 2022, 11:52"),
        dots("Structure candidate", "Régie des Ateliers du Centre Corse"),
        dots("Statut", "EPIC (établissement public local à caractère industriel et commercial)"),
        dots("SIRET", f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
        dots("Adresse", "7 cours Paoli"),
        dots("Localité", "20250 Corti / Corte"),
        dots("Département", "Haute-Corse"),
        dots("Nom de la manufacture", "Filu è Coghju"),
        dots("Co-porteurs", "néant"),
        dots("Foncier", "mis à disposition par la Collectivité de Corse (convention d'occupation de "
                        "12 ans), 1.150 m²"),
        dots("Programmes nationaux (PVD, ACV, TI, QPV, Fabrique de territoire)", "aucun à ce jour"),
        ("h", 2, "Historique"),
        ("p", "La régie a été créée par délibération de la communauté de communes du Centre Corse du "
              "14 juin 2019 pour gérer les ateliers municipaux de l'ancienne caserne ; elle a ouvert au "
              "public en 2020. La manufacture s'appellera « Filu è Coghju », le fil et le cuir."),
        ("h", 2, "Diagnostic"),
        ("p", "Corte compte 7 700 habitants ; c'est la seule ville de l'intérieur de l'île, au centre "
              "d'un territoire rural et de montagne. Les éleveurs de brebis et de veaux ne valorisent ni "
              "la laine ni les peaux, qui partent à l'équarrissage."),
        ("h", 2, "Activités"),
        ("p", "Maroquinerie (sacs, ceintures, étuis) à partir de cuirs de veaux corses tannés sur "
              "l'île ; tissage et feutrage de la laine de brebis corse pour des plaids et des "
              "vêtements ; accueil des étudiants de l'université en stage."),
        ("h", 2, "Équipements"),
        ("p", "Brodeuse numérique, machines à coudre industrielles à pied entraîneur, presse à découper "
              "à emporte-pièce, refendeuse, cardeuse."),
    ]
    write_application(folder, "fiche_synthese", "docx", app, "Régie ACC")

    sh = Sheet("Budget")
    sh.put(1, 1, "Filu è Coghju — budget prévisionnel")
    sh.put(2, 1, "en milliers d'euros (k€), hors taxes")
    k = lambda v: [x / 1000 for x in v]
    sh.row(4, 1, ["Dépenses"] + b.years + ["Total"])
    r = 5
    for sub, ls in (("Charges d'exploitation", b.ops), ("Dépenses d'investissement", b.inv)):
        sh.put(r, 1, sub)
        r += 1
        for label, v in ls:
            sh.row(r, 1, ["  " + label] + k(v) + [sum(v) / 1000], "0.0")
            r += 1
    sh.row(r, 1, ["Total dépenses"] + k(b.expenses()) + [sum(b.expenses()) / 1000], "0.0")
    r += 2
    sh.row(r, 1, ["Recettes"] + b.years + ["Total"])
    r += 1
    for label, v in b.products():
        sh.row(r, 1, [label] + k(v) + [sum(v) / 1000], "0.0")
        r += 1
    sh.row(r, 1, ["Total recettes"] + k(b.revenues()) + [sum(b.revenues()) / 1000], "0.0")
    save_book(folder, "budget_kEUR", [sh], "xls")

    write_truth(truth_path(ident), ident, "2022-03-03T11:52:00+01:00",
                applicant("Régie des Ateliers du Centre Corse", "Filu è Coghju", s, "Corte", "20250",
                          "2B", "94"),
                legal("epic"), land("provided_free", 12, 1150), [], True,
                ["cuir", "textile"], True, b.truth())


# =================================================================================================
# unseen-06 — Saint-Affrique: a micro-entrepreneur's letter (.odt), building lent by another
# commune, no deposit date; matrix with amounts typed as text, one unbalanced year (.xlsx)
# =================================================================================================
def u06():
    ident = "unseen-06"
    folder = new_folder(ident)
    s = make_siret("85266941", "0001")
    b = Budget(Y3,
               ops=[("Laine brute et teintures", [6000, 9000, 11000]),
                    ("Rémunérations", [28000, 52000, 76000]),
                    ("Énergie", [3500, 4200, 4800]),
                    ("Assurances, comptabilité", [2400, 2600, 2800])],
               inv=[("Cardeuse et fileuse", [52000, 0, 0]),
                    ("Métier à tricoter numérique", [38000, 0, 0]),
                    ("Travaux de l'ancienne école", [24000, 6000, 0])],
               mdp=[("Aide Manufactures de proximité (fonctionnement)", [20000, 15000, 5000]),
                    ("Aide Manufactures de proximité (équipement)", [78000, 0, 0])],
               aids=[("Région Occitanie", [15000, 0, 0])],
               own=[("Apport personnel", [5000, 0, 0]),
                    ("Ventes (fil, pelotes, feutre)", None)],
               gap=[0, 2300, 0])
    app = [
        ("p", f"Filature du Rougier — Lucie Marty\n14 boulevard de Verdun\n12400 Saint-Affrique\n"
              f"SIRET : {s[:9]} {s[9:]}"),
        ("p", "Saint-Affrique, le 28 février 2022"),
        ("p", "Bonjour,"),
        ("p", "Je m'appelle Lucie Marty. Je suis micro-entrepreneuse (entreprise individuelle) depuis "
              "le 2 octobre 2017, sous le nom commercial « Filature du Rougier » : je file, je teins et "
              "je tricote la laine des brebis lacaune du Sud-Aveyron. Je suis seule à porter ce projet, "
              "même si deux fileuses vont me rejoindre."),
        ("p", "Ici, tout le monde connaît le lait de brebis qui part au Roquefort, mais la laine est "
              "brûlée ou jetée : 400 tonnes par an sur le rayon. Le Sud-Aveyron est un territoire rural "
              "où les jeunes partent faute d'emplois ; Saint-Affrique est Petite ville de demain et "
              "nous sommes dans son bassin de vie."),
        ("p", "La commune de Vabres-l'Abbaye me prête l'ancienne école du bourg par un prêt à usage "
              "de cinq ans (commodat signé en janvier). Il y a 180 m² au sol, une fois la cloison du "
              "préau abattue. C'est là que s'installera ce que nous avons baptisé « La Maison de la "
              "Laine »."),
        ("p", "On y fera du fil, des pelotes, du feutre et des pulls, avec une cardeuse, une fileuse, "
              "un métier à tricoter rectiligne numérique et des cuves de teinture végétale."),
        ("p", "Dès que l'atelier tournera, je transformerai l'activité en SCOP (une SARL coopérative) "
              "avec les deux fileuses, courant 2023."),
        ("p", "Je demande 120 000 € d'aide au titre des Manufactures de proximité ; le tableau joint "
              "détaille les trois années."),
        ("p", "Bien à vous,\nLucie Marty"),
    ]
    write_application(folder, "courrier_candidature", "odt", app)

    def txt(v):
        return f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", NNBSP) + " €"

    sh = Sheet("Tableau")
    sh.put(1, 1, "Budget La Maison de la Laine")
    sh.row(3, 1, ["", "Année 1 (2022)", "Année 2 (2023)", "Année 3 (2024)"])
    r = 4
    sh.put(r, 1, "DÉPENSES")
    r += 1
    for sub, ls in (("Fonctionnement", b.ops), ("Investissement (achats et travaux)", b.inv)):
        sh.put(r, 1, sub)
        r += 1
        for label, v in ls:
            sh.row(r, 1, ["- " + label] + [txt(x) for x in v])
            r += 1
    sh.row(r, 1, ["Total dépenses"] + [txt(x) for x in b.expenses()])
    r += 2
    sh.put(r, 1, "RECETTES")
    r += 1
    for label, v in b.products():
        sh.row(r, 1, [label] + [txt(x) for x in v])
        r += 1
    sh.row(r, 1, ["Total recettes"] + [txt(x) for x in b.revenues()])
    sh.widths.update({2: 18, 3: 18, 4: 18})
    save_book(folder, "budget_maison_laine", [sh], "xlsx")

    write_truth(truth_path(ident), ident, None,
                applicant("Filature du Rougier", "La Maison de la Laine", s, "Saint-Affrique", "12400",
                          "12", "76"),
                legal("individual", planned="scop"), land("provided_free", 5, 180),
                ["petites_villes_de_demain"], True, ["textile"], True, b.truth())


# =================================================================================================
# unseen-07 — La Souterraine: the mayor's letter (.doc), a commune applying in its own name,
# deposit stamp twenty minutes after the wave-2 deadline; matrix as one « charges | produits »
# table per year, stacked (.xls)
# =================================================================================================
def u07():
    ident = "unseen-07"
    folder = new_folder(ident)
    s = make_siret("21231760", "0001")
    b = Budget(Y3,
               ops=[("60 – Achats", [18000, 24000, 28000]),
                    ("61 – Services extérieurs", [15000, 16000, 16500]),
                    ("62 – Autres services extérieurs", [9000, 9500, 10000]),
                    ("64 – Charges de personnel", [85000, 110000, 118000])],
               inv=[("21 – Investissement : équipements (machines)", [130000, 20000, 0]),
                    ("23 – Investissement : travaux de réhabilitation", [260000, 40000, 0])],
               mdp=[("74 – Manufactures de proximité (amorçage)", [50000, 30000, 0]),
                    ("13 – Manufactures de proximité (investissement)", [150000, 0, 0])],
               aids=[("13 – DETR", [90000, 20000, 0]),
                     ("13 – Région Nouvelle-Aquitaine", [60000, 0, 0]),
                     ("74 – Département de la Creuse", [10000, 10000, 0])],
               own=[("70 – Ventes et prestations", [20000, 45000, 80000]),
                    ("Autofinancement communal", None)])
    app = [
        ("p", "République française\nCommune de La Souterraine\nHôtel de ville – Place de la Mairie\n"
              f"23300 La Souterraine\nSIRET : {s}"),
        ("p", "Le Maire\nà\nMonsieur le Directeur général de l'Agence nationale de la cohésion des "
              "territoires\n20 avenue de Ségur – 75007 Paris"),
        ("p", "La Souterraine, le 12 janvier 2022"),
        ("b", "Objet : AMI « Manufactures de proximité » – candidature de la commune"),
        ("p", "Monsieur le Directeur général,"),
        ("p", "Par délibération du 16 décembre 2021, le conseil municipal m'a autorisé à présenter la "
              "candidature de la commune, collectivité territoriale, à l'appel à manifestation "
              "d'intérêt « Manufactures de proximité ». La commune est seule candidate ; la recyclerie "
              "associative du Pays sostranien et la communauté de communes sont nos partenaires."),
        ("p", "Le lieu, nommé « La Gare aux Ateliers », occupera l'ancienne halle de fret SNCF, "
              "propriété de la commune depuis 2018 : 2 300 m² sous charpente métallique, à deux pas de "
              "la gare."),
        ("p", "La Souterraine, 5 000 habitants, est une commune rurale du nord de la Creuse, lauréate "
              "du programme Petites villes de demain. Elle n'est pas concernée par Action cœur de ville."),
        ("p", "La Gare aux Ateliers accueillera une ressourcerie et une menuiserie de réemploi : du "
              "mobilier fabriqué à partir de bois de récupération issu des déchetteries et des "
              "chantiers, réparé, recoupé, assemblé. Elle s'équipera d'une fraiseuse CNC grand format, "
              "d'une scie à panneaux et d'une raboteuse."),
        ("p", "Je vous prie d'agréer, Monsieur le Directeur général, l'expression de ma considération "
              "distinguée."),
        ("p", "Le Maire, Étienne Lavaud"),
        ("p", "Accusé de réception de la plateforme : dossier déposé le jeudi 13 janvier 2022 à 12 h 20."),
    ]
    write_application(folder, "courrier_du_maire", "doc", app, "Mairie")

    sh = Sheet("Budget")
    sh.put(1, 1, "LA GARE AUX ATELIERS — BUDGET PRÉVISIONNEL (€ HT)")
    r = 3
    for i, y in enumerate(b.years):
        sh.put(r, 1, f"EXERCICE {y}")
        sh.merge(r, 1, r, 5)
        r += 1
        sh.row(r, 1, ["CHARGES", "Montant", None, "PRODUITS", "Montant"])
        r += 1
        ch, pr = b.charges(), b.products()
        for k in range(max(len(ch), len(pr))):
            if k < len(ch):
                sh.row(r, 1, [ch[k][0], ch[k][1][i]], EUR)
            if k < len(pr):
                sh.row(r, 4, [pr[k][0], pr[k][1][i]], EUR)
            r += 1
        sh.row(r, 1, ["TOTAL DES CHARGES", b.expenses()[i], None, "TOTAL DES PRODUITS", b.revenues()[i]], EUR)
        r += 3
    sh.widths.update({2: 14, 3: 4, 4: 46, 5: 14})
    save_book(folder, "budget_gare_aux_ateliers", [sh], "xls")

    write_truth(truth_path(ident), ident, "2022-01-13T12:20:00+01:00",
                applicant("Commune de La Souterraine", "La Gare aux Ateliers", s, "La Souterraine",
                          "23300", "23", "75"),
                legal("local_authority"), land("owned", None, 2300), ["petites_villes_de_demain"], True,
                ["reemploi", "bois"], True, b.truth())


# =================================================================================================
# unseen-08 — Forges-les-Eaux: numbered questions, manufacture name in the page header (.docx);
# SCOP SARL; matrix exported in cents with account numbers and a Total column (.xlsx)
# =================================================================================================
def u08():
    ident = "unseen-08"
    folder = new_folder(ident)
    s = make_siret("53071846", "0002")
    b = Budget(Y3,
               ops=[("Achats de tissus et fils", [48000, 62000, 71000]),
                    ("Sous-traitance", [6000, 6500, 7000]),
                    ("Salaires et charges sociales", [210000, 232000, 248000]),
                    ("Loyer", [24000, 24000, 24000]),
                    ("Frais généraux", [15500, 16200, 16800])],
               inv=[("Brodeuse numérique six têtes", [64000, 0, 0]),
                    ("Machines à coudre et surjeteuse", [41000, 9000, 0]),
                    ("Carrousel de sérigraphie et séchoir", [23000, 0, 0])],
               mdp=[("Subvention Manufactures de proximité – amorçage", [60000, 40000, 20000]),
                    ("Subvention Manufactures de proximité – investissement", [120000, 0, 0])],
               aids=[("Région Normandie", [30000, 0, 0])],
               own=[("Ventes de produits finis", None)])
    app = [
        ("header", "Manufacture « Les Ourdisseuses » — dossier de candidature"),
        ("p", "Déposée en ligne le 6/01/2022 à 9h"),
        ("b", "Q.1 — Présentez la structure candidate."),
        ("p", "Fil & Trame est une société coopérative et participative (SCOP) constituée en SARL, "
              "immatriculée le 4 avril 2011 au RCS de Dieppe. Elle compte 14 salariés, dont 11 associés. "
              f"Siège : 3 rue du Maréchal-Leclerc, 76440 Forges-les-Eaux. SIRET {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}."),
        ("b", "Q.2 — Le projet est-il porté en consortium ?"),
        ("p", "Non, il s'agit d'une candidature individuelle de la SCOP."),
        ("b", "Q.3 — Où le projet s'implante-t-il ?"),
        ("p", "À Forges-les-Eaux, dans le pays de Bray, territoire rural de Seine-Maritime à 45 minutes "
              "de Rouen. Malgré son nom, la ville n'a plus de forge depuis longtemps : c'est une station "
              "thermale, et ses ateliers de confection ont fermé dans les années 1990."),
        ("b", "Q.4 — De quels locaux disposez-vous ?"),
        ("p", "D'un bail commercial 3-6-9 signé le 1er juillet 2021 avec la commune, pour 800 m2 "
              "d'ateliers dans l'ancienne bonneterie."),
        ("b", "Q.5 — Le territoire relève-t-il de programmes de l'ANCT ?"),
        ("p", "Forges-les-Eaux est Petite ville de demain. Nous espérons une labellisation Territoires "
              "d'industrie du pays de Bray, qui n'est pas encore acquise."),
        ("b", "Q.6 — Quelles activités ?"),
        ("p", "La confection de vêtements de travail et de linge de maison, le tissage de toiles de "
              "lin, la sérigraphie et l'impression textile sur les pièces produites. Une cuisine "
              "partagée est prévue pour les salariés, et un technicien assurera la réparation des "
              "machines à coudre de l'atelier."),
        ("b", "Q.7 — Quels équipements ?"),
        ("p", "Douze machines à coudre industrielles, une surjeteuse, une brodeuse six têtes à commande "
              "numérique, un carrousel de sérigraphie manuel et un métier à tisser. Pas de découpe laser."),
        ("b", "Q.8 — Quel montant sollicitez-vous ?"),
        ("p", f"{grouped(b.subsidy(), '.')} € au total (amorçage et investissement)."),
        ("p", "Pour la SCOP, la gérante : Nadège Lecomte"),
    ]
    write_application(folder, "dossier_ourdisseuses", "docx", app, "Nadège Lecomte")

    sh = Sheet("Export")
    sh.put(1, 1, "Prévisionnel Les Ourdisseuses — montants exprimés en centimes d'euro, HT")
    sh.row(3, 1, ["Libellé", "Compte", "2022", "2023", "2024", "Total"])
    accounts = {"Achats de tissus et fils": "601", "Sous-traitance": "604",
                "Salaires et charges sociales": "641", "Loyer": "613", "Frais généraux": "625",
                "Brodeuse numérique six têtes": "2154", "Machines à coudre et surjeteuse": "2154",
                "Carrousel de sérigraphie et séchoir": "2154", "Région Normandie": "74",
                "Ventes de produits finis": "701"}
    r = 4
    for title, lines, tot_label, tot in (("CHARGES", [("Charges (classe 6)", None)] + b.ops +
                                          [("Immobilisations (classe 2)", None)] + b.inv,
                                          "Total charges", b.expenses()),
                                         ("PRODUITS", b.products(), "Total produits", b.revenues())):
        sh.put(r, 1, title)
        r += 1
        for label, v in lines:
            if v is None:
                sh.put(r, 1, label)
                r += 1
                continue
            sh.row(r, 1, [label, accounts.get(label, "74")] + [x * 100 for x in v] + [sum(v) * 100], "0")
            r += 1
        sh.row(r, 1, [tot_label, ""] + [x * 100 for x in tot] + [sum(tot) * 100], "0")
        r += 2
    sh.widths.update({3: 14, 4: 14, 5: 14, 6: 14})
    save_book(folder, "previsionnel_centimes", [sh], "xlsx")

    write_truth(truth_path(ident), ident, "2022-01-06T09:00:00+01:00",
                applicant("Fil & Trame", "Les Ourdisseuses", s, "Forges-les-Eaux", "76440", "76", "28"),
                legal("scop"), land("lease", 9, 800), ["petites_villes_de_demain"], True,
                ["textile", "impression"], True, b.truth())


# =================================================================================================
# unseen-09 — L'Isle-sur-la-Sorgue: form with checkboxes (.docx), EURL, purchase in progress;
# matrix with N / N+1 / N+2, a % column per year and unusual total labels (.xlsx)
# =================================================================================================
def u09():
    ident = "unseen-09"
    folder = new_folder(ident)
    s = make_siret("79182035", "0001")
    b = Budget(Y3,
               ops=[("Terres, émaux, verre", [18000, 24000, 28000]),
                    ("Gaz et électricité", [14000, 17000, 19000]),
                    ("Salaires", [72000, 96000, 104000]),
                    ("Honoraires et assurances", [7000, 7500, 7800])],
               inv=[("Acquisition et travaux du bâtiment", [240000, 0, 0]),
                    ("Fours, tours, imprimante 3D", [86000, 12000, 0])],
               mdp=[("MdP – aide au démarrage", [45000, 30000, 10000]),
                    ("MdP – aide à l'investissement", [120000, 0, 0])],
               aids=[("FEDER", [60000, 0, 0]), ("Région Sud", [25000, 0, 0])],
               own=[("Emprunt bancaire", [150000, 0, 0]),
                    ("Apport de l'associé unique", [20000, 0, 0]),
                    ("Ventes et stages", None)])
    app = [
        ("h", 1, "Formulaire de candidature — Manufactures de proximité"),
        ("p", "Dépôt : lundi 7 février 2022 à midi"),
        ("table", [
            ["Rubrique", "Réponse"],
            ["Raison sociale", "Terres de Sorgue"],
            ["Forme juridique", "☐ Association   ☐ SCOP   ☐ SCIC   ☐ SAS   ☒ EURL / SARL unipersonnelle   "
                                "☐ Autre : ……"],
            ["Capital social", "5 000 €"],
            ["SIRET", f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"],
            ["Adresse", "22 avenue des Quatre-Otages"],
            ["CP / Ville", "84800 L'Isle-sur-la-Sorgue"],
            ["Nom de la manufacture", "« La Fabrique des Arts du Feu »"],
            ["Portage", "☒ Structure seule   ☐ Consortium (préciser le chef de file) : ……"],
            ["Maîtrise foncière", "☐ Propriétaire   ☐ Locataire   ☒ Acquisition en cours   "
                                  "☐ Mise à disposition   ☐ Aucune\nCompromis de vente signé le "
                                  "12 novembre 2021, acte authentique prévu en avril 2022 ; 560 m²."],
            ["Le projet est situé (cocher)", "☐ dans une commune Petites villes de demain\n"
                                             "☐ dans une commune Action cœur de ville\n"
                                             "☒ dans un Territoire d'industrie\n"
                                             "☐ dans un quartier prioritaire (QPV)\n"
                                             "☐ dans une Fabrique de territoire"],
        ], True),
        ("h", 2, "Description du projet"),
        ("p", "L'Isle-sur-la-Sorgue, ville de 20 000 habitants connue pour ses antiquaires, a perdu ses "
              "derniers ateliers de faïence. Terres de Sorgue, EURL créée en 2016 par une céramiste, "
              "veut y réunir des céramistes (grès, faïence, émaux) et un souffleur de verre dans une "
              "ancienne fabrique de bourre de soie, et y accueillir des stagiaires."),
        ("p", "Équipements : deux fours électriques, un four à gaz pour le raku, trois tours de potier, "
              "une imprimante 3D céramique, un four de verrier et son arche de recuisson."),
        ("p", "Montant demandé : 210 000 €."),
        ("p", "Signé : Claire Ventura, gérante et associée unique"),
    ]
    write_application(folder, "formulaire_terres_de_sorgue", "docx", app, "Claire Ventura")

    sh = Sheet("Plan de financement")
    sh.put(1, 1, "Plan de financement — La Fabrique des Arts du Feu")
    sh.put(2, 1, "N = 2022 (premier exercice) ; montants HT en euros")
    sh.row(4, 1, ["Poste", "N", "%", "N+1", "%", "N+2", "%"])
    r = 5

    def lines(r, title, ls, tot_label, tot):
        sh.put(r, 1, title)
        r += 1
        for label, v in ls + [(tot_label, tot)]:
            sh.put(r, 1, label)
            if v is None:  # a sub-heading
                r += 1
                continue
            for i in range(3):
                sh.put(r, 2 + 2 * i, v[i], EUR)
                sh.put(r, 3 + 2 * i, round(v[i] / tot[i], 4) if tot[i] else 0, "0.0%")
            r += 1
        return r + 1

    emplois = [("Charges de fonctionnement", None)] + b.ops + [("Investissements", None)] + b.inv
    r = lines(r, "Emplois", emplois, "Coût complet du projet", b.expenses())
    lines(r, "Ressources", b.products(), "Ressources mobilisées", b.revenues())
    save_book(folder, "plan_financement_arts_du_feu", [sh], "xlsx")

    write_truth(truth_path(ident), ident, "2022-02-07T12:00:00+01:00",
                applicant("Terres de Sorgue", "La Fabrique des Arts du Feu", s, "L'Isle-sur-la-Sorgue",
                          "84800", "84", "93"),
                legal("eurl"), land("purchase_in_progress", None, 560), ["territoires_d_industrie"], False,
                ["ceramique", "verre"], True, b.truth())


# =================================================================================================
# unseen-10 — Le Creusot: a consortium of three, the association is chef de file; temporary site
# until 2023 (.odt, roman-numbered headings); matrix with the years in rows under a two-row merged
# header, formula totals (.ods)
# =================================================================================================
def u10():
    ident = "unseen-10"
    folder = new_folder(ident)
    s = make_siret("82961054", "0001")
    b = Budget(Y3,
               ops=[("Fonctionnement", [210000, 265000, 290000])],
               inv=[("Investissement", [420000, 180000, 40000])],
               mdp=[("Manufacture de proximité – fonctionnement", [60000, 40000, 20000]),
                    ("Manufacture de proximité – investissement", [150000, 60000, 0])],
               aids=[("Communauté urbaine Creusot-Montceau", [80000, 40000, 0]),
                     ("Région Bourgogne-Franche-Comté", [120000, 60000, 0])],
               own=[("Recettes d'activité", None)])
    app = [
        ("h", 1, "Manufacture de proximité du Creusot — dossier du groupement"),
        ("p", "Enregistré le 11.01.2022 – 16h40"),
        ("h", 2, "I. — Le groupement"),
        ("p", "La candidature est portée par un groupement de trois structures : l'association "
              "Creusot Fabrique, chef de file, la SCOP Métallerie du Morvan et le lycée Léon-Blum. Une "
              "convention de groupement a été signée lors du comité de pilotage du 18 novembre 2021."),
        ("p", "Creusot Fabrique est une association loi 1901 créée en 2017 ; siège : 2 rue du Guide, "
              f"71200 Le Creusot ; SIRET {s}. La communauté urbaine Creusot-Montceau et la Région "
              "Bourgogne-Franche-Comté financent le projet sans être membres du groupement."),
        ("h", 2, "II. — Le site"),
        ("p", "Le site définitif est l'ancienne halle d'usinage des ateliers du Breuil, 3 200 m², que la "
              "communauté urbaine nous confie par un bail emphytéotique administratif d'une durée de "
              "dix-huit ans. En attendant la fin des travaux, prévue en 2023, l'activité démarre dans "
              "un local provisoire de 200 m² prêté par la CCI."),
        ("h", 2, "III. — Le territoire"),
        ("p", "Le Creusot, 20 000 habitants, est une ville industrielle engagée dans le programme "
              "Action cœur de ville ; le bassin est labellisé Territoire d'industrie Creusot-Montceau. "
              "Les sous-traitants de la vallée peinent à recruter des usineurs et des chaudronniers."),
        ("h", 2, "IV. — Les activités et le parc machines"),
        ("p", "Chaudronnerie, usinage de précision, fabrication de cartes électroniques et bobinage pour "
              "les PME de la vallée ; formation des élèves du lycée en alternance."),
        ("p", "Parc : fraiseuse CNC 5 axes, tour conventionnel, imprimante 3D métal, four de refusion "
              "pour cartes électroniques, bobineuse."),
        ("h", 2, "V. — Le financement"),
        ("p", "Le budget consolidé atteint 1,4 M€ sur trois ans ; la matrice jointe en donne le détail."),
    ]
    write_application(folder, "dossier_groupement_creusot", "odt", app)

    sh = Sheet("Budget consolidé")
    sh.put(1, 1, "Budget consolidé du groupement (€ HT)")
    sh.put(3, 1, "Exercice")
    sh.merge(3, 1, 4, 1)
    sh.put(3, 2, "CHARGES")
    sh.merge(3, 2, 3, 4)
    sh.put(3, 5, "PRODUITS")
    sh.merge(3, 5, 3, 10)
    heads = ["Fonctionnement", "Investissement", "Total charges"] + [l for l, _ in b.products()] + \
            ["Total produits"]
    sh.row(4, 2, heads)
    for i, y in enumerate(b.years):
        r = 5 + i
        sh.put(r, 1, y)
        sh.put(r, 2, b.ops[0][1][i], EUR)
        sh.put(r, 3, b.inv[0][1][i], EUR)
        sh.put(r, 4, f"=B{r}+C{r}", EUR)
        for k, (_, v) in enumerate(b.products()):
            sh.put(r, 5 + k, v[i], EUR)
        sh.put(r, 10, f"=SUM(E{r}:I{r})", EUR)
    sh.widths.update({c: 20 for c in range(2, 11)})
    save_book(folder, "budget_groupement", [sh], "ods")

    write_truth(truth_path(ident), ident, "2022-01-11T16:40:00+01:00",
                applicant("Creusot Fabrique", "Manufacture de proximité du Creusot", s, "Le Creusot",
                          "71200", "71", "27"),
                legal("association", consortium=True, lead="Creusot Fabrique"),
                land("emphyteotic_lease", 18, 3200, True, 2023),
                ["action_coeur_de_ville", "territoires_d_industrie"], False,
                ["metal", "electronique"], True, b.truth())


# =================================================================================================
# unseen-11 — Saint-Denis (La Réunion): letter whose identity sits in the page footer (.doc), a
# SEM; matrix with a « Réalisé 2021 » column before the three forecast years and a Total (.xls)
# =================================================================================================
def u11():
    ident = "unseen-11"
    folder = new_folder(ident)
    s = make_siret("41976208", "0004")
    b = Budget(Y3,
               ops=[("Achats de pièces et composants", [35000, 48000, 56000]),
                    ("Loyer de l'entrepôt", [72000, 72000, 72000]),
                    ("Salaires (dont contrats d'insertion)", [240000, 310000, 340000]),
                    ("Transport et collecte", [18000, 22000, 24000]),
                    ("Autres charges", [16000, 17000, 18000])],
               inv=[("Équipements d'atelier", [95000, 20000, 10000]),
                    ("Aménagement de l'entrepôt", [130000, 0, 0])],
               mdp=[("Manufactures de proximité – amorçage", [80000, 50000, 20000]),
                    ("Manufactures de proximité – investissement", [170000, 0, 0])],
               aids=[("FEDER (programme Réunion)", [60000, 0, 0]),
                     ("Aides aux postes d'insertion (État)", [90000, 110000, 120000])],
               own=[("Ventes d'appareils reconditionnés et réparations", None)])
    done_2021 = {"Achats de pièces et composants": 22000, "Salaires (dont contrats d'insertion)": 180000,
                 "Transport et collecte": 12000, "Autres charges": 9000,
                 "Aides aux postes d'insertion (État)": 70000,
                 "Ventes d'appareils reconditionnés et réparations": 153000}
    app = [
        ("footer", f"Réunion Fabrik – société anonyme d'économie mixte locale au capital de 1 200 000 € – "
                   f"12 rue de Paris, 97400 Saint-Denis – RCS Saint-Denis – SIRET {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
        ("p", "Réceptionné le 2 déc. 2021 à 8 h 05 (heure de Paris)"),
        ("p", "Saint-Denis, le 29 novembre 2021"),
        ("p", "À l'attention de l'équipe « Nouveaux lieux, nouveaux liens »\nANCT – 20 avenue de Ségur – 75007 Paris"),
        ("b", "Candidature à l'appel à manifestation d'intérêt « Manufactures de proximité »"),
        ("p", "Madame, Monsieur,"),
        ("p", "La SEM Réunion Fabrik, dont la Ville de Saint-Denis est l'actionnaire majoritaire, présente "
              "seule sa candidature. Le lieu portera le nom de « La Fabrik du Chaudron »."),
        ("p", "Nous avons conclu avec un bailleur privé un bail de douze ans pour un entrepôt de 1 480 m², "
              "au cœur du quartier prioritaire du Chaudron."),
        ("p", "L'atelier réparera et reconditionnera de l'électroménager, des ordinateurs et des "
              "téléphones collectés sur l'île, et fabriquera de petites séries de cartes électroniques "
              "pour les réparateurs. Il sera équipé d'une station de soudage CMS, d'un four de refusion, "
              "d'oscilloscopes et d'une imprimante 3D pour les pièces détachées introuvables."),
        ("p", "Notre activité de collecte existe depuis 2019 ; ses comptes 2021 figurent dans la matrice "
              "à titre de comparaison."),
        ("p", "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.\nJean-Hugues Payet, "
              "directeur général"),
    ]
    write_application(folder, "courrier_sem_reunion_fabrik", "doc", app, "Réunion Fabrik")

    sh = Sheet("Matrice")
    sh.put(1, 1, "La Fabrik du Chaudron — matrice budgétaire (€ HT)")
    sh.row(3, 1, ["", "Réalisé 2021", "Prévisionnel 2022", "Prévisionnel 2023", "Prévisionnel 2024",
                  "Total 2022-2024"])
    r = 4
    for title, ls, tl, tot in (("DÉPENSES", [("Exploitation", None)] + b.ops + [("Investissements", None)] + b.inv,
                                "Total dépenses", b.expenses()),
                               ("RECETTES", b.products(), "Total recettes", b.revenues())):
        sh.put(r, 1, title)
        r += 1
        for label, v in ls:
            if v is None:
                sh.put(r, 1, label)
                r += 1
                continue
            sh.row(r, 1, [label, done_2021.get(label, 0)] + v + [sum(v)], EUR)
            r += 1
        d21 = sum(done_2021.get(l, 0) for l, v in ls if v is not None)
        sh.row(r, 1, [tl, d21] + tot + [sum(tot)], EUR)
        r += 2
    sh.widths.update({c: 18 for c in range(2, 7)})
    save_book(folder, "matrice_budgetaire", [sh], "xls")

    write_truth(truth_path(ident), ident, "2021-12-02T08:05:00+01:00",
                applicant("Réunion Fabrik", "La Fabrik du Chaudron", s, "Saint-Denis", "97400", "974", "04"),
                legal("sem"), land("lease", 12, 1480), ["qpv"], False,
                ["reemploi", "electronique"], True, b.truth())


# =================================================================================================
# unseen-12 — Lodève: association (.odt), no deposit date but « troisième vague » stated; no
# premises any more; SCIC planned; subsidy above 80 %; matrix « Exercice 1 (2022) » … (.ods)
# =================================================================================================
def u12():
    ident = "unseen-12"
    folder = new_folder(ident)
    s = make_siret("42817730", "0002")
    b = Budget(Y3,
               ops=[("Papier et encres", [6000, 8000, 9000]),
                    ("Salaires", [38000, 42000, 44000]),
                    ("Stockage du matériel", [3600, 3600, 3600]),
                    ("Frais divers", [2400, 2600, 2800])],
               inv=[("Graveuse laser et massicot", [28000, 0, 0]),
                    ("Remise en état des presses", [12000, 0, 0])],
               mdp=[("Manufactures de proximité – amorçage", [40000, 45000, 45000]),
                    ("Manufactures de proximité – équipement", [35000, 0, 0])],
               aids=[("LEADER", [4000, 0, 0])],
               own=[("Adhésions et ventes", None)])
    app = [
        ("h", 1, "L'Encre et la Presse — candidature Manufactures de proximité"),
        ("p", "La présente candidature est déposée au titre de la troisième vague de l'AMI."),
        ("h", 2, "Présentation de l'association"),
        ("p", "L'Encre et la Presse, association fondée en 1998, fait vivre l'imprimerie typographique "
              "dans le Lodévois.\nSiège social : 5 place de l'Hôtel-de-Ville, 34700 Lodève\n"
              f"SIRET : {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
        ("p", "L'assemblée générale a voté le principe d'une transformation en SCIC, prévue pour 2023, "
              "afin d'associer les artistes et la commune à la gouvernance."),
        ("h", 2, "Notre situation immobilière"),
        ("p", "Nous ne sommes plus locataires de l'ancien atelier de la Grand'Rue depuis le 31 décembre "
              "2021 : le propriétaire a vendu. Le matériel est stocké chez des adhérents et nous "
              "cherchons un local ; aucun n'est identifié à ce jour."),
        ("h", 2, "Le territoire"),
        ("p", "Lodève, 7 500 habitants, est une petite ville de l'arrière-pays héraultais, en territoire "
              "rural, retenue au titre de Petites villes de demain ; son centre ancien est classé "
              "quartier prioritaire de la politique de la ville."),
        ("h", 2, "Le projet d'atelier"),
        ("p", "Ce que nous appellerons « L'Imprimerie du Lodévois » proposera l'impression "
              "typographique, la gravure en taille-douce, la linogravure, la reliure et l'édition de "
              "livres d'artistes, avec une presse typographique Heidelberg, une presse à épreuves, un "
              "massicot et une graveuse laser."),
        ("h", 2, "Le financement"),
        ("p", "Sans local, l'association ne dégage presque plus de recettes : l'aide sollicitée couvre "
              "l'essentiel des trois premières années."),
        ("p", "Lodève, le 2 mars 2022 — Pour le conseil d'administration, Hélène Rouquette, présidente"),
    ]
    write_application(folder, "candidature_encre_et_presse", "odt", app)

    sh = Sheet("Budget")
    sh.put(1, 1, "Budget prévisionnel — L'Imprimerie du Lodévois")
    sh.row(3, 1, ["Charges", "Exercice 1 (2022)", "Exercice 2 (2023)", "Exercice 3 (2024)"])
    r = 4
    for sub, ls in (("Fonctionnement", b.ops), ("Investissement", b.inv)):
        sh.put(r, 1, sub)
        r += 1
        for label, v in ls:
            sh.row(r, 1, [label] + v, EUR)
            r += 1
    sh.row(r, 1, ["Total général des charges"] + b.expenses(), EUR)
    r += 2
    sh.row(r, 1, ["Produits", "Exercice 1 (2022)", "Exercice 2 (2023)", "Exercice 3 (2024)"])
    r += 1
    for label, v in b.products():
        sh.row(r, 1, [label] + v, EUR)
        r += 1
    sh.row(r, 1, ["Total général des produits"] + b.revenues(), EUR)
    sh.widths.update({c: 18 for c in range(2, 5)})
    save_book(folder, "budget_imprimerie", [sh], "ods")

    write_truth(truth_path(ident), ident, None,
                applicant("L'Encre et la Presse", "L'Imprimerie du Lodévois", s, "Lodève", "34700", "34", "76"),
                legal("association", planned="scic"), land("none"),
                ["petites_villes_de_demain", "qpv"], True, ["impression"], True, b.truth(), wave=3)


# =================================================================================================
# unseen-13 — Sedan: a GIE answering numbered questions (.docx), invalid SIRET, no digital
# machine; matrix with a « Subventions publiques » block and its sub-total, last year unbalanced (.xlsx)
# =================================================================================================
def u13():
    ident = "unseen-13"
    folder = new_folder(ident)
    good = make_siret("51327406", "0001")
    s = good[:-1] + str((int(good[-1]) + 3) % 10)  # a typing error: fails the Luhn check
    b = Budget(Y3,
               ops=[("Matières (acier, fonte, fuel)", [62000, 78000, 85000]),
                    ("Énergie", [48000, 56000, 60000]),
                    ("Personnel mis à disposition par les membres", [140000, 165000, 172000]),
                    ("Maintenance et assurances", [21000, 23000, 24000])],
               inv=[("Four à induction", [180000, 0, 0]),
                    ("Presse hydraulique et marteau-pilon", [115000, 0, 0]),
                    ("Machines-outils conventionnelles", [45000, 25000, 0])],
               mdp=[("Dispositif Manufactures de proximité – amorçage", [50000, 40000, 20000]),
                    ("Dispositif Manufactures de proximité – investissement", [150000, 0, 0])],
               aids=[("Région Grand Est – Climaxion", [70000, 0, 0]), ("FEDER", [90000, 0, 0]),
                     ("Ardenne Métropole", [20000, 10000, 0])],
               own=[("Cotisations des membres du GIE", [60000, 60000, 60000]),
                    ("Prestations facturées", None)],
               gap=[0, 0, 4500])
    app = [
        ("p", "Horodatage de la plateforme : le 13/01/22 à 11 h 47"),
        ("h", 1, "Le Marteau Commun — réponses au questionnaire"),
        ("b", "1) Qui êtes-vous ?"),
        ("p", "Le GIE Ardennes Forge & Fonderie est un groupement d'intérêt économique constitué en 2015 "
              "par cinq entreprises de forge et de fonderie du Sedanais. Siège : 14 avenue de la "
              f"Marne, 08200 Sedan. N° SIRET : {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}."),
        ("b", "2) Le projet est-il collectif ?"),
        ("p", "Le GIE dépose seul la candidature ; ses membres ne sont pas co-porteurs, ils utiliseront "
              "l'équipement comme les autres entreprises du bassin."),
        ("b", "3) Comment s'appellera le lieu ?"),
        ("p", "Nous l'avons nommé « Le Marteau Commun »."),
        ("b", "4) Où sera-t-il installé ?"),
        ("p", "Dans 4 000 m² de l'ancienne fonderie du Fond de Givonne, que l'Établissement public "
              "foncier de Grand Est met à notre disposition par une convention d'occupation temporaire "
              "de six ans signée le 22 octobre 2021."),
        ("b", "5) Quel est le contexte territorial ?"),
        ("p", "Sedan, bassin industriel des Ardennes, bénéficie du programme Action cœur de ville et "
              "appartient au Territoire d'industrie Ardennes. La métallurgie y a perdu 4 000 emplois en "
              "trente ans."),
        ("b", "6) Que produira-t-on ?"),
        ("p", "Des pièces forgées et moulées en petites séries (outillage agricole, ferronnerie, pièces "
              "de rechange pour l'industrie) ; des stages de forge pour les demandeurs d'emploi."),
        ("b", "7) Quel matériel ?"),
        ("p", "Un four à induction, une presse hydraulique de 400 tonnes, un marteau-pilon, une fraiseuse "
              "conventionnelle et un tour parallèle. Aucune machine à commande numérique n'est prévue : "
              "nos membres en disposent déjà dans leurs propres ateliers."),
        ("b", "8) Quelle aide demandez-vous ?"),
        ("p", "Une aide de 280 000 € au titre des Manufactures de proximité."),
    ]
    write_application(folder, "questionnaire_marteau_commun", "docx", app, "GIE AFF")

    sh = Sheet("Budget")
    sh.put(1, 1, "Le Marteau Commun — budget prévisionnel HT")
    sh.put(3, 2, "Prévisionnel")
    sh.merge(3, 2, 3, 4)
    sh.row(4, 1, ["", "2022", "2023", "2024"])
    r = 5
    sh.put(r, 1, "CHARGES")
    r += 1
    for title, ls in (("Exploitation", b.ops), ("Investissements", b.inv)):
        sh.put(r, 1, title)
        r += 1
        for label, v in ls:
            sh.row(r, 1, ["   " + label] + v, EUR)
            r += 1
    sh.row(r, 1, ["TOTAL GÉNÉRAL"] + b.expenses(), EUR)
    r += 2
    sh.put(r, 1, "PRODUITS")
    r += 1
    sh.put(r, 1, "Subventions publiques")
    r += 1
    for label, v in b.mdp + b.aids:
        sh.row(r, 1, ["   " + label] + v, EUR)
        r += 1
    sub = [sum(v[i] for _, v in b.mdp + b.aids) for i in range(3)]
    sh.row(r, 1, ["Sous-total subventions publiques"] + sub, EUR)
    r += 1
    for label, v in b.own:
        sh.row(r, 1, [label] + v, EUR)
        r += 1
    sh.row(r, 1, ["TOTAL GÉNÉRAL"] + b.revenues(), EUR)
    sh.widths.update({c: 16 for c in range(2, 5)})
    save_book(folder, "budget_marteau_commun", [sh], "xlsx")

    write_truth(truth_path(ident), ident, "2022-01-13T11:47:00+01:00",
                applicant("GIE Ardennes Forge & Fonderie", "Le Marteau Commun", s, "Sedan", "08200", "08", "44"),
                legal("gie"), land("provided_free", 6, 4000),
                ["action_coeur_de_ville", "territoires_d_industrie"], False, ["metal"], False, b.truth())


# =================================================================================================
# unseen-14 — Douarnenez: SCIC SA without SIRET yet (.odt), « électronique » only in the filing
# boilerplate, QPV denied; matrix with charges and products on two sheets (.xls)
# =================================================================================================
def u14():
    ident = "unseen-14"
    folder = new_folder(ident)
    b = Budget(Y3,
               ops=[("Tissus, fils, bois", [34000, 46000, 52000]),
                    ("Salaires", [96000, 124000, 136000]),
                    ("Loyer (bail civil)", [18000, 18000, 18000]),
                    ("Frais généraux", [11000, 11500, 12000])],
               inv=[("Traceur de découpe et machines à coudre", [58000, 0, 0]),
                    ("Outillage bois", [36000, 8000, 0]),
                    ("Aménagement de l'abri", [72000, 0, 0])],
               mdp=[("Manufactures de proximité – fonctionnement", [45000, 35000, 15000]),
                    ("Manufactures de proximité – investissement", [125000, 0, 0])],
               aids=[("Région Bretagne", [40000, 0, 0]), ("Douarnenez Communauté", [10000, 10000, 0])],
               own=[("Parts sociales souscrites", [20000, 5000, 0]),
                    ("Ventes et prestations", None)])
    app = [
        ("p", "Accusé de dépôt électronique — reçu le 24/11/2021 à 15:03"),
        ("h", 1, "Kalon Mor"),
        ("p", "Société coopérative d'intérêt collectif — société anonyme à conseil d'administration, à "
              "capital variable\n8 quai de l'Yser\nDouarnenez (Finistère)\nCode postal 29100"),
        ("p", "SIRET : en cours d'attribution (immatriculation au RCS de Quimper demandée le 2 novembre 2021)"),
        ("h", 2, "Le projet"),
        ("p", "Kalon Mor réunit des voiliers, des charpentiers de marine, des plaisanciers et la commune. "
              "Nous portons seuls le projet, que nous avons baptisé « La Voilerie du Port-Rhu » : un "
              "atelier où l'on coud des voiles, des bâches et des tauds, et où l'on construit et restaure "
              "des canots en bois."),
        ("h", 2, "Le lieu"),
        ("p", "La Région Bretagne, propriétaire du port, nous loue l'ancien abri du Port-Rhu par un bail "
              "civil de quinze ans ; la surface est de 1.200 m2 sur deux niveaux."),
        ("h", 2, "Le territoire"),
        ("p", "Douarnenez, 14 000 habitants, est Petite ville de demain ; elle ouvre sur un territoire "
              "littoral et rural, le Cap Sizun et le Porzay. Aucun quartier prioritaire n'est concerné "
              "par le projet."),
        ("h", 2, "Les équipements"),
        ("p", "Un traceur de découpe numérique pour les voiles, des machines à coudre à bras long, une "
              "scie à ruban et une dégauchisseuse."),
        ("p", "Le dossier est transmis par voie électronique ; la signature électronique du président "
              "vaut engagement."),
        ("p", "Yann Le Floc'h, président du conseil d'administration"),
    ]
    write_application(folder, "kalon_mor_candidature", "odt", app)

    ch, pr = Sheet("Charges"), Sheet("Produits")
    ch.put(1, 1, "Charges prévisionnelles (€ HT)")
    ch.row(2, 1, ["Nature"] + b.years)
    r = 3
    for title, ls in (("Fonctionnement", b.ops), ("Investissement", b.inv)):
        ch.put(r, 1, title)
        r += 1
        for label, v in ls:
            ch.row(r, 1, [label] + v, EUR)
            r += 1
    ch.row(r, 1, ["Total des charges"] + b.expenses(), EUR)
    pr.put(1, 1, "Produits prévisionnels (€ HT)")
    pr.row(2, 1, ["Origine"] + b.years)
    r = 3
    for label, v in b.products():
        pr.row(r, 1, [label] + v, EUR)
        r += 1
    pr.row(r, 1, ["Total des produits"] + b.revenues(), EUR)
    save_book(folder, "budget_voilerie", [ch, pr], "xls")

    write_truth(truth_path(ident), ident, "2021-11-24T15:03:00+01:00",
                applicant("Kalon Mor", "La Voilerie du Port-Rhu", None, "Douarnenez", "29100", "29", "53"),
                legal("scic"), land("lease", 15, 1200), ["petites_villes_de_demain"], True,
                ["textile", "bois"], True, b.truth())


# =================================================================================================
# unseen-15 — Nogent-le-Rotrou: pitch slides (.docx), SASU; matrix with HT | TTC per year under a
# two-row merged header and a VAT-rate column; a Territoires d'industrie fund that is not the
# programme's subsidy (.xlsx)
# =================================================================================================
def u15():
    ident = "unseen-15"
    folder = new_folder(ident)
    s = make_siret("90142583", "0001")
    b = Budget(Y3,
               ops=[("Matières (métaux, granulés plastiques)", [40000, 58000, 66000]),
                    ("Personnel", [150000, 185000, 198000]),
                    ("Loyer", [42000, 42000, 42000]),
                    ("Autres charges externes", [19000, 21000, 22000])],
               inv=[("Centre d'usinage CNC", [125000, 0, 0]),
                    ("Presse à injecter et moules", [88000, 20000, 0]),
                    ("Imprimante 3D", [12000, 0, 0])],
               mdp=[("Subvention « Manufactures de proximité » amorçage", [40000, 30000, 0]),
                    ("Subvention « Manufactures de proximité » équipement", [120000, 0, 0])],
               aids=[("Région Centre-Val de Loire", [50000, 0, 0]),
                     ("Fonds d'accélération des investissements industriels (Territoires d'industrie)",
                      [60000, 0, 0])],
               own=[("Apport en capital", [30000, 0, 0]), ("Chiffre d'affaires", None)])
    app = [
        ("landscape",),
        ("h", 1, "Perche Usinage Partagé"),
        ("p", "Manufactures de proximité — présentation de la candidature"),
        ("p", "Soumis le vendredi 3 décembre 2021 — 18 h 30"),
        ("break",),
        ("h", 1, "Le porteur"),
        ("li", "Atelier Rotrou Industrie, SAS à associé unique (SASU) au capital de 50 000 €"),
        ("li", "Siège : 9 rue de la Borde,\n28400\nNogent-le-Rotrou"),
        ("li", f"Siret {s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
        ("li", "Seul porteur — pas de consortium"),
        ("break",),
        ("h", 1, "Le lieu"),
        ("li", "Bail commercial d'une durée de six ans, signé en octobre 2021"),
        ("li", "950 m² dont 120 m² de bureaux"),
        ("break",),
        ("h", 1, "Le territoire"),
        ("li", "Territoire rural du Perche, Territoire d'industrie"),
        ("li", "Nogent-le-Rotrou pourrait rejoindre Petites villes de demain"),
        ("break",),
        ("h", 1, "Les métiers"),
        ("li", "Usinage de pièces mécaniques en acier et en aluminium"),
        ("li", "Injection de pièces plastiques techniques en petites séries"),
        ("break",),
        ("h", 1, "Le parc"),
        ("li", "Centre d'usinage CNC 3 axes, tour conventionnel"),
        ("li", "Presse à injecter de 80 tonnes, imprimante 3D pour les moules prototypes"),
        ("break",),
        ("h", 1, "Les chiffres"),
        ("li", f"Aide demandée : {b.subsidy() // 1000} k€"),
        ("li", "8 emplois à trois ans"),
    ]
    write_application(folder, "pitch_perche_usinage", "docx", app, "ARI")

    vat = lambda label: 0 if label.startswith(("Personnel", "Subvention", "Région", "Fonds", "Apport")) else 0.2
    sh = Sheet("Budget")
    sh.put(1, 1, "Perche Usinage Partagé — budget (l'aide est calculée sur les montants HT)")
    sh.put(3, 1, "Poste")
    sh.merge(3, 1, 4, 1)
    sh.put(3, 2, "Taux TVA")
    sh.merge(3, 2, 4, 2)
    for i, y in enumerate(b.years):
        c = 3 + 2 * i
        sh.put(3, c, y)
        sh.merge(3, c, 3, c + 1)
        sh.put(4, c, "HT")
        sh.put(4, c + 1, "TTC")
    r = 5

    def block(r, title, ls, tot_label):
        sh.put(r, 1, title)
        r += 1
        tot = [[0, 0] for _ in range(3)]
        for label, v in ls:
            if v is None:
                sh.put(r, 1, label)
                r += 1
                continue
            rate = vat(label)
            sh.put(r, 1, label)
            sh.put(r, 2, rate, "0%")
            for i in range(3):
                ttc = round(v[i] * (1 + rate))
                sh.put(r, 3 + 2 * i, v[i], EUR)
                sh.put(r, 4 + 2 * i, ttc, EUR)
                tot[i][0] += v[i]
                tot[i][1] += ttc
            r += 1
        sh.put(r, 1, tot_label)
        for i in range(3):
            sh.put(r, 3 + 2 * i, tot[i][0], EUR)
            sh.put(r, 4 + 2 * i, tot[i][1], EUR)
        return r + 2

    r = block(r, "Charges", [("Fonctionnement", None)] + b.ops + [("Investissements", None)] + b.inv,
              "Total charges")
    block(r, "Produits", b.products(), "Total produits")
    sh.widths.update({c: 14 for c in range(2, 9)})
    save_book(folder, "budget_ht_ttc", [sh], "xlsx")

    write_truth(truth_path(ident), ident, "2021-12-03T18:30:00+01:00",
                applicant("Atelier Rotrou Industrie", "Perche Usinage Partagé", s, "Nogent-le-Rotrou",
                          "28400", "28", "24"),
                legal("sasu"), land("lease", 6, 950), ["territoires_d_industrie"], True,
                ["metal", "autre"], True, b.truth())


# =================================================================================================
# unseen-16 — Vierzon: letter with the ANCT's and a partner's address (.doc), SCOP SA, labelled
# Fabrique de territoire (whose subsidy line is not the programme's); matrix with the totals
# above the detail and codes in column A (.xls)
# =================================================================================================
def u16():
    ident = "unseen-16"
    folder = new_folder(ident)
    s = make_siret("30418265", "0003")
    b = Budget(Y3,
               ops=[("Matières (kaolin, feldspath, émaux)", [52000, 64000, 70000]),
                    ("Gaz et électricité", [88000, 96000, 102000]),
                    ("Salaires", [260000, 300000, 318000]),
                    ("Autres charges", [34000, 36000, 37000])],
               inv=[("Four tunnel (rénovation)", [210000, 0, 0]),
                    ("Presse isostatique et émailleuse", [150000, 30000, 0]),
                    ("Imprimante 3D argile", [9000, 0, 0])],
               mdp=[("Subvention Manufactures de proximité – volet 1 (fonctionnement)", [60000, 40000, 0]),
                    ("Subvention Manufactures de proximité – volet 2 (investissement)", [180000, 0, 0])],
               aids=[("ANCT – Fabrique de territoire (fonctionnement)", [50000, 50000, 0]),
                     ("Département du Cher", [40000, 0, 0]),
                     ("Région Centre-Val de Loire", [60000, 0, 0])],
               own=[("Emprunt", [100000, 0, 0]), ("Ventes de porcelaine", None)])
    app = [
        ("p", "Date de dépôt : 01/03/2022 à 23 h 59"),
        ("p", "Les Porcelainiers de Vierzon\nSCOP SA à conseil d'administration\n"
              f"31 rue de la Noue\n18100 Vierzon\nSIRET {s}"),
        ("p", "Agence nationale de la cohésion des territoires\n20 avenue de Ségur\nTSA 10717\n75334 Paris Cedex 07"),
        ("p", "Avec le soutien de : Cluster Céramique Berry, 4 rue Moyenne, 18000 Bourges"),
        ("p", "Vierzon, le 25 février 2022"),
        ("p", "Madame, Monsieur,"),
        ("p", "Les Porcelainiers de Vierzon, coopérative ouvrière reprise par ses salariés en 2014, "
              "candidatent à l'AMI « Manufactures de proximité » pour ouvrir leur usine de la Noue aux "
              "céramistes du Berry. Le lieu, dénommé « La Manufacture de la Noue », occupera 1 750 m² "
              "de nos propres bâtiments : nous en sommes propriétaires depuis la reprise."),
        ("p", "Vierzon est engagée dans Action cœur de ville. Notre atelier est labellisé Fabrique de "
              "territoire depuis 2020. La ville compte des quartiers prioritaires, mais le site n'en fait "
              "pas partie."),
        ("p", "Nous fabriquerons de la porcelaine de table, des biscuits et des émaux, notamment de la "
              "vaisselle pour la restauration et les cuisines professionnelles. Les équipements prévus : "
              "rénovation du four tunnel, une presse isostatique, une émailleuse robotisée et une "
              "imprimante 3D argile pour les prototypes."),
        ("p", "Nous vous prions d'agréer, Madame, Monsieur, nos salutations respectueuses.\n"
              "Pascal Guillot, président-directeur général"),
    ]
    write_application(folder, "lettre_porcelainiers", "doc", app, "Pascal Guillot")

    sh = Sheet("Budget")
    sh.put(1, 2, "LA MANUFACTURE DE LA NOUE — BUDGET TRIENNAL HT")
    sh.put(2, 2, "Codes : C = charges de fonctionnement, I = investissements, P = produits")
    sh.row(3, 2, ["Synthèse"] + b.years)
    sh.row(4, 1, ["T1", "Total des charges"] + b.expenses(), EUR)
    sh.row(5, 1, ["T2", "Total des produits"] + b.revenues(), EUR)
    sh.row(7, 2, ["Détail des charges"] + b.years)
    r = 8
    for k, (label, v) in enumerate(b.ops):
        sh.row(r, 1, [f"C{k + 1}", label] + v, EUR)
        r += 1
    for k, (label, v) in enumerate(b.inv):
        sh.row(r, 1, [f"I{k + 1}", label] + v, EUR)
        r += 1
    r += 1
    sh.row(r, 2, ["Détail des produits"] + b.years)
    r += 1
    for k, (label, v) in enumerate(b.products()):
        sh.row(r, 1, [f"P{k + 1}", label] + v, EUR)
        r += 1
    sh.widths.update({1: 6, 2: 58, 3: 14, 4: 14, 5: 14})
    save_book(folder, "budget_noue", [sh], "xls")

    write_truth(truth_path(ident), ident, "2022-03-01T23:59:00+01:00",
                applicant("Les Porcelainiers de Vierzon", "La Manufacture de la Noue", s, "Vierzon",
                          "18100", "18", "24"),
                legal("scop"), land("owned", None, 1750),
                ["action_coeur_de_ville", "fabrique_de_territoire"], False, ["ceramique"], True, b.truth())


# =================================================================================================
# The Démarches simplifiées export (ds-export/): four dossiers whose applications say little about
# identity; the export sheet (CSV) is what tells.
# =================================================================================================
PROCEDURE = "manufactures-de-proximite"
EXPORT_BASE = f"dossiers_{PROCEDURE}_2022-04-20_10-02"
ETAB_COLS = ["Établissement SIRET", "Établissement siège social", "Établissement NAF",
             "Établissement libellé NAF", "Établissement Adresse", "Établissement numero voie",
             "Établissement type voie", "Établissement nom voie", "Établissement complément adresse",
             "Établissement code postal", "Établissement localité", "Établissement code INSEE localité",
             "Entreprise SIREN", "Entreprise capital social", "Entreprise numero TVA intracommunautaire",
             "Entreprise forme juridique", "Entreprise forme juridique code", "Entreprise nom commercial",
             "Entreprise raison sociale", "Entreprise SIRET siège social", "Entreprise code effectif entreprise",
             "Entreprise date de création", "Entreprise nom", "Entreprise prénom", "Association RNA",
             "Association titre", "Association objet", "Association date de création",
             "Association date de déclaration", "Association date de publication"]
DOSSIER_COLS = ["Archivé", "État du dossier", "Dernière mise à jour le", "Déposé le",
                "Passé en instruction le", "Traité le", "Motivation de la décision", "Instructeurs"]
CHAMP_COLS = ["Nom de la manufacture", "Commune d'implantation", "Commune d'implantation (Code insee)",
              "Le projet est-il porté par un consortium ?", "Structure chef de file",
              "Montant de l'aide sollicitée", "Dossier de candidature", "Matrice budgétaire"]


def standard_matrix(b, title, head_years=None):
    """Years in columns: charges (fonctionnement, investissement) then ressources, with totals."""
    sh = Sheet("Matrice")
    sh.put(1, 1, title)
    ys = head_years or b.years
    sh.row(3, 1, ["CHARGES"] + ys)
    r = 4
    for sub, ls in (("Fonctionnement", b.ops), ("Investissement", b.inv)):
        sh.put(r, 1, sub)
        r += 1
        for label, v in ls:
            sh.row(r, 1, [label] + v, EUR)
            r += 1
    sh.row(r, 1, ["TOTAL CHARGES"] + b.expenses(), EUR)
    r += 2
    sh.row(r, 1, ["RESSOURCES"] + ys)
    r += 1
    for label, v in b.products():
        sh.row(r, 1, [label] + v, EUR)
        r += 1
    sh.row(r, 1, ["TOTAL RESSOURCES"] + b.revenues(), EUR)
    sh.widths.update({c: 15 for c in range(2, 6)})
    return sh


def rows_matrix(b, title):
    """Years in rows: one line per year, charges then ressources as columns."""
    sh = Sheet("Budget")
    sh.put(1, 1, title)
    heads = [l for l, _ in b.ops] + [f"Inv. – {l}" for l, _ in b.inv] + ["TOTAL CHARGES"] + \
            [l for l, _ in b.products()] + ["TOTAL RESSOURCES"]
    sh.row(3, 1, ["Année"] + heads)
    for i, y in enumerate(b.years):
        sh.row(4 + i, 1, [y] + [v[i] for _, v in b.charges()] + [b.expenses()[i]] +
               [v[i] for _, v in b.products()] + [b.revenues()[i]], EUR)
    sh.widths.update({c: 16 for c in range(2, 2 + len(heads))})
    return sh


def ds_dossiers():
    """Each entry: number, truth, application (name, format, blocks, upload stamp, id), matrix
    (name, format, sheets, upload stamp, id) and the CSV row's values."""
    out = []

    # --- dossier-7231450 — Ambert: no postal code, no SIRET, no deposit stamp in the text --------
    s = make_siret("75324019", "0001")
    b = Budget(Y3,
               ops=[("Fils et matières", [22000, 30000, 34000]), ("Salaires", [68000, 90000, 98000]),
                    ("Charges locatives et énergie", [9000, 10000, 10500]), ("Divers", [4000, 4200, 4400])],
               inv=[("Métiers à tresser et machines à lacets", [74000, 10000, 0]),
                    ("Tour à bois et outillage", [16000, 0, 0])],
               mdp=[("Manufactures de proximité – amorçage", [35000, 25000, 10000]),
                    ("Manufactures de proximité – investissement", [70000, 0, 0])],
               aids=[("Région Auvergne-Rhône-Alpes", [20000, 0, 0]), ("LEADER Livradois-Forez", [12000, 0, 0])],
               own=[("Cotisations", [3000, 3000, 3000]), ("Ventes", None)])
    app = [
        ("h", 1, "La Tresserie — notre projet de manufacture"),
        ("p", "Document finalisé le 9 janvier 2022 par le conseil d'administration."),
        ("h", 2, "Qui sommes-nous"),
        ("p", "Notre association fait revivre depuis 2012 la tresse et le lacet, qui ont fait vivre "
              "notre commune du Livradois pendant un siècle. Nous portons seuls ce projet, avec le "
              "soutien du parc naturel régional."),
        ("h", 2, "Le lieu"),
        ("p", "La commune d'Ambert nous met à disposition l'ancienne usine de lacets de la rue du "
              "Moulin, 700 m², par une convention de dix ans."),
        ("h", 2, "Le territoire"),
        ("p", "Ambert est Petite ville de demain. Le Livradois est un territoire rural de moyenne "
              "montagne qui a perdu la moitié de ses emplois industriels depuis 1980."),
        ("h", 2, "Ce que nous ferons"),
        ("p", "Tresses, lacets, cordons et galons pour la mode et l'ameublement ; un tourneur fabriquera "
              "sur place les bobines et fuseaux en bois. Équipements : métiers à tresser, machines à "
              "lacets, un tour à bois."),
    ]
    out.append(dict(
        number=7231450, deposited="2022-01-10T17:22:08+01:00",
        truth=(applicant("Tresses et Lacets du Livradois", "La Tresserie", s, "Ambert", "63600", "63", "84"),
                       legal("association"), land("provided_free", 10, 700), ["petites_villes_de_demain"], True,
                       ["textile", "bois"], False, b.truth()),
        app=("projet_la_tresserie", "docx", app, "10-01-2022-16-58", 4821),
        matrix=("matrice_tresserie", "xlsx", [standard_matrix(b, "La Tresserie — budget prévisionnel (€ HT)")],
                "10-01-2022-17-05", 4822),
        row={"Email": "contact@tresses-livradois.fr", "siret": s, "siege": "true", "naf": "13.96Z",
             "naf_label": "Fabrication d'autres textiles techniques et industriels",
             "adresse": "12 RUE DU MOULIN\n63600 AMBERT", "num": "12", "type_voie": "RUE", "voie": "DU MOULIN",
             "cp": "63600", "localite": "AMBERT", "insee": "63003", "capital": "",
             "forme": "Association déclarée", "forme_code": "9220", "nom_commercial": "",
             "raison": "TRESSES ET LACETS DU LIVRADOIS", "effectif": "03", "creation": "2012-05-04",
             "rna": "W633001287", "asso_titre": "TRESSES ET LACETS DU LIVRADOIS",
             "asso_objet": "sauvegarder et développer les savoir-faire de la tresse et du lacet en Livradois",
             "asso_creation": "2012-05-04", "asso_decl": "2012-04-20", "asso_pub": "2012-05-12",
             "etat": "Accepté", "maj": "2022-03-01 09:12:40 +0100", "depose": "2022-01-10 17:22:08 +0100",
             "instruction": "2022-01-20 10:03:11 +0100", "traite": "2022-03-01 09:12:40 +0100",
             "manufacture": "La Tresserie", "commune": "Ambert", "commune_insee": "63003",
             "consortium": "Non", "chef": "", "montant": b.subsidy()}))

    # --- dossier-7231877 — Mauléon-Licharre: « Mauléon » only, a deposit time that is not the
    # platform's ------------------------------------------------------------------------------------
    s = make_siret("89077163", "0001")
    b = Budget(Y3,
               ops=[("Toile, jute, semelles", [36000, 48000, 55000]), ("Salaires", [120000, 150000, 162000]),
                    ("Loyer", [21600, 21600, 21600]), ("Autres charges", [9000, 9500, 10000])],
               inv=[("Découpe laser et machines à coudre les semelles", [62000, 0, 0]),
                    ("Presse de vulcanisation", [28000, 0, 0])],
               mdp=[("MdP – amorçage", [40000, 30000, 10000]), ("MdP – investissement", [70000, 0, 0])],
               aids=[("Communauté d'agglomération Pays basque", [15000, 0, 0]),
                     ("Région Nouvelle-Aquitaine", [25000, 0, 0])],
               own=[("Parts sociales", [10000, 0, 0]), ("Ventes d'espadrilles", None)])
    app = [
        ("h", 1, "Espartinak — Manufactures de proximité"),
        ("p", "Déposé le 2 mars 2022 à 10 h"),
        ("lead", "La structure. ", "Espartinak est une coopérative d'intérêt collectif (SCIC SAS) créée en "
                                  "2020 à Mauléon par des piqueuses, des fabricants et la commune ; elle "
                                  "candidate sans partenaire co-porteur."),
        ("lead", "Le lieu. ", "Un bail commercial de neuf années nous donne 520 m² dans l'ancienne "
                              "fabrique Béhéty, au bord du Saison."),
        ("lead", "Le territoire. ", "La Soule est un territoire rural de montagne. Aucun programme "
                                    "national ne concerne la commune à notre connaissance."),
        ("lead", "L'activité. ", "Des espadrilles cousues main, toile de coton et semelles de jute, et "
                                 "la formation de nouvelles piqueuses. Nous investissons dans une "
                                 "découpe laser pour la toile, des machines à coudre les semelles et "
                                 "une presse de vulcanisation."),
    ]
    out.append(dict(
        number=7231877, deposited="2022-03-02T09:58:41+01:00",
        truth=(applicant("Espartinak", "Espartinak", s, "Mauléon-Licharre", "64130", "64", "75"),
                       legal("scic"), land("lease", 9, 520), [], True, ["textile"], True, b.truth()),
        app=("candidature_espartinak", "odt", app, "02-03-2022-09-41", 7310),
        matrix=("budget_espartinak", "ods", [rows_matrix(b, "Espartinak — budget HT")], "02-03-2022-09-44", 7311),
        row={"Email": "kaixo@espartinak.eus", "siret": s, "siege": "true", "naf": "15.20Z",
             "naf_label": "Fabrication de chaussures",
             "adresse": "4 RUE DU JEU DE PAUME\n64130 MAULEON-LICHARRE", "num": "4", "type_voie": "RUE",
             "voie": "DU JEU DE PAUME", "cp": "64130", "localite": "MAULEON-LICHARRE", "insee": "64371",
             "capital": "12400", "forme": "Société par actions simplifiée", "forme_code": "5710",
             "nom_commercial": "ESPARTINAK", "raison": "ESPARTINAK", "effectif": "11", "creation": "2020-02-11",
             "etat": "En instruction", "maj": "2022-03-15 14:20:05 +0100", "depose": "2022-03-02 09:58:41 +0100",
             "instruction": "2022-03-15 14:20:05 +0100", "traite": "",
             "manufacture": "Espartinak", "commune": "Mauléon-Licharre", "commune_insee": "64371",
             "consortium": "Non", "chef": "", "montant": b.subsidy()}))

    # --- dossier-7240512 — Bourg-en-Bresse: « Bourg » only, consortium, temporary site ----------
    s = make_siret("84456120", "0001")
    b = Budget(Y3,
               ops=[("Bois et acier", [45000, 70000, 82000]), ("Salaires", [140000, 190000, 215000]),
                    ("Loyers (local provisoire puis halle)", [9000, 9000, 36000]),
                    ("Autres charges", [15000, 17000, 18000])],
               inv=[("Centre d'usinage CNC bois", [110000, 0, 0]),
                    ("Découpe laser tube et cintreuse", [60000, 0, 95000]),
                    ("Aménagement de la halle", [0, 0, 60000])],
               mdp=[("Aide Manufactures de proximité – fonctionnement", [50000, 40000, 20000]),
                    ("Aide Manufactures de proximité – investissement", [100000, 0, 80000])],
               aids=[("Grand Bourg Agglomération", [0, 0, 40000]),
                     ("Région Auvergne-Rhône-Alpes", [30000, 0, 30000])],
               own=[("Ventes de mobilier", None)])
    app = [
        ("h", 1, "Ateliers de la Reyssouze — dossier de présentation"),
        ("h", 2, "1. Le consortium"),
        ("p", "Le projet est porté par un consortium de trois structures : la SAS Ateliers de la "
              "Reyssouze, chef de file, l'association Bresse Bois Local et la SCOP Tôlerie Bressane. "
              "Un accord de consortium a été signé en novembre 2021."),
        ("h", 2, "2. Les locaux"),
        ("p", "L'activité démarre dans un local provisoire de 150 m² en zone de Majornas. Le site "
              "définitif est une ancienne halle SNCF de 1 600 m² que l'agglomération réhabilite et nous "
              "louera par un bail de dix ans à compter de sa livraison, prévue en 2024."),
        ("h", 2, "3. Le territoire"),
        ("p", "Bourg est engagée dans Action cœur de ville ; la halle jouxte la gare, en centre-ville."),
        ("h", 2, "4. Fabrication"),
        ("p", "Mobilier en bois massif et acier pour les collectivités et les particuliers : tables, "
              "rayonnages, mobilier urbain. Parc : centre d'usinage CNC bois, découpe laser tube, cintreuse."),
    ]
    out.append(dict(
        number=7240512, deposited="2021-12-15T14:03:12+01:00",
        truth=(applicant("Ateliers de la Reyssouze", "Ateliers de la Reyssouze", s, "Bourg-en-Bresse",
                                 "01000", "01", "84"),
                       legal("sas", consortium=True, lead="Ateliers de la Reyssouze"),
                       land("lease", 10, 1600, True, 2024), ["action_coeur_de_ville"], False,
                       ["bois", "metal"], True, b.truth()),
        app=("presentation_reyssouze", "doc", app, "15-12-2021-13-50", 1290),
        matrix=("matrice_reyssouze", "xls", [standard_matrix(b, "Budget prévisionnel du consortium (€ HT)")],
                "15-12-2021-13-52", 1291),
        row={"Email": "direction@ateliers-reyssouze.fr", "siret": s, "siege": "true", "naf": "31.09B",
             "naf_label": "Fabrication d'autres meubles et industries connexes de l'ameublement",
             "adresse": "27 AVENUE DE LYON\n01000 BOURG-EN-BRESSE", "num": "27", "type_voie": "AV",
             "voie": "DE LYON", "cp": "01000", "localite": "BOURG-EN-BRESSE", "insee": "01053",
             "capital": "30000", "forme": "Société par actions simplifiée", "forme_code": "5710",
             "nom_commercial": "", "raison": "ATELIERS DE LA REYSSOUZE", "effectif": "12", "creation": "2018-09-03",
             "etat": "Accepté", "maj": "2022-03-01 11:40:00 +0100", "depose": "2021-12-15 14:03:12 +0100",
             "instruction": "2021-12-20 09:30:27 +0100", "traite": "2022-03-01 11:40:00 +0100",
             "manufacture": "Ateliers de la Reyssouze", "commune": "Bourg-en-Bresse", "commune_insee": "01053",
             "consortium": "Oui", "chef": "Ateliers de la Reyssouze", "montant": b.subsidy()}))

    # --- dossier-7266309 — Forcalquier: no postal code, no SIRET, a deposit stamp that is not the
    # platform's -------------------------------------------------------------------------------------
    s = make_siret("79340857", "0002")
    b = Budget(Y3,
               ops=[("Fruits et sucre", [18000, 26000, 31000]), ("Bocaux et étiquettes", [7000, 9500, 11000]),
                    ("Salaires", [42000, 61000, 70000]), ("Énergie et assurances", [5500, 6000, 6500])],
               inv=[("Achat du moulinage (acompte et frais)", [95000, 0, 0]),
                    ("Chaudrons, pasteurisateur, étiqueteuse", [38000, 0, 0])],
               mdp=[("Subvention MdP – amorçage", [25000, 20000, 10000]),
                    ("Subvention MdP – investissement", [60000, 0, 0])],
               aids=[("Département des Alpes-de-Haute-Provence", [15000, 0, 0]),
                     ("LEADER Haute-Provence", [20000, 0, 0])],
               own=[("Emprunt", [60000, 0, 0]), ("Ventes", None)])
    app = [
        ("h", 1, "Candidature — Les Confituriers de Haute-Provence"),
        ("p", "Version déposée le 16/02/2022 à 18:40"),
        ("p", "Notre association réunit depuis 2015 des arboriculteurs et des cueilleurs du pays de "
              "Forcalquier. Candidature individuelle."),
        ("p", "Une promesse de vente a été signée le 3 février 2022 pour un ancien moulinage de 380 m², "
              "au pied de la citadelle ; la vente sera réitérée en juin."),
        ("p", "Forcalquier est Petite ville de demain, au cœur d'un territoire rural de 10 000 habitants."),
        ("p", "L'atelier, que nous appelons « Le Moulinage gourmand », transformera les fruits des "
              "vergers voisins en confitures, sirops et pâtes de fruits, et les plantes en tisanes, avec "
              "des chaudrons à confiture, un pasteurisateur et une étiqueteuse."),
    ]
    out.append(dict(
        number=7266309, deposited="2022-02-17T11:26:55+01:00",
        truth=(applicant("Les Confituriers de Haute-Provence", "Le Moulinage gourmand", s, "Forcalquier",
                                 "04300", "04", "93"),
                       legal("association"), land("purchase_in_progress", None, 380),
                       ["petites_villes_de_demain"], True, ["alimentaire"], False, b.truth()),
        app=("candidature_confituriers", "docx", app, "16-02-2022-18-39", 9054),
        matrix=("matrice_moulinage", "xlsx", [standard_matrix(b, "Le Moulinage gourmand — budget HT")],
                "17-02-2022-11-20", 9102),
        row={"Email": "bureau@confituriers-hp.org", "siret": s, "siege": "true", "naf": "10.39B",
             "naf_label": "Transformation et conservation de fruits",
             "adresse": "2 PLACE DU BOURGUET\n04300 FORCALQUIER", "num": "2", "type_voie": "PL",
             "voie": "DU BOURGUET", "cp": "04300", "localite": "FORCALQUIER", "insee": "04088", "capital": "",
             "forme": "Association déclarée", "forme_code": "9220", "nom_commercial": "",
             "raison": "LES CONFITURIERS DE HAUTE-PROVENCE", "effectif": "02", "creation": "2015-03-18",
             "rna": "W041002245", "asso_titre": "LES CONFITURIERS DE HAUTE-PROVENCE",
             "asso_objet": "transformer et valoriser les fruits et plantes du pays de Forcalquier",
             "asso_creation": "2015-03-18", "asso_decl": "2015-03-02", "asso_pub": "2015-03-14",
             "etat": "En instruction", "maj": "2022-03-10 16:02:33 +0100", "depose": "2022-02-17 11:26:55 +0100",
             "instruction": "2022-03-10 16:02:33 +0100", "traite": "",
             "manufacture": "Le Moulinage gourmand", "commune": "Forcalquier", "commune_insee": "04088",
             "consortium": "Non", "chef": "", "montant": b.subsidy()}))
    return out


def ds_export():
    shutil.rmtree(DS_ROOT, ignore_errors=True)
    os.makedirs(DS_ROOT)
    rows = []
    entries = []  # (zip path, bytes)
    for d in ds_dossiers():
        n = d["number"]
        files = {}
        with tempfile.TemporaryDirectory() as tmp:
            name, fmt, blocks, stamp, fid = d["app"]
            write_application(tmp, name, fmt, blocks, "Porteur")
            files["app"] = f"{name}.{fmt}"
            entries.append((f"{EXPORT_BASE}/dossier-{n}/pieces_justificatives/{name}-{stamp}-{fid}.{fmt}",
                            open(os.path.join(tmp, f"{name}.{fmt}"), "rb").read()))
            mname, mfmt, sheets, mstamp, mid = d["matrix"]
            save_book(tmp, mname, sheets, mfmt)
            files["matrix"] = f"{mname}.{mfmt}"
            entries.append((f"{EXPORT_BASE}/dossier-{n}/pieces_justificatives/{mname}-{mstamp}-{mid}.{mfmt}",
                            open(os.path.join(tmp, f"{mname}.{mfmt}"), "rb").read()))
        v = d["row"]
        s = v["siret"]
        etab = [s, v["siege"], v["naf"], v["naf_label"], v["adresse"], v["num"], v["type_voie"], v["voie"], "",
                v["cp"], v["localite"], v["insee"], s[:9], v["capital"], tva(s[:9]), v["forme"], v["forme_code"],
                v["nom_commercial"], v["raison"], s, v["effectif"], v["creation"], "", "", v.get("rna", ""),
                v.get("asso_titre", ""), v.get("asso_objet", ""), v.get("asso_creation", ""),
                v.get("asso_decl", ""), v.get("asso_pub", "")]
        dos = ["false", v["etat"], v["maj"], v["depose"], v["instruction"], v["traite"], "",
               "instruction.mdp@anct.gouv.fr"]
        champs = [v["manufacture"], v["commune"], v["commune_insee"], v["consortium"], v["chef"],
                  v["montant"], files["app"], files["matrix"]]
        rows.append([n, v["Email"]] + etab + dos + champs)

        app, lm, lc, progs, rural, sectors, digital, budget = d["truth"]
        write_truth(os.path.join(DS_ROOT, f"dossier-{n}.truth.json"), f"dossier-{n}", d["deposited"], app, lm,
                    lc, progs, rural, sectors, digital, budget)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ID", "Email"] + ETAB_COLS + DOSSIER_COLS + CHAMP_COLS)
    w.writerows(rows)
    with open(os.path.join(DS_ROOT, f"{EXPORT_BASE}.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    with zipfile.ZipFile(os.path.join(DS_ROOT, f"{EXPORT_BASE}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        dirs = set()
        for path, _ in entries:
            parts = path.split("/")
            for k in range(1, len(parts)):
                dirs.add("/".join(parts[:k]) + "/")
        for dname in sorted(dirs):
            z.writestr(zipfile.ZipInfo(dname, (2022, 4, 20, 10, 2, 0)), b"")
        for path, data in sorted(entries):
            info = zipfile.ZipInfo(path, (2022, 4, 20, 10, 2, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


ALL = [u01, u02, u03, u04, u05, u06, u07, u08, u09, u10, u11, u12, u13, u14, u15, u16, ds_export]

if __name__ == "__main__":
    only = sys.argv[1:]
    for fn in ALL:
        if not only or fn.__name__ in only:
            fn()
            print("written", fn.__name__)
