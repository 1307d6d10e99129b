#!/usr/bin/env python3
"""Regenerates the wording fixtures: twelve dossiers written by hand in the many ways real
applicants write French (headings, form tables, abbreviations, negations, future tense, amounts
in k€ or M€, matrices with years in rows or columns, N / N+1 / N+2 …), each with its truth file.

    pip install python-docx openpyxl odfpy
    python3 make.py            # writes wording-NN/ and wording-NN.truth.json beside this script

The texts are invented (real communes and postal codes, fictitious structures, SIRETs and
budgets). The truth's budget is computed from the same figures the matrix is written from; the
other truth fields are written by hand below, next to the sentence that carries them.
Spreadsheets hold values, not formulas (openpyxl cannot store a formula's cached value).
"""
import json
import os
import shutil

import docx
import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import Style, TextProperties
from odf.table import Table, TableCell, TableRow
from odf.text import H, P

HERE = os.path.dirname(os.path.abspath(__file__))


# --- SIRET -----------------------------------------------------------------------------------
def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def siret(siren8, nic4):
    """A valid SIRET (the SIREN and the whole number both pass Luhn) from the first eight SIREN
    digits and the first four NIC digits: the two check digits are computed."""
    siren = next(f"{siren8[:8]}{d}" for d in range(10) if luhn_ok(f"{siren8[:8]}{d}"))
    for last in range(10):
        s = f"{siren}{nic4}{last}"
        if luhn_ok(s):
            return s
    raise ValueError(siren)


def spaced(s):
    return f"{s[0:3]} {s[3:6]} {s[6:9]} {s[9:14]}"


def dotted(s):
    return f"{s[0:3]}.{s[3:6]}.{s[6:9]}.{s[9:14]}"


# --- Budgets ---------------------------------------------------------------------------------
class Budget:
    """Lines per year; the last revenue line balances the years unless `gap` says otherwise."""

    def __init__(self, operating, investment, revenues, subsidy, balance_label, gap=(0, 0, 0)):
        self.operating = operating  # [(label, [y1, y2, y3])]
        self.investment = investment
        self.revenues = revenues  # [(label, values)] other than the subsidy lines
        self.subsidy = subsidy  # [(label, values)] the Manufactures de proximité subsidy
        exp = self.expenses()
        got = [sum(v[i] for _, v in revenues + subsidy) for i in range(3)]
        self.balance = (balance_label, [exp[i] - got[i] - gap[i] for i in range(3)])

    def expenses(self):
        return [sum(v[i] for _, v in self.operating + self.investment) for i in range(3)]

    def revenue_lines(self):
        return self.subsidy + self.revenues + [self.balance]

    def revenues_total(self):
        return [sum(v[i] for _, v in self.revenue_lines()) for i in range(3)]

    def truth(self, years):
        exp, rev = self.expenses(), self.revenues_total()
        total = float(sum(exp))
        subsidy = float(sum(sum(v) for _, v in self.subsidy))
        inv = float(sum(sum(v) for _, v in self.investment)) if self.investment else None
        return {
            "years": [{"year": y, "expenses": float(e), "revenues": float(r)} for y, e, r in zip(years, exp, rev)],
            "total_expenses": total,
            "investment": inv,
            "subsidy_requested": subsidy,
            "subsidy_share": round(subsidy / total, 3),
            "balanced": all(abs(e - r) <= 1 for e, r in zip(exp, rev)),
        }


def rows_columns(b, headers, labels, unit=1):
    """A matrix with the years in columns: expenses block then revenues block."""
    exp_title, op_title, inv_title, exp_total, rev_title, rev_total = labels
    d = lambda vs: [v / unit for v in vs]
    rows = [[exp_title] + headers, [op_title]]
    rows += [[l] + d(v) for l, v in b.operating]
    if b.investment:
        rows.append([inv_title])
        rows += [[l] + d(v) for l, v in b.investment]
    rows.append([exp_total] + d(b.expenses()))
    rows.append([])
    rows.append([rev_title] + headers)
    rows += [[l] + d(v) for l, v in b.revenue_lines()]
    rows.append([rev_total] + d(b.revenues_total()))
    return rows


