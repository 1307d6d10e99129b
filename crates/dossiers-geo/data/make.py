#!/usr/bin/env python3
"""Convert the JSON of the npm package @etalab/decoupage-administratif into the
compact TSV files that dossiers-geo embeds with include_str!.

Run by hand, never by the build (see README.md in this folder):

    python3 make.py PACKAGE_DIR

PACKAGE_DIR is the `package/` folder of the unpacked npm tarball. The script
refuses any other version than PINNED_VERSION, so that the data files and the
README never disagree about their origin. It only uses the standard library.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

PINNED_VERSION = "2.3.1"
HERE = Path(__file__).resolve().parent


def load(package, name):
    with open(package / "data" / name, encoding="utf-8") as f:
        return json.load(f)


def check_field(value, what):
    # A tab or a newline inside a field would silently shift the columns.
    if "\t" in value or "\n" in value or value != value.strip() or not value:
        sys.exit(f"make.py: unusable {what}: {value!r}")
    return value


def write(name, header, rows):
    with open(HERE / name, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for row in rows:
            f.write("\t".join(row) + "\n")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    package = Path(sys.argv[1])
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if version != PINNED_VERSION:
        sys.exit(f"make.py: package is {version}, pinned is {PINNED_VERSION}")

    regions = load(package, "regions.json")
    departements = load(package, "departements.json")
    communes = load(package, "communes.json")

    region_rows = sorted(
        (check_field(r["code"], "region code"), r["zone"], check_field(r["nom"], "region name"))
        for r in regions
    )
    region_codes = {r[0] for r in region_rows}

    dept_region = {}
    dept_rows = []
    for d in departements:
        code = check_field(d["code"], "department code")
        if d["region"] not in region_codes:
            sys.exit(f"make.py: department {code} has unknown region {d['region']}")
        dept_region[code] = d["region"]
        dept_rows.append((code, d["region"], d["zone"], check_field(d["nom"], "department name")))
    dept_rows.sort()

    current = {}
    commune_rows = []
    for c in communes:
        if c["type"] != "commune-actuelle":
            continue
        code = check_field(c["code"], "commune code")
        dept = c["departement"]
        if dept_region.get(dept) != c["region"]:
            sys.exit(f"make.py: commune {code}: region {c['region']} is not its department's")
        postal_codes = sorted(set(c.get("codesPostaux", [])))
        for p in postal_codes:
            if len(p) != 5 or not p.isdigit():
                sys.exit(f"make.py: commune {code}: bad postal code {p!r}")
        current[code] = c
        commune_rows.append((code, check_field(c["nom"], "commune name"), dept, " ".join(postal_codes)))
    commune_rows.sort()

    # Older names that addresses keep using: communes déléguées and associées
    # (merged into a commune nouvelle, still written on envelopes) and the
    # arrondissements of Paris, Lyon and Marseille. Their postal codes are all
    # carried by the current commune already, so they only serve name lookups.
    alias_rows = []
    for c in communes:
        kind = {
            "commune-deleguee": "deleguee",
            "commune-associee": "associee",
            "arrondissement-municipal": "arrondissement",
        }.get(c["type"])
        if kind is None:
            continue
        parent = c.get("commune") if kind == "arrondissement" else c.get("chefLieu")
        if parent not in current:
            sys.exit(f"make.py: {kind} {c['code']} points to unknown commune {parent}")
        missing = set(c.get("codesPostaux", [])) - set(current[parent].get("codesPostaux", []))
        if missing:
            sys.exit(f"make.py: {kind} {c['code']} has postal codes {missing} its commune lacks")
        alias_rows.append((check_field(c["code"], "alias code"), check_field(c["nom"], "alias name"), parent, kind))
    alias_rows.sort()

    # The Corsican rule of the dossiers README (20000-20199 -> 2A, else 2B)
    # must hold for every postal code the data knows, or the fallback is wrong.
    for code, _name, dept, postal_codes in commune_rows:
        for p in postal_codes.split():
            if p.startswith("20"):
                rule = "2A" if int(p) < 20200 else "2B"
                if rule != dept:
                    print(f"make.py: note: {p} ({code}) is in {dept}, the rule says {rule}")

    write("regions.tsv", ("code", "zone", "name"), region_rows)
    write("departements.tsv", ("code", "region", "zone", "name"), dept_rows)
    write("communes.tsv", ("insee", "name", "department", "postal_codes"), commune_rows)
    write("aliases.tsv", ("insee", "name", "commune", "kind"), alias_rows)

    by_postal = defaultdict(int)
    for row in commune_rows:
        for p in row[3].split():
            by_postal[p] += 1
    print(
        f"make.py: {len(region_rows)} regions, {len(dept_rows)} departments, "
        f"{len(commune_rows)} communes, {len(alias_rows)} aliases, {len(by_postal)} postal codes"
    )


if __name__ == "__main__":
    main()