def write_xlsx(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def write_ods(path, sheets):
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        t = Table(name=name)
        for r in rows:
            tr = TableRow()
            for v in r:
                if isinstance(v, (int, float)):
                    c = TableCell(valuetype="float", value=v)
                    c.addElement(P(text=str(v)))
                else:
                    c = TableCell(valuetype="string")
                    c.addElement(P(text=str(v)))
                tr.addElement(c)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    doc.save(path)


# --- Applications ----------------------------------------------------------------------------
# A document is a list of blocks: ("h1", text), ("h2", text), ("p", text), ("table", [[cells]]).
def write_docx(path, blocks, heading_styles=True):
    d = docx.Document()
    for kind, content in blocks:
        if kind in ("h1", "h2"):
            if heading_styles:
                d.add_heading(content, level=1 if kind == "h1" else 2)
            else:
                p = d.add_paragraph()
                p.add_run(content).bold = True
        elif kind == "p":
            d.add_paragraph(content)
        elif kind == "table":
            t = d.add_table(rows=0, cols=len(content[0]))
            for row in content:
                cells = t.add_row().cells
                for c, v in zip(cells, row):
                    c.text = v
    d.save(path)


def write_odt(path, blocks):
    doc = OpenDocumentText()
    bold = Style(name="Bold", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    for kind, content in blocks:
        if kind in ("h1", "h2"):
            doc.text.addElement(H(outlinelevel=1 if kind == "h1" else 2, text=content))
        elif kind == "p":
            doc.text.addElement(P(text=content))
        elif kind == "table":
            t = Table()
            for row in content:
                tr = TableRow()
                for v in row:
                    c = TableCell()
                    c.addElement(P(text=v))
                    tr.addElement(c)
                t.addElement(tr)
            doc.text.addElement(t)
    doc.save(path)


def flags_of(t):
    """The flags record.md derives from the other fields."""
    out = []
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


def dossier(ident, app, app_format, matrix, matrix_format, truth):
    folder = os.path.join(HERE, ident)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    if app_format == "docx":
        write_docx(os.path.join(folder, "candidature.docx"), app)
    elif app_format == "docx-plain":
        write_docx(os.path.join(folder, "candidature.docx"), app, heading_styles=False)
    else:
        write_odt(os.path.join(folder, "candidature.odt"), app)
    if matrix_format == "xlsx":
        write_xlsx(os.path.join(folder, "budget.xlsx"), matrix)
    else:
        write_ods(os.path.join(folder, "budget.ods"), matrix)
    extra = truth.pop("extra_flags", [])
    truth = {"dossier_id": ident, **truth}
    truth["flags"] = sorted(flags_of(truth) + extra)
    with open(os.path.join(HERE, f"{ident}.truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=2)
        f.write("\n")


def applicant(name, manufacture, s, valid, commune, cp, dep, reg):
    return {
        "structure_name": name, "manufacture_name": manufacture, "siret": s,
        "siret_valid": None if s is None else valid, "commune": commune, "postal_code": cp,
        "department": dep, "region": reg,
    }


def legal(form, planned=None, consortium=False, lead=None):
    return {"form": form, "planned_form": planned, "consortium": consortium, "lead_partner": lead}


def land(status, years=None, surface=None, transitional=False, final_year=None):
    return {"status": status, "lease_years": years, "surface_m2": surface,
            "transitional_premises": transitional, "final_premises_year": final_year}


Y = [2022, 2023, 2024]
STD = ("DÉPENSES", "Fonctionnement", "Investissement", "TOTAL DÉPENSES", "RECETTES", "TOTAL RECETTES")


# --- The dossiers ----------------------------------------------------------------------------
def w01():
    """SCIC SAS in a « Statut juridique » field, locataires with a bail 3-6-9, PVD, a QPV denied."""
    s = siret("830512447", "0001")
    app = [
        ("p", "Appel à manifestation d'intérêt « Manufactures de proximité »"),
        ("p", "Candidature de L'Atelier Commun – Montfort-sur-Meu"),
        ("p", "Date de dépôt : 10 janvier 2022, 15h32"),
        ("h1", "Qui sommes-nous ?"),
        ("p", "Raison sociale : L'Atelier Commun"),
        ("p", "Statut juridique : SCIC SAS à capital variable"),
        ("p", f"SIRET : {spaced(s)}"),
        ("p", "Siège : 4 rue de la Gare, 35160 Montfort-sur-Meu"),
        ("p", "L'Atelier Commun est née en 2019 de la rencontre de menuisiers, de ferronniers et d'habitants "
              "qui voulaient partager un outil de production. Elle compte aujourd'hui 62 sociétaires."),
        ("h1", "Notre projet"),
        ("p", "Nom du projet : La Manufacture du Meu"),
        ("p", "La Manufacture du Meu réunira sous un même toit une menuiserie partagée et un atelier de "
              "ferronnerie d'art. Les artisans y loueront des établis à la journée ou au mois."),
        ("p", "Nous prévoyons d'acheter une défonceuse à commande numérique de 2,5 x 1,25 m, une scie à "
              "format, une dégauchisseuse-raboteuse et deux postes à souder TIG."),
        ("h1", "Ancrage dans le territoire"),
        ("p", "Montfort-sur-Meu est lauréate du programme Petites Villes de Demain depuis décembre 2020 et la "
              "manufacture figure dans sa convention de revitalisation. Le projet ne se situe pas en QPV."),
        ("p", "Située à 25 minutes de Rennes, la commune appartient à la couronne périurbaine de la métropole."),
        ("h1", "Les locaux"),
        ("p", "Nous sommes locataires d'un ancien garage automobile de 640 m², dans le cadre d'un bail "
              "commercial 3-6-9 signé en mars 2021 avec un propriétaire privé."),
        ("h1", "Gouvernance"),
        ("p", "La SCIC réunit quatre collèges (salariés, artisans usagers, collectivités, habitants). "
              "Elle porte seule la candidature."),
        ("h1", "Budget"),
        ("p", "Le budget total sur trois ans s'élève à 612 000 €, dont 180 000 € sollicités au titre de l'AMI."),
    ]
    b = Budget(
        operating=[("Achats de bois et de métal", [18000, 22000, 26000]), ("Salaires et charges", [62000, 78000, 84000]),
                   ("Loyer et charges locatives", [14400, 14400, 14800]), ("Autres charges", [9600, 10600, 11200])],
        investment=[("Machines et outillage", [120000, 35000, 0]), ("Aménagement de l'atelier", [55000, 0, 0])],
        revenues=[("Location d'établis et de machines", [12000, 28000, 41000]), ("Région Bretagne", [40000, 20000, 0]),
                  ("Prestations de fabrication", [8000, 22000, 35000])],
        subsidy=[("Aide sollicitée Manufacture de proximité – amorçage", [50000, 40000, 0]),
                 ("Aide sollicitée Manufacture de proximité – investissement", [90000, 0, 0])],
        balance_label="Fonds propres et apports des sociétaires",
    )
    matrix = [("Budget", [["Plan de financement prévisionnel – L'Atelier Commun"], []] + rows_columns(b, Y, STD))]
    # The text's « 612 000 € » is not the matrix's 575 000 €: a disagreement a reviewer must see.
    dossier("wording-01", app, "docx", matrix, "xlsx", {
        "extra_flags": ["amounts_disagree"],
        "wave": 2, "deposited_at": "2022-01-10T15:32:00+01:00",
        "applicant": applicant("L'Atelier Commun", "La Manufacture du Meu", s, True, "Montfort-sur-Meu", "35160", "35", "53"),
        "legal_model": legal("scic"),
        "land_control": land("lease", 9, 640),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain"], "rural": False},
        "activities": {"sectors": ["bois", "metal"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w02():
    """Association today, « une société coopérative d'intérêt collectif sera créée en 2023 »;
    convention d'occupation précaire de trois ans; QPV; SIREN only; years in rows, N / N+1 / N+2."""
    app = [
        ("p", "MANUFACTURES DE PROXIMITÉ – DOSSIER DE CANDIDATURE"),
        ("p", "Candidature déposée le 12/01/2022 à 18h05"),
        ("p", "I. Présentation de la structure"),
        ("p", "L'association Fil et Terre (loi 1901) a été créée en 2016 par des couturières et des céramistes "
              "du Pays foyen. Son siège est situé 17 rue Victor Hugo, 33220 Sainte-Foy-la-Grande. "
              "SIREN : 818 204 339."),
        ("p", "II. Le projet"),
        ("p", "Le projet, baptisé « La Manufacture foyenne », ouvrira un atelier de couture et un atelier de "
              "céramique partagés. Il sera équipé de six machines à coudre industrielles, d'une surjeteuse, "
              "de deux tours de potier et d'un four électrique de 300 litres."),
        ("p", "III. Territoire"),
        ("p", "L'atelier est implanté au cœur d'un quartier prioritaire de la politique de la ville (QPV), "
              "dans une petite ville rurale de la vallée de la Dordogne où le chômage dépasse 18 %."),
        ("p", "IV. Statut et gouvernance"),
        ("p", "Nous sommes aujourd'hui une association. Une société coopérative d'intérêt collectif sera "
              "créée en 2023 pour porter la manufacture et associer la commune à sa gouvernance."),
        ("p", "V. Foncier"),
        ("p", "La mairie nous a consenti une convention d'occupation précaire de trois ans sur l'ancien bureau "
              "de poste, d'une surface de 280 m²."),
    ]
    b = Budget(
        operating=[("Charges de fonctionnement", [48000, 61000, 66000])],
        investment=[("Investissements", [42000, 8000, 0])],
        revenues=[("Autres subventions", [15000, 12000, 10000]), ("Recettes propres", [9000, 18000, 27000])],
        subsidy=[("Subvention Manufacture de proximité", [60000, 30000, 10000])],
        balance_label="Autofinancement",
    )
    head = ["Année", "Charges de fonctionnement", "Investissements", "Total dépenses",
            "Subvention Manufacture de proximité", "Autres subventions", "Recettes propres", "Autofinancement",
            "Total recettes"]
    exp, rev = b.expenses(), b.revenues_total()
    rows = [["Budget prévisionnel sur trois ans (en euros)"], head]
    for i, label in enumerate(["N", "N+1", "N+2"]):
        rows.append([label, b.operating[0][1][i], b.investment[0][1][i], exp[i], b.subsidy[0][1][i],
                     b.revenues[0][1][i], b.revenues[1][1][i], b.balance[1][i], rev[i]])
    dossier("wording-02", app, "odt", [("Budget", rows)], "ods", {
        "wave": 2, "deposited_at": "2022-01-12T18:05:00+01:00",
        "applicant": applicant("Fil et Terre", "La Manufacture foyenne", None, None, "Sainte-Foy-la-Grande", "33220", "33", "75"),
        "legal_model": legal("association", "scic"),
        "land_control": land("provided_free", 3, 280),
        "territorial_diagnosis": {"programmes": ["qpv"], "rural": True},
        "activities": {"sectors": ["ceramique", "textile"], "digital_machines": False},
        "budget": b.truth(Y),
    })


def w03():
    """Question/answer table; « SCOP SARL »; SIRET with dots; commune in capitals; promesse de vente
    signée; Territoires d'industrie and ACV; matrix in k€."""
    s = siret("789456123", "0004")
    app = [
        ("p", "AMI Manufactures de proximité – vague 3"),
        ("p", "Horodatage du dépôt : 2022-03-01 10:47"),
        ("table", [
            ["Question", "Réponse"],
            ["Nom de la structure", "Forges et Lumières"],
            ["Forme juridique", "SCOP SARL"],
            ["Numéro SIRET", dotted(s)],
            ["Adresse", "21 avenue de l'Europe – 71200 LE CREUSOT"],
            ["Nom de la manufacture", "La Forge du Creusot"],
            ["Décrivez votre projet", "Un atelier partagé de ferronnerie et de chaudronnerie ouvert aux artisans et "
                                      "aux TPE industrielles du bassin, doté d'une table de découpe plasma CNC, d'une "
                                      "presse plieuse et de postes de soudure. Budget de 1,2 M€ sur trois ans."],
            ["Diagnostic territorial", "Le Creusot fait partie du programme Territoires d'industrie "
                                       "(Creusot-Montceau) et bénéficie de l'ACV. Le bassin a perdu 4 000 emplois "
                                       "industriels en vingt ans."],
            ["Maîtrise foncière", "Une promesse de vente a été signée le 15 décembre 2021 pour un bâtiment industriel "
                                  "de 1 150 m² ; l'acte authentique sera signé au printemps 2022."],
            ["Gouvernance", "La SCOP compte 9 salariés associés. Elle porte seule le projet."],
        ]),
    ]
    b = Budget(
        operating=[("Achats consommés", [42000, 55000, 61000]), ("Charges de personnel", [120000, 150000, 165000]),
                   ("Charges externes", [30000, 32500, 34000])],
        investment=[("Acquisition du bâtiment", [310000, 0, 0]), ("Équipements", [160000, 40000, 0])],
        revenues=[("Prestations et location machines", [60000, 140000, 190000]), ("Emprunt bancaire", [250000, 0, 0])],
        subsidy=[("Subvention Manufactures de proximité", [150000, 50000, 0])],
        balance_label="Apports des associés",
    )
    matrix = [("Matrice", [["Montants en k€"], []] + rows_columns(b, Y, ("CHARGES", "Exploitation", "Investissements",
                                                                        "Total charges", "PRODUITS", "Total produits"),
                                                                  unit=1000))]
    dossier("wording-03", app, "docx", matrix, "xlsx", {
        "wave": 3, "deposited_at": "2022-03-01T10:47:00+01:00",
        "applicant": applicant("Forges et Lumières", "La Forge du Creusot", s, True, "Le Creusot", "71200", "71", "27"),
        "legal_model": legal("scop"),
        "land_control": land("purchase_in_progress", None, 1150),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville", "territoires_d_industrie"], "rural": False},
        "activities": {"sectors": ["metal"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w04():
    """Bold unnumbered headings « Partie 1 – »; AOT of 10 years on the port; ACV; fablab,
    sérigraphie, imprimante 3D; matrix headed N / N+1 / N+2; « Subvention ANCT »."""
    s = siret("539871264", "0002")
    app = [
        ("p", "Dossier déposé le 7 janvier 2022 à 9 h 15"),
        ("h1", "Partie 1 – Le porteur"),
        ("p", "Porteur : Association Les Bordées"),
        ("p", "Forme juridique : association déclarée (loi 1901)"),
        ("p", f"N° SIRET : {spaced(s)}"),
        ("p", "Adresse du siège social : 3 quai de Kribi, 44600 Saint-Nazaire"),
        ("h1", "Partie 2 – La manufacture"),
        ("p", "Nom de la manufacture : Le Chantier des Bordées"),
        ("p", "Le Chantier des Bordées associera un chantier de construction et de réparation de bateaux en bois, "
              "un atelier de sérigraphie sur voiles recyclées et un fablab ouvert aux habitants. Nous y "
              "installerons une imprimante 3D grand format et une découpe laser."),
        ("h1", "Partie 3 – Où ?"),
        ("p", "L'atelier occupe un hangar de 900 m² sur le port, au titre d'une AOT (autorisation d'occupation "
              "temporaire du domaine public) délivrée par le Grand Port Maritime pour une durée de 10 ans."),
        ("p", "Saint-Nazaire est engagée dans Action Cœur de Ville ; le hangar est à dix minutes à pied de la gare."),
    ]
    b = Budget(
        operating=[("Personnel", [70000, 82000, 90000]), ("Matières et fournitures", [15000, 18000, 20000]),
                   ("Redevance AOT et fluides", [9000, 9200, 9400])],
        investment=[("Machines numériques", [65000, 0, 0]), ("Mise aux normes du hangar", [40000, 15000, 0])],
        revenues=[("Adhésions et usages", [10000, 22000, 30000]), ("Ville de Saint-Nazaire", [20000, 20000, 20000]),
                  ("Ventes", [5000, 12000, 18000])],
        subsidy=[("Subvention ANCT – Manufactures de proximité", [110000, 40000, 10000])],
        balance_label="Autofinancement",
    )
    matrix = [("Budget", rows_columns(b, ["N", "N+1", "N+2"], STD))]
    dossier("wording-04", app, "docx-plain", matrix, "xlsx", {
        "wave": 2, "deposited_at": "2022-01-07T09:15:00+01:00",
        "applicant": applicant("Les Bordées", "Le Chantier des Bordées", s, True, "Saint-Nazaire", "44600", "44", "52"),
        "legal_model": legal("association"),
        "land_control": land("provided_free", 10, 900),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville"], "rural": False},
        # Sails upcycled into printed goods are a réemploi activity.
        "activities": {"sectors": ["bois", "impression", "numerique", "reemploi"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w05():
    """« S.A.S. »; SIRET with dots; « nous ne sommes pas propriétaires … nous les loue … bail de
    12 ans »; surface « totale … dont »; ZRR; verre and céramique; investment on its own sheet."""
    s = siret("851236447", "0001")
    app = [
        ("p", "Date de dépôt : 13/01/2022 à 11h40"),
        ("h1", "1. Identité"),
        ("p", "Dénomination sociale : Terres et Verres"),
        ("p", "Statut : S.A.S. (société par actions simplifiée)"),
        ("p", f"SIRET : {dotted(s)}"),
        ("p", "Adresse : 8, rue Joliot-Curie, 23300 La Souterraine"),
        ("h1", "2. Le projet « Les Fours de la Souterraine »"),
        ("p", "Nom du projet : Les Fours de la Souterraine"),
        ("p", "Nous voulons rouvrir une tuilerie pour y accueillir des céramistes et des souffleurs de verre : "
              "fours à gaz, four de fusion, tours de potier et cabine d'émaillage."),
        ("h1", "3. Diagnostic"),
        ("p", "La Souterraine est classée en ZRR et la commune est lauréate Petites villes de demain."),
        ("h1", "4. Locaux"),
        ("p", "Nous ne sommes pas propriétaires des locaux : la communauté de communes, qui a racheté l'ancienne "
              "tuilerie, nous les loue dans le cadre d'un bail de 12 ans. La surface totale est de 1 050 m², "
              "dont 700 m² d'ateliers."),
    ]
    b = Budget(
        operating=[("Achats (argile, verre, gaz)", [21000, 26000, 30000]), ("Salaires", [55000, 70000, 74000]),
                   ("Loyer", [12000, 12000, 12000])],
        investment=[("Fours", [48000, 12000, 0]), ("Travaux", [30000, 0, 0])],
        revenues=[("Locations d'ateliers", [15000, 30000, 42000]), ("Département de la Creuse", [10000, 10000, 0])],
        subsidy=[("Manufacture de proximité (amorçage)", [40000, 30000, 20000]),
                 ("Manufacture de proximité (investissement)", [50000, 10000, 0])],
        balance_label="Apports en capital",
    )
    exp_op = [sum(v[i] for _, v in b.operating) for i in range(3)]
    inv_tot = [sum(v[i] for _, v in b.investment) for i in range(3)]
    op_rows = [["Charges"] + Y] + [[l] + v for l, v in b.operating] + [["Total charges de fonctionnement"] + exp_op]
    op_rows += [[], ["Produits"] + Y] + [[l] + v for l, v in b.revenue_lines()] + [["Total produits"] + b.revenues_total()]
    inv_rows = [["Investissements"] + Y] + [[l] + v for l, v in b.investment] + [["Total investissements"] + inv_tot]
    dossier("wording-05", app, "odt", [("Fonctionnement", op_rows), ("Investissement", inv_rows)], "ods", {
        "wave": 2, "deposited_at": "2022-01-13T11:40:00+01:00",
        "applicant": applicant("Terres et Verres", "Les Fours de la Souterraine", s, True, "La Souterraine", "23300", "23", "75"),
        "legal_model": legal("sas"),
        "land_control": land("lease", 12, 1050),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain"], "rural": True},
        "activities": {"sectors": ["ceramique", "verre"], "digital_machines": False},
        "budget": b.truth(Y),
    })


def w06():
    """A communauté de communes applies in its own name and owns the building; tournerie sur bois,
    lunetterie; Territoires d'industrie, PVD; rural."""
    s = siret("200069870", "0001")
    app = [
        ("p", "Date de dépôt : 2 mars 2022 à 16 h 00"),
        ("h1", "Présentation du candidat"),
        ("p", "Structure porteuse : Communauté de communes Haut-Jura Saint-Claude"),
        ("p", "Nature juridique : EPCI à fiscalité propre"),
        ("p", f"SIRET : {s}"),
        ("p", "Adresse : 32 rue de la Poyat, 39200 Saint-Claude"),
        ("h1", "Le projet"),
        ("p", "Intitulé du projet : Manufacture des savoir-faire jurassiens"),
        ("p", "La manufacture accueillera des tourneurs sur bois, des lunetiers et des plasturgistes autour d'un tour "
              "numérique, d'une fraiseuse 5 axes et d'un atelier de finition."),
        ("h1", "Territoire"),
        ("p", "Notre territoire de montagne, rural et industriel, est labellisé Territoires d'industrie ; "
              "Saint-Claude est lauréate Petites villes de demain."),
        ("h1", "Foncier"),
        ("p", "La communauté de communes est propriétaire de l'ancienne usine de pipes (1 800 m²), acquise en 2019."),
    ]
    b = Budget(
        operating=[("Personnel", [80000, 85000, 88000]), ("Fluides et entretien", [20000, 21000, 22000])],
        investment=[("Équipements", [150000, 50000, 0]), ("Travaux", [200000, 0, 0])],
        revenues=[("Recettes d'usage", [15000, 35000, 50000]), ("DSIL", [100000, 0, 0])],
        subsidy=[("Subvention AMI Manufactures de proximité", [150000, 60000, 20000])],
        balance_label="Autofinancement de la collectivité",
    )
    dossier("wording-06", app, "docx", [("Matrice", rows_columns(b, Y, STD))], "xlsx", {
        "wave": 3, "deposited_at": "2022-03-02T16:00:00+01:00",
        "applicant": applicant("Communauté de communes Haut-Jura Saint-Claude", "Manufacture des savoir-faire jurassiens",
                               s, True, "Saint-Claude", "39200", "39", "27"),
        "legal_model": legal("local_authority"),
        "land_control": land("owned", None, 1800),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain", "territoires_d_industrie"], "rural": True},
        "activities": {"sectors": ["autre", "bois"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w07():
    """Consortium with a cheffe de file; negotiation for a halle; provisional premises until 2023;
    électronique and reconditionnement; matrix headed Année 1 / 2 / 3."""
    s = siret("442318765", "0003")
    app = [
        ("p", "Date de dépôt : 11/01/2022 – 14:22"),
        ("h1", "1. Les porteurs"),
        ("p", "La candidature est portée par un groupement de trois structures : l'association Électrons libres "
              "(cheffe de file), la SCOP Les Circuits Courts et le lycée professionnel Émile Zola."),
        ("p", "Structure porteuse : Électrons libres"),
        ("p", "Forme juridique : Association loi 1901"),
        ("p", f"SIRET : {spaced(s)}"),
        ("p", "Adresse : 5 rue Trottier, 56700 Hennebont"),
        ("h1", "2. Le projet"),
        ("p", "Nom de la manufacture : La Fabrique des Électrons"),
        ("p", "La Fabrique des Électrons produira en petites séries des cartes électroniques et reconditionnera "
              "du matériel informatique. Équipements : une machine pick and place, un four de refusion, deux "
              "imprimantes 3D et des bancs de test."),
        ("h1", "3. Le territoire"),
        ("p", "Hennebont est lauréate du programme PVD."),
        ("h1", "4. Les locaux"),
        ("p", "Nous sommes en négociation avancée avec SNCF Immobilier pour la reprise de l'ancienne halle de fret "
              "(1 400 m²) ; un bail de 15 ans devrait être signé à l'automne 2022."),
        ("p", "En attendant la livraison de la halle, prévue en 2023, l'activité démarrera dans un local provisoire "
              "de 150 m² prêté par la mairie."),
    ]
    b = Budget(
        operating=[("Salaires", [60000, 90000, 100000]), ("Composants et consommables", [12000, 25000, 30000]),
                   ("Loyers", [0, 18000, 18000])],
        investment=[("Équipements de production", [85000, 20000, 0])],
        revenues=[("Ventes de cartes et de matériel reconditionné", [20000, 70000, 110000]),
                  ("Région Bretagne", [30000, 10000, 0])],
        subsidy=[("Aide à l'amorçage", [40000, 30000, 20000]), ("Subvention d'investissement AMI", [60000, 15000, 0])],
        balance_label="Fonds propres des membres du groupement",
    )
    matrix = [("Budget", rows_columns(b, ["Année 1", "Année 2", "Année 3"], STD))]
    dossier("wording-07", app, "odt", matrix, "xlsx", {
        "wave": 2, "deposited_at": "2022-01-11T14:22:00+01:00",
        "applicant": applicant("Électrons libres", "La Fabrique des Électrons", s, True, "Hennebont", "56700", "56", "53"),
        "legal_model": legal("association", None, True, "Électrons libres"),
        "land_control": land("negotiation", 15, 1400, True, 2023),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain"], "rural": False},
        "activities": {"sectors": ["electronique", "reemploi"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w08():
    """Form table with the postal code and the commune in fields of their own; « Société par actions
    simplifiée »; bail emphytéotique « de quarante ans »; ZRR, PVD, QPV; EMPLOIS / RESSOURCES."""
    s = siret("880145236", "0001")
    app = [
        ("p", "Déposé sur Démarches simplifiées le 12 janvier 2022 à 10h03"),
        ("h1", "Fiche d'identité"),
        ("table", [
            ["Dénomination", "Laine et Compagnie"],
            ["Statut juridique", "Société par actions simplifiée"],
            ["N° SIRET", spaced(s)],
            ["Adresse", "14 boulevard Gambetta"],
            ["Code postal", "34700"],
            ["Commune", "Lodève"],
            ["Nom du projet", "La Filature du Cœur d'Hérault"],
        ]),
        ("h1", "Contexte territorial"),
        ("p", "Lodève, sous-préfecture rurale du Cœur d'Hérault, est classée ZRR et lauréate Petites villes de "
              "demain. Le centre ancien, où s'implante la manufacture, est un quartier prioritaire (QPV)."),
        ("h1", "Activités et équipements"),
        ("p", "Filature et tissage de laine locale, teinture végétale. Nous investirons dans un métier à tisser "
              "jacquard électronique et une tricoteuse numérique."),
        ("h1", "Maîtrise foncière"),
        ("p", "L'ancienne filature (2 100 m²) est mise à notre disposition par la commune au moyen d'un bail "
              "emphytéotique de quarante ans."),
    ]
    b = Budget(
        operating=[("Charges de personnel", [75000, 88000, 95000]), ("Achats de laine", [18000, 24000, 28000]),
                   ("Redevance et charges", [6000, 6000, 6000])],
        investment=[("Matériel", [140000, 25000, 0])],
        revenues=[("Ventes de fils et d'étoffes", [25000, 60000, 95000]), ("LEADER", [30000, 20000, 0])],
        subsidy=[("Manufactures de proximité", [120000, 40000, 10000])],
        balance_label="Capital et comptes courants",
    )
    matrix = [("Plan de financement", rows_columns(b, Y, ("EMPLOIS", "Fonctionnement", "Investissement",
                                                         "Total des emplois", "RESSOURCES", "Total des ressources")))]
    dossier("wording-08", app, "docx", matrix, "xlsx", {
        "wave": 2, "deposited_at": "2022-01-12T10:03:00+01:00",
        "applicant": applicant("Laine et Compagnie", "La Filature du Cœur d'Hérault", s, True, "Lodève", "34700", "34", "76"),
        "legal_model": legal("sas"),
        "land_control": land("emphyteotic_lease", 40, 2100),
        "territorial_diagnosis": {"programmes": ["petites_villes_de_demain", "qpv"], "rural": True},
        "activities": {"sectors": ["textile"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w09():
    """SEM; crédit-bail of 15 years; conserverie; amounts « 350 000 euros HT », « 45 k€ »; Année 1..3
    with investment on its own sheet; « Subvention ANCT »."""
    s = siret("512987654", "0002")
    app = [
        ("p", "Date de dépôt : 28/02/2022 à 17:30"),
        ("h1", "A. Le porteur"),
        ("p", "Organisme : SEM Velay Agro"),
        ("p", "Forme juridique : société anonyme d'économie mixte locale"),
        ("p", f"SIRET : {s}"),
        ("p", "Adresse : Zone artisanale de Taulhac, 43000 Le Puy-en-Velay"),
        ("h1", "B. Le projet"),
        ("p", "Nom du projet : La Conserverie du Velay"),
        ("p", "Une légumerie-conserverie partagée pour les maraîchers et les éleveurs du bassin : autoclave, "
              "éplucheuse, sertisseuse. 350 000 euros HT d'équipements et 45 k€ d'aménagements."),
        ("h1", "C. Le territoire"),
        ("p", "Le Puy-en-Velay bénéficie du programme Action cœur de ville ; la conserverie servira un bassin "
              "rural de 40 000 habitants."),
        ("h1", "D. Le bâtiment"),
        ("p", "Le bâtiment de 520 m² est financé par un crédit-bail immobilier de 15 ans signé en novembre 2021 "
              "avec un établissement bancaire."),
    ]
    b = Budget(
        operating=[("Personnel", [90000, 110000, 120000]), ("Énergie", [25000, 28000, 30000]),
                   ("Loyers de crédit-bail", [36000, 36000, 36000])],
        investment=[("Équipements de transformation", [300000, 50000, 0]), ("Aménagements", [45000, 0, 0])],
        revenues=[("Prestations de transformation", [40000, 90000, 140000]), ("Région Auvergne-Rhône-Alpes", [100000, 0, 0])],
        subsidy=[("Subvention ANCT", [180000, 60000, 20000])],
        balance_label="Emprunt et fonds propres",
    )
    heads = ["Année 1", "Année 2", "Année 3"]
    op_tot = [sum(v[i] for _, v in b.operating) for i in range(3)]
    inv_tot = [sum(v[i] for _, v in b.investment) for i in range(3)]
    op = [["Charges"] + heads] + [[l] + v for l, v in b.operating] + [["Total des charges de fonctionnement"] + op_tot]
    op += [[], ["Produits"] + heads] + [[l] + v for l, v in b.revenue_lines()] + [["Total des produits"] + b.revenues_total()]
    inv = [["Dépenses d'investissement"] + heads] + [[l] + v for l, v in b.investment] + [["Total investissement"] + inv_tot]
    dossier("wording-09", app, "docx", [("Exploitation", op), ("Investissements", inv)], "xlsx", {
        "wave": 3, "deposited_at": "2022-02-28T17:30:00+01:00",
        "applicant": applicant("SEM Velay Agro", "La Conserverie du Velay", s, True, "Le Puy-en-Velay", "43000", "43", "84"),
        "legal_model": legal("sem"),
        "land_control": land("lease", 15, 520),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville"], "rural": True},
        "activities": {"sectors": ["alimentaire"], "digital_machines": False},
        "budget": b.truth(Y),
    })


def w10():
    """Association that « envisage à terme de se transformer en SCOP »; the mairie « met gracieusement
    à notre disposition » a presbytère; a programme denied (« n'est pas lauréate PVD »)."""
    s = siret("793654218", "0001")
    app = [
        ("p", "Dossier transmis le 12 janvier 2022 à 21h10"),
        ("h1", "Identification"),
        ("table", [
            ["Nom de l'association", "Atelier Larrun"],
            ["Statut juridique", "Association loi 1901"],
            ["SIRET", spaced(s)],
            ["Adresse du siège", "6 rue Gambetta, 64500 Saint-Jean-de-Luz"],
        ]),
        ("h1", "Projet"),
        ("p", "Titre du projet : L'Espadrille et le Cuir"),
        ("p", "Un atelier de maroquinerie et de couture d'espadrilles, équipé d'une brodeuse numérique, de "
              "machines à coudre à bras et d'une presse à découper le cuir."),
        ("h1", "Territoire"),
        ("p", "Le Pays basque est un Territoire d'industrie. La ville n'est pas lauréate PVD mais son centre "
              "ancien perd ses ateliers."),
        ("h1", "Statut"),
        ("p", "À terme, nous envisageons de nous transformer en SCOP afin d'associer les artisans salariés."),
        ("h1", "Locaux"),
        ("p", "La mairie met gracieusement à notre disposition l'ancien presbytère (210 m²) par une convention "
              "de 5 ans renouvelable."),
    ]
    b = Budget(
        operating=[("Salaires", [45000, 52000, 56000]), ("Cuir et fournitures", [14000, 18000, 21000])],
        investment=[("Machines", [38000, 0, 0])],
        revenues=[("Ventes", [20000, 45000, 62000]), ("Communauté d'agglomération Pays basque", [10000, 5000, 0])],
        subsidy=[("Aide sollicitée Manufacture de proximité", [55000, 15000, 5000])],
        balance_label="Autofinancement",
    )
    dossier("wording-10", app, "odt", [("Budget", rows_columns(b, Y, STD))], "xlsx", {
        "wave": 2, "deposited_at": "2022-01-12T21:10:00+01:00",
        "applicant": applicant("Atelier Larrun", "L'Espadrille et le Cuir", s, True, "Saint-Jean-de-Luz", "64500", "64", "75"),
        "legal_model": legal("association", "scop"),
        "land_control": land("provided_free", 5, 210),
        "territorial_diagnosis": {"programmes": ["territoires_d_industrie"], "rural": False},
        "activities": {"sectors": ["cuir", "textile"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w11():
    """An entrepreneur individuel with a mistyped SIRET, no premises yet, an unbalanced budget with
    the subsidy over 80 %, years written « Exercice 2022 »."""
    s = "90123456700012"
    assert not luhn_ok(s)
    app = [
        ("p", "Déposé le 3 mars 2022 à 11:45"),
        ("h1", "Le porteur de projet"),
        ("p", "Porteur de projet : Julien Marty"),
        ("p", "Statut : entrepreneur individuel (micro-entreprise)"),
        ("p", f"SIRET : {spaced(s)}"),
        ("p", "Adresse : 2 avenue Alphonse Pezet, 12400 Saint-Affrique"),
        ("h1", "Le projet"),
        ("p", "Nom du projet : La Forge du Sud-Aveyron"),
        ("p", "Une forge partagée pour la coutellerie, avec une découpe laser pour les lames et un marteau-pilon."),
        ("h1", "Le territoire"),
        ("p", "Saint-Affrique est en ZRR, au cœur d'un territoire très peu dense."),
        ("h1", "Les locaux"),
        ("p", "Nous n'avons pas encore de local : plusieurs bâtiments ont été visités mais aucun accord n'a été trouvé."),
    ]
    b = Budget(
        operating=[("Charges", [20000, 24000, 26000])],
        investment=[("Équipements", [60000, 0, 0])],
        revenues=[("Ventes", [0, 2000, 4000])],
        subsidy=[("Subvention Manufacture de proximité", [75000, 15000, 18000])],
        balance_label="Apport personnel",
        gap=(0, 5000, 0),
    )
    matrix = [("Budget", rows_columns(b, ["Exercice 2022", "Exercice 2023", "Exercice 2024"], STD))]
    dossier("wording-11", app, "docx", matrix, "xlsx", {
        "wave": 3, "deposited_at": "2022-03-03T11:45:00+01:00",
        "applicant": applicant("Julien Marty", "La Forge du Sud-Aveyron", s, False, "Saint-Affrique", "12400", "12", "76"),
        "legal_model": legal("individual"),
        "land_control": land("none"),
        "territorial_diagnosis": {"programmes": [], "rural": True},
        "activities": {"sectors": ["metal"], "digital_machines": True},
        "budget": b.truth(Y),
    })


def w12():
    """A GIP in La Réunion; purchase under way (« offre d'achat acceptée … signature chez le notaire »);
    temporary hosting during the works, final premises in 2023; QPV and ACV; ébénisterie, vannerie."""
    s = siret("130025874", "0001")
    app = [
        ("p", "Date de dépôt : 05/01/2022 à 08h30"),
        ("h1", "1. Le porteur"),
        ("p", "Structure porteuse : GIP Fabrique Réunion Sud"),
        ("p", "Forme juridique : Groupement d'intérêt public (GIP)"),
        ("p", f"SIRET : {spaced(s)}"),
        ("p", "Adresse : 12 rue Archambaud, 97410 Saint-Pierre"),
        ("h1", "2. Le projet"),
        ("p", "Nom de la manufacture : Manufacture du Sud Sauvage"),
        ("p", "Ébénisterie en bois de tamarin et vannerie de vacoa, avec une fraiseuse CNC et un atelier "
              "d'assemblage."),
        ("h1", "3. Le territoire"),
        ("p", "Le site est situé dans le QPV Ravine Blanche ; Saint-Pierre est une ville Action cœur de ville."),
        ("h1", "4. Le foncier"),
        ("p", "L'acquisition de l'entrepôt (760 m²) est en cours : notre offre d'achat a été acceptée par le "
              "vendeur et la signature chez le notaire est prévue en avril 2022."),
        ("p", "Pendant les travaux, les ateliers seront hébergés temporairement au lycée professionnel de "
              "Saint-Pierre ; l'installation définitive dans l'entrepôt est prévue en janvier 2023."),
    ]
    b = Budget(
        operating=[("Personnel", [70000, 95000, 100000]), ("Autres charges", [25000, 30000, 32000])],
        investment=[("Acquisition et travaux", [400000, 100000, 0]), ("Machines", [60000, 20000, 0])],
        revenues=[("Prestations", [10000, 45000, 80000]), ("FEDER", [200000, 50000, 0])],
        subsidy=[("Manufacture de proximité – fonctionnement", [40000, 30000, 20000]),
                 ("Manufacture de proximité – équipement", [60000, 20000, 0])],
        balance_label="Contributions des membres du GIP",
    )
    dossier("wording-12", app, "docx", [("Budget", rows_columns(b, Y, STD))], "xlsx", {
        "wave": 2, "deposited_at": "2022-01-05T08:30:00+01:00",
        "applicant": applicant("GIP Fabrique Réunion Sud", "Manufacture du Sud Sauvage", s, True, "Saint-Pierre", "97410", "974", "04"),
        "legal_model": legal("gip"),
        "land_control": land("purchase_in_progress", None, 760, True, 2023),
        "territorial_diagnosis": {"programmes": ["action_coeur_de_ville", "qpv"], "rural": False},
        "activities": {"sectors": ["autre", "bois"], "digital_machines": True},
        "budget": b.truth(Y),
    })


if __name__ == "__main__":
    for make in (w01, w02, w03, w04, w05, w06, w07, w08, w09, w10, w11, w12):
        make()
